"""File importers of the rebate package: the 文库 (``cmcode.DBF`` or CSV), declarations,
purchase invoices and FX receipts (CSV/TSV/XLSX).

Every importer validates the whole file first and collects every bad line (line, column,
reason); a bad file raises :class:`~xborder.errors.ImportRejected` and writes nothing.
Rows are upserted by their natural keys, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.db import too_long
from xborder.errors import ImportRejected, ValidationError
from xborder.importing import ImportResult, find_batch, read_table, record_batch
from xborder.rebate import service
from xborder.rebate.dbf import read_dbf
from xborder.rebate.orm import RebateDeclaration, RebateDeclarationLine, RebateInvoice, RebateReceipt
from xborder.rebate.rates import RebateRate, rate_from_record
from xborder.rebate.records import ALIASES, parse_declaration, parse_invoice, parse_receipt

__all__ = ["KINDS", "import_file", "read_rows"]

KINDS = ("rates", "declarations", "invoices", "receipts")
_DBF_VERSIONS = {0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x43, 0x63, 0x83, 0x8B, 0x8E, 0xCB, 0xF5, 0xFB}


def read_rows(data: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, row) pairs of a CSV/TSV/XLSX file, via :func:`xborder.importing.read_table`."""
    table = read_table(data, filename=filename)
    if not table.headers:
        raise ValidationError("file: the file is empty", field="file")
    return [(r.line, dict(r.values)) for r in table.rows]


def _column(row: dict[str, Any], fld: str | None) -> str:
    """The file's own header for a field (e.g. ``商品编码`` for ``hs_code``)."""
    if not fld:
        return ""
    names = {a.lower() for a in ALIASES.get(fld, (fld,))} | {fld.lower()}
    for k in row:
        if str(k).strip().lower() in names:
            return str(k)
    return fld


def _validate(rows: list[tuple[int, dict[str, Any]]], parse: Callable[[dict[str, Any]], Any],
              key: Callable[[Any], Any] | None, models: tuple[type, ...] = ()) -> list[Any]:
    """Every row parsed, or ``ImportRejected`` listing each bad line; ``models``: the ORM
    classes the rows are stored in (a text longer than its column is a bad line)."""
    errors: list[dict[str, Any]] = []
    parsed: list[Any] = []
    seen: dict[Any, int] = {}
    for line, row in rows:
        try:
            value = parse(row)
        except ValidationError as exc:
            errors.append({"line": line, "column": _column(row, exc.field), "message": exc.message})
            continue
        long = [(f, msg) for model in models for f, msg in too_long(model, value)]
        errors += [{"line": line, "column": _column(row, f), "message": msg} for f, msg in dict(long).items()]
        if long:
            continue
        if key is not None:
            k = key(value)
            if k in seen:
                errors.append({"line": line, "column": "", "message": f"duplicate of line {seen[k]} ({k})"})
                continue
            seen[k] = line
        parsed.append(value)
    if errors:
        raise ImportRejected(f"{len(errors)} bad line(s); nothing was imported", errors)
    if not parsed:
        raise ImportRejected("the file has no data rows; nothing was imported",
                             [{"line": 1, "column": "", "message": "no data rows"}])
    return parsed


def _looks_like_dbf(data: bytes) -> bool:
    """A DBF header: known version byte, and the field-descriptor terminator (0x0D) where the
    header length says (or 263 bytes before it, for Visual FoxPro's backlink)."""
    if len(data) < 66 or data[0] not in _DBF_VERSIONS:
        return False
    header_len = int.from_bytes(data[8:10], "little")
    if not 65 <= header_len <= len(data):
        return False
    return data[header_len - 1] == 0x0D or (header_len > 264 and data[header_len - 264] == 0x0D)


def _rates(data: bytes, filename: str) -> list[RebateRate]:
    source = filename.rsplit("/", 1)[-1]
    if filename.lower().endswith(".dbf") or _looks_like_dbf(data):
        table = read_dbf(data)
        rows = [(i, r) for i, r in enumerate(table.records, start=1)]
        source = f"出口退税率文库 {source}"
    else:
        rows = read_rows(data, filename)
    return _validate(rows, lambda r: rate_from_record(r, source), key=lambda r: (r.code, r.valid_from))


def _check_heads(raw: list[tuple[int, dict[str, Any]]], rows: list[Any]) -> None:
    """Lines of one declaration must agree on its head fields (date, currency, trade mode, rate)."""
    errors = []
    first: dict[str, Any] = {}
    for (line, row), r in zip(raw, rows, strict=True):
        head = (r.export_date, r.currency, r.trade_mode, r.fx_rate, r.period, r.regime)
        if r.number not in first:
            first[r.number] = (line, head)
            continue
        line0, head0 = first[r.number]
        for name, a, b in zip(("export_date", "currency", "trade_mode", "fx_rate", "period", "regime"), head0, head,
                              strict=True):
            if a != b:
                errors.append({"line": line, "column": _column(row, name),
                               "message": f"{name}: {b} differs from line {line0} of the same declaration ({a})"})
    if errors:
        raise ImportRejected(f"{len(errors)} bad line(s); nothing was imported", errors)


def import_file(s: Session, principal: Principal, kind: str, data: bytes, filename: str) -> ImportResult:
    principal.require(service.AREA)
    if kind not in KINDS:
        raise ValidationError(f"kind: {kind!r} is not one of {', '.join(KINDS)}", field="kind")
    if not data:
        raise ValidationError("file: the file is empty", field="file")
    if kind == "rates":
        rates = _rates(data, filename)
        n = len(rates)
        imported, skipped = service.store_rates(s, principal, rates)
    elif kind == "declarations":
        raw = read_rows(data, filename)
        rows = _validate(raw, parse_declaration, key=lambda r: (r.number, r.line_no),
                         models=(RebateDeclaration, RebateDeclarationLine))
        _check_heads(raw, rows)
        n = len(rows)
        imported, skipped = service.store_declarations(s, principal, rows)
    elif kind == "invoices":
        rows = _validate(read_rows(data, filename), parse_invoice, key=lambda r: (r.number, r.line_no),
                         models=(RebateInvoice,))
        n = len(rows)
        imported, skipped = service.store_invoices(s, principal, rows)
    else:
        rows = _validate(read_rows(data, filename), parse_receipt, key=lambda r: r.reference,
                         models=(RebateReceipt,))
        n = len(rows)
        imported, skipped = service.store_receipts(s, principal, rows)
    result = ImportResult(imported=imported, skipped_duplicates=skipped)
    digest = hashlib.sha256(data).hexdigest()
    batch = find_batch(s, principal.org_id, f"rebate.{kind}", digest)
    if batch is None:
        record_batch(s, principal.org_id, f"rebate.{kind}", filename, digest, result, n)
    else:
        result.batch_id = batch.id
        result.notes.append("this file was imported before; nothing changed" if not imported else
                            "this file was imported before; changed rows were updated")
    return result

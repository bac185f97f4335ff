"""File importers of the rebate package: the 文库 (``cmcode.DBF`` or CSV), declarations,
purchase invoices and FX receipts (CSV/TSV/XLSX).

Every importer validates the whole file first and collects every bad line (line, column,
reason); a bad file raises :class:`~xborder.errors.ImportRejected` and writes nothing.
Rows are upserted by their natural keys, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.errors import ImportRejected, ValidationError
from xborder.rebate import service
from xborder.rebate.dbf import read_dbf
from xborder.rebate.rates import RebateRate, rate_from_record
from xborder.rebate.records import ALIASES, parse_declaration, parse_invoice, parse_receipt

__all__ = ["ImportResult", "KINDS", "import_file", "read_rows"]

KINDS = ("rates", "declarations", "invoices", "receipts")
_DBF_VERSIONS = {0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x43, 0x63, 0x83, 0x8B, 0x8E, 0xCB, 0xF5, 0xFB}


@dataclass
class ImportResult:
    imported: int
    skipped_duplicates: int
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"imported": self.imported, "skipped_duplicates": self.skipped_duplicates, "errors": self.errors}


def _decode(data: bytes) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ValidationError("file: cannot decode the text (expected UTF-8, UTF-16 or GB18030)", field="file")


def read_rows(data: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number, row) pairs of a CSV/TSV/XLSX file; the header is line 1."""
    if data[:2] == b"PK" or filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise ValidationError(f"file: not a readable XLSX workbook ({exc})", field="file") from None
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if not header:
            raise ValidationError("file: the workbook is empty", field="file")
        names = [str(h).strip() if h is not None else "" for h in header]
        out = []
        for i, values in enumerate(it, start=2):
            if values is None or all(v is None or str(v).strip() == "" for v in values):
                continue
            row = {}
            for n, v in zip(names, values, strict=False):
                if not n:
                    continue
                if hasattr(v, "isoformat"):
                    v = v.isoformat()[:10]
                elif isinstance(v, float):
                    v = repr(v)  # as shown; parsed as a decimal string
                row[n] = "" if v is None else str(v)
            out.append((i, row))
        return out
    text = _decode(data)
    sample = text[:4096]
    delim = "\t" if sample.count("\t") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    header = next(reader, None)
    if not header:
        raise ValidationError("file: the file is empty", field="file")
    names = [h.strip() for h in header]
    out = []
    for i, values in enumerate(reader, start=2):
        if not values or all(not v.strip() for v in values):
            continue
        out.append((i, {n: v for n, v in zip(names, values, strict=False) if n}))
    return out


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
              key: Callable[[Any], Any] | None) -> list[Any]:
    errors: list[dict[str, Any]] = []
    parsed: list[Any] = []
    seen: dict[Any, int] = {}
    for line, row in rows:
        try:
            value = parse(row)
        except ValidationError as exc:
            errors.append({"line": line, "column": _column(row, exc.field), "message": exc.message})
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


def _rates(data: bytes, filename: str) -> list[RebateRate]:
    source = filename.rsplit("/", 1)[-1]
    if filename.lower().endswith(".dbf") or (data[:1] and data[0] in _DBF_VERSIONS and not data[:2] == b"PK"
                                              and b"," not in data[:32]):
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
        imported, skipped = service.store_rates(s, principal, _rates(data, filename))
    elif kind == "declarations":
        raw = read_rows(data, filename)
        rows = _validate(raw, parse_declaration, key=lambda r: (r.number, r.line_no))
        _check_heads(raw, rows)
        imported, skipped = service.store_declarations(s, principal, rows)
    elif kind == "invoices":
        rows = _validate(read_rows(data, filename), parse_invoice, key=lambda r: (r.number, r.line_no))
        imported, skipped = service.store_invoices(s, principal, rows)
    else:
        rows = _validate(read_rows(data, filename), parse_receipt, key=lambda r: r.reference)
        imported, skipped = service.store_receipts(s, principal, rows)
    return ImportResult(imported, skipped)

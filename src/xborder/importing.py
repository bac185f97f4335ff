"""The importer behaviour every Xborder importer shares.

1. The whole file is read and every row validated before anything is written.
2. A file with any bad row raises :class:`~xborder.errors.ImportRejected` listing every bad row
   (line number as the user sees it in a spreadsheet or editor, column, reason); nothing is written.
3. Importing the same file again changes nothing: each row has a natural key (upsert/skip), and
   the file's SHA-256 is recorded in ``import_batches``.

Helpers here: :func:`read_table` (CSV/TSV/XLSX with encoding and delimiter detection),
:func:`parse_decimal` (locale decimals), :func:`parse_date`, :class:`RowErrors`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from xborder.db import Base, OrgScoped
from xborder.errors import ImportRejected, ValidationError

# --- results and errors ----------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class ImportResult:
    imported: int = 0
    skipped_duplicates: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    batch_id: int | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "imported": self.imported,
            "skipped_duplicates": self.skipped_duplicates,
            "errors": [e.to_dict() for e in self.errors],
        }
        if self.updated:
            out["updated"] = self.updated
        if self.batch_id is not None:
            out["batch_id"] = self.batch_id
        if self.notes:
            out["notes"] = self.notes
        return out


class RowErrors:
    """Collects errors while validating; ``raise_if_any`` rejects the file."""

    def __init__(self, limit: int = 10_000):
        self.items: list[RowError] = []
        self.limit = limit

    def add(self, line: int, column: str, message: str) -> None:
        if len(self.items) < self.limit:
            self.items.append(RowError(line, column, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self, what: str = "file") -> None:
        if self.items:
            n = len(self.items)
            raise ImportRejected(
                f"{what} rejected: {n} bad row{'s' if n != 1 else ''}; nothing was imported",
                [e.to_dict() for e in self.items],
            )


# --- reading tables ----------------------------------------------------------------------


@dataclass
class Row:
    line: int  # 1-based line (CSV) or sheet row (XLSX) as the user sees it
    values: dict[str, str]

    def get(self, key: str, default: str = "") -> str:
        v = self.values.get(key)
        return default if v is None else v


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]
    encoding: str = ""
    delimiter: str = ""
    sha256: str = ""
    preamble: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode bytes: explicit encoding, else BOM (UTF-8/UTF-16), else UTF-8, else GB18030."""
    if encoding:
        return data.decode(encoding), encoding
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if len(data) >= 4 and data[1] == 0 and data[3] == 0 and data[0] != 0:
        return data.decode("utf-16-le"), "utf-16-le"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in ("\t", ",", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def is_xlsx(data: bytes, filename: str | None = None) -> bool:
    return data[:2] == b"PK" or bool(filename and filename.lower().endswith((".xlsx", ".xlsm")))


def read_table(
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    header_match: Sequence[str] | None = None,
    sheet: str | None = None,
    normalise_headers: bool = True,
) -> Table:
    """Read CSV/TSV/XLSX into rows keyed by header.

    ``header_match``: when given, lines before the first line containing all these header names
    are treated as preamble (eBay reports start with such lines); rows that are entirely empty
    are dropped; trailing footer lines with fewer than two filled cells are returned as
    preamble too.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        data = path.read_bytes()
        filename = filename or path.name
    else:
        data = source
    digest = hashlib.sha256(data).hexdigest()
    if is_xlsx(data, filename):
        table = _read_xlsx(data, sheet, header_match)
    else:
        text, enc = decode(data, encoding)
        table = _read_csv(text, delimiter, header_match)
        table.encoding = enc
    if normalise_headers:
        table.headers = [h.strip().lstrip("\ufeff") for h in table.headers]
        for r in table.rows:
            r.values = {k.strip().lstrip("\ufeff"): v for k, v in r.values.items()}
    table.sha256 = digest
    return table


def _find_header(lines: list[list[str]], header_match: Sequence[str] | None) -> int:
    if not header_match:
        return 0
    wanted = {h.strip().lower() for h in header_match}
    for i, cells in enumerate(lines):
        have = {c.strip().lstrip("\ufeff").lower() for c in cells}
        if wanted <= have:
            return i
    raise ValidationError(f"header row not found: expected columns {', '.join(header_match)}", field="header")


def _read_csv(text: str, delimiter: str | None, header_match: Sequence[str] | None) -> Table:
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    if header_match and not delimiter:
        for ln in lines:
            low = ln.lower()
            if all(h.lower() in low for h in header_match):
                first = ln
                break
    delim = delimiter or sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    records: list[tuple[int, list[str]]] = []
    for cells in reader:
        records.append((reader.line_num, cells))
    h = _find_header([c for _, c in records], header_match)
    preamble = [delim.join(c) for _, c in records[:h]]
    if not records:
        return Table([], [], delimiter=delim)
    headers = records[h][1]
    rows: list[Row] = []
    for line, cells in records[h + 1 :]:
        if not any(c.strip() for c in cells):
            continue
        if header_match and sum(1 for c in cells if c.strip()) < 2 and len(headers) > 2:
            preamble.append(delim.join(cells))
            continue
        values = {headers[i]: (cells[i] if i < len(cells) else "") for i in range(len(headers))}
        if len(cells) > len(headers):
            values["__extra__"] = delim.join(cells[len(headers):])
        rows.append(Row(line, values))
    return Table(headers, rows, delimiter=delim, preamble=preamble)


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime):
        return v.isoformat(sep=" ") if (v.hour or v.minute or v.second) else v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float):
        # openpyxl gives floats for numeric cells: use the shortest repr, which is what the user typed
        return repr(v).removesuffix(".0") if v == int(v) and abs(v) < 1e15 else repr(v)
    return str(v)


def _read_xlsx(data: bytes, sheet: str | None, header_match: Sequence[str] | None) -> Table:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationError(f"file: not a readable XLSX workbook ({exc})", field="file") from None
    ws = wb[sheet] if sheet else wb.worksheets[0]
    records = [(i, [_cell_text(c) for c in row]) for i, row in enumerate(ws.iter_rows(values_only=True), start=1)]
    wb.close()
    if not records:
        return Table([], [])
    h = _find_header([c for _, c in records], header_match)
    headers = [c for c in records[h][1]]
    while headers and not headers[-1]:
        headers.pop()
    rows = []
    for line, cells in records[h + 1 :]:
        if not any(c.strip() for c in cells):
            continue
        rows.append(Row(line, {headers[i]: (cells[i] if i < len(cells) else "") for i in range(len(headers))}))
    return Table(headers, rows, encoding="xlsx", preamble=[",".join(c) for _, c in records[:h]])


def require_columns(table: Table, required: Iterable[str], errors: RowErrors) -> bool:
    missing = [c for c in required if c not in table.headers]
    for c in missing:
        errors.add(1, c, "required column is missing")
    return not missing


# --- value parsing -----------------------------------------------------------------------

_EMPTY = {"", "--", "-", "—", "n/a", "na", "null", "none"}
_NUM_CLEAN = re.compile(r"[^\d,.\-+()eE]")


def is_empty(text: str | None) -> bool:
    return text is None or text.strip().lower() in _EMPTY


def parse_decimal(text: str | None, *, decimal_comma: bool | None = None, field: str = "value") -> Decimal | None:
    """Parse a number as people and marketplaces write it. Returns None for empty cells.

    >>> parse_decimal("1.234,56")
    Decimal('1234.56')
    >>> parse_decimal("1,234.56")
    Decimal('1234.56')
    >>> parse_decimal("€12,50")
    Decimal('12.50')
    >>> parse_decimal("(5.00)")
    Decimal('-5.00')
    >>> parse_decimal("--") is None
    True
    >>> parse_decimal("1,234", decimal_comma=False)
    Decimal('1234')
    """
    if is_empty(text):
        return None
    assert text is not None
    raw = text.strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    negative = raw.startswith("(") and raw.endswith(")")
    raw = _NUM_CLEAN.sub("", raw).strip("()")
    if raw.endswith("-"):
        negative, raw = True, raw[:-1]
    if "," in raw and "." in raw:
        if raw.rfind(",") > raw.rfind("."):
            raw = raw.replace(".", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
    elif "," in raw:
        if decimal_comma is True:
            raw = raw.replace(",", ".")
        elif decimal_comma is False:
            raw = raw.replace(",", "")
        else:
            head, _sep, tail = raw.rpartition(",")
            # "12,50" -> decimal comma; "1,234" -> thousands (three digits after a single comma)
            raw = raw.replace(",", "") if (len(tail) == 3 and raw.count(",") >= 1 and head.lstrip("-+")) else raw.replace(",", ".")
            if raw.count(".") > 1:
                raise ValidationError(f"{field}: {text!r} is not a number", field=field)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValidationError(f"{field}: {text!r} is not a number", field=field) from None
    if not value.is_finite():
        raise ValidationError(f"{field}: {text!r} is not a number", field=field)
    return -value if negative else value


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%d/%m/%Y", "%m/%d/%Y", "%Y%m%d", "%d-%b-%Y", "%b %d, %Y")


def parse_id_list(text: str | None, field: str = "ids", *, kind: str = "record", required: bool = False) -> list[int]:
    """Record ids separated by commas (a query parameter or a CLI option): ``"3,5, 8"`` -> ``[3, 5, 8]``.

    >>> parse_id_list("3,5, 8")
    [3, 5, 8]
    """
    parts = [x.strip() for x in (text or "").split(",") if x.strip()]
    if (required and not parts) or not all(x.isdigit() and len(x) <= 12 for x in parts):
        raise ValidationError(f"{field}: {kind} ids separated by commas", field=field)
    return [int(x) for x in parts]


def parse_date(text: str | None, formats: Sequence[str] = DATE_FORMATS, field: str = "date") -> date | None:
    """Parse a date with the given formats (first match wins); ISO date-times are accepted.

    >>> parse_date("2026-11-24T10:00:00+00:00")
    datetime.date(2026, 11, 24)
    >>> parse_date("24.11.2026")
    datetime.date(2026, 11, 24)
    """
    if is_empty(text):
        return None
    assert text is not None
    t = text.strip()
    try:
        return datetime.fromisoformat(t.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in formats:
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise ValidationError(f"{field}: {text!r} is not a date", field=field)


def iso_date(value: Any, field: str, *, required: bool = False) -> date | None:
    """A ``YYYY-MM-DD`` value from a form, an option, a query or a JSON key: a date passes through,
    empty gives None (a ValidationError when ``required``), anything else is a ValidationError
    naming the field ("--on: 'soon' is not a date (YYYY-MM-DD)"; the error's field drops the dashes).

    >>> iso_date(" 2026-11-25 ", "on")
    datetime.date(2026, 11, 25)
    >>> iso_date("", "on") is None
    True
    """
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise ValidationError(f"{field}: a date (YYYY-MM-DD) is required", field=field.lstrip("-"))
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{field}: {value!r} is not a date (YYYY-MM-DD)", field=field.lstrip("-")) from None


def parse_bool(text: str | None, field: str = "value") -> bool:
    t = (text or "").strip().lower()
    if t in {"1", "true", "yes", "y", "是", "x", "✓"}:
        return True
    if t in {"", "0", "false", "no", "n", "否", "--"}:
        return False
    raise ValidationError(f"{field}: {text!r} is not yes/no", field=field)


# --- batches (idempotency record) ---------------------------------------------------------


class ImportBatch(OrgScoped, Base):
    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    filename: Mapped[str] = mapped_column(String(300), default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)


def find_batch(s: Session, org_id: int, kind: str, sha256: str) -> ImportBatch | None:
    return s.scalar(select(ImportBatch).where(ImportBatch.org_id == org_id, ImportBatch.kind == kind,
                                              ImportBatch.sha256 == sha256).limit(1))


def record_batch(s: Session, org_id: int, kind: str, filename: str, sha256: str, result: ImportResult, rows: int) -> ImportBatch:
    b = ImportBatch(org_id=org_id, kind=kind, filename=filename[:300], sha256=sha256, rows=rows,
                    imported=result.imported, skipped=result.skipped_duplicates)
    s.add(b)
    s.flush()
    result.batch_id = b.id
    return b

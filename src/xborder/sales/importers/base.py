"""Header-name table reading shared by the order and payout importers (pure: bytes in).

Columns are matched **by header name** (case-, space- and underscore-insensitive), unknown extra
columns are accepted, and missing required columns reject the file with one error naming them
(``marketplaces.md`` §0.3).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from xborder.money import is_currency
from xborder.sales.model import RowError
from xborder.sales.textparse import (
    ParseError,
    decode,
    detect_decimal_separator,
    is_empty,
    parse_datetime,
    parse_decimal,
    split_rows,
)


def norm(name: str) -> str:
    return re.sub(r"[\s_\-\.:/()#]+", "", name.strip().lstrip("\ufeff").lower())


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (physical line number, cells)
    encoding: str

    def index(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i, h in enumerate(self.header):
            out.setdefault(norm(h), i)
        return out


def xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    from xborder.errors import ImportRejected

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or renamed file: the user's error, not ours
        msg = f"not a readable Excel workbook ({type(exc).__name__}: {exc}); save it again as .xlsx or export CSV"
        raise ImportRejected(f"file rejected: {msg}", [{"line": 1, "column": None, "message": msg}]) from None
    ws = wb.worksheets[0]
    out: list[list[str]] = []
    for row in ws.iter_rows(values_only=True):
        cells = []
        for v in row:
            if v is None:
                cells.append("")
            elif isinstance(v, float):
                # Excel stores numbers as binary floats; repr gives the shortest exact text
                cells.append(repr(v) if v != int(v) else str(int(v)))
            elif isinstance(v, datetime):
                cells.append(v.isoformat(sep=" "))
            else:
                cells.append(str(v))
        out.append(cells)
    wb.close()
    return out


def is_xlsx(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def read_table(data: bytes, *, header_hint: Iterable[str] = (), delimiter: str | None = None) -> Table:
    """Find the header row (the first row holding one of ``header_hint``, else the first non-empty
    row) and return the rows after it with their physical line numbers. Blank rows are skipped."""
    if is_xlsx(data):
        raw_rows = xlsx_rows(data)
        encoding = "xlsx"
        numbered = [(i + 1, r) for i, r in enumerate(raw_rows)]
    else:
        text, encoding = decode(data)
        if delimiter is None:
            lines = [ln for ln in text.splitlines() if ln.strip(" ,\t;\"")]
            hints = {norm(h) for h in header_hint}
            head = next((ln for ln in lines if hints and any(norm(c) in hints for c in re.split(r"[\t,;]", ln))),
                        lines[0] if lines else "")
            delimiter = "\t" if head.count("\t") >= max(1, head.count(",")) else ("," if head.count(",") >= head.count(";") else ";")
        rows = split_rows(text, delimiter)
        numbered = []
        line_no = 1
        # csv may merge physical lines inside quotes; count newlines inside cells to keep numbers honest
        for r in rows:
            numbered.append((line_no, r))
            line_no += 1 + sum(c.count("\n") for c in r)
    hints = {norm(h) for h in header_hint}
    start = None
    for idx, (_, r) in enumerate(numbered):
        cells = [c for c in r if c.strip()]
        if not cells:
            continue
        if not hints or any(norm(c) in hints for c in r):
            start = idx
            break
    if start is None:
        return Table([], [], encoding)
    header = [h.strip().lstrip("\ufeff") for h in numbered[start][1]]
    body = [(ln, r) for ln, r in numbered[start + 1:] if any(c.strip() for c in r)]
    return Table(header, body, encoding)


class RowReader:
    """Typed access to one row by column name, collecting :class:`RowError`s instead of raising."""

    def __init__(self, table: Table, errors: list[RowError], decimal_sep: dict[str, str] | None = None):
        self.table = table
        self.idx = table.index()
        self.errors = errors
        self.decimal_sep = decimal_sep or {}
        self.line = 0
        self.cells: list[str] = []

    def has(self, *names: str) -> bool:
        return any(norm(n) in self.idx for n in names)

    def col(self, *names: str) -> str | None:
        """The first of ``names`` present in the header (its spelling in the file)."""
        for n in names:
            i = self.idx.get(norm(n))
            if i is not None:
                return self.table.header[i]
        return None

    def bind(self, line: int, cells: list[str]) -> RowReader:
        self.line, self.cells = line, cells
        return self

    def raw(self, name: str) -> str:
        """The cell as written, only stripped of surrounding whitespace ("" when absent)."""
        i = self.idx.get(norm(name))
        return self.cells[i].strip() if i is not None and i < len(self.cells) else ""

    def text(self, *names: str) -> str | None:
        for n in names:
            i = self.idx.get(norm(n))
            if i is not None:
                v = self.cells[i].strip() if i < len(self.cells) else ""
                return None if is_empty(v) else v.lstrip("'")
        return None

    def error(self, column: str | None, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def required(self, *names: str) -> str | None:
        v = self.text(*names)
        if v is None:
            self.error(self.col(*names) or names[0], "required value is empty")
        return v

    def decimal(self, *names: str, required: bool = False) -> Decimal | None:
        col = self.col(*names)
        v = self.text(*names)
        if v is None:
            if required:
                self.error(col or names[0], "required amount is empty")
            return None
        try:
            return parse_decimal(v, self.decimal_sep.get(col or ""))
        except ParseError as e:
            self.error(col, str(e))
            return None

    def when(self, *names: str, formats: tuple[str, ...] = (), dayfirst: bool = False,
             required: bool = False) -> datetime | None:
        col = self.col(*names)
        v = self.text(*names)
        if v is None:
            if required:
                self.error(col or names[0], "required date is empty")
            return None
        try:
            return parse_datetime(v, formats, dayfirst=dayfirst)
        except ParseError as e:
            self.error(col, str(e))
            return None

    def currency(self, *names: str, default: str | None = None, required: bool = True) -> str | None:
        v = self.text(*names)
        if v is None:
            if default:
                return default
            if required:
                self.error(self.col(*names) or names[0], "currency is empty")
            return None
        code = v.strip().upper()
        if not is_currency(code):
            self.error(self.col(*names), f"unknown ISO 4217 currency code {v!r}")
            return None
        return code


def decimal_separators(table: Table, columns: Iterable[str]) -> dict[str, str]:
    """Per money column, the file's decimal separator (decided on all its values)."""
    idx = table.index()
    out: dict[str, str] = {}
    for c in columns:
        i = idx.get(norm(c))
        if i is None:
            continue
        vals = [r[i] for _, r in table.rows if i < len(r)]
        out[table.header[i]] = detect_decimal_separator(vals)
    return out


def file_decimal_separator(table: Table, columns: Iterable[str]) -> dict[str, str]:
    """One separator for all money columns of a file (Amazon settlement files: per marketplace)."""
    idx = table.index()
    vals: list[str] = []
    names = []
    for c in columns:
        i = idx.get(norm(c))
        if i is None:
            continue
        names.append(table.header[i])
        vals.extend(r[i] for _, r in table.rows if i < len(r))
    sep = detect_decimal_separator(vals)
    return {n: sep for n in names}


def missing_columns(table: Table, required: Iterable[tuple[str, ...]]) -> list[str]:
    idx = table.index()
    return [alts[0] for alts in required if not any(norm(a) in idx for a in alts)]


def header_error(table: Table, required: Iterable[tuple[str, ...]], fmt: str) -> list[RowError]:
    if not table.header:
        return [RowError(1, None, f"no header row found for format {fmt}")]
    miss = missing_columns(table, required)
    if miss:
        return [RowError(1, m, f"required column {m!r} is missing for format {fmt}") for m in miss]
    return []


def iter_rows(table: Table, reader: RowReader) -> Iterator[RowReader]:
    for line, cells in table.rows:
        yield reader.bind(line, cells)

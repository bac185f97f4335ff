"""Tables a user can download: one :class:`Table` written as CSV or as an Excel workbook.

Every list page, its API twin and its CLI command build the same ``Table`` (a package's service
function), so the three give the same columns. Rules:

* money and quantities stay exact: a ``Decimal`` is written as its decimal text in CSV and as a
  number cell in XLSX (openpyxl stores the Decimal's digits, never a binary float first);
* CSV is UTF-8 with a byte-order mark, so Excel on a Chinese Windows opens product names right;
* text that a spreadsheet would run as a formula (``=``, ``+``, ``@``, or ``-`` not followed by a
  number; marketplace titles and buyer names come from outside) is kept as text: prefixed with a
  quote in CSV (OWASP "CSV injection"), typed as a string cell in XLSX.

>>> t = Table("orders", ["order", "total"], [["=HYPERLINK(1)", Decimal("12.50")], ["A-1", None]])
>>> t.csv().decode("utf-8-sig").splitlines()
['order,total', "'=HYPERLINK(1),12.50", 'A-1,']
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_NUMBER = re.compile(r"-\d[\d.,]*")
_FORMULA_START = ("=", "+", "@", "\t", "\r")


def _is_formula_like(v: str) -> bool:
    return v.startswith(_FORMULA_START) or (v.startswith("-") and not _NUMBER.fullmatch(v))


def decimal_text(v: Decimal) -> str:
    """Exact, without the store's padding: ``5.9900`` -> ``5.99``, ``899.0000`` -> ``899``, ``5.5`` -> ``5.50``.

    >>> [decimal_text(Decimal(x)) for x in ("5.9900", "899.0000", "5.5", "0.1250", "-3")]
    ['5.99', '899', '5.50', '0.125', '-3']
    """
    if v == v.to_integral_value():
        return format(v.quantize(Decimal(1)), "f")
    s = format(v.normalize(), "f")
    return s + "0" if len(s) - s.index(".") == 2 else s


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, Decimal):
        return decimal_text(v)
    if isinstance(v, (date, datetime)):
        return v.isoformat(sep=" ") if isinstance(v, datetime) else v.isoformat()
    s = str(v)
    return "'" + s if _is_formula_like(s) else s


@dataclass(frozen=True)
class Table:
    """A named table: ``name`` is the file stem and the sheet title; ``columns`` the header row."""

    name: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for i, row in enumerate(self.rows, start=2):
            if len(row) != len(self.columns):
                raise ValueError(f"{self.name}: row {i} has {len(row)} cells for {len(self.columns)} columns")

    def filename(self, fmt: str) -> str:
        """A safe file name: ``payout-12/3 "x"`` -> ``payout-12-3-x.csv``."""
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", self.name).strip("-.")[:80] or "export"
        return f"{stem}.{fmt}"

    def csv(self) -> bytes:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.columns)
        for row in self.rows:
            w.writerow([_text(v) for v in row])
        return buf.getvalue().encode("utf-8-sig")

    def xlsx(self) -> bytes:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook()
        ws = wb.active
        ws.title = re.sub(r"[\\/*?:\[\]]", "-", self.name)[:31]  # characters a sheet title cannot hold
        ws.append(list(self.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        widths = [len(str(c)) for c in self.columns]
        for r, row in enumerate(self.rows, start=2):
            for c, v in enumerate(row, start=1):
                if isinstance(v, bool):
                    v = "yes" if v else "no"
                elif isinstance(v, datetime) and v.tzinfo is not None:
                    v = v.astimezone(UTC).replace(tzinfo=None)  # Excel has no time zones: UTC
                cell = ws.cell(row=r, column=c, value=v)
                if isinstance(v, str) and v.startswith("="):
                    cell.data_type = "s"  # a title, not a formula
                elif isinstance(v, Decimal):
                    cell.number_format = "0" if v == v.to_integral_value() else "0.00##"
                elif isinstance(v, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(v, date):
                    cell.number_format = "yyyy-mm-dd"
                widths[c - 1] = max(widths[c - 1], min(len(_text(v)), 60))
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = w + 2
        ws.freeze_panes = "A2"
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    def encode(self, fmt: str) -> bytes:
        if fmt == "csv":
            return self.csv()
        if fmt == "xlsx":
            return self.xlsx()
        from xborder.errors import ValidationError

        raise ValidationError(f"format: must be csv or xlsx, not {fmt!r}", field="format")


__all__ = ["FORMATS", "MEDIA_TYPES", "Table", "decimal_text"]

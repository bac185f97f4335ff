"""Catalog-wide listing report: one row per SKU x marketplace, written as CSV or XLSX.

Columns: sku, title, marketplace, score, errors, warnings, top findings (rule: message), checked_on,
source (which text was checked: live listing title, draft, SKU name, or a manual check).
CSV is UTF-8 with BOM so Excel on a Chinese Windows opens it correctly.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

HEADER = ["sku", "title", "marketplace", "score", "errors", "warnings", "findings", "checked_on", "source"]


@dataclass(frozen=True)
class ReportRow:
    sku: str
    title: str
    marketplace: str
    score: int
    errors: int
    warnings: int
    findings: str
    checked_on: date
    source: str = "manual"  # listing | draft | sku_name | manual

    def cells(self) -> list:
        return [self.sku, self.title, self.marketplace, self.score, self.errors, self.warnings, self.findings,
                self.checked_on.isoformat(), self.source]

    def to_dict(self) -> dict:
        return dict(zip(HEADER, self.cells(), strict=True))


def findings_text(result, lang: str = "en", limit: int = 5) -> str:
    parts = []
    for f in result.findings[:limit]:
        parts.append(f"[{f.severity}] {f.rule}: {f.message_zh if lang.startswith('zh') else f.message_en}")
    more = len(result.findings) - limit
    if more > 0:
        parts.append(f"(+{more})")
    return " | ".join(parts)


def to_csv(rows: list[ReportRow]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADER)
    for r in rows:
        w.writerow(r.cells())
    return buf.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[ReportRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "listing check"
    ws.append(HEADER)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append(r.cells())
    for col, width in zip("ABCDEFGHI", (16, 50, 14, 7, 7, 9, 100, 12, 10), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()

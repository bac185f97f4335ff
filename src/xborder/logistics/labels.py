"""Printable shipping labels (100 × 150 mm PDF) with a real Code 128 barcode.

Tracking numbers for rate-card carriers follow the UPU S10 layout (2 letters, 8 digits, a
mod-11 check digit, 2-letter country; UPU standard S10): ``XB12345678?CN``. The check digit
weights are 8 6 4 2 3 5 9 7; check = 11 - (sum mod 11), 10 -> 0, 11 -> 5.

The barcode modules come from python-barcode's Code 128 encoder; fpdf2 draws them as bars.

>>> s10_tracking(47312482)
'XB473124829CN'
>>> s10_valid('RR473124829GB') and not s10_valid('RR473124828GB')
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from barcode import Code128
from fpdf import FPDF

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def s10_check(digits: str) -> int:
    total = sum(int(d) * w for d, w in zip(digits, S10_WEIGHTS, strict=True))
    c = 11 - total % 11
    return 0 if c == 10 else 5 if c == 11 else c


def s10_tracking(serial: int, prefix: str = "XB", country: str = "CN") -> str:
    digits = f"{serial % 100_000_000:08d}"
    return f"{prefix}{digits}{s10_check(digits)}{country}"


def s10_valid(number: str) -> bool:
    n = number.strip().upper()
    return len(n) == 13 and n[:2].isalpha() and n[2:11].isdigit() and n[11:].isalpha() and s10_check(n[2:10]) == int(n[10])


def code128_modules(data: str) -> str:
    """The bar/space modules ('1' = bar) of ``data`` in Code 128, quiet zones excluded."""
    return Code128(data).build()[0]


@dataclass(frozen=True)
class LabelData:
    tracking_number: str
    carrier: str
    service: str
    order_ref: str
    ship_from: tuple[str, ...]
    ship_to: tuple[str, ...]
    destination: str
    weight_kg: str
    contents: str = ""
    reference: str = ""


def _latin(text: str) -> str:
    """Core PDF fonts are Latin-1: other characters are replaced (only without a Unicode font)."""
    return text.encode("latin-1", "replace").decode("latin-1")


def _is_latin(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _unicode_font() -> str | None:
    """A font for addresses beyond Latin-1 (Polish, Czech, Cyrillic, Greek, Japanese, Korean,
    Chinese, Vietnamese...): the system's CJK font or WenQuanYi Micro Hei shipped as a wheel
    (``xborder.customs.documents.find_cjk_font``); None without one."""
    try:
        from xborder.customs.documents import find_cjk_font
    except ImportError:
        return None
    path = find_cjk_font()
    return str(path) if path else None


def label_pdf(data: LabelData) -> bytes:
    return labels_pdf([data], title=f"Label {data.tracking_number}")


def labels_pdf(labels: Sequence[LabelData], title: str = "Labels") -> bytes:
    """One 100 × 150 mm page per label, in the given order (a batch printed at once)."""
    pdf = FPDF(unit="mm", format=(100, 150))
    pdf.set_auto_page_break(False)
    pdf.set_margins(5, 5, 5)
    pdf.set_title(title)
    texts = [x for d in labels for x in (d.carrier, d.service, d.order_ref, d.contents, *d.ship_from, *d.ship_to)]
    uni = None
    if not all(_is_latin(x) for x in texts):
        font = _unicode_font()
        if font:
            pdf.add_font("xb-unicode", "", font)
            uni = "xb-unicode"
    for data in labels:
        pdf.add_page()
        _draw(pdf, data, uni)
    return bytes(pdf.output())


def _draw(pdf: FPDF, data: LabelData, uni: str | None = None) -> None:
    def font(style: str, size: float, text: str) -> str:
        """Helvetica for Latin-1 text; the Unicode font (regular only) for the rest."""
        if uni and not _is_latin(text):
            pdf.set_font(uni, "", size)
            return text
        pdf.set_font("Helvetica", style, size)
        return _latin(text)
    pdf.cell(90, 7, font("B", 13, data.carrier)[:40], new_x="LMARGIN", new_y="NEXT")
    pdf.cell(90, 5, font("", 9, data.service)[:60], new_x="LMARGIN", new_y="NEXT")
    pdf.line(5, 19, 95, 19)
    pdf.set_xy(5, 21)
    pdf.set_font("Helvetica", "B", 8)
    pdf.cell(90, 4, "FROM", new_x="LMARGIN", new_y="NEXT")
    for line in data.ship_from[:4]:
        pdf.cell(90, 4, font("", 8, line)[:60], new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(pdf.get_y() + 2)
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(90, 5, "TO", new_x="LMARGIN", new_y="NEXT")
    for line in data.ship_to[:6]:
        pdf.cell(90, 5.5, font("", 11, line)[:45], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 22)
    pdf.set_xy(70, 60)
    pdf.cell(25, 10, data.destination, align="R")
    # barcode
    modules = code128_modules(data.tracking_number)
    width = 86.0
    module_w = width / len(modules)
    x0, y0, h = 7.0, 96.0, 24.0
    i = 0
    while i < len(modules):
        if modules[i] == "1":
            j = i
            while j < len(modules) and modules[j] == "1":
                j += 1
            pdf.rect(x0 + i * module_w, y0, (j - i) * module_w, h, style="F")
            i = j
        else:
            i += 1
    pdf.set_xy(5, y0 + h + 1)
    pdf.set_font("Courier", "B", 12)
    pdf.cell(90, 6, data.tracking_number, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(90, 4, font("", 8, f"Order {data.order_ref}   Weight {data.weight_kg} kg"), new_x="LMARGIN", new_y="NEXT")
    if data.contents:
        pdf.cell(90, 4, font("", 8, f"Contents: {data.contents}")[:70], new_x="LMARGIN", new_y="NEXT")

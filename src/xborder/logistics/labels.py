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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

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


@dataclass(frozen=True)
class Cn22Line:
    description: str
    quantity: str
    weight_kg: Decimal | None  # net weight of the line (all units)
    value: Decimal | None  # value of the line (all units) in the form's currency
    hs_code: str = ""
    origin: str = ""


@dataclass(frozen=True)
class Cn22Data:
    """The UPU customs declaration of a postal item: the CN 22 (UPU Convention Regulations, 2019
    model with the "sale of goods" category) for a small packet worth less than 300 SDR, else the
    CN 23 (``form="CN 23"``: sender's and addressee's addresses, invoice number, postal charges;
    printed on an A4 page to go in the item's document pouch)."""

    operator: str  # the designated postal operator (the card's carrier)
    tracking_number: str
    lines: tuple[Cn22Line, ...]
    currency: str
    total_weight_kg: Decimal
    sender: str
    on: str  # date, YYYY-MM-DD
    category: str = "sale"  # gift | documents | sample | returned | sale | other
    form: str = "CN 22"  # or "CN 23"
    sender_address: tuple[str, ...] = ()
    addressee: tuple[str, ...] = ()  # name, address lines, postcode and country
    invoice_no: str = ""
    postal_charges: str = ""  # "12.50 CNY"
    sender_ref: str = ""  # the sender's customs reference (customs code / USCC)
    why: str = ""  # why this form: the value in SDR and the rate used


CN22_CATEGORIES = (("gift", "Gift"), ("documents", "Documents"), ("sample", "Commercial sample"),
                   ("returned", "Returned goods"), ("sale", "Sale of goods"), ("other", "Other"))


def labels_pdf(labels: Sequence[LabelData | Cn22Data], title: str = "Labels") -> bytes:
    """One 100 × 150 mm page per label or CN 22 (an A4 page per CN 23), in the given order (a
    batch printed at once)."""
    pdf = FPDF(unit="mm", format=(100, 150))
    pdf.set_auto_page_break(False)
    pdf.set_margins(5, 5, 5)
    pdf.set_title(title)
    texts: list[str] = []
    for d in labels:
        if isinstance(d, LabelData):
            texts += [d.carrier, d.service, d.order_ref, d.contents, *d.ship_from, *d.ship_to]
        else:
            texts += [d.operator, d.sender, *d.sender_address, *d.addressee, *(ln.description for ln in d.lines)]
    uni = None
    if not all(_is_latin(x) for x in texts):
        font = _unicode_font()
        if font:
            pdf.add_font("xb-unicode", "", font)
            uni = "xb-unicode"
    for data in labels:
        if isinstance(data, LabelData):
            pdf.add_page()
            _draw(pdf, data, uni)
        elif data.form == "CN 23":
            pdf.add_page(format="A4")
            _draw_cn23(pdf, data, uni)
        else:
            pdf.add_page()
            _draw_cn22(pdf, data, uni)
    return bytes(pdf.output())


def _font(pdf: FPDF, uni: str | None, style: str, size: float, text: str) -> str:
    """Sets the font for ``text`` and returns what to print: Helvetica for Latin-1 text, the
    Unicode font (regular only) for the rest, or Latin-1 with replacements without one."""
    if uni and not _is_latin(text):
        pdf.set_font(uni, "", size)
        return text
    pdf.set_font("Helvetica", style, size)
    return _latin(text)


def _money(v: Decimal | None) -> str:
    return "" if v is None else format(v.quantize(Decimal("0.01")), "f")


def _categories(pdf: FPDF, chosen: str, font: Callable[[str, float, str], str], *, x0: float, y0: float,
                step_x: float, step_y: float, box: float, size: float) -> None:
    """The six UPU item categories as tick-boxes in two rows of three, ``chosen`` crossed."""
    for i, (key, label) in enumerate(CN22_CATEGORIES):
        x = x0 + (i % 3) * step_x
        y = y0 + (i // 3) * step_y  # the box's top
        pdf.rect(x, y, box, box)
        if key == chosen:
            pdf.line(x, y, x + box, y + box)
            pdf.line(x, y + box, x + box, y)
        pdf.set_xy(x + box + 0.8, y - (4.2 - box) / 2)
        pdf.cell(step_x - box - 2, 4.2, font("", size, label))


def _draw_cn22(pdf: FPDF, d: Cn22Data, uni: str | None = None) -> None:
    def font(style: str, size: float, text: str) -> str:
        return _font(pdf, uni, style, size, text)

    pdf.rect(4, 4, 92, 142)
    pdf.set_xy(5, 5)
    pdf.cell(60, 6, font("B", 12, "CUSTOMS DECLARATION"))
    pdf.cell(30, 6, font("B", 14, "CN 22"), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(90, 4, font("", 7, "May be opened officially"), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(90, 4, font("", 7, f"Designated operator: {d.operator}")[:80], new_x="LMARGIN", new_y="NEXT")
    pdf.cell(90, 4, font("", 7, f"Item: {d.tracking_number}"), new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 1
    _categories(pdf, d.category, font, x0=6, y0=y + 0.8, step_x=30, step_y=5, box=2.6, size=7)
    y += 11
    pdf.line(4, y, 96, y)
    top = y + 0.5
    pdf.set_xy(5, top)
    pdf.multi_cell(54, 3.2, font("B", 6.5, "Quantity and detailed description of contents (1)"))
    pdf.set_xy(59, top)
    pdf.multi_cell(16, 3.2, font("B", 6.5, "Weight (kg) (2)"), align="R")
    pdf.set_xy(75, top)
    pdf.multi_cell(20, 3.2, font("B", 6.5, f"Value (3) {d.currency}"), align="R")
    y = top + 7.5  # the headings take two lines
    shown = d.lines[:5]
    for ln in shown:
        pdf.set_xy(5, y)
        pdf.cell(54, 4, font("", 7.5, f"{ln.quantity} x {ln.description}")[:40])
        pdf.cell(16, 4, font("", 7.5, "" if ln.weight_kg is None else format(ln.weight_kg.normalize(), "f")), align="R")
        pdf.cell(20, 4, font("", 7.5, _money(ln.value)), align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_x(8)
        pdf.cell(82, 3.5, font("", 6.5, f"HS tariff number (4): {ln.hs_code or '-'}    Country of origin (5): {ln.origin or '-'}"),
                 new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y() + 0.8
    if len(d.lines) > len(shown):
        pdf.set_xy(5, y)
        pdf.cell(90, 4, font("", 7, f"... and {len(d.lines) - len(shown)} more line(s): see the commercial invoice"),
                 new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y() + 0.8
    y = max(y, 104)
    pdf.line(4, y, 96, y)
    values = [ln.value for ln in d.lines]
    total = sum((v for v in values if v is not None), Decimal(0)) if values and all(v is not None for v in values) else None
    pdf.set_xy(5, y + 1)
    pdf.cell(54, 4, font("B", 7.5, "Total weight (kg) (6) / Total value (7)"))
    pdf.cell(16, 4, font("B", 7.5, format(d.total_weight_kg.normalize(), "f")), align="R")
    pdf.cell(20, 4, font("B", 7.5, _money(total)), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(pdf.get_y() + 1.5)
    pdf.multi_cell(90, 3, font("", 6, "I, the undersigned, whose name and address are given on the item, certify that the "
                                      "particulars given in this declaration are correct and that this item does not contain "
                                      "any dangerous article or articles prohibited by legislation or by postal or customs "
                                      "regulations."), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(pdf.get_y() + 2)
    pdf.cell(90, 4, font("", 7.5, f"Date and sender's signature (8): {d.on}"), new_x="LMARGIN", new_y="NEXT")
    pdf.cell(90, 4, font("", 7.5, d.sender)[:60], new_x="LMARGIN", new_y="NEXT")
    pdf.line(40, pdf.get_y() + 7, 95, pdf.get_y() + 7)


CN23_CERTIFICATE = ("I certify that the particulars given in this customs declaration are correct and that this item "
                    "does not contain any dangerous article or articles prohibited by legislation or by postal or "
                    "customs regulations. I have met all applicable export filing requirements under the applicable "
                    "laws and regulations.")


def _draw_cn23(pdf: FPDF, d: Cn22Data, uni: str | None = None) -> None:
    """The CN 23 on an A4 page (UPU 2019 model; boxes numbered as on the form)."""

    def font(style: str, size: float, text: str) -> str:
        return _font(pdf, uni, style, size, text)

    left, width = 12.0, 186.0
    pdf.set_margins(left, 10, 12)
    pdf.set_xy(left, 10)
    pdf.cell(120, 8, font("B", 14, "CUSTOMS DECLARATION"))
    pdf.cell(66, 8, font("B", 18, "CN 23"), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(120, 5, font("", 8, "May be opened officially"))
    pdf.cell(66, 5, font("", 8, f"Designated operator: {d.operator}")[:60], align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 5, font("B", 9, f"Item no.: {d.tracking_number}"), new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 1
    half = width / 2
    for col, (title, lines, ref) in enumerate((("From (sender)", (d.sender, *d.sender_address), d.sender_ref),
                                               ("To (addressee)", d.addressee, ""))):
        x = left + col * half
        pdf.rect(x, top, half, 34)
        pdf.set_xy(x + 1.5, top + 1)
        pdf.cell(half - 3, 4, font("B", 8, title), new_x="LEFT", new_y="NEXT")
        for line in [ln for ln in lines if ln][:5]:
            pdf.cell(half - 3, 4.5, font("", 9, line)[:52], new_x="LEFT", new_y="NEXT")
        if ref:
            pdf.set_xy(x + 1.5, top + 28.5)
            pdf.cell(half - 3, 4, font("", 7.5, f"Sender's customs reference: {ref}")[:70])
    y = top + 36
    cols = ((68, "Detailed description of contents (1)", "L"), (18, "Quantity (2)", "R"), (22, "Net weight (kg) (3)", "R"),
            (24, f"Value (4) {d.currency}", "R"), (30, "HS tariff number (5)", "L"), (24, "Country of origin (6)", "L"))
    x = left
    for w, head, _ in cols:
        pdf.rect(x, y, w, 9)
        pdf.set_xy(x + 0.8, y + 0.6)
        pdf.multi_cell(w - 1.6, 3.8, font("B", 7.5, head), align="L")
        x += w
    y += 9
    shown = d.lines[:14]
    for ln in shown:
        cells = (ln.description, ln.quantity, "" if ln.weight_kg is None else format(ln.weight_kg.normalize(), "f"),
                 _money(ln.value), ln.hs_code, ln.origin)
        x = left
        for (w, _, align), text in zip(cols, cells, strict=True):
            pdf.rect(x, y, w, 6.5)
            pdf.set_xy(x + 0.8, y + 1)
            pdf.cell(w - 1.6, 4.5, font("", 8.5, text)[: int(w / 1.7)], align=align)
            x += w
        y += 6.5
    if len(d.lines) > len(shown):
        pdf.set_xy(left, y + 0.5)
        pdf.cell(width, 4.5, font("", 8, f"... and {len(d.lines) - len(shown)} more line(s): see the attached commercial invoice"))
        y += 5.5
    line_values = [ln.value for ln in d.lines]
    total = sum((v for v in line_values if v is not None), Decimal(0)) if line_values and None not in line_values else None
    y += 1.5
    third = width / 3
    for i, (head, text) in enumerate((("Total gross weight (kg) (7)", format(d.total_weight_kg.normalize(), "f")),
                                      (f"Total value (8) {d.currency}", _money(total)),
                                      ("Postal charges/fees (9)", d.postal_charges))):
        x = left + i * third
        pdf.rect(x, y, third, 11)
        pdf.set_xy(x + 1.5, y + 1)
        pdf.cell(third - 3, 4, font("B", 7.5, head), new_x="LEFT", new_y="NEXT")
        pdf.cell(third - 3, 5, font("", 10, text), align="R")
    y += 13
    pdf.rect(left, y, width, 13)
    pdf.set_xy(left + 1.5, y + 1)
    pdf.cell(40, 4, font("B", 7.5, "Category of item (10)"))
    _categories(pdf, d.category, font, x0=left + 42, y0=y + 2.1, step_x=46, step_y=5.5, box=3, size=8)
    y += 15
    for i, (head, text) in enumerate((("Licence no(s). (12)", ""), ("Certificate no(s). (13)", ""), ("Invoice no. (14)", d.invoice_no))):
        x = left + i * third
        pdf.rect(x, y, third, 11)
        pdf.set_xy(x + 1.5, y + 1)
        pdf.cell(third - 3, 4, font("B", 7.5, head), new_x="LEFT", new_y="NEXT")
        pdf.cell(third - 3, 5, font("", 9, text)[:34])
    y += 13
    pdf.rect(left, y, width, 12)
    pdf.set_xy(left + 1.5, y + 1)
    pdf.cell(width - 3, 4, font("B", 7.5, "Comments (11): e.g. goods subject to quarantine, sanitary/phytosanitary inspection or other "
                                          "restrictions"), new_x="LEFT", new_y="NEXT")
    y += 14
    pdf.rect(left, y, half, 20)
    pdf.set_xy(left + 1.5, y + 1)
    pdf.cell(half - 3, 4, font("B", 7.5, "Office of origin / Date of posting (15)"), new_x="LEFT", new_y="NEXT")
    pdf.rect(left + half, y, half, 20)
    pdf.set_xy(left + half + 1.5, y + 1)
    pdf.multi_cell(half - 3, 3.2, font("", 6.5, CN23_CERTIFICATE), align="L")
    pdf.set_x(left + half + 1.5)
    pdf.cell(half - 3, 4.5, font("B", 8, f"Date and sender's signature (16): {d.on}"))
    y += 22
    if d.why:
        pdf.set_xy(left, y)
        pdf.multi_cell(width, 3.6, font("", 7, d.why), align="L")
    pdf.set_margins(5, 5, 5)


def _draw(pdf: FPDF, data: LabelData, uni: str | None = None) -> None:
    def font(style: str, size: float, text: str) -> str:
        return _font(pdf, uni, style, size, text)

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

"""Commercial invoice and packing list per shipment, as PDF (fpdf2) and XLSX (openpyxl).

Content follows the research notes (customs.md (f)): the US model 19 CFR 141.86 (seller,
buyer, port of entry, detailed description, quantities, unit and total price in the
transaction currency, charges itemised, country of origin) plus what e-commerce parcels need:
an HS code per line (6 digits at least), the seller's IOSS or UK VAT number, EORI, the
incoterm, the reason for export, the currency and a signed certification. The packing list
gives packages with marks and numbers, contents per package, net and gross weights and
dimensions (CBM), and reconciles with the invoice (same quantities and weights).

Language: the XLSX files are bilingual (English / 中文), and so is the PDF: it uses a system CJK
font when there is one, else WenQuanYi Micro Hei shipped in the pinned ``paperang-p2-fonts-cjk``
wheel (:func:`find_cjk_font`; fpdf2 embeds only the glyphs used, ~10 KB per document). Without
either (the wheel removed) it is English-only and Chinese names are left out (never printed as
missing glyphs).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from xborder.errors import ValidationError
from xborder.money import dec_str, minor_units, quantize

CJK_FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
UNICODE_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)


def find_font(candidates: Iterable[str]) -> Path | None:
    for c in candidates:
        p = Path(c)
        if p.is_file():
            return p
    return None


def shipped_cjk_font() -> Path | None:
    """WenQuanYi Micro Hei (文泉驿微米黑; Apache-2.0 or GPL-3.0 with the font exception) from the
    ``paperang-p2-fonts-cjk`` wheel, a dependency: no system package or download needed."""
    try:
        import paperang_p2_fonts_cjk
    except ImportError:
        return None
    p = Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"
    return p if p.is_file() else None


def find_cjk_font() -> Path | None:
    """A font with Chinese glyphs: the system's when installed, else the one shipped as a wheel."""
    return find_font(CJK_FONT_CANDIDATES) or shipped_cjk_font()


@dataclass(frozen=True)
class DocParty:
    name: str
    address: str = ""
    country: str = ""
    phone: str = ""
    email: str = ""
    tax_ids: tuple[tuple[str, str], ...] = ()  # (label, value): ("IOSS", "IM2760000001"), ("EORI", ...)
    name_zh: str = ""


@dataclass(frozen=True)
class DocLine:
    sku: str
    description: str
    hs_code: str
    origin: str
    quantity: Decimal
    unit_price: Decimal
    net_weight_kg: Decimal  # per unit
    description_zh: str = ""
    material: str = ""  # fibre content / material (textiles need it: 19 CFR 141.89)
    package: int = 1  # package number this line is packed in
    unit: str = "pcs"

    @property
    def total(self) -> Decimal:
        return self.quantity * self.unit_price

    @property
    def net_total_kg(self) -> Decimal:
        return self.quantity * self.net_weight_kg


@dataclass(frozen=True)
class Package:
    number: int
    gross_weight_kg: Decimal
    length_cm: Decimal = Decimal(0)
    width_cm: Decimal = Decimal(0)
    height_cm: Decimal = Decimal(0)
    marks: str = ""
    kind: str = "carton"

    @property
    def cbm(self) -> Decimal:
        return self.length_cm * self.width_cm * self.height_cm / Decimal(1_000_000)


@dataclass(frozen=True)
class ShipmentDocs:
    invoice_no: str
    invoice_date: date
    seller: DocParty
    buyer: DocParty
    currency: str
    incoterm: str
    lines: tuple[DocLine, ...]
    packages: tuple[Package, ...]
    destination: str
    shipping: Decimal = Decimal(0)
    insurance: Decimal = Decimal(0)
    other_charges: tuple[tuple[str, Decimal], ...] = ()
    port_of_entry: str = ""
    reason: str = "Sale of goods (e-commerce)"
    order_no: str = ""
    tracking_no: str = ""
    carrier: str = ""
    signatory: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def goods_total(self) -> Decimal:
        return sum((ln.total for ln in self.lines), Decimal(0))

    @property
    def charges_total(self) -> Decimal:
        return self.shipping + self.insurance + sum((a for _, a in self.other_charges), Decimal(0))

    @property
    def invoice_total(self) -> Decimal:
        return self.goods_total + self.charges_total

    @property
    def net_weight(self) -> Decimal:
        return sum((ln.net_total_kg for ln in self.lines), Decimal(0))

    @property
    def gross_weight(self) -> Decimal:
        return sum((p.gross_weight_kg for p in self.packages), Decimal(0))


def validate_docs(doc: ShipmentDocs) -> list[dict[str, str]]:
    """Problems that would make the documents disagree with each other or with customs."""
    out: list[dict[str, str]] = []

    def bad(f: str, m: str) -> None:
        out.append({"field": f, "message": m})

    if not doc.invoice_no:
        bad("invoice_no", "required")
    if not doc.seller.name:
        bad("seller.name", "required")
    if not doc.buyer.name:
        bad("buyer.name", "required")
    if not doc.lines:
        bad("lines", "at least one line")
    numbers = {p.number for p in doc.packages}
    if not doc.packages:
        bad("packages", "at least one package")
    for i, ln in enumerate(doc.lines):
        f = f"lines[{i}]"
        if not (ln.hs_code.isdigit() and len(ln.hs_code) >= 6):
            bad(f"{f}.hs_code", "at least the 6-digit HS code (EU postal items and most carriers require it)")
        if len(ln.origin) != 2:
            bad(f"{f}.origin", "ISO alpha-2 country of origin")
        if not ln.description:
            bad(f"{f}.description", "a detailed English description is required")
        if ln.quantity <= 0:
            bad(f"{f}.quantity", "must be positive")
        if ln.unit_price < 0:
            bad(f"{f}.unit_price", "must not be negative")
        if ln.package not in numbers:
            bad(f"{f}.package", f"package {ln.package} is not in the packing list")
        if ln.hs_code[:2] in {str(c) for c in range(50, 64)} and not ln.material:
            bad(f"{f}.material", "textiles need the fibre content (19 CFR 141.89)")
    for j, p in enumerate(doc.packages):
        net = sum((ln.net_total_kg for ln in doc.lines if ln.package == p.number), Decimal(0))
        if p.gross_weight_kg < net:
            bad(f"packages[{j}].gross_weight_kg", f"gross {dec_str(p.gross_weight_kg)} kg < net contents {dec_str(net)} kg")
        if not any(ln.package == p.number for ln in doc.lines):
            bad(f"packages[{j}]", "empty package")
    return out


def require_valid(doc: ShipmentDocs) -> None:
    problems = validate_docs(doc)
    if problems:
        raise ValidationError(
            "documents: " + "; ".join(f"{p['field']}: {p['message']}" for p in problems),
            field=problems[0]["field"],
            problems=problems,
        )


def _m(doc: ShipmentDocs, x: Decimal) -> str:
    return dec_str(quantize(x, minor_units(doc.currency)))


def _kg(x: Decimal) -> str:
    return dec_str(quantize(x, 3))


CERTIFICATION = (
    "I declare that the information on this invoice is true and correct and that the contents of this "
    "shipment are as stated above."
)


# ---- PDF -----------------------------------------------------------------------------------------

class _Pdf:
    def __init__(self) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(orientation="P", unit="mm", format="A4")
        self.pdf.set_auto_page_break(True, margin=15)
        self.pdf.add_page()
        self.cjk = find_cjk_font()
        uni = self.cjk or find_font(UNICODE_FONT_CANDIDATES)
        if uni is not None:
            self.pdf.add_font("Doc", "", str(uni))
            self.family = "Doc"
            self.unicode = True
        else:
            self.family = "Helvetica"
            self.unicode = False

    def text(self, s: str) -> str:
        if self.unicode:
            if self.cjk is None:
                # a Latin font: keep what it can show, drop CJK (English-only document)
                return "".join(ch for ch in s if not ("\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"))
            return s
        return s.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False) -> None:
        style = "B" if bold and self.family == "Helvetica" else ""
        self.pdf.set_font(self.family, style, size)

    def title(self, en: str, zh: str) -> None:
        self.font(16, True)
        self.pdf.cell(0, 9, self.text(en + (f"  {zh}" if self.cjk else "")), new_x="LMARGIN", new_y="NEXT")

    def kv(self, rows: list[tuple[str, str]]) -> None:
        self.font(8.5)
        for k, v in rows:
            if v:
                self.pdf.multi_cell(0, 4.5, self.text(f"{k}: {v}"), new_x="LMARGIN", new_y="NEXT")

    def party(self, label: str, p: DocParty) -> list[tuple[str, str]]:
        ids = ", ".join(f"{k} {v}" for k, v in p.tax_ids)
        name = p.name + (f" ({p.name_zh})" if p.name_zh and self.cjk else "")
        return [(label, name), ("Address", f"{p.address} {p.country}".strip()), ("Contact", " ".join(x for x in (p.phone, p.email) if x)),
                ("Tax IDs", ids)]

    def table(self, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
        self.font(7.5, True)
        for h, w in zip(header, widths, strict=True):
            self.pdf.cell(w, 6, self.text(h), border=1)
        self.pdf.ln()
        self.font(7.5)
        for row in rows:
            for cell, w in zip(row, widths, strict=True):
                t = self.text(cell)
                while t and self.pdf.get_string_width(t) > w - 1.5:
                    t = t[:-1]
                self.pdf.cell(w, 5.5, t, border=1)
            self.pdf.ln()

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


def invoice_pdf(doc: ShipmentDocs) -> bytes:
    return invoices_pdf([doc])


def invoices_pdf(docs: Iterable[ShipmentDocs]) -> bytes:
    """Commercial invoices, each starting on a new A4 page (a day's express parcels printed at once)."""
    p: _Pdf | None = None
    for doc in docs:
        require_valid(doc)
        if p is None:
            p = _Pdf()
        else:
            p.pdf.add_page()
        _invoice(p, doc)
    if p is None:
        raise ValidationError("documents: no invoice to print", field="shipments")
    return p.bytes()


def _invoice(p: _Pdf, doc: ShipmentDocs) -> None:
    p.title("COMMERCIAL INVOICE", "商业发票")
    p.kv([("Invoice no.", doc.invoice_no), ("Date", doc.invoice_date.isoformat()), ("Order no.", doc.order_no),
          ("Incoterm", doc.incoterm), ("Currency", doc.currency), ("Reason for export", doc.reason),
          ("Destination", doc.destination), ("Port of entry", doc.port_of_entry),
          ("Carrier / tracking", " ".join(x for x in (doc.carrier, doc.tracking_no) if x))])
    p.pdf.ln(2)
    p.kv(p.party("Seller / exporter", doc.seller))
    p.pdf.ln(1)
    p.kv(p.party("Buyer / consignee", doc.buyer))
    p.pdf.ln(3)
    rows = [[str(i), ln.sku, ln.description + (f" ({ln.material})" if ln.material else ""), ln.hs_code, ln.origin,
             f"{dec_str(ln.quantity)} {ln.unit}", _m(doc, ln.unit_price), _m(doc, ln.total), _kg(ln.net_total_kg)]
            for i, ln in enumerate(doc.lines, start=1)]
    p.table(["#", "SKU", "Description", "HS code", "Origin", "Qty", "Unit price", "Total", "Net kg"], rows,
            [7, 22, 62, 18, 11, 16, 18, 18, 14])
    p.pdf.ln(2)
    charges = [("Goods total", _m(doc, doc.goods_total)), ("Freight", _m(doc, doc.shipping)),
               ("Insurance", _m(doc, doc.insurance))]
    charges += [(k, _m(doc, v)) for k, v in doc.other_charges]
    charges += [("Invoice total", f"{_m(doc, doc.invoice_total)} {doc.currency}"),
                ("Packages / gross / net", f"{len(doc.packages)} / {_kg(doc.gross_weight)} kg / {_kg(doc.net_weight)} kg")]
    p.kv(charges)
    for n in doc.notes:
        p.kv([("Note", n)])
    p.pdf.ln(4)
    p.kv([("Certification", CERTIFICATION), ("Signature", doc.signatory or "______________________"),
          ("Date", doc.invoice_date.isoformat())])


def packing_pdf(doc: ShipmentDocs) -> bytes:
    require_valid(doc)
    p = _Pdf()
    p.title("PACKING LIST", "装箱单")
    p.kv([("Invoice no.", doc.invoice_no), ("Date", doc.invoice_date.isoformat()), ("Order no.", doc.order_no),
          ("Carrier / tracking", " ".join(x for x in (doc.carrier, doc.tracking_no) if x))])
    p.kv(p.party("Shipper", doc.seller))
    p.kv(p.party("Consignee", doc.buyer))
    p.pdf.ln(3)
    rows: list[list[str]] = []
    for pk in doc.packages:
        contents = [ln for ln in doc.lines if ln.package == pk.number]
        for k, ln in enumerate(contents):
            rows.append([
                str(pk.number) if k == 0 else "", pk.marks if k == 0 else "", ln.sku, ln.description, ln.hs_code,
                dec_str(ln.quantity), _kg(ln.net_total_kg),
                _kg(pk.gross_weight_kg) if k == 0 else "",
                f"{dec_str(pk.length_cm)}x{dec_str(pk.width_cm)}x{dec_str(pk.height_cm)}" if k == 0 and pk.cbm else "",
            ])
    p.table(["Pkg", "Marks", "SKU", "Contents", "HS code", "Qty", "Net kg", "Gross kg", "L x W x H cm"], rows,
            [10, 22, 22, 52, 17, 11, 15, 16, 21])
    p.pdf.ln(2)
    cbm = sum((pk.cbm for pk in doc.packages), Decimal(0))
    p.kv([("Total packages", str(len(doc.packages))), ("Total net weight", f"{_kg(doc.net_weight)} kg"),
          ("Total gross weight", f"{_kg(doc.gross_weight)} kg"), ("Total volume", f"{dec_str(quantize(cbm, 4))} CBM")])
    return p.bytes()


# ---- XLSX ----------------------------------------------------------------------------------------

def _xlsx_header(ws, title: str, doc: ShipmentDocs) -> int:  # type: ignore[no-untyped-def]
    from openpyxl.styles import Font

    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    rows = [
        ("Invoice no. 发票号", doc.invoice_no), ("Date 日期", doc.invoice_date.isoformat()), ("Order no. 订单号", doc.order_no),
        ("Incoterm 成交方式", doc.incoterm), ("Currency 币制", doc.currency), ("Destination 目的国", doc.destination),
        ("Port of entry 入境口岸", doc.port_of_entry), ("Reason for export 出口原因", doc.reason),
        ("Seller 卖方", f"{doc.seller.name} {doc.seller.name_zh}".strip()), ("Seller address 卖方地址", doc.seller.address),
        ("Seller tax IDs 卖方税号", ", ".join(f"{k} {v}" for k, v in doc.seller.tax_ids)),
        ("Buyer 买方", doc.buyer.name), ("Buyer address 买方地址", f"{doc.buyer.address} {doc.buyer.country}".strip()),
        ("Buyer tax IDs 买方税号", ", ".join(f"{k} {v}" for k, v in doc.buyer.tax_ids)),
        ("Carrier / tracking 承运人/运单号", " ".join(x for x in (doc.carrier, doc.tracking_no) if x)),
    ]
    for k, v in rows:
        ws.append([k, v])
    ws.append([])
    return ws.max_row


def _bold_row(ws, row: int) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.styles import Font

    for c in ws[row]:
        c.font = Font(bold=True)


def invoice_xlsx(doc: ShipmentDocs) -> bytes:
    require_valid(doc)
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Invoice 发票"
    _xlsx_header(ws, "COMMERCIAL INVOICE 商业发票", doc)
    ws.append(["# 序号", "SKU", "Description 品名(英文)", "品名(中文)", "Material 材质", "HS code 商品编码", "Origin 原产国",
               "Qty 数量", "Unit 单位", "Unit price 单价", "Total 总价", "Net kg 净重"])
    _bold_row(ws, ws.max_row)
    for i, ln in enumerate(doc.lines, start=1):
        ws.append([i, ln.sku, ln.description, ln.description_zh, ln.material, ln.hs_code, ln.origin,
                   dec_str(ln.quantity), ln.unit, _m(doc, ln.unit_price), _m(doc, ln.total), _kg(ln.net_total_kg)])
        for col in (8, 10, 11, 12):  # keep exact decimals as text, right-aligned
            ws.cell(ws.max_row, col).number_format = "@"
    ws.append([])
    ws.append(["Goods total 货值", _m(doc, doc.goods_total)])
    ws.append(["Freight 运费", _m(doc, doc.shipping)])
    ws.append(["Insurance 保费", _m(doc, doc.insurance)])
    for k, v in doc.other_charges:
        ws.append([k, _m(doc, v)])
    ws.append(["Invoice total 发票总额", _m(doc, doc.invoice_total), doc.currency])
    ws.append(["Packages 件数", len(doc.packages)])
    ws.append(["Gross weight 毛重 (kg)", _kg(doc.gross_weight)])
    ws.append(["Net weight 净重 (kg)", _kg(doc.net_weight)])
    ws.append([])
    ws.append(["Certification 声明", CERTIFICATION])
    ws.append(["Signature 签字", doc.signatory])
    for col, width in zip("ABCDEFGHIJKL", (24, 14, 40, 20, 18, 14, 10, 8, 8, 12, 12, 10), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def packing_xlsx(doc: ShipmentDocs) -> bytes:
    require_valid(doc)
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Packing list 装箱单"
    _xlsx_header(ws, "PACKING LIST 装箱单", doc)
    ws.append(["Package 箱号", "Marks 唛头", "Kind 包装", "SKU", "Contents 内容", "品名", "HS code", "Qty 数量",
               "Net kg 净重", "Gross kg 毛重", "L cm", "W cm", "H cm", "CBM 体积"])
    _bold_row(ws, ws.max_row)
    for pk in doc.packages:
        for ln in (ln for ln in doc.lines if ln.package == pk.number):
            ws.append([pk.number, pk.marks, pk.kind, ln.sku, ln.description, ln.description_zh, ln.hs_code,
                       dec_str(ln.quantity), _kg(ln.net_total_kg), _kg(pk.gross_weight_kg), dec_str(pk.length_cm),
                       dec_str(pk.width_cm), dec_str(pk.height_cm), dec_str(quantize(pk.cbm, 4))])
    ws.append([])
    ws.append(["Total packages 总件数", len(doc.packages)])
    ws.append(["Total net weight 总净重 (kg)", _kg(doc.net_weight)])
    ws.append(["Total gross weight 总毛重 (kg)", _kg(doc.gross_weight)])
    ws.append(["Total volume 总体积 (CBM)", dec_str(quantize(sum((p.cbm for p in doc.packages), Decimal(0)), 4))])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---- input -----------------------------------------------------------------------------------------

def _d(v: object, f: str, default: str | None = None) -> Decimal:
    if v is None or v == "":
        if default is None:
            raise ValidationError(f"{f}: required", field=f)
        v = default
    if isinstance(v, float):
        raise ValidationError(f"{f}: a decimal string, not a float", field=f)
    try:
        return Decimal(str(v))
    except Exception:  # noqa: BLE001
        raise ValidationError(f"{f}: {v!r} is not a number", field=f) from None


def _party(v: object, f: str) -> DocParty:
    if not isinstance(v, dict):
        raise ValidationError(f"{f}: an object with name, address, country", field=f)
    ids = v.get("tax_ids") or {}
    return DocParty(str(v.get("name") or ""), str(v.get("address") or ""), str(v.get("country") or ""),
                    str(v.get("phone") or ""), str(v.get("email") or ""),
                    tuple((str(k), str(x)) for k, x in (ids.items() if isinstance(ids, dict) else [])),
                    str(v.get("name_zh") or ""))


def parse_docs(data: dict) -> ShipmentDocs:
    """Documents from an explicit JSON input (see docs/customs.md for the format)."""
    if not isinstance(data, dict):
        raise ValidationError("input: a JSON object", field="input")
    try:
        day = date.fromisoformat(str(data.get("invoice_date") or ""))
    except ValueError:
        raise ValidationError("invoice_date: ISO date required", field="invoice_date") from None
    lines = []
    for i, ln in enumerate(data.get("lines") or []):
        f = f"lines[{i}]"
        lines.append(DocLine(
            sku=str(ln.get("sku") or ""), description=str(ln.get("description") or ""),
            hs_code="".join(c for c in str(ln.get("hs_code") or "") if c.isdigit()),
            origin=str(ln.get("origin") or "").upper(), quantity=_d(ln.get("quantity"), f"{f}.quantity"),
            unit_price=_d(ln.get("unit_price"), f"{f}.unit_price"),
            net_weight_kg=_d(ln.get("net_weight_kg"), f"{f}.net_weight_kg", "0"),
            description_zh=str(ln.get("description_zh") or ""), material=str(ln.get("material") or ""),
            package=int(ln.get("package") or 1), unit=str(ln.get("unit") or "pcs"),
        ))
    packages = []
    for j, pk in enumerate(data.get("packages") or [{"number": 1}]):
        f = f"packages[{j}]"
        gross = pk.get("gross_weight_kg")
        if gross in (None, ""):
            net = sum((ln.net_total_kg for ln in lines if ln.package == int(pk.get("number") or j + 1)), Decimal(0))
            gross_d = net
        else:
            gross_d = _d(gross, f"{f}.gross_weight_kg")
        packages.append(Package(int(pk.get("number") or j + 1), gross_d, _d(pk.get("length_cm"), f"{f}.length_cm", "0"),
                                _d(pk.get("width_cm"), f"{f}.width_cm", "0"), _d(pk.get("height_cm"), f"{f}.height_cm", "0"),
                                str(pk.get("marks") or ""), str(pk.get("kind") or "carton")))
    other = tuple((str(k), _d(v, f"other_charges.{k}")) for k, v in (data.get("other_charges") or {}).items())
    return ShipmentDocs(
        invoice_no=str(data.get("invoice_no") or ""), invoice_date=day,
        seller=_party(data.get("seller"), "seller"), buyer=_party(data.get("buyer"), "buyer"),
        currency=str(data.get("currency") or "USD").upper(), incoterm=str(data.get("incoterm") or "DAP").upper(),
        lines=tuple(lines), packages=tuple(packages), destination=str(data.get("destination") or "").upper(),
        shipping=_d(data.get("shipping"), "shipping", "0"), insurance=_d(data.get("insurance"), "insurance", "0"),
        other_charges=other, port_of_entry=str(data.get("port_of_entry") or ""),
        reason=str(data.get("reason") or "Sale of goods (e-commerce)"), order_no=str(data.get("order_no") or ""),
        tracking_no=str(data.get("tracking_no") or ""), carrier=str(data.get("carrier") or ""),
        signatory=str(data.get("signatory") or ""), notes=tuple(str(n) for n in data.get("notes") or []),
    )


def sample_input() -> dict:
    return {
        "invoice_no": "INV-2026-0001", "invoice_date": "2026-11-24", "order_no": "SO20261124001",
        "currency": "EUR", "incoterm": "DDP", "destination": "DE", "port_of_entry": "Frankfurt (FRA)",
        "shipping": "5.00", "insurance": "0.00", "carrier": "Example Express", "tracking_no": "LP00123456789CN",
        "seller": {"name": "Hangzhou Example Trading Co., Ltd.", "name_zh": "杭州示例贸易有限公司",
                   "address": "1 Example Road, Hangzhou", "country": "CN",
                   "tax_ids": {"IOSS": "IM2760000001", "USCC": "91330100MA2XXXXXXX"}},
        "buyer": {"name": "Erika Mustermann", "address": "Musterstr. 1, 10115 Berlin", "country": "DE"},
        "lines": [{"sku": "TS-WHT-M", "description": "Men's T-shirt, knitted", "description_zh": "男式针织T恤",
                   "material": "100% cotton, knitted", "hs_code": "610910", "origin": "CN", "quantity": "2",
                   "unit_price": "15.00", "net_weight_kg": "0.2", "package": 1}],
        "packages": [{"number": 1, "gross_weight_kg": "0.45", "length_cm": "30", "width_cm": "20", "height_cm": "5",
                      "marks": "XB/DE/1-1"}],
        "signatory": "Li Wei, export manager",
    }

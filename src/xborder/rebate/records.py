"""Validation of declaration, invoice and receipt rows (pure), shared by importers, API and UI.

Each ``parse_*`` takes a mapping of column → text (English or Chinese column names) and returns
a validated value object, or raises :class:`~xborder.errors.ValidationError` naming the field.

* 报关单 (export declaration): 18-character number, export date, 4-digit trade mode (0110 general
  trade, 9610, 9710, 9810, 1210, …), currency, and per line the 10-digit commodity code (optionally
  with its 2–3 digit 文库 extension), goods name, legal unit and quantity, FOB.
* 增值税专用发票 / 普通发票: number (8-digit paper or 20-digit 数电 number), line, seller, goods,
  unit, quantity, net amount, VAT, rate. The VAT must equal net × rate within ±0.06 (the invoicing
  systems' rounding tolerance per line [M]).
* 收汇水单 (FX receipt): reference, date, amount, currency, payer, receiving account, receiver name.

>>> parse_invoice({"发票号码": "26442000000012345678", "开票日期": "2026-09-30", "销售方": "某厂", "货物名称": "*塑料制品*收纳盒",
...                "单位": "个", "数量": "500", "金额": "5000", "税额": "650", "税率": "13%"}).rate
Decimal('0.13')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xborder.errors import ValidationError
from xborder.money import check_currency, to_decimal

__all__ = ["DeclarationRow", "InvoiceRow", "ReceiptRow", "parse_declaration", "parse_invoice", "parse_receipt",
           "parse_date", "ALIASES", "VAT_TOLERANCE", "REGIMES"]

VAT_TOLERANCE = Decimal("0.06")
REGIMES = ("production", "trading")

ALIASES: dict[str, tuple[str, ...]] = {
    # declarations
    "number": ("number", "declaration_no", "报关单号", "报关单编号", "发票号码", "number_no", "invoice_no", "invoice_number"),
    "export_date": ("export_date", "出口日期", "出口日期yyyymmdd"),
    "trade_mode": ("trade_mode", "贸易方式", "监管方式"),
    "currency": ("currency", "币制", "币种"),
    "buyer": ("buyer", "境外收货人", "consignee"),
    "line_no": ("line_no", "项号", "序号", "行号"),
    "hs_code": ("hs_code", "商品编码", "code"),
    "goods": ("goods", "商品名称", "货物名称", "货物或应税劳务名称", "项目名称", "goods_name"),
    "unit": ("unit", "法定单位", "法定第一单位", "计量单位", "单位"),
    "qty": ("qty", "quantity", "法定数量", "法定第一数量", "数量"),
    "unit2": ("unit2", "法定第二单位", "第二单位"),
    "qty2": ("qty2", "法定第二数量", "第二数量"),
    "fob": ("fob", "离岸价", "fob总价", "fob_amount"),
    "fx_rate": ("fx_rate", "汇率", "折合率"),
    "fx_rate_date": ("fx_rate_date", "汇率日期"),
    "contract_fx_date": ("contract_fx_date", "合同约定收汇日期"),
    "period": ("period", "所属期", "申报所属期"),
    "regime": ("regime", "退税方式"),
    "declared_on": ("declared_on", "退税申报日期"),
    "fx_note": ("fx_note", "收汇差异说明"),
    # invoices
    "issued": ("issued", "date", "开票日期", "invoice_date"),
    "seller": ("seller", "销售方", "销售方名称", "销方名称"),
    "seller_tax_id": ("seller_tax_id", "销售方纳税人识别号", "销方识别号"),
    "net": ("net", "金额", "net_amount"),
    "vat": ("vat", "税额", "vat_amount"),
    "rate": ("rate", "税率", "征收率", "vat_rate"),
    "kind": ("kind", "发票类型", "发票种类"),
    # receipts
    "reference": ("reference", "收汇编号", "业务编号", "申报号码", "流水号", "ref"),
    "received": ("received", "收汇日期", "date_received", "date"),
    "amount": ("amount", "收汇金额"),
    "payer": ("payer", "付款人", "汇款人"),
    "account": ("account", "收款账号", "收汇账户", "receiving_account"),
    "receiver": ("receiver", "收款人", "收款人名称"),
}

_DECL_NO = re.compile(r"^[0-9A-Z]{18}$")
_HS = re.compile(r"^\d{10}(\d{2,3})?$")
_MODE = re.compile(r"^\d{4}$")
_INV_NO = re.compile(r"^\d{8,20}$")


def _pick(row: Mapping[str, object], key: str) -> str:
    names = ALIASES.get(key, (key,))
    lower = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    for n in names:
        v = lower.get(n.lower())
        if v is not None and str(v).strip() != "":
            return str(v).strip()
    return ""


def _req(row: Mapping[str, object], key: str) -> str:
    v = _pick(row, key)
    if not v:
        raise ValidationError(f"{key}: required field is missing", field=key)
    return v


def parse_date(text: str, field: str) -> date:
    t = text.strip().replace("/", "-").replace(".", "-")
    if re.fullmatch(r"\d{8}", t):
        t = f"{t[:4]}-{t[4:6]}-{t[6:]}"
    t = t.split(" ")[0].split("T")[0]
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t)
    if not m:
        raise ValidationError(f"{field}: {text!r} is not a date (YYYY-MM-DD)", field=field)
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValidationError(f"{field}: {text!r} is not a valid date", field=field) from None


def _opt_date(row: Mapping[str, object], key: str) -> date | None:
    v = _pick(row, key)
    return parse_date(v, key) if v else None


def _dec(text: str, field: str, *, positive: bool = False, non_negative: bool = True) -> Decimal:
    d = to_decimal(text.replace(",", ""), field)
    if positive and d <= 0:
        raise ValidationError(f"{field}: must be greater than 0 (got {text})", field=field)
    if non_negative and d < 0:
        raise ValidationError(f"{field}: must not be negative (got {text})", field=field)
    return d


def _rate(text: str, field: str) -> Decimal:
    t = text.strip()
    pct = t.endswith("%")
    d = to_decimal(t.rstrip("%").strip(), field)
    if pct or d > 1:
        d = d / 100
    if d < 0 or d > 1:
        raise ValidationError(f"{field}: rate {text!r} is outside 0–100%", field=field)
    return d


def _period(text: str, field: str = "period") -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        raise ValidationError(f"{field}: {text!r} is not a period (YYYY-MM)", field=field)
    return text


@dataclass(frozen=True)
class DeclarationRow:
    number: str
    export_date: date
    trade_mode: str
    currency: str
    buyer: str
    line_no: int
    hs_code: str
    goods: str
    unit: str
    qty: Decimal
    fob: Decimal
    unit2: str
    qty2: Decimal | None
    fx_rate: Decimal | None
    fx_rate_date: date | None
    contract_fx_date: date | None
    period: str
    regime: str | None
    declared_on: date | None
    fx_note: str


def parse_declaration(row: Mapping[str, object]) -> DeclarationRow:
    number = _req(row, "number").replace(" ", "").upper()
    if not _DECL_NO.match(number):
        raise ValidationError(f"number: {number!r} is not an 18-character declaration number", field="number")
    export_date = parse_date(_req(row, "export_date"), "export_date")
    mode = _pick(row, "trade_mode") or "0110"
    if not _MODE.match(mode):
        raise ValidationError(f"trade_mode: {mode!r} is not a 4-digit trade mode (e.g. 0110, 9610, 9810)",
                              field="trade_mode")
    currency = check_currency(_req(row, "currency"), "currency")
    line_raw = _pick(row, "line_no") or "1"
    if not line_raw.isdigit() or int(line_raw) < 1:
        raise ValidationError(f"line_no: {line_raw!r} is not a line number", field="line_no")
    hs = _req(row, "hs_code").replace(".", "").replace(" ", "")
    if not _HS.match(hs):
        raise ValidationError(f"hs_code: {hs!r} is not a 10-digit commodity code", field="hs_code")
    fx_raw = _pick(row, "fx_rate")
    fx_rate = _dec(fx_raw, "fx_rate", positive=True) if fx_raw else None
    regime = _pick(row, "regime") or None
    if regime is not None and regime not in REGIMES:
        raise ValidationError(f"regime: {regime!r} is not one of {', '.join(REGIMES)}", field="regime")
    period = _period(_pick(row, "period")) if _pick(row, "period") else export_date.strftime("%Y-%m")
    unit2 = _pick(row, "unit2")
    qty2_raw = _pick(row, "qty2")
    qty2 = _dec(qty2_raw, "qty2", positive=True) if qty2_raw else None
    if bool(unit2) != bool(qty2_raw):
        raise ValidationError("qty2: give the second legal unit and its quantity together", field="qty2")
    return DeclarationRow(
        number=number, export_date=export_date, trade_mode=mode, currency=currency, buyer=_pick(row, "buyer"),
        line_no=int(line_raw), hs_code=hs, goods=_req(row, "goods"), unit=_req(row, "unit"),
        qty=_dec(_req(row, "qty"), "qty", positive=True), fob=_dec(_req(row, "fob"), "fob"),
        unit2=unit2, qty2=qty2, fx_rate=fx_rate, fx_rate_date=_opt_date(row, "fx_rate_date"),
        contract_fx_date=_opt_date(row, "contract_fx_date"), period=period, regime=regime,
        declared_on=_opt_date(row, "declared_on"), fx_note=_pick(row, "fx_note"))


@dataclass(frozen=True)
class InvoiceRow:
    number: str
    line_no: int
    issued: date
    seller: str
    seller_tax_id: str
    goods: str
    unit: str
    qty: Decimal
    net: Decimal
    vat: Decimal
    rate: Decimal
    kind: str


_KINDS = {"special": "special", "专票": "special", "专用发票": "special", "增值税专用发票": "special",
          "数电专票": "special", "ordinary": "ordinary", "普票": "ordinary", "普通发票": "ordinary",
          "增值税普通发票": "ordinary", "数电普票": "ordinary"}


def parse_invoice(row: Mapping[str, object]) -> InvoiceRow:
    number = _req(row, "number").replace(" ", "")
    if not _INV_NO.match(number):
        raise ValidationError(f"number: {number!r} is not an invoice number (8 to 20 digits)", field="number")
    line_raw = _pick(row, "line_no") or "1"
    if not line_raw.isdigit() or int(line_raw) < 1:
        raise ValidationError(f"line_no: {line_raw!r} is not a line number", field="line_no")
    net = _dec(_req(row, "net"), "net")
    vat = _dec(_req(row, "vat"), "vat")
    rate = _rate(_req(row, "rate"), "rate")
    if abs(net * rate - vat) > VAT_TOLERANCE:
        raise ValidationError(f"vat: {vat} does not equal net × rate = {net * rate} (±{VAT_TOLERANCE})", field="vat")
    kind_raw = _pick(row, "kind") or "special"
    kind = _KINDS.get(kind_raw.lower())
    if kind is None:
        raise ValidationError(f"kind: {kind_raw!r} is not special or ordinary", field="kind")
    return InvoiceRow(number, int(line_raw), parse_date(_req(row, "issued"), "issued"), _req(row, "seller"),
                      _pick(row, "seller_tax_id"), _req(row, "goods"), _req(row, "unit"),
                      _dec(_req(row, "qty"), "qty", positive=True), net, vat, rate, kind)


@dataclass(frozen=True)
class ReceiptRow:
    reference: str
    received: date
    amount: Decimal
    currency: str
    payer: str
    account: str
    receiver: str


def parse_receipt(row: Mapping[str, object]) -> ReceiptRow:
    return ReceiptRow(_req(row, "reference"), parse_date(_req(row, "received"), "received"),
                      _dec(_req(row, "amount"), "amount", positive=True), check_currency(_req(row, "currency")),
                      _pick(row, "payer"), _pick(row, "account"), _pick(row, "receiver"))

"""China export declarations for cross-border e-commerce (pure: builds and validates data and
XML text; no I/O).

Modes (research notes customs.md (f)):

* ``9610`` 跨境贸易电子商务 (GACC announcement 2014 No. 12; 2018 No. 194): per parcel the three
  documents — order CEB303 (``orderType`` E), payment receipt CEB403, waybill CEB505 — and the
  export inventory list CEB603 (``tradeMode`` 9610); monthly the lists are summarised into
  export declarations ("清单核放、汇总申报"), due by the 15th of the next month, grouped by the
  same consignor, transport mode, producer, destination country, port, and the same 10-digit
  code and currency (see :func:`monthly_summary`; wording to verify against 2018 No. 194).
* ``9710`` B2B direct export (GACC 2020 No. 75): CEB303 with ``orderType`` B, CEB505, CEB603
  (``tradeMode`` 9710); no payment receipt.
* ``9810`` export to an overseas warehouse (GACC 2020 No. 75): CEB505 and CEB603 (``tradeMode``
  9810); the warehouse booking (海外仓订仓单) is not produced here.
* ``0110`` general trade: no CEB message; :func:`general_trade_data` gives the export
  declaration (报关单) header and items to key into the single window.

Messages follow the China e-Port cross-border format, namespace ``http://www.chinaport.gov.cn/ceb``,
wrapped with ``BaseTransfer``; they are *unsigned* (the enterprise signs with its own key).

Validation (:func:`validate`) reports every problem customs would reject, with the field:
10-digit commodity code, declared elements (申报要素: brand type 0-4 | export preference 0-3 |
...; GACC 2019 No. 18), legal first unit and quantity (second unit when given), unit codes,
price × quantity = total, goods value = sum of lines, payment = goods + freight, gross ≥ net
weight > 0, numeric currency and country codes.

>>> d = sample()
>>> validate(d)
[]
>>> "<ceb:orderType>E</ceb:orderType>" in ceb303(d)
True
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from xborder.money import dec_str

NS = "http://www.chinaport.gov.cn/ceb"
MODES = ("9610", "9710", "9810", "0110")
ET.register_namespace("ceb", NS)

# GACC currency codes (海关币制代码表) for the usual settlement currencies
CURRENCY_CODES = {
    "CNY": "142", "HKD": "110", "JPY": "116", "KRW": "133", "SGD": "132", "USD": "502", "CAD": "501",
    "EUR": "300", "GBP": "303", "AUD": "601", "NZD": "609", "CHF": "331", "SEK": "330", "DKK": "302",
    "NOK": "326", "RUB": "344", "MYR": "122", "THB": "136",
}
# GACC country codes (国别(地区)代码表, 3-digit form used by the CEB messages) for main destinations.
# Source: GACC parameter tables of the single window (verify against the current table).
COUNTRY_CODES = {
    "CN": "142", "HK": "110", "JP": "116", "KR": "133", "SG": "132", "MY": "122", "TH": "136", "AE": "138",
    "SA": "139", "US": "502", "CA": "501", "MX": "429", "BR": "410", "GB": "303", "DE": "304", "FR": "305",
    "IE": "306", "IT": "307", "LU": "308", "NL": "309", "GR": "310", "PT": "311", "ES": "312", "AT": "315",
    "BE": "301", "DK": "302", "SE": "330", "FI": "318", "PL": "327", "NO": "326", "CH": "331", "RU": "344",
    "AU": "601", "NZ": "609",
}
# GACC measurement unit codes (计量单位代码表), the ones e-commerce goods use
UNIT_CODES = {
    "001": "台", "006": "套", "007": "个", "008": "只", "011": "件", "012": "支", "015": "条", "016": "把",
    "017": "块", "018": "卷", "019": "副", "020": "片", "021": "组", "022": "份", "025": "双", "026": "对",
    "030": "米", "032": "平方米", "035": "千克", "036": "克", "095": "升", "096": "毫升", "120": "箱",
    "122": "罐", "125": "包", "131": "册", "132": "本", "136": "袋", "140": "盒", "142": "瓶", "163": "部",
}
TRANSPORT_MODES = {"2": "水路运输", "3": "铁路运输", "4": "公路运输", "5": "航空运输", "6": "邮件运输", "9": "其他运输"}
WRAP_TYPES = {"1": "木箱", "2": "纸箱", "3": "桶装", "4": "散装", "5": "托盘", "6": "包", "7": "其他"}


@dataclass(frozen=True)
class Party:
    code: str  # 10-digit customs registration code (海关注册编码) or 18-digit credit code
    name: str


@dataclass(frozen=True)
class DeclLine:
    item_no: str  # SKU
    item_name: str  # Chinese trade name
    gcode: str  # 10-digit China commodity code
    gmodel: str  # declared elements 申报要素, "|" separated
    qty: Decimal  # transaction quantity
    unit: str  # transaction unit code
    qty1: Decimal  # legal first quantity
    unit1: str  # legal first unit code
    price: Decimal
    total_price: Decimal
    qty2: Decimal | None = None
    unit2: str | None = None
    bar_code: str = ""
    item_describe: str = ""
    origin: str = "CN"
    net_weight: Decimal | None = None  # kg, of this line (checked against a legal quantity in 千克)


@dataclass(frozen=True)
class Declaration:
    mode: str
    order_no: str
    ebp: Party  # platform
    ebc: Party  # e-commerce enterprise (seller)
    logistics: Party
    logistics_no: str
    customs_code: str  # 4-digit 申报海关
    port_code: str  # 4-digit 出口口岸
    ie_date: date
    destination: str  # ISO alpha-2
    currency: str  # ISO 4217
    freight: Decimal
    insured_fee: Decimal
    gross_weight: Decimal  # kg
    net_weight: Decimal  # kg
    pack_no: int
    lines: tuple[DeclLine, ...]
    traf_mode: str = "5"
    wrap_type: str = "2"
    owner: Party | None = None  # producer/seller of the goods (生产销售单位); defaults to ebc
    agent: Party | None = None  # declaring agent; defaults to the logistics enterprise
    pay: Party | None = None  # payment enterprise (CEB403)
    pay_no: str = ""
    paid_amount: Decimal | None = None  # CEB403 charge; defaults to goods value + freight
    cop: Party | None = None  # sender of the message (BaseTransfer copCode); defaults to ebc
    dxp_id: str = ""
    note: str = ""
    app_time: datetime | None = None
    app_type: str = "1"  # 1 new, 2 change (a corrected re-send), 3 delete
    invt_no: str = ""  # 清单编号 customs returns in the CEB604 receipt; the CEB701 summary lists it

    @property
    def goods_value(self) -> Decimal:
        return sum((ln.total_price for ln in self.lines), Decimal(0))

    @property
    def charge(self) -> Decimal:
        return self.paid_amount if self.paid_amount is not None else self.goods_value + self.freight

    def messages(self) -> list[str]:
        """Which CEB messages this mode uses."""
        return {"9610": ["CEB303", "CEB403", "CEB505", "CEB603"], "9710": ["CEB303", "CEB505", "CEB603"],
                "9810": ["CEB505", "CEB603"], "0110": []}[self.mode]


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    # for the pages: the English template (a msgid with %(name)s placeholders) and its values, so
    # the message can be shown translated; ``message`` is the English text (CLI, API)
    msgid: str = ""
    params: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"field": self.field, "message": self.message}
        if self.msgid:
            out["msgid"], out["params"] = self.msgid, dict(self.params)
        return out


def _digits(s: str, n: int | tuple[int, ...]) -> bool:
    ns = (n,) if isinstance(n, int) else n
    return s.isdigit() and len(s) in ns


def validate(d: Declaration) -> list[Problem]:
    p: list[Problem] = []

    def bad(f: str, m: str) -> None:
        p.append(Problem(f, m))

    if d.mode not in MODES:
        bad("mode", f"one of {', '.join(MODES)}")
    if not d.order_no or len(d.order_no) > 60:
        bad("order_no", "required, at most 60 characters")
    for name, party in (("ebp", d.ebp), ("ebc", d.ebc), ("logistics", d.logistics)):
        if not _digits(party.code, 10) and not (len(party.code) == 18 and party.code.isalnum()):
            bad(f"{name}.code", "10-digit customs registration code or 18-character unified social credit code")
        if not party.name.strip():
            bad(f"{name}.name", "required")
    if not d.logistics_no:
        bad("logistics_no", "waybill number required")
    if not _digits(d.customs_code, 4):
        bad("customs_code", "4-digit customs office code (关区代码)")
    if not _digits(d.port_code, 4):
        bad("port_code", "4-digit port code (口岸代码)")
    if d.destination not in COUNTRY_CODES:
        bad("destination", f"no GACC country code known for {d.destination!r}")
    if d.currency not in CURRENCY_CODES:
        bad("currency", f"no GACC currency code known for {d.currency!r}")
    if d.traf_mode not in TRANSPORT_MODES:
        bad("traf_mode", f"one of {', '.join(TRANSPORT_MODES)}")
    if d.wrap_type not in WRAP_TYPES:
        bad("wrap_type", f"one of {', '.join(WRAP_TYPES)}")
    if d.net_weight <= 0:
        bad("net_weight", "must be positive (kg)")
    if d.gross_weight < d.net_weight:
        bad("gross_weight", "must be at least the net weight")
    if d.pack_no < 1:
        bad("pack_no", "at least one package")
    for f, v in (("freight", d.freight), ("insured_fee", d.insured_fee)):
        if v < 0:
            bad(f, "must not be negative")
    if not d.lines:
        bad("lines", "at least one line")
    kg_total = Decimal(0)
    for i, ln in enumerate(d.lines):
        f = f"lines[{i}]"
        if not _digits(ln.gcode, 10):
            bad(f"{f}.gcode", f"{ln.gcode!r}: the 10-digit China commodity code is required")
        parts = ln.gmodel.split("|") if ln.gmodel else []
        if len(parts) < 2 or parts[0] not in {"0", "1", "2", "3", "4"} or parts[1] not in {"0", "1", "2", "3"}:
            bad(f"{f}.gmodel", "declared elements must start with brand type (0-4) | export preference (0-3), e.g. '0|0|cotton|knitted'")
        elif len(parts) < 3 or not any(x.strip() for x in parts[2:]):
            bad(f"{f}.gmodel", "declared elements after brand type and preference are empty")
        if not ln.item_name.strip():
            bad(f"{f}.item_name", "required")
        if not ln.item_no.strip():
            bad(f"{f}.item_no", "required (SKU)")
        for uf, u in (("unit", ln.unit), ("unit1", ln.unit1)):
            if u not in UNIT_CODES:
                bad(f"{f}.{uf}", f"{u!r} is not a GACC unit code (e.g. 007 个, 011 件, 035 千克)")
        if ln.qty <= 0:
            bad(f"{f}.qty", "must be positive")
        if ln.qty1 <= 0:
            bad(f"{f}.qty1", "legal first quantity must be positive")
        if (ln.unit2 is None) != (ln.qty2 is None):
            bad(f"{f}.qty2", "second legal unit and quantity go together")
        elif ln.unit2 is not None:
            if ln.unit2 not in UNIT_CODES:
                bad(f"{f}.unit2", f"{ln.unit2!r} is not a GACC unit code")
            if ln.qty2 is not None and ln.qty2 <= 0:
                bad(f"{f}.qty2", "must be positive")
        if ln.unit1 == ln.unit and ln.qty1 != ln.qty:
            bad(f"{f}.qty1", "same unit as the transaction unit, so the quantity must be the same")
        if ln.unit1 == "035":
            kg_total += ln.qty1
        if ln.unit2 == "035" and ln.qty2 is not None:
            kg_total += ln.qty2
        if ln.price <= 0:
            bad(f"{f}.price", "must be positive")
        if abs(ln.qty * ln.price - ln.total_price) > Decimal("0.01"):
            bad(f"{f}.total_price", f"{dec_str(ln.total_price)} ≠ qty × price = {dec_str(ln.qty * ln.price, 2)}")
        if len(ln.origin) != 2:
            bad(f"{f}.origin", "ISO alpha-2 country code")
        if ln.net_weight is not None and ln.net_weight <= 0:
            bad(f"{f}.net_weight", "must be positive (kg)")
    if kg_total > d.net_weight + Decimal("0.001") and d.net_weight > 0:
        bad("net_weight", f"legal quantities in kg add up to {dec_str(kg_total)} kg, more than the net weight")
    if d.mode == "9610" and d.paid_amount is not None and d.paid_amount > d.goods_value + d.freight + d.insured_fee:
        bad("paid_amount", "the payment exceeds goods value + freight + insurance")
    if d.app_type not in {"1", "2", "3"}:
        bad("app_type", "1 (new), 2 (change) or 3 (delete)")
    if d.mode == "9610" and d.pay is None:
        bad("pay", "9610 needs the payment enterprise for the receipt (CEB403)")
    return p


# ---- XML --------------------------------------------------------------------------------------

def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _add(parent: ET.Element, tag: str, value: object = "") -> ET.Element:
    el = ET.SubElement(parent, _q(tag))
    if isinstance(value, Decimal):
        el.text = dec_str(value)
    elif isinstance(value, date):
        el.text = value.strftime("%Y%m%d")
    else:
        el.text = "" if value is None else str(value)
    return el


def _guid(d: Declaration, msg: str) -> str:
    """Stable for the same content (re-generating gives the same message); new when it changes."""
    import hashlib
    import json

    digest = hashlib.sha256(json.dumps(to_dict(d), sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"xborder:{msg}:{d.ebc.code}:{d.order_no}:{d.app_type}:{digest}")).upper()


def _app_time(d: Declaration) -> str:
    t = d.app_time or datetime.combine(d.ie_date, datetime.min.time())
    return t.strftime("%Y%m%d%H%M%S")


def _message(d: Declaration, msg: str) -> ET.Element:
    root = ET.Element(_q(f"{msg}Message"), {"guid": _guid(d, msg), "version": "1.0"})
    return root


def _base_transfer(root: ET.Element, d: Declaration) -> None:
    cop = d.cop or d.ebc
    bt = _add(root, "BaseTransfer")
    _add(bt, "copCode", cop.code)
    _add(bt, "copName", cop.name)
    _add(bt, "dxpMode", "DXP")
    _add(bt, "dxpId", d.dxp_id)
    _add(bt, "note", "")


def _text(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _head(el: ET.Element, d: Declaration, msg: str) -> None:
    _add(el, "guid", _guid(d, msg))
    _add(el, "appType", d.app_type)
    _add(el, "appTime", _app_time(d))
    _add(el, "appStatus", "2")


def ceb303(d: Declaration) -> str:
    """Order (电子订单)."""
    root = _message(d, "CEB303")
    order = _add(root, "Order")
    h = _add(order, "OrderHead")
    _head(h, d, "CEB303")
    _add(h, "orderType", "B" if d.mode == "9710" else "E")
    _add(h, "orderNo", d.order_no)
    _add(h, "ebpCode", d.ebp.code)
    _add(h, "ebpName", d.ebp.name)
    _add(h, "ebcCode", d.ebc.code)
    _add(h, "ebcName", d.ebc.name)
    _add(h, "goodsValue", d.goods_value)
    _add(h, "freight", d.freight)
    _add(h, "currency", CURRENCY_CODES.get(d.currency, d.currency))
    _add(h, "note", d.note)
    for i, ln in enumerate(d.lines, start=1):
        li = _add(order, "OrderList")
        _add(li, "gnum", i)
        _add(li, "itemNo", ln.item_no)
        _add(li, "itemName", ln.item_name)
        _add(li, "itemDescribe", ln.item_describe)
        _add(li, "barCode", ln.bar_code)
        _add(li, "unit", ln.unit)
        _add(li, "currency", CURRENCY_CODES.get(d.currency, d.currency))
        _add(li, "qty", ln.qty)
        _add(li, "price", ln.price)
        _add(li, "totalPrice", ln.total_price)
        _add(li, "note", "")
    _base_transfer(root, d)
    return _text(root)


def ceb403(d: Declaration) -> str:
    """Payment receipt (收款单)."""
    root = _message(d, "CEB403")
    r = _add(root, "Receipts")
    _head(r, d, "CEB403")
    _add(r, "ebpCode", d.ebp.code)
    _add(r, "ebpName", d.ebp.name)
    _add(r, "ebcCode", d.ebc.code)
    _add(r, "ebcName", d.ebc.name)
    _add(r, "orderNo", d.order_no)
    pay = d.pay or d.ebp
    _add(r, "payCode", pay.code)
    _add(r, "payName", pay.name)
    _add(r, "payNo", d.pay_no or d.order_no)
    _add(r, "charge", d.charge)
    _add(r, "currency", CURRENCY_CODES.get(d.currency, d.currency))
    _add(r, "accountingDate", _app_time(d))
    _add(r, "note", "")
    _base_transfer(root, d)
    return _text(root)


def ceb505(d: Declaration) -> str:
    """Waybill (物流运单)."""
    root = _message(d, "CEB505")
    lg = _add(root, "Logistics")
    _head(lg, d, "CEB505")
    _add(lg, "logisticsCode", d.logistics.code)
    _add(lg, "logisticsName", d.logistics.name)
    _add(lg, "logisticsNo", d.logistics_no)
    _add(lg, "freight", d.freight)
    _add(lg, "insuredFee", d.insured_fee)
    _add(lg, "currency", CURRENCY_CODES.get(d.currency, d.currency))
    _add(lg, "grossWeight", d.gross_weight)
    _add(lg, "packNo", d.pack_no)
    _add(lg, "goodsInfo", "; ".join(ln.item_name for ln in d.lines)[:200])
    _add(lg, "ebcCode", d.ebc.code)
    _add(lg, "ebcName", d.ebc.name)
    _add(lg, "ebcTelephone", "")
    _add(lg, "note", "")
    _base_transfer(root, d)
    return _text(root)


def ceb603(d: Declaration) -> str:
    """Export inventory list (出口申报清单)."""
    root = _message(d, "CEB603")
    inv = _add(root, "Inventory")
    h = _add(inv, "InventoryHead")
    _head(h, d, "CEB603")
    owner = d.owner or d.ebc
    agent = d.agent or d.logistics
    for tag, val in (
        ("customsCode", d.customs_code), ("ebpCode", d.ebp.code), ("ebpName", d.ebp.name), ("orderNo", d.order_no),
        ("logisticsCode", d.logistics.code), ("logisticsName", d.logistics.name), ("logisticsNo", d.logistics_no),
        ("copNo", d.order_no), ("preNo", ""), ("invtNo", d.invt_no), ("ieFlag", "E"), ("portCode", d.port_code),
        ("ieDate", d.ie_date), ("statisticsFlag", "A"), ("agentCode", agent.code), ("agentName", agent.name),
        ("ebcCode", d.ebc.code), ("ebcName", d.ebc.name), ("ownerCode", owner.code), ("ownerName", owner.name),
        ("emsNo", ""), ("tradeMode", d.mode), ("trafMode", d.traf_mode), ("trafName", ""), ("voyageNo", ""),
        ("billNo", ""), ("country", COUNTRY_CODES.get(d.destination, d.destination)), ("freight", d.freight),
        ("fCurrency", CURRENCY_CODES.get(d.currency, d.currency)), ("fFlag", "3"), ("insuredFee", d.insured_fee),
        ("iCurrency", CURRENCY_CODES.get(d.currency, d.currency)), ("iFlag", "3"), ("wrapType", d.wrap_type),
        ("packNo", d.pack_no), ("grossWeight", d.gross_weight), ("netWeight", d.net_weight), ("note", d.note),
    ):
        _add(h, tag, val)
    for i, ln in enumerate(d.lines, start=1):
        li = _add(inv, "InventoryList")
        for tag, val in (
            ("gnum", i), ("itemNo", ln.item_no), ("itemRecordNo", ""), ("itemName", ln.item_name), ("gcode", ln.gcode),
            ("gname", ln.item_name), ("gmodel", ln.gmodel), ("barCode", ln.bar_code),
            ("country", COUNTRY_CODES.get(d.destination, d.destination)),
            ("currency", CURRENCY_CODES.get(d.currency, d.currency)), ("qty", ln.qty), ("qty1", ln.qty1),
            ("qty2", ln.qty2 if ln.qty2 is not None else ""), ("unit", ln.unit), ("unit1", ln.unit1),
            ("unit2", ln.unit2 or ""), ("price", ln.price), ("totalPrice", ln.total_price), ("note", ""),
        ):
            _add(li, tag, val)
    _base_transfer(root, d)
    return _text(root)


BUILDERS = {"CEB303": ceb303, "CEB403": ceb403, "CEB505": ceb505, "CEB603": ceb603}


def build_all(d: Declaration) -> dict[str, str]:
    """Every message of the declaration's mode; raises nothing, call :func:`validate` first."""
    return {m: BUILDERS[m](d) for m in d.messages()}


def general_trade_data(d: Declaration) -> dict[str, object]:
    """0110: the export declaration (报关单) fields to key in (header + items)."""
    owner = d.owner or d.ebc
    return {
        "trade_mode": d.mode,
        "consignor": {"code": d.ebc.code, "name": d.ebc.name},
        "producer": {"code": owner.code, "name": owner.name},
        "customs_code": d.customs_code,
        "port_code": d.port_code,
        "export_date": d.ie_date.isoformat(),
        "transport_mode": d.traf_mode,
        "destination": d.destination,
        "destination_code": COUNTRY_CODES.get(d.destination, ""),
        "currency": d.currency,
        "freight": dec_str(d.freight),
        "insurance": dec_str(d.insured_fee),
        "packages": d.pack_no,
        "wrap_type": d.wrap_type,
        "gross_weight_kg": dec_str(d.gross_weight),
        "net_weight_kg": dec_str(d.net_weight),
        "items": [
            {"no": i, "code": ln.gcode, "name": ln.item_name, "declared_elements": ln.gmodel,
             "qty": dec_str(ln.qty), "unit": ln.unit, "qty1": dec_str(ln.qty1), "unit1": ln.unit1,
             "qty2": dec_str(ln.qty2) if ln.qty2 is not None else None, "unit2": ln.unit2,
             "price": dec_str(ln.price), "total": dec_str(ln.total_price), "origin": ln.origin,
             "destination": d.destination}
            for i, ln in enumerate(d.lines, start=1)
        ],
    }


# ---- monthly 9610 summary ----------------------------------------------------------------------

@dataclass
class SummaryItem:
    gcode: str
    currency: str
    unit1: str
    qty1: Decimal = Decimal(0)
    total_price: Decimal = Decimal(0)
    names: set[str] = field(default_factory=set)
    lists: int = 0


@dataclass
class SummaryGroup:
    consignor: str
    producer: str
    traf_mode: str
    destination: str
    port_code: str
    gross_weight: Decimal = Decimal(0)
    net_weight: Decimal = Decimal(0)
    pack_no: int = 0
    order_nos: list[str] = field(default_factory=list)
    invt_nos: list[str] = field(default_factory=list)  # 清单编号 of the lists, in the order of order_nos ("" unknown)
    items: dict[tuple[str, str, str], SummaryItem] = field(default_factory=OrderedDict)
    consignor_name: str = ""
    producer_name: str = ""
    customs_codes: list[str] = field(default_factory=list)  # 申报海关 of the lists (one expected)
    agent: Party | None = None  # declaring agent of the first list
    cop: Party | None = None  # message sender of the first list
    dxp_id: str = ""


def due_date(year: int, month: int) -> date:
    """The summary is due by the 15th of the following month."""
    return date(year + (month == 12), 1 if month == 12 else month + 1, 15)


def summary_groups(decls: list[Declaration], year: int, month: int) -> list[SummaryGroup]:
    """A month's 9610 inventory lists grouped for the summary declarations (汇总申报), in the
    order they first appear with the lists sorted by export date and order number (so the group
    numbers do not depend on the order the lists were stored in)."""
    groups: dict[tuple[str, ...], SummaryGroup] = OrderedDict()
    for d in sorted(decls, key=lambda d: (d.ie_date, d.order_no)):
        if d.mode != "9610" or (d.ie_date.year, d.ie_date.month) != (year, month):
            continue
        owner = d.owner or d.ebc
        key = (d.ebc.code, owner.code, d.traf_mode, d.destination, d.port_code)
        g = groups.get(key)
        if g is None:
            g = groups[key] = SummaryGroup(*key, consignor_name=d.ebc.name, producer_name=owner.name,
                                           agent=d.agent or d.logistics, cop=d.cop or d.ebc, dxp_id=d.dxp_id)
        if d.customs_code not in g.customs_codes:
            g.customs_codes.append(d.customs_code)
        g.gross_weight += d.gross_weight
        g.net_weight += d.net_weight
        g.pack_no += d.pack_no
        g.order_nos.append(d.order_no)
        g.invt_nos.append(d.invt_no)
        for ln in d.lines:
            ik = (ln.gcode, d.currency, ln.unit1)
            it = g.items.setdefault(ik, SummaryItem(*ik))
            it.qty1 += ln.qty1
            it.total_price += ln.total_price
            it.names.add(ln.item_name)
            it.lists += 1
    return list(groups.values())


def monthly_summary(decls: list[Declaration], year: int, month: int) -> dict[str, object]:
    """Group a month's 9610 inventory lists into summary declarations (汇总申报)."""
    groups = summary_groups(decls, year, month)
    return {
        "year": year,
        "month": month,
        "due_date": due_date(year, month).isoformat(),
        "rule": "GACC announcement 2018 No. 194: monthly summary by the 15th of the next month, grouped by "
        "consignor, producer, transport mode, destination, port, 10-digit code, currency (verify wording)",
        "groups": [
            {
                "consignor": g.consignor, "producer": g.producer, "traf_mode": g.traf_mode, "destination": g.destination,
                "port_code": g.port_code, "lists": len(g.order_nos), "pack_no": g.pack_no,
                "gross_weight": dec_str(g.gross_weight), "net_weight": dec_str(g.net_weight),
                "order_nos": g.order_nos, "invt_nos": g.invt_nos,
                "items": [
                    {"gcode": it.gcode, "currency": it.currency, "unit1": it.unit1, "qty1": dec_str(it.qty1),
                     "total_price": dec_str(it.total_price), "names": sorted(it.names), "lines": it.lists}
                    for it in g.items.values()
                ],
            }
            for g in groups
        ],
    }


# ---- CEB701: the summary application of one group ---------------------------------------------
#
# Layout, from public code read on 2026-11-24 (element names and order only; nothing copied):
#
# * a JAXB class generated from the e-Port schema, ``com.guolaiwan.app.customs.bo.CEB701Message``
#   (generated 2019-10-23; its schema fragment lists every element and its order);
# * the Java beans ``com.kzkj.pojo.vo.request.summaryApply.CEB701Message`` / ``SummaryApply`` and
#   ``com.kzkj.pojo.vo.summaryApply.SummaryApplyHead`` (same elements, same order);
# * a PHP generator ``app\common\controller\Summary::Gen701`` with a comment per element
#   (汇总申请单: 申报地海关代码, 申报企业, 收发货人, 报关单位, summaryFlag "1 按收发货人单一汇总,
#   2 按收发货人和生产销售单位汇总", itemNameFlag "1 按清单原始商品名相同汇总, 不填则按商品综合分类名汇总").
#
# ``CEB701Message`` (attributes guid, version) > ``SummaryApply`` > ``SummaryApplyHead`` (guid,
# appType, appTime, appStatus, customsCode, copNo, agentCode, agentName, ebcCode, ebcName,
# declAgentCode, declAgentName, summaryFlag, itemNameFlag, msgCount, msgSeqNo) and one
# ``SummaryApplyList`` (invtNo) per inventory list; then ``BaseTransfer`` (copCode, copName,
# dxpMode, dxpId). The application names the *lists* (by the 清单编号 customs returned in CEB604);
# customs itself merges the goods and answers with the summary result CEB792, so our goods-level
# grouping (:func:`monthly_summary`) is a preview, not part of the message. One application is
# produced per summary group of :func:`summary_groups` (same consignor and producer, so
# ``summaryFlag`` 2). Still unsigned, and still to check against the current e-Port specification
# (跨境电子商务进出境统一版 报文规范) before sending.

SUMMARY_FLAG = "2"  # 按收发货人和生产销售单位汇总: our groups share consignor and producer
ITEM_NAME_FLAG = "1"  # 按清单原始商品名相同汇总 (empty: by the composite category name)


def validate_summary_group(g: SummaryGroup) -> list[Problem]:
    """What customs would reject in one summary group; each problem names its field."""
    p: list[Problem] = []

    def bad(f: str, m: str) -> None:
        p.append(Problem(f, m))

    agent = g.agent or Party(g.consignor, g.consignor_name)
    for f, code, name in (("consignor", g.consignor, g.consignor_name), ("producer", g.producer, g.producer_name),
                          ("agent", agent.code, agent.name)):
        if not _digits(code, 10) and not (len(code) == 18 and code.isalnum()):
            bad(f"{f}.code", "10-digit customs registration code or 18-character unified social credit code")
        if not name.strip():
            bad(f"{f}.name", "required")
    if len(g.customs_codes) != 1:
        bad("customs_code", f"the lists of one summary must be declared at one customs office; found {', '.join(g.customs_codes) or 'none'}")
    elif not _digits(g.customs_codes[0], 4):
        bad("customs_code", "4-digit customs office code (关区代码)")
    if not _digits(g.port_code, 4):
        bad("port_code", "4-digit port code (口岸代码)")
    if g.destination not in COUNTRY_CODES:
        bad("destination", f"no GACC country code known for {g.destination!r}")
    if g.traf_mode not in TRANSPORT_MODES:
        bad("traf_mode", f"one of {', '.join(TRANSPORT_MODES)}")
    if not g.order_nos:
        bad("lists", "at least one inventory list")
    if len(set(g.order_nos)) != len(g.order_nos):
        dup = sorted({o for o in g.order_nos if g.order_nos.count(o) > 1})
        bad("order_nos", f"an inventory list is counted twice: {', '.join(dup)}")
    for k, (order_no, invt_no) in enumerate(zip(g.order_nos, g.invt_nos, strict=False)):
        if not invt_no:
            bad(f"lists[{k}].invt_no", f"order {order_no}: the inventory list number (清单编号) customs returned in the "
                                       "CEB604 receipt is required (invt_no): import the receipts (customs "
                                       "receipt-import, or upload them on the declarations page) or set it by hand")
    seen = [n for n in g.invt_nos if n]
    if len(set(seen)) != len(seen):
        bad("invt_nos", f"an inventory list number is used twice: {', '.join(sorted({n for n in seen if seen.count(n) > 1}))}")
    if g.net_weight <= 0:
        bad("net_weight", "must be positive (kg)")
    if g.gross_weight < g.net_weight:
        bad("gross_weight", "must be at least the net weight")
    if g.pack_no < 1:
        bad("pack_no", "at least one package")
    if not g.items:
        bad("items", "at least one item")
    for i, it in enumerate(g.items.values()):
        f = f"items[{i}]"
        if not _digits(it.gcode, 10):
            bad(f"{f}.gcode", f"{it.gcode!r}: the 10-digit China commodity code is required")
        if it.currency not in CURRENCY_CODES:
            bad(f"{f}.currency", f"no GACC currency code known for {it.currency!r}")
        if it.unit1 not in UNIT_CODES:
            bad(f"{f}.unit1", f"{it.unit1!r} is not a GACC unit code")
        if it.qty1 <= 0:
            bad(f"{f}.qty1", "legal first quantity must be positive")
        if it.total_price <= 0:
            bad(f"{f}.total_price", "must be positive")
    return p


def _summary_guid(g: SummaryGroup, year: int, month: int, app_type: str) -> str:
    import hashlib
    import json

    body = [g.consignor, g.producer, g.traf_mode, g.destination, g.port_code, g.order_nos, g.invt_nos,
            [[it.gcode, it.currency, it.unit1, str(it.qty1), str(it.total_price)] for it in g.items.values()]]
    digest = hashlib.sha256(json.dumps(body, ensure_ascii=False).encode()).hexdigest()[:16]
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"xborder:CEB701:{year:04d}-{month:02d}:{app_type}:{digest}")).upper()


def ceb701(g: SummaryGroup, year: int, month: int, app_time: datetime | None = None, app_type: str = "1") -> str:
    """The summary application (汇总申请单) XML of one group, in the layout described above.

    ``app_time`` defaults to the due date (the 15th of the next month) at 00:00, so regenerating
    gives the same text; pass the real sending time when you send it. ``copNo`` (the
    enterprise's own number of the application) is derived from the consignor, the month and
    the content."""
    guid = _summary_guid(g, year, month, app_type)
    t = app_time or datetime.combine(due_date(year, month), datetime.min.time())
    agent = g.agent or Party(g.consignor, g.consignor_name)
    cop = g.cop or Party(g.consignor, g.consignor_name)
    root = ET.Element(_q("CEB701Message"), {"guid": guid, "version": "1.0"})
    sa = _add(root, "SummaryApply")
    h = _add(sa, "SummaryApplyHead")
    for tag, val in (
        ("guid", guid), ("appType", app_type), ("appTime", t.strftime("%Y%m%d%H%M%S")), ("appStatus", "2"),
        ("customsCode", g.customs_codes[0] if g.customs_codes else ""),
        ("copNo", f"S{year:04d}{month:02d}{g.consignor[-6:]}{guid[:8]}"),
        ("agentCode", agent.code), ("agentName", agent.name), ("ebcCode", g.consignor), ("ebcName", g.consignor_name),
        ("declAgentCode", agent.code), ("declAgentName", agent.name),
        ("summaryFlag", SUMMARY_FLAG), ("itemNameFlag", ITEM_NAME_FLAG), ("msgCount", 1), ("msgSeqNo", 1),
    ):
        _add(h, tag, val)
    for invt_no in g.invt_nos:
        _add(_add(sa, "SummaryApplyList"), "invtNo", invt_no)
    bt = _add(root, "BaseTransfer")
    _add(bt, "copCode", cop.code)
    _add(bt, "copName", cop.name)
    _add(bt, "dxpMode", "DXP")
    _add(bt, "dxpId", g.dxp_id)
    return _text(root)


# ---- parsing an explicit input (JSON file / form) ----------------------------------------------

def _dec(v: object, f: str, problems: list[Problem], default: Decimal | None = None) -> Decimal:
    if v is None or v == "":
        if default is not None:
            return default
        problems.append(Problem(f, "required"))
        return Decimal(0)
    if isinstance(v, float):
        problems.append(Problem(f, "a decimal string, not a float"))
        return Decimal(0)
    try:
        return Decimal(str(v))
    except Exception:  # noqa: BLE001
        problems.append(Problem(f, f"{v!r} is not a number"))
        return Decimal(0)


def _party(v: object, f: str, problems: list[Problem], required: bool = True) -> Party | None:
    if v is None and not required:
        return None
    if not isinstance(v, dict):
        problems.append(Problem(f, "an object with code and name"))
        return Party("", "")
    return Party(str(v.get("code") or "").strip(), str(v.get("name") or "").strip())


def parse_declaration(data: dict) -> tuple[Declaration | None, list[Problem]]:
    """Build a :class:`Declaration` from JSON; returns every problem (parse and validation)."""
    pr: list[Problem] = []
    if not isinstance(data, dict):
        return None, [Problem("input", "a JSON object")]
    lines = []
    raw_lines = data.get("lines") or []
    if not isinstance(raw_lines, list):
        pr.append(Problem("lines", "a list of objects"))
        raw_lines = []
    for i, ln in enumerate(raw_lines):
        f = f"lines[{i}]"
        if not isinstance(ln, dict):
            pr.append(Problem(f, "an object"))
            continue
        qty = _dec(ln.get("qty"), f"{f}.qty", pr)
        price = _dec(ln.get("price"), f"{f}.price", pr)
        lines.append(
            DeclLine(
                item_no=str(ln.get("item_no") or ""), item_name=str(ln.get("item_name") or ""),
                gcode="".join(c for c in str(ln.get("gcode") or "") if c.isdigit() or c.isalpha()),
                gmodel=str(ln.get("gmodel") or ""), qty=qty, unit=str(ln.get("unit") or ""),
                qty1=_dec(ln.get("qty1"), f"{f}.qty1", pr), unit1=str(ln.get("unit1") or ""), price=price,
                total_price=_dec(ln.get("total_price"), f"{f}.total_price", pr, default=qty * price),
                qty2=_dec(ln.get("qty2"), f"{f}.qty2", pr) if ln.get("qty2") not in (None, "") else None,
                unit2=str(ln["unit2"]) if ln.get("unit2") else None, bar_code=str(ln.get("bar_code") or ""),
                item_describe=str(ln.get("item_describe") or ""), origin=str(ln.get("origin") or "CN").upper(),
                net_weight=(_dec(ln.get("net_weight"), f"{f}.net_weight", pr)
                            if ln.get("net_weight") not in (None, "") else None),
            )
        )
    try:
        ie = date.fromisoformat(str(data.get("ie_date") or ""))
    except ValueError:
        pr.append(Problem("ie_date", "ISO date required"))
        ie = date(1970, 1, 1)
    try:
        pack_no = int(data.get("pack_no") or 1)
    except (TypeError, ValueError):
        pr.append(Problem("pack_no", "an integer"))
        pack_no = 1
    d = Declaration(
        mode=str(data.get("mode") or "9610"), order_no=str(data.get("order_no") or ""),
        ebp=_party(data.get("ebp"), "ebp", pr), ebc=_party(data.get("ebc"), "ebc", pr),  # type: ignore[arg-type]
        logistics=_party(data.get("logistics"), "logistics", pr),  # type: ignore[arg-type]
        logistics_no=str(data.get("logistics_no") or ""), customs_code=str(data.get("customs_code") or ""),
        port_code=str(data.get("port_code") or ""), ie_date=ie,
        destination=str(data.get("destination") or "").upper(), currency=str(data.get("currency") or "CNY").upper(),
        freight=_dec(data.get("freight"), "freight", pr, Decimal(0)),
        insured_fee=_dec(data.get("insured_fee"), "insured_fee", pr, Decimal(0)),
        gross_weight=_dec(data.get("gross_weight"), "gross_weight", pr),
        net_weight=_dec(data.get("net_weight"), "net_weight", pr), pack_no=pack_no, lines=tuple(lines),
        traf_mode=str(data.get("traf_mode") or "5"), wrap_type=str(data.get("wrap_type") or "2"),
        owner=_party(data.get("owner"), "owner", pr, False), agent=_party(data.get("agent"), "agent", pr, False),
        pay=_party(data.get("pay"), "pay", pr, False), pay_no=str(data.get("pay_no") or ""),
        paid_amount=_dec(data.get("paid_amount"), "paid_amount", pr) if data.get("paid_amount") not in (None, "") else None,
        dxp_id=str(data.get("dxp_id") or ""), note=str(data.get("note") or ""),
        app_type=str(data.get("app_type") or "1"), invt_no=str(data.get("invt_no") or "").strip(),
    )
    return d, pr + validate(d)


def to_dict(d: Declaration) -> dict[str, object]:
    """The JSON form accepted by :func:`parse_declaration` (round trip)."""
    def party(p: Party | None) -> dict[str, str] | None:
        return None if p is None else {"code": p.code, "name": p.name}

    out: dict[str, object] = {
        "mode": d.mode, "order_no": d.order_no, "ebp": party(d.ebp), "ebc": party(d.ebc),
        "logistics": party(d.logistics), "logistics_no": d.logistics_no, "customs_code": d.customs_code,
        "port_code": d.port_code, "ie_date": d.ie_date.isoformat(), "destination": d.destination,
        "currency": d.currency, "freight": dec_str(d.freight), "insured_fee": dec_str(d.insured_fee),
        "gross_weight": dec_str(d.gross_weight), "net_weight": dec_str(d.net_weight), "pack_no": d.pack_no,
        "traf_mode": d.traf_mode, "wrap_type": d.wrap_type, "owner": party(d.owner), "agent": party(d.agent),
        "pay": party(d.pay), "pay_no": d.pay_no,
        "paid_amount": dec_str(d.paid_amount) if d.paid_amount is not None else None,
        "dxp_id": d.dxp_id, "note": d.note, "app_type": d.app_type, "invt_no": d.invt_no,
        "lines": [
            {"item_no": ln.item_no, "item_name": ln.item_name, "gcode": ln.gcode, "gmodel": ln.gmodel,
             "qty": dec_str(ln.qty), "unit": ln.unit, "qty1": dec_str(ln.qty1), "unit1": ln.unit1,
             "qty2": dec_str(ln.qty2) if ln.qty2 is not None else None, "unit2": ln.unit2,
             "price": dec_str(ln.price), "total_price": dec_str(ln.total_price), "bar_code": ln.bar_code,
             "item_describe": ln.item_describe, "origin": ln.origin,
             "net_weight": dec_str(ln.net_weight) if ln.net_weight is not None else None}
            for ln in d.lines
        ],
    }
    return out


def sample(**changes: object) -> Declaration:
    """A valid 9610 parcel used by docs and tests (fictitious codes)."""
    d = Declaration(
        mode="9610", order_no="SO20261124001", ebp=Party("3301960001", "示例跨境平台"),
        ebc=Party("3301961234", "杭州示例贸易有限公司"), logistics=Party("3301980001", "示例国际物流"),
        logistics_no="LP00123456789CN", customs_code="2991", port_code="2991", ie_date=date(2026, 11, 24),
        destination="US", currency="USD", freight=Decimal("5.00"), insured_fee=Decimal("0"),
        gross_weight=Decimal("0.45"), net_weight=Decimal("0.40"), pack_no=1,
        lines=(
            DeclLine("TS-WHT-M", "棉制针织T恤", "6109100022", "0|0|针织|棉100%|男式|无品牌", Decimal(2), "011",
                     Decimal(2), "011", Decimal("15.00"), Decimal("30.00"), Decimal("0.40"), "035"),
        ),
        pay=Party("3301970001", "示例支付公司"), pay_no="PAY20261124001",
    )
    return replace(d, **changes) if changes else d  # type: ignore[arg-type]

"""Catalog rules: what a valid SKU and listing look like (pure, no I/O).

* Barcodes: EAN-13, EAN-8, UPC-A (12 digits) and GTIN-14 with their GS1 check digit,
  validated with python-stdnum (``stdnum.ean``).
* HS codes: 6 to 10 digits (6 = the international HS subheading; more = national lines,
  e.g. China's 10-digit codes), with the HS edition (2017 or 2022) they belong to.
* National tariff codes for the markets whose tariffs go past 6 digits: ``hs_code_cn`` (China's
  10-digit export code, for the 9610/9710/9810 declarations and the rebate), ``hs_code_us`` (the
  HTSUS line, 8 or 10 digits), ``hs_code_eu`` (the EU's CN 8 or TARIC 10 digits) and ``hs_code_gb``
  (the UK commodity code, 8 or 10 digits). Each extends the SKU's HS subheading: a US duty is only
  known for an HTS line when the 6-digit subheading carries several rates (794 of the demo's 2,102
  order lines had no duty for that reason before the demo SKUs got their HTS lines). A market without its own code uses ``hs_code``.
* Weight in grams and dimensions in centimetres are exact decimals, never negative.

>>> validate_barcode("4006381333931")
'4006381333931'
>>> validate_hs_code("6109.10")
'610910'
>>> parse_sku_input({"sku": "A-1", "name_en": "Cable", "weight_g": "35"}).weight_g
Decimal('35')
>>> validate_national_code("8205.51.6000", "hs_code_us", "820551")
'8205516000'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

import pycountry
from stdnum import ean

from xborder.errors import ValidationError
from xborder.money import check_currency, to_decimal

FLAGS = ("battery", "liquid", "magnet", "powder")
HS_VERSIONS = ("2017", "2022")
CATEGORIES = ("phone_accessories", "led_lighting", "sportswear", "kitchen", "toys", "home", "beauty", "electronics",
              "apparel", "other")
CHANNELS = ("amazon-us", "amazon-ca", "amazon-mx", "amazon-uk", "amazon-de", "amazon-fr", "amazon-it", "amazon-es",
            "amazon-jp", "amazon-au", "shopify", "ebay", "etsy", "aliexpress", "temu", "walmart", "woocommerce",
            "tiktok", "own_store")
SKU_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$")


def validate_barcode(value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        return str(ean.validate(str(value).strip()))
    except Exception:
        raise ValidationError(f"barcode: {value!r} is not a valid EAN/UPC (check digit or length)", field="barcode") from None


def validate_hs_code(value: str | None) -> str | None:
    if value is None or not str(value).strip():
        return None
    digits = re.sub(r"[\s.\-]", "", str(value))
    if not digits.isdigit() or not 6 <= len(digits) <= 10:
        raise ValidationError(f"hs_code: {value!r} must be 6 to 10 digits", field="hs_code")
    return digits


# field -> (market it serves, the lengths its tariff uses)
NATIONAL_CODES = {"hs_code_cn": ("CN", (10,)), "hs_code_us": ("US", (8, 10)), "hs_code_eu": ("EU", (8, 10)),
                  "hs_code_gb": ("GB", (8, 10))}


def validate_national_code(value: str | None, field_name: str, hs_code: str | None = None) -> str | None:
    """A market's own tariff code for the SKU (see the module notes): digits only, the lengths that
    market uses, and the SKU's HS subheading as its first six digits when the SKU has one."""
    if value is None or not str(value).strip():
        return None
    market, lengths = NATIONAL_CODES[field_name]
    digits = re.sub(r"[\s.\-]", "", str(value))
    want = " or ".join(str(n) for n in lengths)
    if not digits.isdigit() or len(digits) not in lengths:
        raise ValidationError(f"{field_name}: {value!r} must be {want} digits ({market} tariff code)", field=field_name)
    hs = re.sub(r"[\s.\-]", "", str(hs_code or ""))
    if hs.isdigit() and len(hs) >= 6 and digits[:6] != hs[:6]:
        raise ValidationError(f"{field_name}: {digits} does not extend the HS code {hs[:6]} (its first six digits must be the same)",
                              field=field_name)
    return digits


def validate_country(value: str | None, field_name: str = "origin") -> str | None:
    if value is None or not str(value).strip():
        return None
    v = str(value).strip().upper()
    if pycountry.countries.get(alpha_2=v) is None:
        raise ValidationError(f"{field_name}: {value!r} is not an ISO 3166 alpha-2 country code", field=field_name)
    return v


def _nonneg(value: Any, name: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    d = to_decimal(value, name)
    if d < 0:
        raise ValidationError(f"{name}: must not be negative", field=name)
    return d


def _bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    t = str(value or "").strip().lower()
    if t in {"1", "true", "yes", "y", "on", "是", "x"}:
        return True
    if t in {"", "0", "false", "no", "n", "off", "否"}:
        return False
    raise ValidationError(f"{name}: {value!r} is not yes/no", field=name)


@dataclass(frozen=True)
class SkuInput:
    sku: str
    name_en: str
    name_zh: str = ""
    product: str = ""
    description: str = ""
    brand: str = ""
    material: str = ""
    category: str = "other"
    weight_g: Decimal | None = None
    length_cm: Decimal | None = None
    width_cm: Decimal | None = None
    height_cm: Decimal | None = None
    origin: str | None = "CN"
    hs_code: str | None = None
    hs_version: str = "2022"
    hs_code_cn: str | None = None
    hs_code_us: str | None = None
    hs_code_eu: str | None = None
    hs_code_gb: str | None = None
    battery: bool = False
    liquid: bool = False
    magnet: bool = False
    powder: bool = False
    purchase_cost: Decimal | None = None
    purchase_currency: str = "CNY"
    supplier: str = ""
    barcode: str | None = None
    rebate_rate: Decimal | None = None
    extra: dict[str, str] = field(default_factory=dict)


SKU_FIELDS = [f.name for f in fields(SkuInput) if f.name != "extra"]


def parse_sku_input(data: dict[str, Any]) -> SkuInput:
    """Validate one SKU from form/CSV/API data. Raises ValidationError naming the first bad field;
    use :func:`sku_errors` to get every bad field."""
    errs = sku_errors(data)
    if errs:
        name, msg = next(iter(errs.items()))
        raise ValidationError(msg, field=name, errors=errs)
    return _build(data)


def sku_errors(data: dict[str, Any]) -> dict[str, str]:
    """Every problem of one SKU, by field (empty when valid)."""
    errs: dict[str, str] = {}
    sku = str(data.get("sku") or "").strip()
    if not sku:
        errs["sku"] = "sku: required"
    elif not SKU_CODE.match(sku):
        errs["sku"] = "sku: letters, digits and . _ - / only (max 64)"
    if not str(data.get("name_en") or "").strip() and not str(data.get("name_zh") or "").strip():
        errs["name_en"] = "name_en: an English or Chinese name is required"
    checks = {
        "weight_g": lambda v: _nonneg(v, "weight_g"),
        "length_cm": lambda v: _nonneg(v, "length_cm"),
        "width_cm": lambda v: _nonneg(v, "width_cm"),
        "height_cm": lambda v: _nonneg(v, "height_cm"),
        "purchase_cost": lambda v: _nonneg(v, "purchase_cost"),
        "origin": lambda v: validate_country(v, "origin"),
        "hs_code": validate_hs_code,
        "barcode": validate_barcode,
        "purchase_currency": lambda v: check_currency(v or "CNY", "purchase_currency"),
    }
    for name, fn in checks.items():
        try:
            fn(data.get(name))
        except (ValidationError, TypeError) as exc:
            errs[name] = str(exc)
    hs = None if "hs_code" in errs else data.get("hs_code")
    for name in NATIONAL_CODES:
        try:
            validate_national_code(data.get(name), name, hs)
        except ValidationError as exc:
            errs[name] = str(exc)
    for name in FLAGS:
        try:
            _bool(data.get(name), name)
        except ValidationError as exc:
            errs[name] = str(exc)
    hv = str(data.get("hs_version") or "2022").strip()
    if hv not in HS_VERSIONS:
        errs["hs_version"] = f"hs_version: one of {', '.join(HS_VERSIONS)}"
    cat = str(data.get("category") or "other").strip()
    if cat not in CATEGORIES:
        errs["category"] = f"category: one of {', '.join(CATEGORIES)}"
    rr = data.get("rebate_rate")
    if rr not in (None, ""):
        try:
            d = to_decimal(rr, "rebate_rate")
            if not 0 <= d <= 1:
                errs["rebate_rate"] = "rebate_rate: a fraction between 0 and 1 (e.g. 0.13)"
        except (ValidationError, TypeError) as exc:
            errs["rebate_rate"] = str(exc)
    return errs


def _build(data: dict[str, Any]) -> SkuInput:
    def s(name: str, default: str = "") -> str:
        v = data.get(name)
        return default if v is None else str(v).strip()

    rr = data.get("rebate_rate")
    return SkuInput(
        sku=s("sku"),
        name_en=s("name_en"),
        name_zh=s("name_zh"),
        product=s("product"),
        description=s("description"),
        brand=s("brand"),
        material=s("material"),
        category=s("category") or "other",
        weight_g=_nonneg(data.get("weight_g"), "weight_g"),
        length_cm=_nonneg(data.get("length_cm"), "length_cm"),
        width_cm=_nonneg(data.get("width_cm"), "width_cm"),
        height_cm=_nonneg(data.get("height_cm"), "height_cm"),
        origin=validate_country(data.get("origin"), "origin") or "CN",
        hs_code=validate_hs_code(data.get("hs_code")),
        hs_version=s("hs_version") or "2022",
        hs_code_cn=validate_national_code(data.get("hs_code_cn"), "hs_code_cn", data.get("hs_code")),
        hs_code_us=validate_national_code(data.get("hs_code_us"), "hs_code_us", data.get("hs_code")),
        hs_code_eu=validate_national_code(data.get("hs_code_eu"), "hs_code_eu", data.get("hs_code")),
        hs_code_gb=validate_national_code(data.get("hs_code_gb"), "hs_code_gb", data.get("hs_code")),
        battery=_bool(data.get("battery"), "battery"),
        liquid=_bool(data.get("liquid"), "liquid"),
        magnet=_bool(data.get("magnet"), "magnet"),
        powder=_bool(data.get("powder"), "powder"),
        purchase_cost=_nonneg(data.get("purchase_cost"), "purchase_cost"),
        purchase_currency=check_currency(s("purchase_currency") or "CNY"),
        supplier=s("supplier"),
        barcode=validate_barcode(data.get("barcode")),
        rebate_rate=None if rr in (None, "") else to_decimal(rr, "rebate_rate"),
    )


@dataclass(frozen=True)
class ListingInput:
    channel: str
    listing_id: str
    seller_sku: str = ""
    title: str = ""
    sku: str = ""  # our SKU code it is paired to ("" = unpaired)
    price: Decimal | None = None
    currency: str | None = None


def listing_errors(data: dict[str, Any]) -> dict[str, str]:
    errs: dict[str, str] = {}
    ch = str(data.get("channel") or "").strip()
    if ch not in CHANNELS:
        errs["channel"] = f"channel: one of {', '.join(CHANNELS)}"
    if not str(data.get("listing_id") or "").strip() and not str(data.get("seller_sku") or "").strip():
        errs["listing_id"] = "listing_id: a listing id (ASIN, item id) or a seller SKU is required"
    if data.get("price") not in (None, ""):
        try:
            _nonneg(data.get("price"), "price")
        except (ValidationError, TypeError) as exc:
            errs["price"] = str(exc)
        try:
            check_currency(str(data.get("currency") or ""), "currency")
        except ValidationError as exc:
            errs["currency"] = str(exc)
    return errs


def parse_listing_input(data: dict[str, Any]) -> ListingInput:
    errs = listing_errors(data)
    if errs:
        name, msg = next(iter(errs.items()))
        raise ValidationError(msg, field=name, errors=errs)
    price = _nonneg(data.get("price"), "price")
    return ListingInput(
        channel=str(data["channel"]).strip(),
        listing_id=str(data.get("listing_id") or "").strip(),
        seller_sku=str(data.get("seller_sku") or "").strip(),
        title=str(data.get("title") or "").strip(),
        sku=str(data.get("sku") or "").strip(),
        price=price,
        currency=check_currency(str(data["currency"])) if price is not None else None,
    )

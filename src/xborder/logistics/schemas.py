"""The rate-shopping JSON input (CLI ``--json-in``, API body), parsed with field-named errors.

>>> r = parse_rate_request({"destination": "us", "parcel": {"weight_kg": "0.42", "length_cm": 20,
...     "width_cm": 15, "height_cm": 3}, "max_days": 20, "value": "20.00", "currency": "USD"},
...     default_date=date(2026, 11, 24))
>>> r.destination, r.parcel.weight_kg, r.max_days, r.value
('US', Decimal('0.42'), 20, Decimal('20.00'))
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry

from xborder.logistics.errors import RateRequestInvalid
from xborder.logistics.pricing import Parcel, RateRequest
from xborder.logistics.ratecard import CONTENT_FLAGS
from xborder.money import MAX_ABS


def _dec(value: Any, field: str, positive: bool = True) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise RateRequestInvalid(f"{field}: expected a number", field=field)
    try:
        # JSON numbers arrive as int/float: read through their shortest text form, never as binary
        d = Decimal(value if isinstance(value, str) else str(value))
    except InvalidOperation:
        raise RateRequestInvalid(f"{field}: {value!r} is not a number", field=field) from None
    if not d.is_finite() or (positive and d <= 0) or d < 0:
        raise RateRequestInvalid(f"{field}: must be a number {'greater than' if positive else 'at least'} 0", field=field)
    if d >= MAX_ABS:
        raise RateRequestInvalid(f"{field}: {value!r} is too large", field=field)
    return d


def _country(value: Any, field: str) -> str:
    c = str(value or "").strip().upper()
    if len(c) != 2 or pycountry.countries.get(alpha_2=c) is None:
        raise RateRequestInvalid(f"{field}: {value!r} is not an ISO 3166 two-letter country code", field=field)
    return c


def parse_parcel(p: Any, field: str = "parcel") -> Parcel:
    if not isinstance(p, dict):
        raise RateRequestInvalid(f"{field}: expected an object with weight_kg, length_cm, width_cm, height_cm", field=field)
    qty = p.get("quantity", 1)
    if isinstance(qty, bool) or not isinstance(qty, int | str) or not str(qty).isdigit() or int(qty) < 1:
        raise RateRequestInvalid(f"{field}.quantity: expected a whole number of cartons (1 or more)", field=f"{field}.quantity")
    return Parcel(
        _dec(p.get("weight_kg"), f"{field}.weight_kg"),
        _dec(p.get("length_cm"), f"{field}.length_cm"),
        _dec(p.get("width_cm"), f"{field}.width_cm"),
        _dec(p.get("height_cm"), f"{field}.height_cm"),
        int(qty),
    )


def parse_rate_request(data: Any, default_date: date, parcel: Parcel | None = None) -> RateRequest:
    """``parcel`` may be given by the caller (packed from an order's items) instead of ``data``."""
    if not isinstance(data, dict):
        raise RateRequestInvalid("expected a JSON object")
    on = default_date
    if data.get("date"):
        try:
            on = date.fromisoformat(str(data["date"]))
        except ValueError:
            raise RateRequestInvalid(f"date: {data['date']!r} is not YYYY-MM-DD", field="date") from None
    contents = data.get("contents") or []
    if not isinstance(contents, list) or any(c not in CONTENT_FLAGS for c in contents):
        raise RateRequestInvalid(f"contents: a list of flags among {', '.join(CONTENT_FLAGS)}", field="contents")
    max_days = data.get("max_days")
    if max_days is not None and (isinstance(max_days, bool) or not str(max_days).isdigit()):
        raise RateRequestInvalid("max_days: expected a whole number of days", field="max_days")
    value = data.get("value")
    currency = data.get("currency")
    if value is not None and value != "":
        value_d: Decimal | None = _dec(value, "value", positive=False)
        if not currency:
            raise RateRequestInvalid("currency: required with value", field="currency")
    else:
        value_d = None
    if currency is not None and (not isinstance(currency, str) or pycountry.currencies.get(alpha_3=currency.upper()) is None):
        raise RateRequestInvalid(f"currency: {currency!r} is not an ISO 4217 code", field="currency")
    if parcel is None:
        if "parcel" not in data:
            raise RateRequestInvalid("parcel: required (weight_kg, length_cm, width_cm, height_cm)", field="parcel")
        parcel = parse_parcel(data.get("parcel"))
    postcode = data.get("postcode")
    return RateRequest(
        destination=_country(data.get("destination"), "destination"),
        parcel=parcel,
        on=on,
        origin=_country(data.get("origin") or "CN", "origin"),
        postcode=str(postcode).strip() if postcode not in (None, "") else None,
        contents=tuple(contents),
        max_days=int(max_days) if max_days is not None else None,
        value=value_d,
        currency=currency.upper() if isinstance(currency, str) else None,
        to_warehouse=bool(data.get("to_warehouse", False)),
    )

"""Duty from the customs engine when it is installed (guarded import), for the landed margin.

``xborder.customs`` is built separately. When it can be imported, the import duty of one unit
sold into a market today is asked of its ``landed_cost`` engine (the destination's regime, de
minimis, and the margin model's ``duty_rate`` as the rate of the line, with the product's HS code
when the catalog has one). Only the duty is taken: the margin model's ``vat_rate`` states whether
prices include VAT, which the engine cannot know. When the engine refuses (an unsupported
destination, an HS code it requires, no FX rate...), the estimate stays and the reason is kept
beside the margin. The logistics engine is not used yet: shipping stays the rate-card estimate
of the margin model.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pycountry

ALIASES = {"EIRE": "IE", "RSA": "ZA", "USA": "US", "UK": "GB", "CHANNEL ISLANDS": "JE"}
NO_COUNTRY = {"UNSPECIFIED", "EUROPEAN COMMUNITY"}


def country_code(market: str) -> str | None:
    """ISO 3166 alpha-2 for a market label (``Germany``, ``EIRE``, ``DE``); None when unknown.

    >>> country_code("EIRE"), country_code("Germany"), country_code("de"), country_code("Unspecified")
    ('IE', 'DE', 'DE', None)
    """
    key = market.strip().upper()
    if key in NO_COUNTRY or not key:
        return None
    if key in ALIASES:
        return ALIASES[key]
    try:
        return str(pycountry.countries.lookup(market.strip()).alpha_2)
    except LookupError:
        return None


def customs_duty_fn(on: date) -> Callable[..., tuple[Decimal | None, str]] | None:
    """A function (market, price, currency, shipping, weight_kg, duty_rate, hs_code) → (duty, note),
    or None when the customs package is not installed."""
    try:
        from xborder.customs import engine as ce
        from xborder.customs.model import Context
    except ImportError:
        return None
    from xborder.errors import XborderError
    from xborder.fx.ecb import bundled_table

    table = bundled_table()
    latest = table.latest_date() or on
    ctx = Context(fx=lambda b, q: table.quote(b, q, min(on, latest)))

    def duty(market: str, price: Decimal, currency: str, shipping: Decimal, weight_kg: Decimal, duty_rate: Decimal,
             hs_code: str | None = None) -> tuple[Decimal | None, str]:
        dest = country_code(market)
        if dest is None:
            return None, f"customs engine: {market!r} is not a country"
        line: dict[str, Any] = {"description": "selection estimate", "origin": "CN", "quantity": 1,
                                "unit_value": format(price, "f"), "weight_kg": format(weight_kg, "f"),
                                "duty_rate": format(duty_rate, "f")}  # the engine's own tariff wins when loaded
        if hs_code:
            line["hs_code"] = hs_code
        req = {"destination": dest, "date": on.isoformat(), "currency": currency, "incoterm": "DDP",
               "channel": "own_store", "shipping": format(shipping, "f"), "lines": [line]}
        try:
            out = ce.to_json(ce.landed_cost(ce.parse_request(req), ctx))
        except XborderError as exc:
            return None, f"customs engine: {exc.message}"
        except Exception as exc:  # the engine is another package: never let it break an analysis
            return None, f"customs engine failed: {type(exc).__name__}"
        return Decimal(str(out["duty"])), f"customs engine ({dest}, {on.isoformat()})"

    return duty


def logistics_shipping_fn(on: date) -> Callable[..., tuple[Decimal | None, str]] | None:
    """A function (market, unit_weight_kg, units_per_parcel, sales_currency) → (shipping per unit in
    the sales currency, note), from the logistics package's bundled rate cards (cheapest eligible
    option for a parcel of one order's units), or None when the package is not installed.

    Parcel size is not known for a market analysis: a cube at 200 kg/m³ (a typical parcel
    density) is assumed, which matters only where a card charges volumetric weight.
    """
    try:
        from xborder.logistics import pricing
        from xborder.logistics.cardfiles import fx_for_ranking, sample_cards
    except ImportError:
        return None
    from xborder.errors import XborderError
    from xborder.fx.ecb import bundled_table

    cards = sample_cards()
    table = bundled_table()
    latest = table.latest_date() or on
    fx_on = min(on, latest)

    def ship(market: str, unit_weight_kg: Decimal, units_per_parcel: Decimal, currency: str) -> tuple[Decimal | None, str]:
        dest = country_code(market)
        if dest is None:
            return None, f"logistics engine: {market!r} is not a country"
        weight = (unit_weight_kg * units_per_parcel).quantize(Decimal("0.001"))
        side = ((weight / Decimal(200)) ** (Decimal(1) / Decimal(3)) * 100).quantize(Decimal("0.1"))
        side = max(side, Decimal("10"))
        try:
            req = pricing.RateRequest.build(destination=dest, weight_kg=weight, dims_cm=(side, side, side), on=on)
            notes: list[str] = []
            res = pricing.shop(cards, req, to_rank_currency=fx_for_ranking("CNY", on, notes))
            best = res.cheapest
            if best is None:
                return None, f"logistics engine: no rate card carries {weight} kg to {dest}"
            rate = Decimal(1) if best.currency == currency else table.quote(best.currency, currency, fx_on).rate
        except XborderError as exc:
            return None, f"logistics engine: {exc.message}"
        except Exception as exc:  # another package: never let it break an analysis
            return None, f"logistics engine failed: {type(exc).__name__}"
        per_unit = best.price * rate / units_per_parcel
        flag = " (illustrative card)" if getattr(best, "illustrative", False) else ""
        return per_unit, f"logistics engine: {best.carrier} {best.service}{flag}, {best.price} {best.currency} per {weight} kg parcel"

    return ship

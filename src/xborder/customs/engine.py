"""Landed cost: what duty, tax and fees the destination charges for a shipment, where each is
collected (checkout or border) and why — one explanation line per rule with its source.

The engine is pure: FX quotes, tariff look-ups, VAT rates and extra-duty rows are passed in a
:class:`~xborder.customs.model.Context`. The destination's regime (``regimes/<country>.py``,
picked by the registry) computes in the destination currency and rounds as that country
rounds; each charge is then converted back into the shipment's currency at the same dated rate
and rounded half-up to its minor units. Totals are sums of the rounded per-line amounts, and
the explanation's amounts add up to ``total_charges``.

``collected_at`` is ``none`` when nothing is charged, ``checkout`` when every charge is
collected at the point of sale, and ``border`` as soon as one charge is collected at import.

>>> from xborder.fx.model import RateTable
>>> ctx = Context(fx=lambda b, q: RateTable("ECB", "EUR").quote(b, q, date(2026, 11, 24)))
>>> req = {"destination": "DE", "date": "2026-11-24", "currency": "EUR", "incoterm": "DDP",
...        "channel": "own_store", "shipping": "5.00", "insurance": "0.00",
...        "lines": [{"hs_code": "610910", "description": "cotton T-shirt", "origin": "CN",
...                   "quantity": 1, "unit_value": "15.00", "weight_kg": "0.2", "duty_rate": "0.12"}]}
>>> out = to_json(landed_cost(parse_request(req), ctx))
>>> out["duty"], out["taxes"], out["total_charges"], out["collected_at"]
('3.00', '3.80', '6.80', 'checkout')
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pycountry

from xborder.customs.messages import Msg, msg
from xborder.customs.model import (
    CHANNELS,
    INCOTERMS,
    Context,
    ExplanationLine,
    LandedCost,
    Line,
    LineResult,
    Shipment,
)
from xborder.customs.regimes import get_regime
from xborder.customs.regimes.base import Calc
from xborder.errors import ValidationError
from xborder.money import check_currency, dec_str, minor_units, quantize, to_decimal

__all__ = ["landed_cost", "parse_request", "to_json"]

_KNOWN = {
    "destination", "date", "currency", "incoterm", "channel", "shipping", "insurance", "lines",
    "ioss", "postal", "region", "remessa_conforme",
}
_LINE_KNOWN = {"hs_code", "description", "origin", "quantity", "unit_value", "weight_kg", "duty_rate", "vat_rate", "sku"}


def _bad(field: str, msg: str) -> ValidationError:
    return ValidationError(f"{field}: {msg}", field=field)


def _country(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _bad(field, "an ISO 3166 alpha-2 country code is required")
    code = value.strip().upper()
    if code in ("UK", "EL"):
        return {"UK": "GB", "EL": "GR"}[code]
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise _bad(field, f"{value!r} is not an ISO 3166 alpha-2 country code")
    return code


def _amount(value: Any, field: str, *, required: bool = True, positive: bool = False) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise _bad(field, "required")
        return None
    if isinstance(value, float):
        raise _bad(field, "give amounts as decimal strings (e.g. \"15.00\"), not floating-point numbers")
    d = to_decimal(value, field)
    if d < 0 or (positive and d == 0):
        raise _bad(field, "must be positive" if positive else "must not be negative")
    return d


def _bool(value: Any, field: str, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _bad(field, "true or false")
    return value


def parse_request(data: Any) -> Shipment:
    """Validate the contract input; every error names its field (``lines[0].unit_value`` ...)."""
    if not isinstance(data, dict):
        raise ValidationError("input: a JSON object is required", field="input")
    ignored = [k for k in sorted(set(data) - _KNOWN)]
    dest = _country(data.get("destination"), "destination")
    raw_date = data.get("date")
    try:
        on = date.fromisoformat(raw_date) if isinstance(raw_date, str) else None
    except ValueError:
        on = None
    if on is None:
        raise _bad("date", "an ISO date (YYYY-MM-DD) is required")
    if not isinstance(data.get("currency"), str):
        raise _bad("currency", "an ISO 4217 currency code is required")
    currency = check_currency(data["currency"], "currency")
    incoterm = str(data.get("incoterm") or "DDP").upper()
    if incoterm not in INCOTERMS:
        raise _bad("incoterm", f"one of {', '.join(INCOTERMS)}")
    channel = str(data.get("channel") or "own_store")
    if channel not in CHANNELS:
        raise _bad("channel", f"one of {', '.join(CHANNELS)}")
    shipping = _amount(data.get("shipping", "0"), "shipping") or Decimal(0)
    insurance = _amount(data.get("insurance", "0"), "insurance") or Decimal(0)
    raw_lines = data.get("lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise _bad("lines", "a non-empty list of lines is required")
    lines: list[Line] = []
    for i, raw in enumerate(raw_lines):
        f = f"lines[{i}]"
        if not isinstance(raw, dict):
            raise _bad(f, "an object is required")
        ignored.extend(f"{f}.{k}" for k in sorted(set(raw) - _LINE_KNOWN))
        hs = raw.get("hs_code")
        if hs is not None and not isinstance(hs, str):
            raise _bad(f"{f}.hs_code", "a string of digits (keep leading zeros)")
        hs_digits = "".join(ch for ch in (hs or "") if not ch.isspace() and ch != ".")
        if hs_digits and (not hs_digits.isdigit() or len(hs_digits) > 10 or len(hs_digits) % 2):
            raise _bad(f"{f}.hs_code", f"{hs!r} is not an HS/tariff code (2 to 10 digits, even length)")
        origin = raw.get("origin")
        origin_code = _country(origin, f"{f}.origin") if origin not in (None, "") else None
        qty_raw = raw.get("quantity", 1)
        if isinstance(qty_raw, float):
            raise _bad(f"{f}.quantity", "an integer or decimal string")
        qty = _amount(qty_raw, f"{f}.quantity", positive=True)
        unit_value = _amount(raw.get("unit_value"), f"{f}.unit_value")
        weight = _amount(raw.get("weight_kg"), f"{f}.weight_kg", required=False)
        rate = _amount(raw.get("duty_rate"), f"{f}.duty_rate", required=False)
        if rate is not None and rate > 10:
            raise _bad(f"{f}.duty_rate", "a fraction (0.12 for 12%)")
        vat_rate = _amount(raw.get("vat_rate"), f"{f}.vat_rate", required=False)
        if vat_rate is not None and vat_rate >= 1:
            raise _bad(f"{f}.vat_rate", "a fraction below 1 (0.07 for 7%)")
        desc = raw.get("description") or ""
        if not isinstance(desc, str):
            raise _bad(f"{f}.description", "text")
        lines.append(Line(i, hs_digits or None, desc.strip(), origin_code, qty, unit_value, weight, rate,  # type: ignore[arg-type]
                          vat_rate))
    region = data.get("region")
    if region is not None and not isinstance(region, str):
        raise _bad("region", "a province/state code")
    rc = data.get("remessa_conforme")
    return Shipment(
        destination=dest,
        on=on,
        currency=currency,
        incoterm=incoterm,
        channel=channel,
        shipping=shipping,
        insurance=insurance,
        lines=tuple(lines),
        ioss=_bool(data.get("ioss"), "ioss", True),
        postal=_bool(data.get("postal"), "postal", False),
        region=region.strip().upper() if region else None,
        remessa_conforme=None if rc is None else _bool(rc, "remessa_conforme", False),
        ignored=tuple(ignored),
    )


def landed_cost(shipment: Shipment, ctx: Context) -> LandedCost:
    regime = get_regime(shipment.destination)
    calc = Calc(shipment, ctx, regime.currency, regime.rules)
    if shipment.ignored:
        calc.note(msg("Input field(s) not used: %(fields)s", fields=", ".join(shipment.ignored)), "xborder landed-cost input format")
    regime.assess(calc)
    places = minor_units(shipment.currency)

    def back(amount: Decimal) -> Decimal:
        if regime.currency == shipment.currency:
            return quantize(amount, places)
        q = calc.quote(shipment.currency, regime.currency)
        return quantize(amount / q.rate, places)

    per_line = {ln.index: {"duty": Decimal(0), "tax": Decimal(0), "fee": Decimal(0)} for ln in shipment.lines}
    totals = {"duty": Decimal(0), "tax": Decimal(0), "fee": Decimal(0)}
    charged: list[ExplanationLine] = []
    for ch in calc.charges:
        amt = back(ch.amount)
        totals[ch.kind] += amt
        if ch.line is not None:
            per_line[ch.line][ch.kind] += amt
        m = ch.msg or Msg(ch.rule)
        if regime.currency != shipment.currency:
            m = msg("%(rule)s [%(local)s]", rule=m, local=f"{dec_str(ch.amount, minor_units(regime.currency))} {regime.currency}")
        charged.append(ExplanationLine(m.render(), ch.source, amt, ch.kind, ch.collected_at, ch.line, m))
    zero = quantize(Decimal(0), places)
    info = [ExplanationLine(n.rule, n.source, zero, "info", msg=n.msg or Msg(n.rule)) for n in calc.notes]
    places_sites = {ch.collected_at for ch in calc.charges}
    if not calc.charges:
        collected = "none"
    elif "border" in places_sites:
        collected = "border"
    else:
        collected = "checkout"
    if calc.liable_party and collected == "checkout":
        liable = calc.liable_party
    elif collected == "none":
        liable = "none"
    else:
        liable = "seller" if shipment.incoterm == "DDP" else "buyer"
    if collected == "border":
        m = (msg("Incoterm %(incoterm)s: border charges are paid by the seller (through the carrier)", incoterm=shipment.incoterm)
             if shipment.incoterm == "DDP" else
             msg("Incoterm %(incoterm)s: border charges are paid by the buyer on delivery", incoterm=shipment.incoterm))
        info.append(ExplanationLine(m.render(), "Incoterms 2020 (ICC), DDP / DAP", zero, "info", msg=m))
    return LandedCost(
        destination=shipment.destination,
        currency=shipment.currency,
        on=shipment.on,
        regime_currency=regime.currency,
        duty=totals["duty"],
        taxes=totals["tax"],
        fees=totals["fee"],
        collected_at=collected,
        liable_party=liable,
        lines=tuple(
            LineResult(ln.index, ln.hs_code, per_line[ln.index]["duty"], per_line[ln.index]["tax"], per_line[ln.index]["fee"])
            for ln in shipment.lines
        ),
        explanation=tuple(info[: len(calc.notes)] + charged + info[len(calc.notes):]),
        rules=tuple(calc.used.values()),
    )


def to_json(result: LandedCost) -> dict[str, Any]:
    """The contract output: amounts as decimal strings in the input currency. Each explanation
    item also carries ``msgid`` and ``params`` (``rule`` as a translatable message, see
    :mod:`xborder.customs.messages`)."""
    p = minor_units(result.currency)

    def s(x: Decimal) -> str:
        return dec_str(x, p)

    return {
        "destination": result.destination,
        "date": result.on.isoformat(),
        "currency": result.currency,
        "duty": s(result.duty),
        "taxes": s(result.taxes),
        "fees": s(result.fees),
        "total_charges": s(result.total_charges),
        "collected_at": result.collected_at,
        "liable_party": result.liable_party,
        "lines": [
            {"index": ln.index, "hs_code": ln.hs_code, "duty": s(ln.duty), "taxes": s(ln.taxes), "fees": s(ln.fees)}
            for ln in result.lines
        ],
        "explanation": [
            {
                "rule": e.rule,
                "source": e.source,
                "amount": s(e.amount),
                "kind": e.kind,
                **({"collected_at": e.collected_at} if e.collected_at else {}),
                **({"line": e.line} if e.line is not None else {}),
                **(e.msg.to_json() if e.msg is not None else {}),
            }
            for e in result.explanation
        ],
        # every dated rule the result consulted, as in force on the date: which rule, valid when
        "rules": [
            {"id": r.id, "country": r.country, "title": r.title, "title_zh": r.title_zh or r.title,
             "valid_from": r.valid_from.isoformat(), "valid_to": r.valid_to.isoformat() if r.valid_to else None,
             "source": r.cite()}
            for r in result.rules
        ],
    }

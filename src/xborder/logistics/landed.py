"""Destination duties and taxes on rate-shopping options, from ``xborder.customs`` when present.

The landed-cost engine is another package (``xborder.customs.service.quote_landed_cost(s,
org_id, data)``, documented in docs/customs.md). This module imports it optionally: without it,
or without goods lines, options carry no duties. The goods come from the rate request:

* ``"lines"``: customs lines as the landed-cost contract takes them (``hs_code`` or ``sku``,
  ``quantity``, ``unit_value``, ``origin``, ``weight_kg``, optional ``duty_rate``);
* or ``"items"``: catalog SKUs (``sku``, ``quantity``; unit value = ``value`` / units);
* or ``"hs_code"``: one line worth the declared ``value``.

Each option's freight (converted to the declared value's currency with ECB rates) is passed as
``shipping`` — several regimes value goods including freight (CIF). Incoterm (``DDP`` default)
and ``channel`` (``own_store`` default) are passed through. A failing computation becomes a line
saying why (for instance a tariff that is not loaded); it never hides the freight options.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from xborder.logistics.pricing import Option, RateRequest

CENT = Decimal("0.01")
LABEL_MSGID = "duty %(duty)s + taxes %(taxes)s + fees %(fees)s (collected at %(collected)s, paid by %(paid)s)"


def customs_service() -> Any | None:
    try:
        mod = importlib.import_module("xborder.customs.service")
    except ImportError:
        return None
    return mod if hasattr(mod, "quote_landed_cost") else None


def goods_lines(data: dict[str, Any], req: RateRequest) -> list[dict[str, Any]] | None:
    if isinstance(data.get("lines"), list) and data["lines"]:
        return list(data["lines"])
    if req.value is None:
        return None
    items = data.get("items")
    if isinstance(items, list) and items:
        units = sum(int(i.get("quantity", 1)) for i in items if isinstance(i, dict))
        unit_value = (req.value / max(units, 1)).quantize(CENT, rounding=ROUND_HALF_UP)
        return [{"sku": i.get("sku"), "quantity": int(i.get("quantity", 1)), "unit_value": str(unit_value)} for i in items if isinstance(i, dict)]
    if data.get("hs_code"):
        return [{"hs_code": str(data["hs_code"]), "quantity": 1, "unit_value": str(req.value), "origin": req.origin,
                 "weight_kg": str(req.parcel.weight_kg)}]
    return None


def extras_provider(
    req: RateRequest,
    data: dict[str, Any] | None,
    convert: Callable[[Decimal, str, str], Decimal],
    session: Any = None,
    org_id: int | None = None,
    engine: Any = None,
) -> Callable[[Option, RateRequest], tuple[dict[str, str], ...]] | None:
    engine = engine or customs_service()
    if engine is None or not data or not req.currency:
        return None
    lines = goods_lines(data, req)
    if not lines:
        return None
    currency = req.currency

    def extras(opt: Option, r: RateRequest) -> tuple[dict[str, str], ...]:
        try:
            shipping = convert(opt.price, opt.currency, currency).quantize(CENT, rounding=ROUND_HALF_UP)
            payload = {
                "destination": r.destination,
                "date": r.on.isoformat(),
                "currency": currency,
                "incoterm": str(data.get("incoterm") or "DDP"),
                "channel": str(data.get("channel") or "own_store"),
                "shipping": str(shipping),
                "lines": lines,
            }
            res = engine.quote_landed_cost(session, org_id, payload)
        except Exception as e:  # noqa: BLE001 - duties are advisory beside the freight price
            return ({"kind": "duties_taxes", "label": f"not computed: {getattr(e, 'message', None) or e}", "amount": "", "currency": currency},)
        label = (
            f"duty {res.get('duty')} + taxes {res.get('taxes')} + fees {res.get('fees')}"
            f" (collected at {res.get('collected_at')}, paid by {res.get('liable_party')})"
        )
        # msgid and its values beside the English label: the pages show it in the user's language
        return ({"kind": "duties_taxes", "label": label, "amount": str(res.get("total_charges")), "currency": str(res.get("currency") or currency),
                 "incoterm": payload["incoterm"], "msgid": LABEL_MSGID, "duty": str(res.get("duty")), "taxes": str(res.get("taxes")),
                 "fees": str(res.get("fees")), "collected_at": str(res.get("collected_at")),
                 "liable_party": str(res.get("liable_party"))},)

    return extras

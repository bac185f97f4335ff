"""Destination duties and taxes on rate-shopping options, from ``xborder.customs`` when present.

The landed-cost engine is built by another package; this module imports it optionally and
returns ``None`` (no extras) when it is not installed or cannot price the request.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from xborder.logistics.pricing import Option, RateRequest


def customs_engine() -> Any | None:
    try:
        return importlib.import_module("xborder.customs.model")
    except ImportError:
        return None


def extras_provider(req: RateRequest) -> Callable[[Option, RateRequest], tuple[dict[str, str], ...]] | None:
    engine = customs_engine()
    if engine is None or req.value is None or not req.currency:
        return None
    compute = getattr(engine, "landed_cost_for_parcel", None)
    if compute is None:
        return None

    def extras(opt: Option, r: RateRequest) -> tuple[dict[str, str], ...]:
        try:
            lines = compute(
                destination=r.destination, value=r.value, currency=r.currency, on=r.on, shipping=opt.price, shipping_currency=opt.currency
            )
        except Exception as e:  # noqa: BLE001 - duties are advisory beside the freight price
            return ({"kind": "duties_taxes", "label": f"not computed: {e}", "amount": "", "currency": ""},)
        return tuple({"kind": "duties_taxes", **{k: str(v) for k, v in ln.items()}} for ln in lines)

    return extras

"""Parse karrio unified responses (pure) into our options and shipment records.

karrio returns amounts as floats; they are read back through ``str`` (their shortest repr) and
rounded half-up to 2 places, never used as floats.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xborder.logistics.pricing import Line, Option, r2


def _dec(x: Any) -> Decimal:
    if isinstance(x, Decimal):
        return x
    return Decimal(str(x))


def _kind(name: str) -> str:
    n = name.lower()
    if "fuel" in n:
        return "fuel"
    if "base" in n or "freight" in n or "shipping" in n:
        return "freight"
    return "surcharge"


def parse_rates(response: dict[str, Any], billable_weight_kg: Decimal, source: str = "karrio live rate") -> tuple[list[Option], list[str]]:
    """``{"rates": [RateDetails...], "messages": [Message...]}`` -> options and message lines."""
    options: list[Option] = []
    for r in response.get("rates") or []:
        meta = r.get("meta") or {}
        carrier = str(r.get("carrier_name") or r.get("carrier_id"))
        service = str(r.get("service"))
        currency = str(r.get("currency") or meta.get("shipping_currency") or "")
        lines = tuple(
            Line(_kind(str(c.get("name") or "")), str(c.get("name") or "charge"), r2(_dec(c.get("amount") or 0)), f"karrio {carrier}", source)
            for c in r.get("extra_charges") or []
        )
        total = r2(_dec(r.get("total_charge") or 0))
        if not lines:
            lines = (Line("freight", "total charge", total, f"karrio {carrier}", source),)
        days = r.get("transit_days")
        options.append(
            Option(
                code=f"karrio:{r.get('carrier_id')}:{service}",
                carrier=carrier,
                service=str(meta.get("service_name") or service),
                currency=currency,
                price=total,
                billable_weight_kg=billable_weight_kg,
                transit_min=int(days) if days is not None else None,
                transit_max=int(days) if days is not None else None,
                lines=lines,
                explain=(f"billable weight {billable_weight_kg} kg computed by Xborder and sent to {carrier}",),
                mode="express",
                source=source,
            )
        )
    return options, parse_messages(response)


def parse_messages(response: dict[str, Any]) -> list[str]:
    return [
        f"{m.get('carrier_name') or m.get('carrier_id')}: {m.get('code') or ''} {m.get('message') or ''}".strip()
        for m in response.get("messages") or []
    ]


@dataclass(frozen=True)
class LiveShipment:
    carrier: str
    service: str
    tracking_number: str
    label_pdf: bytes | None
    messages: tuple[str, ...]


def parse_shipment(response: dict[str, Any], service: str) -> LiveShipment:
    s = response.get("shipment") or {}
    docs = s.get("docs") or {}
    label = docs.get("label")
    pdf = base64.b64decode(label + "=" * (-len(label) % 4)) if label else None
    return LiveShipment(
        carrier=str(s.get("carrier_name") or s.get("carrier_id") or ""),
        service=str((s.get("meta") or {}).get("service_name") or service),
        tracking_number=str(s.get("tracking_number") or ""),
        label_pdf=pdf,
        messages=tuple(parse_messages(response)),
    )

"""Demo data: the illustrative sample cards and a few shipments of catalog SKUs with tracking."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.errors import XborderError
from xborder.logistics import service
from xborder.logistics.orm import Shipment
from xborder.logistics.pricing import Parcel, RateRequest

BUYERS = (
    ("US", "10001", "Jane Doe", "350 5th Ave\nNew York NY"),
    ("US", "94105", "Sam Lee", "1 Market St\nSan Francisco CA"),
    ("GB", "SW1A 1AA", "Oliver Smith", "10 Downing St\nLondon"),
    ("DE", "10115", "Anna Müller", "Invalidenstr. 1\nBerlin"),
    ("FR", "75001", "Claire Martin", "1 Rue de Rivoli\nParis"),
)


def build(s: Session, principal: Principal, shared_data: Path | None = None, seed: int = 7) -> str:
    service.import_sample_cards(s, principal)
    if s.scalar(select(Shipment.id).where(Shipment.org_id == principal.org_id).limit(1)) is not None:
        return "logistics: sample cards loaded; shipments already there"
    rng = random.Random(seed)
    skus: list[Any] = []
    try:
        from xborder.catalog.orm import Sku

        skus = [k for k in s.scalars(select(Sku).where(Sku.org_id == principal.org_id).order_by(Sku.sku)) if k.weight_g and k.length_cm and k.width_cm and k.height_cm]
    except ImportError:
        pass
    today = date.today()
    made = 0
    for i in range(10):
        dest, pc, buyer, addr = BUYERS[i % len(BUYERS)]
        if skus:
            sku = skus[rng.randrange(len(skus))]
            parcel = Parcel(Decimal(sku.weight_g) / 1000, Decimal(sku.length_cm), Decimal(sku.width_cm), Decimal(sku.height_cm))
            contents = tuple(f for f in ("battery", "liquid", "magnet", "powder") if getattr(sku, f, False))
            items = [{"sku": sku.sku, "quantity": 1}]
        else:
            parcel = Parcel(rng.choice([Decimal("0.35"), Decimal("0.8")]), Decimal(25), Decimal(18), Decimal(6))
            contents, items = (), []
        shipped = today - timedelta(days=3 * i)
        req = RateRequest(dest, parcel, shipped, postcode=pc, contents=contents, max_days=20)
        res = service.shop_cards(service.org_cards(s, principal.org_id), req)
        if not res.options:
            continue
        try:
            sh = service.create_shipment(s, principal, order_ref=f"DEMO-{1001 + i}", card_code=res.options[0].code, req=req, buyer=buyer, address=addr, items=items)
        except XborderError:
            continue
        made += 1
        events = [(shipped, "Accepted at origin 已揽收"), (shipped + timedelta(days=2), "Departed from origin airport"), (shipped + timedelta(days=9), "Delivered")]
        rows = [
            (n + 2, {"tracking_number": sh.tracking_number, "status": st, "event_time": datetime.combine(d, datetime.min.time()).replace(hour=10).isoformat(sep=" ")})
            for n, (d, st) in enumerate(events) if d <= today
        ]
        if rows:
            service.import_tracking(s, principal, rows)
    return f"logistics: sample cards loaded, {made} shipments with tracking"

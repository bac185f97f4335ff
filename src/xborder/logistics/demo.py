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
from xborder.logistics import labels, service
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
    made = _ship_sales_orders(s, principal)
    if made:
        return f"logistics: sample cards loaded, {made} shipments of merchant-fulfilled demo orders with tracking"
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
        _track(s, principal, sh, shipped, today)
    return f"logistics: sample cards loaded, {made} shipments with tracking"


def _track(s: Session, principal: Principal, sh: Shipment, shipped: date, today: date) -> None:
    events = [(shipped, "Accepted at origin 已揽收"), (shipped + timedelta(days=2), "Departed from origin airport"), (shipped + timedelta(days=9), "Delivered")]
    rows = [
        (n + 2, {"tracking_number": sh.tracking_number, "status": st, "event_time": datetime.combine(d, datetime.min.time()).replace(hour=10).isoformat(sep=" ")})
        for n, (d, st) in enumerate(events) if d <= today
    ]
    if rows:
        service.import_tracking(s, principal, rows)


def _ship_sales_orders(s: Session, principal: Principal, limit: int = 40) -> int:
    """Ship the demo's merchant-fulfilled sales orders (``xborder.sales``) on the cheapest eligible
    card, packing each order's catalog SKUs into one parcel, so that profit reporting sees real
    shipment costs linked to the orders. Returns 0 when the sales package or its orders are absent."""
    try:
        from xborder.sales.orm import SalesOrder
        from xborder.sales.service import SkuResolver
    except ImportError:
        return 0
    orders = list(
        s.scalars(
            select(SalesOrder)
            .where(SalesOrder.org_id == principal.org_id, SalesOrder.fulfillment == "merchant")
            .order_by(SalesOrder.purchased_at, SalesOrder.id)
            .limit(limit)
        )
    )
    if not orders:
        return 0
    resolver = SkuResolver(s, principal.org_id)
    cards = service.org_cards(s, principal.org_id)
    today = date.today()
    made = 0
    for i, o in enumerate(orders):
        dest = (o.ship_country or "").strip().upper()
        if len(dest) != 2 or (o.status or "").lower() in {"cancelled", "canceled"}:
            continue
        items = []
        for ln in o.lines:
            sku = resolver.resolve(o.channel, o.market, ln.platform_sku, ln.listing_ref) or ln.platform_sku
            items.append({"sku": sku, "quantity": int(Decimal(ln.quantity))})
        try:
            parcel, contents = service.order_parcel_from_skus(s, principal.org_id, items)
        except XborderError:
            continue
        shipped = o.purchased_at.date() + timedelta(days=1)
        req = RateRequest(dest, parcel, shipped, contents=contents, max_days=20)
        res = service.shop_cards(cards, req)
        if not res.options:
            continue
        try:
            sh = service.create_shipment(s, principal, order_ref=o.order_ref, card_code=res.options[0].code, req=req, items=items)
        except XborderError:
            continue
        made += 1
        if i < len(orders) - 3:  # the forwarder's numbers came back; the last few still wait for theirs
            service.set_tracking_number(s, principal, sh.id, _carrier_number(sh))
        _track(s, principal, sh, shipped, today)
    return made


def _carrier_number(sh: Shipment) -> str:
    """An illustrative carrier tracking number in the carrier's usual shape (demo data only)."""
    serial = 40_000_000 + sh.id * 7919
    carrier = sh.carrier.lower()
    if "china post" in carrier:
        return labels.s10_tracking(serial, prefix="LX")  # ePacket: an S10 number
    if "wanb" in carrier:
        return f"WNBAA{serial:010d}YQ"
    if "express" in carrier:
        return f"{serial:010d}"  # express waybill: 10 digits
    return labels.s10_tracking(serial, prefix="RR")

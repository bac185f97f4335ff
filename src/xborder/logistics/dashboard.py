"""Logistics figures for the dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.logistics.orm import RateCardRecord, Shipment


def widgets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    org = principal.org_id
    cards = s.scalar(select(func.count()).select_from(RateCardRecord).where(RateCardRecord.org_id == org)) or 0
    out: list[dict[str, Any]] = [{"title": "Rate cards", "value": cards, "url": "/logistics/ratecards"}]
    if cards:
        soon = date.today() + timedelta(days=30)
        expiring = s.scalar(
            select(func.count()).select_from(RateCardRecord).where(
                RateCardRecord.org_id == org, RateCardRecord.valid_to.is_not(None), RateCardRecord.valid_to <= soon
            )
        ) or 0
        if expiring:
            out.append({"title": "Rate cards ending within 30 days", "value": expiring, "url": "/logistics/ratecards", "level": "warn"})
    from xborder.logistics.service import orders_to_ship

    waiting = orders_to_ship(s, principal, 30)
    if waiting:
        late = sum(1 for r in waiting if r["age_days"] > 3)
        out.append({"title": "Orders to ship (last 30 days)", "value": len(waiting), "url": "/logistics/to-ship",
                    **({"level": "warn"} if late else {})})
    open_ = s.scalar(
        select(func.count()).select_from(Shipment).where(Shipment.org_id == org, Shipment.status.not_in(("delivered", "returned")))
    ) or 0
    out.append({"title": "Shipments on the way", "value": open_, "url": "/logistics/shipments"})
    problems = s.scalar(
        select(func.count()).select_from(Shipment).where(Shipment.org_id == org, Shipment.status.in_(("exception", "delivery_failed")))
    ) or 0
    if problems:
        out.append({"title": "Shipments with a delivery problem", "value": problems, "url": "/logistics/shipments?status=exception", "level": "error"})
    return out


def first_steps(s: Session, principal: Principal) -> list[dict[str, Any]]:
    """The rate cards step (rate shopping, shipping costs in the profit)."""
    cards = s.scalar(select(func.count()).select_from(RateCardRecord).where(RateCardRecord.org_id == principal.org_id)) or 0
    return [{"order": 50, "title": "Add your forwarders' rate cards", "done": cards > 0, "url": "/logistics/ratecards",
             "text": "Upload their price lists as rate cards (or load the samples) to compare routes and cost each order's shipping."}]

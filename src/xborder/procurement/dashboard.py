"""Procurement figures for the dashboard."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.procurement import service


def widgets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    orders = service.list_orders(s, principal.org_id)
    open_orders = [o for o in orders if o.status in service.OPEN_STATUSES]
    out: list[dict[str, Any]] = []
    if orders:
        out.append({"title": "Open purchase orders", "value": len(open_orders), "url": "/procurement"})
    return out

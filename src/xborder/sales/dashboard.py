"""Orders and payouts figures for the dashboard (cheap counts; the reconciliation itself is on /payments)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.payments.orm import Payout
from xborder.sales import service


def widgets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    n = service.count_orders(s, principal)
    payouts = s.scalar(select(func.count()).select_from(Payout).where(Payout.org_id == principal.org_id)) or 0
    # the profit card (the latest month's margin) is the profit package's
    return [{"title": "Orders", "value": n, "url": "/orders"}, {"title": "Payouts", "value": payouts, "url": "/payments"}]

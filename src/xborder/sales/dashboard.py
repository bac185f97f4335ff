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


def first_steps(s: Session, principal: Principal) -> list[dict[str, Any]]:
    """Orders and payouts imported."""
    payouts = s.scalar(select(func.count()).select_from(Payout).where(Payout.org_id == principal.org_id)) or 0
    return [{"order": 30, "title": "Import your marketplace orders", "done": service.count_orders(s, principal) > 0, "url": "/orders",
             "text": "Amazon, Shopify, eBay, Etsy, WooCommerce or Temu order exports, or any file with a saved mapping."},
            {"order": 40, "title": "Import payouts and settlement reports", "done": payouts > 0, "url": "/payments",
             "text": "Amazon settlements, PayPal, Stripe and collection-platform statements: fees, reconciliation, FX."}]

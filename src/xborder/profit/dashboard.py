"""The profit card of the dashboard: the margin of the latest month with orders beside the month
before (fetched after the page shows: it reads every order line of two months)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.i18n import PageText
from xborder.money import dec_str
from xborder.profit import service
from xborder.profit.period import resolve

SLOW_TITLE = "Margin, latest month"
SLOW_TEXT = "Adding up the latest month's orders…"


def widgets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    return []


def _cny(amount: str) -> str:
    value = Decimal(amount)
    return f"{'-' if value < 0 else ''}¥{abs(value):,.2f}"


def slow_widgets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    """Margin, revenue share and orders of the latest calendar month with orders, and the change
    from the month before; links to that month's report."""
    from xborder.sales.orm import SalesOrder

    latest = s.scalar(select(func.max(SalesOrder.purchased_at)).where(SalesOrder.org_id == principal.org_id))
    if latest is None:
        return []
    first = latest.date().replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    period = resolve(None, first, last)
    report = service.period_report(s, principal, period)
    if not report.lines:
        return []
    prev = period.previous()
    summary = service.compare(report, service.period_report(s, principal, prev) if prev is not None else None)
    month = first.strftime("%Y-%m")
    share = f"{summary['margin_share']} %" if summary["margin_share"] is not None else "–"
    items: list[Any] = [PageText("Revenue %(revenue)s; %(orders)s orders", revenue=_cny(summary["revenue"]),
                                 orders=summary["orders"])]
    if summary["previous"] is not None and prev is not None:
        change = summary["change"]["margin"]
        items.append(PageText("%(month)s: margin %(margin)s (%(sign)s%(change)s this month)",
                              month=prev.start.strftime("%Y-%m") if prev.start else "", margin=_cny(summary["previous"]["margin"]),
                              sign="" if change.startswith("-") else "+", change=_cny(change)))
    cards: list[dict[str, Any]] = [
        {"title": SLOW_TITLE, "value": _cny(summary["margin"]), "url": f"/reports?{period.query()}",
         "level": "warn" if summary["margin"].startswith("-") else "",
         "text": PageText("%(month)s: %(share)s of revenue", month=month, share=share), "items": items}]
    per_order = report.by_order()
    losing = [k for k, v in per_order.items() if v < 0]
    if losing:
        lost = sum((per_order[k] for k in losing), Decimal(0))
        cards.append({"title": "Orders losing money", "value": len(losing), "level": "warn",
                      "url": f"/orders?margin=negative&from={first.isoformat()}&to={last.isoformat()}",
                      "text": PageText("%(month)s: %(n)s of %(total)s orders, %(lost)s in all", month=month, n=len(losing),
                                       total=len(per_order), lost=_cny(dec_str(lost, 2)))})
    return cards

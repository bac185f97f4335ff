"""Listings figures for the dashboard: catalog listing quality, unanswered buyer messages."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.i18n import PageText
from xborder.listings import service


def widgets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    checks = service.latest_checks(s, principal)
    out: list[dict[str, Any]] = []
    if checks:
        bad = [c for c in checks if c.errors]
        avg = round(sum(c.score for c in checks) / len(checks))
        out.append({"title": "Listing quality score", "value": avg, "url": "/listings/report",
                    "text": PageText("%(n)s checked", n=len(checks)), "level": "warn" if bad else None})
        if bad:
            out.append({"title": "Listings with rule errors", "value": len(bad), "url": "/listings/report", "level": "error",
                        "items": [f"{c.sku_code} · {c.marketplace} · {c.score}" for c in bad[:5]]})
    msgs = service.buyer_messages(s, principal)
    if msgs:
        out.append({"title": "Buyer messages", "value": len(msgs), "url": "/listings/messages"})
    return [{k: v for k, v in w.items() if v is not None} for w in out]

"""Listings figures for the dashboard: catalog listing quality, unanswered buyer messages."""

from __future__ import annotations

from typing import Any

from markupsafe import escape
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.listings import service


class _Counted(str):
    """``"80 checked"`` as plain text (CLI/JSON), translated when a page renders it.

    Widgets are built before the page knows its language (the dashboard template calls
    ``_(w.text)``, which returns an unknown string unchanged); ``__html__`` translates the
    message id at render time, in the request's language, then fills in the number.
    """

    def __new__(cls, msgid: str, n: int) -> _Counted:
        obj = super().__new__(cls, msgid % {"n": n})
        obj.msgid, obj.n = msgid, n
        return obj

    msgid: str
    n: int

    def __html__(self) -> str:
        from xborder.entrypoints.deps import _

        return str(escape(_(self.msgid) % {"n": self.n}))


def widgets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    checks = service.latest_checks(s, principal)
    out: list[dict[str, Any]] = []
    if checks:
        bad = [c for c in checks if c.errors]
        avg = round(sum(c.score for c in checks) / len(checks))
        out.append({"title": "Listing quality score", "value": avg, "url": "/listings/report",
                    "text": _Counted("%(n)s checked", len(checks)), "level": "warn" if bad else None})
        if bad:
            out.append({"title": "Listings with rule errors", "value": len(bad), "url": "/listings/report", "level": "error",
                        "items": [f"{c.sku_code} · {c.marketplace} · {c.score}" for c in bad[:5]]})
    msgs = service.buyer_messages(s, principal)
    if msgs:
        out.append({"title": "Buyer messages", "value": len(msgs), "url": "/listings/messages"})
    return [{k: v for k, v in w.items() if v is not None} for w in out]

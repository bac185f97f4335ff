"""Rebate figures for the dashboard: refund of the latest periods, declarations at risk, alerts."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.entrypoints.deps import _, _fmt_money, current_lang
from xborder.rebate import service
from xborder.rebate.matching import PROBLEMS


def widgets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    org = principal.org_id
    if not service.declarations(s, org) and not service.periods(s, org):
        return []
    today = date.today()
    m = service.match_documents(s, org, today)
    lib = service.library(s, org, codes=[ln.hs_code for d in service.declarations(s, org) for ln in d.lines])
    out: list[dict[str, Any]] = []
    for period, regime, _rec in service.periods(s, org)[:2]:
        rep = service.period_report(s, org, period, regime, today, matched=m, lib=lib)
        regime_label = _("Exempt-credit-refund (production)") if regime == "production" else _("Exempt-refund (trading)")
        item: dict[str, Any] = {"title": "Export VAT refund", "value": _fmt_money(rep.refund, "CNY"),
                                "url": f"/rebate/periods/{period}/{regime}", "text": f"{period} {regime_label}"}
        if rep.result is not None and rep.result.end_credit_differs:
            item["level"] = "warn"
            item["text"] += " — " + _("Declared and computed closing credit differ")
        out.append(item)
    not_ready = [st for st in m.declarations if st.status != "ready"]
    if not_ready:
        out.append({"title": "Declarations not ready for the refund", "value": len(not_ready), "url": "/rebate/match",
                    "level": "warn", "items": [f"{st.declaration.number}: {_(PROBLEMS[st.status][0])}" for st in not_ready[:5]]})
    alerts = [d for st in m.declarations for d in st.deadlines if d.state in ("overdue", "due_soon")]
    if alerts:
        out.append({"title": "Rebate deadlines at risk", "value": len(alerts), "url": "/rebate/deadlines",
                    "level": "error" if any(d.state == "overdue" for d in alerts) else "warn",
                    "items": [f"{d.due.isoformat()} {d.declaration}: {d.zh if current_lang.get() == 'zh_CN' else d.en}" for d in alerts[:5]]})
    return out

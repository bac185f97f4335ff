"""Customs figures for the dashboard."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.customs import declarations as dc
from xborder.customs import service
from xborder.entrypoints.deps import _
from xborder.i18n import PageText


def widgets(s: Session, principal: Principal, today: date | None = None) -> list[dict[str, Any]]:
    today = today or date.today()
    out: list[dict[str, Any]] = []
    datasets = {v.dataset for v in service.ref_versions(s)}
    if not {"tariff:US", "tariff:EU", "tariff:GB"} <= datasets:
        out.append({"title": "Tariff data not loaded", "value": len({d for d in datasets if d.startswith("tariff:")}),
                    "url": "/customs", "level": "warn",
                    "text": "No tariff or VAT data loaded yet. Run: xborder data sync --from ../shared/data"})
    # the previous month's 9610 lists must be summarised by the 15th
    prev = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    rows = [r for r in service.list_declarations(s, principal, month=prev) if r.mode == "9610"]
    if rows:
        due = dc.due_date(*prev)
        out.append({"title": "9610 lists to summarise", "value": len(rows),
                    "url": f"/customs/declarations/summary?month={prev[0]}-{prev[1]:02d}",
                    "text": f"{_('Due')} {due.isoformat()}", "level": "warn" if today <= due else "error"})
    return out


SLOW_TITLE = "SKUs without a market's tariff line"
SLOW_TEXT = "Checking each HS code against the tariffs…"


def slow_widgets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    """SKUs whose HS code is not enough for a market's tariff (a look-up per HS code and market:
    fetched after the dashboard shows)."""
    from xborder.customs import tariff_lines

    try:
        rows = tariff_lines.missing_lines(s, principal)
    except Exception:  # a figure must never break the dashboard
        return []
    if not rows:
        return []
    return [{"title": SLOW_TITLE, "value": len({r.sku for r in rows}), "url": "/customs/tariff-lines",
             "level": "warn", "items": [PageText("%(sku)s · %(market)s: %(n)s lines under %(code)s carry %(k)s different rates",
                                                 sku=r.sku, market=r.market, n=len(r.candidates), code=r.hs_code,
                                                 k=len({c.rate.strip() for c in r.candidates})) for r in rows[:5]]}]



def first_steps(s: Session, principal: Principal) -> list[dict[str, Any]]:
    """The reference data step: tariffs and VAT loaded (the landed cost, duties and declarations need them)."""
    datasets = {v.dataset for v in service.ref_versions(s)}
    return [{"order": 10, "title": "Load the reference data", "done": {"tariff:US", "tariff:EU", "tariff:GB"} <= datasets,
             "url": "/settings/data", "text": "Tariffs, VAT rates, the HS nomenclature and exchange rates, from a local folder (xborder data sync --from DIR)."}]

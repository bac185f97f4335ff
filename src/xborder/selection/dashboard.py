"""Selection figures and risk alerts for the dashboard."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.selection import risk_service, service

SLOW_TITLE = "Risk alerts"


def widgets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    run = service.latest_forecast(s, principal.org_id)
    if run is not None:
        out.append({"title": "Demand forecast", "value": len(run.lines), "url": f"/selection/forecasts/{run.id}",
                    "text": f"MASE {run.mase} vs {run.mase_baseline} ({run.baseline})"})
    return out


def slow_widgets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    """Risk alerts: their profit concentration reads the whole profit report (seconds on a large
    shop), so the dashboard fetches them after it shows."""
    out: list[dict[str, Any]] = []
    try:
        ov = risk_service.overview(s, principal)
    except Exception:  # a risk figure must never break the dashboard
        return out
    alerts = [a for a in ov["alerts"] if a["level"] in ("warning", "danger")]
    if alerts:
        out.append({"title": "Risk alerts", "value": len(alerts), "url": "/selection/risk", "level": "warn",
                    "items": [a["message"] for a in alerts[:5]]})
    return out

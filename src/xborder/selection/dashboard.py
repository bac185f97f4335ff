"""Selection figures and risk alerts for the dashboard."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.i18n import PageText
from xborder.selection import risk_service, service

SLOW_TITLE = "Risk alerts"


def widgets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    run = service.latest_forecast(s, principal.org_id)
    if run is not None:
        out.append({"title": "Demand forecast", "value": len(run.lines), "url": f"/selection/forecasts/{run.id}",
                    "text": _forecast_text(run.mase, run.mase_baseline)})
    return out


def _forecast_text(mase: object, baseline: object) -> str | None:
    """The backtest in a line: the forecast's scaled error beside the naive baseline's."""
    def fmt(v: object) -> str:
        try:
            return f"{Decimal(str(v)):.2f}"
        except (InvalidOperation, ValueError):
            return "–"

    if mase is None:
        return None
    return PageText("Backtest error (MASE) %(mase)s; naive forecast %(base)s (lower is better)", mase=fmt(mase), base=fmt(baseline))


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

"""Risk overview from what the database holds (see ``risk`` for the metrics).

* FX exposure: stock on hand valued at the catalog purchase cost (in its purchase currency),
  open purchase-order balances (payables, in the order currency) and receivables: marketplace
  settlements imported with the payments package that are not deposited yet (no deposit date,
  or one still ahead), or the payments package's ``open_receivables(s, org_id)`` when it has one. Rates: ECB reference rates of today (with the FX package's fallback).
* Concentration: by market and by SKU of forecast demand (units of the latest saved forecast's
  history); of profit (contribution margin, CNY) by market, channel and SKU from the profit
  package's report when it is installed.
* Volatility: coefficient of variation of weekly units per SKU (latest forecast's history).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.selection import risk
from xborder.selection import service as sel


def _positions(s: Session, org_id: int) -> list[risk.Position]:
    out: list[risk.Position] = []
    try:
        from xborder.catalog.orm import Sku
        from xborder.procurement.orm import PurchaseOrder, StockLevel
    except ImportError:
        return out
    for st, sku in s.execute(select(StockLevel, Sku).join(Sku, Sku.id == StockLevel.sku_id).where(StockLevel.org_id == org_id)):
        if sku.purchase_cost is not None and st.on_hand > 0:
            out.append(risk.Position(sku.purchase_currency, "stock", st.on_hand * sku.purchase_cost))
    for po in s.scalars(select(PurchaseOrder).where(PurchaseOrder.org_id == org_id,
                                                    PurchaseOrder.status.in_(("ordered", "partially_received")))):
        open_value = sum(((ln.quantity - ln.received_qty) * ln.unit_price for ln in po.lines), Decimal(0))
        if open_value > 0:
            out.append(risk.Position(po.currency, "payable", open_value))
    try:
        from xborder.payments import service as pay
        from xborder.payments.orm import Payout
    except ImportError:
        return out
    hook = getattr(pay, "open_receivables", None)
    if hook is not None:
        out += [risk.Position(c, "receivable", Decimal(a)) for c, a in hook(s, org_id)]
        return out
    # marketplace settlements not yet deposited (no deposit date, or one still ahead)
    today = date.today()
    for p in s.scalars(select(Payout).where(Payout.org_id == org_id, Payout.total.is_not(None))):
        if (p.deposit_date is None or p.deposit_date > today) and p.total and p.total > 0:
            out.append(risk.Position(p.currency, "receivable", p.total))
    return out


def _rates(currencies: set[str], base: str, on: date) -> dict[str, Decimal]:
    from xborder.errors import XborderError
    from xborder.fx.ecb import bundled_table

    table = bundled_table()
    out: dict[str, Decimal] = {}
    for c in currencies - {base}:
        try:
            out[c] = table.quote(c, base, min(on, table.latest_date() or on)).rate
        except XborderError:
            continue
    return out


def _profit_concentration(s: Session, principal: Principal) -> dict[str, Any]:
    """Margin (CNY) by market, channel and SKU from the profit package's report, when installed."""
    try:
        from xborder.profit import service as prof
        from xborder.profit.model import key_of
    except ImportError:
        return {}
    hook = getattr(prof, "profit_by", None)
    out: dict[str, Any] = {}
    try:
        if hook is not None:
            for dim in ("market", "channel", "sku"):
                out[dim] = risk.concentration(hook(s, principal.org_id, dim))
            return out
        report = prof.build_report(s, principal)
        for dim in ("market", "channel", "sku"):
            sums: dict[str, Decimal] = {}
            for ln in report.lines:
                k = str(key_of(ln, dim))
                sums[k] = sums.get(k, Decimal(0)) + ln.margin
            if sums:
                out[dim] = risk.concentration(sums)
    except Exception:  # another package: a risk figure must not break the page
        return {}
    return out


def overview(s: Session, principal: Principal, base: str = "CNY") -> dict[str, Any]:
    positions = _positions(s, principal.org_id)
    fx = risk.fx_exposure(positions, _rates({p.currency for p in positions}, base, date.today()), base)
    run = sel.latest_forecast(s, principal.org_id)
    by_market: dict[str, Decimal] = {}
    by_sku: dict[str, Decimal] = {}
    weekly_by_sku: dict[str, dict[str, float]] = {}
    for ln in run.lines if run else []:
        hist = json.loads(ln.history or "[]")
        units = sum(Decimal(str(h["units"])) for h in hist)
        by_market[ln.market] = by_market.get(ln.market, Decimal(0)) + units
        by_sku[ln.product] = by_sku.get(ln.product, Decimal(0)) + units
        w = weekly_by_sku.setdefault(ln.product, {})
        for h in hist:
            w[h["week"]] = w.get(h["week"], 0.0) + float(h["units"])
    demand_conc = {"market": risk.concentration(by_market), "sku": risk.concentration(by_sku)} if run else {}
    profit_conc = _profit_concentration(s, principal)
    vol = {k: risk.volatility([w[x] for x in sorted(w)]) for k, w in weekly_by_sku.items()}
    alerts = risk.alerts(fx=fx, profit_concentration=profit_conc, volatility_by_sku=vol)
    for dim, c in demand_conc.items():
        if c.get("top_share") is not None and c["top_share"] > 0.5:
            alerts.append(risk.Alert("info", "DEMAND_CONCENTRATION",
                                     f"{c['top']} takes {c['top_share']:.0%} of forecast demand by {dim}",
                                     str(c["top_share"]), "0.5"))
    return {
        "fx_exposure": fx,
        "demand_concentration": demand_conc,
        "profit_concentration": profit_conc or None,
        "volatility": dict(sorted(((k, v) for k, v in vol.items() if v is not None), key=lambda kv: -kv[1])[:20]),
        "alerts": [a.to_dict() for a in alerts],
        "sources": {"forecast_run": run.id if run else None,
                    "profit": "xborder.profit" if profit_conc else "not available (profit package not installed)"},
    }

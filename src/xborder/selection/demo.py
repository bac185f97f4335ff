"""Demo hook: a saved demand forecast for the demo catalog's SKUs, from a generated weekly
sales history (the demo company has no real sales; the history is labelled as generated),
so the forecast charts, the risk page and the reorder plan have something to show."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from pathlib import Path

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.selection import forecasting, service

MARKETS = ("US", "DE", "GB")


def build(s: Session, principal: Principal, shared_data: Path | None = None, seed: int = 7) -> str:
    from xborder.catalog.orm import Sku

    if service.latest_forecast(s, principal.org_id) is not None:
        return "selection: a demo forecast exists"
    rng = random.Random(seed)
    codes = [k.sku for k in s.scalars(select(Sku).where(Sku.org_id == principal.org_id).order_by(Sku.sku))][:12]
    if not codes:
        return "selection: no SKUs"
    start = date.today() - timedelta(days=date.today().weekday()) - timedelta(weeks=60)
    weeks = [start + timedelta(weeks=i) for i in range(60)]
    rows = []
    for code in codes:
        for m in MARKETS[: 1 + rng.randrange(len(MARKETS))]:
            level = rng.uniform(5, 60)
            intermittent = rng.random() < 0.3
            for i, w in enumerate(weeks):
                season = 1 + 0.3 * math.sin(2 * math.pi * (w.timetuple().tm_yday / 365.0 - 0.2))
                y = level * season * (1 + 0.01 * i) + rng.gauss(0, level * 0.2)
                if intermittent and rng.random() < 0.6:
                    y = 0
                rows.append({"unique_id": f"{code}|{m}", "product": code, "market": m, "ds": w, "y": float(max(0, round(y)))})
    run = forecasting.run(pl.DataFrame(rows), weeks, horizon=8, n_jobs=1)
    row = service.save_forecast(s, principal, run, "demo history (generated)")
    return f"selection: forecast {row.id} for {len(run.series)} series (MASE {run.mase:.2f} vs {run.mase_seasonal_naive:.2f})"

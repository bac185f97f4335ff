"""Weekly demand forecasts per SKU × market with statsforecast, backtested with MASE.

Method (each step is visible in the result):

1. **Series.** Units per product × market × week (weeks start on Monday), zero-filled, on
   one calendar; incomplete weeks at both ends of the data are left out (a week cut by the
   start or the end of the file would look like a drop in demand). The ``top`` series by
   revenue are kept.
2. **Class** (Syntetos, Boylan & Croston 2005): ADI = weeks ÷ weeks with demand and CV² of
   the non-zero demands. ADI ≥ 1.32 → *intermittent* (CV² < 0.49) or *lumpy*; otherwise
   *smooth* or *erratic*.
3. **Candidates** (Nixtla statsforecast): AutoETS, CrostonOptimized, ADIDA and IMAPA for every
   series; AutoARIMA (bounded stepwise search) as well for smooth series (it is ~100× slower
   per fit, and gains little on intermittent, lumpy or erratic ones). Seasonal terms (52 weeks) only when two full years are available.
4. **Choice per series.** Rolling-origin backtest with two windows of ``horizon`` weeks: the
   model with the lowest MAE on the first window is chosen; the second (last ``horizon``
   weeks) is the untouched test window on which MASE is reported.
5. **MASE** (Hyndman & Koehler 2006): MAE on the test window ÷ in-sample MAE of the seasonal
   naive forecast on the training part. The baseline is the seasonal naive forecast itself
   (lag 52: each test week repeats the same week a year earlier) whenever a full season
   precedes the test window — at least 53 training weeks, since the MASE scale needs one
   seasonal difference besides the season to repeat. With fewer, seasonal naive has no
   season to repeat and degenerates to naive (lag 1), which is what is used then (the UCI
   "Online Retail" file: 52 complete weeks; "Online Retail II": 104, so the true seasonal
   naive). The result says which (``baseline``, ``baseline_season``). Aggregate = mean of
   per-series MASE over series with a non-zero scale.
6. **Intervals.** Split-conformal: the ``level`` quantile of the chosen model's absolute
   errors over both backtest windows (2 × horizon errors), added around the point forecast
   and clipped at zero. statsforecast's Croston-type models have no model-based intervals;
   this gives every model the same, distribution-free kind.

The M4/M5 anchors for these choices are in research/marketplaces.md §5 (statsforecast
AutoARIMA/AutoETS accuracy and speed; M5: only 35.8 % of teams beat seasonal naive).

>>> classify([0, 0, 3, 0, 0, 4, 0, 0, 5])
'intermittent'
>>> classify([5, 6, 5, 7, 6, 5])
'smooth'
>>> mase([2, 2], [3, 1], [1, 2, 3, 4], season=1)
1.0
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
import polars as pl

from xborder.errors import ValidationError

ADI_CUT = 1.32
CV2_CUT = 0.49
SEASON = 52
CHEAP_MODELS = ("AutoETS", "CrostonOptimized", "ADIDA", "IMAPA")
SMOOTH_EXTRA = ("AutoARIMA",)


def classify(y: Sequence[float]) -> str:
    arr = np.asarray(y, dtype=float)
    nz = arr[arr > 0]
    if nz.size == 0:
        return "lumpy"
    adi = arr.size / nz.size
    cv2 = float((nz.std() / nz.mean()) ** 2) if nz.size > 1 and nz.mean() > 0 else 0.0
    if adi >= ADI_CUT:
        return "intermittent" if cv2 < CV2_CUT else "lumpy"
    return "smooth" if cv2 < CV2_CUT else "erratic"


def mase_scale(train: Sequence[float], season: int) -> float:
    arr = np.asarray(train, dtype=float)
    if arr.size <= season:
        return float("nan")
    return float(np.mean(np.abs(arr[season:] - arr[:-season])))


def mase(actual: Sequence[float], forecast: Sequence[float], train: Sequence[float], season: int) -> float:
    scale = mase_scale(train, season)
    if not scale or np.isnan(scale):
        return float("nan")
    return float(np.mean(np.abs(np.asarray(actual, float) - np.asarray(forecast, float))) / scale)


def seasonal_naive(train: Sequence[float], h: int, season: int) -> np.ndarray:
    arr = np.asarray(train, dtype=float)
    if arr.size < season:
        season = 1
    last = arr[-season:]
    return np.array([last[i % season] for i in range(h)], dtype=float)


def weekly_series(df: pl.DataFrame, top: int) -> tuple[pl.DataFrame, list[date]]:
    """Zero-filled weekly units for the ``top`` product × market series by revenue.

    Returns (frame with unique_id, product, market, ds, y) and the list of weeks used.
    """
    if df.height == 0:
        raise ValidationError("sales: no usable rows after cleaning", field="sales")
    lo: date = df["date"].min().date()
    hi: date = df["date"].max().date()
    first = lo - timedelta(days=lo.weekday())
    last = hi - timedelta(days=hi.weekday())
    if lo != first:
        first += timedelta(days=7)  # incomplete first week
    if hi < last + timedelta(days=6):
        last -= timedelta(days=7)  # incomplete last week
    if last < first:
        raise ValidationError("sales: less than one complete week of data", field="sales")
    weeks = [first + timedelta(days=7 * i) for i in range((last - first).days // 7 + 1)]
    w = df.with_columns(pl.col("date").dt.truncate("1w").dt.date().alias("ds")).filter(
        (pl.col("ds") >= first) & (pl.col("ds") <= last)
    )
    ranking = (
        w.group_by("product", "market")
        .agg(pl.col("revenue_e4").sum().alias("rev"))
        .sort(["rev", "product", "market"], descending=[True, False, False])
        .head(top)
        .with_columns((pl.col("product") + "|" + pl.col("market")).alias("unique_id"))
    )
    agg = w.group_by("product", "market", "ds").agg(pl.col("quantity").sum().alias("y"))
    grid = ranking.select("unique_id", "product", "market", "rev").join(
        pl.DataFrame({"ds": weeks}, schema={"ds": pl.Date}), how="cross"
    )
    full = (
        grid.join(agg, on=["product", "market", "ds"], how="left")
        .with_columns(pl.col("y").fill_null(0).cast(pl.Float64))
        .sort(["rev", "unique_id", "ds"], descending=[True, False, False])
        .drop("rev")
    )
    return full, weeks


@dataclass
class SeriesForecast:
    unique_id: str
    product: str
    market: str
    series_class: str
    model: str
    mase: float | None
    mase_baseline: float | None
    history: list[tuple[date, float]]
    backtest: list[tuple[date, float, float]]  # week, actual, forecast (test window)
    forecast: list[tuple[date, float, float, float]]  # week, mean, lo, hi
    selection_mae: dict[str, float] = field(default_factory=dict)

    def to_dict(self, with_history: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "product": self.product,
            "market": self.market,
            "class": self.series_class,
            "model": self.model,
            "mase": _r(self.mase),
            "mase_seasonal_naive": _r(self.mase_baseline),
            "forecast": [
                {"week": d.isoformat(), "mean": _r(m, 2), "lo": _r(ln, 2), "hi": _r(h, 2)} for d, m, ln, h in self.forecast
            ],
        }
        if with_history:
            out["history"] = [{"week": d.isoformat(), "units": v} for d, v in self.history]
            out["backtest"] = [{"week": d.isoformat(), "actual": a, "forecast": _r(f, 2)} for d, a, f in self.backtest]
            out["selection_mae"] = {k: _r(v) for k, v in self.selection_mae.items()}
        return out


def _r(x: float | None, places: int = 4) -> float | None:
    if x is None or (isinstance(x, float) and (np.isnan(x) or np.isinf(x))):
        return None
    return round(float(x), places)


@dataclass
class ForecastRun:
    series: list[SeriesForecast]
    horizon: int
    level: int
    baseline: str
    weeks: list[date]
    baseline_season: int = 1

    @property
    def mase(self) -> float | None:
        vals = [s.mase for s in self.series if s.mase is not None and not np.isnan(s.mase)]
        return float(np.mean(vals)) if vals else None

    @property
    def mase_seasonal_naive(self) -> float | None:
        vals = [s.mase_baseline for s in self.series if s.mase is not None and not np.isnan(s.mase)]
        return float(np.mean(vals)) if vals else None

    def contract(self, with_history: bool = False) -> dict[str, Any]:
        return {
            "series": len(self.series),
            "horizon": self.horizon,
            "mase": _r(self.mase),
            "mase_seasonal_naive": _r(self.mase_seasonal_naive),
            "baseline": baseline_name(self.baseline_season),
            "baseline_season": self.baseline_season,
            "baseline_note": self.baseline,
            "training_weeks": len(self.weeks) - self.horizon,
            "forecasts": [s.to_dict(with_history) for s in self.series],
        }


def baseline_season(n_weeks: int, horizon: int) -> int:
    """Lag of the MASE baseline: 52 when a full season (plus one seasonal difference for the
    scale) precedes the ``horizon``-week test window, else 1 (naive).

    >>> baseline_season(52, 8), baseline_season(60, 8), baseline_season(61, 8), baseline_season(104, 8)
    (1, 1, 52, 52)
    """
    return SEASON if n_weeks - horizon > SEASON else 1


def baseline_name(season: int) -> str:
    """``SeasonalNaive(52)`` or ``Naive``."""
    return f"SeasonalNaive({season})" if season > 1 else "Naive"


def _models(names: Sequence[str], season: int) -> list[Any]:
    from statsforecast.models import ADIDA, IMAPA, AutoARIMA, AutoETS, CrostonOptimized

    make = {
        "AutoETS": lambda: AutoETS(season_length=season),
        # a bounded stepwise search: p, q ≤ 2, d ≤ 1, at most 8 models per series (speed)
        "AutoARIMA": lambda: AutoARIMA(
            season_length=season, max_p=2, max_q=2, max_d=1, start_p=1, start_q=1, nmodels=8
        ),
        "CrostonOptimized": CrostonOptimized,
        "ADIDA": ADIDA,
        "IMAPA": IMAPA,
    }
    return [make[n]() for n in names]


def _cv(frame: pl.DataFrame, names: Sequence[str], h: int, season: int, n_jobs: int, n_windows: int = 2
        ) -> dict[tuple[str, str], np.ndarray]:
    """Rolling-origin backtest: {(unique_id, model): forecasts over the last n_windows × h weeks}."""
    from statsforecast import StatsForecast

    pdf = frame.select("unique_id", "ds", "y").to_pandas()
    pdf["ds"] = pdf["ds"].astype("datetime64[ns]")
    sf = StatsForecast(models=_models(names, season), freq="W-MON", n_jobs=n_jobs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cv = sf.cross_validation(df=pdf, h=h, n_windows=n_windows, step_size=h)
    cv = cv.sort_values(["unique_id", "ds"])
    out: dict[tuple[str, str], np.ndarray] = {}
    for uid, g in cv.groupby("unique_id", sort=False):
        for n in names:
            out[(str(uid), n)] = g[n].to_numpy(dtype=float)
    return out


def _fit_forecast(frame: pl.DataFrame, name: str, h: int, season: int, n_jobs: int) -> dict[str, np.ndarray]:
    from statsforecast import StatsForecast

    pdf = frame.select("unique_id", "ds", "y").to_pandas()
    pdf["ds"] = pdf["ds"].astype("datetime64[ns]")
    sf = StatsForecast(models=_models([name], season), freq="W-MON", n_jobs=n_jobs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fc = sf.forecast(df=pdf, h=h)
    fc = fc.sort_values(["unique_id", "ds"])
    return {str(uid): g[name].to_numpy(dtype=float) for uid, g in fc.groupby("unique_id", sort=False)}


def run(
    series: pl.DataFrame,
    weeks: list[date],
    *,
    horizon: int = 8,
    level: int = 80,
    n_jobs: int | None = None,
) -> ForecastRun:
    """Backtest, choose and forecast every series of ``weekly_series`` (see module docstring)."""
    if horizon < 1 or horizon > 52:
        raise ValidationError("horizon: between 1 and 52 weeks", field="horizon")
    if not 50 <= level < 100:
        raise ValidationError("level: between 50 and 99", field="level")
    n = len(weeks)
    if n < 2 * horizon + 8:
        raise ValidationError(
            f"sales: {n} complete weeks; a {horizon}-week backtest needs at least {2 * horizon + 8}", field="sales"
        )
    n_jobs = n_jobs or min(2, os.cpu_count() or 1)
    season = SEASON if n - 2 * horizon >= 2 * SEASON else 1
    base_season = baseline_season(n, horizon)
    baseline = (f"SeasonalNaive({base_season})" if base_season > 1 else
                f"Naive (seasonal naive without a full season: {n - horizon} training weeks)")

    ys: dict[str, np.ndarray] = {}
    meta: dict[str, tuple[str, str]] = {}
    for uid, g in series.group_by("unique_id", maintain_order=True):
        key = str(uid[0] if isinstance(uid, tuple) else uid)
        ys[key] = g["y"].to_numpy()
        meta[key] = (g["product"][0], g["market"][0])
    classes = {u: classify(y[: n - horizon]) for u, y in ys.items()}
    smooth_ids = [u for u, c in classes.items() if c == "smooth"]

    preds = _cv(series, CHEAP_MODELS, horizon, season, n_jobs)
    if smooth_ids:
        # the slow models are backtested on the selection window first, and on the test window
        # only for the series that choose them (half the fits, same result)
        cut = weeks[n - horizon - 1]
        sel = _cv(series.filter(pl.col("unique_id").is_in(smooth_ids) & (pl.col("ds") <= cut)), SMOOTH_EXTRA, horizon,
                  season, n_jobs, n_windows=1)
        for (u, m), p in sel.items():
            preds[(u, m)] = np.concatenate([p, np.full(horizon, np.nan)])

    chosen: dict[str, str] = {}
    results: dict[str, SeriesForecast] = {}
    errors: dict[str, np.ndarray] = {}
    results_sel: dict[str, dict[str, float]] = {}
    for u, y in ys.items():
        sel_actual = y[n - 2 * horizon : n - horizon]
        names = list(CHEAP_MODELS) + (list(SMOOTH_EXTRA) if u in smooth_ids else [])
        sel_mae = {}
        for m in names:
            p = np.clip(preds[(u, m)], 0, None)
            sel_mae[m] = float(np.mean(np.abs(sel_actual - p[:horizon])))
        results_sel[u] = sel_mae
        best = min(names, key=lambda m: (sel_mae[m], names.index(m)))
        chosen[u] = best

    slow_chosen: dict[str, list[str]] = {}
    for u, m in chosen.items():
        if m in SMOOTH_EXTRA:
            slow_chosen.setdefault(m, []).append(u)
    for m, ids in slow_chosen.items():
        test = _cv(series.filter(pl.col("unique_id").is_in(ids)), [m], horizon, season, n_jobs, n_windows=1)
        for u in ids:
            preds[(u, m)][horizon:] = test[(u, m)]

    for u, y in ys.items():
        sel_mae = results_sel[u]
        best = chosen[u]
        test_actual = y[n - horizon :]
        p = np.clip(preds[(u, best)], 0, None)
        errors[u] = np.abs(y[n - 2 * horizon :] - p)
        train = y[: n - horizon]
        base = seasonal_naive(train, horizon, base_season)
        results[u] = SeriesForecast(
            unique_id=u,
            product=meta[u][0],
            market=meta[u][1],
            series_class=classes[u],
            model=best,
            mase=mase(test_actual, p[horizon:], train, base_season),
            mase_baseline=mase(test_actual, base, train, base_season),
            history=[(weeks[i], float(y[i])) for i in range(n)],
            backtest=[(weeks[n - horizon + i], float(test_actual[i]), float(p[horizon + i])) for i in range(horizon)],
            forecast=[],
            selection_mae=sel_mae,
        )

    future_weeks = [weeks[-1] + timedelta(days=7 * (i + 1)) for i in range(horizon)]
    by_model: dict[str, list[str]] = {}
    for u, m in chosen.items():
        by_model.setdefault(m, []).append(u)
    for m, ids in by_model.items():
        fc = _fit_forecast(series.filter(pl.col("unique_id").is_in(ids)), m, horizon, season, n_jobs)
        for u in ids:
            mean = np.clip(fc[u], 0, None)
            q = float(np.quantile(errors[u], level / 100)) if errors[u].size else 0.0
            results[u].forecast = [
                (future_weeks[i], float(mean[i]), float(max(0.0, mean[i] - q)), float(mean[i] + q)) for i in range(horizon)
            ]
    return ForecastRun([results[u] for u in ys], horizon, level, baseline, weeks, base_season)

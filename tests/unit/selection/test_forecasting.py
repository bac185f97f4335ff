from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from xborder.errors import ValidationError
from xborder.selection import forecasting as F
from xborder.selection.transactions import clean, read_uci


def _frame(n_weeks=60):
    rng = np.random.default_rng(3)
    weeks = [date(2021, 1, 4) + timedelta(days=7 * i) for i in range(n_weeks)]
    rows = []
    for uid, kind in [("A|DE", "smooth"), ("B|DE", "trend"), ("C|FR", "intermittent")]:
        for i, w in enumerate(weeks):
            if kind == "smooth":
                y = 50 + rng.normal(0, 3)
            elif kind == "trend":
                y = 10 + 1.5 * i + rng.normal(0, 2)
            else:
                y = float(rng.integers(3, 9)) if rng.random() < 0.3 else 0.0
            p, m = uid.split("|")
            rows.append({"unique_id": uid, "product": p, "market": m, "ds": w, "y": max(0.0, round(y))})
    return pl.DataFrame(rows), weeks


def test_mase_definition_matches_hand_computation():
    # scale = mean |diff| of [1,2,3,4] = 1; MAE = (|2-3| + |2-1|)/2 = 1
    assert F.mase([2, 2], [3, 1], [1, 2, 3, 4], season=1) == 1.0
    assert math.isnan(F.mase([1], [1], [5, 5, 5], season=1))  # zero scale


def test_seasonal_naive_falls_back_to_naive_without_a_season():
    assert list(F.seasonal_naive([1, 2, 3], 2, 52)) == [3.0, 3.0]
    assert list(F.seasonal_naive([1, 2, 3, 4], 3, 2)) == [3.0, 4.0, 3.0]


def test_classification_syntetos_boylan():
    assert F.classify([0, 0, 0, 2, 0, 0, 50, 0]) == "lumpy"
    assert F.classify([1, 50, 2, 60, 3, 70]) == "erratic"


def test_run_backtest_and_intervals():
    frame, weeks = _frame()
    run = F.run(frame, weeks, horizon=8, n_jobs=1)
    c = run.contract()
    assert list(c) == ["series", "horizon", "mase", "mase_seasonal_naive", "baseline", "baseline_season", "baseline_note",
                       "training_weeks", "forecasts"]
    # 60 weeks - 8 = 52 training weeks: no seasonal difference for the scale, so naive, and said so
    assert c["baseline"] == "Naive" and c["baseline_season"] == 1 and c["training_weeks"] == 52
    assert "without a full season" in c["baseline_note"]
    assert c["series"] == 3 and c["horizon"] == 8
    by = {(f["product"], f["market"]): f for f in c["forecasts"]}
    assert by[("C", "FR")]["class"] in ("intermittent", "lumpy")
    assert by[("C", "FR")]["model"] in ("CrostonOptimized", "ADIDA", "IMAPA", "AutoETS")
    for f in c["forecasts"]:
        assert len(f["forecast"]) == 8
        assert f["forecast"][0]["week"] == (weeks[-1] + timedelta(days=7)).isoformat()
        for p in f["forecast"]:
            assert 0 <= p["lo"] <= p["mean"] <= p["hi"]
    # the trend series: a model beats naive clearly
    assert by[("B", "DE")]["mase"] is not None
    assert c["mase"] == pytest.approx(np.mean([s.mase for s in run.series]), abs=1e-3)
    # reported MASE recomputes from the backtest
    s = next(s for s in run.series if s.product == "A")
    y = frame.filter(pl.col("unique_id") == "A|DE")["y"].to_numpy()
    fc = [b[2] for b in s.backtest]
    assert s.mase == pytest.approx(F.mase(y[-8:], fc, y[:-8], 1))


def test_too_short_history_is_refused():
    frame, weeks = _frame(20)
    with pytest.raises(ValidationError, match="complete weeks"):
        F.run(frame, weeks, horizon=8, n_jobs=1)


def test_weekly_series_drops_incomplete_end_weeks(uci_sample):
    df = clean(read_uci(uci_sample)).frame
    series, weeks = F.weekly_series(df, top=5)
    assert weeks[0].weekday() == 0
    assert series["unique_id"].n_unique() == 5
    assert series.height == 5 * len(weeks)
    # the weeks used are whole: the sales start on or before the first Monday and reach the last Sunday
    assert df["date"].min().date() <= weeks[0]
    assert df["date"].max().date() >= weeks[-1] + timedelta(days=6)
    assert all(b - a == timedelta(days=7) for a, b in zip(weeks, weeks[1:], strict=False))


def _seasonal_frame(n_weeks: int, start: date = date(2021, 1, 4)):
    """Two series with a strong yearly pattern: A = pattern + trend 0.5/week (deterministic), B =
    pattern + noise. Week-of-year pattern: a Christmas peak and a summer trough."""
    rng = np.random.default_rng(11)
    weeks = [start + timedelta(days=7 * i) for i in range(n_weeks)]
    pattern = [40 + 35 * math.exp(-((k - 48) ** 2) / 8) - 15 * math.exp(-((k - 28) ** 2) / 20) for k in range(52)]
    rows = []
    for i, w in enumerate(weeks):
        rows.append({"unique_id": "A|UK", "product": "A", "market": "UK", "ds": w, "y": float(round(pattern[i % 52] + 0.5 * i, 1))})
        rows.append({"unique_id": "B|DE", "product": "B", "market": "DE", "ds": w,
                     "y": float(max(0, round(pattern[i % 52] + rng.normal(0, 2))))})
    return pl.DataFrame(rows), weeks


def test_true_seasonal_naive_is_the_baseline_once_a_full_season_precedes_the_test_window():
    """2.5 years of weekly data: the baseline is the lag-52 seasonal naive (each test week repeats
    the same week a year earlier), not naive, and the JSON says so."""
    h = 8
    frame, weeks = _seasonal_frame(130)
    run = F.run(frame, weeks, horizon=h, n_jobs=1)
    c = run.contract()
    assert c["baseline"] == "SeasonalNaive(52)" and c["baseline_season"] == 52 and c["training_weeks"] == 122
    n = len(weeks)
    y = frame.filter(pl.col("unique_id") == "A|UK")["y"].to_numpy()
    a = next(s for s in run.series if s.product == "A")
    # deterministic series: seasonal naive is off by exactly the trend over a year (0.5 x 52 = 26)
    # on every test week, and so is every in-sample seasonal difference: baseline MASE = 1
    assert a.mase_baseline == pytest.approx(1.0)
    expected = F.mase(y[n - h:], y[n - h - 52:n - 52], y[: n - h], 52)
    assert a.mase_baseline == pytest.approx(expected)
    # ... which naive (lag 1) would not give
    naive = F.mase(y[n - h:], np.repeat(y[n - h - 1], h), y[: n - h], 1)
    assert abs(naive - 1.0) > 0.1
    # the forecasts' MASE is scaled by the same seasonal differences
    assert a.mase == pytest.approx(F.mase(y[n - h:], [b[2] for b in a.backtest], y[: n - h], 52))
    b = next(s for s in run.series if s.product == "B")
    yb = frame.filter(pl.col("unique_id") == "B|DE")["y"].to_numpy()
    assert b.mase_baseline == pytest.approx(F.mase(yb[n - h:], yb[n - h - 52:n - 52], yb[: n - h], 52))
    assert c["mase_seasonal_naive"] == pytest.approx(np.mean([a.mase_baseline, b.mase_baseline]), abs=1e-4)


@pytest.mark.parametrize(("n_weeks", "season"), [(60, 1), (61, 52), (104, 52)])
def test_baseline_switches_to_seasonal_naive_exactly_when_a_season_fits(n_weeks, season):
    frame, weeks = _seasonal_frame(n_weeks)
    run = F.run(frame, weeks, horizon=8, n_jobs=1)
    assert run.baseline_season == season
    assert run.contract()["baseline"] == ("SeasonalNaive(52)" if season == 52 else "Naive")
    y = frame.filter(pl.col("unique_id") == "B|DE")["y"].to_numpy()
    n = len(weeks)
    base = F.seasonal_naive(y[: n - 8], 8, season)
    b = next(s for s in run.series if s.product == "B")
    assert b.mase_baseline == pytest.approx(F.mase(y[n - 8:], base, y[: n - 8], season))

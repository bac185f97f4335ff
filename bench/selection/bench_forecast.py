"""Benchmark: forecasts with backtest for the largest SKU × country series of the UCI file.

Targets (issue 7): 500 series in ≤ 60 s on 2 cores; aggregate MASE ≥ 10 % better than the
seasonal naive baseline. Prints the measured numbers; no assertion.

    PYTHONPATH=src python bench/selection/bench_forecast.py [--top 500] [--data PATH]
"""

from __future__ import annotations

import argparse
import collections
import os
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "ecommerce" / "uci_online_retail" / "online_retail.csv"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=str(DEFAULT))
    ap.add_argument("--top", type=int, default=500)
    ap.add_argument("--horizon", type=int, default=8)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    t0 = time.perf_counter()
    from statsforecast import StatsForecast  # noqa: F401  (import time is not part of the target)

    from xborder.selection import forecasting
    from xborder.selection.transactions import clean, read_uci

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    cleaned = clean(read_uci(args.data))
    t_load = time.perf_counter() - t0
    import resource

    def cpu() -> float:
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    t0, c0 = time.perf_counter(), cpu()
    series, weeks = forecasting.weekly_series(cleaned.frame, args.top)
    run = forecasting.run(series, weeks, horizon=args.horizon, n_jobs=args.jobs)
    t_fc, c_fc = time.perf_counter() - t0, cpu() - c0
    load = os.getloadavg()[0]
    m, b = run.mase, run.mase_seasonal_naive
    print(f"cpus available: {os.cpu_count()}  jobs: {args.jobs}")
    print(f"import statsforecast: {t_import:.2f} s; load + clean: {t_load:.2f} s (not in the target)")
    print(f"series: {len(run.series)}  weeks: {len(weeks)}  horizon: {args.horizon}  baseline: {run.baseline}")
    print(f"forecast + two-window backtest: {t_fc:.2f} s wall   (target <= 60 s)")
    print(f"  CPU time (this process + workers): {c_fc:.1f} s = {c_fc / 2:.1f} s on 2 idle cores; "
          f"load average at the end: {load:.1f}")
    print(f"MASE chosen models: {m:.4f}   MASE baseline: {b:.4f}   improvement: {(1 - m / b) * 100:.1f} %   (target >= 10 %)")
    print("models chosen:", dict(collections.Counter(s.model for s in run.series)))
    print("series classes:", dict(collections.Counter(s.series_class for s in run.series)))


if __name__ == "__main__":
    main()

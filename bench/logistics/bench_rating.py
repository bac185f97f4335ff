"""Benchmark: rate 100,000 parcels against 10 cards (target <= 2 s on one core after loading).

Prints measured numbers and ratios against
  (a) a straightforward per-parcel Decimal implementation (``pricing.quote`` in a loop), and
  (b) karrio's generic rate sheet on an equivalent flat card, when a Python with karrio is
      given by ``KARRIO_PYTHON`` (e.g. a venv with ``pip install karrio karrio-generic``); the
      karrio part runs in that interpreter (``karrio_generic_bench.py``) with sockets blocked.

Usage:  PYTHONPATH=src python bench/logistics/bench_rating.py [--parcels 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from xborder.logistics.fastrate import Book, ParcelArrays, country_id  # noqa: E402
from xborder.logistics.pricing import Option, RateRequest, quote  # noqa: E402
from xborder.logistics.ratecard import parse_card  # noqa: E402

HERE = Path(__file__).resolve().parent
CARDS = HERE.parents[1] / "src" / "xborder" / "logistics" / "cards"
ON = date(2026, 11, 24)
DESTS = ["US", "US", "US", "GB", "DE", "FR", "IT", "ES", "JP", "AU", "CA", "SE", "BR"]


def ten_cards():
    base = [parse_card(p.read_text(encoding="utf-8"), p.name) for p in sorted(CARDS.glob("*.yaml"))]
    buyer = [c for c in base if c.delivers_to == "buyer"]
    cards = list(buyer)
    k = 0
    while len(cards) < 10:
        src = buyer[k % len(buyer)]
        f = Decimal("1.05") + Decimal(k) / 100
        zones = tuple(
            replace(z, bands=tuple(replace(b, per_kg=(b.per_kg * f).quantize(Decimal("0.01")), per_piece=b.per_piece) for b in z.bands))
            for z in src.zones
        )
        cards.append(replace(src, code=f"{src.code}-v{k}", zones=zones))
        k += 1
    return cards


def parcels(n: int, seed: int = 1):
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        g = rnd.choice((rnd.randint(20, 600), rnd.randint(20, 2000), rnd.randint(100, 25000)))
        rows.append((rnd.choice(DESTS), g, rnd.randint(50, 600), rnd.randint(50, 400), rnd.randint(10, 300)))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--parcels", type=int, default=100_000)
    ap.add_argument("--baseline-sample", type=int, default=2_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    cards = ten_cards()
    rows = parcels(args.parcels)
    # loading (not timed against the target): columns of ints
    t0 = time.perf_counter()
    arr = ParcelArrays.from_arrays(
        np.fromiter((country_id(r[0]) for r in rows), dtype=np.int64, count=len(rows)),
        *(np.fromiter((r[i] for r in rows), dtype=np.int64, count=len(rows)) for i in range(1, 5)),
    )
    load_s = time.perf_counter() - t0
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        book = Book(cards, ON)  # compile cards for the date
        m = book.price_matrix(arr)
        rank = np.where(m >= 0, m, np.iinfo(np.int64).max)
        best = rank.argmin(axis=1)
        _cheapest = m[np.arange(arr.n), best]
        times.append(time.perf_counter() - t0)
    fast_s = statistics.median(times)
    quotes = arr.n * len(cards)
    # baseline: the exact Decimal engine, parcel by parcel, card by card
    sample = rows[: args.baseline_sample]
    t0 = time.perf_counter()
    mismatches = 0
    for i, (dest, g, ln, w, h) in enumerate(sample):
        req = RateRequest.build(dest, Decimal(g) / 1000, (Decimal(ln) / 10, Decimal(w) / 10, Decimal(h) / 10), ON)
        for j, c in enumerate(cards):
            res = quote(c, req)
            want = int(res.price * 100) if isinstance(res, Option) else -1
            if int(m[i, j]) != want:
                mismatches += 1
    base_s = time.perf_counter() - t0
    base_per_quote = base_s / (len(sample) * len(cards))
    fast_per_quote = fast_s / quotes
    out = {
        "parcels": arr.n,
        "cards": len(cards),
        "load_s": round(load_s, 3),
        "rate_all_s_median": round(fast_s, 3),
        "rate_all_s_runs": [round(t, 3) for t in times],
        "target_s": 2.0,
        "meets_target": fast_s <= 2.0,
        "fast_us_per_quote": round(fast_per_quote * 1e6, 3),
        "decimal_baseline_us_per_quote": round(base_per_quote * 1e6, 2),
        "ratio_vs_decimal_baseline": round(base_per_quote / fast_per_quote, 1),
        "baseline_sample_quotes": len(sample) * len(cards),
        "baseline_mismatches": mismatches,
    }
    kp = os.environ.get("KARRIO_PYTHON")
    if kp:
        res = subprocess.run([kp, str(HERE / "karrio_generic_bench.py")], capture_output=True, text=True, check=False)
        try:
            k = json.loads(res.stdout.strip().splitlines()[-1])
            out["karrio_ms_per_quote"] = k["ms_per_quote"]
            out["karrio_version"] = k["karrio_version"]
            out["ratio_vs_karrio_per_quote"] = round(k["ms_per_quote"] / 1000 / fast_per_quote, 1)
            out["karrio_quotes"] = k["quotes"]
            out["karrio_rates_returned"] = k["rates"]
        except (IndexError, KeyError, json.JSONDecodeError):
            out["karrio_error"] = (res.stderr or res.stdout)[-500:]
    else:
        out["karrio"] = "not run: set KARRIO_PYTHON to a Python with karrio + karrio-generic"
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    sys.exit(main())

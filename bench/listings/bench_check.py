"""Listing checker throughput: how long a catalog-wide check takes.

Listings are built from the UCI Online Retail product names (../shared/data) when present, else
synthetic ones; each gets 5 bullets, a 900-character description and search terms, i.e. a full
Amazon listing. Baseline beside the full rule set: the same listings checked with only the
title-length rule, so the ratio shows what the full rule set costs. Prints measured numbers.

    PYTHONPATH=src python bench/listings/bench_check.py [N]
"""

from __future__ import annotations

import csv
import sys
import time
from dataclasses import replace
from pathlib import Path

from xborder.listings.checker import Listing, check
from xborder.listings.rulebook import marketplace


def titles(n: int) -> list[str]:
    path = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ecommerce" / "uci_online_retail" / "online_retail.csv"
    out: list[str] = []
    if path.exists():
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            seen = set()
            for row in csv.DictReader(fh):
                d = row["Description"].strip()
                if d and d not in seen:
                    seen.add(d)
                    out.append("Acme " + d.title())
                if len(out) >= n:
                    break
    while len(out) < n:
        out.append(f"Acme Silicone Phone Case Model {len(out)} Slim Cover Blue")
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    listings = [Listing(title=t, bullets=tuple(f"Feature {i}: soft silicone, easy to clean." for i in range(5)),
                        description="A slim silicone case with shockproof corners. " * 20, brand="Acme",
                        search_terms="cover bumper gel thin protective") for t in titles(n)]
    for mid in ("amazon-us", "amazon-de", "ebay-us", "walmart"):
        mp = marketplace(mid)
        minimal = replace(mp, rules=tuple(r for r in mp.rules if r.id == "title.max_length"))
        t0 = time.perf_counter()
        base = sum(check(lst, minimal).errors for lst in listings)
        t_base = time.perf_counter() - t0
        t0 = time.perf_counter()
        errors = sum(check(lst, mp).errors for lst in listings)
        t_full = time.perf_counter() - t0
        print(f"{mid:10s} {n} listings: full rules {t_full:6.2f} s ({n / t_full:7.0f} listings/s, {1000 * t_full / n:5.2f} ms each, "
              f"{len(mp.rules)} rules, {errors} errors) | baseline title-length only {t_base:5.2f} s ({base} errors) "
              f"| ratio {t_full / t_base:5.1f}x")


if __name__ == "__main__":
    main()

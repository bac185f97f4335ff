"""Benchmark: import a 1,000,000-line Amazon settlement file (validated, deduplicated) and
reconcile 1,000,000 lines against 300,000 orders, on SQLite and (with DATABASE_URL) PostgreSQL.

Prints the measured seconds and the ratio to the floor: reading the same file with polars alone.
Targets (issue 5): import ≤ 15 s SQLite, ≤ 10 s PostgreSQL; reconcile ≤ 5 s; memory < 2 GB.

    PYTHONPATH=src python bench/money/bench_settlement.py [--lines 1000000] [--orders 300000]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/xb_money PYTHONPATH=src python bench/money/bench_settlement.py
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import polars as pl
from sqlalchemy import text

from xborder.accounts import service as accounts
from xborder.accounts.model import Role
from xborder.accounts.service import Principal
from xborder.bootstrap import Container
from xborder.config import Settings, normalise_database_url, sqlite_url
from xborder.db import UnitOfWork, make_engine, upgrade
from xborder.payments import service as payments
from xborder.payments.importers.amazon_settlement_v2 import COLUMNS


def server_cpu(session: object) -> Callable[[], float | None]:
    """CPU seconds used so far by this session's PostgreSQL backend (read from /proc when the
    server runs on this machine; None otherwise, and on SQLite)."""
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    if session.connection().dialect.name != "postgresql":
        return lambda: None
    pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()

    def read() -> float | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return read


def load() -> str:
    return "load avg " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def since(start: float | None, now: float | None) -> str:
    return "" if start is None or now is None else f"; server backend CPU {now - start:.1f} s"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cents_text(c: int) -> str:
    sign = "-" if c < 0 else ""
    c = abs(c)
    return f"{sign}{c // 100}.{c % 100:02d}"


def make_file_fast(path: Path, lines: int, orders: int) -> list[str]:
    ids = [f"111-{i:07d}-{(i * 7919) % 10**7:07d}" for i in range(orders)]
    per = lines // orders
    extra = lines - per * orders
    total = 0
    parts = []
    start = datetime(2026, 3, 1)
    for i, oid in enumerate(ids):
        price = 1000 + (i * 37) % 5000
        amounts = [("ItemPrice", "Principal", price), ("ItemFees", "Commission", -(price * 15 // 100)),
                   ("ItemFees", "FBAPerUnitFulfillmentFee", -322), ("ItemPrice", "Tax", price * 8 // 100),
                   ("ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", -(price * 8 // 100))]
        k = per + (1 if i < extra else 0)
        posted = start + timedelta(seconds=i * 4)
        pd, pdt = posted.strftime("%Y-%m-%d"), posted.strftime("%Y-%m-%d %H:%M:%S UTC")
        for at, desc, c in amounts[:k]:
            total += c
            parts.append(f"8800000001\t\t\t\t\t\tOrder\t{oid}\t\t\t\tAmazon.com\t{at}\t{desc}\t{cents_text(c)}\tAFN\t{pd}\t{pdt}"
                         f"\t{10**13 + i}\t\t\tSKU-{i % 400:04d}\t1\t")
    head = "\t".join(COLUMNS)
    summary = "\t".join(["8800000001", "2026-03-01 00:00:00 UTC", "2026-03-15 00:00:00 UTC", "2026-03-17 00:00:00 UTC",
                         cents_text(total), "USD"] + [""] * 18)
    path.write_text(head + "\n" + summary + "\n" + "\n".join(parts) + "\n", "utf-8")
    return ids


def load_orders(settings: Settings, org_id: int, ids: list[str]) -> None:
    """300k orders with one line each, inserted directly (setup, not timed)."""
    engine = make_engine(settings)
    now = datetime(2026, 11, 24)
    with engine.begin() as conn:
        raw = conn.connection.dbapi_connection
        cur = raw.cursor()
        ph = "?" if settings.is_sqlite else "%s"
        orows = [(org_id, "amazon", oid, "US", "USD", datetime(2026, 3, 1) + timedelta(seconds=i * 4), "Shipped", "FBA",
                  "amazon-all-orders", now, now) for i, oid in enumerate(ids)]
        cur.executemany(f"INSERT INTO sales_orders (org_id, channel, order_ref, market, currency, purchased_at, status, "
                        f"fulfillment, source_format, created_at, updated_at) VALUES ({', '.join([ph] * 11)})", orows)
        cur.execute("SELECT id, order_ref FROM sales_orders WHERE org_id = " + str(org_id))
        oid_of = dict((r[1], r[0]) for r in cur.fetchall())
        lrows = [(org_id, oid_of[oid], "1", f"SKU-{i % 400:04d}", 10000, (1000 + (i * 37) % 5000) * 100, 0, 0, 0, 0, now, now)
                 for i, oid in enumerate(ids)]
        cur.executemany("INSERT INTO sales_order_lines (org_id, order_id, line_ref, platform_sku, quantity, item_price, "
                        f"item_tax, shipping_price, shipping_tax, discount, created_at, updated_at) VALUES ({', '.join([ph] * 12)})",
                        lrows)
    engine.dispose()


def run(settings: Settings, label: str, data: bytes, ids: list[str], floor: float) -> None:
    c = Container(settings)
    with UnitOfWork(c.sessions) as u:
        org = accounts.create_org(u.session, f"Bench {label}")
        u.commit()
        org_id = org.id
    p = Principal(user_id=0, org_id=org_id, role=Role.OWNER)
    t0, c0 = time.perf_counter(), time.process_time()
    with UnitOfWork(c.sessions) as u:
        srv = server_cpu(u.session)
        s0 = srv()
        out = payments.import_payouts(u.session, p, "amazon-settlement-v2", data, fast=True)
        u.commit()
        srv_import = since(s0, srv())
    t_import, cpu_import = time.perf_counter() - t0, time.process_time() - c0
    load_import = load()
    t0 = time.perf_counter()
    with UnitOfWork(c.sessions) as u:
        again = payments.import_payouts(u.session, p, "amazon-settlement-v2", data, fast=True)
        u.commit()
    t_again = time.perf_counter() - t0
    load_orders(settings, org_id, ids)
    t0, c0 = time.perf_counter(), time.process_time()
    with UnitOfWork(c.sessions) as u:
        srv = server_cpu(u.session)
        s0 = srv()
        r = payments.run_reconcile(u.session, p)
        srv_rec = since(s0, srv())
    t_rec, cpu_rec = time.perf_counter() - t0, time.process_time() - c0
    print(f"[{label}] import {out.imported:,} lines: {t_import:.2f} s  ({t_import / floor:.1f}x polars read; "
          f"this process's CPU {cpu_import:.1f} s{srv_import}; {load_import})")
    print(f"[{label}] re-import same file: {t_again:.2f} s, imported {again.imported}, skipped {again.skipped_duplicates:,}")
    print(f"[{label}] reconcile {r.matched + r.unmatched_payout_lines:,} lines vs {len(ids):,} orders: {t_rec:.2f} s "
          f"({t_rec / floor:.1f}x polars read; CPU {cpu_rec:.1f} s{srv_rec}; {load()}; matched {r.matched:,}, unmatched "
          f"{r.unmatched_payout_lines:,}, orders without payout {r.orders_without_payout:,})")
    print(f"[{label}] peak RSS so far: {rss_mb():.0f} MB")
    c.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--orders", type=int, default=300_000)
    ap.add_argument("--no-sqlite", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="xb-bench-"))
    f = tmp / "settlement.txt"
    t0 = time.perf_counter()
    # generated in a child process so that its memory does not count in this process's peak RSS
    with multiprocessing.get_context("fork").Pool(1) as pool:
        ids = pool.apply(make_file_fast, (f, args.lines, args.orders))
    print(load())
    print(f"generated {f} ({f.stat().st_size / 1e6:.0f} MB, {args.lines:,} lines) in {time.perf_counter() - t0:.1f} s; "
          f"peak RSS before import {rss_mb():.0f} MB")
    data = f.read_bytes()
    t0, c0 = time.perf_counter(), time.process_time()
    df = pl.read_csv(data, separator="\t", infer_schema=False, quote_char=None)
    floor = time.perf_counter() - t0
    print(f"floor: polars read_csv alone {floor:.2f} s, CPU {time.process_time() - c0:.1f} s ({df.height:,} rows)")
    del df
    if not args.no_sqlite:
        db = tmp / "bench.sqlite3"
        st = Settings(database_url=sqlite_url(db), data_dir=tmp, secret_key="bench")
        upgrade(st)
        run(st, "sqlite", data, ids, floor)
    url = os.environ.get("DATABASE_URL")
    if url:
        url = normalise_database_url(url)
        eng = make_engine(url)
        with eng.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        eng.dispose()
        upgrade(url)
        run(Settings(database_url=url, data_dir=tmp, secret_key="bench"), "postgresql", data, ids, floor)


if __name__ == "__main__":
    main()

"""Benchmark: the profit report (every order line with its fees, shipping, duties, FX, cost and
rebate) on the demo company's database, against a floor run beside it: loading the same orders
with their lines and nothing else.

    scripts/demo --no-open   # once, to build var/demo.sqlite3 (then stop it)
    PYTHONPATH=src python bench/money/bench_profit.py [--db var/demo.sqlite3] [--org "Brightwave Shenzhen"]

Prints seconds, CPU seconds and the ratio to the floor for: the first report of a process (reads
the stored FX history), a second report (FX sources kept while the rate table is unchanged),
one order's figures (the order page), the margins of the orders page's 50 orders and the orders
list's "losing money" filter (the margins of every order, then the page).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w, time.process_time() - c, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="var/demo.sqlite3")
    ap.add_argument("--org", default="Brightwave Shenzhen")
    a = ap.parse_args()
    if not Path(a.db).exists():
        raise SystemExit(f"{a.db} not found: run scripts/demo once to build the demo database")
    from xborder.accounts.model import Role
    from xborder.accounts.orm import Organisation
    from xborder.accounts.service import Principal
    from xborder.bootstrap import Container
    from xborder.config import Settings
    from xborder.profit import service
    from xborder.sales.orm import SalesOrder

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite3"
        shutil.copy(a.db, db)  # never touch the demo's own file
        s = Container(Settings(database_url=f"sqlite:///{db}", data_dir=Path(tmp), secret_key="x" * 32)).sessions()
        org = s.scalar(select(Organisation).where(Organisation.name == a.org))
        if org is None:
            raise SystemExit(f"no organisation {a.org!r} in {a.db}")
        p = Principal(user_id=0, org_id=org.id, role=Role.OWNER)

        def floor() -> int:
            s.expunge_all()
            orders = s.scalars(select(SalesOrder).where(SalesOrder.org_id == org.id).options(selectinload(SalesOrder.lines))).all()
            return sum(len(o.lines) for o in orders)

        fw, fc, n_lines = timed(floor)
        s.expunge_all()
        first = timed(lambda: service.build_report(s, p))
        s.expunge_all()
        second = timed(lambda: service.build_report(s, p))
        oid = s.scalar(select(SalesOrder.id).where(SalesOrder.org_id == org.id).order_by(SalesOrder.purchased_at).limit(1))
        s.expunge_all()
        try:
            one = timed(lambda: service.build_report(s, p, order_ids=[oid]))
        except TypeError:  # before order_ids: the order page built the report from the order's date on
            first_day = s.get(SalesOrder, oid).purchased_at.date()
            one = timed(lambda: service.build_report(s, p, start=first_day))
        page_ids = list(s.scalars(select(SalesOrder.id).where(SalesOrder.org_id == org.id)
                                  .order_by(SalesOrder.purchased_at.desc()).limit(50)))
        s.expunge_all()
        extra: list[tuple[str, tuple[float, float, Any]]] = []
        if hasattr(service, "order_margins"):  # the orders page's margin column, its "losing money" filter
            from xborder.sales import service as sales

            extra.append(("orders page (50 margins)", timed(lambda: service.order_margins(s, p, page_ids))))
            s.expunge_all()
            extra.append(("losing-money filter (every order)", timed(lambda: sales.find_orders(s, p, limit=50, margin="negative"))))
        load = os.getloadavg()[0]
        print(f"{len(first[2].lines)} profit lines from {n_lines} order lines; load average {load:.2f}")
        print(f"floor (orders and lines loaded): {fw:.2f} s (CPU {fc:.2f} s)")
        for label, (w, c, _) in (("first report", first), ("second report", second), ("one order", one), *extra):
            print(f"{label}: {w:.2f} s (CPU {c:.2f} s) = {w / fw:.1f}x the floor")


if __name__ == "__main__":
    main()

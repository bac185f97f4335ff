"""Time the 文库 path at full size: build a cmcode.DBF with as many rows as the 2026B library
(11,727 rate intervals, research notes §2), read it, validate it, store it (SQLite, temp file),
import it a second time (idempotent), and look up every code.

Run: PYTHONPATH=src python bench/rebate/bench_rates_import.py [rows]
Prints measured seconds; the baseline beside it is reading the DBF alone.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from xborder.accounts.model import Role
from xborder.accounts.service import Principal
from xborder.rebate.dbf import read_dbf, write_dbf

FIELDS = [("CODE", "C", 16, 0), ("ST_DATE", "C", 8, 0), ("END_DATE", "C", 8, 0), ("NAME", "C", 60, 0),
          ("UNIT", "C", 10, 0), ("ZSSL_SET", "C", 10, 0), ("TSL", "N", 6, 2), ("TSFLAG", "C", 1, 0)]


def main(n: int = 11_727) -> None:
    rows = [{"CODE": f"{1000000000 + i * 7919 % 8999999999:010d}", "ST_DATE": "20260101", "END_DATE": "20991231",
             "NAME": "商品名称示例", "UNIT": "千克", "ZSSL_SET": "13", "TSL": ("13", "9", "0")[i % 3], "TSFLAG": ""}
            for i in range(n)]
    data = write_dbf(FIELDS, rows)
    t0 = time.perf_counter()
    read_dbf(data)
    t_read = time.perf_counter() - t0

    from xborder.config import load_settings
    from xborder.db import upgrade

    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(db=str(Path(tmp) / "bench.db"))
        upgrade(settings)
        from xborder.accounts import service as accounts
        from xborder.bootstrap import Container
        from xborder.rebate import service
        from xborder.rebate.importers import import_file

        c = Container(settings)
        with c.sessions() as s:
            org = accounts.create_org(s, "bench")
            s.commit()
            p = Principal(user_id=0, org_id=org.id, role=Role.OWNER)
            t0 = time.perf_counter()
            r1 = import_file(s, p, "rates", data, "cmcode.DBF")
            s.commit()
            t_first = time.perf_counter() - t0
            t0 = time.perf_counter()
            r2 = import_file(s, p, "rates", data, "cmcode.DBF")
            s.commit()
            t_second = time.perf_counter() - t0
            t0 = time.perf_counter()
            lib = service.library(s, org.id)
            t_load = time.perf_counter() - t0
            t0 = time.perf_counter()
            some = service.library(s, org.id, codes=[r["CODE"] for r in rows[:20]])
            t_some = time.perf_counter() - t0
            t0 = time.perf_counter()
            for row in rows:
                lib.lookup(row["CODE"], date(2026, 10, 8))
            t_lookup = time.perf_counter() - t0
    print(f"rows                         {n}")
    print(f"read DBF (baseline)          {t_read:.3f} s")
    print(f"first import (validate+store) {t_first:.3f} s  ({t_first / t_read:.1f}x baseline); imported {r1.imported}")
    print(f"second import (unchanged)    {t_second:.3f} s  ({t_second / t_read:.1f}x baseline); imported {r2.imported}")
    print(f"load library from database   {t_load:.3f} s")
    print(f"load rows for 20 codes       {t_some:.3f} s  ({len(some)} rows; what a period page loads)")
    print(f"lookup every code            {t_lookup:.3f} s  ({t_lookup / n * 1e6:.1f} µs per lookup)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 11_727)

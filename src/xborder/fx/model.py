"""Dated exchange rates and conversion with an explicit fallback (pure: no I/O).

A :class:`RateTable` holds, per source, rates quoted against one pivot currency (the ECB
publishes EUR reference rates; the PBOC publishes CNY central parity). A cross rate goes
through the pivot. When no rate exists on the requested date (weekends, holidays), the most
recent earlier date within ``max_gap_days`` is used, and the quote says so; beyond the gap,
:class:`FxRateMissing` is raised — never a silent default.

>>> t = RateTable("ECB", "EUR")
>>> t.add(date(2026, 10, 30), "USD", Decimal("1.1172"))
>>> t.add(date(2026, 10, 30), "CNY", Decimal("7.9561"))
>>> q = t.quote("USD", "CNY", date(2026, 11, 1))
>>> q.on, q.fallback_days
(datetime.date(2026, 10, 30), 2)
>>> dec_str(q.rate, 6)
'7.121464'
>>> t.quote("USD", "CNY", date(2026, 11, 20))  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
...
FxRateMissing: no ECB rate for USD on or within 7 days before 2026-11-20 (latest 2026-10-30)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from xborder.errors import XborderError
from xborder.money import Money, dec_str

__all__ = ["FxQuote", "FxRateMissing", "RateTable", "dec_str"]


class FxRateMissing(XborderError):
    code = "FX_RATE_MISSING"
    http_status = 422
    exit_code = 2


@dataclass(frozen=True)
class FxQuote:
    """``rate`` units of ``quote`` for one unit of ``base`` on ``on`` (asked for ``requested``)."""

    base: str
    quote: str
    rate: Decimal
    on: date
    requested: date
    source: str

    @property
    def fallback_days(self) -> int:
        return (self.requested - self.on).days

    def convert(self, money: Money) -> Money:
        if money.currency != self.base:
            raise XborderError(f"quote is for {self.base}, not {money.currency}", code="CURRENCY_MISMATCH")
        return Money(money.amount * self.rate, self.quote)

    def explain(self) -> str:
        note = f" (rate of {self.on.isoformat()}, {self.fallback_days} day(s) earlier)" if self.fallback_days else ""
        return f"1 {self.base} = {dec_str(self.rate)} {self.quote}, {self.source} {self.on.isoformat()}{note}"


@dataclass
class RateTable:
    """Rates of one source, each quoted as units of a currency per one unit of ``pivot``."""

    source: str
    pivot: str
    max_gap_days: int = 7
    _dates: dict[str, list[date]] = field(default_factory=dict)
    _rates: dict[str, dict[date, Decimal]] = field(default_factory=dict)

    def add(self, on: date, currency: str, per_pivot: Decimal) -> None:
        if per_pivot <= 0:
            raise ValueError(f"rate must be positive: {currency} {per_pivot}")
        rates = self._rates.setdefault(currency, {})
        if on not in rates:
            bisect.insort(self._dates.setdefault(currency, []), on)
        rates[on] = per_pivot

    def currencies(self) -> set[str]:
        return set(self._rates) | {self.pivot}

    def latest_date(self, currency: str | None = None) -> date | None:
        if currency:
            d = self._dates.get(currency)
            return d[-1] if d else None
        return max((d[-1] for d in self._dates.values() if d), default=None)

    def _lookup(self, currency: str, on: date) -> tuple[Decimal, date]:
        if currency == self.pivot:
            return Decimal(1), on
        dates = self._dates.get(currency)
        if not dates:
            raise FxRateMissing(f"{self.source} has no rates for {currency}")
        i = bisect.bisect_right(dates, on) - 1
        if i < 0 or (on - dates[i]).days > self.max_gap_days:
            raise FxRateMissing(
                f"no {self.source} rate for {currency} on or within {self.max_gap_days} days before "
                f"{on.isoformat()} (latest {dates[-1].isoformat()})"
            )
        return self._rates[currency][dates[i]], dates[i]

    def quote(self, base: str, quote: str, on: date) -> FxQuote:
        if base == quote:
            return FxQuote(base, quote, Decimal(1), on, on, self.source)
        b, bd = self._lookup(base, on)
        q, qd = self._lookup(quote, on)
        with localcontext() as ctx:
            ctx.prec = 28
            rate = q / b
        used = min(bd, qd) if base != self.pivot and quote != self.pivot else (bd if base != self.pivot else qd)
        return FxQuote(base, quote, rate, used, on, self.source)

    def convert(self, money: Money, to: str, on: date) -> tuple[Money, FxQuote]:
        q = self.quote(money.currency, to, on)
        return q.convert(money), q

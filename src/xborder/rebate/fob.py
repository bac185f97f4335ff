"""FOB in foreign currency → CNY at the PBOC central parity, by the company's date rule (pure).

Rule (增值税暂行条例实施细则 第十五条, kept by the 2026 regulation as far as known; research notes
``rebate_fx.md`` §1.4): the rate is the 人民币汇率中间价 **of the day of the sale** (``export_date``)
**or of the first day of the month** (``month_first``). The company chooses in advance and keeps
the choice for a year. Practitioners use the first *working* day of the month, so under
``month_first`` the first published rate on or after the 1st (within the month) is used.

ECB cross rates are **not** a substitute (2024-12-31: ECB-implied 7.2994 vs central parity
~7.1884): a rate source must say where it comes from, and the result repeats it.

>>> rates = {date(2026, 10, 9): Decimal("7.1012"), date(2026, 10, 20): Decimal("7.1100")}
>>> look = lambda cur, d: (rates[d], d, "PBOC central parity") if d in rates else None
>>> c = fob_to_cny(Decimal("1000"), "USD", date(2026, 10, 20), "month_first", look)
>>> c.rate_date, dec_str(c.cny, 2)
(datetime.date(2026, 10, 9), '7101.20')
>>> fob_to_cny(Decimal("1000"), "USD", date(2026, 10, 20), "export_date", look).rate
Decimal('7.1100')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from xborder.errors import ValidationError
from xborder.money import dec_str
from xborder.rebate.errors import RebateRateMissing
from xborder.rebate.rates import rate_str
from xborder.rebate.rules import rule_for

__all__ = ["DATE_RULES", "FobConversion", "RateLookup", "fob_to_cny", "rate_date_for", "dec_str"]

DATE_RULES = ("export_date", "month_first")

# (currency, date) -> (rate CNY per unit, date of the rate, source label) or None when absent on that date
RateLookup = Callable[[str, date], "tuple[Decimal, date, str] | None"]


@dataclass(frozen=True)
class FobConversion:
    fob: Decimal
    currency: str
    cny: Decimal
    rate: Decimal
    rate_date: date
    rule: str
    source: str
    legal_source: str

    def explain(self) -> str:
        rule = "export date" if self.rule == "export_date" else "first working day of the month"
        return (f"{dec_str(self.fob)} {self.currency} × {rate_str(self.rate)} ({self.source}, "
                f"{self.rate_date.isoformat()}, rule: {rule}) = {dec_str(self.cny, 2)} CNY")


def rate_date_for(export_date: date, rule: str) -> date:
    if rule == "export_date":
        return export_date
    if rule == "month_first":
        return export_date.replace(day=1)
    raise ValidationError(f"fx_date_rule: {rule!r} is not one of {', '.join(DATE_RULES)}", field="fx_date_rule")


def fob_to_cny(fob: Decimal, currency: str, export_date: date, rule: str, lookup: RateLookup) -> FobConversion:
    legal = rule_for("fx_conversion", export_date).source
    if currency == "CNY":
        return FobConversion(fob, currency, fob, Decimal(1), export_date, rule, "CNY", legal)
    start = rate_date_for(export_date, rule)
    found = None
    if rule == "month_first":
        # first published rate of the month (the 1st may be a holiday: 国庆 closes 1–7 October)
        d = start
        while d.month == start.month and found is None:
            found = lookup(currency, d)
            d += timedelta(days=1)
    else:
        found = lookup(currency, start)
    if found is None:
        raise RebateRateMissing(
            f"fx_rate: no central parity rate for {currency} "
            + (f"on {start.isoformat()}" if rule == "export_date" else f"in {start.strftime('%Y-%m')}")
            + "; import the PBOC central parity or enter the rate on the declaration", field="fx_rate")
    rate, on, source = found
    return FobConversion(fob, currency, fob * rate, rate, on, rule, source, legal)

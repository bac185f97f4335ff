"""FX settlements (结汇), realised FX gain or loss, and open exposure (pure).

* An **FX settlement** converts ``foreign_amount`` of a currency into ``cny_received`` on a date
  through a platform or bank, with fees. Its **actual rate** is ``cny_received / foreign_amount``
  (all-in: the platform's fee and spread are inside it); the *quoted* rate, when the statement
  gives one, is kept beside it.
* **Realised FX gain/loss** of an amount booked at ``booking_rate`` (the rate on the revenue date:
  PBOC central parity when imported, else the ECB cross rate) and converted later:
  ``foreign × actual_rate − foreign × booking_rate``. A positive result is a gain. The platform's
  fees are inside the actual rate, so they show up here (reported separately as ``fees_cny``).
* **Open exposure** per currency: money received or receivable in the currency (payouts, and
  orders not yet paid out) less what has already been converted; valued at the latest rate.

>>> s = FxSettlement(on=date(2026, 3, 20), platform="payoneer", currency="USD",
...                  foreign_amount=Decimal("25.86"), cny_received=Decimal("181.89"), fee=Decimal("0.26"),
...                  quoted_rate=Decimal("7.1050"))
>>> dec_str(s.actual_rate, 6)
'7.033643'
>>> g = realised_gain(Decimal("25.86"), Decimal("7.0954"), s)
>>> dec_str(g.amount, 2), dec_str(g.fees_cny, 2)
('-1.60', '1.85')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from xborder.money import dec_str, quantize


@dataclass(frozen=True)
class FxSettlement:
    on: date
    platform: str
    currency: str
    foreign_amount: Decimal  # positive: the foreign money converted
    cny_received: Decimal
    fee: Decimal = Decimal(0)  # in the foreign currency, when the statement shows it
    quoted_rate: Decimal | None = None
    ref: str | None = None

    @property
    def actual_rate(self) -> Decimal:
        return self.cny_received / self.foreign_amount

    def explain(self) -> str:
        quoted = f", quoted {dec_str(self.quoted_rate)}" if self.quoted_rate else ""
        return (f"{self.platform} {self.on.isoformat()}: {dec_str(self.foreign_amount)} {self.currency} -> "
                f"{dec_str(self.cny_received)} CNY, actual rate {dec_str(self.actual_rate, 6)}{quoted}, fee "
                f"{dec_str(self.fee)} {self.currency}")


@dataclass(frozen=True)
class FxGain:
    amount: Decimal  # CNY, positive = gain
    fees_cny: Decimal
    explanation: list[str] = field(default_factory=list)


def realised_gain(foreign: Decimal, booking_rate: Decimal, settlement: FxSettlement) -> FxGain:
    booked = foreign * booking_rate
    received = foreign * settlement.actual_rate
    fees_cny = settlement.fee * (settlement.quoted_rate or settlement.actual_rate) * (foreign / settlement.foreign_amount)
    return FxGain(received - booked, fees_cny, [
        f"booked {dec_str(foreign)} {settlement.currency} x {dec_str(booking_rate, 6)} = {dec_str(quantize(booked, 2))} CNY",
        f"received at {dec_str(settlement.actual_rate, 6)} ({settlement.explain()}) = {dec_str(quantize(received, 2))} CNY",
        f"realised FX {'gain' if received >= booked else 'loss'} {dec_str(quantize(received - booked, 2))} CNY "
        f"(platform fees inside: {dec_str(quantize(fees_cny, 2))} CNY)",
    ])


@dataclass(frozen=True)
class Exposure:
    currency: str
    receivable: Decimal  # received or receivable in the currency
    converted: Decimal
    rate: Decimal | None
    rate_date: date | None

    @property
    def open(self) -> Decimal:
        return self.receivable - self.converted

    @property
    def open_cny(self) -> Decimal | None:
        return None if self.rate is None else self.open * self.rate


def exposure(receivable: dict[str, Decimal], converted: dict[str, Decimal],
             rates: dict[str, tuple[Decimal, date]]) -> list[Exposure]:
    """Open amount per currency (CNY itself is not an exposure).

    >>> [e.open for e in exposure({"USD": Decimal(100)}, {"USD": Decimal(40)}, {})]
    [Decimal('60')]
    """
    out = []
    for cur in sorted(set(receivable) | set(converted)):
        if cur == "CNY":
            continue
        r = rates.get(cur)
        out.append(Exposure(cur, receivable.get(cur, Decimal(0)), converted.get(cur, Decimal(0)),
                            r[0] if r else None, r[1] if r else None))
    return out

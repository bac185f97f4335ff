"""The IMF's Special Drawing Right (SDR) valued from its currency basket (pure).

Postal rules count in SDR: a UPU letter-post item (small packet) whose contents are worth
**300 SDR or more** travels with the customs declaration CN 23 instead of the CN 22. The SDR is
the sum of fixed amounts of five currencies; the IMF values it daily at London noon rates. We
value it with the reference rates we have (ECB, crossed through EUR), which lands within a few
tenths of a percent of the IMF's figure: enough to choose a form, said in every explanation.

Baskets (dated; a basket outside every interval is "unknown", never a guess):

* from 2022-08-01 to 2027-07-31: USD 0.57813, EUR 0.37379, CNY 1.0993, JPY 13.452, GBP 0.080870 —
  IMF Executive Board decision of 29 July 2022 after the 2022 SDR valuation review (weights
  43.38 / 29.31 / 12.28 / 7.59 / 7.44 %), reported by allafrica.com on 2022-08-01; the next
  review sets the basket from 2027-08-01.

>>> rates = {"USD": Decimal("0.95"), "CNY": Decimal("0.13"), "JPY": Decimal("0.0062"), "GBP": Decimal("1.19")}
>>> q = sdr_in("EUR", date(2026, 11, 20), lambda c: rates[c])
>>> q.per_sdr.quantize(Decimal("0.0001"))
Decimal('1.2456')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

CN23_THRESHOLD_SDR = Decimal(300)
UPU_SOURCE = ("UPU Convention Regulations (letter post): CN 22 for items worth less than 300 SDR, CN 23 at "
              "300 SDR or more and for postal parcels (e.g. eswatinipost.co.sz/parcels.php, shippypro.com "
              "'CN22 vs CN23' 2026 guide)")


@dataclass(frozen=True)
class Basket:
    valid_from: date
    valid_to: date
    amounts: Mapping[str, Decimal]
    source: str


BASKETS: tuple[Basket, ...] = (
    Basket(date(2022, 8, 1), date(2027, 7, 31),
           {"USD": Decimal("0.57813"), "EUR": Decimal("0.37379"), "CNY": Decimal("1.0993"),
            "JPY": Decimal("13.452"), "GBP": Decimal("0.080870")},
           "IMF SDR basket of 2022-08-01, Executive Board decision of 2022-07-29, reported by allafrica.com"),
)


class SdrUnknown(Exception):
    """No SDR basket for the date, or no rate for one of its currencies."""


@dataclass(frozen=True)
class SdrQuote:
    currency: str
    on: date
    per_sdr: Decimal  # units of ``currency`` in one SDR
    basket: Basket

    def to_sdr(self, amount: Decimal) -> Decimal:
        return amount / self.per_sdr

    def explain(self) -> str:
        return (f"1 SDR = {self.per_sdr.quantize(Decimal('0.0001'))} {self.currency} on {self.on.isoformat()} "
                f"({self.basket.source}; valued with ECB reference rates, not the IMF's own fixing)")


def basket_on(on: date) -> Basket:
    for b in BASKETS:
        if b.valid_from <= on <= b.valid_to:
            return b
    raise SdrUnknown(f"no SDR basket is known for {on.isoformat()} (known: "
                     + ", ".join(f"{b.valid_from}..{b.valid_to}" for b in BASKETS) + ")")


def basket_currencies(on: date) -> tuple[str, ...]:
    """The currencies of the basket in force on ``on`` (the latest basket's for a date outside all)."""
    try:
        return tuple(basket_on(on).amounts)
    except SdrUnknown:
        return tuple(BASKETS[-1].amounts)


def sdr_in(currency: str, on: date, rate: Callable[[str], Decimal]) -> SdrQuote:
    """One SDR in ``currency`` on ``on``; ``rate(c)`` gives units of ``currency`` per unit of c
    (called for each basket currency other than ``currency``)."""
    basket = basket_on(on)
    total = Decimal(0)
    for cur, amount in basket.amounts.items():
        try:
            total += amount if cur == currency else amount * rate(cur)
        except SdrUnknown:
            raise
        except Exception as e:  # a rate source's own "missing" error
            raise SdrUnknown(f"no {cur}/{currency} rate on {on.isoformat()}: {e}") from None
    return SdrQuote(currency, on, total, basket)


def needs_cn23(value: Decimal | None, quote: SdrQuote | None, parcel: bool = False) -> bool:
    """CN 23 for a postal parcel, for an item worth 300 SDR or more, and when the worth in SDR
    cannot be told (the CN 23 is accepted for any item; the CN 22 only below the threshold)."""
    if parcel or value is None or quote is None:
        return True
    return quote.to_sdr(value) >= CN23_THRESHOLD_SDR

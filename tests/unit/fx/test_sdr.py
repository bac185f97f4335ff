"""The SDR valued from the IMF basket with ECB rates, and the CN 22 / CN 23 choice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xborder.fx import ecb, sdr


def _ecb_rate(currency: str, on: date):
    table = ecb.bundled_table()
    return lambda c: table.quote(c, currency, on).rate


@pytest.mark.parametrize(("currency", "imf_sdr_per_unit"), [
    # IMF "Currency units per SDR / SDR per currency unit" for 22-Aug-22, as printed by Business
    # Recorder on 2022-08-24 (brecorder.com/news/40193366): SDR per unit.
    ("USD", Decimal("0.765578")), ("EUR", Decimal("0.765655")), ("CNY", Decimal("0.111989")),
    ("GBP", Decimal("0.903688")), ("JPY", Decimal("0.00558")),
])
def test_basket_with_ecb_rates_lands_near_the_imf_fixing(currency, imf_sdr_per_unit):
    q = sdr.sdr_in(currency, date(2022, 8, 22), _ecb_rate(currency, date(2022, 8, 22)))
    imf = 1 / imf_sdr_per_unit
    assert abs(q.per_sdr / imf - 1) < Decimal("0.005"), (q.per_sdr, imf)  # within half a percent (ECB vs London noon)
    assert q.basket.valid_from == date(2022, 8, 1) and "1 SDR = " in q.explain() and "ECB" in q.explain()


def test_the_basket_is_the_sum_of_its_amounts():
    rates = {"USD": Decimal(7), "EUR": Decimal(8), "JPY": Decimal("0.05"), "GBP": Decimal(9)}
    q = sdr.sdr_in("CNY", date(2026, 11, 25), rates.__getitem__)
    assert q.per_sdr == Decimal("1.0993") + Decimal("0.57813") * 7 + Decimal("0.37379") * 8 + Decimal("13.452") * Decimal("0.05") + Decimal("0.080870") * 9
    assert q.to_sdr(q.per_sdr * 300) == 300


def test_no_basket_or_no_rate_is_unknown_not_a_guess():
    with pytest.raises(sdr.SdrUnknown, match="no SDR basket"):
        sdr.sdr_in("USD", date(2021, 1, 4), lambda c: Decimal(1))
    with pytest.raises(sdr.SdrUnknown, match="no SDR basket"):
        sdr.sdr_in("USD", date(2027, 8, 1), lambda c: Decimal(1))  # the next review's basket is not known yet

    def missing(c: str) -> Decimal:
        raise KeyError(c)

    with pytest.raises(sdr.SdrUnknown, match="no .*/USD rate"):
        sdr.sdr_in("USD", date(2026, 1, 5), missing)


def test_cn23_at_300_sdr_for_parcels_and_when_the_worth_is_unknown():
    q = sdr.SdrQuote("USD", date(2026, 1, 5), Decimal("1.35"), sdr.BASKETS[0])
    assert not sdr.needs_cn23(Decimal("404.99"), q)  # 299.99 SDR
    assert sdr.needs_cn23(Decimal("405.00"), q)  # exactly 300 SDR
    assert sdr.needs_cn23(Decimal("10"), q, parcel=True)
    assert sdr.needs_cn23(None, q) and sdr.needs_cn23(Decimal("10"), None)

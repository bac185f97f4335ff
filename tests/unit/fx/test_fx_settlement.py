from datetime import date
from decimal import Decimal

from xborder.fx.parity import parse_parity_csv
from xborder.fx.settlement import FxSettlement, exposure, realised_gain


def test_realised_gain_loss():
    s = FxSettlement(date(2026, 3, 21), "pingpong", "EUR", Decimal("9.91"), Decimal("77.50"), quoted_rate=Decimal("7.82"))
    g = realised_gain(Decimal("9.91"), Decimal("7.7000"), s)
    assert g.amount == Decimal("77.50") - Decimal("9.91") * Decimal("7.7000")
    assert g.amount > 0 and "gain" in g.explanation[-1]


def test_exposure():
    e = exposure({"USD": Decimal("100"), "CNY": Decimal(5)}, {"USD": Decimal("25.86")}, {"USD": (Decimal("7.1"), date(2026, 3, 31))})
    assert [(x.currency, x.open) for x in e] == [("USD", Decimal("74.14"))]
    assert e[0].open_cny == Decimal("74.14") * Decimal("7.1")


def test_parity_long_and_errors():
    rows, errs = parse_parity_csv("date,currency,rate,unit\n2024-12-31,USD,7.1884,1\n2024-12-31,JPY,4.6040,100\n"
                                  "2024-13-01,USD,7,1\n2025-01-02,USD,abc,1\n")
    assert rows[0] == (date(2024, 12, 31), "USD", Decimal("7.1884")) and rows[1][2] == Decimal("0.04604")
    assert [(n, c) for n, c, _ in errs] == [(4, "date"), (5, "rate")]


def test_parity_safe_reverse_group():
    rows, errs = parse_parity_csv("日期,美元,林吉特\n2024-12-31,718.84,0.6\n")
    assert errs == []
    assert rows[1][1] == "MYR" and rows[1][2] == 1 / Decimal("0.6")

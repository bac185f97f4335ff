from datetime import date

import pytest

from xborder.errors import ValidationError
from xborder.profit.period import PRESETS, resolve


def span(p):
    return (p.start, p.last)


@pytest.mark.parametrize("key,today,expected,previous", [
    ("last-month", date(2026, 1, 15), (date(2025, 12, 1), date(2025, 12, 31)), (date(2025, 11, 1), date(2025, 11, 30))),
    ("last-month", date(2024, 3, 31), (date(2024, 2, 1), date(2024, 2, 29)), (date(2024, 1, 1), date(2024, 1, 31))),
    ("this-month", date(2026, 3, 31), (date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28))),
    ("this-quarter", date(2026, 11, 25), (date(2026, 10, 1), date(2026, 11, 25)), (date(2026, 7, 1), date(2026, 8, 25))),
    ("last-quarter", date(2026, 2, 10), (date(2025, 10, 1), date(2025, 12, 31)), (date(2025, 7, 1), date(2025, 9, 30))),
    ("this-year", date(2026, 11, 25), (date(2026, 1, 1), date(2026, 11, 25)), (date(2025, 1, 1), date(2025, 11, 25))),
    ("last-year", date(2026, 11, 25), (date(2025, 1, 1), date(2025, 12, 31)), (date(2024, 1, 1), date(2024, 12, 31))),
    ("last-30-days", date(2026, 11, 25), (date(2026, 10, 27), date(2026, 11, 25)), (date(2026, 9, 27), date(2026, 10, 26))),
    ("last-90-days", date(2026, 11, 25), (date(2026, 8, 28), date(2026, 11, 25)), (date(2026, 5, 30), date(2026, 8, 27))),
])
def test_presets_and_the_period_before(key, today, expected, previous):
    p = resolve(key, today=today)
    assert p.key == key and span(p) == expected and span(p.previous()) == previous
    assert p.previous().end <= p.start  # nothing counted twice (a period "so far" is compared with as many days)


def test_days_given_win_and_open_ends():
    p = resolve("last-month", date(2026, 3, 1), None, today=date(2026, 11, 25))
    assert p.key == "custom" and span(p) == (date(2026, 3, 1), None) and p.previous() is None
    assert p.to_dict() == {"period": "custom", "from": "2026-03-01", "to": None} and p.query() == "from=2026-03-01"
    q = resolve(None, date(2026, 1, 1), date(2026, 3, 31))  # whole months: the quarter before
    assert span(q.previous()) == (date(2025, 10, 1), date(2025, 12, 31))
    assert resolve("custom").key == "all" and resolve(None).query() == ""
    assert resolve("Last-Month", today=date(2026, 11, 25)).query() == "period=last-month"
    assert set(PRESETS) >= {"all", "this-month", "last-year"}


def test_bad_periods_name_the_field():
    with pytest.raises(ValidationError) as e:
        resolve("fortnight")
    assert e.value.field == "period" and "last-month" in e.value.message
    with pytest.raises(ValidationError) as e:
        resolve(None, date(2026, 3, 5), date(2026, 3, 1))
    assert e.value.field == "from"

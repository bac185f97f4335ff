"""The period of a profit report (pure): a named preset or the days given, and the period just
before it to compare with.

Order dates are compared by day: ``start`` is the first day included, ``end`` the day after the
last (so a month is ``[1st, 1st of the next month)``). The user-facing ``to`` is the last day,
included, in the web page, the API and the CLI alike.

>>> p = resolve("last-month", today=date(2026, 11, 25))
>>> p.start, p.last, p.previous().start, p.previous().last
(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31), datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))
>>> c = resolve(None, date(2026, 8, 10), date(2026, 8, 19), today=date(2026, 11, 25))
>>> c.key, c.days, c.previous().start, c.previous().last
('custom', 10, datetime.date(2026, 7, 31), datetime.date(2026, 8, 9))
>>> m = resolve(None, date(2026, 9, 1), date(2026, 9, 30)).previous()
>>> m.start, m.last
(datetime.date(2026, 8, 1), datetime.date(2026, 8, 31))
>>> t = resolve("this-month", today=date(2026, 11, 25)).previous()
>>> t.start, t.last
(datetime.date(2026, 10, 1), datetime.date(2026, 10, 25))
>>> resolve(None, today=date(2026, 11, 25)).previous() is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from xborder.errors import ValidationError

PRESETS = ("all", "this-month", "last-month", "last-30-days", "last-90-days", "last-365-days", "this-quarter",
           "last-quarter", "this-year", "last-year")
PRESET_LABELS = {
    "all": "All orders", "this-month": "This month", "last-month": "Last month", "last-30-days": "Last 30 days",
    "last-90-days": "Last 90 days", "last-365-days": "Last 365 days", "this-quarter": "This quarter", "last-quarter": "Last quarter",
    "this-year": "This year", "last-year": "Last year", "custom": "Custom dates",
}


def _month(d: date, shift: int = 0) -> date:
    n = d.year * 12 + d.month - 1 + shift
    return date(n // 12, n % 12 + 1, 1)


def _quarter(d: date, shift: int = 0) -> date:
    return _month(date(d.year, (d.month - 1) // 3 * 3 + 1, 1), 3 * shift)


@dataclass(frozen=True)
class Period:
    key: str  # a preset, or "custom"
    start: date | None  # first day included; None: from the first order
    end: date | None  # the day after the last; None: up to the last order

    @property
    def last(self) -> date | None:
        return self.end - timedelta(days=1) if self.end else None

    @property
    def days(self) -> int | None:
        return (self.end - self.start).days if self.start and self.end else None

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.end is not None

    def previous(self) -> Period | None:
        """The period to compare with: the month, quarter or year before (for this month, quarter
        or year so far: as many days from its start), else as many days just before; None when the
        period is open at either end."""
        if self.start is None or self.end is None:
            return None
        days = self.days or 0
        if self.key.endswith("-month"):
            begin = _month(self.start, -1)
        elif self.key.endswith("-quarter"):
            begin = _quarter(self.start, -1)
        elif self.key.endswith("-year"):
            begin = date(self.start.year - 1, 1, 1)
        elif self.start.day == 1 and self.end.day == 1:  # whole calendar months: as many months before
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
            return Period("custom", _month(self.start, -months), self.start)
        else:
            return Period("custom", self.start - timedelta(days=days), self.start)
        if self.key.startswith("this-"):  # to date: the same number of days from the start
            return Period("custom", begin, min(begin + timedelta(days=days), self.start))
        return Period("custom", begin, self.start)

    def to_dict(self) -> dict[str, Any]:
        """``{"period", "from", "to"}`` with ``to`` the last day included (ISO dates or null)."""
        return {"period": self.key, "from": self.start.isoformat() if self.start else None,
                "to": self.last.isoformat() if self.last else None}

    def query(self) -> str:
        """The period as URL query parameters (empty for every order)."""
        if not self.bounded:
            return ""
        if self.key != "custom":
            return urlencode({"period": self.key})
        return urlencode({k: v for k, v in (("from", self.start), ("to", self.last)) if v is not None})


def resolve(period: str | None = None, start: date | None = None, last: date | None = None, *,
            today: date | None = None) -> Period:
    """A preset (``PRESETS``), or the days ``start`` .. ``last`` (both included; either may be
    left open). Days given win over a preset; a preset is counted from ``today``; the current
    month, quarter and year run to today."""
    today = today or date.today()
    if start is not None or last is not None:
        if start is not None and last is not None and start > last:
            raise ValidationError(f"from: {start.isoformat()} is after to {last.isoformat()}", field="from")
        return Period("custom", start, last + timedelta(days=1) if last else None)
    key = (period or "all").strip().lower()
    tomorrow = today + timedelta(days=1)
    if key in ("all", "custom"):  # "custom" without days: every order
        return Period("all", None, None)
    if key == "this-month":
        return Period(key, _month(today), tomorrow)
    if key == "last-month":
        return Period(key, _month(today, -1), _month(today))
    if key == "last-30-days":
        return Period(key, tomorrow - timedelta(days=30), tomorrow)
    if key in ("last-90-days", "last-365-days"):
        return Period(key, tomorrow - timedelta(days=int(key.split("-")[1])), tomorrow)
    if key == "this-quarter":
        return Period(key, _quarter(today), tomorrow)
    if key == "last-quarter":
        return Period(key, _quarter(today, -1), _quarter(today))
    if key == "this-year":
        return Period(key, date(today.year, 1, 1), tomorrow)
    if key == "last-year":
        return Period(key, date(today.year - 1, 1, 1), date(today.year, 1, 1))
    raise ValidationError(f"period: one of {', '.join(PRESETS)} (got {period!r})", field="period")

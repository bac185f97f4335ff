"""Tracking status import (pure part): normalise carrier statuses from CSV rows.

Columns: ``tracking_number, status, event_time`` (required) and ``location, description``
(optional). Statuses are normalised to karrio's tracking vocabulary (research §1.2):
``info_received, in_transit, out_for_delivery, delivered, delivery_failed, on_hold, returned,
exception``. Chinese carrier wording is recognised (已签收, 运输中, 派送中 …).

>>> normalise_status("Delivered - left at front door")
'delivered'
>>> normalise_status("派送中")
'out_for_delivery'
>>> normalise_status("???") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

STATUSES = (
    "info_received",
    "in_transit",
    "out_for_delivery",
    "delivered",
    "delivery_failed",
    "on_hold",
    "returned",
    "exception",
)
# checked in order: the first keyword found wins
KEYWORDS: tuple[tuple[str, str], ...] = (
    ("out for delivery", "out_for_delivery"),
    ("out_for_delivery", "out_for_delivery"),
    ("派送中", "out_for_delivery"),
    ("派件", "out_for_delivery"),
    ("not delivered", "delivery_failed"),
    ("delivery failed", "delivery_failed"),
    ("delivery_failed", "delivery_failed"),
    ("attempt", "delivery_failed"),
    ("投递失败", "delivery_failed"),
    ("return", "returned"),
    ("退回", "returned"),
    ("退件", "returned"),
    ("delivered", "delivered"),
    ("已签收", "delivered"),
    ("签收", "delivered"),
    ("妥投", "delivered"),
    ("exception", "exception"),
    ("异常", "exception"),
    ("lost", "exception"),
    ("damaged", "exception"),
    ("hold", "on_hold"),
    ("customs", "on_hold"),
    ("清关", "on_hold"),
    ("扣关", "on_hold"),
    ("info_received", "info_received"),
    ("label created", "info_received"),
    ("information received", "info_received"),
    ("pre-advice", "info_received"),
    ("已揽收", "in_transit"),
    ("揽收", "in_transit"),
    ("transit", "in_transit"),
    ("运输中", "in_transit"),
    ("departed", "in_transit"),
    ("arrived", "in_transit"),
    ("accepted", "in_transit"),
    ("picked up", "in_transit"),
)


def normalise_status(text: str) -> str | None:
    t = text.strip().lower()
    if t in STATUSES:
        return t
    for kw, status in KEYWORDS:
        if kw in t:
            return status
    return None


@dataclass(frozen=True)
class TrackingEvent:
    line: int
    tracking_number: str
    status: str
    raw_status: str
    at: datetime
    location: str = ""
    description: str = ""


def parse_time(text: str) -> datetime | None:
    t = text.strip().replace("/", "-")
    for candidate in (t, t.replace(" ", "T", 1)):
        try:
            dt = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return dt.replace(tzinfo=None) if dt.tzinfo is None else dt.astimezone(tz=None).replace(tzinfo=None)
    return None


def parse_rows(rows: list[tuple[int, dict[str, str]]]) -> tuple[list[TrackingEvent], list[dict[str, object]]]:
    """Validate every row; return events and (line, column, message) errors."""
    events: list[TrackingEvent] = []
    errors: list[dict[str, object]] = []
    for line, row in rows:
        tn = (row.get("tracking_number") or "").strip().upper()
        raw = (row.get("status") or "").strip()
        when = (row.get("event_time") or "").strip()
        ok = True
        if not tn:
            errors.append({"line": line, "column": "tracking_number", "message": "tracking_number is empty"})
            ok = False
        status = normalise_status(raw) if raw else None
        if status is None:
            errors.append({"line": line, "column": "status", "message": f"unknown status {raw!r} (expected one of {', '.join(STATUSES)} or carrier wording)"})
            ok = False
        at = parse_time(when) if when else None
        if at is None:
            errors.append({"line": line, "column": "event_time", "message": f"event_time {when!r} is not a date-time (YYYY-MM-DD HH:MM)"})
            ok = False
        if ok:
            events.append(TrackingEvent(line, tn, status, raw, at, (row.get("location") or "").strip(), (row.get("description") or "").strip()))  # type: ignore[arg-type]
    return events, errors

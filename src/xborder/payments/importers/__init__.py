"""Payout importers; :data:`FORMATS` are the CLI ``--format`` values."""

from __future__ import annotations

from typing import Any

from xborder.payments.model import ParsedPayouts
from xborder.sales.model import RowError

FORMATS = ("amazon-settlement-v2", "paypal", "stripe", "mapped")


def parse(fmt: str, data: bytes, mapping: dict[str, Any] | None = None) -> ParsedPayouts:
    from xborder.payments.importers import amazon_settlement_v2, mapped, paypal, stripe

    if fmt == "amazon-settlement-v2":
        return amazon_settlement_v2.parse(data)
    if fmt == "paypal":
        return paypal.parse(data)
    if fmt == "stripe":
        return stripe.parse(data)
    if fmt == "mapped":
        if mapping is None:
            return ParsedPayouts([], [], [RowError(0, "mapping", "--mapping NAME is required for --format mapped")], 0)
        return mapped.parse(data, mapping)
    return ParsedPayouts([], [], [RowError(0, "format", f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")], 0)

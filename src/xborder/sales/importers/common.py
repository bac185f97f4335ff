"""Helpers shared by the order importers."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from xborder.sales.importers.base import RowReader
from xborder.sales.model import OrderRecord, ParsedOrders, RowError

# marketplace country -> the currency its Amazon/eBay site settles in (used only when a row has none)
SITE_CURRENCY = {"US": "USD", "CA": "CAD", "MX": "MXN", "BR": "BRL", "GB": "GBP", "DE": "EUR", "FR": "EUR",
                 "IT": "EUR", "ES": "EUR", "NL": "EUR", "BE": "EUR", "IE": "EUR", "SE": "SEK", "PL": "PLN",
                 "TR": "TRY", "JP": "JPY", "AU": "AUD", "SG": "SGD", "AE": "AED", "SA": "SAR", "IN": "INR"}

# currency signs as eBay and Shopify print them; the longest prefix wins
SYMBOLS = [("US $", "USD"), ("AU $", "AUD"), ("C $", "CAD"), ("CA$", "CAD"), ("A$", "AUD"), ("HK$", "HKD"),
           ("S$", "SGD"), ("NZ$", "NZD"), ("$", "USD"), ("£", "GBP"), ("€", "EUR"), ("EUR", "EUR"),
           ("GBP", "GBP"), ("USD", "USD"), ("¥", "JPY"), ("￥", "CNY")]


def currency_from_symbol(value: str | None) -> str | None:
    """The currency of an amount printed with a sign (``None`` without one).

    >>> currency_from_symbol("AU $12.00"), currency_from_symbol("£3.50"), currency_from_symbol("12.00")
    ('AUD', 'GBP', None)
    """
    if not value:
        return None
    v = value.strip().lstrip("-(").strip()
    for sym, code in SYMBOLS:
        if v.startswith(sym) or v.endswith(sym):
            return code
    return None


class OrderCollector:
    """Groups rows into orders by order id, keeping the first row's header fields."""

    def __init__(self) -> None:
        self.orders: OrderedDict[str, OrderRecord] = OrderedDict()

    def get(self, ref: str, make: Callable[[], OrderRecord]) -> OrderRecord:
        o = self.orders.get(ref)
        if o is None:
            o = make()
            self.orders[ref] = o
        return o

    def setdefault(self, ref: str, record: OrderRecord) -> OrderRecord:
        return self.orders.setdefault(ref, record)

    def result(self, errors: list[RowError], rows: int, encoding: str) -> ParsedOrders:
        return ParsedOrders(list(self.orders.values()), errors, rows, encoding)


def unique_ref(seen: dict[str, int], base: str) -> str:
    """``base``, then ``base#2``, ``base#3``... (stable for the same file)."""
    n = seen.get(base, 0) + 1
    seen[base] = n
    return base if n == 1 else f"{base}#{n}"


def ship_to(row: RowReader, *, name: tuple[str, ...] = (), lines: tuple[str, ...] = (), city: tuple[str, ...] = (),
            state: tuple[str, ...] = (), postcode: tuple[str, ...] = ()) -> dict[str, str | None]:
    """The recipient as an order stores it (``ship_name``, ``ship_address``, ``ship_postcode``):
    the street lines, then "city, state", one per line; the postcode apart, as a shipment keeps it.
    Each argument lists the file's column names for the part (absent columns give nothing)."""
    def first(names: tuple[str, ...]) -> str | None:  # the first non-empty of the columns present
        return next((v for v in (row.text(c) for c in names) if v), None)

    street = [row.text(c) for c in lines]
    place = ", ".join(x for x in (first(city), first(state)) if x)
    address = "\n".join(x for x in (*street, place) if x)
    return {"ship_name": first(name), "ship_address": address or None, "ship_postcode": first(postcode)}

"""Order importers, one module per marketplace export; :data:`FORMATS` maps the CLI ``--format``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xborder.sales.model import ParsedOrders, RowError

FORMATS = ("amazon-all-orders", "shopify", "ebay", "etsy-orders", "etsy-items", "woocommerce", "temu", "mapped")


def parse(fmt: str, data: bytes, mapping: dict[str, Any] | None = None, *, currency: str | None = None) -> ParsedOrders:
    from xborder.sales.importers import amazon_all_orders, ebay, etsy, mapped, shopify, temu, woocommerce

    parsers: dict[str, Callable[[bytes], ParsedOrders]] = {
        "amazon-all-orders": amazon_all_orders.parse,
        "shopify": shopify.parse,
        "ebay": ebay.parse,
        "etsy-orders": etsy.parse_orders,
        "etsy-items": etsy.parse_items,
        "woocommerce": lambda d: woocommerce.parse(d, currency),
        "temu": temu.parse,
    }
    if fmt == "mapped":
        if mapping is None:
            return ParsedOrders([], [RowError(0, "mapping", "--mapping NAME is required for --format mapped")], 0)
        return mapped.parse(data, mapping)
    if fmt not in parsers:
        return ParsedOrders([], [RowError(0, "format", f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")], 0)
    return parsers[fmt](data)

"""Canonical orders, as every marketplace importer produces them (pure, no I/O).

Model (``../shared/research/marketplaces.md`` §2.12): an *order* (channel, market, platform
order id, purchase time in UTC, currency, ship-to country, fulfilment) has *lines* (platform SKU,
listing id, quantity, item price, item tax, shipping, discount). Amounts are line totals in the
sale currency, as the exports write them (Amazon ``item-price`` is the total for the quantity;
Shopify ``Lineitem price`` is per unit and is multiplied here).

Net revenue of a line = item price + shipping price − discounts (taxes are collected for the
state and passed through, so they are not revenue).

>>> line = OrderLineRecord(line_ref="1", platform_sku="MUG-1", quantity=Decimal(2),
...     item_price=Decimal("20.00"), shipping_price=Decimal("4.99"), discount=Decimal("2.00"))
>>> line.net_revenue
Decimal('22.99')
>>> market_for_sales_channel("Amazon.co.uk")
'GB'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

ZERO = Decimal(0)

CHANNELS = ("amazon", "shopify", "ebay", "etsy", "woocommerce", "temu", "other")

# Amazon ``sales-channel`` / settlement ``marketplace-name`` -> ISO country of the marketplace.
AMAZON_SITES: dict[str, str] = {
    "amazon.com": "US", "amazon.ca": "CA", "amazon.com.mx": "MX", "amazon.com.br": "BR",
    "amazon.co.uk": "GB", "amazon.de": "DE", "amazon.fr": "FR", "amazon.it": "IT", "amazon.es": "ES",
    "amazon.nl": "NL", "amazon.se": "SE", "amazon.pl": "PL", "amazon.com.be": "BE", "amazon.com.tr": "TR",
    "amazon.ie": "IE", "amazon.co.jp": "JP", "amazon.com.au": "AU", "amazon.sg": "SG", "amazon.ae": "AE",
    "amazon.sa": "SA", "amazon.in": "IN", "amazon.eg": "EG",
}


def market_for_sales_channel(name: str | None) -> str | None:
    if not name:
        return None
    return AMAZON_SITES.get(name.strip().lower())


@dataclass(frozen=True)
class RowError:
    """One bad cell or row: ``line`` is the 1-based physical line of the file."""

    line: int
    column: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class OrderLineRecord:
    line_ref: str
    platform_sku: str
    quantity: Decimal
    item_price: Decimal | None = None
    item_tax: Decimal = ZERO
    shipping_price: Decimal = ZERO
    shipping_tax: Decimal = ZERO
    discount: Decimal = ZERO
    listing_ref: str | None = None
    title: str | None = None
    source_line: int = 0

    @property
    def net_revenue(self) -> Decimal:
        return (self.item_price or ZERO) + self.shipping_price - self.discount

    @property
    def gross(self) -> Decimal:
        return (self.item_price or ZERO) + self.item_tax + self.shipping_price + self.shipping_tax - self.discount


# ``channel_fulfilment`` values meaning the marketplace's own flow shipped (or closed) the order:
# a later export never takes them back, and the shipping queue leaves such orders out
CHANNEL_SHIPPED = ("fulfilled", "shipped", "delivered", "restocked")


@dataclass
class OrderRecord:
    channel: str
    order_ref: str
    purchased_at: datetime
    currency: str | None
    market: str | None = None
    status: str | None = None
    fulfillment: str | None = None
    ship_country: str | None = None
    order_total: Decimal | None = None
    shipping_total: Decimal | None = None
    lines: list[OrderLineRecord] = field(default_factory=list)
    ship_name: str | None = None
    ship_address: str | None = None  # street lines, then "city, state"
    ship_postcode: str | None = None
    channel_fulfilment: str | None = None  # the marketplace's fulfilment status: "fulfilled", "shipped"...
    source_line: int = 0
    raw: dict[str, str] = field(default_factory=dict)


@dataclass
class ParsedOrders:
    orders: list[OrderRecord]
    errors: list[RowError]
    rows: int
    encoding: str = "utf-8"
    warnings: list[RowError] = field(default_factory=list)

    @property
    def line_count(self) -> int:
        return sum(len(o.lines) for o in self.orders)

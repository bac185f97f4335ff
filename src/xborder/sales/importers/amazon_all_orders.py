"""Amazon "All Orders" flat file (``GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL``), tab-separated.

Every known column generation is read by header name (``marketplaces.md`` §2.1): the 29-column
MWS base, the 32-column layout (``is-business-order, purchase-order-number, price-designation``),
and current variants with ``cpf``, ``customized-url``, ``buyer-identification-*`` and
``order-item-id`` (sometimes right after ``order-status``, sometimes without ``url``).
One row per order item; timestamps ISO-8601 with an offset; money in the marketplace currency.
Cancelled and pending rows often have no price or currency: they are kept with no price.
"""

from __future__ import annotations

from decimal import Decimal

from xborder.sales.importers.base import RowReader, decimal_separators, header_error, iter_rows, read_table
from xborder.sales.importers.common import SITE_CURRENCY, OrderCollector, ship_to, unique_ref
from xborder.sales.model import OrderLineRecord, OrderRecord, ParsedOrders, RowError, market_for_sales_channel

FORMAT = "amazon-all-orders"
REQUIRED = [("amazon-order-id",), ("purchase-date",), ("sku",), ("quantity",)]
MONEY = ["item-price", "item-tax", "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax",
         "item-promotion-discount", "ship-promotion-discount"]


def parse(data: bytes) -> ParsedOrders:
    table = read_table(data, header_hint=["amazon-order-id"])
    errors: list[RowError] = header_error(table, REQUIRED, FORMAT)
    if errors:
        return ParsedOrders([], errors, len(table.rows), table.encoding)
    r = RowReader(table, errors, decimal_separators(table, MONEY))
    orders = OrderCollector()
    seen: dict[str, dict[str, int]] = {}
    for row in iter_rows(table, r):
        ref = row.required("amazon-order-id")
        when = row.when("purchase-date", required=True)
        sku = row.required("sku")
        qty = row.decimal("quantity", "quantity-purchased", required=True)
        status = row.text("order-status")
        site = row.text("sales-channel")
        market = market_for_sales_channel(site)
        if site and market is None and site.lower() not in ("non-amazon", "amazon"):
            row.error(row.col("sales-channel"), f"unknown Amazon marketplace {site!r}")
        currency = row.currency("currency", required=False) or (SITE_CURRENCY.get(market or "") if market else None)
        price = row.decimal("item-price")
        tax = row.decimal("item-tax") or Decimal(0)
        ship = row.decimal("shipping-price") or Decimal(0)
        ship_tax = row.decimal("shipping-tax") or Decimal(0)
        gift = row.decimal("gift-wrap-price") or Decimal(0)
        gift_tax = row.decimal("gift-wrap-tax") or Decimal(0)
        disc = abs(row.decimal("item-promotion-discount") or Decimal(0)) + abs(row.decimal("ship-promotion-discount") or Decimal(0))
        if price is not None and currency is None:
            row.error(row.col("currency") or "currency", "currency is empty on a priced row")
        if qty is not None and qty < 0:
            row.error(row.col("quantity"), "quantity is negative")
        if ref is None or when is None or sku is None or qty is None:
            continue
        fc = row.text("fulfillment-channel")
        order = orders.setdefault(ref, OrderRecord(
            channel="amazon", order_ref=ref, purchased_at=when, currency=currency, market=market, status=status,
            fulfillment=("FBA" if (fc or "").lower() == "amazon" else "FBM" if fc else None),
            ship_country=row.text("ship-country"), source_line=row.line,
            **ship_to(row, name=("recipient-name", "buyer-name"), lines=("ship-address-1", "ship-address-2", "ship-address-3"),
                      city=("ship-city",), state=("ship-state",), postcode=("ship-postal-code",))))
        if order.currency is None and currency:
            order.currency = currency
        item_id = row.text("order-item-id")
        line_ref = item_id or unique_ref(seen.setdefault(ref, {}), sku)
        order.lines.append(OrderLineRecord(
            line_ref=line_ref, platform_sku=sku, quantity=qty, item_price=None if price is None else price + gift,
            item_tax=tax + gift_tax, shipping_price=ship, shipping_tax=ship_tax, discount=disc,
            listing_ref=row.text("asin"), title=row.text("product-name"), source_line=row.line))
    return orders.result(errors, len(table.rows), table.encoding)

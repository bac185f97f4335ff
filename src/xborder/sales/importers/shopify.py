"""Shopify orders export CSV (Admin → Orders → Export), ``marketplaces.md`` §2.5.

One row per line item; order-level fields (currency, shipping, discount, dates, country) are
filled only on the first row of each order. ``Lineitem price`` is the unit price. The order's
shipping and the part of its discount not already given per line (``Lineitem discount``) are
put on the order's first line. Timestamps look like ``2024-05-01 10:00:00 +0900``. Both the
75-column and the 79-column (POS) layouts are read by header name.
"""

from __future__ import annotations

from decimal import Decimal

from xborder.sales.importers.base import RowReader, decimal_separators, header_error, iter_rows, read_table
from xborder.sales.importers.common import OrderCollector, ship_to
from xborder.sales.model import OrderLineRecord, OrderRecord, ParsedOrders, RowError

FORMAT = "shopify"
REQUIRED = [("Name",), ("Lineitem quantity",), ("Lineitem price",)]
MONEY = ["Subtotal", "Shipping", "Taxes", "Total", "Discount Amount", "Lineitem price", "Lineitem discount",
         "Refunded Amount"]


def parse(data: bytes) -> ParsedOrders:
    table = read_table(data, header_hint=["Name", "Lineitem quantity"])
    errors: list[RowError] = header_error(table, REQUIRED, FORMAT)
    if errors:
        return ParsedOrders([], errors, len(table.rows), table.encoding)
    r = RowReader(table, errors, decimal_separators(table, MONEY))
    orders = OrderCollector()
    pending_discount: dict[str, Decimal] = {}
    for row in iter_rows(table, r):
        ref = row.required("Name")
        if ref is None:
            continue
        first = ref not in orders.orders
        if first:
            when = row.when("Created at", "Paid at", required=True)
            currency = row.currency("Currency")
            if when is None:
                continue
            orders.setdefault(ref, OrderRecord(
                channel="shopify", order_ref=ref, purchased_at=when, currency=currency,
                market=row.text("Shipping Country", "Billing Country"),
                status=row.text("Financial Status"), fulfillment="merchant",
                ship_country=row.text("Shipping Country", "Billing Country"),
                order_total=row.decimal("Total"), shipping_total=row.decimal("Shipping"), source_line=row.line,
                **ship_to(row, name=("Shipping Name",), lines=(("Shipping Address1", "Shipping Address2")
                                                               if row.has("Shipping Address1") else ("Shipping Street",)),
                          city=("Shipping City",), state=("Shipping Province Name", "Shipping Province"),
                          postcode=("Shipping Zip",)),
                channel_fulfilment=(row.text("Fulfillment Status") or "").lower() or None))
            pending_discount[ref] = row.decimal("Discount Amount") or Decimal(0)
        order = orders.orders.get(ref)
        if order is None:
            continue
        qty = row.decimal("Lineitem quantity", required=True)
        unit = row.decimal("Lineitem price", required=True)
        line_disc = row.decimal("Lineitem discount") or Decimal(0)
        sku = row.text("Lineitem sku") or row.text("Lineitem name")
        if sku is None:
            row.error(row.col("Lineitem sku"), "line item has neither SKU nor name")
        if qty is None or unit is None or sku is None:
            continue
        n = len(order.lines) + 1
        line = OrderLineRecord(line_ref=str(n), platform_sku=sku, quantity=qty, item_price=unit * qty,
                               discount=abs(line_disc), title=row.text("Lineitem name"), source_line=row.line)
        if n == 1:
            line.shipping_price = order.shipping_total or Decimal(0)
        order.lines.append(line)
    for ref, order in orders.orders.items():
        rest = abs(pending_discount.get(ref, Decimal(0))) - sum((ln.discount for ln in order.lines), Decimal(0))
        if order.lines and rest > 0:
            order.lines[0].discount += rest
    return orders.result(errors, len(table.rows), table.encoding)

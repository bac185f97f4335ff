"""eBay Seller Hub orders report (Orders → Download), ``marketplaces.md`` §2.6.

Layout traps handled: line 1 is bare commas, the header is on line 2, line 3 is padding; the file
ends with ``N,record(s) downloaded,…`` and ``Seller ID : …`` lines; a multi-item order is one
summary row (blank ``Item Number``, order totals) followed by one row per item; money looks like
``$18.00`` (the currency comes from the sign); dates look like ``Sep-30-26``; AU/UK files say
``Postage And Handling`` / ``Post To …``.
"""

from __future__ import annotations

from decimal import Decimal

from xborder.sales.importers.base import RowReader, decimal_separators, header_error, iter_rows, read_table
from xborder.sales.importers.common import OrderCollector, currency_from_symbol, ship_to, unique_ref
from xborder.sales.model import OrderLineRecord, OrderRecord, ParsedOrders, RowError

FORMAT = "ebay"
REQUIRED = [("Order Number",), ("Sale Date",), ("Quantity",), ("Sold For",)]
DATE_FORMATS = ("%b-%d-%y", "%b-%d-%Y", "%d-%b-%y", "%d %b %Y", "%m/%d/%Y", "%d/%m/%Y")
MONEY = ["Sold For", "Shipping And Handling", "Postage And Handling", "Total Price", "Seller Collected Tax",
         "eBay Collected Tax"]
COUNTRIES = {"united states": "US", "united kingdom": "GB", "germany": "DE", "australia": "AU", "canada": "CA",
             "france": "FR", "italy": "IT", "spain": "ES", "japan": "JP", "china": "CN"}


def _country(v: str | None) -> str | None:
    if not v:
        return None
    return COUNTRIES.get(v.strip().lower(), v.strip().upper() if len(v.strip()) == 2 else v.strip())


def parse(data: bytes) -> ParsedOrders:
    table = read_table(data, header_hint=["Order Number", "Sales Record Number"])
    # drop the footer lines
    table.rows = [(ln, c) for ln, c in table.rows
                  if not (c and ("record(s) downloaded" in ",".join(c) or c[0].strip().lower().startswith("seller id")))]
    errors: list[RowError] = header_error(table, REQUIRED, FORMAT)
    if errors:
        return ParsedOrders([], errors, len(table.rows), table.encoding)
    r = RowReader(table, errors, decimal_separators(table, MONEY))
    orders = OrderCollector()
    seen: dict[str, dict[str, int]] = {}
    for row in iter_rows(table, r):
        ref = row.required("Order Number")
        if ref is None:
            continue
        item = row.text("Item Number")
        currency = currency_from_symbol(row.text("Sold For")) or currency_from_symbol(row.text("Total Price"))
        if ref not in orders.orders:
            when = row.when("Sale Date", formats=DATE_FORMATS, required=True)
            if when is None:
                continue
            ship = row.decimal("Shipping And Handling", "Postage And Handling") or Decimal(0)
            country = _country(row.text("Ship To Country", "Post To Country", "Buyer Country"))
            orders.setdefault(ref, OrderRecord(
                channel="ebay", order_ref=ref, purchased_at=when, currency=currency, market=country,
                status=row.text("Payment Method") and "paid", fulfillment="merchant", ship_country=country,
                order_total=row.decimal("Total Price"), shipping_total=ship, source_line=row.line,
                **ship_to(row, name=("Ship To Name",), lines=("Ship To Address 1", "Ship To Address 2"),
                          city=("Ship To City",), state=("Ship To State",), postcode=("Ship To Zip",)),
                channel_fulfilment="shipped" if row.text("Shipped On Date") else None))
        order = orders.orders[ref]
        if order.currency is None and currency:
            order.currency = currency
        if item is None:  # summary row of a multi-item order
            continue
        qty = row.decimal("Quantity", required=True)
        price = row.decimal("Sold For", required=True)
        sku = row.text("Custom Label") or item
        if qty is None or price is None:
            continue
        line = OrderLineRecord(
            line_ref=row.text("Transaction ID") or unique_ref(seen.setdefault(ref, {}), item),
            platform_sku=sku, quantity=qty, item_price=price * qty if qty else price,
            listing_ref=item, title=row.text("Item Title"), source_line=row.line)
        if not order.lines:
            line.shipping_price = order.shipping_total or Decimal(0)
        order.lines.append(line)
    for o in orders.orders.values():
        if o.currency is None:
            errors.append(RowError(o.source_line, "Sold For", "no currency sign on the amounts of this order"))
    return orders.result(errors, len(table.rows), table.encoding)

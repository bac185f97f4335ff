"""Etsy "Sold Orders" and "Sold Order Items" CSVs (Shop Manager → Settings → Options → Download
Data), ``marketplaces.md`` §2.7.

* ``etsy-orders`` (EtsySoldOrders, 36 columns) gives the order header: date, currency, totals,
  ship-to country. It has no per-item prices, so it creates orders without lines; the lines come
  from the items file (import both, in any order: the order header is shared).
* ``etsy-items`` (EtsySoldOrderItems, 33 columns) gives one row per transaction (item):
  ``Transaction ID`` is the line key, ``Price`` is the unit price, ``Order Shipping`` is
  repeated on every item of an order and is put on the first one.
* ``Sale Date`` is ``MM/DD/YY``; UK/EU exports say ``Delivery …`` instead of ``Ship …``.
* ``Order Value − Discount Amount = Order Total`` does not always hold (VAT presentation): a
  warning, not an error.
"""

from __future__ import annotations

from decimal import Decimal

from xborder.sales.importers.base import RowReader, decimal_separators, header_error, iter_rows, read_table
from xborder.sales.importers.common import OrderCollector, ship_to
from xborder.sales.model import OrderLineRecord, OrderRecord, ParsedOrders, RowError

DATE_FORMATS = ("%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d")
ORDER_MONEY = ["Order Value", "Discount Amount", "Shipping Discount", "Shipping", "Sales Tax", "Order Total",
               "Card Processing Fees", "Order Net"]
ITEM_MONEY = ["Price", "Discount Amount", "Shipping Discount", "Order Shipping", "Order Delivery",
              "Order Sales Tax", "Item Total", "VAT Paid by Buyer"]
COUNTRIES = {"united states": "US", "united kingdom": "GB", "germany": "DE", "australia": "AU", "canada": "CA",
             "france": "FR", "netherlands": "NL", "italy": "IT", "spain": "ES", "japan": "JP"}


def _country(v: str | None) -> str | None:
    if not v:
        return None
    s = v.strip()
    return COUNTRIES.get(s.lower(), s.upper() if len(s) == 2 else s)


def _ship_to(row: RowReader) -> dict[str, str | None]:
    """Sold Orders say ``Full Name`` / ``Street 1``, Sold Order Items ``Ship Name`` / ``Ship Address1``."""
    return ship_to(row, name=("Ship Name", "Full Name"), lines=("Ship Address1", "Ship Address2", "Street 1", "Street 2"),
                   city=("Ship City",),
                   state=("Ship State",), postcode=("Ship Zipcode",))


def parse_orders(data: bytes) -> ParsedOrders:
    table = read_table(data, header_hint=["Order ID", "Sale Date"])
    errors = header_error(table, [("Order ID",), ("Sale Date",), ("Currency",), ("Order Value",)], "etsy-orders")
    if errors:
        return ParsedOrders([], errors, len(table.rows), table.encoding)
    r = RowReader(table, errors, decimal_separators(table, ORDER_MONEY))
    warnings: list[RowError] = []
    orders = OrderCollector()
    for row in iter_rows(table, r):
        ref = row.required("Order ID")
        when = row.when("Sale Date", formats=DATE_FORMATS, required=True)
        cur = row.currency("Currency")
        value = row.decimal("Order Value", required=True)
        disc = row.decimal("Discount Amount") or Decimal(0)
        total = row.decimal("Order Total")
        if None in (ref, when, cur, value):
            continue
        if total is not None and value is not None and value - disc != total:
            warnings.append(RowError(row.line, "Order Total",
                                     f"Order Value − Discount Amount = {value - disc} but Order Total is {total}"))
        country = _country(row.text("Ship Country", "Delivery Country"))
        orders.setdefault(ref, OrderRecord(
            channel="etsy", order_ref=ref, purchased_at=when, currency=cur, market=country,
            status=row.text("Status"), fulfillment="merchant", ship_country=country, order_total=total,
            shipping_total=row.decimal("Shipping", "Delivery"), source_line=row.line, **_ship_to(row),
            channel_fulfilment="shipped" if row.text("Date Shipped") else None))
    result = orders.result(errors, len(table.rows), table.encoding)
    result.warnings = warnings
    return result


def parse_items(data: bytes) -> ParsedOrders:
    table = read_table(data, header_hint=["Transaction ID", "Item Name"])
    errors = header_error(table, [("Order ID",), ("Sale Date",), ("Transaction ID",), ("Quantity",), ("Price",),
                                  ("Currency",)], "etsy-items")
    if errors:
        return ParsedOrders([], errors, len(table.rows), table.encoding)
    r = RowReader(table, errors, decimal_separators(table, ITEM_MONEY))
    orders = OrderCollector()
    for row in iter_rows(table, r):
        ref = row.required("Order ID")
        when = row.when("Sale Date", formats=DATE_FORMATS, required=True)
        cur = row.currency("Currency")
        tx = row.required("Transaction ID")
        qty = row.decimal("Quantity", required=True)
        unit = row.decimal("Price", required=True)
        total = row.decimal("Item Total")
        disc = row.decimal("Discount Amount") or Decimal(0)
        ship = row.decimal("Order Shipping", "Order Delivery") or Decimal(0)
        sku = row.text("SKU") or row.text("Listing ID")
        if sku is None:
            row.error("SKU", "neither SKU nor Listing ID is given")
        if None in (ref, when, cur, tx, qty, unit, sku):
            continue
        country = _country(row.text("Ship Country", "Delivery Country"))
        order = orders.setdefault(ref, OrderRecord(
            channel="etsy", order_ref=ref, purchased_at=when, currency=cur, market=country,
            fulfillment="merchant", ship_country=country, shipping_total=ship, source_line=row.line, **_ship_to(row),
            channel_fulfilment="shipped" if row.text("Date Shipped") else None))
        line = OrderLineRecord(line_ref=tx, platform_sku=sku, quantity=qty,
                               item_price=total if total is not None else unit * qty, discount=abs(disc),
                               item_tax=row.decimal("VAT Paid by Buyer") or Decimal(0),
                               listing_ref=row.text("Listing ID"), title=row.text("Item Name"), source_line=row.line)
        if not order.lines:
            line.shipping_price = ship
        order.lines.append(line)
    return orders.result(errors, len(table.rows), table.encoding)

"""WooCommerce order exports, ``marketplaces.md`` §2.8. Two layouts, told apart by their header:

1. **Customer/Order/Coupon Export** (the de-facto plugin CSV, snake_case): one row per order, the
   items packed into ``line_items`` as ``name:Mug|sku:MUG-1|quantity:2|total:18.00;name:…``
   (items separated by ``;``, fields by ``|``). ``total`` is the line total after discounts and
   ``subtotal`` before them (their difference is the discount).
2. **Analytics → Orders → Download** (core, 11 columns): ``Product(s)`` is text like
   ``2× Mug, 1× Tee`` with no per-product price; the order's ``Net Sales`` is split across the
   products by quantity (documented estimate) and the product name is the platform SKU.
   This layout has no currency column: the mapping/CLI default currency is required.
"""

from __future__ import annotations

import re
from decimal import Decimal

from xborder.sales.importers.base import RowReader, decimal_separators, header_error, iter_rows, read_table
from xborder.sales.importers.common import OrderCollector, ship_to, unique_ref
from xborder.sales.model import OrderLineRecord, OrderRecord, ParsedOrders, RowError
from xborder.sales.textparse import ParseError, parse_decimal

PLUGIN_MONEY = ["shipping_total", "shipping_tax_total", "tax_total", "discount_total", "order_total", "refunded_total"]


def _items(cell: str) -> list[dict[str, str]]:
    out = []
    for chunk in cell.split(";"):
        if not chunk.strip():
            continue
        fields: dict[str, str] = {}
        for part in chunk.split("|"):
            if ":" in part:
                k, v = part.split(":", 1)
                fields[k.strip().lower()] = v.strip()
        out.append(fields)
    return out


def parse(data: bytes, default_currency: str | None = None) -> ParsedOrders:
    table = read_table(data, header_hint=["order_id", "order_number", "Order #"])
    idx = table.index()
    if "lineitems" in idx:
        return _parse_plugin(table)
    if "order" in idx and "products" in idx:
        return _parse_analytics(table, default_currency)
    return ParsedOrders([], [RowError(1, "line_items", "not a WooCommerce export: expected the plugin CSV "
                                               "(order_id, line_items) or the Analytics export (Order #, Product(s))")],
                        len(table.rows), table.encoding)


def _parse_plugin(table) -> ParsedOrders:
    errors: list[RowError] = header_error(table, [("order_number", "order_id"), ("order_date",), ("order_currency",),
                                                  ("line_items",)], "woocommerce")
    if errors:
        return ParsedOrders([], errors, len(table.rows), table.encoding)
    r = RowReader(table, errors, decimal_separators(table, PLUGIN_MONEY))
    orders = OrderCollector()
    for row in iter_rows(table, r):
        ref = row.required("order_number", "order_id")
        when = row.when("order_date", "paid_date", required=True)
        cur = row.currency("order_currency")
        items = row.text("line_items")
        if not items:
            row.error(row.col("line_items"), "order has no line items")
        ship = row.decimal("shipping_total") or Decimal(0)
        if None in (ref, when, cur) or not items:
            continue
        country = row.text("shipping_country", "billing_country")
        order = orders.setdefault(ref, OrderRecord(
            channel="woocommerce", order_ref=ref, purchased_at=when, currency=cur, market=country,
            status=row.text("status"), fulfillment="merchant", ship_country=country,
            order_total=row.decimal("order_total"), shipping_total=ship, source_line=row.line,
            **{**ship_to(row, lines=("shipping_address_1", "shipping_address_2"), city=("shipping_city",),
                         state=("shipping_state",), postcode=("shipping_postcode",)),
               "ship_name": " ".join(x for x in (row.text("shipping_first_name"), row.text("shipping_last_name")) if x)
               or None}))
        seen: dict[str, int] = {}
        for n, it in enumerate(_items(items), start=1):
            try:
                qty = parse_decimal(it.get("quantity")) or Decimal(1)
                total = parse_decimal(it.get("total"))
                sub = parse_decimal(it.get("subtotal")) if it.get("subtotal") else total
                tax = parse_decimal(it.get("total_tax")) if it.get("total_tax") else Decimal(0)
            except ParseError as e:
                row.error(row.col("line_items"), f"item {n}: {e}")
                continue
            sku = it.get("sku") or it.get("name")
            if total is None or not sku:
                row.error(row.col("line_items"), f"item {n}: needs a sku or name and a total")
                continue
            order.lines.append(OrderLineRecord(
                line_ref=it.get("id") or unique_ref(seen, sku), platform_sku=sku, quantity=qty,
                item_price=sub if sub is not None else total, discount=(sub - total) if sub is not None else Decimal(0),
                item_tax=tax or Decimal(0), shipping_price=ship if n == 1 else Decimal(0),
                listing_ref=it.get("product_id"), title=it.get("name"), source_line=row.line))
    return orders.result(errors, len(table.rows), table.encoding)


_PRODUCT = re.compile(r"^\s*(\d+)\s*[×x]\s*(.+?)\s*$")


def _parse_analytics(table, default_currency: str | None) -> ParsedOrders:
    errors: list[RowError] = header_error(table, [("Order #",), ("Date",), ("Product(s)",), ("Net Sales",)], "woocommerce")
    if errors:
        return ParsedOrders([], errors, len(table.rows), table.encoding)
    if not default_currency:
        return ParsedOrders([], [RowError(1, "currency", "the WooCommerce Analytics export has no currency column: "
                                                         "pass the shop currency")], len(table.rows), table.encoding)
    r = RowReader(table, errors, decimal_separators(table, ["Net Sales", "N. Revenue (formatted)"]))
    orders = OrderCollector()
    for row in iter_rows(table, r):
        ref = row.required("Order #")
        when = row.when("Date", required=True)
        net = row.decimal("Net Sales", required=True)
        products = row.text("Product(s)") or ""
        parsed = []
        for part in products.split(","):
            m = _PRODUCT.match(part)
            if m:
                parsed.append((Decimal(m.group(1)), m.group(2)))
            elif part.strip():
                parsed.append((Decimal(1), part.strip()))
        if not parsed:
            row.error(row.col("Product(s)"), "no products listed")
        if None in (ref, when, net) or not parsed:
            continue
        order = orders.setdefault(ref, OrderRecord(channel="woocommerce", order_ref=ref, purchased_at=when,
                                                    currency=default_currency, status=row.text("Status"),
                                                    fulfillment="merchant", source_line=row.line))
        units = sum((q for q, _ in parsed), Decimal(0))
        seen: dict[str, int] = {}
        for q, name in parsed:
            order.lines.append(OrderLineRecord(line_ref=unique_ref(seen, name), platform_sku=name, quantity=q,
                                               item_price=net * q / units, title=name, source_line=row.line))
    return orders.result(errors, len(table.rows), table.encoding)

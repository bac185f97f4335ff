"""Generic CSV/XLSX order importer driven by a saved column mapping.

A mapping names, for each canonical field, the column that holds it, plus options::

    {"columns": {"order_id": "Order No", "date": "Date", "sku": "Item code", "quantity": "Qty",
                 "price": "Line total", "currency": "Cur"},
     "options": {"channel": "other", "date_format": "%d/%m/%Y", "decimal_separator": ",",
                 "price_is_unit": false, "currency": "EUR"}}

Required: ``order_id``, ``date``, ``sku``, ``quantity``, and ``price`` or ``unit_price``;
``currency`` (column) or ``options.currency``. Optional: ``line_id``, ``tax``, ``shipping``,
``discount``, ``title``, ``country``, ``market``, ``status``, ``listing_id``, and the recipient:
``ship_name``, ``ship_address``, ``ship_address2``, ``ship_city``, ``ship_state``, ``ship_postcode``;
``fulfilment_status`` (the channel's own: "shipped", "fulfilled"... takes the order off the shipping queue).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xborder.sales.importers.base import RowReader, iter_rows, read_table
from xborder.sales.importers.common import OrderCollector, ship_to, unique_ref
from xborder.sales.model import OrderLineRecord, OrderRecord, ParsedOrders, RowError

FIELDS = ("order_id", "date", "sku", "quantity", "price", "unit_price", "currency", "line_id", "tax", "shipping",
          "discount", "title", "country", "market", "status", "listing_id", "channel",
          "ship_name", "ship_address", "ship_address2", "ship_city", "ship_state", "ship_postcode", "fulfilment_status")


def validate_mapping(mapping: dict[str, Any]) -> list[str]:
    cols = mapping.get("columns") or {}
    problems = [f"columns.{k}: unknown field" for k in cols if k not in FIELDS]
    for k in ("order_id", "date", "sku", "quantity"):
        if not cols.get(k):
            problems.append(f"columns.{k}: required")
    if not cols.get("price") and not cols.get("unit_price"):
        problems.append("columns.price: price or unit_price is required")
    if not cols.get("currency") and not (mapping.get("options") or {}).get("currency"):
        problems.append("columns.currency: a currency column or options.currency is required")
    return problems


def parse(data: bytes, mapping: dict[str, Any]) -> ParsedOrders:
    problems = validate_mapping(mapping)
    if problems:
        return ParsedOrders([], [RowError(0, p.split(":")[0], p.split(": ", 1)[1]) for p in problems], 0)
    cols: dict[str, str] = mapping["columns"]
    opts: dict[str, Any] = mapping.get("options") or {}
    table = read_table(data, header_hint=[cols["order_id"]])
    missing = [c for c in cols.values() if c and c not in table.header and c.lower() not in {h.lower() for h in table.header}]
    if not table.header or missing:
        return ParsedOrders([], [RowError(1, m, "column named in the mapping is not in the file") for m in missing]
                            or [RowError(1, None, "no header row")], len(table.rows), table.encoding)
    sep = opts.get("decimal_separator")
    r = RowReader(table, [], {h: sep for h in table.header} if sep else None)
    errors = r.errors
    fmts = tuple(f for f in [opts.get("date_format")] if f)
    dayfirst = bool(opts.get("dayfirst"))
    orders = OrderCollector()
    seen: dict[str, dict[str, int]] = {}

    def c(name: str) -> str:
        return cols.get(name) or f"\0{name}"

    for row in iter_rows(table, r):
        ref = row.required(c("order_id"))
        when = row.when(c("date"), formats=fmts, dayfirst=dayfirst, required=True)
        sku = row.required(c("sku"))
        qty = row.decimal(c("quantity"), required=True)
        cur = row.currency(c("currency"), default=opts.get("currency"))
        if cols.get("price"):
            price = row.decimal(c("price"), required=True)
        else:
            unit = row.decimal(c("unit_price"), required=True)
            price = unit * qty if unit is not None and qty is not None else None
        if None in (ref, when, sku, qty, cur, price):
            continue
        country = row.text(c("country"))
        channel = row.text(c("channel")) or opts.get("channel") or "other"
        order = orders.setdefault(ref, OrderRecord(
            channel=channel, order_ref=ref, purchased_at=when, currency=cur,
            market=row.text(c("market")) or country, status=row.text(c("status")), ship_country=country,
            source_line=row.line,
            **ship_to(row, name=(c("ship_name"),), lines=(c("ship_address"), c("ship_address2")), city=(c("ship_city"),),
                      state=(c("ship_state"),), postcode=(c("ship_postcode"),)),
            channel_fulfilment=(row.text(c("fulfilment_status")) or "").lower() or None))
        order.lines.append(OrderLineRecord(
            line_ref=row.text(c("line_id")) or unique_ref(seen.setdefault(ref, {}), sku), platform_sku=sku,
            quantity=qty, item_price=price, item_tax=row.decimal(c("tax")) or Decimal(0),
            shipping_price=row.decimal(c("shipping")) or Decimal(0), discount=abs(row.decimal(c("discount")) or Decimal(0)),
            title=row.text(c("title")), listing_ref=row.text(c("listing_id")), source_line=row.line))
    return orders.result(errors, len(table.rows), table.encoding)

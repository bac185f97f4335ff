"""Temu semi-managed (半托管) Seller Center order export (XLSX sheet ``sheet1`` or CSV),
``marketplaces.md`` §2.9: Chinese headers, ``--`` for empty cells, one row per sub-order
(子订单号 is the line key). The file has **no prices** (money comes from Temu's fund detail),
so lines are stored without price and currency; the order is still useful for pairing,
fulfilment and the unpaired-listing queue.
"""

from __future__ import annotations

from xborder.sales.importers.base import RowReader, header_error, iter_rows, read_table
from xborder.sales.importers.common import OrderCollector, ship_to
from xborder.sales.model import OrderLineRecord, OrderRecord, ParsedOrders, RowError

SITES = {"美国": "US", "英国": "GB", "德国": "DE", "法国": "FR", "意大利": "IT", "西班牙": "ES", "日本": "JP",
         "加拿大": "CA", "澳大利亚": "AU", "墨西哥": "MX", "荷兰": "NL", "波兰": "PL", "新西兰": "NZ", "韩国": "KR"}


def _site(v: str | None) -> str | None:
    if not v:
        return None
    s = v.replace("站", "").strip()
    if s in SITES:
        return SITES[s]
    return s.upper() if len(s) == 2 and s.isascii() else s


def parse(data: bytes) -> ParsedOrders:
    table = read_table(data, header_hint=["订单号", "子订单号"])
    errors: list[RowError] = header_error(table, [("订单号",), ("子订单号",), ("应履约件数",), ("订单创建时间",)], "temu")
    if errors:
        return ParsedOrders([], errors, len(table.rows), table.encoding)
    r = RowReader(table, errors)
    orders = OrderCollector()
    for row in iter_rows(table, r):
        ref = row.required("订单号")
        sub = row.required("子订单号")
        qty = row.decimal("应履约件数", required=True)
        when = row.when("订单创建时间", required=True)
        sku = row.text("SKU货号") or row.text("SKUID")
        if sku is None:
            row.error("SKU货号", "neither SKU货号 nor SKUID is given")
        if None in (ref, sub, qty, when, sku):
            continue
        market = _site(row.text("站点")) or _site(row.text("国家"))
        order = orders.setdefault(ref, OrderRecord(
            channel="temu", order_ref=ref, purchased_at=when, currency=None, market=market,
            status=row.text("订单状态"), fulfillment=row.text("发货仓") and "merchant", ship_country=_site(row.text("国家")) or market,
            source_line=row.line,
            **ship_to(row, name=("收货人姓名",), lines=("详细地址1", "详细地址2", "详细地址3", "区县"), city=("城市",),
                      state=("省份",), postcode=("收货地址邮编",)),
            channel_fulfilment="shipped" if row.text("实际发货时间") else None))
        order.lines.append(OrderLineRecord(line_ref=sub, platform_sku=sku, quantity=qty, item_price=None,
                                           listing_ref=row.text("SKUID"), title=row.text("商品名称"), source_line=row.line))
    return orders.result(errors, len(table.rows), table.encoding)

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from xborder.sales import importers
from xborder.sales.importers.common import currency_from_symbol

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "sales"


def parse(fmt, name, **kw):
    return importers.parse(fmt, (FIX / name).read_bytes(), **kw)


def test_amazon_29_columns():
    p = parse("amazon-all-orders", "amazon_all_orders_29col_us.txt")
    assert p.errors == []
    assert [o.order_ref for o in p.orders] == ["111-4012345-1234567", "113-9988776-5544332", "112-0000001-0000001"]
    o = p.orders[0]
    assert (o.channel, o.market, o.currency, o.fulfillment) == ("amazon", "US", "USD", "FBA")
    assert o.purchased_at == datetime(2026, 3, 2, 14, 5, 11)
    assert [ln.platform_sku for ln in o.lines] == ["MUG-BL-350", "CST-BAM-4"]
    assert o.lines[1].discount == Decimal("1.00")
    assert o.lines[0].item_price == Decimal("25.98") and o.lines[0].quantity == 2
    cancelled = p.orders[1]
    assert cancelled.status == "Cancelled" and cancelled.lines[0].item_price is None
    assert cancelled.purchased_at == datetime(2026, 3, 3, 9, 22, 40)  # -08:00 to UTC
    assert p.orders[2].lines[0].shipping_price == Decimal("4.99") and p.orders[2].fulfillment == "FBM"


def test_amazon_39_columns_uses_order_item_id():
    p = parse("amazon-all-orders", "amazon_all_orders_39col_de.txt")
    assert p.errors == []
    assert p.orders[0].market == "DE" and p.orders[0].currency == "EUR"
    assert p.orders[0].lines[0].line_ref == "52001122334455"
    assert p.orders[1].lines[0].item_price == Decimal("23.98")


def test_amazon_utf16_variant_without_url():
    p = parse("amazon-all-orders", "amazon_all_orders_jp_utf16.txt")
    assert p.errors == [] and p.encoding == "utf-16"
    o = p.orders[0]
    assert (o.market, o.currency) == ("JP", "JPY")
    assert o.lines[0].line_ref == "11223344556677" and o.lines[0].title == "セラミックマグ 350ml"
    assert o.purchased_at == datetime(2026, 3, 14, 1, 0)


def test_amazon_bad_file_reports_every_line():
    p = parse("amazon-all-orders", "amazon_all_orders_bad.txt")
    got = {(e.line, e.column) for e in p.errors}
    assert got == {(2, "purchase-date"), (3, "quantity"), (4, "currency")}
    assert all(e.message for e in p.errors)


def test_missing_column_rejects():
    p = importers.parse("amazon-all-orders", b"amazon-order-id\tsku\nX\tY\n")
    assert {e.column for e in p.errors} == {"purchase-date", "quantity"}


def test_shopify_line_items():
    p = parse("shopify", "shopify_orders.csv")
    assert p.errors == [] and p.encoding == "utf-8-sig"
    o = p.orders[0]
    assert (o.order_ref, o.currency, o.market) == ("#1001", "EUR", "DE")
    assert o.purchased_at == datetime(2026, 3, 4, 9, 0)
    mug, coaster = o.lines
    assert mug.item_price == Decimal("30.00") and mug.shipping_price == Decimal("4.90")
    assert coaster.discount == Decimal("2.00") and mug.discount == Decimal("0")
    assert sum(ln.net_revenue for ln in o.lines) == Decimal("42.90")  # = Total - Taxes + taxes incl.
    assert p.orders[1].currency == "GBP"
    assert (o.ship_name, o.ship_address, o.ship_postcode) == ("Anna Weber", "Köln", "50667")  # '50667: Excel's text mark


def test_channel_fulfilment_from_each_export():
    """What the marketplace says about its own shipping, so orders shipped there leave our queue."""
    temu = parse("temu", "temu_orders.xlsx").orders
    assert [o.channel_fulfilment for o in temu[:2]] == ["shipped", None]  # 实际发货时间 filled or not
    ebay = importers.parse("ebay", b"Sales Record Number,Order Number,Custom Label,Quantity,Sold For,Total Price,Sale Date,Shipped On Date\n"
                                   b"1,11-1-1,MUG-1,1,$9.99,$9.99,Mar-01-26,Mar-02-26\n2,11-1-2,MUG-1,1,$9.99,$9.99,Mar-01-26,\n")
    assert ebay.errors == [] and [o.channel_fulfilment for o in ebay.orders] == ["shipped", None]


def test_recipient_from_each_export():
    etsy = parse("etsy-orders", "EtsySoldOrders2026-3.csv").orders[0]
    assert (etsy.ship_name, etsy.ship_address) == ("Claire Martin", "Lyon")
    amazon = parse("amazon-all-orders", "amazon_all_orders_39col_de.txt").orders[0]
    assert (amazon.ship_name, amazon.ship_address, amazon.ship_postcode) == (None, "Berlin", "10115")  # no name in this report
    fba = importers.parse("amazon-all-orders", (
        b"amazon-order-id\tpurchase-date\tsku\tquantity\tcurrency\titem-price\trecipient-name\tship-address-1\t"
        b"ship-address-2\tship-city\tship-state\tship-postal-code\tship-country\n"
        b"111-1\t2026-03-01T10:00:00+00:00\tMUG-1\t1\tUSD\t9.99\tJo Doe\t1 Main St\tApt 2\tAustin\tTX\t78701\tUS\n"))
    assert fba.errors == [] and (fba.orders[0].ship_name, fba.orders[0].ship_address, fba.orders[0].ship_postcode) == \
        ("Jo Doe", "1 Main St\nApt 2\nAustin, TX", "78701")


def test_ebay_preamble_footer_and_multi_item():
    p = parse("ebay", "ebay_orders.csv")
    assert p.errors == []
    assert [o.order_ref for o in p.orders] == ["12-11111-22222", "12-33333-44444"]
    single, multi = p.orders
    assert single.currency == "USD" and single.market == "US"
    assert single.purchased_at == datetime(2026, 3, 7)
    assert single.lines[0].item_price == Decimal("18.00") and single.lines[0].shipping_price == Decimal("5.00")
    assert [ln.platform_sku for ln in multi.lines] == ["MUG-BL-350", "CST-BAM-4"]
    assert multi.lines[0].item_price == Decimal("30.00") and multi.lines[0].shipping_price == Decimal("6.50")


def test_etsy_orders_and_items():
    o = parse("etsy-orders", "EtsySoldOrders2026-3.csv")
    assert o.errors == [] and o.orders[0].lines == []
    assert o.orders[0].order_total == Decimal("45.60") and o.orders[0].ship_country == "FR"
    assert o.warnings and o.warnings[0].column == "Order Total"  # 44.00 - 4.40 != 45.60 (shipping included)
    i = parse("etsy-items", "EtsySoldOrderItems2026-3.csv")
    assert i.errors == []
    lines = i.orders[0].lines
    assert [ln.line_ref for ln in lines] == ["4100000001", "4100000002"]
    assert lines[0].item_price == Decimal("30.00") and lines[0].shipping_price == Decimal("6.00")
    assert i.orders[0].purchased_at == datetime(2026, 3, 9)


def test_woocommerce_plugin_and_analytics():
    p = parse("woocommerce", "woocommerce_orders.csv")
    assert p.errors == []
    mug, coaster = p.orders[0].lines
    assert mug.item_price == Decimal("30.00") and mug.discount == Decimal("3.00") and mug.shipping_price == Decimal("4.90")
    a = parse("woocommerce", "woocommerce_analytics.csv", currency="EUR")
    assert a.errors == []
    assert [(ln.platform_sku, ln.quantity) for ln in a.orders[0].lines] == [("Ceramic Mug 350ml", 2), ("Silicone Lid 10cm", 1)]
    assert sum(ln.item_price for ln in a.orders[0].lines) == Decimal("50.00")
    assert parse("woocommerce", "woocommerce_analytics.csv").errors[0].column == "currency"


def test_temu_xlsx_and_gb18030():
    p = parse("temu", "temu_orders.xlsx")
    assert p.errors == [] and p.encoding == "xlsx"
    assert p.orders[1].lines[0].platform_sku == "50012345700"  # SKU货号 is "--": falls back to SKUID
    o = p.orders[0]
    assert o.market == "US" and len(o.lines) == 2 and o.lines[0].quantity == 2 and o.lines[0].item_price is None
    g = parse("temu", "temu_orders_gb18030.csv")
    assert g.errors == [] and g.encoding == "gb18030" and g.orders[0].market == "DE"


def test_mapped():
    mapping = {"columns": {"order_id": "Bestellnr", "date": "Datum", "sku": "Artikel", "quantity": "Menge",
                           "price": "Gesamt", "currency": "Währung", "country": "Land"},
               "options": {"date_format": "%d.%m.%Y", "decimal_separator": ",", "channel": "b2b"}}
    p = parse("mapped", "mapped_orders_de.csv", mapping=mapping)
    assert p.errors == []
    assert p.orders[0].lines[0].item_price == Decimal("1234.50") and p.orders[0].channel == "b2b"
    assert p.orders[1].purchased_at == datetime(2026, 3, 15)
    bad = importers.parse("mapped", b"x", mapping={"columns": {"order_id": "A"}})
    assert {e.column for e in bad.errors} >= {"columns.date", "columns.sku", "columns.price"}


@pytest.mark.parametrize("text,code", [("$18.00", "USD"), ("AU $5.00", "AUD"), ("£1.00", "GBP"), ("€2,00", "EUR")])
def test_currency_symbols(text, code):
    assert currency_from_symbol(text) == code

"""The duties line of an order's profit (the customs order-duties source) in the page language."""

from datetime import date, datetime
from decimal import Decimal

from xborder.catalog import service as catalog
from xborder.customs import service as customs
from xborder.customs.order_duties import order_duties
from xborder.customs.tariffs import TariffLine
from xborder.customs.translate import source_text
from xborder.sales.orm import SalesOrder, SalesOrderLine


def _setup(s, principal):
    catalog.create_sku(s, principal, {"sku": "SW-TEE", "name_en": "Cotton T-shirt", "hs_code": "610910",
                                      "origin": "CN", "weight_g": "200", "purchase_cost": "30.00"})
    customs.store_tariff(s, dataset="tariff:US", version="t1", source="test HTS", url="", digest="d" * 64,
                         valid_from=date(2025, 1, 1), lines=[TariffLine("61091000", "Of cotton", "16.5%")])
    o = SalesOrder(org_id=principal.org_id, channel="amazon", order_ref="111-0000009-0000009", market="US",
                   currency="USD", purchased_at=datetime(2026, 9, 10, 12, 0), status="Shipped", fulfillment="FBA",
                   ship_country="US", source_format="test")
    o.lines.append(SalesOrderLine(org_id=principal.org_id, line_ref="l-0", platform_sku="SW-TEE", quantity=Decimal(2),
                                  item_price=Decimal("40.00"), item_tax=Decimal("3.20")))
    s.add(o)
    s.flush()
    return o


def test_order_duties_source_in_chinese_and_english(uow, principal, web_client):
    o = _setup(uow.session, principal)
    got = order_duties(uow.session, principal, o)
    assert got.amount == Decimal("9.60")
    zh = source_text(got.source, "zh_CN")
    assert zh is not None and zh.startswith("到岸成本 US 2026-09-10（marketplace，DDP）：卖家支付 9.60 USD")
    assert "最惠国关税 16.5%，按 FOB 价格 40.00 USD 计征" in zh and "于入境时征收；FBA：按售价估值" in zh
    assert source_text(got.source, "en") == got.source
    assert source_text("some text this process never built", "zh_CN") is None
    order_id = o.id
    uow.commit()

    web_client.cookies.set("lang", "zh_CN")
    page = web_client.get(f"/orders/{order_id}")
    assert page.status_code == 200, page.text
    assert "最惠国关税 16.5%，按 FOB 价格 40.00 USD 计征" in page.text
    assert "MFN duty 16.5% on FOB value" not in page.text
    web_client.cookies.set("lang", "en")
    page = web_client.get(f"/orders/{order_id}", headers={"Accept-Language": "en"})
    assert "MFN duty 16.5% on FOB value 40.00 USD" in page.text and "最惠国关税" not in page.text


def test_rate_shopping_duties_label_in_the_page_language(uow, web_client):
    customs.store_tariff(uow.session, dataset="tariff:US", version="t1", source="test HTS", url="", digest="e" * 64,
                         valid_from=date(2025, 1, 1), lines=[TariffLine("61091000", "Of cotton", "16.5%")])
    uow.commit()
    csrf = web_client.csrf
    r = web_client.post("/logistics/ratecards/samples", data={"csrf_token": csrf}, follow_redirects=True)
    assert r.status_code == 200
    form = {"csrf_token": csrf, "destination": "US", "postcode": "10001", "weight_kg": "0.42", "length_cm": "20",
            "width_cm": "15", "height_cm": "3", "max_days": "20", "value": "20", "currency": "USD", "quantity": "1",
            "hs_code": "610910"}
    web_client.cookies.set("lang", "zh_CN")
    zh = web_client.post("/logistics", data=form)
    assert zh.status_code == 200, zh.text
    assert "（于入境时征收，由卖家支付）" in zh.text and "关税 4.80 + 税款 0.00 + 费用 0.00" in zh.text
    web_client.cookies.set("lang", "en")
    en = web_client.post("/logistics", data=form, headers={"Accept-Language": "en"})
    assert "duty 4.80 + taxes 0.00 + fees 0.00 (collected at border, paid by seller)" in en.text
    assert "由卖家支付" not in en.text

"""The duties line of an order's profit (the customs order-duties source) in the page language,
rendered from the message the profit hook hands over (no state in the process that built it)."""

import json
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal

from xborder.catalog import service as catalog
from xborder.customs import order_duties as od_module
from xborder.customs import service as customs
from xborder.customs.order_duties import duties_for_order, order_duties
from xborder.customs.tariffs import TariffLine
from xborder.customs.translate import render, render_json
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
    zh = render(got.message, "zh_CN")
    assert zh.startswith("到岸成本 US 2026-09-10（marketplace，DDP）：卖家支付 9.60 USD")
    assert "最惠国关税 16.5%，按 FOB 价格 40.00 USD 计征" in zh and "于入境时征收；FBA：按售价估值" in zh
    assert render(got.message, "en") == got.source
    # the hook hands the message over as JSON: the same text from the data alone
    cny, source, message = duties_for_order(uow.session, principal, o)
    assert source == got.source and json.loads(json.dumps(message)) == message
    assert render_json(message, "zh_CN") == zh and render_json(message, "en") == source
    assert render_json(None, "zh_CN") is None
    # no process-wide map of texts to messages any more
    assert not hasattr(od_module, "source_message") and not hasattr(od_module, "_SOURCES")
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


def test_profit_json_carries_the_message_and_another_process_renders_it(uow, principal, api_client):
    o = _setup(uow.session, principal)
    ref = o.order_ref
    uow.commit()
    r = api_client.get("/api/v1/profit/lines", params={"by": "order", "key": ref})
    assert r.status_code == 200, r.text
    (duty,) = [e for e in r.json()["lines"][0]["explanations"] if e["figure"] == "duties_taxes"]
    assert duty["source"].startswith("landed cost US 2026-09-10") and duty["source_msgid"].startswith("%(head)s")
    # a fresh interpreter that never computed anything renders it from the JSON
    code = ("import json, sys; from xborder.customs.translate import render_json; "
            "d = json.load(sys.stdin); print(render_json({'msgid': d['source_msgid'], 'params': d['source_params']}, 'zh_CN'))")
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(duty), capture_output=True, text=True, check=True)
    assert "最惠国关税 16.5%，按 FOB 价格 40.00 USD 计征" in out.stdout


def test_not_computed_reason_in_the_page_language(uow, principal, web_client):
    o = _setup(uow.session, principal)
    o.lines[0].platform_sku = "UNKNOWN-SKU"
    uow.session.flush()
    got = order_duties(uow.session, principal, o)
    assert got.amount is None and "is not paired to a catalog SKU" in got.source
    assert render(got.message, "zh_CN") == "订单 111-0000009-0000009：明细 l-0（UNKNOWN-SKU）未关联到商品目录中的 SKU"
    order_id = o.id
    uow.commit()
    web_client.cookies.set("lang", "zh_CN")
    page = web_client.get(f"/orders/{order_id}")
    assert "未记录关税：订单 111-0000009-0000009：明细 l-0（UNKNOWN-SKU）未关联到商品目录中的 SKU" in page.text
    web_client.cookies.set("lang", "en")
    page = web_client.get(f"/orders/{order_id}", headers={"Accept-Language": "en"})
    assert "no duties recorded: order 111-0000009-0000009: line l-0 (UNKNOWN-SKU) is not paired" in page.text


def test_an_order_without_its_tariff_line_says_how_to_give_it(uow, principal, web_client):
    """HS 610910 with two US rates: the order's page names the lines (in Chinese too), tells the user
    to give the SKU the market's own line and links to the catalog; with the line the hint is gone."""
    o = _setup(uow.session, principal)
    customs.store_tariff(uow.session, dataset="tariff:US", version="t2", source="test HTS 2", url="", digest="e" * 64,
                         valid_from=date(2026, 1, 1), lines=[TariffLine("61091000", "Of cotton", "16.5%"),
                                                              TariffLine("6109100012", "Men's", "20%")])
    order_id = o.id
    uow.commit()
    web_client.cookies.set("lang", "zh_CN")
    page = web_client.get(f"/orders/{order_id}").text
    assert 'id="tariff-line-hint-1"' in page and "SKU SW-TEE" in page and 'href="/catalog?q=SW-TEE"' in page
    assert "610910 下有 2 个税目，税率有 2 种" in page
    sku = catalog.get_sku_by_code(uow.session, principal.org_id, "SW-TEE")
    catalog.update_sku(uow.session, principal, sku.id, {**catalog.sku_to_dict(sku), "hs_code_us": "6109100012"})
    uow.commit()
    page = web_client.get(f"/orders/{order_id}").text
    assert 'id="tariff-line-hint-1"' not in page and "20%" in page

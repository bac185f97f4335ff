from __future__ import annotations

import html
import re
from pathlib import Path

CARDS = Path(__file__).resolve().parents[3] / "src" / "xborder" / "logistics" / "cards"
REQUEST = {
    "origin": "CN", "destination": "US", "postcode": "10001",
    "parcel": {"weight_kg": "0.42", "length_cm": 20, "width_cm": 15, "height_cm": 3},
    "contents": [], "max_days": 20, "value": "20.00", "currency": "USD",
}


def test_api_cards_rates_shipments(api_client):
    bad = api_client.post("/api/v1/logistics/ratecards/validate", content=b"carrier: X\ncurrency: XYZ\n")
    assert bad.status_code == 200 and bad.json()["valid"] is False
    assert any(e["line"] == 2 and e["field"] == "currency" for e in bad.json()["errors"])
    rej = api_client.post("/api/v1/logistics/ratecards", content=b"carrier: X\n")
    assert rej.status_code == 422 and rej.json()["code"] == "RATE_CARD_INVALID" and rej.json()["errors"]
    up = api_client.post("/api/v1/logistics/ratecards", files={"file": ("wanb-us-line.yaml", (CARDS / "wanb-us-line.yaml").read_bytes())})
    assert up.status_code == 201 and up.json()["status"] == "created"
    assert api_client.post("/api/v1/logistics/ratecards/samples").status_code == 201
    cards = api_client.get("/api/v1/logistics/ratecards").json()["cards"]
    assert len(cards) == 8 and {"code", "valid_from", "valid_to"} <= set(cards[0])
    assert "zones:" in api_client.get("/api/v1/logistics/ratecards/wanb-us").json()["yaml"]
    r = api_client.post("/api/v1/logistics/rates", json=REQUEST)
    assert r.status_code == 200, r.text
    assert r.json()["options"][0]["code"] == "wanb-us" and r.json()["options"][0]["price"] == "55.80"
    missing = api_client.post("/api/v1/logistics/rates", json={**REQUEST, "parcel": {"weight_kg": "-1", "length_cm": 1, "width_cm": 1, "height_cm": 1}})
    assert missing.status_code == 422 and missing.json()["field"] == "parcel.weight_kg"
    s = api_client.post("/api/v1/logistics/shipments", json={**REQUEST, "order_ref": "ORD-5", "card_code": "wanb-us"})
    assert s.status_code == 201, s.text
    sid = s.json()["id"]
    got = api_client.get(f"/api/v1/logistics/shipments/{sid}").json()
    assert got["cost"] == "55.80" and (got["declared_value"], got["declared_currency"]) == ("20.00", "USD")
    lab = api_client.get(f"/api/v1/logistics/shipments/{sid}/label.pdf")
    assert lab.status_code == 200 and lab.content.startswith(b"%PDF")
    cost = api_client.get("/api/v1/logistics/orders/ORD-5/shipping-cost").json()
    assert cost == {"order_ref": "ORD-5", "cost": "55.80", "currency": "CNY"}
    tn = s.json()["tracking_number"]
    t = api_client.post("/api/v1/logistics/tracking", files={"file": ("t.csv", f"tracking_number,status,event_time\n{tn},in transit,2026-11-25 08:00\n".encode())})
    assert t.status_code == 200 and t.json()["imported"] == 1
    plan = api_client.post("/api/v1/logistics/plan", json={"orders": [{**REQUEST, "order_ref": "A"}, {**REQUEST, "order_ref": "B"}]})
    assert plan.status_code == 200 and plan.json()["solver_status"] == "Optimal"
    fee = api_client.post("/api/v1/logistics/fba-fee", json={"parcel": {"weight_kg": "0.2", "length_cm": 20, "width_cm": 15, "height_cm": "1.5"}, "price": "19.99", "date": "2025-06-01"})
    assert fee.json()["fee"] == "3.33"
    cmp_ = api_client.post("/api/v1/logistics/compare", json={"sku": "M", "parcel": {"weight_kg": "0.45", "length_cm": 12, "width_cm": 10, "height_cm": 10}, "price": "19.99", "weekly_demand": 300, "units_per_carton": 24})
    assert cmp_.status_code == 200 and cmp_.json()["best"] == "warehouse (FBA)"


def test_other_org_cannot_see_shipments(api_client, other_api_client):
    api_client.post("/api/v1/logistics/ratecards/samples")
    sid = api_client.post("/api/v1/logistics/shipments", json={**REQUEST, "order_ref": "X", "card_code": "wanb-us"}).json()["id"]
    assert other_api_client.get(f"/api/v1/logistics/shipments/{sid}").status_code == 404
    assert other_api_client.get(f"/api/v1/logistics/shipments/{sid}/label.pdf").status_code == 404
    mine = api_client.get("/api/v1/logistics/shipments/export").content.decode("utf-8-sig").splitlines()
    assert len(mine) == 2 and mine[1].startswith(f"{sid},") and ",wanb-us," in mine[1] and mine[1].endswith(",CNY,55.80,20,USD,card")
    assert other_api_client.get("/api/v1/logistics/shipments/export").content.decode("utf-8-sig").splitlines() == [mine[0]]


def test_pages_render_and_work(web_client):
    csrf = web_client.csrf
    assert web_client.get("/logistics").status_code == 200
    page = web_client.get("/logistics/ratecards")
    assert page.status_code == 200 and "load-samples" in page.text
    bad = web_client.post("/logistics/ratecards", data={"csrf_token": csrf, "action": "validate", "yaml_text": "carrier: X\ncurrency: XYZ\n"})
    assert bad.status_code == 422 and "card-errors" in bad.text and "XYZ" in bad.text
    ok = web_client.post("/logistics/ratecards", data={"csrf_token": csrf, "action": "import"}, files={"file": ("eu-line.yaml", (CARDS / "eu-line.yaml").read_bytes())})
    assert ok.status_code == 200 and "import-result" in ok.text
    r = web_client.post("/logistics/ratecards/samples", data={"csrf_token": csrf}, follow_redirects=True)
    assert r.status_code == 200 and "wanb-us" in r.text
    shop = web_client.post("/logistics", data={"csrf_token": csrf, "destination": "US", "postcode": "10001", "weight_kg": "0.42", "length_cm": "20", "width_cm": "15", "height_cm": "3", "max_days": "20", "value": "20", "currency": "USD", "quantity": "1"})
    assert shop.status_code == 200 and 'data-code="wanb-us"' in shop.text and "55.80" in shop.text and 'id="ineligible"' in shop.text
    # "Ship this" on an option fills the booking form with the parcel and its contents
    import re as _re

    link = _re.search(r'<a class="small" data-ship href="([^"]+)"', shop.text).group(1).replace("&amp;", "&")
    assert "card_code=" in link and "weight_kg=0.42" in link
    form = web_client.get(link.split("#")[0] + "&c_battery=on")
    assert form.status_code == 200 and 'value="0.42"' in form.text
    assert _re.search(r'name="c_battery" checked', form.text) and not _re.search(r'name="c_liquid" checked', form.text)
    assert 'id="ship-screen-link"' in form.text and "/customs/screen?destination=US" in form.text
    assert 'name="destination" value="DE"' in web_client.get("/customs/screen?destination=de").text
    # a card that refuses batteries is refused at booking, with the reason, and nothing is booked
    before = web_client.get("/logistics/shipments").text.count('href="/logistics/shipments/')
    refused = web_client.post("/logistics/shipments", data={"csrf_token": csrf, "order_ref": "B-1", "card_code": "wanb-us", "destination": "US", "postcode": "10001", "weight_kg": "0.42", "length_cm": "20", "width_cm": "15", "height_cm": "3", "quantity": "1", "c_battery": "on"})
    assert refused.status_code == 422 and 'id="ship-error"' in refused.text and "battery" in refused.text
    assert refused.text.count("cannot carry this parcel") == 1 or "不能承运此包裹" in refused.text
    assert web_client.get("/logistics/shipments").text.count('href="/logistics/shipments/') == before
    web_client.cookies.set("lang", "zh_CN")  # the engine's explanations, worded in Chinese on a Chinese page
    zh = web_client.post("/logistics", data={"csrf_token": csrf, "destination": "US", "postcode": "10001", "weight_kg": "0.42", "length_cm": "20", "width_cm": "15", "height_cm": "3", "max_days": "20", "value": "20", "currency": "USD", "quantity": "1"})
    web_client.cookies.set("lang", "en")
    assert zh.status_code == 200 and "实重 0.42 kg" in zh.text and "计费重" in zh.text
    assert "billable weight" not in zh.text and "actual weight" not in zh.text and "no zone for" not in zh.text
    badshop = web_client.post("/logistics", data={"csrf_token": csrf, "destination": "US", "weight_kg": "x", "length_cm": "20", "width_cm": "15", "height_cm": "3", "quantity": "1"})
    assert badshop.status_code == 422 and "weight_kg" in badshop.text
    cards = web_client.get("/logistics/ratecards").text
    import re

    card_id = re.search(r'href="/logistics/ratecards/(\d+)"', cards).group(1)
    assert "zones" in web_client.get(f"/logistics/ratecards/{card_id}").text
    sh = web_client.post("/logistics/shipments", data={"csrf_token": csrf, "order_ref": "W-1", "card_code": "wanb-us", "destination": "US", "weight_kg": "0.42", "length_cm": "20", "width_cm": "15", "height_cm": "3", "quantity": "1"}, follow_redirects=True)
    assert sh.status_code == 200 and "W-1" in sh.text
    sid = re.search(r'href="/logistics/shipments/(\d+)"', sh.text).group(1)
    assert web_client.get(f"/logistics/shipments/{sid}").status_code == 200
    assert 'id="shipments-export-xlsx"' in sh.text
    rows = web_client.get("/logistics/shipments/export?format=csv").content.decode("utf-8-sig").splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == [sid]
    assert web_client.get(f"/logistics/shipments/{sid}/label.pdf").content.startswith(b"%PDF")
    plan = web_client.get("/logistics/plan")
    assert plan.status_code == 200
    from xborder.logistics.web import PLAN_SAMPLE

    res = web_client.post("/logistics/plan", data={"csrf_token": csrf, "orders_text": PLAN_SAMPLE, "capacity": ""})
    assert res.status_code == 200 and 'id="saving"' in res.text and "<svg" in res.text
    cmp_ = web_client.post("/logistics/plan/compare", data={"csrf_token": csrf, "sku": "M", "destination": "US", "weight_kg": "0.45", "length_cm": "12", "width_cm": "10", "height_cm": "10", "price": "19.99", "weekly_demand": "300", "units_per_carton": "24", "replenish_weeks": "8"})
    assert cmp_.status_code == 200 and 'id="comparison"' in cmp_.text


def test_chinese_pages(web_client):
    web_client.cookies.set("lang", "zh_CN")
    r = web_client.get("/logistics/ratecards")
    assert r.status_code == 200 and "运费卡" in r.text


def test_api_rates_fast_path_keeps_auth_scoping_and_errors(app, api_client, other_api_client):
    from fastapi.testclient import TestClient

    anon = TestClient(app, base_url="http://127.0.0.1")
    assert anon.post("/api/v1/logistics/rates", json=REQUEST).status_code == 401
    wrong = anon.post("/api/v1/logistics/rates", json=REQUEST, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert api_client.post("/api/v1/logistics/ratecards/samples").status_code == 201
    assert api_client.post("/api/v1/logistics/rates", json=REQUEST).json()["options"]
    # the other organisation has no cards: its own, named error, not the first one's cards
    other = other_api_client.post("/api/v1/logistics/rates", json=REQUEST)
    assert other.status_code == 422 and other.json()["field"] == "cards"
    assert api_client.post("/api/v1/logistics/rates", content=b"[1, 2]", headers={"Content-Type": "application/json"}).status_code == 422
    # a card imported after a quote is used by the next quote (the per-organisation cache follows)
    cheap = (CARDS / "wanb-us-line.yaml").read_text("utf-8").replace("code: wanb-us", "code: wanb-us-cheap").replace("per_kg: 90,", "per_kg: 1,")
    assert api_client.post("/api/v1/logistics/ratecards", content=cheap.encode(), headers={"X-Filename": "cheap.yaml"}).status_code == 201
    codes = [o["code"] for o in api_client.post("/api/v1/logistics/rates", json=REQUEST).json()["options"]]
    assert codes[0] == "wanb-us-cheap"  # 0.42 kg falls in the band re-priced to 1 CNY/kg


def test_web_booking_of_an_imported_order_records_its_items_and_value(web_client, api_client):
    """The booking form with a hand-measured parcel for an imported order: the order gives the
    declared value and the items (shown on the shipment, used by the invoice draft); a value typed
    on the form wins; "Ship this" carries the compared declared value."""
    import re
    from pathlib import Path

    fix = Path(__file__).resolve().parents[2] / "fixtures" / "sales" / "shopify_orders.csv"
    assert api_client.post("/api/v1/orders/import", data={"format": "shopify"}, files={"file": ("o.csv", fix.read_bytes())}).status_code == 200
    csrf = web_client.csrf
    web_client.post("/logistics/ratecards/samples", data={"csrf_token": csrf})
    codes = re.findall(r"<option[^>]*>([^<]+)</option>", web_client.get("/logistics/shipments").text)
    shop = web_client.post("/logistics", data={"csrf_token": csrf, "destination": "DE", "weight_kg": "0.9", "length_cm": "20", "width_cm": "15",
                                                "height_cm": "10", "value": "40", "currency": "EUR", "quantity": "1"})
    link = re.search(r'<a class="small" data-ship href="([^"]+)"', shop.text).group(1).replace("&amp;", "&")
    assert "value=40" in link and "currency=EUR" in link
    form = web_client.get(link.split("#")[0]).text
    assert 'name="value" value="40"' in form and 'name="currency" value="EUR"' in form
    card = re.search(r"card_code=([^&]+)", link).group(1)
    assert card in codes
    parcel = {"destination": "DE", "weight_kg": "0.9", "length_cm": "20", "width_cm": "15", "height_cm": "10", "quantity": "1"}
    r = web_client.post("/logistics/shipments", data={"csrf_token": csrf, "order_ref": "#1001", "card_code": card, **parcel}, follow_redirects=True)
    assert r.status_code == 200, r.text[-2000:]
    sid = re.search(r"created=(\d+)", str(r.url)).group(1)
    got = api_client.get(f"/api/v1/logistics/shipments/{sid}").json()
    assert got["declared_currency"] == "EUR" and got["declared_value"] is not None
    assert {i["sku"] for i in got["items"]} == {"MUG-BL-350", "CST-BAM-4"}
    page = web_client.get(f"/logistics/shipments/{sid}").text
    assert 'id="items"' in page and "MUG-BL-350" in page and f"/customs/documents?shipment={sid}" in page
    assert f"/customs/declarations?shipment={sid}" in page and "MUG-BL-350" in web_client.get(f"/customs/declarations?shipment={sid}").text
    assert 'id="screening"' in page and got["screening"]["destination"] == "DE" and got["screening"]["lines"] == [i["sku"] for i in got["items"]]
    assert f"{got['declared_value']} EUR" in page
    draft = web_client.get(f"/customs/documents?shipment={sid}").text
    assert "MUG-BL-350" in draft and "CST-BAM-4" in draft
    typed = web_client.post("/logistics/shipments", data={"csrf_token": csrf, "order_ref": "#1001", "card_code": card, "value": "12.5",
                                                          "currency": "EUR", **parcel}, follow_redirects=True)
    sid2 = re.search(r"created=(\d+)", str(typed.url)).group(1)
    assert api_client.get(f"/api/v1/logistics/shipments/{sid2}").json()["declared_value"] == "12.50"


def test_ship_this_order_fills_the_form_with_the_packed_parcel_and_the_cheapest_card(web_client, api_client):
    """An imported order whose SKUs have catalog sizes: the booking form opened from the order has
    the recipient, the parcel packed from the SKUs and the cheapest card that can carry it; "Compare
    every option" prices it in the rate shop, whose "Ship this" keeps the order; booking it with
    the form as filled records the recipient."""
    import re
    from pathlib import Path

    fix = Path(__file__).resolve().parents[2] / "fixtures" / "sales" / "shopify_orders.csv"
    csrf = web_client.csrf
    catalog = b"sku,name_en,weight_g,length_cm,width_cm,height_cm\nMUG-BL-350,Mug,350,12,10,10\nCST-BAM-4,Coasters,200,11,11,4\n"
    assert api_client.post("/api/v1/catalog/import", files={"file": ("c.csv", catalog)}).status_code == 200
    assert api_client.post("/api/v1/orders/import", data={"format": "shopify"}, files={"file": ("o.csv", fix.read_bytes())}).status_code == 200
    web_client.post("/logistics/ratecards/samples", data={"csrf_token": csrf})
    form = web_client.get("/logistics/shipments?order_ref=%231001").text
    values = dict(re.findall(r'<input name="(\w+)" value="([^"]*)"', form))
    assert values["buyer"] == "Anna Weber" and values["destination"] == "DE" and values["postcode"] == "50667"
    assert values["weight_kg"] == "0.9" and values["value"] and 'id="ship-suggestion"' in form  # 2 mugs of 350 g + coasters of 200 g
    assert 'id="ship-cost-share"' in form and "运费占订单货值的" in form  # the page is in Chinese by default
    card = re.search(r'<option selected>([^<]+)</option>', form).group(1)
    compare = re.search(r'id="ship-compare" href="([^"]+)"', form).group(1).replace("&amp;", "&")
    shop = web_client.get(compare)
    assert shop.status_code == 200 and 'id="shop-order"' in shop.text
    first = re.search(r'<a class="small" data-ship href="([^"]+)"', shop.text).group(1).replace("&amp;", "&")
    assert "order_ref=%231001" in first and f"card_code={card}" in first  # the rate shop ranks the same card first
    booked = web_client.post("/logistics/shipments", data={"csrf_token": csrf, "card_code": card, **{k: v for k, v in values.items()
                                                           if k not in ("csrf_token",)}, "address": "Lindenstraße 1\nKöln"},
                             follow_redirects=True)
    sid = re.search(r"created=(\d+)", str(booked.url)).group(1)
    got = api_client.get(f"/api/v1/logistics/shipments/{sid}").json()
    assert (got["buyer"], got["postcode"], got["card_code"]) == ("Anna Weber", "50667", card)
    # the order's page lists its shipment
    oid = api_client.get(f"/api/v1/logistics/shipments/{sid}").json()["sales_order_id"]
    assert f'href="/logistics/shipments/{sid}"' in web_client.get(f"/orders/{oid}").text.split('id="order-shipments"')[1]
    # the commercial invoice draft names the consignee with the address and postcode
    draft = web_client.get(f"/customs/documents?shipment={sid}").text
    assert "Anna Weber" in draft and "Lindenstraße 1\\nKöln\\n50667" in draft


def test_orders_to_ship_queue_web_api_and_export(web_client, api_client):
    """Merchant-fulfilled orders without a shipment are the queue (oldest first); booking one takes
    it off; the period filter, the API and the CSV export agree."""
    from pathlib import Path

    fix = Path(__file__).resolve().parents[2] / "fixtures" / "sales" / "shopify_orders.csv"
    assert api_client.post("/api/v1/orders/import", data={"format": "shopify"}, files={"file": ("o.csv", fix.read_bytes())}).status_code == 200
    q = api_client.get("/api/v1/logistics/to-ship?days=all").json()
    assert [o["order_ref"] for o in q["orders"]] == ["#1001", "#1002"] and q["total"] == 2
    assert q["orders"][0]["recipient"] == "Anna Weber" and q["orders"][0]["value"] == "40"  # the goods (declared) value
    assert api_client.get("/api/v1/logistics/to-ship?days=7").json()["total"] == 0  # March orders, not of the last week
    assert api_client.get("/api/v1/logistics/to-ship?days=x").status_code == 422
    page = web_client.get("/logistics/to-ship?days=all").text
    assert 'href="/logistics/shipments?order_ref=%231001#book"' in page and "Anna Weber" in page
    recent = web_client.get("/logistics/to-ship").text  # the March orders are older than 30 days: said, with a link
    assert 'id="to-ship-older"' in recent and 'href="/logistics/to-ship?days=all"' in recent
    csv = api_client.get("/api/v1/logistics/to-ship/export?days=all&format=csv").text
    assert csv.lstrip("\ufeff").startswith("order_ref,channel,purchased_at,age_days") and "#1002" in csv
    csrf = web_client.csrf
    web_client.post("/logistics/ratecards/samples", data={"csrf_token": csrf})
    parcel = {"destination": "DE", "weight_kg": "0.9", "length_cm": "20", "width_cm": "15", "height_cm": "10", "quantity": "1"}
    r = web_client.post("/logistics/shipments", data={"csrf_token": csrf, "order_ref": "#1001", "card_code": "cheapest", **parcel},
                        follow_redirects=True)
    assert "created=" in str(r.url), r.text[-1500:]
    assert [o["order_ref"] for o in api_client.get("/api/v1/logistics/to-ship?days=all").json()["orders"]] == ["#1002"]
    assert "id=\"to-ship\"" in web_client.get("/logistics/to-ship").text


def test_book_ticked_orders_and_print_their_labels(web_client, api_client):
    """Tick orders in the queue, book them on the cheapest card each: the booked page lists them
    (with the one that could not be booked and why) and prints every label in one PDF; the API
    books a batch the same way."""
    import re
    from pathlib import Path

    fix = Path(__file__).resolve().parents[2] / "fixtures" / "sales" / "shopify_orders.csv"
    catalog = b"sku,name_en,weight_g,length_cm,width_cm,height_cm\nMUG-BL-350,Mug,350,12,10,10\nCST-BAM-4,Coasters,200,11,11,4\n"
    assert api_client.post("/api/v1/catalog/import", files={"file": ("c.csv", catalog)}).status_code == 200
    assert api_client.post("/api/v1/orders/import", data={"format": "shopify"}, files={"file": ("o.csv", fix.read_bytes())}).status_code == 200
    csrf = web_client.csrf
    web_client.post("/logistics/ratecards/samples", data={"csrf_token": csrf})
    queue = web_client.get("/logistics/to-ship?days=all").text
    assert 'data-check-all="order_ref"' in queue and 'value="cheapest" selected' in queue
    r = web_client.post("/logistics/to-ship/book", data={"csrf_token": csrf, "days": "all", "card_code": "cheapest",
                                                         "order_ref": ["#1001", "#1002"]})
    assert r.status_code == 200 and 'id="booked"' in r.text and 'id="not-booked"' in r.text
    assert "#1002" in r.text.split('id="not-booked"')[1]  # an SKU without catalog sizes: the reason is shown
    assert re.search(r'<td class="num( warn)?">\d+%</td>', r.text)  # shipping as a share of the goods' value
    left = api_client.get("/api/v1/logistics/to-ship?days=all").json()["orders"]
    assert [o["order_ref"] for o in left] == ["#1002"]  # the failed one wrote nothing and still waits
    ids = re.search(r'href="/logistics/shipments/labels.pdf\?ids=([\d,]+)"', r.text).group(1)
    pdf = web_client.get(f"/logistics/shipments/labels.pdf?ids={ids}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert web_client.get("/logistics/shipments/labels.pdf?ids=x").status_code == 422
    assert web_client.post("/logistics/to-ship/book", data={"csrf_token": csrf, "days": "all"}).status_code == 422  # none ticked
    batch = api_client.post("/api/v1/logistics/shipments/batch", json={"order_refs": ["#1001", "#404"]})
    assert batch.status_code == 200 and len(batch.json()["created"]) == 1 and batch.json()["failed"][0]["order_ref"] == "#404"
    two = f"{ids},{batch.json()['created'][0]['id']}"
    both = api_client.get(f"/api/v1/logistics/shipments/labels.pdf?ids={two}")
    assert both.status_code == 200 and len(re.findall(rb"/Type /Page\b(?!s)", both.content)) == 2  # a page per label
    assert api_client.post("/api/v1/logistics/shipments/batch", json={"order_refs": "#1001"}).status_code == 422


def test_recent_orders_to_ship_on_the_dashboard(web_client, api_client):
    from datetime import date, timedelta

    old = (date.today() - timedelta(days=5)).isoformat()
    new = date.today().isoformat()
    csv = ("Name,Created at,Currency,Financial Status,Lineitem quantity,Lineitem price,Lineitem sku,Shipping Country\n"
           f"#7001,{old} 10:00:00 +0000,USD,paid,1,9.99,MUG-1,US\n#7002,{new} 09:00:00 +0000,USD,paid,1,9.99,MUG-1,US\n"
           f"#7003,{new} 09:30:00 +0000,USD,refunded,1,9.99,MUG-1,US\n")
    csv = csv.replace("Shipping Country\n", "Shipping Country,Fulfillment Status\n", 1).replace(",US\n", ",US,\n")
    csv += f"#7004,{new} 09:40:00 +0000,USD,paid,1,9.99,MUG-1,US,fulfilled\n"  # shipped from Shopify's own admin
    assert api_client.post("/api/v1/orders/import", data={"format": "shopify"}, files={"file": ("o.csv", csv.encode())}).status_code == 200
    q = api_client.get("/api/v1/logistics/to-ship").json()
    assert [o["order_ref"] for o in q["orders"]] == ["#7001", "#7002"] and q["orders"][0]["age_days"] == 5  # refunded: not to ship
    # a later export says #7001 was fulfilled in Shopify: it leaves the queue (the one field a re-import updates)
    later = csv.replace(f"#7001,{old} 10:00:00 +0000,USD,paid,1,9.99,MUG-1,US,", f"#7001,{old} 10:00:00 +0000,USD,paid,1,9.99,MUG-1,US,fulfilled")
    assert api_client.post("/api/v1/orders/import", data={"format": "shopify"}, files={"file": ("o2.csv", later.encode())}).status_code == 200
    assert [o["order_ref"] for o in api_client.get("/api/v1/logistics/to-ship").json()["orders"]] == ["#7002"]
    older = csv.replace("Fulfillment Status", "Fulfillment Status", 1).replace(",US,\n", ",US,unfulfilled\n")
    assert api_client.post("/api/v1/orders/import", data={"format": "shopify"}, files={"file": ("o3.csv", older.encode())}).status_code == 200
    assert [o["order_ref"] for o in api_client.get("/api/v1/logistics/to-ship").json()["orders"]] == ["#7002"]  # stays shipped
    page = web_client.get("/").text
    assert 'href="/logistics/to-ship"' in page


def test_postal_shipment_page_says_its_label_carries_the_cn22(web_client, api_client):
    import re
    from pathlib import Path

    fix = Path(__file__).resolve().parents[2] / "fixtures" / "sales" / "shopify_orders.csv"
    catalog = b"sku,name_en,weight_g,length_cm,width_cm,height_cm,hs_code\nMUG-BL-350,Mug,350,12,10,10,691200\nCST-BAM-4,Coasters,200,11,11,4,441990\n"
    assert api_client.post("/api/v1/catalog/import", files={"file": ("c.csv", catalog)}).status_code == 200
    assert api_client.post("/api/v1/orders/import", data={"format": "shopify"}, files={"file": ("o.csv", fix.read_bytes())}).status_code == 200
    assert api_client.post("/api/v1/logistics/ratecards/samples").status_code == 201
    post = api_client.post("/api/v1/logistics/shipments", json={"order_ref": "#1001", "card_code": "cn-post-epacket"})
    line = api_client.post("/api/v1/logistics/shipments", json={"order_ref": "#1001", "card_code": "eu-line"})
    assert post.status_code == line.status_code == 201
    zh = web_client.get(f"/logistics/shipments/{post.json()['id']}").text  # the page speaks Chinese by default
    assert "CN 22：内件价值" in html.unescape(zh.split('id="postal-form-why">')[1].split("<")[0])
    web_client.cookies.set("lang", "en")
    page = web_client.get(f"/logistics/shipments/{post.json()['id']}").text
    assert 'id="cn22-note"' in page and "CN 22" in page
    why = html.unescape(page.split('id="postal-form-why">')[1].split("<")[0])
    assert why.startswith("CN 22: contents worth ") and " SDR (under 300 SDR); 1 SDR = " in why  # the value in SDR, explained
    assert 'id="cn22-note"' not in web_client.get(f"/logistics/shipments/{line.json()['id']}").text
    assert api_client.get(f"/api/v1/logistics/shipments/{post.json()['id']}").json()["postal_declaration"] == {"form": "CN 22", "why": why}
    assert api_client.get(f"/api/v1/logistics/shipments/{line.json()['id']}").json()["postal_declaration"] is None
    pdf = api_client.get(f"/api/v1/logistics/shipments/{post.json()['id']}/label.pdf").content
    assert len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 2


def test_commercial_invoices_of_booked_shipments_print_in_one_pdf(web_client, api_client):
    """The booked page prints the shipments' commercial invoices at once; a draft customs would
    refuse (an SKU without HS code) is named with what it lacks, and the complete ones still print."""
    import re
    from pathlib import Path

    fix = Path(__file__).resolve().parents[2] / "fixtures" / "sales" / "shopify_orders.csv"
    catalog = (b"sku,name_en,weight_g,length_cm,width_cm,height_cm,hs_code,origin\n"
               b"MUG-BL-350,Ceramic mug,350,12,10,10,691200,CN\nCST-BAM-4,Bamboo coasters,200,11,11,4,,CN\n")
    assert api_client.post("/api/v1/catalog/import", files={"file": ("c.csv", catalog)}).status_code == 200
    assert api_client.post("/api/v1/orders/import", data={"format": "shopify"}, files={"file": ("o.csv", fix.read_bytes())}).status_code == 200
    assert api_client.post("/api/v1/logistics/ratecards/samples").status_code == 201
    a = api_client.post("/api/v1/logistics/shipments", json={"order_ref": "#1001", "card_code": "eu-line"}).json()["id"]
    more = ("Name,Created at,Currency,Financial Status,Lineitem quantity,Lineitem price,Lineitem sku,Shipping Country,Shipping Name\n"
            "#2001,2026-03-05 10:00:00 +0000,EUR,paid,1,15.00,MUG-BL-350,DE,Max Muster\n")
    assert api_client.post("/api/v1/orders/import", data={"format": "shopify"}, files={"file": ("m.csv", more.encode())}).status_code == 200
    ok_only = api_client.post("/api/v1/logistics/shipments", json={"order_ref": "#2001", "card_code": "eu-line"}).json()["id"]
    bad = web_client.get(f"/customs/invoices.pdf?shipments={a},{ok_only}")
    assert bad.status_code == 422 and 'id="refused"' in bad.text and "lines[1].hs_code" in bad.text and 'id="print-complete"' in bad.text
    printed = web_client.get(f"/customs/invoices.pdf?shipments={a},{ok_only}&valid_only=1")
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
    api = api_client.get(f"/api/v1/customs/invoices.pdf?shipments={a}")
    assert api.status_code == 422 and api.json()["refused"][0]["shipment_id"] == a
    assert api_client.get(f"/api/v1/customs/invoices.pdf?shipments={ok_only}").content.startswith(b"%PDF")
    assert api_client.get("/api/v1/customs/invoices.pdf?shipments=x").status_code == 422
    assert re.search(r"\d", str(a))


def test_carriers_tracking_numbers_replace_ours(web_client, api_client):
    """A shipment booked on a card gets the forwarder's own tracking number (page form, API, CSV);
    a number already used or malformed is refused; tracking files then match it."""
    import re

    assert api_client.post("/api/v1/logistics/ratecards/samples").status_code == 201
    parcel = {"destination": "US", "parcel": {"weight_kg": "0.3", "length_cm": 20, "width_cm": 15, "height_cm": 3}}
    a = api_client.post("/api/v1/logistics/shipments", json={"order_ref": "A-1", "card_code": "cheapest", **parcel}).json()["id"]
    b = api_client.post("/api/v1/logistics/shipments", json={"order_ref": "B-1", "card_code": "cheapest", **parcel}).json()["id"]
    csrf = web_client.csrf
    r = web_client.post(f"/logistics/shipments/{a}/tracking-number", data={"csrf_token": csrf, "tracking_number": "YT2412345678901"},
                        follow_redirects=True)
    assert r.status_code == 200 and "YT2412345678901" in r.text
    dup = web_client.post(f"/logistics/shipments/{b}/tracking-number", data={"csrf_token": csrf, "tracking_number": "YT2412345678901"})
    assert dup.status_code == 422 and 'id="tracking-number-error"' in dup.text
    assert api_client.patch(f"/api/v1/logistics/shipments/{b}", json={"tracking_number": "bad number!"}).status_code == 422
    assert api_client.patch(f"/api/v1/logistics/shipments/{b}", json={"status": "delivered"}).status_code == 422
    assert api_client.patch(f"/api/v1/logistics/shipments/{b}", json={"tracking_number": "4PX300001"}).json()["tracking_number"] == "4PX300001"
    bad = "shipment_id,tracking_number\n99999,X1234\n" f"{a},4PX300001\n"
    rej = web_client.post("/logistics/shipments/tracking-numbers", data={"csrf_token": csrf},
                          files={"file": ("t.csv", bad.encode())})
    assert rej.status_code == 422 and "no shipment 99999" in rej.text
    good = "order_ref,tracking_number\nA-1,YT2400000001\nB-1,4PX300001\n"
    res = api_client.post("/api/v1/logistics/shipments/tracking-numbers", files={"file": ("t.csv", good.encode())}).json()
    assert res == {"updated": 1, "unchanged": 1}
    events = "tracking_number,status,event_time\nYT2400000001,Delivered,2026-11-20 10:00\n"
    ok = web_client.post("/logistics/shipments/tracking", data={"csrf_token": csrf}, files={"file": ("e.csv", events.encode())})
    assert ok.status_code == 200 and api_client.get(f"/api/v1/logistics/shipments/{a}").json()["status"] == "delivered"
    assert re.search(r"\d", str(b))


def _ship_two_by_epacket(api_client, first, second, tracking):
    """Book both orders on the sample ePacket card; the first gets the carrier's ``tracking`` number,
    the second keeps our internal one. Returns the first booking's response."""
    assert api_client.post("/api/v1/logistics/ratecards/samples").status_code == 201
    parcel = {"parcel": {"weight_kg": "0.3", "length_cm": 20, "width_cm": 15, "height_cm": 3}}
    a = api_client.post("/api/v1/logistics/shipments", json={"order_ref": first, "card_code": "cn-post-epacket", **parcel})
    b = api_client.post("/api/v1/logistics/shipments", json={"order_ref": second, "card_code": "cn-post-epacket", **parcel})
    assert a.status_code == b.status_code == 201, a.text
    api_client.patch(f"/api/v1/logistics/shipments/{a.json()['id']}", json={"tracking_number": tracking})
    return a


def test_amazon_shipping_confirmation_file(web_client, api_client):
    """Shipments of Amazon merchant-fulfilled orders give Amazon's shipping confirmation flat file,
    with the carrier's own tracking number; one still on our internal number is left out and named."""
    orders = ("amazon-order-id\tpurchase-date\torder-status\tfulfillment-channel\tsku\tquantity\tcurrency\titem-price\tship-country\n"
              "111-0000001-0000001\t2026-11-20T10:00:00+00:00\tUnshipped\tMerchant\tMUG-1\t1\tUSD\t9.99\tUS\n"
              "111-0000002-0000002\t2026-11-21T10:00:00+00:00\tUnshipped\tMerchant\tMUG-1\t1\tUSD\t9.99\tUS\n")
    assert api_client.post("/api/v1/orders/import", data={"format": "amazon-all-orders"},
                           files={"file": ("a.txt", orders.encode())}).status_code == 200
    a = _ship_two_by_epacket(api_client, "111-0000001-0000001", "111-0000002-0000002", "LX123456789CN")
    got = api_client.get("/api/v1/logistics/shipments/amazon-confirmation?days=all").json()
    assert got["rows"] == [["111-0000001-0000001", "", "", a.json()["shipped_on"], "China Post", "", "LX123456789CN",
                            "ePacket (e邮宝) tracked small packet"]]
    assert len(got["left_out"]) == 1 and "111-0000002-0000002" in got["left_out"][0]
    txt = web_client.get("/logistics/shipments/amazon-confirmation.txt?days=all")
    assert txt.status_code == 200 and txt.text.splitlines()[0].split("\t")[:3] == ["order-id", "order-item-id", "quantity"]
    assert "LX123456789CN" in txt.text and 'id="amazon-confirmation"' in web_client.get("/logistics/shipments").text


def test_ebay_tracking_upload_and_the_marketplace_panel(web_client, api_client):
    """The shipments page says, per marketplace, how many orders are ready to mark shipped and which
    shipments still lack a carrier number; eBay's tracking upload comes from the API and the page."""
    fix = Path(__file__).resolve().parents[2] / "fixtures" / "sales" / "ebay_orders.csv"
    assert api_client.post("/api/v1/orders/import", data={"format": "ebay"},
                           files={"file": ("e.csv", fix.read_bytes())}).status_code == 200
    _ship_two_by_epacket(api_client, "12-11111-22222", "12-33333-44444", "LX123456785CN")
    got = api_client.get("/api/v1/logistics/shipments/ebay-confirmation?days=all").json()
    assert got["columns"][:3] == ["Shipping Status", "Order Number", "Item Number"]
    assert got["rows"] == [["Shipped", "12-11111-22222", "295512345678", "Ceramic Mug 350ml Blue", "MUG-BL-350", "2700011112222",
                            "China Post", "LX123456785CN"]]
    assert len(got["left_out"]) == 1 and "12-33333-44444" in got["left_out"][0]
    assert api_client.get("/api/v1/logistics/shipments/ebay-confirmation?days=soon").status_code == 422
    api_csv = api_client.get("/api/v1/logistics/shipments/ebay-confirmation?days=all&format=csv")
    web_csv = web_client.get("/logistics/shipments/ebay-confirmation.csv?days=all")
    assert api_csv.status_code == web_csv.status_code == 200 and api_csv.text == web_csv.text
    assert web_csv.text.splitlines()[0] == "#INFO" and "LX123456785CN" in web_csv.text
    assert web_csv.headers["x-xborder-left-out"] == "1"
    page = web_client.get("/logistics/shipments?confirm_days=all").text
    ebay_row = page[page.index('id="confirm-ebay"'):]
    ebay_row = ebay_row[:ebay_row.index("</tr>")]
    cells = [html.unescape(c) for c in __import__("re").findall(r'<td class="num">(?:<details><summary class="warn">)?(\d+)', ebay_row)]
    assert cells == ["1", "1", "1"]  # one order ready, one line, one shipment left out
    assert 'href="/logistics/shipments/ebay-confirmation.csv?days=all"' in ebay_row and "12-33333-44444" in ebay_row
    # the default period is 7 days; a bad period falls back to it rather than failing the page
    assert 'href="/logistics/shipments/ebay-confirmation.csv?days=7"' in web_client.get("/logistics/shipments?confirm_days=x").text
    recent = web_client.get("/logistics/shipments").text  # the fixture's orders shipped today: inside 7 days
    assert 'id="confirm-none"' not in recent


def test_rate_shop_from_a_catalog_sku(web_client, api_client, cli):
    """The rate shop fills the parcel from a catalog SKU (weight × units, the box, contents flags,
    HS code) and prices it at once, as the API's ``items`` do; an unknown SKU says so."""
    assert api_client.post("/api/v1/skus", json={"sku": "PB-1", "name_en": "Power bank", "weight_g": "210", "length_cm": "14",
                                                  "width_cm": "7", "height_cm": "2", "battery": True, "hs_code": "850760"}).status_code == 201
    web_client.post("/logistics/ratecards/samples", data={"csrf_token": web_client.csrf})
    page = web_client.get("/logistics", params={"sku": "PB-1", "units": "2", "destination": "DE"})
    assert page.status_code == 200 and 'id="shop-sku-note"' in page.text and 'id="options"' in page.text
    text = page.text
    assert 'name="weight_kg" value="0.42"' in text and 'name="height_cm" value="4"' in text and 'name="hs_code" value="850760"' in text
    assert 'name="c_battery" checked' in text and 'name="postcode" value=""' in text
    api = api_client.post("/api/v1/logistics/rates", json={"destination": "DE", "items": [{"sku": "PB-1", "quantity": 2}]}).json()
    options = text[text.index('id="options"'):]
    shown = set(re.findall(r'data-code="([^"]+)"', options[:options.index("</table>")]))
    assert shown == {o["code"] for o in api["options"]}  # the same options as the API's for the same SKU
    r = cli("rates", "--json-in", "-", input='{"destination": "DE", "items": [{"sku": "PB-1", "quantity": 2}]}', org="Acme Export")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert [o["code"] for o in r.json()["options"]] == [o["code"] for o in api["options"]]
    bad = web_client.get("/logistics", params={"sku": "NOPE"})
    assert bad.status_code == 422 and "NOPE" in bad.text and 'aria-invalid="true"' in bad.text
    assert '<datalist id="shop-skus"><option value="PB-1">' in web_client.get("/logistics").text
    sku_id = api_client.get("/api/v1/skus").json()
    sku_id = next(x["id"] for x in (sku_id["items"] if isinstance(sku_id, dict) else sku_id) if x["sku"] == "PB-1")
    assert 'href="/logistics?sku=PB-1&amp;units=1"' in web_client.get(f"/catalog/{sku_id}").text  # from the SKU's page

"""Dated price lists through the API, the web pages and the CLI."""

from __future__ import annotations

from datetime import date, timedelta

from xborder.catalog import service as catalog
from xborder.db import UnitOfWork


def _skus(container, principal, *codes):
    with UnitOfWork(container.sessions) as u:
        for c in codes:
            catalog.create_sku(u.session, principal, {"sku": c, "name_en": c, "weight_g": "500", "purchase_cost": "6.00",
                                                      "purchase_currency": "CNY"})
        u.commit()


def test_api_dated_prices(api_client, container, principal):
    _skus(container, principal, "85123A")
    sid = api_client.post("/api/v1/procurement/suppliers", json={"name": "Yiwu Crafts", "moq": "10"}).json()["id"]
    url = f"/api/v1/procurement/suppliers/{sid}/prices"
    r = api_client.put(url, json={"sku": "85123A", "valid_from": "2026-01-01",
                                  "breaks": [{"min_qty": 1, "unit_price": "6.50"}, {"min_qty": 200, "unit_price": "6.00"}]})
    assert r.status_code == 200, r.text
    assert r.json()["prices"][0]["valid_from"] == "2026-01-01" and r.json()["prices"][0]["valid_to"] is None
    clash = api_client.put(url, json={"sku": "85123A", "valid_from": "2026-07-01", "breaks": [{"min_qty": 1, "unit_price": "6.80"}]})
    assert clash.status_code == 422 and clash.json()["field"] == "valid_from" and "overlaps" in clash.json()["message"]
    bad = api_client.put(url, json={"sku": "85123A", "valid_from": "2026-13-01", "breaks": [{"min_qty": 1, "unit_price": "6.80"}]})
    assert bad.status_code == 422 and bad.json()["field"] == "valid_from"
    r = api_client.put(url, json={"sku": "85123A", "valid_from": "2026-07-01", "close_previous": True,
                                  "breaks": [{"min_qty": 1, "unit_price": "6.80"}, {"min_qty": 200, "unit_price": "6.30"}]})
    assert r.status_code == 200
    hist = api_client.get(url, params={"on": "2026-08-01"}).json()
    assert [(pl["valid_from"], pl["valid_to"], pl["status"]) for pl in hist["lists"]] == [
        ("2026-07-01", None, "current"), ("2026-01-01", "2026-06-30", "past")]
    assert {b["unit_price"] for b in hist["in_force"]} == {"6.8000", "6.3000"}
    assert api_client.get(url, params={"on": "2026-03-01"}).json()["in_force"][0]["unit_price"] == "6.5000"
    for day, price in (("2026-06-30", "6.0000"), ("2026-07-01", "6.3000")):
        r = api_client.post("/api/v1/procurement/orders", json={"supplier_id": sid, "order_date": day,
                                                                "lines": [{"sku": "85123A", "quantity": "300"}]})
        assert r.status_code == 201 and r.json()["lines"][0]["unit_price"] == price
    r = api_client.post("/api/v1/procurement/orders", json={"supplier_id": sid, "order_date": "2025-12-01",
                                                            "lines": [{"sku": "85123A", "quantity": "300"}]})
    assert r.status_code == 422 and r.json()["field"] == "unit_price" and "in force on 2025-12-01" in r.json()["message"]


def test_web_price_lists_history_and_edit(web_client, api_client, container, principal):
    _skus(container, principal, "85123A")
    csrf = web_client.csrf
    sid = api_client.post("/api/v1/procurement/suppliers", json={"name": "Ningbo Home"}).json()["id"]
    url = f"/procurement/suppliers/{sid}/prices"
    r = web_client.post(url, data={"csrf_token": csrf, "sku": "85123A", "breaks": "1:5.00, 100:4.50", "valid_from": "2026-01-01"})
    assert r.status_code == 200 and 'id="price-history"' in r.text and "2026-01-01" in r.text
    # overlapping without "end the previous list": refused, the form keeps the input
    r = web_client.post(url, data={"csrf_token": csrf, "sku": "85123A", "breaks": "1:5.20", "valid_from": "2026-09-01"})
    assert r.status_code == 422 and "overlaps" in r.text and 'value="1:5.20"' in r.text
    r = web_client.post(url, data={"csrf_token": csrf, "sku": "85123A", "breaks": "1:5.20", "valid_from": "2026-09-01",
                                   "close_previous": "1"})
    assert r.status_code == 200 and "2026-08-31" in r.text
    # edit the September list: end it on 2026-12-31
    r = web_client.post(url, data={"csrf_token": csrf, "sku": "85123A", "breaks": "1:5.25", "valid_from": "2026-09-01",
                                   "valid_to": "2026-12-31", "replace_from": "2026-09-01"})
    assert r.status_code == 200 and "2026-12-31" in r.text and "5.25" in r.text
    page = web_client.get(f"/procurement/suppliers/{sid}")
    assert page.text.count("price-past") + page.text.count("price-current") + page.text.count("price-future") == 2
    assert web_client.get("/procurement").status_code == 200
    bad = web_client.post(url, data={"csrf_token": csrf, "sku": "85123A", "breaks": "1:5.25", "valid_from": "01/09/2026"})
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.text
    web_client.post("/lang", data={"lang": "zh_CN", "next": "/", "csrf_token": csrf})
    zh = web_client.get(f"/procurement/suppliers/{sid}")
    assert zh.status_code == 200 and "价目表" in zh.text and "已失效" in zh.text and "生效日期" in zh.text


def test_cli_dated_prices(cli, tmp_path):
    cat = tmp_path / "c.csv"
    cat.write_text("sku,name_en,weight_g\n85123A,Holder,300\n", "utf-8")
    assert cli("catalog", "import", str(cat), "--json").exit_code == 0
    assert cli("procurement", "supplier", "add", "--name", "Yiwu Crafts", "--moq", "10").exit_code == 0
    r = cli("procurement", "supplier", "prices", "--supplier", "Yiwu Crafts", "--sku", "85123A", "--breaks", "1:6.50,200:6.00",
            "--valid-from", "2026-01-01", "--json")
    assert r.exit_code == 0 and r.json()["valid_from"] == "2026-01-01" and r.json()["valid_to"] is None
    r = cli("procurement", "supplier", "prices", "--supplier", "Yiwu Crafts", "--sku", "85123A", "--breaks", "1:6.80",
            "--valid-from", "2026-07-01", "--json")
    assert r.exit_code == 2 and "overlaps" in r.stdout
    r = cli("procurement", "supplier", "prices", "--supplier", "Yiwu Crafts", "--sku", "85123A", "--breaks", "1:6.80,200:6.30",
            "--valid-from", "2026-07-01", "--close-previous", "--json")
    assert r.exit_code == 0
    r = cli("procurement", "supplier", "price-history", "--supplier", "Yiwu Crafts", "--on", "2026-08-01", "--json")
    assert r.exit_code == 0
    assert [(pl["valid_from"], pl["valid_to"], pl["status"]) for pl in r.json()["lists"]] == [
        ("2026-07-01", None, "current"), ("2026-01-01", "2026-06-30", "past")]
    r = cli("procurement", "po", "create", "--supplier", "Yiwu Crafts", "--line", "85123A:300", "--date", "2026-06-30", "--json")
    assert r.exit_code == 0 and r.json()["lines"][0]["unit_price"] == "6.0000"
    r = cli("procurement", "po", "create", "--supplier", "Yiwu Crafts", "--line", "85123A:300", "--date", "2026-07-01", "--json")
    assert r.exit_code == 0 and r.json()["lines"][0]["unit_price"] == "6.3000"
    r = cli("procurement", "po", "create", "--supplier", "Yiwu Crafts", "--line", "85123A:300", "--date", "2025-12-01", "--json")
    assert r.exit_code == 2 and "in force on 2025-12-01" in r.stdout
    r = cli("procurement", "supplier", "prices", "--supplier", "Yiwu Crafts", "--sku", "85123A", "--breaks", "1:6.80",
            "--valid-from", "2027-01-01", "--valid-to", "2026-01-01")
    assert r.exit_code == 2
    r = cli("procurement", "supplier", "price-history", "--supplier", "Yiwu Crafts")
    assert r.exit_code == 0 and "2026-07-01" in r.stdout
    cat.write_text("sku,name_en,weight_g\n85123A,Holder,300\n71053,Lantern,500\n", "utf-8")
    assert cli("catalog", "import", str(cat), "--json").exit_code == 0
    r = cli("procurement", "supplier", "prices", "--supplier", "Yiwu Crafts", "--sku", "71053", "--breaks", "1:9.00", "--json")
    assert r.exit_code == 0 and r.json()["valid_from"] == date.today().isoformat()  # default: from today
    r = cli("procurement", "po", "create", "--supplier", "Yiwu Crafts", "--line", "71053:20",
            "--date", (date.today() - timedelta(days=1)).isoformat(), "--json")
    assert r.exit_code == 2 and "71053" in r.stdout

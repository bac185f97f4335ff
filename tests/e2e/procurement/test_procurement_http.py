"""Procurement over HTTP: API (suppliers, orders, receipts, charges, invoices, reorder) and pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xborder.catalog import service as catalog
from xborder.db import UnitOfWork


def _skus(container, principal, *codes):
    with UnitOfWork(container.sessions) as u:
        for c in codes:
            catalog.create_sku(u.session, principal, {"sku": c, "name_en": c, "weight_g": "500", "purchase_cost": "6.00",
                                                      "purchase_currency": "CNY"})
        u.commit()


def test_api_procurement_flow(api_client, container, principal):
    _skus(container, principal, "85123A", "71053")
    r = api_client.post("/api/v1/procurement/suppliers", json={"name": "Yiwu Crafts", "moq": "50", "lead_time_days": "21"})
    assert r.status_code == 201, r.text
    sid = r.json()["id"]
    bad = api_client.put(f"/api/v1/procurement/suppliers/{sid}/prices", json={"sku": "85123A", "breaks": [{"min_qty": 1, "unit_price": 6.5}]})
    assert bad.status_code == 422 and "string" in bad.json()["message"]
    r = api_client.put(f"/api/v1/procurement/suppliers/{sid}/prices",
                       json={"sku": "85123A", "valid_from": "2026-10-01",
                             "breaks": [{"min_qty": 1, "unit_price": "6.50"}, {"min_qty": 200, "unit_price": "6.00"}]})
    assert r.status_code == 200 and len(r.json()["prices"]) == 2
    low = api_client.post("/api/v1/procurement/orders", json={"supplier_id": sid, "lines": [{"sku": "85123A", "quantity": "10"}]})
    assert low.status_code == 422 and low.json()["field"] == "quantity"
    r = api_client.post("/api/v1/procurement/orders", json={"supplier_id": sid, "order_date": "2026-11-01", "lines": [
        {"sku": "85123A", "quantity": "300"}, {"sku": "71053", "quantity": "100", "unit_price": "9.00"}]})
    assert r.status_code == 201, r.text
    po = r.json()
    assert po["lines"][0]["unit_price"] == "6.0000" and po["total"] == "2700.00"
    r = api_client.post(f"/api/v1/procurement/orders/{po['id']}/charges", json={"label": "freight", "amount": "200.00", "method": "weight"})
    landed = {x["sku"]: x for x in r.json()["landed"]}
    assert Decimal(landed["85123A"]["allocated"]) + Decimal(landed["71053"]["allocated"]) == Decimal("200.00")
    r = api_client.post(f"/api/v1/procurement/orders/{po['id']}/receipts", json={"quantities": {"85123A": "100"}})
    assert r.json()["status"] == "partially_received"
    over = api_client.post(f"/api/v1/procurement/orders/{po['id']}/receipts", json={"quantities": {"85123A": "250"}})
    assert over.status_code == 422
    exp = api_client.get("/api/v1/procurement/orders/export")  # ordered, received, outstanding per line
    assert exp.status_code == 200 and 'filename="purchase-orders.csv"' in exp.headers["content-disposition"]
    rows = exp.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("number,supplier,status,order_date,expected_date,sku,quantity,received,outstanding")
    assert any(",85123A,300,100,200,6,CNY,1800" in r for r in rows[1:]), rows
    r = api_client.post(f"/api/v1/procurement/orders/{po['id']}/receipts", json={"quantities": {"85123A": "200", "71053": "100"}})
    assert r.json()["status"] == "received"
    inv = {"supplier": "Yiwu Crafts", "number": "26440000000000000001", "invoice_date": "2026-11-03",
           "invoice_type": "vat_special", "lines": [{"sku": "85123A", "description": "*工艺品*烛台", "unit": "个",
                                                     "quantity": "300", "net_amount": "1592.92"}]}
    r = api_client.post("/api/v1/procurement/invoices", json=inv)
    assert r.status_code == 201 and r.json()["vat_amount"] == "207.08" and r.json()["status"] == "created"
    assert api_client.post("/api/v1/procurement/invoices", json=inv).json()["status"] == "unchanged"
    items = api_client.get("/api/v1/procurement/invoices", params={"period": "2026-11"}).json()["items"]
    assert len(items) == 1 and items[0]["net"] == "1592.92" and items[0]["unit"] == "个"
    assert api_client.get("/api/v1/procurement/invoices", params={"period": "2026-10"}).json()["items"] == []


def test_api_reorder_needs_a_forecast(api_client):
    r = api_client.get("/api/v1/procurement/reorder")
    assert r.status_code == 422 and r.json()["field"] == "forecast"


def test_procurement_pages_and_one_click_po(web_client, api_client, container, principal, uci_sample):
    _skus(container, principal, "85123A", "22423")
    csrf = web_client.csrf
    assert web_client.get("/procurement").status_code == 200
    bad = web_client.post("/procurement/suppliers", data={"csrf_token": csrf, "name": "", "moq": "x"})
    assert bad.status_code == 422 and "field-error" in bad.text
    r = web_client.post("/procurement/suppliers", data={"csrf_token": csrf, "name": "Ningbo Home", "moq": "20",
                                                        "lead_time_days": "14", "invoice_type": "vat_special",
                                                        "vat_rate": "0.13", "currency": "CNY"})
    assert r.status_code == 200 and "Ningbo Home" in r.text
    sid = api_client.get("/api/v1/procurement/suppliers").json()["items"][0]["id"]
    for sku in ("85123A", "22423"):
        r = web_client.post(f"/procurement/suppliers/{sid}/prices", data={"csrf_token": csrf, "sku": sku, "breaks": "1:5.00, 100:4.50"})
        assert r.status_code == 200
    # forecast from the sample, saved, then the reorder plan and one-click purchase orders
    r = web_client.post("/selection/forecast", data={"csrf_token": csrf, "top": "4", "horizon": "8"},
                        files={"file": (uci_sample.name, uci_sample.read_bytes(), "text/csv")}, follow_redirects=False)
    assert r.status_code == 303
    plan = web_client.get("/procurement/reorder")
    assert plan.status_code == 200 and 'id="plan-table"' in plan.text and 'name="sku"' in plan.text
    assert 'id="prices-on"' in plan.text and date.today().isoformat() in plan.text
    assert 'id="plan-export-xlsx"' in plan.text
    exp = web_client.get("/procurement/reorder/export", params={"format": "csv", "service_level": "0.95"})
    lines = exp.content.decode("utf-8-sig").splitlines()
    assert exp.status_code == 200 and lines[0].startswith("sku,supplier,quantity,unit_cost,currency,cost")
    assert len(lines) - 1 == plan.text.split('id="plan-table"')[1].split("</table>")[0].count("<tr") - 1 + \
        len(api_client.get("/api/v1/procurement/reorder").json()["skipped"])  # the plan's lines, then the skipped SKUs
    api_csv = api_client.get("/api/v1/procurement/reorder/export").content.decode("utf-8-sig").splitlines()
    assert api_csv == lines
    assert web_client.get("/procurement/reorder/export", params={"service_level": "2"}).status_code == 422
    r = web_client.post("/procurement/reorder", data={"csrf_token": csrf, "service_level": "0.95", "cash_limit": ""},
                        follow_redirects=False)
    assert r.status_code == 303 and "PO-" in r.headers["location"]
    orders = api_client.get("/api/v1/procurement/orders").json()["items"]
    assert len(orders) == 1 and orders[0]["supplier"] == "Ningbo Home"
    assert 'id="po-export-csv"' in web_client.get("/procurement").text
    x = web_client.get("/procurement/orders/export", params={"format": "xlsx"})
    assert x.status_code == 200 and x.content[:2] == b"PK"
    oid = orders[0]["id"]
    page = web_client.get(f"/procurement/orders/{oid}")
    assert page.status_code == 200 and 'id="receive-form"' in page.text
    r = web_client.post(f"/procurement/orders/{oid}/charges", data={"csrf_token": csrf, "label": "freight", "amount": "120", "method": "quantity"})
    assert r.status_code == 200 and 'id="landed-table"' in r.text
    first_sku = orders[0]["lines"][0]["sku"]
    r = web_client.post(f"/procurement/orders/{oid}/receive", data={"csrf_token": csrf, f"qty:{first_sku}": "1"})
    assert r.status_code == 200 and "partially_received" in r.text or "received" in r.text
    r = web_client.post("/procurement/invoices", data={"csrf_token": csrf, "supplier": "Ningbo Home", "number": "12345678",
                                                       "invoice_date": "2026-11-02", "invoice_type": "vat_ordinary",
                                                       "description": "烛台", "quantity": "10", "net_amount": "100"})
    assert r.status_code == 200 and "12345678" in r.text
    r = web_client.post("/procurement/invoices", data={"csrf_token": csrf, "supplier": "Ningbo Home", "number": "12",
                                                       "invoice_date": "2026-11-02", "description": "x", "quantity": "1",
                                                       "net_amount": "1"})
    assert r.status_code == 422 and "8 to 20 digits" in r.text

"""Pages render and forms work: /orders (import, detail, unpaired + pairing), /payments (import,
reconciliation, FX settlement form), /reports (charts, drill-down, CSV/XLSX export)."""

import re
from pathlib import Path

FIX = Path(__file__).resolve().parents[2] / "fixtures"


def post_file(c, url, fmt, path, **form):
    return c.post(url, data={"csrf_token": c.csrf, "format": fmt, **form},
                  files={"file": (path.name, path.read_bytes())})


def test_orders_payments_reports_pages(web_client, other_web_client):
    c = web_client
    assert c.get("/orders").status_code == 200
    r = post_file(c, "/orders/import", "amazon-all-orders", FIX / "sales" / "amazon_all_orders_29col_us.txt")
    assert r.status_code == 200 and 'id="import-result"' in r.text
    bad = post_file(c, "/orders/import", "amazon-all-orders", FIX / "sales" / "amazon_all_orders_bad.txt")
    assert bad.status_code == 422 and 'id="import-errors"' in bad.text and "purchase-date" in bad.text
    r = post_file(c, "/payments/import", "amazon-settlement-v2", FIX / "payments" / "amazon_settlement_v2_us.txt")
    assert r.status_code == 200 and 'id="recon-matched">15<' in r.text
    r = post_file(c, "/payments/import", "mapped", FIX / "payments" / "payoneer_statement.csv", mapping="payoneer")
    assert r.status_code == 200 and "PYN-20260320-0002" in r.text
    # the figures that need attention first, above the payouts list, each a link to its section
    top = r.text[r.text.index('id="payments-summary"'):r.text.index('id="payouts"')]
    assert 'href="#discrepancies"' in top and 'href="#exposure"' in top and 'href="#recon"' in top
    assert re.search(r'href="#payouts"><div class="value">1<', top), top  # the settlement (the statement holds receipts)
    assert 'id="discrepancies"' in r.text and 'id="payouts"' in r.text
    page = c.get("/orders").text
    oid = re.search(r'href="/orders/(\d+)"', page).group(1)
    detail = c.get(f"/orders/{oid}")
    assert detail.status_code == 200 and "explain-1" in detail.text or "No profit figures" in detail.text
    assert other_web_client.get(f"/orders/{oid}").status_code == 404
    payout = re.search(r'href="/payments/(\d+)"', c.get("/payments").text).group(1)
    assert c.get(f"/payments/{payout}").status_code == 200
    assert other_web_client.get(f"/payments/{payout}").status_code == 404
    rep = c.get("/reports")
    assert rep.status_code == 200 and "<svg" in rep.text and 'id="profit-table"' in rep.text
    for by in ("order", "market", "channel", "month"):
        assert c.get(f"/reports?by={by}").status_code == 200
    drill = c.get("/reports/lines", params={"by": "sku", "key": "MUG-BL-350"})
    assert drill.status_code == 200 and "记账汇率" in drill.text  # the rule behind each figure, in the page language
    c.cookies.set("lang", "en")
    assert "booking rate" in c.get("/reports/lines", params={"by": "sku", "key": "MUG-BL-350"}).text
    c.cookies.delete("lang")
    csv = c.get("/reports/export?by=sku&format=csv")
    assert csv.status_code == 200 and "margin" in csv.text.splitlines()[0]
    xlsx = c.get("/reports/export?by=month&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert 'href="/reports/lines/export?by=sku&key=MUG-BL-350&format=csv"' in drill.text
    lines_csv = c.get("/reports/lines/export", params={"by": "sku", "key": "MUG-BL-350", "format": "csv"})
    head, *body = lines_csv.content.decode("utf-8-sig").splitlines()
    assert lines_csv.status_code == 200 and head.startswith("order_id,line_id,") and head.endswith(",currency,explanation")
    assert body and all(",MUG-BL-350," in row for row in body)
    assert 'id="lines-csv"' in rep.text and c.get("/reports/lines/export?format=xlsx").content[:2] == b"PK"
    assert other_web_client.get("/reports/lines/export?format=csv").content.decode("utf-8-sig").splitlines()[1:] == []


def test_order_recipient_and_ship_this_order(web_client):
    """The export's recipient is kept on the order, shown on its page, and fills the booking form."""
    import re

    c = web_client
    post_file(c, "/orders/import", "shopify", FIX / "sales" / "shopify_orders.csv")
    oid = re.search(r'href="/orders/(\d+)">#1001<', c.get("/orders?q=1001").text).group(1)
    page = c.get(f"/orders/{oid}").text
    assert "Anna Weber<br>Köln<br>50667 DE" in page and 'href="/logistics/shipments?order_ref=%231001#book"' in page
    form = c.get("/logistics/shipments?order_ref=%231001").text
    assert 'value="Anna Weber"' in form and 'value="50667"' in form and 'value="#1001"' in form
    assert 'id="ship-suggestion"' in form  # no catalog sizes for the SKUs: says why the parcel is not filled


def test_unpaired_and_fx_form(web_client):
    c = web_client
    c.post("/catalog/new", data={"csrf_token": c.csrf, "sku": "MUG-1", "name_en": "Mug", "category": "other",
                                 "origin": "CN", "hs_version": "2022", "purchase_currency": "CNY"})
    post_file(c, "/orders/import", "shopify", FIX / "sales" / "shopify_orders.csv")
    q = c.get("/orders/unpaired")
    assert q.status_code == 200 and "MUG-BL-350" in q.text
    r = c.post("/orders/unpaired/pair", data={"csrf_token": c.csrf, "channel": "shopify", "seller_sku": "MUG-BL-350",
                                              "listing_id": "", "sku": "MUG-1"}, follow_redirects=True)
    assert r.status_code == 200 and "MUG-BL-350" not in r.text.split('id="unpaired-table"')[1]
    bad = c.post("/payments/fx-settlements", data={"csrf_token": c.csrf, "on": "2026-03-20", "platform": "bank", "ref": "X1",
                                                   "currency": "USD", "foreign_amount": "-5", "cny_received": "10"})
    assert bad.status_code == 422 and "foreign_amount" in bad.text
    ok = c.post("/payments/fx-settlements", data={"csrf_token": c.csrf, "on": "2026-03-20", "platform": "bank", "ref": "X1",
                                                  "currency": "USD", "foreign_amount": "100", "cny_received": "710.00"},
                follow_redirects=True)
    assert ok.status_code == 200 and "X1" in ok.text and "7.100000" in ok.text


def test_pages_in_chinese(web_client):
    c = web_client
    c.cookies.set("lang", "zh_CN")
    assert "导入订单报表" in c.get("/orders").text
    assert "回款、对账与外汇" in c.get("/payments").text
    assert "真实利润" in c.get("/reports").text
    c.cookies.set("lang", "en")
    assert "True profit" in c.get("/reports").text

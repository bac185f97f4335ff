"""API and pages of the listings package."""

import re

from tests.conftest import CSRF_INPUT  # noqa: F401

LISTING = {"title": "Acme Phone Case Best Seller!", "bullets": ["a", "b", "c"], "description": "d", "brand": "Acme", "search_terms": "x"}


def test_api_check_and_marketplaces(api_client):
    r = api_client.post("/api/v1/listings/check?marketplace=amazon-us", json=LISTING)
    assert r.status_code == 200
    body = r.json()
    assert body["score"] < 100 and {f["field"] for f in body["findings"] if f["severity"] == "error"} == {"title"}
    r = api_client.post("/api/v1/listings/check?marketplace=nowhere", json=LISTING)
    assert r.status_code == 422 and r.json()["field"] == "marketplace"
    assert any(m["id"] == "walmart" for m in api_client.get("/api/v1/listings/marketplaces").json())
    rules = api_client.get("/api/v1/listings/rules/amazon-us?on=2025-01-01").json()
    assert "title.word_repeat" not in {x["id"] for x in rules}  # in force from 2025-01-21


def test_api_needs_token(client):
    assert client.post("/api/v1/listings/check?marketplace=amazon-us", json=LISTING).status_code == 401


def test_api_drafts_messages_compliance(api_client):
    r = api_client.post("/api/v1/listings/drafts?marketplace=ebay&sku=K-1",
                        json={"brand": "Acme", "category": "kitchen", "product_type_zh": "砧板", "material_zh": "竹子"})
    assert r.status_code == 200 and r.json()["draft_id"] and len(r.json()["draft"]["title"]) <= 80
    d = api_client.get(f"/api/v1/listings/drafts/{r.json()['draft_id']}").json()
    assert d["sku"] == "K-1"
    m = api_client.post("/api/v1/listings/messages/render?template=review_request&lang=it",
                        json={"buyer_name": "Luca", "order_id": "9", "seller_name": "Acme", "marketplace": "amazon-it"})
    assert m.status_code == 200 and "Amazon.it" in m.json()["body"] and m.json()["policy_problems"] == []
    c = api_client.get("/api/v1/listings/compliance/K-1/FR")
    assert c.status_code == 200 and "fr.epr.packaging" in {i["id"] for i in c.json()["items"]}
    s = api_client.put("/api/v1/listings/compliance/K-1/status/fr.epr.packaging", json={"status": "done", "reference": "FR123"})
    assert s.status_code == 200
    up = api_client.post("/api/v1/listings/messages/import", data={"seller_name": "Acme"},
                         files={"file": ("m.csv", b"message_id,buyer_name,body\nA1,Bo,Where is my order?\n", "text/csv")})
    assert up.status_code == 200 and up.json()["imported"] == 1
    assert api_client.get("/api/v1/listings/messages").json()[0]["intent"] == "shipping_delay"


def test_other_org_cannot_read_draft(api_client, other_api_client):
    r = api_client.post("/api/v1/listings/drafts?marketplace=amazon-us&sku=K-2", json={"brand": "Acme", "product_type": "mug"})
    did = r.json()["draft_id"]
    assert other_api_client.get(f"/api/v1/listings/drafts/{did}").status_code == 404


def test_pages_render(web_client):
    for url in ("/listings", "/listings/editor", "/listings/report", "/listings/messages", "/listings/compliance",
                "/listings/compliance/ANY-1?market=GB", "/listings/compliance/ANY-1/panel",
                "/listings/messages?template=customs&lang=ja&preview=1&buyer_name=X&order_id=1&incoterm=DDP"):
        r = web_client.get(url)
        assert r.status_code == 200, (url, r.text[:500])
    js = web_client.get("/listings/static/editor.js")
    assert js.status_code == 200 and "fetch(" in js.text and js.headers["content-type"].startswith("application/javascript")
    assert web_client.get("/listings/static/evil.js").status_code == 404


def test_editor_live_check_endpoint(web_client):
    r = web_client.post("/listings/editor/check", json={"marketplace": "amazon-us", "listing": LISTING},
                        headers={"X-CSRF-Token": web_client.csrf})
    assert r.status_code == 200 and r.json()["check"]["errors"] >= 2
    no_csrf = web_client.post("/listings/editor/check", json={"marketplace": "amazon-us", "listing": LISTING})
    assert no_csrf.status_code == 403


def test_editor_form_post_and_draft(web_client):
    r = web_client.post("/listings/editor", data={"csrf_token": web_client.csrf, "marketplace": "amazon-us", "title": LISTING["title"],
                                                  "bullets": "a\nb\nc", "brand": "Acme", "sku": "W-1", "record": "1"})
    assert r.status_code == 200 and 'data-rule="promo.banned"' in r.text
    assert "W-1" in web_client.get("/listings/report").text
    r = web_client.post("/listings/draft", data={"csrf_token": web_client.csrf, "sku": "W-2", "marketplace": "amazon-us",
                                                 "brand": "Acme", "product_type_zh": "手机壳", "material_zh": "硅胶", "features": "防摔, 磁吸"})
    assert r.status_code == 200 and "Phone Case" in r.text
    csv = web_client.get("/listings/report.csv")
    assert csv.status_code == 200 and b"W-1" in csv.content


def test_compliance_page_forms(web_client):
    r = web_client.post("/listings/compliance/Z-1", data={"csrf_token": web_client.csrf, "action": "profile", "category": "earbuds",
                                                          "market": "US"})
    assert r.status_code == 200 and "us.fcc.certification" in r.text
    r = web_client.post("/listings/compliance/Z-1", data={"csrf_token": web_client.csrf, "requirement": "us.fcc.certification",
                                                          "status": "done", "reference": "FCC ID 2ABCD-1", "market": "US"})
    assert r.status_code == 200 and "2ABCD-1" in r.text
    r = web_client.post("/listings/compliance/Z-1", data={"csrf_token": web_client.csrf, "requirement": "us.fcc.sdoc",
                                                          "status": "not_applicable", "market": "US"})
    assert r.status_code == 422 and "note" in r.text


def test_import_errors_page(web_client):
    r = web_client.post("/listings/keywords/import", data={"csrf_token": web_client.csrf, "set": "s"},
                        files={"file": ("k.csv", b"text,demand\n,5\nok,-1\n", "text/csv")})
    assert r.status_code == 422 and re.search(r"<td class=\"num\">2</td>", r.text) and "demand" in r.text


def test_sku_page_links_compliance(web_client):
    web_client.post("/catalog/new", data={"sku": "HOOK-1", "name_en": "Power bank", "category": "electronics", "battery": "on",
                                          "origin": "CN", "hs_version": "2022", "purchase_currency": "CNY", "csrf_token": web_client.csrf})
    from xborder.catalog import service  # noqa: F401

    page = web_client.get("/catalog?q=HOOK-1")
    sku_url = re.search(r'href="(/catalog/\d+)"', page.text).group(1)
    r = web_client.get(sku_url)
    assert 'data-listings-panel="/listings/compliance/HOOK-1/panel"' in r.text and "/listings/static/sku-panel.js" in r.text
    panel = web_client.get("/listings/compliance/HOOK-1/panel")
    assert "transport.un38_3" not in panel.text  # names, not ids, are shown
    assert "UN 38.3" in panel.text


def test_pages_in_chinese(web_client):
    r = web_client.get("/listings/editor", headers={"Accept-Language": "zh-CN"})
    assert "刊登编辑器" in r.text


def test_provider_settings_and_rewrite_from_the_web(web_client):
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Fake(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            content = json.dumps({"title": "Acme Bamboo Cutting Board Bestseller", "bullets": ["Bamboo."], "description": "Board."})
            out = json.dumps({"choices": [{"message": {"content": content}}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *a):
            pass

    srv = HTTPServer(("127.0.0.1", 0), Fake)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        bad = web_client.post("/listings/provider", data={"csrf_token": web_client.csrf, "base_url": "nope", "model": "m", "enabled": "on"})
        assert bad.status_code == 422
        r = web_client.post("/listings/provider", data={"csrf_token": web_client.csrf, "base_url": f"http://127.0.0.1:{srv.server_port}/v1",
                                                         "model": "fake", "api_key": "sk-secret-123", "enabled": "on"})
        assert r.status_code == 200 and "sk-secret-123" not in r.text
        r = web_client.post("/listings/draft", data={"csrf_token": web_client.csrf, "sku": "RW-1", "marketplace": "amazon-de",
                                                     "brand": "Acme", "product_type_zh": "砧板", "material_zh": "竹子"})
        assert r.status_code == 200 and 'id="rewrite-form"' in r.text
        draft_id = re.search(r'/listings/drafts/(\d+)/rewrite', r.text).group(1)
        r = web_client.post(f"/listings/drafts/{draft_id}/rewrite", data={"csrf_token": web_client.csrf, "instruction": "translate",
                                                                          "language": "de"})
        assert r.status_code == 200 and "Bestseller" in r.text and 'data-rule="promo.banned"' in r.text
    finally:
        srv.shutdown()
        srv.server_close()

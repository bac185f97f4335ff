"""HTTP API: the same contract as the CLI, plus drill-down, FX and tenancy."""

from pathlib import Path

FIX = Path(__file__).resolve().parents[2] / "fixtures"


def upload(api_client, url, fmt, path, **form):
    with open(path, "rb") as f:
        return api_client.post(url, data={"format": fmt, **form}, files={"file": (path.name, f.read())})


def test_api_import_reconcile_profit(api_client, other_api_client):
    r = upload(api_client, "/api/v1/orders/import", "amazon-all-orders", FIX / "sales" / "amazon_all_orders_29col_us.txt")
    assert r.status_code == 200 and r.json() == {"imported": 4, "skipped_duplicates": 0, "errors": []}
    bad = upload(api_client, "/api/v1/orders/import", "amazon-all-orders", FIX / "sales" / "amazon_all_orders_bad.txt")
    assert bad.status_code == 422 and len(bad.json()["errors"]) == 3
    r = upload(api_client, "/api/v1/payouts/import", "amazon-settlement-v2", FIX / "payments" / "amazon_settlement_v2_us.txt")
    assert r.json()["imported"] == 20
    r = upload(api_client, "/api/v1/payouts/import", "mapped", FIX / "payments" / "payoneer_statement.csv", mapping="payoneer")
    assert r.json()["imported"] == 2
    rec = api_client.get("/api/v1/reconcile").json()
    assert (rec["matched"], rec["unmatched_payout_lines"]) == (15, 2) and rec["fees_by_type"]["referral"] == "-10.50"
    prof = api_client.get("/api/v1/profit", params={"by": "order"}).json()
    assert prof["currency"] == "CNY" and len(prof["rows"]) == 2
    drill = api_client.get("/api/v1/profit/lines", params={"by": "order", "key": "111-4012345-1234567"}).json()
    assert len(drill["lines"]) == 2 and {e["figure"] for e in drill["lines"][0]["explanations"]} >= {"revenue", "fx", "margin"}
    exported = api_client.get("/api/v1/profit/lines/export", params={"by": "order", "key": "111-4012345-1234567"})
    rows = exported.content.decode("utf-8-sig").splitlines()
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv") and len(rows) == 3
    assert [r.split(",")[0] for r in rows[1:]] == ["111-4012345-1234567"] * 2
    assert api_client.get("/api/v1/profit/export", params={"by": "order", "format": "xlsx"}).content[:2] == b"PK"
    assert len(other_api_client.get("/api/v1/profit/lines/export").content.decode("utf-8-sig").splitlines()) == 1  # header only
    assert api_client.get("/api/v1/profit/lines/export", params={"format": "pdf"}).status_code == 422
    orders = api_client.get("/api/v1/orders").json()
    assert orders["total"] == 3
    oid = orders["items"][0]["id"]
    assert api_client.get(f"/api/v1/orders/{oid}").status_code == 200
    assert other_api_client.get(f"/api/v1/orders/{oid}").status_code == 404
    payouts = api_client.get("/api/v1/payouts").json()
    assert payouts[0]["payout_id"] == "24680135791" and payouts[0]["lines"] == 20
    assert other_api_client.get(f"/api/v1/payouts/{payouts[0]['id']}").status_code == 404
    assert other_api_client.get("/api/v1/reconcile").json()["matched"] == 0


def test_api_fx(api_client):
    q = api_client.get("/api/v1/fx/quote", params={"currency": "USD", "on": "2026-03-07"}).json()
    assert q["source"] == "ECB" and q["date"] == "2026-03-06" and q["fallback_days"] == 1
    r = api_client.post("/api/v1/fx/settlements", json={"on": "2026-03-20", "platform": "bank", "ref": "BOC-9",
                                                        "currency": "USD", "foreign_amount": "100", "cny_received": "710.50"})
    assert r.status_code == 201 and r.json()["actual_rate"] == "7.105000"
    bad = api_client.post("/api/v1/fx/settlements", json={"on": "2026-03-20", "ref": "X", "currency": "CNY",
                                                          "foreign_amount": "1", "cny_received": "1"})
    assert bad.status_code == 422
    assert api_client.get("/api/v1/fx/exposure").json()[0]["currency"] == "USD"


def test_api_order_has_its_recipient(api_client):
    upload(api_client, "/api/v1/orders/import", "shopify", FIX / "sales" / "shopify_orders.csv")
    first = next(o for o in api_client.get("/api/v1/orders").json()["items"] if o["order_id"] == "#1001")
    assert first["ship_to"] == {"name": "Anna Weber", "address": "Köln", "postcode": "50667", "country": "DE"}
    assert api_client.get(f"/api/v1/orders/{first['id']}").json()["ship_to"]["name"] == "Anna Weber"

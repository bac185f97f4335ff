def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_token_contract(client, org_ids):
    r = client.post("/api/v1/auth/token", json={"email": "owner@acme.test", "password": "correct-horse-9"})
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["access_token"]
    bad = client.post("/api/v1/auth/token", json={"email": "owner@acme.test", "password": "nope"})
    assert bad.status_code == 401
    assert bad.json()["code"] == "UNAUTHENTICATED" and bad.json()["message"]


def test_token_throttling(client, org_ids):
    for _ in range(5):
        assert client.post("/api/v1/auth/token", json={"email": "owner@acme.test", "password": "x"}).status_code == 401
    r = client.post("/api/v1/auth/token", json={"email": "owner@acme.test", "password": "correct-horse-9"})
    assert r.status_code == 429 and r.json()["code"] == "TOO_MANY_ATTEMPTS"


def test_skus_need_a_token(client, api_client):
    r = client.get("/api/v1/skus")
    assert r.status_code == 401 and r.json()["code"] == "UNAUTHENTICATED"
    assert client.get("/api/v1/skus", headers={"Authorization": "Bearer xb_wrong"}).status_code == 401


def test_sku_crud_and_contract_keys(api_client):
    r = api_client.post("/api/v1/skus", json={"sku": "API-1", "name_en": "Cable", "name_zh": "数据线", "weight_g": "35",
                                              "hs_code": "854442", "purchase_cost": "6.80"})
    assert r.status_code == 201, r.text
    sku_id = r.json()["id"]
    listing = api_client.get("/api/v1/skus").json()
    items = listing["items"] if isinstance(listing, dict) else listing
    assert {"sku", "name_en", "name_zh", "weight_g", "hs_code"} <= set(items[0])
    assert items[0]["weight_g"] == "35" and items[0]["purchase_cost"] == "6.8"
    bad = api_client.post("/api/v1/skus", json={"sku": "API-2", "name_en": "x", "weight_g": "-5"})
    assert bad.status_code == 422 and bad.json()["field"] == "weight_g"
    dup = api_client.post("/api/v1/skus", json={"sku": "API-1", "name_en": "x"})
    assert dup.status_code == 409 and dup.json()["code"] == "CONFLICT"
    assert api_client.put(f"/api/v1/skus/{sku_id}", json={"sku": "API-1", "name_en": "Cable 2"}).json()["name_en"] == "Cable 2"
    assert api_client.delete(f"/api/v1/skus/{sku_id}").status_code == 204
    assert api_client.get(f"/api/v1/skus/{sku_id}").status_code == 404


def test_catalog_import_export_over_api(api_client):
    good = b"sku,name_en,weight_g\nX-1,One,10\nX-2,Two,20\n"
    r = api_client.post("/api/v1/catalog/import", files={"file": ("c.csv", good, "text/csv")})
    assert r.json() == {"imported": 2, "skipped_duplicates": 0, "errors": [], "batch_id": r.json()["batch_id"]}
    again = api_client.post("/api/v1/catalog/import", files={"file": ("c.csv", good, "text/csv")}).json()
    assert again["imported"] == 0 and again["skipped_duplicates"] == 2
    bad = api_client.post("/api/v1/catalog/import", files={"file": ("b.csv", b"sku,weight_g\nY-1,abc\n", "text/csv")})
    assert bad.status_code == 422 and bad.json()["code"] == "IMPORT_REJECTED"
    assert {(e["line"], e["column"]) for e in bad.json()["errors"]} >= {(2, "weight_g"), (2, "name_en")}
    csv = api_client.get("/api/v1/catalog/export?format=csv")
    assert csv.status_code == 200 and "X-2" in csv.content.decode("utf-8-sig")
    assert api_client.get("/api/v1/catalog/export?format=xlsx").content[:2] == b"PK"


def test_openapi_is_served(client):
    spec = client.get("/api/openapi.json").json()
    assert "/api/v1/skus" in spec["paths"] and "/api/v1/auth/token" in spec["paths"]

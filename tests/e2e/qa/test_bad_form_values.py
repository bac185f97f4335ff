"""Values no store can hold, and deletes the data forbids, are the user's errors (4xx with a
reason), never a server error. Found by filling every form of the demo with junk (2026-11-25)."""

from decimal import Decimal

import pytest

from xborder.errors import ValidationError
from xborder.money import to_decimal

HUGE = "99999999999999999999999"


@pytest.mark.parametrize("raw", ["1e309", HUGE, "-1e13"])
def test_amounts_beyond_the_store_are_refused(raw):
    with pytest.raises(ValidationError, match="too large"):
        to_decimal(raw, "price")
    assert to_decimal("9999999999999.9999") == Decimal("9999999999999.9999")


def test_huge_ids_and_numbers_are_client_errors(api_client, web_client):
    assert api_client.get(f"/api/v1/orders/{HUGE}").status_code in (404, 422)  # SQLite: too large; PostgreSQL: none
    assert web_client.get(f"/orders/{HUGE}").status_code in (404, 422)
    r = web_client.post("/switch-org", data={"csrf_token": web_client.csrf, "org_id": HUGE})
    assert r.status_code in (403, 404, 422)
    r = api_client.post("/api/v1/logistics/rates", json={"destination": "US", "parcel": {
        "weight_kg": "1e309", "length_cm": "1", "width_cm": "1", "height_cm": "1"}})
    assert r.status_code == 422 and r.json()["field"] == "parcel.weight_kg" and "too large" in r.json()["message"]


def test_a_sku_on_a_purchase_order_cannot_be_deleted(api_client, web_client):
    sku = api_client.post("/api/v1/skus", json={"sku": "MUG-1", "name_en": "Mug", "purchase_cost": "6.00",
                                                "purchase_currency": "CNY", "weight_g": "300"})
    assert sku.status_code == 201, sku.text
    sid = api_client.post("/api/v1/procurement/suppliers", json={"name": "Yiwu", "moq": "1", "lead_time_days": "7"}).json()["id"]
    po = api_client.post("/api/v1/procurement/orders", json={"supplier_id": sid, "lines": [
        {"sku": "MUG-1", "quantity": "10", "unit_price": "5.00"}]})
    assert po.status_code == 201, po.text
    r = api_client.delete(f"/api/v1/skus/{sku.json()['id']}")
    assert r.status_code == 409 and "used by 1 purchase order lines" in r.json()["message"], r.text
    web_client.cookies.set("lang", "en")
    page = web_client.post(f"/catalog/{sku.json()['id']}/delete", data={"csrf_token": web_client.csrf})
    assert page.status_code == 409 and "cannot be deleted" in page.text
    assert api_client.get(f"/api/v1/skus/{sku.json()['id']}").status_code == 200  # still there
    oid = po.json()["id"]
    bad = web_client.post(f"/procurement/orders/{oid}/receive", data={"csrf_token": web_client.csrf, "qty:MUG-1": "1",
                                                                      "received_on": "2026-02-30"})
    assert bad.status_code == 422 and "received_on" in bad.text
    listing = api_client.post("/api/v1/listings", json={"channel": "amazon-us", "seller_sku": "M1", "title": "Mug"})
    assert listing.status_code == 201, listing.text
    r = web_client.post(f"/catalog/listings/{listing.json()['id']}/pair", data={"csrf_token": web_client.csrf,
                                                                               "sku_id": "abc"})
    assert r.status_code == 422


@pytest.mark.parametrize("junk", [-1, True, "abc", {}, None])
def test_api_bodies_of_the_wrong_shape_are_422(api_client, junk):
    """Each field of the wrong JSON type (a number where a list goes, an object for an id...)."""
    sid = api_client.post("/api/v1/procurement/suppliers", json={"name": "S", "moq": "1", "lead_time_days": "7"}).json()["id"]
    calls = [("PUT", f"/api/v1/procurement/suppliers/{sid}/prices", {"sku": "X", "breaks": junk}),
             ("POST", "/api/v1/procurement/orders", {"supplier_id": junk, "lines": junk}),
             ("POST", "/api/v1/procurement/orders", {"supplier_id": sid, "lines": [junk]}),
             ("POST", "/api/v1/customs/declarations/check", {"mode": "9610", "lines": junk}),
             ("POST", "/api/v1/customs/declarations", {"mode": "9610", "lines": junk})]
    for method, url, body in calls:
        r = api_client.request(method, url, json=body)
        if junk is None and url.endswith("/prices"):
            assert r.status_code in (404, 422), (url, body, r.text)  # no breaks: the SKU is unknown
            continue
        if url.endswith("/check"):  # the check answers 200 with the problems listed
            assert r.status_code == 200 and r.json()["valid"] is False, r.text[:300]
            continue
        assert r.status_code in (404, 422), (method, url, body, r.status_code, r.text[:300])


@pytest.mark.parametrize("tol", ["NaN", "1e309", "-1", "abc"])
def test_a_bad_reconciliation_tolerance(web_client, api_client, tol):
    page = web_client.get("/payments", params={"tolerance": tol})
    assert page.status_code == 200 and "tolerance" in page.text  # shown with the default and the reason
    assert web_client.get("/payments/discrepancies/export", params={"tolerance": tol}).status_code == 422
    assert api_client.get("/api/v1/reconcile", params={"tolerance": tol}).status_code == 422


def test_a_text_longer_than_its_column(api_client, web_client):
    """Refused by name on both databases (PostgreSQL would refuse it, SQLite keep it silently)."""
    r = api_client.post("/api/v1/skus", json={"sku": "LONG-1", "name_en": "n" * 2000})
    assert r.status_code == 422 and r.json()["field"] == "name_en" and "at most 300 characters" in r.json()["message"]
    assert api_client.get("/api/v1/skus").json()["total"] == 0  # nothing was written

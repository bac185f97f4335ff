import re

from tests.conftest import CSRF_INPUT


def test_login_page_language_follows_the_browser(client):
    zh = client.get("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    en = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert zh.status_code == en.status_code == 200
    assert "登录" in zh.text and 'lang="zh-CN"' in zh.text
    assert "Log in" in en.text and 'lang="en"' in en.text and "登录" not in en.text


def test_pages_need_login(client):
    r = client.get("/catalog", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login?next=/catalog")


def test_wrong_password_shows_a_message(client, org_ids):
    page = client.get("/login", headers={"Accept-Language": "en"})
    token = CSRF_INPUT.search(page.text).group(1)
    r = client.post("/login", data={"email": "owner@acme.test", "password": "bad", "csrf_token": token},
                    headers={"Accept-Language": "en"})
    assert r.status_code == 401 and "wrong email or password" in r.text


def test_forms_without_csrf_are_refused(web_client):
    r = web_client.post("/catalog/new", data={"sku": "NOCSRF", "name_en": "x"})
    assert r.status_code == 403
    assert "CSRF" in r.text
    assert "NOCSRF" not in web_client.get("/catalog").text


def test_language_choice_sticks(web_client):
    r = web_client.post("/lang", data={"lang": "en", "next": "/catalog", "csrf_token": web_client.csrf})
    assert r.status_code == 200 and "Catalog" in r.text
    assert 'lang="en"' in web_client.get("/catalog", headers={"Accept-Language": "zh-CN"}).text
    web_client.post("/lang", data={"lang": "zh_CN", "next": "/", "csrf_token": web_client.csrf})
    assert 'lang="zh-CN"' in web_client.get("/catalog", headers={"Accept-Language": "en"}).text


def test_every_section_has_a_page(web_client):
    from xborder.entrypoints.web.nav import SECTIONS

    for s in SECTIONS:
        r = web_client.get(s.url)
        assert r.status_code == 200, s.url


def test_create_edit_find_sku(web_client):
    form = {"sku": "WEB-1", "name_en": "Desk lamp", "name_zh": "台灯", "weight_g": "850", "category": "led_lighting",
            "origin": "CN", "hs_version": "2022", "purchase_currency": "CNY", "csrf_token": web_client.csrf}
    r = web_client.post("/catalog/new", data=form)
    assert r.status_code == 200 and "WEB-1" in r.text
    bad = web_client.post("/catalog/new", data={**form, "sku": "WEB-2", "weight_g": "-3", "barcode": "123"})
    assert bad.status_code == 422 and 'data-field="weight_g"' in bad.text and 'data-field="barcode"' in bad.text
    found = web_client.get("/catalog?q=lamp")
    assert "WEB-1" in found.text
    assert "WEB-1" not in web_client.get("/catalog?q=cable").text
    sorted_page = web_client.get("/catalog?sort=weight_g&dir=desc")
    assert sorted_page.status_code == 200


def test_import_with_a_bad_row_shows_every_error(web_client):
    data = "sku,name_en,weight_g\nOK-1,Fine,10\nBAD-1,Broken,heavy\n"
    r = web_client.post("/catalog/import", data={"csrf_token": web_client.csrf, "kind": "skus"},
                        files={"file": ("c.csv", data.encode(), "text/csv")})
    assert r.status_code == 422
    assert re.search(r"<td class=\"num\">3</td><td><code>weight_g</code>", r.text)
    assert "OK-1" not in web_client.get("/catalog").text


def test_settings_pages(web_client):
    assert web_client.get("/settings/org").status_code == 200
    bad = web_client.post("/settings/org", data={"csrf_token": web_client.csrf, "uscc": "123", "base_currency": "CNY",
                                                 "enterprise_type": "trading"})
    assert bad.status_code == 422
    ok = web_client.post("/settings/org", data={"csrf_token": web_client.csrf, "uscc": "91440300MA5FXB7K3U",
                                                "base_currency": "CNY", "enterprise_type": "production",
                                                "legal_name_zh": "深圳测试有限公司"})
    assert ok.status_code == 200 and "深圳测试有限公司" in ok.text
    r = web_client.post("/settings/users", data={"csrf_token": web_client.csrf, "email": "ops@acme.test",
                                                 "password": "password-123", "role": "operator"})
    assert "ops@acme.test" in r.text
    t = web_client.post("/settings/tokens", data={"csrf_token": web_client.csrf, "name": "erp"})
    assert re.search(r'id="new-token">xb_', t.text)


def test_logout(web_client):
    r = web_client.post("/logout", data={"csrf_token": web_client.csrf}, follow_redirects=False)
    assert r.status_code == 303
    assert web_client.get("/catalog", follow_redirects=False).status_code == 303


def test_a_skus_tariff_codes_of_the_markets(web_client, api_client):
    """The markets' own codes: typed in the SKU form (a code not extending the HS code is marked),
    given and returned by the API, imported and exported as CSV columns."""
    form = {"sku": "NAT-1", "name_en": "Car phone mount", "origin": "CN", "hs_code": "830230", "hs_version": "2022",
            "category": "phone_accessories", "purchase_currency": "CNY", "csrf_token": web_client.csrf}
    assert 'id="national-codes"' in web_client.get("/catalog/new").text
    bad = web_client.post("/catalog/new", data={**form, "hs_code_us": "9405216010"})
    assert bad.status_code == 422 and 'data-field="hs_code_us"' in bad.text and "does not extend the HS code 830230" in bad.text
    ok = web_client.post("/catalog/new", data={**form, "hs_code_us": "8302.30.6000", "hs_code_cn": "8302300000"})
    assert ok.status_code == 200
    sku = next(k for k in api_client.get("/api/v1/skus").json()["items"] if k["sku"] == "NAT-1")
    assert (sku["hs_code_us"], sku["hs_code_cn"], sku["hs_code_eu"]) == ("8302306000", "8302300000", None)
    put = api_client.put(f"/api/v1/skus/{sku['id']}", json={"sku": "NAT-1", "name_en": "Car phone mount", "hs_code": "830230",
                                                             "hs_code_eu": "83023000"})
    assert put.status_code == 200 and put.json()["hs_code_eu"] == "83023000" and put.json()["hs_code_us"] is None
    csv_in = b"sku,name_en,hs_code,hs_code_us,hs_code_gb\nNAT-2,Hook,830230,83023030,8302300090\n"
    assert api_client.post("/api/v1/catalog/import", files={"file": ("c.csv", csv_in, "text/csv")}).json()["imported"] == 1
    out = api_client.get("/api/v1/catalog/export?format=csv").content.decode("utf-8-sig").splitlines()
    header = out[0].split(",")
    row = next(r.split(",") for r in out if r.startswith("NAT-2,"))
    assert row[header.index("hs_code_us")] == "83023030" and row[header.index("hs_code_gb")] == "8302300090"
    rejected = api_client.post("/api/v1/catalog/import", files={"file": ("c.csv", b"sku,name_en,hs_code,hs_code_cn\nNAT-3,x,830230,8302\n",
                                                                         "text/csv")})
    assert rejected.status_code == 422 and (2, "hs_code_cn") in {(e["line"], e["column"]) for e in rejected.json()["errors"]}

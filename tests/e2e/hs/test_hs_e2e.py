"""HS through the CLI (the contract), the HTTP API and the pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xborder.catalog import service as catalog

MINI = Path(__file__).parents[2] / "integration" / "hs" / "minidata"


@pytest.fixture(autouse=True)
def _stock_encoder(monkeypatch):
    """The stock encoder (faster syncs); the contract test runs the default, fine-tuned one."""
    monkeypatch.setenv("XBORDER_HS_ENCODER", "minilm")


@pytest.fixture
def synced_default(cli, monkeypatch):
    monkeypatch.delenv("XBORDER_HS_ENCODER")
    return _sync(cli)


@pytest.fixture
def synced(cli):
    return _sync(cli)


def _sync(cli):
    r = cli("data", "sync", "--from", str(MINI), "--only", "hs-2017", "--only", "hs-2022", "--only", "hs-classifier",
            "--json")
    assert r.exit_code == 0, r.stdout
    assert {s["name"]: s["status"] for s in r.json()["sources"]} == {
        "hs-2017": "loaded", "hs-2022": "loaded", "hs-classifier": "loaded"}
    return cli


def test_cli_classify_contract(synced_default):
    synced = synced_default
    r = synced("hs", "classify", "cotton t-shirt", "--top", "3", "--json")
    assert r.exit_code == 0, r.stdout
    data = json.loads(r.stdout)
    assert data["vague"] is False
    assert 1 <= len(data["candidates"]) <= 3
    first = data["candidates"][0]
    assert first["code"] == "610910" and isinstance(first["score"], float) and 0 < first["score"] <= 1
    assert first["description"] == "T-shirts, singlets and other vests; of cotton, knitted or crocheted"
    assert all(set(c) >= {"code", "description", "score"} for c in data["candidates"])
    assert data["heading"]["code"] == "6109" and data["ask_for"] == []


def test_cli_classify_vague(synced):
    data = json.loads(synced("hs", "classify", "gift", "--json").stdout)
    assert data["vague"] is True and data["ask_for"][0] == "what the item is"


def test_cli_classify_text_output(synced):
    r = synced("hs", "classify", "wool cardigan")
    assert r.exit_code == 0 and "611011" in r.stdout


def test_cli_classify_bad_input_names_the_field(synced):
    r = synced("hs", "classify", "mug", "--top", "0", "--json")
    assert r.exit_code == 2
    assert json.loads(r.stdout)["field"] == "top"


def test_cli_before_sync_says_what_to_run(cli):
    r = cli("hs", "classify", "cotton t-shirt", "--json")
    assert r.exit_code == 4
    err = json.loads(r.stdout)
    assert err["code"] == "HS_CLASSIFIER_MISSING" and "xborder data sync" in err["message"]
    r = cli("hs", "search", "6109", "--json")
    assert r.exit_code == 4 and json.loads(r.stdout)["code"] == "HS_NOMENCLATURE_MISSING"


def test_cli_search(synced):
    data = json.loads(synced("hs", "search", "6109", "--json").stdout)
    assert [x["code"] for x in data["results"]] == ["6109", "610910", "610990"]
    data = json.loads(synced("hs", "search", "cotton t-shirts", "--version", "2017", "--json").stdout)
    assert data["version"] == "2017" and data["results"][0]["code"] == "610910"
    r = synced("hs", "search", "6109")
    assert r.exit_code == 0 and "610990" in r.stdout
    assert synced("hs", "search", "6109", "--version", "1996", "--json").exit_code == 2


def test_search_in_chinese_reads_the_words_in_english(synced, web_client, api_client):
    """The nomenclature is in English: a Chinese search is read word by word (纯棉 -> pure cotton,
    T恤 -> T-shirt) and codes matching most of its words come first; every way says how it read it."""
    data = synced("hs", "search", "纯棉T恤", "--json").json()
    assert data["read_as"].startswith("pure cotton") and "T-shirt" in data["read_as"] and data["unknown"] == []
    assert data["results"][0]["code"] == "610910"
    assert "searched as" in synced("hs", "search", "儿童毛绒玩具").stdout
    assert synced("hs", "search", "儿童毛绒玩具", "--json").json()["results"][0]["code"] in ("950300", "9503")
    assert "read_as" not in synced("hs", "search", "cotton t-shirts", "--json").json()  # English: as before
    api = api_client.get("/api/v1/hs/search", params={"q": "蓝牙耳机"}).json()
    assert api["read_as"] == "Bluetooth earphones" and api["results"][0]["code"] in ("851830", "8518")
    web_client.cookies.set("lang", "zh_CN")
    page = web_client.get("/customs/hs", params={"q": "纯棉T恤"}).text
    assert 'id="hs-read-as"' in page and "已按" in page and "/customs/hs?text=" in page and ">610910<" in page


def test_cli_sync_twice_is_unchanged(synced):
    r = synced("data", "sync", "--from", str(MINI), "--only", "hs-2022", "--only", "hs-classifier", "--json")
    assert {s["status"] for s in r.json()["sources"]} == {"unchanged"}


def test_cli_classify_skus(synced, container):
    from xborder.accounts import service as accounts
    from xborder.db import UnitOfWork

    assert synced("catalog", "list", "--json").exit_code == 0  # creates the CLI organisation
    with UnitOfWork(container.sessions) as u:
        org = accounts.resolve_cli_org(u.session, None)
        p = accounts.Principal(user_id=0, org_id=org.id, role=accounts.Role.OWNER)
        catalog.create_sku(u.session, p, {"sku": "T-1", "name_en": "Cotton T-shirt"})
        catalog.create_sku(u.session, p, {"sku": "G-1", "name_en": "Gift"})
        u.commit()
    data = json.loads(synced("hs", "classify-skus", "--json").stdout)
    assert data["skus"] == 2 and data["applied"] == 0 and data["vague"] == 1
    data = json.loads(synced("hs", "classify-skus", "--apply", "--json").stdout)
    assert data["applied"] == 1
    skus = {k["sku"]: k for k in synced("catalog", "list", "--json").json()["items"]}
    assert skus["T-1"]["hs_code"] == "610910" and skus["G-1"]["hs_code"] in (None, "")
    assert json.loads(synced("hs", "classify-skus", "--json").stdout)["skus"] == 1


def _sync_in_app(container):
    from xborder.reference import service as reference

    reference.sync(container.sessions, MINI, ["hs-2017", "hs-2022", "hs-classifier"])


def test_api(api_client, other_api_client, container, uow, principal):
    r = api_client.post("/api/v1/hs/classify", json={"text": "cotton t-shirt", "top": 2})
    assert r.status_code == 409 and r.json()["code"] == "HS_CLASSIFIER_MISSING"
    _sync_in_app(container)
    r = api_client.get("/api/v1/hs/search", params={"q": "6109"})
    assert r.status_code == 200 and r.json()["results"][0]["code"] == "6109"
    r = api_client.post("/api/v1/hs/classify", json={"text": "cotton t-shirt", "top": 2})
    assert r.status_code == 200
    body = r.json()
    assert body["candidates"][0]["code"] == "610910" and len(body["candidates"]) == 2 and body["vague"] is False
    r = api_client.post("/api/v1/hs/classify", json={"text": "", "top": 2})
    assert r.status_code == 422 and r.json()["field"] == "text"
    assert api_client.get("/api/v1/hs/search", params={"q": "6109", "version": "2003"}).status_code == 422
    sku = catalog.create_sku(uow.session, principal, {"sku": "H-1", "name_en": "Leather handbag", "material": "leather"})
    uow.commit()
    r = api_client.get(f"/api/v1/hs/skus/{sku.id}/suggest")
    assert r.status_code == 200 and r.json()["candidates"][0]["code"].startswith("4202")
    assert other_api_client.get(f"/api/v1/hs/skus/{sku.id}/suggest").status_code == 404
    r = other_api_client.post("/api/v1/hs/classify-skus", json={"apply": True})
    assert r.status_code == 200 and r.json()["skus"] == 0  # the other organisation has no SKU
    r = api_client.post("/api/v1/hs/classify-skus", json={"apply": True})
    assert r.json()["applied"] == 1
    assert api_client.get(f"/api/v1/skus/{sku.id}").json()["hs_code"].startswith("4202")
    assert api_client.get("/api/v1/hs/search", params={"q": "6109"}, headers={"Authorization": "Bearer nope"}).status_code == 401


def test_pages(web_client, other_web_client, container, uow, principal):
    r = web_client.get("/customs/hs")
    assert r.status_code == 200 and "HS" in r.text
    r = web_client.get("/customs/hs", params={"text": "cotton t-shirt"})
    assert r.status_code == 409 and "data sync" in r.text
    assert r.text.count("no HS classifier in the store yet") == 1  # the page's own error box, not repeated by the layout
    assert 'id="hs-sync-link"' in r.text and 'href="/settings/data"' in r.text  # where an owner can load it
    _sync_in_app(container)
    r = web_client.get("/customs/hs", params={"q": "cotton t-shirts", "text": "cotton t-shirt"})
    assert r.status_code == 200
    assert 'id="hs-results"' in r.text and 'id="hs-candidates"' in r.text and "610910" in r.text
    r = web_client.get("/customs/hs", params={"text": "gift"})
    assert 'id="hs-vague"' in r.text
    sku = catalog.create_sku(uow.session, principal, {"sku": "M-1", "name_en": "Stoneware coffee mug"})
    catalog.create_sku(uow.session, principal, {"sku": "M-2", "name_en": "Wool cardigan"})
    uow.commit()
    assert f'href="/hs/suggest?sku_id={sku.id}"' in web_client.get(f"/catalog/{sku.id}").text
    r = web_client.get("/hs/suggest", params={"sku_id": sku.id})
    assert r.status_code == 200 and "691200" in r.text and 'action="/hs/suggest"' in r.text
    assert other_web_client.get("/hs/suggest", params={"sku_id": sku.id}).status_code == 404
    r = other_web_client.post("/hs/suggest", data={"csrf_token": other_web_client.csrf, "sku_id": sku.id,
                                                    "code": "691200"}, follow_redirects=False)
    assert r.status_code == 404
    r = web_client.post("/hs/suggest", data={"sku_id": sku.id, "code": "691200"}, follow_redirects=False)
    assert r.status_code in (400, 403)  # no CSRF token
    r = web_client.post("/hs/suggest", data={"csrf_token": web_client.csrf, "sku_id": sku.id, "code": "691200"},
                        follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/catalog/{sku.id}?saved=1"
    r = web_client.post("/customs/hs/classify-skus", data={"csrf_token": web_client.csrf})
    assert r.status_code == 200 and "M-2" in r.text and "M-1" not in r.text and 'id="hs-bulk-apply"' in r.text
    r = web_client.post("/customs/hs/classify-skus", data={"csrf_token": web_client.csrf, "apply": "1"})
    assert r.status_code == 200 and 'id="hs-applied"' in r.text
    uow.session.expire_all()
    codes = {k.sku: k.hs_code for k in catalog.all_skus(uow.session, principal.org_id)}
    assert codes == {"M-1": "691200", "M-2": "611011"}
    web_client.cookies.set("lang", "zh_CN")
    r = web_client.get("/customs/hs")
    assert r.status_code == 200 and "HS 归类" in r.text


def test_cli_learns_the_quick_model_with_hs_encoder_none(cli):
    r = cli("data", "sync", "--from", str(MINI), "--only", "hs-2022", "--only", "hs-classifier", "--hs-encoder", "none",
            "--json")
    assert r.exit_code == 0, r.stdout
    assert [s["status"] for s in r.json()["sources"]] == ["loaded", "loaded"]
    assert json.loads(cli("hs", "classify", "cotton t-shirt", "--json").stdout)["candidates"][0]["code"] == "610910"
    again = cli("data", "sync", "--from", str(MINI), "--only", "hs-classifier", "--hs-encoder", "none", "--json")
    assert again.json()["sources"][0]["status"] == "unchanged"
    bad = cli("data", "sync", "--from", str(MINI), "--only", "hs-classifier", "--hs-encoder", "bert", "--json")
    assert bad.exit_code == 2 and bad.json()["field"] == "hs_encoder"


def test_chinese_descriptions_are_read_in_english(cli, api_client, web_client, container, principal):
    """纯棉T恤 is read as "pure cotton … T-shirt" (CC-CEDICT) and classified: CLI, API and page;
    a SKU with only a Chinese name gets suggestions too."""
    r = cli("data", "sync", "--from", str(MINI), "--only", "hs-2022", "--only", "hs-classifier", "--hs-encoder", "none",
            "--json")
    assert r.exit_code == 0, r.stdout
    out = json.loads(cli("hs", "classify", "纯棉T恤", "--json").stdout)
    assert "T-shirt" in out["read_as"] and "cotton" in out["read_as"]
    assert out["candidates"][0]["code"] == "610910" and out["explanation"][0].startswith("Chinese description read as")
    api = api_client.post("/api/v1/hs/classify", json={"text": "纯棉T恤"})
    assert api.status_code == 200 and api.json()["candidates"][0]["code"] == "610910" and api.json()["read_as"]
    page = web_client.get("/customs/hs", params={"text": "纯棉T恤"}).text
    assert 'id="hs-read-as"' in page and "T-shirt" in page
    none = cli("hs", "classify", "龘龘", "--json")
    assert none.exit_code == 2 and none.json()["field"] == "text"
    from xborder.db import UnitOfWork

    with UnitOfWork(container.sessions) as u:
        sku = catalog.create_sku(u.session, principal, {"sku": "TEE-ZH", "name_en": "", "name_zh": "纯棉T恤",
                                                       "weight_g": "200"})
        u.commit()
        sku_id = sku.id
    sug = api_client.get(f"/api/v1/hs/skus/{sku_id}/suggest").json()
    assert sug["candidates"][0]["code"] == "610910" and sug["text"] == "纯棉T恤" and "T-shirt" in sug["read_as"]


def test_calculator_suggests_hs_codes_when_a_line_lacks_one(cli, web_client, monkeypatch):
    """US needs an HS code per line: the calculator refuses to guess (HS_REQUIRED) but shows the
    classifier's suggestions for the line's description, each one a button that fills the line's
    HS code field."""
    monkeypatch.setenv("XBORDER_HS_ENCODER", "none")  # the quick model: this test is about the page
    _sync(cli)
    form = {"csrf_token": web_client.csrf, "destination": "US", "date": "2026-11-24", "currency": "USD",
            "incoterm": "DDP", "channel": "own_store", "shipping": "5", "insurance": "0",
            "lines-0-description": "cotton t-shirt", "lines-0-origin": "CN", "lines-0-quantity": "1",
            "lines-0-unit_value": "15"}
    r = web_client.post("/customs/landed-cost", data=form)
    assert r.status_code == 422 and "lines[0].hs_code" in r.text and 'id="hs-help"' in r.text
    import re

    fills = re.findall(r'data-fill="([^"]+)" data-value="(\d+)"', r.text)
    assert fills[0] == ("input[name='lines-0-hs_code']", "610910"), fills
    ok = web_client.post("/customs/landed-cost", data={**form, "lines-0-hs_code": "610910", "lines-0-duty_rate": "0.165"})
    assert ok.status_code == 200 and 'id="hs-help"' not in ok.text

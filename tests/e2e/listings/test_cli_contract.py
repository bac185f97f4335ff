"""The issue's contract through the CLI, exactly: ``xborder listing check --marketplace amazon-us
--json-in FILE`` (``-`` = stdin) prints {"score", "findings": [{"rule", "severity", "field", "message"}]}."""

import json

import pytest

CLEAN = {"title": "Acme Silicone Phone Case, Slim Shockproof Cover, Blue",
         "bullets": ["Soft silicone that is easy to put on.", "Shockproof corners absorb drops.", "Raised edges protect the camera."],
         "description": "A slim silicone case with shockproof corners.", "brand": "Acme", "search_terms": "cover bumper gel"}

BROKEN = [
    ("title", {"title": "Acme Phone Case " + "Slim " * 50}),
    ("title", {"title": "Acme Phone Case Best Seller"}),
    ("title", {"title": "Acme Phone Case!"}),
    ("title", {"title": "Acme Case Phone Case Silicone Case"}),
    ("title", {"title": "Acme AMAZING Phone Case"}),
    ("title", {"title": "Acme Phone Case FDA approved"}),
    ("bullets", {"bullets": ["Feature"] * 6}),
    ("bullets", {"bullets": ["x" * 300, "b", "c"]}),
    ("bullets", {"bullets": ["Free shipping worldwide", "b", "c"]}),
    ("description", {"description": "word " * 500}),
    ("search_terms", {"search_terms": "keyword " * 40}),
    ("search_terms", {"search_terms": "cover nike bumper"}),
    ("description", {"description": "Slim case. <b>Free shipping</b>"}),
    ("brand", {"brand": ""}),
]


def run_check(cli, tmp_path, data, *extra):
    f = tmp_path / "listing.json"
    f.write_text(json.dumps(data), "utf-8")
    return cli("listing", "check", "--marketplace", "amazon-us", "--json-in", str(f), *extra)


def test_clean_listing_has_no_error(cli, tmp_path):
    r = run_check(cli, tmp_path, CLEAN)
    assert r.exit_code == 0, r.stderr
    out = r.json()
    assert isinstance(out["score"], int) and 0 <= out["score"] <= 100
    assert [f for f in out["findings"] if f["severity"] == "error"] == []
    for f in out["findings"]:
        assert {"rule", "severity", "field", "message"} <= set(f) and f["severity"] in ("error", "warning", "info")


@pytest.mark.parametrize("field,change", BROKEN)
def test_broken_rule_gives_error_on_that_field(cli, tmp_path, field, change):
    r = run_check(cli, tmp_path, {**CLEAN, **change})
    assert r.exit_code == 0, r.stderr
    out = r.json()
    assert any(f["severity"] == "error" and f["field"] == field for f in out["findings"]), out
    assert out["score"] < 100


def test_stdin_and_chinese_messages(cli):
    r = cli("listing", "check", "--marketplace", "amazon-us", "--json-in", "-", "--lang", "zh",
            input=json.dumps({**CLEAN, "title": "Acme Phone Case Best Seller"}))
    assert r.exit_code == 0
    f = [x for x in r.json()["findings"] if x["rule"] == "promo.banned"][0]
    assert "促销" in f["message"]


def test_bad_input_exits_2_and_names_the_field(cli, tmp_path):
    r = run_check(cli, tmp_path, {"title": 12})
    assert r.exit_code == 2 and "title" in r.stdout
    r = cli("listing", "check", "--marketplace", "amazon-zz", "--json-in", "-", input="{}")
    assert r.exit_code == 2 and "marketplace" in r.stdout
    r = cli("listing", "check", "--marketplace", "amazon-us", "--json-in", "-", input="{not json")
    assert r.exit_code == 2


def test_other_commands(cli, tmp_path):
    assert "amazon-de" in [m["id"] for m in cli("listing", "marketplaces", "--json").json()]
    attrs = tmp_path / "a.json"
    attrs.write_text(json.dumps({"brand": "Acme", "category": "kitchen", "product_type_zh": "砧板", "material_zh": "竹子"}), "utf-8")
    r = cli("listing", "draft", "--marketplace", "amazon-uk", "--json-in", str(attrs))
    assert r.exit_code == 0 and r.json()["draft"]["title"].startswith("Acme") and r.json()["check"]["errors"] == 0
    order = tmp_path / "o.json"
    order.write_text(json.dumps({"buyer_name": "Anna", "order_id": "1", "seller_name": "Acme", "incoterm": "DAP", "carrier": "DHL",
                                 "duties_amount": {"amount": "7.35", "currency": "EUR"}}), "utf-8")
    r = cli("messages", "render", "--template", "customs", "--lang", "de", "--json-in", str(order))
    assert r.exit_code == 0 and r.json()["situation"] == "customs_dap" and "7,35" in r.json()["body"]
    r = cli("messages", "render", "--template", "shipping_delay", "--lang", "ja", "--json-in", str(order))
    assert r.exit_code == 2 and "new_delivery_date" in r.stdout
    r = cli("listing", "sizes", "--chart", "mens_tops", "--size", "L")
    assert r.json()["cn"] == "175/92A"


def test_catalog_report_and_compliance_cli(cli, tmp_path):
    cat = tmp_path / "c.csv"
    cat.write_text("sku,name_en,brand,category,battery\nPB-1,Acme Power Bank BEST SELLER!,Acme,electronics,yes\n", "utf-8")
    assert cli("catalog", "import", str(cat), "--json").exit_code == 0
    out = tmp_path / "report.xlsx"
    r = cli("listing", "check-catalog", "-m", "amazon-us", "-m", "walmart", "--json", "--out", str(out))
    assert r.exit_code == 0 and r.json()["checked"] == 2 and r.json()["with_errors"] == 2
    assert out.read_bytes()[:2] == b"PK"
    r = cli("compliance", "check", "--sku", "PB-1", "--market", "DE", "--json", "--on", "2026-11-01")
    ids = {i["id"] for i in r.json()["items"]}
    assert {"transport.un38_3", "de.weee.ear"} <= ids and r.json()["summary"]["ready"] is False
    r = cli("compliance", "set", "--sku", "PB-1", "--requirement", "transport.un38_3", "--status", "done", "--reference", "TR-1")
    assert r.exit_code == 0
    r = cli("compliance", "check", "--sku", "PB-1", "--market", "DE", "--json", "--on", "2026-11-01")
    assert {i["id"]: i["status"] for i in r.json()["items"]}["transport.un38_3"] == "done"
    r = cli("compliance", "set", "--sku", "PB-1", "--requirement", "nope", "--status", "done")
    assert r.exit_code == 2

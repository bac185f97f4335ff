"""Legal units of export declarations through the CLI, the HTTP API and the pages: the
organisation's rebate-rate library (出口退税率文库) and the China tariff CSV (cn-tariff)."""

import json

from xborder.customs import declarations as dc

RATES_OK = ("code,valid_from,valid_to,rebate_rate,levy_rate,name,unit\n"
            "6109100022,2025-01-01,,0.13,0.13,棉制针织T恤,件\n")
RATES_KG = RATES_OK.replace(",件\n", ",千克\n")
RATES_OTHER = "code,valid_from,valid_to,rebate_rate,levy_rate,name,unit\n8504319000,2020-01-01,,0.13,0.13,变压器,个\n"
TARIFF = ("商品编码,商品名称,法定第一单位,法定第二单位,申报要素,valid_from\n"
          "6109100022,棉制针织T恤,件,千克,品牌类型|出口享惠情况|织造方法|成分含量,2026-01-01\n")


def _decl(**changes):
    return json.dumps(dc.to_dict(dc.sample(**changes)))


def test_cli_warns_without_library_then_checks_against_it(cli, tmp_path):
    r = cli("customs", "declare", "--json-in", "-", input=_decl())
    assert r.exit_code == 0, r.stdout + r.stderr
    out = r.json()
    assert [w["field"] for w in out["warnings"]] == ["lines"] and "not checked" in out["warnings"][0]["message"]
    assert "warning: lines" in r.stderr
    decl_id = out["id"]
    # the library says 千克 for this code: the line's 011 件 is rejected, naming both units; nothing is written
    f = tmp_path / "rates.csv"
    f.write_text(RATES_KG, "utf-8")
    assert cli("rebate", "rates", "import", str(f)).exit_code == 0
    bad = cli("customs", "declare", "--json-in", "-", input=_decl(order_no="SO-KG"))
    assert bad.exit_code == 2
    err = bad.json()
    assert err["code"] == "DECLARATION_INVALID"
    unit_err = next(e for e in err["errors"] if e["field"] == "lines[0].unit1")
    assert "千克 (035)" in unit_err["message"] and "011 件" in unit_err["message"]
    listed = cli("customs", "declarations").json()["declarations"]
    assert [d["order_no"] for d in listed] == ["SO20261124001"]
    # the stored declaration checked again now
    chk = cli("customs", "check", str(decl_id))
    assert chk.exit_code == 2 and chk.json()["errors"][0]["field"] == "lines[0].unit1"
    assert "出口退税率文库" in chk.json()["sources"][0]


def test_cli_code_not_in_library_and_the_good_case(cli, tmp_path):
    f = tmp_path / "rates.csv"
    f.write_text(RATES_OTHER, "utf-8")
    assert cli("rebate", "rates", "import", str(f)).exit_code == 0
    bad = cli("customs", "declare", "--json-in", "-", input=_decl())
    assert bad.exit_code == 2
    e = next(e for e in bad.json()["errors"] if e["field"] == "lines[0].gcode")
    assert "6109100022" in e["message"] and "2026-11-24" in e["message"]
    f.write_text(RATES_OK, "utf-8")
    assert cli("rebate", "rates", "import", str(f)).exit_code == 0
    ok = cli("customs", "declare", "--json-in", "-", input=_decl())
    assert ok.exit_code == 0 and ok.json()["warnings"] == []
    assert cli("customs", "check", str(ok.json()["id"])).json()["errors"] == []
    # a kg legal quantity that is not the net weight
    heavy = dc.to_dict(dc.sample(order_no="SO-HEAVY"))
    heavy["lines"][0]["qty2"] = "0.35"
    r = cli("customs", "declare", "--json-in", "-", input=json.dumps(heavy))
    assert r.exit_code == 2 and any(e["field"] == "lines[0].qty2" for e in r.json()["errors"])


def test_cn_tariff_sync_gives_the_second_unit(cli, tmp_path):
    (tmp_path / "tariffs").mkdir()
    (tmp_path / "tariffs" / "cn_customs_tariff.csv").write_text(TARIFF, "utf-8")
    r = cli("data", "sync", "--from", str(tmp_path), "--only", "cn-tariff")
    assert r.exit_code == 0, r.stdout + r.stderr
    again = cli("data", "sync", "--from", str(tmp_path), "--only", "cn-tariff")
    assert again.exit_code == 0 and "unchanged" in again.stdout
    ref = cli("customs", "reference")
    assert "cn-tariff" in ref.stdout
    # the tariff alone is a source: no warning; a line without the second unit 千克 is rejected
    ok = cli("customs", "declare", "--json-in", "-", input=_decl())
    assert ok.exit_code == 0 and ok.json()["warnings"] == []
    no2 = dc.to_dict(dc.sample(order_no="SO-NO2"))
    no2["lines"][0]["unit2"] = None
    no2["lines"][0]["qty2"] = None
    r = cli("customs", "declare", "--json-in", "-", input=json.dumps(no2))
    assert r.exit_code == 2
    e = next(e for e in r.json()["errors"] if e["field"] == "lines[0].unit2")
    assert "千克" in e["message"] and "China customs tariff" in e["message"]
    # before the tariff's validity the code is unknown to it
    early = cli("customs", "declare", "--json-in", "-", input=_decl(order_no="SO-2025", ie_date=dc.date(2025, 6, 1)))
    assert early.exit_code == 2 and any(e["field"] == "lines[0].gcode" for e in early.json()["errors"])


def test_cn_tariff_bad_file_is_refused(cli, tmp_path):
    (tmp_path / "tariffs").mkdir()
    (tmp_path / "tariffs" / "cn_customs_tariff.csv").write_text("商品编码,商品名称,法定第一单位,法定第二单位\n6109,T恤,件,\n",
                                                              "utf-8")
    r = cli("data", "sync", "--from", str(tmp_path), "--only", "cn-tariff")
    assert "failed" in r.stdout + r.stderr and "10-digit" in r.stdout + r.stderr


def test_api_warnings_errors_and_checks(api_client):
    r = api_client.post("/api/v1/customs/declarations", json=dc.to_dict(dc.sample()))
    assert r.status_code == 201 and r.json()["warnings"][0]["field"] == "lines"
    decl_id = r.json()["id"]
    got = api_client.get(f"/api/v1/customs/declarations/{decl_id}").json()
    assert got["checks"]["errors"] == [] and got["checks"]["warnings"][0]["field"] == "lines"
    up = api_client.post("/api/v1/rebate/import/rates", files={"file": ("rates.csv", RATES_KG.encode(), "text/csv")})
    assert up.status_code == 200, up.text
    bad = api_client.post("/api/v1/customs/declarations", json=dc.to_dict(dc.sample(order_no="SO-KG")))
    assert bad.status_code == 422
    assert any(e["field"] == "lines[0].unit1" for e in bad.json()["errors"])
    got = api_client.get(f"/api/v1/customs/declarations/{decl_id}").json()
    assert [e["field"] for e in got["checks"]["errors"]] == ["lines[0].unit1"] and got["checks"]["warnings"] == []


def test_pages_show_warnings_and_errors(web_client, api_client):
    form = {"csrf_token": web_client.csrf, "input": json.dumps(dc.to_dict(dc.sample()))}
    r = web_client.post("/customs/declarations", data=form, headers={"Accept-Language": "en"})
    assert r.status_code == 200 and 'id="legal-warnings"' in r.text and "not checked" in r.text
    web_client.cookies.set("lang", "zh_CN")
    zh = web_client.get(r.url)
    assert "法定计量单位核对" in zh.text and "未核对法定计量单位" in zh.text
    web_client.cookies.set("lang", "en")
    api_client.post("/api/v1/rebate/import/rates", files={"file": ("rates.csv", RATES_KG.encode(), "text/csv")})
    page = web_client.get(r.url, headers={"Accept-Language": "en"})
    assert 'id="legal-errors"' in page.text and "千克 (035)" in page.text
    web_client.cookies.set("lang", "zh_CN")
    zh = web_client.get(r.url)
    assert "法定第一单位为 千克 (035)" in zh.text and "本行为 011 件" in zh.text
    web_client.cookies.set("lang", "en")
    form["input"] = json.dumps(dc.to_dict(dc.sample(order_no="SO-KG")))
    bad = web_client.post("/customs/declarations", data=form, headers={"Accept-Language": "en"})
    assert bad.status_code == 422 and "lines[0].unit1" in bad.text and "千克 (035)" in bad.text


def test_check_without_storing_cli_api_page(cli, api_client, web_client):
    r = cli("customs", "declare", "--json-in", "-", "--dry-run", input=_decl())
    assert r.exit_code == 0 and r.json()["valid"] is True and r.json()["warnings"][0]["field"] == "lines"
    bad = dc.to_dict(dc.sample())
    bad["lines"][0]["gcode"] = "610910"
    r = cli("customs", "declare", "--json-in", "-", "--dry-run", input=json.dumps(bad))
    assert r.exit_code == 2 and r.json()["valid"] is False and r.json()["errors"][0]["field"] == "lines[0].gcode"
    assert cli("customs", "declarations").json()["declarations"] == []
    a = api_client.post("/api/v1/customs/declarations/check", json=dc.to_dict(dc.sample()))
    assert a.status_code == 200 and a.json()["valid"] is True and a.json()["warnings"]
    assert api_client.post("/api/v1/customs/declarations/check", json=bad).json()["valid"] is False
    assert api_client.get("/api/v1/customs/declarations").json()["declarations"] == []
    form = {"csrf_token": web_client.csrf, "input": json.dumps(dc.to_dict(dc.sample())), "check": "1"}
    page = web_client.post("/customs/declarations", data=form)
    assert page.status_code == 200 and 'id="check-ok"' in page.text and 'id="legal-warnings"' in page.text
    form["input"] = json.dumps(bad)
    page = web_client.post("/customs/declarations", data=form)
    assert page.status_code == 422 and "lines[0].gcode" in page.text and 'id="check-ok"' not in page.text
    assert api_client.get("/api/v1/customs/declarations").json()["declarations"] == []

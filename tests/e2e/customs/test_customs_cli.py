"""The contract of ``xborder landed-cost`` and the customs commands, in-process."""

import json

CONTRACT_IN = {
    "destination": "DE", "date": "2026-11-24", "currency": "EUR", "incoterm": "DDP",
    "channel": "own_store", "shipping": "5.00", "insurance": "0.00",
    "lines": [{"hs_code": "610910", "description": "cotton T-shirt", "origin": "CN",
               "quantity": 1, "unit_value": "15.00", "weight_kg": "0.2", "duty_rate": "0.12"}],
}


def test_landed_cost_contract_file_and_stdin(cli, tmp_path):
    f = tmp_path / "in.json"
    f.write_text(json.dumps(CONTRACT_IN), "utf-8")
    r = cli("landed-cost", "--json-in", str(f))
    assert r.exit_code == 0, r.stdout + r.stderr
    out = r.json()
    assert {"destination", "currency", "duty", "taxes", "fees", "total_charges", "collected_at", "lines",
            "explanation"} <= set(out)
    assert out["destination"] == "DE" and out["currency"] == "EUR"
    assert (out["duty"], out["taxes"], out["fees"], out["total_charges"]) == ("3.00", "3.80", "0.00", "6.80")
    assert out["collected_at"] == "checkout"
    assert {"hs_code", "duty", "taxes"} <= set(out["lines"][0])
    assert all({"rule", "source", "amount"} <= set(e) for e in out["explanation"])
    assert all(isinstance(e["amount"], str) for e in out["explanation"])
    # which dated rules were used, valid when: the EUR 3 flat duty is in force from 2026-07-01
    flat = next(r for r in out["rules"] if r["id"] == "EU.FLAT_DUTY")
    assert flat["valid_from"] == "2026-07-01" and flat["source"] and {"id", "title", "valid_to"} <= set(flat)
    stdin = cli("landed-cost", "--json-in", "-", input=json.dumps(CONTRACT_IN))
    assert stdin.exit_code == 0 and stdin.json() == out


def test_landed_cost_numbers_in_json_are_exact(cli):
    data = json.loads(json.dumps(CONTRACT_IN).replace('"15.00"', "15.00").replace('"0.12"', "0.12"))
    r = cli("landed-cost", "--json-in", "-", input=json.dumps(data))
    assert r.exit_code == 0 and r.json()["total_charges"] == "6.80"


def test_landed_cost_errors(cli):
    no_hs = {**CONTRACT_IN, "lines": [{**CONTRACT_IN["lines"][0], "hs_code": None}]}
    r = cli("landed-cost", "--json-in", "-", input=json.dumps(no_hs))
    assert r.exit_code != 0 and r.json()["code"] == "HS_REQUIRED" and r.json()["field"] == "lines[0].hs_code"
    for ccy in ("EURO", "XXX"):  # not a code; a code without ECB rates
        r = cli("landed-cost", "--json-in", "-", input=json.dumps({**CONTRACT_IN, "currency": ccy}))
        assert r.exit_code == 2 and r.json()["field"] == "currency", r.stdout
    r = cli("landed-cost", "--json-in", "-", input="{not json")
    assert r.exit_code == 2 and "json-in" in r.stdout
    far = cli("landed-cost", "--json-in", "-", input=json.dumps({**CONTRACT_IN, "currency": "USD", "date": "2030-01-01"}))
    assert far.exit_code == 2 and far.json()["code"] == "FX_RATE_MISSING" and far.json()["field"] == "date"


def test_rules_screen_declare_summary_documents(cli, tmp_path):
    from xborder.customs import declarations as dc
    from xborder.customs import documents as docs

    r = cli("customs", "rules", "--country", "US", "--date", "2026-11-24", "--json")
    ids = {x["id"] for x in r.json()["rules"]}
    assert "US.NO_DE_MINIMIS" in ids and "US.DE_MINIMIS" not in ids
    r = cli("customs", "screen", "--json-in", "-", "--carrier", "post",
            input=json.dumps({"destination": "US", "lines": [{"description": "power bank"}]}))
    assert r.exit_code == 1 and r.json()["result"] == "block"
    r = cli("customs", "declare", "--json-in", "-", "--out", str(tmp_path / "xml"), input=json.dumps(dc.to_dict(dc.sample())))
    assert r.exit_code == 0, r.stdout
    assert r.json()["messages"] == ["CEB303", "CEB403", "CEB505", "CEB603"] and len(r.json()["files"]) == 4
    decl_id = r.json()["id"]
    xml = cli("customs", "message", str(decl_id), "--message", "CEB603")
    assert xml.exit_code == 0 and "<ceb:gcode>6109100022</ceb:gcode>" in xml.stdout
    bad = dc.to_dict(dc.sample(order_no="B-1"))
    bad["lines"][0]["unit1"] = "999"
    r = cli("customs", "declare", "--json-in", "-", input=json.dumps(bad))
    assert r.exit_code == 2 and r.json()["code"] == "DECLARATION_INVALID"
    assert r.json()["errors"][0]["field"] == "lines[0].unit1"
    r = cli("customs", "summary", "--month", "2026-11")
    assert r.json()["groups"][0]["items"][0]["gcode"] == "6109100022"
    f = tmp_path / "docs.json"
    f.write_text(json.dumps(docs.sample_input(), ensure_ascii=False), "utf-8")
    r = cli("customs", "documents", "--json-in", str(f), "--out", str(tmp_path / "docs"))
    assert r.exit_code == 0 and len(r.json()["files"]) == 4
    assert (tmp_path / "docs" / "invoice-INV-2026-0001.pdf").read_bytes()[:5] == b"%PDF-"


def test_landed_cost_loads_a_missing_tariff_from_the_shared_folder(cli, shared_data, monkeypatch):
    monkeypatch.setenv("XBORDER_SHARED_DATA", str(shared_data))
    req = {"destination": "US", "date": "2026-11-24", "currency": "USD",
           "lines": [{"hs_code": "610910", "origin": "CN", "quantity": 1, "unit_value": "40.00"}]}
    r = cli("landed-cost", "--json-in", "-", "--no-auto-sync", input=json.dumps(req))
    assert r.exit_code == 2 and r.json()["code"] == "TARIFF_RATE_MISSING"
    r = cli("landed-cost", "--json-in", "-", input=json.dumps(req))
    assert r.exit_code == 0, r.stdout
    assert r.json()["duty"] == "9.60"
    assert any("USITC" in e["source"] for e in r.json()["explanation"])
    r = cli("customs", "reference")
    assert [v["dataset"] for v in r.json()["versions"]] == ["tariff:US"]


def test_draft_needs_logistics_or_names_the_shipment(cli):
    from xborder.customs import drafts

    r = cli("customs", "draft", "documents", "--shipment", "999")
    assert r.exit_code != 0 and r.json()["field"] == "shipment"
    if not drafts.logistics_available():
        assert "logistics" in r.json()["message"]


def test_summary_ceb701_cli(cli, tmp_path):
    from xborder.customs import declarations as dc

    empty = cli("customs", "summary", "--month", "2026-11", "--ceb701")
    assert empty.exit_code == 2 and "no 9610" in empty.stdout + empty.stderr
    for d in (dc.sample(), dc.sample(order_no="SO2", logistics_no="LP2")):
        assert cli("customs", "declare", "--json-in", "-", input=json.dumps(dc.to_dict(d))).exit_code == 0
    # without the list numbers customs returned (CEB604), the application would be rejected
    missing = cli("customs", "summary", "--month", "2026-11", "--ceb701")
    assert missing.exit_code == 2 and "invt_no" in missing.stdout + missing.stderr
    for d in (dc.sample(invt_no="N1"), dc.sample(order_no="SO2", logistics_no="LP2", invt_no="N2")):
        again = cli("customs", "declare", "--json-in", "-", input=json.dumps(dc.to_dict(d)))
        assert again.exit_code == 0 and again.json()["created"] is False
    r = cli("customs", "summary", "--month", "2026-11", "--ceb701")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert r.stdout.startswith("<?xml") and "<ceb:CEB701Message" in r.stdout and "<ceb:SummaryApplyHead>" in r.stdout
    assert r.stdout.count("<ceb:invtNo>") == 2 and "<ceb:invtNo>N1</ceb:invtNo>" in r.stdout
    # a second destination makes two groups: --group picks one, --out-dir writes all
    assert cli("customs", "declare", "--json-in", "-", input=json.dumps(dc.to_dict(
        dc.sample(order_no="SO3", logistics_no="LP3", destination="GB", invt_no="N3")))).exit_code == 0
    both = cli("customs", "summary", "--month", "2026-11", "--ceb701")
    assert both.exit_code == 2 and "--group" in both.stdout + both.stderr
    gb = cli("customs", "summary", "--month", "2026-11", "--ceb701", "--group", "2")
    assert gb.exit_code == 0 and "<ceb:invtNo>N3</ceb:invtNo>" in gb.stdout and "N1" not in gb.stdout
    assert cli("customs", "summary", "--month", "2026-11", "--ceb701", "--group", "3").exit_code == 2
    out = cli("customs", "summary", "--month", "2026-11", "--ceb701", "--out-dir", str(tmp_path / "sum"))
    assert out.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "sum").iterdir()) == [
        "CEB701_2026-11_group1_US_2991.xml", "CEB701_2026-11_group2_GB_2991.xml"]


def test_landed_cost_explanation_carries_msgid_params_and_chinese(cli):
    r = cli("landed-cost", "--json-in", "-", input=json.dumps(CONTRACT_IN))
    assert r.exit_code == 0, r.stdout + r.stderr
    for e in r.json()["explanation"]:
        assert {"rule", "source", "amount", "msgid", "params", "rule_zh"} <= set(e)
    vat = [e for e in r.json()["explanation"] if e["kind"] == "tax"][0]
    assert vat["rule"].startswith("VAT 19% on sale price 20.00 EUR collected at checkout by the seller (IOSS)")
    assert vat["params"]["who"] == {"msgid": "seller (IOSS)", "params": {}}
    assert vat["rule_zh"].startswith("增值税 19%，按售价 20.00 EUR 由卖家（IOSS）在结账时代收")
    rules = cli("customs", "rules", "--country", "US", "--date", "2026-11-24", "--json")
    assert rules.exit_code == 0, rules.stdout
    nd = next(x for x in rules.json()["rules"] if x["id"] == "US.NO_DE_MINIMIS")
    assert nd["title_zh"] == "所有原产地均暂停小额豁免"


def test_rules_table_in_the_cli_language(cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # one row per rule
    zh = cli("customs", "rules", "--country", "AE", "--date", "2026-11-24", "--lang", "zh")
    assert zh.exit_code == 0, zh.stdout + zh.stderr
    assert "国家" in zh.stdout and "生效日期" in zh.stdout and "进口增值税 5%" in zh.stdout and "（待核实）" not in zh.stdout
    assert "(待核实)" in zh.stdout and "Duty de minimis" not in zh.stdout
    en = cli("customs", "rules", "--country", "AE", "--date", "2026-11-24")
    assert "Country" in en.stdout and "(to verify)" in en.stdout and "进口增值税" not in en.stdout
    assert cli("customs", "rules", "--lang", "zh-CN", "--country", "AE").exit_code == 0
    bad = cli("customs", "rules", "--lang", "fr")
    assert bad.exit_code == 2 and "--lang" in bad.stdout + bad.stderr
    # the landed-cost JSON translates the labels around citations (the EU flat duty is to verify)
    r = cli("landed-cost", "--json-in", "-", input=json.dumps(CONTRACT_IN))
    flat = [e for e in r.json()["explanation"] if e["source"].endswith("(verify)")]
    assert flat and all(e["source_zh"].endswith("（待核实）") for e in flat)


def test_rules_export(cli, tmp_path):
    import csv
    from io import StringIO

    rows = cli("customs", "rules", "--country", "AE", "--date", "2026-11-24", "--json").json()["rules"]
    r = cli("customs", "rules", "--country", "AE", "--date", "2026-11-24", "--format", "csv")
    assert r.exit_code == 0
    got = list(csv.DictReader(StringIO(r.stdout)))
    assert [g["rule"] for g in got] == [x["id"] for x in rows] and got[0]["valid_from"] == rows[0]["valid_from"]
    assert json.loads(got[0]["params"]) == rows[0]["params"]
    out = tmp_path / "rules.xlsx"
    assert cli("customs", "rules", "--format", "xlsx", "--out", str(out)).exit_code == 0 and out.read_bytes()[:2] == b"PK"
    bad = cli("customs", "rules", "--date", "2026-02-30", "--format", "csv")
    assert bad.exit_code == 2 and "--date" in bad.stdout + bad.stderr

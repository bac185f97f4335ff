"""API and pages of the customs package."""

import json
import re

from xborder.customs import declarations as dc
from xborder.customs import documents as docs

CONTRACT_IN = {
    "destination": "DE", "date": "2026-11-24", "currency": "EUR", "incoterm": "DDP", "channel": "own_store",
    "shipping": "5.00", "insurance": "0.00",
    "lines": [{"hs_code": "610910", "description": "cotton T-shirt", "origin": "CN", "quantity": 1,
               "unit_value": "15.00", "weight_kg": "0.2", "duty_rate": "0.12"}],
}


def test_api_landed_cost(api_client):
    r = api_client.post("/api/v1/customs/landed-cost", json=CONTRACT_IN)
    assert r.status_code == 200, r.text
    assert r.json()["total_charges"] == "6.80"
    # numbers in the body are read exactly
    raw = json.dumps(CONTRACT_IN).replace('"15.00"', "15.00")
    r = api_client.post("/api/v1/customs/landed-cost", content=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 200 and r.json()["taxes"] == "3.80"
    bad = api_client.post("/api/v1/customs/landed-cost", json={**CONTRACT_IN, "lines": [{"unit_value": "1"}]})
    assert bad.status_code == 422 and bad.json()["code"] == "HS_REQUIRED"


def test_api_declarations_and_documents_are_org_scoped(api_client, other_api_client):
    r = api_client.post("/api/v1/customs/declarations", json=dc.to_dict(dc.sample()))
    assert r.status_code == 201, r.text
    decl_id = r.json()["id"]
    x = api_client.get(f"/api/v1/customs/declarations/{decl_id}/messages/CEB303")
    assert x.status_code == 200 and x.headers["content-type"].startswith("application/xml")
    assert other_api_client.get(f"/api/v1/customs/declarations/{decl_id}/messages/CEB303").status_code == 404
    assert api_client.get("/api/v1/customs/declarations/summary?month=2026-11").json()["groups"]
    d = api_client.post("/api/v1/customs/documents", json=docs.sample_input())
    assert d.status_code == 201
    pdf = api_client.get(d.json()["downloads"][0])
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert other_api_client.get(d.json()["downloads"][0]).status_code == 404
    rules = api_client.get("/api/v1/customs/rules?country=GB&date=2026-11-24").json()["rules"]
    assert any(r["id"] == "GB.LOW_VALUE" for r in rules)
    csv_rows = api_client.get("/api/v1/customs/rules/export?country=GB&date=2026-11-24").content.decode("utf-8-sig").splitlines()
    assert csv_rows[0].startswith("country,regime,currency,rule,title,") and len(csv_rows) == len(rules) + 1
    assert any(",GB.LOW_VALUE," in row for row in csv_rows)
    assert api_client.get("/api/v1/customs/rules/export?format=xlsx").content[:2] == b"PK"
    s = api_client.post("/api/v1/customs/screen?carrier=post", json={"destination": "AU", "lines": [{"description": "vape pen"}]})
    assert s.json()["result"] == "block"


def test_rules_page_exports_what_it_shows(web_client):
    page = web_client.get("/customs/rules?country=US&on=2026-11-24").text
    assert 'href="/customs/rules/export?country=US&on=2026-11-24&format=csv"' in page
    body = web_client.get("/customs/rules/export?country=US&on=2026-11-24&format=csv").content.decode("utf-8-sig").splitlines()
    shown = page.count("<tr><td>US</td>") + page.count("<tr><td>*</td>")
    assert len(body) - 1 >= shown > 0 and all(row.split(",")[0] in ("US", "*") for row in body[1:])
    assert web_client.get("/customs/rules/export?on=2026-02-30&format=csv").status_code == 422


def test_pages_render(web_client):
    for url in ("/customs", "/customs/landed-cost", "/customs/rules?country=US&on=2025-06-01", "/customs/screen",
                "/customs/declarations", "/customs/declarations/summary?month=2026-11", "/customs/documents"):
        r = web_client.get(url)
        assert r.status_code == 200, url


def test_calculator_form_shows_the_explanation(web_client):
    form = {"csrf_token": web_client.csrf, "destination": "GB", "date": "2026-11-24", "currency": "GBP",
            "incoterm": "DDP", "channel": "marketplace", "shipping": "4.00", "insurance": "0",
            "lines-0-hs_code": "610910", "lines-0-description": "T-shirt", "lines-0-origin": "CN",
            "lines-0-quantity": "2", "lines-0-unit_value": "18.00", "lines-0-weight_kg": "0.2"}
    r = web_client.post("/customs/landed-cost", data=form, headers={"Accept-Language": "en"})
    assert r.status_code == 200, r.text
    assert "8.00 GBP" in r.text and "VAT Act 1994" in r.text and 'id="explanation"' in r.text
    assert 'id="screening"' not in r.text
    form_battery = {**form, "lines-0-description": "power bank 10000mAh"}
    r = web_client.post("/customs/landed-cost", data=form_battery, headers={"Accept-Language": "en"})
    assert 'id="screening"' in r.text and "Lithium batteries" in r.text
    bad = web_client.post("/customs/landed-cost", data={**form, "lines-0-unit_value": "abc"}, headers={"Accept-Language": "en"})
    assert bad.status_code == 422 and "lines[0].unit_value" in bad.text


def test_declaration_form_flow_and_xml_download(web_client):
    bad = dc.to_dict(dc.sample())
    bad["lines"][0]["gcode"] = "6109"
    r = web_client.post("/customs/declarations", data={"csrf_token": web_client.csrf, "input": json.dumps(bad)})
    assert r.status_code == 422 and "lines[0].gcode" in r.text
    r = web_client.post("/customs/declarations", data={"csrf_token": web_client.csrf,
                                                       "input": json.dumps(dc.to_dict(dc.sample()))}, follow_redirects=False)
    assert r.status_code == 303
    page = web_client.get(r.headers["location"])
    assert page.status_code == 200 and "CEB603" in page.text
    link = re.search(r'href="(/customs/declarations/\d+/CEB603\.xml)"', page.text).group(1)
    xml = web_client.get(link)
    assert xml.status_code == 200 and b"tradeMode" in xml.content


def test_documents_form_and_download(web_client):
    r = web_client.post("/customs/documents", data={"csrf_token": web_client.csrf,
                                                    "input": json.dumps(docs.sample_input(), ensure_ascii=False)},
                        follow_redirects=True)
    assert r.status_code == 200 and "INV-2026-0001" in r.text
    link = re.search(r'href="(/customs/documents/\d+/packing\.xlsx)"', r.text).group(1)
    assert web_client.get(link).content[:2] == b"PK"


def test_openapi_documents_the_customs_api(client):
    spec = client.get("/api/openapi.json").json()
    paths = spec["paths"]
    assert "/api/v1/customs/landed-cost" in paths
    body = paths["/api/v1/customs/landed-cost"]["post"]["requestBody"]["content"]["application/json"]
    assert body["example"]["destination"] == "DE"


def test_extra_duty_rows_from_the_rules_page(web_client, other_web_client):
    csv_text = ("programme,destination,origin,hs_prefix,rate,valid_from,valid_to,source,note\n"
                "Section 301,US,CN,61091000,0,2020-01-01,,exclusion 2026-01,granted\n")
    r = web_client.post("/customs/rules/extra-duties", data={"csrf_token": web_client.csrf, "csv": csv_text},
                        headers={"Accept-Language": "en"})
    assert r.status_code == 200 and "exclusion 2026-01" in r.text
    bad = web_client.post("/customs/rules/extra-duties", data={"csrf_token": web_client.csrf,
                                                               "csv": csv_text.replace(",0,", ",abc,")},
                          headers={"Accept-Language": "en"})
    assert bad.status_code == 422 and "rate" in bad.text
    row_id = int(re.search(r"/customs/rules/extra-duties/(\d+)/delete", r.text).group(1))
    denied = other_web_client.post(f"/customs/rules/extra-duties/{row_id}/delete", data={"csrf_token": other_web_client.csrf})
    assert denied.status_code == 404
    gone = web_client.post(f"/customs/rules/extra-duties/{row_id}/delete", data={"csrf_token": web_client.csrf})
    assert gone.status_code == 200 and "exclusion 2026-01" not in gone.text


def test_ceb701_download_api_and_page(api_client, other_api_client, web_client):
    import io
    import zipfile

    assert api_client.get("/api/v1/customs/declarations/summary/ceb701?month=2026-11").status_code == 422
    for d in (dc.sample(invt_no="N1"), dc.sample(order_no="SO3", logistics_no="LP3", destination="GB", invt_no="N3")):
        assert api_client.post("/api/v1/customs/declarations", json=dc.to_dict(d)).status_code == 201
    one = api_client.get("/api/v1/customs/declarations/summary/ceb701?month=2026-11&group=1")
    assert one.status_code == 200 and one.headers["content-type"].startswith("application/xml")
    assert "CEB701_2026-11_group1_US" in one.headers["content-disposition"] and b"<ceb:CEB701Message" in one.content
    both = api_client.get("/api/v1/customs/declarations/summary/ceb701?month=2026-11")
    assert both.status_code == 200 and both.headers["content-type"] == "application/zip"
    assert len(zipfile.ZipFile(io.BytesIO(both.content)).namelist()) == 2
    assert other_api_client.get("/api/v1/customs/declarations/summary/ceb701?month=2026-11").status_code == 422
    # the pages: links on the summary and declarations pages, and the download itself
    page = web_client.get("/customs/declarations/summary?month=2026-11")
    assert page.status_code == 200 and "/customs/declarations/summary/ceb701?month=2026-11&amp;group=2" in page.text
    assert "/customs/declarations/summary/ceb701?month=" in web_client.get("/customs/declarations").text
    r = web_client.get("/customs/declarations/summary/ceb701?month=2026-11&group=2")
    assert r.status_code == 200 and b"<ceb:invtNo>N3</ceb:invtNo>" in r.content
    bad = web_client.get("/customs/declarations/summary/ceb701?month=2026-11&group=9")
    assert bad.status_code == 422 and "group" in bad.text


def test_explanation_and_rule_titles_in_the_page_language(web_client, api_client):
    form = {"csrf_token": web_client.csrf, "destination": "DE", "date": "2026-11-24", "currency": "CNY",
            "incoterm": "DAP", "channel": "own_store", "shipping": "40.00", "insurance": "0",
            "lines-0-hs_code": "610910", "lines-0-description": "T-shirt", "lines-0-origin": "CN",
            "lines-0-quantity": "1", "lines-0-unit_value": "2000.00", "lines-0-weight_kg": "0.2",
            "lines-0-duty_rate": "0.12"}
    web_client.cookies.set("lang", "zh_CN")
    zh = web_client.post("/customs/landed-cost", data=form)
    assert zh.status_code == 200, zh.text
    table = zh.text[zh.text.index('id="explanation"'):]
    assert "内在价值" in table and "一般进口（入境时征收关税和增值税）" in table
    assert "关税 12%，按 CIF 价格" in table and "本行给出的关税税率 12%" in table
    assert "贸易术语 DAP：入境税费由买家在收货时支付" in table
    assert "Intrinsic value" not in table and "given with the line" not in table
    # the labels around citations too; the cited acts stay as they are
    assert "ECB 参考汇率" in table and "用户输入（lines[].duty_rate）" in table and "reference rates" not in table
    # numbers, amounts and codes unchanged: the EUR amount of the charge is shown in both languages
    amounts = re.findall(r"\[(\d+\.\d\d EUR)\]", table)
    assert amounts
    web_client.cookies.set("lang", "en")
    en = web_client.post("/customs/landed-cost", data=form, headers={"Accept-Language": "en"})
    table_en = en.text[en.text.index('id="explanation"'):]
    assert "Intrinsic value" in table_en and "duty rate 12% given with the line" in table_en
    assert "Incoterm DAP: border charges are paid by the buyer on delivery" in table_en
    assert "ECB reference rates" in table_en and "user input (lines[].duty_rate)" in table_en
    assert "内在价值" not in table_en
    assert re.findall(r"\[(\d+\.\d\d EUR)\]", table_en) == amounts

    web_client.cookies.set("lang", "zh_CN")
    rules_zh = web_client.get("/customs/rules?country=GB&on=2026-11-24")
    assert "不超过 135 英镑的货物：在销售环节征收增值税，不征关税" in rules_zh.text
    web_client.cookies.set("lang", "en")
    rules_en = web_client.get("/customs/rules?country=GB&on=2026-11-24", headers={"Accept-Language": "en"})
    assert "Consignments up to GBP 135: VAT at the point of sale, no duty" in rules_en.text
    assert "不超过 135 英镑" not in rules_en.text

    # API: rule (English, the contract) with msgid, params and rule_zh beside it; rules with title_zh
    out = api_client.post("/api/v1/customs/landed-cost", json=CONTRACT_IN).json()
    first = out["explanation"][0]
    assert first["rule"] == "Intrinsic value 15.00 EUR ≤ EUR 150: low-value consignment"
    assert first["msgid"] == "Intrinsic value %(value)s ≤ EUR %(threshold)s: low-value consignment"
    assert first["params"] == {"value": "15.00 EUR", "threshold": "150"}
    assert first["rule_zh"] == "内在价值 15.00 EUR ≤ 150 欧元：低价值货物"
    rules = api_client.get("/api/v1/customs/rules?country=GB&date=2026-11-24").json()["rules"]
    low = next(r for r in rules if r["id"] == "GB.LOW_VALUE")
    assert low["title"] == "Consignments up to GBP 135: VAT at the point of sale, no duty"
    assert low["title_zh"] == "不超过 135 英镑的货物：在销售环节征收增值税，不征关税"

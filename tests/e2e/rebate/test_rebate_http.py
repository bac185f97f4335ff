"""API and pages of the rebate package (with the demo data)."""

from decimal import Decimal as D

from xborder.rebate import demo


def _demo(container, org_ids):
    from xborder.accounts.orm import Organisation
    from xborder.db import UnitOfWork

    with UnitOfWork(container.sessions) as uow:
        demo.build(uow.session, uow.session.get(Organisation, org_ids[0]))
        uow.commit()


def test_api_compute_contract(api_client):
    r = api_client.post("/api/v1/rebate/compute", json={
        "method": "exempt_credit_refund", "fob_cny": "200", "levy_rate": "0.13", "rebate_rate": "0.10",
        "domestic_output_vat": "13", "input_vat": "26", "opening_credit": "0"})
    assert r.status_code == 200
    assert r.json()["refund"] == "7.00" and r.json()["exempt_credit"] == "13.00"
    bad = api_client.post("/api/v1/rebate/compute", json={"method": "exempt_refund", "invoice_net": "1",
                                                           "invoice_rate": "3", "rebate_rate": "0.13"})
    assert bad.status_code == 422 and bad.json()["field"] == "invoice_rate"


def test_api_documents_periods_deadlines(api_client, container, org_ids, other_api_client):
    _demo(container, org_ids)
    periods = api_client.get("/api/v1/rebate/periods").json()
    assert {"period": "2026-09", "regime": "production", "has_vat_return": True} in periods
    p = api_client.get("/api/v1/rebate/periods/2026-09/production").json()
    assert p["result"]["refund"] == "60000.00" and p["result"]["computed_end_credit"] == "67770.00"
    t = api_client.get("/api/v1/rebate/periods/2026-10/trading").json()
    assert D(t["refund"]) == D("19630.00")
    m = api_client.get("/api/v1/rebate/match", params={"today": "2026-11-24"}).json()
    assert m["summary"]["ready"] == 3
    dl = api_client.get("/api/v1/rebate/deadlines", params={"today": "2027-04-15"}).json()
    assert any(d["state"] == "due_soon" for d in dl["deadlines"])
    r = api_client.get("/api/v1/rebate/rates/8541430000", params={"on": "2026-04-01"})
    assert r.json()["rebate_rate"] == "0"
    assert api_client.get("/api/v1/rebate/rates/1111111111").status_code == 422
    wb = api_client.get("/api/v1/rebate/periods/2026-10/trading/workbook")
    assert wb.status_code == 200 and wb.content[:2] == b"PK"
    # another organisation sees none of it
    assert other_api_client.get("/api/v1/rebate/periods").json() == []
    assert other_api_client.get("/api/v1/rebate/declarations").json() == []


def test_api_put_period_and_rows(api_client):
    r = api_client.post("/api/v1/rebate/receipts", json=[{"reference": "R9", "received": "2026-10-01",
                                                          "amount": "10", "currency": "USD"}])
    assert r.json() == {"imported": 1, "skipped_duplicates": 0}
    bad = api_client.post("/api/v1/rebate/receipts", json=[{"reference": "R9", "received": "2026-10-01",
                                                            "amount": "-10", "currency": "USD"}])
    assert bad.status_code == 422 and bad.json()["field"] == "amount"
    r = api_client.put("/api/v1/rebate/periods/2026-09/production",
                       json={"domestic_output_vat": "13", "input_vat": "26", "declared_end_credit": "7"})
    assert r.status_code == 200 and r.json()["declared_end_credit"] == "7.00"


def test_pages_render_in_both_languages(web_client, container, org_ids):
    _demo(container, org_ids)
    for url in ("/rebate", "/rebate/periods/2026-09/production", "/rebate/periods/2026-10/trading",
                "/rebate/documents", "/rebate/match", "/rebate/deadlines", "/rebate/rates", "/rebate/compute"):
        assert web_client.get(url, headers={"Accept-Language": "zh-CN"}).status_code == 200, url
        assert web_client.get(url, headers={"Accept-Language": "en"}).status_code == 200, url
    page = web_client.get("/rebate/periods/2026-09/production").text
    assert "当期不得免征和抵扣税额" in page and "Non-creditable input VAT" in page
    assert "申报表期末留抵与计算值不一致" in page
    assert "随报关单录入的汇率" in page
    assert "60,000.00" in page and "67,770.00" in page
    wb = web_client.get("/rebate/periods/2026-10/trading/workbook.xlsx")
    assert wb.status_code == 200 and wb.content[:2] == b"PK"
    match = web_client.get("/rebate/match").text
    assert "531620260000101002" in match and "发票数量与报关数量不符" in match
    assert "未收汇或收汇不足" in web_client.get("/rebate").text


def test_forms_enter_documents_and_figures(web_client):
    c = web_client.csrf
    r = web_client.post("/rebate/declarations", data={
        "csrf_token": c, "number": "531620261000000009", "export_date": "2026-10-08", "currency": "USD",
        "hs_code": "3924100000", "goods": "bowl", "unit": "kg", "qty": "10", "fob": "100", "fx_rate": "7.1",
        "regime": "production"})
    assert r.status_code == 200 and "531620261000000009" in r.text
    r = web_client.post("/rebate/declared", data={"csrf_token": c, "number": "531620261000000009",
                                                  "declared_on": "2026-11-02", "filed_on": "2026-11-05"})
    assert r.status_code == 200 and 'value="2026-11-02"' in r.text and 'value="2026-11-05"' in r.text
    r = web_client.post("/rebate/declarations", data={"csrf_token": c, "number": "12", "export_date": "2026-10-08"})
    assert "number:" in r.text  # the error names the field
    r = web_client.post("/rebate/periods/2026-10/production", data={
        "csrf_token": c, "domestic_output_vat": "13", "input_vat": "26", "declared_end_credit": "7"})
    assert r.status_code == 200
    assert "3924100000 is not in the rebate-rate library" in r.text
    r = web_client.post("/rebate/periods/2026-10/production", data={"csrf_token": c, "input_vat": "-3"})
    assert "input_vat" in r.text
    r = web_client.post("/rebate/compute", data={"csrf_token": c, "method": "exempt_refund", "invoice_net": "20",
                                                 "invoice_rate": "0.17", "rebate_rate": "0.13"})
    assert r.status_code == 200 and "2.60" in r.text
    assert web_client.post("/rebate/declarations", data={"number": "x"}).status_code == 403  # no CSRF token


def test_import_upload_rejects_bad_file(web_client):
    bad = "number,issued,seller,goods,unit,qty,net,vat,rate\n1234,2026-01-01,s,g,kg,1,100,50,0.13\n"
    r = web_client.post("/rebate/import", data={"csrf_token": web_client.csrf, "kind": "invoices"},
                        files={"file": ("inv.csv", bad.encode(), "text/csv")})
    assert r.status_code == 422
    assert "number:" in r.text
    assert "Purchase VAT invoices" not in r.text or "None yet" in web_client.get("/rebate/documents").text


def test_dashboard_widgets(container, org_ids, principal, uow):
    from xborder.rebate.dashboard import widgets

    assert widgets(uow.session, principal) == []
    _demo(container, org_ids)
    uow.session.expire_all()
    ws = widgets(uow.session, principal)
    assert any(w["title"] == "Export VAT refund" for w in ws)
    assert any(w["title"] == "Declarations not ready for the refund" for w in ws)


def test_api_period_refuses_float_and_unknown_figure(api_client):
    r = api_client.put("/api/v1/rebate/periods/2026-09/production", json={"input_vat": 26.5})
    assert r.status_code == 422 and r.json()["field"] == "input_vat"
    r = api_client.put("/api/v1/rebate/periods/2026-09/production", json={"output": "1"})
    assert r.status_code == 422 and r.json()["field"] == "output"
    r = api_client.put("/api/v1/rebate/periods/2026-13/production", json={})
    assert r.status_code == 422 and r.json()["field"] == "period"


def test_workbench_settings_and_dbf_upload(web_client, container, org_ids):
    from xborder.rebate.dbf import write_dbf

    c = web_client.csrf
    web_client.headers["Accept-Language"] = "en"
    r = web_client.post("/rebate/settings", data={"csrf_token": c, "enterprise_type": "trading",
                                                  "exporter_name": "Acme Export", "fx_year": "2026",
                                                  "fx_rule": "export_date"})
    assert r.status_code == 200 and "cannot be changed within the year" in r.text
    dbf = write_dbf([("CODE", "C", 12, 0), ("ST_DATE", "C", 8, 0), ("END_DATE", "C", 8, 0), ("TSL", "N", 5, 2),
                     ("ZSSL_SET", "C", 6, 0)],
                    [{"CODE": "3924100000", "ST_DATE": "20250101", "END_DATE": "20991231", "TSL": "13",
                      "ZSSL_SET": "13"}])
    r = web_client.post("/rebate/import", data={"csrf_token": c, "kind": "rates"},
                        files={"file": ("cmcode.DBF", dbf, "application/octet-stream")})
    assert r.status_code == 200
    assert "13%" in web_client.get("/rebate/rates", params={"code": "3924100000", "on": "2026-10-08"}).text
    assert "no default rate" in web_client.get("/rebate/rates", params={"code": "3924109999"}).text
    _demo(container, org_ids)
    r = web_client.post("/rebate/match/allocate", data={"csrf_token": c, "declaration": "531620260000101002",
                                                        "invoice": "26442000000000001102", "line_no": "1",
                                                        "qty": "999"})
    assert "more than the invoice quantity" in r.text
    r = web_client.post("/rebate/match/allocate", data={"csrf_token": c, "declaration": "531620260000101003",
                                                        "receipt": "WF20261030-0002", "amount": "10"})
    assert "differs from the declaration" in r.text  # USD receipt, EUR declaration
    r = web_client.post("/rebate/match/run", data={"csrf_token": c})
    assert r.status_code == 200 and "3/5" in r.text
    r = web_client.post("/rebate/periods", data={"csrf_token": c, "period": "2026-11", "regime": "trading"})
    assert r.status_code == 200 and "2026-11" in r.text

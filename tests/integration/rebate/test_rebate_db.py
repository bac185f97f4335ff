"""Rebate services on the database: imports (whole-file validation, idempotent), matching,
periods, deadlines, the workbook, the demo, organisation isolation."""

from datetime import date
from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import load_workbook

from xborder.errors import ImportRejected, PermissionDenied
from xborder.rebate import demo, service
from xborder.rebate.dbf import write_dbf
from xborder.rebate.importers import import_file
from xborder.rebate.workbook import build_workbook

TODAY = date(2026, 11, 24)

DECL_CSV = """报关单号,出口日期,贸易方式,币制,境外收货人,项号,商品编码,商品名称,法定单位,法定数量,离岸价,汇率
531620261000000001,2026-10-08,0110,USD,ACME Inc,1,3924100000,塑料收纳盒,千克,500,1000,7.1000
531620261000000001,2026-10-08,0110,USD,ACME Inc,2,6307900090,帆布袋,千克,100,500,7.1000
"""
INV_CSV = """发票号码,开票日期,销售方,货物名称,单位,数量,金额,税额,税率
26440000000000000001,2026-09-30,某塑料厂,*塑料制品*塑料收纳盒,千克,500,5000,650,13%
26440000000000000002,2026-09-30,某纺织厂,*纺织产品*帆布袋,千克,60,1200,156,13%
"""
REC_CSV = """reference,received,amount,currency,payer,account,receiver
R-1,2026-10-20,1500,USD,ACME Inc,NRA001,
"""
CMCODE = [("CODE", "C", 16, 0), ("ST_DATE", "C", 8, 0), ("END_DATE", "C", 8, 0), ("NAME", "C", 40, 0),
          ("ZSSL_SET", "C", 10, 0), ("TSL", "N", 6, 2), ("TSFLAG", "C", 1, 0)]
RATES = [{"CODE": "3924100000", "ST_DATE": "20250101", "END_DATE": "20991231", "NAME": "塑料制品", "ZSSL_SET": "13",
          "TSL": "13"},
         {"CODE": "6307900090", "ST_DATE": "20250101", "END_DATE": "20991231", "NAME": "纺织制品", "ZSSL_SET": "13",
          "TSL": "9"}]


def load_all(s, principal):
    import_file(s, principal, "rates", write_dbf(CMCODE, RATES), "cmcode.DBF")
    import_file(s, principal, "declarations", DECL_CSV.encode("gb18030"), "decl.csv")
    import_file(s, principal, "invoices", INV_CSV.encode("utf-8-sig"), "inv.csv")
    import_file(s, principal, "receipts", REC_CSV.encode(), "rec.csv")


def test_imports_are_idempotent(uow, principal):
    s = uow.session
    load_all(s, principal)
    r = import_file(s, principal, "declarations", DECL_CSV.encode("gb18030"), "decl.csv")
    assert (r.imported, r.skipped_duplicates) == (0, 2)
    r = import_file(s, principal, "rates", write_dbf(CMCODE, RATES), "cmcode.DBF")
    assert (r.imported, r.skipped_duplicates) == (0, 2)
    r = import_file(s, principal, "invoices", INV_CSV.encode("utf-8-sig"), "inv.csv")
    assert r.imported == 0
    assert len(service.declarations(s, principal.org_id)) == 1
    assert service.rate_count(s, principal.org_id) == 2


def test_bad_file_writes_nothing_and_lists_every_line(uow, principal):
    s = uow.session
    bad = DECL_CSV.replace("3924100000", "39241").replace(",500,1000,", ",-5,1000,")
    bad += "531620261000000002,2026-13-01,0110,USD,ACME,1,3924100000,盒,千克,1,1,\n"
    with pytest.raises(ImportRejected) as e:
        import_file(s, principal, "declarations", bad.encode(), "decl.csv")
    lines = {(x["line"], x["column"]) for x in e.value.errors}
    assert (2, "商品编码") in lines and (4, "出口日期") in lines
    assert service.declarations(s, principal.org_id) == []


def test_match_period_and_workbook(uow, principal):
    s = uow.session
    load_all(s, principal)
    service.save_profile(s, principal, enterprise_type="trading")
    m = service.match_documents(s, principal.org_id, TODAY, persist_for=principal)
    st = m.declarations[0]
    assert st.status == "quantity_mismatch"  # 60 of 100 kg invoiced on line 2
    assert st.fx_received == D("1500")
    rep = service.period_report(s, principal.org_id, "2026-10", "trading", TODAY, matched=m)
    # 5000 × 13% + 1200 × min(13%, 9%) = 650 + 108
    assert rep.refund == D("758")
    assert rep.lines[0].conversion.source == "rate entered with the declaration"
    data = build_workbook(rep, org_name="t")
    wb = load_workbook(BytesIO(data))
    assert wb.sheetnames == ["明细 Detail", "汇总 Summary", "归档 Documents"]
    detail = list(wb["明细 Detail"].iter_rows(values_only=True))
    assert len(detail) == 3 and detail[1][0] == "531620261000000001"
    assert "26440000000000000001" in detail[1][16]


def test_production_period_with_declared_credit(uow, principal):
    s = uow.session
    load_all(s, principal)
    s.execute(__import__("sqlalchemy").update(service.RebateDeclaration).values(regime="production"))
    service.save_period(s, principal, "2026-10", "production", domestic_output_vat="100", input_vat="900",
                        declared_end_credit="500")
    rep = service.period_report(s, principal.org_id, "2026-10", "production", TODAY)
    # FOB CNY: 1000 × 7.1 = 7100 (13/13), 500 × 7.1 = 3550 (13/9) → non-creditable 3550 × 4% = 142
    assert rep.result.non_creditable == D("142")
    assert rep.result.computed_end_credit == D("658")  # 900 − 142 − 100
    assert rep.result.end_credit == D("500") and rep.result.end_credit_differs
    assert rep.result.ceiling == D("1242.5")  # 7100 × 13% + 3550 × 9%
    assert rep.result.refund == D("500")


def test_deadlines_and_isolation(uow, principal, other_principal):
    s = uow.session
    load_all(s, principal)
    dls = service.deadlines(s, principal.org_id, TODAY)
    assert {d.key for d in dls} >= {"declare", "fx", "keep"}
    assert service.declarations(s, other_principal.org_id) == []
    assert service.deadlines(s, other_principal.org_id, TODAY) == []


def test_fx_rule_fixed_for_the_year(uow, principal):
    s = uow.session
    service.set_fx_rule(s, principal, 2026, "export_date")
    service.set_fx_rule(s, principal, 2026, "export_date")
    with pytest.raises(Exception) as e:
        service.set_fx_rule(s, principal, 2026, "month_first")
    assert "cannot be changed" in str(e.value)


def test_demo_builds_both_periods(uow, principal):
    s = uow.session
    from xborder.accounts.orm import Organisation

    org = s.get(Organisation, principal.org_id)
    demo.build(s, org)
    demo.build(s, org)  # idempotent
    prod = service.period_report(s, principal.org_id, "2026-09", "production", TODAY)
    assert prod.result.refund == D("60000") and prod.result.end_credit_differs
    trade = service.period_report(s, principal.org_id, "2026-10", "trading", TODAY)
    assert trade.refund == D("19630")
    statuses = {st.declaration.number: st.status for st in service.match_documents(s, principal.org_id, TODAY).declarations}
    assert sorted(statuses.values()) == ["fx_missing", "quantity_mismatch", "ready", "ready", "ready"]


def test_overdue_declaration_shows_deemed_domestic_vat(uow, principal):
    s = uow.session
    from xborder.accounts.orm import Organisation

    demo.build(s, s.get(Organisation, principal.org_id))
    rep = service.period_report(s, principal.org_id, "2026-10", "trading", date(2027, 5, 10))
    line = next(ln for ln in rep.lines if ln.declaration == "531620260000101003")  # FX never received
    assert line.regime == "exempt"  # special invoice held, FX missing: exemption only
    late = next(ln for ln in rep.lines if ln.declaration == "531620260000101002" and ln.line_no == 1)
    assert late.regime == "deemed_domestic"
    # 400 kg line: FOB 5200 USD × 7.09 = 36868 CNY, tax-inclusive at 13%
    assert late.deemed_output_vat == D("36868") / D("1.13") * D("0.13")
    ok = next(ln for ln in rep.lines if ln.declaration == "531620260000101001")
    assert ok.regime == "refund" and ok.deemed_output_vat is None


def test_xlsx_declarations_with_second_unit(uow, principal):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["报关单号", "出口日期", "币制", "项号", "商品编码", "商品名称", "法定第一单位", "法定第一数量",
               "法定第二单位", "法定第二数量", "离岸价", "汇率"])
    ws.append(["531620261000000077", date(2026, 10, 8), "USD", 1, "6402999000", "运动鞋", "千克", 300, "双", 600,
               1000.5, "7.1"])
    buf = BytesIO()
    wb.save(buf)
    s = uow.session
    r = import_file(s, principal, "declarations", buf.getvalue(), "decl.xlsx")
    assert r.imported == 1
    ln = service.declarations(s, principal.org_id)[0].lines[0]
    assert (ln.unit2, ln.qty2, ln.fob) == ("双", D("600"), D("1000.5"))
    assert import_file(s, principal, "declarations", buf.getvalue(), "decl.xlsx").imported == 0


def test_demo_hook_signature_and_viewer_cannot_write(uow, principal):
    from xborder.accounts.model import Role
    from xborder.accounts.service import Principal

    msg = demo.build(uow.session, principal, shared_data=None, seed=7)
    assert "2026-09 (production)" in msg and "2026-10 (trading)" in msg
    viewer = Principal(user_id=principal.user_id, org_id=principal.org_id, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        service.save_period(uow.session, viewer, "2026-11", "trading")
    with pytest.raises(PermissionDenied):
        import_file(uow.session, viewer, "receipts", REC_CSV.encode(), "rec.csv")


def test_stored_central_parity_used_when_no_rate_entered(uow, principal, monkeypatch):
    s = uow.session
    load_all(s, principal)
    decl = service.declarations(s, principal.org_id)[0]
    decl.fx_rate = None
    s.flush()
    with pytest.raises(Exception) as e:
        service.convert_fob(s, principal.org_id, decl, D("100"))
    assert getattr(e.value, "field", None) == "fx_rate"
    stored = {date(2026, 10, 8): D("7.0950"), date(2026, 10, 9): D("7.0900")}  # 1–7 October: 国庆, no fixing

    def fake(_s, _org):
        return lambda cur, on: (stored[on], on, "PBOC central parity (stored rates)") if on in stored else None

    monkeypatch.setattr(service, "_stored_fx_lookup", fake)
    c = service.convert_fob(s, principal.org_id, decl, D("100"))  # default rule: first working day of the month
    assert (c.rate, c.rate_date, c.source) == (D("7.0950"), date(2026, 10, 8), "PBOC central parity (stored rates)")
    service.set_fx_rule(s, principal, 2026, "export_date")
    c = service.convert_fob(s, principal.org_id, decl, D("100"))
    assert c.rate_date == date(2026, 10, 8) and c.cny == D("709.5")


def test_rates_file_type_detected_without_extension(uow, principal):
    s = uow.session
    r = import_file(s, principal, "rates", write_dbf(CMCODE, RATES), "upload")
    assert r.imported == 2
    csv_text = "code,valid_from,valid_to,rebate_rate\n8479899990,2025-01-01,,0.13\n"
    assert import_file(s, principal, "rates", csv_text.encode(), "upload").imported == 1
    with pytest.raises(ImportRejected) as e:
        import_file(s, principal, "rates", b"code,valid_from,rebate_rate\n8479899990,2025-01-01,13.5\n", "r.csv")
    assert e.value.errors[0]["line"] == 2 and e.value.errors[0]["column"] == "rebate_rate"

"""Matching declarations, invoices and receipts; deadlines; FOB conversion."""

from datetime import date
from decimal import Decimal as D

import pytest

from xborder.rebate.deadlines import add_months, declaration_deadlines
from xborder.rebate.errors import RebateRateMissing
from xborder.rebate.fob import fob_to_cny
from xborder.rebate.matching import (
    Declaration,
    DeclarationLine,
    Invoice,
    ManualInvoiceAllocation,
    Receipt,
    match,
    unit_factor,
)

TODAY = date(2026, 11, 24)


def decl(no="D1", qty="500", unit="个", goods="塑料收纳盒", fob="1000", export=date(2026, 10, 8), **kw):
    return Declaration(no, export, "USD", D(fob), (DeclarationLine(1, "3924100000", goods, unit, D(qty), D(fob)),),
                       **kw)


def inv(no="I1", qty="500", unit="个", goods="*塑料制品*塑料收纳盒", net="5000", kind="special", issued=date(2026, 9, 1)):
    return Invoice(no, issued, "某塑料厂", goods, unit, D(qty), D(net), D(net) * D("0.13"), D("0.13"), kind)


def rec(ref="R1", amount="1000", currency="USD", receiver="", received=date(2026, 10, 20)):
    return Receipt(ref, received, D(amount), currency, "ACME Inc", "6222", receiver)


def test_ready_when_everything_matches():
    r = match([decl()], [inv()], [rec()], today=TODAY)
    st = r.declarations[0]
    assert st.status == "ready" and st.problems == []
    assert st.fx_received == D("1000")
    assert r.invoice_remaining["I1"] == 0


def test_partial_allocation_splits_invoice_across_declarations():
    d1, d2 = decl("D1", qty="300", fob="600"), decl("D2", qty="200", fob="400", export=date(2026, 10, 9))
    r = match([d1, d2], [inv(qty="500", net="5000")], [rec(amount="1000")], today=TODAY)
    s = r.by_number()
    assert s["D1"].status == "ready" and s["D2"].status == "ready"
    nets = sorted(a.net for a in r.invoice_allocations)
    assert nets == [D("2000"), D("3000")]
    assert sum(a.amount for a in r.receipt_allocations) == D("1000")


def test_invoice_never_used_twice():
    r = match([decl("D1"), decl("D2", export=date(2026, 10, 9))], [inv(qty="500")], [rec(amount="2000")], today=TODAY)
    s = r.by_number()
    assert s["D1"].status == "ready"
    assert s["D2"].status == "missing_invoice"


def test_quantity_mismatch_when_partly_covered():
    r = match([decl(qty="500")], [inv(qty="400", net="4000")], [rec()], today=TODAY)
    st = r.declarations[0]
    assert st.status == "quantity_mismatch"
    assert st.lines[0].covered == D("400")


def test_unit_mismatch_and_conversion():
    r = match([decl(unit="千克", qty="1000")], [inv(unit="个", qty="1000")], [rec()], today=TODAY)
    assert r.declarations[0].status == "unit_mismatch"
    r = match([decl(unit="千克", qty="1000")], [inv(unit="吨", qty="1")], [rec()], today=TODAY)
    assert r.declarations[0].status == "ready"
    assert r.invoice_allocations[0].line_qty == D("1000")
    assert unit_factor("KG", "公斤") == 1


def test_ordinary_invoice_does_not_cover():
    r = match([decl()], [inv(kind="ordinary")], [rec()], today=TODAY)
    st = r.declarations[0]
    assert st.status == "missing_invoice" and "ordinary_invoice" in st.warnings


def test_fx_missing_and_explained_difference():
    r = match([decl()], [inv()], [rec(amount="950")], today=TODAY)
    assert r.declarations[0].status == "fx_missing"
    r = match([decl(fx_note="Amazon fees netted (汇发〔2020〕11号)")], [inv()], [rec(amount="950")], today=TODAY)
    assert r.declarations[0].status == "ready" and "fx_difference" in r.declarations[0].warnings
    r = match([decl()], [inv()], [rec(currency="EUR")], today=TODAY)
    assert r.declarations[0].status == "fx_missing"


def test_production_enterprise_needs_no_invoice():
    r = match([decl()], [], [rec()], today=TODAY, require_invoices=False)
    assert r.declarations[0].status == "ready"


def test_deadline_at_risk_overrides_when_not_ready():
    d = decl(export=date(2025, 6, 1))
    r = match([d], [], [rec()], today=date(2026, 4, 15))
    st = r.declarations[0]
    assert st.status == "deadline_at_risk" and "missing_invoice" in st.problems


def test_third_party_receipt_flag():
    r = match([decl()], [inv()], [rec(receiver="张三")], today=TODAY, exporter_name="深圳某某贸易有限公司")
    assert "third_party_receipt" in r.declarations[0].warnings


def test_manual_allocation_first():
    d1, d2 = decl("D1"), decl("D2", export=date(2026, 10, 9))
    r = match([d1, d2], [inv(qty="500")], [rec(amount="2000")], today=TODAY,
              manual_invoices=[ManualInvoiceAllocation("I1", "D2", 1, D("500"))])
    s = r.by_number()
    assert s["D2"].status == "ready" and s["D1"].status == "missing_invoice"
    assert r.invoice_allocations[0].manual


def test_deadlines_by_rule():
    ds = {d.key: d for d in declaration_deadlines("D", date(2026, 3, 10), today=date(2026, 5, 1),
                                                  declared_on=date(2026, 4, 20), fx_received=True)}
    assert ds["declare"].due == date(2027, 4, 30) and ds["declare"].state == "done"
    assert ds["fx"].state == "done"
    assert ds["filing"].due == date(2026, 5, 5) and ds["filing"].state == "due_soon"
    assert ds["keep"].due == date(2036, 4, 20)  # 10 years (2026年第5号 第四十五条)
    old = {d.key: d for d in declaration_deadlines("D", date(2025, 3, 10), today=date(2025, 5, 1),
                                                   declared_on=date(2025, 4, 20))}
    assert old["keep"].due == date(2030, 4, 20)  # 5 years under 2012年第24号


def test_fx_deadline_contract_date_capped_at_36_months():
    ds = {d.key: d for d in declaration_deadlines("D", date(2026, 3, 10), today=date(2026, 5, 1),
                                                  contract_fx_date=date(2031, 1, 1))}
    assert ds["fx"].due == date(2029, 3, 10)
    ds = {d.key: d for d in declaration_deadlines("D", date(2026, 3, 10), today=date(2026, 5, 1),
                                                  contract_fx_date=date(2027, 12, 31))}
    assert ds["fx"].due == date(2027, 12, 31)
    over = {d.key: d for d in declaration_deadlines("D", date(2024, 3, 10), today=date(2025, 5, 1))}
    assert over["fx"].state == "overdue" and "returned" in over["fx"].note
    assert over["declare"].state == "overdue" and "2020年第2号" in over["declare"].note
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_fob_conversion_rules_and_missing_rate():
    rates = {date(2026, 10, 8): D("7.1000"), date(2026, 10, 20): D("7.1200")}

    def look(cur, d):
        return (rates[d], d, "PBOC central parity (test)") if d in rates else None

    c = fob_to_cny(D("100"), "USD", date(2026, 10, 20), "month_first", look)
    assert c.rate_date == date(2026, 10, 8) and c.cny == D("710.0000")  # first published day after 国庆
    assert "PBOC" in c.explain()
    assert fob_to_cny(D("100"), "USD", date(2026, 10, 20), "export_date", look).cny == D("712.0000")
    with pytest.raises(RebateRateMissing) as e:
        fob_to_cny(D("100"), "USD", date(2026, 10, 21), "export_date", look)
    assert e.value.field == "fx_rate"
    assert fob_to_cny(D("100"), "CNY", date(2026, 10, 21), "export_date", look).cny == D("100")


def test_invoice_in_the_second_legal_unit():
    # shoes: legal units 千克 (first) and 双 (second); the factory invoices pairs
    d = Declaration("D1", date(2026, 10, 8), "USD", D("1000"),
                    (DeclarationLine(1, "6402999000", "运动鞋", "千克", D("300"), D("1000"), "双", D("600")),))
    r = match([d], [inv(goods="*鞋*运动鞋", unit="双", qty="600", net="6000")], [rec()], today=TODAY)
    assert r.declarations[0].status == "ready"
    assert r.invoice_allocations[0].line_qty == D("300")
    r = match([d], [inv(goods="*鞋*运动鞋", unit="双", qty="400", net="4000")], [rec()], today=TODAY)
    assert r.declarations[0].status == "quantity_mismatch"

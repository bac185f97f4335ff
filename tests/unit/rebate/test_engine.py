"""Refund engine: every rule, with the worked examples E1, E2, F1 of ../shared/research/rebate_fx.md §1.7."""

from datetime import date
from decimal import Decimal as D

import pytest

from xborder.errors import ValidationError
from xborder.rebate.engine import (
    ExemptCreditRefundInput,
    ExportLine,
    compute_contract,
    deemed_domestic,
    deemed_profit_income_tax,
    exempt_credit_refund,
    no_invoice_exemption,
)
from xborder.rebate.errors import RuleNotInForce

TODAY = date(2026, 11, 24)
ECR_KEYS = ["non_creditable_offset", "non_creditable", "payable", "end_credit", "ceiling_offset", "ceiling",
            "refund", "exempt_credit", "carry_forward", "steps"]


def ecr(**kw):
    base = {"method": "exempt_credit_refund"}
    base.update(kw)
    return compute_contract(base, TODAY)


def test_e2_contract_numbers_and_exact_keys():
    out = ecr(fob_cny="200", levy_rate="0.13", rebate_rate="0.10", domestic_output_vat="13", input_vat="26",
              opening_credit="0")
    assert list(out) == ECR_KEYS
    assert out["non_creditable"] == "6.00"
    assert out["payable"] == "-7.00"
    assert out["ceiling"] == "20.00"
    assert out["refund"] == "7.00"
    assert out["exempt_credit"] == "13.00"
    assert out["carry_forward"] == "0.00"
    assert out["end_credit"] == "7.00"
    assert out["non_creditable_offset"] == "0.00" and out["ceiling_offset"] == "0.00"


def test_e1_ceiling_below_credit_carries_forward():
    # 8fe.cn: t 13%, r 11%, FOB 2000万, domestic sales 800万 (output VAT 104), input 598, no opening credit
    out = ecr(fob_cny="2000", levy_rate="0.13", rebate_rate="0.11", domestic_output_vat=str(D("800") * D("0.13")),
              input_vat="598", opening_credit="0")
    assert (out["non_creditable"], out["payable"], out["ceiling"], out["refund"]) == ("40.00", "-454.00", "220.00",
                                                                                      "220.00")
    assert out["exempt_credit"] == "0.00"
    assert out["carry_forward"] == "234.00"


def test_payable_period_gets_no_refund_and_exempt_credit_is_whole_ceiling():
    out = ecr(fob_cny="100", levy_rate="0.13", rebate_rate="0.13", domestic_output_vat="50", input_vat="20",
              opening_credit="5")
    assert out["payable"] == "25.00"
    assert out["refund"] == "0.00"
    assert out["end_credit"] == "0.00"
    assert out["exempt_credit"] == "13.00"
    assert out["carry_forward"] == "0.00"


def test_opening_credit_is_deducted():
    out = ecr(fob_cny="200", levy_rate="0.13", rebate_rate="0.10", domestic_output_vat="13", input_vat="26",
              opening_credit="3")
    assert out["payable"] == "-10.00"
    assert out["refund"] == "10.00" and out["exempt_credit"] == "10.00"


def test_tax_free_materials_offsets():
    out = ecr(fob_cny="200", levy_rate="0.13", rebate_rate="0.10", domestic_output_vat="13", input_vat="26",
              opening_credit="0", tax_free_materials="100")
    # offset = 100 × 0.03 = 3; non-creditable = 6 − 3 = 3; payable = 13 − (26 − 3) = −10
    assert out["non_creditable_offset"] == "3.00"
    assert out["non_creditable"] == "3.00"
    assert out["payable"] == "-10.00"
    # ceiling offset = 100 × 0.10 = 10; ceiling = 20 − 10 = 10; refund = 10
    assert out["ceiling_offset"] == "10.00" and out["ceiling"] == "10.00"
    assert out["refund"] == "10.00" and out["exempt_credit"] == "0.00" and out["carry_forward"] == "0.00"


def test_planned_distribution_rate_shihaofa():
    out = ecr(fob_cny="200", levy_rate="0.13", rebate_rate="0.10", domestic_output_vat="13", input_vat="26",
              opening_credit="0", planned_distribution_rate="0.5")
    assert out["non_creditable_offset"] == "3.00"
    assert out["ceiling_offset"] == "10.00"
    assert any(s["key"] == "materials" for s in out["steps"])


def test_2026_cap_on_offset_carries_excess():
    r = exempt_credit_refund(ExemptCreditRefundInput(
        on=date(2026, 3, 1), lines=(ExportLine(D("100"), D("0.13"), D("0.10"), tax_free_materials=D("150")),),
        domestic_output_vat=D("0"), input_vat=D("10")))
    # raw offset 150 × 0.03 = 4.5 > FOB × 0.03 = 3: capped at 3, 1.5 carried
    assert r.non_creditable_offset == D("3.00") and r.non_creditable == 0
    assert r.offset_carried_forward == D("1.50")
    assert any("capped" in w for w in r.warnings)
    assert "2026年第11号" in r.rule.source


def test_rule_by_date_cites_39_before_2026():
    r = exempt_credit_refund(ExemptCreditRefundInput(date(2025, 6, 1), (ExportLine(D("200"), D("0.13"), D("0.10")),),
                                                     D("13"), D("26")))
    assert all("39号" in s.source for s in r.steps if s.key == "refund")
    out = ecr(fob_cny="200", levy_rate="0.13", rebate_rate="0.10", domestic_output_vat="13", input_vat="26",
              opening_credit="0", period="2026-10")
    assert "2026年第11号" in out["steps"][-1]["source"]


def test_declared_end_credit_used_and_difference_warned():
    r = exempt_credit_refund(ExemptCreditRefundInput(date(2026, 10, 1), (ExportLine(D("200"), D("0.13"), D("0.10")),),
                                                     D("13"), D("26"), declared_end_credit=D("8")))
    assert r.computed_end_credit == D("7") and r.end_credit == D("8")
    assert r.end_credit_differs and r.refund == D("8") and r.exempt_credit == D("12")
    assert any("differs" in w for w in r.warnings)


def test_multiple_lines_sum_per_rate():
    r = exempt_credit_refund(ExemptCreditRefundInput(
        date(2026, 10, 1), (ExportLine(D("100"), D("0.13"), D("0.13")), ExportLine(D("100"), D("0.13"), D("0.09"))),
        D("0"), D("30")))
    assert r.non_creditable == D("4.00")  # 100 × 0 + 100 × 0.04
    assert r.ceiling == D("22.00")  # 13 + 9
    assert r.refund == D("22.00") and r.carry_forward == D("4.00")  # credit 26


def test_steps_are_explained_in_both_languages():
    out = ecr(fob_cny="200", levy_rate="0.13", rebate_rate="0.10", domestic_output_vat="13", input_vat="26",
              opening_credit="0")
    for s in out["steps"]:
        assert s["label_en"] and s["label_zh"] and s["formula"] and s["source"]
    assert {"不得免征", "应退"} <= {k for s in out["steps"] for k in ("不得免征", "应退") if k in s["label_zh"]}


def test_rounding_only_reported():
    out = ecr(fob_cny="333.333", levy_rate="0.13", rebate_rate="0.10", domestic_output_vat="0", input_vat="100",
              opening_credit="0")
    assert out["non_creditable"] == "10.00"  # 9.99999 rounds half-up only at the end
    assert out["ceiling"] == "33.33"


def test_f1_exempt_refund_trading():
    out = compute_contract({"method": "exempt_refund", "invoice_net": "20", "invoice_rate": "0.17",
                            "rebate_rate": "0.13"}, TODAY)
    assert list(out) == ["refund", "steps"]
    assert out["refund"] == "2.60"


def test_exempt_refund_gross_converted_and_lower_rate():
    out = compute_contract({"method": "exempt_refund", "invoice_gross": "103", "invoice_rate": "0.03",
                            "rebate_rate": "0.13"}, TODAY)
    assert out["refund"] == "3.00"  # 103 / 1.03 = 100 × min(3%, 13%)
    assert "孰低" in out["steps"][1]["label_zh"]


def test_deemed_domestic():
    out = compute_contract({"method": "deemed_domestic", "fob_cny": "226", "levy_rate": "0.13",
                            "bonded_materials": "113"}, TODAY)
    assert list(out) == ["output_vat", "steps"]
    assert out["output_vat"] == "13.00"
    assert deemed_domestic(date(2026, 1, 1), D("113"), D("0.13")).output_vat == D("13")


def test_no_invoice_exemption():
    r = no_invoice_exemption(date(2026, 1, 1), D("1000"), D("50"))
    assert r.output_vat == 0 and r.refund == 0 and r.input_vat_to_cost == D("50")
    assert "103号" in r.steps[0].source
    with pytest.raises(RuleNotInForce):
        no_invoice_exemption(date(2018, 9, 30), D("1"))


@pytest.mark.parametrize("year,revenue,taxable,tax", [
    (2026, "10000000", "400000.00", "20000.00"),      # 5% effective (2023年第12号)
    (2026, "70000000", "2800000.00", "140000.00"),    # still ≤ 3M: 5%
    (2026, "100000000", "4000000.00", "1000000.00"),  # above 3M: standard 25%
    (2020, "50000000", "2000000.00", "150000.00"),    # 1M × 5% + 1M × 10%
    (2021, "50000000", "2000000.00", "125000.00"),    # 1M × 2.5% + 1M × 10%
    (2022, "50000000", "2000000.00", "75000.00"),     # 1M × 2.5% + 1M × 5%
])
def test_deemed_profit_income_tax(year, revenue, taxable, tax):
    out = compute_contract({"method": "deemed_profit_income_tax", "revenue": revenue, "year": year}, TODAY)
    assert list(out) == ["taxable_income", "income_tax", "steps"]
    assert (out["taxable_income"], out["income_tax"]) == (taxable, tax)


def test_deemed_profit_without_relief_and_unknown_year():
    out = compute_contract({"method": "deemed_profit_income_tax", "revenue": "1000000", "year": 2026,
                            "small_low_profit": False}, TODAY)
    assert out["income_tax"] == "10000.00"
    with pytest.raises(ValidationError) as e:
        deemed_profit_income_tax(D("1"), 2030)
    assert e.value.field == "year"
    with pytest.raises(ValidationError) as e:
        compute_contract({"method": "deemed_profit_income_tax", "revenue": "1", "year": 2019}, TODAY)
    assert e.value.field == "year"


@pytest.mark.parametrize("data,field", [
    ({"method": "exempt_credit_refund", "levy_rate": "0.13", "rebate_rate": "0.1", "domestic_output_vat": "1",
      "input_vat": "1", "opening_credit": "0"}, "fob_cny"),
    ({"method": "exempt_credit_refund", "fob_cny": "1", "levy_rate": "1.3", "rebate_rate": "0.1",
      "domestic_output_vat": "1", "input_vat": "1", "opening_credit": "0"}, "levy_rate"),
    ({"method": "exempt_credit_refund", "fob_cny": "-1", "levy_rate": "0.13", "rebate_rate": "0.1",
      "domestic_output_vat": "1", "input_vat": "1", "opening_credit": "0"}, "fob_cny"),
    ({"method": "exempt_credit_refund", "fob_cny": "1", "levy_rate": "0.13", "rebate_rate": "0.1",
      "domestic_output_vat": "1", "input_vat": "x", "opening_credit": "0"}, "input_vat"),
    ({"method": "exempt_credit_refund", "fob_cny": "1", "levy_rate": "0.09", "rebate_rate": "0.13",
      "domestic_output_vat": "1", "input_vat": "1", "opening_credit": "0"}, "rebate_rate"),
    ({"method": "exempt_refund", "invoice_rate": "0.13", "rebate_rate": "0.13"}, "invoice_net"),
    ({"method": "exempt_refund", "invoice_net": "1", "invoice_rate": "0.13", "rebate_rate": "2"}, "rebate_rate"),
    ({"method": "deemed_domestic", "fob_cny": "1"}, "levy_rate"),
    ({"method": "deemed_profit_income_tax", "year": 2026}, "revenue"),
    ({"method": "nope"}, "method"),
    ({}, "method"),
    ({"method": "exempt_refund", "invoice_net": 1.5, "invoice_rate": "0.13", "rebate_rate": "0.13"}, "invoice_net"),
])
def test_bad_input_names_the_field(data, field):
    with pytest.raises(ValidationError) as e:
        compute_contract(data, TODAY)
    assert e.value.field == field
    assert field in e.value.message


@pytest.mark.parametrize("facts,regime,method", [
    ({}, "refund", "exempt_refund"),
    ({"enterprise_type": "production", "purchase_voucher": "none"}, "refund", "exempt_credit_refund"),
    ({"fx_received": False}, "exempt", None),
    ({"purchase_voucher": "ordinary"}, "exempt", None),
    ({"general_taxpayer": False}, "exempt", None),
    ({"purchase_voucher": "none", "zone_registered": True, "zone_customs": True}, "no_invoice_exempt", None),
    ({"purchase_voucher": "none", "zone_registered": True, "zone_customs": False}, "deemed_domestic", None),
    ({"purchase_voucher": "none"}, "deemed_domestic", None),
    ({"goods_excluded": True}, "deemed_domestic", None),
    ({"has_declaration": False}, "deemed_domestic", None),
])
def test_choose_regime(facts, regime, method):
    out = compute_contract({"method": "export_regime", **facts}, TODAY)
    assert (out["regime"], out["method"]) == (regime, method)
    assert all(s["source"] for s in out["steps"])


def test_choose_regime_bad_fact_names_the_field():
    with pytest.raises(ValidationError) as e:
        compute_contract({"method": "export_regime", "fx_received": "maybe"}, TODAY)
    assert e.value.field == "fx_received"

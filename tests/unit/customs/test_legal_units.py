"""Legal units per 10-digit code: the check against the rebate-rate library and the China tariff."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from xborder.customs import declarations as dc
from xborder.customs.legal_units import LegalUnit, LegalUnitBook, check, parse_cn_tariff_csv
from xborder.errors import ValidationError


def _fields(problems):
    return {p.field for p in problems}


def rebate(*entries):
    return LegalUnitBook("rebate", "the rebate-rate library (出口退税率文库)", list(entries))


def tariff(*entries):
    return LegalUnitBook("tariff", "the China customs tariff test", list(entries), knows_unit2=True)


def test_sample_passes_with_the_library_unit():
    book = rebate(LegalUnit("6109100022", "件", name="棉制针织T恤", valid_from=date(2025, 1, 1)))
    res = check(dc.sample(), [book])
    assert res.errors == [] and res.warnings == []


def test_unknown_code_is_an_error_naming_the_date():
    book = rebate(LegalUnit("8504319000", "个", valid_from=date(2020, 1, 1)))
    res = check(dc.sample(), [book])
    assert _fields(res.errors) == {"lines[0].gcode"}
    assert "6109100022" in res.errors[0].message and "2026-11-24" in res.errors[0].message
    assert "is not in" in res.errors[0].message


def test_code_out_of_its_dates_is_an_error():
    book = rebate(LegalUnit("6109100022", "件", valid_from=date(2020, 1, 1), valid_to=date(2025, 12, 31)))
    res = check(dc.sample(), [book])
    assert _fields(res.errors) == {"lines[0].gcode"} and "no row in force" in res.errors[0].message


def test_unit_mismatch_names_both_units():
    book = rebate(LegalUnit("6109100022", "千克", valid_from=date(2025, 1, 1)))
    res = check(dc.sample(), [book])
    assert _fields(res.errors) == {"lines[0].unit1"}
    msg = res.errors[0].message
    assert "千克 (035)" in msg and "011 件" in msg


def test_prefix_and_children_of_the_library():
    # an 8-digit library row covers its 10-digit codes
    assert check(dc.sample(), [rebate(LegalUnit("61091000", "件", valid_from=date(2020, 1, 1)))]).errors == []
    # 12-digit children agreeing on the unit are fine; disagreeing ones are an error
    ok = rebate(LegalUnit("610910002201", "件"), LegalUnit("610910002202", "件"))
    assert check(dc.sample(), [ok]).errors == []
    split = rebate(LegalUnit("610910002201", "件"), LegalUnit("610910002202", "千克"))
    res = check(dc.sample(), [split])
    assert _fields(res.errors) == {"lines[0].gcode"} and "different units" in res.errors[0].message


def test_kg_quantity_must_equal_the_net_weight():
    d = dc.sample()  # qty2 0.40 kg, net weight 0.40 kg: one line, so the declaration's net weight is the line's
    assert check(d, []).errors == []
    heavy = replace(d, lines=(replace(d.lines[0], qty2=D("0.5")),))
    res = check(heavy, [])
    assert _fields(res.errors) == {"lines[0].qty2"} and "0.4" in res.errors[0].message
    # a kg legal first unit is compared too; the line's own net weight wins over the declaration's
    kg_line = replace(d.lines[0], unit1="035", qty1=D("0.3"), unit2=None, qty2=None, net_weight=D("0.3"))
    assert check(replace(d, lines=(kg_line,)), []).errors == []
    res = check(replace(d, lines=(replace(kg_line, net_weight=D("0.35")),)), [])
    assert _fields(res.errors) == {"lines[0].qty1"} and "line's net weight" in res.errors[0].message


def test_several_lines_without_net_weight_warn():
    d = dc.sample()
    two = replace(d, lines=(d.lines[0], replace(d.lines[0], item_no="X", qty2=D("0.1"))))
    res = check(two, [])
    assert {"lines[0].net_weight", "lines[1].net_weight", "lines"} <= _fields(res.warnings)
    assert res.errors == []


def test_no_source_is_a_warning_not_silence():
    res = check(dc.sample(), [])
    assert res.errors == [] and len(res.warnings) == 1
    assert res.warnings[0].field == "lines" and "not checked" in res.warnings[0].message


def test_tariff_gives_the_second_unit():
    good = tariff(LegalUnit("6109100022", "件", "千克", "棉制针织T恤"))
    assert check(dc.sample(), [good]).errors == []
    res = check(dc.sample(), [tariff(LegalUnit("6109100022", "件", "双"))])
    assert _fields(res.errors) == {"lines[0].unit2"} and "双 (025)" in res.errors[0].message
    d = dc.sample()
    no_second = replace(d, lines=(replace(d.lines[0], unit2=None, qty2=None),))
    res = check(no_second, [good])
    assert _fields(res.errors) == {"lines[0].unit2"} and "required" in res.errors[0].message
    res = check(dc.sample(), [tariff(LegalUnit("6109100022", "件", ""))])
    assert _fields(res.errors) == {"lines[0].unit2"} and "no second legal unit" in res.errors[0].message
    # the rebate library knows no second unit: it does not complain about it
    assert check(no_second, [rebate(LegalUnit("6109100022", "件"))]).errors == []


def test_parse_cn_tariff_csv_headers_units_and_errors():
    text = ("code,name,unit1,unit2,elements,valid_from\n"
            "6109100022,棉制针织T恤,011,035,品牌类型|出口享惠情况|织造方法|成分含量,2026-01-01\n"
            "8504319000,其他变压器,个,无,,20260101\n")
    rows = parse_cn_tariff_csv(text)
    assert [(r.code, r.unit1, r.unit2) for r in rows] == [("6109100022", "件", "千克"), ("8504319000", "个", "")]
    assert rows[0].valid_from == date(2026, 1, 1) and rows[0].elements.startswith("品牌类型")
    with pytest.raises(ValidationError) as exc:
        parse_cn_tariff_csv("商品编码,商品名称,法定第一单位,法定第二单位\n610910,T恤,件,\n6109100022,T恤,,\n")
    assert "line 2" in exc.value.message and "line 3" in exc.value.message
    with pytest.raises(ValidationError):
        parse_cn_tariff_csv("code,name\n6109100022,T恤\n")


def test_every_problem_has_a_chinese_translation():
    from xborder import i18n

    d = dc.sample()
    two = replace(d, lines=(d.lines[0], replace(d.lines[0], item_no="X", qty2=D("0.1"))))
    kg = replace(d, lines=(replace(d.lines[0], unit1="035", qty1=D("0.3"), unit2=None, qty2=None, net_weight=D("0.35")),))
    problems = []
    for decl, books in (
        (d, []), (two, []), (replace(d, lines=(replace(d.lines[0], qty2=D("0.5")),)), []), (kg, []),
        (d, [rebate(LegalUnit("8504319000", "个"))]),
        (d, [rebate(LegalUnit("6109100022", "件", valid_to=date(2020, 1, 1)))]),
        (d, [rebate(LegalUnit("610910002201", "件"), LegalUnit("610910002202", "千克"))]),
        (d, [rebate(LegalUnit("6109100022", "千克"))]),
        (d, [tariff(LegalUnit("6109100022", "件", "双"))]),
        (d, [tariff(LegalUnit("6109100022", "件", ""))]),
        (replace(d, lines=(replace(d.lines[0], unit2=None, qty2=None),)), [tariff(LegalUnit("6109100022", "件", "千克"))]),
    ):
        res = check(decl, books)
        problems += res.errors + res.warnings
    msgids = {p.msgid for p in problems}
    assert len(msgids) == 11 and all(p.msgid for p in problems)
    i18n.translations.cache_clear()
    for p in problems:
        zh = i18n.gettext("zh_CN", p.msgid)
        assert zh != p.msgid, p.msgid
        assert (zh % dict(p.params) if p.params else zh)  # the placeholders format

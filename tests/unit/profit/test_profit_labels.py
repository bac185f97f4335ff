"""Page labels of the profit figures and rules: every rule text the model writes has a Chinese
label with its numbers kept; figure keys never reach a page raw."""

from __future__ import annotations

import re
from decimal import Decimal

from xborder import i18n
from xborder.profit.labels import FIGURE_LABELS, figure_label, rule_label
from xborder.profit.model import FIGURES, ProfitInput, compute


def inp(**kw):
    base = dict(order_ref="A1", line_ref="1", channel="amazon", market="US", month="2026-03", sku="MUG",
                currency="USD", quantity=Decimal(2), net_revenue=Decimal("25.98"), booking_rate=Decimal("7.1"),
                booking_source="ECB")
    base.update(kw)
    return ProfitInput(**base)


def zh(m: str) -> str:
    return i18n.gettext("zh_CN", m)


def en(m: str) -> str:
    return i18n.gettext("en", m)


def test_every_figure_has_a_label_in_both_languages():
    assert set(FIGURE_LABELS) == set(FIGURES)
    for f in FIGURES:
        assert "_" not in figure_label(f, en)
        assert not re.search(r"[a-z]", figure_label(f, zh)), figure_label(f, zh)
    assert figure_label("cost_of_goods", zh) == "货物成本"
    assert figure_label("duties_taxes", en) == "Duties and taxes"


def test_rule_texts_of_the_model_are_translated_with_their_numbers():
    for kwargs in ({"fees": Decimal("-11.60"), "unit_cost_cny": Decimal("18"), "rebate_rate": Decimal("0.13"),
                    "shipping_cny": Decimal("-10"), "duties_cny": Decimal("-3"), "settlement_rate": Decimal("7.0")},
                   {}):
        line = compute(inp(**kwargs))
        for e in line.explanations:
            label = rule_label(e.rule, zh)
            assert label != e.rule or not re.search(r"[a-z]{4,}", e.rule), e.rule
            assert rule_label(e.rule, en) == e.rule  # English keeps the model's text
            for num in re.findall(r"\d+\.\d+", e.rule):
                assert num in label, (num, label)


def test_worked_example_rebate_rule():
    rule = "purchase cost without VAT 15.93 CNY x rebate rate 0.13 (免退: 计税依据 x 退税率, 财税〔2012〕39号 / 2026年第11号)"
    assert rule_label(rule, zh).startswith("不含增值税的采购成本 15.93 元 × 退税率 0.13")


def test_empty_rule_is_not_the_catalog_header():
    assert rule_label("", zh) == ""

"""Dated rules of the export VAT rebate, each with its legal source.

Every calculation in :mod:`xborder.rebate.engine` asks this registry for the rule in force on
its date and writes the rule's citation into its explanation steps. Rules change over time:
the 2026 VAT Law reissued the export rules (财政部 税务总局公告2026年第11号 replaces
财税〔2012〕39号; 国家税务总局公告2026年第5号 replaces 国家税务总局公告2012年第24号), in force
from 2026-01-01. Sources and confidence: ``../shared/research/rebate_fx.md`` (compiled
November 2026), sections 0, 1, 3.3.

>>> rule_for("exempt_credit_refund", date(2025, 12, 31)).source
'财税〔2012〕39号 第五条(一)'
>>> rule_for("exempt_credit_refund", date(2026, 1, 1)).source
'财政部 税务总局公告2026年第11号 第五条第（一）项'
>>> rule_for("deemed_profit", date(2019, 6, 30))  # doctest: +IGNORE_EXCEPTION_DETAIL
Traceback (most recent call last):
...
RuleNotInForce: no rule 'deemed_profit' in force on 2019-06-30
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from xborder.rebate.errors import RuleNotInForce

__all__ = ["RULES", "Rule", "rule_for", "rules_in_force", "SMALL_LOW_PROFIT_TIERS", "STANDARD_EIT_RATE"]


@dataclass(frozen=True)
class Rule:
    key: str
    valid_from: date
    valid_to: date | None
    source: str
    title_en: str
    title_zh: str
    params: dict[str, Any] = field(default_factory=dict)
    note: str = ""

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def cite(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.source} ({self.valid_from.isoformat()} – {end})"


_OLD_END = date(2025, 12, 31)
_NEW_START = date(2026, 1, 1)

RULES: tuple[Rule, ...] = (
    # 免抵退: production enterprises
    Rule("exempt_credit_refund", date(2012, 7, 1), _OLD_END, "财税〔2012〕39号 第五条(一)",
         "Exempt-credit-refund (production enterprises)", "免抵退税办法（生产企业）",
         {"base": "FOB"},
         note="39号 does not say what happens when the 抵减额 exceeds FOB × (t − r); the 2026 cap is applied "
              "to older periods too, with the excess carried forward [M]"),
    Rule("exempt_credit_refund", _NEW_START, None, "财政部 税务总局公告2026年第11号 第五条第（一）项",
         "Exempt-credit-refund (production enterprises)", "免抵退税办法（生产企业）",
         {"base": "FOB or export sales"},
         note="2026 text caps the 抵减额 at FOB × (t − r); the excess is carried forward (our reading, "
              "not confirmed in the quoted text; ssfb86.com newsid/19616)"),
    # 免退: trading enterprises
    Rule("exempt_refund", date(2012, 7, 1), _OLD_END, "财税〔2012〕39号 第五条(二)",
         "Exempt-refund (trading enterprises)", "免退税办法（外贸企业）"),
    Rule("exempt_refund", _NEW_START, None, "财政部 税务总局公告2026年第11号 第五条第（二）项",
         "Exempt-refund (trading enterprises)", "免退税办法（外贸企业）"),
    # 孰低: lower of the invoice rate and the rebate rate
    Rule("lower_rate", date(2012, 7, 1), _OLD_END, "财税〔2012〕39号 第三条(二)",
         "Lower of invoice levy rate and rebate rate", "征退税率孰低"),
    Rule("lower_rate", _NEW_START, None, "财政部 税务总局公告2026年第11号 第三条第（二）项第1目",
         "Lower of invoice levy rate and rebate rate", "征退税率孰低"),
    # 视同内销
    Rule("deemed_domestic", date(2012, 7, 1), _OLD_END, "财税〔2012〕39号 第七条",
         "Export taxed as a domestic sale", "视同内销征税"),
    Rule("deemed_domestic", _NEW_START, None, "财政部 税务总局公告2026年第11号 第七条",
         "Export taxed as a domestic sale", "视同内销征税"),
    # 9610 refund / exemption conditions
    Rule("ecommerce_conditions", date(2014, 1, 1), None, "财税〔2013〕96号",
         "Cross-border e-commerce retail export: refund or exemption conditions", "跨境电子商务零售出口退（免）税条件"),
    # 无票免税
    Rule("no_invoice_exemption", date(2018, 10, 1), None, "财税〔2018〕103号",
         "Exemption without purchase invoices in a comprehensive pilot zone", "综试区零售出口无票免税"),
    # 4% deemed profit
    Rule("deemed_profit", date(2020, 1, 1), None, "国家税务总局公告2019年第36号",
         "Enterprise income tax on a 4% deemed profit rate", "核定征收企业所得税（应税所得率4%）",
         {"profit_rate": Decimal("0.04")}),
    # procedure: deadlines and records
    Rule("procedure", date(2012, 7, 1), _OLD_END, "国家税务总局公告2012年第24号",
         "Refund procedure and deadlines", "出口退（免）税管理办法",
         {"declare_month": 4, "declare_day": 30, "keep_years": 5, "fx_max_months": 36, "filing_days": 15}),
    Rule("procedure", _NEW_START, None, "国家税务总局公告2026年第5号 第四十五条、第四十八条",
         "Refund procedure and deadlines", "出口业务增值税和消费税退（免）税管理办法",
         {"declare_month": 4, "declare_day": 30, "keep_years": 10, "fx_max_months": 36, "filing_days": 15}),
    Rule("late_declaration", date(2020, 1, 20), None, "财政部 税务总局公告2020年第2号 第五条",
         "Late declaration once documents are complete", "单证齐全后可逾期申报"),
    # FOB conversion
    Rule("fx_conversion", date(2009, 1, 1), None, "增值税暂行条例实施细则 第十五条（2026年增值税法实施条例沿用，待核实）",
         "FOB to CNY at the PBOC central parity of the sale date or the first day of the month, chosen for a year",
         "按销售额发生当天或当月1日人民币汇率中间价折合，确定后一年内不得变更"),
    Rule("standard_eit", date(2008, 1, 1), None, "企业所得税法 第四条",
         "Standard enterprise income tax rate 25%", "企业所得税税率25%", {"rate": Decimal("0.25")}),
)


def rule_for(key: str, on: date) -> Rule:
    for rule in RULES:
        if rule.key == key and rule.in_force(on):
            return rule
    raise RuleNotInForce(f"no rule {key!r} in force on {on.isoformat()}", field="date")


def rules_in_force(on: date) -> list[Rule]:
    return [r for r in RULES if r.in_force(on)]


STANDARD_EIT_RATE = Decimal("0.25")


@dataclass(frozen=True)
class IncomeTaxTier:
    """Part of taxable income up to ``upper`` (CNY) is taxed at ``share`` × ``rate``."""

    upper: Decimal
    share: Decimal
    rate: Decimal


@dataclass(frozen=True)
class SmallLowProfitRule:
    year_from: int
    year_to: int
    tiers: tuple[IncomeTaxTier, ...]
    source: str
    limit: Decimal = Decimal("3000000")


_M = Decimal("1000000")
_3M = Decimal("3000000")
_20 = Decimal("0.20")

# Small low-profit enterprise (小型微利企业) relief, by tax year. Qualifying limit: taxable income
# ≤ 3,000,000 (also employees ≤ 300, assets ≤ 50,000,000; the user states eligibility).
SMALL_LOW_PROFIT_TIERS: tuple[SmallLowProfitRule, ...] = (
    SmallLowProfitRule(2019, 2020, (IncomeTaxTier(_M, Decimal("0.25"), _20), IncomeTaxTier(_3M, Decimal("0.5"), _20)),
                       "财税〔2019〕13号 (research notes rebate_fx.md §1.5(iii), [V])"),
    SmallLowProfitRule(2021, 2021, (IncomeTaxTier(_M, Decimal("0.125"), _20), IncomeTaxTier(_3M, Decimal("0.5"), _20)),
                       "财政部 税务总局公告2021年第12号 (first band halved again; notes §1.5(iii) daanshu.com)"),
    SmallLowProfitRule(2022, 2022, (IncomeTaxTier(_M, Decimal("0.125"), _20), IncomeTaxTier(_3M, Decimal("0.25"), _20)),
                       "财政部 税务总局公告2021年第12号 and 2022年第13号 [M: not in the research notes; verify]"),
    SmallLowProfitRule(2023, 2027, (IncomeTaxTier(_3M, Decimal("0.25"), _20),),
                       "财政部 税务总局公告2023年第12号 (notes §1.5(iii), [M])"),
)


def small_low_profit_rule(year: int) -> SmallLowProfitRule:
    for r in SMALL_LOW_PROFIT_TIERS:
        if r.year_from <= year <= r.year_to:
            return r
    raise RuleNotInForce(
        f"year: no small low-profit enterprise relief rule is known for {year}; "
        "pass small_low_profit=false for the standard 25% rate", field="year")

"""Refund engine: 免抵退, 免退, 视同内销, 无票免税 and the 4% deemed-profit income tax (pure).

Rules and sources (see :mod:`xborder.rebate.rules` for their dates):

* **免抵退** (exempt-credit-refund, production enterprises), per period — 财税〔2012〕39号 第五条(一),
  restated by 财政部 税务总局公告2026年第11号 第五条:

  1. 不得免征和抵扣税额抵减额 = M × (t − r), capped at FOB × (t − r) (2026 text; excess carried forward)
  2. 不得免征和抵扣税额 = FOB × (t − r) − step 1
  3. 当期应纳税额 = 内销销项税额 − (进项税额 − step 2) − 上期留抵税额
  4. 期末留抵税额 = max(0, −step 3) (the VAT return's figure, when the user enters it)
  5. 免抵退税额抵减额 = M × r;  6. 免抵退税额 = FOB × r − step 5
  7. 应退税额 = min(期末留抵, 免抵退税额); 免抵税额 = 免抵退税额 − 应退税额
  8. 结转下期留抵 = 期末留抵 − 应退税额

  M is the value of tax-free or bonded materials; under 实耗法 M = FOB × 计划分配率.
  A period with VAT payable (step 3 ≥ 0) gets no refund; 免抵税额 is then the whole 免抵退税额.
* **免退** (exempt-refund, trading enterprises), per invoice — 39号 第五条(二) / 2026年第11号:
  refund = invoice net amount × min(invoice levy rate, rebate rate) (征退税率孰低).
* **视同内销** — 39号 第七条 / 2026年第11号 第七条: output VAT = (FOB − bonded materials) ÷ (1 + t) × t.
* **无票免税** — 财税〔2018〕103号: no output VAT, no refund; input VAT goes to cost.
* **核定征收** — 国家税务总局公告2019年第36号: taxable income = revenue × 4%, taxed with the
  small low-profit enterprise relief of the tax year.

Arithmetic is exact ``Decimal``; only reported figures are rounded (2 places, half-up).

Worked example E2 (m.kuaiji.com/cpa/shiti/q971669154.html), amounts in 万元:

>>> r = exempt_credit_refund(ExemptCreditRefundInput(
...     on=date(2026, 10, 1), lines=(ExportLine(D("200"), D("0.13"), D("0.10")),),
...     domestic_output_vat=D("13"), input_vat=D("26"), opening_credit=D("0")))
>>> [dec_str(x, 2) for x in (r.non_creditable, r.payable, r.ceiling, r.refund, r.exempt_credit, r.carry_forward)]
['6.00', '-7.00', '20.00', '7.00', '13.00', '0.00']

Worked example F1 (dongao.com, 2013 CPA drill): net 20万, invoice rate 17%, rebate rate 13%:

>>> dec_str(exempt_refund(ExemptRefundInput(date(2013, 4, 1), D("20"), D("0.17"), D("0.13"))).refund, 2)
'2.60'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from decimal import Decimal as D
from typing import Any

from xborder.errors import ValidationError
from xborder.money import dec_str, to_decimal
from xborder.rebate.rules import Rule, rule_for, small_low_profit_rule

__all__ = [
    "D", "Step", "ExportLine", "ExemptCreditRefundInput", "ExemptCreditRefundResult", "exempt_credit_refund",
    "ExemptRefundInput", "ExemptRefundResult", "exempt_refund", "deemed_domestic", "DeemedDomesticResult",
    "no_invoice_exemption", "NoInvoiceExemptionResult", "deemed_profit_income_tax", "DeemedProfitResult",
    "compute_contract", "METHODS", "dec_str", "ExportFacts", "RegimeDecision", "choose_regime",
]

ZERO = Decimal(0)


@dataclass(frozen=True)
class Step:
    """One explained step: what it is (English and Chinese), formula with numbers, result, source."""

    key: str
    en: str
    zh: str
    formula: str
    amount: Decimal | None
    source: str
    inputs: dict[str, Decimal] = field(default_factory=dict)
    note: str = ""

    @property
    def formula_zh(self) -> str:
        """The formula with its terms in Chinese (numbers and symbols unchanged)."""
        return zh_formula(self.formula)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "key": self.key,
            "label_en": self.en,
            "label_zh": self.zh,
            "formula": self.formula,
            "formula_zh": self.formula_zh,
            "inputs": {k: _s(v) for k, v in self.inputs.items()},
            "amount": None if self.amount is None else dec_str(self.amount, 2),
            "source": self.source,
        }
        if self.note:
            out["note"] = self.note
        return out


# English formula terms → Chinese (longest first), for Step.formula_zh
_ZH_TERMS = sorted({
    "planned distribution rate": "计划分配率", "FOB": "离岸价", "offset": "抵减额", "output VAT": "销项税额",
    "input VAT": "进项税额", "non-creditable": "不得免征和抵扣税额", "opening credit": "上期留抵税额",
    "closing credit": "期末留抵税额", "ceiling": "免抵退税额", "refund": "应退税额", "exempt-credit": "免抵税额",
    "VAT payable": "应纳税额", "payable": "应纳税额", "declared": "申报数", "computed": "计算数",
    "they differ": "两者不一致", "capped at": "上限为", "brought forward": "上期结转", "no refund": "不退税",
    "invoice net": "发票金额", "gross": "价税合计", "invoice rate": "发票税率", "basis": "计税依据", "rate": "税率",
    "base": "计税基础", "exports": "出口额", "exempt": "免税", "Σ": "合计", "min": "孰低",
}.items(), key=lambda kv: -len(kv[0]))


def zh_formula(text: str) -> str:
    """The formula's English terms in Chinese.

    >>> zh_formula("closing credit 7.00 ≤ ceiling 20.00: refund = closing credit = 7.00")
    '期末留抵税额 7.00 ≤ 免抵退税额 20.00: 应退税额 = 期末留抵税额 = 7.00'
    """
    out = text
    for en, zh in _ZH_TERMS:
        out = out.replace(en, zh)
    return out


def _s(x: Decimal) -> str:
    return format(x.normalize(), "f") if x == x.to_integral_value() else format(x, "f")


def _n(x: Decimal) -> str:
    """A number as written in a formula: exact, no trailing zeros beyond what is needed."""
    if x == x.to_integral_value():
        return format(x.quantize(Decimal(1)), "f")
    return format(x, "f")


def _r(x: Decimal) -> str:
    return dec_str(x, 2)


# ---------------------------------------------------------------------------------------------
# 免抵退


@dataclass(frozen=True)
class ExportLine:
    """One group of exports with one levy rate and one rebate rate (FOB already in CNY)."""

    fob_cny: Decimal
    levy_rate: Decimal
    rebate_rate: Decimal
    tax_free_materials: Decimal | None = None
    planned_distribution_rate: Decimal | None = None
    label: str = ""

    @property
    def materials(self) -> Decimal:
        if self.tax_free_materials is not None:
            return self.tax_free_materials
        if self.planned_distribution_rate is not None:
            return self.fob_cny * self.planned_distribution_rate
        return ZERO


@dataclass(frozen=True)
class ExemptCreditRefundInput:
    on: date
    lines: tuple[ExportLine, ...]
    domestic_output_vat: Decimal
    input_vat: Decimal
    opening_credit: Decimal = ZERO
    offset_brought_forward: Decimal = ZERO
    declared_end_credit: Decimal | None = None


@dataclass(frozen=True)
class ExemptCreditRefundResult:
    non_creditable_offset: Decimal
    non_creditable: Decimal
    payable: Decimal
    computed_end_credit: Decimal
    end_credit: Decimal
    ceiling_offset: Decimal
    ceiling: Decimal
    refund: Decimal
    exempt_credit: Decimal
    carry_forward: Decimal
    offset_carried_forward: Decimal
    fob_cny: Decimal
    steps: tuple[Step, ...]
    warnings: tuple[str, ...] = ()
    rule: Rule | None = None

    @property
    def end_credit_differs(self) -> bool:
        return quantize2(self.end_credit) != quantize2(self.computed_end_credit)

    def contract_dict(self) -> dict[str, Any]:
        return {
            "non_creditable_offset": _r(self.non_creditable_offset),
            "non_creditable": _r(self.non_creditable),
            "payable": _r(self.payable),
            "end_credit": _r(self.end_credit),
            "ceiling_offset": _r(self.ceiling_offset),
            "ceiling": _r(self.ceiling),
            "refund": _r(self.refund),
            "exempt_credit": _r(self.exempt_credit),
            "carry_forward": _r(self.carry_forward),
            "steps": [s.to_dict() for s in self.steps],
        }


def quantize2(x: Decimal) -> Decimal:
    from xborder.money import quantize

    return quantize(x, 2)


def exempt_credit_refund(inp: ExemptCreditRefundInput) -> ExemptCreditRefundResult:
    rule = rule_for("exempt_credit_refund", inp.on)
    src = rule.source
    steps: list[Step] = []
    warnings: list[str] = []
    lines = inp.lines
    fob = sum((ln.fob_cny for ln in lines), ZERO)
    diff_base = sum((ln.fob_cny * (ln.levy_rate - ln.rebate_rate) for ln in lines), ZERO)
    raw_offset = sum((ln.materials * (ln.levy_rate - ln.rebate_rate) for ln in lines), ZERO)
    ceiling_offset = sum((ln.materials * ln.rebate_rate for ln in lines), ZERO)
    ceiling_base = sum((ln.fob_cny * ln.rebate_rate for ln in lines), ZERO)
    single = len(lines) == 1
    ln0 = lines[0] if single else None

    for ln in lines:
        if ln.planned_distribution_rate is not None and ln.tax_free_materials is None:
            steps.append(Step(
                "materials", "Bonded materials by the actual-consumption method (实耗法)",
                "进料加工保税进口料件组成计税价格（实耗法）",
                f"FOB × planned distribution rate = {_n(ln.fob_cny)} × {_n(ln.planned_distribution_rate)} "
                f"= {_r(ln.materials)}",
                ln.materials, f"{src}; 实耗法: 计划分配率 = 计划进口总值 ÷ 计划出口总值",
                {"fob_cny": ln.fob_cny, "planned_distribution_rate": ln.planned_distribution_rate}))

    # step 1: offset to the non-creditable amount, capped
    offset_total = raw_offset + inp.offset_brought_forward
    if single and ln0 is not None:
        f1 = f"M × (t − r) = {_n(ln0.materials)} × ({_n(ln0.levy_rate)} − {_n(ln0.rebate_rate)})"
    else:
        f1 = "Σ M × (t − r)"
    if inp.offset_brought_forward:
        f1 += f" + brought forward {_n(inp.offset_brought_forward)}"
    offset = offset_total
    excess = ZERO
    if offset_total > diff_base:
        offset = diff_base
        excess = offset_total - diff_base
        f1 += f" = {_r(offset_total)}, capped at FOB × (t − r) = {_r(diff_base)}"
        warnings.append(f"non_creditable_offset capped; {_r(excess)} carried forward to the next period")
    else:
        f1 += f" = {_r(offset)}"
    steps.append(Step("non_creditable_offset", "Offset to the non-creditable amount",
                      "当期不得免征和抵扣税额抵减额", f1, offset, src,
                      {"materials": sum((ln.materials for ln in lines), ZERO)},
                      note=rule.note if excess else ""))
    if excess:
        steps.append(Step("offset_carried_forward", "Offset above the cap, carried to the next period",
                          "超过上限的抵减额（结转下期）", f"{_r(offset_total)} − {_r(diff_base)} = {_r(excess)}",
                          excess, rule.note or src))

    # step 2
    non_creditable = diff_base - offset
    if single and ln0 is not None:
        f2 = (f"FOB × (t − r) − offset = {_n(ln0.fob_cny)} × ({_n(ln0.levy_rate)} − {_n(ln0.rebate_rate)}) − "
              f"{_r(offset)} = {_r(non_creditable)}")
    else:
        f2 = f"Σ FOB × (t − r) − offset = {_r(diff_base)} − {_r(offset)} = {_r(non_creditable)}"
    steps.append(Step("non_creditable", "Non-creditable input VAT (transferred to cost)", "当期不得免征和抵扣税额",
                      f2, non_creditable, src, {"fob_cny": fob}))

    # step 3
    payable = inp.domestic_output_vat - (inp.input_vat - non_creditable) - inp.opening_credit
    steps.append(Step(
        "payable", "VAT payable this period (negative: credit remains)", "当期应纳税额（负数为留抵）",
        f"output VAT − (input VAT − non-creditable) − opening credit = {_n(inp.domestic_output_vat)} − "
        f"({_n(inp.input_vat)} − {_r(non_creditable)}) − {_n(inp.opening_credit)} = {_r(payable)}",
        payable, src,
        {"domestic_output_vat": inp.domestic_output_vat, "input_vat": inp.input_vat,
         "opening_credit": inp.opening_credit}))

    # step 4
    computed_end = max(ZERO, -payable)
    steps.append(Step("end_credit_computed", "Closing credit (computed)", "期末留抵税额（计算）",
                      f"max(0, −payable) = {_r(computed_end)}", computed_end, src))
    end_credit = computed_end
    if inp.declared_end_credit is not None:
        end_credit = inp.declared_end_credit
        same = quantize2(end_credit) == quantize2(computed_end)
        steps.append(Step(
            "end_credit", "Closing credit from the VAT return (used)", "期末留抵税额（取自增值税纳税申报表）",
            f"declared {_r(end_credit)}; computed {_r(computed_end)}" + ("" if same else " — they differ"),
            end_credit, "《增值税纳税申报表》期末留抵税额; " + src))
        if not same:
            warnings.append(f"declared closing credit {_r(end_credit)} differs from the computed {_r(computed_end)}")

    # steps 5-6
    ceiling = ceiling_base - ceiling_offset
    if single and ln0 is not None:
        f5 = f"M × r = {_n(ln0.materials)} × {_n(ln0.rebate_rate)} = {_r(ceiling_offset)}"
        f6 = f"FOB × r − offset = {_n(ln0.fob_cny)} × {_n(ln0.rebate_rate)} − {_r(ceiling_offset)} = {_r(ceiling)}"
    else:
        f5 = f"Σ M × r = {_r(ceiling_offset)}"
        f6 = f"Σ FOB × r − offset = {_r(ceiling_base)} − {_r(ceiling_offset)} = {_r(ceiling)}"
    steps.append(Step("ceiling_offset", "Offset to the refund ceiling", "免抵退税额抵减额", f5, ceiling_offset, src))
    steps.append(Step("ceiling", "Refund ceiling (exempt-credit-refund amount)", "当期免抵退税额", f6, ceiling, src))
    usable_ceiling = max(ZERO, ceiling)
    if ceiling < 0:
        warnings.append("refund ceiling is negative (materials exceed FOB); no refund")

    # step 7
    if payable >= 0 and inp.declared_end_credit is None:
        refund = ZERO
        exempt_credit = usable_ceiling
        f7 = f"VAT payable {_r(payable)} ≥ 0: no refund; exempt-credit = ceiling = {_r(exempt_credit)}"
        end_credit = ZERO
    elif end_credit <= usable_ceiling:
        refund = end_credit
        exempt_credit = usable_ceiling - refund
        f7 = (f"closing credit {_r(end_credit)} ≤ ceiling {_r(usable_ceiling)}: refund = closing credit = "
              f"{_r(refund)}; exempt-credit = {_r(usable_ceiling)} − {_r(refund)} = {_r(exempt_credit)}")
    else:
        refund = usable_ceiling
        exempt_credit = ZERO
        f7 = (f"closing credit {_r(end_credit)} > ceiling {_r(usable_ceiling)}: refund = ceiling = {_r(refund)}; "
              "exempt-credit = 0")
    steps.append(Step("refund", "VAT refund due", "当期应退税额", f7, refund, src))
    steps.append(Step("exempt_credit", "Exempt-credit amount (base for city tax and surcharges)", "当期免抵税额",
                      f"ceiling − refund = {_r(usable_ceiling)} − {_r(refund)} = {_r(exempt_credit)}",
                      exempt_credit, src))
    carry = end_credit - refund
    steps.append(Step("carry_forward", "Credit carried to the next period", "结转下期继续抵扣税额",
                      f"closing credit − refund = {_r(end_credit)} − {_r(refund)} = {_r(carry)}", carry, src))
    return ExemptCreditRefundResult(
        non_creditable_offset=offset, non_creditable=non_creditable, payable=payable,
        computed_end_credit=computed_end, end_credit=end_credit, ceiling_offset=ceiling_offset, ceiling=ceiling,
        refund=refund, exempt_credit=exempt_credit, carry_forward=carry, offset_carried_forward=excess,
        fob_cny=fob, steps=tuple(steps), warnings=tuple(warnings), rule=rule)


# ---------------------------------------------------------------------------------------------
# 免退


@dataclass(frozen=True)
class ExemptRefundInput:
    on: date
    invoice_net: Decimal | None
    invoice_rate: Decimal
    rebate_rate: Decimal
    invoice_gross: Decimal | None = None
    label: str = ""


@dataclass(frozen=True)
class ExemptRefundResult:
    net: Decimal
    rate_used: Decimal
    refund: Decimal
    steps: tuple[Step, ...]

    def contract_dict(self) -> dict[str, Any]:
        return {"refund": _r(self.refund), "steps": [s.to_dict() for s in self.steps]}


def exempt_refund(inp: ExemptRefundInput) -> ExemptRefundResult:
    rule = rule_for("exempt_refund", inp.on)
    low = rule_for("lower_rate", inp.on)
    steps: list[Step] = []
    if inp.invoice_net is not None:
        net = inp.invoice_net
        steps.append(Step("basis", "Refund basis: net amount of the special invoice", "退（免）税计税依据：专用发票金额",
                          f"invoice net = {_n(net)}", net, rule.source, {"invoice_net": net}))
    else:
        assert inp.invoice_gross is not None
        net = inp.invoice_gross / (1 + inp.invoice_rate)
        steps.append(Step("basis", "Refund basis: gross amount converted to net", "退（免）税计税依据：价税合计换算为金额",
                          f"gross ÷ (1 + invoice rate) = {_n(inp.invoice_gross)} ÷ (1 + {_n(inp.invoice_rate)}) "
                          f"= {_r(net)}", net, rule.source,
                          {"invoice_gross": inp.invoice_gross, "invoice_rate": inp.invoice_rate}))
    rate = min(inp.invoice_rate, inp.rebate_rate)
    steps.append(Step("rate", "Rate used: lower of the invoice rate and the rebate rate", "适用退税率：征退税率孰低",
                      f"min({_n(inp.invoice_rate)}, {_n(inp.rebate_rate)}) = {_n(rate)}", None, low.source,
                      {"invoice_rate": inp.invoice_rate, "rebate_rate": inp.rebate_rate}))
    refund = net * rate
    steps.append(Step("refund", "VAT refund due", "应退税额",
                      f"basis × rate = {_r(net)} × {_n(rate)} = {_r(refund)}", refund, rule.source))
    return ExemptRefundResult(net, rate, refund, tuple(steps))


# ---------------------------------------------------------------------------------------------
# 视同内销 and 无票免税


@dataclass(frozen=True)
class DeemedDomesticResult:
    output_vat: Decimal
    steps: tuple[Step, ...]

    def contract_dict(self) -> dict[str, Any]:
        return {"output_vat": _r(self.output_vat), "steps": [s.to_dict() for s in self.steps]}


def deemed_domestic(on: date, fob_cny: Decimal, levy_rate: Decimal, bonded_materials: Decimal = ZERO
                    ) -> DeemedDomesticResult:
    """Output VAT when an export is taxed as a domestic sale; FOB is treated as tax-inclusive.

    >>> dec_str(deemed_domestic(date(2026, 5, 1), D("113"), D("0.13")).output_vat, 2)
    '13.00'
    """
    rule = rule_for("deemed_domestic", on)
    base = fob_cny - bonded_materials
    vat = base / (1 + levy_rate) * levy_rate
    steps = (
        Step("base", "Taxable base: FOB less bonded materials used", "计税基础：离岸价减耗用的保税进口料件",
             f"{_n(fob_cny)} − {_n(bonded_materials)} = {_r(base)}", base, rule.source,
             {"fob_cny": fob_cny, "bonded_materials": bonded_materials}),
        Step("output_vat", "Output VAT, FOB treated as tax-inclusive", "销项税额（离岸价视为含税）",
             f"base ÷ (1 + t) × t = {_r(base)} ÷ (1 + {_n(levy_rate)}) × {_n(levy_rate)} = {_r(vat)}",
             vat, rule.source, {"levy_rate": levy_rate}),
    )
    return DeemedDomesticResult(vat, steps)


@dataclass(frozen=True)
class NoInvoiceExemptionResult:
    output_vat: Decimal
    refund: Decimal
    input_vat_to_cost: Decimal
    steps: tuple[Step, ...]

    def contract_dict(self) -> dict[str, Any]:
        return {"output_vat": _r(self.output_vat), "refund": _r(self.refund),
                "input_vat_to_cost": _r(self.input_vat_to_cost), "steps": [s.to_dict() for s in self.steps]}


def no_invoice_exemption(on: date, fob_cny: Decimal, input_vat: Decimal = ZERO) -> NoInvoiceExemptionResult:
    """无票免税: exempt, no refund; any input VAT cannot be credited and goes to cost."""
    rule = rule_for("no_invoice_exemption", on)
    steps = (
        Step("output_vat", "Export exempt: no output VAT", "免征增值税：无销项税额",
             f"exports {_n(fob_cny)} exempt → output VAT 0", ZERO, rule.source, {"fob_cny": fob_cny}),
        Step("refund", "No refund under the exemption", "免税不退税", "refund = 0", ZERO, rule.source),
        Step("input_vat_to_cost", "Input VAT not creditable, goes to cost", "进项税额不得抵扣，计入成本",
             f"{_n(input_vat)}", input_vat, rule.source, {"input_vat": input_vat}),
    )
    return NoInvoiceExemptionResult(ZERO, ZERO, input_vat, steps)


# ---------------------------------------------------------------------------------------------
# 4% deemed profit


@dataclass(frozen=True)
class DeemedProfitResult:
    taxable_income: Decimal
    income_tax: Decimal
    steps: tuple[Step, ...]

    def contract_dict(self) -> dict[str, Any]:
        return {"taxable_income": _r(self.taxable_income), "income_tax": _r(self.income_tax),
                "steps": [s.to_dict() for s in self.steps]}


def deemed_profit_income_tax(revenue: Decimal, year: int, small_low_profit: bool = True) -> DeemedProfitResult:
    """Enterprise income tax on revenue × 4% (国家税务总局公告2019年第36号), with the year's relief.

    >>> r = deemed_profit_income_tax(D("10000000"), 2026)
    >>> dec_str(r.taxable_income, 2), dec_str(r.income_tax, 2)
    ('400000.00', '20000.00')
    """
    rule = rule_for("deemed_profit", date(year, 12, 31))
    std = rule_for("standard_eit", date(year, 12, 31))
    rate = rule.params["profit_rate"]
    taxable = revenue * rate
    steps: list[Step] = [Step(
        "taxable_income", "Taxable income: revenue × 4% deemed profit rate", "应纳税所得额 = 收入总额 × 应税所得率4%",
        f"{_n(revenue)} × {_n(rate)} = {_r(taxable)}", taxable, rule.source, {"revenue": revenue})]
    tax = ZERO
    if small_low_profit:
        slp = small_low_profit_rule(year)
        if taxable <= slp.limit:
            lower = ZERO
            parts = []
            for tier in slp.tiers:
                band = min(taxable, tier.upper) - lower
                if band <= 0:
                    break
                part = band * tier.share * tier.rate
                parts.append(f"{_r(band)} × {_n(tier.share)} × {_n(tier.rate)} = {_r(part)}")
                tax += part
                lower = tier.upper
            steps.append(Step("income_tax", f"Income tax with the small low-profit enterprise relief of {year}",
                              f"{year}年小型微利企业优惠后的企业所得税", "; ".join(parts) or "0", tax, slp.source))
            return DeemedProfitResult(taxable, tax, tuple(steps))
        steps.append(Step("relief", "Small low-profit relief not applicable: taxable income above the limit",
                          "应纳税所得额超过小型微利企业标准，不享受优惠",
                          f"{_r(taxable)} > {_r(slp.limit)}", None, slp.source))
    tax = taxable * std.params["rate"]
    steps.append(Step("income_tax", "Income tax at the standard rate", "按法定税率计算企业所得税",
                      f"{_r(taxable)} × {_n(std.params['rate'])} = {_r(tax)}", tax, std.source))
    return DeemedProfitResult(taxable, tax, tuple(steps))


# ---------------------------------------------------------------------------------------------
# Which regime applies: refund, exemption, 无票免税 or 视同内销


@dataclass(frozen=True)
class ExportFacts:
    """What is known about one export, for :func:`choose_regime`."""

    enterprise_type: str = "trading"  # production | trading
    general_taxpayer: bool = True
    refund_filing_done: bool = True  # 出口退（免）税备案
    has_declaration: bool = True  # holds the 报关单
    declaration_matches: bool = True  # 报关单（出口退税专用）matches the customs electronic data
    fx_received: bool = True  # by the end of the declaration period
    purchase_voucher: str = "special"  # special | ordinary | none
    tax_registered: bool = True
    zone_registered: bool = False  # 综试区 registration and record on the 线上综合服务平台
    zone_customs: bool = False  # declared at the 综试区's own customs
    goods_excluded: bool = False  # on the list whose refund/exemption was cancelled


@dataclass(frozen=True)
class RegimeDecision:
    regime: str  # refund | exempt | no_invoice_exempt | deemed_domestic
    method: str | None  # exempt_credit_refund | exempt_refund (refund only)
    steps: tuple[Step, ...]

    def contract_dict(self) -> dict[str, Any]:
        return {"regime": self.regime, "method": self.method, "steps": [s.to_dict() for s in self.steps]}


def choose_regime(facts: ExportFacts, on: date) -> RegimeDecision:
    """Refund if every condition of 财税〔2013〕96号 holds; else exemption with a legal purchase
    voucher; else 无票免税 in a 综试区 (财税〔2018〕103号); else taxed as a domestic sale.

    >>> choose_regime(ExportFacts(purchase_voucher="ordinary"), date(2026, 5, 1)).regime
    'exempt'
    >>> choose_regime(ExportFacts(purchase_voucher="none", zone_registered=True, zone_customs=True),
    ...               date(2026, 5, 1)).regime
    'no_invoice_exempt'
    """
    cond = rule_for("ecommerce_conditions", on).source
    dd = rule_for("deemed_domestic", on).source
    steps: list[Step] = []

    def check(key: str, en: str, zh: str, ok: bool, source: str) -> bool:
        steps.append(Step(key, en, zh, "yes" if ok else "no", None, source))
        return ok

    if facts.goods_excluded:
        check("goods_excluded", "Goods on the list whose refund or exemption was cancelled",
              "属于取消出口退（免）税的货物", False, dd)
        return RegimeDecision("deemed_domestic", None, tuple(steps))
    trading = facts.enterprise_type == "trading"
    refund_ok = all([
        check("general_taxpayer", "General VAT taxpayer", "增值税一般纳税人", facts.general_taxpayer, cond),
        check("filing", "Refund filing (备案) done", "已办理出口退（免）税备案", facts.refund_filing_done, cond),
        check("declaration", "Declaration matches the customs electronic data", "报关单与海关电子信息一致",
              facts.declaration_matches and facts.has_declaration, cond),
        check("fx", "FX received in time", "在退（免）税申报期截止之日内收汇", facts.fx_received, cond),
        check("invoice", "Purchase special invoice matches (traders)", "购进出口货物取得专用发票且与报关单匹配",
              facts.purchase_voucher == "special" or not trading, cond),
    ])
    if refund_ok:
        return RegimeDecision("refund", "exempt_refund" if trading else "exempt_credit_refund", tuple(steps))
    exempt_ok = (facts.tax_registered and facts.has_declaration and facts.purchase_voucher in ("special", "ordinary"))
    check("exemption", "Exemption: tax-registered, holds the declaration and a legal purchase voucher",
          "免税：已办理税务登记、取得报关单和合法有效的进货凭证", exempt_ok, cond)
    if exempt_ok:
        return RegimeDecision("exempt", None, tuple(steps))
    if facts.purchase_voucher == "none":
        src = rule_for("no_invoice_exemption", on).source if on >= date(2018, 10, 1) else dd
        zone_ok = facts.zone_registered and facts.zone_customs
        check("no_invoice", "No-invoice exemption: registered in a pilot zone and declared at its customs",
              "无票免税：在综试区登记并在综试区海关申报", zone_ok, src)
        if zone_ok and on >= date(2018, 10, 1):
            return RegimeDecision("no_invoice_exempt", None, tuple(steps))
    steps.append(Step("deemed_domestic", "Taxed as a domestic sale", "视同内销征税", "no condition met", None, dd))
    return RegimeDecision("deemed_domestic", None, tuple(steps))


# ---------------------------------------------------------------------------------------------
# The contract: ``xborder rebate compute --json-in FILE``

METHODS = ("exempt_credit_refund", "exempt_refund", "deemed_domestic", "deemed_profit_income_tax",
           "no_invoice_exemption", "export_regime")


def _req(data: dict[str, Any], name: str) -> Any:
    if name not in data or data[name] is None or data[name] == "":
        raise ValidationError(f"{name}: required field is missing", field=name)
    return data[name]


def _amount(data: dict[str, Any], name: str, *, required: bool = True, default: Decimal | None = ZERO,
            signed: bool = False) -> Decimal | None:
    if not required and (name not in data or data[name] is None or data[name] == ""):
        return default
    value = _req(data, name)
    if isinstance(value, float):
        raise ValidationError(f"{name}: send amounts as decimal strings, not JSON floats", field=name)
    d = to_decimal(value, name)
    if not signed and d < 0:
        raise ValidationError(f"{name}: must not be negative (got {value})", field=name)
    return d


def _rate(data: dict[str, Any], name: str, *, required: bool = True) -> Decimal | None:
    if not required and (name not in data or data[name] is None or data[name] == ""):
        return None
    value = _req(data, name)
    if isinstance(value, float):
        raise ValidationError(f"{name}: send rates as decimal strings, not JSON floats", field=name)
    d = to_decimal(value, name)
    if d < 0 or d > 1:
        raise ValidationError(f"{name}: a rate is a fraction between 0 and 1 (got {value})", field=name)
    return d


def _on(data: dict[str, Any], today: date) -> date:
    raw = data.get("date") or data.get("period")
    if not raw:
        return today
    try:
        text = str(raw)
        return date.fromisoformat(text if len(text) == 10 else text + "-01")
    except ValueError:
        raise ValidationError(f"date: {raw!r} is not a date (YYYY-MM-DD) or period (YYYY-MM)", field="date") from None


def _facts(data: dict[str, Any]) -> ExportFacts:
    kw: dict[str, Any] = {}
    for f in ExportFacts.__dataclass_fields__:
        if f not in data:
            continue
        v = data[f]
        if f == "enterprise_type":
            if v not in ("production", "trading"):
                raise ValidationError(f"{f}: expected production or trading", field=f)
        elif f == "purchase_voucher":
            if v not in ("special", "ordinary", "none"):
                raise ValidationError(f"{f}: expected special, ordinary or none", field=f)
        elif not isinstance(v, bool):
            raise ValidationError(f"{f}: expected true or false", field=f)
        kw[f] = v
    return ExportFacts(**kw)


def compute_contract(data: Any, today: date) -> dict[str, Any]:
    """Validate a contract input dict, run the method and return the contract output (strings).

    >>> compute_contract({"method": "exempt_refund", "invoice_net": "20", "invoice_rate": "0.17",
    ...                   "rebate_rate": "0.13"}, date(2026, 11, 1))["refund"]
    '2.60'
    """
    if not isinstance(data, dict):
        raise ValidationError("input: expected a JSON object", field="input")
    method = data.get("method")
    if not method:
        raise ValidationError("method: required field is missing", field="method")
    if method not in METHODS:
        raise ValidationError(f"method: unknown method {method!r}; expected one of {', '.join(METHODS)}",
                              field="method")
    on = _on(data, today)
    if method == "exempt_credit_refund":
        levy = _rate(data, "levy_rate")
        reb = _rate(data, "rebate_rate")
        assert levy is not None and reb is not None
        if reb > levy:
            raise ValidationError(f"rebate_rate: {reb} is above levy_rate {levy}", field="rebate_rate")
        materials = _amount(data, "tax_free_materials", required=False, default=None)
        pdr = _rate(data, "planned_distribution_rate", required=False)
        if materials is not None and pdr is not None:
            raise ValidationError("planned_distribution_rate: give either tax_free_materials or "
                                  "planned_distribution_rate, not both", field="planned_distribution_rate")
        declared = _amount(data, "declared_end_credit", required=False, default=None)
        line = ExportLine(_amount(data, "fob_cny"), levy, reb, materials, pdr)  # type: ignore[arg-type]
        return exempt_credit_refund(ExemptCreditRefundInput(
            on=on, lines=(line,), domestic_output_vat=_amount(data, "domestic_output_vat"),  # type: ignore[arg-type]
            input_vat=_amount(data, "input_vat"), opening_credit=_amount(data, "opening_credit"),  # type: ignore[arg-type]
            offset_brought_forward=_amount(data, "offset_brought_forward", required=False),  # type: ignore[arg-type]
            declared_end_credit=declared)).contract_dict()
    if method == "exempt_refund":
        inv_rate = _rate(data, "invoice_rate")
        reb = _rate(data, "rebate_rate")
        net = _amount(data, "invoice_net", required=False, default=None)
        gross = _amount(data, "invoice_gross", required=False, default=None)
        if net is None and gross is None:
            raise ValidationError("invoice_net: required field is missing (or give invoice_gross with invoice_rate)",
                                  field="invoice_net")
        if net is not None and gross is not None:
            raise ValidationError("invoice_gross: give either invoice_net or invoice_gross, not both",
                                  field="invoice_gross")
        return exempt_refund(ExemptRefundInput(on, net, inv_rate, reb, gross)).contract_dict()  # type: ignore[arg-type]
    if method == "deemed_domestic":
        fob = _amount(data, "fob_cny")
        bonded = _amount(data, "bonded_materials", required=False)
        assert fob is not None and bonded is not None
        if bonded > fob:
            raise ValidationError("bonded_materials: larger than fob_cny", field="bonded_materials")
        return deemed_domestic(on, fob, _rate(data, "levy_rate"), bonded).contract_dict()  # type: ignore[arg-type]
    if method == "export_regime":
        return choose_regime(_facts(data), on).contract_dict()
    if method == "no_invoice_exemption":
        return no_invoice_exemption(on, _amount(data, "fob_cny"),  # type: ignore[arg-type]
                                    _amount(data, "input_vat", required=False)).contract_dict()  # type: ignore[arg-type]
    # deemed_profit_income_tax
    revenue = _amount(data, "revenue")
    year_raw = _req(data, "year")
    try:
        year = int(str(year_raw))
    except ValueError:
        raise ValidationError(f"year: {year_raw!r} is not a year", field="year") from None
    if not 1900 < year < 2200:
        raise ValidationError(f"year: {year} is out of range", field="year")
    slp = data.get("small_low_profit", True)
    if isinstance(slp, str):
        if slp.lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise ValidationError(f"small_low_profit: expected true or false, got {slp!r}", field="small_low_profit")
        slp = slp.lower() in ("true", "1", "yes")
    elif not isinstance(slp, bool):
        raise ValidationError("small_low_profit: expected true or false", field="small_low_profit")
    try:
        return deemed_profit_income_tax(revenue, year, slp).contract_dict()  # type: ignore[arg-type]
    except ValidationError as exc:
        if exc.field == "date":
            raise ValidationError(f"year: {exc.message}", field="year") from None
        raise

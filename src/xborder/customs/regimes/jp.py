"""Japan: personal imports valued at 60% of the retail price; exempt up to JPY 10,000.

* For goods imported for personal use the taxable value is 60% of the overseas retail price
  (Customs Tariff Act Enforcement Order Art. 1-4; Japan Customs "Taxation of personal
  imports"; verify the article). When that value is JPY 10,000 or less, duty and consumption tax are exempt
  (Customs Tariff Act Art. 14 item 18; Act on the Collection of National Consumption Tax on
  Imported Goods Art. 13 — article numbers to verify). The FY2026 Tax Reform Outline removes the exemption for cross-border mail-order
  goods; the start date (1 Apr 2028 per SK Advisory) is not confirmed — verify.
* Above: duty at the rate given with the line on the CIF value (Customs Act Art. 4), consumption
  tax 10% (7.8% national + 2.2% local) on CIF + duty; the tax base is truncated to JPY 1,000 and
  the tax to JPY 100 (Act on General Rules for National Taxes Art. 118-119).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xborder.customs.messages import msg
from xborder.customs.model import Rule
from xborder.customs.regimes.base import Calc, describe, pct, truncate

D = Decimal
RULES: tuple[Rule, ...] = (
    Rule("JP.PERSONAL_VALUE", "JP", "Personal imports: taxable value is 60% of the retail price", date(1990, 1, 1), None,
         "Customs Tariff Act Enforcement Order Art. 1-4 (personal-use goods); Japan Customs, taxation of personal imports",
         {"factor": D("0.6")}, verify=True, title_zh="个人进口：完税价格为零售价的 60%"),
    Rule("JP.SMALL_VALUE", "JP", "Duty and consumption tax exempt when the taxable value is JPY 10,000 or less", date(1990, 1, 1), None,
         "Customs Tariff Act Art. 14 item 18; Act on the Collection of National Consumption Tax on Imported Goods Art. 13",
         {"threshold": D("10000")}, verify=True, title_zh="完税价格不超过 10,000 日元的免征关税和消费税"),
    Rule("JP.CONSUMPTION_TAX", "JP", "Consumption tax 10% (7.8% national + 2.2% local) on CIF + duty", date(2019, 10, 1), None,
         "Consumption Tax Act Art. 28(4), Art. 29; Local Tax Act Art. 72-83", {"rate": D("0.10")},
         title_zh="消费税 10%（国税 7.8% + 地方税 2.2%），税基为 CIF + 关税"),
    Rule("JP.ROUNDING", "JP", "Tax base truncated to JPY 1,000, tax to JPY 100", date(1990, 1, 1), None,
         "Act on General Rules for National Taxes Art. 118-119", {}, title_zh="税基舍去至 1,000 日元，税额舍去至 100 日元"),
)


class JpRegime:
    countries = ("JP",)
    currency = "JPY"
    name = "Japan"
    rules = RULES

    def assess(self, calc: Calc) -> None:
        s = calc.shipment
        pv = calc.need("JP.PERSONAL_VALUE")
        small = calc.need("JP.SMALL_VALUE")
        goods_60 = calc.goods() * pv.params["factor"]
        if goods_60 <= small.params["threshold"]:
            calc.note(msg("Taxable value %(factor)s × goods = %(value)s ≤ JPY 10,000: duty and consumption tax exempt",
                          factor=pct(pv.params["factor"]), value=calc.fmt(goods_60)),
                      f"{pv.source}; {small.source}")
            return
        calc.note(msg("Taxable value %(factor)s × goods = %(value)s > JPY 10,000: duty and consumption tax due",
                      factor=pct(pv.params["factor"]), value=calc.fmt(goods_60)), small.source)
        calc.require_hs("Japanese import declarations need the tariff classification of every line")
        ct = calc.need("JP.CONSUMPTION_TAX")
        rnd = calc.need("JP.ROUNDING")
        for ln in s.lines:
            r, desc, src = calc.duty_rate(ln, None)
            cif = calc.line_value(ln) * pv.params["factor"] + calc.share(ln, calc.transport())
            base = truncate(cif, D(1000))
            duty = truncate(calc.duty_amount(ln, r, base), D(100))
            calc.charge("duty", duty, msg("Duty %(rate)s on CIF base %(base)s (truncated); %(desc)s", rate=describe(r),
                                          base=calc.fmt(base), desc=desc),
                        f"{rnd.source}; {src}", "border", ln.index)
            tax_base = truncate(cif + duty, D(1000))
            vr, why = calc.tax_rate(ln, ct.params["rate"])
            tax = truncate(tax_base * vr, D(100))
            calc.charge("tax", tax, msg("Consumption tax %(rate)s on %(base)s (truncated)%(why)s", rate=pct(vr),
                                        base=calc.fmt(tax_base), why=why),
                        f"{ct.source}; {rnd.source}", "border", ln.index)


REGIME = JpRegime()

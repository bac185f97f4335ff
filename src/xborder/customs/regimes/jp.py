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

from xborder.customs.model import Rule
from xborder.customs.regimes.base import Calc, pct, truncate

D = Decimal
RULES: tuple[Rule, ...] = (
    Rule("JP.PERSONAL_VALUE", "JP", "Personal imports: taxable value is 60% of the retail price", date(1990, 1, 1), None,
         "Customs Tariff Act Enforcement Order Art. 1-4 (personal-use goods); Japan Customs, taxation of personal imports",
         {"factor": D("0.6")}, verify=True),
    Rule("JP.SMALL_VALUE", "JP", "Duty and consumption tax exempt when the taxable value is JPY 10,000 or less", date(1990, 1, 1), None,
         "Customs Tariff Act Art. 14 item 18; Act on the Collection of National Consumption Tax on Imported Goods Art. 13",
         {"threshold": D("10000")}, verify=True),
    Rule("JP.CONSUMPTION_TAX", "JP", "Consumption tax 10% (7.8% national + 2.2% local) on CIF + duty", date(2019, 10, 1), None,
         "Consumption Tax Act Art. 28(4), Art. 29; Local Tax Act Art. 72-83", {"rate": D("0.10")}),
    Rule("JP.ROUNDING", "JP", "Tax base truncated to JPY 1,000, tax to JPY 100", date(1990, 1, 1), None,
         "Act on General Rules for National Taxes Art. 118-119", {}),
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
            calc.note(f"Taxable value 60% × goods = {calc.fmt(goods_60)} ≤ JPY 10,000: duty and consumption tax exempt",
                      f"{pv.source}; {small.source}")
            return
        calc.note(f"Taxable value 60% × goods = {calc.fmt(goods_60)} > JPY 10,000: duty and consumption tax due", small.source)
        calc.require_hs("Japanese import declarations need the tariff classification of every line")
        ct = calc.need("JP.CONSUMPTION_TAX")
        rnd = calc.need("JP.ROUNDING")
        for ln in s.lines:
            r, desc, src = calc.duty_rate(ln, None)
            cif = calc.line_value(ln) * pv.params["factor"] + calc.share(ln, calc.transport())
            base = truncate(cif, D(1000))
            duty = truncate(calc.duty_amount(ln, r, base), D(100))
            calc.charge("duty", duty, f"Duty {r.describe()} on CIF base {calc.fmt(base)} (truncated); {desc}",
                        f"{rnd.source}; {src}", "border", ln.index)
            tax_base = truncate(cif + duty, D(1000))
            vr, why = calc.tax_rate(ln, ct.params["rate"])
            tax = truncate(tax_base * vr, D(100))
            calc.charge("tax", tax, f"Consumption tax {pct(vr)} on {calc.fmt(tax_base)} (truncated){why}",
                        f"{ct.source}; {rnd.source}", "border", ln.index)


REGIME = JpRegime()

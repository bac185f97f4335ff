"""Saudi Arabia and the United Arab Emirates.

* SA: customs duty exempt for personal shipments under SAR 1,000 including shipping (ZATCA,
  2021; saudigazette.com.sa/article/611390); VAT 15% on all imports regardless of value (VAT
  Implementing Regulations Art. 50; rate 15% from 2020-07-01), on CIF + duty. GCC Common
  Customs Law duty (mostly 5%) must be given with the line.
* AE: duty de minimis AED 1,000 for courier shipments (shiphop.us, secondary — verify); VAT 5%
  on imports (Federal Decree-Law No. 8 of 2017 Art. 50); a secondary source says VAT applies
  below AED 1,000 too — verify.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xborder.customs.messages import msg
from xborder.customs.model import Rule
from xborder.customs.regimes.base import Calc, describe, pct, round_half_up

D = Decimal
RULES: tuple[Rule, ...] = (
    Rule("GULF.DUTY_DE_MINIMIS", "SA", "Duty exempt for personal shipments under SAR 1,000 incl. shipping", date(2021, 1, 1), None,
         "ZATCA announcement 2021 (saudigazette.com.sa/article/611390)", {"threshold": D("1000"), "incl_shipping": True},
         title_zh="含运费低于 1,000 里亚尔的个人物品免征关税"),
    Rule("GULF.VAT", "SA", "VAT 15% on imports (CIF + duty), all values", date(2020, 7, 1), None,
         "KSA VAT Law Art. 2; VAT Implementing Regulations Art. 50; Royal Decree A/638 (15% from 2020-07-01)", {"rate": D("0.15")},
         title_zh="进口增值税 15%（CIF + 关税），不论价值"),
    Rule("GULF.DUTY", "SA", "GCC Common Customs Law duty on the CIF value", date(2003, 1, 1), None,
         "GCC Common Customs Law; Saudi customs tariff", {"basis": "CIF"}, title_zh="按 CIF 价格依海合会共同海关法征收关税"),
    Rule("GULF.DUTY_DE_MINIMIS", "AE", "Duty de minimis AED 1,000 (courier)", date(2018, 1, 1), None,
         "shiphop.us/taxes-and-duties (secondary)", {"threshold": D("1000"), "incl_shipping": False}, verify=True,
         title_zh="关税起征点 1,000 迪拉姆（快件）"),
    Rule("GULF.VAT", "AE", "VAT 5% on imports (CIF + duty)", date(2018, 1, 1), None,
         "Federal Decree-Law No. 8 of 2017 on VAT Art. 3, Art. 50 (applies below AED 1,000 per a secondary source)",
         {"rate": D("0.05")}, verify=True, title_zh="进口增值税 5%（CIF + 关税）"),
    Rule("GULF.DUTY", "AE", "GCC Common Customs Law duty on the CIF value", date(2003, 1, 1), None,
         "GCC Common Customs Law; UAE customs tariff", {"basis": "CIF"}, title_zh="按 CIF 价格依海合会共同海关法征收关税"),
)


class GulfRegime:
    def __init__(self, country: str, currency: str, name: str):
        self.countries = (country,)
        self.currency = currency
        self.name = name
        self.rules = tuple(r for r in RULES if r.country == country)

    def assess(self, calc: Calc) -> None:
        s = calc.shipment
        dm = calc.need("GULF.DUTY_DE_MINIMIS")
        vat = calc.need("GULF.VAT")
        value = calc.goods() + (calc.transport() if dm.params["incl_shipping"] else 0)
        dutiable = value >= dm.params["threshold"]
        values = {"value": calc.fmt(value), "currency": self.currency, "threshold": dm.params["threshold"]}
        if dm.params["incl_shipping"]:
            text = (msg("Value incl. shipping %(value)s ≥ %(currency)s %(threshold)s: duty due", **values) if dutiable
                    else msg("Value incl. shipping %(value)s < %(currency)s %(threshold)s: no customs duty", **values))
        else:
            text = (msg("Goods value %(value)s ≥ %(currency)s %(threshold)s: duty due", **values) if dutiable
                    else msg("Goods value %(value)s < %(currency)s %(threshold)s: no customs duty", **values))
        calc.note(text, dm.cite())
        if dutiable:
            calc.require_hs("import declarations need the tariff code of every line")
            dr = calc.need("GULF.DUTY")
        for ln in s.lines:
            cif = calc.line_value(ln) + calc.share(ln, calc.transport())
            duty = Decimal(0)
            if dutiable:
                r, desc, src = calc.duty_rate(ln, None)
                duty = round_half_up(calc.duty_amount(ln, r, cif), self.currency)
                calc.charge("duty", duty, msg("Duty %(rate)s on CIF %(value)s; %(desc)s", rate=describe(r), value=calc.fmt(cif),
                                              desc=desc), f"{dr.source}; {src}", "border", ln.index)
            rate, why = calc.tax_rate(ln, vat.params["rate"])
            calc.charge("tax", round_half_up((cif + duty) * rate, self.currency),
                        msg("Import VAT %(rate)s on CIF + duty %(base)s%(why)s", rate=pct(rate), base=calc.fmt(cif + duty), why=why),
                        vat.cite(), "border", ln.index)


SA = GulfRegime("SA", "SAR", "Saudi Arabia")
AE = GulfRegime("AE", "AED", "United Arab Emirates")

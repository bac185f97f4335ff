"""Australia: AUD 1,000 — GST collected by the seller below, duty and GST at the border above.

* Low-value imported goods (customs value AUD 1,000 or less): 10% GST charged at the point of
  sale by the overseas vendor, electronic distribution platform or redeliverer registered for
  GST (A New Tax System (Goods and Services Tax) Act 1999 Div 84 Subdiv 84-C, from 2018-07-01;
  ATO LCR 2018/1). No customs duty (Customs Act 1901 s.68 threshold).
* Above: duty at the rate given with the line (no Australian tariff is loaded) on the FOB
  customs value (Customs Act 1901 s.159-161), GST 10% on the value of the taxable importation =
  customs value + duty + international transport and insurance (GST Act s.13-20), at the border.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xborder.customs.messages import msg
from xborder.customs.model import Rule
from xborder.customs.regimes.base import Calc, describe, pct, round_half_up

D = Decimal
RULES: tuple[Rule, ...] = (
    Rule("AU.LVG", "AU", "Low-value goods up to AUD 1,000: GST at the point of sale, no duty", date(2018, 7, 1), None,
         "A New Tax System (Goods and Services Tax) Act 1999 Div 84 Subdiv 84-C; ATO LCR 2018/1; Customs Act 1901 s.68",
         {"threshold": D("1000")}, title_zh="低价值商品（不超过 1,000 澳元）：在销售环节征收 GST，不征关税"),
    Rule("AU.GST", "AU", "GST 10%", date(2000, 7, 1), None, "A New Tax System (Goods and Services Tax) Act 1999 s.9-70", {"rate": D("0.10")},
         title_zh="商品及服务税（GST）10%"),
    Rule("AU.DUTY", "AU", "Customs duty on the FOB customs value", date(2000, 7, 1), None,
         "Customs Tariff Act 1995; Customs Act 1901 s.159-161", {"basis": "FOB"},
         title_zh="按 FOB 完税价格征收关税"),
    Rule("AU.IMPORT_GST", "AU", "GST on taxable importation: customs value + duty + transport and insurance", date(2000, 7, 1), None,
         "A New Tax System (Goods and Services Tax) Act 1999 s.13-20", {},
         title_zh="进口应税 GST：完税价格 + 关税 + 运费及保险费"),
)


class AuRegime:
    countries = ("AU",)
    currency = "AUD"
    name = "Australia"
    rules = RULES

    def assess(self, calc: Calc) -> None:
        s = calc.shipment
        lvg = calc.need("AU.LVG")
        gst = calc.need("AU.GST")
        rate = gst.params["rate"]
        value = calc.goods()
        if value <= lvg.params["threshold"]:
            calc.note(msg("Customs value %(value)s ≤ AUD 1,000: no duty, GST at the point of sale", value=calc.fmt(value)),
                      lvg.source)
            calc.liable_party = "marketplace" if s.channel == "marketplace" else "seller"
            for ln in s.lines:
                base = calc.line_value(ln) + calc.share(ln, calc.transport())
                vr, why = calc.tax_rate(ln, rate)
                calc.charge("tax", round_half_up(base * vr, self.currency),
                            msg("GST %(rate)s on sale price %(base)s charged at checkout%(why)s", rate=pct(vr),
                                base=calc.fmt(base), why=why), f"{lvg.source}; {gst.source}",
                            "checkout", ln.index)
            return
        calc.note(msg("Customs value %(value)s > AUD 1,000: duty and GST at the border", value=calc.fmt(value)), lvg.source)
        calc.require_hs("Australian import declarations need the tariff classification of every line")
        duty_rule = calc.need("AU.DUTY")
        ig = calc.need("AU.IMPORT_GST")
        for ln in s.lines:
            r, desc, src = calc.duty_rate(ln, None)
            fob = calc.line_value(ln)
            duty = round_half_up(calc.duty_amount(ln, r, fob), self.currency)
            calc.charge("duty", duty, msg("Duty %(rate)s on FOB value %(value)s; %(desc)s", rate=describe(r),
                                          value=calc.fmt(fob), desc=desc), f"{duty_rule.source}; {src}",
                        "border", ln.index)
            base = fob + duty + calc.share(ln, calc.transport())
            vr, why = calc.tax_rate(ln, rate)
            calc.charge("tax", round_half_up(base * vr, self.currency),
                        msg("Import GST %(rate)s on %(base)s%(why)s", rate=pct(vr), base=calc.fmt(base), why=why),
                        f"{ig.source}; {gst.source}", "border", ln.index)


REGIME = AuRegime()

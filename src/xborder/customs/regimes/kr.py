"""South Korea: list clearance duty- and VAT-free up to USD 150 (USD 200 from the US).

* Personal-use goods up to USD 150 (USD 200 when shipped from the US under KORUS) clear by list
  without duty or VAT (Customs Act Art. 94; Enforcement Rule Art. 45). Once the threshold is
  exceeded the whole value is taxed. Same-day shipments to one buyer are aggregated (not
  modelled: pass them as one shipment). The buyer's Personal Customs Clearance Code is required.
* Above: duty at the rate given with the line on the CIF value, VAT 10% on CIF + duty
  (Value-Added Tax Act Art. 29), at the border.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xborder.customs.messages import msg
from xborder.customs.model import Rule
from xborder.customs.regimes.base import Calc, describe, pct, round_half_up

D = Decimal
RULES: tuple[Rule, ...] = (
    Rule("KR.LIST_CLEARANCE", "KR", "List clearance: duty and VAT free up to USD 150 (USD 200 from the US)", date(2016, 1, 1), None,
         "Customs Act Art. 94; Enforcement Rule Art. 45; krutils.com Korea customs guide 2026",
         {"threshold": D("150"), "threshold_us": D("200"), "currency": "USD"},
         title_zh="目录通关：不超过 150 美元（自美国 200 美元）免征关税和增值税"),
    Rule("KR.VAT", "KR", "VAT 10% on CIF + duty", date(1977, 7, 1), None, "Value-Added Tax Act Art. 29-30", {"rate": D("0.10")},
         title_zh="增值税 10%，税基为 CIF + 关税"),
)


class KrRegime:
    countries = ("KR",)
    currency = "KRW"
    name = "South Korea"
    rules = RULES

    def assess(self, calc: Calc) -> None:
        s = calc.shipment
        lc = calc.need("KR.LIST_CLEARANCE")
        from_us = all((ln.origin or "").upper() == "US" for ln in s.lines)
        thr_usd = lc.params["threshold_us"] if from_us else lc.params["threshold"]
        thr = calc.convert(thr_usd, "USD")
        value = calc.goods()
        if value <= thr:
            calc.note(msg("Goods %(value)s ≤ USD %(threshold)s (%(local)s): list clearance, no duty or VAT", value=calc.fmt(value),
                          threshold=thr_usd, local=calc.fmt(thr)), lc.source)
            return
        calc.note(msg("Goods %(value)s > USD %(threshold)s (%(local)s): the whole value is taxed", value=calc.fmt(value),
                      threshold=thr_usd, local=calc.fmt(thr)), lc.source)
        calc.require_hs("Korean import declarations need the HSK code of every line")
        vat = calc.need("KR.VAT")
        for ln in s.lines:
            r, desc, src = calc.duty_rate(ln, None)
            cif = calc.line_value(ln) + calc.share(ln, calc.transport())
            duty = round_half_up(calc.duty_amount(ln, r, cif), self.currency)
            calc.charge("duty", duty, msg("Duty %(rate)s on CIF %(value)s; %(desc)s", rate=describe(r), value=calc.fmt(cif),
                                          desc=desc), f"{lc.source}; {src}", "border", ln.index)
            vr, why = calc.tax_rate(ln, vat.params["rate"])
            calc.charge("tax", round_half_up((cif + duty) * vr, self.currency),
                        msg("VAT %(rate)s on CIF + duty %(base)s%(why)s", rate=pct(vr), base=calc.fmt(cif + duty), why=why),
                        vat.source, "border", ln.index)


REGIME = KrRegime()

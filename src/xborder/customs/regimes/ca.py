"""Canada: CAD 20 for post and non-CUSMA courier; CUSMA courier CAD 150 duty / CAD 40 tax.

* Courier and postal imports: duties and taxes are remitted when the value is CAD 20 or less
  (Courier Imports Remission Order SOR/98-582 s.4; Postal Imports Remission Order SOR/85-181).
* Courier shipments of CUSMA (US/MX) origin: duty-free up to CAD 150, tax-free up to CAD 40
  (CBSA Customs Notice 20-18, from 2020-07-01; cbsa-asfc.gc.ca/services/cusma-aceum/lvs-efv-eng.html).
* Above: duty on the value for duty (transaction value, FOB basis: Customs Act s.48) at the
  rate given with the line (no Canadian tariff is loaded), GST 5% (Excise Tax Act s.212-215) or
  HST in a participating province on value for duty + duty, collected at the border.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xborder.customs.messages import msg
from xborder.customs.model import Rule
from xborder.customs.regimes.base import Calc, describe, pct, round_half_up

D = Decimal
HST_SRC = "Excise Tax Act Sch. VIII; CRA 'GST/HST rates' (NS 14% from 2025-04-01)"
RULES: tuple[Rule, ...] = (
    Rule("CA.LVS_REMISSION", "CA", "Duties and taxes remitted up to CAD 20 (post and non-CUSMA courier)", date(1998, 1, 1), None,
         "Courier Imports Remission Order SOR/98-582; Postal Imports Remission Order SOR/85-181; "
         "cbsa-asfc.gc.ca/services/cusma-aceum/lvs-efv-eng.html", {"threshold": D("20")},
         title_zh="不超过 20 加元免征关税和税款（邮递及非 CUSMA 快件）"),
    Rule("CA.CUSMA_LVS", "CA", "CUSMA courier: duty-free up to CAD 150, tax-free up to CAD 40", date(2020, 7, 1), None,
         "CBSA Customs Notice 20-18; cbsa-asfc.gc.ca/services/cusma-aceum/lvs-efv-eng.html",
         {"duty_threshold": D("150"), "tax_threshold": D("40"), "origins": ("US", "MX")},
         title_zh="CUSMA 原产快件：不超过 150 加元免关税，不超过 40 加元免税"),
    Rule("CA.DUTY", "CA", "Customs duty on the value for duty (FOB)", date(1998, 1, 1), None,
         "Customs Tariff S.C. 1997 c.36; Customs Act s.48 (transaction value)", {"basis": "FOB"},
         title_zh="按完税价格（FOB）征收关税"),
    Rule("CA.GST", "CA", "GST 5% on imported goods (value for duty + duty)", date(2008, 1, 1), None,
         "Excise Tax Act s.212, s.215", {"rate": D("0.05")},
         title_zh="进口货物 GST 5%（完税价格 + 关税）"),
) + tuple(
    Rule("CA.HST", prov, f"HST {r}% in {prov}", f, t, HST_SRC, {"rate": D(r) / 100}, title_zh=f"{prov} 省统一销售税（HST）{r}%")
    for prov, r, f, t in (
        ("ON", "13", date(2010, 7, 1), None), ("NB", "15", date(2016, 7, 1), None), ("NL", "15", date(2016, 7, 1), None),
        ("PE", "15", date(2016, 10, 1), None), ("NS", "15", date(2010, 7, 1), date(2025, 3, 31)), ("NS", "14", date(2025, 4, 1), None),
    )
)


class CaRegime:
    countries = ("CA",)
    currency = "CAD"
    name = "Canada"
    rules = RULES

    def assess(self, calc: Calc) -> None:
        s = calc.shipment
        value = calc.goods()
        cusma = calc.rule("CA.CUSMA_LVS")
        all_cusma = cusma is not None and not s.postal and all((ln.origin or "").upper() in cusma.params["origins"] for ln in s.lines)
        duty_free = tax_free = False
        if all_cusma and cusma is not None:
            duty_free = value <= cusma.params["duty_threshold"]
            tax_free = value <= cusma.params["tax_threshold"]
            calc.note(msg("CUSMA-origin courier shipment, value %(value)s: duty %(duty)s, tax %(tax)s", value=calc.fmt(value),
                          duty=msg("free") if duty_free else msg("due"), tax=msg("free") if tax_free else msg("due")),
                      cusma.source)
        else:
            rem = calc.need("CA.LVS_REMISSION")
            if value <= rem.params["threshold"]:
                calc.note(msg("Value %(value)s ≤ CAD 20: duties and taxes remitted", value=calc.fmt(value)), rem.source)
                return
            calc.note(msg("Value %(value)s > CAD 20 (%(mode)s): duty and tax due", value=calc.fmt(value),
                          mode=msg("mail") if s.postal else msg("non-CUSMA courier")), rem.source)
        if duty_free and tax_free:
            return
        calc.require_hs("Canadian accounting documents need the tariff classification of every line")
        duty_rule = calc.need("CA.DUTY")
        duties: dict[int, Decimal] = {}
        for ln in s.lines:
            duties[ln.index] = Decimal(0)
            if duty_free:
                continue
            r, desc, src = calc.duty_rate(ln, None)
            vfd = calc.line_value(ln)
            duties[ln.index] = round_half_up(calc.duty_amount(ln, r, vfd), self.currency)
            calc.charge("duty", duties[ln.index], msg("Duty %(rate)s on value for duty %(value)s; %(desc)s",
                                                      rate=describe(r), value=calc.fmt(vfd), desc=desc),
                        f"{duty_rule.source}; {src}", "border", ln.index)
        if tax_free:
            return
        tax = calc.rule("CA.HST", (s.region or "").upper()) if s.region else None
        if tax is None or tax.country != (s.region or "").upper():
            tax = calc.need("CA.GST")
            if s.region is None:
                calc.note(msg("No province given: GST %(rate)s only (pass region for HST provinces or PST)",
                              rate=pct(tax.params["rate"])), tax.source)
        rate = tax.params["rate"]
        for ln in s.lines:
            base = calc.line_value(ln) + duties[ln.index]
            vr, why = calc.tax_rate(ln, rate)
            calc.charge("tax", round_half_up(base * vr, self.currency),
                        msg("%(title)s: %(rate)s on %(base)s%(why)s", title=tax.title_bi, rate=pct(vr), base=calc.fmt(base),
                            why=why),
                        tax.source, "border", ln.index)


REGIME = CaRegime()

"""United Kingdom: GBP 135 — VAT at the point of sale below, duty and import VAT above.

* Consignments of intrinsic value up to GBP 135: no customs duty (relief kept; abolition
  announced in the Autumn Budget 2025 "by March 2029 at the latest"); UK VAT is charged at the
  point of sale by the seller or the online marketplace as deemed supplier (Value Added Tax Act
  1994 s.5A and Sch. 1A, as amended by the Taxation (Cross-border Trade) Act 2018 and SI 2020/1495,
  from 2021-01-01). The seller must be UK VAT registered.
* Above GBP 135: duty at the UK Global Tariff rate on the CIF customs value, waived when the
  total duty is under GBP 9 (GOV.UK guidance; verify); import VAT on customs value + duty (VAT Act 1994
  s.21), both at the border.
* Standard VAT rate 20% (VAT Act 1994 s.2, since 2011-01-04).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xborder.customs.messages import Msg, msg
from xborder.customs.model import Rule
from xborder.customs.regimes.base import Calc, describe, pct, round_half_up

D = Decimal
RULES: tuple[Rule, ...] = (
    Rule("GB.LOW_VALUE", "GB", "Consignments up to GBP 135: VAT at the point of sale, no duty", date(2021, 1, 1), None,
         "VAT Act 1994 s.5A and Sch. 1A (Taxation (Cross-border Trade) Act 2018; SI 2020/1495); HMRC 'VAT and overseas goods sold directly to customers in the UK'",
         {"threshold": D("135"), "currency": "GBP"}, title_zh="不超过 135 英镑的货物：在销售环节征收增值税，不征关税"),
    Rule("GB.VAT_STANDARD", "GB", "UK standard VAT rate 20%", date(2011, 1, 4), None, "Value Added Tax Act 1994 s.2(1)", {"rate": D("0.20")},
         title_zh="英国增值税标准税率 20%"),
    Rule("GB.DUTY_UKGT", "GB", "Customs duty at the UK Global Tariff rate on the CIF value", date(2021, 1, 1), None,
         "Taxation (Cross-border Trade) Act 2018 s.8; The Customs Tariff (Establishment) (EU Exit) Regulations 2020 (UK Global Tariff)",
         {"basis": "CIF"}, title_zh="按 CIF 价格以英国全球关税税率征收关税"),
    Rule("GB.DUTY_WAIVER", "GB", "Duty under GBP 9 is waived", date(2021, 1, 1), None,
         "GOV.UK 'Tax and customs for goods sent from abroad' (duty under GBP 9 not charged); research notes customs.md (c)",
         {"threshold": D("9")}, verify=True, title_zh="关税不足 9 英镑的免征"),
    Rule("GB.IMPORT_VAT", "GB", "Import VAT on customs value + duty at the border", date(2021, 1, 1), None,
         "Value Added Tax Act 1994 s.21", {}, title_zh="入境时按完税价格 + 关税征收进口增值税"),
)


class GbRegime:
    countries = ("GB",)
    currency = "GBP"
    name = "United Kingdom"
    rules = RULES

    def assess(self, calc: Calc) -> None:
        s = calc.shipment
        low = calc.need("GB.LOW_VALUE")
        rate = calc.need("GB.VAT_STANDARD").params["rate"]
        vsrc = calc.need("GB.VAT_STANDARD").source
        intrinsic = calc.goods()
        if intrinsic <= low.params["threshold"]:
            calc.note(msg("Intrinsic value %(value)s ≤ GBP 135: no customs duty, VAT at the point of sale",
                          value=calc.fmt(intrinsic)), low.source)
            who = msg("online marketplace (deemed supplier)") if s.channel == "marketplace" else msg("seller (UK VAT registered)")
            calc.liable_party = "marketplace" if s.channel == "marketplace" else "seller"
            for ln in s.lines:
                base = calc.line_value(ln) + calc.share(ln, calc.transport())
                vr, why = calc.tax_rate(ln, rate)
                calc.charge("tax", round_half_up(base * vr, self.currency),
                            msg("UK VAT %(rate)s on sale price %(base)s charged at checkout by the %(who)s%(why)s",
                                rate=pct(vr), base=calc.fmt(base), who=who, why=why),
                            f"{low.source}; {vsrc}", "checkout", ln.index)
            return
        calc.note(msg("Intrinsic value %(value)s > GBP 135: duty and import VAT at the border", value=calc.fmt(intrinsic)),
                  low.source)
        calc.require_hs("UK import declarations need the commodity code of every line")
        ukgt = calc.need("GB.DUTY_UKGT")
        duties: dict[int, Decimal] = {}
        texts: dict[int, tuple[Msg, str]] = {}
        for ln in s.lines:
            r, desc, src = calc.duty_rate(ln, "GB")
            cif = calc.line_value(ln) + calc.share(ln, calc.transport())
            duties[ln.index] = round_half_up(calc.duty_amount(ln, r, cif), self.currency)
            texts[ln.index] = (msg("Customs duty %(rate)s on CIF value %(value)s; %(desc)s", rate=describe(r),
                                   value=calc.fmt(cif), desc=desc), f"{ukgt.source}; {src}")
        waiver = calc.need("GB.DUTY_WAIVER")
        total = sum(duties.values(), Decimal(0))
        if 0 < total < waiver.params["threshold"]:
            calc.note(msg("Total duty %(total)s < GBP 9: waived", total=calc.fmt(total)), waiver.source)
            duties = {k: Decimal(0) for k in duties}
        else:
            for idx, amt in duties.items():
                calc.charge("duty", amt, texts[idx][0], texts[idx][1], "border", idx)
        iv = calc.need("GB.IMPORT_VAT")
        for ln in s.lines:
            base = calc.line_value(ln) + calc.share(ln, calc.transport()) + duties[ln.index]
            vr, why = calc.tax_rate(ln, rate)
            calc.charge("tax", round_half_up(base * vr, self.currency),
                        msg("Import VAT %(rate)s on customs value + duty %(base)s%(why)s", rate=pct(vr), base=calc.fmt(base),
                            why=why), f"{iv.source}; {vsrc}", "border", ln.index)


REGIME = GbRegime()

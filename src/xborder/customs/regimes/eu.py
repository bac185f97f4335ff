"""European Union (27 member states): IOSS, the EUR 150 threshold, the EUR 3 flat duty from
2026-07-01, import VAT, national parcel fees.

Rules (each below carries its source):

* Consignments of an *intrinsic value* (goods price excluding transport and insurance,
  Reg. (EU) 2015/2446 Art. 1(48)) up to EUR 150: VAT of the buyer's member state is charged at
  checkout by the seller (IOSS, Art. 369l-369x Directive 2006/112/EC) or by the marketplace as
  deemed supplier (Art. 14a(1)); the taxable amount is the price charged (goods + delivery).
  Without IOSS, import VAT is paid at the border (special arrangements, Art. 369y).
* Up to 2026-06-30 such consignments are relieved from duty (Reg. (EC) 1186/2009 Art. 23).
  From 2026-07-01 a flat EUR 3 duty applies per distinct 6-digit tariff subheading in the
  consignment (Council decision of 11 Feb 2026), first for IOSS consignments, until the EU
  Customs Data Hub applies normal tariffs (about 2028). Non-IOSS low-value consignments keep the
  relief here (verify).
* Above EUR 150: customs duty at the Common External Tariff rate on the CIF customs value
  (Reg. (EU) 952/2013 Art. 70-71: transport and insurance to the EU border are included),
  import VAT on customs value + duty (Art. 85-86 Directive 2006/112/EC), both at the border.
* National fees on low-value parcels: RO 25 lei per parcel (from 2026-01-01), FR EUR 2 per
  line (from 2026-03-01), IT EUR 2 per consignment (from 2026-01-01; sources disagree: verify).

The regime works in EUR (the thresholds are in EUR); VAT rates come from the synced VAT data
(``xborder data sync``) when present, else from the table below.

>>> from datetime import date
>>> standard_rate("DE", date(2026, 11, 24)).params["rate"]
Decimal('0.19')
>>> standard_rate("FI", date(2024, 8, 31)).params["rate"], standard_rate("FI", date(2024, 9, 1)).params["rate"]
(Decimal('0.24'), Decimal('0.255'))
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xborder.customs.messages import Msg, msg
from xborder.customs.model import Rule, pick
from xborder.customs.regimes.base import Calc, describe, pct, round_half_up

D = Decimal
START = date(2021, 7, 1)
MEMBERS = (
    ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]
)
VAT_SRC = (
    "Directive 2006/112/EC; national standard rates per European Commission TEDB as published in "
    "eu-vat-rates-data 2026-09-29 and the duty27-eu-vat history (as of 2026-10-04)"
)

# (country, rate %, valid_from, valid_to) — standard rates from 2021-07-01 (start of IOSS)
_VAT = [
    ("AT", "20", START, None), ("BE", "21", START, None), ("BG", "20", START, None),
    ("CY", "19", START, None), ("CZ", "21", START, None), ("DE", "19", START, None),
    ("DK", "25", START, None), ("EE", "20", START, date(2023, 12, 31)),
    ("EE", "22", date(2024, 1, 1), date(2025, 6, 30)), ("EE", "24", date(2025, 7, 1), None),
    ("ES", "21", START, None), ("FI", "24", START, date(2024, 8, 31)),
    ("FI", "25.5", date(2024, 9, 1), None), ("FR", "20", START, None), ("GR", "24", START, None),
    ("HR", "25", START, None), ("HU", "27", START, None), ("IE", "23", START, None),
    ("IT", "22", START, None), ("LT", "21", START, None), ("LU", "17", START, date(2022, 12, 31)),
    ("LU", "16", date(2023, 1, 1), date(2023, 12, 31)), ("LU", "17", date(2024, 1, 1), None),
    ("LV", "21", START, None), ("MT", "18", START, None), ("NL", "21", START, None),
    ("PL", "23", START, None), ("PT", "23", START, None), ("RO", "19", START, date(2025, 7, 31)),
    ("RO", "21", date(2025, 8, 1), None), ("SE", "25", START, None), ("SI", "22", START, None),
    ("SK", "20", START, date(2024, 12, 31)), ("SK", "23", date(2025, 1, 1), None),
]

RULES: tuple[Rule, ...] = (
    Rule(
        "EU.LOW_VALUE_THRESHOLD", "EU", "Low-value consignment: intrinsic value up to EUR 150",
        START, None,
        "Directive 2006/112/EC Art. 369l (as amended by Directive (EU) 2017/2455); Reg. (EU) 2015/2446 Art. 1(48)",
        {"threshold": D("150"), "currency": "EUR"}, title_zh="低价值货物：内在价值不超过 150 欧元",
    ),
    Rule(
        "EU.VAT_CHECKOUT", "EU", "VAT charged at checkout (IOSS seller or marketplace deemed supplier)",
        START, None, "Directive 2006/112/EC Art. 14a(1), Art. 369l-369x (IOSS)", {},
        title_zh="结账时征收增值税（IOSS 卖家或作为视同供应商的平台）",
    ),
    Rule(
        "EU.IMPORT_VAT", "EU", "Import VAT at the border on customs value + duty",
        START, None, "Directive 2006/112/EC Art. 85-86; Art. 369y special arrangements", {},
        title_zh="入境时按完税价格 + 关税征收进口增值税",
    ),
    Rule(
        "EU.DUTY_RELIEF", "EU", "Duty relief for consignments up to EUR 150",
        START, date(2026, 6, 30), "Council Regulation (EC) 1186/2009 Art. 23", {"threshold": D("150")},
        title_zh="不超过 150 欧元的货物免征关税",
    ),
    Rule(
        "EU.FLAT_DUTY", "EU", "Flat EUR 3 duty per distinct tariff subheading (consignments up to EUR 150, IOSS)",
        date(2026, 7, 1), date(2028, 6, 30),
        "Council decision of 11 Feb 2026 on the temporary flat-rate customs duty for low-value consignments "
        "(regfollower.com/?p=78434; politis.com.cy)",
        {"amount": D("3"), "currency": "EUR", "per": "distinct 6-digit subheading"},
        verify=True, title_zh="每个不同税目子目统一征收 3 欧元关税（不超过 150 欧元的 IOSS 货物）",
    ),
    Rule(
        "EU.DUTY_RELIEF_NON_IOSS", "EU", "Duty relief kept for non-IOSS consignments up to EUR 150",
        date(2026, 7, 1), None, "Council Regulation (EC) 1186/2009 Art. 23 (interim scope of the flat duty)",
        {}, verify=True, title_zh="不超过 150 欧元的非 IOSS 货物继续免征关税",
    ),
    Rule(
        "EU.DUTY_CET", "EU", "Customs duty at the Common External Tariff rate on the CIF value",
        START, None,
        "Council Regulation (EEC) 2658/87 Annex I (CN); Reg. (EU) 952/2013 Art. 70-71 (transport to the EU border included)",
        {"basis": "CIF"}, title_zh="按 CIF 价格以共同对外关税税率征收关税",
    ),
    Rule(
        "EU.FEE", "RO", "Romania: parcel fee 25 lei per non-EU parcel up to EUR 150",
        date(2026, 1, 1), None, "Romanian Government, fee on non-EU low-value parcels (research notes, customs.md (c))",
        {"amount": D("25"), "currency": "RON", "per": "parcel"},
        title_zh="罗马尼亚：不超过 150 欧元的非欧盟包裹每件收费 25 列伊",
    ),
    Rule(
        "EU.FEE", "FR", "France: handling fee EUR 2 per line on low-value parcels",
        date(2026, 3, 1), None, "French finance act 2026, fee on low-value parcels (research notes, customs.md (c))",
        {"amount": D("2"), "currency": "EUR", "per": "line"},
        title_zh="法国：低价值包裹每个商品行收取 2 欧元处理费",
    ),
    Rule(
        "EU.FEE", "IT", "Italy: fee EUR 2 per low-value consignment",
        date(2026, 1, 1), None, "Italian budget law 2026 (sources disagree on the start date)",
        {"amount": D("2"), "currency": "EUR", "per": "consignment"}, verify=True,
        title_zh="意大利：每票低价值货物收费 2 欧元",
    ),
) + tuple(
    Rule(
        "EU.VAT_STANDARD", c, f"{c} standard VAT rate {r}%", f, t, VAT_SRC, {"rate": D(r) / 100},
        title_zh=f"{c} 增值税标准税率 {r}%",
    )
    for c, r, f, t in _VAT
)


def standard_rate(country: str, on: date) -> Rule | None:
    return pick([r for r in RULES if r.country == country], "EU.VAT_STANDARD", on)


class EuRegime:
    countries = tuple(MEMBERS)
    currency = "EUR"
    name = "European Union"
    rules = RULES

    def vat_rate(self, calc: Calc) -> tuple[Decimal, Msg, str]:
        dest = calc.shipment.destination
        if calc.ctx.vat is not None:
            synced = calc.ctx.vat.standard(dest, calc.on)
            if synced is not None:
                return synced.rate, msg("%(country)s standard VAT %(rate)s (synced, from %(from)s)", country=dest,
                                        rate=f"{synced.pct()}%", **{"from": synced.valid_from}), synced.source
        r = standard_rate(dest, calc.on)
        if r is None:
            raise ValueError(f"no VAT rate for {dest} on {calc.on}")
        return r.params["rate"], msg("%(country)s standard VAT %(rate)s (from %(from)s)", country=dest,
                                     rate=pct(r.params["rate"]), **{"from": r.valid_from}), r.source

    def assess(self, calc: Calc) -> None:
        s = calc.shipment
        thr_rule = calc.need("EU.LOW_VALUE_THRESHOLD")
        threshold = thr_rule.params["threshold"]
        intrinsic = calc.goods()
        low = intrinsic <= threshold
        calc.note(
            msg("Intrinsic value %(value)s ≤ EUR %(threshold)s: low-value consignment", value=calc.fmt(intrinsic),
                threshold=threshold) if low else
            msg("Intrinsic value %(value)s > EUR %(threshold)s: normal import (duty and VAT at the border)",
                value=calc.fmt(intrinsic), threshold=threshold),
            thr_rule.source,
        )
        at_checkout = low and (s.channel == "marketplace" or s.ioss)
        # classification is needed for every EU consignment: the flat duty counts subheadings and
        # customs declarations carry the 6-digit code on every item (also postal items)
        calc.require_hs("EU customs declarations need the 6-digit subheading of every item")
        rate, rate_text, rate_src = self.vat_rate(calc)

        if low:
            flat = calc.rule("EU.FLAT_DUTY")
            if flat is not None and at_checkout:
                seen: dict[str, int] = {}
                for ln in s.lines:
                    seen.setdefault((ln.hs_code or "")[:6], ln.index)
                amount = flat.params["amount"]
                for sub, idx in seen.items():
                    calc.charge(
                        "duty", amount, msg("Flat duty EUR %(amount)s for subheading %(code)s (%(count)s distinct in consignment)",
                                            amount=amount, code=sub, count=len(seen)),
                        flat.cite(), "checkout", idx,
                    )
                if any(ln.duty_rate is not None for ln in s.lines):
                    calc.note(msg("duty_rate given with a line is not used: the flat duty replaces the tariff rate"), flat.cite())
            else:
                relief = calc.rule("EU.DUTY_RELIEF") or calc.rule("EU.DUTY_RELIEF_NON_IOSS")
                if relief is not None:
                    calc.note(msg("No customs duty: %(title)s", title=relief.title_bi), relief.cite())
                    if any(ln.duty_rate is not None for ln in s.lines):
                        calc.note(msg("duty_rate given with a line is not used: the consignment is relieved from duty"),
                                  relief.cite())
            if at_checkout:
                vrule = calc.need("EU.VAT_CHECKOUT")
                who = msg("marketplace (deemed supplier)") if s.channel == "marketplace" else msg("seller (IOSS)")
                calc.liable_party = "marketplace" if s.channel == "marketplace" else "seller"
                for ln in s.lines:
                    base = calc.line_value(ln) + calc.share(ln, calc.transport())
                    vr, why = calc.tax_rate(ln, rate)
                    vat = round_half_up(base * vr, self.currency)
                    calc.charge(
                        "tax", vat, msg("VAT %(rate)s on sale price %(base)s collected at checkout by the %(who)s; %(vat)s%(why)s",
                                        rate=pct(vr), base=calc.fmt(base), who=who, vat=rate_text, why=why),
                        f"{vrule.source}; {rate_src}", "checkout", ln.index,
                    )
            else:
                self._border_vat(calc, rate, rate_text, rate_src, duties={})
            self._fees(calc)
            return

        duties: dict[int, Decimal] = {}
        cet = calc.need("EU.DUTY_CET")
        for ln in s.lines:
            duty_rate, desc, src = calc.duty_rate(ln, "EU")
            cif = calc.line_value(ln) + calc.share(ln, calc.transport())
            duty = round_half_up(calc.duty_amount(ln, duty_rate, cif), self.currency)
            calc.charge("duty", duty, msg("Customs duty %(rate)s on CIF value %(value)s; %(desc)s", rate=describe(duty_rate),
                                          value=calc.fmt(cif), desc=desc),
                        f"{cet.source}; {src}", "border", ln.index)
            if not duty:
                calc.note(msg("Line %(line)s: duty-free (%(desc)s)", line=ln.index, desc=desc), src)
            duties[ln.index] = duty
        self._border_vat(calc, rate, rate_text, rate_src, duties)

    def _border_vat(self, calc: Calc, rate: Decimal, rate_text: Msg, rate_src: str, duties: dict[int, Decimal]) -> None:
        iv = calc.need("EU.IMPORT_VAT")
        for ln in calc.shipment.lines:
            base = calc.line_value(ln) + calc.share(ln, calc.transport()) + duties.get(ln.index, Decimal(0))
            vr, why = calc.tax_rate(ln, rate)
            vat = round_half_up(base * vr, self.currency)
            calc.charge("tax", vat, msg("Import VAT %(rate)s on customs value + duty %(base)s; %(vat)s%(why)s", rate=pct(vr),
                                        base=calc.fmt(base), vat=rate_text, why=why),
                        f"{iv.source}; {rate_src}", "border", ln.index)

    def _fees(self, calc: Calc) -> None:
        dest = calc.shipment.destination
        fee = calc.rule("EU.FEE", dest)
        if fee is None or fee.country != dest:
            return
        unit = calc.convert(fee.params["amount"], fee.params["currency"])
        count = len(calc.shipment.lines) if fee.params["per"] == "line" else 1
        amount = round_half_up(unit * count, self.currency)
        calc.charge("fee", amount, msg("%(title)s: %(count)s × %(amount)s %(currency)s", title=fee.title_bi, count=count,
                                       amount=fee.params["amount"], currency=fee.params["currency"]),
                    fee.cite(), "border")


REGIME = EuRegime()

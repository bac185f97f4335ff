"""United States: no de minimis since 2025, MFN duty from the HTS, extra duty programmes.

* Section 321 de minimis (19 U.S.C. 1321): USD 800 per person per day from 2016-03-10 (Trade
  Facilitation and Trade Enforcement Act 2015 s.901). Suspended for goods of China / Hong Kong
  origin from 2025-05-02 (Executive Order 14256) and for every origin from 2025-08-29
  (Executive Order 14324); kept after the 2026-02-20 Supreme Court IEEPA ruling (EO 14388) and
  codified by the CBP interim final rules of 2026-06-24 (91 FR 37789, 91 FR 37801).
* Duty: the HTSUS general (MFN, column 1) rate on the transaction value, which excludes
  international freight and insurance (19 U.S.C. 1401a: FOB basis), plus extra programmes
  (Section 301 for China, Section 122 surcharge 2026-02-24..2026-07-23) from
  ``data/extra_duties.csv`` and the organisation's own rows. Rounded to the cent.
* No federal VAT; state sales tax is collected by marketplace facilitators and is not computed
  here (shown as a note).
* Not modelled: the postal specific-duty option of Aug 2025-Feb 2026, MPF/HMF fees.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xborder.customs.messages import msg
from xborder.customs.model import Rule
from xborder.customs.regimes.base import Calc, describe, round_half_up

RULES: tuple[Rule, ...] = (
    Rule(
        "US.DE_MINIMIS", "US", "Section 321 de minimis USD 800 (all origins)", date(2016, 3, 10), date(2025, 5, 1),
        "19 U.S.C. 1321 as amended by TFTEA 2015 s.901", {"threshold": Decimal("800"), "origins": "*"},
        title_zh="第 321 条小额豁免 800 美元（所有原产地）",
    ),
    Rule(
        "US.DE_MINIMIS", "US", "Section 321 de minimis USD 800 except China/Hong Kong origin",
        date(2025, 5, 2), date(2025, 8, 28),
        "19 U.S.C. 1321; suspended for CN/HK origin by Executive Order 14256 (2025-04-02)",
        {"threshold": Decimal("800"), "excluded_origins": ("CN", "HK")},
        title_zh="第 321 条小额豁免 800 美元（中国大陆/香港原产除外）",
    ),
    Rule(
        "US.NO_DE_MINIMIS", "US", "De minimis suspended for every origin", date(2025, 8, 29), None,
        "Executive Order 14324 (2025-07-30); kept by EO 14388 after the 2026-02-20 IEEPA ruling; "
        "CBP interim final rules 91 FR 37789 / 91 FR 37801 (2026-06-24)", {},
        title_zh="所有原产地均暂停小额豁免",
    ),
    Rule(
        "US.MFN", "US", "HTSUS general (MFN) duty on the transaction value (FOB)", date(2016, 3, 10), None,
        "Harmonized Tariff Schedule of the United States, column 1 general; 19 U.S.C. 1401a (transaction value)",
        {"basis": "FOB"}, title_zh="按成交价格（FOB）征收 HTSUS 普通（最惠国）关税",
    ),
    Rule(
        "US.SALES_TAX", "US", "State sales tax via marketplace facilitator laws (not computed)", date(2018, 6, 21), None,
        "South Dakota v. Wayfair, 585 U.S. 162 (2018); state marketplace facilitator laws", {},
        title_zh="州销售税由平台依市场协助者法代收（不计算）",
    ),
)


class UsRegime:
    countries = ("US",)
    currency = "USD"
    name = "United States"
    rules = RULES

    def assess(self, calc: Calc) -> None:
        s = calc.shipment
        value = calc.goods()
        dm = calc.rule("US.DE_MINIMIS")
        if dm is not None:
            excluded = dm.params.get("excluded_origins", ())
            eligible = all((ln.origin or "").upper() not in excluded for ln in s.lines)
            if eligible and value <= dm.params["threshold"]:
                calc.note(msg("%(title)s: value %(value)s ≤ USD %(threshold)s: no duty", title=dm.title_bi,
                              value=calc.fmt(value), threshold=dm.params["threshold"]), dm.source)
                return
            why = (msg("a line's origin is excluded") if not eligible else
                   msg("value %(value)s > USD %(threshold)s", value=calc.fmt(value), threshold=dm.params["threshold"]))
            calc.note(msg("%(title)s: not applicable (%(why)s)", title=dm.title_bi, why=why), dm.source)
        else:
            nd = calc.need("US.NO_DE_MINIMIS")
            calc.note(msg("%(title)s: every shipment is dutiable", title=nd.title_bi), nd.source)
        calc.require_hs("US entries need the HTS code of every line")
        mfn = calc.need("US.MFN")
        for ln in s.lines:
            fob = calc.line_value(ln)
            rate, desc, src = calc.duty_rate(ln, "US")
            duty = round_half_up(calc.duty_amount(ln, rate, fob), self.currency)
            if duty:
                calc.charge("duty", duty, msg("MFN duty %(rate)s on FOB value %(value)s; %(desc)s", rate=describe(rate),
                                              value=calc.fmt(fob), desc=desc),
                            f"{mfn.source}; {src}", "border", ln.index)
            else:
                calc.note(msg("Line %(line)s: MFN free (%(desc)s)", line=ln.index, desc=desc), f"{mfn.source}; {src}")
            calc.extra_duties(ln, fob, "border")
        st = calc.rule("US.SALES_TAX")
        if st is not None:
            calc.note(msg("%(title)s", title=st.title_bi), st.source)


REGIME = UsRegime()

"""Brazil (Remessa Conforme) and Mexico (courier global rate).

Brazil
* Remessa Conforme (MF Ordinance 612/2023; Law 14,902/2024 "taxa das blusinhas" from
  2024-08-01): for certified platforms the import tax is 20% up to USD 50 and 60% minus
  USD 20 from USD 50.01 to USD 3,000, collected at checkout; non-certified: 60% at the border.
  The base is the customs value (goods + freight + insurance).
* ICMS 17% (20% from 2025-04-01 in AC, AL, BA, CE, MG, PB, PI, RN, RR, AP, SE), computed "por
  dentro": ICMS = (value + import tax) × rate / (1 − rate) (abisa.com.br; brasilfinanceiro.com.br).

Mexico
* Courier simplified procedure (RGCE rule 3.7.35): goods from non-FTA countries up to USD 2,500
  pay a global rate of 33.5% from 2025-08-15 (19% before) that bundles IGI and IVA
  (vatupdate.com/?p=323679; expansion.mx 2025-08-14). USMCA origin (US/CA): up to USD 50 exempt,
  USD 50-117 17%, above 19%. Above USD 2,500: a formal import (duty given with the line + IVA 16%).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xborder.customs.messages import Bi, Msg, msg
from xborder.customs.model import Rule
from xborder.customs.regimes.base import Calc, describe, pct, round_half_up

D = Decimal
BR_20_STATES = ("AC", "AL", "BA", "CE", "MG", "PB", "PI", "RN", "RR", "AP", "SE")
BR_RULES: tuple[Rule, ...] = (
    Rule("BR.REMESSA_CONFORME", "BR", "Remessa Conforme import tax: 20% up to USD 50, 60% minus USD 20 up to USD 3,000",
         date(2024, 8, 1), None, "MF Ordinance 612/2023; Law 14,902/2024 (taxa das blusinhas); abisa.com.br",
         {"low": D("50"), "high": D("3000"), "low_rate": D("0.20"), "rate": D("0.60"), "deduction": D("20")},
         title_zh="合规汇款计划（Remessa Conforme）进口税：不超过 50 美元 20%，不超过 3,000 美元 60% 减 20 美元"),
    Rule("BR.NON_CERTIFIED", "BR", "Non-certified platform or seller: import tax 60%", date(2024, 8, 1), None,
         "Decree-Law 1,804/1980 (simplified tax regime); MF Ordinance 612/2023", {"rate": D("0.60")},
         title_zh="未认证平台或卖家：进口税 60%"),
    Rule("BR.ICMS", "BR", "ICMS 17% (por dentro)", date(2023, 4, 1), None,
         "Convênio ICMS 81/2023 (uniform 17% on remessas); clipnews.com.br", {"rate": D("0.17")},
         title_zh="ICMS 17%（价内计税）"),
    Rule("BR.ICMS_20", "BR", "ICMS 20% in AC, AL, BA, CE, MG, PB, PI, RN, RR, AP, SE", date(2025, 4, 1), None,
         "State decisions under Convênio ICMS 81/2023 (brasilfinanceiro.com.br; blog.shipsmart.global)",
         {"rate": D("0.20"), "states": BR_20_STATES},
         title_zh="AC、AL、BA、CE、MG、PB、PI、RN、RR、AP、SE 州 ICMS 20%"),
)
MX_RULES: tuple[Rule, ...] = (
    Rule("MX.GLOBAL_RATE", "MX", "Courier global rate 19% (non-FTA origin, up to USD 2,500)", date(2022, 1, 1), date(2025, 8, 14),
         "RGCE rule 3.7.35 (previous rate)", {"rate": D("0.19"), "threshold": D("2500")},
         title_zh="快件综合税率 19%（非自贸协定原产，不超过 2,500 美元）"),
    Rule("MX.GLOBAL_RATE", "MX", "Courier global rate 33.5% (non-FTA origin, up to USD 2,500)", date(2025, 8, 15), None,
         "RGCE rule 3.7.35 as amended 2025-08-14 (vatupdate.com/?p=323679; expansion.mx 2025-08-14)",
         {"rate": D("0.335"), "threshold": D("2500")},
         title_zh="快件综合税率 33.5%（非自贸协定原产，不超过 2,500 美元）"),
    Rule("MX.USMCA", "MX", "USMCA origin courier: ≤ USD 50 exempt, USD 50-117 17%, above 19%", date(2020, 7, 1), None,
         "RGCE rule 3.7.35; USMCA Art. 7.8", {"exempt": D("50"), "mid": D("117"), "mid_rate": D("0.17"), "rate": D("0.19")},
         title_zh="USMCA 原产快件：不超过 50 美元免税，50-117 美元 17%，以上 19%"),
    Rule("MX.IVA", "MX", "IVA 16% on customs value + IGI (formal import)", date(2010, 1, 1), None, "Ley del IVA Art. 1, 27", {"rate": D("0.16")},
         title_zh="增值税（IVA）16%，税基为完税价格 + 进口关税（正式进口）"),
)


class BrRegime:
    countries = ("BR",)
    currency = "BRL"
    name = "Brazil"
    rules = BR_RULES

    def assess(self, calc: Calc) -> None:
        s = calc.shipment
        certified = s.remessa_conforme if s.remessa_conforme is not None else s.channel == "marketplace"
        value = calc.goods() + calc.transport()
        usd = lambda x: calc.convert(x, "USD")  # noqa: E731
        if certified:
            rc = calc.need("BR.REMESSA_CONFORME")
            p = rc.params
            if value <= usd(p["low"]):
                ii_total = value * p["low_rate"]
                text: Msg | str = msg("%(rate)s (customs value ≤ USD 50)", rate=pct(p["low_rate"]))
            else:
                ii_total = value * p["rate"] - usd(p["deduction"])
                text = msg("%(rate)s minus USD %(deduction)s (customs value > USD 50)", rate=pct(p["rate"]),
                           deduction=p["deduction"])
                if value > usd(p["high"]):
                    calc.note(msg("Customs value above USD 3,000: outside the simplified regime, formal import needed"),
                              rc.source)
            src, where = rc.source, "checkout"
            calc.liable_party = "marketplace" if s.channel == "marketplace" else "seller"
        else:
            nc = calc.need("BR.NON_CERTIFIED")
            ii_total, text, src, where = value * nc.params["rate"], pct(nc.params["rate"]), nc.source, "border"
        state = (s.region or "").upper()
        icms = calc.rule("BR.ICMS_20")
        if icms is None or state not in icms.params["states"]:
            icms = calc.need("BR.ICMS")
            if not state:
                calc.note(msg("No state given: ICMS %(rate)s (pass region with the buyer's state)", rate=pct(icms.params["rate"])),
                          icms.source)
        rate = icms.params["rate"]
        calc.note(msg("Customs value (goods + freight + insurance) %(value)s; %(status)s", value=calc.fmt(value),
                      status=msg("certified platform (Remessa Conforme)") if certified else msg("not certified")), src)
        for ln in s.lines:
            share = (calc.line_value(ln) + calc.share(ln, calc.transport())) / value if value else D(1) / len(s.lines)
            ii = round_half_up(ii_total * share, self.currency)
            calc.charge("duty", ii, msg("Import tax %(rate)s on %(base)s", rate=text, base=calc.fmt(value * share)), src, where,
                        ln.index)
            base = value * share + ii
            tax = round_half_up(base * rate / (1 - rate), self.currency)
            calc.charge("tax", tax, msg("ICMS %(rate)s por dentro on %(base)s", rate=pct(rate), base=calc.fmt(base)),
                        icms.source, where, ln.index)


class MxRegime:
    countries = ("MX",)
    currency = "MXN"
    name = "Mexico"
    rules = MX_RULES

    def assess(self, calc: Calc) -> None:
        s = calc.shipment
        value = calc.goods() + calc.transport()
        usd = lambda x: calc.convert(x, "USD")  # noqa: E731
        usmca = all((ln.origin or "").upper() in ("US", "CA") for ln in s.lines)
        if usmca and not s.postal:
            r = calc.need("MX.USMCA")
            p = r.params
            if value <= usd(p["exempt"]):
                calc.note(msg("USMCA origin, value %(value)s ≤ USD 50: exempt", value=calc.fmt(value)), r.source)
                return
            rate = p["mid_rate"] if value <= usd(p["mid"]) else p["rate"]
            self._global(calc, rate, r.title_bi, r.source)
            return
        g = calc.need("MX.GLOBAL_RATE")
        if value <= usd(g.params["threshold"]):
            calc.note(msg("Value %(value)s ≤ USD 2,500 from a non-FTA origin: courier global rate", value=calc.fmt(value)),
                      g.source)
            self._global(calc, g.params["rate"], g.title_bi, g.source)
            return
        calc.note(msg("Value %(value)s > USD 2,500: formal import", value=calc.fmt(value)), g.source)
        calc.require_hs("formal imports need the tariff fraction of every line")
        iva = calc.need("MX.IVA")
        for ln in s.lines:
            cv = calc.line_value(ln) + calc.share(ln, calc.transport())
            rt, desc, src = calc.duty_rate(ln, None)
            duty = round_half_up(calc.duty_amount(ln, rt, cv), self.currency)
            calc.charge("duty", duty, msg("IGI %(rate)s on %(base)s; %(desc)s", rate=describe(rt), base=calc.fmt(cv), desc=desc),
                        src, "border", ln.index)
            vr, why = calc.tax_rate(ln, iva.params["rate"])
            calc.charge("tax", round_half_up((cv + duty) * vr, self.currency),
                        msg("IVA %(rate)s on %(base)s%(why)s", rate=pct(vr), base=calc.fmt(cv + duty), why=why),
                        iva.source, "border", ln.index)

    def _global(self, calc: Calc, rate: Decimal, title: Bi, source: str) -> None:
        for ln in calc.shipment.lines:
            cv = calc.line_value(ln) + calc.share(ln, calc.transport())
            calc.charge("duty", round_half_up(cv * rate, self.currency),
                        msg("%(title)s: %(rate)s on %(base)s (bundles IGI and IVA)", title=title, rate=pct(rate),
                            base=calc.fmt(cv)), source, "border", ln.index)


BR = BrRegime()
MX = MxRegime()

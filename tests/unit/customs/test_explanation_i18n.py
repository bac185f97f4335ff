"""Explanation lines in Chinese: every message the regimes produce has a zh-CN translation with
the same placeholders, renders back to the English ``rule`` exactly, and keeps its numbers.

The shipments below cover every destination regime and both sides of each threshold (and the
variants: IOSS / marketplace / non-IOSS, before and after the EU flat duty, US de minimis
timeline, CUSMA tiers, Remessa Conforme, USMCA and the MX global rate...). A static scan of the
regime sources checks that the cases produce every message the code can produce."""

import ast
import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from xborder import i18n
from xborder.customs.engine import landed_cost, parse_request, to_json
from xborder.customs.extra_duties import bundled
from xborder.customs.messages import Msg, placeholders
from xborder.customs.model import Context, ExtraDuty
from xborder.customs.regimes import all_regimes, get_regime
from xborder.customs.tariffs import TariffBook, TariffLine, TariffSet
from xborder.customs.translate import render, rule_text, with_chinese
from xborder.customs.vat import VatBook, VatRate
from xborder.fx.model import RateTable

RATES = {"USD": "1.10", "GBP": "0.85", "CNY": "8.00", "CAD": "1.50", "AUD": "1.70", "JPY": "160",
         "KRW": "1500", "SAR": "4.125", "AED": "4.04", "BRL": "6.00", "MXN": "20.0", "RON": "5.00"}
TARIFFS = TariffSet([
    TariffBook("US", "test", "USITC test", [TariffLine("61091000", "Of cotton", "16.5%"),
                                            TariffLine("42022215", "Handbags", "Free"),
                                            TariffLine("04069099", "Cheese", "46.3¢/kg + 14.9%")]),
    TariffBook("EU", "2020", "CET test", [TariffLine("61091000", "T-shirts of cotton", "12.0%"),
                                          TariffLine("85176200", "machines", "0.0%"),
                                          TariffLine("62062010", "blouses of silk", "12.0%"),
                                          TariffLine("62062090", "blouses of silk, other", "12.0%")]),
    TariffBook("GB", "2021", "UKGT test", [TariffLine("61091000", "T-shirts of cotton", "12.0%"),
                                           TariffLine("85176200", "machines", "0.0%")]),
])
EXTRA = tuple(bundled()) + (ExtraDuty("Section 301", "US", "CN", "61091000", D(0), date(2020, 1, 1), None, "exclusion test"),
                             ExtraDuty("Section 301", "US", "CN", "85183010", D("0.075"), date(2020, 2, 14), None, "HTS8 list test"))


def ctx(stale=False, vat=False):
    t = RateTable("TEST", "EUR")
    for c, r in RATES.items():
        t.add(date(2024, 1, 1), c, D(r))
    t.max_gap_days = 100000
    book = VatBook([VatRate("DE", D("0.19"), date(2021, 1, 1), None, "synced test")]) if vat else None
    return Context(fx=lambda b, q: t.quote(b, q, date(2026, 11, 24)), tariffs=TARIFFS, vat=book, extra_duties=EXTRA,
                   fx_stale_days=7 if stale else 100000)


def req(dest, ccy, lines, day="2026-11-24", **kw):
    base = {"destination": dest, "date": day, "currency": ccy, "incoterm": "DDP", "channel": "own_store",
            "shipping": "5.00", "insurance": "0.00", "lines": lines}
    base.update(kw)
    return base


def line(hs="610910", value="15.00", qty=1, origin="CN", **kw):
    out = {"hs_code": hs, "description": "item", "origin": origin, "quantity": qty, "unit_value": value, "weight_kg": "0.2"}
    out.update(kw)
    return out


MP = {"channel": "marketplace"}
CASES = [
    # EU: below/above EUR 150, before/after the flat duty, IOSS/marketplace/non-IOSS, fees, synced VAT
    ("eu-low-relief", req("DE", "EUR", [line(duty_rate="0.12")], day="2026-06-30"), {}),
    ("eu-low-flat", req("FR", "EUR", [line(duty_rate="0.12"), line("620620", "30", qty=2, vat_rate="0.055")], day="2026-07-01"), {}),
    ("eu-low-mp", req("NL", "EUR", [line()], **MP), {}),
    ("eu-low-non-ioss", req("NL", "EUR", [line(duty_rate="0.12")], ioss=False, incoterm="DAP"), {}),
    ("eu-low-ro", req("RO", "EUR", [line()]), {}),
    ("eu-low-it", req("IT", "EUR", [line()]), {}),
    ("eu-high-cet", req("DE", "EUR", [line(value="200.00"), line("851762", value="50.00"), line("620620", value="40")],
                         shipping="10.00"), {}),
    ("eu-high-given", req("DE", "CNY", [line(value="2000.00", duty_rate="0.12", vat_rate="0.07")], shipping="40.00", extra=1), {"vat": True}),
    ("eu-stale-fx", req("DE", "CNY", [line(value="120.00")]), {"stale": True}),
    # GB: GBP 135, duty waiver
    ("gb-low", req("GB", "GBP", [line(value="135.00")]), {}),
    ("gb-low-mp", req("GB", "GBP", [line(value="100.00", vat_rate="0.05")], **MP), {}),
    ("gb-high", req("GB", "GBP", [line(value="135.01")]), {}),
    ("gb-waived", req("GB", "GBP", [line("851762", value="200")], shipping="0"), {}),
    ("gb-small", req("GB", "GBP", [line(value="68.00", qty=2)], shipping="0"), {}),
    ("gb-duty-waived", req("GB", "GBP", [line(value="140.00", duty_rate="0.05")], shipping="0"), {}),
    # US: de minimis timeline, MFN, free lines, extra duties, exclusion
    ("us-dm-low", req("US", "USD", [line(value="15.00")], day="2025-05-01"), {}),
    ("us-dm-high", req("US", "USD", [line(value="900.00")], day="2025-05-01"), {}),
    ("us-dm-excluded", req("US", "USD", [line(value="15.00")], day="2025-05-02"), {}),
    ("us-none", req("US", "USD", [line("6109100004", value="15.00", qty=2), line("420222", value="30", origin="FR")]), {}),
    ("us-122", req("US", "USD", [line(value="10.00", origin="FR", duty_rate="0.1")], day="2026-03-01"), {}),
    ("us-301-6-digits", req("US", "USD", [line("851830", value="15.00", duty_rate="0")]), {}),
    # CA: CAD 20, CUSMA 150/40, HST/GST
    ("ca-low", req("CA", "CAD", [line(value="20.00")]), {}),
    ("ca-high", req("CA", "CAD", [line(value="21.00", duty_rate="0.18")]), {}),
    ("ca-high-mail-on", req("CA", "CAD", [line(value="100.00", duty_rate="0", vat_rate="0.05")], region="ON", postal=True), {}),
    ("ca-cusma-free", req("CA", "CAD", [line(value="30.00", origin="US")]), {}),
    ("ca-cusma-tax", req("CA", "CAD", [line(value="100.00", origin="US")], region="QC"), {}),
    ("ca-cusma-both", req("CA", "CAD", [line(value="200.00", origin="MX", duty_rate="0.05")]), {}),
    # AU: AUD 1,000
    ("au-low", req("AU", "AUD", [line(value="1000.00", vat_rate="0.05")], shipping="0"), {}),
    ("au-low-mp", req("AU", "AUD", [line(value="100.00")], **MP), {}),
    ("au-high", req("AU", "AUD", [line(value="1000.01", duty_rate="0.05")], shipping="20.00"), {}),
    # JP: JPY 10,000 on 60%
    ("jp-low", req("JP", "JPY", [line(value="16666")], shipping="0"), {}),
    ("jp-high", req("JP", "JPY", [line(value="20000", duty_rate="0.10", vat_rate="0.08")], shipping="1500"), {}),
    # KR: USD 150 / 200
    ("kr-low", req("KR", "KRW", [line(value="204545")]), {}),
    ("kr-high", req("KR", "KRW", [line(value="204546", duty_rate="0.08", vat_rate="0.05")]), {}),
    ("kr-us-low", req("KR", "KRW", [line(value="250000", origin="US")]), {}),
    ("kr-us-high", req("KR", "KRW", [line(value="350000", origin="US", duty_rate="0.08")]), {}),
    # SA / AE: 1,000
    ("sa-low", req("SA", "SAR", [line(value="100.00", vat_rate="0.05")]), {}),
    ("sa-high", req("SA", "SAR", [line(value="996.00", duty_rate="0.05")]), {}),
    ("ae-low", req("AE", "AED", [line(value="100.00")]), {}),
    ("ae-high", req("AE", "AED", [line(value="1000.00", duty_rate="0.05")]), {}),
    # BR: Remessa Conforme USD 50 / 3,000, non-certified, ICMS 17% / 20%
    ("br-rc-low", req("BR", "USD", [line(value="35.00")], **MP), {}),
    ("br-rc-high-mg", req("BR", "USD", [line(value="95.00")], region="MG", **MP), {}),
    ("br-rc-over", req("BR", "USD", [line(value="3100.00")], region="SP", remessa_conforme=True), {}),
    ("br-nc", req("BR", "USD", [line(value="35.00")]), {}),
    # MX: USMCA tiers, global rate before/after 2025-08-15, formal import above USD 2,500
    ("mx-usmca-exempt", req("MX", "USD", [line(value="45.00", origin="US")]), {}),
    ("mx-usmca-mid", req("MX", "USD", [line(value="100.00", origin="US")], shipping="0"), {}),
    ("mx-usmca-high", req("MX", "USD", [line(value="200.00", origin="CA")]), {}),
    ("mx-global-old", req("MX", "USD", [line(value="95.00")], day="2025-08-14"), {}),
    ("mx-global", req("MX", "USD", [line(value="95.00")]), {}),
    ("mx-formal", req("MX", "USD", [line(value="3000.00", duty_rate="0.2", vat_rate="0.08")]), {}),
]


PKG = Path(__file__).resolve().parents[3] / "src" / "xborder" / "customs"
# the same text in both languages on purpose (pure placeholders)
SAME = {"%(title)s", "%(rule)s [%(local)s]", "%(head)s — %(notes)s"}
NUMBER = re.compile(r"\d[\d,.]*\d|\d")


def results():
    return {name: to_json(landed_cost(parse_request(r), ctx(**opts))) for name, r, opts in CASES}


@pytest.fixture(scope="module")
def produced():
    i18n.translations.cache_clear()
    return results()


def _source_msgids(files):
    """The msgids of every ``msg("...")`` call in the given modules."""
    out = set()
    for f in files:
        for node in ast.walk(ast.parse(f.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "msg" and node.args \
                    and isinstance(node.args[0], ast.Constant):
                out.add(node.args[0].value)
    return out


def _translated(msgid):
    zh = i18n.gettext("zh_CN", msgid)
    assert zh != msgid or msgid in SAME, f"no zh-CN translation: {msgid!r}"
    assert placeholders(zh) == placeholders(msgid), f"placeholders differ: {msgid!r} -> {zh!r}"
    assert "%" not in re.sub(r"%\(\w+\)s", "", msgid + zh), f"bare % in {msgid!r}"


def test_cases_cover_every_regime():
    seen = {id(get_regime(r["destination"])) for _n, r, _o in CASES}
    assert seen == {id(r) for r in all_regimes()}


def test_every_explanation_msgid_is_translated_with_the_same_placeholders(produced):
    msgids = set()
    for out in produced.values():
        for item in out["explanation"]:
            msgids.update(Msg.from_json(item).msgids())
    assert len(msgids) > 60
    for m in sorted(msgids):
        _translated(m)


def test_the_cases_produce_every_message_the_regimes_can_produce(produced):
    files = [*(PKG / "regimes").glob("*.py"), PKG / "engine.py", PKG / "tariffs.py"]
    in_code = _source_msgids(files)
    got = set()
    for out in produced.values():
        for item in out["explanation"]:
            got.update(Msg.from_json(item).msgids())
    # the words of the TARIFF_RATE_MISSING error (an order's page shows why it has no duty): not explanations
    errors = {"%(field)s: %(where)s; pass duty_rate for HS %(hs)s%(sync)s", "no tariff schedule is loaded",
              "no tariff schedule for %(dest)s", " or run `xborder data sync`",
              "%(field)s: %(hs)s is not in the %(schedule)s tariff; check the code or pass duty_rate",
              "%(field)s: %(note)s (%(shown)s); give the full national code or pass duty_rate",
              "%(n)s lines under %(code)s carry %(k)s different rates"}
    assert in_code - got == errors
    for m in in_code | _source_msgids([PKG / "browse.py", PKG / "order_duties.py"]):
        _translated(m)


def test_msgid_and_params_render_the_english_rule_and_chinese_keeps_the_numbers(produced):
    for name, out in produced.items():
        for item in out["explanation"]:
            assert {"rule", "source", "amount", "msgid", "params"} <= set(item)
            m = Msg.from_json(item)
            assert m.render() == item["rule"], name
            assert rule_text(item, "en") == item["rule"]
            zh = rule_text(item, "zh_CN")
            assert re.search(r"[\u4e00-\u9fff]", zh), (name, zh)
            # numbers, amounts and codes of the English text are all in the Chinese text
            for n in NUMBER.findall(item["rule"]):
                assert n in zh, (name, n, item["rule"], zh)
            # amounts keep their currency code (parameters like "20.00 EUR" are not translated)
            for amount in re.findall(r"\d[\d.]* [A-Z]{3}\b", item["rule"]):
                assert amount in zh, (name, amount, zh)


def test_rule_zh_is_added_beside_rule(produced):
    out = with_chinese(dict(produced["eu-low-relief"]))
    lines = out["explanation"]
    assert lines[0]["rule"] == "Intrinsic value 15.00 EUR ≤ EUR 150: low-value consignment"
    assert lines[0]["rule_zh"] == "内在价值 15.00 EUR ≤ 150 欧元：低价值货物"
    assert lines[1]["rule_zh"] == "不征关税：不超过 150 欧元的货物免征关税"
    assert lines[-1]["rule_zh"].startswith("增值税 19%，按售价 20.00 EUR 由卖家（IOSS）在结账时代收；DE 增值税标准税率 19%")


def test_nested_parts_and_foreign_currency_suffix(produced):
    ca = produced["ca-high-mail-on"]["explanation"][-2]
    assert ca["msgid"] == "%(title)s: %(rate)s on %(base)s%(why)s"
    assert ca["params"]["title"] == {"en": "HST 13% in ON", "zh": "ON 省统一销售税（HST）13%"}
    assert render(Msg.from_json(ca), "zh_CN") == "ON 省统一销售税（HST）13%：按 100.00 CAD 征收 5%（采用本行给出的税率 5%，而非 13%）"
    eu = [e for e in produced["eu-high-given"]["explanation"] if e["kind"] == "duty"][0]
    assert eu["msgid"] == "%(rule)s [%(local)s]" and eu["params"]["local"] == "30.60 EUR"
    assert rule_text(eu, "zh_CN") == "关税 12%，按 CIF 价格 255.00 EUR 计征；本行给出的关税税率 12% [30.60 EUR]"


def test_every_rule_has_a_chinese_title_with_the_same_numbers():
    for regime in all_regimes():
        for r in regime.rules:
            assert r.title_zh and re.search(r"[\u4e00-\u9fff]", r.title_zh), r
            for n in NUMBER.findall(r.title):
                assert n in r.title_zh, (r.id, r.country, n, r.title_zh)


@pytest.mark.parametrize("name", [c[0] for c in CASES if c[0].startswith(("us", "eu"))])
def test_the_indexed_extra_duty_table_gives_the_same_results_as_the_plain_rows(name):
    """``ExtraDutyTable`` looks rows up by destination and prefix instead of scanning them all:
    the results must not change."""
    import dataclasses

    from xborder.customs.model import ExtraDutyTable

    data = next(c[1] for c in CASES if c[0] == name)
    plain = ctx(vat=True)
    indexed = dataclasses.replace(plain, extra_duties=ExtraDutyTable(plain.extra_duties))
    assert to_json(landed_cost(parse_request(data), indexed)) == to_json(landed_cost(parse_request(data), plain))

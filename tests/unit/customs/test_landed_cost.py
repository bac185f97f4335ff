"""Worked examples per destination (research notes customs.md (c)) through the pure engine."""

import re
from datetime import date
from decimal import Decimal as D

import pytest

from xborder import i18n
from xborder.customs.engine import landed_cost, parse_request, to_json
from xborder.customs.errors import (
    HsRequired,
    TariffRateMissing,
    TariffRateNotComputable,
    UnsupportedDestination,
)
from xborder.customs.extra_duties import bundled
from xborder.customs.model import Context
from xborder.customs.tariffs import TariffBook, TariffLine, TariffSet
from xborder.errors import ValidationError
from xborder.fx.model import RateTable

# fixed test rates, per 1 EUR
RATES = {"USD": "1.10", "GBP": "0.85", "CNY": "8.00", "CAD": "1.50", "AUD": "1.70", "JPY": "160",
         "KRW": "1500", "SAR": "4.125", "AED": "4.04", "BRL": "6.00", "MXN": "20.0", "RON": "5.00"}


def ctx(tariffs=None, extra=()):
    t = RateTable("TEST", "EUR")
    for c, r in RATES.items():
        t.add(date(2024, 1, 1), c, D(r))
    t.max_gap_days = 100000
    return Context(fx=lambda b, q, t=t: t.quote(b, q, date(2026, 11, 24)), tariffs=tariffs, extra_duties=tuple(extra),
                   fx_stale_days=100000)


US_BOOK = TariffBook("US", "test", "USITC test", [TariffLine("61091000", "Of cotton", "16.5%"),
                                                   TariffLine("42022215", "Handbags", "Free"),
                                                   TariffLine("04069099", "Cheese", "46.3¢/kg + 14.9%")])
EU_BOOK = TariffBook("EU", "2020", "CET test", [TariffLine("61091000", "T-shirts of cotton", "12.0%"),
                                                 TariffLine("61099020", "of wool", "12.0%"),
                                                 TariffLine("64029100", "footwear", "16.9%"),
                                                 TariffLine("64029190", "footwear other", "17.0%")])
GB_BOOK = TariffBook("GB", "2021", "UKGT test", [TariffLine("61091000", "T-shirts of cotton", "12.0%"),
                                                 TariffLine("85176200", "machines", "0.0%")])
TARIFFS = TariffSet([US_BOOK, EU_BOOK, GB_BOOK])


def req(dest, ccy, lines, day="2026-11-24", **kw):
    base = {"destination": dest, "date": day, "currency": ccy, "incoterm": "DDP", "channel": "own_store",
            "shipping": "5.00", "insurance": "0.00", "lines": lines}
    base.update(kw)
    return base


def line(hs="610910", value="15.00", qty=1, origin="CN", **kw):
    out = {"hs_code": hs, "description": "item", "origin": origin, "quantity": qty, "unit_value": value, "weight_kg": "0.2"}
    out.update(kw)
    return out


def run(r, c=None):
    return to_json(landed_cost(parse_request(r), c or ctx(TARIFFS, bundled())))


def sums_match(out):
    total = sum(D(e["amount"]) for e in out["explanation"])
    assert total == D(out["total_charges"]) == D(out["duty"]) + D(out["taxes"]) + D(out["fees"])
    assert sum(D(ln["duty"]) for ln in out["lines"]) == D(out["duty"])


# --- contract example and EU ---------------------------------------------------------------------

def test_contract_example_de_flat_duty_and_ioss_vat():
    out = run(req("DE", "EUR", [line(duty_rate="0.12")]))
    assert (out["duty"], out["taxes"], out["fees"], out["total_charges"]) == ("3.00", "3.80", "0.00", "6.80")
    assert out["collected_at"] == "checkout"
    assert out["lines"] == [{"index": 0, "hs_code": "610910", "duty": "3.00", "taxes": "3.80", "fees": "0.00"}]
    assert any("not used" in e["rule"] for e in out["explanation"])
    sums_match(out)


def test_eu_flat_duty_counts_distinct_subheadings():
    # research example: 1 silk blouse + 2 wool blouses = 2 item categories = EUR 6
    out = run(req("FR", "EUR", [line("620610", "40"), line("620620", "30", qty=2), line("620620", "10")], day="2026-07-01"))
    assert out["duty"] == "6.00"
    fee = [e for e in out["explanation"] if e["kind"] == "fee"]
    assert out["fees"] == "6.00" and "3 × 2" in fee[0]["rule"]  # France EUR 2 per line from 2026-03-01
    assert out["collected_at"] == "border"  # the fee is collected at import
    sums_match(out)


def test_eu_before_flat_duty_relief_and_after_threshold():
    before = run(req("DE", "EUR", [line()], day="2026-06-30"))
    assert before["duty"] == "0.00" and before["taxes"] == "3.80"
    # above EUR 150: CET 12% on CIF (goods + shipping), import VAT on CIF + duty at the border
    out = run(req("DE", "EUR", [line(value="200.00")], shipping="10.00"))
    assert out["duty"] == "25.20"  # 12% × 210
    assert out["taxes"] == "44.69"  # 19% × 235.20 = 44.688
    assert out["collected_at"] == "border" and out["liable_party"] == "seller"
    sums_match(out)


def test_eu_marketplace_is_deemed_supplier_and_non_ioss_pays_at_border():
    out = run(req("NL", "EUR", [line()], channel="marketplace"))
    assert out["liable_party"] == "marketplace" and out["collected_at"] == "checkout"
    out = run(req("NL", "EUR", [line()], ioss=False, incoterm="DAP"))
    assert out["duty"] == "0.00" and out["taxes"] == "4.20"  # 21% × 20 at import
    assert out["collected_at"] == "border" and out["liable_party"] == "buyer"


def test_eu_vat_rate_history():
    fi_before = run(req("FI", "EUR", [line()], day="2024-08-31"))
    fi_after = run(req("FI", "EUR", [line()], day="2024-09-01"))
    assert fi_before["taxes"] == "4.80" and fi_after["taxes"] == "5.10"


def test_eu_romania_fee_in_lei_converted():
    out = run(req("RO", "EUR", [line()]))
    assert out["fees"] == "5.00"  # 25 RON / 5.00


def test_eu_ambiguous_hs6_above_threshold_asks_for_longer_code():
    with pytest.raises(TariffRateMissing, match="lines\\[0\\].hs_code") as e:
        run(req("DE", "EUR", [line("640291", value="300")]))
    # the same text in English (CLI/API) and as a message the pages word in Chinese
    assert re.fullmatch(r"lines\[0\]\.hs_code: \d+ lines under 640291 carry \d+ different rates \(64029\d+ .*\); "
                        r"give the full national code or pass duty_rate", e.value.message), e.value.message
    assert e.value.msg is not None and e.value.msg.render() == e.value.message and "msg" not in e.value.to_dict()
    zh = e.value.msg.render(lambda t: i18n.gettext("zh_CN", t), zh=True)
    assert "lines[0].hs_code：640291 下有" in zh and "请给出完整的本国税号" in zh, zh
    out = run(req("DE", "EUR", [line("64029190", value="300")], shipping="0"))
    assert out["duty"] == "51.00"


def test_hs_required():
    with pytest.raises(HsRequired) as e:
        run(req("DE", "EUR", [line(), line(hs=None)]))
    assert e.value.code == "HS_REQUIRED" and e.value.field == "lines[1].hs_code"
    with pytest.raises(HsRequired):
        run(req("US", "USD", [line(hs="")]))
    with pytest.raises(HsRequired):
        run(req("US", "USD", [line(hs="6109")]))
    # below a duty threshold where nothing needs a code: no error
    assert run(req("GB", "GBP", [line(hs=None)]))["duty"] == "0.00"
    assert run(req("AU", "AUD", [line(hs=None)]))["collected_at"] == "checkout"


# --- US ------------------------------------------------------------------------------------------

def test_us_no_de_minimis_mfn_plus_301():
    out = run(req("US", "USD", [line(value="15.00", qty=2)]))
    assert out["duty"] == "7.20"  # 16.5% × 30 + 7.5% × 30, FOB (shipping excluded)
    assert out["taxes"] == "0.00" and out["collected_at"] == "border"
    sums_match(out)


def test_us_de_minimis_timeline():
    cn = [line(value="15.00")]
    de = [line(value="15.00", origin="DE")]
    assert run(req("US", "USD", cn, day="2025-05-01"))["duty"] == "0.00"
    assert run(req("US", "USD", cn, day="2025-05-02"))["duty"] == "3.61"  # 2.475 -> 2.48, 1.125 -> 1.13
    assert run(req("US", "USD", de, day="2025-08-28"))["collected_at"] == "none"
    assert run(req("US", "USD", de, day="2025-08-29"))["duty"] == "2.48"  # 16.5% of 15, no 301 for DE origin


def test_us_section_122_window_and_specific_compound_rate():
    out = run(req("US", "USD", [line(value="10.00", origin="FR")], day="2026-03-01"))
    assert out["duty"] == "2.65"  # 16.5% + 10% surcharge
    cheese = run(req("US", "USD", [line("04069099", value="20.00", origin="FR", weight_kg="1.5")]))
    assert cheese["duty"] == "3.67"  # 46.3¢ × 1.5 kg + 14.9% × 20 = 0.6945 + 2.98


def test_us_user_rows_extend_and_exclude():
    from xborder.customs.model import ExtraDuty

    extra = list(bundled()) + [ExtraDuty("Section 301", "US", "CN", "61091000", D(0), date(2020, 1, 1), None, "exclusion test")]
    out = run(req("US", "USD", [line("6109100004", value="15.00", qty=2)]), ctx(TARIFFS, extra))
    assert out["duty"] == "4.95"
    assert any("excluded" in e["rule"] for e in out["explanation"])


def test_missing_tariff_and_override():
    with pytest.raises(TariffRateMissing) as e:
        run(req("US", "USD", [line(value="10")]), ctx(None))
    assert e.value.field == "lines[0].duty_rate"
    out = run(req("US", "USD", [line(value="10", duty_rate="0.20")]), ctx(None))
    assert out["duty"] == "2.00"  # override, no extra-duty rows passed


def test_specific_rate_in_liters_not_guessed():
    book = TariffSet([TariffBook("US", "t", "s", [TariffLine("22042100", "Wine", "6.3¢/liter")])])
    with pytest.raises(TariffRateNotComputable):
        run(req("US", "USD", [line("220421", value="10", origin="FR")]), ctx(book))


# --- GB, CA, AU, JP, KR, SA, AE, BR, MX ---------------------------------------------------------

def test_gb_threshold():
    low = run(req("GB", "GBP", [line(value="135.00")]))
    assert low["duty"] == "0.00" and low["taxes"] == "28.00" and low["collected_at"] == "checkout"
    high = run(req("GB", "GBP", [line(value="135.01")]))
    assert high["duty"] == "16.80"  # 12% × 140.01
    assert high["taxes"] == "31.36"  # 20% × 156.81
    waived = run(req("GB", "GBP", [line("851762", value="200")], shipping="0"))
    assert waived["duty"] == "0.00"
    small = run(req("GB", "GBP", [line(value="68.00", qty=2)], shipping="0"))
    assert small["duty"] == "16.32"


def test_ca_thresholds():
    assert run(req("CA", "CAD", [line(value="20.00")]))["collected_at"] == "none"
    out = run(req("CA", "CAD", [line(value="21.00", duty_rate="0.18")]))
    assert out["duty"] == "3.78" and out["taxes"] == "1.24"  # GST 5% × 24.78
    hst = run(req("CA", "CAD", [line(value="100.00", duty_rate="0")], region="ON"))
    assert hst["taxes"] == "13.00"
    us_origin = run(req("CA", "CAD", [line(value="100.00", origin="US")]))
    assert us_origin["duty"] == "0.00" and us_origin["taxes"] == "5.00"
    with pytest.raises(TariffRateMissing):
        run(req("CA", "CAD", [line(value="21.00")]))


def test_au_gst_at_checkout_and_border():
    out = run(req("AU", "AUD", [line(value="1000.00")], shipping="0"))
    assert out["taxes"] == "100.00" and out["collected_at"] == "checkout"
    out = run(req("AU", "AUD", [line(value="1000.01", duty_rate="0.05")], shipping="20.00"))
    assert out["duty"] == "50.00" and out["taxes"] == "107.00"  # 10% × (1000.01 + 50 + 20)


def test_jp_sixty_percent_rule_and_truncation():
    assert run(req("JP", "JPY", [line(value="16666")], shipping="0"))["collected_at"] == "none"
    out = run(req("JP", "JPY", [line(value="20000", duty_rate="0.10")], shipping="1500"))
    # base 0.6 × 20000 + 1500 = 13500 -> 13000; duty 1300; tax base 14800 -> 14000; tax 1400
    assert out["duty"] == "1300" and out["taxes"] == "1400"


def test_kr_threshold_and_us_origin():
    # USD 150 = 150/1.10 × 1500 KRW = 204,545.45 KRW
    assert run(req("KR", "KRW", [line(value="204545")]))["collected_at"] == "none"
    assert run(req("KR", "KRW", [line(value="204546", duty_rate="0.08")]))["duty"] != "0"
    assert run(req("KR", "KRW", [line(value="250000", origin="US")]))["collected_at"] == "none"


def test_sa_vat_on_all_values_and_ae():
    out = run(req("SA", "SAR", [line(value="100.00")]))
    assert out["duty"] == "0.00" and out["taxes"] == "15.75"
    with pytest.raises(TariffRateMissing):
        run(req("SA", "SAR", [line(value="996.00")]))  # 996 + 5 shipping >= 1000
    assert run(req("AE", "AED", [line(value="100.00")]))["taxes"] == "5.25"


def test_br_remessa_conforme():
    # certified marketplace, customs value USD 40 -> 20%; ICMS 17% por dentro
    out = run(req("BR", "USD", [line(value="35.00")], channel="marketplace"))
    assert out["duty"] == "8.00"
    assert out["taxes"] == "9.83"  # (40 + 8) × 0.17 / 0.83 = 9.831
    assert out["collected_at"] == "checkout"
    out = run(req("BR", "USD", [line(value="95.00")], channel="marketplace", region="MG"))
    assert out["duty"] == "40.00"  # 60% × 100 - 20
    assert out["taxes"] == "35.00"  # (100 + 40) × 0.20 / 0.80
    out = run(req("BR", "USD", [line(value="35.00")]))
    assert out["duty"] == "24.00" and out["collected_at"] == "border"


def test_mx_global_rate_dates():
    assert run(req("MX", "USD", [line(value="95.00")]))["duty"] == "33.50"
    assert run(req("MX", "USD", [line(value="95.00")], day="2025-08-14"))["duty"] == "19.00"
    assert run(req("MX", "USD", [line(value="45.00", origin="US")]))["collected_at"] == "none"


# --- input validation ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "patch,field",
    [
        ({"destination": "XX"}, "destination"),
        ({"destination": "ZW"}, "destination"),
        ({"date": "24/11/2026"}, "date"),
        ({"currency": "EURO"}, "currency"),
        ({"incoterm": "FOB"}, "incoterm"),
        ({"channel": "shop"}, "channel"),
        ({"shipping": "-1"}, "shipping"),
        ({"lines": []}, "lines"),
        ({"lines": [line(value="abc")]}, "lines[0].unit_value"),
        ({"lines": [line(value=1.5)]}, "lines[0].unit_value"),
        ({"lines": [line(hs="61A910")]}, "lines[0].hs_code"),
        ({"lines": [line(origin="China")]}, "lines[0].origin"),
        ({"lines": [line(qty=0)]}, "lines[0].quantity"),
        ({"lines": [line(duty_rate="12")]}, "lines[0].duty_rate"),
    ],
)
def test_bad_input_names_field(patch, field):
    data = req("DE", "EUR", [line()])
    data.update(patch)
    with pytest.raises((ValidationError, UnsupportedDestination)) as e:
        run(data)
    assert e.value.field == field and field in str(e.value)


def test_cross_currency_explains_rate_and_rounds_in_input_currency():
    out = run(req("DE", "CNY", [line(value="120.00")], shipping="40.00"))
    # 120 CNY = 15 EUR -> EUR 3 flat duty = 24.00 CNY; VAT 19% × 20 EUR = 3.80 EUR = 30.40 CNY
    assert out["duty"] == "24.00" and out["taxes"] == "30.40"
    assert out["explanation"][0]["rule"].startswith("Exchange rate: 1 CNY = 0.125000 EUR")
    sums_match(out)


def test_reduced_vat_rate_given_with_a_line():
    # a book to Germany: 7% instead of 19%, explained
    out = run(req("DE", "EUR", [line("490199", value="15.00", vat_rate="0.07")]))
    assert out["taxes"] == "1.40"
    assert any("given with the line instead of 19%" in e["rule"] for e in out["explanation"])
    assert run(req("GB", "GBP", [line("490199", value="10.00", vat_rate="0")]))["taxes"] == "0.00"
    with pytest.raises(ValidationError) as e:
        run(req("DE", "EUR", [line(vat_rate="19")]))
    assert e.value.field == "lines[0].vat_rate"

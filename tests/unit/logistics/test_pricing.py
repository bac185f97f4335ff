"""Worked examples: the issue's card, and the research notes' formulas (logistics.md §2.2-§2.5)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xborder.logistics.pricing import Ineligible, Option, RateRequest, billable_weight, quote, shop
from xborder.logistics.ratecard import parse_card

ON = date(2026, 11, 24)


def req(dest="US", kg="0.42", dims=("20", "15", "3"), **kw):
    return RateRequest.build(dest, kg, dims, ON, **kw)


def amounts(opt):
    return [(ln.kind, str(ln.amount)) for ln in opt.lines]


def card(body: str, head: str = "") -> object:
    return parse_card(
        "carrier: C\nservice: S\ncode: c\ncurrency: CNY\nvalid_from: 2026-01-01\ntransit_days: {min: 1, max: 9}\n" + head + body
    )


def test_issue_card_contract_parcel(issue_card):
    o = quote(issue_card, req())
    assert isinstance(o, Option)
    assert amounts(o) == [("freight", "27.30"), ("piece", "14.00"), ("fuel", "4.13")]
    assert o.price == Decimal("45.43")
    assert o.billable_weight_kg == Decimal("0.42")
    assert "volumetric weight not applied" in " ".join(o.explain)


def test_band_upper_bound_inclusive_lower_exclusive(issue_card):
    at = quote(issue_card, req(kg="0.5"))
    assert amounts(at) == [("freight", "32.50"), ("piece", "14.00"), ("fuel", "4.65")]
    above = quote(issue_card, req(kg="0.501"))
    assert amounts(above) == [("freight", "30.06"), ("piece", "12.00"), ("fuel", "4.21")]
    assert above.price == Decimal("46.27")
    top = quote(issue_card, req(kg="2.0"))
    assert isinstance(top, Option) and top.billable_weight_kg == Decimal(2)


def test_volumetric_applies_only_over_the_side_condition(issue_card):
    o = quote(issue_card, req(kg="0.3", dims=("45", "30", "10")))
    # 45×30×10/8000 = 1.6875 kg -> 1.688 kg (whole grams, rounded up), band 0.5-2.0
    assert o.billable_weight_kg == Decimal("1.688")
    assert amounts(o) == [("freight", "101.28"), ("piece", "12.00"), ("fuel", "11.33")]
    not_over = quote(issue_card, req(kg="0.3", dims=("40", "30", "15")))
    assert not_over.billable_weight_kg == Decimal("0.3")


def test_minimum_chargeable_weight(issue_card):
    o = quote(issue_card, req(kg="0.02"))
    assert o.billable_weight_kg == Decimal("0.05")
    assert amounts(o) == [("freight", "3.25"), ("piece", "14.00"), ("fuel", "1.73")]


def test_first_weight_each_started_step_is_charged(issue_card):
    o = quote(issue_card, req(dest="GB", kg="1.2"))
    assert amounts(o) == [("freight", "45.00"), ("freight", "30.00"), ("fuel", "7.50")]
    exact = quote(issue_card, req(dest="DE", kg="1.0"))
    assert exact.price == Decimal("66.00")
    first = quote(issue_card, req(dest="FR", kg="0.5"))
    assert first.price == Decimal("49.50")


def test_research_epacket_registration_plus_per_gram():
    # e邮宝: 12 CNY registration + 0.060 CNY/g; 500 g -> 42.0 (logistics.md §2.2)
    c = card("zones: [{countries: [RU], bands: [{up_to_kg: 5, per_kg: 60, per_piece: 12}]}]\n")
    assert quote(c, req(dest="RU", kg="0.5")).price == Decimal("42.00")


def test_research_e_baoguo_first_and_additional():
    # e包裹特惠: 52.5 first 500 g + 15 per extra 500 g; 1235 g -> 82.5 (logistics.md §2.2)
    c = card("zones: [{countries: [RU], first_weight: {kg: 0.5, price: 52.5}, additional: {step_kg: 0.5, price: 15, up_to_kg: 31}}]\n")
    assert quote(c, req(dest="RU", kg="1.235")).price == Decimal("82.50")
    assert quote(c, req(dest="RU", kg="31.001")).reason == "too heavy"


def test_research_e_te_kuai_50g_steps_and_conditional_volumetric():
    # e特快: 102 first 50 g + 2.55 per 50 g; 500 g -> 124.95; /6000 only if a side reaches 40 cm
    c = card(
        "zones: [{countries: [RU], first_weight: {kg: 0.05, price: 102}, additional: {step_kg: 0.05, price: 2.55}}]\n",
        head="volumetric: {divisor: 6000, applies_when_longest_side_cm_over: 39.9}\n",
    )
    assert quote(c, req(dest="RU", kg="0.5")).price == Decimal("124.95")
    big = quote(c, req(dest="RU", kg="0.5", dims=("40", "30", "20")))
    assert big.billable_weight_kg == Decimal(4)  # 24000/6000


def test_research_wish_epc_band_item_fees():
    # Wish EPC (Feb 2020): 250 g-5 kg: 20.709 item fee + 68.877 CNY/kg (logistics.md §2.3)
    c = card(
        "zones: [{countries: [AR], bands: ["
        "{up_to_kg: 0.03, per_piece: 8.55}, {up_to_kg: 0.08, per_kg: 92.988, per_piece: 5.76},"
        "{up_to_kg: 0.25, per_kg: 71.514, per_piece: 6.39}, {up_to_kg: 5, per_kg: 68.877, per_piece: 20.709}]}]\n"
    )
    o = quote(c, req(dest="AR", kg="1"))
    assert amounts(o) == [("freight", "68.88"), ("piece", "20.71")]
    assert quote(c, req(dest="AR", kg="0.03")).price == Decimal("8.55")
    assert amounts(quote(c, req(dest="AR", kg="0.05"))) == [("freight", "4.65"), ("piece", "5.76")]


def test_research_express_billing_steps(sample_cards):
    express = next(c for c in sample_cards if c.code == "express-intl")
    w, _ = billable_weight(express, RateRequest.build("US", "1.67", ("10", "10", "10"), ON).parcel)
    assert w == Decimal("2.0")
    w, _ = billable_weight(express, RateRequest.build("US", "34.1", ("10", "10", "10"), ON).parcel)
    assert w == Decimal(35)
    # volumetric 40×30×30/5000 = 7.2 kg beats 0.8 kg actual (karrio ignores it, research §1.5)
    w, _ = billable_weight(express, RateRequest.build("DE", "0.8", ("40", "30", "30"), ON).parcel)
    assert w == Decimal("7.5")


def test_express_table_fuel_peak_and_remote(sample_cards):
    express = next(c for c in sample_cards if c.code == "express-intl")
    o = quote(express, req(kg="1.67", postcode="99501", dims=("10", "10", "10")))
    kinds = [(ln.kind, ln.label.split(":")[0], str(ln.amount)) for ln in o.lines]
    # table 2 kg Z6 = 533; remote 4/kg × 2 = 8 -> minimum 200; peak 18/kg × 2 (2026-27 season); fuel 20% of 533
    assert kinds == [
        ("freight", "table price up to 2 kg", "533.00"),
        ("surcharge", "Remote area", "200.00"),
        ("surcharge", "Demand surcharge Americas (assumed repeat)", "36.00"),
        ("fuel", "Fuel surcharge", "106.60"),
    ]
    assert o.price == Decimal("875.60")
    summer = quote(express, RateRequest.build("US", "1.67", ("10", "10", "10"), date(2026, 6, 1)))
    assert summer.price == Decimal("639.60")  # no peak, no remote (no postcode)


def test_above_table_per_kg(sample_cards):
    express = next(c for c in sample_cards if c.code == "express-intl")
    o = quote(express, RateRequest.build("JP", "6.2", ("10", "10", "10"), date(2026, 6, 1)))
    assert o.billable_weight_kg == Decimal("6.5")
    assert o.lines[0].amount == Decimal("864.50")  # 6.5 × 133


def test_per_cbm_head_haul_weight_measure_and_minimum(sample_cards):
    sea = next(c for c in sample_cards if c.code == "sea-lcl-us")
    small = RateRequest.build("US", "20", ("60", "40", "40"), ON, to_warehouse=True)
    small = RateRequest(**{**small.__dict__, "parcel": small.parcel.__class__(Decimal(20), Decimal(60), Decimal(40), Decimal(40), 2)})
    assert quote(sea, small).price == Decimal("240.00")  # 0.192 cbm -> 1 cbm minimum
    many = RateRequest(**{**small.__dict__, "parcel": small.parcel.__class__(Decimal(20), Decimal(60), Decimal(40), Decimal(40), 20)})
    assert quote(sea, many).price == Decimal("460.80")  # 1.92 cbm × 240
    heavy = RateRequest(**{**small.__dict__, "parcel": small.parcel.__class__(Decimal(150), Decimal(60), Decimal(40), Decimal(40), 10)})
    o = quote(sea, heavy)
    assert o.price == Decimal("360.00")  # 1500 kg / 1000 = 1.5 cbm beats 0.96 cbm
    assert quote(sea, RateRequest.build("US", "20", ("60", "40", "40"), ON)).reason == "no coverage"


@pytest.mark.parametrize(
    ("kw", "reason"),
    [
        ({"kg": "2.5"}, "too heavy"),
        ({"dims": ("61", "10", "10")}, "too big"),
        ({"dims": ("40", "30", "25")}, "too big"),
        ({"contents": ("battery",)}, "forbidden contents"),
        ({"dest": "JP"}, "no coverage"),
        ({"max_days": 10}, "too slow"),
    ],
)
def test_ineligible_reasons(issue_card, kw, reason):
    r = quote(issue_card, req(**kw))
    assert isinstance(r, Ineligible)
    assert r.reason == reason
    assert r.to_dict()["reason"] == reason and r.detail


def test_several_reasons_are_all_listed(issue_card):
    r = quote(issue_card, req(kg="3", dims=("70", "10", "10"), contents=("liquid",), max_days=5))
    assert r.to_dict()["reasons"] == ["too heavy", "too big", "forbidden contents", "too slow"]


def test_card_not_in_force_and_value_cap(sample_cards):
    epacket = next(c for c in sample_cards if c.code == "cn-post-epacket")
    old = RateRequest.build("US", "0.4", ("20", "15", "3"), date(2025, 6, 1))
    assert quote(epacket, old).reason == "not in force"
    pricey = req(value=Decimal("450"), currency="USD")
    assert quote(epacket, pricey).reason == "over value limit"
    assert isinstance(quote(epacket, req(value=Decimal("20"), currency="USD")), Option)


def test_shop_sorts_cheapest_first_and_lists_ineligible(sample_cards, issue_card):
    cny = [c for c in sample_cards if c.currency == "CNY"] + [issue_card]
    res = shop(cny, req(postcode="10001", max_days=20, value=Decimal("20"), currency="USD"))
    prices = [o.price for o in res.options]
    assert prices == sorted(prices) and len(prices) >= 3
    assert res.options[0].code == "ex-packet" and res.options[0].price == Decimal("45.43")
    inel = {i.code: i.reason for i in res.ineligible}
    assert inel["wanb-uk"] == "no coverage"
    assert inel["fba-heavy-us"] == "no coverage"  # a warehouse line, not to a buyer
    d = res.to_dict()
    assert set(d["options"][0]) >= {"code", "carrier", "service", "price", "currency", "billable_weight_kg", "transit_days_max", "breakdown"}


def test_shop_ranks_mixed_currencies_with_fx(sample_cards):
    res = shop(sample_cards, req(kg="15", dims=("50", "40", "30"), to_warehouse=True), to_rank_currency=lambda a, cur: a * (Decimal("7.1") if cur == "USD" else 1))
    ranked = [o.rank_price for o in res.options]
    assert ranked == sorted(ranked)
    res2 = shop(sample_cards, req(kg="15", dims=("50", "40", "30"), to_warehouse=True))
    assert res2.notes


def test_no_silent_miss_at_any_gram_up_to_the_limit(issue_card):
    for g in range(1, 2001, 7):
        kg = Decimal(g) / 1000
        assert isinstance(quote(issue_card, req(kg=str(kg))), Option), kg
    assert isinstance(quote(issue_card, req(kg="2")), Option)

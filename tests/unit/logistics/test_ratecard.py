from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xborder.logistics.errors import RateCardInvalid
from xborder.logistics.ratecard import PostcodeRule, parse_card


def errors_of(text: str) -> list[dict]:
    with pytest.raises(RateCardInvalid) as ei:
        parse_card(text, "t.yaml")
    return ei.value.errors


def test_issue_example_parses_exactly(issue_card):
    c = issue_card
    assert (c.carrier, c.service, c.code, c.currency) == ("Example Post", "Tracked small packet", "ex-packet", "CNY")
    assert c.valid_from == date(2026, 1, 1) and c.valid_to is None
    assert (c.transit_min, c.transit_max) == (7, 15)
    assert c.volumetric.divisor == Decimal(8000)
    assert c.volumetric.applies_when_longest_side_cm_over == Decimal(40)
    assert c.limits.max_sum_of_sides_cm == Decimal(90)
    assert c.forbidden == ("battery", "liquid")
    assert c.min_chargeable_kg == Decimal("0.05")
    assert c.surcharges[0].type == "fuel_percent" and c.surcharges[0].value == Decimal(10)
    assert [b.up_to_kg for b in c.zones[0].bands] == [Decimal("0.5"), Decimal("2.0")]
    assert c.zones[1].first_weight.price == Decimal(45)
    assert c.zones[1].additional.step_kg == Decimal("0.5")


def test_numbers_are_exact_decimals_not_floats(issue_text):
    c = parse_card(issue_text.replace("per_kg: 65,", "per_kg: 0.1,"))
    assert c.zones[0].bands[0].per_kg == Decimal("0.1")
    assert isinstance(c.zones[0].bands[0].per_kg, Decimal)


def test_sample_cards_all_valid_and_illustrative(sample_cards):
    codes = {c.code for c in sample_cards}
    assert {"cn-post-epacket", "wanb-us", "wanb-uk", "eu-line", "express-intl", "sea-lcl-us", "air-freight-us", "fba-heavy-us"} <= codes
    for c in sample_cards:
        assert c.illustrative, c.code
        assert c.source, c.code


def test_errors_have_line_column_and_field(issue_text):
    text = issue_text.replace("currency: CNY", "currency: XYZ").replace("per_kg: 60,", "per_kg: abc,")
    errs = errors_of(text)
    by_field = {e["field"]: e for e in errs}
    assert by_field["currency"]["line"] == 4
    assert by_field["currency"]["column"] == 11
    assert "ISO 4217" in by_field["currency"]["message"]
    assert by_field["zones[0].bands[1].per_kg"]["line"] == 16
    assert "not a number" in by_field["zones[0].bands[1].per_kg"]["message"]


def test_every_error_is_reported_not_only_the_first(issue_text):
    text = issue_text.replace("forbidden: [battery, liquid]", "forbidden: [battery, gunpowder]").replace(
        "countries: [GB, DE, FR]", "countries: [GB, XX, FR]"
    ).replace("valid_from: 2026-01-01", "valid_from: 2026-13-01")
    errs = errors_of(text)
    fields = [e["field"] for e in errs]
    assert "valid_from" in fields
    assert "forbidden[1]" in fields
    assert "zones[1].countries[1]" in fields
    assert [e["line"] for e in errs] == sorted(e["line"] for e in errs)


def test_bands_must_increase_and_unknown_fields_are_rejected(issue_text):
    text = issue_text.replace("up_to_kg: 2.0", "up_to_kg: 0.4").replace("min_chargeable_kg: 0.05", "min_chargable_kg: 0.05")
    errs = errors_of(text)
    msgs = {e["field"]: e["message"] for e in errs}
    assert "must increase" in msgs["zones[0].bands[1].up_to_kg"]
    assert msgs["min_chargable_kg"] == "unknown field"


def test_missing_required_and_one_pricing_per_zone(issue_text):
    text = issue_text.replace("code: ex-packet\n", "").replace(
        "    first_weight: {kg: 0.5, price: 45}", "    first_weight: {kg: 0.5, price: 45}\n    bands: [{up_to_kg: 1, per_kg: 1}]"
    )
    errs = errors_of(text)
    fields = {e["field"]: e["message"] for e in errs}
    assert fields["code"] == "required field is missing"
    assert "only one pricing" in fields["zones[1].first_weight"]


def test_yaml_syntax_error_reports_its_line():
    errs = errors_of("carrier: X\nzones: [\n  {a: 1\n")
    assert len(errs) == 1 and errs[0]["line"] >= 3 and "not valid YAML" in errs[0]["message"]


def test_duplicate_country_needs_postcodes(issue_text):
    text = issue_text.replace("countries: [GB, DE, FR]", "countries: [US, DE, FR]")
    errs = errors_of(text)
    assert any("already in zones[0]" in e["message"] for e in errs)
    ok = issue_text.replace("countries: [GB, DE, FR]", "countries: [US]\n    postcodes: ['99500-99999']")
    assert parse_card(ok).zones[1].postcodes == (PostcodeRule("99500-99999"),)


def test_table_prices_need_one_price_per_weight():
    text = """
carrier: E
service: S
code: e
currency: CNY
valid_from: 2026-01-01
transit_days: {min: 1, max: 3}
table_weights_kg: [0.5, 1, 2]
zones:
  - {countries: [US], prices: [10, 20]}
"""
    errs = errors_of(text)
    assert "expected 3 prices" in errs[0]["message"] and errs[0]["line"] == 10


def test_peak_surcharge_must_be_dated_and_remote_needs_postcodes(issue_text):
    text = issue_text.replace(
        "surcharges: [{type: fuel_percent, value: 10}]",
        "surcharges: [{type: peak_per_kg, value: 3}, {type: remote_area, per_piece: 5}]",
    )
    msgs = " | ".join(e["message"] for e in errors_of(text))
    assert "peak_per_kg needs valid_from and valid_to" in msgs
    assert "remote_area needs the postcodes" in msgs


def test_validity_dates_and_rounding_steps_whole_grams(issue_text):
    text = issue_text.replace("valid_from: 2026-01-01", "valid_from: 2026-01-01\nvalid_to: 2025-12-31\nrounding: {step_kg: 0.0005}")
    fields = {e["field"] for e in errors_of(text)}
    assert {"valid_to", "rounding.step_kg"} <= fields


@pytest.mark.parametrize(
    ("rule", "code", "expected"),
    [
        ("10000-14999", "10001", True),
        ("10000-14999", "15000", False),
        ("10000-14999", "10001-1234", True),
        ("BT*", "BT1 1AA", True),
        ("BT*", "B1 1AA", False),
        ("99501", "99501", True),
        ("10000-14999", None, False),
    ],
)
def test_postcode_rules(rule, code, expected):
    assert PostcodeRule(rule).matches(code) is expected


def test_transit_days_may_be_omitted(issue_text):
    from datetime import date as _date
    from decimal import Decimal as _D

    from xborder.logistics.pricing import RateRequest, quote

    c = parse_card(issue_text.replace("transit_days: {min: 7, max: 15}\n", ""))
    assert c.transit_max is None
    o = quote(c, RateRequest.build("US", "0.42", ("20", "15", "3"), _date(2026, 3, 1), max_days=3))
    assert o.price == _D("45.43") and o.to_dict()["transit_days_max"] is None
    assert "could not be checked" in o.explain[-1]


def test_yaml_aliases_are_refused():
    errs = errors_of("a: &x [1, 2]\nb: *x\n")
    assert errs[0]["line"] == 2 and "aliases" in errs[0]["message"]


def test_postal_cards_say_packet_or_parcel(issue_text):
    """``postal: true`` / ``packet`` are UPU small packets (CN 22 below 300 SDR); ``parcel`` is a
    postal parcel service (always a CN 23); anything else is a line-numbered error."""
    base = issue_text.rstrip() + "\n"
    assert (parse_card(base).postal, parse_card(base).postal_parcel) == (False, False)
    for value, expected in (("true", (True, False)), ("packet", (True, False)), ("parcel", (True, True)), ("false", (False, False))):
        c = parse_card(base + f"postal: {value}\n")
        assert (c.postal, c.postal_parcel) == expected, value
    errs = errors_of(base + "postal: letter\n")
    assert [e["field"] for e in errs] == ["postal"] and "packet or parcel" in errs[0]["message"]
    assert errs[0]["line"] == len(base.splitlines()) + 1

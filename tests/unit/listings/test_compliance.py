from datetime import date

import pytest

from xborder.errors import ValidationError
from xborder.listings.compliance import (
    SkuProfile,
    StatusRecord,
    applicable,
    checklist,
    market_for,
    rulebook,
    summary,
)


def ids(profile, market, on):
    return [r.id for r in applicable(profile, market, on)]


def test_gpsr_responsible_person_from_13_december_2024():
    p = SkuProfile(category="home_decor")
    assert "eu.gpsr.responsible_person" not in ids(p, "FR", date(2024, 12, 12))
    assert "eu.gpsr.responsible_person" in ids(p, "FR", date(2024, 12, 13))
    assert "eu.gpsr.responsible_person" not in ids(p, "US", date(2025, 1, 1))


def test_german_battery_law_switches_on_18_august_2025():
    p = SkuProfile(category="power_bank")
    assert "de.battery.battg" in ids(p, "DE", date(2025, 8, 17))
    assert "de.battery.battdg" not in ids(p, "DE", date(2025, 8, 17))
    assert "de.battery.battdg" in ids(p, "DE", date(2025, 8, 18))
    assert "de.battery.battg" not in ids(p, "DE", date(2025, 8, 18))


def test_lithium_flag_brings_transport_requirements_everywhere():
    p = SkuProfile(category="generic", flags=frozenset({"battery", "lithium_battery"}))
    for m in ("US", "DE", "JP"):
        got = ids(p, m, date(2026, 11, 1))
        assert "transport.un38_3" in got and "transport.sds" in got
    assert "transport.soc30" not in ids(p, "US", date(2026, 11, 1))
    p2 = SkuProfile(category="generic", flags=frozenset({"battery", "lithium_battery", "battery_standalone"}))
    assert "transport.soc30" in ids(p2, "US", date(2026, 11, 1))


def test_us_children_and_radio():
    toy = ids(SkuProfile(category="toy"), "US", date(2026, 11, 1))
    assert {"us.cpsia.cpc", "us.cpsia.tracking_label", "us.toy.astm_f963"} <= set(toy)
    ear = ids(SkuProfile(category="earbuds"), "US", date(2026, 11, 1))
    assert {"us.fcc.certification", "us.fcc.sdoc", "transport.un38_3"} <= set(ear)
    assert "us.cpsia.cpc" not in ear


def test_eu_electrical_and_france_epr():
    got = ids(SkuProfile(category="lighting"), "FR", date(2026, 11, 1))
    assert {"eu.ce.lvd", "eu.ce.emc", "eu.rohs", "fr.epr.eee", "fr.epr.packaging", "fr.triman"} <= set(got)
    assert "de.weee.ear" not in got
    assert "gb.ukca_or_ce" in ids(SkuProfile(category="lighting"), "GB", date(2026, 11, 1))


def test_flags_can_be_switched_off():
    p = SkuProfile(category="kitchen", flags_off=frozenset({"food_contact"}))
    assert "eu.food_contact" not in ids(p, "DE", date(2026, 11, 1))


def test_status_records_and_readiness():
    p = SkuProfile(category="home_decor")
    on = date(2026, 11, 1)
    items = checklist(p, "DE", on)
    assert summary(items)["ready"] is False
    recs = {i.requirement.id: StatusRecord(i.requirement.id, "done", reference="x") for i in items}
    assert summary(checklist(p, "DE", on, recs))["ready"] is True
    recs["de.packaging.lucid"] = StatusRecord("de.packaging.lucid", "done", expires_on=date(2026, 10, 31))
    items = checklist(p, "DE", on, recs)
    assert {i.requirement.id: i.status for i in items}["de.packaging.lucid"] == "expired"
    assert summary(items)["blocking_open"] == ["de.packaging.lucid"]
    recs["de.packaging.lucid"] = StatusRecord("de.packaging.lucid", "not_applicable", note="ships via FBA; Amazon licenses")
    assert summary(checklist(p, "DE", on, recs))["ready"] is True


def test_market_from_marketplace_or_country():
    assert market_for("amazon-de") == "DE"
    assert market_for("uk") == "GB"
    assert market_for("ebay-uk") == "GB"
    with pytest.raises(ValidationError):
        market_for("nowhere")


def test_every_requirement_is_dated_and_sourced():
    for r in rulebook().requirements:
        assert r.valid_from and r.source and r.name_zh and r.what_zh and r.markets
        assert r.when or r.when_all

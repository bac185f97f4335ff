import pytest

from xborder.customs.extra_duties import bundled_screening_rules
from xborder.customs.screening import ScreenLine, parse_rules, screen, worst

RULES = bundled_screening_rules()


def cats(flags):
    return {(f.category, f.severity) for f in flags}


def test_power_bank_blocked_by_post_warn_by_express():
    lines = [ScreenLine(0, "850760", "10000mAh power bank")]
    assert ("lithium_battery", "block") in cats(screen(lines, "DE", "post", RULES))
    assert worst(screen(lines, "DE", "air_express", RULES)) == "warn"
    assert screen(lines, "DE", "sea", RULES) == []


def test_installed_battery_is_a_warning_by_post():
    flags = screen([ScreenLine(0, "851762", "Bluetooth earbuds with lithium battery")], "GB", "post", RULES)
    assert cats(flags) >= {("lithium_battery", "warn")} and worst(flags) == "warn"


def test_chinese_words_and_flags():
    assert {f.category for f in screen([ScreenLine(0, None, "香水 50ml")], "FR", "post", RULES)} == {"liquid"}
    assert {f.category for f in screen([ScreenLine(0, None, "toy set", ("magnet",))], "US", "air_express", RULES)} == {"magnet"}
    # words match whole words only: "ink" is not in "pink"
    assert screen([ScreenLine(0, None, "pink cotton dress")], "FR", "post", RULES) == []


def test_destination_rules():
    vape = [ScreenLine(0, None, "disposable vape pen")]
    assert worst(screen(vape, "BR", "air_express", RULES)) == "block"
    assert ("e_cigarette", "block") not in cats(screen(vape, "DE", "air_express", RULES))
    seeds = [ScreenLine(0, "120991", "vegetable seeds")]
    assert worst(screen(seeds, "AU", "air_express", RULES)) == "block"
    assert worst(screen(seeds, "DE", "air_express", RULES)) == "warn"


def test_every_rule_cites_a_source_and_bad_rules_rejected():
    assert all(r.source for r in RULES.rules)
    with pytest.raises(ValueError, match="source"):
        parse_rules("categories: {a: {title: A}}\nrules: [{category: a, severity: warn, message: m}]")
    with pytest.raises(ValueError, match="category"):
        parse_rules("categories: {}\nrules: [{category: a, severity: warn, source: s}]")

from decimal import Decimal

import pytest

from xborder.errors import ValidationError
from xborder.listings import sizes, units


def test_exact_definitions():
    assert Decimal("28.349523125") == units.G_PER_OZ
    assert units.in_to_cm(Decimal(1), 2) == Decimal("2.54")
    assert units.lb_to_grams(Decimal(1), 5) == Decimal("453.59237")
    assert units.oz_to_grams(Decimal(16), 5) == Decimal("453.59237")


def test_round_trip_cm_in():
    assert units.cm_to_in(Decimal("30")) == Decimal("11.8")
    assert units.in_to_cm(Decimal("11.8")) == Decimal("30.0")


def test_weight_switches_to_pounds_at_one_pound():
    assert units.format_weight(Decimal("453"), "US") == "16.0 oz (453 g)"
    assert units.format_weight(Decimal("454"), "US") == "1.00 lb (454 g)"
    assert units.format_weight(Decimal("1500"), "GB") == "1.50 kg (3.31 lb)"


def test_float_refused():
    with pytest.raises(TypeError):
        units.cm_to_in(2.5)


def test_clothing_maps_all_four_systems():
    row = sizes.clothing("womens_tops", "m")
    assert (row["cn"], row["us"], row["uk"], row["eu"]) == ("165/88A", "8-10", "12-14", "40-42")
    assert sizes.from_system("womens_tops", "eu", "38")["label"] == "S"
    assert sizes.from_system("mens_tops", "cn", "175")["label"] == "L"
    with pytest.raises(ValidationError) as e:
        sizes.clothing("hats", "M")
    assert e.value.field == "size_chart"


def test_shoe_sizes_from_foot_length():
    s = sizes.shoe_sizes(Decimal(270))
    # last = 285 mm: EU 285/10*1.5 = 42.75 -> 43; UK 285/25.4*3-25 = 8.66 -> 8.5
    assert (s.eu, s.uk, s.us_men, s.us_women, s.cn) == ("43", "8.5", "9.5", "10.5", "270")
    with pytest.raises(ValidationError):
        sizes.shoe_sizes(Decimal(90))

from decimal import Decimal

import pytest

from xborder.errors import CurrencyMismatch, ValidationError
from xborder.money import Money, minor_units, quantize, to_decimal


def test_minor_units_follow_iso_4217():
    assert minor_units("JPY") == 0
    assert minor_units("KWD") == 3
    assert minor_units("CNY") == 2
    assert minor_units("EUR") == 2


def test_rounding_is_half_up_to_minor_units():
    assert Money("2.345", "USD").round().amount == Decimal("2.35")
    assert Money("-2.345", "USD").round().amount == Decimal("-2.35")
    assert Money("1.0005", "KWD").round().amount == Decimal("1.001")
    assert Money("99.5", "JPY").round().amount == Decimal("100")
    assert quantize(Decimal("0.125"), 2) == Decimal("0.13")


def test_currencies_do_not_mix():
    with pytest.raises(CurrencyMismatch):
        Money("1", "USD") + Money("1", "EUR")
    with pytest.raises(CurrencyMismatch):
        _ = Money("1", "USD") < Money("1", "EUR")


def test_floats_are_refused():
    with pytest.raises(TypeError):
        Money(0.1, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_decimal(1.5)


def test_bad_values_name_the_field():
    with pytest.raises(ValidationError) as e:
        to_decimal("12,3x", "price")
    assert e.value.field == "price"
    with pytest.raises(ValidationError):
        Money("1", "XXY")


def test_arithmetic_is_exact():
    total = Money("0", "USD")
    for _ in range(10):
        total = total + Money("0.1", "USD")
    assert total == Money("1.0", "USD")
    assert (Money("10", "EUR") * "0.19").amount == Decimal("1.90")
    assert Money("10", "EUR").convert("7.9", "CNY") == Money("79.0", "CNY")
    assert Money("3.10", "USD").to_str() == "3.10"

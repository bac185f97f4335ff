from decimal import Decimal

import pytest

from xborder.catalog.model import parse_sku_input, sku_errors, validate_barcode, validate_hs_code
from xborder.errors import ValidationError


def test_valid_sku():
    s = parse_sku_input({"sku": "PA-1", "name_en": "Cable", "weight_g": "35.5", "hs_code": "8544.42", "barcode": "036000291452",
                         "battery": "yes", "origin": "cn", "purchase_cost": "6.80"})
    assert s.weight_g == Decimal("35.5") and s.hs_code == "854442" and s.battery and s.origin == "CN"
    assert s.barcode == "036000291452"  # UPC-A


def test_every_bad_field_is_reported():
    errs = sku_errors({"sku": "", "weight_g": "-1", "hs_code": "12", "barcode": "4006381333932", "origin": "XX",
                       "purchase_currency": "ABC", "battery": "maybe", "category": "weapons", "rebate_rate": "1.3"})
    assert set(errs) >= {"sku", "name_en", "weight_g", "hs_code", "barcode", "origin", "purchase_currency", "battery",
                         "category", "rebate_rate"}


def test_barcode_and_hs():
    assert validate_barcode("96385074") == "96385074"  # EAN-8
    with pytest.raises(ValidationError):
        validate_barcode("12345")
    assert validate_hs_code("8544 42 90 00") == "8544429000"
    with pytest.raises(ValidationError):
        validate_hs_code("85444")


def test_national_tariff_codes_extend_the_hs_code():
    from xborder.catalog.model import parse_sku_input, sku_errors, validate_national_code

    assert validate_national_code("8302.30.6000", "hs_code_us", "830230") == "8302306000"
    assert validate_national_code("83023030", "hs_code_us", None) == "83023030"  # HTS8 is enough for the rate
    assert validate_national_code("", "hs_code_eu") is None
    errs = sku_errors({"sku": "A", "name_en": "x", "hs_code": "830230", "hs_code_us": "8302", "hs_code_cn": "83023000",
                       "hs_code_eu": "94052140", "hs_code_gb": "8302300000"})
    assert set(errs) == {"hs_code_us", "hs_code_cn", "hs_code_eu"}
    assert "8 or 10 digits" in errs["hs_code_us"] and "must be 10 digits" in errs["hs_code_cn"]
    assert "does not extend the HS code 830230" in errs["hs_code_eu"]
    sku = parse_sku_input({"sku": "A", "name_en": "x", "hs_code": "830230", "hs_code_gb": "8302 30 00 00"})
    assert sku.hs_code_gb == "8302300000" and sku.hs_code_us is None

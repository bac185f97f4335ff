from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xborder.errors import ImportRejected, ValidationError
from xborder.selection import research, risk

H10_HEADERS = ["Product Details", "ASIN", "Brand", "Price  $", "Sales", "Revenue", "BSR", "Review Count", "Ratings", "Category", "Creation Date"]


def _rows():
    vals = [
        ("Wooden Heart Hanging Decoration Red", "B01", "Acme", "12.99", "1,200", "15,588", "15", "2,340", "4.5", "Home", "2021-03-01"),
        ("Red Wooden Heart Hanging Decoration", "B02", "Acme", "11.99", "900", "10,791", "40", "1,100", "4.4", "Home", "2026-09-01"),
        ("Glass Tea Light Holder Set", "B03", "Brite", "8.50", "300", "2,550", "300", "45", "4.1", "Home", "2026-10-10"),
        ("Cake Stand 3 Tier Regency", "B04", "N/A", "24.00", "N/A", "N/A", "1200", "12", "N/A", "Home", "N/A"),
    ]
    return [dict(zip(H10_HEADERS, v, strict=True)) for v in vals]


def test_helium10_preset_maps_price_with_currency_header():
    m = research.resolve_mapping(H10_HEADERS, "helium10-xray")
    assert m["price"] == "Price  $" and m["review_count"] == "Review Count" and m["rank"] == "BSR"


def test_parse_numbers_with_separators_and_na():
    m = research.resolve_mapping(H10_HEADERS, "helium10-xray")
    ls = research.parse_rows(_rows(), m, marketplace="amazon.com")
    assert ls[0].est_sales == 1200 and ls[0].review_count == 2340 and ls[0].price == Decimal("12.99")
    assert ls[3].rating is None and ls[3].est_sales is None and ls[3].marketplace == "amazon.com"


def test_bad_rows_reported_all_nothing_returned():
    rows = _rows()
    rows[1]["Price  $"] = "abc"
    rows[2]["Ratings"] = "7"
    rows[3]["Product Details"] = ""
    m = research.resolve_mapping(H10_HEADERS, "helium10-xray")
    with pytest.raises(ImportRejected) as ei:
        research.parse_rows(rows, m)
    assert {(e["line"], e["column"]) for e in ei.value.errors} == {(3, "Price  $"), (4, "Ratings"), (5, "Product Details")}


def test_mapping_errors_name_the_field():
    with pytest.raises(ValidationError, match="price"):
        research.resolve_mapping(["Title"], "generic", {"title": "Title"})
    with pytest.raises(ValidationError, match="Nope"):
        research.resolve_mapping(H10_HEADERS, "helium10-xray", {"title": "Nope"})


def test_niche_metrics():
    m = research.resolve_mapping(H10_HEADERS, "helium10-xray")
    ls = research.parse_rows(_rows(), m)
    out = research.niche_metrics(ls, today=date(2026, 11, 24))
    assert out["listings"] == 4
    assert out["concentration_basis"] == "est_revenue"
    assert out["top10_share"] == 1.0  # fewer than 10 listings
    assert out["review_barrier"] == 572.5  # median of the top-10 by rank
    assert out["new_entrant_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert out["homogeneity"] == pytest.approx(1 / 6, abs=1e-4)  # the two heart titles
    assert 0 < out["brand_hhi"] <= 1
    assert research.competition_score(out) is not None


def test_risk_fx_exposure_and_alerts():
    fx = risk.fx_exposure(
        [risk.Position("USD", "receivable", Decimal("1000")), risk.Position("EUR", "stock", Decimal("100")),
         risk.Position("CNY", "stock", Decimal("500")), risk.Position("GBP", "receivable", Decimal("10"))],
        {"USD": Decimal("7.1"), "EUR": Decimal("7.9")},
    )
    assert fx["currencies"][0]["currency"] == "USD" and fx["currencies"][0]["amount_base"] == "7100.00"
    assert fx["missing_rates"] == ["GBP"]
    al = risk.alerts(fx=fx, profit_concentration={"market": risk.concentration({"DE": Decimal(90), "FR": Decimal(10), "ES": Decimal(-5)})},
                     volatility_by_sku={"A": 1.4, "B": 0.2})
    codes = [a.code for a in al]
    assert codes.count("FX_CONCENTRATION") == 1 and "FX_RATE_MISSING" in codes
    assert "PROFIT_CONCENTRATION" in codes and "LOSS_MAKING" in codes and codes.count("DEMAND_VOLATILE") == 1


def test_volatility():
    assert risk.volatility([1]) is None
    assert risk.volatility([0, 10]) == pytest.approx(1.4142, abs=1e-4)

from __future__ import annotations

from decimal import Decimal

import pytest

from xborder.errors import ValidationError
from xborder.procurement.model import (
    AllocLine,
    Charge,
    PriceBreak,
    ReorderInput,
    allocate_charges,
    apply_cash_limit,
    price_for,
    recoverable_vat,
    reorder_line,
    split_exact,
    validate_breaks,
)

BREAKS = [PriceBreak(1, Decimal("5.00")), PriceBreak(100, Decimal("4.50")), PriceBreak(500, Decimal("4.00"))]


@pytest.mark.parametrize("qty,price", [(50, "5.00"), (99, "5.00"), (100, "4.50"), (499, "4.50"), (500, "4.00"), (10000, "4.00")])
def test_price_breaks(qty, price):
    assert price_for(BREAKS, qty, moq=50) == Decimal(price)


def test_below_moq_refused_with_field():
    with pytest.raises(ValidationError) as ei:
        price_for(BREAKS, 49, moq=50)
    assert ei.value.field == "quantity" and "MOQ" in ei.value.message


def test_breaks_validation():
    with pytest.raises(ValidationError, match="twice"):
        validate_breaks([PriceBreak(10, Decimal(1)), PriceBreak(10, Decimal(2))])
    with pytest.raises(ValidationError, match="positive"):
        validate_breaks([PriceBreak(10, Decimal(0))])


@pytest.mark.parametrize("method,expected", [("quantity", ["25.00", "75.00"]), ("weight", ["14.29", "85.71"]), ("value", ["50.00", "50.00"])])
def test_allocation_methods(method, expected):
    lines = [AllocLine("A", 10, Decimal("1"), Decimal("10")), AllocLine("B", 30, Decimal("2"), Decimal("10") / 3)]
    out = allocate_charges(lines, [Charge("freight", Decimal("100.00"), method)], currency="CNY")
    assert [str(a.allocated) for a in out] == expected
    assert sum(a.allocated for a in out) == Decimal("100.00")


def test_landed_unit_cost_two_charges():
    lines = [AllocLine("A", 100, Decimal("0.5"), Decimal("8.00")), AllocLine("B", 50, Decimal("1.0"), Decimal("20.00"))]
    charges = [Charge("sea freight", Decimal("300.00"), "weight"), Charge("broker", Decimal("90.00"), "value")]
    out = allocate_charges(lines, charges, currency="CNY")
    # weight basis 50 / 50 -> 150 each; value basis 800 / 1000 -> 40 / 50
    a, b = out
    assert a.allocated == Decimal("190.00") and b.allocated == Decimal("200.00")
    assert a.landed_unit_cost == Decimal("9.9000") and b.landed_unit_cost == Decimal("24.0000")
    assert len(a.explanation) == 2


def test_split_exact_never_loses_a_cent():
    parts = split_exact(Decimal("0.05"), [Decimal(1)] * 7, 2)
    assert sum(parts) == Decimal("0.05") and max(parts) - min(parts) <= Decimal("0.01")


def test_zero_basis_refused():
    with pytest.raises(ValidationError, match="sums to zero"):
        allocate_charges([AllocLine("A", 1, Decimal(0), Decimal(1))], [Charge("f", Decimal(1), "weight")], currency="CNY")


def test_recoverable_vat_only_on_special_invoice():
    assert recoverable_vat(Decimal(100), Decimal(13), "vat_special") == Decimal(13)
    assert recoverable_vat(Decimal(100), Decimal(13), "vat_ordinary") == 0
    with pytest.raises(ValidationError):
        recoverable_vat(Decimal(100), Decimal(13), "other")


def _inp(sku, on_hand, moq=50, cost="3.00", weekly=10, sigma=4):
    return ReorderInput(sku, [Decimal(weekly)] * 8, Decimal(sigma), 21, Decimal(on_hand), Decimal(0), moq, Decimal(cost))


def test_reorder_worked_example():
    s = reorder_line(_inp("A", 20), service_level=Decimal("0.95"))
    # P = 3 + 1 = 4 weeks; demand 40; SS = 1.64 x 4 x 2 = 13.12 -> 14; target 54; need 34 -> MOQ 50
    assert (s.protection_weeks, s.demand_over_protection, s.safety_stock, s.target) == (
        Decimal("4.00"), Decimal("40.00"), Decimal("14"), Decimal("54"))
    assert s.quantity == 50 and "MOQ" in s.note and s.cost == Decimal("150.00")


def test_reorder_nothing_when_covered():
    s = reorder_line(_inp("A", 500))
    assert s.quantity == 0


def test_higher_service_level_means_more_safety_stock():
    lo = reorder_line(_inp("A", 0), service_level=Decimal("0.90"))
    hi = reorder_line(_inp("A", 0), service_level=Decimal("0.99"))
    assert hi.safety_stock > lo.safety_stock


def test_cash_limit_funds_most_urgent_first_and_respects_moq():
    a = reorder_line(_inp("A", 0, moq=10))      # no cover: most urgent; wants 54 x 3 = 162
    b = reorder_line(_inp("B", 30, moq=10))     # wants 24 -> 72
    c = reorder_line(_inp("C", 35, moq=30))     # wants 19 -> MOQ 30 -> 90
    out = {ln.sku: ln for ln in apply_cash_limit([a, b, c], Decimal("200.00"), {"A": 10, "B": 10, "C": 30})}
    assert out["A"].quantity == 54 and out["A"].cost == Decimal("162.00")
    assert out["B"].quantity == 12 and "cash limit" in out["B"].note  # 38 left -> 12 units
    assert out["C"].quantity == 0 and "not funded" in out["C"].note
    assert sum(ln.cost for ln in out.values()) <= Decimal("200.00")


# --- dated price lists ---------------------------------------------------------------------

def test_breaks_in_force_follow_the_validity_dates():
    from datetime import date

    from xborder.procurement.model import PriceBreak, in_force, price_for

    old = [PriceBreak(1, Decimal("5.00"), date(2026, 1, 1), date(2026, 6, 30)),
           PriceBreak(100, Decimal("4.50"), date(2026, 1, 1), date(2026, 6, 30))]
    new = [PriceBreak(1, Decimal("5.40"), date(2026, 7, 1)), PriceBreak(100, Decimal("4.80"), date(2026, 7, 1))]
    every = old + new
    assert in_force(every, date(2025, 12, 31)) == []
    assert price_for(in_force(every, date(2026, 6, 30)), 120) == Decimal("4.50")  # last day of the old list
    assert price_for(in_force(every, date(2026, 7, 1)), 120) == Decimal("4.80")  # first day of the new one
    assert price_for(in_force(every, date(2030, 1, 1)), 5) == Decimal("5.40")  # open-ended


def test_overlapping_tiers_are_refused_and_adjacent_ones_accepted():
    from datetime import date

    import pytest

    from xborder.errors import ValidationError
    from xborder.procurement.model import PriceBreak, check_no_overlap, check_validity

    existing = [PriceBreak(1, Decimal("5.00"), date(2026, 1, 1), date(2026, 6, 30))]
    check_no_overlap([PriceBreak(1, Decimal("5.40"), date(2026, 7, 1))], existing)  # adjacent: fine
    check_no_overlap([PriceBreak(100, Decimal("4.40"), date(2026, 3, 1))], existing)  # another tier: fine
    with pytest.raises(ValidationError, match="2026-06-30 .* overlaps|overlaps the tier valid 2026-01-01 – 2026-06-30"):
        check_no_overlap([PriceBreak(1, Decimal("5.40"), date(2026, 6, 30))], existing)
    with pytest.raises(ValidationError) as ei:
        check_no_overlap([PriceBreak(1, Decimal("4.90"), date(2025, 1, 1), date(2026, 1, 1))], existing)
    assert ei.value.field == "valid_from" and "5.00" in ei.value.message
    with pytest.raises(ValidationError) as ei:
        check_validity(date(2026, 7, 1), date(2026, 6, 1))
    assert ei.value.field == "valid_to"

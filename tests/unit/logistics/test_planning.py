from __future__ import annotations

from datetime import date
from decimal import Decimal

from xborder.logistics import fba
from xborder.logistics.planning import PlanOrder, SkuSpec, combine, compare_direct_vs_warehouse, plan_batch
from xborder.logistics.pricing import Parcel
from xborder.logistics.ratecard import parse_card

ON = date(2026, 11, 24)


def parcel(kg, ln=20, w=15, h=3):
    return Parcel(Decimal(kg), Decimal(ln), Decimal(w), Decimal(h))


def test_combine_stacks_third_sides():
    p = combine([parcel("0.2", 20, 15, 3), parcel("0.3", 25, 10, 4)])
    assert (p.weight_kg, p.length_cm, p.width_cm, p.height_cm) == (Decimal("0.5"), 25, 15, 7)


def test_plan_consolidates_same_buyer_and_reports_saving(issue_card):
    orders = [
        PlanOrder("A1", "alice", "US", parcel("0.2"), max_days=20),
        PlanOrder("A2", "alice", "US", parcel("0.2"), max_days=20),
        PlanOrder("B1", "bob", "US", parcel("0.2"), max_days=20),
    ]
    plan = plan_batch(orders, [issue_card], ON)
    assert plan.solver_status == "Optimal"
    # alone: 0.2 × 65 + 14 = 27.00 + 10 % fuel = 29.70; together 0.4 kg: 26 + 14 + 4 = 44.00
    assert plan.baseline_total == Decimal("89.10")
    assert plan.total == Decimal("73.70")
    assert plan.saving == Decimal("15.40")
    assert [p.orders for p in plan.parcels] == [("A1", "A2"), ("B1",)]


def test_plan_respects_promise_and_capacity(issue_card):
    slow_cheap = issue_card
    fast = parse_card(
        "{carrier: F, service: Fast, code: fast, currency: CNY, valid_from: 2026-01-01, transit_days: {min: 2, max: 5},"
        " zones: [{countries: [US], bands: [{up_to_kg: 5, per_kg: 100, per_piece: 30}]}]}"
    )
    orders = [PlanOrder(f"O{i}", f"b{i}", "US", parcel("0.3"), max_days=20) for i in range(3)]
    orders.append(PlanOrder("URGENT", "bz", "US", parcel("0.3"), max_days=7))
    plan = plan_batch(orders, [slow_cheap, fast], ON, capacity={"ex-packet": 2})
    codes = sorted(p.option.code for p in plan.parcels)
    assert codes == ["ex-packet", "ex-packet", "fast", "fast"]
    urgent = next(p for p in plan.parcels if p.orders == ("URGENT",))
    assert urgent.option.code == "fast"
    assert plan.saving is not None and plan.saving < 0  # capacity costs money vs the baseline
    infeasible = plan_batch(orders, [slow_cheap], ON, capacity={"ex-packet": 1})
    assert infeasible.parcels == () and "URGENT" in infeasible.unplaceable


def test_direct_vs_warehouse(sample_cards):
    sku = SkuSpec("MUG-1", Decimal(12), Decimal(10), Decimal(10), Decimal("0.45"), Decimal("19.99"), units_per_carton=24)
    usd = lambda a, cur: a * Decimal("7.1") if cur == "USD" else a  # noqa: E731
    slow = compare_direct_vs_warehouse(sku, "US", 1, sample_cards, ON, "CNY", usd)
    fast = compare_direct_vs_warehouse(sku, "US", 300, sample_cards, ON, "CNY", usd)
    assert {r["route"] for r in slow["routes"]} == {"direct parcel", "warehouse (FBA)"}
    assert {r["code"] for r in fast["routes"]} == {"wanb-us", "air-freight-us", "sea-lcl-us", "fba-heavy-us"}
    assert slow["best"] == "direct parcel"
    assert fast["best"] == "warehouse (FBA)"
    wh = next(r for r in fast["routes"] if r["route"] == "warehouse (FBA)")
    assert any("FBA fulfilment fee" in ln["label"] for ln in wh["lines"])


def test_fba_size_tiers_and_storage():
    assert fba.size_tier((Decimal(10), Decimal(8), Decimal("0.5")), Decimal("0.5")) == "small standard"
    assert fba.size_tier((Decimal(18), Decimal(14), Decimal(8)), Decimal(20)) == "large standard"
    assert fba.size_tier((Decimal(40), Decimal(20), Decimal(20)), Decimal(30)) == "large bulky"
    assert fba.size_tier((Decimal(70), Decimal(20), Decimal(20)), Decimal(30)) == "extra-large 0-50 lb"
    assert fba.size_tier((Decimal(70), Decimal(20), Decimal(20)), Decimal(160)) == "extra-large 150+ lb"
    # 2 oz small standard, 2024 rule set
    f = fba.fulfilment_fee(Decimal(10), Decimal(8), Decimal(1), Decimal("0.05"), Decimal(20), date(2025, 1, 1))
    assert f.fee == Decimal("3.06")
    # same item in 2026 ($10-50 band: +0.25) and after the 3.5 % fuel surcharge
    assert fba.fulfilment_fee(Decimal(10), Decimal(8), Decimal(1), Decimal("0.05"), Decimal(20), date(2026, 2, 1)).fee == Decimal("3.31")
    assert fba.fulfilment_fee(Decimal(10), Decimal(8), Decimal(1), Decimal("0.05"), Decimal(20), date(2026, 5, 1)).fee == Decimal("3.43")
    # low-price discount
    assert fba.fulfilment_fee(Decimal(10), Decimal(8), Decimal(1), Decimal("0.05"), Decimal(8), date(2025, 1, 1)).fee == Decimal("2.29")
    # storage: 1 ft³ = 30.48 cm cube; standard Jan-Sep 0.78, Oct-Dec 2.40
    s = Decimal("30.48")
    assert fba.monthly_storage_per_unit(s, s, s, "large standard", date(2026, 3, 1))[0] == Decimal("0.78")
    assert fba.monthly_storage_per_unit(s, s, s, "large standard", date(2026, 11, 1))[0] == Decimal("2.40")
    assert fba.monthly_storage_per_unit(s, s, s, "large bulky", date(2026, 11, 1))[0] == Decimal("1.40")

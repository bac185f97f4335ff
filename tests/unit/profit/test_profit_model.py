from decimal import Decimal

import pytest

from xborder.profit.model import ProfitInput, aggregate, allocate, compute, fallback_shipping


def inp(**kw):
    base = dict(order_ref="A1", line_ref="1", channel="amazon", market="US", month="2026-03", sku="MUG",
                currency="USD", quantity=Decimal(2), net_revenue=Decimal("25.98"), booking_rate=Decimal("7.1"),
                booking_source="ECB")
    base.update(kw)
    return ProfitInput(**base)


def test_margin_is_sum_of_signed_figures():
    r = compute(inp(fees=Decimal("-11.60"), unit_cost_cny=Decimal("18"), rebate_rate=Decimal("0.13"),
                    shipping_cny=Decimal("-10"), duties_cny=Decimal("-3"), settlement_rate=Decimal("7.0")))
    assert r.fx == (Decimal("25.98") - Decimal("11.60")) * Decimal("-0.1")
    assert r.margin == sum(v for k, v in r.figures().items() if k != "margin")
    assert {e.figure for e in r.explanations} == {"revenue", "fees", "shipping", "duties_taxes", "cost_of_goods",
                                                  "fx", "rebate", "margin"}


def test_missing_cost_and_rebate_are_explained():
    r = compute(inp())
    assert r.cost_of_goods == 0 and r.rebate == 0 and r.fx == 0
    texts = {e.figure: e.rule for e in r.explanations}
    assert "no purchase cost" in texts["cost_of_goods"] and "open exposure" in texts["fx"]


def test_rebate_trading_enterprise_f1():
    # rebate_fx.md §1.7 F1: special invoice net 20万, r 13% -> 2.6万 (here the cost 22.6万 includes 13% VAT)
    r = compute(inp(quantity=Decimal(1), unit_cost_cny=Decimal("226000"), rebate_rate=Decimal("0.13")))
    assert r.rebate == Decimal("26000")


def test_refund_reduces_revenue():
    r = compute(inp(refunds=Decimal("-25.98")))
    assert r.revenue == 0


def test_aggregate_and_rounding():
    lines = [compute(inp(sku="A", net_revenue=Decimal("1.005"), booking_rate=Decimal(1))),
             compute(inp(sku="A", net_revenue=Decimal("1.005"), booking_rate=Decimal(1))),
             compute(inp(sku="B", market="DE", net_revenue=Decimal(3), booking_rate=Decimal(1)))]
    rows = aggregate(lines, "sku")
    assert [r["key"] for r in rows] == ["A", "B"]
    assert rows[0]["revenue"] == "2.01" and rows[0]["margin"] == "2.01"
    assert set(rows[0]) == {"key", "revenue", "fees", "shipping", "duties_taxes", "cost_of_goods", "fx", "rebate", "margin"}
    assert [r["key"] for r in aggregate(lines, "market")] == ["DE", "US"]
    with pytest.raises(ValueError):
        aggregate(lines, "colour")


def test_allocate_exact():
    parts = allocate(Decimal("10"), [Decimal(1), Decimal(1), Decimal(1)])
    assert sum(parts) == Decimal("10")


def test_fallback_shipping():
    assert fallback_shipping("FBA", Decimal(3), Decimal(1))[0] == 0
    assert fallback_shipping("FBM", Decimal(3), Decimal("0.5"))[0] == Decimal("-25.5")

"""Duties and taxes on options through the landed-cost engine's documented interface (faked here:
``xborder.customs`` is another package; docs/customs.md gives its input and output)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from xborder.logistics import landed
from xborder.logistics.pricing import RateRequest, shop

ON = date(2026, 11, 24)


class FakeCustoms:
    def __init__(self):
        self.calls = []

    def quote_landed_cost(self, s, org_id, data):
        self.calls.append(data)
        if data["lines"][0].get("hs_code") == "999999":
            raise ValueError("TARIFF_RATE_MISSING: no rate for 999999")
        # 10 % duty on value + shipping (CIF-like), in the request currency
        value = sum(Decimal(ln["unit_value"]) * ln["quantity"] for ln in data["lines"])
        duty = ((value + Decimal(data["shipping"])) * Decimal("0.10")).quantize(Decimal("0.01"))
        return {"currency": data["currency"], "duty": str(duty), "taxes": "0.00", "fees": "0.00", "total_charges": str(duty),
                "collected_at": "border", "liable_party": "seller"}


def cny_to_usd(amount, cur, to):
    rates = {("CNY", "USD"): Decimal("0.14"), ("USD", "CNY"): Decimal("7.1")}
    return amount if cur == to else amount * rates[(cur, to)]


def test_duties_added_and_ranked_by_total_cost(issue_card):
    fake = FakeCustoms()
    req = RateRequest.build("US", "0.42", ("20", "15", "3"), ON, value=Decimal("20.00"), currency="USD")
    data = {"hs_code": "610910", "incoterm": "DDP"}
    ex = landed.extras_provider(req, data, cny_to_usd, engine=fake)
    res = shop([issue_card], req, to_rank_currency=lambda a, cur: cny_to_usd(a, cur, "CNY"), extras=ex)
    (opt,) = res.options
    assert fake.calls[0]["shipping"] == "6.36"  # 45.43 CNY × 0.14
    assert fake.calls[0]["lines"] == [{"hs_code": "610910", "quantity": 1, "unit_value": "20.00", "origin": "CN", "weight_kg": "0.42"}]
    assert opt.extras[0]["amount"] == "2.64" and opt.extras[0]["currency"] == "USD"
    assert opt.rank_price == Decimal("45.43") + Decimal("2.64") * Decimal("7.1")
    assert opt.to_dict()["duties_taxes"][0]["kind"] == "duties_taxes"
    assert any("total cost to the seller" in n for n in res.notes)


def test_no_goods_or_no_engine_means_no_duties_and_failures_are_explained(issue_card):
    req = RateRequest.build("US", "0.42", ("20", "15", "3"), ON, value=Decimal("20.00"), currency="USD")
    assert landed.extras_provider(req, {}, cny_to_usd, engine=FakeCustoms()) is None
    assert landed.extras_provider(req, {"hs_code": "610910"}, cny_to_usd, engine=None) is None or landed.customs_service() is not None
    ex = landed.extras_provider(req, {"hs_code": "999999"}, cny_to_usd, engine=FakeCustoms())
    res = shop([issue_card], req, extras=ex)
    assert res.options[0].extras[0]["label"].startswith("not computed: TARIFF_RATE_MISSING")
    assert res.options[0].price == Decimal("45.43")


def test_items_become_sku_lines():
    req = RateRequest.build("US", "1", ("20", "15", "3"), ON, value=Decimal("30.00"), currency="USD")
    lines = landed.goods_lines({"items": [{"sku": "MUG-1", "quantity": 2}, {"sku": "PB-1"}]}, req)
    assert lines == [{"sku": "MUG-1", "quantity": 2, "unit_value": "10.00"}, {"sku": "PB-1", "quantity": 1, "unit_value": "10.00"}]

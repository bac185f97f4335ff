"""Drafts from catalog SKUs and (when installed) logistics shipments and sales orders."""

from datetime import date
from decimal import Decimal as D

import pytest

from xborder.customs import declarations as dc
from xborder.customs import documents as docs
from xborder.customs import drafts, service
from xborder.errors import NotFound


def _sku(uow, principal, **kw):
    from xborder.catalog.orm import Sku

    fields = {"sku": "PB-1", "name_en": "Power bank 10000mAh", "name_zh": "移动电源", "hs_code": "850760", "origin": "CN",
              "weight_g": D("220"), "battery": True, "material": "ABS plastic"}
    fields.update(kw)
    uow.session.add(Sku(org_id=principal.org_id, **fields))
    uow.commit()


def _shipment(uow, principal, ref, tracking, quantity):
    """A logistics shipment of SKU PB-1 to Berlin (skips without the logistics package)."""
    orm = pytest.importorskip("xborder.logistics.orm")
    sh = orm.Shipment(org_id=principal.org_id, order_ref=ref, buyer="Jane Doe", destination="DE", address="Berlin",
                      card_code="C1", carrier="Example Post", service="Tracked", currency="CNY", cost=D("30"),
                      weight_kg=D("0.5"), billable_weight_kg=D("0.5"), length_cm=D("20"), width_cm=D("10"),
                      height_cm=D("5"), items_json=f'[{{"sku": "PB-1", "quantity": {quantity}}}]', tracking_number=tracking,
                      shipped_on=date(2026, 11, 20))
    uow.session.add(sh)
    uow.commit()
    return sh


def test_screening_uses_the_catalog_flags(uow, principal):
    _sku(uow, principal, sku="TOY-1", name_en="Toy set", hs_code="950300", battery=False, magnet=True)
    out = service.screen_with_catalog(uow.session, principal.org_id,
                                      {"destination": "US", "lines": [{"sku": "TOY-1"}]}, "air_express")
    assert [f["category"] for f in out["flags"]] == ["magnet"] and out["flags"][0]["matched"] == "flag 'magnet'"


def test_without_logistics_the_drafts_say_so(uow, principal):
    if drafts.logistics_available():
        pytest.skip("logistics is installed")
    assert drafts.recent_shipments(uow.session, principal) == []
    with pytest.raises(NotFound) as e:
        drafts.documents_draft(uow.session, principal, 1)
    assert e.value.field == "shipment"


def test_drafts_from_a_logistics_shipment(uow, principal, other_principal):
    _sku(uow, principal)
    sh = _shipment(uow, principal, "SO-77", "LP1CN", quantity=2)
    d = drafts.documents_draft(uow.session, principal, sh.id)
    assert d["lines"][0]["hs_code"] == "850760" and d["lines"][0]["net_weight_kg"] == "0.22"
    assert d["packages"][0]["gross_weight_kg"] == "0.5000" or d["packages"][0]["gross_weight_kg"].startswith("0.5")
    d["lines"][0]["unit_price"] = "12.00"  # no sales order: the price is the user's
    row, _ = service.save_docs(uow.session, principal, d)
    assert docs.parse_docs(row.data).goods_total == D("24.00")
    decl = drafts.declaration_draft(uow.session, principal, sh.id)
    _, problems = dc.parse_declaration(decl)
    fields = {p.field for p in problems}
    assert "lines[0].gcode" in fields and "lines[0].gmodel" in fields  # 6-digit code and declared elements to complete
    with pytest.raises(NotFound):
        drafts.documents_draft(uow.session, other_principal, sh.id)


def test_drafts_use_the_markets_own_codes(uow, principal):
    """The invoice of a parcel to Germany carries the SKU's EU code, the China export declaration its
    10-digit China code (the 6-digit HS code alone is refused there)."""
    _sku(uow, principal, hs_code_eu="85076000", hs_code_cn="8507600090", hs_code_us="8507600020")
    sh = _shipment(uow, principal, "SO-79", "LP2CN", quantity=1)
    assert drafts.documents_draft(uow.session, principal, sh.id)["lines"][0]["hs_code"] == "85076000"
    decl = drafts.declaration_draft(uow.session, principal, sh.id)
    assert decl["lines"][0]["gcode"] == "8507600090"
    _, problems = dc.parse_declaration(decl)
    assert "lines[0].gcode" not in {p.field for p in problems}
    # the landed-cost calculator fills a line naming the SKU with the destination's code
    filled = service.prefill_lines(uow.session, principal.org_id, [{"sku": "PB-1"}], destination="US")
    assert filled[0]["hs_code"] == "8507600020"
    assert service.prefill_lines(uow.session, principal.org_id, [{"sku": "PB-1"}], destination="JP")[0]["hs_code"] == "850760"


def test_drafts_take_prices_and_currency_from_the_sales_order(uow, principal):
    from datetime import datetime

    lorm = pytest.importorskip("xborder.logistics.orm")
    sorm = pytest.importorskip("xborder.sales.orm")
    from xborder.catalog.orm import Listing, Sku

    _sku(uow, principal)
    sku_id = uow.session.query(Sku).filter_by(org_id=principal.org_id, sku="PB-1").one().id
    uow.session.add(Listing(org_id=principal.org_id, channel="amazon", listing_id="B0TEST", seller_sku="AMZ-PB", sku_id=sku_id))
    order = sorm.SalesOrder(org_id=principal.org_id, channel="amazon", order_ref="SO-88", currency="EUR",
                            purchased_at=datetime(2026, 11, 18, 10, 0), source_format="test")
    order.lines.append(sorm.SalesOrderLine(org_id=principal.org_id, line_ref="1", platform_sku="AMZ-PB",
                                           quantity=D(2), item_price=D("24.00")))
    uow.session.add(order)
    uow.session.flush()
    sh = lorm.Shipment(org_id=principal.org_id, order_ref="SO-88", sales_order_id=order.id, destination="DE",
                       card_code="C1", carrier="Example Post", service="Tracked", currency="CNY", cost=D("30"),
                       weight_kg=D("0.5"), billable_weight_kg=D("0.5"), length_cm=D("20"), width_cm=D("10"),
                       height_cm=D("5"), items_json='[{"sku": "PB-1", "quantity": 2}]', tracking_number="LP2CN",
                       shipped_on=date(2026, 11, 20))
    uow.session.add(sh)
    uow.commit()
    d = drafts.documents_draft(uow.session, principal, sh.id)
    assert d["currency"] == "EUR" and d["lines"][0]["unit_price"] == "12.00"
    decl = drafts.declaration_draft(uow.session, principal, sh.id)
    assert decl["lines"][0]["price"] == "12.00" and decl["currency"] == "EUR"


def test_drafts_without_a_linked_order_take_the_order_by_reference_or_the_declared_value(uow, principal):
    """A shipment not linked to a stored order finds it by its reference (one channel only); with
    no order at all, a one-SKU shipment's declared value gives the unit price; several SKUs stay
    for the user to price."""
    from datetime import datetime

    lorm = pytest.importorskip("xborder.logistics.orm")
    sorm = pytest.importorskip("xborder.sales.orm")
    _sku(uow, principal)
    _sku(uow, principal, sku="CASE-1", name_en="Case", hs_code="420232", battery=False)
    order = sorm.SalesOrder(org_id=principal.org_id, channel="shopify", order_ref="#5001", currency="USD",
                            purchased_at=datetime(2026, 11, 18, 10, 0), source_format="test")
    order.lines.append(sorm.SalesOrderLine(org_id=principal.org_id, line_ref="1", platform_sku="PB-1", quantity=D(1),
                                           item_price=D("19.90")))
    uow.session.add(order)

    def ship(ref: str, items: str, declared: D | None = None) -> int:
        sh = lorm.Shipment(org_id=principal.org_id, order_ref=ref, destination="US", card_code="C1", carrier="P",
                           service="S", currency="CNY", cost=D("30"), weight_kg=D("0.5"), billable_weight_kg=D("0.5"),
                           length_cm=D("20"), width_cm=D("10"), height_cm=D("5"), items_json=items,
                           tracking_number=f"T{ref}", shipped_on=date(2026, 11, 20), declared_value=declared,
                           declared_currency="GBP" if declared is not None else "")
        uow.session.add(sh)
        uow.session.flush()
        return sh.id

    by_ref = ship("#5001", '[{"sku": "PB-1", "quantity": 1}]')
    one = ship("P-1", '[{"sku": "PB-1", "quantity": 4}]', D("50.00"))
    two = ship("P-2", '[{"sku": "PB-1", "quantity": 1}, {"sku": "CASE-1", "quantity": 1}]', D("50.00"))
    uow.commit()
    d = drafts.documents_draft(uow.session, principal, by_ref)
    assert d["currency"] == "USD" and d["lines"][0]["unit_price"] == "19.90"
    d = drafts.documents_draft(uow.session, principal, one)
    assert d["currency"] == "GBP" and d["lines"][0]["unit_price"] == "12.50"
    d = drafts.documents_draft(uow.session, principal, two)
    assert [ln.get("unit_price") for ln in d["lines"]] == [None, None]  # no guess how to split 50.00 over two SKUs


def test_declaration_draft_takes_the_legal_units_of_the_library(uow, principal):
    orm = pytest.importorskip("xborder.logistics.orm")
    from xborder.rebate.rates import RebateRate
    from xborder.rebate.service import store_rates

    _sku(uow, principal, sku="TS-1", name_zh="棉制针织T恤", hs_code="6109100022", weight_g=D("200"), battery=False)
    _sku(uow, principal, sku="BAG-1", name_zh="纺织袋", hs_code="6307900090", weight_g=D("150"), battery=False)
    store_rates(uow.session, principal, [
        RebateRate("6109100022", date(2025, 1, 1), None, D("0.13"), (D("0.13"),), "棉制针织T恤", "件"),
        RebateRate("6307900090", date(2025, 1, 1), None, D("0.13"), (D("0.13"),), "其他纺织制成品", "千克")])
    sh = orm.Shipment(org_id=principal.org_id, order_ref="SO-88", buyer="Jane Doe", destination="US", address="NY",
                      card_code="C1", carrier="Example Post", service="Tracked", currency="CNY", cost=D("30"),
                      weight_kg=D("1"), billable_weight_kg=D("1"), length_cm=D("20"), width_cm=D("10"),
                      height_cm=D("5"), items_json='[{"sku": "TS-1", "quantity": 3}, {"sku": "BAG-1", "quantity": 2}]',
                      tracking_number="LP2CN", shipped_on=date(2026, 11, 20))
    uow.session.add(sh)
    uow.commit()
    lines = drafts.declaration_draft(uow.session, principal, sh.id)["lines"]
    # 件: the quantity; the library knows no second unit, so the draft's kg stays
    assert (lines[0]["unit1"], lines[0]["qty1"], lines[0]["unit2"], lines[0]["qty2"]) == ("011", "3", "035", "0.6")
    # 千克: the net weight, and no second unit equal to the first
    assert (lines[1]["unit1"], lines[1]["qty1"], lines[1]["unit2"]) == ("035", "0.3", None)
    assert lines[1]["net_weight"] == "0.3"

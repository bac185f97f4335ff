from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from xborder.db import Money4, Qty
from xborder.errors import CurrencyMismatch, ImportRejected, PermissionDenied, ValidationError
from xborder.logistics import service
from xborder.logistics.errors import RateCardInvalid, RateCardNotFound, ShipmentNotFound
from xborder.logistics.labels import s10_valid
from xborder.logistics.pricing import RateRequest
from xborder.money import Money

CARDS = Path(__file__).resolve().parents[3] / "src" / "xborder" / "logistics" / "cards"
ON = date(2026, 11, 24)


def text(name: str) -> str:
    return (CARDS / name).read_text(encoding="utf-8")


def req(dest="US", kg="0.42", dims=("20", "15", "3"), **kw):
    return RateRequest.build(dest, kg, dims, ON, **kw)


def test_card_versions_import_idempotent_and_scoped(uow, principal, other_principal):
    rec, st = service.import_card(uow.session, principal, text("wanb-us-line.yaml"), "wanb-us-line.yaml")
    uow.commit()
    assert st == "created" and rec.code == "wanb-us" and rec.valid_from == date(2026, 1, 1)
    assert service.import_card(uow.session, principal, text("wanb-us-line.yaml"), "x.yaml")[1] == "unchanged"
    changed = text("wanb-us-line.yaml").replace("per_kg: 98,", "per_kg: 99,")
    assert service.import_card(uow.session, principal, changed, "x.yaml")[1] == "updated"
    v2 = changed.replace("valid_from: 2026-01-01", "valid_from: 2026-12-01")
    assert service.import_card(uow.session, principal, v2, "x.yaml")[1] == "created"
    uow.commit()
    assert [(r.code, r.valid_from) for r in service.list_cards(uow.session, principal)] == [
        ("wanb-us", date(2026, 1, 1)),
        ("wanb-us", date(2026, 12, 1)),
    ]
    assert service.list_cards(uow.session, other_principal) == []
    with pytest.raises(RateCardNotFound):
        service.get_card(uow.session, other_principal, "wanb-us")
    assert service.get_card(uow.session, principal, "wanb-us").valid_from == date(2026, 12, 1)


def test_invalid_card_writes_nothing(uow, principal):
    with pytest.raises(RateCardInvalid) as ei:
        service.import_card(uow.session, principal, "carrier: X\ncode: Bad\n", "bad.yaml")
    assert ei.value.errors[0]["line"] == 1
    uow.rollback()
    assert service.list_cards(uow.session, principal) == []


def test_shop_for_org_ranks_mixed_currencies_with_a_note(uow, principal):
    service.import_sample_cards(uow.session, principal)
    uow.commit()
    res = service.shop_for_org(uow.session, principal, req(kg="15", dims=("50", "40", "30"), to_warehouse=True))
    ranked = [o.rank_price for o in res.options]
    assert ranked == sorted(ranked) and len({o.currency for o in res.options}) == 2
    assert any("ECB" in n for n in res.notes)


def test_shipment_cost_label_and_tracking(uow, principal, other_principal):
    service.import_sample_cards(uow.session, principal)
    sh = service.create_shipment(uow.session, principal, order_ref="ORD-1", card_code="wanb-us", req=req(postcode="10001"), buyer="Jane Doe", address="5th Ave\nNew York NY")
    uow.commit()
    assert sh.cost == Decimal("55.80") and sh.currency == "CNY" and s10_valid(sh.tracking_number)
    assert service.shipping_cost_for_order(uow.session, principal.org_id, "ORD-1") == Money("55.80", "CNY")
    assert service.shipping_cost_for_order(uow.session, principal.org_id, "NOPE") is None
    assert service.shipping_cost_for_order(uow.session, other_principal.org_id, "ORD-1") is None
    service.create_shipment(uow.session, principal, order_ref="ORD-1", card_code="cn-post-epacket", req=req())
    assert service.shipping_cost_for_order(uow.session, principal.org_id, "ORD-1") == Money("114.70", "CNY")
    service.create_shipment(uow.session, principal, order_ref="ORD-1", card_code="air-freight-us", req=req(to_warehouse=True))
    with pytest.raises(CurrencyMismatch):
        service.shipping_cost_for_order(uow.session, principal.org_id, "ORD-1")
    pdf = service.label_for(uow.session, principal, sh.id)
    assert pdf.startswith(b"%PDF")
    with pytest.raises(ShipmentNotFound):
        service.label_for(uow.session, other_principal, sh.id)
    rows = [
        (2, {"tracking_number": sh.tracking_number, "status": "Accepted at origin", "event_time": "2026-11-20 09:00"}),
        (3, {"tracking_number": sh.tracking_number, "status": "已签收", "event_time": "2026-11-28 15:30", "location": "New York"}),
    ]
    r1 = service.import_tracking(uow.session, principal, rows)
    uow.commit()
    assert (r1["imported"], r1["skipped_duplicates"]) == (2, 0)
    assert service.get_shipment(uow.session, principal, sh.id).status == "delivered"
    r2 = service.import_tracking(uow.session, principal, rows)
    assert (r2["imported"], r2["skipped_duplicates"]) == (0, 2)
    with pytest.raises(ImportRejected) as ei:
        service.import_tracking(uow.session, other_principal, rows)
    assert ei.value.errors[0]["message"].startswith("no shipment with tracking number")


def test_ineligible_card_cannot_ship_and_viewer_cannot_write(uow, principal):
    service.import_sample_cards(uow.session, principal)
    with pytest.raises(ValidationError, match="too heavy"):
        service.create_shipment(uow.session, principal, order_ref="O", card_code="cn-post-epacket", req=req(kg="3"))
    with pytest.raises(ValidationError, match="order_ref"):
        service.create_shipment(uow.session, principal, order_ref=" ", card_code="wanb-us", req=req())
    from dataclasses import replace

    from xborder.accounts.model import Role

    with pytest.raises(PermissionDenied):
        service.import_sample_cards(uow.session, replace(principal, role=Role.VIEWER))


def test_order_items_from_catalog_skus(uow, principal):
    from xborder.catalog import service as catalog

    catalog.import_catalog(
        uow.session, principal,
        b"sku,name_en,weight_g,length_cm,width_cm,height_cm,battery\nMUG-1,Mug,350,12,10,10,no\nPB-1,Power bank,210,10,7,2,yes\n",
        "c.csv",
    )
    service.import_sample_cards(uow.session, principal)
    uow.commit()
    r, items = service.request_from_json(
        uow.session, principal.org_id, {"destination": "US", "items": [{"sku": "MUG-1", "quantity": 2}, {"sku": "PB-1"}]}, ON
    )
    assert r.parcel.weight_kg == Decimal("0.91") and r.parcel.height_cm == Decimal(22) and r.contents == ("battery",)
    res = service.shop_for_org(uow.session, principal, r)
    assert {i.code: i.reason for i in res.ineligible}["cn-post-epacket"] == "forbidden contents"
    with pytest.raises(ValidationError, match="unknown SKU"):
        service.request_from_json(uow.session, principal.org_id, {"destination": "US", "items": [{"sku": "NOPE"}]}, ON)


def test_demo_build_and_dashboard(uow, principal):
    from xborder.logistics import dashboard, demo

    msg = demo.build(uow.session, principal)
    uow.commit()
    assert "shipments with tracking" in msg
    shipments = service.list_shipments(uow.session, principal)
    assert len(shipments) >= 5 and all(s.order_ref.startswith("DEMO-") for s in shipments)
    assert "already there" in demo.build(uow.session, principal)
    w = {x["title"]: x["value"] for x in dashboard.widgets(uow.session, principal)}
    assert w["Rate cards"] == 8 and "Shipments on the way" in w


def test_live_shipment_through_karrio_recorded(uow, principal, tmp_path):
    import json as _json

    fix = Path(__file__).resolve().parents[2] / "unit" / "logistics" / "fixtures" / "karrio"
    rate = _json.loads((fix / "generic_rate.json").read_text())
    ship = _json.loads((fix / "generic_shipment.json").read_text())
    import base64

    ship["shipment"]["docs"]["label"] = base64.b64encode(b"%PDF-1.4 recorded label").decode()
    cfg = tmp_path / "carriers.yaml"
    cfg.write_text("shipper: {country_code: CN, postal_code: '518000'}\ncarriers:\n  - {carrier: generic, settings: {carrier_id: cn_lines}}\n")
    sent = {}

    class Fake:
        def __init__(self, conn):
            pass

        def rate(self, payload):
            sent["rate"] = payload
            return rate

        def ship(self, payload):
            sent["ship"] = payload
            return ship

    sh = service.create_live_shipment(
        uow.session, principal, carriers_file=str(cfg), carrier="generic", service_code="cn_postal", order_ref="LIVE-1",
        req=req(dims=("40", "30", "30")), buyer="Jane", client_for=Fake,
    )
    uow.commit()
    assert sent["rate"]["parcels"][0]["weight"] == 7.2  # our billable weight (40×30×30/5000), not 0.42 kg
    assert sh.cost == Decimal("61.75") and sh.tracking_number == ship["shipment"]["tracking_number"]
    assert sh.label_source == "karrio" and service.label_for(uow.session, principal, sh.id) == b"%PDF-1.4 recorded label"
    assert service.shipping_cost_for_order(uow.session, principal.org_id, "LIVE-1") == Money("61.75", "CNY")
    with pytest.raises(ValidationError, match="no rate for express"):
        service.create_live_shipment(uow.session, principal, carriers_file=str(cfg), carrier="generic", service_code="express", order_ref="X", req=req(), client_for=Fake)


def test_shipping_cost_in_the_profit_engine_call_form(uow, principal):
    """``xborder.profit`` calls shipping_cost_for_order(s, principal, sales_order) -> (Decimal CNY, source)."""
    from types import SimpleNamespace

    service.import_sample_cards(uow.session, principal)
    service.create_shipment(uow.session, principal, order_ref="AMZ-1", card_code="wanb-us", req=req())
    service.create_shipment(uow.session, principal, order_ref="AMZ-1", card_code="air-freight-us", req=req(to_warehouse=True))
    uow.commit()
    total, source = service.shipping_cost_for_order(uow.session, principal, SimpleNamespace(id=999, order_ref="AMZ-1"))
    assert total > Decimal("55.80") + Decimal("92.00") * 6  # USD 92 converted to CNY with an ECB rate
    assert "wanb-us 55.80 CNY" in source and "air-freight-us 92.00 USD" in source and "ECB" in source
    assert service.shipping_cost_for_order(uow.session, principal, SimpleNamespace(id=5, order_ref="NONE")) is None


def test_org_card_cache_follows_imports_deletes_and_other_writers(uow, principal, other_principal):
    from sqlalchemy import delete

    from xborder.logistics.orm import RateCardRecord

    service.import_card(uow.session, principal, text("wanb-us-line.yaml"), "wanb-us-line.yaml")
    uow.commit()
    assert [c.code for c in service.org_cards(uow.session, principal.org_id)] == ["wanb-us"]
    assert service.org_cards(uow.session, other_principal.org_id) == []
    # a second import through the service drops the cached list at once
    service.import_card(uow.session, principal, text("cn-post-epacket.yaml"), "cn-post-epacket.yaml")
    uow.commit()
    first = service.org_cards(uow.session, principal.org_id)
    assert sorted(c.code for c in first) == sorted(["wanb-us", service.parse_card(text("cn-post-epacket.yaml")).code])
    # a writer that bypasses this module (another process, raw SQL) changes the fingerprint
    uow.session.execute(delete(RateCardRecord).where(RateCardRecord.org_id == principal.org_id, RateCardRecord.code == "wanb-us"))
    uow.commit()
    assert "wanb-us" not in [c.code for c in service.org_cards(uow.session, principal.org_id)]
    # a price change re-imported gives the new card, not the cached one
    changed = text("wanb-us-line.yaml").replace("per_kg: 98,", "per_kg: 99,")
    service.import_card(uow.session, principal, changed, "x.yaml")
    uow.commit()
    cached = {c.code: c for c in service.org_cards(uow.session, principal.org_id)}
    assert cached["wanb-us"] == service.parse_card(changed, "x.yaml") != service.parse_card(text("wanb-us-line.yaml"), "x.yaml")
    res = service.shop_for_org(uow.session, principal, req())
    assert any(o.code == "wanb-us" for o in res.options)
    again = service.shop_for_org(uow.session, principal, req())
    assert [(o.code, o.price) for o in again.options] == [(o.code, o.price) for o in res.options]


def test_demo_ships_the_merchant_fulfilled_sales_orders_for_profit(uow, principal):
    from datetime import datetime

    pytest.importorskip("xborder.sales.orm")
    from xborder.catalog import service as catalog
    from xborder.logistics import demo
    from xborder.sales.orm import SalesOrder, SalesOrderLine

    catalog.import_catalog(uow.session, principal, b"sku,name_en,weight_g,length_cm,width_cm,height_cm\nMUG-1,Mug,350,12,10,10\n", "c.csv")
    for ref, fulfil, country in (("#1", "merchant", "US"), ("#2", "FBA", "US"), ("#3", "merchant", "GB")):
        o = SalesOrder(org_id=principal.org_id, channel="shopify", order_ref=ref, currency="USD", purchased_at=datetime(2026, 10, 1, 9),
                       fulfillment=fulfil, ship_country=country, source_format="test")
        o.lines.append(SalesOrderLine(org_id=principal.org_id, line_ref="1", platform_sku="MUG-1", quantity=Decimal(2),
                                      item_price=Decimal("20")))
        uow.session.add(o)
    uow.commit()
    msg = demo.build(uow.session, principal)
    uow.commit()
    assert "2 shipments of merchant-fulfilled demo orders" in msg
    ships = {s.order_ref: s for s in service.list_shipments(uow.session, principal)}
    assert set(ships) == {"#1", "#3"} and all(s.sales_order_id is not None for s in ships.values())
    assert ships["#1"].weight_kg == Decimal("0.7") and ships["#1"].shipped_on == date(2026, 10, 2)
    order = uow.session.get(SalesOrder, ships["#1"].sales_order_id)
    cny, source = service.shipping_cost_for_order(uow.session, principal, order)
    assert cny == ships["#1"].cost and ships["#1"].card_code in source


def test_unknown_fx_ranks_within_currency_with_a_note():
    from xborder.logistics.ratecard import parse_card

    a = parse_card((CARDS / "wanb-us-line.yaml").read_text())
    b = parse_card((CARDS / "wanb-us-line.yaml").read_text().replace("currency: CNY", "currency: XAF").replace("code: wanb-us", "code: wanb-xaf"))
    res = service.shop_cards([a, b], req())
    assert len(res.options) == 2 and any("ranked within each currency" in n for n in res.notes)


class _FakeSalesBase(DeclarativeBase):
    pass


class FakeSalesOrder(_FakeSalesBase):
    """The shape of ``xborder.sales.orm.SalesOrder`` that the logistics link reads."""

    __tablename__ = "test_sales_orders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(32))
    order_ref: Mapped[str] = mapped_column(String(64))
    market: Mapped[str | None] = mapped_column(String(64), nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    ship_country: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ship_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    ship_address: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    ship_postcode: Mapped[str | None] = mapped_column(String(20), nullable=True)
    lines: Mapped[list[FakeSalesOrderLine]] = relationship(back_populates="order")


class FakeSalesOrderLine(_FakeSalesBase):
    __tablename__ = "test_sales_order_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("test_sales_orders.id"))
    line_ref: Mapped[str] = mapped_column(String(64))
    platform_sku: Mapped[str] = mapped_column(String(128))
    quantity: Mapped[Decimal] = mapped_column(Qty)
    item_price: Mapped[Decimal | None] = mapped_column(Money4, nullable=True)
    order: Mapped[FakeSalesOrder] = relationship(back_populates="lines")


@pytest.fixture
def fake_sales(uow, monkeypatch):
    """``xborder.sales.orm`` stood in for by a minimal model of the same shape (tables created
    for the test and dropped after it)."""
    import sys
    import types

    _FakeSalesBase.metadata.create_all(uow.session.get_bind())
    fake = types.ModuleType("xborder.sales.orm")
    fake.SalesOrder = FakeSalesOrder
    monkeypatch.setitem(sys.modules, "xborder.sales", types.ModuleType("xborder.sales"))
    monkeypatch.setitem(sys.modules, "xborder.sales.orm", fake)
    try:
        yield
    finally:
        uow.rollback()
        _FakeSalesBase.metadata.drop_all(uow.session.get_bind())


def test_shipment_from_a_stored_sales_order(uow, principal, fake_sales):
    """With ``xborder.sales`` installed, an order reference is enough: destination, value and SKUs
    come from the order. The sales tables are stood in for by a minimal model of the same shape."""
    from xborder.catalog import service as catalog

    catalog.import_catalog(uow.session, principal, b"sku,name_en,weight_g,length_cm,width_cm,height_cm\nMUG-1,Mug,350,12,10,10\n", "c.csv")
    service.import_sample_cards(uow.session, principal)
    o = FakeSalesOrder(org_id=principal.org_id, channel="shopify", order_ref="#1001", currency="USD", ship_country="United States",
                       ship_name="Ann Lee", ship_address="12 Oak St\nDenver, CO", ship_postcode="80202")
    o.lines.append(FakeSalesOrderLine(line_ref="1", platform_sku="MUG-1", quantity=Decimal(2), item_price=Decimal("39.98")))
    uow.session.add(o)
    uow.session.flush()
    r, items = service.request_for_order(uow.session, principal.org_id, "#1001", {"max_days": 20}, ON)
    assert (r.destination, r.parcel.weight_kg, r.value, r.currency, r.max_days) == ("US", Decimal("0.7"), Decimal("39.98"), "USD", 20)
    assert items == [{"sku": "MUG-1", "quantity": 2}]
    sh = service.create_shipment(uow.session, principal, order_ref="#1001", card_code="wanb-us", req=r, items=items)
    assert sh.sales_order_id == o.id and sh.cost == Decimal("81.00")  # 0.7 kg is in the band up to 0.7 kg (inclusive): 90 × 0.7 + 18
    # the recipient the export gave: name and address when the booking leaves them empty, postcode for the zone
    assert (sh.buyer, sh.address, sh.postcode, r.postcode) == ("Ann Lee", "12 Oak St\nDenver, CO", "80202", "80202")
    typed = service.create_shipment(uow.session, principal, order_ref="#1001", card_code="wanb-us", req=r, items=items,
                                    buyer="Dr Ann Lee", address="")
    assert (typed.buyer, typed.address) == ("Dr Ann Lee", "12 Oak St\nDenver, CO")
    form = service.booking_defaults(uow.session, principal, "#1001", ON)
    assert {k: form[k] for k in ("order_ref", "destination", "postcode", "buyer", "value", "currency", "weight_kg",
                                 "length_cm")} == {"order_ref": "#1001", "destination": "US", "postcode": "80202",
                                                   "buyer": "Ann Lee", "value": "39.98", "currency": "USD",
                                                   "weight_kg": "0.7", "length_cm": "12"}
    # the cheapest card that can carry the packed parcel is chosen, as the rate shop would rank it
    best = service.shop_for_org(uow.session, principal, r).cheapest
    assert form["card_code"] == best.code and form["suggestion"] == best and form["options"] >= 1
    assert form["cost_share"] == service.cost_share(best.price, best.currency, Decimal("39.98"), "USD", ON) is not None
    assert service.cost_share(Decimal("10"), "USD", Decimal("40"), "USD", ON) == Decimal("0.25")
    assert service.cost_share(Decimal("10"), "USD", None, "USD", ON) is None
    missing = service.booking_defaults(uow.session, principal, "#404", ON)
    assert missing["buyer"] == "" and "no stored order" in missing["note"] and "card_code" not in missing
    with pytest.raises(ValidationError, match="no stored order"):
        service.request_for_order(uow.session, principal.org_id, "#404", {}, ON)


def test_a_hand_measured_parcel_keeps_the_stored_orders_items_value_and_flags(uow, principal, fake_sales):
    """A parcel typed by hand (the web form, or ``parcel`` in the JSON) replaces only the packing:
    the stored order still gives the declared value, the items (for the invoice) and the SKUs'
    contents flags; a value typed by hand wins over the order's."""
    from xborder.catalog import service as catalog

    catalog.import_catalog(uow.session, principal, b"sku,name_en,weight_g,battery\nPB-1,Power bank,300,yes\n", "c.csv")
    service.import_sample_cards(uow.session, principal)
    o = FakeSalesOrder(org_id=principal.org_id, channel="shopify", order_ref="#2001", currency="EUR", ship_country="DE")
    o.lines.append(FakeSalesOrderLine(line_ref="1", platform_sku="PB-1", quantity=Decimal(1), item_price=Decimal("25.50")))
    uow.session.add(o)
    uow.session.flush()
    parcel = {"weight_kg": "0.4", "length_cm": "15", "width_cm": "10", "height_cm": "5"}
    r, items = service.request_for_order(uow.session, principal.org_id, "#2001", {"parcel": parcel, "contents": []}, ON)
    assert (r.destination, r.parcel.weight_kg, r.value, r.currency) == ("DE", Decimal("0.4"), Decimal("25.50"), "EUR")
    assert items == [{"sku": "PB-1", "quantity": 1}] and r.contents == ("battery",)
    r2, _ = service.request_for_order(uow.session, principal.org_id, "#2001", {"parcel": parcel, "value": "20", "currency": "USD"}, ON)
    assert (r2.value, r2.currency) == (Decimal("20"), "USD")
    with pytest.raises(ValidationError, match="currency"):  # a bare number is not taken to be in the order's currency
        service.request_for_order(uow.session, principal.org_id, "#2001", {"parcel": parcel, "value": "20"}, ON)
    # an order that is not stored: the JSON alone, no items
    r3, items3 = service.request_for_order(uow.session, principal.org_id, "X-1", {"destination": "US", "parcel": parcel}, ON)
    assert r3.value is None and items3 == [] and r3.contents == ()


def test_a_shipment_is_screened_for_restricted_goods_on_its_cards_carrier_mode(uow, principal):
    """The shipment's contents flags (and its items' SKU flags) are screened for its destination
    with the carrier mode of its card (express → air_express): a lithium battery by air is a
    warning citing IATA; a parcel with nothing to screen has no screening."""
    service.import_sample_cards(uow.session, principal)
    parcel = {"weight_kg": "0.3", "length_cm": 10, "width_cm": 10, "height_cm": 5}
    r = service.request_from_json(uow.session, principal.org_id, {"destination": "US", "parcel": parcel, "contents": ["battery"]}, ON)[0]
    sh = service.create_shipment(uow.session, principal, order_ref="B-1", card_code="express-intl", req=r)
    res = service.shipment_screening(uow.session, principal, sh)
    assert res["destination"] == "US" and res["carrier"] == "air_express" and res["result"] == "warn"
    assert [(f["category"], f["severity"]) for f in res["flags"]] == [("lithium_battery", "warn")] and "IATA" in res["flags"][0]["source"]
    assert res["lines"] == ["parcel contents"]
    plain = service.create_shipment(uow.session, principal, order_ref="P-1", card_code="express-intl",
                                    req=service.request_from_json(uow.session, principal.org_id, {"destination": "US", "parcel": parcel}, ON)[0])
    assert service.shipment_screening(uow.session, principal, plain) is None

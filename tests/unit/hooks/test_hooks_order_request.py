"""Pure parts of the profit hooks: the landed-cost request built from an order, and the
seller's share of the charges (no database)."""

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace as NS

from xborder.customs.engine import landed_cost, parse_request, to_json
from xborder.customs.model import Context
from xborder.customs.order_duties import SkuFacts, build_request, channel_kind, country_code, seller_share
from xborder.fx.model import RateTable


def _line(i, sku, qty, price, discount="0", ship="0", tax="0"):
    return NS(id=i, line_ref=f"L{i}", platform_sku=sku, title=None, quantity=Decimal(qty),
              item_price=None if price is None else Decimal(price), discount=Decimal(discount),
              shipping_price=Decimal(ship), item_tax=Decimal(tax))


def _order(lines, channel="shopify", country="DE", market=None, currency="EUR"):
    return NS(order_ref="#1", channel=channel, ship_country=country, market=market, currency=currency,
              purchased_at=datetime(2026, 9, 10, 8), shipping_total=None, lines=lines)


TEE = ("SW-TEE", SkuFacts("610910", "CN", Decimal("0.2")))


def test_request_from_order_values_net_of_discount_per_unit_and_shipping():
    o = _order([_line(1, "t", "3", "45.00", discount="6.00", ship="4.90"), _line(2, "x", "1", None)])
    req, why = build_request(o, {1: TEE})
    assert why == ""
    assert req["destination"] == "DE" and req["date"] == "2026-09-10" and req["incoterm"] == "DDP"
    assert req["channel"] == "own_store" and req["shipping"] == "4.90"
    (ln,) = req["lines"]
    assert (ln["hs_code"], ln["origin"], ln["quantity"], ln["unit_value"], ln["weight_kg"]) == ("610910", "CN", "3", "13.00", "0.2")
    # the request is valid for the engine
    assert parse_request(req).goods_value == Decimal("39.00")


def test_request_refuses_to_guess():
    assert build_request(_order([_line(1, "t", "1", "9")]), {1: (None, None)})[0] is None
    no_hs = build_request(_order([_line(1, "t", "1", "9")]), {1: ("A", SkuFacts(None, "CN", None))})
    assert no_hs[0] is None and "no HS code" in no_hs[1]
    no_origin = build_request(_order([_line(1, "t", "1", "9")]), {1: ("A", SkuFacts("610910", None, None))})
    assert "origin" in no_origin[1]
    assert "neither" in build_request(_order([_line(1, "t", "1", "9")], channel="csv"), {1: TEE})[1]
    assert "ship-to" in build_request(_order([_line(1, "t", "1", "9")], country="", market="Atlantis"), {1: TEE})[1]
    # the market stands in for a missing ship-to country
    assert build_request(_order([_line(1, "t", "1", "9")], country=None, market="UK"), {1: TEE})[0]["destination"] == "GB"


def test_channel_and_country_normalisation():
    assert channel_kind("eBay") == "marketplace" and channel_kind("WooCommerce") == "own_store"
    assert channel_kind(None) is None
    assert country_code("Germany") == "DE" and country_code("de") == "DE" and country_code("EL") == "GR"


def _ctx():
    return Context(fx=lambda b, q: RateTable("ECB", "EUR").quote(b, q, datetime(2026, 9, 10).date()))


def test_seller_share_eu_low_value_worked_example():
    # DE, EUR 15 T-shirt + 5 shipping, 2026-09-10 (after 2026-07-01): EUR 3 flat duty per HS6 and 19% VAT on
    # the sale price, both at checkout (docs/customs.md, EU rules)
    req = {"destination": "DE", "date": "2026-09-10", "currency": "EUR", "incoterm": "DDP", "channel": "marketplace",
           "shipping": "5.00", "lines": [{"hs_code": "610910", "origin": "CN", "quantity": 1, "unit_value": "15.00",
                                          "weight_kg": "0.2"}]}
    res = to_json(landed_cost(parse_request(req), _ctx()))
    assert res["collected_at"] == "checkout"
    total, notes = seller_share(res, channel="marketplace", tax_included=True)
    assert total == 0 and all("marketplace" in n for n in notes)
    res_own = to_json(landed_cost(parse_request({**req, "channel": "own_store"}), _ctx()))
    own, _ = seller_share(res_own, channel="own_store", tax_included=True)
    assert own == Decimal(res_own["total_charges"]) > Decimal("3")
    # VAT charged on top of the price (item tax on the order) is not in revenue, so not a cost; the duty still is
    on_top, notes = seller_share(res_own, channel="own_store", tax_included=False)
    assert on_top < own and any("not a cost" in n for n in notes)


def test_seller_share_border_charges_are_the_sellers():
    res = {"currency": "USD", "explanation": [
        {"rule": "MFN", "source": "HTS", "amount": "6.60", "kind": "duty", "collected_at": "border"},
        {"rule": "Section 301", "source": "USTR", "amount": "3.00", "kind": "duty", "collected_at": "border"},
        {"rule": "rate", "source": "ECB", "amount": "0.00", "kind": "info"}]}
    total, notes = seller_share(res, channel="marketplace", tax_included=True)
    assert total == Decimal("9.60") and len(notes) == 2

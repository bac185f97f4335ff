"""The profit engine's customs and rebate hooks on the database: duties the seller pays for a
stored order (landed-cost engine) and the SKU's rebate rate from the organisation's 文库."""

from datetime import date, datetime
from decimal import Decimal

from xborder.accounts import service as accounts
from xborder.catalog import service as catalog
from xborder.customs import service as customs
from xborder.customs.order_duties import duties_for_order, order_duties
from xborder.customs.tariffs import TariffLine
from xborder.db import UnitOfWork
from xborder.fx.service import converter
from xborder.profit import service as profit
from xborder.rebate import service as rebate
from xborder.rebate.rates import RebateRate
from xborder.sales.orm import SalesOrder, SalesOrderLine

ON = datetime(2026, 9, 10, 12, 0)


def _order(s, principal, ref, *, channel="amazon", market="US", country="US", currency="USD", fulfillment="FBA",
           lines=(("SW-TEE", "2", "40.00", "3.20"),)):
    o = SalesOrder(org_id=principal.org_id, channel=channel, order_ref=ref, market=market, currency=currency,
                   purchased_at=ON, status="Shipped", fulfillment=fulfillment, ship_country=country,
                   source_format="test")
    for i, (sku, qty, price, tax) in enumerate(lines):
        o.lines.append(SalesOrderLine(org_id=principal.org_id, line_ref=f"{ref}-{i}", platform_sku=sku,
                                      quantity=Decimal(qty), item_price=Decimal(price), item_tax=Decimal(tax)))
    s.add(o)
    s.flush()
    return o


def _setup(s, principal):
    catalog.create_sku(s, principal, {"sku": "SW-TEE", "name_en": "Cotton T-shirt", "hs_code": "610910",
                                      "origin": "CN", "weight_g": "200", "purchase_cost": "30.00",
                                      "rebate_rate": "0.09"})
    catalog.create_sku(s, principal, {"sku": "KT-HOOK", "name_en": "Hook", "hs_code": "830230", "origin": "CN",
                                      "weight_g": "50", "purchase_cost": "5.00"})
    customs.store_tariff(s, dataset="tariff:US", version="t1", source="test HTS", url="", digest="c" * 64,
                         valid_from=date(2025, 1, 1),
                         lines=[TariffLine("61091000", "Of cotton", "16.5%"),
                                TariffLine("83023030", "Other, for motor vehicles", "2%"),
                                TariffLine("8302306000", "Other", "3.5%")])
    rebate.store_rates(s, principal, [
        RebateRate("6109100010", date(2025, 1, 1), None, Decimal("0.13"), (Decimal("0.13"),), "棉制T恤", source="test 文库"),
        RebateRate("6109100021", date(2025, 1, 1), None, Decimal("0.13"), (Decimal("0.13"),), "棉制T恤", source="test 文库"),
    ])


def test_us_fba_order_is_ddp_with_mfn_and_section_301(uow, principal):
    s = uow.session
    _setup(s, principal)
    o = _order(s, principal, "111-0000001-0000001")
    got = order_duties(s, principal, o)
    # 40.00 USD FOB: MFN 16.5% = 6.60, Section 301 List 4A 6109 7.5% = 3.00; no de minimis for CN since 2025-08-29
    assert got.amount == Decimal("9.60")
    rate = converter(s).to_cny("USD", ON.date()).rate
    assert got.amount_cny == (Decimal("9.60") * rate).quantize(Decimal("0.01"))
    assert "DDP" in got.source and "FBA" in got.source and "Section 301" in got.source
    cny, src, message = duties_for_order(s, principal, o)
    assert cny == got.amount_cny and src == got.source and message == got.message.to_json()
    # exposed for the profit engine from customs.service
    assert customs.duties_for_order is duties_for_order


def test_profit_shows_duties_and_library_rebate(uow, principal):
    s = uow.session
    _setup(s, principal)
    _order(s, principal, "111-0000002-0000002")
    rep = profit.build_report(s, principal)
    (ln,) = rep.lines
    rate = converter(s).to_cny("USD", ON.date()).rate
    assert ln.duties_taxes == -(Decimal("9.60") * rate).quantize(Decimal("0.01"))
    duty_ex = [e for e in ln.explanations if e.figure == "duties_taxes"][0]
    assert "landed cost US" in duty_ex.source and "MFN" in duty_ex.source
    # rebate from the library (13%), not the catalog's manual 9%: 2 x 30.00 / 1.13 x 0.13
    assert ln.rebate == Decimal("60.00") / Decimal("1.13") * Decimal("0.13")
    reb_ex = [e for e in ln.explanations if e.figure == "rebate"][0]
    assert "rebate-rate library" in reb_ex.source and "6109100010" in reb_ex.source
    row = profit.profit_rows(s, principal, "market")["rows"][0]
    assert row["key"] == "US" and Decimal(row["duties_taxes"]) < 0 and Decimal(row["rebate"]) > 0


def test_ambiguous_tariff_or_unknown_channel_gives_none_with_reason(uow, principal):
    s = uow.session
    _setup(s, principal)
    o = _order(s, principal, "111-0000003-0000003", lines=(("KT-HOOK", "1", "6.29", "0"),))
    assert duties_for_order(s, principal, o) is None
    assert "TARIFF_RATE_MISSING" in order_duties(s, principal, o).source
    o2 = _order(s, principal, "X-1", channel="mapped")
    assert duties_for_order(s, principal, o2) is None
    assert "neither a known marketplace" in order_duties(s, principal, o2).source
    o3 = _order(s, principal, "111-0000004-0000004", lines=(("NOT-IN-CATALOG", "1", "6.29", "0"),))
    assert "not paired to a catalog SKU" in order_duties(s, principal, o3).source


def test_eu_marketplace_vat_is_not_the_sellers_but_own_store_vat_is(uow, principal):
    s = uow.session
    _setup(s, principal)
    amz = _order(s, principal, "302-1", market="DE", country="DE", currency="EUR",
                 lines=(("SW-TEE", "1", "20.00", "3.80"),))
    got = order_duties(s, principal, amz)
    assert got.landed_cost is not None and Decimal(got.landed_cost["total_charges"]) > 0
    # under EUR 150 everything is collected at checkout by the marketplace (deemed supplier)
    assert got.amount == Decimal("0") and "collected by the marketplace" in got.source
    shop = _order(s, principal, "#1001", channel="shopify", market="DE", country="Germany", currency="EUR",
                  fulfillment="merchant", lines=(("SW-TEE", "1", "20.00", "0"),))
    own = order_duties(s, principal, shop)
    # price includes the VAT (no item tax on the order): the seller remits it through IOSS
    assert own.amount == Decimal(own.landed_cost["total_charges"]) > 0
    assert "own store assumed DDP" in own.source


def test_rebate_rate_for_sku_unique_ambiguous_unknown_and_dated(uow, principal):
    s = uow.session
    _setup(s, principal)
    rate, src = rebate.rebate_rate_for_sku(s, principal, "SW-TEE", date(2026, 9, 10))
    assert rate == Decimal("0.13") and "610910" in src
    assert rebate.rebate_rate_for_sku(s, principal, "SW-TEE", date(2024, 12, 31)) is None  # not yet valid
    assert rebate.rebate_rate_for_sku(s, principal, "KT-HOOK", date(2026, 9, 10)) is None  # not in library
    assert rebate.rebate_rate_for_sku(s, principal, "NOPE", date(2026, 9, 10)) is None
    # a third 10-digit line with another rate makes HS 610910 ambiguous: None (catalog rate applies)
    rebate.store_rates(s, principal, [RebateRate("6109100030", date(2025, 1, 1), None, Decimal("0.09"),
                                                 (Decimal("0.13"),), source="test 文库")])
    assert rebate.rebate_rate_for_sku(s, principal, "SW-TEE", date(2026, 9, 10)) is None
    assert "different rebate rates" in rebate.rebate_rate_lookup(s, principal, "SW-TEE", date(2026, 9, 10))[1]


def test_hooks_are_org_scoped(uow, principal, other_principal):
    s = uow.session
    _setup(s, principal)
    o = _order(s, principal, "111-0000005-0000005")
    assert duties_for_order(s, other_principal, o) is None
    assert rebate.rebate_rate_for_sku(s, other_principal, "SW-TEE", date(2026, 9, 10)) is None


# `xborder profit --json` (the contract) shows the customs duties and the library rebate
def test_profit_cli_by_order_shows_duties_and_library_rebate(cli, container, org_ids):
    with UnitOfWork(container.sessions) as u:
        p = accounts.principal_for(u.session, org_ids[1], org_ids[0])
        _setup(u.session, p)
        _order(u.session, p, "111-0000009-0000009")
        u.commit()
    r = cli("profit", "--by", "order", "--json", org="Acme Export")
    assert r.exit_code == 0, r.stdout + r.stderr
    (row,) = r.json()["rows"]
    assert row["key"] == "111-0000009-0000009"
    assert Decimal(row["duties_taxes"]) < 0
    assert row["rebate"] == "6.90"  # 60.00 / 1.13 x 13% (library), not 4.78 at the catalog's 9%
    figures = [Decimal(row[k]) for k in ("revenue", "fees", "shipping", "duties_taxes", "cost_of_goods", "fx", "rebate")]
    assert abs(sum(figures) - Decimal(row["margin"])) <= Decimal("0.04")


def test_markets_own_tariff_codes_give_the_duty_and_the_rebate_where_the_hs_code_is_ambiguous(uow, principal):
    """HS 830230 carries two US rates (2 % and 3.5 %): with the SKU's US HTS line the order's duty is
    computed (before: TARIFF_RATE_MISSING, no duty in the profit); a DE order keeps the HS code. The
    SKU's China code picks its line in the rebate library when the HS code has two rates there."""
    s = uow.session
    _setup(s, principal)
    hook = catalog.get_sku_by_code(s, principal.org_id, "KT-HOOK")
    o = _order(s, principal, "111-0000009-0000009", lines=(("KT-HOOK", "1", "6.29", "0"),))
    assert "TARIFF_RATE_MISSING" in order_duties(s, principal, o).source
    catalog.update_sku(s, principal, hook.id, {**catalog.sku_to_dict(hook), "hs_code_us": "8302306000"})
    got = order_duties(s, principal, o)
    assert got.landed_cost is not None, got.source
    assert got.landed_cost["lines"][0]["hs_code"] == "8302306000"
    assert any("3.5%" in e["rule"] for e in got.landed_cost["explanation"])
    # the request for a German buyer still uses the HS code (no EU line given)
    de = _order(s, principal, "302-9", market="DE", country="DE", currency="EUR", lines=(("KT-HOOK", "1", "6.29", "0"),))
    assert order_duties(s, principal, de).landed_cost["lines"][0]["hs_code"] == "830230"
    # rebate: two 10-digit lines with different rates under 610910 -> ambiguous, until the SKU names its line
    rebate.store_rates(s, principal, [RebateRate("6109100030", date(2025, 1, 1), None, Decimal("0.09"),
                                                 (Decimal("0.13"),), source="test 文库")])
    assert rebate.rebate_rate_for_sku(s, principal, "SW-TEE", date(2026, 9, 10)) is None
    tee = catalog.get_sku_by_code(s, principal.org_id, "SW-TEE")
    catalog.update_sku(s, principal, tee.id, {**catalog.sku_to_dict(tee), "hs_code_cn": "6109100030"})
    rate, src = rebate.rebate_rate_for_sku(s, principal, "SW-TEE", date(2026, 9, 10))
    assert rate == Decimal("0.09") and "6109100030" in src

from __future__ import annotations

import json

import pytest

from xborder.errors import ImportRejected, NotFound
from xborder.selection import service
from xborder.selection.orm import ResearchListing, ResearchSnapshot

CSV = (b"Product Details,ASIN,Brand,Price  $,Sales,Revenue,BSR,Review Count,Ratings,Category,Creation Date\n"
       b"Wooden Heart Hanging Decoration Red,B01,Acme,12.99,\"1,200\",\"15,588\",15,\"2,340\",4.5,Home,2021-03-01\n"
       b"Red Wooden Heart Hanging Decoration,B02,Acme,11.99,900,\"10,791\",40,\"1,100\",4.4,Home,2026-09-01\n"
       b"Glass Tea Light Holder Set,B03,Brite,8.50,300,\"2,550\",300,45,4.1,Kitchen,2026-10-10\n")


def test_research_import_store_and_metrics(uow, principal, other_principal):
    res = service.import_research(uow.session, principal, CSV, "h10.csv", preset="helium10-xray", marketplace="amazon.com")
    uow.commit()
    assert res.imported == 3
    again = service.import_research(uow.session, principal, CSV, "h10.csv", preset="helium10-xray")
    assert again.imported == 0 and again.snapshot_id == res.snapshot_id
    assert uow.session.query(ResearchListing).count() == 3
    sn = service.get_snapshot(uow.session, principal, res.snapshot_id)
    metrics = {m["category"]: m for m in service.snapshot_metrics(sn)}
    assert metrics["Home"]["listings"] == 2 and metrics["Home"]["homogeneity"] == 1.0
    with pytest.raises(NotFound):
        service.get_snapshot(uow.session, other_principal, res.snapshot_id)


def test_rejected_research_file_writes_nothing(uow, principal):
    bad = CSV.replace(b"12.99", b"twelve")
    with pytest.raises(ImportRejected) as ei:
        service.import_research(uow.session, principal, bad, "bad.csv", preset="helium10-xray")
    assert ei.value.errors[0]["line"] == 2 and ei.value.errors[0]["column"] == "Price  $"
    uow.rollback()
    assert uow.session.query(ResearchSnapshot).count() == 0


def test_forecast_save_roundtrip(uow, principal, other_principal, uci_sample):
    loaded = service.load_sales_file(uci_sample, "uci-online-retail")
    run = service.forecast_loaded(loaded, horizon=8, top=3, n_jobs=1)
    row = service.save_forecast(uow.session, principal, run, "sample")
    uow.commit()
    got = service.get_forecast(uow.session, principal, row.id)
    assert len(got.lines) == 3 and got.horizon == 8
    d = service.forecast_line_dict(got.lines[0])
    assert len(d["forecast"]) == 8 and d["history"] and json.dumps(d)
    assert service.latest_forecast(uow.session, other_principal.org_id) is None
    with pytest.raises(NotFound):
        service.get_forecast(uow.session, other_principal, row.id)


def test_catalog_costs_replace_the_cost_ratio(uow, principal, uci_sample):
    from decimal import Decimal

    from xborder.catalog import service as catalog

    catalog.create_sku(uow.session, principal, {"sku": "22423", "name_en": "Cake stand", "purchase_cost": "30.00",
                                                "purchase_currency": "CNY", "hs_code": "691200"})
    uow.commit()
    loaded = service.load_sales_file(uci_sample, "uci-online-retail")
    a, meta = service.analyze_loaded(loaded, catalog=service.catalog_info(uow.session, principal.org_id))
    fx = Decimal(meta["fx"]["rate"])
    o = next(o for o in a.opportunities if o["product"] == "22423")
    cost_line = next(ln for ln in o["margin_lines"] if ln["label"] == "purchase cost")
    assert Decimal(cost_line["amount"]) == -(Decimal("30.00") * fx).quantize(Decimal("0.0001"))
    assert cost_line["rule"] == "landed purchase cost"


def test_risk_fx_exposure_from_stock_orders_and_undeposited_payouts(uow, principal):
    from decimal import Decimal

    pytest.importorskip("xborder.payments.orm")
    from xborder.catalog import service as catalog
    from xborder.payments.orm import Payout
    from xborder.procurement import service as procurement
    from xborder.selection import risk_service

    s = uow.session
    catalog.create_sku(s, principal, {"sku": "MUG-1", "name_en": "Mug", "purchase_cost": "10.00", "purchase_currency": "CNY"})
    procurement.set_stock(s, principal, "MUG-1", "100")
    s.add(Payout(org_id=principal.org_id, provider="amazon", payout_ref="S-1", currency="EUR", total=Decimal("500.00"),
                 deposit_date=None))
    uow.commit()
    ov = risk_service.overview(s, principal)
    by = {c["currency"]: c for c in ov["fx_exposure"]["currencies"]}
    assert by["CNY"]["amount_base"] == "1000.00"
    assert "EUR" in by and Decimal(by["EUR"]["amount_base"]) > Decimal("3000")
    assert any(a["code"] == "FX_CONCENTRATION" for a in ov["alerts"])

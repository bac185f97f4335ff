from datetime import date
from decimal import Decimal as D

from xborder.customs import dashboard, demo, service
from xborder.customs import declarations as dc


def test_dashboard_warns_about_missing_tariffs_and_pending_summary(uow, principal):
    service.save_declaration(uow.session, principal, dc.to_dict(dc.sample()))  # 2026-11-24
    uow.commit()
    w = dashboard.widgets(uow.session, principal, today=date(2026, 12, 3))
    titles = {x["title"]: x for x in w}
    assert "Tariff data not loaded" in titles
    assert titles["9610 lists to summarise"]["value"] == 1 and titles["9610 lists to summarise"]["level"] == "warn"
    late = {x["title"]: x for x in dashboard.widgets(uow.session, principal, today=date(2026, 12, 16))}
    assert late["9610 lists to summarise"]["level"] == "error"


def test_demo_build(uow, principal):
    from xborder.catalog.orm import Sku

    uow.session.add(Sku(org_id=principal.org_id, sku="D-1", name_en="Cotton T-shirt", hs_code="610910", weight_g=D("180")))
    uow.commit()
    msg = demo.build(uow.session, principal, seed=1)
    uow.commit()
    assert "1 shipment document set" in msg and "declaration" in msg and "2 CEB604 receipt(s)" in msg
    (decl,) = service.list_declarations(uow.session, principal)
    assert decl.invt_no.startswith("2991") and decl.return_status == "800" and decl.status == "accepted"
    row = service.list_docs(uow.session, principal)[0]
    assert row.data["lines"][0]["hs_code"] == "610910" and row.data["lines"][0]["net_weight_kg"] == "0.18"

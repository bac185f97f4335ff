from __future__ import annotations

from xborder.demo.service import build_catalog
from xborder.procurement import demo as procurement_demo
from xborder.procurement import service
from xborder.selection import demo as selection_demo


def test_demo_hooks_fill_procurement_and_a_forecast(uow, principal):
    build_catalog(uow.session, principal)
    assert "suppliers" in procurement_demo.build(uow.session, principal)
    assert "forecast" in selection_demo.build(uow.session, principal)
    uow.commit()
    orders = service.list_orders(uow.session, principal.org_id)
    assert len(orders) == 1 and orders[0].status == "partially_received" and len(orders[0].charges) == 2
    plan = service.reorder_plan(uow.session, principal)
    assert plan["lines"] and all(ln["supplier"] for ln in plan["lines"])
    # running the hooks again changes nothing
    assert "exist" in procurement_demo.build(uow.session, principal)
    assert "exist" in selection_demo.build(uow.session, principal)

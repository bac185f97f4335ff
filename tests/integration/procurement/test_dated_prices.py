"""Dated supplier price lists: validity, overlaps refused, the list in force on the order date,
history, editing, the reorder plan's prices, and the migration that dates existing breaks."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from xborder.catalog import service as catalog
from xborder.errors import ValidationError
from xborder.procurement import service
from xborder.procurement.orm import SupplierPrice

JAN, JUL = date(2026, 1, 1), date(2026, 7, 1)


@pytest.fixture
def sup(uow, principal):
    s = uow.session
    for code in ("LAMP-1", "MUG-1"):
        catalog.create_sku(s, principal, {"sku": code, "name_en": code, "weight_g": "500", "purchase_cost": "10.00",
                                          "purchase_currency": "CNY"})
    sup = service.create_supplier(s, principal, {"name": "Shenzhen Light", "moq": "50", "lead_time_days": "21"})
    service.set_prices(s, principal, sup, "LAMP-1", [(1, Decimal("12.00")), (500, Decimal("10.50"))], valid_from=JAN)
    uow.commit()
    return sup


def _rows(uow, principal):
    return uow.session.scalars(select(SupplierPrice).where(SupplierPrice.org_id == principal.org_id)
                               .order_by(SupplierPrice.valid_from, SupplierPrice.min_qty)).all()


def test_overlap_is_refused_and_nothing_is_written(uow, principal, sup):
    before = [(r.min_qty, r.unit_price, r.valid_from, r.valid_to) for r in _rows(uow, principal)]
    with pytest.raises(ValidationError) as ei:
        service.set_prices(uow.session, principal, sup, "LAMP-1", [(1, Decimal("12.60"))], valid_from=JUL)
    uow.rollback()
    assert ei.value.field == "valid_from"
    assert "overlaps" in ei.value.message and "2026-01-01 – open" in ei.value.message and "LAMP-1" in ei.value.message
    assert [(r.min_qty, r.unit_price, r.valid_from, r.valid_to) for r in _rows(uow, principal)] == before
    # a bounded list before the open one overlaps too
    with pytest.raises(ValidationError, match="overlaps"):
        service.set_prices(uow.session, principal, sup, "LAMP-1", [(1, Decimal("11.00"))], valid_from=date(2025, 6, 1),
                           valid_to=JAN)
    uow.rollback()
    # ... but one ending the day before is accepted, and so is another SKU on the same dates
    service.set_prices(uow.session, principal, sup, "LAMP-1", [(1, Decimal("11.00"))], valid_from=date(2025, 6, 1),
                       valid_to=JAN - timedelta(days=1))
    service.set_prices(uow.session, principal, sup, "MUG-1", [(1, Decimal("3.20"))], valid_from=JAN)
    uow.commit()
    with pytest.raises(ValidationError, match="valid_to"):
        service.set_prices(uow.session, principal, sup, "MUG-1", [(1, Decimal("3.20"))], valid_from=JUL, valid_to=JAN)


def test_new_list_closes_the_previous_and_orders_use_the_list_of_their_date(uow, principal, sup):
    s = uow.session
    service.set_prices(s, principal, sup, "LAMP-1", [(1, Decimal("12.60")), (500, Decimal("11.00"))], valid_from=JUL,
                       close_previous=True)
    uow.commit()
    rows = _rows(uow, principal)
    assert [(r.min_qty, r.valid_from, r.valid_to) for r in rows] == [
        (1, JAN, date(2026, 6, 30)), (500, JAN, date(2026, 6, 30)), (1, JUL, None), (500, JUL, None)]
    june = service.create_order(s, principal, sup, [("LAMP-1", 600, None)], order_date=date(2026, 6, 30))
    july = service.create_order(s, principal, sup, [("LAMP-1", 600, None)], order_date=JUL)
    small = service.create_order(s, principal, sup, [("LAMP-1", 100, None)], order_date=date(2026, 3, 15))
    uow.commit()
    assert june.lines[0].unit_price == Decimal("10.50") and july.lines[0].unit_price == Decimal("11.00")
    assert small.lines[0].unit_price == Decimal("12.00")
    # landed unit cost reads the order's own (dated) price
    service.add_charge(s, principal, july, "freight", "600.00", "quantity")
    assert service.landed_costs(s, july)[0].landed_unit_cost == Decimal("12.0000")
    with pytest.raises(ValidationError) as ei:
        service.create_order(s, principal, sup, [("LAMP-1", 100, None)], order_date=date(2025, 12, 31))
    assert ei.value.field == "unit_price" and "in force on 2025-12-31" in ei.value.message
    assert "2026-01-01 – 2026-06-30" in ei.value.message and "2026-07-01 – open" in ei.value.message
    # an explicit price needs no list
    old = service.create_order(s, principal, sup, [("LAMP-1", 100, "9.90")], order_date=date(2025, 12, 31))
    assert old.lines[0].unit_price == Decimal("9.90")


def test_history_and_editing_a_list(uow, principal, sup):
    s = uow.session
    service.set_prices(s, principal, sup, "LAMP-1", [(1, Decimal("12.60"))], valid_from=JUL, close_previous=True)
    service.set_prices(s, principal, sup, "LAMP-1", [(1, Decimal("13.00"))], valid_from=date(2027, 1, 1), close_previous=True)
    uow.commit()
    codes = {k: v for k, v in [(r.sku_id, "LAMP-1") for r in _rows(uow, principal)]}
    lists = service.price_lists(sup, codes, on=date(2026, 8, 1))
    assert [(pl["valid_from"], pl["valid_to"], pl["status"]) for pl in lists] == [
        ("2027-01-01", None, "future"), ("2026-07-01", "2026-12-31", "current"), ("2026-01-01", "2026-06-30", "past")]
    assert lists[2]["breaks"] == [{"min_qty": 1, "unit_price": "12.0000"}, {"min_qty": 500, "unit_price": "10.5000"}]
    # edit the July list: new price, and start it a week later (the old list is then extended by hand)
    service.set_prices(s, principal, sup, "LAMP-1", [(1, Decimal("12.40")), (300, Decimal("12.00"))],
                       valid_from=date(2026, 7, 8), valid_to=date(2026, 12, 31), replace_from=JUL)
    uow.commit()
    lists = service.price_lists(sup, codes, on=date(2026, 8, 1))
    assert lists[1]["valid_from"] == "2026-07-08" and len(lists[1]["breaks"]) == 2
    d = service.supplier_dict(sup, codes, on=date(2026, 8, 1))
    assert {(p["min_qty"], p["unit_price"]) for p in d["prices_in_force"]} == {(1, "12.4000"), (300, "12.0000")}
    assert len(d["prices"]) == 5 and all("valid_from" in p and "valid_to" in p for p in d["prices"])
    with pytest.raises(ValidationError, match="overlaps"):  # moving it onto the January list
        service.set_prices(s, principal, sup, "LAMP-1", [(1, Decimal("12.40"))], valid_from=date(2026, 6, 1),
                           replace_from=date(2026, 7, 8))


def test_reorder_plan_prices_with_the_list_in_force(uow, principal, sup):
    import importlib

    proc = importlib.import_module("tests.integration.procurement.test_procurement_service")
    run = proc._saved_forecast(uow, principal)
    s = uow.session
    today = date.today()
    service.set_prices(s, principal, sup, "LAMP-1", [(1, Decimal("14.00"))], valid_from=today + timedelta(days=30),
                       close_previous=True)
    uow.commit()
    now = {ln["sku"]: ln for ln in service.reorder_plan(s, principal, run_id=run.id)["lines"]}
    later_plan = service.reorder_plan(s, principal, run_id=run.id, on=today + timedelta(days=30))
    later = {ln["sku"]: ln for ln in later_plan["lines"]}
    assert Decimal(now["LAMP-1"]["unit_cost"]) in (Decimal("12.00"), Decimal("10.50"))
    assert Decimal(later["LAMP-1"]["unit_cost"]) == Decimal("14.00")
    assert later_plan["prices_on"] == (today + timedelta(days=30)).isoformat()
    before = service.reorder_plan(s, principal, run_id=run.id, on=date(2025, 1, 1))
    assert {"sku": "LAMP-1", "reason": "no supplier price in force"} in before["skipped"]


@pytest.fixture(params=["sqlite", "postgresql"])
def scratch_url(request, tmp_path):
    """A database of its own (the migration goes down and up again): a SQLite file, and a scratch
    PostgreSQL database next to DATABASE_URL's when the tests run on PostgreSQL."""
    import os

    from sqlalchemy.engine import make_url

    from xborder.config import normalise_database_url
    from xborder.db import make_engine

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'mig.sqlite3'}"
        return
    pg = os.environ.get("DATABASE_URL")
    if not pg:
        pytest.skip("PostgreSQL: set DATABASE_URL to run the migration on it too")
    base = make_url(normalise_database_url(pg))
    name = f"{base.database}_migtest"
    admin = make_engine(base.render_as_string(hide_password=False))
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_migration_dates_existing_breaks(scratch_url):
    """Downgrade procurement to 0001 (undated breaks), record an order dated before the prices
    were entered, upgrade again: the old breaks get a valid_from that keeps that date covered."""
    from alembic import command
    from sqlalchemy.orm import Session

    from xborder.accounts import service as accounts
    from xborder.accounts.service import Principal, Role
    from xborder.db import alembic_config, make_engine, upgrade

    url = scratch_url
    upgrade(url)
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "procurement_0001")
        with Session(engine) as s:
            org = accounts.create_org(s, "Mig", legal_name_en="Mig Ltd", uscc="91440300MA5FXB7K3U")
            s.flush()
            p = Principal(user_id=0, org_id=org.id, role=Role.OWNER, email="t")
            sku = catalog.create_sku(s, p, {"sku": "OLD-1", "name_en": "old", "weight_g": "100"})
            sup = service.create_supplier(s, p, {"name": "Old supplier"})
            service.create_order(s, p, sup, [("OLD-1", 10, "2.00")], order_date=date(2025, 3, 1))
            s.commit()
            ids = (org.id, sup.id, sku.id)
        with engine.begin() as conn:
            for q, price in ((1, 25000), (100, 23000)):
                conn.execute(text("INSERT INTO supplier_prices (supplier_id, sku_id, min_qty, unit_price, org_id, created_at, "
                                  "updated_at) VALUES (:s, :k, :q, :p, :o, '2026-11-20 10:00:00', '2026-11-20 10:00:00')"),
                             {"s": ids[1], "k": ids[2], "q": q, "p": price, "o": ids[0]})
        upgrade(url)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT min_qty, valid_from, valid_to FROM supplier_prices ORDER BY min_qty")).all()
        assert [(q, str(vf)[:10], vt) for q, vf, vt in rows] == [(1, "2025-03-01", None), (100, "2025-03-01", None)]
        with Session(engine) as s:
            p = Principal(user_id=0, org_id=ids[0], role=Role.OWNER, email="t")
            sup = service.get_supplier(s, p, ids[1])
            po = service.create_order(s, p, sup, [("OLD-1", 100, None)], order_date=date(2025, 3, 1))
            assert po.lines[0].unit_price == Decimal("2.3000")
            s.rollback()
        # and back down: one break per tier survives
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "procurement_0001")
            assert conn.execute(text("SELECT count(*) FROM supplier_prices")).scalar() == 2
    finally:
        engine.dispose()

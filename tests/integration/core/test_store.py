"""The store keeps money and quantities exactly, on SQLite and on PostgreSQL."""

from decimal import Decimal

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import StatementError

from xborder.catalog.orm import Sku
from xborder.db import Base, pending_revisions
from xborder.errors import ValidationError

VALUES = ["0.0001", "12345678901.2345", "-0.0001", "0.1", "0.2", "99999999999999.9999"]


def test_decimal_round_trip_is_exact(uow, org):
    for i, v in enumerate(VALUES):
        uow.session.add(Sku(org_id=org.id, sku=f"S{i}", name_en="x", purchase_cost=Decimal(v), weight_g=Decimal(v)))
    uow.commit()
    uow.session.expire_all()
    got = {s.sku: s.purchase_cost for s in uow.session.scalars(select(Sku).where(Sku.org_id == org.id))}
    assert [got[f"S{i}"] for i in range(len(VALUES))] == [Decimal(v) for v in VALUES]
    # sums are exact in SQL too (0.1 + 0.2 == 0.3, never 0.30000000000000004)
    total = uow.session.scalar(select(func.sum(Sku.purchase_cost)).where(Sku.sku.in_(["S3", "S4"])))
    assert total == Decimal("0.3")


def test_more_decimals_than_the_column_holds_is_refused(uow, org):
    uow.session.add(Sku(org_id=org.id, sku="BAD", name_en="x", purchase_cost=Decimal("0.00001")))
    with pytest.raises((ValidationError, StatementError), match="more than 4 decimal places"):
        uow.session.flush()


def test_migrations_are_at_head_and_match_the_models(settings, container):
    assert pending_revisions(settings) == set()
    insp = inspect(container.engine)
    db_tables = set(insp.get_table_names()) - {"alembic_version"}
    model_tables = set(Base.metadata.tables)
    assert model_tables <= db_tables, f"tables missing from migrations: {model_tables - db_tables}"
    for name, table in Base.metadata.tables.items():
        cols = {c["name"] for c in insp.get_columns(name)}
        assert set(table.columns.keys()) <= cols, f"{name}: columns missing from migrations: {set(table.columns.keys()) - cols}"


def test_every_business_table_is_scoped_to_an_organisation():
    global_tables = {"organisations", "users", "memberships", "web_sessions", "api_tokens", "login_attempts", "data_sources",
                     "alembic_version"}
    for name, table in Base.metadata.tables.items():
        if name in global_tables or table.info.get("global"):
            continue
        assert "org_id" in table.columns, f"{name} has no org_id (mark reference tables with info={{'global': True}})"

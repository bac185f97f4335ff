"""procurement: price breaks carry validity dates (valid_from, optional valid_to)

Existing breaks had no dates and applied on every order date. To keep that true for the orders
already priced from them, each is backfilled with ``valid_from`` = the earlier of the day it was
entered and the organisation's first purchase order date, and stays open-ended.

Revision ID: procurement_0002
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

revision = "procurement_0002"
down_revision = "procurement_0001"
branch_labels = None
depends_on = None


def _as_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def upgrade() -> None:
    with op.batch_alter_table("supplier_prices") as batch:
        batch.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("valid_to", sa.Date(), nullable=True))
    conn = op.get_bind()
    prices = sa.table("supplier_prices", sa.column("id", sa.Integer()), sa.column("org_id", sa.Integer()),
                      sa.column("created_at", sa.DateTime()), sa.column("valid_from", sa.Date()))
    orders = sa.table("purchase_orders", sa.column("org_id", sa.Integer()), sa.column("order_date", sa.Date()))
    first_order = {org: _as_date(d) for org, d in
                   conn.execute(sa.select(orders.c.org_id, sa.func.min(orders.c.order_date)).group_by(orders.c.org_id))}
    for pid, org, created in conn.execute(sa.select(prices.c.id, prices.c.org_id, prices.c.created_at)).all():
        start = _as_date(created) or date.today()
        fo = first_order.get(org)
        if fo is not None and fo < start:
            start = fo
        conn.execute(prices.update().where(prices.c.id == pid).values(valid_from=start))
    with op.batch_alter_table("supplier_prices") as batch:
        batch.alter_column("valid_from", existing_type=sa.Date(), nullable=False)
        batch.drop_constraint("uq_supplier_prices_supplier_id_sku_id_min_qty", type_="unique")
        batch.create_unique_constraint("uq_supplier_prices_supplier_id_sku_id_min_qty_valid_from",
                                       ["supplier_id", "sku_id", "min_qty", "valid_from"])


def downgrade() -> None:
    # keeps the break in force today (or the latest) per tier: the undated table holds one price per tier
    conn = op.get_bind()
    prices = sa.table("supplier_prices", sa.column("id", sa.Integer()), sa.column("supplier_id", sa.Integer()),
                      sa.column("sku_id", sa.Integer()), sa.column("min_qty", sa.Integer()),
                      sa.column("valid_from", sa.Date()), sa.column("valid_to", sa.Date()))
    today = date.today()
    keep: dict[tuple[int, int, int], tuple[bool, date, int]] = {}
    for pid, sup, sku, q, vf, vt in conn.execute(sa.select(prices)).all():
        vf, vt = _as_date(vf), _as_date(vt)
        current = vf <= today and (vt is None or today <= vt)
        rank = (current, vf, pid)
        key = (sup, sku, q)
        if key not in keep or rank > keep[key]:
            keep[key] = rank
    ids = {r[2] for r in keep.values()}
    for (pid,) in conn.execute(sa.select(prices.c.id)).all():
        if pid not in ids:
            conn.execute(prices.delete().where(prices.c.id == pid))
    with op.batch_alter_table("supplier_prices") as batch:
        batch.drop_constraint("uq_supplier_prices_supplier_id_sku_id_min_qty_valid_from", type_="unique")
        batch.create_unique_constraint("uq_supplier_prices_supplier_id_sku_id_min_qty", ["supplier_id", "sku_id", "min_qty"])
        batch.drop_column("valid_to")
        batch.drop_column("valid_from")

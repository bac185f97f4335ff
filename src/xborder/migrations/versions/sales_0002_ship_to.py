"""sales: an order's recipient (name, street and city lines, postcode) as the marketplace export gives it

Revision ID: sales_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sales_0002"
down_revision = "sales_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sales_orders") as batch:
        batch.add_column(sa.Column("ship_name", sa.String(200), nullable=True))
        batch.add_column(sa.Column("ship_address", sa.String(1000), nullable=True))
        batch.add_column(sa.Column("ship_postcode", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sales_orders") as batch:
        batch.drop_column("ship_postcode")
        batch.drop_column("ship_address")
        batch.drop_column("ship_name")

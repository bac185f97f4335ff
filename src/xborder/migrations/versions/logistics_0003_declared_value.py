"""logistics: a shipment's declared value (customs value of the contents) and its currency

Revision ID: logistics_0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from xborder.db import ScaledDecimal

revision = "logistics_0003"
down_revision = "logistics_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("logistics_shipments") as batch:
        batch.add_column(sa.Column("declared_value", ScaledDecimal(4), nullable=True))
        batch.add_column(sa.Column("declared_currency", sa.String(3), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("logistics_shipments") as batch:
        batch.drop_column("declared_currency")
        batch.drop_column("declared_value")

"""sales: the marketplace's own fulfilment status of an order (Shopify "fulfilled", eBay/Etsy/Temu
shipped dates), so orders shipped outside Xborder leave the shipping queue

Revision ID: sales_0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sales_0003"
down_revision = "sales_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sales_orders") as batch:
        batch.add_column(sa.Column("channel_fulfilment", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sales_orders") as batch:
        batch.drop_column("channel_fulfilment")

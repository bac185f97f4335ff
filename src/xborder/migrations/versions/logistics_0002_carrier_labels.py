"""logistics: store the carrier's own PDF label for live (karrio) shipments

Revision ID: logistics_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "logistics_0002"
down_revision = "logistics_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("logistics_shipments") as batch:
        batch.add_column(sa.Column("label_pdf", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("logistics_shipments") as batch:
        batch.drop_column("label_pdf")

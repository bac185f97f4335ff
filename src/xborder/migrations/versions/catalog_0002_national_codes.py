"""catalog: the markets' own tariff codes per SKU (China's 10-digit export code, the US HTS line, the
EU CN/TARIC code, the UK commodity code); empty = the SKU's HS code serves that market

Revision ID: catalog_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "catalog_0002"
down_revision = "catalog_0001"
branch_labels = None
depends_on = None

COLUMNS = ("hs_code_cn", "hs_code_us", "hs_code_eu", "hs_code_gb")


def upgrade() -> None:
    with op.batch_alter_table("skus") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("skus") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)

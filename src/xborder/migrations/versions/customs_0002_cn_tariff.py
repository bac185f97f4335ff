"""customs: China customs tariff lines (legal units, declared elements) for the cn-tariff source

Revision ID: customs_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "customs_0002"
down_revision = "customs_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customs_cn_tariff_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("customs_ref_versions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("unit1", sa.String(20), nullable=False),
        sa.Column("unit2", sa.String(20), nullable=False),
        sa.Column("elements", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
    )
    op.create_index("ix_customs_cn_tariff_lines_version_id", "customs_cn_tariff_lines", ["version_id"])
    op.create_index("ix_customs_cn_tariff_lines_code", "customs_cn_tariff_lines", ["code"])


def downgrade() -> None:
    op.drop_table("customs_cn_tariff_lines")

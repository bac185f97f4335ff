"""customs: extra-duty rows from synced reference lists (US Section 301 per HTS8 line)

Revision ID: customs_0004
"""

import sqlalchemy as sa
from alembic import op

from xborder.db import Rate

revision = "customs_0004"
down_revision = "customs_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customs_extra_duty_refs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("programme", sa.String(100), nullable=False),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("origin", sa.String(2), nullable=False),
        sa.Column("hs_prefix", sa.String(10), nullable=False),
        sa.Column("rate", Rate, nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.String(500), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["customs_ref_versions.id"],
                                name=op.f("fk_customs_extra_duty_refs_version_id_customs_ref_versions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customs_extra_duty_refs")),
    )
    op.create_index("ix_customs_extra_duty_refs_version_id", "customs_extra_duty_refs", ["version_id"])
    op.create_index("ix_customs_extra_duty_refs_hs_prefix", "customs_extra_duty_refs", ["hs_prefix"])


def downgrade() -> None:
    op.drop_table("customs_extra_duty_refs")

"""customs: CEB604 receipts of export inventory lists, and the latest customs status per declaration

Revision ID: customs_0003
"""

import sqlalchemy as sa
from alembic import op

revision = "customs_0003"
down_revision = "customs_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customs_declarations") as batch:
        batch.add_column(sa.Column("return_status", sa.String(10), nullable=False, server_default=""))
        batch.add_column(sa.Column("return_time", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("return_info", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "customs_declaration_receipts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("declaration_id", sa.Integer(), sa.ForeignKey("customs_declarations.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("guid", sa.String(64), nullable=False),
        sa.Column("cop_no", sa.String(60), nullable=False),
        sa.Column("invt_no", sa.String(60), nullable=False),
        sa.Column("pre_no", sa.String(60), nullable=False),
        sa.Column("return_status", sa.String(10), nullable=False),
        sa.Column("return_time", sa.DateTime(), nullable=True),
        sa.Column("return_info", sa.Text(), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("declaration_id", "digest", name="uq_customs_declaration_receipts_digest"),
    )
    op.create_index("ix_customs_declaration_receipts_org_id", "customs_declaration_receipts", ["org_id"])
    op.create_index("ix_customs_declaration_receipts_declaration_id", "customs_declaration_receipts",
                    ["declaration_id"])


def downgrade() -> None:
    op.drop_table("customs_declaration_receipts")
    with op.batch_alter_table("customs_declarations") as batch:
        batch.drop_column("return_info")
        batch.drop_column("return_time")
        batch.drop_column("return_status")

"""core: reference syncs started from the web/API kept in the database (seen by every process;
one at a time across processes)

Revision ID: core_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core_0002"
down_revision = "core_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reference_sync_jobs",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("running_slot", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("folder", sa.Text(), nullable=True),
        sa.Column("started_by", sa.String(320), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("options_json", sa.Text(), nullable=False),
        sa.Column("sources_json", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reference_sync_jobs")),
        sa.UniqueConstraint("running_slot", name=op.f("uq_reference_sync_jobs_running_slot")),
    )


def downgrade() -> None:
    op.drop_table("reference_sync_jobs")

"""listings: checks, drafts, keyword sources, buyer messages, compliance profiles and status, text provider settings

Revision ID: listings_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from xborder.db import ScaledDecimal

revision = "listings_0001"
down_revision = None
branch_labels = ("listings",)
depends_on = "core_0001"


def _common(table: str) -> list:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name=f"fk_{table}_org_id_organisations", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def _uq(table: str, *cols: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*cols, name=f"uq_{table}_{'_'.join(cols)}")


def upgrade() -> None:
    t = "listings_checks"
    op.create_table(
        t, *_common(t),
        sa.Column("sku_code", sa.String(64), nullable=False),
        sa.Column("marketplace", sa.String(32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("listing_json", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("findings_json", sa.Text(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=False),
        _uq(t, "org_id", "sku_code", "marketplace"),
    )
    op.create_index(f"ix_{t}_org_id", t, ["org_id"])

    t = "listings_drafts"
    op.create_table(
        t, *_common(t),
        sa.Column("sku_code", sa.String(64), nullable=False),
        sa.Column("marketplace", sa.String(32), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("bullets_json", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("search_terms", sa.Text(), nullable=False),
        sa.Column("brand", sa.String(128), nullable=False),
        sa.Column("notes_json", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
    )
    op.create_index(f"ix_{t}_org_id", t, ["org_id"])
    op.create_index(f"ix_{t}_sku_code", t, ["sku_code"])

    t = "listings_keyword_sources"
    op.create_table(
        t, *_common(t),
        sa.Column("set_name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("demand", ScaledDecimal(4), nullable=False),
        sa.Column("batch_sha256", sa.String(64), nullable=False),
        _uq(t, "org_id", "set_name", "kind", "text_hash"),
    )
    op.create_index(f"ix_{t}_org_id", t, ["org_id"])

    t = "listings_buyer_messages"
    op.create_table(
        t, *_common(t),
        sa.Column("marketplace", sa.String(32), nullable=False),
        sa.Column("message_id", sa.String(128), nullable=False),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("buyer_name", sa.String(200), nullable=False),
        sa.Column("buyer_country", sa.String(2), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("incoterm", sa.String(3), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        sa.Column("intent", sa.String(32), nullable=False),
        sa.Column("situation", sa.String(32), nullable=False),
        sa.Column("reply_subject", sa.Text(), nullable=False),
        sa.Column("reply_body", sa.Text(), nullable=False),
        sa.Column("missing", sa.String(400), nullable=False),
        sa.Column("batch_sha256", sa.String(64), nullable=False),
        _uq(t, "org_id", "marketplace", "message_id"),
    )
    op.create_index(f"ix_{t}_org_id", t, ["org_id"])

    t = "listings_sku_profiles"
    op.create_table(
        t, *_common(t),
        sa.Column("sku_code", sa.String(64), nullable=False),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("flags", sa.String(400), nullable=False),
        sa.Column("flags_off", sa.String(400), nullable=False),
        _uq(t, "org_id", "sku_code"),
    )
    op.create_index(f"ix_{t}_org_id", t, ["org_id"])

    t = "listings_compliance_status"
    op.create_table(
        t, *_common(t),
        sa.Column("sku_code", sa.String(64), nullable=False),
        sa.Column("requirement_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reference", sa.String(400), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        _uq(t, "org_id", "sku_code", "requirement_id"),
    )
    op.create_index(f"ix_{t}_org_id", t, ["org_id"])

    t = "listings_textgen_settings"
    op.create_table(
        t, *_common(t),
        sa.Column("base_url", sa.String(400), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("api_key", sa.String(400), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        _uq(t, "org_id"),
    )
    op.create_index(f"ix_{t}_org_id", t, ["org_id"])


def downgrade() -> None:
    for t in ("listings_textgen_settings", "listings_compliance_status", "listings_sku_profiles", "listings_buyer_messages",
              "listings_keyword_sources", "listings_drafts", "listings_checks"):
        op.drop_table(t)

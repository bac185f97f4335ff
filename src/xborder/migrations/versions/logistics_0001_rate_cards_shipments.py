"""logistics: rate cards per organisation, shipments, tracking events

Revision ID: logistics_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from xborder.db import ScaledDecimal

revision = "logistics_0001"
down_revision = None
branch_labels = ("logistics",)
depends_on = "core_0001"


def _org_cols() -> list[sa.Column]:
    return [
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "logistics_rate_cards",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("carrier", sa.String(200), nullable=False),
        sa.Column("service", sa.String(200), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("delivers_to", sa.String(16), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("yaml_text", sa.Text(), nullable=False),
        *_org_cols(),
        sa.UniqueConstraint("org_id", "code", "valid_from", name="uq_logistics_rate_cards_org_id_code_valid_from"),
    )
    op.create_index("ix_logistics_rate_cards_org_id", "logistics_rate_cards", ["org_id"])
    op.create_table(
        "logistics_shipments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_ref", sa.String(100), nullable=False),
        sa.Column("sales_order_id", sa.Integer(), nullable=True),
        sa.Column("buyer", sa.String(300), nullable=False),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("postcode", sa.String(20), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("card_code", sa.String(100), nullable=False),
        sa.Column("carrier", sa.String(200), nullable=False),
        sa.Column("service", sa.String(200), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("cost", ScaledDecimal(4), nullable=False),
        sa.Column("weight_kg", ScaledDecimal(4), nullable=False),
        sa.Column("billable_weight_kg", ScaledDecimal(4), nullable=False),
        sa.Column("length_cm", ScaledDecimal(4), nullable=False),
        sa.Column("width_cm", ScaledDecimal(4), nullable=False),
        sa.Column("height_cm", ScaledDecimal(4), nullable=False),
        sa.Column("contents", sa.String(100), nullable=False),
        sa.Column("items_json", sa.Text(), nullable=False),
        sa.Column("quote_json", sa.Text(), nullable=False),
        sa.Column("tracking_number", sa.String(40), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("status_at", sa.DateTime(), nullable=True),
        sa.Column("shipped_on", sa.Date(), nullable=False),
        sa.Column("label_source", sa.String(16), nullable=False),
        *_org_cols(),
        sa.UniqueConstraint("org_id", "tracking_number", name="uq_logistics_shipments_org_id_tracking_number"),
    )
    op.create_index("ix_logistics_shipments_org_id", "logistics_shipments", ["org_id"])
    op.create_index("ix_logistics_shipments_order_ref", "logistics_shipments", ["order_ref"])
    op.create_table(
        "logistics_tracking_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("shipment_id", sa.Integer(), sa.ForeignKey("logistics_shipments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("raw_status", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("location", sa.String(200), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        *_org_cols(),
        sa.UniqueConstraint("shipment_id", "at", "status", name="uq_logistics_tracking_events_shipment_id_at_status"),
    )
    op.create_index("ix_logistics_tracking_events_org_id", "logistics_tracking_events", ["org_id"])
    op.create_index("ix_logistics_tracking_events_shipment_id", "logistics_tracking_events", ["shipment_id"])


def downgrade() -> None:
    op.drop_table("logistics_tracking_events")
    op.drop_table("logistics_shipments")
    op.drop_table("logistics_rate_cards")

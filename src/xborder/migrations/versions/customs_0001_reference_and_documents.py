"""customs: reference data versions, tariff lines, VAT rates, extra duties, declarations, documents

Revision ID: customs_0001
"""

import sqlalchemy as sa
from alembic import op

from xborder.db import Rate

revision = "customs_0001"
down_revision = None
branch_labels = ("customs",)
depends_on = "core_0001"


def _org_cols() -> list[sa.Column]:
    return [
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "customs_ref_versions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dataset", sa.String(40), nullable=False),
        sa.Column("version", sa.String(100), nullable=False),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("url", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.Column("data_source_id", sa.Integer(), sa.ForeignKey("data_sources.id", ondelete="SET NULL"), nullable=True),
        sa.UniqueConstraint("dataset", "sha256", name="uq_customs_ref_versions_file"),
    )
    op.create_index("ix_customs_ref_versions_dataset", "customs_ref_versions", ["dataset"])
    op.create_table(
        "customs_tariff_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("customs_ref_versions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("rate_text", sa.String(300), nullable=False),
        sa.Column("units", sa.String(100), nullable=False),
        sa.Column("indent", sa.Integer(), nullable=False),
        sa.UniqueConstraint("version_id", "code", name="uq_customs_tariff_lines_code"),
    )
    op.create_index("ix_customs_tariff_lines_version_id", "customs_tariff_lines", ["version_id"])
    op.create_index("ix_customs_tariff_lines_code", "customs_tariff_lines", ["code"])
    op.create_table(
        "customs_vat_rates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("version_id", sa.Integer(), sa.ForeignKey("customs_ref_versions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("rate", Rate, nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
    )
    op.create_index("ix_customs_vat_rates_version_id", "customs_vat_rates", ["version_id"])
    op.create_index("ix_customs_vat_rates_country", "customs_vat_rates", ["country"])
    op.create_table(
        "customs_extra_duties",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("programme", sa.String(100), nullable=False),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("origin", sa.String(2), nullable=False),
        sa.Column("hs_prefix", sa.String(10), nullable=False),
        sa.Column("rate", Rate, nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.String(500), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        *_org_cols(),
        sa.UniqueConstraint("org_id", "programme", "destination", "origin", "hs_prefix", "valid_from",
                            name="uq_customs_extra_duties_key"),
    )
    op.create_index("ix_customs_extra_duties_org_id", "customs_extra_duties", ["org_id"])
    op.create_table(
        "customs_declarations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("mode", sa.String(4), nullable=False),
        sa.Column("order_no", sa.String(60), nullable=False),
        sa.Column("ie_date", sa.Date(), nullable=False),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        *_org_cols(),
        sa.UniqueConstraint("org_id", "mode", "order_no", name="uq_customs_declarations_order"),
    )
    op.create_index("ix_customs_declarations_org_id", "customs_declarations", ["org_id"])
    op.create_index("ix_customs_declarations_ie_date", "customs_declarations", ["ie_date"])
    op.create_table(
        "customs_shipment_docs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("invoice_no", sa.String(60), nullable=False),
        sa.Column("invoice_date", sa.Date(), nullable=False),
        sa.Column("destination", sa.String(2), nullable=False),
        sa.Column("order_no", sa.String(60), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        *_org_cols(),
        sa.UniqueConstraint("org_id", "invoice_no", name="uq_customs_shipment_docs_invoice"),
    )
    op.create_index("ix_customs_shipment_docs_org_id", "customs_shipment_docs", ["org_id"])


def downgrade() -> None:
    for t in ("customs_shipment_docs", "customs_declarations", "customs_extra_duties", "customs_vat_rates",
              "customs_tariff_lines", "customs_ref_versions"):
        op.drop_table(t)

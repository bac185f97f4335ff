"""rebate: profiles, FX date rules, rate library, periods, declarations, invoices, receipts, allocations

Revision ID: rebate_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from xborder.db import ScaledDecimal

revision = "rebate_0001"
down_revision = None
branch_labels = ("rebate",)
depends_on = "core_0001"

M4 = ScaledDecimal(4)
R8 = ScaledDecimal(8)


def _org() -> list[sa.Column]:
    return [
        sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id", ondelete="CASCADE",
                                                        name=None), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    ]


def _table(name: str, *cols: sa.Column | sa.Constraint) -> None:
    op.create_table(name, sa.Column("id", sa.Integer, primary_key=True), *cols, *_org())
    op.create_index(f"ix_{name}_org_id", name, ["org_id"])


def upgrade() -> None:
    _table("rebate_profiles",
           sa.Column("enterprise_type", sa.String(16), nullable=False),
           sa.Column("exporter_name", sa.String(200), nullable=False),
           sa.Column("zone_registered", sa.Boolean, nullable=False),
           sa.Column("small_low_profit", sa.Boolean, nullable=False),
           sa.UniqueConstraint("org_id", name="uq_rebate_profiles_org_id"))
    _table("rebate_fx_rules",
           sa.Column("year", sa.Integer, nullable=False),
           sa.Column("rule", sa.String(16), nullable=False),
           sa.UniqueConstraint("org_id", "year", name="uq_rebate_fx_rules_org_id_year"))
    _table("rebate_rates",
           sa.Column("code", sa.String(16), nullable=False),
           sa.Column("valid_from", sa.Date, nullable=False),
           sa.Column("valid_to", sa.Date, nullable=True),
           sa.Column("rebate_rate", R8, nullable=False),
           sa.Column("levy_rates", sa.String(40), nullable=False),
           sa.Column("name", sa.String(300), nullable=False),
           sa.Column("unit", sa.String(20), nullable=False),
           sa.Column("flag", sa.String(4), nullable=False),
           sa.Column("source", sa.String(200), nullable=False),
           sa.UniqueConstraint("org_id", "code", "valid_from", name="uq_rebate_rates_org_id_code_valid_from"))
    op.create_index("ix_rebate_rates_code", "rebate_rates", ["code"])
    _table("rebate_periods",
           sa.Column("period", sa.String(7), nullable=False),
           sa.Column("regime", sa.String(16), nullable=False),
           sa.Column("domestic_output_vat", M4, nullable=False),
           sa.Column("input_vat", M4, nullable=False),
           sa.Column("opening_credit", M4, nullable=False),
           sa.Column("tax_free_materials", M4, nullable=True),
           sa.Column("planned_distribution_rate", R8, nullable=True),
           sa.Column("offset_brought_forward", M4, nullable=False),
           sa.Column("declared_end_credit", M4, nullable=True),
           sa.Column("note", sa.Text, nullable=False),
           sa.UniqueConstraint("org_id", "period", "regime", name="uq_rebate_periods_org_id_period_regime"))
    _table("rebate_declarations",
           sa.Column("number", sa.String(32), nullable=False),
           sa.Column("export_date", sa.Date, nullable=False),
           sa.Column("trade_mode", sa.String(8), nullable=False),
           sa.Column("currency", sa.String(3), nullable=False),
           sa.Column("buyer", sa.String(200), nullable=False),
           sa.Column("period", sa.String(7), nullable=False),
           sa.Column("regime", sa.String(16), nullable=False),
           sa.Column("fx_rate", R8, nullable=True),
           sa.Column("fx_rate_date", sa.Date, nullable=True),
           sa.Column("contract_fx_date", sa.Date, nullable=True),
           sa.Column("fx_note", sa.String(500), nullable=False),
           sa.Column("declared_on", sa.Date, nullable=True),
           sa.Column("filed_on", sa.Date, nullable=True),
           sa.UniqueConstraint("org_id", "number", name="uq_rebate_declarations_org_id_number"))
    op.create_index("ix_rebate_declarations_period", "rebate_declarations", ["period"])
    _table("rebate_declaration_lines",
           sa.Column("declaration_id", sa.Integer, sa.ForeignKey("rebate_declarations.id", ondelete="CASCADE"),
                     nullable=False),
           sa.Column("line_no", sa.Integer, nullable=False),
           sa.Column("hs_code", sa.String(16), nullable=False),
           sa.Column("goods", sa.String(300), nullable=False),
           sa.Column("unit", sa.String(20), nullable=False),
           sa.Column("qty", M4, nullable=False),
           sa.Column("unit2", sa.String(20), nullable=False),
           sa.Column("qty2", M4, nullable=True),
           sa.Column("fob", M4, nullable=False),
           sa.UniqueConstraint("declaration_id", "line_no", name="uq_rebate_declaration_lines_declaration_id_line_no"))
    op.create_index("ix_rebate_declaration_lines_declaration_id", "rebate_declaration_lines", ["declaration_id"])
    _table("rebate_invoices",
           sa.Column("number", sa.String(32), nullable=False),
           sa.Column("line_no", sa.Integer, nullable=False),
           sa.Column("issued", sa.Date, nullable=False),
           sa.Column("seller", sa.String(200), nullable=False),
           sa.Column("seller_tax_id", sa.String(32), nullable=False),
           sa.Column("goods", sa.String(300), nullable=False),
           sa.Column("unit", sa.String(20), nullable=False),
           sa.Column("qty", M4, nullable=False),
           sa.Column("net", M4, nullable=False),
           sa.Column("vat", M4, nullable=False),
           sa.Column("rate", R8, nullable=False),
           sa.Column("kind", sa.String(16), nullable=False),
           sa.UniqueConstraint("org_id", "number", "line_no", name="uq_rebate_invoices_org_id_number_line_no"))
    _table("rebate_receipts",
           sa.Column("reference", sa.String(64), nullable=False),
           sa.Column("received", sa.Date, nullable=False),
           sa.Column("amount", M4, nullable=False),
           sa.Column("currency", sa.String(3), nullable=False),
           sa.Column("payer", sa.String(200), nullable=False),
           sa.Column("account", sa.String(64), nullable=False),
           sa.Column("receiver", sa.String(200), nullable=False),
           sa.UniqueConstraint("org_id", "reference", name="uq_rebate_receipts_org_id_reference"))
    _table("rebate_allocations",
           sa.Column("kind", sa.String(8), nullable=False),
           sa.Column("declaration_id", sa.Integer, sa.ForeignKey("rebate_declarations.id", ondelete="CASCADE"),
                     nullable=False),
           sa.Column("line_no", sa.Integer, nullable=True),
           sa.Column("invoice_id", sa.Integer, sa.ForeignKey("rebate_invoices.id", ondelete="CASCADE"), nullable=True),
           sa.Column("receipt_id", sa.Integer, sa.ForeignKey("rebate_receipts.id", ondelete="CASCADE"), nullable=True),
           sa.Column("qty", M4, nullable=True),
           sa.Column("amount", M4, nullable=True),
           sa.Column("manual", sa.Boolean, nullable=False))
    op.create_index("ix_rebate_allocations_declaration_id", "rebate_allocations", ["declaration_id"])


def downgrade() -> None:
    for name in ("rebate_allocations", "rebate_receipts", "rebate_invoices", "rebate_declaration_lines",
                 "rebate_declarations", "rebate_periods", "rebate_rates", "rebate_fx_rules", "rebate_profiles"):
        op.drop_table(name)

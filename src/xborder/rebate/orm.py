"""Tables of the rebate package (all org-scoped; money as exact scaled integers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xborder.db import Base, Money4, OrgScoped, Qty, Rate


class RebateProfile(OrgScoped, Base):
    """The exporter's rebate settings: refund method, name on FX accounts, 综试区 status."""

    __tablename__ = "rebate_profiles"
    __table_args__ = (UniqueConstraint("org_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_type: Mapped[str] = mapped_column(String(16), default="trading")  # production | trading
    exporter_name: Mapped[str] = mapped_column(String(200), default="")
    zone_registered: Mapped[bool] = mapped_column(Boolean, default=False)  # 综试区 registration
    small_low_profit: Mapped[bool] = mapped_column(Boolean, default=True)


class RebateFxRule(OrgScoped, Base):
    """The FOB → CNY date rule chosen for one year: ``export_date`` or ``month_first``."""

    __tablename__ = "rebate_fx_rules"
    __table_args__ = (UniqueConstraint("org_id", "year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    rule: Mapped[str] = mapped_column(String(16))


class RebateRateRow(OrgScoped, Base):
    """One 文库 row: code, validity interval, rebate rate (fraction), levy rates."""

    __tablename__ = "rebate_rates"
    __table_args__ = (UniqueConstraint("org_id", "code", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    rebate_rate: Mapped[Decimal] = mapped_column(Rate)
    levy_rates: Mapped[str] = mapped_column(String(40), default="")  # fractions, comma separated
    name: Mapped[str] = mapped_column(String(300), default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    flag: Mapped[str] = mapped_column(String(4), default="")
    source: Mapped[str] = mapped_column(String(200), default="")


class RebatePeriod(OrgScoped, Base):
    """A refund period with the figures of the VAT return (entered by the user)."""

    __tablename__ = "rebate_periods"
    __table_args__ = (UniqueConstraint("org_id", "period", "regime"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    regime: Mapped[str] = mapped_column(String(16))  # production | trading
    domestic_output_vat: Mapped[Decimal] = mapped_column(Money4, default=Decimal(0))
    input_vat: Mapped[Decimal] = mapped_column(Money4, default=Decimal(0))
    opening_credit: Mapped[Decimal] = mapped_column(Money4, default=Decimal(0))
    tax_free_materials: Mapped[Decimal | None] = mapped_column(Money4, nullable=True)
    planned_distribution_rate: Mapped[Decimal | None] = mapped_column(Rate, nullable=True)
    offset_brought_forward: Mapped[Decimal] = mapped_column(Money4, default=Decimal(0))
    declared_end_credit: Mapped[Decimal | None] = mapped_column(Money4, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class RebateDeclaration(OrgScoped, Base):
    """An export declaration (报关单) and its refund bookkeeping."""

    __tablename__ = "rebate_declarations"
    __table_args__ = (UniqueConstraint("org_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32))
    export_date: Mapped[date] = mapped_column(Date)
    trade_mode: Mapped[str] = mapped_column(String(8), default="0110")
    currency: Mapped[str] = mapped_column(String(3))
    buyer: Mapped[str] = mapped_column(String(200), default="")
    period: Mapped[str] = mapped_column(String(7), index=True)
    regime: Mapped[str] = mapped_column(String(16))
    fx_rate: Mapped[Decimal | None] = mapped_column(Rate, nullable=True)  # central parity entered by the user
    fx_rate_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    contract_fx_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    fx_note: Mapped[str] = mapped_column(String(500), default="")
    declared_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    filed_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    lines: Mapped[list[RebateDeclarationLine]] = relationship(
        back_populates="declaration", cascade="all, delete-orphan", order_by="RebateDeclarationLine.line_no")


class RebateDeclarationLine(OrgScoped, Base):
    __tablename__ = "rebate_declaration_lines"
    __table_args__ = (UniqueConstraint("declaration_id", "line_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("rebate_declarations.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    hs_code: Mapped[str] = mapped_column(String(16))
    goods: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(20))
    qty: Mapped[Decimal] = mapped_column(Qty)
    unit2: Mapped[str] = mapped_column(String(20), default="")
    qty2: Mapped[Decimal | None] = mapped_column(Qty, nullable=True)
    fob: Mapped[Decimal] = mapped_column(Money4)

    declaration: Mapped[RebateDeclaration] = relationship(back_populates="lines")


class RebateInvoice(OrgScoped, Base):
    """One line of a purchase VAT invoice (专用发票 or 普通发票)."""

    __tablename__ = "rebate_invoices"
    __table_args__ = (UniqueConstraint("org_id", "number", "line_no"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32))
    line_no: Mapped[int] = mapped_column(Integer, default=1)
    issued: Mapped[date] = mapped_column(Date)
    seller: Mapped[str] = mapped_column(String(200))
    seller_tax_id: Mapped[str] = mapped_column(String(32), default="")
    goods: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(20))
    qty: Mapped[Decimal] = mapped_column(Qty)
    net: Mapped[Decimal] = mapped_column(Money4)
    vat: Mapped[Decimal] = mapped_column(Money4)
    rate: Mapped[Decimal] = mapped_column(Rate)
    kind: Mapped[str] = mapped_column(String(16), default="special")  # special | ordinary


class RebateReceipt(OrgScoped, Base):
    """An FX receipt (收汇水单)."""

    __tablename__ = "rebate_receipts"
    __table_args__ = (UniqueConstraint("org_id", "reference"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(64))
    received: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money4)
    currency: Mapped[str] = mapped_column(String(3))
    payer: Mapped[str] = mapped_column(String(200), default="")
    account: Mapped[str] = mapped_column(String(64), default="")
    receiver: Mapped[str] = mapped_column(String(200), default="")


class RebateAllocation(OrgScoped, Base):
    """An invoice quantity or a receipt amount allocated to a declaration (line)."""

    __tablename__ = "rebate_allocations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # invoice | receipt
    declaration_id: Mapped[int] = mapped_column(ForeignKey("rebate_declarations.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("rebate_invoices.id", ondelete="CASCADE"), nullable=True)
    receipt_id: Mapped[int | None] = mapped_column(ForeignKey("rebate_receipts.id", ondelete="CASCADE"), nullable=True)
    qty: Mapped[Decimal | None] = mapped_column(Qty, nullable=True)
    amount: Mapped[Decimal | None] = mapped_column(Money4, nullable=True)
    manual: Mapped[bool] = mapped_column(Boolean, default=False)

"""Payouts, payout lines and collection-platform receipts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xborder.db import Base, Money4, OrgScoped, Qty, Rate


class Payout(OrgScoped, Base):
    __tablename__ = "payments_payouts"
    __table_args__ = (UniqueConstraint("org_id", "provider", "payout_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(24))
    payout_ref: Mapped[str] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3))
    total: Mapped[Decimal | None] = mapped_column(Money4, nullable=True)
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    deposit_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    marketplace: Mapped[str | None] = mapped_column(String(8), nullable=True)


class PayoutLine(OrgScoped, Base):
    """One line of a payout. On PostgreSQL the two foreign keys below are enforced per statement
    by triggers (migration ``payments_0002``: same rules, and a line's organisation must be its
    payout's), because per-row key checks dominated bulk imports; SQLite keeps them as declared."""

    __tablename__ = "payments_payout_lines"
    __table_args__ = (UniqueConstraint("org_id", "line_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # no separate index on org_id: the (org_id, line_key) unique index starts with it
    org_id: Mapped[int] = mapped_column(Integer, ForeignKey("organisations.id", ondelete="CASCADE"))
    payout_id: Mapped[int] = mapped_column(ForeignKey("payments_payouts.id", ondelete="CASCADE"), index=True)
    line_key: Mapped[str] = mapped_column(String(32))
    posted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    transaction_type: Mapped[str | None] = mapped_column(String(60), nullable=True)
    amount_type: Mapped[str | None] = mapped_column(String(60), nullable=True)
    description: Mapped[str | None] = mapped_column(String(120), nullable=True)
    fee_class: Mapped[str] = mapped_column(String(20))
    unexpected: Mapped[bool] = mapped_column(Boolean, default=False)
    amount: Mapped[Decimal] = mapped_column(Money4)
    currency: Mapped[str] = mapped_column(String(3))
    order_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sku: Mapped[str | None] = mapped_column(String(128), nullable=True)
    quantity: Mapped[Decimal | None] = mapped_column(Qty, nullable=True)


class Receipt(OrgScoped, Base):
    """A collection-platform statement row (receipt, withdrawal, fee or conversion)."""

    __tablename__ = "payments_receipts"
    __table_args__ = (UniqueConstraint("org_id", "provider", "ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(24))
    ref: Mapped[str] = mapped_column(String(100))
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money4)
    currency: Mapped[str] = mapped_column(String(3))
    fee: Mapped[Decimal] = mapped_column(Money4, default=Decimal(0))
    fx_rate: Mapped[Decimal | None] = mapped_column(Rate, nullable=True)
    target_amount: Mapped[Decimal | None] = mapped_column(Money4, nullable=True)
    target_currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    counterparty: Mapped[str | None] = mapped_column(String(200), nullable=True)
    store: Mapped[str | None] = mapped_column(String(100), nullable=True)
    description: Mapped[str | None] = mapped_column(String(200), nullable=True)

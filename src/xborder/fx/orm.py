"""Stored dated exchange rates (reference data, shared by all organisations) and FX settlements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xborder.db import Base, Money4, OrgScoped, Rate, TimestampMixin


class FxRate(TimestampMixin, Base):
    """``rate`` units of ``currency`` per one ``pivot`` (ECB: per EUR) — or, for ``pivot='CNY'``
    sources such as the PBOC central parity, CNY per one unit of ``currency`` (``inverse``)."""

    __tablename__ = "fx_rates"
    __table_args__ = (UniqueConstraint("source", "currency", "day"), {"info": {"global": True}})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    pivot: Mapped[str] = mapped_column(String(3))
    currency: Mapped[str] = mapped_column(String(3))
    day: Mapped[date] = mapped_column(Date)
    rate: Mapped[Decimal] = mapped_column(Rate)


class FxSettlementRow(OrgScoped, Base):
    """A conversion of foreign currency into CNY (结汇) by a platform or bank, with its real rate."""

    __tablename__ = "fx_settlements"
    __table_args__ = (UniqueConstraint("org_id", "platform", "ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    platform: Mapped[str] = mapped_column(String(24))
    ref: Mapped[str] = mapped_column(String(100))
    currency: Mapped[str] = mapped_column(String(3))
    foreign_amount: Mapped[Decimal] = mapped_column(Money4)
    cny_received: Mapped[Decimal] = mapped_column(Money4)
    fee: Mapped[Decimal] = mapped_column(Money4, default=Decimal(0))
    quoted_rate: Mapped[Decimal | None] = mapped_column(Rate, nullable=True)

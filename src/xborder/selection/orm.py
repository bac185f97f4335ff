"""Selection tables: research snapshots and their listings; saved forecast runs (for reorder plans)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xborder.db import Base, Money4, OrgScoped, Qty, Rate, ScaledDecimal


class ResearchSnapshot(OrgScoped, Base):
    """One imported research export (a search or category page of one marketplace)."""

    __tablename__ = "research_snapshots"
    __table_args__ = (UniqueConstraint("org_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    marketplace: Mapped[str] = mapped_column(String(60), default="")
    preset: Mapped[str] = mapped_column(String(40), default="generic")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    filename: Mapped[str] = mapped_column(String(300), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    taken_on: Mapped[date] = mapped_column(Date)

    listings: Mapped[list[ResearchListing]] = relationship(back_populates="snapshot", cascade="all, delete-orphan")


class ResearchListing(OrgScoped, Base):
    __tablename__ = "research_listings"
    __table_args__ = (UniqueConstraint("snapshot_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("research_snapshots.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(300))
    line: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    price: Mapped[Decimal] = mapped_column(Money4)
    rating: Mapped[Decimal | None] = mapped_column(ScaledDecimal(2), nullable=True)
    review_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rank: Mapped[int | None] = mapped_column(Integer, nullable=True)
    seller_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    category: Mapped[str] = mapped_column(String(200), default="")
    marketplace: Mapped[str] = mapped_column(String(60), default="")
    brand: Mapped[str] = mapped_column(String(200), default="")
    asin: Mapped[str] = mapped_column(String(40), default="")
    est_sales: Mapped[int | None] = mapped_column(Integer, nullable=True)
    launch_date: Mapped[date | None] = mapped_column(Date, nullable=True)

    snapshot: Mapped[ResearchSnapshot] = relationship(back_populates="listings")


class ForecastRun(OrgScoped, Base):
    """A saved forecast (from a sales file or the organisation's orders)."""

    __tablename__ = "forecast_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(300), default="")
    horizon: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer, default=80)
    first_week: Mapped[date] = mapped_column(Date)
    mase: Mapped[Decimal | None] = mapped_column(Rate, nullable=True)
    mase_baseline: Mapped[Decimal | None] = mapped_column(Rate, nullable=True)
    baseline: Mapped[str] = mapped_column(String(80), default="")

    lines: Mapped[list[ForecastLine]] = relationship(back_populates="run", cascade="all, delete-orphan")


class ForecastLine(OrgScoped, Base):
    __tablename__ = "forecast_lines"
    __table_args__ = (UniqueConstraint("run_id", "product", "market"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("forecast_runs.id", ondelete="CASCADE"), index=True)
    product: Mapped[str] = mapped_column(String(64))
    market: Mapped[str] = mapped_column(String(60))
    model: Mapped[str] = mapped_column(String(40))
    series_class: Mapped[str] = mapped_column(String(20))
    mase: Mapped[Decimal | None] = mapped_column(Rate, nullable=True)
    sigma_week: Mapped[Decimal] = mapped_column(Qty)
    weekly: Mapped[str] = mapped_column(Text)  # JSON: [{"week", "mean", "lo", "hi"}]
    history: Mapped[str] = mapped_column(Text, default="[]")  # JSON: [{"week", "units"}]

    run: Mapped[ForecastRun] = relationship(back_populates="lines")

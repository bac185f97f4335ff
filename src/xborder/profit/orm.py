"""Per-SKU economics used by the profit report until the catalog/rebate engines provide them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xborder.db import Base, Money4, OrgScoped, Rate


class SkuEconomics(OrgScoped, Base):
    """Landed unit cost (CNY) and export VAT rebate rate of a local SKU, dated and sourced."""

    __tablename__ = "profit_sku_economics"
    __table_args__ = (UniqueConstraint("org_id", "sku_code", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku_code: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[date] = mapped_column(Date)
    unit_cost_cny: Mapped[Decimal | None] = mapped_column(Money4, nullable=True)
    rebate_rate: Mapped[Decimal | None] = mapped_column(Rate, nullable=True)
    source: Mapped[str] = mapped_column(String(200), default="")

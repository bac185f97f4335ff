from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xborder.db import Base, Money4, OrgScoped, Qty, Rate


class Product(OrgScoped, Base):
    """A product groups SKUs (variants: colour, size) that share a name and description."""

    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("org_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    name_zh: Mapped[str] = mapped_column(String(300), default="")
    category: Mapped[str] = mapped_column(String(40), default="other")

    skus: Mapped[list[Sku]] = relationship(back_populates="product")


class Sku(OrgScoped, Base):
    __tablename__ = "skus"
    __table_args__ = (UniqueConstraint("org_id", "sku"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="SET NULL"), nullable=True, index=True)
    name_en: Mapped[str] = mapped_column(String(300), default="")
    name_zh: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    brand: Mapped[str] = mapped_column(String(100), default="")
    material: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(40), default="other")
    weight_g: Mapped[Decimal | None] = mapped_column(Qty, nullable=True)
    length_cm: Mapped[Decimal | None] = mapped_column(Qty, nullable=True)
    width_cm: Mapped[Decimal | None] = mapped_column(Qty, nullable=True)
    height_cm: Mapped[Decimal | None] = mapped_column(Qty, nullable=True)
    origin: Mapped[str] = mapped_column(String(2), default="CN")
    hs_code: Mapped[str | None] = mapped_column(String(10), nullable=True)
    hs_version: Mapped[str] = mapped_column(String(4), default="2022")
    # the markets' own tariff lines (xborder.catalog.model: NATIONAL_CODES); None = use hs_code
    hs_code_cn: Mapped[str | None] = mapped_column(String(10), nullable=True)
    hs_code_us: Mapped[str | None] = mapped_column(String(10), nullable=True)
    hs_code_eu: Mapped[str | None] = mapped_column(String(10), nullable=True)
    hs_code_gb: Mapped[str | None] = mapped_column(String(10), nullable=True)
    battery: Mapped[bool] = mapped_column(Boolean, default=False)
    liquid: Mapped[bool] = mapped_column(Boolean, default=False)
    magnet: Mapped[bool] = mapped_column(Boolean, default=False)
    powder: Mapped[bool] = mapped_column(Boolean, default=False)
    purchase_cost: Mapped[Decimal | None] = mapped_column(Money4, nullable=True)
    purchase_currency: Mapped[str] = mapped_column(String(3), default="CNY")
    supplier: Mapped[str] = mapped_column(String(200), default="")
    barcode: Mapped[str | None] = mapped_column(String(14), nullable=True)
    rebate_rate: Mapped[Decimal | None] = mapped_column(Rate, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    product: Mapped[Product | None] = relationship(back_populates="skus")
    listings: Mapped[list[Listing]] = relationship(back_populates="sku")

    @property
    def flags(self) -> list[str]:
        return [f for f in ("battery", "liquid", "magnet", "powder") if getattr(self, f)]


class Listing(OrgScoped, Base):
    """A marketplace listing (ASIN, eBay item, Shopify variant...) paired to one of our SKUs."""

    __tablename__ = "listings"
    __table_args__ = (UniqueConstraint("org_id", "channel", "listing_id", "seller_sku"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(30))
    listing_id: Mapped[str] = mapped_column(String(100), default="")
    seller_sku: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(500), default="")
    sku_id: Mapped[int | None] = mapped_column(ForeignKey("skus.id", ondelete="SET NULL"), nullable=True, index=True)
    price: Mapped[Decimal | None] = mapped_column(Money4, nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)

    sku: Mapped[Sku | None] = relationship(back_populates="listings")

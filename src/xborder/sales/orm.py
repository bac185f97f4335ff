"""Orders, order lines and saved import mappings (listings and their pairing to SKUs live in the
catalog: ``xborder.catalog.orm.Listing``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xborder.db import Base, Money4, OrgScoped, Qty


class SalesOrder(OrgScoped, Base):
    __tablename__ = "sales_orders"
    __table_args__ = (UniqueConstraint("org_id", "channel", "order_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    order_ref: Mapped[str] = mapped_column(String(64))
    market: Mapped[str | None] = mapped_column(String(64), nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    purchased_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    status: Mapped[str | None] = mapped_column(String(40), nullable=True)
    fulfillment: Mapped[str | None] = mapped_column(String(16), nullable=True)
    ship_country: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # the recipient as the export gives it (personal data: shown to the organisation only)
    ship_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    ship_address: Mapped[str | None] = mapped_column(String(1000), nullable=True)  # street lines, "city, state"
    ship_postcode: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # the marketplace's own fulfilment status ("fulfilled", "shipped"...): shipped outside Xborder
    channel_fulfilment: Mapped[str | None] = mapped_column(String(40), nullable=True)
    order_total: Mapped[Decimal | None] = mapped_column(Money4, nullable=True)
    shipping_total: Mapped[Decimal | None] = mapped_column(Money4, nullable=True)
    source_format: Mapped[str] = mapped_column(String(32))

    lines: Mapped[list[SalesOrderLine]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                       order_by="SalesOrderLine.id")


class SalesOrderLine(OrgScoped, Base):
    __tablename__ = "sales_order_lines"
    __table_args__ = (UniqueConstraint("order_id", "line_ref"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("sales_orders.id", ondelete="CASCADE"), index=True)
    line_ref: Mapped[str] = mapped_column(String(64))
    platform_sku: Mapped[str] = mapped_column(String(128), index=True)
    listing_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    title: Mapped[str | None] = mapped_column(String(300), nullable=True)
    quantity: Mapped[Decimal] = mapped_column(Qty)
    item_price: Mapped[Decimal | None] = mapped_column(Money4, nullable=True)
    item_tax: Mapped[Decimal] = mapped_column(Money4, default=Decimal(0))
    shipping_price: Mapped[Decimal] = mapped_column(Money4, default=Decimal(0))
    shipping_tax: Mapped[Decimal] = mapped_column(Money4, default=Decimal(0))
    discount: Mapped[Decimal] = mapped_column(Money4, default=Decimal(0))

    order: Mapped[SalesOrder] = relationship(back_populates="lines")

    @property
    def net_revenue(self) -> Decimal:
        return (self.item_price or Decimal(0)) + self.shipping_price - self.discount


class ImportMapping(OrgScoped, Base):
    """A saved column mapping for the generic importers (``kind`` = orders | payouts)."""

    __tablename__ = "sales_import_mappings"
    __table_args__ = (UniqueConstraint("org_id", "kind", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    spec: Mapped[str] = mapped_column(Text)

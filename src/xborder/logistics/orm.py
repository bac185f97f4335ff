"""Logistics tables: rate cards per organisation (dated versions), shipments, tracking events."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xborder.db import Base, Money4, OrgScoped, Qty


class RateCardRecord(OrgScoped, Base):
    """One version of a rate card: the YAML source as uploaded, plus indexed fields."""

    __tablename__ = "logistics_rate_cards"
    __table_args__ = (UniqueConstraint("org_id", "code", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64))
    carrier: Mapped[str] = mapped_column(String(200))
    service: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    mode: Mapped[str] = mapped_column(String(16), default="parcel")
    delivers_to: Mapped[str] = mapped_column(String(16), default="buyer")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    illustrative: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str] = mapped_column(String(300), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    yaml_text: Mapped[str] = mapped_column(Text)


class Shipment(OrgScoped, Base):
    __tablename__ = "logistics_shipments"
    __table_args__ = (UniqueConstraint("org_id", "tracking_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_ref: Mapped[str] = mapped_column(String(100), index=True)
    sales_order_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # xborder.sales order, when linked
    buyer: Mapped[str] = mapped_column(String(300), default="")
    destination: Mapped[str] = mapped_column(String(2))
    postcode: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    card_code: Mapped[str] = mapped_column(String(100))
    carrier: Mapped[str] = mapped_column(String(200))
    service: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    cost: Mapped[Decimal] = mapped_column(Money4)
    # what the contents are declared to be worth (customs value): from the booking or the stored order
    declared_value: Mapped[Decimal | None] = mapped_column(Money4, nullable=True)
    declared_currency: Mapped[str] = mapped_column(String(3), default="", server_default="")
    weight_kg: Mapped[Decimal] = mapped_column(Qty)
    billable_weight_kg: Mapped[Decimal] = mapped_column(Qty)
    length_cm: Mapped[Decimal] = mapped_column(Qty)
    width_cm: Mapped[Decimal] = mapped_column(Qty)
    height_cm: Mapped[Decimal] = mapped_column(Qty)
    contents: Mapped[str] = mapped_column(String(100), default="")
    items_json: Mapped[str] = mapped_column(Text, default="[]")
    quote_json: Mapped[str] = mapped_column(Text, default="{}")
    tracking_number: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(32), default="info_received")
    status_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    shipped_on: Mapped[date] = mapped_column(Date)
    label_source: Mapped[str] = mapped_column(String(16), default="card")  # card | karrio
    label_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)  # the carrier's label (karrio)

    events: Mapped[list[TrackingEventRecord]] = relationship(
        back_populates="shipment", cascade="all, delete-orphan", order_by="TrackingEventRecord.at"
    )


class TrackingEventRecord(OrgScoped, Base):
    __tablename__ = "logistics_tracking_events"
    __table_args__ = (UniqueConstraint("shipment_id", "at", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(Integer, ForeignKey("logistics_shipments.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    raw_status: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(DateTime)
    location: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(String(500), default="")

    shipment: Mapped[Shipment] = relationship(back_populates="events")

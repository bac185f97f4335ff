"""Procurement tables: suppliers and price breaks, purchase orders with receipts and charges,
purchase VAT invoices (for export-rebate matching), stock counts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from xborder.db import Base, Money4, OrgScoped, Qty, Rate


class Supplier(OrgScoped, Base):
    __tablename__ = "suppliers"
    __table_args__ = (UniqueConstraint("org_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    moq: Mapped[int] = mapped_column(Integer, default=1)
    lead_time_days: Mapped[int] = mapped_column(Integer, default=14)
    invoice_type: Mapped[str] = mapped_column(String(20), default="vat_special")
    vat_rate: Mapped[Decimal] = mapped_column(Rate, default=Decimal("0.13"))
    contact: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    prices: Mapped[list[SupplierPrice]] = relationship(back_populates="supplier", cascade="all, delete-orphan")


class SupplierPrice(OrgScoped, Base):
    """One price break of a supplier's price list for a SKU, valid from ``valid_from`` to
    ``valid_to`` (inclusive; NULL = open-ended). Overlaps per tier are refused by the service."""

    __tablename__ = "supplier_prices"
    __table_args__ = (UniqueConstraint("supplier_id", "sku_id", "min_qty", "valid_from"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="CASCADE"), index=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id", ondelete="CASCADE"), index=True)
    min_qty: Mapped[int] = mapped_column(Integer, default=1)
    unit_price: Mapped[Decimal] = mapped_column(Money4)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)

    supplier: Mapped[Supplier] = relationship(back_populates="prices")


class PurchaseOrder(OrgScoped, Base):
    __tablename__ = "purchase_orders"
    __table_args__ = (UniqueConstraint("org_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    order_date: Mapped[date] = mapped_column(Date)
    expected_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    supplier: Mapped[Supplier] = relationship()
    lines: Mapped[list[PurchaseOrderLine]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                          order_by="PurchaseOrderLine.id")
    charges: Mapped[list[PurchaseCharge]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                         order_by="PurchaseCharge.id")
    # module-qualified: xborder.payments.orm also has a class named Receipt
    receipts: Mapped[list[Receipt]] = relationship("xborder.procurement.orm.Receipt", back_populates="order",
                                                   cascade="all, delete-orphan",
                                                   order_by="xborder.procurement.orm.Receipt.id")


class PurchaseOrderLine(OrgScoped, Base):
    __tablename__ = "purchase_order_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id", ondelete="CASCADE"), index=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Qty)
    unit_price: Mapped[Decimal] = mapped_column(Money4)
    received_qty: Mapped[Decimal] = mapped_column(Qty, default=Decimal(0))

    order: Mapped[PurchaseOrder] = relationship(back_populates="lines")


class PurchaseCharge(OrgScoped, Base):
    """Inbound freight and other costs of a purchase order, allocated to its lines."""

    __tablename__ = "purchase_charges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    amount: Mapped[Decimal] = mapped_column(Money4)
    method: Mapped[str] = mapped_column(String(20), default="value")

    order: Mapped[PurchaseOrder] = relationship(back_populates="charges")


class Receipt(OrgScoped, Base):
    __tablename__ = "purchase_receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("purchase_orders.id", ondelete="CASCADE"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100), default="")

    order: Mapped[PurchaseOrder] = relationship(back_populates="receipts")
    lines: Mapped[list[ReceiptLine]] = relationship(back_populates="receipt", cascade="all, delete-orphan")


class ReceiptLine(OrgScoped, Base):
    __tablename__ = "purchase_receipt_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("purchase_receipts.id", ondelete="CASCADE"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("purchase_order_lines.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Qty)

    receipt: Mapped[Receipt] = relationship("xborder.procurement.orm.Receipt", back_populates="lines")


class PurchaseInvoice(OrgScoped, Base):
    """A supplier's VAT invoice (增值税专用发票 / 普通发票), kept for export-rebate matching."""

    __tablename__ = "purchase_invoices"
    __table_args__ = (UniqueConstraint("org_id", "supplier_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id", ondelete="RESTRICT"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("purchase_orders.id", ondelete="SET NULL"), nullable=True,
                                                 index=True)
    number: Mapped[str] = mapped_column(String(40))
    invoice_date: Mapped[date] = mapped_column(Date)
    invoice_type: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    net_amount: Mapped[Decimal] = mapped_column(Money4)
    vat_amount: Mapped[Decimal] = mapped_column(Money4)
    vat_rate: Mapped[Decimal] = mapped_column(Rate)

    supplier: Mapped[Supplier] = relationship()
    lines: Mapped[list[PurchaseInvoiceLine]] = relationship(back_populates="invoice", cascade="all, delete-orphan",
                                                            order_by="PurchaseInvoiceLine.id")


class PurchaseInvoiceLine(OrgScoped, Base):
    __tablename__ = "purchase_invoice_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("purchase_invoices.id", ondelete="CASCADE"), index=True)
    sku_id: Mapped[int | None] = mapped_column(ForeignKey("skus.id", ondelete="SET NULL"), nullable=True, index=True)
    description: Mapped[str] = mapped_column(String(300), default="")
    unit: Mapped[str] = mapped_column(String(20), default="")
    quantity: Mapped[Decimal] = mapped_column(Qty)
    net_amount: Mapped[Decimal] = mapped_column(Money4)
    vat_amount: Mapped[Decimal] = mapped_column(Money4)

    invoice: Mapped[PurchaseInvoice] = relationship(back_populates="lines")


class StockLevel(OrgScoped, Base):
    """Counted stock on hand per SKU (the reorder plan's starting point)."""

    __tablename__ = "stock_levels"
    __table_args__ = (UniqueConstraint("org_id", "sku_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id", ondelete="CASCADE"), index=True)
    on_hand: Mapped[Decimal] = mapped_column(Qty, default=Decimal(0))
    counted_on: Mapped[date] = mapped_column(Date)

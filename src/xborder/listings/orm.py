"""Tables of the listings package (all org-scoped; migration ``listings_0001``).

SKUs are referred to by their code (the catalog's natural key within an organisation), so a
check, draft or compliance record survives catalog edits and can be recorded for SKUs that
are not yet in the catalog.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xborder.db import Base, OrgScoped, Qty


class ListingCheck(OrgScoped, Base):
    """The latest check of one SKU's listing text on one marketplace (catalog report)."""

    __tablename__ = "listings_checks"
    __table_args__ = (UniqueConstraint("org_id", "sku_code", "marketplace"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku_code: Mapped[str] = mapped_column(String(64))
    marketplace: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16), default="manual")  # listing | draft | sku_name | manual
    listing_json: Mapped[str] = mapped_column(Text, default="{}")
    score: Mapped[int] = mapped_column(Integer)
    errors: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[int] = mapped_column(Integer)
    findings_json: Mapped[str] = mapped_column(Text, default="[]")
    checked_on: Mapped[date] = mapped_column(Date)


class ListingDraft(OrgScoped, Base):
    __tablename__ = "listings_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku_code: Mapped[str] = mapped_column(String(64), index=True)
    marketplace: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(16), default="template")  # template | provider | manual
    title: Mapped[str] = mapped_column(Text, default="")
    bullets_json: Mapped[str] = mapped_column(Text, default="[]")
    description: Mapped[str] = mapped_column(Text, default="")
    search_terms: Mapped[str] = mapped_column(Text, default="")
    brand: Mapped[str] = mapped_column(String(128), default="")
    notes_json: Mapped[str] = mapped_column(Text, default="[]")
    score: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)


class KeywordSource(OrgScoped, Base):
    """A competitor title or customer search term for SEO keyword extraction."""

    __tablename__ = "listings_keyword_sources"
    __table_args__ = (UniqueConstraint("org_id", "set_name", "kind", "text_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    set_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))  # title | search_term
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    demand: Mapped[Decimal] = mapped_column(Qty, default=Decimal(0))
    batch_sha256: Mapped[str] = mapped_column(String(64), default="")


class BuyerMessage(OrgScoped, Base):
    __tablename__ = "listings_buyer_messages"
    __table_args__ = (UniqueConstraint("org_id", "marketplace", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    marketplace: Mapped[str] = mapped_column(String(32), default="")
    message_id: Mapped[str] = mapped_column(String(128))
    order_id: Mapped[str] = mapped_column(String(64), default="")
    buyer_name: Mapped[str] = mapped_column(String(200))
    buyer_country: Mapped[str] = mapped_column(String(2), default="")
    language: Mapped[str] = mapped_column(String(8), default="")
    incoterm: Mapped[str] = mapped_column(String(3), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    intent: Mapped[str] = mapped_column(String(32), default="")
    situation: Mapped[str] = mapped_column(String(32), default="")
    reply_subject: Mapped[str] = mapped_column(Text, default="")
    reply_body: Mapped[str] = mapped_column(Text, default="")
    missing: Mapped[str] = mapped_column(String(400), default="")
    batch_sha256: Mapped[str] = mapped_column(String(64), default="")


class SkuComplianceProfile(OrgScoped, Base):
    """Category and flags of a SKU for compliance (overrides the catalog's when set)."""

    __tablename__ = "listings_sku_profiles"
    __table_args__ = (UniqueConstraint("org_id", "sku_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku_code: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64), default="generic")
    flags: Mapped[str] = mapped_column(String(400), default="")  # comma-separated
    flags_off: Mapped[str] = mapped_column(String(400), default="")


class ComplianceStatus(OrgScoped, Base):
    """What the seller has done for one requirement of one SKU (valid for every market it covers)."""

    __tablename__ = "listings_compliance_status"
    __table_args__ = (UniqueConstraint("org_id", "sku_code", "requirement_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku_code: Mapped[str] = mapped_column(String(64))
    requirement_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # done | in_progress | not_applicable
    reference: Mapped[str] = mapped_column(String(400), default="")
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


class TextgenSettings(OrgScoped, Base):
    """The organisation's optional OpenAI-compatible provider (off by default)."""

    __tablename__ = "listings_textgen_settings"
    __table_args__ = (UniqueConstraint("org_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    base_url: Mapped[str] = mapped_column(String(400), default="")
    model: Mapped[str] = mapped_column(String(200), default="")
    api_key: Mapped[str] = mapped_column(String(400), default="")
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)

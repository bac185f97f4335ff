"""Customs tables.

Reference data (shared by every organisation, loaded by ``xborder data sync``):

* ``customs_ref_versions`` — one row per loaded file version: dataset (``tariff:US``,
  ``tariff:GB``, ``tariff:EU``, ``vat:current``, ``vat:history``), version label, source and
  URL, SHA-256 of the file, effective date, row count, load time. Earlier versions are kept;
  the newest effective version in force on a date is used.
* ``customs_tariff_lines`` — the parsed rate text per code and version (rates are parsed again
  on use by :mod:`xborder.customs.rates`, so a parser fix needs no reload).
* ``customs_vat_rates`` — dated standard / reduced rates per country and version.

Organisation data: extra duty rows (``customs_extra_duties``), export declarations
(``customs_declarations``: the validated input as JSON; XML is generated from it; the latest
customs receipt's status), their CEB604 receipts (``customs_declaration_receipts``) and shipping
documents (``customs_shipment_docs``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xborder.db import Base, OrgScoped, Rate, utcnow


class RefVersion(Base):
    __tablename__ = "customs_ref_versions"
    __table_args__ = (UniqueConstraint("dataset", "sha256", name="uq_customs_ref_versions_file"), {"info": {"global": True}})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(500))
    url: Mapped[str] = mapped_column(String(500), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[date] = mapped_column(Date)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    loaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    data_source_id: Mapped[int | None] = mapped_column(
        ForeignKey("data_sources.id", ondelete="SET NULL"), nullable=True
    )  # the sync load (xborder.reference) that stored it


class TariffLineRow(Base):
    __tablename__ = "customs_tariff_lines"
    __table_args__ = (UniqueConstraint("version_id", "code", name="uq_customs_tariff_lines_code"), {"info": {"global": True}})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("customs_ref_versions.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    rate_text: Mapped[str] = mapped_column(String(300), default="")
    units: Mapped[str] = mapped_column(String(100), default="")
    indent: Mapped[int] = mapped_column(Integer, default=0)


class VatRateRow(Base):
    __tablename__ = "customs_vat_rates"
    __table_args__ = {"info": {"global": True}}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("customs_ref_versions.id", ondelete="CASCADE"), index=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    rate: Mapped[Decimal] = mapped_column(Rate)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)


class ExtraDutyRefRow(Base):
    """An extra-duty row from a synced reference list (Section 301 per HTS8 line; global)."""

    __tablename__ = "customs_extra_duty_refs"
    __table_args__ = {"info": {"global": True}}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("customs_ref_versions.id", ondelete="CASCADE"), index=True)
    programme: Mapped[str] = mapped_column(String(100))
    destination: Mapped[str] = mapped_column(String(2))
    origin: Mapped[str] = mapped_column(String(2))
    hs_prefix: Mapped[str] = mapped_column(String(10), index=True)
    rate: Mapped[Decimal] = mapped_column(Rate)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(String(500))


class ExtraDutyRow(OrgScoped, Base):
    __tablename__ = "customs_extra_duties"
    __table_args__ = (UniqueConstraint(
        "org_id", "programme", "destination", "origin", "hs_prefix", "valid_from", name="uq_customs_extra_duties_key"
    ),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    programme: Mapped[str] = mapped_column(String(100))
    destination: Mapped[str] = mapped_column(String(2))
    origin: Mapped[str] = mapped_column(String(2))  # alpha-2 or "*"
    hs_prefix: Mapped[str] = mapped_column(String(10))
    rate: Mapped[Decimal] = mapped_column(Rate)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(String(500))
    note: Mapped[str] = mapped_column(String(500), default="")


class DeclarationRow(OrgScoped, Base):
    __tablename__ = "customs_declarations"
    __table_args__ = (UniqueConstraint("org_id", "mode", "order_no", name="uq_customs_declarations_order"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mode: Mapped[str] = mapped_column(String(4))
    order_no: Mapped[str] = mapped_column(String(60))
    ie_date: Mapped[date] = mapped_column(Date, index=True)
    destination: Mapped[str] = mapped_column(String(2))
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20), default="generated")  # generated | sent | accepted | rejected
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # the input; its ``invt_no`` is the 清单编号 (CEB604 or by hand)
    # the latest CEB604 receipt (by its returnTime): returnStatus, returnTime, returnInfo
    return_status: Mapped[str] = mapped_column(String(10), default="", server_default="")
    return_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    return_info: Mapped[str] = mapped_column(Text, default="", server_default="")

    @property
    def invt_no(self) -> str:
        return str((self.data or {}).get("invt_no") or "")

    @property
    def return_status_label(self) -> str:
        """The English label (a msgid) of the latest returnStatus, "" when none or unknown."""
        from xborder.customs.receipts import status_label

        return status_label(self.return_status)


class DeclarationReceiptRow(OrgScoped, Base):
    """One CEB604 receipt recorded on a declaration (``source`` ``ceb604``), or a list number typed
    in by hand (``source`` ``manual``). ``digest`` identifies the receipt's content: importing the
    same receipt again adds nothing."""

    __tablename__ = "customs_declaration_receipts"
    __table_args__ = (UniqueConstraint("declaration_id", "digest", name="uq_customs_declaration_receipts_digest"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    declaration_id: Mapped[int] = mapped_column(ForeignKey("customs_declarations.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(10), default="ceb604")  # ceb604 | manual
    digest: Mapped[str] = mapped_column(String(64))
    guid: Mapped[str] = mapped_column(String(64), default="")
    cop_no: Mapped[str] = mapped_column(String(60), default="")
    invt_no: Mapped[str] = mapped_column(String(60), default="")
    pre_no: Mapped[str] = mapped_column(String(60), default="")
    return_status: Mapped[str] = mapped_column(String(10), default="")
    return_time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    return_info: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(255), default="")

    @property
    def return_status_label(self) -> str:
        from xborder.customs.receipts import status_label

        return status_label(self.return_status)


class ShipmentDocsRow(OrgScoped, Base):
    __tablename__ = "customs_shipment_docs"
    __table_args__ = (UniqueConstraint("org_id", "invoice_no", name="uq_customs_shipment_docs_invoice"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invoice_no: Mapped[str] = mapped_column(String(60))
    invoice_date: Mapped[date] = mapped_column(Date)
    destination: Mapped[str] = mapped_column(String(2))
    order_no: Mapped[str] = mapped_column(String(60), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class CnTariffLineRow(Base):
    """One 10-digit code of a loaded China customs tariff (``cn-tariff``): legal units and
    declared elements (申报要素), per ``customs_ref_versions`` row (dataset ``cn-tariff``)."""

    __tablename__ = "customs_cn_tariff_lines"
    __table_args__ = {"info": {"global": True}}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("customs_ref_versions.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10), index=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    unit1: Mapped[str] = mapped_column(String(20))
    unit2: Mapped[str] = mapped_column(String(20), default="")
    elements: Mapped[str] = mapped_column(Text, default="")
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)

"""HS reference tables (global, not organisation-scoped) and the stored classifier.

Provenance is the ``data_sources`` row of the sync that loaded the rows (``source_id``: name,
origin, file SHA-256, version, licence). Earlier loads are kept; the current one per source
name is the one not superseded (``xborder.reference.service.current``).

* ``hs_codes`` / ``hs_sections``: one nomenclature edition per load (``hs-2017``, ``hs-2022``).
* ``hs_training_examples``: the cleaned labelled descriptions and vague terms the classifier
  was learned from, with their file and line (so the model can be rebuilt from the store).
* ``hs_classifier_models``: the learned classifier as an ``.npz`` artefact (arrays + JSON, no
  pickle) with its parameters and training counts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xborder.db import Base, utcnow

GLOBAL = {"info": {"global": True}}


class HsCode(Base):
    __tablename__ = "hs_codes"
    __table_args__ = (Index("ix_hs_codes_version_code", "version", "code"), GLOBAL)

    source_id: Mapped[int] = mapped_column(Integer, ForeignKey("data_sources.id", ondelete="CASCADE"),
                                           primary_key=True)
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    version: Mapped[str] = mapped_column(String(8))
    level: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    parent: Mapped[str | None] = mapped_column(String(6), nullable=True)
    section: Mapped[str] = mapped_column(String(8))


class HsSection(Base):
    __tablename__ = "hs_sections"
    __table_args__ = GLOBAL

    source_id: Mapped[int] = mapped_column(Integer, ForeignKey("data_sources.id", ondelete="CASCADE"),
                                           primary_key=True)
    section: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(Text)


class HsTrainingExample(Base):
    __tablename__ = "hs_training_examples"
    __table_args__ = GLOBAL

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(Integer, ForeignKey("data_sources.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # label | vague
    text: Mapped[str] = mapped_column(Text)
    hs6: Mapped[str | None] = mapped_column(String(6), nullable=True)
    code: Mapped[str | None] = mapped_column(String(10), nullable=True)  # as given (UK 8/10 digits)
    file: Mapped[str] = mapped_column(String(200))
    line: Mapped[int] = mapped_column(Integer)


class HsClassifierModel(Base):
    __tablename__ = "hs_classifier_models"
    __table_args__ = GLOBAL

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(Integer, ForeignKey("data_sources.id", ondelete="CASCADE"), index=True)
    hs_version: Mapped[str] = mapped_column(String(8))
    library: Mapped[str] = mapped_column(String(100))
    params: Mapped[str] = mapped_column(Text)  # JSON
    inputs: Mapped[str] = mapped_column(Text)  # JSON list of {file, sha256, source}
    n_label: Mapped[int] = mapped_column(Integer)
    n_nomen: Mapped[int] = mapped_column(Integer)
    n_vague: Mapped[int] = mapped_column(Integer)
    n_classes: Mapped[int] = mapped_column(Integer)
    artefact: Mapped[bytes] = mapped_column(LargeBinary)
    artefact_bytes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

"""HS reference tables (global, not organisation-scoped) and the stored classifier.

* ``hs_releases``: one loaded nomenclature file per row (edition, source, file SHA-256). Earlier
  releases are kept; ``current`` marks the one used per edition.
* ``hs_codes`` / ``hs_sections``: the entries of a release.
* ``hs_training_examples``: the cleaned labelled descriptions and vague terms the classifier
  was learned from, with their file and line (so the model can be rebuilt from the store).
* ``hs_classifier_models``: the learned classifier as an ``.npz`` artefact (arrays + JSON, no
  pickle), with the hash of everything it was trained on.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from xborder.db import Base, utcnow


class HsRelease(Base):
    __tablename__ = "hs_releases"
    __table_args__ = (UniqueConstraint("version", "file_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(8), index=True)
    source: Mapped[str] = mapped_column(String(500))
    file_name: Mapped[str] = mapped_column(String(200))
    file_sha256: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    loaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class HsCode(Base):
    __tablename__ = "hs_codes"
    __table_args__ = (Index("ix_hs_codes_version_code", "version", "code"),)

    release_id: Mapped[int] = mapped_column(Integer, ForeignKey("hs_releases.id", ondelete="CASCADE"),
                                            primary_key=True)
    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    version: Mapped[str] = mapped_column(String(8))
    level: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    parent: Mapped[str | None] = mapped_column(String(6), nullable=True)
    section: Mapped[str] = mapped_column(String(8))


class HsSection(Base):
    __tablename__ = "hs_sections"

    release_id: Mapped[int] = mapped_column(Integer, ForeignKey("hs_releases.id", ondelete="CASCADE"),
                                            primary_key=True)
    section: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(Text)


class HsTrainingExample(Base):
    __tablename__ = "hs_training_examples"
    __table_args__ = (UniqueConstraint("kind", "text_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # label | vague
    text: Mapped[str] = mapped_column(Text)
    text_key: Mapped[str] = mapped_column(String(64))  # sha256 of the folded text (natural key)
    hs6: Mapped[str | None] = mapped_column(String(6), nullable=True)
    code: Mapped[str | None] = mapped_column(String(10), nullable=True)  # code as given (UK 8/10 digits)
    source_file: Mapped[str] = mapped_column(String(200))
    line: Mapped[int] = mapped_column(Integer)
    file_sha256: Mapped[str] = mapped_column(String(64))


class HsClassifierModel(Base):
    __tablename__ = "hs_classifier_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    hs_version: Mapped[str] = mapped_column(String(8))
    training_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    library: Mapped[str] = mapped_column(String(100))
    params: Mapped[str] = mapped_column(Text)  # JSON
    sources: Mapped[str] = mapped_column(Text)  # JSON list of {file, sha256, source}
    n_label: Mapped[int] = mapped_column(Integer)
    n_nomen: Mapped[int] = mapped_column(Integer)
    n_vague: Mapped[int] = mapped_column(Integer)
    n_classes: Mapped[int] = mapped_column(Integer)
    artefact: Mapped[bytes] = mapped_column(LargeBinary)
    artefact_bytes: Mapped[int] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

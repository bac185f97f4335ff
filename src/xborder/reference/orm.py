from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from xborder.db import Base, utcnow


class DataSource(Base):
    """One load of one public reference file (global, not per organisation)."""

    __tablename__ = "data_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    origin: Mapped[str] = mapped_column(String(500))  # URL or local path it came from
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(100), default="")
    effective_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    effective_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    licence: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    loaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SyncJobRecord(Base):
    """A reference sync started from the web page or the HTTP API (global). Kept in the database
    so that every server process sees it and at most one runs: ``running_slot`` is 1 while the
    sync runs and NULL after, under a unique constraint (NULLs never collide)."""

    __tablename__ = "reference_sync_jobs"
    __table_args__ = (UniqueConstraint("running_slot"), {"info": {"global": True}})

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    running_slot: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | done | failed | interrupted
    origin: Mapped[str] = mapped_column(String(16))
    folder: Mapped[str | None] = mapped_column(Text, nullable=True)
    started_by: Mapped[str] = mapped_column(String(320), default="")
    started_at: Mapped[datetime] = mapped_column(DateTime)
    heartbeat_at: Mapped[datetime] = mapped_column(DateTime)  # the running process writes it every few seconds
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    options_json: Mapped[str] = mapped_column(Text, default="{}")
    sources_json: Mapped[str] = mapped_column(Text, default="[]")  # [SourceState.to_dict(), ...]
    error: Mapped[str] = mapped_column(Text, default="")

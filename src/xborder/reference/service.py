"""Run sync sources with provenance (see package docstring)."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from xborder.bootstrap import modules
from xborder.errors import NotFound, ValidationError
from xborder.reference import SyncContext, SyncSource, file_sha256
from xborder.reference.orm import DataSource


def all_sources() -> list[SyncSource]:
    out: list[SyncSource] = []
    for m in modules("sync"):
        out.extend(getattr(m, "SOURCES", []))
    return out


def unknown_sources(names: list[str]) -> list[str]:
    """The names among ``names`` that no package registers as a sync source."""
    known = {s.name for s in all_sources()}
    return [n for n in names if n not in known]


@dataclass
class SyncOutcome:
    name: str
    status: str  # loaded | unchanged | missing | failed
    rows: int = 0
    version: str = ""
    sha256: str = ""
    message: str = ""

    def to_dict(self) -> dict[str, object]:
        return self.__dict__.copy()


def _download(url: str, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(url, timeout=120) as resp, dest.open("wb") as fh:  # noqa: S310 (explicit sync)
        shutil.copyfileobj(resp, fh)
    return dest


def sync(
    sessions: sessionmaker[Session],
    from_dir: Path | None,
    only: list[str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    options: Mapping[str, str] | None = None,
) -> list[SyncOutcome]:
    """Load each selected source in its own transaction (a failing source rolls back alone)."""
    options = check_options(options)
    sources = all_sources()
    if only:
        unknown = unknown_sources(only)
        if unknown:
            raise NotFound(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(sorted(s.name for s in sources))}")
        sources = [s for s in sources if s.name in only]
    if from_dir is not None and not from_dir.is_dir():
        raise ValidationError(f"--from: {from_dir} is not a directory", field="from")
    outcomes: list[SyncOutcome] = []
    tmp = Path(tempfile.mkdtemp(prefix="xborder-sync-"))
    try:
        for src in sources:
            outcomes.append(_sync_one(sessions, src, from_dir, tmp, progress,
                                      {k: v for k, v in options.items() if k in src.options}))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return outcomes


def check_options(options: Mapping[str, str] | None) -> dict[str, str]:
    """The sync's options, each known to a source and one of its allowed values (else ValidationError)."""
    allowed: dict[str, tuple[str, ...]] = {}
    for src in all_sources():
        for name, values in src.options.items():
            allowed[name] = tuple(dict.fromkeys(allowed.get(name, ()) + tuple(values)))
    out: dict[str, str] = {}
    for name, value in (options or {}).items():
        if name not in allowed:
            raise ValidationError(f"options: unknown option {name!r}; known: {', '.join(sorted(allowed)) or 'none'}",
                                  field="options")
        value = str(value).strip().lower()
        if value not in allowed[name]:
            raise ValidationError(f"{name}: must be one of {', '.join(allowed[name])}, got {value!r}", field=name)
        out[name] = value
    return out


def _sync_one(sessions: sessionmaker[Session], src: SyncSource, from_dir: Path | None, tmp: Path,
              progress: Callable[[str, int, int], None] | None, options: Mapping[str, str] | None = None) -> SyncOutcome:
    if from_dir is not None:
        path = from_dir / src.local_path
        extra = [from_dir / p for p in src.extra_paths]
        origin = str(path)
        if not path.exists():
            if src.bundled is None:
                return SyncOutcome(src.name, "missing", message=f"{path} not found")
            path, origin = src.bundled(), f"bundled copy {src.bundled()} ({path} not found)"
    else:
        extra = []
        if not src.url and src.bundled is None:
            return SyncOutcome(src.name, "missing", message="no download address: use --from DIR")
        try:
            if not src.url:
                raise OSError("no download address")
            path = _download(src.url, tmp / Path(src.local_path).name)
            origin = src.url
        except OSError as exc:
            if src.bundled is None:
                return SyncOutcome(src.name, "failed", message=f"download failed: {exc}")
            path, origin = src.bundled(), f"bundled copy {src.bundled()} (download failed: {exc})"
    digest = file_sha256(path, *[p for p in extra if p.exists()])
    options = options or {}
    revision = src.revision_for(options)
    if revision:
        digest = hashlib.sha256(f"{digest}:{revision}".encode()).hexdigest()
    report_progress: Callable[[int, int], None] = (
        (lambda d, t: progress(src.name, d, t)) if progress else (lambda d, t: None))
    with sessions() as s:
        # compared with the current load only: going back to an earlier file (or model) loads it again
        seen = current(s, src.name)
        if seen is not None and seen.sha256 == digest:
            return SyncOutcome(src.name, "unchanged", rows=seen.rows, version=seen.version, sha256=digest)
    report_progress(0, 0)  # started (its loader may report its own steps after this)
    prepared = None
    if src.prepare is not None:  # the long work, before any write transaction
        with sessions() as rs:
            try:
                prepared = src.prepare(rs, SyncContext(path=path, sha256=digest, source_id=0,
                                                       progress=report_progress, options=options))
            except Exception as exc:  # one bad source must not stop the others
                return SyncOutcome(src.name, "failed", message=f"{type(exc).__name__}: {exc}")
            finally:
                rs.rollback()
    with sessions() as s:
        row = DataSource(name=src.name, origin=origin, sha256=digest, licence=src.licence)
        s.add(row)
        s.flush()
        ctx = SyncContext(path=path, sha256=digest, source_id=row.id, progress=report_progress, prepared=prepared,
                          options=options)
        try:
            report = src.load(s, ctx)
        except Exception as exc:  # one bad source must not stop the others
            s.rollback()
            return SyncOutcome(src.name, "failed", message=f"{type(exc).__name__}: {exc}")
        s.execute(update(DataSource).where(DataSource.name == src.name, DataSource.id != row.id).values(superseded=True))
        row.rows = report.rows
        row.version = report.version
        row.effective_from = report.effective_from
        row.effective_to = report.effective_to
        row.notes = "\n".join(report.notes)
        s.commit()
        return SyncOutcome(src.name, "loaded", rows=report.rows, version=report.version, sha256=digest)


def history(s: Session, name: str | None = None) -> list[DataSource]:
    q = select(DataSource).order_by(DataSource.name, DataSource.id.desc())
    if name:
        q = q.where(DataSource.name == name)
    return list(s.scalars(q))


def current(s: Session, name: str) -> DataSource | None:
    return s.scalar(select(DataSource).where(DataSource.name == name, DataSource.superseded.is_(False))
                    .order_by(DataSource.id.desc()).limit(1))

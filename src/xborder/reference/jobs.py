"""Reference-data syncs started from the web page or the HTTP API, run in the background.

``xborder data sync`` runs in the terminal; an owner can also start the same sync from
``/settings/data`` or ``POST /api/v1/reference/sync`` and follow it (the HS classifier takes
20 to 30 minutes). The sync reads the server's configured reference folder
(``XBORDER_SHARED_DATA``, or ``../shared/data`` beside a checkout) or downloads from the
official addresses: a browser never names a server path.

Syncs are recorded in the database (``reference_sync_jobs``), so every server process behind a
proxy sees the same syncs and their progress, and at most one sync runs at a time across all of
them and the command line (``xborder data sync`` records itself too): a second is refused with
``CONFLICT``. The process running a sync writes its state every few seconds (its heartbeat); a
sync whose heartbeat is older than :data:`STALE` seconds lost its process (a restart, a kill) and
is shown as ``interrupted``, and no longer blocks a new one. Each source still loads in its own
transaction, and the long work runs before it (see :class:`xborder.reference.SyncSource`
``prepare``), so the app keeps working during a sync.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from xborder.errors import Conflict, NotFound, ValidationError
from xborder.reference import service
from xborder.reference.orm import SyncJobRecord

ORIGINS = ("local", "download")
KEEP = 20  # finished syncs listed (and kept in the database)
HEARTBEAT = 3.0  # seconds between two writes of a running sync's state
STALE = 120  # seconds without a heartbeat after which a running sync is taken as interrupted


@dataclass
class SourceState:
    name: str
    status: str = "waiting"  # waiting | running | loaded | unchanged | missing | failed
    done: int = 0
    total: int = 0
    rows: int = 0
    version: str = ""
    message: str = ""

    def fraction(self) -> float:
        if self.status in ("loaded", "unchanged", "missing", "failed"):
            return 1.0
        if self.status == "running" and self.total:
            return min(1.0, self.done / self.total)
        return 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "done": self.done, "total": self.total,
                "percent": round(100 * self.fraction(), 1), "rows": self.rows, "version": self.version,
                "message": self.message}


@dataclass
class SyncJob:
    id: str
    origin: str  # local | download
    folder: str | None  # the local folder read (origin local)
    started_by: str
    started_at: datetime
    sources: dict[str, SourceState]
    options: dict[str, str] = field(default_factory=dict)  # e.g. {"hs_encoder": "none"}
    status: str = "running"  # running | done | failed | interrupted
    finished_at: datetime | None = None
    error: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def percent(self) -> float:
        if not self.sources:
            return 100.0 if self.status != "running" else 0.0
        return round(100 * sum(s.fraction() for s in self.sources.values()) / len(self.sources), 1)

    def to_dict(self) -> dict[str, Any]:
        with self._lock:
            return {"id": self.id, "status": self.status, "origin": self.origin, "folder": self.folder,
                    "started_by": self.started_by, "started_at": self.started_at.isoformat(), "options": dict(self.options),
                    "finished_at": self.finished_at.isoformat() if self.finished_at else None,
                    "percent": self.percent(), "error": self.error,
                    "failed": [s.name for s in self.sources.values() if s.status == "failed"],
                    "sources": [s.to_dict() for s in self.sources.values()]}

    def _progress(self, name: str, done: int, total: int) -> None:
        with self._lock:
            st = self.sources.setdefault(name, SourceState(name))
            st.status = "running"
            if total:
                st.done, st.total = done, total

    def _finish(self, outcomes: list[service.SyncOutcome] | None, exc: BaseException | None) -> None:
        with self._lock:
            if exc is None:
                for o in outcomes or []:
                    st = self.sources.setdefault(o.name, SourceState(o.name))
                    st.status, st.rows, st.version, st.message = o.status, o.rows, o.version, o.message
                    if st.total:
                        st.done = st.total
                self.status = "done"
            else:  # reported on the job; the sources already loaded stay loaded
                self.status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
                self.error = f"{type(exc).__name__}: {exc}".rstrip(": ")
                for st in self.sources.values():
                    if st.status in ("waiting", "running"):
                        st.status = "failed"
            self.finished_at = datetime.now(UTC)

    def _record_values(self) -> dict[str, Any]:
        with self._lock:
            return {"status": self.status, "error": self.error, "finished_at": _naive(self.finished_at),
                    "sources_json": json.dumps([s.to_dict() for s in self.sources.values()]),
                    "heartbeat_at": _naive(datetime.now(UTC)),
                    "running_slot": 1 if self.status == "running" else None}

    @classmethod
    def from_record(cls, rec: SyncJobRecord, now: datetime | None = None) -> SyncJob:
        """A sync seen in the database (maybe run by another process): a snapshot."""
        sources = {}
        for d in json.loads(rec.sources_json or "[]"):
            sources[d["name"]] = SourceState(d["name"], d.get("status", "waiting"), d.get("done", 0), d.get("total", 0),
                                             d.get("rows", 0), d.get("version", ""), d.get("message", ""))
        job = cls(id=rec.id, origin=rec.origin, folder=rec.folder, started_by=rec.started_by,
                  started_at=_aware(rec.started_at), sources=sources, options=json.loads(rec.options_json or "{}"),
                  status=rec.status, finished_at=_aware(rec.finished_at) if rec.finished_at else None, error=rec.error)
        now = now or datetime.now(UTC)
        if job.status == "running" and _stale(rec, now):
            job.status = "interrupted"
            job.error = job.error or (f"no news from the process running it since {rec.heartbeat_at:%H:%M:%S} UTC "
                                      "(it was stopped or restarted)")
        return job


def _naive(d: datetime | None) -> datetime | None:
    """UTC without tzinfo, as the DateTime columns store it."""
    return d.astimezone(UTC).replace(tzinfo=None) if d is not None else None


def _aware(d: datetime) -> datetime:
    return d.replace(tzinfo=UTC) if d.tzinfo is None else d


def _stale(rec: SyncJobRecord, now: datetime) -> bool:
    return rec.status == "running" and _aware(rec.heartbeat_at) < now - timedelta(seconds=STALE)


class SyncRunner:
    """Runs reference syncs in a background thread (or in the caller's, for the command line),
    one at a time across processes, and reads the syncs back from the database."""

    def __init__(self, sessions: sessionmaker[Session], shared_dir: Path | None,
                 run: Callable[..., list[service.SyncOutcome]] | None = None):
        self._sessions = sessions
        self.shared_dir = shared_dir
        self._run = run or service.sync
        self._lock = threading.Lock()
        self._jobs: dict[str, SyncJob] = {}  # the syncs this process runs or ran (fresher than their rows)
        self._threads: dict[str, threading.Thread] = {}

    @property
    def local_folder(self) -> Path | None:
        """The server's reference folder, when it is configured and exists."""
        return Path(self.shared_dir) if self.shared_dir is not None and Path(self.shared_dir).is_dir() else None

    def _new_job(self, origin: str, only: list[str] | None, started_by: str, options: dict[str, str] | None,
                 folder: Path | None) -> tuple[SyncJob, list[str], dict[str, str]]:
        opts = service.check_options(options)
        names = [s.name for s in service.all_sources()]
        chosen = list(dict.fromkeys(only or []))
        unknown = service.unknown_sources(chosen)
        if unknown:
            raise ValidationError(f"only: unknown source(s) {', '.join(unknown)}; known: {', '.join(names)}",
                                  field="only")
        job = SyncJob(id=secrets.token_hex(6), origin=origin, folder=str(folder) if folder else None,
                      started_by=started_by, started_at=datetime.now(UTC),
                      sources={n: SourceState(n) for n in (chosen or names)}, options=opts)
        return job, chosen, opts

    def start(self, origin: str, only: list[str] | None, started_by: str,
              options: dict[str, str] | None = None) -> SyncJob:
        """Check the request, then start the sync in the background; returns at once."""
        if origin not in ORIGINS:
            raise ValidationError(f"origin: must be one of {', '.join(ORIGINS)}, got {origin!r}", field="origin")
        folder = self.local_folder if origin == "local" else None
        if origin == "local" and folder is None:
            raise ValidationError("origin: no local reference folder is configured on this server "
                                  "(set XBORDER_SHARED_DATA to a folder laid out as ../shared/data)", field="origin")
        job, chosen, opts = self._new_job(origin, only, started_by, options, folder)
        with self._lock:
            self._claim(job)
            self._jobs[job.id] = job
            for old in sorted((j for j in self._jobs.values() if j.status != "running"),
                              key=lambda j: j.started_at)[:-KEEP or None]:
                self._jobs.pop(old.id, None)
                self._threads.pop(old.id, None)
            t = threading.Thread(target=self._work, args=(job, folder, chosen or None, opts), name=f"xborder-sync-{job.id}",
                                 daemon=True)
            self._threads[job.id] = t
        t.start()
        return job

    def run_here(self, folder: Path | None, only: list[str] | None, started_by: str,
                 options: dict[str, str] | None = None,
                 progress: Callable[[str, int, int], None] | None = None) -> list[service.SyncOutcome]:
        """Run a sync in the calling thread (the command line), recorded like a background one:
        the web page shows its progress, and a sync running elsewhere refuses it (``CONFLICT``)."""
        job, chosen, opts = self._new_job("local" if folder is not None else "download", only, started_by, options, folder)
        self._claim(job)
        with self._lock:
            self._jobs[job.id] = job

        def both(name: str, done: int, total: int) -> None:
            job._progress(name, done, total)
            if progress is not None:
                progress(name, done, total)

        return self._execute(job, lambda: self._run(self._sessions, folder, chosen or None, both, opts))

    def _claim(self, job: SyncJob) -> None:
        """Record the sync as the running one, or refuse it when another one runs (in any process)."""
        now = datetime.now(UTC)
        for _attempt in range(3):
            with self._sessions() as s:
                try:
                    s.add(SyncJobRecord(id=job.id, running_slot=1, status="running", origin=job.origin, folder=job.folder,
                                        started_by=job.started_by[:320], started_at=_naive(job.started_at),
                                        heartbeat_at=_naive(now), options_json=json.dumps(job.options),
                                        sources_json=json.dumps([st.to_dict() for st in job.sources.values()]), error=""))
                    s.commit()
                except IntegrityError:
                    s.rollback()
                else:
                    self._prune(s)
                    return
                running = s.scalar(select(SyncJobRecord).where(SyncJobRecord.running_slot == 1))
                if running is None:
                    continue  # it has just ended
                if _stale(running, now):
                    running.status, running.running_slot, running.finished_at = "interrupted", None, _naive(now)
                    running.error = running.error or "its process stopped (no heartbeat)"
                    s.commit()
                    continue
                raise Conflict(f"a reference sync is already running ({running.id}, started "
                               f"{running.started_at:%H:%M:%S} UTC by {running.started_by}): wait for it to end")
        raise Conflict("a reference sync is starting elsewhere: try again in a moment")

    def _prune(self, s: Session) -> None:
        old = list(s.scalars(select(SyncJobRecord.id).where(SyncJobRecord.running_slot.is_(None))
                             .order_by(SyncJobRecord.started_at.desc()).offset(KEEP)))
        if old:
            s.execute(delete(SyncJobRecord).where(SyncJobRecord.id.in_(old)))
            s.commit()

    def _save(self, job: SyncJob) -> bool:
        """Write the sync's state and heartbeat; False when the database was busy (the next
        heartbeat writes it)."""
        try:
            with self._sessions() as s:
                rec = s.get(SyncJobRecord, job.id)
                if rec is not None:
                    for k, v in job._record_values().items():
                        setattr(rec, k, v)
                    s.commit()
        except OperationalError:
            return False
        return True

    def _execute(self, job: SyncJob, call: Callable[[], list[service.SyncOutcome]]) -> list[service.SyncOutcome]:
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(HEARTBEAT):
                self._save(job)

        beater = threading.Thread(target=beat, name=f"xborder-sync-beat-{job.id}", daemon=True)
        beater.start()
        outcomes: list[service.SyncOutcome] | None = None
        try:
            outcomes = call()
            job._finish(outcomes, None)
            return outcomes
        except BaseException as exc:
            job._finish(None, exc)
            raise
        finally:
            stop.set()
            beater.join()
            for _ in range(20):  # the final state must land: it frees the slot for the next sync
                if self._save(job):
                    break
                time.sleep(0.5)

    def _work(self, job: SyncJob, folder: Path | None, only: list[str] | None, options: dict[str, str]) -> None:
        try:
            self._execute(job, lambda: self._run(self._sessions, folder, only, job._progress, options))
        except Exception:  # noqa: BLE001 - recorded on the job (status failed, error), shown on the page
            pass

    def _records(self, limit: int = KEEP, job_id: str | None = None) -> list[SyncJobRecord]:
        with self._sessions() as s:
            q = select(SyncJobRecord)
            if job_id is not None:
                q = q.where(SyncJobRecord.id == job_id)
            rows = list(s.scalars(q.order_by(SyncJobRecord.started_at.desc()).limit(limit)))
            s.expunge_all()
            return rows

    def _view(self, rec: SyncJobRecord, now: datetime) -> SyncJob:
        with self._lock:
            mine = self._jobs.get(rec.id)
        return mine if mine is not None else SyncJob.from_record(rec, now)

    def find(self, job_id: str) -> SyncJob | None:
        with self._lock:
            mine = self._jobs.get(job_id)
        if mine is not None:
            return mine
        rows = self._records(1, job_id)
        return SyncJob.from_record(rows[0]) if rows else None

    def get(self, job_id: str) -> SyncJob:
        job = self.find(job_id)
        if job is None:
            raise NotFound(f"no reference sync {job_id!r}")
        return job

    def latest(self) -> SyncJob | None:
        rows = self._records(1)
        return self._view(rows[0], datetime.now(UTC)) if rows else None

    def recent(self) -> list[SyncJob]:
        now = datetime.now(UTC)
        return [self._view(r, now) for r in self._records()]

    def wait(self, job_id: str, timeout: float = 60.0) -> SyncJob:
        """Block until the sync ends (tests, scripts)."""
        job = self.get(job_id)
        t = self._threads.get(job_id)
        deadline = time.monotonic() + timeout
        if t is not None:
            t.join(timeout)
        while job.finished_at is None and job.status == "running" and time.monotonic() < deadline:
            time.sleep(0.05)
            if job_id not in self._jobs:
                job = self.get(job_id)  # run by another process: read it again
        return job


_RUNNER_ATTR = "_xborder_sync_runner"
_runner_lock = threading.Lock()


def runner(container: Any) -> SyncRunner:
    """The process's sync runner, kept on its container."""
    with _runner_lock:
        r = getattr(container, _RUNNER_ATTR, None)
        if r is None:
            r = SyncRunner(container.sessions, container.settings.shared_data_dir)
            setattr(container, _RUNNER_ATTR, r)
        return r

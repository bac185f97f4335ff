"""Reference-data syncs started from the web page or the HTTP API, run in the background.

``xborder data sync`` runs in the terminal; an owner can also start the same sync from
``/settings/data`` or ``POST /api/v1/reference/sync`` and follow it (the HS classifier takes
20 to 30 minutes). The sync reads the server's configured reference folder
(``XBORDER_SHARED_DATA``, or ``../shared/data`` beside a checkout) or downloads from the
official addresses: a browser never names a server path.

One sync at a time per process (a second is refused with ``CONFLICT``); the state of the last
syncs lives in the process (a restart forgets it; what was loaded stays in ``data_sources``).
Each source still loads in its own transaction, and the long work runs before it (see
:class:`xborder.reference.SyncSource` ``prepare``), so the app keeps working during a sync.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from xborder.errors import Conflict, NotFound, ValidationError
from xborder.reference import service

ORIGINS = ("local", "download")
KEEP = 20  # finished syncs remembered per process


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
    status: str = "running"  # running | done | failed
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
            st = self.sources[name]
            st.status = "running"
            if total:
                st.done, st.total = done, total


class SyncRunner:
    """Runs one reference sync at a time in a background thread and remembers the last ones."""

    def __init__(self, sessions: sessionmaker[Session], shared_dir: Path | None,
                 run: Callable[..., list[service.SyncOutcome]] | None = None):
        self._sessions = sessions
        self.shared_dir = shared_dir
        self._run = run or service.sync
        self._lock = threading.Lock()
        self._jobs: dict[str, SyncJob] = {}
        self._threads: dict[str, threading.Thread] = {}

    @property
    def local_folder(self) -> Path | None:
        """The server's reference folder, when it is configured and exists."""
        return Path(self.shared_dir) if self.shared_dir is not None and Path(self.shared_dir).is_dir() else None

    def start(self, origin: str, only: list[str] | None, started_by: str,
              options: dict[str, str] | None = None) -> SyncJob:
        """Check the request, then start the sync in the background; returns at once."""
        if origin not in ORIGINS:
            raise ValidationError(f"origin: must be one of {', '.join(ORIGINS)}, got {origin!r}", field="origin")
        opts = service.check_options(options)
        names = [s.name for s in service.all_sources()]
        chosen = list(dict.fromkeys(only or []))
        unknown = service.unknown_sources(chosen)
        if unknown:
            raise ValidationError(f"only: unknown source(s) {', '.join(unknown)}; known: {', '.join(names)}",
                                  field="only")
        folder = self.local_folder if origin == "local" else None
        if origin == "local" and folder is None:
            raise ValidationError("origin: no local reference folder is configured on this server "
                                  "(set XBORDER_SHARED_DATA to a folder laid out as ../shared/data)", field="origin")
        with self._lock:
            running = next((j for j in self._jobs.values() if j.status == "running"), None)
            if running is not None:
                raise Conflict(f"a reference sync is already running ({running.id}, started "
                                    f"{running.started_at:%H:%M:%S} UTC by {running.started_by}): wait for it to end")
            job = SyncJob(id=secrets.token_hex(6), origin=origin, folder=str(folder) if folder else None,
                          started_by=started_by, started_at=datetime.now(UTC),
                          sources={n: SourceState(n) for n in (chosen or names)}, options=opts)
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

    def _work(self, job: SyncJob, folder: Path | None, only: list[str] | None, options: dict[str, str]) -> None:
        try:
            outcomes = self._run(self._sessions, folder, only, job._progress, options)
            with job._lock:
                for o in outcomes:
                    st = job.sources.setdefault(o.name, SourceState(o.name))
                    st.status, st.rows, st.version, st.message = o.status, o.rows, o.version, o.message
                    if st.total:
                        st.done = st.total
                job.status = "done"
        except Exception as exc:  # reported on the job; the sources already loaded stay loaded
            with job._lock:
                job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
                for st in job.sources.values():
                    if st.status in ("waiting", "running"):
                        st.status = "failed"
        finally:
            with job._lock:
                job.finished_at = datetime.now(UTC)

    def find(self, job_id: str) -> SyncJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def get(self, job_id: str) -> SyncJob:
        job = self.find(job_id)
        if job is None:
            raise NotFound(f"no reference sync {job_id!r} in this process (a restart forgets them)")
        return job

    def latest(self) -> SyncJob | None:
        with self._lock:
            return max(self._jobs.values(), key=lambda j: j.started_at, default=None)

    def recent(self) -> list[SyncJob]:
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.started_at, reverse=True)

    def wait(self, job_id: str, timeout: float = 60.0) -> SyncJob:
        """Block until the sync ends (tests, scripts)."""
        job = self.get(job_id)
        t = self._threads.get(job_id)
        deadline = time.monotonic() + timeout
        if t is not None:
            t.join(timeout)
        while job.finished_at is None and time.monotonic() < deadline:
            time.sleep(0.05)
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

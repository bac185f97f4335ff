"""Reference-data sync framework: public sources loaded into the store with provenance.

A process package contributes sources by exposing ``SOURCES: list[SyncSource]`` in its
``sync.py``. ``xborder data sync [--from DIR] [--only NAME]`` runs them: with ``--from`` each
source reads ``DIR/<local_path>`` (the layout of ``../shared/data``); without it, it downloads
``url`` (the explicit sync command is the only thing in Xborder that uses the network).

Provenance (:class:`DataSource` rows): name, where from, file SHA-256, version, effective
dates, rows loaded. A source whose current load has the same hash is skipped (idempotent);
a new version is loaded beside the earlier ones, which are kept and marked superseded (going
back to an earlier file loads it again, as the current one).

Options (``xborder data sync --hs-encoder none``, ``"options"`` in the API) reach the sources
that declare them (``SyncSource.options``) through ``SyncContext.options``; a source whose
output depends on one hashes it in with its ``revision``.

A source whose work is long (the HS classifier learns for ~25 minutes) does it in ``prepare``,
outside the write transaction, and only writes in ``load``: a write transaction held that long
would block every other writer of a SQLite store (logins, imports) until it ends.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

__all__ = ["SyncContext", "SyncReport", "SyncSource", "file_sha256"]


@dataclass
class SyncContext:
    """Passed to a loader: where the file is and its recorded provenance row."""

    path: Path
    sha256: str
    source_id: int  # DataSource.id of this load (for rows that keep their version); 0 in prepare
    progress: Callable[[int, int], None] = lambda done, total: None
    prepared: Any = None  # what the source's ``prepare`` returned (given to ``load``)
    options: Mapping[str, str] = field(default_factory=dict)  # the sync's options (checked against SyncSource.options)


@dataclass
class SyncReport:
    rows: int
    version: str = ""
    effective_from: date | None = None
    effective_to: date | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SyncSource:
    name: str  # used with --only
    description: str
    local_path: str  # relative to --from DIR, e.g. "hs/harmonized-system-2022.csv"
    url: str | None  # official download address (None: local files only)
    load: Callable[[Session, SyncContext], SyncReport]
    licence: str = ""
    extra_paths: tuple[str, ...] = ()  # further files read by the loader, hashed together
    bundled: Callable[[], Path] | None = None  # a copy shipped with a package, used when the file is not found
    # hashed with the files: change it when the loader's output changes for the same files (e.g. a
    # new model format), so that the next sync loads again instead of answering "unchanged"; a
    # function of the sync's options when they change the output (e.g. which model is learned)
    revision: str | Callable[[Mapping[str, str]], str] = ""
    # the long work, done before the write transaction opens (a read session: end reads early);
    # its result reaches ``load`` as ``ctx.prepared``
    prepare: Callable[[Session, SyncContext], Any] | None = None
    # options this source reads from the sync (name -> allowed values, the default first)
    options: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def revision_for(self, options: Mapping[str, str]) -> str:
        return self.revision(options) if callable(self.revision) else self.revision


def file_sha256(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        if p.is_dir():
            for f in sorted(x for x in p.rglob("*") if x.is_file()):
                h.update(f.relative_to(p).as_posix().encode())
                h.update(f.read_bytes())
        else:
            with p.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
    return h.hexdigest()

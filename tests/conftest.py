"""Shared fixtures. Tests run on SQLite by default and on PostgreSQL when DATABASE_URL is set.

* ``settings``: a fresh, migrated database for this test (SQLite: a copy of a template file
  migrated once per run; PostgreSQL: the schema migrated once per run, every table emptied
  and the id sequences restarted after each test).
* ``container``, ``uow``, ``org``, ``principal``, ``other_org``, ``other_principal``
* ``app``, ``client`` (anonymous), ``web_client`` (logged in; ``.csrf`` is the form token),
  ``api_client`` (bearer token), ``other_web_client``/``other_api_client`` (a second org's owner)
* ``cli``: run the ``xborder`` command in-process against this database
* ``shared_data``: ``../shared/data`` (skips with a message when it is absent)

Speed (the suite runs twice in CI, on a shared 2-core machine):

* passwords are hashed with argon2 at its cheapest parameters (``_FAST_HASHER``): the production
  hasher costs about 0.2 s per hash or check, and nearly every web/API test creates a user and
  logs in. ``test_accounts.py`` checks the production hasher (fixture ``production_hasher``).
* the encoder fine-tune of an HS classifier sync is computed once per run for the same texts,
  codes and parameters and replayed afterwards (``_memo_tune_encoder``), across pytest-xdist
  workers too; ``tests/unit/hs/test_hs_finetune.py`` trains for real.
* under pytest-xdist (``scripts/test`` runs ``-n 2``) each worker has its own PostgreSQL
  database, ``<DATABASE_URL's database>_<worker id>``, created (``synchronous_commit`` off) and
  dropped by the worker; torch's bulk threads (``XBORDER_HS_SYNC_THREADS``) are the cores
  divided by the workers.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from xborder.accounts import service as accounts
from xborder.accounts.model import Role
from xborder.bootstrap import Container
from xborder.config import Settings, default_shared_data_dir, normalise_database_url, sqlite_url
from xborder.db import UnitOfWork, make_engine, upgrade

PASSWORD = "correct-horse-9"
PG_URL = os.environ.get("DATABASE_URL")


def _settings(url: str, tmp: Path) -> Settings:
    return Settings(database_url=url, data_dir=tmp, secret_key="test-secret", shared_data_dir=default_shared_data_dir())


WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1"... under pytest-xdist, else ""
if WORKER:
    # torch's bulk encoding and fine-tuning take every core by default: share them between workers
    # (two workers each spinning two threads on two cores slow everything down)
    _n = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    os.environ.setdefault("XBORDER_HS_SYNC_THREADS", str(max(1, (os.cpu_count() or 1) // max(1, _n))))

_FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="session", autouse=True)
def production_hasher() -> Iterator[PasswordHasher]:
    """The application's password hasher (returned), replaced by ``_FAST_HASHER`` for the run."""
    real = accounts._hasher
    accounts._hasher = _FAST_HASHER
    yield real
    accounts._hasher = real


def _worker_database(url: str) -> Iterator[str]:
    """This xdist worker's own PostgreSQL database beside ``url``'s (dropped at the end)."""
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{WORKER}"
    admin = make_engine(url)
    try:
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
            # a commit need not wait for its WAL flush (~3 ms here): a crash would lose test data only
            conn.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        yield base.set(database=name).render_as_string(hide_password=False)
        for engine in _PG_ENGINES.values():
            engine.dispose()
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session")
def _pg_database() -> Iterator[str]:
    url = normalise_database_url(PG_URL or "")
    if WORKER:
        yield from _worker_database(url)
    else:
        yield url


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> str:
    if PG_URL:
        url = request.getfixturevalue("_pg_database")
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        upgrade(url)
        return url
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade(sqlite_url(path))
    return str(path)


@pytest.fixture(scope="session", autouse=True)
def _memo_tune_encoder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Replay an HS encoder fine-tune already computed in this run for the same inputs (the
    result, the report and the progress calls), instead of training again: several tests sync the
    same test classifier with the default (fine-tuned) encoder. Training is deterministic (seeded),
    so a replay gives what a new training would. Shared by the xdist workers of a run through
    files next to their temporary directories; a lock makes the second wait for the first."""
    import fcntl
    import hashlib
    import json

    import numpy as np

    from xborder.hs import embedding, finetune

    real = finetune.tune_encoder
    root = tmp_path_factory.getbasetemp()
    if WORKER:
        root = root.parent  # the run's directory, shared by its workers
    cache = root / "hs-tune-cache"
    cache.mkdir(exist_ok=True)

    def tune_encoder(texts: Any, codes: Any, p: Any = None, progress: Any = None, threads: Any = None) -> Any:
        p = p or finetune.TuneParams()
        key = hashlib.sha256(json.dumps([list(texts), list(codes), repr(p)]).encode()).hexdigest()[:32]
        meta, npz = cache / f"{key}.json", cache / f"{key}.npz"
        with open(cache / f"{key}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not meta.exists():
                calls: list[tuple[int, int]] = []

                def record(i: int, n: int) -> None:
                    calls.append((i, n))
                    if progress:
                        progress(i, n)

                emb, report = real(texts, codes, p, progress=record, threads=threads)
                np.savez(npz, **emb.weights)
                meta.write_text(json.dumps({"name": emb.name, "report": report, "progress": calls}))
                return emb, report
        got = json.loads(meta.read_text())
        for i, n in got["progress"]:
            if progress:
                progress(i, n)
        with np.load(npz) as z:
            weights = {k: z[k] for k in z.files}
        return embedding.get(got["name"], weights), got["report"]

    finetune.tune_encoder = tune_encoder
    yield
    finetune.tune_encoder = real


_PG_ENGINES: dict[str, Any] = {}


def _truncate_all(url: str) -> None:
    """Empty the tables a test wrote to, children first. One query finds the non-empty tables;
    DELETE is used rather than TRUNCATE, which costs a file operation per table (and CASCADE
    reaches every organisation-scoped table), about 100 times slower for test-sized data."""
    from xborder.bootstrap import load_models
    from xborder.db import Base

    load_models()
    engine = _PG_ENGINES.get(url) or _PG_ENGINES.setdefault(url, make_engine(url))
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        existing = {r[0] for r in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname='public'"))}
        tables = [t for t in tables if t in existing]
        probe = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)
        used = {r[0] for r in conn.execute(text(probe))} if tables else set()
        for t in tables:
            if t in used:
                conn.execute(text(f'DELETE FROM "{t}"'))
        # ids start at 1 again, as in the fresh SQLite copy of every test: otherwise they depend on
        # the tests run before, and the tenancy test, which calls every route with every id of the
        # demo's rows, made 6,540 requests and took 80-98 s after the integration tests (14 s first)
        seqs = [r[0] for r in conn.execute(text(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' AND last_value IS NOT NULL"))]
        if seqs:
            conn.execute(text("SELECT " + ", ".join(f"setval('public.\"{q}\"', 1, false)" for q in seqs)))


@pytest.fixture
def settings(_template_db: str, tmp_path: Path) -> Iterator[Settings]:
    if PG_URL:
        yield _settings(_template_db, tmp_path)
        _truncate_all(_template_db)
    else:
        path = tmp_path / "xborder.sqlite3"
        shutil.copyfile(_template_db, path)
        yield _settings(sqlite_url(path), tmp_path)
    # the loaded HS classifiers are cached by their stored row (id, size): with the ids starting
    # again in the next test's database (a fresh copy, or truncated with its sequences restarted),
    # the next test's row must not be served this test's classifier (the artefact is deterministic:
    # the same files give the same size)
    from xborder.hs import service as hs_service

    hs_service._clf_cache.clear()


@pytest.fixture
def container(settings: Settings) -> Iterator[Container]:
    c = Container(settings)
    yield c
    c.dispose()


@pytest.fixture
def uow(container: Container) -> Iterator[UnitOfWork]:
    with UnitOfWork(container.sessions) as u:
        yield u


def _make_org(container: Container, name: str, email: str) -> tuple[int, int]:
    with UnitOfWork(container.sessions) as u:
        org = accounts.create_org(u.session, name, legal_name_en=f"{name} Ltd", uscc="91440300MA5FXB7K3U")
        user = accounts.create_user(u.session, email, PASSWORD, name=name + " owner")
        accounts.add_member(u.session, org, user, Role.OWNER)
        u.commit()
        return org.id, user.id


@pytest.fixture
def org_ids(container: Container) -> tuple[int, int]:
    return _make_org(container, "Acme Export", "owner@acme.test")


@pytest.fixture
def other_org_ids(container: Container) -> tuple[int, int]:
    return _make_org(container, "Rival Trading", "owner@rival.test")


@pytest.fixture
def org(uow: UnitOfWork, org_ids: tuple[int, int]) -> Any:
    return accounts.get_org(uow.session, org_ids[0])


@pytest.fixture
def principal(uow: UnitOfWork, org_ids: tuple[int, int]) -> accounts.Principal:
    return accounts.principal_for(uow.session, org_ids[1], org_ids[0])


@pytest.fixture
def other_principal(uow: UnitOfWork, other_org_ids: tuple[int, int]) -> accounts.Principal:
    return accounts.principal_for(uow.session, other_org_ids[1], other_org_ids[0])


@pytest.fixture
def app(settings: Settings, container: Container) -> Any:
    from xborder.entrypoints.app import create_app

    return create_app(settings, container)


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def login(app: Any, email: str, password: str = PASSWORD) -> Any:
    """A TestClient logged in through the real login form; ``.csrf`` holds the session's token."""
    from fastapi.testclient import TestClient

    c = TestClient(app, base_url="http://127.0.0.1")
    page = c.get("/login")
    token = CSRF_INPUT.search(page.text)
    assert token, "login form has no CSRF token"
    r = c.post("/login", data={"email": email, "password": password, "csrf_token": token.group(1), "next": "/"},
               follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    home = c.get("/")
    m = CSRF_INPUT.search(home.text)
    assert m, "logged-in page has no CSRF token"
    c.csrf = m.group(1)  # type: ignore[attr-defined]
    return c


@pytest.fixture
def web_client(app: Any, org_ids: tuple[int, int]) -> Iterator[Any]:
    c = login(app, "owner@acme.test")
    yield c
    c.close()


@pytest.fixture
def other_web_client(app: Any, other_org_ids: tuple[int, int]) -> Iterator[Any]:
    c = login(app, "owner@rival.test")
    yield c
    c.close()


def api_login(app: Any, email: str, password: str = PASSWORD) -> Any:
    from fastapi.testclient import TestClient

    c = TestClient(app, base_url="http://127.0.0.1")
    r = c.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert r.status_code == 200, r.text
    c.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return c


@pytest.fixture
def api_client(app: Any, org_ids: tuple[int, int]) -> Iterator[Any]:
    c = api_login(app, "owner@acme.test")
    yield c
    c.close()


@pytest.fixture
def other_api_client(app: Any, other_org_ids: tuple[int, int]) -> Iterator[Any]:
    c = api_login(app, "owner@rival.test")
    yield c
    c.close()


class CliResult:
    def __init__(self, exit_code: int, stdout: str, stderr: str):
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        import json

        return json.loads(self.stdout)


@pytest.fixture
def cli(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run ``xborder ARGS`` in-process on this test's database (``--db`` for SQLite,
    ``DATABASE_URL`` for PostgreSQL). ``input`` feeds stdin."""
    from typer.testing import CliRunner

    from xborder.entrypoints.cli import app as cli_app

    def run(*args: str, input: str | None = None, org: str | None = None) -> CliResult:
        argv: list[str] = []
        monkeypatch.setenv("XBORDER_DATA_DIR", str(settings.data_dir))  # not the user's data folder
        if settings.is_sqlite:
            argv += ["--db", settings.database_url.removeprefix("sqlite:///")]
        else:
            monkeypatch.setenv("DATABASE_URL", settings.database_url)
        if org:
            argv += ["--org", org]
        runner = CliRunner()
        result = runner.invoke(cli_app, argv + list(args), input=input, catch_exceptions=False)
        stderr = ""
        try:
            stderr = result.stderr
        except ValueError:
            pass
        return CliResult(result.exit_code, result.stdout, stderr)

    return run


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = default_shared_data_dir()
    if path is None or not path.is_dir():
        pytest.skip("../shared/data (public reference files) is not present beside the checkout")
    return path

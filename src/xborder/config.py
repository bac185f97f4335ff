"""Typed settings, built once at start-up and passed down (never read at import time).

Resolution order for the database: explicit ``--db PATH`` / ``database_url`` argument, then the
``DATABASE_URL`` environment variable, then a SQLite file in the user's data directory.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "xborder"


def default_data_dir() -> Path:
    return Path(os.environ.get("XBORDER_DATA_DIR") or user_data_dir(APP_NAME, appauthor=False))


def sqlite_url(path: str | Path) -> str:
    return f"sqlite:///{Path(path).expanduser().resolve()}"


def normalise_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given in the common short forms."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def default_shared_data_dir() -> Path | None:
    """Where the public reference files live (``../shared/data`` beside a checkout)."""
    env = os.environ.get("XBORDER_SHARED_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data"
        if (parent / "pyproject.toml").exists() and candidate.is_dir():
            return candidate
    cwd_candidate = Path.cwd().parent / "shared" / "data"
    return cwd_candidate if cwd_candidate.is_dir() else None


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    secret_key: str
    cookie_secure: bool = False
    session_days: int = 14
    login_max_failures: int = 5
    login_window_minutes: int = 15
    default_language: str = "zh_CN"
    shared_data_dir: Path | None = None
    org_name: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]


def _secret_key(data_dir: Path) -> str:
    env = os.environ.get("XBORDER_SECRET_KEY")
    if env:
        return env
    key_file = data_dir / "secret_key"
    try:
        if key_file.exists():
            return key_file.read_text().strip()
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key
    except OSError:
        return secrets.token_urlsafe(48)


def load_settings(db: str | Path | None = None, database_url: str | None = None, org: str | None = None) -> Settings:
    data_dir = default_data_dir()
    if database_url:
        url = normalise_database_url(database_url)
    elif db:
        url = sqlite_url(db)
    elif os.environ.get("DATABASE_URL"):
        url = normalise_database_url(os.environ["DATABASE_URL"])
    else:
        data_dir.mkdir(parents=True, exist_ok=True)
        url = sqlite_url(data_dir / "xborder.sqlite3")
    return Settings(
        database_url=url,
        data_dir=data_dir,
        secret_key=_secret_key(data_dir),
        cookie_secure=os.environ.get("XBORDER_COOKIE_SECURE", "").lower() in {"1", "true", "yes"},
        shared_data_dir=default_shared_data_dir(),
        org_name=org or os.environ.get("XBORDER_ORG"),
    )

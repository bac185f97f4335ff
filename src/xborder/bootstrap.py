"""Wiring: which business-process packages exist, and discovery of their parts.

Every process package may provide, by convention:

* ``orm.py``        SQLAlchemy models (imported so Alembic and the metadata see them)
* ``cli.py``        ``app: typer.Typer`` (mounted as ``xborder <name>``) and/or ``register(root_app)``
* ``api.py``        ``router: fastapi.APIRouter`` (mounted under ``/api/v1``)
* ``web.py``        ``router: fastapi.APIRouter`` (server-rendered pages)
* ``locale/<lang>/LC_MESSAGES/messages.po``  the package's own translations

Adding a process means adding a package here; no central file lists its commands or routes.
"""

from __future__ import annotations

import importlib
import importlib.util
from types import ModuleType

from sqlalchemy.orm import Session, sessionmaker

from xborder.config import Settings
from xborder.db import make_engine, session_factory

PACKAGES: tuple[str, ...] = (
    "accounts",
    "catalog",
    "reference",
    "customs",
    "hs",
    "logistics",
    "fx",
    "sales",
    "payments",
    "profit",
    "rebate",
    "selection",
    "procurement",
    "listings",
    "demo",
)


def optional_module(package: str, role: str) -> ModuleType | None:
    name = f"xborder.{package}.{role}"
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        return None
    if spec is None:
        return None
    return importlib.import_module(name)


def modules(role: str) -> list[ModuleType]:
    return [m for p in PACKAGES if (m := optional_module(p, role)) is not None]


def load_models() -> None:
    importlib.import_module("xborder.importing")  # import_batches
    modules("orm")


class Container:
    """What a running process needs: settings, engine, session factory."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine = make_engine(settings)
        self.sessions: sessionmaker[Session] = session_factory(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

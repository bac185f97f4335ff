"""Engine, declarative base, exact decimal columns and the unit of work.

Money and quantities are stored as *scaled integers* (``ScaledDecimal``): the column is a
BIGINT holding ``value * 10**scale``. SQLite has no decimal type (a ``Numeric`` column there is
a binary float), so this is the one representation that is exact, identical and summable in SQL
on both SQLite and PostgreSQL. A value with more decimals than the column's scale is refused,
never silently rounded.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    create_engine,
    event,
    inspect,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from xborder.config import Settings
from xborder.errors import ValidationError

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class ScaledDecimal(TypeDecorator[Decimal]):
    """Exact decimal stored as a BIGINT of ``value * 10**scale`` (see module docstring).

    Range: about ±9.2e18 / 10**scale (±922 trillion at scale 4).
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = 4):
        super().__init__()
        self.scale = scale
        self._factor = Decimal(10) ** scale

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("floats are not stored: pass a Decimal")
        value = Decimal(value)
        scaled = value * self._factor
        if scaled != scaled.to_integral_value():
            raise ValidationError(f"{value} has more than {self.scale} decimal places")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / self._factor).quantize(Decimal(1).scaleb(-self.scale))

    def process_literal_param(self, value: Any, dialect: Any) -> str:
        return str(self.process_bind_param(value, dialect))

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal

    def __repr__(self) -> str:  # how Alembic autogenerate renders the type
        return f"ScaledDecimal({self.scale})"


Money4 = ScaledDecimal(4)  # money amounts: covers 3-decimal currencies and fee fractions
Qty = ScaledDecimal(4)  # quantities, weights (g), dimensions (cm)
Rate = ScaledDecimal(8)  # rates and fractions


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, nullable=False)


class OrgScoped(TimestampMixin):
    """Every business row belongs to exactly one organisation."""

    org_id: Mapped[int] = mapped_column(Integer, ForeignKey("organisations.id", ondelete="CASCADE"), index=True)


def make_engine(settings: Settings | str, **kwargs: Any) -> Engine:
    url = settings if isinstance(settings, str) else settings.database_url
    if url.startswith("sqlite"):
        path = url.split("sqlite:///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@functools.cache
def text_limits(model: type) -> dict[str, int]:
    """The length of every limited text column of an ORM class, by attribute name."""
    out: dict[str, int] = {}
    for attr in inspect(model).column_attrs:
        col_type = attr.columns[0].type
        length = getattr(col_type, "length", None)
        if length and isinstance(col_type, String):
            out[attr.key] = length
    return out


def too_long(model: type, record: object, *, skip: Collection[str] = ()) -> list[tuple[str, str]]:
    """``(attribute, message)`` for each text of ``record`` (a parsed row with the ORM class's
    attribute names, or a mapping of them) longer than ``model``'s column: importers report these with the row's line
    before anything is written (PostgreSQL would refuse the row with a bare database error,
    SQLite would keep it silently). ``skip``: attributes the importer shortens on purpose.

    >>> from xborder.accounts.orm import Organisation
    >>> class Row: name = "x" * 500
    >>> too_long(Organisation, Row())  # doctest: +ELLIPSIS
    [('name', 'at most ... characters (500 given)')]
    """
    found = []
    for key, length in text_limits(model).items():
        value = record.get(key) if isinstance(record, Mapping) else getattr(record, key, None)
        if key not in skip and isinstance(value, str) and len(value) > length:
            found.append((key, f"at most {length} characters ({len(value)} given)"))
    return found


@event.listens_for(Session, "before_flush")
def _check_text_lengths(session: Session, _context: Any, _instances: Any) -> None:
    """A text longer than its column is the user's error on both databases: PostgreSQL would
    refuse it with a database error, SQLite would keep it silently. Named by field here."""
    for obj in (*session.new, *session.dirty):
        for key, message in too_long(type(obj), inspect(obj).dict):  # loaded values only: no refresh
            raise ValidationError(f"{key}: {message}", field=key)


class UnitOfWork:
    """Owns one transaction. Services receive it and never commit on their own.

    >>> # with UnitOfWork(factory) as uow: service.do(uow, ...); uow.commit()
    """

    def __init__(self, factory: Callable[[], Session]):
        self._factory = factory
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = self._factory()
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        try:
            if exc_type is not None:
                self.session.rollback()
            else:
                # anything not committed explicitly is discarded
                self.session.rollback()
        finally:
            self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def flush(self) -> None:
        self.session.flush()


@contextmanager
def transaction(factory: Callable[[], Session]) -> Iterator[Session]:
    """A session that commits when the block ends without error."""
    with UnitOfWork(factory) as uow:
        yield uow.session
        uow.commit()


# --- migrations -------------------------------------------------------------------------

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(settings: Settings | str, revision: str = "heads") -> None:
    """Bring the database to the newest schema (every package branch)."""
    from alembic import command

    url = settings if isinstance(settings, str) else settings.database_url
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()


def current_heads(settings: Settings | str) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    url = settings if isinstance(settings, str) else settings.database_url
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()


def script_heads() -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def pending_revisions(settings: Settings | str) -> set[str]:
    """Revisions of any package branch not yet applied (empty when the schema is current)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    everything = {r.revision for r in script.walk_revisions()}
    heads = current_heads(settings)
    applied = {r.revision for r in script.iterate_revisions(tuple(heads), "base")} if heads else set()
    return everything - applied

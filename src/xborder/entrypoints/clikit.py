"""Helpers shared by every CLI command: state from the global options, error translation,
JSON output and input."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console, ConsoleDimensions
from sqlalchemy.exc import StatementError

from xborder.accounts import service as accounts
from xborder.accounts.model import Role
from xborder.accounts.service import Principal
from xborder.bootstrap import Container
from xborder.config import Settings, load_settings
from xborder.db import UnitOfWork
from xborder.errors import ImportRejected, ValidationError, XborderError, input_error_from
from xborder.money import Money


class _Console(Console):
    """Rich's console, 200 columns wide when the output is not a terminal and COLUMNS is unset
    (rich would take 80 and cut amounts to "8950.…" in a table piped to a file or a pager)."""

    @property  # type: ignore[override]
    def size(self) -> ConsoleDimensions:
        dims = Console.size.fget(self)  # type: ignore[attr-defined]
        if self._width is None and "COLUMNS" not in self._environ and not _any_terminal():
            return ConsoleDimensions(max(dims.width, PIPE_WIDTH), dims.height)
        return dims  # type: ignore[no-any-return]

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        Console.size.fset(self, new_size)  # type: ignore[attr-defined]


PIPE_WIDTH = 200


def _any_terminal() -> bool:
    for fd in (0, 1, 2):
        try:
            os.get_terminal_size(fd)
            return True
        except (AttributeError, ValueError, OSError):
            continue
    return False


console = _Console(stderr=False, highlight=False, soft_wrap=True)
err_console = _Console(stderr=True, highlight=False, soft_wrap=True)


class CliState:
    """Built from the root options ``--db`` and ``--org``; the container is created lazily
    (and the schema upgraded on first use, so a new database just works)."""

    def __init__(self, db: str | None = None, org: str | None = None):
        self.db = db
        self.org_name = org
        self._settings: Settings | None = None
        self._container: Container | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(db=self.db, org=self.org_name)
        return self._settings

    @property
    def container(self) -> Container:
        if self._container is None:
            from xborder.db import pending_revisions, upgrade

            if pending_revisions(self.settings):
                upgrade(self.settings)
            self._container = Container(self.settings)
        return self._container

    @contextmanager
    def uow(self) -> Iterator[UnitOfWork]:
        with UnitOfWork(self.container.sessions) as uow:
            yield uow

    def org_id(self, uow: UnitOfWork) -> int:
        org = accounts.resolve_cli_org(uow.session, self.org_name)
        return org.id

    def principal(self, uow: UnitOfWork) -> Principal:
        """The CLI acts as the organisation's owner (it runs with the database's rights)."""
        org_id = self.org_id(uow)
        return Principal(user_id=0, org_id=org_id, role=Role.OWNER, email="cli")


def state(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if not isinstance(root.obj, CliState):
        root.obj = CliState()
    return root.obj


def to_jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Money):
        return {"amount": value.to_str(), "currency": value.currency}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "to_dict"):
            return to_jsonable(value.to_dict())
        return to_jsonable(asdict(value))
    if hasattr(value, "model_dump"):
        return to_jsonable(value.model_dump(mode="json"))
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, float):
        raise TypeError("float in output: money and quantities must be Decimal")
    return value


def dumps(data: Any, indent: int | None = 2) -> str:
    return json.dumps(to_jsonable(data), ensure_ascii=False, indent=indent)


def print_json(data: Any) -> None:
    sys.stdout.write(dumps(data) + "\n")
    sys.stdout.flush()


def read_json_input(source: str) -> Any:
    """Read JSON from a file path or ``-`` (stdin). Numbers with decimals are parsed as Decimal."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text("utf-8")
    except OSError as exc:
        raise ValidationError(f"--json-in: cannot read {source}: {exc.strerror}", field="json-in") from None
    except UnicodeDecodeError as exc:
        raise ValidationError(f"--json-in: {source} is not UTF-8 text (byte {exc.start}): save it as UTF-8",
                              field="json-in") from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"--json-in: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
                              field="json-in") from None


@contextmanager
def errors(json_out: bool = False) -> Iterator[None]:
    """Translate XborderError to a one-line reason (or a JSON error object) and an exit code."""
    try:
        yield
    except typer.Exit:
        raise
    except ImportRejected as exc:
        if json_out:
            print_json({"imported": 0, "skipped_duplicates": 0, **exc.to_dict()})
        else:
            err_console.print(f"[red]error[/red] {exc.code}: {exc.message}")
            for e in exc.errors[:200]:
                where = f"{e['file']}: " if e.get("file") else ""
                col = f", {e['column']}" if e.get("column") not in (None, "") else ""
                err_console.print(f"  {where}line {e['line']}{col}: {e['message']}", markup=False)
            if len(exc.errors) > 200:
                err_console.print(f"  … and {len(exc.errors) - 200} more")
        raise typer.Exit(exc.exit_code) from None
    except XborderError as exc:
        _print_error(exc, json_out)
    except (OverflowError, StatementError) as exc:  # e.g. a 20-digit id: the database cannot hold it
        err = input_error_from(exc)
        if err is None:
            raise
        _print_error(err, json_out)
    except FileNotFoundError as exc:
        _file_error("FILE_NOT_FOUND", f"file not found: {exc.filename}", json_out)
    except (IsADirectoryError, NotADirectoryError, PermissionError) as exc:
        _file_error("FILE_ERROR", f"cannot use {exc.filename}: {exc.strerror}", json_out)


def _print_error(exc: XborderError, json_out: bool) -> NoReturn:
    if json_out:
        print_json({"error": exc.to_dict(), **exc.to_dict()})
    else:
        err_console.print(f"error {exc.code}: {exc.message}", markup=False)
    raise typer.Exit(exc.exit_code) from None


def _file_error(code: str, msg: str, json_out: bool) -> NoReturn:
    if json_out:
        print_json({"code": code, "message": msg})
    else:
        err_console.print(f"error {code}: {msg}", markup=False)
    raise typer.Exit(2) from None


def opt_date(value: str | None, option: str) -> date | None:
    """An optional ``YYYY-MM-DD`` option; a bad one is a ValidationError naming the option."""
    from xborder.importing import iso_date

    return iso_date(value, option)


def write_table(table: Any, fmt: str, out: Path | None) -> None:
    """A :class:`xborder.tabular.Table` to ``out`` (CSV may go to standard output; XLSX needs a file)."""
    if fmt == "xlsx" and out is None:
        raise ValidationError("--out: an Excel file needs --out FILE", field="out")
    body = table.encode(fmt)
    if out is None:
        sys.stdout.write(body.decode("utf-8-sig"))
        sys.stdout.flush()
        return
    out.write_bytes(body)
    err_console.print(f"wrote {out} ({len(table.rows)} rows)")

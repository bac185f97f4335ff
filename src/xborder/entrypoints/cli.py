"""The ``xborder`` command. Each process package adds its commands through ``cli.register``."""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from xborder import __version__
from xborder.bootstrap import modules
from xborder.entrypoints import clikit
from xborder.entrypoints.clikit import CliState, console, err_console

if TYPE_CHECKING:
    from rich.progress import TaskID

    from xborder.reference.service import SyncOutcome

app = typer.Typer(
    name="xborder",
    help="Xborder: operations for micro-multinationals (catalog, customs, logistics, payouts, FX, rebate).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
user_app = typer.Typer(help="Users and organisations.", no_args_is_help=True)
data_app = typer.Typer(help="Public reference data (HS, tariffs, VAT, FX) with provenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(data_app, name="data")


def _version(value: bool) -> None:
    if value:
        console.print(f"xborder {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(None, "--db", help="SQLite database file (default: DATABASE_URL, else the user data directory)."),
    org: str | None = typer.Option(None, "--org", help="Organisation name (created on first use when missing)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    ctx.obj = CliState(db=db, org=org)


# --- db ---------------------------------------------------------------------------------


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Create or upgrade the schema to the newest version (every package's migrations)."""
    from xborder.db import current_heads, upgrade

    st = clikit.state(ctx)
    with clikit.errors():
        upgrade(st.settings)
        heads = sorted(current_heads(st.settings))
    console.print(f"database at {', '.join(heads)} ({_safe_url(st.settings.database_url)})")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Show the schema versions applied."""
    from xborder.db import current_heads, pending_revisions

    st = clikit.state(ctx)
    cur, pending = current_heads(st.settings), pending_revisions(st.settings)
    console.print(f"applied: {', '.join(sorted(cur)) or '(empty)'}")
    if pending:
        console.print("upgrade needed: run `xborder db upgrade`")
        raise typer.Exit(1)


def _safe_url(url: str) -> str:
    if "@" in url:
        head, tail = url.split("@", 1)
        scheme = head.split("://", 1)[0]
        return f"{scheme}://***@{tail}"
    return url


# --- users ------------------------------------------------------------------------------


@user_app.command("create")
def user_create(
    ctx: typer.Context,
    email: str = typer.Argument(..., help="Login email."),
    password: str | None = typer.Option(None, "--password", help="Password (prompted when omitted)."),
    role: str = typer.Option("owner", "--role", help="owner | operator | finance | viewer"),
    name: str = typer.Option("", "--name"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Create a user (or add an existing one) in the --org organisation."""
    from xborder.accounts import service as accounts

    st = clikit.state(ctx)
    if password is None:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with clikit.errors(json_out), st.uow() as uow:
        org = accounts.resolve_cli_org(uow.session, st.org_name)
        user = accounts.get_user_by_email(uow.session, email) or accounts.create_user(uow.session, email, password, name=name)
        accounts.add_member(uow.session, org, user, role)
        uow.commit()
        out = {"email": user.email, "org": org.name, "role": role}
    if json_out:
        clikit.print_json(out)
    else:
        console.print(f"user {out['email']} is {role} of {out['org']}")


@user_app.command("list")
def user_list(ctx: typer.Context, json_out: bool = typer.Option(False, "--json")) -> None:
    """List the users of the --org organisation."""
    from xborder.accounts import service as accounts

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        org_id = st.org_id(uow)
        rows = [{"email": u.email, "name": u.name, "role": r} for u, r in accounts.members(uow.session, org_id)]
        uow.commit()
    if json_out:
        clikit.print_json(rows)
        return
    t = Table("email", "name", "role")
    for r in rows:
        t.add_row(r["email"], r["name"], r["role"])
    console.print(t)


@user_app.command("org-create")
def org_create(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    legal_name_zh: str = typer.Option("", "--legal-name-zh"),
    legal_name_en: str = typer.Option("", "--legal-name-en"),
    uscc: str | None = typer.Option(None, "--uscc", help="Unified social credit code (validated)."),
    base_currency: str = typer.Option("CNY", "--base-currency"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Create an organisation (a seller company)."""
    from xborder.accounts import service as accounts

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        org = accounts.create_org(uow.session, name, legal_name_zh=legal_name_zh, legal_name_en=legal_name_en,
                                  uscc=uscc, base_currency=base_currency)
        uow.commit()
        out = {"id": org.id, "name": org.name, "uscc": org.uscc, "base_currency": org.base_currency}
    clikit.print_json(out) if json_out else console.print(f"organisation {org.name} created")


# --- reference data ----------------------------------------------------------------------


def _plain_progress() -> Callable[[str, int, int], None]:
    """Progress for a sync whose stderr is not a terminal: a timestamped line when a source
    starts and at each tenth of the work its loader reports (a long sync's log is never silent)."""
    import time

    last: dict[str, int] = {}

    def progress(name: str, done: int, total: int) -> None:
        tenth = 10 * done // total if total else -1
        if last.get(name) == tenth:
            return
        last[name] = tenth
        amount = f"{done}/{total} ({100 * done // total}%)" if total else ("started" if not done else str(done))
        print(f"{time.strftime('%H:%M:%S')} {name}: {amount}", file=sys.stderr, flush=True)

    return progress


def _recorded_sync(st: CliState, from_dir: Path | None, only: list[str] | None, options: dict[str, str] | None,
                   progress: Callable[[str, int, int], None] | None = None) -> list[SyncOutcome]:
    """The sync, recorded like one started on the web page: Settings → Reference data shows its
    progress, and it is refused while another sync runs (in a server or another terminal)."""
    import getpass
    import signal
    import threading

    from xborder.reference import jobs

    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "?"

    def stop(signum: int, frame: Any) -> None:  # `kill`: end like Ctrl-C, so the sync is recorded as interrupted
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, stop) if threading.current_thread() is threading.main_thread() else None
    try:
        return jobs.runner(st.container).run_here(from_dir, only, f"command line ({who})", options, progress)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _sync_with_progress(st: CliState, from_dir: Path | None, only: list[str] | None,
                        options: dict[str, str] | None = None) -> list[SyncOutcome]:
    """Run the reference-data sync showing its progress on stderr: bars on a terminal, plain
    timestamped lines otherwise (a log file, a pipe)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    if not sys.stderr.isatty():
        return _recorded_sync(st, from_dir, only, options, _plain_progress())
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err_console) as prog:
        tasks: dict[str, TaskID] = {}

        def progress(name: str, done: int, total: int) -> None:
            if name not in tasks:  # sources run one after another: the earlier ones are done
                for task in prog.tasks:
                    if task.total is None:
                        prog.update(task.id, total=1, completed=1)
                tasks[name] = prog.add_task(name, total=total or None)
            prog.update(tasks[name], completed=done, total=total or None)

        outcomes = _recorded_sync(st, from_dir, only, options, progress)
        for task in prog.tasks:
            if task.total is None:
                prog.update(task.id, total=1, completed=1)
        return outcomes


@data_app.command("sync")
def data_sync(
    ctx: typer.Context,
    from_dir: Path | None = typer.Option(None, "--from", help="Read local copies laid out as ../shared/data instead of downloading."),
    only: list[str] | None = typer.Option(None, "--only", help="Sync only this source (repeatable)."),
    hs_encoder: str | None = typer.Option(
        None, "--hs-encoder", help="HS classifier: minilm-tuned (the full model, default, ~25 min), none (the quick "
                                   "TF-IDF-only model, ~1 min, lower accuracy), minilm, minilm-int8."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Load public reference data into the store, with provenance; re-running is idempotent."""
    st = clikit.state(ctx)
    options = {"hs_encoder": hs_encoder} if hs_encoder else {}
    with clikit.errors(json_out):
        outcomes = (_recorded_sync(st, from_dir, only, options) if json_out
                    else _sync_with_progress(st, from_dir, only, options))
    failed = [o for o in outcomes if o.status == "failed"]
    if json_out:
        clikit.print_json({"sources": [o.to_dict() for o in outcomes]})
    else:
        t = Table("source", "status", "rows", "version", "message")
        for o in outcomes:
            t.add_row(o.name, o.status, str(o.rows), o.version, o.message)
        console.print(t)
    if failed:
        raise typer.Exit(1)


@data_app.command("sources")
def data_sources(ctx: typer.Context, json_out: bool = typer.Option(False, "--json")) -> None:
    """List the known sources and what has been loaded."""
    from xborder.reference import service as reference

    st = clikit.state(ctx)
    with st.uow() as uow:
        loads = [{"name": d.name, "version": d.version, "rows": d.rows, "sha256": d.sha256, "origin": d.origin,
                  "superseded": d.superseded, "loaded_at": d.loaded_at} for d in reference.history(uow.session)]
    sources = [{"name": s.name, "description": s.description, "local_path": s.local_path, "url": s.url}
               for s in reference.all_sources()]
    if json_out:
        clikit.print_json({"sources": sources, "loads": loads})
        return
    t = Table("source", "file", "description")
    for s in sources:
        t.add_row(s["name"], s["local_path"], s["description"])
    console.print(t)


# --- serve and demo ----------------------------------------------------------------------


def _warm_fx(container) -> None:  # type: ignore[no-untyped-def]
    """Read the FX history (the wheel's ECB copy and the stored rates, about 6 s of CPU) in the
    background while the server starts, so the first dashboard or profit page does not wait for it."""
    import threading

    def work() -> None:
        from xborder.fx.service import converter

        try:
            with container.sessions() as s:
                converter(s)
        except Exception:  # noqa: BLE001 - only a warm-up: the first page reads them itself
            pass

    threading.Thread(target=work, name="xborder-warm-fx", daemon=True).start()


def _serve(settings, host: str, port: int, open_browser: bool, after_create=None) -> None:  # type: ignore[no-untyped-def]
    import uvicorn

    from xborder.entrypoints.app import create_app

    app_ = create_app(settings)
    if after_create is not None:
        after_create(app_)
    _warm_fx(app_.state.container)
    url = f"http://{host}:{port}"
    if open_browser:
        try:
            webbrowser.open(url)
        except Exception:  # noqa: BLE001 - no browser is fine
            pass
    uvicorn.run(app_, host=host, port=port, log_level="info")


@app.command("serve")
def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    open_browser: bool = typer.Option(False, "--open/--no-open"),
) -> None:
    """Serve the web UI and the HTTP API."""
    from xborder.db import upgrade

    st = clikit.state(ctx)
    with clikit.errors():
        upgrade(st.settings)
    console.print(f"Xborder on http://{host}:{port}  (database: {_safe_url(st.settings.database_url)})")
    _serve(st.settings, host, port, open_browser)


@app.command("demo")
def demo(
    ctx: typer.Context,
    port: int = typer.Option(8000, "--port"),
    host: str = typer.Option("127.0.0.1", "--host"),
    password: str = typer.Option("demo-password", "--password", help="Password of demo@example.com."),
    open_browser: bool = typer.Option(True, "--open/--no-open"),
    build_only: bool = typer.Option(False, "--build-only", help="Create the demo company and exit."),
    reference: bool = typer.Option(True, "--reference/--no-reference",
                                   help="Load the public reference data (tariffs, VAT, HS, ECB rates) from ../shared/data."),
    with_classifier: bool = typer.Option(False, "--with-classifier",
                                         help="Learn the full HS classifier (about 25 minutes on 2 cores on first run: it fine-tunes the sentence encoder and encodes about 48,000 texts). Without it the demo learns the quick TF-IDF-only model (about a minute) when no classifier is loaded yet."),
) -> None:
    """Create (or reuse) the demo company in the database and serve it on localhost."""
    from xborder.db import upgrade
    from xborder.demo.service import DEMO_EMAIL, build_demo

    st = clikit.state(ctx)
    with clikit.errors():
        upgrade(st.settings)
        console.print("Building the demo company (first run takes a moment)…")
        report = build_demo(st.container.sessions, password=password, shared_data=st.settings.shared_data_dir,
                            log=lambda m: console.print(f"  · {m}"))
        quick = _demo_reference(st, reference, with_classifier, in_background=not build_only)
    console.print(f"\nDemo company: [bold]{report['org']}[/bold]  ({report['skus']} SKUs)")
    console.print(f"Log in at [bold]http://{host}:{port}/login[/bold] as [bold]{DEMO_EMAIL}[/bold] "
                  f"with password [bold]{password}[/bold]")
    if build_only:
        return
    _serve(st.settings, host, port, open_browser, _learn_quick_classifier if quick else None)


def _learn_quick_classifier(app_: Any) -> None:
    """Start learning the quick HS classifier in the server's background (about a minute; its
    progress shows on Settings → Reference data), so that the demo answers at once."""
    from xborder import errors as xborder_errors
    from xborder.demo.service import DEMO_EMAIL
    from xborder.reference import jobs

    try:
        jobs.runner(app_.state.container).start("local", ["hs-classifier"], DEMO_EMAIL, {"hs_encoder": "none"})
        console.print("  · learning the quick HS classifier in the background (about a minute; progress on "
                      "Settings → Reference data)")
    except xborder_errors.XborderError as exc:  # e.g. no local reference folder: the pages say how to sync
        console.print(f"  · HS classifier not learned: {exc.message}")


def _demo_reference(st: CliState, reference: bool, with_classifier: bool, in_background: bool = False) -> bool:
    """Load the reference data the demo's pages use from ../shared/data (unchanged files are
    skipped). Returns True when the quick HS classifier is still to be learned in the server's
    background (``in_background``); without it, it is learned here."""
    from xborder.reference import service as ref

    shared = st.settings.shared_data_dir
    if not reference:
        return False
    if shared is None or not shared.is_dir():
        console.print("  · reference data: ../shared/data not found; landed cost and HS search need "
                      "`xborder data sync --from DIR` (skipped)")
        return False
    names = [src.name for src in ref.all_sources() if with_classifier or src.name != "hs-classifier"]
    outcomes = _sync_with_progress(st, shared, names)  # the full classifier alone takes 25 minutes
    has_classifier = any(src.name == "hs-classifier" for src in ref.all_sources())
    quick = False
    if has_classifier and not with_classifier:
        with st.container.sessions() as s:
            quick = ref.current(s, "hs-classifier") is None
        if quick and not in_background:  # suggestions work from the first visit; the full model can come later
            console.print("  · learning the quick HS classifier (TF-IDF only, about a minute)…")
            outcomes += _sync_with_progress(st, shared, ["hs-classifier"], {"hs_encoder": "none"})
            quick = False
    loaded = [f"{o.name} ({o.rows})" for o in outcomes if o.status == "loaded"]
    console.print(f"  · reference data from {shared}: " + (f"loaded {', '.join(loaded)}" if loaded else "up to date"))
    if has_classifier and not with_classifier:
        from xborder.hs.service import classifier_info

        with st.container.sessions() as s:
            info = classifier_info(s)
        if info is None or info["kind"] == "quick":
            console.print("  · HS classifier: the quick model (lower accuracy). Learn the full one (about 25 minutes) "
                          "on Settings → Reference data (/settings/data) in the web app, with `xborder demo "
                          "--with-classifier`, or `xborder --db DB data sync --from ../shared/data --only hs-classifier`")
    return quick


def _register_packages() -> None:
    for m in modules("cli"):
        register = getattr(m, "register", None)
        if register:
            register(app)


_register_packages()


GLOBAL_OPTIONS = ("--db", "--org")


def hoist_global_options(argv: list[str]) -> list[str]:
    """Accept the global options anywhere: ``xborder demo --db X`` == ``xborder --db X demo``.

    >>> hoist_global_options(["demo", "--db", "x.sqlite3", "--no-open"])
    ['--db', 'x.sqlite3', 'demo', '--no-open']
    >>> hoist_global_options(["import", "orders", "--org=Shop", "f.csv"])
    ['--org=Shop', 'import', 'orders', 'f.csv']
    """
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest.extend(argv[i:])
            break
        if arg in GLOBAL_OPTIONS and i + 1 < len(argv):
            front += [arg, argv[i + 1]]
            i += 2
            continue
        if any(arg.startswith(o + "=") for o in GLOBAL_OPTIONS):
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app(args=hoist_global_options(sys.argv[1:]), prog_name="xborder")


if __name__ == "__main__":  # pragma: no cover
    main()


"""CLI: ``xborder landed-cost`` (contract) and ``xborder customs ...``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from xborder.customs import service
from xborder.entrypoints import clikit
from xborder.importing import decode


def _auto_sync(st: clikit.CliState, data: Any) -> None:
    """Load the destination's tariff from the local shared data folder if it was never loaded."""
    from xborder.config import default_shared_data_dir
    from xborder.customs.regimes.eu import MEMBERS
    from xborder.reference import service as reference

    if not isinstance(data, dict) or not isinstance(data.get("lines"), list):
        return
    dest = str(data.get("destination") or "").upper()
    schedule = "US" if dest == "US" else "GB" if dest in ("GB", "UK") else "EU" if dest in MEMBERS else None
    if schedule is None:
        return
    if all(isinstance(ln, dict) and ln.get("duty_rate") not in (None, "") for ln in data["lines"]):
        return
    with st.uow() as uow:
        if service.DbTariffs(uow.session).has(schedule):
            return
    shared = default_shared_data_dir()
    name = "us-hts" if schedule == "US" else "uk-tariff"
    if shared is None or not shared.is_dir():
        return
    outcomes = reference.sync(st.container.sessions, shared, [name])
    for o in outcomes:
        clikit.err_console.print(f"reference data {o.name}: {o.status} {o.rows} rows from {shared} "
                                 f"(sha256 {o.sha256[:12]}) {o.message}", markup=False)


customs_app = typer.Typer(help="Customs: destination rules, screening, China export declarations, documents.",
                          no_args_is_help=True)


def _month(value: str) -> tuple[int, int]:
    try:
        y, m = value.split("-")
        return int(y), int(m)
    except ValueError:
        from xborder.errors import ValidationError

        raise ValidationError(f"month: {value!r} is not YYYY-MM", field="month") from None


def register(app: typer.Typer) -> None:
    @app.command("landed-cost")
    def landed_cost(
        ctx: typer.Context,
        json_in: str = typer.Option(..., "--json-in", help="JSON shipment file, '-' for stdin"),
        fx_max_gap_days: int = typer.Option(
            service.CUSTOMS_FX_MAX_GAP_DAYS, "--fx-max-gap-days",
            help="oldest ECB rate (days before the date) accepted for customs valuation; the gap is shown",
        ),
        auto_sync: bool = typer.Option(
            True, "--auto-sync/--no-auto-sync",
            help="when the destination's tariff was never loaded, load it from the local ../shared/data copy "
                 "(with provenance; never from the network) and say so on stderr",
        ),
    ) -> None:
        """Duty, taxes and fees the destination charges, where they are collected, and why (JSON)."""
        with clikit.errors(json_out=True):
            data = clikit.read_json_input(json_in)
            st = clikit.state(ctx)
            if auto_sync:
                _auto_sync(st, data)
            with st.uow() as uow:
                principal = st.principal(uow)
                result = service.quote_landed_cost(uow.session, principal.org_id, data, fx_max_gap_days=fx_max_gap_days)
                uow.commit()
            clikit.print_json(result)

    app.add_typer(customs_app, name="customs")


@customs_app.command("rules")
def rules(
    country: str = typer.Option(None, "--country", help="ISO alpha-2 destination (all when omitted)"),
    on: str = typer.Option(None, "--date", help="only rules in force on this date (YYYY-MM-DD)"),
    as_json: bool = typer.Option(False, "--json"),
    lang: str = typer.Option("en", "--lang", help="Language of the table: en or zh (the JSON has title and title_zh)."),
    fmt: str = typer.Option("", "--format", help="csv | xlsx: the rules as a file (or CSV on stdout)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file for --format."),
) -> None:
    """Browse the dated destination rules and their sources."""
    from xborder import i18n
    from xborder.customs.browse import rule_rows, rules_table
    from xborder.errors import ValidationError

    with clikit.errors(json_out=as_json):
        code = i18n.normalise(lang)
        if code is None:
            raise ValidationError(f"--lang: {lang!r} is not en or zh", field="lang")
        if fmt:
            clikit.write_table(rules_table(country, clikit.opt_date(on, "--date")), fmt, out)
            return
        rows = rule_rows(country, clikit.opt_date(on, "--date"))
        if as_json:
            clikit.print_json({"rules": rows})
            return
        from rich.console import Console
        from rich.table import Table

        def _(text: str) -> str:
            return i18n.gettext(code, text)

        t = Table(_("Country"), _("Rule"), _("Title"), _("Valid from"), _("Valid to"), _("Source"))
        for r in rows:
            title = (r["title_zh"] or r["title"]) if code == "zh_CN" else r["title"]
            if r["verify"]:
                title += f" ({_('to verify')})"
            t.add_row(r["country"], r["id"], title, r["valid_from"], r["valid_to"] or "", r["source"])
        Console().print(t)


@customs_app.command("tariff-lines")
def tariff_lines_cmd(ctx: typer.Context, market: str = typer.Option(None, "--market", help="US, EU or GB (all when omitted)"),
                     as_json: bool = typer.Option(False, "--json")) -> None:
    """SKUs whose HS code carries several rates in a market's tariff, with the candidate lines to pick from."""
    from xborder.customs import tariff_lines

    with clikit.errors(json_out=as_json):
        st = clikit.state(ctx)
        with st.uow() as uow:
            rows = [r.to_dict() for r in tariff_lines.missing_lines(uow.session, st.principal(uow), market)]
        if as_json:
            clikit.print_json({"missing": rows})
            return
        from rich.table import Table

        t = Table("sku", "market", "hs_code", "why", "candidate lines (code rate)")
        for r in rows:
            t.add_row(r["sku"], r["market"], r["hs_code"], r["note"], "; ".join(f"{c['code']} {c['rate']}" for c in r["candidates"]))
        clikit.console.print(t)
        typer.echo(f"{len(rows)} SKU/market pair(s) need a line: xborder customs set-tariff-line SKU MARKET CODE")


@customs_app.command("set-tariff-line")
def set_tariff_line_cmd(ctx: typer.Context, sku: str, market: str, code: str) -> None:
    """Record a SKU's own tariff line for a market (US, EU or GB); it must extend the SKU's HS code."""
    from xborder.customs import tariff_lines

    with clikit.errors(json_out=True):
        st = clikit.state(ctx)
        with st.uow() as uow:
            row = tariff_lines.set_line(uow.session, st.principal(uow), sku, market, code)
            uow.commit()
            field = tariff_lines.MARKET_FIELDS[market.strip().upper()]
            clikit.print_json({"sku": row.sku, "market": market.strip().upper(), field: getattr(row, field)})


@customs_app.command("screen")
def screen(
    ctx: typer.Context,
    json_in: str = typer.Option(..., "--json-in", help="shipment JSON (destination, lines with description/hs_code/sku/flags)"),
    carrier: str = typer.Option(None, "--carrier", help="post | air_express | air_freight | sea | rail | truck"),
) -> None:
    """Restricted-goods flags for a shipment before booking (JSON; exit code 1 when something is blocked)."""
    with clikit.errors(json_out=True):
        data = clikit.read_json_input(json_in)
        st = clikit.state(ctx)
        with st.uow() as uow:
            out = service.screen_with_catalog(uow.session, st.principal(uow).org_id, data, carrier)
            uow.commit()
        clikit.print_json(out)
        if out["result"] == "block":
            raise typer.Exit(1)


@customs_app.command("extra-duties")
def extra_duties(ctx: typer.Context) -> None:
    """Extra duty rows in force for the organisation (shipped rows + its own), as JSON."""
    with clikit.errors(json_out=True):
        st = clikit.state(ctx)
        with st.uow() as uow:
            principal = st.principal(uow)
            rows = service.extra_duties(uow.session, principal.org_id)
            uow.commit()
        clikit.print_json({"extra_duties": [
            {"programme": e.programme, "destination": e.destination, "origin": e.origin, "hs_prefix": e.hs_prefix,
             "rate": e.rate, "valid_from": e.valid_from, "valid_to": e.valid_to, "source": e.source, "note": e.note}
            for e in rows]})


@customs_app.command("extra-duty-import")
def extra_duty_import(ctx: typer.Context, path: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Add or override extra duty rows from a CSV (programme,destination,origin,hs_prefix,rate,valid_from,valid_to,source,note)."""
    with clikit.errors(json_out=True):
        st = clikit.state(ctx)
        with st.uow() as uow:
            principal = st.principal(uow)
            result = service.import_extra_duties(uow.session, principal, decode(path.read_bytes())[0])
            uow.commit()
        clikit.print_json(result)


@customs_app.command("declare")
def declare(
    ctx: typer.Context,
    json_in: str = typer.Option(..., "--json-in", help="declaration JSON (see docs/customs.md), '-' for stdin"),
    out: Path = typer.Option(None, "--out", help="directory to write the CEB XML messages into"),
    dry_run: bool = typer.Option(False, "--dry-run", help="only validate (legal units included); store and write nothing"),
) -> None:
    """Validate and store a China export declaration; write its CEB messages."""
    with clikit.errors(json_out=True):
        data = clikit.read_json_input(json_in)
        st = clikit.state(ctx)
        if dry_run:
            with st.uow() as uow:
                checked = service.check_declaration_input(uow.session, st.principal(uow), data)
                uow.commit()  # nothing of the declaration is written; the --org organisation may be new
            clikit.print_json(checked)
            if not checked["valid"]:
                raise typer.Exit(2)
            return
        with st.uow() as uow:
            principal = st.principal(uow)
            row, created, warnings = service.save_declaration_checked(uow.session, principal, data)
            messages = service.declaration_messages(row)
            uow.commit()
            result: dict[str, Any] = {"id": row.id, "mode": row.mode, "order_no": row.order_no, "created": created,
                                      "messages": sorted(messages), "warnings": warnings}
        for w in warnings:
            clikit.err_console.print(f"warning: {w['field']}: {w['message']}", markup=False)
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            files = []
            for name, xml in messages.items():
                f = out / f"{name}_{row.order_no}.xml"
                f.write_text(xml, "utf-8")
                files.append(str(f))
            result["files"] = files
        clikit.print_json(result)


@customs_app.command("check")
def check(ctx: typer.Context, decl_id: int = typer.Argument(...)) -> None:
    """Check a stored declaration's codes and legal units against the organisation's rebate-rate
    library (出口退税率文库) and the loaded China tariff now (JSON: errors, warnings, sources);
    exit code 2 when there are errors."""
    with clikit.errors(json_out=True):
        st = clikit.state(ctx)
        with st.uow() as uow:
            principal = st.principal(uow)
            row = service.get_declaration(uow.session, principal, decl_id)
            result = {"id": row.id, "order_no": row.order_no, **service.declaration_check(uow.session, principal, row)}
            uow.commit()
        clikit.print_json(result)
        if result["errors"]:
            raise typer.Exit(2)


@customs_app.command("declarations")
def declarations(ctx: typer.Context, month: str = typer.Option(None, "--month", help="YYYY-MM")) -> None:
    """List stored declarations (JSON)."""
    with clikit.errors(json_out=True):
        st = clikit.state(ctx)
        with st.uow() as uow:
            principal = st.principal(uow)
            rows = service.list_declarations(uow.session, principal, month=_month(month) if month else None)
            out = [{"id": r.id, "mode": r.mode, "order_no": r.order_no, "ie_date": r.ie_date, "destination": r.destination,
                    "currency": r.currency, "status": r.status, "invt_no": r.invt_no, "return_status": r.return_status,
                    "return_time": r.return_time, "return_info": r.return_info} for r in rows]
            uow.commit()
        clikit.print_json({"declarations": out})


def _receipt_files(paths: list[Path]) -> list[tuple[str, bytes]]:
    """The files named, and the ``*.xml`` files under each folder named (sorted), as (name, content)."""
    from xborder.errors import ValidationError

    out: list[tuple[str, bytes]] = []
    for p in paths:
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() == ".xml")
            if not found:
                raise ValidationError(f"FILE: no .xml file in the folder {p}", field="files")
            out += [(str(f), f.read_bytes()) for f in found]
        elif p.is_file():
            out.append((str(p), p.read_bytes()))
        else:
            raise ValidationError(f"FILE: {p} is neither a file nor a folder", field="files")
    return out


@customs_app.command("receipt-import")
def receipt_import(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="CEB604 receipt XML files, or folders (their *.xml files)"),
) -> None:
    """Record China e-Port CEB604 receipts on the declarations (matched by copNo = order number):
    the inventory list number (清单编号, invt_no) and customs' latest status. Every file is checked
    first; any problem (file, line, reason) rejects them all and nothing is recorded (exit code 2).
    The same receipt again changes nothing."""
    with clikit.errors(json_out=True):
        files = _receipt_files(paths)
        st = clikit.state(ctx)
        with st.uow() as uow:
            result = service.import_receipts(uow.session, st.principal(uow), files)
            uow.commit()
        clikit.print_json(result)


@customs_app.command("set-invt-no")
def set_invt_no(
    ctx: typer.Context,
    decl_id: int = typer.Argument(..., metavar="DECLARATION", help="declaration id (see `customs declarations`)"),
    invt_no: str = typer.Argument(..., help="the inventory list number (清单编号) customs gave the list"),
) -> None:
    """Record a declaration's inventory list number typed in by hand (e.g. read on the single window)."""
    with clikit.errors(json_out=True):
        st = clikit.state(ctx)
        with st.uow() as uow:
            result = service.set_invt_no(uow.session, st.principal(uow), decl_id, invt_no)
            uow.commit()
        clikit.print_json(result)


@customs_app.command("receipts")
def receipts(ctx: typer.Context, decl_id: int = typer.Argument(..., metavar="DECLARATION")) -> None:
    """A declaration's list number, latest customs status and receipt history (JSON)."""
    with clikit.errors(json_out=True):
        st = clikit.state(ctx)
        with st.uow() as uow:
            principal = st.principal(uow)
            row = service.get_declaration(uow.session, principal, decl_id)
            out = {**service.receipt_state(row),
                   "receipts": [service.receipt_to_dict(r) for r in service.declaration_receipts(uow.session, principal, row)]}
            uow.commit()
        clikit.print_json(out)


@customs_app.command("message")
def message(
    ctx: typer.Context,
    decl_id: int = typer.Argument(...),
    name: str = typer.Option("CEB603", "--message", help="CEB303 | CEB403 | CEB505 | CEB603"),
) -> None:
    """Print one CEB message of a stored declaration (XML)."""
    with clikit.errors(json_out=False):
        st = clikit.state(ctx)
        with st.uow() as uow:
            principal = st.principal(uow)
            msgs = service.declaration_messages(service.get_declaration(uow.session, principal, decl_id))
            uow.commit()
        if name not in msgs:
            from xborder.errors import ValidationError

            raise ValidationError(f"message: {name} is not used by this mode (has: {', '.join(msgs) or 'none'})",
                                  field="message")
        typer.echo(msgs[name], nl=False)


@customs_app.command("summary")
def summary(
    ctx: typer.Context,
    month: str = typer.Option(..., "--month", help="YYYY-MM"),
    ceb701: bool = typer.Option(False, "--ceb701", help="print the CEB701 summary application XML of one group instead of JSON"),
    group: int = typer.Option(None, "--group", help="with --ceb701: the group number (1-based); needed when the month has several"),
    out_dir: Path = typer.Option(None, "--out-dir", help="with --ceb701: write every group's XML file into this folder"),
) -> None:
    """The monthly 9610 summary grouping (汇总申报) as JSON, or its CEB701 XML (--ceb701)."""
    with clikit.errors(json_out=not ceb701):
        y, m = _month(month)
        st = clikit.state(ctx)
        with st.uow() as uow:
            principal = st.principal(uow)
            if not ceb701:
                result = service.monthly_summary(uow.session, principal, y, m)
            else:
                msgs = service.ceb701_messages(uow.session, principal, y, m, group)
            uow.commit()
        if not ceb701:
            clikit.print_json(result)
            return
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            for name, xml in msgs.items():
                (out_dir / name).write_text(xml, encoding="utf-8")
                typer.echo(str(out_dir / name))
            return
        if len(msgs) > 1:
            from xborder.errors import ValidationError

            raise ValidationError(f"group: {y:04d}-{m:02d} has {len(msgs)} summary groups: pick one with --group 1..{len(msgs)} "
                                  "or write them all with --out-dir", field="group")
        typer.echo(next(iter(msgs.values())), nl=False)


@customs_app.command("documents")
def documents(
    ctx: typer.Context,
    json_in: str = typer.Option(..., "--json-in", help="shipment documents JSON, '-' for stdin"),
    out: Path = typer.Option(..., "--out", help="directory for the files"),
    formats: str = typer.Option("pdf,xlsx", "--formats"),
) -> None:
    """Store a shipment's document data and write the commercial invoice and packing list."""
    with clikit.errors(json_out=True):
        data = clikit.read_json_input(json_in)
        st = clikit.state(ctx)
        with st.uow() as uow:
            principal = st.principal(uow)
            row, created = service.save_docs(uow.session, principal, data)
            out.mkdir(parents=True, exist_ok=True)
            files = []
            for kind in ("invoice", "packing"):
                for fmt in [f.strip() for f in formats.split(",") if f.strip()]:
                    content, _mime, name = service.render_doc(row, kind, fmt)
                    (out / name).write_bytes(content)
                    files.append(str(out / name))
            uow.commit()
        clikit.print_json({"id": row.id, "invoice_no": row.invoice_no, "created": created, "files": files})


@customs_app.command("invoices")
def invoices(
    ctx: typer.Context,
    shipments: str = typer.Option(..., "--shipments", help="logistics shipment ids, comma separated"),
    out: Path = typer.Option(..., "--out", help="the PDF to write"),
    valid_only: bool = typer.Option(False, "--valid-only", help="print the complete drafts, list the others"),
) -> None:
    """Print the commercial invoices of several shipments, drafted from them, into one PDF; an
    incomplete draft is named with what it lacks (exit 2) unless --valid-only."""
    with clikit.errors(json_out=True):
        st = clikit.state(ctx)
        with st.uow() as uow:
            pdf, refused = service.shipment_invoices_pdf(uow.session, st.principal(uow), service.shipment_ids(shipments),
                                                         valid_only)
        out.write_bytes(pdf)
        clikit.print_json({"file": str(out), "refused": refused})


@customs_app.command("draft")
def draft(
    ctx: typer.Context,
    kind: str = typer.Argument(..., help="documents | declaration"),
    shipment: int = typer.Option(..., "--shipment", help="logistics shipment id"),
    mode: str = typer.Option("9610", "--mode", help="declaration mode: 9610 | 9710 | 9810 | 0110"),
) -> None:
    """Print a pre-filled input (JSON) from a logistics shipment, its sales order and catalog SKUs, to
    review and pass to `customs documents` / `customs declare`."""
    from xborder.customs import drafts

    with clikit.errors(json_out=True):
        if kind not in ("documents", "declaration"):
            from xborder.errors import ValidationError

            raise ValidationError("kind: documents or declaration", field="kind")
        st = clikit.state(ctx)
        with st.uow() as uow:
            principal = st.principal(uow)
            out = (drafts.documents_draft(uow.session, principal, shipment) if kind == "documents"
                   else drafts.declaration_draft(uow.session, principal, shipment, mode))
            uow.commit()
        clikit.print_json(out)


@customs_app.command("reference")
def reference(ctx: typer.Context) -> None:
    """Loaded reference data versions with provenance (JSON)."""
    with clikit.errors(json_out=True):
        st = clikit.state(ctx)
        with st.uow() as uow:
            rows = service.ref_versions(uow.session)
            out = [{"dataset": r.dataset, "version": r.version, "valid_from": r.valid_from, "rows": r.rows,
                    "sha256": r.sha256, "source": r.source, "url": r.url, "loaded_at": r.loaded_at} for r in rows]
            uow.commit()
        clikit.print_json({"versions": out})

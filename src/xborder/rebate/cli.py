"""``xborder rebate …``: compute (the contract), rate library, documents, matching, periods,
deadlines, the filing workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import typer

from xborder.entrypoints import clikit
from xborder.errors import ValidationError
from xborder.importing import iso_date

app = typer.Typer(help="Export VAT rebate (出口退税): refund engine, documents, matching, deadlines, workbook.",
                  no_args_is_help=True)
rates_app = typer.Typer(help="The rebate-rate library (出口退税率文库).", no_args_is_help=True)
period_app = typer.Typer(help="Refund periods and the figures of the VAT return.", no_args_is_help=True)
app.add_typer(rates_app, name="rates")
app.add_typer(period_app, name="period")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="rebate")


def _today(value: str | None, option: str = "--today") -> date:
    """The option's date, today when it is not given."""
    return iso_date(value, option) or date.today()


def _read(path: str) -> tuple[bytes, str]:
    p = Path(path)
    if not p.is_file():
        raise ValidationError(f"file: {path} does not exist", field="file")
    return p.read_bytes(), p.name


@app.command("compute")
def compute(json_in: str = typer.Option(..., "--json-in", help="JSON input file, '-' for stdin"),
            today: str = typer.Option(None, "--today", help="date whose rules apply when the input has no date")
            ) -> None:
    """Compute one refund (methods: exempt_credit_refund, exempt_refund, deemed_domestic,
    deemed_profit_income_tax, no_invoice_exemption). Amounts and rates as decimal strings."""
    from xborder.rebate.engine import compute_contract

    with clikit.errors(json_out=True):
        data = clikit.read_json_input(json_in)
        clikit.print_json(compute_contract(data, _today(today)))


def _import(ctx: typer.Context, kind: str, file: str, as_json: bool) -> None:
    from xborder.rebate.importers import import_file

    st = clikit.state(ctx)
    with clikit.errors(json_out=as_json):
        data, name = _read(file)
        with st.uow() as uow:
            principal = st.principal(uow)
            result = import_file(uow.session, principal, kind, data, name)
            uow.commit()
        if as_json:
            clikit.print_json(result.to_dict())
        else:
            typer.echo(f"{kind}: {result.imported} imported, {result.skipped_duplicates} unchanged")


@rates_app.command("import")
def rates_import(ctx: typer.Context, file: str = typer.Argument(..., help="cmcode.DBF, or a CSV/XLSX with "
                                                                        "code, valid_from, valid_to, rebate_rate"),
                 as_json: bool = typer.Option(False, "--json")) -> None:
    """Import the official 文库 DBF (rate from TSL) or a CSV form."""
    _import(ctx, "rates", file, as_json)


@rates_app.command("lookup")
def rates_lookup(ctx: typer.Context, code: str = typer.Argument(...),
                 on: str = typer.Option(None, "--date", help="export date (default today)"),
                 as_json: bool = typer.Option(False, "--json")) -> None:
    """The rebate rate of a code on an export date (an unknown code is an error)."""
    from xborder.rebate import service
    from xborder.rebate.rates import rate_str

    st = clikit.state(ctx)
    with clikit.errors(json_out=as_json):
        when = _today(on, "--date")
        with st.uow() as uow:
            principal = st.principal(uow)
            r = service.library(uow.session, principal.org_id, codes=[code]).lookup(code, when)
        out = {"code": r.code, "name": r.name, "rebate_rate": rate_str(r.rebate_rate),
               "levy_rates": [rate_str(x) for x in r.levy_rates], "valid_from": r.valid_from.isoformat(),
               "valid_to": r.valid_to.isoformat() if r.valid_to else None, "flag": r.flag, "source": r.source}
        if as_json:
            clikit.print_json(out)
        else:
            typer.echo(r.describe())


@app.command("import")
def import_cmd(ctx: typer.Context,
               kind: str = typer.Argument(..., help="declarations | invoices | receipts | rates"),
               file: str = typer.Argument(...), as_json: bool = typer.Option(False, "--json")) -> None:
    """Import export declarations, purchase VAT invoices or FX receipts (CSV/TSV/XLSX)."""
    _import(ctx, kind, file, as_json)


@app.command("match")
def match_cmd(ctx: typer.Context, as_json: bool = typer.Option(False, "--json"),
              today: str = typer.Option(None, "--today", help="date for deadline alerts (default today)")) -> None:
    """Match declarations to invoices and receipts, store the allocations, print each status."""
    from xborder.rebate import service

    st = clikit.state(ctx)
    with clikit.errors(json_out=as_json):
        when = _today(today)
        with st.uow() as uow:
            principal = st.principal(uow)
            result = service.match_documents(uow.session, principal.org_id, when, persist_for=principal)
            uow.commit()
        out = result.to_dict()
        if as_json:
            clikit.print_json(out)
        else:
            for d in out["declarations"]:
                typer.echo(f"{d['number']}  {d['export_date']}  {d['status']:<18} {', '.join(d['problems'])}")
            typer.echo(", ".join(f"{k}: {v}" for k, v in out["summary"].items()))


@app.command("deadlines")
def deadlines_cmd(ctx: typer.Context, as_json: bool = typer.Option(False, "--json"),
                  today: str = typer.Option(None, "--today"),
                  open_only: bool = typer.Option(False, "--open", help="only overdue and due-soon")) -> None:
    """Refund, FX, filing and retention deadlines per declaration, most urgent first."""
    from xborder.rebate import service

    st = clikit.state(ctx)
    with clikit.errors(json_out=as_json):
        when = _today(today)
        with st.uow() as uow:
            principal = st.principal(uow)
            dls = service.deadlines(uow.session, principal.org_id, when)
        rows = [d.to_dict() for d in dls if not open_only or d.at_risk]
        if as_json:
            clikit.print_json({"today": when.isoformat(), "deadlines": rows})
        else:
            for d in rows:
                typer.echo(f"{d['due']}  {d['state']:<9} {d['declaration']}  {d['label_en']}  {d['note']}")


def _pick_regime(s: Any, org_id: int, period: str, regime: str | None) -> str:
    from xborder.rebate import service

    if regime:
        return regime
    found = {r for p, r, _rec in service.periods(s, org_id) if p == period}
    if len(found) == 1:
        return found.pop()
    return service.get_profile(s, org_id).enterprise_type


@period_app.command("set")
def period_set(ctx: typer.Context, period: str = typer.Argument(..., help="YYYY-MM"),
               regime: str = typer.Option(None, "--regime", help="production | trading (default: the company's)"),
               output_vat: str = typer.Option(None, "--output-vat", help="output VAT on domestic sales"),
               input_vat: str = typer.Option(None, "--input-vat"),
               opening_credit: str = typer.Option(None, "--opening-credit"),
               materials: str = typer.Option(None, "--tax-free-materials"),
               pdr: str = typer.Option(None, "--planned-distribution-rate"),
               declared_end_credit: str = typer.Option(None, "--declared-end-credit",
                                                       help="期末留抵税额 from the VAT return"),
               as_json: bool = typer.Option(False, "--json")) -> None:
    """Enter the VAT-return figures of a period."""
    from xborder.rebate import service

    st = clikit.state(ctx)
    with clikit.errors(json_out=as_json):
        with st.uow() as uow:
            principal = st.principal(uow)
            reg = regime or service.get_profile(uow.session, principal.org_id).enterprise_type
            figures = {k: v for k, v in (("domestic_output_vat", output_vat), ("input_vat", input_vat),
                                         ("opening_credit", opening_credit), ("tax_free_materials", materials),
                                         ("planned_distribution_rate", pdr),
                                         ("declared_end_credit", declared_end_credit)) if v is not None}
            service.save_period(uow.session, principal, period, reg, **figures)
            rep = service.period_report(uow.session, principal.org_id, period, reg, date.today())
            out = rep.to_dict()
            uow.commit()
        if as_json:
            clikit.print_json(out)
        else:
            typer.echo(f"{period} {reg}: refund {out['refund']}")


@period_app.command("show")
def period_show(ctx: typer.Context, period: str = typer.Argument(...),
                regime: str = typer.Option(None, "--regime"), as_json: bool = typer.Option(False, "--json"),
                today: str = typer.Option(None, "--today")) -> None:
    """The period's computation with every step."""
    from xborder.rebate import service

    st = clikit.state(ctx)
    with clikit.errors(json_out=as_json):
        when = _today(today)
        with st.uow() as uow:
            principal = st.principal(uow)
            reg = _pick_regime(uow.session, principal.org_id, period, regime)
            rep = service.period_report(uow.session, principal.org_id, period, reg, when)
            out = rep.to_dict()
        if as_json:
            clikit.print_json(out)
            return
        typer.echo(f"{period} {reg}  FOB CNY {out['fob_cny']}  refund {out['refund']}")
        steps = out["result"]["steps"] if "result" in out else out["steps"]
        for stp in steps:
            typer.echo(f"  {stp['label_zh']} / {stp['label_en']}: {stp['formula']}  [{stp['source']}]")
        for w in out["warnings"] + out["errors"]:
            typer.echo(f"  ! {w}")


@app.command("workbook")
def workbook_cmd(ctx: typer.Context, period: str = typer.Option(..., "--period", help="YYYY-MM"),
                 out: str = typer.Option(..., "--out", help="FILE.xlsx"),
                 regime: str = typer.Option(None, "--regime"), today: str = typer.Option(None, "--today")) -> None:
    """Write the period's filing workbook: declaration detail, summary, documents to archive."""
    from xborder.rebate import service
    from xborder.rebate.workbook import build_workbook

    st = clikit.state(ctx)
    with clikit.errors(json_out=False):
        when = _today(today)
        with st.uow() as uow:
            principal = st.principal(uow)
            reg = _pick_regime(uow.session, principal.org_id, period, regime)
            rep = service.period_report(uow.session, principal.org_id, period, reg, when)
            from xborder.accounts.orm import Organisation

            org = uow.session.get(Organisation, principal.org_id)
            data = build_workbook(rep, org_name=org.name if org else "")
            refund = rep.to_dict()["refund"]
        Path(out).write_bytes(data)
        typer.echo(f"wrote {out}: {len(rep.lines)} declaration line(s), refund {refund}")


@app.command("declared")
def declared_cmd(ctx: typer.Context, number: str = typer.Argument(..., help="declaration number"),
                 on: str = typer.Option(..., "--on", help="date the refund was declared"),
                 filed: str = typer.Option(None, "--filed", help="date the filing documents were put on file")
                 ) -> None:
    """Record that a declaration's refund was declared (and its documents filed): closes those deadlines."""
    from xborder.rebate import service

    st = clikit.state(ctx)
    with clikit.errors(json_out=False):
        with st.uow() as uow:
            principal = st.principal(uow)
            service.mark_declared(uow.session, principal, number, _today(on, "--on"), _today(filed, "--filed") if filed else None)
            uow.commit()
        typer.echo(f"{number}: declared {on}" + (f", filed {filed}" if filed else ""))


@app.command("fx-rule")
def fx_rule_cmd(ctx: typer.Context, year: int = typer.Argument(...),
                rule: str = typer.Argument(..., help="export_date | month_first")) -> None:
    """Choose the FOB → CNY date rule for a year (cannot change within the year)."""
    from xborder.rebate import service

    st = clikit.state(ctx)
    with clikit.errors(json_out=False):
        with st.uow() as uow:
            principal = st.principal(uow)
            service.set_fx_rule(uow.session, principal, year, rule)
            uow.commit()
        typer.echo(f"{year}: {rule}")


@app.command("settings")
def settings_cmd(ctx: typer.Context,
                 enterprise_type: str = typer.Option(None, "--type", help="production | trading"),
                 exporter_name: str = typer.Option(None, "--exporter-name")) -> None:
    """The company's refund method and the name expected on FX accounts."""
    from xborder.rebate import service

    st = clikit.state(ctx)
    with clikit.errors(json_out=False), st.uow() as uow:
        principal = st.principal(uow)
        prof = service.save_profile(uow.session, principal, enterprise_type=enterprise_type,
                                    exporter_name=exporter_name)
        uow.commit()
        typer.echo(f"{prof.enterprise_type}; exporter name {prof.exporter_name!r}")

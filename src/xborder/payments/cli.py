"""``xborder import payouts`` and ``xborder reconcile``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from xborder.entrypoints import clikit
from xborder.entrypoints.clikit import console

payouts_app = typer.Typer(help="Payouts: list, show and export a payout's lines.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    from xborder.sales.cli import import_app

    import_app.command("payouts")(import_payouts)
    app.command("reconcile")(reconcile)
    app.add_typer(payouts_app, name="payouts")


@payouts_app.command("list")
def payouts_list(ctx: typer.Context, json_out: bool = typer.Option(False, "--json")) -> None:
    """Imported payouts and collection statements, newest deposit first."""
    from xborder.payments import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        rows = [service.payout_to_dict(p, n) for p, n in service.list_payouts(uow.session, st.principal(uow))]
    if json_out:
        clikit.print_json(rows)
        return
    t = Table("id", "provider", "payout", "deposit", "period", "lines", "total", title=f"{len(rows)} payouts")
    for r in rows:
        t.add_row(str(r["id"]), r["provider"], r["payout_id"], r["deposit_date"] or "", f"{r['start'] or ''} – {r['end'] or ''}",
                  str(r["lines"]), f"{r['total']} {r['currency']}" if r["total"] is not None else "")
    console.print(t)


@payouts_app.command("show")
def payouts_show(ctx: typer.Context, payout_id: int = typer.Argument(..., help="The payout's id (see `payouts list`)."),
                 fmt: str = typer.Option("", "--format", help="csv | xlsx: every line as a file (or CSV on stdout)."),
                 out: Path | None = typer.Option(None, "--out", "-o", help="Output file for --format."),
                 json_out: bool = typer.Option(False, "--json")) -> None:
    """One payout's lines, with their fee class."""
    from xborder.payments import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        if fmt:
            clikit.write_table(service.payout_lines_table(uow.session, principal, payout_id), fmt, out)
            return
        p, lines = service.get_payout(uow.session, principal, payout_id, limit=None)
        data = {**service.payout_to_dict(p, len(lines)), "items": [service.line_to_dict(ln) for ln in lines]}
    if json_out:
        clikit.print_json(data)
        return
    t = Table("posted", "type", "description", "fee class", "order", "amount",
              title=f"{data['provider']} {data['payout_id']} · {data['lines']} lines")
    for ln in data["items"][:200]:
        t.add_row((ln["posted_at"] or "")[:10], ln["transaction_type"] or "", ln["description"] or "", ln["fee_class"],
                  ln["order_id"] or "", f"{ln['amount']} {ln['currency']}")
    console.print(t)
    if len(data["items"]) > 200:
        console.print(f"… and {len(data['items']) - 200} more (use --json or --format csv)")


def import_payouts(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Settlement report, payment-processor export or collection statement."),
    fmt: str = typer.Option(..., "--format", help="amazon-settlement-v2 | paypal | stripe | mapped"),
    mapping: str | None = typer.Option(None, "--mapping", help="Column mapping for --format mapped: a saved name or a "
                                                                "preset (payoneer, pingpong, worldfirst, lianlian, airwallex)."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Import payouts. A file with any bad line is rejected whole (exit 2, nothing written);
    lines already imported are skipped."""
    from xborder.payments.importers import FORMATS
    from xborder.sales.cli import _bad_format, run_import

    if fmt not in FORMATS:
        _bad_format(fmt, FORMATS, json_out)
    run_import(ctx, "payouts", fmt, file, mapping, json_out)


def reconcile(
    ctx: typer.Context,
    tolerance: str = typer.Option("0.01", "--tolerance", help="Amount difference accepted per order."),
    fmt: str = typer.Option("", "--format", help="csv | xlsx: every discrepancy as a work list (or CSV on stdout)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file for --format."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Match payout lines to orders, classify fees, flag discrepancies, tie payouts to receipts and FX settlements."""
    from xborder.payments import service

    st = clikit.state(ctx)
    with clikit.errors(json_out):
        tol = service.parse_tolerance(tolerance)
        with st.uow() as uow:
            result = service.run_reconcile(uow.session, st.principal(uow), tol)
        if fmt:
            clikit.write_table(service.discrepancies_table(result), fmt, out)
            return
    d = result.to_dict()
    if json_out:
        clikit.print_json(d)
        return
    console.print(f"matched lines {d['matched']}, unmatched payout lines {d['unmatched_payout_lines']}, "
                  f"orders without payout {d['orders_without_payout']}")
    t = Table("fee type", "amount")
    for k, v in d["fees_by_type"].items():
        t.add_row(k, v)
    console.print(t)
    for x in d["discrepancies"][:100]:
        console.print(f"  [{x['type']}] {x['message']}", markup=False)
    if len(d["discrepancies"]) > 100:
        console.print(f"  … and {len(d['discrepancies']) - 100} more (use --json)")

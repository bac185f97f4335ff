"""``xborder import payouts`` and ``xborder reconcile``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer
from rich.table import Table

from xborder.entrypoints import clikit
from xborder.entrypoints.clikit import console


def register(app: typer.Typer) -> None:
    from xborder.sales.cli import import_app

    import_app.command("payouts")(import_payouts)
    app.command("reconcile")(reconcile)


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
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Match payout lines to orders, classify fees, flag discrepancies, tie payouts to receipts and FX settlements."""
    from xborder.errors import ValidationError
    from xborder.payments import service

    st = clikit.state(ctx)
    with clikit.errors(json_out):
        try:
            tol = Decimal(tolerance)
        except InvalidOperation:
            raise ValidationError(f"--tolerance: {tolerance!r} is not a decimal number", field="tolerance") from None
        with st.uow() as uow:
            result = service.run_reconcile(uow.session, st.principal(uow), tol)
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

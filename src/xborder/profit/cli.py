"""``xborder profit --by order|sku|market|channel|month``."""

from __future__ import annotations

from datetime import date

import typer
from rich.table import Table

from xborder.entrypoints import clikit
from xborder.entrypoints.clikit import console


def register(app: typer.Typer) -> None:
    app.command("profit")(profit)


def profit(
    ctx: typer.Context,
    by: str = typer.Option("sku", "--by", help="order | sku | market | channel | month"),
    start: str | None = typer.Option(None, "--from", help="First order date (YYYY-MM-DD)."),
    end: str | None = typer.Option(None, "--to", help="Day after the last order date (YYYY-MM-DD)."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """True profit (contribution margin) in CNY; costs are negative, margin is the sum of the figures."""
    from xborder.errors import ValidationError
    from xborder.profit import service

    st = clikit.state(ctx)
    with clikit.errors(json_out):
        if by not in service.BY:
            raise ValidationError(f"--by: one of {', '.join(service.BY)} (got {by!r})", field="by")
        try:
            d0 = date.fromisoformat(start) if start else None
            d1 = date.fromisoformat(end) if end else None
        except ValueError as e:
            raise ValidationError(f"--from/--to: {e}", field="from") from None
        with st.uow() as uow:
            out = service.profit_rows(uow.session, st.principal(uow), by, start=d0, end=d1)
    if json_out:
        clikit.print_json(out)
        return
    cols = ["revenue", "fees", "shipping", "duties_taxes", "cost_of_goods", "fx", "rebate", "margin"]
    t = Table(by, *cols, title="Profit (CNY)")
    for r in out["rows"]:
        t.add_row(r["key"], *[r[c] for c in cols])
    console.print(t)

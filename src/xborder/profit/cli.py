"""``xborder profit --by order|sku|market|channel|month``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
    lines: bool = typer.Option(False, "--lines", help="Every order line with its figures and the rule behind each "
                               "(with --key: the lines behind one row of --by)."),
    key: str | None = typer.Option(None, "--key", help="With --lines: one row of --by (an order id, SKU, market ...)."),
    fmt: str = typer.Option("", "--format", help="csv | xlsx: the report (or --lines) as a file (or CSV on stdout)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file for --format."),
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
        if key is not None and not lines:
            raise ValidationError("--key: give it with --lines", field="key")
        with st.uow() as uow:
            principal = st.principal(uow)
            if fmt:
                table = (service.lines_table(uow.session, principal, by=by, key=key, start=d0, end=d1) if lines
                         else service.report_table(uow.session, principal, by, start=d0, end=d1))
                clikit.write_table(table, fmt, out)
                return
            if lines:
                report = service.build_report(uow.session, principal, start=d0, end=d1)
                chosen = service.line_details(report, by=by, key=key) if key is not None else report.lines
                details = [service.line_to_dict(ln) for ln in chosen]
            else:
                result = service.profit_rows(uow.session, principal, by, start=d0, end=d1)
    if lines:
        if json_out:
            clikit.print_json({"currency": "CNY", "by": by, "key": key, "lines": details})
            return
        t = Table("order", "line", "channel", "market", "month", "sku", "qty", "margin", title=f"{len(details)} order lines (CNY)")
        for d in details:
            t.add_row(d["order_id"], d["line_id"], d["channel"], d["market"] or "", d["month"], d["sku"], d["quantity"], d["margin"])
        console.print(t)
        return
    if json_out:
        clikit.print_json(result)
        return
    cols = ["revenue", "fees", "shipping", "duties_taxes", "cost_of_goods", "fx", "rebate", "margin"]
    t = Table(by, *cols, title="Profit (CNY)")
    for r in result["rows"]:
        t.add_row(r["key"], *[r[c] for c in cols])
    console.print(t)

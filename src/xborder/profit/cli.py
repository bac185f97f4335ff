"""``xborder profit --by order|sku|market|channel|month``."""

from __future__ import annotations

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
    period: str | None = typer.Option(None, "--period", help="all (default), this-month, last-month, last-30-days, "
                                      "last-90-days, this-quarter, last-quarter, this-year, last-year."),
    start: str | None = typer.Option(None, "--from", help="First order date, included (YYYY-MM-DD); wins over --period."),
    end: str | None = typer.Option(None, "--to", help="Last order date, included (YYYY-MM-DD); wins over --period."),
    sku: str | None = typer.Option(None, "--sku", help="Only this SKU's order lines (with --by market: where it earns)."),
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
        chosen = service.period_from(period, start, end, names=("--period", "--from", "--to"))
        d0, d1 = chosen.start, chosen.end
        if sku and lines:
            raise ValidationError("--sku: for one SKU's order lines give --lines --by sku --key SKU", field="sku")
        if key is not None and not lines:
            raise ValidationError("--key: give it with --lines", field="key")
        with st.uow() as uow:
            principal = st.principal(uow)
            if fmt:
                table = (service.lines_table(uow.session, principal, by=by, key=key, start=d0, end=d1) if lines
                         else service.report_table(uow.session, principal, by, sku=sku, start=d0, end=d1))
                clikit.write_table(table, fmt, out)
                return
            if lines:
                report = service.build_report(uow.session, principal, start=d0, end=d1)
                chosen = service.line_details(report, by=by, key=key) if key is not None else report.lines
                details = [service.line_to_dict(ln) for ln in chosen]
            else:
                result = service.profit_rows(uow.session, principal, by, period=chosen, sku=sku)
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
    per = result["period"]
    span = f", {per['from'] or '…'} – {per['to'] or '…'}" if per["from"] or per["to"] else ""
    t = Table(by, *cols, title=f"Profit (CNY){span}" + (f", SKU {sku}" if sku else ""))
    for r in result["rows"]:
        t.add_row(r["key"], *[r[c] for c in cols])
    tot = result["totals"]
    t.add_row("total", *[tot[c] for c in cols], style="bold")
    console.print(t)
    share = f" ({tot['margin_share']} % of revenue)" if tot["margin_share"] is not None else ""
    console.print(f"{tot['orders']} orders, {tot['lines']} order lines; margin {tot['margin']} CNY{share}")
    prev = result["previous_period"]
    if prev is not None:
        if tot["previous"] is None:
            console.print(f"previous period {prev['from']} – {prev['to']}: no orders")
        else:
            ch = tot["change"]
            console.print(f"previous period {prev['from']} – {prev['to']}: margin {tot['previous']['margin']} CNY, "
                          f"change {ch['margin']} CNY" + (f", {ch['margin_share_points']} points of revenue"
                                                          if ch["margin_share_points"] is not None else ""))

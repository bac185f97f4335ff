"""``xborder import orders|payouts`` and ``xborder orders ...`` (unpaired listings, pairing, mappings)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import typer
from rich.table import Table

from xborder.entrypoints import clikit
from xborder.entrypoints.clikit import console
from xborder.money import dec_str

import_app = typer.Typer(help="Import marketplace order exports and payout/settlement reports.", no_args_is_help=True)
orders_app = typer.Typer(help="Orders: list and export, unpaired listings, pairing to SKUs, saved column mappings.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")
    app.add_typer(orders_app, name="orders")


def run_import(ctx: typer.Context, kind: str, fmt: str, file: Path, mapping: str | None, json_out: bool,
               currency: str | None = None) -> None:
    """Shared by ``import orders`` and ``import payouts``: read, validate whole, write, report."""
    from xborder.payments import service as payments
    from xborder.sales import service as sales

    st = clikit.state(ctx)
    with clikit.errors(json_out):
        data = file.read_bytes()
        with st.uow() as uow:
            principal = st.principal(uow)
            if json_out:
                out = _do(uow.session, principal, kind, fmt, data, mapping, currency, sales, payments, None, file.name)
            else:
                from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

                with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console) as bar:
                    task = bar.add_task(f"{file.name} ({len(data):,} bytes): validating every row", total=3)

                    def step(stage: str) -> None:
                        bar.update(task, advance=1, description=f"{file.name}: " + (
                            "valid, writing" if stage == "validated" else "written, committing"))

                    out = _do(uow.session, principal, kind, fmt, data, mapping, currency, sales, payments, step, file.name)
                    bar.update(task, completed=3)
            uow.commit()
    if json_out:
        clikit.print_json(out.to_dict())
    else:
        console.print(f"imported {out.imported}, skipped {out.skipped_duplicates} already present"
                      + (f" (encoding {out.encoding})" if out.encoding else ""))
        for w in out.warnings[:50]:
            console.print(f"  warning line {w['line']}, {w['column']}: {w['message']}")


def _do(s, principal, kind, fmt, data, mapping, currency, sales, payments, progress, filename=""):  # type: ignore[no-untyped-def]
    if kind == "orders":
        return sales.import_orders(s, principal, fmt, data, mapping=mapping, currency=currency, progress=progress,
                                   filename=filename)
    return payments.import_payouts(s, principal, fmt, data, mapping=mapping, progress=progress, filename=filename)


@import_app.command("orders")
def import_orders(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="The marketplace's order export."),
    fmt: str = typer.Option(..., "--format", help="amazon-all-orders | shopify | ebay | etsy-orders | etsy-items | "
                                                  "woocommerce | temu | mapped"),
    mapping: str | None = typer.Option(None, "--mapping", help="Saved column mapping (for --format mapped)."),
    currency: str | None = typer.Option(None, "--currency", help="Shop currency for exports without one "
                                                                  "(WooCommerce Analytics)."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Import orders. A file with any bad line is rejected whole (exit 2, nothing written);
    rows already imported are skipped."""
    from xborder.sales.importers import FORMATS

    if fmt not in FORMATS:
        _bad_format(fmt, FORMATS, json_out)
    run_import(ctx, "orders", fmt, file, mapping, json_out, currency)


def _bad_format(fmt: str, formats: tuple[str, ...], json_out: bool) -> None:
    msg = f"--format must be one of {', '.join(formats)} (got {fmt!r})"
    if json_out:
        clikit.print_json({"imported": 0, "skipped_duplicates": 0,
                           "errors": [{"line": 0, "column": "format", "message": msg}]})
    else:
        console.print(f"error: {msg}")
    raise typer.Exit(2)


@orders_app.command("list")
def list_cmd(ctx: typer.Context, channel: str = typer.Option("", "--channel", help="amazon, shopify, ebay, etsy, ..."),
             q: str = typer.Option("", "--q", help="Part of the order number."),
             market: str = typer.Option("", "--market", help="Two-letter market (country) code."),
             start: str = typer.Option("", "--from", help="First order date, included (YYYY-MM-DD)."),
             last: str = typer.Option("", "--to", help="Last order date, included (YYYY-MM-DD)."),
             losing: bool = typer.Option(False, "--losing", help="Only the orders that lose money (margin in CNY below zero)."),
             limit: int = typer.Option(50, "--limit", help="Rows shown on screen or in --json (exports take every order)."),
             fmt: str = typer.Option("", "--format", help="csv | xlsx: every matching order as a file (or CSV on stdout)."),
             out: Path | None = typer.Option(None, "--out", "-o", help="Output file for --format."),
             json_out: bool = typer.Option(False, "--json")) -> None:
    """Imported orders, newest first, each with its margin in CNY; ``--format csv|xlsx`` exports
    every order the filter finds."""
    from xborder.sales import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        filters = service.order_filters(market=market, start=start, last=last, margin="negative" if losing else "",
                                        names=("--market", "--from", "--to", "--losing"))
        if fmt:
            clikit.write_table(service.orders_export(uow.session, principal, channel=channel or None, q=q or None, **filters),
                               fmt, out)
            return
        page = service.orders_page(uow.session, principal, channel=channel or None, q=q or None, limit=max(limit, 1),
                                   **filters)
    items, total = page["items"], page["total"]
    if json_out:
        clikit.print_json(page)
        return
    t = Table("date", "channel", "market", "order", "status", "lines", "net sale", "margin CNY", title=f"{len(items)} of {total} orders")
    for o in items:
        net = f"{dec_str(Decimal(o['net_revenue']), 2)} {o['currency']}" if o["currency"] and o["net_revenue"] else "no price in file"
        t.add_row(o["purchased_at"][:16].replace("T", " "), o["channel"], o["market"] or "", o["order_id"], o["status"] or "",
                  str(len(o["lines"])), net, o.get("margin_cny") or "–")
    console.print(t)


@orders_app.command("unpaired")
def unpaired(ctx: typer.Context, json_out: bool = typer.Option(False, "--json")) -> None:
    """Listings sold in imported orders that are not paired to a catalog SKU."""
    from xborder.sales import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        rows = service.unpaired_listings(uow.session, st.principal(uow))
    if json_out:
        clikit.print_json(rows)
        return
    t = Table("channel", "listing id", "seller SKU", "title", "order lines")
    for r in rows:
        t.add_row(r["channel"], r["listing_id"], r["seller_sku"], r["title"] or "", str(r["lines"]))
    console.print(t)


@orders_app.command("pair")
def pair(ctx: typer.Context, channel: str = typer.Option(..., "--channel", help="Catalog channel, e.g. amazon-us"),
         seller_sku: str = typer.Option(..., "--seller-sku"), sku: str = typer.Option(..., "--sku"),
         listing_id: str = typer.Option("", "--listing-id"), json_out: bool = typer.Option(False, "--json")) -> None:
    """Pair a marketplace listing to a catalog SKU."""
    from xborder.sales import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        service.pair_listing(uow.session, st.principal(uow), channel, seller_sku, sku, listing_id)
        uow.commit()
    if json_out:
        clikit.print_json({"paired": True, "channel": channel, "seller_sku": seller_sku, "sku": sku})
    else:
        console.print(f"{channel} {seller_sku} -> {sku}")


@orders_app.command("mapping")
def mapping_cmd(ctx: typer.Context, name: str = typer.Argument(..., help="Mapping name."),
                kind: str = typer.Option("orders", "--kind", help="orders | payouts"),
                json_in: str | None = typer.Option(None, "--json-in", help="Mapping JSON file ('-' = stdin) to save; "
                                                                           "without it the mapping is printed."),
                json_out: bool = typer.Option(True, "--json/--no-json")) -> None:
    """Show or save a column mapping for the generic importers (presets: payoneer, pingpong,
    worldfirst, lianlian, airwallex)."""
    from xborder.sales import service

    st = clikit.state(ctx)
    with clikit.errors(True), st.uow() as uow:
        principal = st.principal(uow)
        if json_in:
            spec = clikit.read_json_input(json_in)
            service.save_mapping(uow.session, principal, kind, name, spec)
            uow.commit()
        spec = service.get_mapping(uow.session, principal, kind, name)
    console.print_json(json.dumps(spec, ensure_ascii=False)) if json_out else console.print(spec)

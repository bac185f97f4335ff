"""Procurement use cases: suppliers, price breaks, purchase orders, receipts, landed costs,
purchase VAT invoices (exposed to the rebate matcher), stock counts and reorder plans.

For the export-rebate matcher (``xborder.rebate``): :func:`purchase_invoices` returns one
:class:`PurchaseInvoiceRecord` per invoice line in a period, with the fields the matcher's
``Invoice`` takes (number, issued, seller, goods, unit, quantity, net, vat, rate) plus the
invoice type and our SKU code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.errors import Conflict, NotFound, ValidationError
from xborder.importing import iso_date
from xborder.money import check_currency, quantize, to_decimal
from xborder.procurement import model
from xborder.procurement.orm import (
    PurchaseCharge,
    PurchaseInvoice,
    PurchaseInvoiceLine,
    PurchaseOrder,
    PurchaseOrderLine,
    Receipt,
    ReceiptLine,
    StockLevel,
    Supplier,
    SupplierPrice,
)
from xborder.tabular import Table

OPEN_STATUSES = ("ordered", "partially_received")


def _sku(s: Session, org_id: int, code: str) -> Any:
    from xborder.catalog.orm import Sku

    sku = s.scalars(select(Sku).where(Sku.org_id == org_id, Sku.sku == code)).first()
    if sku is None:
        raise ValidationError(f"sku: {code!r} is not in the catalog", field="sku")
    return sku


def sku_id(s: Session, principal: Principal, code: str) -> int:
    return int(_sku(s, principal.org_id, code).id)


def _int(value: Any, field: str, minimum: int = 0) -> int:
    try:
        v = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(f"{field}: {value!r} is not a whole number", field=field) from None
    if v < minimum:
        raise ValidationError(f"{field}: at least {minimum}", field=field)
    return v


def _date(value: Any, field: str) -> date:
    day = iso_date(value, field, required=True)
    assert day is not None
    return day


# --- suppliers --------------------------------------------------------------------------


def supplier_errors(data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not str(data.get("name", "")).strip():
        errors["name"] = "name: required"
    for f, lo in (("moq", 1), ("lead_time_days", 0)):
        try:
            _int(data.get(f, lo), f, lo)
        except ValidationError as exc:
            errors[f] = exc.message
    if str(data.get("invoice_type", "vat_special")) not in model.INVOICE_TYPES:
        errors["invoice_type"] = f"invoice_type: use one of {', '.join(model.INVOICE_TYPES)}"
    try:
        check_currency(str(data.get("currency", "CNY")))
    except ValidationError as exc:
        errors["currency"] = exc.message
    try:
        r = to_decimal(str(data.get("vat_rate", "0.13")), "vat_rate")
        if not 0 <= r < 1:
            errors["vat_rate"] = "vat_rate: a rate between 0 and 1 (0.13 for 13 %)"
    except ValidationError as exc:
        errors["vat_rate"] = exc.message
    return errors


def create_supplier(s: Session, principal: Principal, data: dict[str, Any]) -> Supplier:
    principal.require("operations")
    errors = supplier_errors(data)
    if errors:
        field, msg = next(iter(errors.items()))
        raise ValidationError(msg, field=field)
    name = str(data["name"]).strip()
    if s.scalars(select(Supplier).where(Supplier.org_id == principal.org_id, Supplier.name == name)).first():
        raise Conflict(f"name: a supplier named {name!r} exists", field="name")
    sup = Supplier(
        org_id=principal.org_id,
        name=name[:200],
        currency=check_currency(str(data.get("currency", "CNY"))),
        moq=_int(data.get("moq", 1), "moq", 1),
        lead_time_days=_int(data.get("lead_time_days", 14), "lead_time_days", 0),
        invoice_type=str(data.get("invoice_type", "vat_special")),
        vat_rate=to_decimal(str(data.get("vat_rate", "0.13")), "vat_rate"),
        contact=str(data.get("contact", ""))[:300],
        notes=str(data.get("notes", "")),
    )
    s.add(sup)
    s.flush()
    return sup


def get_supplier(s: Session, principal: Principal, supplier_id: int) -> Supplier:
    sup = s.scalars(select(Supplier).where(Supplier.id == supplier_id, Supplier.org_id == principal.org_id)).first()
    if sup is None:
        raise NotFound(f"supplier {supplier_id} not found")
    return sup


def supplier_by_name(s: Session, principal: Principal, name: str) -> Supplier:
    sup = s.scalars(select(Supplier).where(Supplier.org_id == principal.org_id, Supplier.name == name)).first()
    if sup is None:
        raise NotFound(f"supplier {name!r} not found", field="supplier")
    return sup


def list_suppliers(s: Session, org_id: int) -> list[Supplier]:
    return list(s.scalars(select(Supplier).where(Supplier.org_id == org_id).order_by(Supplier.name)))


def set_prices(
    s: Session,
    principal: Principal,
    supplier: Supplier,
    sku_code: str,
    breaks: list[tuple[int, Decimal]],
    *,
    valid_from: date | None = None,
    valid_to: date | None = None,
    replace_from: date | None = None,
    close_previous: bool = False,
) -> list[SupplierPrice]:
    """Set a supplier's price list for one SKU, valid from ``valid_from`` (default today) to
    ``valid_to`` (inclusive; None = open-ended).

    The SKU's list that starts on ``replace_from`` (default ``valid_from``) is replaced: that is
    how a list is edited. Any other break of the same tier whose validity overlaps is refused,
    unless ``close_previous``: lists that start earlier and are still in force on
    ``valid_from`` are then ended the day before. Nothing is written when refused.
    """
    principal.require("operations")
    vf = valid_from or date.today()
    model.check_validity(vf, valid_to)
    if not breaks:
        raise ValidationError("price_breaks: give at least one tier (MIN_QTY:UNIT_PRICE)", field="price_breaks")
    pb = [model.PriceBreak(int(q), to_decimal(p, "unit_price"), vf, valid_to) for q, p in breaks]
    model.validate_breaks(pb)
    sku = _sku(s, principal.org_id, sku_code)
    same = [p for p in supplier.prices if p.sku_id == sku.id]
    replaced_from = replace_from or vf
    replaced = [p for p in same if p.valid_from == replaced_from]
    others = [p for p in same if p.valid_from != replaced_from]
    closing = [p for p in others if close_previous and p.valid_from < vf and (p.valid_to is None or p.valid_to >= vf)]
    day_before = vf - timedelta(days=1)
    existing = [model.PriceBreak(p.min_qty, p.unit_price, p.valid_from, day_before if p in closing else p.valid_to)
                for p in others]
    model.check_no_overlap(pb, existing, what=f"of {supplier.name} for {sku_code} ")
    for p in closing:
        p.valid_to = day_before
    for old in replaced:
        supplier.prices.remove(old)
    s.flush()
    rows = [SupplierPrice(org_id=principal.org_id, sku_id=sku.id, min_qty=b.min_qty, unit_price=b.unit_price,
                          valid_from=vf, valid_to=valid_to) for b in pb]
    supplier.prices.extend(rows)
    s.flush()
    return rows


def breaks_for(supplier: Supplier, sku_id: int, on: date | None = None) -> list[model.PriceBreak]:
    """The supplier's breaks for a SKU: those in force on ``on``, or every one (all lists) when None."""
    all_breaks = [model.PriceBreak(p.min_qty, p.unit_price, p.valid_from, p.valid_to) for p in supplier.prices
                  if p.sku_id == sku_id]
    if on is not None:
        return model.in_force(all_breaks, on)
    return sorted(all_breaks, key=lambda b: (b.valid_from or date.min, b.min_qty))


def _p4(x: Decimal) -> str:
    return format(Decimal(x).quantize(Decimal("0.0001")), "f")


def _price_status(valid_from: date, valid_to: date | None, on: date) -> str:
    if valid_from > on:
        return "future"
    if valid_to is not None and valid_to < on:
        return "past"
    return "current"


def price_lists(supplier: Supplier, sku_codes: dict[int, str] | None = None, *, sku_id: int | None = None,
                on: date | None = None) -> list[dict[str, Any]]:
    """The supplier's price lists (breaks grouped by SKU and validity), newest first per SKU,
    each marked current / past / future relative to ``on`` (default today)."""
    on = on or date.today()
    groups: dict[tuple[int, date, date | None], list[SupplierPrice]] = {}
    for p in supplier.prices:
        if sku_id is None or p.sku_id == sku_id:
            groups.setdefault((p.sku_id, p.valid_from, p.valid_to), []).append(p)
    codes = sku_codes or {}
    out = []
    for (sid, vf, vt), rows in sorted(groups.items(), key=lambda kv: (str(codes.get(kv[0][0], kv[0][0])), -kv[0][1].toordinal())):
        out.append({
            "sku": codes.get(sid, sid),
            "valid_from": vf.isoformat(),
            "valid_to": vt.isoformat() if vt else None,
            "status": _price_status(vf, vt, on),
            "breaks": [{"min_qty": r.min_qty, "unit_price": _p4(r.unit_price)}
                       for r in sorted(rows, key=lambda r: r.min_qty)],
        })
    return out


def supplier_dict(sup: Supplier, sku_codes: dict[int, str] | None = None, on: date | None = None) -> dict[str, Any]:
    """``prices``: every break with its validity (the history); ``prices_in_force``: those valid on
    ``on`` (default today)."""
    on = on or date.today()
    codes = sku_codes or {}

    def brk(p: SupplierPrice) -> dict[str, Any]:
        return {"sku": codes.get(p.sku_id, p.sku_id), "min_qty": p.min_qty, "unit_price": _p4(p.unit_price),
                "valid_from": p.valid_from.isoformat() if p.valid_from else None,
                "valid_to": p.valid_to.isoformat() if p.valid_to else None}

    ordered = sorted(sup.prices, key=lambda p: (p.sku_id, p.valid_from or date.min, p.min_qty))
    return {
        "id": sup.id,
        "name": sup.name,
        "currency": sup.currency,
        "moq": sup.moq,
        "lead_time_days": sup.lead_time_days,
        "invoice_type": sup.invoice_type,
        "vat_rate": format(sup.vat_rate, "f"),
        "contact": sup.contact,
        "prices": [brk(p) for p in ordered],
        "prices_in_force": [brk(p) for p in ordered if p.valid_from is None or _price_status(p.valid_from, p.valid_to, on) == "current"],
    }


# --- purchase orders --------------------------------------------------------------------


def _next_number(s: Session, org_id: int, on: date) -> str:
    n = s.scalar(select(func.count(PurchaseOrder.id)).where(PurchaseOrder.org_id == org_id)) or 0
    while True:
        n += 1
        number = f"PO-{on:%Y%m%d}-{n:03d}"
        if not s.scalars(select(PurchaseOrder).where(PurchaseOrder.org_id == org_id, PurchaseOrder.number == number)).first():
            return number


def create_order(
    s: Session,
    principal: Principal,
    supplier: Supplier,
    lines: list[tuple[str, Decimal | int, Decimal | None]],
    *,
    order_date: date | None = None,
    number: str | None = None,
    notes: str = "",
) -> PurchaseOrder:
    """``lines``: (sku code, quantity, unit price or None = from the supplier's price breaks)."""
    principal.require("operations")
    if not lines:
        raise ValidationError("lines: a purchase order needs at least one line", field="lines")
    on = order_date or date.today()
    po = PurchaseOrder(
        org_id=principal.org_id,
        number=(number or _next_number(s, principal.org_id, on))[:40],
        supplier_id=supplier.id,
        status="ordered",
        currency=supplier.currency,
        order_date=on,
        expected_date=on + timedelta(days=supplier.lead_time_days),
        notes=notes,
    )
    if number and s.scalars(select(PurchaseOrder).where(PurchaseOrder.org_id == principal.org_id,
                                                        PurchaseOrder.number == number)).first():
        raise Conflict(f"number: purchase order {number} exists", field="number")
    for i, (code, qty, price) in enumerate(lines, start=1):
        sku = _sku(s, principal.org_id, code)
        q = to_decimal(str(qty), f"lines[{i}].quantity")
        if q <= 0 or q != q.to_integral_value():
            raise ValidationError(f"lines[{i}].quantity: a positive whole number", field="quantity")
        if q < supplier.moq:
            raise ValidationError(f"lines[{i}].quantity: {q} is below {supplier.name}'s MOQ of {supplier.moq}",
                                  field="quantity")
        if price is None:
            unit = model.price_for(_breaks_on(supplier, sku.id, code, on, i), q, moq=supplier.moq)
        else:
            unit = to_decimal(str(price), f"lines[{i}].unit_price")
            if unit <= 0:
                raise ValidationError(f"lines[{i}].unit_price: must be positive", field="unit_price")
        po.lines.append(PurchaseOrderLine(org_id=principal.org_id, sku_id=sku.id, quantity=q, unit_price=unit,
                                          received_qty=Decimal(0)))
    s.add(po)
    s.flush()
    return po


def _breaks_on(supplier: Supplier, sku_id: int, code: str, on: date, line_no: int) -> list[model.PriceBreak]:
    """The breaks in force on ``on``; a clear error when the SKU has lists but none on that date."""
    every = breaks_for(supplier, sku_id)
    current = model.in_force(every, on)
    if every and not current:
        lists = ", ".join(sorted({b.validity() for b in every}))
        raise ValidationError(
            f"lines[{line_no}].unit_price: {supplier.name} has no price list for {code} in force on {on} "
            f"(lists: {lists}); give the unit price or a price list valid on that date", field="unit_price")
    return current


def get_order(s: Session, principal: Principal, order_id: int) -> PurchaseOrder:
    po = s.scalars(select(PurchaseOrder).where(PurchaseOrder.id == order_id, PurchaseOrder.org_id == principal.org_id)).first()
    if po is None:
        raise NotFound(f"purchase order {order_id} not found")
    return po


def order_by_number(s: Session, principal: Principal, number: str) -> PurchaseOrder:
    po = s.scalars(select(PurchaseOrder).where(PurchaseOrder.number == number, PurchaseOrder.org_id == principal.org_id)).first()
    if po is None:
        raise NotFound(f"purchase order {number} not found", field="order")
    return po


def list_orders(s: Session, org_id: int) -> list[PurchaseOrder]:
    return list(s.scalars(select(PurchaseOrder).where(PurchaseOrder.org_id == org_id).order_by(PurchaseOrder.id.desc())))


PO_LINE_COLUMNS = ["number", "supplier", "status", "order_date", "expected_date", "sku", "quantity", "received",
                   "outstanding", "unit_price", "currency", "line_total"]


def purchase_orders_table(s: Session, org_id: int) -> Table:
    """Every purchase order line (newest order first): what was ordered, received and still due."""
    from xborder.catalog.orm import Sku

    codes: dict[int, str] = {i: c for i, c in s.execute(select(Sku.id, Sku.sku).where(Sku.org_id == org_id))}
    rows = [[po.number, po.supplier.name, po.status, po.order_date, po.expected_date, codes.get(ln.sku_id, ""),
             ln.quantity, ln.received_qty, max(ln.quantity - ln.received_qty, Decimal(0)), ln.unit_price, po.currency,
             quantize(ln.quantity * ln.unit_price, 2)]
            for po in list_orders(s, org_id) for ln in po.lines]
    return Table("purchase-orders", PO_LINE_COLUMNS, rows)


REORDER_COLUMNS = ["sku", "supplier", "quantity", "unit_cost", "currency", "cost", "safety_stock", "target", "position",
                   "weeks_of_cover", "note", "explanation"]


def reorder_table(plan: dict[str, Any]) -> Table:
    """A :func:`reorder_plan` as a table (numbers as numbers, the explanation steps joined by " | ");
    skipped SKUs follow with their reason in ``note``."""
    num = {"quantity", "unit_cost", "cost", "safety_stock", "target", "position", "weeks_of_cover"}
    rows: list[list[Any]] = [[Decimal(ln[c]) if c in num and ln[c] not in (None, "") else ln[c] for c in REORDER_COLUMNS[:-1]]
                             + [" | ".join(ln["explanation"])] for ln in plan["lines"]]
    rows += [[sk["sku"], "", None, None, "", None, None, None, None, None, f"skipped: {sk['reason']}", ""] for sk in plan["skipped"]]
    return Table(f"reorder-plan-{plan['prices_on']}", REORDER_COLUMNS, rows)


def add_charge(s: Session, principal: Principal, po: PurchaseOrder, label: str, amount: Any, method: str) -> PurchaseCharge:
    principal.require("operations")
    if method not in model.ALLOCATION_METHODS:
        raise ValidationError(f"method: use one of {', '.join(model.ALLOCATION_METHODS)}", field="method")
    amt = to_decimal(str(amount), "amount")
    if amt <= 0:
        raise ValidationError("amount: must be positive", field="amount")
    if not label.strip():
        raise ValidationError("label: required", field="label")
    ch = PurchaseCharge(org_id=principal.org_id, label=label.strip()[:100], amount=amt, method=method)
    po.charges.append(ch)
    s.flush()
    return ch


def receive(s: Session, principal: Principal, po: PurchaseOrder, quantities: dict[str, Any], *,
            received_on: date | None = None, reference: str = "") -> Receipt:
    """Record a (partial) receipt; stock on hand goes up; the order's status follows."""
    principal.require("operations")
    if po.status not in OPEN_STATUSES:
        raise Conflict(f"order: {po.number} is {po.status}; nothing more can be received", field="order")
    from xborder.catalog.orm import Sku

    by_code = {s.get(Sku, ln.sku_id).sku: ln for ln in po.lines}
    rec = Receipt(org_id=principal.org_id, received_on=received_on or date.today(), reference=reference[:100])
    any_qty = False
    for code, qty in quantities.items():
        ln = by_code.get(code)
        if ln is None:
            raise ValidationError(f"sku: {code!r} is not on {po.number}", field="sku")
        q = to_decimal(str(qty), f"{code}.quantity")
        if q < 0 or q != q.to_integral_value():
            raise ValidationError(f"{code}.quantity: a whole number ≥ 0", field="quantity")
        if q == 0:
            continue
        open_qty = ln.quantity - ln.received_qty
        if q > open_qty:
            raise ValidationError(f"{code}.quantity: {q} received but only {open_qty} still open on {po.number}",
                                  field="quantity")
        ln.received_qty = ln.received_qty + q
        rec.lines.append(ReceiptLine(org_id=principal.org_id, order_line_id=ln.id, quantity=q))
        _add_stock(s, principal.org_id, ln.sku_id, q, rec.received_on)
        any_qty = True
    if not any_qty:
        raise ValidationError("quantities: nothing to receive", field="quantities")
    po.receipts.append(rec)
    po.status = "received" if all(ln.received_qty >= ln.quantity for ln in po.lines) else "partially_received"
    s.flush()
    return rec


def _add_stock(s: Session, org_id: int, sku_id: int, qty: Decimal, on: date) -> None:
    st = s.scalars(select(StockLevel).where(StockLevel.org_id == org_id, StockLevel.sku_id == sku_id)).first()
    if st is None:
        s.add(StockLevel(org_id=org_id, sku_id=sku_id, on_hand=qty, counted_on=on))
    else:
        st.on_hand = st.on_hand + qty


def set_stock(s: Session, principal: Principal, sku_code: str, on_hand: Any, counted_on: date | None = None) -> StockLevel:
    principal.require("operations")
    sku = _sku(s, principal.org_id, sku_code)
    q = to_decimal(str(on_hand), "on_hand")
    if q < 0:
        raise ValidationError("on_hand: must not be negative", field="on_hand")
    st = s.scalars(select(StockLevel).where(StockLevel.org_id == principal.org_id, StockLevel.sku_id == sku.id)).first()
    if st is None:
        st = StockLevel(org_id=principal.org_id, sku_id=sku.id, on_hand=q, counted_on=counted_on or date.today())
        s.add(st)
    else:
        st.on_hand, st.counted_on = q, counted_on or date.today()
    s.flush()
    return st


def landed_costs(s: Session, po: PurchaseOrder) -> list[model.AllocatedLine]:
    """Allocate the order's charges to its lines over the ordered quantities (the freight of
    an order is paid for all of it, whatever arrives first)."""
    from xborder.catalog.orm import Sku

    lines = []
    for ln in po.lines:
        sku = s.get(Sku, ln.sku_id)
        qty = ln.quantity
        weight = (sku.weight_g or Decimal(0)) / 1000 if sku is not None else Decimal(0)
        lines.append(model.AllocLine(sku.sku if sku else str(ln.sku_id), qty, weight, ln.unit_price))
    charges = [model.Charge(c.label, c.amount, c.method) for c in po.charges]
    return model.allocate_charges(lines, charges, currency=po.currency)


def order_dict(s: Session, po: PurchaseOrder, with_landed: bool = True) -> dict[str, Any]:
    from xborder.catalog.orm import Sku

    codes = {ln.sku_id: (s.get(Sku, ln.sku_id).sku) for ln in po.lines}
    total = sum((ln.quantity * ln.unit_price for ln in po.lines), Decimal(0))
    out: dict[str, Any] = {
        "id": po.id,
        "number": po.number,
        "supplier": po.supplier.name,
        "status": po.status,
        "currency": po.currency,
        "order_date": po.order_date.isoformat(),
        "expected_date": po.expected_date.isoformat() if po.expected_date else None,
        "total": format(quantize(total, 2), "f"),
        "lines": [
            {"sku": codes[ln.sku_id], "quantity": format(ln.quantity.normalize(), "f"),
             "received": format(ln.received_qty.normalize(), "f"), "unit_price": format(ln.unit_price, "f")}
            for ln in po.lines
        ],
        "charges": [{"label": c.label, "amount": format(c.amount, "f"), "method": c.method} for c in po.charges],
        "receipts": [
            {"received_on": r.received_on.isoformat(), "reference": r.reference,
             "lines": [{"order_line_id": rl.order_line_id, "quantity": format(rl.quantity.normalize(), "f")} for rl in r.lines]}
            for r in po.receipts
        ],
    }
    if with_landed:
        try:
            out["landed"] = [
                {"sku": a.key, "quantity": format(a.quantity.normalize(), "f"), "goods": format(a.goods, "f"),
                 "allocated": format(a.allocated, "f"), "landed_unit_cost": format(a.landed_unit_cost, "f"),
                 "explanation": list(a.explanation)}
                for a in landed_costs(s, po)
            ]
        except ValidationError as exc:
            out["landed"] = []
            out["landed_error"] = exc.message
    return out


# --- purchase invoices ------------------------------------------------------------------


@dataclass(frozen=True)
class PurchaseInvoiceRecord:
    number: str
    issued: date
    seller: str
    goods: str
    unit: str
    quantity: Decimal
    net: Decimal
    vat: Decimal
    rate: Decimal
    invoice_type: str
    sku: str | None
    currency: str


def record_invoice(s: Session, principal: Principal, data: dict[str, Any]) -> tuple[PurchaseInvoice, str]:
    """Record a purchase invoice with its lines. Returns (invoice, "created" | "unchanged").

    ``data``: supplier (name), number, invoice_date, invoice_type, vat_rate, currency, order
    (PO number, optional), lines: [{sku?, description, unit, quantity, net_amount, vat_amount?}].
    Line VAT defaults to net × rate rounded to the cent; the header totals are the line sums.
    """
    principal.require("finance")
    sup = supplier_by_name(s, principal, str(data.get("supplier", "")).strip())
    number = str(data.get("number", "")).strip()
    if not number.isdigit() or not 8 <= len(number) <= 20:
        raise ValidationError(f"number: {number!r} is not an invoice number (8 to 20 digits)", field="number")
    itype = str(data.get("invoice_type", sup.invoice_type))
    if itype not in model.INVOICE_TYPES:
        raise ValidationError(f"invoice_type: use one of {', '.join(model.INVOICE_TYPES)}", field="invoice_type")
    issued = _date(data.get("invoice_date", ""), "invoice_date")
    rate = to_decimal(str(data.get("vat_rate", sup.vat_rate)), "vat_rate")
    currency = check_currency(str(data.get("currency", "CNY")))
    raw_lines = data.get("lines") or []
    if not raw_lines:
        raise ValidationError("lines: an invoice needs at least one line", field="lines")
    lines = []
    for i, ln in enumerate(raw_lines, start=1):
        sku_id = None
        if ln.get("sku"):
            sku_id = _sku(s, principal.org_id, str(ln["sku"])).id
        desc = str(ln.get("description", "")).strip()
        if not desc:
            raise ValidationError(f"lines[{i}].description: the goods name on the invoice is required", field="description")
        qty = to_decimal(str(ln.get("quantity", "")), f"lines[{i}].quantity")
        net = to_decimal(str(ln.get("net_amount", "")), f"lines[{i}].net_amount")
        if qty <= 0 or net <= 0:
            raise ValidationError(f"lines[{i}]: quantity and net_amount must be positive", field="lines")
        vat = to_decimal(str(ln["vat_amount"]), f"lines[{i}].vat_amount") if ln.get("vat_amount") not in (None, "") \
            else quantize(net * rate, 2)
        lines.append((sku_id, desc[:300], str(ln.get("unit", ""))[:20], qty, net, vat))
    order_id = None
    if data.get("order"):
        order_id = order_by_number(s, principal, str(data["order"])).id
    existing = s.scalars(select(PurchaseInvoice).where(PurchaseInvoice.org_id == principal.org_id,
                                                       PurchaseInvoice.supplier_id == sup.id,
                                                       PurchaseInvoice.number == number)).first()
    net_total = sum((x[4] for x in lines), Decimal(0))
    vat_total = sum((x[5] for x in lines), Decimal(0))
    if existing is not None:
        same = (existing.net_amount == net_total and existing.vat_amount == vat_total and existing.invoice_date == issued
                and existing.invoice_type == itype and len(existing.lines) == len(lines))
        if same:
            return existing, "unchanged"
        raise Conflict(f"number: invoice {number} of {sup.name} is already recorded with other amounts", field="number")
    inv = PurchaseInvoice(org_id=principal.org_id, supplier_id=sup.id, order_id=order_id, number=number,
                          invoice_date=issued, invoice_type=itype, currency=currency, net_amount=net_total,
                          vat_amount=vat_total, vat_rate=rate)
    for sku_id, desc, unit, qty, net, vat in lines:
        inv.lines.append(PurchaseInvoiceLine(org_id=principal.org_id, sku_id=sku_id, description=desc, unit=unit,
                                             quantity=qty, net_amount=net, vat_amount=vat))
    s.add(inv)
    s.flush()
    return inv, "created"


def _period(period: Any) -> tuple[date, date]:
    if isinstance(period, tuple):
        return period[0], period[1]
    text = str(period).strip()
    try:
        if len(text) == 7:  # YYYY-MM
            start = date.fromisoformat(text + "-01")
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            return start, end
        if len(text) == 4:
            return date(int(text), 1, 1), date(int(text), 12, 31)
    except ValueError:
        pass
    raise ValidationError(f"period: {period!r}; give YYYY-MM, YYYY or (start, end)", field="period")


def purchase_invoices(s: Session, org_id: int, period: Any) -> list[PurchaseInvoiceRecord]:
    """Invoice lines issued in ``period`` (for the rebate matcher; read-only)."""
    start, end = _period(period)
    from xborder.catalog.orm import Sku

    out: list[PurchaseInvoiceRecord] = []
    invs = s.scalars(select(PurchaseInvoice).where(PurchaseInvoice.org_id == org_id,
                                                   PurchaseInvoice.invoice_date >= start,
                                                   PurchaseInvoice.invoice_date <= end)
                     .order_by(PurchaseInvoice.invoice_date, PurchaseInvoice.number))
    for inv in invs:
        for ln in inv.lines:
            sku = s.get(Sku, ln.sku_id) if ln.sku_id else None
            out.append(PurchaseInvoiceRecord(inv.number, inv.invoice_date, inv.supplier.name, ln.description, ln.unit,
                                             ln.quantity, ln.net_amount, ln.vat_amount, inv.vat_rate, inv.invoice_type,
                                             sku.sku if sku else None, inv.currency))
    return out


def _m(x: Decimal) -> str:
    return format(quantize(x, 2), "f")


def rebate_invoices(s: Session, org_id: int, period: Any) -> list[Any]:
    """The period's invoice lines as ``xborder.rebate.matching.Invoice`` objects (``kind`` special or
    ordinary), ready for the rebate matcher; an empty list when the rebate package is absent."""
    try:
        from xborder.rebate.matching import Invoice
    except ImportError:
        return []
    kinds = {"vat_special": "special", "vat_ordinary": "ordinary", "none": "ordinary"}
    return [Invoice(r.number, r.issued, r.seller, r.goods, r.unit, r.quantity, r.net, r.vat, r.rate,
                    kinds[r.invoice_type]) for r in purchase_invoices(s, org_id, period)]


def invoice_dict(inv: PurchaseInvoice) -> dict[str, Any]:
    return {
        "id": inv.id, "number": inv.number, "supplier": inv.supplier.name, "invoice_date": inv.invoice_date.isoformat(),
        "invoice_type": inv.invoice_type, "currency": inv.currency, "net_amount": _m(inv.net_amount),
        "vat_amount": _m(inv.vat_amount), "vat_rate": format(inv.vat_rate.normalize(), "f"),
        "recoverable_vat": _m(model.recoverable_vat(inv.net_amount, inv.vat_amount, inv.invoice_type)),
        "lines": [{"description": ln.description, "unit": ln.unit, "quantity": format(ln.quantity.normalize(), "f"),
                   "net_amount": _m(ln.net_amount), "vat_amount": _m(ln.vat_amount)} for ln in inv.lines],
    }


def list_invoices(s: Session, org_id: int) -> list[PurchaseInvoice]:
    return list(s.scalars(select(PurchaseInvoice).where(PurchaseInvoice.org_id == org_id)
                          .order_by(PurchaseInvoice.invoice_date.desc(), PurchaseInvoice.id.desc())))


# --- reorder plan -----------------------------------------------------------------------


def _on_order(s: Session, org_id: int) -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    rows = s.execute(select(PurchaseOrderLine.sku_id, PurchaseOrderLine.quantity, PurchaseOrderLine.received_qty)
                     .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.order_id)
                     .where(PurchaseOrder.org_id == org_id, PurchaseOrder.status.in_(OPEN_STATUSES)))
    for sku_id, q, r in rows:
        out[sku_id] = out.get(sku_id, Decimal(0)) + (q - r)
    return out


def reorder_plan(
    s: Session,
    principal: Principal,
    *,
    run_id: int | None = None,
    service_level: Decimal = Decimal("0.95"),
    cash_limit: Decimal | None = None,
    review_weeks: int = 1,
    on: date | None = None,
) -> dict[str, Any]:
    """Suggested purchases per SKU from the latest (or given) saved forecast.

    Demand per SKU = Σ over its markets of the weekly forecast means; σ_week = √Σσ² (market
    errors taken as independent). Supplier = the one with a price for the SKU whose price at
    the suggested quantity is lowest. SKUs of the forecast that are not in the catalog, or
    have no supplier price in force on ``on`` (default today: the day the plan would be
    ordered), are listed under ``skipped`` with the reason.
    """
    on = on or date.today()
    from xborder.catalog.orm import Sku
    from xborder.selection import service as sel

    run = sel.get_forecast(s, principal, run_id) if run_id else sel.latest_forecast(s, principal.org_id)
    if run is None:
        raise ValidationError("forecast: no saved forecast; run `xborder forecast ... --save` first", field="forecast")
    per_sku: dict[str, tuple[list[Decimal], float]] = {}
    for ln in run.lines:
        import json

        means = [Decimal(str(p["mean"])) for p in json.loads(ln.weekly)]
        cur, var = per_sku.get(ln.product, ([Decimal(0)] * len(means), 0.0))
        per_sku[ln.product] = ([a + b for a, b in zip(cur, means, strict=False)] if cur else means,
                               var + float(ln.sigma_week) ** 2)
    suppliers = list_suppliers(s, principal.org_id)
    on_order = _on_order(s, principal.org_id)
    lines: list[model.ReorderLine] = []
    skipped: list[dict[str, str]] = []
    moqs: dict[str, int] = {}
    supplier_of: dict[str, Supplier] = {}
    for code, (means, var) in sorted(per_sku.items()):
        sku = s.scalars(select(Sku).where(Sku.org_id == principal.org_id, Sku.sku == code)).first()
        if sku is None:
            skipped.append({"sku": code, "reason": "not in the catalog"})
            continue
        st = s.scalars(select(StockLevel).where(StockLevel.org_id == principal.org_id, StockLevel.sku_id == sku.id)).first()
        on_hand = st.on_hand if st else Decimal(0)
        best: tuple[model.ReorderLine, Supplier] | None = None
        for sup in suppliers:
            br = breaks_for(sup, sku.id, on)
            if not br:
                continue
            sigma = Decimal(str(round(math.sqrt(var), 4)))
            base = model.ReorderInput(code, means, sigma, sup.lead_time_days, on_hand, on_order.get(sku.id, Decimal(0)),
                                      max(sup.moq, br[0].min_qty), br[0].unit_price, review_weeks, sup.name, sup.currency)
            line = model.reorder_line(base, service_level=service_level)
            if line.quantity > 0:
                price = model.price_for(br, line.quantity, moq=1)
                line = model.reorder_line(
                    model.ReorderInput(code, means, sigma, sup.lead_time_days, on_hand, on_order.get(sku.id, Decimal(0)),
                                       max(sup.moq, br[0].min_qty), price, review_weeks, sup.name, sup.currency),
                    service_level=service_level)
            if best is None or (line.unit_cost < best[0].unit_cost):
                best = (line, sup)
        if best is None:
            skipped.append({"sku": code, "reason": "no supplier price in force"})
            continue
        lines.append(best[0])
        moqs[code] = max(best[1].moq, breaks_for(best[1], sku.id, on)[0].min_qty)
        supplier_of[code] = best[1]
    if cash_limit is not None:
        lines = model.apply_cash_limit(lines, cash_limit, moqs)
    lines.sort(key=lambda ln: (ln.supplier, ln.sku))
    total = sum((ln.cost for ln in lines), Decimal(0))
    return {
        "forecast_run": run.id,
        "prices_on": on.isoformat(),
        "service_level": format(service_level, "f"),
        "cash_limit": format(cash_limit, "f") if cash_limit is not None else None,
        "total": format(quantize(total, 2), "f"),
        "lines": [
            {"sku": ln.sku, "supplier": ln.supplier, "quantity": format(ln.quantity.normalize(), "f") if ln.quantity else "0",
             "unit_cost": format(ln.unit_cost, "f"), "cost": format(ln.cost, "f"), "currency": ln.currency,
             "safety_stock": str(ln.safety_stock), "target": str(ln.target), "position": format(ln.position.normalize(), "f"),
             "weeks_of_cover": str(ln.weeks_of_cover) if ln.weeks_of_cover is not None else None,
             "note": ln.note, "explanation": list(ln.explanation)}
            for ln in lines
        ],
        "skipped": skipped,
    }


def order_from_plan(s: Session, principal: Principal, plan: dict[str, Any], *, only: list[str] | None = None,
                    order_date: date | None = None) -> list[PurchaseOrder]:
    """Turn the plan's lines (quantity > 0; optionally only some SKUs) into one PO per supplier."""
    principal.require("operations")
    groups: dict[str, list[tuple[str, Decimal, Decimal | None]]] = {}
    for ln in plan["lines"]:
        q = Decimal(ln["quantity"])
        if q <= 0 or (only is not None and ln["sku"] not in only):
            continue
        groups.setdefault(ln["supplier"], []).append((ln["sku"], q, Decimal(ln["unit_cost"])))
    if not groups:
        raise ValidationError("plan: no line to order", field="plan")
    return [create_order(s, principal, supplier_by_name(s, principal, name), lines, order_date=order_date,
                         notes=f"from reorder plan (forecast run {plan['forecast_run']})")
            for name, lines in sorted(groups.items())]

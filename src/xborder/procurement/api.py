"""Procurement endpoints under /api/v1/procurement. Money and quantities as decimal strings;
JSON numbers with a fraction are refused (send "4.50", not 4.50)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import Response

from xborder.accounts.service import Principal
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, download, get_uow
from xborder.errors import ValidationError
from xborder.importing import iso_date
from xborder.money import to_decimal
from xborder.procurement import service

router = APIRouter(prefix="/procurement", tags=["procurement"])


def _no_floats(value: Any, path: str = "body") -> Any:
    if isinstance(value, float):
        raise ValidationError(f"{path}: send decimal numbers as strings (\"4.50\"), not JSON floats", field=path)
    if isinstance(value, dict):
        return {k: _no_floats(v, f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_no_floats(v, f"{path}[{i}]") for i, v in enumerate(value)]
    return value


def _codes(uow: UnitOfWork, org_id: int) -> dict[int, str]:
    from xborder.catalog.orm import Sku

    return {k.id: k.sku for k in uow.session.query(Sku).filter(Sku.org_id == org_id)}


@router.get("/suppliers")
def suppliers(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    codes = _codes(uow, principal.org_id)
    return {"items": [service.supplier_dict(x, codes) for x in service.list_suppliers(uow.session, principal.org_id)]}


@router.post("/suppliers", status_code=201)
def create_supplier(body: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal),
                    uow: UnitOfWork = Depends(get_uow)) -> Any:
    sup = service.create_supplier(uow.session, principal, _no_floats(body))
    uow.commit()
    return service.supplier_dict(sup)


@router.get("/suppliers/{supplier_id}")
def get_supplier(supplier_id: int, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    return service.supplier_dict(service.get_supplier(uow.session, principal, supplier_id), _codes(uow, principal.org_id))


def _list(body: dict[str, Any], key: str) -> list[Any]:
    value = body.get(key) or []
    if not isinstance(value, list):
        raise ValidationError(f"{key}: expected a list", field=key)
    return value


_opt_date = iso_date  # (value, field name): None when empty, ValidationError when not YYYY-MM-DD


@router.put("/suppliers/{supplier_id}/prices")
def set_prices(supplier_id: int, body: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal),
               uow: UnitOfWork = Depends(get_uow)) -> Any:
    """Body: {"sku": "A-1", "breaks": [{"min_qty": 1, "unit_price": "5.00"}, ...], "valid_from": "2026-12-01"
    (default today), "valid_to": null, "close_previous": false, "replace_from": null}.

    Replaces the SKU's list starting on ``replace_from`` (default ``valid_from``); a tier whose
    validity overlaps another list's is refused (422) unless ``close_previous`` ends the earlier
    open lists the day before ``valid_from``."""
    body = _no_floats(body)
    sup = service.get_supplier(uow.session, principal, supplier_id)
    breaks = []
    for i, b in enumerate(_list(body, "breaks")):
        if not isinstance(b, dict) or "min_qty" not in b or "unit_price" not in b:
            raise ValidationError(f"breaks[{i}]: give min_qty and unit_price", field="breaks")
        try:
            q = int(str(b["min_qty"]))
        except ValueError:  # also a boolean or an object: their text is not digits
            raise ValidationError(f"breaks[{i}].min_qty: {b['min_qty']!r} is not a whole number", field="breaks") from None
        breaks.append((q, to_decimal(str(b["unit_price"]), f"breaks[{i}].unit_price")))
    close = body.get("close_previous", False)
    if not isinstance(close, bool):
        raise ValidationError("close_previous: true or false", field="close_previous")
    service.set_prices(uow.session, principal, sup, str(body.get("sku", "")), breaks,
                       valid_from=_opt_date(body.get("valid_from"), "valid_from"),
                       valid_to=_opt_date(body.get("valid_to"), "valid_to"),
                       replace_from=_opt_date(body.get("replace_from"), "replace_from"), close_previous=close)
    uow.commit()
    return service.supplier_dict(sup, _codes(uow, principal.org_id))


@router.get("/suppliers/{supplier_id}/prices")
def price_lists(supplier_id: int, sku: str | None = None, on: str | None = Query(None, description="YYYY-MM-DD"),
                principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    """The supplier's price lists with their validity (history: past, current, future), and the
    breaks in force on ``on`` (default today)."""
    sup = service.get_supplier(uow.session, principal, supplier_id)
    codes = _codes(uow, principal.org_id)
    day = _opt_date(on, "on") or date.today()
    sku_id = service.sku_id(uow.session, principal, sku) if sku else None
    lists = service.price_lists(sup, codes, sku_id=sku_id, on=day)
    in_force = [dict(b, sku=pl["sku"], valid_from=pl["valid_from"], valid_to=pl["valid_to"])
                for pl in lists if pl["status"] == "current" for b in pl["breaks"]]
    return {"supplier": sup.name, "on": day.isoformat(), "lists": lists, "in_force": in_force}


@router.get("/orders")
def orders(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    return {"items": [service.order_dict(uow.session, po, with_landed=False)
                      for po in service.list_orders(uow.session, principal.org_id)]}


@router.get("/orders/export")
def orders_export(format: str = Query("csv", pattern="^(csv|xlsx)$"), principal: Principal = Depends(api_principal),
                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Every purchase order line as CSV or XLSX (columns: ``service.PO_LINE_COLUMNS``)."""
    return download(service.purchase_orders_table(uow.session, principal.org_id), format)


@router.post("/orders", status_code=201)
def create_order(body: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal),
                 uow: UnitOfWork = Depends(get_uow)) -> Any:
    """Body: {"supplier_id": 1, "order_date": "2026-11-01", "lines": [{"sku": "A-1", "quantity": "100", "unit_price": null}]}."""
    body = _no_floats(body)
    sup = service.get_supplier(uow.session, principal, service._int(body.get("supplier_id", 0), "supplier_id", 1))
    lines = []
    for i, ln in enumerate(_list(body, "lines")):
        if not isinstance(ln, dict):
            raise ValidationError(f"lines[{i}]: expected an object with sku and quantity", field="lines")
        lines.append((str(ln.get("sku", "")), to_decimal(str(ln.get("quantity", "0")), f"lines[{i}].quantity"),
                      to_decimal(str(ln["unit_price"]), f"lines[{i}].unit_price")
                      if ln.get("unit_price") not in (None, "") else None))
    po = service.create_order(uow.session, principal, sup, lines, number=body.get("number"),
                              order_date=_opt_date(body.get("order_date"), "order_date"))
    uow.commit()
    return service.order_dict(uow.session, po)


@router.get("/orders/{order_id}")
def get_order(order_id: int, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    return service.order_dict(uow.session, service.get_order(uow.session, principal, order_id))


@router.post("/orders/{order_id}/receipts", status_code=201)
def receive(order_id: int, body: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal),
            uow: UnitOfWork = Depends(get_uow)) -> Any:
    """Body: {"received_on": "2026-11-20", "reference": "…", "quantities": {"A-1": "40"}}."""
    body = _no_floats(body)
    po = service.get_order(uow.session, principal, order_id)
    quantities = body.get("quantities") or {}
    if not isinstance(quantities, dict):
        raise ValidationError('quantities: expected an object {"SKU": "quantity", ...}', field="quantities")
    service.receive(uow.session, principal, po, {str(k): str(v) for k, v in quantities.items()},
                    received_on=_opt_date(body.get("received_on"), "received_on"),
                    reference=str(body.get("reference", "")))
    uow.commit()
    return service.order_dict(uow.session, po)


@router.post("/orders/{order_id}/charges", status_code=201)
def add_charge(order_id: int, body: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal),
               uow: UnitOfWork = Depends(get_uow)) -> Any:
    body = _no_floats(body)
    po = service.get_order(uow.session, principal, order_id)
    service.add_charge(uow.session, principal, po, str(body.get("label", "")), body.get("amount", ""),
                       str(body.get("method", "value")))
    uow.commit()
    return service.order_dict(uow.session, po)


@router.get("/invoices")
def invoices(period: str = Query(..., description="YYYY-MM or YYYY"), principal: Principal = Depends(api_principal),
             uow: UnitOfWork = Depends(get_uow)) -> Any:
    """Purchase invoice lines of a period, as the rebate matcher reads them."""
    rows = service.purchase_invoices(uow.session, principal.org_id, period)
    return {"items": [{"number": r.number, "issued": r.issued.isoformat(), "seller": r.seller, "goods": r.goods,
                       "unit": r.unit, "quantity": format(r.quantity.normalize(), "f"), "net": service._m(r.net),
                       "vat": service._m(r.vat), "rate": format(r.rate.normalize(), "f"), "invoice_type": r.invoice_type,
                       "sku": r.sku, "currency": r.currency} for r in rows]}


@router.post("/invoices", status_code=201)
def record_invoice(body: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal),
                   uow: UnitOfWork = Depends(get_uow)) -> Any:
    inv, status = service.record_invoice(uow.session, principal, _no_floats(body))
    uow.commit()
    return {**service.invoice_dict(inv), "status": status}


@router.put("/stock/{sku}")
def set_stock(sku: str, body: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal),
              uow: UnitOfWork = Depends(get_uow)) -> Any:
    body = _no_floats(body)
    row = service.set_stock(uow.session, principal, sku, body.get("on_hand", ""))
    uow.commit()
    return {"sku": sku, "on_hand": format(row.on_hand.normalize(), "f"), "counted_on": row.counted_on.isoformat()}


@router.get("/reorder")
def reorder(service_level: str = "0.95", cash_limit: str | None = None, review_weeks: int = 1,
            forecast_run: int | None = None, on: str | None = Query(None, description="price lists in force on YYYY-MM-DD"),
            principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    return service.reorder_plan(uow.session, principal, run_id=forecast_run, service_level=to_decimal(service_level, "service_level"),
                                cash_limit=to_decimal(cash_limit, "cash_limit") if cash_limit else None, review_weeks=review_weeks,
                                on=_opt_date(on, "on"))


@router.get("/reorder/export")
def reorder_export(service_level: str = "0.95", cash_limit: str | None = None, review_weeks: int = 1,
                   forecast_run: int | None = None, on: str | None = Query(None, description="price lists in force on YYYY-MM-DD"),
                   format: str = Query("csv", pattern="^(csv|xlsx)$"),
                   principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The reorder plan as CSV or XLSX (columns: ``service.REORDER_COLUMNS``)."""
    plan = service.reorder_plan(uow.session, principal, run_id=forecast_run, service_level=to_decimal(service_level, "service_level"),
                                cash_limit=to_decimal(cash_limit, "cash_limit") if cash_limit else None, review_weeks=review_weeks,
                                on=_opt_date(on, "on"))
    return download(service.reorder_table(plan), format)


@router.post("/reorder/orders", status_code=201)
def reorder_to_orders(body: dict[str, Any] = Body(default={}), principal: Principal = Depends(api_principal),
                      uow: UnitOfWork = Depends(get_uow)) -> Any:
    """One step from plan to purchase orders. Body: {service_level?, cash_limit?, skus?: [...]}."""
    body = _no_floats(body)
    plan = service.reorder_plan(uow.session, principal, service_level=Decimal(str(body.get("service_level", "0.95"))),
                                cash_limit=Decimal(str(body["cash_limit"])) if body.get("cash_limit") else None)
    pos = service.order_from_plan(uow.session, principal, plan, only=body.get("skus"))
    uow.commit()
    return {"orders": [service.order_dict(uow.session, po, with_landed=False) for po in pos]}

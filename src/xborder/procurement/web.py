"""Procurement pages: suppliers and price breaks, purchase orders (receipts, charges, landed
cost), purchase invoices, stock counts, and the reorder plan with one-click purchase orders."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from xborder import i18n
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import (
    WebContext,
    csrf_protect,
    download,
    get_uow,
    render,
    request_language,
    web_context,
)
from xborder.errors import NotFound, ValidationError, XborderError
from xborder.importing import iso_date
from xborder.money import to_decimal
from xborder.procurement import model, service

router = APIRouter(include_in_schema=False)
CSRF = [Depends(csrf_protect)]


def _skus(uow: UnitOfWork, org_id: int) -> list[Any]:
    from xborder.catalog.orm import Sku

    return list(uow.session.query(Sku).filter(Sku.org_id == org_id).order_by(Sku.sku))


def _index(request: Request, ctx: WebContext, uow: UnitOfWork, status: int = 200, **extra: Any) -> Response:
    org = ctx.principal.org_id
    codes = {k.id: k.sku for k in _skus(uow, org)}
    return render(request, "procurement/index.html", {
        "suppliers": [service.supplier_dict(x, codes) for x in service.list_suppliers(uow.session, org)],
        "orders": [service.order_dict(uow.session, po, with_landed=False) for po in service.list_orders(uow.session, org)],
        "invoices": [service.invoice_dict(i) for i in service.list_invoices(uow.session, org)[:50]],
        "skus": list(codes.values()), "invoice_types": model.INVOICE_TYPES, "methods": model.ALLOCATION_METHODS,
        "values": extra.pop("values", {}), **extra}, status_code=status)


@router.get("/procurement")
def index(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    notice = request.query_params.get("notice")
    return _index(request, ctx, uow, notice=notice)


@router.post("/procurement/suppliers", dependencies=CSRF)
async def add_supplier(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("name", "currency", "moq", "lead_time_days", "invoice_type",
                                                         "vat_rate", "contact")}
    errors = service.supplier_errors(values)
    if errors:
        return _index(request, ctx, uow, 422, errors=errors, values=values, error=next(iter(errors.values())))
    try:
        service.create_supplier(uow.session, ctx.principal, values)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return _index(request, ctx, uow, exc.http_status, errors={exc.field or "name": exc.message}, values=values,
                      error=exc.message)
    return RedirectResponse("/procurement?notice=supplier+saved", status_code=303)


def _supplier_page(request: Request, ctx: WebContext, uow: UnitOfWork, supplier_id: int, status: int = 200,
                   **extra: Any) -> Response:
    sup = service.get_supplier(uow.session, ctx.principal, supplier_id)
    skus = _skus(uow, ctx.principal.org_id)
    codes = {k.id: k.sku for k in skus}
    return render(request, "procurement/supplier.html", {
        "supplier": service.supplier_dict(sup, codes), "supplier_id": sup.id, "lists": service.price_lists(sup, codes),
        "skus": list(codes.values()), "today": date.today().isoformat(), "values": extra.pop("values", {}), **extra},
        status_code=status)


@router.get("/procurement/suppliers/{supplier_id}")
def supplier_page(supplier_id: int, request: Request, ctx: WebContext = Depends(web_context),
                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    return _supplier_page(request, ctx, uow, supplier_id, notice=request.query_params.get("notice"))


_form_date = iso_date  # (value, field name): None when empty, ValidationError when not YYYY-MM-DD


@router.post("/procurement/suppliers/{supplier_id}/prices", dependencies=CSRF)
def set_prices(supplier_id: int, request: Request, sku: str = Form(...), breaks: str = Form(...),
               valid_from: str = Form(""), valid_to: str = Form(""), replace_from: str = Form(""),
               close_previous: str = Form(""), ctx: WebContext = Depends(web_context),
               uow: UnitOfWork = Depends(get_uow)) -> Response:
    values = {"sku": sku, "breaks": breaks, "valid_from": valid_from, "valid_to": valid_to, "close_previous": close_previous}
    try:
        sup = service.get_supplier(uow.session, ctx.principal, supplier_id)
        pairs = []
        for part in breaks.replace("\n", ",").split(","):
            if not part.strip():
                continue
            if ":" not in part:
                raise ValidationError(f"breaks: {part.strip()!r}; write MIN_QTY:PRICE, e.g. 100:4.50", field="breaks")
            q, p = part.split(":", 1)
            pairs.append((int(q.strip()) if q.strip().isdigit() else -1, to_decimal(p.strip(), "breaks")))
        service.set_prices(uow.session, ctx.principal, sup, sku, pairs, valid_from=_form_date(valid_from, "valid_from"),
                           valid_to=_form_date(valid_to, "valid_to"), replace_from=_form_date(replace_from, "replace_from"),
                           close_previous=bool(close_previous))
        uow.commit()
    except NotFound:
        raise
    except XborderError as exc:
        uow.rollback()
        return _supplier_page(request, ctx, uow, supplier_id, exc.http_status, error=exc.message, values=values)
    return RedirectResponse(f"/procurement/suppliers/{supplier_id}?notice=prices+saved", status_code=303)


def _lines(text: str) -> list[tuple[str, Decimal, Decimal | None]]:
    out = []
    for raw in text.replace(",", "\n").splitlines():
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split(":")]
        if len(parts) not in (2, 3) or not parts[0]:
            raise ValidationError(f"lines: {raw.strip()!r}; write SKU:QTY or SKU:QTY:PRICE", field="lines")
        out.append((parts[0], to_decimal(parts[1], "quantity"), to_decimal(parts[2], "unit_price") if len(parts) == 3 else None))
    return out


@router.post("/procurement/orders", dependencies=CSRF)
def create_order(request: Request, supplier_id: int = Form(...), lines: str = Form(""), order_date: str = Form(""),
                 ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    try:
        sup = service.get_supplier(uow.session, ctx.principal, supplier_id)
        po = service.create_order(uow.session, ctx.principal, sup, _lines(lines),
                                  order_date=date.fromisoformat(order_date) if order_date else None)
        uow.commit()
    except (XborderError, ValueError) as exc:
        uow.rollback()
        msg = exc.message if isinstance(exc, XborderError) else f"order_date: {exc}"
        return _index(request, ctx, uow, getattr(exc, "http_status", 422), error=msg,
                      values={"lines": lines, "supplier_id": supplier_id})
    return RedirectResponse(f"/procurement/orders/{po.id}", status_code=303)


def _order_page(request: Request, ctx: WebContext, uow: UnitOfWork, order_id: int, status: int = 200,
                **extra: Any) -> Response:
    po = service.get_order(uow.session, ctx.principal, order_id)
    return render(request, "procurement/order.html", {"po": service.order_dict(uow.session, po), "order_id": po.id,
                                                      "methods": model.ALLOCATION_METHODS, **extra}, status_code=status)


@router.get("/procurement/orders/export")
def orders_export(format: str = "csv", ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Every purchase order line: ordered, received, outstanding."""
    return download(service.purchase_orders_table(uow.session, ctx.principal.org_id), format)


@router.get("/procurement/orders/{order_id}")
def order_page(order_id: int, request: Request, ctx: WebContext = Depends(web_context),
               uow: UnitOfWork = Depends(get_uow)) -> Response:
    return _order_page(request, ctx, uow, order_id, notice=request.query_params.get("notice"))


@router.post("/procurement/orders/{order_id}/receive", dependencies=CSRF)
async def receive(order_id: int, request: Request, ctx: WebContext = Depends(web_context),
                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    qty = {k[4:]: str(v).strip() or "0" for k, v in form.items() if k.startswith("qty:")}
    try:
        po = service.get_order(uow.session, ctx.principal, order_id)
        service.receive(uow.session, ctx.principal, po, qty, reference=str(form.get("reference", "")),
                        received_on=_form_date(str(form.get("received_on") or ""), "received_on"))
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return _order_page(request, ctx, uow, order_id, exc.http_status, error=exc.message)
    return RedirectResponse(f"/procurement/orders/{order_id}?notice=received", status_code=303)


@router.post("/procurement/orders/{order_id}/charges", dependencies=CSRF)
def add_charge(order_id: int, request: Request, label: str = Form(""), amount: str = Form(""), method: str = Form("value"),
               ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    try:
        po = service.get_order(uow.session, ctx.principal, order_id)
        service.add_charge(uow.session, ctx.principal, po, label, amount, method)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return _order_page(request, ctx, uow, order_id, exc.http_status, error=exc.message)
    return RedirectResponse(f"/procurement/orders/{order_id}?notice=charge+added", status_code=303)


@router.post("/procurement/invoices", dependencies=CSRF)
async def add_invoice(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = {k: str(v).strip() for k, v in (await request.form()).items()}
    data = {"supplier": form.get("supplier", ""), "number": form.get("number", ""),
            "invoice_date": form.get("invoice_date", ""), "invoice_type": form.get("invoice_type", "vat_special"),
            "vat_rate": form.get("vat_rate") or "0.13", "order": form.get("order") or None,
            "lines": [{"sku": form.get("sku") or None, "description": form.get("description", ""),
                       "unit": form.get("unit", ""), "quantity": form.get("quantity", ""),
                       "net_amount": form.get("net_amount", ""), "vat_amount": form.get("vat_amount") or None}]}
    try:
        _inv, status = service.record_invoice(uow.session, ctx.principal, data)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return _index(request, ctx, uow, exc.http_status, error=exc.message, values=form)
    return RedirectResponse(f"/procurement?notice=invoice+{status}", status_code=303)


@router.post("/procurement/stock", dependencies=CSRF)
def set_stock(request: Request, sku: str = Form(...), on_hand: str = Form(...), ctx: WebContext = Depends(web_context),
              uow: UnitOfWork = Depends(get_uow)) -> Response:
    try:
        service.set_stock(uow.session, ctx.principal, sku, on_hand)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return _index(request, ctx, uow, exc.http_status, error=exc.message)
    return RedirectResponse("/procurement?notice=stock+saved", status_code=303)


def _plan_args(service_level: str, cash_limit: str) -> tuple[Decimal, Decimal | None]:
    return to_decimal(service_level or "0.95", "service_level"), (to_decimal(cash_limit, "cash_limit") if cash_limit else None)


@router.get("/procurement/reorder")
def reorder_page(request: Request, service_level: str = "0.95", cash_limit: str = "", forecast_run: str = "",
                 ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    plan = None
    error = None
    try:
        sl, cash = _plan_args(service_level, cash_limit)
        plan = service.reorder_plan(uow.session, ctx.principal, run_id=int(forecast_run) if forecast_run.isdigit() else None,
                                    service_level=sl, cash_limit=cash)
    except XborderError as exc:
        error = i18n.gettext(request_language(request), exc.message)  # English for the CLI/API; the page translates known ones
    return render(request, "procurement/reorder.html", {"plan": plan, "error": error, "service_level": service_level,
                                                        "cash_limit": cash_limit, "forecast_run": forecast_run})


@router.get("/procurement/reorder/export")
def reorder_export(service_level: str = "0.95", cash_limit: str = "", forecast_run: str = "", format: str = "csv",
                   ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The plan shown on the page, as CSV or Excel (to send to the suppliers or keep)."""
    sl, cash = _plan_args(service_level, cash_limit)
    plan = service.reorder_plan(uow.session, ctx.principal, run_id=int(forecast_run) if forecast_run.isdigit() else None,
                                service_level=sl, cash_limit=cash)
    return download(service.reorder_table(plan), format)


@router.post("/procurement/reorder", dependencies=CSRF)
async def reorder_order(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    try:
        sl, cash = _plan_args(str(form.get("service_level", "0.95")), str(form.get("cash_limit", "")))
        fr = str(form.get("forecast_run", ""))
        plan = service.reorder_plan(uow.session, ctx.principal, run_id=int(fr) if fr.isdigit() else None,
                                    service_level=sl, cash_limit=cash)
        only = [str(v) for v in form.getlist("sku")] or None
        pos = service.order_from_plan(uow.session, ctx.principal, plan, only=only)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        msg = i18n.gettext(request_language(request), exc.message)
        return render(request, "procurement/reorder.html", {"plan": None, "error": msg, "service_level": "0.95",
                                                            "cash_limit": "", "forecast_run": ""},
                      status_code=exc.http_status)
    return RedirectResponse("/procurement?notice=" + "+".join(po.number for po in pos), status_code=303)

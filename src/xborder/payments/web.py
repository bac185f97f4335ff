"""Payments pages: payouts with import (settlements, PayPal, Stripe, collection statements),
reconciliation (fees by type, discrepancies, payout → receipt → FX settlement ties), FX
settlements (entered or imported) and open exposure."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from xborder.db import UnitOfWork
from xborder.entrypoints.deps import WebContext, csrf_protect, download, get_uow, render, web_context
from xborder.errors import ImportRejected, XborderError
from xborder.payments import service
from xborder.payments.importers import FORMATS

router = APIRouter(include_in_schema=False)


def _d2(v: Decimal) -> str:
    from xborder.money import dec_str

    return dec_str(Decimal(v), 2)


def _d6(v: Decimal) -> str:
    from xborder.money import dec_str

    return dec_str(Decimal(v), 6)
CSRF = [Depends(csrf_protect)]


def _page(request: Request, ctx: WebContext, uow: UnitOfWork, tolerance: str = "0.01", status: int = 200,
          **extra: object) -> Response:
    from xborder.fx import service as fx
    from xborder.sales.service import list_mappings

    try:
        tol = service.parse_tolerance(tolerance)
    except XborderError as exc:  # the page still shows, with the default and the reason
        tol, tolerance = Decimal("0.01"), "0.01"
        extra.setdefault("error", exc.message)
    recon = service.run_reconcile(uow.session, ctx.principal, tol).to_dict()
    kinds: dict[str, int] = {}
    for d in recon["discrepancies"]:
        kinds[d["type"]] = kinds.get(d["type"], 0) + 1
    return render(request, "payments/index.html", {
        "payouts": service.list_payouts(uow.session, ctx.principal), "recon": recon, "kinds": kinds,
        "tolerance": tolerance, "formats": FORMATS, "mappings": list_mappings(uow.session, ctx.principal, "payouts"),
        "settlements": fx.list_settlements(uow.session, ctx.principal), "exposure": fx.open_exposure(uow.session, ctx.principal),
        "receipts": service.list_receipts(uow.session, ctx.principal)[:200], "today": date.today().isoformat(), "d2": _d2, "d6": _d6, **extra},
        status_code=status)


@router.get("/payments")
def payments_page(request: Request, tolerance: str = "0.01", ctx: WebContext = Depends(web_context),
                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    return _page(request, ctx, uow, tolerance)


@router.post("/payments/import", dependencies=CSRF)
async def payments_import(request: Request, format: str = Form(...), mapping: str = Form(""), file: UploadFile = File(...),
                          ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    data = await file.read()
    try:
        out = service.import_payouts(uow.session, ctx.principal, format, data, mapping=mapping or None, filename=file.filename or '')
        uow.commit()
    except ImportRejected as exc:
        uow.rollback()
        return _page(request, ctx, uow, rejected=exc, filename=file.filename, status=422)
    except XborderError as exc:
        uow.rollback()
        return _page(request, ctx, uow, error=exc.message, status=exc.http_status)
    return _page(request, ctx, uow, result=out, filename=file.filename)


@router.post("/payments/fx-settlements", dependencies=CSRF)
async def add_settlement(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    from xborder.fx import service as fx

    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ("on", "platform", "ref", "currency", "foreign_amount",
                                                        "cny_received", "fee", "quoted_rate")}
    try:
        try:
            on = date.fromisoformat(values["on"])
        except ValueError:
            raise XborderError("date: use YYYY-MM-DD", code="VALIDATION_ERROR", field="on") from None
        fx.add_settlement(uow.session, ctx.principal, on=on, platform=values["platform"], ref=values["ref"],
                          currency=values["currency"], foreign_amount=values["foreign_amount"],
                          cny_received=values["cny_received"], fee=values["fee"] or "0",
                          quoted_rate=values["quoted_rate"] or None)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return _page(request, ctx, uow, fx_error=exc.message, fx_form=values, status=422)
    return RedirectResponse("/payments#fx", status_code=303)


@router.get("/payments/discrepancies/export")
def discrepancies_export(tolerance: str = "0.01", format: str = "csv", ctx: WebContext = Depends(web_context),
                         uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Every discrepancy of the reconciliation (the page shows the first 500) as CSV or Excel."""
    result = service.run_reconcile(uow.session, ctx.principal, service.parse_tolerance(tolerance))
    return download(service.discrepancies_table(result), format)


@router.get("/payments/{payout_id}/export")
def payout_export(payout_id: int, format: str = "csv", ctx: WebContext = Depends(web_context),
                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    return download(service.payout_lines_table(uow.session, ctx.principal, payout_id), format)


@router.get("/payments/{payout_id}")
def payout_page(request: Request, payout_id: int, ctx: WebContext = Depends(web_context),
                uow: UnitOfWork = Depends(get_uow)) -> Response:
    p, lines = service.get_payout(uow.session, ctx.principal, payout_id)
    by_class, count = service.payout_sums(uow.session, p)  # over every line, not only the 5,000 shown
    return render(request, "payments/payout.html", {"p": p, "lines": lines, "by_class": sorted(by_class.items()),
                                                    "line_sum": sum(by_class.values(), Decimal(0)), "line_count": count})

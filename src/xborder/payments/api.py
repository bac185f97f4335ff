"""Payout and reconciliation endpoints under /api/v1/payouts and /api/v1/reconcile."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response

from xborder.accounts.service import Principal
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, download, get_uow
from xborder.payments import service

router = APIRouter(tags=["payments"])


@router.post("/payouts/import")
async def import_payouts(format: str = Form(...), mapping: str | None = Form(None), file: UploadFile = File(...),
                         principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    out = service.import_payouts(uow.session, principal, format, await file.read(), mapping=mapping or None, filename=file.filename or '')
    uow.commit()
    return out.to_dict()


@router.get("/payouts")
def list_payouts(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> list[dict[str, Any]]:
    return [service.payout_to_dict(p, n) for p, n in service.list_payouts(uow.session, principal)]


@router.get("/payouts/{payout_id}")
def get_payout(payout_id: int, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    p, lines = service.get_payout(uow.session, principal, payout_id)
    return {**service.payout_to_dict(p, len(lines)), "items": [service.line_to_dict(ln) for ln in lines]}


@router.get("/reconcile")
def reconcile(tolerance: str = "0.01", principal: Principal = Depends(api_principal),
              uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Same JSON as ``xborder reconcile --json``."""
    return service.run_reconcile(uow.session, principal, service.parse_tolerance(tolerance)).to_dict()


@router.get("/reconcile/export")
def reconcile_export(tolerance: str = "0.01", format: str = Query("csv", pattern="^(csv|xlsx)$"),
                     principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Every discrepancy as CSV or XLSX (columns: ``service.DISCREPANCY_COLUMNS``)."""
    result = service.run_reconcile(uow.session, principal, service.parse_tolerance(tolerance))
    return download(service.discrepancies_table(result), format)


@router.get("/payouts/{payout_id}/export")
def payout_export(payout_id: int, format: str = Query("csv", pattern="^(csv|xlsx)$"),
                  principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Every line of one payout as CSV or XLSX (columns: ``service.PAYOUT_LINE_COLUMNS``)."""
    return download(service.payout_lines_table(uow.session, principal, payout_id), format)

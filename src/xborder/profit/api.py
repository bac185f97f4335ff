"""Profit endpoints under /api/v1/profit."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from xborder.accounts.service import Principal
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, download, get_uow
from xborder.profit import service

router = APIRouter(prefix="/profit", tags=["profit"])


@router.get("")
def profit(by: str = Query("sku", pattern="^(order|sku|market|channel|month)$"),
           principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Same JSON as ``xborder profit --by … --json``."""
    return service.profit_rows(uow.session, principal, by)


@router.get("/lines")
def lines(by: str = Query("sku", pattern="^(order|sku|market|channel|month)$"), key: str = Query(...),
          principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Drill-down: the order lines behind one figure, each with its explanation lines."""
    report = service.build_report(uow.session, principal)
    return {"currency": "CNY", "by": by, "key": key, "lines": [service.line_to_dict(ln)
                                                              for ln in service.line_details(report, by=by, key=key)]}


@router.get("/export")
def export(by: str = Query("sku", pattern="^(order|sku|market|channel|month)$"), format: str = Query("csv", pattern="^(csv|xlsx)$"),
           principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The report as CSV or XLSX (same rows as ``GET /profit``)."""
    return download(service.report_table(uow.session, principal, by), format)


@router.get("/lines/export")
def export_lines(by: str = Query("order", pattern="^(order|sku|market|channel|month)$"), key: str | None = Query(None),
                 format: str = Query("csv", pattern="^(csv|xlsx)$"),
                 principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Every order line (or those behind ``key``) with its figures in CNY and the rule behind each."""
    return download(service.lines_table(uow.session, principal, by=by, key=key), format)

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


PERIOD = Query(None, description="all (default), this-month, last-month, last-30-days, last-90-days, this-quarter, "
                                  "last-quarter, this-year or last-year; from/to win over it")
FROM = Query(None, alias="from", description="first order date, included (YYYY-MM-DD)")
TO = Query(None, alias="to", description="last order date, included (YYYY-MM-DD)")
SKU = Query(None, max_length=64, description="only this SKU's order lines")


@router.get("")
def profit(by: str = Query("sku", pattern="^(order|sku|market|channel|month)$"), period: str | None = PERIOD,
           start: str | None = FROM, last: str | None = TO, sku: str | None = SKU,
           principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Same JSON as ``xborder profit --by … --json``: ``currency`` and ``rows``, with the
    ``period``, the ``previous_period`` and the ``totals`` of both (and their change) beside."""
    return service.profit_rows(uow.session, principal, by, period=service.period_from(period, start, last), sku=sku or None)


@router.get("/sku-markets")
def sku_markets(sku: str = Query(..., min_length=1, max_length=64), period: str | None = Query("last-365-days"),
                start: str | None = FROM, last: str | None = TO,
                principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """One SKU by market: orders, units, revenue, margin, margin per unit and share of revenue
    (the catalog SKU page's card); the row with ``key`` null is the total."""
    chosen = service.period_from(period, start, last)
    rows = service.sku_markets(service.period_report(uow.session, principal, chosen), sku)
    return {"currency": "CNY", "sku": sku, "period": chosen.to_dict(), "rows": rows}


@router.get("/lines")
def lines(by: str = Query("sku", pattern="^(order|sku|market|channel|month)$"), key: str = Query(...),
          period: str | None = PERIOD, start: str | None = FROM, last: str | None = TO,
          principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Drill-down: the order lines behind one figure, each with its explanation lines."""
    chosen = service.period_from(period, start, last)
    report = service.period_report(uow.session, principal, chosen)
    return {"currency": "CNY", "by": by, "key": key, "period": chosen.to_dict(),
            "lines": [service.line_to_dict(ln) for ln in service.line_details(report, by=by, key=key)]}


@router.get("/export")
def export(by: str = Query("sku", pattern="^(order|sku|market|channel|month)$"), format: str = Query("csv", pattern="^(csv|xlsx)$"),
           period: str | None = PERIOD, start: str | None = FROM, last: str | None = TO, sku: str | None = SKU,
           principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The report as CSV or XLSX (same rows as ``GET /profit``)."""
    p = service.period_from(period, start, last)
    return download(service.report_table(uow.session, principal, by, sku=sku or None, start=p.start, end=p.end), format)


@router.get("/lines/export")
def export_lines(by: str = Query("order", pattern="^(order|sku|market|channel|month)$"), key: str | None = Query(None),
                 format: str = Query("csv", pattern="^(csv|xlsx)$"),
                 period: str | None = PERIOD, start: str | None = FROM, last: str | None = TO,
                 principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Every order line (or those behind ``key``) with its figures in CNY and the rule behind each."""
    p = service.period_from(period, start, last)
    return download(service.lines_table(uow.session, principal, by=by, key=key, start=p.start, end=p.end), format)

"""Orders endpoints under /api/v1/orders."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response

from xborder.accounts.service import Principal
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, download, get_uow
from xborder.sales import service

router = APIRouter(prefix="/orders", tags=["orders"])


MARKET = Query("", description="two-letter market (country) code")
FROM = Query("", alias="from", description="first order date, included (YYYY-MM-DD)")
TO = Query("", alias="to", description="last order date, included (YYYY-MM-DD)")
MARGIN = Query("", description="negative: only the orders that lose money (their margin in CNY below zero)")


@router.get("")
def list_orders(channel: str = "", q: str = "", limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0),
                market: str = MARKET, start: str = FROM, last: str = TO, margin: str = MARGIN,
                principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Orders, newest first, each with ``margin_cny`` (its true profit in CNY; null when it has
    none: cancelled, no price, no exchange rate)."""
    filters = service.order_filters(market=market, start=start, last=last, margin=margin)
    return service.orders_page(uow.session, principal, channel=channel or None, q=q or None, limit=limit, offset=offset,
                               **filters)


@router.get("/export")
def export_orders(channel: str = "", q: str = "", format: str = Query("csv", pattern="^(csv|xlsx)$"),
                  market: str = MARKET, start: str = FROM, last: str = TO, margin: str = MARGIN,
                  principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Every order the filter finds as CSV or XLSX (columns: ``service.ORDER_COLUMNS`` and ``margin_cny``)."""
    return download(service.orders_export(uow.session, principal, channel=channel or None, q=q or None,
                                          **service.order_filters(market=market, start=start, last=last, margin=margin)),
                    format)


@router.post("/import")
async def import_orders(format: str = Form(...), mapping: str | None = Form(None), currency: str | None = Form(None),
                        file: UploadFile = File(...), principal: Principal = Depends(api_principal),
                        uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Same contract as the CLI: ``{"imported", "skipped_duplicates", "errors"}``; a rejected file
    answers 422 with every bad line and writes nothing."""
    out = service.import_orders(uow.session, principal, format, await file.read(), mapping=mapping or None, filename=file.filename or '',
                                currency=currency or None)
    uow.commit()
    return out.to_dict()


@router.get("/unpaired")
def unpaired(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> list[dict[str, Any]]:
    return service.unpaired_listings(uow.session, principal)


@router.get("/{order_id}")
def get_order(order_id: int, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    o = service.get_order(uow.session, principal, order_id)
    return service.order_to_dict(o, service.SkuResolver(uow.session, principal.org_id))

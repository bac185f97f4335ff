"""Orders pages: list with import (every marketplace format), order detail (lines, payout lines,
profit explanation), the unpaired-listings queue with pairing."""

from __future__ import annotations

import importlib.util
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from xborder.db import UnitOfWork
from xborder.entrypoints.deps import WebContext, csrf_protect, download, get_uow, render, web_context
from xborder.errors import ImportRejected, XborderError
from xborder.sales import service
from xborder.sales.importers import FORMATS

router = APIRouter(include_in_schema=False)
CSRF = [Depends(csrf_protect)]


def _list(request: Request, ctx: WebContext, uow: UnitOfWork, q: str = "", channel: str = "", page: int = 1,
          status: int = 200, filt: dict[str, str] | None = None, **extra: object) -> Response:
    per = 50
    given = {k: v for k, v in (filt or {}).items() if v}
    try:
        filters = service.order_filters(market=given.get("market"), start=given.get("from"), last=given.get("to"),
                                        margin=given.get("margin"))
    except XborderError as exc:  # a bad filter: every order, and the reason above them
        filters, extra = {}, {**extra, "error": exc.message}
    rows, total, margins = service.find_orders(uow.session, ctx.principal, channel=channel or None, q=q or None, limit=per,
                                               offset=(max(page, 1) - 1) * per, **filters)
    query = urlencode({k: v for k, v in (("q", q), ("channel", channel), *given.items()) if v})
    return render(request, "sales/orders.html", {
        "rows": rows, "total": total, "q": q, "channel": channel, "page": max(page, 1), "per": per, "margins": margins,
        "filt": given, "query": query, "markets": service.order_markets(uow.session, ctx.principal),
        "formats": FORMATS, "mappings": service.list_mappings(uow.session, ctx.principal, "orders"),
        "unpaired": len(service.unpaired_listings(uow.session, ctx.principal)), **extra}, status_code=status)


@router.get("/orders")
def orders_page(request: Request, q: str = "", channel: str = "", page: int = 1, market: str = "",
                start: str = Query("", alias="from"), last: str = Query("", alias="to"), margin: str = "",
                ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    return _list(request, ctx, uow, q, channel, page, filt={"market": market, "from": start, "to": last, "margin": margin})


@router.get("/orders/export")
def orders_export(q: str = "", channel: str = "", format: str = "csv", market: str = "",
                  start: str = Query("", alias="from"), last: str = Query("", alias="to"), margin: str = "",
                  ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Every order the page's filter finds, as CSV or Excel (not only the page shown), with its margin."""
    return download(service.orders_export(uow.session, ctx.principal, channel=channel or None, q=q or None,
                                          **service.order_filters(market=market, start=start, last=last, margin=margin)),
                    format)


@router.post("/orders/import", dependencies=CSRF)
async def orders_import(request: Request, format: str = Form(...), mapping: str = Form(""), currency: str = Form(""),
                        file: UploadFile = File(...), ctx: WebContext = Depends(web_context),
                        uow: UnitOfWork = Depends(get_uow)) -> Response:
    data = await file.read()
    try:
        out = service.import_orders(uow.session, ctx.principal, format, data, mapping=mapping or None, filename=file.filename or '',
                                    currency=currency or None)
        uow.commit()
    except ImportRejected as exc:
        uow.rollback()
        return _list(request, ctx, uow, rejected=exc, filename=file.filename, status=422)
    except XborderError as exc:
        uow.rollback()
        return _list(request, ctx, uow, error=exc.message, status=exc.http_status)
    return _list(request, ctx, uow, result=out, filename=file.filename)


@router.get("/orders/unpaired")
def unpaired_page(request: Request, paired: str = "", ctx: WebContext = Depends(web_context),
                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    from xborder.catalog.service import all_skus

    return render(request, "sales/unpaired.html", {"rows": service.unpaired_listings(uow.session, ctx.principal),
                                                   "skus": all_skus(uow.session, ctx.principal.org_id), "paired": paired})


@router.post("/orders/unpaired/pair", dependencies=CSRF)
def unpaired_pair(request: Request, channel: str = Form(...), seller_sku: str = Form(...), listing_id: str = Form(""),
                  sku: str = Form(""), ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    from xborder.catalog.service import all_skus

    try:
        service.pair_listing(uow.session, ctx.principal, channel, seller_sku, sku, listing_id)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return render(request, "sales/unpaired.html", {"rows": service.unpaired_listings(uow.session, ctx.principal),
                                                       "skus": all_skus(uow.session, ctx.principal.org_id),
                                                       "error": exc.message}, status_code=exc.http_status)
    return RedirectResponse("/orders/unpaired?paired=1", status_code=303)


def _shipments_of(uow: UnitOfWork, ctx: WebContext, o: Any) -> list[Any]:
    """The order's shipments (xborder.logistics, when installed): linked by order id or reference."""
    if not importlib.util.find_spec("xborder.logistics"):
        return []
    from xborder.logistics.service import list_shipments

    return [sh for sh in list_shipments(uow.session, ctx.principal, order_ref=o.order_ref)
            if sh.sales_order_id in (None, o.id)]


def _shared_duty(lines: list[Any]) -> Any:
    """The duties explanation every line of an order cites (its consignment's landed cost, worked
    out once for the whole order), or None: shown once above the lines, each line naming its share."""
    found = [next((e for e in ln.explanations if e.figure == "duties_taxes"), None) for ln in lines]
    if len(found) < 2 or any(e is None for e in found) or len({e.source for e in found if e is not None}) != 1:
        return None
    return found[0]


@router.get("/orders/{order_id}")
def order_page(request: Request, order_id: int, ctx: WebContext = Depends(web_context),
               uow: UnitOfWork = Depends(get_uow)) -> Response:
    from xborder.payments.service import lines_for_order
    from xborder.profit import service as profit
    from xborder.profit.web import page_labels

    o = service.get_order(uow.session, ctx.principal, order_id)
    report = profit.build_report(uow.session, ctx.principal, order_ids=[o.id])
    lines = [ln for ln in report.lines if ln.input.order_ref == o.order_ref and ln.input.channel == o.channel]
    summary = profit.compare(profit.ProfitReport(lines), None) if lines else None
    shared_duty = _shared_duty(lines)
    return render(request, "sales/order.html", {
        "o": o, "resolver": service.SkuResolver(uow.session, ctx.principal.org_id), "summary": summary, "shared_duty": shared_duty,
        "figures": profit.FIGURES,
        "payout_lines": lines_for_order(uow.session, ctx.principal, o.order_ref), "profit_lines": lines,
        "ship_link": ("/logistics/shipments?" + urlencode({"order_ref": o.order_ref}) + "#book"
                      if importlib.util.find_spec("xborder.logistics") else None),
        "shipments": _shipments_of(uow, ctx, o),
        **page_labels()})

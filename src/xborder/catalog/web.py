"""Catalog pages: SKU list (search, sort, filter, paging), create/edit with validation,
CSV/XLSX import with the error report, export, listings and pairing."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from xborder.catalog import messages, service
from xborder.catalog.model import CATEGORIES, CHANNELS, FLAGS, sku_errors
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import WebContext, csrf_protect, get_uow, render, request_language, web_context
from xborder.errors import ImportRejected, ValidationError, XborderError

router = APIRouter(include_in_schema=False)
CSRF = [Depends(csrf_protect)]
FORM_FIELDS = ["sku", "product", "name_en", "name_zh", "description", "brand", "material", "category", "weight_g",
               "length_cm", "width_cm", "height_cm", "origin", "hs_code", "hs_version", "hs_code_cn", "hs_code_us",
               "hs_code_eu", "hs_code_gb", "purchase_cost",
               "purchase_currency", "supplier", "barcode", "rebate_rate"]


def _params(request: Request):  # type: ignore[no-untyped-def]
    def build(**changes: Any) -> str:
        q = dict(request.query_params)
        q.update({k: str(v) for k, v in changes.items()})
        return urlencode({k: v for k, v in q.items() if v not in ("", None)})

    return build


@router.get("/catalog")
def sku_list(request: Request, q: str = "", category: str = "", flag: str = "", missing_hs: str = "",
             sort: str = "sku", dir: str = "asc", page: int = 1, ctx: WebContext = Depends(web_context),
             uow: UnitOfWork = Depends(get_uow)) -> Response:
    p = service.list_skus(uow.session, ctx.principal, q=q, category=category, flag=flag, missing_hs=bool(missing_hs),
                          sort=sort, direction="desc" if dir == "desc" else "asc", page=page, per_page=25)
    return render(request, "catalog/list.html", {
        "page": p, "q": q, "category": category, "flag": flag, "missing_hs": missing_hs, "sort": sort, "dir": dir,
        "categories": CATEGORIES, "flags": FLAGS, "params": _params(request),
        "stats": service.stats(uow.session, ctx.principal.org_id)})


def _form_values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {k: str(form.get(k, "")).strip() for k in FORM_FIELDS}
    for f in FLAGS:
        values[f] = form.get(f) in ("on", "yes", "true", "1")
    return values


def _edit(request: Request, values: dict[str, Any], errors: dict[str, str], sku_id: int | None, status: int = 200,
          error: str | None = None) -> Response:
    if request_language(request) == "zh_CN":  # the model's messages are English: show them in Chinese
        errors = {k: messages.zh(v) for k, v in errors.items()}
        error = messages.zh(error) if error else error
    return render(request, "catalog/edit.html", {"values": values, "errors": errors, "sku_id": sku_id,
                                                 "categories": CATEGORIES, "flags": FLAGS, "error": error},
                  status_code=status)


@router.get("/catalog/new")
def sku_new(request: Request, ctx: WebContext = Depends(web_context)) -> Response:
    return _edit(request, {"origin": "CN", "hs_version": "2022", "purchase_currency": "CNY", "category": "other"}, {}, None)


@router.post("/catalog/new", dependencies=CSRF)
async def sku_create(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    values = _form_values(await request.form())
    errors = sku_errors(values)
    if errors:
        return _edit(request, values, errors, None, 422)
    try:
        sku = service.create_sku(uow.session, ctx.principal, values)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return _edit(request, values, {exc.field or "sku": exc.message}, None, exc.http_status)
    return RedirectResponse(f"/catalog/{sku.id}?saved=1", status_code=303)


@router.get("/catalog/import")
def import_page(request: Request, ctx: WebContext = Depends(web_context)) -> Response:
    return render(request, "catalog/import.html", {"columns": service.EXPORT_COLUMNS})


@router.post("/catalog/import", dependencies=CSRF)
async def import_upload(request: Request, file: UploadFile = File(...), kind: str = Form("skus"),
                        ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    data = await file.read()
    ctx_: dict[str, Any] = {"columns": service.EXPORT_COLUMNS, "filename": file.filename}
    try:
        if kind == "listings":
            result = service.import_listings(uow.session, ctx.principal, data, file.filename or "listings.csv")
        else:
            result = service.import_catalog(uow.session, ctx.principal, data, file.filename or "catalog.csv")
        uow.commit()
        ctx_["result"] = result
        return render(request, "catalog/import.html", ctx_)
    except ImportRejected as exc:
        uow.rollback()
        ctx_["rejected"] = exc
        return render(request, "catalog/import.html", ctx_, status_code=422)
    except XborderError as exc:
        uow.rollback()
        ctx_["error"] = exc.message
        return render(request, "catalog/import.html", ctx_, status_code=exc.http_status)


@router.get("/catalog/export")
def export(format: str = "csv", ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    if format == "xlsx":
        return Response(service.export_xlsx(uow.session, ctx.principal),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": 'attachment; filename="catalog.xlsx"'})
    return Response(service.export_csv(uow.session, ctx.principal), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="catalog.csv"'})


@router.get("/catalog/listings")
def listings_page(request: Request, unpaired: str = "", channel: str = "", q: str = "",
                  ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    rows = service.list_listings(uow.session, ctx.principal, unpaired=bool(unpaired), channel=channel, q=q)
    skus = service.all_skus(uow.session, ctx.principal.org_id)
    return render(request, "catalog/listings.html", {"rows": rows, "skus": skus, "channels": CHANNELS,
                                                     "unpaired": unpaired, "channel": channel, "q": q})


@router.post("/catalog/listings", dependencies=CSRF)
async def listings_add(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    data = {k: str(form.get(k, "")).strip() for k in ("channel", "listing_id", "seller_sku", "title", "sku", "price", "currency")}
    try:
        service.upsert_listing(uow.session, ctx.principal, data)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        rows = service.list_listings(uow.session, ctx.principal)
        return render(request, "catalog/listings.html", {"rows": rows, "skus": service.all_skus(uow.session, ctx.principal.org_id),
                                                         "channels": CHANNELS, "error": exc.message, "form": data},
                      status_code=exc.http_status)
    return RedirectResponse("/catalog/listings", status_code=303)


@router.post("/catalog/listings/{listing_id}/pair", dependencies=CSRF)
def listings_pair(listing_id: int, sku_id: str = Form(""), ctx: WebContext = Depends(web_context),
                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    choice = sku_id.strip()
    if choice and not choice.isdigit():
        raise ValidationError(f"sku_id: {choice!r} is not a SKU id", field="sku_id")
    service.pair_listing(uow.session, ctx.principal, listing_id, int(choice) if choice else None)
    uow.commit()
    return RedirectResponse("/catalog/listings", status_code=303)


@router.post("/catalog/listings/{listing_id}/delete", dependencies=CSRF)
def listings_delete(listing_id: int, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    service.delete_listing(uow.session, ctx.principal, listing_id)
    uow.commit()
    return RedirectResponse("/catalog/listings", status_code=303)


@router.get("/catalog/{sku_id}")
def sku_show(request: Request, sku_id: int, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    sku = service.get_sku(uow.session, ctx.principal, sku_id)
    d = service.sku_to_dict(sku)
    values = {k: ("" if d.get(k) is None else d.get(k)) for k in FORM_FIELDS}
    values.update({f: bool(getattr(sku, f)) for f in FLAGS})
    return render(request, "catalog/edit.html", {"values": values, "errors": {}, "sku_id": sku.id, "sku": sku,
                                                 "categories": CATEGORIES, "flags": FLAGS,
                                                 "notice": "Saved." if request.query_params.get("saved") else None})


@router.post("/catalog/{sku_id}", dependencies=CSRF)
async def sku_update(request: Request, sku_id: int, ctx: WebContext = Depends(web_context),
                     uow: UnitOfWork = Depends(get_uow)) -> Response:
    service.get_sku(uow.session, ctx.principal, sku_id)  # 404 for another organisation's SKU
    values = _form_values(await request.form())
    errors = sku_errors(values)
    if errors:
        return _edit(request, values, errors, sku_id, 422)
    try:
        service.update_sku(uow.session, ctx.principal, sku_id, values)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return _edit(request, values, {exc.field or "sku": exc.message}, sku_id, exc.http_status)
    return RedirectResponse(f"/catalog/{sku_id}?saved=1", status_code=303)


@router.post("/catalog/{sku_id}/delete", dependencies=CSRF)
def sku_delete(sku_id: int, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    service.delete_sku(uow.session, ctx.principal, sku_id)
    uow.commit()
    return RedirectResponse("/catalog", status_code=303)

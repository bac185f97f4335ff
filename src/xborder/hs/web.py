"""HS pages: nomenclature search and classification (/customs/hs), per-SKU suggestion
(/hs/suggest?sku_id=) and bulk classification of SKUs without a code."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from xborder.db import UnitOfWork
from xborder.entrypoints.deps import WebContext, csrf_protect, get_uow, render, web_context
from xborder.errors import XborderError
from xborder.hs import service
from xborder.hs.model import SUPPORTED_VERSIONS

router = APIRouter(include_in_schema=False)
CSRF = [Depends(csrf_protect)]


def _missing_count(uow: UnitOfWork, org_id: int) -> int:
    from sqlalchemy import func, or_, select

    from xborder.catalog.orm import Sku

    return int(uow.session.scalar(select(func.count()).select_from(Sku).where(
        Sku.org_id == org_id, or_(Sku.hs_code.is_(None), Sku.hs_code == ""))) or 0)


def _learning(request: Request) -> bool:
    """Is this server learning the HS classifier right now (e.g. the demo's first minute)?"""
    from xborder.entrypoints.deps import container
    from xborder.reference import jobs

    job = jobs.runner(container(request)).latest()
    state = job.to_dict() if job is not None else None
    return bool(state and state["status"] == "running"
                and any(s["name"] == "hs-classifier" and s["status"] in ("waiting", "running") for s in state["sources"]))


@router.get("/customs/hs")
def hs_page(request: Request, q: str = "", version: str = "2022", text: str = "", top: int = 5,
            ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    data: dict[str, Any] = {"q": q, "version": version if version in SUPPORTED_VERSIONS else "2022", "text": text,
                            "top": top, "versions": SUPPORTED_VERSIONS, "hits": None, "result": None, "error": None,
                            "missing": _missing_count(uow, ctx.principal.org_id), "hs_model": None, "reading": None}
    status = 200
    try:
        if q.strip():
            data["hits"], data["reading"] = service.search_read(uow.session, q, version=data["version"], limit=50)
        if text.strip():
            data["result"] = service.classification_dict(service.classify(uow.session, text, top=max(1, min(top, 20))))
            data["hs_model"] = service.classifier_info(uow.session)
    except XborderError as exc:
        data["error"], data["error_code"] = exc.message, exc.code
        data["learning"] = _learning(request)
        status = exc.http_status
    return render(request, "hs/index.html", data, status_code=status)


@router.get("/hs/suggest")
def suggest_page(request: Request, sku_id: int, ctx: WebContext = Depends(web_context),
                 uow: UnitOfWork = Depends(get_uow)) -> Response:
    try:
        sug = service.suggest_for_sku(uow.session, ctx.principal, sku_id, top=5)
    except XborderError as exc:
        return render(request, "hs/suggest.html", {"error": exc.message, "error_code": exc.code, "sku_id": sku_id, "s": None,
                                                   "learning": _learning(request)},
                      status_code=exc.http_status)
    return render(request, "hs/suggest.html", {"s": sug.to_dict(), "sku_id": sku_id, "error": None,
                                               "hs_model": service.classifier_info(uow.session)})


@router.post("/hs/suggest", dependencies=CSRF)
def suggest_apply(request: Request, sku_id: int = Form(...), code: str = Form(...),
                  ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    try:
        service.set_sku_code(uow.session, ctx.principal, sku_id, code)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return render(request, "hs/suggest.html", {"error": exc.message, "error_code": exc.code, "sku_id": sku_id, "s": None},
                      status_code=exc.http_status)
    return RedirectResponse(f"/catalog/{sku_id}?saved=1", status_code=303)


@router.post("/customs/hs/classify-skus", dependencies=CSRF)
def classify_skus(request: Request, apply: str = Form(""), ctx: WebContext = Depends(web_context),
                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    do_apply = apply in ("1", "on", "yes", "true")
    try:
        items = [i.to_dict() for i in service.classify_skus(uow.session, ctx.principal, apply=do_apply, top=3)]
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return render(request, "hs/bulk.html", {"error": exc.message, "error_code": exc.code, "items": [],
                                                "applied": do_apply, "learning": _learning(request)},
                      status_code=exc.http_status)
    return render(request, "hs/bulk.html", {"error": None, "items": items, "applied": do_apply,
                                            "n_applied": sum(1 for i in items if i["applied"]),
                                            "hs_model": service.classifier_info(uow.session)})

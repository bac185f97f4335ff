"""Listings endpoints under ``/api/v1/listings`` (bearer token). Money and scores are strings or
integers; findings carry rule, severity, field, message (en or zh), fix and source."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Body, Depends, File, Form, Query, UploadFile
from fastapi.responses import Response

from xborder.accounts.service import Principal
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, get_uow
from xborder.listings import messages as msgs
from xborder.listings import report, service
from xborder.listings.rulebook import marketplace as get_marketplace
from xborder.listings.rulebook import marketplace_ids

router = APIRouter(prefix="/listings", tags=["listings"])


@router.get("/marketplaces")
def list_marketplaces(principal: Principal = Depends(api_principal)) -> list[dict[str, Any]]:
    out = []
    for mid in marketplace_ids():
        m = get_marketplace(mid)
        out.append({"id": m.id, "name": m.name, "country": m.country, "language": m.language, "currency": m.currency,
                    "rules": len(m.active_rules(date.today()))})
    return out


@router.get("/rules/{marketplace}")
def rules(marketplace: str, on: date | None = None, principal: Principal = Depends(api_principal)) -> list[dict[str, Any]]:
    m = get_marketplace(marketplace)
    return [{"id": r.id, "kind": r.kind, "fields": list(r.fields), "severity": r.severity, "params": r.params,
             "valid_from": r.valid_from.isoformat(), "valid_to": r.valid_to.isoformat() if r.valid_to else None,
             "source": r.source, "evidence": r.evidence} for r in m.active_rules(on or date.today())]


@router.post("/check")
def check(listing: dict[str, Any] = Body(..., examples=[{"title": "Acme Silicone Phone Case", "bullets": ["…"], "description": "…",
                                                          "brand": "Acme", "search_terms": "cover bumper"}]),
          marketplace: str = Query(..., examples=["amazon-us"]), lang: str = "en", on: date | None = None,
          sku: str | None = None, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Check a listing; with ``sku`` the result is also stored for the catalog report."""
    from xborder.listings.checker import Listing

    result = service.check_listing(listing, marketplace, on)
    if sku:
        service.record_check(uow.session, principal, sku, marketplace, Listing.from_dict(listing), result)
        uow.commit()
    return result.to_dict(lang)


@router.post("/check-catalog")
def check_catalog(marketplace: list[str] = Query(...), principal: Principal = Depends(api_principal),
                  uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    rows = service.check_catalog(uow.session, principal, marketplace)
    uow.commit()
    return {"rows": [r.to_dict() for r in rows], "checked": len(rows), "with_errors": sum(1 for r in rows if r.errors)}


@router.get("/report")
def catalog_report(format: str = Query("csv", pattern="^(csv|xlsx)$"), principal: Principal = Depends(api_principal),
                   uow: UnitOfWork = Depends(get_uow)) -> Response:
    rows = service.report_rows(uow.session, principal)
    if format == "xlsx":
        return Response(report.to_xlsx(rows), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": 'attachment; filename="listing-report.xlsx"'})
    return Response(report.to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="listing-report.csv"'})


@router.post("/drafts")
def create_draft(marketplace: str = Query(...), sku: str = Query(""), attributes: dict[str, Any] = Body(default={}),
                 save: bool = True, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    draft, result, row = service.create_draft(uow.session, principal, sku, marketplace, attributes, save=save)
    uow.commit()
    return {"draft_id": row.id if row else None, "draft": draft.to_dict(), "check": result.to_dict()}


@router.get("/drafts/{draft_id}")
def get_draft(draft_id: int, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    d = service.get_draft(uow.session, principal, draft_id)
    return {"draft_id": d.id, "sku": d.sku_code, "marketplace": d.marketplace, "source": d.source, "score": d.score,
            "errors": d.errors, **service.draft_listing_dict(d)}


@router.post("/drafts/{draft_id}/rewrite")
def rewrite_draft(draft_id: int, instruction: str = Body("", embed=True), language: str = Body("", embed=True),
                  principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    draft, result, row = service.rewrite_draft(uow.session, principal, draft_id, instruction, language)
    uow.commit()
    return {"draft_id": row.id, "draft": draft.to_dict(), "check": result.to_dict()}


@router.put("/provider")
def set_provider(base_url: str = Body(..., embed=True), model: str = Body(..., embed=True), api_key: str | None = Body(None, embed=True),
                 enabled: bool = Body(True, embed=True), principal: Principal = Depends(api_principal),
                 uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    cfg = service.set_provider(uow.session, principal, base_url=base_url, model=model, api_key=api_key, enabled=enabled)
    uow.commit()
    return cfg.masked()


@router.post("/keywords/import")
async def import_keywords(file: UploadFile = File(...), set: str = Form(...), principal: Principal = Depends(api_principal),
                          uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    from xborder.listings.importers.keywords import import_keywords as imp

    res = imp(uow.session, principal, await file.read(), file.filename or "keywords.csv", set)
    uow.commit()
    return res.to_dict()


@router.get("/keywords/sets")
def keyword_sets(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> list[dict[str, Any]]:
    return service.keyword_sets(uow.session, principal)


@router.post("/keywords/analyse")
def analyse(listing: dict[str, Any] = Body(...), set: str = Query(...), marketplace: str = Query(...), limit: int = Query(30, ge=1, le=200),
            principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    return service.keyword_report(service.keyword_sources(uow.session, principal, set), listing, marketplace, limit)


@router.get("/messages/templates")
def message_templates(principal: Principal = Depends(api_principal)) -> list[dict[str, Any]]:
    return [{"situation": s, "languages": msgs.languages(), "fields": msgs.placeholders(s, "en")} for s in msgs.situations()]


@router.post("/messages/render")
def render_message(order: dict[str, Any] = Body(...), template: str = Query(...), lang: str = "", locale: str = "",
                   principal: Principal = Depends(api_principal)) -> dict[str, Any]:
    m = msgs.render(template, lang or None, order, locale or None)
    return m.to_dict() | {"policy_problems": msgs.check_message(m.body, m.language)}


@router.post("/messages/import")
async def import_messages(file: UploadFile = File(...), seller_name: str = Form(...), principal: Principal = Depends(api_principal),
                          uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    from xborder.listings.importers.messages import import_messages as imp

    res = imp(uow.session, principal, await file.read(), file.filename or "messages.csv", seller_name)
    uow.commit()
    return res.to_dict()


@router.get("/messages")
def list_messages(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> list[dict[str, Any]]:
    return [{"message_id": m.message_id, "marketplace": m.marketplace, "order_id": m.order_id, "buyer_name": m.buyer_name,
             "language": m.language, "intent": m.intent, "situation": m.situation, "body": m.body,
             "reply_subject": m.reply_subject, "reply_body": m.reply_body, "missing": [x for x in m.missing.split(",") if x]}
            for m in service.buyer_messages(uow.session, principal)]


@router.get("/compliance/{sku}/{market}")
def compliance(sku: str, market: str, on: date | None = None, lang: str = "en", principal: Principal = Depends(api_principal),
               uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    return service.sku_checklist(uow.session, principal, sku, market, on, lang)


@router.put("/compliance/{sku}/status/{requirement}")
def set_status(sku: str, requirement: str, status: str = Body(..., embed=True), reference: str = Body("", embed=True),
               expires_on: date | None = Body(None, embed=True), note: str = Body("", embed=True),
               principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    service.set_status(uow.session, principal, sku, requirement, status, reference, expires_on, note)
    uow.commit()
    return {"sku": sku, "requirement": requirement, "status": status}


@router.put("/compliance/{sku}/profile")
def set_profile(sku: str, category: str = Body(..., embed=True), flags: list[str] = Body([], embed=True),
                flags_off: list[str] = Body([], embed=True), principal: Principal = Depends(api_principal),
                uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    service.set_sku_profile(uow.session, principal, sku, category, flags, flags_off)
    uow.commit()
    return {"sku": sku, "category": category, "flags": sorted(flags), "flags_off": sorted(flags_off)}

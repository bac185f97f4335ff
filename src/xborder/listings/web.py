"""Pages under /listings: overview, listing editor with live check and keyword coverage, catalog
report, buyer-message templates and imported messages, compliance per SKU and market (also a
panel on the catalog SKU page)."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from xborder.db import UnitOfWork
from xborder.entrypoints.deps import WebContext, csrf_protect, get_uow, render, web_context
from xborder.errors import ImportRejected, NotFound, ValidationError, XborderError
from xborder.listings import catalog_bridge, report, service
from xborder.listings import compliance as comp
from xborder.listings import messages as msgs
from xborder.listings.checker import Listing
from xborder.listings.drafts import templates as draft_templates
from xborder.listings.rulebook import marketplace as get_marketplace
from xborder.listings.rulebook import marketplace_ids

router = APIRouter(include_in_schema=False)
CSRF = [Depends(csrf_protect)]
MARKETS = ["US", "GB", "DE", "FR"]
STATIC = {"editor.js", "sku-panel.js"}


def _lang(request: Request) -> str:
    from xborder.entrypoints.deps import request_language

    return "zh" if request_language(request).startswith("zh") else "en"


@router.get("/listings/static/{name}")
def static_js(name: str) -> Response:
    if name not in STATIC:
        raise NotFound("no such file")
    body = (resources.files("xborder.listings") / "static" / name).read_text(encoding="utf-8")
    return Response(body, media_type="application/javascript; charset=utf-8", headers={"Cache-Control": "max-age=300"})


@router.get("/listings")
def overview(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    s, p = uow.session, ctx.principal
    checks = service.latest_checks(s, p)
    stats = {"checked": len(checks), "with_errors": sum(1 for c in checks if c.errors),
             "avg_score": round(sum(c.score for c in checks) / len(checks)) if checks else None,
             "drafts": len(service.drafts(s, p)), "messages": len(service.buyer_messages(s, p)),
             "keyword_sets": len(service.keyword_sets(s, p)), "skus": len(catalog_bridge.sku_codes(s, p))}
    return render(request, "listings/overview.html", {"stats": stats, "worst": checks[:10],
                                                      "provider": service.provider_config(s, p).masked(),
                                                      "is_owner": p.role.value == "owner"})


@router.post("/listings/provider", dependencies=CSRF)
async def provider_post(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    key = str(form.get("api_key", "")).strip()
    try:
        service.set_provider(uow.session, ctx.principal, base_url=str(form.get("base_url", "")), model=str(form.get("model", "")),
                             api_key=key or None, enabled=form.get("enabled") in ("on", "1", "yes"))
        uow.commit()
    except XborderError as e:
        checks = service.latest_checks(uow.session, ctx.principal)
        stats = {"checked": len(checks), "with_errors": sum(1 for c in checks if c.errors), "avg_score": None, "drafts": 0,
                 "messages": 0, "keyword_sets": 0, "skus": 0}
        return render(request, "listings/overview.html", {"stats": stats, "worst": [], "error": e.message, "is_owner": True,
                                                          "provider": {"base_url": str(form.get("base_url", "")),
                                                                       "model": str(form.get("model", "")), "enabled": False, "api_key": ""}},
                      status_code=e.http_status)
    return RedirectResponse("/listings?provider=saved", status_code=303)


@router.post("/listings/drafts/{draft_id}/rewrite", dependencies=CSRF)
async def draft_rewrite(request: Request, draft_id: int, ctx: WebContext = Depends(web_context),
                        uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    try:
        _d, _r, row = service.rewrite_draft(uow.session, ctx.principal, draft_id, str(form.get("instruction", "")),
                                            str(form.get("language", "")))
        uow.commit()
    except NotFound:
        raise
    except XborderError as e:
        d = service.get_draft(uow.session, ctx.principal, draft_id)
        c = _editor_context(uow.session, ctx.principal, service.draft_listing_dict(d), d.marketplace, "", _lang(request))
        c.update({"sku": d.sku_code, "draft_id": draft_id, "error": e.message, "categories": sorted(draft_templates()),
                  "provider_enabled": True})
        return render(request, "listings/editor.html", c, status_code=e.http_status)
    return RedirectResponse(f"/listings/editor?draft_id={row.id}", status_code=303)


def _editor_context(s: Any, p: Any, values: dict[str, Any], marketplace: str, set_name: str, lang: str) -> dict[str, Any]:
    result = cov = None
    if values.get("title") or values.get("bullets") or values.get("description"):
        result = service.check_listing(values, marketplace).to_dict(lang)
        if set_name:
            try:
                rep = service.keyword_report(service.keyword_sources(s, p, set_name), values, marketplace)
                cov = rep
            except XborderError:
                cov = None
    return {"values": values, "marketplace": marketplace, "marketplaces": marketplace_ids(), "result": result,
            "keyword_sets": service.keyword_sets(s, p), "set_name": set_name, "coverage": cov,
            "bullets_text": "\n".join(values.get("bullets") or [])}


@router.get("/listings/editor")
def editor(request: Request, marketplace: str = "amazon-us", draft_id: int | None = None, set: str = "", sku: str = "",
           ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    values: dict[str, Any] = {"title": "", "bullets": [], "description": "", "brand": "", "search_terms": ""}
    if draft_id:
        d = service.get_draft(uow.session, ctx.principal, draft_id)
        values = service.draft_listing_dict(d)
        marketplace, sku = d.marketplace, d.sku_code
    get_marketplace(marketplace)
    c = _editor_context(uow.session, ctx.principal, values, marketplace, set, _lang(request))
    c.update({"sku": sku, "draft_id": draft_id, "categories": sorted(draft_templates()),
              "provider_enabled": service.provider_config(uow.session, ctx.principal).enabled})
    return render(request, "listings/editor.html", c)


def _form_listing(form: Any) -> dict[str, Any]:
    return {"title": str(form.get("title", "")), "bullets": [b.strip() for b in str(form.get("bullets", "")).splitlines() if b.strip()],
            "description": str(form.get("description", "")), "brand": str(form.get("brand", "")),
            "search_terms": str(form.get("search_terms", ""))}


@router.post("/listings/editor", dependencies=CSRF)
async def editor_post(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The editor without JavaScript: the form posts back and the page shows the check."""
    form = await request.form()
    values = _form_listing(form)
    marketplace = str(form.get("marketplace", "amazon-us"))
    set_name = str(form.get("set", ""))
    sku = str(form.get("sku", "")).strip()
    notice = None
    try:
        c = _editor_context(uow.session, ctx.principal, values, marketplace, set_name, _lang(request))
        if sku and form.get("record"):
            res = service.check_listing(values, marketplace)
            service.record_check(uow.session, ctx.principal, sku, marketplace, Listing.from_dict(values), res)
            uow.commit()
            notice = "Saved to the catalog report."
    except ValidationError as e:
        return render(request, "listings/editor.html", {**_editor_context(uow.session, ctx.principal, {}, "amazon-us", "", "en"),
                                                        "error": e.message, "sku": sku, "draft_id": None, "categories": sorted(draft_templates())},
                      status_code=422)
    c.update({"sku": sku, "draft_id": None, "notice": notice, "categories": sorted(draft_templates())})
    return render(request, "listings/editor.html", c)


@router.post("/listings/editor/check", dependencies=CSRF)
async def editor_check(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """JSON for the editor's live check (our own fetch, same origin, CSRF header)."""
    try:
        body = await request.json()
    except ValueError:
        return JSONResponse({"code": "VALIDATION_ERROR", "message": "body: expected JSON"}, status_code=422)
    try:
        marketplace = str(body.get("marketplace") or "amazon-us")
        listing = body.get("listing") or {}
        out: dict[str, Any] = {"check": service.check_listing(listing, marketplace).to_dict(_lang(request))}
        set_name = str(body.get("set") or "")
        if set_name:
            rep = service.keyword_report(service.keyword_sources(uow.session, ctx.principal, set_name), listing, marketplace, 20)
            out["coverage"] = {"ratio": rep["coverage"]["ratio"], "covered": rep["coverage"]["covered"],
                               "missing": rep["coverage"]["missing"][:15], "proposal": rep["proposal"]}
        return JSONResponse(out)
    except XborderError as e:
        return JSONResponse(e.to_dict(), status_code=e.http_status)


@router.post("/listings/draft", dependencies=CSRF)
async def draft_post(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    sku, marketplace = str(form.get("sku", "")).strip(), str(form.get("marketplace", "amazon-us"))
    attrs = {k: str(form.get(k)).strip() for k in ("brand", "category", "product_type", "product_type_zh", "material", "material_zh",
                                                   "color", "color_zh", "use", "use_zh", "compatible_with", "audience")
             if str(form.get(k) or "").strip()}
    feats = str(form.get("features", "")).strip()
    if feats:
        attrs["features"] = [f.strip() for f in feats.replace("，", ",").split(",") if f.strip()]
    try:
        _d, _r, row = service.create_draft(uow.session, ctx.principal, sku, marketplace, attrs, save=True)
        uow.commit()
    except XborderError as e:
        c = _editor_context(uow.session, ctx.principal, {}, marketplace if marketplace in marketplace_ids() else "amazon-us", "", _lang(request))
        c.update({"sku": sku, "draft_id": None, "error": e.message, "categories": sorted(draft_templates())})
        return render(request, "listings/editor.html", c, status_code=422)
    return RedirectResponse(f"/listings/editor?draft_id={row.id}" if row else "/listings/editor", status_code=303)


@router.get("/listings/report")
def report_page(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    rows = service.report_rows(uow.session, ctx.principal, _lang(request))
    return render(request, "listings/report.html", {"rows": rows, "marketplaces": marketplace_ids()})


@router.post("/listings/report", dependencies=CSRF)
async def report_run(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    mps = [str(m) for m in form.getlist("marketplace")] or ["amazon-us"]
    service.check_catalog(uow.session, ctx.principal, mps)
    uow.commit()
    return RedirectResponse("/listings/report", status_code=303)


@router.get("/listings/report.{fmt}")
def report_download(fmt: str, request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    rows = service.report_rows(uow.session, ctx.principal, _lang(request))
    if fmt == "xlsx":
        return Response(report.to_xlsx(rows), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": 'attachment; filename="listing-report.xlsx"'})
    if fmt == "csv":
        return Response(report.to_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="listing-report.csv"'})
    raise NotFound("report format must be csv or xlsx")


SAMPLE_ORDER = {"buyer_name": "Anna Müller", "order_id": "302-1234567-7654321", "seller_name": "", "marketplace": "amazon-de",
                "items": "2 x Bamboo Cutting Board", "order_total": "39.90 EUR", "ship_date": "", "new_delivery_date": "",
                "carrier": "DHL", "tracking_number": "", "duties_amount": "", "refund_amount": "", "return_deadline": ""}


@router.get("/listings/messages")
def messages_page(request: Request, template: str = "order_confirmation", lang: str = "de", ctx: WebContext = Depends(web_context),
                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    q = dict(request.query_params)
    order = {k: q.get(k, v) for k, v in SAMPLE_ORDER.items()}
    if not order["seller_name"]:
        order["seller_name"] = ctx.org_name
    preview = error = None
    fields = []
    try:
        situation = msgs.resolve_situation(template, {**order, "incoterm": q.get("incoterm", "DDP")})
        fields = msgs.placeholders(situation, lang if lang in msgs.languages() else "en")
        if "preview" in q:
            preview = msgs.render(template, lang, {**{k: v for k, v in order.items() if v}, "incoterm": q.get("incoterm", "DDP")},
                                  q.get("locale") or None)
    except XborderError as e:
        error = e.message
    return render(request, "listings/messages.html", {
        "situations": msgs.situations() + ["customs"], "languages": msgs.languages(), "template": template, "lang": lang,
        "order": order, "fields": fields, "preview": preview, "error": error, "incoterm": q.get("incoterm", "DDP"),
        "policy": msgs.check_message(preview.body) if preview else [], "inbox": service.buyer_messages(uow.session, ctx.principal)})


@router.post("/listings/messages/import", dependencies=CSRF)
async def messages_import(request: Request, file: UploadFile = File(...), seller_name: str = Form(""),
                          ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    from xborder.listings.importers.messages import import_messages

    data = await file.read()
    try:
        res = import_messages(uow.session, ctx.principal, data, file.filename or "messages.csv", seller_name or ctx.org_name)
        uow.commit()
    except ImportRejected as e:
        return render(request, "listings/import_errors.html", {"what": "buyer messages", "errors": e.errors, "back": "/listings/messages"},
                      status_code=422)
    return RedirectResponse(f"/listings/messages?imported={res.imported}&skipped={res.skipped_duplicates}", status_code=303)


@router.post("/listings/keywords/import", dependencies=CSRF)
async def keywords_import(request: Request, file: UploadFile = File(...), set: str = Form(...),
                          ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    from xborder.listings.importers.keywords import import_keywords

    data = await file.read()
    try:
        import_keywords(uow.session, ctx.principal, data, file.filename or "keywords.csv", set)
        uow.commit()
    except ImportRejected as e:
        return render(request, "listings/import_errors.html", {"what": "keywords", "errors": e.errors, "back": "/listings/editor"},
                      status_code=422)
    return RedirectResponse(f"/listings/editor?set={set}", status_code=303)


@router.get("/listings/compliance")
def compliance_page(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    s, p = uow.session, ctx.principal
    codes = catalog_bridge.sku_codes(s, p)
    rows = []
    for code in codes:
        cells = []
        for m in MARKETS:
            c = service.sku_checklist(s, p, code, m)
            cells.append({"market": m, **c["summary"]})
        rows.append({"sku": code, "cells": cells})
    return render(request, "listings/compliance.html", {"rows": rows, "markets": MARKETS})


@router.get("/listings/compliance/{sku:path}/panel")
def compliance_panel(request: Request, sku: str, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """HTML fragment for the catalog SKU page: readiness per market and what is missing."""
    cells = []
    for m in MARKETS:
        c = service.sku_checklist(uow.session, ctx.principal, sku, m, lang=_lang(request))
        cells.append({"market": m, "summary": c["summary"], "missing": [i for i in c["items"] if i["status"] in ("missing", "expired", "in_progress")]})
    return render(request, "listings/_panel.html", {"sku": sku, "cells": cells})


@router.get("/listings/compliance/{sku:path}")
def compliance_sku(request: Request, sku: str, market: str = "DE", ctx: WebContext = Depends(web_context),
                   uow: UnitOfWork = Depends(get_uow)) -> Response:
    c = service.sku_checklist(uow.session, ctx.principal, sku, market, lang=_lang(request))
    rb = comp.rulebook()
    return render(request, "listings/compliance_sku.html", {"c": c, "markets": MARKETS + ["IT", "ES", "NL", "JP"], "market": c["market"],
                                                            "categories": sorted(rb.category_flags), "flags": rb.flags,
                                                            "known_sku": catalog_bridge.sku_exists(uow.session, ctx.principal, sku)})


@router.post("/listings/compliance/{sku:path}", dependencies=CSRF)
async def compliance_sku_post(request: Request, sku: str, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    market = str(form.get("market", "DE"))
    try:
        if form.get("action") == "profile":
            service.set_sku_profile(uow.session, ctx.principal, sku, str(form.get("category", "generic")),
                                    [str(f) for f in form.getlist("flag")], [str(f) for f in form.getlist("flag_off")])
        else:
            exp = str(form.get("expires_on", "")).strip()
            service.set_status(uow.session, ctx.principal, sku, str(form.get("requirement", "")), str(form.get("status", "")),
                               str(form.get("reference", "")), date.fromisoformat(exp) if exp else None, str(form.get("note", "")))
        uow.commit()
    except (XborderError, ValueError) as e:
        c = service.sku_checklist(uow.session, ctx.principal, sku, market, lang=_lang(request))
        rb = comp.rulebook()
        msg = e.message if isinstance(e, XborderError) else f"expires_on: {e}"
        return render(request, "listings/compliance_sku.html", {"c": c, "markets": MARKETS, "market": c["market"], "error": msg,
                                                                "categories": sorted(rb.category_flags), "flags": rb.flags,
                                                                "known_sku": True}, status_code=422)
    return RedirectResponse(f"/listings/compliance/{sku}?market={market}", status_code=303)



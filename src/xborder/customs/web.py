"""Web pages under ``/customs``: landed-cost calculator with its explanation, rule browser by
country and date, restricted-goods screening, declarations (generation, XML download, monthly
summary) and shipment documents (PDF / XLSX downloads)."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from xborder.customs import declarations as dc
from xborder.customs import documents as docs
from xborder.customs import drafts, form_labels, service
from xborder.customs.browse import rule_rows, screen_request
from xborder.customs.regimes import destinations
from xborder.customs.screening import CARRIER_MODES
from xborder.customs.translate import cite_text, rule_text
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import (
    WebContext,
    csrf_protect,
    current_lang,
    download,
    get_uow,
    render,
    web_context,
)
from xborder.errors import Conflict, XborderError
from xborder.importing import decode, iso_date

router = APIRouter()
LINE_ROWS = 5
LINE_FIELDS = ("sku", "hs_code", "description", "origin", "quantity", "unit_value", "weight_kg", "duty_rate")


@router.get("/customs")
def overview(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    versions = service.ref_versions(uow.session)
    return render(request, "customs/index.html", {
        "versions": versions,
        "n_declarations": len(service.list_declarations(uow.session, ctx.principal)),
        "n_documents": len(service.list_docs(uow.session, ctx.principal)),
        "destinations": destinations(),
    })


def _default_form() -> dict[str, Any]:
    return {
        "destination": "DE", "date": date.today().isoformat(), "currency": "EUR", "incoterm": "DDP",
        "channel": "own_store", "shipping": "5.00", "insurance": "0.00",
        "lines": [{"sku": "", "hs_code": "610910", "description": "cotton T-shirt", "origin": "CN", "quantity": "1",
                   "unit_value": "15.00", "weight_kg": "0.2", "duty_rate": ""}]
        + [dict.fromkeys(LINE_FIELDS, "") for _ in range(LINE_ROWS - 1)],
    }


def _explain(item: dict[str, Any]) -> str:
    """An explanation line in the page's language (called while the page renders)."""
    return rule_text(item, current_lang.get())


def _cite(source: str) -> str:
    """An explanation's citation with its labels in the page's language."""
    return cite_text(source, current_lang.get())


@router.get("/customs/landed-cost")
def landed_cost_form(request: Request, ctx: WebContext = Depends(web_context)) -> Response:
    return render(request, "customs/landed_cost.html", {"form": _default_form(), "result": None, "error": None,
                                                        "destinations": destinations()})


@router.post("/customs/landed-cost", dependencies=[Depends(csrf_protect)])
async def landed_cost_submit(request: Request, ctx: WebContext = Depends(web_context),
                             uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    data: dict[str, Any] = {k: str(form.get(k) or "").strip() for k in
                            ("destination", "date", "currency", "incoterm", "channel", "shipping", "insurance")}
    shown = dict(data)
    lines, shown_lines, rows = [], [], []
    for i in range(LINE_ROWS):
        raw = {f: str(form.get(f"lines-{i}-{f}") or "").strip() for f in LINE_FIELDS}
        shown_lines.append(raw)
        if not any(raw[f] for f in ("sku", "hs_code", "description", "unit_value")):
            continue
        line: dict[str, Any] = {k: v for k, v in raw.items() if v != ""}
        lines.append(line)
        rows.append(i)  # the form row of each line sent
    data["lines"] = lines
    if form.get("ioss") is not None:
        data["ioss"] = form.get("ioss") == "on"
    shown["lines"] = shown_lines
    result, error, flags, hs_help = None, None, None, None
    try:
        result = service.quote_landed_cost(uow.session, ctx.principal.org_id, data)
        flags = service.screen_with_catalog(uow.session, ctx.principal.org_id,
                                            {"destination": data["destination"], "lines": lines}, None)
    except XborderError as exc:
        error = exc
        hs_help = _hs_help(uow, exc, lines, rows)
    return render(request, "customs/landed_cost.html", {"form": shown, "result": result, "error": error,
                                                        "flags": flags, "destinations": destinations(),
                                                        "explain": _explain, "cite": _cite, "hs_help": hs_help},
                  status_code=200 if error is None else 422)


def _hs_help(uow: UnitOfWork, exc: XborderError, lines: list[dict[str, Any]], rows: list[int]) -> dict[str, Any] | None:
    """For ``HS_REQUIRED`` on a line with a description: the HS classifier's suggestions, for the
    user to pick (the calculator never guesses the code itself). None when the classifier is not
    installed or loaded, or the text is too vague to suggest anything."""
    m = re.fullmatch(r"lines\[(\d+)\]\.hs_code", exc.field or "")
    if exc.code != "HS_REQUIRED" or m is None or int(m[1]) >= len(lines):
        return None
    i = int(m[1])
    text = str(lines[i].get("description") or "").strip()
    if not text:
        return None
    try:
        from xborder.hs import service as hs
    except ImportError:
        return None
    try:
        res = hs.classification_dict(hs.classify(uow.session, text, top=3))
    except XborderError:
        return None
    return {"row": rows[i], "line": i + 1, "text": text, "candidates": res.get("candidates") or [], "vague": res.get("vague")}


def _rules_page(request: Request, ctx: WebContext, uow: UnitOfWork, country: str | None, on: str | None,
                extra: dict[str, Any] | None = None, status_code: int = 200) -> Response:
    error, rows = None, []
    try:
        day = date.fromisoformat(on) if on else None
        rows = rule_rows(country or None, day)
    except (XborderError, ValueError) as exc:
        error = exc
    context = {"rows": rows, "country": country or "", "on": on or "", "destinations": destinations(), "error": error,
               "own": service.org_extra_duties(uow.session, ctx.principal.org_id), "import_errors": [], "imported": None}
    context.update(extra or {})
    return render(request, "customs/rules.html", context, status_code=status_code)


def _tariff_lines_page(request: Request, ctx: WebContext, uow: UnitOfWork, market: str, extra: dict[str, Any] | None = None,
                       status_code: int = 200) -> Response:
    from xborder.customs import tariff_lines

    error = None
    try:
        rows = [r.to_dict() for r in tariff_lines.missing_lines(uow.session, ctx.principal, market or None)]
    except XborderError as exc:
        rows, error, market = [], exc.message, ""
    context = {"rows": rows, "market": market, "markets": list(tariff_lines.MARKET_FIELDS), "error": error, "saved": None}
    context.update(extra or {})
    return render(request, "customs/tariff_lines.html", context, status_code=status_code)


@router.get("/customs/tariff-lines")
def tariff_lines_page(request: Request, market: str = "", saved_sku: str = "", saved_market: str = "", saved_code: str = "",
                      ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    saved = {"sku": saved_sku, "market": saved_market, "code": saved_code} if saved_sku else None
    return _tariff_lines_page(request, ctx, uow, market.strip().upper(), {"saved": saved})


@router.post("/customs/tariff-lines", dependencies=[Depends(csrf_protect)])
async def tariff_line_set(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    from xborder.customs import tariff_lines

    form = await request.form()
    market, code, back = (str(form.get(k) or "").strip() for k in ("market", "code", "filter"))
    try:
        sku = tariff_lines.set_line(uow.session, ctx.principal, int(str(form.get("sku_id") or "0")), market, code)
        uow.commit()
    except (XborderError, ValueError) as exc:
        uow.rollback()
        message = exc.message if isinstance(exc, XborderError) else "sku_id: not a number"
        return _tariff_lines_page(request, ctx, uow, back, {"error": message}, getattr(exc, "http_status", 422))
    query = urlencode({"market": back, "saved_sku": sku.sku, "saved_market": market.upper(), "saved_code": code})
    return RedirectResponse(f"/customs/tariff-lines?{query}", status_code=303)


@router.get("/customs/rules")
def rules(request: Request, country: str | None = None, on: str | None = None,
          ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    return _rules_page(request, ctx, uow, country, on)


@router.get("/customs/rules/export")
def rules_export(country: str | None = None, on: str | None = None, format: str = Query("csv", pattern="^(csv|xlsx)$"),
                 ctx: WebContext = Depends(web_context)) -> Response:
    from xborder.customs.browse import rules_table

    return download(rules_table(country or None, iso_date(on, "on")), format)


@router.post("/customs/rules/extra-duties", dependencies=[Depends(csrf_protect)])
async def extra_duties_import(request: Request, ctx: WebContext = Depends(web_context),
                              uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    upload = form.get("file")
    text = ""
    if upload is not None and hasattr(upload, "read"):
        text = decode(await upload.read())[0]  # UTF-8/16 or GB18030, never an exception
    text = text or str(form.get("csv") or "")
    try:
        result = service.import_extra_duties(uow.session, ctx.principal, text)
        uow.commit()
    except XborderError as exc:
        errors = getattr(exc, "errors", None) or [{"line": "", "column": exc.field or "", "message": exc.message}]
        return _rules_page(request, ctx, uow, "US", None, {"import_errors": errors}, status_code=422)
    return _rules_page(request, ctx, uow, "US", None, {"imported": result})


@router.post("/customs/rules/extra-duties/{row_id}/delete", dependencies=[Depends(csrf_protect)])
def extra_duty_delete(row_id: int, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    service.delete_extra_duty(uow.session, ctx.principal, row_id)
    uow.commit()
    return RedirectResponse("/customs/rules?country=US", status_code=303)


@router.get("/customs/screen")
def screen_form(request: Request, destination: str = "", ctx: WebContext = Depends(web_context)) -> Response:
    dest = destination.strip().upper()[:2] or "US"  # ?destination= from the booking form's link
    return render(request, "customs/screen.html", {"result": None, "error": None, "carriers": CARRIER_MODES,
                                                   "form": {"destination": dest, "carrier": "post", "lines": "power bank 10000mAh\nBluetooth speaker"}})


@router.post("/customs/screen", dependencies=[Depends(csrf_protect)])
async def screen_submit(request: Request, ctx: WebContext = Depends(web_context)) -> Response:
    form = await request.form()
    dest = str(form.get("destination") or "")
    carrier = str(form.get("carrier") or "") or None
    text = str(form.get("lines") or "")
    lines = [{"description": t.strip()} for t in text.splitlines() if t.strip()]
    result, error = None, None
    try:
        result = screen_request({"destination": dest, "lines": lines}, carrier)
    except XborderError as exc:
        error = exc
    return render(request, "customs/screen.html", {"result": result, "error": error, "carriers": CARRIER_MODES,
                                                   "form": {"destination": dest, "carrier": carrier or "", "lines": text}})


# the form view of the JSON editors (app.js data-json-form): field labels, translated on the page
_DECLARATION_FORM = {"json_labels": {**form_labels.DECLARATION_LABELS, **form_labels.FORM_LABELS},
                     "json_options": form_labels.declaration_options(), "json_hints": form_labels.DECLARATION_HINTS,
                     "json_help": form_labels.DECLARATION_HELP}
_DOCUMENT_FORM = {"json_labels": {**form_labels.DOCUMENT_LABELS, **form_labels.FORM_LABELS},
                  "json_options": {"incoterm": [["DDP", "DDP"], ["DAP", "DAP"]]}, "json_help": form_labels.DOCUMENT_HELP}


@router.get("/customs/declarations")
def declarations_page(request: Request, shipment: int | None = None, mode: str = "9610",
                      ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    data = (drafts.declaration_draft(uow.session, ctx.principal, shipment, mode) if shipment
            else service.declaration_template(uow.session, ctx.principal))
    return render(request, "customs/declarations.html", {**_DECLARATION_FORM,
        "rows": service.list_declarations(uow.session, ctx.principal),
        "input": json.dumps(data, ensure_ascii=False, indent=2), "errors": [], "error": None,
        "month": date.today().strftime("%Y-%m"), "shipments": drafts.recent_shipments(uow.session, ctx.principal),
    })


@router.post("/customs/declarations", dependencies=[Depends(csrf_protect)])
async def declarations_submit(request: Request, ctx: WebContext = Depends(web_context),
                              uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    text = str(form.get("input") or "")
    upload = form.get("file")
    if upload is not None and hasattr(upload, "read"):
        content = await upload.read()
        if content:
            text = decode(content)[0]
    errors: list[dict[str, str]] = []
    warnings: list[dict[str, str]] = []
    error = None
    checked = bool(form.get("check"))
    try:
        data = json.loads(text)
        if checked:  # "Check only": validate with the legal units, store nothing
            result = service.check_declaration_input(uow.session, ctx.principal, data)
            return render(request, "customs/declarations.html", {**_DECLARATION_FORM,
                "rows": service.list_declarations(uow.session, ctx.principal), "input": text,
                "errors": result["errors"], "warnings": result["warnings"], "error": None, "checked": True,
                "month": date.today().strftime("%Y-%m"), "shipments": drafts.recent_shipments(uow.session, ctx.principal),
            }, status_code=200 if result["valid"] else 422)
        row, _created = service.save_declaration(uow.session, ctx.principal, data)
        uow.commit()
        return RedirectResponse(f"/customs/declarations/{row.id}", status_code=303)
    except json.JSONDecodeError as exc:
        errors = [{"field": f"line {exc.lineno}, column {exc.colno}", "message": exc.msg}]
    except XborderError as exc:
        error = exc
        errors = exc.details.get("errors") or [{"field": exc.field or "", "message": exc.message}]
        warnings = list(exc.details.get("warnings") or [])
    return render(request, "customs/declarations.html", {**_DECLARATION_FORM,
        "rows": service.list_declarations(uow.session, ctx.principal), "input": text, "errors": errors, "error": error,
        "warnings": warnings,
        "month": date.today().strftime("%Y-%m"), "shipments": drafts.recent_shipments(uow.session, ctx.principal),
    }, status_code=422)


@router.post("/customs/declarations/receipts", dependencies=[Depends(csrf_protect)])
async def receipts_upload(request: Request, ctx: WebContext = Depends(web_context),
                          uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Upload CEB604 receipts: the declarations page with what was recorded, or every problem (422)."""
    form = await request.form()
    files = [(str(getattr(f, "filename", "") or "receipt.xml"), await f.read())
             for f in form.getlist("files") if hasattr(f, "read")]
    files = [(n, c) for n, c in files if c]
    result: dict[str, Any] | None = None
    errors: list[dict[str, Any]] = []
    error: XborderError | None = None
    try:
        result = service.import_receipts(uow.session, ctx.principal, files)
        uow.commit()
    except XborderError as exc:
        error = exc
        # a message of its own (no file, no line): its English text is the msgid, shown translated when known
        errors = list(getattr(exc, "errors", None) or [{"file": "", "line": "", "column": exc.field or "",
                                                         "message": exc.message, "msgid": exc.message, "params": {}}])
    data = service.declaration_template(uow.session, ctx.principal)
    return render(request, "customs/declarations.html", {**_DECLARATION_FORM,
        "rows": service.list_declarations(uow.session, ctx.principal),
        "input": json.dumps(data, ensure_ascii=False, indent=2), "errors": [], "error": None,
        "receipt_result": result, "receipt_errors": errors, "receipt_error": error,
        "month": date.today().strftime("%Y-%m"), "shipments": drafts.recent_shipments(uow.session, ctx.principal),
    }, status_code=(409 if isinstance(error, Conflict) else 422) if error else 200)


@router.get("/customs/declarations/summary")
def summary_page(request: Request, month: str | None = None, ctx: WebContext = Depends(web_context),
                 uow: UnitOfWork = Depends(get_uow)) -> Response:
    month = month or date.today().strftime("%Y-%m")
    error, result = None, None
    try:
        y, m = (int(x) for x in month.split("-"))
        result = service.monthly_summary(uow.session, ctx.principal, y, m)
    except (ValueError, XborderError) as exc:
        error = exc
    return render(request, "customs/summary.html", {"month": month, "result": result, "error": error})


@router.get("/customs/declarations/summary/ceb701")
def summary_ceb701(request: Request, month: str, group: int | None = None, ctx: WebContext = Depends(web_context),
                   uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Download the month's CEB701 summary application (one group's XML, or a ZIP of all); when
    the summary would be rejected, the summary page with every problem (422)."""
    error: Exception | None = None
    errors: list[dict[str, str]] = []
    result = None
    try:
        y, m = (int(x) for x in month.split("-"))
    except ValueError as exc:
        error = exc
    else:
        try:
            msgs = service.ceb701_messages(uow.session, ctx.principal, y, m, group)
            body, media, name = service.ceb701_download(msgs, y, m)
            return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
        except XborderError as exc:
            error, errors = exc, list(exc.details.get("errors") or [])
        result = service.monthly_summary(uow.session, ctx.principal, y, m)
    return render(request, "customs/summary.html", {"month": month, "result": result, "error": error, "errors": errors},
                  status_code=422)


@router.get("/customs/declarations/{decl_id}")
def declaration_page(decl_id: int, request: Request, ctx: WebContext = Depends(web_context),
                     uow: UnitOfWork = Depends(get_uow)) -> Response:
    return _declaration_page(request, ctx, uow, decl_id)


def _declaration_page(request: Request, ctx: WebContext, uow: UnitOfWork, decl_id: int, status_code: int = 200,
                      **extra: Any) -> Response:
    row = service.get_declaration(uow.session, ctx.principal, decl_id)
    decl = service.declaration_of(row)
    return render(request, "customs/declaration.html", {
        "row": row, "decl": decl, "messages": decl.messages(),
        "checks": service.declaration_check(uow.session, ctx.principal, row),
        "general": dc.general_trade_data(decl) if decl.mode == "0110" else None,
        "receipts": service.declaration_receipts(uow.session, ctx.principal, row),
        "list_modes": service.LIST_MODES, "invt_error": None, **extra}, status_code=status_code)


@router.post("/customs/declarations/{decl_id}/invt-no", dependencies=[Depends(csrf_protect)])
async def declaration_invt_no(decl_id: int, request: Request, ctx: WebContext = Depends(web_context),
                              uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Record the inventory list number typed in by hand."""
    form = await request.form()
    try:
        service.set_invt_no(uow.session, ctx.principal, decl_id, str(form.get("invt_no") or ""))
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return _declaration_page(request, ctx, uow, decl_id, status_code=422, invt_error=exc,
                                 invt_input=str(form.get("invt_no") or ""))
    return RedirectResponse(f"/customs/declarations/{decl_id}", status_code=303)


@router.get("/customs/declarations/{decl_id}/{name}.xml")
def declaration_xml(decl_id: int, name: str, ctx: WebContext = Depends(web_context),
                    uow: UnitOfWork = Depends(get_uow)) -> Response:
    row = service.get_declaration(uow.session, ctx.principal, decl_id)
    msgs = service.declaration_messages(row)
    if name not in msgs:
        return Response(f"{name} is not produced for mode {row.mode}", status_code=404, media_type="text/plain")
    return Response(msgs[name], media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}_{row.order_no}.xml"'})


@router.get("/customs/invoices.pdf")
def shipment_invoices(request: Request, shipments: str = "", valid_only: bool = False, ctx: WebContext = Depends(web_context),
                      uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The commercial invoices of several shipments in one PDF; when a draft is incomplete, a page
    naming what each lacks, with links to complete it and to print the complete ones."""
    ids = service.shipment_ids(shipments)
    try:
        pdf, _refused = service.shipment_invoices_pdf(uow.session, ctx.principal, ids, valid_only)
    except XborderError as exc:
        refused = exc.details.get("refused")
        if not refused:
            raise
        return render(request, "customs/invoices_refused.html", {"refused": refused, "shipments": shipments,
                                                                 "printable": len(ids) - len(refused)}, status_code=422)
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": 'inline; filename="invoices.pdf"'})


@router.get("/customs/documents")
def documents_page(request: Request, shipment: int | None = None, ctx: WebContext = Depends(web_context),
                   uow: UnitOfWork = Depends(get_uow)) -> Response:
    data = drafts.documents_draft(uow.session, ctx.principal, shipment) if shipment else docs.sample_input()
    return render(request, "customs/documents.html", {**_DOCUMENT_FORM,
        "rows": service.list_docs(uow.session, ctx.principal), "errors": [], "error": None,
        "input": json.dumps(data, ensure_ascii=False, indent=2), "cjk": docs.find_cjk_font() is not None,
        "shipments": drafts.recent_shipments(uow.session, ctx.principal),
    })


@router.post("/customs/documents", dependencies=[Depends(csrf_protect)])
async def documents_submit(request: Request, ctx: WebContext = Depends(web_context),
                           uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    text = str(form.get("input") or "")
    errors: list[dict[str, str]] = []
    error = None
    try:
        data = json.loads(text)
        service.save_docs(uow.session, ctx.principal, data)
        uow.commit()
        return RedirectResponse("/customs/documents", status_code=303)
    except json.JSONDecodeError as exc:
        errors = [{"field": f"line {exc.lineno}, column {exc.colno}", "message": exc.msg}]
    except XborderError as exc:
        error = exc
        errors = exc.details.get("problems") or [{"field": exc.field or "", "message": exc.message}]
    return render(request, "customs/documents.html", {**_DOCUMENT_FORM,
        "rows": service.list_docs(uow.session, ctx.principal), "errors": errors, "error": error, "input": text,
        "cjk": docs.find_cjk_font() is not None, "shipments": drafts.recent_shipments(uow.session, ctx.principal),
    }, status_code=422)


@router.get("/customs/documents/{docs_id}/{kind}.{fmt}")
def document_download(docs_id: int, kind: str, fmt: str, ctx: WebContext = Depends(web_context),
                      uow: UnitOfWork = Depends(get_uow)) -> Response:
    content, mime, name = service.render_doc(service.get_docs(uow.session, ctx.principal, docs_id), kind, fmt)
    return Response(content, media_type=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'})

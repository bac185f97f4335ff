"""Pages under ``/rebate``: overview and settings, periods (VAT-return figures, results explained
step by step in Chinese and English), documents (entry and import), the matching workbench, the
deadline calendar, the rate library."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from xborder.db import UnitOfWork
from xborder.entrypoints.deps import WebContext, csrf_protect, get_uow, render, web_context
from xborder.errors import XborderError
from xborder.importing import iso_date
from xborder.rebate import importers, messages, service
from xborder.rebate.fob import DATE_RULES
from xborder.rebate.matching import PROBLEMS, STATUSES
from xborder.rebate.rates import rate_str
from xborder.rebate.records import REGIMES, parse_declaration, parse_invoice, parse_receipt

router = APIRouter()
POST = {"dependencies": [Depends(csrf_protect)]}


def _today() -> date:
    return date.today()


def _back(url: str, msg: str = "", err: str = "") -> RedirectResponse:
    from urllib.parse import urlencode

    q = {k: v for k, v in (("msg", msg), ("err", err)) if v}
    return RedirectResponse(url + ("?" + urlencode(q) if q else ""), status_code=303)


def _plain(x: Any) -> str:
    """A stored decimal for a form field or a rate: no trailing zeros, no grouping."""
    if x is None:
        return ""
    return rate_str(x)


def _flash(request: Request) -> dict[str, str]:
    return {"msg": request.query_params.get("msg", ""), "err": request.query_params.get("err", "")}


@router.get("/rebate")
def overview(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    s = uow.session
    org = ctx.principal.org_id
    today = _today()
    m = service.match_documents(s, org, today)
    lib = service.library(s, org, codes=[ln.hs_code for d in service.declarations(s, org) for ln in d.lines])
    rows = []
    for period, regime, rec in service.periods(s, org):
        rep = service.period_report(s, org, period, regime, today, matched=m, lib=lib)
        rows.append({"period": period, "regime": regime, "record": rec, "report": rep})
    counts = {k: 0 for k in STATUSES}
    for st in m.declarations:
        counts[st.status] += 1
    alerts = [d for d in service.deadlines(s, org, today, matched=m) if d.state in ("overdue", "due_soon")]
    rule, chosen = service.fx_rule_for(s, org, today.year)
    return render(request, "rebate/overview.html", {
        "profile": service.get_profile(s, org), "rows": rows, "counts": counts, "alerts": alerts,
        "fx_rule": rule, "fx_rule_chosen": chosen, "year": today.year, "date_rules": DATE_RULES,
        "regimes": REGIMES, "rate_count": service.rate_count(s, org), "problems": PROBLEMS, **_flash(request)})


@router.post("/rebate/settings", **POST)
def save_settings(enterprise_type: str = Form(...), exporter_name: str = Form(""),
                  zone_registered: str = Form(""), small_low_profit: str = Form(""),
                  fx_year: str = Form(""), fx_rule: str = Form(""),
                  ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    try:
        service.save_profile(uow.session, ctx.principal, enterprise_type=enterprise_type, exporter_name=exporter_name,
                             zone_registered=bool(zone_registered), small_low_profit=bool(small_low_profit))
        if fx_rule and fx_year:
            service.set_fx_rule(uow.session, ctx.principal, int(fx_year), fx_rule)
        uow.commit()
    except (XborderError, ValueError) as exc:
        return _back("/rebate", err=getattr(exc, "message", str(exc)))
    return _back("/rebate", msg="Saved")


@router.post("/rebate/periods", **POST)
def new_period(period: str = Form(...), regime: str = Form(...), ctx: WebContext = Depends(web_context),
               uow: UnitOfWork = Depends(get_uow)) -> Response:
    try:
        service.save_period(uow.session, ctx.principal, period.strip(), regime)
        uow.commit()
    except XborderError as exc:
        return _back("/rebate", err=exc.message)
    return _back(f"/rebate/periods/{period.strip()}/{regime}")


@router.get("/rebate/periods/{period}/{regime}")
def period_page(period: str, regime: str, request: Request, ctx: WebContext = Depends(web_context),
                uow: UnitOfWork = Depends(get_uow)) -> Response:
    try:
        rep = service.period_report(uow.session, ctx.principal.org_id, period, regime, _today())
    except XborderError as exc:
        return render(request, "rebate/error.html", {"message": exc.message}, status_code=404)
    return render(request, "rebate/period.html", {"rep": rep, "rec": rep.record, "plain": _plain, "msg_zh": messages.zh, "problems": PROBLEMS, **_flash(request)})


@router.post("/rebate/periods/{period}/{regime}", **POST)
async def save_period_figures(period: str, regime: str, request: Request, ctx: WebContext = Depends(web_context),
                              uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    fields = ("domestic_output_vat", "input_vat", "opening_credit", "tax_free_materials", "planned_distribution_rate",
              "offset_brought_forward", "declared_end_credit", "note")
    figures = {k: str(form.get(k) or "").strip() for k in fields if k in form}
    url = f"/rebate/periods/{period}/{regime}"
    try:
        service.save_period(uow.session, ctx.principal, period, regime, **figures)
        uow.commit()
    except XborderError as exc:
        return _back(url, err=exc.message)
    return _back(url, msg="Saved")


@router.get("/rebate/periods/{period}/{regime}/workbook.xlsx")
def period_workbook(period: str, regime: str, ctx: WebContext = Depends(web_context),
                    uow: UnitOfWork = Depends(get_uow)) -> Response:
    from xborder.rebate.workbook import build_workbook

    rep = service.period_report(uow.session, ctx.principal.org_id, period, regime, _today())
    data = build_workbook(rep, org_name=ctx.org_name)
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="rebate-{period}-{regime}.xlsx"'})


# --- documents -------------------------------------------------------------------------------


@router.get("/rebate/documents")
def documents(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    s = uow.session
    org = ctx.principal.org_id
    return render(request, "rebate/documents.html", {
        "declarations": service.declarations(s, org), "invoices": service.invoices(s, org),
        "receipts": service.receipts(s, org), "regimes": REGIMES, **_flash(request)})


@router.post("/rebate/declarations", **POST)
async def add_declaration(request: Request, ctx: WebContext = Depends(web_context),
                          uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    try:
        service.store_declarations(uow.session, ctx.principal, [parse_declaration(form)])
        uow.commit()
    except XborderError as exc:
        return _back("/rebate/documents", err=exc.message)
    return _back("/rebate/documents", msg="Saved")


@router.post("/rebate/declared", **POST)
def mark_declared(number: str = Form(...), declared_on: str = Form(...), filed_on: str = Form(""),
                  ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    from xborder.rebate.records import parse_date

    try:
        service.mark_declared(uow.session, ctx.principal, number, parse_date(declared_on, "declared_on"),
                              parse_date(filed_on, "filed_on") if filed_on else None)
        uow.commit()
    except XborderError as exc:
        return _back("/rebate/documents", err=exc.message)
    return _back("/rebate/documents", msg="Saved")


@router.post("/rebate/invoices", **POST)
async def add_invoice(request: Request, ctx: WebContext = Depends(web_context),
                      uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    try:
        service.store_invoices(uow.session, ctx.principal, [parse_invoice(form)])
        uow.commit()
    except XborderError as exc:
        return _back("/rebate/documents", err=exc.message)
    return _back("/rebate/documents", msg="Saved")


@router.post("/rebate/receipts", **POST)
async def add_receipt(request: Request, ctx: WebContext = Depends(web_context),
                      uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items() if k != "csrf_token"}
    try:
        service.store_receipts(uow.session, ctx.principal, [parse_receipt(form)])
        uow.commit()
    except XborderError as exc:
        return _back("/rebate/documents", err=exc.message)
    return _back("/rebate/documents", msg="Saved")


@router.post("/rebate/import", **POST)
async def import_file(request: Request, kind: str = Form(...), file: UploadFile = File(...),
                      ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    data = await file.read()
    back = "/rebate/rates" if kind == "rates" else "/rebate/documents"
    try:
        result = importers.import_file(uow.session, ctx.principal, kind, data, file.filename or "upload")
        uow.commit()
    except XborderError as exc:
        errors = getattr(exc, "errors", None) or []
        return render(request, "rebate/import_errors.html", {"message": exc.message, "errors": errors, "back": back},
                      status_code=422)
    return _back(back, msg=f"{result.imported} imported, {result.skipped_duplicates} unchanged")


# --- matching workbench -----------------------------------------------------------------------


@router.get("/rebate/match")
def workbench(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    s = uow.session
    m = service.match_documents(s, ctx.principal.org_id, _today())
    invs = {service._inv_key(i): i for i in service.invoices(s, ctx.principal.org_id)}
    recs = {r.reference: r for r in service.receipts(s, ctx.principal.org_id)}
    return render(request, "rebate/match.html", {"m": m, "problems": PROBLEMS, "invs": invs, "recs": recs,
                                                 "statuses": STATUSES, **_flash(request)})


@router.post("/rebate/match/run", **POST)
def run_match(ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    m = service.match_documents(uow.session, ctx.principal.org_id, _today(), persist_for=ctx.principal)
    uow.commit()
    ready = sum(1 for st in m.declarations if st.status == "ready")
    return _back("/rebate/match", msg=f"{ready}/{len(m.declarations)} ready")


@router.post("/rebate/match/allocate", **POST)
def allocate(declaration: str = Form(...), invoice: str = Form(""), line_no: str = Form("1"), qty: str = Form(""),
             receipt: str = Form(""), amount: str = Form(""), ctx: WebContext = Depends(web_context),
             uow: UnitOfWork = Depends(get_uow)) -> Response:
    from xborder.money import to_decimal

    try:
        service.allocate_manually(
            uow.session, ctx.principal, declaration=declaration, invoice=invoice or None,
            line_no=int(line_no or 1), qty=to_decimal(qty, "qty") if qty else None, receipt=receipt or None,
            amount=to_decimal(amount, "amount") if amount else None)
        uow.commit()
    except (XborderError, ValueError) as exc:
        return _back("/rebate/match", err=getattr(exc, "message", str(exc)))
    return _back("/rebate/match", msg="Saved")


@router.post("/rebate/match/clear", **POST)
def clear(declaration: str = Form(...), ctx: WebContext = Depends(web_context),
          uow: UnitOfWork = Depends(get_uow)) -> Response:
    try:
        n = service.clear_manual(uow.session, ctx.principal, declaration)
        uow.commit()
    except XborderError as exc:
        return _back("/rebate/match", err=exc.message)
    return _back("/rebate/match", msg=f"{n} removed")


# --- deadlines ----------------------------------------------------------------------------------


def _calendar(deadlines: list[Any], today: date) -> list[dict[str, Any]]:
    by_month: dict[tuple[int, int], dict[int, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for d in deadlines:
        if d.state == "done" or d.key == "keep":
            continue
        by_month[(d.due.year, d.due.month)][d.due.day].append(d)
    months = []
    for (y, mth) in sorted(by_month)[:12]:
        weeks = calendar.Calendar(firstweekday=0).monthdayscalendar(y, mth)
        months.append({"year": y, "month": mth, "weeks": weeks, "days": by_month[(y, mth)],
                       "today": today.day if (today.year, today.month) == (y, mth) else None})
    return months


@router.get("/rebate/deadlines")
def deadlines_page(request: Request, ctx: WebContext = Depends(web_context),
                   uow: UnitOfWork = Depends(get_uow)) -> Response:
    today = _today()
    dls = service.deadlines(uow.session, ctx.principal.org_id, today)
    return render(request, "rebate/deadlines.html", {"deadlines": dls, "months": _calendar(dls, today),
                                                     "today": today})


# --- rate library ---------------------------------------------------------------------------------


@router.get("/rebate/rates")
def rates_page(request: Request, code: str = "", on: str = "", ctx: WebContext = Depends(web_context),
               uow: UnitOfWork = Depends(get_uow)) -> Response:
    found = None
    error = ""
    if code:
        try:
            when = iso_date(on, "on") or _today()
            found = service.library(uow.session, ctx.principal.org_id, codes=[code]).lookup(code, when)
        except XborderError as exc:
            error = exc.message
    return render(request, "rebate/rates.html", {
        "count": service.rate_count(uow.session, ctx.principal.org_id), "code": code, "on": on, "found": found,
        "lookup_error": error, **_flash(request)})


@router.get("/rebate/compute")
def compute_page(request: Request, ctx: WebContext = Depends(web_context)) -> Response:
    return render(request, "rebate/compute.html", {"result": None, "data": {}, "error": ""})


@router.post("/rebate/compute", **POST)
async def compute_form(request: Request, ctx: WebContext = Depends(web_context)) -> Response:
    from xborder.rebate.engine import compute_contract

    form = {k: str(v).strip() for k, v in (await request.form()).items() if k != "csrf_token" and str(v).strip()}
    data: dict[str, Any] = dict(form)
    if "small_low_profit" in data:
        data["small_low_profit"] = data["small_low_profit"] in ("on", "true", "1")
    try:
        result = compute_contract(data, _today())
        error = ""
    except XborderError as exc:
        result, error = None, exc.message
    return render(request, "rebate/compute.html", {"result": result, "data": form, "error": error},
                  status_code=200 if result else 422)

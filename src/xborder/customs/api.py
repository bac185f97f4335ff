"""HTTP API under ``/api/v1/customs``. Money is a decimal string in JSON."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response

from xborder.accounts.service import Principal
from xborder.customs import service
from xborder.customs.browse import rule_rows
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, download, get_uow
from xborder.errors import ValidationError
from xborder.importing import decode

router = APIRouter(prefix="/customs", tags=["customs"])


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, date):
        return v.isoformat()
    return v


async def json_body(request: Request) -> Any:
    """The request body as JSON with decimals kept exact (numbers become Decimal, never float)."""
    raw = await request.body()
    try:
        return json.loads(raw or b"null", parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"body: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", field="body") from None


def _month(month: str) -> tuple[int, int]:
    try:
        y, m = month.split("-")
        return int(y), int(m)
    except ValueError:
        raise ValidationError(f"month: {month!r} is not YYYY-MM", field="month") from None


LANDED_COST_EXAMPLE = {
    "destination": "DE", "date": "2026-11-24", "currency": "EUR", "incoterm": "DDP", "channel": "own_store",
    "shipping": "5.00", "insurance": "0.00",
    "lines": [{"hs_code": "610910", "description": "cotton T-shirt", "origin": "CN", "quantity": 1,
               "unit_value": "15.00", "weight_kg": "0.2", "duty_rate": "0.12"}],
}


@router.post("/landed-cost", openapi_extra={"requestBody": {"content": {"application/json": {
    "schema": {"type": "object"}, "example": LANDED_COST_EXAMPLE}}, "required": True}})
def landed_cost(
    body: Any = Depends(json_body),
    fx_max_gap_days: int = Query(service.CUSTOMS_FX_MAX_GAP_DAYS, ge=0, le=3650),
    principal: Principal = Depends(api_principal),
    uow: UnitOfWork = Depends(get_uow),
) -> dict[str, Any]:
    """Duty, taxes and fees with where they are collected and one explanation line per rule."""
    return service.quote_landed_cost(uow.session, principal.org_id, body, fx_max_gap_days=fx_max_gap_days)


@router.get("/rules/export")
def rules_export(country: str | None = None, on: date | None = Query(None, alias="date"),
                 format: str = Query("csv", pattern="^(csv|xlsx)$"), principal: Principal = Depends(api_principal)) -> Response:
    """The rules as CSV or XLSX (the same rows as ``GET /customs/rules``)."""
    from xborder.customs.browse import rules_table

    return download(rules_table(country, on), format)


@router.get("/rules")
def rules(country: str | None = None, on: date | None = Query(None, alias="date"),
          principal: Principal = Depends(api_principal)) -> dict[str, Any]:
    return {"rules": rule_rows(country, on)}


@router.get("/tariff-lines")
def tariff_lines_list(market: str | None = None, principal: Principal = Depends(api_principal),
                      uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """SKUs whose HS code carries several rates in a market's tariff (US, EU, GB), with the candidate
    lines (``code``, ``rate``, ``description``): ``{"missing": [...]}``."""
    from xborder.customs import tariff_lines

    return {"missing": [r.to_dict() for r in tariff_lines.missing_lines(uow.session, principal, market)]}


@router.put("/tariff-lines")
def tariff_line_set(body: Any = Depends(json_body), principal: Principal = Depends(api_principal),
                    uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Record a SKU's own line for a market: ``{"sku": "SW-SOCK-6P", "market": "US", "code": "6115959000"}``."""
    from xborder.catalog.service import sku_to_dict
    from xborder.customs import tariff_lines

    data = body if isinstance(body, dict) else {}
    sku = tariff_lines.set_line(uow.session, principal, str(data.get("sku") or ""), str(data.get("market") or ""),
                                str(data.get("code") or ""))
    uow.commit()
    return sku_to_dict(sku)


@router.post("/screen")
def screen(body: Any = Depends(json_body), carrier: str | None = None,
           principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Restricted-goods flags (``result``: block / warn / info / ok); lines may name a catalog ``sku``."""
    return service.screen_with_catalog(uow.session, principal.org_id, body, carrier)


@router.get("/extra-duties")
def extra_duties(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    rows = service.extra_duties(uow.session, principal.org_id)
    return {"extra_duties": [
        {"programme": e.programme, "destination": e.destination, "origin": e.origin, "hs_prefix": e.hs_prefix,
         "rate": _jsonable(e.rate), "valid_from": _jsonable(e.valid_from), "valid_to": _jsonable(e.valid_to),
         "source": e.source, "note": e.note} for e in rows]}


@router.post("/extra-duties/import")
async def import_extra_duties(request: Request, principal: Principal = Depends(api_principal),
                              uow: UnitOfWork = Depends(get_uow)) -> dict[str, int]:
    """Body: the CSV text (programme,destination,origin,hs_prefix,rate,valid_from,valid_to,source,note)."""
    result = service.import_extra_duties(uow.session, principal, decode(await request.body())[0])
    uow.commit()
    return result


@router.post("/declarations", status_code=201)
def create_declaration(body: Any = Depends(json_body), principal: Principal = Depends(api_principal),
                       uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    row, created, warnings = service.save_declaration_checked(uow.session, principal, body)
    msgs = service.declaration_messages(row)
    uow.commit()
    return {"id": row.id, "mode": row.mode, "order_no": row.order_no, "created": created, "messages": sorted(msgs),
            "warnings": warnings}


@router.post("/declarations/check")
def check_declaration(body: Any = Depends(json_body), principal: Principal = Depends(api_principal),
                      uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Validate a declaration (legal units included) without storing it: valid, errors, warnings, sources."""
    return service.check_declaration_input(uow.session, principal, body)


@router.get("/declarations")
def list_declarations(month: str | None = None, principal: Principal = Depends(api_principal),
                      uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    rows = service.list_declarations(uow.session, principal, month=_month(month) if month else None)
    return {"declarations": [
        {"id": r.id, "mode": r.mode, "order_no": r.order_no, "ie_date": r.ie_date.isoformat(),
         "destination": r.destination, "currency": r.currency, "status": r.status, "invt_no": r.invt_no,
         "return_status": r.return_status, "return_time": r.return_time.isoformat() if r.return_time else None,
         "return_info": r.return_info} for r in rows]}


@router.post("/declarations/receipts")
async def import_receipts(files: list[UploadFile] = File(..., description="CEB604 receipt XML files"),
                          principal: Principal = Depends(api_principal),
                          uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Record China e-Port CEB604 receipts: each is matched to a declaration by ``copNo`` (the order
    number), which takes the inventory list number (``invt_no``) and customs' latest status. A bad
    file writes nothing: 422 ``IMPORT_REJECTED`` with every problem (file, line, column, message).
    The same receipt again is skipped (``skipped_duplicates``)."""
    got = [(f.filename or f"file{i + 1}.xml", await f.read()) for i, f in enumerate(files)]
    result = service.import_receipts(uow.session, principal, got)
    uow.commit()
    return result


@router.get("/declarations/summary")
def summary(month: str, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    y, m = _month(month)
    return service.monthly_summary(uow.session, principal, y, m)


@router.get("/declarations/summary/ceb701")
def summary_ceb701(month: str, group: int | None = None, principal: Principal = Depends(api_principal),
                   uow: UnitOfWork = Depends(get_uow)) -> Response:
    """CEB701 summary application XML of one group (``group``), or a ZIP of every group of the month."""
    y, m = _month(month)
    body, media, name = service.ceb701_download(service.ceb701_messages(uow.session, principal, y, m, group), y, m)
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/declarations/{decl_id}")
def get_declaration(decl_id: int, principal: Principal = Depends(api_principal),
                    uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    row = service.get_declaration(uow.session, principal, decl_id)
    return {"id": row.id, "status": row.status, "data": row.data, "messages": sorted(service.declaration_messages(row)),
            "checks": service.declaration_check(uow.session, principal, row), "receipt": service.receipt_state(row)}


@router.get("/declarations/{decl_id}/receipts")
def declaration_receipts(decl_id: int, principal: Principal = Depends(api_principal),
                         uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """The list number, latest customs status and the receipt history of a declaration."""
    row = service.get_declaration(uow.session, principal, decl_id)
    return {**service.receipt_state(row),
            "receipts": [service.receipt_to_dict(r) for r in service.declaration_receipts(uow.session, principal, row)]}


@router.put("/declarations/{decl_id}/invt-no", openapi_extra={"requestBody": {"content": {"application/json": {
    "schema": {"type": "object"}, "example": {"invt_no": "29912026E000000001"}}}, "required": True}})
def set_invt_no(decl_id: int, body: Any = Depends(json_body), principal: Principal = Depends(api_principal),
                uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Record the inventory list number (清单编号) typed in by hand: ``{"invt_no": "..."}``."""
    if not isinstance(body, dict) or not isinstance(body.get("invt_no"), str):
        raise ValidationError("invt_no: a JSON object with the list number as a string", field="invt_no")
    result = service.set_invt_no(uow.session, principal, decl_id, body["invt_no"])
    uow.commit()
    return result


@router.get("/declarations/{decl_id}/messages/{name}")
def declaration_message(decl_id: int, name: str, principal: Principal = Depends(api_principal),
                        uow: UnitOfWork = Depends(get_uow)) -> Response:
    row = service.get_declaration(uow.session, principal, decl_id)
    msgs = service.declaration_messages(row)
    if name not in msgs:
        raise ValidationError(f"name: {name} is not produced for mode {row.mode} (has: {', '.join(msgs) or 'none'})",
                              field="name")
    return Response(msgs[name], media_type="application/xml",
                    headers={"Content-Disposition": f'attachment; filename="{name}_{row.order_no}.xml"'})


@router.post("/documents", status_code=201)
def create_documents(body: Any = Depends(json_body), principal: Principal = Depends(api_principal),
                     uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    row, created = service.save_docs(uow.session, principal, body)
    uow.commit()
    return {"id": row.id, "invoice_no": row.invoice_no, "created": created,
            "downloads": [f"/api/v1/customs/documents/{row.id}/{k}.{f}" for k in ("invoice", "packing") for f in ("pdf", "xlsx")]}


@router.get("/documents")
def list_documents(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    return {"documents": [
        {"id": r.id, "invoice_no": r.invoice_no, "invoice_date": r.invoice_date.isoformat(), "destination": r.destination,
         "order_no": r.order_no} for r in service.list_docs(uow.session, principal)]}


@router.get("/invoices.pdf")
def shipment_invoices(shipments: str = "", valid_only: bool = False, principal: Principal = Depends(api_principal),
                      uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The commercial invoices of logistics shipments (``shipments=3,5,8``) in one PDF; 422 with
    ``refused`` (which shipment's draft lacks what) unless ``valid_only`` prints the complete ones."""
    pdf, _refused = service.shipment_invoices_pdf(uow.session, principal, service.shipment_ids(shipments), valid_only)
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": 'inline; filename="invoices.pdf"'})


@router.get("/documents/{docs_id}/{kind}.{fmt}")
def download_document(docs_id: int, kind: str, fmt: str, principal: Principal = Depends(api_principal),
                      uow: UnitOfWork = Depends(get_uow)) -> Response:
    content, mime, name = service.render_doc(service.get_docs(uow.session, principal, docs_id), kind, fmt)
    return Response(content, media_type=mime, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/drafts/{kind}")
def draft(kind: str, shipment: int, mode: str = "9610", principal: Principal = Depends(api_principal),
          uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """A pre-filled documents or declaration input from a logistics shipment (when installed)."""
    from xborder.customs import drafts

    if kind == "documents":
        return drafts.documents_draft(uow.session, principal, shipment)
    if kind == "declaration":
        return drafts.declaration_draft(uow.session, principal, shipment, mode)
    raise ValidationError("kind: documents or declaration", field="kind")


@router.get("/reference")
def reference(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    return {"versions": [
        {"dataset": r.dataset, "version": r.version, "valid_from": r.valid_from.isoformat(), "rows": r.rows,
         "sha256": r.sha256, "source": r.source, "url": r.url, "loaded_at": r.loaded_at.isoformat()}
        for r in service.ref_versions(uow.session)]}

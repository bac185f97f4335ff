"""Logistics endpoints under /api/v1/logistics. Money as decimal strings."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Body, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from xborder.accounts.service import Principal
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, container, download, get_uow
from xborder.errors import ValidationError
from xborder.logistics import fba, service
from xborder.logistics.cardfiles import fx_for_ranking
from xborder.logistics.csvio import decode, read_rows
from xborder.logistics.errors import RateCardInvalid
from xborder.logistics.planning import PlanOrder, SkuSpec, compare_direct_vs_warehouse, plan_batch
from xborder.logistics.ratecard import parse_card
from xborder.logistics.schemas import parse_parcel, parse_rate_request
from xborder.money import to_decimal

router = APIRouter(prefix="/logistics", tags=["logistics"])


def card_dict(r: Any, with_yaml: bool = False) -> dict[str, Any]:
    d = {
        "id": r.id,
        "code": r.code,
        "carrier": r.carrier,
        "service": r.service,
        "currency": r.currency,
        "mode": r.mode,
        "delivers_to": r.delivers_to,
        "valid_from": r.valid_from.isoformat(),
        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
        "illustrative": r.illustrative,
        "source": r.source,
        "filename": r.filename,
        "sha256": r.sha256,
    }
    if with_yaml:
        d["yaml"] = r.yaml_text
    return d


def shipment_dict(sh: Any) -> dict[str, Any]:
    return service.shipment_json(sh)


async def _yaml_body(request: Request, file: UploadFile | None) -> tuple[str, str]:
    if file is not None:
        return decode(await file.read()), file.filename or "card.yaml"
    raw = await request.body()
    if not raw:
        raise ValidationError("send the rate card YAML as the request body or as a file upload 'file'", field="file")
    return decode(raw), request.headers.get("x-filename", "card.yaml")


@router.post("/ratecards/validate")
async def validate_card(request: Request, file: UploadFile | None = File(None), principal: Principal = Depends(api_principal)) -> dict[str, Any]:
    """Validate a card: 200 with ``valid`` and every error (line, column, field, message)."""
    text, name = await _yaml_body(request, file)
    try:
        card = parse_card(text, name)
    except RateCardInvalid as e:
        return {"valid": False, "file": name, "errors": e.errors}
    return {"valid": True, "file": name, "code": card.code, "valid_from": card.valid_from.isoformat(), "errors": []}


@router.post("/ratecards", status_code=201)
async def import_card(
    request: Request, file: UploadFile | None = File(None), principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)
) -> dict[str, Any]:
    """Store a card version (422 with every error when invalid; re-import is unchanged)."""
    text, name = await _yaml_body(request, file)
    rec, status = service.import_card(uow.session, principal, text, name)
    uow.commit()
    return {"status": status, "card": card_dict(rec)}


@router.post("/ratecards/samples", status_code=201)
def import_samples(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    res = service.import_sample_cards(uow.session, principal)
    uow.commit()
    return {"cards": [{"code": c, "status": s} for c, s in res]}


@router.get("/ratecards")
def list_cards(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    return {"cards": [card_dict(r) for r in service.list_cards(uow.session, principal)]}


@router.get("/ratecards/{code}")
def get_card(code: str, valid_from: date | None = None, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    return card_dict(service.get_card(uow.session, principal, code, valid_from), with_yaml=True)


@router.post("/rates")
async def rates(request: Request, body: dict[str, Any] = Body(...)) -> Response:
    """Rate shopping on the organisation's stored cards (same JSON as ``xborder rates --json-in``).

    The hot path of the API: the body is parsed on the event loop and the bearer-token check, the
    unit of work and the quote run in ONE worker-thread call, instead of the three or four thread
    hops that the synchronous ``get_uow`` / ``api_principal`` dependencies cost (the same
    functions are called, so authentication and errors are unchanged).
    The result holds only JSON types (decimal strings), so it is serialised with ``json.dumps``
    directly rather than walked by FastAPI's ``jsonable_encoder`` (0.3 ms of the request)."""
    return await run_in_threadpool(_rates_sync, request, body)


def _rates_sync(request: Request, body: dict[str, Any]) -> Response:
    with UnitOfWork(container(request).sessions) as uow:
        principal = api_principal(request, uow)
        req, _items = service.request_from_json(uow.session, principal.org_id, body, date.today())
        out = service.shop_for_org(uow.session, principal, req, body).to_dict()
    text = json.dumps(out, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=str)  # Decimal -> "1.23"
    return Response(text.encode("utf-8"), media_type="application/json")


@router.post("/plan")
def plan(body: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """``{"orders": [{order_ref, buyer, destination, postcode, parcel{...}, contents, max_days}], "capacity": {code: n}}``."""
    orders_in = body.get("orders")
    if not isinstance(orders_in, list) or not orders_in:
        raise ValidationError("orders: list at least one order", field="orders")
    orders = []
    for i, o in enumerate(orders_in):
        if not isinstance(o, dict):
            raise ValidationError(f"orders[{i}]: expected an object", field=f"orders[{i}]")
        req = parse_rate_request(o, date.today())
        ref = str(o.get("order_ref") or "").strip()
        if not ref:
            raise ValidationError(f"orders[{i}].order_ref: required", field=f"orders[{i}].order_ref")
        orders.append(PlanOrder(ref, str(o.get("buyer") or ref), req.destination, req.parcel, req.postcode, req.contents, req.max_days))
    cur = service.org_currency(uow.session, principal.org_id)
    notes: list[str] = []
    cards = service.org_cards(uow.session, principal.org_id)
    caps = {str(k): int(v) for k, v in (body.get("capacity") or {}).items()}
    result = plan_batch(orders, cards, date.today(), cur, fx_for_ranking(cur, date.today(), notes), caps).to_dict()
    result["notes"] = list(result["notes"]) + notes  # type: ignore[call-overload]
    return result


@router.post("/compare")
def compare(body: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Direct parcels vs head-haul + FBA for one SKU: ``{sku, destination, parcel{...}, price, weekly_demand, units_per_carton, replenish_weeks}``."""
    spec, dest, weekly, weeks = _compare_input(body)
    cur = service.org_currency(uow.session, principal.org_id)
    notes: list[str] = []
    out = compare_direct_vs_warehouse(
        spec, dest, weekly, service.org_cards(uow.session, principal.org_id), date.today(), cur, fx_for_ranking(cur, date.today(), notes), replenish_weeks=weeks
    )
    out["notes"] = notes
    return out


def _compare_input(body: dict[str, Any]) -> tuple[SkuSpec, str, int, int]:
    p = parse_parcel(body.get("parcel"))
    weekly = body.get("weekly_demand")
    if isinstance(weekly, bool) or not str(weekly).isdigit() or int(weekly) < 1:
        raise ValidationError("weekly_demand: expected a whole number >= 1", field="weekly_demand")
    upc = int(body.get("units_per_carton") or 20)
    weeks = int(body.get("replenish_weeks") or 8)
    spec = SkuSpec(str(body.get("sku") or "-"), p.length_cm, p.width_cm, p.height_cm, p.weight_kg, to_decimal(body.get("price", "0"), "price"), upc)
    dest = parse_rate_request({"destination": body.get("destination", "US"), "parcel": body.get("parcel")}, date.today()).destination
    return spec, dest, int(weekly), weeks


@router.post("/fba-fee")
def fba_fee(body: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal)) -> dict[str, Any]:
    """``{parcel{weight_kg,length_cm,width_cm,height_cm}, price (USD), date?}`` -> tier, fee, storage."""
    p = parse_parcel(body.get("parcel"))
    on = date.fromisoformat(str(body["date"])) if body.get("date") else date.today()
    price = to_decimal(body.get("price", "0"), "price")
    fee = fba.fulfilment_fee(p.length_cm, p.width_cm, p.height_cm, p.weight_kg, price, on)
    storage, rule = fba.monthly_storage_per_unit(p.length_cm, p.width_cm, p.height_cm, fee.tier, on)
    d = fee.to_dict()
    d["monthly_storage_per_unit"] = format(storage.quantize(Decimal("0.0001")), "f")
    d["storage_rule"] = rule
    return d


@router.post("/shipments", status_code=201)
def create_shipment(body: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """``{order_ref, card_code, buyer?, address?, destination, postcode?, parcel{...} | items[{sku, quantity}], ...}``;
    with a stored order, ``order_ref`` alone gives destination, parcel, value and recipient; ``card_code``
    ``"cheapest"`` books the cheapest card that can carry it."""
    req, items = service.request_for_order(uow.session, principal.org_id, str(body.get("order_ref") or ""), body, date.today())
    sh = service.create_shipment(
        uow.session, principal, order_ref=str(body.get("order_ref") or ""), card_code=str(body.get("card_code") or ""), req=req,
        buyer=str(body.get("buyer") or ""), address=str(body.get("address") or ""), items=items,
    )
    uow.commit()
    return {**shipment_dict(sh), "screening": service.shipment_screening(uow.session, principal, sh)}


@router.get("/shipments")
def list_shipments(status: str | None = None, order_ref: str | None = None, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    return {"shipments": [shipment_dict(s) for s in service.list_shipments(uow.session, principal, status, order_ref)]}


@router.get("/to-ship")
def to_ship(days: str = "30", principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Merchant-fulfilled orders with no shipment yet (``days``: ordered in the last N days, or
    ``all``), oldest first."""
    return service.to_ship_json(service.orders_to_ship(uow.session, principal, service.parse_days(days)))


@router.get("/to-ship/export")
def export_to_ship(days: str = "30", format: str = Query("csv", pattern="^(csv|xlsx)$"),
                   principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The to-ship queue as CSV or XLSX (columns: ``service.TO_SHIP_COLUMNS``)."""
    return download(service.orders_to_ship_table(uow.session, principal, service.parse_days(days)), format)


@router.get("/shipments/export")
def export_shipments(status: str | None = None, order_ref: str | None = None, format: str = Query("csv", pattern="^(csv|xlsx)$"),
                     principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The shipments as CSV or XLSX (columns: ``service.SHIPMENT_COLUMNS``)."""
    return download(service.shipments_table(uow.session, principal, status, order_ref), format)


@router.post("/shipments/batch")
def book_orders(body: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """``{"order_refs": [...], "card_code": "cheapest"}``: a shipment for each stored order (parcel
    packed from its SKUs); ``{"created": [shipment], "failed": [{order_ref, field, error}]}``."""
    refs = body.get("order_refs")
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise ValidationError("order_refs: a list of order references", field="order_refs")
    res = service.book_orders(uow.session, principal, refs, str(body.get("card_code") or service.CHEAPEST), date.today())
    uow.commit()
    return {"created": [shipment_dict(sh) for sh in res["created"]], "failed": res["failed"]}


@router.patch("/shipments/{shipment_id}")
def update_shipment(shipment_id: int, body: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal),
                    uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """``{"tracking_number": "…"}``: the carrier's own tracking number (unique in the organisation)."""
    if set(body) != {"tracking_number"}:
        raise ValidationError("body: only tracking_number can be changed", field="tracking_number")
    sh = service.set_tracking_number(uow.session, principal, shipment_id, str(body["tracking_number"] or ""))
    uow.commit()
    return shipment_dict(sh)


@router.post("/shipments/tracking-numbers")
async def tracking_numbers(file: UploadFile = File(...), principal: Principal = Depends(api_principal),
                           uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """CSV ``shipment_id|order_ref, tracking_number``: the carriers' numbers; 422 lists bad lines."""
    from xborder.logistics.csvio import read_rows

    _h, rows = read_rows(await file.read())
    res = service.import_tracking_numbers(uow.session, principal, rows)
    uow.commit()
    return res


@router.get("/shipments/amazon-confirmation")
def amazon_confirmation(days: str = "7", format: str = Query("json", pattern="^(json|txt)$"),
                        principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    """Amazon's shipping confirmation flat file for the Amazon orders shipped in the last ``days``
    days (``format=txt``: the tab-separated file to upload; json: ``{rows, left_out}``)."""
    rows, notes = service.amazon_confirmations(uow.session, principal, service.parse_days(days))
    if format == "txt":
        return Response(service.amazon_confirmation_text(rows), media_type="text/tab-separated-values; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="amazon-shipping-confirmation.txt"'})
    return {"columns": service.AMAZON_CONFIRMATION_COLUMNS, "rows": rows, "left_out": notes}


@router.get("/shipments/ebay-confirmation")
def ebay_confirmation(days: str = "7", format: str = Query("json", pattern="^(json|csv)$"),
                      principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    """eBay's tracking upload for the eBay orders shipped in the last ``days`` days, a row per
    order line (``format=csv``: the file to upload in Seller Hub; json: ``{columns, rows, left_out}``)."""
    rows, notes = service.ebay_confirmations(uow.session, principal, service.parse_days(days))
    if format == "csv":
        return Response(service.ebay_confirmation_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="ebay-tracking-upload.csv"'})
    return {"columns": service.EBAY_CONFIRMATION_COLUMNS, "rows": rows, "left_out": notes}


@router.get("/shipments/labels.pdf")
def shipments_labels(ids: str = "", principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The labels of several shipments (``ids=3,5,8``) as one PDF, a page each."""
    pdf = service.labels_for(uow.session, principal, service.parse_ids(ids))
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": 'inline; filename="labels.pdf"'})


@router.get("/shipments/{shipment_id}")
def get_shipment(shipment_id: int, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    sh = service.get_shipment(uow.session, principal, shipment_id)
    declaration = service.postal_declaration(uow.session, principal, sh)
    postal = {"form": declaration.form, "why": declaration.why} if declaration else None
    return {**shipment_dict(sh), "screening": service.shipment_screening(uow.session, principal, sh), "postal_declaration": postal}


@router.get("/shipments/{shipment_id}/label.pdf")
def shipment_label(shipment_id: int, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    pdf = service.label_for(uow.session, principal, shipment_id)
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="label-{shipment_id}.pdf"'})


@router.get("/orders/{order_ref}/shipping-cost")
def order_shipping_cost(order_ref: str, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    m = service.shipping_cost_for_order(uow.session, principal.org_id, order_ref)
    return {"order_ref": order_ref, "cost": None if m is None else m.to_str(), "currency": None if m is None else m.currency}


@router.post("/tracking")
async def import_tracking(file: UploadFile = File(...), principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Tracking CSV (tracking_number, status, event_time[, location, description]); 422 lists every bad line."""
    _h, rows = read_rows(await file.read())
    res = service.import_tracking(uow.session, principal, rows)
    uow.commit()
    return res


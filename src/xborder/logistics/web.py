"""Logistics pages: rate shopping, rate cards (upload, validate, view), shipments, batch plan."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from xborder import charts
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import WebContext, csrf_protect, download, get_uow, render, web_context
from xborder.errors import ImportRejected, ValidationError, XborderError
from xborder.logistics import service
from xborder.logistics.cardfiles import fx_for_ranking
from xborder.logistics.csvio import decode, read_rows
from xborder.logistics.errors import RateCardInvalid
from xborder.logistics.orm import RateCardRecord
from xborder.logistics.planning import PlanOrder, SkuSpec, compare_direct_vs_warehouse, plan_batch
from xborder.logistics.ratecard import CONTENT_FLAGS, parse_card
from xborder.logistics.schemas import parse_parcel, parse_rate_request
from xborder.money import to_decimal

router = APIRouter(include_in_schema=False)
CSRF = [Depends(csrf_protect)]
SHOP_FIELDS = ("destination", "postcode", "weight_kg", "length_cm", "width_cm", "height_cm", "max_days", "value", "currency", "date", "quantity", "hs_code", "incoterm")


def _shop_form(form: Any) -> dict[str, Any]:
    v: dict[str, Any] = {k: str(form.get(k, "") or "").strip() for k in SHOP_FIELDS}
    v["contents"] = [f for f in CONTENT_FLAGS if form.get(f"c_{f}") in ("on", "1", "true")]
    v["to_warehouse"] = form.get("to_warehouse") in ("on", "1", "true")
    return v


def _request_json(v: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "destination": v["destination"],
        "postcode": v["postcode"] or None,
        "parcel": {"weight_kg": v["weight_kg"], "length_cm": v["length_cm"], "width_cm": v["width_cm"], "height_cm": v["height_cm"], "quantity": v["quantity"] or 1},
        "contents": v["contents"],
        "to_warehouse": v["to_warehouse"],
    }
    if v["max_days"]:
        data["max_days"] = v["max_days"]
    if v["value"]:
        data["value"], data["currency"] = v["value"], v["currency"] or "USD"
    if v["date"]:
        data["date"] = v["date"]
    if v.get("hs_code"):
        data["hs_code"] = v["hs_code"]
        data["incoterm"] = v.get("incoterm") or "DDP"
    return data


def _counts(uow: UnitOfWork, org_id: int) -> dict[str, int]:
    from sqlalchemy import func, select

    from xborder.logistics.orm import Shipment

    return {
        "cards": uow.session.scalar(select(func.count()).select_from(RateCardRecord).where(RateCardRecord.org_id == org_id)) or 0,
        "shipments": uow.session.scalar(select(func.count()).select_from(Shipment).where(Shipment.org_id == org_id)) or 0,
    }


@router.get("/logistics")
def shop_page(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The rate shop; with the parcel in the query (``?destination=…&weight_kg=…&c_battery=on``,
    e.g. an order's booking form's "Compare every option") it is priced at once."""
    values = {"destination": "US", "postcode": "10001", "weight_kg": "0.42", "length_cm": "20", "width_cm": "15", "height_cm": "3",
              "max_days": "20", "value": "20.00", "currency": "USD", "date": "", "quantity": "1", "hs_code": "", "incoterm": "DDP",
              "contents": [], "to_warehouse": False}
    q = request.query_params
    if q.get("sku"):  # "from the catalog": the SKU's parcel (units packed as one), contents and HS code
        return _shop_sku(request, ctx, uow, values, q)
    if not any(k in q for k in SHOP_FIELDS):
        return render(request, "logistics/shop.html", {"values": values, "flags": CONTENT_FLAGS, "skus": _sku_codes(uow, ctx),
                                                       "counts": _counts(uow, ctx.principal.org_id), "tab": "shop"})
    given = _shop_form(q)
    values.update({k: given[k] for k in SHOP_FIELDS if k in q})
    values.update(contents=given["contents"], to_warehouse=given["to_warehouse"], max_days=q.get("max_days", ""),
                  order_ref=str(q.get("order_ref", "") or "").strip())
    return _shop(request, ctx, uow, values)


@router.post("/logistics", dependencies=CSRF)
async def shop_submit(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    values = _shop_form(form)
    values["order_ref"] = str(form.get("order_ref", "") or "").strip()
    return _shop(request, ctx, uow, values)


def _sku_codes(uow: UnitOfWork, ctx: WebContext) -> list[str]:
    """The organisation's SKU codes for the rate shop's "from the catalog" field (none without the catalog)."""
    from xborder.logistics.catalog_link import _sku_model

    try:
        sku_model = _sku_model()
    except XborderError:
        return []
    from sqlalchemy import select

    return list(uow.session.scalars(select(sku_model.sku).where(sku_model.org_id == ctx.principal.org_id)
                                    .order_by(sku_model.sku).limit(5000)))


def _shop_sku(request: Request, ctx: WebContext, uow: UnitOfWork, values: dict[str, Any], q: Any) -> Response:
    """The rate shop for ``units`` of a catalog SKU packed as one parcel (weight, box, contents
    flags and HS code from the catalog), to ``destination`` (kept from the form, else the default)."""
    from sqlalchemy import select

    from xborder.logistics.catalog_link import _sku_model, parcel_for_items

    code, units = str(q.get("sku") or "").strip(), str(q.get("units") or "1").strip()
    for k in ("destination", "postcode", "max_days", "value", "currency", "date", "incoterm"):
        if q.get(k):
            values[k] = str(q.get(k)).strip()
    if q.get("destination") and not q.get("postcode") and values["destination"].upper() != "US":
        values["postcode"] = ""  # the form's default postcode is a US one
    values.update(sku=code, units=units)
    try:
        parcel, flags = parcel_for_items(uow.session, ctx.principal.org_id, [{"sku": code, "quantity": units}])
    except XborderError as exc:
        page = {"values": values, "flags": CONTENT_FLAGS, "skus": _sku_codes(uow, ctx), "tab": "shop",
                "counts": _counts(uow, ctx.principal.org_id), "error": exc.message.replace("items[0].", "", 1), "error_field": "sku"}
        return render(request, "logistics/shop.html", page, status_code=exc.http_status)
    sku_model = _sku_model()
    hs = uow.session.scalar(select(sku_model.hs_code).where(sku_model.org_id == ctx.principal.org_id, sku_model.sku == code))
    values.update(weight_kg=str(parcel.weight_kg.normalize()), length_cm=str(parcel.length_cm.normalize()),
                  width_cm=str(parcel.width_cm.normalize()), height_cm=str(parcel.height_cm.normalize()),
                  quantity="1", contents=list(flags), hs_code=hs or values.get("hs_code", ""))
    return _shop(request, ctx, uow, values)


def _shop(request: Request, ctx: WebContext, uow: UnitOfWork, values: dict[str, Any]) -> Response:
    page: dict[str, Any] = {"values": values, "flags": CONTENT_FLAGS, "counts": _counts(uow, ctx.principal.org_id), "tab": "shop",
                            "skus": _sku_codes(uow, ctx)}
    try:
        data = _request_json(values)
        req = parse_rate_request(data, date.today())
        page["result"] = service.shop_for_org(uow.session, ctx.principal, req, data)
        page["req"] = req
    except XborderError as exc:
        page["error"] = exc.message
        page["error_field"] = exc.field
        return render(request, "logistics/shop.html", page, status_code=exc.http_status)
    return render(request, "logistics/shop.html", page)


# --- rate cards -------------------------------------------------------------------------------


@router.get("/logistics/ratecards")
def cards_page(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    return render(request, "logistics/ratecards.html", {"cards": service.list_cards(uow.session, ctx.principal), "tab": "cards", "today": date.today()})


@router.post("/logistics/ratecards", dependencies=CSRF)
async def cards_upload(
    request: Request,
    file: UploadFile | None = File(None),
    yaml_text: str = Form(""),
    action: str = Form("validate"),
    ctx: WebContext = Depends(web_context),
    uow: UnitOfWork = Depends(get_uow),
) -> Response:
    page: dict[str, Any] = {"tab": "cards", "today": date.today(), "yaml_text": yaml_text}
    status = 200
    try:
        if file is not None and file.filename:
            text, name = decode(await file.read()), file.filename
        else:
            text, name = yaml_text, "pasted.yaml"
        if not text.strip():
            raise XborderError("choose a YAML file or paste a card", field="file")
        page["filename"] = name
        page["numbered"] = list(enumerate(text.splitlines(), start=1))
        if action == "import":
            rec, st = service.import_card(uow.session, ctx.principal, text, name)
            uow.commit()
            page["notice_text"] = f"{rec.code} ({rec.valid_from.isoformat()}): {st}"
            page["imported"] = st
        else:
            card = parse_card(text, name)
            page["valid_card"] = card
    except RateCardInvalid as exc:
        uow.rollback()
        page["rejected"] = exc
        page["bad_lines"] = {e["line"] for e in exc.errors}
        status = 422
    except XborderError as exc:
        uow.rollback()
        page["error"] = exc.message
        status = exc.http_status
    page["cards"] = service.list_cards(uow.session, ctx.principal)
    return render(request, "logistics/ratecards.html", page, status_code=status)


@router.post("/logistics/ratecards/samples", dependencies=CSRF)
def cards_samples(ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    service.import_sample_cards(uow.session, ctx.principal)
    uow.commit()
    return RedirectResponse("/logistics/ratecards?samples=1", status_code=303)


@router.get("/logistics/ratecards/{card_id}")
def card_view(card_id: int, request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    rec = uow.session.get(RateCardRecord, card_id)
    if rec is None or rec.org_id != ctx.principal.org_id:
        from xborder.logistics.errors import RateCardNotFound

        raise RateCardNotFound(f"rate card #{card_id} not found")
    card = parse_card(rec.yaml_text, rec.filename)
    return render(request, "logistics/ratecard.html", {"rec": rec, "card": card, "tab": "cards"})


@router.post("/logistics/ratecards/{card_id}/delete", dependencies=CSRF)
def card_delete(card_id: int, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    service.delete_card(uow.session, ctx.principal, card_id)
    uow.commit()
    return RedirectResponse("/logistics/ratecards", status_code=303)


# --- shipments --------------------------------------------------------------------------------


def _shipments_page(request: Request, ctx: WebContext, uow: UnitOfWork, extra: dict[str, Any], status_code: int = 200) -> Response:
    confirm_days = str(request.query_params.get("confirm_days") or "7").strip().lower()
    try:
        period = service.parse_days(confirm_days)
    except ValidationError:
        confirm_days, period = "7", 7
    shipments = service.list_shipments(uow.session, ctx.principal, request.query_params.get("status") or None)
    page = {
        "shipments": shipments,
        "confirmations": service.confirmation_summary(uow.session, ctx.principal, period) if shipments else [],
        "confirm_days": confirm_days,
        "codes": _codes(uow, ctx),
        "flags": CONTENT_FLAGS,
        "tab": "shipments",
        "values": {"destination": "US", "quantity": "1"},
        "high_share": service.HIGH_COST_SHARE,
        **extra,
    }
    return render(request, "logistics/shipments.html", page, status_code=status_code)


@router.get("/logistics/to-ship")
def to_ship_page(request: Request, days: str = "30", ctx: WebContext = Depends(web_context),
                 uow: UnitOfWork = Depends(get_uow)) -> Response:
    period = service.parse_days(days)
    rows = service.orders_to_ship(uow.session, ctx.principal, period)
    # nothing in the period: say how many older orders have no shipment (a history import, the demo)
    older = service.count_orders_to_ship(uow.session, ctx.principal, None) if not rows and period is not None else 0
    return render(request, "logistics/to_ship.html", {"rows": rows, "days": days, "tab": "to-ship", "codes": _codes(uow, ctx),
                                                      "older": older})


def _codes(uow: UnitOfWork, ctx: WebContext) -> list[str]:
    return sorted({r.code for r in service.list_cards(uow.session, ctx.principal)})


@router.get("/logistics/to-ship/export")
def to_ship_export(days: str = "30", format: str = "csv", ctx: WebContext = Depends(web_context),
                   uow: UnitOfWork = Depends(get_uow)) -> Response:
    return download(service.orders_to_ship_table(uow.session, ctx.principal, service.parse_days(days)), format)


@router.get("/logistics/shipments/export")
def shipments_export(status: str = "", format: str = "csv", ctx: WebContext = Depends(web_context),
                     uow: UnitOfWork = Depends(get_uow)) -> Response:
    return download(service.shipments_table(uow.session, ctx.principal, status or None), format)


@router.get("/logistics/shipments")
def shipments_page(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The shipments; ``?card_code=…&destination=…&weight_kg=…&c_battery=on…`` (the rate shop's
    "Ship this" link) fills the booking form with the compared parcel and its contents;
    ``?order_ref=…`` (an order's "Ship this order") with the stored order's destination and recipient."""
    q = request.query_params
    if q.get("card_code"):
        values = _shop_form(q)
        values.update({k: str(q.get(k, "") or "").strip() for k in ("order_ref", "card_code", "buyer", "address")})
        values["destination"] = values["destination"] or "US"
        return _shipments_page(request, ctx, uow, {"values": values})
    if q.get("order_ref"):  # "Ship this order" on an order's page: its destination and recipient
        return _shipments_page(request, ctx, uow, {"values": service.booking_defaults(
            uow.session, ctx.principal, str(q.get("order_ref")).strip(), date.today())})
    return _shipments_page(request, ctx, uow, {})


@router.post("/logistics/shipments", dependencies=CSRF)
async def shipments_create(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    values = _shop_form(form)
    values.update({k: str(form.get(k, "") or "").strip() for k in ("order_ref", "card_code", "buyer", "address")})
    try:
        # a stored order gives what the form leaves empty (declared value, currency) and the items
        req, items = service.request_for_order(uow.session, ctx.principal.org_id, values["order_ref"], _request_json(values), date.today())
        sh = service.create_shipment(
            uow.session, ctx.principal, order_ref=values["order_ref"], card_code=values["card_code"], req=req,
            buyer=values["buyer"], address=values["address"], items=items,
        )
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return _shipments_page(request, ctx, uow, {"values": values, "error": exc.message}, exc.http_status)
    return RedirectResponse(f"/logistics/shipments?created={sh.id}", status_code=303)


@router.post("/logistics/shipments/tracking", dependencies=CSRF)
async def tracking_upload(request: Request, file: UploadFile = File(...), ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    return await _csv_upload(request, ctx, uow, file, service.import_tracking, "tracking_result")


async def _csv_upload(request: Request, ctx: WebContext, uow: UnitOfWork, file: UploadFile, importer: Any, key: str) -> Response:
    """A CSV upload on the Shipments page given to a validate-whole importer: its result, or the
    bad lines (422, nothing written)."""
    try:
        _h, rows = read_rows(await file.read())
        res = importer(uow.session, ctx.principal, rows)
        uow.commit()
    except ImportRejected as exc:
        uow.rollback()
        return _shipments_page(request, ctx, uow, {"rejected": exc}, 422)
    return _shipments_page(request, ctx, uow, {key: res})


@router.post("/logistics/shipments/{shipment_id}/tracking-number", dependencies=CSRF)
async def tracking_number_submit(shipment_id: int, request: Request, ctx: WebContext = Depends(web_context),
                                 uow: UnitOfWork = Depends(get_uow)) -> Response:
    number = str((await request.form()).get("tracking_number") or "")
    try:
        service.set_tracking_number(uow.session, ctx.principal, shipment_id, number)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return _shipment_page(request, ctx, uow, shipment_id, {"tn_error": exc.message, "tn_value": number}, exc.http_status)
    return RedirectResponse(f"/logistics/shipments/{shipment_id}", status_code=303)


@router.post("/logistics/shipments/tracking-numbers", dependencies=CSRF)
async def tracking_numbers_upload(request: Request, file: UploadFile = File(...), ctx: WebContext = Depends(web_context),
                                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    return await _csv_upload(request, ctx, uow, file, service.import_tracking_numbers, "numbers_result")


@router.post("/logistics/to-ship/book", dependencies=CSRF)
async def to_ship_book(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Book the ticked orders of the queue at once (each on the chosen card, or the cheapest
    that can carry it); the result lists what was booked, with one PDF of all their labels, and
    what was not, with the reason."""
    form = await request.form()
    refs = [str(v) for v in form.getlist("order_ref")]
    card = str(form.get("card_code") or service.CHEAPEST)
    try:
        res = service.book_orders(uow.session, ctx.principal, refs, card, date.today())
    except XborderError as exc:
        rows = service.orders_to_ship(uow.session, ctx.principal, service.parse_days(str(form.get("days") or "30")))
        return render(request, "logistics/to_ship.html", {"rows": rows, "days": str(form.get("days") or "30"), "tab": "to-ship",
                                                          "codes": _codes(uow, ctx), "error": exc.message}, status_code=exc.http_status)
    uow.commit()
    return render(request, "logistics/booked.html", {"created": res["created"], "failed": res["failed"], "tab": "to-ship",
                                                     "ids": ",".join(str(sh.id) for sh in res["created"]),
                                                     "cost_share": service.shipment_cost_share,
                                                     "high_share": service.HIGH_COST_SHARE})


@router.get("/logistics/shipments/amazon-confirmation.txt")
def amazon_confirmation(days: str = "7", ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    return _confirmation_download(uow, ctx, "amazon", days)


@router.get("/logistics/shipments/ebay-confirmation.csv")
def ebay_confirmation(days: str = "7", ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    return _confirmation_download(uow, ctx, "ebay", days)


def _confirmation_download(uow: UnitOfWork, ctx: WebContext, channel: str, days: str) -> Response:
    text, got = service.confirmation_file(uow.session, ctx.principal, channel, service.parse_days(days))
    spec = service.CONFIRMATION_FILES[channel]
    return Response(text, media_type=spec.media_type, headers={"Content-Disposition": f'attachment; filename="{spec.filename}"',
                                                               "X-Xborder-Left-Out": str(len(got["left_out"]))})


@router.get("/logistics/shipments/labels.pdf")
def labels_pdf(ids: str = "", ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    pdf = service.labels_for(uow.session, ctx.principal, service.parse_ids(ids))
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": 'inline; filename="labels.pdf"'})


@router.get("/logistics/shipments/{shipment_id}/label.pdf")
def label(shipment_id: int, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    pdf = service.label_for(uow.session, ctx.principal, shipment_id)
    return Response(pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="label-{shipment_id}.pdf"'})


@router.get("/logistics/shipments/{shipment_id}")
def shipment_view(shipment_id: int, request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    return _shipment_page(request, ctx, uow, shipment_id, {})


def _shipment_page(request: Request, ctx: WebContext, uow: UnitOfWork, shipment_id: int, extra: dict[str, Any],
                   status_code: int = 200) -> Response:
    import json

    sh = service.get_shipment(uow.session, ctx.principal, shipment_id)
    return render(request, "logistics/shipment.html", {"sh": sh, "quote": json.loads(sh.quote_json or "{}"),
                                                       "items": service.shipment_items(sh), "tab": "shipments",
                                                       "screening": service.shipment_screening(uow.session, ctx.principal, sh),
                                                       "declaration": service.postal_declaration(uow.session, ctx.principal, sh),
                                                       **extra}, status_code=status_code)


# --- batch plan -------------------------------------------------------------------------------

PLAN_SAMPLE = """order_ref,buyer,destination,postcode,weight_kg,length_cm,width_cm,height_cm,contents,max_days
A-1001,alice@example.com,US,10001,0.25,20,15,3,,20
A-1002,alice@example.com,US,10001,0.30,22,16,4,,20
B-2001,bob@example.com,US,94105,0.8,30,20,10,,20
C-3001,carol@example.co.uk,GB,SW1A 1AA,1.2,30,20,10,,12
D-4001,dieter@example.de,DE,10115,0.45,25,18,5,,15
"""


def _plan_orders(text: str) -> list[PlanOrder]:
    _h, rows = read_rows(text.encode("utf-8"))
    orders, errors = [], []
    for line, r in rows:
        try:
            parcel = parse_parcel({k: r.get(k) for k in ("weight_kg", "length_cm", "width_cm", "height_cm")})
            req = parse_rate_request(
                {"destination": r.get("destination"), "postcode": r.get("postcode") or None,
                 "contents": [c.strip() for c in (r.get("contents") or "").replace(";", ",").split(",") if c.strip()],
                 "max_days": r.get("max_days") or None},
                date.today(), parcel=parcel,
            )
            ref = (r.get("order_ref") or "").strip()
            if not ref:
                raise XborderError("order_ref: empty", field="order_ref")
            orders.append(PlanOrder(ref, (r.get("buyer") or ref).strip(), req.destination, parcel, req.postcode, req.contents, req.max_days))
        except XborderError as e:
            errors.append({"line": line, "column": e.field or "", "message": e.message})
    if errors:
        raise ImportRejected(f"{len(errors)} error(s) in the orders; nothing was planned", errors)
    return orders


DEFAULT_CMP = {"sku": "MUG-1", "destination": "US", "weight_kg": "0.45", "length_cm": "12", "width_cm": "10", "height_cm": "10",
               "price": "19.99", "weekly_demand": "50", "units_per_carton": "24", "replenish_weeks": "8"}


@router.get("/logistics/plan")
def plan_page(request: Request, ctx: WebContext = Depends(web_context)) -> Response:
    return render(request, "logistics/plan.html", {"orders_text": PLAN_SAMPLE, "capacity": "", "tab": "plan", "cmp": DEFAULT_CMP})


@router.post("/logistics/plan", dependencies=CSRF)
async def plan_submit(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    text = str(form.get("orders_text") or "")
    upload = form.get("file")
    if upload is not None and getattr(upload, "filename", ""):
        text = decode(await upload.read())  # type: ignore[union-attr]
    capacity = str(form.get("capacity") or "")
    page: dict[str, Any] = {"orders_text": text, "capacity": capacity, "tab": "plan", "cmp": DEFAULT_CMP}
    try:
        orders = _plan_orders(text)
        caps: dict[str, int] = {}
        for part in capacity.replace(";", ",").split(","):
            if part.strip():
                code, _eq, n = part.strip().partition("=")
                if not n.strip().isdigit():
                    raise XborderError(f"capacity: {part.strip()!r} is not code=N", field="capacity")
                caps[code.strip()] = int(n)
        cur = service.org_currency(uow.session, ctx.principal.org_id)
        notes: list[str] = []
        cards = service.org_cards(uow.session, ctx.principal.org_id)
        if not cards:
            raise XborderError("no rate cards: import one or load the samples on the Rate cards page", field="cards")
        plan = plan_batch(orders, cards, date.today(), cur, fx_for_ranking(cur, date.today(), notes), caps)
        page["plan"] = plan
        page["notes"] = list(plan.notes) + notes
        if plan.baseline_total is not None:
            page["chart"] = charts.bar_chart(
                [("per parcel", plan.baseline_total), ("plan", plan.total)], title=f"Total cost ({cur}): cheapest per parcel vs plan"
            )
    except ImportRejected as exc:
        page["rejected"] = exc
        return render(request, "logistics/plan.html", page, status_code=422)
    except XborderError as exc:
        page["error"] = exc.message
        return render(request, "logistics/plan.html", page, status_code=exc.http_status)
    return render(request, "logistics/plan.html", page)


@router.post("/logistics/plan/compare", dependencies=CSRF)
async def compare_submit(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    cmp = {k: str(form.get(k, "") or "").strip() for k in ("sku", "destination", "weight_kg", "length_cm", "width_cm", "height_cm", "price", "weekly_demand", "units_per_carton", "replenish_weeks")}
    page: dict[str, Any] = {"orders_text": PLAN_SAMPLE, "capacity": "", "tab": "plan", "cmp": cmp}
    try:
        p = parse_parcel({k: cmp[k] for k in ("weight_kg", "length_cm", "width_cm", "height_cm")})
        for k in ("weekly_demand", "units_per_carton", "replenish_weeks"):
            if not cmp[k].isdigit() or int(cmp[k]) < 1:
                raise XborderError(f"{k}: expected a whole number >= 1", field=k)
        spec = SkuSpec(cmp["sku"] or "-", p.length_cm, p.width_cm, p.height_cm, p.weight_kg, to_decimal(cmp["price"] or "0", "price"), int(cmp["units_per_carton"]))
        dest = parse_rate_request({"destination": cmp["destination"], "parcel": {"weight_kg": "1", "length_cm": 1, "width_cm": 1, "height_cm": 1}}, date.today()).destination
        cur = service.org_currency(uow.session, ctx.principal.org_id)
        notes: list[str] = []
        page["comparison"] = compare_direct_vs_warehouse(
            spec, dest, int(cmp["weekly_demand"]), service.org_cards(uow.session, ctx.principal.org_id), date.today(), cur,
            fx_for_ranking(cur, date.today(), notes), replenish_weeks=int(cmp["replenish_weeks"]),
        )
        page["notes"] = notes
        page["cmp_chart"] = charts.bar_chart(
            [(r["code"], Decimal(r["per_unit"])) for r in page["comparison"]["routes"]], title=f"Cost per unit ({cur})"
        )
    except XborderError as exc:
        page["error"] = exc.message
        return render(request, "logistics/plan.html", page, status_code=exc.http_status)
    return render(request, "logistics/plan.html", page)

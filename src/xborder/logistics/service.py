"""Logistics use cases: rate cards per organisation, rate shopping, shipments, labels, tracking.

Services take a SQLAlchemy ``Session`` and a ``Principal``, filter by ``principal.org_id`` and
never commit (the caller's unit of work does).
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.errors import CurrencyMismatch, ImportRejected, ValidationError, XborderError
from xborder.fx import sdr
from xborder.fx.model import FxRateMissing
from xborder.importing import parse_id_list
from xborder.logistics import labels, landed, tracking
from xborder.logistics.cardfiles import SAMPLE_DIR, ecb_on, fx_for_ranking, value_converter
from xborder.logistics.errors import RateCardNotFound, ShipmentNotFound
from xborder.logistics.orm import RateCardRecord, Shipment, TrackingEventRecord
from xborder.logistics.pricing import (
    Ineligible,
    Option,
    Parcel,
    RateRequest,
    ShopResult,
    quote,
    select_versions,
    shop,
    transit_key,
)
from xborder.logistics.ratecard import RateCard, parse_card
from xborder.money import Money
from xborder.tabular import Table

AREA = "operations"
_PARSED: dict[str, RateCard] = {}


def _card_of(rec: RateCardRecord) -> RateCard:
    card = _PARSED.get(rec.sha256)
    if card is None:
        card = _PARSED[rec.sha256] = parse_card(rec.yaml_text, rec.filename or rec.code)
    return card


# --- rate cards -------------------------------------------------------------------------------


def import_card(s: Session, principal: Principal, text: str, filename: str = "card.yaml") -> tuple[RateCardRecord, str]:
    """Validate and store one card version. Returns the record and created / updated / unchanged."""
    principal.require(AREA)
    card = parse_card(text, filename)  # raises RateCardInvalid with every error
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    rec = s.scalar(
        select(RateCardRecord).where(
            RateCardRecord.org_id == principal.org_id, RateCardRecord.code == card.code, RateCardRecord.valid_from == card.valid_from
        )
    )
    status = "created"
    if rec is not None:
        if rec.sha256 == sha:
            return rec, "unchanged"
        status = "updated"
    else:
        rec = RateCardRecord(org_id=principal.org_id, code=card.code, valid_from=card.valid_from)
        s.add(rec)
    rec.carrier = card.carrier
    rec.service = card.service
    rec.currency = card.currency
    rec.mode = card.mode
    rec.delivers_to = card.delivers_to
    rec.valid_to = card.valid_to
    rec.illustrative = card.illustrative
    rec.source = card.source
    rec.filename = filename
    rec.sha256 = sha
    rec.yaml_text = text
    s.flush()
    invalidate_org_cache(principal.org_id)
    return rec, status


def import_sample_cards(s: Session, principal: Principal) -> list[tuple[str, str]]:
    out = []
    for path in sorted(SAMPLE_DIR.glob("*.yaml")):
        rec, status = import_card(s, principal, path.read_text(encoding="utf-8"), path.name)
        out.append((rec.code, status))
    return out


def list_cards(s: Session, principal: Principal) -> list[RateCardRecord]:
    return list(
        s.scalars(
            select(RateCardRecord).where(RateCardRecord.org_id == principal.org_id).order_by(RateCardRecord.code, RateCardRecord.valid_from)
        )
    )


def get_card(s: Session, principal: Principal, code: str, valid_from: date | None = None) -> RateCardRecord:
    q = select(RateCardRecord).where(RateCardRecord.org_id == principal.org_id, RateCardRecord.code == code)
    if valid_from is not None:
        q = q.where(RateCardRecord.valid_from == valid_from)
    rec = s.scalars(q.order_by(RateCardRecord.valid_from.desc())).first()
    if rec is None:
        raise RateCardNotFound(f"rate card {code!r} not found", field="code")
    return rec


def delete_card(s: Session, principal: Principal, card_id: int) -> None:
    principal.require(AREA)
    rec = s.get(RateCardRecord, card_id)
    if rec is None or rec.org_id != principal.org_id:
        raise RateCardNotFound(f"rate card #{card_id} not found")
    s.delete(rec)
    s.flush()
    invalidate_org_cache(principal.org_id)


def org_cards(s: Session, org_id: int) -> list[RateCard]:
    """The organisation's stored cards, parsed once per content hash (the YAML is read only when new)."""
    return list(_org_snapshot(s, org_id)[1])


def org_currency(s: Session, org_id: int) -> str:
    return _org_snapshot(s, org_id)[2]


# Per-organisation cache of the parsed cards and the base currency, so a quote does not reload the
# card list on every request. Checked on every use with one small aggregate query (number of cards,
# newest id, latest update, base currency): any import, update or delete, in this process or in
# another one on the same database, changes the fingerprint and reloads the list. Imports and
# deletes through this module also drop the entry at once.
_ORG_CACHE: dict[tuple[str, int], tuple[tuple[Any, ...], tuple[RateCard, ...], str]] = {}


_FP_STMT: Any = None


def _fingerprint_stmt() -> Any:
    """Built once (a bound parameter for the organisation), so SQLAlchemy reuses its compiled form."""
    global _FP_STMT
    if _FP_STMT is None:
        from sqlalchemy import bindparam, func

        from xborder.accounts.orm import Organisation

        org: Any = bindparam("org_id")
        cur = select(Organisation.base_currency).where(Organisation.id == org).scalar_subquery()
        _FP_STMT = select(func.count(RateCardRecord.id), func.max(RateCardRecord.id), func.max(RateCardRecord.updated_at), cur).where(
            RateCardRecord.org_id == org
        )
    return _FP_STMT


def invalidate_org_cache(org_id: int | None = None) -> None:
    """Forget the cached cards of one organisation (or of all)."""
    if org_id is None:
        _ORG_CACHE.clear()
    else:
        for key in [k for k in _ORG_CACHE if k[1] == org_id]:
            del _ORG_CACHE[key]


def _org_snapshot(s: Session, org_id: int) -> tuple[tuple[Any, ...], tuple[RateCard, ...], str]:
    row = s.execute(_fingerprint_stmt(), {"org_id": org_id}).one()
    fp = tuple(row[:3])
    currency = row[3] or "CNY"
    key = (str(getattr(s.get_bind(), "url", "")), org_id)  # one entry per database and organisation
    hit = _ORG_CACHE.get(key)
    if hit is not None and hit[0] == fp:
        return fp, hit[1], currency
    rows = s.execute(select(RateCardRecord.id, RateCardRecord.sha256).where(RateCardRecord.org_id == org_id).order_by(RateCardRecord.id)).all()
    missing = [rid for rid, sha in rows if sha not in _PARSED]
    if missing:
        for rec in s.scalars(select(RateCardRecord).where(RateCardRecord.id.in_(missing))):
            _card_of(rec)
    cards = tuple(_PARSED[sha] for _rid, sha in rows)
    if not s.new and not s.dirty and not s.deleted:  # only cache what is committed (or at least flushed and unchanged)
        _ORG_CACHE[key] = (fp, cards, currency)
    return fp, cards, currency


# --- rate shopping -----------------------------------------------------------------------------


def shop_cards(
    cards: Sequence[RateCard],
    req: RateRequest,
    rank_currency: str = "CNY",
    data: dict[str, Any] | None = None,
    s: Session | None = None,
    org_id: int | None = None,
) -> ShopResult:
    """Rate shopping with FX ranking across card currencies, plus destination duties and taxes
    from ``xborder.customs`` when it is installed and the request names its goods."""
    notes: list[str] = []
    conv = fx_for_ranking(rank_currency, req.on, notes)

    def convert(amount: Decimal, cur: str, to: str) -> Decimal:
        return fx_for_ranking(to, req.on, notes)(amount, cur)

    extras = landed.extras_provider(req, data, convert, session=s, org_id=org_id) if data else None
    currencies = {c.currency for c in cards}
    try:
        res = shop(
            cards,
            req,
            to_rank_currency=conv if (len(currencies) > 1 or extras is not None) else None,
            value_in=value_converter(req.on),
            extras=extras,
        )
    except FxRateMissing as e:
        notes.append(f"no exchange rate to rank across currencies ({e.message}): ranked within each currency")
        res = shop(cards, req, value_in=value_converter(req.on), extras=extras)
    if notes:
        res = ShopResult(res.options, res.ineligible, res.notes + tuple(n for n in notes if n not in res.notes))
    return res


def add_live_options(res: ShopResult, carriers_file: str, req: RateRequest, rank_currency: str = "CNY") -> ShopResult:
    """Merge live carrier quotes (karrio) into a rate-shopping result, re-ranked."""
    from xborder.logistics.providers.karrio.live import live_options, load_config

    shipper, conns = load_config(carriers_file)
    live, live_notes = live_options(conns, shipper, req)
    notes = list(res.notes) + live_notes
    conv = fx_for_ranking(rank_currency, req.on, notes)
    merged = [replace(o, rank_price=conv(o.price, o.currency)) for o in (*res.options, *live)]
    merged.sort(key=lambda o: (o.rank_price, transit_key(o.transit_max), o.code))
    return ShopResult(tuple(merged), res.ineligible, tuple(notes))


def shop_for_org(s: Session, principal: Principal, req: RateRequest, data: dict[str, Any] | None = None) -> ShopResult:
    _fp, cards, currency = _org_snapshot(s, principal.org_id)
    if not cards:
        raise ValidationError("no rate cards: import one (xborder ratecards import FILE) or load the samples", field="cards")
    return shop_cards(cards, req, currency, data, s, principal.org_id)


# --- shipments -------------------------------------------------------------------------------


CHEAPEST = "cheapest"  # a card code that means "the cheapest card that can carry it"


def create_shipment(
    s: Session,
    principal: Principal,
    *,
    order_ref: str,
    card_code: str,
    req: RateRequest,
    buyer: str = "",
    address: str = "",
    items: Sequence[dict[str, Any]] = (),
) -> Shipment:
    """Ship an order on a stored card: price it (must be eligible), record cost and a tracking number.
    ``card_code="cheapest"``: the cheapest stored card that can carry it, as the rate shop ranks them."""
    principal.require(AREA)
    if not order_ref.strip():
        raise ValidationError("order_ref: required", field="order_ref")
    buyer, address = _recipient(s, principal.org_id, order_ref.strip(), buyer, address)
    if card_code == CHEAPEST:
        best = shop_for_org(s, principal, req).cheapest
        if best is None:
            raise ValidationError("card_code: no stored rate card can carry this parcel", field="card_code")
        card_code = best.code
    versions = [c for c in org_cards(s, principal.org_id) if c.code == card_code]
    if not versions:
        raise RateCardNotFound(f"card_code: rate card {card_code!r} not found", field="card_code")
    card = select_versions(versions, req.on)[0]
    res = quote(card, req, value_converter(req.on))
    if isinstance(res, Ineligible):
        raise ValidationError(f"card_code: {card_code} cannot carry this parcel: {res.reason} ({res.detail})", field="card_code")
    p = req.parcel
    sh = Shipment(
        org_id=principal.org_id,
        order_ref=order_ref.strip(),
        sales_order_id=_sales_order_id(s, principal.org_id, order_ref.strip()),
        buyer=buyer,
        destination=req.destination,
        postcode=req.postcode or "",
        address=address,
        card_code=card.code,
        carrier=card.carrier,
        service=card.service,
        currency=res.currency,
        cost=res.price,
        declared_value=req.value,
        declared_currency=(req.currency or "") if req.value is not None else "",
        weight_kg=p.weight_kg * p.quantity,
        billable_weight_kg=res.billable_weight_kg,
        length_cm=p.length_cm,
        width_cm=p.width_cm,
        height_cm=p.height_cm,
        contents=",".join(req.contents),
        items_json=json.dumps(list(items), default=str),
        quote_json=json.dumps(res.to_dict(), default=str, ensure_ascii=False),
        tracking_number="PENDING",
        status="info_received",
        status_at=datetime.now().replace(microsecond=0),
        shipped_on=req.on,
        label_source="card",
    )
    s.add(sh)
    s.flush()
    sh.tracking_number = labels.s10_tracking(principal.org_id * 1_000_000 + sh.id)
    s.flush()
    return sh


def booking_defaults(s: Session, principal: Principal, order_ref: str, on: date) -> dict[str, Any]:
    """The booking form's values for a stored order: destination, postcode, recipient, declared
    value, the parcel packed from its SKUs (catalog weights and sizes) with their contents flags,
    and the cheapest card that can carry it (``suggestion``: that option, ``options``: how many
    cards can). What cannot be known is left empty for the user, never guessed."""
    from xborder.logistics.sales_link import recipient_for_order, request_data_for_order

    values: dict[str, Any] = {"order_ref": order_ref, "destination": "US", "quantity": "1"}
    values["buyer"], values["address"] = recipient_for_order(s, principal.org_id, order_ref)
    try:
        stored = request_data_for_order(s, principal.org_id, order_ref) or {}
        values.update({k: str(stored[k]) for k in ("destination", "postcode", "currency") if stored.get(k)})
        if stored.get("value"):
            values["value"] = _plain(Decimal(stored["value"]))
        req, _items = request_for_order(s, principal.org_id, order_ref, {}, on)
    except XborderError as exc:  # no such order, no country, SKUs without sizes...
        values["note"] = exc.message
        return values
    p = req.parcel
    values.update({"destination": req.destination, "postcode": req.postcode or "", "contents": list(req.contents),
                   "weight_kg": _plain(p.weight_kg), "length_cm": _plain(p.length_cm), "width_cm": _plain(p.width_cm),
                   "height_cm": _plain(p.height_cm)})
    try:
        res = shop_for_org(s, principal, req)
    except XborderError as exc:  # no rate cards yet, a rate missing...
        values["note"] = exc.message
        return values
    if res.cheapest is not None:
        values["card_code"] = res.cheapest.code
        values["suggestion"] = res.cheapest
        values["options"] = len(res.options)
        if req.value:
            values["cost_share"] = cost_share(res.cheapest.price, res.cheapest.currency, req.value, req.currency or "", on)
    return values


HIGH_COST_SHARE = Decimal("0.25")  # shipping above a quarter of the goods' value: shown as a warning


def cost_share(cost: Decimal, cost_currency: str, value: Decimal | None, value_currency: str, on: date) -> Decimal | None:
    """Shipping cost as a fraction of the goods' value (both converted at the date's reference
    rate); None without a value or a rate."""
    if not value or not value_currency:
        return None
    converted = cost if cost_currency == value_currency else value_converter(on)(cost, cost_currency, value_currency)
    return None if converted is None else converted / value


def shipment_cost_share(sh: Shipment) -> Decimal | None:
    return cost_share(sh.cost, sh.currency, sh.declared_value, sh.declared_currency, sh.shipped_on)


def _recipient(s: Session, org_id: int, order_ref: str, buyer: str, address: str) -> tuple[str, str]:
    """What the booking leaves empty of the recipient, from the stored order (its export's ship-to)."""
    if buyer.strip() and address.strip():
        return buyer, address
    from xborder.logistics.sales_link import recipient_for_order

    name, lines = recipient_for_order(s, org_id, order_ref)
    return (buyer if buyer.strip() else name), (address if address.strip() else lines)


def _sales_order_id(s: Session, org_id: int, order_ref: str) -> int | None:
    """Link to the ``xborder.sales`` order with this reference (when that package exists and the
    reference is unambiguous across channels)."""
    try:
        sales_orm = importlib.import_module("xborder.sales.orm")
    except ImportError:
        return None
    model = getattr(sales_orm, "SalesOrder", None)
    if model is None or not hasattr(model, "order_ref"):
        return None
    try:
        ids = list(s.scalars(select(model.id).where(model.org_id == org_id, model.order_ref == order_ref).limit(2)))
    except Exception:  # noqa: BLE001 - a schema we do not know must not stop shipping
        return None
    return ids[0] if len(ids) == 1 else None


def list_shipments(s: Session, principal: Principal, status: str | None = None, order_ref: str | None = None) -> list[Shipment]:
    q = select(Shipment).where(Shipment.org_id == principal.org_id)
    if status:
        q = q.where(Shipment.status == status)
    if order_ref:
        q = q.where(Shipment.order_ref == order_ref)
    return list(s.scalars(q.order_by(Shipment.id.desc())))


SHIPMENT_COLUMNS = ["id", "shipped_on", "order_ref", "buyer", "destination", "postcode", "carrier", "service", "card_code",
                    "tracking_number", "status", "status_at", "contents", "weight_kg", "billable_weight_kg",
                    "length_cm", "width_cm", "height_cm", "currency", "cost", "declared_value", "declared_currency", "label_source"]


def shipments_table(s: Session, principal: Principal, status: str | None = None, order_ref: str | None = None) -> Table:
    """The shipments :func:`list_shipments` finds, as a table for CSV/Excel (newest first)."""
    rows = [[getattr(sh, c) for c in SHIPMENT_COLUMNS] for sh in list_shipments(s, principal, status, order_ref)]
    return Table("shipments", SHIPMENT_COLUMNS, rows)


TO_SHIP_COLUMNS = ["order_ref", "channel", "purchased_at", "age_days", "destination", "recipient", "postcode", "lines",
                   "units", "value", "currency", "status"]


def _plain(d: Decimal) -> str:
    """A quantity or amount as typed: 13.1800 -> "13.18", 10 -> "10" (no exponent)."""
    return format(d.normalize(), "f")


def parse_days(value: str | int | None) -> int | None:
    """The to-ship queue's period: a whole number of days (1 to 3660), or ``all`` (None)."""
    text = str(value if value is not None else "all").strip().lower()
    if text == "all":
        return None
    if not text.isdigit() or not 0 < int(text) <= 3660:
        raise ValidationError("days: a number of days (1 to 3660) or 'all'", field="days")
    return int(text)


def orders_to_ship(s: Session, principal: Principal, days: int | None = 30, on: date | None = None) -> list[dict[str, Any]]:
    """Merchant-fulfilled orders of the last ``days`` days (all when None) with no shipment yet and
    not cancelled, refunded or shipped by the marketplace, oldest first: the shipping queue."""
    today = on or date.today()
    out = []
    for o in _unshipped(s, principal, days, today, with_lines=True):
        lines = list(o.lines)
        value = sum((ln.item_price or Decimal(0) for ln in lines), Decimal(0))
        out.append({"order_ref": o.order_ref, "channel": o.channel, "purchased_at": o.purchased_at,
                    "age_days": (today - o.purchased_at.date()).days, "destination": o.ship_country or "",
                    "recipient": getattr(o, "ship_name", None) or "", "postcode": getattr(o, "ship_postcode", None) or "",
                    "lines": len(lines), "units": sum((ln.quantity for ln in lines), Decimal(0)),
                    "value": value, "currency": o.currency or "", "status": o.status or "", "sales_order_id": o.id})
    return out


def count_orders_to_ship(s: Session, principal: Principal, days: int | None = 30) -> int:
    """How many orders :func:`orders_to_ship` would list (their lines are not loaded)."""
    return len(_unshipped(s, principal, days, date.today(), with_lines=False))


def _unshipped(s: Session, principal: Principal, days: int | None, today: date, *, with_lines: bool) -> list[Any]:
    from xborder.logistics.sales_link import unshipped_orders

    since = datetime.combine(today - timedelta(days=days), datetime.min.time()) if days is not None else None
    linked = s.execute(select(Shipment.sales_order_id, Shipment.order_ref).where(Shipment.org_id == principal.org_id)).all()
    return unshipped_orders(s, principal.org_id, since, {i for i, _ in linked if i is not None}, {r for _, r in linked},
                            with_lines=with_lines)


def to_ship_json(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The queue as the API and the CLI print it: ``{"orders": [...], "total": n}``."""
    return {"orders": [{**r, "purchased_at": r["purchased_at"].isoformat(), "units": _plain(r["units"]),
                        "value": _plain(r["value"])} for r in rows], "total": len(rows)}


def orders_to_ship_table(s: Session, principal: Principal, days: int | None = 30) -> Table:
    return Table("orders_to_ship", TO_SHIP_COLUMNS, [[r[c] for c in TO_SHIP_COLUMNS] for r in orders_to_ship(s, principal, days)])


def shipment_json(sh: Shipment) -> dict[str, Any]:
    """A shipment as the API and the CLI print it."""
    return {
        "id": sh.id,
        "order_ref": sh.order_ref,
        "sales_order_id": sh.sales_order_id,
        "buyer": sh.buyer,
        "address": sh.address,
        "destination": sh.destination,
        "postcode": sh.postcode,
        "card_code": sh.card_code,
        "carrier": sh.carrier,
        "service": sh.service,
        "cost": format(sh.cost.quantize(Decimal("0.01")), "f"),
        "currency": sh.currency,
        "declared_value": format(sh.declared_value.quantize(Decimal("0.01")), "f") if sh.declared_value is not None else None,
        "declared_currency": sh.declared_currency or None,
        "items": shipment_items(sh),
        "weight_kg": format(sh.weight_kg.normalize(), "f"),
        "billable_weight_kg": format(sh.billable_weight_kg.normalize(), "f"),
        "tracking_number": sh.tracking_number,
        "status": sh.status,
        "status_at": sh.status_at.isoformat() if sh.status_at else None,
        "shipped_on": sh.shipped_on.isoformat(),
        "events": [
            {"status": e.status, "raw_status": e.raw_status, "at": e.at.isoformat(), "location": e.location} for e in sh.events
        ],
    }


def shipment_items(sh: Shipment) -> list[dict[str, Any]]:
    """The order items recorded on a shipment (``[{"sku", "quantity"}]``; empty when none)."""
    try:
        items = json.loads(sh.items_json or "[]")
    except json.JSONDecodeError:
        return []
    return [i for i in items if isinstance(i, dict) and i.get("sku")] if isinstance(items, list) else []


# rate-card mode -> the carrier mode of the restricted-goods rules (xborder.customs.screening);
# a parcel line is screened as post, the strictest (airline dangerous-goods rules apply to both)
SCREENING_MODE = {"parcel": "post", "express": "air_express", "air": "air_freight", "sea": "sea"}


def shipment_screening(s: Session, principal: Principal, sh: Shipment) -> dict[str, Any] | None:
    """The restricted-goods screening of a shipment for its destination and its card's carrier
    mode: each recorded item (its catalog SKU's name, HS code and battery/liquid/magnet/powder
    flags) and the parcel's contents flags. None when the customs package is not installed or
    there is nothing to screen."""
    try:
        from xborder.customs.service import screen_with_catalog
    except ImportError:
        return None
    lines: list[dict[str, Any]] = [{"sku": str(it["sku"])} for it in shipment_items(sh)]
    contents = [c for c in (sh.contents or "").split(",") if c]
    if contents:
        lines.append({"description": "parcel contents", "flags": contents})
    if not lines:
        return None
    card = next((c for c in org_cards(s, principal.org_id) if c.code == sh.card_code), None)
    mode = SCREENING_MODE.get(card.mode) if card is not None else None
    res = screen_with_catalog(s, principal.org_id, {"destination": sh.destination, "lines": lines}, mode)
    res["lines"] = [ln.get("sku") or "parcel contents" for ln in lines]
    return res


def get_shipment(s: Session, principal: Principal, shipment_id: int) -> Shipment:
    sh = s.get(Shipment, shipment_id)
    if sh is None or sh.org_id != principal.org_id:
        raise ShipmentNotFound(f"shipment #{shipment_id} not found")
    return sh


def shipping_cost_for_order(s: Session, org: int | Principal, order: str | Any) -> Any:
    """The shipping cost recorded for an order, for profit reporting. Two call forms:

    * ``shipping_cost_for_order(s, org_id, order_ref) -> Money | None`` — the total of the order's
      shipments in their currency (``CurrencyMismatch`` if they were paid in several currencies);
    * ``shipping_cost_for_order(s, principal, sales_order) -> (Decimal CNY, source) | None`` — the
      form ``xborder.profit`` calls with an ``xborder.sales`` order object: shipments linked to the
      order (by id or reference), converted to CNY with ECB reference rates of the ship date.
    """
    if isinstance(org, Principal):
        return _shipping_cny_for_sales_order(s, org.org_id, order)
    order_ref = order if isinstance(order, str) else str(getattr(order, "order_ref", order))
    rows = s.execute(
        select(Shipment.currency, Shipment.cost).where(Shipment.org_id == org, Shipment.order_ref == order_ref)
    ).all()
    if not rows:
        return None
    currencies = {r[0] for r in rows}
    if len(currencies) > 1:
        raise CurrencyMismatch(f"order {order_ref} has shipments in {', '.join(sorted(currencies))}")
    total = sum((Decimal(r[1]) for r in rows), Decimal(0))
    return Money(total, currencies.pop())


def _shipping_cny_for_sales_order(s: Session, org_id: int, order: Any) -> tuple[Decimal, str] | None:
    from sqlalchemy import or_

    conds = [Shipment.order_ref == str(getattr(order, "order_ref", ""))]
    if getattr(order, "id", None) is not None:
        conds.append(Shipment.sales_order_id == order.id)
    return _shipping_cny(list(s.scalars(select(Shipment).where(Shipment.org_id == org_id, or_(*conds)))))


def shipping_costs_for_orders(s: Session, principal: Principal, orders: Sequence[Any]) -> dict[int, tuple[Decimal, str]]:
    """:func:`shipping_cost_for_order` for many sales orders at once (one query): ``{order id:
    (CNY, source)}`` for the orders that have shipments (linked by id or by reference)."""
    by_ref: dict[str, list[Shipment]] = {}
    by_id: dict[int, list[Shipment]] = {}
    for sh in s.scalars(select(Shipment).where(Shipment.org_id == principal.org_id).order_by(Shipment.id)):
        by_ref.setdefault(sh.order_ref, []).append(sh)
        if sh.sales_order_id is not None:
            by_id.setdefault(sh.sales_order_id, []).append(sh)
    out: dict[int, tuple[Decimal, str]] = {}
    for o in orders:
        found = {sh.id: sh for sh in [*by_ref.get(str(o.order_ref), []), *by_id.get(o.id, [])]}
        got = _shipping_cny([found[k] for k in sorted(found)])
        if got is not None:
            out[o.id] = got
    return out


def _shipping_cny(ships: Sequence[Shipment]) -> tuple[Decimal, str] | None:
    if not ships:
        return None
    total = Decimal(0)
    notes: list[str] = []
    parts = []
    for sh in ships:
        amount = Decimal(sh.cost)
        if sh.currency != "CNY":
            amount = fx_for_ranking("CNY", sh.shipped_on, notes)(amount, sh.currency)
        total += amount
        parts.append(f"{sh.tracking_number} {sh.card_code} {format(Decimal(sh.cost).quantize(Decimal('0.01')), 'f')} {sh.currency}")
    src = "logistics shipments: " + ", ".join(parts) + (f" ({'; '.join(notes)})" if notes else "")
    return total.quantize(Decimal("0.01")), src


def create_live_shipment(
    s: Session,
    principal: Principal,
    *,
    carriers_file: str,
    carrier: str,
    service_code: str,
    order_ref: str,
    req: RateRequest,
    buyer: str = "",
    address: str = "",
    items: Sequence[dict[str, Any]] = (),
    client_for: Any = None,
) -> Shipment:
    """Buy a label from a live carrier through karrio: rate the service (cost), then create the
    shipment (tracking number and the carrier's PDF label). Our billable weight is sent."""
    from xborder.logistics.providers.karrio import builder, parser
    from xborder.logistics.providers.karrio.client import KarrioClient
    from xborder.logistics.providers.karrio.live import load_config

    principal.require(AREA)
    if not order_ref.strip():
        raise ValidationError("order_ref: required", field="order_ref")
    buyer, address = _recipient(s, principal.org_id, order_ref.strip(), buyer, address)
    shipper, conns = load_config(carriers_file)
    conn = next((c for c in conns if c.carrier == carrier), None)
    if conn is None:
        raise ValidationError(f"carrier: {carrier!r} is not in {carriers_file}", field="carrier")
    client = (client_for or KarrioClient)(conn)
    lines = [x for x in address.splitlines() if x.strip()]
    recipient = builder.Address(req.destination, req.postcode or "", person_name=buyer, address_line1=lines[0] if lines else "")
    weight, _why = builder.billable_weight(req.parcel, conn.divisor)
    options, msgs = parser.parse_rates(client.rate(builder.rate_request(shipper, recipient, [req.parcel], conn.divisor, [service_code])), weight)
    chosen = next((o for o in options if o.code.endswith(f":{service_code}")), None)
    if chosen is None:
        raise ValidationError(f"service: {carrier} offers no rate for {service_code} ({'; '.join(msgs) or 'no message'})", field="service")
    live = parser.parse_shipment(client.ship(builder.shipment_request(service_code, shipper, recipient, [req.parcel], conn.divisor, order_ref)), service_code)
    if not live.tracking_number:
        raise ValidationError(f"service: {carrier} created no shipment ({'; '.join(live.messages) or 'no message'})", field="service")
    p = req.parcel
    sh = Shipment(
        org_id=principal.org_id, order_ref=order_ref.strip(), sales_order_id=_sales_order_id(s, principal.org_id, order_ref.strip()),
        buyer=buyer, destination=req.destination, postcode=req.postcode or "", address=address,
        card_code=chosen.code, carrier=chosen.carrier, service=live.service or chosen.service, currency=chosen.currency,
        cost=chosen.price, declared_value=req.value, declared_currency=(req.currency or "") if req.value is not None else "",
        weight_kg=p.weight_kg * p.quantity, billable_weight_kg=weight, length_cm=p.length_cm,
        width_cm=p.width_cm, height_cm=p.height_cm, contents=",".join(req.contents), items_json=json.dumps(list(items), default=str),
        quote_json=json.dumps(chosen.to_dict(), default=str, ensure_ascii=False), tracking_number=live.tracking_number,
        status="info_received", status_at=datetime.now().replace(microsecond=0), shipped_on=req.on,
        label_source="karrio", label_pdf=live.label_pdf,
    )
    s.add(sh)
    s.flush()
    return sh


def _ship_from(s: Session, principal: Principal) -> tuple[str, ...]:
    from xborder.accounts.orm import Organisation

    org = s.get(Organisation, principal.org_id)
    return tuple(x for x in ((org.legal_name_en or org.name) if org else "", org.address_en if org else "") if x)


def _ship_to(sh: Shipment) -> tuple[str, ...]:
    """The recipient as printed: name, address lines, postcode and country."""
    return tuple(x for x in (sh.buyer, *sh.address.splitlines(), f"{sh.postcode} {sh.destination}".strip()) if x)


def _label_data(sh: Shipment, ship_from: Sequence[str]) -> labels.LabelData:
    return labels.LabelData(tracking_number=sh.tracking_number, carrier=sh.carrier, service=sh.service,
                            order_ref=sh.order_ref, ship_from=tuple(ship_from), ship_to=_ship_to(sh),
                            destination=sh.destination, weight_kg=format(sh.weight_kg.normalize(), "f"),
                            contents=sh.contents)


def _postal_card(s: Session, org_id: int, sh: Shipment) -> RateCard | None:
    versions = [c for c in org_cards(s, org_id) if c.code == sh.card_code]
    if not versions:
        return None
    card = select_versions(versions, sh.shipped_on)[0]
    return card if card.postal else None


def is_postal(s: Session, org_id: int, sh: Shipment) -> bool:
    """Was the shipment booked on a postal card (``postal: true``: a designated postal operator)?"""
    return _postal_card(s, org_id, sh) is not None


def sdr_quote(currency: str, on: date) -> tuple[sdr.SdrQuote | None, str]:
    """One SDR in ``currency`` on ``on`` from the ECB reference rates shipped with the app (the
    latest when the history ends earlier, said in the note); (None, why) when it cannot be told."""
    table, when = ecb_on(on, currency, *sdr.basket_currencies(on))
    try:
        q = sdr.sdr_in(currency, when, lambda c: table.quote(c, currency, when).rate)
    except sdr.SdrUnknown as e:
        return None, str(e)
    note = q.explain()
    if when != on:
        note += f"; the latest rates available, asked for {on.isoformat()}"
    return q, note


def postal_declaration(s: Session, principal: Principal, sh: Shipment) -> labels.Cn22Data | None:
    """The UPU customs declaration of a postal shipment, from its items as the commercial invoice
    draft has them (catalog description, HS code, origin, net weight; the order's prices): a CN 22
    for a small packet worth less than 300 SDR, else a CN 23 (postal parcels, 300 SDR or more, or a
    worth in SDR that cannot be told). None for other cards and for a carrier's own label."""
    if sh.label_pdf:
        return None
    card = _postal_card(s, principal.org_id, sh)
    if card is None:
        return None
    try:
        from xborder.customs.drafts import documents_draft
    except ImportError:
        return None
    draft = documents_draft(s, principal, sh.id)
    lines = []
    for ln in draft.get("lines", []):
        qty = Decimal(str(ln.get("quantity") or 1))
        unit = Decimal(ln["unit_price"]) if ln.get("unit_price") else None
        net = Decimal(ln["net_weight_kg"]) if ln.get("net_weight_kg") else None
        lines.append(labels.Cn22Line(description=ln.get("description") or ln.get("sku") or "", quantity=_plain(qty),
                                     weight_kg=None if net is None else net * qty, value=None if unit is None else unit * qty,
                                     hs_code=ln.get("hs_code") or "", origin=ln.get("origin") or ""))
    currency = draft.get("currency") or ""
    values = [ln.value for ln in lines]
    value = sum((v for v in values if v is not None), Decimal(0)) if values and None not in values else None
    quote, note = sdr_quote(currency, sh.shipped_on) if currency else (None, "no currency")
    cn23 = sdr.needs_cn23(value, quote, parcel=card.postal_parcel)
    if card.postal_parcel:
        why = "CN 23: a postal parcel service (the card says postal: parcel)"
    elif value is None:
        why = "CN 23: the contents' value is not known (a line without price), so the CN 22's limit cannot be checked"
    elif quote is None:
        why = f"CN 23: the value in SDR cannot be told ({note})"
    else:
        in_sdr = quote.to_sdr(value).quantize(Decimal("0.01"))
        why = (f"{'CN 23' if cn23 else 'CN 22'}: contents worth {value.quantize(Decimal('0.01'))} {currency} = {in_sdr} SDR "
               f"({'300 SDR or more' if cn23 else 'under 300 SDR'}); {note}")
    seller = draft.get("seller") or {}
    sender_address = tuple(x for x in str(seller.get("address") or "").splitlines() if x.strip())
    org_ids = seller.get("tax_ids") or {}
    return labels.Cn22Data(operator=sh.carrier, tracking_number=sh.tracking_number, lines=tuple(lines),
                           currency=currency, total_weight_kg=sh.weight_kg,
                           sender=seller.get("name") or "", on=sh.shipped_on.isoformat(),
                           form="CN 23" if cn23 else "CN 22", sender_address=sender_address or (("China",) if cn23 else ()),
                           addressee=_ship_to(sh), invoice_no=draft.get("invoice_no") or "",
                           postal_charges=f"{sh.cost.quantize(Decimal('0.01'))} {sh.currency}",
                           sender_ref=org_ids.get("Customs code") or org_ids.get("USCC") or "", why=why)


def _label_pages(s: Session, principal: Principal, sh: Shipment, ship_from: Sequence[str],
                 ) -> tuple[list[labels.LabelData | labels.Cn22Data], labels.Cn22Data | None]:
    """A rate-card shipment's label page and, for a postal one, its customs declaration after it."""
    declaration = postal_declaration(s, principal, sh)
    return [_label_data(sh, ship_from), *([declaration] if declaration else [])], declaration


def label_with_declaration(s: Session, principal: Principal, shipment_id: int, ship_from: Sequence[str] = (),
                           ) -> tuple[bytes, labels.Cn22Data | None]:
    """The shipment's label PDF (a postal shipment's CN 22 or CN 23 on the next page) and that declaration."""
    sh = get_shipment(s, principal, shipment_id)
    if sh.label_pdf:
        return bytes(sh.label_pdf), None  # the carrier's own label
    pages, declaration = _label_pages(s, principal, sh, ship_from or _ship_from(s, principal))
    return labels.labels_pdf(pages, title=f"Label {sh.tracking_number}"), declaration


def label_for(s: Session, principal: Principal, shipment_id: int, ship_from: Sequence[str] = ()) -> bytes:
    """The shipment's label; a postal shipment's CN 22 or CN 23 customs declaration follows on a second page."""
    return label_with_declaration(s, principal, shipment_id, ship_from)[0]


def parse_ids(text: str) -> list[int]:
    """``"3,5, 8"`` -> ``[3, 5, 8]`` (shipment ids in a query)."""
    return parse_id_list(text, "ids", kind="shipment")


def labels_for(s: Session, principal: Principal, shipment_ids: Sequence[int]) -> bytes:
    """The labels of several rate-card shipments as one PDF, a page each in the given order, a
    postal shipment's CN 22 / CN 23 right after its label (a carrier's own label bought through karrio is
    its own file: refused here, named)."""
    if not shipment_ids:
        raise ValidationError("ids: give at least one shipment id", field="ids")
    if len(shipment_ids) > 1000:
        raise ValidationError("ids: at most 1,000 shipments at a time", field="ids")
    ship_from = _ship_from(s, principal)
    pages: list[labels.LabelData | labels.Cn22Data] = []
    for sid in shipment_ids:
        sh = get_shipment(s, principal, sid)
        if sh.label_pdf:
            raise ValidationError(f"ids: shipment {sid} has the carrier's own label: download it alone", field="ids")
        pages += _label_pages(s, principal, sh, ship_from)[0]  # a postal item's declaration right after its label
    return labels.labels_pdf(pages, title=f"Labels ({len(pages)})")


def book_orders(s: Session, principal: Principal, order_refs: Sequence[str], card_code: str = CHEAPEST,
                on: date | None = None) -> dict[str, Any]:
    """Book a shipment for each stored order (its parcel packed from its SKUs, its recipient and
    value) on ``card_code`` (default: the cheapest card that can carry each). An order that cannot
    be booked (no stored order, an SKU without catalog sizes, no card can carry it) is reported
    with the reason and writes nothing; the others are booked. ``{"created": [Shipment],
    "failed": [{"order_ref", "field", "error"}]}``."""
    principal.require(AREA)
    refs = list(dict.fromkeys(r.strip() for r in order_refs if r and r.strip()))
    if not refs:
        raise ValidationError("order_refs: give at least one order reference", field="order_refs")
    if len(refs) > 500:
        raise ValidationError("order_refs: at most 500 orders at a time", field="order_refs")
    when = on or date.today()
    created: list[Shipment] = []
    failed: list[dict[str, Any]] = []
    for ref in refs:
        point = s.begin_nested()
        try:
            req, items = request_for_order(s, principal.org_id, ref, {}, when)
            sh = create_shipment(s, principal, order_ref=ref, card_code=card_code, req=req, items=items)
            point.commit()
            created.append(sh)
        except XborderError as exc:
            point.rollback()
            failed.append({"order_ref": ref, "field": exc.field, "error": exc.message})
    return {"created": created, "failed": failed}


TRACKING_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{3,39}$")


def _tracking_problem(s: Session, org_id: int, sh: Shipment, number: str) -> str | None:
    if not TRACKING_RE.match(number):
        return "4 to 40 letters, digits or '-'"
    other = s.scalar(select(Shipment.id).where(Shipment.org_id == org_id, Shipment.tracking_number == number,
                                               Shipment.id != sh.id))
    return f"already the tracking number of shipment {other}" if other is not None else None


def set_tracking_number(s: Session, principal: Principal, shipment_id: int, number: str) -> Shipment:
    """Record the carrier's own tracking number on a shipment booked on a rate card (the forwarder's
    portal gives it), so tracking files and the marketplaces use it; unique in the organisation."""
    principal.require(AREA)
    sh = get_shipment(s, principal, shipment_id)
    number = (number or "").strip()
    problem = _tracking_problem(s, principal.org_id, sh, number)
    if problem:
        raise ValidationError(f"tracking_number: {problem}", field="tracking_number")
    sh.tracking_number = number
    s.flush()
    return sh


def import_tracking_numbers(s: Session, principal: Principal, rows: list[tuple[int, dict[str, str]]]) -> dict[str, Any]:
    """``shipment_id`` or ``order_ref``, and ``tracking_number`` per line: the carriers' numbers for
    many shipments at once. Validated whole first (unknown shipment, an order with several
    shipments, a number used twice: errors by line, nothing written); the same file again changes
    nothing."""
    principal.require(AREA)
    if not rows:
        raise ImportRejected("the file is empty; nothing was imported",
                             [{"line": 1, "column": "", "message": "expected the header shipment_id or order_ref, and tracking_number"}])
    errors: list[dict[str, Any]] = []
    plan: list[tuple[Shipment, str]] = []
    seen: dict[str, int] = {}
    for line, r in rows:
        number = (r.get("tracking_number") or "").strip()
        sid, ref = (r.get("shipment_id") or "").strip(), (r.get("order_ref") or "").strip()
        sh = None
        if sid:
            sh = s.get(Shipment, int(sid)) if sid.isdigit() and len(sid) <= 12 else None
            if sh is None or sh.org_id != principal.org_id:
                errors.append({"line": line, "column": "shipment_id", "message": f"no shipment {sid}"})
                continue
        elif ref:
            found = list_shipments(s, principal, order_ref=ref)
            if len(found) != 1:
                errors.append({"line": line, "column": "order_ref",
                               "message": f"order {ref} has {len(found)} shipments: give shipment_id"})
                continue
            sh = found[0]
        else:
            errors.append({"line": line, "column": "shipment_id", "message": "shipment_id or order_ref is required"})
            continue
        problem = _tracking_problem(s, principal.org_id, sh, number)
        if number in seen:
            problem = f"also on line {seen[number]}"
        if problem:
            errors.append({"line": line, "column": "tracking_number", "message": problem})
            continue
        seen[number] = line
        plan.append((sh, number))
    if errors:
        raise ImportRejected(f"{len(errors)} error(s) in the tracking numbers file; nothing was imported", errors)
    changed = 0
    for sh, number in plan:
        if sh.tracking_number != number:
            sh.tracking_number = number
            changed += 1
    s.flush()
    return {"updated": changed, "unchanged": len(plan) - changed}


# Amazon's carrier codes for the shipping confirmation file (Seller Central's carrier list, as
# spelled there); any other carrier goes as "Other" with its name in carrier-name
AMAZON_CARRIER_CODES = ("China Post", "Yanwen", "4PX", "YunExpress", "Cainiao", "SF Express", "DHL", "DHL eCommerce",
                        "UPS", "USPS", "FedEx", "Royal Mail", "Deutsche Post", "La Poste", "Canada Post",
                        "Australia Post", "Japan Post")
AMAZON_CONFIRMATION_COLUMNS = ["order-id", "order-item-id", "quantity", "ship-date", "carrier-code", "carrier-name",
                               "tracking-number", "ship-method"]


def buyer_carrier_name(carrier: str) -> str:
    """The carrier's name as a buyer abroad should read it: a parenthesised Chinese name
    ("WANB Express (万邦速达)") is dropped; the rest is kept as written."""
    name = re.sub(r"\s*[(（][^)）]*[\u3400-\u9fff][^)）]*[)）]", "", carrier).strip()
    return name or carrier


def _shipped_marketplace_orders(s: Session, principal: Principal, channel: str, days: int | None,
                                on: date | None) -> tuple[list[tuple[Shipment, Any]], list[str]]:
    """The organisation's shipments of ``channel`` orders shipped in the last ``days`` days (all when
    None), oldest first, each with its order; a shipment still on our internal ``XB…CN`` number is
    left out and named: the marketplace would show the buyer a number no carrier knows."""
    from xborder.logistics.sales_link import sales_orders_by_id

    today = on or date.today()
    q = select(Shipment).where(Shipment.org_id == principal.org_id, Shipment.sales_order_id.is_not(None))
    if days is not None:
        q = q.where(Shipment.shipped_on >= today - timedelta(days=days))
    shipments = list(s.scalars(q.order_by(Shipment.shipped_on, Shipment.id)))
    orders = sales_orders_by_id(s, principal.org_id, {sh.sales_order_id for sh in shipments if sh.sales_order_id})
    ready: list[tuple[Shipment, Any]] = []
    notes: list[str] = []
    for sh in shipments:
        order = orders.get(sh.sales_order_id or 0)
        if order is None or order.channel != channel:
            continue
        if labels.s10_valid(sh.tracking_number) and sh.tracking_number.startswith("XB"):
            notes.append(f"{sh.order_ref}: shipment {sh.id} has no carrier tracking number yet (set it, then export again)")
            continue
        ready.append((sh, order))
    return ready, notes


def amazon_confirmations(s: Session, principal: Principal, days: int | None = 7, on: date | None = None) -> tuple[list[list[str]], list[str]]:
    """Amazon's shipping confirmation flat file (tab-separated) for the organisation's shipments of
    Amazon merchant-fulfilled orders shipped in the last ``days`` days: one row per order (empty
    order-item-id and quantity confirm the whole order), the carrier's own tracking number."""
    ready, notes = _shipped_marketplace_orders(s, principal, "amazon", days, on)
    rows: list[list[str]] = []
    for sh, _order in ready:
        code = next((c for c in AMAZON_CARRIER_CODES if c.lower() == sh.carrier.lower()), "Other")
        rows.append([sh.order_ref, "", "", sh.shipped_on.isoformat(), code, "" if code != "Other" else buyer_carrier_name(sh.carrier),
                     sh.tracking_number, sh.service])
    return rows, notes


def amazon_confirmation_text(rows: list[list[str]]) -> str:
    """The flat file as Amazon's upload takes it: tab-separated, one header line."""
    clean = [[c.replace("\t", " ").replace("\n", " ") for c in r] for r in rows]
    return "\n".join("\t".join(r) for r in [AMAZON_CONFIRMATION_COLUMNS, *clean]) + "\n"


# eBay Seller Hub's tracking upload (Seller Hub → Reports → Uploads → "Upload template": add tracking
# numbers to orders in bulk), one row per order line. Columns and the "Shipped" status as written by
# public eBay shipping-confirmation exporters (2025–26); eBay's own template starts with an "#INFO"
# line, which its upload skips. Check against the template Seller Hub offers before relying on it.
EBAY_CONFIRMATION_COLUMNS = ["Shipping Status", "Order Number", "Item Number", "Item Title", "Custom Label",
                             "Transaction ID", "Shipping Carrier Used", "Tracking Number"]


def ebay_confirmations(s: Session, principal: Principal, days: int | None = 7, on: date | None = None) -> tuple[list[list[str]], list[str]]:
    """eBay's tracking upload for the organisation's shipments of eBay orders shipped in the last
    ``days`` days: a row per order line (its item number, title, custom label and transaction ID
    from the eBay orders report), the carrier as a buyer reads it and the carrier's own number."""
    ready, notes = _shipped_marketplace_orders(s, principal, "ebay", days, on)
    rows: list[list[str]] = []
    for sh, order in ready:
        carrier = buyer_carrier_name(sh.carrier)
        for ln in order.lines:
            item = ln.listing_ref or ""
            # an order line without eBay's Transaction ID got "item#n" at import: send no transaction ID then
            tx = "" if not ln.line_ref or ln.line_ref == item or ln.line_ref.startswith(f"{item}#") else ln.line_ref
            rows.append(["Shipped", sh.order_ref, item, ln.title or "", ln.platform_sku if ln.platform_sku != item else "",
                         tx, carrier, sh.tracking_number])
    return rows, notes


def ebay_confirmation_csv(rows: list[list[str]]) -> str:
    """The upload file: the "#INFO" line, the header, the rows (CSV, UTF-8)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["#INFO"])
    w.writerows([EBAY_CONFIRMATION_COLUMNS, *rows])
    return buf.getvalue()


@dataclass(frozen=True)
class ConfirmationFile:
    """A marketplace's upload file that marks its orders shipped: the rows, the file's text, the
    column holding the order number, and how it downloads."""

    rows: Callable[..., tuple[list[list[str]], list[str]]]
    text: Callable[[list[list[str]]], str]
    order_column: int
    media_type: str
    filename: str


CONFIRMATION_FILES = {
    "amazon": ConfirmationFile(amazon_confirmations, amazon_confirmation_text, AMAZON_CONFIRMATION_COLUMNS.index("order-id"),
                               "text/tab-separated-values; charset=utf-8", "amazon-shipping-confirmation.txt"),
    "ebay": ConfirmationFile(ebay_confirmations, ebay_confirmation_csv, EBAY_CONFIRMATION_COLUMNS.index("Order Number"),
                             "text/csv; charset=utf-8", "ebay-tracking-upload.csv"),
}


def _confirmation(s: Session, principal: Principal, channel: str, days: int | None,
                  on: date | None) -> tuple[list[list[str]], dict[str, Any]]:
    """A marketplace's upload rows and what they hold: ``{orders, lines, left_out}``."""
    spec = CONFIRMATION_FILES[channel]
    rows, notes = spec.rows(s, principal, days, on)
    return rows, {"orders": len({r[spec.order_column] for r in rows}), "lines": len(rows), "left_out": notes}


def confirmation_file(s: Session, principal: Principal, channel: str, days: int | None = 7,
                      on: date | None = None) -> tuple[str, dict[str, Any]]:
    """The marketplace's upload file (its text) and what it holds: ``{orders, lines, left_out}``."""
    rows, got = _confirmation(s, principal, channel, days, on)
    return CONFIRMATION_FILES[channel].text(rows), got


def confirmation_summary(s: Session, principal: Principal, days: int | None = 7, on: date | None = None) -> list[dict[str, Any]]:
    """For the shipments page: per marketplace with an upload file, the orders ready to confirm,
    the file's lines and the shipments left out (no carrier tracking number yet)."""
    out = []
    for channel in CONFIRMATION_FILES:
        _rows, got = _confirmation(s, principal, channel, days, on)
        out.append({"channel": channel, "orders": got["orders"], "rows": got["lines"], "left_out": got["left_out"]})
    return out


def import_tracking(s: Session, principal: Principal, rows: list[tuple[int, dict[str, str]]]) -> dict[str, Any]:
    """Validate the whole file first; unknown tracking numbers are errors; re-import is a no-op."""
    principal.require(AREA)
    if not rows:  # an empty file, a header alone, or not a CSV at all: say so rather than "0 imported"
        msg = "no tracking lines: expected the header tracking_number,status,event_time[,location,description] and one line per event"
        raise ImportRejected("the tracking file is empty; nothing was imported", [{"line": 1, "column": "", "message": msg}])
    events, errors = tracking.parse_rows(rows)
    by_tn: dict[str, Shipment] = {}
    if events:
        tns = {e.tracking_number for e in events}
        for sh in s.scalars(select(Shipment).where(Shipment.org_id == principal.org_id, Shipment.tracking_number.in_(tns))):
            by_tn[sh.tracking_number] = sh
        for e in events:
            if e.tracking_number not in by_tn:
                errors.append({"line": e.line, "column": "tracking_number", "message": f"no shipment with tracking number {e.tracking_number}"})
    if errors:
        errors.sort(key=lambda x: (int(x["line"]), str(x["column"])))  # type: ignore[call-overload]
        raise ImportRejected(f"{len(errors)} error(s) in the tracking file; nothing was imported", errors)
    imported = skipped = 0
    for e in events:
        sh = by_tn[e.tracking_number]
        exists = s.scalar(
            select(TrackingEventRecord.id).where(
                TrackingEventRecord.shipment_id == sh.id, TrackingEventRecord.at == e.at, TrackingEventRecord.status == e.status
            )
        )
        if exists:
            skipped += 1
            continue
        s.add(
            TrackingEventRecord(
                org_id=principal.org_id,
                shipment_id=sh.id,
                status=e.status,
                raw_status=e.raw_status[:200],
                at=e.at,
                location=e.location[:200],
                description=e.description[:500],
            )
        )
        s.flush()
        imported += 1
        if sh.status_at is None or e.at >= sh.status_at or sh.status == "info_received":
            sh.status, sh.status_at = e.status, e.at
    s.flush()
    return {"imported": imported, "skipped_duplicates": skipped, "errors": []}


def order_parcel_from_skus(s: Session, org_id: int, items: Sequence[dict[str, Any]]) -> tuple[Parcel, tuple[str, ...]]:
    """Pack an order's catalog SKUs into one parcel (weights add, third sides stack) + contents flags."""
    from xborder.logistics.catalog_link import parcel_for_items

    return parcel_for_items(s, org_id, items)


def request_for_order(s: Session, org_id: int, order_ref: str, data: dict[str, Any] | None, on: date) -> tuple[RateRequest, list[dict[str, Any]]]:
    """A rate request for an order: the stored ``xborder.sales`` order (destination, value, SKUs
    packed into one parcel) overlaid with what ``data`` gives; ``data`` alone without the package."""
    from xborder.logistics.sales_link import request_data_for_order

    data = dict(data or {})
    given = {k: v for k, v in data.items() if v not in (None, "", [], {})}
    base = request_data_for_order(s, org_id, order_ref) if order_ref.strip() else None
    if base is not None:
        if given.get("value") not in (None, "") and not given.get("currency"):
            base.pop("currency", None)  # a value typed without currency is not in the order's currency
        data = {**base, **given}
    if not data.get("destination"):
        raise ValidationError(f"order_ref: no stored order {order_ref!r}; give destination and parcel", field="order_ref")
    req, items = request_from_json(s, org_id, data, on)
    if base is not None and data.get("parcel") and items:
        # a parcel measured by hand: the order's items are still what it holds (documents,
        # customs drafts), and their battery/liquid/magnet/powder flags still apply
        from xborder.logistics.catalog_link import content_flags

        flags = content_flags(s, org_id, items)
        if set(flags) - set(req.contents):
            req = replace(req, contents=tuple(sorted(set(req.contents) | set(flags))))
    return req, items


def request_from_json(s: Session, org_id: int, data: Any, on: date) -> tuple[RateRequest, list[dict[str, Any]]]:
    """A rate request from JSON; with ``items`` (catalog SKUs) instead of ``parcel`` the order's
    items are packed into one parcel and their contents flags added."""
    from xborder.logistics.schemas import parse_rate_request

    items = data.get("items") if isinstance(data, dict) else None
    if items and not data.get("parcel"):
        if not isinstance(items, list):
            raise ValidationError("items: expected a list of {sku, quantity}", field="items")
        parcel, flags = order_parcel_from_skus(s, org_id, items)
        merged = dict(data)
        merged["contents"] = sorted(set(data.get("contents") or []) | set(flags))
        return parse_rate_request(merged, on, parcel=parcel), list(items)
    return parse_rate_request(data, on), list(items or [])


def option_dicts(options: Sequence[Option]) -> list[dict[str, object]]:
    return [o.to_dict() for o in options]

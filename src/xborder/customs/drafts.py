"""Drafts of document and declaration inputs from what the organisation already has: catalog
SKUs always; logistics shipments and sales orders when those packages are installed (they are
imported optionally and detected with ``try/except ImportError``).

A draft is the same JSON the user would type (see :mod:`xborder.customs.documents` and
:mod:`xborder.customs.declarations`); it is shown pre-filled for review and validated like any
input when saved. Nothing is guessed: what the sources do not hold (a sale price without an
order, the 10-digit China code when the SKU has 6 digits, the declared elements) stays empty and
validation names the field.

Assumptions about the other packages (checked against their branches on 2026-11-24):
``xborder.logistics.orm.Shipment`` has ``order_ref``, ``sales_order_id``, ``buyer``, ``address``,
``destination``, ``carrier``, ``tracking_number``, ``shipped_on``, ``weight_kg``, dimensions and
``items_json`` (a list of ``{"sku", "quantity"}``); ``xborder.sales.orm.SalesOrder`` has
``currency`` and ``lines`` with ``platform_sku``, ``quantity`` and ``item_price`` (the price of the
line's quantity, as in marketplace order reports); a listing's ``seller_sku`` pairs a platform SKU
to a catalog SKU.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.customs.order_duties import national_codes, tariff_code_for
from xborder.errors import NotFound


def logistics_available() -> bool:
    try:
        import xborder.logistics.orm  # noqa: F401
    except ImportError:
        return False
    return True


def _shipment(s: Session, principal: Principal, shipment_id: int) -> Any:
    try:
        from xborder.logistics.orm import Shipment
    except ImportError:
        raise NotFound("shipment: the logistics package is not installed; give the input as JSON",
                       field="shipment") from None
    sh = s.get(Shipment, shipment_id)
    if sh is None or sh.org_id != principal.org_id:
        raise NotFound(f"shipment {shipment_id} not found", field="shipment")
    return sh


def recent_shipments(s: Session, principal: Principal, limit: int = 20) -> list[dict[str, Any]]:
    try:
        from xborder.logistics.orm import Shipment
    except ImportError:
        return []
    rows = s.scalars(select(Shipment).where(Shipment.org_id == principal.org_id).order_by(Shipment.id.desc()).limit(limit))
    return [{"id": r.id, "order_ref": r.order_ref, "destination": r.destination, "shipped_on": r.shipped_on,
             "tracking_number": r.tracking_number} for r in rows]


def _sku(s: Session, org_id: int, code: str) -> Any:
    from xborder.catalog.orm import Sku

    return s.scalar(select(Sku).where(Sku.org_id == org_id, Sku.sku == code))


def _order_prices(s: Session, org_id: int, order_id: int | None, order_ref: str = "") -> tuple[str | None, dict[str, Decimal]]:
    """(currency, catalog SKU -> unit price) of a sales order — the linked one, else the one stored
    under the shipment's order reference (when only one channel has it) — when the sales package
    is installed."""
    try:
        from xborder.sales.orm import SalesOrder
    except ImportError:
        return None, {}
    from xborder.catalog.orm import Listing, Sku

    if order_id:
        order = s.get(SalesOrder, order_id)
    elif order_ref:
        found = list(s.scalars(select(SalesOrder).where(SalesOrder.org_id == org_id, SalesOrder.order_ref == order_ref).limit(2)))
        order = found[0] if len(found) == 1 else None
    else:
        order = None
    if order is None or order.org_id != org_id:
        return None, {}
    prices: dict[str, Decimal] = {}
    for ln in order.lines:
        if ln.item_price is None or not ln.quantity:
            continue
        code = ln.platform_sku
        paired = s.scalar(select(Sku.sku).join(Listing, Listing.sku_id == Sku.id)
                          .where(Listing.org_id == org_id, Listing.seller_sku == ln.platform_sku))
        prices[paired or code] = (Decimal(ln.item_price) / Decimal(ln.quantity)).quantize(Decimal("0.01"))
    return order.currency, prices


def _items(sh: Any) -> list[dict[str, Any]]:
    from xborder.logistics.service import shipment_items  # the shipment is a logistics row

    return shipment_items(sh)


def _seller(s: Session, org_id: int) -> dict[str, Any]:
    from xborder.accounts.orm import Organisation

    org = s.get(Organisation, org_id)
    if org is None:
        return {"name": ""}
    ids = {k: v for k, v in (("USCC", org.uscc), ("Customs code", org.customs_code)) if v}
    return {"name": org.legal_name_en or org.name, "name_zh": org.legal_name_zh, "address": org.address_en or org.address_zh,
            "country": "CN", "tax_ids": ids}


def documents_draft(s: Session, principal: Principal, shipment_id: int) -> dict[str, Any]:
    sh = _shipment(s, principal, shipment_id)
    currency, prices = _order_prices(s, principal.org_id, getattr(sh, "sales_order_id", None), sh.order_ref or "")
    items = _items(sh)
    declared = getattr(sh, "declared_value", None)
    if not prices and declared is not None and len(items) == 1:
        # no order to price from: the one SKU carries the value declared when the shipment was booked
        qty = Decimal(str(items[0].get("quantity") or 1))
        if qty > 0:
            currency = getattr(sh, "declared_currency", "") or currency
            prices = {str(items[0]["sku"]): (Decimal(declared) / qty).quantize(Decimal("0.01"))}
    lines = []
    for it in items:
        code = str(it["sku"])
        sku = _sku(s, principal.org_id, code)
        line: dict[str, Any] = {"sku": code, "quantity": str(it.get("quantity") or 1), "package": 1}
        if code in prices:
            line["unit_price"] = format(prices[code], "f")
        if sku is not None:
            # the invoice travels with the parcel: the destination's own tariff line when the catalog has it
            hs = tariff_code_for(sh.destination, sku.hs_code, national_codes(sku)) or ""
            line.update({"description": sku.name_en, "description_zh": sku.name_zh, "hs_code": hs,
                         "origin": sku.origin, "material": sku.material})
            if sku.weight_g is not None:
                line["net_weight_kg"] = format((Decimal(sku.weight_g) / 1000).normalize(), "f")
        lines.append(line)
    return {
        "invoice_no": f"INV-{sh.order_ref}", "invoice_date": sh.shipped_on.isoformat(), "order_no": sh.order_ref,
        "currency": currency or getattr(sh, "declared_currency", "") or "USD", "incoterm": "DDP", "destination": sh.destination,
        "carrier": sh.carrier, "tracking_no": sh.tracking_number,
        "seller": _seller(s, principal.org_id),
        "buyer": {"name": sh.buyer, "address": "\n".join(x for x in (sh.address, getattr(sh, "postcode", "") or "") if x),
                  "country": sh.destination},
        "lines": lines,
        "packages": [{"number": 1, "gross_weight_kg": format(Decimal(sh.weight_kg), "f"),
                      "length_cm": format(Decimal(sh.length_cm), "f"), "width_cm": format(Decimal(sh.width_cm), "f"),
                      "height_cm": format(Decimal(sh.height_cm), "f"), "marks": f"{sh.order_ref}/1-1"}],
    }


def _legal_units(s: Session, org_id: int, lines: list[dict[str, Any]], on: Any) -> None:
    """Set each line's legal units from the organisation's rebate-rate library or the loaded China
    tariff (the first that knows the 10-digit code on the export date): a unit in 千克 takes the
    line's net weight, another unit the quantity. Unknown codes stay as they are; validation names them."""
    from xborder.customs import service
    from xborder.customs.legal_units import KG, UNIT_BY_NAME, unit_name

    codes = [str(ln.get("gcode") or "") for ln in lines]
    books = service.legal_unit_books(s, org_id, codes, on)
    for ln, code in zip(lines, codes, strict=True):
        if not (code.isdigit() and len(code) == 10):
            continue
        entry = next((e for b in books if (e := b.find(code, on)[0]) is not None), None)
        if entry is None:
            continue
        knows2 = any(b.knows_unit2 and b.find(code, on)[0] is not None for b in books)
        # the rebate library gives the first unit only: the draft's second unit (kg) stays then
        slots = [("1", unit_name(entry.unit1))] + ([("2", unit_name(entry.unit2))] if knows2 else [])
        for n, name in slots:
            ucode = UNIT_BY_NAME.get(name) if name else None
            if not name:
                ln[f"unit{n}"], ln[f"qty{n}"] = None, None
            elif ucode is None:
                continue  # a unit our GACC table does not list: left for the user
            elif ucode == KG:
                ln[f"unit{n}"], ln[f"qty{n}"] = KG, ln.get("net_weight")
            else:
                ln[f"unit{n}"], ln[f"qty{n}"] = ucode, ln.get("qty")
        if ln.get("unit2") is not None and ln.get("unit2") == ln.get("unit1"):
            ln["unit2"], ln["qty2"] = None, None


def declaration_draft(s: Session, principal: Principal, shipment_id: int, mode: str = "9610") -> dict[str, Any]:
    from xborder.customs import declarations as dc

    sh = _shipment(s, principal, shipment_id)
    currency, prices = _order_prices(s, principal.org_id, getattr(sh, "sales_order_id", None))
    seller = _seller(s, principal.org_id)
    lines = []
    net = Decimal(0)
    for it in _items(sh):
        code = str(it["sku"])
        sku = _sku(s, principal.org_id, code)
        qty = Decimal(str(it.get("quantity") or 1))
        line: dict[str, Any] = {"item_no": code, "qty": format(qty, "f"), "unit": "011", "qty1": format(qty, "f"),
                                "unit1": "011", "gmodel": "", "item_name": ""}
        if sku is not None:
            line.update({"item_name": sku.name_zh or sku.name_en, "gcode": tariff_code_for("CN", sku.hs_code, national_codes(sku)) or "",
                         "origin": sku.origin,
                         "bar_code": sku.barcode or ""})
            if sku.weight_g is not None:
                kg = Decimal(sku.weight_g) / 1000 * qty
                net += kg
                line.update({"qty2": format(kg.normalize(), "f"), "unit2": "035", "net_weight": format(kg.normalize(), "f")})
        if code in prices:
            line["price"] = format(prices[code], "f")
        lines.append(line)
    _legal_units(s, principal.org_id, lines, sh.shipped_on)
    template = dc.to_dict(dc.sample())
    return {
        **template,
        "mode": mode, "order_no": sh.order_ref, "logistics_no": sh.tracking_number,
        "logistics": {"code": "", "name": sh.carrier}, "ie_date": sh.shipped_on.isoformat(),
        "destination": sh.destination, "currency": currency or "USD",
        "ebc": {"code": (seller.get("tax_ids") or {}).get("Customs code", ""), "name": seller.get("name_zh") or seller["name"]},
        "ebp": {"code": "", "name": ""}, "pay": {"code": "", "name": ""}, "pay_no": "",
        "customs_code": "", "port_code": "",
        "gross_weight": format(Decimal(sh.weight_kg), "f"), "net_weight": format(net.normalize(), "f") if net else "",
        "freight": "0", "note": "", "lines": lines,
    }


def shipment_invoices(s: Session, principal: Principal, shipment_ids: list[int]) -> tuple[list[Any], list[dict[str, Any]]]:
    """The commercial invoices of several shipments as their drafts give them (``ShipmentDocs``
    ready to print), and the shipments whose draft customs would refuse: ``{shipment_id,
    order_ref, problems: [{field, message}]}`` — to complete on the documents page first."""
    from xborder.customs import documents as docs
    from xborder.errors import ValidationError

    if not shipment_ids:
        raise ValidationError("shipments: give at least one shipment id", field="shipments")
    if len(shipment_ids) > 500:
        raise ValidationError("shipments: at most 500 at a time", field="shipments")
    ready, refused = [], []
    for sid in shipment_ids:
        sh = _shipment(s, principal, sid)
        try:
            doc = docs.parse_docs(documents_draft(s, principal, sid))
            problems = docs.validate_docs(doc)
        except ValidationError as exc:
            problems = exc.details.get("problems") or [{"field": exc.field or "", "message": exc.message}]
        if problems:
            refused.append({"shipment_id": sid, "order_ref": sh.order_ref, "problems": problems})
        else:
            ready.append(doc)
    return ready, refused

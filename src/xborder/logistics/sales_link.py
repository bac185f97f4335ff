"""Shipments from ``xborder.sales`` orders (optional: used only when that package is installed).

An order reference found in ``sales_orders`` gives the destination (``ship_country``) and the
recipient (name, address, postcode) as the marketplace export gave them, the declared value (sum of line prices, order currency) and the items: each line's marketplace SKU
resolved to a catalog SKU (``xborder.sales.service.SkuResolver`` when present, else a catalog SKU
with the same code), to be packed into one parcel from the catalog's weights and sizes.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from decimal import Decimal
from typing import Any

import pycountry
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from xborder.errors import ValidationError


def _country(text: str | None) -> str | None:
    if not text:
        return None
    t = text.strip()
    if len(t) == 2 and pycountry.countries.get(alpha_2=t.upper()):
        return t.upper()
    try:
        return str(pycountry.countries.lookup(t).alpha_2)
    except LookupError:
        return None


def _sales_model() -> Any | None:
    """``xborder.sales.orm.SalesOrder``, or None when that package is not installed."""
    try:
        orm = importlib.import_module("xborder.sales.orm")
    except ImportError:
        return None
    return getattr(orm, "SalesOrder", None)


def find_sales_order(s: Session, org_id: int, order_ref: str) -> Any | None:
    model = _sales_model()
    if model is None:
        return None
    found = list(s.scalars(select(model).where(model.org_id == org_id, model.order_ref == order_ref).limit(2)))
    if len(found) > 1:
        raise ValidationError(f"order_ref: {order_ref} exists on several channels; give the parcel explicitly", field="order_ref")
    return found[0] if found else None


def sales_orders_by_id(s: Session, org_id: int, order_ids: set[int]) -> dict[int, Any]:
    """The organisation's ``xborder.sales`` orders with these ids, in one query ({} without the package)."""
    model = _sales_model()
    if model is None or not order_ids:
        return {}
    return {o.id: o for o in s.scalars(select(model).where(model.org_id == org_id, model.id.in_(sorted(order_ids))))}


def request_data_for_order(s: Session, org_id: int, order_ref: str) -> dict[str, Any] | None:
    """Rate-request JSON for a stored sales order, or None when there is no such order."""
    order = find_sales_order(s, org_id, order_ref)
    if order is None:
        return None
    resolve = None
    try:
        svc = importlib.import_module("xborder.sales.service")
        resolver = svc.SkuResolver(s, org_id)
        resolve = resolver.resolve
    except (ImportError, AttributeError):
        resolve = None
    items: list[dict[str, Any]] = []
    value = Decimal(0)
    for ln in order.lines:
        local = resolve(order.channel, getattr(order, "market", None), ln.platform_sku, getattr(ln, "listing_ref", None)) if resolve else None
        qty = Decimal(ln.quantity)
        if qty != qty.to_integral_value() or qty < 1:
            raise ValidationError(f"order {order_ref}: line {ln.line_ref} has quantity {qty}", field="order_ref")
        items.append({"sku": local or ln.platform_sku, "quantity": int(qty)})
        value += ln.item_price or Decimal(0)  # the line's price (all units)
    dest = _country(getattr(order, "ship_country", None))
    if dest is None:
        raise ValidationError(f"order {order_ref}: no destination country on the order; give it explicitly", field="destination")
    data: dict[str, Any] = {"destination": dest, "items": items}
    if getattr(order, "ship_postcode", None):
        data["postcode"] = order.ship_postcode  # zones and remote-area surcharges go by postcode
    if value > 0 and order.currency:
        data["value"], data["currency"] = str(value), order.currency
    return data


def recipient_for_order(s: Session, org_id: int, order_ref: str) -> tuple[str, str]:
    """The stored order's recipient name and address lines ("" when unknown or no such order)."""
    try:
        order = find_sales_order(s, org_id, order_ref)
    except ValidationError:
        return "", ""
    if order is None:
        return "", ""
    return getattr(order, "ship_name", None) or "", getattr(order, "ship_address", None) or ""


# order statuses that need no shipment from us: cancelled or refunded, or already shipped or
# delivered by the marketplace's own flow (Amazon "Shipped", WooCommerce "completed"...)
DONE_STATUSES = ("cancel", "refund", "void", "shipped", "deliver", "complete", "returned")


def unshipped_orders(s: Session, org_id: int, since: datetime | None, shipped_ids: set[int], shipped_refs: set[str],
                     *, with_lines: bool = True) -> list[Any]:
    """Merchant-fulfilled sales orders purchased since ``since`` (all when None) that are not
    cancelled, refunded or already shipped, and have no shipment here (``shipped_ids`` /
    ``shipped_refs``: the linked order ids and references of the organisation's shipments);
    oldest first: the most urgent at the top."""
    model = _sales_model()
    if model is None or not hasattr(model, "fulfillment"):
        return []
    from xborder.sales.model import CHANNEL_SHIPPED  # the sales package is there: its model is too

    q = select(model).where(model.org_id == org_id, func.lower(func.coalesce(model.fulfillment, "")).in_(("merchant", "fbm")))
    if since is not None:
        q = q.where(model.purchased_at >= since)
    out = []
    if with_lines and hasattr(model, "lines"):
        q = q.options(selectinload(model.lines))
    for o in s.scalars(q.order_by(model.purchased_at, model.id)):
        status = (o.status or "").lower()
        channel = (getattr(o, "channel_fulfilment", None) or "").lower()
        if any(w in status for w in DONE_STATUSES) or channel in CHANNEL_SHIPPED or o.id in shipped_ids \
                or o.order_ref in shipped_refs:
            continue
        out.append(o)
    return out

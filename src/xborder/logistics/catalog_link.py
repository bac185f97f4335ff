"""Packing an order's catalog SKUs into one parcel (optional link to ``xborder.catalog``).

Weights add (SKU ``weight_g`` × quantity); the box keeps the largest longest and second sides
and stacks the third sides (same approximation as batch consolidation). Contents flags are the
union of the SKUs' battery / liquid / magnet / powder flags.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.errors import ValidationError
from xborder.logistics.pricing import Parcel
from xborder.logistics.ratecard import CONTENT_FLAGS


def _sku_model() -> Any:
    try:
        return importlib.import_module("xborder.catalog.orm").Sku
    except (ImportError, AttributeError):
        raise ValidationError("items: packing by SKU needs the catalog package; give parcel dimensions instead", field="items") from None


def parcel_for_items(s: Session, org_id: int, items: Sequence[dict[str, Any]]) -> tuple[Parcel, tuple[str, ...]]:
    """``items`` = [{"sku": "MUG-1", "quantity": 2}, ...] -> (parcel, contents flags)."""
    Sku = _sku_model()
    if not items:
        raise ValidationError("items: list at least one SKU", field="items")
    codes = [str(i.get("sku") or "").strip() for i in items]
    found = {k.sku: k for k in s.scalars(select(Sku).where(Sku.org_id == org_id, Sku.sku.in_(codes)))}
    weight = Decimal(0)
    long_ = second = third = Decimal(0)
    flags: set[str] = set()
    for n, (code, item) in enumerate(zip(codes, items, strict=True)):
        sku = found.get(code)
        if sku is None:
            raise ValidationError(f"items[{n}].sku: unknown SKU {code!r}", field=f"items[{n}].sku")
        qty = item.get("quantity", 1)
        if isinstance(qty, bool) or not str(qty).isdigit() or int(qty) < 1:
            raise ValidationError(f"items[{n}].quantity: expected a whole number >= 1", field=f"items[{n}].quantity")
        qty = int(qty)
        if sku.weight_g is None or None in (sku.length_cm, sku.width_cm, sku.height_cm):
            raise ValidationError(f"items[{n}].sku: {code} has no weight or dimensions in the catalog", field=f"items[{n}].sku")
        weight += Decimal(sku.weight_g) * qty / 1000
        a, b, c = sorted((Decimal(sku.length_cm), Decimal(sku.width_cm), Decimal(sku.height_cm)), reverse=True)
        long_, second = max(long_, a), max(second, b)
        third += c * qty
        flags |= _flags_of(sku)
    return Parcel(weight, long_, second, third), tuple(sorted(flags))


def _flags_of(sku: Any) -> set[str]:
    return {f for f in CONTENT_FLAGS if getattr(sku, f, False)}


def content_flags(s: Session, org_id: int, items: Sequence[dict[str, Any]]) -> tuple[str, ...]:
    """The contents flags of the catalog SKUs among ``items`` (unknown SKUs skipped; none
    without the catalog package) — for a parcel measured by hand."""
    try:
        sku_model = _sku_model()
    except ValidationError:
        return ()
    codes = [str(i.get("sku") or "").strip() for i in items if isinstance(i, dict)]
    flags: set[str] = set()
    for sku in s.scalars(select(sku_model).where(sku_model.org_id == org_id, sku_model.sku.in_(codes))):
        flags |= _flags_of(sku)
    return tuple(sorted(flags))

"""Packing an order's catalog SKUs into one parcel (optional link to ``xborder.catalog``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from xborder.errors import ValidationError
from xborder.logistics.pricing import Parcel


def parcel_for_items(s: Session, org_id: int, items: Sequence[dict[str, Any]]) -> Parcel:
    raise ValidationError("items: packing by SKU needs the catalog package; give parcel dimensions instead", field="items")

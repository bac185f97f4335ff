"""Read-only bridge to the catalog package (guarded: listings works without it).

* catalog listing titles (paired to a SKU) are checked on their own channel; each active SKU's
  English name is checked as a title on every requested marketplace;
* a SKU's attributes feed drafts (name, brand, material, size, weight, battery);
* the SKU's catalog category and its battery flag feed compliance. The catalog has one
  ``battery`` flag: it is read as "contains a lithium battery" (nearly always the case for the
  small electronics these sellers ship), and a SKU profile can switch ``lithium_battery`` off.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

# catalog category -> listings template / compliance category
CATEGORY_MAP = {
    "phone_accessories": "phone_accessory", "led_lighting": "lighting", "sportswear": "apparel", "kitchen": "kitchen",
    "toys": "toy", "home": "home_decor", "beauty": "generic", "electronics": "electronics", "apparel": "apparel", "other": "generic",
}
TEMPLATE_MAP = {"lighting": "electronics", "toy": "toy", "home_decor": "generic"}
_CJK = re.compile(r"[\u3400-\u9fff]")


def _catalog():
    try:
        from xborder.catalog.orm import Listing, Sku
    except ImportError:
        return None
    return Listing, Sku


def _sku(s: Session, principal: Any, code: str):
    cat = _catalog()
    if cat is None:
        return None
    _, Sku = cat
    return s.scalar(select(Sku).where(Sku.org_id == principal.org_id, Sku.sku == code))


def listings(s: Session, principal: Any) -> list[tuple[str, str | None, dict[str, Any]]]:
    from xborder.listings.rulebook import catalogue

    cat = _catalog()
    if cat is None:
        return []
    Listing, Sku = cat
    known = catalogue()
    out: list[tuple[str, str | None, dict[str, Any]]] = []
    for sku in s.scalars(select(Sku).where(Sku.org_id == principal.org_id, Sku.active.is_(True)).order_by(Sku.sku)):
        if sku.name_en:
            out.append((sku.sku, None, {"title": sku.name_en, "brand": sku.brand or ""}))
    q = select(Listing, Sku).join(Sku, Listing.sku_id == Sku.id).where(Listing.org_id == principal.org_id).order_by(Sku.sku, Listing.id)
    for lst, sku in s.execute(q):
        if lst.title and lst.channel in known:
            out.append((sku.sku, known[lst.channel].id, {"title": lst.title, "brand": sku.brand or ""}))
    return out


def sku_codes(s: Session, principal: Any) -> list[str]:
    cat = _catalog()
    if cat is None:
        return []
    _, Sku = cat
    return list(s.scalars(select(Sku.sku).where(Sku.org_id == principal.org_id, Sku.active.is_(True)).order_by(Sku.sku)))


def attributes(s: Session, principal: Any, sku_code: str) -> dict[str, Any]:
    sku = _sku(s, principal, sku_code)
    if sku is None:
        return {}
    out: dict[str, Any] = {}
    if sku.brand:
        out["brand"] = sku.brand
    if sku.name_en:
        out["product_type"] = sku.name_en
    elif sku.name_zh:
        out["product_type_zh"] = sku.name_zh
    if sku.material:
        out["material_zh" if _CJK.search(sku.material) else "material"] = sku.material
    dims = [sku.length_cm, sku.width_cm, sku.height_cm]
    if all(d is not None for d in dims):
        out["dimensions_cm"] = [str(d.normalize()) for d in dims]  # type: ignore[union-attr]
    if sku.weight_g is not None:
        out["weight_g"] = str(sku.weight_g.normalize())
    comp = CATEGORY_MAP.get(sku.category or "other", "generic")
    out["category"] = TEMPLATE_MAP.get(comp, comp)
    if sku.battery:
        out["battery"] = True
        out["lithium_battery"] = True
    return out


def compliance_flags(s: Session, principal: Any, sku_code: str) -> dict[str, Any]:
    sku = _sku(s, principal, sku_code)
    if sku is None:
        return {}
    flags = {"battery", "lithium_battery"} if sku.battery else set()
    return {"category": CATEGORY_MAP.get(sku.category or "other", "generic"), "flags": sorted(flags)}


def sku_exists(s: Session, principal: Any, sku_code: str) -> bool:
    return _sku(s, principal, sku_code) is not None

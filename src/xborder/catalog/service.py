"""Catalog use cases: SKUs, products, listings; import and export. Every query is scoped to
the principal's organisation. Nothing here commits: the caller's unit of work does."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.catalog.model import (
    SKU_FIELDS,
    ListingInput,
    SkuInput,
    listing_errors,
    parse_listing_input,
    parse_sku_input,
    sku_errors,
)
from xborder.catalog.orm import Listing, Product, Sku
from xborder.db import too_long
from xborder.errors import Conflict, NotFound, ValidationError
from xborder.importing import ImportResult, RowErrors, find_batch, read_table, record_batch

# --- SKUs --------------------------------------------------------------------------------


def get_sku(s: Session, principal: Principal, sku_id: int) -> Sku:
    row = s.scalar(select(Sku).where(Sku.id == sku_id, Sku.org_id == principal.org_id))
    if row is None:
        raise NotFound(f"SKU {sku_id} not found")
    return row


def get_sku_by_code(s: Session, org_id: int, code: str) -> Sku | None:
    return s.scalar(select(Sku).where(Sku.org_id == org_id, Sku.sku == code))


def _product_for(s: Session, org_id: int, data: SkuInput) -> Product | None:
    code = data.product.strip()
    if not code:
        return None
    p = s.scalar(select(Product).where(Product.org_id == org_id, Product.code == code))
    if p is None:
        p = Product(org_id=org_id, code=code, name_en=data.name_en, name_zh=data.name_zh, category=data.category)
        s.add(p)
        s.flush()
    return p


def _apply(sku: Sku, data: SkuInput) -> None:
    for name in SKU_FIELDS:
        if name in ("sku", "product"):
            continue
        setattr(sku, name, getattr(data, name))


def _differs(sku: Sku, data: SkuInput) -> bool:
    for name in SKU_FIELDS:
        if name == "sku":
            continue
        if name == "product":
            current = sku.product.code if sku.product else ""
            if current != data.product:
                return True
            continue
        a, b = getattr(sku, name), getattr(data, name)
        if isinstance(a, Decimal) or isinstance(b, Decimal):
            if (a is None) != (b is None) or (a is not None and b is not None and Decimal(a) != Decimal(b)):
                return True
        elif (a or None) != (b or None):
            return True
    return False


def create_sku(s: Session, principal: Principal, data: dict[str, Any] | SkuInput) -> Sku:
    principal.require("catalog")
    inp = data if isinstance(data, SkuInput) else parse_sku_input(data)
    if get_sku_by_code(s, principal.org_id, inp.sku):
        raise Conflict(f"sku: {inp.sku} exists already", field="sku")
    sku = Sku(org_id=principal.org_id, sku=inp.sku)
    _apply(sku, inp)
    sku.product = _product_for(s, principal.org_id, inp)
    s.add(sku)
    s.flush()
    return sku


def update_sku(s: Session, principal: Principal, sku_id: int, data: dict[str, Any]) -> Sku:
    principal.require("catalog")
    sku = get_sku(s, principal, sku_id)
    inp = parse_sku_input(data)
    if inp.sku != sku.sku:
        if get_sku_by_code(s, principal.org_id, inp.sku):
            raise Conflict(f"sku: {inp.sku} exists already", field="sku")
        sku.sku = inp.sku
    _apply(sku, inp)
    sku.product = _product_for(s, principal.org_id, inp)
    s.flush()
    return sku


def delete_sku(s: Session, principal: Principal, sku_id: int) -> None:
    """Delete a SKU; refused (Conflict, nothing changed) while records that must keep it refer to
    it (e.g. purchase order lines); listings are unpaired, price lists and stock counts go with it."""
    principal.require("catalog")
    sku = get_sku(s, principal, sku_id)
    used = blocking_references(s, Sku.__table__, sku.id)
    if used:
        where = ", ".join(f"{n} {name}" for name, n in used)
        raise Conflict(f"sku: {sku.sku} is used by {where}; it cannot be deleted (keep it, or change those first)",
                       field="sku")
    s.delete(sku)
    s.flush()


def blocking_references(s: Session, table: Any, row_id: int) -> list[tuple[str, int]]:
    """Rows of other tables whose foreign key to ``table`` forbids deleting ``row_id`` (no ON
    DELETE CASCADE / SET NULL), as (table name in words, count), found from the mapped metadata."""
    out = []
    for other in table.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is table and (fk.ondelete or "").upper() not in ("CASCADE", "SET NULL"):
                n = s.scalar(select(func.count()).select_from(other).where(fk.parent == row_id)) or 0
                if n:
                    out.append((other.name.replace("_", " "), n))
    return out


SORTABLE = {"sku": Sku.sku, "name_en": Sku.name_en, "name_zh": Sku.name_zh, "weight_g": Sku.weight_g,
            "hs_code": Sku.hs_code, "purchase_cost": Sku.purchase_cost, "category": Sku.category,
            "updated_at": Sku.updated_at}


@dataclass
class Page:
    items: list[Any]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def list_skus(
    s: Session,
    principal: Principal,
    *,
    q: str = "",
    category: str = "",
    flag: str = "",
    missing_hs: bool = False,
    sort: str = "sku",
    direction: str = "asc",
    page: int = 1,
    per_page: int = 50,
) -> Page:
    stmt = select(Sku).where(Sku.org_id == principal.org_id)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(or_(Sku.sku.ilike(like), Sku.name_en.ilike(like), Sku.name_zh.like(like), Sku.hs_code.like(like),
                              Sku.brand.ilike(like), Sku.barcode.like(like)))
    if category:
        stmt = stmt.where(Sku.category == category)
    if flag in ("battery", "liquid", "magnet", "powder"):
        stmt = stmt.where(getattr(Sku, flag).is_(True))
    if missing_hs:
        stmt = stmt.where(or_(Sku.hs_code.is_(None), Sku.hs_code == ""))
    total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    col = SORTABLE.get(sort, Sku.sku)
    order = col.desc() if direction == "desc" else col.asc()
    per_page = max(1, min(per_page, 500))
    page = max(1, page)
    items = list(s.scalars(stmt.order_by(order, Sku.id).offset((page - 1) * per_page).limit(per_page)))
    return Page(items, total, page, per_page)


def all_skus(s: Session, org_id: int) -> list[Sku]:
    return list(s.scalars(select(Sku).where(Sku.org_id == org_id).order_by(Sku.sku)))


# --- listings ----------------------------------------------------------------------------


def get_listing(s: Session, principal: Principal, listing_id: int) -> Listing:
    row = s.scalar(select(Listing).where(Listing.id == listing_id, Listing.org_id == principal.org_id))
    if row is None:
        raise NotFound(f"listing {listing_id} not found")
    return row


def upsert_listing(s: Session, principal: Principal, data: dict[str, Any] | ListingInput) -> tuple[Listing, str]:
    """Create or update a listing by (channel, listing_id, seller_sku). Returns (listing, created|updated|unchanged)."""
    principal.require("catalog")
    inp = data if isinstance(data, ListingInput) else parse_listing_input(data)
    sku_id = None
    if inp.sku:
        sku = get_sku_by_code(s, principal.org_id, inp.sku)
        if sku is None:
            raise ValidationError(f"sku: no SKU {inp.sku!r} in the catalog", field="sku")
        sku_id = sku.id
    row = s.scalar(select(Listing).where(Listing.org_id == principal.org_id, Listing.channel == inp.channel,
                                         Listing.listing_id == inp.listing_id, Listing.seller_sku == inp.seller_sku))
    if row is None:
        row = Listing(org_id=principal.org_id, channel=inp.channel, listing_id=inp.listing_id, seller_sku=inp.seller_sku,
                      title=inp.title, sku_id=sku_id, price=inp.price, currency=inp.currency)
        s.add(row)
        s.flush()
        return row, "created"
    changed = (row.title, row.sku_id, row.price, row.currency) != (inp.title, sku_id, inp.price, inp.currency)
    row.title, row.sku_id, row.price, row.currency = inp.title, sku_id, inp.price, inp.currency
    s.flush()
    return row, "updated" if changed else "unchanged"


def pair_listing(s: Session, principal: Principal, listing_id: int, sku_id: int | None) -> Listing:
    principal.require("catalog")
    row = get_listing(s, principal, listing_id)
    if sku_id is not None:
        get_sku(s, principal, sku_id)  # same organisation only
    row.sku_id = sku_id
    s.flush()
    return row


def delete_listing(s: Session, principal: Principal, listing_id: int) -> None:
    principal.require("catalog")
    s.delete(get_listing(s, principal, listing_id))
    s.flush()


def list_listings(s: Session, principal: Principal, *, unpaired: bool = False, channel: str = "", q: str = "") -> list[Listing]:
    stmt = select(Listing).where(Listing.org_id == principal.org_id)
    if unpaired:
        stmt = stmt.where(Listing.sku_id.is_(None))
    if channel:
        stmt = stmt.where(Listing.channel == channel)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Listing.listing_id.ilike(like), Listing.seller_sku.ilike(like), Listing.title.ilike(like)))
    return list(s.scalars(stmt.order_by(Listing.channel, Listing.listing_id, Listing.seller_sku)))


def find_listing_sku(s: Session, org_id: int, channel: str, listing_id: str = "", seller_sku: str = "") -> Sku | None:
    """The SKU a marketplace line belongs to: a paired listing, else a SKU whose code equals the
    seller SKU (the usual convention). Used by order importers."""
    conds = []
    if listing_id:
        conds.append(Listing.listing_id == listing_id)
    if seller_sku:
        conds.append(Listing.seller_sku == seller_sku)
    if conds:
        row = s.scalar(select(Listing).where(Listing.org_id == org_id, Listing.channel == channel, or_(*conds),
                                             Listing.sku_id.is_not(None)).limit(1))
        if row is not None:
            return row.sku
    if seller_sku:
        return get_sku_by_code(s, org_id, seller_sku)
    return None


# --- import / export ---------------------------------------------------------------------

EXPORT_COLUMNS = ["sku", "product", "name_en", "name_zh", "description", "brand", "material", "category", "weight_g",
                  "length_cm", "width_cm", "height_cm", "origin", "hs_code", "hs_version", "hs_code_cn", "hs_code_us",
                  "hs_code_eu", "hs_code_gb", "battery", "liquid", "magnet",
                  "powder", "purchase_cost", "purchase_currency", "supplier", "barcode", "rebate_rate"]
REQUIRED_COLUMNS = ["sku"]
HEADER_ALIASES = {
    "sku": "sku", "seller_sku": "sku", "货号": "sku", "sku编码": "sku",
    "name": "name_en", "english name": "name_en", "英文名称": "name_en", "中文名称": "name_zh", "品名": "name_zh",
    "weight": "weight_g", "weight (g)": "weight_g", "重量(g)": "weight_g", "hs": "hs_code", "海关编码": "hs_code",
    "country of origin": "origin", "原产国": "origin", "cost": "purchase_cost", "采购价": "purchase_cost",
    "ean": "barcode", "upc": "barcode", "供应商": "supplier",
    "商品编码": "hs_code_cn", "hts": "hs_code_us", "hts code": "hs_code_us", "cn code": "hs_code_eu", "taric": "hs_code_eu",
    "commodity code": "hs_code_gb",
}


def _canon(header: str) -> str:
    h = header.strip()
    return HEADER_ALIASES.get(h.lower(), HEADER_ALIASES.get(h, h.lower()))


def import_catalog(s: Session, principal: Principal, data: bytes, filename: str = "catalog.csv") -> ImportResult:
    """Import SKUs from CSV/XLSX (columns as :data:`EXPORT_COLUMNS`; ``sku`` required).

    The whole file is validated first; any bad row rejects the file (nothing written). Rows
    equal to the stored SKU are counted as skipped duplicates, changed ones are updated."""
    principal.require("catalog")
    table = read_table(data, filename=filename)
    errors = RowErrors()
    mapping = {h: _canon(h) for h in table.headers}
    known = set(EXPORT_COLUMNS)
    if "sku" not in mapping.values():
        errors.add(1, "sku", "required column is missing")
    for h, c in mapping.items():
        if c not in known and h:
            errors.add(1, h, f"unknown column (expected some of: {', '.join(EXPORT_COLUMNS)})")
    errors.raise_if_any("catalog file")
    parsed: list[tuple[int, SkuInput]] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        values = {mapping[k]: v for k, v in row.values.items() if k in mapping}
        errs = sku_errors(values)
        for fname, msg in errs.items():
            errors.add(row.line, fname, msg.split(": ", 1)[-1] if ": " in msg else msg)
        for fname, msg in too_long(Sku, {k: str(v).strip() for k, v in values.items()}):
            errors.add(row.line, fname, msg)
        code = str(values.get("sku", "")).strip()
        if code in seen:
            errors.add(row.line, "sku", f"duplicate of line {seen[code]} in this file")
        elif code:
            seen[code] = row.line
        if not errs:
            parsed.append((row.line, parse_sku_input(values)))
    errors.raise_if_any("catalog file")
    result = ImportResult()
    already = find_batch(s, principal.org_id, "catalog", table.sha256)
    existing = {k.sku: k for k in s.scalars(select(Sku).where(Sku.org_id == principal.org_id, Sku.sku.in_(list(seen))))}
    for _line, inp in parsed:
        sku = existing.get(inp.sku)
        if sku is None:
            create_sku(s, principal, inp)
            result.imported += 1
        elif _differs(sku, inp):
            _apply(sku, inp)
            sku.product = _product_for(s, principal.org_id, inp)
            result.updated += 1
        else:
            result.skipped_duplicates += 1
    if already is None:
        record_batch(s, principal.org_id, "catalog", filename, table.sha256, result, len(table.rows))
    s.flush()
    return result


LISTING_COLUMNS = ["channel", "listing_id", "seller_sku", "title", "sku", "price", "currency"]


def import_listings(s: Session, principal: Principal, data: bytes, filename: str = "listings.csv") -> ImportResult:
    principal.require("catalog")
    table = read_table(data, filename=filename)
    errors = RowErrors()
    for c in ("channel",):
        if c not in table.headers:
            errors.add(1, c, "required column is missing")
    errors.raise_if_any("listings file")
    codes = {k.sku for k in s.scalars(select(Sku).where(Sku.org_id == principal.org_id))}
    parsed = []
    for row in table.rows:
        errs = listing_errors(row.values)
        for fname, msg in errs.items():
            errors.add(row.line, fname, msg.split(": ", 1)[-1])
        sku = row.get("sku").strip()
        if sku and sku not in codes:
            errors.add(row.line, "sku", f"no SKU {sku!r} in the catalog")
        if not errs:
            parsed.append(parse_listing_input(row.values))
    errors.raise_if_any("listings file")
    result = ImportResult()
    for inp in parsed:
        _row, status = upsert_listing(s, principal, inp)
        if status == "created":
            result.imported += 1
        elif status == "updated":
            result.updated += 1
        else:
            result.skipped_duplicates += 1
    return result


def _export_value(sku: Sku, col: str) -> Any:
    if col == "product":
        return sku.product.code if sku.product else ""
    v = getattr(sku, col)
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, Decimal):
        return format(v.normalize(), "f") if v == v.to_integral() else format(v.normalize(), "f")
    return "" if v is None else v


def export_rows(s: Session, principal: Principal) -> list[list[Any]]:
    return [[_export_value(k, c) for c in EXPORT_COLUMNS] for k in all_skus(s, principal.org_id)]


def export_csv(s: Session, principal: Principal) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(EXPORT_COLUMNS)
    w.writerows(export_rows(s, principal))
    return buf.getvalue().encode("utf-8-sig")  # BOM so Excel opens Chinese text correctly


def export_xlsx(s: Session, principal: Principal) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "catalog"
    ws.append(EXPORT_COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in export_rows(s, principal):
        ws.append([str(v) if isinstance(v, (int,)) and not isinstance(v, bool) else v for v in row])
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJKLMNOPQRSTUVWX", [16, 12, 36, 24, 40, 12, 14, 16], strict=False):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sku_to_dict(sku: Sku) -> dict[str, Any]:
    d = {c: _export_value(sku, c) for c in EXPORT_COLUMNS}
    for flag in ("battery", "liquid", "magnet", "powder"):
        d[flag] = bool(getattr(sku, flag))
    for num in ("weight_g", "length_cm", "width_cm", "height_cm", "purchase_cost", "rebate_rate"):
        v = getattr(sku, num)
        d[num] = None if v is None else format(v.normalize(), "f")
    d["id"] = sku.id
    for code in ("hs_code", "hs_code_cn", "hs_code_us", "hs_code_eu", "hs_code_gb", "barcode"):
        d[code] = getattr(sku, code)
    d["listings"] = [{"channel": li.channel, "listing_id": li.listing_id, "seller_sku": li.seller_sku} for li in sku.listings]
    return d


def stats(s: Session, org_id: int) -> dict[str, int]:
    total = s.scalar(select(func.count()).select_from(Sku).where(Sku.org_id == org_id)) or 0
    missing_hs = s.scalar(select(func.count()).select_from(Sku).where(Sku.org_id == org_id,
                                                                      or_(Sku.hs_code.is_(None), Sku.hs_code == ""))) or 0
    unpaired = s.scalar(select(func.count()).select_from(Listing).where(Listing.org_id == org_id, Listing.sku_id.is_(None))) or 0
    listings = s.scalar(select(func.count()).select_from(Listing).where(Listing.org_id == org_id)) or 0
    return {"skus": total, "missing_hs": missing_hs, "unpaired_listings": unpaired, "listings": listings}


__all__ = ["asdict"]

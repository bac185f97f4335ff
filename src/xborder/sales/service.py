"""Use cases: import orders (validated whole, idempotent), list orders, pair listings to SKUs,
saved column mappings."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.db import too_long
from xborder.errors import ImportRejected, NotFound, ValidationError
from xborder.sales import importers
from xborder.sales.model import CHANNEL_SHIPPED, OrderRecord, ParsedOrders, RowError
from xborder.sales.orm import ImportMapping, SalesOrder, SalesOrderLine
from xborder.tabular import Table


@dataclass
class ImportOutcome:
    imported: int
    skipped_duplicates: int
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    encoding: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"imported": self.imported, "skipped_duplicates": self.skipped_duplicates, "errors": self.errors}


def chunks(items: list[Any], n: int = 500) -> Iterable[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


# --- mappings -----------------------------------------------------------------------------

def presets(kind: str) -> dict[str, dict[str, Any]]:
    if kind == "payouts":
        from xborder.payments.importers.mapped import PRESETS

        return PRESETS
    return {}


def get_mapping(s: Session, principal: Principal, kind: str, name: str) -> dict[str, Any]:
    row = s.scalar(select(ImportMapping).where(ImportMapping.org_id == principal.org_id, ImportMapping.kind == kind,
                                               ImportMapping.name == name))
    if row is not None:
        spec = json.loads(row.spec)
        spec.setdefault("name", name)
        return spec
    if name in presets(kind):
        return {"name": name, **presets(kind)[name]}
    raise ValidationError(f"mapping: no {kind} mapping named {name!r} (known: "
                          f"{', '.join(m for m in list_mappings(s, principal, kind)) or 'none'})", field="mapping")


def list_mappings(s: Session, principal: Principal, kind: str) -> list[str]:
    saved = s.scalars(select(ImportMapping.name).where(ImportMapping.org_id == principal.org_id,
                                                       ImportMapping.kind == kind)).all()
    return sorted(set(saved) | set(presets(kind)))


def save_mapping(s: Session, principal: Principal, kind: str, name: str, spec: dict[str, Any]) -> None:
    principal.require("operations" if kind == "orders" else "finance")
    if kind not in ("orders", "payouts"):
        raise ValidationError("kind: orders or payouts", field="kind")
    if not name or len(name) > 64:
        raise ValidationError("name: 1 to 64 characters", field="name")
    if kind == "orders":
        from xborder.sales.importers.mapped import validate_mapping
    else:
        from xborder.payments.importers.mapped import validate_mapping
    problems = validate_mapping(spec)
    if problems:
        raise ValidationError("; ".join(problems), field="mapping")
    row = s.scalar(select(ImportMapping).where(ImportMapping.org_id == principal.org_id, ImportMapping.kind == kind,
                                               ImportMapping.name == name))
    text = json.dumps({k: v for k, v in spec.items() if k != "name"}, ensure_ascii=False, sort_keys=True)
    if row is None:
        s.add(ImportMapping(org_id=principal.org_id, kind=kind, name=name, spec=text))
    else:
        row.spec = text
    s.flush()


# --- import -------------------------------------------------------------------------------

def catalog_channel(channel: str, market: str | None) -> str:
    """The catalog's channel name for an order's channel and market (``amazon`` + ``GB`` -> ``amazon-uk``).

    >>> catalog_channel("amazon", "GB"), catalog_channel("amazon", "US"), catalog_channel("shopify", "DE")
    ('amazon-uk', 'amazon-us', 'shopify')
    """
    if channel == "amazon":
        m = (market or "us").lower()
        return "amazon-" + {"gb": "uk"}.get(m, m)
    return channel if channel in ("shopify", "ebay", "etsy", "temu", "woocommerce", "aliexpress", "walmart") else "own_store"


class SkuResolver:
    """Which local SKU a marketplace line belongs to: a paired catalog listing (by listing id or
    seller SKU, 商品配对), else a catalog SKU whose code equals the seller SKU."""

    def __init__(self, s: Session, org_id: int):
        from xborder.catalog.orm import Listing, Sku

        self.codes = dict(s.execute(select(Sku.id, Sku.sku).where(Sku.org_id == org_id)).all())
        self.by_code = set(self.codes.values())
        self.by_listing: dict[tuple[str, str], str] = {}
        self.by_seller: dict[tuple[str, str], str] = {}
        self.known: set[tuple[str, str, str]] = set()
        for ch, lid, ssku, sku_id in s.execute(select(Listing.channel, Listing.listing_id, Listing.seller_sku,
                                                      Listing.sku_id).where(Listing.org_id == org_id)):
            self.known.add((ch, lid, ssku))
            if sku_id is None or sku_id not in self.codes:
                continue
            if lid:
                self.by_listing[(ch, lid)] = self.codes[sku_id]
            if ssku:
                self.by_seller[(ch, ssku)] = self.codes[sku_id]

    def resolve(self, channel: str, market: str | None, platform_sku: str, listing_ref: str | None) -> str | None:
        ch = catalog_channel(channel, market)
        if listing_ref and (ch, listing_ref) in self.by_listing:
            return self.by_listing[(ch, listing_ref)]
        if (ch, platform_sku) in self.by_seller:
            return self.by_seller[(ch, platform_sku)]
        return platform_sku if platform_sku in self.by_code else None


def _register_listings(s: Session, org_id: int, orders: list[OrderRecord], resolver: SkuResolver) -> int:
    """Unknown listings seen in orders go to the catalog as unpaired listings (the pairing queue)."""
    from xborder.catalog.orm import Listing

    added = 0
    for o in orders:
        ch = catalog_channel(o.channel, o.market)
        for ln in o.lines:
            if resolver.resolve(o.channel, o.market, ln.platform_sku, ln.listing_ref) is not None:
                continue
            key = (ch, (ln.listing_ref or "")[:100], ln.platform_sku[:100])
            if key in resolver.known:
                continue
            resolver.known.add(key)
            s.add(Listing(org_id=org_id, channel=ch, listing_id=key[1], seller_sku=key[2], title=(ln.title or "")[:500],
                          sku_id=None, price=None, currency=o.currency))
            added += 1
    return added


def parse_orders(s: Session, principal: Principal, fmt: str, data: bytes, mapping: str | None = None,
                 currency: str | None = None) -> ParsedOrders:
    spec = get_mapping(s, principal, "orders", mapping) if mapping else None
    if fmt == "mapped" and spec is None:
        raise ImportRejected("file rejected", [{"line": 0, "column": "mapping",
                                                "message": "--mapping NAME is required for --format mapped"}])
    return importers.parse(fmt, data, spec, currency=currency)


def record(s: Session, org_id: int, kind: str, filename: str, data: bytes, out: ImportOutcome) -> None:
    """The file's SHA-256 in ``import_batches`` (provenance of every import)."""
    import hashlib

    from xborder.importing import ImportResult, record_batch

    record_batch(s, org_id, kind, filename or "upload", hashlib.sha256(data).hexdigest(),
                 ImportResult(out.imported, out.skipped_duplicates), out.imported + out.skipped_duplicates)


def import_orders(s: Session, principal: Principal, fmt: str, data: bytes, *, mapping: str | None = None,
                  currency: str | None = None, progress: Callable[[str], None] | None = None,
                  filename: str = "") -> ImportOutcome:
    """Validate the whole file, then write new orders/lines; rows already stored are skipped.
    ``progress`` is told each stage (``validated``, ``written``).

    Raises :class:`ImportRejected` (nothing written) listing every bad line."""
    principal.require("operations")
    parsed = parse_orders(s, principal, fmt, data, mapping, currency)
    errors = sorted(parsed.errors + text_errors(parsed.orders), key=lambda e: e.line)
    if progress:
        progress("validated")
    if errors:
        raise ImportRejected(f"{fmt}: {len(errors)} error(s), nothing imported", [e.to_dict() for e in errors])
    out = store_orders(s, principal.org_id, parsed.orders, fmt, headers_count=(fmt == "etsy-orders"))
    record(s, principal.org_id, f"orders:{fmt}", filename, data, out)
    if progress:
        progress("written")
    out.encoding = parsed.encoding
    out.warnings = [w.to_dict() for w in parsed.warnings]
    return out


def text_errors(orders: list[OrderRecord]) -> list[RowError]:
    """An order id, SKU, listing id... longer than its column, by line (titles are shortened)."""
    errors = []
    for o in orders:
        errors += [RowError(o.source_line, key, msg) for key, msg in too_long(SalesOrder, o)]
        for ln in o.lines:
            errors += [RowError(ln.source_line or o.source_line, key, msg)
                       for key, msg in too_long(SalesOrderLine, ln, skip=("title",))]
    return errors


def store_orders(s: Session, org_id: int, orders: list[OrderRecord], fmt: str, *, headers_count: bool = False) -> ImportOutcome:
    imported = skipped = 0
    existing: dict[tuple[str, str], SalesOrder] = {}
    by_channel: dict[str, list[str]] = {}
    for o in orders:
        by_channel.setdefault(o.channel, []).append(o.order_ref)
    for channel, refs in by_channel.items():
        for part in chunks(sorted(set(refs))):
            for row in s.scalars(select(SalesOrder).where(SalesOrder.org_id == org_id, SalesOrder.channel == channel,
                                                          SalesOrder.order_ref.in_(part))):
                existing[(channel, row.order_ref)] = row
    existing_lines: set[tuple[int, str]] = set()
    ids = [o.id for o in existing.values()]
    for part in chunks(ids):
        existing_lines.update(s.execute(select(SalesOrderLine.order_id, SalesOrderLine.line_ref)
                                        .where(SalesOrderLine.order_id.in_(part))).all())
    new_orders: list[tuple[SalesOrder, OrderRecord]] = []
    for o in orders:
        row = existing.get((o.channel, o.order_ref))
        if row is None:
            row = SalesOrder(org_id=org_id, channel=o.channel, order_ref=o.order_ref, market=o.market,
                             currency=o.currency, purchased_at=o.purchased_at, status=o.status,
                             fulfillment=o.fulfillment, ship_country=o.ship_country, order_total=o.order_total,
                             shipping_total=o.shipping_total, source_format=fmt, ship_name=o.ship_name,
                             ship_address=o.ship_address, ship_postcode=o.ship_postcode,
                             channel_fulfilment=o.channel_fulfilment)
            s.add(row)
            new_orders.append((row, o))
            existing[(o.channel, o.order_ref)] = row
            if headers_count:
                imported += 1
        else:
            # a second file may fill what the first lacked (Etsy orders + items), never overwrite
            for attr in ("market", "currency", "status", "fulfillment", "ship_country", "order_total", "shipping_total",
                         "ship_name", "ship_address", "ship_postcode"):
                if getattr(row, attr) is None and getattr(o, attr) is not None:
                    setattr(row, attr, getattr(o, attr))
            # the one field a later export may change: the marketplace shipped the order since (an
            # older file imported afterwards does not take a shipped order back)
            if o.channel_fulfilment is not None and row.channel_fulfilment != o.channel_fulfilment \
                    and (row.channel_fulfilment or "") not in CHANNEL_SHIPPED:
                row.channel_fulfilment = o.channel_fulfilment
            if headers_count:
                skipped += 1
    s.flush()
    line_rows: list[dict[str, Any]] = []
    for o in orders:
        row = existing[(o.channel, o.order_ref)]
        for ln in o.lines:
            if (row.id, ln.line_ref) in existing_lines:
                skipped += 1
                continue
            existing_lines.add((row.id, ln.line_ref))
            line_rows.append(dict(org_id=org_id, order_id=row.id, line_ref=ln.line_ref, platform_sku=ln.platform_sku,
                                  listing_ref=ln.listing_ref, title=(ln.title or "")[:300] or None,
                                  quantity=ln.quantity, item_price=ln.item_price, item_tax=ln.item_tax,
                                  shipping_price=ln.shipping_price, shipping_tax=ln.shipping_tax,
                                  discount=ln.discount))
            imported += 1
    for part in chunks(line_rows, 1000):
        s.execute(insert(SalesOrderLine), part)
    _register_listings(s, org_id, orders, SkuResolver(s, org_id))
    s.flush()
    return ImportOutcome(imported, skipped)


# --- queries ------------------------------------------------------------------------------

def _orders_query(principal: Principal, channel: str | None, q: str | None, market: str | None = None,
                  start: date | None = None, end: date | None = None,
                  ids: Collection[int] | None = None) -> Select[tuple[SalesOrder]]:
    """The organisation's orders of a channel and market, with ``q`` in the order number, placed
    from ``start`` to before ``end`` (days), among ``ids`` when given."""
    stmt = select(SalesOrder).where(SalesOrder.org_id == principal.org_id)
    if channel:
        stmt = stmt.where(SalesOrder.channel == channel)
    if q:
        stmt = stmt.where(SalesOrder.order_ref.contains(q))
    if market:
        stmt = stmt.where(SalesOrder.market == market.strip().upper())
    if start is not None:
        stmt = stmt.where(SalesOrder.purchased_at >= start)
    if end is not None:
        stmt = stmt.where(SalesOrder.purchased_at < end)
    if ids is not None:
        stmt = stmt.where(SalesOrder.id.in_(list(ids)))
    return stmt


BIG_ID_LIST = 5000  # past this many ids, a filter on them is applied here, not as SQL parameters


def _ids_newest_first(s: Session, principal: Principal, channel: str | None, q: str | None, ids: Collection[int],
                      filters: dict[str, Any]) -> list[int]:
    """The ``ids`` that the other filters keep, newest first (for an id list too long for one SQL
    statement's parameters: SQLite takes 32,766, PostgreSQL 65,535)."""
    keep = set(ids)
    stmt = _orders_query(principal, channel, q, **filters).with_only_columns(SalesOrder.id, SalesOrder.purchased_at)
    found = [(at, i) for i, at in s.execute(stmt) if i in keep]
    return [i for _at, i in sorted(found, reverse=True)]


def list_orders(s: Session, principal: Principal, *, channel: str | None = None, q: str | None = None,
                limit: int | None = 200, offset: int = 0, **filters: Any) -> list[SalesOrder]:
    """Newest first; ``filters``: ``market``, ``start``, ``end`` (days, the end excluded), ``ids``."""
    ids = filters.get("ids")
    if ids is not None and len(ids) > BIG_ID_LIST:
        rest = {k: v for k, v in filters.items() if k != "ids"}
        chosen = _ids_newest_first(s, principal, channel, q, ids, rest)
        chosen = chosen[offset:offset + limit] if limit is not None else chosen[offset:]
        by_id: dict[int, SalesOrder] = {}
        for i in range(0, len(chosen), 2000):
            by_id.update((o.id, o) for o in s.scalars(select(SalesOrder).where(SalesOrder.id.in_(chosen[i:i + 2000]))))
        return [by_id[i] for i in chosen]
    stmt = _orders_query(principal, channel, q, **filters).order_by(SalesOrder.purchased_at.desc(), SalesOrder.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    return list(s.scalars(stmt))


def count_orders(s: Session, principal: Principal, *, channel: str | None = None, q: str | None = None,
                 **filters: Any) -> int:
    """How many orders the same filter as :func:`list_orders` finds."""
    ids = filters.get("ids")
    if ids is not None and len(ids) > BIG_ID_LIST:
        rest = {k: v for k, v in filters.items() if k != "ids"}
        return len(_ids_newest_first(s, principal, channel, q, ids, rest))
    sub = _orders_query(principal, channel, q, **filters).with_only_columns(SalesOrder.id).subquery()
    return s.scalar(select(func.count()).select_from(sub)) or 0


def order_ids(s: Session, principal: Principal, *, channel: str | None = None, q: str | None = None,
              **filters: Any) -> list[int]:
    """The ids of the orders the filter finds (for a figure computed over them, then a filter on it)."""
    return list(s.scalars(_orders_query(principal, channel, q, **filters).with_only_columns(SalesOrder.id)))


MARGIN_FILTERS = ("", "negative")


def order_filters(*, market: str | None = None, start: Any = None, last: Any = None, margin: str | None = None,
                  names: tuple[str, str, str, str] = ("market", "from", "to", "margin")) -> dict[str, Any]:
    """The list filters beyond channel and number, checked: ``market`` (a country code), the first
    and last order days (``YYYY-MM-DD``, both included) and ``margin`` (``negative``: the orders
    that lose money); errors name the option as the caller calls it (``names``)."""
    from datetime import timedelta

    from xborder.importing import iso_date

    out: dict[str, Any] = {}
    m = (market or "").strip().upper()
    if m:
        if len(m) != 2 or not m.isalpha():
            raise ValidationError(f"{names[0]}: a two-letter country code (got {market!r})", field=names[0].lstrip("-"))
        out["market"] = m
    d0, d1 = iso_date(start, names[1]), iso_date(last, names[2])
    if d0 and d1 and d0 > d1:
        raise ValidationError(f"{names[1]}: {d0.isoformat()} is after {names[2]} {d1.isoformat()}", field=names[1].lstrip("-"))
    if d0:
        out["start"] = d0
    if d1:
        out["end"] = d1 + timedelta(days=1)
    kind = (margin or "").strip().lower()
    if kind not in MARGIN_FILTERS:
        raise ValidationError(f"{names[3]}: 'negative' or nothing (got {margin!r})", field=names[3].lstrip("-"))
    if kind:
        out["margin"] = kind
    return out


def margins_of(s: Session, principal: Principal, ids: Collection[int]) -> dict[int, Decimal] | None:
    """Order id → margin in CNY from the profit package (None without it)."""
    try:
        from xborder.profit.service import order_margins
    except ImportError:  # the profit package is optional
        return None
    return order_margins(s, principal, ids)


def _margin_filter(s: Session, principal: Principal, channel: str | None, q: str | None,
                   filters: dict[str, Any]) -> dict[int, Decimal] | None:
    """Applies ``margin`` of ``filters`` in place (``negative``: ``ids`` becomes the orders below
    zero) and returns the margins it worked out over every order the other filters find."""
    if filters.pop("margin", "") != "negative":
        return None
    every = order_ids(s, principal, channel=channel, q=q, **filters)
    margins = margins_of(s, principal, every)
    if margins is None:
        raise ValidationError("margin: the profit package is not installed", field="margin")
    filters["ids"] = [i for i in every if margins.get(i, Decimal(0)) < 0]
    return margins


def find_orders(s: Session, principal: Principal, *, channel: str | None = None, q: str | None = None,
                limit: int | None = 200, offset: int = 0, with_margins: bool = True,
                **filters: Any) -> tuple[list[SalesOrder], int, dict[int, Decimal] | None]:
    """(orders of the page, how many the filter finds, their margins): ``filters`` as
    :func:`order_filters` gives them; ``margin="negative"`` works the margins of every order the
    other filters find out first (the profit report over them), then keeps those below zero."""
    every = _margin_filter(s, principal, channel, q, filters)
    rows = list_orders(s, principal, channel=channel, q=q, limit=limit, offset=offset, **filters)
    total = count_orders(s, principal, channel=channel, q=q, **filters)
    margins = (every if every is not None else margins_of(s, principal, [o.id for o in rows])) if with_margins else None
    return rows, total, margins


def orders_page(s: Session, principal: Principal, *, channel: str | None = None, q: str | None = None,
                limit: int | None = 200, offset: int = 0, **filters: Any) -> dict[str, Any]:
    """``{"items", "total"}`` as the API and the CLI print them: each order as
    :func:`order_to_dict` gives it, with ``margin_cny`` (null for an order without profit lines)
    when the profit package is there."""
    rows, total, margins = find_orders(s, principal, channel=channel, q=q, limit=limit, offset=offset, **filters)
    resolver = SkuResolver(s, principal.org_id)
    items = []
    for o in rows:
        item = order_to_dict(o, resolver)
        if margins is not None:
            m = margins.get(o.id)
            item["margin_cny"] = format(m, "f") if m is not None else None
        items.append(item)
    return {"items": items, "total": total}


def orders_export(s: Session, principal: Principal, *, channel: str | None = None, q: str | None = None,
                  **filters: Any) -> Table:
    """Every order the filter finds as a table, with each order's margin (CNY) when the profit
    package is there."""
    margins = _margin_filter(s, principal, channel, q, filters)
    if margins is None:
        margins = margins_of(s, principal, order_ids(s, principal, channel=channel, q=q, **filters))
    return orders_table(s, principal, channel=channel, q=q, margins=margins, **filters)


def order_markets(s: Session, principal: Principal) -> list[str]:
    """The markets of the organisation's orders, for a filter."""
    return sorted(m for m in s.scalars(select(SalesOrder.market).where(SalesOrder.org_id == principal.org_id).distinct()) if m)


ORDER_COLUMNS = ["purchased_at", "channel", "market", "order_id", "status", "fulfillment", "ship_country", "currency",
                 "lines", "units", "order_total", "net_revenue", "skus"]


def orders_table(s: Session, principal: Principal, *, channel: str | None = None, q: str | None = None,
                 margins: dict[int, Decimal | None] | None = None, **filters: Any) -> Table:
    """Every order the filter finds (newest first) as a table for CSV/Excel: one row per order, the
    catalog SKUs its lines resolve to (unpaired listings show as ``?platform-sku``); with
    ``margins`` (order id → CNY, the profit package's) a last column ``margin_cny``."""
    resolver = SkuResolver(s, principal.org_id)
    rows = []
    for o in list_orders(s, principal, channel=channel, q=q, limit=None, **filters):
        skus = []
        for ln in o.lines:
            code = resolver.resolve(o.channel, o.market, ln.platform_sku, ln.listing_ref)
            skus.append(code if code else f"?{ln.platform_sku}")
        rows.append([o.purchased_at.replace(microsecond=0), o.channel, o.market or "", o.order_ref, o.status or "",
                     o.fulfillment or "", o.ship_country or "", o.currency or "", len(o.lines),
                     sum((ln.quantity for ln in o.lines), Decimal(0)), o.order_total,
                     order_net(o) if o.currency else None, " ".join(dict.fromkeys(skus))])
        if margins is not None:
            rows[-1].append(margins.get(o.id))
    return Table("orders", ORDER_COLUMNS + (["margin_cny"] if margins is not None else []), rows)


def get_order(s: Session, principal: Principal, order_id: int) -> SalesOrder:
    row = s.scalar(select(SalesOrder).where(SalesOrder.id == order_id, SalesOrder.org_id == principal.org_id))
    if row is None:
        raise NotFound(f"order {order_id} not found")
    return row


def unpaired_listings(s: Session, principal: Principal) -> list[dict[str, Any]]:
    """The queue of listings sold in orders but not paired to a local SKU, most sold first."""
    resolver = SkuResolver(s, principal.org_id)
    stmt = (select(SalesOrder.channel, SalesOrder.market, SalesOrderLine.platform_sku, SalesOrderLine.listing_ref,
                   func.max(SalesOrderLine.title), func.count(SalesOrderLine.id))
            .join(SalesOrder, SalesOrder.id == SalesOrderLine.order_id)
            .where(SalesOrderLine.org_id == principal.org_id)
            .group_by(SalesOrder.channel, SalesOrder.market, SalesOrderLine.platform_sku, SalesOrderLine.listing_ref))
    queue: dict[tuple[str, str, str], dict[str, Any]] = {}
    for ch, market, psku, lref, title, n in s.execute(stmt):
        if resolver.resolve(ch, market, psku, lref) is not None:
            continue
        cch = catalog_channel(ch, market)
        item = queue.setdefault((cch, lref or "", psku), {"channel": cch, "listing_id": lref or "", "seller_sku": psku,
                                                          "title": title, "lines": 0})
        item["lines"] += n
    return sorted(queue.values(), key=lambda d: (-d["lines"], d["channel"], d["seller_sku"]))


def pair_listing(s: Session, principal: Principal, channel: str, seller_sku: str, sku_code: str,
                 listing_id: str = "") -> None:
    """Pair a marketplace listing to a catalog SKU (stored as a catalog listing)."""
    from xborder.catalog import service as catalog
    from xborder.catalog.orm import Listing

    principal.require("catalog")
    if not sku_code.strip():
        raise ValidationError("sku: choose the SKU to pair with", field="sku")
    row = s.scalar(select(Listing).where(Listing.org_id == principal.org_id, Listing.channel == channel,
                                         Listing.listing_id == listing_id, Listing.seller_sku == seller_sku))
    catalog.upsert_listing(s, principal, {"channel": channel, "listing_id": listing_id, "seller_sku": seller_sku,
                                          "sku": sku_code.strip(), "title": row.title if row else "",
                                          "price": str(row.price) if row and row.price is not None else None,
                                          "currency": row.currency if row else None})


def order_net(order: SalesOrder) -> Decimal:
    return sum((ln.net_revenue for ln in order.lines), Decimal(0))


def _d(v: Decimal | None) -> str | None:
    return None if v is None else format(v.normalize(), "f") if v == v.to_integral_value() else format(v, "f")


def order_to_dict(o: SalesOrder, resolver: SkuResolver | None = None) -> dict[str, Any]:
    return {"id": o.id, "channel": o.channel, "order_id": o.order_ref, "market": o.market, "currency": o.currency,
            "purchased_at": o.purchased_at.isoformat(), "status": o.status, "fulfillment": o.fulfillment,
            "ship_country": o.ship_country, "order_total": _d(o.order_total), "net_revenue": _d(order_net(o)),
            "ship_to": {"name": o.ship_name, "address": o.ship_address, "postcode": o.ship_postcode,
                        "country": o.ship_country},
            "channel_fulfilment": o.channel_fulfilment,
            "lines": [{"line_id": ln.line_ref, "platform_sku": ln.platform_sku, "listing_id": ln.listing_ref,
                       "sku": resolver.resolve(o.channel, o.market, ln.platform_sku, ln.listing_ref) if resolver else None,
                       "title": ln.title, "quantity": _d(ln.quantity), "item_price": _d(ln.item_price),
                       "item_tax": _d(ln.item_tax), "shipping_price": _d(ln.shipping_price),
                       "shipping_tax": _d(ln.shipping_tax), "discount": _d(ln.discount),
                       "net_revenue": _d(ln.net_revenue)} for ln in o.lines]}

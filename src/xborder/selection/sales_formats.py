"""Sales files other than the UCI layout: a column mapping onto the canonical transaction frame.

Fields: ``order_id, date, product, quantity`` (required), one of ``unit_price`` or
``line_amount`` (required; ``line_amount`` ÷ quantity gives the unit price), and optionally
``customer, market, description, status, currency``. A status containing ``cancel`` marks a
cancellation. Presets (headers from research/marketplaces.md §2, checked 2026-11):

* ``generic`` — the field names as headers;
* ``amazon-all-orders`` — Amazon All Orders report (tab-separated): ``amazon-order-id,
  purchase-date, sku, product-name, quantity, item-price`` (a line total), ``currency,
  ship-country, order-status``. It has no buyer id, so buyers are not counted;
* ``shopify-orders`` — Shopify Orders export: ``Name, Created at, Lineitem sku, Lineitem
  name, Lineitem quantity, Lineitem price, Email, Shipping Country, Currency, Cancelled at``.
  Shopify fills order-level cells on the first line of an order only; they are carried down
  to the order's other lines.

Every row is validated; a file with bad rows is rejected whole with each bad cell listed.

>>> m = resolve(["Name", "Created at", "Lineitem sku", "Lineitem quantity", "Lineitem price", "Shipping Country"], "shopify-orders")
>>> m["product"], m["unit_price"]
('Lineitem sku', 'Lineitem price')
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from xborder.errors import ImportRejected, ValidationError
from xborder.selection.transactions import CANONICAL, PRICE_RE, QTY_RE, SCALE, _finish

FIELDS = ("order_id", "date", "product", "quantity", "unit_price", "line_amount", "customer", "market", "description", "status", "currency")
REQUIRED = ("order_id", "date", "product", "quantity")

PRESETS: dict[str, dict[str, str]] = {
    "generic": {f: f for f in FIELDS},
    "amazon-all-orders": {
        "order_id": "amazon-order-id",
        "date": "purchase-date",
        "product": "sku",
        "description": "product-name",
        "quantity": "quantity",
        "line_amount": "item-price",
        "currency": "currency",
        "market": "ship-country",
        "status": "order-status",
    },
    "shopify-orders": {
        "order_id": "Name",
        "date": "Created at",
        "product": "Lineitem sku",
        "description": "Lineitem name",
        "quantity": "Lineitem quantity",
        "unit_price": "Lineitem price",
        "customer": "Email",
        "market": "Shipping Country",
        "currency": "Currency",
        "status": "Cancelled at",
    },
}
ORDER_LEVEL = ("date", "customer", "market", "currency", "status")

DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
)


def parse_date(s: str | None) -> datetime | None:
    if s is None:
        return None
    s = s.strip()
    if not s:
        return None
    try:
        d = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        d = None
        for fmt in DATE_FORMATS:
            try:
                d = datetime.strptime(s, fmt)
                break
            except ValueError:
                continue
    if d is None:
        return None
    return d.replace(tzinfo=None) if d.tzinfo is None else d.astimezone(tz=None).replace(tzinfo=None)


def resolve(headers: list[str], preset: str, overrides: dict[str, str] | None = None) -> dict[str, str]:
    if preset not in PRESETS:
        raise ValidationError(f"preset: unknown preset {preset!r} (known: {', '.join(PRESETS)})", field="preset")
    present = {h.strip() for h in headers}
    mapping = {f: h for f, h in PRESETS[preset].items() if h in present}
    for f, h in (overrides or {}).items():
        if f not in FIELDS:
            raise ValidationError(f"map: unknown field {f!r} (fields: {', '.join(FIELDS)})", field="map")
        if h not in present:
            raise ValidationError(f"map: the file has no column {h!r} for {f}", field="map")
        mapping[f] = h
    missing = [f for f in REQUIRED if f not in mapping]
    if "unit_price" not in mapping and "line_amount" not in mapping:
        missing.append("unit_price or line_amount")
    if missing:
        raise ValidationError(
            f"map: no column for {', '.join(missing)} (preset {preset}); give --map field=Header", field="map"
        )
    return mapping


def read_table(source: str | Path | bytes) -> pl.DataFrame:
    """CSV/TSV/XLSX through the shared importer reader (UTF-8, UTF-8 BOM, UTF-16, GB18030;
    delimiter sniffing), as a string frame with the source line of every row in ``__line``."""
    from xborder.importing import read_table as shared_read_table

    table = shared_read_table(source if isinstance(source, bytes) else Path(source))
    cols = list(table.headers)
    data: dict[str, list[Any]] = {c: [] for c in cols}
    lines: list[int] = []
    for row in table.rows:
        lines.append(row.line)
        for c in cols:
            data[c].append(row.values.get(c))
    frame = pl.DataFrame({c: pl.Series(c, v, dtype=pl.Utf8) for c, v in data.items()})
    return frame.with_columns(pl.Series("__line", lines, dtype=pl.Int64))


def read_mapped(
    source: str | Path | bytes,
    *,
    preset: str = "generic",
    overrides: dict[str, str] | None = None,
    currency: str = "USD",
    market: str | None = None,
) -> tuple[pl.DataFrame, bool]:
    """Return (canonical frame, has_customers). Raises ImportRejected listing every bad cell."""
    raw = read_table(source)
    m = resolve([c for c in raw.columns if c != "__line"], preset, overrides)
    if preset == "shopify-orders" or "order_id" in m:
        # carry order-level cells down the lines of the same order (Shopify style)
        fill = [m[f] for f in ORDER_LEVEL if f in m]
        if fill:
            raw = raw.with_columns(
                [pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c)).alias(c) for c in fill]
            ).with_columns([pl.col(c).forward_fill().over(m["order_id"]) for c in fill])
    errors: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    import re

    price_re, qty_re = re.compile(PRICE_RE), re.compile(QTY_RE)
    for row in raw.iter_rows(named=True):
        line = int(row["__line"])

        def get(f: str, row: dict[str, Any] = row) -> str | None:
            h = m.get(f)
            v = row.get(h) if h else None
            return None if v is None or str(v).strip() == "" else str(v).strip()

        rec: dict[str, Any] = {"line": line}
        for f in REQUIRED:
            if get(f) is None:
                errors.append({"line": line, "column": m[f], "message": f"{f}: missing"})
        q = get("quantity")
        if q is not None and not qty_re.match(q):
            errors.append({"line": line, "column": m["quantity"], "message": f"quantity: {q!r} is not a whole number"})
            q = None
        d = get("date")
        dt = parse_date(d) if d else None
        if d is not None and dt is None:
            errors.append({"line": line, "column": m["date"], "message": f"date: {d!r} is not a date"})
        pf = "unit_price" if "unit_price" in m else "line_amount"
        p = get(pf)
        price_e4 = None
        if p is None:
            errors.append({"line": line, "column": m[pf], "message": f"{pf}: missing"})
        elif not price_re.match(p.replace(",", "")):
            errors.append({"line": line, "column": m[pf], "message": f"{pf}: {p!r} is not a decimal amount"})
        else:
            from decimal import Decimal

            amount = Decimal(p.replace(",", ""))
            if pf == "line_amount":
                if q is not None and int(q) != 0:
                    price_e4 = int((amount * SCALE / abs(int(q))).to_integral_value())
                else:
                    price_e4 = 0
            else:
                price_e4 = int(amount * SCALE)
        status = (get("status") or "").lower()
        rec.update(
            order_id=get("order_id"),
            date=dt,
            product=get("product"),
            description=get("description") or "",
            quantity=int(q) if q is not None else None,
            price_e4=price_e4,
            customer=get("customer"),
            market=get("market") or market,
            cancelled=("cancel" in status) or (preset == "shopify-orders" and bool(get("status"))),
            currency=(get("currency") or currency).upper(),
        )
        if not rec["market"]:
            errors.append({"line": line, "column": m.get("market", "market"), "message": "market: missing (give --market)"})
        records.append(rec)
    if errors:
        raise ImportRejected(f"sales file rejected: {len(errors)} bad cell(s); nothing was analysed", errors)
    schema = {k: v for k, v in CANONICAL.items() if k != "invalid"}
    frame = pl.DataFrame(records, schema=schema) if records else pl.DataFrame(schema=schema)
    return _finish(frame), "customer" in m

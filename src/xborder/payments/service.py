"""Use cases: import payouts and collection statements (validated whole, idempotent) and
reconcile them with orders."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.db import too_long
from xborder.errors import ImportRejected, NotFound, ValidationError
from xborder.money import to_decimal
from xborder.payments import importers
from xborder.payments.model import ParsedPayouts, PayoutRecord, ReceiptRecord
from xborder.payments.orm import Payout, PayoutLine, Receipt
from xborder.payments.reconcile import (
    LINE_SCHEMA,
    ORDER_SCHEMA,
    SCALE,
    PayoutFact,
    ReceiptFact,
    ReconResult,
    SettlementFact,
    reconcile,
)
from xborder.sales.model import RowError
from xborder.sales.service import ImportOutcome, chunks, get_mapping, record
from xborder.tabular import Table


def parse_payouts(s: Session, principal: Principal, fmt: str, data: bytes, mapping: str | None = None) -> ParsedPayouts:
    spec = get_mapping(s, principal, "payouts", mapping) if mapping else None
    if fmt == "mapped" and spec is None:
        raise ImportRejected("file rejected", [{"line": 0, "column": "mapping",
                                                "message": "--mapping NAME is required for --format mapped"}])
    return importers.parse(fmt, data, spec)


FAST_BYTES = 2_000_000  # Amazon settlement files above this size take the vectorised path


def import_payouts(s: Session, principal: Principal, fmt: str, data: bytes, *, mapping: str | None = None,
                   fast: bool | None = None, progress: Callable[[str], None] | None = None,
                   filename: str = "") -> ImportOutcome:
    """Validate the whole file, then write new payouts/lines/receipts; lines already stored are
    skipped. ``progress`` is told each stage (``validated``, ``written``)."""
    principal.require("finance")
    tell = progress or (lambda stage: None)
    if fmt == "amazon-settlement-v2" and (fast if fast is not None else len(data) > FAST_BYTES):
        from xborder.payments.importers.fast_settlement import parse as fast_parse

        fs = fast_parse(data)
        if fs.errors:
            raise ImportRejected(f"{fmt}: {len(fs.errors)} error(s), nothing imported", [e.to_dict() for e in fs.errors])
        if not fs.fallback:
            tell("validated")
            out = store_fast_settlement(s, principal.org_id, fs)
            record(s, principal.org_id, f"payouts:{fmt}", filename, data, out)
            tell("written")
            return out
    parsed = parse_payouts(s, principal, fmt, data, mapping)
    errors = sorted(parsed.errors + text_errors(parsed), key=lambda e: e.line)
    if errors:
        raise ImportRejected(f"{fmt}: {len(errors)} error(s), nothing imported", [e.to_dict() for e in errors])
    tell("validated")
    out = store_payouts(s, principal.org_id, parsed.payouts)
    r = store_receipts(s, principal.org_id, parsed.receipts)
    tell("written")
    out.imported += r.imported
    out.skipped_duplicates += r.skipped_duplicates
    record(s, principal.org_id, f"payouts:{fmt}", filename, data, out)
    out.encoding = parsed.encoding
    return out


def text_errors(parsed: ParsedPayouts) -> list[RowError]:
    """A payout id, order id, SKU, reference... longer than its column, by line (the descriptive
    texts are shortened on purpose)."""
    errors = []
    for p in parsed.payouts:
        line = p.source_line or next((ln.source_line for ln in p.lines if ln.source_line), 0)
        errors += [RowError(line, key, msg) for key, msg in too_long(Payout, p)]
        for ln in p.lines:
            errors += [RowError(ln.source_line, key, msg) for key, msg in
                       too_long(PayoutLine, ln, skip=("transaction_type", "amount_type", "description"))]
    for r in parsed.receipts:
        errors += [RowError(r.source_line, key, msg) for key, msg in too_long(Receipt, r, skip=("description",))]
    return errors


def store_payouts(s: Session, org_id: int, payouts: list[PayoutRecord]) -> ImportOutcome:
    imported = skipped = 0
    for p in payouts:
        row = s.scalar(select(Payout).where(Payout.org_id == org_id, Payout.provider == p.provider,
                                            Payout.payout_ref == p.payout_ref))
        if row is None:
            row = Payout(org_id=org_id, provider=p.provider, payout_ref=p.payout_ref, currency=p.currency,
                         total=p.total, start_date=p.start, end_date=p.end, deposit_date=p.deposit_date,
                         marketplace=p.marketplace)
            s.add(row)
            s.flush()
            known: set[str] = set()
        else:
            # an overlapping statement (PayPal/Stripe) may extend the period; lines decide
            known = set(s.scalars(select(PayoutLine.line_key).where(PayoutLine.payout_id == row.id)))
        keys = [ln.line_key for ln in p.lines if ln.line_key not in known]
        # the same line may already sit in another payout of the org (overlapping downloads)
        for part in chunks(keys, 900):
            known.update(s.scalars(select(PayoutLine.line_key).where(PayoutLine.org_id == org_id,
                                                                     PayoutLine.line_key.in_(part))))
        rows = []
        for ln in p.lines:
            if ln.line_key in known:
                skipped += 1
                continue
            known.add(ln.line_key)
            rows.append(dict(org_id=org_id, payout_id=row.id, line_key=ln.line_key, posted_at=ln.posted_at,
                             transaction_type=(ln.transaction_type or None) and ln.transaction_type[:60],
                             amount_type=(ln.amount_type or None) and ln.amount_type[:60],
                             description=(ln.description or None) and ln.description[:120], fee_class=ln.fee_class,
                             unexpected=ln.unexpected, amount=ln.amount, currency=ln.currency,
                             order_ref=ln.order_ref, sku=ln.sku, quantity=ln.quantity))
            imported += 1
        for part in chunks(rows, 5000):
            s.execute(insert(PayoutLine), part)
        if row.provider in ("paypal", "stripe") and rows:
            row.total = s.scalar(select(func.sum(PayoutLine.amount)).where(PayoutLine.payout_id == row.id,
                                                                            PayoutLine.fee_class != "transfer"))
    s.flush()
    return ImportOutcome(imported, skipped)


def store_fast_settlement(s: Session, org_id: int, fs: Any) -> ImportOutcome:
    """Bulk path: one Payout row per settlement, lines deduplicated by key against the same
    settlements, then inserted in key order with ``executemany`` (SQLite) or one streamed binary
    ``COPY`` (PostgreSQL; the line references are checked once per statement by the triggers of
    migration ``payments_0002``)."""
    import polars as pl

    from xborder.db import utcnow

    ids: dict[str, int] = {}
    for p in fs.payouts:
        row = s.scalar(select(Payout).where(Payout.org_id == org_id, Payout.provider == "amazon",
                                            Payout.payout_ref == p.payout_ref))
        if row is None:
            row = Payout(org_id=org_id, provider="amazon", payout_ref=p.payout_ref, currency=p.currency, total=p.total,
                         start_date=p.start, end_date=p.end, deposit_date=p.deposit_date, marketplace=p.marketplace)
            s.add(row)
            s.flush()
        ids[p.payout_ref] = row.id
    lines, fs.lines = fs.lines, pl.DataFrame()  # the caller's reference would keep the unsorted copy alive
    total = lines.height
    for pid in ids.values():
        known = _fetch(s, f"SELECT line_key FROM payments_payout_lines WHERE org_id = :org AND payout_id = {int(pid)}",
                       org_id, {"line_key": pl.Utf8})
        if known.height:
            lines = lines.join(known, on="line_key", how="anti")
    # inserting in key order keeps the (org_id, line_key) index appends sequential (much faster);
    # keys are lower-case hex MD5, so their first 15 digits as an integer sort the same way (an
    # integer sort costs ~0.3 s of CPU per million lines, a string sort ~1.1 s). Only the order is
    # computed; each chunk is gathered in that order when written (no sorted copy of the frame).
    order = lines.select(pl.col("line_key").str.slice(0, 15).str.to_integer(base=16).arg_sort()).to_series()
    now = utcnow().replace(microsecond=0)
    lines = lines.select(
        pl.lit(org_id).alias("org_id"), pl.col("settlement_id").replace_strict(ids, return_dtype=pl.Int64).alias("payout_id"),
        "line_key", "posted_at", "transaction_type", "amount_type", "description", "fee_class", "unexpected", "amount",
        "currency", "order_ref", "sku", "quantity", pl.lit(now).alias("created_at"), pl.lit(now).alias("updated_at"))
    conn = s.connection()
    raw = conn.connection.dbapi_connection
    if conn.dialect.name == "postgresql":
        if lines.height:
            copy_lines(raw, lines, order)
    else:
        # constants go into the statement; each row binds only its own values
        stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
        single = len(ids) == 1
        consts = {"org_id": str(int(org_id)), "created_at": f"'{stamp}'", "updated_at": f"'{stamp}'",
                  **({"payout_id": str(int(next(iter(ids.values()))))} if single else {})}
        varying = [c for c in lines.columns if c not in consts]
        sql = (f"INSERT INTO payments_payout_lines ({', '.join(varying + list(consts))}) "
               f"VALUES ({', '.join(['?'] * len(varying) + list(consts.values()))})")
        cur = raw.cursor()
        cur.execute("PRAGMA cache_size=-262144")  # 256 MB page cache for the key index during the bulk insert
        for start in range(0, lines.height, 100_000):  # Python values for 100,000 rows at a time (memory)
            chunk = lines.select(varying)[order.slice(start, 100_000)].with_columns(
                pl.col("posted_at").dt.strftime("%Y-%m-%d %H:%M:%S.%6f"), pl.col("unexpected").cast(pl.Int8))
            cur.executemany(sql, zip(*[chunk[c].to_list() for c in varying], strict=True))
        cur.close()
    return ImportOutcome(lines.height, total - lines.height)


LINE_KINDS = {"org_id": "int4", "payout_id": "int4", "line_key": "text", "posted_at": "timestamp",
              "transaction_type": "text", "amount_type": "text", "description": "text", "fee_class": "text",
              "unexpected": "bool", "amount": "int8", "currency": "text", "order_ref": "text", "sku": "text",
              "quantity": "int8", "created_at": "timestamp", "updated_at": "timestamp"}


def copy_lines(raw: Any, lines: Any, order: Any = None) -> None:
    """One binary ``COPY`` of the lines (PostgreSQL) in the row order ``order`` (indices; default
    as they are), streamed: a worker thread sends each chunk while the next one is built, so the
    server parses and indexes while this process encodes."""
    from psycopg.copy import QueuedLibpqWriter

    from xborder.payments import pgcopy

    columns, chunks = pgcopy.encode(lines, LINE_KINDS, order=order)
    with raw.cursor() as cur, cur.copy(f"COPY payments_payout_lines ({', '.join(columns)}) FROM STDIN WITH (FORMAT binary)",
                                       writer=QueuedLibpqWriter(cur)) as cp:
        for chunk in chunks:
            cp.write(chunk)


def store_receipts(s: Session, org_id: int, receipts: list[ReceiptRecord]) -> ImportOutcome:
    from xborder.fx.orm import FxSettlementRow

    imported = skipped = 0
    for r in receipts:
        if s.scalar(select(Receipt.id).where(Receipt.org_id == org_id, Receipt.provider == r.provider,
                                             Receipt.ref == r.ref)) is not None:
            skipped += 1
            continue
        s.add(Receipt(org_id=org_id, provider=r.provider, ref=r.ref, day=r.on, kind=r.kind, amount=r.amount,
                      currency=r.currency, fee=r.fee, fx_rate=r.fx_rate, target_amount=r.target_amount,
                      target_currency=r.target_currency, counterparty=r.counterparty, store=r.store,
                      description=(r.description or None) and r.description[:200]))
        if r.kind == "conversion" and r.target_currency == "CNY" and r.target_amount is not None:
            s.add(FxSettlementRow(org_id=org_id, day=r.on, platform=r.provider, ref=r.ref, currency=r.currency,
                                  foreign_amount=abs(r.amount), cny_received=r.target_amount, fee=abs(r.fee),
                                  quoted_rate=r.fx_rate))
        imported += 1
    s.flush()
    return ImportOutcome(imported, skipped)


# --- reconciliation -----------------------------------------------------------------------

def _fetch(s: Session, sql: str, org_id: int, schema: dict[str, Any]) -> Any:
    """Rows of ``sql`` (with one ``:org`` parameter) as a polars frame, through the raw driver:
    PostgreSQL streams CSV with ``COPY … TO STDOUT``; SQLite fetches tuples. Exact integers
    (the scaled money columns) stay integers."""
    import polars as pl

    conn = s.connection()
    raw = conn.connection.dbapi_connection
    if conn.dialect.name == "postgresql":
        buf = io.BytesIO()
        with raw.cursor() as cur, cur.copy(f"COPY ({sql.replace(':org', str(int(org_id)))}) TO STDOUT WITH (FORMAT csv)") as cp:
            for chunk in cp:
                buf.write(chunk)
        if not buf.tell():
            return pl.DataFrame(schema=schema)
        return pl.read_csv(buf.getvalue(), has_header=False, new_columns=list(schema),
                           schema_overrides=schema, infer_schema=False)
    cur = raw.cursor()
    cur.execute(sql.replace(":org", "?"), (org_id,))
    parts = [pl.DataFrame(schema=schema)]
    while rows := cur.fetchmany(25_000):  # in slices: a million rows never sit in memory as tuples
        parts.append(pl.DataFrame(rows, schema=schema, orient="row"))
    cur.close()
    return pl.concat(parts, rechunk=False)  # no contiguous copy of the whole result (memory)


def frames(s: Session, org_id: int) -> tuple[Any, Any]:
    """(orders, lines) frames for :func:`xborder.payments.reconcile.reconcile`, read column-wise."""
    import polars as pl

    orders = _fetch(s, "SELECT id, channel, order_ref, currency, status FROM sales_orders WHERE org_id = :org", org_id,
                    {"order_id": pl.Int64, "channel": pl.Utf8, "order_ref": pl.Utf8, "currency": pl.Utf8, "status": pl.Utf8})
    olines = _fetch(s, "SELECT order_id, item_price, item_tax, shipping_price, shipping_tax, discount "
                       "FROM sales_order_lines WHERE org_id = :org", org_id,
                    {"order_id": pl.Int64, "item_price": pl.Int64, "item_tax": pl.Int64, "shipping_price": pl.Int64,
                     "shipping_tax": pl.Int64, "discount": pl.Int64})
    agg = olines.group_by("order_id").agg(
        (pl.col("item_price").fill_null(0) + pl.col("shipping_price") - pl.col("discount")).sum().alias("net"),
        (pl.col("item_price").fill_null(0) + pl.col("item_tax") + pl.col("shipping_price") + pl.col("shipping_tax")
         - pl.col("discount")).sum().alias("gross"),
        pl.col("item_price").is_not_null().any().alias("priced"))
    orders = orders.join(agg, on="order_id", how="left").with_columns(
        pl.col("net").fill_null(0), pl.col("gross").fill_null(0), pl.col("priced").fill_null(False)
    ).select(list(ORDER_SCHEMA))
    # booleans: SQLite gives 0/1, PostgreSQL's CSV gives t/f; read them as integers either way
    flag = "CASE WHEN unexpected THEN 1 ELSE 0 END" if s.connection().dialect.name == "postgresql" else "unexpected"
    lines = _fetch(s, f"SELECT id, payout_id, order_ref, fee_class, {flag}, amount, currency, transaction_type "
                      "FROM payments_payout_lines WHERE org_id = :org", org_id,
                   {"line_id": pl.Int64, "payout_id": pl.Int64, "order_ref": pl.Utf8, "fee_class": pl.Utf8,
                    "unexpected": pl.Int64, "amount": pl.Int64, "currency": pl.Utf8, "transaction_type": pl.Utf8})
    lines = lines.with_columns((pl.col("unexpected") == 1).alias("unexpected"))
    providers = pl.DataFrame(list(s.execute(select(Payout.id, Payout.provider).where(Payout.org_id == org_id)).all()),
                             schema={"payout_id": pl.Int64, "provider": pl.Utf8}, orient="row")
    odd = pl.DataFrame(list(s.execute(select(PayoutLine.id, PayoutLine.amount_type, PayoutLine.description)
                                      .where(PayoutLine.org_id == org_id, PayoutLine.unexpected.is_(True))).all()),
                       schema={"line_id": pl.Int64, "amount_type": pl.Utf8, "description": pl.Utf8}, orient="row")
    # the small tables are mapped onto the lines (new columns only; a join would copy every column)
    lines = lines.with_columns(
        pl.col("payout_id").replace_strict(providers["payout_id"], providers["provider"], default=None,
                                           return_dtype=pl.Utf8).alias("provider"),
        *[pl.col("line_id").replace_strict(odd["line_id"], odd[c], default=None, return_dtype=pl.Utf8).alias(c)
          for c in ("amount_type", "description")]).select(list(LINE_SCHEMA))
    return orders, lines


def facts(s: Session, org_id: int) -> tuple[list[PayoutFact], list[ReceiptFact], list[SettlementFact]]:
    from xborder.fx.orm import FxSettlementRow

    payouts = [PayoutFact(p.id, p.provider, p.payout_ref, p.currency,
                          None if p.total is None else int(p.total * SCALE), p.deposit_date or p.end_date)
               for p in s.scalars(select(Payout).where(Payout.org_id == org_id))]
    receipts = [ReceiptFact(r.id, r.provider, r.ref, r.day, r.kind, int(r.amount * SCALE), r.currency)
                for r in s.scalars(select(Receipt).where(Receipt.org_id == org_id))]
    setts = [SettlementFact(x.id, x.ref, x.day, x.currency, int(x.foreign_amount * SCALE), int(x.cny_received * SCALE))
             for x in s.scalars(select(FxSettlementRow).where(FxSettlementRow.org_id == org_id))]
    return payouts, receipts, setts


MAX_TOLERANCE = Decimal(1000000)  # per order, in the order's currency


def parse_tolerance(text: str) -> Decimal:
    """The amount difference accepted per order, from a form, a query or the CLI."""
    tol = to_decimal(str(text), "tolerance")  # not a number, not finite, too large: its ValidationError
    if tol < 0 or tol >= MAX_TOLERANCE:
        raise ValidationError(f"tolerance: {text!r} must be an amount from 0 to {MAX_TOLERANCE}", field="tolerance")
    return tol


def run_reconcile(s: Session, principal: Principal, tolerance: Decimal = Decimal("0.01")) -> ReconResult:
    orders, lines = frames(s, principal.org_id)
    payouts, receipts, setts = facts(s, principal.org_id)
    result = reconcile(orders, lines, payouts, receipts, setts, tolerance)
    add_realised_fx(s, result.ties)
    return result


def add_realised_fx(s: Session, ties: list[dict[str, Any]]) -> None:
    """Realised FX gain/loss of each converted payout: Σ converted amount × (settlement rate −
    booking rate), the booking rate being the rate on the day the money was received
    (PBOC central parity when imported, else ECB; ``xborder.fx.settlement``)."""
    from datetime import date as _date

    from xborder.fx.model import FxRateMissing
    from xborder.fx.service import converter
    from xborder.money import dec_str

    conv = None
    for t in ties:
        if not t["fx_settlements"]:
            continue
        conv = conv or converter(s)
        try:
            q = conv.to_cny(t["currency"], _date.fromisoformat(t["receipt_date"]))
        except FxRateMissing as e:
            t["realised_fx_note"] = str(e)
            continue
        gain = sum((Decimal(x["amount"]) * (Decimal(x["rate"]) - q.rate) for x in t["fx_settlements"]), Decimal(0))
        t["booking_rate"] = dec_str(q.rate, 6)
        t["booking_source"] = f"{q.source} {q.on.isoformat()}"
        t["realised_fx_cny"] = dec_str(gain, 2)


# --- queries ------------------------------------------------------------------------------

def list_payouts(s: Session, principal: Principal) -> list[tuple[Payout, int]]:
    counts = dict(s.execute(select(PayoutLine.payout_id, func.count()).where(PayoutLine.org_id == principal.org_id)
                            .group_by(PayoutLine.payout_id)).all())
    rows = s.scalars(select(Payout).where(Payout.org_id == principal.org_id)
                     .order_by(Payout.deposit_date.desc().nulls_last(), Payout.id.desc()))
    return [(p, counts.get(p.id, 0)) for p in rows]


def get_payout(s: Session, principal: Principal, payout_id: int, limit: int | None = 5000) -> tuple[Payout, list[PayoutLine]]:
    p = s.scalar(select(Payout).where(Payout.id == payout_id, Payout.org_id == principal.org_id))
    if p is None:
        raise NotFound(f"payout {payout_id} not found")
    stmt = select(PayoutLine).where(PayoutLine.payout_id == p.id).order_by(PayoutLine.posted_at, PayoutLine.id)
    lines = list(s.scalars(stmt if limit is None else stmt.limit(limit)))
    return p, lines


def payout_sums(s: Session, p: Payout) -> tuple[dict[str, Decimal], int]:
    """The payout's amount per fee class and its number of lines, over all its lines."""
    rows = s.execute(select(PayoutLine.fee_class, func.sum(PayoutLine.amount), func.count())
                     .where(PayoutLine.payout_id == p.id).group_by(PayoutLine.fee_class)).all()
    return {cls: Decimal(amt or 0) for cls, amt, _ in rows}, sum(n for _, _, n in rows)


def lines_for_order(s: Session, principal: Principal, order_ref: str) -> list[PayoutLine]:
    refs = {order_ref, order_ref.lstrip("#"), "#" + order_ref.lstrip("#")}
    return list(s.scalars(select(PayoutLine).where(PayoutLine.org_id == principal.org_id,
                                                   PayoutLine.order_ref.in_(refs)).order_by(PayoutLine.id)))


def list_receipts(s: Session, principal: Principal) -> list[Receipt]:
    return list(s.scalars(select(Receipt).where(Receipt.org_id == principal.org_id).order_by(Receipt.day.desc())))




DISCREPANCY_COLUMNS = ["type", "order_id", "payout_id", "channel", "provider", "fee_type", "currency", "order_currency",
                       "lines", "amount", "expected", "actual", "difference", "message"]
_AMOUNT_KEYS = {"amount", "expected", "actual", "difference"}


def discrepancies_table(result: ReconResult) -> Table:
    """The reconciliation's discrepancies as a work list for CSV/Excel (amounts as numbers)."""
    rows = [[Decimal(d[c]) if c in _AMOUNT_KEYS and d.get(c) not in (None, "") else d.get(c) for c in DISCREPANCY_COLUMNS]
            for d in result.discrepancies]
    return Table("reconciliation-discrepancies", DISCREPANCY_COLUMNS, rows)


PAYOUT_LINE_COLUMNS = ["payout_id", "provider", "posted_at", "transaction_type", "amount_type", "description", "fee_class",
                       "unexpected", "order_id", "sku", "currency", "amount"]


def payout_lines_table(s: Session, principal: Principal, payout_id: int) -> Table:
    """Every line of one payout (the page shows the first 5,000)."""
    p, lines = get_payout(s, principal, payout_id, limit=None)
    rows = [[p.payout_ref, p.provider, ln.posted_at, ln.transaction_type, ln.amount_type, ln.description, ln.fee_class,
             ln.unexpected, ln.order_ref, ln.sku, ln.currency, ln.amount] for ln in lines]
    return Table(f"payout-{p.payout_ref}", PAYOUT_LINE_COLUMNS, rows)


def line_to_dict(ln: PayoutLine) -> dict[str, Any]:
    return {"id": ln.id, "posted_at": ln.posted_at.isoformat() if ln.posted_at else None,
            "transaction_type": ln.transaction_type, "amount_type": ln.amount_type, "description": ln.description,
            "fee_class": ln.fee_class, "unexpected": ln.unexpected, "amount": format(ln.amount, "f"),
            "currency": ln.currency, "order_id": ln.order_ref, "sku": ln.sku}


def payout_to_dict(p: Payout, lines: int | None = None) -> dict[str, Any]:
    return {"id": p.id, "provider": p.provider, "payout_id": p.payout_ref, "currency": p.currency,
            "total": None if p.total is None else format(p.total, "f"),
            "start": p.start_date.isoformat() if p.start_date else None,
            "end": p.end_date.isoformat() if p.end_date else None,
            "deposit_date": p.deposit_date.isoformat() if p.deposit_date else None, "marketplace": p.marketplace,
            **({"lines": lines} if lines is not None else {})}

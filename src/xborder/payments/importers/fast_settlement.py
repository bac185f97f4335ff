"""Vectorised Amazon Settlement V2 import for large files (polars).

Same rules and the same results as :mod:`.amazon_settlement_v2` (a test checks both paths on the
fixtures): header names, summary rows, per-file decimal separator, the three date forms, the
classification table, and the same natural line keys (so both paths deduplicate each other).
Amounts come out as exact scaled integers (value × 10⁴) straight from the text, never floats.
When any cell is invalid, the row-by-row parser is run to report every bad line with its column.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl

from xborder.money import is_currency
from xborder.payments.importers import amazon_settlement_v2 as slow
from xborder.payments.model import classify_amazon
from xborder.sales.model import RowError, market_for_sales_channel
from xborder.sales.textparse import EMPTY

SCALE = 10_000


@dataclass
class FastPayout:
    payout_ref: str
    currency: str
    total: Decimal
    start: date | None
    end: date | None
    deposit_date: date | None
    marketplace: str | None


@dataclass
class FastSettlement:
    payouts: list[FastPayout]
    lines: pl.DataFrame  # settlement_id, line_key, posted_at, transaction_type, amount_type, description,
    #                      fee_class, unexpected, amount (i64 scaled), currency, order_ref, sku, quantity (i64 scaled)
    errors: list[RowError]
    rows: int


def _clean(col: str) -> pl.Expr:
    e = pl.col(col).cast(pl.Utf8).str.strip_chars()
    return pl.when(e.is_in(list(EMPTY)) | e.is_null()).then(pl.lit("")).otherwise(e.str.strip_chars_start("'"))


def _scaled(col: str, comma: bool) -> pl.Expr:
    s = pl.col(col)
    if comma:
        s = s.str.replace_all(r"\.", "").str.replace(",", ".")
    parts = s.str.extract_groups(r"^([+-]?)(\d+)(?:\.(\d{1,4}))?$")
    sign = pl.when(parts.struct.field("1") == "-").then(-1).otherwise(1)
    whole = parts.struct.field("2").cast(pl.Int64, strict=False)
    frac = (parts.struct.field("3").fill_null("").str.pad_end(4, "0")).cast(pl.Int64, strict=False)
    return sign * (whole * SCALE + frac)


def _when(col: str, dayfirst: bool) -> pl.Expr:
    s = pl.col(col).str.replace(r"\s+(UTC|GMT)$", "")
    iso = s.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)
    iso_t = s.str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False)
    iso_d = s.str.to_datetime("%Y-%m-%d", strict=False)
    dot = s.str.to_datetime("%d.%m.%Y %H:%M:%S", strict=False)
    dot_d = s.str.to_datetime("%d.%m.%Y", strict=False)
    sl = s.str.to_datetime("%d/%m/%Y %H:%M:%S" if dayfirst else "%m/%d/%Y %H:%M:%S", strict=False)
    sl_d = s.str.to_datetime("%d/%m/%Y" if dayfirst else "%m/%d/%Y", strict=False)
    return pl.coalesce(iso, iso_t, iso_d, dot, dot_d, sl, sl_d)


def parse(data: bytes, *, row_parser_on_error: bool = True) -> FastSettlement:
    df = pl.read_csv(data, separator="\t", infer_schema=False, quote_char=None, truncate_ragged_lines=True,
                     encoding="utf8-lossy")
    df = df.rename({c: c.strip().lstrip("\ufeff") for c in df.columns})
    missing = [c for c in ("settlement-id", "transaction-type", "amount-type", "amount-description", "amount",
                           "currency", "total-amount") if c not in df.columns]
    if missing:
        return FastSettlement([], pl.DataFrame(), [RowError(1, m, f"required column {m!r} is missing for format "
                                                                   f"amazon-settlement-v2") for m in missing], df.height)
    for c in slow.COLUMNS:
        if c not in df.columns:
            df = df.with_columns(pl.lit("").alias(c))
    df = df.with_columns([_clean(c).alias(c) for c in slow.COLUMNS]).with_row_index("line", offset=2)
    sample = df.head(2000)
    comma = bool(sample.select((pl.col("amount").str.contains(",") | pl.col("total-amount").str.contains(",")).any()).item())
    dayfirst = bool(sample.select(pl.col("posted-date").str.contains(r"^\d{2}\.").any()).item()) or \
        not set(sample["currency"].unique().to_list()) <= {"USD", "CAD", ""}
    is_summary = (pl.col("transaction-type") == "") & (pl.col("amount-type") == "")
    summ = df.filter(is_summary)
    body = df.filter(~is_summary)
    body = body.with_columns(_scaled("amount", comma).alias("amt"),
                             _when("posted-date-time", dayfirst).alias("pdt"), _when("posted-date", dayfirst).alias("pd"),
                             _scaled("quantity-purchased", False).alias("qty"))
    currencies = [c for c in body["currency"].unique().to_list() if c]
    bad_cur = {c for c in currencies if not is_currency(c.upper())}
    bad = body.filter(pl.col("amt").is_null() | (pl.col("settlement-id") == "") | (pl.col("amount-type") == "")
                      | ((pl.col("posted-date-time") != "") & pl.col("pdt").is_null())
                      | ((pl.col("posted-date-time") == "") & (pl.col("posted-date") != "") & pl.col("pd").is_null())
                      | pl.col("currency").is_in(list(bad_cur))
                      | ((pl.col("quantity-purchased") != "") & pl.col("qty").is_null()))
    sids = set(summ["settlement-id"].to_list())
    orphan = set(body["settlement-id"].unique().to_list()) - sids - {""}
    if bad.height or orphan or len(sids) != summ.height:
        if row_parser_on_error:
            return FastSettlement([], pl.DataFrame(), slow.parse(data).errors or
                                  [RowError(int(bad["line"][0]) if bad.height else 1, None, "invalid settlement rows")], df.height)
        return FastSettlement([], pl.DataFrame(), [RowError(int(r), None, "invalid row") for r in bad["line"].to_list()],
                              df.height)
    payouts: list[FastPayout] = []
    for r in summ.iter_rows(named=True):
        def d(v: str) -> date | None:
            if not v:
                return None
            from xborder.sales.textparse import parse_datetime

            return parse_datetime(v, dayfirst=dayfirst).date()  # type: ignore[union-attr]
        tot = r["total-amount"].replace(".", "").replace(",", ".") if comma else r["total-amount"]
        mk = body.filter(pl.col("settlement-id") == r["settlement-id"]).select(pl.col("marketplace-name")
                                                                                .filter(pl.col("marketplace-name") != "").first())
        site = mk.item() if mk.height else None
        payouts.append(FastPayout(r["settlement-id"], r["currency"].upper(), Decimal(tot), d(r["settlement-start-date"]),
                                  d(r["settlement-end-date"]), d(r["deposit-date"]), market_for_sales_channel(site)))
    # classification: per distinct (type, amount-type, description), in Python, then joined back
    triples = body.select("transaction-type", "amount-type", "amount-description").unique()
    cls = [classify_amazon(t or None, a or None, dsc or None) for t, a, dsc in triples.iter_rows()]
    triples = triples.with_columns(pl.Series("fee_class", [c for c, _ in cls]),
                                   pl.Series("unexpected", [u for _, u in cls], dtype=pl.Boolean))
    body = body.join(triples, on=["transaction-type", "amount-type", "amount-description"], how="left")
    # natural keys, identical to the row-by-row parser's
    keycols = [pl.col(c) for c in slow.KEY_COLUMNS]
    body = body.with_columns(pl.concat_str([pl.lit("\x1famazon"), *[pl.lit("\x1f") + k for k in keycols]]).alias("kbase"))
    body = body.with_columns((pl.int_range(pl.len()).over("kbase") + 1).cast(pl.Utf8).alias("occ"))
    kstrings = body.select(pl.col("kbase") + pl.lit("\x1f") + pl.col("occ")).to_series().to_list()
    keys = [hashlib.blake2b(k.encode(), digest_size=16).hexdigest() for k in kstrings]
    cur_by_sid = {p.payout_ref: p.currency for p in payouts}

    def nz(c: str) -> pl.Expr:
        return pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c))

    lines = body.select(
        pl.col("settlement-id").alias("settlement_id"), pl.Series("line_key", keys),
        pl.coalesce("pdt", "pd").alias("posted_at"), nz("transaction-type").str.slice(0, 60).alias("transaction_type"),
        nz("amount-type").str.slice(0, 60).alias("amount_type"), nz("amount-description").str.slice(0, 120).alias("description"),
        "fee_class", "unexpected", pl.col("amt").alias("amount"),
        pl.when(pl.col("currency") == "").then(pl.col("settlement-id").replace_strict(cur_by_sid, default=None))
        .otherwise(pl.col("currency").str.to_uppercase()).alias("currency"),
        nz("order-id").alias("order_ref"), nz("sku").alias("sku"), pl.col("qty").alias("quantity"))
    return FastSettlement(payouts, lines, [], df.height)



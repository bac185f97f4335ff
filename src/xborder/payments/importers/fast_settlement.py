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
    fallback: bool = False  # cells the vectorised reader did not take but the row parser does


_EMPTY = {e: "" for e in EMPTY if e}
VALUE_COLUMNS = ["transaction-type", "order-id", "amount-type", "amount-description", "currency", "sku",
                 "marketplace-name", "settlement-id", "total-amount", "amount", "quantity-purchased", "posted-date",
                 "posted-date-time", "deposit-date", "settlement-start-date", "settlement-end-date"]


def _empty(col: str) -> pl.Expr:
    """The row parser's reading of a value cell: empty markers (``--``, ``N/A``…) are empty."""
    return pl.col(col).replace(_EMPTY).str.strip_chars_start("'")


def _scaled(col: str, comma: bool) -> pl.Expr:
    s = pl.col(col)
    if comma:
        s = s.str.replace_all(r"\.", "").str.replace(",", ".")
    parts = s.str.extract_groups(r"^([+-]?)(\d+)(?:\.(\d{1,4}))?$")
    sign = pl.when(parts.struct.field("1") == "-").then(-1).otherwise(1)
    whole = parts.struct.field("2").cast(pl.Int64, strict=False)
    frac = (parts.struct.field("3").fill_null("").str.pad_end(4, "0")).cast(pl.Int64, strict=False)
    return sign * (whole * SCALE + frac)


def _formats(dayfirst: bool) -> list[str]:
    sl = "%d/%m/%Y" if dayfirst else "%m/%d/%Y"
    return ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y", f"{sl} %H:%M:%S", sl]


def _when(df: pl.DataFrame, col: str, dayfirst: bool) -> pl.Expr:
    """Parse with the one format that reads the file's sample (fast), falling back to trying all."""
    s = pl.col(col).str.replace(r"\s+(UTC|GMT)$", "")
    sample = df.select(s.filter(pl.col(col) != "").head(200)).to_series()
    for fmt in _formats(dayfirst):
        if sample.len() and sample.str.to_datetime(fmt, strict=False).null_count() == 0:
            return s.str.to_datetime(fmt, strict=False)
    return pl.coalesce(*[s.str.to_datetime(f, strict=False) for f in _formats(dayfirst)])


def parse(data: bytes, *, row_parser_on_error: bool = True) -> FastSettlement:
    df = pl.read_csv(data, separator="\t", infer_schema=False, quote_char=None, truncate_ragged_lines=True,
                     encoding="utf8-lossy")
    df = df.rename({c: c.strip().lstrip("\ufeff") for c in df.columns})
    df = df.select([c for c in df.columns if c in slow.COLUMNS])  # unknown extra columns are not needed
    missing = [c for c in ("settlement-id", "transaction-type", "amount-type", "amount-description", "amount",
                           "currency", "total-amount") if c not in df.columns]
    if missing:
        return FastSettlement([], pl.DataFrame(), [RowError(1, m, f"required column {m!r} is missing for format "
                                                                   f"amazon-settlement-v2") for m in missing], df.height)
    for c in slow.COLUMNS:
        if c not in df.columns:
            df = df.with_columns(pl.lit("").alias(c))
    used = list(dict.fromkeys(slow.KEY_COLUMNS + VALUE_COLUMNS))
    df = df.with_columns([pl.col(c).fill_null("").str.strip_chars() for c in used])
    # keys read the stripped raw cells (as the row parser does); values read empty markers as empty
    keyed = df.select(pl.concat_str([pl.lit("\x1famazon"), *[pl.lit("\x1f") + pl.col(c) for c in slow.KEY_COLUMNS]])
                      .alias("kbase"))
    df = df.with_columns([_empty(c) for c in VALUE_COLUMNS]).with_columns(keyed["kbase"]).with_row_index("line", offset=2)
    sample = df.head(2000)
    comma = bool(sample.select((pl.col("amount").str.contains(",") | pl.col("total-amount").str.contains(",")).any()).item())
    dayfirst = bool(sample.select(pl.col("posted-date").str.contains(r"^\d{2}\.").any()).item()) or \
        not set(sample["currency"].unique().to_list()) <= {"USD", "CAD", ""}
    is_summary = (pl.col("transaction-type") == "") & (pl.col("amount-type") == "")
    summ = df.filter(is_summary)
    body = df.filter(~is_summary)
    body = body.with_columns(_scaled("amount", comma).alias("amt"),
                             _when(df, "posted-date-time", dayfirst).alias("pdt"),
                             (_when(df, "posted-date", dayfirst) if (df["posted-date-time"] == "").any()
                              else pl.lit(None, dtype=pl.Datetime)).alias("pd"),
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
            errors = slow.parse(data).errors
            return FastSettlement([], pl.DataFrame(), errors, df.height, fallback=not errors)
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
    # natural keys, identical to the row-by-row parser's (md5 of the stripped key cells + occurrence)
    if body.select(pl.col("kbase").hash().is_duplicated().any()).item():  # identical rows: number them
        body = body.with_columns((pl.int_range(pl.len()).over("kbase") + 1).cast(pl.Utf8).alias("occ"))
    else:
        body = body.with_columns(pl.lit("1").alias("occ"))
    kstrings = body.select(pl.col("kbase") + pl.lit("\x1f") + pl.col("occ")).to_series().to_list()
    md5 = hashlib.md5
    keys = [md5(k.encode(), usedforsecurity=False).hexdigest() for k in kstrings]
    del kstrings
    body = body.drop("kbase")
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



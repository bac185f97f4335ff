"""Vectorised Amazon Settlement V2 import for large files (polars).

Same rules and the same results as :mod:`.amazon_settlement_v2` (a test checks both paths on the
fixtures): header names, summary rows, per-file decimal separator, the three date forms, the
classification table, and the same natural line keys (so both paths deduplicate each other).
Amounts come out as exact scaled integers (value × 10⁴) straight from the text, never floats.
When any cell is invalid, the row-by-row parser is run to report every bad line with its column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from inspect import signature
from typing import Any

import polars as pl

from xborder.db import text_limits
from xborder.money import is_currency
from xborder.payments.importers import amazon_settlement_v2 as slow
from xborder.payments.model import classify_amazon
from xborder.payments.orm import Payout, PayoutLine
from xborder.sales.model import RowError, market_for_sales_channel
from xborder.sales.textparse import EMPTY, ParseError

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


TEXT_VALUES = ["transaction-type", "order-id", "amount-type", "amount-description", "currency", "sku", "marketplace-name"]


def _empty(col: str) -> pl.Expr:
    """The row parser's reading of a text cell: empty markers (``--``, ``N/A``…) are empty, and a
    leading apostrophe (Excel's text marker) is dropped from ids. (Amounts and dates with such
    markers fail the vectorised checks and go to the row parser, which reads them the same way.)"""
    e = pl.col(col).replace(_EMPTY)
    return e.str.strip_chars_start("'") if col in ("order-id", "sku") else e


def _padded(data: bytes) -> bool:
    """Can a cell have surrounding blanks? True when a space touches a tab or a line end, or the
    file has any carriage return, vertical tab or form feed (then every cell is stripped).
    numpy compares in 16 MB slices (a bytes search per pattern costs ~0.15 s per 150 MB)."""
    import numpy as np

    if data[:1].isspace() or data[-1:] == b" " or any(c in data for c in (b"\r", b"\x0b", b"\x0c")):
        return True
    a = np.frombuffer(data, np.uint8)
    step = 1 << 24
    for i in range(0, len(a), step):
        c = a[i:i + step + 1]
        sp = c == 32
        if not sp.any():
            continue
        sep = (c == 9) | (c == 10)
        if (sep[:-1] & sp[1:]).any() or (sp[:-1] & sep[1:]).any():
            return True
    return False


def _scaled(col: str, comma: bool) -> pl.Expr:
    """Exact value × 10⁴ of a decimal cell (at most 14 integer digits and 4 decimals, no exponent,
    no thousands separator), null when invalid. The pattern is checked first, so the decimal cast
    never rounds; it is exact (scaled integers, never floats)."""
    s = pl.col(col)
    if comma:
        s = s.str.replace_all(r"\.", "").str.replace(",", ".")
    valid = s.str.contains(r"^[+-]?\d{1,14}(?:\.\d{1,4})?$")
    return pl.when(valid).then(s.cast(pl.Decimal(18, 4), strict=False).to_physical().cast(pl.Int64))


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


def md5_hex(keys: pl.Series) -> pl.Series:
    """Lower-case hex MD5 of each UTF-8 string: the same as ``hashlib.md5(k.encode()).hexdigest()``
    (:func:`xborder.payments.model.line_key`), computed in bulk by DuckDB (a dependency already)
    instead of a Python loop (~1.5 s of CPU per 1,000,000 keys saved).

    >>> from xborder.payments.model import line_key
    >>> md5_hex(pl.Series(["\\x1famazon\\x1f1", "\\x1fé"])).to_list() == [line_key("amazon", 1), line_key("é")]
    True
    """
    import duckdb

    with duckdb.connect() as con:
        con.execute("SET preserve_insertion_order = true")  # the default, relied upon: row i gives key i
        con.register("frame", keys.alias("k").to_frame().to_arrow())
        out = con.sql("SELECT md5(k) AS h FROM frame").pl()["h"]
    if out.len() != keys.len() or out.null_count():
        raise RuntimeError("md5 of the line keys: unexpected result from DuckDB")
    return out.alias("line_key")


def _summary(r: dict[str, Any], body: pl.DataFrame, comma: bool, dayfirst: bool) -> FastPayout:
    """A settlement's summary row; raises on a bad date, amount, currency or over-long id."""
    from xborder.sales.textparse import parse_datetime

    def d(v: str) -> date | None:
        if not v:
            return None
        parsed = parse_datetime(v, dayfirst=dayfirst)
        if parsed is None:
            raise ParseError(v)
        return parsed.date()
    tot = r["total-amount"].replace(".", "").replace(",", ".") if comma else r["total-amount"]
    cur = r["currency"].upper()
    if not is_currency(cur) or len(r["settlement-id"]) > text_limits(Payout)["payout_ref"]:
        raise ValueError(r["settlement-id"])
    mk = body.filter(~pl.col("summary") & (pl.col("settlement-id") == r["settlement-id"])).select(
        pl.col("marketplace-name").filter(pl.col("marketplace-name") != "").first())
    site = mk.item() if mk.height else None
    return FastPayout(r["settlement-id"], cur, Decimal(tot), d(r["settlement-start-date"]),
                      d(r["settlement-end-date"]), d(r["deposit-date"]), market_for_sales_channel(site))


def _too_long(body: pl.DataFrame) -> pl.Expr:
    """Ids longer than their columns (the row parser then names them by line)."""
    limits = {"settlement-id": text_limits(Payout)["payout_ref"], "order-id": text_limits(PayoutLine)["order_ref"],
              "sku": text_limits(PayoutLine)["sku"]}
    return pl.any_horizontal([pl.col(c).str.len_chars() > n for c, n in limits.items() if c in body.columns])


def _classify(body: pl.DataFrame) -> pl.DataFrame:
    """``fee_class`` and ``unexpected`` of every line: classified per distinct (type, amount-type,
    description) in Python, then mapped back by the triple's hash (two new columns, where a join
    would copy the whole frame); a hash shared by two distinct triples falls back to the join."""
    cols = ["transaction-type", "amount-type", "amount-description"]
    triples = body.select(cols).unique().with_columns(pl.struct(cols).hash().alias("h"))
    cls = [classify_amazon(t or None, a or None, dsc or None) for t, a, dsc in triples.select(cols).iter_rows()]
    triples = triples.with_columns(pl.Series("fee_class", [c for c, _ in cls], dtype=pl.Utf8),
                                   pl.Series("unexpected", [u for _, u in cls], dtype=pl.Boolean))
    if triples["h"].n_unique() != triples.height:
        return body.join(triples.drop("h"), on=cols, how="left")
    h = body.select(pl.struct(cols).hash()).to_series()
    return body.with_columns(h.replace_strict(triples["h"], triples["fee_class"]).alias("fee_class"),
                             h.replace_strict(triples["h"], triples["unexpected"]).alias("unexpected"))


# empty cells read as "" rather than null (no copy of every column to fill nulls later): the option
# is ``empty_string_is_null`` in polars 2, ``missing_utf8_is_empty_string`` in polars 1
_EMPTY_CELLS_AS_TEXT = ({"empty_string_is_null": False} if "empty_string_is_null" in signature(pl.read_csv).parameters
                        else {"missing_utf8_is_empty_string": True})


def parse(data: bytes, *, row_parser_on_error: bool = True) -> FastSettlement:
    df = pl.read_csv(data, separator="\t", infer_schema=False, quote_char=None, truncate_ragged_lines=True,
                     encoding="utf8-lossy", **_EMPTY_CELLS_AS_TEXT)
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
    # cells are stripped like the row parser does; skipped when no cell can have surrounding blanks
    padded = _padded(data)
    if padded:
        df = df.with_columns([pl.col(c).fill_null("").str.strip_chars() for c in used])
    else:  # only columns with empty cells are rewritten (each rewrite is a copy: memory)
        df = df.with_columns([pl.col(c).fill_null("") for c in used if df[c].null_count()])
    # keys read the stripped raw cells (as the row parser does); values read empty markers as empty
    keyed = df.select(pl.concat_str([pl.lit("\x1famazon"), *[pl.lit("\x1f") + pl.col(c) for c in slow.KEY_COLUMNS]])
                      .alias("kbase"))
    # columns only needed for the key are dropped before the frame is filtered and extended (memory)
    key_only = [c for c in df.columns if c not in VALUE_COLUMNS]
    # only columns that hold an empty marker (or an apostrophe-prefixed id) are rewritten (memory)
    touched = df.select([(pl.col(c).is_in(list(_EMPTY)) | (pl.col(c).str.starts_with("'") if c in ("order-id", "sku")
                                                          else pl.lit(False))).any().alias(c) for c in TEXT_VALUES]).row(0)
    df = df.drop(key_only).with_columns([_empty(c) for c, t in zip(TEXT_VALUES, touched, strict=True) if t]) \
        .with_columns(keyed["kbase"]) \
        .with_row_index("line", offset=2)
    del keyed
    sample = df.head(2000)
    comma = bool(sample.select((pl.col("amount").str.contains(",") | pl.col("total-amount").str.contains(",")).any()).item())
    dayfirst = bool(sample.select(pl.col("posted-date").str.contains(r"^\d{2}\.").any()).item()) or \
        not set(sample["currency"].unique().to_list()) <= {"USD", "CAD", ""}
    # summary rows are marked, not split off: a filtered copy of every column would double the
    # frame's memory (~400 MB per million lines); only the final lines are filtered
    summary = pl.col("summary")
    body = df.with_columns(((pl.col("transaction-type") == "") & (pl.col("amount-type") == "")).alias("summary"))
    del df
    summ = body.filter(summary)
    rows = body.height
    body = body.with_columns(_scaled("amount", comma).alias("amt"),
                             _when(body, "posted-date-time", dayfirst).alias("pdt"),
                             (_when(body, "posted-date", dayfirst)
                              if body.select(((pl.col("posted-date-time") == "") & ~summary).any()).item()
                              else pl.lit(None, dtype=pl.Datetime)).alias("pd"),
                             _scaled("quantity-purchased", False).alias("qty"))
    currencies = [c for c in body.select(pl.col("currency").filter(~summary).unique()).to_series().to_list() if c]
    bad_cur = {c for c in currencies if not is_currency(c.upper())}
    bad = body.filter(~summary & (pl.col("amt").is_null() | (pl.col("settlement-id") == "") | (pl.col("amount-type") == "")
                                  | ((pl.col("posted-date-time") != "") & pl.col("pdt").is_null())
                                  | ((pl.col("posted-date-time") == "") & (pl.col("posted-date") != "") & pl.col("pd").is_null())
                                  | pl.col("currency").is_in(list(bad_cur))
                                  | ((pl.col("quantity-purchased") != "") & pl.col("qty").is_null())
                                  | _too_long(body)))
    sids = set(summ["settlement-id"].to_list())
    orphan = set(body.select(pl.col("settlement-id").filter(~summary).unique()).to_series().to_list()) - sids - {""}
    bad_lines = bad["line"].to_list()
    payouts: list[FastPayout] = []
    if not (bad.height or orphan or len(sids) != summ.height):
        for r in summ.iter_rows(named=True):
            try:
                payouts.append(_summary(r, body, comma, dayfirst))
            except (ParseError, ArithmeticError, ValueError):
                bad_lines.append(r["line"])
    if bad_lines or orphan or len(sids) != summ.height:
        if row_parser_on_error:
            errors = slow.parse(data).errors
            return FastSettlement([], pl.DataFrame(), errors, rows, fallback=not errors)
        return FastSettlement([], pl.DataFrame(), [RowError(int(r), None, "invalid row") for r in bad_lines], rows)
    body = _classify(body)
    # natural keys, identical to the row-by-row parser's (md5 of the stripped key cells + occurrence)
    if body.select(pl.col("kbase").hash().is_duplicated().any()).item():  # identical rows: number them
        body = body.with_columns((pl.int_range(pl.len()).over("kbase") + 1).cast(pl.Utf8).alias("occ"))
    else:
        body = body.with_columns(pl.lit("1").alias("occ"))
    # in slices: the joined key texts and their Arrow copies exist for 200,000 rows at a time (memory)
    keys = pl.concat([md5_hex(part.select((pl.col("kbase") + pl.lit("\x1f") + pl.col("occ")).alias("k")).to_series())
                      for part in body.select("kbase", "occ").iter_slices(200_000)]) if body.height \
        else pl.Series("line_key", [], dtype=pl.Utf8)
    body = body.drop("kbase", "occ")
    cur_by_sid = {p.payout_ref: p.currency for p in payouts}

    def nz(c: str) -> pl.Expr:
        return pl.when(pl.col(c) == "").then(None).otherwise(pl.col(c))

    lines = body.with_columns(keys).filter(~summary).select(
        pl.col("settlement-id").alias("settlement_id"), "line_key",
        pl.coalesce("pdt", "pd").alias("posted_at"), nz("transaction-type").str.slice(0, 60).alias("transaction_type"),
        nz("amount-type").str.slice(0, 60).alias("amount_type"), nz("amount-description").str.slice(0, 120).alias("description"),
        "fee_class", "unexpected", pl.col("amt").alias("amount"),
        pl.when(pl.col("currency") == "").then(pl.col("settlement-id").replace_strict(cur_by_sid, default=None))
        .otherwise(pl.col("currency").str.to_uppercase()).alias("currency"),
        nz("order-id").alias("order_ref"), nz("sku").alias("sku"), pl.col("qty").alias("quantity"))
    return FastSettlement(payouts, lines, [], rows)



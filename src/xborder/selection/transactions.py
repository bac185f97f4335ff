"""Sales transactions in one canonical columnar shape, and the cleaning an analyst would do.

Every input (the UCI "Online Retail" layout, a mapped marketplace export, the organisation's own
orders) becomes a Polars frame with these columns:

=============  ===========  =====================================================
column         type         meaning
=============  ===========  =====================================================
``line``       Int64        line number in the source file (header = line 1)
``order_id``   Utf8         invoice / order number
``date``       Datetime     when the order was placed
``product``    Utf8         SKU / stock code
``description`` Utf8        product title (may be empty)
``quantity``   Int64        units (negative on returns / cancellations)
``price_e4``   Int64        unit price in the sales currency, ×10⁴ (exact: no floats)
``customer``   Utf8         buyer id (may be empty)
``market``     Utf8         destination country
``cancelled``  Boolean      the source marks the line as cancelled
``currency``   Utf8         ISO 4217 code of ``price_e4``
=============  ===========  =====================================================

Money stays exact: unit prices are checked against ``-?\\d+(\\.\\d{1,4})?`` and stored as scaled
integers, so revenue = Σ quantity × price_e4 is an exact integer sum, turned into a
``Decimal`` only at the edge (:func:`e4_to_decimal`).

Cleaning rules (first matching reason wins; every dropped row is counted under one reason):

1. ``invalid_row``        quantity, price or date unreadable, or product/market missing;
2. ``cancellation``       the invoice is a cancellation (UCI: ``InvoiceNo`` starts with ``C``;
                          other sources: a cancelled status);
3. ``non_product_code``   postage, fees, manual adjustments, discounts, samples, vouchers
                          (UCI codes ``POST, DOT, M, C2, D, S, B, BANK CHARGES, AMAZONFEE,
                          CRUK, PADS`` and ``gift_*``) — they are not demand for a product;
4. ``negative_quantity``  quantity ≤ 0 outside a cancellation invoice (returns, damages,
                          stock write-offs entered as sales lines);
5. ``non_positive_price`` unit price ≤ 0 (free samples, adjustments, ``Adjust bad debt``);
6. ``missing_customer``   no buyer id: customer counts and buyer concentration need one
                          (UCI: 135,080 rows, the published figure);
7. ``cancelled_original`` a sale later reversed by a cancellation line of the same customer,
                          product and quantity (the UCI file's 80,995-unit order of 23843 is
                          the textbook case): counting it would overstate demand.

Source for the UCI facts: Chen, Sain & Guo (2012), doi:10.1057/dbm.2012.17; the file's
``SOURCES.md`` (rows, cancellations, missing CustomerID counts checked 2026-11).

>>> raw = uci_frame_from_rows([
...     ("536365", "85123A", "WHITE HANGING HEART", "6", "2010-12-01 08:26:00", "2.55", "17850.0", "France"),
...     ("C536379", "85123A", "WHITE HANGING HEART", "-1", "2010-12-01 09:41:00", "2.55", "17850.0", "France"),
...     ("536380", "POST", "POSTAGE", "1", "2010-12-01 09:41:00", "18.00", "12583.0", "France"),
... ])
>>> res = clean(raw)
>>> res.rows_in, res.rows_used, res.dropped
(3, 1, {'cancellation': 1, 'non_product_code': 1})
>>> e4_to_decimal(int(res.frame["revenue_e4"].sum()))
Decimal('15.3000')
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import polars as pl

from xborder.errors import ValidationError

SCALE = 10_000
PRICE_RE = r"^\s*-?\d+(\.\d{1,4})?\s*$"
QTY_RE = r"^\s*-?\d+\s*$"

UCI_COLUMNS = ("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country")
# UCI "Online Retail II" (https://archive.ics.uci.edu/dataset/502/online+retail+ii, Chen 2019; the same
# retailer, 2009-12-01 to 2011-12-09): the same data under other header names. Checked 2026-11-24
# against the dataset page's variable table.
UCI_II_COLUMNS = ("Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country")
UCI_II_RENAME = {"Invoice": "InvoiceNo", "Price": "UnitPrice", "Customer ID": "CustomerID"}
# InvoiceDate as written by the UCI files and their common CSV exports (first match wins)
UCI_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S")

# Non-product stock codes in the UCI file (checked against the data: their descriptions are
# POSTAGE, DOTCOM POSTAGE, Manual, CARRIAGE, Discount, SAMPLES, Adjust bad debt, Bank Charges,
# AMAZON FEE, CRUK Commission, PADS TO MATCH ALL CUSHIONS at 0.001).
NON_PRODUCT_CODES = frozenset(
    {"POST", "DOT", "M", "C2", "D", "S", "B", "BANK CHARGES", "AMAZONFEE", "CRUK", "PADS"}
)
NON_PRODUCT_PREFIXES = ("GIFT_",)

REASONS: dict[str, str] = {
    "invalid_row": "quantity, price or date unreadable, or product / market missing",
    "cancellation": "cancellation invoice (InvoiceNo starting with C, or a cancelled status)",
    "non_product_code": "postage, fees, manual adjustments, discounts, samples or vouchers, not a product",
    "negative_quantity": "quantity zero or negative outside a cancellation: returns, damages, write-offs",
    "non_positive_price": "unit price zero or negative: free samples and accounting adjustments",
    "missing_customer": "no customer id: buyers and buyer concentration cannot be counted",
    "cancelled_original": "sale reversed later by a cancellation of the same customer, product and quantity",
}

CANONICAL = {
    "line": pl.Int64,
    "order_id": pl.Utf8,
    "date": pl.Datetime("us"),
    "product": pl.Utf8,
    "description": pl.Utf8,
    "quantity": pl.Int64,
    "price_e4": pl.Int64,
    "customer": pl.Utf8,
    "market": pl.Utf8,
    "cancelled": pl.Boolean,
    "invalid": pl.Boolean,
    "currency": pl.Utf8,
}


def e4_to_decimal(value: int | None) -> Decimal:
    """A ×10⁴ scaled integer as an exact Decimal.

    >>> e4_to_decimal(25500)
    Decimal('2.5500')
    """
    return (Decimal(int(value or 0)) / SCALE).quantize(Decimal("0.0001"))


def decimal_to_e4(value: Decimal) -> int:
    scaled = value * SCALE
    if scaled != scaled.to_integral_value():
        raise ValidationError(f"{value} has more than 4 decimal places", field="price")
    return int(scaled)


def scaled_price_expr(col: str) -> pl.Expr:
    """String price → ×10⁴ integer; null when it is not a plain decimal with ≤ 4 places."""
    s = pl.col(col).cast(pl.Utf8).str.strip_chars()
    ok = s.str.contains(PRICE_RE)
    return (
        pl.when(ok).then((s.cast(pl.Decimal(20, 4), strict=False) * SCALE).cast(pl.Int64, strict=False)).otherwise(None)
    )


def int_expr(col: str) -> pl.Expr:
    s = pl.col(col).cast(pl.Utf8).str.strip_chars()
    return pl.when(s.str.contains(QTY_RE)).then(s.cast(pl.Int64, strict=False)).otherwise(None)


def customer_expr(col: str) -> pl.Expr:
    """UCI writes CustomerID as a float (``17850.0``): keep the integer part as text."""
    s = pl.col(col).cast(pl.Utf8).str.strip_chars()
    s = s.str.replace(r"\.0+$", "")
    return pl.when(s.is_null() | (s == "")).then(None).otherwise(s)


def _finish(frame: pl.DataFrame) -> pl.DataFrame:
    frame = frame.with_columns(
        invalid=(
            pl.col("quantity").is_null()
            | pl.col("price_e4").is_null()
            | pl.col("date").is_null()
            | pl.col("product").is_null()
            | (pl.col("product") == "")
            | pl.col("market").is_null()
            | (pl.col("market") == "")
        )
    )
    return frame.select([pl.col(c).cast(t) for c, t in CANONICAL.items()])


def uci_layout(columns: Sequence[str]) -> str:
    """Which UCI layout a header is: ``online-retail`` (2010-11) or ``online-retail-ii`` (2009-11).

    >>> uci_layout(["Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"])
    'online-retail-ii'
    """
    cols = set(columns)
    if all(c in cols for c in UCI_COLUMNS):
        return "online-retail"
    if all(c in cols for c in UCI_II_COLUMNS):
        return "online-retail-ii"
    closest, wanted = min(((name, [c for c in want if c not in cols]) for name, want in
                           (("Online Retail", UCI_COLUMNS), ("Online Retail II", UCI_II_COLUMNS))), key=lambda t: len(t[1]))
    raise ValidationError(
        f"sales: not a UCI Online Retail file; the {closest} layout needs the columns {', '.join(wanted)}", field="sales"
    )


def read_uci(source: str | Path | bytes, currency: str = "GBP") -> pl.DataFrame:
    """Read a file in a UCI Online Retail layout (CSV, header row; columns matched by name): the
    original "Online Retail" or "Online Retail II", told apart by the header."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    if data[:4] == b"PK\x03\x04":
        raw = _read_xlsx_sheets(data)
    else:
        try:
            raw = pl.read_csv(io.BytesIO(data), infer_schema_length=0, encoding="utf8-lossy")
        except Exception as exc:  # polars raises several types for malformed CSV
            raise ValidationError(f"sales: not a readable CSV file ({exc})", field="sales") from None
    raw = raw.rename({c: c.replace("\ufeff", "").strip() for c in raw.columns})
    if uci_layout(raw.columns) == "online-retail-ii":
        raw = raw.rename(UCI_II_RENAME)
    return uci_frame(raw, currency)


def _read_xlsx_sheets(data: bytes) -> pl.DataFrame:
    """Every sheet of a workbook, one after the other, as text (UCI distributes "Online Retail II"
    as ``online_retail_II.xlsx`` with one sheet per year, each with its header row). Line
    numbers then count across the sheets. Slower than CSV (openpyxl): about a minute for the
    1,067,371 rows of the full file."""
    from openpyxl import load_workbook

    from xborder.importing import _cell_text

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationError(f"sales: not a readable XLSX workbook ({exc})", field="sales") from None
    header: list[str] | None = None
    rows: list[list[str]] = []
    try:
        for ws in wb.worksheets:
            it = ws.iter_rows(values_only=True)
            first = next(it, None)
            if first is None:
                continue
            names = [_cell_text(c).strip() for c in first]
            while names and not names[-1]:
                names.pop()
            if header is None:
                header = names
            elif names != header:
                raise ValidationError(f"sales: sheet {ws.title!r} has other columns than the first sheet", field="sales")
            width = len(header)
            for r in it:
                cells = [_cell_text(c) for c in r[:width]]
                if any(cells):
                    rows.append(cells + [""] * (width - len(cells)))
    finally:
        wb.close()
    if header is None:
        raise ValidationError("sales: the workbook is empty", field="sales")
    return pl.DataFrame(rows, schema=dict.fromkeys(header, pl.Utf8), orient="row") if rows else \
        pl.DataFrame(schema=dict.fromkeys(header, pl.Utf8))


def _uci_date(col: str) -> pl.Expr:
    s = pl.col(col).str.strip_chars()
    return pl.coalesce([s.str.to_datetime(f, strict=False) for f in UCI_DATE_FORMATS])


def uci_frame(raw: pl.DataFrame, currency: str = "GBP") -> pl.DataFrame:
    frame = raw.with_row_index("line", offset=2).select(
        pl.col("line").cast(pl.Int64),
        pl.col("InvoiceNo").str.strip_chars().alias("order_id"),
        _uci_date("InvoiceDate").alias("date"),
        pl.col("StockCode").str.strip_chars().alias("product"),
        pl.col("Description").str.strip_chars().alias("description"),
        int_expr("Quantity").alias("quantity"),
        scaled_price_expr("UnitPrice").alias("price_e4"),
        customer_expr("CustomerID").alias("customer"),
        pl.col("Country").str.strip_chars().alias("market"),
        pl.col("InvoiceNo").str.strip_chars().str.starts_with("C").fill_null(False).alias("cancelled"),
        pl.lit(currency).alias("currency"),
    )
    return _finish(frame)


def uci_frame_from_rows(rows: Iterable[Sequence[str | None]], currency: str = "GBP") -> pl.DataFrame:
    raw = pl.DataFrame([list(r) for r in rows], schema=list(UCI_COLUMNS), orient="row")
    return uci_frame(raw, currency)


def canonical_frame(records: Sequence[dict], currency: str) -> pl.DataFrame:
    """Build the canonical frame from already-typed records (own orders from the database).

    Each record: order_id, date (datetime), product, description, quantity (int),
    unit_price (Decimal), customer, market, cancelled (bool), line (int, optional).
    """
    rows = []
    for i, r in enumerate(records, start=1):
        rows.append(
            {
                "line": int(r.get("line") or i),
                "order_id": str(r["order_id"]),
                "date": r["date"],
                "product": r.get("product"),
                "description": r.get("description") or "",
                "quantity": int(r["quantity"]) if r.get("quantity") is not None else None,
                "price_e4": decimal_to_e4(Decimal(r["unit_price"])) if r.get("unit_price") is not None else None,
                "customer": r.get("customer") or None,
                "market": r.get("market"),
                "cancelled": bool(r.get("cancelled", False)),
                "currency": r.get("currency") or currency,
            }
        )
    schema = {k: v for k, v in CANONICAL.items() if k != "invalid"}
    frame = pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
    return _finish(frame)


@dataclass(frozen=True)
class CleaningResult:
    frame: pl.DataFrame  # kept rows, with ``revenue_e4``
    rows_in: int
    dropped: dict[str, int]
    explanations: dict[str, str] = field(default_factory=dict)

    @property
    def rows_used(self) -> int:
        return self.frame.height

    def to_dict(self) -> dict:
        return {"rows_in": self.rows_in, "rows_used": self.rows_used, "dropped": dict(self.dropped)}


def _is_non_product() -> pl.Expr:
    code = pl.col("product").str.to_uppercase()
    expr = code.is_in(list(NON_PRODUCT_CODES))
    for prefix in NON_PRODUCT_PREFIXES:
        expr = expr | code.str.starts_with(prefix)
    return expr.fill_null(False)


def clean(frame: pl.DataFrame, *, require_customer: bool = True, match_cancellations: bool = True) -> CleaningResult:
    """Apply the cleaning rules of the module docstring; count each dropped row once."""
    rows_in = frame.height
    reason = (
        pl.when(pl.col("invalid"))
        .then(pl.lit("invalid_row"))
        .when(pl.col("cancelled"))
        .then(pl.lit("cancellation"))
        .when(_is_non_product())
        .then(pl.lit("non_product_code"))
        .when(pl.col("quantity") <= 0)
        .then(pl.lit("negative_quantity"))
        .when(pl.col("price_e4") <= 0)
        .then(pl.lit("non_positive_price"))
    )
    if require_customer:
        reason = reason.when(pl.col("customer").is_null()).then(pl.lit("missing_customer"))
    tagged = frame.with_columns(reason.otherwise(None).alias("reason"))

    if match_cancellations:
        tagged = _mark_cancelled_originals(tagged)

    counts = tagged.filter(pl.col("reason").is_not_null()).group_by("reason").agg(pl.len().alias("n"))
    order = list(REASONS)
    dropped = {r: int(n) for r, n in sorted(counts.iter_rows(), key=lambda t: order.index(t[0]))}
    kept = (
        tagged.filter(pl.col("reason").is_null())
        .drop("reason", "invalid", "cancelled")
        .with_columns((pl.col("quantity") * pl.col("price_e4")).alias("revenue_e4"))
    )
    return CleaningResult(kept, rows_in, dropped, {r: REASONS[r] for r in dropped})


def _mark_cancelled_originals(tagged: pl.DataFrame) -> pl.DataFrame:
    """Tag the latest earlier sale matching each cancellation (customer, product, |quantity|)."""
    cancels = tagged.filter(
        pl.col("cancelled") & pl.col("customer").is_not_null() & (pl.col("quantity") < 0) & ~pl.col("invalid")
    ).select(
        pl.col("customer"), pl.col("product"), (-pl.col("quantity")).alias("quantity"), pl.col("date").alias("cdate")
    )
    if cancels.height == 0:
        return tagged
    sales = tagged.filter(pl.col("reason").is_null()).select("line", "customer", "product", "quantity", "date")
    if sales.height == 0:
        return tagged
    matched = (
        cancels.sort("cdate")
        .join_asof(
            sales.sort("date"),
            left_on="cdate",
            right_on="date",
            by=["customer", "product", "quantity"],
            strategy="backward",
            check_sortedness=False,
        )
        .filter(pl.col("line").is_not_null())
        .select(pl.col("line").unique())
    )
    if matched.height == 0:
        return tagged
    hit = pl.col("line").is_in(matched["line"].implode())
    return tagged.with_columns(
        pl.when(pl.col("reason").is_null() & hit).then(pl.lit("cancelled_original")).otherwise(pl.col("reason")).alias("reason")
    )

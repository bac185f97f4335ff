"""Reconciliation of payout lines with orders, collection receipts and FX settlements (pure).

Rules (each discrepancy names its rule):

1. **Matching.** A payout line with an order reference is matched to the order with the same
   reference (compared without a leading ``#`` and case-insensitively: Stripe/PayPal write
   ``#1001`` for Shopify's ``#1001``) in the same family (Amazon settlement lines to Amazon
   orders; every other provider to non-Amazon orders).
2. **Unmatched payout lines** (``unmatched_payout_line``): a line whose order reference is not
   among the orders, or a sale/refund line with no order reference at all. Account-level lines
   without a reference (advertising, storage, reserves, subscriptions, transfers) are not orders'
   lines and are not flagged.
3. **Orders without payout** (``order_without_payout``): a priced, not-cancelled order with no
   matched line.
4. **Amount differences** (``amount_mismatch``): for a matched order in the payout currency, the
   sale lines (principal + shipping + promotions of non-refund transactions) must equal the
   order's net revenue (item + shipping − discounts), or — for processors that pay the buyer's
   total (Stripe, PayPal) — its gross including taxes, within the tolerance (default 0.01).
   ``currency_mismatch`` when the order and the line are in different currencies.
5. **Unexpected fee types** (``unexpected_fee_type``): a fee description not in the
   classification table (:mod:`xborder.payments.model`), one entry per description.
6. **Payout totals** (``payout_total_mismatch``): the lines of a settlement with a stated summary
   total (Amazon) must add up to it.
7. **Ties.** A marketplace payout is tied to a collection-platform receipt in the same currency
   for the same amount (within the tolerance) dated from 3 days before to 10 days after the
   payout's deposit date; receipts are then tied first-in-first-out to conversions (FX
   settlements) in that currency. ``payout_without_receipt`` is reported only for Amazon payouts
   (paid into collection-platform accounts) in currencies in which receipts were imported (otherwise the collection statements are simply not loaded yet).

Amounts are scaled integers (value × 10⁴, as stored by ``xborder.db.Money4``) so that sums over
millions of lines are exact and vectorised (polars).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import polars as pl

from xborder.money import dec_str, minor_units
from xborder.payments.model import FEE_CLASSES, REFUND_TYPES, SALE_CLASSES

SCALE = 10_000
NEEDS_ORDER = ("sale", "shipping_income", "refunds")
# marketplaces that pay into a collection-platform account (Stripe/PayPal pay to a bank or a PayPal balance)
RECEIPT_PROVIDERS = ("amazon",)
CANCELLED = ("cancelled", "canceled", "已取消", "voided")


def amount_str(scaled: int, currency: str) -> str:
    return dec_str(Decimal(int(scaled)) / SCALE, minor_units(currency))


ORDER_SCHEMA = {"order_id": pl.Int64, "channel": pl.Utf8, "order_ref": pl.Utf8, "currency": pl.Utf8,
                "net": pl.Int64, "gross": pl.Int64, "priced": pl.Boolean, "status": pl.Utf8}
LINE_SCHEMA = {"line_id": pl.Int64, "payout_id": pl.Int64, "provider": pl.Utf8, "order_ref": pl.Utf8,
               "fee_class": pl.Utf8, "unexpected": pl.Boolean, "amount": pl.Int64, "currency": pl.Utf8,
               "transaction_type": pl.Utf8, "amount_type": pl.Utf8, "description": pl.Utf8}


@dataclass(frozen=True)
class PayoutFact:
    payout_id: int
    provider: str
    payout_ref: str
    currency: str
    total: int | None
    deposit_date: date | None


@dataclass(frozen=True)
class ReceiptFact:
    receipt_id: int
    provider: str
    ref: str
    on: date
    kind: str
    amount: int
    currency: str


@dataclass(frozen=True)
class SettlementFact:
    settlement_id: int
    ref: str
    on: date
    currency: str
    foreign_amount: int  # positive, scaled
    cny_amount: int  # scaled


@dataclass
class ReconResult:
    matched: int
    unmatched_payout_lines: int
    orders_without_payout: int
    discrepancies: list[dict[str, Any]]
    fees_by_type: dict[str, str]
    fees_by_currency: dict[str, dict[str, str]]
    ties: list[dict[str, Any]] = field(default_factory=list)
    line_orders: pl.DataFrame | None = None  # line_id -> order_id for matched lines

    def to_dict(self) -> dict[str, Any]:
        return {"matched": self.matched, "unmatched_payout_lines": self.unmatched_payout_lines,
                "orders_without_payout": self.orders_without_payout, "discrepancies": self.discrepancies,
                "fees_by_type": self.fees_by_type, "fees_by_currency": self.fees_by_currency, "ties": self.ties}


def _norm(col: str) -> pl.Expr:
    return pl.col(col).str.strip_chars().str.strip_chars_start("#").str.to_lowercase()


def reconcile(orders: pl.DataFrame, lines: pl.DataFrame, payouts: list[PayoutFact] = (),
              receipts: list[ReceiptFact] = (), settlements: list[SettlementFact] = (),
              tolerance: Decimal = Decimal("0.01")) -> ReconResult:
    tol = int(tolerance * SCALE)
    orders = orders.with_columns(
        _norm("order_ref").alias("k"),
        pl.when(pl.col("channel") == "amazon").then(pl.lit("amazon")).otherwise(pl.lit("other")).alias("fam"))
    orders = orders.unique(subset=["k", "fam"], keep="first", maintain_order=True)
    lines = lines.with_columns(
        _norm("order_ref").alias("k"),
        pl.when(pl.col("provider") == "amazon").then(pl.lit("amazon")).otherwise(pl.lit("other")).alias("fam"),
        pl.col("transaction_type").fill_null("").str.to_lowercase().is_in(list(REFUND_TYPES)).alias("is_refund"))
    j = lines.join(orders.select("k", "fam", "order_id", pl.col("currency").alias("order_currency"),
                                 "net", "gross", "priced", "order_ref").rename({"order_ref": "o_ref"}),
                   on=["k", "fam"], how="left")
    matched_mask = pl.col("order_id").is_not_null()
    matched = j.filter(matched_mask)
    unmatched = j.filter(~matched_mask & (pl.col("k").is_not_null() | pl.col("fee_class").is_in(list(NEEDS_ORDER))))
    discrepancies: list[dict[str, Any]] = []

    ref_of = {p.payout_id: p.payout_ref for p in payouts}
    # 2. unmatched lines, one entry per (payout, order reference)
    if unmatched.height:
        g = (unmatched.group_by(["payout_id", "order_ref", "currency"], maintain_order=True)
             .agg(pl.len().alias("n"), pl.col("amount").sum().alias("amt"), pl.col("line_id").min().alias("first")))
        for row in g.iter_rows(named=True):
            discrepancies.append({"type": "unmatched_payout_line", "order_id": row["order_ref"],
                                  "payout_id": ref_of.get(row["payout_id"], str(row["payout_id"])), "lines": row["n"], "currency": row["currency"],
                                  "amount": amount_str(row["amt"], row["currency"]),
                                  "message": (f"{row['n']} payout line(s) for order {row['order_ref']} not found among orders"
                                              if row["order_ref"] else f"{row['n']} sale/refund line(s) without an order reference")})

    # 3. orders without payout
    live = orders.filter(pl.col("priced") & (pl.col("net") != 0)
                         & ~pl.col("status").fill_null("").str.to_lowercase().is_in(list(CANCELLED)))
    paid_ids = matched.select("order_id").unique()
    without = live.join(paid_ids, on="order_id", how="anti")
    for row in without.select("order_ref", "channel", "currency", "net").iter_rows(named=True):
        discrepancies.append({"type": "order_without_payout", "order_id": row["order_ref"], "channel": row["channel"],
                              "currency": row["currency"], "expected": amount_str(row["net"], row["currency"] or "USD"),
                              "message": f"order {row['order_ref']} has no payout line yet"})

    # 4. amounts
    cur_mis = matched.filter(pl.col("order_currency").is_not_null() & (pl.col("order_currency") != pl.col("currency")))
    for row in cur_mis.group_by(["o_ref", "currency", "order_currency"], maintain_order=True).agg(pl.len()).iter_rows(named=True):
        discrepancies.append({"type": "currency_mismatch", "order_id": row["o_ref"], "currency": row["currency"],
                              "order_currency": row["order_currency"],
                              "message": f"order {row['o_ref']} is in {row['order_currency']} but paid in {row['currency']}"})
    same = matched.filter(pl.col("order_currency") == pl.col("currency"))
    sales = (same.filter(pl.col("fee_class").is_in(list(SALE_CLASSES)) & ~pl.col("is_refund"))
             .group_by(["order_id", "o_ref", "currency", "provider"])
             .agg(pl.col("amount").sum().alias("sale"), pl.col("net").first(), pl.col("gross").first(),
                  pl.col("priced").first()))
    taxes = (same.filter((pl.col("fee_class") == "tax") & ~pl.col("is_refund"))
             .group_by("order_id").agg(pl.col("amount").sum().alias("tax")))
    sales = sales.join(taxes, on="order_id", how="left").with_columns(pl.col("tax").fill_null(0))
    bad = sales.filter(pl.col("priced")
                       & ((pl.col("sale") - pl.col("net")).abs() > tol)
                       & ((pl.col("sale") - pl.col("gross")).abs() > tol)
                       & ((pl.col("sale") + pl.col("tax") - pl.col("gross")).abs() > tol))
    for row in bad.iter_rows(named=True):
        expected = row["gross"] if row["provider"] in ("stripe", "paypal") else row["net"]
        discrepancies.append({"type": "amount_mismatch", "order_id": row["o_ref"], "currency": row["currency"],
                              "expected": amount_str(expected, row["currency"]),
                              "actual": amount_str(row["sale"], row["currency"]),
                              "difference": amount_str(row["sale"] - expected, row["currency"]),
                              "message": f"order {row['o_ref']}: paid {amount_str(row['sale'], row['currency'])} "
                                         f"for {amount_str(expected, row['currency'])} sold"})

    # 5. unexpected fee types
    unexp = (lines.filter(pl.col("unexpected"))
             .group_by(["provider", "amount_type", "description", "currency"], maintain_order=True)
             .agg(pl.len().alias("n"), pl.col("amount").sum().alias("amt")))
    for row in unexp.iter_rows(named=True):
        discrepancies.append({"type": "unexpected_fee_type", "provider": row["provider"],
                              "fee_type": f"{row['amount_type'] or ''}/{row['description'] or ''}".strip("/"),
                              "lines": row["n"], "currency": row["currency"],
                              "amount": amount_str(row["amt"], row["currency"]),
                              "message": f"fee type {row['description']!r} is not in the classification table (counted as other)"})

    # 6. payout totals
    sums = dict(lines.group_by("payout_id").agg(pl.col("amount").sum()).iter_rows())
    for p in payouts:
        s = sums.get(p.payout_id, 0)
        # only statements with a stated summary total (Amazon); PayPal/Stripe totals are derived
        if p.provider == "amazon" and p.total is not None and abs(s - p.total) > tol:
            discrepancies.append({"type": "payout_total_mismatch", "payout_id": p.payout_ref, "currency": p.currency,
                                  "expected": amount_str(p.total, p.currency), "actual": amount_str(s, p.currency),
                                  "message": f"lines of payout {p.payout_ref} add up to {amount_str(s, p.currency)}, "
                                             f"summary says {amount_str(p.total, p.currency)}"})

    # fees
    fees = (lines.filter(pl.col("fee_class").is_in(list(FEE_CLASSES)))
            .group_by(["currency", "fee_class"]).agg(pl.col("amount").sum()).sort(["currency", "fee_class"]))
    by_cur: dict[str, dict[str, str]] = defaultdict(dict)
    for cur, cls, amt in fees.iter_rows():
        by_cur[cur][cls] = amount_str(amt, cur)
    if len(by_cur) <= 1:
        fees_by_type = next(iter(by_cur.values()), {})
    else:
        fees_by_type = {f"{cls} {cur}": v for cur, d in by_cur.items() for cls, v in d.items()}

    ties, tie_disc = tie_payouts(list(payouts), list(receipts), list(settlements), tol)
    discrepancies.extend(tie_disc)
    return ReconResult(
        matched=matched.height, unmatched_payout_lines=unmatched.height, orders_without_payout=without.height,
        discrepancies=discrepancies, fees_by_type=fees_by_type, fees_by_currency=dict(by_cur), ties=ties,
        line_orders=matched.select("line_id", "order_id"))


def tie_payouts(payouts: list[PayoutFact], receipts: list[ReceiptFact], settlements: list[SettlementFact],
                tol: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    incoming = sorted((r for r in receipts if r.kind == "receipt" and r.amount > 0), key=lambda r: (r.on, r.receipt_id))
    used: set[int] = set()
    ties: list[dict[str, Any]] = []
    disc: list[dict[str, Any]] = []
    currencies_with_receipts = {r.currency for r in incoming}
    receipt_tie: dict[int, dict[str, Any]] = {}
    for p in sorted(payouts, key=lambda p: (p.deposit_date or date.min, p.payout_id)):
        if p.total is None or p.total <= 0 or p.deposit_date is None:
            continue
        hit = next((r for r in incoming if r.receipt_id not in used and r.currency == p.currency
                    and abs(r.amount - p.total) <= tol
                    and p.deposit_date - timedelta(days=3) <= r.on <= p.deposit_date + timedelta(days=10)), None)
        if hit is None:
            if p.provider in RECEIPT_PROVIDERS and p.currency in currencies_with_receipts:
                disc.append({"type": "payout_without_receipt", "payout_id": p.payout_ref, "currency": p.currency,
                             "expected": amount_str(p.total, p.currency),
                             "message": f"payout {p.payout_ref} ({amount_str(p.total, p.currency)} {p.currency}) "
                                        f"has no matching collection receipt"})
            continue
        used.add(hit.receipt_id)
        t = {"payout_id": p.payout_ref, "provider": p.provider, "currency": p.currency,
             "amount": amount_str(p.total, p.currency), "receipt": hit.ref, "receipt_provider": hit.provider,
             "receipt_date": hit.on.isoformat(), "fx_settlements": []}
        ties.append(t)
        receipt_tie[hit.receipt_id] = t
    # FIFO: conversions consume receipts of the same currency in date order
    for cur in {r.currency for r in incoming}:
        queue = [[r, r.amount] for r in incoming if r.currency == cur]
        for s in sorted((s for s in settlements if s.currency == cur), key=lambda s: (s.on, s.settlement_id)):
            left = s.foreign_amount
            for item in queue:
                if left <= 0:
                    break
                r, open_amt = item
                if open_amt <= 0 or r.on > s.on:
                    continue
                take = min(open_amt, left)
                item[1] -= take
                left -= take
                t = receipt_tie.get(r.receipt_id)
                if t is not None:
                    rate = Decimal(s.cny_amount) / Decimal(s.foreign_amount)
                    t["fx_settlements"].append({"ref": s.ref, "date": s.on.isoformat(),
                                                "amount": amount_str(take, cur), "rate": dec_str(rate, 6)})
    return ties, disc


def orders_frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=ORDER_SCHEMA, orient="row")


def lines_frame(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=LINE_SCHEMA, orient="row")

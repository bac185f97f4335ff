"""Amazon Settlement Report V2 flat file (``GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2``).

Tab-separated, 24 columns (``rebate_fx.md`` §4.2, ``marketplaces.md`` §2.2). The first data row of
each settlement is the *summary* (settlement-id, start/end/deposit dates, total-amount, currency
filled; transaction-type empty); then one row per transaction × amount-type × description.
Signs: sales positive, fees and refunds negative.

Traps handled (documented by the ``leakproof`` parser): the decimal separator depends on the
marketplace (decided once per file from every amount, no thousands separator); dates come as
``2026-03-06 08:52:26 UTC``, ``06.03.2026 08:52:26 UTC`` or ``06/03/2026``; unknown transaction
types are kept as ``other`` and flagged; several settlements concatenated in one file are split
by settlement-id.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from xborder.money import is_currency
from xborder.payments.model import ParsedPayouts, PayoutLineRecord, PayoutRecord, classify_amazon, line_key
from xborder.sales.importers.base import (
    RowReader,
    file_decimal_separator,
    header_error,
    iter_rows,
    read_table,
)
from xborder.sales.model import RowError, market_for_sales_channel

FORMAT = "amazon-settlement-v2"
COLUMNS = ["settlement-id", "settlement-start-date", "settlement-end-date", "deposit-date", "total-amount", "currency",
           "transaction-type", "order-id", "merchant-order-id", "adjustment-id", "shipment-id", "marketplace-name",
           "amount-type", "amount-description", "amount", "fulfillment-id", "posted-date", "posted-date-time",
           "order-item-code", "merchant-order-item-id", "merchant-adjustment-item-id", "sku", "quantity-purchased",
           "promotion-id"]
REQUIRED = [("settlement-id",), ("transaction-type",), ("amount-type",), ("amount-description",), ("amount",),
            ("currency",), ("total-amount",)]
KEY_COLUMNS = ["settlement-id", "transaction-type", "order-id", "adjustment-id", "shipment-id", "amount-type",
               "amount-description", "amount", "posted-date-time", "posted-date", "order-item-code",
               "merchant-adjustment-item-id", "sku", "quantity-purchased", "promotion-id"]


def dayfirst_for(table) -> bool:
    """Slash dates are day-first unless every one could be month-first and the file is US/CA."""
    idx = table.index()
    cols = [idx[c.replace("-", "")] for c in ("posted-date", "deposit-date", "settlement-start-date") if c.replace("-", "") in idx]
    firsts = []
    for _, r in table.rows[:2000]:
        for i in cols:
            m = re.match(r"(\d{1,2})[/.](\d{1,2})[/.]\d{2,4}", r[i] if i < len(r) else "")
            if m:
                firsts.append((int(m.group(1)), int(m.group(2))))
    if any(a > 12 for a, _ in firsts):
        return True
    if any(b > 12 for _, b in firsts):
        return False
    cur_i = idx.get("currency")
    curs = {r[cur_i] for _, r in table.rows[:50] if cur_i is not None and cur_i < len(r) and r[cur_i]}
    return not curs <= {"USD", "CAD", ""}


def parse(data: bytes) -> ParsedPayouts:
    table = read_table(data, header_hint=["settlement-id"])
    errors: list[RowError] = header_error(table, REQUIRED, FORMAT)
    if errors:
        return ParsedPayouts([], [], errors, len(table.rows), table.encoding)
    seps = file_decimal_separator(table, ["amount", "total-amount"])
    r = RowReader(table, errors, seps)
    dayfirst = dayfirst_for(table)
    payouts: dict[str, PayoutRecord] = {}
    occurrences: Counter[tuple] = Counter()
    for row in iter_rows(table, r):
        sid = row.required("settlement-id")
        if sid is None:
            continue
        ttype = row.text("transaction-type")
        if ttype is None and row.text("amount-type") is None:  # summary row
            cur = row.currency("currency")
            total = row.decimal("total-amount", required=True)
            start = row.when("settlement-start-date", dayfirst=dayfirst)
            end = row.when("settlement-end-date", dayfirst=dayfirst)
            dep = row.when("deposit-date", dayfirst=dayfirst)
            if sid in payouts and payouts[sid].total is not None:
                row.error("settlement-id", f"settlement {sid} has two summary rows")
                continue
            if cur is None or total is None:
                continue
            p = payouts.get(sid)
            if p is None:
                p = payouts[sid] = PayoutRecord("amazon", sid, cur, total, source_line=row.line)
            p.currency, p.total = cur, total
            p.start, p.end, p.deposit_date = (start.date() if start else None, end.date() if end else None,
                                              dep.date() if dep else None)
            continue
        amount = row.decimal("amount", required=True)
        atype = row.text("amount-type")
        desc = row.text("amount-description")
        if atype is None:
            row.error(row.col("amount-type"), "required value is empty")
        posted = row.when("posted-date-time", "posted-date", dayfirst=dayfirst)
        cur_cell = row.text("currency")
        if cur_cell and not is_currency(cur_cell.upper()):
            row.error(row.col("currency"), f"unknown ISO 4217 currency code {cur_cell!r}")
        qty = row.decimal("quantity-purchased")
        if amount is None or atype is None:
            continue
        p = payouts.get(sid)
        if p is None:
            row.error("settlement-id", f"transaction row before the summary row of settlement {sid}")
            continue
        cls, unexpected = classify_amazon(ttype, atype, desc)
        base = tuple(row.raw(c) for c in KEY_COLUMNS)
        occurrences[base] += 1
        p.lines.append(PayoutLineRecord(
            line_key=line_key("amazon", *base, occurrences[base]), posted_at=posted, transaction_type=ttype,
            amount_type=atype, description=desc, fee_class=cls, unexpected=unexpected, amount=amount,
            currency=(cur_cell or p.currency).upper(), order_ref=row.text("order-id"), sku=row.text("sku"),
            quantity=qty, source_line=row.line))
        if p.marketplace is None:
            p.marketplace = market_for_sales_channel(row.text("marketplace-name"))
    for p in payouts.values():
        if p.total is None:
            errors.append(RowError(p.source_line, "settlement-id", f"settlement {p.payout_ref} has no summary row"))
    return ParsedPayouts(list(payouts.values()), [], errors, len(table.rows), table.encoding)


def line_sum(p: PayoutRecord) -> Decimal:
    return sum((ln.amount for ln in p.lines), Decimal(0))

"""Stripe exports, ``rebate_fx.md`` §4.4; both shapes, told apart by their header:

* Reports API ``balance_change_from_activity.itemized.3`` / ``payout_reconciliation.itemized.*``
  (snake_case): ``balance_transaction_id, created_utc, currency, gross, fee, net,
  reporting_category, description, automatic_payout_id, automatic_payout_effective_at…``;
* Dashboard "Balance → All activity" (Title Case): ``id, Type, Source, Amount, Fee, Net, Currency,
  Created (UTC), Available On (UTC), Description, …, Transfer, Transfer Date (UTC)`` plus
  ``<key> (metadata)`` columns.

CSV money is in major units (``10.00``); files may carry a BOM and CRLF; descriptions may hold
quoted commas (a real CSV parser is used). Lines are grouped into payouts by
``automatic_payout_id``/``Transfer`` (rows not yet paid out go to ``stripe:pending:<cur>``).
The order reference is the ``order_id`` metadata when present, else ``#1234``/``Order 1234`` in
the description.
"""

from __future__ import annotations

import re
from decimal import Decimal

from xborder.payments.model import ParsedPayouts, PayoutLineRecord, PayoutRecord, classify_stripe, line_key
from xborder.sales.importers.base import RowReader, file_decimal_separator, iter_rows, read_table
from xborder.sales.model import RowError

FORMAT = "stripe"
_ORDER = re.compile(r"(#\d+|[Oo]rder\s*#?\s*([A-Za-z0-9-]+))")


def _order_ref(row: RowReader) -> str | None:
    meta = row.text("payment_metadata[order_id]", "order_id (metadata)", "order_id", "Order ID (metadata)")
    if meta:
        return meta
    desc = row.text("description", "Description") or ""
    m = re.search(r"#\d+", desc)
    if m:
        return m.group(0)
    m = _ORDER.search(desc)
    return m.group(2) if m else None


def parse(data: bytes) -> ParsedPayouts:
    table = read_table(data, header_hint=["balance_transaction_id", "id", "reporting_category", "Type"])
    idx = table.index()
    api = "balancetransactionid" in idx
    need = (["balancetransactionid", "currency", "gross", "reportingcategory", "createdutc"] if api
            else ["id", "type", "amount", "currency", "createdutc"])
    miss = [n for n in need if n not in idx and not (n == "createdutc" and "created" in idx)]
    if not table.header or miss:
        return ParsedPayouts([], [], [RowError(1, m, "required column is missing for format stripe") for m in miss]
                             or [RowError(1, None, "no header")], len(table.rows), table.encoding)
    errors: list[RowError] = []
    r = RowReader(table, errors, file_decimal_separator(table, ["gross", "fee", "net", "Amount", "Fee", "Net"]))
    groups: dict[tuple[str, str], PayoutRecord] = {}
    for row in iter_rows(table, r):
        txid = row.required("balance_transaction_id" if api else "id")
        when = row.when("created_utc", "Created (UTC)", "created", required=True)
        cur = row.currency("currency", "Currency")
        gross = row.decimal("gross" if api else "Amount", required=True)
        fee = row.decimal("fee", "Fee") or Decimal(0)
        cat = row.text("reporting_category") if api else row.text("Type")
        payout_id = row.text("automatic_payout_id", "Transfer")
        if None in (txid, when, cur, gross):
            continue
        cur = cur.upper()
        pdate = row.when("automatic_payout_effective_at_utc", "automatic_payout_effective_at", "Transfer Date (UTC)")
        key = (payout_id or f"stripe:pending:{cur}", cur)
        p = groups.get(key)
        if p is None:
            p = groups[key] = PayoutRecord("stripe", key[0], cur, Decimal(0), deposit_date=pdate.date() if pdate else None,
                                           source_line=row.line)
        cls, unexpected = classify_stripe(cat)
        order = _order_ref(row)
        common = dict(posted_at=when, transaction_type=cat, currency=cur, order_ref=order, source_line=row.line)
        p.lines.append(PayoutLineRecord(line_key=line_key("stripe", txid, "gross"), amount_type="gross",
                                        description=row.text("description", "Description"), fee_class=cls,
                                        unexpected=unexpected, amount=gross, **common))
        if fee:
            # Stripe reports the fee as a positive cost; stored negative like every other fee
            p.lines.append(PayoutLineRecord(line_key=line_key("stripe", txid, "fee"), amount_type="fee",
                                            description="Stripe fee", fee_class="payment", unexpected=False,
                                            amount=-abs(fee), **common))
    for p in groups.values():
        p.total = sum((ln.amount for ln in p.lines if ln.fee_class != "transfer"), Decimal(0))
        ds = [ln.posted_at.date() for ln in p.lines if ln.posted_at]
        p.start, p.end = (min(ds), max(ds)) if ds else (None, None)
    return ParsedPayouts(list(groups.values()), [], errors, len(table.rows), table.encoding)

"""PayPal activity download ("balance affecting" CSV), ``rebate_fx.md`` §4.3.

Columns are user-selectable and their names drift ("Time Zone"/"TimeZone", "Invoice Number
Text"); date order and decimal separator follow the account locale (detected per file). Each
row gives up to two payout lines: the *gross* (class by ``Type``) and the *fee* (class
``payment``). Memo rows (``Balance Impact = Memo``) do not move money and are skipped.
PayPal has no settlement id: each currency of a file is one *statement* payout
``paypal:<first date>..<last date>:<currency>`` whose total is the sum of its balance-affecting
rows; the transaction id makes lines idempotent across overlapping downloads.
The order reference is ``Invoice Number`` (shops put their order number there).
"""

from __future__ import annotations

import re
from decimal import Decimal

from xborder.payments.model import ParsedPayouts, PayoutLineRecord, PayoutRecord, classify_paypal, line_key
from xborder.sales.importers.base import (
    RowReader,
    file_decimal_separator,
    header_error,
    iter_rows,
    read_table,
)
from xborder.sales.model import RowError

FORMAT = "paypal"
REQUIRED = [("Date",), ("Type",), ("Currency",), ("Gross",), ("Transaction ID",)]


def _dayfirst(table) -> bool:
    i = table.index().get("date")
    for _, r in table.rows[:500]:
        m = re.match(r"(\d{1,2})[/.](\d{1,2})[/.]\d{2,4}", r[i] if i is not None and i < len(r) else "")
        if m and int(m.group(1)) > 12:
            return True
        if m and int(m.group(2)) > 12:
            return False
    return any("." in (r[i] if i is not None and i < len(r) else "") for _, r in table.rows[:5])


def parse(data: bytes) -> ParsedPayouts:
    table = read_table(data, header_hint=["Transaction ID", "Gross"])
    errors: list[RowError] = header_error(table, REQUIRED, FORMAT)
    if errors:
        return ParsedPayouts([], [], errors, len(table.rows), table.encoding)
    r = RowReader(table, errors, file_decimal_separator(table, ["Gross", "Fee", "Net", "Balance"]))
    dayfirst = _dayfirst(table)
    lines: dict[str, list[PayoutLineRecord]] = {}
    dates: dict[str, list] = {}
    for row in iter_rows(table, r):
        if (row.text("Balance Impact") or "").lower() == "memo":
            continue
        day = row.text("Date")
        t = row.text("Time")
        tz = row.text("TimeZone", "Time Zone")
        when = row.when("Date", dayfirst=dayfirst, required=True)
        if when is not None and t:
            from xborder.sales.textparse import ParseError, parse_datetime
            try:
                when = parse_datetime(f"{day} {t}" + (f" {tz}" if tz and len(tz) <= 4 else ""), dayfirst=dayfirst) or when
            except ParseError:
                pass
        cur = row.currency("Currency")
        gross = row.decimal("Gross", required=True)
        fee = row.decimal("Fee") or Decimal(0)
        txid = row.required("Transaction ID")
        typ = row.text("Type")
        if None in (when, cur, gross, txid):
            continue
        cls, unexpected = classify_paypal(typ, gross)
        order = row.text("Invoice Number", "Invoice Number Text")
        common = dict(posted_at=when, transaction_type=typ, order_ref=order, currency=cur, source_line=row.line,
                      sku=row.text("Item ID"), quantity=row.decimal("Quantity"))
        lst = lines.setdefault(cur, [])
        dates.setdefault(cur, []).append(when.date())
        lst.append(PayoutLineRecord(line_key=line_key("paypal", txid, "gross"), amount_type="Gross", description=typ,
                                    fee_class=cls, unexpected=unexpected, amount=gross, **common))
        if fee:
            lst.append(PayoutLineRecord(line_key=line_key("paypal", txid, "fee"), amount_type="Fee",
                                        description="PayPal fee", fee_class="payment", unexpected=False, amount=fee,
                                        **common))
    payouts = []
    for cur, lst in lines.items():
        d = dates[cur]
        total = sum((ln.amount for ln in lst if ln.fee_class != "transfer"), Decimal(0))
        wd = [ln.posted_at.date() for ln in lst if ln.fee_class == "transfer" and ln.posted_at]
        payouts.append(PayoutRecord("paypal", f"paypal:{min(d)}..{max(d)}:{cur}", cur, total, min(d), max(d),
                                    max(wd) if wd else None, lines=lst))
    return ParsedPayouts(payouts, [], errors, len(table.rows), table.encoding)

"""Collection platforms (Payoneer, PingPong, WorldFirst, LianLian, Airwallex) and any other
payout CSV/XLSX, through a column mapping.

No public specification or sample header exists for these exports (``rebate_fx.md`` §4.5), so
the built-in :data:`PRESETS` are **project presets**: column names as the platforms' web
statements label them, written by us and to be edited when a real export differs (save an edited
copy under a new name). Fields::

    date, amount, currency            required
    fee, fx_rate, target_amount, target_currency, counterparty, reference, store, type,
    description, order_id             optional

A row whose ``target_currency`` is CNY with a ``target_amount`` is a **conversion** (结汇: it
becomes an FX settlement); a positive amount is a **receipt** (收款, money arriving from a
marketplace); a negative one a **withdrawal**. ``options.types`` can map ``type`` cell values to
kinds explicitly. The row's reference (or, without one, a hash of the row) is its natural key.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from xborder.payments.model import ParsedPayouts, ReceiptRecord, line_key
from xborder.sales.importers.base import RowReader, iter_rows, read_table
from xborder.sales.model import RowError

FIELDS = ("date", "amount", "currency", "fee", "fx_rate", "target_amount", "target_currency", "counterparty",
          "reference", "store", "type", "description", "order_id")

# Project presets (2026-11, written by Xborder; see the module docstring). Chinese platforms'
# statements are exported with Chinese headers.
PRESETS: dict[str, dict[str, Any]] = {
    "payoneer": {
        "columns": {"date": "Transaction Date", "description": "Description", "amount": "Amount",
                    "currency": "Currency", "fee": "Fee", "fx_rate": "Exchange Rate",
                    "target_amount": "Target Amount", "target_currency": "Target Currency",
                    "reference": "Transaction ID", "counterparty": "Payer", "store": "Store", "type": "Type"},
        "options": {"date_format": "%m/%d/%Y", "provider": "payoneer",
                    "types": {"Payment received": "receipt", "Withdrawal to bank": "conversion",
                              "Currency conversion": "conversion", "Fee": "fee"}},
    },
    "pingpong": {
        "columns": {"date": "交易时间", "type": "交易类型", "amount": "交易金额", "currency": "交易币种",
                    "fee": "手续费", "fx_rate": "汇率", "target_amount": "到账金额", "target_currency": "到账币种",
                    "store": "店铺名称", "reference": "交易流水号", "counterparty": "付款方"},
        "options": {"provider": "pingpong", "types": {"收款": "receipt", "入账": "receipt", "提现": "conversion",
                                                      "结汇": "conversion", "手续费": "fee"}},
    },
    "worldfirst": {
        "columns": {"date": "Date", "type": "Type", "reference": "Reference", "amount": "Amount",
                    "currency": "Currency", "fee": "Fee", "fx_rate": "Exchange rate",
                    "target_amount": "Converted amount", "target_currency": "Converted currency", "store": "Store",
                    "counterparty": "Payer"},
        "options": {"provider": "worldfirst", "date_format": "%d/%m/%Y",
                    "types": {"Receive": "receipt", "Convert": "conversion", "Withdraw": "conversion", "Fee": "fee"}},
    },
    "lianlian": {
        "columns": {"date": "创建时间", "type": "业务类型", "amount": "交易金额", "currency": "交易币种",
                    "fee": "手续费", "fx_rate": "汇率", "target_amount": "入账金额", "target_currency": "入账币种",
                    "store": "店铺名称", "reference": "交易单号", "counterparty": "付款方"},
        "options": {"provider": "lianlian", "types": {"收款": "receipt", "提现": "conversion", "结汇": "conversion",
                                                      "手续费": "fee"}},
    },
    "airwallex": {
        "columns": {"date": "Created At", "type": "Type", "amount": "Amount", "currency": "Currency", "fee": "Fee",
                    "fx_rate": "Rate", "target_amount": "Buy Amount", "target_currency": "Buy Currency",
                    "reference": "Request Id", "description": "Reference", "counterparty": "Payer Name"},
        "options": {"provider": "airwallex", "types": {"DEPOSIT": "receipt", "CONVERSION": "conversion",
                                                       "PAYOUT": "withdrawal", "FEE": "fee"}},
    },
}


def validate_mapping(mapping: dict[str, Any]) -> list[str]:
    cols = mapping.get("columns") or {}
    problems = [f"columns.{k}: unknown field" for k in cols if k not in FIELDS]
    for k in ("date", "amount"):
        if not cols.get(k):
            problems.append(f"columns.{k}: required")
    if not cols.get("currency") and not (mapping.get("options") or {}).get("currency"):
        problems.append("columns.currency: a currency column or options.currency is required")
    return problems


def parse(data: bytes, mapping: dict[str, Any], *, base_currency: str = "CNY") -> ParsedPayouts:
    problems = validate_mapping(mapping)
    if problems:
        return ParsedPayouts([], [], [RowError(0, p.split(":")[0], p.split(": ", 1)[1]) for p in problems], 0)
    cols: dict[str, str] = mapping["columns"]
    opts: dict[str, Any] = mapping.get("options") or {}
    provider = opts.get("provider") or mapping.get("name") or "mapped"
    table = read_table(data, header_hint=[cols["date"], cols["amount"]])
    lower = {h.lower() for h in table.header}
    missing = [c for k, c in cols.items() if c and c.lower() not in lower and k in ("date", "amount", "currency")]
    if not table.header or missing:
        return ParsedPayouts([], [], [RowError(1, m, "column named in the mapping is not in the file") for m in missing]
                             or [RowError(1, None, "no header row")], len(table.rows), table.encoding)
    sep = opts.get("decimal_separator")
    errors: list[RowError] = []
    r = RowReader(table, errors, {h: sep for h in table.header} if sep else None)
    fmts = tuple(f for f in [opts.get("date_format")] if f)
    types = {k.lower(): v for k, v in (opts.get("types") or {}).items()}

    def c(name: str) -> str:
        return cols.get(name) or f"\0{name}"

    receipts: list[ReceiptRecord] = []
    for row in iter_rows(table, r):
        when = row.when(c("date"), formats=fmts, dayfirst=bool(opts.get("dayfirst")), required=True)
        amount = row.decimal(c("amount"), required=True)
        cur = row.currency(c("currency"), default=opts.get("currency"))
        fee = row.decimal(c("fee")) or Decimal(0)
        rate = row.decimal(c("fx_rate"))
        tgt = row.decimal(c("target_amount"))
        tgt_cur = row.currency(c("target_currency"), required=False) if cols.get("target_currency") else None
        if None in (when, amount, cur):
            continue
        typ = row.text(c("type"))
        kind = types.get((typ or "").lower())
        if kind is None:
            if tgt is not None and tgt_cur == base_currency and cur != base_currency:
                kind = "conversion"
            else:
                kind = "receipt" if amount > 0 else "withdrawal"
        if kind == "conversion" and (tgt is None or tgt_cur is None):
            if rate is not None and tgt_cur:
                tgt = abs(amount) * rate
            else:
                row.error(row.col(c("target_amount")) or "target_amount",
                          "a conversion needs the amount received and its currency")
                continue
        ref = row.text(c("reference")) or line_key(provider, *row.cells)
        receipts.append(ReceiptRecord(
            provider=provider, ref=ref, on=when.date(), kind=kind, amount=amount, currency=cur, fee=fee, fx_rate=rate,
            target_amount=tgt, target_currency=tgt_cur, counterparty=row.text(c("counterparty")),
            store=row.text(c("store")), description=row.text(c("description")) or typ, source_line=row.line))
    return ParsedPayouts([], receipts, errors, len(table.rows), table.encoding)

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from xborder.payments import importers
from xborder.payments.importers.mapped import PRESETS

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "payments"


def parse(fmt, name, **kw):
    return importers.parse(fmt, (FIX / name).read_bytes(), **kw)


def test_amazon_settlement_us():
    p = parse("amazon-settlement-v2", "amazon_settlement_v2_us.txt")
    assert p.errors == []
    (s,) = p.payouts
    assert (s.payout_ref, s.currency, s.total) == ("24680135791", "USD", Decimal("25.86"))
    assert (s.start, s.end, s.deposit_date) == (date(2026, 3, 1), date(2026, 3, 15), date(2026, 3, 17))
    assert len(s.lines) == 20
    assert sum(ln.amount for ln in s.lines) == s.total
    classes = {(ln.amount_type, ln.description): ln.fee_class for ln in s.lines}
    assert classes[("ItemFees", "Commission")] == "referral"
    assert classes[("ItemFees", "FBAPerUnitFulfillmentFee")] == "fulfilment"
    assert classes[("Cost of Advertising", "TransactionTotalAmount")] == "advertising"
    assert classes[("other-transaction", "Current Reserve Amount")] == "reserves"
    assert classes[("ItemWithheldTax", "MarketplaceFacilitatorTax-Principal")] == "tax"
    assert [ln.description for ln in s.lines if ln.unexpected] == ["RegulatoryFee"]
    assert s.lines[0].posted_at == datetime(2026, 3, 5, 10, 0)
    assert len({ln.line_key for ln in s.lines}) == 20


def test_amazon_settlement_de_decimal_commas_and_refund():
    p = parse("amazon-settlement-v2", "amazon_settlement_v2_de.txt")
    assert p.errors == []
    (s,) = p.payouts
    assert s.total == Decimal("9.91") and s.deposit_date == date(2026, 3, 17) and s.marketplace == "DE"
    assert sum(ln.amount for ln in s.lines) == Decimal("9.91")
    refund = [ln for ln in s.lines if ln.transaction_type == "Refund"]
    assert [ln.fee_class for ln in refund] == ["refunds", "referral", "referral"]
    assert refund[0].amount == Decimal("-14.99")
    assert s.lines[0].posted_at == datetime(2026, 3, 11, 9, 30)


def test_amazon_settlement_bad_file_lists_every_error():
    p = parse("amazon-settlement-v2", "amazon_settlement_v2_bad.txt")
    assert {(e.line, e.column) for e in p.errors} == {(3, "amount"), (4, "posted-date-time"), (5, "currency")}


def test_stripe_itemized_and_dashboard():
    p = parse("stripe", "stripe_itemized.csv")
    assert p.errors == []
    (po,) = p.payouts
    assert po.payout_ref == "po_1OxyzPAY0001" and po.currency == "EUR" and po.deposit_date == date(2026, 3, 8)
    assert [(ln.fee_class, ln.amount, ln.order_ref) for ln in po.lines] == [
        ("sale", Decimal("42.90"), "#1001"), ("payment", Decimal("-0.89"), "#1001"),
        ("sale", Decimal("25.00"), "#1003"), ("payment", Decimal("-0.63"), "#1003")]
    d = parse("stripe", "stripe_balance_activity.csv")
    assert d.errors == [] and d.payouts[0].lines[0].order_ref == "#1001"
    # the same charge in both exports has the same key? no: different ids (dashboard txn_ vs report txn_)
    assert d.payouts[0].lines[0].amount == Decimal("42.90")


def test_paypal_activity():
    p = parse("paypal", "paypal_activity.csv")
    assert p.errors == []
    (po,) = p.payouts
    assert po.currency == "GBP" and po.deposit_date == date(2026, 3, 13)
    assert [(ln.fee_class, ln.amount) for ln in po.lines] == [
        ("sale", Decimal("16.00")), ("payment", Decimal("-0.99")), ("transfer", Decimal("-15.01"))]
    assert po.lines[0].order_ref == "#1002" and po.lines[0].posted_at == datetime(2026, 3, 6, 21, 15, 2)
    assert po.total == Decimal("15.01")


@pytest.mark.parametrize("preset,name,kinds,cur", [
    ("payoneer", "payoneer_statement.csv", ["receipt", "conversion"], "USD"),
    ("pingpong", "pingpong_statement.csv", ["receipt", "conversion"], "EUR"),
    ("lianlian", "lianlian_statement.csv", ["receipt", "conversion"], "GBP"),
    ("worldfirst", "worldfirst_statement.csv", ["receipt", "conversion"], "USD"),
    ("airwallex", "airwallex_transactions.csv", ["receipt", "conversion"], "JPY"),
])
def test_collection_presets(preset, name, kinds, cur):
    p = parse("mapped", name, mapping=PRESETS[preset])
    assert p.errors == []
    assert [r.kind for r in p.receipts] == kinds
    assert all(r.currency == cur for r in p.receipts)
    conv = p.receipts[1]
    assert conv.target_currency == "CNY" and conv.target_amount > 0 and conv.fx_rate > 0


def test_payoneer_values():
    p = parse("mapped", "payoneer_statement.csv", mapping=PRESETS["payoneer"])
    r, c = p.receipts
    assert (r.on, r.amount, r.ref) == (date(2026, 3, 17), Decimal("25.86"), "PYN-20260317-0001")
    assert (c.amount, c.fee, c.fx_rate, c.target_amount) == (Decimal("-25.86"), Decimal("0.26"), Decimal("7.1050"), Decimal("181.89"))


def test_mapped_bad_rows():
    data = b"Transaction Date,Description,Type,Amount,Currency\n13/45/2026,x,Payment received,abc,USD\n03/01/2026,y,Payment received,1.00,ZZZ\n"
    p = importers.parse("mapped", data, mapping=PRESETS["payoneer"])
    assert {(e.line, e.column) for e in p.errors} == {(2, "Transaction Date"), (2, "Amount"), (3, "Currency")}

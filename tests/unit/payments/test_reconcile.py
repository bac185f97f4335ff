from datetime import date
from decimal import Decimal
from pathlib import Path

from xborder.payments import importers as pay
from xborder.payments.reconcile import (
    SCALE,
    PayoutFact,
    ReceiptFact,
    SettlementFact,
    lines_frame,
    orders_frame,
    reconcile,
)
from xborder.sales import importers as sales

FIX = Path(__file__).resolve().parents[2] / "fixtures"


def s(v):
    return int(Decimal(v) * SCALE)


def frames(order_files, payout_files):
    orows, lrows, payouts = [], [], []
    oid = lid = pid = 0
    for fmt, name in order_files:
        for o in sales.parse(fmt, (FIX / "sales" / name).read_bytes()).orders:
            oid += 1
            priced = any(ln.item_price is not None for ln in o.lines)
            orows.append((oid, o.channel, o.order_ref, o.currency, s(sum(ln.net_revenue for ln in o.lines)),
                          s(sum(ln.gross for ln in o.lines)), priced, o.status))
    for fmt, name in payout_files:
        for p in pay.parse(fmt, (FIX / "payments" / name).read_bytes()).payouts:
            pid += 1
            payouts.append(PayoutFact(pid, p.provider, p.payout_ref, p.currency, s(p.total), p.deposit_date))
            for ln in p.lines:
                lid += 1
                lrows.append((lid, pid, p.provider, ln.order_ref, ln.fee_class, ln.unexpected, s(ln.amount),
                              ln.currency, ln.transaction_type, ln.amount_type, ln.description))
    return orders_frame(orows), lines_frame(lrows), payouts


def test_amazon_us():
    o, ln, p = frames([("amazon-all-orders", "amazon_all_orders_29col_us.txt")],
                      [("amazon-settlement-v2", "amazon_settlement_v2_us.txt")])
    r = reconcile(o, ln, p)
    assert r.matched == 15          # 11 lines of order A + 4 of order B
    assert r.unmatched_payout_lines == 2  # the two lines of 114-7777777-0000000
    assert r.orders_without_payout == 0   # the cancelled order is not expected to be paid
    assert r.fees_by_type == {"advertising": "-15.40", "fulfilment": "-13.02", "other": "-0.15",
                              "referral": "-10.50", "reserves": "-5.00"}
    assert r.fees_by_type["referral"] == "-10.50"  # -3.90 -1.35 -3.45 -1.80
    assert r.fees_by_type["fulfilment"] == "-13.02"  # -7.70 -3.22 -2.10 storage
    assert r.fees_by_type["advertising"] == "-15.40" and r.fees_by_type["reserves"] == "-5.00"
    assert r.fees_by_type["other"] == "-0.15"
    types = sorted(d["type"] for d in r.discrepancies)
    assert types == ["unexpected_fee_type", "unmatched_payout_line"]
    um = next(d for d in r.discrepancies if d["type"] == "unmatched_payout_line")
    assert um["order_id"] == "114-7777777-0000000" and um["amount"] == "10.20"


def test_amazon_de_amount_mismatch_and_refund():
    o, ln, p = frames([("amazon-all-orders", "amazon_all_orders_39col_de.txt")],
                      [("amazon-settlement-v2", "amazon_settlement_v2_de.txt")])
    r = reconcile(o, ln, p)
    assert r.unmatched_payout_lines == 0 and r.orders_without_payout == 0
    (mis,) = [d for d in r.discrepancies if d["type"] == "amount_mismatch"]
    assert (mis["order_id"], mis["expected"], mis["actual"], mis["difference"]) == ("302-1111111-3333333", "23.98", "22.98", "-1.00")
    assert r.fees_by_type["refunds"] == "-14.99"
    assert r.fees_by_type["referral"] == "-4.05"  # -2.25 -3.60 +2.25 (refunded commission) -0.45
    # tolerance wide enough absorbs the difference
    assert not [d for d in reconcile(o, ln, p, tolerance=Decimal("1.00")).discrepancies if d["type"] == "amount_mismatch"]


def test_stripe_and_paypal_against_shopify_gross():
    o, ln, p = frames([("shopify", "shopify_orders.csv")],
                      [("stripe", "stripe_itemized.csv"), ("paypal", "paypal_activity.csv")])
    r = reconcile(o, ln, p)
    assert r.orders_without_payout == 0
    assert [d["order_id"] for d in r.discrepancies if d["type"] == "unmatched_payout_line"] == ["#1003"]
    assert not [d for d in r.discrepancies if d["type"] == "amount_mismatch"]
    assert r.fees_by_currency["EUR"]["payment"] == "-1.52" and r.fees_by_currency["GBP"]["payment"] == "-0.99"
    assert "payment EUR" in r.fees_by_type


def test_order_without_payout_and_total_mismatch():
    o, ln, p = frames([("amazon-all-orders", "amazon_all_orders_29col_us.txt")], [])
    r = reconcile(o, ln, [PayoutFact(1, "amazon", "S1", "USD", s("5.00"), date(2026, 3, 17))])
    assert r.orders_without_payout == 2 and r.matched == 0
    kinds = [d["type"] for d in r.discrepancies]
    assert kinds.count("order_without_payout") == 2 and "payout_total_mismatch" in kinds


def test_ties_payout_receipt_settlement():
    payouts = [PayoutFact(1, "amazon", "24680135791", "USD", s("25.86"), date(2026, 3, 17)),
               PayoutFact(2, "amazon", "99", "USD", s("100.00"), date(2026, 3, 30))]
    receipts = [ReceiptFact(1, "payoneer", "PYN-1", date(2026, 3, 17), "receipt", s("25.86"), "USD")]
    sett = [SettlementFact(1, "PYN-2", date(2026, 3, 20), "USD", s("25.86"), s("181.89"))]
    r = reconcile(orders_frame([]), lines_frame([]), payouts, receipts, sett)
    (t,) = r.ties
    assert t["payout_id"] == "24680135791" and t["receipt"] == "PYN-1"
    assert t["fx_settlements"] == [{"ref": "PYN-2", "date": "2026-03-20", "amount": "25.86", "rate": "7.033643"}]
    assert [d["payout_id"] for d in r.discrepancies if d["type"] == "payout_without_receipt"] == ["99"]

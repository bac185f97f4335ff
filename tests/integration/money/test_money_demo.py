"""The demo quarter: real-layout files for the demo company's catalog, loaded through the importers."""

import pytest

from xborder.payments import service as payments
from xborder.profit import service as profit
from xborder.sales import demo
from xborder.sales import service as sales


def test_demo_files_are_in_the_real_layouts():
    q = demo.build_files(seed=3)
    names = set(q.files)
    assert {"shopify_orders_q3.csv", "stripe_itemized_q3.csv", "ebay_orders_q3.csv", "paypal_activity_q3.csv",
            "amazon_US_all_orders.txt", "payoneer_statement_q3.csv", "pingpong_statement_q3.csv"} <= names
    assert 1700 <= sum(q.counts.values()) <= 2300
    de = next(v for k, v in q.files.items() if k.startswith("amazon_DE_settlement"))
    assert de[1] == "amazon-settlement-v2" and b"\t" in de[2] and b"," in de[2].split(b"\n")[1]  # decimal comma total
    assert q.files["ebay_orders_q3.csv"][2].startswith(b",,,")  # eBay's bare-comma first line


@pytest.mark.slow
def test_demo_quarter_loads_and_reconciles(uow, principal):
    from xborder.demo.service import build_catalog

    build_catalog(uow.session, principal)
    msg = demo.build(uow.session, principal, seed=7)
    assert "orders" in msg
    assert sales.count_orders(uow.session, principal) > 1700
    r = payments.run_reconcile(uow.session, principal)
    assert r.unmatched_payout_lines == 0 and r.matched > 5000 and len(r.ties) > 20
    rows = profit.profit_rows(uow.session, principal, "channel")["rows"]
    assert {x["key"] for x in rows} == {"amazon", "ebay", "shopify"}
    assert sales.unpaired_listings(uow.session, principal) == []  # the demo sells catalog SKUs

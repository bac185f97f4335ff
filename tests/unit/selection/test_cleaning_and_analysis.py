from __future__ import annotations

import json
from decimal import Decimal

import polars as pl
import pytest

from xborder.errors import ImportRejected, ValidationError
from xborder.selection import analytics, sales_formats
from xborder.selection.margin import MarginAssumptions, load_assumptions, unit_margin
from xborder.selection.transactions import REASONS, clean, e4_to_decimal, read_uci, uci_frame_from_rows


def test_sample_cleaning_counts_every_reason(uci_sample, uci_sample_module):
    res = clean(read_uci(uci_sample))
    assert res.dropped == uci_sample_module.EXPECTED_DROPPED
    assert res.rows_in == res.rows_used + sum(res.dropped.values())
    assert set(res.explanations) == set(res.dropped)
    assert all(res.explanations[k] == REASONS[k] for k in res.dropped)


def test_cancelled_big_order_is_not_demand(uci_sample):
    df = clean(read_uci(uci_sample)).frame
    big = df.filter((pl.col("product") == "22423") & (pl.col("quantity") >= 5000))
    assert big.height == 0


def test_revenue_is_exact_decimal():
    raw = uci_frame_from_rows(
        [
            ("1", "A", "x", "3", "2011-01-03 10:00:00", "0.1", "1.0", "France"),
            ("2", "A", "x", "7", "2011-01-04 10:00:00", "0.2", "1.0", "France"),
        ]
    )
    res = clean(raw)
    assert e4_to_decimal(int(res.frame["revenue_e4"].sum())) == Decimal("1.7000")


def test_price_with_too_many_decimals_is_invalid_not_rounded():
    raw = uci_frame_from_rows([("1", "A", "x", "3", "2011-01-03 10:00:00", "0.12345", "1.0", "France")])
    assert clean(raw).dropped == {"invalid_row": 1}


def test_missing_columns_named():
    with pytest.raises(ValidationError, match="UnitPrice"):
        read_uci(b"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,CustomerID,Country\n")


def test_analysis_contract_keys_and_order(uci_sample):
    res = clean(read_uci(uci_sample))
    a = analytics.analyze(res.frame, res.to_dict(), cleaning_explanations=res.explanations)
    c = a.contract()
    assert list(c) == ["markets", "opportunities", "cleaning"]
    assert all(list(m) == ["country", "revenue", "orders", "customers", "growth"] for m in c["markets"])
    assert all(
        list(o) == ["product", "market", "score", "demand", "growth", "concentration", "margin"] for o in c["opportunities"]
    )
    revenues = [Decimal(m["revenue"]) for m in c["markets"]]
    assert revenues == sorted(revenues, reverse=True)
    assert {m["country"] for m in c["markets"]} == {"Germany", "France", "EIRE"}
    json.dumps(c)  # serialisable
    # Germany: 4 customers configured in the sample
    de = next(m for m in c["markets"] if m["country"] == "Germany")
    assert de["customers"] == 4
    # the sample's growing line has positive growth
    grow = next(o for o in a.opportunities if o["product"] == "85123A" and o["market"] == "Germany")
    assert grow["growth"] > 0.3
    # score components are visible and the score is their weighted mean
    assert analytics.weighted_score(grow["components"]) == grow["score"]
    assert 0 <= grow["concentration"] <= 1


def test_market_revenue_equals_sum_of_lines(uci_sample):
    res = clean(read_uci(uci_sample))
    a = analytics.analyze(res.frame, res.to_dict())
    total = sum(Decimal(m["revenue"]) for m in a.markets)
    assert total == e4_to_decimal(int(res.frame["revenue_e4"].sum()))


def test_concentration_hhi_two_equal_products():
    rows = [
        ("1", "A", "a", "1", "2011-01-03 10:00:00", "10", "1.0", "France"),
        ("2", "Z", "z", "1", "2011-01-04 10:00:00", "10", "2.0", "France"),
    ]
    res = clean(uci_frame_from_rows(rows))
    conc = analytics.market_concentration(res.frame).to_dicts()[0]
    assert conc["hhi"] == pytest.approx(0.5)
    assert conc["cr10"] == pytest.approx(1.0)


def test_growth_halves():
    rows = [
        ("1", "A", "a", "1", "2011-01-03 10:00:00", "10", "1.0", "France"),
        ("2", "A", "a", "3", "2011-03-03 10:00:00", "10", "1.0", "France"),
    ]
    res = clean(uci_frame_from_rows(rows))
    m = analytics.markets(res.frame).to_dicts()[0]
    assert m["growth"] == pytest.approx(2.0)


def test_margin_worked_example_and_parameters_visible():
    a = MarginAssumptions()
    m = unit_margin(Decimal("10.00"), "GBP", a, fx_rate=Decimal("0.11"))
    assert m.margin == Decimal("1.3568")
    assert m.estimated
    assert "rebate" in " ".join(ln.label for ln in m.lines)
    d = a.to_dict()
    assert d["fee_rate"] == "0.15" and "WANB" in d["sources"]["shipping_per_kg"]


def test_ordinary_invoice_has_no_rebate():
    a = MarginAssumptions(special_invoice=False)
    m = unit_margin(Decimal("10.00"), "GBP", a, fx_rate=Decimal("0.11"))
    assert next(ln for ln in m.lines if ln.label == "export VAT rebate").amount == 0


def test_margin_overrides_validated():
    table = load_assumptions({"Germany": {"fee_rate": "0.08", "duty_rate": "0.027"}})
    assert table["Germany"].fee_rate == Decimal("0.08")
    assert table["*"].fee_rate == Decimal("0.15")
    with pytest.raises(ValidationError, match="fee_rate"):
        load_assumptions({"*": {"fee_rate": "1.5"}})
    with pytest.raises(ValidationError, match="unknown"):
        load_assumptions({"*": {"feerate": "0.1"}})


def test_mapped_shopify_carries_order_cells_down():
    csv = (
        b"Name,Email,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Shipping Country,Currency,Cancelled at\n"
        b"#1001,a@x.com,2024-01-05 10:11:12 +0100,2,Mug,9.50,MUG-1,DE,EUR,\n"
        b"#1001,,,1,Tee,15.00,TEE-1,,,\n"
        b"#1002,b@x.com,2024-01-06 10:00:00 +0100,1,Mug,9.50,MUG-1,FR,EUR,2024-01-07 09:00:00 +0100\n"
    )
    frame, has_customers = sales_formats.read_mapped(csv, preset="shopify-orders")
    assert has_customers
    res = clean(frame)
    assert res.rows_used == 2 and res.dropped == {"cancellation": 1}
    assert set(res.frame["market"].to_list()) == {"DE"}
    assert set(res.frame["customer"].to_list()) == {"a@x.com"}


def test_mapped_amazon_line_amount_to_unit_price():
    tsv = (
        b"amazon-order-id\tpurchase-date\torder-status\tsku\tproduct-name\tquantity\tcurrency\titem-price\tship-country\n"
        b"111-1\t2024-03-06T08:52:26+00:00\tShipped\tSKU1\tLamp\t2\tUSD\t39.98\tUS\n"
        b"111-2\t2024-03-07T08:52:26+00:00\tCancelled\tSKU1\tLamp\t1\tUSD\t19.99\tUS\n"
    )
    frame, has_customers = sales_formats.read_mapped(tsv, preset="amazon-all-orders")
    assert not has_customers
    res = clean(frame, require_customer=False)
    assert res.frame["price_e4"].to_list() == [199900]
    a = analytics.analyze(res.frame, res.to_dict(), options=analytics.AnalysisOptions(min_orders=1), buyers_known=False)
    assert a.opportunities[0]["concentration"] is None
    assert a.opportunities[0]["components"]["competition"] == 50.0


def test_mapped_rejects_whole_file_with_every_bad_cell():
    csv = b"order_id,date,product,quantity,unit_price,market\n1,2024-01-01,A,x,1.00,DE\n2,nope,A,1,abc,DE\n3,2024-01-01,A,1,2.00,DE\n"
    with pytest.raises(ImportRejected) as ei:
        sales_formats.read_mapped(csv, preset="generic")
    errs = ei.value.errors
    assert {(e["line"], e["column"]) for e in errs} == {(2, "quantity"), (3, "date"), (3, "unit_price")}


def test_mapped_unknown_column_named():
    with pytest.raises(ValidationError, match="Qty"):
        sales_formats.read_mapped(b"order_id,date,product,quantity,unit_price\n", overrides={"quantity": "Qty"})


def test_quadrants():
    o = {"components": {"competition": 80.0, "margin": 70.0}}
    assert analytics.quadrant(o) == "niche, profitable"
    o = {"components": {"competition": 20.0, "margin": 10.0}}
    assert analytics.quadrant(o) == "crowded, thin margin"


def test_weekly_demand_by_market_adds_up(uci_sample):
    res = clean(read_uci(uci_sample))
    a = analytics.analyze(res.frame, res.to_dict())
    de_units = sum(w["units"] for w in a.weekly if w["market"] == "Germany")
    de = next(m for m in a.markets if m["country"] == "Germany")
    assert de_units == de["units"]
    from datetime import date

    assert date.fromisoformat(a.weekly[0]["week"]).weekday() == 0


def test_mapped_reads_gb18030_and_utf16():
    gb = "order_id,date,product,quantity,unit_price,market,description\n1,2024-01-01,A,2,1.50,DE,台灯\n".encode("gb18030")
    frame, _ = sales_formats.read_mapped(gb)
    assert frame["description"].to_list() == ["台灯"] and frame["line"].to_list() == [2]
    u16 = "order_id\tdate\tproduct\tquantity\tunit_price\tmarket\n1\t2024-01-01\tA\t2\t1.50\tDE\n".encode("utf-16")
    frame, _ = sales_formats.read_mapped(u16)
    assert frame["price_e4"].to_list() == [15000]

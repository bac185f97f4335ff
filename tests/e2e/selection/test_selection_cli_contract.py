"""The CLI contract of issue 7, exactly (keys, order, exit codes), on a small deterministic sample."""

from __future__ import annotations

import json
from decimal import Decimal

MARKET_KEYS = ["country", "revenue", "orders", "customers", "growth"]
OPP_KEYS = ["product", "market", "score", "demand", "growth", "concentration", "margin"]


def test_analyze_uci_contract(cli, uci_sample, uci_sample_module):
    r = cli("selection", "analyze", "--sales", str(uci_sample), "--format", "uci-online-retail", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert list(out) == ["markets", "opportunities", "cleaning"]
    assert [list(m) for m in out["markets"]] == [MARKET_KEYS] * len(out["markets"])
    assert out["opportunities"] and all(list(o) == OPP_KEYS for o in out["opportunities"])
    assert list(out["cleaning"]) == ["rows_in", "rows_used", "dropped"]
    assert out["cleaning"]["dropped"] == uci_sample_module.EXPECTED_DROPPED
    rev = [Decimal(m["revenue"]) for m in out["markets"]]
    assert rev == sorted(rev, reverse=True)
    assert all(isinstance(m["orders"], int) and isinstance(m["customers"], int) for m in out["markets"])
    assert all(isinstance(o["score"], float) and 0 <= o["score"] <= 100 for o in out["opportunities"])
    Decimal(out["opportunities"][0]["margin"])  # a decimal string


def test_analyze_details_show_components_and_margin_model(cli, uci_sample):
    r = cli("selection", "analyze", "--sales", str(uci_sample), "--json", "--details")
    d = json.loads(r.stdout)["details"]
    o = d["opportunities"][0]
    assert set(o["components"]) == {"demand", "margin", "competition", "trend", "stability"}
    assert [ln["label"] for ln in o["margin_lines"]][-1] == "export VAT rebate"
    assert d["margin_models"]["*"]["fee_rate"] == "0.15"
    assert d["fx"]["rate"]


def test_analyze_human_output(cli, uci_sample):
    r = cli("selection", "analyze", "--sales", str(uci_sample))
    assert r.exit_code == 0 and "cancellation" in r.stdout and "Germany" in r.stdout


def test_forecast_contract(cli, uci_sample):
    r = cli("forecast", "--sales", str(uci_sample), "--format", "uci-online-retail", "--horizon", "8", "--top", "4",
            "--json", "--jobs", "1")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert list(out)[:4] == ["series", "horizon", "mase", "mase_seasonal_naive"] and list(out)[-1] == "forecasts"
    # the contract's keys, plus which baseline was used (the sample has < 53 training weeks: naive)
    assert out["baseline"] == "Naive" and out["baseline_season"] == 1 and "full season" in out["baseline_note"]
    assert out["series"] == 4 and out["horizon"] == 8 and len(out["forecasts"]) == 4
    assert isinstance(out["mase"], float) and isinstance(out["mase_seasonal_naive"], float)
    f = out["forecasts"][0]
    assert {"product", "market", "model", "mase", "forecast"} <= set(f)
    assert len(f["forecast"]) == 8 and all(p["lo"] <= p["mean"] <= p["hi"] for p in f["forecast"])


def test_mapped_format_with_preset(cli, tmp_path):
    p = tmp_path / "shopify.csv"
    rows = ["Name,Email,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Shipping Country,Currency"]
    for i in range(12):
        rows.append(f"#{1000 + i},c{i % 3}@x.com,2024-0{1 + i % 6}-1{i % 9} 10:00:00 +0100,{1 + i % 4},Mug,9.50,MUG-1,DE,EUR")
    p.write_text("\n".join(rows) + "\n", "utf-8")
    r = cli("selection", "analyze", "--sales", str(p), "--format", "mapped", "--preset", "shopify-orders", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["markets"][0]["country"] == "DE" and out["markets"][0]["customers"] == 3
    assert out["cleaning"]["rows_used"] == 12


def test_bad_mapped_file_exit_2_with_every_line(cli, tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("order_id,date,product,quantity,unit_price,market\n1,2024-01-01,A,x,1.00,DE\n2,nope,A,1,1.00,DE\n", "utf-8")
    r = cli("selection", "analyze", "--sales", str(p), "--format", "mapped", "--json")
    assert r.exit_code == 2
    out = json.loads(r.stdout)
    assert {e["line"] for e in out["errors"]} == {2, 3}


def test_orders_format_without_sales_package_is_explained(cli):
    import importlib.util

    r = cli("selection", "analyze", "--format", "orders", "--json")
    if importlib.util.find_spec("xborder.sales") is None:
        assert r.exit_code == 2
        assert json.loads(r.stdout)["code"] == "SALES_UNAVAILABLE"
    else:  # the sales package exists: an empty organisation has no orders
        assert r.exit_code == 2


def test_missing_file(cli, tmp_path):
    r = cli("selection", "analyze", "--sales", str(tmp_path / "nope.csv"), "--json")
    assert r.exit_code == 2


def test_margin_model_command(cli):
    r = cli("selection", "margin-model", "--json")
    assert r.exit_code == 0
    d = json.loads(r.stdout)["*"]
    assert d["rebate_rate"] == "0.13" and "valid_from" in d and d["sources"]["rebate_rate"]

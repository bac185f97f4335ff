"""``--format orders``: the organisation's imported orders (xborder.sales) analysed in place."""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import pytest

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "sales"


@pytest.mark.skipif(importlib.util.find_spec("xborder.sales") is None, reason="the sales package is not installed")
def test_analyze_own_orders(cli):
    r = cli("import", "orders", str(FIX / "amazon_all_orders_39col_de.txt"), "--format", "amazon-all-orders", "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    r = cli("selection", "analyze", "--format", "orders", "--min-orders", "1", "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    out = json.loads(r.stdout)
    assert list(out) == ["markets", "opportunities", "cleaning"]
    de = next(m for m in out["markets"] if m["country"] == "DE")
    assert de["customers"] == 0  # orders carry no buyer id
    assert Decimal(de["revenue"]) > 0
    assert out["cleaning"]["rows_in"] == out["cleaning"]["rows_used"] + sum(out["cleaning"]["dropped"].values())
    assert {o["product"] for o in out["opportunities"]} <= {"MUG-BL-350", "CST-BAM-4"}
    assert all(o["concentration"] is None for o in out["opportunities"])


@pytest.mark.skipif(importlib.util.find_spec("xborder.profit") is None, reason="the profit package is not installed")
def test_risk_reads_profit_concentration(cli, api_client):
    r = cli("import", "orders", str(FIX / "amazon_all_orders_39col_de.txt"), "--format", "amazon-all-orders", "--json",
            org="Acme Export")
    assert r.exit_code == 0, r.stdout + r.stderr
    risk = api_client.get("/api/v1/selection/risk").json()
    assert risk["profit_concentration"] and "market" in risk["profit_concentration"]
    assert risk["sources"]["profit"] == "xborder.profit"

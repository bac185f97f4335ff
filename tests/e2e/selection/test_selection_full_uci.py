"""The full UCI file (slow): the published cleaning figures and the contract on real data."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

pytestmark = pytest.mark.slow


def test_full_uci_analysis(cli, shared_data):
    path = shared_data / "ecommerce" / "uci_online_retail" / "online_retail.csv"
    r = cli("selection", "analyze", "--sales", str(path), "--format", "uci-online-retail", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    c = out["cleaning"]
    assert c["rows_in"] == 541_909
    assert c["dropped"]["cancellation"] == 9_288  # published figure
    assert c["rows_in"] == c["rows_used"] + sum(c["dropped"].values())
    assert out["markets"][0]["country"] == "United Kingdom"
    assert len(out["markets"]) >= 30
    assert [Decimal(m["revenue"]) for m in out["markets"]] == sorted((Decimal(m["revenue"]) for m in out["markets"]),
                                                                      reverse=True)


def test_full_uci_forecast_top_100(cli, shared_data):
    path = shared_data / "ecommerce" / "uci_online_retail" / "online_retail.csv"
    r = cli("forecast", "--sales", str(path), "--format", "uci-online-retail", "--horizon", "8", "--top", "100", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["series"] == 100 and out["horizon"] == 8
    assert out["mase"] < out["mase_seasonal_naive"]

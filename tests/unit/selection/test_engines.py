from __future__ import annotations

import importlib.util
from decimal import Decimal

import pytest

from xborder.selection import analytics, engines, service
from xborder.selection.margin import MarginAssumptions
from xborder.selection.transactions import clean, read_uci


def _analysis(uci_sample):
    res = clean(read_uci(uci_sample))
    return analytics.analyze(res.frame, res.to_dict(), fx_rate=Decimal("0.11"))


def test_country_codes():
    assert engines.country_code("United Kingdom") == "GB"
    assert engines.country_code("RSA") == "ZA"
    assert engines.country_code("Atlantis") is None


def test_refine_duties_uses_the_engine_duty_and_rescores(uci_sample, monkeypatch):
    a = _analysis(uci_sample)
    calls = []

    def fake_fn(on):
        def duty(market, price, currency, shipping, weight, rate, hs=None):
            calls.append((market, hs))
            return (Decimal("0.0000"), "customs engine (test)") if market == "Germany" else (None, "customs engine: no")
        return duty

    monkeypatch.setattr(engines, "customs_duty_fn", fake_fn)
    monkeypatch.setattr(engines, "logistics_shipping_fn", lambda on: None)
    note = service.refine_duties(a, {"*": MarginAssumptions()}, Decimal("0.11"), {}, {"85123A": "940540"})
    de = [o for o in a.opportunities if o["market"] == "Germany"]
    assert de and all(o["duty_source"] == "customs engine (test)" for o in de)
    assert all(next(ln for ln in o["margin_lines"] if ln["label"] == "import duty")["amount"] == "0.0000" for o in de)
    assert all(analytics.weighted_score(o["components"]) == o["score"] for o in a.opportunities)
    assert ("Germany", "940540") in calls
    assert f"used for {len(de)} of" in note


def test_without_customs_package_the_estimate_is_said(uci_sample):
    if importlib.util.find_spec("xborder.customs") or importlib.util.find_spec("xborder.logistics"):
        pytest.skip("the customs or logistics package is installed here")
    a = _analysis(uci_sample)
    note = service.refine_duties(a, {"*": MarginAssumptions()}, Decimal("0.11"), {}, {})
    assert "not installed" in note and all("estimate" in o["duty_source"] for o in a.opportunities)
    assert all("estimate" in o["shipping_source"] for o in a.opportunities)


def test_engine_shipping_replaces_the_estimate(uci_sample, monkeypatch):
    a = _analysis(uci_sample)
    monkeypatch.setattr(engines, "customs_duty_fn", lambda on: None)
    monkeypatch.setattr(engines, "logistics_shipping_fn",
                        lambda on: (lambda market, w, units, cur: (Decimal("0.5000"), "logistics engine (test)")))
    service.refine_duties(a, {"*": MarginAssumptions()}, Decimal("0.11"), {}, {})
    for o in a.opportunities:
        assert next(ln for ln in o["margin_lines"] if ln["label"] == "shipping") == {
            "label": "shipping", "amount": "-0.5000", "rule": "logistics engine"}
        assert o["shipping_source"] == "logistics engine (test)"

"""The market explorer in a real headless Chromium: upload, cleaning report, quadrant chart,
table filter; the reorder plan page."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser



def test_market_explorer_in_a_browser(page, org_ids, tmp_path):
    fix = Path(__file__).resolve().parents[2] / "fixtures" / "selection" / "uci_sample.py"
    spec = importlib.util.spec_from_file_location("uci_sample_browser", fix)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    sample = mod.write_sample(tmp_path / "uci.csv")
    base = page.base_url
    page.goto(base + "/selection")
    page.fill("input[name=email]", "owner@acme.test")
    page.fill("input[name=password]", "correct-horse-9")
    page.click("button.primary")
    page.wait_for_url(base + "/selection")
    page.set_input_files("#analyze-form input[type=file]", str(sample))
    page.click("#analyze-form button[type=submit]")
    page.wait_for_selector("#quadrant-chart svg")
    assert "cancelled_original" in page.locator("#cleaning").inner_text()
    rows = page.locator("#opp-table tbody tr")
    assert rows.count() >= 3
    page.fill("input[data-filter-table='#opp-table']", "France")
    visible = [r for r in rows.all() if r.is_visible()]
    assert visible and all("France" in r.inner_text() for r in visible)
    page.goto(base + "/procurement/reorder")
    assert page.locator("h1").inner_text() == "Reorder plan"

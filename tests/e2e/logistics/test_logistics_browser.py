"""Logistics pages in a real headless Chromium (same harness as tests/e2e/browser)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser



def test_cards_shopping_and_plan_in_a_browser(page, org_ids, tmp_path):
    base = page.base_url
    page.goto(base + "/logistics")
    page.fill("input[name=email]", "owner@acme.test")
    page.fill("input[name=password]", "correct-horse-9")
    page.click("button.primary")
    page.wait_for_url(base + "/logistics")
    # a bad card: every error with its line, the source shown with the bad lines marked
    bad = tmp_path / "bad.yaml"
    bad.write_text("carrier: X\nservice: Y\ncode: x\ncurrency: XYZ\nvalid_from: 2026-01-01\nzones:\n  - countries: [US]\n    bands: [{up_to_kg: 1, per_kg: abc}]\n")
    page.goto(base + "/logistics/ratecards")
    page.set_input_files("#card-upload input[name=file]", str(bad))
    page.click("#card-upload button[value=validate]")
    errors = page.locator("#card-errors").inner_text()
    assert "XYZ" in errors and "abc" in errors
    assert page.locator("#card-source #L4").count() == 1
    # samples, then shop
    page.click("#load-samples")
    page.wait_for_url("**/logistics/ratecards?samples=1")
    assert page.locator("#cards tbody tr").count() == 8
    page.goto(base + "/logistics")
    page.click("#shop-form button.primary")
    page.wait_for_selector("#options")
    first = page.locator("#options tbody tr").first
    assert first.get_attribute("data-code") == "wanb-us" and "55.80" in first.inner_text()
    assert page.locator("#ineligible tbody tr").count() >= 3
    # batch plan with its saving and chart
    page.goto(base + "/logistics/plan")
    page.click("#plan-form button.primary")
    page.wait_for_selector("#plan-summary")
    assert page.locator("#saving").count() == 1 and page.locator("#plan-summary svg").count() == 1

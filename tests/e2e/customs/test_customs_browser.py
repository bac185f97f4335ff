"""The landed-cost calculator and the declaration form in a real headless Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser



def test_calculator_and_declaration(page, org_ids):
    from xborder.customs import declarations as dc

    base = page.base_url
    page.goto(base + "/customs/landed-cost")
    page.fill("input[name=email]", "owner@acme.test")
    page.fill("input[name=password]", "correct-horse-9")
    page.click("button.primary")
    page.wait_for_url(base + "/customs/landed-cost")
    page.fill("input[name=date]", "2026-11-24")
    page.click("#landed-cost-form button[type=submit]")
    page.wait_for_selector("#explanation")
    text = page.locator("#explanation").inner_text()
    assert "Flat duty EUR 3" in text and "VAT 19%" in text
    assert "6.80 EUR" in page.content()
    applied = page.locator("#rules-applied").inner_text()
    assert "EU.FLAT_DUTY" in applied and "2026-07-01" in applied
    assert "/customs/rules?country=DE&on=2026-11-24" in page.get_attribute("#rules-link", "href")
    # a bad value is reported with its field and the form keeps what was typed
    page.fill("input[name='lines-0-unit_value']", "abc")
    page.click("#landed-cost-form button[type=submit]")
    assert "lines[0].unit_value" in page.locator(".alert.error").inner_text()
    assert page.input_value("input[name='lines-0-unit_value']") == "abc"

    page.goto(base + "/customs/declarations")
    page.click('[data-json-form="declaration-input"] button:has-text("JSON")')  # the form view is the default
    page.fill("textarea[name=input]", json.dumps(dc.to_dict(dc.sample()), ensure_ascii=False))
    page.click("#declaration-form button[type=submit]")
    page.wait_for_url("**/customs/declarations/*")
    with page.expect_download() as dl:
        page.click("a:has-text('CEB603')")
    assert Path(dl.value.path()).read_bytes().startswith(b"<?xml")

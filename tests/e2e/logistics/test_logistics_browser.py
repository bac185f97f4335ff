"""Logistics pages in a real headless Chromium (same harness as tests/e2e/browser)."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("XBORDER_CHROMIUM", "/usr/bin/chromium")
pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(app):
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(timeout=5)


@pytest.fixture
def page(server):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
        pg = context.new_page()
        pg.base_url = server  # type: ignore[attr-defined]
        yield pg
        context.close()
        browser.close()


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

"""The landed-cost calculator and the declaration form in a real headless Chromium."""

from __future__ import annotations

import json
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
    # a bad value is reported with its field and the form keeps what was typed
    page.fill("input[name='lines-0-unit_value']", "abc")
    page.click("#landed-cost-form button[type=submit]")
    assert "lines[0].unit_value" in page.locator(".alert.error").inner_text()
    assert page.input_value("input[name='lines-0-unit_value']") == "abc"

    page.goto(base + "/customs/declarations")
    page.fill("textarea[name=input]", json.dumps(dc.to_dict(dc.sample()), ensure_ascii=False))
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/customs/declarations/*")
    with page.expect_download() as dl:
        page.click("a:has-text('CEB603')")
    assert Path(dl.value.path()).read_bytes().startswith(b"<?xml")

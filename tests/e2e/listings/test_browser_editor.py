"""The listing editor's live check in a real headless Chromium (our own JS, same-origin fetch)."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest
from tests.conftest import PASSWORD

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
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.base_url = server  # type: ignore[attr-defined]
        pg.js_errors = errors  # type: ignore[attr-defined]
        yield pg
        context.close()
        browser.close()


def test_live_check_while_typing(page, org_ids):
    base = page.base_url
    page.goto(base + "/listings/editor")
    page.fill("input[name=email]", "owner@acme.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(base + "/listings/editor")
    page.fill("#f-brand", "Acme")
    page.fill("#f-title", "Acme Phone Case Best Seller!")
    page.wait_for_selector("#check-results[data-live='1'] li[data-rule='promo.banned']", timeout=10000)
    assert page.locator("#check-results li[data-rule='title.banned_chars']").count() == 1
    score_bad = int(page.locator("#score").inner_text())
    page.fill("#f-title", "Acme Silicone Phone Case, Slim Shockproof Cover")
    page.fill("#f-bullets", "Soft silicone.\nShockproof corners.\nRaised camera edge.")
    page.wait_for_function("() => !document.querySelector(\"#check-results li[data-rule='promo.banned']\")", timeout=10000)
    assert int(page.locator("#score").inner_text()) > score_bad
    assert page.locator("#title-count").inner_text().endswith("chars")
    assert not [e for e in page.js_errors if "Content Security Policy" in e]

"""The market explorer in a real headless Chromium: upload, cleaning report, quadrant chart,
table filter; the reorder plan page."""

from __future__ import annotations

import importlib.util
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

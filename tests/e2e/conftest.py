"""Fixtures for browser tests: the app served by uvicorn on a free localhost port, and a page in
Debian's headless Chromium driven by Playwright (skipped when Chromium is not installed).
``page.base_url`` is the server's address; ``page.js_errors`` collects console errors;
``page.log_in(path)`` signs the owner in and opens ``path``."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("XBORDER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


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
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
        pg = context.new_page()
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.base_url = server  # type: ignore[attr-defined]
        pg.js_errors = errors  # type: ignore[attr-defined]

        def log_in(path: str, email: str = "owner@acme.test") -> None:
            """Open ``path``, sign in on the login page it redirects to, and land back on it."""
            from tests.conftest import PASSWORD

            pg.goto(server + path)
            pg.fill("input[name=email]", email)
            pg.fill("input[name=password]", PASSWORD)
            pg.click("button.primary")
            pg.wait_for_url(server + path)

        pg.log_in = log_in  # type: ignore[attr-defined]
        yield pg
        context.close()
        browser.close()

"""The reference data page follows a running sync in a real headless Chromium (our own JS polls
the sync's state and moves the bars, then reloads the page when it ends)."""

from __future__ import annotations

import threading

import pytest

from xborder.reference import jobs
from xborder.reference.service import SyncOutcome

pytestmark = pytest.mark.browser


def test_the_page_follows_a_running_sync(page, org_ids, container, tmp_path):
    step, release = threading.Event(), threading.Event()

    def run(sessions, folder, only, progress, options):  # a sync whose pace the test sets
        progress("hs-2017", 0, 0)
        progress("hs-2017", 1, 4)
        step.wait(20)
        progress("hs-2017", 3, 4)
        release.wait(20)
        return [SyncOutcome("hs-2017", "loaded", rows=6705, version="HS 2017")]

    runner = jobs.runner(container)
    runner.shared_dir, runner._run = tmp_path, run
    page.log_in("/settings/data")
    page.check("input[name=only][value=hs-2017]")
    page.click("#sync-form button[type=submit]")
    page.wait_for_url("**/settings/data?sync=*")
    row = page.locator("#sync-sources tr[data-source=hs-2017]")
    # the page may render before the sync's thread reports its first source ("waiting"); its poll
    # shows "running" within a couple of seconds
    page.wait_for_function("() => document.querySelector('#sync-sources tr[data-source=hs-2017] [data-status]')"
                           ".textContent.trim() === 'running'", timeout=15000)
    assert page.locator("#sync-form button[type=submit]").is_disabled()  # one sync at a time
    step.set()
    page.wait_for_function("() => document.querySelector('#sync-sources [data-steps]').textContent === '3/4'",
                           timeout=15000)
    assert row.locator("[data-bar]").get_attribute("style").replace(" ", "") == "width:75%;"
    release.set()
    page.wait_for_selector("#sync-job[data-sync-status=done]", timeout=15000)  # reloaded when it ended
    row = page.locator("#sync-sources tr[data-source=hs-2017]")
    assert row.locator("[data-status]").inner_text() == "loaded"
    assert row.locator("[data-rows]").inner_text() == "6705"
    assert not page.locator("#sync-form button[type=submit]").is_disabled()
    assert not [e for e in page.js_errors if "Content Security Policy" in e]

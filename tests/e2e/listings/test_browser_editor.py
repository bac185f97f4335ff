"""The listing editor's live check in a real headless Chromium (our own JS, same-origin fetch)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser



def test_live_check_while_typing(page, org_ids):
    page.log_in("/listings/editor")
    page.fill("#f-brand", "Acme")
    page.fill("#f-title", "Acme Phone Case Best Seller!")
    page.wait_for_selector("#check-results[data-live='1'] li[data-rule='promo.banned']", timeout=10000)
    assert page.locator("#check-results li[data-rule='title.banned_chars']").count() == 1
    score_bad = int(page.locator("#score").inner_text())
    page.fill("#f-title", "Acme Silicone Phone Case, Slim Shockproof Cover")
    page.fill("#f-bullets", "Soft silicone.\nShockproof corners.\nRaised camera edge.")
    page.wait_for_function("() => !document.querySelector(\"#check-results li[data-rule='promo.banned']\")", timeout=10000)
    assert int(page.locator("#score").inner_text()) > score_bad
    assert page.locator("#title-count").inner_text().endswith("characters")
    assert not [e for e in page.js_errors if "Content Security Policy" in e]

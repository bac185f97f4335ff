"""The rebate pages in headless Chromium: calculator, period with the closing-credit warning,
matching workbench."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_calculator_period_and_workbench(page, org_ids, container):
    from xborder.accounts.orm import Organisation
    from xborder.db import UnitOfWork
    from xborder.rebate import demo

    with UnitOfWork(container.sessions) as uow:
        demo.build(uow.session, uow.session.get(Organisation, org_ids[0]))
        uow.commit()
    base = page.base_url
    page.goto(base + "/rebate/compute")
    page.fill("input[name=email]", "owner@acme.test")
    page.fill("input[name=password]", "correct-horse-9")
    page.click("button.primary")
    page.wait_for_url(base + "/rebate/compute")
    for name, value in (("fob_cny", "200"), ("levy_rate", "0.13"), ("rebate_rate", "0.10"),
                        ("domestic_output_vat", "13"), ("input_vat", "26"), ("opening_credit", "0")):
        page.fill(f"input[name={name}]", value)
    page.click("form.grid button[type=submit]")
    page.wait_for_load_state()
    text = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    assert "7.00" in text and "13.00" in text and "20.00" in text

    page.goto(base + "/rebate/periods/2026-09/production")
    body = page.content()
    assert "Declared and computed closing credit differ" in body
    assert "Non-creditable input VAT" in body
    page.fill("input[name=declared_end_credit]", "67770")
    page.click("form.grid button[type=submit]")
    page.wait_for_load_state()
    assert "Declared and computed closing credit differ" not in page.content()

    page.goto(base + "/rebate/match")
    assert "Invoice quantity does not cover the declared quantity" in page.content()

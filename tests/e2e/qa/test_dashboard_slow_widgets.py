"""Dashboard cards computed over every order (the selection package's risk alerts) are fetched by
the page after it shows: a placeholder in the page, the cards from /dashboard/widgets/PACKAGE."""

from pathlib import Path
from typing import Any

FIX = Path(__file__).resolve().parents[2] / "fixtures"


def test_risk_alerts_come_after_the_page(web_client: Any) -> None:
    from tests.e2e.money.test_money_web import post_file

    assert post_file(web_client, "/orders/import", "amazon-all-orders", FIX / "sales" / "amazon_all_orders_29col_us.txt").status_code == 200
    web_client.cookies.set("lang", "en")
    page = web_client.get("/").text
    assert 'data-lazy-widget="/dashboard/widgets/selection"' in page and "Working it out from every order" in page
    cards = web_client.get("/dashboard/widgets/selection")
    assert cards.status_code == 200 and "<html" not in cards.text  # cards only, not a page
    assert 'class="card widget warn"' in cards.text and 'href="/selection/risk"' in cards.text  # every sale in one market
    assert "data-lazy-widget" not in cards.text
    web_client.cookies.set("lang", "zh_CN")
    assert "正在根据全部订单计算" in web_client.get("/").text
    assert web_client.get("/dashboard/widgets/nothing").status_code == 404
    assert web_client.get("/dashboard/widgets/catalog").status_code == 404  # no slow widgets there


def test_dashboard_cards_speak_the_page_language(web_client: Any) -> None:
    """The cards' texts are translated (the profit card's was English on the Chinese page) and the
    forecast card gives its backtest rounded, beside the naive forecast's (it printed 8 decimals and
    the baseline's English name)."""
    from tests.e2e.money.test_money_web import post_file

    from xborder.i18n import PageText
    from xborder.selection.dashboard import _forecast_text

    assert post_file(web_client, "/orders/import", "amazon-all-orders", FIX / "sales" / "amazon_all_orders_29col_us.txt").status_code == 200
    web_client.cookies.set("lang", "zh_CN")
    page = web_client.get("/").text
    assert "最近一个月的利润" in page and "Margin, latest month" not in page  # the profit card's placeholder
    card = web_client.get("/dashboard/widgets/profit").text
    assert "2026-03：占收入" in card and "个订单" in card and "of revenue" not in card
    assert "SKU 及其重量、尺寸" in page  # the catalog's card in the export chain has its line too
    text = _forecast_text("1.17559117", "1.06640924")
    assert text == "Backtest error (MASE) 1.18; naive forecast 1.07 (lower is better)"  # CLI/JSON: plain English
    assert isinstance(text, PageText) and _forecast_text(None, None) is None


def test_a_new_organisation_gets_its_first_steps(web_client: Any, api_client: Any) -> None:
    """A new organisation's dashboard lists what to do first (reference data, SKUs, orders, payouts,
    rate cards), each done or not with a link, in the page's language; the list goes once all is done."""
    import re

    page = web_client.get("/").text
    box = page[page.index('id="first-steps"'):page.index("</section>", page.index('id="first-steps"'))]
    steps = re.findall(r'<li class="(done|todo)">.*?<a href="([^"]+)"', box, re.S)
    assert [u for _s, u in steps] == ["/settings/data", "/catalog/import", "/orders", "/payments", "/logistics/ratecards"]
    assert dict((u, s) for s, u in steps)["/catalog/import"] == "todo"
    assert "开始使用" in box and "添加产品和 SKU" in box  # the test client's pages are in Chinese
    assert api_client.post("/api/v1/skus", json={"sku": "MUG-1", "name_en": "Mug"}).status_code == 201
    page = web_client.get("/").text
    box = page[page.index('id="first-steps"'):]
    assert re.search(r'<li class="done">.*?<a href="/catalog/import"', box[:box.index("</section>")], re.S)


def test_the_first_steps_go_once_all_are_done(web_client: Any, monkeypatch: Any) -> None:
    from xborder import bootstrap

    done = type("M", (), {"__name__": "xborder.fake.dashboard", "widgets": staticmethod(lambda s, p: []),
                          "first_steps": staticmethod(lambda s, p: [{"title": "x", "done": True, "url": "/"}])})
    monkeypatch.setattr("xborder.entrypoints.web.core.modules", lambda role: [done] if role == "dashboard" else bootstrap.modules(role))
    assert 'id="first-steps"' not in web_client.get("/").text

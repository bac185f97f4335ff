"""The QA walk of test_pages.py over listings, profit reports, payments, selection, procurement
and orders: every page reached from these sections answers 200 in Chinese and in English, with a
plain-text <title>, every form field labelled, no raw snake_case code as a column header or
label, and the page text in the page's language where the QA pass found it was not."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest


def _sibling() -> Any:
    """The page parser of the sibling test_pages.py (tests are not a package: loaded by path)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("qa_test_pages", Path(__file__).with_name("test_pages.py"))
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


_qa = _sibling()
SKIP, Page = _qa.SKIP, _qa.Page

PREFIXES = ("/listings", "/reports", "/payments", "/selection", "/procurement", "/orders")
SNAKE = re.compile(r"^[a-z]+(?:_[a-z]+)+$")


class Headers(HTMLParser):
    """Visible text of <th> and <label> elements (the labels a user reads)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.texts: list[str] = []

    in_option = False

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        if tag in ("th", "label"):
            self.depth += 1
        elif tag == "option":
            self.in_option = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "label"):
            self.depth = max(0, self.depth - 1)
        elif tag == "option":
            self.in_option = False

    def handle_data(self, data: str) -> None:
        if self.depth and not self.in_option and data.strip():
            self.texts.append(data.strip())


@pytest.fixture
def demo_more(container: Any, uow: Any, principal: Any, web_client: Any) -> Any:
    from xborder.demo.service import build_catalog

    build_catalog(uow.session, principal)
    uow.session.flush()
    for mod in ("xborder.sales.demo", "xborder.listings.demo", "xborder.procurement.demo"):
        module = __import__(mod, fromlist=["build"])
        module.build(uow.session, principal)
        uow.session.flush()
    uow.commit()
    return web_client


def _crawl(client: Any, lang: str) -> dict[str, tuple[int, Page, str]]:
    client.cookies.set("lang", lang)
    seen: dict[str, tuple[int, Page, str]] = {}
    shapes: set[str] = set()
    queue = list(PREFIXES) + ["/"]
    while queue:
        path = queue.pop(0)
        shape = re.sub(r"/\d+(?=/|$)", "/N", path.split("?")[0])
        if shape in shapes:
            continue
        shapes.add(shape)
        r = client.get(path)
        page = Page()
        page.feed(r.text)
        seen[path] = (r.status_code, page, r.text)
        for href in page.links:
            if href.startswith(PREFIXES) and not SKIP.search(href):
                queue.append(href)
    return seen


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_pages_render_with_title_labels_and_no_raw_codes(demo_more: Any, lang: str) -> None:
    pages = _crawl(demo_more, lang)
    for prefix in ("/listings/", "/reports", "/payments", "/selection/", "/procurement/", "/orders/"):
        assert any(p.startswith(prefix) for p in pages), (prefix, sorted(pages))
    problems = []
    for path, (status, page, html) in pages.items():
        if status != 200:
            problems.append(f"{path}: HTTP {status}")
            continue
        # the page's own <title> (charts carry SVG <title> elements further down)
        m = re.search(r"<title>(.*?)</title>", html, re.S)
        title = m[1].strip() if m else ""
        if "<" in title or not title.endswith("· Xborder"):
            problems.append(f"{path}: bad <title> {title[:60]!r}")
        for f in page.unlabelled():
            problems.append(f"{path}: form field without a label: {f}")
        h = Headers()
        h.feed(html)
        for text in h.texts:
            if SNAKE.match(text):
                problems.append(f"{path}: raw code as a label: {text}")
    assert not problems, "\n".join(problems)


def test_page_language_of_charts_labels_dashboard_and_explanations(demo_more: Any) -> None:
    demo_more.cookies.set("lang", "en")
    html = demo_more.get("/reports?by=month").text
    assert "按 SKU" not in html and "收入" not in html and "利润" not in html
    assert "Margin by SKU" in html and "Cost of goods" in html and "Duties and taxes" in html
    assert "cost_of_goods<" not in html
    html = demo_more.get("/payments").text
    assert "结汇水单" not in html
    demo_more.cookies.set("lang", "zh_CN")
    html = demo_more.get("/reports?by=month").text
    assert "按 SKU 的利润" in html and "货物成本" in html
    assert "录入银行结汇水单" in demo_more.get("/payments").text
    _listing_overview_title_and_dashboard(demo_more)
    _order_page_explanations_in_the_page_language(demo_more)


def _listing_overview_title_and_dashboard(demo_more: Any) -> None:
    demo_more.cookies.set("lang", "zh_CN")
    page = Page()
    page.feed(demo_more.get("/listings").text)
    assert not page.title_has_tag and "<" not in page.title and "provider" not in page.title.lower()
    dash = demo_more.get("/").text
    assert not re.search(r"\d+ checked", dash)
    demo_more.cookies.set("lang", "en")
    assert re.search(r"\d+ checked", demo_more.get("/").text)


def _order_page_explanations_in_the_page_language(demo_more: Any) -> None:
    demo_more.cookies.set("lang", "en")
    m = re.search(r'href="/orders/(\d+)"', demo_more.get("/orders").text)
    assert m, "no order link on /orders"
    oid = m[1]
    demo_more.cookies.set("lang", "zh_CN")
    html = demo_more.get(f"/orders/{oid}").text
    assert "net sale " not in html and "净销售额" in html
    assert 'class="table sortable" id="order-lines"' in html
    assert "customs module not available" not in html  # the customs package gives its own reason
    demo_more.cookies.set("lang", "en")
    assert "net sale " in demo_more.get(f"/orders/{oid}").text


def test_reorder_page_without_forecast_speaks_chinese(web_client: Any) -> None:
    web_client.cookies.set("lang", "zh_CN")
    html = web_client.get("/procurement/reorder").text
    assert "no saved forecast" not in html and "尚无已保存的预测" in html
    web_client.cookies.set("lang", "en")
    assert "no saved forecast" in web_client.get("/procurement/reorder").text

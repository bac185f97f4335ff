"""A new user's walk through the pages of catalog, customs, logistics, rebate and the core.

The demo data of these packages is built, then every page reachable by a link from the
dashboard (one page per URL shape, ids collapsed) is fetched in Chinese and in English. Each
must answer 200, have a plain-text <title>, label every form field, translate the navigation
and the dashboard widget titles, and point to no external URL.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from xborder.entrypoints.web.nav import SECTIONS, SETTINGS

PREFIXES = ("/catalog", "/customs", "/logistics", "/rebate", "/settings")
SKIP = re.compile(r"^/(logout|api/|static/)|export|download|\.(csv|xlsx|pdf|zip|json|xml|dbf)(\?|$)|#")


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title = ""
        self._in_title = False
        self.title_has_tag = False
        self.links: list[str] = []
        self.label_depth = 0
        self.label_for: set[str] = set()
        self.fields: list[tuple[str, dict[str, str]]] = []
        self.nav_text: list[str] = []
        self._in_nav = 0

    def handle_starttag(self, tag: str, attrs_: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_}
        if self._in_title:
            self.title_has_tag = True
        if tag == "title":
            self._in_title = True
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            if attrs.get("type") not in ("hidden", "submit", "button", "reset"):
                self.fields.append((tag, {**attrs, "_in_label": "1" if self.label_depth else ""}))
        elif tag == "nav" and "sidebar" in attrs.get("class", ""):
            self._in_nav += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "label":
            self.label_depth = max(0, self.label_depth - 1)
        elif tag == "nav" and self._in_nav:
            self._in_nav -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._in_nav and data.strip():
            self.nav_text.append(data.strip())

    def unlabelled(self) -> list[str]:
        out = []
        for tag, a in self.fields:
            if a["_in_label"] or a.get("aria-label") or a.get("title") or (a.get("id") and a["id"] in self.label_for):
                continue
            out.append(f"{tag} {a.get('name') or a.get('id') or '?'}")
        return out


@pytest.fixture
def demo_pages(container: Any, uow: Any, principal: Any, web_client: Any) -> Any:
    from xborder.demo.service import build_catalog

    build_catalog(uow.session, principal)
    uow.session.flush()
    for mod in ("xborder.logistics.demo", "xborder.customs.demo", "xborder.rebate.demo"):
        module = __import__(mod, fromlist=["build"])
        module.build(uow.session, principal)
        uow.session.flush()
    uow.commit()
    return web_client


def _crawl(client: Any, lang: str) -> dict[str, tuple[int, Page]]:
    client.cookies.set("lang", lang)
    seen: dict[str, tuple[int, Page]] = {}
    shapes: set[str] = set()
    queue = ["/"] + [s.url for s in SECTIONS if s.url.startswith(PREFIXES)] + [s.url for s in SETTINGS]
    while queue:
        path = queue.pop(0)
        shape = re.sub(r"/\d+(?=/|$)", "/N", path.split("?")[0])
        if shape in shapes:
            continue
        shapes.add(shape)
        r = client.get(path)
        if r.status_code == 200 and "text/html" not in r.headers.get("content-type", ""):
            continue  # a download (XML, ZIP, PDF...), not a page
        page = Page()
        page.feed(r.text)
        seen[path] = (r.status_code, page)
        for href in page.links:
            if href.startswith("/") and not href.startswith("//") and href.startswith(PREFIXES) and not SKIP.search(href):
                queue.append(href)
    return seen


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_page_renders_with_title_labels_and_translated_nav(demo_pages: Any, lang: str) -> None:
    pages = _crawl(demo_pages, lang)
    # the walk reached the sub-pages of every package checked here
    for prefix in ("/catalog/", "/customs/", "/logistics/", "/rebate/"):
        assert any(p.startswith(prefix) for p in pages), (prefix, sorted(pages))
    problems = []
    for path, (status, page) in pages.items():
        if status != 200:
            problems.append(f"{path}: HTTP {status}")
            continue
        title = page.title.strip()
        if page.title_has_tag or "<" in title or not title.endswith("· Xborder"):
            problems.append(f"{path}: bad <title> {title[:60]!r}")
        if title.startswith("Xborder ·") and path != "/":
            problems.append(f"{path}: page has no title of its own")
        for f in page.unlabelled():
            problems.append(f"{path}: form field without a label: {f}")
        for href in page.links:
            if href.startswith(("http://", "https://")) and "127.0.0.1" not in href:
                problems.append(f"{path}: external link {href}")
    assert not problems, "\n".join(problems)


def test_chinese_pages_translate_navigation_and_dashboard(demo_pages: Any) -> None:
    demo_pages.cookies.set("lang", "zh_CN")
    english = {s.label for s in SECTIONS + SETTINGS}
    html = demo_pages.get("/").text
    for label in english:
        assert f">{label}<" not in html, label
    # dashboard widget titles of these packages are translated
    for untranslated in ("Shipments on the way", "Rate cards", "Export VAT refund", "quantity_mismatch", " trading", " production"):
        assert untranslated not in html, untranslated
    period = demo_pages.get("/rebate/periods/2026-09/production").text
    assert "declared closing credit" not in period
    assert "申报表期末留抵税额" in period
    assert "<td>ready" not in period and "可申报" in period  # line statuses are labels, not codes
    assert 'class="alert warn"' in period  # styled like the other pages' messages
    demo_pages.cookies.set("lang", "en")
    period = demo_pages.get("/rebate/periods/2026-09/production").text
    assert "declared closing credit 60000.00 differs from the computed" in period


def test_templates_and_static_files_load_nothing_from_outside() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[3] / "src" / "xborder"
    bad = []
    for f in list(root.glob("**/templates/**/*.html")) + list(root.glob("entrypoints/web/static/*")):
        for m in re.finditer(r"""(?:src|href|url)\s*[=(]\s*["']?(https?://[^"')\s]+)""", f.read_text(encoding="utf-8")):
            bad.append(f"{f.relative_to(root)}: {m[1]}")
    assert not bad, bad


def test_api_documentation_page_serves_its_own_swagger_ui(web_client: Any) -> None:
    """The API docs page loads Swagger UI from the app (the fastapi-offline wheel), not a CDN."""
    page = web_client.get("/api/docs")
    assert page.status_code == 200 and "SwaggerUIBundle" in page.text
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page.text)
    assert assets and not [a for a in assets if a.startswith(("http:", "https:", "//"))], assets
    for a in assets:
        r = web_client.get(a)
        assert r.status_code == 200 and len(r.content) > 100, a
    assert "'/api/openapi.json'" in page.text or '"/api/openapi.json"' in page.text
    assert web_client.get("/api/openapi.json").json()["info"]["title"] == "Xborder API"


def test_sku_form_errors_in_the_page_language(web_client: Any) -> None:
    web_client.cookies.set("lang", "zh_CN")
    r = web_client.post("/catalog/new", data={"csrf_token": web_client.csrf, "sku": "", "hs_code": "12ab", "weight_g": "-1"})
    assert r.status_code == 422
    assert "SKU：必填" in r.text and "商品编码：" in r.text and "重量（克）：不能为负数" in r.text
    assert "sku: required" not in r.text
    web_client.cookies.set("lang", "en")
    r = web_client.post("/catalog/new", data={"csrf_token": web_client.csrf, "sku": ""})
    assert r.status_code == 422 and "sku: required" in r.text


def test_shipment_statuses_are_words_not_codes(demo_pages: Any) -> None:
    demo_pages.cookies.set("lang", "en")
    html = demo_pages.get("/logistics/shipments").text
    assert "in transit" in html and "in_transit" not in html
    demo_pages.cookies.set("lang", "zh_CN")
    html = demo_pages.get("/logistics/shipments").text
    assert "运输中" in html and "in_transit" not in html

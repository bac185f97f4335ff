"""A real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against the app
served by uvicorn on a free localhost port."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser



def test_login_language_sku_and_import(page, org_ids, tmp_path):
    base = page.base_url
    page.goto(base + "/catalog")
    assert "/login" in page.url
    assert page.locator("button.primary").inner_text() == "Log in"
    # wrong password first
    page.fill("input[name=email]", "owner@acme.test")
    page.fill("input[name=password]", "wrong-password")
    page.click("button.primary")
    assert "wrong email or password" in page.locator(".alert.error").inner_text()
    page.fill("input[name=email]", "owner@acme.test")
    page.fill("input[name=password]", "correct-horse-9")
    page.click("button.primary")
    page.wait_for_url(base + "/catalog")
    assert page.locator("h1").inner_text() == "Catalog"

    # switch language to Chinese and back
    page.click("button[data-lang=zh_CN]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "商品"
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    page.click("button[data-lang=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Catalog"

    # create a SKU, with a validation error first
    page.click("#new-sku")
    page.fill("input[name=sku]", "BR-LAMP-01")
    page.fill("input[name=name_en]", "Browser desk lamp")
    page.fill("input[name=name_zh]", "浏览器台灯")
    page.fill("input[name=weight_g]", "-5")
    page.click("#sku-form button[type=submit]")
    assert page.locator("li[data-field=weight_g]").count() == 1
    page.fill("input[name=weight_g]", "850")
    page.fill("input[name=hs_code]", "940521")
    page.click("#sku-form button[type=submit]")
    page.wait_for_url("**/catalog/*?saved=1")

    # find it in the list
    page.goto(base + "/catalog")
    page.fill("input[name=q]", "desk lamp")
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state()
    rows = page.locator("#sku-table tbody tr")
    assert rows.count() == 1 and "BR-LAMP-01" in rows.first.inner_text()

    # import a CSV with one bad row: the error is shown and nothing is imported
    f = tmp_path / "catalog.csv"
    f.write_text("sku,name_en,weight_g\nIMP-1,Good,10\nIMP-2,Bad,heavy\n", "utf-8")
    page.goto(base + "/catalog/import")
    page.set_input_files("input[type=file]", str(f))
    page.click("form[data-progress] button[type=submit]")
    page.wait_for_selector("#import-errors")
    text = page.locator("#import-errors").inner_text()
    assert "weight_g" in text and "3" in text
    page.goto(base + "/catalog?q=IMP")
    assert page.locator("#sku-table").count() == 0


def test_wide_tables_and_file_inputs_do_not_widen_the_page(page, org_ids):
    """At 900 px the landed-cost line table (8 input columns) and the selection page's file
    inputs fit: wide tables scroll in their own box (div.table-scroll), form cards never grow
    past their grid column."""
    page.log_in("/customs/landed-cost")
    page.set_viewport_size({"width": 900, "height": 800})
    for path in ("/customs/landed-cost", "/selection", "/customs/declarations"):
        page.goto(page.base_url + path)
        sw, iw = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert sw <= iw, f"{path}: page is {sw} px wide in a {iw} px window"
        assert page.evaluate("Array.from(document.querySelectorAll('table.table')).every(t => t.parentElement.classList.contains('table-scroll'))")
    assert page.js_errors == []


def test_declaration_json_is_edited_as_a_form(page, org_ids):
    """The declaration's JSON shows as a form (header fields, party fieldsets, a table of goods):
    what is typed there is what is submitted, a line can be added, and after "Check only" the
    fields customs would reject are marked in the form."""
    import json

    page.log_in("/customs/declarations")
    assert page.eval_on_selector("#declaration-input", "e => e.hidden")
    page.fill('[data-json-form="declaration-input"] [data-path="order_no"]', "SO-FORM-1")
    assert json.loads(page.input_value("#declaration-input"))["order_no"] == "SO-FORM-1"
    rows = len(json.loads(page.input_value("#declaration-input"))["lines"])
    page.click('[data-json-form="declaration-input"] button:has-text("Add a line")')
    assert len(json.loads(page.input_value("#declaration-input"))["lines"]) == rows + 1
    page.fill(f'[data-path="lines[{rows}].gcode"]', "12")
    # code fields are select lists of the codes customs accepts (GACC units, transport modes ...)
    page.select_option('select[data-path="lines[0].unit"]', "035")
    assert json.loads(page.input_value("#declaration-input"))["lines"][0]["unit"] == "035"
    assert "5 航空运输" in page.inner_text('select[data-path="traf_mode"]')
    assert page.get_attribute(f'[data-path="lines[{rows}].gmodel"]', "placeholder").startswith("0|0|")
    # each field's one-line help: under header fields and party titles, on the goods columns' headings
    assert "9610" in page.inner_text('label:has([data-path="mode"]) .field-help')
    helped = page.eval_on_selector_all("th.has-help", "els => els.map(e => e.title)")
    assert any("申报要素" in h or "Declared elements" in h for h in helped)
    page.click('[data-json-form="declaration-input"] button:has-text("JSON")')
    assert not page.eval_on_selector("#declaration-input", "e => e.hidden")
    page.click('[data-json-form="declaration-input"] button:has-text("Form")')
    page.click("#declaration-form button[name=check]")
    page.wait_for_load_state()
    sent = json.loads(page.input_value("#declaration-input"))
    assert sent["order_no"] == "SO-FORM-1" and sent["lines"][rows]["gcode"] == "12"  # the server got the form's values
    invalid = page.eval_on_selector_all("input.invalid", "els => els.map(e => e.getAttribute('data-path'))")
    assert f"lines[{rows}].gcode" in invalid
    assert page.js_errors == [] or all("422" in e for e in page.js_errors)


def test_sorting_keeps_each_rows_explanation_under_it(page, org_ids):
    """A sortable table whose rows are followed by an "explain" row (the profit drill-down's "Why
    these figures") sorts the pairs together; a table nested in a cell keeps its own headers."""
    page.log_in("/")
    page.set_content("""<table class="table sortable" id="t"><thead><tr><th>Order</th><th>Margin</th></tr></thead><tbody>
      <tr><td>A</td><td>5.00</td></tr><tr class="explain"><td colspan="2">why A
        <table class="table sortable"><thead><tr><th>Figure</th></tr></thead><tbody><tr><td>x</td></tr></tbody></table></td></tr>
      <tr><td>B</td><td>-3.00</td></tr><tr class="explain"><td colspan="2">why B</td></tr>
      <tr><td>C</td><td>12.50</td></tr><tr class="explain"><td colspan="2">why C</td></tr>
    </tbody></table>""")
    page.add_script_tag(url=page.base_url + "/static/app.js")  # the served file (the page's CSP allows 'self' only)
    assert page.evaluate("document.querySelectorAll('#t > thead th[tabindex]').length") == 2  # the nested header is not the outer's
    page.click("#t > thead th:nth-child(2)")  # Margin, ascending

    def order() -> list[str]:
        return [t.strip().split("\n")[0].strip() for t in page.locator("#t > tbody > tr").all_inner_texts()]

    assert order()[:6] == ["B\t-3.00", "why B", "A\t5.00", "why A", "C\t12.50", "why C"]
    page.click("#t > thead th:nth-child(2)")  # descending
    assert order()[:6] == ["C\t12.50", "why C", "A\t5.00", "why A", "B\t-3.00", "why B"]
    assert page.js_errors == []


def test_a_phone_sized_window_keeps_log_out_and_the_language_on_screen(page, org_ids):
    """At 390 px the top bar wraps (language switch and *Log out* stay visible), the sections
    become a wrapped row above the page, and no page is wider than the window."""
    page.log_in("/")
    page.set_viewport_size({"width": 390, "height": 800})
    for path in ("/", "/customs/rules", "/listings/editor", "/orders"):
        page.goto(page.base_url + path)
        sw, iw = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert sw <= iw, f"{path}: page is {sw} px wide in a {iw} px window"
        right = page.evaluate("document.querySelector('#logout').getBoundingClientRect().right")
        assert 0 < right <= iw, f"{path}: Log out at {right} px"
    top = page.evaluate("document.querySelector('main.content').getBoundingClientRect().top")
    assert top < 450, top  # the section links do not fill the first screen
    assert page.js_errors == []


def test_dashboard_fetches_its_slow_cards_after_showing(page, org_ids):
    page.log_in("/")
    page.goto(page.base_url + "/")
    from playwright.sync_api import expect

    # every placeholder (customs, profit, selection) replaced; the page's CSP forbids wait_for_function
    expect(page.locator("[data-lazy-widget]")).to_have_count(0, timeout=30000)
    assert page.locator(".widget.loading").count() == 0
    assert page.js_errors == []


def test_dates_and_codes_in_table_cells_do_not_break_at_their_hyphens(page, org_ids):
    """A narrow column of SKUs broke "KT-CLIP-12P" into three lines (the profit report by SKU):
    cells holding one date or one short hyphenated code (alone or as their one link) keep it whole;
    a cell of words still wraps."""
    page.log_in("/")
    page.set_content("""<table class="table" id="t"><tbody><tr>
      <td>2026-11-25</td><td><a href="#">KT-CLIP-12P</a></td><td>112-6296129-6828531</td>
      <td>Bag sealing clips (12 pack)</td><td><a href="#">KT-1</a> and more</td><td>-3.00</td></tr></tbody></table>""")
    page.add_script_tag(url=page.base_url + "/static/app.js")
    classes = page.eval_on_selector_all("#t td", "els => els.map(e => e.className)")
    assert classes == ["date", "code-cell", "code-cell", "", "", ""]
    assert page.js_errors == []


def test_a_long_table_scrolls_in_its_own_box_under_its_header(page, org_ids):
    """The payments page was 7,700 px high (57 payouts, 28 discrepancies, every settlement): its long
    tables (and the profit report's) now scroll in a box of their own, the header staying on top."""
    page.log_in("/")
    rows = "".join(f"<tr><td>{i}</td><td class='num'>{i}.00</td></tr>" for i in range(200))
    page.set_content(f"""<link rel="stylesheet" href="{page.base_url}/static/app.css">
      <div class="table-scroll tall" id="box"><table class="table"><thead><tr><th>n</th><th class="num">amount</th></tr></thead>
      <tbody>{rows}</tbody></table></div>""")
    box = page.locator("#box")
    height, inner = box.evaluate("b => [b.clientHeight, b.scrollHeight]")
    assert height < 700 < inner  # 34rem, not 200 rows
    box.evaluate("b => { b.scrollTop = 2000; }")
    top_of_box = box.bounding_box()["y"]
    th = page.locator("th").first.bounding_box()["y"]
    assert abs(th - top_of_box) < 2  # the header stuck to the top of the box
    assert page.js_errors == []

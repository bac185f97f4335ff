"""The profit report of a period (a preset or the days given, the last included) beside the
period before it: the page, the API, the CLI and the dashboard card."""

import re
from decimal import Decimal
from pathlib import Path

FIX = Path(__file__).resolve().parents[2] / "fixtures"
ORDERS = FIX / "sales" / "amazon_all_orders_29col_us.txt"  # orders of 2026-03-02, 2026-03-03 (09:22 UTC) and 2026-03-05
SETTLEMENT = FIX / "payments" / "amazon_settlement_v2_us.txt"


def upload(c, url, fmt, path):
    return c.post(url, data={"format": fmt}, files={"file": (path.name, path.read_bytes())})


def _import(api_client):
    assert upload(api_client, "/api/v1/orders/import", "amazon-all-orders", ORDERS).json()["imported"] == 4
    assert upload(api_client, "/api/v1/payouts/import", "amazon-settlement-v2", SETTLEMENT).json()["imported"] == 20


def test_api_period_totals_and_previous_period(api_client):
    _import(api_client)
    every = api_client.get("/api/v1/profit", params={"by": "order"}).json()
    assert every["period"] == {"period": "all", "from": None, "to": None} and every["previous_period"] is None
    assert len(every["rows"]) == 2 and every["totals"]["previous"] is None and every["totals"]["change"] is None
    assert abs(Decimal(every["totals"]["margin"]) - sum(Decimal(r["margin"]) for r in every["rows"])) <= Decimal("0.02")
    # "to" is the last day, included: the 2 March order alone
    day = api_client.get("/api/v1/profit", params={"by": "order", "from": "2026-03-02", "to": "2026-03-02"}).json()
    assert [r["key"] for r in day["rows"]] == ["111-4012345-1234567"]
    assert day["period"] == {"period": "custom", "from": "2026-03-02", "to": "2026-03-02"}
    assert day["previous_period"] == {"period": "custom", "from": "2026-03-01", "to": "2026-03-01"}
    assert day["totals"]["orders"] == 1 and day["totals"]["previous"] is None  # nothing on 1 March
    # the days after it, compared with as many days before
    later = api_client.get("/api/v1/profit", params={"by": "order", "from": "2026-03-03", "to": "2026-03-05"}).json()
    assert "111-4012345-1234567" not in {r["key"] for r in later["rows"]}
    assert later["previous_period"] == {"period": "custom", "from": "2026-02-28", "to": "2026-03-02"}
    prev, change = later["totals"]["previous"], later["totals"]["change"]
    assert prev["margin"] == day["totals"]["margin"] and prev["orders"] == 1
    assert Decimal(change["margin"]) == Decimal(later["totals"]["margin"]) - Decimal(prev["margin"])  # as shown
    # each row beside its margin of the period before
    us = api_client.get("/api/v1/profit", params={"by": "market", "from": "2026-03-03", "to": "2026-03-05"}).json()["rows"]
    assert [r["key"] for r in us] == ["US"] and us[0]["margin_previous"] == day["totals"]["margin"]
    assert Decimal(us[0]["margin_change"]) == Decimal(us[0]["margin"]) - Decimal(us[0]["margin_previous"])
    assert "margin_previous" not in every["rows"][0]  # every order: nothing to compare with
    month = api_client.get("/api/v1/profit", params={"period": "last-month"}).json()
    assert month["period"]["period"] == "last-month" and month["previous_period"] is not None
    lines = api_client.get("/api/v1/profit/lines", params={"by": "order", "key": "111-4012345-1234567",
                                                           "from": "2026-03-03"}).json()
    assert lines["lines"] == [] and lines["period"]["from"] == "2026-03-03"
    csv = api_client.get("/api/v1/profit/export", params={"by": "order", "to": "2026-03-02"}).content.decode("utf-8-sig")
    assert len(csv.splitlines()) == 2 and "111-4012345-1234567" in csv
    for params, field in (({"period": "fortnight"}, "period"), ({"from": "2026-02-30"}, "from"),
                          ({"from": "2026-03-05", "to": "2026-03-01"}, "from")):
        bad = api_client.get("/api/v1/profit", params=params)
        assert bad.status_code == 422 and bad.json()["field"] == field, bad.text


def test_page_period_cards_and_links(api_client, web_client):
    _import(api_client)
    c = web_client
    page = c.get("/reports", params={"by": "order", "from": "2026-03-03", "to": "2026-03-05"})
    assert page.status_code == 200
    text = page.text.replace("&amp;", "&")
    cards = text[text.index('id="profit-summary"'):text.index('id="chart-sku"')]
    assert "上一期" in cards or "vs previous period" in cards  # compared with 2026-02-28 .. 2026-03-02
    assert "2026-02-28 – 2026-03-02" in text
    assert "上一期利润" in text.split('id="profit-table"')[1]  # the previous period's margin beside each row
    # the period travels with every link: dimensions, drill-down and exports
    assert 'href="/reports?by=sku&from=2026-03-03&to=2026-03-05"' in text
    assert re.search(r'href="/reports/lines\?by=order&key=[^"]+&from=2026-03-03&to=2026-03-05"', text)
    assert 'href="/reports/export?by=order&format=csv&from=2026-03-03&to=2026-03-05"' in text
    assert "111-4012345-1234567" not in text.split('id="profit-table"')[1]
    preset = c.get("/reports", params={"period": "last-year"})
    assert preset.status_code == 200 and 'value="last-year" selected' in preset.text
    empty = c.get("/reports", params={"from": "2025-01-01", "to": "2025-12-31"})
    assert "此期间没有带价格的订单" in empty.text  # the fixture's orders are of March 2026
    bad = c.get("/reports", params={"by": "order", "from": "2026-03-05", "to": "2026-03-01"})
    assert bad.status_code == 200 and 'role="alert"' in bad.text and "2026-03-05" in bad.text
    assert "111-4012345-1234567" in bad.text  # every order shown, and said
    drill = c.get("/reports/lines", params={"by": "order", "key": "111-4012345-1234567", "to": "2026-03-02"})
    assert drill.status_code == 200 and 'href="/reports?by=order&to=2026-03-02"' in drill.text.replace("&amp;", "&")


def test_dashboard_card_of_the_latest_month(api_client, web_client):
    c = web_client
    assert c.get("/dashboard/widgets/profit").text.count('class="card widget') == 0  # no orders: no card
    assert 'data-lazy-widget="/dashboard/widgets/profit"' in c.get("/").text
    _import(api_client)
    card = c.get("/dashboard/widgets/profit")
    assert card.status_code == 200 and 'href="/reports?from=2026-03-01&amp;to=2026-03-31"' in card.text
    total = api_client.get("/api/v1/profit", params={"from": "2026-03-01", "to": "2026-03-31"}).json()["totals"]
    assert f"¥{Decimal(total['margin']):,.2f}" in card.text
    assert "/orders?margin=negative" not in card.text  # no order of March loses money
    assert api_client.post("/api/v1/skus", json={"sku": "MUG-BL-350", "name_en": "Mug", "purchase_cost": "400.00"}).status_code == 201
    card = c.get("/dashboard/widgets/profit").text.replace("&amp;", "&")
    assert 'href="/orders?margin=negative&from=2026-03-01&to=2026-03-31"' in card and "亏损订单" in card


def test_cli_period(cli):
    assert cli("import", "orders", "--format", "amazon-all-orders", str(ORDERS), "--json").exit_code == 0
    r = cli("profit", "--by", "order", "--from", "2026-03-02", "--to", "2026-03-02", "--json")
    assert r.exit_code == 0 and [x["key"] for x in r.json()["rows"]] == ["111-4012345-1234567"]
    assert r.json()["period"] == {"period": "custom", "from": "2026-03-02", "to": "2026-03-02"}
    table = cli("profit", "--by", "order", "--from", "2026-03-03", "--to", "2026-03-05")
    assert table.exit_code == 0 and "2026-03-03 – 2026-03-05" in table.stdout and "previous period 2026-02-28 – 2026-03-02" in table.stdout
    bad = cli("profit", "--period", "fortnight", "--json")
    assert bad.exit_code == 2 and bad.json()["error"]["field"] == "period" and "--period" in bad.json()["error"]["message"]
    bad = cli("profit", "--to", "2026-13-01", "--json")
    assert bad.exit_code == 2 and bad.json()["error"]["field"] == "to"


def test_one_skus_profit_by_market(api_client, web_client, cli):
    """A SKU's own report (API ``sku``, CLI ``--sku``) and the SKU page's card: orders, units,
    revenue, margin, margin per unit and share by market, the total last."""
    _import(api_client)
    sku = api_client.post("/api/v1/skus", json={"sku": "MUG-BL-350", "name_en": "Mug", "purchase_cost": "10.00"}).json()
    every = api_client.get("/api/v1/profit/lines", params={"by": "sku", "key": "MUG-BL-350"}).json()["lines"]
    assert every and {ln["sku"] for ln in every} == {"MUG-BL-350"}
    margin = sum(Decimal(ln["margin"]) for ln in every)
    one = api_client.get("/api/v1/profit", params={"by": "market", "sku": "MUG-BL-350", "from": "2026-03-01"}).json()
    assert one["sku"] == "MUG-BL-350" and [r["key"] for r in one["rows"]] == ["US"]
    assert abs(Decimal(one["rows"][0]["margin"]) - margin) <= Decimal("0.01")
    card = api_client.get("/api/v1/profit/sku-markets", params={"sku": "MUG-BL-350", "from": "2026-01-01", "to": "2026-12-31"}).json()
    us, total = card["rows"]
    assert us["key"] == "US" and total["key"] is None and us["margin"] == total["margin"] == one["rows"][0]["margin"]
    assert Decimal(us["units"]) == sum(Decimal(ln["quantity"]) for ln in every)
    assert abs(Decimal(us["margin_per_unit"]) - Decimal(us["margin"]) / Decimal(us["units"])) <= Decimal("0.005")
    assert api_client.get("/api/v1/profit/sku-markets", params={"sku": "NOPE", "period": "all"}).json()["rows"] == []
    page = web_client.get(f"/catalog/{sku['id']}").text
    assert 'data-lazy-widget="/reports/sku-markets?sku=MUG-BL-350"' in page
    fragment = web_client.get("/reports/sku-markets", params={"sku": "MUG-BL-350", "period": "all"}).text
    assert 'id="sku-markets"' in fragment and f">{us['margin']}<" in fragment and 'href="/reports/lines?by=sku&key=MUG-BL-350"' in fragment
    assert "None" not in fragment
    r = cli("profit", "--by", "market", "--sku", "MUG-BL-350", "--json")
    assert r.exit_code == 0 and r.json()["rows"] == one["rows"] and r.json()["sku"] == "MUG-BL-350"
    assert cli("profit", "--sku", "MUG-BL-350", "--lines", "--json").exit_code == 2

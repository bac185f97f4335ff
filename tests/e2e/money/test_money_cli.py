"""The contract, through the CLI in-process: `import orders|payouts`, `reconcile`, `profit`."""

from pathlib import Path

import pytest

FIX = Path(__file__).resolve().parents[2] / "fixtures"
ORDER_FILES = [("amazon-all-orders", "amazon_all_orders_29col_us.txt", 4), ("amazon-all-orders", "amazon_all_orders_39col_de.txt", 2),
               ("amazon-all-orders", "amazon_all_orders_jp_utf16.txt", 1), ("shopify", "shopify_orders.csv", 3),
               ("ebay", "ebay_orders.csv", 3), ("etsy-orders", "EtsySoldOrders2026-3.csv", 1),
               ("etsy-items", "EtsySoldOrderItems2026-3.csv", 2), ("woocommerce", "woocommerce_orders.csv", 2),
               ("temu", "temu_orders.xlsx", 3), ("temu", "temu_orders_gb18030.csv", 1)]


@pytest.mark.parametrize("fmt,name,n", ORDER_FILES)
def test_import_orders_contract(cli, fmt, name, n):
    r = cli("import", "orders", "--format", fmt, str(FIX / "sales" / name), "--json")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert r.json() == {"imported": n, "skipped_duplicates": 0, "errors": []}
    again = cli("import", "orders", "--format", fmt, str(FIX / "sales" / name), "--json")
    assert again.json() == {"imported": 0, "skipped_duplicates": n, "errors": []}


def test_import_orders_rejected(cli):
    r = cli("import", "orders", "--format", "amazon-all-orders", str(FIX / "sales" / "amazon_all_orders_bad.txt"), "--json")
    assert r.exit_code == 2
    d = r.json()
    assert d["imported"] == 0 and d["skipped_duplicates"] == 0
    assert [(e["line"], e["column"]) for e in d["errors"]] == [(2, "purchase-date"), (3, "quantity"), (4, "currency")]
    assert all(e["message"] for e in d["errors"])
    ok = cli("import", "orders", "--format", "amazon-all-orders", str(FIX / "sales" / "amazon_all_orders_29col_us.txt"), "--json")
    assert ok.json()["imported"] == 4  # nothing of the rejected file was written


def test_mapped_orders_with_saved_mapping(cli, tmp_path):
    spec = tmp_path / "m.json"
    spec.write_text('{"columns": {"order_id": "Bestellnr", "date": "Datum", "sku": "Artikel", "quantity": "Menge", '
                    '"price": "Gesamt", "currency": "Währung", "country": "Land"}, '
                    '"options": {"date_format": "%d.%m.%Y", "decimal_separator": ","}}', "utf-8")
    assert cli("orders", "mapping", "b2b-de", "--json-in", str(spec)).exit_code == 0
    r = cli("import", "orders", "--format", "mapped", str(FIX / "sales" / "mapped_orders_de.csv"), "--mapping", "b2b-de", "--json")
    assert r.exit_code == 0 and r.json()["imported"] == 3
    missing = cli("import", "orders", "--format", "mapped", str(FIX / "sales" / "mapped_orders_de.csv"), "--mapping", "nope", "--json")
    assert missing.exit_code == 2 and "nope" in missing.stdout


PAYOUT_FILES = [("amazon-settlement-v2", "amazon_settlement_v2_us.txt", None, 20),
                ("amazon-settlement-v2", "amazon_settlement_v2_de.txt", None, 9), ("stripe", "stripe_itemized.csv", None, 4),
                ("paypal", "paypal_activity.csv", None, 3), ("mapped", "payoneer_statement.csv", "payoneer", 2),
                ("mapped", "pingpong_statement.csv", "pingpong", 2), ("mapped", "lianlian_statement.csv", "lianlian", 2),
                ("mapped", "worldfirst_statement.csv", "worldfirst", 2), ("mapped", "airwallex_transactions.csv", "airwallex", 2)]


@pytest.mark.parametrize("fmt,name,mapping,n", PAYOUT_FILES)
def test_import_payouts_contract(cli, fmt, name, mapping, n):
    args = ["import", "payouts", "--format", fmt, str(FIX / "payments" / name)] + (["--mapping", mapping] if mapping else []) + ["--json"]
    r = cli(*args)
    assert r.exit_code == 0, r.stdout + r.stderr
    assert r.json() == {"imported": n, "skipped_duplicates": 0, "errors": []}
    assert cli(*args).json() == {"imported": 0, "skipped_duplicates": n, "errors": []}


def test_import_payouts_rejected(cli):
    r = cli("import", "payouts", "--format", "amazon-settlement-v2", str(FIX / "payments" / "amazon_settlement_v2_bad.txt"), "--json")
    assert r.exit_code == 2
    assert [(e["line"], e["column"]) for e in r.json()["errors"]] == [(3, "amount"), (4, "posted-date-time"), (5, "currency")]


def test_unknown_format(cli):
    r = cli("import", "payouts", "--format", "bank-xml", str(FIX / "payments" / "paypal_activity.csv"), "--json")
    assert r.exit_code == 2 and r.json()["errors"][0]["column"] == "format"


def test_reconcile_and_profit_contract(cli):
    cli("import", "orders", "--format", "amazon-all-orders", str(FIX / "sales" / "amazon_all_orders_29col_us.txt"), "--json")
    cli("import", "payouts", "--format", "amazon-settlement-v2", str(FIX / "payments" / "amazon_settlement_v2_us.txt"), "--json")
    r = cli("reconcile", "--json")
    assert r.exit_code == 0
    d = r.json()
    assert {"matched", "unmatched_payout_lines", "orders_without_payout", "discrepancies", "fees_by_type"} <= set(d)
    assert (d["matched"], d["unmatched_payout_lines"], d["orders_without_payout"]) == (15, 2, 0)
    assert d["fees_by_type"] == {"advertising": "-15.40", "fulfilment": "-13.02", "other": "-0.15",
                                 "referral": "-10.50", "reserves": "-5.00"}
    assert {x["type"] for x in d["discrepancies"]} == {"unmatched_payout_line", "unexpected_fee_type"}
    keys = {"key", "revenue", "fees", "shipping", "duties_taxes", "cost_of_goods", "fx", "rebate", "margin"}
    for by in ("order", "sku", "market", "channel", "month"):
        p = cli("profit", "--by", by, "--json")
        assert p.exit_code == 0, p.stdout + p.stderr
        out = p.json()
        assert out["currency"] == "CNY" and out["rows"]
        assert all(set(row) == keys for row in out["rows"])
    assert [r["key"] for r in cli("profit", "--by", "market", "--json").json()["rows"]] == ["US"]
    assert [r["key"] for r in cli("profit", "--by", "month", "--json").json()["rows"]] == ["2026-03"]
    assert cli("profit", "--by", "colour", "--json").exit_code == 2


def test_profit_lines_and_exports(cli, tmp_path):
    """``profit --lines [--key K]`` lists the order lines behind the report (JSON, table, CSV,
    XLSX); each exported line carries its figures and the rule behind each; the per-key figures
    add up to the report's row."""
    import csv
    from decimal import Decimal
    from io import StringIO

    cli("import", "orders", "--format", "amazon-all-orders", str(FIX / "sales" / "amazon_all_orders_29col_us.txt"), "--json")
    report = {r["key"]: r for r in cli("profit", "--by", "sku", "--json").json()["rows"]}
    every = cli("profit", "--lines", "--json").json()
    assert every["currency"] == "CNY" and len(every["lines"]) >= len(report)
    sku = next(iter(report))
    one = cli("profit", "--by", "sku", "--lines", "--key", sku, "--json").json()
    assert one["key"] == sku and one["lines"] and {ln["sku"] for ln in one["lines"]} == {sku}
    assert sum(Decimal(ln["margin"]) for ln in one["lines"]) == Decimal(report[sku]["margin"])
    r = cli("profit", "--by", "sku", "--lines", "--key", sku, "--format", "csv")
    assert r.exit_code == 0
    rows = list(csv.DictReader(StringIO(r.stdout)))
    assert len(rows) == len(one["lines"]) and rows[0]["sku"] == sku and rows[0]["currency"] == "CNY"
    assert sum(Decimal(x["margin"]) for x in rows) == Decimal(report[sku]["margin"])
    assert "revenue: " in rows[0]["explanation"] and "booking rate" in rows[0]["explanation"]
    out = tmp_path / "lines.xlsx"
    assert cli("profit", "--lines", "--format", "xlsx", "--out", str(out)).exit_code == 0
    from openpyxl import load_workbook

    ws = load_workbook(out).active
    assert ws.max_row == len(every["lines"]) + 1 and ws.cell(1, 1).value == "order_id"
    by_market = tmp_path / "m.csv"
    assert cli("profit", "--by", "market", "--format", "csv", "--out", str(by_market)).exit_code == 0
    assert by_market.read_text(encoding="utf-8-sig").splitlines()[1].startswith("US,")
    assert cli("profit", "--key", sku, "--json").exit_code == 2  # --key needs --lines
    assert "order lines (CNY)" in cli("profit", "--lines").stdout

"""UCI "Online Retail II" layout (Invoice, StockCode, Description, Quantity, InvoiceDate, Price,
Customer ID, Country; 2009-12 to 2011-12) read by ``--format uci-online-retail``, detected by its
header; with two years the forecast's baseline is the true lag-52 seasonal naive. The file is
written by the test (invented rows in that layout)."""

from __future__ import annotations

import csv
import math
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

II_HEADER = ["Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Customer ID", "Country"]
OLD_HEADER = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]
PRODUCTS = [("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", "2.55"), ("22423", "REGENCY CAKESTAND 3 TIER", "12.75"),
            ("84879", "ASSORTED COLOUR BIRD ORNAMENT", "1.69")]
MARKETS = [("United Kingdom", 30), ("Germany", 12)]


def _rows(start: date = date(2009, 12, 1), end: date = date(2011, 12, 9)) -> list[list[str]]:
    """One invoice per product x market per weekday, seasonal (Christmas peak), plus a
    cancellation, a postage line and a line without customer: what the cleaning must drop."""
    rng = random.Random(7)
    rows: list[list[str]] = []
    inv = 489434
    day = start
    while day <= end:
        if day.weekday() < 5:
            week = day.isocalendar()[1]
            season = 1 + 0.8 * math.exp(-((week - 48) ** 2) / 18)
            for code, desc, price in PRODUCTS:
                for country, base in MARKETS:
                    qty = max(1, round(base * season / 5 + rng.gauss(0, 1)))
                    inv += 1
                    when = datetime(day.year, day.month, day.day, 9 + rng.randrange(8), rng.randrange(60))
                    cust = f"{12000 + rng.randrange(400)}.0"
                    rows.append([str(inv), code, desc, str(qty), when.strftime("%Y-%m-%d %H:%M:%S"), price, cust, country])
        day += timedelta(days=1)
    rows.append([f"C{inv + 1}", "22423", "REGENCY CAKESTAND 3 TIER", "-2", "2011-03-01 10:00:00", "12.75", "12001.0", "Germany"])
    rows.append([str(inv + 2), "POST", "POSTAGE", "1", "2011-03-01 10:05:00", "18.00", "12001.0", "Germany"])
    rows.append([str(inv + 3), "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", "6", "2011-03-01 10:06:00", "2.55", "", "United Kingdom"])
    return rows


def _write(path: Path, header: list[str], rows: list[list[str]], bom: bool = False) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig" if bom else "utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def ii_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("uci2")
    rows = _rows()
    return _write(d / "online_retail_II.csv", II_HEADER, rows, bom=True), _write(d / "online_retail.csv", OLD_HEADER, rows)


def test_reader_detects_online_retail_ii_by_its_header(ii_files):
    from xborder.selection.transactions import clean, read_uci

    new, old = ii_files
    a, b = clean(read_uci(new)), clean(read_uci(old))
    assert a.rows_in == b.rows_in and a.rows_used == b.rows_used == a.rows_in - 3
    assert a.dropped == b.dropped == {"cancellation": 1, "non_product_code": 1, "missing_customer": 1}
    assert a.frame["date"].min().date() == date(2009, 12, 1) and a.frame["date"].max().date() == date(2011, 12, 9)
    assert a.frame.equals(b.frame)


def test_bad_header_names_the_missing_columns(tmp_path):
    from xborder.errors import ValidationError
    from xborder.selection.transactions import read_uci

    f = _write(tmp_path / "x.csv", ["Invoice", "StockCode", "Description", "Quantity", "InvoiceDate", "Price", "Country"], [])
    with pytest.raises(ValidationError, match="Online Retail II layout needs the columns Customer ID"):
        read_uci(f)


def test_cli_analyze_and_forecast_use_the_true_seasonal_naive(cli, ii_files):
    new, _ = ii_files
    r = cli("selection", "analyze", "--sales", str(new), "--format", "uci-online-retail", "--json")
    assert r.exit_code == 0, r.stdout
    out = r.json()
    assert [m["country"] for m in out["markets"]] == ["United Kingdom", "Germany"]
    assert out["cleaning"]["dropped"] == {"cancellation": 1, "non_product_code": 1, "missing_customer": 1}
    r = cli("forecast", "--sales", str(new), "--format", "uci-online-retail", "--horizon", "8", "--top", "6", "--json",
            "--jobs", "1")
    assert r.exit_code == 0, r.stdout
    fc = r.json()
    # complete weeks 2009-12-07 .. 2011-11-28 = 104; 96 of them before the 8-week test window
    assert fc["series"] == 6 and fc["horizon"] == 8 and fc["training_weeks"] == 96
    assert fc["baseline"] == "SeasonalNaive(52)" and fc["baseline_season"] == 52
    assert fc["mase_seasonal_naive"] is not None and fc["mase"] is not None
    human = cli("forecast", "--sales", str(new), "--horizon", "8", "--top", "2", "--jobs", "1")
    assert human.exit_code == 0 and "SeasonalNaive(52)" in human.stdout


def test_api_and_web_forecast_on_online_retail_ii(api_client, web_client, ii_files):
    new, _ = ii_files
    r = api_client.post("/api/v1/selection/forecast", data={"format": "uci-online-retail", "top": "2", "horizon": "8"},
                        files={"file": (new.name, new.read_bytes(), "text/csv")})
    assert r.status_code == 200, r.text
    assert r.json()["baseline"] == "SeasonalNaive(52)" and r.json()["baseline_season"] == 52
    r = web_client.post("/selection/forecast", data={"csrf_token": web_client.csrf, "top": "2", "horizon": "8"},
                        files={"file": (new.name, new.read_bytes(), "text/csv")}, follow_redirects=False)
    assert r.status_code == 303
    page = web_client.get(r.headers["location"])
    assert page.status_code == 200 and 'title="SeasonalNaive(52)"' in page.text and "滞后52周" in page.text  # zh-CN by default
    run_id = int(r.headers["location"].rsplit("/", 1)[1])
    saved = api_client.get(f"/api/v1/selection/forecasts/{run_id}").json()
    assert saved["baseline"] == "SeasonalNaive(52)" and saved["baseline_season"] == 52


def test_online_retail_ii_workbook_with_one_sheet_per_year(tmp_path, ii_files):
    """UCI ships Online Retail II as an .xlsx with a sheet per year: every sheet is read."""
    from openpyxl import Workbook

    from xborder.selection.transactions import clean, read_uci

    rows = _rows(date(2010, 11, 1), date(2011, 1, 31))
    wb = Workbook()
    first = wb.active
    first.title = "Year 2009-2010"
    second = wb.create_sheet("Year 2010-2011")
    for ws in (first, second):
        ws.append(II_HEADER)
    for r in rows:
        when = datetime.fromisoformat(r[4])
        ws = first if when < datetime(2011, 1, 1) else second
        qty = int(r[3])
        cust = float(r[6]) if r[6] else None  # numbers as Excel stores them
        ws.append([r[0], int(r[1]) if r[1].isdigit() else r[1], r[2], qty, when, float(r[5]), cust, r[7]])
    path = tmp_path / "online_retail_II.xlsx"
    wb.save(path)
    from_xlsx = clean(read_uci(path))
    from_csv = clean(read_uci(_write(tmp_path / "same.csv", II_HEADER, rows)))
    assert from_xlsx.rows_in == from_csv.rows_in == len(rows)
    assert from_xlsx.dropped == from_csv.dropped
    # same rows in the same order (the sheets are in date order), read to the same values
    assert from_xlsx.frame.drop("line").equals(from_csv.frame.drop("line"))
    assert int(from_xlsx.frame["revenue_e4"].sum()) == int(from_csv.frame["revenue_e4"].sum())

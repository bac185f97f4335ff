from datetime import date
from decimal import Decimal

import pytest

from xborder.errors import ImportRejected, ValidationError
from xborder.importing import RowErrors, parse_date, parse_decimal, read_table


@pytest.mark.parametrize("text,expected", [
    ("1.234,56", "1234.56"), ("1,234.56", "1234.56"), ("12,50", "12.50"), ("-3.5", "-3.5"), ("(5.00)", "-5.00"),
    ("US$1,000.00", "1000.00"), ("1 234,5", "1234.5"), ("€ 0,99", "0.99"), ("12.", "12"), ("5-", "-5"),
])
def test_parse_decimal_locales(text, expected):
    assert parse_decimal(text) == Decimal(expected)


def test_parse_decimal_empty_and_bad():
    assert parse_decimal("") is None
    assert parse_decimal("--") is None
    with pytest.raises(ValidationError):
        parse_decimal("abc", field="price")


def test_parse_date_formats():
    assert parse_date("2026-11-24") == date(2026, 11, 24)
    assert parse_date("24.11.2026") == date(2026, 11, 24)
    assert parse_date("2026/11/24") == date(2026, 11, 24)
    assert parse_date("11/24/2026", formats=("%m/%d/%Y",)) == date(2026, 11, 24)
    with pytest.raises(ValidationError):
        parse_date("yesterday")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030"])
def test_read_table_encodings(encoding):
    text = "sku,name_zh,price\nA1,数据线,1.5\nA2,充电器,2\n"
    table = read_table(text.encode(encoding))
    assert table.headers == ["sku", "name_zh", "price"]
    assert [r.get("name_zh") for r in table.rows] == ["数据线", "充电器"]
    assert table.rows[0].line == 2


def test_read_table_tab_and_semicolon_and_preamble():
    tsv = "order-id\tsku\tqty\n1\tA\t2\n"
    assert read_table(tsv.encode()).rows[0].get("qty") == "2"
    semi = "a;b\n1;2\n"
    assert read_table(semi.encode()).rows[0].get("b") == "2"
    with_preamble = 'Report generated 2026-11-01\n\n"Order Number","Item Title","Quantity"\n"1","Cable","2"\n"2","Lamp","1"\n,,\n3 record(s) downloaded,,\n'
    t = read_table(with_preamble.encode(), header_match=["Order Number", "Quantity"])
    assert [r.get("Order Number") for r in t.rows] == ["1", "2"]
    assert t.rows[0].line == 4
    assert any("record(s)" in p for p in t.preamble)


def test_read_table_xlsx(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["sku", "weight_g"])
    ws.append(["A1", 35])
    ws.append(["A2", 12.5])
    p = tmp_path / "x.xlsx"
    wb.save(p)
    t = read_table(p)
    assert [(r.line, r.get("sku"), r.get("weight_g")) for r in t.rows] == [(2, "A1", "35"), (3, "A2", "12.5")]


def test_row_errors_reject_with_every_line():
    errs = RowErrors()
    errs.add(3, "price", "not a number")
    errs.add(7, "sku", "required")
    with pytest.raises(ImportRejected) as e:
        errs.raise_if_any("orders file")
    assert [x["line"] for x in e.value.errors] == [3, 7]
    assert "2 bad rows" in e.value.message

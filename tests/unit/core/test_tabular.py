"""xborder.tabular: exact decimals, formula-like text kept as text, Chinese text readable by Excel."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from xborder.errors import ValidationError
from xborder.tabular import Table, decimal_text


def test_csv_has_bom_exact_decimals_and_quoted_formulas():
    t = Table("x", ["name", "amount", "qty", "day"],
              [["=cmd|' /C calc'!A0", Decimal("0.1000"), Decimal("3.0000"), date(2026, 11, 24)],
               ["-5 off", Decimal("-12.3456"), None, None],
               ["-5", Decimal("2.5"), True, datetime(2026, 11, 24, 8, 30)],
               ["杯子 mug", Decimal("1E+2"), False, None]])
    raw = t.csv()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "name,amount,qty,day"
    assert lines[1] == "'=cmd|' /C calc'!A0,0.10,3,2026-11-24"
    assert lines[2] == "'-5 off,-12.3456,,"
    assert lines[3] == "-5,2.50,yes,2026-11-24 08:30:00"  # a negative number stays a number
    assert lines[4] == "杯子 mug,100,no,"


def test_xlsx_numbers_are_exact_and_formulas_are_text():
    t = Table("payout 1/2", ["name", "amount", "when"],
              [["=HYPERLINK(\"http://x\")", Decimal("1234567.8912"), datetime(2026, 1, 2, 3, 4, tzinfo=UTC)],
               ["ok", Decimal("0.1"), date(2026, 1, 2)]])
    wb = load_workbook(io.BytesIO(t.xlsx()))
    ws = wb.active
    assert ws.title == "payout 1-2"
    assert ws["A2"].data_type == "s" and ws["A2"].value.startswith("=HYPERLINK")
    assert Decimal(str(ws["B2"].value)) == Decimal("1234567.8912")
    assert ws["B3"].value == 0.1 and ws["B3"].number_format == "0.00##"
    assert ws["C2"].value == datetime(2026, 1, 2, 3, 4)  # UTC, without a zone (Excel has none)
    assert ws.freeze_panes == "A2"


def test_rows_must_match_columns_and_format_is_checked():
    with pytest.raises(ValueError, match="row 2 has 1 cells for 2 columns"):
        Table("t", ["a", "b"], [["only one"]])
    with pytest.raises(ValidationError) as exc:
        Table("t", ["a"], []).encode("pdf")
    assert exc.value.field == "format"
    assert Table('payout-12/3 "x"', ["a"]).filename("csv") == "payout-12-3-x.csv"
    assert Table("///", ["a"]).filename("xlsx") == "export.xlsx"


@pytest.mark.parametrize("raw,text", [("5.9900", "5.99"), ("899.0000", "899"), ("5.5", "5.50"), ("0.0001", "0.0001"),
                                      ("-0.5000", "-0.50"), ("0E-4", "0")])
def test_decimal_text(raw, text):
    assert decimal_text(Decimal(raw)) == text

import io
from dataclasses import replace
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from xborder.customs import documents as docs
from xborder.errors import ValidationError


def doc():
    return docs.parse_docs(docs.sample_input())


def test_totals_and_reconciliation():
    d = doc()
    assert d.goods_total == D("30.00") and d.invoice_total == D("35.00")
    assert d.net_weight == D("0.4") and d.gross_weight == D("0.45")
    assert docs.validate_docs(d) == []


def test_validation_problems():
    d = doc()
    bad = replace(d.lines[0], hs_code="6109", material="", package=2)
    problems = {p["field"] for p in docs.validate_docs(replace(d, lines=(bad,)))}
    assert {"lines[0].hs_code", "lines[0].material", "lines[0].package", "packages[0]"} <= problems
    light = replace(d, packages=(replace(d.packages[0], gross_weight_kg=D("0.1")),))
    assert "packages[0].gross_weight_kg" in {p["field"] for p in docs.validate_docs(light)}
    with pytest.raises(ValidationError, match="hs_code"):
        docs.invoice_pdf(replace(d, lines=(bad,)))


def test_pdfs_are_pdfs_with_content():
    for fn in (docs.invoice_pdf, docs.packing_pdf):
        data = fn(doc())
        assert data[:5] == b"%PDF-" and len(data) > 1000


def test_pdfs_are_bilingual_with_the_shipped_font(monkeypatch):
    """No system CJK font (a fresh machine): the wheel's WenQuanYi Micro Hei is embedded (only
    the glyphs used) and the Chinese names are printed; without any CJK font the PDF is English."""
    monkeypatch.setattr(docs, "CJK_FONT_CANDIDATES", ())
    font = docs.find_cjk_font()
    assert font is not None and font.name == "wqy-microhei.ttc"
    d = doc()
    assert any(ln.description_zh for ln in d.lines)
    data = docs.invoice_pdf(d)
    assert b"WenQuanYi" in data and len(data) < 200_000
    monkeypatch.setattr(docs, "shipped_cjk_font", lambda: None)
    assert docs.find_cjk_font() is None
    english = docs.invoice_pdf(d)
    assert english[:5] == b"%PDF-" and b"WenQuanYi" not in english


def test_invoice_xlsx_bilingual_and_exact():
    wb = load_workbook(io.BytesIO(docs.invoice_xlsx(doc())))
    ws = wb.active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "COMMERCIAL INVOICE 商业发票" in values
    assert "男式针织T恤" in values and "610910" in values
    assert "35.00" in values and "IOSS IM2760000001, USCC 91330100MA2XXXXXXX" in values


def test_packing_xlsx():
    wb = load_workbook(io.BytesIO(docs.packing_xlsx(doc())))
    values = [c for row in wb.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "XB/DE/1-1" in values and "0.450" in values and "0.0030" in values  # 30x20x5 cm = 0.003 CBM


def test_bad_input_names_field():
    data = docs.sample_input()
    data["lines"][0]["quantity"] = 1.5
    with pytest.raises(ValidationError) as e:
        docs.parse_docs(data)
    assert e.value.field == "lines[0].quantity"

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from xborder.errors import ImportRejected
from xborder.logistics import labels, tracking
from xborder.logistics.batch import COLUMNS, rate_rows, validate_rows
from xborder.logistics.pricing import RateRequest, shop

ON = date(2026, 11, 24)


def rows(*data):
    return [(i + 2, dict(zip(COLUMNS, r, strict=True))) for i, r in enumerate(data)]


def test_batch_cheapest_per_parcel_equals_shop(sample_cards, issue_card):
    cards = [c for c in sample_cards if c.currency == "CNY"] + [issue_card]
    data = rows(
        ("p1", "US", "0.42", "20", "15", "3"),
        ("p2", "GB", "1.2", "30", "20", "10"),
        ("p3", "JP", "0.5", "10", "10", "10"),
        ("p4", "US", "0.4215", "20", "15", "3"),  # 4 decimals: Decimal engine
        ("p5", "DE", "2.5", "20.25", "15", "3"),  # 2-decimal side: Decimal engine
        ("p6", "AQ", "0.5", "10", "10", "10"),  # no card covers it
    )
    out = rate_rows(validate_rows(data, COLUMNS), cards, ON)
    assert [r["id"] for r in out] == ["p1", "p2", "p3", "p4", "p5", "p6"]
    assert out[5] == {"id": "p6", "code": "", "price": "", "currency": ""}
    for (_line, r), o in zip(data[:5], out[:5], strict=True):
        res = shop(cards, RateRequest.build(r["destination"], r["weight_kg"], (r["length_cm"], r["width_cm"], r["height_cm"]), ON))
        assert (o["code"], o["price"]) == (res.options[0].code, format(res.options[0].price, "f")), r
    assert out[0] == {"id": "p1", "code": "ex-packet", "price": "45.43", "currency": "CNY"}


def test_batch_mixed_currencies_need_fx(sample_cards):
    data = validate_rows(rows(("p1", "US", "0.42", "20", "15", "3")), COLUMNS)
    with pytest.raises(ValueError, match="FX rates"):
        rate_rows(data, sample_cards, ON)
    out = rate_rows(data, sample_cards, ON, rank_factor=lambda cur: Decimal("7.1") if cur == "USD" else Decimal(1))
    assert out[0]["code"] == "wanb-us"


def test_batch_validation_reports_every_bad_cell():
    with pytest.raises(ImportRejected) as ei:
        validate_rows(rows(("p1", "XX", "0", "20", "15", "3"), ("p1", "US", "abc", "20", "", "3")), COLUMNS)
    errs = [(e["line"], e["column"]) for e in ei.value.errors]
    assert errs == [(2, "destination"), (2, "weight_kg"), (3, "id"), (3, "weight_kg"), (3, "width_cm")]
    with pytest.raises(ImportRejected, match="missing column"):
        validate_rows([], ("id", "destination"))


def test_label_pdf_has_a_code128_barcode():
    tn = labels.s10_tracking(12345678)
    assert labels.s10_valid(tn)
    modules = labels.code128_modules(tn)
    assert modules.startswith("11010010000")  # Code 128 start character B
    pdf = labels.label_pdf(
        labels.LabelData(tn, "China Post", "ePacket", "ORD-1", ("Seller Co", "Shenzhen CN"), ("Jane Doe", "5th Ave", "New York NY 10001"), "US", "0.42")
    )
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000
    assert b"/FontFile2" not in pdf  # Latin-1 only: the core Helvetica, nothing embedded


def test_label_prints_addresses_beyond_latin_1(monkeypatch):
    """Japanese, Korean, Polish or Cyrillic recipients print with a Unicode font (embedded subset),
    never as question marks; several labels make one PDF, a page each."""
    import re

    tn = labels.s10_tracking(12345679)
    jp = labels.LabelData(tn, "China Post", "ePacket (e邮宝)", "ORD-2", ("Seller Co",), ("山田 太郎", "東京都渋谷区神南1-2-3"), "JP", "0.3")
    pl = labels.LabelData(tn, "China Post", "ePacket", "ORD-3", ("Seller Co",), ("Łukasz Wróbel", "ul. Żółkiewskiego 5, Łódź"), "PL", "0.3")
    pdf = labels.labels_pdf([jp, pl])
    assert b"/FontFile2" in pdf and len(re.findall(rb"/Type /Page\b(?!s)", pdf)) == 2
    monkeypatch.setattr(labels, "_unicode_font", lambda: None)  # no font at all: Latin-1 with replacements, still a label
    assert labels.label_pdf(jp).startswith(b"%PDF")


def test_tracking_rows_normalise_and_report_errors():
    events, errors = tracking.parse_rows(
        [
            (2, {"tracking_number": "xb123", "status": "Delivered", "event_time": "2026-11-20 10:00"}),
            (3, {"tracking_number": "XB124", "status": "运输中", "event_time": "2026-11-19T08:00:00+08:00"}),
            (4, {"tracking_number": "", "status": "what", "event_time": "yesterday"}),
        ]
    )
    assert [(e.tracking_number, e.status) for e in events] == [("XB123", "delivered"), ("XB124", "in_transit")]
    assert [(e["line"], e["column"]) for e in errors] == [(4, "tracking_number"), (4, "status"), (4, "event_time")]

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from xborder.customs.tariffs import TariffBook, parse_ukgt_csv, parse_us_hts_csv, parse_us_hts_json
from xborder.customs.vat import VatBook, parse_vat_current, parse_vat_history

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"

US_CSV = (
    "\ufeffHTS Number,Indent,Description,Unit of Quantity,General Rate of Duty,Special Rate of Duty,"
    "Column 2 Rate of Duty,Quota Quantity,Additional Duties\n"
    '"6109","0","T-shirts:","","","","","",""\n'
    '"6109.10.00","1","Of cotton","","16.5%","Free (AU)","90%","",""\n'
    '"6109.10.00.04","3","All white","[""doz."",""kg""]","","","","",""\n'
    '"","1","Of other textile materials:","","","","","",""\n'
    '"6109.90.10","2","Of man-made fibers","","32%","","90%","",""\n'
    '"6109.90.80","2","Other","","5.6%","","35%","",""\n'
)


def test_us_csv_inline_and_lookup():
    lines = parse_us_hts_csv(US_CSV)
    assert [ln.code for ln in lines] == ["6109", "61091000", "6109100004", "61099010", "61099080"]
    book = TariffBook("US", "test", "USITC", lines)
    m = book.lookup("6109100004")  # statistical suffix inherits the 8-digit rate
    assert m.matched_code == "61091000" and m.rate.ad_valorem == D("0.165")
    amb = book.lookup("610990")
    assert amb.ambiguous and {c for c, _ in amb.candidates} == {"61099010", "61099080"}
    assert book.lookup("6110") is None


def test_us_csv_rejects_other_files():
    with pytest.raises(ValueError, match="missing column"):
        parse_us_hts_csv("a,b\n1,2\n")


def test_us_json_inline():
    text = '[{"htsno": "6109.10.00", "indent": "1", "description": "Of cotton", "units": [], "general": "16.5%"},' \
           ' {"htsno": "", "indent": "0", "description": "header", "general": ""}]'
    lines = parse_us_hts_json(text)
    assert len(lines) == 1 and lines[0].code == "61091000" and lines[0].rate_text == "16.5%"


def test_ukgt_pads_lost_leading_zero():
    text = (
        "commodity,description,cet_duty_rate,ukgt_duty_rate,change,trade_remedy_applies,"
        "cet_applies_until_trade_remedy_transition_reviews_concluded,suspension_applies,atq_applies\n"
        "1012990,Live horses,11.5%,10.0%,Simplified,False,False,False,False\n"
        "61091000,T-shirts of cotton,12.0%,12.0%,No change,False,False,False,False\n"
    )
    uk, eu = parse_ukgt_csv(text)
    assert uk[0].code == "01012990" and uk[0].rate_text == "10.0%" and eu[0].rate_text == "11.5%"
    assert TariffBook("EU", "2020", "x", eu).lookup("610910").rate.ad_valorem == D("0.12")


def test_vat_history_and_current_inline():
    hist = parse_vat_history(
        "country_code,country,effective_from,standard_rate_pct\n"
        "EL,Greece,2016-01-01,23\nEL,Greece,2016-06-01,24\nDE,Germany,2016-01-01,19\n"
        "DE,Germany,2020-07-01,16\nDE,Germany,2021-01-01,19\n"
    )
    book = VatBook(hist)
    assert book.standard("GR", date(2016, 5, 31)).rate == D("0.23")
    assert book.standard("GR", date(2020, 1, 1)).rate == D("0.24")
    assert book.standard("DE", date(2020, 8, 1)).rate == D("0.16")
    assert book.standard("DE", date(2020, 6, 30)).valid_to == date(2020, 6, 30)
    version, cur = parse_vat_current('{"version": "2026-09-29", "rates": {"DE": {"standard": 19.0, "reduced": [7.0]}}}')
    assert version == "2026-09-29"
    assert [(r.kind, r.rate) for r in cur] == [("standard", D("0.19")), ("reduced", D("0.07"))]


@pytest.fixture
def shared_files():
    if not (SHARED / "tariffs").is_dir():
        pytest.skip(f"shared data not found at {SHARED}")
    return SHARED


def test_real_us_hts_file(shared_files):
    lines = parse_us_hts_csv((shared_files / "tariffs/us_hts_2025_basic_edition.csv").read_text("utf-8"))
    assert len(lines) == 29842  # SOURCES.md: 29,842 rows carry a code
    kinds = {}
    for ln in lines:
        if ln.rate_text and ln.code[:2] not in ("98", "99"):
            kinds[ln.rate.kind] = kinds.get(ln.rate.kind, 0) + 1
    assert kinds["ad_valorem"] == 5862 and kinds["free"] == 4315  # research notes (b)
    assert kinds["specific"] + kinds["compound"] + kinds["complex"] == 774 + 399 + 63  # all the rest, none lost
    book = TariffBook("US", "2025", "USITC", lines)
    assert book.lookup("610910").rate.ad_valorem == D("0.165")
    # two lines of 7013.37 print the same words; the codeless headers above them tell them apart
    by_code = {ln.code: ln for ln in lines}
    assert by_code["7013374000"].description == "Other: Valued over $3 each: Cut or engraved: Valued over $5 each"
    assert by_code["70133760"].description == "Other: Valued over $3 each: Other: Valued over $5 each"


def test_codeless_headers_go_before_the_lines_under_them():
    lines = {ln.code: ln.description for ln in parse_us_hts_csv(US_CSV)}
    assert lines["61099010"] == "Of other textile materials: Of man-made fibers"
    assert lines["61091000"] == "Of cotton"  # a numbered parent is a line of its own, not repeated
    assert lines["6109100004"] == "All white"
    text = ('[{"htsno": "7013", "indent": "0", "description": "Glassware:", "general": ""},'
            ' {"htsno": "", "indent": "1", "description": "Cut or engraved:", "general": ""},'
            ' {"htsno": "7013.10.00", "indent": "2", "description": "Valued over $5 each", "general": "5%"},'
            ' {"htsno": "7013.90.00", "indent": "1", "description": "Other", "general": "7%"}]')
    assert [ln.description for ln in parse_us_hts_json(text)] == [
        "Glassware:", "Cut or engraved: Valued over $5 each", "Other"]


def test_real_ukgt_file(shared_files):
    uk, eu = parse_ukgt_csv((shared_files / "tariffs/uk_global_tariff_2021_vs_eu_cet.csv").read_text("utf-8"))
    assert len(uk) == len(eu) == 11830
    assert all(len(ln.code) in (8, 10) for ln in uk)
    assert TariffBook("GB", "2021", "x", uk).lookup("610910").rate.ad_valorem == D("0.12")


def test_real_vat_files(shared_files):
    hist = parse_vat_history((shared_files / "vat/eu_standard_vat_history_duty27.csv").read_text("utf-8"))
    assert len(hist) == 40 and len({r.country for r in hist}) == 27
    version, cur = parse_vat_current((shared_files / "vat/eu_vat_rates_data_2026-09-29.json").read_text("utf-8"))
    assert version == "2026-09-29"
    book = VatBook(hist + cur)
    assert book.standard("RO", date(2025, 8, 1)).rate == D("0.21")
    assert book.standard("EE", date(2026, 11, 24)).rate == D("0.24")
    assert book.standard("GB", date(2026, 11, 24)).rate == D("0.20")


def test_us_version_from_file_name():
    from xborder.customs.sync import _us_version

    assert _us_version("hts_2025_revision_29_json.json") == ("2025 revision 29", date(2025, 1, 1))
    assert _us_version("us_hts_2025_basic_edition.csv") == ("2025 basic edition", date(2025, 1, 1))
    assert _us_version("hts_2026.csv") == ("2026", date(2026, 1, 1))

"""Nomenclature parsing and search (pure)."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from xborder.errors import ValidationError
from xborder.hs.model import (
    check_hs6,
    edition_for,
    normalize_code,
    parse_nomenclature_csv,
    parse_sections_csv,
    search,
    words,
)

MINI = Path(__file__).parents[2] / "integration" / "hs" / "minidata"
HEADER = "section,hscode,description,parent,level\n"


def test_artefacts_blank_rows_and_bom_are_dropped():
    parsed = parse_nomenclature_csv((MINI / "hs" / "harmonized-system-2017.csv").read_text("utf-8"))
    assert parsed.errors == []
    assert [e.code for e in parsed.entries] == ["61", "6109", "610910", "610990"]
    assert parsed.dropped == 2  # the blank row and TOTAL
    parsed = parse_nomenclature_csv((MINI / "hs" / "harmonized-system-2022.csv").read_text("utf-8"))
    assert not {"99", "9999", "999999", "TOTAL"} & {e.code for e in parsed.entries}
    assert parsed.dropped == 4


def test_every_bad_row_is_reported_with_line_and_column():
    text = HEADER + ("XI,61,Apparel,TOTAL,2\n"
                     "XI,6109,T-shirts,62,4\n"          # wrong parent
                     "XI,61091,T-shirts cotton,6109,6\n"  # 5 digits
                     "XI,610910,,6109,6\n"              # empty description
                     "XI,6110,Jerseys,61,7\n"           # bad level
                     "XI,61,Apparel again,TOTAL,2\n")   # duplicate
    parsed = parse_nomenclature_csv(text)
    got = [(e["line"], e["column"]) for e in parsed.errors]
    assert got == [(3, "parent"), (4, "hscode"), (5, "description"), (6, "level"), (7, "hscode")]
    assert "must be 61" in parsed.errors[0]["message"]


def test_missing_columns_are_reported():
    parsed = parse_nomenclature_csv("code,text\n01,Animals\n")
    assert parsed.errors and parsed.errors[0]["line"] == 1 and "hscode" in parsed.errors[0]["column"]


def test_sections():
    assert parse_sections_csv((MINI / "hs" / "sections.csv").read_text("utf-8"))["XI"] == "Textiles and textile articles"


def test_code_normalisation_and_check():
    assert normalize_code(" 6109.10 ") == "610910"
    assert normalize_code("6109 10 00 10") == "6109100010"
    for bad in ("", "61091", "61a910", "1234567"):
        with pytest.raises(ValidationError) as err:
            normalize_code(bad)
        assert err.value.field == "code"
    assert check_hs6("6109100010", {"610910"}) == "610910"
    with pytest.raises(ValidationError, match="not an HS subheading"):
        check_hs6("610920", {"610910"})
    with pytest.raises(ValidationError, match="at least 6 digits"):
        check_hs6("6109", {"610910"})


def test_edition_for_dates():
    assert edition_for(date(2017, 1, 1)) == "2017"
    assert edition_for(date(2021, 12, 31)) == "2017"
    assert edition_for(date(2022, 1, 1)) == "2022"


@pytest.fixture(scope="module")
def entries():
    return parse_nomenclature_csv((MINI / "hs" / "harmonized-system-2022.csv").read_text("utf-8")).entries


def test_code_prefix_search_lists_the_code_then_children(entries):
    assert [h.code for h in search(entries, "6109")] == ["6109", "610910", "610990"]
    assert [h.code for h in search(entries, "6109.10")] == ["610910"]
    assert search(entries, "7777") == []


def test_word_search_needs_every_word_and_ranks_subheadings_first(entries):
    hits = search(entries, "cotton t-shirts")
    assert [h.code for h in hits] == ["610910", "610990"]  # 610990 says "(other than cotton)"
    assert [h.code for h in search(entries, "handbags leather")] == ["420221", "42"]  # chapter: "handbags", "leather"
    assert search(entries, "titanium bicycle") == []
    # plural folding: "jersey" finds "Jerseys"
    assert {h.code for h in search(entries, "jersey wool")} == {"611011"}
    assert search(entries, "   ") == []


def test_compound_words_match_whole():
    assert words("T-Shirts") == ["t-shirt", "t", "shirt"]
    assert "box" in words("boxes") and "battery" in words("batteries")


@pytest.mark.parametrize("module", ["model", "training", "classifier"])
def test_pure_modules_do_no_io(module):
    src = (Path(__file__).parents[3] / "src" / "xborder" / "hs" / f"{module}.py").read_text("utf-8")
    imported = set()
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"sqlalchemy", "fastapi", "os", "pathlib", "urllib", "httpx", "requests", "pickle"}
    assert "open(" not in src


def test_us_hts_texts_follow_the_indents():
    from xborder.errors import ImportRejected
    from xborder.hs import files

    csv_text = "\ufeff" + "\n".join([
        "HTS Number,Indent,Description,Unit of Quantity,General Rate of Duty",
        '"6109","0","T-shirts, singlets, tank tops and similar garments, knitted or crocheted:","",""',
        '"6109.10.00","1","Of cotton","","16.5%"',
        '"","2","Men\'s or boys\':","",""',
        '"6109.10.00.12","3","Men\'s (338)","[""doz.""]",""',
        '"","2","Women\'s or girls\':","",""',
        '"6109.10.00.40","3","<i>Women\'s</i> (339)","",""',
        '"6109.90","1","Of other textile materials:","",""',
        '"6109.90.10","2","Of man-made fibers","","32%"',
        '"6109.90.10.07","3","Men\'s (638)","",""',
        '"9999.99.99","0","Unknown subheading","",""',
    ])
    got = files.us_hts_texts(csv_text, {"610910", "610990"})
    head = "T-shirts, singlets, tank tops and similar garments, knitted or crocheted"
    assert got == [
        (f"Of cotton ; {head}", "610910"),
        (f"Men's ; Men's or boys' ; Of cotton ; {head}", "610910"),
        (f"Women's ; Women's or girls' ; Of cotton ; {head}", "610910"),
        (f"Of other textile materials ; {head}", "610990"),
        (f"Of man-made fibers ; Of other textile materials ; {head}", "610990"),
        (f"Men's ; Of man-made fibers ; Of other textile materials ; {head}", "610990"),
    ]
    with pytest.raises(ImportRejected, match="missing column"):
        files.us_hts_texts("code,text\n1,a\n", {"610910"})

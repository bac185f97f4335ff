"""Cleaning of HMRC's labelled parcel descriptions (pure)."""

from __future__ import annotations

from pathlib import Path

from xborder.hs import training

MINI = Path(__file__).parents[2] / "integration" / "hs" / "minidata" / "hs_labeled" / "uk_fpo_search"


def _read(name: str) -> str:
    return (MINI / name).read_bytes().decode("utf-8-sig")


def test_search_references_take_the_first_six_digits():
    ex, skipped = training.parse_search_references(_read("search_references.json"))
    assert skipped == []
    assert (ex[0].text, ex[0].hs6, ex[0].code) == ("t-shirts, cotton", "610910", "6109100010")
    assert ex[0].line == 1 and ex[0].source == "search_references"


def test_extra_references_report_malformed_codes():
    ex, skipped = training.parse_extra_references(_read("extra_references.csv"))
    assert len(ex) == 9
    assert skipped == [{"line": 10, "column": "Commodity Code", "message": "not a commodity code: 'dark brun'"}]


def test_brands_use_the_context_column():
    ex, _ = training.parse_brands(_read("brands.csv"))
    assert ex[0].text == "Airpods Pro wireless earphones" and ex[0].hs6 == "851830"
    assert ex[1].hs6 == "950300"  # a 6-digit code is fine


def test_vague_terms_crlf_quoting_and_mojibake():
    terms = training.parse_vague_terms(_read("vague_terms.csv"))
    assert terms[:4] == ["gift", "clothes", "sample", "10.00, girls"]
    assert "女装" in terms


def test_wrong_pairs_restore_leading_zeros():
    wrong = training.parse_wrong_pairs("GDSDESC,Chapter_ShouldBe,CMDTYCODE_Seen\nantibiotics,29,3055390\n")
    assert wrong == [training.WrongPair("antibiotics", "29", "03055390")]


def _corpus(known=None):
    groups = [training.parse_search_references(_read("search_references.json"))[0],
              training.parse_extra_references(_read("extra_references.csv"))[0],
              training.parse_brands(_read("brands.csv"))[0]]
    known = known or {e.hs6 for g in groups for e in g} - {"940360"}
    return training.build_corpus(groups, training.parse_vague_terms(_read("vague_terms.csv")),
                                 training.parse_wrong_pairs(_read("incorrect_code_desc_pairs.csv")), known)


def test_known_wrong_pairs_are_not_learned():
    c = _corpus()
    texts = {e.text for e in c.examples}
    assert "ceramic coffee mug gift" not in texts  # listed with exactly this code
    assert [ex.text for ex, _ in c.dropped_wrong] == ["ceramic coffee mug gift"]
    assert "bluetooth earbuds" in texts  # its chapter (85) is the right one and the code differs


def test_wrong_pair_by_chapter():
    ex = training.Example("books", "391810", "extra_references", 2, "39181090")
    assert training.is_wrong(ex, [training.WrongPair("books", "49", "39181090")])
    other = training.Example("books", "490199", "extra_references", 2, "49019900")
    assert training.is_wrong(other, [training.WrongPair("books", "49", "39181090")]) is None


def test_codes_outside_the_nomenclature_and_duplicates_are_dropped():
    c = _corpus()
    assert [e.text for e in c.dropped_unknown_code] == ["table"]
    dup = training.build_corpus([[training.Example("Mug", "691200", "a", 1, "69120000")],
                                 [training.Example("mug ", "392410", "b", 1, "39241000")]], [], [], {"691200", "392410"})
    assert [(e.text, e.hs6) for e in dup.examples] == [("Mug", "691200")] and dup.dropped_duplicate == 1


def test_a_labelled_text_is_not_also_vague():
    groups = [[training.Example("gift", "950300", "x", 1, "95030000")]]
    c = training.build_corpus(groups, ["gift", "parts"], [], {"950300"})
    assert c.vague == ["parts"]

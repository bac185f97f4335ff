"""The real public files in ../shared/data parse as documented in their SOURCES.md."""

from __future__ import annotations

import pytest

from xborder.hs import files


@pytest.fixture(scope="module")
def nom2022(shared_data):
    return files.load_nomenclature(shared_data, "2022")


def test_hs2022_counts(nom2022):
    levels = {lvl: sum(1 for e in nom2022.entries if e.level == lvl) for lvl in (2, 4, 6)}
    assert levels == {2: 96, 4: 1228, 6: 5612}  # SOURCES.md, less Comtrade's 99/9999/999999
    assert nom2022.dropped == 4 and len(nom2022.sections) == 21


def test_hs2017_counts(shared_data):
    nom = files.load_nomenclature(shared_data, "2017")
    assert sum(1 for e in nom.entries if e.level == 6) == 5387
    assert nom.dropped == 5  # TOTAL, 99, 9999, 999999 and the blank row


def test_labelled_data_cleaning(shared_data, nom2022):
    known = {e.code for e in nom2022.entries if e.level == 6}
    lab = files.load_labelled(shared_data, known)
    c = lab.corpus
    assert [(r["file"], r["line"]) for r in lab.skipped] == [
        ("extra_references.csv", 1125), ("extra_references.csv", 1690), ("extra_references.csv", 1977)]
    assert 6000 < len(c.examples) < 6500 and 3500 < len(c.vague) < 4451
    learned = {(e.text.lower(), e.hs6) for e in c.examples}
    assert ("table", "940360") in learned and ("table", "392410") not in learned
    assert not any(e.text.lower() == "candles" and e.hs6 == "152110" for e in c.examples)
    texts = [e.text.lower() for e in c.examples]
    assert len(texts) == len(set(texts))  # one code per description: no leak across a split


def test_national_texts_restore_leading_zeros(shared_data, nom2022):
    known = {e.code for e in nom2022.entries if e.level == 6}
    ref, lines = files.load_national_texts(shared_data, known)
    assert ref is not None and len(lines) > 10000
    assert ("Pure-bred breeding horses", "010121") in lines


def test_us_hts_lines_carry_their_parent_path(shared_data, nom2022):
    known = {e.code for e in nom2022.entries if e.level == 6}
    ref, lines = files.load_us_texts(shared_data, known)
    assert ref is not None and 20000 < len(lines) < 30000
    assert {c for _, c in lines} <= known
    assert ("Men's ; Other T-shirts ; Men's or boys' ; Of cotton ; "
            "T-shirts, singlets, tank tops and similar garments, knitted or crocheted", "610910") in lines
    # a heading without a row of its own starts a new path (0205.00.00 is not under 0204)
    assert ("Meat of horses, asses, mules or hinnies, fresh, chilled or frozen", "020500") in lines


def test_split_is_deterministic_and_disjoint(shared_data, nom2022):
    known = {e.code for e in nom2022.entries if e.level == 6}
    ex = files.load_labelled(shared_data, known).corpus.examples
    a_train, a_test = files.split_examples(ex)
    b_train, b_test = files.split_examples(list(reversed(ex)))
    assert [e.text for e in a_test] == [e.text for e in b_test]
    assert not {e.text.lower() for e in a_test} & {e.text.lower() for e in a_train}
    assert len(a_test) == len(ex) // 5

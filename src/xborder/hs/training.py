"""Labelled parcel descriptions for the HS classifier: parsing and cleaning (pure: no I/O).

Source: HMRC Online Trade Tariff, GitHub ``trade-tariff/trade-tariff-lambdas-fpo-search``,
commit ``a7bda30`` (2026-07-24), directory ``reference_data/`` (MIT, Crown Copyright), copied
to ``../shared/data/hs_labeled/uk_fpo_search`` (see its SOURCES.md, read 2026-11-24):

* ``search_references.json``: ``{term: 10-digit UK commodity code}``;
* ``extra_references.csv``: ``Goods Description, Commodity Code`` (8 or 10 digits);
* ``brands.csv``: ``CMDTYCODE, GDSDESC, ...`` (6, 8 or 10 digits);
* ``vague_terms.csv``: one description per line, no header: too vague to classify;
* ``incorrect_code_desc_pairs.csv``: ``GDSDESC, Chapter_ShouldBe, CMDTYCODE_Seen``: wrong pairs.

UK commodity codes are EU-CN derived; their first 6 digits are the HS subheading, which is
what we learn. Rules applied here:

1. Codes are kept as text; rows whose code is not 6–10 digits are skipped and reported.
2. A description seen twice keeps its first code (files are read in the order above).
3. Known wrong pairs are never learned: an example is dropped when its description equals a
   listed one (case and spaces folded) and its code starts with the wrongly seen code (leading
   zeros restored), or its chapter differs from ``Chapter_ShouldBe`` when that is given.
4. Vague terms are repaired when they are mojibake (UTF-8 read as Latin-1) and de-duplicated.

>>> ex, skipped = parse_extra_references("Goods Description,Commodity Code\\n"
...     "100 ariel pods,34025090\\nloreal faux brw tnt,dark brun\\n")
>>> [(e.text, e.hs6, e.line) for e in ex], skipped[0]["line"], skipped[0]["column"]
([('100 ariel pods', '340250', 2)], 3, 'Commodity Code')
>>> repair_mojibake("å¥³è£\x85")
'女装'
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Case and whitespace folded form used as the natural key of a description.

    >>> fold("  Cotton   T-Shirt ")
    'cotton t-shirt'
    """
    return _SPACE.sub(" ", (text or "").strip().lower())


@dataclass(frozen=True)
class Example:
    text: str
    hs6: str
    source: str  # search_references | extra_references | brands
    line: int  # line in the source file (JSON: entry number, 1-based)
    code: str  # the code as given (8/10-digit UK code)


@dataclass(frozen=True)
class WrongPair:
    text: str  # folded
    chapter_should_be: str | None
    code_seen: str


def _code(raw: str) -> str | None:
    code = (raw or "").strip().replace(".", "").replace(" ", "")
    if code.isdigit() and 6 <= len(code) <= 10:
        return code
    return None


def parse_search_references(text: str) -> tuple[list[Example], list[dict[str, object]]]:
    data = json.loads(text.lstrip("\ufeff"))
    if not isinstance(data, dict):
        return [], [{"line": 1, "column": "", "message": "expected a JSON object term -> code"}]
    out: list[Example] = []
    skipped: list[dict[str, object]] = []
    for n, (term, raw) in enumerate(data.items(), start=1):
        code = _code(str(raw))
        if code is None or not str(term).strip():
            skipped.append({"line": n, "column": "code", "message": f"not a commodity code: {raw!r}"})
            continue
        out.append(Example(" ".join(str(term).split()), code[:6], "search_references", n, code))
    return out, skipped


def parse_extra_references(text: str) -> tuple[list[Example], list[dict[str, object]]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    out: list[Example] = []
    skipped: list[dict[str, object]] = []
    header = next(reader, None)
    if header is None:
        return out, skipped
    for row in reader:
        line = reader.line_num
        if len(row) < 2:
            skipped.append({"line": line, "column": "Commodity Code", "message": "missing code"})
            continue
        desc, raw = row[0], row[1]
        code = _code(raw)
        if code is None:
            skipped.append({"line": line, "column": "Commodity Code", "message": f"not a commodity code: {raw!r}"})
            continue
        if not desc.strip():
            skipped.append({"line": line, "column": "Goods Description", "message": "empty description"})
            continue
        out.append(Example(" ".join(desc.split()), code[:6], "extra_references", line, code))
    return out, skipped


def parse_brands(text: str) -> tuple[list[Example], list[dict[str, object]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    out: list[Example] = []
    skipped: list[dict[str, object]] = []
    for row in reader:
        line = reader.line_num
        code = _code(row.get("CMDTYCODE") or "")
        desc = (row.get("GDSDESC") or "").strip()
        if code is None:
            skipped.append({"line": line, "column": "CMDTYCODE", "message": f"not a commodity code: {row.get('CMDTYCODE')!r}"})
            continue
        if not desc:
            skipped.append({"line": line, "column": "GDSDESC", "message": "empty description"})
            continue
        context = (row.get("Description for context / augmenting") or "").strip()
        full = f"{desc} {context}" if context and context.lower() not in desc.lower() else desc
        out.append(Example(" ".join(full.split()), code[:6], "brands", line, code))
    return out, skipped


def repair_mojibake(text: str) -> str:
    """Undo UTF-8 bytes decoded as Latin-1 when that round-trip succeeds; else return as is."""
    if not any(0x80 <= ord(ch) <= 0xFF for ch in text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def parse_vague_terms(text: str) -> list[str]:
    """One term per line (CRLF or LF), no header; CSV quoting allowed; mojibake repaired."""
    out: list[str] = []
    seen: set[str] = set()
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        if not row:
            continue
        term = " ".join(repair_mojibake(",".join(row)).split())
        key = fold(term)
        if key and key not in seen:
            seen.add(key)
            out.append(term)
    return out


def parse_wrong_pairs(text: str) -> list[WrongPair]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    out = []
    for row in reader:
        desc = fold(row.get("GDSDESC") or "")
        seen = (row.get("CMDTYCODE_Seen") or "").strip()
        if not desc or not seen.isdigit():
            continue
        # leading zeros were lost in this file: UK codes have 8 or 10 digits
        seen = seen.zfill(8) if len(seen) <= 8 else seen.zfill(10)
        chapter = (row.get("Chapter_ShouldBe") or "").strip()
        out.append(WrongPair(desc, chapter.zfill(2) if chapter.isdigit() else None, seen))
    return out


def is_wrong(example: Example, wrong: Iterable[WrongPair]) -> WrongPair | None:
    key = fold(example.text)
    for w in wrong:
        if key != w.text:
            continue
        if example.code.startswith(w.code_seen) or w.code_seen.startswith(example.code):
            return w
        if w.chapter_should_be and example.hs6[:2] != w.chapter_should_be:
            return w
    return None


@dataclass
class Corpus:
    examples: list[Example]
    vague: list[str]
    dropped_wrong: list[tuple[Example, WrongPair]]
    dropped_duplicate: int
    dropped_unknown_code: list[Example]


def build_corpus(groups: Iterable[list[Example]], vague: list[str], wrong: list[WrongPair],
                 known_hs6: set[str] | frozenset[str]) -> Corpus:
    """Merge the example files: first code wins per description, wrong pairs and codes that are
    not subheadings of the nomenclature (e.g. an expired code) are dropped."""
    examples: list[Example] = []
    seen: set[str] = set()
    dup = 0
    dropped_wrong: list[tuple[Example, WrongPair]] = []
    unknown: list[Example] = []
    for group in groups:
        for ex in group:
            w = is_wrong(ex, wrong)
            if w is not None:
                dropped_wrong.append((ex, w))
                continue
            if ex.hs6 not in known_hs6:
                unknown.append(ex)
                continue
            key = fold(ex.text)
            if key in seen:
                dup += 1
                continue
            seen.add(key)
            examples.append(ex)
    labelled = {fold(e.text) for e in examples}
    vague_clean = [v for v in vague if fold(v) not in labelled]
    return Corpus(examples, vague_clean, dropped_wrong, dup, unknown)

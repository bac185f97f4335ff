"""HS nomenclature: codes, parsing of the Comtrade-derived CSV and text search (pure: no I/O).

The Harmonized System (WCO) classifies goods in 21 sections, 96 chapters (2 digits), about
1,228 headings (4 digits) and about 5,600 subheadings (6 digits). Each edition (HS 2017,
HS 2022; HS 2028 from 2028-01-01) is a separate nomenclature, so every stored code carries
its ``version``.

Source of the texts: GitHub ``datasets/harmonized-system`` (ODC-PDDL-1.0), derived from the UN
Comtrade classification API; HS 2022 at commit ``905e5a0`` (data fix 2024-01-02), HS 2017 at
commit ``a72bef2`` (2020-02-17). Columns ``section, hscode, description, parent, level``.
Comtrade adds artefact rows (``TOTAL``, ``99``, ``9999``, ``999999``) that are not HS codes;
they are dropped here (see ``../shared/data/hs/SOURCES.md``, read 2026-11-24).

>>> rows = parse_nomenclature_csv(
...     "section,hscode,description,parent,level\\n"
...     "XI,61,Apparel and clothing accessories; knitted or crocheted,TOTAL,2\\n"
...     "XI,6109,\\"T-shirts, singlets and other vests; knitted or crocheted\\",61,4\\n"
...     "XI,610910,\\"T-shirts, singlets and other vests; of cotton, knitted or crocheted\\",6109,6\\n"
...     "TOTAL,999999,Commodities not specified,9999,6\\n")
>>> [(r.code, r.level, r.parent) for r in rows.entries]
[('61', 2, None), ('6109', 4, '61'), ('610910', 6, '6109')]
>>> rows.dropped
1
>>> [h.code for h in search(rows.entries, "cotton t-shirt")]
['610910']
>>> [h.code for h in search(rows.entries, "t-shirts")]
['610910', '6109']
>>> [h.code for h in search(rows.entries, "6109")]
['6109', '610910']
>>> normalize_code("6109.10")
'610910'
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from xborder.errors import ValidationError

ARTEFACT_CODES = frozenset({"TOTAL", "99", "9999", "999999"})
LEVELS = (2, 4, 6)
SUPPORTED_VERSIONS = ("2017", "2022")

_CODE_SEP = re.compile(r"[\s.\-]")
_WORD = re.compile(r"[a-z0-9]+")
_CHUNK = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# Entry into force of each edition (WCO). Used to pick the edition for a date.
EDITION_DATES: dict[str, date] = {
    "2017": date(2017, 1, 1),
    "2022": date(2022, 1, 1),
}


def edition_for(on: date) -> str:
    """The HS edition in force on a date (of the editions this module knows).

    >>> edition_for(date(2021, 6, 1)), edition_for(date(2026, 11, 24))
    ('2017', '2022')
    """
    best = min(EDITION_DATES)
    for version, start in sorted(EDITION_DATES.items(), key=lambda kv: kv[1]):
        if start <= on:
            best = version
    return best


def normalize_code(raw: str, *, field_name: str = "code") -> str:
    """Digits only; 2, 4, 6 (HS) or 8/10 (national) digits. Dots and spaces are dropped.

    >>> normalize_code("0101 21")
    '010121'
    >>> normalize_code("61091")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ValidationError: code: an HS code has 2, 4, 6, 8 or 10 digits, got '61091'
    """
    code = _CODE_SEP.sub("", (raw or "").strip())
    if not code.isdigit() or len(code) not in (2, 4, 6, 8, 10):
        raise ValidationError(f"{field_name}: an HS code has 2, 4, 6, 8 or 10 digits, got {raw!r}",
                              field=field_name)
    return code


def is_code_query(text: str) -> bool:
    """True when the text is a (partial) code: digits, dots and spaces only.

    >>> is_code_query("6109.10"), is_code_query("t-shirt")
    (True, False)
    """
    stripped = _CODE_SEP.sub("", text.strip())
    return bool(stripped) and stripped.isdigit()


@dataclass(frozen=True)
class HsEntry:
    """One nomenclature line of one edition."""

    code: str
    level: int
    description: str
    parent: str | None
    section: str

    @property
    def chapter(self) -> str:
        return self.code[:2]

    @property
    def heading(self) -> str | None:
        return self.code[:4] if self.level >= 4 else None


@dataclass
class ParsedNomenclature:
    entries: list[HsEntry] = field(default_factory=list)
    dropped: int = 0  # artefact and blank rows
    errors: list[dict[str, object]] = field(default_factory=list)  # {line, column, message}


def parse_nomenclature_csv(text: str) -> ParsedNomenclature:
    """Parse the ``section, hscode, description, parent, level`` CSV (BOM already removed or not).

    Every row is checked; bad rows are collected in ``errors`` with line and column. The caller
    refuses the whole file when ``errors`` is not empty.
    """
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    out = ParsedNomenclature()
    required = {"section", "hscode", "description", "parent", "level"}
    missing = required - set(reader.fieldnames or [])
    if missing:
        out.errors.append({"line": 1, "column": ",".join(sorted(missing)), "message": "missing column(s)"})
        return out
    seen: set[str] = set()
    for row in reader:
        line = reader.line_num
        code = (row.get("hscode") or "").strip()
        section = (row.get("section") or "").strip()
        if not code and not section and not (row.get("description") or "").strip():
            out.dropped += 1
            continue
        if code in ARTEFACT_CODES or section == "TOTAL":
            out.dropped += 1
            continue
        level_raw = (row.get("level") or "").strip()
        if not level_raw.isdigit() or int(level_raw) not in LEVELS:
            out.errors.append({"line": line, "column": "level", "message": f"level must be 2, 4 or 6, got {level_raw!r}"})
            continue
        level = int(level_raw)
        if not code.isdigit() or len(code) != level:
            out.errors.append({"line": line, "column": "hscode",
                               "message": f"code must have {level} digits, got {code!r}"})
            continue
        description = " ".join((row.get("description") or "").split())
        if not description:
            out.errors.append({"line": line, "column": "description", "message": "empty description"})
            continue
        parent = (row.get("parent") or "").strip()
        parent_code: str | None = None if level == 2 else parent
        if level > 2 and parent != code[: level - 2]:
            out.errors.append({"line": line, "column": "parent",
                               "message": f"parent of {code} must be {code[: level - 2]}, got {parent!r}"})
            continue
        if code in seen:
            out.errors.append({"line": line, "column": "hscode", "message": f"duplicate code {code}"})
            continue
        seen.add(code)
        out.entries.append(HsEntry(code, level, description, parent_code, section))
    return out


def parse_sections_csv(text: str) -> dict[str, str]:
    """``section,name`` rows: Roman numeral → section title.

    >>> parse_sections_csv("section,name\\nI,Live animals and animal products\\n")
    {'I': 'Live animals and animal products'}
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return {r["section"].strip(): " ".join(r["name"].split()) for r in reader if (r.get("section") or "").strip()}


# --- search -------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Lower-case word tokens with a light plural folding (``shirts`` → ``shirt``); a hyphenated
    word is also kept whole (``t-shirt``), so it matches only the same compound.

    >>> words("Cotton T-Shirts, knitted; boxes")
    ['cotton', 't-shirt', 't', 'shirt', 'knitted', 'box']
    """
    out = []
    for chunk in _CHUNK.findall(text.lower()):
        parts = _WORD.findall(chunk)
        if len(parts) > 1:
            out.append("-".join(parts[:-1] + [fold_plural(parts[-1])]))
        out.extend(fold_plural(w) for w in parts)
    return out


def fold_plural(w: str) -> str:
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "xes", "ches", "shes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


@dataclass(frozen=True)
class SearchHit:
    code: str
    level: int
    description: str
    score: float  # share of query words found, with a bonus for whole-word and level-6 matches


def search(entries: Iterable[HsEntry], query: str, *, limit: int = 20) -> list[SearchHit]:
    """Code prefix search when the query is a code, else every query word must occur.

    Results of a word search are ordered by how many query words occur as whole words (after
    plural folding), then by level (subheadings first), then by code. A code search lists the
    code itself first, then its children in code order.
    """
    query = query.strip()
    if not query:
        return []
    if is_code_query(query):
        prefix = _CODE_SEP.sub("", query)
        hits = [e for e in entries if e.code.startswith(prefix)]
        hits.sort(key=lambda e: (e.code != prefix, e.code))
        return [SearchHit(e.code, e.level, e.description, 1.0) for e in hits[:limit]]
    q_all = words(query)
    compounds = [w for w in q_all if "-" in w]
    # a compound query word (t-shirt) is matched whole; its parts are not required separately
    parts = {p for c in compounds for p in c.split("-")}
    q_words = list(dict.fromkeys(compounds + [w for w in q_all if "-" not in w and w not in parts
                                              and (len(w) > 1 or w.isdigit())]))
    if not q_words:
        return []
    scored: list[tuple[float, int, HsEntry]] = []
    for e in entries:
        desc_list = words(e.description)
        desc_words = set(desc_list)
        desc_text = " ".join(desc_list)
        whole = sum(1 for w in q_words if w in desc_words)
        partial = sum(1 for w in q_words if w not in desc_words and w in desc_text)
        if whole + partial < len(q_words):
            continue
        score = (whole + 0.5 * partial) / len(q_words)
        scored.append((score, len(desc_words), e))
    # best match first; among equals the subheading, then the shorter (more specific) text
    scored.sort(key=lambda t: (-t[0], -t[2].level, t[1], t[2].code))
    return [SearchHit(e.code, e.level, e.description, round(s, 4)) for s, _, e in scored[:limit]]


_STOP = frozenset({"a", "an", "and", "or", "of", "the", "for", "to", "in", "on", "with", "etc"})


def search_groups(entries: Iterable[HsEntry], groups: Sequence[str], *, limit: int = 20) -> list[SearchHit]:
    """Search by groups of alternative words (a Chinese query read word by word: each Chinese
    word gives one group of English senses, "vacuum flask thermos bottle"). A group counts
    when one of its words occurs; results need one group at least and are ordered by the share
    of groups found, then of words found, then subheadings first and shorter texts.

    >>> es = [HsEntry("961700", 6, "Vacuum flasks and other vacuum vessels", "9617", "XX"),
    ...       HsEntry("722300", 6, "Steel, stainless; wire", "7223", "XV")]
    >>> [h.code for h in search_groups(es, ["stainless steel", "vacuum flask thermos bottle"])]
    ['961700', '722300']
    """
    sets = [[w for w in dict.fromkeys(words(g)) if w not in _STOP and len(w) > 1] for g in groups]
    sets = [g for g in sets if g]
    if not sets:
        return []
    # the last group weighs double: in 不锈钢保温杯 the product is the flask, steel its material
    weights = [1.0] * (len(sets) - 1) + [2.0]
    total = sum(weights)
    scored: list[tuple[float, float, int, HsEntry]] = []
    for e in entries:
        desc = set(words(e.description))
        # a word's weight falls with its place in its group: the first sense is the main one
        found = [sum(1 / (1 + 0.2 * i) for i, w in enumerate(g) if w in desc) for g in sets]
        if not any(found):
            continue
        groups_share = sum(wt for f, wt in zip(found, weights, strict=True) if f) / total
        share = sum(wt * f / sum(1 / (1 + 0.2 * i) for i in range(len(g)))
                    for f, g, wt in zip(found, sets, weights, strict=True)) / total
        scored.append((groups_share, share, len(desc), e))
    scored.sort(key=lambda t: (-t[0], -t[1], -t[3].level, t[2], t[3].code))
    return [SearchHit(e.code, e.level, e.description, round((g + s) / 2, 4)) for g, s, _, e in scored[:limit]]


def ancestors(code: str) -> list[str]:
    """Chapter and heading of a code.

    >>> ancestors("610910")
    ['61', '6109']
    """
    return [code[:n] for n in (2, 4) if len(code) > n]


def check_hs6(code: str, known: Sequence[str] | set[str] | frozenset[str]) -> str:
    """Validate a 6-digit code against a set of known subheadings."""
    code = normalize_code(code, field_name="hs_code")
    if len(code) < 6:
        raise ValidationError(f"hs_code: at least 6 digits are needed, got {code}", field="hs_code")
    if code[:6] not in known:
        raise ValidationError(f"hs_code: {code[:6]} is not an HS subheading", field="hs_code")
    return code[:6]

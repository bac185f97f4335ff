"""Reading the HS source files from a folder laid out as ``../shared/data`` (I/O edge).

``hs/harmonized-system-2017.csv``, ``hs/harmonized-system-2022.csv``, ``hs/sections.csv``,
``hs_labeled/uk_fpo_search/*`` and, when present, ``tariffs/uk_global_tariff_2021_vs_eu_cet.csv``
(UK Global Tariff 2021, Crown copyright, OGL v3.0: its CN8/10 descriptions are extra
nomenclature texts for the classifier, each mapped to its first 6 digits) and
``tariffs/us_hts_2025_basic_edition.csv`` (USITC HTSUS 2025, public domain: each 6-, 8- and
10-digit line becomes a text with its parent path, e.g. "Men's ; Other T-shirts ; Men's or boys' ;
Of cotton ; T-shirts, singlets, tank tops ...", mapped to its first 6 digits).

Every loader returns the parsed content together with the file's SHA-256, so the store can
record provenance and skip a file it has already loaded.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from xborder.errors import ImportRejected, NotFound
from xborder.hs import training
from xborder.hs.model import HsEntry, parse_nomenclature_csv, parse_sections_csv

if TYPE_CHECKING:  # the classifier (scikit-learn) is imported only where it is used
    from xborder.hs.classifier import Doc

NOMENCLATURE_FILES = {"2017": "hs/harmonized-system-2017.csv", "2022": "hs/harmonized-system-2022.csv"}
SECTIONS_FILE = "hs/sections.csv"
FPO_DIR = "hs_labeled/uk_fpo_search"
UK_TARIFF_FILE = "tariffs/uk_global_tariff_2021_vs_eu_cet.csv"
US_HTS_FILE = "tariffs/us_hts_2025_basic_edition.csv"
CLASSIFIER_VERSION = "2022"  # the edition the classifier predicts in

SOURCE_NOMENCLATURE = ("GitHub datasets/harmonized-system (UN Comtrade classification), ODC-PDDL-1.0; "
                       "HS 2022 commit 905e5a0, HS 2017 commit a72bef2")
SOURCE_FPO = ("HMRC Online Trade Tariff, GitHub trade-tariff/trade-tariff-lambdas-fpo-search commit a7bda30 "
              "(2026-07-24) reference_data/, MIT, Crown Copyright")
SOURCE_UKGT = "UK Global Tariff 2021 (DIT, 2020-12-02), Crown copyright, OGL v3.0"
SOURCE_USHTS = "US HTSUS 2025 Basic Edition (USITC CSV export), public domain"


@dataclass(frozen=True)
class FileRef:
    path: Path
    sha256: str
    text: str


def read(path: Path) -> FileRef:
    if not path.is_file():
        raise NotFound(f"file not found: {path}", field="path")
    raw = path.read_bytes()
    return FileRef(path, hashlib.sha256(raw).hexdigest(), raw.decode("utf-8-sig"))


@dataclass
class Nomenclature:
    version: str
    file: FileRef
    entries: list[HsEntry]
    dropped: int
    sections: dict[str, str]


def load_nomenclature(root: Path, version: str) -> Nomenclature:
    return load_nomenclature_file(root / NOMENCLATURE_FILES[version], version)


def load_nomenclature_file(path: Path, version: str) -> Nomenclature:
    """A nomenclature file on its own (e.g. downloaded): sections read when beside it."""
    ref = read(path)
    parsed = parse_nomenclature_csv(ref.text)
    if parsed.errors:
        raise ImportRejected(f"{path.name}: {len(parsed.errors)} bad line(s); nothing was loaded",
                             [dict(e, file=path.name) for e in parsed.errors])
    sections_path = path.parent / "sections.csv"
    sections = parse_sections_csv(read(sections_path).text) if sections_path.is_file() else {}
    return Nomenclature(version, ref, parsed.entries, parsed.dropped, sections)


@dataclass
class Labelled:
    files: list[FileRef]
    corpus: training.Corpus
    skipped: list[dict[str, object]]  # malformed rows: {file, line, column, message}


def load_labelled(root: Path, known_hs6: set[str]) -> Labelled:
    d = root / FPO_DIR
    files: list[FileRef] = []
    groups = []
    skipped: list[dict[str, object]] = []
    for name, parser in (("search_references.json", training.parse_search_references),
                         ("extra_references.csv", training.parse_extra_references),
                         ("brands.csv", training.parse_brands)):
        ref = read(d / name)
        files.append(ref)
        examples, bad = parser(ref.text)
        groups.append(examples)
        skipped.extend(dict(b, file=name) for b in bad)
    vague_ref = read(d / "vague_terms.csv")
    wrong_ref = read(d / "incorrect_code_desc_pairs.csv")
    files += [vague_ref, wrong_ref]
    corpus = training.build_corpus(groups, training.parse_vague_terms(vague_ref.text),
                                   training.parse_wrong_pairs(wrong_ref.text), known_hs6)
    return Labelled(files, corpus, skipped)


def load_national_texts(root: Path, known_hs6: set[str]) -> tuple[FileRef | None, list[tuple[str, str]]]:
    """(file, [(description, hs6)]) from the UK Global Tariff file, or (None, []) when absent."""
    path = root / UK_TARIFF_FILE
    if not path.is_file():
        return None, []
    ref = read(path)
    out = []
    for row in csv.DictReader(io.StringIO(ref.text)):
        raw = (row.get("commodity") or "").strip()
        desc = " ".join((row.get("description") or "").split())
        if not raw.isdigit() or not desc:
            continue
        # leading zeros were lost in this file: CN codes have 8 or 10 digits
        code = raw.zfill(8) if len(raw) <= 8 else raw.zfill(10)
        if code[:6] in known_hs6:
            out.append((desc, code[:6]))
    return ref, out


_US_CATEGORY = re.compile(r"\s*\(\d{3}\)\s*$")  # textile category numbers, e.g. "Men's (338)"
_TAG = re.compile(r"<[^>]+>")


def us_hts_texts(text: str, known_hs6: set[str], max_chars: int = 400) -> list[tuple[str, str]]:
    """[(text, hs6)] from a USITC HTS CSV export: every line of 6 digits or more whose first six
    are a known subheading, as its own description followed by its parents' (nearest first, the
    heading last), so "Other" lines keep their meaning. Rows without a number (group titles such as
    "Horses:") are part of the path. Duplicate (text, code) pairs are dropped."""
    reader = csv.DictReader(io.StringIO(text[1:] if text.startswith("\ufeff") else text))
    missing = {"HTS Number", "Indent", "Description"} - set(reader.fieldnames or [])
    if missing:
        message = f"not a USITC HTS CSV export: missing column(s) {', '.join(sorted(missing))}"
        raise ImportRejected(message, [{"line": 1, "column": ", ".join(sorted(missing)), "message": message}])
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    stack: list[tuple[int, str]] = []  # (indent, description); the heading is indent -1
    heading = ""
    for row in reader:
        number = "".join(ch for ch in (row.get("HTS Number") or "") if ch.isdigit())
        try:
            indent = int(row.get("Indent") or 0)
        except ValueError:
            continue
        desc = _US_CATEGORY.sub("", _TAG.sub("", " ".join((row.get("Description") or "").split())))
        desc = desc.rstrip(":").strip()
        if len(number) == 4:
            stack, heading = [(-1, desc)], number
            continue
        if number and number[:4] != heading:  # a heading without a row of its own (e.g. 0205.00.00)
            stack, heading = [], number[:4]
        if not stack and not number:
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, desc))
        if len(number) >= 6 and number[:6] in known_hs6 and desc:
            path = [d for _, d in reversed(stack) if d]
            item = (" ; ".join(path)[:max_chars], number[:6])
            if item not in seen:
                seen.add(item)
                out.append(item)
    return out


def load_us_texts(root: Path, known_hs6: set[str]) -> tuple[FileRef | None, list[tuple[str, str]]]:
    """(file, [(text with parent path, hs6)]) from the US HTS CSV, or (None, []) when absent."""
    path = root / US_HTS_FILE
    if not path.is_file():
        return None, []
    ref = read(path)
    return ref, us_hts_texts(ref.text, known_hs6)


def nomenclature_docs(entries: list[HsEntry], national: list[tuple[str, str]]) -> list[Doc]:
    """One document per subheading (its text and its heading's text) plus national lines."""
    from xborder.hs.classifier import Doc
    headings = {e.code: e.description for e in entries if e.level == 4}
    docs = [Doc(f"{e.description} ; {headings.get(e.code[:4], '')}", e.code, "nomen")
            for e in entries if e.level == 6]
    docs += [Doc(desc, code, "nomen") for desc, code in national]
    return docs


def descriptions(entries: list[HsEntry]) -> tuple[dict[str, str], dict[str, str]]:
    return ({e.code: e.description for e in entries if e.level == 6},
            {e.code: e.description for e in entries if e.level == 4})


def split_examples(examples: list[training.Example], seed: int = 20261124, test_share: float = 0.2
                   ) -> tuple[list[training.Example], list[training.Example]]:
    """Deterministic held-out split (descriptions are already unique after ``build_corpus``)."""
    ordered = sorted(examples, key=lambda e: (training.fold(e.text), e.hs6))
    random.Random(seed).shuffle(ordered)
    n = int(len(ordered) * test_share)
    return ordered[n:], ordered[:n]

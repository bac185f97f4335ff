"""Tariff schedules: pure parsers of the public files and a prefix look-up.

Schedules and their sources (each parsed version is stored by ``xborder data sync`` with the
file's SHA-256 and kept when a newer version arrives):

* ``US``  — US HTSUS, USITC export (CSV ``HTS Number, Indent, Description, Unit of Quantity,
  General Rate of Duty, ...`` or the per-revision JSON with keys ``htsno, indent, description,
  units, general, ...``). Public domain. https://hts.usitc.gov/ ; a rate on an 8-digit line
  applies to the 10-digit statistical suffixes below it.
* ``GB``  — UK Global Tariff from 2021-01-01 (``ukgt_duty_rate``), DIT 2020-12-02, OGL v3.
* ``EU``  — EU Common External Tariff third-country duty, 2020 (``cet_duty_rate`` of the same
  file). Commodity codes in that file lost their leading zero: 7 and 9 digit codes are padded.

Look-up (:meth:`TariffBook.lookup`) of an HS6 / CN8 / HTS10 code: the longest rated code that is a
prefix of it (an ancestor) wins; otherwise the rated codes below it are used when they all carry
the same rate; otherwise the code is ambiguous and the caller must give a longer code or an
explicit rate — never a guess.

>>> book = TariffBook("US", "2025 Basic", "USITC", [TariffLine("61091000", "Of cotton", "16.5%")])
>>> m = book.lookup("610910")
>>> m.rate.ad_valorem, m.matched_code
(Decimal('0.165'), '61091000')
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date

from xborder.customs.messages import Msg, msg
from xborder.customs.rates import DutyRate, parse_rate

__all__ = ["TariffBook", "TariffLine", "TariffMatch", "parse_us_hts_csv", "parse_us_hts_json", "parse_ukgt_csv"]

US_SOURCE = "USITC Harmonized Tariff Schedule of the United States (public domain), https://hts.usitc.gov/"
UKGT_SOURCE = (
    "UK Global Tariff, Department for International Trade, published 2020-12-02 "
    "(check-future-uk-trade-tariffs.service.gov.uk/api/global-uk-tariff.csv), OGL v3"
)
CET_SOURCE = (
    "EU Common External Tariff third-country duty (2020), as listed beside the UK Global Tariff by DIT "
    "2020-12-02 (cet_duty_rate), OGL v3"
)


@dataclass(frozen=True)
class TariffLine:
    code: str  # digits only
    description: str
    rate_text: str
    units: str = ""
    indent: int = 0

    @property
    def rate(self) -> DutyRate:
        return parse_rate(self.rate_text)


@dataclass(frozen=True)
class TariffMatch:
    schedule: str
    version: str
    source: str
    query: str
    matched_code: str
    description: str
    rate: DutyRate
    note: str = ""
    candidates: tuple[tuple[str, str], ...] = ()  # (code, rate text) when ambiguous
    note_msg: Msg | None = None  # ``note`` as a translatable message

    @property
    def ambiguous(self) -> bool:
        return bool(self.candidates)


def digits(code: str) -> str:
    return re.sub(r"[^0-9]", "", code or "")


@dataclass
class TariffBook:
    schedule: str
    version: str
    source: str
    lines: list[TariffLine]
    valid_from: date | None = None
    _codes: list[str] = field(default_factory=list, init=False, repr=False)
    _by_code: dict[str, TariffLine] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for line in self.lines:
            if line.rate_text.strip():
                self._by_code[line.code] = line
        self._codes = sorted(self._by_code)

    def __len__(self) -> int:
        return len(self._codes)

    def lookup(self, code: str) -> TariffMatch | None:
        q = digits(code)
        if len(q) < 4:
            return None
        # ancestor: longest rated prefix of q (at least 6 digits, the HS subheading)
        for n in range(len(q), 5, -1):
            line = self._by_code.get(q[:n])
            if line is not None:
                return TariffMatch(self.schedule, self.version, self.source, q, line.code, line.description, line.rate)
        # descendants
        i = bisect.bisect_left(self._codes, q)
        below: list[TariffLine] = []
        while i < len(self._codes) and self._codes[i].startswith(q):
            below.append(self._by_code[self._codes[i]])
            i += 1
        if not below:
            return None
        rates = {b.rate_text.strip() for b in below}
        first = below[0]
        if len(rates) == 1:
            note = (
                msg("the only rated line under %(code)s", code=q)
                if len(below) == 1
                else msg("all %(count)s rated lines under %(code)s carry %(rate)s", count=len(below), code=q,
                         rate=first.rate_text)
            )
            return TariffMatch(
                self.schedule, self.version, self.source, q, first.code, first.description, first.rate, note.render(),
                note_msg=note,
            )
        cands = tuple((b.code, b.rate_text) for b in below)
        return TariffMatch(
            self.schedule,
            self.version,
            self.source,
            q,
            q,
            first.description,
            first.rate,
            f"{len(below)} lines under {q} carry {len(rates)} different rates",
            cands,
            note_msg=msg("%(n)s lines under %(code)s carry %(k)s different rates", n=str(len(below)), code=q, k=str(len(rates))),
        )


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


class _HeaderPath:
    """The codeless header rows above a USITC line, so that its description reads whole.

    The HTSUS prints some conditions only on rows without a number ("Cut or engraved:" above
    "Valued over $5 each"); without them two lines of one subheading can read the same while
    their rates differ. A numbered line's description gets the texts of the codeless rows between
    it and its nearest numbered parent: "Other: Valued over $3 each: Cut or engraved: Valued over
    $5 each" (7013.37.40.00).
    """

    def __init__(self) -> None:
        self._stack: list[tuple[int, str, bool]] = []  # (indent, text, has a number)

    def describe(self, indent: int, text: str, numbered: bool) -> str:
        while self._stack and self._stack[-1][0] >= indent:
            self._stack.pop()
        above: list[str] = []
        for _ind, t, has_number in reversed(self._stack):
            if has_number:
                break
            above.append(t)
        self._stack.append((indent, text, numbered))
        return " ".join([*reversed(above), text]) if numbered else text


def _indent(value: object) -> int:
    try:
        return int(str(value or 0))
    except ValueError:
        return 0


def parse_us_hts_csv(text: str) -> list[TariffLine]:
    """Rows of the USITC CSV export that carry a code; a codeless header row's text is put before
    the descriptions of the numbered rows under it (``_HeaderPath``)."""
    reader = csv.DictReader(io.StringIO(_strip_bom(text)))
    need = {"HTS Number", "Indent", "Description", "General Rate of Duty"}
    missing = need - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"not a USITC HTS CSV: missing column(s) {', '.join(sorted(missing))}")
    out: list[TariffLine] = []
    path = _HeaderPath()
    for row in reader:
        code = digits(row.get("HTS Number") or "")
        indent = _indent(row.get("Indent"))
        description = path.describe(indent, (row.get("Description") or "").strip(), bool(code))
        if not code:
            continue
        out.append(
            TariffLine(
                code,
                description,
                (row.get("General Rate of Duty") or "").strip(),
                (row.get("Unit of Quantity") or "").strip(),
                indent,
            )
        )
    return out


def parse_us_hts_json(text: str) -> list[TariffLine]:
    """The USITC per-revision JSON (a list of objects with ``htsno``, ``general``, ...); codeless
    header rows as in ``parse_us_hts_csv``."""
    data = json.loads(_strip_bom(text))
    if not isinstance(data, list):
        raise ValueError("not a USITC HTS JSON export: expected a list of objects")
    out: list[TariffLine] = []
    path = _HeaderPath()
    for row in data:
        code = digits(str(row.get("htsno") or ""))
        indent = _indent(row.get("indent"))
        description = path.describe(indent, str(row.get("description") or "").strip(), bool(code))
        if not code:
            continue
        units = row.get("units") or []
        out.append(
            TariffLine(
                code,
                description,
                str(row.get("general") or "").strip(),
                json.dumps(units, ensure_ascii=False) if units else "",
                indent,
            )
        )
    return out


def _pad(code: str) -> str:
    c = digits(code)
    if len(c) in (7, 9):
        c = "0" + c
    return c


def parse_ukgt_csv(text: str) -> tuple[list[TariffLine], list[TariffLine]]:
    """(UK Global Tariff lines, EU CET lines) from the DIT CSV; codes left-padded to 8/10 digits."""
    reader = csv.DictReader(io.StringIO(_strip_bom(text)))
    need = {"commodity", "description", "cet_duty_rate", "ukgt_duty_rate"}
    missing = need - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"not a UK Global Tariff CSV: missing column(s) {', '.join(sorted(missing))}")
    uk: list[TariffLine] = []
    eu: list[TariffLine] = []
    for row in reader:
        code = _pad(row["commodity"])
        if not code:
            continue
        desc = (row.get("description") or "").strip()
        uk.append(TariffLine(code, desc, (row.get("ukgt_duty_rate") or "").strip()))
        eu.append(TariffLine(code, desc, (row.get("cet_duty_rate") or "").strip()))
    return uk, eu


class TariffSet:
    """Several schedules, each possibly in several versions; the newest version in force wins."""

    def __init__(self, books: list[TariffBook] | None = None):
        self._books: dict[str, list[TariffBook]] = {}
        for b in books or []:
            self.add(b)

    def add(self, book: TariffBook) -> None:
        items = self._books.setdefault(book.schedule, [])
        items.append(book)
        items.sort(key=lambda b: (b.valid_from or date.min))

    def schedules(self) -> list[str]:
        return sorted(self._books)

    def lookup(self, schedule: str, code: str, on: date) -> TariffMatch | None:
        books = [b for b in self._books.get(schedule, []) if b.valid_from is None or b.valid_from <= on]
        if not books:
            books = self._books.get(schedule, [])[:1]
        return books[-1].lookup(code) if books else None

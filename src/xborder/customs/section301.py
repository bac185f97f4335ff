"""US Section 301 duties on goods of China, per HTS8 line (pure).

The product lists come from a CSV of ``hts8,list,ch99_code`` rows — the layout of
``resources/s301_product_lists.csv`` in The Budget Lab at Yale's tariff-rate-tracker (MIT), which
compiles USTR's lists from the HTSUS chapter 99 notes (see ../shared/research/customs.md). The
rates and dates per chapter-99 heading are ours, written from the Federal Register notices cited
in :data:`SCHEDULES`; a line on several lists pays the highest rate in force (the 2024 four-year
review increases replace the earlier list rate; lists 1-4A do not stack on each other for one
line). List 4B (9903.88.16) never took effect (suspended, 84 FR 69447) and adds nothing.

>>> rows = parse_s301_csv("hts8,list,ch99_code\\n61091000,4A,9903.88.15\\n42022215,3,9903.88.03\\n42022215,4B,9903.88.16\\n")
>>> [(d.hs_prefix, str(d.rate), d.valid_from.isoformat(), d.valid_to) for d in to_extra_duties(rows) if d.hs_prefix == "61091000"]
[('61091000', '0.15', '2019-09-01', datetime.date(2020, 2, 13)), ('61091000', '0.075', '2020-02-14', None)]
>>> [(str(d.rate), d.valid_from.isoformat()) for d in to_extra_duties(rows) if d.hs_prefix == "42022215"]
[('0.10', '2018-09-24'), ('0.25', '2019-05-10')]
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from xborder.customs.model import ExtraDuty

PROGRAMME = "Section 301"
TRACKER_SOURCE = ("USTR Section 301 product lists as compiled from HTSUS ch. 99 by The Budget Lab at Yale, "
                  "tariff-rate-tracker resources/s301_product_lists.csv (MIT)")
TRACKER_URL = ("https://raw.githubusercontent.com/Budget-Lab-Yale/tariff-rate-tracker/main/resources/"
               "s301_product_lists.csv")


@dataclass(frozen=True)
class Step:
    rate: Decimal
    valid_from: date
    citation: str
    verify: bool = False


# chapter-99 heading -> (list name, the rate steps in time). A step holds until the next one.
SCHEDULES: dict[str, tuple[str, tuple[Step, ...]]] = {
    "9903.88.01": ("List 1", (Step(Decimal("0.25"), date(2018, 7, 6), "83 FR 28710"),)),
    "9903.88.02": ("List 2", (Step(Decimal("0.25"), date(2018, 8, 23), "83 FR 40823"),)),
    "9903.88.03": ("List 3", (Step(Decimal("0.10"), date(2018, 9, 24), "83 FR 47974"),
                              Step(Decimal("0.25"), date(2019, 5, 10), "84 FR 20459"))),
    "9903.88.04": ("List 3 (additional)", (Step(Decimal("0.25"), date(2019, 5, 10), "84 FR 20459", verify=True),)),
    "9903.88.15": ("List 4A", (Step(Decimal("0.15"), date(2019, 9, 1), "84 FR 45821"),
                               Step(Decimal("0.075"), date(2020, 2, 14), "85 FR 3741"))),
    # four-year review (89 FR 76581, 2024-09-18): increases from 2024-09-27, 2025-01-01, 2026-01-01
    "9903.91.01": ("four-year review 25%", (Step(Decimal("0.25"), date(2024, 9, 27), "89 FR 76581"),)),
    "9903.91.02": ("four-year review 50%", (Step(Decimal("0.50"), date(2024, 9, 27), "89 FR 76581"),)),
    "9903.91.03": ("four-year review 100%", (Step(Decimal("1.00"), date(2024, 9, 27), "89 FR 76581"),)),
    "9903.91.04": ("four-year review 25% (2025)", (Step(Decimal("0.25"), date(2025, 1, 1), "89 FR 76581", verify=True),)),
    "9903.91.05": ("four-year review 50% (2025)", (Step(Decimal("0.50"), date(2025, 1, 1), "89 FR 76581"),)),
    "9903.91.06": ("four-year review 25% (2026)", (Step(Decimal("0.25"), date(2026, 1, 1), "89 FR 76581"),)),
    "9903.91.07": ("four-year review 50% (2026)", (Step(Decimal("0.50"), date(2026, 1, 1), "89 FR 76581"),)),
    "9903.91.08": ("four-year review 100% (2026)", (Step(Decimal("1.00"), date(2026, 1, 1), "89 FR 76581", verify=True),)),
    "9903.91.11": ("four-year review 25% (2025)", (Step(Decimal("0.25"), date(2025, 1, 1), "89 FR 76581", verify=True),)),
    "9903.92.10": ("ship-to-shore cranes", (Step(Decimal("0.25"), date(2024, 9, 27), "89 FR 76581", verify=True),)),
}
SUSPENDED = {"9903.88.16": "List 4B (suspended before it took effect, 84 FR 69447)"}


def parse_s301_csv(text: str) -> list[tuple[str, str]]:
    """``hts8,list,ch99_code`` rows -> ``(hts8, ch99_code)``; a bad row is a ValueError naming its line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames is None or not {"hts8", "ch99_code"} <= {f.strip() for f in reader.fieldnames}:
        raise ValueError("line 1: expected the columns hts8, list, ch99_code")
    out = []
    for n, row in enumerate(reader, start=2):
        code = (row.get("hts8") or "").strip()
        ch99 = (row.get("ch99_code") or "").strip()
        if not (code.isdigit() and len(code) in (8, 10)):
            raise ValueError(f"line {n}: hts8 {code!r} is not an 8- or 10-digit HTS code")
        if ch99 not in SCHEDULES and ch99 not in SUSPENDED:
            raise ValueError(f"line {n}: ch99_code {ch99!r} is not a Section 301 heading we know "
                             f"({', '.join(sorted(SCHEDULES))} or {', '.join(SUSPENDED)})")
        out.append((code, ch99))
    if not out:
        raise ValueError("line 2: no rows")
    return out


def to_extra_duties(rows: list[tuple[str, str]]) -> list[ExtraDuty]:
    """Dated rows per HTS line: at each date, the highest rate of the lists it is on."""
    by_code: dict[str, set[str]] = defaultdict(set)
    for code, ch99 in rows:
        if ch99 in SCHEDULES:
            by_code[code].add(ch99)
    out: list[ExtraDuty] = []
    for code in sorted(by_code):
        steps = [(st, SCHEDULES[h][0], h) for h in sorted(by_code[code]) for st in SCHEDULES[h][1]]
        starts = sorted({st.valid_from for st, _, _ in steps})
        segments: list[tuple[date, Decimal, str, bool]] = []
        for start in starts:
            best = None
            for h in sorted(by_code[code]):  # each list's step in force on `start`
                current = [st for st in SCHEDULES[h][1] if st.valid_from <= start]
                if current:
                    st = current[-1]
                    if best is None or st.rate > best[0].rate:
                        best = (st, SCHEDULES[h][0], h)
            if best is None:
                continue
            st, name, heading = best
            cite = f"USTR Section 301 {name}, HTSUS {heading} ({st.citation}){' (verify)' if st.verify else ''}"
            if segments and segments[-1][1] == st.rate:
                continue
            segments.append((start, st.rate, cite, st.verify))
        for i, (start, rate, cite, _v) in enumerate(segments):
            end = segments[i + 1][0] - timedelta(days=1) if i + 1 < len(segments) else None
            out.append(ExtraDuty(PROGRAMME, "US", "CN", code, rate, start, end, f"{cite}; list: {TRACKER_SOURCE}"))
    return out

"""Extra duty programmes (US Section 301, Section 122 ...) as data a user can extend.

The package ships ``data/extra_duties.csv`` (columns ``programme, destination, origin,
hs_prefix, rate, valid_from, valid_to, source, note``); an organisation adds or overrides rows
in the ``customs_extra_duties`` table (``xborder customs extra-duty add``). Per programme and
line the row with the longest matching ``hs_prefix`` wins, so a longer prefix with rate 0 is an
exclusion. The shipped rows are a small, cited selection — not the full USTR lists: check
https://ustr.gov/issue-areas/enforcement/section-301-investigations for your HTS8.

>>> rows = parse_extra_duties("programme,destination,origin,hs_prefix,rate,valid_from,valid_to,source,note\\n"
...     "Section 301,US,CN,6109,0.075,2020-02-14,,USTR List 4A,\\n")
>>> rows[0].rate, rows[0].valid_to
(Decimal('0.075'), None)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources

from xborder.customs.model import ExtraDuty
from xborder.errors import ImportRejected

COLUMNS = ("programme", "destination", "origin", "hs_prefix", "rate", "valid_from", "valid_to", "source")


def parse_extra_duties(text: str, limits: Mapping[str, int] | None = None) -> list[ExtraDuty]:
    """Validate every row first; a bad file raises ``ImportRejected`` listing each bad line.
    ``limits``: the longest text each column may hold (the store's), by column name."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRejected("extra duties: missing column(s)", [{"line": 1, "column": c, "message": "missing"} for c in missing])
    out: list[ExtraDuty] = []
    errors: list[dict[str, object]] = []
    for n, row in enumerate(reader, start=2):
        def bad(col: str, msg: str, n: int = n) -> None:
            errors.append({"line": n, "column": col, "message": msg})

        prog = (row.get("programme") or "").strip()
        dest = (row.get("destination") or "").strip().upper()
        origin = (row.get("origin") or "").strip().upper() or "*"
        prefix = "".join(ch for ch in (row.get("hs_prefix") or "") if ch.isdigit())
        if not prog:
            bad("programme", "required")
        if len(dest) != 2:
            bad("destination", "ISO 3166 alpha-2 country code required")
        if origin != "*" and len(origin) != 2:
            bad("origin", "ISO alpha-2 code or *")
        try:
            rate = Decimal((row.get("rate") or "").strip())
            if rate < 0 or rate > 10:
                bad("rate", "a fraction between 0 and 10 (0.25 = 25%)")
        except InvalidOperation:
            bad("rate", f"{row.get('rate')!r} is not a decimal fraction")
            rate = Decimal(0)
        try:
            vf = date.fromisoformat((row.get("valid_from") or "").strip())
        except ValueError:
            bad("valid_from", "ISO date required")
            vf = date.min
        vt_raw = (row.get("valid_to") or "").strip()
        vt = None
        if vt_raw:
            try:
                vt = date.fromisoformat(vt_raw)
                if vt < vf:
                    bad("valid_to", "before valid_from")
            except ValueError:
                bad("valid_to", "ISO date or empty")
        source = (row.get("source") or "").strip()
        if not source:
            bad("source", "a citation is required")
        duty = ExtraDuty(prog, dest, origin, prefix, rate, vf, vt, source, (row.get("note") or "").strip())
        for col, most in (limits or {}).items():
            value = getattr(duty, col, None)
            if isinstance(value, str) and len(value) > most:
                bad(col, f"at most {most} characters ({len(value)} given)")
        out.append(duty)
    if errors:
        raise ImportRejected(f"extra duties: {len(errors)} bad value(s)", errors)  # type: ignore[arg-type]
    return out


def bundled() -> list[ExtraDuty]:
    text = resources.files("xborder.customs").joinpath("data/extra_duties.csv").read_text("utf-8")
    return parse_extra_duties(text)


def bundled_screening_rules():  # -> screening.Rules
    from xborder.customs.screening import parse_rules

    return parse_rules(resources.files("xborder.customs").joinpath("data/restricted.yaml").read_text("utf-8"))

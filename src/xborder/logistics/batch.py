"""Rate a CSV batch of parcels: cheapest eligible option per parcel (``xborder rates --batch``).

Input columns ``id, destination, weight_kg, length_cm, width_cm, height_cm``; output
``id, code, price, currency`` (empty code when nothing can carry the parcel). The whole file is
validated first and every bad cell is reported (line, column, reason). Parcels go through the
compiled integer engine (:mod:`.fastrate`); the few it cannot express exactly go through the
Decimal engine, so every price equals :func:`xborder.logistics.pricing.quote`. Ties go to the
faster service, then the card code (as in rate shopping).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import numpy as np
import pycountry

from xborder.errors import ImportRejected
from xborder.logistics.fastrate import Book, ParcelArrays, country_id, grams_of, mm_of
from xborder.logistics.pricing import Option, RateRequest, select_versions, shop, transit_key
from xborder.logistics.ratecard import RateCard

COLUMNS = ("id", "destination", "weight_kg", "length_cm", "width_cm", "height_cm")
OUT_COLUMNS = ("id", "code", "price", "currency")


@dataclass(frozen=True)
class BatchRow:
    line: int
    id: str
    destination: str
    weight: str
    dims: tuple[str, str, str]


def validate_rows(rows: Sequence[tuple[int, dict[str, str]]], header: Sequence[str]) -> list[BatchRow]:
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRejected(
            f"missing column(s): {', '.join(missing)}",
            [{"line": 1, "column": c, "message": "required column is missing"} for c in missing],
        )
    errors: list[dict[str, object]] = []
    out: list[BatchRow] = []
    seen: dict[str, int] = {}
    for line, r in rows:
        rid = (r.get("id") or "").strip()
        dest = (r.get("destination") or "").strip().upper()
        ok = True
        if not rid:
            errors.append({"line": line, "column": "id", "message": "id is empty"})
            ok = False
        elif rid in seen:
            errors.append({"line": line, "column": "id", "message": f"duplicate id (first on line {seen[rid]})"})
            ok = False
        else:
            seen[rid] = line
        if len(dest) != 2 or pycountry.countries.get(alpha_2=dest) is None:
            errors.append({"line": line, "column": "destination", "message": f"{dest!r} is not an ISO 3166 two-letter country code"})
            ok = False
        vals = []
        for col in COLUMNS[2:]:
            raw = (r.get(col) or "").strip()
            try:
                d = Decimal(raw)
                if not d.is_finite() or d <= 0:
                    raise InvalidOperation
            except InvalidOperation:
                errors.append({"line": line, "column": col, "message": f"{raw!r} is not a number greater than 0"})
                ok = False
            vals.append(raw)
        if ok:
            out.append(BatchRow(line, rid, dest, vals[0], (vals[1], vals[2], vals[3])))
    if errors:
        raise ImportRejected(f"{len(errors)} error(s) in the parcel file; nothing was rated", errors)
    return out


def rate_rows(
    rows: Sequence[BatchRow],
    cards: Sequence[RateCard],
    on: date,
    rank_factor: Callable[[str], Decimal] | None = None,
) -> list[dict[str, str]]:
    """Cheapest option per row. ``rank_factor(currency)`` converts to one ranking currency."""
    cards = select_versions(cards, on)
    cards = sorted(cards, key=lambda c: (transit_key(c.transit_max), c.code))  # tie-break order for argmin
    currencies = sorted({c.currency for c in cards})
    if len(currencies) > 1 and rank_factor is None:
        raise ValueError(f"cards are in several currencies ({', '.join(currencies)}): FX rates are needed to rank them")
    factors = np.array(
        [int((rank_factor(c.currency) * 1_000_000).to_integral_value()) if rank_factor and len(currencies) > 1 else 1 for c in cards],
        dtype=np.int64,
    )
    fast_idx: list[int] = []
    slow_idx: list[int] = []
    parsed: list[tuple[str, int, int, int, int] | None] = []
    for i, r in enumerate(rows):
        g = grams_of(r.weight)
        mm = [mm_of(x) for x in r.dims]
        if g is None or None in mm:
            parsed.append(None)
            slow_idx.append(i)
        else:
            parsed.append((r.destination, g, mm[0], mm[1], mm[2]))  # type: ignore[arg-type]
            fast_idx.append(i)
    result: list[dict[str, str]] = [{"id": r.id, "code": "", "price": "", "currency": ""} for r in rows]
    book = Book(cards, on)
    if fast_idx and cards:
        p = ParcelArrays.from_arrays(
            np.fromiter((country_id(parsed[i][0]) for i in fast_idx), dtype=np.int64, count=len(fast_idx)),  # type: ignore[index]
            np.fromiter((parsed[i][1] for i in fast_idx), dtype=np.int64, count=len(fast_idx)),  # type: ignore[index]
            np.fromiter((parsed[i][2] for i in fast_idx), dtype=np.int64, count=len(fast_idx)),  # type: ignore[index]
            np.fromiter((parsed[i][3] for i in fast_idx), dtype=np.int64, count=len(fast_idx)),  # type: ignore[index]
            np.fromiter((parsed[i][4] for i in fast_idx), dtype=np.int64, count=len(fast_idx)),  # type: ignore[index]
        )
        m = book.price_matrix(p)
        needs_decimal = (m == -2).any(axis=1)
        rank = np.where(m >= 0, m * factors, np.iinfo(np.int64).max)
        best = rank.argmin(axis=1)
        best_price = m[np.arange(len(fast_idx)), best]
        for k, i in enumerate(fast_idx):
            if needs_decimal[k]:
                slow_idx.append(i)
                continue
            if best_price[k] >= 0:
                c = cards[int(best[k])]
                cents = int(best_price[k])
                result[i] = {"id": rows[i].id, "code": c.code, "price": f"{cents // 100}.{cents % 100:02d}", "currency": c.currency}
    for i in sorted(slow_idx):
        r = rows[i]
        req = RateRequest.build(r.destination, r.weight, r.dims, on)
        res = shop(cards, req, to_rank_currency=(lambda a, cur: a * rank_factor(cur)) if rank_factor else None)
        if res.options:
            o: Option = res.options[0]
            result[i] = {"id": r.id, "code": o.code, "price": format(o.price, "f"), "currency": o.currency}
    return result

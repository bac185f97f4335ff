"""Vectorised batch rating in integer units (grams, millimetres, cents): same rules as ``pricing``.

For rating many parcels at once (``xborder rates --batch``, plans, the benchmark), each card is
*compiled* for one date into integer arrays, and a whole column of parcels is priced with numpy:

* weights in whole grams (int64), dimensions in whole millimetres (int64);
* prices in units of 0.0001 of the card currency; a line ``per_kg × grams`` is exact in units of
  1e-7 and rounded half-up to cents with integer arithmetic — no float touches money;
* the result is identical to :func:`xborder.logistics.pricing.quote` (a test checks it on random
  parcels); what the compiled form cannot express exactly (per-cbm zones, a weight with more
  than 3 decimals, a dimension with more than 1 decimal, a percent surcharge with a minimum) is
  left to the exact Decimal engine (``supported`` says which parcels / cards).

The batch input has no postcode, contents or declared value, so surcharges that need a postcode
or a contents flag never apply, and warehouse (head-haul) cards are not offered.

>>> import numpy as np
>>> from datetime import date
>>> from xborder.logistics.ratecard import parse_card
>>> card = parse_card('''
... {carrier: X, service: Y, code: x, currency: CNY, valid_from: 2026-01-01,
...  transit_days: {min: 1, max: 2},
...  zones: [{countries: [US], bands: [{up_to_kg: 0.5, per_kg: 65, per_piece: 14}]}]}
... ''')
>>> book = Book([card], date(2026, 3, 1))
>>> p = ParcelArrays.from_rows([("US", 500, 200, 150, 30), ("US", 501, 200, 150, 30), ("FR", 100, 10, 10, 10)])
>>> book.price_matrix(p)[:, 0].tolist()
[4650, -1, -1]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import numpy as np

from xborder.logistics.ratecard import RateCard

S = 10_000  # price scale: units of 0.0001
NONE = -1


def _scaled(d: Decimal, scale: int) -> int | None:
    v = d * scale
    return int(v) if v == v.to_integral_value() else None


def _half_up_div(num: np.ndarray, den: int) -> np.ndarray:
    """Round num/den half-up for non-negative integer arrays."""
    return (2 * num + den) // (2 * den)


COUNTRY_INDEX: dict[str, int] = {}


def country_id(code: str) -> int:
    idx = COUNTRY_INDEX.get(code)
    if idx is None:
        idx = COUNTRY_INDEX[code] = len(COUNTRY_INDEX)
    return idx


@dataclass
class ParcelArrays:
    """A column store of parcels: destination ids, grams and millimetres (sides sorted desc)."""

    dest: np.ndarray
    grams: np.ndarray
    a: np.ndarray  # longest side, mm
    b: np.ndarray
    c: np.ndarray

    @property
    def n(self) -> int:
        return int(self.dest.shape[0])

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[str, int, int, int, int]]) -> ParcelArrays:
        """Rows of (country, grams, length_mm, width_mm, height_mm)."""
        dest = np.fromiter((country_id(r[0]) for r in rows), dtype=np.int64, count=len(rows))
        arr = np.array([r[1:] for r in rows], dtype=np.int64).reshape(len(rows), 4)
        return cls.from_arrays(dest, arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3])

    @classmethod
    def from_arrays(cls, dest: np.ndarray, grams: np.ndarray, ln: np.ndarray, w: np.ndarray, h: np.ndarray) -> ParcelArrays:
        sides = np.sort(np.stack([ln, w, h], axis=1), axis=1)
        return cls(dest.astype(np.int64), grams.astype(np.int64), sides[:, 2].copy(), sides[:, 1].copy(), sides[:, 0].copy())


def grams_of(text: str) -> int | None:
    """'0.42' -> 420; None when the weight has more than 3 decimals or is not a plain number."""
    t = text.strip()
    whole, _dot, frac = t.partition(".")
    if not whole.isdigit() and not (whole == "" and frac):
        return None
    if frac and (not frac.isdigit() or len(frac.rstrip("0")) > 3):
        return None
    frac = frac.rstrip("0")
    return int(whole or 0) * 1000 + int((frac + "000")[:3] or 0)


def mm_of(text: str) -> int | None:
    """'20' -> 200, '20.5' -> 205; None beyond 1 decimal."""
    t = text.strip()
    whole, _dot, frac = t.partition(".")
    if not whole.isdigit() and not (whole == "" and frac):
        return None
    if frac and (not frac.isdigit() or len(frac.rstrip("0")) > 1):
        return None
    frac = frac.rstrip("0")
    return int(whole or 0) * 10 + int(frac or 0)


class Unsupported(Exception):
    pass


class _GtMm:
    """``side_mm > limit_cm`` exactly, for a Decimal limit in cm (or cm³ for volumes)."""

    def __init__(self, limit: Decimal, unit: int):
        f = Fraction(limit) * unit
        self.num, self.den = f.numerator, f.denominator

    def gt(self, x: np.ndarray) -> np.ndarray:
        return x * self.den > self.num


class CompiledCard:
    def __init__(self, card: RateCard, on: date):
        self.card = card
        self.code = card.code
        self.currency = card.currency
        self.active = card.in_force(on) and "CN" in card.origins and card.delivers_to == "buyer"
        lim = card.limits

        def grams(d: Decimal | None) -> int | None:
            if d is None:
                return None
            g = _scaled(d, 1000)
            if g is None:
                raise Unsupported("weight limit finer than a gram")
            return g

        self.max_g = grams(lim.max_weight_kg)
        self.min_g_raw = grams(lim.min_weight_kg)
        self.max_a = _GtMm(lim.max_longest_side_cm, 10) if lim.max_longest_side_cm is not None else None
        self.max_b = _GtMm(lim.max_second_side_cm, 10) if lim.max_second_side_cm is not None else None
        self.max_sum = _GtMm(lim.max_sum_of_sides_cm, 10) if lim.max_sum_of_sides_cm is not None else None
        self.max_girth = _GtMm(lim.max_length_plus_girth_cm, 10) if lim.max_length_plus_girth_cm is not None else None
        vol = card.volumetric
        self.vol_div: Fraction | None = Fraction(vol.divisor) if vol else None
        self.vol_side = _GtMm(vol.applies_when_longest_side_cm_over, 10) if vol and vol.applies_when_longest_side_cm_over is not None else None
        self.vol_volume = _GtMm(vol.applies_when_volume_cm3_over, 1000) if vol and vol.applies_when_volume_cm3_over is not None else None
        mc = card.min_chargeable_kg
        self.min_charge_g = int((mc * 1000).to_integral_value(rounding="ROUND_CEILING")) if mc is not None else None
        self.rounding = [(grams(r.up_to_kg) if r.up_to_kg is not None else None, int(r.step_kg * 1000)) for r in card.rounding]
        # zones: country-only zones are reachable without a postcode
        self.zone_of: dict[int, int] = {}
        self.zones: list[tuple] = []  # type: ignore[type-arg]
        for z in card.zones:
            if z.postcodes:
                continue
            zi = len(self.zones)
            self.zones.append(self._compile_zone(z))
            for c in z.countries:
                self.zone_of.setdefault(country_id(c), zi)
        self.surcharges: list[tuple] = []  # type: ignore[type-arg]
        for s in card.surcharges:
            if not s.in_force(on) or s.postcodes or s.contents:
                continue  # never applies to a batch row (no postcode / contents)
            if s.type == "remote_area":
                continue
            value = _scaled(s.value, S)
            if value is None:
                raise Unsupported("surcharge value with more than 4 decimals")
            minimum = _scaled(s.minimum, S) if s.minimum is not None else None
            if s.minimum is not None and (minimum is None or s.type in ("percent", "fuel_percent")):
                raise Unsupported("minimum on a percent surcharge")
            self.surcharges.append(
                (
                    s.type,
                    value,
                    minimum,
                    np.array(sorted(country_id(c) for c in s.countries), dtype=np.int64) if s.countries else None,
                    _GtMm(s.longest_side_cm_over, 10) if s.longest_side_cm_over is not None else None,
                    grams(s.actual_weight_kg_over),
                )
            )

    def _compile_zone(self, z):  # type: ignore[no-untyped-def]
        def sc(d: Decimal) -> int:
            v = _scaled(d, S)
            if v is None:
                raise Unsupported("price with more than 4 decimals")
            return v

        if z.per_cbm is not None:
            return ("cbm",)
        if z.bands:
            ups = []
            for b in z.bands:
                g = _scaled(b.up_to_kg, 1000)
                if g is None:
                    raise Unsupported("band bound finer than a gram")
                ups.append(g)
            return (
                "bands",
                np.array(ups, dtype=np.int64),
                np.array([sc(b.per_kg) for b in z.bands], dtype=np.int64),
                np.array([sc(b.per_piece) for b in z.bands], dtype=np.int64),
            )
        if z.first_weight is not None:
            fw = z.first_weight
            add = z.additional
            fg = _scaled(fw.kg, 1000)
            if fg is None or (add is not None and _scaled(add.step_kg, 1000) is None):
                raise Unsupported("first weight / step finer than a gram")
            up = _scaled(add.up_to_kg, 1000) if add is not None and add.up_to_kg is not None else None
            return (
                "first",
                fg,
                sc(fw.price),
                _scaled(add.step_kg, 1000) if add else None,
                sc(add.price) if add else None,
                up,
            )
        ws = []
        for tw in self.card.table_weights_kg:
            g = _scaled(tw, 1000)
            if g is None:
                raise Unsupported("table weight finer than a gram")
            ws.append(g)
        above = sc(z.above_table_per_kg) if z.above_table_per_kg is not None else None
        return ("table", np.array(ws, dtype=np.int64), np.array([sc(p) for p in z.prices], dtype=np.int64), above)

    # ---------------------------------------------------------------------------------------
    def price(self, p: ParcelArrays) -> np.ndarray:
        """Total price in cents per parcel; -1 where the card cannot carry it; -2 = use Decimal."""
        n = p.n
        out = np.full(n, NONE, dtype=np.int64)
        if not self.active or not self.zones:
            return out
        # zone per parcel
        zi = np.full(n, NONE, dtype=np.int64)
        if self.zone_of:
            keys = np.array(sorted(self.zone_of), dtype=np.int64)
            vals = np.array([self.zone_of[k] for k in sorted(self.zone_of)], dtype=np.int64)
            pos = np.searchsorted(keys, p.dest)
            pos_c = np.minimum(pos, len(keys) - 1)
            hit = keys[pos_c] == p.dest
            zi = np.where(hit, vals[pos_c], NONE)
        ok = zi >= 0
        g = p.grams
        if self.max_g is not None:
            ok &= g <= self.max_g
        if self.min_g_raw is not None:
            ok &= g >= self.min_g_raw
        if self.max_a is not None:
            ok &= ~self.max_a.gt(p.a)
        if self.max_b is not None:
            ok &= ~self.max_b.gt(p.b)
        if self.max_sum is not None:
            ok &= ~self.max_sum.gt(p.a + p.b + p.c)
        if self.max_girth is not None:
            ok &= ~self.max_girth.gt(p.a + 2 * (p.b + p.c))
        # billable grams
        w = g.copy()
        if self.vol_div is not None:
            mm3 = p.a * p.b * p.c
            d = self.vol_div
            vg = -((-mm3 * d.denominator) // d.numerator)
            applies = np.ones(n, dtype=bool)
            if self.vol_side is not None:
                applies &= self.vol_side.gt(p.a)
            if self.vol_volume is not None:
                applies &= self.vol_volume.gt(mm3)
            w = np.where(applies, np.maximum(w, vg), w)
        if self.min_charge_g is not None:
            w = np.maximum(w, self.min_charge_g)
        if self.rounding:
            done = np.zeros(n, dtype=bool)
            for up, step in self.rounding:
                sel = ~done if up is None else (~done & (w <= up))
                w = np.where(sel, -((-w) // step) * step, w)
                done |= sel
        freight = np.zeros(n, dtype=np.int64)
        for k, z in enumerate(self.zones):
            sel = ok & (zi == k)
            if not sel.any():
                continue
            kind = z[0]
            ws = w[sel]
            if kind == "cbm":
                out[sel] = -2
                ok &= ~sel
                continue
            if kind == "bands":
                ups, per_kg, per_piece = z[1], z[2], z[3]
                idx = np.searchsorted(ups, ws, side="left")
                heavy = idx >= len(ups)
                idx_c = np.minimum(idx, len(ups) - 1)
                f = _half_up_div(per_kg[idx_c] * ws, 100_000) + _half_up_div(per_piece[idx_c], 100)
            elif kind == "first":
                fg, fprice, step, sprice, up = z[1], z[2], z[3], z[4], z[5]
                f = np.full(ws.shape, int(_half_up_div(np.array(fprice), 100)), dtype=np.int64)
                over = ws > fg
                heavy = np.zeros(ws.shape, dtype=bool)
                if step is None:
                    heavy = over
                else:
                    steps = np.where(over, -((-(ws - fg)) // step), 0)
                    f = f + np.where(over, _half_up_div(steps * sprice, 100), 0)
                    if up is not None:
                        heavy = ws > up
            else:
                tws, prices, above = z[1], z[2], z[3]
                idx = np.searchsorted(tws, ws, side="left")
                beyond = idx >= len(tws)
                idx_c = np.minimum(idx, len(tws) - 1)
                f = _half_up_div(prices[idx_c], 100)
                if above is not None:
                    f = np.where(beyond, _half_up_div(above * ws, 100_000), f)
                    heavy = np.zeros(ws.shape, dtype=bool)
                else:
                    heavy = beyond
            freight[sel] = f
            ok_sel = ok[sel] & ~heavy
            ok[sel] = ok_sel
        total = freight.copy()
        fuel = np.zeros(n, dtype=np.int64)
        for typ, value, minimum, countries, side, over_g in self.surcharges:
            m = ok.copy()
            if countries is not None:
                m &= np.isin(p.dest, countries)
            if side is not None:
                m &= side.gt(p.a)
            if over_g is not None:
                m &= g > over_g
            if not m.any():
                continue
            if typ in ("fuel_percent", "percent"):
                amt = _half_up_div(freight * value, 1_000_000)
                if typ == "fuel_percent":
                    fuel += np.where(m, amt, 0)
                    continue
            elif typ == "per_piece":
                exact = np.full(n, value * 1000, dtype=np.int64)  # 1e-7 units
                if minimum is not None:
                    exact = np.maximum(exact, minimum * 1000)
                amt = _half_up_div(exact, 100_000)
            else:  # per_kg, peak_per_kg
                exact = value * w
                if minimum is not None:
                    exact = np.maximum(exact, minimum * 1000)
                amt = _half_up_div(exact, 100_000)
            total += np.where(m, amt, 0)
        total += fuel
        out[ok] = total[ok]
        return out


class Book:
    """Cards compiled for one date; cards the compiler cannot express stay on the Decimal engine."""

    def __init__(self, cards: Sequence[RateCard], on: date):
        self.on = on
        self.cards = list(cards)
        self.compiled: list[CompiledCard | None] = []
        for c in self.cards:
            try:
                self.compiled.append(CompiledCard(c, on))
            except Unsupported:
                self.compiled.append(None)

    def price_matrix(self, p: ParcelArrays) -> np.ndarray:
        """(parcels × cards) cents; -1 ineligible; -2 must be priced by the Decimal engine."""
        cols = []
        for cc in self.compiled:
            cols.append(np.full(p.n, -2, dtype=np.int64) if cc is None else cc.price(p))
        return np.stack(cols, axis=1) if cols else np.zeros((p.n, 0), dtype=np.int64)

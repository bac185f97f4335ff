"""The compiled integer engine must give exactly the Decimal engine's prices."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import numpy as np

from xborder.logistics.fastrate import Book, ParcelArrays, grams_of, mm_of
from xborder.logistics.pricing import Option, RateRequest, quote

ON = date(2026, 11, 24)


def random_parcels(n: int, seed: int = 7):
    rnd = random.Random(seed)
    dests = ["US", "GB", "DE", "FR", "JP", "AU", "BR", "ZA", "SE", "CN", "IN", "HK"]
    rows = []
    for _ in range(n):
        g = rnd.choice([rnd.randint(1, 600), rnd.randint(1, 3000), rnd.randint(1, 45000), 500, 2000, 21000])
        dims = [rnd.randint(10, 1300) for _ in range(3)]
        rows.append((rnd.choice(dests), g, *dims))
    return rows


def test_grams_and_mm_parsing():
    assert grams_of("0.42") == 420 and grams_of("2") == 2000 and grams_of("1.0005") is None and grams_of(".5") == 500
    assert grams_of("1.2300") == 1230 and grams_of("-1") is None and grams_of("abc") is None
    assert mm_of("20") == 200 and mm_of("20.5") == 205 and mm_of("20.55") is None


def test_fast_engine_equals_decimal_engine(sample_cards, issue_card):
    cards = [*sample_cards, issue_card]
    rows = random_parcels(1500)
    book = Book(cards, ON)
    assert all(cc is not None for cc in book.compiled)
    m = book.price_matrix(ParcelArrays.from_rows(rows))
    checked = 0
    for i, (dest, g, ln, w, h) in enumerate(rows):
        r = RateRequest.build(dest, Decimal(g) / 1000, (Decimal(ln) / 10, Decimal(w) / 10, Decimal(h) / 10), ON)
        for j, c in enumerate(cards):
            got = int(m[i, j])
            if got == -2:
                continue  # per-cbm zone: Decimal engine's job
            res = quote(c, r)
            want = int(res.price * 100) if isinstance(res, Option) else -1
            assert got == want, (c.code, dest, g, ln, w, h, got, want)
            checked += 1
    assert checked > 5000


def test_fast_engine_edges():
    from xborder.logistics.ratecard import parse_card

    card = parse_card(
        "{carrier: X, service: Y, code: x, currency: CNY, valid_from: 2026-01-01, transit_days: {min: 1, max: 2},"
        " limits: {max_weight_kg: 2},"
        " zones: [{countries: [US], bands: [{up_to_kg: 0.5, per_kg: 65, per_piece: 14}, {up_to_kg: 2, per_kg: 60, per_piece: 12}]}]}"
    )
    p = ParcelArrays.from_rows([("US", 500, 100, 100, 100), ("US", 501, 100, 100, 100), ("US", 2000, 1, 1, 1), ("US", 2001, 1, 1, 1)])
    assert Book([card], ON).price_matrix(p)[:, 0].tolist() == [4650, 4206, 13200, -1]
    assert Book([card], date(2025, 1, 1)).price_matrix(p)[:, 0].tolist() == [-1] * 4
    assert np.all(Book([], ON).price_matrix(p).shape == (4, 0))

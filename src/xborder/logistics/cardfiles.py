"""Reading rate card files and folders (I/O edge), and FX helpers for ranking."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from xborder.errors import ValidationError
from xborder.logistics.errors import RateCardInvalid
from xborder.logistics.ratecard import RateCard, parse_card

SAMPLE_DIR = Path(__file__).parent / "cards"


def load_card_file(path: Path) -> RateCard:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise RateCardInvalid(path.name, [{"line": 1, "column": 1, "field": "", "message": "the file is not UTF-8 text"}]) from None
    return parse_card(text, path.name)


def load_cards_dir(folder: str | Path) -> list[RateCard]:
    """Every ``*.yaml`` / ``*.yml`` in ``folder``; any invalid file rejects the folder (all errors listed)."""
    d = Path(folder)
    if not d.is_dir():
        raise ValidationError(f"cards: {folder} is not a folder", field="cards")
    files = sorted([*d.glob("*.yaml"), *d.glob("*.yml")])
    if not files:
        raise ValidationError(f"cards: no *.yaml rate cards in {folder}", field="cards")
    cards: list[RateCard] = []
    errors: list[dict[str, object]] = []
    for f in files:
        try:
            cards.append(load_card_file(f))
        except RateCardInvalid as e:
            errors += [{"file": f.name, **err} for err in e.errors]
    if errors:
        raise RateCardInvalid(str(folder), errors)  # type: ignore[arg-type]
    return cards


def sample_cards() -> list[RateCard]:
    return load_cards_dir(SAMPLE_DIR)


@lru_cache(maxsize=1)
def _ecb():  # type: ignore[no-untyped-def]
    from xborder.fx import ecb

    return ecb.bundled_table()


def ecb_on(on: date, *currencies: str) -> tuple[Any, date]:
    """The ECB reference rates shipped with the app and the day to read them on: ``on``, or the
    last day the history has for these currencies when it ends earlier (callers say so)."""
    table = _ecb()
    latest = min(filter(None, (table.latest_date(c) for c in currencies)), default=None)
    return table, on if latest is None or on <= latest else latest


def fx_for_ranking(to_currency: str, on: date, notes: list[str]) -> Callable[[Decimal, str], Decimal]:
    """Convert with ECB reference rates (bundled history). Ranking only, never a price: when the
    history ends before ``on`` the latest rate is used and a note says so."""

    def conv(amount: Decimal, currency: str) -> Decimal:
        if currency == to_currency:
            return amount
        table, when = ecb_on(on, currency, to_currency)
        q = table.quote(currency, to_currency, when)
        from xborder.money import dec_str

        note = f"converted to {to_currency} with ECB reference rates: 1 {currency} = {dec_str(q.rate, 6)} {to_currency} ({q.on.isoformat()})"
        if when != on:
            note += f" (latest ECB rate available; asked for {on.isoformat()})"
        if note not in notes:
            notes.append(note)
        return amount * q.rate

    return conv


def value_converter(on: date) -> Callable[[Decimal, str, str], Decimal | None]:
    notes: list[str] = []

    def conv(amount: Decimal, cur: str, to: str) -> Decimal | None:
        try:
            return fx_for_ranking(to, on, notes)(amount, cur)
        except Exception:  # noqa: BLE001 - a missing rate only skips the value-cap check
            return None

    return conv

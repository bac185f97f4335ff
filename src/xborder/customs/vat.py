"""EU VAT rates: pure parsers of the two public files and a dated look-up.

* Current rates: ``eu_vat_rates_data_<date>.json`` from the PyPI package ``eu-vat-rates-data``
  (MIT; publisher vatnode.dev; stated source European Commission TEDB). Rates are "as of" the
  file's ``version`` date and carry no history.
* Standard-rate history: ``eu_standard_vat_history_duty27.csv`` extracted from the PyPI package
  ``duty27-eu-vat`` 0.1.0 (data CC BY 4.0, as of 2026-10-04): ``country_code, country,
  effective_from, standard_rate_pct``; rows start in 2016 (the first row per country is
  2016-01-01 even where the rate is older).

Rates are read as exact decimals (the JSON is parsed with ``parse_float=Decimal``). Greece is
``EL`` in the history file and ``GR`` elsewhere: we store ``GR``.

>>> rows = parse_vat_history("country_code,country,effective_from,standard_rate_pct\\nFI,Finland,2016-01-01,24\\nFI,Finland,2024-09-01,25.5\\n")
>>> book = VatBook(rows)
>>> book.standard("FI", date(2024, 8, 31)).rate, book.standard("FI", date(2026, 11, 24)).rate
(Decimal('0.24'), Decimal('0.255'))
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

__all__ = ["VatRate", "VatBook", "parse_vat_history", "parse_vat_current"]

HISTORY_SOURCE = "duty27-eu-vat 0.1.0 standard-rate history (CC BY 4.0, data as of 2026-10-04)"
CURRENT_SOURCE = "eu-vat-rates-data (MIT, vatnode.dev; source European Commission TEDB)"


@dataclass(frozen=True)
class VatRate:
    country: str
    rate: Decimal  # fraction
    valid_from: date
    valid_to: date | None
    source: str
    kind: str = "standard"  # standard | reduced

    def pct(self) -> str:
        return format((self.rate * 100).normalize(), "f")


def _country(code: str) -> str:
    c = code.strip().upper()
    return "GR" if c == "EL" else c


def parse_vat_history(text: str, source: str = HISTORY_SOURCE) -> list[VatRate]:
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.DictReader(io.StringIO(text))
    need = {"country_code", "effective_from", "standard_rate_pct"}
    missing = need - set(reader.fieldnames or [])
    if missing:
        raise ValueError(f"not a VAT history CSV: missing column(s) {', '.join(sorted(missing))}")
    per: dict[str, list[tuple[date, Decimal]]] = {}
    for n, row in enumerate(reader, start=2):
        try:
            d = date.fromisoformat(row["effective_from"].strip())
            r = Decimal(row["standard_rate_pct"].strip()) / 100
        except Exception as exc:  # noqa: BLE001 - reported with the line
            raise ValueError(f"line {n}: {exc}") from None
        per.setdefault(_country(row["country_code"]), []).append((d, r))
    out: list[VatRate] = []
    for c, items in per.items():
        items.sort()
        for i, (d, r) in enumerate(items):
            to = items[i + 1][0] - timedelta(days=1) if i + 1 < len(items) else None
            out.append(VatRate(c, r, d, to, source))
    return out


def parse_vat_current(text: str) -> tuple[str, list[VatRate]]:
    """(version, rates) from the eu-vat-rates-data JSON: standard and reduced rates as of ``version``."""
    data = json.loads(text.lstrip("\ufeff"), parse_float=Decimal)
    if not isinstance(data, dict) or "rates" not in data:
        raise ValueError("not an eu-vat-rates-data JSON: no 'rates' key")
    version = str(data.get("version") or "")
    on = date.fromisoformat(version) if version else date.today()
    src = f"{CURRENT_SOURCE}, version {version}"
    out: list[VatRate] = []
    for code, info in sorted(data["rates"].items()):
        std = info.get("standard")
        if std is not None:
            out.append(VatRate(_country(code), Decimal(std) / 100, on, None, src, "standard"))
        for red in info.get("reduced") or []:
            out.append(VatRate(_country(code), Decimal(red) / 100, on, None, src, "reduced"))
    return version, out


class VatBook:
    """Dated standard rates; the history wins, the current file fills countries it lacks."""

    def __init__(self, rates: list[VatRate]):
        self._std: dict[str, list[VatRate]] = {}
        for r in rates:
            if r.kind == "standard":
                self._std.setdefault(r.country, []).append(r)
        for items in self._std.values():
            items.sort(key=lambda r: r.valid_from)

    def countries(self) -> set[str]:
        return set(self._std)

    def standard(self, country: str, on: date) -> VatRate | None:
        best = None
        for r in self._std.get(_country(country), []):
            if r.valid_from <= on and (r.valid_to is None or on <= r.valid_to):
                best = r
        if best is None:
            # a current-rates row ("as of" its version date) also describes later dates
            for r in self._std.get(_country(country), []):
                if r.valid_from <= on:
                    best = r
        return best

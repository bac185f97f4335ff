"""Clothing and shoe sizes between CN, US, EU and UK.

Clothing: a table (``data/sizes.yaml``, with sources) maps the alpha label (S, M, L...) to the
Chinese 号型 (GB/T 1335-2008, e.g. ``170/88A`` = height 170 cm, chest 88 cm, body type A) and the
US, UK and EU labels, with the chest/bust range in cm so a buyer can check.

Shoes: computed from foot length (ISO/TS 19407:2015 conversion formulas; CN Mondopoint
GB/T 3293.1-1998 uses the foot length in mm):

* last length = foot length + 15 mm (allowance, the convention behind the Paris point);
* EU (Paris point, 2/3 cm) = last_cm x 1.5;
* UK (barleycorn, 1/3 in) = last_in x 3 - 25 (men and women share the UK scale);
* US men = UK + 1; US women = UK + 2.

Results are rounded half-up to whole (EU) or half sizes (UK/US). They are approximations,
brands differ: the draft always states the foot length in cm and in.

>>> s = shoe_sizes(Decimal(250))
>>> (s.cn, s.eu, s.uk, s.us_men, s.us_women)
('250', '40', '6.5', '7.5', '8.5')
>>> clothing("mens_tops", "M")["cn"]
'170/88A'
>>> from_system("womens_tops", "uk", "12")["label"]
'M'
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from xborder.errors import ValidationError
from xborder.money import to_decimal

MM_PER_IN = Decimal("25.4")
SYSTEMS = ("cn", "us", "uk", "eu", "label")


@lru_cache(maxsize=1)
def _table() -> dict[str, Any]:
    return yaml.safe_load((resources.files("xborder.listings") / "data" / "sizes.yaml").read_text(encoding="utf-8"))


def charts() -> list[str]:
    return [k for k, v in _table().items() if isinstance(v, list)]


def clothing(chart: str, label: str) -> dict[str, Any]:
    rows = _table().get(chart)
    if not isinstance(rows, list):
        raise ValidationError(f"size_chart: unknown chart {chart!r}; known: {', '.join(charts())}", field="size_chart")
    for row in rows:
        if row["label"].upper() == label.strip().upper():
            return dict(row)
    raise ValidationError(f"size: {label!r} is not in chart {chart}", field="size")


def from_system(chart: str, system: str, value: str) -> dict[str, Any]:
    """Find the row whose ``system`` label contains ``value`` (e.g. UK "12" is in "12-14")."""
    if system not in SYSTEMS:
        raise ValidationError(f"size_system: expected one of {', '.join(SYSTEMS)}", field="size_system")
    rows = _table().get(chart) or []
    v = value.strip().upper()
    for row in rows:
        cell = str(row[system]).upper()
        if v == cell or v in cell.split("-") or (system == "cn" and cell.startswith(v + "/")):
            return dict(row)
    raise ValidationError(f"size: {system.upper()} {value!r} not found in chart {chart}", field="size")


def _half(x: Decimal) -> Decimal:
    return (x * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2


def _s(x: Decimal) -> str:
    return format(x.normalize(), "f") if x == x.to_integral_value() else format(x, "f")


@dataclass(frozen=True)
class ShoeSizes:
    foot_mm: Decimal
    cn: str
    eu: str
    uk: str
    us_men: str
    us_women: str

    def to_dict(self) -> dict[str, str]:
        return {"foot_mm": _s(self.foot_mm), "cn": self.cn, "eu": self.eu, "uk": self.uk, "us_men": self.us_men, "us_women": self.us_women}


def shoe_sizes(foot_mm: Decimal) -> ShoeSizes:
    foot = to_decimal(foot_mm, "foot_mm")
    if not Decimal(150) <= foot <= Decimal(350):
        raise ValidationError("foot_mm: expected an adult foot length between 150 and 350 mm", field="foot_mm")
    last_mm = foot + 15
    eu = (last_mm / 10 * Decimal("1.5")).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    uk = _half(last_mm / MM_PER_IN * 3 - 25)
    cn = (foot / 5).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 5  # Mondopoint in 5 mm steps
    return ShoeSizes(foot, _s(cn), _s(eu), _s(uk), _s(uk + 1), _s(uk + 2))

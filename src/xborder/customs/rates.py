"""Duty rate expressions: parse the free-form rate text of the US HTS ("General" column) and of
the UK Global Tariff / EU CET columns into ad valorem, specific and compound components, and
compute a duty from them.

Formats seen in the sources (USITC HTSUS 2025 Basic Edition CSV; UK Global Tariff 2021 CSV as
published by DIT on 2020-12-02 with the EU CET column):

* ``Free`` / ``0.0%``                                       -> free
* ``6.8%``                                                  -> ad valorem
* ``1¢/kg``, ``$1.646/kg``, ``0.9¢ each``, ``2.8¢/doz.``,
  ``34.00 GBP/100kg``, ``41.20 EUR / 100 kg``, ``0.20 GBP/ item``  -> specific
* ``46.3¢/kg + 14.9%``, ``10.00% + 77.00 GBP/100kg``          -> compound (sum of components)
* anything conditional (``on drained weight``, ``on the case``, ``MIN``/``MAX``, ``EA``,
  ``Entry Price``, seasonal rates, "The rate applicable to ...") -> ``complex``: kept verbatim,
  and :func:`compute_duty` refuses it so the user passes an explicit ``duty_rate``.

A specific duty needs a quantity in its unit: kg comes from the line weight, items/pairs/dozens
from the line quantity; litres, hectolitres, % vol, m2 ... are not known for a parcel line and
make the rate not computable (never guessed).

>>> r = parse_rate("46.3¢/kg + 14.9%")
>>> r.kind, r.ad_valorem, r.specific[0].amount, r.specific[0].currency, r.specific[0].unit
('compound', Decimal('0.149'), Decimal('0.463'), 'USD', 'kg')
>>> parse_rate("10.00% + 77.00 GBP/100kg").specific[0].per
Decimal('100')
>>> compute_duty(parse_rate("16.5%"), value=Decimal("20"), quantity=Decimal(2), weight_kg=Decimal("0.4"))
Decimal('3.300')
>>> parse_rate("3.7¢/kg on drained weight").kind
'complex'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["DutyRate", "SpecificDuty", "compute_duty", "parse_rate", "RateNotComputable"]


class RateNotComputable(ValueError):
    """Raised by :func:`compute_duty` with the reason (caught and re-raised with the field by callers)."""


@dataclass(frozen=True)
class SpecificDuty:
    """``amount`` of ``currency`` per ``per`` ``unit`` (e.g. 77 GBP per 100 kg)."""

    amount: Decimal
    currency: str
    per: Decimal
    unit: str

    def describe(self) -> str:
        per = "" if self.per == 1 else f"{self.per} "
        return f"{self.amount} {self.currency}/{per}{self.unit}"


@dataclass(frozen=True)
class DutyRate:
    text: str
    kind: str  # free | ad_valorem | specific | compound | complex
    ad_valorem: Decimal | None = None  # a fraction: 0.165 for 16.5%
    specific: tuple[SpecificDuty, ...] = ()

    @property
    def computable(self) -> bool:
        return self.kind != "complex"

    def describe(self) -> str:
        parts = []
        if self.ad_valorem is not None:
            parts.append(f"{_pct(self.ad_valorem)}%")
        parts.extend(s.describe() for s in self.specific)
        return " + ".join(parts) if parts else ("free" if self.kind == "free" else self.text)


def _pct(fraction: Decimal) -> str:
    s = format((fraction * 100).normalize(), "f")
    return s


_NUM = r"\d[\d,]*(?:\.\d+)?|\.\d+"
_AV = re.compile(rf"^({_NUM})\s*%$")
# US: "1¢/kg", "$1.646/kg", "0.9¢ each", "2.8¢/doz.", "76¢/pr.", "89.6¢/1000", "$1.24/t", "68¢/head"
_US_SPEC = re.compile(
    rf"^(?P<dollar>\$)?(?P<num>{_NUM})\s*(?P<cent>¢)?\s*(?:(?P<each>each)|/\s*(?P<unit>[A-Za-z.]+|\d[\d,]*))$"
)
# EU/UK: "41.20 EUR / 100 kg", "34.00 GBP/100kg", "0.20 GBP/ item", "52.00 EUR / 1,000 items", "114.00 EUR / tonne"
_EU_SPEC = re.compile(rf"^(?P<num>{_NUM})\s*(?P<ccy>EUR|GBP)\s*/\s*(?:(?P<per>{_NUM})\s*)?(?P<unit>[A-Za-z. ]+?)\s*$")

_UNITS = {
    "kg": "kg",
    "t": "tonne",
    "tonne": "tonne",
    "each": "item",
    "item": "item",
    "items": "item",
    "head": "item",
    "no.": "item",
    "pr.": "pair",
    "pair": "pair",
    "doz.": "doz",
    "gross": "gross",
    "liter": "liter",
    "l": "liter",
    "hl": "hl",
    "bbl": "bbl",
    "m2": "m2",
    "m3": "m3",
    "m": "m",
}


def _num(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


def _component(text: str) -> tuple[str, object] | None:
    t = text.strip()
    m = _AV.match(t)
    if m:
        return "av", _num(m.group(1)) / 100
    m = _US_SPEC.match(t)
    if m:
        amount = _num(m.group("num"))
        if m.group("cent"):
            amount = amount / 100
        elif not m.group("dollar"):
            return None
        if m.group("each"):
            return "sp", SpecificDuty(amount, "USD", Decimal(1), "item")
        unit = m.group("unit")
        if unit[0].isdigit():
            return "sp", SpecificDuty(amount, "USD", _num(unit), "item")
        u = _UNITS.get(unit.lower())
        if u is None:
            return None
        return "sp", SpecificDuty(amount, "USD", Decimal(1), u)
    m = _EU_SPEC.match(t)
    if m:
        unit = _UNITS.get(m.group("unit").strip().lower())
        if unit is None:
            return None
        per = _num(m.group("per")) if m.group("per") else Decimal(1)
        return "sp", SpecificDuty(_num(m.group("num")), m.group("ccy"), per, unit)
    return None


def parse_rate(text: str) -> DutyRate:
    """Parse one rate cell. Never raises: what cannot be parsed is ``complex`` (kept verbatim)."""
    raw = (text or "").strip()
    if not raw:
        return DutyRate(raw, "complex")
    if raw.lower() == "free":
        return DutyRate(raw, "free", Decimal(0))
    parts = [p for p in re.split(r"\s*\+\s*", raw)]
    av: Decimal | None = None
    specific: list[SpecificDuty] = []
    for part in parts:
        try:
            comp = _component(part)
        except InvalidOperation:
            comp = None
        if comp is None:
            return DutyRate(raw, "complex")
        kind, value = comp
        if kind == "av":
            if av is not None:
                return DutyRate(raw, "complex")
            av = value  # type: ignore[assignment]
        else:
            specific.append(value)  # type: ignore[arg-type]
    if av is not None and not specific:
        return DutyRate(raw, "free" if av == 0 else "ad_valorem", av)
    if av is None and len(specific) == 1:
        return DutyRate(raw, "specific", None, tuple(specific))
    return DutyRate(raw, "compound", av, tuple(specific))


def ad_valorem(fraction: Decimal, text: str | None = None) -> DutyRate:
    """A plain ad valorem rate (used for a user's ``duty_rate`` override)."""
    return DutyRate(text or f"{_pct(fraction)}%", "free" if fraction == 0 else "ad_valorem", fraction)


def unit_quantity(unit: str, quantity: Decimal, weight_kg: Decimal | None) -> Decimal:
    if unit == "kg":
        if weight_kg is None:
            raise RateNotComputable("a specific duty per kg needs weight_kg")
        return weight_kg
    if unit == "tonne":
        if weight_kg is None:
            raise RateNotComputable("a specific duty per tonne needs weight_kg")
        return weight_kg / 1000
    if unit in ("item", "pair"):
        return quantity
    if unit == "doz":
        return quantity / 12
    if unit == "gross":
        return quantity / 144
    raise RateNotComputable(f"a specific duty per {unit} needs a quantity in {unit}, which a parcel line does not carry")


def compute_duty(
    rate: DutyRate,
    *,
    value: Decimal,
    quantity: Decimal,
    weight_kg: Decimal | None,
    fx: dict[str, Decimal] | None = None,
) -> Decimal:
    """Duty in the currency of ``value`` (unrounded).

    ``fx`` maps a specific duty's currency (USD/EUR/GBP) to units of the value's currency
    (include the value's own currency with 1); ``None`` means all amounts are in one currency.
    """
    if not rate.computable:
        raise RateNotComputable(f"rate {rate.text!r} is conditional or not machine-computable")
    duty = Decimal(0)
    if rate.ad_valorem is not None:
        duty += value * rate.ad_valorem
    for sp in rate.specific:
        q = unit_quantity(sp.unit, quantity, weight_kg)
        amount = sp.amount * q / sp.per
        if fx is not None:
            if sp.currency not in fx:
                raise RateNotComputable(f"no exchange rate for the specific duty currency {sp.currency}")
            amount = amount * fx[sp.currency]
        duty += amount
    return duty

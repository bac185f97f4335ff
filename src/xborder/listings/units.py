"""Unit conversions for listings: centimetres/inches and grams/ounces/pounds.

Exact definitions (International Yard and Pound Agreement, 1959; NIST SP 811, 2008 edition,
appendix B): 1 in = 2.54 cm, 1 lb = 453.59237 g, 1 oz = 1/16 lb = 28.349523125 g.
All arithmetic is Decimal; rounding is half-up to the places given (1 decimal for inches and
ounces, 2 for pounds by default).

US marketplaces show imperial first with metric in brackets; everywhere else metric first.

>>> cm_to_in(Decimal("2.54"))
Decimal('1.0')
>>> grams_to_oz(Decimal("100"))
Decimal('3.5')
>>> format_dimensions([Decimal("15"), Decimal("7.5"), Decimal("1.2")], "US")
'5.9 x 3.0 x 0.5 in (15 x 7.5 x 1.2 cm)'
>>> format_weight(Decimal("850"), "US")
'1.87 lb (850 g)'
>>> format_weight(Decimal("120"), "DE")
'120 g (4.2 oz)'
"""

from __future__ import annotations

from decimal import Decimal

from xborder.money import quantize, to_decimal

CM_PER_IN = Decimal("2.54")
G_PER_LB = Decimal("453.59237")
G_PER_OZ = G_PER_LB / 16  # 28.349523125 exactly
IMPERIAL_COUNTRIES = frozenset({"US", "LR", "MM"})


def cm_to_in(cm: Decimal, places: int = 1) -> Decimal:
    return quantize(to_decimal(cm, "cm") / CM_PER_IN, places)


def in_to_cm(inches: Decimal, places: int = 1) -> Decimal:
    return quantize(to_decimal(inches, "in") * CM_PER_IN, places)


def grams_to_oz(g: Decimal, places: int = 1) -> Decimal:
    return quantize(to_decimal(g, "g") / G_PER_OZ, places)


def grams_to_lb(g: Decimal, places: int = 2) -> Decimal:
    return quantize(to_decimal(g, "g") / G_PER_LB, places)


def oz_to_grams(oz: Decimal, places: int = 0) -> Decimal:
    return quantize(to_decimal(oz, "oz") * G_PER_OZ, places)


def lb_to_grams(lb: Decimal, places: int = 0) -> Decimal:
    return quantize(to_decimal(lb, "lb") * G_PER_LB, places)


def _plain(d: Decimal) -> str:
    s = format(d.normalize(), "f") if d == d.to_integral_value() else format(d, "f")
    return s


def format_dimensions(cm: list[Decimal], country: str) -> str:
    """Dimensions given in cm, written for ``country`` (imperial first in the US)."""
    metric = " x ".join(_plain(to_decimal(v, "cm")) for v in cm) + " cm"
    imperial = " x ".join(format(cm_to_in(v), "f") for v in cm) + " in"
    return f"{imperial} ({metric})" if country.upper() in IMPERIAL_COUNTRIES else f"{metric} ({imperial})"


def format_weight(grams: Decimal, country: str) -> str:
    """Weight given in grams; ounces below 1 lb, pounds from 1 lb (453.59237 g) up."""
    g = to_decimal(grams, "weight_g")
    metric = f"{_plain(g)} g" if g < 1000 else f"{_plain(quantize(g / 1000, 2))} kg"
    imperial = f"{format(grams_to_oz(g), 'f')} oz" if g < G_PER_LB else f"{format(grams_to_lb(g), 'f')} lb"
    return f"{imperial} ({metric})" if country.upper() in IMPERIAL_COUNTRIES else f"{metric} ({imperial})"

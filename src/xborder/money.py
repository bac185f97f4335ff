"""Money: an exact ``Decimal`` amount with an ISO 4217 currency.

Rules:
* amounts are never floats: a float argument raises ``TypeError``;
* adding or comparing two currencies raises ``CurrencyMismatch``;
* rounding happens only through :func:`Money.round` / :func:`quantize` at documented points,
  half-up (commercial rounding, as tax offices and marketplaces round), to the currency's minor
  units from ISO 4217 (via Babel's CLDR data): JPY 0, CNY 2, KWD 3.

>>> Money("10.005", "CNY").round()
Money('10.01', 'CNY')
>>> Money("1234.5", "JPY").round()
Money('1235', 'JPY')
>>> minor_units("KWD")
3
>>> Money("1", "USD") + Money("2.50", "USD")
Money('3.50', 'USD')
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Union

import pycountry
from babel.numbers import get_currency_precision

from xborder.errors import CurrencyMismatch, ValidationError

Number = Union[Decimal, int, str]


@lru_cache(maxsize=512)
def minor_units(currency: str) -> int:
    return int(get_currency_precision(currency))


@lru_cache(maxsize=512)
def is_currency(code: str) -> bool:
    return isinstance(code, str) and len(code) == 3 and pycountry.currencies.get(alpha_3=code.upper()) is not None


def check_currency(code: str, field: str = "currency") -> str:
    if not isinstance(code, str) or not is_currency(code.strip().upper()):
        raise ValidationError(f"{field}: unknown ISO 4217 currency code {code!r}", field=field)
    return code.strip().upper()


MAX_ABS = Decimal("1e13")  # any amount, quantity or rate a user types stays below this


def to_decimal(value: object, field: str = "amount") -> Decimal:
    """Parse a decimal from str/int/Decimal. Floats are refused: they are not exact."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool):
        raise ValidationError(f"{field}: expected a decimal number, got a boolean", field=field)
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValidationError(f"{field}: {value!r} is not a decimal number", field=field) from None
    elif isinstance(value, float):
        raise TypeError(f"{field}: floats are not accepted for money; pass a string or Decimal")
    else:
        raise ValidationError(f"{field}: expected a decimal number, got {type(value).__name__}", field=field)
    if not result.is_finite():
        raise ValidationError(f"{field}: {value!r} is not a finite number", field=field)
    if abs(result) >= MAX_ABS:  # the store keeps 4 decimals in 64 bits (about ±9.2e14)
        raise ValidationError(f"{field}: {value!r} is too large (at most 13 digits before the decimal point)", field=field)
    return result


def quantize(value: Decimal, places: int) -> Decimal:
    """Round half-up to ``places`` decimals (the one rounding helper everything uses)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __init__(self, amount: Number, currency: str):
        object.__setattr__(self, "amount", to_decimal(amount))
        object.__setattr__(self, "currency", check_currency(currency))

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def _check(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._check(other).amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._check(other).amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Number) -> Money:
        if isinstance(factor, Money):
            raise TypeError("cannot multiply Money by Money")
        return Money(self.amount * to_decimal(factor, "factor"), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Number) -> Money:
        return Money(self.amount / to_decimal(divisor, "divisor"), self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._check(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._check(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._check(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._check(other).amount

    def __bool__(self) -> bool:
        return bool(self.amount)

    def round(self, places: int | None = None) -> Money:
        return Money(quantize(self.amount, minor_units(self.currency) if places is None else places), self.currency)

    def convert(self, rate: Number, to_currency: str) -> Money:
        """Multiply by ``rate`` (units of ``to_currency`` per unit of this currency); not rounded."""
        return Money(self.amount * to_decimal(rate, "rate"), to_currency)

    def to_str(self) -> str:
        """The amount as a plain decimal string rounded to the currency's minor units."""
        return format(self.round().amount, "f")

    def __repr__(self) -> str:
        return f"Money({format(self.amount, 'f')!r}, {self.currency!r})"

    def __str__(self) -> str:
        return f"{self.to_str()} {self.currency}"


def dec_str(value: Decimal, places: int | None = None) -> str:
    """A Decimal as a plain string (no exponent), optionally rounded half-up."""
    if places is not None:
        value = quantize(value, places)
    return format(value, "f")

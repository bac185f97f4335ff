"""Landed-cost value objects: the shipment asked about, dated rules with citations, and the
result with one explanation line per rule (pure; no I/O).

A calculation runs in the destination's currency (thresholds are set there), rounds the way
that country rounds, and converts each charge back into the shipment's currency at the same
dated rate (the explanation shows the rate and its date).

Every rule carries its title in English and Chinese (``title_zh``, shown on the Chinese
pages); every explanation line carries the :class:`~xborder.customs.messages.Msg` it was
rendered from (``rule`` is its English text).

>>> r = Rule("XX.TEST", "XX", "Test rule", date(2025, 1, 1), date(2025, 12, 31), "Test Act s.1", title_zh="测试规则")
>>> r.applies(date(2025, 6, 1)), r.applies(date(2026, 1, 1))
(True, False)
>>> r.title_bi.zh
'测试规则'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from xborder.customs.messages import Bi, Msg
from xborder.customs.tariffs import TariffMatch
from xborder.customs.vat import VatBook
from xborder.fx.model import FxQuote

INCOTERMS = ("DDP", "DAP")
CHANNELS = ("marketplace", "own_store")
COLLECTED = ("checkout", "border", "none")


@dataclass(frozen=True)
class Rule:
    """One dated rule as written in this project, with its legal or official source."""

    id: str
    country: str
    title: str
    valid_from: date
    valid_to: date | None
    source: str
    params: Mapping[str, Any] = field(default_factory=dict)
    verify: bool = False  # the research notes could not confirm it from a primary source
    title_zh: str = ""  # the title in Chinese (rule browser and explanations on zh-CN pages)

    @property
    def title_bi(self) -> Bi:
        return Bi(self.title, self.title_zh or self.title)

    def applies(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def cite(self) -> str:
        return self.source + (" (verify)" if self.verify else "")


def pick(rules: Iterable[Rule], rule_id: str, on: date) -> Rule | None:
    """The version of ``rule_id`` in force on ``on`` (latest ``valid_from`` wins)."""
    best = None
    for r in rules:
        if r.id == rule_id and r.applies(on) and (best is None or r.valid_from > best.valid_from):
            best = r
    return best


@dataclass(frozen=True)
class Line:
    index: int
    hs_code: str | None
    description: str
    origin: str | None
    quantity: Decimal
    unit_value: Decimal
    weight_kg: Decimal | None  # per unit
    duty_rate: Decimal | None = None  # explicit ad valorem override (fraction)
    vat_rate: Decimal | None = None  # explicit VAT/GST rate (a reduced rate), fraction

    @property
    def value(self) -> Decimal:
        return self.quantity * self.unit_value

    @property
    def total_weight_kg(self) -> Decimal | None:
        return None if self.weight_kg is None else self.weight_kg * self.quantity

    @property
    def field(self) -> str:
        return f"lines[{self.index}]"


@dataclass(frozen=True)
class Shipment:
    destination: str
    on: date
    currency: str
    incoterm: str
    channel: str
    shipping: Decimal
    insurance: Decimal
    lines: tuple[Line, ...]
    # optional refinements (extra input keys; defaults documented in docs/customs.md)
    ioss: bool = True  # EU: the seller (own store) is IOSS-registered
    postal: bool = False  # CA/US: mail instead of courier
    region: str | None = None  # CA province (HST), BR state (ICMS)
    remessa_conforme: bool | None = None  # BR: platform certified; default: marketplace=yes
    ignored: tuple[str, ...] = ()  # input fields we do not know (shown in the explanation)

    @property
    def goods_value(self) -> Decimal:
        return sum((ln.value for ln in self.lines), Decimal(0))


@dataclass(frozen=True)
class Charge:
    kind: str  # duty | tax | fee
    amount: Decimal  # in the regime's currency, rounded as that country rounds
    rule: str
    source: str
    collected_at: str  # checkout | border
    line: int | None = None
    msg: Msg | None = None  # the translatable form of ``rule``


@dataclass(frozen=True)
class Note:
    rule: str
    source: str
    msg: Msg | None = None


class TariffSource(Protocol):
    def lookup(self, schedule: str, code: str, on: date) -> TariffMatch | None: ...


@dataclass(frozen=True)
class ExtraDuty:
    """An additional duty programme row (Section 301, Section 122 ...): data a user can extend."""

    programme: str
    destination: str
    origin: str  # ISO alpha-2 or "*"
    hs_prefix: str
    rate: Decimal  # fraction
    valid_from: date
    valid_to: date | None
    source: str
    note: str = ""

    def in_force(self, destination: str, origin: str | None, on: date) -> bool:
        """For this destination, origin and date (whatever the code)."""
        return (
            self.destination == destination
            and (self.origin == "*" or (origin or "").upper() == self.origin)
            and self.valid_from <= on
            and (self.valid_to is None or on <= self.valid_to)
        )

    def applies(self, destination: str, origin: str | None, code: str, on: date) -> bool:
        return code.startswith(self.hs_prefix) and self.in_force(destination, origin, on)


class ExtraDutyTable(tuple):  # type: ignore[type-arg]
    """Extra-duty rows (a tuple of :class:`ExtraDuty`) with look-ups by destination and code
    prefix, built on first use: a synced Section 301 list has ~19,000 rows, and a linear scan
    per order line made profit reports over many orders slow."""

    def _index(self) -> tuple[dict[tuple[str, str], list[ExtraDuty]], dict[tuple[str, str], list[ExtraDuty]]]:
        idx = self.__dict__.get("_idx")
        if idx is None:
            by_prefix: dict[tuple[str, str], list[ExtraDuty]] = {}
            finer: dict[tuple[str, str], list[ExtraDuty]] = {}
            for row in self:
                by_prefix.setdefault((row.destination, row.hs_prefix), []).append(row)
                if len(row.hs_prefix) > 4:
                    finer.setdefault((row.destination, row.hs_prefix[:4]), []).append(row)
            idx = self.__dict__["_idx"] = (by_prefix, finer)
        return idx

    def matching(self, destination: str, code: str) -> list[ExtraDuty]:
        """The rows whose prefix is a prefix of ``code`` (the empty prefix included)."""
        by_prefix = self._index()[0]
        out: list[ExtraDuty] = []
        for k in range(len(code) + 1):
            out.extend(by_prefix.get((destination, code[:k]), ()))
        return out

    def finer(self, destination: str, code: str) -> list[ExtraDuty]:
        """The rows whose prefix extends ``code`` (longer than it; ``code`` of 4 digits or more)."""
        if len(code) < 4:
            return [r for r in self if r.destination == destination and len(r.hs_prefix) > len(code)
                    and r.hs_prefix.startswith(code)]
        return [r for r in self._index()[1].get((destination, code[:4]), ())
                if len(r.hs_prefix) > len(code) and r.hs_prefix.startswith(code)]


FxFn = Callable[[str, str], FxQuote]


@dataclass
class Context:
    """Everything a regime may consult besides the shipment, passed in (never read from I/O)."""

    fx: FxFn
    tariffs: TariffSource | None = None
    vat: VatBook | None = None
    extra_duties: tuple[ExtraDuty, ...] = ()
    fx_stale_days: int = 7  # a rate older than this is flagged in the explanation


@dataclass(frozen=True)
class ExplanationLine:
    rule: str
    source: str
    amount: Decimal  # in the shipment's currency; 0 for information lines
    kind: str  # duty | tax | fee | info
    collected_at: str | None = None
    line: int | None = None
    msg: Msg | None = None  # ``rule`` as a message id with parameters (translated on the pages)


@dataclass(frozen=True)
class LineResult:
    index: int
    hs_code: str | None
    duty: Decimal
    taxes: Decimal
    fees: Decimal


@dataclass(frozen=True)
class LandedCost:
    destination: str
    currency: str
    on: date
    regime_currency: str
    duty: Decimal
    taxes: Decimal
    fees: Decimal
    collected_at: str
    liable_party: str
    lines: tuple[LineResult, ...]
    explanation: tuple[ExplanationLine, ...]
    rules: tuple[Rule, ...] = ()  # the dated rules in force on ``on`` that the result consulted

    @property
    def total_charges(self) -> Decimal:
        return self.duty + self.taxes + self.fees

"""Procurement rules: price breaks and MOQ, landed unit cost allocation, reorder suggestions.

**Price breaks.** A supplier quotes unit prices by quantity tier (阶梯价, as on 1688): the
price of the highest tier whose minimum is ≤ the ordered quantity applies. Ordering below
the supplier's MOQ is refused.

**Dated price lists.** A supplier's price list changes (a new quotation, a yearly list): every
break carries ``valid_from`` and an optional ``valid_to`` (both inclusive; none = open-ended).
A purchase order is priced with the breaks in force on its order date (:func:`in_force`). Two
breaks of the same supplier, SKU and minimum quantity whose validity overlaps are refused
(:func:`check_no_overlap`): on any day, one price per tier.

**Landed unit cost.** Purchase price plus inbound freight and other charges (customs broker,
inspection, domestic trucking) allocated to the lines of a purchase order or receipt by
quantity, weight or value — the split methods of Odoo ``stock_landed_costs``
(``by_quantity``, ``by_weight``, ``by_current_cost_price``) and ERPNext's Landed Cost
Voucher (``Qty`` / ``Amount``) (research/marketplaces.md §1.1). Each charge is split
exactly: shares are rounded to the currency's minor unit with the largest-remainder method
so they add up to the charge to the cent.

**Purchase VAT.** Only a VAT *special* invoice (增值税专用发票) gives a Chinese exporter an
export VAT rebate; with an ordinary invoice (普通发票) the export is merely exempt
(research/rebate_fx.md §1: 应退税额 = 计税依据 × 退税率, 计税依据 = the net amount of the
special invoice). The landed cost for margin purposes therefore treats special-invoice VAT as
recoverable and ordinary-invoice VAT as cost.

**Reorder suggestion** (periodic review, order-up-to level; Silver, Pyke & Peterson,
*Inventory and Production Management in Supply Chains*, ch. 6–7):

    protection period P = lead time L + review period R      (weeks)
    safety stock SS     = z(service level) × σ_week × √P
    target              = forecast demand over P + SS
    suggested           = target − on hand − on order, raised to the MOQ, 0 when ≤ 0

σ_week is the forecast's own error (RMSE of the backtest), not the demand's standard
deviation: the buffer protects against what the forecast gets wrong. A **cash limit** is
then applied: lines are funded in order of urgency (weeks of cover, shortest first); a line
that does not fit is reduced to what the remaining cash buys, and dropped when that is
below the MOQ.

>>> breaks = [PriceBreak(1, Decimal("5.00")), PriceBreak(100, Decimal("4.50")), PriceBreak(500, Decimal("4.00"))]
>>> str(price_for(breaks, 120, moq=50))
'4.50'
>>> jan, jul = date(2026, 1, 1), date(2026, 7, 1)
>>> dated = [PriceBreak(1, Decimal("5.00"), jan, date(2026, 6, 30)), PriceBreak(1, Decimal("5.40"), jul)]
>>> [str(b.unit_price) for b in in_force(dated, date(2026, 3, 1))], [str(b.unit_price) for b in in_force(dated, jul)]
(['5.00'], ['5.40'])
>>> alloc = allocate_charges([AllocLine("A", 10, Decimal("1"), Decimal("100")), AllocLine("B", 30, Decimal("2"), Decimal("100"))],
...                         [Charge("freight", Decimal("100.00"), "weight")], currency="CNY")
>>> [str(a.allocated) for a in alloc]
['14.29', '85.71']
>>> s = reorder_line(ReorderInput("A", weekly_forecast=[Decimal(10)] * 8, sigma_week=Decimal(4), lead_time_days=21,
...                  on_hand=Decimal(20), on_order=Decimal(0), moq=50, unit_cost=Decimal("3.00")), service_level=Decimal("0.95"))
>>> s.safety_stock, s.target, s.quantity
(Decimal('14'), Decimal('54'), Decimal('50'))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from statistics import NormalDist

from xborder.errors import ValidationError
from xborder.money import minor_units, quantize

INVOICE_TYPES = ("vat_special", "vat_ordinary", "none")
ALLOCATION_METHODS = ("quantity", "weight", "value")


@dataclass(frozen=True)
class PriceBreak:
    min_qty: int
    unit_price: Decimal
    valid_from: date | None = None  # None: no start (a break built in memory, not stored)
    valid_to: date | None = None  # inclusive; None: open-ended

    def valid_on(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)

    def validity(self) -> str:
        start = self.valid_from.isoformat() if self.valid_from else "…"
        return f"{start} – {self.valid_to.isoformat() if self.valid_to else 'open'}"


def in_force(breaks: Sequence[PriceBreak], on: date) -> list[PriceBreak]:
    """The breaks valid on ``on``, by minimum quantity."""
    return sorted((b for b in breaks if b.valid_on(on)), key=lambda b: b.min_qty)


def overlaps(a: PriceBreak, b: PriceBreak) -> bool:
    """Do the validity periods of two breaks share a day? (None = unbounded on that side.)

    >>> overlaps(PriceBreak(1, Decimal(1), date(2026, 1, 1), date(2026, 6, 30)), PriceBreak(1, Decimal(1), date(2026, 7, 1)))
    False
    >>> overlaps(PriceBreak(1, Decimal(1), date(2026, 1, 1)), PriceBreak(1, Decimal(1), date(2026, 7, 1)))
    True
    """
    a_lo, b_lo = a.valid_from or date.min, b.valid_from or date.min
    a_hi, b_hi = a.valid_to or date.max, b.valid_to or date.max
    return a_lo <= b_hi and b_lo <= a_hi


def check_validity(valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError(f"valid_to: {valid_to} is before valid_from {valid_from}", field="valid_to")


def check_no_overlap(new: Sequence[PriceBreak], existing: Sequence[PriceBreak], *, what: str = "") -> None:
    """Refuse a new break that overlaps an existing one of the same minimum quantity."""
    for n in new:
        for e in existing:
            if n.min_qty == e.min_qty and overlaps(n, e):
                raise ValidationError(
                    f"price_breaks: the tier from {n.min_qty} units {what}valid {n.validity()} overlaps the tier "
                    f"valid {e.validity()} (price {e.unit_price}); end that list the day before (valid_to) "
                    "or close the previous list",
                    field="valid_from",
                )


def price_for(breaks: Sequence[PriceBreak], qty: int | Decimal, *, moq: int = 1) -> Decimal:
    """Unit price for ``qty`` (highest tier with min_qty ≤ qty)."""
    qty = Decimal(qty)
    if qty < moq:
        raise ValidationError(f"quantity: {qty} is below the supplier's MOQ of {moq}", field="quantity")
    if not breaks:
        raise ValidationError("price_breaks: the supplier has no price for this SKU", field="price_breaks")
    eligible = [b for b in breaks if b.min_qty <= qty]
    if not eligible:
        lowest = min(b.min_qty for b in breaks)
        raise ValidationError(f"quantity: the first price tier starts at {lowest}", field="quantity")
    return max(eligible, key=lambda b: b.min_qty).unit_price


def validate_breaks(breaks: Sequence[PriceBreak]) -> None:
    seen: set[int] = set()
    for b in breaks:
        if b.min_qty < 1:
            raise ValidationError("price_breaks.min_qty: at least 1", field="price_breaks")
        if b.unit_price <= 0:
            raise ValidationError("price_breaks.unit_price: must be positive", field="price_breaks")
        if b.min_qty in seen:
            raise ValidationError(f"price_breaks: tier {b.min_qty} given twice", field="price_breaks")
        seen.add(b.min_qty)


@dataclass(frozen=True)
class AllocLine:
    key: str
    quantity: int | Decimal
    unit_weight_kg: Decimal
    unit_price: Decimal


@dataclass(frozen=True)
class Charge:
    label: str
    amount: Decimal
    method: str  # quantity | weight | value


@dataclass(frozen=True)
class AllocatedLine:
    key: str
    quantity: Decimal
    goods: Decimal
    allocated: Decimal
    landed_total: Decimal
    landed_unit_cost: Decimal
    explanation: tuple[str, ...] = field(default_factory=tuple)


def split_exact(amount: Decimal, weights: Sequence[Decimal], places: int) -> list[Decimal]:
    """Split ``amount`` proportionally to ``weights``, rounded to ``places`` decimals, summing exactly.

    >>> split_exact(Decimal("10.00"), [Decimal(1)] * 3, 2)
    [Decimal('3.34'), Decimal('3.33'), Decimal('3.33')]
    """
    total = sum(weights, Decimal(0))
    if total <= 0:
        raise ValidationError("allocation: the basis (quantity, weight or value) sums to zero", field="method")
    unit = Decimal(1).scaleb(-places)
    raw = [amount * w / total for w in weights]
    floors = [r.quantize(unit, rounding=ROUND_FLOOR) for r in raw]
    left = int(((amount - sum(floors, Decimal(0))) / unit).to_integral_value())
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += unit
    return floors


def allocate_charges(lines: Sequence[AllocLine], charges: Sequence[Charge], *, currency: str) -> list[AllocatedLine]:
    if not lines:
        raise ValidationError("lines: nothing to allocate to", field="lines")
    places = minor_units(currency)
    allocated = [Decimal(0)] * len(lines)
    notes: list[list[str]] = [[] for _ in lines]
    for c in charges:
        if c.method not in ALLOCATION_METHODS:
            raise ValidationError(
                f"charges.method: {c.method!r}; use one of {', '.join(ALLOCATION_METHODS)}", field="method"
            )
        if c.method == "quantity":
            basis = [Decimal(ln.quantity) for ln in lines]
        elif c.method == "weight":
            basis = [Decimal(ln.quantity) * ln.unit_weight_kg for ln in lines]
        else:
            basis = [Decimal(ln.quantity) * ln.unit_price for ln in lines]
        parts = split_exact(c.amount, basis, places)
        total = sum(basis, Decimal(0))
        for i, p in enumerate(parts):
            allocated[i] += p
            notes[i].append(f"{c.label} {c.amount} by {c.method}: {basis[i]}/{total} → {p}")
    out = []
    for i, ln in enumerate(lines):
        qty = Decimal(ln.quantity)
        goods = quantize(qty * ln.unit_price, places)
        landed = goods + allocated[i]
        out.append(
            AllocatedLine(ln.key, qty, goods, allocated[i], landed, quantize(landed / qty, 4) if qty else Decimal(0), tuple(notes[i]))
        )
    return out


def recoverable_vat(net: Decimal, vat: Decimal, invoice_type: str) -> Decimal:
    """Input VAT that comes back (as export rebate / credit): only on a special invoice."""
    if invoice_type not in INVOICE_TYPES:
        raise ValidationError(f"invoice_type: {invoice_type!r}; use one of {', '.join(INVOICE_TYPES)}", field="invoice_type")
    return vat if invoice_type == "vat_special" else Decimal(0)


@dataclass(frozen=True)
class ReorderInput:
    sku: str
    weekly_forecast: Sequence[Decimal]
    sigma_week: Decimal
    lead_time_days: int
    on_hand: Decimal
    on_order: Decimal
    moq: int
    unit_cost: Decimal
    review_weeks: int = 1
    supplier: str = ""
    currency: str = "CNY"


@dataclass(frozen=True)
class ReorderLine:
    sku: str
    supplier: str
    protection_weeks: Decimal
    demand_over_protection: Decimal
    safety_stock: Decimal
    target: Decimal
    position: Decimal
    quantity: Decimal
    unit_cost: Decimal
    cost: Decimal
    weeks_of_cover: Decimal | None
    currency: str
    note: str = ""
    explanation: tuple[str, ...] = field(default_factory=tuple)


def z_value(service_level: Decimal) -> Decimal:
    """Standard normal quantile (2 decimals kept for readable explanations).

    >>> z_value(Decimal("0.95"))
    Decimal('1.64')
    """
    if not Decimal("0.5") <= service_level < 1:
        raise ValidationError("service_level: between 0.5 and 0.999", field="service_level")
    return Decimal(str(NormalDist().inv_cdf(float(service_level)))).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)


def _demand_over(weekly: Sequence[Decimal], weeks: Decimal) -> Decimal:
    """Forecast demand over ``weeks`` (fractional), extending the last week's rate."""
    total = Decimal(0)
    remaining = weeks
    i = 0
    last = weekly[-1] if weekly else Decimal(0)
    while remaining > 0:
        rate = weekly[i] if i < len(weekly) else last
        take = min(Decimal(1), remaining)
        total += rate * take
        remaining -= take
        i += 1
    return total


def reorder_line(inp: ReorderInput, *, service_level: Decimal = Decimal("0.95")) -> ReorderLine:
    z = z_value(service_level)
    protection = (Decimal(inp.lead_time_days) / 7 + inp.review_weeks).quantize(Decimal("0.01"))
    demand = _demand_over(inp.weekly_forecast, protection)
    ss = (z * inp.sigma_week * Decimal(math.sqrt(float(protection)))).to_integral_value(rounding=ROUND_CEILING)
    target = (demand + ss).to_integral_value(rounding=ROUND_CEILING)
    position = inp.on_hand + inp.on_order
    need = target - position
    note = ""
    if need <= 0:
        qty = Decimal(0)
        note = "stock position covers the protection period"
    elif need < inp.moq:
        qty = Decimal(inp.moq)
        note = f"raised to MOQ {inp.moq}"
    else:
        qty = need
    qty = Decimal(format(qty.normalize(), "f"))
    weekly_rate = demand / protection if protection else Decimal(0)
    cover = (position / weekly_rate).quantize(Decimal("0.1")) if weekly_rate > 0 else None
    expl = (
        f"protection period = {inp.lead_time_days} d / 7 + {inp.review_weeks} review week(s) = {protection} weeks",
        f"forecast demand over it = {demand.quantize(Decimal('0.01'))}",
        f"safety stock = z({service_level}) {z} × σ {inp.sigma_week} × √{protection} = {ss}",
        f"target = {target}; position = on hand {inp.on_hand} + on order {inp.on_order} = {position}",
        f"order = {qty}" + (f" ({note})" if note else ""),
    )
    return ReorderLine(
        inp.sku,
        inp.supplier,
        protection,
        demand.quantize(Decimal("0.01")),
        ss,
        target,
        position,
        qty,
        inp.unit_cost,
        quantize(qty * inp.unit_cost, 2),
        cover,
        inp.currency,
        note,
        expl,
    )


def apply_cash_limit(lines: Sequence[ReorderLine], cash: Decimal | None, moqs: dict[str, int]) -> list[ReorderLine]:
    """Fund the most urgent lines first within ``cash`` (same currency as the lines)."""
    if cash is None:
        return list(lines)
    if cash < 0:
        raise ValidationError("cash_limit: must not be negative", field="cash_limit")
    remaining = cash
    out: list[ReorderLine] = []
    urgent = sorted(
        lines, key=lambda ln: (ln.weeks_of_cover if ln.weeks_of_cover is not None else Decimal(10**9), ln.sku)
    )
    for ln in urgent:
        if ln.quantity <= 0:
            out.append(ln)
            continue
        if ln.cost <= remaining:
            remaining -= ln.cost
            out.append(ln)
            continue
        affordable = (remaining / ln.unit_cost).to_integral_value(rounding=ROUND_FLOOR) if ln.unit_cost > 0 else Decimal(0)
        moq = moqs.get(ln.sku, 1)
        if affordable >= moq and affordable > 0:
            cost = quantize(affordable * ln.unit_cost, 2)
            remaining -= cost
            out.append(
                _replace_qty(ln, affordable, cost, f"cut to {_q(affordable)} by the cash limit (wanted {_q(ln.quantity)})")
            )
        else:
            out.append(_replace_qty(ln, Decimal(0), Decimal(0), f"not funded: cash limit (wanted {_q(ln.quantity)})"))
    return out


def _q(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _replace_qty(ln: ReorderLine, qty: Decimal, cost: Decimal, note: str) -> ReorderLine:
    from dataclasses import replace

    return replace(ln, quantity=qty, cost=cost, note=note, explanation=ln.explanation + (note,))

"""Batch shipment planning with HiGHS, and direct-parcel versus warehouse comparison.

**Batch plan.** Orders to the same buyer (same ``buyer`` key, destination and postcode) may be
packed together. For each buyer we enumerate candidate parcels (every subset of that buyer's
orders, up to ``max_subset_orders`` orders; bigger groups get singletons, pairs and the whole
group) and price each candidate with every card under the *tightest* promise of its orders.
A set-partitioning model chooses one (parcel, service) per order at least total cost::

    min  Σ cost(p,s) x(p,s)
    s.t. Σ_{p ∋ o, s} x(p,s) = 1          for every order o
         Σ_p x(p,s) <= capacity(s)        for services with a parcel capacity
         x binary

solved with HiGHS (``highspy``). The baseline is "cheapest per parcel": every order alone on
its cheapest option meeting its own promise; the plan reports the saving against it.

Packing several orders into one parcel (an approximation, documented in docs/logistics.md):
weights add; the box keeps the largest longest side and second side and stacks the third sides.

**Direct versus warehouse** (per SKU and market, from a weekly demand): direct parcels cost
``weekly demand × cheapest direct option``; the warehouse route costs head-haul of a
replenishment batch (per-cbm or per-kg warehouse card) + FBA storage for the average stock
(half a batch) + the FBA fulfilment fee per unit. The cheaper route is reported with both
breakdowns. (Research logistics.md §4.4, §6.2: storage dominates when turnover is slow.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from itertools import combinations

from xborder.logistics import fba
from xborder.logistics.pricing import Option, Parcel, RateRequest, shop
from xborder.logistics.ratecard import RateCard

CENT = Decimal("0.01")


@dataclass(frozen=True)
class PlanOrder:
    ref: str
    buyer: str
    destination: str
    parcel: Parcel
    postcode: str | None = None
    contents: tuple[str, ...] = ()
    max_days: int | None = None


@dataclass(frozen=True)
class PlannedParcel:
    orders: tuple[str, ...]
    option: Option
    cost: Decimal  # in the plan currency

    def to_dict(self) -> dict[str, object]:
        return {
            "orders": list(self.orders),
            "code": self.option.code,
            "carrier": self.option.carrier,
            "service": self.option.service,
            "price": str(self.option.price),
            "currency": self.option.currency,
            "cost": str(self.cost),
            "billable_weight_kg": str(self.option.billable_weight_kg),
            "transit_days_max": self.option.transit_max,
        }


@dataclass(frozen=True)
class Plan:
    currency: str
    parcels: tuple[PlannedParcel, ...]
    total: Decimal
    baseline_total: Decimal | None
    unplaceable: tuple[str, ...]
    solver_status: str
    notes: tuple[str, ...] = ()

    @property
    def saving(self) -> Decimal | None:
        return None if self.baseline_total is None else self.baseline_total - self.total

    def to_dict(self) -> dict[str, object]:
        return {
            "currency": self.currency,
            "parcels": [p.to_dict() for p in self.parcels],
            "total": str(self.total),
            "baseline_cheapest_per_parcel": None if self.baseline_total is None else str(self.baseline_total),
            "saving": None if self.saving is None else str(self.saving),
            "unplaceable": list(self.unplaceable),
            "solver_status": self.solver_status,
            "notes": list(self.notes),
        }


def combine(parcels: Sequence[Parcel]) -> Parcel:
    """One box for several orders: weights add, third sides stack."""
    if len(parcels) == 1:
        return parcels[0]
    sides = [p.sides for p in parcels]
    return Parcel(
        weight_kg=sum((p.weight_kg * p.quantity for p in parcels), Decimal(0)),
        length_cm=max(s[0] for s in sides),
        width_cm=max(s[1] for s in sides),
        height_cm=sum((s[2] * p.quantity for s, p in zip(sides, parcels, strict=True)), Decimal(0)),
    )


def _promise(orders: Sequence[PlanOrder]) -> int | None:
    days = [o.max_days for o in orders if o.max_days is not None]
    return min(days) if days else None


def _subsets(n: int, max_subset: int) -> list[tuple[int, ...]]:
    if n <= max_subset:
        return [c for k in range(1, n + 1) for c in combinations(range(n), k)]
    return [*((i,) for i in range(n)), *combinations(range(n), 2), tuple(range(n))]


def plan_batch(
    orders: Sequence[PlanOrder],
    cards: Sequence[RateCard],
    on: date,
    currency: str = "CNY",
    to_currency: Callable[[Decimal, str], Decimal] | None = None,
    capacity: dict[str, int] | None = None,
    max_subset_orders: int = 4,
) -> Plan:
    """Least-cost assignment of orders to parcels and services (see module docstring)."""
    import highspy

    conv = to_currency or (lambda a, cur: a if cur == currency else _no_fx(cur, currency))
    groups: dict[tuple[str, str, str], list[PlanOrder]] = {}
    for o in orders:
        groups.setdefault((o.buyer, o.destination, o.postcode or ""), []).append(o)

    cols: list[tuple[tuple[str, ...], Option, Decimal]] = []
    baseline: dict[str, Decimal] = {}
    for group in groups.values():
        for subset in _subsets(len(group), max_subset_orders):
            members = [group[i] for i in subset]
            head = members[0]
            req = RateRequest(
                destination=head.destination,
                parcel=combine([m.parcel for m in members]),
                on=on,
                postcode=head.postcode,
                contents=tuple(sorted({f for m in members for f in m.contents})),
                max_days=_promise(members),
            )
            res = shop(cards, req)
            for opt in res.options:
                cost = conv(opt.price, opt.currency).quantize(CENT, rounding=ROUND_HALF_UP)
                cols.append((tuple(m.ref for m in members), opt, cost))
                if len(members) == 1:
                    ref = head.ref
                    if ref not in baseline or cost < baseline[ref]:
                        baseline[ref] = cost
    placeable = {r for refs, _o, _c in cols for r in refs}
    unplaceable = tuple(o.ref for o in orders if o.ref not in placeable)
    refs = [o.ref for o in orders if o.ref in placeable]
    if not cols:
        return Plan(currency, (), Decimal(0), Decimal(0) if not orders else None, unplaceable, "no candidates")

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    inf = highspy.kHighsInf
    n = len(cols)
    # costs in cents as integral objective coefficients (exact within double range)
    for _ in cols:
        h.addVar(0.0, 1.0)
    h.changeColsCost(n, list(range(n)), [float(int(c * 100)) for _r, _o, c in cols])
    h.changeColsIntegrality(n, list(range(n)), [highspy.HighsVarType.kInteger] * n)  # type: ignore[arg-type]
    index = {r: i for i, r in enumerate(refs)}
    rows: list[list[int]] = [[] for _ in refs]
    for j, (member_refs, _opt, _c) in enumerate(cols):
        for ref in member_refs:
            rows[index[ref]].append(j)
    for js in rows:
        h.addRow(1.0, 1.0, len(js), js, [1.0] * len(js))
    for code, cap in (capacity or {}).items():
        js = [j for j, (_m, opt, _c) in enumerate(cols) if opt.code == code]
        if js:
            h.addRow(-inf, float(cap), len(js), js, [1.0] * len(js))
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return Plan(currency, (), Decimal(0), None, tuple(refs) + unplaceable, status, ("no feasible plan under the capacities",))
    x = h.getSolution().col_value
    chosen = [PlannedParcel(cols[j][0], cols[j][1], cols[j][2]) for j in range(n) if x[j] > 0.5]
    chosen.sort(key=lambda p: p.orders)
    total = sum((p.cost for p in chosen), Decimal(0))
    base_total = sum((baseline[r] for r in refs if r in baseline), Decimal(0)) if all(r in baseline for r in refs) else None
    notes = []
    if capacity:
        notes.append("the baseline ignores service capacities")
    if base_total is None:
        notes.append("some orders can only travel consolidated: no per-parcel baseline")
    return Plan(currency, tuple(chosen), total, base_total, unplaceable, status, tuple(notes))


def _no_fx(cur: str, to: str) -> Decimal:
    raise ValueError(f"an option is priced in {cur}; give FX rates to plan in {to}")


# --- direct versus warehouse ------------------------------------------------------------------


@dataclass(frozen=True)
class SkuSpec:
    sku: str
    length_cm: Decimal
    width_cm: Decimal
    height_cm: Decimal
    weight_kg: Decimal
    price: Decimal  # selling price in USD (for the FBA fee band)
    units_per_carton: int = 20
    carton: Parcel | None = None  # default: units stacked + 10 % packing


@dataclass
class RouteCost:
    route: str
    per_unit: Decimal
    weekly: Decimal
    lines: list[tuple[str, Decimal]] = field(default_factory=list)
    code: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "route": self.route,
            "code": self.code,
            "per_unit": str(self.per_unit.quantize(CENT, rounding=ROUND_HALF_UP)),
            "weekly": str(self.weekly.quantize(CENT, rounding=ROUND_HALF_UP)),
            "lines": [{"label": lbl, "amount_per_unit": str(a.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))} for lbl, a in self.lines],
        }


def default_carton(unit: Parcel, n: int) -> Parcel:
    """Units in a near-cubic grid (nx × ny × nz >= n) plus 5 % padding per side."""
    nx = 1
    while nx**3 < n:
        nx += 1
    ny = 1
    while nx * ny * ny < n:
        ny += 1
    nz = -(-n // (nx * ny))
    pad = Decimal("1.05")
    a, b, c = unit.sides

    def q(x: Decimal) -> Decimal:
        return x.quantize(Decimal("0.1"), rounding=ROUND_CEILING)

    return Parcel(unit.weight_kg * n, q(a * nz * pad), q(b * ny * pad), q(c * nx * pad))


def compare_direct_vs_warehouse(
    sku: SkuSpec,
    destination: str,
    weekly_demand: int,
    cards: Sequence[RateCard],
    on: date,
    currency: str,
    to_currency: Callable[[Decimal, str], Decimal],
    replenish_weeks: int = 8,
    max_days: int | None = None,
) -> dict[str, object]:
    """Per-unit and weekly cost of direct parcels versus head-haul + FBA (all in ``currency``)."""
    unit = Parcel(sku.weight_kg, sku.length_cm, sku.width_cm, sku.height_cm)
    direct = shop(cards, RateRequest(destination=destination, parcel=unit, on=on, max_days=max_days))
    routes: list[RouteCost] = []
    if direct.options:
        best = min(direct.options, key=lambda o: to_currency(o.price, o.currency))
        pu = to_currency(best.price, best.currency)
        routes.append(RouteCost("direct parcel", pu, pu * weekly_demand, [(f"{best.code} parcel", pu)], best.code))
    batch_units = max(1, weekly_demand * replenish_weeks)
    cartons = -(-batch_units // sku.units_per_carton)
    carton = sku.carton or default_carton(unit, sku.units_per_carton)
    haul_req = RateRequest(
        destination=destination,
        parcel=Parcel(carton.weight_kg, carton.length_cm, carton.width_cm, carton.height_cm, cartons),
        on=on,
        to_warehouse=True,
    )
    haul = [o for o in shop([c for c in cards if c.delivers_to == "warehouse"], haul_req).options]
    fee = fba.fulfilment_fee(sku.length_cm, sku.width_cm, sku.height_cm, sku.weight_kg, sku.price, on)
    storage_month, storage_rule = fba.monthly_storage_per_unit(sku.length_cm, sku.width_cm, sku.height_cm, fee.tier, on)
    # average stock = half a batch, held for the batch's cover; weeks -> months at 52/12
    avg_months_per_unit = Decimal(replenish_weeks) / 2 / (Decimal(52) / Decimal(12))
    fee_c = to_currency(fee.fee, "USD")
    storage_c = to_currency(storage_month * avg_months_per_unit, "USD")
    for h in haul:
        per_unit_haul = to_currency(h.price, h.currency) / batch_units
        lines = [
            (f"{h.code} head-haul ({cartons} carton(s) of {sku.units_per_carton})", per_unit_haul),
            (f"FBA storage {storage_rule}, avg {avg_months_per_unit.quantize(Decimal('0.01'))} month(s)", storage_c),
            (f"FBA fulfilment fee {fee.tier} ({fee.rule_set})", fee_c),
        ]
        pu = sum((x for _l, x in lines), Decimal(0))
        routes.append(RouteCost("warehouse (FBA)", pu, pu * weekly_demand, lines, h.code))
    routes.sort(key=lambda r: r.per_unit)
    return {
        "sku": sku.sku,
        "destination": destination,
        "weekly_demand": weekly_demand,
        "currency": currency,
        "replenish_weeks": replenish_weeks,
        "routes": [r.to_dict() for r in routes],
        "best": routes[0].route if routes else None,
        "direct_ineligible": [i.to_dict() for i in direct.ineligible],
    }

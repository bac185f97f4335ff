"""Amazon FBA (US) fees as dated rule sets: size tier, fulfilment fee, monthly storage.

Sources (research ``shared/research/logistics.md`` §3, §4, compiled 2026-11):

* size tiers since 2024-02-05, dimensional weight L×W×H / 139 in³/lb (not for small standard;
  bulky / extra-large use at least 2 in for width and height): sellercentral help
  G53Z9EKF8VVZVH29, huzaifa.org;
* fulfilment fees from 2024-04-15 (non-apparel, price $10-50): the endpoints $3.06 (small
  standard ≤ 2 oz), $6.92 + $0.08 per 4 oz above 3 lb (large standard), $9.61 + per lb (large
  bulky) and the $0.77 low-price (< $10) discount are in the research notes (sellerengine.com,
  onlinesellerconsulting.com, barrelaged.co); **the intermediate steps are Amazon's published
  2024 table as we recorded it (sellercentral "2024 US FBA fulfillment fee changes"), not
  re-checked against the page: verify before relying on a single cent**;
* from 2026-01-15: the 2024 table plus the average per-tier increases by price band reported by
  benoscales.com / ridgelineinsights.com / cratefit.com ($10-50: small standard +$0.25, large
  standard +$0.05; < $10: +$0.10 / 0; > $50: +$0.51 / +$0.31; low-price discount $0.86; small
  bulky ~$7.55 and large bulky ~$9.35 base). **Derived, not Amazon's table.**
* 3.5 % fuel and logistics surcharge on fulfilment fees from 2026-04-17 (thedailyscout.com,
  amazonsellerdaily, cratefit.com);
* monthly storage per ft³: standard $0.78 Jan-Sep / $2.40 Oct-Dec; oversize $0.56 / $1.40, from
  2024-04-01 (sellercentral GJ9NNG7RK4TU6E3Z).

>>> from datetime import date
>>> f = fulfilment_fee(Decimal("20"), Decimal("15"), Decimal("1.5"), Decimal("0.2"), Decimal("19.99"), date(2025, 6, 1))
>>> f.tier, str(f.fee), f.rule_set
('small standard', '3.33', 'FBA-US-2024-04-15')
>>> f = fulfilment_fee(Decimal("30"), Decimal("20"), Decimal("10"), Decimal("2"), Decimal("25"), date(2026, 11, 24))
>>> f.tier, str(f.shipping_weight_lb), str(f.fee)
('large standard', '4.41', '7.71')
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

CM_PER_IN = Decimal("2.54")
KG_PER_LB = Decimal("0.45359237")
OZ_PER_LB = Decimal(16)
DIM_DIVISOR = Decimal(139)
CENT = Decimal("0.01")

# (upper bound in oz inclusive, fee) — 2024-04-15, non-apparel, price $10-50
SMALL_STANDARD_2024 = (
    (Decimal(2), Decimal("3.06")),
    (Decimal(4), Decimal("3.15")),
    (Decimal(6), Decimal("3.24")),
    (Decimal(8), Decimal("3.33")),
    (Decimal(10), Decimal("3.43")),
    (Decimal(12), Decimal("3.53")),
    (Decimal(14), Decimal("3.60")),
    (Decimal(16), Decimal("3.65")),
)
LARGE_STANDARD_2024 = (
    (Decimal(4), Decimal("3.68")),
    (Decimal(8), Decimal("3.90")),
    (Decimal(12), Decimal("4.15")),
    (Decimal(16), Decimal("4.55")),
    (Decimal(20), Decimal("4.99")),
    (Decimal(24), Decimal("5.37")),
    (Decimal(28), Decimal("5.52")),
    (Decimal(32), Decimal("5.77")),
    (Decimal(36), Decimal("5.87")),
    (Decimal(40), Decimal("6.05")),
    (Decimal(44), Decimal("6.21")),
    (Decimal(48), Decimal("6.62")),
)
LARGE_STANDARD_OVER_3LB = (Decimal("6.92"), Decimal("0.08"))  # + per 4 oz above 3 lb
# (tier, base, per lb, above lb)
BULKY_2024 = {
    "large bulky": (Decimal("9.61"), Decimal("0.38"), Decimal(1)),
    "extra-large 0-50 lb": (Decimal("26.33"), Decimal("0.38"), Decimal(1)),
    "extra-large 50-70 lb": (Decimal("40.12"), Decimal("0.75"), Decimal(51)),
    "extra-large 70-150 lb": (Decimal("54.81"), Decimal("0.75"), Decimal(71)),
    "extra-large 150+ lb": (Decimal("194.95"), Decimal("0.19"), Decimal(151)),
}


@dataclass(frozen=True)
class RuleSet:
    id: str
    valid_from: date
    valid_to: date | None
    small_delta: dict[str, Decimal]  # by price band: low (<10), mid (10-50), high (>50)
    large_delta: dict[str, Decimal]
    low_price_discount: Decimal
    bulky_bases: dict[str, Decimal]
    source: str


RULE_SETS = (
    RuleSet(
        id="FBA-US-2024-04-15",
        valid_from=date(2024, 4, 15),
        valid_to=date(2026, 1, 14),
        small_delta={"low": Decimal(0), "mid": Decimal(0), "high": Decimal(0)},
        large_delta={"low": Decimal(0), "mid": Decimal(0), "high": Decimal(0)},
        low_price_discount=Decimal("0.77"),
        bulky_bases={},
        source="Amazon 2024 US FBA fee table (from 2024-04-15); endpoints via sellerengine.com, onlinesellerconsulting.com",
    ),
    RuleSet(
        id="FBA-US-2026-01-15",
        valid_from=date(2026, 1, 15),
        valid_to=None,
        small_delta={"low": Decimal("0.10"), "mid": Decimal("0.25"), "high": Decimal("0.51")},
        large_delta={"low": Decimal(0), "mid": Decimal("0.05"), "high": Decimal("0.31")},
        low_price_discount=Decimal("0.86"),
        bulky_bases={"small bulky": Decimal("7.55"), "large bulky": Decimal("9.35")},
        source="2024 table + 2026 average increases per benoscales.com, ridgelineinsights.com, cratefit.com (derived)",
    ),
)
FUEL_SURCHARGE = (date(2026, 4, 17), Decimal("3.5"), "3.5% fuel & logistics surcharge (thedailyscout.com, cratefit.com)")

# monthly storage per ft³: (valid_from, standard Jan-Sep, standard Oct-Dec, oversize Jan-Sep, oversize Oct-Dec)
STORAGE = (
    (date(2024, 4, 1), Decimal("0.78"), Decimal("2.40"), Decimal("0.56"), Decimal("1.40"), "sellercentral GJ9NNG7RK4TU6E3Z"),
)


def rule_set(on: date) -> RuleSet:
    for rs in RULE_SETS:
        if rs.valid_from <= on and (rs.valid_to is None or on <= rs.valid_to):
            return rs
    raise LookupError(f"no FBA fee rule set in force on {on.isoformat()} (earliest {RULE_SETS[0].valid_from})")


@dataclass(frozen=True)
class FbaFee:
    tier: str
    unit_weight_lb: Decimal
    dim_weight_lb: Decimal
    shipping_weight_lb: Decimal
    fee: Decimal
    lines: tuple[tuple[str, Decimal], ...]
    rule_set: str
    source: str

    def to_dict(self) -> dict[str, object]:
        return {
            "tier": self.tier,
            "unit_weight_lb": str(self.unit_weight_lb),
            "dimensional_weight_lb": str(self.dim_weight_lb),
            "shipping_weight_lb": str(self.shipping_weight_lb),
            "fee": str(self.fee),
            "currency": "USD",
            "lines": [{"label": lbl, "amount": str(a)} for lbl, a in self.lines],
            "rule_set": self.rule_set,
            "source": self.source,
        }


def size_tier(sides_in: tuple[Decimal, Decimal, Decimal], unit_lb: Decimal) -> str:
    a, b, c = sorted(sides_in, reverse=True)
    if unit_lb * OZ_PER_LB <= 16 and a <= 15 and b <= 12 and c <= Decimal("0.75"):
        return "small standard"
    if unit_lb <= 20 and a <= 18 and b <= 14 and c <= 8:
        return "large standard"
    if unit_lb <= 50 and a <= 59 and b <= 33 and c <= 33 and a + 2 * (b + c) <= 130:
        return "large bulky"
    if unit_lb <= 50:
        return "extra-large 0-50 lb"
    if unit_lb <= 70:
        return "extra-large 50-70 lb"
    if unit_lb <= 150:
        return "extra-large 70-150 lb"
    return "extra-large 150+ lb"


def _band(price: Decimal) -> str:
    return "low" if price < 10 else "high" if price > 50 else "mid"


def fulfilment_fee(
    length_cm: Decimal, width_cm: Decimal, height_cm: Decimal, weight_kg: Decimal, price_usd: Decimal, on: date
) -> FbaFee:
    """FBA fulfilment fee per unit (US, non-apparel) for the rule set in force on ``on``."""
    rs = rule_set(on)
    sides = tuple(sorted((length_cm / CM_PER_IN, width_cm / CM_PER_IN, height_cm / CM_PER_IN), reverse=True))
    unit_lb = weight_kg / KG_PER_LB
    tier = size_tier(sides, unit_lb)  # type: ignore[arg-type]
    a, b, c = sides
    if tier not in ("small standard", "large standard"):
        b, c = max(b, Decimal(2)), max(c, Decimal(2))
    dim_lb = a * b * c / DIM_DIVISOR
    ship = unit_lb if tier == "small standard" or tier == "extra-large 150+ lb" else max(unit_lb, dim_lb)
    band = _band(price_usd)
    lines: list[tuple[str, Decimal]] = []
    if tier == "small standard":
        oz = ship * OZ_PER_LB
        fee = next(f for up, f in SMALL_STANDARD_2024 if oz <= up)
        lines.append((f"small standard, {quant_oz(oz)} oz", fee))
        if rs.small_delta[band]:
            lines.append((f"2026 price-band adjustment ({band})", rs.small_delta[band]))
    elif tier == "large standard":
        oz = ship * OZ_PER_LB
        row = next(((up, f) for up, f in LARGE_STANDARD_2024 if oz <= up), None)
        if row is not None:
            lines.append((f"large standard, {quant_oz(oz)} oz", row[1]))
        else:
            base, per4 = LARGE_STANDARD_OVER_3LB
            steps = ((oz - 48) / 4).to_integral_value(rounding=ROUND_CEILING)
            lines.append(("large standard, first 3 lb", base))
            lines.append((f"{steps} × 4 oz above 3 lb × {per4}", steps * per4))
        if rs.large_delta[band]:
            lines.append((f"2026 price-band adjustment ({band})", rs.large_delta[band]))
    else:
        key = tier
        base, per_lb, above = BULKY_2024[key]
        if tier == "large bulky" and rs.bulky_bases:
            # 2026: large bulky split into small bulky / large bulky (base per research; per-lb kept)
            key = "small bulky" if ship <= 30 and a <= 37 else "large bulky"
            tier = key
            base = rs.bulky_bases[key]
        lb_over = max(Decimal(0), (ship - above).to_integral_value(rounding=ROUND_CEILING))
        lines.append((f"{tier} base", base))
        if lb_over:
            lines.append((f"{lb_over} lb above {above} lb × {per_lb}", lb_over * per_lb))
    if price_usd < 10 and tier in ("small standard", "large standard"):
        lines.append(("low-price FBA discount (price < $10)", -rs.low_price_discount))
    subtotal = sum((x for _l, x in lines), Decimal(0))
    if on >= FUEL_SURCHARGE[0]:
        lines.append((FUEL_SURCHARGE[2], (subtotal * FUEL_SURCHARGE[1] / 100).quantize(CENT, rounding=ROUND_HALF_UP)))
    fee = sum((x for _l, x in lines), Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
    q = Decimal("0.01")
    return FbaFee(
        tier=tier,
        unit_weight_lb=unit_lb.quantize(q, rounding=ROUND_HALF_UP),
        dim_weight_lb=dim_lb.quantize(q, rounding=ROUND_HALF_UP),
        shipping_weight_lb=ship.quantize(q, rounding=ROUND_HALF_UP).normalize(),
        fee=fee,
        lines=tuple(lines),
        rule_set=rs.id,
        source=rs.source,
    )


def quant_oz(oz: Decimal) -> str:
    return format(oz.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), "f")


def monthly_storage_per_unit(length_cm: Decimal, width_cm: Decimal, height_cm: Decimal, tier: str, on: date) -> tuple[Decimal, str]:
    """Monthly storage fee per unit (USD, unrounded) and the rule used: ft³ × seasonal rate."""
    ft3 = (length_cm * width_cm * height_cm) / (CM_PER_IN**3) / Decimal(1728)
    row = max((r for r in STORAGE if r[0] <= on), key=lambda r: r[0], default=None)
    if row is None:
        raise LookupError(f"no FBA storage rates in force on {on.isoformat()}")
    peak = on.month >= 10
    standard = tier in ("small standard", "large standard")
    rate = (row[2] if peak else row[1]) if standard else (row[4] if peak else row[3])
    season = "Oct-Dec" if peak else "Jan-Sep"
    return ft3 * rate, f"{'standard' if standard else 'oversize'} {season} ${rate}/ft³ × {ft3.quantize(Decimal('0.0001'))} ft³ ({row[5]})"

"""Pricing a parcel against a rate card, and rate shopping across cards (pure, exact Decimal).

Rules (see ``docs/logistics.md``; research: ``shared/research/logistics.md`` §2-§3):

1. **Weights are counted in whole grams, rounded up** (actual and volumetric).
2. **Billable weight** = max(actual, volumetric) when the card has ``volumetric`` (and its
   condition holds: longest side over X cm, or volume over Y cm³), volumetric = L×W×H / divisor;
   then at least ``min_chargeable_kg``; then rounded **up** to the card's ``rounding`` step.
3. **Bands**: upper bounds inclusive, lower bounds exclusive.
4. **Additional steps**: each started step is charged: ``ceil((w - first) / step)``.
5. Every breakdown line is rounded half-up to 2 places; the price is the sum of the lines.
   ``fuel_percent`` is a percentage of the freight (weight + piece charges); ``percent``
   surcharges likewise; ``per_kg`` surcharges use the billable weight.
6. An option that cannot carry the parcel is listed as ineligible with its reasons:
   ``no coverage``, ``too heavy``, ``too light``, ``too big``, ``forbidden contents``,
   ``over value limit``, ``too slow``, ``not in force``.

>>> from xborder.logistics.ratecard import parse_card
>>> card = parse_card('''
... carrier: Example Post
... service: Tracked small packet
... code: ex-packet
... currency: CNY
... valid_from: 2026-01-01
... transit_days: {min: 7, max: 15}
... volumetric: {divisor: 8000, applies_when_longest_side_cm_over: 40}
... limits: {max_weight_kg: 2}
... surcharges: [{type: fuel_percent, value: 10}]
... zones:
...   - countries: [US]
...     bands:
...       - {up_to_kg: 0.5, per_kg: 65, per_piece: 14}
...       - {up_to_kg: 2.0, per_kg: 60, per_piece: 12}
... ''')
>>> req = RateRequest.build(destination="US", weight_kg="0.5", dims_cm=("20", "15", "3"), on=date(2026, 3, 1))
>>> opt = quote(card, req)
>>> [(l.kind, str(l.amount)) for l in opt.lines]
[('freight', '32.50'), ('piece', '14.00'), ('fuel', '4.65')]
>>> str(opt.price), str(opt.billable_weight_kg)
('51.15', '0.5')
>>> quote(card, RateRequest.build(destination="US", weight_kg="2.5", dims_cm=("20", "15", "3"), on=date(2026, 3, 1))).reason
'too heavy'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from xborder.logistics.ratecard import CONTENT_FLAGS, RateCard, Surcharge, Zone, postcode_match
from xborder.money import to_decimal

CENT = Decimal("0.01")
GRAM = Decimal("0.001")
HUNDRED = Decimal(100)


def r2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def ceil_div(a: Decimal, b: Decimal) -> Decimal:
    return (a / b).to_integral_value(rounding=ROUND_CEILING)


def grams_up(kg: Decimal) -> Decimal:
    """A weight in kg rounded up to the whole gram."""
    return (kg * 1000).to_integral_value(rounding=ROUND_CEILING) / 1000


def fmt(d: Decimal) -> str:
    """Plain string without exponent or trailing zeros (0.500 -> 0.5, 2 -> 2)."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


# --- requests -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parcel:
    weight_kg: Decimal
    length_cm: Decimal
    width_cm: Decimal
    height_cm: Decimal
    quantity: int = 1  # identical cartons

    @property
    def sides(self) -> tuple[Decimal, Decimal, Decimal]:
        a, b, c = sorted((self.length_cm, self.width_cm, self.height_cm), reverse=True)
        return a, b, c

    @property
    def volume_cm3(self) -> Decimal:
        return self.length_cm * self.width_cm * self.height_cm


@dataclass(frozen=True)
class RateRequest:
    destination: str
    parcel: Parcel
    on: date
    origin: str = "CN"
    postcode: str | None = None
    contents: tuple[str, ...] = ()
    max_days: int | None = None
    value: Decimal | None = None
    currency: str | None = None
    to_warehouse: bool = False  # True: head-haul cards (delivers_to: warehouse) compete too

    @classmethod
    def build(
        cls,
        destination: str,
        weight_kg: object,
        dims_cm: Sequence[object],
        on: date,
        **kw: object,
    ) -> RateRequest:
        ln, w, h = (to_decimal(x, f) for x, f in zip(dims_cm, ("length_cm", "width_cm", "height_cm"), strict=True))
        return cls(destination=destination, parcel=Parcel(to_decimal(weight_kg, "weight_kg"), ln, w, h), on=on, **kw)  # type: ignore[arg-type]


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    kind: str  # freight | piece | surcharge | fuel | duties_taxes
    label: str
    amount: Decimal
    rule: str = ""
    source: str = ""

    def to_dict(self) -> dict[str, str]:
        d = {"kind": self.kind, "label": self.label, "amount": format(self.amount, "f")}
        if self.rule:
            d["rule"] = self.rule
        if self.source:
            d["source"] = self.source
        return d


@dataclass(frozen=True)
class Option:
    code: str
    carrier: str
    service: str
    currency: str
    price: Decimal
    billable_weight_kg: Decimal
    transit_min: int | None
    transit_max: int | None
    lines: tuple[Line, ...]
    explain: tuple[str, ...] = ()
    zone: str = ""
    mode: str = "parcel"
    source: str = ""
    illustrative: bool = False
    rank_price: Decimal | None = None  # price in the ranking currency when cards differ
    extras: tuple[dict[str, str], ...] = ()  # landed-cost lines (destination duties and taxes)

    eligible = True

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {
            "code": self.code,
            "carrier": self.carrier,
            "service": self.service,
            "price": format(self.price, "f"),
            "currency": self.currency,
            "billable_weight_kg": fmt(self.billable_weight_kg),
            "transit_days_min": self.transit_min,
            "transit_days_max": self.transit_max,
            "zone": self.zone,
            "mode": self.mode,
            "breakdown": [ln.to_dict() for ln in self.lines],
            "explain": list(self.explain),
            "source": self.source,
            "illustrative": self.illustrative,
        }
        if self.extras:
            d["duties_taxes"] = list(self.extras)
        return d


@dataclass(frozen=True)
class Ineligible:
    code: str
    carrier: str
    service: str
    reasons: tuple[tuple[str, str], ...]  # (reason, detail)

    eligible = False

    @property
    def reason(self) -> str:
        return self.reasons[0][0]

    @property
    def detail(self) -> str:
        return "; ".join(d for _r, d in self.reasons)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "carrier": self.carrier,
            "service": self.service,
            "reason": self.reason,
            "reasons": [r for r, _d in self.reasons],
            "detail": self.detail,
        }


@dataclass(frozen=True)
class ShopResult:
    options: tuple[Option, ...]
    ineligible: tuple[Ineligible, ...]
    notes: tuple[str, ...] = ()

    @property
    def cheapest(self) -> Option | None:
        return self.options[0] if self.options else None

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {
            "options": [o.to_dict() for o in self.options],
            "ineligible": [i.to_dict() for i in self.ineligible],
        }
        if self.notes:
            d["notes"] = list(self.notes)
        return d


# --- the rules ------------------------------------------------------------------------------


def find_zone(card: RateCard, country: str, postcode: str | None) -> Zone | None:
    """The most specific zone: a postcode zone that matches, else the country's plain zone."""
    plain = None
    for z in card.zones:
        if country not in z.countries:
            continue
        if z.postcodes:
            if postcode_match(z.postcodes, postcode):
                return z
        elif plain is None:
            plain = z
    return plain


def billable_weight(card: RateCard, parcel: Parcel) -> tuple[Decimal, list[str]]:
    """Billable kg per carton, with the explanation of each step."""
    actual = grams_up(parcel.weight_kg)
    explain = [f"actual weight {fmt(actual)} kg"]
    w = actual
    vol = card.volumetric
    if vol is not None:
        longest = parcel.sides[0]
        applies = True
        if vol.applies_when_longest_side_cm_over is not None and longest <= vol.applies_when_longest_side_cm_over:
            applies = False
            why = f"longest side {fmt(longest)} cm is not over {fmt(vol.applies_when_longest_side_cm_over)} cm"
        if vol.applies_when_volume_cm3_over is not None and parcel.volume_cm3 <= vol.applies_when_volume_cm3_over:
            applies = False
            why = f"volume {fmt(parcel.volume_cm3)} cm³ is not over {fmt(vol.applies_when_volume_cm3_over)} cm³"
        vkg = grams_up(parcel.volume_cm3 / vol.divisor)
        if applies:
            explain.append(
                f"volumetric {fmt(parcel.length_cm)}×{fmt(parcel.width_cm)}×{fmt(parcel.height_cm)}/{fmt(vol.divisor)} = {fmt(vkg)} kg"
            )
            if vkg > w:
                w = vkg
        else:
            explain.append(f"volumetric weight not applied: {why}")
    if card.min_chargeable_kg is not None and w < card.min_chargeable_kg:
        w = grams_up(card.min_chargeable_kg)
        explain.append(f"minimum chargeable weight {fmt(card.min_chargeable_kg)} kg")
    for r in card.rounding:
        if r.up_to_kg is None or w <= r.up_to_kg:
            rounded = ceil_div(w, r.step_kg) * r.step_kg
            if rounded != w:
                explain.append(f"rounded up to the {fmt(r.step_kg)} kg step: {fmt(rounded)} kg")
            w = rounded
            break
    explain.append(f"billable weight {fmt(w)} kg")
    return w, explain


def _freight(card: RateCard, zone: Zone, w: Decimal, parcel: Parcel) -> tuple[list[tuple[str, str, Decimal]], str | None]:
    """Per-carton freight lines (kind, label, exact amount) or a reason it cannot be priced."""
    if zone.bands:
        for b in zone.bands:
            if w <= b.up_to_kg:
                lines = []
                lo = zone.bands[zone.bands.index(b) - 1].up_to_kg if zone.bands.index(b) else Decimal(0)
                band = f"band {fmt(lo)}-{fmt(b.up_to_kg)} kg"
                if b.per_kg:
                    lines.append(("freight", f"{fmt(w)} kg × {fmt(b.per_kg)}/kg ({band})", b.per_kg * w))
                if b.per_piece or not b.per_kg:
                    lines.append(("piece", f"per piece ({band})", b.per_piece))
                return lines, None
        return [], f"billable weight {fmt(w)} kg is above the last band ({fmt(zone.bands[-1].up_to_kg)} kg)"
    if zone.first_weight is not None:
        fw = zone.first_weight
        lines = [("freight", f"first {fmt(fw.kg)} kg", fw.price)]
        if w <= fw.kg:
            return lines, None
        add = zone.additional
        if add is None:
            return [], f"billable weight {fmt(w)} kg is above the first weight {fmt(fw.kg)} kg and the card has no additional steps"
        if add.up_to_kg is not None and w > add.up_to_kg:
            return [], f"billable weight {fmt(w)} kg is above {fmt(add.up_to_kg)} kg"
        steps = ceil_div(w - fw.kg, add.step_kg)
        lines.append(("freight", f"{fmt(steps)} started step(s) of {fmt(add.step_kg)} kg × {fmt(add.price)}", steps * add.price))
        return lines, None
    if zone.prices:
        for tw, price in zip(card.table_weights_kg, zone.prices, strict=True):
            if w <= tw:
                return [("freight", f"table price up to {fmt(tw)} kg", price)], None
        if zone.above_table_per_kg is not None:
            return [("freight", f"{fmt(w)} kg × {fmt(zone.above_table_per_kg)}/kg (above the table)", zone.above_table_per_kg * w)], None
        return [], f"billable weight {fmt(w)} kg is above the table ({fmt(card.table_weights_kg[-1])} kg)"
    raise AssertionError("per_cbm zones are priced per shipment")


def _per_cbm_lines(zone: Zone, parcel: Parcel, explain: list[str]) -> list[tuple[str, str, Decimal]]:
    pc = zone.per_cbm
    assert pc is not None
    cbm = parcel.volume_cm3 * parcel.quantity / Decimal(1_000_000)
    explain.append(f"volume {fmt(cbm)} cbm ({parcel.quantity} carton(s))")
    chargeable = cbm
    if pc.kg_per_cbm is not None:
        wm = grams_up(parcel.weight_kg) * parcel.quantity / pc.kg_per_cbm
        if wm > chargeable:
            explain.append(f"weight/measure: {fmt(grams_up(parcel.weight_kg) * parcel.quantity)} kg / {fmt(pc.kg_per_cbm)} kg per cbm = {fmt(wm.quantize(Decimal('0.0001')))} cbm")
            chargeable = wm
    if chargeable < pc.min_cbm:
        explain.append(f"minimum {fmt(pc.min_cbm)} cbm")
        chargeable = pc.min_cbm
    chargeable = ceil_div(chargeable, pc.step_cbm) * pc.step_cbm
    explain.append(f"chargeable {fmt(chargeable)} cbm")
    return [("freight", f"{fmt(chargeable)} cbm × {fmt(pc.price)}/cbm", pc.price * chargeable)]


def surcharge_applies(s: Surcharge, req: RateRequest) -> bool:
    if not s.in_force(req.on):
        return False
    if s.countries and req.destination not in s.countries:
        return False
    if s.postcodes and not postcode_match(s.postcodes, req.postcode):
        return False
    if s.contents and not set(s.contents) & set(req.contents):
        return False
    if s.longest_side_cm_over is not None and req.parcel.sides[0] <= s.longest_side_cm_over:
        return False
    return not (s.actual_weight_kg_over is not None and req.parcel.weight_kg <= s.actual_weight_kg_over)


def _surcharge_amount(s: Surcharge, w: Decimal, qty: int, freight: Decimal) -> tuple[Decimal, str]:
    if s.type == "percent":
        amt, label = freight * s.value / HUNDRED, f"{fmt(s.value)}% of freight {fmt(r2(freight))}"
    elif s.type == "per_piece":
        amt, label = s.value * qty, f"{fmt(s.value)} per piece × {qty}"
    elif s.type in ("per_kg", "peak_per_kg"):
        amt, label = s.value * w * qty, f"{fmt(s.value)}/kg × {fmt(w * qty)} kg"
    else:  # remote_area
        amt = (s.per_piece + s.per_kg * w) * qty
        label = " + ".join(p for p in (f"{fmt(s.per_piece)} per piece" if s.per_piece else "", f"{fmt(s.per_kg)}/kg" if s.per_kg else "") if p)
    if s.minimum is not None and amt < s.minimum:
        amt, label = s.minimum, f"{label}, minimum {fmt(s.minimum)}"
    return amt, label


def check_eligibility(
    card: RateCard, req: RateRequest, value_in: Callable[[Decimal, str, str], Decimal | None] | None = None
) -> tuple[Zone | None, list[tuple[str, str]]]:
    reasons: list[tuple[str, str]] = []
    if not card.in_force(req.on):
        until = f" to {card.valid_to.isoformat()}" if card.valid_to else ""
        reasons.append(("not in force", f"card valid from {card.valid_from.isoformat()}{until}, not on {req.on.isoformat()}"))
    if card.delivers_to == "warehouse" and not req.to_warehouse:
        reasons.append(("no coverage", "head-haul to a warehouse, not delivery to a buyer's address"))
    if req.origin not in card.origins:
        reasons.append(("no coverage", f"does not ship from {req.origin}"))
    zone = find_zone(card, req.destination, req.postcode)
    if zone is None:
        where = req.destination + (f" {req.postcode}" if req.postcode else "")
        reasons.append(("no coverage", f"no zone for {where}"))
    p = req.parcel
    lim = card.limits
    if lim.max_weight_kg is not None and p.weight_kg > lim.max_weight_kg:
        reasons.append(("too heavy", f"weight {fmt(p.weight_kg)} kg is over the {fmt(lim.max_weight_kg)} kg limit"))
    if lim.min_weight_kg is not None and p.weight_kg < lim.min_weight_kg:
        reasons.append(("too light", f"weight {fmt(p.weight_kg)} kg is under the {fmt(lim.min_weight_kg)} kg minimum"))
    a, b, c = p.sides
    if lim.max_longest_side_cm is not None and a > lim.max_longest_side_cm:
        reasons.append(("too big", f"longest side {fmt(a)} cm is over {fmt(lim.max_longest_side_cm)} cm"))
    if lim.max_second_side_cm is not None and b > lim.max_second_side_cm:
        reasons.append(("too big", f"second side {fmt(b)} cm is over {fmt(lim.max_second_side_cm)} cm"))
    if lim.max_sum_of_sides_cm is not None and a + b + c > lim.max_sum_of_sides_cm:
        reasons.append(("too big", f"sum of sides {fmt(a + b + c)} cm is over {fmt(lim.max_sum_of_sides_cm)} cm"))
    if lim.max_length_plus_girth_cm is not None and a + 2 * (b + c) > lim.max_length_plus_girth_cm:
        reasons.append(("too big", f"length + girth {fmt(a + 2 * (b + c))} cm is over {fmt(lim.max_length_plus_girth_cm)} cm"))
    bad = [f for f in req.contents if f in card.forbidden]
    if bad:
        reasons.append(("forbidden contents", f"the card refuses {', '.join(bad)}"))
    if lim.max_value is not None and req.value is not None and req.currency:
        cap_cur = lim.max_value_currency or card.currency
        v = req.value if req.currency == cap_cur else (value_in(req.value, req.currency, cap_cur) if value_in else None)
        if v is not None and v > lim.max_value:
            reasons.append(("over value limit", f"declared value {fmt(req.value)} {req.currency} is over {fmt(lim.max_value)} {cap_cur}"))
    if req.max_days is not None:
        tmax = zone.transit_max if zone is not None and zone.transit_max is not None else card.transit_max
        if tmax is not None and tmax > req.max_days:
            reasons.append(("too slow", f"up to {tmax} days is over the {req.max_days}-day promise"))
    return zone, reasons


def quote(
    card: RateCard, req: RateRequest, value_in: Callable[[Decimal, str, str], Decimal | None] | None = None
) -> Option | Ineligible:
    """Price one parcel on one card, or say why it cannot go."""
    unknown = [f for f in req.contents if f not in CONTENT_FLAGS]
    zone, reasons = check_eligibility(card, req, value_in)
    if unknown:
        reasons.append(("forbidden contents", f"unknown contents flag(s) {', '.join(unknown)}"))
    p = req.parcel
    raw: list[tuple[str, str, Decimal]] = []
    if zone is None or any(r == "not in force" for r, _d in reasons):
        return Ineligible(card.code, card.carrier, card.service, _merge(reasons))
    w, explain = billable_weight(card, p)
    if zone is not None:
        if zone.per_cbm is not None:
            raw = _per_cbm_lines(zone, p, explain)
        else:
            raw, why = _freight(card, zone, w, p)
            if why:
                reasons.append(("too heavy", why))
            raw = [(k, lbl if p.quantity == 1 else f"{lbl} × {p.quantity}", amt * p.quantity) for k, lbl, amt in raw]
    if reasons:
        return Ineligible(card.code, card.carrier, card.service, _merge(reasons))
    assert zone is not None
    rule = f"{card.carrier} {card.service} ({card.code}) valid from {card.valid_from.isoformat()}, zone {zone.label}"
    lines = [Line(k, lbl, r2(amt), rule, card.source) for k, lbl, amt in raw]
    freight = sum((ln.amount for ln in lines), Decimal(0))
    fuel: list[Surcharge] = []
    for s in card.surcharges:
        if not surcharge_applies(s, req):
            continue
        if s.type == "fuel_percent":
            fuel.append(s)
            continue
        amt, label = _surcharge_amount(s, w, p.quantity, freight)
        lines.append(Line("surcharge", f"{s.name}: {label}", r2(amt), _dated(s), s.source or card.source))
    for s in fuel:
        lines.append(Line("fuel", f"{s.name}: {fmt(s.value)}% of freight {fmt(freight)}", r2(freight * s.value / HUNDRED), _dated(s), s.source or card.source))
    price = sum((ln.amount for ln in lines), Decimal(0))
    tmin = zone.transit_min if zone.transit_min is not None else card.transit_min
    tmax = zone.transit_max if zone.transit_max is not None else card.transit_max
    if tmax is None and req.max_days is not None:
        explain.append("the card gives no transit time: the delivery promise could not be checked")
    return Option(
        code=card.code,
        carrier=card.carrier,
        service=card.service,
        currency=card.currency,
        price=price,
        billable_weight_kg=w,
        transit_min=tmin,
        transit_max=tmax,
        lines=tuple(lines),
        explain=tuple(explain),
        zone=zone.label,
        mode=card.mode,
        source=card.source,
        illustrative=card.illustrative,
    )


def _merge(reasons: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """One entry per reason kind, details joined."""
    merged: dict[str, list[str]] = {}
    for r, d in reasons:
        merged.setdefault(r, []).append(d)
    return tuple((r, "; ".join(ds)) for r, ds in merged.items())


def _dated(s: Surcharge) -> str:
    if s.valid_from or s.valid_to:
        return f"{s.name} valid {s.valid_from.isoformat() if s.valid_from else '…'} to {s.valid_to.isoformat() if s.valid_to else '…'}"
    return s.name


def transit_key(days: int | None) -> int:
    """Sort key: unknown transit times rank after every known one."""
    return days if days is not None else 10**6


def select_versions(cards: Iterable[RateCard], on: date) -> list[RateCard]:
    """One card per code: the version in force on ``on`` (latest ``valid_from``), else the latest."""
    by_code: dict[str, list[RateCard]] = {}
    for c in cards:
        by_code.setdefault(c.code, []).append(c)
    chosen: list[RateCard] = []
    for versions in by_code.values():
        live = [c for c in versions if c.in_force(on)]
        chosen.append(max(live, key=lambda c: c.valid_from) if live else max(versions, key=lambda c: c.valid_from))
    return chosen


def shop(
    cards: Iterable[RateCard],
    req: RateRequest,
    to_rank_currency: Callable[[Decimal, str], Decimal] | None = None,
    value_in: Callable[[Decimal, str, str], Decimal | None] | None = None,
    extras: Callable[[Option, RateRequest], tuple[dict[str, str], ...]] | None = None,
) -> ShopResult:
    """Quote every card; options cheapest first (then fastest, then code), ineligible with reasons.

    Cards in force on ``req.on`` only compete with each other per code: when several versions
    of one code exist, the one valid on the date is used and older ones are skipped silently.
    ``to_rank_currency`` converts prices for ranking when cards use different currencies.
    ``extras`` adds landed-cost lines (destination duties and taxes) to each option.
    """
    chosen = select_versions(cards, req.on)
    options: list[Option] = []
    inel: list[Ineligible] = []
    notes: list[str] = []
    for card in chosen:
        res = quote(card, req, value_in)
        if isinstance(res, Ineligible):
            inel.append(res)
        else:
            options.append(res)
    currencies = {o.currency for o in options}
    mixed_unranked = False
    if len(currencies) > 1:
        if to_rank_currency is None:
            mixed_unranked = True
            notes.append("options are in several currencies and no FX rates were given: ranked within each currency")
        else:
            options = [replace(o, rank_price=to_rank_currency(o.price, o.currency)) for o in options]
    if extras is not None:
        options = [replace(o, extras=extras(o, req)) for o in options]
        ddp = any(x.get("amount") and x.get("incoterm", "DDP") == "DDP" for o in options for x in o.extras)
        if ddp and to_rank_currency is not None:
            conv = to_rank_currency
            options = [
                replace(
                    o,
                    rank_price=conv(o.price, o.currency)
                    + sum(
                        (conv(Decimal(x["amount"]), x["currency"]) for x in o.extras if x.get("amount") and x.get("incoterm", "DDP") == "DDP"),
                        Decimal(0),
                    ),
                )
                for o in options
            ]
            mixed_unranked = False
            notes.append("ranked by total cost to the seller: freight + duties and taxes the seller pays (DDP)")

    def key(o: Option) -> tuple[object, ...]:
        price = o.rank_price if o.rank_price is not None else o.price
        return (o.currency if mixed_unranked else "", price, transit_key(o.transit_max), o.code)

    options.sort(key=key)
    inel.sort(key=lambda i: i.code)
    return ShopResult(tuple(options), tuple(inel), tuple(notes))


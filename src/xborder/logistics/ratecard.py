"""Rate cards: the data model and the YAML file format, validated with line numbers.

A rate card is one carrier service's published price list (see ``docs/logistics.md`` for the
full format). It covers the pricing shapes of China export lines recorded in
``shared/research/logistics.md`` §2.1:

* A/C ``bands``: per-kg price plus a per-piece (registration) fee per weight band;
* B ``first_weight`` + ``additional`` steps ("each started step is charged");
* D zone x weight ``prices`` on the card's ``table_weights_kg`` (+ ``above_table_per_kg``);
* E heavy FBA lines: ``min_chargeable_kg`` per carton, oversize / overweight surcharges;
* head-haul ``per_cbm`` pricing (sea / air) with a weight/measure ratio.

Band rule: **upper bounds inclusive, lower bounds exclusive** (0.5 kg falls in the band
``up_to_kg: 0.5``) — karrio's ``min <= w < max`` silently loses parcels at bracket edges.

Every number is read from the YAML source text as an exact ``Decimal`` (never through float).

>>> card = parse_card('''
... carrier: Example Post
... service: Tracked small packet
... code: ex-packet
... currency: CNY
... valid_from: 2026-01-01
... transit_days: {min: 7, max: 15}
... zones:
...   - countries: [US]
...     bands:
...       - {up_to_kg: 0.5, per_kg: 65, per_piece: 14}
... ''')
>>> card.code, card.zones[0].bands[0].per_kg
('ex-packet', Decimal('65'))
>>> try:
...     parse_card("carrier: X\\ncode: Bad Code\\n", "bad.yaml")
... except RateCardInvalid as e:
...     [(x["line"], x["field"]) for x in e.errors]
[(1, 'service'), (1, 'currency'), (1, 'valid_from'), (1, 'zones'), (2, 'code')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
import yaml

from xborder.logistics.errors import RateCardInvalid

CONTENT_FLAGS = ("battery", "liquid", "magnet", "powder")
MODES = ("parcel", "express", "air", "sea")
SURCHARGE_TYPES = (
    "fuel_percent",
    "percent",
    "per_piece",
    "per_kg",
    "remote_area",
    "peak_per_kg",
)
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


# --- the model ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostcodeRule:
    """``"10000-14999"`` (inclusive range of same-length codes), ``"BT*"`` (prefix) or exact."""

    text: str

    def matches(self, postcode: str | None) -> bool:
        if not postcode:
            return False
        pc = postcode.replace(" ", "").upper()
        t = self.text.replace(" ", "").upper()
        if t.endswith("*"):
            return pc.startswith(t[:-1])
        if "-" in t:
            lo, hi = t.split("-", 1)
            head = pc[: len(lo)]
            return len(head) == len(lo) and lo <= head <= hi
        return pc == t


def postcode_match(rules: tuple[PostcodeRule, ...], postcode: str | None) -> bool:
    return any(r.matches(postcode) for r in rules)


@dataclass(frozen=True)
class Band:
    up_to_kg: Decimal
    per_kg: Decimal = Decimal(0)
    per_piece: Decimal = Decimal(0)


@dataclass(frozen=True)
class FirstWeight:
    kg: Decimal
    price: Decimal


@dataclass(frozen=True)
class Additional:
    step_kg: Decimal
    price: Decimal
    up_to_kg: Decimal | None = None


@dataclass(frozen=True)
class PerCbm:
    price: Decimal
    min_cbm: Decimal = Decimal(0)
    step_cbm: Decimal = Decimal("0.001")
    kg_per_cbm: Decimal | None = None  # weight/measure: 1000 for sea (1 cbm = 1 t), 167 for air


@dataclass(frozen=True)
class Zone:
    countries: tuple[str, ...]
    name: str = ""
    postcodes: tuple[PostcodeRule, ...] = ()
    transit_min: int | None = None
    transit_max: int | None = None
    bands: tuple[Band, ...] = ()
    first_weight: FirstWeight | None = None
    additional: Additional | None = None
    prices: tuple[Decimal, ...] = ()
    above_table_per_kg: Decimal | None = None
    per_cbm: PerCbm | None = None

    @property
    def shape(self) -> str:
        if self.bands:
            return "bands"
        if self.first_weight is not None:
            return "first_weight"
        if self.prices:
            return "table"
        return "per_cbm"

    @property
    def label(self) -> str:
        return self.name or ",".join(self.countries)


@dataclass(frozen=True)
class Surcharge:
    type: str
    name: str
    value: Decimal = Decimal(0)  # percent for *_percent, amount per piece / per kg otherwise
    per_piece: Decimal = Decimal(0)  # remote_area only
    per_kg: Decimal = Decimal(0)  # remote_area only
    minimum: Decimal | None = None
    countries: tuple[str, ...] = ()
    postcodes: tuple[PostcodeRule, ...] = ()
    contents: tuple[str, ...] = ()
    longest_side_cm_over: Decimal | None = None
    actual_weight_kg_over: Decimal | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    source: str = ""

    def in_force(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class RoundingStep:
    step_kg: Decimal
    up_to_kg: Decimal | None = None


@dataclass(frozen=True)
class Limits:
    min_weight_kg: Decimal | None = None
    max_weight_kg: Decimal | None = None
    max_longest_side_cm: Decimal | None = None
    max_second_side_cm: Decimal | None = None
    max_sum_of_sides_cm: Decimal | None = None
    max_length_plus_girth_cm: Decimal | None = None
    max_value: Decimal | None = None
    max_value_currency: str | None = None


@dataclass(frozen=True)
class Volumetric:
    divisor: Decimal
    applies_when_longest_side_cm_over: Decimal | None = None
    applies_when_volume_cm3_over: Decimal | None = None


@dataclass(frozen=True)
class RateCard:
    carrier: str
    service: str
    code: str
    currency: str
    valid_from: date
    transit_min: int | None
    transit_max: int | None
    zones: tuple[Zone, ...]
    valid_to: date | None = None
    mode: str = "parcel"
    delivers_to: str = "buyer"  # buyer | warehouse (head-haul to an overseas / FBA warehouse)
    origins: tuple[str, ...] = ("CN",)
    source: str = ""
    illustrative: bool = False
    postal: bool = False  # a designated postal operator's service: items travel with a UPU CN 22 / CN 23
    postal_parcel: bool = False  # ``postal: parcel``: a postal parcel service (always a CN 23); else small packets
    volumetric: Volumetric | None = None
    rounding: tuple[RoundingStep, ...] = ()
    limits: Limits = field(default_factory=Limits)
    forbidden: tuple[str, ...] = ()
    min_chargeable_kg: Decimal | None = None
    surcharges: tuple[Surcharge, ...] = ()
    table_weights_kg: tuple[Decimal, ...] = ()

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def countries(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for z in self.zones:
            for c in z.countries:
                seen[c] = None
        return tuple(seen)


# --- YAML reading with line marks ------------------------------------------------------------


class _Errors:
    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []

    def add(self, node: yaml.Node | None, fieldpath: str, message: str, fallback: yaml.Node | None = None) -> None:
        n = node if node is not None else fallback
        line = n.start_mark.line + 1 if n is not None else 1
        col = n.start_mark.column + 1 if n is not None else 1
        self.items.append({"line": line, "column": col, "field": fieldpath, "message": message})


class _Map:
    """A YAML mapping node with its keys, remembering which keys were read."""

    def __init__(self, node: yaml.MappingNode, path: str, errors: _Errors):
        self.node = node
        self.path = path
        self.errors = errors
        self.items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for k, v in node.value:
            key = k.value if isinstance(k, yaml.ScalarNode) else str(k)
            if key in self.items:
                errors.add(k, self._p(key), "duplicate key")
            self.items[key] = (k, v)
        self.used: set[str] = set()

    def _p(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str) -> yaml.Node | None:
        self.used.add(key)
        item = self.items.get(key)
        if item is None:
            return None
        if isinstance(item[1], yaml.ScalarNode) and item[1].tag.endswith(":null"):
            return None
        return item[1]

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def check_unknown(self, allowed: tuple[str, ...] | None = None) -> None:
        for key, (knode, _v) in self.items.items():
            if key not in self.used and (allowed is None or key not in allowed):
                self.errors.add(knode, self._p(key), "unknown field")

    # typed readers -------------------------------------------------------------------------
    def text(self, key: str, required: bool = False, default: str = "") -> str:
        node = self.get(key)
        if node is None:
            if required:
                self.errors.add(None, self._p(key), "required field is missing", self.node)
            return default
        if not isinstance(node, yaml.ScalarNode) or node.value == "":
            self.errors.add(node, self._p(key), "expected a text value")
            return default
        return str(node.value).strip()

    def decimal(
        self,
        key: str,
        required: bool = False,
        positive: bool = False,
        minimum: Decimal | None = Decimal(0),
    ) -> Decimal | None:
        node = self.get(key)
        if node is None:
            if required:
                self.errors.add(None, self._p(key), "required field is missing", self.node)
            return None
        return _decimal(node, self._p(key), self.errors, positive=positive, minimum=minimum)

    def integer(self, key: str, required: bool = False) -> int | None:
        node = self.get(key)
        if node is None:
            if required:
                self.errors.add(None, self._p(key), "required field is missing", self.node)
            return None
        if not isinstance(node, yaml.ScalarNode) or not re.fullmatch(r"\d+", str(node.value).strip()):
            self.errors.add(node, self._p(key), "expected a whole number of days (0 or more)")
            return None
        return int(node.value)

    def date(self, key: str, required: bool = False) -> date | None:
        node = self.get(key)
        if node is None:
            if required:
                self.errors.add(None, self._p(key), "required field is missing", self.node)
            return None
        try:
            return date.fromisoformat(str(node.value).strip())
        except (ValueError, TypeError):
            self.errors.add(node, self._p(key), "expected a date YYYY-MM-DD")
            return None

    def scalar(self, key: str) -> yaml.ScalarNode | None:
        node = self.get(key)
        return node if isinstance(node, yaml.ScalarNode) else None

    def boolean(self, key: str) -> bool:
        node = self.get(key)
        if node is None:
            return False
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":bool"):
            return str(node.value).lower() in ("true", "yes", "on")
        self.errors.add(node, self._p(key), "expected true or false")
        return False

    def mapping(self, key: str, required: bool = False) -> _Map | None:
        node = self.get(key)
        if node is None:
            if required:
                self.errors.add(None, self._p(key), "required field is missing", self.node)
            return None
        if not isinstance(node, yaml.MappingNode):
            self.errors.add(node, self._p(key), "expected a mapping {key: value, ...}")
            return None
        return _Map(node, self._p(key), self.errors)

    def sequence(self, key: str, required: bool = False) -> list[yaml.Node] | None:
        node = self.get(key)
        if node is None:
            if required:
                self.errors.add(None, self._p(key), "required field is missing", self.node)
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.errors.add(node, self._p(key), "expected a list [a, b, ...]")
            return None
        return list(node.value)

    def strings(self, key: str, required: bool = False) -> list[tuple[str, yaml.Node]]:
        seq = self.sequence(key, required)
        out: list[tuple[str, yaml.Node]] = []
        for i, item in enumerate(seq or []):
            if not isinstance(item, yaml.ScalarNode) or str(item.value).strip() == "":
                self.errors.add(item, f"{self._p(key)}[{i}]", "expected a text value")
                continue
            out.append((str(item.value).strip(), item))
        return out


def _decimal(
    node: yaml.Node, path: str, errors: _Errors, positive: bool = False, minimum: Decimal | None = Decimal(0)
) -> Decimal | None:
    if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":bool"):
        errors.add(node, path, "expected a number")
        return None
    raw = str(node.value).strip().replace("_", "")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        errors.add(node, path, f"{node.value!r} is not a number")
        return None
    if not value.is_finite():
        errors.add(node, path, "expected a finite number")
        return None
    if positive and value <= 0:
        errors.add(node, path, "must be greater than 0")
        return None
    if minimum is not None and value < minimum:
        errors.add(node, path, f"must be at least {minimum}")
        return None
    return value


def _countries(m: _Map, key: str, required: bool) -> tuple[str, ...]:
    out = []
    for i, (code, node) in enumerate(m.strings(key, required)):
        c = code.upper()
        if len(c) != 2 or pycountry.countries.get(alpha_2=c) is None:
            m.errors.add(node, f"{m._p(key)}[{i}]", f"{code!r} is not an ISO 3166 two-letter country code")
            continue
        out.append(c)
    if required and m.has(key) and not out and not m.errors.items:
        m.errors.add(m.get(key), m._p(key), "list at least one country")
    return tuple(out)


def _postcodes(m: _Map, key: str) -> tuple[PostcodeRule, ...]:
    out = []
    for i, (text, node) in enumerate(m.strings(key)):
        t = text.replace(" ", "")
        if "-" in t and not t.endswith("*"):
            lo, _sep, hi = t.partition("-")
            if not lo or not hi or len(lo) != len(hi) or lo.upper() > hi.upper():
                m.errors.add(node, f"{m._p(key)}[{i}]", f"{text!r}: a range is LOW-HIGH with codes of the same length, LOW <= HIGH")
                continue
        out.append(PostcodeRule(t.upper()))
    return tuple(out)


def _contents(m: _Map, key: str) -> tuple[str, ...]:
    out = []
    for i, (flag, node) in enumerate(m.strings(key)):
        if flag not in CONTENT_FLAGS:
            m.errors.add(node, f"{m._p(key)}[{i}]", f"{flag!r} is not a contents flag ({', '.join(CONTENT_FLAGS)})")
            continue
        out.append(flag)
    return tuple(out)


def _map_item(node: yaml.Node, path: str, errors: _Errors) -> _Map | None:
    if not isinstance(node, yaml.MappingNode):
        errors.add(node, path, "expected a mapping {key: value, ...}")
        return None
    return _Map(node, path, errors)


def _parse_bands(z: _Map, errors: _Errors) -> tuple[Band, ...]:
    seq = z.sequence("bands")
    bands: list[Band] = []
    prev: Decimal | None = None
    for i, item in enumerate(seq or []):
        b = _map_item(item, f"{z.path}.bands[{i}]", errors)
        if b is None:
            continue
        up = b.decimal("up_to_kg", required=True, positive=True)
        per_kg = b.decimal("per_kg") or Decimal(0)
        per_piece = b.decimal("per_piece") or Decimal(0)
        b.check_unknown()
        if up is None:
            continue
        if prev is not None and up <= prev:
            errors.add(b.get("up_to_kg"), f"{b.path}.up_to_kg", f"bands must increase: {up} is not above the previous {prev}")
        prev = up if prev is None or up > prev else prev
        bands.append(Band(up, per_kg, per_piece))
    if seq is not None and not seq:
        errors.add(z.get("bands"), f"{z.path}.bands", "list at least one band")
    return tuple(bands)


def _parse_zone(node: yaml.Node, i: int, errors: _Errors, table_len: int) -> Zone | None:
    z = _map_item(node, f"zones[{i}]", errors)
    if z is None:
        return None
    countries = _countries(z, "countries", required=True)
    name = z.text("name")
    postcodes = _postcodes(z, "postcodes")
    tmin = tmax = None
    td = z.mapping("transit_days")
    if td is not None:
        tmin = td.integer("min", required=True)
        tmax = td.integer("max", required=True)
        td.check_unknown()
        if tmin is not None and tmax is not None and tmin > tmax:
            errors.add(td.get("max"), f"{td.path}.max", "max must not be below min")
    shapes = [k for k in ("bands", "first_weight", "prices", "per_cbm") if z.has(k)]
    if not shapes:
        errors.add(None, z.path, "give one pricing: bands, first_weight (+ additional), prices or per_cbm", z.node)
    elif len(shapes) > 1:
        errors.add(z.get(shapes[1]), f"{z.path}.{shapes[1]}", f"only one pricing per zone (also has {shapes[0]})")
    bands = _parse_bands(z, errors) if "bands" in shapes else ()
    first = add = None
    fw = z.mapping("first_weight")
    if fw is not None:
        kg = fw.decimal("kg", required=True, positive=True)
        price = fw.decimal("price", required=True)
        fw.check_unknown()
        if kg is not None and price is not None:
            first = FirstWeight(kg, price)
    ad = z.mapping("additional")
    if ad is not None:
        if fw is None:
            errors.add(z.get("additional"), f"{z.path}.additional", "additional needs first_weight")
        step = ad.decimal("step_kg", required=True, positive=True)
        price = ad.decimal("price", required=True)
        up_to = ad.decimal("up_to_kg", positive=True)
        ad.check_unknown()
        if step is not None and price is not None:
            add = Additional(step, price, up_to)
            if first is not None and up_to is not None and up_to <= first.kg:
                errors.add(ad.get("up_to_kg"), f"{ad.path}.up_to_kg", "must be above first_weight.kg")
    prices: tuple[Decimal, ...] = ()
    seq = z.sequence("prices")
    if seq is not None:
        vals = [_decimal(n, f"{z.path}.prices[{j}]", errors) for j, n in enumerate(seq)]
        if table_len == 0:
            errors.add(z.get("prices"), f"{z.path}.prices", "prices need the card's table_weights_kg")
        elif len(vals) != table_len:
            errors.add(z.get("prices"), f"{z.path}.prices", f"expected {table_len} prices (one per table weight), got {len(vals)}")
        prices = tuple(v if v is not None else Decimal(0) for v in vals)
    above = z.decimal("above_table_per_kg")
    if above is not None and not prices:
        errors.add(z.get("above_table_per_kg"), f"{z.path}.above_table_per_kg", "only with prices")
    pc = None
    pm = z.mapping("per_cbm")
    if pm is not None:
        price = pm.decimal("price", required=True)
        min_cbm = pm.decimal("min_cbm") or Decimal(0)
        step = pm.decimal("step_cbm", positive=True) or Decimal("0.001")
        ratio = pm.decimal("kg_per_cbm", positive=True)
        pm.check_unknown()
        if price is not None:
            pc = PerCbm(price, min_cbm, step, ratio)
    z.check_unknown()
    return Zone(
        countries=countries,
        name=name,
        postcodes=postcodes,
        transit_min=tmin,
        transit_max=tmax,
        bands=bands,
        first_weight=first,
        additional=add,
        prices=prices,
        above_table_per_kg=above,
        per_cbm=pc,
    )


def _parse_surcharge(node: yaml.Node, i: int, errors: _Errors) -> Surcharge | None:
    s = _map_item(node, f"surcharges[{i}]", errors)
    if s is None:
        return None
    typ = s.text("type", required=True)
    if typ and typ not in SURCHARGE_TYPES:
        errors.add(s.get("type"), f"{s.path}.type", f"{typ!r} is not a surcharge type ({', '.join(SURCHARGE_TYPES)})")
        typ = ""
    value = s.decimal("value", required=typ in ("fuel_percent", "percent", "per_piece", "per_kg", "peak_per_kg"))
    per_piece = s.decimal("per_piece")
    per_kg = s.decimal("per_kg")
    if typ == "remote_area" and per_piece is None and per_kg is None:
        errors.add(None, s.path, "remote_area needs per_piece and/or per_kg", s.node)
    if typ != "remote_area" and (per_piece is not None or per_kg is not None):
        errors.add(s.get("per_piece") or s.get("per_kg"), s.path, "per_piece / per_kg belong to remote_area; use value")
    postcodes = _postcodes(s, "postcodes")
    if typ == "remote_area" and not postcodes:
        errors.add(None, f"{s.path}.postcodes", "remote_area needs the postcodes it applies to", s.node)
    vf = s.date("valid_from")
    vt = s.date("valid_to")
    if typ == "peak_per_kg" and (vf is None or vt is None):
        errors.add(None, s.path, "peak_per_kg needs valid_from and valid_to (a peak season is dated)", s.node)
    if vf and vt and vt < vf:
        errors.add(s.get("valid_to"), f"{s.path}.valid_to", "valid_to is before valid_from")
    out = Surcharge(
        type=typ,
        name=s.text("name") or typ.replace("_", " "),
        value=value or Decimal(0),
        per_piece=per_piece or Decimal(0),
        per_kg=per_kg or Decimal(0),
        minimum=s.decimal("min"),
        countries=_countries(s, "countries", required=False),
        postcodes=postcodes,
        contents=_contents(s, "contents"),
        longest_side_cm_over=s.decimal("longest_side_cm_over"),
        actual_weight_kg_over=s.decimal("actual_weight_kg_over"),
        valid_from=vf,
        valid_to=vt,
        source=s.text("source"),
    )
    s.check_unknown()
    return out if typ else None


def _parse_rounding(m: _Map, errors: _Errors) -> tuple[RoundingStep, ...]:
    node = m.get("rounding")
    if node is None:
        return ()
    items = [node] if isinstance(node, yaml.MappingNode) else node.value if isinstance(node, yaml.SequenceNode) else None
    if items is None:
        errors.add(node, "rounding", "expected {step_kg: X} or a list of {up_to_kg, step_kg}")
        return ()
    out: list[RoundingStep] = []
    for i, item in enumerate(items):
        r = _map_item(item, f"rounding[{i}]" if isinstance(node, yaml.SequenceNode) else "rounding", errors)
        if r is None:
            continue
        step = r.decimal("step_kg", required=True, positive=True)
        up = r.decimal("up_to_kg", positive=True)
        r.check_unknown()
        if step is not None:
            if (step * 1000) != (step * 1000).to_integral_value():
                errors.add(r.get("step_kg"), f"{r.path}.step_kg", "weights are counted in whole grams: use a multiple of 0.001 kg")
                continue
            out.append(RoundingStep(step, up))
    for j, r0 in enumerate(out[:-1]):
        if r0.up_to_kg is None:
            errors.add(node, f"rounding[{j}]", "only the last rounding rule may omit up_to_kg")
    return tuple(out)


def _postal(m: _Map) -> tuple[bool, bool]:
    """``postal: true`` / ``packet`` (UPU letter-post small packets: CN 22 below 300 SDR) or
    ``parcel`` (postal parcels: always a CN 23) -> (postal, parcel)."""
    node = m.scalar("postal")
    if node is not None and not node.tag.endswith(":bool"):
        value = str(node.value).strip().lower()
        if value in ("packet", "parcel"):
            return True, value == "parcel"
        m.errors.add(node, m._p("postal"), "expected true, false, packet or parcel")
        return False, False
    return m.boolean("postal"), False


def parse_card(text: str, filename: str = "<card>") -> RateCard:
    """Parse and validate a rate card; raise :class:`RateCardInvalid` listing every error."""
    errors = _Errors()
    try:
        # aliases (*name) are refused: they are not needed and would let a small file expand hugely
        for ev in yaml.parse(text):
            if isinstance(ev, yaml.AliasEvent):
                m0 = ev.start_mark
                line, col = (m0.line + 1, m0.column + 1) if m0 is not None else (1, 1)
                raise RateCardInvalid(filename, [{"line": line, "column": col, "field": "", "message": "YAML aliases (*name) are not supported in rate cards: write the values out"}])
        root = yaml.compose(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        raise RateCardInvalid(filename, [{"line": line, "column": col, "field": "", "message": f"not valid YAML: {getattr(e, 'problem', None) or e}"}]) from None
    if not isinstance(root, yaml.MappingNode):
        raise RateCardInvalid(filename, [{"line": 1, "column": 1, "field": "", "message": "a rate card is a YAML mapping (carrier:, service:, zones: ...)"}])
    m = _Map(root, "", errors)
    carrier = m.text("carrier", required=True)
    service = m.text("service", required=True)
    code = m.text("code", required=True)
    if code and not CODE_RE.match(code):
        errors.add(m.get("code"), "code", "use lower-case letters, digits, '.', '_' or '-' (e.g. ex-packet)")
    currency = m.text("currency", required=True).upper()
    if currency and (len(currency) != 3 or pycountry.currencies.get(alpha_3=currency) is None):
        errors.add(m.get("currency"), "currency", f"{currency!r} is not an ISO 4217 currency code")
    valid_from = m.date("valid_from", required=True)
    valid_to = m.date("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        errors.add(m.get("valid_to"), "valid_to", "valid_to is before valid_from")
    mode = m.text("mode", default="parcel")
    if mode not in MODES:
        errors.add(m.get("mode"), "mode", f"{mode!r} is not a mode ({', '.join(MODES)})")
    delivers_to = m.text("delivers_to", default="buyer")
    if delivers_to not in ("buyer", "warehouse"):
        errors.add(m.get("delivers_to"), "delivers_to", "expected buyer or warehouse")
    origins = _countries(m, "origin", required=False) or ("CN",)
    source = m.text("source")
    illustrative = m.boolean("illustrative")
    postal, postal_parcel = _postal(m)
    tmin: int | None = None
    tmax: int | None = None
    td = m.mapping("transit_days")
    if td is not None:
        tmin = td.integer("min", required=True)
        tmax = td.integer("max", required=True)
        td.check_unknown()
        if tmin is not None and tmax is not None and tmin > tmax:
            errors.add(td.get("max"), "transit_days.max", "max must not be below min")
    vol = None
    vm = m.mapping("volumetric")
    if vm is not None:
        divisor = vm.decimal("divisor", required=True, positive=True)
        side = vm.decimal("applies_when_longest_side_cm_over")
        volume = vm.decimal("applies_when_volume_cm3_over")
        vm.check_unknown()
        if divisor is not None:
            vol = Volumetric(divisor, side, volume)
    rounding = _parse_rounding(m, errors)
    limits = Limits()
    lm = m.mapping("limits")
    if lm is not None:
        mv = lm.mapping("max_value")
        mv_amount = mv_cur = None
        if mv is not None:
            mv_amount = mv.decimal("amount", required=True, positive=True)
            mv_cur = mv.text("currency", required=True).upper() or None
            if mv_cur and pycountry.currencies.get(alpha_3=mv_cur) is None:
                errors.add(mv.get("currency"), "limits.max_value.currency", f"{mv_cur!r} is not an ISO 4217 currency code")
            mv.check_unknown()
        limits = Limits(
            min_weight_kg=lm.decimal("min_weight_kg"),
            max_weight_kg=lm.decimal("max_weight_kg", positive=True),
            max_longest_side_cm=lm.decimal("max_longest_side_cm", positive=True),
            max_second_side_cm=lm.decimal("max_second_side_cm", positive=True),
            max_sum_of_sides_cm=lm.decimal("max_sum_of_sides_cm", positive=True),
            max_length_plus_girth_cm=lm.decimal("max_length_plus_girth_cm", positive=True),
            max_value=mv_amount,
            max_value_currency=mv_cur,
        )
        lm.check_unknown()
    forbidden = _contents(m, "forbidden")
    min_chargeable = m.decimal("min_chargeable_kg", positive=True)
    table: tuple[Decimal, ...] = ()
    tw = m.sequence("table_weights_kg")
    if tw is not None:
        vals = [_decimal(n, f"table_weights_kg[{j}]", errors, positive=True) for j, n in enumerate(tw)]
        clean = [v for v in vals if v is not None]
        for j in range(1, len(clean)):
            if clean[j] <= clean[j - 1]:
                errors.add(tw[j], f"table_weights_kg[{j}]", "table weights must increase")
        table = tuple(clean)
    surcharges = tuple(
        s for i, n in enumerate(m.sequence("surcharges") or []) if (s := _parse_surcharge(n, i, errors)) is not None
    )
    zone_nodes = m.sequence("zones", required=True)
    zones = tuple(z for i, n in enumerate(zone_nodes or []) if (z := _parse_zone(n, i, errors, len(table))) is not None)
    if zone_nodes is not None and not zone_nodes:
        errors.add(m.get("zones"), "zones", "list at least one zone")
    # a country may appear in several zones only when they are told apart by postcodes
    seen: dict[str, int] = {}
    for i, z in enumerate(zones):
        if z.postcodes:
            continue
        for c in z.countries:
            if c in seen:
                errors.add(zone_nodes[i] if zone_nodes else None, f"zones[{i}].countries", f"{c} is already in zones[{seen[c]}] (use postcodes to split a country)")
            seen[c] = i
    m.check_unknown()
    if errors.items:
        errors.items.sort(key=lambda e: (e["line"], e["column"]))
        raise RateCardInvalid(filename, errors.items)
    return RateCard(
        carrier=carrier,
        service=service,
        code=code,
        currency=currency,
        valid_from=valid_from,  # type: ignore[arg-type]
        valid_to=valid_to,
        transit_min=tmin,
        transit_max=tmax,
        zones=zones,
        mode=mode,
        delivers_to=delivers_to,
        origins=origins,
        source=source,
        illustrative=illustrative,
        postal=postal,
        postal_parcel=postal_parcel,
        volumetric=vol,
        rounding=rounding,
        limits=limits,
        forbidden=forbidden,
        min_chargeable_kg=min_chargeable,
        surcharges=surcharges,
        table_weights_kg=table,
    )

"""Landed margin per unit and market: what is left of the selling price after the export chain.

    margin = price − marketplace fee − shipping − import duty − import VAT − purchase cost + export VAT rebate

When the customs and logistics engines of this code base are installed they can supply duty
and shipping (see :mod:`xborder.selection.service`); otherwise this **explicit estimate model**
is used. Every parameter is visible (CLI ``xborder selection margin-model``, the web page and
each explanation line), dated and sourced, and can be overridden per market with a JSON file.

Default parameters and where they come from (checked 2026-11):

* ``fee_rate`` 15 % — a marketplace referral fee of the size most Amazon EU/UK categories
  charge; an assumption [K] until the seller's own settlement data replaces it.
* ``shipping_per_kg`` CNY 47 + ``shipping_per_item`` CNY 16 — WANB 万邦速达 UK line
  (EUEXR), first band, from ``research/logistics.md`` (a public rate file, marked [code]).
* ``unit_weight_kg`` 0.30 kg, ``cost_ratio`` 40 % of the selling price — assumptions for a
  gift-type product when neither a weight nor a purchase cost is known [K].
* ``duty_rate`` 4 % of the customs value (purchase cost + shipping) — an assumption of a
  typical EU/UK MFN rate for household articles [K]; the customs engine replaces it.
* ``vat_rate`` 0 — prices treated as net of import VAT (B2B buyers such as the UCI
  retailer's wholesalers reverse-charge VAT). Set 0.20 for UK B2C prices that include VAT.
* ``rebate_rate`` 13 % and ``purchase_vat_rate`` 13 % — China's export VAT rebate for most
  manufactured goods (退税率 13 %, 征退一致), computed on the **net** amount of the purchase
  VAT special invoice (应退税额 = 计税依据 × 退税率; 财税〔2012〕39号, 2026年第11号); no
  rebate with an ordinary invoice (``research/rebate_fx.md`` §1).

>>> a = MarginAssumptions()
>>> m = unit_margin(Decimal("10.00"), "GBP", a, fx_rate=Decimal("0.11"))
>>> [(ln.label, str(ln.amount)) for ln in m.lines]  # doctest: +NORMALIZE_WHITESPACE
[('price', '10.00'), ('marketplace fee', '-1.5000'), ('shipping', '-3.3110'),
 ('import duty', '-0.2924'), ('import VAT', '0.0000'), ('purchase cost', '-4.0000'),
 ('export VAT rebate', '0.4602')]
>>> str(m.margin), str(m.margin_rate)
('1.3568', '0.1357')
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from xborder.errors import ValidationError
from xborder.money import check_currency, quantize, to_decimal

FOUR = 4


@dataclass(frozen=True)
class MarginAssumptions:
    market: str = "*"
    fee_rate: Decimal = Decimal("0.15")
    shipping_per_kg: Decimal = Decimal("47")
    shipping_per_item: Decimal = Decimal("16")
    shipping_currency: str = "CNY"
    unit_weight_kg: Decimal = Decimal("0.30")
    duty_rate: Decimal = Decimal("0.04")
    vat_rate: Decimal = Decimal("0")
    cost_ratio: Decimal = Decimal("0.40")
    rebate_rate: Decimal = Decimal("0.13")
    purchase_vat_rate: Decimal = Decimal("0.13")
    special_invoice: bool = True
    valid_from: date = date(2026, 1, 1)
    valid_to: date | None = None
    sources: dict[str, str] = field(
        default_factory=lambda: {
            "fee_rate": "assumption: typical marketplace referral fee (Amazon EU/UK most categories) [K]",
            "shipping_per_kg": "WANB UK line EUEXR 47 CNY/kg + 16 CNY/item, research/logistics.md [code]",
            "shipping_per_item": "WANB UK line EUEXR, research/logistics.md [code]",
            "unit_weight_kg": "assumption for a gift-type item [K]",
            "duty_rate": "assumption: typical EU/UK MFN duty for household articles [K]",
            "vat_rate": "0: B2B prices net of import VAT (reverse charge)",
            "cost_ratio": "assumption when no purchase cost is known [K]",
            "rebate_rate": "China export VAT rebate 13% (most manufactured goods), research/rebate_fx.md §1-2",
            "purchase_vat_rate": "China VAT 13% on the purchase special invoice",
        }
    )

    NUMERIC = (
        "fee_rate",
        "shipping_per_kg",
        "shipping_per_item",
        "unit_weight_kg",
        "duty_rate",
        "vat_rate",
        "cost_ratio",
        "rebate_rate",
        "purchase_vat_rate",
    )

    def applies(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"market": self.market}
        for k in self.NUMERIC:
            out[k] = format(getattr(self, k), "f")
        out.update(
            shipping_currency=self.shipping_currency,
            special_invoice=self.special_invoice,
            valid_from=self.valid_from.isoformat(),
            valid_to=self.valid_to.isoformat() if self.valid_to else None,
            sources=dict(self.sources),
        )
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], base: MarginAssumptions | None = None) -> MarginAssumptions:
        base = base or cls()
        changes: dict[str, Any] = {}
        sources = dict(base.sources)
        for k, v in data.items():
            if k in cls.NUMERIC:
                if isinstance(v, float):
                    raise ValidationError(f"margin.{k}: give the number as a string, not a float", field=k)
                d = to_decimal(v, k)
                if d < 0:
                    raise ValidationError(f"margin.{k}: must not be negative", field=k)
                if (k.endswith("_rate") or k == "cost_ratio") and d > 1:
                    raise ValidationError(f"margin.{k}: a rate between 0 and 1 is expected", field=k)
                changes[k] = d
                sources[k] = str(data.get("source") or "user override")
            elif k == "market":
                changes[k] = str(v)
            elif k == "shipping_currency":
                changes[k] = check_currency(str(v), "shipping_currency")
            elif k == "special_invoice":
                changes[k] = bool(v)
            elif k in ("valid_from", "valid_to"):
                try:
                    changes[k] = date.fromisoformat(str(v)) if v else None
                except ValueError:
                    raise ValidationError(f"margin.{k}: not an ISO date: {v!r}", field=k) from None
            elif k in ("source", "sources"):
                continue
            else:
                raise ValidationError(f"margin.{k}: unknown parameter", field=k)
        return replace(base, sources=sources, **changes)


@dataclass(frozen=True)
class MarginLine:
    label: str
    amount: Decimal
    rule: str


@dataclass(frozen=True)
class UnitMargin:
    price: Decimal
    currency: str
    lines: tuple[MarginLine, ...]
    margin: Decimal
    margin_rate: Decimal
    estimated: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "price": format(self.price, "f"),
            "currency": self.currency,
            "margin": format(self.margin, "f"),
            "margin_rate": format(self.margin_rate, "f"),
            "estimated": self.estimated,
            "lines": [{"label": ln.label, "amount": format(ln.amount, "f"), "rule": ln.rule} for ln in self.lines],
        }


def unit_margin(
    price: Decimal,
    currency: str,
    a: MarginAssumptions,
    *,
    fx_rate: Decimal,
    unit_cost: Decimal | None = None,
    unit_weight_kg: Decimal | None = None,
    duty: Decimal | None = None,
    shipping: Decimal | None = None,
    units_per_parcel: Decimal = Decimal(1),
) -> UnitMargin:
    """Landed margin of one unit sold at ``price`` (sales currency).

    ``fx_rate`` converts the shipping currency (CNY) into the sales currency (units of sales
    currency per CNY). ``unit_cost`` (sales currency, incl. purchase VAT) replaces the cost
    ratio when the purchase cost is known; ``duty``/``shipping`` replace the estimates when an
    engine computed them. ``units_per_parcel`` spreads the per-parcel fee over the units of
    a typical order (wholesale orders ship many units in one parcel).
    """
    price = to_decimal(price, "price")
    if price <= 0:
        raise ValidationError("price: must be positive", field="price")
    weight = a.unit_weight_kg if unit_weight_kg is None else unit_weight_kg
    estimated = unit_cost is None or duty is None or shipping is None
    fee = price * a.fee_rate
    if shipping is None:
        per_parcel = max(Decimal(1), units_per_parcel)
        shipping = (a.shipping_per_kg * weight + a.shipping_per_item / per_parcel) * fx_rate
        ship_rule = (
            f"({a.shipping_per_kg} {a.shipping_currency}/kg × {weight} kg"
            f" + {a.shipping_per_item} per parcel / {per_parcel} units) × FX {fx_rate}"
        )
    else:
        ship_rule = "logistics engine"
    cost_given = unit_cost is not None
    cost = price * a.cost_ratio if unit_cost is None else unit_cost
    if duty is None:
        duty = (cost + shipping) * a.duty_rate
        duty_rule = f"{a.duty_rate} × (purchase cost + shipping)"
    else:
        duty_rule = "customs engine"
    vat = price * a.vat_rate / (1 + a.vat_rate)
    rebate = cost / (1 + a.purchase_vat_rate) * a.rebate_rate if a.special_invoice else Decimal(0)
    lines = (
        MarginLine("price", price, "selling price"),
        MarginLine("marketplace fee", -quantize(fee, FOUR), f"{a.fee_rate} × price"),
        MarginLine("shipping", -quantize(shipping, FOUR), ship_rule),
        MarginLine("import duty", -quantize(duty, FOUR), duty_rule),
        MarginLine("import VAT", -quantize(vat, FOUR), f"price × {a.vat_rate} / (1 + {a.vat_rate})"),
        MarginLine(
            "purchase cost",
            -quantize(cost, FOUR),
            "landed purchase cost" if cost_given else f"{a.cost_ratio} × price (estimate)",
        ),
        MarginLine(
            "export VAT rebate",
            quantize(rebate, FOUR),
            f"cost / (1 + {a.purchase_vat_rate}) × {a.rebate_rate}" if a.special_invoice else "ordinary invoice: no rebate",
        ),
    )
    margin = sum((ln.amount for ln in lines), Decimal(0))
    return UnitMargin(price, currency, lines, margin, quantize(margin / price, FOUR), estimated)


def assumptions_for(market: str, table: dict[str, MarginAssumptions], on: date) -> MarginAssumptions:
    """The market's own assumptions when valid on ``on``, else the ``*`` default."""
    for key in (market, "*"):
        a = table.get(key)
        if a is not None and a.applies(on):
            return a
    return MarginAssumptions()


def load_assumptions(data: Any) -> dict[str, MarginAssumptions]:
    """``{"*": {...}, "Germany": {...}}`` or a list of objects with ``market``."""
    default = MarginAssumptions()
    out: dict[str, MarginAssumptions] = {"*": default}
    items: list[tuple[str, dict]]
    if isinstance(data, dict):
        items = [(str(k), v) for k, v in data.items()]
    elif isinstance(data, list):
        items = [(str(v.get("market", "*")), v) for v in data]
    else:
        raise ValidationError("margin: expected an object keyed by market or a list", field="margin")
    if any(k == "*" for k, _ in items):
        out["*"] = MarginAssumptions.from_dict({**dict(items)["*"], "market": "*"}, default)
    for k, v in items:
        if k == "*":
            continue
        if not isinstance(v, dict):
            raise ValidationError(f"margin.{k}: expected an object", field=k)
        out[k] = MarginAssumptions.from_dict({**v, "market": k}, out["*"])
    return out

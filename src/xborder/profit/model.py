"""True profit of an order line (contribution margin), in CNY and the sale currency (pure).

For every order line::

    margin = revenue + fees + shipping + duties_taxes + cost_of_goods + fx + rebate

with **costs as negative numbers** (so the figures add up to the margin, like a settlement):

=================  ===========================================================================
revenue            item + shipping charged − discounts (taxes excluded: collected for the state),
                   plus refunds given back (negative), × the booking rate on the order date
fees               marketplace and payment fees from the matched payout lines (referral,
                   fulfilment, shipping labels, advertising charged per order, payment, other),
                   × the booking rate. Before a payout arrives: none (the line says so)
shipping           the shipment's actual cost (``xborder.logistics``), else the rate-shopping
                   estimate, else the documented fallback estimate (see :func:`fallback_shipping`)
duties_taxes       duties and taxes the seller paid (``xborder.customs``), else 0 with the reason
cost_of_goods      quantity × landed unit cost in CNY (catalog purchase cost)
fx                 realised FX difference: net foreign amount × (settlement rate − booking rate)
                   once the payout was converted (``xborder.fx.settlement``), else 0 (open exposure)
rebate             expected export VAT rebate (免退, trading enterprise): purchase cost without
                   VAT × rebate rate (财税〔2012〕39号 第五条(二), restated by 财政部 税务总局公告2026年第11号;
                   ``rebate_fx.md`` §1.2), the purchase cost taken to include 13% VAT
=================  ===========================================================================

Every figure carries explanation lines ``(figure, rule, source, amount)``.

>>> ln = ProfitInput(order_ref="A1", line_ref="1", channel="amazon", market="US", month="2026-03",
...     sku="MUG", currency="USD", quantity=Decimal(2), net_revenue=Decimal("25.98"),
...     fees=Decimal("-11.60"), booking_rate=Decimal("7.1"), booking_source="ECB 2026-03-02",
...     unit_cost_cny=Decimal("18.00"), rebate_rate=Decimal("0.13"))
>>> r = compute(ln)
>>> [dec_str(x, 2) for x in (r.revenue, r.fees, r.cost_of_goods, r.rebate)]
['184.46', '-82.36', '-36.00', '4.14']
>>> r.margin == r.revenue + r.fees + r.shipping + r.duties_taxes + r.cost_of_goods + r.fx + r.rebate
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xborder.money import dec_str, quantize


def _m(x: Decimal) -> str:
    return dec_str(x, 2)


def _n(x: Decimal) -> str:
    return format(x.normalize(), "f") if x == x.to_integral_value() else format(x.normalize(), "f")

ZERO = Decimal(0)
FIGURES = ("revenue", "fees", "shipping", "duties_taxes", "cost_of_goods", "fx", "rebate", "margin")
PURCHASE_VAT = Decimal("0.13")  # 增值税法 (2026-01-01): 13% standard rate on goods


@dataclass(frozen=True)
class Explanation:
    figure: str
    rule: str
    source: str
    amount: Decimal
    # the message ``source`` was rendered from, when a collaborator gave one ({"msgid", "params"}: e.g.
    # customs' order duties), so a page shows it in its language from the data alone
    source_msg: dict[str, Any] | None = field(default=None, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"figure": self.figure, "rule": self.rule, "source": self.source,
                               "amount": dec_str(self.amount, 2)}
        if self.source_msg:
            out["source_msgid"], out["source_params"] = self.source_msg.get("msgid", ""), self.source_msg.get("params", {})
        return out


@dataclass(frozen=True)
class ProfitInput:
    order_ref: str
    line_ref: str
    channel: str
    market: str | None
    month: str
    sku: str
    currency: str
    quantity: Decimal
    net_revenue: Decimal
    booking_rate: Decimal
    booking_source: str
    refunds: Decimal = ZERO
    fees: Decimal = ZERO
    fee_note: str = "no payout line for this order yet"
    shipping_cny: Decimal | None = None
    shipping_source: str = ""
    duties_cny: Decimal | None = None
    duties_source: str = ""
    duties_source_msg: dict[str, Any] | None = field(default=None, compare=False, hash=False)
    unit_cost_cny: Decimal | None = None
    cost_source: str = "catalog SKU purchase cost"
    rebate_rate: Decimal | None = None
    rebate_source: str = "per-SKU rebate rate"
    settlement_rate: Decimal | None = None
    settlement_note: str = ""
    fulfillment: str | None = None


@dataclass
class ProfitLine:
    input: ProfitInput
    revenue: Decimal
    fees: Decimal
    shipping: Decimal
    duties_taxes: Decimal
    cost_of_goods: Decimal
    fx: Decimal
    rebate: Decimal
    explanations: list[Explanation] = field(default_factory=list)

    @property
    def margin(self) -> Decimal:
        return self.revenue + self.fees + self.shipping + self.duties_taxes + self.cost_of_goods + self.fx + self.rebate

    def figures(self) -> dict[str, Decimal]:
        return {"revenue": self.revenue, "fees": self.fees, "shipping": self.shipping,
                "duties_taxes": self.duties_taxes, "cost_of_goods": self.cost_of_goods, "fx": self.fx,
                "rebate": self.rebate, "margin": self.margin}


def fallback_shipping(fulfillment: str | None, quantity: Decimal, line_share: Decimal) -> tuple[Decimal, str]:
    """Shipping cost (CNY, negative) when no shipment or rate-shopping estimate exists.

    * FBA/platform-fulfilled (``FBA``): 0 here — Amazon's fulfilment fee is in ``fees`` and the
      first-leg freight is part of the landed unit cost;
    * otherwise a small-parcel estimate of CNY 35 per order plus CNY 8 per extra unit (our own
      assumption for a ≤ 500 g cross-border parcel, 2026-11; replace with rate cards), split over
      the order's lines by ``line_share``.
    """
    if (fulfillment or "").upper() == "FBA":
        return ZERO, "FBA: fulfilment fee is in the marketplace fees; first leg is in the landed cost"
    est = (Decimal(35) + Decimal(8) * max(quantity - 1, ZERO)) * line_share
    return -est, "estimate: CNY 35 per parcel + 8 per extra unit (Xborder assumption 2026-11; no shipment or rate card)"


def compute(p: ProfitInput) -> ProfitLine:
    ex: list[Explanation] = []
    rate = p.booking_rate
    revenue = (p.net_revenue + p.refunds) * rate
    ex.append(Explanation("revenue", f"net sale {_m(p.net_revenue)} {p.currency}"
                          + (f" + refunds {_m(p.refunds)}" if p.refunds else "")
                          + f" x booking rate {dec_str(rate, 6)}", p.booking_source, revenue))
    fees = p.fees * rate
    ex.append(Explanation("fees", f"marketplace/payment fees {_m(p.fees)} {p.currency} x {dec_str(rate, 6)}"
                          if p.fees else p.fee_note, "payout lines" if p.fees else p.fee_note, fees))
    shipping = p.shipping_cny if p.shipping_cny is not None else ZERO
    ex.append(Explanation("shipping", "shipping cost of the order, share of this line", p.shipping_source, shipping))
    duties = p.duties_cny if p.duties_cny is not None else ZERO
    ex.append(Explanation("duties_taxes", "duties and taxes paid by the seller",
                          p.duties_source or "no duties recorded", duties, p.duties_source_msg))
    if p.unit_cost_cny is None:
        cogs = ZERO
        ex.append(Explanation("cost_of_goods", f"no purchase cost for SKU {p.sku}: counted as 0", "catalog", cogs))
    else:
        cogs = -p.quantity * p.unit_cost_cny
        ex.append(Explanation("cost_of_goods", f"{_n(p.quantity)} x unit cost {_m(p.unit_cost_cny)} CNY",
                              p.cost_source, cogs))
    if p.settlement_rate is None or p.currency == "CNY":
        fx = ZERO
        ex.append(Explanation("fx", "not converted to CNY yet: open exposure" if p.currency != "CNY" else "sold in CNY",
                              p.settlement_note or "fx settlements", fx))
    else:
        foreign = p.net_revenue + p.refunds + p.fees
        fx = foreign * (p.settlement_rate - rate)
        ex.append(Explanation("fx", f"{_m(foreign)} {p.currency} x (settlement {dec_str(p.settlement_rate, 6)} - "
                              f"booking {dec_str(rate, 6)})", p.settlement_note, fx))
    if p.rebate_rate is None or p.unit_cost_cny is None or p.rebate_rate == 0:
        rebate = ZERO
        ex.append(Explanation("rebate", "no rebate rate or purchase cost for this SKU", p.rebate_source, rebate))
    else:
        basis = p.quantity * p.unit_cost_cny / (1 + PURCHASE_VAT)
        rebate = basis * p.rebate_rate
        ex.append(Explanation("rebate", f"purchase cost without VAT {dec_str(quantize(basis, 2))} CNY x rebate rate "
                              f"{_n(p.rebate_rate)} (免退: 计税依据 x 退税率, 财税〔2012〕39号 / 2026年第11号)",
                              p.rebate_source, rebate))
    line = ProfitLine(p, revenue, fees, shipping, duties, cogs, fx, rebate, ex)
    ex.append(Explanation("margin", "revenue + fees + shipping + duties_taxes + cost_of_goods + fx + rebate",
                          "sum", line.margin))
    return line


def key_of(line: ProfitLine, by: str) -> str:
    i = line.input
    if by == "order":
        return i.order_ref
    if by == "sku":
        return i.sku
    if by == "market":
        return i.market or "?"
    if by == "channel":
        return i.channel
    if by == "month":
        return i.month
    raise ValueError(f"by must be one of order, sku, market, channel, month (got {by!r})")


def aggregate(lines: list[ProfitLine], by: str) -> list[dict[str, str]]:
    """Rows ``{"key", revenue, fees, shipping, duties_taxes, cost_of_goods, fx, rebate, margin}``
    (decimal strings, CNY, rounded half-up to 2 places after summing exactly), sorted by key."""
    sums: dict[str, dict[str, Decimal]] = {}
    for ln in lines:
        k = key_of(ln, by)
        acc = sums.setdefault(k, dict.fromkeys(FIGURES, ZERO))
        for f, v in ln.figures().items():
            acc[f] += v
    return [{"key": k, **{f: dec_str(v, 2) for f, v in sums[k].items()}} for k in sorted(sums)]


def allocate(amount: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split ``amount`` over lines in proportion to ``weights`` (equal split when they sum to 0);
    exact: the parts add up to ``amount``.

    >>> allocate(Decimal("10"), [Decimal(1), Decimal(3)])
    [Decimal('2.5'), Decimal('7.5')]
    """
    if not weights:
        return []
    total = sum(weights, ZERO)
    if total == 0:
        weights, total = [Decimal(1)] * len(weights), Decimal(len(weights))
    parts = [amount * w / total for w in weights[:-1]]
    return parts + [amount - sum(parts, ZERO)]

"""Duties, import taxes and fees the **seller** pays for one stored sales order, from the
landed-cost engine (the profit engine's ``duties_for_order`` hook).

Rules we chose (documented in ``docs/profit.md``):

* destination: the order's ship-to country (ISO alpha-2, else a country name pycountry knows),
  else its market; date: the order date; currency: the order currency.
* lines: each priced order line resolved to its catalog SKU (listing pairing), which gives the HS
  code, origin and weight; value per unit = (item price − discount) ÷ quantity (taxes excluded);
  shipping = the shipping charged on the order.
* channel: Amazon, eBay, Etsy, Temu, Walmart, AliExpress, TikTok, Shein, Mercado Libre, OTTO and
  Cdiscount are **marketplaces** (deemed suppliers for EU/UK/AU low-value sales: they collect that
  VAT/GST at checkout, so the seller does not pay it); Shopify, WooCommerce and other own shops are
  **own store**. Another channel name: not computed (no guess).
* incoterm: **DDP** for every order. Marketplace orders (FBA or merchant-fulfilled) are sold at a
  landed price — the buyer is never asked for border charges, so whoever ships the goods in (the
  seller, or the seller as importer of record for FBA stock) pays them; own-store orders are taken
  as DDP too, the conservative (higher-cost) view, and the explanation says so.
* who pays what: charges collected at the **border** → the seller (DDP). Charges collected at
  **checkout** → 0 for marketplaces (the marketplace collects and remits them); for an own store
  the seller remits them, which is a cost only when the order's prices include the tax (no
  ``item_tax`` on the order); when the tax was charged on top it is not in the revenue either, so
  it is not a cost.
* FBA stock is imported in bulk at its import value, which is usually lower than the sale price:
  valuing the order at its sale price is an upper bound for FBA orders (stated in the source).
* CNY: the order-currency total × the rate the profit engine uses for the order
  (``xborder.fx.service.converter``, PBOC parity, else ECB, on the order date).

When an order cannot be computed (line without a catalog SKU, SKU without HS code or origin,
unknown channel or country, no tariff rate loaded, no exchange rate ...), :func:`duties_for_order`
returns ``None`` and :func:`order_duties` gives the reason; we never guess.

Language: the source (and the reason) is English text for the CLI and the API, and also the
message it was rendered from (:class:`xborder.customs.messages.Msg`: msgid + params, the JSON
form in ``OrderDuties.source_msg``). The profit hook hands that message to the profit engine,
which keeps it with the explanation (``source_msgid`` / ``source_params`` in its JSON), so a page
renders it in its own language from the data, in whatever process built it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.customs.messages import Msg, cite_msg, msg
from xborder.customs.regimes.eu import MEMBERS as EU_MEMBERS
from xborder.errors import XborderError
from xborder.money import dec_str, quantize

ZERO = Decimal(0)
MARKETPLACES = frozenset({"amazon", "ebay", "etsy", "temu", "walmart", "aliexpress", "tiktok", "shein", "mercadolibre",
                          "otto", "cdiscount", "wish", "allegro", "rakuten", "kaufland", "fruugo"})
OWN_STORES = frozenset({"shopify", "woocommerce", "own_store", "shopline", "shoplazza", "bigcommerce", "magento",
                        "wix", "squarespace"})


@dataclass(frozen=True)
class OrderDuties:
    """What the seller pays (order currency and CNY) or why it could not be computed."""

    amount: Decimal | None  # order currency
    amount_cny: Decimal | None
    source: str  # English (``message`` rendered)
    landed_cost: dict[str, Any] | None = None
    message: Msg | None = None  # what ``source`` was rendered from

    @classmethod
    def of(cls, amount: Decimal | None, amount_cny: Decimal | None, message: Msg,
           landed_cost: dict[str, Any] | None = None) -> OrderDuties:
        return cls(amount, amount_cny, message.render(), landed_cost, message)

    @property
    def source_msg(self) -> dict[str, Any] | None:
        """``{"msgid", "params"}`` of the source (:meth:`Msg.to_json`), None when it has none."""
        return self.message.to_json() if self.message is not None else None


def channel_kind(channel: str | None) -> str | None:
    """``marketplace``, ``own_store`` or None (unknown: not guessed).

    >>> channel_kind("Amazon"), channel_kind("shopify"), channel_kind("mapped")
    ('marketplace', 'own_store', None)
    """
    c = (channel or "").strip().lower().replace(" ", "").replace("-", "").replace("_", "")
    if c in MARKETPLACES:
        return "marketplace"
    if c in {x.replace("_", "") for x in OWN_STORES}:
        return "own_store"
    return None


def country_code(value: str | None) -> str | None:
    """ISO alpha-2 from a code or a country name; None when unknown.

    >>> country_code("us"), country_code("United Kingdom"), country_code("UK"), country_code("Atlantis")
    ('US', 'GB', 'GB', None)
    """
    v = (value or "").strip()
    if not v:
        return None
    if v.upper() in ("UK", "EL"):
        return {"UK": "GB", "EL": "GR"}[v.upper()]
    if len(v) == 2:
        c = pycountry.countries.get(alpha_2=v.upper())
        return c.alpha_2 if c else None
    try:
        return pycountry.countries.lookup(v).alpha_2
    except LookupError:
        return None


@dataclass(frozen=True)
class SkuFacts:
    hs_code: str | None
    origin: str | None
    weight_kg: Decimal | None
    national: tuple[tuple[str, str], ...] = ()  # (market, the market's own tariff code): ("US", "8205516000")

    def code_for(self, destination: str) -> str | None:
        """The tariff code the destination's duty is looked up with: the market's own line when the
        catalog has one (the EU's for a member state), else the HS code."""
        return tariff_code_for(destination, self.hs_code, dict(self.national))


def tariff_code_for(destination: str | None, hs_code: str | None, national: dict[str, str]) -> str | None:
    """A SKU's code for ``destination`` (ISO country; ``CN`` = the export declaration): its market's
    own code (``EU`` for any member state) when it has one, else ``hs_code``.

    >>> tariff_code_for("DE", "820551", {"EU": "82055980", "US": "8205516000"})
    '82055980'
    >>> tariff_code_for("JP", "820551", {"EU": "82055980"})
    '820551'
    """
    dest = (destination or "").upper()
    market = "EU" if dest in EU_MEMBERS else dest
    return national.get(market) or hs_code


def national_codes(sku: Any) -> dict[str, str]:
    """A catalog SKU's markets' own codes (``{"US": "8205516000", ...}``; empty fields left out)."""
    from xborder.catalog.model import NATIONAL_CODES

    return {market: code for name, (market, _n) in NATIONAL_CODES.items() if (code := getattr(sku, name, None))}


def build_request(order: Any, skus: dict[int, tuple[str | None, SkuFacts | None]]) -> tuple[dict[str, Any] | None, str]:
    """The landed-cost request (contract of ``xborder landed-cost``) for an order, or (None, why).

    ``skus`` maps each order line's ``id`` to (local SKU code, its catalog facts). Pure.
    """
    req, why = build_request_msg(order, skus)
    return req, why.render() if why is not None else ""


def build_request_msg(order: Any, skus: dict[int, tuple[str | None, SkuFacts | None]]
                      ) -> tuple[dict[str, Any] | None, Msg | None]:
    """:func:`build_request` with the reason as a translatable message (None when there is a request)."""
    ref = getattr(order, "order_ref", "?")
    kind = channel_kind(order.channel)
    if kind is None:
        return None, msg("order %(order)s: channel %(channel)s is neither a known marketplace nor an own store",
                         order=ref, channel=repr(order.channel))
    dest = country_code(order.ship_country) or country_code(order.market)
    if dest is None:
        return None, msg("order %(order)s: no ship-to country (ship_country %(country)s, market %(market)s)",
                         order=ref, country=repr(order.ship_country), market=repr(order.market))
    if not order.currency:
        return None, msg("order %(order)s: no currency", order=ref)
    lines: list[dict[str, Any]] = []
    shipping = ZERO
    for ln in order.lines:
        if ln.item_price is None:
            continue
        shipping += ln.shipping_price or ZERO
        if ln.quantity is None or ln.quantity <= 0:
            continue
        code, facts = skus.get(ln.id, (None, None))
        if code is None or facts is None:
            return None, msg("order %(order)s: line %(line)s (%(platform_sku)s) is not paired to a catalog SKU",
                             order=ref, line=ln.line_ref, platform_sku=ln.platform_sku)
        hs_code = facts.code_for(dest)
        if not hs_code:
            return None, msg("order %(order)s: catalog SKU %(sku)s has no HS code", order=ref, sku=code)
        if not facts.origin:
            return None, msg("order %(order)s: catalog SKU %(sku)s has no country of origin", order=ref, sku=code)
        value = (ln.item_price - (ln.discount or ZERO))
        if value < 0:
            return None, msg("order %(order)s: line %(line)s has a discount above its price", order=ref, line=ln.line_ref)
        line: dict[str, Any] = {"sku": code, "hs_code": hs_code, "origin": facts.origin,
                                "description": ln.title or code, "quantity": format(ln.quantity.normalize(), "f"),
                                "unit_value": format(value / ln.quantity, "f")}
        if facts.weight_kg is not None:
            line["weight_kg"] = format(facts.weight_kg.normalize(), "f")
        lines.append(line)
    if not lines:
        return None, msg("order %(order)s: no priced lines", order=ref)
    if order.shipping_total is not None and shipping == ZERO:
        shipping = order.shipping_total
    return {"destination": dest, "date": order.purchased_at.date().isoformat(), "currency": order.currency,
            "incoterm": "DDP", "channel": kind, "shipping": format(shipping, "f"), "insurance": "0", "lines": lines}, None


def seller_share(result: dict[str, Any], *, channel: str, tax_included: bool) -> tuple[Decimal, list[str]]:
    """Sum of the charges the seller pays (order currency) and one note per charge. Pure.

    >>> res = {"currency": "EUR", "explanation": [
    ...   {"rule": "VAT", "source": "s", "amount": "3.80", "kind": "tax", "collected_at": "checkout"},
    ...   {"rule": "Duty", "source": "s", "amount": "1.20", "kind": "duty", "collected_at": "border"},
    ...   {"rule": "FX", "source": "s", "amount": "0.00", "kind": "info"}]}
    >>> seller_share(res, channel="marketplace", tax_included=True)[0]
    Decimal('1.20')
    >>> seller_share(res, channel="own_store", tax_included=True)[0]
    Decimal('5.00')
    >>> seller_share(res, channel="own_store", tax_included=False)[0]
    Decimal('1.20')
    """
    total, notes = seller_share_msgs(result, channel=channel, tax_included=tax_included)
    return total, [n.render() for n in notes]


def seller_share_msgs(result: dict[str, Any], *, channel: str, tax_included: bool) -> tuple[Decimal, list[Msg]]:
    """:func:`seller_share` with the notes as translatable messages."""
    total = ZERO
    notes: list[Msg] = []
    for e in result.get("explanation", []):
        if e.get("kind") == "info":
            continue
        amt = Decimal(e["amount"])
        if amt == 0:
            continue
        where = e.get("collected_at")
        rule = Msg.from_json(e) if e.get("msgid") else Msg(str(e["rule"]))
        if where == "checkout" and channel == "marketplace":
            notes.append(msg("%(rule)s %(amount)s %(currency)s: collected by the marketplace at checkout (deemed supplier), "
                             "not paid by the seller", rule=rule, amount=dec_str(amt), currency=result.get("currency", "")))
            continue
        if where == "checkout" and not tax_included:
            notes.append(msg("%(rule)s %(amount)s: charged on top of the price at checkout (not in revenue), "
                             "remitted by the seller: not a cost", rule=rule, amount=dec_str(amt)))
            continue
        total += amt
        notes.append(msg("%(rule)s %(amount)s (%(source)s)", rule=rule, amount=dec_str(amt),
                         source=cite_msg(str(e.get("source", "")))))
    return total, notes


# ---- database side ---------------------------------------------------------------------------------

class _Cache:
    """Per-session look-ups shared by all orders of one profit report."""

    def __init__(self, s: Session, org_id: int, key: tuple[Any, ...]):
        from xborder.catalog.orm import Sku
        from xborder.customs.model import ExtraDutyTable
        from xborder.customs.orm import RefVersion
        from xborder.customs.service import DbTariffs, extra_duties, vat_book
        from xborder.fx.service import converter
        from xborder.sales.service import SkuResolver

        self.key = key
        self.resolver = SkuResolver(s, org_id)
        self.facts = {k.sku: SkuFacts(k.hs_code, k.origin,
                                      None if k.weight_g is None else Decimal(k.weight_g) / 1000,
                                      tuple(sorted(national_codes(k).items())))
                      for k in s.scalars(select(Sku).where(Sku.org_id == org_id))}
        self.conv = converter(s)
        self.vat = vat_book(s)
        self.extra = ExtraDutyTable(extra_duties(s, org_id))
        db = DbTariffs(s)
        memo: dict[tuple[str, str, int | None], Any] = {}
        versions: dict[str, list[tuple[date, int]]] = {}
        for ds, vf, vid in s.execute(select(RefVersion.dataset, RefVersion.valid_from, RefVersion.id)
                                     .where(RefVersion.dataset.like("tariff:%"))):
            versions.setdefault(ds, []).append((vf, vid))

        def version(schedule: str, on: date) -> int | None:
            vs = sorted(versions.get(f"tariff:{schedule}", []))
            live = [v for v in vs if v[0] <= on]
            return (live[-1] if live else vs[0])[1] if vs else None

        class _Tariffs:
            def lookup(self, schedule: str, code: str, on: date) -> Any:
                k = (schedule, code, version(schedule, on))  # a match depends on the version only
                if k not in memo:
                    memo[k] = db.lookup(schedule, code, on)
                return memo[k]

            def has(self, schedule: str) -> bool:
                return db.has(schedule)

        self.tariffs = _Tariffs()


_KEY = "xborder.customs.order_duties"


def _drop(session: Session, *_: Any) -> None:
    session.info.pop(_KEY, None)


def _drop_on_write(state: Any) -> None:  # Core insert/update/delete through the session
    if not state.is_select:
        state.session.info.pop(_KEY, None)


def _cache(s: Session, org_id: int) -> _Cache:
    """Built once per session and organisation; dropped as soon as the session writes anything
    (ORM flush or a Core statement) or its transaction ends (so a later report sees new SKUs, tariffs or extra-duty rows)."""
    from sqlalchemy import event

    s.flush()
    got = s.info.get(_KEY)
    if not isinstance(got, _Cache) or got.key != (org_id,):
        got = _Cache(s, org_id, (org_id,))
        s.info[_KEY] = got
        if not event.contains(s, "after_flush", _drop):
            event.listen(s, "after_flush", _drop)
            event.listen(s, "after_transaction_end", _drop)
            event.listen(s, "do_orm_execute", _drop_on_write)
    return got


def order_duties(s: Session, principal: Principal, order: Any) -> OrderDuties:
    """The seller's border charges for a stored order, or the reason they cannot be computed."""
    from xborder.customs.engine import landed_cost, parse_request, to_json
    from xborder.customs.model import Context
    from xborder.customs.service import fx_table
    from xborder.fx.model import FxRateMissing

    if order.org_id != principal.org_id:
        return OrderDuties.of(None, None, msg("order %(order)s: not in this organisation", order=order.order_ref))
    c = _cache(s, principal.org_id)
    skus: dict[int, tuple[str | None, SkuFacts | None]] = {}
    for ln in order.lines:
        code = c.resolver.resolve(order.channel, order.market, ln.platform_sku, ln.listing_ref)
        skus[ln.id] = (code, c.facts.get(code) if code else None)
    req, why = build_request_msg(order, skus)
    if req is None or why is not None:
        return OrderDuties.of(None, None, why or msg("order %(order)s: no priced lines", order=order.order_ref))
    on = order.purchased_at.date()
    table = fx_table()
    ctx = Context(fx=lambda b, q: table.quote(b, q, on), tariffs=c.tariffs, vat=c.vat, extra_duties=c.extra)
    try:
        result = to_json(landed_cost(parse_request(req), ctx))
    except FxRateMissing as e:
        return OrderDuties.of(None, None, msg("order %(order)s: landed cost: %(error)s", order=order.order_ref,
                                              error=e.message))
    except XborderError as e:
        return OrderDuties.of(None, None, msg("order %(order)s: landed cost %(code)s: %(error)s", order=order.order_ref,
                                              code=e.code, error=getattr(e, "msg", None) or e.message))
    tax_included = all((ln.item_tax or ZERO) == 0 for ln in order.lines)
    amount, notes = seller_share_msgs(result, channel=req["channel"], tax_included=tax_included)
    try:
        q = c.conv.to_cny(order.currency, on)
    except FxRateMissing as e:
        return OrderDuties.of(None, None, msg("order %(order)s: %(error)s", order=order.order_ref, error=str(e)), result)
    cny = quantize(amount * q.rate, 2)
    fba = (order.fulfillment or "").upper() == "FBA"
    head = msg("landed cost %(destination)s %(date)s (%(channel)s, DDP%(assumed)s): seller pays %(amount)s %(currency)s "
               "x %(rate)s (%(fx)s) = %(cny)s CNY; total charges %(total)s collected at %(collected)s%(fba)s",
               destination=req["destination"], date=req["date"], channel=req["channel"],
               assumed=msg(", own store assumed DDP") if req["channel"] == "own_store" else "",
               amount=dec_str(amount), currency=order.currency, rate=dec_str(q.rate, 6), fx=q.source, cny=dec_str(cny),
               total=result["total_charges"], collected=msg(result["collected_at"]),
               fba=msg("; FBA: valued at the sale price, an upper bound of the bulk import value") if fba else "")
    if notes:
        joined = notes[0]
        for n in notes[1:]:
            joined = msg("%(first)s; %(next)s", first=joined, next=n)
        source = msg("%(head)s — %(notes)s", head=head, notes=joined)
    else:
        source = msg("%(head)s — nothing charged", head=head)
    return OrderDuties.of(amount, cny, source, result)


def duties_for_order(s: Session, principal: Principal, order: Any) -> tuple[Decimal, str, dict[str, Any] | None] | None:
    """Profit hook: (CNY the seller pays, source in English, the source's message as JSON
    ``{"msgid", "params"}``) or None when the order cannot be computed (:func:`order_duties` says why)."""
    got = order_duties(s, principal, order)
    if got.amount_cny is None:
        return None
    return got.amount_cny, got.source, got.source_msg

"""Use case: the true profit of every order line, from stored orders, payout lines, FX rates and
settlements, SKU costs and rebate rates; aggregated for the report and the dashboard.

Optional collaborators are imported only when their packages exist (guarded):

* ``xborder.logistics.service.shipping_cost_for_order(s, principal, order)`` → ``(Decimal CNY, source)``
  or ``None``; without it the documented estimate of :func:`xborder.profit.model.fallback_shipping`;
* ``xborder.customs.service.duties_for_order(s, principal, order)`` → ``(Decimal CNY, source)`` or
  ``(Decimal CNY, source, message)`` or ``None``; without it 0, and the explanation says so; when it
  returns None the reason comes from ``xborder.customs.order_duties.order_duties(...)`` (``source``,
  and ``source_msg``) and is shown. ``message`` (``{"msgid", "params"}``) is kept with the
  explanation (:attr:`xborder.profit.model.Explanation.source_msg`) so pages render the source in
  their language from the data (``source_msgid`` / ``source_params`` in the JSON);
* ``xborder.rebate.service.rebate_rate_for_sku(s, principal, sku_code, on)`` → ``(Decimal, source)`` or
  ``None``; without it the per-SKU rate stored in ``profit_sku_economics``; the library's reason for
  having no rate (``rebate_rate_lookup``) is shown in the source;
* cost of goods: the catalog SKU's purchase cost (``xborder.catalog``, converted to CNY when bought
  in another currency); rebate rate: the catalog SKU's rebate rate.
"""

from __future__ import annotations

import importlib
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from xborder.accounts.service import Principal
from xborder.errors import ValidationError
from xborder.fx.model import FxRateMissing
from xborder.fx.service import converter
from xborder.money import dec_str
from xborder.payments.model import FEE_CLASSES
from xborder.payments.orm import Payout, PayoutLine
from xborder.payments.reconcile import tie_payouts
from xborder.profit.model import (
    FIGURES,
    ProfitInput,
    ProfitLine,
    aggregate,
    allocate,
    compute,
    fallback_shipping,
)
from xborder.profit.period import Period
from xborder.sales.orm import SalesOrder

ZERO = Decimal(0)
BY = ("order", "sku", "market", "channel", "month")
ORDER_FEES = tuple(c for c in FEE_CLASSES if c not in ("refunds", "reserves"))
CANCELLED = {"cancelled", "canceled", "已取消", "voided"}


def _optional(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name, None)
    except Exception:  # noqa: BLE001 - package absent or broken: fall back, explained
        return None


@dataclass
class ProfitReport:
    lines: list[ProfitLine]
    warnings: list[str] = field(default_factory=list)

    def rows(self, by: str) -> list[dict[str, str]]:
        if by not in BY:
            raise ValidationError(f"by: one of {', '.join(BY)}", field="by")
        return aggregate(self.lines, by)

    def by_order(self) -> dict[tuple[str, str], Decimal]:
        """(channel, order reference) → the order's margin in CNY, exact (its lines summed)."""
        sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        for ln in self.lines:
            sums[(ln.input.channel, ln.input.order_ref)] += ln.margin
        return dict(sums)

    def totals(self) -> dict[str, Any]:
        """The sums of every figure (exact ``Decimal``), the number of order lines and orders, and
        the margin as a share of revenue (``None`` without revenue)."""
        sums = {f: sum((ln.figures()[f] for ln in self.lines), ZERO) for f in FIGURES}
        share = (sums["margin"] / sums["revenue"]) if sums["revenue"] else None
        return {**sums, "lines": len(self.lines), "orders": len({ln.input.order_ref for ln in self.lines}),
                "margin_share": share}


def _quote_text(q: Any) -> str:
    note = f", rate of {q.on.isoformat()} ({q.fallback_days} day(s) earlier)" if q.fallback_days else ""
    return f"1 {q.base} = {dec_str(q.rate, 6)} CNY, {q.source} {q.requested.isoformat()}{note}"


def _norm(ref: str | None) -> str:
    return (ref or "").strip().lstrip("#").lower()


class _SkuBook:
    """Landed unit cost (CNY) and rebate rate per local SKU, from the catalog (converted to CNY at
    the order date when the purchase currency is another), or the rebate engine when present."""

    def __init__(self, s: Session, principal: Principal, conv: Any):
        from xborder.catalog.orm import Sku

        self.s, self.principal, self.conv = s, principal, conv
        self.skus = {k.sku: (k.purchase_cost, k.purchase_currency or "CNY", k.rebate_rate)
                     for k in s.scalars(select(Sku).where(Sku.org_id == principal.org_id))}
        self.rebate_fn = _optional("xborder.rebate.service", "rebate_rate_for_sku")
        self.rebate_why_fn = _optional("xborder.rebate.service", "rebate_rate_lookup")

    def cost(self, sku: str | None, on: date) -> tuple[Decimal | None, str]:
        if sku is None:
            return None, "listing not paired to a SKU (see the unpaired queue)"
        got = self.skus.get(sku)
        if got is None or got[0] is None:
            return None, f"no purchase cost for SKU {sku} in the catalog"
        cost, cur, _ = got
        if cur == "CNY":
            return cost, "catalog SKU purchase cost"
        try:
            q = self.conv.to_cny(cur, on)
        except FxRateMissing as e:
            return None, f"catalog purchase cost in {cur}: {e}"
        return cost * q.rate, f"catalog SKU purchase cost {dec_str(cost)} {cur} x {dec_str(q.rate, 6)} ({q.source})"

    def rebate(self, sku: str | None, on: date) -> tuple[Decimal | None, str]:
        if sku is None:
            return None, "listing not paired to a SKU"
        if self.rebate_fn is not None:
            try:
                got = self.rebate_fn(self.s, self.principal, sku, on)
            except Exception:  # noqa: BLE001
                got = None
            if got is not None:
                return got if isinstance(got, tuple) else (Decimal(got), "rebate engine")
        why = self._rebate_why(sku, on)
        rate = (self.skus.get(sku) or (None, None, None))[2]
        if rate is None:
            return None, f"no rebate rate on SKU {sku} in the catalog" + (f" (rebate library: {why})" if why else "")
        return rate, "catalog SKU rebate rate" + (f" (rebate library: {why})" if why else " (until the rebate engine provides one)")

    def _rebate_why(self, sku: str, on: date) -> str | None:
        """Why the rebate library has no rate for the SKU (its own reason), or None without the package."""
        if self.rebate_why_fn is None:
            return None
        try:
            rate, why = self.rebate_why_fn(self.s, self.principal, sku, on)
        except Exception as e:  # noqa: BLE001 - the reason is shown, the report goes on
            return f"lookup failed: {e}"
        return None if rate is not None else str(why)


def build_report(s: Session, principal: Principal, *, start: date | None = None, end: date | None = None,
                 order_ids: Collection[int] | None = None) -> ProfitReport:
    """The profit lines of the organisation's orders (of the period, or only ``order_ids``: an
    order's figures depend on its own lines, payout lines and shipments, never on other orders)."""
    org = principal.org_id
    stmt = select(SalesOrder).where(SalesOrder.org_id == org).options(selectinload(SalesOrder.lines))
    if order_ids is not None:
        stmt = stmt.where(SalesOrder.id.in_(list(order_ids)))
    if start:
        stmt = stmt.where(SalesOrder.purchased_at >= start)
    if end:
        stmt = stmt.where(SalesOrder.purchased_at < end)
    orders = list(s.scalars(stmt.order_by(SalesOrder.purchased_at, SalesOrder.id)))
    by_key: dict[tuple[str, str], SalesOrder] = {}
    for o in orders:
        by_key.setdefault((_norm(o.order_ref), "amazon" if o.channel == "amazon" else "other"), o)
    providers = dict(s.execute(select(Payout.id, Payout.provider).where(Payout.org_id == org)).all())
    matched: dict[int, list[tuple]] = defaultdict(list)
    for pid, ref, sku, cls, amount, cur, _ttype in s.execute(
            select(PayoutLine.payout_id, PayoutLine.order_ref, PayoutLine.sku, PayoutLine.fee_class, PayoutLine.amount,
                   PayoutLine.currency, PayoutLine.transaction_type)
            .where(PayoutLine.org_id == org, PayoutLine.order_ref.is_not(None))):
        fam = "amazon" if providers.get(pid) == "amazon" else "other"
        o = by_key.get((_norm(ref), fam))
        if o is not None:
            matched[o.id].append((pid, sku, cls, amount, cur))
    # payout -> realised settlement rate through the receipt/FX ties
    from xborder.payments.service import facts

    payouts, receipts, setts = facts(s, org)
    ties, _ = tie_payouts(payouts, receipts, setts, 100)
    ref_to_id = {p.payout_ref: p.payout_id for p in payouts}
    payout_rate: dict[int, tuple[Decimal, str]] = {}
    for t in ties:
        parts = t["fx_settlements"]
        if not parts:
            continue
        amt = sum((Decimal(x["amount"]) for x in parts), ZERO)
        rate = sum((Decimal(x["amount"]) * Decimal(x["rate"]) for x in parts), ZERO) / amt
        payout_rate[ref_to_id[t["payout_id"]]] = (rate, f"payout {t['payout_id']} -> {t['receipt_provider']} "
                                                  f"{t['receipt']} -> " + ", ".join(f"{x['ref']} @ {x['rate']}" for x in parts))
    conv = converter(s)
    book = _SkuBook(s, principal, conv)
    from xborder.sales.service import SkuResolver

    resolver = SkuResolver(s, org)
    ship_fn = _optional("xborder.logistics.service", "shipping_cost_for_order")
    ships_fn = _optional("xborder.logistics.service", "shipping_costs_for_orders")
    shipped: dict[int, tuple[Decimal, str]] | None = None
    if ships_fn is not None:
        try:
            shipped = ships_fn(s, principal, orders)  # one query for every order
        except Exception:  # noqa: BLE001 - fall back to the per-order hook
            shipped = None
    duty_fn = _optional("xborder.customs.service", "duties_for_order")
    duty_why_fn = _optional("xborder.customs.order_duties", "order_duties")
    out: list[ProfitLine] = []
    warnings: list[str] = []
    for o in orders:
        if (o.status or "").lower() in CANCELLED or not o.lines or o.currency is None:
            continue
        priced = [ln for ln in o.lines if ln.item_price is not None]
        if not priced:
            continue
        day = o.purchased_at.date()
        try:
            q = conv.to_cny(o.currency, day)
        except FxRateMissing as e:
            warnings.append(f"order {o.order_ref}: {e}")
            continue
        weights = [ln.net_revenue for ln in priced]
        fees = [ZERO] * len(priced)
        refunds = [ZERO] * len(priced)
        pids: dict[int, Decimal] = defaultdict(Decimal)
        other_cur = False
        for pid, sku, cls, amount, cur in matched.get(o.id, []):
            if cur != o.currency:
                other_cur = True
                continue
            target = [i for i, ln in enumerate(priced) if sku and ln.platform_sku == sku][:1]
            parts = [amount] if target else allocate(amount, weights)
            idx = target or list(range(len(priced)))
            for i, part in zip(idx, parts, strict=True):
                if cls in ORDER_FEES:
                    fees[i] += part
                elif cls == "refunds":
                    refunds[i] += part
            if cls in ("sale", "shipping_income", "promotion"):
                pids[pid] += amount
        if other_cur:
            warnings.append(f"order {o.order_ref}: payout lines in another currency than the order were left out")
        settle = payout_rate.get(max(pids, key=lambda k: pids[k])) if pids else None
        ship_total: tuple[Decimal, str] | None = None
        if shipped is not None:
            ship_total = shipped.get(o.id)
        elif ship_fn is not None:
            try:
                ship_total = ship_fn(s, principal, o)
            except Exception:  # noqa: BLE001
                ship_total = None
        duty_total: tuple[Any, ...] | None = None
        duty_why = "customs package not installed: no duties recorded"
        duty_msg: dict[str, Any] | None = None
        if duty_why_fn is not None:  # computed once: the amount, or why there is none
            try:
                why = duty_why_fn(s, principal, o)
                if why.amount_cny is not None:
                    duty_total = (why.amount_cny, why.source, why.source_msg)
                    duty_msg = why.source_msg
                else:
                    duty_why = "no duties recorded: " + str(why.source)
                    reason = getattr(why, "source_msg", None)
                    if reason:
                        duty_msg = {"msgid": "no duties recorded: %(reason)s", "params": {"reason": reason}}
            except Exception as e:  # noqa: BLE001 - the reason is shown, the report goes on
                duty_why = f"no duties recorded: customs lookup failed: {e}"
        elif duty_fn is not None:
            try:
                duty_total = duty_fn(s, principal, o)
            except Exception:  # noqa: BLE001
                duty_total = None
            if duty_total is not None:
                duty_msg = duty_total[2] if len(duty_total) > 2 else None
        qty_total = sum((ln.quantity for ln in priced), ZERO)
        ship_parts = allocate(-abs(ship_total[0]), [ln.quantity for ln in priced]) if ship_total else None
        duty_parts = allocate(-abs(duty_total[0]), weights) if duty_total else None
        for i, ln in enumerate(priced):
            local = resolver.resolve(o.channel, o.market, ln.platform_sku, ln.listing_ref)
            sku = local or ln.platform_sku
            cost, cost_src = book.cost(local, day)
            rate, rate_src = book.rebate(local, day)
            if ship_parts is not None:
                ship, ship_src = ship_parts[i], ship_total[1]
            else:
                share = ln.quantity / qty_total if qty_total else Decimal(1)
                ship, ship_src = fallback_shipping(o.fulfillment, qty_total, share)
            p = ProfitInput(
                order_ref=o.order_ref, line_ref=ln.line_ref, channel=o.channel, market=o.market, month=day.strftime("%Y-%m"),
                sku=sku, currency=o.currency, quantity=ln.quantity, net_revenue=ln.net_revenue,
                booking_rate=q.rate, booking_source=_quote_text(q), refunds=refunds[i], fees=fees[i],
                fee_note="no payout line for this order yet" if not matched.get(o.id) else "no fees on this line",
                shipping_cny=ship, shipping_source=ship_src,
                duties_cny=duty_parts[i] if duty_parts else None,
                duties_source=duty_total[1] if duty_total else duty_why, duties_source_msg=duty_msg,
                unit_cost_cny=cost, cost_source=cost_src, rebate_rate=rate, rebate_source=rate_src,
                settlement_rate=settle[0] if settle else None,
                settlement_note=settle[1] if settle else "payout not yet converted to CNY",
                fulfillment=o.fulfillment)
            out.append(compute(p))
    return ProfitReport(out, warnings)


def order_margins(s: Session, principal: Principal, order_ids: Collection[int]) -> dict[int, Decimal]:
    """Order id → its margin in CNY (2 places), for the orders that have profit lines (cancelled
    orders, orders without prices or without an exchange rate have none)."""
    ids = sorted(set(order_ids))
    out: dict[int, Decimal] = {}
    for i in range(0, len(ids), 2000):  # bounded IN lists
        chunk = ids[i:i + 2000]
        by_ref = {(channel, ref): oid for oid, ref, channel in s.execute(
            select(SalesOrder.id, SalesOrder.order_ref, SalesOrder.channel)
            .where(SalesOrder.org_id == principal.org_id, SalesOrder.id.in_(chunk)))}
        for key, margin in build_report(s, principal, order_ids=chunk).by_order().items():
            if key in by_ref:
                out[by_ref[key]] = Decimal(dec_str(margin, 2))
    return out


def period_from(period: str | None = None, start: Any = None, last: Any = None, *, today: date | None = None,
                names: tuple[str, str, str] = ("period", "from", "to")) -> Period:
    """The period of a request: a preset name or the first and last days (``YYYY-MM-DD`` text or
    dates, the last included); errors name the option as the caller calls it (``names``)."""
    from xborder.importing import iso_date
    from xborder.profit.period import resolve

    d0, d1 = iso_date(start, names[1]), iso_date(last, names[2])
    try:
        return resolve(period, d0, d1, today=today)
    except ValidationError as e:
        name = names[0] if e.field == "period" else names[1]
        raise ValidationError(e.message.replace(f"{e.field}:", f"{name}:", 1), field=name.lstrip("-")) from None


def period_report(s: Session, principal: Principal, period: Period, sku: str | None = None) -> ProfitReport:
    """The report of the orders placed in ``period`` (``xborder.profit.period``); with ``sku``,
    only that SKU's order lines."""
    report = build_report(s, principal, start=period.start, end=period.end)
    if sku:
        return ProfitReport([ln for ln in report.lines if ln.input.sku == sku], report.warnings)
    return report


def compare(current: ProfitReport, previous: ProfitReport | None) -> dict[str, Any]:
    """Totals of a period beside the previous one's, as 2-place strings, with the change of each
    figure and of the margin share (percentage points); the previous side is None when there is
    nothing to compare with."""
    now = current.totals()
    out: dict[str, Any] = {"lines": now["lines"], "orders": now["orders"],
                           **{f: dec_str(now[f], 2) for f in FIGURES},
                           "margin_share": dec_str(now["margin_share"] * 100, 1) if now["margin_share"] is not None else None}
    before = previous.totals() if previous is not None and previous.lines else None
    out["previous"] = None if before is None else {
        "lines": before["lines"], "orders": before["orders"], **{f: dec_str(before[f], 2) for f in FIGURES},
        "margin_share": dec_str(before["margin_share"] * 100, 1) if before["margin_share"] is not None else None}
    out["change"] = None if before is None else {  # of the figures as shown (2 places), so they add up
        **{f: dec_str(Decimal(out[f]) - Decimal(out["previous"][f]), 2) for f in FIGURES},
        "margin_share_points": (dec_str((now["margin_share"] - before["margin_share"]) * 100, 1)
                                if now["margin_share"] is not None and before["margin_share"] is not None else None)}
    return out


def with_previous(rows: list[dict[str, Any]], previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with each key's margin in the previous period (``margin_previous``, null when the
    key had no lines then) and the change (``margin_change``); the keys only seen before are left
    out (their rows are the previous period's)."""
    before = {r["key"]: r["margin"] for r in previous}
    out = []
    for r in rows:
        was = before.get(r["key"])
        out.append({**r, "margin_previous": was,
                    "margin_change": dec_str(Decimal(r["margin"]) - Decimal(was), 2) if was is not None else None})
    return out


def profit_rows(s: Session, principal: Principal, by: str, period: Period | None = None, sku: str | None = None,
                **kw: Any) -> dict[str, Any]:
    """``{"currency": "CNY", "rows": [...]}`` (the contract), with ``period`` and ``totals``
    beside them when a period is given (and ``sku`` when the report is one SKU's)."""
    if period is None:
        return {"currency": "CNY", "rows": build_report(s, principal, **kw).rows(by)}
    report = period_report(s, principal, period, sku)
    prev = period.previous()
    before = period_report(s, principal, prev, sku) if prev is not None else None
    rows = with_previous(report.rows(by), before.rows(by)) if before is not None else report.rows(by)
    return {"currency": "CNY", "rows": rows, "period": period.to_dict(),
            "previous_period": prev.to_dict() if prev is not None else None, "totals": compare(report, before),
            **({"sku": sku} if sku else {})}


def report_table(s: Session, principal: Principal, by: str, sku: str | None = None, **kw: Any) -> Any:
    """The profit report by ``by`` as a downloadable table (CNY; exact decimals); with ``sku``,
    that SKU's lines only."""
    from xborder.tabular import Table

    report = build_report(s, principal, **kw)
    lines = [ln for ln in report.lines if ln.input.sku == sku] if sku else report.lines
    rows = ProfitReport(lines).rows(by)
    return Table(f"profit-by-{by}", [by, *FIGURES, "currency"],
                 [[r["key"], *[Decimal(r[f]) for f in FIGURES], "CNY"] for r in rows])  # rows() gives 2-place strings


LINE_COLUMNS = ("order_id", "line_id", "channel", "market", "month", "sku", "quantity", "sale_currency",
                "net_revenue_sale_currency", "fees_sale_currency", "refunds_sale_currency")


def lines_table(s: Session, principal: Principal, *, by: str = "order", key: str | None = None, **kw: Any) -> Any:
    """Every order line (or those behind one ``key`` of the ``by`` dimension) with its figures in
    CNY and, in the last column, the rule and source behind each figure."""
    from xborder.tabular import Table

    report = build_report(s, principal, **kw)
    lines = line_details(report, by=by, key=key) if key is not None else report.lines
    rows = []
    for ln in lines:
        i = ln.input
        why = "; ".join(f"{e.figure}: {e.rule} ({e.source}) {dec_str(e.amount, 2)}" for e in ln.explanations)
        rows.append([i.order_ref, i.line_ref, i.channel, i.market, i.month, i.sku, i.quantity.normalize(), i.currency,
                     *[Decimal(dec_str(v, 2)) for v in (i.net_revenue, i.fees, i.refunds, *ln.figures().values())], "CNY", why])
    name = f"profit-lines-{by}-{key}" if key is not None else "profit-lines"
    return Table(name, [*LINE_COLUMNS, *FIGURES, "currency", "explanation"], rows)


def sku_markets(report: ProfitReport, sku: str) -> list[dict[str, Any]]:
    """One SKU's sales by market: orders, units, revenue, margin (CNY, 2 places), margin per unit
    and as a share of revenue (%), best margin first; a last row ``key=None`` holds the totals."""
    acc: dict[str | None, dict[str, Any]] = {}
    for ln in report.lines:
        if ln.input.sku != sku:
            continue
        for key in (ln.input.market or "", None):
            a = acc.setdefault(key, {"orders": set(), "units": ZERO, "revenue": ZERO, "margin": ZERO})
            a["orders"].add((ln.input.channel, ln.input.order_ref))
            a["units"] += ln.input.quantity
            a["revenue"] += ln.revenue
            a["margin"] += ln.margin
    rows = []
    for key, a in acc.items():
        rows.append({"key": key, "orders": len(a["orders"]), "units": format(a["units"].normalize(), "f"),
                     "revenue": dec_str(a["revenue"], 2), "margin": dec_str(a["margin"], 2),
                     "margin_per_unit": dec_str(a["margin"] / a["units"], 2) if a["units"] else None,
                     "margin_share": dec_str(a["margin"] / a["revenue"] * 100, 1) if a["revenue"] else None})
    rows.sort(key=lambda r: (r["key"] is None, -Decimal(r["margin"])))
    return rows


def line_details(report: ProfitReport, *, by: str, key: str) -> list[ProfitLine]:
    from xborder.profit.model import key_of

    return [ln for ln in report.lines if key_of(ln, by) == key]




def line_to_dict(ln: ProfitLine) -> dict[str, Any]:
    i = ln.input
    return {"order_id": i.order_ref, "line_id": i.line_ref, "channel": i.channel, "market": i.market, "month": i.month,
            "sku": i.sku, "currency": i.currency, "quantity": format(i.quantity.normalize(), "f"),
            "net_revenue_sale_currency": dec_str(i.net_revenue, 2), "fees_sale_currency": dec_str(i.fees, 2),
            "refunds_sale_currency": dec_str(i.refunds, 2),
            **{k: dec_str(v, 2) for k, v in ln.figures().items()},
            "explanations": [e.to_dict() for e in ln.explanations]}

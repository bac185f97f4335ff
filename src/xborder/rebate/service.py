"""Use cases of the rebate package. Every function filters by the principal's organisation and
never commits (the caller's unit of work does)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from xborder.accounts.service import Principal
from xborder.db import utcnow
from xborder.errors import NotFound, ValidationError, XborderError
from xborder.money import dec_str
from xborder.rebate import engine
from xborder.rebate.deadlines import Deadline
from xborder.rebate.fob import DATE_RULES, FobConversion, fob_to_cny
from xborder.rebate.matching import (
    PROBLEMS,
    Declaration,
    DeclarationLine,
    Invoice,
    ManualInvoiceAllocation,
    ManualReceiptAllocation,
    MatchResult,
    Receipt,
    match,
)
from xborder.rebate.orm import (
    RebateAllocation,
    RebateDeclaration,
    RebateDeclarationLine,
    RebateFxRule,
    RebateInvoice,
    RebatePeriod,
    RebateProfile,
    RebateRateRow,
    RebateReceipt,
)
from xborder.rebate.rates import RateLibrary, RebateRate, rate_str
from xborder.rebate.records import REGIMES, DeclarationRow, InvoiceRow, ReceiptRow

AREA = "finance"
DEFAULT_FX_RULE = "month_first"  # practitioners' advice (research notes §1.4); shown as "not chosen" in the UI
ZERO = Decimal(0)


def _check_regime(regime: str) -> str:
    if regime not in REGIMES:
        raise ValidationError(f"regime: {regime!r} is not one of {', '.join(REGIMES)}", field="regime")
    return regime


def _check_period(period: str) -> str:
    import re

    if not isinstance(period, str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", period):
        raise ValidationError(f"period: {period!r} is not a period (YYYY-MM)", field="period")
    return period


# --- profile and FX date rule --------------------------------------------------------------


def get_profile(s: Session, org_id: int) -> RebateProfile:
    prof = s.scalar(select(RebateProfile).where(RebateProfile.org_id == org_id))
    if prof is not None:
        return prof
    from xborder.accounts.orm import Organisation

    org = s.get(Organisation, org_id)
    etype = getattr(org, "enterprise_type", "trading") if org else "trading"
    name = (getattr(org, "legal_name_zh", "") or getattr(org, "name", "")) if org else ""
    return RebateProfile(org_id=org_id, enterprise_type=etype if etype in REGIMES else "trading",
                         exporter_name=name, zone_registered=False, small_low_profit=True)


def save_profile(s: Session, principal: Principal, *, enterprise_type: str | None = None,
                 exporter_name: str | None = None, zone_registered: bool | None = None,
                 small_low_profit: bool | None = None) -> RebateProfile:
    principal.require(AREA)
    prof = get_profile(s, principal.org_id)
    if enterprise_type is not None:
        prof.enterprise_type = _check_regime(enterprise_type)
    if exporter_name is not None:
        prof.exporter_name = exporter_name.strip()
    if zone_registered is not None:
        prof.zone_registered = zone_registered
    if small_low_profit is not None:
        prof.small_low_profit = small_low_profit
    if prof.id is None:
        s.add(prof)
    s.flush()
    return prof


def set_fx_rule(s: Session, principal: Principal, year: int, rule: str) -> RebateFxRule:
    principal.require(AREA)
    if rule not in DATE_RULES:
        raise ValidationError(f"rule: {rule!r} is not one of {', '.join(DATE_RULES)}", field="rule")
    if not 2000 <= int(year) <= 2100:
        raise ValidationError(f"year: {year} is out of range", field="year")
    row = s.scalar(select(RebateFxRule).where(RebateFxRule.org_id == principal.org_id, RebateFxRule.year == year))
    if row is None:
        row = RebateFxRule(org_id=principal.org_id, year=int(year), rule=rule)
        s.add(row)
    elif row.rule != rule:
        raise ValidationError(
            f"rule: the {year} rule is already {row.rule!r}; the choice cannot be changed within the year "
            "(增值税暂行条例实施细则 第十五条)", field="rule")
    s.flush()
    return row


def fx_rule_for(s: Session, org_id: int, year: int) -> tuple[str, bool]:
    """The date rule of ``year`` and whether the company chose it (False: the default is used)."""
    row = s.scalar(select(RebateFxRule).where(RebateFxRule.org_id == org_id, RebateFxRule.year == year))
    return (row.rule, True) if row else (DEFAULT_FX_RULE, False)


# --- rate library --------------------------------------------------------------------------


def store_rates(s: Session, principal: Principal, rates: Iterable[RebateRate]) -> tuple[int, int]:
    """Upsert library rows by (code, valid_from); returns (imported or changed, unchanged)."""
    from sqlalchemy import insert

    principal.require(AREA)
    cols = (RebateRateRow.id, RebateRateRow.code, RebateRateRow.valid_from, RebateRateRow.valid_to,
            RebateRateRow.rebate_rate, RebateRateRow.levy_rates, RebateRateRow.name, RebateRateRow.unit,
            RebateRateRow.flag)
    existing = {(r.code, r.valid_from): r for r in
                s.execute(select(*cols).where(RebateRateRow.org_id == principal.org_id))}
    imported = skipped = 0
    new: list[dict[str, Any]] = []
    now = utcnow()
    for rate in rates:
        levy = ",".join(format(x, "f") for x in rate.levy_rates)
        values = dict(valid_to=rate.valid_to, rebate_rate=rate.rebate_rate, levy_rates=levy, name=rate.name[:300],
                      unit=rate.unit[:20], flag=rate.flag[:4])
        row = existing.get((rate.code, rate.valid_from))
        if row is None:
            new.append(dict(org_id=principal.org_id, code=rate.code, valid_from=rate.valid_from,
                            source=rate.source[:200], created_at=now, updated_at=now, **values))
            existing[(rate.code, rate.valid_from)] = None  # type: ignore[assignment]
            imported += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            obj = s.get(RebateRateRow, row.id)
            assert obj is not None
            for k, v in values.items():
                setattr(obj, k, v)
            obj.source = rate.source[:200]
            imported += 1
        else:
            skipped += 1
    for i in range(0, len(new), 2000):
        s.execute(insert(RebateRateRow), new[i:i + 2000])
    s.flush()
    return imported, skipped


def library(s: Session, org_id: int, codes: Iterable[str] | None = None) -> RateLibrary:
    """The organisation's rate library; with ``codes``, only the rows a lookup of those codes can
    use (the code itself, its prefixes and the codes under it)."""
    cols = (RebateRateRow.code, RebateRateRow.valid_from, RebateRateRow.valid_to, RebateRateRow.rebate_rate,
            RebateRateRow.levy_rates, RebateRateRow.name, RebateRateRow.unit, RebateRateRow.flag,
            RebateRateRow.source)
    q = select(*cols).where(RebateRateRow.org_id == org_id)
    if codes is not None:
        from sqlalchemy import or_

        wanted = {"".join(ch for ch in str(c) if ch.isdigit()) for c in codes}
        wanted.discard("")
        if not wanted:
            return RateLibrary()
        prefixes = {c[:n] for c in wanted for n in range(4, len(c) + 1)}
        q = q.where(or_(RebateRateRow.code.in_(sorted(prefixes)),
                        *[RebateRateRow.code.like(c + "%") for c in sorted(wanted)]))
    out = []
    for r in s.execute(q):
        levy = tuple(Decimal(x) for x in r.levy_rates.split(",") if x)
        out.append(RebateRate(r.code, r.valid_from, r.valid_to, r.rebate_rate, levy, r.name, r.unit, r.flag,
                              r.source))
    return RateLibrary(out)


def rate_count(s: Session, org_id: int) -> int:
    from sqlalchemy import func

    return int(s.scalar(select(func.count(RebateRateRow.id)).where(RebateRateRow.org_id == org_id)) or 0)


# --- documents -----------------------------------------------------------------------------


def _same(obj: Any, values: dict[str, Any]) -> bool:
    return all(getattr(obj, k) == v for k, v in values.items())


def store_declarations(s: Session, principal: Principal, rows: list[DeclarationRow]) -> tuple[int, int]:
    """Upsert declarations and their lines by (number, line_no); (imported or changed, unchanged)."""
    principal.require(AREA)
    default_regime = get_profile(s, principal.org_id).enterprise_type
    by_number: dict[str, list[DeclarationRow]] = defaultdict(list)
    for r in rows:
        by_number[r.number].append(r)
    imported = skipped = 0
    for number, lines in by_number.items():
        first = lines[0]
        head = dict(export_date=first.export_date, trade_mode=first.trade_mode, currency=first.currency,
                    buyer=first.buyer, period=first.period, regime=first.regime,
                    fx_rate=first.fx_rate, fx_rate_date=first.fx_rate_date, contract_fx_date=first.contract_fx_date,
                    fx_note=first.fx_note, declared_on=first.declared_on)
        decl = s.scalar(select(RebateDeclaration).options(selectinload(RebateDeclaration.lines)).where(
            RebateDeclaration.org_id == principal.org_id, RebateDeclaration.number == number))
        changed = False
        if decl is None:
            decl = RebateDeclaration(org_id=principal.org_id, number=number,
                                     **{**head, "regime": first.regime or default_regime})
            s.add(decl)
            s.flush()
            changed = True
        else:
            # an empty optional column keeps what is stored (e.g. a rate or a date entered in the UI)
            given = {k: v for k, v in head.items() if v is not None and v != ""}
            if not _same(decl, given):
                for k, v in given.items():
                    setattr(decl, k, v)
                changed = True
        existing = {ln.line_no: ln for ln in decl.lines}
        for r in lines:
            vals = dict(hs_code=r.hs_code, goods=r.goods, unit=r.unit, qty=r.qty, unit2=r.unit2, qty2=r.qty2,
                        fob=r.fob)
            ln = existing.get(r.line_no)
            if ln is None:
                ln = RebateDeclarationLine(org_id=principal.org_id, line_no=r.line_no, **vals)
                decl.lines.append(ln)
                existing[r.line_no] = ln
                changed = True
            elif not _same(ln, vals):
                for k, v in vals.items():
                    setattr(ln, k, v)
                changed = True
        imported += len(lines) if changed else 0
        skipped += 0 if changed else len(lines)
    s.flush()
    return imported, skipped


def store_invoices(s: Session, principal: Principal, rows: list[InvoiceRow]) -> tuple[int, int]:
    principal.require(AREA)
    imported = skipped = 0
    for r in rows:
        vals = dict(issued=r.issued, seller=r.seller, seller_tax_id=r.seller_tax_id, goods=r.goods, unit=r.unit,
                    qty=r.qty, net=r.net, vat=r.vat, rate=r.rate, kind=r.kind)
        row = s.scalar(select(RebateInvoice).where(RebateInvoice.org_id == principal.org_id,
                                                   RebateInvoice.number == r.number,
                                                   RebateInvoice.line_no == r.line_no))
        if row is None:
            s.add(RebateInvoice(org_id=principal.org_id, number=r.number, line_no=r.line_no, **vals))
            imported += 1
        elif not _same(row, vals):
            for k, v in vals.items():
                setattr(row, k, v)
            imported += 1
        else:
            skipped += 1
    s.flush()
    return imported, skipped


def store_receipts(s: Session, principal: Principal, rows: list[ReceiptRow]) -> tuple[int, int]:
    principal.require(AREA)
    imported = skipped = 0
    for r in rows:
        vals = dict(received=r.received, amount=r.amount, currency=r.currency, payer=r.payer, account=r.account,
                    receiver=r.receiver)
        row = s.scalar(select(RebateReceipt).where(RebateReceipt.org_id == principal.org_id,
                                                   RebateReceipt.reference == r.reference))
        if row is None:
            s.add(RebateReceipt(org_id=principal.org_id, reference=r.reference, **vals))
            imported += 1
        elif not _same(row, vals):
            for k, v in vals.items():
                setattr(row, k, v)
            imported += 1
        else:
            skipped += 1
    s.flush()
    return imported, skipped


def declarations(s: Session, org_id: int, period: str | None = None, regime: str | None = None
                 ) -> list[RebateDeclaration]:
    q = select(RebateDeclaration).options(selectinload(RebateDeclaration.lines)).where(
        RebateDeclaration.org_id == org_id)
    if period:
        q = q.where(RebateDeclaration.period == period)
    if regime:
        q = q.where(RebateDeclaration.regime == regime)
    return list(s.scalars(q.order_by(RebateDeclaration.export_date, RebateDeclaration.number)))


def get_declaration(s: Session, org_id: int, number: str) -> RebateDeclaration:
    d = s.scalar(select(RebateDeclaration).options(selectinload(RebateDeclaration.lines)).where(
        RebateDeclaration.org_id == org_id, RebateDeclaration.number == number))
    if d is None:
        raise NotFound(f"declaration {number} not found", field="number")
    return d


def invoices(s: Session, org_id: int) -> list[RebateInvoice]:
    return list(s.scalars(select(RebateInvoice).where(RebateInvoice.org_id == org_id)
                          .order_by(RebateInvoice.issued, RebateInvoice.number, RebateInvoice.line_no)))


def receipts(s: Session, org_id: int) -> list[RebateReceipt]:
    return list(s.scalars(select(RebateReceipt).where(RebateReceipt.org_id == org_id)
                          .order_by(RebateReceipt.received, RebateReceipt.reference)))


def mark_declared(s: Session, principal: Principal, number: str, declared_on: date,
                  filed_on: date | None = None) -> RebateDeclaration:
    principal.require(AREA)
    d = get_declaration(s, principal.org_id, number)
    if declared_on < d.export_date:
        raise ValidationError("declared_on: before the export date", field="declared_on")
    d.declared_on = declared_on
    if filed_on is not None:
        d.filed_on = filed_on
    s.flush()
    return d


# --- FX: FOB → CNY -------------------------------------------------------------------------


def _stored_fx_lookup(s: Session, org_id: int) -> Callable[[str, date], tuple[Decimal, date, str] | None] | None:
    """PBOC central parity stored by the ``fx`` package (table ``fx_rates``, source ``PBOC``, CNY
    per one unit), when that package and its table exist (guarded import).

    Exact-date lookups only: the date rule decides the day, so a previous-day fallback would
    silently pick another day's (or month's) rate.
    """
    try:
        from xborder.fx.orm import FxRate  # type: ignore[import-not-found,unused-ignore]
        from xborder.fx.parity import SOURCE  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    from sqlalchemy import inspect

    if not inspect(s.connection()).has_table(FxRate.__tablename__):
        return None
    cache: dict[tuple[str, date], Decimal | None] = {}

    def look(currency: str, on: date) -> tuple[Decimal, date, str] | None:
        key = (currency, on)
        if key not in cache:
            cache[key] = s.scalar(select(FxRate.rate).where(FxRate.source == SOURCE, FxRate.currency == currency,
                                                             FxRate.day == on))
        rate = cache[key]
        return None if rate is None else (rate, on, "PBOC central parity (stored rates)")

    return look


def convert_fob(s: Session, org_id: int, decl: RebateDeclaration, fob: Decimal) -> FobConversion:
    """FOB in the declaration's currency → CNY, saying where the rate came from."""
    rule, _chosen = fx_rule_for(s, org_id, decl.export_date.year)
    if decl.currency == "CNY" or decl.fx_rate is not None:
        def entered(currency: str, on: date) -> tuple[Decimal, date, str] | None:
            if decl.currency == "CNY":
                return Decimal(1), on, "CNY"
            return decl.fx_rate, decl.fx_rate_date or on, "rate entered with the declaration"  # type: ignore[return-value]

        conv = fob_to_cny(fob, decl.currency, decl.export_date, rule, entered)
        return conv
    look = _stored_fx_lookup(s, org_id)
    if look is None:
        from xborder.rebate.errors import RebateRateMissing

        raise RebateRateMissing(
            f"fx_rate: declaration {decl.number} has no central parity rate; enter the PBOC rate of "
            f"{'the export date' if rule == 'export_date' else 'the first working day of the month'}",
            field="fx_rate")
    return fob_to_cny(fob, decl.currency, decl.export_date, rule, look)


# --- matching ------------------------------------------------------------------------------


def _inv_key(inv: RebateInvoice) -> str:
    return inv.number if inv.line_no == 1 else f"{inv.number}/{inv.line_no}"


def match_documents(s: Session, org_id: int, today: date, *, persist_for: Principal | None = None) -> MatchResult:
    """Run the matcher on the organisation's documents; with ``persist_for`` store the allocations."""
    decls = declarations(s, org_id)
    invs = invoices(s, org_id)
    recs = receipts(s, org_id)
    prof = get_profile(s, org_id)
    inv_by_id = {i.id: i for i in invs}
    rec_by_id = {r.id: r for r in recs}
    decl_by_id = {d.id: d for d in decls}
    manual = list(s.scalars(select(RebateAllocation).where(RebateAllocation.org_id == org_id,
                                                          RebateAllocation.manual.is_(True))))
    man_inv = [ManualInvoiceAllocation(_inv_key(inv_by_id[a.invoice_id]), decl_by_id[a.declaration_id].number,
                                       a.line_no or 1, a.qty or ZERO)
               for a in manual if a.kind == "invoice" and a.invoice_id in inv_by_id and a.declaration_id in decl_by_id]
    man_rec = [ManualReceiptAllocation(rec_by_id[a.receipt_id].reference, decl_by_id[a.declaration_id].number,
                                       a.amount or ZERO)
               for a in manual if a.kind == "receipt" and a.receipt_id in rec_by_id and a.declaration_id in decl_by_id]
    pure_decls = [Declaration(
        d.number, d.export_date, d.currency, sum((ln.fob for ln in d.lines), ZERO),
        tuple(DeclarationLine(ln.line_no, ln.hs_code, ln.goods, ln.unit, ln.qty, ln.fob, ln.unit2, ln.qty2)
              for ln in d.lines),
        buyer=d.buyer, fx_note=d.fx_note, contract_fx_date=d.contract_fx_date, declared_on=d.declared_on,
        filed_on=d.filed_on, needs_invoices=d.regime == "trading") for d in decls]
    pure_invs = [Invoice(_inv_key(i), i.issued, i.seller, i.goods, i.unit, i.qty, i.net, i.vat, i.rate, i.kind)
                 for i in invs]
    pure_recs = [Receipt(r.reference, r.received, r.amount, r.currency, r.payer, r.account, r.receiver) for r in recs]
    result = match(pure_decls, pure_invs, pure_recs, today=today, exporter_name=prof.exporter_name,
                   manual_invoices=man_inv, manual_receipts=man_rec)
    if persist_for is not None:
        persist_for.require(AREA)
        s.execute(delete(RebateAllocation).where(RebateAllocation.org_id == org_id,
                                                 RebateAllocation.manual.is_(False)))
        inv_id = {_inv_key(i): i.id for i in invs}
        rec_id = {r.reference: r.id for r in recs}
        decl_id = {d.number: d.id for d in decls}
        for a in result.invoice_allocations:
            if not a.manual:
                s.add(RebateAllocation(org_id=org_id, kind="invoice", declaration_id=decl_id[a.declaration],
                                       line_no=a.line_no, invoice_id=inv_id[a.invoice], qty=a.qty, manual=False))
        for ra in result.receipt_allocations:
            if not ra.manual:
                s.add(RebateAllocation(org_id=org_id, kind="receipt", declaration_id=decl_id[ra.declaration],
                                       receipt_id=rec_id[ra.receipt], amount=ra.amount, manual=False))
        s.flush()
    return result


def allocate_manually(s: Session, principal: Principal, *, declaration: str, invoice: str | None = None,
                      line_no: int = 1, qty: Decimal | None = None, receipt: str | None = None,
                      amount: Decimal | None = None) -> RebateAllocation:
    """A user's allocation on the matching workbench (kept when the matcher runs again)."""
    principal.require(AREA)
    d = get_declaration(s, principal.org_id, declaration)
    if invoice:
        number, _sep, ln = invoice.partition("/")
        inv = s.scalar(select(RebateInvoice).where(RebateInvoice.org_id == principal.org_id,
                                                   RebateInvoice.number == number,
                                                   RebateInvoice.line_no == int(ln or 1)))
        if inv is None:
            raise NotFound(f"invoice: {invoice} not found", field="invoice")
        if line_no not in {x.line_no for x in d.lines}:
            raise ValidationError(f"line_no: declaration {declaration} has no line {line_no}", field="line_no")
        if qty is None or qty <= 0:
            raise ValidationError("qty: must be greater than 0", field="qty")
        if qty > inv.qty:
            raise ValidationError(f"qty: {qty} is more than the invoice quantity {inv.qty}", field="qty")
        a = RebateAllocation(org_id=principal.org_id, kind="invoice", declaration_id=d.id, line_no=line_no,
                             invoice_id=inv.id, qty=qty, manual=True)
    elif receipt:
        rec = s.scalar(select(RebateReceipt).where(RebateReceipt.org_id == principal.org_id,
                                                   RebateReceipt.reference == receipt))
        if rec is None:
            raise NotFound(f"receipt: {receipt} not found", field="receipt")
        if rec.currency != d.currency:
            raise ValidationError(f"receipt: currency {rec.currency} differs from the declaration's {d.currency}",
                                  field="receipt")
        if amount is None or amount <= 0:
            raise ValidationError("amount: must be greater than 0", field="amount")
        a = RebateAllocation(org_id=principal.org_id, kind="receipt", declaration_id=d.id, receipt_id=rec.id,
                             amount=amount, manual=True)
    else:
        raise ValidationError("invoice: give an invoice or a receipt to allocate", field="invoice")
    s.add(a)
    s.flush()
    return a


def clear_manual(s: Session, principal: Principal, declaration: str) -> int:
    principal.require(AREA)
    d = get_declaration(s, principal.org_id, declaration)
    res = s.execute(delete(RebateAllocation).where(RebateAllocation.org_id == principal.org_id,
                                                   RebateAllocation.declaration_id == d.id,
                                                   RebateAllocation.manual.is_(True)))
    s.flush()
    return int(res.rowcount or 0)  # type: ignore[attr-defined]


# --- periods -------------------------------------------------------------------------------


def get_period(s: Session, org_id: int, period: str, regime: str) -> RebatePeriod | None:
    return s.scalar(select(RebatePeriod).where(RebatePeriod.org_id == org_id, RebatePeriod.period == period,
                                               RebatePeriod.regime == regime))


def periods(s: Session, org_id: int) -> list[tuple[str, str, RebatePeriod | None]]:
    """Every (period, regime) with a period record or declarations, newest first."""
    keys: set[tuple[str, str]] = set()
    recs = {(p.period, p.regime): p for p in s.scalars(select(RebatePeriod).where(RebatePeriod.org_id == org_id))}
    keys.update(recs)
    for p, r in s.execute(select(RebateDeclaration.period, RebateDeclaration.regime)
                          .where(RebateDeclaration.org_id == org_id).distinct()):
        keys.add((p, r))
    return [(p, r, recs.get((p, r))) for p, r in sorted(keys, reverse=True)]


def save_period(s: Session, principal: Principal, period: str, regime: str, **figures: Any) -> RebatePeriod:
    principal.require(AREA)
    _check_period(period)
    _check_regime(regime)
    row = get_period(s, principal.org_id, period, regime)
    if row is None:
        row = RebatePeriod(org_id=principal.org_id, period=period, regime=regime, domestic_output_vat=ZERO,
                           input_vat=ZERO, opening_credit=ZERO, offset_brought_forward=ZERO, note="")
        s.add(row)
    amounts = ("domestic_output_vat", "input_vat", "opening_credit", "tax_free_materials", "offset_brought_forward",
               "declared_end_credit")
    for k, v in figures.items():
        if isinstance(v, float):
            raise ValidationError(f"{k}: send amounts as decimal strings, not floats", field=k)
        if isinstance(v, int) and not isinstance(v, bool):
            v = Decimal(v)
        if k in amounts:
            if v is None or v == "":
                if k in ("tax_free_materials", "declared_end_credit"):
                    setattr(row, k, None)
                continue
            d = engine.to_decimal(v, k) if not isinstance(v, Decimal) else v
            if d < 0:
                raise ValidationError(f"{k}: must not be negative", field=k)
            setattr(row, k, d)
        elif k == "planned_distribution_rate":
            if v is None or v == "":
                row.planned_distribution_rate = None
                continue
            d = engine.to_decimal(v, k) if not isinstance(v, Decimal) else v
            if d < 0 or d > 1:
                raise ValidationError(f"{k}: a rate is a fraction between 0 and 1", field=k)
            row.planned_distribution_rate = d
        elif k == "note":
            row.note = str(v or "")
        else:
            raise ValidationError(f"{k}: unknown period figure", field=k)
    if row.tax_free_materials is not None and row.planned_distribution_rate is not None:
        raise ValidationError("planned_distribution_rate: give either tax_free_materials or "
                              "planned_distribution_rate, not both", field="planned_distribution_rate")
    s.flush()
    return row


@dataclass
class PeriodLine:
    declaration: str
    export_date: date
    line_no: int
    hs_code: str
    goods: str
    unit: str
    qty: Decimal
    fob: Decimal
    currency: str
    conversion: FobConversion | None = None
    rate: RebateRate | None = None
    levy_rate: Decimal | None = None
    refund: Decimal | None = None
    problems: list[str] = field(default_factory=list)
    invoices: list[dict[str, Any]] = field(default_factory=list)
    receipts: list[dict[str, Any]] = field(default_factory=list)
    status: str = ""
    regime: str = ""  # what applies with the documents held so far (engine.choose_regime)
    deemed_output_vat: Decimal | None = None  # output VAT if it ends up taxed as a domestic sale

    def to_dict(self) -> dict[str, Any]:
        return {
            "regime": self.regime,
            "deemed_output_vat": dec_str(self.deemed_output_vat, 2) if self.deemed_output_vat is not None else None,
            "declaration": self.declaration, "export_date": self.export_date.isoformat(), "line_no": self.line_no,
            "hs_code": self.hs_code, "goods": self.goods, "unit": self.unit, "qty": dec_str(self.qty),
            "fob": dec_str(self.fob, 2), "currency": self.currency,
            "fob_cny": dec_str(self.conversion.cny, 2) if self.conversion else None,
            "fx_rate": dec_str(self.conversion.rate) if self.conversion else None,
            "fx_rate_date": self.conversion.rate_date.isoformat() if self.conversion else None,
            "fx_source": self.conversion.source if self.conversion else None,
            "rebate_rate": rate_str(self.rate.rebate_rate) if self.rate else None,
            "rebate_rate_source": self.rate.describe() if self.rate else None,
            "levy_rate": rate_str(self.levy_rate) if self.levy_rate is not None else None,
            "refund": dec_str(self.refund, 2) if self.refund is not None else None,
            "status": self.status, "problems": list(self.problems),
            "invoices": self.invoices, "receipts": self.receipts,
        }


@dataclass
class PeriodReport:
    period: str
    regime: str
    record: RebatePeriod | None
    lines: list[PeriodLine]
    fx_rule: str
    fx_rule_chosen: bool
    result: engine.ExemptCreditRefundResult | None = None
    trading_steps: list[engine.Step] = field(default_factory=list)
    refund: Decimal = ZERO
    refund_ready: Decimal = ZERO  # trading: part of the refund on declarations whose status is ready
    fob_cny: Decimal = ZERO
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "period": self.period, "regime": self.regime, "fx_rule": self.fx_rule,
            "fx_rule_chosen": self.fx_rule_chosen, "fob_cny": dec_str(self.fob_cny, 2),
            "refund": dec_str(self.refund, 2), "refund_ready": dec_str(self.refund_ready, 2), "errors": list(self.errors), "warnings": list(self.warnings),
            "lines": [ln.to_dict() for ln in self.lines],
        }
        if self.result is not None:
            out["result"] = self.result.contract_dict()
            out["result"]["computed_end_credit"] = dec_str(self.result.computed_end_credit, 2)
            out["result"]["offset_carried_forward"] = dec_str(self.result.offset_carried_forward, 2)
            out["declared_end_credit"] = (dec_str(self.record.declared_end_credit, 2)
                                          if self.record and self.record.declared_end_credit is not None else None)
        else:
            out["steps"] = [st.to_dict() for st in self.trading_steps]
        return out


def period_report(s: Session, org_id: int, period: str, regime: str, today: date,
                  matched: MatchResult | None = None, lib: RateLibrary | None = None) -> PeriodReport:
    _check_period(period)
    _check_regime(regime)
    record = get_period(s, org_id, period, regime)
    year = int(period[:4])
    rule, chosen = fx_rule_for(s, org_id, year)
    decls = declarations(s, org_id, period, regime)
    if lib is None:
        lib = library(s, org_id, codes=[ln.hs_code for d in decls for ln in d.lines])
    m = matched or match_documents(s, org_id, today)
    statuses = m.by_number()
    rep = PeriodReport(period, regime, record, [], rule, chosen)
    prof = get_profile(s, org_id)
    if not chosen:
        rep.warnings.append(f"no FOB date rule chosen for {year}: using the first working day of the month")
    for d in decls:
        st = statuses.get(d.number)
        for ln in d.lines:
            pl = PeriodLine(d.number, d.export_date, ln.line_no, ln.hs_code, ln.goods, ln.unit, ln.qty, ln.fob,
                            d.currency, status=st.status if st else "")
            try:
                pl.conversion = convert_fob(s, org_id, d, ln.fob)
            except XborderError as exc:
                pl.problems.append(exc.message)
            try:
                pl.rate = lib.lookup(ln.hs_code, d.export_date)
                pl.levy_rate = pl.rate.levy_rate
                if pl.rate.flag in ("1", "2"):
                    pl.problems.append(f"hs_code: {ln.hs_code} is flagged "
                                       + ("出口征税 (taxed as a domestic sale)" if pl.rate.flag == "1"
                                          else "出口免税 (exempt, no refund)") + " in the library")
            except XborderError as exc:
                pl.problems.append(exc.message)
            if st:
                ls = next((x for x in st.lines if x.line.line_no == ln.line_no), None)
                if ls:
                    pl.invoices = [a.to_dict() for a in ls.allocations]
                pl.receipts = [a.to_dict() for a in st.receipts]
                _regime(pl, st, ls, prof, d.export_date)
            rep.lines.append(pl)
    on = date(year, int(period[5:7]), 1)
    if regime == "production":
        groups: dict[tuple[Decimal, Decimal], Decimal] = defaultdict(lambda: ZERO)
        for pl in rep.lines:
            if pl.problems or pl.conversion is None or pl.rate is None:
                if pl.problems:
                    rep.errors.append(f"{pl.declaration}/{pl.line_no} left out: " + "; ".join(pl.problems))
                continue
            if pl.levy_rate is None:
                rep.errors.append(f"{pl.declaration}/{pl.line_no} left out: the library has no levy rate (ZSSL_SET)")
                continue
            groups[(pl.levy_rate, pl.rate.rebate_rate)] += pl.conversion.cny
        total = sum(groups.values(), ZERO)
        rep.fob_cny = total
        materials = record.tax_free_materials if record else None
        pdr = record.planned_distribution_rate if record else None
        lines = []
        for (levy, reb), fob in sorted(groups.items()):
            share = (materials * fob / total) if (materials is not None and total) else None
            lines.append(engine.ExportLine(fob, levy, reb, share, pdr, label=f"{levy}/{reb}"))
        if not lines:
            lines = [engine.ExportLine(ZERO, Decimal("0.13"), Decimal("0.13"), materials, pdr)]
            rep.warnings.append("no exports with a rate and a CNY value in this period")
        rep.result = engine.exempt_credit_refund(engine.ExemptCreditRefundInput(
            on=on, lines=tuple(lines),
            domestic_output_vat=record.domestic_output_vat if record else ZERO,
            input_vat=record.input_vat if record else ZERO,
            opening_credit=record.opening_credit if record else ZERO,
            offset_brought_forward=record.offset_brought_forward if record else ZERO,
            declared_end_credit=record.declared_end_credit if record else None))
        rep.refund = rep.result.refund
        rep.refund_ready = rep.result.refund  # 免抵退 is declared per period; FX may follow until the deadline
        rep.warnings.extend(rep.result.warnings)
        if record is None:
            rep.warnings.append("VAT return figures not entered for this period: output and input VAT taken as 0")
    else:
        for pl in rep.lines:
            if pl.conversion:
                rep.fob_cny += pl.conversion.cny
            if pl.rate is None:
                if pl.problems:
                    rep.errors.append(f"{pl.declaration}/{pl.line_no}: " + "; ".join(pl.problems))
                continue
            line_refund = ZERO
            for a in pl.invoices:
                res = engine.exempt_refund(engine.ExemptRefundInput(
                    pl.export_date, Decimal(a["net"]), Decimal(a["rate"]), pl.rate.rebate_rate))
                line_refund += res.refund
                rep.trading_steps.append(engine.Step(
                    "refund", f"Refund on invoice {a['invoice']} for {pl.declaration}/{pl.line_no}",
                    f"发票{a['invoice']}对应{pl.declaration}第{pl.line_no}项应退税额",
                    f"{a['net']} × min({a['rate']}, {rate_str(pl.rate.rebate_rate)}) = {dec_str(res.refund, 2)}",
                    res.refund, res.steps[-1].source))
            pl.refund = line_refund
            rep.refund += line_refund
            if pl.status == "ready":
                rep.refund_ready += line_refund
        if not rep.trading_steps:
            rep.warnings.append("no invoices matched to this period's declarations yet")
    return rep


def _regime(pl: PeriodLine, st: Any, ls: Any, prof: RebateProfile, export_date: date) -> None:
    """The regime with the documents held so far; when the declare deadline has passed without a
    refund, the output VAT of a domestic sale is shown too."""
    excluded = pl.rate is not None and pl.rate.flag == "1"
    if ls is not None and ls.covered >= ls.line.qty:
        voucher = "special"
    elif "ordinary_invoice" in st.warnings:
        voucher = "ordinary"
    else:
        voucher = "none"
    facts = engine.ExportFacts(
        enterprise_type="trading" if st.declaration.needs_invoices else "production",
        fx_received="fx_missing" not in st.problems, purchase_voucher=voucher,
        zone_registered=prof.zone_registered, zone_customs=prof.zone_registered, goods_excluded=excluded)
    decision = engine.choose_regime(facts, export_date)
    pl.regime = decision.regime
    if pl.rate is not None and pl.rate.flag == "2" and decision.regime == "refund":
        pl.regime = "exempt"  # 文库 TSFLAG 2 = 出口免税: exempt, no refund
    overdue = any(dl.key == "declare" and dl.state == "overdue" for dl in st.deadlines)
    if pl.conversion is not None and pl.levy_rate is not None and (
            decision.regime == "deemed_domestic" and (overdue or excluded)):
        pl.deemed_output_vat = engine.deemed_domestic(export_date, pl.conversion.cny, pl.levy_rate).output_vat
        pl.problems.append(f"taxed as a domestic sale: output VAT {dec_str(pl.deemed_output_vat, 2)}")


# --- deadlines -----------------------------------------------------------------------------


def deadlines(s: Session, org_id: int, today: date, matched: MatchResult | None = None) -> list[Deadline]:
    m = matched or match_documents(s, org_id, today)
    out = [dl for st in m.declarations for dl in st.deadlines]
    order = {"overdue": 0, "due_soon": 1, "upcoming": 2, "done": 3}
    return sorted(out, key=lambda d: (order[d.state], d.due, d.declaration))


def problem_label(code: str, lang: str = "en") -> str:
    en, zh = PROBLEMS.get(code, (code, code))
    return zh if lang.startswith("zh") else en


def month_bounds(period: str) -> tuple[date, date]:
    y, m = int(period[:4]), int(period[5:7])
    start = date(y, m, 1)
    nxt = date(y + (m == 12), m % 12 + 1, 1)
    return start, nxt - timedelta(days=1)


# --- profit hook: the rebate rate of a catalog SKU from the organisation's rate library ----------------

_SKU_RATES = "xborder.rebate.sku_rates"


def _drop_sku_rates(session: Session, *_: Any) -> None:
    """The cached SKU codes and library go as soon as the session writes or its transaction ends."""
    session.info.pop(_SKU_RATES, None)


def _drop_sku_rates_on_write(state: Any) -> None:  # Core insert/update/delete (store_rates)
    if not state.is_select:
        state.session.info.pop(_SKU_RATES, None)


def rebate_rate_lookup(s: Session, principal: Principal, sku_code: str, on: date) -> tuple[Decimal | None, str]:
    """(rate, source) of a catalog SKU by its HS code in the organisation's 文库 on ``on``, or
    (None, why). The library's own lookup (:meth:`RateLibrary.lookup`): the exact code, else the
    unique rate of the codes under it (a 6-digit HS code → its 10-digit lines; different rates →
    ambiguous, None), else the longest code above it; never a default."""
    from sqlalchemy import event

    from xborder.catalog.orm import Sku
    from xborder.rebate.errors import AmbiguousRebateCode, UnknownRebateCode

    org = principal.org_id
    s.flush()  # pending writes drop the cache below
    cached = s.info.get(_SKU_RATES)
    if not cached or cached[0] != org:
        # China's own 10-digit code when the catalog has it (the library is keyed by it), else the HS code
        hs = {k: cn or c for k, cn, c in s.execute(select(Sku.sku, Sku.hs_code_cn, Sku.hs_code).where(Sku.org_id == org))}
        cached = (org, hs, library(s, org, [c for c in hs.values() if c]) if hs else RateLibrary())
        s.info[_SKU_RATES] = cached
        if not event.contains(s, "after_flush", _drop_sku_rates):
            event.listen(s, "after_flush", _drop_sku_rates)
            event.listen(s, "after_transaction_end", _drop_sku_rates)
            event.listen(s, "do_orm_execute", _drop_sku_rates_on_write)
    _, hs_codes, lib = cached
    if sku_code not in hs_codes:
        return None, f"SKU {sku_code} is not in the catalog"
    code = "".join(ch for ch in (hs_codes[sku_code] or "") if ch.isdigit())
    if len(code) < 6:
        return None, f"SKU {sku_code} has no HS code of at least 6 digits"
    if len(lib) == 0:
        return None, "the rebate-rate library is empty (xborder rebate rates import)"
    try:
        rate = lib.lookup(code, on)
    except (AmbiguousRebateCode, UnknownRebateCode) as e:
        return None, f"SKU {sku_code}: {e.message}"
    how = "" if rate.code == code else (f" (HS {code} → {rate.code}, the only rate under it)" if rate.code.startswith(code)
                                        else f" (HS {code} under {rate.code})")
    return rate.rebate_rate, f"rebate-rate library: {rate.describe()}{how}"


def rebate_rate_for_sku(s: Session, principal: Principal, sku_code: str, on: date) -> tuple[Decimal, str] | None:
    """Profit hook: the SKU's rebate rate from the library, or None (unknown or ambiguous code:
    the profit engine then uses the catalog SKU's manual rate; :func:`rebate_rate_lookup` says why)."""
    rate, src = rebate_rate_lookup(s, principal, sku_code, on)
    return None if rate is None else (rate, src)

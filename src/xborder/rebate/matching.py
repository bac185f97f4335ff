"""Document matching (单证一致): declarations ↔ purchase invoices ↔ FX receipts (pure).

Rules (research notes ``rebate_fx.md`` §3.2; 财税〔2013〕96号 item 4 "有关内容与报关单相匹配"):

* a declaration line and a purchase **special** VAT invoice must agree on goods, unit and
  quantity; an invoice may be split across lines by quantity (partial allocation), but never
  beyond its own quantity (one invoice is not used twice);
* an ordinary (普通) invoice gives no refund (exemption only), so it never covers a line;
* FX receipts are recorded against declarations in the declaration's currency; a receipt
  below the FOB needs an explanation (e.g. platform fees netted under 汇发〔2020〕11号);
  a receipt into an account not in the exporter's name is a risk flag;
* production enterprises (免抵退) do not match purchase invoices to exports.

Each declaration gets a status: ``ready``, ``missing_invoice``, ``quantity_mismatch``,
``unit_mismatch``, ``fx_missing`` or ``deadline_at_risk`` (a not-ready declaration whose declare
or FX deadline is overdue or within the warning window); every problem is listed as well.

Allocation is greedy and deterministic: declarations by export date, each line takes first an
invoice whose remaining quantity equals the line's remaining quantity, then invoices in date
order. Manual allocations (made by the user) are applied first and kept.

>>> d = Declaration("531620260000000001", date(2026, 10, 8), "USD", Decimal("1000"),
...     (DeclarationLine(1, "3924100000", "塑料收纳盒", "个", Decimal("500"), Decimal("1000")),))
>>> inv = Invoice("26440000000000000001", date(2026, 9, 30), "某塑料厂", "*塑料制品*塑料收纳盒", "个",
...     Decimal("800"), Decimal("8000"), Decimal("1040"), Decimal("0.13"))
>>> r = match([d], [inv], [], today=date(2026, 11, 1))
>>> r.declarations[0].status, r.declarations[0].lines[0].covered
('fx_missing', Decimal('500'))
>>> dec_str(r.invoice_allocations[0].net, 2)
'5000.00'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from xborder.money import dec_str
from xborder.rebate.deadlines import WARN_DAYS, Deadline, declaration_deadlines
from xborder.rebate.rates import rate_str

__all__ = ["Declaration", "DeclarationLine", "Invoice", "Receipt", "ManualInvoiceAllocation",
           "ManualReceiptAllocation", "InvoiceAllocation", "ReceiptAllocation", "LineStatus",
           "DeclarationStatus", "MatchResult", "match", "normalize_goods", "unit_factor", "STATUSES", "PROBLEMS"]

ZERO = Decimal(0)

STATUSES = ("ready", "missing_invoice", "quantity_mismatch", "unit_mismatch", "fx_missing", "deadline_at_risk")
PROBLEMS = {
    "missing_invoice": ("No purchase special invoice for this line", "缺少进货增值税专用发票"),
    "quantity_mismatch": ("Invoice quantity does not cover the declared quantity", "发票数量与报关数量不符"),
    "unit_mismatch": ("Invoice unit differs from the declared unit", "发票计量单位与报关单不一致"),
    "fx_missing": ("Foreign exchange not (fully) received", "未收汇或收汇不足"),
    "deadline_at_risk": ("A deadline is overdue or near", "申报或收汇期限临近或已过"),
    "ordinary_invoice": ("Only an ordinary invoice: exemption, no refund", "仅有普通发票：免税不退税"),
    "third_party_receipt": ("FX received into an account not in the exporter's name", "收汇账户非出口企业本身"),
    "fx_difference": ("FX received differs from FOB (explained)", "收汇金额与离岸价不一致（已说明）"),
}

# unit aliases → (canonical, factor to canonical)
_UNITS: dict[str, tuple[str, Decimal]] = {}
for _names, _canon, _factor in (
    (("千克", "公斤", "kg", "kgs", "kilogram", "kilograms", "035"), "kg", Decimal(1)),
    (("克", "g", "gram", "grams", "036"), "kg", Decimal("0.001")),
    (("吨", "t", "ton", "tons", "tonne", "070"), "kg", Decimal(1000)),
    (("个", "pcs", "pc", "piece", "pieces", "ea", "007"), "个", Decimal(1)),
    (("件", "011"), "件", Decimal(1)),
    (("套", "set", "sets", "006"), "套", Decimal(1)),
    (("台", "001"), "台", Decimal(1)),
    (("双", "pair", "pairs", "025"), "双", Decimal(1)),
    (("米", "m", "meter", "metre", "meters", "030"), "m", Decimal(1)),
    (("平方米", "m2", "㎡", "sqm", "032"), "m2", Decimal(1)),
    (("只", "012"), "只", Decimal(1)),
    (("条", "008"), "条", Decimal(1)),
    (("张", "010"), "张", Decimal(1)),
    (("千个", "thousand pieces"), "个", Decimal(1000)),
):
    for _n in _names:
        _UNITS[_n] = (_canon, _factor)


def _norm_unit(unit: str) -> str:
    return unicodedata.normalize("NFKC", unit or "").strip().lower()


def unit_factor(from_unit: str, to_unit: str) -> Decimal | None:
    """How many ``to_unit`` one ``from_unit`` is; ``None`` if the two cannot be converted.

    >>> unit_factor("吨", "千克"), unit_factor("PCS", "个"), unit_factor("个", "件")
    (Decimal('1000'), Decimal('1'), None)
    """
    a, b = _norm_unit(from_unit), _norm_unit(to_unit)
    if a == b:
        return Decimal(1)
    ca, cb = _UNITS.get(a), _UNITS.get(b)
    if ca and cb and ca[0] == cb[0]:
        return ca[1] / cb[1]
    return None


_PREFIX = re.compile(r"^\*[^*]*\*")


def normalize_goods(name: str) -> str:
    """Goods name for comparison: drop the invoice's ``*税收分类*`` prefix, width, case, spaces, punctuation.

    >>> normalize_goods("*塑料制品*塑料 收纳盒（大）")
    '塑料收纳盒大'
    """
    text = unicodedata.normalize("NFKC", name or "").strip()
    text = _PREFIX.sub("", text)
    return "".join(ch for ch in text.lower() if ch.isalnum())


def goods_match(a: str, b: str) -> bool:
    na, nb = normalize_goods(a), normalize_goods(b)
    if not na or not nb:
        return False
    return na == nb or (min(len(na), len(nb)) >= 2 and (na in nb or nb in na))


@dataclass(frozen=True)
class DeclarationLine:
    line_no: int
    hs_code: str
    goods: str
    unit: str  # first legal unit (法定第一计量单位)
    qty: Decimal
    fob: Decimal
    unit2: str = ""  # second legal unit (法定第二计量单位), when the code has one
    qty2: Decimal | None = None

    def factor_from(self, unit: str) -> Decimal | None:
        """How many of this line's first-unit quantity one ``unit`` is worth, through the first
        legal unit or, failing that, the second one (in the line's own qty/qty2 proportion).

        >>> ln = DeclarationLine(1, "6402999000", "运动鞋", "千克", Decimal("300"), Decimal("1"), "双", Decimal("600"))
        >>> ln.factor_from("双"), ln.factor_from("kg"), ln.factor_from("个")
        (Decimal('0.5'), Decimal('1'), None)
        """
        f = unit_factor(unit, self.unit)
        if f is not None:
            return f
        if self.unit2 and self.qty2:
            f2 = unit_factor(unit, self.unit2)
            if f2 is not None:
                return f2 * self.qty / self.qty2
        return None


@dataclass(frozen=True)
class Declaration:
    number: str
    export_date: date
    currency: str
    fob: Decimal
    lines: tuple[DeclarationLine, ...]
    buyer: str = ""
    fx_note: str = ""
    contract_fx_date: date | None = None
    declared_on: date | None = None
    filed_on: date | None = None
    needs_invoices: bool = True  # False for production enterprises (免抵退)


@dataclass(frozen=True)
class Invoice:
    number: str
    issued: date
    seller: str
    goods: str
    unit: str
    qty: Decimal
    net: Decimal
    vat: Decimal
    rate: Decimal
    kind: str = "special"


@dataclass(frozen=True)
class Receipt:
    reference: str
    received: date
    amount: Decimal
    currency: str
    payer: str = ""
    account: str = ""
    receiver: str = ""


@dataclass(frozen=True)
class ManualInvoiceAllocation:
    invoice: str
    declaration: str
    line_no: int
    qty: Decimal  # in the invoice's unit


@dataclass(frozen=True)
class ManualReceiptAllocation:
    receipt: str
    declaration: str
    amount: Decimal


@dataclass(frozen=True)
class InvoiceAllocation:
    invoice: str
    declaration: str
    line_no: int
    qty: Decimal  # in the invoice's unit
    line_qty: Decimal  # the same quantity in the declaration's unit
    net: Decimal
    vat: Decimal
    rate: Decimal
    manual: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"invoice": self.invoice, "declaration": self.declaration, "line_no": self.line_no,
                "qty": dec_str(self.qty), "line_qty": dec_str(self.line_qty), "net": dec_str(self.net, 2),
                "vat": dec_str(self.vat, 2), "rate": rate_str(self.rate), "manual": self.manual}


@dataclass(frozen=True)
class ReceiptAllocation:
    receipt: str
    declaration: str
    amount: Decimal
    currency: str
    manual: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"receipt": self.receipt, "declaration": self.declaration, "amount": dec_str(self.amount, 2),
                "currency": self.currency, "manual": self.manual}


@dataclass
class LineStatus:
    line: DeclarationLine
    covered: Decimal = ZERO
    problems: list[str] = field(default_factory=list)
    allocations: list[InvoiceAllocation] = field(default_factory=list)


@dataclass
class DeclarationStatus:
    declaration: Declaration
    status: str
    problems: list[str]
    lines: list[LineStatus]
    fx_received: Decimal
    receipts: list[ReceiptAllocation]
    deadlines: list[Deadline]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = self.declaration
        return {
            "number": d.number, "export_date": d.export_date.isoformat(), "currency": d.currency,
            "fob": dec_str(d.fob, 2), "status": self.status, "problems": list(self.problems),
            "fx_received": dec_str(self.fx_received, 2), "warnings": list(self.warnings),
            "lines": [{"line_no": ls.line.line_no, "hs_code": ls.line.hs_code, "goods": ls.line.goods,
                       "unit": ls.line.unit, "qty": dec_str(ls.line.qty), "covered_qty": dec_str(ls.covered),
                       "problems": list(ls.problems), "invoices": [a.to_dict() for a in ls.allocations]}
                      for ls in self.lines],
            "receipts": [a.to_dict() for a in self.receipts],
            "deadlines": [dl.to_dict() for dl in self.deadlines],
        }


@dataclass
class MatchResult:
    declarations: list[DeclarationStatus]
    invoice_allocations: list[InvoiceAllocation]
    receipt_allocations: list[ReceiptAllocation]
    invoice_remaining: dict[str, Decimal]
    receipt_remaining: dict[str, Decimal]
    errors: list[str] = field(default_factory=list)

    def by_number(self) -> dict[str, DeclarationStatus]:
        return {s.declaration.number: s for s in self.declarations}

    def to_dict(self) -> dict[str, Any]:
        counts = {s: 0 for s in STATUSES}
        for st in self.declarations:
            counts[st.status] += 1
        return {
            "summary": counts,
            "declarations": [s.to_dict() for s in self.declarations],
            "unused_invoices": [{"invoice": k, "qty": dec_str(v)} for k, v in sorted(self.invoice_remaining.items())
                                if v > 0],
            "unused_receipts": [{"receipt": k, "amount": dec_str(v, 2)}
                                for k, v in sorted(self.receipt_remaining.items()) if v > 0],
            "errors": list(self.errors),
        }


def match(declarations: list[Declaration], invoices: list[Invoice], receipts: list[Receipt], *, today: date,
          require_invoices: bool = True, exporter_name: str = "",
          manual_invoices: Sequence[ManualInvoiceAllocation] = (),
          manual_receipts: Sequence[ManualReceiptAllocation] = (),
          warn_days: int = WARN_DAYS) -> MatchResult:
    decls = sorted(declarations, key=lambda d: (d.export_date, d.number))
    inv_by_no = {i.number: i for i in invoices}
    rec_by_ref = {r.reference: r for r in receipts}
    inv_left = {i.number: i.qty for i in invoices}
    rec_left = {r.reference: r.amount for r in receipts}
    errors: list[str] = []
    line_status: dict[tuple[str, int], LineStatus] = {}
    for d in decls:
        for ln in d.lines:
            line_status[(d.number, ln.line_no)] = LineStatus(ln)
    inv_allocs: list[InvoiceAllocation] = []
    rec_allocs: list[ReceiptAllocation] = []

    def allocate_invoice(inv: Invoice, d: Declaration, ls: LineStatus, qty_inv: Decimal, factor: Decimal,
                         manual: bool) -> None:
        share = qty_inv / inv.qty if inv.qty else ZERO
        a = InvoiceAllocation(inv.number, d.number, ls.line.line_no, qty_inv, qty_inv * factor, inv.net * share,
                              inv.vat * share, inv.rate, manual)
        inv_left[inv.number] -= qty_inv
        ls.covered += a.line_qty
        ls.allocations.append(a)
        inv_allocs.append(a)

    decl_by_no = {d.number: d for d in decls}
    if require_invoices:
        for m in manual_invoices:
            inv = inv_by_no.get(m.invoice)
            ls = line_status.get((m.declaration, m.line_no))
            if inv is None or ls is None:
                errors.append(f"manual allocation {m.invoice} → {m.declaration}/{m.line_no}: not found")
                continue
            factor = ls.line.factor_from(inv.unit)
            if factor is None:
                errors.append(f"manual allocation {m.invoice}: unit {inv.unit} cannot be converted to {ls.line.unit}")
                continue
            qty = min(m.qty, inv_left[inv.number])
            if qty <= 0:
                errors.append(f"manual allocation {m.invoice}: no quantity left on the invoice")
                continue
            allocate_invoice(inv, decl_by_no[m.declaration], ls, qty, factor, True)

        ordered_invoices = sorted((i for i in invoices if i.kind == "special"), key=lambda i: (i.issued, i.number))
        for d in decls:
            if not d.needs_invoices:
                continue
            for ln in d.lines:
                ls = line_status[(d.number, ln.line_no)]
                need = ln.qty - ls.covered
                if need <= 0:
                    continue
                cands = []
                for inv in ordered_invoices:
                    if inv_left[inv.number] <= 0 or not goods_match(inv.goods, ln.goods):
                        continue
                    factor = ln.factor_from(inv.unit)
                    if factor is None:
                        continue
                    cands.append((inv, factor))
                exact = [c for c in cands if inv_left[c[0].number] * c[1] == need]
                for inv, factor in exact[:1] + [c for c in cands if c not in exact[:1]]:
                    need = ln.qty - ls.covered
                    if need <= 0:
                        break
                    avail = inv_left[inv.number]
                    if avail <= 0:
                        continue
                    take_line = min(need, avail * factor)
                    allocate_invoice(inv, d, ls, take_line / factor, factor, False)

    # receipts: manual first, then oldest declarations first in the same currency (buyer's payments preferred)
    rec_by_decl: dict[str, list[ReceiptAllocation]] = {d.number: [] for d in decls}
    for mr in manual_receipts:
        rec = rec_by_ref.get(mr.receipt)
        md = decl_by_no.get(mr.declaration)
        if rec is None or md is None:
            errors.append(f"manual allocation {mr.receipt} → {mr.declaration}: not found")
            continue
        if rec.currency != md.currency:
            errors.append(f"manual allocation {mr.receipt}: currency {rec.currency} ≠ {md.currency}")
            continue
        amt = min(mr.amount, rec_left[rec.reference])
        if amt <= 0:
            continue
        a = ReceiptAllocation(rec.reference, md.number, amt, rec.currency, True)
        rec_left[rec.reference] -= amt
        rec_allocs.append(a)
        rec_by_decl[md.number].append(a)
    ordered_receipts = sorted(receipts, key=lambda r: (r.received, r.reference))
    # pass 1: receipts whose payer is the declaration's buyer; pass 2: any receipt in the currency
    for same_payer in (True, False):
        for d in decls:
            got = sum((a.amount for a in rec_by_decl[d.number]), ZERO)
            for rec in ordered_receipts:
                need = d.fob - got
                if need <= 0:
                    break
                if rec.currency != d.currency or rec_left[rec.reference] <= 0:
                    continue
                if same_payer and not (d.buyer and rec.payer and goods_match(rec.payer, d.buyer)):
                    continue
                amt = min(need, rec_left[rec.reference])
                a = ReceiptAllocation(rec.reference, d.number, amt, rec.currency)
                rec_left[rec.reference] -= amt
                got += amt
                rec_allocs.append(a)
                rec_by_decl[d.number].append(a)

    statuses: list[DeclarationStatus] = []
    special_goods = [(i.goods, i.unit) for i in invoices if i.kind == "special"]
    ordinary_goods = [i.goods for i in invoices if i.kind != "special"]
    for d in decls:
        problems: list[str] = []
        warnings: list[str] = []
        lines = [line_status[(d.number, ln.line_no)] for ln in d.lines]
        if require_invoices and d.needs_invoices:
            for ls in lines:
                if ls.covered >= ls.line.qty:
                    if ls.covered > ls.line.qty:
                        ls.problems.append("quantity_mismatch")
                    continue
                if ls.covered > 0:
                    ls.problems.append("quantity_mismatch")
                elif any(goods_match(g, ls.line.goods) and ls.line.factor_from(u) is None
                         for g, u in special_goods):
                    ls.problems.append("unit_mismatch")
                else:
                    ls.problems.append("missing_invoice")
                    if any(goods_match(g, ls.line.goods) for g in ordinary_goods):
                        warnings.append("ordinary_invoice")
            for code in ("unit_mismatch", "quantity_mismatch", "missing_invoice"):
                if any(code in ls.problems for ls in lines):
                    problems.append(code)
        received = sum((a.amount for a in rec_by_decl[d.number]), ZERO)
        if received < d.fob:
            if received > 0 and d.fx_note:
                warnings.append("fx_difference")
            else:
                problems.append("fx_missing")
        for a in rec_by_decl[d.number]:
            rec = rec_by_ref.get(a.receipt)
            if (exporter_name and rec and rec.receiver and not goods_match(rec.receiver, exporter_name)
                    and "third_party_receipt" not in warnings):
                warnings.append("third_party_receipt")
        dls = declaration_deadlines(d.number, d.export_date, today=today, declared_on=d.declared_on,
                                    fx_received="fx_missing" not in problems, contract_fx_date=d.contract_fx_date,
                                    filed_on=d.filed_on, warn_days=warn_days)
        at_risk = any(dl.at_risk and dl.key in ("declare", "fx") for dl in dls)
        if problems and at_risk:
            problems.append("deadline_at_risk")
        status = "ready" if not problems else ("deadline_at_risk" if "deadline_at_risk" in problems else problems[0])
        statuses.append(DeclarationStatus(d, status, problems, lines, received, rec_by_decl[d.number], dls, warnings))
    return MatchResult(statuses, inv_allocs, rec_allocs, inv_left, rec_left, errors)

"""Legal units of measurement (法定计量单位) per 10-digit China commodity code, and the check of
a declaration's lines against them (pure: no database, no I/O).

Customs rejects an export list whose legal first unit (法定第一单位) or second unit (法定第二单位)
is not the one the tariff fixes for the 10-digit code, and whose quantity in kilograms is not the
goods' net weight (the legal quantity in 千克 *is* the net weight: 海关进出口货物报关单填制规范,
GACC announcement 2019 No. 18, item "数量及单位"; wording to verify). Two sources give the units:

* the STA export rebate-rate library (出口退税率文库, ``cmcode.DBF``; research notes
  ``rebate_fx.md`` §2): rows with ``CODE``, ``ST_DATE``/``END_DATE`` and ``UNIT`` — the legal
  *first* unit as a Chinese name (e.g. ``千克``). Every exporter has it (the rebate package
  imports it per organisation). It does not give the second unit.
* a China customs tariff CSV (10-digit code, name, 法定第一单位, 法定第二单位, optionally 申报要素)
  loaded by ``xborder data sync --only cn-tariff`` (:func:`parse_cn_tariff_csv`): first *and*
  second units.

A code is looked up like the rebate library looks up rates: the exact code in force on the
export date; else the codes under it (12-digit library codes) when they agree on the unit; else
the longest code above it (an 8-digit library row covers its 10-digit codes). Nothing found is an
error on the line, never a guess.

>>> book = LegalUnitBook("rebate", "出口退税率文库", [LegalUnit("6109100022", "件", name="棉制T恤",
...     valid_from=date(2025, 1, 1))])
>>> ln = DeclLine("TS", "T恤", "6109100022", "0|0|棉", Decimal(2), "011", Decimal("0.4"), "035",
...               Decimal("5"), Decimal("10"))
>>> d = sample(lines=(ln,))
>>> [p.message for p in check(d, [book]).errors]  # doctest: +NORMALIZE_WHITESPACE
['legal first unit of 6109100022 is 件 (011) in 出口退税率文库 on 2026-11-24; the line has 035 千克']
>>> [p.field for p in check(d, []).warnings]
['lines']
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from xborder.codes import codes_under
from xborder.customs.declarations import UNIT_CODES, Declaration, DeclLine, Problem, sample  # noqa: F401 (doctest)
from xborder.errors import ValidationError

KG = "035"
UNIT_BY_NAME = {name: code for code, name in UNIT_CODES.items()}
_NO_UNIT = {"", "无", "-", "—", "/", "none", "None"}

__all__ = ["LegalUnit", "LegalUnitBook", "LegalCheck", "check", "parse_cn_tariff_csv", "unit_name", "KG"]


def unit_name(value: str | None) -> str:
    """A unit as its Chinese name: ``035`` -> ``千克``; a name stays as it is; none -> ``""``."""
    text = (value or "").strip()
    if text in _NO_UNIT:
        return ""
    if text.isdigit() and text.zfill(3) in UNIT_CODES:
        return UNIT_CODES[text.zfill(3)]
    return text


def _p(field_: str, msgid: str, **params: object) -> Problem:
    """A problem whose message is ``msgid % params`` (translatable on the pages)."""
    values = tuple((k, str(v)) for k, v in params.items())
    return Problem(field_, msgid % dict(values) if values else msgid, msgid, values)


def _show(name: str) -> str:
    """``千克 (035)``, or the bare name when the GACC code table here does not list it."""
    code = UNIT_BY_NAME.get(name)
    return f"{name} ({code})" if code else name


@dataclass(frozen=True)
class LegalUnit:
    code: str
    unit1: str  # Chinese name of the legal first unit, e.g. 千克
    unit2: str = ""  # second legal unit ("" none); only meaningful when the book knows second units
    name: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    elements: str = ""  # 申报要素 headings, when the tariff gives them

    def in_force(self, on: date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


@dataclass
class LegalUnitBook:
    """The units of one source. ``kind`` is ``rebate`` (文库: first unit only) or ``tariff``."""

    kind: str
    label: str  # shown in messages, e.g. "出口退税率文库" or "China customs tariff 2026 (sha256 …)"
    entries: Iterable[LegalUnit]
    knows_unit2: bool = False
    _by_code: dict[str, list[LegalUnit]] = field(init=False, repr=False)
    _keys: list[str] = field(init=False, repr=False)  # sorted, for the look-up of codes under a code

    def __post_init__(self) -> None:
        self._by_code = {}
        for e in self.entries:
            self._by_code.setdefault(e.code, []).append(e)
        self._keys = sorted(self._by_code)

    def _at(self, code: str, on: date) -> LegalUnit | None:
        return next((e for e in self._by_code.get(code, ()) if e.in_force(on)), None)

    def find(self, code: str, on: date) -> tuple[LegalUnit | None, Problem | None]:
        """``(entry, None)`` or ``(None, why)`` (a problem without its field)."""
        exact = self._at(code, on)
        if exact:
            return exact, None
        under = codes_under(self._keys, code)
        children = [e for k in under if (e := self._at(k, on))]
        if children:
            units = {(e.unit1, e.unit2) for e in children}
            if len(units) == 1:
                return children[0], None
            listed = ", ".join(f"{e.code} {e.unit1}" for e in children)
            return None, _p("", "%(code)s: the codes under it in %(source)s on %(date)s have different units (%(listed)s)",
                            code=code, source=self.label, date=on.isoformat(), listed=listed)
        for n in range(len(code) - 1, 3, -1):
            parent = self._at(code[:n], on)
            if parent:
                return parent, None
        known = code in self._by_code or bool(under)
        msgid = "code %(code)s has no row in force in %(source)s of %(date)s" if known else \
            "code %(code)s is not in %(source)s of %(date)s"
        return None, _p("", msgid, code=code, source=self.label, date=on.isoformat())


@dataclass
class LegalCheck:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # labels of the books used

    def to_dict(self) -> dict[str, object]:
        return {"errors": [p.to_dict() for p in self.errors], "warnings": [p.to_dict() for p in self.warnings],
                "sources": list(self.sources)}


def _kg_reference(d: Declaration, ln: DeclLine) -> Decimal | None:
    """The net weight a kg legal quantity of this line must equal, when known."""
    if ln.net_weight is not None:
        return ln.net_weight
    if len(d.lines) == 1:
        return d.net_weight
    return None


def check(d: Declaration, books: Sequence[LegalUnitBook]) -> LegalCheck:
    """Check each line's 10-digit code and legal units against ``books`` on the export date,
    and each quantity in 千克 against the line's net weight. With no book, a warning says the
    unit check could not run (the weight check still runs)."""
    out = LegalCheck(sources=[b.label for b in books])
    on = d.ie_date
    if not books:
        out.warnings.append(_p(
            "lines", "legal units not checked: no rebate-rate library (出口退税率文库) imported for this organisation "
                     "and no China customs tariff loaded (xborder rebate rates import cmcode.DBF / "
                     "xborder data sync --only cn-tariff --from DIR)"))
    for i, ln in enumerate(d.lines):
        f = f"lines[{i}]"
        code = ln.gcode
        if code.isdigit() and len(code) == 10:
            for book in books:
                entry, why = book.find(code, on)
                if entry is None:
                    if why is not None:
                        out.errors.append(replace(why, field=f"{f}.gcode"))
                    continue
                have1 = unit_name(ln.unit1)
                want1 = unit_name(entry.unit1)
                if want1 and want1 != have1:
                    out.errors.append(_p(
                        f"{f}.unit1", "legal first unit of %(code)s is %(want)s in %(source)s on %(date)s; the line has %(have)s",
                        code=code, want=_show(want1), source=book.label, date=on.isoformat(),
                        have=f"{ln.unit1} {UNIT_CODES.get(ln.unit1, '(unknown code)')}"))
                if book.knows_unit2:
                    want2, have2 = unit_name(entry.unit2), unit_name(ln.unit2)
                    if want2 and not have2:
                        out.errors.append(_p(
                            f"{f}.unit2", "%(code)s has the second legal unit %(want)s in %(source)s; "
                                          "the line gives none (unit2 and qty2 required)",
                            code=code, want=_show(want2), source=book.label))
                    elif want2 and want2 != have2:
                        out.errors.append(_p(
                            f"{f}.unit2", "legal second unit of %(code)s is %(want)s in %(source)s; the line has %(have)s",
                            code=code, want=_show(want2), source=book.label, have=f"{ln.unit2} {have2}"))
                    elif not want2 and have2:
                        out.errors.append(_p(
                            f"{f}.unit2", "%(code)s has no second legal unit in %(source)s; the line gives %(have)s",
                            code=code, source=book.label, have=f"{ln.unit2} {have2}"))
        for qf, unit, qty in (("qty1", ln.unit1, ln.qty1), ("qty2", ln.unit2, ln.qty2)):
            if unit != KG or qty is None:
                continue
            ref = _kg_reference(d, ln)
            if ref is None:
                out.warnings.append(_p(
                    f"{f}.net_weight", "%(qty)s is in 千克 but the line has no net weight, so it was not compared "
                                       "(give net_weight on the line)", qty=qf))
            elif qty != ref:
                msgid = ("legal quantity in 千克 (%(qty)s) differs from the line's net weight (%(ref)s kg); "
                         "in kilograms it must be the net weight") if ln.net_weight is not None else (
                         "legal quantity in 千克 (%(qty)s) differs from the net weight of the declaration (%(ref)s kg); "
                         "in kilograms it must be the net weight")
                out.errors.append(_p(f"{f}.{qf}", msgid, qty=f"{qty.normalize():f}", ref=f"{ref.normalize():f}"))
    return out


# ---- the China customs tariff CSV ----------------------------------------------------------------

_COLUMNS = {
    "code": ("code", "hs_code", "商品编码", "税则号列", "税号", "编码"),
    "name": ("name", "商品名称", "货品名称", "名称"),
    "unit1": ("unit1", "legal_unit1", "法定第一单位", "第一法定单位", "第一计量单位", "第一单位"),
    "unit2": ("unit2", "legal_unit2", "法定第二单位", "第二法定单位", "第二计量单位", "第二单位"),
    "elements": ("elements", "declared_elements", "申报要素"),
    "valid_from": ("valid_from", "生效日期", "起始日期"),
    "valid_to": ("valid_to", "失效日期", "截止日期"),
}


def _date(text: str, where: str) -> date | None:
    t = text.strip().replace("/", "-")
    if not t:
        return None
    if len(t) == 8 and t.isdigit():
        t = f"{t[:4]}-{t[4:6]}-{t[6:]}"
    try:
        return date.fromisoformat(t)
    except ValueError:
        raise ValidationError(f"{where}: {text!r} is not a date (YYYY-MM-DD or YYYYMMDD)", field=where) from None


def parse_cn_tariff_csv(text: str) -> list[LegalUnit]:
    """Rows of a China customs tariff CSV (UTF-8 or GB18030 decoded by the caller). Columns, by
    English or Chinese header: code (10 digits), name, unit1 (法定第一单位), unit2 (法定第二单位,
    empty or 无 when none), optionally elements (申报要素), valid_from, valid_to. Units may be
    Chinese names or GACC codes (035). Every bad row is reported; nothing is returned then.

    >>> rows = parse_cn_tariff_csv("商品编码,商品名称,法定第一单位,法定第二单位\\n6109100022,棉制针织T恤,件,千克\\n")
    >>> (rows[0].code, rows[0].unit1, rows[0].unit2)
    ('6109100022', '件', '千克')
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise ValidationError("cn-tariff: the file is empty", field="file") from None
    index: dict[str, int] = {}
    lower = [h.lower() for h in header]
    for key, names in _COLUMNS.items():
        for heading in names:
            if heading.lower() in lower:
                index[key] = lower.index(heading.lower())
                break
    missing = [k for k in ("code", "name", "unit1", "unit2") if k not in index]
    if missing:
        raise ValidationError(f"cn-tariff: missing column(s) {', '.join(missing)} (have: {', '.join(header)})", field="file")
    rows: list[LegalUnit] = []
    problems: list[str] = []
    seen: set[tuple[str, date | None]] = set()
    for n, rec in enumerate(reader, start=2):
        if not any(c.strip() for c in rec):
            continue

        def col(key: str, rec: list[str] = rec) -> str:
            i = index.get(key)
            return rec[i].strip() if i is not None and i < len(rec) else ""

        code = "".join(ch for ch in col("code") if ch not in " .")
        if not (code.isdigit() and len(code) == 10):
            problems.append(f"line {n}: code {col('code')!r} is not a 10-digit commodity code")
            continue
        u1 = unit_name(col("unit1"))
        if not u1:
            problems.append(f"line {n}: 法定第一单位 is required")
            continue
        try:
            start, end = _date(col("valid_from"), f"line {n} valid_from"), _date(col("valid_to"), f"line {n} valid_to")
        except ValidationError as exc:
            problems.append(exc.message)
            continue
        if start and end and end < start:
            problems.append(f"line {n}: valid_to {end} is before valid_from {start}")
            continue
        if (code, start) in seen:
            problems.append(f"line {n}: code {code} is listed twice for the same date")
            continue
        seen.add((code, start))
        rows.append(LegalUnit(code, u1, unit_name(col("unit2")), col("name"), start, end, col("elements")))
    if problems:
        raise ValidationError(f"cn-tariff: {len(problems)} bad row(s): " + "; ".join(problems[:10]), field="file",
                              errors=problems)
    if not rows:
        raise ValidationError("cn-tariff: no rows", field="file")
    return rows

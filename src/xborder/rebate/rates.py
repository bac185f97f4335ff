"""The rebate-rate library (出口退税率文库): dated rates per commodity code, and the lookup (pure).

Source: the STA's 文库 ``cmcode.DBF`` (research notes ``rebate_fx.md`` §2): one row per code and
validity interval, ``CODE``, ``ST_DATE``, ``END_DATE`` (YYYYMMDD; current rows end 2099…),
``ZSSL_SET`` (levy rate or rates in percent, e.g. ``"13,9"``), **``TSL``** (the rebate rate in
percent — the rate is taken from ``TSL``, never from the ``NOTE`` text), ``TSFLAG`` ("1" 出口征税,
"2" 出口免税), ``NAME``, ``UNIT``.

Lookup, by the export date on the declaration (``export-tax-refund-checker``
``src/engine/refundRateLookup.js``, same notes):

1. exact code;
2. codes *under* the code given (e.g. 12-digit codes under a 10-digit one): one rate → that rate;
   different rates → :class:`AmbiguousRebateCode` (the user must choose);
3. the longest code *above* it (a prefix, e.g. 85043190 for 8504319000);
4. otherwise :class:`UnknownRebateCode` — never a default rate, never a chapter-wide rate.

>>> lib = RateLibrary([
...     RebateRate("8541430000", date(2025, 1, 1), date(2026, 3, 31), Decimal("0.09"), (Decimal("0.13"),)),
...     RebateRate("8541430000", date(2026, 4, 1), None, Decimal("0"), (Decimal("0.13"),)),
...     RebateRate("85043190", date(2020, 1, 1), None, Decimal("0.13"), (Decimal("0.13"),))])
>>> lib.lookup("8541430000", date(2026, 3, 31)).rebate_rate, lib.lookup("8541430000", date(2026, 4, 1)).rebate_rate
(Decimal('0.09'), Decimal('0'))
>>> lib.lookup("8504319000", date(2026, 5, 1)).code
'85043190'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from xborder.codes import codes_under
from xborder.errors import ValidationError
from xborder.money import to_decimal
from xborder.rebate.errors import AmbiguousRebateCode, UnknownRebateCode

__all__ = ["rate_str", "RebateRate", "RateLibrary", "normalize_code", "parse_percent_list", "rate_from_record",
           "FLAG_TAXED", "FLAG_EXEMPT"]

FLAG_TAXED = "1"  # 出口征税: treated as a domestic sale
FLAG_EXEMPT = "2"  # 出口免税: exempt, no refund
_FAR = date(2099, 12, 31)


@dataclass(frozen=True)
class RebateRate:
    code: str
    valid_from: date
    valid_to: date | None
    rebate_rate: Decimal
    levy_rates: tuple[Decimal, ...] = ()
    name: str = ""
    unit: str = ""
    flag: str = ""
    source: str = ""

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def levy_rate(self) -> Decimal | None:
        """The first (standard) levy rate, e.g. 0.13 from ``"13,9"``."""
        return self.levy_rates[0] if self.levy_rates else None

    def describe(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return (f"{self.code} {self.name} rebate {format(self.rebate_rate * 100, 'f').rstrip('0').rstrip('.') or '0'}% "
                f"({self.valid_from.isoformat()} – {end}; {self.source or '出口退税率文库'})")


def rate_str(x: Decimal) -> str:
    """A rate without trailing zeros: ``0.13000000`` → ``0.13``; ``0E-8`` → ``0``."""
    if x == 0:
        return "0"
    return format(x.normalize(), "f")


def normalize_code(code: object, field: str = "code") -> str:
    text = "".join(ch for ch in str(code or "") if not ch.isspace() and ch != ".")
    if not text.isdigit() or not 4 <= len(text) <= 13:
        raise ValidationError(f"{field}: {code!r} is not a commodity code (4–13 digits)", field=field)
    return text


def parse_percent_list(text: object, field: str = "ZSSL_SET") -> tuple[Decimal, ...]:
    """``"13,9"`` → (0.13, 0.09); also accepts ``13%`` or fractions ``0.13``."""
    raw = str(text or "").replace("，", ",").replace("、", ",").replace(";", ",").replace("/", ",")
    out = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        out.append(parse_rate(part, field, percent=True))
    return tuple(out)


def parse_rate(value: object, field: str, *, percent: bool) -> Decimal:
    """A rate from ``13`` (percent field), ``13%`` or ``0.13``; result is a fraction in [0, 1]."""
    text = str(value).strip()
    is_pct = percent
    if text.endswith("%"):
        text, is_pct = text[:-1].strip(), True
    d = to_decimal(text, field) if not isinstance(value, Decimal) else value
    if is_pct:
        d = d / 100
    if d < 0 or d > 1:
        raise ValidationError(f"{field}: rate {value!r} is outside 0–100%", field=field)
    return d.normalize() if d else Decimal(0)


def _date(value: object, field: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("-", "").replace("/", "")
    if not text:
        return None
    if len(text) != 8 or not text.isdigit():
        raise ValidationError(f"{field}: {value!r} is not a date (YYYYMMDD or YYYY-MM-DD)", field=field)
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise ValidationError(f"{field}: {value!r} is not a valid date", field=field) from None


def rate_from_record(rec: dict[str, object], source: str = "", *, percent: bool = True) -> RebateRate:
    """One library row from a DBF record or a CSV row (keys case-insensitive).

    DBF/文库 names: CODE, ST_DATE, END_DATE, TSL (percent), ZSSL_SET, NAME, UNIT, TSFLAG.
    CSV names also accepted: code, valid_from, valid_to, rebate_rate (fraction, or ``13%``),
    levy_rate, name, unit, flag.
    """
    r = {str(k).strip().lower(): v for k, v in rec.items()}

    def get(*names: str) -> object:
        for n in names:
            if n in r and r[n] not in (None, ""):
                return r[n]
        return None

    code_raw = get("code", "hs_code")
    if code_raw is None:
        raise ValidationError("CODE: required field is missing", field="CODE")
    code = normalize_code(code_raw, "CODE")
    start = _date(get("st_date", "valid_from"), "ST_DATE")
    if start is None:
        raise ValidationError("ST_DATE: required field is missing", field="ST_DATE")
    end = _date(get("end_date", "valid_to"), "END_DATE")
    if end is not None and end >= _FAR:
        end = None
    if end is not None and end < start:
        raise ValidationError(f"END_DATE: {end} is before ST_DATE {start}", field="END_DATE")
    if "tsl" in r:
        raw_rate, rate_field, pct = r["tsl"], "TSL", True
    else:
        raw_rate, rate_field, pct = get("rebate_rate"), "rebate_rate", False
    if raw_rate is None or raw_rate == "":
        raise ValidationError(f"{rate_field}: required field is missing", field=rate_field)
    rate = parse_rate(raw_rate, rate_field, percent=pct)
    levy_raw = get("zssl_set", "zssl", "levy_rate", "levy_rates")
    if levy_raw is None:
        levy: tuple[Decimal, ...] = ()
    elif "zssl_set" in r or "zssl" in r:
        levy = parse_percent_list(levy_raw, "ZSSL_SET")
    else:
        levy = tuple(parse_rate(p.strip(), "levy_rate", percent=False) for p in str(levy_raw).split(",") if p.strip())
    return RebateRate(code, start, end, rate, levy, str(get("name") or "").strip(), str(get("unit") or "").strip(),
                      str(get("tsflag", "flag") or "").strip(), source)


class RateLibrary:
    """Rates indexed by code; :meth:`lookup` picks the row in force on the export date."""

    def __init__(self, rates: Iterable[RebateRate] = ()):
        self._by_code: dict[str, list[RebateRate]] = {}
        for rate in rates:
            self._by_code.setdefault(rate.code, []).append(rate)
        self._keys = sorted(self._by_code)

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_code.values())

    def _at(self, code: str, on: date) -> RebateRate | None:
        for rate in self._by_code.get(code, ()):
            if rate.in_force(on):
                return rate
        return None

    def lookup(self, code: str, on: date) -> RebateRate:
        c = normalize_code(code, "hs_code")
        exact = self._at(c, on)
        if exact:
            return exact
        children = [r for k in codes_under(self._keys, c) if (r := self._at(k, on))]
        if children:
            rates = {r.rebate_rate for r in children}
            if len(rates) == 1:
                return min(children, key=lambda r: r.code)
            listed = ", ".join(f"{r.code} {format(r.rebate_rate * 100, 'f')}%" for r in sorted(children, key=lambda r: r.code))
            raise AmbiguousRebateCode(
                f"hs_code: {c} covers codes with different rebate rates on {on.isoformat()} ({listed}); "
                "enter the specific code", field="hs_code")
        for n in range(len(c) - 1, 3, -1):
            parent = self._at(c[:n], on)
            if parent:
                return parent
        known = c in self._by_code
        why = "has no rate in force on" if known else "is not in the rebate-rate library for"
        raise UnknownRebateCode(f"hs_code: {c} {why} {on.isoformat()}; no default rate is assumed", field="hs_code")

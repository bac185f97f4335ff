"""The regime interface and the helpers every country module shares (pure).

A regime is a module-level object with ``countries``, ``currency``, ``rules`` (dated, cited)
and ``assess(calc)``. It reads the shipment through :class:`Calc`, which converts amounts into
the regime's currency at the dated FX quote (and explains the rate), and records charges and
notes. Rounding is the regime's: :func:`round_half_up` to the currency's minor units unless the
country truncates (Japan).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal
from typing import Protocol

from xborder.customs.errors import HsRequired, TariffRateMissing, TariffRateNotComputable
from xborder.customs.messages import Msg, Param, msg
from xborder.customs.model import Charge, Context, ExtraDuty, ExtraDutyTable, Line, Note, Rule, Shipment, pick
from xborder.customs.rates import DutyRate, RateNotComputable, ad_valorem, compute_duty
from xborder.fx.model import FxQuote
from xborder.money import dec_str, minor_units, quantize


class Regime(Protocol):
    @property
    def countries(self) -> tuple[str, ...]: ...

    @property
    def currency(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def rules(self) -> tuple[Rule, ...]: ...

    def assess(self, calc: Calc) -> None: ...


def round_half_up(amount: Decimal, currency: str) -> Decimal:
    return quantize(amount, minor_units(currency))


def truncate(amount: Decimal, step: Decimal) -> Decimal:
    """Round down to a multiple of ``step`` (e.g. Japan: tax base to 1,000 yen)."""
    return (amount / step).to_integral_value(rounding=ROUND_DOWN) * step


def fx_str(rate: Decimal) -> str:
    """A rate shown with 6 significant decimals after the leading digits (display only)."""
    return dec_str(rate, 6 if rate < 100 else 4)


def pct(rate: Decimal) -> str:
    return format((rate * 100).normalize(), "f") + "%"


def describe(rate: DutyRate) -> Param:
    """A duty rate as shown in an explanation ("12%", "46.3¢/kg + 14.9%"; "free" translated)."""
    text = rate.describe()
    return msg("free") if text == "free" else text


def _as_msg(text: str | Msg) -> Msg:
    return text if isinstance(text, Msg) else Msg(text)


@dataclass
class Calc:
    shipment: Shipment
    ctx: Context
    currency: str  # the regime's currency
    rules: tuple[Rule, ...]
    charges: list[Charge] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    quotes: dict[tuple[str, str], FxQuote] = field(default_factory=dict)
    liable_party: str | None = None
    used: dict[str, Rule] = field(default_factory=dict)  # the dated rules consulted, by id (explanation)

    @property
    def on(self) -> date:
        return self.shipment.on

    # --- rules -----------------------------------------------------------------------------
    def rule(self, rule_id: str, country: str | None = None) -> Rule | None:
        rules = [r for r in self.rules if country is None or r.country in (country, "*")]
        found = pick(rules, rule_id, self.on)
        if found is not None:
            self.used.setdefault(f"{found.country}:{found.id}", found)
        return found

    def need(self, rule_id: str, country: str | None = None) -> Rule:
        r = self.rule(rule_id, country)
        if r is None:
            from xborder.customs.errors import UnsupportedDestination

            raise UnsupportedDestination(
                f"date: no {rule_id} rule in force for {self.shipment.destination} on {self.on.isoformat()}",
                field="date",
            )
        return r

    # --- money -------------------------------------------------------------------------------
    def quote(self, base: str, quote: str) -> FxQuote:
        key = (base, quote)
        if key not in self.quotes:
            q = self.ctx.fx(base, quote)
            self.quotes[key] = q
            stale: Param = ""
            if q.fallback_days > self.ctx.fx_stale_days:
                stale = msg("; WARNING: the latest available rate is %(days)s days older than the date "
                            "(customs converts at its own rate of the day)", days=q.fallback_days)
            if base != quote:
                gap: Param = ""
                if q.fallback_days:
                    gap = msg(", %(days)s day(s) before %(date)s", days=q.fallback_days, date=q.requested.isoformat())
                text = msg("Exchange rate: 1 %(base)s = %(rate)s %(quote)s (%(source)s %(on)s%(gap)s)%(stale)s",
                           base=base, rate=fx_str(q.rate), quote=quote, source=q.source, on=q.on.isoformat(),
                           gap=gap, stale=stale)
                self.note(text, f"{q.source} reference rates")
        return self.quotes[key]

    def local(self, amount: Decimal) -> Decimal:
        """An amount of the shipment's currency in the regime's currency (unrounded)."""
        if self.shipment.currency == self.currency:
            return amount
        return amount * self.quote(self.shipment.currency, self.currency).rate

    def convert(self, amount: Decimal, from_ccy: str) -> Decimal:
        """An amount of ``from_ccy`` (a threshold or a fixed fee) in the regime's currency."""
        if from_ccy == self.currency:
            return amount
        return amount * self.quote(from_ccy, self.currency).rate

    def fmt(self, amount: Decimal, ccy: str | None = None) -> str:
        ccy = ccy or self.currency
        return f"{dec_str(amount, minor_units(ccy))} {ccy}"

    # --- shipment figures in the regime's currency -----------------------------------------
    def goods(self) -> Decimal:
        return self.local(self.shipment.goods_value)

    def line_value(self, line: Line) -> Decimal:
        return self.local(line.value)

    def transport(self) -> Decimal:
        return self.local(self.shipment.shipping + self.shipment.insurance)

    def share(self, line: Line, amount: Decimal) -> Decimal:
        """``amount`` allocated to ``line`` pro rata to value (equal split when all are zero)."""
        total = self.shipment.goods_value
        if total == 0:
            return amount / len(self.shipment.lines)
        return amount * line.value / total

    # --- recording ---------------------------------------------------------------------------
    def note(self, text: Msg | str, source: str) -> None:
        m = _as_msg(text)
        self.notes.append(Note(m.render(), source, m))

    def charge(
        self, kind: str, amount: Decimal, rule: Msg | str, source: str, collected_at: str, line: int | None = None
    ) -> Decimal:
        if amount:
            m = _as_msg(rule)
            self.charges.append(Charge(kind, amount, m.render(), source, collected_at, line, m))
        return amount

    def tax_rate(self, line: Line, default: Decimal) -> tuple[Decimal, Param]:
        """The VAT/GST rate for a line: the line's ``vat_rate`` (a reduced rate the seller knows
        applies) or the destination's standard rate; the second value is the explanation's
        remark ("" for the standard rate)."""
        if line.vat_rate is None:
            return default, ""
        return line.vat_rate, msg(" (rate %(rate)s given with the line instead of %(default)s)",
                                  rate=pct(line.vat_rate), default=pct(default))

    # --- classification and tariff -----------------------------------------------------------
    def require_hs(self, reason: str) -> None:
        for ln in self.shipment.lines:
            code = ln.hs_code or ""
            if not code:
                raise HsRequired(
                    f"{ln.field}.hs_code: an HS code is required for {self.shipment.destination} ({reason})",
                    field=f"{ln.field}.hs_code",
                )
            if len(code) < 6:
                raise HsRequired(
                    f"{ln.field}.hs_code: {code!r} has {len(code)} digits; at least the 6-digit subheading "
                    f"is required for {self.shipment.destination} ({reason})",
                    field=f"{ln.field}.hs_code",
                )

    def duty_rate(self, line: Line, schedule: str | None) -> tuple[DutyRate, Msg, str]:
        """(rate, description, source) for a line: the explicit ``duty_rate`` or the schedule."""
        if line.duty_rate is not None:
            return (
                ad_valorem(line.duty_rate),
                msg("duty rate %(rate)s given with the line", rate=pct(line.duty_rate)),
                "user input (lines[].duty_rate)",
            )
        if schedule is None or self.ctx.tariffs is None:
            where = msg("no tariff schedule is loaded") if schedule else msg("no tariff schedule for %(dest)s", dest=self.shipment.destination)
            text = msg("%(field)s: %(where)s; pass duty_rate for HS %(hs)s%(sync)s", field=f"{line.field}.duty_rate", where=where,
                       hs=line.hs_code or "", sync=msg(" or run `xborder data sync`") if schedule else "")
            raise TariffRateMissing(text.render(), field=f"{line.field}.duty_rate", msg=text)
        m = self.ctx.tariffs.lookup(schedule, line.hs_code or "", self.on)
        if m is None:
            text = msg("%(field)s: %(hs)s is not in the %(schedule)s tariff; check the code or pass duty_rate",
                       field=f"{line.field}.hs_code", hs=line.hs_code or "", schedule=schedule)
            raise TariffRateMissing(text.render(), field=f"{line.field}.hs_code", msg=text)
        if m.ambiguous:
            shown = ", ".join(f"{c} {r}" for c, r in m.candidates[:6]) + (" ..." if len(m.candidates) > 6 else "")
            text = msg("%(field)s: %(note)s (%(shown)s); give the full national code or pass duty_rate",
                       field=f"{line.field}.hs_code", note=m.note_msg or m.note, shown=shown)
            raise TariffRateMissing(text.render(), field=f"{line.field}.hs_code", msg=text,
                                    candidates=[{"code": c, "rate": r} for c, r in m.candidates])
        note: Param = ""
        if m.note:
            note = msg("; %(note)s", note=m.note_msg or m.note)
        desc = msg("%(schedule)s tariff %(code)s (%(version)s): %(rate)s%(note)s", schedule=schedule,
                   code=m.matched_code, version=m.version, rate=m.rate.text, note=note)
        return m.rate, desc, m.source

    def duty_amount(self, line: Line, rate: DutyRate, value_local: Decimal) -> Decimal:
        fx: dict[str, Decimal] = {self.currency: Decimal(1)}
        for sp in rate.specific:
            if sp.currency != self.currency:
                fx[sp.currency] = self.quote(sp.currency, self.currency).rate
        try:
            return compute_duty(
                rate, value=value_local, quantity=line.quantity, weight_kg=line.total_weight_kg, fx=fx
            )
        except RateNotComputable as exc:
            raise TariffRateNotComputable(
                f"{line.field}.duty_rate: {exc}; pass duty_rate (an ad valorem equivalent) for HS {line.hs_code}",
                field=f"{line.field}.duty_rate",
            ) from None

    def _finer_lines_note(self, line: Line, code: str, best: dict[str, ExtraDuty]) -> None:
        """A code shorter than the programme's own lines (a 6-digit HS code against Section 301's
        HTS8 list): when those lines do not all carry the rate applied, say so and ask for the
        longer code (the charge stays the heading's row, or none)."""
        if not code or len(code) >= 8:
            return
        finer: dict[str, list[ExtraDuty]] = {}
        table = self.ctx.extra_duties
        rows_in = table.finer(self.shipment.destination, code) if isinstance(table, ExtraDutyTable) else table
        for row in rows_in:
            if (len(row.hs_prefix) > len(code) and row.hs_prefix.startswith(code)
                    and row.in_force(self.shipment.destination, line.origin, self.on)):
                finer.setdefault(row.programme, []).append(row)
        for prog, rows in sorted(finer.items()):
            applied = best[prog].rate if prog in best else Decimal(0)
            if all(r.rate == applied for r in rows):
                continue
            listed = ", ".join(f"{r.hs_prefix} {pct(r.rate)}" for r in sorted(rows, key=lambda r: r.hs_prefix)[:6])
            more = f" (+{len(rows) - 6})" if len(rows) > 6 else ""
            self.note(msg("%(programme)s: the HTS lines under HS %(code)s differ (%(lines)s%(more)s; unlisted lines %(zero)s): "
                          "give the 8- or 10-digit HTS code for the exact duty",
                          programme=prog, code=code, lines=listed, more=more, zero="0%"), rows[0].source)

    def extra_duties(self, line: Line, value_local: Decimal, collected_at: str) -> Decimal:
        """Additional programmes (Section 301 ...) from the data rows; the longest prefix per programme."""
        code = line.hs_code or ""
        best: dict[str, ExtraDuty] = {}
        table = self.ctx.extra_duties
        candidates = table.matching(self.shipment.destination, code) if isinstance(table, ExtraDutyTable) else table
        for row in candidates:
            if row.applies(self.shipment.destination, line.origin, code, self.on):
                cur = best.get(row.programme)
                if cur is None or len(row.hs_prefix) > len(cur.hs_prefix):
                    best[row.programme] = row
        self._finer_lines_note(line, code, best)
        total = Decimal(0)
        for prog, row in sorted(best.items()):
            amt = round_half_up(value_local * row.rate, self.currency)
            text = msg("%(programme)s: %(rate)s on %(value)s for HS %(code)s (prefix %(prefix)s, %(origin)s, from %(from)s)",
                       programme=prog, rate=pct(row.rate), value=self.fmt(value_local), code=code,
                       prefix=row.hs_prefix or msg("all"), origin=row.origin if row.origin != "*" else msg("any origin"),
                       **{"from": row.valid_from.isoformat()})
            if row.rate:
                self.charge("duty", amt, text, row.source, collected_at, line.index)
                total += amt
            else:
                self.note(msg("%(rule)s — excluded/suspended", rule=text), row.source)
        return total

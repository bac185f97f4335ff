"""Read-only views shared by the CLI, the API and the web pages: the rule browser and the
screening request (pure but for the Chinese titles of the extra-duty rows, read from the
package's ``.po``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from xborder.customs.extra_duties import bundled, bundled_screening_rules
from xborder.customs.messages import msg
from xborder.customs.regimes import all_regimes, get_regime
from xborder.customs.regimes.base import pct
from xborder.customs.screening import CARRIER_MODES, ScreenLine, screen, worst
from xborder.customs.translate import render
from xborder.errors import ValidationError


def _val(v: Any) -> Any:
    if isinstance(v, tuple):
        return ", ".join(str(x) for x in v)
    return str(v)


def rule_rows(country: str | None = None, on: date | None = None) -> list[dict[str, Any]]:
    """Every dated rule (optionally one destination's, optionally only those in force on a date)."""
    regimes = [get_regime(country)] if country else all_regimes()
    code = country.upper() if country else None
    out: list[dict[str, Any]] = []
    for regime in regimes:
        for r in regime.rules:
            if code and r.country not in (code, "EU", "*"):
                continue
            if on is not None and not r.applies(on):
                continue
            out.append({
                "country": r.country, "regime": regime.name, "currency": regime.currency, "id": r.id, "title": r.title,
                "title_zh": r.title_zh or r.title,
                "valid_from": r.valid_from.isoformat(), "valid_to": r.valid_to.isoformat() if r.valid_to else None,
                "source": r.source, "verify": r.verify, "params": {k: _val(v) for k, v in r.params.items()},
            })
    if code in (None, "US"):
        for e in bundled():
            if code and e.destination != code:
                continue
            if on is not None and not (e.valid_from <= on and (e.valid_to is None or on <= e.valid_to)):
                continue
            title = msg("%(programme)s: %(rate)s on HS %(prefix)s from %(origin)s — %(note)s", programme=e.programme,
                        rate=pct(e.rate), prefix=e.hs_prefix or msg("(all)"),
                        origin=msg("any origin") if e.origin == "*" else e.origin, note=e.note)
            out.append({
                "country": e.destination, "regime": "extra duty programmes (data)", "currency": "", "id": e.programme,
                "title": title.render(), "title_zh": render(title, "zh_CN"),
                "valid_from": e.valid_from.isoformat(), "valid_to": e.valid_to.isoformat() if e.valid_to else None,
                "source": e.source, "verify": "verify" in e.source, "params": {"rate": str(e.rate), "hs_prefix": e.hs_prefix},
            })
    out.sort(key=lambda r: (r["country"], r["id"], r["valid_from"]))
    return out


def screen_request(data: Any, carrier: str | None) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationError("input: a JSON object", field="input")
    dest = str(data.get("destination") or "").upper()
    if len(dest) != 2:
        raise ValidationError("destination: ISO alpha-2 code required", field="destination")
    carrier = carrier or data.get("carrier")
    if carrier is not None and carrier not in CARRIER_MODES:
        raise ValidationError(f"carrier: one of {', '.join(CARRIER_MODES)}", field="carrier")
    raw = data.get("lines")
    if not isinstance(raw, list) or not raw:
        raise ValidationError("lines: a non-empty list", field="lines")
    lines = []
    for i, ln in enumerate(raw):
        if not isinstance(ln, dict):
            raise ValidationError(f"lines[{i}]: an object", field=f"lines[{i}]")
        flags = ln.get("flags") or []
        if not isinstance(flags, list):
            raise ValidationError(f"lines[{i}].flags: a list of words", field=f"lines[{i}].flags")
        lines.append(ScreenLine(i, str(ln.get("hs_code") or "") or None, str(ln.get("description") or ""),
                                tuple(str(f) for f in flags)))
    rules = bundled_screening_rules()
    flags_out = screen(lines, dest, carrier, rules)
    return {"destination": dest, "carrier": carrier, "result": worst(flags_out), "rules_version": rules.version,
            "flags": [f.to_dict() for f in flags_out]}


def rules_table(country: str | None = None, on: date | None = None) -> Any:
    """The rules as a downloadable table (one row per dated rule, its parameters as JSON)."""
    import json

    from xborder.tabular import Table

    rows = rule_rows(country, on)
    name = "customs-rules" + (f"-{country.upper()}" if country else "") + (f"-{on.isoformat()}" if on else "")
    return Table(name, ["country", "regime", "currency", "rule", "title", "title_zh", "valid_from", "valid_to", "to_verify",
                        "source", "params"],
                 [[r["country"], r["regime"], r["currency"], r["id"], r["title"], r["title_zh"], r["valid_from"],
                   r["valid_to"] or "", "yes" if r["verify"] else "", r["source"],
                   json.dumps(r["params"], ensure_ascii=False, sort_keys=True)] for r in rows])

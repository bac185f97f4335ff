"""Product compliance checklists per SKU category and market.

Requirements (``data/compliance.yaml``) are dated (``valid_from``/``valid_to``) and cite the
law or policy. A requirement applies to a SKU in a market when the market matches (``EU``
covers every member state; ``ALL`` every destination) and the SKU has any of its ``when``
flags (or all of ``when_all``). Flags come from the SKU's category (``category_flags``) plus
the flags stored on the SKU (e.g. its lithium-battery flag from the logistics contents), and
can be switched off explicitly.

Each applicable requirement gets a status from the seller's per-SKU records: ``done``
(``expired`` when ``expires_on`` has passed), ``in_progress``, ``not_applicable`` (seller's
judgement, kept with a note) or ``missing``. A SKU is *ready* for a market when no blocking
requirement is missing, in progress or expired.

>>> p = SkuProfile(category="power_bank")
>>> items = checklist(p, "DE", on=date(2026, 11, 1))
>>> [i.requirement.id for i in items if i.requirement.id.startswith("de.")]
['de.packaging.lucid', 'de.weee.ear', 'de.battery.battdg']
>>> summary(items)["ready"]
False
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from xborder.errors import ValidationError

STATUSES = ("done", "in_progress", "not_applicable")
DEFAULT_FLAGS = frozenset({"consumer", "packaging"})


@dataclass(frozen=True)
class Requirement:
    id: str
    markets: tuple[str, ...]
    when: tuple[str, ...]
    when_all: tuple[str, ...]
    blocking: bool
    valid_from: date
    valid_to: date | None
    name_en: str
    name_zh: str
    what_en: str
    what_zh: str
    documents: tuple[str, ...]
    source: str
    evidence: str

    def active_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        zh = lang.startswith("zh")
        return {"id": self.id, "name": self.name_zh if zh else self.name_en, "what": self.what_zh if zh else self.what_en,
                "markets": list(self.markets), "blocking": self.blocking, "valid_from": self.valid_from.isoformat(),
                "valid_to": self.valid_to.isoformat() if self.valid_to else None, "documents": list(self.documents),
                "source": self.source, "evidence": self.evidence}


@dataclass(frozen=True)
class Rulebook:
    requirements: tuple[Requirement, ...]
    flags: dict[str, str]
    category_flags: dict[str, tuple[str, ...]]
    marketplace_market: dict[str, str]
    eu_members: frozenset[str]


def _d(v: Any) -> date | None:
    if v is None:
        return None
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def parse(doc: dict[str, Any]) -> Rulebook:
    reqs = []
    for raw in doc["requirements"]:
        reqs.append(Requirement(
            id=raw["id"], markets=tuple(raw["markets"]), when=tuple(raw.get("when") or ()), when_all=tuple(raw.get("when_all") or ()),
            blocking=bool(raw.get("blocking", True)), valid_from=_d(raw["valid_from"]) or date.min, valid_to=_d(raw.get("valid_to")),
            name_en=raw["name_en"], name_zh=raw["name_zh"], what_en=raw["what_en"], what_zh=raw["what_zh"],
            documents=tuple(raw.get("documents") or ()), source=raw["source"], evidence=raw.get("evidence", "K"),
        ))
    return Rulebook(tuple(reqs), dict(doc["flags"]), {k: tuple(v) for k, v in doc["category_flags"].items()},
                    dict(doc["marketplace_market"]), frozenset(doc["eu_members"]))


@lru_cache(maxsize=1)
def rulebook() -> Rulebook:
    return parse(yaml.safe_load((resources.files("xborder.listings") / "data" / "compliance.yaml").read_text(encoding="utf-8")))


def market_for(value: str) -> str:
    """A market code from a country code or a marketplace id (amazon-de -> DE)."""
    v = (value or "").strip()
    rb = rulebook()
    if v.lower() in rb.marketplace_market:
        return rb.marketplace_market[v.lower()]
    if len(v) == 2 and v.isalpha():
        return v.upper().replace("UK", "GB")
    if v.upper() == "EU":
        return "EU"
    raise ValidationError(f"market: {value!r} is neither a country code (DE, FR, US, GB...) nor a marketplace id", field="market")


@dataclass(frozen=True)
class SkuProfile:
    category: str = "generic"
    flags: frozenset[str] = frozenset()
    flags_off: frozenset[str] = frozenset()

    def effective_flags(self, rb: Rulebook | None = None) -> frozenset[str]:
        rb = rb or rulebook()
        cat = rb.category_flags.get(self.category, ())
        return (DEFAULT_FLAGS | frozenset(cat) | self.flags) - self.flags_off


@dataclass(frozen=True)
class StatusRecord:
    requirement_id: str
    status: str
    reference: str = ""
    expires_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class ChecklistItem:
    requirement: Requirement
    status: str  # done | expired | in_progress | not_applicable | missing
    record: StatusRecord | None = None

    @property
    def open(self) -> bool:
        return self.status in ("missing", "in_progress", "expired")

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        d = self.requirement.to_dict(lang)
        d.update({"status": self.status, "reference": self.record.reference if self.record else "",
                  "expires_on": self.record.expires_on.isoformat() if self.record and self.record.expires_on else None,
                  "note": self.record.note if self.record else ""})
        return d


def _market_matches(req: Requirement, market: str, rb: Rulebook) -> bool:
    for m in req.markets:
        if m == "ALL" or m == market:
            return True
        if m == "EU" and (market == "EU" or market in rb.eu_members):
            return True
    return False


def applicable(profile: SkuProfile, market: str, on: date, rb: Rulebook | None = None) -> list[Requirement]:
    rb = rb or rulebook()
    flags = profile.effective_flags(rb)
    out = []
    for r in rb.requirements:
        if not r.active_on(on) or not _market_matches(r, market, rb):
            continue
        if r.when_all and not set(r.when_all) <= flags:
            continue
        if r.when and not set(r.when) & flags:
            continue
        out.append(r)
    return out


def checklist(profile: SkuProfile, market: str, on: date, records: dict[str, StatusRecord] | None = None,
              rb: Rulebook | None = None) -> list[ChecklistItem]:
    records = records or {}
    items = []
    for r in applicable(profile, market, on, rb):
        rec = records.get(r.id)
        if rec is None:
            status = "missing"
        elif rec.status == "done" and rec.expires_on is not None and rec.expires_on < on:
            status = "expired"
        else:
            status = rec.status
        items.append(ChecklistItem(r, status, rec))
    return items


def summary(items: list[ChecklistItem]) -> dict[str, Any]:
    blocking_open = [i.requirement.id for i in items if i.requirement.blocking and i.open]
    return {"total": len(items), "done": sum(1 for i in items if i.status == "done"),
            "open": sum(1 for i in items if i.open), "blocking_open": blocking_open, "ready": not blocking_open}

"""Marketplace listing rules as dated data.

The rules live in ``rules/*.yaml`` next to this module, one file per marketplace family
(``amazon.yaml`` covers amazon-us, amazon-uk, amazon-de, amazon-fr, amazon-it, amazon-es,
amazon-ca and amazon-jp), plus ``_common.yaml`` for claims every channel removes (medical,
pesticide, "FDA approved", other brands' trademarks, contact details, emojis). Every rule
carries ``valid_from``/``valid_to``, a ``source`` naming the public policy page and the date it
was read, and an ``evidence`` mark (S: read in the source; V: secondary/vendor summary;
K: background knowledge to verify).

Per marketplace, ``extend`` adds phrases to a rule (German promotional phrases on amazon-de)
and ``override`` replaces parameters or disables a rule (amazon-jp: 500-byte search terms).

This module only parses data; :mod:`xborder.listings.checker` applies it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from xborder.errors import NotFound, ValidationError

SEVERITIES = ("error", "warning", "info")
KINDS = (
    "required", "max_chars", "min_chars", "max_bytes", "max_items", "min_items", "min_words",
    "phrases", "chars", "regex", "word_repeat", "all_caps", "trademarks", "cjk",
    "redundant_terms", "brand_in_field", "image_count_min", "image_count_max", "image_min_px",
    "image_max_bytes",
)


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    fields: tuple[str, ...]
    severity: str
    params: dict[str, Any]
    valid_from: date
    valid_to: date | None
    source: str
    evidence: str
    message_en: str
    message_zh: str
    fix_en: str
    fix_zh: str

    def active_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class Marketplace:
    id: str
    name: str
    family: str
    country: str
    language: str
    locale: str
    currency: str
    rules: tuple[Rule, ...] = field(default=())

    def active_rules(self, on: date) -> list[Rule]:
        return [r for r in self.rules if r.active_on(on)]

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise NotFound(f"rule {rule_id!r} not defined for {self.id}", field="rule")


def _as_date(value: Any, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{where}: {value!r} is not an ISO date", field=where) from None


def parse_rule(raw: dict[str, Any], where: str) -> Rule:
    for key in ("id", "kind", "fields", "severity", "valid_from", "source", "message_en", "message_zh"):
        if key not in raw:
            raise ValidationError(f"{where}: rule is missing {key!r}", field=key)
    if raw["kind"] not in KINDS:
        raise ValidationError(f"{where}: unknown rule kind {raw['kind']!r}", field="kind")
    if raw["severity"] not in SEVERITIES:
        raise ValidationError(f"{where}: unknown severity {raw['severity']!r}", field="severity")
    vf = _as_date(raw["valid_from"], f"{where}.valid_from")
    assert vf is not None
    return Rule(
        id=str(raw["id"]),
        kind=raw["kind"],
        fields=tuple(raw["fields"]),
        severity=raw["severity"],
        params=dict(raw.get("params") or {}),
        valid_from=vf,
        valid_to=_as_date(raw.get("valid_to"), f"{where}.valid_to"),
        source=str(raw["source"]),
        evidence=str(raw.get("evidence", "K")),
        message_en=raw["message_en"],
        message_zh=raw["message_zh"],
        fix_en=raw.get("fix_en", ""),
        fix_zh=raw.get("fix_zh", ""),
    )


def build_marketplaces(common: dict[str, Any], families: list[dict[str, Any]]) -> dict[str, Marketplace]:
    """Build every marketplace from parsed YAML documents (pure; used by :func:`catalogue`)."""
    common_rules = [parse_rule(r, f"_common[{i}]") for i, r in enumerate(common.get("rules", []))]
    out: dict[str, Marketplace] = {}
    for doc in families:
        fam = doc["family"]
        fam_rules = [parse_rule(r, f"{fam}[{i}]") for i, r in enumerate(doc.get("rules", []))]
        for mid, meta in (doc.get("marketplaces") or {}).items():
            rules: list[Rule] = []
            extend = meta.get("extend") or {}
            override = meta.get("override") or {}
            for rule in common_rules + fam_rules:
                ov = override.get(rule.id) or {}
                if ov.get("disabled"):
                    continue
                r = rule
                if rule.id in extend:
                    params = dict(r.params)
                    params["phrases"] = list(params.get("phrases", [])) + list(extend[rule.id])
                    r = replace(r, params=params)
                if ov:
                    params = dict(r.params)
                    params.update(ov.get("params") or {})
                    r = replace(r, params=params, source=ov.get("source", r.source), evidence=ov.get("evidence", r.evidence))
                rules.append(r)
            m = Marketplace(
                id=mid, name=meta["name"], family=fam, country=meta["country"], language=meta["language"],
                locale=meta["locale"], currency=meta["currency"], rules=tuple(rules),
            )
            out[mid] = m
            for alias in meta.get("aliases") or ():
                out[alias] = m
    return out


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Marketplace]:
    """All marketplaces with their rules, read from the YAML files shipped in the package."""
    base = resources.files("xborder.listings") / "rules"
    common = yaml.safe_load((base / "_common.yaml").read_text(encoding="utf-8"))
    families = [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted(base.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".yaml") and not p.name.startswith("_")
    ]
    return build_marketplaces(common, families)


def marketplace(mid: str) -> Marketplace:
    cat = catalogue()
    key = (mid or "").strip().lower()
    if key not in cat:
        known = ", ".join(sorted(marketplace_ids()))
        raise ValidationError(f"marketplace: unknown marketplace {mid!r}; known: {known}", field="marketplace")
    return cat[key]


def marketplace_ids() -> list[str]:
    """Canonical ids (aliases left out), sorted."""
    return sorted({m.id for m in catalogue().values()})

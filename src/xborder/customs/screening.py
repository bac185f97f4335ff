"""Restricted-goods screening: flags per line, destination and carrier mode, shown before a
shipment is booked (pure; the rules are data, see ``data/restricted.yaml``).

A line is put in a category by its HS prefix, by a word of its description (English or
Chinese) or by a flag given with it (``battery``, ``liquid``, ``magnet``, ``powder``, ...).
Each matching rule whose destination and carrier lists include the shipment's (or that has no
such list) produces a flag with its severity (``block``, ``warn``, ``info``), message and source.
Lithium batteries distinguish ``standalone`` (the product is a battery or power bank) from
``installed`` (in equipment).

>>> rules = parse_rules('''
... categories:
...   magnet: {title: Magnets, words: [magnet], flag: magnet}
... rules:
...   - {category: magnet, carriers: [post], severity: warn, message: limit, source: IATA PI 953}
... ''')
>>> [f.category for f in screen([ScreenLine(0, "9503", "fridge magnet set")], "US", "post", rules)]
['magnet']
>>> screen([ScreenLine(0, "9503", "fridge magnet set")], "US", "sea", rules)
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

CARRIER_MODES = ("post", "air_express", "air_freight", "sea", "rail", "truck")
SEVERITY_ORDER = {"block": 0, "warn": 1, "info": 2}


@dataclass(frozen=True)
class Category:
    key: str
    title: str
    hs_prefixes: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    flag: str | None = None


@dataclass(frozen=True)
class ScreenRule:
    category: str
    severity: str
    message: str
    source: str
    destinations: tuple[str, ...] = ()
    carriers: tuple[str, ...] = ()
    when: str | None = None  # lithium: standalone | installed


@dataclass(frozen=True)
class Rules:
    version: str
    categories: dict[str, Category]
    rules: tuple[ScreenRule, ...]


@dataclass(frozen=True)
class ScreenLine:
    index: int
    hs_code: str | None
    description: str
    flags: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Flag:
    line: int
    category: str
    title: str
    severity: str
    message: str
    source: str
    matched: str  # why the line is in the category

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line, "category": self.category, "title": self.title, "severity": self.severity,
                "message": self.message, "source": self.source, "matched": self.matched}


def parse_rules(text: str) -> Rules:
    data = yaml.safe_load(text) or {}
    cats: dict[str, Category] = {}
    for key, c in (data.get("categories") or {}).items():
        cats[key] = Category(key, str(c.get("title") or key), tuple(str(p) for p in c.get("hs_prefixes") or []),
                             tuple(str(w).lower() for w in c.get("words") or []), c.get("flag"))
    rules = []
    for i, r in enumerate(data.get("rules") or []):
        if r.get("category") not in cats:
            raise ValueError(f"rules[{i}].category: unknown category {r.get('category')!r}")
        if r.get("severity") not in SEVERITY_ORDER:
            raise ValueError(f"rules[{i}].severity: one of block, warn, info")
        if not r.get("source"):
            raise ValueError(f"rules[{i}].source: a citation is required")
        rules.append(ScreenRule(r["category"], r["severity"], str(r.get("message") or ""), str(r["source"]),
                                tuple(str(d).upper() for d in r.get("destinations") or []),
                                tuple(r.get("carriers") or []), r.get("when")))
    return Rules(str(data.get("version") or ""), cats, tuple(rules))


def _word_hit(desc: str, word: str) -> bool:
    if any("\u4e00" <= ch <= "\u9fff" for ch in word):
        return word in desc
    return re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", desc) is not None


_STANDALONE = re.compile(r"(power ?bank|充电宝|移动电源|^\s*(lithium )?(li-ion |li-po )?batter(y|ies)\b|^电池|^锂电池)")


def categorize(line: ScreenLine, cat: Category) -> str | None:
    code = line.hs_code or ""
    for p in cat.hs_prefixes:
        if code.startswith(p):
            return f"HS {code} starts with {p}"
    if cat.flag and cat.flag in line.flags:
        return f"flag '{cat.flag}'"
    desc = (line.description or "").lower()
    for w in cat.words:
        if _word_hit(desc, w):
            return f"description contains '{w}'"
    return None


def screen(lines: list[ScreenLine], destination: str, carrier: str | None, rules: Rules) -> list[Flag]:
    dest = (destination or "").upper()
    out: list[Flag] = []
    for ln in lines:
        for cat in rules.categories.values():
            why = categorize(ln, cat)
            if why is None:
                continue
            standalone = bool(_STANDALONE.search((ln.description or "").lower())) or (ln.hs_code or "").startswith(("850650", "850760"))
            for r in rules.rules:
                if r.category != cat.key:
                    continue
                if r.destinations and dest not in r.destinations:
                    continue
                if r.carriers and carrier is not None and carrier not in r.carriers:
                    continue
                if r.when == "standalone" and not standalone:
                    continue
                if r.when == "installed" and standalone:
                    continue
                out.append(Flag(ln.index, cat.key, cat.title, r.severity, r.message, r.source, why))
    out.sort(key=lambda f: (f.line, SEVERITY_ORDER[f.severity], f.category))
    return out


def worst(flags: list[Flag]) -> str:
    """``block`` if any flag blocks, else ``warn``/``info``/``ok``."""
    if not flags:
        return "ok"
    return min(flags, key=lambda f: SEVERITY_ORDER[f.severity]).severity

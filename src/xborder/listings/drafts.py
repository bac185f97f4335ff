"""Listing drafts from SKU attributes (Chinese or English) through category templates.

Steps: translate attribute values with the glossary (``data/glossary.yaml``; unknown Chinese
values are listed as *untranslated* and never copied into the English text), convert units for
the marketplace's country (:mod:`xborder.listings.units`), map clothing/shoe sizes
(:mod:`xborder.listings.sizes`), fill the category template (``data/categories.yaml``), fit the
title to the marketplace's own limits (dropping trailing parts, never repeating a word more
than the rule allows), then run the checker: a draft is returned with its check result.

>>> from xborder.listings.rulebook import marketplace
>>> d, res = make_draft({"brand": "Acme", "category": "phone_accessory", "product_type_zh": "手机壳",
...                      "material_zh": "硅胶", "color_zh": "蓝色", "features_zh": ["防摔", "磁吸"],
...                      "compatible_with": "iPhone 15", "dimensions_cm": ["15", "7.5", "1.2"], "weight_g": "45"},
...                     marketplace("amazon-us"))
>>> d.title
'Acme Phone Case for iPhone 15 Shockproof Magnetic Silicone Blue'
>>> res.errors
0
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from xborder.errors import ValidationError
from xborder.listings import sizes, units
from xborder.listings.checker import CheckResult, Listing, check, words
from xborder.listings.rulebook import Marketplace

_CJK = re.compile(r"[\u3400-\u9fff]")
# catalog categories (xborder.catalog.model.CATEGORIES) and compliance categories -> templates
CATEGORY_ALIASES = {"phone_accessories": "phone_accessory", "led_lighting": "electronics", "lighting": "electronics",
                    "sportswear": "apparel", "kids_apparel": "apparel", "toys": "toy", "baby": "toy", "home": "generic",
                    "home_decor": "generic", "beauty": "generic", "other": "generic", "charger": "electronics",
                    "power_bank": "electronics", "earbuds": "electronics", "smart_device": "electronics"}
_FMT = string.Formatter()


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    return yaml.safe_load((resources.files("xborder.listings") / "data" / "categories.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def glossary() -> dict[str, dict[str, str]]:
    return yaml.safe_load((resources.files("xborder.listings") / "data" / "glossary.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Draft:
    marketplace: str
    category: str
    title: str
    bullets: tuple[str, ...]
    description: str
    search_terms: str
    brand: str
    untranslated: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    source: str = "template"  # template | provider

    def listing(self) -> Listing:
        return Listing(title=self.title, bullets=self.bullets, description=self.description, brand=self.brand,
                       search_terms=self.search_terms)

    def to_dict(self) -> dict[str, Any]:
        return {"marketplace": self.marketplace, "category": self.category, "title": self.title,
                "bullets": list(self.bullets), "description": self.description, "search_terms": self.search_terms,
                "brand": self.brand, "untranslated": list(self.untranslated), "notes": list(self.notes), "source": self.source}


def _translate(value: str, table: dict[str, str], untranslated: list[str], key: str) -> str | None:
    v = str(value).strip()
    if not v:
        return None
    if v in table:
        return table[v]
    if _CJK.search(v):
        # try the longest glossary entry contained in the value (e.g. "黑色硅胶" -> black)
        hits = [k for k in sorted(table, key=len, reverse=True) if k in v]
        if hits:
            return table[hits[0]]
        untranslated.append(f"{key}: {v}")
        return None
    return v


def _attr(attrs: dict[str, Any], key: str, gl: dict[str, dict[str, str]], untranslated: list[str]) -> str | None:
    table = gl.get(key, {})
    if attrs.get(key):
        return _translate(attrs[key], table, untranslated, key)
    if attrs.get(f"{key}_zh"):
        return _translate(attrs[f"{key}_zh"], table, untranslated, key)
    return None


def _features(attrs: dict[str, Any], gl: dict[str, dict[str, str]], untranslated: list[str]) -> list[str]:
    out: list[str] = []
    for key in ("features", "features_zh"):
        vals = attrs.get(key) or []
        if isinstance(vals, str):
            vals = [v for v in re.split(r"[,，、;；]", vals) if v.strip()]
        for v in vals:
            t = _translate(v, gl.get("features", {}), untranslated, "features")
            if t and t.lower() not in [o.lower() for o in out]:
                out.append(t)
    return out


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _title_case(s: str) -> str:
    small = {"a", "an", "the", "and", "or", "for", "of", "in", "on", "with", "to", "by"}
    parts = s.split()
    return " ".join(p if (i and p.lower() in small) or any(c.isupper() for c in p[1:]) or any(c.isdigit() for c in p)
                    else _cap(p) for i, p in enumerate(parts))


def _fill(tpl: str, values: dict[str, str]) -> str | None:
    names = [n for _, n, _, _ in _FMT.parse(tpl) if n]
    for n in names:
        base = n[:1].lower() + n[1:]
        v = values.get(n) if n in values else values.get(base)
        if not v:
            return None
    return tpl.format_map({n: (values[n] if n in values else _cap(values[n[:1].lower() + n[1:]])) for n in names})


def _limit(mp: Marketplace, rule_id: str, default: int | None) -> int | None:
    for r in mp.rules:
        if r.id == rule_id:
            return int(r.params.get("limit") or r.params.get("max") or default or 0) or default
    return default


def _fit_title(parts: list[str], max_chars: int, max_repeat: int) -> str:
    chosen: list[str] = []
    counts: dict[str, int] = {}
    for p in parts:
        ws = [w.lower() for w in words(p)]
        if any(counts.get(w, 0) + ws.count(w) > max_repeat for w in ws if len(w) > 3):
            continue
        if any(w in counts for w in ws if len(w) > 3) and len(ws) == 1:
            continue  # a single word already present adds nothing
        cand = " ".join([*chosen, p])
        if len(cand) > max_chars:
            continue
        chosen.append(p)
        for w in ws:
            counts[w] = counts.get(w, 0) + 1
    return " ".join(chosen)


def build_values(attrs: dict[str, Any], mp: Marketplace, untranslated: list[str], notes: list[str]) -> dict[str, str]:
    gl = glossary()
    v: dict[str, str] = {}
    brand = str(attrs.get("brand") or "").strip()
    if not brand:
        raise ValidationError("brand: a draft needs the brand name (use 'Generic' for unbranded goods)", field="brand")
    v["brand"] = brand
    for key in ("product_type", "material", "color", "use"):
        t = _attr(attrs, key, gl, untranslated)
        if t:
            v[key] = t
    if "product_type" not in v:
        raise ValidationError("product_type: give product_type or product_type_zh (e.g. 手机壳)", field="product_type")
    v["product_type"] = _title_case(v["product_type"])
    if "material" in v:
        v["material"] = v["material"]
    feats = _features(attrs, gl, untranslated)
    if feats:
        v["features_sentence"] = ", ".join(feats)
        for i, f in enumerate(feats[:3], 1):
            v[f"feature{i}"] = _title_case(f)
        food = [f for f in feats if f.lower() in ("food-grade", "bpa-free")]
        if food:
            v["feature_foodgrade"] = " and ".join(food)
    if attrs.get("compatible_with"):
        v["compatible"] = f"for {str(attrs['compatible_with']).strip()}"
    if attrs.get("audience"):
        v["audience"] = _title_case(str(attrs["audience"]))
    n = int(str(attrs.get("pack_count") or 1))
    if n < 1:
        raise ValidationError("pack_count: must be 1 or more", field="pack_count")
    if n > 1:
        v["pack"] = f"{n} Pack"
    v["pack_sentence"] = f"{n} x {v['product_type'].lower()}"
    if attrs.get("dimensions_cm"):
        dims = attrs["dimensions_cm"]
        if isinstance(dims, str):
            dims = [d for d in re.split(r"[x×*, ]+", dims) if d]
        try:
            v["dimensions"] = units.format_dimensions([Decimal(str(d)) for d in dims], mp.country)
        except Exception:
            raise ValidationError(f"dimensions_cm: {attrs['dimensions_cm']!r} is not a list of numbers in cm", field="dimensions_cm") from None
    if attrs.get("weight_g"):
        try:
            v["weight"] = units.format_weight(Decimal(str(attrs["weight_g"])), mp.country)
        except Exception:
            raise ValidationError(f"weight_g: {attrs['weight_g']!r} is not a number of grams", field="weight_g") from None
    if attrs.get("size") and attrs.get("size_chart"):
        row = sizes.clothing(str(attrs["size_chart"]), str(attrs["size"]))
        rng = row.get("chest_cm") or row.get("bust_cm")
        body = ""
        if rng:
            lo, hi = (Decimal(str(x)) for x in rng)
            body = f" (chest {lo}-{hi} cm / {units.cm_to_in(lo)}-{units.cm_to_in(hi)} in)"
        v["size_line"] = f"size {row['label']} = CN {row['cn']}, US {row['us']}, UK {row['uk']}, EU {row['eu']}{body}"
        v["size_short"] = f"Size {row['label']}"
    if attrs.get("foot_mm"):
        s = sizes.shoe_sizes(Decimal(str(attrs["foot_mm"])))
        cm = Decimal(str(attrs["foot_mm"])) / 10
        v["size_line"] = (f"for foot length {cm.normalize():f} cm ({units.cm_to_in(cm)} in): EU {s.eu}, UK {s.uk}, "
                          f"US men {s.us_men}, US women {s.us_women}, CN {s.cn}")
    if attrs.get("battery") or attrs.get("lithium_battery"):
        cap = f" {attrs['battery_mah']} mAh" if attrs.get("battery_mah") else ""
        v["battery_line"] = f"built-in rechargeable lithium-ion battery{cap}" if attrs.get("lithium_battery") else f"battery included{cap}"
    if mp.language != "en":
        notes.append(f"The draft is in English; {mp.name} expects {mp.language}: translate it (text provider or by hand) before listing.")
    if untranslated:
        notes.append("Untranslated attribute values were left out: " + "; ".join(untranslated))
    return v


def make_draft(attrs: dict[str, Any], mp: Marketplace, on: date | None = None) -> tuple[Draft, CheckResult]:
    if not isinstance(attrs, dict):
        raise ValidationError("attributes: expected a JSON object", field="attributes")
    untranslated: list[str] = []
    notes: list[str] = []
    v = build_values(attrs, mp, untranslated, notes)
    cat = str(attrs.get("category") or "generic")
    cat = CATEGORY_ALIASES.get(cat, cat)
    tpls = templates()
    if cat not in tpls:
        raise ValidationError(f"category: unknown template {cat!r}; known: {', '.join(sorted(tpls))}", field="category")
    tpl = tpls[cat]
    max_title = _limit(mp, "title.max_length", 200) or 200
    max_repeat = 2
    parts = [p for p in (_fill(t, v) for t in tpl["title"]) if p]
    parts = [_title_case(p) if not p.startswith("for ") else p for p in parts]
    title = _fit_title(parts, max_title, max_repeat)
    max_bullet = _limit(mp, "bullets.max_length", 255) or 255
    max_count = _limit(mp, "bullets.max_count", 5) or 5
    bullets = [b for b in (_fill(t, v) for t in tpl["bullets"]) if b]
    bullets = [b if len(b) <= max_bullet else b[: max_bullet - 1].rsplit(" ", 1)[0] + "." for b in bullets][:max_count]
    desc = " ".join(d for d in (_fill(t, v) for t in tpl["description"]) if d)
    max_desc = _limit(mp, "description.max_length", None)
    if max_desc and len(desc) > max_desc:
        desc = desc[:max_desc].rsplit(" ", 1)[0]
    # backend search terms: feature/use words not already in the title, within the byte limit
    st_words: list[str] = []
    have = {w.lower() for w in words(title)} | {w.lower() for w in words(v["brand"])}
    for src in (v.get("features_sentence", ""), v.get("use", ""), v.get("material", ""), v.get("color", "")):
        for w in words(src):
            if w.lower() not in have and w.lower() not in st_words:
                st_words.append(w.lower())
    max_bytes = _limit(mp, "search_terms.max_bytes", 249) or 249
    st = ""
    for w in st_words:
        if len((st + " " + w).strip().encode("utf-8")) <= max_bytes:
            st = (st + " " + w).strip()
    draft = Draft(marketplace=mp.id, category=cat, title=title, bullets=tuple(bullets), description=desc, search_terms=st,
                  brand=v["brand"], untranslated=tuple(untranslated), notes=tuple(notes))
    return draft, check(draft.listing(), mp, on)

"""Listing checker: apply a marketplace's dated rules to a listing and score it.

Rules come from :mod:`xborder.listings.rulebook` (YAML data with sources and dates); this
module is pure (no I/O). Each finding names the rule, its severity (``error``: the marketplace
suppresses or removes the listing; ``warning``: a guideline or risk; ``info``: an optimisation),
the field, a message in English and Chinese and a suggested fix.

Score (0-100): ``100 - 15 x errors - 5 x warnings - 1 x info`` (info capped at 5 points),
floored at 0. A listing with no findings scores 100; one error costs more than three warnings.

>>> from xborder.listings.rulebook import marketplace
>>> res = check(Listing(title="Best Seller Phone Case!!!", brand="Acme"), marketplace("amazon-us"))
>>> sorted({(f.rule, f.severity) for f in res.findings if f.severity == "error"})
[('promo.banned', 'error'), ('title.banned_chars', 'error')]
>>> res.score     # two errors and a warning (no bullets given)
65
>>> clean = Listing(title="Acme Silicone Phone Case for Small Hands, Blue", brand="Acme",
...                 bullets=("Soft silicone", "Fits 6.1 inch phones", "Raised edges protect the camera"))
>>> check(clean, marketplace("amazon-us")).score
100
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from xborder.errors import ValidationError
from xborder.listings.rulebook import Marketplace, Rule

TEXT_FIELDS = ("title", "description", "brand", "search_terms")
LIST_FIELDS = ("bullets", "tags")
PENALTY = {"error": 15, "warning": 5, "info": 1}
INFO_CAP = 5

FIELD_LABELS = {
    "en": {"title": "Title", "bullets": "Bullet", "description": "Description", "brand": "Brand",
           "search_terms": "Search terms", "tags": "Tag", "images": "Images"},
    "zh": {"title": "标题", "bullets": "卖点", "description": "描述", "brand": "品牌",
           "search_terms": "搜索关键词", "tags": "标签", "images": "图片"},
}
LANGUAGE_NAMES = {"en": "English", "de": "German", "fr": "French", "it": "Italian", "es": "Spanish", "ja": "Japanese", "zh": "Chinese"}

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_CJK_ANY = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class Image:
    url: str = ""
    width: int | None = None
    height: int | None = None
    bytes: int | None = None

    @property
    def longest_side(self) -> int | None:
        sides = [s for s in (self.width, self.height) if s is not None]
        return max(sides) if sides else None


@dataclass(frozen=True)
class Listing:
    title: str = ""
    bullets: tuple[str, ...] = ()
    description: str = ""
    brand: str = ""
    search_terms: str = ""
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] | None = None
    provided: frozenset[str] = frozenset({"title", "bullets", "description", "brand", "search_terms"})

    @classmethod
    def from_dict(cls, data: Any) -> Listing:
        """Validate a JSON object (keys title, bullets, description, brand, search_terms, tags, images)."""
        if not isinstance(data, dict):
            raise ValidationError("listing: expected a JSON object with title, bullets, description, brand, search_terms", field="listing")
        kw: dict[str, Any] = {}
        for key in TEXT_FIELDS:
            v = data.get(key)
            if v is None:
                continue
            if key == "search_terms" and isinstance(v, list):
                v = " ".join(str(x) for x in v)
            if not isinstance(v, str):
                raise ValidationError(f"{key}: expected a string, got {type(v).__name__}", field=key)
            kw[key] = v
        for key in LIST_FIELDS:
            v = data.get(key)
            if v is None:
                continue
            if isinstance(v, str):
                v = [line for line in v.splitlines() if line.strip()] if key == "bullets" else [t.strip() for t in v.split(",") if t.strip()]
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise ValidationError(f"{key}: expected a list of strings", field=key)
            kw[key] = tuple(x for x in v)
        if data.get("images") is not None:
            imgs = data["images"]
            if not isinstance(imgs, list):
                raise ValidationError("images: expected a list of {url, width, height, bytes}", field="images")
            parsed = []
            for i, img in enumerate(imgs, 1):
                if isinstance(img, str):
                    parsed.append(Image(url=img))
                    continue
                if not isinstance(img, dict):
                    raise ValidationError(f"images[{i}]: expected an object or a URL", field="images")
                vals: dict[str, Any] = {"url": str(img.get("url", ""))}
                for k in ("width", "height", "bytes"):
                    if img.get(k) is not None:
                        try:
                            vals[k] = int(str(img[k]))
                        except ValueError:
                            raise ValidationError(f"images[{i}].{k}: {img[k]!r} is not a whole number", field="images") from None
                parsed.append(Image(**vals))
            kw["images"] = tuple(parsed)
        provided = {k for k in (*TEXT_FIELDS, *LIST_FIELDS, "images") if data.get(k) is not None}
        return cls(provided=frozenset(provided), **kw)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title, "bullets": list(self.bullets), "description": self.description,
                               "brand": self.brand, "search_terms": self.search_terms}
        if self.tags:
            out["tags"] = list(self.tags)
        if self.images is not None:
            out["images"] = [{"url": i.url, "width": i.width, "height": i.height, "bytes": i.bytes} for i in self.images]
        return out

    def texts(self, fld: str) -> list[tuple[int | None, str]]:
        """(item number or None, text) pairs for a field."""
        if fld in LIST_FIELDS:
            return [(i, t) for i, t in enumerate(getattr(self, fld), 1)]
        if fld in TEXT_FIELDS:
            return [(None, getattr(self, fld))]
        return []


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    field: str
    item: int | None
    match: str
    message_en: str
    message_zh: str
    fix_en: str
    fix_zh: str
    source: str
    evidence: str
    valid_from: date

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        zh = lang.startswith("zh")
        return {
            "rule": self.rule,
            "severity": self.severity,
            "field": self.field,
            "message": self.message_zh if zh else self.message_en,
            "item": self.item,
            "match": self.match,
            "message_en": self.message_en,
            "message_zh": self.message_zh,
            "fix": self.fix_zh if zh else self.fix_en,
            "fix_en": self.fix_en,
            "fix_zh": self.fix_zh,
            "source": self.source,
            "evidence": self.evidence,
            "valid_from": self.valid_from.isoformat(),
        }


@dataclass(frozen=True)
class CheckResult:
    marketplace: str
    checked_on: date
    score: int
    findings: tuple[Finding, ...]
    rules_applied: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "score": self.score,
            "findings": [f.to_dict(lang) for f in self.findings],
            "marketplace": self.marketplace,
            "checked_on": self.checked_on.isoformat(),
            "errors": self.errors,
            "warnings": self.warnings,
            "rules_applied": self.rules_applied,
        }


def score(findings: list[Finding] | tuple[Finding, ...]) -> int:
    """100 minus penalties; info findings cost at most ``INFO_CAP`` points in total.

    >>> score([])
    100
    """
    counts = Counter(f.severity for f in findings)
    penalty = PENALTY["error"] * counts["error"] + PENALTY["warning"] * counts["warning"]
    penalty += min(INFO_CAP, PENALTY["info"] * counts["info"])
    return max(0, 100 - penalty)


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _phrase_regex(phrase: str) -> re.Pattern[str]:
    if _CJK_ANY.search(phrase):
        return re.compile(re.escape(phrase))
    body = r"\s+".join(re.escape(p) for p in phrase.split())
    flags = 0 if (phrase.isupper() and len(phrase) <= 4) else re.IGNORECASE
    return re.compile(r"(?<![\w#@])" + body + r"(?![\w])", flags)


_REGEX_CACHE: dict[str, re.Pattern[str]] = {}


def _rx(pattern: str) -> re.Pattern[str]:
    if pattern not in _REGEX_CACHE:
        _REGEX_CACHE[pattern] = re.compile(pattern)
    return _REGEX_CACHE[pattern]


def _phrx(phrase: str) -> re.Pattern[str]:
    key = "\x00phrase:" + phrase
    if key not in _REGEX_CACHE:
        _REGEX_CACHE[key] = _phrase_regex(phrase)
    return _REGEX_CACHE[key]


def words(text: str) -> list[str]:
    return _WORD.findall(text)


class _Ctx:
    def __init__(self, listing: Listing, mp: Marketplace, rule: Rule, out: list[Finding]):
        self.listing, self.mp, self.rule, self.out = listing, mp, rule, out

    def add(self, fld: str, item: int | None, match: str = "", **values: Any) -> None:
        r = self.rule
        vals_en = _SafeDict(marketplace=self.mp.name, match=match, item=item or "", brand=self.listing.brand or "-",
                            language=LANGUAGE_NAMES.get(self.mp.language, self.mp.language), **values)
        for k, v in r.params.items():
            if isinstance(v, (int, str)):
                vals_en.setdefault(k, v)
        if "limit" in vals_en and isinstance(vals_en["limit"], int):
            vals_en.setdefault("limit_plus_one", vals_en["limit"] + 1)
        vals_zh = _SafeDict(vals_en)
        label_en = FIELD_LABELS["en"].get(fld, fld)
        label_zh = FIELD_LABELS["zh"].get(fld, fld)
        if item is not None and fld in ("bullets", "tags", "images"):
            label_en = f"{label_en} {item}"
            label_zh = f"第 {item} 条{label_zh}" if fld == "bullets" else f"第 {item} 个{label_zh}"
        vals_en["field"], vals_zh["field"] = label_en, label_zh
        self.out.append(Finding(
            rule=r.id, severity=r.severity, field=fld, item=item, match=match,
            message_en=r.message_en.format_map(vals_en), message_zh=r.message_zh.format_map(vals_zh),
            fix_en=r.fix_en.format_map(vals_en), fix_zh=r.fix_zh.format_map(vals_zh),
            source=r.source, evidence=r.evidence, valid_from=r.valid_from,
        ))


def _brand_words(brand: str) -> set[str]:
    return {w.lower() for w in words(brand)}


def _apply(ctx: _Ctx) -> None:
    rule, lst = ctx.rule, ctx.listing
    p = rule.params
    for fld in rule.fields:
        if fld == "images":
            if lst.images is None:
                continue
            imgs = lst.images
            if rule.kind == "image_count_min" and len(imgs) < p["limit"] or rule.kind == "image_count_max" and len(imgs) > p["limit"]:
                ctx.add(fld, None, actual=len(imgs))
            elif rule.kind == "image_min_px":
                for i, img in enumerate(imgs, 1):
                    side = img.longest_side
                    if side is not None and side < p["limit"]:
                        ctx.add(fld, i, match=img.url, actual=side)
            elif rule.kind == "image_max_bytes":
                for i, img in enumerate(imgs, 1):
                    if img.bytes is not None and img.bytes > p["limit"]:
                        ctx.add(fld, i, match=img.url, actual=img.bytes)
            continue
        if fld not in lst.provided and (rule.kind != "required" or p.get("only_if_provided")):
            continue
        k = rule.kind
        if k == "required":
            if not getattr(lst, fld) or (isinstance(getattr(lst, fld), str) and not getattr(lst, fld).strip()):
                ctx.add(fld, None)
            continue
        if k in ("max_items", "min_items"):
            n = len(getattr(lst, fld))
            if (k == "max_items" and n > p["limit"]) or (k == "min_items" and n < p["limit"]):
                ctx.add(fld, None, actual=n)
            continue
        if k == "redundant_terms":
            terms = [w.lower() for w in words(getattr(lst, fld))]
            seen_elsewhere = set()
            for other in p.get("against", []):
                for _, t in lst.texts(other):
                    seen_elsewhere |= {w.lower() for w in words(t)}
            counts = Counter(terms)
            dup = sorted({w for w in terms if w in seen_elsewhere or counts[w] > 1})
            if dup:
                ctx.add(fld, None, match=", ".join(dup[:12]), actual=len(dup))
            continue
        if k == "brand_in_field":
            b = lst.brand.strip()
            if b and any(_phrx(b).search(t) for _, t in lst.texts(fld)):
                ctx.add(fld, None, match=b)
            continue
        for item, text in lst.texts(fld):
            _apply_text(ctx, fld, item, text)


def _apply_text(ctx: _Ctx, fld: str, item: int | None, text: str) -> None:
    rule, p, k = ctx.rule, ctx.rule.params, ctx.rule.kind
    if k == "max_chars":
        if len(text) > p["limit"]:
            ctx.add(fld, item, actual=len(text))
    elif k == "min_chars":
        if len(text.strip()) < p["limit"]:
            ctx.add(fld, item, actual=len(text.strip()))
    elif k == "min_words":
        n = len(words(text))
        if n < p["limit"]:
            ctx.add(fld, item, actual=n)
    elif k == "max_bytes":
        n = len(text.encode("utf-8"))
        if n > p["limit"]:
            ctx.add(fld, item, actual=n)
    elif k == "phrases":
        found: list[str] = []
        for phrase in p.get("phrases", []):
            m = _phrx(phrase).search(text)
            if m and m.group(0).lower() not in {f.lower() for f in found}:
                # skip a shorter phrase already covered by a longer match ("best seller" vs "seller")
                if any(m.group(0).lower() in f.lower() for f in found):
                    continue
                found.append(m.group(0))
        for f in found:
            ctx.add(fld, item, match=f)
    elif k == "chars":
        brand = ctx.listing.brand
        for ch in p.get("chars", []):
            if ch in text and not (brand and ch in brand and text.count(ch) == brand.count(ch) * text.count(brand)):
                ctx.add(fld, item, match=ch)
    elif k == "regex":
        for name, pattern in p.get("patterns", {}).items():
            seen = set()
            for m in _rx(pattern).finditer(text):
                if m.group(0) not in seen:
                    seen.add(m.group(0))
                    ctx.add(fld, item, match=m.group(0), kind=name)
    elif k == "word_repeat":
        exempt = {w.lower() for w in p.get("exempt", [])}
        counts = Counter(w.lower() for w in words(text) if w.lower() not in exempt)
        for w, n in counts.items():
            if n > p["max"]:
                ctx.add(fld, item, match=w, actual=n, limit=p["max"])
    elif k == "all_caps":
        allow = {w.upper() for w in p.get("allow", [])}
        brand_words = _brand_words(ctx.listing.brand)
        caps: list[str] = []
        for w in words(text):
            if len(w) >= p.get("min_len", 3) and w.isupper() and w.upper() not in allow and w.lower() not in brand_words and w not in caps:
                caps.append(w)
        if caps:
            ctx.add(fld, item, match=", ".join(caps[:8]), actual=len(caps))
    elif k == "trademarks":
        brand = ctx.listing.brand.lower()
        prefixes = [x.lower() for x in p.get("compat_prefixes", [])]
        for mark in p.get("marks", []):
            if mark.lower() in brand:
                continue
            # marks are matched as written (Title Case in titles and bullets); search terms are
            # lower-case by custom, so there the match ignores case
            rx = _rx(("(?i)" if fld == "search_terms" else "") + r"(?<![\w])" + re.escape(mark) + r"(?![\w])")
            for m in rx.finditer(text):
                before = text[: m.start()].lower().rstrip()
                compat = any(before.endswith(px) for px in prefixes)
                if compat:
                    sev = p.get("compat_severity", "warning")
                    sub = _Ctx(ctx.listing, ctx.mp, _with_severity(rule, sev), ctx.out)
                    sub.add(fld, item, match=m.group(0))
                else:
                    ctx.add(fld, item, match=m.group(0))
                break
    elif k == "cjk" and ctx.mp.language not in p.get("unless_language", []):
        m = _CJK.search(text)
        if m:
            ctx.add(fld, item, match=m.group(0)[:12])


def _with_severity(rule: Rule, severity: str) -> Rule:
    from dataclasses import replace

    return replace(rule, severity=severity)


def check(listing: Listing, mp: Marketplace, on: date | None = None) -> CheckResult:
    """Check ``listing`` against the rules of ``mp`` in force on ``on`` (default: today)."""
    on = on or date.today()
    findings: list[Finding] = []
    rules = mp.active_rules(on)
    for rule in rules:
        _apply(_Ctx(listing, mp, rule, findings))
    order = {"error": 0, "warning": 1, "info": 2}
    fields_order = {"title": 0, "bullets": 1, "description": 2, "search_terms": 3, "tags": 4, "images": 5, "brand": 6}
    findings.sort(key=lambda f: (order[f.severity], fields_order.get(f.field, 9), f.item or 0, f.rule))
    return CheckResult(marketplace=mp.id, checked_on=on, score=score(findings), findings=tuple(findings), rules_applied=len(rules))

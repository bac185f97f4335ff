"""SEO keywords from competitor titles and search terms, listing coverage, proposed title/bullets.

Method (transparent, no proprietary curve):

* tokens: lower-cased words and numbers (``6.1``, ``10x``); phrases are 1- to 3-word n-grams
  that neither start nor end with a stop word and contain no excluded word (brand names: yours,
  known trademarks, and any the caller passes);
* each source text (a competitor title or a customer search term) has a *demand* (search volume
  or monthly unit sales when known, else 0) and counts once per phrase it contains;
* ``weight(text) = 1 + ln(1 + demand)``; ``score(phrase) = n_bonus x sum of weights`` over texts
  containing it, with ``n_bonus`` 1 / 1.5 / 2 for 1- / 2- / 3-word phrases (longer phrases are
  more specific, so a buyer who types them is closer to buying);
* ``frequency`` is the number of texts containing the phrase; phrases seen in fewer than
  ``min_frequency`` texts are dropped unless they come from a search term with demand.

Coverage: a keyword is covered when all its words appear in the listing field (title first,
then bullets, description, search terms); the coverage ratio weights keywords by score.

>>> kws = extract_keywords([Source("silicone phone case", demand=Decimal(900), kind="search_term"),
...                         Source("Acme Silicone Phone Case for iPhone 15, Shockproof"),
...                         Source("Zeta Slim Silicone Phone Case with Card Holder")], exclude={"acme", "zeta"})
>>> [k.phrase for k in kws[:3]]
['silicone phone case', 'phone case', 'silicone phone']
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from xborder.money import quantize

STOP = frozenset(
    ["a", "an", "the", "and", "or", "for", "of", "in", "on", "at", "to", "by", "with", "from", "as", "is", "are", "be", "this", "that", "these", "those", "your", "you", "our", "it", "its", "into", "over", "under", "per", "pcs", "pc", "set", "new"]
)
_TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)?[a-z]*|[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)
N_BONUS = {1: Decimal(1), 2: Decimal("1.5"), 3: Decimal(2)}


@dataclass(frozen=True)
class Source:
    text: str
    demand: Decimal = Decimal(0)
    kind: str = "title"  # title | search_term


@dataclass(frozen=True)
class Keyword:
    phrase: str
    score: Decimal
    frequency: int
    demand: Decimal
    n: int

    def to_dict(self) -> dict:
        return {"phrase": self.phrase, "score": str(self.score), "frequency": self.frequency,
                "demand": str(self.demand), "words": self.n}


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text.lower())]


def _weight(demand: Decimal) -> Decimal:
    return Decimal(1) + (Decimal(1) + max(demand, Decimal(0))).ln()


def extract_keywords(sources: Iterable[Source], *, exclude: Iterable[str] = (), max_n: int = 3,
                     min_frequency: int = 2, limit: int = 50) -> list[Keyword]:
    excl = {e.lower() for e in exclude}
    score: dict[str, Decimal] = defaultdict(Decimal)
    freq: dict[str, int] = defaultdict(int)
    demand: dict[str, Decimal] = defaultdict(Decimal)
    has_demand: set[str] = set()
    for src in sources:
        toks = tokens(src.text)
        w = _weight(src.demand)
        seen: set[str] = set()
        for n in range(1, max_n + 1):
            for i in range(len(toks) - n + 1):
                gram = toks[i : i + n]
                if gram[0] in STOP or gram[-1] in STOP or any(g in excl for g in gram):
                    continue
                if n == 1 and (len(gram[0]) < 2 or gram[0].replace(".", "").isdigit()):
                    continue
                phrase = " ".join(gram)
                if phrase in seen:
                    continue
                seen.add(phrase)
                score[phrase] += w * N_BONUS.get(n, Decimal(2))
                freq[phrase] += 1
                demand[phrase] += src.demand
                if src.kind == "search_term" and src.demand > 0:
                    has_demand.add(phrase)
    out = [
        Keyword(phrase=p, score=quantize(s, 2), frequency=freq[p], demand=demand[p], n=len(p.split()))
        for p, s in score.items()
        if freq[p] >= min_frequency or p in has_demand
    ]
    out.sort(key=lambda k: (-k.score, -k.n, k.phrase))
    return out[:limit]


@dataclass(frozen=True)
class CoverageItem:
    keyword: Keyword
    covered_in: str | None  # title | bullets | description | search_terms | None


@dataclass(frozen=True)
class Coverage:
    items: tuple[CoverageItem, ...]
    ratio: Decimal  # score-weighted share covered, 0..1

    @property
    def missing(self) -> list[Keyword]:
        return [i.keyword for i in self.items if i.covered_in is None]

    def to_dict(self) -> dict:
        return {"ratio": str(self.ratio), "covered": [{"phrase": i.keyword.phrase, "in": i.covered_in, "score": str(i.keyword.score)}
                                                      for i in self.items if i.covered_in],
                "missing": [k.to_dict() for k in self.missing]}


def coverage(fields: dict[str, str | list[str] | tuple[str, ...]], keywords: list[Keyword]) -> Coverage:
    """Which keywords the listing covers, searching title, bullets, description, search terms in order.

    >>> kw = [Keyword("phone case", Decimal(3), 2, Decimal(0), 2), Keyword("card holder", Decimal(1), 1, Decimal(0), 2)]
    >>> c = coverage({"title": "Slim Phone Case"}, kw)
    >>> c.ratio, [k.phrase for k in c.missing]
    (Decimal('0.75'), ['card holder'])
    """
    sets: list[tuple[str, set[str]]] = []
    for name in ("title", "bullets", "description", "search_terms"):
        v = fields.get(name) or ""
        text = " ".join(v) if isinstance(v, (list, tuple)) else str(v)
        sets.append((name, set(tokens(text))))
    items = []
    total = covered = Decimal(0)
    for k in keywords:
        words = set(k.phrase.split())
        where = next((name for name, toks in sets if words <= toks), None)
        items.append(CoverageItem(k, where))
        total += k.score
        if where:
            covered += k.score
    ratio = quantize(covered / total, 2) if total else Decimal(0)
    return Coverage(tuple(items), ratio)


ACRONYMS = frozenset(["usb", "led", "lcd", "hdmi", "uv", "bpa", "rgb", "gps", "pvc", "abs", "tpu", "nfc", "hd", "diy", "ac", "dc", "tv", "pc", "ipx", "anc", "tws", "otg"])


def _titlecase(phrase: str) -> str:
    small = {"a", "an", "the", "and", "or", "for", "of", "in", "on", "with", "to", "by"}
    out = []
    for i, w in enumerate(phrase.split()):
        if w in ACRONYMS:
            out.append(w.upper())
        elif (i and w in small) or any(c.isdigit() for c in w):
            out.append(w)
        else:
            out.append(w[:1].upper() + w[1:])
    return " ".join(out)


def relevant(keywords: list[Keyword], sources: Iterable[Source], listing_text: str, exclude: Iterable[str] = ()) -> list[Keyword]:
    """Keep the keywords that co-occur with the listing's own words: a keyword is relevant when
    some source text containing it shares a (non-stop, non-brand) word with the listing. A
    keyword set that mixes several products then only proposes this product's phrases.
    With an empty listing every keyword is kept.

    >>> kws = [Keyword("juice groove", Decimal(3), 1, Decimal(0), 2), Keyword("phone case", Decimal(5), 1, Decimal(0), 2)]
    >>> srcs = [Source("bamboo cutting board with juice groove"), Source("silicone phone case")]
    >>> [k.phrase for k in relevant(kws, srcs, "Acme Bamboo Board")]
    ['juice groove']
    """
    excl = {e.lower() for e in exclude}
    own = {t for t in tokens(listing_text) if t not in STOP and t not in excl and len(t) > 1}
    if not own:
        return list(keywords)
    ok: set[str] = set()
    wanted = {k.phrase for k in keywords}
    for src in sources:
        toks = tokens(src.text)
        if not own & set(toks):
            continue
        joined = " " + " ".join(toks) + " "
        for p in wanted:
            if f" {p} " in joined:
                ok.add(p)
    return [k for k in keywords if k.phrase in ok]


def propose_title(brand: str, current: str, keywords: list[Keyword], max_chars: int, max_repeat: int = 2) -> str:
    """Brand + current title's core + highest-scoring missing phrases, within ``max_chars``
    and without any word more than ``max_repeat`` times.

    >>> kw = [Keyword("silicone phone case", Decimal(9), 3, Decimal(0), 3), Keyword("card holder", Decimal(4), 2, Decimal(0), 2)]
    >>> propose_title("Acme", "Acme Phone Case", kw, 60)
    'Acme Phone Case, Silicone Phone Case, Card Holder'
    """
    base = current.strip() or brand.strip()
    if brand and not base.lower().startswith(brand.lower()):
        base = f"{brand} {base}".strip()
    title = base
    for k in keywords:
        have = tokens(title)
        if set(k.phrase.split()) <= set(have):
            continue
        counts = {w: have.count(w) for w in k.phrase.split()}
        if any(counts[w] + 1 > max_repeat for w in counts if w not in STOP):
            continue
        candidate = f"{title}, {_titlecase(k.phrase)}"
        if len(candidate) <= max_chars:
            title = candidate
    return title


def propose_bullets(bullets: list[str], keywords: list[Keyword], title: str, max_chars: int, max_count: int = 5) -> list[str]:
    """Lead each bullet with a missing keyword as a short title-cased header ("Card Holder: …"),
    keeping every bullet within ``max_chars``; missing keywords beyond the bullets are left out.

    >>> propose_bullets(["Holds 3 cards and cash."], [Keyword("card holder", Decimal(4), 2, Decimal(0), 2)], "Acme Case", 255)
    ['Card Holder: Holds 3 cards and cash.']
    """
    present = set(tokens(title))
    for b in bullets:
        present |= set(tokens(b))
    missing = [k for k in keywords if not set(k.phrase.split()) <= present and k.n >= 2]
    out = []
    for b in bullets[:max_count]:
        text = b.strip()
        if missing and ":" not in text[:40]:
            # pick the missing keyword sharing most words with this bullet
            btoks = set(tokens(text))
            best = max(missing, key=lambda k: (len(set(k.phrase.split()) & btoks), k.score))
            cand = f"{_titlecase(best.phrase)}: {text}"
            if len(cand) <= max_chars:
                text = cand
                missing.remove(best)
        out.append(text[:max_chars])
    return out


def propose_search_terms(keywords: list[Keyword], listing_text: str, max_bytes: int) -> str:
    """Words from the keywords not already in the listing, highest score first, within ``max_bytes``.

    >>> propose_search_terms([Keyword("shockproof bumper", Decimal(2), 2, Decimal(0), 2)], "Acme Phone Case", 249)
    'shockproof bumper'
    """
    have = set(tokens(listing_text))
    words: list[str] = []
    for k in keywords:
        for w in k.phrase.split():
            if (w not in have and w not in words and w not in STOP
                    and len(" ".join([*words, w]).encode("utf-8")) <= max_bytes):
                words.append(w)
    return " ".join(words)


def weight_of(demand: Decimal) -> Decimal:
    """The per-text weight ``1 + ln(1 + demand)`` (exposed for docs/tests).

    >>> weight_of(Decimal(0))
    Decimal('1')
    """
    return _weight(demand)

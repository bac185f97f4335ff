"""Marketplace research exports (search results / category snapshots) and their metrics.

A research export lists the competing listings of one search or category: title, price,
rating, review count, rank, seller count, category, marketplace (plus, when the tool gives
them, brand, estimated monthly sales and launch date). Tools name the columns differently,
so a **mapping** (field → column header) is applied; **presets** hold the mappings of common
tools, and a user mapping overrides any field:

* ``generic`` — our own template (the field names as headers);
* ``helium10-xray`` — Helium 10 Xray CSV: ``Product Details, ASIN, Brand, Price  $, Sales,
  Revenue, BSR, Review Count, Ratings, Category, Creation Date`` (the price header carries the
  currency symbol; numbers use thousands separators; ``N/A`` for unknown). Source: public
  analysers of real exports, ``Brundesh/helium10`` README and CSV_COMPATIBILITY_REPORT.md
  (read 2026-11);
* ``jungle-scout`` — Jungle Scout product database export (``Product Name, ASIN, Brand,
  Price, Est. Monthly Sales, Est. Monthly Revenue, Reviews, Rating, Rank, Sellers, Category,
  Date First Available``) [K: header names from the tool's UI; check against your file].

Validation is whole-file: every bad cell is reported (line, column, reason) and nothing is
returned for storage when any row is bad.

Metrics per niche (category × marketplace), after research/marketplaces.md §3:

* **concentration**: top-10 share of estimated revenue (or of reviews when there are no
  sales estimates) and brand HHI (> 0.25 highly concentrated); **monopoly ratio** = top-10
  average sales ÷ sample average (≥ 5 suggests a monopoly, SellerSprite);
* **review barrier**: median review count of the top 10 by rank, with the share of the
  top 10 under 100 reviews (Helium 10's "Success Score" counts top-10 listings above a
  review threshold);
* **new entrants**: share of listings launched in the last 180 days, by count and by sales
  (SellerSprite "new-product share", 6 months);
* **homogeneity**: share of listing pairs whose titles are near-duplicates (Jaccard
  similarity of word sets ≥ 0.6) — homogeneous products compete on price.

>>> title_similarity("Wooden Heart Hanging Decoration Red", "Red Wooden Heart Hanging Decoration")
1.0
>>> round(title_similarity("LED night light", "LED strip light kit"), 3)
0.4
>>> hhi([50, 50])
0.5
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from xborder.errors import ImportRejected, ValidationError

FIELDS = (
    "title",
    "price",
    "rating",
    "review_count",
    "rank",
    "seller_count",
    "category",
    "marketplace",
    "brand",
    "asin",
    "est_sales",
    "launch_date",
)
REQUIRED = ("title", "price")

PRESETS: dict[str, dict[str, tuple[str, ...]]] = {
    "generic": {f: (f,) for f in FIELDS},
    "helium10-xray": {
        "title": ("Product Details", "Title"),
        "asin": ("ASIN",),
        "brand": ("Brand",),
        "price": ("Price*",),  # "Price  $", "Price  €", "Price  ₹"
        "est_sales": ("Sales", "ASIN Sales"),
        "rank": ("BSR",),
        "review_count": ("Review Count", "Reviews"),
        "rating": ("Ratings", "Review Rating", "Rating"),
        "seller_count": ("Active Sellers #", "Sellers", "Seller Count"),
        "category": ("Category",),
        "launch_date": ("Creation Date",),
        "marketplace": ("Marketplace",),
    },
    "jungle-scout": {
        "title": ("Product Name",),
        "asin": ("ASIN",),
        "brand": ("Brand",),
        "price": ("Price",),
        "est_sales": ("Est. Monthly Sales", "Monthly Sales"),
        "rank": ("Rank", "BSR"),
        "review_count": ("Reviews",),
        "rating": ("Rating",),
        "seller_count": ("Sellers", "# of Sellers"),
        "category": ("Category",),
        "launch_date": ("Date First Available",),
        "marketplace": ("Marketplace",),
    },
}

EMPTY = {"", "n/a", "na", "-", "--", "null", "none"}
NUM_RE = re.compile(r"[^\d.\-]")


@dataclass(frozen=True)
class Listing:
    line: int
    title: str
    price: Decimal
    rating: Decimal | None = None
    review_count: int | None = None
    rank: int | None = None
    seller_count: int | None = None
    category: str = ""
    marketplace: str = ""
    brand: str = ""
    asin: str = ""
    est_sales: int | None = None
    launch_date: date | None = None

    @property
    def key(self) -> str:
        """Natural key inside one snapshot: ASIN when known, else the normalised title."""
        return self.asin.upper() if self.asin else " ".join(self.title.lower().split())


def resolve_mapping(headers: Sequence[str], preset: str, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """field → actual header. ``Price*`` in a preset matches any header starting with Price."""
    if preset not in PRESETS:
        raise ValidationError(f"preset: unknown preset {preset!r} (known: {', '.join(PRESETS)})", field="preset")
    clean = {h.strip(): h for h in headers}
    out: dict[str, str] = {}
    for f, candidates in PRESETS[preset].items():
        for c in candidates:
            if c.endswith("*"):
                hit = next((h for k, h in clean.items() if k.lower().startswith(c[:-1].lower())), None)
            else:
                hit = next((h for k, h in clean.items() if k.lower() == c.lower()), None)
            if hit is not None:
                out[f] = hit
                break
    for f, h in (overrides or {}).items():
        if f not in FIELDS:
            raise ValidationError(f"map: unknown field {f!r} (fields: {', '.join(FIELDS)})", field="map")
        if h not in headers and h.strip() not in clean:
            raise ValidationError(f"map: the file has no column {h!r} for {f}", field="map")
        out[f] = clean.get(h.strip(), h)
    missing = [f for f in REQUIRED if f not in out]
    if missing:
        raise ValidationError(
            f"map: no column found for {', '.join(missing)} with preset {preset}; give --map field=Header",
            field="map",
        )
    return out


def _num(raw: str) -> Decimal:
    s = NUM_RE.sub("", raw.replace(",", ""))
    if s in ("", "-", ".") or s.count(".") > 1:
        raise InvalidOperation
    return Decimal(s)


def _date(raw: str) -> date:
    s = raw.strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%Y/%m/%d", "%b %d, %Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(s[:20], fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(s).date()
    except ValueError:
        raise ValueError(s) from None


def parse_rows(
    rows: Sequence[dict[str, str]],
    mapping: dict[str, str],
    *,
    marketplace: str = "",
    first_line: int = 2,
    lines: Sequence[int] | None = None,
) -> list[Listing]:
    """Validate every row; raise ImportRejected with all bad cells, else return listings."""
    errors: list[dict[str, Any]] = []
    out: list[Listing] = []
    for i, row in enumerate(rows):
        line = lines[i] if lines is not None else first_line + i
        vals: dict[str, Any] = {}
        bad = False

        def cell(f: str, row: dict[str, str] = row) -> str | None:
            h = mapping.get(f)
            if h is None:
                return None
            v = row.get(h)
            if v is None:
                return None
            v = str(v).strip()
            return None if v.lower() in EMPTY else v

        for f in FIELDS:
            raw = cell(f)
            col = mapping.get(f, f)
            if raw is None:
                if f in REQUIRED:
                    errors.append({"line": line, "column": col, "message": f"{f}: missing"})
                    bad = True
                continue
            try:
                if f == "price":
                    v = _num(raw)
                    if v <= 0:
                        raise ValueError("must be positive")
                    vals[f] = v
                elif f == "rating":
                    v = _num(raw)
                    if not 0 <= v <= 5:
                        raise ValueError("must be between 0 and 5")
                    vals[f] = v
                elif f in ("review_count", "rank", "seller_count", "est_sales"):
                    v = _num(raw)
                    if v < 0 or v != v.to_integral_value():
                        raise ValueError("must be a whole number ≥ 0")
                    vals[f] = int(v)
                elif f == "launch_date":
                    vals[f] = _date(raw)
                else:
                    vals[f] = raw
            except (InvalidOperation, ValueError) as exc:
                reason = str(exc) if str(exc) and str(exc) != raw.strip() else f"{raw!r} is not a valid {f}"
                errors.append({"line": line, "column": col, "message": f"{f}: {reason}"})
                bad = True
        if not bad:
            vals.setdefault("marketplace", marketplace)
            out.append(Listing(line=line, **vals))
    if errors:
        raise ImportRejected(f"research file rejected: {len(errors)} bad cell(s); nothing was imported", errors)
    return out


def _words(title: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[\w]+", title.lower()) if len(w) > 1 or w.isdigit())


def title_similarity(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def hhi(values: Sequence[float | int | Decimal]) -> float:
    total = float(sum(float(v) for v in values))
    if total <= 0:
        return 0.0
    return round(sum((float(v) / total) ** 2 for v in values), 4)


def niche_metrics(listings: Sequence[Listing], *, today: date, similar: float = 0.6) -> dict[str, Any]:
    """Metrics of one niche (module docstring). Ratios as floats rounded to 4 places."""
    n = len(listings)
    if n == 0:
        return {"listings": 0}
    by_rank = sorted(listings, key=lambda ln: (ln.rank if ln.rank is not None else 10**9, ln.line))
    top = by_rank[:10]
    sales = [ln.est_sales for ln in listings if ln.est_sales is not None]
    weight_name = "est_revenue" if sales else "reviews"

    def weight(ln: Listing) -> float:
        if sales:
            return float((ln.est_sales or 0) * ln.price)
        return float(ln.review_count or 0)

    total_w = sum(weight(ln) for ln in listings)
    top_by_w = sorted(listings, key=weight, reverse=True)[:10]
    top10_share = round(sum(weight(ln) for ln in top_by_w) / total_w, 4) if total_w else None
    brands: dict[str, float] = {}
    for ln in listings:
        brands[ln.brand or "(none)"] = brands.get(ln.brand or "(none)", 0.0) + weight(ln)
    top_reviews = [ln.review_count for ln in top if ln.review_count is not None]
    new_cut = today - timedelta(days=180)
    dated = [ln for ln in listings if ln.launch_date is not None]
    new = [ln for ln in dated if ln.launch_date is not None and ln.launch_date >= new_cut]
    pairs = similar_pairs = 0
    titles = [ln.title for ln in listings[:400]]  # bounded O(n²)
    for i in range(len(titles)):
        for j in range(i + 1, len(titles)):
            pairs += 1
            if title_similarity(titles[i], titles[j]) >= similar:
                similar_pairs += 1
    prices = sorted(ln.price for ln in listings)
    mean_sales = (sum(sales) / len(sales)) if sales else None
    top_sales = [ln.est_sales for ln in top_by_w if ln.est_sales is not None]
    ratings = [ln.rating for ln in listings if ln.rating is not None]
    sellers = [ln.seller_count for ln in listings if ln.seller_count is not None]
    return {
        "listings": n,
        "price_median": format(statistics.median(prices), "f"),
        "price_p25": format(prices[max(0, (n - 1) // 4)], "f"),
        "price_p75": format(prices[min(n - 1, (3 * (n - 1)) // 4)], "f"),
        "concentration_basis": weight_name,
        "top10_share": top10_share,
        "brand_hhi": hhi(list(brands.values())),
        "monopoly_ratio": round((sum(top_sales) / len(top_sales)) / mean_sales, 4) if top_sales and mean_sales else None,
        "review_barrier": statistics.median(top_reviews) if top_reviews else None,
        "top10_under_100_reviews": round(sum(1 for r in top_reviews if r < 100) / len(top_reviews), 4) if top_reviews else None,
        "new_entrant_share": round(len(new) / len(dated), 4) if dated else None,
        "new_entrant_sales_share": (
            round(sum(ln.est_sales or 0 for ln in new) / sum(ln.est_sales or 0 for ln in dated), 4)
            if dated and sum(ln.est_sales or 0 for ln in dated)
            else None
        ),
        "homogeneity": round(similar_pairs / pairs, 4) if pairs else 0.0,
        "avg_rating": format(sum(ratings) / len(ratings), ".2f") if ratings else None,
        "avg_sellers": round(sum(sellers) / len(sellers), 2) if sellers else None,
    }


def competition_score(m: dict[str, Any]) -> float | None:
    """0–100, higher = easier to enter: low concentration, low review barrier, new entrants
    succeed, products not all alike.

    >>> competition_score({"top10_share": 0.5, "review_barrier": 200, "new_entrant_share": 0.2, "homogeneity": 0.1})
    65.0
    """
    parts = []
    if m.get("top10_share") is not None:
        parts.append(100 * (1 - m["top10_share"]))
    if m.get("review_barrier") is not None:
        parts.append(max(0.0, 100 - float(m["review_barrier"]) / 10))  # 1,000 reviews → 0
    if m.get("new_entrant_share") is not None:
        parts.append(min(100.0, 200 * m["new_entrant_share"]))  # 50 % new → 100
    if m.get("homogeneity") is not None:
        parts.append(100 * (1 - m["homogeneity"]))
    return round(sum(parts) / len(parts), 4) if parts else None

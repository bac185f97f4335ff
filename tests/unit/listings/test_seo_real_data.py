"""SEO extraction on real product titles: the UCI Online Retail descriptions (a UK gift
retailer, 2010-2011; ../shared/data/ecommerce) weighted by units sold, as a stand-in for
competitor titles with demand. Reads the first 40,000 rows only (about a second)."""

import csv
from collections import defaultdict
from decimal import Decimal
from itertools import islice

from xborder.listings.seo import Source, coverage, extract_keywords, propose_title


def test_keywords_from_uci_descriptions(shared_data):
    path = shared_data / "ecommerce" / "uci_online_retail" / "online_retail.csv"
    units: dict[str, Decimal] = defaultdict(Decimal)
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        for row in islice(csv.DictReader(fh), 40_000):
            q = Decimal(row["Quantity"])
            if q > 0 and row["Description"].strip():
                units[row["Description"].strip()] += q
    sources = [Source(text=d, demand=u) for d, u in units.items()]
    assert len(sources) > 1500
    kws = extract_keywords(sources, limit=40)
    phrases = [k.phrase for k in kws]
    # phrases that recur across many gift-shop product names and sell in volume
    assert {"heart", "bag", "christmas"} & set(phrases[:15])
    assert any(k.n >= 2 for k in kws[:20])
    # multi-word product types surface as phrases (trigram bonus), e.g. "hot water bottle", "t-light holder"
    assert {"hot water bottle", "t-light holder"} <= set(phrases)
    assert next(k for k in kws if k.phrase == "hot water bottle").frequency >= 10
    # a listing that covers none of the top phrases scores 0 coverage; the proposal adds them within 80 chars
    cov = coverage({"title": "Acme Ceramic Mug"}, kws[:10])
    assert cov.ratio < Decimal("0.2")
    t = propose_title("Acme", "Acme Ceramic Mug", kws[:10], 80)
    assert len(t) <= 80 and t != "Acme Ceramic Mug"

from decimal import Decimal

from xborder.listings.checker import Listing, check
from xborder.listings.rulebook import marketplace
from xborder.listings.seo import (
    Keyword,
    Source,
    coverage,
    extract_keywords,
    propose_bullets,
    propose_search_terms,
    propose_title,
    tokens,
    weight_of,
)

COMPETITORS = [
    Source("Zeta Silicone Phone Case for iPhone 15 Shockproof Slim Cover", Decimal(1200)),
    Source("Omni Shockproof Phone Case with Card Holder, Silicone", Decimal(300)),
    Source("Lumo Slim Silicone Phone Case Magnetic", Decimal(0)),
    Source("silicone phone case", Decimal(50000), "search_term"),
    Source("phone case with card holder", Decimal(8000), "search_term"),
    Source("magsafe case", Decimal(20000), "search_term"),
]


def test_weight_is_one_plus_ln_demand():
    assert weight_of(Decimal(0)) == 1
    assert abs(weight_of(Decimal("1.718281828459045")) - 2) < Decimal("1e-9")


def test_extraction_ranks_demand_and_frequency_and_drops_brands():
    kws = extract_keywords(COMPETITORS, exclude={"zeta", "omni", "lumo", "iphone"})
    phrases = [k.phrase for k in kws]
    assert phrases[0] == "phone case"  # in 5 of 6 texts, two of them high-demand search terms
    assert "silicone phone case" in phrases[:3]
    assert "card holder" in phrases and "magsafe case" in phrases  # single search term with demand kept
    assert not any("zeta" in p or "iphone" in p for p in phrases)
    top = next(k for k in kws if k.phrase == "silicone phone case")
    # score = 2 (trigram bonus) x sum of weights of the four texts containing it
    expect = 2 * sum(weight_of(s.demand) for s in COMPETITORS if "silicone phone case" in " ".join(tokens(s.text)))
    assert abs(top.score - expect) <= Decimal("0.01")
    assert top.frequency == 3 and top.demand == Decimal(51200)


def test_min_frequency_filters_one_off_phrases_from_titles():
    kws = extract_keywords([Source("Unique Gadget Thing")], min_frequency=2)
    assert kws == []


def test_coverage_by_field():
    kws = extract_keywords(COMPETITORS, exclude={"zeta", "omni", "lumo", "iphone"})
    cov = coverage({"title": "Acme Silicone Phone Case", "bullets": ["Holds a card: card holder on the back"]}, kws)
    where = {i.keyword.phrase: i.covered_in for i in cov.items}
    assert where["silicone phone case"] == "title"
    assert where["card holder"] == "bullets"
    assert where["magsafe case"] is None
    assert Decimal(0) < cov.ratio < Decimal(1)


def test_proposed_title_fits_limit_and_passes_checker():
    kws = extract_keywords(COMPETITORS, exclude={"zeta", "omni", "lumo", "iphone"})
    for mp_id, limit in (("amazon-us", 200), ("ebay-us", 80)):
        t = propose_title("Acme", "Phone Case", kws, limit)
        assert t.startswith("Acme") and len(t) <= limit
        res = check(Listing(title=t, brand="Acme", bullets=("a", "b", "c")), marketplace(mp_id))
        assert not [f for f in res.findings if f.severity == "error" and f.field == "title"], (t, res.findings)


def test_proposed_bullets_stay_within_length():
    kws = [Keyword("card holder", Decimal(5), 2, Decimal(0), 2), Keyword("magnetic mount", Decimal(4), 2, Decimal(0), 2)]
    out = propose_bullets(["Holds 3 cards.", "x" * 250], kws, "Acme Case", 255)
    assert out[0] == "Card Holder: Holds 3 cards."
    assert all(len(b) <= 255 for b in out)


def test_proposed_search_terms_within_bytes():
    kws = [Keyword(f"word{i} thing{i}", Decimal(1), 1, Decimal(0), 2) for i in range(60)]
    st = propose_search_terms(kws, "Acme Case", 249)
    assert len(st.encode()) <= 249 and "acme" not in st

from decimal import Decimal as D

import pytest

from xborder.customs.rates import RateNotComputable, compute_duty, parse_rate


@pytest.mark.parametrize(
    "text,kind,av,spec",
    [
        ("Free", "free", D(0), []),
        ("0.0%", "free", D(0), []),
        ("6.8%", "ad_valorem", D("0.068"), []),
        ("1¢/kg", "specific", None, [(D("0.01"), "USD", D(1), "kg")]),
        ("$1.646/kg", "specific", None, [(D("1.646"), "USD", D(1), "kg")]),
        ("0.9¢ each", "specific", None, [(D("0.009"), "USD", D(1), "item")]),
        ("2.8¢/doz.", "specific", None, [(D("0.028"), "USD", D(1), "doz")]),
        ("89.6¢/1000", "specific", None, [(D("0.896"), "USD", D(1000), "item")]),
        ("76¢/pr. + 32%", "compound", D("0.32"), [(D("0.76"), "USD", D(1), "pair")]),
        ("46.3¢/kg + 14.9%", "compound", D("0.149"), [(D("0.463"), "USD", D(1), "kg")]),
        ("34.00 GBP/100kg", "specific", None, [(D("34.00"), "GBP", D(100), "kg")]),
        ("41.20 EUR / 100 kg", "specific", None, [(D("41.20"), "EUR", D(100), "kg")]),
        ("0.20 GBP/ item", "specific", None, [(D("0.20"), "GBP", D(1), "item")]),
        ("52.00 EUR / 1,000 items", "specific", None, [(D("52.00"), "EUR", D(1000), "item")]),
        ("1,024.00 EUR / tonne", "specific", None, [(D("1024.00"), "EUR", D(1), "tonne")]),
        ("10.00% + 77.00 GBP/100kg", "compound", D("0.1"), [(D("77.00"), "GBP", D(100), "kg")]),
    ],
)
def test_parse(text, kind, av, spec):
    r = parse_rate(text)
    assert r.kind == kind
    assert r.ad_valorem == av
    assert [(s.amount, s.currency, s.per, s.unit) for s in r.specific] == spec


@pytest.mark.parametrize(
    "text",
    [
        "3.7¢/kg on drained weight",
        "44¢ each + 6% on the case + 14% on the strap, band or bracelet + 5.3% on the battery",
        "The rate applicable to each garment in the ensemble if separately entered",
        "9.00% +  EA MAX 18.70%  + ADSZ",
        "Entry Price",
        "4.50% MIN 0.30 EUR / item MAX 0.80 EUR / item",
        "15.00% (01 JAN-14 FEB, 16 JUN-31 DEC), 0.00% (15 FEB-15 JUN)",
        "",
    ],
)
def test_conditional_rates_are_complex_and_refused(text):
    r = parse_rate(text)
    assert r.kind == "complex"
    with pytest.raises(RateNotComputable):
        compute_duty(r, value=D(10), quantity=D(1), weight_kg=D(1))


def test_compute_compound_with_weight_and_fx():
    # 10% + 77 GBP/100 kg on EUR 200 of goods weighing 5 kg, 1 GBP = 1.15 EUR
    r = parse_rate("10.00% + 77.00 GBP/100kg")
    duty = compute_duty(r, value=D(200), quantity=D(1), weight_kg=D(5), fx={"EUR": D(1), "GBP": D("1.15")})
    assert duty == D(20) + D("3.85") * D("1.15")


def test_specific_per_dozen_and_pairs():
    assert compute_duty(parse_rate("2.8¢/doz."), value=D(1), quantity=D(24), weight_kg=None) == D("0.056")
    assert compute_duty(parse_rate("76¢/pr. + 32%"), value=D(100), quantity=D(2), weight_kg=None) == D("33.52")


def test_specific_needs_weight_or_unknown_quantity():
    with pytest.raises(RateNotComputable, match="weight_kg"):
        compute_duty(parse_rate("1¢/kg"), value=D(1), quantity=D(1), weight_kg=None)
    with pytest.raises(RateNotComputable, match="liter"):
        compute_duty(parse_rate("0.34¢/liter"), value=D(1), quantity=D(1), weight_kg=D(1))
    with pytest.raises(RateNotComputable, match="exchange rate"):
        compute_duty(parse_rate("34.00 GBP/100kg"), value=D(1), quantity=D(1), weight_kg=D(1), fx={"EUR": D(1)})

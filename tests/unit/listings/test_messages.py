import pytest

from xborder.errors import ValidationError
from xborder.listings import messages, replies

ORDER = {
    "buyer_name": "Anna Müller", "order_id": "302-1234567", "seller_name": "Acme Store", "marketplace": "amazon-de",
    "items": [{"title": "Bamboo Cutting Board", "qty": 2}], "order_total": {"amount": "39.9", "currency": "EUR"},
    "ship_date": "2026-11-20", "new_delivery_date": "2026-12-03", "carrier": "DHL", "tracking_number": "JD014600",
    "duties_amount": {"amount": "7.35", "currency": "EUR"}, "refund_amount": {"amount": "19.95", "currency": "EUR"},
    "return_deadline": "2026-12-20",
}


@pytest.mark.parametrize("situation", messages.situations())
@pytest.mark.parametrize("lang", messages.languages())
def test_every_template_renders_fully(situation, lang):
    m = messages.render(situation, lang, ORDER)
    assert "{" not in m.subject + m.body and "Anna Müller" in m.body and m.body.rstrip().endswith("Acme Store")
    assert messages.check_message(m.body, lang) == []


def test_amounts_and_dates_in_buyer_locale():
    de = messages.render("customs_dap", "de", ORDER)
    assert "7,35\xa0€" in de.body
    fr = messages.render("return_refund", "fr", ORDER)
    assert "20 décembre 2026" in fr.body and "19,95\xa0€" in fr.body
    ja = messages.render("shipping_delay", "ja", ORDER)
    assert "2026年12月3日" in ja.body
    us = messages.render("order_confirmation", "en", {**ORDER, "order_total": "39.90 USD"})
    assert "$39.90" in us.body and "2 x Bamboo Cutting Board" in us.body
    ch = messages.render("order_confirmation", "de", ORDER, locale="de_CH")
    assert "EUR" in ch.body or "€" in ch.body


def test_marketplace_name_and_jpy_without_decimals():
    m = messages.render("review_request", "ja", {**ORDER, "marketplace": "amazon-jp"})
    assert "Amazon.co.jp" in m.body
    m = messages.render("order_confirmation", "ja", {**ORDER, "order_total": {"amount": "4500", "currency": "JPY"}})
    assert "￥4,500" in m.body


def test_missing_order_data_is_named():
    with pytest.raises(ValidationError) as e:
        messages.render("shipping_delay", "en", {"buyer_name": "A", "order_id": "1", "seller_name": "S"})
    assert e.value.field in ("new_delivery_date", "carrier", "tracking_number")
    assert "new_delivery_date" in e.value.message


def test_customs_picks_ddp_or_dap_from_incoterm():
    assert messages.render("customs", "en", {**ORDER, "incoterm": "DDP"}).situation == "customs_ddp"
    assert messages.render("customs", "en", {**ORDER, "incoterm": "dap"}).situation == "customs_dap"
    with pytest.raises(ValidationError) as e:
        messages.render("customs", "en", ORDER)
    assert e.value.field == "incoterm"


def test_language_from_buyer_country():
    assert messages.language_for({"buyer_country": "AT"}) == "de"
    assert messages.language_for({"buyer_country": "US"}) == "en"


def test_float_amount_refused():
    with pytest.raises(ValidationError):
        messages.format_amount({"amount": 1.5, "currency": "EUR"}, "de_DE")


def test_message_policy_check():
    assert messages.check_message("Bitte geben Sie uns 5 Sterne, Sie erhalten einen Gutschein", "de") == ["positive_review", "incentive"]
    assert messages.check_message("See www.myshop.com", "en") == ["external_link"]


@pytest.mark.parametrize("text,lang,intent", [
    ("Where is my order? It has not arrived yet.", "en", "shipping_delay"),
    ("Wo ist meine Bestellung? Sie ist noch nicht angekommen.", "de", "shipping_delay"),
    ("Le colis est arrivé cassé, il est endommagé.", "fr", "delivery_exception"),
    ("Quiero devolver el producto y el reembolso, por favor.", "es", "return_refund"),
    ("Devo pagare la dogana per questo ordine?", "it", "customs"),
    ("商品がまだ届いていません。追跡番号を教えてください。", "ja", "shipping_delay"),
    ("Can you resolve my question about colours?", "en", "general"),
])
def test_language_and_intent(text, lang, intent):
    assert replies.detect_language(text) == lang
    assert replies.classify(text) == intent


def test_suggestion_uses_order_data_when_available():
    s = replies.suggest({"buyer_name": "Anna", "body": "Muss ich Zoll bezahlen?", "order_id": "302-1"},
                        seller_name="Acme", order={**ORDER, "incoterm": "DDP"})
    assert (s.intent, s.situation, s.language, s.missing) == ("customs", "customs_ddp", "de", [])
    assert "DDP" in s.body
    s = replies.suggest({"buyer_name": "Anna", "body": "Muss ich Zoll bezahlen?"}, seller_name="Acme")
    assert s.situation == "general_reply" and "incoterm" in s.missing

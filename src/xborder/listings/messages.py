"""Buyer messages in the buyer's language, filled from the order.

Templates (``data/messages.yaml``) cover order confirmation, shipping delay, customs charges
under DDP and under DAP, delivery exception, return and refund, a review request and a general
reply, in English, German, French, Spanish, Italian and Japanese. Every placeholder a template
uses is required: rendering names the missing order fields instead of sending a half-filled
message. Dates are formatted with Babel's long date format and amounts with
``format_currency`` in the buyer's locale (``de_DE``: ``39,90 €``; ``ja_JP``: ``￥4,500``).

Review requests follow Amazon's "Communication guidelines" and "Customer product reviews
policies" (read 2026-11): neutral wording, no request for a *positive* review, no incentive;
:func:`check_message` flags such wording in any message.

>>> m = render("shipping_delay", "de", {"buyer_name": "Anna Müller", "order_id": "302-1", "seller_name": "Acme",
...     "new_delivery_date": "2026-12-03", "carrier": "DHL", "tracking_number": "JD0123"})
>>> "3. Dezember 2026" in m.body
True
>>> format_amount({"amount": "39.9", "currency": "EUR"}, "de_DE")
'39,90\\xa0€'
>>> check_message("Please leave a 5-star review and get a coupon", "en")
['positive_review', 'incentive']
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from babel.dates import format_date
from babel.numbers import format_currency

from xborder.errors import ValidationError

_FMT = string.Formatter()
AMOUNT_KEYS = ("order_total", "duties_amount", "refund_amount")
DATE_KEYS = ("ship_date", "delivery_date", "new_delivery_date", "return_deadline")
COUNTRY_LANG = {"DE": "de", "AT": "de", "CH": "de", "LI": "de", "FR": "fr", "BE": "fr", "LU": "fr", "MC": "fr",
                "ES": "es", "MX": "es", "AR": "es", "CO": "es", "CL": "es", "IT": "it", "SM": "it", "JP": "ja"}


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Any]:
    return yaml.safe_load((resources.files("xborder.listings") / "data" / "messages.yaml").read_text(encoding="utf-8"))


def situations() -> list[str]:
    return list(catalogue()["situations"])


def languages() -> list[str]:
    return list(catalogue()["languages"])


@dataclass(frozen=True)
class RenderedMessage:
    situation: str
    language: str
    locale: str
    subject: str
    body: str

    def to_dict(self) -> dict[str, str]:
        return {"situation": self.situation, "language": self.language, "locale": self.locale,
                "subject": self.subject, "body": self.body}


def placeholders(situation: str, lang: str) -> list[str]:
    t = template(situation, lang)
    names: list[str] = []
    for part in (t["subject"], t["body"]):
        for _, n, _, _ in _FMT.parse(part):
            if n and n not in names:
                names.append(n)
    return names


def template(situation: str, lang: str) -> dict[str, str]:
    cat = catalogue()
    if situation not in cat["situations"]:
        raise ValidationError(f"template: unknown situation {situation!r}; known: {', '.join(situations())}", field="template")
    if lang not in cat["languages"]:
        raise ValidationError(f"lang: unsupported language {lang!r}; supported: {', '.join(languages())}", field="lang")
    return cat["situations"][situation][lang]


def language_for(order: dict[str, Any], default: str = "en") -> str:
    lang = str(order.get("language") or "").lower()[:2]
    if lang in languages():
        return lang
    country = str(order.get("buyer_country") or order.get("country") or "").upper()
    return COUNTRY_LANG.get(country, default)


def _money(value: Any, field: str) -> tuple[Decimal, str]:
    if isinstance(value, dict):
        amount, cur = value.get("amount"), value.get("currency")
    elif isinstance(value, str) and " " in value.strip():
        amount, cur = value.strip().split(None, 1)
    else:
        raise ValidationError(f"{field}: expected {{\"amount\": \"12.50\", \"currency\": \"EUR\"}} or '12.50 EUR'", field=field)
    if isinstance(amount, float):
        raise ValidationError(f"{field}: amount must be a decimal string, not a float", field=field)
    try:
        d = Decimal(str(amount).replace(",", "."))
    except InvalidOperation:
        raise ValidationError(f"{field}: {amount!r} is not a decimal amount", field=field) from None
    if not cur or len(str(cur)) != 3:
        raise ValidationError(f"{field}: missing ISO currency code", field=field)
    return d, str(cur).upper()


def format_amount(value: Any, locale: str, field: str = "amount") -> str:
    d, cur = _money(value, field)
    return format_currency(d, cur, locale=locale)


def format_day(value: Any, locale: str, field: str = "date") -> str:
    if isinstance(value, date):
        d = value
    else:
        try:
            d = date.fromisoformat(str(value)[:10])
        except ValueError:
            raise ValidationError(f"{field}: {value!r} is not an ISO date (YYYY-MM-DD)", field=field) from None
    return format_date(d, format="long", locale=locale)


def format_items(items: Any, lang: str) -> str:
    if isinstance(items, str):
        return items
    if not isinstance(items, list):
        raise ValidationError("items: expected a list of {title, qty}", field="items")
    parts = []
    for it in items:
        if isinstance(it, str):
            parts.append(it)
            continue
        title, qty = str(it.get("title") or it.get("sku") or ""), int(str(it.get("qty") or it.get("quantity") or 1))
        parts.append(f"{title} ×{qty}" if lang == "ja" else f"{qty} x {title}")
    return "、".join(parts) if lang == "ja" else ", ".join(parts)


def _marketplace_name(value: str) -> str:
    from xborder.listings.rulebook import catalogue as mps

    m = mps().get(value.lower()) if value else None
    return m.name.split(" (")[0] if m else value


def values(order: dict[str, Any], lang: str, locale: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in order.items():
        if v is None or v == "":
            continue
        if k in AMOUNT_KEYS:
            out[k] = format_amount(v, locale, k)
        elif k in DATE_KEYS:
            out[k] = format_day(v, locale, k)
        elif k == "items":
            out[k] = format_items(v, lang)
        elif k == "marketplace":
            out[k] = _marketplace_name(str(v))
        else:
            out[k] = str(v)
    return out


def missing_fields(situation: str, lang: str, order: dict[str, Any]) -> list[str]:
    return [n for n in placeholders(situation, lang) if order.get(n) in (None, "", [])]


def resolve_situation(situation: str, order: dict[str, Any]) -> str:
    """``customs`` picks ``customs_ddp`` or ``customs_dap`` from the order's incoterm."""
    if situation == "customs":
        inc = str(order.get("incoterm") or "").upper()
        if inc not in ("DDP", "DAP"):
            raise ValidationError("incoterm: customs messages need the order's incoterm (DDP or DAP)", field="incoterm")
        return f"customs_{inc.lower()}"
    return situation


def render(situation: str, lang: str | None, order: dict[str, Any], locale: str | None = None) -> RenderedMessage:
    if not isinstance(order, dict):
        raise ValidationError("order: expected a JSON object", field="order")
    situation = resolve_situation(situation, order)
    lang = lang or language_for(order)
    tpl = template(situation, lang)
    loc = locale or str(order.get("locale") or "") or catalogue()["default_locales"][lang]
    miss = missing_fields(situation, lang, order)
    if miss:
        raise ValidationError(f"{miss[0]}: the {situation} template needs {', '.join(miss)}", field=miss[0], missing=miss)
    vals = values(order, lang, loc)
    return RenderedMessage(situation, lang, loc, tpl["subject"].format_map(vals), tpl["body"].format_map(vals).strip())


# --- message compliance (Amazon communication guidelines / review policies) -------------------
_POSITIVE = [r"positive (?:review|feedback)", r"\b5[- ]?stars?\b", r"five[- ]stars?", r"5 sterne", r"fünf sterne", r"positive bewertung",
             r"5 étoiles", r"avis positif", r"5 estrellas", r"opinión positiva", r"5 stelle", r"recensione positiva", r"星5", r"★5", r"高評価"]
_INCENTIVE = [r"\bcoupon\b", r"\bdiscount\b", r"gift card", r"\bfree (?:gift|item|product)\b", r"refund (?:for|in exchange)", r"gutschein", r"rabatt",
              r"réduction", r"bon d'achat", r"descuento", r"cupón", r"sconto", r"buono", r"割引", r"クーポン", r"ギフト券"]
_LINK = [r"https?://(?!track)", r"www\."]


def check_message(text: str, lang: str = "en") -> list[str]:
    """Return the problems found: ``positive_review``, ``incentive``, ``external_link``."""
    t = text.lower()
    out = []
    if any(re.search(p, t) for p in _POSITIVE):
        out.append("positive_review")
    if any(re.search(p, t) for p in _INCENTIVE):
        out.append("incentive")
    if any(re.search(p, t) for p in _LINK):
        out.append("external_link")
    return out

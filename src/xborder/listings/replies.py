"""Suggested replies to buyer messages: detect the language and the intent, then fill the
matching template from :mod:`xborder.listings.messages`.

Language: Japanese when the text has kana; otherwise the language whose common words occur most
(en, de, fr, es, it), English on a tie. Intent: keyword lists per language; when several match,
the more specific wins (customs > return/refund > delivery exception > shipping delay). A
customs question is answered with the DDP or DAP template from the order's incoterm. When the
chosen template lacks order data (e.g. no tracking number), the general reply is used and the
missing fields are listed so the user can complete them.

>>> detect_language("Hallo, wo ist meine Bestellung? Ich habe sie noch nicht erhalten.")
'de'
>>> classify("Bonjour, je dois payer des frais de douane ?", "fr")
'customs'
>>> s = suggest({"buyer_name": "Jean", "body": "Je veux un remboursement", "order_id": "A1"}, seller_name="Acme")
>>> (s.intent, s.situation, s.language)
('return_refund', 'general_reply', 'fr')
>>> s.missing
['return_deadline', 'refund_amount']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from xborder.errors import ValidationError
from xborder.listings import messages

_STOP = {
    "en": ["the", "and", "is", "my", "you", "have", "not", "was", "where", "when", "order", "please", "thank", "thanks", "it", "to", "of", "i"],
    "de": ["der", "die", "das", "und", "ist", "ich", "nicht", "mein", "meine", "wo", "wann", "bitte", "danke", "bestellung", "habe", "noch", "ein", "eine", "sie"],
    "fr": ["le", "la", "les", "et", "est", "je", "ne", "pas", "mon", "ma", "où", "quand", "merci", "commande", "un", "une", "des", "vous", "colis"],
    "es": ["el", "la", "los", "las", "y", "es", "mi", "no", "dónde", "donde", "cuándo", "gracias", "pedido", "un", "una", "he", "por", "favor"],
    "it": ["il", "lo", "la", "gli", "le", "e", "è", "mio", "mia", "non", "dove", "quando", "grazie", "ordine", "un", "una", "ho", "per", "favore"],
}
_KANA = re.compile(r"[\u3040-\u30ff]")
_CJK_KEY = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_INTENTS: list[tuple[str, list[str]]] = [
    ("customs", ["customs", "duty", "duties", "import tax", "import fee", r"vat\b", "zoll", "einfuhr", "gebühr", "douane", "droits de",
                 "taxe", "aduana", "arancel", "impuesto", "dogana", "dazi", "関税", "税金", "消費税"]),
    ("return_refund", ["return", "refund", "money back", "rücksend", "zurücksend", "erstatt", "geld zurück", "retour", "rembours",
                       "devoluci", "devolver", "reembols", r"reso\b", "rimbors", "restituire", "返品", "返金"]),
    ("delivery_exception", ["damaged", "broken", "lost", "wrong address", "returned to sender", "beschädigt", "kaputt", "verloren",
                            "endommag", "cassé", "perdu", "dañado", "roto", "perdido", "danneggiat", "rotto", "smarrit", "破損", "壊れ", "紛失"]),
    ("shipping_delay", ["where is", "not received", "hasn't arrived", "has not arrived", "not arrived", "tracking", "when will", "still waiting", r"late\b",
                        "wo ist", "nicht angekommen", "nicht erhalten", "sendungsverfolgung", "wann kommt", "où est", "pas reçu", "toujours pas",
                        "suivi", "dónde está", "no he recibido", "no ha llegado", "seguimiento", "dov'è", "non ho ricevuto", "non è arrivato",
                        "tracciamento", "届かない", "届いていない", "追跡", "まだ"]),
]
INTENT_SITUATION = {"shipping_delay": "shipping_delay", "delivery_exception": "delivery_exception",
                    "return_refund": "return_refund", "general": "general_reply"}


def detect_language(text: str) -> str:
    if _KANA.search(text):
        return "ja"
    toks = re.findall(r"[^\W\d_]+", text.lower())
    scores = {lang: sum(1 for t in toks if t in words) for lang, words in _STOP.items()}
    best = max(scores.values()) if scores else 0
    if best == 0 or scores["en"] == best:
        return "en"
    return max(scores, key=lambda k: scores[k])


def classify(text: str, lang: str | None = None) -> str:
    t = text.lower()
    for intent, keys in _INTENTS:
        for k in keys:
            if _CJK_KEY.search(k):
                if k in t:
                    return intent
            elif re.search(r"(?<![^\W\d_])" + k, t):
                return intent
    return "general"


@dataclass(frozen=True)
class Suggestion:
    intent: str
    situation: str
    language: str
    subject: str
    body: str
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"intent": self.intent, "situation": self.situation, "language": self.language,
                "subject": self.subject, "body": self.body, "missing": self.missing}


def suggest(message: dict[str, Any], *, seller_name: str, order: dict[str, Any] | None = None) -> Suggestion:
    """Suggested reply for one buyer message (keys: buyer_name, body, language?, order_id?, …)."""
    body = str(message.get("body") or "")
    if not body.strip():
        raise ValidationError("body: the buyer's message is empty", field="body")
    lang = str(message.get("language") or "").lower()[:2] or detect_language(body)
    if lang not in messages.languages():
        lang = "en"
    intent = classify(body, lang)
    ctx: dict[str, Any] = {**(order or {}), **{k: v for k, v in message.items() if k not in ("body", "subject") and v not in (None, "")}}
    ctx.setdefault("seller_name", seller_name)
    if intent == "customs":
        inc = str(ctx.get("incoterm") or "").upper()
        situation = f"customs_{inc.lower()}" if inc in ("DDP", "DAP") else "general_reply"
        missing = [] if inc in ("DDP", "DAP") else ["incoterm"]
    else:
        situation = INTENT_SITUATION[intent]
        missing = []
    missing += messages.missing_fields(situation, lang, ctx)
    if missing and situation != "general_reply":
        situation = "general_reply"
    still = messages.missing_fields("general_reply", lang, ctx)
    if still:
        raise ValidationError(f"{still[0]}: needed for any reply", field=still[0])
    r = messages.render(situation, lang, ctx)
    return Suggestion(intent, situation, lang, r.subject, r.body, missing)

"""Demo data for the listings package (wired by the lead through ``xborder.demo.service.EXTENSIONS``):
a keyword set, buyer messages with suggested replies, compliance progress, and a catalog check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from xborder.listings import catalog_bridge, service
from xborder.listings.seo import Source

KEYWORDS = [
    ("Bamboo Cutting Board with Juice Groove, Large Wooden Chopping Board", "title", "1200"),
    ("Silicone Phone Case Shockproof Slim Cover for iPhone 15", "title", "950"),
    ("Rechargeable LED Desk Lamp with USB Charging Port, Dimmable", "title", "600"),
    ("bamboo cutting board", "search_term", "40000"),
    ("cutting board with juice groove", "search_term", "9000"),
    ("silicone phone case", "search_term", "52000"),
    ("led desk lamp dimmable", "search_term", "18000"),
]
MESSAGES = [
    {"message_id": "DEMO-1", "buyer_name": "Anna Müller", "marketplace": "amazon-de", "order_id": "302-0000001",
     "body": "Hallo, wo ist meine Bestellung? Sie ist noch nicht angekommen."},
    {"message_id": "DEMO-2", "buyer_name": "Jean Dupont", "marketplace": "amazon-fr", "order_id": "402-0000002", "incoterm": "DDP",
     "body": "Bonjour, dois-je payer des frais de douane à la livraison ?"},
    {"message_id": "DEMO-3", "buyer_name": "Sam Lee", "marketplace": "amazon-us", "order_id": "112-0000003",
     "body": "The case arrived broken. Can I get a refund?"},
    {"message_id": "DEMO-4", "buyer_name": "佐藤", "marketplace": "amazon-jp", "order_id": "503-0000004",
     "body": "商品がまだ届いていません。追跡番号を教えてください。"},
]


def build(s: Session, principal: Any, shared_data: Path | None = None, seed: int = 0) -> str:
    from decimal import Decimal

    n_kw, _ = service.store_keyword_sources(s, principal, "demo", [Source(t, Decimal(d), k) for t, k, d in KEYWORDS])
    n_msg, _ = service.store_messages(s, principal, [dict(m) for m in MESSAGES], seller_name="Demo Store")
    codes = catalog_bridge.sku_codes(s, principal)
    done = 0
    for code in codes[:3]:
        for req in ("eu.gpsr.responsible_person", "de.packaging.lucid"):
            service.set_status(s, principal, code, req, "done", reference="DEMO")
            done += 1
    rows = service.check_catalog(s, principal, ["amazon-us", "amazon-de"]) if codes else []
    return f"listings: {n_kw} keyword sources, {n_msg} buyer messages, {done} compliance records, {len(rows)} listing checks"

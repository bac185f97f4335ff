"""Build the demo company through the same services as user data (deterministic, seeded).

Later processes extend it: after the catalog, each package's ``demo`` hook (when present)
adds its records, e.g. orders and payouts, shipments, rebate periods.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from stdnum import ean

from xborder.accounts import service as accounts
from xborder.accounts.model import Role
from xborder.accounts.service import Principal
from xborder.catalog import service as catalog
from xborder.catalog.orm import Sku
from xborder.demo.data import CHANNEL_PLAN, PRICE_MARKUP, SKUS, US_HTS

DEMO_ORG = "Brightwave Shenzhen"
DEMO_EMAIL = "demo@example.com"
SEED = 20261124

# Further demo builders, called in order when their package exists: (module, function name).
EXTENSIONS: list[tuple[str, str]] = [
    ("xborder.sales.demo", "build"),        # a quarter of orders, settlements and FX settlements
    ("xborder.logistics.demo", "build"),    # rate cards and shipments
    ("xborder.customs.demo", "build"),      # declarations and documents
    ("xborder.rebate.demo", "build"),       # a production and a trading rebate period
    ("xborder.procurement.demo", "build"),  # suppliers and purchase orders
    ("xborder.selection.demo", "build"),    # market research data
    ("xborder.listings.demo", "build"),     # listing checks, messages, compliance
    ("xborder.hs.demo", "build"),
]


def _barcode(rng: random.Random) -> str:
    body = "69" + "".join(str(rng.randrange(10)) for _ in range(10))
    return body + ean.calc_check_digit(body)


def _asin(rng: random.Random) -> str:
    return "B0" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(8))


def build_catalog(s: Session, principal: Principal, seed: int = SEED) -> int:
    rng = random.Random(seed)
    created = 0
    for row in SKUS:
        (code, product, name_en, name_zh, category, material, weight, length, width, height, hs, cost, flags,
         supplier, rebate) = row
        barcode = _barcode(rng)
        if catalog.get_sku_by_code(s, principal.org_id, code):
            continue
        flag_set = set(filter(None, flags.split(",")))
        catalog.create_sku(s, principal, {
            "sku": code, "product": product, "name_en": name_en, "name_zh": name_zh, "category": category,
            "material": material, "brand": "Brightwave", "weight_g": weight, "length_cm": length, "width_cm": width,
            "height_cm": height, "origin": "CN", "hs_code": hs, "hs_version": "2022", "hs_code_us": US_HTS.get(code),
            "purchase_cost": cost,
            "purchase_currency": "CNY", "supplier": supplier, "barcode": barcode, "rebate_rate": rebate or None,
            "description": f"{name_en}. Material: {material}.",
            **{f: f in flag_set for f in ("battery", "liquid", "magnet", "powder")},
        })
        created += 1
    # listings on each product line's channels, priced from cost (illustrative)
    lrng = random.Random(seed + 1)
    for sku in s.scalars(select(Sku).where(Sku.org_id == principal.org_id).order_by(Sku.sku)):
        for ch in CHANNEL_PLAN.get(sku.category, []):
            ccy, factor = PRICE_MARKUP[ch]
            base = (sku.purchase_cost or Decimal(10)) * Decimal(factor)
            price = (base if ccy == "JPY" else base).quantize(Decimal("1") if ccy == "JPY" else Decimal("0.01"))
            if ccy != "JPY":
                price = price.to_integral_value() - Decimal("0.01") if price > 1 else price
            listing_id = _asin(lrng) if ch.startswith("amazon") else (str(lrng.randrange(10**11, 10**12)) if ch == "ebay"
                                                                      else str(lrng.randrange(10**13, 10**14)))
            catalog.upsert_listing(s, principal, {"channel": ch, "listing_id": listing_id, "seller_sku": sku.sku,
                                                  "title": f"Brightwave {sku.name_en}", "sku": sku.sku,
                                                  "price": str(price), "currency": ccy})
    # two listings a marketplace created that nobody paired yet (the unpaired queue)
    for ch, title in (("amazon-us", "Brightwave USB-C cable 3-pack bundle"), ("ebay", "LED strip 5m + remote (bundle)")):
        catalog.upsert_listing(s, principal, {"channel": ch, "listing_id": _asin(lrng) if ch.startswith("amazon") else "386512279104",
                                              "seller_sku": "BUNDLE-" + title[:6].upper().replace(" ", ""), "title": title})
    return created


def build_demo(sessions: sessionmaker[Session], password: str = "demo-password", shared_data: Path | None = None,
               log: Callable[[str], None] = lambda m: None, seed: int = SEED) -> dict[str, Any]:
    """Create (or reuse) the demo organisation and its data; returns a short report."""
    with sessions() as s:
        org = accounts.find_org(s, DEMO_ORG)
        if org is None:
            org = accounts.create_org(
                s, DEMO_ORG, legal_name_zh="深圳市明浪贸易有限公司", legal_name_en="Shenzhen Brightwave Trading Co., Ltd.",
                uscc="91440300MA5FXB7K3U", base_currency="CNY", customs_code="4403960ABC",
                address_zh="广东省深圳市龙华区民治街道民康路 88 号 6 楼",
                address_en="6/F, 88 Minkang Road, Minzhi, Longhua District, Shenzhen, Guangdong, China",
                enterprise_type="trading")
            log("organisation created")
        user = accounts.get_user_by_email(s, DEMO_EMAIL)
        if user is None:
            user = accounts.create_user(s, DEMO_EMAIL, password, name="Demo Owner 演示用户")
        else:
            user.password_hash = accounts.hash_password(password)
        accounts.add_member(s, org, user, Role.OWNER)
        for email, role, name in (("ops@example.com", Role.OPERATOR, "Li Na 李娜"), ("finance@example.com", Role.FINANCE, "Wang Fang 王芳")):
            u = accounts.get_user_by_email(s, email) or accounts.create_user(s, email, password, name=name)
            accounts.add_member(s, org, u, role)
        hk = accounts.find_org(s, "Brightwave Hong Kong") or accounts.create_org(
            s, "Brightwave Hong Kong", legal_name_en="Brightwave (HK) Limited", base_currency="USD")
        accounts.add_member(s, hk, user, Role.OWNER)
        principal = accounts.principal_for(s, user.id, org.id)
        created = build_catalog(s, principal, seed)
        log(f"catalog: {created} SKUs created" if created else "catalog: already there")
        s.commit()
        org_id = org.id
    for module_name, fn_name in EXTENSIONS:
        try:
            mod = __import__(module_name, fromlist=[fn_name])
        except ImportError:
            continue
        if not hasattr(mod, fn_name):
            continue
        with sessions() as s:
            principal = accounts.principal_for(s, accounts.get_user_by_email(s, DEMO_EMAIL).id, org_id)  # type: ignore[union-attr]
            msg = getattr(mod, fn_name)(s, principal, shared_data=shared_data, seed=seed)
            s.commit()
            if msg:
                log(str(msg))
    with sessions() as s:
        st = catalog.stats(s, org_id)
    return {"org": DEMO_ORG, "skus": st["skus"], "listings": st["listings"], "email": DEMO_EMAIL}

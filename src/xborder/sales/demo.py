"""A realistic demo quarter (Q3 2026): about 2,000 orders on Amazon US, DE, GB and JP, Shopify and
eBay, with their settlement reports, collection-platform statements and FX settlements —
generated as **files in the real export layouts** and loaded through the importers, exactly as
a user would (``build_quarter``). The file writers (``write_*``) are also used by the benchmarks.

Everything is invented (seeded ``random.Random``): the prices, fee levels and FX spreads are
plausible, not quotes. Fee levels used (assumptions for the demo, 2026-11): Amazon referral 15%,
FBA fee per unit by product, Stripe 2.9% + 0.30, PayPal 3.49% + 0.49, collection-platform
conversion at the ECB cross rate less a 0.3% spread.
"""

from __future__ import annotations

import csv
import io
import random
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from xborder.accounts.model import Role
from xborder.accounts.service import Principal
from xborder.fx.ecb import bundled_table
from xborder.money import minor_units, quantize
from xborder.payments.importers.amazon_settlement_v2 import COLUMNS as SETTLEMENT_COLUMNS

D = Decimal
START, END = date(2026, 7, 1), date(2026, 9, 30)


@dataclass(frozen=True)
class Product:
    sku: str
    title: str
    usd: Decimal  # list price in USD
    cost_cny: Decimal  # landed unit cost
    rebate: Decimal
    fba_fee_usd: Decimal


PRODUCTS = [
    Product("MUG-BL-350", "Ceramic Mug 350ml Blue", D("12.99"), D("16.80"), D("0.13"), D("3.22")),
    Product("MUG-WH-350", "Ceramic Mug 350ml White", D("12.99"), D("16.80"), D("0.13"), D("3.22")),
    Product("CST-BAM-4", "Bamboo Coaster Set (4)", D("9.99"), D("7.50"), D("0.09"), D("3.06")),
    Product("LID-SIL-10", "Silicone Lid 10cm (3-pack)", D("7.99"), D("4.20"), D("0.13"), D("2.95")),
    Product("TEA-INF-SS", "Stainless Tea Infuser", D("8.49"), D("5.10"), D("0.13"), D("2.95")),
    Product("BOT-GL-500", "Glass Water Bottle 500ml", D("15.99"), D("21.50"), D("0.13"), D("4.02")),
    Product("LMP-DSK-LED", "LED Desk Lamp USB", D("24.99"), D("48.00"), D("0.13"), D("4.75")),
    Product("ORG-CBL-6", "Cable Organiser Clips (6)", D("6.99"), D("2.60"), D("0.13"), D("2.95")),
]

AMAZON = {  # market: (sales channel, currency, price factor vs USD, orders per day, decimal comma, day-first dates)
    "US": ("Amazon.com", "USD", D(1), 10, False, False),
    "DE": ("Amazon.de", "EUR", D("0.95"), 5, True, True),
    "GB": ("Amazon.co.uk", "GBP", D("0.82"), 3, False, True),
    "JP": ("Amazon.co.jp", "JPY", D(150), 2, False, False),
}
PRODUCTS_IN_USE: list[Product] = PRODUCTS
COLLECTION = {"USD": "payoneer", "EUR": "pingpong", "GBP": "lianlian", "JPY": "airwallex"}


def _q(x: Decimal, cur: str) -> Decimal:
    return quantize(x, minor_units(cur))


def _num(x: Decimal, comma: bool = False) -> str:
    s = format(x, "f")
    return s.replace(".", ",") if comma else s


def _tsv(header: list[str], rows: list[list[str]]) -> bytes:
    return ("\t".join(header) + "\n" + "".join("\t".join(r) + "\n" for r in rows)).encode("utf-8")


def _csv(header: list[str], rows: list[list[str]], *, bom: bool = False, crlf: bool = False) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def _row(header: list[str], **values: str) -> list[str]:
    r = [""] * len(header)
    for k, v in values.items():
        r[header.index(k)] = v
    return r


@dataclass
class SaleLine:
    order_ref: str
    item_ref: str
    when: datetime
    product: Product
    qty: int
    price: Decimal  # line total
    tax: Decimal
    shipping: Decimal
    currency: str
    market: str
    refunded: bool = False


@dataclass
class Quarter:
    files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)  # name -> (kind, format/mapping, bytes)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


ALL_ORDERS_HEADER = ["amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status", "fulfillment-channel", "sales-channel", "order-channel", "url", "ship-service-level", "product-name", "sku", "asin", "item-status", "quantity", "currency", "item-price", "item-tax", "shipping-price", "shipping-tax", "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount", "ship-promotion-discount", "ship-city", "ship-state", "ship-postal-code", "ship-country", "promotion-ids", "cpf", "is-business-order", "purchase-order-number", "price-designation", "customized-url", "customized-page", "signature-confirmation-recommended", "buyer-identification-number", "buyer-identification-type", "order-item-id"]


def write_all_orders(lines: list[SaleLine], site: str) -> bytes:
    rows = []
    for ln in lines:
        rows.append(_row(ALL_ORDERS_HEADER, **{
            "amazon-order-id": ln.order_ref, "purchase-date": ln.when.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "last-updated-date": (ln.when + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "order-status": "Shipped", "fulfillment-channel": "Amazon", "sales-channel": site,
            "ship-service-level": "Standard", "product-name": ln.product.title, "sku": ln.product.sku,
            "asin": "B0" + ln.product.sku.replace("-", "")[:8].ljust(8, "0"), "item-status": "Shipped",
            "quantity": str(ln.qty), "currency": ln.currency, "item-price": _num(ln.price), "item-tax": _num(ln.tax),
            "shipping-price": "0", "shipping-tax": "0", "ship-country": ln.market, "is-business-order": "false",
            "signature-confirmation-recommended": "false", "order-item-id": ln.item_ref}))
    return _tsv(ALL_ORDERS_HEADER, rows)


def settlement_rows(sid: str, start: date, end: date, currency: str, site: str, lines: list[SaleLine],
                    extra: list[tuple[str, str, str, Decimal, date]], *, comma: bool, dayfirst: bool
                    ) -> tuple[list[list[str]], Decimal]:
    """Rows of one Amazon settlement V2 file: summary first, then one row per amount."""
    H = SETTLEMENT_COLUMNS

    def d(x: date, t: str = "") -> str:
        s = x.strftime("%d.%m.%Y" if dayfirst else "%Y-%m-%d")
        return f"{s} {t} UTC".strip() if t else s

    body: list[list[str]] = []
    total = D(0)

    def add(ttype: str, ln: SaleLine | None, atype: str, desc: str, amount: Decimal, posted: date, adj: str = "") -> None:
        nonlocal total
        total += amount
        body.append(_row(H, **{"settlement-id": sid, "transaction-type": ttype,
                               "order-id": ln.order_ref if ln else "", "adjustment-id": adj,
                               "marketplace-name": site if ln else "", "amount-type": atype,
                               "amount-description": desc, "amount": _num(amount, comma),
                               "fulfillment-id": "AFN" if ln else "", "posted-date": d(posted),
                               "posted-date-time": d(posted, "10:00:00"),
                               "order-item-code": ln.item_ref if ln else "", "sku": ln.product.sku if ln else "",
                               "quantity-purchased": str(ln.qty) if ln else ""}))

    for ln in lines:
        posted = ln.when.date() + timedelta(days=2)
        add("Order", ln, "ItemPrice", "Principal", ln.price, posted)
        if ln.tax:
            add("Order", ln, "ItemPrice", "Tax", ln.tax, posted)
            add("Order", ln, "ItemWithheldTax", "MarketplaceFacilitatorTax-Principal", -ln.tax, posted)
        commission = -_q(ln.price * D("0.15"), currency)
        add("Order", ln, "ItemFees", "Commission", commission, posted)
        add("Order", ln, "ItemFees", "FBAPerUnitFulfillmentFee",
            -_q(ln.product.fba_fee_usd * AMAZON[ln.market][2] * ln.qty, currency), posted)
        if ln.refunded:
            rposted = min(posted + timedelta(days=5), end)
            adj = "amzn1.adj." + ln.item_ref
            add("Refund", ln, "ItemPrice", "Principal", -ln.price, rposted, adj)
            add("Refund", ln, "ItemFees", "Commission", -commission, rposted, adj)
            add("Refund", ln, "ItemFees", "RefundCommission", _q(commission * D("0.2"), currency), rposted, adj)
    for ttype, atype, desc, amount, posted in extra:
        add(ttype, None, atype, desc, amount, posted)
    summary = _row(H, **{"settlement-id": sid, "settlement-start-date": d(start, "00:00:00"),
                         "settlement-end-date": d(end, "00:00:00"),
                         "deposit-date": d(end + timedelta(days=2), "08:00:00"), "total-amount": _num(total, comma),
                         "currency": currency})
    return [summary] + body, total


def write_settlement(rows: list[list[str]]) -> bytes:
    return _tsv(SETTLEMENT_COLUMNS, rows)


def _rate(cur: str, on: date) -> Decimal:
    return bundled_table().quote(cur, "CNY", on).rate


def catalog_products(s: Session, principal: Principal) -> list[Product]:
    """The organisation's catalog SKUs as demo products (creating the demo set when the catalog is
    empty): USD list price about 2.8 x landed cost at CNY 7/USD, FBA fee from the weight."""
    from sqlalchemy import select

    from xborder.catalog import service as catalog
    from xborder.catalog.orm import Sku

    skus = [k for k in s.scalars(select(Sku).where(Sku.org_id == principal.org_id, Sku.active.is_(True))
                                 .order_by(Sku.sku)) if k.purchase_cost and (k.purchase_currency or "CNY") == "CNY"]
    if not skus:
        for prod in PRODUCTS:
            if catalog.get_sku_by_code(s, principal.org_id, prod.sku) is None:
                catalog.create_sku(s, principal, {"sku": prod.sku, "name_en": prod.title, "purchase_cost": str(prod.cost_cny),
                                                  "purchase_currency": "CNY", "rebate_rate": str(prod.rebate),
                                                  "category": "other"})
        s.flush()
        return list(PRODUCTS)
    out = []
    for k in skus[:24]:
        usd = max(D("5.99"), (k.purchase_cost / 7 * D("2.8")).quantize(D(1)) - D("0.01"))
        fee = D("2.95") + ((k.weight_g or D(100)) / 100 * D("0.40")).quantize(D("0.01"))
        out.append(Product(k.sku, k.name_en or k.sku, usd, k.purchase_cost, k.rebate_rate or D(0), fee))
    return out


def build_files(seed: int = 7, products: list[Product] | None = None) -> Quarter:
    global PRODUCTS_IN_USE
    PRODUCTS_IN_USE = products or PRODUCTS
    rnd = random.Random(seed)
    qtr = Quarter()
    days = [START + timedelta(days=i) for i in range((END - START).days + 1)]
    receipts: dict[str, list[list[str]]] = defaultdict(list)
    # --- Amazon ---------------------------------------------------------------------------------
    for market, (site, cur, factor, per_day, comma, dayfirst) in AMAZON.items():
        lines: list[SaleLine] = []
        n = 0
        for day in days:
            for _ in range(max(0, int(rnd.gauss(per_day, per_day / 3)))):
                n += 1
                p = rnd.choice(PRODUCTS_IN_USE)
                qty = 1 if rnd.random() < 0.8 else 2
                price = _q(p.usd * factor * qty, cur)
                tax = _q(price * D("0.08"), cur) if market == "US" else D(0)
                when = datetime.combine(day, datetime.min.time()) + timedelta(seconds=rnd.randrange(86400))
                prefix = {"US": "11", "DE": "30", "GB": "20", "JP": "25"}[market]
                ref = f"{prefix}{rnd.randrange(1, 9)}-{rnd.randrange(10**7):07d}-{rnd.randrange(10**7):07d}"
                lines.append(SaleLine(ref, f"{rnd.randrange(10**13, 10**14)}", when, p, qty, price, tax, D(0), cur,
                                      market, refunded=rnd.random() < 0.03))
        qtr.counts[f"amazon-{market}"] = n
        qtr.files[f"amazon_{market}_all_orders.txt"] = ("orders", "amazon-all-orders", write_all_orders(lines, site))
        # 14-day settlements
        s_start = START
        k = 0
        while s_start <= END:
            s_end = min(s_start + timedelta(days=14), END + timedelta(days=1))
            chunk = [ln for ln in lines if s_start <= (ln.when.date() + timedelta(days=2)) < s_end]
            ads = -_q(D(rnd.randrange(1500, 6000)) / 100 * factor, cur)
            extra = [("ServiceFee", "Cost of Advertising", "TransactionTotalAmount", ads, s_end - timedelta(days=1))]
            if k % 2 == 1:
                extra.append(("other-transaction", "other-transaction", "FBA Inventory Storage Fee",
                              -_q(D(rnd.randrange(500, 2500)) / 100 * factor, cur), s_end - timedelta(days=1)))
            sid = f"{rnd.randrange(10**10, 10**11)}"
            rows, total = settlement_rows(sid, s_start, s_end, cur, site, chunk, extra, comma=comma, dayfirst=dayfirst)
            qtr.files[f"amazon_{market}_settlement_{sid}.txt"] = ("payouts", "amazon-settlement-v2", write_settlement(rows))
            if total > 0:
                dep = s_end + timedelta(days=2)
                receipts[cur].append(_collection_rows(COLLECTION[cur], sid, cur, total, dep, rnd, site))
            s_start, k = s_end, k + 1
    for cur, groups in receipts.items():
        prov = COLLECTION[cur]
        header, rows = _COLLECTION_HEADERS[prov], [r for g in groups for r in g]
        qtr.files[f"{prov}_statement_q3.csv"] = ("payouts", prov, _csv(header, rows, bom=prov in ("lianlian",)))
    # --- Shopify + Stripe -----------------------------------------------------------------------
    from xborder.sales.demo_shop import ebay_and_paypal, shopify_and_stripe

    shop_orders, stripe = shopify_and_stripe(rnd, days)
    qtr.counts["shopify"] = shop_orders[1]
    qtr.files["shopify_orders_q3.csv"] = ("orders", "shopify", shop_orders[0])
    qtr.files["stripe_itemized_q3.csv"] = ("payouts", "stripe", stripe)
    ebay, paypal = ebay_and_paypal(rnd, days)
    qtr.counts["ebay"] = ebay[1]
    qtr.files["ebay_orders_q3.csv"] = ("orders", "ebay", ebay[0])
    qtr.files["paypal_activity_q3.csv"] = ("payouts", "paypal", paypal)
    return qtr


_COLLECTION_HEADERS = {
    "payoneer": ["Transaction Date", "Description", "Type", "Amount", "Currency", "Fee", "Exchange Rate", "Target Amount",
                 "Target Currency", "Transaction ID", "Payer", "Store"],
    "pingpong": ["交易时间", "交易类型", "交易金额", "交易币种", "手续费", "汇率", "到账金额", "到账币种", "店铺名称", "交易流水号", "付款方"],
    "lianlian": ["创建时间", "业务类型", "交易金额", "交易币种", "手续费", "汇率", "入账金额", "入账币种", "店铺名称", "交易单号", "付款方"],
    "airwallex": ["Created At", "Type", "Amount", "Currency", "Fee", "Rate", "Buy Amount", "Buy Currency", "Request Id",
                  "Reference", "Payer Name"],
}


def _collection_rows(prov: str, sid: str, cur: str, total: Decimal, dep: date, rnd: random.Random, site: str) -> list[list[str]]:
    conv_day = dep + timedelta(days=rnd.randrange(1, 5))
    rate = quantize(_rate(cur, conv_day) * D("0.997"), 4 if cur != "JPY" else 6)
    fee = _q(total * D("0.003"), cur) if prov in ("payoneer", "lianlian") else D(0)
    cny = quantize((total - fee) * rate, 2)
    a, b = f"{prov[:2].upper()}-{sid}-R", f"{prov[:2].upper()}-{sid}-C"
    if prov == "payoneer":
        return [[dep.strftime("%m/%d/%Y"), f"Payment from {site}", "Payment received", _num(total), cur, "0.00", "", "", "", a,
                 "Amazon Payments", site],
                [conv_day.strftime("%m/%d/%Y"), "Withdrawal to bank", "Withdrawal to bank", _num(-total), cur, _num(fee),
                 _num(rate), _num(cny), "CNY", b, "", ""]]
    if prov == "airwallex":
        return [[f"{dep.isoformat()}T02:00:00Z", "DEPOSIT", _num(total), cur, "0", "", "", "", a, f"{site} payout", "Amazon"],
                [f"{conv_day.isoformat()}T02:00:00Z", "CONVERSION", _num(-total), cur, "0", _num(rate), _num(cny), "CNY", b,
                 "FX to CNY", ""]]
    # pingpong / lianlian (same column roles)
    return [[f"{dep.isoformat()} 10:00:00", "收款", _num(total), cur, "0.00", "", "", "", site, a, "Amazon"],
            [f"{conv_day.isoformat()} 15:00:00", "结汇", _num(-total), cur, _num(fee), _num(rate), _num(cny), "CNY", site, b, ""]]


def build_quarter(s: Session, org: Any, seed: int = 7, out_dir: Path | None = None) -> dict[str, Any]:
    """Generate the demo quarter's files (in ``out_dir`` or a temporary folder) and load them
    through the importers for ``org``; also records each demo SKU's landed cost and rebate rate."""
    org_id = org if isinstance(org, int) else org.id
    return _build(s, Principal(user_id=0, org_id=org_id, role=Role.OWNER, name="demo"), seed, out_dir)


def build(s: Session, principal: Principal, shared_data: Path | None = None, seed: int = 7) -> str:
    """Demo hook (``xborder.demo.service.EXTENSIONS``): the quarter for the demo organisation."""
    r = _build(s, principal, seed, None)
    return f"orders and payouts: {r['orders_total']} orders, {r['imported']} rows imported from {len(r['files'])} files"


def _build(s: Session, p: Principal, seed: int, out_dir: Path | None) -> dict[str, Any]:
    from xborder.payments import service as payments
    from xborder.sales import service as sales

    qtr = build_files(seed, catalog_products(s, p))
    tmp = None
    if out_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="xborder-demo-")
        out_dir = Path(tmp.name)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary: dict[str, Any] = {"orders": dict(qtr.counts), "files": [], "imported": 0}
    try:
        for name, (_kind, _fmt, data) in qtr.files.items():
            (out_dir / name).write_bytes(data)
        for name, (kind, fmt, _) in sorted(qtr.files.items(), key=lambda kv: kv[1][0] != "orders"):
            data = (out_dir / name).read_bytes()
            if kind == "orders":
                r = sales.import_orders(s, p, fmt, data)
            elif fmt in COLLECTION.values() or fmt == "worldfirst":
                r = payments.import_payouts(s, p, "mapped", data, mapping=fmt)
            else:
                r = payments.import_payouts(s, p, fmt, data)
            summary["files"].append({"file": name, "format": fmt, "imported": r.imported})
            summary["imported"] += r.imported
        s.flush()
    finally:
        if tmp is not None:
            tmp.cleanup()
    summary["orders_total"] = sum(qtr.counts.values())
    return summary

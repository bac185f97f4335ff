"""Demo writers for the Shopify orders CSV + Stripe itemized payouts, and the eBay orders report +
PayPal activity download (see :mod:`xborder.sales.demo`)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from xborder.money import quantize
from xborder.sales import demo as _demo
from xborder.sales.demo import _csv, _num, _row

D = Decimal

SHOPIFY_HEADER = ["Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at", "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code", "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping", "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street", "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip", "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street", "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City", "Shipping Zip", "Shipping Province", "Shipping Country", "Shipping Phone", "Notes", "Note Attributes", "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount", "Vendor", "Id", "Tags", "Risk Level", "Source", "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Tax 2 Name", "Tax 2 Value", "Tax 3 Name", "Tax 3 Value", "Tax 4 Name", "Tax 4 Value", "Tax 5 Name", "Tax 5 Value", "Phone", "Receipt Number", "Duties", "Billing Province Name", "Shipping Province Name", "Payment ID", "Payment Terms Name", "Next Payment Due At", "Payment References"]
STRIPE_HEADER = ["balance_transaction_id", "created_utc", "currency", "gross", "fee", "net", "reporting_category",
                 "source_id", "description", "automatic_payout_id", "automatic_payout_effective_at_utc",
                 "payment_metadata[order_id]"]
EBAY_HEADER = ["Sales Record Number", "Order Number", "Buyer Username", "Buyer Name", "Ship To Name", "Ship To Address 1",
               "Ship To City", "Ship To State", "Ship To Zip", "Ship To Country", "Item Number", "Item Title", "Custom Label", "Quantity", "Sold For", "Shipping And Handling", "Total Price", "Payment Method", "Sale Date", "Paid On Date", "Transaction ID"]
PAYPAL_HEADER = ["Date", "Time", "TimeZone", "Name", "Type", "Status", "Currency", "Gross", "Fee", "Net",
                 "Transaction ID", "Item Title", "Item ID", "Invoice Number", "Quantity", "Balance Impact"]
SHOP_MARKETS = [("US", "USD", D(1)), ("DE", "EUR", D("0.95")), ("FR", "EUR", D("0.95")), ("CA", "USD", D(1))]
# invented recipients (name, street, city, province, postcode) per market, picked by order number (not by
# the random stream, so the demo's orders and amounts stay as they were)
RECIPIENTS = {
    "US": [("Emily Carter", "118 Maple Ave", "Springfield", "IL", "62704"), ("Jason Reed", "42 Harbor Rd", "Portland", "OR", "97205")],
    "DE": [("Lena Fischer", "Lindenstraße 12", "Köln", "", "50667"), ("Jonas Weber", "Hauptstraße 5", "München", "", "80331")],
    "FR": [("Camille Martin", "8 rue des Lilas", "Lyon", "", "69003"), ("Hugo Bernard", "21 avenue Victor Hugo", "Paris", "", "75016")],
    "CA": [("Olivia Tremblay", "77 King St W", "Toronto", "ON", "M5H 1J9"), ("Liam Roy", "300 Rue Sainte-Catherine", "Montréal", "QC", "H2X 1L4")],
}


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def shopify_and_stripe(rnd: random.Random, days: list[date]) -> tuple[tuple[bytes, int], bytes]:
    rows, stripe = [], []
    n = 0
    for day in days:
        for _ in range(max(0, int(rnd.gauss(3, 1)))):
            n += 1
            name = f"#{1000 + n}"
            market, cur, factor = rnd.choice(SHOP_MARKETS)
            items = rnd.sample(_demo.PRODUCTS_IN_USE, 1 if rnd.random() < 0.7 else 2)
            lines = [(p, 1 if rnd.random() < 0.85 else 2) for p in items]
            subtotal = sum((quantize(p.usd * factor * D("1.1"), 2) * q for p, q in lines), D(0))
            ship = D("4.99")
            disc = quantize(subtotal * D("0.1"), 2) if rnd.random() < 0.15 else D(0)
            total = subtotal + ship - disc
            when = datetime.combine(day, datetime.min.time()) + timedelta(seconds=rnd.randrange(86400))
            stamp = when.strftime("%Y-%m-%d %H:%M:%S +0000")
            for i, (p, q) in enumerate(lines):
                values = {"Name": name, "Lineitem quantity": str(q), "Lineitem name": p.title,
                          "Lineitem price": _num(quantize(p.usd * factor * D("1.1"), 2)), "Lineitem sku": p.sku,
                          "Lineitem requires shipping": "true", "Lineitem taxable": "true", "Lineitem discount": "0.00"}
                if i == 0:
                    values.update({"Email": f"buyer{n}@example.com", "Financial Status": "paid", "Paid at": stamp,
                                   "Currency": cur, "Subtotal": _num(subtotal), "Shipping": _num(ship), "Taxes": "0.00",
                                   "Total": _num(total), "Discount Amount": _num(disc), "Created at": stamp,
                                   "Shipping Country": market, "Payment Method": "Shopify Payments",
                                   **dict(zip(("Shipping Name", "Shipping Address1", "Shipping City", "Shipping Province",
                                               "Shipping Zip"), RECIPIENTS[market][n % 2], strict=True)),
                                   "Id": str(5500000000000 + n), "Source": "web"})
                rows.append(_row(SHOPIFY_HEADER, **values))
            fee = quantize(total * D("0.029") + D("0.30"), 2)
            payout_day = _monday(day) + timedelta(days=7)
            stripe.append([f"txn_demo{n:06d}", when.strftime("%Y-%m-%d %H:%M:%S"), cur.lower(), _num(total), _num(fee),
                           _num(total - fee), "charge", f"ch_demo{n:06d}", f"Shopify order {name}",
                           f"po_demo_{cur.lower()}_{payout_day.isoformat()}", f"{payout_day.isoformat()} 00:00:00", name])
    return (_csv(SHOPIFY_HEADER, rows, bom=True, crlf=True), n), _csv(STRIPE_HEADER, stripe, bom=True, crlf=True)


def ebay_and_paypal(rnd: random.Random, days: list[date]) -> tuple[tuple[bytes, int], bytes]:
    rows, pp = [], []
    n = 0
    balance_by_month: dict[str, Decimal] = {}
    for day in days:
        for _ in range(max(0, int(rnd.gauss(2, 1)))):
            n += 1
            ref = f"{rnd.randrange(10, 28)}-{rnd.randrange(10**5):05d}-{rnd.randrange(10**5):05d}"
            p = rnd.choice(_demo.PRODUCTS_IN_USE)
            q = 1 if rnd.random() < 0.9 else 2
            price = quantize(p.usd * D("1.05"), 2)
            ship = D("3.50")
            total = price * q + ship
            tx = f"{rnd.randrange(10**11, 10**12)}"
            rows.append(_row(EBAY_HEADER, **{"Sales Record Number": str(9000 + n), "Order Number": ref,
                                              "Buyer Username": f"buyer_{n}", "Ship To Country": "United States",
                                              **dict(zip(("Ship To Name", "Ship To Address 1", "Ship To City", "Ship To State",
                                                          "Ship To Zip"), RECIPIENTS["US"][n % 2], strict=True)),
                                              "Item Number": f"2955{rnd.randrange(10**8):08d}", "Item Title": p.title,
                                              "Custom Label": p.sku, "Quantity": str(q), "Sold For": f"${_num(price)}",
                                              "Shipping And Handling": f"${_num(ship)}", "Total Price": f"${_num(total)}",
                                              "Payment Method": "PayPal", "Sale Date": day.strftime("%b-%d-%y"),
                                              "Paid On Date": day.strftime("%b-%d-%y"), "Transaction ID": tx}))
            fee = quantize(total * D("0.0349") + D("0.49"), 2)
            when = datetime.combine(day, datetime.min.time()) + timedelta(seconds=rnd.randrange(86400))
            pp.append([day.strftime("%m/%d/%Y"), when.strftime("%H:%M:%S"), "PDT", f"Buyer {n}", "Express Checkout Payment",
                       "Completed", "USD", _num(total), _num(-fee), _num(total - fee), f"9DEMO{n:012d}", p.title,
                       p.sku, ref, str(q), "Credit"])
            key = day.strftime("%Y-%m")
            balance_by_month[key] = balance_by_month.get(key, D(0)) + total - fee
    for month, bal in sorted(balance_by_month.items()):
        y, m = map(int, month.split("-"))
        last = (date(y + (m == 12), m % 12 + 1, 1) - timedelta(days=1))
        pp.append([last.strftime("%m/%d/%Y"), "23:00:00", "PDT", "", "General Withdrawal", "Completed", "USD",
                   _num(-bal), "0.00", _num(-bal), f"9WDRAW{month.replace('-', '')}", "", "", "", "", "Debit"])
    ebay = ("," * (len(EBAY_HEADER) - 1) + "\r\n").encode() + _csv(EBAY_HEADER, rows, crlf=True)
    ebay += f"\r\n{n},record(s) downloaded,from,{days[0].strftime('%b-%d-%y')},to,{days[-1].strftime('%b-%d-%y')}\r\nSeller ID : xborder_demo\r\n".encode()
    return (ebay, n), _csv(PAYPAL_HEADER, pp)

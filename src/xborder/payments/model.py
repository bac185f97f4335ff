"""Payouts, payout lines and fee classification (pure, no I/O).

A *payout* is one transfer from a marketplace or payment processor (an Amazon settlement, a
Stripe payout, a PayPal statement period); its *lines* are the signed amounts that make it up,
as in the file: sales positive, fees and refunds negative (``rebate_fx.md`` §4.2).

Every line gets a *class*:

==================  =========================================================================
``sale``            item principal of an order
``shipping_income`` shipping charged to the buyer
``promotion``       seller-funded promotions (negative)
``tax``             taxes collected and passed through (incl. marketplace-facilitator withholding)
``referral``        marketplace commission / referral and closing fees (incl. their refunds)
``fulfilment``      FBA fulfilment, storage, removal and inbound fees
``shipping``        shipping labels and shipping chargebacks paid by the seller
``advertising``     sponsored-products and other ad charges
``payment``         payment-processing fees (PayPal, Stripe)
``refunds``         principal/shipping given back to buyers, chargebacks
``reserves``        reserve held back and released
``reimbursement``   marketplace reimbursements (lost/damaged inventory, SAFE-T)
``transfer``        the transfer to the seller's account (not income, not a fee)
``other``           anything else; an unknown description is also flagged as *unexpected*
==================  =========================================================================

``FEE_CLASSES`` are the classes reported as fees (``xborder reconcile``'s ``fees_by_type``).

Classification table sources: Amazon Settlement V2 ``amount-type``/``amount-description`` pairs
listed in ``rebate_fx.md`` §4.2 and ``marketplaces.md`` §2.2 (read 2026-11); Stripe
``reporting_category`` values (docs.stripe.com/reports/reporting-categories); PayPal activity
``Type`` texts (``rebate_fx.md`` §4.3).

>>> classify_amazon("Order", "ItemFees", "Commission")
('referral', False)
>>> classify_amazon("Refund", "ItemPrice", "Principal")
('refunds', False)
>>> classify_amazon("Order", "ItemFees", "NewFancyFee")
('other', True)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

FEE_CLASSES = ("referral", "fulfilment", "shipping", "advertising", "payment", "refunds", "reserves", "other")
SALE_CLASSES = ("sale", "shipping_income", "promotion")
ALL_CLASSES = SALE_CLASSES + ("tax", "reimbursement", "transfer") + FEE_CLASSES

REFUND_TYPES = {"refund", "chargeback refund", "a-to-z guarantee refund", "chargeback", "refund_retrocharge"}

# (amount-type, amount-description) -> class; descriptions compared case-insensitively
_AMAZON: dict[tuple[str, str], str] = {
    ("itemprice", "principal"): "sale",
    ("itemprice", "shipping"): "shipping_income",
    ("itemprice", "giftwrap"): "shipping_income",
    ("itemprice", "tax"): "tax",
    ("itemprice", "shippingtax"): "tax",
    ("itemprice", "giftwraptax"): "tax",
    ("itemprice", "restockingfee"): "sale",
    ("itemfees", "commission"): "referral",
    ("itemfees", "refundcommission"): "referral",
    ("itemfees", "variableclosingfee"): "referral",
    ("itemfees", "fixedclosingfee"): "referral",
    ("itemfees", "digitalservicesfee"): "referral",
    ("itemfees", "salestaxcollectionfee"): "referral",
    ("itemfees", "fbaperunitfulfillmentfee"): "fulfilment",
    ("itemfees", "fbaperorderfulfillmentfee"): "fulfilment",
    ("itemfees", "fbaweightbasedfee"): "fulfilment",
    ("itemfees", "fbapickandpackfee"): "fulfilment",
    ("itemfees", "shippingchargeback"): "shipping",
    ("itemfees", "shippinghb"): "shipping",
    ("itemfees", "giftwrapchargeback"): "shipping",
    ("other-transaction", "storage fee"): "fulfilment",
    ("other-transaction", "fba inventory storage fee"): "fulfilment",
    ("other-transaction", "fba long-term storage fee"): "fulfilment",
    ("other-transaction", "fba removal order: disposal fee"): "fulfilment",
    ("other-transaction", "fba removal order: return fee"): "fulfilment",
    ("other-transaction", "fba inbound transportation fee"): "fulfilment",
    ("other-transaction", "fbainboundtransportationfee"): "fulfilment",
    ("other-transaction", "shipping label purchase"): "shipping",
    ("other-transaction", "shipping label purchase for return"): "shipping",
    ("other-transaction", "subscription fee"): "other",
    ("other-transaction", "previous reserve amount balance"): "reserves",
    ("other-transaction", "current reserve amount"): "reserves",
    ("other-transaction", "reversal_reimbursement"): "reimbursement",
    ("other-transaction", "warehouse_damage"): "reimbursement",
    ("other-transaction", "warehouse_lost"): "reimbursement",
    ("other-transaction", "free_replacement_refund_items"): "reimbursement",
    ("other-transaction", "compensated_clawback"): "reimbursement",
    ("other-transaction", "safe-t reimbursement"): "reimbursement",
    ("cost of advertising", "transactiontotalamount"): "advertising",
    ("cost of advertising", "sponsored products charges"): "advertising",
    ("itemwithheldtax", "*"): "tax",
    ("promotion", "*"): "promotion",
    ("previous reserve amount balance", "*"): "reserves",
    ("current reserve amount", "*"): "reserves",
}
_AMAZON_TYPES: dict[str, str] = {
    "transfer": "transfer",
    "successful charge": "transfer",
    "payable to amazon": "transfer",
    "servicefee": "other",
    "safe-t reimbursement": "reimbursement",
}


def classify_amazon(transaction_type: str | None, amount_type: str | None, description: str | None) -> tuple[str, bool]:
    """``(class, unexpected)`` of an Amazon settlement line."""
    tt = (transaction_type or "").strip().lower()
    at = (amount_type or "").strip().lower()
    desc = (description or "").strip().lower()
    cls = _AMAZON.get((at, desc)) or _AMAZON.get((at, desc.replace(" ", ""))) or _AMAZON.get((at, "*"))
    if cls is None and at == "other-transaction" and "reserve" in desc:
        cls = "reserves"
    if cls is None and "storage" in desc:
        cls = "fulfilment"
    if cls is None:
        cls = _AMAZON_TYPES.get(tt)
        if cls == "other" and "advertis" in desc:
            cls = "advertising"
    if cls is None:
        return "other", True
    if tt in REFUND_TYPES and cls in SALE_CLASSES:
        return "refunds", False
    return cls, False


_STRIPE = {
    "charge": "sale", "payment": "sale", "refund": "refunds", "payment_refund": "refunds", "dispute": "refunds",
    "dispute_reversal": "refunds", "fee": "payment", "stripe_fee": "payment", "application_fee": "payment",
    "payout": "transfer", "payout_reversal": "transfer", "transfer": "transfer", "adjustment": "other",
    "tax": "tax", "partial_capture_reversal": "refunds", "other_adjustment": "other", "charge_failure": "refunds",
    "refund_failure": "refunds", "risk_reserved_funds": "reserves", "risk_reserved_funds_release": "reserves",
    "connect_reserved_funds": "reserves", "climate_order_purchase": "other",
}


def classify_stripe(category: str | None) -> tuple[str, bool]:
    """Class of a Stripe ``reporting_category`` (or dashboard ``Type``).

    >>> classify_stripe("charge"), classify_stripe("mystery")
    (('sale', False), ('other', True))
    """
    c = (category or "").strip().lower()
    return (_STRIPE[c], False) if c in _STRIPE else ("other", True)


def classify_paypal(type_text: str | None, gross: Decimal) -> tuple[str, bool]:
    """Class of the *gross* part of a PayPal activity row (its fee part is ``payment``).

    >>> classify_paypal("Express Checkout Payment", Decimal("12")), classify_paypal("General Withdrawal", Decimal("-5"))
    (('sale', False), ('transfer', False))
    """
    t = (type_text or "").strip().lower()
    if "refund" in t or "reversal" in t and "hold" not in t or "chargeback" in t:
        return "refunds", False
    if "withdrawal" in t or "transfer" in t or "bank deposit" in t:
        return "transfer", False
    if "currency conversion" in t:
        return "transfer", False
    if "hold" in t or "reserve" in t:
        return "reserves", False
    if "fee" in t:
        return "payment", False
    if "shipping label" in t or "postage" in t:
        return "shipping", False
    if "payment" in t or "checkout" in t or "sale" in t:
        return ("sale", False) if gross >= 0 else ("other", False)
    return "other", True


@dataclass
class PayoutLineRecord:
    line_key: str
    posted_at: datetime | None
    transaction_type: str | None
    amount_type: str | None
    description: str | None
    fee_class: str
    unexpected: bool
    amount: Decimal
    currency: str
    order_ref: str | None = None
    sku: str | None = None
    quantity: Decimal | None = None
    source_line: int = 0


@dataclass
class PayoutRecord:
    provider: str
    payout_ref: str
    currency: str
    total: Decimal | None
    start: date | None = None
    end: date | None = None
    deposit_date: date | None = None
    marketplace: str | None = None
    lines: list[PayoutLineRecord] = field(default_factory=list)
    source_line: int = 0


@dataclass
class ReceiptRecord:
    """A collection-platform row: money received on a virtual account (``kind='receipt'``), a
    withdrawal or fee (``'withdrawal'``/``'fee'``), or a conversion to CNY (``'conversion'``,
    which becomes an FX settlement)."""

    provider: str
    ref: str
    on: date
    kind: str
    amount: Decimal
    currency: str
    fee: Decimal = Decimal(0)
    fx_rate: Decimal | None = None
    target_amount: Decimal | None = None
    target_currency: str | None = None
    counterparty: str | None = None
    store: str | None = None
    description: str | None = None
    source_line: int = 0


@dataclass
class ParsedPayouts:
    payouts: list[PayoutRecord]
    receipts: list[ReceiptRecord]
    errors: list  # list[RowError]
    rows: int
    encoding: str = "utf-8"

    @property
    def line_count(self) -> int:
        return sum(len(p.lines) for p in self.payouts) + len(self.receipts)


def line_key(*parts: object) -> str:
    """A stable natural key for a payout line (the same row in the same or an overlapping file
    always gets the same key)."""
    return hashlib.md5("".join("\x1f" + ("" if p is None else str(p)) for p in parts).encode(),
                       usedforsecurity=False).hexdigest()

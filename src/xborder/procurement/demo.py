"""Demo hook: suppliers from the demo catalog's supplier names, price breaks, stock counts, one
partially received purchase order with inbound freight, and its VAT special invoice.

Figures are derived from the catalog's purchase costs (a 5 % break at 500 units, MOQ 100 or 50;
the current list from 90 days ago, last year's 3 % dearer before it); demonstration data, not quotes."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.money import quantize
from xborder.procurement import service


def build(s: Session, principal: Principal, shared_data: Path | None = None, seed: int = 7) -> str:
    from xborder.catalog.orm import Sku

    if service.list_suppliers(s, principal.org_id):
        return "procurement: demo suppliers exist"
    rng = random.Random(seed)
    skus = list(s.scalars(select(Sku).where(Sku.org_id == principal.org_id, Sku.purchase_cost.is_not(None)).order_by(Sku.sku)))
    by_supplier: dict[str, list[Sku]] = {}
    for k in skus:
        by_supplier.setdefault(k.supplier or "Yiwu general supplier", []).append(k)
    suppliers = []
    for i, (name, items) in enumerate(sorted(by_supplier.items())):
        sup = service.create_supplier(s, principal, {
            "name": name[:200], "currency": "CNY", "moq": 100 if i % 2 == 0 else 50,
            "lead_time_days": rng.choice((10, 14, 21, 30)),
            "invoice_type": "vat_ordinary" if i % 5 == 4 else "vat_special", "vat_rate": "0.13"})
        for k in items:
            cost = k.purchase_cost
            # last year's list (3 % dearer), then the current one from 90 days ago: a price history
            service.set_prices(s, principal, sup, k.sku, [(1, quantize(cost * Decimal("1.03"), 2)),
                                                          (500, quantize(cost * Decimal("0.98"), 2))],
                               valid_from=date.today() - timedelta(days=365), valid_to=date.today() - timedelta(days=91))
            service.set_prices(s, principal, sup, k.sku, [(1, cost), (500, quantize(cost * Decimal("0.95"), 2))],
                               valid_from=date.today() - timedelta(days=90))
            service.set_stock(s, principal, k.sku, Decimal(rng.randrange(0, 400)), date.today())
        suppliers.append((sup, items))
    orders = 0
    if suppliers:
        sup, items = suppliers[0]
        lines = [(k.sku, Decimal(max(sup.moq, 200)), None) for k in items[:3]]
        on = date.today() - timedelta(days=20)
        po = service.create_order(s, principal, sup, lines, order_date=on)
        service.add_charge(s, principal, po, "sea freight", Decimal("380.00"), "weight")
        service.add_charge(s, principal, po, "customs broker", Decimal("150.00"), "value")
        service.receive(s, principal, po, {lines[0][0]: lines[0][1] // 2}, received_on=on + timedelta(days=12),
                        reference="GRN-0001")
        if sup.invoice_type == "vat_special":
            service.record_invoice(s, principal, {
                "supplier": sup.name, "number": f"4403{rng.randrange(10**15, 10**16)}", "invoice_date": on.isoformat(),
                "invoice_type": "vat_special", "vat_rate": "0.13", "order": po.number,
                "lines": [{"sku": k.sku, "description": f"*{k.category}*{k.name_zh or k.name_en}"[:300], "unit": "个",
                           "quantity": str(ln.quantity), "net_amount": str(quantize(ln.quantity * ln.unit_price, 2))}
                          for k, ln in zip(items[:3], po.lines, strict=False)]})
        orders = 1
    s.flush()
    return f"procurement: {len(suppliers)} suppliers, {len(skus)} SKUs priced, {orders} purchase order"

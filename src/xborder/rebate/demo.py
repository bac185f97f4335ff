"""Demo data: one production-enterprise (免抵退) period and one trading-enterprise (免退) period.

``build(s, org)`` adds, for the organisation ``org`` (an ``Organisation``, a ``Principal`` or an id):

* a few rebate-rate library rows (labelled as demo rows: the real 文库 is imported by the user);
* the FOB date rule for 2026 (first working day of the month);
* period **2026-09, production**: two general-trade declarations, the VAT-return figures and a
  declared closing credit that differs from the computed one (so the warning shows);
* period **2026-10, trading**: four declarations (9610, 0110, 9810) with purchase special invoices
  and FX receipts: one ready, one split invoice, one quantity mismatch, one missing FX.

Central parity rates are entered on each declaration and marked as demo values. Idempotent:
running it twice changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from xborder.accounts.model import Role
from xborder.accounts.service import Principal
from xborder.rebate import service
from xborder.rebate.rates import rate_from_record
from xborder.rebate.records import parse_declaration, parse_invoice, parse_receipt

DEMO_SOURCE = "demo rows (rates as in research notes rebate_fx.md §2; import the official 文库 to replace)"

RATES = [
    {"CODE": "8479899990", "ST_DATE": "20250101", "END_DATE": "20991231", "NAME": "其他具有独立功能的机器",
     "UNIT": "台", "ZSSL_SET": "13", "TSL": "13"},
    {"CODE": "8541430000", "ST_DATE": "20241201", "END_DATE": "20260331", "NAME": "光伏电池", "UNIT": "个",
     "ZSSL_SET": "13", "TSL": "9"},
    {"CODE": "8541430000", "ST_DATE": "20260401", "END_DATE": "20991231", "NAME": "光伏电池", "UNIT": "个",
     "ZSSL_SET": "13", "TSL": "0"},
    {"CODE": "85043190", "ST_DATE": "20200101", "END_DATE": "20991231", "NAME": "其他变压器", "UNIT": "个",
     "ZSSL_SET": "13", "TSL": "13"},
    {"CODE": "3924100000", "ST_DATE": "20250101", "END_DATE": "20991231", "NAME": "塑料制餐具及厨房用具",
     "UNIT": "千克", "ZSSL_SET": "13", "TSL": "13"},
    {"CODE": "6307900090", "ST_DATE": "20250101", "END_DATE": "20991231", "NAME": "其他纺织制成品", "UNIT": "千克",
     "ZSSL_SET": "13", "TSL": "13"},
    {"CODE": "9405420000", "ST_DATE": "20250101", "END_DATE": "20991231", "NAME": "LED灯具", "UNIT": "个",
     "ZSSL_SET": "13", "TSL": "13"},
]


PRODUCTION = [
    {"number": "531620260000091001", "export_date": "2026-09-08", "trade_mode": "0110", "currency": "USD",
     "buyer": "Northwind Machinery LLC", "line_no": "1", "hs_code": "8479899990", "goods": "自动包装机",
     "unit": "台", "qty": "4", "fob": "48000", "fx_rate": "7.1000", "fx_rate_date": "2026-09-01",
     "period": "2026-09", "regime": "production"},
    {"number": "531620260000091002", "export_date": "2026-09-22", "trade_mode": "0110", "currency": "USD",
     "buyer": "Northwind Machinery LLC", "line_no": "1", "hs_code": "8504319000", "goods": "小型变压器",
     "unit": "个", "qty": "2000", "fob": "22000", "fx_rate": "7.1000", "fx_rate_date": "2026-09-01",
     "period": "2026-09", "regime": "production"},
    {"number": "531620260000091002", "export_date": "2026-09-22", "trade_mode": "0110", "currency": "USD",
     "buyer": "Northwind Machinery LLC", "line_no": "2", "hs_code": "8541430000", "goods": "光伏电池片",
     "unit": "个", "qty": "5000", "fob": "10000", "fx_rate": "7.1000", "fx_rate_date": "2026-09-01",
     "period": "2026-09", "regime": "production"},
]

TRADING = [
    {"number": "531620260000101001", "export_date": "2026-10-09", "trade_mode": "9610", "currency": "USD",
     "buyer": "Amazon.com Services LLC", "line_no": "1", "hs_code": "3924100000", "goods": "硅胶折叠碗",
     "unit": "千克", "qty": "600", "fob": "9000", "fx_rate": "7.0900", "fx_rate_date": "2026-10-09",
     "period": "2026-10", "regime": "trading"},
    {"number": "531620260000101002", "export_date": "2026-10-15", "trade_mode": "0110", "currency": "USD",
     "buyer": "Blue Harbor Trading Ltd", "line_no": "1", "hs_code": "6307900090", "goods": "帆布收纳袋",
     "unit": "千克", "qty": "400", "fob": "5200", "fx_rate": "7.0900", "fx_rate_date": "2026-10-09",
     "period": "2026-10", "regime": "trading"},
    {"number": "531620260000101002", "export_date": "2026-10-15", "trade_mode": "0110", "currency": "USD",
     "buyer": "Blue Harbor Trading Ltd", "line_no": "2", "hs_code": "3924100000", "goods": "硅胶折叠碗",
     "unit": "千克", "qty": "200", "fob": "3000", "fx_rate": "7.0900", "fx_rate_date": "2026-10-09",
     "period": "2026-10", "regime": "trading"},
    {"number": "531620260000101003", "export_date": "2026-10-20", "trade_mode": "9810", "currency": "EUR",
     "buyer": "Amazon EU S.à r.l.", "line_no": "1", "hs_code": "9405420000", "goods": "LED台灯",
     "unit": "个", "qty": "1000", "fob": "15000", "fx_rate": "8.2500", "fx_rate_date": "2026-10-09",
     "period": "2026-10", "regime": "trading", "fx_note": ""},
]

INVOICES = [
    {"number": "26442000000000001101", "issued": "2026-09-25", "seller": "东莞市某硅胶制品有限公司",
     "goods": "*橡胶塑料制品*硅胶折叠碗", "unit": "千克", "qty": "800", "net": "48000", "vat": "6240", "rate": "0.13"},
    {"number": "26442000000000001102", "issued": "2026-09-28", "seller": "义乌市某纺织品有限公司",
     "goods": "*纺织产品*帆布收纳袋", "unit": "千克", "qty": "350", "net": "21000", "vat": "2730", "rate": "0.13"},
    {"number": "26442000000000001103", "issued": "2026-10-12", "seller": "中山市某照明电器有限公司",
     "goods": "*照明装置*LED台灯", "unit": "个", "qty": "1000", "net": "82000", "vat": "10660", "rate": "0.13"},
]

RECEIPTS = [
    {"reference": "BOC20261012-0001", "received": "2026-10-12", "amount": "48000", "currency": "USD",
     "payer": "Northwind Machinery LLC", "account": "4420 0000 9012", "receiver": ""},
    {"reference": "BOC20261105-0002", "received": "2026-11-05", "amount": "32000", "currency": "USD",
     "payer": "Northwind Machinery LLC", "account": "4420 0000 9012", "receiver": ""},
    {"reference": "PP20261021-0001", "received": "2026-10-21", "amount": "9000", "currency": "USD",
     "payer": "Amazon.com Services LLC", "account": "NRA 4420 0000 1234", "receiver": ""},
    {"reference": "WF20261030-0002", "received": "2026-10-30", "amount": "8200", "currency": "USD",
     "payer": "Blue Harbor Trading Ltd", "account": "4420 0000 5678", "receiver": ""},
]


def _principal(org_id: int) -> Principal:
    return Principal(user_id=0, org_id=org_id, role=Role.OWNER, name="demo")


def build(s: Session, org: Any, shared_data: Any = None, seed: int = 0) -> str:
    """``org``: an ``Organisation``, a ``Principal`` (the demo hook's signature) or an org id."""
    org_id = org.org_id if isinstance(org, Principal) else org if isinstance(org, int) else org.id
    p = _principal(org_id)
    from xborder.accounts.orm import Organisation

    org_row = s.get(Organisation, org_id)
    name = (org_row.legal_name_zh or org_row.name) if org_row else ""
    service.save_profile(s, p, exporter_name=name or "演示进出口有限公司")
    service.store_rates(s, p, [rate_from_record(r, DEMO_SOURCE) for r in RATES])
    rule, chosen = service.fx_rule_for(s, org_id, 2026)
    if not chosen:
        service.set_fx_rule(s, p, 2026, "month_first")
    service.store_declarations(s, p, [parse_declaration(r) for r in PRODUCTION + TRADING])
    recs = [dict(r, receiver=name or "演示进出口有限公司") for r in RECEIPTS]
    service.store_invoices(s, p, [parse_invoice(r) for r in INVOICES])
    service.store_receipts(s, p, [parse_receipt(r) for r in recs])
    # VAT return of September 2026 (production): domestic sales output VAT, input VAT, declared closing credit
    service.save_period(s, p, "2026-09", "production", domestic_output_vat=Decimal("26000"),
                        input_vat=Decimal("98000"), opening_credit=Decimal("5000"),
                        declared_end_credit=Decimal("60000"),
                        note="demo: figures of the September 2026 VAT return")
    service.save_period(s, p, "2026-10", "trading", note="demo: trading period")
    service.match_documents(s, org_id, date(2026, 11, 24), persist_for=p)
    s.flush()
    return (f"rebate: periods 2026-09 (production) and 2026-10 (trading); 5 declarations, "
            f"{len(INVOICES)} invoices, {len(RECEIPTS)} FX receipts")

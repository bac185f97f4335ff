"""Demo data for the customs pages: shipment documents built from the demo catalog's SKUs and one
sample 9610 declaration (fictitious enterprise codes, marked as a sample)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.customs import declarations as dc
from xborder.customs import documents as docs
from xborder.customs import receipts as rc
from xborder.customs import service
from xborder.customs.errors import DeclarationInvalid


def build(s: Session, principal: Principal, shared_data: Path | None = None, seed: int = 0) -> str:
    from xborder.catalog.orm import Sku

    rng = random.Random(seed)
    skus = [k for k in s.scalars(select(Sku).where(Sku.org_id == principal.org_id).order_by(Sku.id))
            if k.hs_code and len(k.hs_code) >= 6][:3]
    made = []
    if skus:
        data = docs.sample_input()
        data["invoice_no"] = "DEMO-INV-0001"
        data["lines"] = [
            {"sku": k.sku, "quantity": str(rng.randint(1, 3)), "unit_price": f"{rng.randint(5, 40)}.00",
             "material": "see product sheet", "package": 1}
            for k in skus
        ]
        data["packages"] = [{"number": 1, "length_cm": "30", "width_cm": "20", "height_cm": "10", "marks": "DEMO/1-1"}]
        try:
            service.save_docs(s, principal, data)
            made.append("1 shipment document set")
        except Exception as exc:  # noqa: BLE001 - a demo catalog without weights: say why
            made.append(f"no documents ({exc})")
    today = date.today()
    first = today.replace(day=1)
    sample = replace(dc.sample(), order_no="DEMO-SO-0001", note="demo sample, fictitious codes", ie_date=first)
    try:
        _row, _created, warnings = service.save_declaration_checked(s, principal, dc.to_dict(sample))
        made.append("1 sample 9610 declaration" + (f" ({len(warnings)} warning(s), e.g. {warnings[0]['message'][:60]})"
                                                   if warnings else ""))
    except DeclarationInvalid as exc:  # e.g. the organisation's rebate library does not list the sample's code
        made.append(f"no sample declaration ({exc.message})")
    else:
        # fictitious CEB604 receipts, as if customs had answered: the list number lets the month's CEB701 build
        day = first.strftime("%Y%m%d")
        receipts = [
            ("DEMO_CEB604_1.xml", rc.receipt_xml(cop_no=sample.order_no, return_status="2", return_time=f"{day}090000000",
                                                 return_info="新增申报成功 (demo)")),
            ("DEMO_CEB604_2.xml", rc.receipt_xml(cop_no=sample.order_no, return_status="800",
                                                 return_time=f"{day}101500000", return_info="放行 (demo)",
                                                 invt_no=f"2991{today.year}E{today.month:02d}0000001")),
        ]
        got = service.import_receipts(s, principal, [(n, x.encode("utf-8")) for n, x in receipts])
        made.append(f"{got['recorded']} CEB604 receipt(s)")
    return "customs: " + ", ".join(made)

"""Catalog figures for the dashboard."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.catalog import service


def widgets(s: Session, principal: Principal) -> list[dict[str, Any]]:
    st = service.stats(s, principal.org_id)
    out: list[dict[str, Any]] = [{"title": "SKUs", "value": st["skus"], "url": "/catalog"}]
    if st["missing_hs"]:
        out.append({"title": "SKUs without an HS code", "value": st["missing_hs"], "url": "/catalog?missing_hs=1",
                    "level": "warn", "text": "Customs declarations and landed cost need an HS code for every SKU."})
    if st["unpaired_listings"]:
        out.append({"title": "Unpaired listings", "value": st["unpaired_listings"], "url": "/catalog/listings?unpaired=1",
                    "level": "warn"})
    return out


def first_steps(s: Session, principal: Principal) -> list[dict[str, Any]]:
    """The dashboard's "getting started" list: this package's step and whether it is done."""
    return [{"order": 20, "title": "Add your products and SKUs", "done": service.stats(s, principal.org_id)["skus"] > 0,
             "url": "/catalog/import", "text": "Import a CSV or Excel file of SKUs (weights, sizes, HS codes, costs), or add them one by one."}]

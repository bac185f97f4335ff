"""FX endpoints under /api/v1/fx: quotes with their source, settlements, open exposure."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from xborder.accounts.service import Principal
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, get_uow
from xborder.fx import service
from xborder.money import dec_str

router = APIRouter(prefix="/fx", tags=["fx"])


class SettlementIn(BaseModel):
    on: date
    platform: str = "bank"
    ref: str
    currency: str
    foreign_amount: str
    cny_received: str
    fee: str = "0"
    quoted_rate: str | None = None


def settlement_to_dict(x: Any) -> dict[str, Any]:
    return {"id": x.id, "date": x.day.isoformat(), "platform": x.platform, "ref": x.ref, "currency": x.currency,
            "foreign_amount": dec_str(x.foreign_amount, 2), "cny_received": dec_str(x.cny_received, 2),
            "fee": dec_str(x.fee, 2), "actual_rate": dec_str(x.cny_received / x.foreign_amount, 6),
            "quoted_rate": None if x.quoted_rate is None else format(x.quoted_rate.normalize(), "f")}


@router.get("/quote")
def quote(currency: str, on: date, principal: Principal = Depends(api_principal),
          uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    q = service.converter(uow.session).to_cny(currency.upper(), on)
    return {"currency": q.base, "to": "CNY", "rate": dec_str(q.rate, 6), "date": q.on.isoformat(),
            "requested": q.requested.isoformat(), "fallback_days": q.fallback_days, "source": q.source}


@router.get("/settlements")
def settlements(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> list[dict[str, Any]]:
    return [settlement_to_dict(x) for x in service.list_settlements(uow.session, principal)]


@router.post("/settlements", status_code=201)
def add_settlement(body: SettlementIn, principal: Principal = Depends(api_principal),
                   uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    row = service.add_settlement(uow.session, principal, **body.model_dump())
    uow.commit()
    return settlement_to_dict(row)


@router.get("/exposure")
def exposure(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> list[dict[str, Any]]:
    return [{"currency": e.currency, "receivable": dec_str(e.receivable, 2), "converted": dec_str(e.converted, 2),
             "open": dec_str(e.open, 2), "rate": None if e.rate is None else dec_str(e.rate, 6),
             "rate_date": e.rate_date.isoformat() if e.rate_date else None,
             "open_cny": None if e.open_cny is None else dec_str(e.open_cny, 2)}
            for e in service.open_exposure(uow.session, principal)]

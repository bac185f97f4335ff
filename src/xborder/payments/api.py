"""Payout and reconciliation endpoints under /api/v1/payouts and /api/v1/reconcile."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Depends, File, Form, UploadFile

from xborder.accounts.service import Principal
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, get_uow
from xborder.errors import ValidationError
from xborder.payments import service

router = APIRouter(tags=["payments"])


@router.post("/payouts/import")
async def import_payouts(format: str = Form(...), mapping: str | None = Form(None), file: UploadFile = File(...),
                         principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    out = service.import_payouts(uow.session, principal, format, await file.read(), mapping=mapping or None)
    uow.commit()
    return out.to_dict()


@router.get("/payouts")
def list_payouts(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> list[dict[str, Any]]:
    return [service.payout_to_dict(p, n) for p, n in service.list_payouts(uow.session, principal)]


@router.get("/payouts/{payout_id}")
def get_payout(payout_id: int, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    p, lines = service.get_payout(uow.session, principal, payout_id)
    return {**service.payout_to_dict(p, len(lines)), "items": [service.line_to_dict(ln) for ln in lines]}


@router.get("/reconcile")
def reconcile(tolerance: str = "0.01", principal: Principal = Depends(api_principal),
              uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Same JSON as ``xborder reconcile --json``."""
    try:
        tol = Decimal(tolerance)
    except Exception:  # noqa: BLE001
        raise ValidationError("tolerance: a decimal number", field="tolerance") from None
    return service.run_reconcile(uow.session, principal, tol).to_dict()

"""HTTP API under ``/api/v1/rebate`` (money and rates as decimal strings)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Body, Depends, File, Request, UploadFile
from fastapi.responses import Response

from xborder.accounts.service import Principal
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, get_uow
from xborder.errors import ValidationError
from xborder.importing import iso_date
from xborder.money import dec_str
from xborder.rebate import service
from xborder.rebate.engine import compute_contract
from xborder.rebate.rates import rate_str
from xborder.rebate.records import parse_declaration, parse_invoice, parse_receipt

router = APIRouter(prefix="/rebate", tags=["rebate"])


def _day(value: str | None, field: str = "today") -> date:
    """The query's date, today when it is not given."""
    return iso_date(value, field) or date.today()


@router.post("/compute")
async def compute(request: Request, principal: Principal = Depends(api_principal)) -> dict[str, Any]:
    """The ``xborder rebate compute`` contract over HTTP (JSON numbers are read exactly as written)."""
    try:
        data = json.loads(await request.body(), parse_float=Decimal)
    except ValueError:
        raise ValidationError("input: the body is not valid JSON", field="input") from None
    return compute_contract(data, date.today())


@router.get("/rates/{code}")
def rate(code: str, on: str | None = None, principal: Principal = Depends(api_principal),
         uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    r = service.library(uow.session, principal.org_id, codes=[code]).lookup(code, _day(on, "on"))
    return {"code": r.code, "name": r.name, "rebate_rate": rate_str(r.rebate_rate),
            "levy_rates": [rate_str(x) for x in r.levy_rates], "valid_from": r.valid_from.isoformat(),
            "valid_to": r.valid_to.isoformat() if r.valid_to else None, "flag": r.flag, "source": r.source}


@router.post("/import/{kind}")
async def import_file(kind: str, file: UploadFile = File(...), principal: Principal = Depends(api_principal),
                      uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    from xborder.rebate.importers import import_file as do_import

    result = do_import(uow.session, principal, kind, await file.read(), file.filename or "upload")
    uow.commit()
    return result.to_dict()


def _rows(data: Any, parse: Any) -> list[Any]:
    items = data if isinstance(data, list) else [data]
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValidationError(f"[{i}]: expected an object", field=str(i))
        out.append(parse({k: "" if v is None else str(v) for k, v in item.items()}))
    return out


@router.post("/declarations")
def add_declarations(data: Any = Body(...), principal: Principal = Depends(api_principal),
                     uow: UnitOfWork = Depends(get_uow)) -> dict[str, int]:
    imported, skipped = service.store_declarations(uow.session, principal, _rows(data, parse_declaration))
    uow.commit()
    return {"imported": imported, "skipped_duplicates": skipped}


@router.post("/invoices")
def add_invoices(data: Any = Body(...), principal: Principal = Depends(api_principal),
                 uow: UnitOfWork = Depends(get_uow)) -> dict[str, int]:
    imported, skipped = service.store_invoices(uow.session, principal, _rows(data, parse_invoice))
    uow.commit()
    return {"imported": imported, "skipped_duplicates": skipped}


@router.post("/receipts")
def add_receipts(data: Any = Body(...), principal: Principal = Depends(api_principal),
                 uow: UnitOfWork = Depends(get_uow)) -> dict[str, int]:
    imported, skipped = service.store_receipts(uow.session, principal, _rows(data, parse_receipt))
    uow.commit()
    return {"imported": imported, "skipped_duplicates": skipped}


@router.get("/declarations")
def list_declarations(period: str | None = None, principal: Principal = Depends(api_principal),
                      uow: UnitOfWork = Depends(get_uow)) -> list[dict[str, Any]]:
    return [{"number": d.number, "export_date": d.export_date.isoformat(), "trade_mode": d.trade_mode,
             "currency": d.currency, "period": d.period, "regime": d.regime, "buyer": d.buyer,
             "fx_rate": dec_str(d.fx_rate) if d.fx_rate is not None else None,
             "lines": [{"line_no": ln.line_no, "hs_code": ln.hs_code, "goods": ln.goods, "unit": ln.unit,
                        "qty": dec_str(ln.qty), "fob": dec_str(ln.fob, 2)} for ln in d.lines]}
            for d in service.declarations(uow.session, principal.org_id, period)]


@router.post("/match")
def run_match(today: str | None = None, principal: Principal = Depends(api_principal),
              uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    result = service.match_documents(uow.session, principal.org_id, _day(today), persist_for=principal)
    uow.commit()
    return result.to_dict()


@router.get("/match")
def get_match(today: str | None = None, principal: Principal = Depends(api_principal),
              uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    return service.match_documents(uow.session, principal.org_id, _day(today)).to_dict()


@router.get("/deadlines")
def deadlines(today: str | None = None, principal: Principal = Depends(api_principal),
              uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    when = _day(today)
    return {"today": when.isoformat(),
            "deadlines": [d.to_dict() for d in service.deadlines(uow.session, principal.org_id, when)]}


@router.get("/periods")
def list_periods(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)
                 ) -> list[dict[str, Any]]:
    return [{"period": p, "regime": r, "has_vat_return": rec is not None}
            for p, r, rec in service.periods(uow.session, principal.org_id)]


@router.get("/periods/{period}/{regime}")
def get_period(period: str, regime: str, today: str | None = None, principal: Principal = Depends(api_principal),
               uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    return service.period_report(uow.session, principal.org_id, period, regime, _day(today)).to_dict()


@router.put("/periods/{period}/{regime}")
def put_period(period: str, regime: str, data: dict[str, Any] = Body(...),
               principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    service.save_period(uow.session, principal, period, regime, **data)
    rep = service.period_report(uow.session, principal.org_id, period, regime, date.today())
    uow.commit()
    return rep.to_dict()


@router.get("/periods/{period}/{regime}/workbook")
def workbook(period: str, regime: str, principal: Principal = Depends(api_principal),
             uow: UnitOfWork = Depends(get_uow)) -> Response:
    from xborder.rebate.workbook import build_workbook

    rep = service.period_report(uow.session, principal.org_id, period, regime, date.today())
    return Response(build_workbook(rep), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="rebate-{period}-{regime}.xlsx"'})


@router.put("/fx-rule/{year}")
def fx_rule(year: int, data: dict[str, Any] = Body(...), principal: Principal = Depends(api_principal),
            uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    row = service.set_fx_rule(uow.session, principal, year, str(data.get("rule", "")))
    uow.commit()
    return {"year": row.year, "rule": row.rule}

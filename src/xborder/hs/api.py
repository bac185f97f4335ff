"""HS endpoints under /api/v1/hs: nomenclature search, classification, SKU suggestions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from xborder.accounts.service import Principal
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, get_uow
from xborder.hs import service

router = APIRouter(prefix="/hs", tags=["hs"])


class ClassifyIn(BaseModel):
    text: str = Field(..., description="Product description in English (what it is, material, use).")
    top: int = Field(5, description="Number of candidates (1-20).")


class ClassifySkusIn(BaseModel):
    apply: bool = Field(False, description="Write the top suggestion to each SKU whose result is not vague.")
    top: int = 3
    sku_ids: list[int] | None = Field(None, description="Only these SKUs (default: every SKU without an HS code).")


@router.get("/search")
def search(q: str = Query(..., description="Code prefix or words"), version: str = "2022",
           limit: int = Query(20, ge=1, le=200),
           principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    hits, read = service.search_read(uow.session, q, version=version, limit=limit)
    return {"query": q, "version": version, **read,
            "results": [{"code": h.code, "level": h.level, "description": h.description, "score": h.score}
                        for h in hits]}


@router.post("/classify")
def classify(body: ClassifyIn, principal: Principal = Depends(api_principal),
             uow: UnitOfWork = Depends(get_uow)) -> Any:
    return service.classification_dict(service.classify(uow.session, body.text, top=body.top))


@router.get("/skus/{sku_id}/suggest")
def suggest(sku_id: int, top: int = Query(5, ge=1, le=20), principal: Principal = Depends(api_principal),
            uow: UnitOfWork = Depends(get_uow)) -> Any:
    return service.suggest_for_sku(uow.session, principal, sku_id, top=top).to_dict()


@router.post("/classify-skus")
def classify_skus(body: ClassifySkusIn, principal: Principal = Depends(api_principal),
                  uow: UnitOfWork = Depends(get_uow)) -> Any:
    items = service.classify_skus(uow.session, principal, apply=body.apply, top=body.top, sku_ids=body.sku_ids)
    data = [i.to_dict() for i in items]
    uow.commit()
    return {"skus": len(data), "applied": sum(1 for d in data if d["applied"]),
            "vague": sum(1 for d in data if d["vague"]), "items": data}

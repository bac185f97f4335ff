"""Catalog endpoints under /api/v1."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import Response

from xborder.accounts.service import Principal
from xborder.catalog import service
from xborder.catalog.orm import Listing
from xborder.catalog.schemas import ListingIn, ListingOut, SkuIn, SkuList, SkuOut
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, get_uow

router = APIRouter(tags=["catalog"])


def _listing_out(li: Listing) -> ListingOut:
    return ListingOut(id=li.id, channel=li.channel, listing_id=li.listing_id, seller_sku=li.seller_sku, title=li.title,
                      sku=li.sku.sku if li.sku else "", sku_id=li.sku_id,
                      price=None if li.price is None else format(li.price.normalize(), "f"), currency=li.currency)


@router.get("/skus", response_model=SkuList)
def list_skus(q: str = "", category: str = "", flag: str = "", missing_hs: bool = False, sort: str = "sku",
              dir: str = Query("asc", pattern="^(asc|desc)$"), page: int = Query(1, ge=1),
              per_page: int = Query(100, ge=1, le=500),
              principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    p = service.list_skus(uow.session, principal, q=q, category=category, flag=flag, missing_hs=missing_hs, sort=sort,
                          direction=dir, page=page, per_page=per_page)
    return {"items": [service.sku_to_dict(k) for k in p.items], "total": p.total, "page": p.page, "per_page": p.per_page}


@router.post("/skus", response_model=SkuOut, status_code=201)
def create_sku(body: SkuIn, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    sku = service.create_sku(uow.session, principal, body.model_dump())
    uow.commit()
    return service.sku_to_dict(sku)


@router.get("/skus/{sku_id}", response_model=SkuOut)
def get_sku(sku_id: int, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    return service.sku_to_dict(service.get_sku(uow.session, principal, sku_id))


@router.put("/skus/{sku_id}", response_model=SkuOut)
def update_sku(sku_id: int, body: SkuIn, principal: Principal = Depends(api_principal),
               uow: UnitOfWork = Depends(get_uow)) -> Any:
    sku = service.update_sku(uow.session, principal, sku_id, body.model_dump())
    uow.commit()
    return service.sku_to_dict(sku)


@router.delete("/skus/{sku_id}", status_code=204)
def delete_sku(sku_id: int, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    service.delete_sku(uow.session, principal, sku_id)
    uow.commit()
    return Response(status_code=204)


@router.post("/catalog/import")
async def import_catalog(file: UploadFile = File(...), principal: Principal = Depends(api_principal),
                         uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    """Import SKUs from CSV/XLSX. A bad file writes nothing: 422 with every bad row."""
    result = service.import_catalog(uow.session, principal, await file.read(), file.filename or "catalog.csv")
    uow.commit()
    return result.to_dict()


@router.get("/catalog/export")
def export_catalog(format: str = Query("csv", pattern="^(csv|xlsx)$"), principal: Principal = Depends(api_principal),
                   uow: UnitOfWork = Depends(get_uow)) -> Response:
    if format == "xlsx":
        return Response(service.export_xlsx(uow.session, principal),
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": 'attachment; filename="catalog.xlsx"'})
    return Response(service.export_csv(uow.session, principal), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="catalog.csv"'})


@router.get("/listings", response_model=list[ListingOut])
def list_listings(unpaired: bool = False, channel: str = "", q: str = "", principal: Principal = Depends(api_principal),
                  uow: UnitOfWork = Depends(get_uow)) -> Any:
    return [_listing_out(li) for li in service.list_listings(uow.session, principal, unpaired=unpaired, channel=channel, q=q)]


@router.post("/listings", response_model=ListingOut, status_code=201)
def upsert_listing(body: ListingIn, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    li, _status = service.upsert_listing(uow.session, principal, body.model_dump())
    uow.commit()
    return _listing_out(li)


@router.put("/listings/{listing_id}/pair", response_model=ListingOut)
def pair_listing(listing_id: int, sku_id: int | None = None, principal: Principal = Depends(api_principal),
                 uow: UnitOfWork = Depends(get_uow)) -> Any:
    li = service.pair_listing(uow.session, principal, listing_id, sku_id)
    uow.commit()
    return _listing_out(li)


@router.delete("/listings/{listing_id}", status_code=204)
def delete_listing(listing_id: int, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Response:
    service.delete_listing(uow.session, principal, listing_id)
    uow.commit()
    return Response(status_code=204)

"""Selection endpoints under /api/v1/selection. Money as decimal strings; statistics as numbers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Query, UploadFile

from xborder.accounts.service import Principal
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import api_principal, get_uow
from xborder.selection import service

router = APIRouter(prefix="/selection", tags=["selection"])


def _loaded(uow: UnitOfWork, principal: Principal, data: bytes | None, fmt: str, preset: str, map_spec: str,
            currency: str | None, market: str | None) -> service.LoadedSales:
    if fmt == "orders":
        return service.load_org_orders(uow.session, principal, currency or None)
    from xborder.errors import ValidationError

    if not data:
        raise ValidationError("file: upload a sales file", field="file")
    return service.load_sales_file(data, fmt, preset=preset, mapping=service.parse_map(map_spec),
                                   currency=currency or None, market=market or None)


@router.post("/analyze")
async def analyze(file: UploadFile | None = File(None), format: str = Form("uci-online-retail"),
                  preset: str = Form("generic"), map: str = Form(""), currency: str = Form(""), market: str = Form(""),
                  per_market: int = Form(10), min_orders: int = Form(3), details: bool = Form(False),
                  principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    """The contract of ``xborder selection analyze --json`` (plus ``details`` when asked)."""
    data = await file.read() if file is not None else None
    loaded = _loaded(uow, principal, data, format, preset, map, currency, market)
    a, meta = service.analyze_loaded(loaded, per_market=per_market, min_orders=min_orders,
                                     catalog=service.catalog_info(uow.session, principal.org_id))
    out = a.contract()
    if details:
        out["details"] = {"opportunities": a.opportunities, "concentration": a.concentration, "seasonality": a.seasonality,
                          "price_bands": a.price_bands, "margin_models": a.margin_models, "weekly": a.weekly, **meta}
    return out


@router.post("/forecast")
async def forecast(file: UploadFile | None = File(None), format: str = Form("uci-online-retail"),
                   preset: str = Form("generic"), map: str = Form(""), currency: str = Form(""), market: str = Form(""),
                   horizon: int = Form(8), top: int = Form(20), level: int = Form(80), save: bool = Form(False),
                   principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    from xborder.errors import ValidationError

    if top > 200:
        raise ValidationError("top: at most 200 series per request (use the CLI for more)", field="top")
    data = await file.read() if file is not None else None
    loaded = _loaded(uow, principal, data, format, preset, map, currency, market)
    run = service.forecast_loaded(loaded, horizon=horizon, top=top, level=level)
    out = run.contract()
    if save:
        out["forecast_run"] = service.save_forecast(uow.session, principal, run, loaded.source).id
        uow.commit()
    return out


@router.get("/forecasts")
def forecasts(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    return {"items": [{"id": r.id, "source": r.source, "horizon": r.horizon, "series": len(r.lines),
                       "mase": None if r.mase is None else float(r.mase),
                       "mase_seasonal_naive": None if r.mase_baseline is None else float(r.mase_baseline),
                       "created_at": r.created_at.isoformat()}
                      for r in service.list_forecasts(uow.session, principal.org_id)]}


@router.get("/forecasts/{run_id}")
def forecast_run(run_id: int, principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    r = service.get_forecast(uow.session, principal, run_id)
    season = 52 if r.baseline.startswith("SeasonalNaive(52)") else 1
    return {"id": r.id, "source": r.source, "horizon": r.horizon, "level": r.level, "baseline": r.baseline,
            "baseline_season": season,
            "mase": None if r.mase is None else float(r.mase),
            "mase_seasonal_naive": None if r.mase_baseline is None else float(r.mase_baseline),
            "forecasts": [service.forecast_line_dict(ln) for ln in r.lines]}


@router.post("/research", status_code=201)
async def research_import(file: UploadFile = File(...), preset: str = Form("generic"), map: str = Form(""),
                          marketplace: str = Form(""), currency: str = Form("USD"), name: str = Form(""),
                          principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    data = await file.read()
    res = service.import_research(uow.session, principal, data, file.filename or "research.csv", preset=preset,
                                  mapping=service.parse_map(map), marketplace=marketplace, currency=currency, name=name)
    metrics = service.snapshot_metrics(service.get_snapshot(uow.session, principal, res.snapshot_id))
    uow.commit()
    return {**res.to_dict(), "niches": metrics}


@router.get("/research")
def research_list(principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    return {"items": [{"id": sn.id, "name": sn.name, "marketplace": sn.marketplace, "taken_on": sn.taken_on.isoformat(),
                       "listings": len(sn.listings)} for sn in service.list_snapshots(uow.session, principal.org_id)]}


@router.get("/research/{snapshot_id}")
def research_show(snapshot_id: int, principal: Principal = Depends(api_principal),
                  uow: UnitOfWork = Depends(get_uow)) -> Any:
    sn = service.get_snapshot(uow.session, principal, snapshot_id)
    return {"id": sn.id, "name": sn.name, "marketplace": sn.marketplace, "niches": service.snapshot_metrics(sn),
            "listings": [{"title": ln.title, "price": format(ln.price, "f"), "rating": None if ln.rating is None
                          else format(ln.rating, "f"), "review_count": ln.review_count, "rank": ln.rank,
                          "seller_count": ln.seller_count, "brand": ln.brand, "asin": ln.asin, "est_sales": ln.est_sales,
                          "category": ln.category} for ln in sn.listings]}


@router.get("/margin-model")
def margin_model(principal: Principal = Depends(api_principal)) -> Any:
    return {k: v.to_dict() for k, v in service.margin_table(None).items()}


@router.get("/risk")
def risk(base: str = Query("CNY"), principal: Principal = Depends(api_principal), uow: UnitOfWork = Depends(get_uow)) -> Any:
    from xborder.selection import risk_service

    return risk_service.overview(uow.session, principal, base=base)

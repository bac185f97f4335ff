"""Selection pages: market explorer (upload or own orders), opportunity table and quadrant
chart, forecasts with interval charts, research snapshots, risk overview, margin model."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from xborder import charts
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import WebContext, csrf_protect, get_uow, render, web_context
from xborder.errors import ImportRejected, XborderError
from xborder.selection import analytics, research, risk_service, sales_formats, service

router = APIRouter(include_in_schema=False)
CSRF = [Depends(csrf_protect)]
FORMATS = ("uci-online-retail", "mapped", "orders")


def _sales_available() -> bool:
    try:
        from xborder.sales import service as s  # type: ignore[attr-defined]  # noqa: F401
    except ImportError:
        return False
    return hasattr(s, "selection_rows")


def _index(request: Request, ctx: WebContext, uow: UnitOfWork, status: int = 200, **extra: Any) -> Response:
    return render(request, "selection/index.html", {
        "forecasts": service.list_forecasts(uow.session, ctx.principal.org_id)[:20],
        "snapshots": service.list_snapshots(uow.session, ctx.principal.org_id)[:20],
        "formats": FORMATS, "sales_presets": list(sales_formats.PRESETS), "research_presets": list(research.PRESETS),
        "sales_available": _sales_available(), **extra}, status_code=status)


@router.get("/selection")
def index(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    return _index(request, ctx, uow)


async def _load(uow: UnitOfWork, ctx: WebContext, file: UploadFile | None, fmt: str, preset: str, map_spec: str,
                currency: str, market: str) -> service.LoadedSales:
    if fmt == "orders":
        return service.load_org_orders(uow.session, ctx.principal, currency or None)
    data = await file.read() if file is not None else b""
    if not data:
        from xborder.errors import ValidationError

        raise ValidationError("file: choose a sales file", field="file")
    return service.load_sales_file(data, fmt, preset=preset, mapping=service.parse_map(map_spec),
                                   currency=currency or None, market=market or None)


def _quadrant_svg(opps: list[dict[str, Any]]) -> str:
    pts = [(f"{o['product']} · {o['market']}", o["components"]["competition"], o["components"]["margin"])
           for o in opps[:60]]
    return charts.scatter_quadrants(
        pts, title="Competition (buyer spread) vs margin", x_label="competition sub-score (100 = niche)",
        y_label="margin sub-score (100 = ≥ 40 % landed margin)", x_split=50, y_split=50,
        quadrant_labels=("crowded, profitable", "niche, profitable", "crowded, thin margin", "niche, thin margin"))


@router.post("/selection/analyze", dependencies=CSRF)
async def analyze(request: Request, file: UploadFile | None = File(None), format: str = Form("uci-online-retail"),
                  preset: str = Form("generic"), map: str = Form(""), currency: str = Form(""), market: str = Form(""),
                  per_market: int = Form(10), ctx: WebContext = Depends(web_context),
                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    try:
        loaded = await _load(uow, ctx, file, format, preset, map, currency, market)
        a, meta = service.analyze_loaded(loaded, per_market=per_market,
                                         catalog=service.catalog_info(uow.session, ctx.principal.org_id))
    except ImportRejected as exc:
        return _index(request, ctx, uow, 422, rejected=exc)
    except XborderError as exc:
        return _index(request, ctx, uow, exc.http_status, error=exc.message)
    for o in a.opportunities:
        o["quadrant"] = analytics.quadrant(o)
    top_market = a.markets[0]["country"] if a.markets else None
    bands = [(b["band"], b["revenue"]) for b in a.price_bands if b["market"] == top_market]
    from decimal import Decimal

    top5 = [m["country"] for m in a.markets[:5]]
    weekly_series = [(mk, [(w["week"], int(w["units"])) for w in a.weekly if w["market"] == mk]) for mk in top5]
    weekly_svg = charts.line_chart(weekly_series, title="Weekly demand (units), largest markets") if a.weekly else ""
    return render(request, "selection/analysis.html", {
        "weekly_svg": weekly_svg,
        "a": a, "meta": meta, "quadrant_svg": _quadrant_svg(a.opportunities),
        "markets_svg": charts.bar_chart([(m["country"], Decimal(m["revenue"])) for m in a.markets[:12]],
                                        title=f"Revenue by market ({a.currency})"),
        "bands_svg": charts.bar_chart([(b, Decimal(v)) for b, v in bands], title=f"Revenue by price band, {top_market}")
        if bands else "",
        "conc": {c["market"]: c for c in a.concentration}, "seas": {x["market"]: x for x in a.seasonality}})


@router.post("/selection/forecast", dependencies=CSRF)
async def forecast(request: Request, file: UploadFile | None = File(None), format: str = Form("uci-online-retail"),
                   preset: str = Form("generic"), map: str = Form(""), currency: str = Form(""), market: str = Form(""),
                   horizon: int = Form(8), top: int = Form(20), ctx: WebContext = Depends(web_context),
                   uow: UnitOfWork = Depends(get_uow)) -> Response:
    try:
        if top > 200:
            from xborder.errors import ValidationError

            raise ValidationError("top: at most 200 series here (use the CLI for more)", field="top")
        loaded = await _load(uow, ctx, file, format, preset, map, currency, market)
        run = service.forecast_loaded(loaded, horizon=horizon, top=top)
        row = service.save_forecast(uow.session, ctx.principal, run, getattr(file, "filename", None) or loaded.source)
        uow.commit()
    except ImportRejected as exc:
        return _index(request, ctx, uow, 422, rejected=exc)
    except XborderError as exc:
        uow.rollback()
        return _index(request, ctx, uow, exc.http_status, error=exc.message)
    return RedirectResponse(f"/selection/forecasts/{row.id}", status_code=303)


def _forecast_svg(ln: dict[str, Any]) -> str:
    hist = [(h["week"], h["units"]) for h in ln["history"][-26:]]
    fc = [(p["week"], p["mean"]) for p in ln["forecast"]]
    band = [(p["week"], p["lo"], p["hi"]) for p in ln["forecast"]]
    split = fc[0][0] if fc else None
    return charts.line_chart([("history", hist), ("forecast", ([hist[-1]] if hist else []) + fc)],
                             title=f"{ln['product']} · {ln['market']} ({ln['model']})", band=band, split_at=split,
                             height=220)


@router.get("/selection/forecasts/{run_id}")
def forecast_page(run_id: int, request: Request, ctx: WebContext = Depends(web_context),
                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    run = service.get_forecast(uow.session, ctx.principal, run_id)
    lines = [service.forecast_line_dict(ln) for ln in run.lines]
    for ln in lines:
        ln["total"] = round(sum(p["mean"] for p in ln["forecast"]), 1)
    charts_svg = [_forecast_svg(ln) for ln in lines[:12]]
    return render(request, "selection/forecast.html", {"run": run, "lines": lines, "charts": charts_svg})


@router.post("/selection/research", dependencies=CSRF)
async def research_import(request: Request, file: UploadFile = File(...), preset: str = Form("generic"),
                          map: str = Form(""), marketplace: str = Form(""), currency: str = Form("USD"),
                          ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    try:
        res = service.import_research(uow.session, ctx.principal, await file.read(), file.filename or "research.csv",
                                      preset=preset, mapping=service.parse_map(map), marketplace=marketplace,
                                      currency=currency)
        uow.commit()
    except ImportRejected as exc:
        uow.rollback()
        return _index(request, ctx, uow, 422, rejected=exc)
    except XborderError as exc:
        uow.rollback()
        return _index(request, ctx, uow, exc.http_status, error=exc.message)
    return RedirectResponse(f"/selection/research/{res.snapshot_id}?imported={res.imported}", status_code=303)


@router.get("/selection/research/{snapshot_id}")
def research_page(snapshot_id: int, request: Request, ctx: WebContext = Depends(web_context),
                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    sn = service.get_snapshot(uow.session, ctx.principal, snapshot_id)
    return render(request, "selection/research.html", {"sn": sn, "niches": service.snapshot_metrics(sn),
                                                       "listings": sorted(sn.listings, key=lambda x: (x.rank or 10**9, x.line))})


@router.get("/selection/risk")
def risk_page(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    ov = risk_service.overview(uow.session, ctx.principal)
    from decimal import Decimal

    fx_svg = charts.bar_chart([(c["currency"], Decimal(c["amount_base"]).copy_abs()) for c in ov["fx_exposure"]["currencies"]],
                              title=f"Exposure by currency ({ov['fx_exposure']['base']})") \
        if ov["fx_exposure"]["currencies"] else ""
    return render(request, "selection/risk.html", {"ov": ov, "fx_svg": fx_svg})


@router.get("/selection/margin-model")
def margin_page(request: Request, ctx: WebContext = Depends(web_context)) -> Response:
    table = service.margin_table(None)
    return render(request, "selection/margin.html", {"models": {k: v.to_dict() for k, v in table.items()},
                                                     "example": json.dumps({"Germany": {"fee_rate": "0.08",
                                                                                        "duty_rate": "0.027"}})})

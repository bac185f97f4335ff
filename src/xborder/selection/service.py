"""Selection use cases: analyse sales (file or the organisation's orders), forecast, research imports.

File analyses need no database. ``--format orders`` reads the organisation's own orders
through the sales package (guarded: ``xborder.sales`` is built separately; when it is
missing a clear error says so).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.errors import NotFound, ValidationError, XborderError
from xborder.selection import analytics, forecasting, research, sales_formats
from xborder.selection.margin import MarginAssumptions, load_assumptions
from xborder.selection.orm import ForecastLine, ForecastRun, ResearchListing, ResearchSnapshot
from xborder.selection.transactions import CleaningResult, canonical_frame, clean, read_uci

FORMATS = ("uci-online-retail", "orders", "mapped")


class SalesUnavailable(XborderError):
    code = "SALES_UNAVAILABLE"
    http_status = 422
    exit_code = 2


@dataclass
class LoadedSales:
    cleaning: CleaningResult
    buyers_known: bool
    currency: str
    source: str


def parse_map(spec: str | None) -> dict[str, str]:
    """``"product=Lineitem sku,quantity=Qty"`` → {"product": "Lineitem sku", "quantity": "Qty"}."""
    out: dict[str, str] = {}
    if not spec:
        return out
    for part in spec.split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValidationError(f"map: {part!r} is not field=Header", field="map")
        k, v = part.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def load_sales_file(
    path: str | Path | bytes,
    fmt: str,
    *,
    preset: str = "generic",
    mapping: dict[str, str] | None = None,
    currency: str | None = None,
    market: str | None = None,
) -> LoadedSales:
    if fmt == "uci-online-retail":
        cur = currency or "GBP"
        res = clean(read_uci(path, currency=cur))
        return LoadedSales(res, True, cur, str(path) if not isinstance(path, bytes) else "upload")
    if fmt == "mapped":
        cur = currency or "USD"
        frame, has_customers = sales_formats.read_mapped(path, preset=preset, overrides=mapping, currency=cur, market=market)
        currencies = frame["currency"].unique().drop_nulls().to_list()
        if len(currencies) > 1:
            raise ValidationError(
                f"sales: the file mixes currencies ({', '.join(sorted(currencies))}); analyse one currency at a time",
                field="currency",
            )
        cur = currencies[0] if currencies else cur
        res = clean(frame, require_customer=has_customers)
        return LoadedSales(res, has_customers, cur, str(path) if not isinstance(path, bytes) else "upload")
    if fmt == "orders":
        raise ValidationError("format: 'orders' reads the organisation's orders from the database", field="format")
    raise ValidationError(f"format: {fmt!r}; use one of {', '.join(FORMATS)}", field="format")


def load_org_orders(s: Session, principal: Principal, currency: str | None = None) -> LoadedSales:
    """The organisation's imported orders (``xborder.sales``), one record per order line.

    A ``selection_rows(s, org_id)`` hook of the sales service is used when it exists; otherwise
    the sales tables are read directly: product = the catalog SKU the line is paired to
    (``SkuResolver``: listing pairing, else a catalog SKU equal to the seller SKU), else the
    platform SKU; market = ship-to country, else the marketplace's market; unit price = the
    line's item price (a line total) ÷ quantity, to 4 decimals; a status containing "cancel"
    marks a cancellation. Orders carry no buyer id, so buyers are not counted. One currency is
    analysed at a time (``currency``, else the most frequent one).
    """
    try:
        from xborder.sales import service as sales_service
    except ImportError:
        raise SalesUnavailable(
            "format orders: the sales package (imported orders) is not installed in this build; "
            "analyse a file with --sales FILE --format uci-online-retail|mapped"
        ) from None
    hook = getattr(sales_service, "selection_rows", None)
    records = list(hook(s, principal.org_id)) if hook is not None else _sales_rows(s, principal.org_id)
    if not records:
        raise ValidationError("sales: the organisation has no orders yet; import orders first (xborder orders import)",
                              field="sales")
    counts: dict[str, int] = {}
    for r in records:
        if r.get("currency"):
            counts[r["currency"]] = counts.get(r["currency"], 0) + 1
    cur = currency or (max(sorted(counts), key=lambda c: counts[c]) if counts else "USD")
    records = [r for r in records if (r.get("currency") or cur) == cur]
    frame = canonical_frame(records, cur)
    buyers = any(r.get("customer") for r in records)
    return LoadedSales(clean(frame, require_customer=buyers), buyers, cur, "orders")


def _sales_rows(s: Session, org_id: int) -> list[dict[str, Any]]:
    from xborder.sales import service as sales_service
    from xborder.sales.orm import SalesOrder, SalesOrderLine

    resolver = sales_service.SkuResolver(s, org_id)
    out: list[dict[str, Any]] = []
    q = (select(SalesOrder, SalesOrderLine).join(SalesOrderLine, SalesOrderLine.order_id == SalesOrder.id)
         .where(SalesOrder.org_id == org_id).order_by(SalesOrder.purchased_at, SalesOrder.id, SalesOrderLine.id))
    for i, (o, ln) in enumerate(s.execute(q), start=1):
        qty = ln.quantity
        unit = None
        if ln.item_price is not None and qty and qty == qty.to_integral_value() and qty != 0:
            unit = (ln.item_price / abs(qty)).quantize(Decimal("0.0001"))
        product = resolver.resolve(o.channel, o.market, ln.platform_sku, ln.listing_ref) or ln.platform_sku
        out.append({
            "line": i,
            "order_id": f"{o.channel}:{o.order_ref}",
            "date": o.purchased_at,
            "product": product,
            "description": ln.title or "",
            "quantity": int(qty) if qty == qty.to_integral_value() else None,
            "unit_price": unit,
            "customer": None,
            "market": o.ship_country or o.market,
            "cancelled": bool(o.status and "cancel" in o.status.lower()),
            "currency": o.currency,
        })
    return out


def fx_per_cny(currency: str, on: date) -> tuple[Decimal, str]:
    """Units of ``currency`` per CNY on ``on`` from the ECB reference rates (with fallback)."""
    if currency == "CNY":
        return Decimal(1), "CNY"
    from xborder.fx.ecb import bundled_table

    q = bundled_table().quote("CNY", currency, on)
    return q.rate, q.explain()


def margin_table(margin_file: str | Path | None) -> dict[str, MarginAssumptions]:
    if not margin_file:
        return {"*": MarginAssumptions()}
    try:
        data = json.loads(Path(margin_file).read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValidationError(f"margin: cannot read {margin_file}: {exc}", field="margin") from None
    return load_assumptions(data)


def analyze_loaded(
    loaded: LoadedSales,
    *,
    per_market: int = 10,
    min_orders: int = 3,
    margins: dict[str, MarginAssumptions] | None = None,
    unit_costs: dict[str, Decimal] | None = None,
    hs_codes: dict[str, str] | None = None,
    catalog: dict[str, tuple[Decimal | None, str, str | None]] | None = None,
) -> tuple[analytics.Analysis, dict[str, Any]]:
    """``catalog``: {sku: (purchase cost, its currency, HS code)} from :func:`catalog_info`; costs in
    CNY are converted at the analysis FX rate and replace the cost-ratio estimate."""
    df = loaded.cleaning.frame
    meta: dict[str, Any] = {"currency": loaded.currency, "source": loaded.source}
    fx = Decimal("1")
    if df.height:
        end = df["date"].max().date()
        try:
            fx, fx_note = fx_per_cny(loaded.currency, end)
        except XborderError as exc:
            raise ValidationError(
                f"margin: no CNY/{loaded.currency} rate near {end} ({exc.message}); costs in CNY cannot be converted",
                field="currency",
            ) from None
        meta["fx"] = {"rate": format(fx, "f"), "note": fx_note, "on": end.isoformat()}
    if catalog:
        unit_costs = dict(unit_costs or {})
        hs_codes = dict(hs_codes or {})
        for code, (cost, cur, hs) in catalog.items():
            if cost is not None and code not in unit_costs:
                if cur == "CNY":
                    unit_costs[code] = cost * fx
                elif cur == loaded.currency:
                    unit_costs[code] = cost
            if hs:
                hs_codes.setdefault(code, hs)
        meta["catalog_costs"] = len(unit_costs)
    a = analytics.analyze(
        df,
        loaded.cleaning.to_dict(),
        options=analytics.AnalysisOptions(per_market=per_market, min_orders=min_orders, currency=loaded.currency),
        margin_table=margins,
        fx_rate=fx,
        unit_costs=unit_costs,
        cleaning_explanations=loaded.cleaning.explanations,
        buyers_known=loaded.buyers_known,
    )
    meta["duty_source"] = refine_duties(a, margins or {"*": MarginAssumptions()}, fx, unit_costs or {}, hs_codes or {})
    return a, meta


def refine_duties(a: analytics.Analysis, margins: dict[str, MarginAssumptions], fx: Decimal,
                  unit_costs: dict[str, Decimal], hs_codes: dict[str, str], on: date | None = None) -> str:
    """Replace the estimated shipping and duty of the kept opportunities by the logistics and
    customs engines' figures, when those packages are installed (each falls back on its own)."""
    from xborder.selection import engines
    from xborder.selection.margin import assumptions_for, unit_margin

    on = on or date.today()
    duty_fn = engines.customs_duty_fn(on)
    ship_fn = engines.logistics_shipping_fn(on)
    if duty_fn is None and ship_fn is None:
        for o in a.opportunities:
            o["duty_source"] = "estimate (customs package not installed)"
            o["shipping_source"] = "estimate (logistics package not installed)"
        return "estimate: the customs and logistics packages are not installed"
    used = 0
    for o in a.opportunities:
        ma = assumptions_for(o["market"], margins, on)
        price = Decimal(o["price"])
        upp = Decimal(max(1, o["demand"] // max(1, o.get("orders", 1))))
        shipping: Decimal | None = None
        o["shipping_source"] = "estimate (logistics package not installed)"
        if ship_fn is not None:
            shipping, o["shipping_source"] = ship_fn(o["market"], ma.unit_weight_kg, upp, a.currency)
        est = unit_margin(price, a.currency, ma, fx_rate=fx, unit_cost=unit_costs.get(o["product"]), units_per_parcel=upp,
                          shipping=shipping)
        ship_amount = -next(ln.amount for ln in est.lines if ln.label == "shipping")
        duty: Decimal | None = None
        o["duty_source"] = "estimate (customs package not installed)"
        if duty_fn is not None:
            duty, o["duty_source"] = duty_fn(o["market"], price, a.currency, ship_amount, ma.unit_weight_kg, ma.duty_rate,
                                             hs_codes.get(o["product"]))
        if duty is None and shipping is None:
            continue
        um = unit_margin(price, a.currency, ma, fx_rate=fx, unit_cost=unit_costs.get(o["product"]), units_per_parcel=upp,
                         duty=duty, shipping=shipping)
        o["margin"], o["margin_rate"] = format(um.margin, "f"), format(um.margin_rate, "f")
        o["margin_lines"] = um.to_dict()["lines"]
        o["components"]["margin"] = analytics.score_components(0, float(um.margin_rate), None, None, None)["margin"]
        o["score"] = analytics.weighted_score(o["components"])
        used += 1
    a.opportunities.sort(key=lambda o: (-o["score"], o["market"], o["product"]))
    return (f"engines (customs: {'yes' if duty_fn else 'no'}, logistics: {'yes' if ship_fn else 'no'}) used for {used} of "
            f"{len(a.opportunities)} opportunities; estimates for the rest (see duty_source, shipping_source)")


def forecast_loaded(loaded: LoadedSales, *, horizon: int = 8, top: int = 100, level: int = 80, n_jobs: int | None = None
                    ) -> forecasting.ForecastRun:
    if top < 1:
        raise ValidationError("top: at least 1", field="top")
    series, weeks = forecasting.weekly_series(loaded.cleaning.frame, top)
    return forecasting.run(series, weeks, horizon=horizon, level=level, n_jobs=n_jobs)


# --- saved forecasts --------------------------------------------------------------------


def save_forecast(s: Session, principal: Principal, run: forecasting.ForecastRun, source: str) -> ForecastRun:
    principal.require("catalog")
    row = ForecastRun(
        org_id=principal.org_id,
        source=source[:300],
        horizon=run.horizon,
        level=run.level,
        first_week=run.series[0].forecast[0][0] if run.series and run.series[0].forecast else date.today(),
        mase=_dec(run.mase),
        mase_baseline=_dec(run.mase_seasonal_naive),
        baseline=run.baseline[:80],
    )
    for sf in run.series:
        errs = [a - f for _, a, f in sf.backtest]
        sigma = math.sqrt(sum(e * e for e in errs) / len(errs)) if errs else 0.0
        row.lines.append(
            ForecastLine(
                org_id=principal.org_id,
                product=sf.product[:64],
                market=sf.market[:60],
                model=sf.model,
                series_class=sf.series_class,
                mase=_dec(sf.mase),
                sigma_week=Decimal(str(round(sigma, 4))),
                weekly=json.dumps(sf.to_dict()["forecast"]),
                history=json.dumps([{"week": d.isoformat(), "units": v} for d, v in sf.history]),
            )
        )
    s.add(row)
    s.flush()
    return row


def _dec(x: float | None) -> Decimal | None:
    if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))):
        return None
    return Decimal(str(round(x, 8)))


def latest_forecast(s: Session, org_id: int) -> ForecastRun | None:
    return s.scalars(
        select(ForecastRun).where(ForecastRun.org_id == org_id).order_by(ForecastRun.id.desc()).limit(1)
    ).first()


def get_forecast(s: Session, principal: Principal, run_id: int) -> ForecastRun:
    row = s.scalars(select(ForecastRun).where(ForecastRun.id == run_id, ForecastRun.org_id == principal.org_id)).first()
    if row is None:
        raise NotFound(f"forecast run {run_id} not found")
    return row


def list_forecasts(s: Session, org_id: int) -> list[ForecastRun]:
    return list(s.scalars(select(ForecastRun).where(ForecastRun.org_id == org_id).order_by(ForecastRun.id.desc())))


def forecast_line_dict(ln: ForecastLine) -> dict[str, Any]:
    return {
        "product": ln.product,
        "market": ln.market,
        "model": ln.model,
        "class": ln.series_class,
        "mase": float(ln.mase) if ln.mase is not None else None,
        "sigma_week": format(ln.sigma_week, "f"),
        "forecast": json.loads(ln.weekly),
        "history": json.loads(ln.history or "[]"),
    }


# --- research exports -------------------------------------------------------------------


@dataclass
class ResearchImport:
    snapshot_id: int
    imported: int
    skipped_duplicates: int

    def to_dict(self) -> dict[str, Any]:
        return {"snapshot_id": self.snapshot_id, "imported": self.imported, "skipped_duplicates": self.skipped_duplicates,
                "errors": []}


def import_research(
    s: Session,
    principal: Principal,
    data: bytes,
    filename: str,
    *,
    preset: str = "generic",
    mapping: dict[str, str] | None = None,
    marketplace: str = "",
    currency: str = "USD",
    name: str = "",
    taken_on: date | None = None,
) -> ResearchImport:
    """Validate the whole file, then store it as one snapshot. The same file twice changes nothing."""
    principal.require("catalog")
    from xborder.importing import read_table

    sha = hashlib.sha256(data).hexdigest()
    existing = s.scalars(
        select(ResearchSnapshot).where(ResearchSnapshot.org_id == principal.org_id, ResearchSnapshot.sha256 == sha)
    ).first()
    table = read_table(data, filename=filename)
    headers = list(table.headers)
    m = research.resolve_mapping(headers, preset, mapping)
    rows = [dict(r.values) for r in table]
    listings = research.parse_rows(rows, m, marketplace=marketplace, lines=[r.line for r in table])
    if existing is not None:
        return ResearchImport(existing.id, 0, len(listings))
    snap = ResearchSnapshot(
        org_id=principal.org_id,
        name=(name or Path(filename).stem)[:200],
        marketplace=marketplace[:60],
        preset=preset,
        currency=currency,
        filename=filename[:300],
        sha256=sha,
        taken_on=taken_on or date.today(),
    )
    seen: set[str] = set()
    dup = 0
    for ln in listings:
        key = ln.key[:300]
        if key in seen:
            dup += 1
            continue
        seen.add(key)
        snap.listings.append(
            ResearchListing(
                org_id=principal.org_id,
                key=key,
                line=ln.line,
                title=ln.title,
                price=ln.price,
                rating=ln.rating,
                review_count=ln.review_count,
                rank=ln.rank,
                seller_count=ln.seller_count,
                category=ln.category[:200],
                marketplace=(ln.marketplace or marketplace)[:60],
                brand=ln.brand[:200],
                asin=ln.asin[:40],
                est_sales=ln.est_sales,
                launch_date=ln.launch_date,
            )
        )
    s.add(snap)
    s.flush()
    return ResearchImport(snap.id, len(seen), dup)


def list_snapshots(s: Session, org_id: int) -> list[ResearchSnapshot]:
    return list(s.scalars(select(ResearchSnapshot).where(ResearchSnapshot.org_id == org_id).order_by(ResearchSnapshot.id.desc())))


def get_snapshot(s: Session, principal: Principal, snapshot_id: int) -> ResearchSnapshot:
    snap = s.scalars(
        select(ResearchSnapshot).where(ResearchSnapshot.id == snapshot_id, ResearchSnapshot.org_id == principal.org_id)
    ).first()
    if snap is None:
        raise NotFound(f"research snapshot {snapshot_id} not found")
    return snap


def snapshot_metrics(snap: ResearchSnapshot, today: date | None = None) -> list[dict[str, Any]]:
    """Niche metrics per category of one snapshot."""
    today = today or snap.taken_on
    groups: dict[str, list[research.Listing]] = {}
    for r in snap.listings:
        groups.setdefault(r.category or "(all)", []).append(
            research.Listing(
                line=r.line, title=r.title, price=r.price, rating=r.rating, review_count=r.review_count, rank=r.rank,
                seller_count=r.seller_count, category=r.category, marketplace=r.marketplace, brand=r.brand, asin=r.asin,
                est_sales=r.est_sales, launch_date=r.launch_date,
            )
        )
    out = []
    for cat, ls in sorted(groups.items()):
        m = research.niche_metrics(ls, today=today)
        m["category"] = cat
        m["marketplace"] = snap.marketplace
        m["competition_score"] = research.competition_score(m)
        out.append(m)
    return out


def research_count(s: Session, org_id: int) -> int:
    return int(s.scalar(select(func.count(ResearchSnapshot.id)).where(ResearchSnapshot.org_id == org_id)) or 0)


def catalog_info(s: Session, org_id: int) -> dict[str, tuple[Decimal | None, str, str | None]]:
    """{sku: (purchase cost, purchase currency, HS code)} of the organisation's catalog."""
    try:
        from xborder.catalog.orm import Sku
    except ImportError:
        return {}
    return {k.sku: (k.purchase_cost, k.purchase_currency, k.hs_code)
            for k in s.scalars(select(Sku).where(Sku.org_id == org_id))}


def iter_frame(df: pl.DataFrame) -> Iterable[dict[str, Any]]:
    return df.iter_rows(named=True)

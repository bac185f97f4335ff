"""Market analytics on cleaned transactions (Polars, columnar; no row loops over sales lines).

Definitions (all computed per market = destination country unless said otherwise):

* **revenue** Σ quantity × unit price (exact: scaled integers, see ``transactions``);
  **orders** distinct invoices; **customers** distinct buyers.
* **growth** revenue of the second half of the analysed period ÷ revenue of the first half − 1
  (the period is split at its midpoint; ``None`` when the first half has no revenue). Halves
  rather than year-on-year because most sellers, like the UCI file, have about one year.
* **weekly demand** units per product × market × ISO week (weeks start on Monday).
* **seasonality** max monthly revenue ÷ mean monthly revenue (1 = flat).
* **price bands** revenue and units per unit-price band.
* **concentration** of a market: top-10 product revenue share (CR10) and the
  Herfindahl–Hirschman index Σ sᵢ² of product shares (0–1; 0.25 ≈ "highly concentrated",
  the usual 2,500-point threshold); of an opportunity: HHI of the product's revenue across
  its buyers in that market (1 = a single buyer carries all demand).
* **opportunity score** 0–100, a weighted sum of visible sub-scores (``SCORE_WEIGHTS``),
  after the published SellerScore design (Demand 25 / Margin 20 / Competition 20 / Trend 15 /
  Seasonality 10 / Cross-platform 10, research/marketplaces.md §3). Transaction data has no
  cross-platform signal, so its weight is left out and the rest re-normalised:

  - demand: percentile rank of units within the market (0–100);
  - margin: landed margin rate mapped linearly, 0 % → 0 and 40 % or more → 100;
  - competition: 100 × (1 − buyer HHI) (demand spread over many buyers is safer);
  - trend: growth mapped linearly, −50 % → 0, 0 → 50, +50 % or more → 100;
  - stability: 100 × (1 − min(1, CV of weekly units ÷ 3)) (steady demand, easier to stock).

Statistics (shares, growth, scores) are dimensionless ratios reported rounded to 4 places;
money stays Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import polars as pl

from xborder.selection.margin import MarginAssumptions, assumptions_for, unit_margin
from xborder.selection.transactions import SCALE, e4_to_decimal

SCORE_WEIGHTS: dict[str, Decimal] = {
    "demand": Decimal(25),
    "margin": Decimal(20),
    "competition": Decimal(20),
    "trend": Decimal(15),
    "stability": Decimal(10),
}

PRICE_BANDS_E4 = (0, 1 * SCALE, 2 * SCALE, 5 * SCALE, 10 * SCALE, 20 * SCALE)


def _r4(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


@dataclass(frozen=True)
class AnalysisOptions:
    per_market: int = 10  # opportunities kept per market
    min_orders: int = 3  # product × market pairs with fewer orders are not scored
    currency: str = "GBP"


def period_midpoint(df: pl.DataFrame) -> datetime:
    lo, hi = df["date"].min(), df["date"].max()
    return lo + (hi - lo) / 2


def markets(df: pl.DataFrame) -> pl.DataFrame:
    mid = period_midpoint(df)
    return (
        df.group_by("market")
        .agg(
            pl.col("revenue_e4").sum().alias("revenue_e4"),
            pl.col("order_id").n_unique().alias("orders"),
            pl.col("customer").drop_nulls().n_unique().alias("customers"),
            pl.col("quantity").sum().alias("units"),
            pl.col("revenue_e4").filter(pl.col("date") < mid).sum().alias("rev_h1"),
            pl.col("revenue_e4").filter(pl.col("date") >= mid).sum().alias("rev_h2"),
        )
        .with_columns(
            pl.when(pl.col("rev_h1") > 0).then(pl.col("rev_h2") / pl.col("rev_h1") - 1).otherwise(None).alias("growth")
        )
        .sort(["revenue_e4", "market"], descending=[True, False])
    )


def market_concentration(df: pl.DataFrame) -> pl.DataFrame:
    per = df.group_by("market", "product").agg(pl.col("revenue_e4").sum().alias("rev"))
    per = per.with_columns((pl.col("rev") / pl.col("rev").sum().over("market")).alias("share"))
    ranked = per.with_columns(pl.col("rev").rank("ordinal", descending=True).over("market").alias("rk"))
    return ranked.group_by("market").agg(
        pl.col("share").filter(pl.col("rk") <= 10).sum().alias("cr10"),
        (pl.col("share") ** 2).sum().alias("hhi"),
        pl.len().alias("products"),
    )


def weekly_demand(df: pl.DataFrame) -> pl.DataFrame:
    return (
        df.with_columns(pl.col("date").dt.truncate("1w").alias("week"))
        .group_by("product", "market", "week")
        .agg(pl.col("quantity").sum().alias("units"), pl.col("revenue_e4").sum().alias("revenue_e4"))
        .sort("product", "market", "week")
    )


def seasonality(df: pl.DataFrame) -> pl.DataFrame:
    monthly = df.with_columns(pl.col("date").dt.truncate("1mo").alias("month")).group_by("market", "month").agg(
        pl.col("revenue_e4").sum().alias("rev")
    )
    return monthly.group_by("market").agg(
        (pl.col("rev").max() / pl.col("rev").mean()).alias("seasonality_index"),
        pl.col("month").sort_by("rev", descending=True).first().alias("peak_month"),
    )


def price_bands(df: pl.DataFrame) -> pl.DataFrame:
    bounds = list(PRICE_BANDS_E4)
    labels = [f"{bounds[i] // SCALE}-{bounds[i + 1] // SCALE}" for i in range(len(bounds) - 1)] + [f"{bounds[-1] // SCALE}+"]
    band = pl.lit(labels[-1])
    for i in range(len(bounds) - 2, -1, -1):
        band = pl.when(pl.col("price_e4") < bounds[i + 1]).then(pl.lit(labels[i])).otherwise(band)
    out = df.with_columns(band.alias("band")).group_by("market", "band").agg(
        pl.col("revenue_e4").sum().alias("revenue_e4"), pl.col("quantity").sum().alias("units")
    )
    order = {ln: i for i, ln in enumerate(labels)}
    return out.with_columns(pl.col("band").replace_strict(order, return_dtype=pl.Int32).alias("band_order")).sort(
        "market", "band_order"
    )


def product_markets(df: pl.DataFrame, min_orders: int, buyers_known: bool = True) -> pl.DataFrame:
    """Per product × market: demand, revenue, growth, buyer HHI, weekly CV, mean price (lazy, one plan)."""
    mid = period_midpoint(df)
    weeks_total = max(1, int(((df["date"].max() - df["date"].min()).days // 7) + 1))
    lf = df.lazy()
    base = (
        lf.group_by("product", "market")
        .agg(
            pl.col("quantity").sum().alias("demand"),
            pl.col("revenue_e4").sum().alias("revenue_e4"),
            pl.col("order_id").n_unique().alias("orders"),
            pl.col("description").drop_nulls().first().alias("description"),
            pl.col("revenue_e4").filter(pl.col("date") < mid).sum().alias("rev_h1"),
            pl.col("revenue_e4").filter(pl.col("date") >= mid).sum().alias("rev_h2"),
        )
        .filter(pl.col("orders") >= min_orders)
    )
    weekly = (
        lf.group_by("product", "market", pl.col("date").dt.truncate("1w").alias("week"))
        .agg(pl.col("quantity").sum().alias("u"))
        .group_by("product", "market")
        .agg(pl.col("u").sum().alias("u_sum"), (pl.col("u") ** 2).sum().alias("u_sq"))
        .with_columns((pl.col("u_sum") / weeks_total).alias("mean_w"))
        .with_columns(
            ((pl.col("u_sq") / weeks_total - pl.col("mean_w") ** 2).clip(lower_bound=0).sqrt() / pl.col("mean_w")).alias(
                "cv"
            )
        )
        .select("product", "market", "cv")
    )
    if buyers_known:
        buyers = (
            lf.filter(pl.col("customer").is_not_null())
            .group_by("product", "market", "customer")
            .agg(pl.col("revenue_e4").sum().alias("r"))
            .with_columns((pl.col("r") / pl.col("r").sum().over("product", "market")).alias("s"))
            .group_by("product", "market")
            .agg((pl.col("s") ** 2).sum().alias("concentration"))
        )
        out = base.join(buyers, on=["product", "market"], how="left")
    else:
        out = base.with_columns(pl.lit(None, dtype=pl.Float64).alias("concentration"))
    out = out.join(weekly, on=["product", "market"], how="left")
    return out.with_columns(
        pl.when(pl.col("rev_h1") > 0).then(pl.col("rev_h2") / pl.col("rev_h1") - 1).otherwise(None).alias("growth"),
        (pl.col("revenue_e4") / pl.col("demand")).alias("avg_price_e4"),
        (pl.col("demand").rank("average") / pl.len()).over("market").alias("demand_pct"),
        (pl.col("demand") // pl.col("orders")).clip(lower_bound=1).alias("units_per_order"),
    ).with_columns(pl.col("product").cast(pl.Utf8), pl.col("market").cast(pl.Utf8)).collect()


def margin_rates(pm: pl.DataFrame, table: dict[str, MarginAssumptions], on: date, fx_rate: Decimal,
                 unit_costs_e4: dict[str, int]) -> pl.Series:
    """Landed margin rate of every row, vectorised (a ratio used for ranking; the exact Decimal
    margin of the opportunities kept is recomputed with :func:`unit_margin`)."""
    markets = pm["market"].unique().to_list()
    params = []
    for m in markets:
        a = assumptions_for(m, table, on)
        params.append({"market": m, "f": float(a.fee_rate), "kg": float(a.shipping_per_kg), "item": float(a.shipping_per_item),
                       "w": float(a.unit_weight_kg), "d": float(a.duty_rate), "v": float(a.vat_rate), "cr": float(a.cost_ratio),
                       "rr": float(a.rebate_rate) if a.special_invoice else 0.0, "pv": float(a.purchase_vat_rate)})
    p = pl.DataFrame(params, schema={"market": pl.Utf8, **{k: pl.Float64 for k in ("f", "kg", "item", "w", "d", "v", "cr", "rr", "pv")}})
    costs = pl.DataFrame({"product": list(unit_costs_e4), "cost_e4": list(unit_costs_e4.values())},
                         schema={"product": pl.Utf8, "cost_e4": pl.Int64})
    fx = float(fx_rate)
    x = pm.select("product", "market", "avg_price_e4", "units_per_order").join(p, on="market", how="left").join(
        costs, on="product", how="left")
    price = pl.col("avg_price_e4") / SCALE
    cost = pl.when(pl.col("cost_e4").is_not_null()).then(pl.col("cost_e4") / SCALE).otherwise(price * pl.col("cr"))
    ship = (pl.col("kg") * pl.col("w") + pl.col("item") / pl.col("units_per_order")) * fx
    margin = (price - price * pl.col("f") - ship - (cost + ship) * pl.col("d") - price * pl.col("v") / (1 + pl.col("v"))
              - cost + cost / (1 + pl.col("pv")) * pl.col("rr"))
    return x.select((margin / price).alias("margin_rate"))["margin_rate"]


def score_components(
    demand_pct: float, margin_rate: float, concentration: float | None, growth: float | None, cv: float | None
) -> dict[str, float]:
    """Sub-scores 0–100 (see module docstring). Unknown buyer concentration scores a neutral 50.

    >>> score_components(0.9, 0.2, 0.25, 0.1, 1.5)
    {'demand': 90.0, 'margin': 50.0, 'competition': 75.0, 'trend': 60.0, 'stability': 50.0}
    """
    g = 0.0 if growth is None else growth
    return {
        "demand": round(100 * demand_pct, 4),
        "margin": round(max(0.0, min(100.0, margin_rate / 0.40 * 100)), 4),
        "competition": 50.0 if concentration is None else round(100 * (1 - min(1.0, max(0.0, concentration))), 4),
        "trend": round(max(0.0, min(100.0, 50 + g * 100)), 4),
        "stability": round(100 * (1 - min(1.0, (cv if cv is not None else 3.0) / 3)), 4),
    }


def weighted_score(components: dict[str, float], weights: dict[str, Decimal] = SCORE_WEIGHTS) -> float:
    """Σ wᵢ·sᵢ / Σ wᵢ.

    >>> weighted_score({'demand': 90.0, 'margin': 50.0, 'competition': 75.0, 'trend': 60.0, 'stability': 50.0})
    68.3333
    """
    total = sum(float(weights[k]) for k in components)
    return round(sum(float(weights[k]) * v for k, v in components.items()) / total, 4)


@dataclass
class Analysis:
    markets: list[dict[str, Any]]
    opportunities: list[dict[str, Any]]
    cleaning: dict[str, Any]
    concentration: list[dict[str, Any]]
    seasonality: list[dict[str, Any]]
    price_bands: list[dict[str, Any]]
    margin_models: dict[str, dict[str, Any]]
    period: tuple[date, date] | None
    currency: str
    cleaning_explanations: dict[str, str]
    weekly: list[dict[str, Any]] = field(default_factory=list)  # market × week: units, revenue

    def contract(self) -> dict[str, Any]:
        """Exactly the keys of the CLI contract."""
        return {
            "markets": [{k: m[k] for k in ("country", "revenue", "orders", "customers", "growth")} for m in self.markets],
            "opportunities": [
                {k: o[k] for k in ("product", "market", "score", "demand", "growth", "concentration", "margin")}
                for o in self.opportunities
            ],
            "cleaning": self.cleaning,
        }


def analyze(
    df: pl.DataFrame,
    cleaning: dict[str, Any],
    *,
    options: AnalysisOptions = AnalysisOptions(),
    margin_table: dict[str, MarginAssumptions] | None = None,
    fx_rate: Decimal = Decimal("0.11"),
    unit_costs: dict[str, Decimal] | None = None,
    cleaning_explanations: dict[str, str] | None = None,
    buyers_known: bool = True,
) -> Analysis:
    """The full analysis of a cleaned frame (``transactions.clean(...).frame``)."""
    margin_table = margin_table or {"*": MarginAssumptions()}
    unit_costs = unit_costs or {}
    if df.height == 0:
        return Analysis([], [], cleaning, [], [], [], {}, None, options.currency, cleaning_explanations or {}, [])
    period_end: date = df["date"].max().date()
    # dictionary-encode the grouping keys once: the group-bys below run about twice as fast
    df = df.with_columns(pl.col("product", "market", "customer", "order_id").cast(pl.Categorical))
    mk = markets(df)
    conc = market_concentration(df)
    market_rows = [
        {
            "country": r["market"],
            "revenue": format(e4_to_decimal(r["revenue_e4"]), "f"),
            "orders": int(r["orders"]),
            "customers": int(r["customers"]),
            "growth": _r4(r["growth"]),
            "units": int(r["units"]),
        }
        for r in mk.iter_rows(named=True)
    ]
    pm = product_markets(df, options.min_orders, buyers_known)
    costs_e4 = {k: int(v * SCALE) for k, v in unit_costs.items()}
    pm = pm.with_columns(margin_rates(pm, margin_table, period_end, fx_rate, costs_e4).alias("margin_rate_f"))
    # vectorised sub-scores for ranking (same formulas as score_components)
    w = {k: float(v) for k, v in SCORE_WEIGHTS.items()}
    pm = pm.with_columns(
        (
            w["demand"] * 100 * pl.col("demand_pct")
            + w["margin"] * (pl.col("margin_rate_f") / 0.40 * 100).clip(0, 100)
            + w["competition"] * pl.when(pl.col("concentration").is_null()).then(50.0)
            .otherwise(100 * (1 - pl.col("concentration").clip(0, 1)))
            + w["trend"] * (50 + pl.col("growth").fill_null(0) * 100).clip(0, 100)
            + w["stability"] * 100 * (1 - (pl.col("cv").fill_null(3.0) / 3).clip(upper_bound=1))
        ).alias("rank_score")
        / sum(w.values())
    )
    # a few more than needed per market, re-scored exactly below
    pm = pm.filter(pl.col("rank_score").rank("ordinal", descending=True).over("market") <= options.per_market * 2)
    used_models: dict[str, dict[str, Any]] = {}
    opps: list[dict[str, Any]] = []
    for r in pm.iter_rows(named=True):
        a = assumptions_for(r["market"], margin_table, period_end)
        used_models.setdefault(a.market, a.to_dict())
        price = e4_to_decimal(round(r["avg_price_e4"]))
        if price <= 0:
            continue
        um = unit_margin(
            price,
            options.currency,
            a,
            fx_rate=fx_rate,
            unit_cost=unit_costs.get(r["product"]),
            units_per_parcel=Decimal(int(r["units_per_order"])),
        )
        comps = score_components(
            r["demand_pct"], float(um.margin_rate), r["concentration"], r["growth"], r["cv"]
        )
        opps.append(
            {
                "product": r["product"],
                "description": r["description"] or "",
                "market": r["market"],
                "score": weighted_score(comps),
                "demand": int(r["demand"]),
                "orders": int(r["orders"]),
                "revenue": format(e4_to_decimal(r["revenue_e4"]), "f"),
                "growth": _r4(r["growth"]),
                "concentration": _r4(r["concentration"]),
                "margin": format(um.margin, "f"),
                "margin_rate": format(um.margin_rate, "f"),
                "price": format(price, "f"),
                "components": comps,
                "margin_lines": um.to_dict()["lines"],
                "estimated_margin": um.estimated,
            }
        )
    # keep the best `per_market` per market, then order by score
    by_market: dict[str, list[dict[str, Any]]] = {}
    for o in opps:
        by_market.setdefault(o["market"], []).append(o)
    kept: list[dict[str, Any]] = []
    for rows in by_market.values():
        rows.sort(key=lambda o: (-o["score"], o["product"]))
        kept.extend(rows[: options.per_market])
    kept.sort(key=lambda o: (-o["score"], o["market"], o["product"]))

    seas = seasonality(df)
    bands = price_bands(df)
    return Analysis(
        markets=market_rows,
        opportunities=kept,
        cleaning=cleaning,
        concentration=[
            {"market": r["market"], "cr10": _r4(r["cr10"]), "hhi": _r4(r["hhi"]), "products": int(r["products"])}
            for r in conc.sort("market").iter_rows(named=True)
        ],
        seasonality=[
            {
                "market": r["market"],
                "seasonality_index": _r4(r["seasonality_index"]),
                "peak_month": r["peak_month"].date().isoformat()[:7] if r["peak_month"] else None,
            }
            for r in seas.sort("market").iter_rows(named=True)
        ],
        price_bands=[
            {
                "market": r["market"],
                "band": r["band"],
                "revenue": format(e4_to_decimal(r["revenue_e4"]), "f"),
                "units": int(r["units"]),
            }
            for r in bands.iter_rows(named=True)
        ],
        margin_models=used_models,
        period=(df["date"].min().date(), period_end),
        currency=options.currency,
        cleaning_explanations=cleaning_explanations or {},
        weekly=[
            {"market": r["market"], "week": r["week"].date().isoformat(), "units": int(r["units"]),
             "revenue": format(e4_to_decimal(r["revenue_e4"]), "f")}
            for r in market_weekly(df).iter_rows(named=True)
        ],
    )


def market_weekly(df: pl.DataFrame) -> pl.DataFrame:
    """Demand by market and week (units and revenue)."""
    return (
        df.group_by("market", pl.col("date").dt.truncate("1w").alias("week"))
        .agg(pl.col("quantity").sum().alias("units"), pl.col("revenue_e4").sum().alias("revenue_e4"))
        .sort("market", "week")
    )


def quadrant(opportunity: dict[str, Any]) -> str:
    """Crowded/thin-margin vs niche/profitable, from the competition and margin sub-scores."""
    c = opportunity["components"]
    crowded = c["competition"] < 50
    thin = c["margin"] < 50
    if crowded and thin:
        return "crowded, thin margin"
    if crowded:
        return "crowded, profitable"
    if thin:
        return "niche, thin margin"
    return "niche, profitable"

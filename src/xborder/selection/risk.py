"""Risk metrics for a small exporter and the alerts the dashboard shows.

* **FX exposure**: receivables (unsettled marketplace payouts, open invoices) and stock held
  abroad, by currency, converted to the base currency (CNY for a Chinese exporter). An
  alert when one foreign currency is more than ``fx_share_alert`` (default 50 %) of the
  total: a 5 % move of that currency moves the exporter's whole margin.
* **Concentration of profit** by market, channel and SKU: the top item's share and the
  Herfindahl–Hirschman index Σ sᵢ² (0.25 = the usual "highly concentrated" threshold of
  2,500 points). Loss-making items are left out of the shares (a share of profit is only
  meaningful among positive contributions) and listed separately.
* **Demand volatility**: coefficient of variation of weekly units per SKU (σ ÷ μ); above 1.0
  the weekly demand is as noisy as its level, so safety stocks or forecasts deserve a look.

>>> c = concentration({"DE": Decimal("600"), "FR": Decimal("300"), "ES": Decimal("100")})
>>> c["top"], c["top_share"], c["hhi"]
('DE', 0.6, 0.46)
>>> volatility([10, 10, 10, 10])
0.0
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xborder.money import quantize


@dataclass(frozen=True)
class Alert:
    level: str  # info | warning | danger
    code: str
    message: str
    value: str
    threshold: str

    def to_dict(self) -> dict[str, str]:
        return {"level": self.level, "code": self.code, "message": self.message, "value": self.value, "threshold": self.threshold}


@dataclass(frozen=True)
class Position:
    currency: str
    kind: str  # receivable | stock | payable
    amount: Decimal  # in ``currency``


def fx_exposure(
    positions: Sequence[Position], rates_to_base: Mapping[str, Decimal], base: str = "CNY"
) -> dict[str, Any]:
    """Net exposure per currency in ``base`` (payables subtract). Missing rates are listed, not guessed."""
    by_ccy: dict[str, Decimal] = {}
    missing: set[str] = set()
    for p in positions:
        if p.currency == base:
            rate = Decimal(1)
        elif p.currency in rates_to_base:
            rate = rates_to_base[p.currency]
        else:
            missing.add(p.currency)
            continue
        sign = Decimal(-1) if p.kind == "payable" else Decimal(1)
        by_ccy[p.currency] = by_ccy.get(p.currency, Decimal(0)) + sign * p.amount * rate
    gross = sum((abs(v) for v in by_ccy.values()), Decimal(0))
    rows = [
        {
            "currency": c,
            "amount_base": format(quantize(v, 2), "f"),
            "share": round(float(abs(v) / gross), 4) if gross else 0.0,
        }
        for c, v in sorted(by_ccy.items(), key=lambda kv: -abs(kv[1]))
    ]
    return {"base": base, "total_base": format(quantize(gross, 2), "f"), "currencies": rows, "missing_rates": sorted(missing)}


def concentration(values: Mapping[str, Decimal]) -> dict[str, Any]:
    positive = {k: v for k, v in values.items() if v > 0}
    losses = sorted(k for k, v in values.items() if v <= 0)
    total = sum(positive.values(), Decimal(0))
    if total <= 0:
        return {"top": None, "top_share": None, "hhi": None, "items": 0, "loss_making": losses}
    shares = {k: v / total for k, v in positive.items()}
    top = max(shares, key=lambda k: (shares[k], k))
    return {
        "top": top,
        "top_share": round(float(shares[top]), 4),
        "hhi": round(float(sum(s * s for s in shares.values())), 4),
        "items": len(positive),
        "loss_making": losses,
    }


def volatility(weekly_units: Sequence[float | int]) -> float | None:
    n = len(weekly_units)
    if n < 2:
        return None
    mean = sum(weekly_units) / n
    if mean <= 0:
        return None
    var = sum((x - mean) ** 2 for x in weekly_units) / (n - 1)
    return round(math.sqrt(var) / mean, 4)


def alerts(
    *,
    fx: dict[str, Any] | None = None,
    profit_concentration: Mapping[str, dict[str, Any]] | None = None,
    volatility_by_sku: Mapping[str, float | None] | None = None,
    fx_share_alert: float = 0.5,
    top_share_alert: float = 0.5,
    hhi_alert: float = 0.25,
    cv_alert: float = 1.0,
) -> list[Alert]:
    out: list[Alert] = []
    if fx:
        for row in fx["currencies"]:
            if row["currency"] != fx["base"] and row["share"] > fx_share_alert:
                out.append(
                    Alert(
                        "warning",
                        "FX_CONCENTRATION",
                        f"{row['currency']} is {row['share']:.0%} of receivables and stock",
                        str(row["share"]),
                        str(fx_share_alert),
                    )
                )
        for c in fx.get("missing_rates", []):
            out.append(Alert("info", "FX_RATE_MISSING", f"no rate for {c}: its exposure is not counted", c, "-"))
    for dim, c in (profit_concentration or {}).items():
        if c.get("top_share") is not None and c["top_share"] > top_share_alert:
            out.append(
                Alert(
                    "warning",
                    "PROFIT_CONCENTRATION",
                    f"{c['top']} earns {c['top_share']:.0%} of profit by {dim}",
                    str(c["top_share"]),
                    str(top_share_alert),
                )
            )
        elif c.get("hhi") is not None and c["hhi"] > hhi_alert:
            out.append(
                Alert("info", "PROFIT_HHI", f"profit by {dim} is highly concentrated (HHI {c['hhi']})", str(c["hhi"]), str(hhi_alert))
            )
        for k in c.get("loss_making", []):
            out.append(Alert("danger", "LOSS_MAKING", f"{dim} {k} loses money", k, "0"))
    noisy = sorted(((k, v) for k, v in (volatility_by_sku or {}).items() if v is not None and v > cv_alert), key=lambda kv: -kv[1])
    for k, v in noisy[:10]:
        out.append(Alert("info", "DEMAND_VOLATILE", f"weekly demand of {k} varies by {v:.0%} of its mean", str(v), str(cv_alert)))
    return out

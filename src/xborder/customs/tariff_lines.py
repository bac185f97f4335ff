"""SKUs whose HS code is not enough for a market: the market's tariff carries several rates under
it, so an order's duty there cannot be computed until the SKU names its line
(``xborder.catalog.model.NATIONAL_CODES``). Lists them with the candidate lines (code, rate,
description) so the user picks one, and records the choice on the SKU.

The markets are the stored tariff schedules: US (HTSUS), EU (CET) and GB (UK Global Tariff).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xborder.accounts.service import Principal
from xborder.catalog.model import NATIONAL_CODES
from xborder.errors import ValidationError

# market -> the catalog field holding its own code, for the markets whose tariffs are stored
# (China's code serves the export declaration, not a duty)
MARKET_FIELDS = {market: name for name, (market, _n) in NATIONAL_CODES.items() if market in ("US", "EU", "GB")}


@dataclass(frozen=True)
class Candidate:
    code: str
    rate: str
    description: str


@dataclass(frozen=True)
class MissingLine:
    sku_id: int
    sku: str
    name: str
    name_zh: str
    hs_code: str
    market: str
    note: str  # "5 lines under 820551 carry 3 different rates"
    candidates: tuple[Candidate, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"sku_id": self.sku_id, "sku": self.sku, "name": self.name, "name_zh": self.name_zh, "hs_code": self.hs_code, "market": self.market,
                "field": MARKET_FIELDS[self.market], "note": self.note, "lines": len(self.candidates),
                "rates": len({c.rate.strip() for c in self.candidates}),
                "candidates": [{"code": c.code, "rate": c.rate, "description": c.description} for c in self.candidates]}


def _markets(market: str | None) -> list[str]:
    if market in (None, "", "all"):
        return list(MARKET_FIELDS)
    m = str(market).strip().upper()
    if m not in MARKET_FIELDS:
        raise ValidationError(f"market: one of {', '.join(MARKET_FIELDS)}", field="market")
    return [m]


def missing_lines(s: Session, principal: Principal, market: str | None = None, on: date | None = None) -> list[MissingLine]:
    """The organisation's SKUs (with an HS code, without the market's own code) whose HS code
    carries several rates in the market's tariff in force on ``on``, by SKU then market."""
    from xborder.catalog.orm import Sku
    from xborder.customs.orm import TariffLineRow
    from xborder.customs.service import DbTariffs, _version_for

    day = on or date.today()
    tariffs = DbTariffs(s)
    out: list[MissingLine] = []
    skus = list(s.scalars(select(Sku).where(Sku.org_id == principal.org_id).order_by(Sku.sku)))
    for mk in _markets(market):
        ver = _version_for(s, f"tariff:{mk}", day)
        if ver is None:
            continue
        field = MARKET_FIELDS[mk]
        seen: dict[str, tuple[str, tuple[Candidate, ...]] | None] = {}  # HS code -> (note, candidates), None: one rate
        for sku in skus:
            if not sku.hs_code or len(sku.hs_code) < 6 or getattr(sku, field):
                continue
            if sku.hs_code not in seen:
                m = tariffs.lookup(mk, sku.hs_code, day)
                seen[sku.hs_code] = None
                if m is not None and m.ambiguous:
                    codes = [c for c, _r in m.candidates]
                    texts = dict(s.execute(select(TariffLineRow.code, TariffLineRow.description)
                                           .where(TariffLineRow.version_id == ver.id, TariffLineRow.code.in_(codes))).all())
                    seen[sku.hs_code] = (m.note, tuple(Candidate(c, r, texts.get(c, "")) for c, r in m.candidates))
            found = seen[sku.hs_code]
            if found is not None:
                out.append(MissingLine(sku.id, sku.sku, sku.name_en or sku.name_zh, sku.name_zh, sku.hs_code, mk, *found))
    out.sort(key=lambda x: (x.sku, x.market))
    return out


def set_line(s: Session, principal: Principal, sku_ref: str | int, market: str, code: str) -> Any:
    """Record the market's own tariff line on the SKU (by id or SKU code); the code must extend the
    SKU's HS code and have the market's length (the catalog's checks)."""
    from xborder.catalog import service as catalog
    from xborder.catalog.model import validate_national_code

    principal.require("catalog")
    mk = str(market or "").strip().upper()
    if mk not in MARKET_FIELDS:
        raise ValidationError(f"market: one of {', '.join(MARKET_FIELDS)}", field="market")
    if isinstance(sku_ref, int):
        sku = catalog.get_sku(s, principal, sku_ref)
    else:
        found = catalog.get_sku_by_code(s, principal.org_id, str(sku_ref).strip())
        if found is None:
            raise ValidationError(f"sku: {sku_ref} is not in the catalog", field="sku")
        sku = found
    field = MARKET_FIELDS[mk]
    try:
        value = validate_national_code(code, field, sku.hs_code)
    except ValidationError as e:
        raise ValidationError(e.message.replace(f"{field}:", "code:", 1), field="code") from None
    if value is None:
        raise ValidationError("code: the market's tariff line is required", field="code")
    setattr(sku, field, value)
    s.flush()
    return sku

"""Read-only bridge to the catalog package (guarded: listings works without it).

Filled in once the catalog's models are on main; until then every function returns nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


def listings(s: Session, principal: Any) -> list[tuple[str, str | None, dict[str, Any]]]:
    return []


def attributes(s: Session, principal: Any, sku_code: str) -> dict[str, Any]:
    return {}


def compliance_flags(s: Session, principal: Any, sku_code: str) -> dict[str, Any]:
    return {}


def sku_codes(s: Session, principal: Any) -> list[str]:
    return []

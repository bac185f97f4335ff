"""Accounts: organisations (seller companies), users, roles.

Roles, from most to least powerful: ``owner`` (everything, including users and settings),
``operator`` (catalog, orders, logistics, customs), ``finance`` (payments, FX, rebate, reports),
``viewer`` (read only).
"""

from __future__ import annotations

import re
from enum import StrEnum

from stdnum.cn import uscc

from xborder.errors import ValidationError


class Role(StrEnum):
    OWNER = "owner"
    OPERATOR = "operator"
    FINANCE = "finance"
    VIEWER = "viewer"


# which roles may write in which area; reading is open to every member
WRITE_AREAS: dict[str, set[Role]] = {
    "org": {Role.OWNER},
    "users": {Role.OWNER},
    "catalog": {Role.OWNER, Role.OPERATOR},
    "operations": {Role.OWNER, Role.OPERATOR},
    "finance": {Role.OWNER, Role.FINANCE},
    "reference data": {Role.OWNER},  # shared by every organisation of the store: owners start syncs
}


def can_write(role: Role | str, area: str) -> bool:
    return Role(role) in WRITE_AREAS.get(area, {Role.OWNER})


def validate_uscc(value: str | None) -> str | None:
    """Unified social credit code (统一社会信用代码), 18 characters with a check character.

    >>> validate_uscc("91110000600037341L")
    '91110000600037341L'
    """
    if value is None or not value.strip():
        return None
    try:
        return str(uscc.validate(value))
    except Exception as exc:  # stdnum raises subclasses of ValidationError
        raise ValidationError(f"uscc: {value!r} is not a valid unified social credit code ({exc})", field="uscc") from None


CUSTOMS_CODE = re.compile(r"^[0-9A-Z]{10}$")


def validate_customs_code(value: str | None) -> str | None:
    """China customs registration code (海关编码): 10 characters, optional."""
    if value is None or not value.strip():
        return None
    v = value.strip().upper()
    if not CUSTOMS_CODE.match(v):
        raise ValidationError("customs_code: expected 10 letters or digits", field="customs_code")
    return v


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def validate_email(value: str) -> str:
    v = (value or "").strip().lower()
    if not EMAIL.match(v):
        raise ValidationError(f"email: {value!r} is not an email address", field="email")
    return v


def validate_password(value: str) -> str:
    if not value or len(value) < 8:
        raise ValidationError("password: at least 8 characters", field="password")
    return value

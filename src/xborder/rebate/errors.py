"""Errors of the rebate package (stable codes)."""

from __future__ import annotations

from xborder.errors import NotFound, ValidationError


class UnknownRebateCode(NotFound):
    """A commodity code is not in the rebate-rate library for the date: never a default rate."""

    code = "REBATE_CODE_UNKNOWN"
    http_status = 422
    exit_code = 2


class AmbiguousRebateCode(ValidationError):
    """Several specific codes with different rates sit under the code given: the user must choose."""

    code = "REBATE_CODE_AMBIGUOUS"


class RuleNotInForce(ValidationError):
    """No dated rule covers the date asked for."""

    code = "REBATE_RULE_NOT_IN_FORCE"


class RebateRateMissing(ValidationError):
    code = "REBATE_FX_RATE_MISSING"

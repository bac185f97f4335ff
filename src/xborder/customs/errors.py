"""Customs errors with stable codes (see :mod:`xborder.errors`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from xborder.errors import NotFound, ValidationError

if TYPE_CHECKING:
    from xborder.customs.messages import Msg


class HsRequired(ValidationError):
    """A dutiable destination and a line without an HS code: we do not guess."""

    code = "HS_REQUIRED"


class TariffRateMissing(ValidationError):
    """No tariff rate is known for the code/date; pass ``duty_rate`` or run ``xborder data sync``."""

    code = "TARIFF_RATE_MISSING"

    def __init__(self, message: str, *, msg: Msg | None = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.msg = msg  # the message as a translatable Msg (pages in Chinese); not part of the JSON error


class TariffRateNotComputable(ValidationError):
    """The tariff rate needs a quantity we do not have (litres, alcohol %, ...) or is conditional."""

    code = "TARIFF_RATE_NOT_COMPUTABLE"


class UnsupportedDestination(ValidationError):
    code = "UNSUPPORTED_DESTINATION"


class DeclarationInvalid(ValidationError):
    """A CEB message would be rejected by customs; ``errors`` lists each problem."""

    code = "DECLARATION_INVALID"


class DeclarationNotFound(NotFound):
    code = "DECLARATION_NOT_FOUND"

"""Logistics errors with stable codes."""

from __future__ import annotations

from typing import Any

from xborder.errors import ImportRejected, NotFound, ValidationError


class RateCardInvalid(ImportRejected):
    """A rate card file failed validation; ``errors`` lists every problem with line and column."""

    code = "RATE_CARD_INVALID"

    def __init__(self, filename: str, errors: list[dict[str, Any]]):
        n = len(errors)
        super().__init__(f"{filename}: {n} error(s) in the rate card", errors)
        self.filename = filename


class RateCardNotFound(NotFound):
    code = "RATE_CARD_NOT_FOUND"


class ShipmentNotFound(NotFound):
    code = "SHIPMENT_NOT_FOUND"


class RateRequestInvalid(ValidationError):
    code = "RATE_REQUEST_INVALID"


class CarrierNotConfigured(ValidationError):
    code = "CARRIER_NOT_CONFIGURED"

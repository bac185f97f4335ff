"""Thin karrio client: only the SDK call. Settings (credentials) are passed in, never read here.

karrio is an optional dependency (``pip install xborder[carriers]`` plus the carrier's
``karrio-<carrier>`` package). Without it, :class:`CarrierNotConfigured` says how to install.
A failing carrier returns its error as a message beside other results (never raises out of
:func:`rate_all`).
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from xborder.logistics.errors import CarrierNotConfigured


@dataclass(frozen=True)
class Connection:
    carrier: str  # karrio gateway id: dhl_express, ups, fedex, usps_international, sf_express, generic…
    settings: dict[str, Any] = field(default_factory=dict)  # credentials + carrier_id, test_mode
    divisor: Decimal | None = None


def load_sdk() -> Any:
    try:
        sdk = importlib.import_module("karrio.sdk")
        importlib.import_module("karrio.lib")
        importlib.import_module("karrio.core.models")
    except ImportError as e:
        raise CarrierNotConfigured(f"karrio is not installed ({e.name}): pip install 'xborder[carriers]' karrio-<carrier>") from None
    return sdk


class KarrioClient:
    def __init__(self, connection: Connection, sdk: Any = None):
        self.connection = connection
        self._sdk = sdk

    @property
    def sdk(self) -> Any:
        if self._sdk is None:
            self._sdk = load_sdk()
        return self._sdk

    def _gateway(self) -> Any:
        try:
            return self.sdk.gateway[self.connection.carrier].create(self.connection.settings)
        except Exception as e:  # karrio raises its own error types for unknown providers
            raise CarrierNotConfigured(f"karrio carrier {self.connection.carrier!r}: {e}") from None

    def rate(self, payload: dict[str, Any]) -> dict[str, Any]:
        sdk = self.sdk  # raises CarrierNotConfigured when karrio is missing
        lib = importlib.import_module("karrio.lib")
        models = importlib.import_module("karrio.core.models")
        rates, messages = sdk.Rating.fetch(lib.to_object(models.RateRequest, payload)).from_(self._gateway()).parse()
        return {"rates": lib.to_dict(rates), "messages": lib.to_dict(messages)}

    def ship(self, payload: dict[str, Any]) -> dict[str, Any]:
        sdk = self.sdk
        lib = importlib.import_module("karrio.lib")
        models = importlib.import_module("karrio.core.models")
        shipment, messages = sdk.Shipment.create(lib.to_object(models.ShipmentRequest, payload)).from_(self._gateway()).parse()
        return {"shipment": lib.to_dict(shipment), "messages": lib.to_dict(messages)}


def rate_all(clients: Sequence[KarrioClient], payload_for: Any) -> tuple[list[tuple[KarrioClient, dict[str, Any]]], list[str]]:
    """Call every client; a failure becomes a message, the others still answer."""
    out: list[tuple[KarrioClient, dict[str, Any]]] = []
    notes: list[str] = []
    for c in clients:
        try:
            out.append((c, c.rate(payload_for(c))))
        except Exception as e:  # noqa: BLE001 - one carrier failing must not stop the others
            notes.append(f"{c.connection.carrier}: {e}")
    return out, notes

"""Build karrio unified requests (pure). Weights/dimensions are floats only in the payload,
because karrio's attrs models take floats; money never goes through here.

>>> from decimal import Decimal
>>> from xborder.logistics.pricing import Parcel
>>> p = Parcel(Decimal("0.8"), Decimal(40), Decimal(30), Decimal(30))
>>> billable_weight(p, Decimal(5000))
(Decimal('7.2'), 'max(actual 0.8 kg, volumetric 40×30×30/5000 = 7.2 kg) = 7.2 kg')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xborder.logistics.pricing import Parcel, fmt, grams_up

# volumetric divisors by karrio carrier id (cm³/kg); research logistics.md §3
DEFAULT_DIVISORS: dict[str, Decimal] = {
    "dhl_express": Decimal(5000),
    "ups": Decimal(5000),
    "fedex": Decimal(5000),
    "sf_express": Decimal(6000),
    "usps_international": Decimal(5000),  # 166 in³/lb ≈ 6000 cm³/kg applies only above 1 ft³
    "generic": Decimal(5000),
}


@dataclass(frozen=True)
class Address:
    country_code: str
    postal_code: str = ""
    city: str = ""
    person_name: str = ""
    address_line1: str = ""
    company_name: str = ""
    phone_number: str = ""
    email: str = ""

    def to_payload(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


def billable_weight(parcel: Parcel, divisor: Decimal | None) -> tuple[Decimal, str]:
    actual = grams_up(parcel.weight_kg)
    if divisor is None:
        return actual, f"actual {fmt(actual)} kg (no volumetric rule)"
    vol = grams_up(parcel.volume_cm3 / divisor)
    w = max(actual, vol)
    return w, (
        f"max(actual {fmt(actual)} kg, volumetric {fmt(parcel.length_cm)}×{fmt(parcel.width_cm)}×{fmt(parcel.height_cm)}"
        f"/{fmt(divisor)} = {fmt(vol)} kg) = {fmt(w)} kg"
    )


def _num(d: Decimal) -> float | int:
    return int(d) if d == d.to_integral_value() else float(d)


def parcel_payload(parcel: Parcel, divisor: Decimal | None) -> dict[str, Any]:
    w, _ = billable_weight(parcel, divisor)
    return {
        "weight": float(w),
        "weight_unit": "KG",
        "length": _num(parcel.length_cm),
        "width": _num(parcel.width_cm),
        "height": _num(parcel.height_cm),
        "dimension_unit": "CM",
    }


def rate_request(
    shipper: Address,
    recipient: Address,
    parcels: Sequence[Parcel],
    divisor: Decimal | None,
    services: Sequence[str] = (),
    reference: str = "",
) -> dict[str, Any]:
    """karrio ``RateRequest`` payload, each parcel's weight = our billable weight."""
    return {
        "shipper": shipper.to_payload(),
        "recipient": recipient.to_payload(),
        "parcels": [parcel_payload(p, divisor) for p in parcels for _ in range(p.quantity)],
        "services": list(services),
        "options": {},
        "reference": reference,
    }


def shipment_request(
    service: str,
    shipper: Address,
    recipient: Address,
    parcels: Sequence[Parcel],
    divisor: Decimal | None,
    reference: str = "",
    label_type: str = "PDF",
) -> dict[str, Any]:
    """karrio ``ShipmentRequest`` payload."""
    return {
        "service": service,
        "shipper": shipper.to_payload(),
        "recipient": recipient.to_payload(),
        "parcels": [parcel_payload(p, divisor) for p in parcels for _ in range(p.quantity)],
        "options": {},
        "reference": reference,
        "label_type": label_type,
    }

"""Live carrier options for rate shopping: carriers configured in a YAML file, priced through karrio.

Configuration (credentials stay in this file, which the user keeps outside the repository)::

    shipper: {country_code: CN, postal_code: "518000", city: Shenzhen, person_name: Seller, address_line1: 1 Keji Rd}
    carriers:
      - carrier: dhl_express          # karrio gateway id (needs karrio-dhl-express installed)
        divisor: 5000                 # volumetric divisor used for OUR billable weight
        settings: {carrier_id: dhl, site_id: "...", password: "...", account_number: "...", test_mode: true}

A carrier that fails (karrio missing, bad credentials, network) becomes a note beside the other
options; it never stops rate shopping.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from xborder.errors import ValidationError
from xborder.logistics.pricing import Option, RateRequest
from xborder.logistics.providers.karrio import builder, parser
from xborder.logistics.providers.karrio.client import Connection, KarrioClient


def load_config(path: str | Path) -> tuple[builder.Address, list[Connection]]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise ValidationError(f"carriers: cannot read {path}: {e}", field="carriers") from None
    sh = data.get("shipper") or {}
    if not isinstance(sh, dict) or not sh.get("country_code"):
        raise ValidationError("carriers: the file needs shipper: {country_code: CN, ...}", field="carriers")
    shipper = builder.Address(**{k: str(v) for k, v in sh.items() if k in builder.Address.__dataclass_fields__})
    conns = []
    for i, c in enumerate(data.get("carriers") or []):
        if not isinstance(c, dict) or not c.get("carrier"):
            raise ValidationError(f"carriers[{i}]: needs carrier: <karrio gateway id>", field=f"carriers[{i}]")
        div = c.get("divisor")
        divisor = Decimal(str(div)) if div is not None else builder.DEFAULT_DIVISORS.get(str(c["carrier"]))
        conns.append(Connection(str(c["carrier"]), dict(c.get("settings") or {}), divisor))
    return shipper, conns


def live_options(
    connections: Sequence[Connection],
    shipper: builder.Address,
    req: RateRequest,
    client_for: Callable[[Connection], Any] = KarrioClient,
) -> tuple[list[Option], list[str]]:
    options: list[Option] = []
    notes: list[str] = []
    recipient = builder.Address(req.destination, req.postcode or "")
    for conn in connections:
        payload = builder.rate_request(shipper, recipient, [req.parcel], conn.divisor)
        weight, _why = builder.billable_weight(req.parcel, conn.divisor)
        try:
            response = client_for(conn).rate(payload)
        except Exception as e:  # noqa: BLE001 - one carrier failing must not stop the others
            notes.append(f"{conn.carrier}: {e}")
            continue
        opts, msgs = parser.parse_rates(response, weight)
        if req.max_days is not None:
            opts = [o for o in opts if o.transit_max is None or o.transit_max <= req.max_days]
        options += opts
        notes += msgs
    return options, notes

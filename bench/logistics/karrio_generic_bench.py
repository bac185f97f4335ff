"""karrio generic rate sheet on a flat card equivalent to the sample US packet (run with a Python
that has karrio + karrio-generic). The per-kg card is expanded into 10 g brackets, as karrio's
sheets have no per-kg price (research logistics.md §1.5). Sockets are blocked. Prints JSON."""

from __future__ import annotations

import json
import random
import socket
import time


def _blocked(*a, **k):
    raise RuntimeError("network blocked")


socket.socket.connect = _blocked  # type: ignore[method-assign]
socket.create_connection = _blocked  # type: ignore[assignment]

import logging  # noqa: E402

logging.disable(logging.CRITICAL)
try:
    from loguru import logger

    logger.remove()
except Exception:  # noqa: BLE001
    pass

import karrio.lib as lib  # noqa: E402
import karrio.sdk as karrio  # noqa: E402
from karrio.core import models  # noqa: E402


def zones():
    # ex-packet US: 65/kg + 14 up to 0.5 kg, 60/kg + 12 up to 2 kg; 10 g brackets priced at the upper bound
    out = []
    for i in range(200):
        lo, hi = i / 100, (i + 1) / 100
        rate = 65 * hi + 14 if hi <= 0.5 else 60 * hi + 12
        out.append({"label": f"US {lo:.2f}-{hi:.2f}", "country_codes": ["US"], "min_weight": lo, "max_weight": hi + 1e-9, "rate": round(rate * 1.1, 2), "transit_days": 15})
    return out


def main() -> None:
    settings = {
        "carrier_id": "bench",
        "custom_carrier_name": "bench",
        "display_name": "bench",
        "test_mode": True,
        "services": [{"service_name": "ex packet", "service_code": "ex_packet", "currency": "CNY", "weight_unit": "KG", "max_weight": 2.0, "zones": zones()}],
    }
    gw = karrio.gateway["generic"].create(settings)
    rnd = random.Random(1)
    reqs = []
    for _ in range(300):
        reqs.append(
            lib.to_object(
                models.RateRequest,
                {
                    "shipper": {"postal_code": "518000", "city": "Shenzhen", "country_code": "CN"},
                    "recipient": {"postal_code": "10001", "city": "New York", "country_code": "US"},
                    "parcels": [{"weight": rnd.randint(20, 1990) / 1000, "weight_unit": "KG", "length": 20, "width": 15, "height": 3, "dimension_unit": "CM"}],
                },
            )
        )
    karrio.Rating.fetch(reqs[0]).from_(gw).parse()  # warm-up
    t0 = time.perf_counter()
    n_rates = 0
    for r in reqs:
        rates, _m = karrio.Rating.fetch(r).from_(gw).parse()
        n_rates += len(rates)
    dt = time.perf_counter() - t0
    from importlib.metadata import version

    print(json.dumps({"quotes": len(reqs), "rates": n_rates, "ms_per_quote": round(dt / len(reqs) * 1000, 3), "karrio_version": version("karrio")}))


if __name__ == "__main__":
    main()

"""karrio adapter: builder / parser against payloads recorded from karrio 2026.1.32 (offline)."""

from __future__ import annotations

import importlib.util
import json
from decimal import Decimal
from pathlib import Path

import pytest

from xborder.logistics.errors import CarrierNotConfigured
from xborder.logistics.pricing import Parcel
from xborder.logistics.providers.karrio import builder, client, parser

FIX = Path(__file__).parent / "fixtures" / "karrio"


def load(name: str) -> dict:
    return json.loads((FIX / name).read_text(encoding="utf-8"))


SHIPPER = builder.Address("CN", "518000", "Shenzhen", "Seller", "1 Keji Rd")


def test_rate_request_matches_recorded_payload():
    rec = load("generic_rate.json")
    payload = builder.rate_request(
        SHIPPER,
        builder.Address("US", "10001", "New York", "Buyer", "5th Ave"),
        [Parcel(Decimal("0.42"), Decimal(20), Decimal(15), Decimal(3))],
        Decimal(5000),
        reference="ORD-1",
    )
    assert payload == rec["request"]


def test_our_billable_weight_is_sent_not_the_actual_weight():
    p = builder.rate_request(SHIPPER, builder.Address("DE"), [Parcel(Decimal("0.8"), Decimal(40), Decimal(30), Decimal(30))], Decimal(5000))
    assert p["parcels"][0]["weight"] == 7.2  # karrio would have priced 0.8 kg (research §1.5)


def test_parse_recorded_rates():
    rec = load("generic_rate.json")
    options, messages = parser.parse_rates(rec, Decimal("0.42"))
    assert messages == []
    (o,) = options
    assert (o.code, o.carrier, o.service, o.currency) == ("karrio:cn_lines:cn_postal", "cn_lines", "CN postal", "CNY")
    assert o.price == Decimal("61.75") and o.transit_max == 12
    assert [(ln.kind, ln.label, ln.amount) for ln in o.lines] == [("freight", "Base Charge", Decimal("61.75"))]


def test_parse_recorded_error_message():
    rec = load("generic_rate_invalid_weight.json")
    options, messages = parser.parse_rates(rec, Decimal(3))
    assert options == []
    assert messages == ["generic: invalid_weight the weight exceeds service cn_postal max weight"]


def test_parse_recorded_shipment():
    rec = load("generic_shipment.json")
    s = parser.parse_shipment(rec, "cn_postal")
    assert s.tracking_number == rec["shipment"]["tracking_number"] and s.tracking_number.isdigit()
    assert s.label_pdf is not None and s.label_pdf.startswith(b"%PDF")
    assert s.service == "CN postal"
    payload = builder.shipment_request(
        "cn_postal", SHIPPER, builder.Address("FR", "75001", "Paris", "Acheteur", "1 Rue de Rivoli"),
        [Parcel(Decimal("1.2"), Decimal(30), Decimal(20), Decimal(10))], None, reference="ORD-3",
    )
    assert payload == rec["request"]


def test_missing_karrio_is_a_clear_error_and_other_carriers_still_answer():
    class Broken:
        connection = client.Connection("ups")

        def rate(self, payload):
            raise CarrierNotConfigured("no credentials")

    class Fine:
        connection = client.Connection("generic")

        def rate(self, payload):
            return load("generic_rate.json")

    results, notes = client.rate_all([Broken(), Fine()], lambda c: {})
    assert len(results) == 1 and notes == ["ups: no credentials"]
    if importlib.util.find_spec("karrio") is None:
        with pytest.raises(CarrierNotConfigured, match="pip install"):
            client.load_sdk()


@pytest.mark.skipif(importlib.util.find_spec("karrio") is None, reason="karrio not installed (optional extra xborder[carriers])")
def test_live_generic_gateway_offline_reproduces_the_recording():
    rec = load("generic_rate.json")
    c = client.KarrioClient(client.Connection("generic", rec["settings"]))
    got = c.rate(rec["request"])
    assert got["rates"] == rec["rates"]


def test_live_options_config_and_failures(tmp_path):
    from datetime import date

    from xborder.logistics.pricing import RateRequest
    from xborder.logistics.providers.karrio import live

    cfg = tmp_path / "carriers.yaml"
    cfg.write_text(
        "shipper: {country_code: CN, postal_code: '518000', city: Shenzhen}\n"
        "carriers:\n  - {carrier: generic, settings: {carrier_id: cn_lines}}\n  - {carrier: ups, divisor: 5000}\n"
    )
    shipper, conns = live.load_config(cfg)
    assert shipper.country_code == "CN" and [c.carrier for c in conns] == ["generic", "ups"]
    assert conns[0].divisor == Decimal(5000)

    class Fake:
        def __init__(self, conn):
            self.conn = conn

        def rate(self, payload):
            if self.conn.carrier == "ups":
                raise CarrierNotConfigured("karrio carrier 'ups': no credentials")
            assert payload["parcels"][0]["weight"] == 0.42
            return load("generic_rate.json")

    req = RateRequest.build("US", "0.42", ("20", "15", "3"), date(2026, 11, 24), postcode="10001")
    opts, notes = live.live_options(conns, shipper, req, client_for=Fake)
    assert [o.price for o in opts] == [Decimal("61.75")]
    assert notes == ["ups: karrio carrier 'ups': no credentials"]

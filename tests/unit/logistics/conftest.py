from __future__ import annotations

from pathlib import Path

import pytest

from xborder.logistics.ratecard import RateCard, parse_card

CARDS_DIR = Path(__file__).resolve().parents[3] / "src" / "xborder" / "logistics" / "cards"


@pytest.fixture(scope="session")
def sample_cards() -> list[RateCard]:
    return [parse_card(p.read_text(encoding="utf-8"), p.name) for p in sorted(CARDS_DIR.glob("*.yaml"))]


ISSUE_CARD = """\
carrier: Example Post
service: Tracked small packet
code: ex-packet
currency: CNY
valid_from: 2026-01-01
transit_days: {min: 7, max: 15}
volumetric: {divisor: 8000, applies_when_longest_side_cm_over: 40}  # omit the condition to always apply
limits: {max_weight_kg: 2, max_longest_side_cm: 60, max_sum_of_sides_cm: 90}
forbidden: [battery, liquid]          # contents flags: battery, liquid, magnet, powder
min_chargeable_kg: 0.05
surcharges: [{type: fuel_percent, value: 10}]  # percent of the freight (weight + piece charges)
zones:
  - countries: [US]
    bands:                             # upper bounds inclusive, lower bounds exclusive
      - {up_to_kg: 0.5, per_kg: 65, per_piece: 14}
      - {up_to_kg: 2.0, per_kg: 60, per_piece: 12}
  - countries: [GB, DE, FR]
    first_weight: {kg: 0.5, price: 45}
    additional: {step_kg: 0.5, price: 15}   # each started step is charged
"""


@pytest.fixture()
def issue_text() -> str:
    return ISSUE_CARD


@pytest.fixture()
def issue_card() -> RateCard:
    return parse_card(ISSUE_CARD, "issue.yaml")

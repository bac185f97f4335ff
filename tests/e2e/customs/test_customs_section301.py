"""US Section 301 per HTS8 line: synced from a list file, dated with our schedule, more specific
than the shipped heading rows; a 6-digit code whose HTS8 lines differ gets a note, not a guess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xborder.customs.section301 import parse_s301_csv

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "customs" / "s301"


def _quote(cli, hs_code: str, on: str = "2026-11-24", value: str = "100.00") -> dict:
    data = {"destination": "US", "date": on, "currency": "USD", "incoterm": "DDP", "channel": "own_store",
            "shipping": "0", "insurance": "0",
            "lines": [{"hs_code": hs_code, "description": "x", "origin": "CN", "quantity": 1, "unit_value": value,
                       "weight_kg": "0.2", "duty_rate": "0"}]}
    r = cli("landed-cost", "--json-in", "-", input=json.dumps(data))
    assert r.exit_code == 0, r.stdout + r.stderr
    return r.json()


def test_section301_list_sync_and_landed_cost(cli):
    r = cli("data", "sync", "--from", str(FIX), "--only", "us-section301", "--json")
    assert r.exit_code == 0, r.stdout
    src = r.json()["sources"][0]
    assert src["status"] == "loaded" and src["rows"] > 0
    again = cli("data", "sync", "--from", str(FIX), "--only", "us-section301", "--json")
    assert again.json()["sources"][0]["status"] == "unchanged"

    # 10-digit code on List 4A: 7.5% since 2020-02-14 (15% from 2019-09-01)
    out = _quote(cli, "8518301000")
    assert out["duty"] == "7.50"
    line = next(e for e in out["explanation"] if e["rule"].startswith("Section 301"))
    assert "List 4A" in line["source"] and "85 FR 3741" in line["source"] and "Budget Lab" in line["source"]
    assert _quote(cli, "8518301000", on="2019-10-01", value="1000.00")["duty"] == "150.00"  # above the $800 de minimis then
    # only on the suspended List 4B: nothing
    assert _quote(cli, "8518302000")["duty"] == "0.00"
    # on List 3 and a four-year review increase: the higher rate in force
    assert _quote(cli, "8507600050", on="2025-06-01")["duty"] == "25.00"
    assert _quote(cli, "9018310000", on="2026-11-24")["duty"] == "100.00"
    assert _quote(cli, "9018310000", on="2024-01-01", value="1000.00")["duty"] == "75.00"
    # a 6-digit code whose HTS8 lines differ: no charge guessed, a note asks for the longer code
    six = _quote(cli, "851830")
    assert six["duty"] == "0.00"
    assert any("give the 8- or 10-digit HTS code" in e["rule"] and "85183010 7.5%" in e["rule"] for e in six["explanation"])
    # where they agree with the shipped heading row (6109 at 7.5%), no note
    tee = _quote(cli, "610910")
    assert tee["duty"] == "7.50" and not any("give the 8- or 10-digit" in e["rule"] for e in tee["explanation"])


@pytest.mark.parametrize("text, where", [
    ("hts8,list,ch99_code\n6109100,4A,9903.88.15\n", "line 2: hts8"),
    ("hts8,list,ch99_code\n61091000,4A,9903.88.15\n61091000,X,9903.99.99\n", "line 3: ch99_code"),
    ("code,rate\n61091000,0.1\n", "line 1"),
])
def test_a_bad_list_file_is_refused_with_its_line(text, where):
    with pytest.raises(ValueError, match=where.replace("(", r"\(")):
        parse_s301_csv(text)

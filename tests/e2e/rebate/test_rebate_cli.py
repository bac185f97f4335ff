"""The CLI contract: ``xborder rebate compute --json-in FILE`` and the document commands."""

import json
from pathlib import Path

import pytest

E2 = {"method": "exempt_credit_refund", "fob_cny": "200", "levy_rate": "0.13", "rebate_rate": "0.10",
      "domestic_output_vat": "13", "input_vat": "26", "opening_credit": "0"}
ECR_KEYS = ["non_creditable_offset", "non_creditable", "payable", "end_credit", "ceiling_offset", "ceiling",
            "refund", "exempt_credit", "carry_forward", "steps"]


def test_compute_e2_from_stdin(cli):
    r = cli("rebate", "compute", "--json-in", "-", input=json.dumps(E2))
    assert r.exit_code == 0, r.stdout
    out = r.json()
    assert list(out) == ECR_KEYS
    assert (out["non_creditable"], out["payable"], out["ceiling"], out["refund"], out["exempt_credit"],
            out["carry_forward"]) == ("6.00", "-7.00", "20.00", "7.00", "13.00", "0.00")
    assert all({"label_en", "label_zh", "formula", "source"} <= set(s) for s in out["steps"])


def test_compute_e1_from_file(cli, tmp_path: Path):
    f = tmp_path / "e1.json"
    f.write_text(json.dumps({"method": "exempt_credit_refund", "fob_cny": "2000", "levy_rate": "0.13",
                             "rebate_rate": "0.11", "domestic_output_vat": "104", "input_vat": "598",
                             "opening_credit": "0"}))
    out = cli("rebate", "compute", "--json-in", str(f)).json()
    assert (out["non_creditable"], out["payable"], out["ceiling"], out["refund"], out["exempt_credit"],
            out["carry_forward"]) == ("40.00", "-454.00", "220.00", "220.00", "0.00", "234.00")


@pytest.mark.parametrize("data,keys", [
    ({"method": "exempt_refund", "invoice_net": "20", "invoice_rate": "0.17", "rebate_rate": "0.13"},
     ["refund", "steps"]),
    ({"method": "deemed_domestic", "fob_cny": "113", "levy_rate": "0.13"}, ["output_vat", "steps"]),
    ({"method": "deemed_profit_income_tax", "revenue": "10000000", "year": 2026},
     ["taxable_income", "income_tax", "steps"]),
])
def test_compute_other_methods_keys(cli, data, keys):
    r = cli("rebate", "compute", "--json-in", "-", input=json.dumps(data))
    assert r.exit_code == 0 and list(r.json()) == keys


def test_compute_f1_numbers_as_json_numbers(cli):
    r = cli("rebate", "compute", "--json-in", "-",
            input='{"method": "exempt_refund", "invoice_net": 20, "invoice_rate": 0.17, "rebate_rate": 0.13}')
    assert r.exit_code == 0 and r.json()["refund"] == "2.60"


@pytest.mark.parametrize("change,field", [
    ({"fob_cny": None}, "fob_cny"),
    ({"levy_rate": "1.3"}, "levy_rate"),
    ({"input_vat": "-1"}, "input_vat"),
    ({"method": "refund_please"}, "method"),
])
def test_compute_bad_input_exits_non_zero_naming_the_field(cli, change, field):
    data = {k: v for k, v in {**E2, **change}.items() if v is not None}
    r = cli("rebate", "compute", "--json-in", "-", input=json.dumps(data))
    assert r.exit_code != 0
    assert field in (r.stdout + r.stderr)


DECL = """number,export_date,trade_mode,currency,buyer,line_no,hs_code,goods,unit,qty,fob,fx_rate
531620261000000001,2026-10-08,9610,USD,ACME Inc,1,3924100000,Silicone bowl,kg,500,1000,7.1
"""
INV = """number,issued,seller,goods,unit,qty,net,vat,rate
26440000000000000001,2026-09-30,Plastics Co,*plastic*Silicone bowl,千克,500,5000,650,0.13
"""
REC = """reference,received,amount,currency,payer,account
R-1,2026-10-20,1000,USD,ACME Inc,NRA001
"""
RATES = """code,valid_from,valid_to,rebate_rate,levy_rate,name
3924100000,2025-01-01,,0.13,0.13,plastic tableware
"""


def test_documents_match_workbook_deadlines(cli, tmp_path: Path):
    for name, text in (("rates.csv", RATES), ("decl.csv", DECL), ("inv.csv", INV), ("rec.csv", REC)):
        (tmp_path / name).write_text(text)
    assert cli("rebate", "settings", "--type", "trading").exit_code == 0
    r = cli("rebate", "rates", "import", str(tmp_path / "rates.csv"), "--json")
    assert r.exit_code == 0 and r.json()["imported"] == 1
    assert cli("rebate", "rates", "import", str(tmp_path / "rates.csv"), "--json").json()["imported"] == 0
    for kind, f in (("declarations", "decl.csv"), ("invoices", "inv.csv"), ("receipts", "rec.csv")):
        r = cli("rebate", "import", kind, str(tmp_path / f), "--json")
        assert r.exit_code == 0 and r.json()["imported"] == 1, r.stdout
    lookup = cli("rebate", "rates", "lookup", "3924100000", "--date", "2026-10-08", "--json").json()
    assert lookup["rebate_rate"] == "0.13"
    assert cli("rebate", "rates", "lookup", "9999999999").exit_code != 0
    m = cli("rebate", "match", "--json", "--today", "2026-11-24").json()
    assert m["declarations"][0]["status"] == "ready"
    assert m["summary"]["ready"] == 1
    show = cli("rebate", "period", "show", "2026-10", "--json").json()
    assert show["refund"] == "650.00" and show["lines"][0]["fx_source"] == "rate entered with the declaration"
    out = tmp_path / "wb.xlsx"
    r = cli("rebate", "workbook", "--period", "2026-10", "--out", str(out))
    assert r.exit_code == 0 and out.stat().st_size > 1000
    dl = cli("rebate", "deadlines", "--json", "--today", "2027-04-20").json()
    declare = [d for d in dl["deadlines"] if d["key"] == "declare"][0]
    assert declare["due"] == "2027-04-30" and declare["state"] == "due_soon"


def test_bad_declaration_file_is_rejected_whole(cli, tmp_path: Path):
    bad = DECL + "531620261000000002,2026-10-32,9610,USD,ACME,1,392410,x,kg,1,1,\n"
    f = tmp_path / "bad.csv"
    f.write_text(bad)
    r = cli("rebate", "import", "declarations", str(f), "--json")
    assert r.exit_code == 2
    assert '"line": 3' in r.stdout
    p = cli("rebate", "period", "show", "2026-10", "--json").json()
    assert p["lines"] == []


def test_period_set_production_with_declared_credit(cli, tmp_path: Path):
    r = cli("rebate", "period", "set", "2026-09", "--regime", "production", "--output-vat", "13", "--input-vat", "26",
            "--declared-end-credit", "8", "--json")
    assert r.exit_code == 0
    out = r.json()
    assert out["declared_end_credit"] == "8.00"
    assert out["result"]["computed_end_credit"] == "13.00"
    assert any("differs" in w for w in out["warnings"])
    show = cli("rebate", "period", "show", "2026-09", "--json")
    assert show.exit_code == 0 and show.json()["declared_end_credit"] == "8.00"
    text = cli("rebate", "period", "show", "2026-09")
    assert text.exit_code == 0 and "当期应退税额" in text.stdout
    assert cli("rebate", "workbook", "--period", "2026-09", "--out", str(tmp_path / "p.xlsx")).exit_code == 0


def test_declared_closes_the_declare_deadline(cli, tmp_path: Path):
    (tmp_path / "decl.csv").write_text(DECL)
    assert cli("rebate", "import", "declarations", str(tmp_path / "decl.csv")).exit_code == 0
    r = cli("rebate", "declared", "531620261000000001", "--on", "2026-11-10")
    assert r.exit_code == 0
    dl = cli("rebate", "deadlines", "--json", "--today", "2026-11-20").json()["deadlines"]
    states = {d["key"]: d for d in dl}
    assert states["declare"]["state"] == "done"
    assert states["filing"]["due"] == "2026-11-25" and states["filing"]["state"] == "due_soon"
    assert cli("rebate", "declared", "531620261000000001", "--on", "2026-01-01").exit_code == 2  # before export
    assert cli("rebate", "declared", "000000000000000000", "--on", "2026-11-10").exit_code != 0

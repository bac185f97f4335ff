"""Junk in CLI options and arguments gives a one-line reason and a non-zero exit, never a
traceback. Found by giving every option of every command junk (2026-11-25); the ``cli`` fixture
raises any uncaught exception, so each call below would fail the test with a traceback."""

import pytest

HUGE = "99999999999999999999999"


@pytest.mark.parametrize("args,expect", [
    (["payouts", "show", HUGE], "too large"),  # SQLite: too large for the column; PostgreSQL: not found
    (["customs", "check", HUGE], "too large"),
    (["customs", "rules", "--country", "US", "--on", "2026-02-30"], "--on"),
    (["ratecards", "show", "wanb-us", "--valid-from", "abc"], "--valid-from"),
    (["logistics", "fba-fee", "--weight-kg", "0.2", "--dims-cm", "20x15x1.5", "--price", "19.99", "--date", "x"], "--date"),
    (["listing", "sizes", "--foot-mm", "2026-02-30"], "foot_mm"),
    # the error names the option given (it said "today:" for every date option of the rebate commands)
    (["rebate", "rates", "lookup", "6109100000", "--date", "soon"], "--date: 'soon' is not a date"),
    (["rebate", "declared", "D-1", "--on", "2026-02-30"], "--on: '2026-02-30' is not a date"),
    (["rebate", "declared", "D-1", "--on", "2026-02-03", "--filed", "later"], "--filed: 'later' is not a date"),
    (["rebate", "deadlines", "--today", "x"], "--today: 'x' is not a date"),
    (["fx", "quote", "USD", "2026-13-01"], "date: '2026-13-01' is not a date"),
])
def test_bad_values_exit_with_a_reason(cli, org_ids, args, expect):
    r = cli(*args)
    assert r.exit_code != 0
    out = r.stdout + r.stderr
    assert "Traceback" not in out
    if expect == "too large":
        assert "too large" in out or "not found" in out, out
    elif expect:
        assert expect in out, out


def test_a_foreign_file_for_ecb_rates_and_a_folder_for_output(cli, org_ids, tmp_path):
    junk = tmp_path / "rates.csv"
    junk.write_text("sku,qty\nKT-CLIP-12P,3\n")
    r = cli("fx", "ecb", "--file", str(junk))
    assert r.exit_code == 2 and "ECB header" in r.stderr
    junk.write_text("Date,USD\nKT-CLIP-12P,3\n")
    r = cli("fx", "ecb", "--file", str(junk))
    assert r.exit_code == 2 and "line 2" in r.stderr and "not a date" in r.stderr
    r = cli("catalog", "export", "--out", str(tmp_path))
    assert r.exit_code == 2 and "cannot use" in r.stderr

from pathlib import Path


def test_fx_cli(cli, tmp_path):
    q = cli("fx", "quote", "USD", "2026-03-07", "--json")
    assert q.exit_code == 0 and q.json()["source"] == "ECB" and q.json()["fallback_days"] == 1
    f = tmp_path / "parity.csv"
    f.write_text("日期,美元,欧元\n2026-03-06,710.01,775.50\n", "utf-8")
    r = cli("fx", "parity", str(f), "--json")
    assert r.exit_code == 0 and r.json()["inserted"] == 2
    q = cli("fx", "quote", "USD", "2026-03-07", "--json").json()
    assert (q["source"], q["rate"]) == ("PBOC", "7.100100")
    assert cli("fx", "quote", "USD", "2035-01-01", "--json").exit_code == 2
    bad = Path(tmp_path / "bad.csv")
    bad.write_text("日期,美元\n2026-03-06,abc\n", "utf-8")
    assert cli("fx", "parity", str(bad), "--json").exit_code == 2
    s = cli("fx", "settle", "--date", "2026-03-20", "--ref", "BOC-1", "--currency", "USD", "--amount", "100",
            "--cny", "710.5", "--json")
    assert s.exit_code == 0 and s.json()["actual_rate"] == "7.105000"
    e = cli("fx", "exposure", "--json")
    assert e.exit_code == 0 and e.json()[0]["converted"] == "100.00"


def test_data_sync_sources(cli, tmp_path):
    (tmp_path / "fx").mkdir()
    (tmp_path / "fx" / "cny_central_parity.csv").write_text("date,currency,rate\n2026-03-06,USD,7.1001\n", "utf-8")
    r = cli("data", "sync", "--from", str(tmp_path), "--only", "cny-central-parity")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert cli("fx", "quote", "USD", "2026-03-06", "--json").json()["source"] == "PBOC"
    again = cli("data", "sync", "--from", str(tmp_path), "--only", "cny-central-parity")
    assert again.exit_code == 0 and "unchanged" in again.stdout


def test_data_sync_reports_progress_in_plain_lines_when_stderr_is_not_a_terminal(cli, tmp_path):
    (tmp_path / "fx").mkdir()
    (tmp_path / "fx" / "cny_central_parity.csv").write_text("date,currency,rate\n2026-03-06,USD,7.1001\n", "utf-8")
    r = cli("data", "sync", "--from", str(tmp_path), "--only", "cny-central-parity")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert [x.split(" ", 1)[1] for x in r.stderr.splitlines() if "cny-central-parity:" in x] == \
        ["cny-central-parity: started"], r.stderr
    assert "cny-central-parity:" not in r.stdout  # the table stays alone on stdout
    (tmp_path / "fx" / "cny_central_parity.csv").write_text("date,currency,rate\n2026-03-09,USD,7.1002\n", "utf-8")
    quiet = cli("data", "sync", "--from", str(tmp_path), "--only", "cny-central-parity", "--json")
    assert quiet.exit_code == 0 and "cny-central-parity:" not in quiet.stderr  # --json: no progress lines


def test_plain_sync_progress_prints_a_line_per_tenth(capsys):
    from xborder.entrypoints.cli import _plain_progress

    progress = _plain_progress()
    progress("hs-classifier", 0, 0)
    for done in range(0, 201):
        progress("hs-classifier", done, 200)
    lines = [x.split(" ", 1)[1] for x in capsys.readouterr().err.splitlines()]
    assert lines[0] == "hs-classifier: started"
    assert lines[1:] == [f"hs-classifier: {20 * k}/200 ({10 * k}%)" for k in range(11)]

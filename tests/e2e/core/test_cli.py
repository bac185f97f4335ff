import json


def test_user_create_and_list(cli):
    r = cli("user", "create", "cli@example.com", "--password", "password-123", "--json", org="CLI Co")
    assert r.exit_code == 0, r.stdout + r.stderr
    assert json.loads(r.stdout) == {"email": "cli@example.com", "org": "CLI Co", "role": "owner"}
    r = cli("user", "list", "--json", org="CLI Co")
    assert [u["email"] for u in r.json()] == ["cli@example.com"]


def test_user_create_rejects_a_bad_email(cli):
    r = cli("user", "create", "not-an-email", "--password", "password-123", org="CLI Co")
    assert r.exit_code == 2
    assert "email" in (r.stderr or r.stdout)


def test_catalog_import_export_cli(cli, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("sku,name_en,name_zh,weight_g,hs_code\nC-1,Cable,数据线,35,854442\n", "utf-8")
    r = cli("catalog", "import", str(good), "--json", org="CLI Co")
    assert r.exit_code == 0 and r.json()["imported"] == 1
    r = cli("catalog", "import", str(good), "--json", org="CLI Co")
    assert r.json()["imported"] == 0 and r.json()["skipped_duplicates"] == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("sku,name_en,weight_g\nD-1,x,1\nD-2,y,zz\n", "utf-8")
    r = cli("catalog", "import", str(bad), "--json", org="CLI Co")
    assert r.exit_code == 2
    assert r.json()["errors"] == [{"line": 3, "column": "weight_g", "message": "'zz' is not a decimal number"}]
    r = cli("catalog", "export", "--json", org="CLI Co")
    assert [s["sku"] for s in r.json()] == ["C-1"]
    out = tmp_path / "cat.xlsx"
    assert cli("catalog", "export", "--format", "xlsx", "--out", str(out), org="CLI Co").exit_code == 0
    assert out.read_bytes()[:2] == b"PK"
    r = cli("catalog", "import", str(tmp_path / "missing.csv"), org="CLI Co")
    assert r.exit_code == 2


def test_db_upgrade(cli):
    r = cli("db", "upgrade")
    assert r.exit_code == 0 and "database at" in r.stdout

"""Damaged and foreign files get a clear refusal (4xx, exit 2) and write nothing — never a server
error. Found by posting garbage to every upload form of the demo (2026-11-25)."""

ZIP_GARBAGE = b"PK\x03\x04" + b"\x00" * 64  # looks like an .xlsx, is not one
BINARY = bytes(range(256)) * 4
UTF16 = "programme,destination\n\u4e2d,\u6587\n".encode("utf-16")


def test_a_damaged_workbook_is_refused_with_its_reason(api_client, web_client):
    for url, fmt in (("/api/v1/orders/import", "temu"), ("/api/v1/orders/import", "amazon-all-orders"),
                     ("/api/v1/payouts/import", "stripe")):
        r = api_client.post(url, data={"format": fmt}, files={"file": ("orders.xlsx", ZIP_GARBAGE)})
        assert r.status_code == 422, (url, fmt, r.text)
        assert "not a readable Excel workbook" in r.json()["errors"][0]["message"]
    assert api_client.get("/api/v1/orders").json()["total"] == 0
    web_client.cookies.set("lang", "en")
    page = web_client.post("/orders/import", data={"csrf_token": web_client.csrf, "format": "temu"},
                           files={"file": ("o.xlsx", ZIP_GARBAGE)})
    assert page.status_code == 422 and "not a readable Excel workbook" in page.text
    table = page.text.split('id="import-errors"')[1].split("</table>")[0]
    assert "None" not in table  # a problem without a column shows an empty cell


def test_customs_uploads_read_any_encoding_and_refuse_garbage(api_client, web_client):
    for payload in (BINARY, UTF16):
        r = web_client.post("/customs/rules/extra-duties", data={"csrf_token": web_client.csrf},
                            files={"file": ("x.csv", payload)})
        assert r.status_code == 422, r.text[:300]
        r = web_client.post("/customs/declarations", data={"csrf_token": web_client.csrf},
                            files={"file": ("d.json", payload)})
        assert r.status_code == 422, r.text[:300]
        r = api_client.post("/api/v1/customs/extra-duties/import", content=payload)
        assert r.status_code == 422, r.text[:300]


def test_cli_refuses_an_empty_tracking_file_and_a_binary_json(cli, tmp_path):
    empty = tmp_path / "t.csv"
    empty.write_text("tracking_number,status,event_time\n")
    r = cli("logistics", "tracking-import", str(empty))
    assert r.exit_code == 2 and "no tracking lines" in r.stderr
    assert "None" not in r.stderr
    blob = tmp_path / "d.json"
    blob.write_bytes(BINARY)
    r = cli("customs", "declare", "--json-in", str(blob))
    assert r.exit_code == 2 and "not UTF-8 text" in (r.stdout + r.stderr)

"""CEB604 receipts through the CLI, the HTTP API and the declarations pages."""

import json
import re

from xborder.customs import declarations as dc
from xborder.customs import receipts as rc

DECLARED = rc.sample_receipt(return_status="2", return_time="20261124090000000", invt_no="", return_info="新增申报成功")


def test_cli_receipt_import_files_and_folders_set_invt_no(cli, tmp_path):
    assert cli("customs", "declare", "--json-in", "-", input=json.dumps(dc.to_dict(dc.sample()))).exit_code == 0
    assert cli("customs", "declare", "--json-in", "-",
               input=json.dumps(dc.to_dict(dc.sample(order_no="SO2", logistics_no="LP2")))).exit_code == 0
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.xml").write_bytes(DECLARED)
    (folder / "sub" / "b.xml").write_bytes(rc.sample_receipt())
    (folder / "notes.txt").write_text("not a receipt")
    r = cli("customs", "receipt-import", str(folder))
    assert r.exit_code == 0, r.stdout + r.stderr
    out = r.json()
    assert (out["receipts"], out["recorded"]) == (2, 2)
    assert out["declarations"][0]["invt_no"] == "29912026E000000001" and out["declarations"][0]["return_status"] == "800"
    again = cli("customs", "receipt-import", str(folder / "a.xml"), str(folder / "sub" / "b.xml"))
    assert again.exit_code == 0 and again.json()["skipped_duplicates"] == 2 and again.json()["recorded"] == 0
    # a bad file among good ones: exit 2, file and line given, nothing recorded
    bad = tmp_path / "bad.xml"
    bad.write_text(rc.receipt_xml(cop_no="SO2", return_status="800", return_time="yesterday", invt_no="N2"))
    good = tmp_path / "good.xml"
    good.write_bytes(rc.sample_receipt(cop_no="SO2", invt_no="N2"))
    r = cli("customs", "receipt-import", str(good), str(bad))
    assert r.exit_code == 2 and r.json()["code"] == "IMPORT_REJECTED"
    assert r.json()["errors"] == [{"file": str(bad), "line": 14, "column": "returnTime",
                                   "message": "'yesterday' is not a time yyyyMMddHHmmss or yyyyMMddHHmmssSSS",
                                   "msgid": "%(value)s is not a time yyyyMMddHHmmss or yyyyMMddHHmmssSSS",
                                   "params": {"value": "'yesterday'"}}]
    listed = {d["order_no"]: d for d in cli("customs", "declarations").json()["declarations"]}
    assert listed["SO2"]["invt_no"] == "" and listed["SO20261124001"]["return_status"] == "800"
    assert cli("customs", "receipt-import", str(tmp_path / "missing.xml")).exit_code == 2
    # typed in by hand
    so2 = listed["SO2"]["id"]
    r = cli("customs", "set-invt-no", str(so2), "29912026E000000002")
    assert r.exit_code == 0 and r.json()["invt_no"] == "29912026E000000002" and r.json()["changed"] is True
    assert cli("customs", "set-invt-no", str(so2), "has space").exit_code == 2
    hist = cli("customs", "receipts", str(so2)).json()
    assert [h["source"] for h in hist["receipts"]] == ["manual"]
    # both lists have their numbers: the CEB701 summary application can be produced
    xml = cli("customs", "summary", "--month", "2026-11", "--ceb701")
    assert xml.exit_code == 0 and xml.stdout.count("<ceb:invtNo>") == 2


def test_api_receipts_upload_history_and_invt_no(api_client, other_api_client):
    decl_id = api_client.post("/api/v1/customs/declarations", json=dc.to_dict(dc.sample())).json()["id"]
    files = [("files", ("a.xml", DECLARED, "application/xml")), ("files", ("b.xml", rc.sample_receipt(), "application/xml"))]
    r = api_client.post("/api/v1/customs/declarations/receipts", files=files)
    assert r.status_code == 200, r.text
    assert r.json()["recorded"] == 2 and r.json()["declarations"][0]["return_status_label"] == "released"
    again = api_client.post("/api/v1/customs/declarations/receipts", files=files)
    assert again.json()["skipped_duplicates"] == 2
    listed = api_client.get("/api/v1/customs/declarations").json()["declarations"][0]
    assert listed["invt_no"] == "29912026E000000001" and listed["return_time"] == "2026-11-24T10:15:00.123000"
    one = api_client.get(f"/api/v1/customs/declarations/{decl_id}").json()
    assert one["receipt"]["status"] == "accepted" and one["data"]["invt_no"] == "29912026E000000001"
    hist = api_client.get(f"/api/v1/customs/declarations/{decl_id}/receipts").json()
    assert [h["return_status"] for h in hist["receipts"]] == ["2", "800"]
    bad = api_client.post("/api/v1/customs/declarations/receipts",
                          files=[("files", ("x.xml", rc.sample_receipt(cop_no="ZZ"), "application/xml"))])
    assert bad.status_code == 422 and bad.json()["code"] == "IMPORT_REJECTED"
    assert bad.json()["errors"][0]["file"] == "x.xml" and bad.json()["errors"][0]["line"] == 3
    # another organisation neither matches nor sees the declaration
    r = other_api_client.post("/api/v1/customs/declarations/receipts", files=files)
    assert r.status_code == 422
    assert other_api_client.get(f"/api/v1/customs/declarations/{decl_id}/receipts").status_code == 404
    assert other_api_client.put(f"/api/v1/customs/declarations/{decl_id}/invt-no", json={"invt_no": "N1"}).status_code == 404
    r = api_client.put(f"/api/v1/customs/declarations/{decl_id}/invt-no", json={"invt_no": "29912026E000000009"})
    assert r.status_code == 200 and r.json()["changed"] is True
    assert api_client.put(f"/api/v1/customs/declarations/{decl_id}/invt-no", json={"invt_no": 5}).status_code == 422


def test_declarations_page_uploads_receipts_and_shows_the_list_number(web_client, other_web_client):
    csrf = web_client.csrf
    r = web_client.post("/customs/declarations", data={"csrf_token": csrf, "input": json.dumps(dc.to_dict(dc.sample()))},
                        follow_redirects=False)
    assert r.status_code == 303
    decl_url = r.headers["location"]
    summary = web_client.get("/customs/declarations/summary?month=2026-11", headers={"Accept-Language": "en"})
    assert 'href="/customs/declarations#receipts"' in summary.text
    web_client.cookies.set("lang", "zh_CN")
    page = web_client.get("/customs/declarations")
    assert page.status_code == 200 and 'id="receipts-form"' in page.text and "海关回执" in page.text
    up = web_client.post("/customs/declarations/receipts", data={"csrf_token": csrf},
                         files=[("files", ("a.xml", DECLARED, "application/xml")),
                                ("files", ("b.xml", rc.sample_receipt(), "application/xml"))])
    assert up.status_code == 200, up.text
    assert 'id="receipts-ok"' in up.text and "已记录 2 份回执" in up.text
    row = re.search(r'<tr data-order="SO20261124001">.*?</tr>', up.text, re.S).group(0)
    assert "29912026E000000001" in row and "放行 (800)" in row and "2026-11-24 10:15:00" in row
    summary = web_client.get("/customs/declarations/summary?month=2026-11")
    assert "29912026E000000001" in summary.text and 'href="/customs/declarations#receipts"' not in summary.text
    bad = web_client.post("/customs/declarations/receipts", data={"csrf_token": csrf},
                          files=[("files", ("bad.xml", b"<x>", "application/xml"))])
    assert bad.status_code == 422 and 'id="receipts-errors"' in bad.text and "bad.xml" in bad.text
    assert "XML 格式错误" in bad.text and "not well-formed" not in bad.text  # the reason in the page's language
    unknown = web_client.post("/customs/declarations/receipts", data={"csrf_token": csrf},
                              files=[("files", ("u.xml", rc.sample_receipt(cop_no="NOPE"), "application/xml"))])
    assert unknown.status_code == 422 and "copNo NOPE：本组织没有该订单编号的出口申报" in unknown.text
    web_client.cookies.set("lang", "en")
    bad = web_client.post("/customs/declarations/receipts", data={"csrf_token": csrf},
                          files=[("files", ("bad.xml", b"<x>", "application/xml"))])
    assert "not well-formed XML" in bad.text
    web_client.cookies.set("lang", "zh_CN")
    detail = web_client.get(decl_url)
    assert 'id="receipt-history"' in detail.text and "申报中" in detail.text
    decl_id = decl_url.rsplit("/", 1)[1]
    r = web_client.post(f"/customs/declarations/{decl_id}/invt-no", data={"csrf_token": csrf, "invt_no": "A B"})
    assert r.status_code == 422 and 'id="invt-error"' in r.text
    r = web_client.post(f"/customs/declarations/{decl_id}/invt-no", data={"csrf_token": csrf, "invt_no": "N-77"},
                        follow_redirects=True)
    assert r.status_code == 200 and re.search(r'id="invt-no">N-77<', r.text) and "手工录入" in r.text
    assert other_web_client.post(f"/customs/declarations/{decl_id}/invt-no",
                                 data={"csrf_token": other_web_client.csrf, "invt_no": "N-78"}).status_code == 404


def test_an_import_clashing_twice_with_another_is_a_409_not_a_server_error(api_client, web_client, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from xborder.customs import service

    def clash(s, principal, files):
        raise IntegrityError("INSERT INTO customs_declaration_receipts ...", {}, Exception("duplicate key"))

    api_client.post("/api/v1/customs/declarations", json=dc.to_dict(dc.sample()))
    monkeypatch.setattr(service, "_import_receipts", clash)
    files = [("files", ("b.xml", rc.sample_receipt(), "application/xml"))]
    r = api_client.post("/api/v1/customs/declarations/receipts", files=files)
    assert r.status_code == 409 and r.json()["code"] == "CONFLICT" and "import the files again" in r.json()["message"]
    web_client.cookies.set("lang", "zh_CN")
    page = web_client.post("/customs/declarations/receipts", data={"csrf_token": web_client.csrf}, files=files)
    assert page.status_code == 409 and 'id="receipts-errors"' in page.text and "请重新导入这些文件" in page.text

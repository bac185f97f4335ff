"""CEB604 receipts: parsing, line numbers of problems, status codes (pure)."""

import base64
import re
from datetime import datetime

from xborder.customs import receipts as rc


def test_parse_a_release_receipt():
    got, problems = rc.parse_receipts(rc.sample_receipt(), "r.xml")
    assert problems == []
    (r,) = got
    assert (r.file, r.cop_no, r.invt_no, r.return_status, r.return_info) == (
        "r.xml", "SO20261124001", "29912026E000000001", "800", "放行")
    assert r.return_time == datetime(2026, 11, 24, 10, 15, 0, 123000) and r.line == 3
    assert r.ebc_code == "3301961234" and r.agent_code == "3301980001" and r.statistics_flag == "B"
    # same content, same digest (file name aside); another status, another digest
    again, _ = rc.parse_receipts(rc.sample_receipt(), "copy.xml")
    assert again[0].digest == r.digest
    assert rc.parse_receipts(rc.sample_receipt(return_status="899"), "r.xml")[0][0].digest != r.digest


def test_a_receipt_without_namespace_prefix_inside_the_dxp_envelope():
    inner = rc.sample_receipt().decode().replace("ceb:", "").replace('xmlns:ceb=', 'xmlns=').encode()
    env = (b'<?xml version="1.0" encoding="UTF-8"?>\n<DxpMsg xmlns="http://www.chinaport.gov.cn/dxp" ver="1.0">\n'
           b"<TransInfo><MsgType>CEB604Message</MsgType></TransInfo>\n<Data>" + base64.b64encode(inner) + b"</Data>\n</DxpMsg>")
    got, problems = rc.parse_receipts(env, "dxp.xml")
    assert problems == [] and got[0].invt_no == "29912026E000000001"
    bad, problems = rc.parse_receipts(env.replace(b"<Data>", b"<Data>!!"), "dxp.xml")
    assert bad == [] and problems[0].column == "Data" and "base64" in problems[0].message


def test_several_returns_in_one_message_and_a_status_without_list_number():
    one = rc.sample_receipt(return_status="2", return_time="20261124090000", invt_no="").decode()
    body = one.split("<ceb:InventoryReturn>")[1].split("</ceb:InventoryReturn>")[0]
    two = one.replace("</ceb:InventoryReturn>", "</ceb:InventoryReturn>\n\t<ceb:InventoryReturn>"
                      + body.replace("SO20261124001", "SO2") + "</ceb:InventoryReturn>", 1)
    got, problems = rc.parse_receipts(two.encode(), "two.xml")
    assert problems == [] and [r.cop_no for r in got] == ["SO20261124001", "SO2"]
    assert got[0].invt_no == "" and got[0].return_time == datetime(2026, 11, 24, 9, 0)
    assert got[1].line > got[0].line


def test_every_problem_with_its_line_and_element():
    text = rc.receipt_xml(cop_no="", return_status="8x", return_time="20261324000000", invt_no="A B")
    got, problems = rc.parse_receipts(text.encode(), "bad.xml")
    assert got == []
    by = {p.column: p for p in problems}
    assert set(by) == {"copNo", "returnStatus", "returnTime", "invtNo"}
    lines = text.splitlines()
    for p in problems:
        assert p.file == "bad.xml" and f"<ceb:{p.column}>" in lines[p.line - 1]
    assert "not a time" in by["returnTime"].message and "integer" in by["returnStatus"].message
    missing = rc.receipt_xml(cop_no="X", return_status="2", return_time="20261124090000").replace(
        "<ceb:returnStatus>2</ceb:returnStatus>", "")
    problems = rc.parse_receipts(missing.encode(), "m.xml")[1]
    assert [(p.column, p.message, p.line) for p in problems] == [("returnStatus", "required", 3)]


def test_files_that_are_not_receipts():
    assert rc.parse_receipts(b"<a><b></a>", "x.xml")[1][0].line == 1
    p = rc.parse_receipts(b"\n\n<a>\n<b></a>", "x.xml")[1][0]
    assert p.line == 4 and "not well-formed" in p.message
    p = rc.parse_receipts(rc.sample_receipt().replace(b"CEB604Message", b"CEB304Message"), "o.xml")[1][0]
    assert "CEB304 is not an export inventory list receipt" in p.message
    p = rc.parse_receipts(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "d.xml")[1][0]
    assert "DOCTYPE" in p.message
    p = rc.parse_receipts(b'<ceb:CEB604Message xmlns:ceb="http://www.chinaport.gov.cn/ceb"/>', "e.xml")[1][0]
    assert p.column == "InventoryReturn"


def test_status_codes():
    assert rc.status_label("800") == "released" and rc.status_label("100") == "rejected by customs"
    assert rc.status_label("-302") == "processing error" and rc.status_label("42") == ""
    assert [rc.declaration_status(c) for c in ("1", "2", "120", "300", "399", "800", "899", "100", "4", "-1")] == [
        "sent", "sent", "sent", "sent", "accepted", "accepted", "accepted", "rejected", "rejected", "rejected"]
    assert rc.parse_time("20261124101500") == datetime(2026, 11, 24, 10, 15)
    assert rc.parse_time("2026-11-24") is None


def test_a_receipt_in_a_chinese_encoding():
    text = rc.sample_receipt().decode().replace('encoding="UTF-8"', 'encoding="GBK"')
    got, problems = rc.parse_receipts(text.encode("gbk"), "gbk.xml")
    assert problems == [] and got[0].return_info == "放行"
    bad = rc.parse_receipts(text.encode("utf-8")[:-30] + b"\xff\xff</ceb:CEB604Message>", "bad.xml")[1]
    assert bad and bad[0].file == "bad.xml"


def test_problems_carry_a_translated_msgid_and_their_values():
    from xborder import i18n

    i18n.translations.cache_clear()
    bad = rc.receipt_xml(cop_no="", return_status="x", return_time="2026", invt_no="A B")
    envelope = ('<DxpMsg xmlns="http://www.chinaport.gov.cn/dxp"><Data>'
                + base64.b64encode(bad.encode()).decode() + "</Data></DxpMsg>").encode()
    problems = (rc.parse_receipts(bad.encode(), "r.xml")[1] + rc.parse_receipts(envelope, "e.xml")[1]
                + rc.parse_receipts(b"<x>", "x.xml")[1] + rc.parse_receipts(b"<a/>", "a.xml")[1])
    assert len(problems) == 10
    for p in problems:
        d = p.to_dict()
        assert p.msgid and d["msgid"] == p.msgid
        # the English message is the msgid with its values (after the envelope's prefix)
        assert p.message == p.where + p.msgid % d["params"] if d["params"] else p.message == p.where + p.msgid
        zh = i18n.gettext("zh_CN", p.msgid)
        assert zh != p.msgid, p.msgid
        assert sorted(re.findall(r"%\((\w+)\)s", zh)) == sorted(d["params"]), p.msgid
    inside = [p for p in problems if p.file == "e.xml"]
    assert inside and all(p.where == rc.IN_ENVELOPE and p.to_dict()["where"] == rc.IN_ENVELOPE for p in inside)
    assert i18n.gettext("zh_CN", rc.IN_ENVELOPE) != rc.IN_ENVELOPE
    status = next(p for p in problems if p.file == "r.xml" and p.column == "returnStatus")
    assert status.message == "'x' is not a status code (an integer)" and status.to_dict()["params"] == {"value": "'x'"}


def test_the_service_problems_are_translated_too():
    import inspect

    from xborder import i18n
    from xborder.customs import service

    i18n.translations.cache_clear()
    src = inspect.getsource(service._import_receipts)
    msgids = ["".join(re.findall(r'"([^"]*)"', m)) for m in
              re.findall(r'rc\.problem\(\s*[^,]+,\s*[^,]+,\s*"\w+",\s*((?:"[^"]*"\s*)+)', src)]
    assert len(msgids) == 8
    for msgid in msgids:
        assert i18n.gettext("zh_CN", msgid) != msgid, msgid
    conflict = inspect.getsource(service.import_receipts)
    text = "".join(re.findall(r'"([^"]*)"', conflict.split("raise Conflict(", 1)[1].split(")", 1)[0]))
    assert i18n.gettext("zh_CN", text) != text

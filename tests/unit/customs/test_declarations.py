import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from xborder.customs import declarations as dc

NS = {"ceb": dc.NS}


def fields(problems):
    return {p.field for p in problems}


def test_sample_is_valid_and_all_messages_parse():
    d = dc.sample()
    assert dc.validate(d) == []
    msgs = dc.build_all(d)
    assert list(msgs) == ["CEB303", "CEB403", "CEB505", "CEB603"]
    for name, text in msgs.items():
        root = ET.fromstring(text.encode("utf-8"))
        assert root.tag == f"{{{dc.NS}}}{name}Message"
        assert root.find("ceb:BaseTransfer/ceb:dxpMode", NS).text == "DXP"


def test_ceb603_content():
    root = ET.fromstring(dc.ceb603(dc.sample()).encode())
    head = root.find("ceb:Inventory/ceb:InventoryHead", NS)
    assert head.find("ceb:tradeMode", NS).text == "9610"
    assert head.find("ceb:country", NS).text == "502"  # United States
    assert head.find("ceb:ieDate", NS).text == "20261124"
    item = root.find("ceb:Inventory/ceb:InventoryList", NS)
    assert item.find("ceb:gcode", NS).text == "6109100022"
    assert item.find("ceb:gmodel", NS).text.startswith("0|0|")
    assert item.find("ceb:totalPrice", NS).text == "30.00"
    assert item.find("ceb:currency", NS).text == "502"


def test_ceb303_and_403_amounts():
    d = dc.sample()
    o = ET.fromstring(dc.ceb303(d).encode())
    assert o.find("ceb:Order/ceb:OrderHead/ceb:goodsValue", NS).text == "30.00"
    r = ET.fromstring(dc.ceb403(d).encode())
    assert r.find("ceb:Receipts/ceb:charge", NS).text == "35.00"  # goods + freight
    # same guid for the same order (re-generation is stable)
    assert dc.ceb303(d) == dc.ceb303(d)


def test_modes():
    assert dc.sample(mode="9710").messages() == ["CEB303", "CEB505", "CEB603"]
    assert "<ceb:orderType>B</ceb:orderType>" in dc.ceb303(dc.sample(mode="9710"))
    assert dc.sample(mode="9810").messages() == ["CEB505", "CEB603"]
    data = dc.general_trade_data(dc.sample(mode="0110"))
    assert data["items"][0]["code"] == "6109100022" and dc.sample(mode="0110").messages() == []


def test_validation_reports_every_problem():
    d = dc.sample()
    bad_line = replace(d.lines[0], gcode="610910", gmodel="cotton", unit1="XYZ", total_price=D("31.00"))
    d = replace(d, lines=(bad_line,), customs_code="29", net_weight=D("0.5"), gross_weight=D("0.4"),
                currency="XXX", destination="ZZ", ebc=dc.Party("123", ""))
    f = fields(dc.validate(d))
    assert {"lines[0].gcode", "lines[0].gmodel", "lines[0].unit1", "lines[0].total_price", "customs_code",
            "gross_weight", "currency", "destination", "ebc.code", "ebc.name"} <= f


def test_legal_quantity_checks():
    ln = dc.sample().lines[0]
    assert "lines[0].qty1" in fields(dc.validate(dc.sample(lines=(replace(ln, qty1=D(3)),))))
    assert "lines[0].qty2" in fields(dc.validate(dc.sample(lines=(replace(ln, qty2=None),))))
    heavy = replace(ln, qty2=D("2.5"))
    assert "net_weight" in fields(dc.validate(dc.sample(lines=(heavy,))))
    assert "pay" in fields(dc.validate(dc.sample(pay=None)))


def test_parse_round_trip_and_errors():
    d = dc.sample()
    again, problems = dc.parse_declaration(dc.to_dict(d))
    assert problems == [] and again == d
    _, problems = dc.parse_declaration({"mode": "9610", "lines": [{"qty": 1.5}]})
    f = fields(problems)
    assert {"lines[0].qty", "ie_date", "order_no", "ebp"} <= f


def test_monthly_summary_groups():
    a = dc.sample()
    b = dc.sample(order_no="SO2", logistics_no="LP2", ie_date=date(2026, 11, 30))
    c = dc.sample(order_no="SO3", logistics_no="LP3", destination="GB")
    other_month = dc.sample(order_no="SO4", ie_date=date(2026, 12, 1))
    s = dc.monthly_summary([a, b, c, other_month], 2026, 11)
    assert s["due_date"] == "2026-12-15"
    assert [g["destination"] for g in s["groups"]] == ["US", "GB"]
    us = s["groups"][0]
    assert us["lists"] == 2 and us["items"][0]["qty1"] == "4" and us["items"][0]["total_price"] == "60.00"
    assert dc.due_date(2026, 12) == date(2027, 1, 15)


def test_guid_stable_for_same_content_and_app_type_in_messages():
    d = dc.sample()
    assert dc.ceb603(d) == dc.ceb603(dc.sample())
    changed = dc.sample(freight=D("6.00"))
    assert dc._guid(d, "CEB603") != dc._guid(changed, "CEB603")
    assert "<ceb:appType>2</ceb:appType>" in dc.ceb603(replace(d, app_type="2"))
    assert "app_type" in fields(dc.validate(replace(d, app_type="9")))


def test_ceb701_summary_application_per_group():
    a = dc.sample(invt_no="29912026E000000001")
    b = dc.sample(order_no="SO2", logistics_no="LP2", ie_date=date(2026, 11, 30), invt_no="29912026E000000002")
    c = dc.sample(order_no="SO3", logistics_no="LP3", destination="GB", invt_no="29912026E000000003")
    groups = dc.summary_groups([a, b, c], 2026, 11)
    assert [g.destination for g in groups] == ["US", "GB"]
    us = groups[0]
    assert dc.validate_summary_group(us) == []
    xml = dc.ceb701(us, 2026, 11)
    root = ET.fromstring(xml)
    assert root.tag == f"{{{dc.NS}}}CEB701Message"
    # the layout of the e-Port message (SummaryApply > SummaryApplyHead + SummaryApplyList), in order
    head = root.find("ceb:SummaryApply/ceb:SummaryApplyHead", NS)
    assert [e.tag.split("}")[1] for e in head] == [
        "guid", "appType", "appTime", "appStatus", "customsCode", "copNo", "agentCode", "agentName", "ebcCode",
        "ebcName", "declAgentCode", "declAgentName", "summaryFlag", "itemNameFlag", "msgCount", "msgSeqNo"]
    assert head.findtext("ceb:customsCode", namespaces=NS) == "2991"
    assert head.findtext("ceb:ebcCode", namespaces=NS) == a.ebc.code
    assert head.findtext("ceb:agentCode", namespaces=NS) == a.logistics.code  # the declaring agent of the lists
    assert head.findtext("ceb:summaryFlag", namespaces=NS) == "2"
    assert head.findtext("ceb:appTime", namespaces=NS) == "20261215000000"  # the due date by default
    assert [e.tag.split("}")[1] for e in root] == ["SummaryApply", "BaseTransfer"]
    assert [e.text for e in root.findall("ceb:SummaryApply/ceb:SummaryApplyList/ceb:invtNo", NS)] == [
        "29912026E000000001", "29912026E000000002"]
    assert root.find("ceb:BaseTransfer/ceb:copCode", NS).text == a.ebc.code
    # regenerating gives the same message; a different content a different guid
    assert dc.ceb701(dc.summary_groups([a, b, c], 2026, 11)[0], 2026, 11) == xml
    assert dc.ceb701(dc.summary_groups([a], 2026, 11)[0], 2026, 11) != xml
    # the goods preview still merges by code, currency and legal unit
    items = list(us.items.values())
    assert len(items) == 1 and items[0].qty1 == D("4") and items[0].total_price == D("60.00")
    # December rolls the due date into the next year
    dec = dc.summary_groups([dc.sample(ie_date=date(2026, 12, 31), invt_no="X1")], 2026, 12)[0]
    t = ET.fromstring(dc.ceb701(dec, 2026, 12)).find("ceb:SummaryApply/ceb:SummaryApplyHead", NS)
    assert t.findtext("ceb:appTime", namespaces=NS) == "20270115000000"


def test_ceb701_needs_the_inventory_list_numbers():
    a = dc.sample()
    b = dc.sample(order_no="SO2", logistics_no="LP2", invt_no="N1")
    g = dc.summary_groups([a, b], 2026, 11)[0]
    problems = dc.validate_summary_group(g)
    assert fields(problems) == {"lists[1].invt_no"} and "CEB604" in problems[0].message  # sorted: SO2 first
    twice = dc.summary_groups([dc.sample(invt_no="N1"), b], 2026, 11)[0]
    assert fields(dc.validate_summary_group(twice)) == {"invt_nos"}
    # the list number round-trips through the JSON form and fills CEB603 invtNo
    d, problems = dc.parse_declaration(dc.to_dict(b))
    assert problems == [] and d.invt_no == "N1"
    assert "<ceb:invtNo>N1</ceb:invtNo>" in dc.ceb603(d)


def test_ceb701_validation_names_each_field():
    a = dc.sample(invt_no="N1")
    other_office = dc.sample(order_no="SO2", logistics_no="LP2", customs_code="5141", invt_no="N2")
    g = dc.summary_groups([a, other_office], 2026, 11)[0]
    assert fields(dc.validate_summary_group(g)) == {"customs_code"}
    dup = dc.summary_groups([a, a], 2026, 11)[0]
    assert fields(dc.validate_summary_group(dup)) == {"order_nos", "invt_nos"}
    bad_line = replace(a.lines[0], gcode="61091000", unit1="999")
    g = dc.summary_groups([replace(a, lines=(bad_line,), destination="ZZ", port_code="51")], 2026, 11)[0]
    assert {"items[0].gcode", "items[0].unit1", "destination", "port_code"} <= fields(dc.validate_summary_group(g))
    assert dc.summary_groups([dc.sample(mode="9710")], 2026, 11) == []

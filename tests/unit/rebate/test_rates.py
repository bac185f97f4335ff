"""Rebate-rate library: DBF reader, record parsing and lookup by export date."""

from datetime import date
from decimal import Decimal as D

import pytest

from xborder.errors import ValidationError
from xborder.rebate.dbf import read_dbf, write_dbf
from xborder.rebate.errors import AmbiguousRebateCode, UnknownRebateCode
from xborder.rebate.rates import RateLibrary, rate_from_record

CMCODE_FIELDS = [("CODE", "C", 16, 0), ("ST_DATE", "C", 8, 0), ("END_DATE", "C", 8, 0), ("NAME", "C", 60, 0),
                 ("UNIT", "C", 10, 0), ("ZSSL_SET", "C", 10, 0), ("TSL", "N", 6, 2), ("TSFLAG", "C", 1, 0),
                 ("NOTE", "C", 20, 0)]
ROWS = [
    {"CODE": "8479899990", "ST_DATE": "20250101", "END_DATE": "20991231", "NAME": "其他具有独立功能的机器",
     "UNIT": "台", "ZSSL_SET": "13", "TSL": "13", "NOTE": "退13"},
    {"CODE": "8541430000", "ST_DATE": "20241201", "END_DATE": "20260331", "NAME": "光伏电池", "UNIT": "个",
     "ZSSL_SET": "13", "TSL": "9"},
    {"CODE": "8541430000", "ST_DATE": "20260401", "END_DATE": "20991231", "NAME": "光伏电池", "UNIT": "个",
     "ZSSL_SET": "13", "TSL": "0", "NOTE": "退9"},  # NOTE text is ignored: TSL is the rate
    {"CODE": "85043190", "ST_DATE": "20200101", "END_DATE": "20991231", "NAME": "其他变压器", "UNIT": "个",
     "ZSSL_SET": "13", "TSL": "13"},
    {"CODE": "071320100001", "ST_DATE": "20200101", "END_DATE": "20991231", "NAME": "绿豆（种用）", "UNIT": "千克",
     "ZSSL_SET": "9,13", "TSL": "9"},
    {"CODE": "071320100002", "ST_DATE": "20200101", "END_DATE": "20991231", "NAME": "绿豆（其他）", "UNIT": "千克",
     "ZSSL_SET": "9", "TSL": "5"},
]


def library():
    table = read_dbf(write_dbf(CMCODE_FIELDS, ROWS))
    return RateLibrary(rate_from_record(r, "CMCODE2026B") for r in table.records)


def test_dbf_roundtrip_gbk_text_and_numbers():
    table = read_dbf(write_dbf(CMCODE_FIELDS, ROWS))
    assert [f.name for f in table.fields][:3] == ["CODE", "ST_DATE", "END_DATE"]
    assert table.records[0]["NAME"] == "其他具有独立功能的机器"
    assert table.records[1]["TSL"] == D("9.00")
    assert len(table.records) == 6


def test_dbf_skips_deleted_and_reads_date_fields():
    data = bytearray(write_dbf([("CODE", "C", 10, 0), ("ST_DATE", "D", 8, 0)],
                               [{"CODE": "1", "ST_DATE": date(2026, 4, 1)}, {"CODE": "2", "ST_DATE": None}]))
    header_len = int.from_bytes(data[8:10], "little")
    record_len = int.from_bytes(data[10:12], "little")
    data[header_len + record_len] = ord("*")  # delete record 2
    t = read_dbf(bytes(data))
    assert t.records == [{"CODE": "1", "ST_DATE": date(2026, 4, 1)}]


def test_dbf_rejects_garbage():
    with pytest.raises(ValidationError) as e:
        read_dbf(b"code,rate\n" * 10)
    assert e.value.field == "file"


def test_rate_taken_from_tsl_by_export_date():
    lib = library()
    assert lib.lookup("8479899990", date(2026, 5, 1)).rebate_rate == D("0.13")
    assert lib.lookup("8541430000", date(2026, 3, 31)).rebate_rate == D("0.09")
    assert lib.lookup("8541430000", date(2026, 4, 1)).rebate_rate == D("0")
    assert lib.lookup("8479899990", date(2026, 5, 1)).levy_rates == (D("0.13"),)
    assert lib.lookup("8479899990", date(2026, 5, 1)).valid_to is None  # 2099 = open


def test_longest_prefix_and_children():
    lib = library()
    assert lib.lookup("8504319000", date(2026, 5, 1)).code == "85043190"
    with pytest.raises(AmbiguousRebateCode) as e:
        lib.lookup("0713201000", date(2026, 5, 1))
    assert "071320100001" in e.value.message and e.value.field == "hs_code"
    assert lib.lookup("071320100002", date(2026, 5, 1)).rebate_rate == D("0.05")


def test_unknown_code_is_an_error_never_a_default():
    lib = library()
    with pytest.raises(UnknownRebateCode):
        lib.lookup("7113119090", date(2026, 5, 1))
    with pytest.raises(UnknownRebateCode) as e:
        lib.lookup("8479899990", date(2024, 1, 1))  # before its first interval
    assert "no rate in force" in e.value.message


def test_csv_form_records():
    r = rate_from_record({"code": "8479.8999.90", "valid_from": "2026-01-01", "valid_to": "", "rebate_rate": "0.13",
                          "levy_rate": "0.13", "name": "机器"})
    assert r.code == "8479899990" and r.rebate_rate == D("0.13") and r.valid_to is None
    assert rate_from_record({"code": "8479899990", "valid_from": "2026-01-01", "rebate_rate": "9%"}).rebate_rate == D(
        "0.09")


@pytest.mark.parametrize("rec,field", [
    ({"ST_DATE": "20260101", "TSL": "13"}, "CODE"),
    ({"CODE": "12ab", "ST_DATE": "20260101", "TSL": "13"}, "CODE"),
    ({"CODE": "8479899990", "TSL": "13"}, "ST_DATE"),
    ({"CODE": "8479899990", "ST_DATE": "2026013", "TSL": "13"}, "ST_DATE"),
    ({"CODE": "8479899990", "ST_DATE": "20260101", "END_DATE": "20250101", "TSL": "13"}, "END_DATE"),
    ({"CODE": "8479899990", "ST_DATE": "20260101", "TSL": "130"}, "TSL"),
    ({"CODE": "8479899990", "ST_DATE": "20260101", "TSL": ""}, "TSL"),
    ({"code": "8479899990", "valid_from": "2026-01-01", "rebate_rate": "1.3"}, "rebate_rate"),
])
def test_bad_records_name_the_field(rec, field):
    with pytest.raises(ValidationError) as e:
        rate_from_record(rec)
    assert e.value.field == field


def test_dbf_visual_foxpro_integer_and_backlink():
    import struct

    base = bytearray(write_dbf([("CODE", "C", 10, 0), ("N", "C", 4, 0)], [{"CODE": "8479899990", "N": "x"}]))
    # turn field 2 into an 'I' (4-byte integer), add a 263-byte backlink, mark the file as VFP (0x30)
    base[0] = 0x30
    desc2 = 32 + 32
    base[desc2 + 11] = ord("I")
    header_len = int.from_bytes(base[8:10], "little")
    records = base[header_len:]
    new_header_len = header_len + 263
    head = bytes(base[:header_len]) + b"\x00" * 263
    head = head[:8] + struct.pack("<H", new_header_len) + head[10:]
    rec = bytearray(records)
    rec[1 + 10:1 + 14] = (7).to_bytes(4, "little", signed=True)
    t = read_dbf(head + bytes(rec))
    assert t.records == [{"CODE": "8479899990", "N": 7}]

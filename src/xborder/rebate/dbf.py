"""A small dBASE III / FoxPro DBF reader and writer (standard library only, bytes in and out).

The STA publishes the 出口退税率文库 as FoxPro DBF files (``cmcode.DBF``, GBK text; research notes
``rebate_fx.md`` §2). This reader handles the field types found there: ``C`` (text), ``N``/``F``
(numbers, returned as ``Decimal``), ``D`` (YYYYMMDD dates, returned as ``datetime.date``), ``L``
(logical), ``M`` (memo pointer, returned as the raw block number text: memo text lives in an
``.FPT`` file and is not needed for rates), and the Visual FoxPro binary types ``I``, ``Y``, ``B``.
Records are located by the header length, so the 263-byte VFP backlink is skipped. Deleted
records are skipped.

The writer exists so tests and demos can build their own tiny DBF files (the official file is
downloaded by the user, never vendored).

>>> data = write_dbf([("CODE", "C", 12, 0), ("TSL", "N", 5, 2)], [{"CODE": "8479899990", "TSL": "13"}])
>>> read_dbf(data).records
[{'CODE': '8479899990', 'TSL': Decimal('13.00')}]
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from xborder.errors import ValidationError

__all__ = ["DbfField", "DbfTable", "read_dbf", "write_dbf"]

# language-driver byte (offset 29) to codec; the 文库 uses GBK (0x4D) — we read GB18030, a superset
_CODEPAGES = {0x4D: "gb18030", 0x7A: "gb18030", 0x01: "cp437", 0x03: "cp1252", 0x57: "cp1252", 0x00: "gb18030"}


@dataclass(frozen=True)
class DbfField:
    name: str
    type: str
    length: int
    decimals: int


@dataclass(frozen=True)
class DbfTable:
    fields: tuple[DbfField, ...]
    records: list[dict[str, Any]]
    encoding: str


def _bad(msg: str) -> ValidationError:
    return ValidationError(f"file: not a readable DBF file ({msg})", field="file")


def read_dbf(data: bytes, encoding: str | None = None) -> DbfTable:
    if len(data) < 33:
        raise _bad("too short")
    version = data[0]
    if version not in (0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x43, 0x63, 0x83, 0x8B, 0x8E, 0xCB, 0xF5, 0xFB):
        raise _bad(f"unknown version byte 0x{version:02X}")
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    enc = encoding or _CODEPAGES.get(data[29], "gb18030")
    fields: list[DbfField] = []
    pos = 32
    while pos < header_len and data[pos] != 0x0D:
        raw = data[pos:pos + 32]
        if len(raw) < 32:
            raise _bad("truncated field descriptor")
        name = raw[:11].split(b"\x00", 1)[0].decode("ascii", "replace").strip().upper()
        ftype = chr(raw[11])
        length = raw[16]
        decimals = raw[17]
        if ftype == "C":  # FoxPro stores long text lengths in both bytes
            length = raw[16] | (raw[17] << 8)
            decimals = 0
        fields.append(DbfField(name, ftype, length, decimals))
        pos += 32
    if not fields:
        raise _bad("no fields")
    if sum(f.length for f in fields) + 1 != record_len:
        raise _bad("field lengths do not add up to the record length")
    records: list[dict[str, Any]] = []
    for i in range(n_records):
        start = header_len + i * record_len
        rec = data[start:start + record_len]
        if len(rec) < record_len:
            raise _bad(f"record {i + 1} is truncated")
        if rec[0:1] == b"*":
            continue
        off = 1
        row: dict[str, Any] = {}
        for f in fields:
            raw = rec[off:off + f.length]
            off += f.length
            row[f.name] = _value(f, raw, enc)
        records.append(row)
    return DbfTable(tuple(fields), records, enc)


def _value(f: DbfField, raw: bytes, enc: str) -> Any:
    # Visual FoxPro binary types
    if f.type == "I" and len(raw) == 4:
        return int.from_bytes(raw, "little", signed=True)
    if f.type == "Y" and len(raw) == 8:
        return Decimal(int.from_bytes(raw, "little", signed=True)).scaleb(-4)
    if f.type == "B" and len(raw) == 8:
        return Decimal(repr(struct.unpack("<d", raw)[0]))
    if f.type == "0":
        return None  # _NullFlags
    if f.type == "C":
        return raw.decode(enc, "replace").rstrip(" \x00")
    text = raw.decode("ascii", "replace").strip(" \x00")
    if f.type in ("N", "F"):
        if not text or set(text) <= {"*"}:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            return None
    if f.type == "D":
        if not text or not text.isdigit() or len(text) != 8:
            return None
        try:
            return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        except ValueError:
            return None
    if f.type == "L":
        return None if text in ("", "?") else text.upper() in ("T", "Y")
    return text  # M and others: raw text (memo block number)


def write_dbf(fields: list[tuple[str, str, int, int]], records: list[dict[str, Any]],
              encoding: str = "gb18030") -> bytes:
    """Build a dBASE III file (types C, N, D, L) — used by tests and demos."""
    n = len(fields)
    header_len = 32 + 32 * n + 1
    record_len = 1 + sum(f[2] for f in fields)
    today = date.today()
    out = bytearray(struct.pack("<BBBBIHH", 0x03, today.year - 1900, today.month, today.day, len(records),
                                header_len, record_len))
    out += b"\x00" * 17 + bytes([0x4D]) + b"\x00\x00"
    for name, ftype, length, dec in fields:
        out += name.encode("ascii")[:11].ljust(11, b"\x00") + ftype.encode("ascii") + b"\x00" * 4
        out += bytes([length, dec]) + b"\x00" * 14
    out += b"\x0D"
    for rec in records:
        out += b" "
        for name, ftype, length, dec in fields:
            v = rec.get(name)
            if ftype == "C":
                b = ("" if v is None else str(v)).encode(encoding)[:length].ljust(length, b" ")
            elif ftype == "N":
                s = "" if v is None else (format(Decimal(str(v)), f".{dec}f") if dec else str(int(Decimal(str(v)))))
                b = s.encode("ascii").rjust(length, b" ")[:length]
            elif ftype == "D":
                s = "" if v is None else (v.strftime("%Y%m%d") if isinstance(v, date) else str(v))
                b = s.encode("ascii").ljust(length, b" ")[:length]
            elif ftype == "L":
                b = b"?" if v is None else (b"T" if v else b"F")
            else:
                raise ValueError(f"unsupported field type {ftype}")
            out += b
    out += b"\x1A"
    return bytes(out)

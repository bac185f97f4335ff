"""Reading the messy text of marketplace exports: encodings, delimiters, locale numbers, dates.

Pure functions over ``bytes``/``str`` (no file I/O): the caller reads the file.

Rules (from ``../shared/research/marketplaces.md`` §0.3 and §2, and ``rebate_fx.md`` §4):

* encodings: UTF-8, UTF-8 with BOM, UTF-16 (LE/BE, with BOM, as Excel writes "Unicode text"),
  GB18030 (Chinese Excel/WPS default, a superset of GBK);
* numbers: ``1.234,56`` (de/fr/es/it), ``1,234.56`` (en), ``1 234,56`` (fr with a space),
  ``$18.00``/``US $18.00``/``€12,50``/``¥1,280`` (currency signs), ``(12.00)`` (accounting negative),
  ``--`` and ``-`` as empty (Temu);
* the decimal separator is decided per file/column when a value is ambiguous (``1,234``):
  :func:`detect_decimal_separator` looks at all values of the column.

>>> parse_decimal("1.234,56")
Decimal('1234.56')
>>> parse_decimal("$1,234.56")
Decimal('1234.56')
>>> parse_decimal("(12.00)")
Decimal('-12.00')
>>> parse_decimal("1,5")
Decimal('1.5')
>>> parse_decimal("1,234", decimal_sep=",")
Decimal('1.234')
>>> parse_decimal("--") is None
True
>>> decode(b"\\xef\\xbb\\xbfa,b")
('a,b', 'utf-8-sig')
>>> decode("订单号".encode("gb18030"))
('订单号', 'gb18030')
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation

EMPTY = {"", "--", "-", "—", "N/A", "n/a", "null", "NULL", "None"}

_CURRENCY_NOISE = re.compile(r"[A-Za-z$€£¥￥₩₹฿\s\u00a0\u202f']+")


class ParseError(ValueError):
    """A cell that cannot be read; the message is shown to the user with line and column."""


def decode(data: bytes) -> tuple[str, str]:
    """Decode an export file, returning ``(text, encoding)``."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"
    # UTF-16 without BOM: every other byte is NUL for ASCII text
    sample = data[:2000]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        enc = "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
        return data.decode(enc), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in ("\t", ",", ";", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def split_rows(text: str, delimiter: str | None = None) -> list[list[str]]:
    """All rows of a delimited text (a real CSV parser: quoted commas and newlines survive)."""
    if delimiter is None:
        first = next((ln for ln in text.splitlines() if ln.strip(" ,\t;")), "")
        delimiter = sniff_delimiter(first)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def is_empty(value: str | None) -> bool:
    return value is None or value.strip() in EMPTY


def detect_decimal_separator(values: list[str]) -> str:
    """``','`` when the column is written with decimal commas, else ``'.'``.

    >>> detect_decimal_separator(["12,50", "3,00", "1.234,00"])
    ','
    >>> detect_decimal_separator(["1,234.00", "12.5"])
    '.'
    >>> detect_decimal_separator(["1,234", "1,000"])
    '.'
    """
    comma = dot = 0
    for raw in values:
        v = _CURRENCY_NOISE.sub("", raw or "")
        if not v:
            continue
        last_c, last_d = v.rfind(","), v.rfind(".")
        if last_c >= 0 and last_d >= 0:
            if last_c > last_d:
                comma += 1
            else:
                dot += 1
        elif last_c >= 0:
            tail = len(v) - last_c - 1
            if tail != 3 or v.count(",") == 1 and v.startswith("0"):
                comma += 1
        elif last_d >= 0:
            tail = len(v) - last_d - 1
            if tail != 3 or v.count(".") == 1:
                dot += 1
            else:
                comma += 1  # 1.234.567 is thousands with dots
    return "," if comma > dot else "."


def parse_decimal(value: str | None, decimal_sep: str | None = None) -> Decimal | None:
    """A locale-formatted amount as an exact Decimal; ``None`` for empty cells.

    Raises :class:`ParseError` for text that is not a number.
    """
    if value is None:
        return None
    raw = value.strip()
    if raw in EMPTY:
        return None
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        negative, raw = True, raw[1:-1]
    v = _CURRENCY_NOISE.sub("", raw)
    if v.endswith("-") and not v.startswith("-"):
        negative, v = True, v[:-1]
    if v.startswith("+"):
        v = v[1:]
    if v.startswith("-"):
        negative, v = not negative, v[1:]
    if not v or not re.fullmatch(r"[0-9.,]+", v):
        raise ParseError(f"{value!r} is not a number")
    sep = decimal_sep
    if sep is None:
        last_c, last_d = v.rfind(","), v.rfind(".")
        if last_c >= 0 and last_d >= 0:
            sep = "," if last_c > last_d else "."
        elif last_c >= 0:
            sep = "." if (v.count(",") > 1 or len(v) - last_c - 1 == 3) else ","
        elif v.count(".") > 1:
            sep = ","
        else:
            sep = "."
    thousands = "." if sep == "," else ","
    if v.count(sep) > 1:
        raise ParseError(f"{value!r} has more than one decimal separator")
    v = v.replace(thousands, "").replace(sep, ".")
    try:
        result = Decimal(v)
    except InvalidOperation:
        raise ParseError(f"{value!r} is not a number") from None
    return -result if negative else result


_TZ_NAMES = {"UTC": 0, "GMT": 0, "Z": 0, "PST": -8, "PDT": -7, "MST": -7, "MDT": -6, "CST": -6, "CDT": -5,
             "EST": -5, "EDT": -4, "BST": 1, "CET": 1, "CEST": 2, "JST": 9, "AEST": 10, "AEDT": 11}


def _to_utc(dt: datetime) -> datetime:
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    return dt


def parse_datetime(value: str | None, formats: tuple[str, ...] = (), *, dayfirst: bool = False) -> datetime | None:
    """A timestamp as naive UTC. ISO-8601 (with offset or a ``UTC``/``PST`` suffix) always works;
    ``formats`` are tried next (``strptime`` patterns). Without an offset the time is taken as UTC.

    >>> parse_datetime("2026-03-06 08:52:26 UTC")
    datetime.datetime(2026, 3, 6, 8, 52, 26)
    >>> parse_datetime("2024-05-01 10:00:00 +0900")
    datetime.datetime(2024, 5, 1, 1, 0)
    >>> parse_datetime("06.03.2026 08:52:26 UTC", dayfirst=True)
    datetime.datetime(2026, 3, 6, 8, 52, 26)
    >>> parse_datetime("Sep-30-26", ("%b-%d-%y",))
    datetime.datetime(2026, 9, 30, 0, 0)
    """
    if value is None:
        return None
    raw = value.strip()
    if raw in EMPTY:
        return None
    offset: timedelta | None = None
    m = re.search(r"\s+([A-Z]{1,4})$", raw)
    if m and m.group(1) in _TZ_NAMES:
        offset = timedelta(hours=_TZ_NAMES[m.group(1)])
        raw = raw[: m.start()].strip()
    try:
        iso = raw.replace("Z", "+00:00") if raw.endswith("Z") else raw
        iso = re.sub(r" ([+-]\d{2}):?(\d{2})$", r"+\1:\2".replace("+", ""), iso) if re.search(r" [+-]\d{2}:?\d{2}$", iso) else iso
        iso = re.sub(r"([+-])(\d{2})(\d{2})$", r"\1\2:\3", iso)
        dt = datetime.fromisoformat(iso.replace(" +", "+").replace(" -", "-") if re.search(r" [+-]\d{2}:\d{2}$", iso) else iso)
        if offset is not None and dt.tzinfo is None:
            dt = dt.replace(tzinfo=timezone(offset))
        return _to_utc(dt)
    except ValueError:
        pass
    patterns = list(formats)
    if dayfirst:
        patterns += ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"]
    else:
        patterns += ["%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%m/%d/%y"]
    patterns += ["%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d %H:%M:%S", "%Y.%m.%d",
                 "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y", "%b %d, %Y %H:%M:%S",
                 "%b %d, %Y", "%d %b %Y", "%b-%d-%y", "%b-%d-%Y"]
    for fmt in patterns:
        try:
            dt = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        if offset is not None:
            dt = dt.replace(tzinfo=timezone(offset))
        return _to_utc(dt)
    raise ParseError(f"{value!r} is not a date/time this importer understands")

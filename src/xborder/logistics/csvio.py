"""CSV bytes -> rows with file line numbers (UTF-8 with/without BOM, UTF-16, GB18030)."""

from __future__ import annotations

import csv
import io

from xborder.errors import ImportRejected


def decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ImportRejected("the file is not UTF-8, UTF-16 or GB18030 text", [{"line": 1, "column": "", "message": "unknown text encoding"}])


def read_rows(raw: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    text = decode(raw)
    sample = text[:2048]
    delim = "\t" if sample.count("\t") > sample.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    if not rows:
        raise ImportRejected("the file is empty", [{"line": 1, "column": "", "message": "the file is empty"}])
    header = [h.strip().lower() for h in rows[0]]
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in r):
            continue
        out.append((i, {h: (r[k] if k < len(r) else "") for k, h in enumerate(header)}))
    return header, out

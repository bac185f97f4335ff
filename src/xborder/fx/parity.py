"""CNY central parity (人民币汇率中间价) CSV import (pure: text in, rows out).

The PBOC/CFETS central parity is what the export VAT rebate converts FOB with (``rebate_fx.md``
§1.4), and ECB cross rates differ from it by about 1.5% (2024-12-31: ECB-implied USD/CNY 7.2994,
central parity 7.1884). No Python package ships its history offline (§5), so users import the
file SAFE publishes (safe.gov.cn → 人民币汇率中间价, downloaded as Excel and saved as CSV) or
any CSV in the long form.

Two layouts are accepted:

* **long**: ``date,currency,rate[,unit]`` — ``rate`` CNY per ``unit`` (default 1) foreign units;
* **SAFE wide**: ``日期`` then one column per currency in Chinese (``美元, 欧元, 日元, 港元, 英镑, …``).
  SAFE quotes the major currencies as CNY per **100** foreign units (``美元 718.84``) and a second
  group as foreign units per **1 CNY** (``林吉特, 卢布, 兰特, 韩元, 迪拉姆, 里亚尔, 福林, 兹罗提, 丹麦克朗,
  瑞典克朗, 挪威克朗, 里拉, 比索, 泰铢``); both are turned into CNY per 1 foreign unit. [M] The
  grouping follows the SAFE query page as we understand it; check against the file you download.

>>> rows, errs = parse_parity_csv("日期,美元,欧元,日元\\n2024-12-31,718.84,749.94,4.6040\\n")
>>> [(d.isoformat(), c, str(r)) for d, c, r in rows]
[('2024-12-31', 'USD', '7.1884'), ('2024-12-31', 'EUR', '7.4994'), ('2024-12-31', 'JPY', '0.04604')]
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

SOURCE = "PBOC"

PER_100 = {"美元": "USD", "欧元": "EUR", "日元": "JPY", "港元": "HKD", "英镑": "GBP", "澳元": "AUD",
           "新西兰元": "NZD", "新加坡元": "SGD", "瑞士法郎": "CHF", "加元": "CAD", "加拿大元": "CAD", "澳门元": "MOP"}
PER_CNY = {"林吉特": "MYR", "卢布": "RUB", "俄罗斯卢布": "RUB", "兰特": "ZAR", "南非兰特": "ZAR", "韩元": "KRW",
           "迪拉姆": "AED", "阿联酋迪拉姆": "AED", "里亚尔": "SAR", "沙特里亚尔": "SAR", "福林": "HUF", "匈牙利福林": "HUF",
           "兹罗提": "PLN", "波兰兹罗提": "PLN", "丹麦克朗": "DKK", "瑞典克朗": "SEK", "挪威克朗": "NOK",
           "里拉": "TRY", "土耳其里拉": "TRY", "比索": "MXN", "墨西哥比索": "MXN", "泰铢": "THB"}


def _date(v: str) -> date:
    v = v.strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(v, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{v!r} is not a date")


def parse_parity_csv(text: str) -> tuple[list[tuple[date, str, Decimal]], list[tuple[int, str, str]]]:
    """Rows ``(date, currency, CNY per 1 unit)`` and errors ``(line, column, message)``."""
    text = text.lstrip("\ufeff")
    reader = list(csv.reader(io.StringIO(text)))
    if not reader:
        return [], [(1, "", "empty file")]
    header = [h.strip() for h in reader[0]]
    rows: list[tuple[date, str, Decimal]] = []
    errors: list[tuple[int, str, str]] = []
    low = [h.lower() for h in header]
    if "currency" in low and "rate" in low:
        di, ci, ri = low.index("date"), low.index("currency"), low.index("rate")
        ui = low.index("unit") if "unit" in low else None
        for n, r in enumerate(reader[1:], start=2):
            if not any(c.strip() for c in r):
                continue
            try:
                d = _date(r[di])
            except (ValueError, IndexError) as e:
                errors.append((n, "date", str(e)))
                continue
            try:
                rate = Decimal(r[ri].strip().replace(",", ""))
                unit = Decimal(r[ui].strip()) if ui is not None and r[ui].strip() else Decimal(1)
                if rate <= 0 or unit <= 0:
                    raise InvalidOperation
            except (InvalidOperation, IndexError):
                errors.append((n, "rate", f"{r[ri] if ri < len(r) else ''!r} is not a positive number"))
                continue
            cur = r[ci].strip().upper()
            if len(cur) != 3:
                errors.append((n, "currency", f"{cur!r} is not a currency code"))
                continue
            rows.append((d, cur, rate / unit))
        return rows, errors
    if not header or header[0] not in ("日期", "date", "Date"):
        return [], [(1, header[0] if header else "", "expected a 日期 column (SAFE layout) or date,currency,rate")]
    cols = []
    for i, h in enumerate(header[1:], start=1):
        name = h.replace("人民币/", "").replace("/人民币", "").strip()
        if name in PER_100:
            cols.append((i, PER_100[name], "per100"))
        elif name in PER_CNY:
            cols.append((i, PER_CNY[name], "percny"))
        elif h:
            errors.append((1, h, "unknown currency column"))
    for n, r in enumerate(reader[1:], start=2):
        if not any(c.strip() for c in r):
            continue
        try:
            d = _date(r[0])
        except ValueError as e:
            errors.append((n, header[0], str(e)))
            continue
        for i, cur, kind in cols:
            raw = r[i].strip() if i < len(r) else ""
            if not raw or raw in ("-", "--"):
                continue
            try:
                v = Decimal(raw.replace(",", ""))
                if v <= 0:
                    raise InvalidOperation
            except InvalidOperation:
                errors.append((n, header[i], f"{raw!r} is not a positive number"))
                continue
            rows.append((d, cur, v / 100 if kind == "per100" else 1 / v))
    return rows, errors

"""Chinese wording of the warnings and errors the rebate engine and service produce.

The engine and the service speak English (the API and CLI return these strings as they are);
the web page shows them in Chinese when the page is in Chinese. Every pattern below matches one
``warnings.append``/``errors.append`` in ``engine.py``, ``matching.py`` or ``service.py``; an
unknown text is returned unchanged.

>>> zh("declared closing credit 60000.00 differs from the computed 67770.00")
'申报表期末留抵税额 60000.00 与计算值 67770.00 不一致'
>>> zh("531620260000101002/1 left out: quantity_mismatch; fx_missing")
'531620260000101002/1 未计入：发票数量与报关数量不符；未收汇或收汇不足'
>>> zh("something new")
'something new'
"""

from __future__ import annotations

import re

from xborder.i18n import Rewording, reword
from xborder.rebate.matching import PROBLEMS


def _problems(text: str) -> str:
    return "；".join(PROBLEMS[p][1] if p in PROBLEMS else p for p in text.split("; "))


_PATTERNS: tuple[Rewording, ...] = (
    (re.compile(r"^declared closing credit (\S+) differs from the computed (\S+)$"),
     lambda m: f"申报表期末留抵税额 {m[1]} 与计算值 {m[2]} 不一致"),
    (re.compile(r"^non_creditable_offset capped; (\S+) carried forward to the next period$"),
     lambda m: f"不得免征和抵扣税额抵减额已封顶；{m[1]} 结转下期"),
    (re.compile(r"^refund ceiling is negative \(materials exceed FOB\); no refund$"),
     lambda m: "免抵退税额为负（免税购进原材料超过离岸价）；不退税"),
    (re.compile(r"^no FOB date rule chosen for (\d{4}): using the first working day of the month$"),
     lambda m: f"{m[1]} 年未选择离岸价折算汇率日期规则：按当月第一个工作日"),
    (re.compile(r"^no exports with a rate and a CNY value in this period$"),
     lambda m: "本期没有同时具有退税率和人民币金额的出口"),
    (re.compile(r"^VAT return figures not entered for this period: output and input VAT taken as 0$"),
     lambda m: "本期未录入增值税申报表数据：销项税额和进项税额按 0 计算"),
    (re.compile(r"^no invoices matched to this period's declarations yet$"),
     lambda m: "本期报关单尚未匹配到进货发票"),
    (re.compile(r"^(\S+/\d+) left out: the library has no levy rate \(ZSSL_SET\)$"),
     lambda m: f"{m[1]} 未计入：退税率文库中没有征税率（ZSSL_SET）"),
    (re.compile(r"^(\S+/\d+) left out: (.+)$"), lambda m: f"{m[1]} 未计入：{_problems(m[2])}"),
    (re.compile(r"^(\S+/\d+): (.+)$"), lambda m: f"{m[1]}：{_problems(m[2])}"),
)


def zh(text: str) -> str:
    """The Chinese wording of one engine/service message, or the text unchanged."""
    return reword(_PATTERNS, text, whole=False) or text

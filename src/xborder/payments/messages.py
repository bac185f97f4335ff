"""Chinese wording of the payout reconciliation's discrepancies (``xborder.payments.reconcile``)
for the payments page in Chinese; the API, the CLI and the exports keep the English.

>>> zh("order 111-9881597-4994229 has no payout line yet")
'订单 111-9881597-4994229 尚无回款明细'
>>> zh("order 17-1: paid 18.50 for 19.99 sold")
'订单 17-1：回款 18.50，销售 19.99'
>>> zh("something new")
'something new'
"""

from __future__ import annotations

import re

from xborder.i18n import Rewording, reword

_PATTERNS: tuple[Rewording, ...] = (
    (re.compile(r"order (\S+) has no payout line yet"), lambda m: f"订单 {m[1]} 尚无回款明细"),
    (re.compile(r"order (\S+) is in ([A-Z]{3}) but paid in ([A-Z]{3})"), lambda m: f"订单 {m[1]} 以 {m[2]} 销售，却以 {m[3]} 回款"),
    (re.compile(r"order (\S+): paid (\S+) for (\S+) sold"), lambda m: f"订单 {m[1]}：回款 {m[2]}，销售 {m[3]}"),
    (re.compile(r"fee type (.+) is not in the classification table \(counted as other\)"),
     lambda m: f"费用类型 {m[1]} 不在分类表中（计为其他）"),
    (re.compile(r"lines of payout (\S+) add up to (\S+), summary says (\S+)"),
     lambda m: f"回款 {m[1]} 的明细合计 {m[2]}，汇总为 {m[3]}"),
    (re.compile(r"payout (\S+) \((\S+) ([A-Z]{3})\) has no matching collection receipt"),
     lambda m: f"回款 {m[1]}（{m[2]} {m[3]}）没有匹配的收汇记录"),
)


def zh(text: str) -> str:
    """The Chinese wording of one discrepancy, or the text unchanged."""
    return reword(_PATTERNS, text) or text

"""Chinese wording of the risk alerts (``xborder.selection.risk.alerts``) for pages in Chinese.

The alerts speak English in the API and the CLI; each pattern below matches one of their
f-strings, and an unknown text is returned unchanged.

>>> zh("market FR loses money")
'市场 FR 亏损'
>>> zh("amazon earns 64% of profit by channel")
'渠道 amazon 贡献了 64% 的利润'
>>> zh("US takes 67% of forecast demand by market")
'市场 US 占预测需求的 67%'
>>> zh("something new")
'something new'
"""

from __future__ import annotations

import re

from xborder.i18n import Rewording, reword

DIMENSIONS = {"market": "市场", "channel": "渠道", "sku": "SKU"}


def _dim(d: str) -> str:
    return DIMENSIONS.get(d, d)


_PATTERNS: tuple[Rewording, ...] = (
    (re.compile(r"^(\S+) is (\d+%) of receivables and stock$"), lambda m: f"{m[1]} 占应收款和海外库存的 {m[2]}"),
    (re.compile(r"^no rate for (\S+): its exposure is not counted$"), lambda m: f"没有 {m[1]} 的汇率：其敞口未计入"),
    (re.compile(r"^(.+) earns (\d+%) of profit by (market|channel|sku)$"),
     lambda m: f"{_dim(m[3])} {m[1]} 贡献了 {m[2]} 的利润"),
    (re.compile(r"^profit by (market|channel|sku) is highly concentrated \(HHI ([0-9.]+)\)$"),
     lambda m: f"按{_dim(m[1])}的利润高度集中（HHI {m[2]}）"),
    (re.compile(r"^(market|channel|sku) (.+) loses money$"), lambda m: f"{_dim(m[1])} {m[2]} 亏损"),
    (re.compile(r"^weekly demand of (.+) varies by (\d+%) of its mean$"), lambda m: f"{m[1]} 的周需求波动达均值的 {m[2]}"),
    (re.compile(r"^(.+) takes (\d+%) of forecast demand by (market|channel|sku)$"),
     lambda m: f"{_dim(m[3])} {m[1]} 占预测需求的 {m[2]}"),
)


def zh(text: str) -> str:
    """The Chinese wording of one alert, or the text unchanged."""
    return reword(_PATTERNS, text) or text

"""Chinese wording of the sources behind each profit figure (``xborder.profit.service`` and
``model``: where a cost, a rebate rate or a shipping figure came from) for pages in Chinese.

The report speaks English in the API, the CLI and the exports; each pattern below matches one of
the service's texts (numbers, codes and dates kept), and an unknown text is returned unchanged.

>>> zh("catalog SKU purchase cost")
'商品资料中的 SKU 采购成本'
>>> zh("catalog SKU rebate rate (rebate library: SKU PB-1: hs_code: 850760 is not in the "
...    "rebate-rate library for 2026-09-05; no default rate is assumed)")
'商品资料中的 SKU 退税率（退税率文库：SKU PB-1：HS 编码 850760 不在 2026-09-05 的退税率文库中；不假定默认税率）'
>>> zh("something new")
'something new'
"""

from __future__ import annotations

import re

from xborder.i18n import Rewording, reword

_NUM = r"-?[0-9][0-9.,]*"

_FIXED = {
    "catalog SKU purchase cost": "商品资料中的 SKU 采购成本",
    "listing not paired to a SKU (see the unpaired queue)": "该刊登未关联 SKU（见待配对列表）",
    "listing not paired to a SKU": "该刊登未关联 SKU",
    "rebate engine": "退税引擎",
    "per-SKU rebate rate": "按 SKU 的退税率",
    "catalog": "商品资料",
    "payout not yet converted to CNY": "回款尚未结汇为人民币",
    "FBA: fulfilment fee is in the marketplace fees; first leg is in the landed cost":
        "FBA：配送费已计入平台费用；头程计入到岸成本",
    "estimate: CNY 35 per parcel + 8 per extra unit (Xborder assumption 2026-11; no shipment or rate card)":
        "估算：每包裹 35 元 + 每多一件 8 元（Xborder 2026-11 的假设；无发货记录或运价表）",
    "the rebate-rate library is empty (xborder rebate rates import)": "退税率文库为空（请运行 xborder rebate rates import）",
}


def _why(text: str) -> str:
    """The rebate library's own reason (``xborder.rebate.service.rebate_rate_lookup``)."""
    return reword(_WHY, text) or _FIXED.get(text, text)


_WHY: tuple[Rewording, ...] = (
    (re.compile(r"SKU (\S+): hs_code: (\d+) is not in the rebate-rate library for (\S+); no default rate is assumed"),
     lambda m: f"SKU {m[1]}：HS 编码 {m[2]} 不在 {m[3]} 的退税率文库中；不假定默认税率"),
    (re.compile(r"SKU (\S+): hs_code: (\d+) has no rate in force on (\S+); no default rate is assumed"),
     lambda m: f"SKU {m[1]}：HS 编码 {m[2]} 在 {m[3]} 没有有效的退税率；不假定默认税率"),
    (re.compile(r"SKU (\S+) is not in the catalog"), lambda m: f"SKU {m[1]} 不在商品资料中"),
    (re.compile(r"SKU (\S+) has no HS code of at least 6 digits"), lambda m: f"SKU {m[1]} 没有至少 6 位的 HS 编码"),
    (re.compile(r"lookup failed: (.+)"), lambda m: f"查询失败：{m[1]}"),
    (re.compile(r"rebate-rate library: (\d+) (.+) rebate ([0-9.]+%) \(([^;]+); ([^)]+)\)(.*)"),
     lambda m: f"退税率文库：{m[1]} {m[2]} 退税率 {m[3]}（{m[4]}；{m[5]}）{_how(m[6])}"),
)


def _how(text: str) -> str:
    m = re.fullmatch(r" \(HS (\d+) → (\d+), the only rate under it\)", text)
    if m:
        return f"（HS {m[1]} → {m[2]}，其下唯一的税率）"
    m = re.fullmatch(r" \(HS (\d+) under (\d+)\)", text)
    if m:
        return f"（HS {m[1]} 归入 {m[2]}）"
    return text


_PATTERNS: tuple[Rewording, ...] = (
    (re.compile(rf"catalog SKU purchase cost ({_NUM}) ([A-Z]{{3}}) x ({_NUM}) \((.+)\)"),
     lambda m: f"商品资料中的 SKU 采购成本 {m[1]} {m[2]} × {m[3]}（{m[4]}）"),
    (re.compile(r"no purchase cost for SKU (.+) in the catalog"), lambda m: f"商品资料中 SKU {m[1]} 没有采购成本"),
    (re.compile(r"catalog purchase cost in ([A-Z]{3}): (.+)"), lambda m: f"商品资料中的采购成本币种为 {m[1]}，无法换算：{m[2]}"),
    (re.compile(r"no rebate rate on SKU (\S+) in the catalog \(rebate library: (.+)\)"),
     lambda m: f"商品资料中 SKU {m[1]} 没有退税率（退税率文库：{_why(m[2])}）"),
    (re.compile(r"no rebate rate on SKU (\S+) in the catalog"), lambda m: f"商品资料中 SKU {m[1]} 没有退税率"),
    (re.compile(r"catalog SKU rebate rate \(rebate library: (.+)\)"),
     lambda m: f"商品资料中的 SKU 退税率（退税率文库：{_why(m[1])}）"),
    (re.compile(r"catalog SKU rebate rate \(until the rebate engine provides one\)"),
     lambda m: "商品资料中的 SKU 退税率（在退税引擎给出税率之前）"),
    (re.compile(r"rebate-rate library: .+"), lambda m: _why(m[0])),
)


def zh(text: str) -> str:
    """The Chinese wording of one source text, or the text unchanged."""
    return _FIXED.get(text) or reword(_PATTERNS, text) or text

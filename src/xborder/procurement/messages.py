"""Chinese wording of the reorder explanation (``xborder.procurement.model.reorder_line``: its
steps and note) for pages in Chinese; the CLI and the API keep the English.

>>> zh("protection period = 14 d / 7 + 1 review week(s) = 3.00 weeks")
'保障期 = 14 天 / 7 + 1 个检查周期（周）= 3.00 周'
>>> zh("safety stock = z(0.95) 1.645 × σ 3.2 × √3.00 = 10")
'安全库存 = z(0.95) 1.645 × σ 3.2 × √3.00 = 10'
>>> zh("order = 0 (stock position covers the protection period)")
'订货量 = 0（库存头寸足够覆盖保障期）'
>>> zh("something new")
'something new'
"""

from __future__ import annotations

import re

from xborder.i18n import Rewording, reword

_PATTERNS: tuple[Rewording, ...] = (
    (re.compile(r"protection period = (\S+) d / 7 \+ (\S+) review week\(s\) = (\S+) weeks"),
     lambda m: f"保障期 = {m[1]} 天 / 7 + {m[2]} 个检查周期（周）= {m[3]} 周"),
    (re.compile(r"forecast demand over it = (\S+)"), lambda m: f"保障期内的预测需求 = {m[1]}"),
    (re.compile(r"safety stock = (.+)"), lambda m: f"安全库存 = {m[1]}"),
    (re.compile(r"target = (\S+); position = on hand (\S+) \+ on order (\S+) = (\S+)"),
     lambda m: f"目标库存 = {m[1]}；库存头寸 = 在库 {m[2]} + 在途 {m[3]} = {m[4]}"),
    (re.compile(r"order = (\S+) \((.+)\)"), lambda m: f"订货量 = {m[1]}（{zh(m[2])}）"),
    (re.compile(r"order = (\S+)"), lambda m: f"订货量 = {m[1]}"),
    (re.compile(r"stock position covers the protection period"), lambda m: "库存头寸足够覆盖保障期"),
    (re.compile(r"raised to MOQ (\S+)"), lambda m: f"提高到最小起订量 {m[1]}"),
)


def zh(text: str) -> str:
    """The Chinese wording of one step or note, or the text unchanged."""
    return reword(_PATTERNS, text) or text

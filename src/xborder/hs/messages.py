"""Chinese wording of the classifier's reasons (``Classification.reasons``, the ``explanation``
of ``hs classify --json``) for pages in Chinese; the CLI and the API keep the English.

>>> zh("closest to a known vague description (similarity 0.28 > 0.26)")
'最接近一条已知的含糊品名（相似度 0.28 > 0.26）'
>>> zh("top candidate estimated probability 0.42, best similarity 0.61")
'首选编码的估计概率 0.42，最佳相似度 0.61'
>>> zh("Chinese description read as 'vacuum flask' (CC-CEDICT); not in the dictionary: 乐扣")
"中文品名按 'vacuum flask' 理解（CC-CEDICT）；词典中没有：乐扣"
>>> zh("something new")
'something new'
"""

from __future__ import annotations

import re

from xborder.i18n import Rewording, reword

_SCORES = {"estimated probability": "估计概率", "share": "得票份额"}

_PATTERNS: tuple[Rewording, ...] = (
    (re.compile(r"no word of three letters or more"), lambda m: "没有三个字母以上的词"),
    (re.compile(r"closest to a known vague description \(similarity (\S+) > (\S+)\)"),
     lambda m: f"最接近一条已知的含糊品名（相似度 {m[1]} > {m[2]}）"),
    (re.compile(r"best similarity (\S+) below (\S+)"), lambda m: f"最佳相似度 {m[1]} 低于 {m[2]}"),
    (re.compile(r"top candidate (estimated probability|share) (\S+) below (\S+)"),
     lambda m: f"首选编码的{_SCORES[m[1]]} {m[2]} 低于 {m[3]}"),
    (re.compile(r"top candidate (estimated probability|share) (\S+), best similarity (\S+)"),
     lambda m: f"首选编码的{_SCORES[m[1]]} {m[2]}，最佳相似度 {m[3]}"),
    (re.compile(r"Chinese description read as (.+) \(([^()]+)\)(?:; not in the dictionary: (.+))?"),
     lambda m: f"中文品名按 {m[1]} 理解（{m[2]}）" + (f"；词典中没有：{m[3]}" if m[3] else "")),
    (re.compile(r"the SKU has no name, material or description the classifier can read"),
     lambda m: "该 SKU 没有归类模型能读取的名称、材质或描述"),
)


def zh(text: str) -> str:
    """The Chinese wording of one reason, or the text unchanged."""
    return reword(_PATTERNS, text) or text

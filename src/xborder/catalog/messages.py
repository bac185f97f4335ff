"""Chinese wording of the SKU validation messages of ``catalog.model`` (and ``money``).

The model speaks English, field name first (``"sku: required"``), because the CLI, the API
and the import error reports return these strings as they are. The SKU form shows them in
Chinese when the page is in Chinese: :func:`zh` maps each known message to its Chinese form
with the field's Chinese label; an unknown message is returned unchanged.

>>> zh("sku: required")
'SKU：必填'
>>> zh("hs_code: '12ab' must be 6 to 10 digits")
"商品编码：'12ab' 应为 6 到 10 位数字"
>>> zh("weight_g: 'abc' is not a decimal number")
"重量（克）：'abc' 不是数字"
>>> zh("something else")
'something else'
"""

from __future__ import annotations

import re

from xborder.i18n import Rewording, reword

# the SKU form's labels (catalog/edit.html), in Chinese
LABELS_ZH = {
    "sku": "SKU", "product": "产品组", "name_en": "英文名称", "name_zh": "中文名称", "brand": "品牌",
    "material": "材质", "category": "类目", "weight_g": "重量（克）", "length_cm": "长（厘米）",
    "width_cm": "宽（厘米）", "height_cm": "高（厘米）", "origin": "原产国", "hs_code": "商品编码",
    "hs_version": "HS 版本", "purchase_cost": "采购成本", "purchase_currency": "采购币种", "supplier": "供应商",
    "barcode": "条码（EAN/UPC）", "rebate_rate": "出口退税率", "battery": "带电池", "liquid": "液体",
    "magnet": "带磁", "powder": "粉末",
}

_RULES: tuple[Rewording, ...] = (
    (re.compile(r"^required$"), lambda m: "必填"),
    (re.compile(r"^letters, digits and \. _ - / only \(max 64\)$"), lambda m: "只能包含字母、数字和 . _ - /（最多 64 个字符）"),
    (re.compile(r"^an English or Chinese name is required$"), lambda m: "请填写英文名称或中文名称"),
    (re.compile(r"^(.+) is not a valid EAN/UPC \(check digit or length\)$"), lambda m: f"{m[1]} 不是有效的 EAN/UPC 条码（校验位或长度错误）"),
    (re.compile(r"^(.+) must be 6 to 10 digits$"), lambda m: f"{m[1]} 应为 6 到 10 位数字"),
    (re.compile(r"^(.+) is not an ISO 3166 alpha-2 country code$"), lambda m: f"{m[1]} 不是 ISO 3166 两位国家/地区代码"),
    (re.compile(r"^must not be negative$"), lambda m: "不能为负数"),
    (re.compile(r"^(.+) is not yes/no$"), lambda m: f"{m[1]} 不是“是/否”"),
    (re.compile(r"^one of (.+)$"), lambda m: f"只能是以下之一：{m[1]}"),
    (re.compile(r"^a fraction between 0 and 1 \(e\.g\. 0\.13\)$"), lambda m: "应为 0 到 1 之间的小数（如 0.13）"),
    (re.compile(r"^unknown ISO 4217 currency code (.+)$"), lambda m: f"未知的 ISO 4217 币种代码 {m[1]}"),
    (re.compile(r"^(.+) is not a decimal number$"), lambda m: f"{m[1]} 不是数字"),
    (re.compile(r"^(.+) is not a finite number$"), lambda m: f"{m[1]} 不是有限数字"),
    (re.compile(r"^expected a decimal number, got (.+)$"), lambda m: f"应为数字，实际为 {m[1]}"),
)


def zh(message: str) -> str:
    """The Chinese wording of one ``"field: reason"`` message, or the message unchanged."""
    field, sep, reason = message.partition(": ")
    if not sep or field not in LABELS_ZH:
        return message
    worded = reword(_RULES, reason, whole=False)
    return message if worded is None else f"{LABELS_ZH[field]}：{worded}"

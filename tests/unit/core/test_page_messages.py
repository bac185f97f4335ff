"""Packages' English messages (risk alerts, the sources of profit figures) reworded on pages in
Chinese through ``deps.message`` (the templates' ``msg``), unchanged in English and in the API."""

from __future__ import annotations

from xborder.entrypoints import deps
from xborder.profit.web import _source_label


def _in(lang: str, fn, *args):  # type: ignore[no-untyped-def]
    token = deps.current_lang.set(lang)
    try:
        return fn(*args)
    finally:
        deps.current_lang.reset(token)


def test_alerts_and_sources_in_chinese_pages():
    assert _in("zh_CN", deps.message, "market FR loses money") == "市场 FR 亏损"
    assert _in("zh_CN", deps.message, "weekly demand of KT-1 varies by 120% of its mean") == "KT-1 的周需求波动达均值的 120%"
    why = ("catalog SKU rebate rate (rebate library: SKU PA-PB-10K: hs_code: 850760 is not in the rebate-rate library "
           "for 2026-09-05; no default rate is assumed)")
    assert _in("zh_CN", _source_label, why) == ("商品资料中的 SKU 退税率（退税率文库：SKU PA-PB-10K：HS 编码 850760 不在 "
                                                "2026-09-05 的退税率文库中；不假定默认税率）")
    assert _in("zh_CN", _source_label, "payout not yet converted to CNY") == "回款尚未结汇为人民币"
    assert _in("zh_CN", _source_label, "catalog SKU purchase cost 2.5 USD x 7.1 (ECB 2026-03-02)") == \
        "商品资料中的 SKU 采购成本 2.5 USD × 7.1（ECB 2026-03-02）"
    assert _in("zh_CN", deps.message, "order 111-1 has no payout line yet", "payments") == "订单 111-1 尚无回款明细"
    # a text no package rewords goes through the catalogs (here: a known msgid), else stays as it is
    assert _in("zh_CN", deps.message, "no duties recorded") != "no duties recorded"
    assert _in("zh_CN", deps.message, "Solar garden path lights (8 pack)") == "Solar garden path lights (8 pack)"


def test_english_pages_keep_the_messages():
    assert _in("en", deps.message, "market FR loses money") == "market FR loses money"
    assert _in("en", _source_label, "payout not yet converted to CNY") == "payout not yet converted to CNY"
    assert _in("zh_CN", deps.message, "") == ""

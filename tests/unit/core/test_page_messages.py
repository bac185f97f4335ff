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


def test_more_messages_in_chinese_pages():
    """Found by reading every demo page in Chinese for English sentences (2026-11-25)."""
    from xborder.customs.declarations import monthly_summary
    from xborder.reference.service import all_sources

    assert _in("zh_CN", deps.message, "US takes 67% of forecast demand by market") == "市场 US 占预测需求的 67%"
    assert _in("zh_CN", deps.message, "closest to a known vague description (similarity 0.28 > 0.26)", "hs") == \
        "最接近一条已知的含糊品名（相似度 0.28 > 0.26）"
    why = ("CN 23: contents worth 390.00 EUR = 321.59 SDR (300 SDR or more); 1 SDR = 1.2127 EUR on 2026-10-30 "
           "(IMF basket; valued with ECB reference rates, not the IMF's own fixing)")
    assert _in("zh_CN", deps.message, why, "logistics") == ("CN 23：内件价值 390.00 EUR = 321.59 SDR（不低于 300 SDR）；"
                                                           "2026-10-30 1 SDR = 1.2127 EUR（IMF basket；按欧洲央行参考汇率折算，并非 IMF 的官方定值）")
    # the legal-unit sources named inside a translated message
    assert _in("zh_CN", deps.message, "the rebate-rate library (出口退税率文库)") == "出口退税率文库"
    assert _in("zh_CN", deps.message, "the China customs tariff 2026 (sha256 0123456789ab)") == "中国海关税则 2026（sha256 0123456789ab）"
    # fixed English texts that pages pass to _(): every reference source's description, the 9610 summary rule
    texts = [s.description for s in all_sources()] + [str(monthly_summary([], 2026, 10)["rule"])]
    missing = [t for t in texts if _in("zh_CN", deps._, t) == t]
    assert not missing, missing
    assert _in("en", deps.message, "US takes 67% of forecast demand by market") == "US takes 67% of forecast demand by market"


def test_every_restricted_goods_text_has_a_chinese_translation():
    """The screening's category titles and rule messages (customs/data/restricted.yaml) show on
    Chinese pages through the catalogs: a rule added or reworded without its translation fails here
    (they showed in English on the shipment page)."""
    from pathlib import Path

    import yaml

    import xborder.customs

    data = yaml.safe_load((Path(xborder.customs.__file__).parent / "data" / "restricted.yaml").read_text("utf-8"))
    texts = [c["title"] for c in data["categories"].values()] + [r["message"] for r in data["rules"]]
    assert len(texts) > 25
    missing = [t for t in texts if _in("zh_CN", deps._, t) == t]
    assert not missing, missing
    assert _in("zh_CN", deps._, "Item") == "物品" and _in("zh_CN", deps._, "Item price") == "商品金额"


def test_a_templates_own_package_words_its_labels_first():
    """The catalogs are merged, and a short label can mean two things: "Mode" is 监管方式 on a
    customs declaration and 运输方式 on a rate card; "Receipts" are goods received in procurement
    and FX receipts in the rebate. A template's ``_()`` takes its package's wording first (before,
    the last catalog merged won everywhere: the declarations list said 运输方式)."""
    from types import SimpleNamespace

    from xborder import i18n

    def page(name: str, text: str) -> str:
        return _in("zh_CN", deps._gettext_vars, SimpleNamespace(name=name), text)

    assert page("customs/declarations.html", "Mode") == "监管方式"
    assert page("logistics/ratecards.html", "Mode") == "运输方式"
    assert page("procurement/order.html", "Receipts") == "收货记录"
    assert page("rebate/match.html", "Receipts") == "收汇"
    assert page("base.html", "Dashboard") == "工作台"  # a root template: the merged catalogs
    assert page("procurement/order.html", "Dashboard") == "工作台"  # not in the package's own: merged
    assert page("customs/declarations.html", "%(n)s rows") != "" and deps._template_package("nothing/x.html") is None
    assert i18n.gettext("en", "Mode", "customs") == "Mode"
    # where packages differ, pages outside them (and packages without a catalog, like the catalog's SKU
    # form) get the shared catalog's wording: "HS code" is HS 编码 there (商品编码 is China's 10 digits)
    assert page("catalog/edit.html", "HS code") == "HS 编码" and page("rebate/documents.html", "HS code") == "商品编码"

"""The labels our code puts around rule citations are translated; the citations are not."""

from xborder import i18n
from xborder.customs.messages import USER_RATE, Msg, cite_msg
from xborder.customs.translate import cite_text, with_chinese


def test_citation_labels_in_chinese_and_english():
    i18n.translations.cache_clear()
    for source, zh in (
        ("Council decision of 11 Feb 2026 (regfollower.com; politis.com.cy) (verify)",
         "Council decision of 11 Feb 2026 (regfollower.com; politis.com.cy)（待核实）"),
        ("ECB reference rates", "ECB 参考汇率"),
        (USER_RATE, "用户输入（lines[].duty_rate）"),
        ("Harmonized Tariff Schedule; 19 U.S.C. 1401a; " + USER_RATE,
         "Harmonized Tariff Schedule; 19 U.S.C. 1401a；用户输入（lines[].duty_rate）"),
        ("VAT Act 1994 s.5A", "VAT Act 1994 s.5A"),
        ("", ""),
    ):
        assert cite_text(source, "zh_CN") == zh
        assert cite_text(source, "en") == source
    assert isinstance(cite_msg("X (verify)"), Msg) and cite_msg("X") == "X"


def test_landed_cost_json_adds_source_zh_only_where_a_label_is_translated():
    out = with_chinese({"explanation": [
        {"rule": "r", "source": "ECB reference rates", "amount": "0", "kind": "info"},
        {"rule": "r", "source": "Directive 2006/112/EC", "amount": "1", "kind": "tax"}]})
    assert out["explanation"][0]["source_zh"] == "ECB 参考汇率" and "source_zh" not in out["explanation"][1]

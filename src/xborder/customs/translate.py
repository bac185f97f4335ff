"""Explanation lines and rule titles in the user's language (reads the merged ``.po`` catalogs).

The engine keeps ``rule`` in English (the CLI/API contract) and adds ``msgid`` and ``params``
beside it (:mod:`xborder.customs.messages`); this module renders them in zh-CN or en for the
pages, and adds ``rule_zh`` to the JSON the CLI and the API return.
"""

from __future__ import annotations

from typing import Any

from xborder import i18n
from xborder.customs.messages import Msg, cite_msg

__all__ = ["cite_text", "render", "render_json", "rule_text", "with_chinese"]


def render(m: Msg, lang: str) -> str:
    """``m`` in ``lang`` (``zh_CN`` or ``en``); numbers, amounts and codes are its parameters, unchanged."""
    if lang == "en":
        return m.render()
    t = i18n.translations(lang)
    return m.render(t.gettext, zh=lang == "zh_CN")


def rule_text(item: dict[str, Any], lang: str) -> str:
    """An explanation item (``to_json`` form) in ``lang``; its English ``rule`` when it has no msgid."""
    if not item.get("msgid"):
        return str(item.get("rule", ""))
    return render(Msg.from_json(item), lang)


def cite_text(source: str, lang: str) -> str:
    """A citation (an explanation's ``source``) with its labels ("(verify)", "reference rates",
    "user input ...") in ``lang``; the cited acts and data sets stay as they are."""
    m = cite_msg(source or "")
    return render(m, lang) if isinstance(m, Msg) else m


def with_chinese(result: dict[str, Any]) -> dict[str, Any]:
    """The landed-cost JSON with ``rule_zh`` beside each explanation item's ``rule``, and
    ``source_zh`` beside its ``source`` when the citation has a label to translate."""
    for item in result.get("explanation", []):
        if isinstance(item, dict) and item.get("msgid"):
            item["rule_zh"] = rule_text(item, "zh_CN")
        if isinstance(item, dict) and isinstance(item.get("source"), str):
            zh = cite_text(item["source"], "zh_CN")
            if zh != item["source"]:
                item["source_zh"] = zh
    return result


def render_json(data: dict[str, Any] | None, lang: str) -> str | None:
    """A message in its JSON form (``{"msgid", "params"}``, e.g. an order-duties source kept by the
    profit engine) in ``lang``; None when there is none. Any process can render it: the message
    travels with the data."""
    if not isinstance(data, dict) or not data.get("msgid"):
        return None
    return render(Msg.from_json(data), lang)

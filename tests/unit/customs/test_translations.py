"""Every English text of the customs pages has a Chinese translation (ours or the core's)."""

import re
from pathlib import Path

from xborder import i18n

SAME_IN_CHINESE = {"SKU"}
TEMPLATES = Path(__file__).resolve().parents[3] / "src" / "xborder" / "customs" / "templates" / "customs"


def test_every_template_msgid_is_translated():
    i18n.translations.cache_clear()
    missing = []
    for f in TEMPLATES.glob("*.html"):
        for msgid in re.findall(r'_\("([^"]+)"\)', f.read_text("utf-8")):
            if i18n.gettext("zh_CN", msgid) == msgid and msgid not in SAME_IN_CHINESE:
                missing.append((f.name, msgid))
    assert missing == []
    for value in ("checkout", "border", "none", "seller", "buyer", "marketplace", "block", "warn", "info", "ok"):
        assert i18n.gettext("zh_CN", value) != value


def test_no_percent_sign_in_catalog():
    # `_()` formats with % when given variables: a bare % would break such a page. Only the
    # %(name)s placeholders of the declaration problems are allowed, the same in both languages.
    po = TEMPLATES.parents[1] / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
    text = po.read_text("utf-8")
    assert "%" not in re.sub(r"%\(\w+\)s", "", text)
    for msgid, msgstr in re.findall(r'msgid "(.*)"\nmsgstr "(.*)"', text):
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(re.findall(r"%\(\w+\)s", msgstr)), msgid


def test_declaration_problems_are_shown_in_chinese():
    from xborder.customs import declarations as dc
    from xborder.customs.legal_units import check

    i18n.translations.cache_clear()
    for p in check(dc.sample(), []).warnings:
        assert p.msgid and i18n.gettext("zh_CN", p.msgid) != p.msgid


def test_json_form_labels_have_a_chinese_translation():
    """The declaration/document form view shows these labels on Chinese pages too."""
    from xborder import i18n
    from xborder.customs.form_labels import (
        DECLARATION_HELP,
        DECLARATION_LABELS,
        DOCUMENT_HELP,
        DOCUMENT_LABELS,
        FORM_LABELS,
    )

    texts = set(DECLARATION_LABELS.values()) | set(DOCUMENT_LABELS.values()) | set(FORM_LABELS.values())
    texts |= set(DECLARATION_HELP.values()) | set(DOCUMENT_HELP.values())  # the fields' one-line help
    missing = sorted(t for t in texts - {"SKU", "JSON"} if i18n.gettext("zh_CN", t) == t)
    assert not missing, missing

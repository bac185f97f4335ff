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
    # Jinja's newstyle gettext formats with %: a bare % breaks the page
    po = TEMPLATES.parents[1] / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
    assert "%" not in po.read_text("utf-8")

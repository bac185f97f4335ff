"""Every user-facing string of the HS pages has a Chinese translation."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from xborder.hs.classifier import ASK_DEFAULT, ASK_RULES

PKG = Path(__file__).parents[3] / "src" / "xborder" / "hs"


def test_templates_and_questions_are_translated():
    with (PKG / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    translated = {m.id for m in catalog if m.id and m.string}
    used = set()
    for tpl in (PKG / "templates" / "hs").glob("*.html"):
        used |= set(re.findall(r'_\("([^"]+)"\)', tpl.read_text("utf-8")))
    used |= {q for _, qs in ASK_RULES for q in qs} | set(ASK_DEFAULT)
    assert used - translated == set()

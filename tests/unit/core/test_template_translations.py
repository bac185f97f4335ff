"""Every literal text a template passes to ``_()`` has a Chinese translation (the UI is bilingual):
a new English label without a zh-CN entry in a ``messages.po`` fails here, not on a user's screen."""

import re
from pathlib import Path

from xborder import i18n

SRC = Path(__file__).resolve().parents[3] / "src" / "xborder"
LITERAL = re.compile(r'''_\(\s*"((?:[^"\\]|\\.)+)"\s*\)|_\(\s*'((?:[^'\\]|\\.)+)'\s*\)''')
SAME_IN_CHINESE = {"SKU", "Xborder"}  # names kept as they are on Chinese pages


def test_template_texts_have_a_chinese_translation():
    missing = {}
    templates = list(SRC.rglob("templates/**/*.html"))
    assert len(templates) > 50
    for f in templates:
        for m in LITERAL.finditer(f.read_text("utf-8")):
            text = (m.group(1) or m.group(2)).replace('\\"', '"').replace("\\'", "'")
            if text in SAME_IN_CHINESE or not re.search(r"[A-Za-z]{3}", text):
                continue
            if i18n.gettext("zh_CN", text) == text:
                missing.setdefault(text, f.relative_to(SRC).as_posix())
    assert not missing, "no zh_CN translation for: " + "; ".join(f"{v}: {k!r}" for k, v in sorted(missing.items()))

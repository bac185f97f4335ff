"""Every UI string of the rebate pages has a Chinese translation."""

import re
from pathlib import Path

from babel.messages.pofile import read_po

PKG = Path(__file__).resolve().parents[3] / "src" / "xborder" / "rebate"


def test_all_template_strings_translated():
    with (PKG / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="zh_CN")
    translated = {m.id for m in catalog if m.id and m.string}
    used = set()
    for f in list((PKG / "templates" / "rebate").glob("*.html")) + [PKG / "web.py"]:
        used |= set(re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', f.read_text(encoding="utf-8")))
    assert used, "no strings found"
    assert used <= translated, sorted(used - translated)
    from xborder.rebate.matching import PROBLEMS

    assert {en for en, _zh in PROBLEMS.values()} <= translated


"""Bilingual UI (zh-CN and en) with Babel message catalogs.

Each package may ship ``locale/zh_CN/LC_MESSAGES/messages.po``; all are read at start-up and
merged (no compiled ``.mo`` files are committed: they are built in memory from the ``.po``).
English is the source language, so ``en`` needs no catalog.

Language choice: the user's explicit choice (cookie ``lang`` or the user's profile) first,
else the browser's ``Accept-Language``, else zh-CN.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from xborder.bootstrap import PACKAGES

SUPPORTED = ("zh_CN", "en")
LANG_LABELS = {"zh_CN": "中文", "en": "English"}
ROOT = Path(__file__).parent


def _po_files(lang: str) -> list[Path]:
    """The catalogs in merge order: a later one overrides an earlier one's wording of the same text,
    so the shared catalog (``xborder/locale``) comes last: where two packages word a label
    differently, pages outside both (and packages without a catalog) get the shared wording."""
    files = [ROOT / p / "locale" / lang / "LC_MESSAGES" / "messages.po" for p in PACKAGES]
    files += sorted((ROOT / "entrypoints").glob(f"**/locale/{lang}/LC_MESSAGES/messages.po"))
    files += [ROOT / "locale" / lang / "LC_MESSAGES" / "messages.po"]
    return [f for f in files if f.exists()]


@lru_cache(maxsize=8)
def translations(lang: str) -> NullTranslations:
    if lang not in SUPPORTED or lang == "en":
        return NullTranslations()
    merged: Translations | None = None
    for po in _po_files(lang):
        t = _load(po, lang)
        if merged is None:
            merged = t
        else:
            merged.merge(t)
    return merged or NullTranslations()


@lru_cache(maxsize=64)
def package_translations(lang: str, package: str) -> NullTranslations:
    """One package's own catalog (empty when it has none)."""
    po = ROOT / package / "locale" / lang / "LC_MESSAGES" / "messages.po"
    if lang == "en" or not po.exists():
        return NullTranslations()
    return _load(po, lang)


def _load(po: Path, lang: str) -> Translations:
    """A ``.po`` file compiled in memory."""
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def gettext(lang: str, message: str, package: str | None = None) -> str:
    """``message`` in ``lang``. With ``package``, that package's own wording comes first: the
    catalogs are merged, and a short English label may mean different things in two packages
    ("Mode" is 监管方式 on a customs declaration and 运输方式 for a carrier; "Receipts" are goods
    received in procurement and FX receipts in the rebate)."""
    if package:
        own = package_translations(lang, package).gettext(message)
        if own != message:
            return own
    return translations(lang).gettext(message)


class PageText(str):
    """A message with numbers, e.g. ``PageText("%(n)s checked", n=80)``: plain English text where a
    string is wanted (CLI, JSON), translated when a page renders it.

    Dashboard widgets are built before the page knows its language (the template calls
    ``_(w.text)``, which returns an unknown string unchanged); ``__html__`` translates the message
    id at render time, in the request's language, then fills in the values.
    """

    msgid: str
    params: dict[str, object]

    def __new__(cls, msgid: str, **params: object) -> PageText:
        obj = super().__new__(cls, msgid % params)
        obj.msgid, obj.params = msgid, params
        return obj

    def __html__(self) -> str:
        from markupsafe import escape

        from xborder.entrypoints.deps import _

        return str(escape(_(self.msgid) % self.params))


def normalise(lang: str | None) -> str | None:
    if not lang:
        return None
    code = lang.replace("-", "_").strip().lower()
    if code.startswith("zh"):
        return "zh_CN"
    if code.startswith("en"):
        return "en"
    return None


def negotiate(accept_language: str | None, default: str = "zh_CN") -> str:
    """Pick zh_CN or en from an Accept-Language header by quality.

    >>> negotiate("en-US,en;q=0.9,zh;q=0.5")
    'en'
    >>> negotiate("zh-CN,zh;q=0.9")
    'zh_CN'
    >>> negotiate("fr-FR")
    'zh_CN'
    """
    if not accept_language:
        return default
    choices: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept_language.split(",")):
        bits = part.strip().split(";")
        q = 1.0
        for b in bits[1:]:
            if b.strip().startswith("q="):
                try:
                    q = float(b.strip()[2:])
                except ValueError:
                    q = 0.0
        lang = normalise(bits[0])
        if lang:
            choices.append((-q, i, lang))
    return sorted(choices)[0][2] if choices else default


def locale(lang: str) -> Locale:
    return Locale.parse("zh_Hans_CN" if lang == "zh_CN" else "en_US")


Rewording = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def reword(patterns: Sequence[Rewording], text: str, *, whole: bool = True) -> str | None:
    """The wording built by the first pattern that matches ``text`` (the whole text, or its start
    with ``whole=False``), or None: the packages' ``messages.zh`` tables use it."""
    for pattern, build in patterns:
        m = pattern.fullmatch(text) if whole else pattern.match(text)
        if m:
            return build(m)
    return None

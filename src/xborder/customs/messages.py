"""Translatable explanation texts: a message id with parameters (pure; no I/O).

The landed-cost explanation is built in English (the CLI/API contract: ``rule``), and each
line also carries the message it was made from, so the pages can show it in the user's
language with the same numbers, amounts and codes. A :class:`Msg` is an English ``msgid``
with ``%(name)s`` placeholders (the msgid of the package's ``.po``) and its parameters; a
parameter is a plain string (numbers, amounts, codes: never translated), another
:class:`Msg` (a translatable part, e.g. "duty rate 12% given with the line"), or a
:class:`Bi` (a text whose two languages are stored with the data, e.g. a rule title with its
``title_zh``).

>>> m = msg("VAT %(rate)s on %(base)s%(why)s", rate="19%", base="20.00 EUR",
...         why=msg(" (rate %(rate)s given with the line)", rate="7%"))
>>> m.render()
'VAT 19% on 20.00 EUR (rate 7% given with the line)'
>>> zh = {"VAT %(rate)s on %(base)s%(why)s": "增值税 %(rate)s，税基 %(base)s%(why)s",
...       " (rate %(rate)s given with the line)": "（税率 %(rate)s 随行给出）"}
>>> m.render(lambda s: zh.get(s, s), zh=True)
'增值税 19%，税基 20.00 EUR（税率 7% 随行给出）'
>>> Msg.from_json(m.to_json()) == m
True
>>> msg("%(title)s: exempt", title=Bi("De minimis", "小额豁免")).render(zh=True)
'小额豁免: exempt'
>>> sorted(m.msgids())
[' (rate %(rate)s given with the line)', 'VAT %(rate)s on %(base)s%(why)s']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Union

__all__ = ["Bi", "Msg", "Param", "cite_msg", "msg", "placeholders"]

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def placeholders(text: str) -> list[str]:
    """The ``%(name)s`` placeholders of a msgid or translation, sorted."""
    return sorted(_PLACEHOLDER.findall(text))


@dataclass(frozen=True)
class Bi:
    """A text stored in both languages with its data (a rule title and its ``title_zh``)."""

    en: str
    zh: str

    def to_json(self) -> dict[str, str]:
        return {"en": self.en, "zh": self.zh}


Param = Union[str, "Msg", Bi]


@dataclass(frozen=True)
class Msg:
    msgid: str
    params: tuple[tuple[str, Param], ...] = ()

    def render(self, gettext: Callable[[str], str] | None = None, *, zh: bool = False) -> str:
        """The text through ``gettext`` (English when none); ``zh`` picks the Chinese of a :class:`Bi`."""
        text = gettext(self.msgid) if gettext is not None and self.msgid else self.msgid
        if not self.params:
            return text
        values = {k: _render(v, gettext, zh) for k, v in self.params}
        return text % values

    def __str__(self) -> str:
        return self.render()

    def msgids(self) -> Iterator[str]:
        """This message's id and those of its nested messages."""
        yield self.msgid
        for _k, v in self.params:
            if isinstance(v, Msg):
                yield from v.msgids()

    def to_json(self) -> dict[str, Any]:
        """``{"msgid": ..., "params": {name: str | {"msgid", "params"} | {"en", "zh"}}}``."""
        return {"msgid": self.msgid, "params": {k: v if isinstance(v, str) else v.to_json() for k, v in self.params}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Msg:
        params: list[tuple[str, Param]] = []
        for k, v in (data.get("params") or {}).items():
            if isinstance(v, dict) and "msgid" in v:
                params.append((k, cls.from_json(v)))
            elif isinstance(v, dict):
                params.append((k, Bi(str(v.get("en", "")), str(v.get("zh", "")))))
            else:
                params.append((k, str(v)))
        return cls(str(data.get("msgid", "")), tuple(params))


def _render(value: Param, gettext: Callable[[str], str] | None, zh: bool) -> str:
    if isinstance(value, Msg):
        return value.render(gettext, zh=zh)
    if isinstance(value, Bi):
        return (value.zh or value.en) if zh else value.en
    return value


def msg(msgid: str, **params: object) -> Msg:
    """A message; parameters other than :class:`Msg` / :class:`Bi` are kept as their text."""
    return Msg(msgid, tuple((k, v if isinstance(v, (Msg, Bi)) else str(v)) for k, v in params.items()))


# ---- citations ---------------------------------------------------------------------------------
#
# An explanation's ``source`` is a citation (acts, regulations, data sets: never translated) that
# our code may surround with a label: " (verify)" after a rule the research notes could not
# confirm (:meth:`xborder.customs.model.Rule.cite`), "<provider> reference rates" for the FX line,
# "user input (lines[].duty_rate)" for a rate given with a line. :func:`cite_msg` turns those
# labels into messages, the citation itself stays a plain parameter.

USER_RATE = "user input (lines[].duty_rate)"
_VERIFY = " (verify)"
_RATES = " reference rates"


def cite_msg(source: str) -> Msg | str:
    """A citation with its labels as messages; the citation unchanged when it has none.

    >>> cite_msg("Act 1 (verify)").render()
    'Act 1 (verify)'
    >>> zh = {"%(source)s (verify)": "%(source)s（待核实）", "%(first)s; %(next)s": "%(first)s；%(next)s",
    ...       USER_RATE: "用户输入（lines[].duty_rate）", "%(source)s reference rates": "%(source)s 参考汇率"}
    >>> cite_msg("HTS; user input (lines[].duty_rate)").render(lambda s: zh.get(s, s))
    'HTS；用户输入（lines[].duty_rate）'
    >>> cite_msg("ECB reference rates").render(lambda s: zh.get(s, s)), cite_msg("VAT Act 1994")
    ('ECB 参考汇率', 'VAT Act 1994')
    """
    if source.endswith(_VERIFY) and len(source) > len(_VERIFY):
        return msg("%(source)s (verify)", source=cite_msg(source[: -len(_VERIFY)]))
    if source == USER_RATE:
        return msg(USER_RATE)
    if source.endswith("; " + USER_RATE):
        return msg("%(first)s; %(next)s", first=cite_msg(source[: -len(USER_RATE) - 2]), next=msg(USER_RATE))
    if source.endswith(_RATES) and len(source) > len(_RATES) and ";" not in source:
        return msg("%(source)s reference rates", source=source[: -len(_RATES)])
    return source

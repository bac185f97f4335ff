"""Commodity-code hierarchy helpers shared by the code-keyed tables (rebate-rate library, legal units).

Codes are digit strings; a longer code that starts with a shorter one lies *under* it
(``8504319000`` under ``85043190``).

>>> codes_under(["610910", "6109100011", "6109100021", "6110"], "610910")
['6109100011', '6109100021']
>>> dotted("7013370500"), dotted("70133710"), dotted("610910"), dotted("8518")
('7013.37.05.00', '7013.37.10', '6109.10', '8518')
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

__all__ = ["codes_under", "dotted"]


def dotted(code: str) -> str:
    """A commodity code as tariffs print it: heading, subheading, then pairs (``7013.37.05.00``);
    anything but 4 to 12 digits is returned as given."""
    c = (code or "").strip()
    if not (c.isdigit() and 4 <= len(c) <= 12):
        return code
    return ".".join([c[:4], *(c[i:i + 2] for i in range(4, len(c), 2))])


def codes_under(sorted_keys: Sequence[str], code: str) -> list[str]:
    """The keys strictly under ``code``, from keys sorted ascending (a binary search, not a scan)."""
    i = bisect.bisect_right(sorted_keys, code)
    out = []
    while i < len(sorted_keys) and sorted_keys[i].startswith(code):
        out.append(sorted_keys[i])
        i += 1
    return out

"""Commodity-code hierarchy helpers shared by the code-keyed tables (rebate-rate library, legal units).

Codes are digit strings; a longer code that starts with a shorter one lies *under* it
(``8504319000`` under ``85043190``).

>>> codes_under(["610910", "6109100011", "6109100021", "6110"], "610910")
['6109100011', '6109100021']
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

__all__ = ["codes_under"]


def codes_under(sorted_keys: Sequence[str], code: str) -> list[str]:
    """The keys strictly under ``code``, from keys sorted ascending (a binary search, not a scan)."""
    i = bisect.bisect_right(sorted_keys, code)
    out = []
    while i < len(sorted_keys) and sorted_keys[i].startswith(code):
        out.append(sorted_keys[i])
        i += 1
    return out

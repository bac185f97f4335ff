"""Page labels of the profit figures and the explanation rules (pure; no IO).

The model's figure keys (``cost_of_goods``...) and rule texts stay English for the CLI and the
JSON API; pages show these labels through the request's ``gettext``. A rule text with numbers is
matched against the patterns below (the exact f-strings of :func:`xborder.profit.model.compute`)
and its translated template is filled with the same numbers; an unknown text is passed through
``gettext`` as it is (unchanged when it has no translation).
"""

from __future__ import annotations

import re
from collections.abc import Callable

FIGURE_LABELS: dict[str, str] = {
    "revenue": "Revenue",
    "fees": "Fees",
    "shipping": "Shipping",
    "duties_taxes": "Duties and taxes",
    "cost_of_goods": "Cost of goods",
    "fx": "FX difference",
    "rebate": "Export VAT rebate",
    "margin": "Margin",
}

DIMENSION_LABELS: dict[str, str] = {
    "order": "Order",
    "sku": "SKU",
    "market": "Market",
    "channel": "Channel",
    "month": "Month",
}

_NUM = r"-?[0-9][0-9.]*"
RULE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"net sale (?P<net>{_NUM}) (?P<cur>[A-Z]{{3}}) \+ refunds (?P<refunds>{_NUM}) x booking rate (?P<rate>{_NUM})"),
     "net sale %(net)s %(cur)s + refunds %(refunds)s x booking rate %(rate)s"),
    (re.compile(rf"net sale (?P<net>{_NUM}) (?P<cur>[A-Z]{{3}}) x booking rate (?P<rate>{_NUM})"),
     "net sale %(net)s %(cur)s x booking rate %(rate)s"),
    (re.compile(rf"marketplace/payment fees (?P<fees>{_NUM}) (?P<cur>[A-Z]{{3}}) x (?P<rate>{_NUM})"),
     "marketplace/payment fees %(fees)s %(cur)s x %(rate)s"),
    (re.compile(r"no purchase cost for SKU (?P<sku>.+): counted as 0"), "no purchase cost for SKU %(sku)s: counted as 0"),
    (re.compile(rf"(?P<qty>{_NUM}) x unit cost (?P<cost>{_NUM}) CNY"), "%(qty)s x unit cost %(cost)s CNY"),
    (re.compile(rf"(?P<amount>{_NUM}) (?P<cur>[A-Z]{{3}}) x \(settlement (?P<settle>{_NUM}) - booking (?P<rate>{_NUM})\)"),
     "%(amount)s %(cur)s x (settlement %(settle)s - booking %(rate)s)"),
    (re.compile(rf"purchase cost without VAT (?P<basis>{_NUM}) CNY x rebate rate (?P<rate>{_NUM}) \((?P<law>.+)\)"),
     "purchase cost without VAT %(basis)s CNY x rebate rate %(rate)s (%(law)s)"),
)


def figure_label(key: str, gettext: Callable[[str], str]) -> str:
    return gettext(FIGURE_LABELS.get(key, key)) if key else key


def dimension_label(key: str, gettext: Callable[[str], str]) -> str:
    return gettext(DIMENSION_LABELS.get(key, key))


def rule_label(rule: str, gettext: Callable[[str], str]) -> str:
    """The explanation rule in the page's language, numbers kept."""
    if not rule:
        return rule  # gettext("") is the catalog's header
    for pattern, msgid in RULE_PATTERNS:
        m = pattern.fullmatch(rule)
        if m:
            return gettext(msgid) % m.groupdict()
    return gettext(rule)

"""Registry: one regime per destination country, behind the :class:`~.base.Regime` interface.

>>> get_regime("DE").name, get_regime("US").currency
('European Union', 'USD')
>>> sorted(destinations())[:3]
['AE', 'AT', 'AU']
"""

from __future__ import annotations

from xborder.customs.errors import UnsupportedDestination
from xborder.customs.regimes import au, ca, eu, gb, gulf, jp, kr, latam, us
from xborder.customs.regimes.base import Regime

_REGISTRY: dict[str, Regime] = {}


def register(regime: Regime) -> None:
    for c in regime.countries:
        _REGISTRY[c] = regime


for _r in (us.REGIME, eu.REGIME, gb.REGIME, ca.REGIME, au.REGIME, jp.REGIME, kr.REGIME, gulf.SA, gulf.AE, latam.BR, latam.MX):
    register(_r)


def destinations() -> list[str]:
    return sorted(_REGISTRY)


def get_regime(country: str) -> Regime:
    code = (country or "").strip().upper()
    if code == "UK":
        code = "GB"
    if code == "EL":
        code = "GR"
    try:
        return _REGISTRY[code]
    except KeyError:
        raise UnsupportedDestination(
            f"destination: no customs rules for {country!r}; supported: {', '.join(destinations())}",
            field="destination",
        ) from None


def all_regimes() -> list[Regime]:
    seen: list[Regime] = []
    for r in _REGISTRY.values():
        if r not in seen:
            seen.append(r)
    return seen

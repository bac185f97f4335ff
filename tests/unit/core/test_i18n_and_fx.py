import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from xborder import i18n
from xborder.fx.model import FxRateMissing, RateTable


def test_chinese_catalog_translates_core_strings():
    assert i18n.gettext("zh_CN", "Log in") == "登录"
    assert i18n.gettext("en", "Log in") == "Log in"


def test_negotiate_by_quality():
    assert i18n.negotiate("en;q=0.5, zh-CN;q=0.9") == "zh_CN"
    assert i18n.negotiate("de-DE,de;q=0.9,en;q=0.8") == "en"
    assert i18n.negotiate(None) == "zh_CN"


def test_fx_fallback_and_gap():
    t = RateTable("TEST", "EUR", max_gap_days=3)
    t.add(date(2026, 1, 2), "USD", Decimal("1.10"))
    q = t.quote("EUR", "USD", date(2026, 1, 4))
    assert q.rate == Decimal("1.10") and q.fallback_days == 2
    with pytest.raises(FxRateMissing):
        t.quote("EUR", "USD", date(2026, 1, 6))
    with pytest.raises(FxRateMissing):
        t.quote("EUR", "USD", date(2025, 12, 31))


def test_ecb_bundled_rates_are_exact():
    from xborder.fx.ecb import bundled_table

    t = bundled_table()
    q = t.quote("EUR", "USD", date(2024, 1, 2))
    assert q.rate == Decimal("1.0956")  # ECB reference rate of 2 January 2024


PURE_MODULES = ["xborder/money.py", "xborder/fx/model.py", "xborder/catalog/model.py", "xborder/accounts/model.py",
                "xborder/charts.py"]
FORBIDDEN = ("sqlalchemy", "fastapi", "starlette", "os", "requests", "httpx", "urllib")


@pytest.mark.parametrize("rel", PURE_MODULES)
def test_domain_modules_are_pure(rel):
    src = (Path(__file__).resolve().parents[3] / "src" / rel).read_text()
    for node in ast.walk(ast.parse(src)):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for n in names:
            assert n.split(".")[0] not in FORBIDDEN, f"{rel} imports {n}"

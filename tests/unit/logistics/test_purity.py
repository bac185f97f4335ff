"""The calculation modules stay pure: no database, web framework, environment or network."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[3] / "src" / "xborder" / "logistics"
PURE = ["ratecard.py", "pricing.py", "fastrate.py", "fba.py", "planning.py", "batch.py", "schemas.py", "tracking.py",
        "providers/karrio/builder.py", "providers/karrio/parser.py"]
FORBIDDEN = {"sqlalchemy", "fastapi", "os", "requests", "httpx", "socket", "urllib", "subprocess"}


@pytest.mark.parametrize("name", PURE)
def test_module_is_pure(name):
    tree = ast.parse((PKG / name).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mods = [node.module or ""]
        else:
            continue
        for m in mods:
            assert m.split(".")[0] not in FORBIDDEN, f"{name} imports {m}"

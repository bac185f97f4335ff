"""The calculation modules stay pure: no database, web framework, environment or file I/O."""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[3] / "src" / "xborder" / "customs"
PURE = ["messages.py", "model.py", "engine.py", "rates.py", "receipts.py", "tariffs.py", "vat.py", "screening.py", *[f"regimes/{p.name}" for p in (PKG / "regimes").glob("*.py")]]
FORBIDDEN = {"sqlalchemy", "fastapi", "os", "httpx", "requests", "pathlib", "subprocess", "starlette"}


@pytest.mark.parametrize("name", PURE)
def test_module_is_pure(name):
    path = PKG / name
    if not path.exists():
        pytest.skip(f"{name} not present")
    tree = ast.parse(path.read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mods = [node.module or ""]
        else:
            continue
        for m in mods:
            assert m.split(".")[0] not in FORBIDDEN, f"{name} imports {m}"
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "open":
            raise AssertionError(f"{name} opens files")

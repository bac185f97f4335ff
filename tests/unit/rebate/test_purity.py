"""The calculation modules are pure: no database, web framework, environment or file I/O imports."""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[3] / "src" / "xborder" / "rebate"
PURE = ["rules.py", "engine.py", "rates.py", "matching.py", "deadlines.py", "fob.py", "dbf.py"]
FORBIDDEN = {"sqlalchemy", "fastapi", "os", "pathlib", "httpx", "requests", "socket", "subprocess"}


@pytest.mark.parametrize("name", PURE)
def test_no_io_imports(name):
    tree = ast.parse((PKG / name).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "open":
            raise AssertionError(f"{name} opens files")
        if isinstance(node, ast.Import):
            mods = [a.name.split(".")[0] for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mods = [(node.module or "").split(".")[0]]
        else:
            continue
        assert not FORBIDDEN & set(mods), f"{name} imports {mods}"

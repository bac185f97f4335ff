"""The rule engines are pure: no database, web framework, environment or network imports."""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[3] / "src" / "xborder" / "listings"
PURE = ["checker.py", "rulebook.py", "seo.py", "units.py", "sizes.py", "drafts.py", "messages.py", "replies.py", "compliance.py",
        "rows.py", "report.py"]
FORBIDDEN = ("sqlalchemy", "fastapi", "starlette", "httpx", "os", "requests", "subprocess", "socket")


@pytest.mark.parametrize("name", PURE)
def test_module_imports_nothing_impure(name):
    tree = ast.parse((PKG / name).read_text("utf-8"))
    for node in ast.walk(tree):
        mods = []
        if isinstance(node, ast.Import):
            mods = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            mods = [node.module]
        for m in mods:
            assert m.split(".")[0] not in FORBIDDEN, f"{name} imports {m}"

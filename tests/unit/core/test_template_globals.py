"""The templates' globals must not take a name a page uses for its own data: an undefined page
variable would then print the global (``<function …>``) instead of nothing."""

from __future__ import annotations

import re
from pathlib import Path

from xborder.entrypoints.deps import make_env

SRC = Path(__file__).parents[3] / "src" / "xborder"
JINJA_BUILTINS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace"}


def test_no_template_uses_a_global_name_as_its_own_variable():
    env = make_env()
    ours = set(env.globals) - JINJA_BUILTINS
    clashes = []
    for tpl in SRC.rglob("templates/**/*.html"):
        text = tpl.read_text("utf-8")
        for name in ours:
            # used as a value ({{ name }}, {% if name %}), not called as name(...)
            if re.search(rf"(\{{\{{|\{{%\s*(if|elif)|\bnot|\band|\bor)\s+{re.escape(name)}\b(?!\s*\()", text):
                clashes.append(f"{tpl.relative_to(SRC)}: {name}")
    assert clashes == []

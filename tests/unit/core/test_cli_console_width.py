"""A CLI table written to a pipe or a file is not cut to 80 columns (rich's default without a
terminal), so amounts print whole; COLUMNS still decides when it is set."""

import io

from rich.table import Table

from xborder.entrypoints import clikit


def _render(monkeypatch, columns: str | None) -> str:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr(clikit, "_any_terminal", lambda: False)
    out = io.StringIO()
    c = clikit._Console(file=out, highlight=False, soft_wrap=True)
    t = Table(*[f"figure_{i}" for i in range(9)])
    t.add_row(*["-12345678.90"] * 9)
    c.print(t)
    return out.getvalue()


def test_piped_tables_keep_whole_amounts(monkeypatch):
    text = _render(monkeypatch, None)
    assert text.count("-12345678.90") == 9 and "…" not in text


def test_columns_still_decides(monkeypatch):
    assert "…" in _render(monkeypatch, "60")

from pathlib import Path

from xborder.reference import SyncReport, SyncSource
from xborder.reference import service as reference


def _source(tmp_path: Path, bundled: Path | None = None) -> SyncSource:
    def load(s, ctx):
        return SyncReport(rows=len(ctx.path.read_text().splitlines()), version=ctx.path.name)

    return SyncSource(name="test-src", description="test", local_path="x/data.csv", url=None, load=load,
                      bundled=(lambda: bundled) if bundled else None)


def test_sync_records_provenance_skips_unchanged_and_keeps_versions(container, tmp_path):
    src_dir = tmp_path / "src"
    (src_dir / "x").mkdir(parents=True)
    f = src_dir / "x" / "data.csv"
    f.write_text("a\nb\n")
    source = _source(tmp_path)
    first = reference._sync_one(container.sessions, source, src_dir, tmp_path, None)
    again = reference._sync_one(container.sessions, source, src_dir, tmp_path, None)
    f.write_text("a\nb\nc\n")
    changed = reference._sync_one(container.sessions, source, src_dir, tmp_path, None)
    assert (first.status, first.rows) == ("loaded", 2)
    assert again.status == "unchanged"
    assert (changed.status, changed.rows) == ("loaded", 3)
    with container.sessions() as s:
        rows = reference.history(s, "test-src")
        assert [r.superseded for r in rows] == [False, True]
        assert reference.current(s, "test-src").rows == 3


def test_missing_file_uses_the_bundled_copy(container, tmp_path):
    bundled = tmp_path / "bundled.csv"
    bundled.write_text("x\n")
    out = reference._sync_one(container.sessions, _source(tmp_path, bundled), tmp_path / "empty", tmp_path, None)
    assert (out.status, out.rows) == ("loaded", 1)
    missing = reference._sync_one(container.sessions, _source(tmp_path), tmp_path / "empty", tmp_path, None)
    assert missing.status == "missing"

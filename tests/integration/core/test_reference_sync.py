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


def test_prepare_runs_before_the_write_transaction_and_its_result_reaches_load(container, tmp_path):
    """The long work of a source (prepare) holds no write transaction: another writer of the store
    (here a second DataSource row, committed from a new session) goes through while it runs."""
    from sqlalchemy import select

    from xborder.reference.orm import DataSource

    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "data.csv").write_text("a\nb\n")
    calls: list[str] = []

    def prepare(s, ctx):
        assert ctx.source_id == 0
        with container.sessions() as other:  # would wait on a SQLite write lock held by the sync
            other.add(DataSource(name="written-meanwhile", origin="test", sha256="0" * 64, licence=""))
            other.commit()
        ctx.progress(1, 2)
        calls.append("prepare")
        return {"lines": len(ctx.path.read_text().splitlines())}

    def load(s, ctx):
        calls.append("load")
        assert ctx.source_id > 0
        return SyncReport(rows=ctx.prepared["lines"], version="v")

    seen: list[tuple[str, int, int]] = []
    src = SyncSource(name="prepared-src", description="test", local_path="x/data.csv", url=None, load=load,
                     prepare=prepare)
    out = reference._sync_one(container.sessions, src, tmp_path, tmp_path, lambda n, d, t: seen.append((n, d, t)))
    assert (out.status, out.rows) == ("loaded", 2) and calls == ["prepare", "load"]
    assert seen == [("prepared-src", 0, 0), ("prepared-src", 1, 2)]
    with container.sessions() as s:
        assert s.scalar(select(DataSource).where(DataSource.name == "written-meanwhile")) is not None

    def failing(s, ctx):
        raise RuntimeError("no memory")

    bad = SyncSource(name="bad-src", description="test", local_path="x/data.csv", url=None, load=load, prepare=failing)
    out = reference._sync_one(container.sessions, bad, tmp_path, tmp_path, None)
    assert out.status == "failed" and "no memory" in out.message
    with container.sessions() as s:  # a failed prepare leaves no provenance row
        assert s.scalar(select(DataSource).where(DataSource.name == "bad-src")) is None


def test_an_option_that_changes_the_output_loads_again_and_going_back_reloads(container, tmp_path):
    """The HS classifier's case: the same files learned as the quick model, then as the full one,
    then quick again — each switch loads (compared with the current load, not with any past one)."""
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "data.csv").write_text("a\n")
    seen: list[str] = []

    def load(s, ctx):
        seen.append(ctx.options.get("model", "full"))
        return SyncReport(rows=1, version=ctx.options.get("model", "full"))

    src = SyncSource(name="opt-src", description="test", local_path="x/data.csv", url=None, load=load,
                     revision=lambda o: "r1" + ("" if o.get("model", "full") == "full" else "-" + o["model"]),
                     options={"model": ("full", "quick")})
    outs = [reference._sync_one(container.sessions, src, tmp_path, tmp_path, None, opts)
            for opts in ({"model": "quick"}, {"model": "quick"}, {}, {"model": "full"}, {"model": "quick"})]
    assert [o.status for o in outs] == ["loaded", "unchanged", "loaded", "unchanged", "loaded"]
    assert seen == ["quick", "full", "quick"]
    with container.sessions() as s:
        assert reference.current(s, "opt-src").version == "quick"

"""Reference syncs started from the web page and the HTTP API, run in the background."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from tests.conftest import PASSWORD, api_login, login

from xborder.accounts import service as accounts
from xborder.errors import Conflict, ValidationError
from xborder.reference import jobs
from xborder.reference.service import SyncOutcome

MINI = Path(__file__).parents[2] / "integration" / "hs" / "minidata"


def _until_done(get, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = get()
        if state["status"] != "running":
            return state
        time.sleep(0.05)
    raise AssertionError(f"the sync did not end in {timeout} s: {state}")


def test_the_runner_runs_one_sync_at_a_time_and_reports_progress(container, tmp_path):
    release = threading.Event()
    calls: list[tuple] = []

    def run(sessions, folder, only, progress, options):
        calls.append((folder, only, options))
        progress("hs-2022", 0, 0)
        progress("hs-2022", 3, 4)
        release.wait(10)
        return [SyncOutcome("hs-2022", "loaded", rows=7, version="HS 2022"), SyncOutcome("hs-2017", "unchanged")]

    r = jobs.SyncRunner(container.sessions, tmp_path, run=run)
    job = r.start("local", ["hs-2022", "hs-2017"], "owner@acme.test", {"hs_encoder": "NONE "})
    deadline = time.monotonic() + 5
    while job.to_dict()["sources"][0]["done"] != 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    state = job.to_dict()
    assert state["status"] == "running" and state["folder"] == str(tmp_path)
    assert state["sources"][0] == {"name": "hs-2022", "status": "running", "done": 3, "total": 4, "percent": 75.0,
                                   "rows": 0, "version": "", "message": ""}
    assert state["sources"][1]["status"] == "waiting" and state["percent"] == 37.5
    with pytest.raises(Conflict, match="already running"):
        r.start("local", None, "someone@acme.test")
    release.set()
    done = r.wait(job.id, 10).to_dict()
    assert done["status"] == "done" and done["percent"] == 100.0 and done["finished_at"]
    assert [(s["name"], s["status"], s["rows"]) for s in done["sources"]] == [("hs-2022", "loaded", 7),
                                                                               ("hs-2017", "unchanged", 0)]
    assert calls == [(tmp_path, ["hs-2022", "hs-2017"], {"hs_encoder": "none"})] and done["options"] == {"hs_encoder": "none"}
    assert r.latest() is job and r.recent() == [job]


def test_a_failing_sync_is_reported_and_bad_requests_are_refused(container, tmp_path):
    def run(sessions, folder, only, progress, options):
        progress("hs-2022", 1, 2)
        raise RuntimeError("disk full")

    r = jobs.SyncRunner(container.sessions, tmp_path, run=run)
    job = r.wait(r.start("download", ["hs-2022"], "o").id, 10).to_dict()
    assert job["status"] == "failed" and "disk full" in job["error"] and job["failed"] == ["hs-2022"]
    assert job["folder"] is None  # download: no local folder read
    with pytest.raises(ValidationError) as e:
        r.start("local", ["no-such-source"], "o")
    assert e.value.field == "only" and "no-such-source" in e.value.message
    with pytest.raises(ValidationError) as e:
        r.start("ftp", None, "o")
    assert e.value.field == "origin"
    with pytest.raises(ValidationError) as e:
        r.start("local", None, "o", {"hs_encoder": "bert-large"})
    assert e.value.field == "hs_encoder" and "minilm-tuned, none" in e.value.message
    with pytest.raises(ValidationError) as e:
        r.start("local", None, "o", {"colour": "red"})
    assert e.value.field == "options"
    with pytest.raises(ValidationError) as e:
        jobs.SyncRunner(container.sessions, None, run=run).start("local", None, "o")
    assert e.value.field == "origin" and "XBORDER_SHARED_DATA" in e.value.message


def test_api_starts_a_sync_and_follows_it(app, container, api_client, uow, principal):
    jobs.runner(container).shared_dir = MINI  # the server's reference folder
    before = api_client.get("/api/v1/reference/sources").json()
    assert before["local_folder"] == str(MINI)
    assert {s["name"] for s in before["sources"]} >= {"hs-2017", "hs-2022", "hs-classifier"}
    assert next(s for s in before["sources"] if s["name"] == "hs-2022")["current"] is None

    r = api_client.post("/api/v1/reference/sync", json={"origin": "local", "only": ["hs-2022"]})
    assert r.status_code == 202, r.text
    job = r.json()
    assert r.headers["location"] == f"/api/v1/reference/sync/{job['id']}"
    assert [s["name"] for s in job["sources"]] == ["hs-2022"] and job["started_by"] == "owner@acme.test"
    done = _until_done(lambda: api_client.get(f"/api/v1/reference/sync/{job['id']}").json())
    assert done["status"] == "done", done
    src = done["sources"][0]
    assert src["status"] == "loaded" and src["rows"] > 0 and src["version"] == "HS 2022" and src["percent"] == 100.0
    after = api_client.get("/api/v1/reference/sources").json()
    cur = next(s for s in after["sources"] if s["name"] == "hs-2022")["current"]
    assert cur["rows"] == src["rows"] and cur["origin"].endswith("harmonized-system-2022.csv")
    assert api_client.get("/api/v1/reference/sync").json()["syncs"][0]["id"] == job["id"]

    again = api_client.post("/api/v1/reference/sync", json={"only": ["hs-2022"]}).json()  # same file: unchanged
    assert _until_done(lambda: api_client.get(f"/api/v1/reference/sync/{again['id']}").json())["sources"][0][
        "status"] == "unchanged"

    r = api_client.post("/api/v1/reference/sync", json={"only": ["nope"]})
    assert r.status_code == 422 and r.json()["field"] == "only"
    r = api_client.post("/api/v1/reference/sync", json={"origin": "ftp"})
    assert r.status_code == 422
    assert api_client.get("/api/v1/reference/sync/unknown").status_code == 404

    accounts.invite_user(uow.session, principal, "viewer@acme.test", PASSWORD, "viewer", "Viewer")
    uow.commit()
    viewer = api_login(app, "viewer@acme.test")
    r = viewer.post("/api/v1/reference/sync", json={"only": ["hs-2022"]})
    assert r.status_code == 403 and r.json()["code"] == "FORBIDDEN"
    assert viewer.get("/api/v1/reference/sources").status_code == 200  # reading is open to members
    api_client.headers.pop("Authorization")
    assert api_client.post("/api/v1/reference/sync", json={}).status_code == 401


def test_the_reference_page_starts_a_sync_and_shows_its_progress(app, container, web_client, uow, principal):
    jobs.runner(container).shared_dir = MINI
    page = web_client.get("/settings/data")
    assert page.status_code == 200 and 'id="sync-form"' in page.text and str(MINI) in page.text
    r = web_client.post("/settings/data/sync", data={"csrf_token": web_client.csrf, "origin": "local",
                                                      "only": ["hs-2017"]}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/settings/data?sync=")
    job_id = r.headers["location"].split("sync=")[1].split("#")[0]
    state = _until_done(lambda: web_client.get(f"/settings/data/sync/{job_id}").json())
    assert state["status"] == "done" and state["sources"][0]["status"] == "loaded"
    page = web_client.get(f"/settings/data?sync={job_id}")
    assert 'id="sync-job"' in page.text and f'data-sync-poll="/settings/data/sync/{job_id}"' in page.text
    assert 'data-sync-status="done"' in page.text and "HS 2017" in page.text
    web_client.cookies.set("lang", "zh_CN")
    zh = web_client.get(f"/settings/data?sync={job_id}")
    jobs.runner(container).shared_dir = MINI / "hs"  # a folder without the files: the source is "missing"
    r = web_client.post("/settings/data/sync", data={"csrf_token": web_client.csrf, "only": ["hs-2017"]},
                        follow_redirects=False)
    missing_id = r.headers["location"].split("sync=")[1].split("#")[0]
    state = _until_done(lambda: web_client.get(f"/settings/data/sync/{missing_id}").json())
    bad = web_client.post("/settings/data/sync", data={"csrf_token": web_client.csrf, "only": ["nope"]})
    web_client.cookies.set("lang", "en")
    jobs.runner(container).shared_dir = MINI
    assert "开始同步" in zh.text and "已加载" in zh.text
    assert state["sources"][0]["status"] == "missing" and state["sources"][0]["message"].endswith("not found")
    assert state["sources"][0]["message_text"].startswith("未找到 ")  # the page's language, for the live update
    assert "未知的数据源：nope" in bad.text

    r = web_client.post("/settings/data/sync", data={"only": ["hs-2017"]}, follow_redirects=False)
    assert r.status_code in (400, 403)  # no CSRF token
    r = web_client.post("/settings/data/sync", data={"csrf_token": web_client.csrf, "only": ["nope"]})
    assert r.status_code == 422 and 'id="sync-error"' in r.text and "nope" in r.text
    assert r.text.count("unknown source(s) nope") == 1

    accounts.invite_user(uow.session, principal, "viewer@acme.test", PASSWORD, "viewer", "Viewer")
    uow.commit()
    viewer = login(app, "viewer@acme.test")
    page = viewer.get("/settings/data")
    assert 'id="sync-owners-only"' in page.text and 'id="sync-form"' not in page.text
    r = viewer.post("/settings/data/sync", data={"csrf_token": viewer.csrf, "only": ["hs-2017"]})
    assert r.status_code == 403 and 'id="sync-error"' in r.text


def test_the_reference_page_learns_the_quick_hs_model(app, container, web_client, api_client, uow, principal):
    """Settings → Reference data: the HS model choice reaches the sync; the page then says which
    model is loaded, and the HS page says its suggestions come from the quick one."""
    jobs.runner(container).shared_dir = MINI
    web_client.cookies.set("lang", "en")
    page = web_client.get("/settings/data").text
    assert 'id="hs-model"' in page and 'value="minilm-tuned" checked' in page
    bad = web_client.post("/settings/data/sync", data={"csrf_token": web_client.csrf, "only": ["hs-classifier"],
                                                        "hs_encoder": "huge"})
    assert bad.status_code == 422 and "hs_encoder: must be one of minilm-tuned, none" in bad.text
    r = web_client.post("/settings/data/sync", data={"csrf_token": web_client.csrf, "origin": "local",
                                                      "only": ["hs-2022", "hs-classifier"], "hs_encoder": "none"},
                        follow_redirects=False)
    job_id = r.headers["location"].split("sync=")[1].split("#")[0]
    state = _until_done(lambda: web_client.get(f"/settings/data/sync/{job_id}").json(), timeout=120)
    assert state["options"] == {"hs_encoder": "none"}
    assert [s["status"] for s in state["sources"]] == ["loaded", "loaded"], state
    assert "the quick model (TF-IDF only)" in web_client.get("/settings/data").text
    hs = web_client.get("/customs/hs", params={"text": "cotton t-shirt"}).text
    assert 'id="hs-quick-model"' in hs and "610910" in hs
    api = api_client.post("/api/v1/reference/sync", json={"only": ["hs-classifier"], "options": {"hs_encoder": "none"}})
    assert api.status_code == 202
    assert _until_done(lambda: api_client.get(api.headers["location"]).json())["sources"][0]["status"] == "unchanged"
    refused = api_client.post("/api/v1/reference/sync", json={"options": {"speed": "max"}})
    assert refused.status_code == 422 and refused.json()["field"] == "options"


def test_hs_pages_say_when_the_classifier_is_being_learned(app, container, web_client, tmp_path):
    """The demo's first minute: the HS pages answer 409 as before, saying the model is on its way."""
    release = threading.Event()

    def run(sessions, folder, only, progress, options):
        progress("hs-classifier", 1, 8)
        release.wait(20)
        return [SyncOutcome("hs-classifier", "loaded", rows=1)]

    r = jobs.SyncRunner(container.sessions, tmp_path, run=run)
    setattr(container, jobs._RUNNER_ATTR, r)
    web_client.cookies.set("lang", "en")
    job = r.start("local", ["hs-classifier"], "demo@example.com", {"hs_encoder": "none"})
    try:
        page = web_client.get("/customs/hs", params={"text": "cotton t-shirt"})
        assert page.status_code == 409 and 'id="hs-learning"' in page.text and "being learned" in page.text
    finally:
        release.set()
        r.wait(job.id, 10)
    after = web_client.get("/customs/hs", params={"text": "cotton t-shirt"})
    assert after.status_code == 409 and 'id="hs-learning"' not in after.text and 'id="hs-sync-link"' in after.text


def test_syncs_are_shared_by_every_process_and_one_runs_at_a_time(container, tmp_path, monkeypatch, cli, web_client):
    """Two runners on one database stand for two server processes behind a proxy: each sees the
    other's sync and its progress, neither starts a second one, and the command line is refused
    too while it runs; afterwards the command-line sync is recorded like the others."""
    from datetime import UTC, datetime, timedelta

    from xborder.reference.orm import SyncJobRecord

    monkeypatch.setattr(jobs, "HEARTBEAT", 0.05)
    release = threading.Event()

    def run(sessions, folder, only, progress, options):
        progress("hs-2022", 2, 8)
        release.wait(20)
        return [SyncOutcome("hs-2022", "loaded", rows=3, version="HS 2022")]

    a = jobs.SyncRunner(container.sessions, tmp_path, run=run)
    b = jobs.SyncRunner(container.sessions, tmp_path, run=run)
    job = a.start("local", ["hs-2022"], "owner@acme.test")
    try:
        seen = _until(lambda: b.get(job.id).to_dict(), lambda s: s["sources"][0]["done"] == 2)
        assert seen["status"] == "running" and seen["percent"] == 25.0 and seen["started_by"] == "owner@acme.test"
        assert b.latest().id == job.id and [j.id for j in b.recent()] == [job.id]
        with pytest.raises(Conflict, match=f"already running \\({job.id}"):
            b.start("local", None, "other@acme.test")
        refused = cli("data", "sync", "--from", str(tmp_path), "--json")
        assert refused.exit_code != 0 and "already running" in refused.stdout + refused.stderr
    finally:
        release.set()
    a.wait(job.id, 10)
    done = _until(lambda: b.get(job.id).to_dict(), lambda s: s["status"] != "running")
    assert done["status"] == "done" and done["sources"][0]["rows"] == 3 and done["finished_at"]
    # the command line now runs, and its sync shows on the page like the others
    (tmp_path / "empty").mkdir()
    ok = cli("data", "sync", "--from", str(tmp_path / "empty"), "--only", "hs-2022", "--json")
    assert ok.exit_code == 0 and ok.json()["sources"][0]["status"] == "missing", ok.stdout + ok.stderr
    latest = b.latest().to_dict()
    assert latest["started_by"].startswith("command line") and latest["status"] == "done" and latest["id"] != job.id
    # a sync whose process died (no heartbeat for STALE seconds) shows as interrupted and no longer blocks
    with container.sessions() as s:
        old = datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=jobs.STALE + 5)
        s.add(SyncJobRecord(id="deadbeef0001", running_slot=1, status="running", origin="local", folder=None,
                            started_by="owner@acme.test", started_at=old, heartbeat_at=old, options_json="{}",
                            sources_json='[{"name": "hs-2022", "status": "running", "done": 1, "total": 4}]', error=""))
        s.commit()
    dead = b.get("deadbeef0001").to_dict()
    assert dead["status"] == "interrupted" and "no news" in dead["error"]
    page = web_client.get("/settings/data?sync=deadbeef0001").text
    assert 'data-sync-status="interrupted"' in page and "再无消息" in page and "已中断" in page  # a Chinese page
    assert 'id="recent-syncs"' in page and page.count('href="/settings/data?sync=') >= 3  # the web syncs, the terminal's, the dead one
    release.clear()
    again = b.start("local", ["hs-2022"], "owner@acme.test")
    release.set()
    assert b.wait(again.id, 10).to_dict()["status"] == "done"
    with container.sessions() as s:
        assert s.get(SyncJobRecord, "deadbeef0001").status == "interrupted"


def _until(get, ok, timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = get()
        if ok(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.02)

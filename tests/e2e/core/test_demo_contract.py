"""The issue's contract, exactly as an outside check runs it: a real process on a real port."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _req(url: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str]:
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.fixture
def demo_server(tmp_path: Path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["XBORDER_DATA_DIR"] = str(tmp_path / "data")
    proc = subprocess.Popen([sys.executable, "-m", "xborder", "demo", "--db", str(tmp_path / "demo.sqlite3"),
                             "--port", str(port), "--no-open"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=env, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if _req(base + "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            pytest.fail("demo exited: " + (proc.stdout.read() if proc.stdout else ""))
    else:
        proc.kill()
        pytest.fail("demo did not start in 90 s")
    yield base, proc
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    demo_server.output = out  # type: ignore[attr-defined]


def test_demo_contract(demo_server):
    base, _proc = demo_server
    assert json.loads(_req(base + "/healthz")[1]) == {"status": "ok"}
    status, body = _req(base + "/api/v1/auth/token", {"email": "demo@example.com", "password": "demo-password"})
    assert status == 200, body
    token = json.loads(body)
    assert token["token_type"] == "bearer"
    assert _req(base + "/api/v1/auth/token", {"email": "demo@example.com", "password": "nope"})[0] == 401
    assert _req(base + "/api/v1/skus")[0] == 401
    status, body = _req(base + "/api/v1/skus", headers={"Authorization": f"Bearer {token['access_token']}"})
    data = json.loads(body)
    items = data["items"] if isinstance(data, dict) else data
    assert status == 200 and len(items) >= 40
    assert {"sku", "name_en", "name_zh", "weight_g", "hs_code"} <= set(items[0])
    zh = _req(base + "/login", headers={"Accept-Language": "zh-CN"})[1]
    en = _req(base + "/login", headers={"Accept-Language": "en"})[1]
    assert "登录" in zh and "Log in" in en and "登录" not in en

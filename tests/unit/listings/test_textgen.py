"""The OpenAI-compatible provider against a local fake server (127.0.0.1, never the network)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from xborder.listings.drafts import make_draft
from xborder.listings.errors import ProviderDisabled, ProviderError
from xborder.listings.rulebook import marketplace
from xborder.listings.textgen import ProviderConfig, rewrite


class FakeOpenAI(BaseHTTPRequestHandler):
    answer: dict = {}
    status = 200
    seen: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        out = json.dumps({"choices": [{"message": {"role": "assistant", "content": json.dumps(type(self).answer)}}]}).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *a):
        pass


@pytest.fixture()
def server():
    FakeOpenAI.seen = []
    FakeOpenAI.status = 200
    srv = HTTPServer(("127.0.0.1", 0), FakeOpenAI)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/v1"
    srv.shutdown()
    srv.server_close()


ATTRS = {"brand": "Acme", "category": "kitchen", "product_type": "cutting board", "material": "bamboo", "features": ["non-slip"]}


def test_provider_rewrite_is_checked(server):
    mp = marketplace("amazon-de")
    draft, _ = make_draft(ATTRS, mp)
    FakeOpenAI.answer = {"title": "Acme Bambus Schneidebrett Bestseller!", "bullets": ["Rutschfest"], "description": "Ein Brett.",
                         "search_terms": "holz küche"}
    cfg = ProviderConfig(base_url=server, model="fake-1", api_key="sk-test", enabled=True)
    new, res = rewrite(cfg, draft, "translate", "de", mp)
    assert new.source == "provider" and new.title.startswith("Acme Bambus")
    errs = {(f.rule, f.match) for f in res.findings if f.severity == "error"}
    assert ("promo.banned", "Bestseller") in errs and ("title.banned_chars", "!") in errs
    req = FakeOpenAI.seen[0]
    assert req["path"] == "/v1/chat/completions" and req["auth"] == "Bearer sk-test"
    assert req["body"]["model"] == "fake-1" and "German" in req["body"]["messages"][1]["content"]


def test_provider_clean_answer(server):
    mp = marketplace("amazon-us")
    draft, _ = make_draft(ATTRS, mp)
    FakeOpenAI.answer = {"title": "Acme Bamboo Cutting Board, Non-Slip", "bullets": ["Bamboo board.", "Non-slip feet.", "Easy to clean."],
                         "description": "A bamboo cutting board."}
    new, res = rewrite(ProviderConfig(base_url=server, model="m", enabled=True), draft, "", "en", mp)
    assert res.errors == 0 and new.search_terms == draft.search_terms


def test_provider_errors(server):
    mp = marketplace("amazon-us")
    draft, _ = make_draft(ATTRS, mp)
    with pytest.raises(ProviderDisabled):
        rewrite(ProviderConfig(base_url=server, model="m"), draft, "", "en", mp)
    FakeOpenAI.status = 500
    with pytest.raises(ProviderError):
        rewrite(ProviderConfig(base_url=server, model="m", enabled=True), draft, "", "en", mp)
    FakeOpenAI.status = 200
    FakeOpenAI.answer = {"no": "title"}
    with pytest.raises(ProviderError):
        rewrite(ProviderConfig(base_url=server, model="m", enabled=True), draft, "", "en", mp)
    with pytest.raises(ProviderError):  # nothing listens on this port
        rewrite(ProviderConfig(base_url="http://127.0.0.1:9/v1", model="m", enabled=True, timeout_s=2), draft, "", "en", mp)

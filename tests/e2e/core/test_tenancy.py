"""No request can read or change another organisation's data.

Organisation A is the demo company (its catalog and whatever the process packages' demo hooks
add); organisation B is new and owns nothing. B's owner walks every route of the app:
* a route with an integer path parameter is called with every id of A's rows (GET and the
  route's own methods): it must answer 4xx, never 2xx/3xx-with-success;
* list pages and list endpoints must not show A's identifiers;
* afterwards every table holds exactly the rows it held before.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.conftest import api_login, login

from xborder.accounts import service as accounts
from xborder.db import Base, UnitOfWork
from xborder.demo.service import DEMO_EMAIL, DEMO_ORG, build_demo

PASSWORD = "demo-password"
SKIP_PREFIXES = ("/static", "/api/docs", "/api/openapi.json", "/docs/oauth2-redirect")


def _counts(container: Any) -> dict[str, int]:
    with UnitOfWork(container.sessions) as u:
        return {name: u.session.scalar(select(func.count()).select_from(t)) or 0
                for name, t in Base.metadata.tables.items() if "org_id" in t.columns}


def _a_ids(container: Any, org_id: int) -> set[int]:
    ids: set[int] = set()
    with UnitOfWork(container.sessions) as u:
        for _name, t in Base.metadata.tables.items():
            if "org_id" in t.columns and "id" in t.columns:
                ids.update(u.session.scalars(select(t.c.id).where(t.c.org_id == org_id).limit(15)))
    return ids


def _int_params(dependant: Any) -> list[str]:
    out = []
    for p in dependant.path_params:
        ann = getattr(p.field_info, "annotation", None) or getattr(p, "type_", None)
        if ann is int:
            out.append(p.name)
    return out


@pytest.fixture
def two_orgs(container, settings):
    build_demo(container.sessions, password=PASSWORD, shared_data=settings.shared_data_dir)
    with UnitOfWork(container.sessions) as u:
        org_a = accounts.find_org(u.session, DEMO_ORG).id
        org_b = accounts.create_org(u.session, "Intruder Ltd")
        user_b = accounts.create_user(u.session, "intruder@example.com", PASSWORD)
        accounts.add_member(u.session, org_b, user_b, "owner")
        u.commit()
    return org_a


def test_second_organisation_cannot_reach_the_first(app, container, two_orgs):
    org_a = two_orgs
    web_b = login(app, "intruder@example.com", PASSWORD)
    api_b = api_login(app, "intruder@example.com", PASSWORD)
    web_a = login(app, DEMO_EMAIL, PASSWORD)
    before = _counts(container)
    with UnitOfWork(container.sessions) as u:
        org_b = accounts.find_org(u.session, "Intruder Ltd").id
    ids = _a_ids(container, org_a) - _a_ids(container, org_b)  # B's own rows (its API token) are B's to use
    assert ids, "the demo organisation has no rows"
    with UnitOfWork(container.sessions) as u:
        from xborder.catalog.orm import Sku

        a_markers = set(u.session.scalars(select(Sku.sku).where(Sku.org_id == org_a).limit(10)))
    checked = 0
    from xborder.entrypoints.app import walk_routes

    for route_path, route_methods, dependant in walk_routes(app):
        if route_path.startswith(SKIP_PREFIXES):
            continue
        client = api_b if route_path.startswith("/api/") else web_b
        params = _int_params(dependant)
        methods = sorted(route_methods - {"HEAD", "OPTIONS"})
        if params:
            for rid in ids:
                path = route_path
                for p in params:
                    path = path.replace("{" + p + "}", str(rid))
                if "{" in path:
                    continue
                for m in methods:
                    kwargs: dict[str, Any] = {}
                    if not route_path.startswith("/api/") and m != "GET":
                        kwargs["data"] = {"csrf_token": web_b.csrf}
                    r = client.request(m, path, follow_redirects=False, **kwargs)
                    checked += 1
                    assert r.status_code >= 400, f"{m} {path} as another organisation answered {r.status_code}"
        elif "GET" in methods and "{" not in route_path and route_path not in ("/logout",):
            r = client.get(route_path, follow_redirects=False)
            if r.status_code == 200 and "text" in r.headers.get("content-type", "") + r.headers.get("content-type", ""):
                for marker in a_markers:
                    assert not re.search(rf"\b{re.escape(marker)}\b", r.text), f"GET {route_path} shows {marker} of another organisation"
            checked += 1
    assert checked > 20
    assert _counts(container) == before
    # and the owner of A still sees A's data
    assert any(m in web_a.get("/catalog?per_page=100").text for m in a_markers)

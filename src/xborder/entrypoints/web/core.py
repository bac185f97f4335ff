"""Core pages: login/logout, language, organisation switch, dashboard, settings, empty states."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from xborder import i18n
from xborder.accounts import service as accounts
from xborder.accounts.model import Role
from xborder.bootstrap import modules
from xborder.db import UnitOfWork
from xborder.entrypoints.deps import (
    LANG_COOKIE,
    SESSION_COOKIE,
    WebContext,
    container,
    csrf_protect,
    get_uow,
    render,
    web_context,
)
from xborder.entrypoints.web.nav import SECTIONS
from xborder.errors import NotFound, XborderError

router = APIRouter(include_in_schema=False)
fallback = APIRouter(include_in_schema=False)
CSRF = [Depends(csrf_protect)]


def _safe_next(url: str | None) -> str:
    return url if url and url.startswith("/") and not url.startswith("//") else "/"


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "email": ""})


@router.post("/login", dependencies=CSRF)
def login(request: Request, email: str = Form(""), password: str = Form(""), next: str = Form("/"),
          uow: UnitOfWork = Depends(get_uow)) -> Response:
    settings = container(request).settings
    try:
        user = accounts.authenticate(uow.session, settings, email, password, _client_ip(request))
        token, _ws = accounts.start_session(uow.session, settings, user)
        uow.commit()
    except XborderError as exc:
        uow.commit()  # keep the failed attempt for throttling
        return render(request, "login.html", {"error": exc.message, "code": exc.code, "email": email,
                                              "next": _safe_next(next)}, status_code=exc.http_status)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=settings.cookie_secure,
                        max_age=settings.session_days * 86400)
    if user.language and not request.cookies.get(LANG_COOKIE):
        response.set_cookie(LANG_COOKIE, user.language, samesite="lax", max_age=365 * 86400)
    return response


@router.post("/logout", dependencies=CSRF)
def logout(request: Request, uow: UnitOfWork = Depends(get_uow)) -> Response:
    accounts.end_session(uow.session, request.cookies.get(SESSION_COOKIE))
    uow.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/lang", dependencies=CSRF)
def set_language(request: Request, lang: str = Form(...), next: str = Form("/"),
                 uow: UnitOfWork = Depends(get_uow)) -> Response:
    code = i18n.normalise(lang) or "zh_CN"
    ws = accounts.session_from_token(uow.session, request.cookies.get(SESSION_COOKIE))
    if ws is not None:
        user = uow.session.get(accounts.User, ws.user_id)
        if user is not None:
            user.language = code
            uow.commit()
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, code, samesite="lax", max_age=365 * 86400)
    return response


@router.post("/switch-org", dependencies=CSRF)
def switch_org(request: Request, org_id: int = Form(...), ctx: WebContext = Depends(web_context),
               uow: UnitOfWork = Depends(get_uow)) -> Response:
    ws = accounts.session_from_token(uow.session, request.cookies.get(SESSION_COOKIE))
    assert ws is not None
    accounts.switch_org(uow.session, ws, org_id)
    uow.commit()
    return RedirectResponse("/", status_code=303)


def _package(m: Any) -> str:
    return str(m.__name__).split(".")[1]


def _widgets_of(m: Any, fn: str, uow: UnitOfWork, ctx: WebContext) -> list[dict[str, Any]]:
    try:
        return list(getattr(m, fn)(uow.session, ctx.principal))
    except Exception as exc:  # a broken widget must not take the dashboard down
        return [{"title": m.__name__, "error": str(exc)}]


@router.get("/")
def dashboard(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The packages' widgets; those a package marks slow (``slow_widgets``: a figure over every
    order, seconds on a large shop) are fetched by the page after it shows."""
    widgets: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    for m in modules("dashboard"):
        widgets.extend(_widgets_of(m, "widgets", uow, ctx))
        if hasattr(m, "first_steps"):
            steps.extend(_widgets_of(m, "first_steps", uow, ctx))
        if hasattr(m, "slow_widgets"):
            widgets.append({"lazy": f"/dashboard/widgets/{_package(m)}", "title": getattr(m, "SLOW_TITLE", ""),
                            "text": getattr(m, "SLOW_TEXT", "")})
    steps = sorted((st for st in steps if "done" in st), key=lambda st: st.get("order", 99))
    show_steps = any(not st["done"] for st in steps)  # a new organisation: what to do first, until all is done
    return render(request, "dashboard.html", {"widgets": widgets, "sections": SECTIONS[1:],
                                              "steps": steps if show_steps else []})


@router.get("/dashboard/widgets/{package}")
def slow_widgets(package: str, request: Request, ctx: WebContext = Depends(web_context),
                 uow: UnitOfWork = Depends(get_uow)) -> Response:
    """The slow widgets of one package as HTML cards (the dashboard puts them in place)."""
    found = [m for m in modules("dashboard") if _package(m) == package and hasattr(m, "slow_widgets")]
    if not found:
        raise NotFound(f"no slow dashboard widgets in {package!r}", field="package")
    return render(request, "_widgets.html", {"widgets": _widgets_of(found[0], "slow_widgets", uow, ctx)})


# --- settings ----------------------------------------------------------------------------


@router.get("/settings/org")
def org_settings(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    org = accounts.get_org(uow.session, ctx.principal.org_id)
    return render(request, "settings_org.html", {"org": org, "form": None})


ORG_FIELDS = ("legal_name_zh", "legal_name_en", "uscc", "base_currency", "customs_code", "address_zh", "address_en",
              "enterprise_type")


@router.post("/settings/org", dependencies=CSRF)
async def org_settings_save(request: Request, ctx: WebContext = Depends(web_context),
                            uow: UnitOfWork = Depends(get_uow)) -> Response:
    form = await request.form()
    values = {k: str(form.get(k, "")).strip() for k in ORG_FIELDS}
    try:
        accounts.update_org(uow.session, ctx.principal, **values)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        org = accounts.get_org(uow.session, ctx.principal.org_id)
        return render(request, "settings_org.html", {"org": org, "form": values, "error": exc.message,
                                                     "error_field": exc.field}, status_code=exc.http_status)
    return RedirectResponse("/settings/org?saved=1", status_code=303)


@router.get("/settings/users")
def users_page(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    return render(request, "settings_users.html", {"members": accounts.members(uow.session, ctx.principal.org_id),
                                                   "roles": [r.value for r in Role]})


@router.post("/settings/users", dependencies=CSRF)
def users_add(request: Request, email: str = Form(""), password: str = Form(""), role: str = Form("viewer"),
              name: str = Form(""), ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    try:
        accounts.invite_user(uow.session, ctx.principal, email, password, role, name)
        uow.commit()
    except XborderError as exc:
        uow.rollback()
        return render(request, "settings_users.html", {"members": accounts.members(uow.session, ctx.principal.org_id),
                                                       "roles": [r.value for r in Role], "error": exc.message,
                                                       "form": {"email": email, "name": name, "role": role}},
                      status_code=exc.http_status)
    return RedirectResponse("/settings/users", status_code=303)


@router.post("/settings/users/{user_id}/remove", dependencies=CSRF)
def users_remove(user_id: int, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    accounts.remove_member(uow.session, ctx.principal, user_id)
    uow.commit()
    return RedirectResponse("/settings/users", status_code=303)


@router.get("/settings/tokens")
def tokens_page(request: Request, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    return render(request, "settings_tokens.html", {"tokens": accounts.list_api_tokens(uow.session, ctx.principal)})


@router.post("/settings/tokens", dependencies=CSRF)
def tokens_create(request: Request, name: str = Form(""), ctx: WebContext = Depends(web_context),
                  uow: UnitOfWork = Depends(get_uow)) -> Response:
    user = uow.session.get(accounts.User, ctx.principal.user_id)
    assert user is not None
    token = accounts.issue_api_token(uow.session, user, ctx.principal.org_id, name=name[:100])
    uow.commit()
    return render(request, "settings_tokens.html", {"tokens": accounts.list_api_tokens(uow.session, ctx.principal),
                                                    "new_token": token})


@router.post("/settings/tokens/{token_id}/revoke", dependencies=CSRF)
def tokens_revoke(token_id: int, ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> Response:
    accounts.revoke_api_token(uow.session, ctx.principal, token_id)
    uow.commit()
    return RedirectResponse("/settings/tokens", status_code=303)


def _data_page(request: Request, ctx: WebContext, uow: UnitOfWork, job_id: str | None = None,
               error: str | None = None, status_code: int = 200) -> Response:
    from xborder.accounts.model import can_write
    from xborder.reference import jobs
    from xborder.reference import service as reference

    runner = jobs.runner(container(request))
    job = (runner.find(job_id) if job_id else None) or runner.latest()
    folder = runner.local_folder
    hs_model, labels = None, {}
    if any(s.name == "hs-classifier" for s in reference.all_sources()):  # the hs package is installed
        from xborder.hs.service import classifier_info

        hs_model, labels = classifier_info(uow.session), HS_MODEL_LABELS
    return render(request, "settings_data.html", {
        "hs_model": hs_model, "hs_model_labels": labels,
        "loads": reference.history(uow.session), "sources": reference.all_sources(),
        "job": job.to_dict() if job else None, "sync_error": error,
        "recent": [j.to_dict() for j in runner.recent()],
        "local_folder": str(folder) if folder else None,
        "can_sync": can_write(ctx.principal.role, "reference data")}, status_code=status_code)


HS_MODEL_LABELS = {"full": "the full model", "quick": "the quick model (TF-IDF only)", "encoder": "a model on the stock encoder"}


@router.get("/settings/data")
def data_page(request: Request, sync: str = "", ctx: WebContext = Depends(web_context),
              uow: UnitOfWork = Depends(get_uow)) -> Response:
    return _data_page(request, ctx, uow, sync or None)


@router.post("/settings/data/sync", dependencies=CSRF)
async def data_sync_start(request: Request, ctx: WebContext = Depends(web_context),
                          uow: UnitOfWork = Depends(get_uow)) -> Response:
    """Start a reference sync in the background (owners), then show its progress."""
    from xborder.reference import jobs

    form = await request.form()
    origin = str(form.get("origin", "local"))
    only = [str(v) for v in form.getlist("only") if str(v).strip()]
    hs_encoder = str(form.get("hs_encoder", "")).strip()
    try:
        ctx.principal.require("reference data")
        job = jobs.runner(container(request)).start(origin, only, ctx.principal.email,
                                                    {"hs_encoder": hs_encoder} if hs_encoder else None)
    except XborderError as exc:
        return _data_page(request, ctx, uow, error=exc.message, status_code=exc.http_status)
    return RedirectResponse(f"/settings/data?sync={job.id}#sync-job", status_code=303)


@router.get("/settings/data/sync/{job_id}")
def data_sync_state(job_id: str, request: Request, ctx: WebContext = Depends(web_context)) -> dict[str, Any]:
    """The sync's state as JSON, polled by the page while it runs (``message_text``: each
    source's message in the page's language)."""
    from xborder.entrypoints.deps import message, request_language
    from xborder.reference import jobs

    state = jobs.runner(container(request)).get(job_id).to_dict()
    lang = request_language(request)
    for src in state["sources"]:
        src["message_text"] = message(src["message"], "reference", lang)
    return state


# --- empty states for sections that no package serves yet ---------------------------------


def _empty_page(key: str):  # type: ignore[no-untyped-def]
    def page(request: Request, ctx: WebContext = Depends(web_context)) -> Response:
        sec = next(s for s in SECTIONS if s.key == key)
        return render(request, "empty.html", {"section": sec})

    return page


for _s in SECTIONS:
    if _s.empty:
        fallback.add_api_route(_s.url, _empty_page(_s.key), methods=["GET"])


@router.get("/whoami")
def whoami(ctx: WebContext = Depends(web_context), uow: UnitOfWork = Depends(get_uow)) -> dict[str, Any]:
    count = uow.session.scalar(select(func.count()).select_from(accounts.Membership)
                               .where(accounts.Membership.user_id == ctx.principal.user_id))
    return {"email": ctx.principal.email, "org": ctx.org_name, "role": ctx.principal.role.value, "orgs": count}

"""Request dependencies shared by the web pages and the HTTP API.

* ``get_uow``: one unit of work per request; handlers call ``uow.commit()`` after a change.
* ``api_principal``: bearer token -> Principal (401 without a valid token).
* ``web_principal``: session cookie -> Principal (redirect to /login without one).
* ``csrf_protect``: every non-GET web form must carry the session's CSRF token.
* ``render``: a Jinja2 page in the request's language.
"""

from __future__ import annotations

import contextvars
import hmac
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup

from xborder import i18n
from xborder.accounts import service as accounts
from xborder.accounts.service import Principal
from xborder.bootstrap import PACKAGES, Container
from xborder.codes import dotted
from xborder.db import UnitOfWork
from xborder.errors import AuthenticationError, PermissionDenied, XborderError

SESSION_COOKIE = "xb_session"
CSRF_COOKIE = "xb_csrf"
LANG_COOKIE = "lang"

current_lang: contextvars.ContextVar[str] = contextvars.ContextVar("current_lang", default="zh_CN")


def _(message: str) -> str:
    """Translate into the current request's language."""
    return i18n.gettext(current_lang.get(), message)


def container(request: Request) -> Container:
    return request.app.state.container  # type: ignore[no-any-return]


def get_uow(request: Request) -> Iterator[UnitOfWork]:
    with UnitOfWork(container(request).sessions) as uow:
        yield uow


# --- API authentication ------------------------------------------------------------------


def api_principal(request: Request, uow: UnitOfWork = Depends(get_uow)) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _sep, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("missing bearer token: POST /api/v1/auth/token first")
    principal = accounts.principal_from_api_token(uow.session, token.strip())
    if uow.session.dirty:
        uow.commit()  # last_used_at, at most once a minute
    return principal


# --- web authentication ------------------------------------------------------------------


class LoginRequired(Exception):
    def __init__(self, next_url: str):
        self.next_url = next_url


@dataclass
class WebContext:
    principal: Principal
    csrf_token: str
    org_name: str
    orgs: list[tuple[int, str, str]]  # id, name, role
    user_language: str | None


def web_context(request: Request, uow: UnitOfWork = Depends(get_uow)) -> WebContext:
    token = request.cookies.get(SESSION_COOKIE)
    ws = accounts.session_from_token(uow.session, token)
    if ws is None:
        nxt = request.url.path + (("?" + request.url.query) if request.url.query else "")
        raise LoginRequired(nxt)
    try:
        principal = accounts.principal_for(uow.session, ws.user_id, ws.org_id)
    except PermissionDenied:
        raise LoginRequired("/") from None
    orgs = [(o.id, o.name, r) for o, r in accounts.orgs_of(uow.session, ws.user_id)]
    org_name = next((n for i, n, _r in orgs if i == ws.org_id), "")
    user = uow.session.get(accounts.User, ws.user_id)
    ctx = WebContext(principal, ws.csrf_token, org_name, orgs, user.language if user else None)
    request.state.web = ctx
    return ctx


def web_principal(ctx: WebContext = Depends(web_context)) -> Principal:
    return ctx.principal


async def csrf_protect(request: Request) -> None:
    """Reject a state-changing web request whose form token does not match.

    Logged-in requests must carry the session's token; anonymous forms (login) use the
    double-submit cookie. Checked in constant time."""
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    sent = request.headers.get("x-csrf-token")
    if not sent:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    expected: str | None = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        c = container(request)
        with UnitOfWork(c.sessions) as uow:
            ws = accounts.session_from_token(uow.session, token)
            expected = ws.csrf_token if ws else None
    if expected is None:
        expected = request.cookies.get(CSRF_COOKIE)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise PermissionDenied("CSRF token missing or wrong: reload the page and try again", code="CSRF_FAILED")


# --- language ----------------------------------------------------------------------------


def request_language(request: Request) -> str:
    """Cookie (explicit choice) > user's profile > Accept-Language > zh_CN."""
    chosen = i18n.normalise(request.cookies.get(LANG_COOKIE))
    if chosen:
        return chosen
    web: WebContext | None = getattr(request.state, "web", None)
    if web and i18n.normalise(web.user_language):
        return i18n.normalise(web.user_language) or "zh_CN"
    return i18n.negotiate(request.headers.get("accept-language"))


# --- templates ---------------------------------------------------------------------------

TEMPLATE_DIRS = [Path(__file__).parent / "web" / "templates"] + [
    Path(__file__).parent.parent / p / "templates" for p in PACKAGES
]


def _fmt_money(value: Any, currency: str = "CNY") -> str:
    if value is None or value == "":
        return ""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    return format_currency(amount, currency, locale=i18n.locale(current_lang.get()))


def _fmt_decimal(value: Any, places: int | None = None) -> str:
    if value is None or value == "":
        return ""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    fmt = None if places is None else "#,##0." + "0" * places if places else "#,##0"
    return format_decimal(amount, format=fmt, locale=i18n.locale(current_lang.get()))


def _fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    loc = i18n.locale(current_lang.get())
    if isinstance(value, datetime):
        return format_datetime(value, "medium", locale=loc)
    return format_date(value, "medium", locale=loc)


@pass_context
def _gettext_vars(context: Any, message: str, **variables: Any) -> str:
    """A template's ``_()``: the wording of the template's own package first (``customs/...`` →
    customs), then the merged catalogs."""
    text = i18n.gettext(current_lang.get(), message, _template_package(getattr(context, "name", None)))
    return text % variables if variables else text


def _template_package(name: str | None) -> str | None:
    head = (name or "").split("/", 1)[0]
    return head if "/" in (name or "") and head in PACKAGES else None


def message(text: str, package: str | None = None, lang: str | None = None) -> str:
    """A message a package produced in English (an alert, a figure's source, a warning) in the
    page's language (or ``lang``): in Chinese, that ``package``'s ``messages.zh`` (or, without one,
    the first package's that rewords it), else the catalogs; numbers, codes and names stay as they are."""
    if not text or not isinstance(text, str) or isinstance(text, i18n.PageText):
        return text  # a PageText translates itself when the page renders it
    lang = lang or current_lang.get()
    if lang == "zh_CN":
        for zh in _zh_rewordings(package):
            out = zh(text)
            if out != text:
                return str(out)
    return i18n.gettext(lang, text, package)


@cache
def _zh_rewordings(package: str | None) -> tuple[Any, ...]:
    """The ``messages.zh`` functions to try for a package's message (every package's without one)."""
    from xborder.bootstrap import modules, optional_module

    found = optional_module(package, "messages") if package else None
    mods = [found] if found is not None else modules("messages")
    return tuple(m.zh for m in mods if hasattr(m, "zh"))


def _ngettext(singular: str, plural: str, n: int) -> str:
    return i18n.translations(current_lang.get()).ngettext(singular, plural, n)


def make_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(d) for d in TEMPLATE_DIRS if d.is_dir()]),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(_, _ngettext, newstyle=False)  # type: ignore[attr-defined]
    # `_("text")` and `_("%(n)s rows", n=3)`: format only when variables are given, so a
    # translation may contain a bare "%" (e.g. "4%应税所得率"); output is autoescaped.
    env.globals["_"] = env.globals["gettext"] = _gettext_vars
    env.globals["tr_msg"] = message  # a package's English message, reworded for the page's language
    env.filters["money"] = _fmt_money
    env.filters["num"] = _fmt_decimal
    env.filters["date"] = _fmt_date
    env.filters["urlquote"] = lambda v: quote(str(v))
    env.filters["dotted"] = dotted  # a commodity code as tariffs print it (7013.37.05.00)
    # a message's text parameters (a source's name, say) in the page's language; numbers and codes stay
    env.filters["tr_params"] = lambda params: {k: message(v) if isinstance(v, str) else v for k, v in (params or {}).items()}
    return env


_env: Environment | None = None


def env() -> Environment:
    global _env
    if _env is None:
        _env = make_env()
    return _env


def render(request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200) -> HTMLResponse:
    from xborder.entrypoints.web.nav import nav_for

    lang = request_language(request)
    current_lang.set(lang)
    web: WebContext | None = getattr(request.state, "web", None)
    csrf = web.csrf_token if web else request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    ctx: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "langs": i18n.LANG_LABELS,
        "web": web,
        "principal": web.principal if web else None,
        "csrf_token": csrf,
        "nav": nav_for(request.url.path),
        "Markup": Markup,
    }
    ctx.update(context or {})
    html = env().get_template(template).render(ctx)
    response = HTMLResponse(html, status_code=status_code)
    if not web and not request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="lax",
                            secure=container(request).settings.cookie_secure)
    return response


def error_message(exc: XborderError) -> str:
    return exc.message


def download(table: Any, fmt: str) -> Response:
    """A :class:`xborder.tabular.Table` as a CSV or XLSX attachment (web pages and API alike)."""
    from xborder.tabular import MEDIA_TYPES

    body = table.encode(fmt)  # ValidationError for another format
    return Response(body, media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{table.filename(fmt)}"'})

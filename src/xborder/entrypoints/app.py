"""The FastAPI application: web pages, HTTP API under /api/v1, static assets, health check."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import StatementError
from starlette.exceptions import HTTPException as StarletteHTTPException

from xborder import __version__
from xborder.bootstrap import Container, modules
from xborder.config import Settings
from xborder.entrypoints import deps
from xborder.errors import XborderError, input_error_from

STATIC_DIR = Path(__file__).parent / "web" / "static"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


DOCS_STATIC = "/api/docs/static"


def _api_docs(app: FastAPI) -> None:
    """The API documentation page (Swagger UI) with its script and style served by the app itself
    from the ``fastapi-offline`` wheel: offline, no CDN."""
    import fastapi_offline
    from fastapi.openapi.docs import get_swagger_ui_html

    app.mount(DOCS_STATIC, StaticFiles(directory=Path(fastapi_offline.__file__).parent / "static"), name="api-docs-static")

    @app.get("/api/docs", include_in_schema=False)
    async def api_docs() -> Response:
        return get_swagger_ui_html(openapi_url="/api/openapi.json", title="Xborder API",
                                   swagger_js_url=f"{DOCS_STATIC}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{DOCS_STATIC}/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")


def create_app(settings: Settings, container: Container | None = None) -> FastAPI:
    app = FastAPI(
        title="Xborder API",
        version=__version__,
        description="Operations platform for micro-multinationals. Authenticate with "
        "`POST /api/v1/auth/token` and send `Authorization: Bearer <token>`. Money is a decimal string.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    _api_docs(app)
    app.state.container = container or Container(settings)
    app.state.settings = settings

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        # the page language is known before any handler translates (render() refines it with
        # the user's saved choice)
        deps.current_lang.set(deps.request_language(request))
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith("/api/docs"):
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                "script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
            )
        return response

    @app.exception_handler(XborderError)
    async def xborder_error(request: Request, exc: XborderError) -> Response:
        if _is_api(request):
            return JSONResponse(exc.to_dict(), status_code=exc.http_status)
        return deps.render(request, "error.html", {"error": exc, "status": exc.http_status}, status_code=exc.http_status)

    @app.exception_handler(OverflowError)
    @app.exception_handler(StatementError)
    async def database_input_error(request: Request, exc: Exception) -> Response:
        """A value the database cannot hold (an id or amount with 20+ digits) is the request's
        error, not the server's: 422 with a reason, as for any other bad input."""
        err = input_error_from(exc)
        if err is None:
            raise exc
        return await xborder_error(request, err)

    @app.exception_handler(deps.LoginRequired)
    async def login_required(request: Request, exc: deps.LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next_url)}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = exc.errors()
        first = errors[0] if errors else {}
        loc = ".".join(str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path"))
        message = f"{loc}: {first.get('msg', 'invalid')}" if loc else str(first.get("msg", "invalid request"))
        body = {"code": "VALIDATION_ERROR", "message": message, "field": loc,
                "errors": [{"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg")} for e in errors]}
        if _is_api(request):
            return JSONResponse(body, status_code=422)
        return deps.render(request, "error.html", {"error": XborderError(message), "status": 422}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        codes = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}
        if _is_api(request) or exc.status_code == 405:
            return JSONResponse({"code": codes.get(exc.status_code, "HTTP_ERROR"), "message": str(exc.detail)},
                                status_code=exc.status_code, headers=getattr(exc, "headers", None))
        return deps.render(request, "error.html", {"error": XborderError(str(exc.detail)), "status": exc.status_code},
                           status_code=exc.status_code)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    from xborder.entrypoints.api import core as api_core
    from xborder.entrypoints.web import core as web_core

    api = APIRouter(prefix="/api/v1")
    api.include_router(api_core.router)
    for m in modules("api"):
        api.include_router(m.router)
    app.include_router(api)

    app.include_router(web_core.router)
    for m in modules("web"):
        app.include_router(m.router)
    app.include_router(web_core.fallback)  # empty-state pages for sections no package serves yet
    return app


def walk_routes(app: FastAPI) -> list[tuple[str, set[str], Any]]:
    """Every HTTP route as (full path, methods, dependant), through included routers.

    FastAPI up to 0.12x flattens included routers into ``APIRoute``s; newer releases keep
    them as included-router objects with ``effective_route_contexts()``. Both are handled."""
    from fastapi.routing import APIRoute

    out: list[tuple[str, set[str], Any]] = []
    for r in app.routes:
        if isinstance(r, APIRoute):
            out.append((r.path, set(r.methods), r.dependant))
        elif hasattr(r, "effective_route_contexts"):
            for c in r.effective_route_contexts():
                if getattr(c, "methods", None):
                    out.append((c.path_format, set(c.methods), c.dependant))
    return out

"""``create_app(options)``: the FastAPI application behind ``newsdesk serve``.

Why this shape: the app is built by a function (no module-level globals), so
tests and library users get an app bound to their own store. Safety is wired
here once for every route: the body limit and security headers wrap the whole
app, the interactive docs that would pull scripts from a CDN are switched off
(``/openapi.json`` and the local ``/api`` page document the API instead), and
static files come from a fixed in-memory table of the package's own files.
"""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk.options import Options
from newsdesk.store import Store
from newsdesk.web import routes_api, routes_pages
from newsdesk.web.deps import page_limits, templates, web_settings
from newsdesk.web.security import (
    LOOPBACK_HOSTS,
    BodySizeLimit,
    RequestGuard,
    SecurityHeaders,
    SecurityHeaderValues,
    load_static_files,
)
from newsdesk.web.views import StoryCache

__all__ = ["create_app", "default_max_body_bytes"]


def default_max_body_bytes() -> int:
    return int(web_settings()["server"]["max_body_bytes"])


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get("accept", "")


def _error_page(request: Request, status: int, detail: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status)
    return templates().TemplateResponse(
        request, "error.html.j2", {"status": status, "detail": detail}, status_code=status
    )


def create_app(
    options: Options,
    store: Store | None = None,
    max_body_bytes: int | None = None,
    allow_hosts: tuple[str, ...] | list[str] = (),
) -> FastAPI:
    """The web app over ``store`` (default: the store at ``options.db``).

    ``max_body_bytes`` caps every request body (default from data/web.toml,
    5 MiB); larger requests get 413 before their body is read. Only requests
    whose ``Host`` is a loopback name or one of ``allow_hosts`` are served, and
    cross-origin writes are refused (:class:`~newsdesk.web.security.RequestGuard`)."""
    app = FastAPI(
        title="newsdesk",
        summary="Search a news corpus, compare how outlets report a story, trace every claim to its sentence.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    app.state.options = options
    app.state.store = store if store is not None else Store(options.db)
    app.state.story_cache = StoryCache(page_limits().story_cache_size)
    static = load_static_files()

    @app.get("/static/{name}", include_in_schema=False)
    def static_file(name: str) -> Response:
        # A lookup in a fixed table: no client path ever reaches the file system.
        item = static.get(name)
        if item is None:
            raise HTTPException(status_code=404, detail="no such static file")
        return Response(item.body, media_type=item.media_type, headers={"cache-control": "public, max-age=3600"})

    app.include_router(routes_api.router)
    app.include_router(routes_pages.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and detail == "Not Found":
            detail = "no such page"
        return _error_page(request, exc.status_code, detail)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": jsonable_errors(exc)}, status_code=422)
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return _error_page(request, 422, f"invalid {where}: {first.get('msg', 'bad request')}")

    limit = max_body_bytes if max_body_bytes is not None else default_max_body_bytes()
    headers = web_settings()["headers"]
    app.add_middleware(BodySizeLimit, max_bytes=limit)
    app.add_middleware(RequestGuard, allowed_hosts=(*LOOPBACK_HOSTS, *allow_hosts))
    app.add_middleware(
        SecurityHeaders,
        values=SecurityHeaderValues(headers["content_security_policy"], headers["referrer_policy"]),
    )
    return app


def jsonable_errors(exc: RequestValidationError) -> list[dict[str, object]]:
    """Validation errors without the raw input (which may echo untrusted text)."""
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()]

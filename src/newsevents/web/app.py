"""The ASGI app: a read-only store, the JSON API, the HTML pages, one error shape, request caps."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..errors import QueryError, StoreError
from ..store import Store
from ..store_queries import Queries
from .api import router as api_router
from .pages import error_page
from .pages import router as pages_router

MAX_QUERY_STRING = 4096
MAX_PATH = 1024
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
STATIC_TYPES = {"app.css": "text/css; charset=utf-8", "app.js": "text/javascript; charset=utf-8"}


def open_store(db_path: str | Path) -> Store:
    """Open the database read-only, with file access from SQL switched off."""
    path = Path(db_path)
    if not path.is_file():
        raise StoreError(f"no database at {path}; create one with `newsevents process`")
    store = Store(path, read_only=True)
    store.con.execute("SET enable_external_access = false")
    store.con.execute("SET lock_configuration = true")
    return store


def error_response(request: Request, status: int, message: str) -> Response:
    """Return the error as JSON under /api/ and as an HTML page elsewhere."""
    if request.url.path.startswith("/api"):
        return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)
    return error_page(request, status, message)


def _static_assets() -> dict[str, bytes]:
    folder = resources.files("newsevents").joinpath("web", "static")
    return {name: folder.joinpath(name).read_bytes() for name in STATIC_TYPES}


def create_app(db_path: str | Path) -> FastAPI:
    """Return the web app over the DuckDB file at ``db_path`` (opened read-only)."""
    store = open_store(db_path)
    assets = _static_assets()  # read once: no request reads a file

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(
        title="newsevents",
        version=__version__,
        description="Statements and CAMEO/PLOVER events, each tied to its evidence in the text.",
        openapi_url="/api/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.queries = Queries(store)
    app.state.db_name = Path(db_path).name

    @app.middleware("http")
    async def limits(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.method not in {"GET", "HEAD"}:
            response = error_response(request, 405, "read-only: only GET requests are served")
        elif int(request.headers.get("content-length") or 0) > 0:
            response = error_response(request, 413, "requests must not have a body")
        elif len(request.url.query) > MAX_QUERY_STRING or len(request.url.path) > MAX_PATH:
            response = error_response(request, 414, "request URL too long")
        else:
            response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    @app.exception_handler(QueryError)
    async def bad_request(request: Request, exc: QueryError) -> Response:
        return error_response(request, 400, exc.reason)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors: list[Any] = list(exc.errors())
        where = ".".join(str(p) for p in errors[0].get("loc", ())) if errors else "request"
        message = errors[0].get("msg", "invalid") if errors else "invalid request"
        return error_response(request, 400, f"{where}: {message}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}; the API is described at /api/openapi.json"
        elif exc.status_code == 405:
            message = "read-only: only GET requests are served"
        return error_response(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        return error_response(request, 500, f"internal error ({type(exc).__name__})")

    def static(name: str) -> Callable[[], Response]:
        def serve() -> Response:
            return Response(
                assets[name],
                media_type=STATIC_TYPES[name],
                headers={"Cache-Control": "max-age=300"},
            )

        return serve

    for name in STATIC_TYPES:
        app.add_api_route(f"/static/{name}", static(name), include_in_schema=False)

    app.include_router(api_router)
    app.include_router(pages_router)
    return app

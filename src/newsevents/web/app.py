"""The ASGI app: a read-only store, the JSON API, the HTML pages, one error shape, request caps."""

from __future__ import annotations

import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..config import get_settings
from ..errors import QueryError, StoreError
from ..store import Stats, Store
from ..store_queries import Queries
from .api import router as api_router
from .cache import CachedAnswer, ResponseCache
from .pages import error_page
from .pages import router as pages_router

if TYPE_CHECKING:  # the watcher (spaCy) is imported only by a server that watches
    from ..watcher import CycleReport, Watcher

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


class ServedQueries(Queries):
    """The server's queries: facts about the whole database (row counts, date range, labels,
    domains) are read once per data version: the file cannot change while the server holds it
    open (DuckDB's file lock keeps every other process out), and the only writer is the
    server's own watcher (``serve --watch``), whose every commit bumps ``store.version``. Every
    other query runs per request, on its own cursor, so requests are answered concurrently."""

    def __init__(self, store: Store) -> None:
        """Wrap the server's store."""
        super().__init__(store)
        self._facts: dict[str, Any] = {}
        self._version = store.version
        self._lock = threading.Lock()

    def _once(self, name: str, read: Callable[[], Any]) -> Any:
        with self._lock:
            if self._version != self.store.version:  # the watcher committed: read them again
                self._facts.clear()
                self._version = self.store.version
            if name not in self._facts:
                self._facts[name] = read()
            return self._facts[name]

    def stats(self) -> Stats:
        """Return the store's statistics (read once)."""
        stats: Stats = self._once("stats", super().stats)
        return stats

    def labels(self) -> list[str]:
        """Return the entity labels present in the store (read once)."""
        return list(self._once("labels", super().labels))

    def domains(self) -> list[str]:
        """Return the source domains present in the store (read once)."""
        return list(self._once("domains", super().domains))


def open_store(db_path: str | Path, *, writable: bool = False) -> Store:
    """Open the database read-only (``writable``: for the server's own watcher, created if
    missing), with file access from SQL switched off, after reading every table in full: a
    damaged file is refused here rather than answered with errors later."""
    path = Path(db_path)
    if not writable and not path.is_file():
        raise StoreError(f"no database at {path}; create one with `newsevents process`")
    store = Store(path, read_only=not writable)
    try:
        store.verify()
        store.con.execute("SET enable_external_access = false")
        store.con.execute("SET lock_configuration = true")
    except BaseException:
        store.close()
        raise
    return store


def _has_body(request: Request) -> bool:
    """Whether the request announces a body: a Content-Length above 0, or any Transfer-Encoding
    (chunked), which has no length to check."""
    length = request.headers.get("content-length") or "0"
    return "transfer-encoding" in request.headers or not length.isdigit() or int(length) > 0


def error_response(request: Request, status: int, message: str) -> Response:
    """Return the error as JSON under /api/ and as an HTML page elsewhere."""
    if request.url.path.startswith("/api"):
        return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)
    return error_page(request, status, message)


def _static_assets() -> dict[str, bytes]:
    folder = resources.files("newsevents").joinpath("web", "static")
    return {name: folder.joinpath(name).read_bytes() for name in STATIC_TYPES}


def create_app(
    db_path: str | Path,
    *,
    watch: Sequence[str] = (),
    every: float | None = None,
    on_cycle: Callable[[CycleReport], None] | None = None,
) -> FastAPI:
    """Return the web app over the DuckDB file at ``db_path``: opened read-only, or, with
    ``watch`` (feed URLs or paths), read-write, its watcher polling them every ``every`` seconds
    in a thread of this process (see "Serving while feeds are watched" in the README)."""
    store = open_store(db_path, writable=bool(watch))
    assets = _static_assets()  # read once: no request reads a file
    settings = get_settings()
    watcher: Watcher | None = None
    if watch:
        from ..watcher import Watcher

        watcher = Watcher(watch, store, settings)
    stop = threading.Event()

    def watching() -> None:
        assert watcher is not None
        try:
            watcher.run(every or settings.watch_interval, stop=stop, on_cycle=on_cycle)
        except BaseException as exc:  # reported; the server goes on serving what is stored
            app.state.watch_error = exc
            print(f"newsevents: watching stopped: {exc}", file=sys.stderr)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        thread = threading.Thread(target=watching, name="newsevents-watch", daemon=True)
        if watcher is not None:
            thread.start()
        yield
        stop.set()  # the watcher stops between two batches: each is one transaction
        if thread.is_alive():
            thread.join(timeout=settings.http_timeout + settings.max_seconds_per_document)
        if not thread.is_alive():
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
    app.state.watcher = watcher
    app.state.watch_error = None
    app.state.queries = ServedQueries(store)
    app.state.db_name = Path(db_path).name

    answers = ResponseCache(settings.web_cache_entries, settings.web_cache_max_bytes)

    @app.middleware("http")
    async def cached(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Answer a GET again from the cache while the data has not changed (web/cache.py)."""
        if request.method != "GET" or not answers.enabled:
            return await call_next(request)
        version, path, query = store.version, request.url.path, request.url.query
        hit = answers.get(version, path, query)
        if hit is not None:
            return Response(content=hit.body, status_code=hit.status, headers=dict(hit.headers))
        response = await call_next(request)
        if response.status_code != 200:
            return response
        body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        headers = tuple((k, v) for k, v in response.headers.items() if k != "content-length")
        answers.put(version, path, query, CachedAnswer(response.status_code, headers, body))
        return Response(content=body, status_code=response.status_code, headers=dict(headers))

    @app.middleware("http")
    async def limits(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if request.method not in {"GET", "HEAD"}:
            response = error_response(request, 405, "read-only: only GET requests are served")
        elif _has_body(request):
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

    @app.exception_handler(StoreError)
    async def store_failed(request: Request, exc: StoreError) -> Response:
        name = request.app.state.db_name  # not the server's paths: the operator has them
        return error_response(
            request,
            503,
            f"the database {name} cannot be read ({exc.code}); the server's operator can run "
            f"`newsevents check --db {name}` to find out why",
        )

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

"""The FastAPI app: API routes, the static web UI, JSON errors and security headers.

>>> app = create_app("news.duckdb")                                       # doctest: +SKIP
>>> import uvicorn; uvicorn.run(app, host="127.0.0.1", port=8000)        # doctest: +SKIP
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from newsledger.serve.api import Forbidden, NotFound, build_router
from newsledger.serve.exports import ExportNotFound, Exports
from newsledger.serve.db import Database, LedgerBusy, QueryTooCostly
from newsledger.serve.queries import BadRequest
from newsledger.store import LedgerError

STATIC = Path(__file__).resolve().parent / "static"
log = logging.getLogger("newsledger.serve")

# No inline scripts or styles, nothing from other origins, never framed.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def create_app(db_path: str | Path, read_only: bool = True, token: str | None = None,
               ingest: bool = False, *, allowed_hosts: list[str] | None = None,
               query_timeout: float = 10.0, max_upload: int = 5_000_000,
               export_rows: int = 100_000, reopen: bool = False, busy_wait: float = 2.0,
               extractor: Any = None) -> FastAPI:
    """The web app over the ledger at ``db_path``.

    Read-only unless a ``token`` is configured: ``ingest=True`` (uploads from the UI) needs
    one and opens the ledger for writing. ``allowed_hosts`` (the CLI passes the bound host and
    localhost names) rejects other Host headers, against DNS rebinding. Queries running longer
    than ``query_timeout`` seconds are stopped; exports hold at most ``export_rows`` rows.
    ``reopen`` opens the ledger per request, so an ingest from another process can run
    between requests; a request waits up to ``busy_wait`` seconds for a write to finish
    (see ``newsledger.serve.db``).
    """
    if ingest and not token:
        raise ValueError("ingest from the web needs a token (--token or NEWSLEDGER_TOKEN)")
    if not read_only and not token:
        raise ValueError("a writable server needs a token (--token or NEWSLEDGER_TOKEN)")
    if reopen and (ingest or not read_only):
        raise ValueError("reopen is for read-only servers (not with ingest)")
    db = Database(str(db_path), read_only=read_only and not ingest, timeout=query_timeout,
                  reopen=reopen, busy_wait=busy_wait)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.exports.close()
        db.close()

    app = FastAPI(title="newsledger", version="1", lifespan=lifespan,
                  description="Search the events, quotes and articles of a newsledger ledger.",
                  docs_url=None, redoc_url=None,  # their pages load scripts from a CDN
                  openapi_url="/api/openapi.json")
    app.state.db = db
    app.state.token = token
    app.state.ingest = ingest
    app.state.max_upload = max_upload
    app.state.extractor = extractor
    app.state.exports = Exports(max_rows=export_rows)
    app.include_router(build_router())
    _errors(app)
    _headers(app)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")

    return app


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _errors(app: FastAPI) -> None:
    """Every error is JSON ``{"error": message}`` with the right status, never a traceback."""

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p not in ("query", "path",
                                                                           "header", "body"))
            problems.append(f"{where}: {e.get('msg', 'invalid')}")
        return _error(400, "; ".join(problems) or "invalid request", details=problems)

    @app.exception_handler(BadRequest)
    async def bad(request: Request, exc: BadRequest) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(NotFound)
    @app.exception_handler(ExportNotFound)
    async def missing(request: Request, exc: LookupError) -> JSONResponse:
        return _error(404, str(exc))

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        response = _error(exc.status, str(exc))
        if headers:
            response.headers.update(headers)
        return response

    @app.exception_handler(QueryTooCostly)
    async def costly(request: Request, exc: QueryTooCostly) -> JSONResponse:
        return _error(503, str(exc))

    @app.exception_handler(LedgerBusy)
    async def busy(request: Request, exc: LedgerBusy) -> JSONResponse:
        response = _error(503, str(exc))
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(LedgerError)
    async def ledger(request: Request, exc: LedgerError) -> JSONResponse:
        return _error(400, str(exc))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return _error(500, "internal error (the server log has the details)")


def _headers(app: FastAPI) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        with request.app.state.db.request():  # reopen mode: this request's connection
            response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.url.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

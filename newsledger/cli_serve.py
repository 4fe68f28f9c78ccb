"""``newsledger serve``: the web app and HTTP API (``newsledger.serve``) under uvicorn.

Registered on the main Typer app by ``newsledger.cli`` with ``register(app)``.
"""
from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Optional

import typer

LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]


def allowed_hosts(host: str) -> list[str]:
    """Host headers the server answers to: the bound host and, on loopback, localhost names.

    A browser page on another site that points its own domain name at 127.0.0.1 (DNS
    rebinding) sends its domain as Host and is refused. Binding all interfaces turns the
    check off (the Host is then whatever name clients use).
    """
    if host in ("0.0.0.0", "::", ""):
        return ["*"]
    return sorted({host, *LOOPBACK_NAMES} if _loopback(host) else {host})


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def run_server(db: Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None,
               allow_ingest: bool = False, timeout: float = 10.0, reopen: bool = False) -> None:
    """Build the app and run it with uvicorn (blocks until interrupted)."""
    import uvicorn

    from newsledger.serve import create_app
    app = create_app(db, read_only=not allow_ingest, token=token, ingest=allow_ingest,
                     allowed_hosts=allowed_hosts(host),
                     query_timeout=timeout, reopen=reopen)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the main CLI."""

    @app.command()
    def serve(
        db: Annotated[Path, typer.Option("--db", help="Ledger file (DuckDB).",
                                         envvar="NEWSLEDGER_DB")] = Path("newsledger.duckdb"),
        host: Annotated[str, typer.Option(help="Address to bind; the default only accepts "
                                               "connections from this machine.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=0, max=65535, help="Port.")] = 8000,
        allow_ingest: Annotated[bool, typer.Option(
            "--allow-ingest", help="Let the web UI upload and ingest articles (needs a token; "
                                   "opens the ledger for writing).")] = False,
        token: Annotated[Optional[str], typer.Option(
            envvar="NEWSLEDGER_TOKEN", show_default=False,
            help="Secret for uploads (sent as 'Authorization: Bearer TOKEN').")] = None,
        timeout: Annotated[float, typer.Option(min=0.1, help="Seconds a query may run before "
                                                              "it is stopped.")] = 10.0,
        reopen: Annotated[bool, typer.Option(
            "--reopen", help="Open the ledger for each request and close it after, so "
                             "`newsledger ingest` can write between requests (requests during "
                             "an ingest get a 503).")] = False,
    ) -> None:
        """Serve the web app and HTTP API over a ledger (read-only unless --allow-ingest).

        Open http://127.0.0.1:8000/ in a browser; the API is described at /api/openapi.json.
        """
        from newsledger.cli import err, fail
        if allow_ingest and not token:
            fail("--allow-ingest needs a token: --token or NEWSLEDGER_TOKEN")
        if allow_ingest and reopen:
            fail("--reopen is for read-only servers: drop --allow-ingest or --reopen")
        if not db.exists():
            fail(f"no ledger at {db}: ingest something first (newsledger ingest FILES --db {db})")
        if not _loopback(host):
            err.print(f"[yellow]warning:[/] serving on {host}: other machines can read this "
                      "ledger" + ("" if not allow_ingest else " and upload with the token"))
        try:
            run_server(db, host, port, token, allow_ingest, timeout, reopen)
        except Exception as exc:  # noqa: BLE001 - one sentence, as every CLI command
            fail(str(exc))

"""Web security (issue 8): loopback by default, read-only unless a token is configured, token
checks in constant time, parameterised queries, limits on page size, query time and uploads, no
path traversal in downloads, security headers, no inline scripts, Host checks."""
from __future__ import annotations

import hmac
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsledger.model import Extraction
from newsledger.serve import create_app
from newsledger.serve.app import CSP
from newsledger.serve.db import Database, QueryTooCostly

STATIC = Path(__file__).resolve().parents[1] / "newsledger" / "serve" / "static"




class StubExtractor:
    """Stores articles without running spaCy: the upload path is what is tested here."""

    def extract_many(self, articles, batch_size=64):
        for a in articles:
            yield Extraction(id=a.id, published=a.published, text=a.text, title=a.title)


@pytest.fixture()
def writable(demo_db, tmp_path):
    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, path)
    return path


# ------------------------------------------------------------------------------ binding

def test_cli_binds_loopback_by_default(monkeypatch, demo_db):
    import typer

    from newsledger import cli_serve
    calls = []
    monkeypatch.setattr(cli_serve, "run_server", lambda *a, **k: calls.append(a))
    app = typer.Typer()
    app.command()(lambda: None)  # a second command keeps `serve` a subcommand
    cli_serve.register(app)
    result = CliRunner().invoke(app, ["serve", "--db", str(demo_db)])
    assert result.exit_code == 0, result.output
    db, host, port, token, allow_ingest, _, reopen = calls[0]
    assert (host, port, token, allow_ingest, reopen) == ("127.0.0.1", 8000, None, False, False)
    result = CliRunner().invoke(app, ["serve", "--db", str(demo_db), "--allow-ingest"],
                                env={"NEWSLEDGER_TOKEN": ""})
    assert result.exit_code != 0 and "token" in result.output


def test_allowed_hosts_follow_the_bound_address():
    from newsledger.cli_serve import allowed_hosts
    assert set(allowed_hosts("127.0.0.1")) >= {"127.0.0.1", "localhost"}
    assert allowed_hosts("10.0.0.5") == ["10.0.0.5"]
    assert allowed_hosts("0.0.0.0") == ["*"]


def test_foreign_host_header_is_refused(demo_db):
    app = create_app(demo_db, allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1") as c:
        assert c.get("/api/health").status_code == 200
        assert c.get("/api/health", headers={"Host": "evil.example"}).status_code == 400


# ---------------------------------------------------------------------------- read-only

def test_server_is_read_only_without_a_token(client, demo_db):
    db = client.app.state.db
    assert db.read_only and db.ledger.read_only
    with pytest.raises(duckdb.Error):
        db.query("DELETE FROM events")
    r = client.post("/api/ingest", content=b'{"id": "x", "text": "t", "published": "2025-01-01"}')
    assert r.status_code == 403 and "disabled" in r.json()["error"]
    for method in ("put", "delete", "patch"):
        assert client.request(method, "/api/events").status_code == 405
    assert client.get("/api/stats").json()["tables"]["articles"] == 26


def test_writable_server_needs_a_token(demo_db):
    with pytest.raises(ValueError, match="token"):
        create_app(demo_db, ingest=True)
    with pytest.raises(ValueError, match="token"):
        create_app(demo_db, read_only=False)


def test_ingest_requires_the_token_compared_in_constant_time(writable, monkeypatch):
    compared = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: compared.append(1) or real(a, b))
    app = create_app(writable, token="s3cret-token", ingest=True, extractor=StubExtractor())
    line = b'{"id": "up-1", "text": "Ministers met in Oslo.", "published": "2025-05-05"}\n'
    with TestClient(app, raise_server_exceptions=False) as c:
        assert c.post("/api/ingest", content=line).status_code == 401
        wrong = c.post("/api/ingest", content=line, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403 and compared
        assert c.get("/api/articles/up-1").status_code == 404
        right = c.post("/api/ingest", content=line,
                       headers={"Authorization": "Bearer s3cret-token"})
        assert right.status_code == 200, right.text
        assert right.json()["new"] == 1
        if right.json()["consolidated"] is not None:  # the new report joined the clusters
            assert right.json()["consolidated"]["placed"] == 0  # the stub extracts no events
        assert c.get("/api/articles/up-1").json()["text"] == "Ministers met in Oslo."
        assert c.get("/api/health").json()["ingest"] is True


def test_upload_size_is_limited(writable):
    app = create_app(writable, token="t", ingest=True, max_upload=1000,
                     extractor=StubExtractor())
    with TestClient(app, raise_server_exceptions=False) as c:
        r = c.post("/api/ingest", content=b"x" * 5000, headers={"Authorization": "Bearer t"})
        assert r.status_code == 413 and "too large" in r.json()["error"]


# ------------------------------------------------------------------------ query limits

def test_page_size_is_capped(client):
    assert client.get("/api/events", params={"limit": 500}).status_code == 200
    for url in ("/api/events", "/api/quotes", "/api/articles", "/api/consolidated",
                "/api/stories"):
        r = client.get(url, params={"limit": 501})
        assert r.status_code == 400 and "limit" in r.json()["error"], url


def test_slow_queries_are_stopped(demo_db):
    db = Database(str(demo_db), timeout=0.2)
    try:
        with pytest.raises(QueryTooCostly, match="longer than"):
            db.query("SELECT count(*) FROM range(1000000000000) a")
        assert db.value("SELECT count(*) FROM articles") == 26  # still usable afterwards
    finally:
        db.close()


def test_slow_query_is_a_503_with_a_message(demo_db, monkeypatch):
    app = create_app(demo_db)

    def slow(*args, **kwargs):
        raise QueryTooCostly("the query took longer than 10 s and was stopped")

    with TestClient(app, raise_server_exceptions=False) as c:
        monkeypatch.setattr(app.state.db, "query", slow)
        r = c.get("/api/events")
        assert r.status_code == 503 and "stopped" in r.json()["error"]


def test_queries_are_parameterised(client):
    # hostile filter values come back as empty results, and the ledger is unchanged
    before = client.get("/api/stats").json()
    for payload in ("'; DROP TABLE events; --", "x' OR '1'='1", "\\'; SELECT 1; --"):
        for name in ("actor", "text", "country", "place", "outlet", "story", "article_id"):
            r = client.get("/api/events", params={name: payload})
            assert r.status_code == 200 and r.json()["total"] == 0, (name, payload)
    assert client.get("/api/stats").json() == before
    source = (Path(__file__).resolve().parents[1] / "newsledger" / "serve").glob("*.py")
    for path in source:  # no user value is formatted into SQL: no f-string around a parameter
        text = path.read_text()
        assert not re.search(r"f\"[^\"]*(SELECT|WHERE)[^\"]*\{(actor|text|place|outlet|value)\}",
                             text), path


def test_concurrent_requests_use_separate_cursors(client):
    errors = []

    def hit():
        for _ in range(5):
            r = client.get("/api/events/facets", params={"country": "KGZ"})
            if r.status_code != 200:
                errors.append(r.text)

    threads = [threading.Thread(target=hit) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


# ----------------------------------------------------------------------- path traversal

@pytest.mark.parametrize("path", [
    "/api/exports/..%2F..%2F..%2Fetc%2Fpasswd", "/api/exports/%2Fetc%2Fpasswd",
    "/api/exports/....//....//etc/passwd", "/api/exports/..", "/api/exports/%00",
    "/api/exports/0123456789abcdef0123456789abcdeg",
])
def test_export_downloads_cannot_traverse(client, path):
    r = client.get(path)
    assert r.status_code in (404, 400) and "root:" not in r.text


def test_exports_are_files_in_a_private_temp_dir_served_by_id(client):
    made = client.post("/api/exports", params={"format": "json"}).json()
    assert re.fullmatch(r"[0-9a-f]{32}", made["id"])
    exports = client.app.state.exports
    item = exports.items[made["id"]]
    assert Path(item["path"]).parent == exports.dir
    assert client.get(f"/api/exports/{made['id']}").status_code == 200
    # the file name is not an id: asking for it by name fails
    assert client.get(f"/api/exports/{Path(item['path']).name}").status_code == 404


@pytest.mark.parametrize("path", ["/static/../app.py", "/static/..%2Fapp.py",
                                  "/static/%2e%2e/app.py", "/static//etc/passwd"])
def test_static_files_cannot_traverse(client, path):
    r = client.get(path)
    assert r.status_code == 404 and "create_app" not in r.text


# ----------------------------------------------------------------------------- headers

@pytest.mark.parametrize("path", ["/", "/api/events", "/static/js/main.js", "/api/nothing",
                                  "/api/events?limit=9999", "/api/openapi.json"])
def test_security_headers_on_every_response(client, path):
    r = client.get(path)
    h = r.headers
    csp = h["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "no-referrer"
    assert CSP == csp


def test_api_responses_are_not_cached_and_docs_need_no_cdn(client):
    assert client.get("/api/events").headers["cache-control"] == "no-store"
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN
    assert client.get("/api/openapi.json").json()["info"]["title"] == "newsledger"


def test_pages_have_no_inline_scripts_or_styles():
    html = (STATIC / "index.html").read_text()
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html)  # no inline script bodies
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
    for js in (STATIC / "js").glob("*.js"):
        text = js.read_text()
        # DOM built from text nodes only: ledger text can never become markup
        assert not re.search(r"\.(inner|outer)HTML\b|insertAdjacentHTML|document\.write", text), js
        assert "eval(" not in text and "new Function" not in text, js
        urls = re.findall(r"[\"'`](https?://[^\"'`]*)", text)  # in code, not comments
        assert set(urls) <= {"http://www.w3.org/2000/svg"}, (js, urls)  # no CDN, no calls out


def test_errors_never_leak_internals(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail /home/user")

    monkeypatch.setattr(client.app.state.db, "query", broken)
    r = client.get("/api/events")
    assert r.status_code == 500 and "secret" not in r.text and r.json()["error"]


def test_reopen_mode_lets_another_process_write_between_requests(writable):
    """With reopen, the server holds the file only during requests: a writer (an ingest in
    another process) can take it; requests meanwhile get a clear 503, and work again after."""
    app = create_app(writable, reopen=True, busy_wait=0.3)
    with TestClient(app, raise_server_exceptions=False) as c:
        before = c.get("/api/events", params={"limit": 1}).json()["total"]
        writer = subprocess.Popen(
            [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
             "c.execute(\"DELETE FROM events WHERE type = 'ASSAULT'\"); print('ok', flush=True); "
             "time.sleep(3)", str(writable)], stdout=subprocess.PIPE, text=True)
        try:
            assert writer.stdout.readline().strip() == "ok"  # the writer holds the file now
            busy = c.get("/api/events")
            assert busy.status_code == 503 and "being written" in busy.json()["error"]
            assert busy.headers["retry-after"]
        finally:
            writer.wait(timeout=20)
        after = c.get("/api/events", params={"limit": 1}).json()["total"]
        assert 0 < after < before  # the write landed and the server sees it
    with pytest.raises(ValueError, match="read-only"):
        create_app(writable, reopen=True, token="t", ingest=True)

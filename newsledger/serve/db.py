"""The app's access to the ledger: one cursor per query, every query under a time limit.

DuckDB lets threads of one process share a connection if each uses its own cursor; the
FastAPI thread pool runs each request on some thread, so each query takes a fresh cursor.
A query that runs longer than ``timeout`` seconds is interrupted (``cursor.interrupt()`` from
a timer) and reported as :class:`QueryTooCostly`, which the API turns into a 503.

Two ways to hold the file:

- default: one read-only connection for the app's lifetime (fastest; but while the server
  runs, no other process can write the ledger: DuckDB allows one writing process and no
  readers beside it);
- ``reopen=True``: a read-only connection per request, closed when the request ends, so
  ``newsledger ingest`` can take the file between requests (it lets go of the file while it
  extracts, so queries interleave with its batches); a request arriving while a batch is being
  written waits up to ``busy_wait`` seconds, then gets :class:`LedgerBusy` (a 503).
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Iterator

import duckdb

from newsledger.store import Ledger, LedgerError


class QueryTooCostly(Exception):
    """A query hit the time limit; the message says what to do about it."""


class LedgerBusy(Exception):
    """The ledger file is held by a writer (an ingest); the message says so."""


class _RequestConnection:
    """The connection of one request in ``reopen`` mode, opened on first use."""

    def __init__(self) -> None:
        self.con: duckdb.DuckDBPyConnection | None = None
        self.lock = threading.Lock()

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None


_REQUEST: ContextVar[_RequestConnection | None] = ContextVar("newsledger_request", default=None)


class Database:
    """The ledger the app serves. ``query`` returns a list of dicts (column -> value)."""

    def __init__(self, path: str, read_only: bool = True, timeout: float = 10.0,
                 memory_limit: str = "2GB", reopen: bool = False, busy_wait: float = 2.0):
        if reopen and not read_only:
            raise ValueError("reopen is for read-only servers")
        self.path = path
        self.read_only = read_only
        self.timeout = timeout
        self.reopen = reopen
        self.busy_wait = busy_wait
        self.memory_limit = _memory(memory_limit)
        self.ledger = Ledger(path, read_only=read_only)  # checks the file and its schema
        self._configure(self.ledger.con)
        if reopen:  # only a check: requests open their own connections
            self.ledger.close()
        self.write_lock = threading.Lock()
        self._consolidated: bool | None = None

    def _configure(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"SET memory_limit = '{self.memory_limit}'")
        con.execute("SET enable_progress_bar = false")  # no bars in server logs

    @property
    def consolidated(self) -> bool:
        """Whether the ledger has the consolidation tables (checked once; writes reset it)."""
        if self._consolidated is None or self.reopen:  # another process may consolidate
            self._consolidated = self.value(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                "AND table_name IN ('clusters', 'cluster_members')") == 2
        return self._consolidated

    def changed(self) -> None:
        self._consolidated = None

    def close(self) -> None:
        if not self.reopen:
            self.ledger.close()

    # ---------------------------------------------------------------------- connections
    @contextmanager
    def request(self) -> Iterator[None]:
        """The scope of one HTTP request (a no-op unless ``reopen``)."""
        if not self.reopen:
            yield
            return
        holder = _RequestConnection()
        token = _REQUEST.set(holder)
        try:
            yield
        finally:
            _REQUEST.reset(token)
            holder.close()

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        if not self.reopen:
            cursor = self.ledger.con.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
            return
        holder = _REQUEST.get()
        if holder is None:  # outside a request (tests, scripts): a connection for this call
            con = self._open()
            try:
                yield con
            finally:
                con.close()
            return
        with holder.lock:
            if holder.con is None:
                holder.con = self._open()
        cursor = holder.con.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def _open(self) -> duckdb.DuckDBPyConnection:
        try:
            con = Ledger(self.path, read_only=True, wait=self.busy_wait).con
        except LedgerError as exc:
            if "lock" in str(exc) or "another mode" in str(exc):
                raise LedgerBusy("the ledger is being written (an ingest?); try again when it "
                                 "finishes") from None
            raise
        self._configure(con)
        return con

    # -------------------------------------------------------------------------- queries
    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        with self._cursor() as cursor, self._limit(cursor):
            result = cursor.execute(sql, params or [])
            columns = [d[0] for d in result.description]
            return [dict(zip(columns, row)) for row in result.fetchall()]

    def run(self, fn: Any) -> Any:
        """``fn(view)`` with ``view`` a read-only :class:`Ledger` on a fresh cursor, under the
        time limit: for library functions that take a ledger (analysis, export, explain)."""
        with self._cursor() as cursor, self._limit(cursor):
            view = Ledger.__new__(Ledger)  # not opened again: it borrows this cursor
            view.path, view.read_only, view.con = self.path, True, cursor
            return fn(view)

    def value(self, sql: str, params: list[Any] | None = None) -> Any:
        rows = self.query(sql, params)
        return next(iter(rows[0].values())) if rows else None

    @contextmanager
    def _limit(self, cursor: duckdb.DuckDBPyConnection) -> Iterator[None]:
        timer = threading.Timer(self.timeout, cursor.interrupt)
        timer.start()
        try:
            yield
        except duckdb.InterruptException:
            raise QueryTooCostly(f"the query took longer than {self.timeout:g} s and was "
                                 "stopped; narrow the filters (dates, actors, type)") from None
        finally:
            timer.cancel()


def _memory(value: str) -> str:
    # the setting is spliced into SQL (SET takes no parameters), so only digits and a unit pass
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]?i?B", value.strip(), re.IGNORECASE):
        raise ValueError(f"memory_limit: not a size like 2GB: {value!r}")
    return value.strip()

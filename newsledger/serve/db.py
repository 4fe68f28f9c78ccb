"""One DuckDB connection per app, one cursor per query, every query under a time limit.

DuckDB lets threads of one process share a connection if each uses its own cursor; the
FastAPI thread pool runs each request on some thread, so each query takes a fresh cursor.
A query that runs longer than ``timeout`` seconds is interrupted (``cursor.interrupt()`` from
a timer) and reported as :class:`QueryTooCostly`, which the API turns into a 503.
"""
from __future__ import annotations

import re
import threading
from typing import Any

import duckdb

from newsledger.store import Ledger


class QueryTooCostly(Exception):
    """A query hit the time limit; the message says what to do about it."""


class Database:
    """The ledger the app serves. ``query`` returns a list of dicts (column -> value)."""

    def __init__(self, path: str, read_only: bool = True, timeout: float = 10.0,
                 memory_limit: str = "2GB"):
        self.ledger = Ledger(path, read_only=read_only)  # checks the file and its schema
        self.path = path
        self.read_only = read_only
        self.timeout = timeout
        self.ledger.con.execute(f"SET memory_limit = '{_memory(memory_limit)}'")
        self.ledger.con.execute("SET enable_progress_bar = false")  # no bars in server logs
        self.write_lock = threading.Lock()
        self._consolidated: bool | None = None

    @property
    def consolidated(self) -> bool:
        """Whether the ledger has the consolidation tables (checked once; writes reset it)."""
        if self._consolidated is None:
            self._consolidated = self.value(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'main' "
                "AND table_name IN ('clusters', 'cluster_members')") == 2
        return self._consolidated

    def changed(self) -> None:
        self._consolidated = None

    def close(self) -> None:
        self.ledger.close()

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        cursor = self.ledger.con.cursor()
        timer = threading.Timer(self.timeout, cursor.interrupt)
        timer.start()
        try:
            result = cursor.execute(sql, params or [])
            columns = [d[0] for d in result.description]
            return [dict(zip(columns, row)) for row in result.fetchall()]
        except duckdb.InterruptException:
            raise QueryTooCostly(f"the query took longer than {self.timeout:g} s and was "
                                 "stopped; narrow the filters (dates, actors, type)") from None
        finally:
            timer.cancel()
            cursor.close()

    def run(self, fn: Any) -> Any:
        """``fn(view)`` with ``view`` a read-only :class:`Ledger` on a fresh cursor, under the
        time limit: for library functions that take a ledger (analysis, export, explain)."""
        cursor = self.ledger.con.cursor()
        view = Ledger.__new__(Ledger)  # not opened again: it borrows this cursor
        view.path, view.read_only, view.con = self.path, True, cursor
        timer = threading.Timer(self.timeout, cursor.interrupt)
        timer.start()
        try:
            return fn(view)
        except duckdb.InterruptException:
            raise QueryTooCostly(f"the request took longer than {self.timeout:g} s and was "
                                 "stopped; narrow the filters (dates, actors, type)") from None
        finally:
            timer.cancel()
            cursor.close()

    def value(self, sql: str, params: list[Any] | None = None) -> Any:
        rows = self.query(sql, params)
        return next(iter(rows[0].values())) if rows else None


def _memory(value: str) -> str:
    # the setting is spliced into SQL (SET takes no parameters), so only digits and a unit pass
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]?i?B", value.strip(), re.IGNORECASE):
        raise ValueError(f"memory_limit: not a size like 2GB: {value!r}")
    return value.strip()

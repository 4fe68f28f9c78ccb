"""The ledger: an embedded DuckDB file holding articles and everything extracted from them.

One table per kind of record (``articles``, ``events``, ``quotes``, ``dates``, ``entities``,
``places``) plus ``failures`` (inputs that could not be read, extracted or stored) and ``runs``
(one row per ingest). Nested model objects are flattened into prefixed columns (``source_name``,
``location_lat``, ``trigger_start`` ...); all offsets are character offsets into
``articles.text``. The table layout is documented in ``docs/store.md``.

Writes happen in batches, one transaction per batch, inserted from Arrow tables, so a killed
ingest leaves only whole batches and a rerun (which skips stored articles) completes it.

>>> from newsledger.model import Article
>>> with Ledger(":memory:") as ledger:                                    # doctest: +SKIP
...     report = ledger.ingest([Article("a1", "Talks began.", dt.date(2025, 5, 5))])
...     ledger.stats()["tables"]["articles"]
1
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from newsledger.model import (
    Actor, Article, Entity, Event, Extraction, Failure, Place, Quote, Span, TimeExpr,
)

STORE_VERSION = 1  # the table layout below; bump it (and migrate) when it changes
DEFAULT_PATH = "newsledger.duckdb"
# Seconds to wait for a ledger another process holds: a reader waits out an ingest's write of one
# batch; an ingest waits longer to get the file back from readers between its batches.
LOCK_WAIT = 10.0
REACQUIRE_WAIT = 120.0

__all__ = ["Ledger", "LedgerError", "IngestReport", "date_range", "DEFAULT_PATH"]


class LedgerError(Exception):
    """A ledger that cannot be opened, written or queried, with a message for people."""


# ------------------------------------------------------------------------------------- schema
# One definition per table: (column, SQL type). It drives the DDL, the Arrow schemas used for
# bulk inserts and the reassembly of model objects.

_ACTOR = [("text", "VARCHAR"), ("name", "VARCHAR"), ("country", "VARCHAR"),
          ("sector", "VARCHAR"), ("kind", "VARCHAR"), ("start", "INTEGER"), ("end", "INTEGER")]
_PLACE = [("text", "VARCHAR"), ("start", "INTEGER"), ("end", "INTEGER"), ("name", "VARCHAR"),
          ("country", "VARCHAR"), ("admin1", "VARCHAR"), ("lat", "DOUBLE"), ("lon", "DOUBLE"),
          ("feature", "VARCHAR"), ("geonameid", "BIGINT"), ("confidence", "DOUBLE")]
_SPAN = [("text", "VARCHAR"), ("start", "INTEGER"), ("end", "INTEGER")]


def _prefixed(prefix: str, columns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(f"{prefix}_{name}", kind) for name, kind in columns]


TABLES: dict[str, list[tuple[str, str]]] = {
    "articles": [
        ("id", "VARCHAR"), ("url", "VARCHAR"), ("source", "VARCHAR"), ("title", "VARCHAR"),
        ("published", "DATE"), ("text", "VARCHAR"), ("meta", "JSON"), ("origin", "VARCHAR"),
        ("ingested_at", "TIMESTAMP"), ("content_hash", "VARCHAR"),
    ],
    "events": [
        ("id", "VARCHAR"), ("article_id", "VARCHAR"), ("seq", "INTEGER"), ("type", "VARCHAR"),
        ("cameo", "VARCHAR"), ("goldstein", "DOUBLE"), ("quad", "INTEGER"), ("mode", "VARCHAR"),
        ("context", "VARCHAR[]"),
        *_prefixed("source", _ACTOR), *_prefixed("target", _ACTOR),
        ("date", "VARCHAR"), ("date_basis", "VARCHAR"), ("date_start", "DATE"),
        ("date_end", "DATE"),
        *_prefixed("location", _PLACE),
        ("dead", "BIGINT"), ("injured", "BIGINT"), ("size", "BIGINT"),
        *_prefixed("trigger", _SPAN), *_prefixed("evidence", _SPAN),
        ("mentions", "JSON"), ("confidence", "DOUBLE"), ("modality", "VARCHAR"),
    ],
    "quotes": [
        ("id", "VARCHAR"), ("article_id", "VARCHAR"), ("seq", "INTEGER"), ("text", "VARCHAR"),
        ("start", "INTEGER"), ("end", "INTEGER"), ("cue", "VARCHAR"),
        *_prefixed("speaker", _ACTOR), ("direct", "BOOLEAN"),
    ],
    "dates": [
        ("article_id", "VARCHAR"), ("seq", "INTEGER"), ("text", "VARCHAR"), ("start", "INTEGER"),
        ("end", "INTEGER"), ("value", "VARCHAR"), ("granularity", "VARCHAR"),
    ],
    "entities": [
        ("article_id", "VARCHAR"), ("seq", "INTEGER"), ("text", "VARCHAR"),
        ("label", "VARCHAR"), ("start", "INTEGER"), ("end", "INTEGER"),
    ],
    "places": [("article_id", "VARCHAR"), ("seq", "INTEGER"), *_PLACE],
    "failures": [
        ("id", "VARCHAR"), ("origin", "VARCHAR"), ("article_id", "VARCHAR"), ("stage", "VARCHAR"),
        ("reason", "VARCHAR"), ("recorded_at", "TIMESTAMP"),
    ],
    "runs": [
        ("id", "INTEGER"), ("started_at", "TIMESTAMP"), ("finished_at", "TIMESTAMP"),
        ("inputs", "JSON"), ("counts", "JSON"),
    ],
}
# Tables whose rows belong to one article: written with it, deleted with it.
CHILD_TABLES = ("events", "quotes", "dates", "entities", "places")
_KEYS = {"articles": "id", "events": "id", "quotes": "id", "failures": "id", "runs": "id"}
_ARROW = {"VARCHAR": pa.string(), "JSON": pa.string(), "INTEGER": pa.int32(),
          "BIGINT": pa.int64(), "DOUBLE": pa.float64(), "DATE": pa.date32(),
          "BOOLEAN": pa.bool_(), "TIMESTAMP": pa.timestamp("us"),
          "VARCHAR[]": pa.list_(pa.string())}


def _q(name: str) -> str:
    """A quoted identifier: ``start``, ``end``, ``type`` and ``date`` are SQL keywords."""
    return '"' + name.replace('"', '""') + '"'


def _ddl(table: str) -> str:
    columns = [f"{_q(name)} {kind}" + (" PRIMARY KEY" if _KEYS.get(table) == name else "")
               for name, kind in TABLES[table]]
    return f"CREATE TABLE IF NOT EXISTS {table} (\n  " + ",\n  ".join(columns) + "\n)"


def _arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(name, _ARROW[kind]) for name, kind in TABLES[table]])


# ------------------------------------------------------------------------------- date ranges

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


def _bounds(value: str) -> tuple[dt.date, dt.date] | None:
    value = value.strip()
    if m := _WEEK.match(value):
        start = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return start, start + dt.timedelta(days=6)
    if m := _MONTH.match(value):
        start = dt.date(int(m[1]), int(m[2]), 1)
        following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return start, following - dt.timedelta(days=1)
    if m := _YEAR.match(value):
        return dt.date(int(m[1]), 1, 1), dt.date(int(m[1]), 12, 31)
    day = dt.date.fromisoformat(value[:10])
    return day, day


def date_range(value: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day a normalised date value covers (None, None if it has no date).

    >>> date_range("2025-05")
    (datetime.date(2025, 5, 1), datetime.date(2025, 5, 31))
    >>> date_range("2025-W19")
    (datetime.date(2025, 5, 5), datetime.date(2025, 5, 11))
    >>> date_range("2025-05-01/2025-05-09")[1]
    datetime.date(2025, 5, 9)
    """
    if not value:
        return None, None
    try:
        first, _, last = value.partition("/")  # an explicit interval "a/b"
        start = _bounds(first)
        end = _bounds(last) if last else start
    except ValueError:
        return None, None
    if start is None or end is None:
        return None, None
    return start[0], end[1]


# ------------------------------------------------------------------------ records <-> rows

def _digest(*parts: object) -> str:
    raw = "\x1f".join(map(str, parts))
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=8).hexdigest()


def _flat(prefix: str, obj: Any, columns: list[tuple[str, str]]) -> dict[str, Any]:
    return {f"{prefix}_{name}": getattr(obj, name, None) if obj is not None else None
            for name, _ in columns}


def _unflat(row: dict[str, Any], prefix: str, cls: type, columns: list[tuple[str, str]]) -> Any:
    # ``text`` is required on Actor, Place and Span: NULL there means "no object"
    if row.get(f"{prefix}_text") is None:
        return None
    return cls(**{name: row[f"{prefix}_{name}"] for name, _ in columns})


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _article_row(ex: Extraction, origin: str, now: dt.datetime) -> dict[str, Any]:
    return {"id": ex.id, "url": ex.url, "source": ex.source, "title": ex.title,
            "published": ex.published, "text": ex.text, "meta": _json(ex.meta or {}),
            "origin": origin, "ingested_at": now,
            "content_hash": hashlib.blake2b(ex.text.encode("utf-8"), digest_size=16).hexdigest()}


def _event_row(article_id: str, seq: int, ev: Event, event_id: str) -> dict[str, Any]:
    start, end = date_range(ev.date)
    return {
        "id": event_id, "article_id": article_id, "seq": seq, "type": ev.type,
        "cameo": ev.cameo, "goldstein": ev.goldstein, "quad": ev.quad, "mode": ev.mode,
        "context": list(ev.context or []),
        **_flat("source", ev.source, _ACTOR), **_flat("target", ev.target, _ACTOR),
        "date": ev.date, "date_basis": ev.date_basis, "date_start": start, "date_end": end,
        **_flat("location", ev.location, _PLACE),
        "dead": ev.dead, "injured": ev.injured, "size": ev.size,
        **_flat("trigger", ev.trigger, _SPAN), **_flat("evidence", ev.evidence, _SPAN),
        "mentions": _json([{"text": m.text, "start": m.start, "end": m.end}
                           for m in ev.mentions or []]),
        "confidence": ev.confidence, "modality": ev.modality,
    }


def _records(ex: Extraction, table: str) -> list[Any]:
    """The records of ``ex`` that go into ``table`` (quotes hold attributions too). Candidate
    events, whose doer could not be placed, are not records of who did what: never stored."""
    if table == "events":
        return [e for e in ex.events if not e.candidate]
    return ex.quotes + ex.attributions if table == "quotes" else getattr(ex, table)


def _quote_row(article_id: str, seq: int, q: Quote, quote_id: str) -> dict[str, Any]:
    return {"id": quote_id, "article_id": article_id, "seq": seq, "text": q.text,
            "start": q.start, "end": q.end, "cue": q.cue, **_flat("speaker", q.speaker, _ACTOR),
            "direct": q.direct}


def _plain_row(article_id: str, seq: int, obj: Any, table: str) -> dict[str, Any]:
    row = {"article_id": article_id, "seq": seq}
    row.update({name: getattr(obj, name) for name, _ in TABLES[table][2:]})
    return row


def _event(row: dict[str, Any]) -> Event:
    return Event(
        id=row["id"], type=row["type"], cameo=row["cameo"], goldstein=row["goldstein"],
        quad=row["quad"], mode=row["mode"], context=list(row["context"] or []),
        source=_unflat(row, "source", Actor, _ACTOR), target=_unflat(row, "target", Actor, _ACTOR),
        date=row["date"], date_basis=row["date_basis"],
        location=_unflat(row, "location", Place, _PLACE),
        dead=row["dead"], injured=row["injured"], size=row["size"],
        trigger=_unflat(row, "trigger", Span, _SPAN),
        evidence=_unflat(row, "evidence", Span, _SPAN),
        mentions=[Span(**m) for m in json.loads(row["mentions"] or "[]")],
        confidence=row["confidence"], modality=row["modality"],
    )


def _quote(row: dict[str, Any]) -> Quote:
    return Quote(text=row["text"], start=row["start"], end=row["end"], cue=row["cue"],
                 speaker=_unflat(row, "speaker", Actor, _ACTOR), direct=row["direct"])


def _fields(row: dict[str, Any], cls: type, table: str) -> Any:
    return cls(**{name: row[name] for name, _ in TABLES[table][2:]})


def _article(row: dict[str, Any]) -> Article:
    return Article(id=row["id"], text=row["text"], published=row["published"],
                   title=row["title"] or "", url=row["url"] or "", source=row["source"] or "",
                   meta=json.loads(row["meta"] or "{}"), origin=row["origin"] or "")


def _failure_key(f: Failure) -> str:
    # The same input failing the same way on every rerun is one row, not one per run.
    return _digest("failure", f.origin, f.article_id or "", f.reason)


# ------------------------------------------------------------------------------- reporting

@dataclass
class IngestReport:
    """What one ``ingest`` (or ``add``) did.

    ``read``: articles read (stored, skipped or failed in extraction); ``new``: articles stored;
    ``skipped_existing``: already in the ledger (or repeated in the input); ``failed``: read,
    extract and store failures (the first ``MAX_KEPT`` of them are in ``failures``);
    ``events`` / ``quotes``: rows stored; ``rate``: articles read per second.
    """

    MAX_KEPT = 1000

    read: int = 0
    new: int = 0
    skipped_existing: int = 0
    failed: int = 0
    events: int = 0
    quotes: int = 0
    elapsed: float = 0.0
    run_id: int | None = None
    interrupted: bool = False
    failures: list[Failure] = field(default_factory=list, repr=False)

    @property
    def rate(self) -> float:
        return self.read / self.elapsed if self.elapsed > 0 else 0.0

    def note_failures(self, failures: list[Failure]) -> None:
        self.failed += len(failures)
        self.failures.extend(failures[:max(self.MAX_KEPT - len(self.failures), 0)])

    def counts(self) -> dict[str, Any]:
        return {"read": self.read, "new": self.new, "skipped_existing": self.skipped_existing,
                "failed": self.failed, "events": self.events, "quotes": self.quotes,
                "elapsed": round(self.elapsed, 3), "interrupted": self.interrupted}


# ---------------------------------------------------------------------------- query builder

class _Where:
    """WHERE clauses with their parameters; user values only ever travel as parameters."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        return " WHERE " + " AND ".join(f"({c})" for c in self.clauses) if self.clauses else ""


def _like(value: str) -> str:
    """An ILIKE pattern matching ``value`` anywhere, with its wildcards taken literally."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _actor_clause(where: _Where, prefixes: Sequence[str], value: str) -> None:
    """Match an actor by code (exact, any case) or by name / mention text (contains)."""
    parts, params = [], []
    for p in prefixes:
        parts.append(f"upper({p}_country) = upper(?) OR {p}_name ILIKE ? ESCAPE '\\' "
                     f"OR {p}_text ILIKE ? ESCAPE '\\'")
        params += [value, _like(value), _like(value)]
    where.add(" OR ".join(parts), *params)


def _as_date(value: dt.date | str | None, name: str, last: bool = False) -> dt.date | None:
    """A date from a date or a string; ``"2025-05"`` is May 1 (or May 31 when ``last``)."""
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    start, end = date_range(str(value))
    if start is None or end is None:
        raise LedgerError(f"{name}: not a date: {value!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    return end if last else start


def _as_list(value: Any) -> list[Any]:
    return [value] if isinstance(value, str | int) else list(value)


_ORDERS = {
    "date": "date_start DESC NULLS LAST, article_id, seq",  # newest first
    "newest": "date_start DESC NULLS LAST, article_id, seq",
    "oldest": "date_start ASC NULLS LAST, article_id, seq",
    "confidence": "confidence DESC NULLS LAST, article_id, seq",
    "article": "article_id, seq",
}


# ------------------------------------------------------------------------------------ ledger

class Ledger:
    """A newsledger database file.

    ``Ledger(path)`` opens (creating on first use) a ledger for reading and writing; only one
    process may hold it that way. ``Ledger(path, read_only=True)`` opens it for queries; several
    processes may do that at once, but not while a writer holds it. ``":memory:"`` gives a
    throwaway in-memory ledger.

    >>> with Ledger("news.duckdb", read_only=True) as ledger:               # doctest: +SKIP
    ...     ledger.events(country="IND", since="2025-05-01", limit=10)
    """

    def __init__(self, path: str | Path = DEFAULT_PATH, read_only: bool = False,
                 wait: float = LOCK_WAIT):
        self.path = str(path)
        self.read_only = read_only
        self.con = _connect(self.path, read_only, wait)
        try:
            self._prepare_schema()
        except BaseException:
            self.con.close()
            raise

    # -------------------------------------------------------------------- lifecycle
    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def __repr__(self) -> str:
        return f"Ledger({self.path!r}, read_only={self.read_only})"

    def _prepare_schema(self) -> None:
        tables = {r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
        ).fetchall()}
        if "schema_version" not in tables:
            if tables:
                raise LedgerError(f"{self.path} is a DuckDB database but not a newsledger ledger "
                                  f"(it has tables {', '.join(sorted(tables)[:5])} and no "
                                  "schema_version)")
            if self.read_only:
                raise LedgerError(f"{self.path} is an empty DuckDB database, not a ledger yet: "
                                  "ingest something into it first")
            self._create_schema()
            return
        version = self.con.execute("SELECT max(version) FROM schema_version").fetchall()[0][0]
        if version is None or version > STORE_VERSION:
            raise LedgerError(f"{self.path} has ledger schema version {version}; this newsledger "
                              f"reads version {STORE_VERSION}: upgrade newsledger")
        if not self.read_only:
            self._create_schema()  # IF NOT EXISTS: adds tables a crash may have left out

    def _create_schema(self) -> None:
        self.con.execute("BEGIN")
        try:
            self.con.execute("CREATE TABLE IF NOT EXISTS schema_version "
                             "(version INTEGER, applied_at TIMESTAMP)")
            for table in TABLES:
                self.con.execute(_ddl(table))
            self.con.execute("CREATE SEQUENCE IF NOT EXISTS run_ids START 1")
            if not self.con.execute("SELECT count(*) FROM schema_version").fetchall()[0][0]:
                self.con.execute("INSERT INTO schema_version VALUES (?, ?)",
                                 [STORE_VERSION, _now()])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def _writable(self) -> None:
        if self.read_only:
            raise LedgerError(f"ledger {self.path} is open read-only; open it with "
                              "read_only=False to write")

    # ------------------------------------------------------------------------ ingest
    def ingest(self, inputs: Iterable[str | Path | Article] | str | Path, *,
               published: dt.date | str | None = None, batch_size: int = 64,
               progress: Callable[[int, int | None], None] | None = None,
               extractor: Any = None) -> IngestReport:
        """Read, extract and store articles; already stored ones are skipped before extraction.

        ``inputs``: paths (files, directories, ``-``; read with :func:`newsledger.read.read`)
        and/or :class:`Article` objects. ``published`` dates the inputs that carry no date.
        Each batch of ``batch_size`` inputs is stored in one transaction. ``progress(done,
        total)`` is called after each batch (``total`` is None when unknown).
        """
        self._writable()
        if batch_size < 1:
            raise LedgerError(f"batch_size must be at least 1 (got {batch_size})")
        extractor = _LazyExtractor(extractor)  # a rerun with nothing new never loads spaCy
        if isinstance(inputs, str | Path | Article):
            inputs = [inputs]
        total = len(inputs) if isinstance(inputs, Sequence) and all(
            isinstance(i, Article) for i in inputs) else None
        report = IngestReport()
        started = time.monotonic()
        lock = self._ingest_lock()
        done, seen = 0, set()
        try:
            report.run_id = self._start_run(inputs)
            for batch in _batched(_items(inputs, published), batch_size):
                self._ingest_batch(batch, extractor, seen, report)
                done += len(batch)
                report.elapsed = time.monotonic() - started
                if progress:
                    progress(done, total)
        except duckdb.Error as exc:
            report.interrupted = True
            if _disk_trouble(exc):  # e.g. the run log's first row on a full disk
                raise LedgerError(_write_message(self.path, exc)) from exc
            raise
        except BaseException:
            report.interrupted = True
            raise
        finally:
            report.elapsed = time.monotonic() - started
            self._finish_run(report)
            if lock is not None:
                lock.close()  # releases the flock
        return report

    def _ingest_batch(self, batch: list[Article | Failure], extractor: Any, seen: set[str],
                      report: IngestReport) -> None:
        articles = [a for a in batch if isinstance(a, Article)]
        failures = [f for f in batch if isinstance(f, Failure)]
        report.read += len(articles)
        fresh = []
        for a in articles:  # an id repeated within this run counts as already stored
            if a.id not in seen:
                seen.add(a.id)
                fresh.append(a)
        stored = self._stored_ids([a.id for a in fresh])
        new = [a for a in fresh if a.id not in stored]
        report.skipped_existing += len(articles) - len(new)
        origins = {a.id: a.origin for a in new}
        extractions = []
        with self._released() if new else nullcontext():  # readers may query meanwhile
            for result in extractor.extract_many(new, batch_size=max(len(new), 1)) if new else ():
                (failures if isinstance(result, Failure) else extractions).append(result)
        # another process (``add``) may have stored some of them meanwhile
        stored = self._stored_ids([ex.id for ex in extractions])
        report.skipped_existing += len(stored)
        extractions = [ex for ex in extractions if ex.id not in stored]
        self._store(extractions, failures, origins, report)

    def _released(self) -> Any:
        """While extracting, let go of the file so other processes can query the ledger
        (DuckDB lets no other process open a file held for writing, not even read-only).

        Only in the main thread: an ingest in another thread (a server's upload) shares this
        connection with threads that hold cursors on it, so it keeps it.
        """
        if self.path == ":memory:" or self.read_only \
                or threading.current_thread() is not threading.main_thread():
            return nullcontext()

        @contextmanager
        def released() -> Iterator[None]:
            self.con.close()
            try:
                yield
            finally:
                self.con = _connect(self.path, False, REACQUIRE_WAIT)
        return released()

    def _ingest_lock(self) -> Any:
        """An exclusive lock on ``<ledger>.ingest.lock`` for the whole ingest (None for an
        in-memory ledger): two ingests into one ledger would extract the same articles twice, so
        the second is refused at once, naming the first one's PID."""
        if self.path == ":memory:":
            return None
        try:
            import fcntl
        except ImportError:  # no flock (Windows): DuckDB's own lock still keeps writes apart
            return None
        try:
            handle = open(f"{self.path}.ingest.lock", "a+")
        except OSError:  # a read-only folder: DuckDB's own lock still keeps writes apart
            return None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "?"
            handle.close()
            raise LedgerError(f"ledger {self.path} is busy: another ingest is writing to it "
                              f"(PID {holder}); wait for it to finish, then retry") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        return handle

    # --------------------------------------------------------------------------- add
    def add(self, records: Iterable[Extraction | Failure], *, replace: bool = False,
            batch_size: int = 256, origins: dict[str, str] | None = None) -> IngestReport:
        """Store already extracted records (import, the Spark engine), batch by batch.

        Records whose article id is already stored are skipped, unless ``replace`` is set: then
        the stored article and everything extracted from it are replaced in the same
        transaction. ``origins`` maps article ids to where they were read, for provenance.
        """
        self._writable()
        report = IngestReport()
        started = time.monotonic()
        for batch in _batched(records, batch_size):
            extractions = [r for r in batch if isinstance(r, Extraction)]
            failures = [r for r in batch if isinstance(r, Failure)]
            report.read += len(extractions)
            unique = list({ex.id: ex for ex in extractions}.values())  # last copy wins
            if not replace:
                stored = self._stored_ids([ex.id for ex in unique])
                unique = [ex for ex in unique if ex.id not in stored]
            report.skipped_existing += len(extractions) - len(unique)
            self._store(unique, failures, origins or {}, report, replace=replace)
        report.elapsed = time.monotonic() - started
        return report

    def delete(self, article_ids: Iterable[str]) -> int:
        """Remove articles and everything extracted from them, in one transaction.

        Returns how many articles were removed.
        """
        self._writable()
        ids = list(article_ids)
        with self._transaction():
            self._register("_ids", pa.table({"id": pa.array(ids, pa.string())}))
            try:
                n = self.con.execute("SELECT count(*) FROM articles "
                                     "WHERE id IN (SELECT id FROM _ids)").fetchall()[0][0]
                self._delete_registered()
            finally:
                self.con.unregister("_ids")
        return n

    # ------------------------------------------------------------------------ writing
    def _store(self, extractions: list[Extraction], failures: list[Failure],
               origins: dict[str, str], report: IngestReport, replace: bool = False) -> None:
        """Write one batch in one transaction; if it fails, retry article by article."""
        if not extractions and not failures:
            return
        try:
            counts = self._write(extractions, failures, origins, replace)
        except Exception as exc:  # a record the tables cannot take: find it, record it, go on
            if _disk_trouble(exc):
                raise LedgerError(_write_message(self.path, exc)) from exc  # not one record: stop
            if len(extractions) <= 1:
                failures = failures + [Failure(origins.get(ex.id, "") or ex.id,
                                               f"could not store: {exc}", ex.id, stage="store")
                                       for ex in extractions]
                extractions = []
                counts = self._write([], failures, origins, replace)
            else:
                for ex in extractions:
                    self._store([ex], [], origins, report, replace)
                self._store([], failures, origins, report, replace)
                return
        report.new += counts["articles"]
        report.events += counts["events"]
        report.quotes += counts["quotes"]
        report.note_failures(failures)

    def _write(self, extractions: list[Extraction], failures: list[Failure],
               origins: dict[str, str], replace: bool) -> dict[str, int]:
        now = _now()
        rows = self._rows(extractions, origins, now)
        with self._transaction():
            ids = pa.table({"id": pa.array([ex.id for ex in extractions], pa.string()),
                            "origin": pa.array([origins.get(ex.id) or None
                                                for ex in extractions], pa.string())})
            self._register("_ids", ids)
            try:
                if replace:
                    self._delete_registered()
                for table in ("articles", *CHILD_TABLES):
                    self._insert(table, rows[table])
                # a stored article settles earlier failures of the same input
                self.con.execute("DELETE FROM failures WHERE article_id IN (SELECT id FROM _ids) "
                                 "OR origin IN (SELECT origin FROM _ids WHERE origin <> '')")
            finally:
                self.con.unregister("_ids")
            self._insert_failures(failures, now)
        return {table: len(r) for table, r in rows.items()}

    def _rows(self, extractions: list[Extraction], origins: dict[str, str],
              now: dt.datetime) -> dict[str, list[dict[str, Any]]]:
        rows: dict[str, list[dict[str, Any]]] = {t: [] for t in ("articles", *CHILD_TABLES)}
        event_ids = self._unique_ids(extractions, "events", lambda ex, i, ev: ev.id or _digest(
            ex.id, "event", ev.type, i))
        quote_ids = self._unique_ids(extractions, "quotes", lambda ex, i, q: _digest(
            ex.id, "quote", q.start, q.end))
        for ex in extractions:
            rows["articles"].append(_article_row(ex, origins.get(ex.id, ""), now))
            for i, ev in enumerate(_records(ex, "events")):
                rows["events"].append(_event_row(ex.id, i, ev, event_ids[ex.id, i]))
            # Indirect attributions share the quotes table, told apart by `direct`.
            for i, q in enumerate(ex.quotes + ex.attributions):
                rows["quotes"].append(_quote_row(ex.id, i, q, quote_ids[ex.id, i]))
            for table, items in (("dates", ex.dates), ("entities", ex.entities),
                                 ("places", ex.places)):
                rows[table] += [_plain_row(ex.id, i, x, table) for i, x in enumerate(items)]
        return rows

    def _unique_ids(self, extractions: list[Extraction], table: str,
                    make: Callable[[Extraction, int, Any], str]) -> dict[tuple[str, int], str]:
        """Ids for an article's events or quotes, unique across the ledger.

        Extractor ids include the article id, so clashes are rare: an event repeated within an
        article, or hand-made ids ("e1") reused across articles. A clashing record gets a new id
        derived from its article, position and old id, so reruns assign the same ones.
        """
        wanted = {(ex.id, i): make(ex, i, x) for ex in extractions
                  for i, x in enumerate(_records(ex, table))}
        owners = self._id_owners(table, list(set(wanted.values())))
        taken: set[str] = set()
        result = {}
        for (article_id, i), value in wanted.items():
            owner = owners.get(value)
            if value in taken or (owner is not None and owner != article_id):
                value = _digest(article_id, table, i, value)
            taken.add(value)
            result[article_id, i] = value
        return result

    def _id_owners(self, table: str, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        rows = self.con.execute(f"SELECT id, article_id FROM {table} "
                                "WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()
        return dict(rows)

    def _insert(self, table: str, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        name = f"_new_{table}"
        self._register(name, pa.Table.from_pylist(rows, schema=_arrow_schema(table)))
        try:
            columns = ", ".join(_q(c) for c, _ in TABLES[table])
            self.con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {name}")
        finally:
            self.con.unregister(name)

    def _insert_failures(self, failures: list[Failure], now: dt.datetime) -> None:
        unique = {_failure_key(f): f for f in failures}
        rows = [{"id": key, "origin": f.origin, "article_id": f.article_id, "stage": f.stage,
                 "reason": f.reason, "recorded_at": now} for key, f in unique.items()]
        if not rows:
            return
        self._register("_new_failures", pa.Table.from_pylist(rows,
                                                             schema=_arrow_schema("failures")))
        try:
            self.con.execute("INSERT INTO failures SELECT * FROM _new_failures ON CONFLICT (id) "
                             "DO UPDATE SET recorded_at = excluded.recorded_at, "
                             "stage = excluded.stage")
        finally:
            self.con.unregister("_new_failures")

    def _delete_registered(self) -> None:
        """Delete the articles listed in the registered ``_ids`` view, with their children."""
        for table in CHILD_TABLES:
            self.con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT id FROM _ids)")
        self.con.execute("DELETE FROM articles WHERE id IN (SELECT id FROM _ids)")

    def _register(self, name: str, table: pa.Table) -> None:
        self.con.register(name, table)

    def _transaction(self) -> _Transaction:
        return _Transaction(self.con)

    def _stored_ids(self, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        rows = self.con.execute("SELECT id FROM articles WHERE id IN "
                                "(SELECT unnest(?::VARCHAR[]))", [ids]).fetchall()
        return {r[0] for r in rows}

    def _start_run(self, inputs: Any) -> int:
        described = ([str(i) for i in inputs if not isinstance(i, Article)]
                     if isinstance(inputs, Sequence) else [])
        n_articles = (sum(isinstance(i, Article) for i in inputs)
                      if isinstance(inputs, Sequence) else None)
        if n_articles:
            described.append(f"<{n_articles} Article objects>")
        elif not isinstance(inputs, Sequence):
            described.append(f"<{type(inputs).__name__}>")
        return self.con.execute(
            "INSERT INTO runs (id, started_at, inputs) VALUES (nextval('run_ids'), ?, ?) "
            "RETURNING id", [_now(), _json(described)]).fetchall()[0][0]

    def _finish_run(self, report: IngestReport) -> None:
        try:
            self.con.execute("UPDATE runs SET finished_at = ?, counts = ? WHERE id = ?",
                             [_now(), _json(report.counts()), report.run_id])
        except duckdb.Error:  # e.g. the connection died with the interrupt; the run stays open
            pass

    # ------------------------------------------------------------------------ queries
    def events(self, *, actor: str | None = None, country: str | None = None,
               source: str | None = None, target: str | None = None,
               type: str | Iterable[str] | None = None, quad: int | Iterable[int] | None = None,
               since: dt.date | str | None = None, until: dt.date | str | None = None,
               text: str | None = None, article_id: str | None = None,
               min_confidence: float | None = None, limit: int | None = None,
               order: str = "date") -> list[Event]:
        """Stored events matching every filter given (see :meth:`events_table` for columns).

        ``actor``: source or target, by code (``IND``) or name (``Modi``, any case, contained);
        ``country``: source, target or location country code; ``source`` / ``target``: that side
        only, like ``actor``; ``type``: PLOVER type(s); ``quad``: quad class(es);
        ``since`` / ``until``: events whose date interval overlaps [since, until] (events without
        a date are left out); ``text``: words in the trigger or evidence sentence;
        ``order``: ``date`` (newest first), ``oldest``, ``confidence`` or ``article``.
        """
        table = self.events_table(actor=actor, country=country, source=source, target=target,
                                  type=type, quad=quad, since=since, until=until, text=text,
                                  article_id=article_id, min_confidence=min_confidence,
                                  limit=limit, order=order)
        return [_event(r) for r in table.to_pylist()]

    def events_table(self, **filters: Any) -> pa.Table:
        """The same filters as :meth:`events`, as a ``pyarrow.Table`` with one row per event."""
        sql, params = _events_query(**filters)
        return self._query(sql, params)

    def events_frame(self, **filters: Any) -> Any:
        """The same filters as :meth:`events`, as a pandas DataFrame."""
        return self.events_table(**filters).to_pandas()

    def quotes(self, *, speaker: str | None = None, country: str | None = None,
               text: str | None = None, article_id: str | None = None,
               limit: int | None = None, direct: bool | None = True) -> list[Quote]:
        """Stored quotations: ``speaker`` name or code (contained, any case), speaker
        ``country`` code, words in the quotation ``text``; ``direct=False`` gives the indirect
        attributions ("X denied that ..."), ``None`` both."""
        table = self.quotes_table(speaker=speaker, country=country, text=text,
                                  article_id=article_id, limit=limit, direct=direct)
        return [_quote(r) for r in table.to_pylist()]

    def quotes_table(self, *, speaker: str | None = None, country: str | None = None,
                     text: str | None = None, article_id: str | None = None,
                     limit: int | None = None, direct: bool | None = True) -> pa.Table:
        """``direct=True`` (default): quotations; False: indirect attributions; None: both."""
        where = _Where()
        if direct is not None:
            where.add("direct = ?", direct)
        if speaker:
            _actor_clause(where, ["speaker"], speaker)
        if country:
            where.add("upper(speaker_country) = upper(?)", country)
        if text:
            where.add("text ILIKE ? ESCAPE '\\'", _like(text))
        if article_id:
            where.add("article_id = ?", article_id)
        return self._select("quotes", where, "article_id, seq", limit)

    def quotes_frame(self, **filters: Any) -> Any:
        return self.quotes_table(**filters).to_pandas()

    def places_table(self, *, country: str | None = None, name: str | None = None,
                     feature: str | None = None, limit: int | None = None) -> pa.Table:
        """Geocoded places, one row per (name, country): how often they are mentioned, in how
        many articles, and how many events are located there; most mentioned first.

        ``country`` (ISO3, any case), ``name`` (contained in the place's name or the text as
        written), ``feature`` (country, admin1, region, city)."""
        where = _Where()
        where.add("p.name IS NOT NULL")
        if country:
            where.add("upper(p.country) = upper(?)", country)
        if name:
            where.add("p.name ILIKE ? ESCAPE '\\' OR p.text ILIKE ? ESCAPE '\\'",
                      _like(name), _like(name))
        if feature:
            where.add("p.feature = ?", feature)
        sql = f"""
            WITH located AS (
                SELECT location_name AS name, location_country AS country, count(*) AS events
                FROM events WHERE location_name IS NOT NULL GROUP BY ALL)
            SELECT p.name, p.country, any_value(p.admin1) AS admin1,
                   any_value(p.feature) AS feature, any_value(p.lat) AS lat,
                   any_value(p.lon) AS lon, count(*) AS mentions,
                   count(DISTINCT p.article_id) AS articles,
                   coalesce(any_value(l.events), 0) AS events
            FROM places p LEFT JOIN located l
              ON l.name = p.name AND l.country IS NOT DISTINCT FROM p.country
            {where.sql()}
            GROUP BY p.name, p.country ORDER BY mentions DESC, p.name"""
        params = list(where.params)
        if limit is not None:
            sql += " LIMIT ?"
            params.append(_limit(limit))
        return self._query(sql, params)

    def articles(self, *, source: str | None = None, since: dt.date | str | None = None,
                 until: dt.date | str | None = None, text: str | None = None,
                 limit: int | None = None) -> list[Article]:
        """Stored articles: ``source`` (outlet, exact, any case), publication date between
        ``since`` and ``until``, ``text`` in the title or body; oldest first."""
        table = self.articles_table(source=source, since=since, until=until, text=text,
                                    limit=limit)
        return [_article(r) for r in table.to_pylist()]

    def articles_table(self, *, source: str | None = None, since: dt.date | str | None = None,
                       until: dt.date | str | None = None, text: str | None = None,
                       limit: int | None = None) -> pa.Table:
        where = _Where()
        if source:
            where.add("lower(source) = lower(?)", source)
        if since is not None:
            where.add("published >= ?", _as_date(since, "since"))
        if until is not None:
            where.add("published <= ?", _as_date(until, "until", last=True))
        if text:
            where.add("title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\'",
                      _like(text), _like(text))
        return self._select("articles", where, "published NULLS LAST, id", limit)

    def articles_frame(self, **filters: Any) -> Any:
        return self.articles_table(**filters).to_pandas()

    def article(self, article_id: str) -> Extraction | None:
        """Everything stored for one article, reassembled as the Extraction it came from."""
        found = self._query("SELECT * FROM articles WHERE id = ?", [article_id]).to_pylist()
        if not found:
            return None
        art = _article(found[0])
        children = {t: self._query(f"SELECT * FROM {t} WHERE article_id = ? ORDER BY seq",
                                   [article_id]).to_pylist() for t in CHILD_TABLES}
        return Extraction(
            id=art.id, published=art.published, text=art.text, title=art.title, url=art.url,
            source=art.source, meta=art.meta,
            events=[_event(r) for r in children["events"]],
            quotes=[_quote(r) for r in children["quotes"] if r["direct"]],
            attributions=[_quote(r) for r in children["quotes"] if not r["direct"]],
            dates=[_fields(r, TimeExpr, "dates") for r in children["dates"]],
            entities=[_fields(r, Entity, "entities") for r in children["entities"]],
            places=[_fields(r, Place, "places") for r in children["places"]],
        )

    def failures(self, *, stage: str | None = None, limit: int | None = None) -> list[Failure]:
        """Recorded failures, newest first."""
        where = _Where()
        if stage:
            where.add("stage = ?", stage)
        rows = self._select("failures", where, "recorded_at DESC, origin", limit).to_pylist()
        return [Failure(r["origin"], r["reason"], r["article_id"], r["stage"]) for r in rows]

    def stats(self) -> dict[str, Any]:
        """Row counts per table, events per type and quad class, failures per stage."""
        def grouped(sql: str) -> dict[Any, int]:
            return {k: n for k, n in self.con.execute(sql).fetchall()}

        counts = {t: self.con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                  for t in TABLES}
        span = self.con.execute("SELECT min(published), max(published) FROM articles"
                                ).fetchall()[0]
        return {
            "path": self.path, "schema_version": STORE_VERSION, "tables": counts,
            "event_types": grouped("SELECT type, count(*) FROM events GROUP BY type "
                                   "ORDER BY count(*) DESC, type"),
            "quads": grouped("SELECT quad, count(*) FROM events GROUP BY quad ORDER BY quad"),
            "failures_by_stage": grouped("SELECT stage, count(*) FROM failures GROUP BY stage "
                                         "ORDER BY stage"),
            "published": {"first": span[0], "last": span[1]},
        }

    def sql(self, query: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pa.Table:
        """Run any SQL (``?`` or ``$name`` parameters) and get a pyarrow.Table back.

        On a read-only ledger, statements that write are refused.
        """
        return self._query(query, params)

    # ------------------------------------------------------------------------ helpers
    def _select(self, table: str, where: _Where, order: str, limit: int | None) -> pa.Table:
        columns = "* EXCLUDE (seq)" if any(c == "seq" for c, _ in TABLES[table]) else "*"
        sql = f"SELECT {columns} FROM {table}{where.sql()} ORDER BY {order}"
        params = list(where.params)
        if limit is not None:
            sql += " LIMIT ?"
            params.append(_limit(limit))
        return self._query(sql, params)

    # Results are always read to the end (fetchall, never fetchone): DuckDB refuses new work on
    # a connection that still has a half-read result.
    def _query(self, sql: str, params: Any = None) -> pa.Table:
        try:
            result = self.con.sql(sql, params=params or None)
            return result.to_arrow_table() if result is not None else pa.table({})
        except duckdb.Error as exc:
            message = str(exc)
            if "read-only" in message:
                raise LedgerError(f"ledger {self.path} is open read-only: {message}") from exc
            raise LedgerError(message) from exc


def _events_query(*, actor: str | None = None, country: str | None = None,
                  source: str | None = None, target: str | None = None,
                  type: str | Iterable[str] | None = None,
                  quad: int | Iterable[int] | None = None,
                  since: dt.date | str | None = None, until: dt.date | str | None = None,
                  text: str | None = None, article_id: str | None = None,
                  min_confidence: float | None = None, limit: int | None = None,
                  order: str = "date") -> tuple[str, list[Any]]:
    where = _Where()
    if actor:
        _actor_clause(where, ["source", "target"], actor)
    if country:
        where.add("upper(source_country) = upper(?) OR upper(target_country) = upper(?) "
                  "OR upper(location_country) = upper(?)", country, country, country)
    if source:
        _actor_clause(where, ["source"], source)
    if target:
        _actor_clause(where, ["target"], target)
    if type:
        where.add("upper(type) IN (SELECT upper(unnest(?::VARCHAR[])))",
                  [str(t) for t in _as_list(type)])
    if quad is not None:
        where.add("quad IN (SELECT unnest(?::INTEGER[]))", [int(q) for q in _as_list(quad)])
    if since is not None:
        where.add("date_end >= ?", _as_date(since, "since"))
    if until is not None:
        where.add("date_start <= ?", _as_date(until, "until", last=True))
    if text:
        where.add("evidence_text ILIKE ? ESCAPE '\\' OR trigger_text ILIKE ? ESCAPE '\\'",
                  _like(text), _like(text))
    if article_id:
        where.add("article_id = ?", article_id)
    if min_confidence is not None:
        where.add("confidence >= ?", float(min_confidence))
    if order not in _ORDERS:
        raise LedgerError(f"order must be one of {', '.join(_ORDERS)} (got {order!r})")
    sql = f"SELECT * EXCLUDE (seq) FROM events{where.sql()} ORDER BY {_ORDERS[order]}"
    params = list(where.params)
    if limit is not None:
        sql += " LIMIT ?"
        params.append(_limit(limit))
    return sql, params


def _limit(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise LedgerError(f"limit must be a non-negative whole number (got {value!r})")
    return value


class _Transaction:
    """BEGIN ... COMMIT, or ROLLBACK on any error (the batch is then all or nothing)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def __enter__(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def __exit__(self, kind: Any, *rest: Any) -> None:
        if kind is None:
            self.con.execute("COMMIT")
            return
        try:
            self.con.execute("ROLLBACK")
        except duckdb.Error:  # already aborted (a failed statement): keep the first error
            pass


# ------------------------------------------------------------------------------- opening

_PID = re.compile(r"PID (\d+)")
_LOCK = re.compile(r"\block\b", re.IGNORECASE)  # "could not set lock", not "block at 8192"


def _connect(path: str, read_only: bool, wait: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Open ``path``; while another process holds it, retry for up to ``wait`` seconds."""
    if path != ":memory:":
        _check_path(Path(path), read_only)
    deadline = time.monotonic() + wait
    pause = 0.02
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.Error as exc:
            left = deadline - time.monotonic()
            if not _LOCK.search(str(exc)) or left <= 0:
                raise LedgerError(_open_message(path, str(exc), wait)) from exc
            time.sleep(min(pause, left))
            pause = min(pause * 2, 0.25)


def _check_path(path: Path, read_only: bool) -> None:
    if path.is_dir():
        raise LedgerError(f"{path} is a directory, not a ledger file (try {path / DEFAULT_PATH})")
    if not path.exists():
        if read_only:
            raise LedgerError(f"no ledger at {path}: ingest something first")
        parent = path.parent if str(path.parent) else Path(".")
        if parent.exists() and not parent.is_dir():
            raise LedgerError(f"cannot create ledger {path}: {parent} is not a directory")
        if not parent.is_dir():
            raise LedgerError(f"cannot create ledger {path}: directory {parent} does not exist")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise LedgerError(f"cannot create ledger {path}: directory {parent} is not writable")
        return
    if path.stat().st_size == 0 and not read_only:
        _remove_placeholder(path)
        return
    if not read_only and not os.access(path, os.W_OK):
        raise LedgerError(f"ledger {path} is not writable; open it read-only to query it")
    folder = path.parent if str(path.parent) else Path(".")
    if not read_only and not os.access(folder, os.W_OK | os.X_OK):
        raise LedgerError(f"ledger {path} cannot be written: its directory {folder} is not "
                          "writable (DuckDB keeps a write-ahead log beside the file); open it "
                          "read-only to query it")


def _remove_placeholder(path: Path) -> None:
    """Remove an empty file (``touch``, ``mktemp``) so a fresh ledger can be made there.

    Another process may be creating a ledger at this very path (the file is empty for a moment,
    under DuckDB's lock): only remove the file if nobody holds a lock on it.
    """
    try:
        import fcntl
    except ImportError:  # no POSIX locks (Windows): let DuckDB refuse the file instead
        return
    with open(path, "rb+") as handle:
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise LedgerError(_open_message(str(path), "lock held")) from None
        if os.fstat(handle.fileno()).st_size == 0:
            path.unlink()


_DISK_TROUBLE = ("No space left on device", "Read-only file system", "Permission denied",
                 "Could not write file", "Failed to commit", "Disk quota exceeded")


def _disk_trouble(exc: Exception) -> bool:
    """Whether a write failed for the disk or the database (stop), not for one record."""
    if isinstance(exc, duckdb.IOException | duckdb.FatalException):
        return True
    return isinstance(exc, duckdb.Error) and any(s in str(exc) for s in _DISK_TROUBLE)


def _write_message(path: str, exc: Exception) -> str:
    detail = str(exc).splitlines()[0]
    if "No space left" in detail or "quota" in detail:
        cause = "the disk is full"
    elif "Read-only file system" in detail or "Permission denied" in detail:
        cause = "it is not writable"
    else:
        cause = "the database refused the write"
    return (f"cannot write to ledger {path}: {cause} ({detail}); every batch stored before is "
            "kept, fix the cause and rerun the same command to finish")


def _open_message(path: str, message: str, waited: float = 0.0) -> str:
    if _LOCK.search(message):
        pid = _PID.search(message)
        holder = f"PID {pid[1]}; " if pid else ""
        after = f" (waited {waited:g} s)" if waited else ""
        return (f"ledger {path} is locked by another process ({holder}an ingest?){after}; "
                "try again when it finishes")
    if "not a valid DuckDB database" in message:
        return f"{path} is not a ledger: it is not a DuckDB database file"
    if "different configuration" in message:
        return (f"ledger {path} is already open in this process in another mode "
                "(read-only vs read-write); close it first")
    if "Is a directory" in message:
        return f"{path} is a directory, not a ledger file"
    if "Permission denied" in message:
        return f"cannot open ledger {path}: permission denied"
    return f"cannot open ledger {path}: {message}"


# ---------------------------------------------------------------------------------- input

def _items(inputs: Iterable[Any], published: dt.date | str | None
           ) -> Iterator[Article | Failure]:
    """Articles and read failures from a mix of paths and Article objects, in input order."""
    default = _as_date(published, "published") if published is not None else None
    for item in inputs:
        if isinstance(item, Article):
            if item.published is None and default is not None:
                item = dataclasses.replace(item, published=default)  # the caller's stays as is
            yield item
        elif isinstance(item, Failure):
            yield item
        elif isinstance(item, str | Path):
            from newsledger.read import read
            yield from read([item], published=default)
        else:
            yield Failure(repr(item)[:80], f"not a path or Article: {type(item).__name__}",
                          stage="read")


class _LazyExtractor:
    """The given extractor, or the default one loaded on first use."""

    def __init__(self, extractor: Any = None):
        self.extractor = extractor

    def extract_many(self, articles: list[Article], batch_size: int
                     ) -> Iterable[Extraction | Failure]:
        if self.extractor is None:
            from newsledger.extract import get_extractor
            self.extractor = get_extractor()
        return self.extractor.extract_many(articles, batch_size=batch_size)


def _batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)

"""All cores of one machine: N extraction processes, one DuckDB writer.

The main process reads the inputs as a stream, drops articles that are already stored, cuts
the rest into chunks and hands each chunk to an idle worker process. Each worker loads the
pipeline once and sends back ``Extraction`` / ``Failure`` records. The main process puts the
chunks back in input order and stores them with ``Ledger.add`` (one transaction per batch), so
the ledger ends up exactly as a single-process ``Ledger.ingest`` would leave it.

Memory stays bounded whatever the corpus size: the inputs are read lazily and at most
``max_ahead`` chunks are between the reader and the writer at any time (back-pressure).

Ctrl-C (SIGINT) stops feeding the workers; the chunks they hold are finished and stored, then
the run ends with ``report.interrupted`` set. A second Ctrl-C drops the unfinished chunks
(nothing partial is ever committed). Rerunning the same ingest completes the ledger.

A worker process that dies (a segfault in a native library, the OOM killer) does not lose its
chunk: the chunk is retried one article per task, and an article that kills a worker again is
recorded as a failure.

>>> from newsledger.store import Ledger
>>> with Ledger("news.duckdb") as ledger:                                # doctest: +SKIP
...     report = ingest_parallel(ledger, ["news/"], workers=2)
...     print(report.new, f"{report.rate:.1f} articles/s", report.worker_peak_rss_mb)
"""
from __future__ import annotations

import multiprocessing as mp
import os
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from newsledger.engine.worker import peak_rss_mb, rss_mb, worker_main
from newsledger.model import Article, Extraction, Failure
from newsledger.store import IngestReport, Ledger

DEFAULT_CHUNK = 8  # articles per worker task: a quick first result, an even finish
DEPTH = 2  # tasks queued at each worker, so it never waits while the main process writes
# DuckDB's memory limit in the writer during a run. With its default (80 % of RAM) DuckDB keeps
# the blocks it writes cached, and the writer grew with the ledger (20,000 articles: 237 MB
# after 2,000, 342 MB after 20,000); with 128 MiB it stayed at 190-280 MB, no slower.
WRITER_MEMORY = 128 * 2**20

__all__ = ["ingest_parallel", "extract_parallel", "ParallelReport", "EngineError",
           "peak_rss_mb", "DEFAULT_CHUNK"]


class EngineError(RuntimeError):
    """The engine cannot run (e.g. a worker cannot load the model)."""


@dataclass
class ParallelReport(IngestReport):
    """``IngestReport`` plus what the worker pool measured.

    ``worker_peak_rss_mb``: peak resident memory of each worker process (VmHWM), in MB;
    ``writer_peak_rss_mb``: the same for the main (reader + writer) process;
    ``first_result``: seconds from the start to the first extracted chunk;
    ``worker_restarts``: worker processes that died and were replaced;
    ``worker_cpu``: CPU seconds each worker process used (model loading included), as of its
    last answer;
    ``worker_idle``: seconds each worker, once loaded, waited for a task (also while the others
    finished the last tasks of the run);
    ``memory``: ``(inputs done, writer RSS MB, [worker RSS MB ...])`` sampled along the run
    (at most ``MAX_SAMPLES``, evenly thinned), to check that memory stays flat.
    """

    MAX_SAMPLES = 64

    workers: int = 0
    worker_peak_rss_mb: list[float] = field(default_factory=list)
    writer_peak_rss_mb: float = 0.0
    first_result: float | None = None
    worker_restarts: int = 0
    worker_cpu: list[float] = field(default_factory=list)
    worker_idle: list[float] = field(default_factory=list)
    memory: list[tuple[int, float, list[float]]] = field(default_factory=list, repr=False)

    def sample_memory(self, done: int, pids: list[int]) -> None:
        if len(self.memory) >= self.MAX_SAMPLES:
            self.memory = self.memory[::2]
        self.memory.append((done, round(rss_mb(), 1), [round(rss_mb(p), 1) for p in pids]))


# ------------------------------------------------------------------------------- main side

@dataclass
class _Chunk:
    """Consecutive inputs: read failures, skipped articles and articles to extract."""

    no: int
    n_inputs: int
    articles: list[Article]
    read_failures: list[Failure]
    results: list[Extraction | Failure | None] = field(default_factory=list)
    missing: int = 0

    def __post_init__(self) -> None:
        self.results = [None] * len(self.articles)
        self.missing = len(self.articles)


@dataclass
class _Task:
    id: int
    chunk: _Chunk
    indices: list[int]  # positions in chunk.articles


class _Worker:
    def __init__(self, ctx: Any, model: str | None, factory: Callable[[], Any] | None):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=worker_main, args=(child, model, factory),
                                name="newsledger-worker", daemon=True)
        with _sigint_ignored():  # a Ctrl-C while the child starts must not kill it
            self.proc.start()
        child.close()
        self.ready = False
        self.tasks: deque[_Task] = deque()  # sent, in the order the worker runs them
        self.peak_rss = 0.0
        self.cpu = 0.0  # CPU seconds the process has used, as of its last answer
        self.waited = 0.0  # seconds it waited for a task, as of its last answer
        self.answered = 0.0  # time.monotonic() of its last answer

    @property
    def idle(self) -> bool:
        """Ready for one more task."""
        return self.ready and len(self.tasks) < DEPTH

    @property
    def busy(self) -> bool:
        """Loading the model or holding tasks: a message will come."""
        return bool(self.tasks) or not self.ready

    def send(self, task: _Task) -> None:
        self.tasks.append(task)
        try:
            self.conn.send((task.id, [task.chunk.articles[i] for i in task.indices]))
        except OSError:  # it just died: the task stays queued and is retried with the others
            pass

    def ask_to_stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass

    def join(self, timeout: float = 5.0) -> None:
        self.proc.join(timeout)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(timeout)
        self.conn.close()


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT around process creation: a spawned child inherits the ignored signal,
    so Ctrl-C in the terminal (sent to the whole process group) reaches only the main
    process, which stops the run cleanly."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class _StopFlag:
    """First SIGINT: set the flag (finish in-flight chunks). Second: KeyboardInterrupt."""

    def __init__(self) -> None:
        self.set = False
        self.previous: Any = None

    def __enter__(self) -> _StopFlag:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def _handle(self, signum: int, frame: Any) -> None:
        if self.set:
            raise KeyboardInterrupt
        self.set = True

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


def ingest_parallel(ledger: Ledger, inputs: Iterable[str | Path | Article] | str | Path, *,
                    workers: int = 2, published: Any = None, batch_size: int = 64,
                    chunk_size: int = DEFAULT_CHUNK, max_ahead: int | None = None,
                    progress: Callable[[int, int | None], None] | None = None,
                    model: str | None = None, extractor_factory: Callable[[], Any] | None = None,
                    start_method: str = "spawn") -> ParallelReport:
    """``Ledger.ingest`` with extraction spread over ``workers`` processes.

    ``inputs`` and ``published`` are as for ``Ledger.ingest``; ``batch_size`` articles are
    stored per transaction; workers get ``chunk_size`` articles at a time and at most
    ``max_ahead`` chunks (default ``4 * workers``) are in flight or waiting to be written.
    ``progress(done, total)`` is called after each write (``total`` is None unless ``inputs``
    is a list of Articles). ``extractor_factory`` (a picklable, importable callable) replaces
    the default extractor in the workers; ``model`` names the spaCy model otherwise.
    """
    if workers < 1 or batch_size < 1 or chunk_size < 1:
        raise ValueError("workers, batch_size and chunk_size must be at least 1")
    run = _Run(ledger, workers=workers, batch_size=batch_size, chunk_size=chunk_size,
               max_ahead=max_ahead or 4 * workers, progress=progress,
               model=model, factory=extractor_factory,
               ctx=mp.get_context(start_method))
    return run.execute(inputs, published)


def extract_parallel(inputs: Iterable[str | Path | Article] | str | Path,
                     sink: Callable[[list[Extraction | Failure]], None], *, workers: int = 2,
                     published: Any = None, batch_size: int = 64,
                     chunk_size: int = DEFAULT_CHUNK, max_ahead: int | None = None,
                     progress: Callable[[int, int | None], None] | None = None,
                     model: str | None = None,
                     extractor_factory: Callable[[], Any] | None = None,
                     start_method: str = "spawn") -> ParallelReport:
    """Extraction only: the same worker pool, with every batch of records (in input order)
    handed to ``sink`` instead of a ledger. Nothing is skipped as already stored.

    >>> extract_parallel(["news.jsonl"], lambda records: print(len(records)))  # doctest: +SKIP
    """
    run = _Run(None, workers=workers, batch_size=batch_size, chunk_size=chunk_size,
               max_ahead=max_ahead or 4 * workers, progress=progress,
               model=model, factory=extractor_factory,
               ctx=mp.get_context(start_method), sink=sink)
    return run.execute(inputs, published)


class _Run:
    """One parallel ingest: reader, dispatcher, reorder buffer and writer."""

    def __init__(self, ledger: Ledger | None, *, workers: int, batch_size: int,
                 chunk_size: int, max_ahead: int,
                 progress: Callable[[int, int | None], None] | None, model: str | None,
                 factory: Callable[[], Any] | None, ctx: Any,
                 sink: Callable[[list[Extraction | Failure]], None] | None = None):
        self.ledger, self.sink = ledger, sink
        self.n_workers, self.batch_size = workers, batch_size
        self.chunk_size, self.max_ahead, self.progress = chunk_size, max_ahead, progress
        self.model, self.factory, self.ctx = model, factory, ctx
        self.report = ParallelReport(workers=workers)
        self.workers: list[_Worker] = []
        self.retry: deque[_Task] = deque()
        self.waiting: dict[int, _Chunk] = {}  # read, not yet written
        self.next_write = 0
        self.buffer: list[Extraction | Failure] = []
        self.origins: dict[str, str] = {}
        self.buffered_inputs = 0
        self.done = 0
        self.total: int | None = None
        self.task_ids = 0
        self.seen: set[str] = set()
        self.input_done = False  # every input was read (a late Ctrl-C then interrupts nothing)
        self.started = time.monotonic()

    # ------------------------------------------------------------------ driver
    def execute(self, inputs: Any, published: Any) -> ParallelReport:
        from newsledger.store import _items  # the same reading rules as Ledger.ingest
        if self.ledger is not None:
            self.ledger._writable()
        if isinstance(inputs, str | Path | Article):
            inputs = [inputs]
        if isinstance(inputs, list | tuple) and all(isinstance(i, Article) for i in inputs):
            self.total = len(inputs)
        if self.ledger is not None:
            self.report.run_id = self.ledger._start_run(inputs)
        chunks = self._chunks(_items(inputs, published))
        try:
            with _StopFlag() as stop, _bounded_cache(self.ledger):
                self._loop(chunks, stop)
            self.report.interrupted = stop.set and not self.input_done
        except BaseException:
            self.report.interrupted = True
            raise
        finally:
            self._shutdown()
            self.report.elapsed = time.monotonic() - self.started
            self.report.writer_peak_rss_mb = round(peak_rss_mb(), 1)
            if self.ledger is not None:
                self.ledger._finish_run(self.report)
        return self.report

    def _loop(self, chunks: Iterator[_Chunk], stop: _StopFlag) -> None:
        exhausted = False
        while True:
            exhausted = self._feed(chunks, exhausted or stop.set)
            busy = [w for w in self.workers if w.busy]
            if exhausted or stop.set:
                if not busy and not self.retry:
                    break
            if busy:
                self._collect(busy)
        self._flush(force=True)

    def _feed(self, chunks: Iterator[_Chunk], exhausted: bool) -> bool:
        """Give every idle worker a task; read new chunks while the window allows."""
        while True:
            idle = sorted((w for w in self.workers if w.idle), key=lambda w: len(w.tasks))
            if self.retry and idle:
                idle[0].send(self.retry.popleft())
                continue
            if exhausted or self.retry:
                return exhausted
            if self.workers and not idle:
                return False
            if self.workers and self._window_full():
                return False
            chunk = next(chunks, None)
            if chunk is None:
                self.input_done = True
                return True
            self.waiting[chunk.no] = chunk
            if chunk.articles:
                self._start_workers()
                task = _Task(self._new_task_id(), chunk, list(range(len(chunk.articles))))
                idle = sorted((w for w in self.workers if w.idle), key=lambda w: len(w.tasks))
                if idle:
                    idle[0].send(task)
                else:  # workers still loading the model: queue it
                    self.retry.append(task)
            else:
                self._flush()

    def _window_full(self) -> bool:
        in_flight = sum(1 for no in self.waiting if no >= self.next_write)
        return in_flight >= self.max_ahead

    def _new_task_id(self) -> int:
        self.task_ids += 1
        return self.task_ids

    def _start_workers(self) -> None:
        # Lazily: a rerun with nothing new never starts a process or loads the model.
        while len(self.workers) < self.n_workers:
            self.workers.append(_Worker(self.ctx, self.model, self.factory))

    # ------------------------------------------------------------------ reading
    def _chunks(self, items: Iterator[Article | Failure]) -> Iterator[_Chunk]:
        no = 0
        while batch := list(islice(items, self.chunk_size)):
            articles = [a for a in batch if isinstance(a, Article)]
            fresh = []
            for a in articles:  # an id repeated within this run counts as already stored
                if a.id not in self.seen:
                    self.seen.add(a.id)
                    fresh.append(a)
            stored = self._stored([a.id for a in fresh])
            new = [a for a in fresh if a.id not in stored]
            self.report.read += len(articles)
            self.report.skipped_existing += len(articles) - len(new)
            yield _Chunk(no, len(batch), new, [f for f in batch if isinstance(f, Failure)])
            no += 1

    def _stored(self, ids: list[str]) -> set[str]:
        if not ids or self.ledger is None:
            return set()
        table = self.ledger.sql("SELECT id FROM articles WHERE id IN "
                                "(SELECT unnest(?::VARCHAR[]))", [ids])
        return set(table.column("id").to_pylist())

    # ------------------------------------------------------------------ results
    def _collect(self, busy: list[_Worker]) -> None:
        by_handle: dict[Any, _Worker] = {}
        for w in busy:
            by_handle[w.conn] = w
            by_handle[w.proc.sentinel] = w
        ready = wait(list(by_handle), timeout=0.5)
        for w in {id(by_handle[h]): by_handle[h] for h in ready}.values():
            self._receive(w)

    def _receive(self, w: _Worker) -> None:
        try:
            if not w.conn.poll():
                raise EOFError
            message = w.conn.recv()
        except (EOFError, OSError):
            self._worker_died(w)
            return
        if message[0] == "error":
            raise EngineError(f"a worker could not load the extractor:\n{message[1]}")
        if message[0] == "ready":
            w.ready, w.peak_rss = True, message[1]
            return
        _, task_id, results, w.peak_rss, w.cpu, w.waited = message
        w.answered = time.monotonic()
        task = w.tasks.popleft()
        assert task.id == task_id
        self._fill(task, results)

    def _fill(self, task: _Task, results: list[Extraction | Failure]) -> None:
        chunk = task.chunk
        for i, result in zip(task.indices, results):
            chunk.results[i] = result
        chunk.missing -= len(task.indices)
        if self.report.first_result is None:
            self.report.first_result = time.monotonic() - self.started
        self._flush()

    def _worker_died(self, w: _Worker) -> None:
        """Replace the worker; retry its task one article at a time, or record the article."""
        w.proc.join(1)
        code = w.proc.exitcode
        self.workers.remove(w)
        w.conn.close()
        self.report.worker_restarts += 1
        if not w.ready:  # died while loading: a second death there would loop, so stop
            raise EngineError(f"a worker died while loading the model (exit code {code})")
        self.workers.append(_Worker(self.ctx, self.model, self.factory))
        if not w.tasks:
            return
        task, *queued = w.tasks  # it died on the first; the others had not started
        self.retry.extendleft(reversed(queued))
        if len(task.indices) > 1:
            self.retry.extendleft(_Task(self._new_task_id(), task.chunk, [i])
                                  for i in reversed(task.indices))
            return
        article = task.chunk.articles[task.indices[0]]
        reason = f"extraction failed: the worker process died (exit code {code})"
        self._fill(task, [Failure(article.origin, reason, article.id, stage="extract")])

    # ------------------------------------------------------------------ writing
    def _flush(self, force: bool = False) -> None:
        """Move finished chunks, in input order, to the write buffer; write full batches."""
        while (chunk := self.waiting.get(self.next_write)) and chunk.missing == 0:
            del self.waiting[self.next_write]
            self.next_write += 1
            self.buffer.extend(chunk.read_failures)
            for article, result in zip(chunk.articles, chunk.results):
                self.buffer.append(result)
                self.origins[article.id] = article.origin
            self.buffered_inputs += chunk.n_inputs
            if sum(isinstance(r, Extraction) for r in self.buffer) >= self.batch_size:
                self._write()
            elif not chunk.articles:  # skipped inputs still move the progress bar
                self._tick(self.buffered_inputs)
        if force and (self.buffer or self.buffered_inputs):
            self._write()

    def _write(self) -> None:
        if self.buffer and self.sink is not None:
            self.sink(self.buffer)
            self.report.new += sum(isinstance(r, Extraction) for r in self.buffer)
            self.report.failed += sum(isinstance(r, Failure) for r in self.buffer)
        elif self.buffer:
            part = self.ledger.add(self.buffer, batch_size=len(self.buffer),
                                   origins=self.origins)
            self.report.new += part.new
            self.report.events += part.events
            self.report.quotes += part.quotes
            self.report.skipped_existing += part.skipped_existing
            self.report.failed += part.failed
            self.report.failures.extend(part.failures[:max(
                IngestReport.MAX_KEPT - len(self.report.failures), 0)])
        self.done += self.buffered_inputs
        self.buffer, self.origins, self.buffered_inputs = [], {}, 0
        self.report.sample_memory(self.done, [w.proc.pid for w in self.workers if w.proc.pid])
        self._tick(0)

    def _tick(self, pending: int) -> None:
        self.report.elapsed = time.monotonic() - self.started
        if self.progress:
            self.progress(self.done + pending, self.total)

    def _shutdown(self) -> None:
        self.report.worker_peak_rss_mb = [round(w.peak_rss, 1) for w in self.workers]
        self.report.worker_cpu = [round(w.cpu, 2) for w in self.workers]
        last = max((w.answered for w in self.workers), default=0.0)
        self.report.worker_idle = [round(w.waited + (last - w.answered if w.answered else 0), 2)
                                   for w in self.workers]
        for w in self.workers:  # all at once: each takes a moment to exit
            if w.busy:
                w.proc.terminate()  # interrupted for good: its chunk is dropped
            w.ask_to_stop()
        for w in self.workers:
            w.join()
        self.workers = []


@contextmanager
def _bounded_cache(ledger: Ledger | None) -> Iterator[None]:
    """Lower DuckDB's memory limit to ``WRITER_MEMORY`` for the run (never raise it), then
    restore it. An in-memory ledger keeps its limit: its data has nowhere else to go."""
    if ledger is None or ledger.path == ":memory:":
        yield
        return
    before = ledger.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    lowered = _size(before) > WRITER_MEMORY
    if lowered:
        ledger.con.execute(f"SET memory_limit = '{WRITER_MEMORY // 2**20}MiB'")
    try:
        yield
    finally:
        if lowered:
            try:
                _restore_limit(ledger, before)
            except Exception:  # noqa: BLE001 -- e.g. the connection died with the interrupt
                pass


def _restore_limit(ledger: Ledger, before: str) -> None:
    # DuckDB shows the limit rounded ('18.8 GiB'): RESET gives the default back exactly, and
    # a limit someone had set is set again (to within that rounding).
    ledger.con.execute("RESET memory_limit")
    if ledger.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0] != before:
        ledger.con.execute(f"SET memory_limit = '{before}'")


_UNITS = {"": 1, "b": 1, "bytes": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
          "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}


def _size(text: str) -> float:
    """Bytes in a DuckDB size setting ('18.7 GiB', '512MB'); infinite when unreadable.

    >>> _size("1.5 KiB")
    1536.0
    """
    match = re.fullmatch(r"\s*([\d.]+)\s*([a-zA-Z]*)\s*", text or "")
    if not match or match.group(2).lower() not in _UNITS:
        return float("inf")
    return float(match.group(1)) * _UNITS[match.group(2).lower()]


def cpu_count() -> int:
    """Cores this process may use (the affinity mask, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1

"""The worker process of the local engine: load the pipeline once, extract chunks until told
to stop.

Kept apart from ``local`` so a freshly spawned worker imports only what it needs (not DuckDB or
pyarrow); the model is the slow part of starting a worker anyway.
"""
from __future__ import annotations

import os
import resource
import signal
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any


def peak_rss_mb(pid: int | str = "self") -> float:
    """Peak resident memory (VmHWM) of a process in MB; the getrusage figure off Linux."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb(pid: int | str = "self") -> float:
    """Current resident memory (VmRSS) of a process in MB (0.0 where /proc is missing)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def load_extractor(model: str | None, factory: Callable[[], Any] | None) -> Any:
    if factory is not None:
        return factory()
    from newsledger.extract import get_extractor
    return get_extractor(model) if model else get_extractor()


def worker_main(conn: Connection, model: str | None, factory: Callable[[], Any] | None) -> None:
    """Load the extractor, say ``ready``, then answer each ``(task_id, articles)`` with
    ``("done", task_id, results, peak_rss_mb, cpu_seconds, waited_seconds)`` until ``None``
    arrives.

    ``model`` None means the default model (resolved here, so the main process never has to
    import spaCy)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides when to stop
    try:
        extractor = load_extractor(model, factory)
    except BaseException:  # noqa: BLE001 -- reported to the main process, which stops
        conn.send(("error", traceback.format_exc()))
        return
    conn.send(("ready", peak_rss_mb()))
    waited = 0.0  # seconds spent waiting for a task: the pool should keep this near zero
    while True:
        asked = time.monotonic()
        if (task := conn.recv()) is None:
            break
        waited += time.monotonic() - asked
        task_id, articles = task
        results = list(extractor.extract_many(articles, batch_size=max(len(articles), 1)))
        conn.send(("done", task_id, results, peak_rss_mb(), time.process_time(), waited))
    conn.close()
    # Nothing is left to flush (every answer was sent synchronously): skip the interpreter's
    # teardown of the loaded pipeline, which takes about a second per worker.
    os._exit(0)

"""Readers work while an ingest writes; a second ingest into the same ledger is refused.

DuckDB 2.0.1 lets no other process open a file that one process holds for writing, not even
read-only. The policy (docs/reliability.md): an ingest holds the file only while it writes a
batch and lets go of it while it extracts the next; readers that find the file held retry for
``wait`` seconds (default ``LOCK_WAIT``) before a LedgerError that names the holder's PID. An
ingest holds ``<ledger>.ingest.lock`` from start to end, so a second ingest is refused at once.

The writer runs in a child process with a slow stand-in extractor (no spaCy: the tests are about
the store), so the timing is under the test's control.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsledger.model import Article, Extraction
from newsledger.store import Ledger, LedgerError

REPO = Path(__file__).resolve().parents[1]
BATCH = 5
N = 30

CHILD = r"""
import datetime as dt, json, sys, time
from pathlib import Path
from newsledger.model import Article, Event, Extraction, Span
from newsledger.store import Ledger

db, marker, pause, hold = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3]), sys.argv[4]

class SlowExtractor:
    def extract_many(self, articles, batch_size=32):
        for a in articles:
            time.sleep(pause)
            word = a.text.split()[0]
            yield Extraction(id=a.id, published=a.published, text=a.text, events=[
                Event(id=a.id + "-e", type="CONSULT", trigger=Span(word, 0, len(word)),
                      date=a.published.isoformat())])

articles = [Article(f"c{i:03d}", f"Envoys met for round {i} of the talks.",
                    dt.date(2025, 5, 1 + i % 28), origin=f"gen:{i}") for i in range(N_ARTICLES)]
with Ledger(db) as ledger:
    if hold == "hold":  # keep the file for writing, as a long write would
        marker.write_text("holding")
        time.sleep(30)
    marker.write_text("ingesting")
    report = ledger.ingest(articles, batch_size=BATCH_SIZE, extractor=SlowExtractor(),
                           progress=lambda done, total: marker.write_text(f"done {done}"))
marker.write_text(json.dumps({"new": report.new, "skipped": report.skipped_existing,
                              "failed": report.failed}))
""".replace("N_ARTICLES", str(N)).replace("BATCH_SIZE", str(BATCH))


def start_writer(tmp_path: Path, pause: float = 0.05, hold: str = "") -> tuple:
    db, marker = tmp_path / "ledger.duckdb", tmp_path / "marker"
    marker.unlink(missing_ok=True)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(marker), str(pause),
                              hold], stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(REPO)})
    return child, db, marker


def wait_for(marker: Path, prefix: str, child: subprocess.Popen, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = marker.read_text() if marker.exists() else ""
        if value.startswith(prefix):
            return value
        if child.poll() is not None:
            pytest.fail(f"writer ended early ({child.returncode}): {child.stderr.read()[-1500:]}")
        time.sleep(0.01)
    pytest.fail(f"writer never reached {prefix!r}")


def finish(child: subprocess.Popen, marker: Path) -> dict:
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err[-2000:]
    return json.loads(marker.read_text())


@pytest.fixture
def writer(tmp_path):
    started = []

    def launch(**kwargs):
        started.append(start_writer(tmp_path, **kwargs)[0])
        return started[-1], tmp_path / "ledger.duckdb", tmp_path / "marker"
    yield launch
    for child in started:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_readers_query_while_an_ingest_writes(writer):
    child, db, marker = writer()
    wait_for(marker, "done", child)
    counts, waits = [], []
    while child.poll() is None:
        started = time.monotonic()
        with Ledger(db, read_only=True) as led:  # waits out the write of one batch
            waits.append(time.monotonic() - started)
            articles = led.sql("SELECT count(*) AS n FROM articles").to_pylist()[0]["n"]
            events = len(led.events(limit=1000))
        counts.append(articles)
        assert articles % BATCH == 0 and events == articles  # whole batches only
        time.sleep(0.02)
    assert finish(child, marker) == {"new": N, "skipped": 0, "failed": 0}
    assert len(counts) >= 5, "the readers never got in while the ingest ran"
    assert counts == sorted(counts) and 0 < counts[0] < N
    assert max(waits) < 5, f"a reader waited {max(waits):.2f} s"


def test_cli_query_while_an_ingest_writes(writer):
    child, db, marker = writer(pause=0.1)
    wait_for(marker, "done", child)
    cli = [sys.executable, "-m", "newsledger.cli", "events", "--db", str(db), "--format", "json"]
    out = subprocess.run(cli, capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    still_running = child.poll() is None
    assert out.returncode == 0, out.stderr
    assert 0 < len(json.loads(out.stdout)) <= N
    assert still_running, "the ingest ended before the query: nothing was shown"
    finish(child, marker)


def test_a_reader_that_cannot_wait_gets_a_clear_error_fast(writer):
    child, db, marker = writer(hold="hold")
    wait_for(marker, "holding", child)
    started = time.monotonic()
    with pytest.raises(LedgerError, match=rf"locked by another process \(PID {child.pid};"):
        Ledger(db, read_only=True, wait=0)
    assert time.monotonic() - started < 1
    started = time.monotonic()
    with pytest.raises(LedgerError, match=r"\(waited 0.5 s\); try again when it finishes"):
        Ledger(db, read_only=True, wait=0.5)
    assert 0.5 <= time.monotonic() - started < 2


def test_a_second_ingest_is_refused_with_the_first_ones_pid(writer):
    child, db, marker = writer(pause=0.1)
    wait_for(marker, "done", child)
    article = Article("other", "A different report about the talks.", dt.date(2025, 5, 5))
    started = time.monotonic()
    with Ledger(db) as led:  # opening for writing works between batches ...
        with pytest.raises(LedgerError, match=rf"busy: another ingest is writing to it "
                                              rf"\(PID {child.pid}\)"):
            led.ingest([article], extractor=_Echo())  # ... ingesting does not
        assert led.sql("SELECT count(*) AS n FROM articles WHERE id = 'other'"
                       ).to_pylist()[0]["n"] == 0
    assert time.monotonic() - started < 15
    assert finish(child, marker) == {"new": N, "skipped": 0, "failed": 0}
    with Ledger(db) as led:  # once the first is done, the next one runs
        assert led.ingest([article], extractor=_Echo()).new == 1


def test_records_added_by_another_process_meanwhile_are_not_stored_twice(writer):
    """``add`` (import, Spark) may write between an ingest's batches, even articles the ingest
    is extracting at that moment: the ingest checks again before it writes."""
    child, db, marker = writer(pause=0.1)
    wait_for(marker, "done", child)
    ahead = [Extraction(id=f"c{i:03d}", published=dt.date(2025, 5, 1 + i % 28),
                        text=f"Envoys met for round {i} of the talks.") for i in range(N - 10, N)]
    with Ledger(db) as led:
        assert led.add(ahead).new == 10
    report = finish(child, marker)
    assert report == {"new": N - 10, "skipped": 10, "failed": 0}
    with Ledger(db, read_only=True) as led:
        assert led.sql("SELECT count(*) AS n FROM articles").to_pylist()[0]["n"] == N
        assert led.failures() == []


def test_in_memory_and_read_only_ledgers_are_untouched_by_the_policy(tmp_path):
    with Ledger(":memory:") as led:
        report = led.ingest([Article("m1", "Envoys met in Vienna.", dt.date(2025, 5, 5))],
                            extractor=_Echo())
        assert report.new == 1 and led.sql("SELECT count(*) AS n FROM articles"
                                           ).to_pylist()[0]["n"] == 1
    path = tmp_path / "ro.duckdb"
    with Ledger(path) as led:
        led.add([Extraction(id="r1", published=dt.date(2025, 5, 5), text="Envoys met.")])
    with Ledger(path, read_only=True) as led:
        with pytest.raises(LedgerError, match="read-only"):
            led.ingest([Article("r2", "Envoys met again.", dt.date(2025, 5, 5))])


class _Echo:
    def extract_many(self, articles, batch_size=32):
        return [Extraction(id=a.id, published=a.published, text=a.text) for a in articles]


def test_an_ingest_in_a_worker_thread_keeps_the_connection_for_other_threads(tmp_path):
    """A server ingests an upload in a thread while other threads query through cursors on the
    same connection: that ingest must not close the connection under them."""
    import threading

    class Pausing(_Echo):
        def extract_many(self, articles, batch_size=32):
            time.sleep(0.05)
            return super().extract_many(articles, batch_size)

    led = Ledger(tmp_path / "shared.duckdb")
    items = [Article(f"t{i:02d}", f"Envoys met for round {i}.", dt.date(2025, 5, 5))
             for i in range(20)]
    errors, counts = [], []
    worker = threading.Thread(target=lambda: led.ingest(items, batch_size=2,
                                                        extractor=Pausing()))
    worker.start()
    while worker.is_alive():
        cursor = led.con.cursor()
        try:
            counts.append(cursor.execute("SELECT count(*) FROM articles").fetchall()[0][0])
        except Exception as exc:  # noqa: BLE001 -- any error here is the failure
            errors.append(exc)
        finally:
            cursor.close()
        time.sleep(0.01)
    worker.join()
    led.close()
    assert errors == [] and len(counts) > 3 and counts == sorted(counts)

"""The local engine (worker processes + one writer) stores what the single-process ingest stores.

Most tests use a small stand-in extractor (fast to load, deterministic, able to crash its worker
on purpose); one runs the real pipeline on the bundled sample corpus.

The worker processes import this module to build the stand-in, so its top level imports only
the light data model: DuckDB, pyarrow and spaCy are imported inside the tests.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from newsledger.model import Article, Event, Extraction, Failure, Span

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "newsledger" / "data" / "sample" / "articles.jsonl"
VOLATILE = {"ingested_at", "recorded_at"}  # wall-clock times differ between runs


class FakeExtractor:
    """One CONSULT event per sentence; an article containing CRASH kills its process."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay

    def extract_many(self, articles, batch_size=32):
        for a in articles:
            if "CRASH" in a.text:
                os._exit(3)  # what a segfault in a native library looks like from outside
            if "BROKEN" in a.text:
                yield Failure(a.origin, "broken on purpose", a.id, stage="extract")
                continue
            time.sleep(self.delay)
            events, start = [], 0
            for sentence in a.text.split(". "):
                trigger = Span(sentence[:5], start, start + 5)
                key = f"{a.id}:{start}".encode()
                events.append(Event(id=hashlib.blake2b(key, digest_size=8).hexdigest(),
                                    type="CONSULT",
                                    trigger=trigger, date=a.published.isoformat()))
                start += len(sentence) + 2
            yield Extraction(id=a.id, published=a.published, text=a.text, title=a.title,
                             events=events)


def fake_extractor() -> FakeExtractor:
    return FakeExtractor()


def slow_fake_extractor() -> FakeExtractor:
    return FakeExtractor(delay=0.05)


def articles(n: int, crash: set[int] = frozenset(), broken: set[int] = frozenset()
             ) -> list[Article]:
    out = []
    for i in range(n):
        words = "CRASH here" if i in crash else "BROKEN here" if i in broken else "talks"
        text = f"Story {i} began. Leaders met for {words}. Report {i % 7} ended."
        out.append(Article(f"t-{i:04d}", text, dt.date(2025, 3, 1 + i % 28), title=f"T{i}",
                           origin=f"corpus:{i}"))
    return out


def content(path: Path) -> dict[str, list[tuple]]:
    """Every stored row, sorted, without wall-clock columns."""
    from newsledger.store import TABLES, Ledger
    with Ledger(path, read_only=True) as ledger:
        out = {}
        for table, columns in TABLES.items():
            if table == "runs":
                continue
            names = ", ".join(f'"{c}"' for c, _ in columns if c not in VOLATILE)
            rows = ledger.sql(f"SELECT {names} FROM {table}").to_pylist()
            out[table] = sorted(tuple(map(str, r.values())) for r in rows)
        return out


def test_same_content_as_single_process_on_sample(tmp_path, extractor):
    from newsledger.engine.local import ingest_parallel
    from newsledger.store import Ledger

    with Ledger(tmp_path / "one.duckdb") as ledger:
        single = ledger.ingest([str(SAMPLE)], extractor=extractor)
    with Ledger(tmp_path / "two.duckdb") as ledger:
        report = ingest_parallel(ledger, [str(SAMPLE)], workers=2, chunk_size=4, batch_size=8)
    assert report.new == single.new > 20 and report.events == single.events > 20
    assert not report.interrupted and len(report.worker_peak_rss_mb) == 2
    assert all(0 < mb < 1024 for mb in report.worker_peak_rss_mb)
    assert content(tmp_path / "one.duckdb") == content(tmp_path / "two.duckdb")


def test_rerun_skips_everything_without_starting_workers(tmp_path):
    from newsledger.engine.local import ingest_parallel
    from newsledger.store import Ledger

    docs = articles(30)
    with Ledger(tmp_path / "l.duckdb") as ledger:
        first = ingest_parallel(ledger, docs, workers=2, chunk_size=4, batch_size=8,
                                extractor_factory=fake_extractor)
        again = ingest_parallel(ledger, docs, workers=2, extractor_factory=fake_extractor)
    assert (first.new, first.failed, first.events) == (30, 0, 30 * 3)
    assert (again.new, again.skipped_existing, again.worker_peak_rss_mb) == (0, 30, [])


def test_order_and_content_match_the_single_process_ingest(tmp_path):
    from newsledger.engine.local import ingest_parallel
    from newsledger.store import Ledger

    docs = articles(41, broken={7, 20}) + articles(3)  # the last three repeat earlier ids
    with Ledger(tmp_path / "one.duckdb") as ledger:
        ledger.ingest(docs, extractor=FakeExtractor(), batch_size=8)
    with Ledger(tmp_path / "two.duckdb") as ledger:
        report = ingest_parallel(ledger, docs, workers=2, chunk_size=3, batch_size=8,
                                 max_ahead=3, extractor_factory=fake_extractor)
    assert (report.read, report.new, report.skipped_existing, report.failed) == (44, 39, 3, 2)
    assert content(tmp_path / "one.duckdb") == content(tmp_path / "two.duckdb")


def test_a_worker_crash_loses_only_the_article_that_caused_it(tmp_path):
    from newsledger.engine.local import ingest_parallel
    from newsledger.store import Ledger

    docs = articles(24, crash={9})
    seen = []
    with Ledger(tmp_path / "l.duckdb") as ledger:
        report = ingest_parallel(ledger, docs, workers=2, chunk_size=6, batch_size=6,
                                 extractor_factory=fake_extractor,
                                 progress=lambda done, total: seen.append((done, total)))
        stored = {r["id"] for r in ledger.sql("SELECT id FROM articles").to_pylist()}
        failures = ledger.failures()
    assert stored == {a.id for a in docs} - {"t-0009"}
    assert report.worker_restarts == 2  # the chunk's first try, then the article alone
    assert [(f.article_id, f.stage) for f in failures] == [("t-0009", "extract")]
    assert "worker process died (exit code 3)" in failures[0].reason
    assert seen[-1] == (24, 24) and seen == sorted(seen)


CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[3])
from newsledger.engine.local import ingest_parallel
from newsledger.store import Ledger
from test_engine_local import articles, slow_fake_extractor

with Ledger(sys.argv[1]) as ledger:
    report = ingest_parallel(ledger, articles(int(sys.argv[2])), workers=2, chunk_size=4,
                             batch_size=8, extractor_factory=slow_fake_extractor,
                             progress=lambda done, total: print(done, flush=True))
print(json.dumps({"interrupted": report.interrupted, "new": report.new}), flush=True)
"""


def run_child(db: Path, n: int, interrupt_after: int | None = None) -> dict:
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(n), str(Path(__file__)
                            .parent)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    for line in proc.stdout:
        if line.startswith("{"):
            break
        if interrupt_after is not None and int(line) >= interrupt_after:
            proc.send_signal(signal.SIGINT)
            interrupt_after = None
    assert proc.wait(timeout=60) == 0
    return json.loads(line)


def test_ctrl_c_then_rerun_gives_the_same_ledger(tmp_path):
    from newsledger.store import Ledger

    n = 80
    whole = run_child(tmp_path / "whole.duckdb", n)
    assert whole == {"interrupted": False, "new": n}
    first = run_child(tmp_path / "cut.duckdb", n, interrupt_after=16)
    assert first["interrupted"] and 16 <= first["new"] < n
    with Ledger(tmp_path / "cut.duckdb", read_only=True) as ledger:  # whole articles only
        assert ledger.sql("SELECT count(*) AS n FROM events WHERE article_id NOT IN "
                          "(SELECT id FROM articles)").to_pylist() == [{"n": 0}]
        assert ledger.sql("SELECT count(*) AS n FROM articles").to_pylist()[0]["n"] \
            == first["new"]
    rest = run_child(tmp_path / "cut.duckdb", n)
    assert rest == {"interrupted": False, "new": n - first["new"]}
    assert content(tmp_path / "whole.duckdb") == content(tmp_path / "cut.duckdb")


def test_report_has_worker_cpu_and_idle_time_and_no_worker_outlives_the_run(tmp_path):
    import multiprocessing

    from newsledger.engine.local import ingest_parallel
    from newsledger.store import Ledger

    with Ledger(tmp_path / "l.duckdb") as ledger:
        report = ingest_parallel(ledger, articles(20), workers=2, chunk_size=2, batch_size=4,
                                 extractor_factory=slow_fake_extractor)
    assert report.new == 20 and len(report.worker_cpu) == len(report.worker_idle) == 2
    assert all(cpu > 0 for cpu in report.worker_cpu)
    # 20 articles x 0.05 s each: waiting for work (or for the other worker to finish) is
    # at most the whole run, and the clock is not negative.
    assert all(0 <= idle < report.elapsed for idle in report.worker_idle)
    assert multiprocessing.active_children() == []


def test_the_writer_bounds_duckdb_memory_during_the_run_and_restores_it(tmp_path):
    from newsledger.engine import local
    from newsledger.store import Ledger

    seen = []

    def limit(ledger):
        return ledger.sql("SELECT current_setting('memory_limit') AS m").to_pylist()[0]["m"]

    with Ledger(tmp_path / "l.duckdb") as ledger:
        before = limit(ledger)
        local.ingest_parallel(ledger, articles(12), workers=2, chunk_size=4, batch_size=4,
                              extractor_factory=fake_extractor,
                              progress=lambda done, total: seen.append(limit(ledger)))
        assert limit(ledger) == before
    assert local._size(before) > local.WRITER_MEMORY
    assert seen and all(local._size(m) <= local.WRITER_MEMORY for m in seen)
    assert local._size("1.5 KiB") == 1536 and local._size("junk") == float("inf")

"""kill -9 during an ingest leaves only whole batches; a rerun ends where an uninterrupted run does.

The ingest runs in a child process with the real extractor. One variant freezes the child inside
the write transaction of its third batch (so the kill is certain to land mid-transaction); the
other kills it at a random moment after its third batch.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsledger.model import Article
from newsledger.store import Ledger

BATCH = 8
REPO = Path(__file__).resolve().parents[1]

COUNTRIES = [("France", "Paris"), ("Kenya", "Nairobi"), ("Japan", "Tokyo"), ("Brazil", "Brasilia"),
             ("Egypt", "Cairo"), ("Canada", "Ottawa"), ("Turkey", "Ankara"), ("Peru", "Lima")]
TEMPLATES = [
    "The foreign minister of {a} met her counterpart from {b} in {city} on Monday.",
    "{a} accused {b} of violating the ceasefire agreement on Tuesday.",
    "{a} announced new sanctions against {b} after talks collapsed last week.",
    "Thousands of people protested in {city} on Sunday against the government of {a}.",
    '"We will not accept these demands," a spokesman for the {a} government said on Friday.',
    "{a} sent food and medical aid to {b} after the floods in March.",
]


def corpus() -> list[Article]:
    """60 small articles (one of them empty, so a failure is recorded along the way)."""
    out = []
    for i in range(60):
        (a, city), (b, _) = COUNTRIES[i % 8], COUNTRIES[(i * 3 + 1) % 8]
        first = TEMPLATES[i % len(TEMPLATES)].format(a=a, b=b, city=city)
        second = TEMPLATES[(i + 2) % len(TEMPLATES)].format(a=b, b=a, city=city)
        text = "" if i == 10 else f"{first} {second} Report {i}."
        out.append(Article(f"crash-{i:02d}", text, dt.date(2025, 4, 1 + i % 28),
                           title=f"Story {i}", origin=f"corpus:{i}"))
    return out


CHILD = r"""
import datetime as dt, json, sys, time
from pathlib import Path
from newsledger.model import Article
from newsledger.store import Ledger

db, marker, mode = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
articles = [Article(r["id"], r["text"], dt.date.fromisoformat(r["published"]), title=r["title"],
                    origin=r["origin"]) for r in map(json.loads, open(sys.argv[4]))]

if mode == "in_transaction":  # freeze inside the third batch's transaction, after some inserts
    insert, calls = Ledger._insert, []
    def slow_insert(self, table, rows):
        insert(self, table, rows)
        calls.append(table)
        if table == "events" and calls.count("articles") == 3:
            marker.write_text("in-transaction")
            time.sleep(60)
    Ledger._insert = slow_insert

def progress(done, total):
    marker.write_text(str(done))

with Ledger(db) as ledger:
    ledger.ingest(articles, batch_size=%d, progress=progress)
marker.write_text("finished")
""" % BATCH


def snapshot(path: Path) -> dict[str, list]:
    """The ledger's content minus timestamps and the runs log, in a stable order."""
    order = {"articles": "id", "events": "id", "quotes": "id", "failures": "id",
             "dates": "article_id, seq", "entities": "article_id, seq",
             "places": "article_id, seq"}
    skip = {"articles": " EXCLUDE (ingested_at)", "failures": " EXCLUDE (recorded_at)"}
    with Ledger(path, read_only=True) as led:
        return {t: led.sql(f"SELECT *{skip.get(t, '')} FROM {t} ORDER BY {o}").to_pylist()
                for t, o in order.items()}


@pytest.fixture(scope="module")
def reference(tmp_path_factory, extractor):
    path = tmp_path_factory.mktemp("reference") / "ledger.duckdb"
    with Ledger(path) as led:
        report = led.ingest(corpus(), batch_size=BATCH, extractor=extractor)
    assert (report.new, report.failed) == (59, 1)
    return snapshot(path)


def start_child(tmp_path: Path, mode: str) -> tuple[subprocess.Popen, Path, Path]:
    folder = tmp_path / mode
    folder.mkdir()
    data = folder / "corpus.jsonl"
    data.write_text("".join(json.dumps({"id": a.id, "text": a.text, "title": a.title,
                                        "published": a.published.isoformat(),
                                        "origin": a.origin}) + "\n" for a in corpus()))
    db, marker = folder / "ledger.duckdb", folder / "progress"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(marker), mode, str(data)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                             env=env, cwd=folder)
    return child, db, marker


def ready(mode: str, marker: Path) -> bool:
    value = marker.read_text() if marker.exists() else ""
    if mode == "in_transaction":
        return value == "in-transaction"
    return value.isdigit() and int(value) >= 3 * BATCH


def kill_when_ready(children: dict[str, tuple[subprocess.Popen, Path, Path]],
                    timeout: float = 120) -> None:
    """Poll every child's marker; kill -9 each one as soon as it reaches its point."""
    waiting = dict(children)
    deadline = time.monotonic() + timeout
    while waiting and time.monotonic() < deadline:
        for mode, (child, _, marker) in list(waiting.items()):
            if ready(mode, marker):
                if mode == "anywhere":  # somewhere in the fourth batch or later
                    time.sleep(random.uniform(0, 0.15))
                os.kill(child.pid, signal.SIGKILL)
                child.wait()
                del waiting[mode]
            elif child.poll() is not None:
                pytest.fail(f"ingest child ({mode}) ended before the kill (code "
                            f"{child.returncode}, marker {marker.read_text()!r}): "
                            f"{child.stderr.read()[-2000:]}")
        time.sleep(0.01)
    for child, _, _ in waiting.values():
        child.kill()
    assert not waiting, f"no progress from {list(waiting)}"


def check_whole_batches(db: Path, mode: str) -> int:
    ids = [a.id for a in corpus()]
    with Ledger(db, read_only=True) as led:
        stored = set(led.sql("SELECT id FROM articles").column("id").to_pylist())
        orphans = led.sql("SELECT count(*) AS n FROM events WHERE article_id NOT IN "
                          "(SELECT id FROM articles)").to_pylist()[0]["n"]
    whole = [set(ids[:k]) - {"crash-10"} for k in range(0, 61, BATCH)] + [set(ids) - {"crash-10"}]
    assert stored in whole, f"{mode}: a partial batch survived the kill ({len(stored)} articles)"
    assert orphans == 0
    if mode == "in_transaction":
        assert len(stored) == 2 * BATCH - 1  # the third batch was rolled back
    return len(stored)


def test_kill_minus_9_then_rerun_matches_an_uninterrupted_run(tmp_path, reference, extractor):
    children = {mode: start_child(tmp_path, mode) for mode in ("in_transaction", "anywhere")}
    try:
        kill_when_ready(children)
    finally:
        for child, _, _ in children.values():
            if child.poll() is None:
                child.kill()
            child.wait()
    for mode, (child, db, marker) in children.items():
        assert child.returncode == -signal.SIGKILL, f"{mode}: not killed ({marker.read_text()})"
        stored = check_whole_batches(db, mode)
        with Ledger(db) as led:
            report = led.ingest(corpus(), batch_size=BATCH, extractor=extractor)
            unfinished = led.sql("SELECT count(*) AS n FROM runs WHERE finished_at IS NULL")
        assert report.skipped_existing == stored and report.new == 59 - stored
        assert unfinished.to_pylist()[0]["n"] == 1  # the killed run shows as unfinished
        assert_same(snapshot(db), reference, mode)


def assert_same(got: dict[str, list], want: dict[str, list], mode: str) -> None:
    """Table by table, naming the first differing row (a plain == hides where it differs)."""
    for table, rows in want.items():
        assert len(got[table]) == len(rows), f"{mode}: {table} has {len(got[table])} rows, " \
                                             f"{len(rows)} in the uninterrupted run"
        for mine, theirs in zip(got[table], rows):
            assert mine == theirs, f"{mode}: {table} rows differ"

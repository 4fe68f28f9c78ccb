"""Faults around the ledger: kill -9 in a loop, a full disk, read-only paths, damaged files.

Each fault must give a LedgerError with a sentence for people and lose nothing already stored.
The disk-full and read-only-filesystem tests mount a tiny tmpfs (they need root, and are
skipped with the reason otherwise); the permission tests run a child without the root
capability that overrides file permissions (``setpriv``), since root writes anywhere.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from newsledger.model import Article, Event, Extraction, Span
from newsledger.store import Ledger, LedgerError

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


class Echo:
    """A stand-in extractor: one event per article, no spaCy (these tests are about storage)."""

    def extract_many(self, articles, batch_size=32):
        return [Extraction(id=a.id, published=a.published, text=a.text, events=[
            Event(id=f"{a.id}-e", type="CONSULT", trigger=Span(a.text[:5], 0, 5))])
            for a in articles]


def articles(prefix: str, n: int, size: int = 0) -> list[Article]:
    """``n`` articles with ``size`` characters of random words each (so they do not compress)."""
    rng = random.Random(prefix)
    out = []
    for i in range(n):
        filler = "".join(rng.choice(string.ascii_lowercase + "  ") for _ in range(size))
        out.append(Article(f"{prefix}{i:03d}", f"Envoys met for round {i} of the talks. {filler}",
                           dt.date(2025, 5, 1 + i % 28), origin=f"gen:{i}"))
    return out


def content(path: Path) -> dict[str, list]:
    with Ledger(path, read_only=True) as led:
        return {t: led.sql(f"SELECT * EXCLUDE ({stamp}) FROM {t} ORDER BY id").to_pylist()
                for t, stamp in (("articles", "ingested_at"), ("failures", "recorded_at"))} | {
            "events": led.sql("SELECT * FROM events ORDER BY id").to_pylist()}


# ------------------------------------------------------------------------------ kill -9

def test_kill_loop_leaves_whole_batches_and_a_rerun_matches(tmp_path):
    """A few rounds of scripts/kill_loop.py (the long run is in docs/reliability.md)."""
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "kill_loop.py"), "--kills", "4",
                          "--extractor", "fake", "--articles", "60", "--batch", "6", "--json",
                          "--workdir", str(tmp_path)],
                         capture_output=True, text=True, env=ENV, timeout=170)
    assert out.stdout, out.stderr[-2000:]
    figures = json.loads(out.stdout)
    assert figures["problems"] == [], figures
    assert figures["kills"] == 4 and figures["final_matches"], figures


# ---------------------------------------------------------------------------- disk full

@pytest.fixture
def tiny_disk(tmp_path):
    """A 4 MB tmpfs (a new ledger takes 1.6), unmounted afterwards; skipped where mounting
    is not allowed."""
    point = tmp_path / "tiny"
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def remount(point: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(point)], check=True)


def small(tables: dict[str, list]) -> list:
    return [row for row in tables["articles"] if row["id"].startswith("small")]


def test_disk_full_stops_the_ingest_with_a_clear_error_and_loses_nothing(tiny_disk):
    db = tiny_disk / "ledger.duckdb"
    with Ledger(db) as led:
        assert led.ingest(articles("small", 30), extractor=Echo(), batch_size=10).new == 30
    before = content(db)
    big = articles("big", 60, size=60_000)  # 3.6 MB of text on a 4 MB disk
    with Ledger(db) as led:
        with pytest.raises(LedgerError, match=r"cannot write to ledger .*: the disk is full .*"
                                              r"every batch stored before is kept"):
            led.ingest(big, extractor=Echo(), batch_size=4)
    after = content(db)
    assert small(after) == before["articles"]  # everything from before is intact
    assert after["failures"] == []  # a full disk is no reason to blame the articles
    stored = {row["id"] for row in after["articles"]}
    assert (len(stored) - 30) % 4 == 0  # whole batches only
    remount(tiny_disk, "size=20m")  # room again: the same command finishes the job
    with Ledger(db) as led:
        report = led.ingest(big, extractor=Echo(), batch_size=4)
    assert report.new == 60 - (len(stored) - 30) and report.failed == 0
    final = content(db)
    assert len(final["articles"]) == 90 and small(final) == before["articles"]


def test_disk_full_while_adding_records(tiny_disk):
    db = tiny_disk / "ledger.duckdb"
    with Ledger(db) as led:
        led.add([Extraction(id="keep", published=dt.date(2025, 5, 5), text="Envoys met.")])
        with pytest.raises(LedgerError, match="the disk is full"):
            led.add([Extraction(id=f"x{i}", published=dt.date(2025, 5, 5), text="y" * 200_000)
                     for i in range(30)], batch_size=5)
    with Ledger(db, read_only=True) as led:
        assert "keep" in led.sql("SELECT id FROM articles").column("id").to_pylist()


def test_read_only_filesystem(tiny_disk):
    db = tiny_disk / "ledger.duckdb"
    with Ledger(db) as led:
        led.ingest(articles("ro", 12), extractor=Echo())
    before = content(db)
    remount(tiny_disk, "ro")
    with pytest.raises(LedgerError, match=r"is not writable; open it read-only to query it"):
        Ledger(db)
    with pytest.raises(LedgerError, match=r"directory .* is not writable"):
        Ledger(tiny_disk / "new.duckdb")
    with Ledger(db, read_only=True) as led:  # queries still work
        assert len(led.events(limit=100)) == 12
    assert content(db) == before


# ----------------------------------------------------------------------- permissions

NO_OVERRIDE = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
               "--bounding-set=-dac_override,-dac_read_search"]
PROBE = r"""
import datetime as dt, json, sys
from newsledger.model import Article, Extraction
from newsledger.store import Ledger, LedgerError
path, action = sys.argv[1], sys.argv[2]
try:
    if action == "query":
        with Ledger(path, read_only=True) as led:
            print(json.dumps({"ok": led.sql("SELECT count(*) AS n FROM articles").to_pylist()}))
    else:
        with Ledger(path) as led:
            led.add([Extraction(id="late", published=dt.date(2025, 5, 5), text="Envoys met.")])
        print(json.dumps({"ok": "written"}))
except LedgerError as exc:
    print(json.dumps({"error": str(exc)}))
"""


def unprivileged(path: Path, action: str) -> dict:
    """Run PROBE as a process that file permissions apply to."""
    prefix = NO_OVERRIDE if os.geteuid() == 0 else []
    if prefix and not shutil.which("setpriv"):
        pytest.skip("root ignores file permissions and setpriv is not installed")
    out = subprocess.run([*prefix, sys.executable, "-c", PROBE, str(path), action],
                         capture_output=True, text=True, env=ENV, timeout=60)
    assert out.returncode == 0 and out.stdout, out.stderr[-2000:]
    return json.loads(out.stdout)


@pytest.fixture
def stored(tmp_path):
    folder = tmp_path / "ledgers"
    folder.mkdir()
    db = folder / "ledger.duckdb"
    with Ledger(db) as led:
        led.ingest(articles("p", 5), extractor=Echo())
    yield db
    folder.chmod(0o755)
    db.chmod(0o644)


def test_read_only_ledger_file(stored):
    before = content(stored)
    stored.chmod(0o444)
    result = unprivileged(stored, "write")
    assert result["error"] == f"ledger {stored} is not writable; open it read-only to query it"
    assert unprivileged(stored, "query") == {"ok": [{"n": 5}]}
    assert content(stored) == before


def test_read_only_directory(stored):
    before = content(stored)
    stored.chmod(0o666)
    stored.parent.chmod(0o555)  # the file could be written, its write-ahead log could not
    result = unprivileged(stored, "write")
    assert "its directory" in result["error"] and "is not writable" in result["error"]
    assert unprivileged(stored.parent / "new.duckdb", "write")["error"].endswith(
        "is not writable")
    assert unprivileged(stored, "query") == {"ok": [{"n": 5}]}
    assert content(stored) == before


# ------------------------------------------------------------------------ damaged files

@pytest.mark.parametrize("damage", ["garbage header", "zeroed blocks", "random bytes"])
def test_damaged_ledger_file_gives_a_sentence_not_a_crash(tmp_path, damage):
    db = tmp_path / "ledger.duckdb"
    with Ledger(db) as led:
        led.ingest(articles("d", 20, size=2000), extractor=Echo())
    data = db.read_bytes()
    if damage == "garbage header":
        data = os.urandom(4096) + data[4096:]
    elif damage == "zeroed blocks":
        data = data[:8192] + bytes(len(data) - 8192)
    else:
        data = os.urandom(len(data))
    db.write_bytes(data)
    probe = ("import sys\nfrom newsledger.store import Ledger, LedgerError\n"
             "try:\n    Ledger(sys.argv[1], read_only=True, wait=0)\n    print('opened')\n"
             "except LedgerError as exc:\n    print('LedgerError:', exc)\n")
    out = subprocess.run([sys.executable, "-c", probe, str(db)], capture_output=True, text=True,
                         env=ENV, timeout=60)
    assert out.returncode == 0, f"the process died ({out.returncode}): {out.stderr[-1500:]}"
    assert out.stdout.startswith("LedgerError:") and "locked" not in out.stdout, out.stdout

#!/usr/bin/env python
"""Kill an ingest with SIGKILL at random moments, many times, and check the ledger each time.

Each kill: a child process ingests a JSON Lines corpus (with broken and non-English lines, so
failures are written too) into one ledger; the parent kills it with SIGKILL after a random delay.
Then the ledger must open, hold only whole batches (the stored articles are exactly those of the
first k input batches, for some k), and have no rows without their article. The next child
resumes the same ledger. When a child finishes before its kill, the ledger is compared with an
uninterrupted run and a new round starts on a fresh ledger. At the end a final rerun must match
the uninterrupted run table for table (timestamps and the runs log aside).

    python scripts/kill_loop.py --kills 50                     # real pipeline (spaCy)
    python scripts/kill_loop.py --kills 200 --extractor fake   # store only: kills land in writes
    python scripts/kill_loop.py --kills 3 --json               # figures as JSON (CI test)

Exit status 0 when every check passed, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
# Children import a frozen copy of the package: code edited in the checkout during a long run
# must not make the reference and the resumed ingests disagree.
sys.path.insert(0, os.environ.get("KILL_LOOP_SRC", str(REPO)))

COUNTRIES = ["France", "Kenya", "Japan", "Brazil", "Egypt", "Canada", "Turkey", "Peru"]
CITIES = ["Paris", "Nairobi", "Tokyo", "Brasilia", "Cairo", "Ottawa", "Ankara", "Lima"]
TEMPLATES = [
    "The foreign minister of {a} met her counterpart from {b} in {city} on Monday.",
    "{a} accused {b} of violating the ceasefire agreement on Tuesday.",
    "{a} announced new sanctions against {b} after talks collapsed last week.",
    "Thousands of people protested in {city} on Sunday against the government of {a}.",
    '"We will not accept these demands," a spokesman for the {a} government said on Friday.',
    "{a} sent food and medical aid to {b} after the floods in March.",
]
FOREIGN = ("Министр иностранных дел заявил в понедельник, что переговоры с соседней страной "
           "окончательно провалились после обстрела пограничного города.")


def corpus_lines(n: int) -> list[str]:
    """``n`` JSON Lines: news-like articles, every 7th line broken, every 11th in Russian."""
    lines = []
    for i in range(n):
        if i % 7 == 6:
            lines.append('{"id": "broken-%d", "text": "cut off' % i)
            continue
        a, b, city = COUNTRIES[i % 8], COUNTRIES[(i * 3 + 1) % 8], CITIES[i % 8]
        text = (TEMPLATES[i % 6].format(a=a, b=b, city=city) + " "
                + TEMPLATES[(i + 2) % 6].format(a=b, b=a, city=city) + f" Report {i}.")
        if i % 11 == 10:
            text = FOREIGN
        lines.append(json.dumps({"id": f"k{i:04d}", "text": text, "title": f"Story {i}",
                                 "published": f"2025-04-{1 + i % 28:02d}"}, ensure_ascii=False))
    return lines


# ------------------------------------------------------------------------------ the child

class FakeExtractor:
    """A fast, deterministic stand-in for the pipeline: one event per sentence. With it, the
    time goes to reading and writing, so kills land in the store's transactions."""

    def extract_many(self, articles: list, batch_size: int = 32):
        from newsledger.guard import language_problem
        from newsledger.model import Actor, Entity, Event, Extraction, Failure, Span

        for art in articles:
            problem = language_problem(art.text)
            if problem:
                yield Failure(art.origin, problem, art.id, stage="extract")
                continue
            events, start = [], 0
            for n, sentence in enumerate(art.text.split(". ")):
                end = start + len(sentence)
                word = sentence.split()[0] if sentence.split() else "x"
                events.append(Event(id=f"{art.id}-e{n}", type="CONSULT", cameo="040",
                                    source=Actor(word, country="FRA", start=start,
                                                 end=start + len(word)),
                                    date=art.published.isoformat(),
                                    trigger=Span(word, start, start + len(word)),
                                    evidence=Span(sentence, start, end)))
                start = end + 2
            yield Extraction(id=art.id, published=art.published, text=art.text,
                             title=art.title, events=events,
                             entities=[Entity(e.trigger.text, "GPE", e.trigger.start,
                                              e.trigger.end) for e in events])


def run_child(db: str, source: str, batch: int, extractor: str, marker: str) -> None:
    from newsledger.store import Ledger

    chosen = FakeExtractor() if extractor == "fake" else None

    def progress(done: int, total: int | None) -> None:
        Path(marker).write_text(str(done))

    with Ledger(db) as ledger:
        Path(marker).write_text("opened")
        ledger.ingest([source], batch_size=batch, progress=progress, extractor=chosen)
    Path(marker).write_text("finished")


# ----------------------------------------------------------------------------- the checks

ORDER = {"articles": "id", "events": "id", "quotes": "id", "failures": "id",
         "dates": "article_id, seq", "entities": "article_id, seq", "places": "article_id, seq"}
SKIP = {"articles": " EXCLUDE (ingested_at)", "failures": " EXCLUDE (recorded_at)"}


def snapshot(db: Path) -> dict[str, list]:
    from newsledger.store import Ledger

    with Ledger(db, read_only=True) as led:
        return {t: led.sql(f"SELECT *{SKIP.get(t, '')} FROM {t} ORDER BY {o}").to_pylist()
                for t, o in ORDER.items()}


def whole_batches(lines: list[str], batch: int, reference: dict[str, list]) -> list[set[str]]:
    """The stored-id sets a ledger may hold after a kill: those of the first k batches."""
    storable = {row["id"] for row in reference["articles"]}
    ids = [json.loads(line)["id"] if line.endswith("}") else None for line in lines]
    prefixes, current = [set()], set()
    for k in range(0, len(ids), batch):
        current = current | {i for i in ids[k:k + batch] if i in storable}
        prefixes.append(set(current))
    return prefixes


def check_after_kill(db: Path, allowed: list[set[str]]) -> tuple[int, int, list[str]]:
    """(articles stored, whole batches stored, problems found) for a ledger whose ingest was
    just killed."""
    from newsledger.store import CHILD_TABLES, Ledger, LedgerError

    problems = []
    try:
        with Ledger(db, read_only=True) as led:
            stored = set(led.sql("SELECT id FROM articles").column("id").to_pylist())
            for table in CHILD_TABLES:
                orphans = led.sql(f"SELECT count(*) AS n FROM {table} WHERE article_id NOT IN "
                                  "(SELECT id FROM articles)").to_pylist()[0]["n"]
                if orphans:
                    problems.append(f"{orphans} {table} rows without their article")
    except LedgerError as exc:
        if "empty DuckDB database" in str(exc) or "no ledger" in str(exc):
            return 0, 0, []  # killed before the schema was committed: nothing stored yet
        return -1, 0, [f"ledger does not open: {exc}"]
    if stored not in allowed:
        problems.append(f"a partial batch survived: {len(stored)} articles stored")
        return len(stored), 0, problems
    # the last prefix with these ids (batches with nothing storable add nothing)
    return len(stored), max(k for k, ids in enumerate(allowed) if ids == stored), problems


def differences(got: dict[str, list], want: dict[str, list]) -> list[str]:
    out = []
    for table, rows in want.items():
        if got[table] != rows:
            out.append(f"{table}: {len(got[table])} rows, {len(rows)} in the uninterrupted run")
    return out


# ------------------------------------------------------------------------------- the loop

def start(db: Path, source: Path, batch: int, extractor: str, marker: Path) -> subprocess.Popen:
    marker.unlink(missing_ok=True)
    src = str(marker.parent / "src")
    env = {**os.environ, "PYTHONPATH": src, "KILL_LOOP_SRC": src}
    return subprocess.Popen([sys.executable, __file__, "child", str(db), str(source),
                             str(batch), extractor, str(marker)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)


def wait_for_open(child: subprocess.Popen, marker: Path) -> float:
    """Seconds until the child has opened the ledger (or ended)."""
    started = time.monotonic()
    while child.poll() is None and not marker.exists():
        time.sleep(0.005)
    return time.monotonic() - started


def wait_for_progress(child: subprocess.Popen, marker: Path, done: int) -> None:
    """Until the child reports ``done`` inputs processed (or ends)."""
    while child.poll() is None:
        value = marker.read_text() if marker.exists() else ""
        if value == "finished" or (value.isdigit() and int(value) >= done):
            return
        time.sleep(0.005)


def uninterrupted(folder: Path, source: Path, batch: int,
                  extractor: str) -> tuple[dict, dict[str, float]]:
    """The snapshot of an uninterrupted run, and how long its phases took: ``startup`` (until
    the ledger is open), ``first`` (until the first batch is stored: loading the pipeline),
    ``batch`` (each later batch, on average)."""
    db, marker = folder / "reference.duckdb", folder / "reference.marker"
    child = start(db, source, batch, extractor, marker)
    startup = wait_for_open(child, marker)
    started = time.monotonic()
    wait_for_progress(child, marker, 1)
    first = time.monotonic() - started
    _, err = child.communicate()
    if child.returncode != 0:
        raise SystemExit(f"the uninterrupted ingest failed: {err[-2000:]}")
    batches = max(sum(1 for _ in source.open()) / batch - 1, 1)
    rest = time.monotonic() - started - first
    return snapshot(db), {"startup": startup, "first": first, "batch": rest / batches}


def new_round(db: Path, reference: dict[str, list], figures: dict[str, Any]) -> None:
    """Compare a completed ledger with the uninterrupted run, then remove it."""
    problems = differences(snapshot(db), reference)
    figures["problems"] += [f"round {figures['rounds']}: {p}" for p in problems]
    figures["round_matches"] += not problems
    figures["rounds"] += 1
    for path in db.parent.glob(db.name + "*"):
        path.unlink()


def kill_loop(kills: int, articles: int, batch: int, extractor: str, seed: int,
              folder: Path, log: Any = None) -> dict[str, Any]:
    rng = random.Random(seed)
    shutil.copytree(REPO / "newsledger", folder / "src" / "newsledger",
                    ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True)
    lines = corpus_lines(articles)
    source = folder / "corpus.jsonl"
    source.write_text("\n".join(lines) + "\n")
    reference, times = uninterrupted(folder, source, batch, extractor)
    allowed = whole_batches(lines, batch, reference)
    figures: dict[str, Any] = {
        "kills": 0, "rounds": 1, "finished_before_kill": 0, "problems": [],
        "articles": len(reference["articles"]), "inputs": len(lines), "batch": batch,
        "extractor": extractor,
        "uninterrupted_seconds": {k: round(v, 2) for k, v in times.items()},
        "stored_at_kill": [], "killed_before_open": 0, "round_matches": 0,
    }
    db, marker = folder / "ledger.duckdb", folder / "marker"
    started = time.monotonic()
    resume, batches = 0, len(allowed) - 1  # whole batches stored, batches in all
    while figures["kills"] < kills:
        child = start(db, source, batch, extractor, marker)
        if rng.random() < 0.1:  # while it starts up or opens the ledger
            time.sleep(rng.uniform(0, times["startup"]))
        else:
            wait_for_open(child, marker)
            wait_for_progress(child, marker, batch * resume)  # past the batches stored before
            if resume + 1 >= batches or rng.random() < 0.25:
                # in its first new batch: loading the pipeline, extracting, writing
                time.sleep(rng.uniform(0, times["first"]))
            else:  # inside a later batch: reading, extracting, reopening, writing
                wait_for_progress(child, marker, batch * rng.randrange(resume + 1, batches))
                time.sleep(rng.uniform(0, times["batch"]))
        if child.poll() is not None:  # it finished first: the round is complete
            if child.returncode != 0:
                figures["problems"].append(f"ingest failed: {child.stderr.read()[-1000:]}")
            figures["finished_before_kill"] += 1
            new_round(db, reference, figures)
            resume = 0
            continue
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        figures["kills"] += 1
        state = marker.read_text() if marker.exists() else ""
        figures["killed_before_open"] += state == ""
        stored, resume, problems = check_after_kill(db, allowed)
        figures["stored_at_kill"].append(stored)
        figures["problems"] += [f"kill {figures['kills']}: {p}" for p in problems]
        if log:
            print(f"kill {figures['kills']:3d}: marker {state or '-':>8}, {stored:4d} articles "
                  f"stored{', ' + '; '.join(problems) if problems else ''}", file=log, flush=True)
        if stored == figures["articles"] and figures["kills"] < kills:
            new_round(db, reference, figures)  # complete: compare, then start afresh
            resume = 0
    final = start(db, source, batch, extractor, marker)
    _, err = final.communicate()
    if final.returncode != 0:
        figures["problems"].append(f"final rerun failed: {err[-1000:]}")
    else:
        figures["problems"] += [f"final rerun: {p}" for p in differences(snapshot(db),
                                                                         reference)]
    figures["final_matches"] = final.returncode == 0 and not differences(snapshot(db), reference)
    figures["seconds"] = round(time.monotonic() - started, 1)
    figures["kills_mid_ingest"] = sum(0 < s < figures["articles"]
                                      for s in figures["stored_at_kill"])
    return figures


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        _, _, db, source, batch, extractor, marker = sys.argv
        run_child(db, source, int(batch), extractor, marker)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50, help="how many SIGKILLs (default 50)")
    parser.add_argument("--articles", type=int, default=120, help="corpus lines (default 120)")
    parser.add_argument("--batch", type=int, default=8, help="ingest batch size (default 8)")
    parser.add_argument("--extractor", choices=["real", "fake"], default="real",
                        help="the spaCy pipeline, or a fast stand-in (default real)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: random)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the ledgers here (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    folder = args.workdir or Path(tempfile.mkdtemp(prefix="kill_loop_"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        figures = kill_loop(args.kills, args.articles, args.batch, args.extractor, seed, folder,
                            log=None if args.json else sys.stderr)
    finally:
        if args.workdir is None:
            shutil.rmtree(folder, ignore_errors=True)
    figures["seed"] = seed
    if args.json:
        print(json.dumps(figures))
    else:
        stored = figures.pop("stored_at_kill")
        for key, value in figures.items():
            print(f"{key:>22}: {value}")
        print(f"{'stored at kill':>22}: min {min(stored, default=0)}, "
              f"max {max(stored, default=0)} of {figures['articles']}")
    return 0 if not figures["problems"] and figures["final_matches"] else 1


if __name__ == "__main__":
    sys.exit(main())

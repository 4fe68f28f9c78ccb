"""Throughput of newsledger against the spaCy parser it is built on, with 1 and 2 processes.

Builds a corpus of real news text (the public-domain VOA stories in
``../shared/corpora/voa/voa_stories.jsonl``, read at run time) repeated to ``--articles``
articles with distinct ids, then measures, in one run and each in a fresh process:

- ``plain``: ``nlp.pipe`` of the same spaCy model without newsledger's components (the
  ceiling), with ``n_process`` 1 and 2;
- ``extract``: newsledger extraction only (in-process for 1, the worker pool for 2);
- ``ingest``: reading the JSONL file, extraction and storing into a fresh DuckDB ledger
  (``Ledger.ingest`` for 1, ``ingest_parallel`` for 2 workers);

and prints articles/s (whole run, and after the first result), time to first result, CPU
seconds per article (this process and its worker processes), peak RSS of every process, the
resident memory of this process and of each worker at 10 %, 50 % and 100 % of the corpus,
then the ratios: ingest / plain with the same number of processes, and 2 processes / 1.
An ingest is timed until the ledger is closed (its data on disk), with 1 worker as with 2.

    .venv/bin/python benchmarks/throughput.py --articles 2000
    .venv/bin/python benchmarks/throughput.py --articles 300 --json results.json
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VOA = REPO.parent / "shared" / "corpora" / "voa" / "voa_stories.jsonl"
CONFIGS = ("plain-1", "plain-2", "extract-1", "extract-2", "ingest-1", "ingest-2")
CHUNK = 16


def build_corpus(n: int, path: Path) -> int:
    """Write ``n`` articles cycling through the VOA stories, each with its own id."""
    stories = [json.loads(line) for line in VOA.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    words = 0
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            story = dict(stories[i % len(stories)])
            story["id"] = f"{story.get('id', 'voa')}-{i // len(stories)}"
            story.pop("url", None)  # the id decides; a shared url would not matter either
            words += len(story["text"].split())
            out.write(json.dumps(story, ensure_ascii=False) + "\n")
    return words


def children(pid: int | str = "self") -> list[int]:
    """Process ids of the worker processes of ``pid``: its children, except multiprocessing's
    resource tracker (a small helper process that spawn starts)."""
    pids = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            pids += [int(p) for p in task.read_text().split()]
        except OSError:
            pass
    return sorted(p for p in pids if not _is_tracker(p))


def _is_tracker(pid: int) -> bool:
    try:
        return b"resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def status_mb(pid: int | str, field: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# ----------------------------------------------------------------------- one configuration

class Clock:
    """Start time, first result, and memory samples of this process (and its children)."""

    def __init__(self, total: int):
        self.start = time.monotonic()
        self.cpu = time.process_time()
        self.first: float | None = None
        self.first_done = 0
        self.total = total
        # (articles done, RSS MB of this process, [RSS MB of each child process])
        self.memory: list[tuple[int, float, list[float]]] = []
        self.marks = {max(total // 10, 1), max(total // 2, 1), total}

    def tick(self, done: int) -> None:
        if self.first is None and done:
            self.first, self.first_done = time.monotonic() - self.start, done
        if any(done >= m for m in self.marks):
            self.marks = {m for m in self.marks if m > done}
            self.memory.append((done, round(status_mb("self", "VmRSS"), 1),
                                [round(status_mb(p, "VmRSS"), 1) for p in children()]))

    def result(self, n: int, **extra) -> dict:
        wall = time.monotonic() - self.start
        steady = ((n - self.first_done) / (wall - self.first)
                  if self.first is not None and wall > self.first and n > self.first_done
                  else None)
        import multiprocessing
        multiprocessing.active_children()  # reaps finished children, so their CPU counts
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {"articles": n, "wall": round(wall, 2), "rate": round(n / wall, 3),
                "steady_rate": steady and round(steady, 3),
                "first_result": self.first and round(self.first, 2),
                "cpu_main": round(time.process_time() - self.cpu, 2),
                "cpu_children": round(kids.ru_utime + kids.ru_stime, 2),
                "peak_rss_mb": round(status_mb("self", "VmHWM"), 1),
                "memory": self.memory, **extra}


def texts(corpus: Path):
    with open(corpus, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)["text"]


def run_plain(corpus: Path, n: int, processes: int) -> dict:
    import spacy
    from newsledger.extract.pipeline import DEFAULT_MODEL
    clock = Clock(n)
    nlp = spacy.load(DEFAULT_MODEL)
    done = 0
    for _ in nlp.pipe(texts(corpus), batch_size=CHUNK, n_process=processes):
        done += 1
        clock.tick(done)
    return clock.result(done)


def run_extract(corpus: Path, n: int, processes: int) -> dict:
    from newsledger.read import read
    clock = Clock(n)
    if processes == 1:
        from newsledger.extract import get_extractor
        done = 0
        for _ in get_extractor().extract_many(read([str(corpus)]), batch_size=CHUNK):
            done += 1
            clock.tick(done)
        return clock.result(done)
    from newsledger.engine.local import extract_parallel
    report = extract_parallel([str(corpus)], lambda records: None, workers=processes,
                              progress=lambda done, _: clock.tick(done))
    return clock.result(report.new, **pool_figures(report))


def run_ingest(corpus: Path, n: int, processes: int, db: Path) -> dict:
    from newsledger.store import Ledger
    clock = Clock(n)
    with Ledger(db) as ledger:  # timed until it is closed (checkpointed), in both cases
        if processes == 1:
            report = ledger.ingest([str(corpus)], progress=lambda done, _: clock.tick(done))
        else:
            from newsledger.engine.local import ingest_parallel
            report = ingest_parallel(ledger, [str(corpus)], workers=processes,
                                     progress=lambda done, _: clock.tick(done))
    figures = pool_figures(report) if processes > 1 else {}
    return clock.result(report.new, events=report.events, **figures)


def pool_figures(report) -> dict:
    memory = report.memory
    picks = sorted({0, len(memory) // 2, len(memory) - 1}) if memory else []
    return {"worker_peak_rss_mb": report.worker_peak_rss_mb,
            "worker_cpu": report.worker_cpu,
            "worker_idle": report.worker_idle,
            "pool_first_result": report.first_result and round(report.first_result, 2),
            "pool_memory": [memory[i] for i in picks]}


def run_one(config: str, corpus: Path, n: int, db: Path) -> dict:
    kind, processes = config.split("-")
    if kind == "plain":
        return run_plain(corpus, n, int(processes))
    if kind == "extract":
        return run_extract(corpus, n, int(processes))
    return run_ingest(corpus, n, int(processes), db)


# ---------------------------------------------------------------------------------- driver

def busy_cpu_seconds() -> float:
    """CPU seconds all processes on the machine have used since boot (from /proc/stat)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    ticks = [int(f) for f in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU seconds of this process's finished children (each configuration and its workers)."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def ratio(a: dict | None, b: dict | None, key: str = "rate") -> float | None:
    if not a or not b or not a.get(key) or not b.get(key):
        return None
    return round(a[key] / b[key], 3)


def summary(results: dict[str, dict]) -> dict[str, float | None]:
    out = {}
    for key in ("rate", "steady_rate"):
        tag = "" if key == "rate" else " (steady)"
        for p in (1, 2):
            out[f"ingest/plain, {p} proc{tag}"] = ratio(results.get(f"ingest-{p}"),
                                                         results.get(f"plain-{p}"), key)
            out[f"extract/plain, {p} proc{tag}"] = ratio(results.get(f"extract-{p}"),
                                                          results.get(f"plain-{p}"), key)
        for kind in ("plain", "extract", "ingest"):
            out[f"{kind}: 2 proc / 1{tag}"] = ratio(results.get(f"{kind}-2"),
                                                    results.get(f"{kind}-1"), key)
    return out


def print_table(results: dict[str, dict], ratios: dict) -> None:
    print(f"{'config':<10} {'art/s':>7} {'steady':>7} {'first':>7} {'wall s':>8} "
          f"{'cpu/art':>8} {'peak MB':>8}  workers' peak MB / idle s")
    for name, r in results.items():
        cpu = (r["cpu_main"] + r["cpu_children"]) / max(r["articles"], 1)
        print(f"{name:<10} {r['rate']:>7.2f} {r['steady_rate'] or 0:>7.2f} "
              f"{r['first_result'] or 0:>7.1f} {r['wall']:>8.1f} {cpu:>8.3f} "
              f"{r['peak_rss_mb']:>8.0f}  {r.get('worker_peak_rss_mb') or ''} "
              f"{r.get('worker_idle') or ''}")
    print("\nresident memory (MB) after N articles: this process (reader/writer) | each child "
          "(worker) process")
    for name, r in results.items():
        marks = "; ".join(f"{done:,}: {main:.0f} | {', '.join(f'{k:.0f}' for k in kids) or '-'}"
                          for done, main, kids in r["memory"])
        print(f"{name:<10} {marks}")
    print()
    for name, value in ratios.items():
        print(f"{name:<32} {value if value is not None else '-'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--configs", default=",".join(CONFIGS),
                        help=f"comma-separated subset of {', '.join(CONFIGS)}")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--run-one", help=argparse.SUPPRESS)  # internal: one config
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.run_one:
        print(json.dumps(run_one(args.run_one, args.corpus, args.articles, args.db)))
        return 0
    if not VOA.exists():
        print(f"corpus not found: {VOA}", file=sys.stderr)
        return 2
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="nl-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        words = build_corpus(args.articles, corpus)
        print(f"corpus: {args.articles:,} articles, {words:,} words "
              f"({words / args.articles:.0f} per article); cores: {os.cpu_count()}; "
              f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
        results = {}
        for config in args.configs.split(","):
            db = Path(tmp) / f"{config}.duckdb"
            started = time.monotonic()
            machine, own = busy_cpu_seconds(), own_cpu_seconds()
            done = subprocess.run(
                [sys.executable, __file__, "--run-one", config, "--corpus", str(corpus),
                 "--articles", str(args.articles), "--db", str(db)],
                capture_output=True, text=True, cwd=REPO)
            if done.returncode != 0:
                print(f"{config}: failed\n{done.stderr[-2000:]}", file=sys.stderr)
                continue
            results[config] = json.loads(done.stdout.strip().splitlines()[-1])
            results[config]["load_after"] = round(os.getloadavg()[0], 2)
            # CPU that other programs took while this configuration ran: the figures of a
            # configuration that shared the cores with them are not comparable.
            others = (busy_cpu_seconds() - machine) - (own_cpu_seconds() - own)
            results[config]["others_cpu"] = round(max(others, 0.0), 1)
            print(f"{config}: {results[config]['rate']:.2f} articles/s "
                  f"({time.monotonic() - started:.0f} s, load {os.getloadavg()[0]:.1f}, "
                  f"other programs used {results[config]['others_cpu']:.0f} CPU s)", flush=True)
    ratios = summary(results)
    print()
    print_table(results, ratios)
    if args.json:
        args.json.write_text(json.dumps({"articles": args.articles, "words": words,
                                         "load_before": load, "results": results,
                                         "ratios": ratios}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

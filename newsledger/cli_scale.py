"""The scaled ``newsledger ingest``: ``--workers N`` (all cores) and ``--engine spark``.

``ingest`` below is a complete replacement for the command in ``newsledger.cli``; it is wired
there with ``app.command(name="ingest")(ingest)``. With ``--workers 1`` (the default) it is the
single-process ``Ledger.ingest`` as before.

    newsledger ingest news/ --db news.duckdb --workers 2
    newsledger ingest hdfs:///corpus/2025/*.jsonl.gz --engine spark --out out/ --master yarn
"""
from __future__ import annotations

import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer


class EngineName(str, Enum):
    local = "local"
    spark = "spark"


def count_records(inputs: list[str], limit_bytes: int = 2_000_000_000) -> int | None:
    """How many records the inputs hold, when that is cheap to know: the non-empty lines of
    plain JSON Lines files (up to ``limit_bytes`` in all). None otherwise (the bar then shows
    no ETA)."""
    paths = [Path(i) for i in inputs]
    if not paths or any(p.suffix.lower() not in (".jsonl", ".ndjson") or not p.is_file()
                        for p in paths):
        return None
    if sum(p.stat().st_size for p in paths) > limit_bytes:
        return None
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            total += sum(1 for line in handle if line.strip())
    return total


def progress_bar(console: Any, total: int | None) -> tuple[Any, Callable[[int, int | None], None]]:
    """A rich progress bar (articles/s, ETA) and the ``progress(done, total)`` callback that
    feeds it; the bar is drawn only on a terminal."""
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn, TimeRemainingColumn)
    columns = (TextColumn("[bold]ingesting"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
               TimeRemainingColumn())
    bar = Progress(*columns, console=console, transient=True, disable=not console.is_terminal)
    task = bar.add_task("ingest", total=total, rate="")
    started = time.monotonic()

    def progress(done: int, known: int | None) -> None:
        rate = done / max(time.monotonic() - started, 1e-9)
        bar.update(task, completed=done, total=known if known is not None else total,
                   rate=f"{rate:.1f} articles/s")
    return bar, progress


def ingest(
    inputs: Annotated[list[str], typer.Argument(
        help="Files or directories, or - for stdin (with --engine spark: any path Spark reads, "
             "e.g. hdfs:// or s3a://).")],
    db: Annotated[Path, typer.Option("--db", help="Ledger file (DuckDB).",
                                     envvar="NEWSLEDGER_DB")] = Path("newsledger.duckdb"),
    published: Annotated[Optional[str], typer.Option(
        help="Publication date for inputs that carry none.")] = None,
    batch_size: Annotated[int, typer.Option(help="Articles per transaction.")] = 64,
    workers: Annotated[int, typer.Option(
        "--workers", "-w", help="Extraction processes (0: one per core). 1 runs in-process.",
        min=0)] = 1,
    engine: Annotated[EngineName, typer.Option(
        help="local (this machine) or spark (writes Parquet to --out).")] = EngineName.local,
    out_dir: Annotated[Optional[Path], typer.Option(
        "--out", help="With --engine spark: output directory (local or Hadoop path) for the "
                      "Parquet tables.")] = None,
    master: Annotated[Optional[str], typer.Option(
        help="With --engine spark: the Spark master (default: local[*], or whatever "
             "spark-submit set).")] = None,
    load: Annotated[bool, typer.Option(
        "--import/--no-import", help="With --engine spark: also import the output into "
                                     "--db.")] = False,
    model: Annotated[Optional[str], typer.Option(
        "--model", envvar="NEWSLEDGER_MODEL",
        help="spaCy model package name or path (default: en_core_web_sm).")] = None,
    time_limit: Annotated[Optional[float], typer.Option(
        "--time-limit", help="Give up on an article after this many seconds (recorded as a "
                             "failure). Default: 300.")] = None,
):
    """Read, extract and store articles in the ledger; print a summary.

    Idempotent: articles already in the ledger are skipped, so an interrupted ingest can
    simply be rerun. Bad inputs are recorded in the `failures` table with their reason.
    `--workers 2` runs extraction in two processes; Ctrl-C stops cleanly (rerun to finish).
    `--engine spark --out DIR` runs on Apache Spark and writes Parquet tables.

    Example: `newsledger ingest news/ --db news.duckdb --workers 2`
    """
    from newsledger import cli

    def work():
        day = cli.parse_date(published, "--published")
        if engine == EngineName.spark:
            return run_spark_command(inputs, out_dir, db if load else None, day, master, model)
        from newsledger.consolidate import consolidate
        from newsledger.engine.local import cpu_count, ingest_parallel
        from newsledger.store import Ledger
        n = workers or cpu_count()
        factory = extractor_factory(model, time_limit)
        bar, progress = progress_bar(cli.err, count_records(inputs))
        with Ledger(db) as ledger:
            with bar:
                if n == 1:
                    report = ledger.ingest(inputs, published=day, batch_size=batch_size,
                                           progress=progress,
                                           extractor=factory() if factory else None)
                else:
                    report = ingest_parallel(ledger, inputs, workers=n, published=day,
                                             batch_size=batch_size, progress=progress,
                                             extractor_factory=factory)
            consolidate(ledger)  # same event, many reports: keep the clusters current
        cli.print_report(report, db)
        if report.interrupted:
            cli.fail(f"interrupted after {report.new:,} new articles (all of them stored); "
                     "rerun the same command to finish", 130)
    cli.run_safely(work)


def extractor_factory(model: str | None, time_limit: float | None) -> Callable[[], Any] | None:
    """A picklable factory for a non-default extractor (None: the default one), so worker
    processes build the same extractor the single-process path would."""
    if model is None and time_limit is None:
        return None
    from functools import partial

    from newsledger.extract import Extractor
    from newsledger.extract.pipeline import DEFAULT_MODEL
    options = {} if time_limit is None else {"time_limit": time_limit}
    return partial(Extractor, model or DEFAULT_MODEL, **options)


def run_spark_command(inputs: list[str], out_dir: Path | None, db: Path | None, day: Any,
                      master: str | None, model: str | None) -> None:
    from newsledger import cli
    if out_dir is None:
        cli.fail("--engine spark needs --out DIR (where the Parquet tables go)")
    try:
        from newsledger.engine.spark import import_parquet, run_spark, spark_session
    except ImportError as exc:
        cli.fail(f"the Spark engine needs pyspark ({exc}): pip install -r requirements/spark.txt")
    spark = spark_session(master)
    try:
        counts = run_spark(spark, inputs, str(out_dir), published=day and day.isoformat(),
                           model=model)
    finally:
        spark.stop()
    cli.out.print(f"spark: {counts['inputs']:,} inputs -> {counts['articles']:,} articles, "
                  f"{counts['events']:,} events, {counts['failures']:,} failures in {out_dir}")
    if db is not None:
        from newsledger.store import Ledger
        with Ledger(db) as ledger:
            cli.print_report(import_parquet(ledger, out_dir), db)

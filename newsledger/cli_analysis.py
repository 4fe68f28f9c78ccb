"""CLI commands for consolidated events: consolidate, show-event, dyad, timeline, actor,
export and import. ``register(app)`` adds them to the ``newsledger`` Typer app; each is a thin
layer over ``newsledger.consolidate``, ``newsledger.analysis`` and ``newsledger.export``.

Annotations are evaluated at definition time here (no ``from __future__ import annotations``):
Typer reads them from the nested command functions.
"""
import datetime as dt
import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer


class Period(str, Enum):
    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"
    jsonl = "jsonl"
    plover = "plover"
    gdelt = "gdelt"


class Level(str, Enum):
    events = "events"
    reports = "reports"


class OutFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


DbOption = Annotated[Path, typer.Option("--db", help="Ledger file (DuckDB).",
                                        envvar="NEWSLEDGER_DB")]
DEFAULT_DB = Path("newsledger.duckdb")
FormatOption = Annotated[OutFormat, typer.Option("--format", "-f")]
ChartOption = Annotated[Optional[Path], typer.Option(
    "--chart", help="Also draw a chart into this file (.png, .svg or .pdf).")]


def register(app: typer.Typer) -> None:
    """Add the analysis commands to ``app``."""
    from newsledger import cli as base

    def open_ledger(db: Path):
        """Read-only when the clusters are current, else writable so pending reports can be
        consolidated first (a short write: queries should not hold the writer's lock).
        Never creates a ledger."""
        from newsledger.consolidate import needs_update
        from newsledger.store import Ledger
        if not Path(db).exists():
            base.fail(f"no ledger at {db}: ingest something first")
        ledger = Ledger(db, read_only=True)
        try:
            if not needs_update(ledger):
                return ledger
        except BaseException:
            ledger.close()
            raise
        ledger.close()
        return Ledger(db)

    @app.command()
    def consolidate(
        db: DbOption = DEFAULT_DB,
        rebuild: Annotated[bool, typer.Option("--rebuild", help="Forget all clusters and "
                                                                 "consolidate again.")] = False,
    ):
        """Link reports of the same real event across articles into consolidated events.

        Incremental: only reports not yet in a cluster are placed. The analysis and export
        commands run this themselves first.

        Example: `newsledger consolidate --db news.duckdb`
        """
        def work():
            from newsledger import consolidate as cons
            from newsledger.store import Ledger
            if not Path(db).exists():
                base.fail(f"no ledger at {db}: ingest something first")
            with Ledger(db) as ledger:
                report = (cons.rebuild if rebuild else cons.consolidate)(ledger)
                totals = ledger.con.execute(
                    "SELECT count(*), coalesce(sum(num_reports), 0), "
                    "count(*) FILTER (WHERE num_articles > 1) FROM clusters").fetchall()[0]
            base.out.print(f"placed {report.placed} report(s): {report.merged} joined an "
                           f"existing event, {report.clusters_created} new; "
                           f"{report.pruned} stale member(s) removed")
            clusters, reports, multi = totals
            ratio = reports / clusters if clusters else 0
            base.out.print(f"{clusters} consolidated events from {reports} reports "
                           f"({ratio:.2f} reports per event; {multi} reported by 2+ articles)")
        base.run_safely(work)

    @app.command("show-event")
    def show_event(
        event_id: Annotated[str, typer.Argument(help="A consolidated event id (c-...) or the "
                                                     "id of any of its reports.")],
        db: DbOption = DEFAULT_DB,
        format: Annotated[str, typer.Option("--format", "-f", help="table or json")] = "table",
    ):
        """Show a consolidated event, its reports and why each report was merged.

        Example: `newsledger show-event c-5f1d613fdffa2ff7`
        """
        def work():
            from newsledger.analysis import prepare
            from newsledger.consolidate import explain
            with open_ledger(db) as ledger:
                prepare(ledger)
                found = explain(ledger, event_id)
            if found is None:
                base.fail(f"no consolidated event or report with id {event_id!r} in {db}")
            if format == "json":
                base.out.print_json(json.dumps(found, default=_jsonable, ensure_ascii=False))
                return
            print_explanation(base, found)
        base.run_safely(work)

    @app.command()
    def dyad(
        a: Annotated[str, typer.Argument(metavar="A", help="First actor code, e.g. IND.")],
        b: Annotated[str, typer.Argument(metavar="B", help="Second actor code, e.g. PAK.")],
        db: DbOption = DEFAULT_DB,
        by: Annotated[Period, typer.Option("--by", help="Period length.")] = Period.week,
        chart: ChartOption = None,
        format: FormatOption = OutFormat.table,
    ):
        """Events between two actors per period (both directions): counts per PLOVER type and
        quad class, Goldstein sum and mean. Each real event counts once.

        Example: `newsledger dyad IND PAK --by week --chart ind-pak.png`
        """
        def work():
            from newsledger import analysis
            with open_ledger(db) as ledger:
                frame = analysis.dyad(ledger, a, b, by=by.value).df()
            emit_frame(base, frame, format, f"{a.upper()} ↔ {b.upper()} per {by.value}")
            if chart:
                path = analysis.dyad_chart(frame, chart, a=a, b=b, by=by.value)
                base.err.print(f"chart written to {path}")
        base.run_safely(work)

    @app.command()
    def timeline(
        query: Annotated[str, typer.Argument(help="Words in the evidence, an actor's name or "
                                                  "code, or a place.")],
        db: DbOption = DEFAULT_DB,
        limit: Annotated[Optional[int], typer.Option(help="At most this many events.")] = None,
        chart: ChartOption = None,
        format: FormatOption = OutFormat.table,
    ):
        """The consolidated events of a story, in event-date order, with their best sentence.

        Example: `newsledger timeline "Pahalgam" --chart pahalgam.png`
        """
        def work():
            from newsledger import analysis
            with open_ledger(db) as ledger:
                frame = analysis.timeline(ledger, query, limit=limit).df()
            columns = ["date", "type", "source", "target", "place", "num_articles",
                       "num_sources", "best_evidence", "id"]
            emit_frame(base, frame[columns] if format is OutFormat.table else frame,
                       format, f"timeline: {query}")
            if chart:
                path = analysis.timeline_chart(frame, chart, title=f"Timeline: {query}")
                base.err.print(f"chart written to {path}")
        base.run_safely(work)

    @app.command()
    def actor(
        code: Annotated[str, typer.Argument(help="Actor code, e.g. IND or UN.")],
        db: DbOption = DEFAULT_DB,
        chart: ChartOption = None,
        format: FormatOption = OutFormat.table,
    ):
        """Profile of an actor: who it interacts with, how (types, quad classes), and how that
        changed between the first and second half of its period.

        Example: `newsledger actor IND --chart ind.png`
        """
        def work():
            from newsledger import analysis
            with open_ledger(db) as ledger:
                views = {k: v.df() for k, v in analysis.actor_profile(ledger, code).items()}
            if format is OutFormat.table:
                emit_frame(base, views["partners"], format, f"{code.upper()}: partners "
                           "(q1 verbal coop, q2 material coop, q3 verbal conflict, "
                           "q4 material conflict)")
                emit_frame(base, views["types"], format, f"{code.upper()}: event types")
                emit_frame(base, views["halves"], format, f"{code.upper()}: change between "
                           "the first and second half of its period")
            else:
                records = [dict(r, view=name) for name, frame in views.items()
                           for r in _records(frame)]
                emit_records(records, format)
            if chart:
                path = analysis.actor_chart(views["monthly"], views["partners"], chart,
                                            code=code)
                base.err.print(f"chart written to {path}")
        base.run_safely(work)

    @app.command()
    def export(
        format: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")],
        out: Annotated[Path, typer.Option("--out", "-o", help="Output file (a directory for "
                                                              "parquet).")],
        db: DbOption = DEFAULT_DB,
        since: Annotated[Optional[str], typer.Option(help="From this date (event date; "
                                                          "publication date for parquet/jsonl).")]
        = None,
        until: Annotated[Optional[str], typer.Option(help="Up to this date.")] = None,
        country: Annotated[Optional[str], typer.Option(help="Source, target or place country "
                                                            "code.")] = None,
        type: Annotated[Optional[list[str]], typer.Option("--type", "-t", help="PLOVER type "
                                                          "(repeatable).")] = None,
        level: Annotated[Level, typer.Option(help="csv: consolidated events or every "
                                                  "report.")] = Level.events,
    ):
        """Export the ledger: parquet (all tables, partitioned by month), jsonl (extraction
        records), csv, plover (PLOVER JSON records) or gdelt (GDELT 2.0 Events TSV).

        Example: `newsledger export --format gdelt --out events.tsv --since 2025-05-01`
        """
        def work():
            from newsledger.export import export as run
            with open_ledger(db) as ledger:
                n = run(ledger, format.value, out, level=level.value, since=since,
                        until=until, country=country, type=type)
            what = "articles" if format.value in ("parquet", "jsonl") else (
                "reports" if level is Level.reports and format.value == "csv" else "events")
            base.out.print(f"wrote {n} {what} to {out} ({format.value})")
        base.run_safely(work)

    @app.command("import")
    def import_(
        path: Annotated[Path, typer.Argument(help="A Parquet export directory or a JSONL file "
                                                  "of extraction records.")],
        db: DbOption = DEFAULT_DB,
    ):
        """Import an export (Parquet directory or JSONL) into a ledger; stored articles are
        skipped.

        Example: `newsledger import dump/ --db copy.duckdb`
        """
        def work():
            from newsledger.export import import_path
            from newsledger.store import Ledger
            with Ledger(db) as ledger:
                report = import_path(ledger, path)
            base.out.print(f"imported {report.articles} article(s) into {db}; "
                           f"{report.skipped_existing} already there; rows: "
                           + ", ".join(f"{k} {v}" for k, v in report.rows.items()))
        base.run_safely(work)


# ------------------------------------------------------------------------------- printing

def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def emit_records(records: list[dict[str, Any]], format: OutFormat) -> None:
    import csv
    import sys
    if format is OutFormat.json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif format is OutFormat.jsonl:
        for r in records:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
    else:
        columns = list(dict.fromkeys(k for r in records for k in r))
        writer = csv.DictWriter(sys.stdout, fieldnames=columns)
        writer.writeheader()
        writer.writerows({k: json.dumps(v) if isinstance(v, (list, dict)) else v
                          for k, v in r.items()} for r in records)


def _records(frame: Any) -> list[dict[str, Any]]:
    """JSON-ready rows: dates as YYYY-MM-DD, missing values as None, numpy scalars as Python."""
    rows = []
    for row in frame.to_dict("records"):
        rows.append({k: _plain(v) for k, v in row.items()})
    return rows


def _plain(value: Any) -> Any:
    if _missing(value):
        return None
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    if hasattr(value, "tolist"):  # numpy array (list columns)
        return value.tolist()
    return value


def emit_frame(base: Any, frame: Any, format: Any, title: str) -> None:
    if format is not OutFormat.table:
        emit_records(_records(frame), format)
        return
    from rich.table import Table
    table = Table(title=title)
    for col in frame.columns:
        table.add_column(str(col), overflow="fold",
                         max_width=70 if col in ("best_evidence", "evidence") else None)
    for row in frame.itertuples(index=False):
        table.add_row(*("" if _missing(v) else _short(v) for v in row))
    base.out.print(table)


def _missing(value: Any) -> bool:
    try:
        return value is None or value != value  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):
        return False


def _short(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)) or hasattr(value, "date"):
        return str(value)[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def print_explanation(base: Any, c: dict[str, Any]) -> None:
    from rich.table import Table
    out = base.out
    out.rule(f"[bold]{c['id']}[/]  {c['type']}  {c['source_country'] or '?'} → "
             f"{c['target_country'] or '?'}  ({c['date'] or 'undated'})")
    out.print(f"reported by {c['num_articles']} article(s) from {c['num_sources']} outlet(s), "
              f"{c['num_mentions']} mention(s), first {c['first_report']}, last "
              f"{c['last_report']}; place: {c['location_name'] or '-'}")
    out.print(f"best-dated report: {c['best_event_id']} in {c['best_article_id']} "
              f"(date basis: {c['date_basis']})")
    out.print(f"[italic]{' '.join((c['best_evidence'] or '').split())}[/]\n")
    table = Table(title="reports and why they were merged")
    for col in ("report", "article", "outlet", "date", "actors", "matched", "score", "rules"):
        table.add_column(col, overflow="fold")
    for m in c["members"]:
        reasons = m["reasons"] or {}
        if reasons.get("founded"):
            rules = "founded the event (first report in publication order)"
        else:
            rules = "\n".join(f"{'✓' if r.get('ok') else '✗'} {name} {r.get('score')}: "
                              f"{r.get('why')}" for name, r in reasons.items())
        table.add_row(m["event_id"], m["article_id"], m["outlet"] or "",
                      f"{m['date'] or '-'} ({m['date_basis']})",
                      f"{m['source_country'] or '?'} → {m['target_country'] or '?'}",
                      m["matched_event_id"] or "", "" if m["score"] is None else str(m["score"]),
                      rules)
    out.print(table)

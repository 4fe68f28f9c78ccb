"""The ``newsledger`` command: a thin layer over the Python API (``newsledger.read``,
``newsledger.extract``, ``newsledger.Ledger``). Every command has a library twin."""
from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(
    help="Turn dated news articles into a queryable ledger of who did what to whom, when and "
         "where.\n\nStart with `newsledger demo`, then `newsledger ingest FILES` and "
         "`newsledger events --country IND`.",
    no_args_is_help=True, rich_markup_mode="markdown", pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)
STATE = {"debug": False}

DbOption = Annotated[Path, typer.Option("--db", help="Ledger file (DuckDB).",
                                        envvar="NEWSLEDGER_DB")]
DEFAULT_DB = Path("newsledger.duckdb")
TimeLimitOption = Annotated[Optional[float], typer.Option(
    "--time-limit", help="Give up on an article after this many seconds (recorded as a "
                         "failure). Default: 300.")]
ModelOption = Annotated[Optional[str], typer.Option(
    "--model", envvar="NEWSLEDGER_MODEL",
    help="spaCy model package name or path (default: en_core_web_sm).")]


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


def fail(message: str, code: int = 1) -> None:
    """One readable sentence instead of a traceback (``--debug`` shows the traceback)."""
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def run_safely(fn):
    try:
        return fn()
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        fail("interrupted; whatever was committed is kept, rerun to finish", 130)
    except Exception as exc:  # noqa: BLE001 - the CLI turns every error into one sentence
        if STATE["debug"]:
            raise
        fail(f"{exc} (run with --debug for the traceback)")


@app.callback()
def main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False):
    STATE["debug"] = debug


def parse_date(value: Optional[str], what: str):
    if value is None:
        return None
    from newsledger.read import parse_date as read_date  # the same forms the readers accept
    try:
        return read_date(value)
    except ValueError:
        fail(f"{what} must be a date like 2025-05-05, not {value!r}")


def report_failure(failure) -> None:
    err.print(f"[yellow]skipped[/] {failure.origin}: {failure.reason}")


# ----------------------------------------------------------------------------- extract

@app.command()
def extract(
    inputs: Annotated[list[str], typer.Argument(help="Files or directories (JSONL, CSV, TXT, "
                                                     "HTML, .gz), or - for stdin.")],
    format: Annotated[ExtractFormat, typer.Option("--format", "-f", help="Output format.")]
    = ExtractFormat.jsonl,
    published: Annotated[Optional[str], typer.Option(help="Publication date for inputs "
                                                          "that carry none (YYYY-MM-DD).")] = None,
    min_confidence: Annotated[float, typer.Option(help="Only events at or above this "
                                                       "confidence (0-1).")] = 0.0,
    no_text: Annotated[bool, typer.Option("--no-text", help="Leave the article text out of "
                                                            "each record.")] = False,
    candidates: Annotated[bool, typer.Option(
        "--candidates", help="Also print events whose doer could not be placed in a country "
                             "or organisation (flagged \"candidate\": true).")] = False,
    model: ModelOption = None,
    time_limit: TimeLimitOption = None,
):
    """Extract events, quotes, dates, entities and places; print one record per article.

    Stateless: nothing is stored. Bad inputs are reported on stderr and skipped.

    Example: `newsledger extract articles.jsonl > records.jsonl`
    """
    def work():
        from newsledger.model import to_dict

        records = []
        for result in _extractions(inputs, published, model, candidates=candidates,
                                   min_confidence=min_confidence, time_limit=time_limit):
            record = to_dict(result)
            if no_text:
                record.pop("text", None)
            if format is ExtractFormat.jsonl:
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                records.append(record)
        if format is ExtractFormat.json:
            sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
        elif format is ExtractFormat.table:
            for record in records:
                print_events(record["events"], title=f"{record['id']}  {record['title']}")
    run_safely(work)


class UnplacedFormat(str, Enum):
    table = "table"
    txt = "txt"
    json = "json"


@app.command()
def unplaced(
    inputs: Annotated[list[str], typer.Argument(help="Files or directories of articles, or - "
                                                     "for stdin.")],
    limit: Annotated[int, typer.Option(help="Show this many, most acts first.")] = 50,
    all_doers: Annotated[bool, typer.Option("--all", help="Also list doers with no name in "
                                                          "them (\"lawmakers\").")] = False,
    format: Annotated[UnplacedFormat, typer.Option(
        "--format", "-f", help="table, txt (lines for a user dictionary file) or json.")]
    = UnplacedFormat.table,
    published: Annotated[Optional[str], typer.Option(help="Publication date for inputs "
                                                          "that carry none (YYYY-MM-DD).")] = None,
    model: ModelOption = None,
):
    """Actors your dictionaries lack: doers of acts the coder found but could not place.

    Example: `newsledger unplaced articles.jsonl --format txt > ~/my-actors/new.txt`, then fill
    in the codes and set NEWSLEDGER_DICTIONARIES=~/my-actors.
    """
    def work():
        from newsledger.unplaced import dictionary_lines, unplaced_doers

        # Candidates are the acts this report is made of, whatever --candidates means elsewhere.
        extractions = _extractions(inputs, published, model, candidates=True)
        rows = unplaced_doers(extractions, named_only=not all_doers)[:limit]
        if format is UnplacedFormat.txt:
            sys.stdout.write(dictionary_lines(rows))
        elif format is UnplacedFormat.json:
            sys.stdout.write(json.dumps([r.as_dict() for r in rows], ensure_ascii=False,
                                        indent=2) + "\n")
        else:
            table = Table(title="Unplaced doers: add them to a dictionary (docs/actors.md)")
            for col in ("doer", "acts", "articles", "types", "place"):
                table.add_column(col)
            table.add_column("example", no_wrap=True, overflow="ellipsis", max_width=60)
            for r in rows:
                table.add_row(r.name, str(r.acts), str(r.articles),
                              ", ".join(f"{t} {n}" for t, n in r.types.most_common()),
                              r.guess or "", r.example)
            out.print(table)
    run_safely(work)


def _extractions(inputs, published, model, *, candidates: bool, min_confidence: float = 0.0,
                 time_limit: Optional[float] = None):
    """The extractions of the articles in ``inputs``, in order; what cannot be read or extracted
    is reported on stderr and skipped. ``extract`` and ``unplaced`` both read through here so
    that they accept the same inputs and code them alike."""
    from newsledger.extract import DEFAULT_MODEL, Extractor
    from newsledger.read import read

    # The model loads before --published is checked, so a bad model is the error shown first.
    # No --time-limit (or 0) keeps the Extractor's default limit rather than none.
    extractor = Extractor(model or DEFAULT_MODEL, min_confidence=min_confidence,
                          candidates=candidates,
                          **({"time_limit": time_limit} if time_limit else {}))
    articles = _reported(read(inputs, published=parse_date(published, "--published")))
    return _reported(extractor.extract_many(articles))


def _reported(items):
    """Pass articles (or extractions) on; report failures on stderr as they happen."""
    from newsledger.model import Failure
    for item in items:
        if isinstance(item, Failure):
            report_failure(item)
        else:
            yield item


# ----------------------------------------------------------------------------- ingest

def _ingest_with_progress(ledger, inputs, published, batch_size, extractor=None):
    columns = (TextColumn("[bold]ingesting"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("ingest", total=None, rate="")
        started = time.monotonic()

        def progress(done: int, total: Optional[int]) -> None:
            rate = done / max(time.monotonic() - started, 1e-9)
            bar.update(task, completed=done, total=total, rate=f"{rate:.1f} articles/s")

        return ledger.ingest(inputs, published=published, batch_size=batch_size,
                             progress=progress, extractor=extractor)


def print_report(report, db) -> None:
    fields = ("read", "new", "skipped_existing", "failed", "events", "quotes")
    table = Table(title=f"ingest into {db}", show_header=False)
    for name in fields:
        if hasattr(report, name):
            table.add_row(name.replace("_", " "), f"{getattr(report, name):,}")
    if getattr(report, "elapsed", None):
        table.add_row("elapsed", f"{report.elapsed:.1f} s")
    out.print(table)
    if getattr(report, "failed", 0):
        out.print(f"[yellow]{report.failed} input(s) failed[/]: see `newsledger failures --db {db}`")


# ----------------------------------------------------------------------------- queries

@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    actor: Annotated[Optional[str], typer.Option(help="Source or target: name or code.")] = None,
    country: Annotated[Optional[str], typer.Option(help="Source, target or location country/IGO code.")]
    = None,
    source: Annotated[Optional[str], typer.Option(help="Source country/IGO code.")] = None,
    target: Annotated[Optional[str], typer.Option(help="Target country/IGO code.")] = None,
    type: Annotated[Optional[str], typer.Option("--type", "-t", help="PLOVER type, e.g. "
                                                                     "ACCUSE.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Event date from (YYYY-MM-DD).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Event date to (YYYY-MM-DD).")] = None,
    text: Annotated[Optional[str], typer.Option(help="Words in the evidence sentence.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 50,
    format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
):
    """List stored events, newest event date first, with filters.

    Example: `newsledger events --source RUS --type CONSULT --since 2025-01-01`
    """
    def work():
        from newsledger.model import to_dict
        from newsledger.store import Ledger
        with Ledger(db, read_only=True) as ledger:
            rows = ledger.events(actor=actor, country=country, source=source, target=target,
                                 type=type.upper() if type else None,
                                 since=parse_date(since, "--since"),
                                 until=parse_date(until, "--until"), text=text, limit=limit)
        records = [to_dict(e) for e in rows]
        emit(records, format, print_events)
    run_safely(work)


@app.command()
def quotes(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[Optional[str], typer.Option(help="Speaker name (part of it).")] = None,
    country: Annotated[Optional[str], typer.Option(help="Speaker's country code.")] = None,
    text: Annotated[Optional[str], typer.Option(help="Words in the quotation.")] = None,
    indirect: Annotated[bool, typer.Option(
        "--indirect", help="Reported speech without quote marks (\"X said that ...\") "
        "instead of quotations.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 50,
    format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
):
    """List stored quotations with their speakers.

    Example: `newsledger quotes --speaker Asif`
    """
    def work():
        from newsledger.model import to_dict
        from newsledger.store import Ledger
        with Ledger(db, read_only=True) as ledger:
            rows = ledger.quotes(speaker=speaker, country=country, text=text, limit=limit,
                                 direct=not indirect)
        emit([to_dict(q) for q in rows], format, print_quotes)
    run_safely(work)


@app.command()
def places(
    db: DbOption = DEFAULT_DB,
    country: Annotated[Optional[str], typer.Option(help="Country code (ISO3).")] = None,
    name: Annotated[Optional[str], typer.Option(help="Words in the place's name.")] = None,
    feature: Annotated[Optional[str], typer.Option(help="country, admin1, region or city.")]
    = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 50,
    format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
):
    """List geocoded places: mentions, articles and events located there.

    Example: `newsledger places --country IND`
    """
    def work():
        from newsledger.store import Ledger
        with Ledger(db, read_only=True) as ledger:
            rows = ledger.places_table(country=country, name=name, feature=feature,
                                       limit=limit).to_pylist()
        emit(rows, format, lambda rs, title=None: print_rows(
            rs, ("name", "country", "admin1", "feature", "lat", "lon", "mentions", "articles",
                 "events")))
    run_safely(work)


@app.command()
def show(
    article_id: Annotated[str, typer.Argument(help="The article's id.")],
    db: DbOption = DEFAULT_DB,
    format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table,
):
    """Show one stored article with everything extracted from it."""
    def work():
        from newsledger.model import to_dict
        from newsledger.store import Ledger
        with Ledger(db, read_only=True) as ledger:
            record = ledger.article(article_id)
        if record is None:
            fail(f"no article with id {article_id!r} in {db}")
        data = to_dict(record)
        if format is not QueryFormat.table:
            emit([data], format, None)
            return
        out.rule(f"[bold]{data['title'] or data['id']}[/]  ({data['published']})")
        out.print(data["text"], highlight=False)
        print_events(data["events"], title="events")
        print_quotes(data["quotes"], title="quotes")
    run_safely(work)


@app.command()
def failures(db: DbOption = DEFAULT_DB,
             limit: Annotated[int, typer.Option(help="At most this many rows.")] = 100,
             format: Annotated[QueryFormat, typer.Option("--format", "-f")] = QueryFormat.table):
    """List inputs that could not be read or extracted, with where and why."""
    def work():
        from newsledger.model import to_dict
        from newsledger.store import Ledger
        with Ledger(db, read_only=True) as ledger:
            rows = [to_dict(f) for f in ledger.failures(limit=limit)]
        emit(rows, format, lambda rs, title=None: print_rows(rs, ("origin", "stage", "reason")))
    run_safely(work)


# ----------------------------------------------------------------------------- eval

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
         "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


@app.command(name="eval")
def evaluate(
    gold: Annotated[list[Path], typer.Argument(help="Gold JSONL files (see docs/evaluation.md).")],
    pred: Annotated[Optional[Path], typer.Option(help="Score these extraction records instead "
                                                      "of extracting the gold texts.")] = None,
    worst: Annotated[int, typer.Option(help="How many of the worst articles to list.")] = 5,
    model: ModelOption = None,
):
    """Score extraction against gold articles: events, event dates, quotes, dates.

    Prints the reference scorer's figures, a per-type confusion table and the worst articles.

    Example: `newsledger eval ../shared/gold/dev.jsonl`
    """
    def work():
        from newsledger.evaluate import load_jsonl, prf, score
        gold_records = [r for path in gold for r in load_jsonl(path)]
        predicted = ({str(r.get("id")): r for r in load_jsonl(pred)} if pred
                     else extract_gold(gold_records, model))
        s = score(gold_records, predicted)
        table = Table(title="events by type")
        for col in ("type", "tp", "fp", "fn", "P", "R", "F1"):
            table.add_column(col, justify="right" if col != "type" else "left")
        for t in TYPES:
            c = s.per_type.get(t, Counter())
            p_, r_, f_ = prf(c["tp"], c["fp"], c["fn"])
            table.add_row(t, str(c["tp"]), str(c["fp"]), str(c["fn"]),
                          f"{p_:.2f}", f"{r_:.2f}", f"{f_:.2f}")
        out.print(table)
        confusion = Table(title="confusion (gold type -> predicted type, same actors; - = none)")
        for col in ("gold", "predicted", "n"):
            confusion.add_column(col)
        for (g, p_), n in s.confusion.most_common(15):
            confusion.add_row(g, p_, str(n))
        out.print(confusion)
        ranked = sorted(s.articles, key=lambda a: -(len(a[1]) + len(a[2])))[:worst]
        for aid, missed, spurious in ranked:
            if missed or spurious:
                out.print(f"[bold]{aid}[/] missed {missed} spurious {spurious}")
        out.print_json(json.dumps(s.summary()))
    run_safely(work)


def extract_gold(records: list[dict], model: Optional[str] = None) -> dict[str, dict]:
    from newsledger.extract import DEFAULT_MODEL, Extractor
    from newsledger.model import Failure, to_dict
    from newsledger.read import make_article
    extractor = Extractor(model or DEFAULT_MODEL)
    articles = [make_article(text=r["text"], published=r.get("published"), id=r.get("id"),
                             title=r.get("title", ""), origin=f"gold:{r.get('id')}")
                for r in records]
    return {x.id: to_dict(x) for x in extractor.extract_many(articles)
            if not isinstance(x, Failure)}


# ----------------------------------------------------------------------------- demo

@app.command()
def demo(
    db: Annotated[Optional[Path], typer.Option("--db", help="Where to write the demo ledger "
                                                            "(default: a temporary file).")]
    = None,
):
    """Ingest the bundled sample corpus into a fresh ledger and show what was found."""
    def work():
        from newsledger.consolidate import consolidate
        from newsledger.store import Ledger
        path = db or Path(tempfile.mkdtemp(prefix="newsledger-demo-")) / "demo.duckdb"
        if path.exists():
            path.unlink()
        corpus = resources.files("newsledger") / "data" / "sample" / "articles.jsonl"
        with resources.as_file(corpus) as corpus_path, Ledger(path) as ledger:
            report = _ingest_with_progress(ledger, [str(corpus_path)], None, 64)
            consolidate(ledger)
            print_report(report, path)
            print_demo_summary(ledger)
        out.print(f"\nExplore it: [bold]newsledger events --db {path}[/]  ·  "
                  f"[bold]newsledger quotes --db {path}[/]")
    run_safely(work)


def print_demo_summary(ledger) -> None:
    from newsledger.model import to_dict
    evs = [to_dict(e) for e in ledger.events(limit=None)]
    by_type = Counter(e["type"] for e in evs)
    table = Table(title="events by type")
    table.add_column("type")
    table.add_column("events", justify="right")
    for name, n in by_type.most_common():
        table.add_row(name, str(n))
    out.print(table)
    dyads = Counter((code(e["source"]), code(e["target"])) for e in evs
                    if e["source"] and e["target"])
    table = Table(title="top dyads")
    for col in ("source", "target", "events"):
        table.add_column(col)
    for (s, t), n in dyads.most_common(8):
        table.add_row(s, t, str(n))
    out.print(table)
    if dyads:
        (s, t), _ = dyads.most_common(1)[0]
        print_story(ledger, s, t)


def print_story(ledger, a: str, b: str) -> None:
    """The consolidated events between ``a`` and ``b``, in event-date order."""
    from newsledger.analysis import timeline
    rows = [r for r in timeline(ledger, a).df().to_dict("records")
            if {r["source"], r["target"]} == {a, b}]
    reports = ledger.sql("SELECT count(*) AS n FROM events WHERE (source_country = ? AND "
                         "target_country = ?) OR (source_country = ? AND target_country = ?)",
                         [a, b, b, a]).to_pylist()[0]["n"]
    table = Table(title=f"timeline of the biggest story, {a} and {b}: {reports} reports of "
                        f"{len(rows)} real events")
    for col in ("date", "type", "source → target", "articles", "best evidence"):
        table.add_column(col, no_wrap=True)
    room = max(12, out.width - 62)
    for r in rows:
        table.add_row(r["date"] or "", r["type"], f"{r['source']} → {r['target']}",
                      str(r["num_articles"]), clip(r["best_evidence"] or "", room))
    out.print(table)


# ----------------------------------------------------------------------------- output

def code(actor) -> str:
    if not actor:
        return "-"
    return actor.get("country") or actor.get("name") or "-"


def emit(records: list[dict], format: QueryFormat, table_printer) -> None:
    if format is QueryFormat.json:
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif format is QueryFormat.jsonl:
        for r in records:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
    elif format is QueryFormat.csv:
        write_csv(records)
    else:
        table_printer(records)


def write_csv(records: list[dict]) -> None:
    import csv
    flat = [flatten(r) for r in records]
    columns = list(dict.fromkeys(k for r in flat for k in r))
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(flat)


def flatten(record: dict, prefix: str = "") -> dict:
    """Nested objects become prefixed columns (source_country ...); lists become JSON."""
    flat = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}_"))
        elif isinstance(value, list):
            flat[name] = json.dumps(value, ensure_ascii=False)
        else:
            flat[name] = value
    return flat


def clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def print_events(records: list[dict], title: Optional[str] = None) -> None:
    table = Table(title=title)
    for col in ("date", "type", "source → target", "trigger", "evidence"):
        table.add_column(col, no_wrap=True)
    room = max(12, out.width - 71)  # the evidence gets whatever the fixed columns leave
    for e in records:
        table.add_row(e.get("date") or "", e["type"],
                      f"{code(e.get('source'))} → {code(e.get('target'))}",
                      clip((e.get("trigger") or {}).get("text", ""), 20),
                      clip((e.get("evidence") or {}).get("text", ""), room))
    out.print(table)


def print_quotes(records: list[dict], title: Optional[str] = None) -> None:
    table = Table(title=title)
    for col in ("speaker", "country", "quote"):
        table.add_column(col, overflow="fold")
    for q in records:
        sp = q.get("speaker") or {}
        table.add_row(sp.get("name") or sp.get("text") or "?", sp.get("country") or "",
                      q["text"][:200])
    out.print(table)


def print_rows(records: list[dict], columns: tuple[str, ...]) -> None:
    table = Table()
    for col in columns:
        table.add_column(col, overflow="fold")
    for r in records:
        table.add_row(*(str(r.get(c) or "") for c in columns))
    out.print(table)


from newsledger.cli_analysis import register as _register_analysis  # noqa: E402
from newsledger.cli_serve import register as _register_serve  # noqa: E402

from newsledger.cli_scale import ingest as _scaled_ingest  # noqa: E402

# ingest (with --workers / --engine spark) lives in cli_scale; registered here to keep its
# place among the core commands.
app.command(name="ingest")(_scaled_ingest)
_register_analysis(app)
_register_serve(app)

if __name__ == "__main__":
    app()

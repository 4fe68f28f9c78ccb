"""Apache Spark engine: the same extraction on a cluster, written as partitioned Parquet.

``run_spark(spark, inputs, out_dir)`` reads JSON Lines (``.jsonl``, ``.jsonl.gz``, any text
file with one JSON object per line) or Parquet from any path Spark can read (local disk,
``hdfs://``, ``s3a://`` ...), runs the newsledger pipeline in ``mapInArrow`` with the model
loaded once per Python worker (``get_extractor`` caches it per process, and Spark reuses its
Python workers across tasks), and writes under ``out_dir``:

- ``records/``: one row per input, the canonical extraction record (``kind`` is
  ``extraction`` or ``failure``; ``record`` is the JSON of ``newsledger.model.to_dict``).
  ``import_parquet`` loads a ledger from it.
- ``articles/``, ``events/`` (partitioned by ``year``/``month`` of the event's date, else the
  publication date), ``quotes/``, ``dates/``, ``entities/``, ``places/``, ``failures/``: the
  columns of the ledger's tables (``newsledger.store.TABLES``), so DuckDB can query them
  directly::

      SELECT type, count(*) FROM read_parquet('out/events/**/*.parquet', hive_partitioning=true)
      GROUP BY type

Ids are deterministic (hashes of the article id and the event's content), so a retried or
speculative Spark task produces the same rows, and importing twice stores each article once.

>>> spark = local_session("local[2]")                                   # doctest: +SKIP
>>> run_spark(spark, "news.jsonl", "out/")                              # doctest: +SKIP
{'inputs': 26, 'articles': 26, 'failures': 0, 'events': 61}
>>> with Ledger("news.duckdb") as ledger:                               # doctest: +SKIP
...     import_parquet(ledger, "out/")
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

__all__ = ["local_session", "spark_session", "run_spark", "import_parquet", "TABLE_NAMES",
           "spark_schema"]

RECORD_SCHEMA = "article_id string, kind string, origin string, record string"
TABLE_NAMES = ("articles", "events", "quotes", "dates", "entities", "places", "failures")
_SPARK_TYPES = {"VARCHAR": "string", "JSON": "string", "INTEGER": "int", "BIGINT": "bigint",
                "DOUBLE": "double", "DATE": "date", "BOOLEAN": "boolean",
                "TIMESTAMP": "timestamp_ntz", "VARCHAR[]": "array<string>"}
PARTITION_COLUMNS = ("year", "month")


def spark_schema(table: str) -> str:
    """The Spark DDL schema of a ledger table (events gain ``year`` and ``month``)."""
    from newsledger.store import TABLES
    columns = [f"`{name}` {_SPARK_TYPES[kind]}" for name, kind in TABLES[table]]
    if table == "events":
        columns += ["`year` int", "`month` int"]
    return ", ".join(columns)


def local_session(master: str = "local[2]", app: str = "newsledger", **conf: str) -> Any:
    """A SparkSession for one machine (tests, small corpora): no UI, few shuffle partitions,
    Python workers running this interpreter."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    builder = (SparkSession.builder.master(master).appName(app)
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC"))
    for key, value in conf.items():
        builder = builder.config(key.replace("_", "."), value)
    return builder.getOrCreate()


def spark_session(master: str | None = None, app: str = "newsledger") -> Any:
    """The session to run on: ``master`` if given; under ``spark-submit``, the master it was
    given; otherwise ``local[*]`` (every core of this machine)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession
    builder = (SparkSession.builder.appName(app).config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.showConsoleProgress", "false"))
    if master:
        builder = builder.master(master)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:  # not launched by spark-submit
        builder = builder.master("local[*]")
    return builder.getOrCreate()


# ------------------------------------------------------------------------------ executors

def _extract_batches(batches: Iterator[pa.RecordBatch], model: str, published: str | None,
                     chunk: int) -> Iterator[pa.RecordBatch]:
    """Lines of JSON (with where they came from) -> one extraction record per line."""
    from newsledger.extract import get_extractor  # cached: loaded once per Python worker
    from newsledger.model import Article, Failure, to_dict
    from newsledger.read import _attempt, _json_line, parse_date

    fallback = parse_date(published) if published else None
    extractor = None
    for batch in batches:
        items = [_attempt(_json_line, line, origin, fallback)
                 for line, origin in zip(batch.column("line").to_pylist(),
                                         batch.column("origin").to_pylist())]
        articles = [a for a in items if isinstance(a, Article)]
        if articles and extractor is None:
            extractor = get_extractor(model)
        results = iter(extractor.extract_many(articles, batch_size=chunk) if articles else ())
        rows = []
        for item in items:
            result = next(results) if isinstance(item, Article) else item
            kind = "failure" if isinstance(result, Failure) else "extraction"
            rows.append({"article_id": result.article_id if kind == "failure" else result.id,
                         "kind": kind, "origin": item.origin,
                         "record": json.dumps(to_dict(result), ensure_ascii=False)})
        yield pa.RecordBatch.from_pylist(rows, schema=_record_arrow_schema())


def _record_arrow_schema() -> pa.Schema:
    return pa.schema([("article_id", pa.string()), ("kind", pa.string()),
                      ("origin", pa.string()), ("record", pa.string())])


def _table_batches(batches: Iterator[pa.RecordBatch], table: str,
                   now: dt.datetime) -> Iterator[pa.RecordBatch]:
    """Extraction records -> rows of one ledger table, built as the store builds them."""
    for batch in batches:
        rows = []
        for kind, origin, record in zip(batch.column("kind").to_pylist(),
                                        batch.column("origin").to_pylist(),
                                        batch.column("record").to_pylist()):
            rows += _rows_of(table, kind, origin or "", json.loads(record), now)
        yield pa.RecordBatch.from_pylist(rows, schema=_table_arrow_schema(table))


def _table_arrow_schema(table: str) -> pa.Schema:
    from newsledger.store import _arrow_schema
    schema = _arrow_schema(table)
    if table == "events":
        schema = schema.append(pa.field("year", pa.int32())).append(pa.field("month", pa.int32()))
    return schema


def _rows_of(table: str, kind: str, origin: str, data: dict[str, Any],
             now: dt.datetime) -> list[dict[str, Any]]:
    from newsledger import store
    from newsledger.model import Failure, extraction_from_dict

    if table == "failures":
        if kind != "failure":
            return []
        f = Failure(data["origin"], data["reason"], data.get("article_id"), data["stage"])
        return [{"id": store._failure_key(f), "origin": f.origin, "article_id": f.article_id,
                 "stage": f.stage, "reason": f.reason, "recorded_at": now}]
    if kind != "extraction":
        return []
    ex = extraction_from_dict(data)
    if table == "articles":
        return [store._article_row(ex, origin, now)]
    if table == "events":
        ids = _unique(ex.id, "events", [ev.id or store._digest(ex.id, "event", ev.type, i)
                                        for i, ev in enumerate(ex.events)])
        rows = [store._event_row(ex.id, i, ev, ids[i]) for i, ev in enumerate(ex.events)]
        for row in rows:
            day = row["date_start"] or ex.published
            row["year"], row["month"] = (day.year, day.month) if day else (None, None)
        return rows
    if table == "quotes":
        ids = _unique(ex.id, "quotes", [store._digest(ex.id, "quote", q.start, q.end)
                                        for q in ex.quotes])
        return [store._quote_row(ex.id, i, q, ids[i]) for i, q in enumerate(ex.quotes)]
    return [store._plain_row(ex.id, i, x, table) for i, x in enumerate(getattr(ex, table))]


def _unique(article_id: str, table: str, wanted: list[str]) -> list[str]:
    """The store's rule for ids repeated within one article (see ``Ledger._unique_ids``)."""
    from newsledger.store import _digest
    taken: set[str] = set()
    out = []
    for i, value in enumerate(wanted):
        if value in taken:
            value = _digest(article_id, table, i, value)
        taken.add(value)
        out.append(value)
    return out


# ---------------------------------------------------------------------------------- driver

def _read_lines(spark: Any, inputs: list[str], fmt: str) -> Any:
    """A DataFrame of (line, origin): one JSON object per input record."""
    from pyspark.sql import functions as F
    if fmt == "parquet":
        frame = spark.read.parquet(*inputs)
        line = F.to_json(F.struct(*[F.col(f"`{c}`") for c in frame.columns]))
    else:
        frame = spark.read.text(inputs)
        line = F.col("value")
    # Spark has no line numbers: the row id is stable for the same input and partitioning
    origin = F.concat(F.input_file_name(), F.lit("#"), F.monotonically_increasing_id())
    return frame.select(line.alias("line"), origin.alias("origin")).where(F.trim("line") != "")


def _format(inputs: list[str], fmt: str | None) -> str:
    if fmt:
        return fmt
    names = [i.rstrip("/").lower() for i in inputs]
    return "parquet" if all(n.endswith(".parquet") or n.endswith(".pq") for n in names) \
        else "jsonl"


def run_spark(spark: Any, inputs: str | list[str], out_dir: str, *, fmt: str | None = None,
              published: str | None = None, model: str | None = None,
              partitions: int | None = None, chunk: int = 32) -> dict[str, int]:
    """Extract every record of ``inputs`` and write ``records/`` and the tables under
    ``out_dir`` (replacing what is there); returns counts.

    ``fmt``: ``jsonl`` (default, also for ``.gz``) or ``parquet`` (default when every input
    ends in ``.parquet``); ``published``: the date for records without one; ``partitions``:
    extraction tasks (default: Spark's parallelism, so every core gets work); ``chunk``:
    articles per ``nlp.pipe`` call.
    """
    from pyspark.sql import functions as F
    from newsledger.extract.pipeline import DEFAULT_MODEL

    inputs = [inputs] if isinstance(inputs, str | Path) else list(inputs)
    inputs = [str(i) for i in inputs]
    model = model or DEFAULT_MODEL
    out = str(out_dir).rstrip("/")
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", str(max(chunk, 1)))
    lines = _read_lines(spark, inputs, _format(inputs, fmt))
    wanted = partitions or spark.sparkContext.defaultParallelism
    if lines.rdd.getNumPartitions() < wanted:  # one small file is one partition: spread it
        lines = lines.repartition(wanted)
    records = lines.mapInArrow(
        lambda batches: _extract_batches(batches, model, published, chunk), RECORD_SCHEMA)
    records.write.mode("overwrite").parquet(f"{out}/records")

    stored = spark.read.parquet(f"{out}/records")
    # A record repeated in the input (or by a rerun into the same place) is one article.
    # Repartitioned by the key first, so the deduplication needs no further shuffle and runs
    # in as many tasks as the extraction (not spark.sql.shuffle.partitions, 200 by default).
    extractions = stored.where(F.col("kind") == "extraction")
    failures = stored.where(F.col("kind") == "failure")
    unique = extractions.repartition(wanted, "article_id").dropDuplicates(["article_id"]) \
        .unionByName(failures.repartition(1, "record").dropDuplicates(["record"])) \
        .persist()  # deduplicated once, read by every table below
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    for table in TABLE_NAMES:
        frame = unique.mapInArrow(lambda b, t=table: _table_batches(b, t, now),
                                  spark_schema(table))
        writer = frame.write.mode("overwrite")
        if table == "events":
            writer = writer.partitionBy(*PARTITION_COLUMNS)
        writer.parquet(f"{out}/{table}")
    unique.unpersist()
    counts = {row["kind"]: row["count"] for row in stored.groupBy("kind").count().collect()}
    return {"inputs": sum(counts.values()), "articles": counts.get("extraction", 0),
            "failures": counts.get("failure", 0),
            "events": spark.read.parquet(f"{out}/events").count()}


# ---------------------------------------------------------------------------------- import

def import_parquet(ledger: Any, out_dir: str | Path, *, batch_size: int = 256,
                   replace: bool = False) -> Any:
    """Store the ``records/`` a Spark run wrote into a ledger (``Ledger.add``, batch by batch;
    articles already stored are skipped, so importing twice changes nothing).

    Reads local paths (copy remote output first, e.g. ``hdfs dfs -get``). Returns the
    ``IngestReport``.
    """
    import pyarrow.dataset as ds
    from newsledger.model import Failure, extraction_from_dict
    from newsledger.store import IngestReport

    total = IngestReport()
    dataset = ds.dataset(str(Path(out_dir) / "records"), format="parquet")
    for batch in dataset.to_batches(batch_size=batch_size):
        records, origins = [], {}
        for kind, origin, record in zip(batch.column("kind").to_pylist(),
                                        batch.column("origin").to_pylist(),
                                        batch.column("record").to_pylist()):
            data = json.loads(record)
            if kind == "failure":
                records.append(Failure(data["origin"], data["reason"], data.get("article_id"),
                                       data["stage"]))
            else:
                records.append(extraction_from_dict(data))
                origins[data["id"]] = origin or ""
        part = ledger.add(records, batch_size=max(len(records), 1), origins=origins,
                          replace=replace)
        for name in ("read", "new", "skipped_existing", "failed", "events", "quotes"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
        total.elapsed += part.elapsed
        total.failures.extend(part.failures[:max(total.MAX_KEPT - len(total.failures), 0)])
    return total

"""The Spark engine (local[2]) produces the same events, with the same ids, as the local engine.

Needs Java 17+ (``scripts/ensure_java.sh`` installs it on Debian/Ubuntu) and pyspark
(``requirements/spark.txt``); skipped with the reason when either is missing.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "newsledger" / "data" / "sample" / "articles.jsonl"


def java_version() -> int | None:
    if not shutil.which("java"):
        return None
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not found:
        return None
    major = int(found[1])
    return int(found[2] or 0) if major == 1 else major  # "1.8.0" is Java 8


JAVA = java_version()
pytestmark = pytest.mark.skipif(
    JAVA is None or JAVA < 17,
    reason=f"Spark 4 needs Java 17+ (found: {JAVA or 'no java'}); run scripts/ensure_java.sh")
pyspark = pytest.importorskip("pyspark", reason="pyspark not installed "
                                                "(pip install -r requirements/spark.txt)")


@pytest.fixture(scope="module")
def spark():
    from newsledger.engine.spark import local_session
    session = local_session("local[2]", spark_ui_showConsoleProgress="false")
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def rows(ledger, sql: str) -> list[tuple]:
    return sorted(tuple(map(str, r.values())) for r in ledger.sql(sql).to_pylist())


def test_spark_output_equals_the_local_engine(spark, tmp_path):
    from newsledger.engine.local import ingest_parallel
    from newsledger.engine.spark import import_parquet, run_spark
    from newsledger.store import TABLES, Ledger

    out = tmp_path / "out"
    counts = run_spark(spark, str(SAMPLE), str(out))
    with Ledger(tmp_path / "local.duckdb") as ledger:
        report = ingest_parallel(ledger, [str(SAMPLE)], workers=2, chunk_size=4)
    assert counts["articles"] == report.new > 20 and counts["failures"] == 0
    assert counts["events"] == report.events > 20
    assert list((out / "events").glob("year=*/month=*/*.parquet"))

    event_columns = ", ".join(f'"{c}"' for c, _ in TABLES["events"])
    with Ledger(tmp_path / "local.duckdb", read_only=True) as local:
        expected = rows(local, f"SELECT {event_columns} FROM events")
        # DuckDB reads Spark's partitioned Parquet directly
        spark_events = rows(local, f"SELECT {event_columns} FROM read_parquet("
                                   f"'{out}/events/**/*.parquet', hive_partitioning=true)")
        assert spark_events == expected
        local_tables = {t: rows(local, f"SELECT * EXCLUDE (origin, ingested_at) FROM {t}"
                                if t == "articles" else f"SELECT * FROM {t}")
                        for t in ("articles", "quotes", "dates", "entities", "places")}

    with Ledger(tmp_path / "imported.duckdb") as ledger:
        first = import_parquet(ledger, out)
        again = import_parquet(ledger, out)  # dedupe by id: nothing is stored twice
        assert (first.new, first.events) == (report.new, report.events)
        assert (again.new, again.skipped_existing) == (0, report.new)
        assert rows(ledger, f"SELECT {event_columns} FROM events") == expected
        for table, want in local_tables.items():
            sql = (f"SELECT * EXCLUDE (origin, ingested_at) FROM {table}"
                   if table == "articles" else f"SELECT * FROM {table}")
            assert rows(ledger, sql) == want, table


def test_parquet_input_with_a_bad_record(spark, tmp_path):
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsledger.engine.spark import run_spark
    from newsledger.store import Ledger

    texts = ["Kenya and Uganda signed a trade agreement in Nairobi on Monday.",
             "Protesters marched in Lima on Sunday against the new tax.", "No date here."]
    pq.write_table(pa.table({"id": ["p1", "p2", "p3"], "text": texts,
                             "published": [dt.date(2025, 5, 5), dt.date(2025, 5, 6), None]}),
                   tmp_path / "in.parquet")
    counts = run_spark(spark, str(tmp_path / "in.parquet"), str(tmp_path / "out"))
    assert (counts["inputs"], counts["articles"], counts["failures"]) == (3, 2, 1)
    with Ledger(":memory:") as ledger:
        failures = ledger.sql(f"SELECT article_id, stage, reason FROM "
                              f"'{tmp_path}/out/failures/*.parquet'").to_pylist()
        articles = ledger.sql(f"SELECT id, published FROM '{tmp_path}/out/articles/*.parquet' "
                              "ORDER BY id").to_pylist()
    assert [(f["article_id"], f["stage"]) for f in failures] == [("p3", "read")]
    assert "missing publication date" in failures[0]["reason"]
    assert articles == [{"id": "p1", "published": dt.date(2025, 5, 5)},
                        {"id": "p2", "published": dt.date(2025, 5, 6)}]

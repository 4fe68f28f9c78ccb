"""``spark-submit`` entry point of the Spark engine.

    spark-submit --master yarn --py-files newsledger.zip newsledger/engine/spark_job.py \\
        hdfs:///news/2025/*.jsonl.gz --out hdfs:///newsledger/2025

Every executor needs newsledger, its dependencies and the spaCy model installed (or shipped
with ``--archives`` as a packed virtualenv); see ``docs/scale.md``. Also runnable as
``python -m newsledger.engine.spark_job`` (then it runs on ``local[*]`` unless ``--master``).
"""
from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="spark_job.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="JSON Lines or Parquet paths (any Hadoop FS)")
    parser.add_argument("--out", required=True, help="output directory for the Parquet tables")
    parser.add_argument("--format", choices=("jsonl", "parquet"), default=None)
    parser.add_argument("--published", help="date for records without one (YYYY-MM-DD)")
    parser.add_argument("--model", help="spaCy model (default: the newsledger default)")
    parser.add_argument("--partitions", type=int, help="extraction tasks (default: parallelism)")
    parser.add_argument("--chunk", type=int, default=32, help="articles per nlp.pipe call")
    parser.add_argument("--master", help="Spark master (default: spark-submit's, or local[*])")
    args = parser.parse_args(argv)

    from newsledger.engine.spark import run_spark, spark_session
    spark = spark_session(args.master)
    try:
        counts = run_spark(spark, args.inputs, args.out, fmt=args.format,
                           published=args.published, model=args.model,
                           partitions=args.partitions, chunk=args.chunk)
    finally:
        spark.stop()
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())

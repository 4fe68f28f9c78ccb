"""Engines that run extraction at scale.

- ``newsledger.engine.local``: every core of one machine. Worker processes run the spaCy
  pipeline; the main process is the single DuckDB writer (``ingest_parallel``).
- ``newsledger.engine.spark``: Apache Spark (``run_spark``, ``import_parquet``), for corpora
  that live on a cluster filesystem. Importing it does not import pyspark.

Both produce exactly what the single-process ``Ledger.ingest`` produces: the same articles, the
same events with the same ids (ids are hashes of the article id and the event's content).
"""

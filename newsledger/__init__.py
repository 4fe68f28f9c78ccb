"""newsledger: dated news articles in, a queryable ledger of political events out.

>>> import newsledger
>>> ex = newsledger.extract("Putin met Modi in Moscow on Monday.", published="2025-05-07")
>>> with newsledger.Ledger("news.duckdb") as ledger:      # doctest: +SKIP
...     ledger.ingest(["articles.jsonl"])
...     ledger.events(country="IND", type="ACCUSE")
"""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["extract", "Ledger", "read", "__version__"]


def __getattr__(name: str):
    # Lazy: importing newsledger must not load spaCy or DuckDB until they are used.
    if name == "extract":  # a callable package: newsledger.extract(text, published=...)
        import newsledger.extract as extract
        return extract
    if name == "Ledger":
        from newsledger.store import Ledger
        return Ledger
    if name == "read":
        from newsledger.read import read
        return read
    raise AttributeError(f"module 'newsledger' has no attribute {name!r}")

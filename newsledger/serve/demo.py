"""The demo ledger the web tests (and a curious user) serve: the bundled sample, consolidated.

>>> path = build_demo("/tmp/demo.duckdb")                                 # doctest: +SKIP
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample" / "articles.jsonl"


def build_demo(path: str | Path, extractor: Any = None) -> Path:
    """Ingest the bundled sample into ``path`` and consolidate it (when that module exists)."""
    from newsledger.store import Ledger
    path = Path(path)
    with Ledger(path) as ledger:
        ledger.ingest(str(SAMPLE), extractor=extractor)
        try:
            from newsledger.consolidate import consolidate
        except ImportError:  # consolidation not installed: the API says so where it matters
            return path
        consolidate(ledger)
    return path

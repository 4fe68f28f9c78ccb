#!/usr/bin/env python
"""Fuzz the extractor: any text, published on any date, must give an Extraction or a Failure
that names a reason the extractor gives on purpose (empty, too long, not English, too slow).
A Failure "extraction failed: <exception>" means a pipeline stage crashed: that is a finding.
Offsets of everything extracted must lie inside the text.

The first two bytes of an input pick the publication date (any day from year 1 to 9999, with
the calendar's edges and today's years weighted up); the rest, decoded as UTF-8 with
replacement characters, is the text. See fuzz/README.md.
"""
from __future__ import annotations

import datetime as dt
import sys

from driver import run

extractor = None
EDGES = [dt.date(1, 1, 1), dt.date(1, 1, 3), dt.date(9999, 12, 31), dt.date(9999, 12, 28),
         dt.date(2025, 5, 5), dt.date(2024, 2, 29), dt.date(1970, 1, 1), dt.date(2038, 1, 19)]
EXPECTED = ("empty text", "text too long", "not English", "language not accepted",
            "extraction took longer than")
# Findings already reported to their owners (docs/reliability.md), skipped so that a long run
# looks for new ones; ``--strict`` counts them again.
KNOWN: tuple[str, ...] = ()  # e.g. ("extraction failed: OverflowError: date value",)
STRICT = "--strict" in sys.argv
if STRICT:
    sys.argv.remove("--strict")


def load() -> None:
    global extractor
    from newsledger.extract.pipeline import Extractor
    extractor = Extractor(time_limit=20)


def published(two: bytes) -> dt.date:
    number = int.from_bytes(two.ljust(2, b"\0"), "big")
    if number % 4 == 0:
        return EDGES[(number // 4) % len(EDGES)]
    if number % 4 == 1:
        return dt.date(1990, 1, 1) + dt.timedelta(days=number % 15000)
    return dt.date.fromordinal(1 + number * 55 % 3652058)


SEEDS = [b"\x00\x10" + s.encode() for s in [
    "The foreign minister of Ruritania said on Monday that talks with Freedonia had collapsed.",
    'Police killed 12 protesters in the capital last week, officials said. "We will not stop," '
    "a spokesman for the opposition told reporters on Friday.",
    "President Xi met Biden in Paris next Tuesday; NATO and the EU accused Russia of "
    "shelling Kyiv two days ago.\n\nUN envoys will travel to Gaza in March 2025.",
    "BREAKING\nKYIV, May 5 (Reuters) - Ukraine said Russian drones struck Odesa overnight.",
]] + [b"\x00\x00" + b"The vote was held yesterday in the capital.",
      b"\x00\x08" + b"Talks will resume next week in Geneva, the ministry said."]


def target(data: bytes) -> None:
    from newsledger.model import Article, Extraction, Failure

    if extractor is None:
        load()
    text = data[2:].decode("utf-8", "replace")
    article = Article("fuzz", text, published(data[:2]), origin="fuzz:1")
    result = extractor.extract_or_fail(article)
    if isinstance(result, Failure):
        if not result.reason.startswith(EXPECTED + (() if STRICT else KNOWN)):
            raise RuntimeError(f"{result.reason} (published {article.published})")
        return
    assert isinstance(result, Extraction)
    for span in [*result.entities, *result.dates, *result.places, *result.quotes]:
        assert 0 <= span.start <= span.end <= len(text), span


if __name__ == "__main__":
    sys.exit(run(target, SEEDS, "extract", instrument=load))

#!/usr/bin/env python
"""Fuzz the readers: any bytes, as any input format, must give Articles or Failures, never an
exception, and everything they give must be storable (UTF-8 encodable, a date, some text).

The first byte of an input picks the file type (``.jsonl``, ``.csv``, ``.html``, ``.gz`` ...);
the rest is the file. Run with atheris (``python fuzz/fuzz_read.py -runs=100000``) or the
pure-Python driver (``python fuzz/fuzz_read.py --fallback --runs 20000``); see fuzz/README.md.
"""
from __future__ import annotations

import datetime as dt
import gzip
import json
import sys
import tempfile
from pathlib import Path

from driver import run

SUFFIXES = [".jsonl", ".json", ".csv", ".tsv", ".txt", ".md", ".html", ".jsonl.gz", ".gz",
            ".ndjson", ".htm", ".csv.gz"]
FOLDER = Path(tempfile.mkdtemp(prefix="fuzz_read_"))
read = None


def load() -> None:
    global read
    from newsledger.read import read as reader
    read = reader


STORY = "The minister of Ruritania met envoys from Freedonia in Zenda on Monday."
SEEDS = [bytes([0]) + b"\n".join(json.dumps(r).encode() for r in [
            {"id": "a1", "text": STORY, "published": "2025-05-05"},
            {"text": [STORY, STORY], "date": "Mon, 05 May 2025 10:00:00 GMT", "x": [1, {}]},
            {"body": STORY, "pubdate": 1746439200}]),
         bytes([1]) + json.dumps([{"text": STORY, "published": "2025-05-05"}]).encode(),
         bytes([2]) + f'id,published,text\nc1,2025-05-05,"{STORY}\n""quoted"""\n'.encode(),
         bytes([3]) + f"id\tdate\tcontent\nt1\t5 May 2025\t{STORY}\n".encode(),
         bytes([4]) + f"date 2025-05-05 {STORY}".encode(),
         bytes([5]) + f"---\npublished: 2025-05-05\ntitle: T\n---\n{STORY}".encode(),
         bytes([6]) + (f'<html><head><meta property="article:published_time" '
                       f'content="2025-05-05"><script>x()</script></head><body><article>'
                       f"<p>{STORY}</p><p>{STORY}</p></article></body></html>").encode(),
         bytes([7]) + gzip.compress(json.dumps({"text": STORY, "published": "2025-05-05"})
                                    .encode()),
         bytes([2]) + "\ufeffid,published,text\n".encode("utf-16") + STORY.encode("utf-16")]


def check(item) -> None:
    from newsledger.model import Article, Failure

    if isinstance(item, Failure):
        assert item.reason and item.origin, item
        (item.reason + item.origin + (item.article_id or "")).encode("utf-8")
    elif isinstance(item, Article):
        assert item.text.strip() and isinstance(item.published, dt.date), item
        json.dumps([item.id, item.text, item.title, item.url, item.source, item.meta],
                   ensure_ascii=False, default=str).encode("utf-8")
    else:
        raise AssertionError(f"read() gave a {type(item).__name__}")


def target(data: bytes) -> None:
    if not data:
        return
    if read is None:
        load()
    path = FOLDER / f"input{SUFFIXES[data[0] % len(SUFFIXES)]}"
    path.write_bytes(data[1:])
    for item in read([path], published="2025-05-05"):
        check(item)


if __name__ == "__main__":
    sys.exit(run(target, SEEDS, "read", instrument=load))

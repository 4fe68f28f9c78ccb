"""How much does newsledger's extraction add to spaCy's own parse?

Runs, in one process and one run (these machines are shared and noisy, so A and B are measured
side by side, interleaved over several rounds):
  A. plain ``nlp.pipe`` of the same model with the same components spaCy needs (the ceiling);
  B. full newsledger extraction (the same parse plus dates, actors, places, quotes, events).
Prints articles/s for each and the ratio B/A (issue target: >= 0.8).

    .venv/bin/python benchmarks/coder_overhead.py [--articles 200] [--rounds 3]
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import spacy

from newsledger.extract import DEFAULT_MODEL, Extractor
from newsledger.read import make_article

VOA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "voa" / "voa_stories.jsonl"


def load_articles(n: int):
    rows = [json.loads(line) for line in VOA.open(encoding="utf-8")]
    rows = (rows * (n // len(rows) + 1))[:n]
    return [make_article(text=r["text"], published=r["published"], id=f"{i}-{r['id']}")
            for i, r in enumerate(rows)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=130)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    articles = load_articles(args.articles)
    words = sum(len(a.text.split()) for a in articles)
    plain = spacy.load(DEFAULT_MODEL)
    extractor = Extractor()
    texts = [a.text for a in articles]
    list(plain.pipe(texts[:5]))
    list(extractor.extract_many(articles[:5]))  # warm both: dictionaries, gazetteer, caches
    timings = {"plain nlp.pipe": 0.0, "newsledger extract": 0.0}
    for _ in range(args.rounds):
        t = time.perf_counter()
        for _doc in plain.pipe(texts, batch_size=32):
            pass
        timings["plain nlp.pipe"] += time.perf_counter() - t
        t = time.perf_counter()
        for _rec in extractor.extract_many(articles, batch_size=32):
            pass
        timings["newsledger extract"] += time.perf_counter() - t
    n = len(articles) * args.rounds
    for name, secs in timings.items():
        print(f"{name:<20} {n / secs:8.1f} articles/s  {words * args.rounds / secs:9.0f} words/s")
    ratio = timings["plain nlp.pipe"] / timings["newsledger extract"]
    print(f"ratio extract/plain  {ratio:.3f}  (target >= 0.80)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Score newsledger's event coder on the ConfliBERT CAMEO quad-class sentences.

The data set (ConfliBERT, GPL-3.0) is read from ../shared/datasets/ConfliBERT_cameo at run time
and never copied into the repository. ``cameo_class_<split>.tsv`` holds ``sentence<TAB>label``
with five classes: 0 statement, 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
4 material conflict.

Each sentence is extracted as a one-sentence article published on a fixed neutral date (the date
does not change the event type). The answer for a sentence:

- drop the events whose CAMEO code is 01x (make a public statement) - CAMEO 01 is the data set's
  class 0 - then take the remaining event with the highest confidence (ties: the earliest
  trigger) and answer its ``quad`` (1-4, from the PLOVER type);
- no event left: class 0.

Only asserted events count (the Extractor's default): a negated or planned event is no event.
Reported: accuracy, per-class P/R/F1, macro-F1 over the five classes, and a confusion table.
Published anchor: the data set's README and annotation documents state no classification
score, so none is printed (see docs/evaluation.md). Tune on ``--split train``, report ``test``.

usage: .venv/bin/python scripts/eval_conflibert.py [--split test|train] [--errors N] [--limit N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "datasets" / "ConfliBERT_cameo"
CLASSES = [0, 1, 2, 3, 4]
CLASS_NAMES = {0: "statement", 1: "verbal coop", 2: "material coop", 3: "verbal conflict",
               4: "material conflict"}
NEUTRAL_DATE = dt.date(2000, 1, 5)
# Not stated in the data set's readme.md or raw_annotation_rounds docs; never invented here.
PUBLISHED_MACRO_F1: float | None = None


def load(path: Path) -> list[tuple[str, int]]:
    """Rows of ``sentence<TAB>label``; blank lines are skipped.

    >>> # a file with the line "Ruritania condemned Freedonia.\\t3" gives
    >>> # [("Ruritania condemned Freedonia.", 3)]
    """
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        text, sep, label = line.rstrip("\n").rpartition("\t")
        if not sep or not label.strip().isdigit():
            raise ValueError(f"{path}:{n}: expected 'sentence<TAB>label'")
        rows.append((text.strip(), int(label)))
    return rows


def is_statement(event) -> bool:
    return str(getattr(event, "cameo", "") or "").startswith("01")


def quad_class(events) -> int:
    """The data set's class for one sentence's events (see the module docstring)."""
    coded = [e for e in events if not is_statement(e) and getattr(e, "quad", None) in (1, 2, 3, 4)]
    if not coded:
        return 0
    best = max(coded, key=lambda e: (e.confidence, -(e.trigger.start if e.trigger else 0)))
    return int(best.quad)


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def scores(pairs: list[tuple[int, int]], classes=CLASSES) -> dict:
    """Accuracy, per-class P/R/F1 and macro-F1 over (gold, predicted) pairs."""
    per_class = {}
    for c in classes:
        tp = sum(1 for g, p in pairs if g == c and p == c)
        fp = sum(1 for g, p in pairs if g != c and p == c)
        fn = sum(1 for g, p in pairs if g == c and p != c)
        p, r, f = prf(tp, fp, fn)
        per_class[c] = {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3),
                        "gold": tp + fn, "predicted": tp + fp}
    n = len(pairs)
    return {
        "n": n,
        "accuracy": round(sum(g == p for g, p in pairs) / n, 3) if n else 0.0,
        "macro_f1": round(sum(v["f1"] for v in per_class.values()) / len(per_class), 3),
        "per_class": per_class,
    }


def predict(rows: list[tuple[str, int]]) -> tuple[list[int], int]:
    """Predicted classes in row order, and how many sentences the extractor refused."""
    from newsledger.extract import get_extractor
    from newsledger.model import Article, Failure
    articles = [Article(id=f"s{i}", text=text, published=NEUTRAL_DATE, origin=f"conflibert:{i}")
                for i, (text, _) in enumerate(rows)]
    preds, failures = [], 0
    for result in get_extractor().extract_many(articles):
        failures += isinstance(result, Failure)
        preds.append(0 if isinstance(result, Failure) else quad_class(result.events))
    return preds, failures


def print_report(split: str, result: dict, pairs: list[tuple[int, int]]) -> None:
    print(f"ConfliBERT CAMEO quad class, {split}: {result['n']} sentences")
    print(f"{'class':<22} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5}")
    for c, v in result["per_class"].items():
        print(f"{c} {CLASS_NAMES[c]:<20} {v['p']:>6.3f} {v['r']:>6.3f} {v['f1']:>6.3f} "
              f"{v['gold']:>5} {v['predicted']:>5}")
    print(f"accuracy {result['accuracy']:.3f}  macro-F1 {result['macro_f1']:.3f}")
    published = ("not stated in the data set's README or annotation docs"
                 if PUBLISHED_MACRO_F1 is None else f"{PUBLISHED_MACRO_F1:.3f}")
    print(f"published ConfliBERT figure: {published}")
    confusion = Counter(pairs)
    print("confusion (rows gold, columns predicted): " + " ".join(f"{c:>4}" for c in CLASSES))
    for g in CLASSES:
        print(f"{'':>40} {g} " + " ".join(f"{confusion[(g, p)]:>4}" for p in CLASSES))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=["test", "train"])
    ap.add_argument("--errors", type=int, default=0, help="print this many wrong answers")
    ap.add_argument("--limit", type=int, default=0, help="only the first N sentences")
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args(argv)
    path = args.data / f"cameo_class_{args.split}.tsv"
    if not path.exists():
        print(f"data set not found: {path}", file=sys.stderr)
        return 2
    rows = load(path)[: args.limit or None]
    started = time.time()
    preds, failures = predict(rows)
    pairs = [(gold, pred) for (_, gold), pred in zip(rows, preds)]
    result = scores(pairs)
    print_report(args.split, result, pairs)
    shown = 0
    for (text, gold), pred in zip(rows, preds):
        if gold != pred and shown < args.errors:
            shown += 1
            print(f"gold {gold} pred {pred} | {text[:150]}")
    print(json.dumps({"dataset": "conflibert_cameo", "split": args.split,
                      "accuracy": result["accuracy"], "macro_f1": result["macro_f1"],
                      "n": result["n"], "refused": failures,
                      "published_macro_f1": PUBLISHED_MACRO_F1,
                      "seconds": round(time.time() - started, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

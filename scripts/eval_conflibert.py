#!/usr/bin/env python3
"""Score newsledger's event coder on the ConfliBERT CAMEO quad-class sentences.

The data set (ConfliBERT, GPL-3.0) is read from ../shared/datasets/ConfliBERT_cameo at run time
and never copied into the repository. ``cameo_class_<split>.tsv`` holds ``sentence<TAB>label``
with five classes: 0 statement, 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
4 material conflict.

Each sentence is extracted as a one-sentence article published on a fixed date after the data
(its sentences reach into 2021 and carry no publication day): an earlier date would make every
later dated act ("returned the artifacts on June 2, 2010") a plan for the future. Each event gets a class by one of two rules:

- ``cameo`` (headline): the data set's own scheme, read off its raw annotation rounds, where each
  CAMEO root sits in one class: 01-02 (statement, appeal) -> 0; 03-05 -> 1; 06-08 -> 2;
  09-13 and 16 (reduce relations) -> 3; 14-15 and 17-20 -> 4. An event without a CAMEO code
  falls back to its quad.
- ``quad``: the event's ``quad`` (1-4, from its PLOVER type), except CAMEO 01x (public statement)
  -> 0. This differs from the data set on appeals (CAMEO 02, PLOVER REQUEST: 3 here, 0 there) and
  on reduced relations (CAMEO 16, PLOVER SANCTION: 4 here, 3 there).

The answer for a sentence: drop the events of class 0, take the remaining one with the highest
confidence (ties: the earliest trigger) and answer its class; no event left: class 0.

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
NEUTRAL_DATE = dt.date(2021, 12, 31)
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


# CAMEO root code -> the data set's class (its raw annotation pairs "3-Verbal Conflict" with
# "3-16" and "0-Make a Statement" with "0-2", for instance).
CAMEO_ROOT_CLASS = {1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2, 8: 2, 9: 3, 10: 3, 11: 3, 12: 3,
                    13: 3, 16: 3, 14: 4, 15: 4, 17: 4, 18: 4, 19: 4, 20: 4}
RULES = ("cameo", "quad")


def cameo_root(event) -> int | None:
    code = str(getattr(event, "cameo", "") or "")
    return int(code[:2]) if len(code) >= 2 and code[:2].isdigit() else None


def event_class(event, rule: str = "cameo") -> int:
    """One event's class under ``rule`` (see the module docstring); 0 for a statement."""
    root = cameo_root(event)
    if rule == "cameo" and root in CAMEO_ROOT_CLASS:
        return CAMEO_ROOT_CLASS[root]
    if root == 1:
        return 0
    quad = getattr(event, "quad", None)
    return int(quad) if quad in (1, 2, 3, 4) else 0


def quad_class(events, rule: str = "cameo") -> int:
    """The data set's class for one sentence's events: the most confident event that is more
    than a statement decides (ties: the earliest trigger); none: 0."""
    coded = [(event_class(e, rule), e) for e in events]
    coded = [(c, e) for c, e in coded if c]
    if not coded:
        return 0
    best = max(coded, key=lambda ce: (ce[1].confidence,
                                      -(ce[1].trigger.start if ce[1].trigger else 0)))
    return best[0]


def scores(pairs: list[tuple[int, int]], classes=CLASSES) -> dict:
    """Accuracy, per-class P/R/F1 and macro-F1 over (gold, predicted) pairs."""
    from newsledger.evaluate import class_scores
    return class_scores(pairs, classes)


def predict(rows: list[tuple[str, int]]) -> tuple[dict[str, list[int]], int]:
    """Predicted classes in row order under each rule, and how many sentences the extractor
    refused."""
    from newsledger.extract import get_extractor
    from newsledger.model import Article, Failure
    articles = [Article(id=f"s{i}", text=text, published=NEUTRAL_DATE, origin=f"conflibert:{i}")
                for i, (text, _) in enumerate(rows)]
    preds: dict[str, list[int]] = {rule: [] for rule in RULES}
    failures = 0
    for result in get_extractor().extract_many(articles):
        failures += isinstance(result, Failure)
        for rule in RULES:
            preds[rule].append(0 if isinstance(result, Failure)
                               else quad_class(result.events, rule))
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
    results = {}
    for rule in RULES:
        pairs = [(gold, pred) for (_, gold), pred in zip(rows, preds[rule])]
        results[rule] = scores(pairs)
        print_report(f"{args.split}, rule {rule}", results[rule], pairs)
        print()
    shown = 0
    for (text, gold), pred in zip(rows, preds["cameo"]):
        if gold != pred and shown < args.errors:
            shown += 1
            print(f"gold {gold} pred {pred} | {text[:150]}")
    head = results["cameo"]
    print(json.dumps({"dataset": "conflibert_cameo", "split": args.split, "rule": "cameo",
                      "accuracy": head["accuracy"], "macro_f1": head["macro_f1"],
                      "n": head["n"], "quad_rule": {"accuracy": results["quad"]["accuracy"],
                                                     "macro_f1": results["quad"]["macro_f1"]},
                      "refused": failures, "published_macro_f1": PUBLISHED_MACRO_F1,
                      "seconds": round(time.time() - started, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

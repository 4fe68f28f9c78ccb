#!/usr/bin/env python3
"""Score newsledger's event types on CASE 2021 task 2 (fine-grained socio-political events).

The test snippets (``test_set_final_release_with_labels.tsv``: ``id<TAB>snippet<TAB>subtype``)
are read from ../shared/datasets/CASE2021_task2_finegrained at run time, never copied into the
repository. Their 25 ACLED subtypes (plus 5 "unseen" types) are mapped to PLOVER types by the
data file ``newsledger/data/eval/case2021_to_plover.tsv``: a PLOVER type, ``NONE`` (no political
event expected) or ``-`` (no counterpart: those snippets are left out).

Each snippet is one article on a fixed neutral date. The answer is the PLOVER type of the most
confident asserted event (ties: the earliest trigger), ``NONE`` when newsledger codes nothing.
Reported, over the snippets whose type is mapped: accuracy and macro-F1 over the PLOVER types
present in the mapped gold; first for the 25 seen ACLED types (the headline figure), then with
the unseen types added. The shared task's own figures are for the 25-way fine-grained
classification, which this coarse mapping does not attempt: they are not comparable.

usage: .venv/bin/python scripts/eval_case2021.py [--errors N] [--limit N] [--mapping PATH]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = (REPO.parent / "shared" / "datasets" / "CASE2021_task2_finegrained"
        / "test_set_final_release_with_labels.tsv")
MAPPING = REPO / "newsledger" / "data" / "eval" / "case2021_to_plover.tsv"
NEUTRAL_DATE = dt.date(2000, 1, 5)


def load_mapping(path: Path = MAPPING) -> dict[str, tuple[str | None, str]]:
    """{case type: (PLOVER type, "NONE" or None when unmapped, "seen"|"unseen")}."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    out = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        plover = row["plover"].strip()
        out[row["case_type"].strip()] = (None if plover == "-" else plover, row["set"].strip())
    return out


def load(path: Path) -> list[tuple[str, str, str]]:
    """Rows (id, snippet, subtype) of the task's TSV (with its header line)."""
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:3]] != ["id", "EventSnippet", "SubType"]:
            raise ValueError(f"{path}: expected the header 'id<TAB>EventSnippet<TAB>SubType'")
        for n, row in enumerate(reader, 2):
            if not row:
                continue
            if len(row) != 3:
                raise ValueError(f"{path}:{n}: expected 3 tab-separated fields, got {len(row)}")
            rows.append((row[0].strip(), row[1].strip(), row[2].strip()))
    return rows


def answer(events) -> str:
    if not events:
        return "NONE"
    best = max(events, key=lambda e: (e.confidence, -(e.trigger.start if e.trigger else 0)))
    return best.type


def scores(pairs: list[tuple[str, str]]) -> dict:
    """Accuracy and macro-F1 over the gold classes of (gold, predicted) pairs.

    >>> scores([("PROTEST", "PROTEST"), ("ASSAULT", "NONE")])["accuracy"]
    0.5
    """
    from newsledger.evaluate import class_scores
    return class_scores(pairs)


def mapped_pairs(rows, preds, mapping, sets: tuple[str, ...]) -> list[tuple[str, str]]:
    """(mapped gold, predicted) for the rows whose subtype is mapped and in ``sets``."""
    pairs = []
    for (_, _, subtype), pred in zip(rows, preds):
        plover, group = mapping.get(subtype, (None, ""))
        if plover and group in sets:
            pairs.append((plover, pred))
    return pairs


def predict(rows) -> tuple[list[str], int]:
    from newsledger.extract import get_extractor
    from newsledger.model import Article, Failure
    articles = [Article(id=f"case-{rid}", text=text, published=NEUTRAL_DATE, origin=f"case:{rid}")
                for rid, text, _ in rows]
    preds, refused = [], 0
    for result in get_extractor().extract_many(articles):
        refused += isinstance(result, Failure)
        preds.append("NONE" if isinstance(result, Failure) else answer(result.events))
    return preds, refused


def print_table(title: str, result: dict) -> None:
    print(f"{title}: {result['n']} snippets, accuracy {result['accuracy']:.3f}, "
          f"macro-F1 {result['macro_f1']:.3f}")
    print(f"  {'type':<10} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5}")
    for c, v in result["per_class"].items():
        print(f"  {c:<10} {v['p']:>6.3f} {v['r']:>6.3f} {v['f1']:>6.3f} "
              f"{v['gold']:>5} {v['predicted']:>5}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", type=int, default=0, help="print this many wrong answers")
    ap.add_argument("--limit", type=int, default=0, help="only the first N snippets")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--mapping", type=Path, default=MAPPING)
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"data set not found: {args.data}", file=sys.stderr)
        return 2
    mapping = load_mapping(args.mapping)
    rows = load(args.data)[: args.limit or None]
    started = time.time()
    preds, refused = predict(rows)
    seen = scores(mapped_pairs(rows, preds, mapping, ("seen",)))
    every = scores(mapped_pairs(rows, preds, mapping, ("seen", "unseen")))
    unmapped = sum(1 for _, _, t in rows if not mapping.get(t, (None,))[0])
    print(f"CASE 2021 task 2 test: {len(rows)} snippets, {unmapped} of unmapped types left out")
    print_table("seen ACLED types (headline)", seen)
    print_table("seen + unseen types", every)
    by_subtype: dict[str, Counter] = {}
    for (_, _, subtype), pred in zip(rows, preds):
        by_subtype.setdefault(subtype, Counter())[pred] += 1
    print("answers by CASE subtype (mapped type: answer counts)")
    for subtype, counts in sorted(by_subtype.items()):
        target = mapping.get(subtype, (None,))[0] or "-"
        print(f"  {subtype:<30} {target:<8} {dict(counts.most_common(4))}")
    shown = 0
    for (rid, text, subtype), pred in zip(rows, preds):
        gold = mapping.get(subtype, (None,))[0]
        if gold and gold != pred and shown < args.errors:
            shown += 1
            print(f"{rid}: gold {subtype}->{gold} pred {pred} | {text[:140]}")
    print(json.dumps({"dataset": "case2021_task2", "split": "test",
                      "accuracy": seen["accuracy"], "macro_f1": seen["macro_f1"], "n": seen["n"],
                      "with_unseen": {"accuracy": every["accuracy"],
                                      "macro_f1": every["macro_f1"], "n": every["n"]},
                      "refused": refused, "seconds": round(time.time() - started, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

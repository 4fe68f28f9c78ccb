"""Score cross-article consolidation on the bundled story corpus (newsledger/data/stories).

Runs the real extractor over the stories, consolidates, then matches predicted reports to gold
mentions by (article, type, source, target) (CONSULT/COOPERATE pairs unordered) and compares
predicted clusters with gold clusters on the matched mentions:

- pairwise precision / recall / F1 over pairs of mentions put in one cluster;
- B-cubed precision / recall / F1 (per mention, averaged);
- inflation: reports per consolidated event, gold vs predicted vs a naive export.

    .venv/bin/python scripts/eval_consolidation.py [--db /tmp/stories.duckdb] [--show]

``--db`` keeps the ledger between runs (extraction is the slow part); consolidation is rebuilt
on every run. ``--heldout`` scores ``heldout_articles.jsonl`` (12 articles, two stories written
after the rules and threshold were fixed) instead; use a separate ``--db`` for it.
"""
from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsledger.consolidate import SYMMETRIC, rebuild  # noqa: E402
from newsledger.store import Ledger  # noqa: E402

STORIES = ROOT / "newsledger" / "data" / "stories"


def key(article_id: str, type_: str, source: str | None, target: str | None) -> tuple:
    if type_ in SYMMETRIC:
        return (article_id, type_, frozenset([source, target]))
    return (article_id, type_, source, target)


def match(gold: list[dict], predicted: list[dict]) -> dict[int, dict]:
    """Gold mention index -> the first predicted report with the same key."""
    by_key: dict[tuple, dict] = {}
    for p in predicted:  # predicted is in (article, seq) order: the first one wins
        by_key.setdefault(key(p["article_id"], p["type"], p["source_country"],
                              p["target_country"]), p)
    return {i: by_key[k] for i, g in enumerate(gold)
            if (k := key(g["article_id"], g["type"], g["source"], g["target"])) in by_key}


def pairwise(gold_labels: list[str], pred_labels: list[str]) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(gold_labels)), 2):
        same_gold = gold_labels[i] == gold_labels[j]
        same_pred = pred_labels[i] == pred_labels[j]
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bcubed(gold_labels: list[str], pred_labels: list[str]) -> tuple[float, float, float]:
    n = len(gold_labels)
    gold_sets, pred_sets = defaultdict(set), defaultdict(set)
    for i in range(n):
        gold_sets[gold_labels[i]].add(i)
        pred_sets[pred_labels[i]].add(i)
    p = sum(len(pred_sets[pred_labels[i]] & gold_sets[gold_labels[i]]) / len(pred_sets[pred_labels[i]])
            for i in range(n)) / n
    r = sum(len(pred_sets[pred_labels[i]] & gold_sets[gold_labels[i]]) / len(gold_sets[gold_labels[i]])
            for i in range(n)) / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(ledger: Ledger, show: bool = False, split: str = "") -> dict:
    gold = [json.loads(line) for line in open(STORIES / f"{split}gold.jsonl", encoding="utf-8")]
    rebuild(ledger)
    predicted = ledger.sql("""
        SELECT e.id, e.article_id, e.seq, e.type, e.source_country, e.target_country,
               e.trigger_text, m.cluster_id
        FROM events e JOIN cluster_members m ON m.event_id = e.id
        ORDER BY e.article_id, e.seq""").to_pylist()
    matched = match(gold, predicted)
    idx = sorted(matched)
    gold_labels = [gold[i]["cluster"] for i in idx]
    pred_labels = [matched[i]["cluster_id"] for i in idx]
    n_clusters = ledger.sql("SELECT count(*) AS n FROM clusters").to_pylist()[0]["n"]
    result = {
        "articles": ledger.sql("SELECT count(*) AS n FROM articles").to_pylist()[0]["n"],
        "gold_mentions": len(gold),
        "gold_clusters": len({g["cluster"] for g in gold}),
        "predicted_reports": len(predicted),
        "predicted_clusters": n_clusters,
        "matched_mentions": len(idx),
        "matched_gold_clusters": len(set(gold_labels)),
        "matched_predicted_clusters": len(set(pred_labels)),
        "pairwise": dict(zip(("P", "R", "F1"), map(_r, pairwise(gold_labels, pred_labels)))),
        "bcubed": dict(zip(("P", "R", "F1"), map(_r, bcubed(gold_labels, pred_labels)))),
        "inflation": {
            "gold (mentions per real event)": _r(len(gold) / len({g["cluster"] for g in gold})),
            "naive export, all reports / consolidated events": _r(len(predicted) / max(n_clusters, 1)),
            "matched: gold": _r(len(idx) / max(len(set(gold_labels)), 1)),
            "matched: left after consolidation": _r(len(idx) / max(len(set(pred_labels)), 1)),
        },
    }
    if show:
        _show_errors(gold, idx, gold_labels, pred_labels, matched)
    return result


def _show_errors(gold, idx, gold_labels, pred_labels, matched) -> None:
    for i, j in itertools.combinations(range(len(idx)), 2):
        same_gold, same_pred = gold_labels[i] == gold_labels[j], pred_labels[i] == pred_labels[j]
        if same_gold != same_pred:
            a, b = gold[idx[i]], gold[idx[j]]
            kind = "split" if same_gold else "wrong merge"
            print(f"{kind}: {a['article_id']} {a['type']} {a['source']}->{a['target']} "
                  f"[{a['cluster']}] / {b['article_id']} [{b['cluster']}] "
                  f"triggers {matched[idx[i]]['trigger_text']!r} {matched[idx[j]]['trigger_text']!r}")
    missed = [gold[i] for i in range(len(gold)) if i not in matched]
    print(f"\n{len(missed)} gold mentions without a matching report:")
    for g in missed:
        print(f"  {g['article_id']} {g['type']} {g['source']}->{g['target']} [{g['cluster']}]")


def _r(x: float) -> float:
    return round(x, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=":memory:", help="ledger to (re)use")
    parser.add_argument("--show", action="store_true", help="list split and wrongly merged pairs")
    parser.add_argument("--heldout", action="store_true",
                        help="score the held-out stories (written after the threshold was set)")
    args = parser.parse_args()
    split = "heldout_" if args.heldout else ""
    with Ledger(args.db) as ledger:
        ledger.ingest([str(STORIES / f"{split}articles.jsonl")])
        result = evaluate(ledger, show=args.show, split=split)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

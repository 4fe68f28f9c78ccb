#!/usr/bin/env python3
"""Score newsledger's events against WikiEvents triggers mapped from KAIROS to PLOVER types.

WikiEvents (MIT; ../shared/datasets/WikiEvents, read at run time, nothing copied into the repo)
annotates event triggers with KAIROS types. ``newsledger/data/eval/kairos_to_plover.tsv`` maps
the KAIROS types that have a PLOVER counterpart (Conflict.Attack -> ASSAULT,
Justice.ArrestJailDetain -> COERCE, ...). The ontologies only partly overlap: deaths, injuries,
transport, purchases and statements have no PLOVER type, and PLOVER's AGREE, SUPPORT, CONCEDE,
COOPERATE, REJECT, MOBILIZE have no KAIROS type here. Only the mapped types are scored.

Each document's text is rebuilt from its token offsets (sentences on their own lines) and
extracted on a fixed neutral date. Matching, per document, for the PLOVER types that some KAIROS
type maps to:

- strict (trigger level, the headline): a newsledger event of type T is right when its trigger
  span overlaps a gold trigger mapped to T; a gold trigger is found when such an event overlaps
  it. An event overlapping only gold triggers of unmapped types (ASSAULT on "killed", a
  Life.Die trigger) is neither right nor wrong and is counted apart; an event overlapping no
  gold trigger is wrong.
- sentence level (secondary): newsledger merges the mentions of one event into one record with a
  single trigger, while WikiEvents marks every mention; here an event is right when one of its
  evidence sentences holds a gold trigger mapped to its type, and a gold trigger is found when
  it lies in an evidence sentence of an event of its mapped type.

usage: .venv/bin/python scripts/eval_wikievents.py [--split test|dev] [--errors N]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATA = REPO.parent / "shared" / "datasets" / "WikiEvents"
MAPPING = REPO / "newsledger" / "data" / "eval" / "kairos_to_plover.tsv"
NEUTRAL_DATE = dt.date(2000, 1, 5)


@dataclass
class Trigger:
    kairos: str
    plover: str | None
    start: int
    end: int
    text: str


@dataclass
class Predicted:
    type: str
    start: int
    end: int
    text: str
    sentences: list[tuple[int, int]]


def load_mapping(path: Path = MAPPING) -> dict[str, str | None]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return {row["kairos_type"].strip(): (None if row["plover"].strip() == "-"
                                         else row["plover"].strip())
            for row in csv.DictReader(lines, delimiter="\t")}


def map_type(kairos: str, mapping: dict[str, str | None]) -> str | None:
    """The PLOVER type of the longest mapped prefix of ``kairos``, or None.

    >>> map_type("Conflict.Attack.DetonateExplode", {"Conflict.Attack": "ASSAULT"})
    'ASSAULT'
    """
    parts = kairos.split(".")
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in mapping:
            return mapping[key]
    return None


def rebuild(doc: dict) -> tuple[str, list[tuple[int, int]]]:
    """The document text with every token at its own character offset (the ``text`` field
    drops the breaks between sentences), sentences separated by line breaks; and the character
    offsets of each document token."""
    tokens = [(w, a, b) for sent in doc["sentences"] for w, a, b in sent[0]]
    size = max((b for _, _, b in tokens), default=0)
    chars = [" "] * size
    for w, a, b in tokens:
        chars[a:b] = list(w[: b - a].ljust(b - a))
    ends = [sent[0][-1][2] for sent in doc["sentences"] if sent[0]]
    for end in ends[:-1]:  # the gap after a sentence starts with a line break
        if end < size and chars[end] == " ":
            chars[end] = "\n"
    return "".join(chars), [(a, b) for _, a, b in tokens]


def gold_triggers(doc: dict, offsets: list[tuple[int, int]], mapping) -> list[Trigger]:
    out = []
    for m in doc.get("event_mentions", []):
        t = m["trigger"]
        start, end = offsets[t["start"]][0], offsets[t["end"] - 1][1]
        out.append(Trigger(m["event_type"], map_type(m["event_type"], mapping), start, end,
                           t.get("text", "")))
    return out


def overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


@dataclass
class Tally:
    tp: Counter
    fp: Counter
    fn: Counter
    found: Counter
    ignored: int = 0
    out_of_scope: int = 0


def new_tally() -> Tally:
    return Tally(Counter(), Counter(), Counter(), Counter())


def score_document(golds: list[Trigger], preds: list[Predicted], scored: set[str],
                   strict: Tally, loose: Tally) -> None:
    """Add one document's counts to the strict (trigger) and loose (sentence) tallies."""
    mapped = [g for g in golds if g.plover in scored]
    for p in preds:
        if p.type not in scored:
            strict.out_of_scope += 1
            loose.out_of_scope += 1
            continue
        hit = [g for g in mapped if g.plover == p.type and overlaps(p.start, p.end, g.start, g.end)]
        if hit:
            strict.tp[p.type] += 1
        elif any(overlaps(p.start, p.end, g.start, g.end) for g in golds if g.plover is None):
            strict.ignored += 1
        else:
            strict.fp[p.type] += 1
        near = [g for g in mapped if g.plover == p.type and within(g, p.sentences)]
        loose.tp[p.type] += bool(near)
        loose.fp[p.type] += not near
    for g in mapped:
        strict.found[g.plover] += any(p.type == g.plover
                                      and overlaps(p.start, p.end, g.start, g.end) for p in preds)
        loose.found[g.plover] += any(p.type == g.plover and within(g, p.sentences) for p in preds)
        strict.fn[g.plover] += 1
        loose.fn[g.plover] += 1


def within(g: Trigger, sentences: list[tuple[int, int]]) -> bool:
    return any(a <= g.start and g.end <= b for a, b in sentences)


def figures(t: Tally, types: list[str]) -> dict:
    """Per-type and micro P/R/F1: precision over predicted events, recall over gold triggers."""
    def prf(tp, pred, found, gold):
        p = tp / pred if pred else 0.0
        r = found / gold if gold else 0.0
        return {"p": round(p, 3), "r": round(r, 3),
                "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                "predicted": pred, "gold": gold}
    per_type = {ty: prf(t.tp[ty], t.tp[ty] + t.fp[ty], t.found[ty], t.fn[ty]) for ty in types
                if t.fn[ty] or t.tp[ty] + t.fp[ty]}
    micro = prf(sum(t.tp.values()), sum(t.tp.values()) + sum(t.fp.values()),
                sum(t.found.values()), sum(t.fn.values()))
    return {"micro": micro, "per_type": per_type, "ignored": t.ignored,
            "out_of_scope": t.out_of_scope}


def predictions(extraction) -> list[Predicted]:
    out = []
    for e in extraction.events:
        if not e.trigger:
            continue
        spans = [(m.start, m.end) for m in (e.mentions or [])]
        if e.evidence:
            spans.append((e.evidence.start, e.evidence.end))
        out.append(Predicted(e.type, e.trigger.start, e.trigger.end, e.trigger.text, spans))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=["test", "dev"])
    ap.add_argument("--errors", type=int, default=0, help="print this many wrong events")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--mapping", type=Path, default=MAPPING)
    args = ap.parse_args(argv)
    path = args.data / f"{args.split}.jsonl"
    if not path.exists():
        print(f"data set not found: {path}", file=sys.stderr)
        return 2
    from newsledger.extract import get_extractor
    from newsledger.model import Article, Failure

    mapping = load_mapping(args.mapping)
    scored = {v for v in mapping.values() if v}
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    started = time.time()
    strict, loose = new_tally(), new_tally()
    extractor = get_extractor()
    unmapped_gold = Counter()
    errors = []
    for doc in docs:
        text, offsets = rebuild(doc)
        golds = gold_triggers(doc, offsets, mapping)
        unmapped_gold.update(g.kairos for g in golds if g.plover is None)
        result = extractor.extract_or_fail(Article(id=doc["doc_id"], text=text,
                                                   published=NEUTRAL_DATE, origin=doc["doc_id"]))
        preds = [] if isinstance(result, Failure) else predictions(result)
        score_document(golds, preds, scored, strict, loose)
        for p in preds:
            if p.type in scored and not any(overlaps(p.start, p.end, g.start, g.end)
                                            and g.plover in (p.type, None) for g in golds):
                errors.append(f"{doc['doc_id']}: {p.type} [{p.text}] matches no gold trigger")
    types = sorted(scored)
    s, l = figures(strict, types), figures(loose, types)
    print(f"WikiEvents {args.split}: {len(docs)} documents; {sum(strict.fn.values())} gold "
          f"triggers of mapped types, {sum(unmapped_gold.values())} of unmapped types not scored")
    print("The KAIROS and PLOVER ontologies only partly overlap: see the mapping file.")
    print(f"{'type':<10} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}   "
          "sentence-level P/R/F1")
    for ty in types:
        if ty in s["per_type"]:
            a, b = s["per_type"][ty], l["per_type"][ty]
            print(f"{ty:<10} {a['p']:>6.3f} {a['r']:>6.3f} {a['f1']:>6.3f} {a['predicted']:>5} "
                  f"{a['gold']:>5}   {b['p']:.3f} {b['r']:.3f} {b['f1']:.3f}")
    a, b = s["micro"], l["micro"]
    print(f"{'all':<10} {a['p']:>6.3f} {a['r']:>6.3f} {a['f1']:>6.3f} {a['predicted']:>5} "
          f"{a['gold']:>5}   {b['p']:.3f} {b['r']:.3f} {b['f1']:.3f}")
    print(f"events on unmapped gold triggers (not scored): {strict.ignored}; "
          f"events of types with no KAIROS counterpart: {strict.out_of_scope}")
    for line in errors[: args.errors]:
        print(line)
    print(json.dumps({"dataset": "wikievents", "split": args.split, "documents": len(docs),
                      "trigger": s["micro"], "sentence": l["micro"],
                      "ignored": strict.ignored, "out_of_scope": strict.out_of_scope,
                      "seconds": round(time.time() - started, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

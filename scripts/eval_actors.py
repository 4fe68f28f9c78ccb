"""How many gold actor codes and quote speakers the actor resolver finds, per article.

    .venv/bin/python scripts/eval_actors.py [GOLD.jsonl] [-v]

Reads gold articles from ../shared/gold/dev.jsonl by default (never copied into the repo).
- code recall: gold event source/target codes (per article, distinct) that appear among the
  countries of the article's resolved actors;
- speaker recall: gold quote speakers (distinct names) matched by a person actor's name (the
  reference scorer's rule: same last word, or half the words in common), and by any actor
  mention's text or name (descriptions such as "the interior minister").
"""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

from newsledger.extract import get_extractor

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def norm(text: str) -> list[str]:
    return re.findall(r"\w+", (text or "").lower())


def speaker_found(gold: str, names: set[str]) -> bool:
    g = norm(gold)
    for name in names:
        p = norm(name)
        if g and p and (g == p or g[-1] in p or len(set(g) & set(p)) / len(set(g)) >= 0.5):
            return True
    return False


def main(argv: list[str]) -> None:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    path = Path(args[0]) if args else SHARED / "gold" / "dev.jsonl"
    nlp = get_extractor().nlp
    code_hit = code_all = sp_hit = sp_all = any_hit = extra = found_all = 0
    started = time.perf_counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        art = json.loads(line)
        text = (art.get("title", "") + "\n\n" + art["text"]) if art.get("title") else art["text"]
        doc = nlp.make_doc(text)
        doc._.nl_published = art.get("published")
        doc = nlp(doc)
        countries = {a.country for a in doc._.nl_actors if a.country}
        names = {a.name for a in doc._.nl_actors if a.kind == "person" and a.name}
        described = names | {a.text for a in doc._.nl_actors} | \
            {a.name for a in doc._.nl_actors if a.name}
        gold = {c for e in art["events"] for c in (e["source"], e["target"]) if c}
        speakers = {q["speaker"] for q in art.get("quotes", []) if q.get("speaker")}
        missed = sorted(gold - countries)
        sp_missed = sorted(s for s in speakers if not speaker_found(s, names))
        code_hit += len(gold) - len(missed)
        code_all += len(gold)
        sp_hit += len(speakers) - len(sp_missed)
        any_hit += sum(speaker_found(s, described) for s in speakers)
        extra += len(countries - gold)
        found_all += len(countries)
        sp_all += len(speakers)
        any_missed = sorted(s for s in speakers if not speaker_found(s, described))
        if verbose and (missed or any_missed):
            print(f"{art['id']}: missed codes {missed}, speakers not among actors {any_missed}")
    took = time.perf_counter() - started
    print(f"actor code recall {code_hit}/{code_all} = {code_hit / max(code_all, 1):.3f}")
    print(f"speaker recall    {sp_hit}/{sp_all} = {sp_hit / max(sp_all, 1):.3f} (person names)")
    print(f"                  {any_hit}/{sp_all} = {any_hit / max(sp_all, 1):.3f} "
          "(any actor mention's text or name)")
    print(f"resolved codes not in any gold event: {extra}/{found_all} "
          "(not an error rate: articles mention more actors than they code)")
    print(f"({took:.1f} s)")


if __name__ == "__main__":
    main(sys.argv[1:])

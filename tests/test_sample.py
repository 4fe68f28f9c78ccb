"""The bundled sample corpus (newsledger/data/sample/articles.jsonl) is well formed and covers
what it claims to cover: all 16 PLOVER event types, a multi-article story, quotations, relative
dates, negated and hypothetical sentences.

The trigger lists below are a light coverage check on the corpus text, not an event extractor.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "newsledger" / "data" / "sample"
ARTICLES = SAMPLE / "articles.jsonl"

# Words and phrases the sample articles use to report each event type.
TRIGGERS: dict[str, list[str]] = {
    "AGREE": ["agreed", "promised", "pledged", "offered to"],
    "CONSULT": ["talks", "by telephone", "by phone", "met", "discussed"],
    "SUPPORT": ["praised", "welcomed", "thanked", "signed", "condolences", "stand with"],
    "CONCEDE": ["pardoned", "postpone", "announced it would withdraw"],
    "COOPERATE": ["joint exercises", "joint patrols", "joint operation", "extradited",
                  "share intelligence", "share satellite data"],
    "AID": ["humanitarian aid", "aid package", "relief goods", "delivered food", "delivering"],
    "RETREAT": ["withdrew", "released", "freed", "resigned", "reopened", "allowed"],
    "REQUEST": ["urged", "called on", "demanded", "appealed"],
    "ACCUSE": ["accused", "condemned", "criticised", "summoned", "blamed"],
    "REJECT": ["rejected", "refused", "denied"],
    "THREATEN": ["threatened", "warning that"],
    "PROTEST": ["protest", "protesters", "demonstrators", "on strike", "marched"],
    "SANCTION": ["imposed sanctions", "expelled", "to leave the country"],
    "MOBILIZE": ["deployed", "raise the alert", "moved troops", "sent additional"],
    "COERCE": ["arrested", "detained", "state of emergency", "deported", "seized"],
    "ASSAULT": ["killed", "shelling", "exchanged gunfire", "bombed", "water cannon", "fired"],
}

RELATIVE_DATES = ["on monday", "on tuesday", "on wednesday", "on thursday", "on friday",
                  "on saturday", "on sunday", "yesterday", "last week", "last month",
                  "later this year", "next month"]
NEGATION = re.compile(r"\b(did not|has not|have not|was not|would not)\b", re.IGNORECASE)
HYPOTHETICAL = re.compile(r"\bcould\b[^.]*\bif\b", re.IGNORECASE)
DATELINE = re.compile(r"\A[A-Z][A-Z .'-]+(, [A-Za-z ]+)?, [A-Z][a-z]{2} \d{1,2} - ")
QUOTE = re.compile(r"[\"\u201c][^\"\u201d]{3,}[\"\u201d]")


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    lines = ARTICLES.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def has_phrase(text: str, phrase: str) -> bool:
    return re.search(rf"\b{re.escape(phrase)}\b", text, re.IGNORECASE) is not None


def test_every_line_is_a_complete_article(articles):
    assert len(articles) == 26
    for art in articles:
        assert set(art) >= {"id", "url", "source", "title", "published", "text"}, art["id"]
        assert art["text"].strip() and art["title"].strip()
        assert art["url"].startswith("https://example.org/")


def test_ids_and_urls_are_unique(articles):
    ids = [a["id"] for a in articles]
    assert len(set(ids)) == len(ids)
    assert ids == [f"sample-{n:03d}" for n in range(1, 27)]
    assert len({a["url"] for a in articles}) == len(articles)


def test_dates_are_iso_and_span_two_years(articles):
    dates = [dt.date.fromisoformat(a["published"]) for a in articles]
    assert {d.year for d in dates} == {2024, 2025}


def test_articles_are_short_news_items(articles):
    for art in articles:
        words = len(art["text"].split())
        assert 120 <= words <= 350, (art["id"], words)
        assert "\n\n" in art["text"], art["id"]  # paragraphs
    assert len({a["source"] for a in articles}) >= 4


@pytest.mark.parametrize("event_type", sorted(TRIGGERS))
def test_each_event_type_is_covered_by_two_articles(articles, event_type):
    covering = [a["id"] for a in articles
                if any(has_phrase(a["text"], w) for w in TRIGGERS[event_type])]
    assert len(covering) >= 2, (event_type, covering)


def test_multi_article_stories(articles):
    stories = Counter(a["story"] for a in articles if a.get("story"))
    sizes = sorted(stories.values(), reverse=True)
    assert sizes[0] >= 5 and sizes[1] >= 3, stories
    for story in stories:  # told over several days by more than one outlet
        members = [a for a in articles if a.get("story") == story]
        assert len({a["published"] for a in members}) == len(members)
        assert len({a["source"] for a in members}) >= 3


def test_corpus_exercises_quotes_dates_and_modality(articles):
    texts = [a["text"] for a in articles]
    with_quotes = [t for t in texts if QUOTE.search(t)]
    assert len(with_quotes) >= 20
    assert sum(bool(DATELINE.match(t)) for t in texts) >= 10
    assert sum(bool(NEGATION.search(t)) for t in texts) >= 10
    assert sum(bool(HYPOTHETICAL.search(t)) for t in texts) >= 5
    lowered = " ".join(texts).lower()
    for expr in RELATIVE_DATES:
        assert expr in lowered, expr


def test_reader_loads_the_sample_with_story_in_meta():
    read = pytest.importorskip("newsledger.read").read
    items = list(read([ARTICLES]))
    assert all(hasattr(i, "text") for i in items), [i for i in items if not hasattr(i, "text")]
    assert len(items) == 26
    assert Counter(i.meta.get("story") for i in items)["kgz-tjk-border-2024"] == 6

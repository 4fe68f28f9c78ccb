"""The custom attributes the extraction components share on a spaCy ``Doc``.

``doc._.nl_published``  ISO publication date (str) or None; set before the pipeline runs.
``doc._.nl_dates``      list[TimeExpr]      (dates component)
``doc._.nl_actors``     list[Actor]         actor mentions with char offsets (actors component)
``doc._.nl_places``     list[Place]         geocoded toponyms (places component)
``doc._.nl_quotes``     list[Quote]         quotations (quotes component)
``doc._.nl_events``     list[Event]         coded events (events component)
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Token

NAMES = ("nl_published", "nl_dates", "nl_actors", "nl_places", "nl_quotes", "nl_events")

for _name in NAMES:
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def published(doc: Doc) -> dt.date | None:
    value = doc._.nl_published
    return dt.date.fromisoformat(value) if value else None


def text(doc: Doc) -> str:
    """``doc.text``, computed once: spaCy rebuilds the string from every token on each access,
    which made per-mention lookups quadratic in the article length."""
    cached = doc.user_data.get("nl_text")
    if cached is None:
        cached = doc.user_data["nl_text"] = doc.text
    return cached


def tokens(doc: Doc) -> tuple[list[int], list[str]]:
    """Each token's start offset and text, read once per document: a walk over the tokens
    makes a Python object for each, so stages that look at every word read these lists."""
    cached = doc.user_data.get("nl_tokens")
    if cached is None:
        full = text(doc)
        spans = doc.to_array([IDX, LENGTH]).tolist()
        cached = ([s for s, _ in spans], [full[s:s + n] for s, n in spans])
        doc.user_data["nl_tokens"] = cached
    return cached


def words(doc: Doc, pattern: re.Pattern,
          where: Callable[[str], bool] | None = None) -> list[Token]:
    """The single tokens a pattern's first group spans: a text search for the few words a
    stage looks for, instead of a walk over every token, which spaCy makes costly. ``where``
    drops matches by their text before they are looked up as tokens, which costs more."""
    out = []
    for m in pattern.finditer(text(doc)):
        if where is not None and not where(m.group(1)):
            continue
        span = doc.char_span(m.start(1), m.end(1))
        if span is not None and len(span) == 1:
            out.append(span[0])
    return out

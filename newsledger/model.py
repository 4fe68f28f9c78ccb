"""The typed data model every stage shares.

Records flow one way: ``Article`` (read) -> ``Extraction`` (extract) -> rows (store).
JSON in and out of the model happens here and only here (``to_dict`` / ``from_dict``), so the
extraction-record schema documented in ``docs/schema.md`` has one definition.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1


@dataclass
class Article:
    """One dated news article, as read from any input format."""

    id: str
    text: str
    published: dt.date | None
    title: str = ""
    url: str = ""
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    origin: str = ""  # "path:line" where it was read, for error messages and provenance


@dataclass
class Entity:
    text: str
    label: str
    start: int
    end: int


@dataclass
class Actor:
    """A political actor as resolved from a mention: country/IGO code plus sector.

    ``country`` is an ISO 3166-1 alpha-3 code or an IGO code (UN, EU, NATO ...).
    ``start``/``end`` point at the mention in the article text (None when the actor was inferred).
    """

    text: str
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    kind: str | None = None  # person | country | igo | org | group | collective
    start: int | None = None
    end: int | None = None


@dataclass
class TimeExpr:
    """A temporal expression normalised against the publication date.

    ``value`` is ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or ISO week ``YYYY-Www``.
    """

    text: str
    start: int
    end: int
    value: str
    granularity: str  # day | week | month | year


@dataclass
class Place:
    text: str
    start: int
    end: int
    name: str | None = None
    country: str | None = None  # ISO3
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: str | None = None  # country | admin1 | city
    geonameid: int | None = None
    confidence: float = 0.0


@dataclass
class Quote:
    text: str
    start: int
    end: int
    cue: str | None = None
    speaker: Actor | None = None
    direct: bool = True


@dataclass
class Span:
    """A piece of the article text: a trigger or an evidence sentence."""

    text: str
    start: int
    end: int


@dataclass
class Event:
    id: str
    type: str  # one of the 16 PLOVER types
    cameo: str | None = None
    goldstein: float | None = None
    quad: int | None = None
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    source: Actor | None = None
    target: Actor | None = None
    date: str | None = None
    date_basis: str = "published"  # text | published | none
    location: Place | None = None
    dead: int | None = None
    injured: int | None = None
    size: int | None = None
    trigger: Span | None = None
    evidence: Span | None = None
    mentions: list[Span] = field(default_factory=list)  # every sentence reporting it
    confidence: float = 0.5
    modality: str = "asserted"  # asserted | negated | hypothetical | future | question
    # True when the act was found but its doer (or a recipient the trigger needs) could not be
    # placed in a country or organisation: a candidate, left out of output unless asked for
    candidate: bool = False


@dataclass
class Extraction:
    """Everything extracted from one article."""

    id: str
    published: dt.date | None
    text: str
    title: str = ""
    url: str = ""
    source: str = ""
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)  # direct quotations only
    attributions: list[Quote] = field(default_factory=list)  # indirect: "X denied that ..."
    dates: list[TimeExpr] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failure:
    """An input that could not be read or extracted, with where and why."""

    origin: str  # "path:line"
    reason: str
    article_id: str | None = None
    stage: str = "read"  # read | extract | store


# ---------------------------------------------------------------- JSON in and out

_NESTED = {
    "events": Event, "quotes": Quote, "attributions": Quote, "dates": TimeExpr,
    "entities": Entity, "places": Place,
}
_EVENT_NESTED = {"source": Actor, "target": Actor, "location": Place, "trigger": Span,
                 "evidence": Span}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def to_dict(record: Any) -> dict[str, Any]:
    """A JSON-ready dict of any model object (dates become ISO strings)."""
    return _plain(record)


def _build(cls: type, data: dict[str, Any] | None) -> Any:
    if data is None:
        return None
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


def event_from_dict(data: dict[str, Any]) -> Event:
    ev = _build(Event, data)
    for name, cls in _EVENT_NESTED.items():
        setattr(ev, name, _build(cls, data.get(name)))
    ev.mentions = [_build(Span, m) for m in data.get("mentions") or []]
    return ev


def extraction_from_dict(data: dict[str, Any]) -> Extraction:
    """Inverse of ``to_dict`` for an extraction record (used by import and tests)."""
    ex = _build(Extraction, data)
    ex.published = dt.date.fromisoformat(data["published"]) if data.get("published") else None
    ex.events = [event_from_dict(e) for e in data.get("events") or []]
    for name in ("quotes", "attributions", "dates", "entities", "places"):
        setattr(ex, name, [_build(_NESTED[name], x) for x in data.get(name) or []])
    for q in ex.quotes + ex.attributions:
        if isinstance(q.speaker, dict):
            q.speaker = _build(Actor, q.speaker)
    return ex

"""The HTTP API (``/api/...``): every route reads through ``Database.query`` with parameters.

Paging everywhere: ``limit`` (1-500) and ``offset``; lists come back as
``{"total", "limit", "offset", "items"}``. Bad input is a 400 with ``{"error": message}``,
an unknown id a 404, a query over the time limit a 503.
"""
from __future__ import annotations

import datetime as dt
import hmac
import re
import tempfile
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import FileResponse

from newsledger.serve.db import Database
from newsledger.serve.exports import Exports
from newsledger.serve.queries import (
    MAX_LIMIT, ORDERS, BadRequest, EventFilters, Where, by_ids, events_page, facets, needle,
    nest, page_ids, parse_date,
)

ONTOLOGY = Path(__file__).resolve().parents[1] / "data" / "ontology" / "plover_types.tsv"
MAX_TEXT = 200  # characters in a text filter
MAX_OFFSET = 10_000_000
MAX_TIMELINE = 5000  # consolidated events a timeline query (q) may select


class NotFound(LookupError):
    """An unknown id; the message names it."""


class Forbidden(PermissionError):
    """A write without (or with a wrong) token, or a disabled feature."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


@lru_cache(maxsize=1)
def plover_types() -> dict[str, int]:
    """``{type: quad}`` from the bundled PLOVER table."""
    types = {}
    for line in ONTOLOGY.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("#") or len(parts) < 2 or not parts[1].strip().isdigit():
            continue
        types[parts[0].strip()] = int(parts[1])
    return types


# ------------------------------------------------------------------------------ parameters

def _text(value: str | None, name: str) -> str | None:
    """A text filter: trimmed, at most MAX_TEXT characters, no control characters."""
    if value is None:
        return None
    value = value.strip()
    if len(value) > MAX_TEXT:
        raise BadRequest(f"{name}: at most {MAX_TEXT} characters (got {len(value)})")
    if any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise BadRequest(f"{name}: control characters are not allowed")
    return value or None


def _split(values: list[str] | None) -> list[str]:
    """Repeated parameters and comma-separated values alike: ``type=A&type=B`` = ``type=A,B``."""
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


def _types(values: list[str] | None) -> list[str]:
    known = plover_types()
    found = [v.upper() for v in _split(values)]
    bad = [v for v in found if v not in known]
    if bad:
        raise BadRequest(f"type: unknown PLOVER type {bad[0][:40]!r}; one of "
                         f"{', '.join(sorted(known))}")
    return found


def _quads(values: list[str] | None) -> list[int]:
    quads = []
    for v in _split(values):
        if v not in {"1", "2", "3", "4"}:
            raise BadRequest(f"quad: must be 1, 2, 3 or 4 (verbal/material cooperation, "
                             f"verbal/material conflict); got {v[:20]!r}")
        quads.append(int(v))
    return quads


def _date(value: str | None, name: str) -> str | None:
    value = _text(value, name)
    parse_date(value, name)  # raises BadRequest
    return value


Text = Annotated[str | None, Query(max_length=MAX_TEXT)]


def event_filters(
    actor: Annotated[str | None, Query(max_length=MAX_TEXT, description=(
        "Source or target actor: country/IGO code (exact) or name/mention (contains)"))] = None,
    country: Annotated[str | None, Query(max_length=MAX_TEXT, description=(
        "Country code of the source, target or location"))] = None,
    source: Annotated[str | None, Query(max_length=MAX_TEXT, description=(
        "Source actor (code or name)"))] = None,
    target: Annotated[str | None, Query(max_length=MAX_TEXT, description=(
        "Target actor (code or name)"))] = None,
    type: Annotated[list[str] | None, Query(description=(
        "PLOVER type(s); repeat or separate with commas"))] = None,
    quad: Annotated[list[str] | None, Query(description="Quad class(es) 1-4")] = None,
    since: Annotated[str | None, Query(max_length=10, description=(
        "Events whose date interval ends on or after this (YYYY-MM-DD, YYYY-MM, YYYY)"))] = None,
    until: Annotated[str | None, Query(max_length=10, description=(
        "Events whose date interval starts on or before this"))] = None,
    place: Annotated[str | None, Query(max_length=MAX_TEXT, description=(
        "Location: country code (exact) or place name (contains)"))] = None,
    outlet: Annotated[str | None, Query(max_length=MAX_TEXT, description=(
        "News source (outlet) of the article (contains)"))] = None,
    text: Annotated[str | None, Query(max_length=MAX_TEXT, description=(
        "Words in the trigger or evidence sentence (contains)"))] = None,
    article_id: Annotated[str | None, Query(max_length=MAX_TEXT)] = None,
    story: Annotated[str | None, Query(max_length=MAX_TEXT, description=(
        "The article's meta.story label"))] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    min_sources: Annotated[int | None, Query(ge=1, le=100_000, description=(
        "Only events whose consolidated event is reported by this many outlets"))] = None,
    min_articles: Annotated[int | None, Query(ge=1, le=100_000, description=(
        "Only events whose consolidated event is reported in this many articles"))] = None,
) -> EventFilters:
    f = EventFilters(
        actor=_text(actor, "actor"), country=_text(country, "country"),
        source=_text(source, "source"), target=_text(target, "target"),
        type=_types(type), quad=_quads(quad), since=_date(since, "since"),
        until=_date(until, "until"), place=_text(place, "place"), outlet=_text(outlet, "outlet"),
        text=_text(text, "text"), article_id=_text(article_id, "article_id"),
        story=_text(story, "story"), min_confidence=min_confidence,
        min_sources=min_sources, min_articles=min_articles)
    return f


def paging(limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=(
               f"Rows per page (at most {MAX_LIMIT})"))] = 50,
           offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> tuple[int, int]:
    return limit, offset


Filters = Annotated[EventFilters, Depends(event_filters)]
Paging = Annotated[tuple[int, int], Depends(paging)]


class Order(str, Enum):
    newest = "newest"
    oldest = "oldest"
    confidence = "confidence"
    article = "article"


class QuoteKind(str, Enum):
    """Quotations in quote marks, indirect attributions ("X said that ..."), or both."""
    quotes = "quotes"
    attributions = "attributions"
    all = "all"


class Interval(str, Enum):
    auto = "auto"
    day = "day"
    week = "week"
    month = "month"
    year = "year"


class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    json = "json"
    plover = "plover"
    gdelt = "gdelt"


class ExportWhat(str, Enum):
    events = "events"  # stored event reports, every event filter applies
    quotes = "quotes"
    consolidated = "consolidated"  # newsledger.export: since, until, country, type
    articles = "articles"  # newsledger.export jsonl: extraction records per article


EXPORTS = {"events": ("csv", "jsonl", "json"), "quotes": ("csv", "jsonl", "json"),
           "consolidated": ("csv", "plover", "gdelt", "json", "jsonl"), "articles": ("jsonl",)}


class Level(str, Enum):
    auto = "auto"  # consolidated events when the ledger has them, else reports
    consolidated = "consolidated"
    reports = "reports"


_CODE = re.compile(r"^[A-Za-z]{2,8}$")


class Link(str, Enum):
    quad = "quad"
    type = "type"


# -------------------------------------------------------------------------------- helpers

def db_of(request: Request) -> Database:
    return request.app.state.db


def _checked(db: Database, f: EventFilters) -> EventFilters:
    """The filters, once the consolidation filters are known to have tables to work on."""
    if (f.min_sources or f.min_articles) and not db.consolidated:
        raise BadRequest("min_sources/min_articles need consolidated events: run "
                         "`newsledger consolidate` on this ledger first")
    return f


def _interval(db: Database, w: Where, interval: Interval) -> str:
    """The interval asked for, or one that gives a readable number of bars for the data."""
    if interval != Interval.auto:
        return interval.value
    row = db.query(f"SELECT min(date_start) AS a, max(date_start) AS b FROM events{w.sql()}",
                   w.params)[0]
    return _auto_step(row["a"], row["b"])


def _auto_step(first: dt.date | None, last: dt.date | None) -> str:
    days = (last - first).days if first and last else 0
    return "day" if days <= 62 else "week" if days <= 500 else "month" if days <= 3650 else "year"


# --------------------------------------------------------------------------------- routes

def build_router() -> APIRouter:
    r = APIRouter(prefix="/api")
    responses = {400: {"description": "Bad parameter: `{\"error\": message}`"}}

    @r.get("/health", summary="Server status and mode")
    def health(request: Request) -> dict[str, Any]:
        st = request.app.state
        return {"ok": True, "read_only": st.db.read_only, "ingest": st.ingest,
                "consolidated": st.db.consolidated, "max_limit": MAX_LIMIT}

    @r.get("/stats", summary="Rows per table, publication span")
    def stats(request: Request) -> dict[str, Any]:
        db = db_of(request)
        tables = {t: db.value(f"SELECT count(*) FROM {t}")  # fixed names
                  for t in ("articles", "events", "quotes", "places", "dates", "entities")}
        span = db.query("SELECT min(published) AS first, max(published) AS last FROM articles")[0]
        return {"tables": tables, "published": nest(span), "consolidated": db.consolidated}

    @r.get("/types", summary="PLOVER event types with their quad class")
    def types() -> list[dict[str, Any]]:
        return [{"type": t, "quad": q} for t, q in plover_types().items()]

    @r.get("/stories", summary="Story labels (article meta.story) with article counts")
    def stories(request: Request, page: Paging) -> dict[str, Any]:
        limit, offset = page
        db = db_of(request)
        sql = ("SELECT json_extract_string(meta, '$.story') AS story, count(*) AS articles, "
               "min(published) AS first, max(published) AS last FROM articles "
               "WHERE json_extract_string(meta, '$.story') IS NOT NULL GROUP BY story")
        total = db.value(f"SELECT count(*) FROM ({sql})")
        rows = db.query(sql + " ORDER BY articles DESC, story LIMIT ? OFFSET ?", [limit, offset])
        return {"total": total, "limit": limit, "offset": offset, "items": [nest(x) for x in rows]}

    @r.get("/events", summary="Search events", responses=responses)
    def events(request: Request, filters: Filters, page: Paging,
               order: Order = Order.newest) -> dict[str, Any]:
        db = db_of(request)
        return events_page(db, _checked(db, filters), order.value, *page)

    @r.get("/events/facets", summary="Counts per type, quad and country for a search",
           responses=responses)
    def event_facets(request: Request, filters: Filters,
                     top: Annotated[int, Query(ge=1, le=200)] = 30) -> dict[str, Any]:
        db = db_of(request)
        return facets(db, _checked(db, filters), top)

    @r.get("/events/{event_id}", summary="One event with its article's headline",
           responses={404: {"description": "Unknown event"}})
    def event(request: Request, event_id: str) -> dict[str, Any]:
        db = db_of(request)
        rows = db.query("SELECT e.* EXCLUDE (seq), a.title AS article_title, a.source AS "
                        "article_source, a.published AS article_published, a.url AS article_url "
                        "FROM events e LEFT JOIN articles a ON a.id = e.article_id "
                        "WHERE e.id = ?", [event_id])
        if not rows:
            raise NotFound(f"no event with id {event_id[:80]!r}")
        out = nest(rows[0])
        if db.consolidated:
            found = db.query("SELECT cluster_id FROM cluster_members WHERE event_id = ?",
                             [event_id])
            out["cluster_id"] = found[0]["cluster_id"] if found else None
        return out

    @r.get("/consolidated", summary="Consolidated events (one real event, many reports)",
           responses=responses)
    def consolidated(request: Request, page: Paging,
                     actor: Text = None, type: Annotated[list[str] | None, Query()] = None,
                     quad: Annotated[list[str] | None, Query()] = None,
                     since: Annotated[str | None, Query(max_length=10)] = None,
                     until: Annotated[str | None, Query(max_length=10)] = None,
                     text: Text = None, place: Text = None,
                     min_sources: Annotated[int | None, Query(ge=1, le=100_000)] = None,
                     min_articles: Annotated[int | None, Query(ge=1, le=100_000)] = None,
                     order: Order = Order.newest) -> dict[str, Any]:
        db = db_of(request)
        limit, offset = page
        if not db.consolidated:
            return {"total": 0, "limit": limit, "offset": offset, "items": [],
                    "note": "not consolidated yet: run `newsledger consolidate`"}
        w = Where()
        if actor := _text(actor, "actor"):
            w.add("source_country = ? OR target_country = ? OR "
                  "contains(lower(source_name), ?) OR contains(lower(target_name), ?)",
                  actor.upper(), actor.upper(), needle(actor), needle(actor))
        if types := _types(type):
            w.add("type IN (SELECT unnest(?::VARCHAR[]))", types)
        if quads := _quads(quad):
            w.add("quad IN (SELECT unnest(?::INTEGER[]))", quads)
        if since := _date(since, "since"):
            w.add("date_end >= ?", parse_date(since, "since"))
        if until := _date(until, "until"):
            w.add("date_start <= ?", parse_date(until, "until", last=True))
        if text := _text(text, "text"):
            w.add("contains(lower(array_to_string(evidence, ' ')), ?)", needle(text))
        if place := _text(place, "place"):
            w.add("location_country = ? OR contains(lower(location_name), ?)",
                  place.upper(), needle(place))
        if min_sources:
            w.add("num_sources >= ?", min_sources)
        if min_articles:
            w.add("num_articles >= ?", min_articles)
        orders = {"newest": "date_start DESC NULLS LAST, id", "oldest": "date_start NULLS LAST, id",
                  "confidence": "confidence DESC NULLS LAST, id",
                  "article": "num_articles DESC, id"}
        ids, total = page_ids(db, "clusters", w, orders[order.value], limit, offset)
        rows = by_ids(db, "SELECT * FROM clusters WHERE id IN", ids)
        return {"total": total, "limit": limit, "offset": offset, "items": [nest(x) for x in rows]}

    @r.get("/consolidated/{cluster_id}", summary="A consolidated event with its reports",
           responses={404: {"description": "Unknown consolidated event"}})
    def cluster(request: Request, cluster_id: str) -> dict[str, Any]:
        db = db_of(request)
        if not db.consolidated:
            raise NotFound("this ledger has no consolidated events: run `newsledger consolidate`")
        from newsledger.consolidate import explain  # the consolidation module's own view
        found = db.run(lambda ledger: explain(ledger, cluster_id))
        if not found:
            raise NotFound(f"no consolidated event with id {cluster_id[:80]!r}")
        return _jsonable(found)

    @r.get("/quotes", summary="Search quotations", responses=responses)
    def quotes(request: Request, page: Paging, speaker: Text = None, country: Text = None,
               text: Text = None, article_id: Text = None,
               kind: Annotated[QuoteKind, Query(description=(
                   "quotes: words in quote marks (default); attributions: reported speech "
                   "without them; all: both"))] = QuoteKind.quotes) -> dict[str, Any]:
        db = db_of(request)
        limit, offset = page
        w = Where()
        if kind is not QuoteKind.all:
            w.add("direct = ?", kind is QuoteKind.quotes)
        if speaker := _text(speaker, "speaker"):
            w.add("speaker_country = ? OR contains(lower(speaker_name), ?) OR "
                  "contains(lower(speaker_text), ?)", speaker.upper(), needle(speaker),
                  needle(speaker))
        if country := _text(country, "country"):
            w.add("speaker_country = ?", country.upper())
        if text := _text(text, "text"):
            w.add("contains(lower(q.text), ?)", needle(text))
        if article_id := _text(article_id, "article_id"):
            w.add("article_id = ?", article_id)
        total = db.value(f"SELECT count(*) FROM quotes q{w.sql()}", w.params)
        rows = db.query(
            f"SELECT q.* EXCLUDE (seq), a.title AS article_title, a.published AS "
            f"article_published FROM quotes q LEFT JOIN articles a ON a.id = q.article_id"
            f"{w.sql()} ORDER BY a.published DESC NULLS LAST, q.article_id, q.seq "
            "LIMIT ? OFFSET ?", w.params + [limit, offset])
        return {"total": total, "limit": limit, "offset": offset, "items": [nest(x) for x in rows]}

    @r.get("/articles", summary="Search articles", responses=responses)
    def articles(request: Request, page: Paging, outlet: Text = None, text: Text = None,
                 story: Text = None,
                 since: Annotated[str | None, Query(max_length=10)] = None,
                 until: Annotated[str | None, Query(max_length=10)] = None) -> dict[str, Any]:
        db = db_of(request)
        limit, offset = page
        w = Where()
        if outlet := _text(outlet, "outlet"):
            w.add("contains(lower(source), ?)", needle(outlet))
        if text := _text(text, "text"):
            w.add("contains(lower(title), ?) OR contains(lower(text), ?)", needle(text),
                  needle(text))
        if story := _text(story, "story"):
            w.add("json_extract_string(meta, '$.story') = ?", story)
        if since := _date(since, "since"):
            w.add("published >= ?", parse_date(since, "since"))
        if until := _date(until, "until"):
            w.add("published <= ?", parse_date(until, "until", last=True))
        total = db.value(f"SELECT count(*) FROM articles{w.sql()}", w.params)
        rows = db.query(
            "SELECT id, url, source, title, published, meta, length(text) AS chars, "
            f"(SELECT count(*) FROM events e WHERE e.article_id = articles.id) AS events "
            f"FROM articles{w.sql()} ORDER BY published DESC NULLS LAST, id LIMIT ? OFFSET ?",
            w.params + [limit, offset])
        return {"total": total, "limit": limit, "offset": offset, "items": [nest(x) for x in rows]}

    @r.get("/articles/{article_id}", summary="An article's text with every extracted record "
           "and its offsets", responses={404: {"description": "Unknown article"}})
    def article(request: Request, article_id: str) -> dict[str, Any]:
        db = db_of(request)
        found = db.query("SELECT * EXCLUDE (content_hash) FROM articles WHERE id = ?",
                         [article_id])
        if not found:
            raise NotFound(f"no article with id {article_id[:80]!r}")
        out = nest(found[0])
        for table in ("events", "quotes", "dates", "places", "entities"):  # fixed names
            rows = db.query(f"SELECT * EXCLUDE (article_id) FROM {table} WHERE article_id = ? "
                            "ORDER BY seq",
                            [article_id])
            out[table] = [nest(x) for x in rows]
        # as in Ledger.article: quotations and indirect attributions apart
        out["attributions"] = [q for q in out["quotes"] if not q.get("direct")]
        out["quotes"] = [q for q in out["quotes"] if q.get("direct")]
        return out

    @r.get("/dyad", summary="Cooperation and conflict over time between two actors",
           responses=responses)
    def dyad(request: Request,
             a: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description=(
                 "First actor: country/IGO code or name"))],
             b: Annotated[str, Query(min_length=1, max_length=MAX_TEXT, description=(
                 "Second actor"))],
             interval: Interval = Interval.auto,
             level: Level = Level.auto,
             since: Annotated[str | None, Query(max_length=10)] = None,
             until: Annotated[str | None, Query(max_length=10)] = None) -> dict[str, Any]:
        db = db_of(request)
        a_, b_ = _text(a, "a"), _text(b, "b")
        if not a_ or not b_:
            raise BadRequest("a and b: give two actors (codes such as IND or names)")
        since, until = _date(since, "since"), _date(until, "until")
        codes = all(_CODE.match(x) for x in (a_, b_))
        if level == Level.consolidated and not (codes and db.consolidated):
            raise BadRequest("level=consolidated needs consolidated events and two actor codes")
        if level != Level.reports and codes and db.consolidated:
            return _dyad_consolidated(db, a_.upper(), b_.upper(), interval, since, until)
        base = EventFilters(since=since, until=until)
        w = base.where()
        w.add("date_start IS NOT NULL")
        side = "({s}_country = ? OR contains(lower({s}_name), ?))"
        ab = f"{side.format(s='source')} AND {side.format(s='target')}"
        A, B = (a_.upper(), needle(a_)), (b_.upper(), needle(b_))
        w.add(f"({ab}) OR ({ab})", *A, *B, *B, *A)
        step = _interval(db, w, interval)
        rows = db.query(
            f"SELECT date_trunc('{step}', date_start)::DATE AS period, "
            f"CASE WHEN {side.format(s='source')} THEN 'ab' ELSE 'ba' END AS direction, "
            "quad, count(*) AS n, count(DISTINCT article_id) AS reports, "
            "avg(goldstein) AS goldstein "
            f"FROM events{w.sql()} GROUP BY ALL ORDER BY period, direction, quad",
            [*A] + w.params)
        return {"a": a_, "b": b_, "interval": step, "level": "reports",
                "series": [nest(x) for x in rows]}

    @r.get("/timeline", summary="A story over time: events by event date, report volume by "
           "publication date", responses=responses)
    def timeline(request: Request, filters: Filters, interval: Interval = Interval.auto,
                 level: Level = Level.auto, cluster: Text = None,
                 q: Annotated[str | None, Query(max_length=MAX_TEXT, description=(
                     "Consolidated events matching these words or an actor code "
                     "(newsledger.analysis.timeline)"))] = None,
                 markers: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 200) -> dict[str, Any]:
        db = db_of(request)
        f = _checked(db, filters)
        consolidated = db.consolidated
        cluster, q = _text(cluster, "cluster"), _text(q, "q")
        if (cluster or q or level == Level.consolidated) and not consolidated:
            raise BadRequest("cluster, q and level=consolidated need consolidated events: run "
                             "`newsledger consolidate` on this ledger first")
        if cluster:
            f.extra.append(("id IN (SELECT event_id FROM cluster_members WHERE cluster_id = ?)",
                            (cluster,)))
        if q:
            from newsledger import analysis
            ids = [r["id"] for r in db.run(lambda ledger: _fetch(
                analysis.timeline(ledger, q, limit=MAX_TIMELINE)))]
            f.extra.append(("id IN (SELECT event_id FROM cluster_members WHERE cluster_id IN "
                            "(SELECT unnest(?::VARCHAR[])))", (ids,)))
        w = f.where()
        step = _interval(db, w, interval)
        dated = f"{w.sql()}{' AND' if w.clauses else ' WHERE'} date_start IS NOT NULL"
        reports = db.query(
            f"SELECT date_trunc('{step}', a.published)::DATE AS period, "
            "count(DISTINCT a.id) AS articles, count(*) AS reports FROM "
            f"(SELECT article_id FROM events{w.sql()}) e JOIN articles a ON a.id = e.article_id "
            "WHERE a.published IS NOT NULL GROUP BY ALL ORDER BY period", w.params)
        if consolidated and level != Level.reports:  # each real event once
            # the matching clusters once, then the histogram and the first markers from them
            rows = db.query(
                "WITH m AS MATERIALIZED (SELECT c.id, c.date_start, c.quad, struct_pack(id := "
                "c.id, article_id := c.best_article_id, event_id := c.best_event_id, type := "
                "c.type, quad := c.quad, \"date\" := c.\"date\", date_start := c.date_start, "
                "source_country := c.source_country, target_country := c.target_country, "
                "source_name := c.source_name, target_name := c.target_name, "
                "text := c.best_evidence, reports := c.num_articles) AS item "
                "FROM clusters c WHERE c.date_start IS NOT NULL AND c.id IN (SELECT cluster_id "
                f"FROM cluster_members WHERE event_id IN (SELECT id FROM events{w.sql()}))) "
                f"SELECT 'bar' AS kind, date_trunc('{step}', date_start)::DATE AS period, quad, "
                "count(*) AS n, NULL AS item FROM m GROUP BY ALL "
                "UNION ALL (SELECT 'marker', NULL, NULL, NULL, item FROM m "
                "ORDER BY date_start, id LIMIT ?)", w.params + [markers])
            events_ = sorted(({k: r[k] for k in ("period", "quad", "n")} for r in rows
                              if r["kind"] == "bar"), key=lambda r: (r["period"], r["quad"] or 0))
            points = [r["item"] for r in rows if r["kind"] == "marker"]
        else:
            events_ = db.query(f"SELECT date_trunc('{step}', date_start)::DATE AS period, quad, "
                               f"count(*) AS n FROM events{dated} GROUP BY ALL "
                               "ORDER BY period, quad", w.params)
            points = db.query(
                "SELECT id, article_id, id AS event_id, type, quad, \"date\", date_start, "
                "source_country, target_country, source_name, target_name, "
                f"trigger_text AS text, 1 AS reports FROM events{dated} "
                "ORDER BY date_start, article_id, seq LIMIT ?", w.params + [markers])
        return {"interval": step, "level": "consolidated" if consolidated and level !=
                Level.reports else "reports", "events": [nest(x) for x in events_],
                "reports": [nest(x) for x in reports], "markers": [_jsonable(x) for x in points]}

    @r.get("/network", summary="Who acts on whom: actors and weighted edges",
           responses=responses)
    def network(request: Request, filters: Filters, by: Link = Link.quad,
                max_edges: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 150) -> dict[str, Any]:
        db = db_of(request)
        w = _checked(db, filters).where()
        key = "coalesce(upper({s}_country), {s}_name)"
        link = "CAST(quad AS VARCHAR)" if by == Link.quad else "type"  # fixed choices
        edges = db.query(
            f"SELECT {key.format(s='source')} AS source, {key.format(s='target')} AS target, "
            f"{link} AS link, count(*) AS n, avg(goldstein) AS goldstein FROM events{w.sql()}"
            f"{' AND' if w.clauses else ' WHERE'} source_text IS NOT NULL AND "
            "target_text IS NOT NULL GROUP BY ALL HAVING source IS NOT NULL AND target IS NOT NULL "
            "AND source <> target ORDER BY n DESC, source, target, link LIMIT ?",
            w.params + [max_edges])
        nodes: dict[str, int] = {}
        for e in edges:
            e["goldstein"] = None if e["goldstein"] is None else round(e["goldstein"], 2)
            for end in (e["source"], e["target"]):
                nodes[end] = nodes.get(end, 0) + e["n"]
        return {"by": by.value, "nodes": [{"id": k, "n": n} for k, n in nodes.items()],
                "edges": edges}

    @r.get("/map", summary="Where events happen: points and counts per country",
           responses=responses)
    def map_(request: Request, filters: Filters,
             max_points: Annotated[int, Query(ge=1, le=5000)] = 2000) -> dict[str, Any]:
        db = db_of(request)
        w = _checked(db, filters).where()
        and_ = " AND" if w.clauses else " WHERE"
        points = db.query(
            "SELECT round(location_lat, 2) AS lat, round(location_lon, 2) AS lon, "
            "first(location_name) AS name, first(location_country) AS country, count(*) AS n, "
            "first(id) AS event_id "
            f"FROM events{w.sql()}{and_} location_lat IS NOT NULL AND location_lon IS NOT NULL "
            "AND location_lat BETWEEN -90 AND 90 AND location_lon BETWEEN -180 AND 180 "
            "GROUP BY 1, 2 ORDER BY n DESC, lat, lon LIMIT ?", w.params + [max_points])
        countries = db.query(
            f"SELECT upper(location_country) AS country, count(*) AS n FROM events{w.sql()}"
            f"{and_} location_country IS NOT NULL GROUP BY 1 ORDER BY n DESC, country",
            w.params)
        numeric = _numeric_codes()
        for c in countries:
            c["numeric"] = numeric.get(c["country"])
        return {"points": points, "countries": countries}

    @r.post("/exports", summary="Generate a download of events, quotes, consolidated events "
            "or articles", status_code=201, responses=responses)
    def create_export(request: Request, filters: Filters,
                      format: ExportFormat = ExportFormat.csv,
                      what: ExportWhat = ExportWhat.events) -> dict[str, Any]:
        db = db_of(request)
        exports = request.app.state.exports
        if format.value not in EXPORTS[what.value]:
            raise BadRequest(f"format: what={what.value} exports as "
                             f"{', '.join(EXPORTS[what.value])} (got {format.value})")
        if what in (ExportWhat.consolidated, ExportWhat.articles):
            return _library_export(db, exports, filters, what.value, format.value)
        if what == ExportWhat.events:
            w = _checked(db, filters).where()
            sql, params = f"SELECT * EXCLUDE (seq) FROM events{w.sql()} ORDER BY " \
                          f"{ORDERS['newest']} LIMIT ?", w.params
        else:
            sql, params = "SELECT * EXCLUDE (seq) FROM quotes ORDER BY article_id, seq LIMIT ?", []
        rows = db.query(sql, params + [exports.max_rows])
        item = exports.write(rows, what.value, format.value)
        return {"id": item["id"], "rows": len(rows), "truncated": len(rows) >= exports.max_rows,
                "filename": item["filename"], "url": f"/api/exports/{item['id']}"}

    @r.get("/exports/{export_id}", summary="Download a generated export by its id",
           responses={404: {"description": "Unknown or expired export"}})
    def get_export(request: Request, export_id: str) -> FileResponse:
        item = request.app.state.exports.get(export_id)
        return FileResponse(item["path"], media_type=item["media_type"],
                            filename=item["filename"])

    @r.post("/ingest", summary="Ingest uploaded JSONL articles (needs --allow-ingest and the "
            "token)", responses={401: {"description": "No token"},
                                 403: {"description": "Wrong token or ingest disabled"},
                                 413: {"description": "Upload too large"}})
    async def ingest(request: Request,
                     authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        st = request.app.state
        check_token(st.token if st.ingest else None, authorization, enabled=st.ingest)
        body = await _body(request, st.max_upload)
        from starlette.concurrency import run_in_threadpool
        return await run_in_threadpool(_ingest_bytes, st, body)

    return r


def check_token(token: str | None, authorization: str | None, enabled: bool = True) -> None:
    """Bearer-token check in constant time (``hmac.compare_digest``)."""
    if not enabled or not token:
        raise Forbidden("ingest is disabled on this server (start it with --allow-ingest and "
                        "a token)")
    if not authorization or not authorization.startswith("Bearer "):
        raise Forbidden("this needs the server's token: send 'Authorization: Bearer TOKEN'", 401)
    given = authorization[len("Bearer "):].strip().encode("utf-8", "replace")
    if not hmac.compare_digest(given, token.encode("utf-8")):
        raise Forbidden("wrong token")


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Forbidden(f"upload too large: at most {limit} bytes", 413)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Forbidden(f"upload too large: at most {limit} bytes", 413)
        chunks.append(chunk)
    return b"".join(chunks)


def _ingest_bytes(state: Any, body: bytes) -> dict[str, Any]:
    if not body.strip():
        raise BadRequest("empty upload: send JSONL articles (one JSON object a line)")
    with tempfile.TemporaryDirectory(prefix="newsledger-upload-") as tmp:
        path = Path(tmp) / "upload.jsonl"
        path.write_bytes(body)
        with state.db.write_lock:
            report = state.db.ledger.ingest(str(path), extractor=state.extractor)
            clusters = _consolidate(state.db) if report.new else None
    return {"read": report.read, "new": report.new, "skipped_existing": report.skipped_existing,
            "failed": report.failed, "events": report.events, "quotes": report.quotes,
            "consolidated": clusters,
            "failures": [{"origin": f.origin.replace(str(path), "upload"), "reason": f.reason}
                         for f in report.failures[:50]]}


def _consolidate(db: Database) -> dict[str, Any] | None:
    """Place the new reports in consolidated events, when the ledger has them already."""
    db.changed()
    if not db.consolidated:
        return None
    from newsledger.consolidate import consolidate
    report = consolidate(db.ledger)
    return {"placed": report.placed, "merged": report.merged,
            "clusters_created": report.clusters_created}


def _jsonable(value: Any) -> Any:
    """Library results (dates, NaN, nested lists) as plain JSON values."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    return value


def _dyad_consolidated(db: Database, a: str, b: str, interval: Interval, since: str | None,
                       until: str | None) -> dict[str, Any]:
    """The dyad from ``newsledger.analysis.dyad``: each real event once, however many
    articles reported it; rows summed over types into (period, direction, quad)."""
    from newsledger import analysis
    lo = parse_date(since, "since")
    hi = parse_date(until, "until", last=True)
    step = interval.value
    if interval == Interval.auto:
        span = db.query("SELECT min(date_start) AS a, max(date_start) AS b FROM clusters WHERE "
                        "(source_country = ? AND target_country = ?) OR "
                        "(source_country = ? AND target_country = ?)", [a, b, b, a])[0]
        step = _auto_step(span["a"], span["b"])
    frame = db.run(lambda ledger: _fetch(analysis.dyad(ledger, a, b, by=step)))
    series: dict[tuple[Any, str, Any], dict[str, Any]] = {}
    for r in frame:
        period = r["period"]
        if (lo and period < _trunc(lo, step)) or (hi and period > hi):
            continue
        direction = "ab" if r["direction"] == f"{a}→{b}" else "ba"
        row = series.setdefault((period, direction, r["quad"]), {
            "period": period.isoformat(), "direction": direction, "quad": r["quad"], "n": 0,
            "reports": 0, "goldstein_sum": 0.0})
        row["n"] += r["events"]
        row["reports"] += r["reports"] or 0
        row["goldstein_sum"] += r["goldstein_sum"] or 0.0
    rows = []
    for row in sorted(series.values(), key=lambda x: (x["period"], x["direction"], x["quad"])):
        row["goldstein"] = round(row.pop("goldstein_sum") / row["n"], 2) if row["n"] else None
        rows.append(row)
    return {"a": a, "b": b, "interval": step, "level": "consolidated", "series": rows}


def _library_export(db: Database, exports: Exports, f: EventFilters, what: str,
                    fmt: str) -> dict[str, Any]:
    """Consolidated events and article records through ``newsledger.export.export``, which
    filters by date, country and type only: other filters are refused rather than ignored."""
    from newsledger import export as library
    extra = sorted(name for name, value in vars(f).items()
                   if value not in (None, [], "") and name not in ("since", "until", "country",
                                                                  "type"))
    if extra:
        raise BadRequest(f"what={what} exports filter by since, until, country and type only "
                         f"(remove {', '.join(extra)})")
    if what == "consolidated" and not db.consolidated:
        raise BadRequest("what=consolidated: this ledger has no consolidated events")
    name = {"csv": "csv", "gdelt": "gdelt", "plover": "plover", "json": "plover",
            "jsonl": "plover" if what == "consolidated" else "jsonl"}[fmt]
    suffix = {"gdelt": "tsv", "plover": "json"}.get(fmt, fmt)
    export_id, path = exports.reserve(suffix)
    try:
        n = db.run(lambda ledger: library.export(
            ledger, name, path, since=f.since, until=f.until, country=f.country,
            type=f.type or None))
    except library.ExportError as exc:
        raise BadRequest(str(exc)) from None
    item = exports.register(export_id, path, what if fmt != "gdelt" else "gdelt-events", suffix)
    return {"id": export_id, "rows": n, "truncated": False, "filename": item["filename"],
            "url": f"/api/exports/{export_id}"}


def _trunc(day: dt.date, step: str) -> dt.date:
    """The first day of the ``step`` period holding ``day`` (as DuckDB's date_trunc)."""
    if step == "week":
        return day - dt.timedelta(days=day.weekday())
    if step == "month":
        return day.replace(day=1)
    if step == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if step == "year":
        return dt.date(day.year, 1, 1)
    return day


def _fetch(relation: Any) -> list[dict[str, Any]]:
    """A DuckDB relation's rows as dicts (read before its cursor closes)."""
    columns = relation.columns
    return [dict(zip(columns, row)) for row in relation.fetchall()]


@lru_cache(maxsize=1)
def _numeric_codes() -> dict[str, str]:
    """ISO3 -> ISO 3166-1 numeric, the ids of the bundled world map's countries."""
    import pycountry
    return {c.alpha_3: c.numeric for c in pycountry.countries}

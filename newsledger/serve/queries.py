"""SQL for the API: event filters, paging, aggregates. User values only travel as parameters.

The only text spliced into SQL comes from fixed tables in this module (orders, intervals,
grouping keys), chosen by validated enum values.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from newsledger.store import date_range

MAX_LIMIT = 500


class BadRequest(ValueError):
    """A parameter the API cannot use; the message names it and says what is expected."""


# ------------------------------------------------------------------------------- filters

@dataclass
class Where:
    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(f"({clause})")
        self.params.extend(params)

    def sql(self) -> str:
        return " WHERE " + " AND ".join(self.clauses) if self.clauses else ""


def like(value: str) -> str:
    """An ILIKE pattern matching ``value`` anywhere, its wildcards taken literally."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def parse_date(value: str | None, name: str, last: bool = False) -> dt.date | None:
    """``2025-05-07``, ``2025-05`` or ``2025`` (for an upper bound: its last day)."""
    if value is None or value == "":
        return None
    start, end = date_range(value) if len(value) <= 10 and "/" not in value else (None, None)
    if start is None or end is None:
        raise BadRequest(f"{name}: not a date: {value!r} (use YYYY-MM-DD, YYYY-MM or YYYY)")
    return end if last else start


def _actor(where: Where, sides: tuple[str, ...], value: str) -> None:
    """An actor by code (exact, any case) or by name / mention text (contains)."""
    parts, params = [], []
    for side in sides:
        parts.append(f"upper({side}_country) = upper(?) OR {side}_name ILIKE ? ESCAPE '\\' "
                     f"OR {side}_text ILIKE ? ESCAPE '\\'")
        params += [value, like(value), like(value)]
    where.add(" OR ".join(parts), *params)


@dataclass
class EventFilters:
    """The event filters every event endpoint shares (see ``docs/web.md``)."""

    actor: str | None = None
    country: str | None = None
    source: str | None = None
    target: str | None = None
    type: list[str] = field(default_factory=list)
    quad: list[int] = field(default_factory=list)
    since: str | None = None
    until: str | None = None
    place: str | None = None
    outlet: str | None = None
    text: str | None = None
    article_id: str | None = None
    story: str | None = None
    min_confidence: float | None = None
    event_ids: list[str] | None = None  # a consolidated event's members
    min_sources: int | None = None  # consolidation filters: applied by the API (api._where)
    min_articles: int | None = None

    def where(self) -> Where:
        w = Where()
        if self.actor:
            _actor(w, ("source", "target"), self.actor)
        if self.country:
            w.add("upper(source_country) = upper(?) OR upper(target_country) = upper(?) "
                  "OR upper(location_country) = upper(?)", *[self.country] * 3)
        if self.source:
            _actor(w, ("source",), self.source)
        if self.target:
            _actor(w, ("target",), self.target)
        if self.type:
            w.add("type IN (SELECT unnest(?::VARCHAR[]))", [t.upper() for t in self.type])
        if self.quad:
            w.add("quad IN (SELECT unnest(?::INTEGER[]))", list(self.quad))
        if self.since:
            w.add("date_end >= ?", parse_date(self.since, "since"))
        if self.until:
            w.add("date_start <= ?", parse_date(self.until, "until", last=True))
        if self.place:
            w.add("upper(location_country) = upper(?) OR location_name ILIKE ? ESCAPE '\\' "
                  "OR location_text ILIKE ? ESCAPE '\\'", self.place, like(self.place),
                  like(self.place))
        if self.outlet:
            w.add("article_id IN (SELECT id FROM articles WHERE source ILIKE ? ESCAPE '\\')",
                  like(self.outlet))
        if self.story:
            w.add("article_id IN (SELECT id FROM articles "
                  "WHERE json_extract_string(meta, '$.story') = ?)", self.story)
        if self.text:
            w.add("evidence_text ILIKE ? ESCAPE '\\' OR trigger_text ILIKE ? ESCAPE '\\'",
                  like(self.text), like(self.text))
        if self.article_id:
            w.add("article_id = ?", self.article_id)
        if self.min_confidence is not None:
            w.add("confidence >= ?", self.min_confidence)
        if self.event_ids is not None:
            w.add("id IN (SELECT unnest(?::VARCHAR[]))", self.event_ids)
        return w


# --------------------------------------------------------------------------- event rows

ORDERS = {
    "newest": "date_start DESC NULLS LAST, article_id, seq",
    "oldest": "date_start ASC NULLS LAST, article_id, seq",
    "confidence": "confidence DESC NULLS LAST, article_id, seq",
    "article": "article_id, seq",
}
NESTED = ("source", "target", "location", "trigger", "evidence", "speaker")


def nest(row: dict[str, Any]) -> dict[str, Any]:
    """Prefixed columns (``source_name`` ...) as nested objects, None when ``*_text`` is NULL;
    dates as ISO strings; ``mentions`` parsed."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        prefix, _, rest = key.partition("_")
        if prefix in NESTED and rest:
            if row.get(f"{prefix}_text") is None:
                out[prefix] = None
            else:
                out.setdefault(prefix, {})[rest] = _plain(value)
        elif key == "mentions":
            out[key] = json.loads(value) if value else []
        elif key == "meta":
            out[key] = json.loads(value) if value else {}
        else:
            out[key] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and value != value:  # NaN is not JSON
        return None
    return value


def events_page(db: Any, f: EventFilters, order: str, limit: int, offset: int
                ) -> dict[str, Any]:
    """One page of events (with their article's headline and outlet) and the total count."""
    w = f.where()
    total = db.value(f"SELECT count(*) FROM events{w.sql()}", w.params)
    rows = db.query(
        f"WITH page AS (SELECT * EXCLUDE (seq), seq AS _seq FROM events{w.sql()} "
        f"ORDER BY {ORDERS[order]} LIMIT ? OFFSET ?) "
        "SELECT page.* EXCLUDE (_seq), a.title AS article_title, a.source AS article_source, "
        "a.published AS article_published FROM page LEFT JOIN articles a ON a.id = page.article_id "
        f"ORDER BY {ORDERS[order].replace('seq', '_seq')}",
        w.params + [limit, offset])
    return {"total": total, "limit": limit, "offset": offset, "items": [nest(r) for r in rows]}


def facets(db: Any, f: EventFilters, top: int = 30) -> dict[str, Any]:
    """Counts per type, quad class and country (source, target or location) for the filters."""
    w = f.where()
    by_type = db.query(f"SELECT type AS key, count(*) AS n FROM events{w.sql()} "
                       "GROUP BY type ORDER BY n DESC, key", w.params)
    by_quad = db.query(f"SELECT quad AS key, count(*) AS n FROM events{w.sql()} "
                       "GROUP BY quad ORDER BY key NULLS LAST", w.params)
    by_country = db.query(
        "SELECT key, count(*) AS n FROM (SELECT unnest(list_distinct(list_filter("
        "[source_country, target_country, location_country], lambda x: x IS NOT NULL))) AS key "
        f"FROM events{w.sql()}) GROUP BY key ORDER BY n DESC, key LIMIT ?", w.params + [top])
    return {"type": by_type, "quad": by_quad, "country": by_country}

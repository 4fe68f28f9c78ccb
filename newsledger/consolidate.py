"""Cross-article consolidation: one real event, many reports.

Every stored event is a *report* (one article saying something happened). ``consolidate``
links reports from different articles that describe the same real event into a *cluster*
(a consolidated event) and keeps two tables next to the store's own:

- ``cluster_members``: one row per report: its cluster, the report it was matched to and why
  (the rules that held, with their scores);
- ``clusters``: one row per consolidated event: type, actors, best date, place, the union of
  evidence sentences, ``num_articles``, ``num_sources``, ``num_mentions``, first/last report.

Two reports are linked when (rules documented in ``docs/consolidation.md``):

1. they have the same PLOVER type and modality (hard);
2. their actors are compatible: the same source country and the same target country, where a
   missing side matches anything, as long as at least one side is known and equal (hard);
3. their date intervals, widened by the type's window (``data/consolidation/windows.tsv``),
   overlap; a month- or year-precise date covers its days; a date taken from the publication
   date covers the ``lookback`` days before publication (hard);
4. the weighted score of actor, date, place and evidence similarity reaches ``THRESHOLD``.

Consolidation is incremental (only reports not yet in a cluster are placed; candidates are
found by an SQL join on type, actor pair and date window) and deterministic: reports are placed
in publication order and a cluster's id is ``c-`` + the event id of the report that founded it,
so a rebuild gives the same ids.

>>> from newsledger.store import Ledger
>>> with Ledger("news.duckdb") as ledger:                                   # doctest: +SKIP
...     consolidate(ledger)                 # places every report not yet in a cluster
...     ledger.sql("SELECT id, type, num_articles FROM clusters ORDER BY num_articles DESC")
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyarrow as pa

from newsledger.store import date_range

DATA = Path(__file__).resolve().parent / "data" / "consolidation"
THRESHOLD = 0.52
SYMMETRIC = frozenset({"CONSULT", "COOPERATE"})
WEIGHTS = {"actors": 0.30, "date": 0.30, "evidence": 0.25, "place": 0.15}

_DDL = [
    """CREATE TABLE IF NOT EXISTS cluster_members (
  event_id VARCHAR PRIMARY KEY,
  cluster_id VARCHAR,
  matched_event_id VARCHAR,
  score DOUBLE,
  reasons JSON,
  lo DATE,
  hi DATE
)""",
    """CREATE TABLE IF NOT EXISTS clusters (
  id VARCHAR PRIMARY KEY,
  type VARCHAR, cameo VARCHAR, goldstein DOUBLE, quad INTEGER, mode VARCHAR,
  modality VARCHAR,
  source_country VARCHAR, source_name VARCHAR, source_sector VARCHAR,
  target_country VARCHAR, target_name VARCHAR, target_sector VARCHAR,
  "date" VARCHAR, date_basis VARCHAR, date_start DATE, date_end DATE,
  location_name VARCHAR, location_country VARCHAR, location_admin1 VARCHAR,
  location_feature VARCHAR, location_lat DOUBLE, location_lon DOUBLE, location_geonameid BIGINT,
  dead BIGINT, injured BIGINT, size BIGINT, confidence DOUBLE,
  best_event_id VARCHAR, best_article_id VARCHAR, best_evidence VARCHAR,
  evidence VARCHAR[],
  num_reports INTEGER, num_articles INTEGER, num_sources INTEGER, num_mentions INTEGER,
  first_report DATE, last_report DATE, first_url VARCHAR,
  location_text VARCHAR
)""",
]

__all__ = ["consolidate", "rebuild", "ensure_tables", "pending_count", "needs_update", "explain",
           "ConsolidationReport", "THRESHOLD"]


# ------------------------------------------------------------------------------ settings

@lru_cache(maxsize=1)
def windows() -> dict[str, tuple[int, int]]:
    """``{type: (window_days, lookback_days)}`` from ``data/consolidation/windows.tsv``."""
    rows: dict[str, tuple[int, int]] = {}
    with open(DATA / "windows.tsv", encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t"):
            rows[row["type"].strip()] = (int(row["window"]), int(row["lookback"]))
    return rows


# -------------------------------------------------------------------------------- tables

def ensure_tables(ledger: Any) -> None:
    """Create ``clusters`` and ``cluster_members`` if missing (a writable ledger only)."""
    if getattr(ledger, "read_only", False):
        return
    for ddl in _DDL:
        ledger.con.execute(ddl)
    # columns added after the first layout
    ledger.con.execute("ALTER TABLE clusters ADD COLUMN IF NOT EXISTS location_text VARCHAR")


def has_tables(ledger: Any) -> bool:
    names = {r[0] for r in ledger.con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
    ).fetchall()}
    return {"clusters", "cluster_members"} <= names


def needs_update(ledger: Any) -> bool:
    """Whether some report is not in a cluster yet, or some member's report was deleted."""
    if not has_tables(ledger):
        return True
    stale = ledger.con.execute("SELECT count(*) FROM cluster_members m "
                               "ANTI JOIN events e ON e.id = m.event_id").fetchall()[0][0]
    return bool(stale or pending_count(ledger))


def pending_count(ledger: Any) -> int:
    """How many stored events are not in a cluster yet (all of them before the first run)."""
    if not has_tables(ledger):
        return ledger.con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    return ledger.con.execute(
        "SELECT count(*) FROM events e ANTI JOIN cluster_members m ON m.event_id = e.id"
    ).fetchall()[0][0]


# ------------------------------------------------------------------------------- reports

@dataclass
class Report:
    """One stored event with what the rules look at."""

    id: str
    article_id: str
    seq: int
    published: Any
    type: str
    modality: str
    source: str | None
    target: str | None
    lo: Any  # effective date interval (with the published-date lookback), or None
    hi: Any
    precise: bool  # the date came from the text and names a day
    nominal: Any  # the date the report states (its date_start, or the publication date)
    basis: str
    place: tuple[Any, ...]  # (geonameid, name, country, feature, lat, lon)
    tokens: frozenset[str]

    @property
    def order(self) -> tuple[Any, ...]:
        return (str(self.published or "9999"), self.article_id, self.seq)


@dataclass
class ConsolidationReport:
    placed: int = 0  # reports placed in this run
    merged: int = 0  # of which joined an existing cluster
    clusters_created: int = 0
    clusters_updated: int = 0
    pruned: int = 0  # members whose event no longer exists
    touched: set[str] = field(default_factory=set, repr=False)


def _stem(word: str) -> str:
    """Crude: shelled/shells -> shell, marches -> march, villages -> village."""
    if word.endswith("ed") and len(word) >= 6:
        return word[:-2]
    if word.endswith(("ches", "shes", "sses", "xes", "zes")) and len(word) >= 6:
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) >= 5:
        return word[:-1]
    return word


_STOP = frozenset("""a an the of to in on at for by with from and or but as is was were be been
has have had it its this that these those he she they them his her their said says say told
after before over into about than then also which who whom while during near new two one
""".split())
_WORD = re.compile(r"[a-z0-9]+")


def tokens(*texts: str | None) -> frozenset[str]:
    """Content words of trigger and evidence, lower-cased, crude plural/tense stripping.

    >>> sorted(tokens("Troops shelled the villages", None))
    ['shell', 'troop', 'village']
    """
    words = set()
    for text in texts:
        for w in _WORD.findall((text or "").lower()):
            if w in _STOP or len(w) < 3:
                continue
            words.add(_stem(w))
    return frozenset(words)


# A dateline ("NEW DELHI, Oct 6 - ") says where the reporter was and when they filed, not where
# or when the event happened: places and dates inside it are left out of the comparison.
_DATELINE_END = ("(CASE WHEN regexp_matches(left(a.text, 80), '^[A-Z][A-Z .''-]+,') "
                 "THEN strpos(left(a.text, 80), ' - ') ELSE 0 END)")
# The sentence splitter sometimes cuts a sentence short ("near the Ta Muen | Thom temple on
# Friday"): an evidence span that does not end a sentence runs on to the next full stop.
_SENTENCE_END = ("(CASE WHEN regexp_matches(e.evidence_text, '[.!?\"”'')]\\s*$') "
                 "THEN e.evidence_end ELSE e.evidence_end + coalesce(least("
                 "nullif(strpos(substr(a.text, e.evidence_end + 1, 400), '. '), 0), "
                 "nullif(strpos(substr(a.text, e.evidence_end + 1, 400), chr(10)), 0)), 400) END)")
_FEATURES = """
SELECT e.id, e.article_id, e.seq, a.published, e.type, coalesce(e.modality, 'asserted') AS modality,
       coalesce(e.source_country, upper(e.source_name)) AS source,
       coalesce(e.target_country, upper(e.target_name)) AS target,
       e.date_basis, e.date_start, e.date_end,
       e.location_geonameid, e.location_name, e.location_country, e.location_feature,
       e.location_lat, e.location_lon, e.location_start,
       e.trigger_text, e.evidence_text, e.evidence_start,
       DATELINE_END AS dateline_end,
       (SELECT list(d.value ORDER BY d.start) FROM dates d WHERE d.article_id = e.article_id
          AND d.start >= e.evidence_start AND d.start < SENTENCE_END
          AND d.start >= DATELINE_END) AS sentence_dates
FROM events e JOIN articles a ON a.id = e.article_id
""".replace("DATELINE_END", _DATELINE_END).replace("SENTENCE_END", _SENTENCE_END)


def _interval(row: dict[str, Any]) -> tuple[Any, Any, bool]:
    """The days a report's event may have happened on: ``(first, last, precise)``.

    - a date from the text that a date expression in the evidence sentence supports: as is;
    - a date from the text that the sentence contradicts (the date of another clause): widened
      to cover the sentence's own dates too;
    - a date from the text with no date in the sentence (inherited from the context, as in
      restatements "three days after troops shelled ..."): the event happened on or before it,
      within the type's lookback;
    - a date from the publication date: the lookback days up to publication.
    """
    window, lookback = window_for(row["type"])
    published = row["published"]
    start, end = row["date_start"], row["date_end"]
    if row["date_basis"] != "text" or start is None:
        if published is None:
            return None, None, False
        return published - dt.timedelta(days=lookback), published, False
    spans = [r for r in (date_range(v) for v in row["sentence_dates"] or []) if r[0] is not None]
    if not spans:
        return end - dt.timedelta(days=lookback), end, False
    containing = [(s, e) for s, e in spans if s <= start and end <= e]
    if containing:  # the sentence's own date; a coarser one ("last week") is all we know
        s, e = max(containing, key=lambda span: span[1] - span[0])
        return s, e, s == e
    return min([start] + [s for s, _ in spans]), max([end] + [e for _, e in spans]), False


def window_for(type_: str) -> tuple[int, int]:
    table = windows()
    return table.get(type_) or table.get("*") or (2, 10)


def _report(row: dict[str, Any]) -> Report:
    lo, hi, precise = _interval(row)
    dateline = row["dateline_end"] or 0
    in_dateline = row["location_start"] is not None and row["location_start"] < dateline
    # A country named as the place that is also one of the actors is the actor (metonymy:
    # "accused the United States"), not where it happened.
    actor_country = row["location_feature"] == "country" and row["location_country"] in (
        row["source"], row["target"])
    place = (None,) * 6 if in_dateline or actor_country else (
        row["location_geonameid"], (row["location_name"] or "").lower() or None,
        row["location_country"], row["location_feature"], row["location_lat"], row["location_lon"])
    evidence = row["evidence_text"] or ""
    if row["evidence_start"] is not None and row["evidence_start"] < dateline:
        evidence = evidence[dateline - row["evidence_start"]:]
    return Report(
        id=row["id"], article_id=row["article_id"], seq=row["seq"], published=row["published"],
        type=row["type"], modality=row["modality"], source=row["source"], target=row["target"],
        lo=lo, hi=hi, precise=precise, basis=row["date_basis"] or "", place=place,
        nominal=row["date_start"] if row["date_basis"] == "text" else row["published"],
        tokens=tokens(row["trigger_text"], evidence),
    )


def _reports(con: Any, where: str, params: list[Any]) -> dict[str, Report]:
    rows = _rows(con, f"SELECT * FROM ({_FEATURES}) f WHERE {where}", params)
    return {r["id"]: _report(r) for r in rows}


# --------------------------------------------------------------------------------- rules

def actors_rule(a: Report, b: Report) -> tuple[bool, float, str]:
    """Same source and target; a missing side matches, but one known side must agree.

    CONSULT and COOPERATE are undirected: "A met B" and "B met A" are the same meeting.
    """
    if a.type in SYMMETRIC and (a.source, a.target) != (b.source, b.target) \
            and (a.source, a.target) == (b.target, b.source):
        return True, 1.0, "same actor pair, other direction (undirected type)"
    agree = 0
    for x, y in ((a.source, b.source), (a.target, b.target)):
        if x and y:
            if x != y:
                return False, 0.0, f"actors differ ({x} vs {y})"
            agree += 1
    if agree == 0:
        return False, 0.0, "no actor known on both sides"
    score = 1.0 if agree == 2 else 0.6
    return True, score, f"{agree} of 2 actor sides equal, none conflicting"


def date_rule(a: Report, b: Report, window: int) -> tuple[bool, float, str]:
    """Intervals overlap once widened by the window; exact same day scores highest."""
    if a.lo is None or b.lo is None:
        return False, 0.0, "undated"
    gap = max((b.lo - a.hi).days, (a.lo - b.hi).days, 0)
    if gap > window:
        return False, 0.0, f"dates {gap} days apart (window {window})"
    if a.precise and b.precise:
        score = 1.0 - gap / (window + 1)
        return True, score, f"day-precise dates {gap} days apart (window {window})"
    # Imprecise intervals overlap easily; the dates the reports name tell more.
    same = a.nominal is not None and a.nominal == b.nominal
    inside = (a.precise and b.lo <= a.lo <= b.hi) or (b.precise and a.lo <= b.lo <= a.hi)
    score = 0.7 if same else 0.5 if inside else 0.35
    why = ("same stated date" if same else "one report's exact day lies in the other's interval"
           if inside else f"stated dates {a.nominal} and {b.nominal}")
    return True, score, f"date intervals overlap (imprecise: week, month, inferred); {why}"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742 * math.asin(math.sqrt(min(h, 1.0)))


def place_rule(a: Report, b: Report) -> tuple[bool, float, str]:
    """Same place, or one inside the other's country; far-apart cities do not match."""
    ga, na, ca, fa, lata, lona = a.place
    gb, nb, cb, fb, latb, lonb = b.place
    if not (na or ca) or not (nb or cb):
        return True, 0.5, "place unknown in one report"
    if (ga and ga == gb) or (na and na == nb):
        return True, 1.0, f"same place ({na or ga})"
    if ca and cb and ca != cb:
        return True, 0.1, f"places in different countries ({ca} vs {cb})"
    if fa == "city" and fb == "city" and None not in (lata, lona, latb, lonb):
        km = _km(lata, lona, latb, lonb)
        if km > 150:
            return False, 0.0, f"cities {km:.0f} km apart"
        return True, 0.8, f"nearby places ({km:.0f} km)"
    return True, 0.7, f"same country ({ca or cb}), one place more precise"


def evidence_rule(a: Report, b: Report) -> tuple[bool, float, str]:
    """Token Jaccard of trigger + evidence content words."""
    if not a.tokens or not b.tokens:
        return True, 0.0, "no evidence text"
    shared = a.tokens & b.tokens
    jaccard = len(shared) / len(a.tokens | b.tokens)
    # Short restatements share few words with a long lead sentence: credit containment too.
    containment = len(shared) / min(len(a.tokens), len(b.tokens))
    score = max(jaccard, 0.6 * containment)
    words = ", ".join(sorted(shared)[:6])
    return True, score, f"evidence overlap {jaccard:.2f} Jaccard ({words or 'no shared words'})"


def compare(a: Report, b: Report, window: int) -> tuple[bool, float, dict[str, Any]]:
    """Whether two reports may be one event, their score and the rules with their scores."""
    rules: dict[str, Any] = {"type": {"ok": a.type == b.type, "score": 1.0,
                                      "why": f"same type {a.type}"}}
    if a.type != b.type or a.modality != b.modality:
        return False, 0.0, {"type": {"ok": False, "score": 0.0, "why": "type or modality differ"}}
    ok = True
    for name, (passed, score, why) in (("actors", actors_rule(a, b)),
                                       ("date", date_rule(a, b, window)),
                                       ("place", place_rule(a, b)),
                                       ("evidence", evidence_rule(a, b))):
        rules[name] = {"ok": passed, "score": round(score, 3), "why": why}
        ok = ok and passed
    total = sum(WEIGHTS[n] * rules[n]["score"] for n in WEIGHTS)
    return ok and total >= THRESHOLD, round(total, 3), rules


# ---------------------------------------------------------------------------- placement

# Blocking: same type and modality, compatible actor pair, widened date intervals overlap.
_BLOCK = """
  ON o.type = n.type AND o.id <> n.id AND o.modality = n.modality
 AND (((o.source IS NULL OR n.source IS NULL OR o.source = n.source)
       AND (o.target IS NULL OR n.target IS NULL OR o.target = n.target))
      OR (n.type IN ('CONSULT', 'COOPERATE') AND o.source = n.target AND o.target = n.source))
 AND o.lo - to_days(n.win) <= n.hi AND n.lo - to_days(n.win) <= o.hi
"""
_CANDIDATES = """
WITH placed AS (
  SELECT m.event_id AS id, e.type, coalesce(e.modality, 'asserted') AS modality,
         coalesce(e.source_country, upper(e.source_name)) AS source,
         coalesce(e.target_country, upper(e.target_name)) AS target, m.lo, m.hi
  FROM cluster_members m JOIN events e ON e.id = m.event_id
  WHERE m.lo IS NOT NULL AND e.type IN (SELECT DISTINCT type FROM _nl_pending)
)
SELECT n.id AS new_id, o.id AS other_id FROM _nl_pending n JOIN placed o {block}
UNION ALL
SELECT n.id, o.id FROM _nl_pending n JOIN _nl_pending o {block}
"""


def consolidate(ledger: Any) -> ConsolidationReport:
    """Place every report not yet in a cluster; update the clusters it touches.

    Safe to call after every ingest: with nothing pending it costs two small queries.
    """
    ensure_tables(ledger)
    report = ConsolidationReport()
    con = ledger.con
    con.execute("BEGIN TRANSACTION")
    try:
        report.touched |= _prune(con, report)
        if pending_count(ledger):
            _place(con, report)
        _aggregate(con, report.touched)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    report.clusters_updated = len(report.touched) - report.clusters_created
    return report


def rebuild(ledger: Any) -> ConsolidationReport:
    """Forget every cluster and consolidate all reports again (same ids as before)."""
    ensure_tables(ledger)
    ledger.con.execute("DELETE FROM cluster_members")
    ledger.con.execute("DELETE FROM clusters")
    return consolidate(ledger)


def _prune(con: Any, report: ConsolidationReport) -> set[str]:
    """Drop members whose event was deleted (article deleted or replaced)."""
    gone = con.execute("SELECT m.event_id, m.cluster_id FROM cluster_members m "
                       "ANTI JOIN events e ON e.id = m.event_id").fetchall()
    if not gone:
        return set()
    con.execute("DELETE FROM cluster_members WHERE event_id IN (SELECT unnest(?::VARCHAR[]))",
                [[g[0] for g in gone]])
    report.pruned = len(gone)
    return {g[1] for g in gone}


def _place(con: Any, report: ConsolidationReport) -> None:
    pending = _reports(con, "f.id IN (SELECT e.id FROM events e ANTI JOIN cluster_members m "
                            "ON m.event_id = e.id)", [])
    table = pa.table({
        "id": pa.array(list(pending), pa.string()),
        "type": pa.array([r.type for r in pending.values()], pa.string()),
        "modality": pa.array([r.modality for r in pending.values()], pa.string()),
        "source": pa.array([r.source for r in pending.values()], pa.string()),
        "target": pa.array([r.target for r in pending.values()], pa.string()),
        "lo": pa.array([r.lo for r in pending.values()], pa.date32()),
        "hi": pa.array([r.hi for r in pending.values()], pa.date32()),
        "win": pa.array([window_for(r.type)[0] for r in pending.values()], pa.int32()),
    })
    con.register("_nl_pending", table)
    pairs = con.execute(_CANDIDATES.format(block=_BLOCK)).fetchall()
    con.unregister("_nl_pending")
    placed_ids = sorted({o for _, o in pairs} - set(pending))
    reports = dict(pending)
    if placed_ids:
        reports.update(_reports(con, "f.id IN (SELECT unnest(?::VARCHAR[]))", [placed_ids]))
    cluster_of = dict(con.execute(
        "SELECT event_id, cluster_id FROM cluster_members WHERE event_id IN "
        "(SELECT unnest(?::VARCHAR[]))", [placed_ids]).fetchall()) if placed_ids else {}
    actors = _cluster_actors(con, set(cluster_of.values()))
    candidates: dict[str, list[str]] = defaultdict(list)
    for new_id, other_id in pairs:
        if other_id in reports:
            candidates[new_id].append(other_id)
    members = []
    for rep in sorted(pending.values(), key=lambda r: r.order):
        best = _best_match(rep, candidates[rep.id], reports, cluster_of, actors)
        if best is None:
            cid, matched, score, reasons = f"c-{rep.id}", None, None, {"founded": True}
            report.clusters_created += 1
        else:
            cid, matched, score, reasons = best
            report.merged += 1
        cluster_of[rep.id] = cid
        src, tgt = actors.get(cid, (None, None))
        actors[cid] = (src or rep.source, tgt or rep.target)
        members.append((rep.id, cid, matched, score, json.dumps(reasons), rep.lo, rep.hi))
        report.touched.add(cid)
    report.placed = len(members)
    if members:  # one Arrow insert: executemany goes row by row
        names = ["event_id", "cluster_id", "matched_event_id", "score", "reasons", "lo", "hi"]
        types = [pa.string(), pa.string(), pa.string(), pa.float64(), pa.string(), pa.date32(),
                 pa.date32()]
        table = pa.table({n: pa.array([m[i] for m in members], t)
                          for i, (n, t) in enumerate(zip(names, types))})
        con.register("_nl_members", table)
        con.execute(f"INSERT INTO cluster_members ({', '.join(names)}) "
                    f"SELECT {', '.join(names)} FROM _nl_members")
        con.unregister("_nl_members")


def _best_match(rep: Report, others: list[str], reports: dict[str, Report],
                cluster_of: dict[str, str], actors: dict[str, tuple[Any, Any]]
                ) -> tuple[str, str, float, dict[str, Any]] | None:
    window = window_for(rep.type)[0]
    best = None
    for other_id in sorted(others, key=lambda i: reports[i].order):
        cid = cluster_of.get(other_id)
        if cid is None:  # a pending report later in publication order: it will look at us
            continue
        if _conflicts(rep, actors.get(cid, (None, None))):
            continue  # the cluster already has another actor on that side (complete link)
        ok, score, rules = compare(rep, reports[other_id], window)
        if ok and (best is None or score > best[2]):
            best = (cid, other_id, score, rules)
    return best


def _conflicts(rep: Report, pair: tuple[Any, Any]) -> bool:
    src, tgt = pair
    direct = (src and rep.source and src != rep.source) or (tgt and rep.target and tgt != rep.target)
    if direct and rep.type in SYMMETRIC:
        return not ((src or rep.target) == rep.target and (tgt or rep.source) == rep.source)
    return bool(direct)


def _cluster_actors(con: Any, ids: set[str]) -> dict[str, tuple[Any, Any]]:
    if not ids:
        return {}
    rows = con.execute(
        "SELECT m.cluster_id, first(coalesce(e.source_country, upper(e.source_name))) "
        "FILTER (WHERE coalesce(e.source_country, e.source_name) IS NOT NULL), "
        "first(coalesce(e.target_country, upper(e.target_name))) "
        "FILTER (WHERE coalesce(e.target_country, e.target_name) IS NOT NULL) "
        "FROM cluster_members m JOIN events e ON e.id = m.event_id "
        "WHERE m.cluster_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY m.cluster_id",
        [sorted(ids)]).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def _rows(con: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


# ---------------------------------------------------------------------------- aggregates

# The best-dated report: a date from the text, then the narrowest interval, then the highest
# confidence, then the earliest article. The best-placed report: the most precise place.
_AGGREGATE = """
WITH m AS (
  SELECT m.cluster_id, e.*, a.published, a.url, a.text AS article_text,
         coalesce(nullif(a.source, ''), nullif(regexp_extract(a.url, '^\\w+://([^/]+)', 1), ''),
                  a.id) AS outlet,
         row_number() OVER (PARTITION BY m.cluster_id ORDER BY
             (e.date_basis = 'text') DESC, (e.date_end - e.date_start) ASC NULLS LAST,
             e.confidence DESC NULLS LAST, a.published NULLS LAST, e.article_id, e.seq) AS date_rank,
         row_number() OVER (PARTITION BY m.cluster_id ORDER BY
             e.location_text IS NULL OR e.location_start < DATELINE_END,
             CASE e.location_feature WHEN 'city' THEN 0 WHEN 'admin1' THEN 1 WHEN 'region' THEN 2
                  WHEN 'country' THEN 3 ELSE 4 END, e.location_confidence DESC NULLS LAST,
             a.published NULLS LAST, e.article_id, e.seq) AS place_rank,
         row_number() OVER (PARTITION BY m.cluster_id ORDER BY a.published NULLS LAST,
             e.article_id, e.seq) AS report_rank
  FROM cluster_members m JOIN events e ON e.id = m.event_id JOIN articles a ON a.id = e.article_id
  WHERE m.cluster_id IN (SELECT unnest(?::VARCHAR[]))
),
ev AS (
  SELECT cluster_id, evidence_text, min(report_rank) AS first_seen FROM m
  WHERE evidence_text IS NOT NULL GROUP BY ALL
),
agg AS (
  SELECT cluster_id,
    count(*) AS num_reports, count(DISTINCT article_id) AS num_articles,
    count(DISTINCT outlet) AS num_sources,
    sum(greatest(json_array_length(coalesce(mentions, '[]')), 1)) AS num_mentions,
    min(published) AS first_report, max(published) AS last_report,
    first(url ORDER BY report_rank) FILTER (WHERE url IS NOT NULL AND url <> '') AS first_url,
    first(source_country ORDER BY date_rank) FILTER (WHERE source_country IS NOT NULL) AS sc,
    first(source_name ORDER BY date_rank) FILTER (WHERE source_name IS NOT NULL) AS sn,
    first(source_sector ORDER BY date_rank) FILTER (WHERE source_sector IS NOT NULL) AS ss,
    first(target_country ORDER BY date_rank) FILTER (WHERE target_country IS NOT NULL) AS tc,
    first(target_name ORDER BY date_rank) FILTER (WHERE target_name IS NOT NULL) AS tn,
    first(target_sector ORDER BY date_rank) FILTER (WHERE target_sector IS NOT NULL) AS ts,
    max(dead) AS dead, max(injured) AS injured, max(size) AS size,
    max(confidence) AS confidence
  FROM m GROUP BY cluster_id
)
SELECT b.cluster_id AS id, b.type, b.cameo, b.goldstein, b.quad, b.mode, b.modality,
  agg.sc, agg.sn, agg.ss, agg.tc, agg.tn, agg.ts,
  b."date", b.date_basis, b.date_start, b.date_end,
  p.location_name, p.location_country, p.location_admin1, p.location_feature,
  p.location_lat, p.location_lon, p.location_geonameid,
  agg.dead, agg.injured, agg.size, agg.confidence,
  b.id, b.article_id, b.evidence_text,
  (SELECT list(evidence_text ORDER BY first_seen, evidence_text) FROM ev
   WHERE ev.cluster_id = b.cluster_id),
  agg.num_reports, agg.num_articles, agg.num_sources, agg.num_mentions,
  agg.first_report, agg.last_report, agg.first_url, p.location_text
FROM m b JOIN agg ON agg.cluster_id = b.cluster_id
JOIN m p ON p.cluster_id = b.cluster_id AND p.place_rank = 1
WHERE b.date_rank = 1
"""


def _aggregate(con: Any, ids: set[str]) -> None:
    if not ids:
        return
    wanted = sorted(ids)
    con.execute("DELETE FROM clusters WHERE id IN (SELECT unnest(?::VARCHAR[]))", [wanted])
    con.execute("INSERT INTO clusters " + _AGGREGATE.replace("DATELINE_END", _DATELINE_END),
                [wanted])


# ------------------------------------------------------------------------------- explain

def explain(ledger: Any, cluster_id: str) -> dict[str, Any] | None:
    """A consolidated event with its reports and, for each, why it was merged.

    ``cluster_id`` may also be the id of any member event. Returns None if unknown.
    """
    if not has_tables(ledger):
        return None
    found = _rows(ledger.con, "SELECT * FROM clusters WHERE id = ? OR id = (SELECT cluster_id "
                              "FROM cluster_members WHERE event_id = ?)", [cluster_id, cluster_id])
    if not found:
        return None
    cluster = found[0]
    members = _rows(ledger.con, """
        SELECT m.event_id, m.matched_event_id, m.score, m.reasons, e.article_id, a.source AS outlet,
               a.published, e."date", e.date_basis, e.source_country, e.target_country,
               e.trigger_text, e.evidence_text, e.location_name
        FROM cluster_members m JOIN events e ON e.id = m.event_id
        JOIN articles a ON a.id = e.article_id
        WHERE m.cluster_id = ? ORDER BY a.published NULLS LAST, e.article_id, e.seq""",
                    [cluster["id"]])
    for m in members:
        m["reasons"] = json.loads(m["reasons"] or "{}")
    cluster["members"] = members
    return cluster

"""Exports of a ledger into the formats people use, and import of exports back into a ledger.

| format | what | one record per |
|---|---|---|
| ``parquet`` | every store table + the consolidation tables, hive-partitioned ``year=/month=`` | row |
| ``jsonl`` | extraction records (``to_dict(ledger.article(id))``) | article |
| ``csv`` | consolidated events (``level="reports"``: the stored reports) | event |
| ``plover`` | PLOVER event records (JSON array, or JSON lines for ``.jsonl``) | consolidated event |
| ``gdelt`` | GDELT 2.0 Events TSV, 61 columns, no header (as GDELT ships it) | consolidated event |

The mappings are documented in ``docs/exports.md``. ``import_path`` reads a Parquet export
directory or a JSONL file back; ``export -> import -> export`` gives identical files.

>>> with Ledger("news.duckdb") as ledger:                                  # doctest: +SKIP
...     export(ledger, "gdelt", "events.tsv", since="2025-05-01", country="IND")
...     export(ledger, "parquet", "dump/")
>>> with Ledger("copy.duckdb") as other:                                   # doctest: +SKIP
...     import_path(other, "dump/")
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from newsledger.consolidate import consolidate, ensure_tables, has_tables
from newsledger.model import extraction_from_dict, to_dict

DATA = Path(__file__).resolve().parent / "data"
FORMATS = ("parquet", "csv", "jsonl", "plover", "gdelt")
STORE_TABLES = ("articles", "events", "quotes", "dates", "entities", "places")
CLUSTER_TABLES = ("clusters", "cluster_members")
MANIFEST = "newsledger-export.json"

__all__ = ["export", "import_path", "Filters", "gdelt_columns", "iso3_to_fips", "FORMATS",
           "ExportError"]


class ExportError(ValueError):
    """An export or import that cannot be done, with a sentence for people."""


@dataclass
class Filters:
    """What to export. Event exports (csv, plover, gdelt) filter consolidated events by event
    date overlap, country (source, target or place) and type; article exports (parquet, jsonl)
    keep articles published in [since, until] and, with country/type, only articles reporting
    a matching event."""

    since: dt.date | None = None
    until: dt.date | None = None
    country: str | None = None
    type: list[str] = field(default_factory=list)

    @classmethod
    def make(cls, since: Any = None, until: Any = None, country: str | None = None,
             type: str | list[str] | None = None) -> Filters:
        from newsledger.store import date_range
        lo = date_range(str(since))[0] if since else None
        hi = date_range(str(until))[1] if until else None
        if (since and lo is None) or (until and hi is None):
            raise ExportError("since/until must be dates like 2025-05-05, 2025-05 or 2025")
        types = [type] if isinstance(type, str) else list(type or [])
        return cls(lo, hi, country.upper() if country else None, [t.upper() for t in types])

    def events_where(self, alias: str = "c") -> tuple[str, list[Any]]:
        clauses, params = ["true"], []
        if self.since:
            clauses.append(f"coalesce({alias}.date_end, {alias}.first_report) >= ?")
            params.append(self.since)
        if self.until:
            clauses.append(f"coalesce({alias}.date_start, {alias}.first_report) <= ?")
            params.append(self.until)
        if self.country:
            clauses.append(f"? IN ({alias}.source_country, {alias}.target_country, "
                           f"{alias}.location_country)")
            params.append(self.country)
        if self.type:
            clauses.append(f"{alias}.type IN (SELECT unnest(?::VARCHAR[]))")
            params.append(self.type)
        return " AND ".join(clauses), params

    def articles_where(self) -> tuple[str, list[Any]]:
        clauses, params = ["true"], []
        if self.since:
            clauses.append("a.published >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("a.published <= ?")
            params.append(self.until)
        if self.country or self.type:
            inner, inner_params = ["true"], []
            if self.country:
                inner.append("? IN (e.source_country, e.target_country, e.location_country)")
                inner_params.append(self.country)
            if self.type:
                inner.append("e.type IN (SELECT unnest(?::VARCHAR[]))")
                inner_params.append(self.type)
            clauses.append("a.id IN (SELECT e.article_id FROM events e WHERE "
                           + " AND ".join(inner) + ")")
            params += inner_params
        return " AND ".join(clauses), params


# ------------------------------------------------------------------------------- dispatch

def export(ledger: Any, format: str, out: str | Path, *, level: str = "events",
           **filters: Any) -> int:
    """Write ``format`` to ``out``; returns the number of records written.

    ``filters``: ``since``, ``until``, ``country``, ``type`` (see :class:`Filters`).
    ``level`` (csv only): ``events`` (consolidated) or ``reports`` (one row per stored report).
    """
    if format not in FORMATS:
        raise ExportError(f"format must be one of {', '.join(FORMATS)} (got {format!r})")
    chosen = Filters.make(**filters)
    out = Path(out)
    if format == "parquet":
        return export_parquet(ledger, out, chosen)
    if format == "jsonl":
        return export_jsonl(ledger, out, chosen)
    _prepare(ledger)
    if format == "csv":
        return export_csv(ledger, out, chosen, level=level)
    if format == "plover":
        return export_plover(ledger, out, chosen)
    return export_gdelt(ledger, out, chosen)


def _prepare(ledger: Any) -> None:
    if not getattr(ledger, "read_only", False):
        consolidate(ledger)
    elif not has_tables(ledger):
        raise ExportError(f"{ledger.path} has no consolidated events yet: open it writable or "
                          "run `newsledger consolidate` first")


def _rows(ledger: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur = ledger.con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


# --------------------------------------------------------------------------------- parquet

def _partition_source(table: str, where: str) -> str:
    """The rows of ``table`` to export, with the year/month they are partitioned by."""
    month = "a.published"
    if table == "articles":
        return (f"SELECT t.*, year({month}) AS year, month({month}) AS month "
                f"FROM articles t JOIN articles a ON a.id = t.id WHERE {where}")
    if table in STORE_TABLES:
        return (f"SELECT t.*, year({month}) AS year, month({month}) AS month "
                f"FROM {table} t JOIN articles a ON a.id = t.article_id WHERE {where}")
    if table == "cluster_members":
        return ("SELECT t.*, year(a.published) AS year, month(a.published) AS month "
                "FROM cluster_members t JOIN events e ON e.id = t.event_id "
                f"JOIN articles a ON a.id = e.article_id WHERE {where}")
    when = "coalesce(t.date_start, t.first_report)"  # consolidated events: by event month
    return (f"SELECT t.*, year({when}) AS year, month({when}) AS month FROM clusters t "
            "WHERE t.id IN (SELECT m.cluster_id FROM cluster_members m JOIN events e ON "
            f"e.id = m.event_id JOIN articles a ON a.id = e.article_id WHERE {where})")


def export_parquet(ledger: Any, out: Path, filters: Filters) -> int:
    """One hive-partitioned dataset per table under ``out``: ``out/events/year=2025/month=5/``.

    Store tables and cluster members are partitioned by their article's publication month,
    consolidated events by their event month. Returns the number of articles written.
    """
    if not getattr(ledger, "read_only", False):
        consolidate(ledger)
    if out.exists() and any(out.iterdir()):
        if not (out / MANIFEST).exists():
            raise ExportError(f"{out} exists and is not a newsledger export; choose an empty "
                              "directory")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    where, params = filters.articles_where()
    tables = STORE_TABLES + (CLUSTER_TABLES if has_tables(ledger) else ())
    counts = {}
    for table in tables:
        source = _partition_source(table, where)
        n = ledger.con.execute(f"SELECT count(*) FROM ({source})", params).fetchall()[0][0]
        counts[table] = n
        if n:
            target = str(out / table).replace("'", "''")
            ledger.con.execute(f"COPY ({source} ORDER BY ALL) TO '{target}' "
                               "(FORMAT parquet, PARTITION_BY (year, month))", params)
    manifest = {"format": "newsledger-parquet", "version": 1, "rows": counts,
                "partitioned_by": "year, month (hive)", "filters": _plain_filters(filters)}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return counts["articles"]


def _plain_filters(filters: Filters) -> dict[str, Any]:
    return {"since": filters.since and filters.since.isoformat(),
            "until": filters.until and filters.until.isoformat(),
            "country": filters.country, "type": filters.type}


# ----------------------------------------------------------------------------------- jsonl

def export_jsonl(ledger: Any, out: Path, filters: Filters) -> int:
    """One extraction record per article (``to_dict(ledger.article(id))``), oldest first."""
    where, params = filters.articles_where()
    ids = [r[0] for r in ledger.con.execute(
        f"SELECT a.id FROM articles a WHERE {where} ORDER BY a.published NULLS LAST, a.id",
        params).fetchall()]
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        for article_id in ids:
            handle.write(json.dumps(to_dict(ledger.article(article_id)), ensure_ascii=False)
                         + "\n")
    return len(ids)


# ------------------------------------------------------------------------------------- csv

def export_csv(ledger: Any, out: Path, filters: Filters, *, level: str = "events") -> int:
    """Consolidated events (or, with ``level="reports"``, every stored report) as CSV."""
    where, params = filters.events_where("c")
    if level == "events":
        sql = (f"SELECT c.* REPLACE (to_json(c.evidence)::VARCHAR AS evidence) FROM clusters c "
               f"WHERE {where} ORDER BY c.date_start NULLS LAST, c.id")
    elif level == "reports":
        sql = (f"SELECT e.* REPLACE (to_json(e.context)::VARCHAR AS context), "
               f"m.cluster_id FROM events e JOIN cluster_members m ON m.event_id = e.id "
               f"JOIN clusters c ON c.id = m.cluster_id WHERE {where} "
               "ORDER BY e.date_start NULLS LAST, e.article_id, e.seq")
    else:
        raise ExportError(f"level must be events or reports (got {level!r})")
    out.parent.mkdir(parents=True, exist_ok=True)
    target = str(out).replace("'", "''")
    n = ledger.con.execute(f"SELECT count(*) FROM ({sql})", params).fetchall()[0][0]
    ledger.con.execute(f"COPY ({sql}) TO '{target}' (FORMAT csv, HEADER)", params)
    return n


# ---------------------------------------------------------------------------------- plover

_CLUSTER_ROWS = """
SELECT c.*, e.context, a.ingested_at,
       (SELECT list(DISTINCT x.url ORDER BY x.url) FROM cluster_members m2
          JOIN events y ON y.id = m2.event_id JOIN articles x ON x.id = y.article_id
          WHERE m2.cluster_id = c.id AND x.url <> '') AS urls,
       (SELECT max(x.ingested_at) FROM cluster_members m3 JOIN events y ON y.id = m3.event_id
          JOIN articles x ON x.id = y.article_id WHERE m3.cluster_id = c.id) AS coded_at,
       (SELECT bool_or(y.evidence_start < coalesce(nullif(strpos(x.text, chr(10) || chr(10)), 0),
                                                     length(x.text) + 1))
          FROM cluster_members m4 JOIN events y ON y.id = m4.event_id
          JOIN articles x ON x.id = y.article_id WHERE m4.cluster_id = c.id) AS in_lead
FROM clusters c JOIN events e ON e.id = c.best_event_id JOIN articles a ON a.id = e.article_id
WHERE {where} ORDER BY c.date_start NULLS LAST, c.id
"""


def _clusters(ledger: Any, filters: Filters) -> list[dict[str, Any]]:
    where, params = filters.events_where("c")
    return _rows(ledger, _CLUSTER_ROWS.format(where=where), params)


def plover_record(c: dict[str, Any]) -> dict[str, Any]:
    """A consolidated event as a PLOVER event record (fields of the PLOVER manual)."""
    def actor(side: str) -> dict[str, Any] | None:
        if not (c[f"{side}_country"] or c[f"{side}_name"]):
            return None
        return {"code": c[f"{side}_country"], "sector": c[f"{side}_sector"],
                "entity_text": c[f"{side}_name"]}

    date = c["date_start"].isoformat() if c["date_start"] else None
    end = c["date_end"].isoformat() if c["date_end"] and c["date_end"] != c["date_start"] else None
    place = None
    if c["location_name"] or c["location_country"]:
        place = {"extracted_place": c["location_text"], "resolved_place": c["location_name"],
                 "geonameid": c["location_geonameid"], "lat": c["location_lat"],
                 "lon": c["location_lon"], "province": c["location_admin1"],
                 "country_code": c["location_country"], "resolution": c["location_feature"]}
    return {
        "id": c["id"], "has_event": True, "date": date, "time": None, "enddate": end,
        "endtime": None, "actor": actor("source"), "recipient": actor("target"),
        "event": c["type"], "event_loc": place, "event_text": c["best_evidence"],
        "quad_code": c["quad"],
        "event_scale": {"dead": c["dead"], "injured": c["injured"], "size": c["size"]},
        "mode": c["mode"], "context": list(c["context"] or []), "link": c["first_url"],
        "text": c["evidence"] or [],
        "text_info": {"num_articles": c["num_articles"], "num_sources": c["num_sources"],
                      "num_mentions": c["num_mentions"],
                      "first_report": _iso(c["first_report"]),
                      "last_report": _iso(c["last_report"]), "date_basis": c["date_basis"],
                      "date_as_reported": c["date"]},
        "cite_info": c["urls"] or [],
        "coder": "newsledger", "coded_date": _iso(c["coded_at"] and c["coded_at"].date()),
        "coded_time": None,
        "comment": f"goldstein {c['goldstein']}; cameo {c['cameo']}; best report "
                   f"{c['best_event_id']} in article {c['best_article_id']}",
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_plover(ledger: Any, out: Path, filters: Filters) -> int:
    """PLOVER event records: a JSON array, or JSON lines when ``out`` ends in ``.jsonl``."""
    records = [plover_record(c) for c in _clusters(ledger, filters)]
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        if out.suffix == ".jsonl":
            for r in records:
                handle.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            json.dump(records, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
    return len(records)


# ----------------------------------------------------------------------------------- gdelt

def _table(name: str) -> list[dict[str, str]]:
    with open(DATA / "export" / name, encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t"))


@lru_cache(maxsize=1)
def gdelt_columns() -> list[tuple[str, str]]:
    """The 61 GDELT 2.0 Events columns as ``(name, type)``, type INTEGER / FLOAT / STRING."""
    return [(r["column"], r["type"]) for r in _table("gdelt2_event_columns.tsv")]


@lru_cache(maxsize=1)
def iso3_to_fips() -> dict[str, str]:
    """ISO 3166-1 alpha-3 -> FIPS 10-4 (``data/export/iso3_fips.tsv``)."""
    return {r["iso3"]: r["fips"] for r in _table("iso3_fips.tsv") if r["fips"]}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    return {r["iso3"]: r["name"].strip() for r in _table("iso3_fips.tsv")}


@lru_cache(maxsize=1)
def _igos() -> dict[str, tuple[str, str]]:
    return {r["code"]: (r["cameo"], r["group"] or "") for r in _table("igo_cameo.tsv")}


@lru_cache(maxsize=1)
def _default_cameo() -> dict[str, str]:
    """PLOVER type -> the shortest CAMEO code that maps to it (for reports without a code)."""
    best: dict[str, str] = {}
    with open(DATA / "ontology" / "cameo2plover.tsv", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            code, plover = line.rstrip("\n").split("\t")[:2]
            if plover and (plover not in best or (len(code), code) < (len(best[plover]),
                                                                         best[plover])):
                best[plover] = code
    return best


_CAMEO_TYPES = {"GOV", "MIL", "COP", "JUD", "LEG", "REB", "OPP", "PTY", "SPY", "UAF", "BUS",
                "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "REL", "AGR", "CRM", "HLH",
                "HRI", "IGO", "NGO", "MNC", "SET", "MOD", "RAD", "INS", "PRE"}


def global_event_id(cluster_id: str) -> int:
    """A deterministic positive integer below 2**53 (safe in JSON and spreadsheets)."""
    digest = hashlib.blake2b(cluster_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 11


def _actor_fields(code: str | None, name: str | None, sector: str | None) -> list[Any]:
    """Code, Name, CountryCode, KnownGroupCode, Ethnic, Religion1, Religion2, Type1-3."""
    if not code and not name:
        return [""] * 10
    kind = sector if sector in _CAMEO_TYPES else ""
    country, group, full = "", "", ""
    if code in _igos():
        full, group = _igos()[code]
        if kind and kind != "IGO":
            full += kind
    elif code:
        country = code
        full = code + (kind if kind else "")
    label = (name or _country_names().get(code or "", "") or code or "").upper()
    return [full, label, country, group, "", "", "", kind if kind != "IGO" else "", "", ""]


def _geo_country(code: str | None) -> list[Any]:
    """Geo fields for an actor's home country (type 1), empty when unknown or not a country."""
    fips = iso3_to_fips().get(code or "")
    if not fips:
        return [0, "", "", "", "", "", "", ""]
    return [1, _country_names().get(code, code), fips, fips, "", "", "", fips]


def _geo_action(c: dict[str, Any]) -> list[Any]:
    country = c["location_country"]
    fips = iso3_to_fips().get(country or "", "")
    feature = c["location_feature"]
    if not (c["location_name"] or country):
        return [0, "", "", "", "", "", "", ""]
    us = country == "USA"
    kind = {"country": 1, "city": 3 if us else 4, "admin1": 2 if us else 5,
            "region": 2 if us else 5}.get(feature or "", 1 if fips else 4)
    names = [c["location_name"]] if feature != "country" else []
    if c["location_admin1"] and c["location_admin1"] not in names:
        names.append(c["location_admin1"])
    names.append(_country_names().get(country or "", country or ""))
    full = ", ".join(n for n in names if n)
    feature_id = str(c["location_geonameid"]) if c["location_geonameid"] else fips
    return [kind, full, fips, fips, "", _num(c["location_lat"]), _num(c["location_lon"]),
            feature_id]


def _num(value: Any) -> Any:
    return "" if value is None else value


def gdelt_row(c: dict[str, Any]) -> list[Any]:
    """A consolidated event as the 61 GDELT 2.0 Events columns (see docs/exports.md)."""
    day = c["date_start"] or c["first_report"]
    code = c["cameo"] or _default_cameo().get(c["type"], "")
    added = c["first_report"] or day
    row = [
        global_event_id(c["id"]),
        day.strftime("%Y%m%d") if day else "", day.strftime("%Y%m") if day else "",
        day.year if day else "",
        round(day.year + (day.month * 30 + day.day) / 365, 4) if day else "",
        *_actor_fields(c["source_country"], c["source_name"], c["source_sector"]),
        *_actor_fields(c["target_country"], c["target_name"], c["target_sector"]),
        1 if c["in_lead"] else 0,
        code, code[:3], code[:2], _num(c["quad"]), _num(c["goldstein"]),
        c["num_mentions"], c["num_sources"], c["num_articles"], "",
        *_geo_country(c["source_country"]), *_geo_country(c["target_country"]),
        *_geo_action(c),
        added.strftime("%Y%m%d000000") if added else "",
        c["first_url"] or f"newsledger:article/{c['best_article_id']}",
    ]
    assert len(row) == 61
    return row


def export_gdelt(ledger: Any, out: Path, filters: Filters) -> int:
    """GDELT 2.0 Events TSV: tab-separated, 61 columns, no header row, UTF-8."""
    rows = [gdelt_row(c) for c in _clusters(ledger, filters)]
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as handle:
        for row in rows:
            handle.write("\t".join(_cell(v) for v in row) + "\n")
    return len(rows)


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\t", " ").replace("\n", " ").replace("\r", " ")


# ---------------------------------------------------------------------------------- import

@dataclass
class ImportReport:
    articles: int = 0
    skipped_existing: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    clusters_imported: bool = False


def import_path(ledger: Any, path: str | Path) -> ImportReport:
    """Read a Parquet export directory or a JSONL file of extraction records into ``ledger``.

    Articles already in the ledger are skipped with everything extracted from them. Parquet
    imports keep every column as exported (``ingested_at``, ``origin`` ...); consolidated events
    are taken over as exported when the ledger has none yet, otherwise the imported reports are
    consolidated into the ledger's own clusters.
    """
    path = Path(path)
    if path.is_dir():
        return _import_parquet(ledger, path)
    if not path.exists():
        raise ExportError(f"{path} does not exist")
    return _import_jsonl(ledger, path)


def _import_jsonl(ledger: Any, path: Path) -> ImportReport:
    import gzip
    opener = gzip.open if path.suffix == ".gz" else open
    records = []
    with opener(path, "rt", encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                records.append(extraction_from_dict(json.loads(line)))
            except (ValueError, TypeError, KeyError) as exc:
                raise ExportError(f"{path}:{n}: not an extraction record ({exc})") from exc
    origins = {r.id: f"{path}:{i}" for i, r in enumerate(records, 1)}
    report = ledger.add(records, origins=origins)
    consolidate(ledger)
    return ImportReport(articles=report.new, skipped_existing=report.skipped_existing,
                        rows={"events": report.events, "quotes": report.quotes})


def _dataset(root: Path, table: str) -> str | None:
    folder = root / table
    if not folder.is_dir() or not any(folder.rglob("*.parquet")):
        return None
    glob = str(folder / "**" / "*.parquet").replace("'", "''")
    return f"read_parquet('{glob}', hive_partitioning = true, union_by_name = true)"


def _import_parquet(ledger: Any, root: Path) -> ImportReport:
    from newsledger.store import TABLES
    if not (root / MANIFEST).exists():
        raise ExportError(f"{root} is not a newsledger Parquet export (no {MANIFEST})")
    ensure_tables(ledger)
    report = ImportReport()
    source = _dataset(root, "articles")
    if source is None:
        return report
    con = ledger.con
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"CREATE TEMP TABLE _nl_import AS SELECT id FROM {source} "
                    "WHERE id NOT IN (SELECT id FROM articles)")
        total = con.execute(f"SELECT count(*) FROM {source}").fetchall()[0][0]
        report.articles = con.execute("SELECT count(*) FROM _nl_import").fetchall()[0][0]
        report.skipped_existing = total - report.articles
        fresh = not con.execute("SELECT count(*) FROM clusters").fetchall()[0][0]
        for table in STORE_TABLES:
            data = _dataset(root, table)
            if data is None:
                continue
            columns = ", ".join(f'"{c}"' for c, _ in TABLES[table])
            key = "id" if table == "articles" else "article_id"
            report.rows[table] = con.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {data} "
                f"WHERE {key} IN (SELECT id FROM _nl_import)").fetchall()[0][0]
        if fresh and _dataset(root, "cluster_members") and _dataset(root, "clusters"):
            _import_clusters(con, root)
            report.clusters_imported = True
        con.execute("DROP TABLE _nl_import")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    consolidate(ledger)  # places whatever the imported cluster tables did not cover
    return report


def _import_clusters(con: Any, root: Path) -> None:
    for table in CLUSTER_TABLES:
        columns = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position", [table]).fetchall()]
        names = ", ".join(f'"{c}"' for c in columns)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {_dataset(root, table)}")

"""Latency of the web API on a generated ledger with 1 million events.

Builds (or reuses) a synthetic ledger: articles and events inserted as Arrow tables straight
into the store's tables (no extraction), plus consolidation tables (one cluster per two
reports), then starts the app under uvicorn on 127.0.0.1 and times the main endpoints over
HTTP, several requests each with varied parameters. Reports p50/p95 per endpoint.

    .venv/bin/python benchmarks/web_latency.py                  # 1,000,000 events
    .venv/bin/python benchmarks/web_latency.py --events 100000 --repeat 10
    .venv/bin/python benchmarks/web_latency.py --keep /tmp/big.duckdb   # reuse next time

Results also go to artifacts/web_latency.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsledger.store import TABLES, Ledger  # noqa: E402

COUNTRIES = ["USA", "CHN", "RUS", "IND", "PAK", "GBR", "FRA", "DEU", "IRN", "ISR", "PSE", "UKR",
             "TUR", "SYR", "IRQ", "AFG", "SAU", "EGY", "NGA", "KEN", "ETH", "SDN", "SOM", "ZAF",
             "BRA", "MEX", "COL", "VEN", "ARG", "JPN", "KOR", "PRK", "TWN", "PHL", "IDN", "MMR",
             "THA", "VNM", "AUS", "CAN", "KGZ", "TJK", "KAZ", "UZB", "AZE", "ARM", "GEO", "POL",
             "ESP", "ITA", "MAR", "DZA", "LBY", "TUN", "MLI", "NER", "BFA", "COD", "MOZ", "YEM"]
TYPES = [("AGREE", 1), ("CONSULT", 1), ("SUPPORT", 1), ("REQUEST", 1), ("COOPERATE", 2),
         ("AID", 2), ("RETREAT", 2), ("CONCEDE", 2), ("ACCUSE", 3), ("REJECT", 3),
         ("THREATEN", 3), ("PROTEST", 3), ("SANCTION", 4), ("MOBILIZE", 4), ("COERCE", 4),
         ("ASSAULT", 4)]
WORDS = ["talks", "border", "troops", "ceasefire", "minister", "protest", "sanctions", "aid",
         "attack", "summit", "trade", "election", "police", "rebels", "refugees", "drone"]
OUTLETS = ["Example Wire", "Sample Herald", "Demo Daily Post", "Placeholder Times"]


def build(path: Path, n_events: int, per_article: int = 10, seed: int = 7) -> None:
    """Write ``n_events`` synthetic events (and their articles and clusters) into a new ledger."""
    rng = np.random.default_rng(seed)
    n_articles = n_events // per_article
    started = time.monotonic()
    day0 = dt.date(2015, 1, 1)
    pub_days = rng.integers(0, 365 * 11, n_articles)
    article_ids = [f"a{i:08d}" for i in range(n_articles)]
    texts = [f"Report {i} about {WORDS[i % 16]} and {WORDS[(i * 7) % 16]}."
             for i in range(n_articles)]
    articles = {
        "id": article_ids, "url": [f"https://example.org/{i}" for i in article_ids],
        "source": [OUTLETS[i % 4] for i in range(n_articles)],
        "title": [f"Synthetic article {i}" for i in range(n_articles)],
        "published": [day0 + dt.timedelta(days=int(d)) for d in pub_days],
        "text": texts, "meta": ["{}"] * n_articles,
        "origin": [f"synthetic:{i}" for i in range(n_articles)],
        "ingested_at": [dt.datetime(2026, 1, 1)] * n_articles,
        "content_hash": article_ids,
    }
    art = rng.integers(0, n_articles, n_events)
    art.sort()
    src = rng.integers(0, len(COUNTRIES), n_events)
    tgt = (src + rng.integers(1, len(COUNTRIES), n_events)) % len(COUNTRIES)
    typ = rng.integers(0, len(TYPES), n_events)
    lag = rng.integers(0, 4, n_events)
    start = np.maximum(pub_days[art] - lag, 0)
    lat = rng.uniform(-50, 60, n_events).round(3)
    lon = rng.uniform(-120, 140, n_events).round(3)
    located = rng.random(n_events) < 0.7
    w1, w2 = rng.integers(0, 16, n_events), rng.integers(0, 16, n_events)
    evidence = [f"{COUNTRIES[s]} forces {WORDS[a]} near {COUNTRIES[t]} over {WORDS[b]}."
                for s, t, a, b in zip(src, tgt, w1, w2)]
    seq = np.arange(n_events) - np.searchsorted(art, art, side="left")  # position in article
    dates = [day0 + dt.timedelta(days=int(d)) for d in start]
    events = {name: [None] * n_events for name, _ in TABLES["events"]}
    events.update({
        "id": [f"e{i:09d}" for i in range(n_events)],
        "article_id": [article_ids[a] for a in art], "seq": seq.tolist(),
        "type": [TYPES[t][0] for t in typ], "quad": [TYPES[t][1] for t in typ],
        "cameo": ["000"] * n_events, "goldstein": rng.uniform(-10, 10, n_events).round(1).tolist(),
        "context": [[] for _ in range(n_events)],
        "source_text": [COUNTRIES[s] for s in src], "source_name": [COUNTRIES[s] for s in src],
        "source_country": [COUNTRIES[s] for s in src], "source_kind": ["country"] * n_events,
        "target_text": [COUNTRIES[t] for t in tgt], "target_name": [COUNTRIES[t] for t in tgt],
        "target_country": [COUNTRIES[t] for t in tgt], "target_kind": ["country"] * n_events,
        "date": [d.isoformat() for d in dates], "date_basis": ["text"] * n_events,
        "date_start": dates, "date_end": dates,
        "location_text": [COUNTRIES[t] if ok else None for t, ok in zip(tgt, located)],
        "location_name": [f"Place {t}" if ok else None for t, ok in zip(tgt, located)],
        "location_country": [COUNTRIES[t] if ok else None for t, ok in zip(tgt, located)],
        "location_lat": np.where(located, lat, np.nan).tolist(),
        "location_lon": np.where(located, lon, np.nan).tolist(),
        "location_start": [0 if ok else None for ok in located],
        "location_end": [3 if ok else None for ok in located],
        "trigger_text": [WORDS[a] for a in w1], "trigger_start": [0] * n_events,
        "trigger_end": [5] * n_events,
        "evidence_text": evidence, "evidence_start": [0] * n_events,
        "evidence_end": [len(e) for e in evidence], "mentions": ["[]"] * n_events,
        "confidence": rng.uniform(0.3, 1, n_events).round(2).tolist(),
        "modality": ["asserted"] * n_events,
    })
    events["location_lat"] = [None if x != x else x for x in events["location_lat"]]
    events["location_lon"] = [None if x != x else x for x in events["location_lon"]]
    print(f"  generated rows in {time.monotonic() - started:.1f} s", flush=True)
    with Ledger(path) as ledger:
        ledger.con.execute("SET enable_progress_bar = false")
        for table, data in (("articles", articles), ("events", events)):
            schema = pa.schema([(n, _arrow(k)) for n, k in TABLES[table]])
            arrow = pa.table({n: pa.array(data[n], type=schema.field(n).type)
                              for n, _ in TABLES[table]}, schema=schema)
            ledger.con.register("_bulk", arrow)
            ledger.con.execute(f"INSERT INTO {table} SELECT * FROM _bulk")
            ledger.con.unregister("_bulk")
        _clusters(ledger)
    print(f"  ledger written in {time.monotonic() - started:.1f} s", flush=True)


def _arrow(kind: str) -> pa.DataType:
    from newsledger.store import _ARROW
    return _ARROW[kind]


def _clusters(ledger: Ledger) -> None:
    """Consolidation tables: every two consecutive events form one cluster (synthetic)."""
    try:
        from newsledger.consolidate import ensure_tables
    except ImportError:
        return
    ensure_tables(ledger)
    member = {"event_id": "id", "cluster_id": "'c-' || min(id) OVER (PARTITION BY pair)",
              "score": "1.0", "reasons": "'{}'"}
    columns = [r[0] for r in ledger.con.execute("DESCRIBE cluster_members").fetchall()]
    ledger.con.execute(f"INSERT INTO cluster_members SELECT "
                       f"{', '.join(member.get(c, 'NULL') for c in columns)} FROM "
                       "(SELECT id, (row_number() OVER (ORDER BY id) - 1) // 2 AS pair "
                       "FROM events)")
    columns = [r[0] for r in ledger.con.execute("DESCRIBE clusters").fetchall()]
    values = {
        "id": "m.cluster_id", "type": "first(e.type)", "cameo": "first(e.cameo)",
        "goldstein": "avg(e.goldstein)", "quad": "first(e.quad)", "mode": "NULL",
        "modality": "'asserted'", "source_country": "first(e.source_country)",
        "source_name": "first(e.source_name)", "source_sector": "NULL",
        "target_country": "first(e.target_country)", "target_name": "first(e.target_name)",
        "target_sector": "NULL", "date": "first(e.\"date\")", "date_basis": "'text'",
        "date_start": "min(e.date_start)", "date_end": "max(e.date_end)",
        "location_name": "first(e.location_name)", "location_country": "first(e.location_country)",
        "location_admin1": "NULL", "location_feature": "'city'",
        "location_lat": "first(e.location_lat)", "location_lon": "first(e.location_lon)",
        "location_geonameid": "NULL", "dead": "NULL", "injured": "NULL", "size": "NULL",
        "confidence": "max(e.confidence)", "best_event_id": "min(e.id)",
        "best_article_id": "min(e.article_id)", "best_evidence": "first(e.evidence_text)",
        "evidence": "list(e.evidence_text)", "num_reports": "count(*)",
        "num_articles": "count(DISTINCT e.article_id)", "num_sources": "count(DISTINCT a.source)",
        "num_mentions": "count(*)", "first_report": "min(a.published)",
        "last_report": "max(a.published)", "first_url": "min(a.url)",
    }
    select = ", ".join(values.get(c, "NULL") for c in columns)
    ledger.con.execute(f"INSERT INTO clusters SELECT {select} FROM cluster_members m "
                       "JOIN events e ON e.id = m.event_id JOIN articles a ON a.id = e.article_id "
                       "GROUP BY m.cluster_id")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def endpoints(n_events: int) -> dict[str, list[str]]:
    """Named endpoint -> the URLs to time (varied parameters, taken in turn)."""
    n_articles = n_events // 10
    some = lambda k: [COUNTRIES[(i * 7) % len(COUNTRIES)] for i in range(k)]  # noqa: E731
    q = urllib.parse.urlencode
    return {
        "page /": ["/"],
        "events (newest)": ["/api/events?limit=50"],
        "events country": [f"/api/events?{q({'country': c})}" for c in some(8)],
        "events type+quad": [f"/api/events?type={t}&quad={qd}" for t, qd in TYPES[:8]],
        "events text": [f"/api/events?text={w}" for w in WORDS[:8]],
        "events actor+dates": [f"/api/events?actor={c}&since=2020-01&until=2020-12"
                               for c in some(8)],
        "events deep page": [f"/api/events?limit=500&offset={k * 97_000}" for k in range(1, 9)],
        "facets": ["/api/events/facets"] + [f"/api/events/facets?country={c}" for c in some(7)],
        "event by id": [f"/api/events/e{(k * 104729) % n_events:09d}" for k in range(8)],
        "article view": [f"/api/articles/a{(k * 7919) % n_articles:08d}" for k in range(8)],
        "consolidated": ["/api/consolidated"] + [f"/api/consolidated?actor={c}"
                                                 for c in some(7)],
        "dyad": [f"/api/dyad?a={a}&b={b}" for a, b in zip(some(8), some(9)[1:])],
        "timeline": [f"/api/timeline?country={c}" for c in some(8)],
        "network": ["/api/network"] + [f"/api/network?country={c}" for c in some(7)],
        "map": ["/api/map"] + [f"/api/map?type={t}" for t, _ in TYPES[:7]],
        "stats": ["/api/stats"],
    }


def measure(base: str, urls: list[str], repeat: int) -> list[float]:
    times = []
    for i in range(repeat):
        url = base + urls[i % len(urls)]
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=120) as r:
            r.read()
            assert r.status == 200, (url, r.status)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=16, help="requests per endpoint")
    parser.add_argument("--keep", type=Path, help="ledger path to build once and reuse")
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory(prefix="newsledger-bench-")
    path = args.keep or Path(tmp.name) / "bench.duckdb"
    if not path.exists():
        print(f"building {path} with {args.events:,} events", flush=True)
        build(path, args.events)
    import uvicorn

    from newsledger.serve import create_app
    port = _free_port()
    app = create_app(path, query_timeout=60)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    total = json.loads(urllib.request.urlopen(base + "/api/stats").read())["tables"]["events"]
    print(f"\n{total:,} events; {args.repeat} requests per endpoint, one at a time\n")
    print(f"{'endpoint':22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    results = {}
    for name, urls in endpoints(total).items():
        measure(base, urls[:1], 1)  # warm-up: first touch of the columns involved
        times = sorted(measure(base, urls, args.repeat))
        p50 = statistics.median(times) * 1000
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))] * 1000
        results[name] = {"p50_ms": round(p50, 1), "p95_ms": round(p95, 1),
                         "max_ms": round(times[-1] * 1000, 1)}
        print(f"{name:22} {p50:8.1f} {p95:8.1f} {times[-1] * 1000:8.1f}", flush=True)
    server.should_exit = True
    out = ROOT / "artifacts" / "web_latency.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"events": total, "repeat": args.repeat, "results": results},
                              indent=2))
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()

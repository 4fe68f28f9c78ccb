"""The HTTP API over the demo ledger: every endpoint, bad parameters (400 with a message, never
a 500), SQL injection attempts in every text filter, paging limits, and a bounded Schemathesis
run against the OpenAPI spec."""
from __future__ import annotations

import csv
import io
import json

import pytest

from newsledger.serve import create_app




def ok(client, url, **params):
    r = client.get(url, params=params)
    assert r.status_code == 200, (url, params, r.text)
    return r.json()


def bad(client, url, status=400, method="get", **params):
    r = client.request(method, url, params=params)
    assert r.status_code == status, (url, params, r.status_code, r.text)
    body = r.json()
    assert isinstance(body["error"], str) and len(body["error"]) > 5
    assert "Traceback" not in r.text
    return body["error"]


# ----------------------------------------------------------------------------- endpoints

def test_health_and_stats(client):
    health = ok(client, "/api/health")
    assert health["read_only"] is True and health["ingest"] is False
    stats = ok(client, "/api/stats")
    assert stats["tables"]["articles"] == 26 and stats["tables"]["events"] > 20
    assert stats["published"]["first"] <= stats["published"]["last"]
    assert {t["type"] for t in ok(client, "/api/types")} >= {"ASSAULT", "AGREE", "ACCUSE"}


def test_events_page_shape_and_order(client):
    page = ok(client, "/api/events", limit=20)
    assert page["limit"] == 20 and page["offset"] == 0 and len(page["items"]) == 20
    first = page["items"][0]
    for key in ("id", "article_id", "type", "quad", "date", "source", "target", "evidence",
                "article_title", "article_published"):
        assert key in first
    starts = [e["date_start"] for e in page["items"] if e["date_start"]]
    assert starts == sorted(starts, reverse=True)  # newest first
    oldest = ok(client, "/api/events", order="oldest", limit=5)["items"]
    assert oldest[0]["date_start"] <= starts[-1]


def test_event_filters_narrow_the_results(client):
    total = ok(client, "/api/events", limit=1)["total"]
    assault = ok(client, "/api/events", type="ASSAULT", limit=500)
    assert 0 < assault["total"] < total
    assert all(e["type"] == "ASSAULT" for e in assault["items"])
    two = ok(client, "/api/events", type="ASSAULT,ACCUSE", limit=1)["total"]
    assert two == assault["total"] + ok(client, "/api/events", type="accuse", limit=1)["total"]
    conflict = ok(client, "/api/events", quad=["3", "4"], limit=500)["items"]
    assert conflict and all(e["quad"] in (3, 4) for e in conflict)
    kgz = ok(client, "/api/events", country="kgz", limit=500)["items"]
    assert kgz and all("KGZ" in ((e["source"] or {}).get("country"), (e["target"] or {}).get(
        "country"), (e["location"] or {}).get("country")) for e in kgz)
    src = ok(client, "/api/events", source="KGZ", limit=500)["items"]
    assert src and all(e["source"]["country"] == "KGZ" for e in src)
    tgt = ok(client, "/api/events", target="TJK", limit=500)["items"]
    assert tgt and all(e["target"]["country"] == "TJK" for e in tgt)
    dated = ok(client, "/api/events", since="2024-09-01", until="2024-09-30", limit=500)["items"]
    assert dated and all(e["date_end"] >= "2024-09-01" and e["date_start"] <= "2024-09-30"
                         for e in dated)
    month = ok(client, "/api/events", since="2024-09", until="2024-09", limit=1)["total"]
    assert month == len(dated)
    place = ok(client, "/api/events", place="Batken", limit=500)["items"]
    assert place and all("Batken" in (e["location"]["name"] + e["location"]["text"])
                         for e in place)
    story = ok(client, "/api/events", story="kgz-tjk-border-2024", limit=500)["items"]
    assert story and {e["article_id"] for e in story} <= {f"sample-00{i}" for i in range(1, 10)}
    words = ok(client, "/api/events", text="border", limit=500)["items"]
    assert words and all("border" in (e["evidence"]["text"] + e["trigger"]["text"]).lower()
                         for e in words)
    outlet = ok(client, "/api/events", outlet="example wire", limit=500)["items"]
    assert outlet and all(e["article_source"] == "Example Wire" for e in outlet)
    sure = ok(client, "/api/events", min_confidence=0.7, limit=500)["items"]
    assert all(e["confidence"] >= 0.7 for e in sure)


def test_min_sources_uses_consolidated_events(client):
    if not ok(client, "/api/health")["consolidated"]:
        pytest.skip("consolidation module not available")
    many = ok(client, "/api/events", min_sources=2, limit=500)
    assert 0 < many["total"] < ok(client, "/api/events", limit=1)["total"]
    clusters = ok(client, "/api/consolidated", min_sources=2, limit=500)["items"]
    assert clusters and all(c["num_sources"] >= 2 for c in clusters)
    members = set()
    for c in clusters:
        detail = ok(client, f"/api/consolidated/{c['id']}")
        assert len(detail["members"]) == c["num_reports"]
        members |= {m["event_id"] for m in detail["members"]}
    assert {e["id"] for e in many["items"]} == members
    one = ok(client, f"/api/events/{many['items'][0]['id']}")
    assert one["cluster_id"] in {c["id"] for c in clusters}


def test_facets_count_the_filtered_events(client):
    facets = ok(client, "/api/events/facets", country="KGZ")
    total = ok(client, "/api/events", country="KGZ", limit=1)["total"]
    assert sum(f["n"] for f in facets["type"]) == total
    assert sum(f["n"] for f in facets["quad"]) == total
    assert facets["country"][0] == {"key": "KGZ", "n": total}


def test_event_and_article_views_have_consistent_offsets(client):
    ev = ok(client, "/api/events", type="ASSAULT", limit=1)["items"][0]
    one = ok(client, f"/api/events/{ev['id']}")
    assert one["id"] == ev["id"] and one["article_url"].startswith("https://")
    art = ok(client, f"/api/articles/{ev['article_id']}")
    text = art["text"]
    assert art["events"] and any(e["id"] == ev["id"] for e in art["events"])
    for e in art["events"]:
        for span in (e["trigger"], e["evidence"]):
            if span:
                assert text[span["start"]:span["end"]] == span["text"]
    for q in art["quotes"]:
        assert text[q["start"]:q["end"]] == q["text"]
    for record in art["dates"] + art["places"] + art["entities"]:
        assert text[record["start"]:record["end"]] == record["text"]
    assert art["meta"] == {"story": "kgz-tjk-border-2024"} or isinstance(art["meta"], dict)


def test_quotations_and_reported_speech_are_apart(client):
    direct = ok(client, "/api/quotes", limit=500)
    reported = ok(client, "/api/quotes", kind="attributions", limit=500)
    both = ok(client, "/api/quotes", kind="all", limit=500)
    assert direct["total"] > 0 and reported["total"] > 0
    assert both["total"] == direct["total"] + reported["total"]
    assert all(q["direct"] for q in direct["items"])
    assert not any(q["direct"] for q in reported["items"])
    one = reported["items"][0]
    art = ok(client, f"/api/articles/{one['article_id']}")
    assert any(a["id"] == one["id"] for a in art["attributions"])
    assert all(q["direct"] for q in art["quotes"])
    for a in art["attributions"]:
        assert art["text"][a["start"]:a["end"]] == a["text"]
    assert client.get("/api/quotes", params={"kind": "some"}).status_code in (400, 422)


def test_quotes_articles_stories(client):
    quotes = ok(client, "/api/quotes", limit=500)
    assert quotes["total"] == len(quotes["items"]) > 0
    q = quotes["items"][0]
    speaker = q["speaker"]["name"]
    mine = ok(client, "/api/quotes", speaker=speaker[-6:], limit=500)["items"]
    assert any(x["id"] == q["id"] for x in mine)
    word = q["text"].split()[0]
    assert any(x["id"] == q["id"] for x in ok(client, "/api/quotes", text=word, limit=500)["items"])
    arts = ok(client, "/api/articles", limit=500)
    assert arts["total"] == 26 and all(a["events"] >= 0 for a in arts["items"])
    sept = ok(client, "/api/articles", since="2024-09", until="2024-09", limit=500)["items"]
    assert sept and all(a["published"].startswith("2024-09") for a in sept)
    stories = ok(client, "/api/stories")["items"]
    assert {"story": "kgz-tjk-border-2024", "articles": 6} == {
        k: stories[0][k] for k in ("story", "articles")}
    story = ok(client, "/api/articles", story="kgz-tjk-border-2024", limit=500)
    assert story["total"] == 6


def test_dyad_series(client):
    dyad = ok(client, "/api/dyad", a="KGZ", b="TJK", interval="month")
    assert dyad["interval"] == "month" and dyad["series"]
    direct = ok(client, "/api/events", source="KGZ", target="TJK", limit=1)["total"]
    back = ok(client, "/api/events", source="TJK", target="KGZ", limit=1)["total"]
    counted = {d: sum(r["n"] for r in dyad["series"] if r["direction"] == d) for d in ("ab", "ba")}
    # the series only holds dated events
    assert 0 < counted["ab"] <= direct and 0 < counted["ba"] <= back
    assert all(r["period"].endswith("-01") for r in dyad["series"])
    swapped = ok(client, "/api/dyad", a="TJK", b="KGZ", interval="month")
    assert sum(r["n"] for r in swapped["series"] if r["direction"] == "ab") == counted["ba"]
    assert ok(client, "/api/dyad", a="KGZ", b="ZZZ")["series"] == []
    reports = ok(client, "/api/dyad", a="KGZ", b="TJK", interval="month", level="reports")
    assert reports["level"] == "reports"
    n_reports = sum(r["n"] for r in reports["series"])
    assert n_reports == sum(1 for d in ("KGZ", "TJK") for e in ok(
        client, "/api/events", source=d, target="TJK" if d == "KGZ" else "KGZ",
        limit=500)["items"] if e["date_start"])
    if dyad["level"] == "consolidated":  # each real event once: never more than its reports
        assert sum(counted.values()) <= n_reports
        late = ok(client, "/api/dyad", a="KGZ", b="TJK", interval="day", since="2024-09-20")
        assert late["series"] and all(r["period"] >= "2024-09-20" for r in late["series"])
    bad(client, "/api/dyad", a="Kyrgyz border service", b="TJK", level="consolidated")


def test_timeline_counts_events_and_reports(client):
    story = {"story": "kgz-tjk-border-2024"}
    dated = [e for e in ok(client, "/api/events", limit=500, **story)["items"]
             if e["date_start"]]
    tl = ok(client, "/api/timeline", level="reports", **story)
    assert tl["interval"] == "day" and tl["level"] == "reports"
    assert sum(x["n"] for x in tl["events"]) == len(dated) == len(tl["markers"])
    assert sum(r["articles"] for r in tl["reports"]) == 6
    weekly = ok(client, "/api/timeline", level="reports", interval="week", **story)
    assert sum(x["n"] for x in weekly["events"]) == len(dated)
    marker = tl["markers"][0]
    assert marker["event_id"] and marker["article_id"] and marker["text"]


def test_timeline_of_consolidated_events(client):
    if not ok(client, "/api/health")["consolidated"]:
        pytest.skip("consolidation module not available")
    story = {"story": "kgz-tjk-border-2024"}
    dated = [e for e in ok(client, "/api/events", limit=500, **story)["items"]
             if e["date_start"]]
    tl = ok(client, "/api/timeline", **story)
    assert tl["level"] == "consolidated"
    n = sum(x["n"] for x in tl["events"])
    assert 0 < n <= len(dated) and len(tl["markers"]) == n
    assert sum(r["articles"] for r in tl["reports"]) == 6  # the band still counts articles
    assert all(m["reports"] >= 1 for m in tl["markers"])
    found = ok(client, "/api/timeline", q="Batken")
    assert found["markers"] and found["level"] == "consolidated"
    cluster = tl["markers"][0]["id"]
    one = ok(client, "/api/timeline", cluster=cluster)
    assert [m["id"] for m in one["markers"]] == [cluster]


def test_network_and_map(client):
    net = ok(client, "/api/network", max_edges=500)
    assert net["nodes"] and net["edges"]
    ids = {n["id"] for n in net["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids and e["source"] != e["target"]
               for e in net["edges"])
    assert {e["link"] for e in net["edges"]} <= {"1", "2", "3", "4"}
    by_type = ok(client, "/api/network", by="type", type="ASSAULT")
    assert {e["link"] for e in by_type["edges"]} == {"ASSAULT"}
    assert len(ok(client, "/api/network", max_edges=3)["edges"]) == 3
    m = ok(client, "/api/map")
    assert m["points"] and m["countries"]
    assert all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in m["points"])
    kgz = next(c for c in m["countries"] if c["country"] == "KGZ")
    assert kgz["numeric"] == "417"
    assert kgz["n"] == ok(client, "/api/events", place="KGZ", limit=1)["total"] or kgz["n"] > 0


def test_export_round_trip(client):
    made = client.post("/api/exports", params={"type": "ASSAULT", "format": "csv"})
    assert made.status_code == 201, made.text
    info = made.json()
    got = client.get(info["url"])
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert len(rows) == info["rows"] == ok(client, "/api/events", type="ASSAULT", limit=1)["total"]
    assert {r["type"] for r in rows} == {"ASSAULT"}
    jl = client.post("/api/exports", params={"format": "jsonl", "what": "quotes"}).json()
    lines = client.get(jl["url"]).text.splitlines()
    assert len(lines) == jl["rows"] and json.loads(lines[0])["speaker"]


def test_library_exports(client):
    """Consolidated events and article records go through newsledger.export."""
    arts = client.post("/api/exports", params={"what": "articles", "format": "jsonl",
                                               "since": "2024-09", "until": "2024-09"}).json()
    records = [json.loads(x) for x in client.get(arts["url"]).text.splitlines()]
    assert len(records) == arts["rows"] == ok(client, "/api/articles", since="2024-09",
                                              until="2024-09", limit=1)["total"]
    assert records[0]["text"] and "events" in records[0]
    if not ok(client, "/api/health")["consolidated"]:
        return
    total = ok(client, "/api/consolidated", limit=1)["total"]
    for fmt in ("csv", "plover", "gdelt"):
        made = client.post("/api/exports", params={"what": "consolidated", "format": fmt})
        assert made.status_code == 201, made.text
        info = made.json()
        got = client.get(info["url"])
        assert got.status_code == 200 and info["rows"] == total
    plover = client.post("/api/exports", params={"what": "consolidated", "format": "json",
                                                 "type": "ASSAULT"}).json()
    assert len(client.get(plover["url"]).json()) == plover["rows"] == ok(
        client, "/api/consolidated", type="ASSAULT", limit=1)["total"]
    assert "actor" in bad(client, "/api/exports", method="post", what="consolidated",
                          actor="KGZ")
    assert "format" in bad(client, "/api/exports", method="post", what="articles", format="csv")


# --------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("params, needle", [
    ({"limit": 501}, "limit"), ({"limit": 0}, "limit"), ({"limit": "ten"}, "limit"),
    ({"offset": -1}, "offset"), ({"offset": 10**12}, "offset"), ({"limit": 1.5}, "limit"),
    ({"since": "2024-13-01"}, "since"), ({"until": "yesterday"}, "until"),
    ({"since": "2024-02-30"}, "since"), ({"since": "0000"}, "since"),
    ({"type": "FIGHT"}, "type"), ({"quad": "5"}, "quad"), ({"quad": "x"}, "quad"),
    ({"order": "random"}, "order"), ({"min_confidence": "2"}, "min_confidence"),
    ({"min_confidence": "nan"}, "min_confidence"), ({"text": "x" * 201}, "text"),
    ({"actor": "a\x00b"}, "actor"), ({"min_sources": 0}, "min_sources"),
])
def test_bad_event_parameters_are_400_with_a_message(client, params, needle):
    assert needle in bad(client, "/api/events", **params)


@pytest.mark.parametrize("url, params", [
    ("/api/dyad", {"a": "KGZ"}), ("/api/dyad", {"a": "KGZ", "b": "TJK", "interval": "hour"}),
    ("/api/dyad", {"a": " ", "b": "TJK"}), ("/api/timeline", {"interval": "decade"}),
    ("/api/network", {"by": "colour"}), ("/api/network", {"max_edges": 10_000}),
    ("/api/map", {"max_points": 0}), ("/api/quotes", {"limit": 1000}),
    ("/api/articles", {"since": "2024-99"}), ("/api/consolidated", {"type": "NOPE"}),
    ("/api/events/facets", {"top": 0}), ("/api/stories", {"offset": -5}),
    ("/api/consolidated", {"min_sources": -1}),
])
def test_bad_parameters_elsewhere(client, url, params):
    bad(client, url, **params)


def test_bad_export_parameters(client):
    bad(client, "/api/exports", method="post", format="xlsx")
    bad(client, "/api/exports", method="post", what="passwords")


@pytest.mark.parametrize("url", [
    "/api/events/nope", "/api/articles/nope", "/api/consolidated/nope",
    "/api/exports/0123456789abcdef0123456789abcdef", "/api/exports/nope", "/api/nothing",
])
def test_unknown_ids_are_404(client, url):
    bad(client, url, status=404)


def test_paging_walks_every_event_once(client):
    total = ok(client, "/api/events", limit=1)["total"]
    seen = []
    for offset in range(0, total + 7, 7):
        seen += [e["id"] for e in ok(client, "/api/events", limit=7, offset=offset)["items"]]
    assert len(seen) == len(set(seen)) == total
    assert ok(client, "/api/events", limit=500, offset=total)["items"] == []
    assert len(ok(client, "/api/events", limit=500)["items"]) == min(total, 500)


# ------------------------------------------------------------------------- SQL injection

INJECTIONS = [
    "' OR '1'='1", "'; DROP TABLE events; --", "\" OR 1=1 --", "KGZ' UNION SELECT * FROM "
    "articles --", "%", "_", "\\", "' OR 1=1) --", "1; DELETE FROM articles", "$1", "?",
    "') OR ('a'='a", "*/ SELECT 1 /*",
]
TEXT_FILTERS = {
    "/api/events": ["actor", "country", "source", "target", "place", "outlet", "text",
                    "article_id", "story"],
    "/api/events/facets": ["actor", "text", "place"],
    "/api/quotes": ["speaker", "country", "text", "article_id"],
    "/api/articles": ["outlet", "text", "story"],
    "/api/consolidated": ["actor", "text", "place"],
    "/api/timeline": ["actor", "text", "cluster"],
    "/api/network": ["actor", "outlet"],
    "/api/map": ["country", "place"],
    "/api/dyad": ["a", "b"],
}


@pytest.mark.parametrize("url", sorted(TEXT_FILTERS))
def test_sql_injection_in_every_text_filter_is_just_text(client, url):
    before = ok(client, "/api/stats")["tables"]
    for name in TEXT_FILTERS[url]:
        for payload in INJECTIONS:
            params = {name: payload}
            if url == "/api/dyad":
                params = {"a": "KGZ", "b": "TJK", **params}
            body = ok(client, url, **params)
            if "total" in body:  # nothing in the demo ledger contains these strings
                assert body["total"] == 0, (url, name, payload)
            elif url == "/api/dyad":
                assert body["series"] == []
            elif url == "/api/map":
                assert body["points"] == [] and body["countries"] == []
            elif url == "/api/network":
                assert body["edges"] == []
            elif url == "/api/timeline":
                assert body["events"] == []
            elif url == "/api/events/facets":
                assert body["type"] == []
    assert ok(client, "/api/stats")["tables"] == before


def test_wildcards_and_quotes_are_literal(client):
    # a filter with a quote still finds what contains it
    art = ok(client, "/api/articles", limit=500)["items"]
    with_quote = next(a for a in art if "'" in a["title"])
    piece = with_quote["title"][with_quote["title"].index("'") - 3:][:8]
    hits = ok(client, "/api/articles", text=piece, limit=500)["items"]
    assert with_quote["id"] in {a["id"] for a in hits}
    assert ok(client, "/api/articles", text="%%", limit=500)["total"] == 0


# ---------------------------------------------------------------------------- schemathesis

def test_schemathesis_finds_no_server_errors(demo_db):
    """Property-based requests generated from the OpenAPI spec; no response may be a 5xx."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error

    app = create_app(demo_db)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    failures, calls = [], []
    operations = [op.ok() for op in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        if operation.path == "/api/ingest":
            continue  # off on this server (403), covered by test_web_security

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            calls.append(1)
            try:
                case.call_and_validate(checks=[not_a_server_error])
            except Exception as exc:  # noqa: BLE001 - collect every operation's failure
                failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:500])
                raise

        try:
            run()
        except Exception:  # noqa: BLE001 - reported together below
            pass
    app.state.exports.close()  # no lifespan ran: tidy up here
    app.state.db.close()
    assert not failures, "\n".join(failures[:5])
    assert len(calls) >= 10 * (len(operations) - 1)

"""The CLI end to end on the bundled sample corpus."""
import json
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsledger.cli import app

runner = CliRunner()
SAMPLE = Path(str(resources.files("newsledger") / "data" / "sample" / "articles.jsonl"))


def run(*args: str, ok: bool = True):
    result = runner.invoke(app, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "sample.duckdb"
    run("ingest", str(SAMPLE), "--db", str(db))
    return db


def test_extract_prints_one_record_per_article():
    result = run("extract", str(SAMPLE))
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    expected = sum(1 for line in SAMPLE.open(encoding="utf-8") if line.strip())
    assert len(records) == expected
    for record in records:
        assert {"id", "published", "events", "quotes", "dates", "entities", "places"} <= set(record)
        for ev in record["events"]:
            trig = ev["trigger"]
            assert record["text"][trig["start"]:trig["end"]] == trig["text"]


def test_extract_reads_stdin_text_with_published():
    result = runner.invoke(app, ["extract", "-", "--published", "2025-05-07", "--no-text"],
                           input="Indian police arrested 40 protesters in Mumbai on Monday.\n")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout.splitlines()[0])
    assert record["published"] == "2025-05-07"
    assert "text" not in record


def test_extract_candidates_only_when_asked():
    text = ("Elders of the northern clans agreed to hold the vote on Monday. "
            "Canada imposed sanctions on Iran.\n")
    flagged = []
    for extra in ([], ["--candidates"]):
        result = runner.invoke(app, ["extract", "-", "--published", "2025-05-07", "--no-text",
                                     *extra], input=text)
        assert result.exit_code == 0, result.output
        events = json.loads(result.stdout.splitlines()[0])["events"]
        flagged.append(sorted((e["type"], e["candidate"]) for e in events))
    assert flagged == [[("SANCTION", False)], [("AGREE", True), ("SANCTION", False)]]


def test_ingest_twice_stores_each_article_once(ledger):
    again = run("ingest", str(SAMPLE), "--db", str(ledger))
    assert "skipped" in again.stdout
    listed = run("events", "--db", str(ledger), "--format", "json", "--limit", "100000")
    ids = [e["id"] for e in json.loads(listed.stdout)]
    assert ids and len(ids) == len(set(ids))


def test_events_filters_and_formats(ledger):
    everything = json.loads(run("events", "--db", str(ledger), "--format", "json",
                                "--limit", "100000").stdout)
    typ = everything[0]["type"]
    only = json.loads(run("events", "--db", str(ledger), "--type", typ.lower(),
                          "--format", "json", "--limit", "100000").stdout)
    assert only and all(e["type"] == typ for e in only)
    csv_out = run("events", "--db", str(ledger), "--format", "csv").stdout
    assert csv_out.splitlines()[0].startswith("id,")


def test_quotes_and_show(ledger):
    quotes = json.loads(run("quotes", "--db", str(ledger), "--format", "json").stdout)
    assert quotes, "the sample corpus has quotations"
    article_id = json.loads(SAMPLE.open(encoding="utf-8").readline())["id"]
    shown = run("show", article_id, "--db", str(ledger))
    assert article_id in shown.stdout or "events" in shown.stdout


def test_bad_input_is_reported_and_the_batch_goes_on(tmp_path):
    bad = tmp_path / "mixed.jsonl"
    bad.write_text('{"id": "ok", "published": "2025-01-02", "text": "Israel and Egypt held '
                   'talks in Cairo on Tuesday."}\n{not json\n'
                   '{"id": "nodate", "text": "No date here."}\n', encoding="utf-8")
    db = tmp_path / "x.duckdb"
    result = run("ingest", str(bad), "--db", str(db))
    assert "failed" in result.stdout
    failures = json.loads(run("failures", "--db", str(db), "--format", "json").stdout)
    origins = {f["origin"] for f in failures}
    assert any(o.endswith(":2") for o in origins) and any(o.endswith(":3") for o in origins)


def test_unknown_ledger_gives_one_sentence_error(tmp_path):
    result = run("events", "--db", str(tmp_path / "missing.duckdb"), ok=False)
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_demo_runs(tmp_path):
    result = run("demo", "--db", str(tmp_path / "demo.duckdb"))
    assert "events by type" in result.stdout


def test_places_lists_geocoded_places(ledger):
    rows = json.loads(run("places", "--db", str(ledger), "--format", "json").stdout)
    assert rows and all(r["name"] and r["mentions"] >= 1 for r in rows)
    assert [r["mentions"] for r in rows] == sorted((r["mentions"] for r in rows), reverse=True)
    code = rows[0]["country"]
    only = json.loads(run("places", "--db", str(ledger), "--country", code.lower(),
                          "--format", "json").stdout)
    assert only and {r["country"] for r in only} == {code}


def test_events_filtered_by_country_of_location(ledger):
    everything = json.loads(run("events", "--db", str(ledger), "--format", "json",
                                "--limit", "100000").stdout)
    located = [e for e in everything if e.get("location") and e["location"].get("country")]
    assert located, "the sample corpus has located events"
    code = located[0]["location"]["country"]
    only = json.loads(run("events", "--db", str(ledger), "--country", code, "--format", "json",
                          "--limit", "100000").stdout)
    assert located[0]["id"] in {e["id"] for e in only}
    for e in only:
        codes = {(e.get("source") or {}).get("country"), (e.get("target") or {}).get("country"),
                 (e.get("location") or {}).get("country")}
        assert code in codes


def test_quotes_by_speaker(ledger):
    quotes = json.loads(run("quotes", "--db", str(ledger), "--format", "json").stdout)
    name = next(q["speaker"]["name"] for q in quotes if (q.get("speaker") or {}).get("name"))
    surname = name.split()[-1]
    found = json.loads(run("quotes", "--db", str(ledger), "--speaker", surname.lower(),
                           "--format", "json").stdout)
    assert found and all(surname.lower() in (q["speaker"]["name"] or "").lower()
                         or surname.lower() in (q["speaker"]["text"] or "").lower()
                         for q in found)


def test_quotes_or_reported_speech(ledger):
    direct = json.loads(run("quotes", "--db", str(ledger), "--format", "json", "--limit",
                            "1000").stdout)
    reported = json.loads(run("quotes", "--db", str(ledger), "--indirect", "--format", "json",
                              "--limit", "1000").stdout)
    assert direct and reported
    assert all(q["direct"] for q in direct) and not any(q["direct"] for q in reported)


def test_places_name_filter_is_a_parameter_not_sql(ledger):
    rows = json.loads(run("places", "--db", str(ledger), "--name", "x' OR 1=1 --",
                          "--format", "json").stdout)
    assert rows == []

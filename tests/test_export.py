"""Exports (Parquet, JSONL, CSV, PLOVER, GDELT) and import, on hand-built records (fast)."""
import datetime as dt
import json

import duckdb
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from newsledger.export import (
    export, gdelt_columns, global_event_id, import_path, iso3_to_fips,
)
from newsledger.model import Actor, Entity, Event, Extraction, Place, Quote, Span, TimeExpr, to_dict
from newsledger.store import Ledger

# The GDELT 2.0 Events header row (GDELT Event Codebook V2.0), spelled out here so the test
# checks the bundled column list against the published names.
GDELT_HEADER = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode "
    "Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode "
    "Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions "
    "NumSources NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code "
    "Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code "
    "Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code "
    "ActionGeo_ADM2Code ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL"
).split()
INTEGER = {"GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass",
           "NumMentions", "NumSources", "NumArticles", "Actor1Geo_Type", "Actor2Geo_Type",
           "ActionGeo_Type", "DATEADDED"}
FLOAT = {"FractionDate", "GoldsteinScale", "AvgTone", "Actor1Geo_Lat", "Actor1Geo_Long",
         "Actor2Geo_Lat", "Actor2Geo_Long", "ActionGeo_Lat", "ActionGeo_Long"}
PLOVER_FIELDS = ["id", "has_event", "date", "time", "enddate", "endtime", "actor", "recipient",
                 "event", "event_loc", "event_text", "quad_code", "event_scale", "mode",
                 "context", "link", "text", "text_info", "cite_info", "coder", "coded_date",
                 "coded_time", "comment"]


def _record(article_id, published, outlet, text, events, month_place=None):
    first = text.split(". ")[0]
    return Extraction(
        id=article_id, published=dt.date.fromisoformat(published), text=text, title=first[:40],
        url=f"https://{outlet}.example.org/{article_id}", source=outlet, meta={"story": "s1"},
        events=events,
        quotes=[Quote("we will respond", 0, 15, cue="said",
                      speaker=Actor("the ministry", country="RUS", sector="GOV"))],
        dates=[TimeExpr("Monday", 5, 11, published, "day")],
        entities=[Entity("Berlin", "GPE", 20, 26)],
        places=[Place("Berlin", 20, 26, name="Berlin", country="DEU", feature="city",
                      lat=52.52, lon=13.40, geonameid=2950159, confidence=0.9)],
    )


def _event(eid, type_, src, tgt, date, cameo, goldstein, quad, place=None):
    return Event(id=eid, type=type_, cameo=cameo, goldstein=goldstein, quad=quad,
                 context=["diplomatic"],
                 source=Actor(src, name=src, country=src, sector="IGO" if src == "UN" else "GOV",
                              kind="igo" if src == "UN" else "country"),
                 target=Actor(tgt, name=tgt, country=tgt, sector="GOV", kind="country"),
                 date=date, date_basis="text", location=place,
                 trigger=Span("expelled", 0, 8), evidence=Span("Germany expelled two.", 0, 21),
                 mentions=[Span("Germany expelled two.", 0, 21)], confidence=0.8)


BERLIN = Place("Berlin", 20, 26, name="Berlin", country="DEU", admin1="Berlin", feature="city",
               lat=52.52, lon=13.40, geonameid=2950159, confidence=0.9)


def records():
    text = "Germany expelled two Russian diplomats in Berlin on Monday. Moscow condemned it."
    return [
        _record("x1", "2026-03-17", "dispatch", text, [
            _event("x1-e0", "SANCTION", "DEU", "RUS", "2026-03-16", "1662", -5.5, 4, BERLIN),
            _event("x1-e1", "ACCUSE", "RUS", "DEU", "2026-03-17", "112", -2.0, 3)]),
        _record("x2", "2026-03-18", "courier", text, [
            _event("x2-e0", "SANCTION", "DEU", "RUS", "2026-03-16", "1662", -5.5, 4, BERLIN)]),
        _record("x3", "2026-04-02", "courier", "India and Pakistan held talks in Delhi.", [
            _event("x3-e0", "CONSULT", "IND", "PAK", "2026-04-01", "042", 1.0, 1)]),
        _record("x4", "2026-04-03", "dispatch", "The UN urged calm.", [
            _event("x4-e0", "REQUEST", "UN", "PAK", "2026-04-02", None, None, 3)]),
    ]


@pytest.fixture()
def ledger(tmp_path):
    with Ledger(tmp_path / "a.duckdb") as led:
        led.add(records())
        yield led


def test_bundled_gdelt_columns_are_the_published_header():
    assert [name for name, _ in gdelt_columns()] == GDELT_HEADER
    assert {n for n, t in gdelt_columns() if t == "INTEGER"} == INTEGER
    assert {n for n, t in gdelt_columns() if t == "FLOAT"} == FLOAT


def test_gdelt_tsv_parses_with_the_published_header(ledger, tmp_path):
    out = tmp_path / "events.tsv"
    assert export(ledger, "gdelt", out) == 4  # the two expulsion reports are one event
    dtypes = {n: ("Int64" if n in INTEGER else "float64" if n in FLOAT else "string")
              for n in GDELT_HEADER}
    frame = pd.read_csv(out, sep="\t", header=None, names=GDELT_HEADER, dtype=dtypes,
                        keep_default_na=False, na_values={n: [""] for n in INTEGER | FLOAT})
    assert frame.shape == (4, 61)
    assert frame["GLOBALEVENTID"].is_unique and (frame["GLOBALEVENTID"] > 0).all()
    expel = frame[frame["EventRootCode"] == "16"].iloc[0]
    assert expel["SQLDATE"] == 20260316 and expel["MonthYear"] == 202603 and expel["Year"] == 2026
    assert expel["Actor1Code"] == "DEUGOV" and expel["Actor1CountryCode"] == "DEU"
    assert expel["Actor2CountryCode"] == "RUS"
    assert (expel["NumArticles"], expel["NumSources"], expel["NumMentions"]) == (2, 2, 2)
    assert expel["QuadClass"] == 4 and expel["GoldsteinScale"] == -5.5
    assert expel["ActionGeo_CountryCode"] == "GM"  # FIPS 10-4, not ISO
    assert expel["ActionGeo_Type"] == 4 and expel["ActionGeo_Lat"] == pytest.approx(52.52)
    assert expel["Actor2Geo_CountryCode"] == "RS"
    assert expel["DATEADDED"] == 20260317000000
    assert expel["SOURCEURL"] == "https://dispatch.example.org/x1"
    talks = frame[frame["EventRootCode"] == "04"].iloc[0]
    assert talks["EventCode"] == "042"  # leading zero kept
    un = frame[frame["Actor1KnownGroupCode"] == "UNO"].iloc[0]
    assert un["Actor1Code"] == "IGOUNO" and pd.isna(un["GoldsteinScale"])
    assert un["EventRootCode"] == "02"  # no CAMEO code: the type's default (appeal)
    again = tmp_path / "again.tsv"
    export(ledger, "gdelt", again)
    assert out.read_text() == again.read_text()  # deterministic ids and order


def test_fips_table():
    fips = iso3_to_fips()
    assert (fips["DEU"], fips["IND"], fips["CHN"], fips["RUS"], fips["GBR"]) == \
        ("GM", "IN", "CH", "RS", "UK")
    assert global_event_id("c-1") == global_event_id("c-1") < 2 ** 53


def _tables(root):
    con = duckdb.connect()
    found = {}
    for table in ("articles", "events", "quotes", "dates", "entities", "places", "clusters",
                  "cluster_members"):
        found[table] = con.sql(f"SELECT * FROM read_parquet('{root}/{table}/**/*.parquet', "
                               "hive_partitioning = true) ORDER BY ALL").fetchall()
    return found


def test_parquet_round_trip_is_exact(ledger, tmp_path):
    first = tmp_path / "one"
    assert export(ledger, "parquet", first) == 4
    assert (first / "events" / "year=2026" / "month=3").is_dir()
    assert (first / "events" / "year=2026" / "month=4").is_dir()
    with Ledger(tmp_path / "b.duckdb") as other:
        report = import_path(other, first)
        assert report.articles == 4 and report.clusters_imported
        export(other, "parquet", tmp_path / "two")
        assert import_path(other, first).skipped_existing == 4  # a second import adds nothing
    one, two = _tables(first), _tables(tmp_path / "two")
    assert one == two
    assert len(one["events"]) == 5 and len(one["clusters"]) == 4


def test_jsonl_is_the_extraction_record_and_round_trips(ledger, tmp_path):
    out = tmp_path / "records.jsonl"
    assert export(ledger, "jsonl", out) == 4
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0] == to_dict(ledger.article("x1"))
    with Ledger(tmp_path / "c.duckdb") as other:
        assert import_path(other, out).articles == 4
        export(other, "jsonl", tmp_path / "again.jsonl")
    assert (tmp_path / "again.jsonl").read_text() == out.read_text()


def test_plover_records_have_the_manual_fields(ledger, tmp_path):
    out = tmp_path / "plover.json"
    assert export(ledger, "plover", out, type="SANCTION") == 1
    (rec,) = json.loads(out.read_text())
    assert list(rec) == PLOVER_FIELDS
    assert rec["event"] == "SANCTION" and rec["actor"]["code"] == "DEU"
    assert rec["recipient"]["code"] == "RUS" and rec["date"] == "2026-03-16"
    assert rec["text_info"]["num_articles"] == 2 and len(rec["cite_info"]) == 2
    assert rec["event_loc"]["resolved_place"] == "Berlin"


def test_csv_and_filters(ledger, tmp_path):
    out = tmp_path / "events.csv"
    assert export(ledger, "csv", out) == 4
    frame = pd.read_csv(out)
    assert {"id", "type", "num_articles", "best_evidence"} <= set(frame.columns)
    assert export(ledger, "csv", tmp_path / "r.csv", level="reports") == 5
    assert export(ledger, "csv", tmp_path / "ind.csv", country="IND") == 1
    assert export(ledger, "csv", tmp_path / "apr.csv", since="2026-04") == 2
    assert export(ledger, "jsonl", tmp_path / "mar.jsonl", until="2026-03") == 2


def test_cli_export_and_import(ledger, tmp_path):
    from newsledger.cli_analysis import register
    app = typer.Typer()
    register(app)
    ledger.close()
    runner = CliRunner()
    db = str(tmp_path / "a.duckdb")
    result = runner.invoke(app, ["export", "--format", "gdelt", "--out",
                                 str(tmp_path / "g.tsv"), "--db", db])
    assert result.exit_code == 0, result.output
    assert "wrote 4 events" in result.output
    result = runner.invoke(app, ["export", "-f", "parquet", "-o", str(tmp_path / "pq"),
                                 "--db", db])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["import", str(tmp_path / "pq"), "--db",
                                 str(tmp_path / "new.duckdb")])
    assert result.exit_code == 0 and "imported 4 article(s)" in result.output
    result = runner.invoke(app, ["show-event", "x2-e0", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["id"] == "c-x1-e0" and shown["members"][0]["reasons"] == {"founded": True}

"""Dyad series, timelines and actor profiles on the bundled sample corpus (real extractor)."""
import re
from importlib import resources

import matplotlib.image as mpimg
import pytest
import typer
from typer.testing import CliRunner

from newsledger import analysis
from newsledger.store import Ledger


@pytest.fixture(scope="module")
def sample(tmp_path_factory, extractor):
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    corpus = resources.files("newsledger") / "data" / "sample" / "articles.jsonl"
    with resources.as_file(corpus) as corpus_path, Ledger(path) as ledger:
        ledger.ingest([str(corpus_path)], extractor=extractor)
    return path


@pytest.fixture()
def ledger(sample):
    with Ledger(sample) as led:
        yield led


def assert_png(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert 10_000 < len(data) < 3_000_000
    height, width = mpimg.imread(path).shape[:2]
    assert width >= 600 and height >= 300


def test_dyad_counts_each_real_event_once(ledger, tmp_path):
    frame = analysis.dyad(ledger, "kgz", "TJK", by="week").df()
    assert not frame.empty
    assert set(frame["direction"]) <= {"KGZ→TJK", "TJK→KGZ"}
    assert set(frame["quad"]) <= {1, 2, 3, 4}
    reports = ledger.sql("SELECT count(*) AS n FROM events WHERE (source_country, "
                         "target_country) IN (('KGZ', 'TJK'), ('TJK', 'KGZ'))").to_pylist()[0]["n"]
    assert 0 < frame["events"].sum() <= reports
    means = frame["goldstein_sum"] / frame["events"]
    assert (abs(means - frame["goldstein_mean"]) < 0.02).all()
    assert frame["period"].is_monotonic_increasing
    assert_png(analysis.dyad_chart(frame, tmp_path / "dyad.png", a="KGZ", b="TJK", by="week"))


def test_dyad_rejects_unknown_period(ledger):
    with pytest.raises(analysis.AnalysisError):
        analysis.dyad(ledger, "KGZ", "TJK", by="fortnight")


def test_timeline_is_in_event_date_order_with_a_sentence(ledger, tmp_path):
    frame = analysis.timeline(ledger, "Kyrgyz").df()
    assert len(frame) >= 3
    dated = frame[frame["date_start"].notna()]
    assert dated["date_start"].is_monotonic_increasing
    assert frame["best_evidence"].str.len().min() > 20
    assert not frame["best_evidence"].str.match(r"^[A-Z]{3,},").any()  # datelines removed
    assert_png(analysis.timeline_chart(frame, tmp_path / "timeline.png", title="Kyrgyz"))
    assert analysis.timeline(ledger, "no such words anywhere").df().empty


def test_actor_profile(ledger, tmp_path):
    views = {k: v.df() for k, v in analysis.actor_profile(ledger, "KGZ").items()}
    partners = views["partners"]
    assert "TJK" in set(partners["partner"])
    assert (partners[["q1", "q2", "q3", "q4"]].sum(axis=1) == partners["events"]).all()
    halves = views["halves"]
    tjk = halves[halves["partner"] == "TJK"].iloc[0]
    assert tjk["events_first"] + tjk["events_second"] > 0
    assert_png(analysis.actor_chart(views["monthly"], partners, tmp_path / "actor.png",
                                    code="KGZ"))


def test_cli_dyad_and_timeline_charts(sample, tmp_path):
    from newsledger.cli_analysis import register
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    chart = tmp_path / "cli-dyad.png"
    result = runner.invoke(app, ["dyad", "KGZ", "TJK", "--by", "day", "--db", str(sample),
                                 "--chart", str(chart), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("period,direction,type")
    assert re.search(r"\n2024-09-\d\d,(KGZ→TJK|TJK→KGZ),[A-Z]+,[1-4],", result.stdout)
    assert_png(chart)
    svg = tmp_path / "timeline.svg"
    result = runner.invoke(app, ["timeline", "Batken", "--db", str(sample), "--chart", str(svg),
                                 "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert svg.read_text().lstrip().startswith("<?xml")

"""The report of doers the dictionaries lack (newsledger.unplaced and `newsledger unplaced`)."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from newsledger.cli import app
from newsledger.extract.actors import parse_line
from newsledger.model import Actor, Event, Extraction, Span
from newsledger.unplaced import dictionary_lines, is_named, unplaced_doers


def act(typ: str, doer: Actor | None, sentence: str, candidate: bool = True) -> Event:
    return Event(id="", type=typ, source=doer, candidate=candidate,
                 evidence=Span(sentence, 0, len(sentence)))


def test_doers_are_counted_by_acts_and_articles():
    bloc = Actor("the Freedom Bloc", country="AZE")
    a = Extraction(id="a", published=None, text="", events=[
        act("AGREE", bloc, "The Freedom Bloc agreed to talks."),
        act("PROTEST", Actor("Freedom Bloc"), "Freedom Bloc marched."),
        act("AGREE", Actor("Norway", name="Norway", country="NOR"), "Norway agreed."),  # placed
        act("ACCUSE", Actor("lawmakers"), "Lawmakers accused the mayor."),  # no name in it
    ])
    b = Extraction(id="b", published=None, text="", events=[
        act("AGREE", Actor("Freedom Bloc"), "Freedom Bloc agreed."),
        act("CONSULT", Actor("Freedom Bloc", country="NOR"), "Freedom Bloc met Norway.",
            candidate=False),  # placed events are not counted
        act("REJECT", Actor("RUF"), "RUF rejected the offer."),
    ])
    rows = unplaced_doers([a, b])
    assert [(r.name, r.acts, r.articles) for r in rows] == [("Freedom Bloc", 3, 2), ("RUF", 1, 1)]
    bloc_row = rows[0]
    assert bloc_row.types == {"AGREE": 2, "PROTEST": 1} and bloc_row.guess == "AZE"
    assert bloc_row.example == "The Freedom Bloc agreed to talks."
    assert [r.name for r in unplaced_doers([a], named_only=False)] == ["Freedom Bloc", "lawmakers"]


def test_names_and_common_nouns():
    assert is_named("Freedom Bloc") and is_named("leaders of the Azadliq coalition")
    assert is_named("RUF") and not is_named("Soldiers") and not is_named("lawmakers")


def test_dictionary_lines_parse_once_uncommented():
    rows = unplaced_doers([Extraction(id="a", published=None, text="", events=[
        act("AGREE", Actor("Freedom Bloc", country="AZE"), "x")])])
    lines = [ln for ln in dictionary_lines(rows).splitlines() if "=>" in ln]
    assert len(lines) == 1
    spec = parse_line(lines[0].lstrip("# "))
    assert spec["names"] == ["Freedom Bloc"] and spec["code"] == "AZE"


def test_cli_lists_an_unknown_group():
    text = "The Kalumba Liberation Front rejected the peace offer on Monday.\n"
    result = CliRunner().invoke(app, ["unplaced", "-", "--published", "2025-05-07",
                                      "--format", "json"], input=text)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["name"], r["types"]) for r in rows] == [
        ("Kalumba Liberation Front", {"REJECT": 1})]


def test_cli_reads_inputs_as_extract_does(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a short path: the stderr console wraps long lines
    missing = "missing.jsonl"
    results = [CliRunner().invoke(app, [command, missing, *extra])
               for command, extra in (("extract", []), ("unplaced", ["--format", "json"]))]
    assert [r.exit_code for r in results] == [0, 0]
    assert results[0].stderr == results[1].stderr and "no such file" in results[0].stderr
    bad_dates = [CliRunner().invoke(app, [command, missing, "--published", "soon"])
                 for command in ("extract", "unplaced")]
    assert [r.exit_code for r in bad_dates] == [1, 1]
    assert bad_dates[0].stderr == bad_dates[1].stderr and "--published" in bad_dates[0].stderr

"""Cross-article consolidation on hand-built extraction records (no spaCy: fast)."""
import datetime as dt

import pytest

from newsledger.consolidate import (
    Report, _interval, actors_rule, consolidate, date_rule, explain, needs_update,
    pending_count, rebuild, tokens,
)
from newsledger.model import Actor, Event, Extraction, Place, Span, TimeExpr
from newsledger.store import Ledger


def record(article_id, published, outlet, sentences, dateline=""):
    """An Extraction from sentences: (text, event spec or None, date mention or None).

    event spec: dict(type, source, target, date, basis, place, dead); date mention: (text, value)
    marks a date expression inside the sentence, as the date finder would.
    """
    text, events, dates = dateline, [], []
    for i, (sentence, spec, mention) in enumerate(sentences):
        start = len(text)
        text += sentence + " "
        end = start + len(sentence)
        if mention:
            at = sentence.index(mention[0]) + start
            dates.append(TimeExpr(mention[0], at, at + len(mention[0]), mention[1], "day"))
        if spec:
            place = None
            if spec.get("place"):
                name, country, offset = spec["place"]
                place = Place(name, offset, offset + len(name), name=name, country=country,
                              feature="city", confidence=0.9)
            events.append(Event(
                id=f"{article_id}-e{i}", type=spec["type"],
                source=Actor(spec["source"], country=spec["source"]) if spec.get("source") else None,
                target=Actor(spec["target"], country=spec["target"]) if spec.get("target") else None,
                date=spec.get("date"), date_basis=spec.get("basis", "text"), location=place,
                dead=spec.get("dead"), trigger=Span(sentence.split()[1], start, start + 5),
                evidence=Span(sentence, start, end), goldstein=spec.get("goldstein", -9.0),
                quad=spec.get("quad", 4), confidence=0.8))
    return Extraction(id=article_id, published=dt.date.fromisoformat(published), text=text,
                      title=article_id, url=f"https://{outlet}.example.org/{article_id}",
                      source=outlet, events=events, dates=dates)


SHELLING = dict(type="ASSAULT", source="PAK", target="IND", date="2025-10-05")


def clash_reports():
    return [
        record("a1", "2025-10-06", "wire", [
            ("Pakistani troops shelled Indian posts in Poonch on Sunday, killing three soldiers.",
             SHELLING, ("Sunday", "2025-10-05"))]),
        record("a2", "2025-10-07", "herald", [
            ("The toll from Sunday's shelling of Indian posts in Poonch by Pakistani troops rose "
             "to four.", SHELLING, ("Sunday", "2025-10-05"))]),
        # the same actors a week later: another attack
        record("a3", "2025-10-13", "herald", [
            ("Pakistani troops shelled Indian posts in Uri on Sunday.",
             dict(SHELLING, date="2025-10-12"), ("Sunday", "2025-10-12"))]),
        # the other direction the same day: another event
        record("a4", "2025-10-06", "times", [
            ("Indian troops shelled villages near Kotli on Sunday, killing two civilians.",
             dict(SHELLING, source="IND", target="PAK"), ("Sunday", "2025-10-05"))]),
    ]


@pytest.fixture()
def ledger():
    with Ledger(":memory:") as led:
        yield led


def clusters(ledger):
    rows = ledger.sql("SELECT m.event_id, m.cluster_id FROM cluster_members m").to_pylist()
    return {r["event_id"]: r["cluster_id"] for r in rows}


def test_restatements_merge_and_other_events_stay_apart(ledger):
    ledger.add(clash_reports())
    report = consolidate(ledger)
    assert report.placed == 4 and report.merged == 1
    of = clusters(ledger)
    assert of["a1-e0"] == of["a2-e0"] == "c-a1-e0"  # id from the founding report
    assert len({of["a1-e0"], of["a3-e0"], of["a4-e0"]}) == 3
    row = ledger.sql("SELECT * FROM clusters WHERE id = 'c-a1-e0'").to_pylist()[0]
    assert (row["num_reports"], row["num_articles"], row["num_sources"]) == (2, 2, 2)
    assert row["first_report"] == dt.date(2025, 10, 6)
    assert row["last_report"] == dt.date(2025, 10, 7)
    assert row["date"] == "2025-10-05" and row["type"] == "ASSAULT"
    assert len(row["evidence"]) == 2


def test_incremental_update_keeps_ids_and_matches_a_rebuild(ledger):
    first, second, *rest = clash_reports()
    ledger.add([first])
    consolidate(ledger)
    assert pending_count(ledger) == 0
    ledger.add([second, *rest])
    assert pending_count(ledger) == 3
    report = consolidate(ledger)
    assert report.placed == 3 and report.clusters_updated == 1
    incremental = clusters(ledger)
    assert incremental["a2-e0"] == "c-a1-e0"
    assert consolidate(ledger).placed == 0  # nothing pending: nothing changes
    rebuild(ledger)
    assert clusters(ledger) == incremental


def test_deleted_articles_leave_their_clusters(ledger):
    ledger.add(clash_reports())
    consolidate(ledger)
    ledger.delete(["a2"])
    assert pending_count(ledger) == 0 and needs_update(ledger)
    report = consolidate(ledger)
    assert not needs_update(ledger)
    assert report.pruned == 1
    row = ledger.sql("SELECT num_articles FROM clusters WHERE id = 'c-a1-e0'").to_pylist()[0]
    assert row["num_articles"] == 1


def test_explain_lists_the_rules_that_matched(ledger):
    ledger.add(clash_reports())
    consolidate(ledger)
    found = explain(ledger, "a2-e0")  # a report id finds its event
    assert found["id"] == "c-a1-e0"
    founder, joined = found["members"]
    assert founder["reasons"] == {"founded": True}
    assert joined["matched_event_id"] == "a1-e0"
    assert set(joined["reasons"]) == {"type", "actors", "date", "place", "evidence"}
    assert all(r["ok"] for r in joined["reasons"].values())
    assert joined["score"] >= 0.52
    assert explain(ledger, "nope") is None


def test_month_precise_date_is_compatible_with_days_inside(ledger):
    ledger.add([
        record("m1", "2025-03-04", "wire", [
            ("The European Union sanctioned Venezuelan officials on Monday.",
             dict(type="SANCTION", source="EU", target="VEN", date="2025-03-03"),
             ("Monday", "2025-03-03"))]),
        record("m2", "2025-03-20", "herald", [
            ("The European Union sanctioned Venezuelan officials in March.",
             dict(type="SANCTION", source="EU", target="VEN", date="2025-03"),
             ("March", "2025-03"))]),
    ])
    consolidate(ledger)
    of = clusters(ledger)
    assert of["m1-e0"] == of["m2-e0"]
    row = ledger.sql("SELECT date, date_basis FROM clusters").to_pylist()[0]
    assert row["date"] == "2025-03-03"  # the most precise report gives the date


def test_missing_actor_side_is_compatible_but_one_side_must_agree(ledger):
    ledger.add([
        record("n1", "2025-05-02", "wire", [
            ("Gunmen attacked a bus in Kashmir on Thursday.",
             dict(type="ASSAULT", source=None, target="IND", date="2025-05-01"),
             ("Thursday", "2025-05-01"))]),
        record("n2", "2025-05-03", "herald", [
            ("Militants attacked a bus carrying pilgrims in Kashmir on Thursday.",
             dict(type="ASSAULT", source=None, target="IND", date="2025-05-01"),
             ("Thursday", "2025-05-01"))]),
        record("n3", "2025-05-02", "times", [
            ("A bus was attacked on Thursday.",
             dict(type="ASSAULT", source=None, target=None, date="2025-05-01"),
             ("Thursday", "2025-05-01"))]),
    ])
    consolidate(ledger)
    of = clusters(ledger)
    assert of["n1-e0"] == of["n2-e0"]
    assert of["n3-e0"] not in (of["n1-e0"],)  # no known actor: never merged


def test_talks_are_undirected(ledger):
    talks = dict(type="CONSULT", date="2025-06-02", goldstein=4.0, quad=1)
    ledger.add([
        record("t1", "2025-06-03", "wire", [
            ("Armenia held talks with Azerbaijan in Abu Dhabi on Monday.",
             dict(talks, source="ARM", target="AZE"), ("Monday", "2025-06-02"))]),
        record("t2", "2025-06-03", "herald", [
            ("Azerbaijan held talks with Armenia in Abu Dhabi on Monday.",
             dict(talks, source="AZE", target="ARM"), ("Monday", "2025-06-02"))]),
    ])
    consolidate(ledger)
    of = clusters(ledger)
    assert of["t1-e0"] == of["t2-e0"]


def test_dateline_place_does_not_block_a_merge(ledger):
    # The first report's only place is its dateline (where the reporter was).
    ledger.add([
        record("d1", "2025-10-06", "wire", [
            ("Pakistani troops shelled Indian posts in Poonch on Sunday.",
             dict(SHELLING, place=("NEW DELHI", "IND", 0)), ("Sunday", "2025-10-05"))],
               dateline="NEW DELHI, Oct 6 - "),
        record("d2", "2025-10-06", "herald", [
            ("Pakistani troops shelled Indian posts in Poonch on Sunday.",
             dict(SHELLING, place=("Poonch", "IND", 51)), ("Sunday", "2025-10-05"))]),
    ])
    consolidate(ledger)
    of = clusters(ledger)
    assert of["d1-e0"] == of["d2-e0"]
    row = ledger.sql("SELECT location_name FROM clusters").to_pylist()[0]
    assert row["location_name"] == "Poonch"  # the event's place, not the dateline


# ------------------------------------------------------------------------------ the rules

def _report(**kw):
    base = dict(id="x", article_id="a", seq=0, published=dt.date(2025, 1, 10), type="ACCUSE",
                modality="asserted", source="IND", target="PAK", lo=dt.date(2025, 1, 9),
                hi=dt.date(2025, 1, 9), precise=True, basis="text", place=(None,) * 6,
                tokens=frozenset(), nominal=dt.date(2025, 1, 9))
    base.update(kw)
    return Report(**base)


def test_actor_rule():
    assert actors_rule(_report(), _report())[:2] == (True, 1.0)
    assert actors_rule(_report(), _report(target=None))[:2] == (True, 0.6)
    assert not actors_rule(_report(), _report(source="CHN"))[0]
    assert not actors_rule(_report(source=None), _report(target=None))[0]


def test_date_rule_windows():
    day = dt.date(2025, 1, 9)
    assert date_rule(_report(), _report(), 1)[:2] == (True, 1.0)
    near = _report(lo=day + dt.timedelta(days=1), hi=day + dt.timedelta(days=1))
    assert date_rule(_report(), near, 1)[0]
    far = _report(lo=day + dt.timedelta(days=3), hi=day + dt.timedelta(days=3))
    assert not date_rule(_report(), far, 1)[0]
    assert date_rule(_report(), far, 7)[0]  # SANCTION-sized window


def test_interval_from_sentence_dates():
    row = dict(type="ASSAULT", published=dt.date(2025, 10, 28), date_basis="text",
               date_start=dt.date(2025, 10, 26), date_end=dt.date(2025, 10, 26),
               sentence_dates=["2025-10-26"])
    assert _interval(row) == (dt.date(2025, 10, 26), dt.date(2025, 10, 26), True)
    # "last week" is all the sentence says: the whole week, not a day
    lo, hi, precise = _interval(dict(row, sentence_dates=["2025-W43"]))
    assert (lo, hi, precise) == (dt.date(2025, 10, 20), dt.date(2025, 10, 26), False)
    # no date in the sentence: on or before the inherited date
    lo, hi, precise = _interval(dict(row, sentence_dates=[]))
    assert hi == dt.date(2025, 10, 26) and lo < hi and not precise
    # only the publication date: the lookback days before it
    lo, hi, _ = _interval(dict(row, date_basis="published"))
    assert hi == dt.date(2025, 10, 28) and lo < dt.date(2025, 10, 20)


def test_tokens_drop_stopwords_and_endings():
    assert tokens("The troops shelled the villages", None) == {"troop", "shell", "village"}

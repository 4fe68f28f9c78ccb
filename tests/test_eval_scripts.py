"""The public-set evaluation scripts: their loaders and scorers on tiny made-up files.

Nothing here reads ../shared; the fixtures are written to tmp_path with invented sentences.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from types import SimpleNamespace

import pytest

DATA = Path(__file__).resolve().parents[1] / "newsledger" / "data"


@pytest.fixture(scope="module")
def conflibert(load_script):
    return load_script("eval_conflibert")


@pytest.fixture(scope="module")
def case(load_script):
    return load_script("eval_case2021")


@pytest.fixture(scope="module")
def wiki(load_script):
    return load_script("eval_wikievents")


@pytest.fixture(scope="module")
def compare(load_script):
    return load_script("compare_models")


def plover_types() -> set[str]:
    lines = [ln for ln in (DATA / "ontology" / "plover_types.tsv").read_text().splitlines()
             if ln and not ln.startswith("#")]
    return {row["type"] for row in csv.DictReader(lines, delimiter="\t")}


def event(type_="ACCUSE", quad=3, cameo="112", confidence=0.5, start=0, end=5):
    return SimpleNamespace(type=type_, quad=quad, cameo=cameo, confidence=confidence,
                           trigger=SimpleNamespace(start=start, end=end, text="x"),
                           evidence=None, mentions=[])


# ------------------------------------------------------------------ ConfliBERT


def test_conflibert_load_reads_labels_and_crlf(conflibert, tmp_path):
    path = tmp_path / "cameo_class_test.tsv"
    path.write_bytes(b"Ruritania condemned Freedonia.\t3\r\nOsterlich sent aid to Vulgaria.\t2\r\n"
                     b"\r\nThe minister spoke on Monday.\t0\r\n")
    assert conflibert.load(path) == [("Ruritania condemned Freedonia.", 3),
                                     ("Osterlich sent aid to Vulgaria.", 2),
                                     ("The minister spoke on Monday.", 0)]


def test_conflibert_load_rejects_a_line_without_label(conflibert, tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("no label here\n")
    with pytest.raises(ValueError, match="bad.tsv:1"):
        conflibert.load(path)


def test_conflibert_quad_rule(conflibert):
    rule = "quad"
    assert conflibert.quad_class([], rule) == 0
    # a public statement (CAMEO 01x) alone is the data set's class 0
    assert conflibert.quad_class([event("CONSULT", 1, "010", 0.9)], rule) == 0
    # the statement is dropped even when it is the most confident event
    assert conflibert.quad_class([event("CONSULT", 1, "010", 0.9),
                                  event("ASSAULT", 4, "190", 0.4)], rule) == 4
    # otherwise the most confident event decides; ties go to the earlier trigger
    assert conflibert.quad_class([event("ACCUSE", 3, "112", 0.6),
                                  event("AID", 2, "070", 0.8)], rule) == 2
    assert conflibert.quad_class([event("AID", 2, "070", 0.5, start=20),
                                  event("ACCUSE", 3, "112", 0.5, start=3)], rule) == 3
    # the PLOVER quad decides: an appeal is verbal conflict, reduced relations material
    assert conflibert.quad_class([event("REQUEST", 3, "023")], rule) == 3
    assert conflibert.quad_class([event("SANCTION", 4, "163")], rule) == 4


def test_conflibert_cameo_rule_follows_the_data_sets_scheme(conflibert):
    # appeals (CAMEO 02) are statements there, reduced relations (16) verbal conflict
    assert conflibert.quad_class([event("REQUEST", 3, "023")]) == 0
    assert conflibert.quad_class([event("SANCTION", 4, "163")]) == 3
    assert conflibert.quad_class([event("REQUEST", 3, "023", 0.9),
                                  event("AID", 2, "073", 0.2)]) == 2
    # no CAMEO code: the quad decides
    assert conflibert.quad_class([event("ASSAULT", 4, None)]) == 4
    assert [conflibert.CAMEO_ROOT_CLASS[r] for r in (3, 6, 9, 14, 20)] == [1, 2, 3, 4, 4]


def test_conflibert_scores(conflibert):
    pairs = [(0, 0), (1, 1), (3, 3), (3, 4), (4, 4)]
    result = conflibert.scores(pairs)
    assert result["accuracy"] == 0.8
    assert result["per_class"][3] == {"p": 1.0, "r": 0.5, "f1": 0.667, "gold": 2, "predicted": 1}
    assert result["per_class"][4]["p"] == 0.5
    # class 2 has neither gold nor predictions: F1 0 counts in the five-class mean
    assert result["macro_f1"] == round((1 + 1 + 0 + 0.667 + 0.667) / 5, 3)


def test_conflibert_missing_data_exits_2(conflibert, tmp_path):
    assert conflibert.main(["--data", str(tmp_path)]) == 2


# ------------------------------------------------------------------ CASE 2021


def test_case_mapping_file_is_complete_and_valid(case):
    mapping = case.load_mapping()
    seen = [t for t, (_, group) in mapping.items() if group == "seen"]
    assert len(seen) == 25
    assert {group for _, group in mapping.values()} == {"seen", "unseen"}
    allowed = plover_types() | {"NONE"}
    assert all(p in allowed for p, _ in mapping.values() if p)
    assert mapping["PEACE_PROTEST"][0] == "PROTEST" and mapping["OTHER"][0] is None


def test_case_load_and_pairs(case, tmp_path):
    path = tmp_path / "case.tsv"
    path.write_text("id\tEventSnippet\tSubType\n"
                    "1\tMarchers filled the square of Zenda.\tPEACE_PROTEST\n"
                    "2\tA storm flooded the valley.\tNATURAL_DISASTER\n"
                    "3\tA committee was renamed.\tOTHER\n", encoding="utf-8")
    rows = case.load(path)
    assert [r[2] for r in rows] == ["PEACE_PROTEST", "NATURAL_DISASTER", "OTHER"]
    mapping = case.load_mapping()
    preds = ["PROTEST", "ASSAULT", "NONE"]
    assert case.mapped_pairs(rows, preds, mapping, ("seen",)) == [("PROTEST", "PROTEST")]
    assert case.mapped_pairs(rows, preds, mapping, ("seen", "unseen")) == [
        ("PROTEST", "PROTEST"), ("NONE", "ASSAULT")]


def test_case_load_rejects_wrong_header(case, tmp_path):
    path = tmp_path / "case.tsv"
    path.write_text("a\tb\tc\n1\tx\tARREST\n")
    with pytest.raises(ValueError, match="header"):
        case.load(path)


def test_case_answer_and_scores(case):
    assert case.answer([]) == "NONE"
    assert case.answer([event("ACCUSE", confidence=0.4), event("ASSAULT", confidence=0.7)]) \
        == "ASSAULT"
    result = case.scores([("PROTEST", "PROTEST"), ("ASSAULT", "NONE"), ("ASSAULT", "ASSAULT"),
                          ("NONE", "ASSAULT")])
    assert result["accuracy"] == 0.5
    assert set(result["per_class"]) == {"ASSAULT", "NONE", "PROTEST"}
    assert result["per_class"]["ASSAULT"]["f1"] == 0.5
    assert result["macro_f1"] == round((0.5 + 0 + 1) / 3, 3)


# ------------------------------------------------------------------ WikiEvents


def fake_doc() -> dict:
    # two sentences; the offsets leave a gap of three characters between them, as the data does
    s1 = [["Rebels", 0, 6], ["shelled", 7, 14], ["Zenda", 15, 20], [".", 20, 21]]
    s2 = [["Police", 24, 30], ["arrested", 31, 39], ["two", 40, 43], ["men", 44, 47],
          [".", 47, 48]]
    return {"doc_id": "d1", "sentences": [[s1, "Rebels shelled Zenda."],
                                          [s2, "Police arrested two men."]],
            "event_mentions": [
                {"event_type": "Conflict.Attack.Unspecified",
                 "trigger": {"start": 1, "end": 2, "text": "shelled"}},
                {"event_type": "Justice.ArrestJailDetain.Unspecified",
                 "trigger": {"start": 5, "end": 6, "text": "arrested"}},
                {"event_type": "Life.Die.Unspecified",
                 "trigger": {"start": 7, "end": 8, "text": "men"}}]}


def test_wiki_map_type_prefers_the_longest_prefix(wiki):
    mapping = wiki.load_mapping()
    assert wiki.map_type("Conflict.Attack.DetonateExplode", mapping) == "ASSAULT"
    assert wiki.map_type("ArtifactExistence.DamageDestroyDisableDismantle.Destroy",
                         mapping) == "ASSAULT"
    assert wiki.map_type("ArtifactExistence.DamageDestroyDisableDismantle.Dismantle",
                         mapping) is None
    assert wiki.map_type("Life.Die.Unspecified", mapping) is None
    assert wiki.map_type("Unknown.Type", mapping) is None
    assert {v for v in mapping.values() if v} <= plover_types()


def test_wiki_rebuild_puts_tokens_at_their_offsets(wiki):
    text, offsets = wiki.rebuild(fake_doc())
    assert text[7:14] == "shelled" and text[31:39] == "arrested"
    assert text.splitlines() == ["Rebels shelled Zenda.", "  Police arrested two men."]
    golds = wiki.gold_triggers(fake_doc(), offsets, wiki.load_mapping())
    assert [(g.plover, text[g.start:g.end]) for g in golds] == [
        ("ASSAULT", "shelled"), ("COERCE", "arrested"), (None, "men")]


def test_wiki_score_document_strict_and_sentence_level(wiki):
    text, offsets = wiki.rebuild(fake_doc())
    golds = wiki.gold_triggers(fake_doc(), offsets, wiki.load_mapping())
    sent1, sent2 = (0, 21), (24, 48)
    preds = [wiki.Predicted("ASSAULT", 7, 14, "shelled", [sent1]),       # right
             wiki.Predicted("ASSAULT", 44, 47, "men", [sent2]),          # on a Life.Die trigger
             wiki.Predicted("COERCE", 24, 30, "Police", [sent2]),        # right sentence only
             wiki.Predicted("AGREE", 0, 6, "Rebels", [sent1])]           # no KAIROS counterpart
    strict, loose = wiki.new_tally(), wiki.new_tally()
    scored = {v for v in wiki.load_mapping().values() if v}
    wiki.score_document(golds, preds, scored, strict, loose)
    s = wiki.figures(strict, sorted(scored))
    assert s["micro"]["predicted"] == 2 and s["micro"]["gold"] == 2
    assert (s["micro"]["p"], s["micro"]["r"]) == (0.5, 0.5)
    assert s["ignored"] == 1 and s["out_of_scope"] == 1
    l = wiki.figures(loose, sorted(scored))
    assert l["micro"]["r"] == 1.0  # both gold triggers sit in a sentence of a same-type event
    assert l["per_type"]["COERCE"]["p"] == 1.0


def test_wiki_missing_data_exits_2(wiki, tmp_path):
    assert wiki.main(["--data", str(tmp_path)]) == 2


# ------------------------------------------------------------------ model comparison


def test_compare_entity_check(compare):
    gold = {"quotes": [{"speaker": "Ana Ruiz", "text": "a"},
                       {"speaker": "Tomas Berg", "text": "b"}],
            "events": [{"source": "ESP", "target": {"country": "FRA"}},
                       {"source": "ESP", "target": None}]}
    counts = compare.entity_check(gold, persons=["Ruiz", "Berlin"], people=["Tomas Berg"],
                                  countries={"ESP", "DEU"})
    assert counts == {"speakers": 2, "speakers_found": 1, "speaker_actors_found": 1,
                      "countries": 2, "countries_found": 1}


def test_compare_verdict_names_the_better_model(compare):
    base = dict.fromkeys(compare.QUALITY, 0.5)
    results = {"sm": {**base, "articles_per_s": 4.0, "load_s": 1.0},
               "md": {**base, "event_f1": 0.6, "quote_f1": 0.7, "date_f1": 0.4,
                      "articles_per_s": 3.0, "load_s": 3.0}}
    text = compare.verdict(results)
    assert "md better on 2 of" in text and "sm on 1" in text
    assert "0.75x" in text and text.endswith("Better on quality: md.")
    assert json.loads(text.split(": ", 1)[1].split("; ")[0])["event_f1"] == 0.1


def test_compare_missing_gold_exits_2(compare, tmp_path):
    assert compare.main(["--gold", str(tmp_path / "none.jsonl")]) == 2

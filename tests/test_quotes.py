"""Quotations and their speakers (newsledger/extract/quotes.py), on sentences written for the tests."""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsledger.extract.quotes import extract_quotes, find_stretches
from newsledger.model import Article


def direct(doc):
    return [q for q in doc._.nl_quotes if q.direct]


def only(doc):
    quotes = direct(doc)
    assert len(quotes) == 1, [(q.text, q.speaker) for q in quotes]
    return quotes[0]


def name(quote):
    return quote.speaker.name if quote.speaker else None


def check_offsets(doc):
    for q in doc._.nl_quotes:
        assert doc.text[q.start:q.end] == q.text


# ---------------------------------------------------------------- where the cue stands

def test_cue_after_the_quote(parse):
    doc = parse('"We will rebuild every bridge," Defence Minister Tomas Berger said on Monday.')
    q = only(doc)
    assert q.text == "We will rebuild every bridge,"  # trailing comma inside the marks is kept
    assert name(q) == "Tomas Berger"
    assert q.cue == "said"
    assert q.direct
    check_offsets(doc)


def test_cue_before_the_quote(parse):
    doc = parse('Tomas Berger told reporters on Friday: "The talks have failed and we are leaving."')
    q = only(doc)
    assert q.text == "The talks have failed and we are leaving."
    assert name(q) == "Tomas Berger"
    assert q.cue == "told"


def test_inverted_cue_with_unnamed_speaker(parse):
    doc = parse('"We have never seen anything like this," said a senior police officer in the city.')
    q = only(doc)
    assert name(q).startswith("a senior police officer")


def test_description_speaker_keeps_its_words(parse):
    doc = parse('"Our doors stay open to dialogue," the Danish foreign minister told parliament.')
    assert name(only(doc)) == "the Danish foreign minister"


def test_surname_takes_the_fullest_name(parse):
    doc = parse("Foreign Minister Helena Marsh arrived in Vienna on Sunday for the talks. "
                '"Nobody wants this conflict to go on," Marsh said after the meeting.')
    assert name(only(doc)) == "Helena Marsh"


# ---------------------------------------------------------------- split and multi-paragraph

def test_quote_split_around_its_cue_gives_two_quotes(parse):
    doc = parse('"We are ready," Tomas Berger said, "and we will not wait for anyone."')
    quotes = direct(doc)
    assert [q.text for q in quotes] == ["We are ready,", "and we will not wait for anyone."]
    assert {name(q) for q in quotes} == {"Tomas Berger"}
    check_offsets(doc)


def test_next_sentence_without_cue_keeps_the_speaker(parse):
    doc = parse('"The enemy has made a grave mistake," Tomas Berger said on Monday. '
                '"Let them come and see what waits for them."')
    quotes = direct(doc)
    assert len(quotes) == 2
    assert [name(q) for q in quotes] == ["Tomas Berger", "Tomas Berger"]


def test_multi_paragraph_quote(parse):
    text = ('The mayor, Clara Ibsen, spoke at length on Tuesday.\n\n'
            '"The water supply is safe again and the schools will reopen next week.\n\n'
            '"We thank every volunteer who worked through the night," Ibsen said.')
    doc = parse(text)
    quotes = direct(doc)
    assert len(quotes) == 2
    assert quotes[0].text.startswith("The water supply")
    assert "\n" not in quotes[0].text
    assert [name(q) for q in quotes] == ["Clara Ibsen", "Clara Ibsen"]
    check_offsets(doc)


# ---------------------------------------------------------------- speakers found indirectly

def test_pronoun_speaker_is_resolved(parse):
    doc = parse("Prime Minister Anna Kovacs visited the border crossing on Tuesday. "
                '"Nobody will cross this line without our consent," she said.')
    q = only(doc)
    assert name(q) == "Anna Kovacs"
    assert q.speaker.text == "she"  # the mention points at the pronoun in the text
    assert doc.text[q.speaker.start:q.speaker.end] == "she"


def test_partial_quote_takes_the_subject_of_its_verb(parse):
    doc = parse("Prime Minister Anna Kovacs spoke on Tuesday. Kovacs called the raid "
                '"a cowardly act of aggression" and vowed to respond.')
    q = only(doc)
    assert q.text == "a cowardly act of aggression"
    assert name(q) == "Anna Kovacs"
    assert q.cue == "called"


def test_partial_quote_in_reported_clause(parse):
    doc = parse('Tomas Berger said the agreement was "a turning point for the region" and '
                "thanked the mediators.")
    q = only(doc)
    assert name(q) == "Tomas Berger"


def test_according_to(parse):
    doc = parse('According to Tomas Berger, the two sides "agreed on every single point".')
    q = only(doc)
    assert name(q) == "Tomas Berger"
    assert q.cue == "according to"


def test_posted_on_platform(parse):
    doc = parse('"The border is closed until further notice," interior ministry spokesman '
                "Luka Petrov posted on X.")
    q = only(doc)
    assert name(q) == "Luka Petrov"
    assert q.cue == "posted on X"


def test_statement_said_takes_the_issuer(parse):
    doc = parse("The Norwegian foreign ministry said in a statement that it regretted the "
                'decision. "The door to negotiations remains open," the statement said.')
    assert "ministry" in name(only(doc))


# ---------------------------------------------------------------- marks and what is left out

def test_a_statement_with_its_issuer_named_is_theirs(parse):
    doc = parse('"We will respond," said Colonel Ana Ruiz, an army spokeswoman. The ministry '
                'recalled its envoy, a ministry statement said. "We are ready," the navy\'s '
                'statement said.')
    speakers = [(q.direct, name(q)) for q in doc._.nl_quotes]
    assert (False, "ministry") in speakers
    assert (True, "the navy") in speakers
    check_offsets(doc)


def test_curly_and_straight_marks(parse):
    curly = parse("\u201cWe will hold fresh elections next spring,\u201d Tomas Berger said.")
    straight = parse('"We will hold fresh elections next spring," Tomas Berger said.')
    assert only(curly).text == only(straight).text == "We will hold fresh elections next spring,"
    check_offsets(curly)


def test_one_word_scare_quote_is_left_out(parse):
    doc = parse('Critics called the plan "reckless" on Monday.')
    assert direct(doc) == []


def test_quoted_name_without_speaker_is_left_out(parse):
    doc = parse('He spent a decade fighting the so-called "war on terror" in the mountains.')
    assert direct(doc) == []


def test_headline_quote_is_left_out(parse):
    doc = parse('Minister vows "we will fight back"\n\nThe minister spoke to farmers on Monday '
                "about the new tariffs and the harvest.")
    assert direct(doc) == []


def test_unbalanced_mark_does_not_run_across_the_article(parse):
    text = ('Tomas Berger said "the army will stay in the north.\n\n'
            "The next paragraph has no quotation at all and is about the weather.\n\n"
            '"We are ready," said the mayor.')
    doc = parse(text)
    quotes = direct(doc)
    assert [q.text for q in quotes] == ["We are ready,"]
    check_offsets(doc)


@pytest.mark.parametrize("text", [
    '"', '""', '" "', 'He said "', '"Unclosed at the end', 'Odd " marks " in " text',
    "\u201d reversed \u201c marks", '\n"\n"\n', '"a" "b" "c d e" said Ann.',
])
def test_broken_input_does_not_crash(parse, text):
    check_offsets(parse(text))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet='ab ."\u201c\u201d\n,', max_size=80))
def test_stretches_stay_inside_one_paragraph(text):
    for s in find_stretches(text):
        assert 0 <= s.start < s.end <= len(text)
        assert "\n" not in text[s.start:s.end]


# ---------------------------------------------------------------- indirect attributions

def test_indirect_attribution_is_recorded_but_not_direct(parse, extractor):
    text = "Tomas Berger denied that his troops had crossed the border on Sunday."
    doc = parse(text)
    indirect = [q for q in doc._.nl_quotes if not q.direct]
    assert direct(doc) == []
    assert len(indirect) == 1
    assert indirect[0].text == "that his troops had crossed the border on Sunday"
    assert name(indirect[0]) == "Tomas Berger"
    check_offsets(doc)
    record = extractor.to_extraction(Article("t1", text, dt.date(2025, 5, 5)), doc)
    assert record.quotes == []  # the extraction record's quotes are direct quotations only


def test_extract_quotes_is_a_plain_function(nlp):
    doc = nlp('"Peace is within reach," Ana Ruiz said.')
    assert [q.text for q in extract_quotes(doc) if q.direct] == ["Peace is within reach,"]


def test_block_quote_after_a_colon(parse):
    doc = parse("In a long post on Sunday, Tomas Berger wrote:\n\n"
                '"The ceasefire is holding and the refugees can begin to return home."')
    q = only(doc)
    assert name(q) == "Tomas Berger"
    assert q.cue == "wrote"


def test_speaker_carries_the_actor_stage_codes(parse):
    """Whatever the actor stage resolves for the speaker's mention (country, sector) is kept."""
    actors = pytest.importorskip("newsledger.extract.actors")
    if not hasattr(actors, "actor_for_token"):
        pytest.skip("actor stage without actor_for_token")
    doc = parse('"We will answer every provocation," French President Emmanuel Macron said.')
    q = only(doc)
    token = next(t for t in doc if t.text == "Macron")
    found = actors.actor_for_token(doc, token)
    assert name(q) == "Emmanuel Macron"
    if found is not None:
        assert (q.speaker.country, q.speaker.sector) == (found.country, found.sector)


def test_said_that_without_marks_is_indirect(parse):
    doc = parse("The foreign ministry said that the ambassador would be recalled for talks.")
    assert direct(doc) == []
    indirect = [q for q in doc._.nl_quotes if not q.direct]
    assert [q.cue for q in indirect] == ["said"]
    assert indirect[0].text.startswith("that the ambassador")
    assert "ministry" in name(indirect[0])


def test_surname_the_parser_mislabels_still_speaks(parse):
    doc = parse("General Idris Kambar commands the northern forces. Kambar, in turn, accused the "
                'capital of lying and called the report "a shameless fabrication" on Monday.')
    q = only(doc)
    assert name(q) == "Idris Kambar"

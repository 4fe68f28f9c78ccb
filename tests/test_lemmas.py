"""Verb lemma repairs, on words written for these tests."""
from spacy.tokens import Doc


def test_a_past_form_tagged_as_present_still_finds_its_verb(nlp):
    # the tagger may read "overran" as a present form (VBP); the lemmatizer then keeps it as is
    doc = Doc(nlp.vocab, words=["Rebels", "overran", "the", "town", "and", "lay", "mines"],
              tags=["NNS", "VBP", "DT", "NN", "CC", "VBP", "NNS"],
              lemmas=["rebel", "overran", "the", "town", "and", "lay", "mine"])
    doc = nlp.get_pipe("newsledger_lemmas")(doc)
    assert doc[1].lemma_ == "overrun"
    assert doc[5].lemma_ == "lay"  # a base form of its own ("lay mines"), not "lie"


def test_an_undoubled_ending_belongs_to_the_verb_with_a_silent_e(nlp):
    # the lemmatizer reads "staged" as stag + ed; "stagged" would be the stag's
    e_dropped = nlp.get_pipe("newsledger_lemmas").e_dropped
    assert e_dropped("stag", "staged") == "stage"
    assert e_dropped("wag", "waging") == "wage"
    assert e_dropped("stag", "stagged") is None
    assert e_dropped("visit", "visited") is None  # no verb "visite"
    assert e_dropped("shell", "shelled") is None


def test_every_stage_reads_the_repaired_lemma(parse):
    doc = parse("Russia staged military drills near the border.")
    assert doc[1].lemma_ == "stage"

"""Lemma repairs for verbs the model's rule lemmatizer gets wrong, so every stage reads the same.

- An irregular past form the tagger takes for a present ("jihadists overran a base", VBP): the
  lemmatizer keeps it as it is; the model's own exception table knows "overrun".
- "staged" read as stag + ed: a short final syllable doubles its consonant ("stagged"), so an
  undoubled ending belongs to the verb with a silent e ("stage"), when the model knows one.

Both use only the lemmatizer's own tables; nothing here is a word list.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

VOWELS = set("aeiou")
PRESENT_TAGS = {"VBP", "VB"}
INFLECTED_TAGS = {"VBD", "VBN", "VBG"}


class LemmaRepair:
    def __init__(self, past_forms: dict[str, str], verb_bases: set[str]):
        self.past_forms = past_forms  # "overran" -> "overrun": forms that are no verb's base
        self.verb_bases = verb_bases

    @classmethod
    def from_nlp(cls, nlp: Language) -> LemmaRepair:
        if "lemmatizer" not in nlp.pipe_names:
            return cls({}, set())
        tables = nlp.get_pipe("lemmatizer").lookups
        if not (tables.has_table("lemma_exc") and tables.has_table("lemma_index")):
            return cls({}, set())
        exc = tables.get_table("lemma_exc").get("verb", {})
        bases = set(tables.get_table("lemma_index").get("verb", ()))
        past = {form: lemmas[0] for form, lemmas in exc.items()
                if form not in bases and lemmas and lemmas[0] != form}
        return cls(past, bases)

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc:
            tag = tok.tag_
            if tag in PRESENT_TAGS:
                fixed = self.past_forms.get(tok.lemma_.lower())
            elif tag in INFLECTED_TAGS:
                fixed = self.e_dropped(tok.lemma_.lower(), tok.lower_)
            else:
                continue
            if fixed is not None:
                tok.lemma_ = fixed
        return doc

    def e_dropped(self, lemma: str, low: str) -> str | None:
        """"stage" for "staged" lemmatized as "stag"; None when the lemma stands."""
        if len(lemma) < 3 or low not in (lemma + "ed", lemma + "ing"):
            return None
        a, b, c = lemma[-3:]
        if a in VOWELS or b not in VOWELS or c in VOWELS or c in "wxy":
            return None
        return lemma + "e" if lemma + "e" in self.verb_bases else None


@Language.factory("newsledger_lemmas")
def make_component(nlp: Language, name: str) -> LemmaRepair:
    return LemmaRepair.from_nlp(nlp)

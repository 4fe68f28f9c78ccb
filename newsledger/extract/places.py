"""Stage stub: replaced by the real places component."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from newsledger.extract import doc as _attrs  # noqa: F401  registers doc._.nl_*


@Language.factory("newsledger_places")
def make_component(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.nl_places = []
        return doc
    return component

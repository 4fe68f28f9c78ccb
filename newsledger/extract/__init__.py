"""Extraction: a pure function of one article, a loaded NLP pipeline and the bundled dictionaries.

Each stage is a spaCy pipeline component in its own module (``dates``, ``actors``, ``places``,
``quotes``, ``events``) that reads what earlier components left on the shared ``Doc``
(``doc._.nl_*`` attributes) and adds its own. ``pipeline`` assembles them and turns a finished
``Doc`` into an ``Extraction`` record.
"""
from newsledger.extract.pipeline import (  # noqa: F401
    DEFAULT_MODEL, Extractor, extract, get_extractor, load_nlp,
)

"""Extraction: a pure function of one article, a loaded NLP pipeline and the bundled dictionaries.

Each stage is a spaCy pipeline component in its own module (``dates``, ``actors``, ``places``,
``quotes``, ``events``) that reads what earlier components left on the shared ``Doc``
(``doc._.nl_*`` attributes) and adds its own. ``pipeline`` assembles them and turns a finished
``Doc`` into an ``Extraction`` record.

The package is itself callable, so ``newsledger.extract(text, published=...)`` is the API
function while ``newsledger.extract.dates`` etc. stay importable stage modules.
"""
import sys
import types

from newsledger.extract.pipeline import (  # noqa: F401
    DEFAULT_MODEL, Extractor, extract, get_extractor, load_nlp,
)


class _CallablePackage(types.ModuleType):
    def __call__(self, *args, **kwargs):
        return extract(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage

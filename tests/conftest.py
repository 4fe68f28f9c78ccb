import datetime as dt

import pytest


@pytest.fixture(scope="session")
def extractor():
    """The default extractor, loaded once for the whole test session."""
    from newsledger.extract import get_extractor
    return get_extractor()


@pytest.fixture(scope="session")
def nlp(extractor):
    return extractor.nlp


@pytest.fixture(scope="session")
def parse(extractor):
    """parse(text, published="2025-05-05") -> a fully processed spaCy Doc."""
    def _parse(text: str, published: str = "2025-05-05"):
        doc = extractor.nlp.make_doc(text)
        doc._.nl_published = dt.date.fromisoformat(published).isoformat() if published else None
        return extractor.nlp(doc)
    return _parse

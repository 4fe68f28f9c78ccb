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


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory, extractor):
    """The bundled sample corpus ingested and consolidated: one ledger per test session,
    shared by the web test files."""
    from newsledger.serve.demo import build_demo
    path = tmp_path_factory.getbasetemp() / "web-demo.duckdb"
    if not path.exists():
        build_demo(path, extractor)
    return path


@pytest.fixture(scope="module")
def client(demo_db):
    """A FastAPI test client over the demo ledger (read-only app)."""
    from fastapi.testclient import TestClient

    from newsledger.serve import create_app
    with TestClient(create_app(demo_db), raise_server_exceptions=False) as c:
        yield c

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


@pytest.fixture(scope="session")
def load_script():
    """load_script("convert_phoenix") -> scripts/convert_phoenix.py as a module, to test its
    functions on made-up inputs."""
    def _load(name: str):
        spec = importlib.util.spec_from_file_location(f"script_under_test_{name}",
                                                      SCRIPTS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module
    return _load


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

"""The web app and HTTP API over a ledger (``newsledger serve``).

>>> from newsledger.serve import create_app                              # doctest: +SKIP
>>> app = create_app("news.duckdb")           # read-only; run it with uvicorn
"""
from newsledger.serve.app import create_app

__all__ = ["create_app"]

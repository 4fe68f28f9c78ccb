"""How the extractor splits its articles into the batches spaCy parses together."""
from __future__ import annotations

from newsledger.extract.pipeline import PIPE_BATCH, PIPE_CHARS, pipe_batches
from newsledger.read import make_article


def _articles(*lengths: int):
    return [make_article(text="x" * n, published="2025-01-01", id=str(i)) for i, n in enumerate(lengths)]


def _sizes(batches):
    return [len(b) for b in batches]


def test_news_length_articles_go_a_full_batch_at_a_time():
    batches = pipe_batches(_articles(*[6_000] * 40))
    assert _sizes(batches) == [PIPE_BATCH, 40 - PIPE_BATCH]


def test_long_articles_go_a_few_at_a_time():
    batches = pipe_batches(_articles(*[PIPE_CHARS // 3] * 7))
    assert _sizes(batches) == [3, 3, 1]


def test_an_article_over_the_budget_goes_alone_and_order_is_kept():
    articles = _articles(1_000, PIPE_CHARS * 2, 1_000, 1_000)
    batches = pipe_batches(articles)
    assert _sizes(batches) == [1, 1, 2]
    assert [a for b in batches for a in b] == articles


def test_no_articles_no_batches():
    assert pipe_batches([]) == []

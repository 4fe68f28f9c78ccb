"""Readers: every input format to Articles, every bad input to a Failure that says where and why.

All inputs are written here into tmp_path; the example sentences are made up for these tests.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import random
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsledger.model import Article, Failure
from newsledger.read import ReadError, make_article, parse_date, read

MAY5 = dt.date(2025, 5, 5)
STORY = "The ministers of Ruritania and Freedonia met in Vienna on Tuesday to discuss trade."
STORY2 = "Protesters gathered outside the parliament in Zenda, police said."
ACCENTED = f"Caf\u00e9 talks in Z\u00fcrich. {STORY}"


def write(folder: Path, name: str, content: str | bytes, *, gz: bool = False) -> Path:
    data = content.encode("utf-8") if isinstance(content, str) else content
    if gz:
        name, data = name + ".gz", gzip.compress(data)
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def split(items) -> tuple[list[Article], list[Failure]]:
    items = list(items)
    assert all(isinstance(x, Article | Failure) for x in items)
    return ([x for x in items if isinstance(x, Article)],
            [x for x in items if isinstance(x, Failure)])


def only_article(items) -> Article:
    articles, failures = split(items)
    assert failures == [] and len(articles) == 1, failures
    return articles[0]


def only_failure(items) -> Failure:
    articles, failures = split(items)
    assert articles == [] and len(failures) == 1, articles
    return failures[0]


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("value, expected", [
    ("2025-05-05", MAY5),
    ("2025-05-05T10:00:00Z", MAY5),
    ("2025-05-05 10:00:00", MAY5),
    ("Mon, 05 May 2025 10:00:00 GMT", MAY5),
    # the calendar date as written, not shifted to UTC
    ("2025-05-05T23:30:00-05:00", MAY5),
    ("Mon, 05 May 2025 23:30:00 -0500", MAY5),
    ("May 5, 2025", MAY5),
    ("5 May 2025", MAY5),
    ("2025/05/05", MAY5),
    ("20250505", MAY5),
    ("5 mai 2025", MAY5),             # non-English month names, via dateparser
    ("5 de mayo de 2025", MAY5),
    ("5 мая 2025", MAY5),
    ("1746439200", MAY5),             # epoch seconds as text
    (1746439200, MAY5),               # epoch seconds
    (1746439200000, MAY5),            # epoch milliseconds
    (MAY5, MAY5),
    (dt.datetime(2025, 5, 5, 22, 0), MAY5),
], ids=repr)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [
    "May 2025",       # no day: refusing beats inventing one
    "2025",
    "yesterday",      # relative to when we read, not when it was published
    "not a date",
    "2025-13-45",
    True,
    2025,             # a number this small is a year, not a timestamp
    [2025, 5, 5],
], ids=repr)
def test_parse_date_refuses_incomplete_or_odd_values(value):
    with pytest.raises(ValueError):
        parse_date(value)


# ---------------------------------------------------------------- make_article

def test_make_article_fields():
    a = make_article(text=STORY, published="2025-05-05T10:00:00Z", id=42, url=" https://x.org/a ",
                     source="Wire", title="Talks", meta={"lang": "en"}, origin="f.jsonl:3")
    assert (a.id, a.text, a.published, a.url, a.source, a.title, a.meta, a.origin) == (
        "42", STORY, MAY5, "https://x.org/a", "Wire", "Talks", {"lang": "en"}, "f.jsonl:3")


@pytest.mark.parametrize("first, second, same", [
    pytest.param(dict(text=STORY), dict(text=STORY), True, id="same text, same id"),
    pytest.param(dict(text=STORY), dict(text=f"  {STORY}\n"), True,
                 id="whitespace does not change the id"),
    pytest.param(dict(text=STORY), dict(text=STORY2), False, id="other text, other id"),
    pytest.param(dict(text=STORY, url="https://x.org/a"), dict(text=STORY2, url="https://x.org/a"),
                 True, id="url wins over text"),
    pytest.param(dict(text=STORY, url="https://x.org/a"), dict(text=STORY, url="https://x.org/b"),
                 False, id="other url, other id"),
    pytest.param(dict(text=STORY, url="https://x.org/a", id="k1"), dict(text=STORY2, id="k1"),
                 True, id="given id wins over url"),
])
def test_ids_are_stable(first, second, same):
    one = make_article(published=MAY5, **first)
    two = make_article(published="2025-05-06", **second)
    assert (one.id == two.id) is same
    for a in (one, two):
        assert a.id == "k1" or re.fullmatch(r"a-[0-9a-f]{16}", a.id)


def test_id_does_not_depend_on_the_run():
    # a content hash, not hash(): ids must not change between runs or Python versions
    expected = "a-" + hashlib.blake2b(b"text:Stable.", digest_size=8).hexdigest()
    assert make_article(text="Stable.", published=MAY5).id == expected


@pytest.mark.parametrize("raw, stored", [
    ("\ufeffText after a BOM.", "Text after a BOM."),
    ("Line one.\r\nLine two.\r\n", "Line one.\nLine two.\n"),
    ("Old Mac\rline.", "Old Mac\nline."),
    ("Keeps  inner   spaces\n\n\nand blank lines.", "Keeps  inner   spaces\n\n\nand blank lines."),
    (["First paragraph.", "Second paragraph."], "First paragraph.\n\nSecond paragraph."),
], ids=["bom", "crlf", "cr", "inner whitespace", "paragraph list"])
def test_text_is_kept_as_written(raw, stored):
    assert make_article(text=raw, published=MAY5).text == stored


@pytest.mark.parametrize("kwargs, reason", [
    (dict(text="", published=MAY5), "empty text"),
    (dict(text=" \n\t", published=MAY5), "empty text"),
    (dict(text=None, published=MAY5), "empty text"),
    (dict(text=17, published=MAY5), "text is not a string (got int)"),
    (dict(text=STORY), "missing publication date"),
    (dict(text=STORY, published=" "), "missing publication date"),
    (dict(text=STORY, published="someday"), "unparseable publication date 'someday'"),
])
def test_make_article_errors(kwargs, reason):
    with pytest.raises(ReadError) as info:
        make_article(origin="data.jsonl:7", **kwargs)
    err = info.value
    assert (err.origin, err.reason) == ("data.jsonl:7", reason)
    assert str(err) == f"data.jsonl:7: {reason}"
    assert err.to_failure() == Failure(origin="data.jsonl:7", reason=reason, stage="read")
    assert isinstance(err, ValueError)


# ---------------------------------------------------------------- one article per format

HTML_PAGE = """<!DOCTYPE html><html><head><title>Talks in Vienna | Example Wire</title>
<meta property="og:url" content="https://wire.example.org/2025/05/05/talks">
<meta property="og:site_name" content="Example Wire">
<meta property="article:published_time" content="2025-05-05T08:00:00Z">
</head><body><nav>Home | World | Sport</nav><article><h1>Talks in Vienna</h1>
<p>The ministers of Ruritania and Freedonia met in Vienna on Tuesday to discuss trade and border
controls, officials from both governments said after the meeting ended in the evening.</p>
<p>"We have agreed to meet again next month," the Ruritanian minister told reporters outside,
adding that a joint commission would draft the new rules before the summer.</p>
</article><footer>Copyright Example Wire</footer></body></html>"""

FORMATS = [
    pytest.param("a.jsonl", jsonl({"id": "x1", "published": "2025-05-05", "title": "Talks",
                                   "text": STORY}),
                 dict(id="x1", text=STORY, title="Talks", origin=":1"), id="jsonl"),
    pytest.param("a.ndjson", jsonl({"date": "2025-05-05", "text": STORY}),
                 dict(text=STORY, origin=":1"), id="ndjson"),
    pytest.param("a.json", jsonl({"date": "2025-05-05", "text": STORY}),
                 dict(text=STORY, origin=":1"), id="json lines in .json"),
    pytest.param("a.json", '[\n  {"date": "2025-05-05",\n   "text": "%s"}\n]\n' % STORY,
                 dict(text=STORY, origin=":2"), id="json array"),
    pytest.param("a.json", json.dumps({"date": "2025-05-05", "text": STORY}, indent=2),
                 dict(text=STORY, origin=":1"), id="one pretty-printed json object"),
    pytest.param("a.csv", f'title,published,text\nTalks,2025-05-05,"{STORY}"\n',
                 dict(text=STORY, title="Talks", origin=":2"), id="csv"),
    pytest.param("a.tsv", f"title\tpublished\ttext\nTalks\t2025-05-05\t{STORY}\n",
                 dict(text=STORY, title="Talks", origin=":2"), id="tsv"),
    pytest.param("a.txt", f"date 2025-05-05 {STORY}\n", dict(text=STORY + "\n", origin=":1"),
                 id="txt with date token"),
    pytest.param("a.txt", f" date 2025-05-05 {STORY}\n\n{STORY2}\n",
                 dict(text=f"{STORY}\n\n{STORY2}\n", origin=":1"),
                 id="txt with leading space before date token"),
    pytest.param("a.md", f"---\npublished: 2025-05-05\ntitle: Talks\n---\n\n{STORY}\n",
                 dict(text=STORY + "\n", title="Talks", origin=":1"), id="md front matter"),
    pytest.param("a.html", HTML_PAGE,
                 dict(title="Talks in Vienna", url="https://wire.example.org/2025/05/05/talks",
                      source="Example Wire", origin=":1"), id="html"),
    pytest.param("a.htm", HTML_PAGE, dict(title="Talks in Vienna", origin=":1"), id="htm"),
]


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gz"])
@pytest.mark.parametrize("name, content, expected", FORMATS)
def test_each_format(tmp_path, name, content, expected, gz):
    path = write(tmp_path, name, content, gz=gz)
    article = only_article(read([path]))
    expected = dict(expected, origin=f"{path}{expected['origin']}")
    assert article.published == MAY5
    for field, value in expected.items():
        assert getattr(article, field) == value, field
    assert article.id


def test_html_text_is_the_story_not_the_page(tmp_path):
    article = only_article(read([write(tmp_path, "p.html", HTML_PAGE)]))
    assert article.text.startswith("Talks in Vienna\n\nThe ministers of Ruritania")
    assert "joint commission" in article.text
    assert "Home | World" not in article.text and "Copyright" not in article.text


def test_html_ignores_dates_in_the_story_and_falls_back(tmp_path):
    page = HTML_PAGE.replace('<meta property="article:published_time" '
                             'content="2025-05-05T08:00:00Z">', "")
    page = page.replace("/2025/05/05/", "/")  # a date in the URL counts as the page's own
    page = page.replace("on Tuesday", "on April 22, 2024")
    path = write(tmp_path, "p.html", page)
    assert only_article(read([path], published="2025-05-06")).published == dt.date(2025, 5, 6)
    assert "missing publication date" in only_failure(read([path])).reason


@pytest.mark.parametrize("stdin, expected", [
    pytest.param(jsonl({"published": "2025-05-05", "text": STORY}), STORY, id="json lines"),
    pytest.param("\n  " + jsonl({"published": "2025-05-05", "text": STORY}), STORY,
                 id="json lines after blank lines"),
    pytest.param(json.dumps([{"published": "2025-05-05", "text": STORY}]), STORY,
                 id="json array"),
    pytest.param(f" date 2025-05-05 {STORY}", STORY, id="plain text"),
])
@pytest.mark.parametrize("binary", [False, True], ids=["text stream", "byte stream"])
def test_stdin(monkeypatch, stdin, expected, binary):
    stream = io.TextIOWrapper(io.BytesIO(stdin.encode())) if binary else io.StringIO(stdin)
    monkeypatch.setattr(sys, "stdin", stream)
    article = only_article(read(["-"]))
    assert (article.text, article.published) == (expected, MAY5)
    assert article.origin.startswith("<stdin>:")


def test_stdin_plain_text_takes_the_fallback_date(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(STORY))
    article = only_article(read("-", published="2025-05-05"))
    assert (article.text, article.published, article.origin) == (STORY, MAY5, "<stdin>:1")


# ---------------------------------------------------------------- fields

@pytest.mark.parametrize("record, expected", [
    pytest.param({"published": "2025-05-05", "text": STORY}, {}, id="canonical names"),
    pytest.param({"date": "2025-05-05", "body": STORY}, {}, id="date + body"),
    pytest.param({"publish_date": "2025-05-05", "content": STORY}, {}, id="publish_date + content"),
    pytest.param({"pubdate": "2025-05-05", "article": STORY}, {}, id="pubdate + article"),
    pytest.param({"datetime": "2025-05-05T09:00:00+02:00", "text": STORY}, {}, id="datetime"),
    pytest.param({"Published": "2025-05-05", "TEXT": STORY, "Title": "T"}, {"title": "T"},
                 id="names are case-insensitive"),
    pytest.param({"published": "", "date": "2025-05-05", "text": "", "body": STORY},
                 {"meta": {}}, id="empty aliases give way to filled ones"),
    pytest.param({"published": "2025-05-05", "text": STORY, "lang": "en", "tags": ["a", "b"],
                  "id": 12, "url": "u", "source": "Wire"},
                 {"meta": {"lang": "en", "tags": ["a", "b"]}, "id": "12", "url": "u",
                  "source": "Wire"}, id="other fields go to meta"),
    pytest.param({"published": "2025-05-05", "text": STORY, "summary": "short"},
                 {"meta": {"summary": "short"}}, id="unknown text-like field is meta"),
])
def test_field_aliases_and_meta(tmp_path, record, expected):
    article = only_article(read([write(tmp_path, "f.jsonl", jsonl(record))]))
    assert (article.text, article.published) == (STORY, MAY5)
    for field, value in expected.items():
        assert getattr(article, field) == value, field


def test_csv_embedded_newlines_quotes_and_record_start_lines(tmp_path):
    content = ('id,published,title,text,lang\r\n'
               'c1,2025-05-05,"He said ""no""","First line,\r\nsecond line\r\n\r\nthird",en\r\n'
               'c2,,No date,"Text without a date\nspanning two lines",en\r\n'
               '\r\n'
               'c3,2025-05-06,Last,Plain text,fr\r\n')
    path = write(tmp_path, "f.csv", content)
    items = list(read([path]))
    first, bad, last = items
    assert (first.id, first.title, first.text) == (
        "c1", 'He said "no"', "First line,\nsecond line\n\nthird")
    assert first.meta == {"lang": "en"} and first.origin == f"{path}:2"
    assert isinstance(bad, Failure) and bad.origin == f"{path}:6"
    assert bad.reason.startswith("missing publication date (fields tried: published, date")
    assert (last.id, last.origin, last.published) == ("c3", f"{path}:9", dt.date(2025, 5, 6))


def test_csv_semicolon_export_and_bom_header(tmp_path):
    path = write(tmp_path, "f.csv", "\ufefftitle;date;text\nT;05.05.2025;" + STORY + "\n")
    article = only_article(read([path]))
    assert (article.title, article.text, article.published) == ("T", STORY, MAY5)


def test_csv_field_larger_than_the_default_limit(tmp_path):
    big = ("word " * 60_000).strip()  # 300 kB, more than csv's default 128 kB field limit
    path = write(tmp_path, "f.csv", f'published,text\n2025-05-05,"{big}"\n')
    assert only_article(read([path])).text == big


def test_front_matter_fields(tmp_path):
    content = ("---\nid: fm-1\npublished: 2025-05-05T10:00:00Z\ntitle: Talks\n"
               "url: https://x.org/t\nsource: Wire\nauthor: A. Writer\n---\n" + STORY)
    article = only_article(read([write(tmp_path, "f.md", content)]))
    assert (article.id, article.published, article.title, article.url, article.source) == (
        "fm-1", MAY5, "Talks", "https://x.org/t", "Wire")
    assert (article.text, article.meta) == (STORY, {"author": "A. Writer"})


@pytest.mark.parametrize("content, expected_text", [
    pytest.param(f"---\n\n{STORY}", f"---\n\n{STORY}", id="a rule is not front matter"),
    pytest.param(f"---\n: [\n---\n{STORY}", f"---\n: [\n---\n{STORY}",
                 id="invalid YAML is not front matter"),
    pytest.param(f"{STORY} date 2025-05-05", f"{STORY} date 2025-05-05",
                 id="a date token later in the text stays"),
    pytest.param(f"Dated 2025-05-05 {STORY}", f"Dated 2025-05-05 {STORY}",
                 id="only the word date starts a token"),
])
def test_plain_text_is_left_alone_without_markers(tmp_path, content, expected_text):
    article = only_article(read([write(tmp_path, "f.txt", content)], published="2025-05-06"))
    assert (article.text, article.published) == (expected_text, dt.date(2025, 5, 6))


@pytest.mark.parametrize("name, content, own_date", [
    pytest.param("f.jsonl", jsonl({"published": "2025-05-05", "text": STORY}), MAY5,
                 id="jsonl with date"),
    pytest.param("f.jsonl", jsonl({"text": STORY}), None, id="jsonl without date"),
    pytest.param("f.csv", f"text\n{STORY}\n", None, id="csv without date column"),
    pytest.param("f.txt", f"date 2025-05-05 {STORY}", MAY5, id="txt with token"),
    pytest.param("f.txt", STORY, None, id="txt without token"),
    pytest.param("f.md", f"---\ndate: 2025-05-05\n---\n{STORY}", MAY5, id="front matter"),
    pytest.param("f.md", f"---\ntitle: T\n---\n{STORY}", None, id="front matter without date"),
])
def test_published_argument_is_the_fallback(tmp_path, name, content, own_date):
    fallback = dt.date(2024, 1, 31)
    article = only_article(read([write(tmp_path, name, content)], published=fallback))
    assert article.published == (own_date or fallback)
    assert article.text == STORY


def test_bad_published_argument_raises_at_once():
    with pytest.raises(ValueError):
        read(["whatever.jsonl"], published="the other day")


# ---------------------------------------------------------------- failures

RANDOM_BYTES = random.Random(7).randbytes(3000)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + bytes(40)

FAILURES = [
    # name, content, line ("" = whole file), reason (regex)
    pytest.param("f.jsonl", '{"published": "2025-05-05", "text": "ok"}\n\n{"text": oops}\n', 3,
                 r"malformed JSON \(Expecting value at column 10\)", id="malformed json line"),
    pytest.param("f.jsonl", '["not", "an", "object"]\n', 1, r"not a JSON object \(got array\)",
                 id="line is not an object"),
    pytest.param("f.jsonl", '"just a string"\n', 1, r"not a JSON object \(got string\)",
                 id="line is a string"),
    pytest.param("f.jsonl", jsonl({"title": "t", "text": STORY}), 1,
                 r"missing publication date \(fields tried: published, date, publish_date",
                 id="missing date"),
    pytest.param("f.jsonl", jsonl({"published": "someday soon", "text": STORY}), 1,
                 r"unparseable publication date 'someday soon'", id="unparseable date"),
    pytest.param("f.jsonl", jsonl({"published": "2025-05-05", "text": "  "}), 1,
                 r"^empty text$", id="empty text"),
    pytest.param("f.jsonl", jsonl({"published": "2025-05-05", "headline": "x"}), 1,
                 r"missing text \(fields tried: text, body, content, article\)",
                 id="no text field"),
    pytest.param("f.jsonl", b'{"published": "2025-05-05", "text": "caf\xe9"}\n', 1,
                 r"undecodable bytes \(not UTF-8\)", id="latin-1 line in jsonl"),
    pytest.param("f.json", '[{"published": "2025-05-05", "text": "x"},\n {"text": }]', 2,
                 r"malformed JSON", id="malformed json array"),
    pytest.param("f.csv", "title,published\nT,2025-05-05\n", 1,
                 r"no text column in header", id="csv without text column"),
    pytest.param("f.csv", f"published,text\n2025-05-05,{STORY},extra\n", 2,
                 r"record has 3 fields but the header has 2", id="csv row with extra fields"),
    pytest.param("f.txt", STORY, 1, r"missing publication date \(no leading 'date YYYY-MM-DD'",
                 id="txt without date"),
    pytest.param("f.txt", "date 2025-05-05 \n\n", 1, r"^empty text$", id="txt with only a date"),
    pytest.param("f.txt", "", 1, r"^empty text$", id="empty txt"),
    pytest.param("f.txt", "Line one.\nLine two has caf\xe9.\n".encode("latin-1"), 2,
                 r"undecodable bytes \(not UTF-8\)", id="latin-1 text file"),
    pytest.param("f.txt", PNG, "", r"^not text \(binary data\)$", id="png named .txt"),
    pytest.param("f.jsonl", RANDOM_BYTES, "", r"^not text \(binary data\)$", id="random bytes"),
    pytest.param("f.jsonl.gz", b"\x1f\x8b\x08\x00garbage" + bytes(20), "", r"^cannot read",
                 id="corrupt gzip"),
    pytest.param("f.html", "<html><head><script>var a = 1;</script></head></html>", 1,
                 r"^no article text found in HTML$", id="html without body"),
    pytest.param("f.pdf", "%PDF-1.4", "", r"unsupported file type '\.pdf'", id="unknown extension"),
    pytest.param("f.tar.gz", b"x", "", r"unsupported file type '\.tar\.gz'",
                 id="unknown extension under gz"),
]


@pytest.mark.parametrize("name, content, line, reason", FAILURES)
def test_failures_say_where_and_why(tmp_path, name, content, line, reason):
    path = write(tmp_path, name, content)
    items = list(read([path], published=None))
    failures = [x for x in items if isinstance(x, Failure)]
    assert len(failures) == 1, items
    failure = failures[0]
    assert failure.origin == (f"{path}:{line}" if line != "" else str(path))
    assert re.search(reason, failure.reason), failure.reason
    assert failure.stage == "read"


def test_missing_file_and_reading_goes_on(tmp_path):
    good = write(tmp_path, "good.jsonl", jsonl({"published": "2025-05-05", "text": STORY}))
    missing = tmp_path / "missing.jsonl"
    items = list(read([missing, good]))
    assert isinstance(items[0], Failure)
    assert (items[0].origin, items[0].reason) == (str(missing), "no such file or directory")
    assert isinstance(items[1], Article) and items[1].text == STORY


def test_bad_lines_do_not_stop_a_file(tmp_path):
    lines = [json.dumps({"published": "2025-05-05", "text": STORY}), "{broken",
             json.dumps({"text": "no date"}), "[]", json.dumps({"published": "2025-05-06",
                                                               "text": STORY2})]
    path = write(tmp_path, "f.jsonl", "\n".join(lines) + "\n")
    items = list(read([path]))
    kinds = [type(x).__name__ for x in items]
    assert kinds == ["Article", "Failure", "Failure", "Failure", "Article"]
    assert [x.origin for x in items] == [f"{path}:{n}" for n in range(1, 6)]
    assert items[-1].text == STORY2


def test_undecodable_csv_line_is_reported_and_reading_goes_on(tmp_path):
    content = (f"published,text\n2025-05-05,{STORY}\n".encode()
               + b"2025-05-05,caf\xe9\n" + f'2025-05-06,"{STORY2}"\n'.encode())
    path = write(tmp_path, "f.csv", content)
    articles, failures = split(read([path]))
    assert [a.text for a in articles] == [STORY, STORY2]
    assert [(f.origin, f.reason) for f in failures] == [(f"{path}:3",
                                                          "undecodable bytes (not UTF-8)")]


def test_failure_names_the_records_own_id(tmp_path):
    path = write(tmp_path, "f.jsonl", jsonl({"id": "wire-9", "text": STORY}, {"text": STORY}))
    assert [f.article_id for f in read([path])] == ["wire-9", None]


def test_failure_message_names_file_and_line(tmp_path):
    path = write(tmp_path, "data.jsonl", "\n" * 6 + json.dumps({"text": STORY}) + "\n")
    failure = only_failure(read([path]))
    err = ReadError(failure.origin, failure.reason)
    assert str(err) == (f"{path}:7: missing publication date (fields tried: published, date, "
                        "publish_date, pubdate, datetime)")


# ---------------------------------------------------------------- encodings and compression

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
@pytest.mark.parametrize("name, content", [
    ("f.txt", f"date 2025-05-05 {ACCENTED}"),
    ("f.jsonl", jsonl({"published": "2025-05-05", "text": ACCENTED})),
    ("f.csv", f'published,text\n2025-05-05,"{ACCENTED}"\n'),
])
def test_unicode_with_bom(tmp_path, encoding, name, content):
    data = content.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # the explicit-endian codec writes no BOM itself
    article = only_article(read([write(tmp_path, name, data)]))
    assert article.text == ACCENTED
    assert article.published == MAY5


def test_crlf_json_lines(tmp_path):
    content = jsonl({"published": "2025-05-05", "text": "One.\r\nTwo."}).replace("\n", "\r\n")
    article = only_article(read([write(tmp_path, "f.jsonl", content)]))
    assert (article.text, article.origin) == ("One.\nTwo.", f"{tmp_path / 'f.jsonl'}:1")


def test_html_in_a_declared_legacy_charset(tmp_path):
    page = HTML_PAGE.replace("<head>", '<head><meta charset="iso-8859-1">')
    page = page.replace("met in Vienna", "met in Z\u00fcrich")
    article = only_article(read([write(tmp_path, "p.html", page.encode("latin-1"))]))
    assert "met in Z\u00fcrich" in article.text


@pytest.mark.parametrize("name", ["f.jsonl", "f.gz"])
def test_gzip_is_recognised_by_its_magic_bytes(tmp_path, name):
    # a .jsonl that is really gzip, and a bare .gz whose content is sniffed
    data = gzip.compress(jsonl({"published": "2025-05-05", "text": STORY}).encode())
    assert only_article(read([write(tmp_path, name, data)])).text == STORY


def test_gz_extension_without_gzip_data_is_read_as_is(tmp_path):
    path = write(tmp_path, "f.jsonl.gz", jsonl({"published": "2025-05-05", "text": STORY}))
    assert only_article(read([path])).text == STORY


# ---------------------------------------------------------------- directories

def test_directory_walk(tmp_path):
    record = {"published": "2025-05-05", "text": STORY}
    write(tmp_path, "b.jsonl", jsonl(record, {**record, "text": STORY2}))
    write(tmp_path, "a.txt", f"date 2025-05-05 {STORY}")
    write(tmp_path, "sub/c.csv", f"published,text\n2025-05-05,{STORY}\n")
    write(tmp_path, "sub/deeper/d.md", f"date 2025-05-05 {STORY}", gz=True)
    write(tmp_path, "sub/notes.pdf", "%PDF")            # unknown extension: skipped
    write(tmp_path, ".hidden.txt", "no date here")       # hidden file: skipped
    write(tmp_path, ".git/x.txt", "no date here")        # hidden folder: skipped
    names = [Path(a.origin).relative_to(tmp_path).as_posix() for a in read([tmp_path])]
    assert names == ["a.txt:1", "b.jsonl:1", "b.jsonl:2", "sub/c.csv:2", "sub/deeper/d.md.gz:1"]
    top = [Path(a.origin).name for a in read([tmp_path], recursive=False)]
    assert top == ["a.txt:1", "b.jsonl:1", "b.jsonl:2"]


def test_empty_directory_is_a_failure(tmp_path):
    write(tmp_path, "notes.pdf", "%PDF")
    failure = only_failure(read([tmp_path]))
    assert failure.origin == str(tmp_path)
    assert failure.reason.startswith("no readable files in directory")


# ---------------------------------------------------------------- size and robustness

def test_five_megabyte_article(tmp_path):
    paragraph = STORY + " " + STORY2 + "\n\n"
    body = paragraph * (5_000_000 // len(paragraph) + 1)
    path = write(tmp_path, "big.txt", "date 2025-05-05 " + body)
    article = only_article(read([path]))
    assert len(article.text) == len(body) > 5_000_000
    assert article.text == body


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600),
       name=st.sampled_from(["f.jsonl", "f.json", "f.csv", "f.tsv", "f.txt", "f.html",
                             "f.jsonl.gz", "f.gz"]))
def test_read_never_raises_on_arbitrary_bytes(tmp_path, data, name):
    path = tmp_path / name
    path.write_bytes(data)
    for item in read([path], published="2025-05-05"):
        assert isinstance(item, Article | Failure)
        if isinstance(item, Failure):
            assert item.origin.startswith(str(path)) and item.reason
        else:
            assert item.text.strip() and item.published == MAY5

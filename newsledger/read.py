"""Read dated news articles from files, directories and stdin.

``read(paths)`` yields one :class:`~newsledger.model.Article` per article and one
:class:`~newsledger.model.Failure` per item it could not read; it never raises for bad input.

Formats, chosen by file extension (``.gz`` variants of each are gunzipped; gzip is recognised by
its magic bytes, so a mislabelled file still reads):

- **JSON Lines** -- ``.jsonl``, ``.ndjson``, ``.json``: one JSON object per line. A ``.json`` file
  may instead hold a JSON array of objects, or one object.
- **CSV / TSV** -- ``.csv``, ``.tsv``: a header row, then one article per record (quoted fields may
  span lines; line numbers in messages are the line where the record starts).
- **Plain text** -- ``.txt``, ``.md``: one article per file. The date comes from a leading
  ``date YYYY-MM-DD`` token (``" date 2025-05-05 The minister said ..."``) or from YAML front
  matter (``---\\npublished: 2025-05-05\\ntitle: ...\\n---\\n``); both are removed from the text.
- **HTML** -- ``.html``, ``.htm``: main text (paragraphs separated by blank lines), title, date,
  URL and site name extracted with trafilatura. Only the page's own date markup (meta tags,
  ``<time>``, the URL) counts: dates in the story text are events, not the publication date.
- **stdin** -- the path ``-``: JSON Lines if the first non-blank character is ``{``, a JSON array
  if it is ``[``, plain text otherwise (so is a ``.gz`` file with no other extension).
- **Directories** -- walked recursively in sorted order; hidden files and files with other
  extensions are skipped.

Fields of JSON objects, CSV columns and front-matter keys (names match case-insensitively):

============  ==========================================================
``id``        article id (any value, kept as a string)
``url``       article URL
``source``    outlet or feed name
``title``     headline
``published`` also ``date``, ``publish_date``, ``pubdate``, ``datetime``
``text``      also ``body``, ``content``, ``article`` (a list of paragraphs is joined)
============  ==========================================================

Every other field goes into ``Article.meta``. A record's (or file's) own date wins; one without
a date takes the ``published=`` argument of :func:`read`; without either it is a Failure. Dates may be ISO (``2025-05-05``,
``2025-05-05T10:00:00Z``), RFC 2822 (``Mon, 05 May 2025 10:00:00 GMT``) or other complete
forms (``May 5, 2025``, ``5 mai 2025``); the calendar date as written is kept (no time-zone
shift). Ids: the record's own id, else a hash of the URL, else a hash of the text.

A Failure's ``origin`` is ``path:line`` for a record (the line where it starts) and the bare
path for a whole file (missing, binary, unknown extension); stdin is ``<stdin>``.

Text is kept as written -- offsets downstream index it -- except that a leading byte-order mark
is removed and ``\\r\\n`` / ``\\r`` become ``\\n``. Files may be UTF-8 (with or without BOM) or
UTF-16/UTF-32 with a BOM.

Example::

    >>> from newsledger.read import read
    >>> for item in read(["news/", "wire.jsonl.gz", "-"], published="2025-05-05"):  # doctest: +SKIP
    ...     print(item.origin, item.reason if hasattr(item, "reason") else item.id)
    news/a.txt:1 a-6f1c0f6b2d0e9a41
    wire.jsonl.gz:7 malformed JSON (Expecting ',' delimiter at column 42)
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import email.utils
import gzip
import hashlib
import io
import json
import os
import re
import sys
import unicodedata
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from newsledger.model import Article, Failure

__all__ = ["ReadError", "make_article", "parse_date", "read", "FORMATS"]

ID_FIELDS = ("id",)
URL_FIELDS = ("url",)
SOURCE_FIELDS = ("source",)
TITLE_FIELDS = ("title",)
DATE_FIELDS = ("published", "date", "publish_date", "pubdate", "datetime")
TEXT_FIELDS = ("text", "body", "content", "article")
# Languages dateparser tries for dates the ISO/RFC 2822/dateutil parsers miss. Naming them keeps
# its first call under a second; letting it guess among all ~200 locales takes about five.
DATE_LANGUAGES = ["en", "fr", "de", "es", "it", "pt", "nl", "sv", "pl", "ru", "uk", "tr", "ar",
                  "fa", "hi", "id", "zh", "ja", "ko"]

# extension -> reader kind
FORMATS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "tsv",
    ".txt": "text", ".md": "text",
    ".html": "html", ".htm": "html",
}

_GZIP_MAGIC = b"\x1f\x8b"
_HEAD_SIZE = 8192
# C0 controls that never occur in text files (tab, newlines, form feed and ESC do)
_CONTROL = bytes(set(range(32)) - {9, 10, 11, 12, 13, 27}) + b"\x7f"
_DATE_TOKEN = re.compile(r"\A\s*date:?[ \t]+(\d{4}-\d{1,2}-\d{1,2})(?=\s|\Z)\s*", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


class ReadError(ValueError):
    """An input item that cannot become an Article: where (``origin``) and why (``reason``).

    A ValueError, so API callers passing a bad date or empty text can catch it as one.

    >>> str(ReadError("data.jsonl:7", "missing publication date"))
    'data.jsonl:7: missing publication date'
    """

    def __init__(self, origin: str, reason: str, article_id: str | None = None):
        super().__init__(f"{origin}: {reason}" if origin else reason)
        self.origin = origin
        self.reason = reason
        self.article_id = article_id  # when the bad record names its id

    def to_failure(self, article_id: str | None = None) -> Failure:
        return Failure(origin=_encodable(self.origin), reason=_encodable(self.reason),
                       article_id=_encodable(article_id or self.article_id), stage="read")


def _encodable(value: str | None) -> str | None:
    """``value`` with unpaired surrogates (from JSON escapes or undecodable file names)
    written as ``\\udc80`` escapes, so a Failure can always be stored."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8") if value else value


# ---------------------------------------------------------------- dates and ids

def parse_date(value: Any) -> dt.date:
    """The calendar date of ``value`` (date, datetime, epoch number or string).

    Raises ``ValueError`` for text that is not a complete date (year, month and day).

    >>> parse_date("Mon, 05 May 2025 23:30:00 -0500")
    datetime.date(2025, 5, 5)
    >>> parse_date("2025-05-05T10:00:00Z"), parse_date("May 5, 2025")
    (datetime.date(2025, 5, 5), datetime.date(2025, 5, 5))
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int | float):
        return _from_timestamp(float(value))
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip()
    for parse in (_parse_iso, _parse_digits, _parse_rfc2822, _parse_dateutil, _parse_dateparser):
        found = parse(text)
        if found is not None:
            return found
    raise ValueError(f"not a complete date: {value!r}")


def _from_timestamp(seconds: float) -> dt.date:
    if seconds > 1e11:  # milliseconds, as JavaScript writes them
        seconds /= 1000
    if seconds < 1e8:  # 1973: a small number is a year or a count, not a timestamp
        raise ValueError(f"not a timestamp: {seconds!r}")
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).date()


def _parse_iso(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _parse_digits(text: str) -> dt.date | None:
    if not text.isdigit():
        return None
    if len(text) == 8:  # 20250505
        try:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            return None
    if len(text) in (10, 13):
        return _from_timestamp(float(text))
    return None


def _parse_rfc2822(text: str) -> dt.date | None:
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def _parse_dateutil(text: str) -> dt.date | None:
    from dateutil import parser

    # Parsing against two different defaults exposes missing parts ("May 2025" has no day).
    try:
        one = parser.parse(text, default=dt.datetime(2000, 1, 1))
        two = parser.parse(text, default=dt.datetime(2001, 2, 2))
    except (ValueError, OverflowError, TypeError):
        return None
    return one.date() if one.date() == two.date() else None


def _parse_dateparser(text: str) -> dt.date | None:
    import dateparser  # slow to import; only needed for unusual or non-English dates

    # No relative parsers: "yesterday" depends on when we read, not when it was published.
    found = dateparser.parse(text, languages=DATE_LANGUAGES, settings={
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    })
    return found.date() if found else None


def _normal_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _digest(kind: str, value: str) -> str:
    return "a-" + hashlib.blake2b(f"{kind}:{value}".encode(), digest_size=8).hexdigest()


def make_article(*, text: Any, published: Any = None, id: Any = None, url: Any = "",
                 source: Any = "", title: Any = "", meta: dict[str, Any] | None = None,
                 origin: str = "") -> Article:
    """The one place that decides an Article's id, date and text.

    Id: ``id`` as a string, else a hash of ``url``, else a hash of the whitespace-normalised
    text ("a-" + 16 hex digits). Raises :class:`ReadError` for empty text or a missing or
    unparseable date.

    >>> a = make_article(text="Talks began.", published="2025-05-05")
    >>> a.id == make_article(text=" Talks   began.\\n", published="2025-05-06").id
    True
    >>> make_article(text="Talks began.", published="2025-05-05", url="https://x.org/1").id == a.id
    False
    """
    body = _clean_text(text, origin)
    if published is None or (isinstance(published, str) and not published.strip()):
        raise ReadError(origin, "missing publication date")
    try:
        date = parse_date(published)
    except Exception as exc:  # any failure to parse is a property of the input
        raise ReadError(origin, f"unparseable publication date {published!r}") from exc
    url = _plain_str(url)
    _check_unicode(origin, [body, id, url, title, source, meta])
    if id is not None and str(id).strip():
        article_id = str(id).strip()
    elif url:
        article_id = _digest("url", url)
    else:
        article_id = _digest("text", _normal_text(body))
    return Article(id=article_id, text=body, published=date, title=_plain_str(title), url=url,
                   source=_plain_str(source), meta=dict(meta or {}), origin=origin)


def _check_unicode(origin: str, fields: list[Any]) -> None:
    """JSON escapes can smuggle in unpaired surrogates (``"\\ud800"``): valid Python, but no
    UTF-8 encoding, so the ledger could not store the article (nor its failure record)."""
    try:
        json.dumps(fields, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError as err:
        raise ReadError(origin, "invalid Unicode: unpaired surrogate "
                                f"{err.object[err.start]!r} (not UTF-8 encodable)") from None
    except ValueError:  # circular or out-of-range values: the store reports those itself
        pass


def _clean_text(text: Any, origin: str) -> str:
    if isinstance(text, list) and all(isinstance(p, str) for p in text):
        text = "\n\n".join(text)  # a list of paragraphs
    if text is None:
        raise ReadError(origin, "empty text")
    if not isinstance(text, str):
        raise ReadError(origin, f"text is not a string (got {type(text).__name__})")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ReadError(origin, "empty text")
    return text


def _plain_str(value: Any) -> str:
    return "" if value is None else str(value).strip()


# ---------------------------------------------------------------- records (JSON, CSV, YAML)

def _pick(record: dict[str, Any], names: tuple[str, ...], used: set[str]) -> Any:
    """The first non-empty value among ``names`` (case-insensitive); marks its key as used."""
    by_name = {str(k).strip().lower(): k for k in record}
    for name in names:
        key = by_name.get(name)
        if key is None:
            continue
        value = record[key]
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        used.add(key)
        return value
    return None


def _from_record(record: Any, origin: str, fallback: dt.date | None,
                 text: Any = None) -> Article:
    """An Article from a dict of fields; ``text`` overrides the text fields (front matter).

    A failure names the record's own id, if it has one, so it can be traced.
    """
    if not isinstance(record, dict):
        raise ReadError(origin, f"not a JSON object (got {_json_type(record)})")
    try:
        return _fields_to_article(record, origin, fallback, text)
    except ReadError as err:
        given = _pick(record, ID_FIELDS, set())
        err.article_id = err.article_id or (_plain_str(given) or None)
        raise


def _fields_to_article(record: dict[str, Any], origin: str, fallback: dt.date | None,
                       text: Any) -> Article:
    used: set[str] = set()
    keys_of = {str(k).strip().lower(): k for k in record}
    if text is None:
        text = _pick(record, TEXT_FIELDS, used)
        if text is None:
            present = any(name in keys_of for name in TEXT_FIELDS)
            hint = "" if present else f" (fields tried: {', '.join(TEXT_FIELDS)})"
            raise ReadError(origin, f"{'empty' if present else 'missing'} text{hint}")
    published = _pick(record, DATE_FIELDS, used)
    if published is None:
        published = fallback
    if published is None:
        raise ReadError(origin, "missing publication date "
                                f"(fields tried: {', '.join(DATE_FIELDS)})")
    fields = {name: _pick(record, names, used) for name, names in
              (("id", ID_FIELDS), ("url", URL_FIELDS), ("source", SOURCE_FIELDS),
               ("title", TITLE_FIELDS))}
    # empty known fields are consumed too, so they do not reappear in meta
    used.update(keys_of[n] for n in (*ID_FIELDS, *URL_FIELDS, *SOURCE_FIELDS, *TITLE_FIELDS,
                                     *DATE_FIELDS, *TEXT_FIELDS) if n in keys_of)
    meta = {str(k): v for k, v in record.items() if k not in used}
    return make_article(text=text, published=published, meta=meta, origin=origin,
                        **{k: v if v is not None else "" for k, v in fields.items()})


def _json_type(value: Any) -> str:
    return {list: "array", str: "string", int: "number", float: "number", bool: "boolean",
            type(None): "null"}.get(type(value), type(value).__name__)


def _attempt(build, *args) -> Article | Failure:
    """``build(item, origin, ...)``, or the Failure of that one record."""
    try:
        return build(*args)
    except ReadError as err:
        return err.to_failure()
    except RecursionError:  # json and yaml recurse per nesting level
        return ReadError(args[1], "unreadable record (nested too deeply)").to_failure()
    except Exception as err:  # noqa: BLE001 -- a hostile record must not end its whole file
        return ReadError(args[1], f"unreadable record ({type(err).__name__}: "
                                  f"{str(err)[:200]})").to_failure()


# ---------------------------------------------------------------- byte streams

class _Prefixed(io.RawIOBase):
    """A stream that replays ``head`` (already read for sniffing) before the rest."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            data, self._head = self._head[:len(buffer)], self._head[len(buffer):]
        else:
            data = self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _read_head(stream: BinaryIO) -> bytes:
    chunks, size = [], 0
    while size < _HEAD_SIZE:
        chunk = stream.read(_HEAD_SIZE - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL))
    if controls / len(head) > 0.05:
        return True
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return False
    except UnicodeDecodeError:
        # Legacy 8-bit text has a few high bytes; compressed or random data about half.
        return sum(b > 127 for b in head) / len(head) > 0.3


def _sniff_encoding(head: bytes) -> tuple[str | None, int]:
    """(encoding, BOM length to skip); encoding None means binary data."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", 0  # the codec reads the BOM itself
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0
    return (None, 0) if _looks_binary(head) else ("utf-8", 0)


def _open_source(raw: BinaryIO, name: str) -> tuple[BinaryIO, str, bytes]:
    """Gunzip if needed, reject binary data: (stream, encoding, head sample)."""
    head = _read_head(raw)
    stream: BinaryIO = io.BufferedReader(_Prefixed(head, raw))
    if head.startswith(_GZIP_MAGIC):
        stream = gzip.GzipFile(fileobj=stream, mode="rb")
        head = _read_head(stream)
        stream = io.BufferedReader(_Prefixed(head, stream))
    encoding, bom = _sniff_encoding(head)
    if encoding is None:
        raise ReadError(name, "not text (binary data)")
    if bom:
        stream.read(bom)
        head = head[bom:]
    return stream, encoding, head


def _decode_all(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ReadError(f"{name}:{line}", f"undecodable bytes (not {encoding.upper()})") from err


def _first_char(head: bytes, encoding: str) -> str:
    text = codecs.getincrementaldecoder(encoding)(errors="ignore").decode(head, final=False)
    text = text.lstrip("\ufeff \t\r\n")
    return text[:1]


# ---------------------------------------------------------------- readers, one per format

def _read_jsonl(stream: BinaryIO, encoding: str, name: str, head: bytes,
                fallback: dt.date | None) -> Iterator[Article | Failure]:
    for number, line in _lines(stream, encoding, name):
        if isinstance(line, ReadError):
            yield line.to_failure()
        elif line.strip():
            yield _attempt(_json_line, line, f"{name}:{number}", fallback)


def _read_json(stream: BinaryIO, encoding: str, name: str, head: bytes,
               fallback: dt.date | None) -> Iterator[Article | Failure]:
    """A .json file: an array, one (maybe pretty-printed) object, or JSON Lines."""
    yield from _read_json_text(_decode_all(stream.read(), encoding, name), name, fallback)


def _read_json_text(text: str, name: str,
                    fallback: dt.date | None) -> Iterator[Article | Failure]:
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("["):
        yield from _json_array(text, name, fallback)
        return
    if stripped.startswith("{") and "\n" in stripped.rstrip():
        try:
            whole = json.loads(text.removeprefix("\ufeff"))
        except json.JSONDecodeError:
            whole = None  # several lines of JSON: read them as JSON Lines
        if isinstance(whole, dict):
            yield _attempt(_from_record, whole, f"{name}:{_line_of(text, text.find('{'))}",
                           fallback)
            return
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            yield _attempt(_json_line, line, f"{name}:{number}", fallback)


def _json_line(line: str, origin: str, fallback: dt.date | None) -> Article:
    try:
        record = json.loads(line.removeprefix("\ufeff"))
    except json.JSONDecodeError as err:
        raise ReadError(origin, f"malformed JSON ({err.msg} at column {err.colno})") from err
    return _from_record(record, origin, fallback)


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _json_array(text: str, name: str, fallback: dt.date | None) -> Iterator[Article | Failure]:
    """Each element of a JSON array, with the line it starts on; stops at the first syntax
    error (everything before it is still read)."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, text.index("[") + 1)
    if text[pos:pos + 1] == "]":
        return
    while True:
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as err:
            yield ReadError(f"{name}:{_line_of(text, err.pos)}",
                            f"malformed JSON ({err.msg})").to_failure()
            return
        yield _attempt(_from_record, value, f"{name}:{_line_of(text, pos)}", fallback)
        pos = _skip_space(text, end)
        if text[pos:pos + 1] == "]":
            return
        if text[pos:pos + 1] != ",":
            yield ReadError(f"{name}:{_line_of(text, pos)}",
                            "malformed JSON (expected ',' or ']' in array)").to_failure()
            return
        pos = _skip_space(text, pos + 1)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _lines(stream: BinaryIO, encoding: str,
           name: str) -> Iterator[tuple[int, str | ReadError]]:
    """Numbered lines; an undecodable UTF-8 line becomes a ReadError and reading goes on."""
    if encoding != "utf-8":
        text = io.TextIOWrapper(stream, encoding=encoding, newline="")
        number = 0
        try:
            for number, line in enumerate(text, 1):
                yield number, line
        except UnicodeDecodeError:
            yield number + 1, ReadError(f"{name}:{number + 1}",
                                        f"undecodable bytes (not {encoding.upper()})")
        return
    for number, raw in enumerate(stream, 1):
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError:
            yield number, ReadError(f"{name}:{number}", "undecodable bytes (not UTF-8)")


def _raise_csv_limit() -> None:
    limit = sys.maxsize
    while True:  # the C long behind the limit is 32 bits on some platforms
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2


class _Undecodable(Exception):
    def __init__(self, error: ReadError):
        self.error = error


class _CountedLines:
    """Lines for csv.reader that remember the last line number handed out."""

    def __init__(self, lines: Iterator[tuple[int, str | ReadError]]):
        self._lines = lines
        self.number = 0

    def __iter__(self) -> _CountedLines:
        return self

    def __next__(self) -> str:
        self.number, line = next(self._lines)
        if isinstance(line, ReadError):
            raise _Undecodable(line)
        return line


def _read_csv(stream: BinaryIO, encoding: str, name: str, head: bytes,
              fallback: dt.date | None, delimiter: str = ",") -> Iterator[Article | Failure]:
    _raise_csv_limit()
    if delimiter == ",":
        delimiter = _csv_delimiter(head, encoding)
    lines = _CountedLines(_lines(stream, encoding, name))
    rows = csv.reader(lines, delimiter=delimiter)
    header: list[str] | None = None
    start = 1  # the line where the next record begins
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except _Undecodable as bad:
            yield bad.error.to_failure()
            rows, start = csv.reader(lines, delimiter=delimiter), lines.number + 1
            continue
        except csv.Error as err:
            yield ReadError(f"{name}:{start}", f"malformed CSV ({err})").to_failure()
            return
        origin, start = f"{name}:{start}", lines.number + 1
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().removeprefix("\ufeff") for cell in row]
            if not {h.lower() for h in header} & set(TEXT_FIELDS):
                yield ReadError(origin, "no text column in header (expected one of: "
                                        f"{', '.join(TEXT_FIELDS)})").to_failure()
                return
            continue
        yield _csv_row(header, row, origin, fallback)


def _csv_row(header: list[str], row: list[str], origin: str,
             fallback: dt.date | None) -> Article | Failure:
    if len(row) > len(header):
        return ReadError(origin, f"record has {len(row)} fields but the header has "
                                 f"{len(header)}").to_failure()
    record = dict(zip(header, row + [""] * (len(header) - len(row))))
    return _attempt(_from_record, record, origin, fallback)


def _csv_delimiter(head: bytes, encoding: str) -> str:
    """',' unless the header line has semicolons and no commas (a common spreadsheet export)."""
    first = codecs.getincrementaldecoder(encoding)(errors="ignore").decode(head).split("\n")[0]
    return ";" if ";" in first and "," not in first else ","


def _read_tsv(stream: BinaryIO, encoding: str, name: str, head: bytes,
              fallback: dt.date | None) -> Iterator[Article | Failure]:
    yield from _read_csv(stream, encoding, name, head, fallback, delimiter="\t")


def _read_plain(stream: BinaryIO, encoding: str, name: str, head: bytes,
                fallback: dt.date | None) -> Iterator[Article | Failure]:
    try:
        text = _decode_all(stream.read(), encoding, name)
        yield _text_article(text, f"{name}:1", fallback)
    except ReadError as err:
        yield err.to_failure()


def _text_article(text: str, origin: str, fallback: dt.date | None) -> Article:
    """A plain-text article: optional front matter, optional ``date YYYY-MM-DD`` token, text.

    The file's own date wins over ``fallback``.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    fields, text = _split_front_matter(text)
    token = _DATE_TOKEN.match(text)
    if token:
        fields = {**fields, "published": token.group(1)}
        text = text[token.end():]
    _clean_text(text, origin)  # an empty file is "empty text", whatever its date
    if not fields:
        if fallback is None:
            raise ReadError(origin, "missing publication date (no leading 'date YYYY-MM-DD', "
                                    "no front matter 'published:', no published= fallback)")
        return make_article(text=text, published=fallback, origin=origin)
    return _from_record(fields, origin, fallback, text=text)


def _split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(YAML front-matter fields, the rest); ``({}, text)`` without valid front matter."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    import yaml

    try:
        fields = yaml.safe_load(match.group(1) or "")
    except yaml.YAMLError:
        return {}, text  # a horizontal rule, not front matter
    if not isinstance(fields, dict):
        return {}, text
    return fields, text[match.end():].lstrip()


def _read_html(stream: BinaryIO, encoding: str, name: str, head: bytes,
               fallback: dt.date | None) -> Iterator[Article | Failure]:
    data = stream.read()
    try:
        html: str | bytes = data.decode(encoding)
    except UnicodeDecodeError:
        html = data  # let trafilatura find the charset declared in the page
    yield _attempt(_html_article, html, f"{name}:1", fallback)


def _html_article(html: str | bytes, origin: str, fallback: dt.date | None) -> Article:
    import trafilatura
    from trafilatura.settings import set_date_params

    # No extensive date search: it takes dates from the story text (events, not publication).
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                      date_extraction_params=set_date_params(False))
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise ReadError(origin, "no article text found in HTML")
    # trafilatura puts one paragraph per line; a blank line keeps headlines and paragraphs
    # apart for the sentence splitter
    text = "\n\n".join(line for line in text.split("\n") if line.strip())
    meta = {k: getattr(doc, k) for k in ("author", "description", "sitename", "hostname",
                                         "language", "categories", "tags")
            if getattr(doc, k, None)}
    return make_article(text=text, published=doc.date or fallback, url=doc.url or "",
                        source=doc.sitename or doc.hostname or "", title=doc.title or "",
                        meta=meta, origin=origin)


def _read_sniffed(stream: BinaryIO, encoding: str, name: str, head: bytes,
                  fallback: dt.date | None) -> Iterator[Article | Failure]:
    """stdin or a bare .gz: JSON if it starts with '{' or '[', plain text otherwise."""
    first = _first_char(head, encoding)
    reader = _read_jsonl if first == "{" else _read_json if first == "[" else _read_plain
    yield from reader(stream, encoding, name, head, fallback)


_READERS = {
    "jsonl": _read_jsonl, "json": _read_json, "csv": _read_csv, "tsv": _read_tsv,
    "text": _read_plain, "html": _read_html, "sniff": _read_sniffed,
}


# ---------------------------------------------------------------- paths and dispatch

def _kind(path: Path) -> str | None:
    """The reader for a file name: by extension, looking through a final ``.gz``."""
    name = Path(path.name.lower())
    if name.suffix == ".gz":
        name = Path(name.stem)
        if not name.suffix:
            return "sniff"
    return FORMATS.get(name.suffix)


def _read_stream(raw: BinaryIO, name: str, kind: str,
                 fallback: dt.date | None) -> Iterator[Article | Failure]:
    try:
        stream, encoding, head = _open_source(raw, name)
        yield from _READERS[kind](stream, encoding, name, head, fallback)
    except ReadError as err:
        yield err.to_failure()
    except (OSError, EOFError, zlib.error) as err:
        yield ReadError(name, f"cannot read: {err}").to_failure()
    except Exception as err:  # noqa: BLE001 -- bad input must never stop a batch
        yield ReadError(name, f"unexpected error: {type(err).__name__}: {err}").to_failure()


def _read_file(path: Path, fallback: dt.date | None) -> Iterator[Article | Failure]:
    kind = _kind(path)
    if kind is None:
        known = ", ".join(sorted(FORMATS))
        suffix = "".join(path.suffixes) or "(none)"
        yield ReadError(str(path), f"unsupported file type {suffix!r} "
                                   f"(known: {known}, and .gz of each)").to_failure()
        return
    try:
        raw = open(path, "rb")
    except OSError as err:
        yield ReadError(str(path), f"cannot open: {err.strerror or err}").to_failure()
        return
    with raw:
        yield from _read_stream(raw, str(path), kind, fallback)


def _read_stdin(fallback: dt.date | None) -> Iterator[Article | Failure]:
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # a text-only stream (tests, notebooks)
        raw = io.BytesIO(sys.stdin.read().encode("utf-8", "surrogatepass"))
    yield from _read_stream(raw, "<stdin>", "sniff", fallback)


def _walk(root: Path, recursive: bool) -> Iterator[Path | ReadError]:
    """Readable files under ``root`` in sorted order, skipping hidden ones."""
    errors: list[OSError] = []
    found = False
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if recursive else []
        for file in sorted(files):
            path = Path(folder, file)
            if not file.startswith(".") and _kind(path) is not None:
                found = True
                yield path
    for err in errors:
        yield ReadError(str(err.filename or root), f"cannot list directory: {err.strerror}")
    if not found and not errors:
        yield ReadError(str(root), "no readable files in directory (known extensions: "
                                   f"{', '.join(sorted(FORMATS))})")


def read(paths: Iterable[str | Path] | str | Path, *, published: Any = None,
         recursive: bool = True) -> Iterator[Article | Failure]:
    """Articles (and Failures) from files, directories and ``-`` (stdin), in order.

    ``published`` is the date for records that carry none. It is checked at once: a bad value
    raises ``ValueError``; bad input never raises, it yields a Failure.

    >>> for item in read(["news/", "extra.jsonl.gz"], published="2025-05-05"):  # doctest: +SKIP
    ...     print(item.origin, getattr(item, "reason", item.id))
    """
    fallback = parse_date(published) if published not in (None, "") else None
    if isinstance(paths, str | Path):
        paths = [paths]
    return _read_all(list(paths), fallback, recursive)


def _read_all(paths: list[str | Path], fallback: dt.date | None,
              recursive: bool) -> Iterator[Article | Failure]:
    for entry in paths:
        if str(entry) == "-":
            yield from _read_stdin(fallback)
            continue
        path = Path(entry)
        if path.is_dir():
            for item in _walk(path, recursive):
                if isinstance(item, ReadError):
                    yield item.to_failure()
                else:
                    yield from _read_file(item, fallback)
        elif not path.exists():
            yield ReadError(str(path), "no such file or directory").to_failure()
        else:
            yield from _read_file(path, fallback)

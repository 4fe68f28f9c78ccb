"""Temporal expressions: find them in the article and normalise them against the publication date.

Every expression that resolves to a calendar day, month or year (or an ISO week) becomes a
``TimeExpr`` with character offsets into ``doc.text``:

>>> normalise("April 22", dt.date(2025, 5, 5))
('2025-04-22', 'day')
>>> normalise("later this year", dt.date(2025, 5, 5))
('2025', 'year')
>>> normalise("Friday", dt.date(2025, 5, 7), future=True)
('2025-05-09', 'day')

How it works: a table of patterns built from the word lists in ``newsledger/data/dates/``
(months, weekdays, modifiers, relative words) finds candidates with regular expressions; spaCy
DATE entities that no pattern covered are tried too. Expressions without a year (weekdays,
"May 9", "in June") take it from the publication date, looking back for a past-tense clause and
ahead for a future one ("will meet on Friday", "is due on Sunday", "until Jan. 31"); the tense
comes from the verb that governs the expression in the dependency parse. Years are never taken
from today's date. Without a publication date only expressions with an explicit year are kept.

``doc._.nl_dates`` holds each distinct expression once (same wording, same value), which is how
the gold annotation counts them; every mention is kept in ``doc.user_data["nl_dates_all"]``
for ``date_of_span``.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Token

from newsledger.extract import doc as _attrs  # noqa: F401  registers doc._.nl_*
from newsledger.extract.doc import published as published_of
from newsledger.model import TimeExpr

DATA = Path(__file__).resolve().parents[1] / "data" / "dates" / "lexicon.yaml"
ALL_KEY = "nl_dates_all"
GRAIN_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


# ---------------------------------------------------------------- word lists and patterns

@dataclass(frozen=True)
class Lexicon:
    months: dict[str, int]
    weekdays: dict[str, int]
    numbers: dict[str, int]
    relative_days: dict[str, int]
    parts_of_day: tuple[str, ...]
    day_modifiers: tuple[str, ...]
    period_modifiers: tuple[str, ...]
    future_auxiliaries: frozenset[str]
    future_cues: frozenset[str]
    future_control_verbs: frozenset[str]
    future_prepositions: frozenset[str]
    past_prepositions: frozenset[str]
    future_phrases: tuple[str, ...]
    named_day_words: frozenset[str]
    tensed_only: frozenset[str]
    reporting_verbs: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return Lexicon(
        months={k.lower(): int(v) for k, v in raw["months"].items()},
        weekdays={k.lower(): int(v) for k, v in raw["weekdays"].items()},
        numbers={k.lower(): int(v) for k, v in raw["numbers"].items()},
        relative_days={k.lower(): int(v) for k, v in raw["relative_days"].items()},
        parts_of_day=tuple(raw["parts_of_day"]),
        day_modifiers=tuple(raw["day_modifiers"]),
        period_modifiers=tuple(raw["period_modifiers"]),
        future_auxiliaries=frozenset(raw["future_auxiliaries"]),
        future_cues=frozenset(raw["future_cues"]),
        future_control_verbs=frozenset(raw["future_control_verbs"]),
        future_prepositions=frozenset(raw["future_prepositions"]),
        past_prepositions=frozenset(raw.get("past_prepositions") or ()),
        future_phrases=tuple(raw.get("future_phrases") or ()),
        named_day_words=frozenset(raw.get("named_day_words") or ()),
        tensed_only=frozenset(raw.get("tensed_only") or ()),
        reporting_verbs=frozenset(raw.get("reporting_verbs") or ()),
    )


def _alt(words) -> str:
    """A regex alternation, longest first so "Sept" wins over "Sep"."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len,
                                                                      reverse=True))


def _names(words) -> str:
    """Month and weekday names as written in copy: "June" and "JUNE", not "june".

    Patterns are compiled case-sensitive with ``(?i:...)`` around the ordinary words, because a
    case-insensitive alternation at the head of a pattern defeats the regex engine's literal
    prefix scan and made the finder several times slower.
    """
    words = list(words)
    return _alt([w.capitalize() for w in words] + [w.upper() for w in words])


@lru_cache(maxsize=1)
def patterns() -> list[tuple[str, re.Pattern]]:
    """(kind, compiled pattern), in priority order for equally long matches."""
    lx = lexicon()
    full_months = [m for m in lx.months if len(m) >= 5 or m in ("may", "june", "july")]
    abbr = [m for m in lx.months if m not in full_months]
    # A month before a day number may be abbreviated ("Jan. 31", "Sept 19").
    mon_d = rf"(?P<mon>{_names(full_months)}|(?:{_names(abbr)})\.?)"
    # A month standing alone must be spelt out or carry a full stop ("in June", "Dec.").
    mon = rf"(?P<mon>{_names(full_months)}|(?:{_names(abbr)})\.)"
    wd = rf"(?P<wd>{_names(w for w in lx.weekdays if len(w) > 4)})"
    day = r"(?P<d>0?[1-9]|[12]\d|3[01])(?i:st|nd|rd|th)?"
    year = r"(?P<y>1[89]\d\d|20\d\d)"
    pod = rf"(?:\s+(?P<pod>(?i:{_alt(lx.parts_of_day)})))"
    num = rf"(?P<n>\d{{1,3}}|(?i:{_alt(lx.numbers)}))"
    rel = r"(?P<rel>(?i:last|next|this))"
    end = r"(?![\w-])"
    # After a day number a hyphen may start a range ("April 22-23"), but not a word.
    dend = r"(?!\w)(?!-\D)"
    table = [
        ("iso", rf"\b{year}-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01]){end}"),
        ("slash", rf"\b(?P<m>0?[1-9]|1[0-2])/(?P<d>0?[1-9]|[12]\d|3[01])/{year}{end}"),
        ("wd_md", rf"\b{wd},?\s*\(?{mon_d}\s+{day}\)?(?:,?\s+{year})?{dend}"),
        ("wd_dm", rf"\b{wd},?\s*\(?{day}\s+{mon_d}\)?(?:,?\s+{year})?{end}"),
        ("md", rf"\b{mon_d}\s+{day}(?:,?\s+{year})?{dend}"),
        ("dm", rf"\b{day}\s+(?i:of\s+)?{mon_d}(?:,?\s+{year})?{end}"),
        ("my", rf"\b{mon_d},?\s+(?i:of\s+)?{year}{end}"),
        ("m_rel", rf"\b{mon}\s+{rel}\s+(?i:year){end}"),
        ("rel_m", rf"\b{rel}\s+{mon}{end}"),
        ("wd", rf"\b{wd}{pod}?{end}"),
        ("ago", rf"\b{num}\s+(?P<unit>(?i:day|week|month|year))(?i:s)?\s+(?i:ago){end}"),
        ("rel", rf"\b{rel}\s+(?i:fiscal\s+)?(?P<unit>(?i:year|month|week)){end}"),
        ("half", rf"\b(?i:the\s+)?(?P<unit>(?i:year|month)){end}"),
        ("reld", rf"\b(?P<word>(?i:{_alt(lx.relative_days)}))(?![\w-])"),
        ("year", rf"(?<![\w$£€,.]){year}(?!\d|,\d|s\b|-year|\.\d)"),
        ("month", rf"\b{mon}{end}"),
    ]
    return [(kind, re.compile(rx)) for kind, rx in table]


# Kinds that may carry a period modifier in front ("late December", "mid-2024", "later this
# year"); "half" needs one ("the second half of the year"). The modifier is looked for behind a
# match rather than inside the patterns: an optional alternation at the head of a pattern is
# tried at every word of the text and made the scan three times slower.
MOD_KINDS = frozenset({"md", "my", "m_rel", "rel_m", "rel", "half", "year", "month"})


@lru_cache(maxsize=1)
def _modifier_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """Modifiers looked for behind a match: (period modifier ending at a position, the same at
    the start of a string, day modifier and week word before a weekday, the same at the start).

    "late December", "mid-2024"; "late on Sunday", "last Friday", "this past Sunday".
    """
    lx = lexicon()
    alt = _alt(lx.period_modifiers)
    day = (rf"(?:(?P<dmod>{_alt(lx.day_modifiers)})\s+(?:on\s+)?)?"
           r"(?:(?P<rel>this\s+past|this\s+coming|the\s+previous|the\s+following"
           r"|the\s+coming|last|next|this)\s+)?")
    return (re.compile(rf"\b(?P<mod>{alt})(?:\s+|-)$", re.IGNORECASE),
            re.compile(rf"(?P<mod>{alt})(?:\s+|-)", re.IGNORECASE),
            re.compile(rf"\b{day}$", re.IGNORECASE),
            re.compile(day, re.IGNORECASE))


# ---------------------------------------------------------------- calendar arithmetic

def _day(d: dt.date) -> tuple[str, str]:
    return d.isoformat(), "day"


def _month(year: int, month: int) -> tuple[str, str]:
    return f"{year:04d}-{month:02d}", "month"


def _year(year: int) -> tuple[str, str]:
    return f"{year:04d}", "year"


def _week(d: dt.date) -> tuple[str, str]:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}", "week"


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def _pick(options: list, pub, future: bool | None):
    """Choose among candidate dates (or (year, month) pairs) the one the context points to.

    future=True: the first on/after ``pub``; False: the last on/before ``pub``; None: the nearest,
    with distances ahead stretched by ``AHEAD_STRETCH`` because news mostly reports what happened.
    """
    if future is True:
        later = [o for o in options if o >= pub]
        return min(later) if later else None
    if future is False:
        earlier = [o for o in options if o <= pub]
        return max(earlier) if earlier else None
    return min(options, key=lambda o: _distance(o, pub))


def _distance(o, pub) -> float:
    gap = _ordinal(o) - _ordinal(pub)
    return gap * AHEAD_STRETCH if gap > 0 else -gap


def _ordinal(o) -> int:
    return o.toordinal() if isinstance(o, dt.date) else o[0] * 12 + o[1]


# How many days of distance a day-and-month date may be "against" the tense of its clause and
# still win: with 290, a past-tense sentence keeps a date up to ~5 weeks ahead in the same year
# ("congratulated him ahead of the celebrations on May 9"), and a future one a date up to ~5
# weeks back ("had until Nov. 1"); beyond that the year flips.
AGAINST_TENSE_DAYS = 290
# Without a tense, a date ahead of publication counts as this many times farther than one behind:
# "in March" in an October article is last March, "as soon as July" in a March one this July.
AHEAD_STRETCH = 1.5


def resolve_month_day(month: int, day: int, pub: dt.date, future: bool | None) -> dt.date | None:
    """The year for a day and month without one: the nearest such date, weighed by tense."""
    options = []
    for y in (pub.year - 1, pub.year, pub.year + 1):
        try:
            options.append(dt.date(y, month, day))
        except ValueError:  # Feb 29 outside a leap year, Sept 31
            pass

    def cost(d: dt.date) -> tuple[int, bool]:
        gap = (d - pub).days
        against = (future is True and gap < 0) or (future is False and gap > 0)
        if future is None:
            return _distance(d, pub), gap > 0
        return abs(gap) + (AGAINST_TENSE_DAYS if against else 0), gap > 0

    return min(options, key=cost) if options else None


def resolve_month(month: int, pub: dt.date, future: bool | None) -> tuple[int, int] | None:
    options = [(y, month) for y in (pub.year - 1, pub.year, pub.year + 1)]
    return _pick(options, (pub.year, pub.month), future)


def resolve_weekday(weekday: int, pub: dt.date, future: bool | None, rel: str = "") -> dt.date:
    """The weekday nearest ``pub`` in the direction the context points to (past by default)."""
    rel = " ".join(rel.lower().split())
    if rel in ("last", "the previous", "this past"):
        return pub - dt.timedelta(days=(pub.weekday() - weekday - 1) % 7 + 1)
    if rel in ("next", "the following", "the coming", "this coming"):
        return pub + dt.timedelta(days=(weekday - pub.weekday() - 1) % 7 + 1)
    if future:
        return pub + dt.timedelta(days=(weekday - pub.weekday()) % 7)
    return pub - dt.timedelta(days=(pub.weekday() - weekday) % 7)


# ---------------------------------------------------------------- pattern values

def _num(lx: Lexicon, word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else lx.numbers.get(word)


def _month_no(lx: Lexicon, word: str) -> int:
    return lx.months[word.lower().rstrip(".")]


def _rel_offset(rel: str) -> int:
    rel = " ".join(rel.lower().split())
    return {"last": -1, "next": 1}.get(rel, 0)


def value_of(kind: str, g: dict[str, str | None], pub: dt.date | None,
             future: bool | None) -> tuple[str, str] | None:
    """The (value, granularity) of one pattern match; None when it cannot be resolved."""
    try:
        return _value_of(kind, g, pub, future)
    except OverflowError:  # "yesterday" in year 1, "next week" in 9999: off the calendar
        return None


def _value_of(kind: str, g: dict[str, str | None], pub: dt.date | None,
              future: bool | None) -> tuple[str, str] | None:
    lx = lexicon()
    y = int(g["y"]) if g.get("y") else None
    try:
        if kind in ("iso", "slash"):
            return _day(dt.date(y, int(g["m"]), int(g["d"])))
        if kind in ("md", "dm", "wd_md", "wd_dm"):
            month, day = _month_no(lx, g["mon"]), int(g["d"])
            if y:
                return _day(dt.date(y, month, day))
            if pub is None:
                return None
            found = resolve_month_day(month, day, pub, future)
            return _day(found) if found else None
        if kind == "my":
            return _month(y, _month_no(lx, g["mon"]))
        if kind == "year":
            return _year(y)
    except ValueError:
        return None
    if pub is None:
        return None
    if kind == "m_rel":
        return _month(pub.year + _rel_offset(g["rel"]), _month_no(lx, g["mon"]))
    if kind == "rel_m":
        return _month(*_relative_month(_month_no(lx, g["mon"]), g["rel"].lower(), pub))
    if kind == "month":
        found = resolve_month(_month_no(lx, g["mon"]), pub, future)
        return _month(*found) if found else None
    if kind == "wd":
        return _day(resolve_weekday(lx.weekdays[g["wd"].lower()], pub, future, g.get("rel") or ""))
    if kind == "reld":
        return _day(pub + dt.timedelta(days=lx.relative_days[" ".join(g["word"].lower().split())]))
    if kind == "ago":
        return _ago(_num(lx, g["n"]), g["unit"].lower(), pub)
    if kind == "rel":
        return _shift(g["unit"].lower(), _rel_offset(g["rel"]), pub)
    if kind == "half":
        return _shift(g["unit"].lower(), 0, pub)
    return None


def _relative_month(month: int, rel: str, pub: dt.date) -> tuple[int, int]:
    """ "this September" is in the publication year; "last"/"next" the nearest strictly before
    or after the publication month."""
    if rel == "last":
        return (pub.year if month < pub.month else pub.year - 1), month
    if rel == "next":
        return (pub.year if month > pub.month else pub.year + 1), month
    return pub.year, month


def _shift(unit: str, n: int, pub: dt.date) -> tuple[str, str]:
    if unit == "year":
        return _year(pub.year + n)
    if unit == "month":
        return _month(*add_months(pub.year, pub.month, n))
    return _week(pub + dt.timedelta(weeks=n))


def _ago(n: int | None, unit: str, pub: dt.date) -> tuple[str, str] | None:
    if not n:
        return None
    if unit == "day":
        return _day(pub - dt.timedelta(days=n))
    return _shift(unit, -n, pub)


# ---------------------------------------------------------------- normalise one expression

_LEAD = re.compile(r"^(?:on|in|since|by|until|till|from|at|of|during|before|after)\s+", re.I)


def normalise(text: str, published: dt.date | None, *,
              future: bool | None = None) -> tuple[str, str] | None:
    """(value, granularity) of one temporal expression, or None.

    ``future`` says which way the context points for expressions without a year: True ("will
    meet on Friday"), False (past tense), None (unknown: weekdays look back, month names take the
    nearest). Relative expressions need ``published``; explicit ones do not.

    >>> normalise("Dec. 30", dt.date(2025, 1, 2))
    ('2024-12-30', 'day')
    >>> normalise("two years ago", dt.date(2023, 1, 9))
    ('2021', 'year')
    """
    text = _LEAD.sub("", " ".join(text.split()).rstrip(".,;:")) or text
    text = _capitalise_names(text)
    for kind, rx in patterns():
        m = rx.fullmatch(text)
        if m and kind != "half":
            return value_of(kind, m.groupdict(), published, future)
    _, period_lead, _, day_lead = _modifier_patterns()
    lead = day_lead.match(text)
    if lead and lead.end():
        m = dict(patterns())["wd"].fullmatch(text[lead.end():])
        if m:
            return value_of("wd", {**m.groupdict(), **lead.groupdict()}, published, future)
    lead = period_lead.match(text)
    if lead:
        rest = text[lead.end():]
        for kind, rx in patterns():
            m = rx.fullmatch(rest) if kind in MOD_KINDS else None
            if m:
                return value_of(kind, {**m.groupdict(), "mod": lead["mod"]}, published, future)
    return _dateparser_value(text, published)


def _capitalise_names(text: str) -> str:
    """ "april 22" -> "April 22": the patterns take names as copy writes them."""
    lx = lexicon()
    return re.sub(r"[A-Za-z]+", lambda m: m[0].capitalize()
                  if m[0].lower() in lx.months or m[0].lower() in lx.weekdays else m[0], text)


_EXPLICIT = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _dateparser_value(text: str, published: dt.date | None) -> tuple[str, str] | None:
    """Fallback for explicit dates the table does not know ("2025/05/05", "5.5.2025")."""
    if not _EXPLICIT.search(text) or len(text) > 40:
        return None
    import dateparser  # imported late: loading its language data costs ~0.3 s

    settings = {"PREFER_DAY_OF_MONTH": "first", "RETURN_TIME_AS_PERIOD": True}
    if published:
        settings["RELATIVE_BASE"] = dt.datetime.combine(published, dt.time())
    data = dateparser.date.DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if not data or not data.date_obj:
        return None
    d, period = data.date_obj.date(), data.period
    if period == "day":
        return _day(d)
    if period == "month":
        return _month(d.year, d.month)
    if period == "year":
        return _year(d.year)
    return None


# ---------------------------------------------------------------- context: past or future?

def tense_at(doc: Doc, start: int, end: int, *, scheduled: bool = False) -> bool | None:
    """True when the clause governing the text at [start, end) points ahead, False when it is in
    the past tense, None when the parse does not say.

    ``scheduled``: read the simple present of a verb that does not report speech as the future
    ("voters go to the polls on Sunday"), as news copy does for weekdays; "says on Monday" stays
    unknown.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    lx = lexicon()
    tok = span.root
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in lx.future_prepositions:
        return True
    if before is not None and before.lower_ in lx.past_prepositions:
        return False
    # The few tokens before the span, not doc.text: that property rebuilds the whole text.
    lead = doc[max(0, span.start - 5):span.start].text.lower()
    if any(lead.rstrip().endswith(p) for p in lx.future_phrases):
        return True  # "as soon as Tuesday", "no later than March"
    if tok.dep_ == "pobj" and tok.head.lower_ in lx.future_prepositions:
        return True
    verb = tok
    for _ in range(8):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    tense = _verb_tense(verb, lx, depth=0)
    adverbial = tok.dep_ not in ("poss", "compound", "nmod", "amod")  # not "Sunday's vote"
    if tense is None and scheduled and adverbial and _scheduled_present(verb, lx):
        return True
    return tense


def _scheduled_present(verb: Token, lx: Lexicon) -> bool:
    if verb.tag_ not in ("VBZ", "VBP") or verb.lemma_ in lx.reporting_verbs | {"be", "have"}:
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False  # "is holding", "has met", "are expected" are decided elsewhere
    # Inside reported speech ("said the talks start on Monday") the present is still the
    # present of the report, which the reporting verb's own tense does not change.
    return True


def _pluperfect(verb: Token) -> bool:
    """ "had been due to take effect on Sunday": a plan seen from the past, so not ahead."""
    tok = verb
    for _ in range(4):
        if any(c.dep_ == "aux" and c.lower_ == "had" for c in tok.children):
            return True
        if tok.dep_ not in ("xcomp", "acomp", "conj") or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _verb_tense(verb: Token, lx: Lexicon, depth: int) -> bool | None:
    if depth == 0 and _pluperfect(verb):
        return False
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    counterfactual = any(c.lemma_ == "have" for c in aux)  # "would have expired on Monday"
    if not counterfactual and any(c.lower_ in lx.future_auxiliaries
                                  or c.lemma_ in lx.future_auxiliaries for c in aux):
        return True
    if any(c.dep_ in ("acomp", "oprd", "xcomp") and c.lemma_ in lx.future_cues
           and c.tag_ in ("JJ", "VBN") for c in verb.children):
        return True  # "is due on Sunday", "is set for Friday"
    if verb.lemma_ in lx.future_cues and verb.tag_ in ("VBN", "JJ"):
        return True  # "is expected on Friday", "a payment scheduled for Tuesday"
    if verb.lemma_ in ("postpone", "delay", "defer", "reschedule"):
        return True  # the new date lies ahead whatever the tense
    head = verb.head
    if head.i != verb.i and depth < 3:
        if verb.dep_ == "xcomp" and head.lemma_ in lx.future_control_verbs:
            return True  # "plans to visit on Friday"
        if verb.dep_ == "xcomp" and head.lemma_ == "be" and any(c.lower_ == "to" for c in aux):
            return True  # "is to meet on Friday"
        if verb.dep_ in ("xcomp", "conj"):
            return _verb_tense(head, lx, depth + 1)
    if verb.lemma_ in lx.future_control_verbs and verb.tag_ in ("VBZ", "VBP") and any(
            c.dep_ == "xcomp" for c in verb.children):
        return True  # "plans to hold a news conference on Tuesday"
    if verb.tag_ == "VBD" or any(c.tag_ == "VBD" for c in aux):
        return False
    if verb.tag_ == "VBN" and (not aux or any(c.lemma_ == "have" for c in aux)):
        return False  # "has said on Monday", "data published on Friday"
    return None


# ---------------------------------------------------------------- finding expressions

@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    groups: dict[str, str | None]


# "April and May", "March or April": a month right before a joining word.
_MONTH_LIST = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|"
                         r"October|November|December),?\s+(?:and|or|to|through)\s+$")


def _ok(kind: str, start: int, end: int, g: dict, text: str, lx: Lexicon) -> bool:
    """Filters that need more than the pattern: capitals, ambiguous words, number contexts."""
    for key in ("mon", "wd"):
        word = g.get(key)
        if word and not word[0].isupper():
            return False  # "march" the verb, "may" the modal, "sunday" in a URL
    if kind == "month":
        word = g["mon"].rstrip(".").lower()
        if word in ("may", "march") and not g.get("mod"):
            # Both are verbs and names too: take them after a preposition only ("in May").
            prev = text[max(0, start - 12):start].split()[-1:] or [""]
            if prev[0].lower() not in ("in", "since", "until", "till", "by", "from", "of",
                                       "through", "early", "late", "mid", "last", "next", "this",
                                       "before", "after", "during") and not _MONTH_LIST.search(
                                           text[max(0, start - 20):start]):
                return False
    before = text[max(0, start - 12):start].split()
    prev = before[-1] if before else ""
    if kind == "wd":
        if prev.lower() in ("every", "each", "a", "any") or prev in lx.named_day_words:
            return False  # a set ("every Monday") or a feast ("Good Friday")
    if kind == "reld" and g["word"].lower().startswith("the day"):
        # "the day before" alone is a date; "the day before the vote" hangs on another event.
        if not re.match(r"\s*(?:[.,;:!?)]|$|and\b|but\b|when\b)", text[end:end + 8]):
            return False
    if kind == "year":
        after = text[end:end + 12].lower()
        if re.match(r"\s*(%|percent|per cent|gmt|utc|hours|hrs|local time|[a-z]*metres|km)", after):
            return False
    return True


def _candidates(text: str) -> tuple[list[_Cand], list[tuple[int, int]]]:
    """Non-overlapping pattern matches, and the ranges of the ones the filters turned down."""
    lx = lexicon()
    found: list[tuple[int, int, int, dict, str]] = []
    rejected: list[tuple[int, int]] = []
    before, _, before_day, _ = _modifier_patterns()
    for prio, (kind, rx) in enumerate(patterns()):
        for m in rx.finditer(text):
            start, end, g = m.start(), m.end(), m.groupdict()
            if kind in MOD_KINDS:
                mod = before.search(text, max(0, start - 30), start)
                if mod:
                    start, g = mod.start(), {**g, "mod": mod["mod"]}
                elif kind == "half":
                    continue
            elif kind == "wd":
                mod = before_day.search(text, max(0, start - 40), start)
                if mod and mod.start() < start:
                    start, g = mod.start(), {**g, **mod.groupdict()}
            if _ok(kind, start, end, g, text, lx):
                found.append((start, end, prio, g, kind))
            else:
                rejected.append((start, end))
    # Longest first, then leftmost, then table order; keep the ones that do not overlap.
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0], f[2]))
    taken: list[_Cand] = []
    for start, end, _, g, kind in found:
        if all(end <= c.start or start >= c.end for c in taken):
            taken.append(_Cand(start, end, kind, g))
    return sorted(taken, key=lambda c: c.start), rejected


def _bad_year(doc: Doc, cand: _Cand) -> bool:
    """A four-digit number that counts things ("1900 soldiers") or is part of a name."""
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None:
        return False
    last = span[-1]
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if nxt is not None and nxt.tag_ == "NNS" and last.dep_ == "nummod":
        return True
    return any(t.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "PRODUCT") for t in span)


def _in_person(doc: Doc, cand: _Cand) -> bool:
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    return span is not None and any(t.ent_type_ in ("PERSON", "ORG", "WORK_OF_ART")
                                    for t in span)


def find_dates(doc: Doc) -> list[TimeExpr]:
    """Every temporal expression in ``doc`` (each mention), in text order.

    Relative expressions are skipped when the publication date is unknown.
    """
    pub = published_of(doc)
    text = _attrs.text(doc)  # Doc.text joins every token on each access
    out: list[TimeExpr] = []
    cands, rejected = _candidates(text)
    for cand in cands:
        if cand.kind == "year" and _bad_year(doc, cand):
            continue
        if cand.kind in ("month", "wd") and _in_person(doc, cand):
            continue
        future = (tense_at(doc, cand.start, cand.end, scheduled=cand.kind == "wd")
                  if _needs_tense(cand) and pub else None)
        if cand.kind == "reld" and cand.groups["word"].lower() in lexicon().tensed_only:
            # "said today" is the publication day; "Europe today faces ..." means nowadays.
            if text[cand.end:cand.end + 2] in ("'s", "\u2019s") or (
                    pub and tense_at(doc, cand.start, cand.end) is None):
                continue
        value = value_of(cand.kind, cand.groups, pub, future)
        if value and future is False and cand.kind in ("md", "dm") and not cand.groups.get("y") \
                and value[0] > (pub + dt.timedelta(days=7)).isoformat() \
                and _dates_past_verb(doc, cand):  # a few days ahead: more likely a slip
            value = (f"{int(value[0][:4]) - 1}{value[0][4:]}", value[1])
        if value:
            out.append(TimeExpr(text[cand.start:cand.end], cand.start, cand.end, *value))
    covered = [(c.start, c.end) for c in cands] + rejected
    out.extend(_from_entities(doc, covered, pub))
    return sorted(out, key=lambda t: t.start)


def _dates_past_verb(doc: Doc, cand: _Cand) -> bool:
    """Does the day say when a past-tense act itself happened ("were killed on February 5"),
    not when something it names is due ("congratulated him ahead of the celebrations on May
    9")? Then it cannot lie after publication: it is last year's."""
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    tok = span.root  # "on February 5" only: a bare date may be what was set ("set Nov. 10 as")
    return tok.dep_ == "pobj" and tok.head.lower_ == "on" and tok.head.head.pos_ in ("VERB", "AUX")


def _needs_tense(cand: _Cand) -> bool:
    return cand.kind in ("md", "dm", "wd_md", "wd_dm", "month", "wd") and not cand.groups.get("y")


def _from_entities(doc: Doc, covered: list[tuple[int, int]],
                   pub: dt.date | None) -> list[TimeExpr]:
    """spaCy DATE entities that no pattern matched (taken or turned down), when the normaliser
    can read them whole."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        if any(ent.start_char < end and start < ent.end_char for start, end in covered):
            continue
        value = normalise(ent.text, pub,
                          future=tense_at(doc, ent.start_char, ent.end_char) if pub else None)
        if value:
            out.append(TimeExpr(ent.text, ent.start_char, ent.end_char, *value))
    return out


def distinct(exprs: list[TimeExpr]) -> list[TimeExpr]:
    """The first mention of each (wording, value) pair: "on Monday ... Monday's attack" is one."""
    seen: set[tuple[str, str]] = set()
    out = []
    for t in exprs:
        key = (" ".join(t.text.lower().split()), t.value)
        if key not in seen:
            seen.add(key)
            out.append(t)
    return out


def all_dates(doc: Doc) -> list[TimeExpr]:
    """Every mention, each valued in its own clause (``doc._.nl_dates`` lists each distinct
    expression once). Computed by the component; recomputed for a doc it did not see."""
    exprs = doc.user_data.get(ALL_KEY)
    if exprs is None:
        exprs = find_dates(doc)
        doc.user_data[ALL_KEY] = exprs
    return exprs


def date_of_span(doc: Doc, start_char: int, end_char: int) -> TimeExpr | None:
    """The date expression inside [start_char, end_char): the most precise one, then the first.

    Works on every mention (not only the distinct ones in ``doc._.nl_dates``), so an event's
    sentence finds "Monday" even when an earlier sentence already said "Monday".
    """
    exprs = all_dates(doc)
    inside = [t for t in exprs if t.start >= start_char and t.end <= end_char]
    if not inside:
        return None
    return min(inside, key=lambda t: (GRAIN_RANK.get(t.granularity, 9), t.start))


@Language.factory("newsledger_dates")
def make_component(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    def component(doc: Doc) -> Doc:
        exprs = find_dates(doc)
        doc.user_data[ALL_KEY] = exprs
        doc._.nl_dates = distinct(exprs)
        return doc
    return component

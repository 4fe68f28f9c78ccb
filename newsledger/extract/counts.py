"""Casualty, arrest, displacement and crowd-size counts in a sentence or clause.

A plain module (no pipeline component): the events stage calls :func:`counts_in` on the
sentence of an event.

>>> counts_in_text("At least 12 people were killed and 30 injured.").dead
12
>>> counts_in_text("Tens of thousands of demonstrators marched.").size
20000

Conventions for vague quantities (the least the words can mean, so figures are lower bounds and
never inflate a total): "a dozen" = 12, "dozens" = 24, "scores" = 40, "hundreds" = 200,
"thousands" = 2,000, "tens of thousands" = 20,000, "hundreds of thousands" = 200,000,
"millions" = 2,000,000, "several" = 3. Such values are flagged ``approximate``, as are numbers
after "about", "nearly", "at least" and the like. When a clause gives several figures of one
kind ("killed 26 ... the toll rose to 30"), the largest is kept: tolls are revised upwards.
Two groups joined by "and" are added up ("killed two soldiers and three civilians" = 5).

Not counts: ages ("26-year-old"), durations ("12 years of war"), magnitudes ("7.8 magnitude"),
units ("10 provinces", "5 km"), dates, times, money and percentages.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from newsledger.model import Span

KINDS = ("dead", "injured", "arrested", "displaced", "size")
MIN_CROWD = 10  # "a fight joined by", "two men gathered": no crowd

SMALL = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
         "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
         "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1}
SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
         "dozen": 12, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000, "k": 1_000}
VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000,
         "several": 3, "tens of thousands": 20_000, "hundreds of thousands": 200_000,
         "dozens of thousands": 24_000, "tens of millions": 20_000_000}
QUALIFIER = (r"(?:all|at\s+least|more\s+than|over|nearly|almost|about|around|some|up\s+to|"
             r"as\s+many\s+as|an\s+estimated|roughly|approximately|close\s+to|fewer\s+than|"
             r"less\s+than|well\s+over|upwards\s+of|at\s+most)")

_WORD = r"(?:" + "|".join(sorted((w for w in SMALL if len(w) > 2), key=len, reverse=True)) + r")"
_WORDNUM = (rf"(?:(?:a|an|{_WORD})(?:[\s-]+(?:and\s+)?(?:{_WORD}|hundred|thousand|million|"
            rf"billion|dozen))*)")
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:million|billion|thousand|hundred|mn|bn|m|k)\b)?"
_VAGUE = r"(?:tens\s+of\s+thousands|hundreds\s+of\s+thousands|dozens\s+of\s+thousands|" \
         r"tens\s+of\s+millions|dozens|scores|hundreds|thousands|millions|several)"
NUM = rf"(?:{QUALIFIER}\s+)?(?P<num>{_DIGITS}|{_VAGUE}|{_WORDNUM})"
NUM2 = rf"(?:{QUALIFIER}\s+)?(?P<num2>{_DIGITS}|{_WORDNUM})"  # the second of two added figures

# Words that may sit between a number and its verb: who was counted.
PEOPLE = (r"(?:people|persons|civilians|soldiers|troops|militants|fighters|rebels|insurgents|"
          r"policemen|police\s+officers|officers|police|children|women|men|students|workers|"
          r"protesters|protestors|demonstrators|rioters|marchers|pilgrims|tourists|villagers|"
          r"residents|migrants|refugees|passengers|worshippers|journalists|activists|"
          r"supporters|members|personnel|servicemen|soldier|person|man|woman|child|"
          r"officer|policeman|civilian|militant|fighter|others|of\s+them|individuals|"
          r"Palestinians|Israelis|Ukrainians|Russians|Indians|Pakistanis|Afghans|Syrians|"
          r"Iraqis|Americans|Sudanese|Yemenis|Somalis|Nigerians|Congolese|Lebanese|"
          r"terrorists|gunmen|attackers|assailants|suspects|hostages|miners|crew|sailors|"
          r"peacekeepers|guards|bystanders|victims|jihadists|extremists|separatists|guerrillas|"
          r"prisoners|inmates|detainees|farmers|pupils|teachers|doctors|patients|"
          r"employees|staff|nationals|citizens|settlers|Taliban|Kurds|Rohingya|Uyghurs|"
          r"of\s+(?:the\s+)?(?:people|victims|dead|them|those|whom)|"
          r"journalist|activist|student|worker|tourist|protester|lawmaker|suspect|teenager|"
          r"boy|girl|resident|farmer|doctor|nurse|teacher|pilot|driver|guard|judge|priest|"
          r"politician|leader|commander|member|citizen|national|refugee|migrant|villager|"
          r"passenger|scientist|worshipper|pilgrim|hostage|prisoner|baby|infant)")
# "two Indian soldiers", "12 unarmed civilians": up to two words before who was counted, but
# never "of"/"and" ("millions of dogs", "rescued 190 passengers and killed 30")
PEOPLE_RE = re.compile(rf"\b{PEOPLE}\b", re.I)
ADJ = r"(?:(?!(?:of|and|or|but|who|whom|which|were|was|are|is|had|have|has|in|on|at)\b)" \
      r"[A-Za-z]+\s+){0,2}"
AUX = r"(?:(?:were|was|are|is|have\s+been|has\s+been|had\s+been|got|reportedly|also|later|" \
      r"allegedly|been|being)\s+){0,3}"

DEAD_PASSIVE = (r"(?:killed|dead|died|slain|shot\s+dead|killed\s+outright|massacred|executed|"
                r"perished|murdered|lost\s+their\s+lives|have\s+died|feared\s+dead|confirmed\s+dead|"
                r"beheaded|burned\s+to\s+death|drowned|lynched)")
DEAD_ACTIVE = r"(?:killed|killing|kills|kill|massacred|executing|executed|slaughtered)"
INJ_PASSIVE = r"(?:injured|wounded|hurt|hospitali[sz]ed|maimed)"
INJ_ACTIVE = r"(?:wounding|wounded|injuring|injured|injures|wounds|hurting|hurt|maiming)"
ARR_PASSIVE = (r"(?:arrested|detained|held\s+in\s+custody|jailed|taken\s+into\s+custody|rounded\s+up|"
               r"apprehended|imprisoned|picked\s+up|nabbed)")
ARR_ACTIVE = r"(?:arrested|arresting|arrests|detained|detaining|detains|rounded\s+up|jailed|nabbed)"
DIS_PASSIVE = (r"(?:displaced|uprooted|evacuated|made\s+homeless|left\s+homeless|"
               r"forced\s+(?:to\s+flee|from\s+their\s+homes)|fled(?:\s+their\s+homes)?)")
DIS_ACTIVE = r"(?:displacing|displaced|uprooting|uprooted|forcing)"
CROWD = r"(?:protesters|protestors|demonstrators|rioters|marchers|supporters|mourners|strikers)"
GATHER = (r"(?:gathered|marched|rallied|protested|demonstrated|took\s+to\s+the\s+streets|"
          r"joined|assembled|converged|massed|turned\s+out|poured\s+into|filled|thronged|"
          r"blocked|staged|chanted|clashed|rioted)")
# ", including a Nepali national," between the counted people and their verb
ASIDE = r"\s*(?:,|\u2014|--)\s*(?:including|among\s+them|most\s+of\s+them|mostly|many\s+of\s+them)" \
        r"[^,.;\u2014]{1,60}(?:,|\u2014|--)\s*"
TAIL = r"(?=[\s.,;:!?)\"'\u201d]|$)"

PATTERNS: list[tuple[str, re.Pattern]] = [(kind, re.compile(p, re.I)) for kind, p in [
    ("dead", rf"\b{NUM}\s+{ADJ}(?:(?:of\s+)?{PEOPLE}\s+)?{AUX}{DEAD_PASSIVE}{TAIL}"),
    ("dead", rf"\b{NUM}\s+{ADJ}(?:of\s+)?{PEOPLE}{ASIDE}{AUX}{DEAD_PASSIVE}{TAIL}"),
    ("dead", rf"\b{DEAD_ACTIVE}\s+{NUM}(?:\s+{ADJ}{PEOPLE})?{TAIL}"),
    # "killed two soldiers and three civilians", "two soldiers and three civilians were killed"
    ("dead", rf"\b{DEAD_ACTIVE}\s+{NUM}\s+{ADJ}{PEOPLE}\s+and\s+{NUM2}\s+{ADJ}{PEOPLE}{TAIL}"),
    ("dead", rf"\b{NUM}\s+{ADJ}{PEOPLE}\s+and\s+{NUM2}\s+{ADJ}{PEOPLE}\s+{AUX}{DEAD_PASSIVE}"
             rf"{TAIL}"),
    ("dead", rf"\b(?:death\s+toll|toll|number\s+of\s+(?:dead|deaths|people\s+killed)|"
             rf"fatalities|deaths|dead)\s+(?:has\s+|had\s+|now\s+)?(?:rose|risen|rises|climbed|"
             rf"climbs|reached|reaches|stood|stands|topped|tops|hit|hits|passed|passes|"
             rf"exceeded|exceeds|surpassed|surged|jumped|increased|is|was|of|at|to)"
             rf"(?:\s+(?:to|at))?\s+{NUM}{TAIL}"),
    ("dead", rf"\b{NUM}\s+(?:lives|deaths|fatalities|dead|bodies)\b"),
    ("dead", rf"\b(?:lives|deaths|killing|killings)\s+of\s+{NUM}(?:\s+{ADJ}{PEOPLE})?{TAIL}"),
    ("dead", rf"\b(?:left|leaving|leaves|leave)\s+{NUM}\s+(?:{ADJ}{PEOPLE}\s+)?dead\b"),
    ("injured", rf"\b{NUM}\s+{ADJ}(?:(?:of\s+)?{PEOPLE}\s+)?{AUX}{INJ_PASSIVE}{TAIL}"),
    ("injured", rf"\b{NUM}\s+{ADJ}(?:of\s+)?{PEOPLE}{ASIDE}{AUX}{INJ_PASSIVE}{TAIL}"),
    ("injured", rf"\b{INJ_ACTIVE}\s+(?:at\s+least\s+|another\s+|more\s+than\s+)?{NUM}"
                rf"(?:\s+{ADJ}{PEOPLE})?{TAIL}"),
    ("injured", rf"\b{NUM}\s+(?:injuries|wounded|injured)\b"),
    ("arrested", rf"\b{NUM}\s+{ADJ}(?:(?:of\s+)?{PEOPLE}\s+)?{AUX}{ARR_PASSIVE}{TAIL}"),
    ("arrested", rf"\b{NUM}\s+{ADJ}(?:of\s+)?{PEOPLE}{ASIDE}{AUX}{ARR_PASSIVE}{TAIL}"),
    ("arrested", rf"\b{ARR_ACTIVE}\s+{NUM}(?:\s+{ADJ}{PEOPLE})?{TAIL}"),
    ("arrested", rf"\b{NUM}\s+(?:arrests|detentions|detainees)\b"),
    ("arrested", rf"\b(?:arrests?|detention)\s+of\s+{NUM}(?:\s+{ADJ}{PEOPLE})?{TAIL}"),
    ("displaced", rf"\b{NUM}\s+{ADJ}(?:(?:of\s+)?{PEOPLE}\s+)?{AUX}{DIS_PASSIVE}{TAIL}"),
    ("displaced", rf"\b{DIS_ACTIVE}\s+{NUM}(?:\s+{ADJ}{PEOPLE})?{TAIL}"),
    ("displaced", rf"\b{NUM}\s+(?:displaced|internally\s+displaced|refugees|evacuees)\b"),
    ("size", rf"\b{NUM}\s+(?:of\s+)?{ADJ}{CROWD}\b"),
    ("size", rf"\b(?:crowds?|rally|rallies|march|marches|protest|protests|demonstration|"
             rf"demonstrations|gathering|procession|turnout)\s+(?:of|(?:estimated|numbering|"
             rf"put)\s+at)\s+{NUM}(?:\s+{ADJ}{PEOPLE})?{TAIL}"),
    ("size", rf"\b{NUM}\s+{ADJ}(?:{PEOPLE}\s+)?{GATHER}\b"),
    ("size", rf"\b(?:drew|drawing|attracted|brought\s+out|mobili[sz]ed)\s+{NUM}"
             rf"(?:\s+{ADJ}{PEOPLE})?{TAIL}"),
]]

# Most patterns open with a number. Tried at every position, their long alternations were most
# of this module's time; the places where a number (or its qualifier) can start are found once
# per text, and those patterns are tried there only.
NUM_START = re.compile(rf"\b(?=(?:{QUALIFIER}\s+)?(?:{_DIGITS}|{_VAGUE}|{_WORDNUM}))", re.I)
NUM_FIRST = frozenset(p for _, p in PATTERNS if p.pattern.startswith(rf"\b{NUM}"))


def _matches(pattern: re.Pattern, text: str, starts: list[int]) -> Iterator[re.Match]:
    """``pattern.finditer(text)`` for a pattern that can only match at ``starts``."""
    if pattern not in NUM_FIRST:
        yield from pattern.finditer(text)
        return
    end = 0
    for pos in starts:
        if pos >= end and (m := pattern.match(text, pos)):
            yield m
            end = m.end()


# What follows a number that makes it no count.
NOT_COUNT_AFTER = re.compile(
    r"\s*(?:-|\s)?(?:year|years|yr|month|months|week|weeks|day|days|hour|hours|minute|minutes|"
    r"decade|decades|century|magnitude|richter|provinces|province|states|districts|villages|"
    r"towns|cities|countries|nations|km|kilometres|kilometers|miles|metres|meters|feet|percent|"
    r"per\s+cent|%|points|degrees|tons|tonnes|dollars|euros|rupees|pounds|yuan|rounds|times|"
    r"am|pm|a\.m\.|p\.m\.|o'clock|january|february|march|april|may|june|july|august|"
    r"september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b",
    re.I)
MONEY_BEFORE = re.compile(r"(?:[$€£¥₹]|rs\.?|usd|eur|inr)\s*$", re.I)


@dataclass
class Count:
    """One figure found in the text."""

    kind: str
    value: int
    text: str  # the number as written ("at least 12", "tens of thousands")
    start: int
    end: int
    approximate: bool = False
    evidence: Span | None = None  # the whole phrase the figure was read from


@dataclass
class Counts:
    """The figures of one clause or sentence; ``None`` where the text gives none."""

    dead: int | None = None
    injured: int | None = None
    arrested: int | None = None
    displaced: int | None = None
    size: int | None = None
    evidence: dict[str, Count] = field(default_factory=dict)  # kind -> the figure kept
    found: list[Count] = field(default_factory=list)  # every figure read, in text order

    def __bool__(self) -> bool:
        return any(getattr(self, k) is not None for k in KINDS)


def parse_number(text: str) -> tuple[int, bool] | None:
    """'twenty-six' -> (26, False); '1.2 million' -> (1200000, False); 'dozens' -> (24, True)."""
    t = re.sub(r"\s+", " ", text.strip().lower())
    m = re.match(QUALIFIER + r"\s+", t)
    approx = bool(m) and not m.group(0).startswith("all")
    t = t[m.end():] if m else t
    if t in VAGUE:
        return VAGUE[t], True
    if t == "a dozen":
        return 12, approx
    m = re.fullmatch(r"([\d,]+(?:\.\d+)?)\s*([a-z]+)?", t)
    if m:
        base = float(m.group(1).replace(",", ""))
        scale = SCALE.get(m.group(2) or "", 1) if m.group(2) else 1
        if m.group(2) and m.group(2) not in SCALE:
            return None
        return int(round(base * scale)), approx
    return _parse_words(t, approx)


def _parse_words(t: str, approx: bool) -> tuple[int, bool] | None:
    total, current = 0, 0
    seen = False
    for word in re.split(r"[\s-]+", t):
        if word == "and":
            continue
        if word in SMALL:
            current += SMALL[word]
            seen = True
        elif word in ("hundred", "dozen"):
            current = max(current, 1) * SCALE[word]
            seen = True
        elif word in SCALE:
            total += max(current, 1) * SCALE[word]
            current = 0
            seen = True
        else:
            return None
    return (total + current, approx) if seen else None


def _is_trap(text: str, num_start: int, num_end: int) -> bool:
    after = text[num_end:num_end + 24]
    if NOT_COUNT_AFTER.match(after):
        return True
    if MONEY_BEFORE.search(text[max(0, num_start - 5):num_start]):
        return True
    # "the 1990s", "in 2019", "May 5": years and days of months are no counts
    raw = text[num_start:num_end]
    if re.fullmatch(r"(1[89]|20)\d\d", raw) and not re.match(r"\s+(?:people|protesters|"
                                                              r"demonstrators)", after):
        return True
    before = text[max(0, num_start - 12):num_start].lower()
    return bool(re.search(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+$",
                          before))


def counts_in_text(text: str, offset: int = 0) -> Counts:
    """Counts in a piece of plain text; offsets are shifted by ``offset`` (its doc position)."""
    found: list[Count] = []
    taken: list[tuple[int, int, str]] = []
    starts = [m.start() for m in NUM_START.finditer(text)]
    for kind, pattern in PATTERNS:
        for m in _matches(pattern, text, starts):
            s, e = m.span("num")
            if m.re.groupindex.get("num2") and m.group("num2"):
                e = m.end("num2")
            if any(ts == s and te == e and tk == kind for ts, te, tk in taken):
                continue
            if _is_trap(text, s, m.end("num")):
                continue
            num_text_start = _qualifier_start(text, s)
            parsed = parse_number(text[num_text_start:m.end("num")])
            if parsed is None or parsed[0] <= 0 or _negated(text, num_text_start):
                continue
            if kind == "size" and (parsed[0] < MIN_CROWD or m.group("num").lower() == "several"):
                continue
            if m.group("num").lower() in ("a", "an") and not PEOPLE_RE.search(text, e, m.end()):
                continue  # "a suicide bomber killed...", "a fight joined by": no one counted
            value, approx = parsed
            if m.re.groupindex.get("num2") and m.group("num2"):
                second = parse_number(text[_qualifier_start(text, m.start("num2")):m.end("num2")])
                if second is None:
                    continue
                value, approx = value + second[0], approx or second[1]
            taken.append((s, e, kind))
            found.append(Count(kind, value, text[num_text_start:e], num_text_start + offset,
                               e + offset, approx,
                               Span(m.group(0), m.start() + offset, m.end() + offset)))
    return _combine(_drop_shadowed(found))


def _negated(text: str, start: int) -> bool:
    """'No one was killed', 'not a single person was hurt'."""
    return bool(re.search(r"\b(?:no|not|none|nobody)\s+(?:a\s+single\s+)?$",
                          text[max(0, start - 18):start], re.I))


def _qualifier_start(text: str, num_start: int) -> int:
    m = re.search(QUALIFIER + r"\s+$", text[max(0, num_start - 24):num_start], re.I)
    return num_start - len(m.group(0)) if m else num_start


def _drop_shadowed(found: list[Count]) -> list[Count]:
    """A number read as a crowd is no crowd when it is also dead, hurt or arrested."""
    casualty = {(c.start, c.end) for c in found if c.kind != "size"}
    return [c for c in found if c.kind != "size" or (c.start, c.end) not in casualty]


def _combine(found: list[Count]) -> Counts:
    result = Counts(found=sorted(found, key=lambda c: (c.start, KINDS.index(c.kind))))
    for c in result.found:
        best = result.evidence.get(c.kind)
        if best is None or c.value > best.value:
            result.evidence[c.kind] = c
            setattr(result, c.kind, c.value)
    return result


def counts_in(span) -> Counts:
    """Counts in a spaCy ``Span`` or ``Doc`` (offsets point into ``doc.text``)."""
    offset = getattr(span, "start_char", 0)
    return counts_in_text(span.text, offset)


def find_counts(obj, offset: int = 0) -> Counts:
    """Counts in a string, a spaCy ``Span`` or a ``Doc``: whichever the caller has at hand."""
    if isinstance(obj, str):
        return counts_in_text(obj, offset)
    return counts_in(obj)

"""Offline geocoding of toponyms with a bundled GeoNames gazetteer.

Mentions come from spaCy GPE/LOC/FAC entities plus a dictionary scan for names NER misses
("Jammu and Kashmir", which the small model splits in two). Each mention is resolved by ranking
its gazetteer candidates on:

1. an explicit container in the text: "Paris, Texas", "Pahalgam in Jammu and Kashmir",
   "Indian-administered Kashmir";
2. the article's country context: countries of ``doc._.nl_actors`` when the actor stage ran, else
   country names, nationality words and unambiguous places in the article (a mention never
   counts as context for its own name, so "Georgia" cannot vote for itself);
3. feature, size and fame: a country name is the country (never a town named like it), a city
   beats a same-named admin1 unit of its own country ("Washington", "New York"), larger and
   better-known places beat smaller ones (``_base_score``).

>>> geocode("Pahalgam").country
'IND'
>>> geocode("Paris", within="Texas").admin1
'Texas'
>>> geocode("Georgia", context=["USA"]).feature
'admin1'

Data lives in ``newsledger/data/places``: ``gazetteer.tsv.gz`` (built by
``scripts/build_gazetteer.py``) and the hand-edited ``country_aliases.tsv``,
``admin1_aliases.tsv``, ``regions.tsv``, ``city_aliases.tsv``, ``demonyms.tsv`` and
``stopnames.txt``. Everything loads lazily, once per process (~0.3 s).
"""
from __future__ import annotations

import gc
import gzip
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from newsledger.extract import doc as _attrs  # noqa: F401  registers doc._.nl_*
from newsledger.model import Place

DATA = Path(__file__).resolve().parents[1] / "data" / "places"
PLACE_LABELS = {"GPE", "LOC", "FAC"}
BLOCKING_LABELS = {"PERSON", "ORG", "NORP", "DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL",
                   "QUANTITY", "PERCENT", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT", "LANGUAGE"}
SCAN_MIN_CITY_POP = 100_000  # the dictionary scan (no NER support) only trusts sizeable cities
SPECIFICITY = {"city": 3, "admin1": 2, "region": 1, "country": 0}
CONNECTORS = {"and", "of", "de", "del", "al", "el", "la", "le", "du", "des", "da", "do", "upon",
              "on", "the", "-"}
FEATURE_WORDS = {"city": "city", "town": "city", "village": "city", "province": "admin1",
                 "state": "admin1", "region": "admin1", "oblast": "admin1",
                 "governorate": "admin1", "district": "admin1", "county": "admin1",
                 "prefecture": "admin1"}


@dataclass(frozen=True)
class Entry:
    """One gazetteer record."""

    feature: str  # country | admin1 | city | region
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    geonameid: int | None
    capital: bool = False
    names: int = 0  # GeoNames alternate-name count: how well known the place is
    countries: tuple[str, ...] = ()  # regions spanning several countries


class Gazetteer:
    """Names -> entries. Gazetteer rows are parsed into ``Entry`` only when looked up."""

    def __init__(self) -> None:
        self._rows: list[str | Entry] = []
        self.index: dict[str, list[int]] = {}  # key -> rows (~row for an alias)
        self.demonyms: dict[str, str] = {}  # key -> ISO3
        self.stopnames: set[str] = set()
        self.country_of: dict[str, int] = {}  # ISO3 -> row of the country
        self.admin1_of: dict[tuple[str, str], int] = {}  # (ISO3, admin1 name) -> row

    def entry(self, i: int) -> Entry:
        row = self._rows[i]
        if isinstance(row, Entry):
            return row
        gid, feature, name, iso3, admin1, lat, lon, pop, capital, names = row.split("\t", 10)[:10]
        entry = Entry(feature, name, iso3 or None, admin1 or None, float(lat) if lat else None,
                      float(lon) if lon else None, int(pop or 0), int(gid) if gid else None,
                      capital == "1", int(names or 0))
        self._rows[i] = entry
        return entry

    def add_key(self, k: str, i: int, exact: bool) -> None:
        bucket = self.index.setdefault(k, [])
        if i not in bucket and ~i not in bucket:
            bucket.append(i if exact else ~i)

    def lookup(self, k: str) -> list[tuple[int, bool]]:
        """[(row, exact name?)] for a key; aliases are stored as ~row to keep loading cheap."""
        return [(i, True) if i >= 0 else (~i, False) for i in self.index.get(k, ())]

    def load_rows(self, text: str) -> None:
        index = self.index
        rows = self._rows
        for line in text.split("\n"):
            if not line:
                continue
            i = len(rows)
            rows.append(line)
            keys = line[line.rindex("\t") + 1:].split("|")
            index.setdefault(keys[0], []).append(i)
            for k in keys[1:]:
                index.setdefault(k, []).append(~i)
            if "\tcity\t" not in line:
                e = self.entry(i)
                if e.feature == "country":
                    self.country_of[e.country] = i
                else:
                    self.admin1_of[(e.country, e.admin1)] = i

    def add_entry(self, entry: Entry, names: list[str]) -> None:
        i = len(self._rows)
        self._rows.append(entry)
        for name in names:
            if key(name):
                self.add_key(key(name), i, True)

    @property
    def max_words(self) -> int:
        return 6


@lru_cache(maxsize=65536)  # a pure function called for every mention against every vote
def key(text: str) -> str:
    """Normalise a name for lookup: 'the U.S.' -> 'us', 'Khān Yūnis' -> 'khan yunis'."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").replace("\u02bc", "'"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"['\u02bf.]", "", text)
    text = re.sub(r"[-\s,]+", " ", text).strip()
    text = re.sub(r"(?<![^ ])el(?= )", "al", text)  # Arabic article: "Deir el-Balah" = "Deir al-Balah"
    return text[4:] if text.startswith("the ") else text


def _rows(name: str) -> list[list[str]]:
    with open(DATA / name, encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh
                if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Load the gazetteer once per process (~0.3 s)."""
    gz = Gazetteer()
    # one-shot decompression: about twice as fast as reading through gzip.open(..., "rt")
    text = gzip.decompress((DATA / "gazetteer.tsv.gz").read_bytes()).decode("utf-8")
    gc.disable()  # ~150k small lists: the cyclic collector would rescan them many times
    try:
        gz.load_rows(text[text.index("\n") + 1:])
    finally:
        gc.enable()
    for iso3, names in _rows("country_aliases.tsv"):
        for name in names.split("|"):
            if key(name):
                gz.add_key(key(name), gz.country_of[iso3], True)
    for iso3, name, aliases in _rows("admin1_aliases.tsv"):
        row = gz.admin1_of.get((iso3, name))
        for alias in aliases.split("|") if row is not None else ():
            gz.add_key(key(alias), row, True)
    for landmark, city, iso3 in _rows("city_aliases.tsv"):
        rows = [i for i, exact in gz.lookup(key(city)) if gz.entry(i).country == iso3]
        if rows:
            gz.add_key(key(landmark), rows[0], True)
    for name, countries, lat, lon, *rest in _rows("regions.tsv"):
        codes = tuple(c for c in countries.split("|") if c)
        entry = Entry("region", name, codes[0] if codes else None, None, float(lat), float(lon),
                      0, None, False, 0, codes)
        gz.add_entry(entry, [name, *(rest[0].split("|") if rest and rest[0] else [])])
    for iso3, words in _rows("demonyms.tsv"):
        for word in words.split("|"):
            gz.demonyms[key(word)] = iso3
            gz.demonyms[key(word) + "s"] = iso3
    gz.stopnames = {key(r[0]) for r in _rows("stopnames.txt")}
    return gz


# ------------------------------------------------------------------ ranking


def _base_score(e: Entry, exact: bool) -> float:
    """Prior of a reading before context, from size and fame. The scale is set so that:

    - a country name beats any province elsewhere without context (20 vs <= 19.6), and towns
      never compete with it (``_prune``); a province in the article's main country can beat a
      country ("Georgia" in a US story, 18.1 + 4);
    - a well-known city beats a small namesake in the context country ("Geneva" stays in
      Switzerland in a US story; "Paris, Texas" needs its container), fame being GeoNames'
      count of alternate names (Geneva CH 60, Geneva IL 11);
    - a primary name beats an alternate one ("Victoria" is the Australian state, not an old
      name of Hong Kong).
    """
    if e.feature == "country":
        return 20.0
    if e.feature == "region":
        return 18.0
    pop = 1.2 * math.log10(max(e.population, 1))
    if e.feature == "admin1":  # no alternate-name counts for admin1: a flat, average fame
        # its other names are short forms ("Borno" for "Borno State"), not foreign spellings
        return 3.0 + pop + 7.0 - (0.0 if exact else 2.0)
    score = 1.0 + pop + 1.5 * math.log2(1 + e.names) + (2.0 if e.capital else 0.0)
    return score if exact else score - 5.0


def _context_bonus(country: str | None, context: list[str]) -> float:
    if country is None or country not in context:
        return 0.0
    return 4.0 / (1.0 + 0.5 * context.index(country))


def _candidates(k: str, want: str | None = None) -> list[tuple[Entry, bool]]:
    gz = gazetteer()
    found = [(gz.entry(i), exact) for i, exact in gz.lookup(k)]
    if want:
        preferred = [c for c in found if c[0].feature == want]
        found = preferred or found
    return found


def _prune(cands: list[tuple[Entry, bool]]) -> list[tuple[Entry, bool]]:
    """Apply the readings that hold whatever the context."""
    countries = {e.country for e, _ in cands if e.feature == "country"}
    # "Mexico", "Luxembourg": a country name beats its own towns and provinces; "Jordan",
    # "Lebanon": and any town elsewhere (only a province may compete: "Georgia")
    if countries:
        cands = [c for c in cands if c[0].feature == "country"
                 or (c[0].feature != "city" and c[0].country not in countries)]
    cities = {e.country for e, _ in cands if e.feature == "city" and e.population >= 100_000}
    # "Washington", "Delhi": the city beats a same-named admin1 unit of its own country
    return [c for c in cands if c[0].feature != "admin1" or c[0].country not in cities]


def _within_filter(cands: list[tuple[Entry, bool]], within: Entry) -> list[tuple[Entry, bool]]:
    if within.feature == "country":
        return [c for c in cands if c[0].country == within.country and c[0].feature != "country"]
    if within.feature == "admin1":
        return [c for c in cands if c[0].country == within.country
                and c[0].admin1 == within.admin1 and c[0].feature == "city"]
    if within.countries:
        return [c for c in cands if c[0].country in within.countries]
    return []


def _split_feature_word(k: str) -> tuple[str, str | None]:
    """'kharkiv region' -> ('kharkiv', 'admin1'); 'gaza city' -> ('gaza', 'city')."""
    head, _, last = k.rpartition(" ")
    if head and last in FEATURE_WORDS:
        return head, FEATURE_WORDS[last]
    return k, None


def _lookup(name: str) -> tuple[list[tuple[Entry, bool]], str | None]:
    name = re.sub(r"['\u2019]s?$", "", name.strip())  # "India's", "Kashmir's", "Fiji'"
    k = key(name)
    cands = _candidates(k)
    want = None
    if not cands:
        k2, want = _split_feature_word(k)
        cands = _candidates(k2, want) if want else []
    if want == "admin1" and cands and all(e.feature == "city" for e, _ in cands):
        # "Kharkiv region": the admin1 unit around the city of that name
        gz = gazetteer()
        rows = {gz.admin1_of.get((e.country, e.admin1)) for e, _ in cands} - {None}
        cands = [(gz.entry(i), True) for i in rows] or cands
    return cands, want


def _confidence(scores: list[tuple[float, Entry, bool]]) -> float:
    best, entry, exact = scores[0]
    rivals = [s for s, e, _ in scores[1:] if e.country != entry.country]
    margin = best - rivals[0] if rivals else 8.0
    conf = 0.5 + 0.45 * min(1.0, margin / 4.0)
    return round(conf if exact else conf * 0.9, 3)


def _resolve_region_country(e: Entry, context: list[str]) -> str | None:
    for code in context:
        if code in e.countries:
            return code
    return e.country


def rank(name: str, context: list[str] | tuple[str, ...] = (), within: Entry | None = None,
         ) -> list[tuple[float, Entry, bool]]:
    """Scored candidates for a name, best first."""
    return _rank(name, context, within)


def _rank(name: str, context: list[str] | tuple[str, ...] = (), within: Entry | None = None,
          ) -> list[tuple[float, Entry, bool]]:
    cands, _ = _lookup(name)
    cands = _prune(cands)
    if within is not None:
        narrowed = _within_filter(cands, within)
        cands = narrowed or cands
    context = list(context)
    scores = [(_base_score(e, exact) + _context_bonus(e.country, context), e, exact)
              for e, exact in cands]
    scores.sort(key=lambda s: (-s[0], s[1].name))
    return scores


def _to_place(e: Entry, text: str, start: int, end: int, conf: float,
              context: list[str]) -> Place:
    country = _resolve_region_country(e, context) if e.countries else e.country
    if len(e.countries) > 1 and country not in context:
        conf = min(conf, 0.6)  # "Kashmir" with no country in view: a guess
    return Place(text=text, start=start, end=end, name=e.name, country=country,
                 admin1=e.admin1, lat=e.lat, lon=e.lon, feature=e.feature,
                 geonameid=e.geonameid, confidence=conf)


def _container(within: str | None) -> Entry | None:
    if not within:
        return None
    ranked = _rank(within)
    best = [e for _, e, _ in ranked if e.feature in ("country", "admin1", "region")]
    return best[0] if best else None


def geocode(name: str, *, context: list[str] | tuple[str, ...] = (),
            within: str | None = None) -> Place | None:
    """Resolve one place name; ``context`` = ISO3 codes, most relevant first.

    >>> geocode("Moscow").country
    'RUS'
    >>> geocode("Moscow", within="Idaho").admin1
    'Idaho'
    """
    try:
        scores = rank(name, context, _container(within))
    except Exception:  # a malformed name must never break the caller
        return None
    if not scores:
        return None
    return _to_place(scores[0][1], name, 0, len(name), _confidence(scores), list(context))


# ------------------------------------------------------------------ mentions in a document


@dataclass
class Mention:
    start: int  # char offsets
    end: int
    text: str
    from_ner: bool
    within: Entry | None = None


def _title(tok) -> bool:
    return _title_word(tok.text)


def _title_word(word: str) -> bool:
    return word[:1].isupper() and word.isalpha() or word in {"U.S.", "U.K.", "U.A.E."}


def _blocked_chars(doc: Doc) -> set[int]:
    """Token indices inside non-place entities (people, organisations, nationalities...)."""
    blocked: set[int] = set()
    for ent in doc.ents:
        if ent.label_ in BLOCKING_LABELS:
            blocked.update(range(ent.start, ent.end))
    return blocked


def _scan_ok(k: str, single_at_start: bool) -> bool:
    """May the dictionary scan (without NER support) take this name as a place?"""
    gz = gazetteer()
    if k in gz.stopnames:
        return False
    for i, exact in gz.lookup(k):
        e = gz.entry(i)
        if e.feature in ("country", "region") and exact:
            return True
        if single_at_start:
            continue
        if e.feature == "admin1" and exact:
            return True
        if e.feature == "city" and exact and e.population >= SCAN_MIN_CITY_POP:
            return True
    return False


def _names_with_the(doc: Doc, i: int) -> bool:
    """Does 'The' at token i belong to the name ('The Hague', 'The Gambia')?"""
    if doc[i].lower_ != "the" or i + 1 >= len(doc):
        return False
    gz = gazetteer()
    return any(gz.entry(j).name.lower().startswith("the ")
               for j, _ in gz.lookup(key(doc[i + 1].text)))


def _scan(doc: Doc) -> list[Mention]:
    """Dictionary matches of country, region, admin1 and city names that NER did not tag."""
    gz = gazetteer()
    blocked = _blocked_chars(doc)
    text = _attrs.text(doc)
    starts, words = _attrs.tokens(doc)
    title = [_title_word(w) for w in words]
    lower = [w.lower() for w in words]
    found: list[Mention] = []
    i = 0
    while i < len(words):
        if not title[i] or i in blocked or (lower[i] in CONNECTORS
                                            and not _names_with_the(doc, i)):
            i += 1
            continue
        match = None
        for n in range(min(gz.max_words + 2, len(words) - i), 0, -1):
            j = i + n
            if not title[j - 1] or any(k in blocked for k in range(i, j)):
                continue
            if any(not title[k] and lower[k] not in CONNECTORS for k in range(i, j)):
                continue
            name = text[starts[i]:starts[j - 1] + len(words[j - 1])]
            if _scan_ok(key(name), n == 1 and doc[i].is_sent_start):
                match = Mention(starts[i], starts[i] + len(name), name, False)
                break
        if match is not None:
            found.append(match)
            i = j
        else:
            i += 1
    return found


def _ner_mentions(doc: Doc) -> list[Mention]:
    """Place entities, trimmed to their longest resolvable part ('Kabul airport' -> 'Kabul')."""
    out = []
    for ent in doc.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        toks = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
        while toks and toks[-1].text in {"'s", "’s", "'"}:
            toks.pop()
        if not toks:
            continue
        span = doc[toks[0].i:toks[-1].i + 1]
        best = _best_subspan(span)
        if best is not None:
            out.append(Mention(best.start_char, best.end_char, best.text, True))
    return out


def _best_subspan(span):
    gz = gazetteer()
    for n in range(len(span), 0, -1):
        for s in range(0, len(span) - n + 1):
            sub = span[s:s + n]
            k = key(sub.text)
            if k in gz.index or (n == len(span) and _lookup(sub.text)[0]):
                return sub
    return None


def _merge(ner: list[Mention], scanned: list[Mention]) -> list[Mention]:
    """Keep the longer of overlapping mentions; on a tie, the NER one."""
    pool = sorted(ner + scanned, key=lambda m: (-(m.end - m.start), not m.from_ner, m.start))
    kept: list[Mention] = []
    for m in pool:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


LIST_GAP = re.compile(r"\s*(?:,|and|or|, and)\s*")
PREPOSITIONS = {"in", "at", "near", "outside", "inside", "from", "into", "across", "around",
                "toward", "towards"}
# Words after which a PERSON-tagged name reads as a place (not "to"/"from": "said to Obama")
LOCATIVE = PREPOSITIONS | {"hit", "struck", "shelled", "bombed", "raided", "captured", "stormed",
                           "seized", "retook", "recaptured", "occupied", "entered", "besieged",
                           "overran", "attacked", "liberated", "evacuated", "toured"}
MISREAD_MIN_POP = 20_000


def _misread_people(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Add PERSON and ORG entities that are really places ('strikes hit Rafah and Khan Younis',
    'the blast in Hyderabad', 'outside the White House').

    The small English model tags unfamiliar place names as people or organisations. We take
    one back only when it is a known place of some size and the text around it reads as a
    place. A PERSON: after a locative word, before a container ("X in southern Gaza"), or listed
    with another place. An ORG (more often a real organisation): only right after a locative
    preposition.
    """
    gz = gazetteer()
    pool = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        span = _extend(doc, ent[1:] if ent[0].lower_ == "the" and len(ent) > 1 else ent)
        if not span.text[:1].isupper() or key(span.text) in gz.stopnames:
            continue
        if any(not (span.end_char <= m.start or span.start_char >= m.end) for m in mentions):
            continue
        ranked = rank(span.text)
        if ranked and (ranked[0][1].feature != "city"
                       or ranked[0][1].population >= MISREAD_MIN_POP):
            pool.append((span, ent.label_))
    added: list[Mention] = []
    text = _attrs.text(doc)  # doc.text is rebuilt from the tokens on every access
    for _ in range(2):  # twice, so that a listed name can lean on one added in the first round
        for span, label in list(pool):
            if _reads_as_place(doc, text, span, label, mentions + added):
                added.append(Mention(span.start_char, span.end_char, span.text, True))
                pool.remove((span, label))
    return added


def _extend(doc: Doc, span):
    """'Croix' (PERSON) + ' des Bouquets' -> 'Croix des Bouquets' when that is a known name."""
    gz = gazetteer()
    for n in range(4, 0, -1):
        end = span.end + n
        if end > len(doc) or not _title(doc[end - 1]):
            continue
        if any(not _title(t) and t.lower_ not in CONNECTORS for t in doc[span.end:end]):
            continue
        longer = doc[span.start:end]
        if key(longer.text) in gz.index:
            return longer
    return span


def _reads_as_place(doc: Doc, text: str, span, label: str, known: list[Mention]) -> bool:
    if span.end < len(doc) and doc[span.end].pos_ == "NOUN" and doc[span.end].is_lower:
        return False  # "in the Obama administration": a name used as a modifier
    i = span.start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    prev = doc[i].lower_ if i >= 0 else ""
    if prev in PREPOSITIONS or (label == "PERSON" and prev in LOCATIVE):
        return True
    if prev == "of" and i > 0 and doc[i - 1].lemma_.lower() in PLACE_NOUNS:
        return True  # "the eastern city of Goma"
    if APPOSITION.match(text, span.end_char):  # "Goma, the capital of North Kivu"
        return True
    listed = any(LIST_GAP.fullmatch(text[m.end:span.start_char])
                 or LIST_GAP.fullmatch(text[span.end_char:m.start])
                 for m in known if m.end <= span.start_char + 8 or m.start >= span.end_char)
    if listed:  # "in Lahore and Karachi"
        return True
    return label == "PERSON" and any(CONTAINER_GAP.fullmatch(text[span.end_char:m.start])
                                     for m in known if 0 <= m.start - span.end_char <= 16)


# Nouns that say the name beside them is a place: "the city of Goma", "Goma, the capital of ..."
PLACE_NOUNS = {"capital", "city", "town", "village", "port", "province", "region", "district",
               "suburb", "enclave", "neighbourhood", "neighborhood", "state", "island", "camp"}
APPOSITION = re.compile(r",\s+(?:the|a|an)\s+(?:[a-z-]+\s+){0,2}(?:"
                        + "|".join(sorted(PLACE_NOUNS)) + r")\b")


CONTAINER_GAP = re.compile(r"\s*(?:,|\bin(?: the)?\b|\bin southern\b|\bin northern\b|"
                           r"\bin eastern\b|\bin western\b|\bin central\b)\s*$", re.I)
ADMINISTERED = re.compile(r"\b([A-Z][a-z]+)(?:-| )(?:administered|controlled|held|occupied)?\s*$")


def _link_containers(doc: Doc, mentions: list[Mention]) -> None:
    """'Paris, Texas' / 'Pahalgam in Jammu and Kashmir' / 'Indian-administered Kashmir'."""
    gz = gazetteer()
    text = _attrs.text(doc)  # doc.text is rebuilt from the tokens on every access
    for a, b in zip(mentions, mentions[1:]):
        gap = text[a.end:b.start]
        if len(gap) <= 16 and CONTAINER_GAP.fullmatch(gap):
            try:
                box = _container(b.text)
                if box is not None and _within_filter(_prune(_lookup(a.text)[0]), box):
                    a.within = box
            except Exception:
                continue
    for m in mentions:
        hit = ADMINISTERED.search(text[max(0, m.start - 30):m.start])
        if hit and m.within is None:
            iso3 = gz.demonyms.get(key(hit.group(1)))
            if iso3 is None:
                top = [e for e, _ in _lookup(hit.group(1))[0] if e.feature == "country"]
                iso3 = top[0].country if top else None
            if iso3 in gz.country_of:
                m.within = gz.entry(gz.country_of[iso3])


@dataclass
class Vote:
    """One piece of evidence that the article is about a country."""

    key: str  # lookup key of the words that voted
    country: str
    start: int = -1
    end: int = -1


def _context_votes(doc: Doc, mentions: list[Mention]) -> list[Vote]:
    """Votes for the article's countries: actors (or nationality words) and unambiguous places."""
    gz = gazetteer()
    votes: list[Vote] = []
    actors = getattr(doc._, "nl_actors", None) or []
    for actor in actors:
        code = getattr(actor, "country", None)
        if code and len(code) == 3 and code.isalpha() and code.isupper():
            start = actor.start if actor.start is not None else -1
            end = actor.end if actor.end is not None else -1
            votes.append(Vote(key(actor.text or ""), code, start, end))
    if not actors:
        for ent in doc.ents:
            if ent.label_ == "NORP" and key(ent.text) in gz.demonyms:
                votes.append(Vote(key(ent.text), gz.demonyms[key(ent.text)], ent.start_char,
                                  ent.end_char))
    for m in mentions:
        try:
            ranked = rank(m.text, within=m.within)
        except Exception:  # resolved (or skipped) on its own later
            continue
        codes = {e.country for _, e, _ in ranked}
        if len(codes) == 1 and None not in codes:  # only unambiguous places vote
            votes.append(Vote(key(m.text), codes.pop(), m.start, m.end))
    return votes


def _context_for(votes: list[Vote], k: str, mentions: list[Mention]) -> list[str]:
    """Countries ranked by votes, leaving out every vote cast by the name itself (an actor
    "Georgia's parliament" must not decide what "Georgia" is)."""
    own = [(m.start, m.end) for m in mentions if key(m.text) == k]
    # the votes inside the name's own mentions, found per mention: a test per vote and per
    # mention was most of this stage's ranking time
    inside = {i for s, e in own for i, v in enumerate(votes) if v.start < e and s < v.end}
    counts = Counter(v.country for i, v in enumerate(votes) if v.key != k and i not in inside)
    return [code for code, _ in counts.most_common()]


def _surnames(doc: Doc) -> set[str]:
    """Last names of people named in full ('Marco Rubio' -> 'rubio'): never places alone."""
    return {key(ent[-1].text) for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1}


def _acceptable(m: Mention, surnames: set[str]) -> bool:
    """Reject names that are usually not places whatever NER says."""
    gz = gazetteer()
    k = key(m.text)
    if k in gz.stopnames:
        return False
    cands = [e for e, _ in _lookup(m.text)[0]]
    if any(e.feature in ("country", "region") for e in cands):
        return True
    letters = [ch for ch in m.text if ch.isalpha()]
    if m.text.isupper() and len(letters) <= 4:  # "EU", "PISA": acronyms, not towns
        return False
    # "Rubio" after "Marco Rubio" is the man; "Ankara" stays a city even if NER once glued it
    # onto a name
    return k not in surnames or any(e.population >= 100_000 or e.capital for e in cands)


def find_places(doc: Doc) -> list[Place]:
    """Geocode every toponym in a parsed document; a failing mention is skipped, not fatal."""
    try:
        mentions = _merge(_ner_mentions(doc), _scan(doc))
        mentions = sorted(mentions + _misread_people(doc, mentions), key=lambda m: m.start)
        surnames = _surnames(doc)
        mentions = [m for m in mentions if _acceptable(m, surnames)]
        _link_containers(doc, mentions)
        votes = _context_votes(doc, mentions)
    except Exception:
        return []
    places = []
    contexts: dict[str, list[str]] = {}  # the same name has the same context all article long
    for m in mentions:
        try:
            k = key(m.text)
            if k not in contexts:
                contexts[k] = _context_for(votes, k, mentions)
            context = contexts[k]
            scores = rank(m.text, context, m.within)
            if scores:
                conf = _confidence(scores)
                if not m.from_ner:
                    conf = round(conf * 0.9, 3)
                places.append(_to_place(scores[0][1], m.text, m.start, m.end, conf, context))
        except Exception:
            continue
    return places


def place_for_span(doc: Doc, start_char: int, end_char: int) -> Place | None:
    """The most specific place mentioned inside [start_char, end_char), e.g. an event's sentence.

    City beats admin1 beats region beats country; ties go to confidence, then the first mention.
    """
    places = doc._.nl_places if doc._.nl_places is not None else find_places(doc)
    inside = [p for p in places if p.start >= start_char and p.end <= end_char]
    if not inside:
        return None
    best = max(inside, key=lambda p: (SPECIFICITY.get(p.feature or "", 0), p.confidence,
                                      -p.start))
    return replace(best)


@Language.factory("newsledger_places")
def make_component(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.nl_places = find_places(doc)
        return doc
    return component

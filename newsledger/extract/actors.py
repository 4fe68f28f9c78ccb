"""Actors: every mention of a political actor in an article, coded as country/IGO + sector.

Two sources of mentions:

1. Dictionaries (``newsledger/data/actors/`` YAML, CSV and one-line ``.txt`` files, plus user
   directories in ``$NEWSLEDGER_DICTIONARIES`` or ``extra_dirs``): countries, demonyms,
   capitals, seats of government, international organisations, armed groups, parties and people
   with dated terms of office ("Trump" is USA GOV in 2019 and 2025, USA PTY in 2022).
2. Evidence in the article: titles and agent nouns next to a country ("Pakistani Defence Minister
   Khawaja Asif", "Indian police", "the army of Sudan"), appositions, surnames and pronouns that
   refer back to a person, and PERSON entities nobody knows (kept, uncoded, so quotes can name
   their speakers).

Example (a pipeline from ``newsledger.extract.get_extractor().nlp``)::

    doc = nlp("Russian President Vladimir Putin spoke to Modi. He condemned the attack.")
    [(a.text, a.country, a.sector) for a in doc._.nl_actors]
    # [('Vladimir Putin', 'RUS', 'GOV'), ('Modi', 'IND', 'GOV'), ('He', 'RUS', 'GOV')]

The dictionary format is documented in ``docs/actors.md``.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsledger.extract import dates
from newsledger.extract import doc as docattrs
from newsledger.extract import places
from newsledger.model import Actor

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "actors"
ENV_VAR = "NEWSLEDGER_DICTIONARIES"
KINDS = ("person", "country", "igo", "org", "group", "collective")
# Words that make a user-supplied name an organisation rather than a person.
ORG_WORDS = frozenset("party league front army ministry council movement group union organisation "
                      "organization committee alliance brigade brigades forces force agency court "
                      "commission office department association federation bank institute "
                      "corps government bureau board authority directorate police navy guard "
                      "guards service services assembly parliament fund program programme "
                      "mission tribunal secretariat regiment battalion militia cabinet senate "
                      "congress network company corporation society foundation centre center "
                      "university school college hospital press agency tv radio news times "
                      "post daily herald journal partnership initiative coalition project campaign "
                      "watch forum trust".split())
# Agents that belong where they are ("rebels in the Ivory Coast", "protesters in Dakar"), unlike
# troops or envoys, who may be abroad.
LOCAL_SECTORS = frozenset(("REB", "CVL", "OPP", "POL", "LAB"))
# A capital after one of these is a place ("in Moscow"), not the government ("Moscow said").
LOCATIVE = frozenset("in at near outside inside around across within throughout into from to "
                     "toward towards via".split())
# A bare surname after one of these is a town ("in Austin"), not Lloyd Austin.
IN_PLACE = frozenset("in at near outside inside around across within throughout".split())
# Modifier dependencies that keep a country inside an agent's noun phrase.
NP_DEPS = frozenset(("amod", "compound", "poss", "nmod", "case", "det", "punct", "flat", "nummod",
                     "appos", "npadvmod", "advmod"))
# "The Russian leader" is whoever of these the article names for Russia.
LEADER_ROLES = frozenset(("president", "prime minister", "supreme leader", "king", "leader",
                          "crown prince"))
PRONOUNS = frozenset(("he", "she", "him", "his", "her", "hers"))
SUBJECT_DEPS = frozenset(("nsubj", "nsubjpass"))

# spaCy entity labels whose text is never an actor (the "Indian" in "Indian Ocean").
NON_ACTOR_LABELS = frozenset(("LOC", "FAC", "WORK_OF_ART", "LAW", "LANGUAGE", "EVENT", "PRODUCT",
                              "MONEY", "QUANTITY", "PERCENT", "DATE", "TIME", "CARDINAL", "ORDINAL"))

_WORD = re.compile(r"\w+|[^\w\s\-\u2010-\u2015]")


# ------------------------------------------------------------------ text normalisation

@lru_cache(maxsize=1)
def igo_codes() -> frozenset[str]:
    """The codes of the bundled international organisations, as listed in their data file."""
    data = yaml.safe_load((DATA_DIR / "20_igos.yaml").read_text(encoding="utf-8"))
    return frozenset(str(a["code"]) for a in data["actors"])


def _one_edit(a: str, b: str) -> bool:
    """Are two different words one insertion, deletion, substitution or swap apart?"""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]


def _fold(word: str) -> str:
    """Lowercase without accents, with typographic apostrophes made plain."""
    word = word.replace("\u2019", "'").replace("\u2018", "'").lower()
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def words(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, folded, original) for each word and punctuation mark; hyphens are dropped so
    "al-Shabaab" and "al Shabaab" match the same key.

    >>> [w[2] for w in words("U.S.-led al-Shabaab")]
    ['u', '.', 's', '.', 'led', 'al', 'shabaab']
    """
    return [(m.start(), m.end(), _word_key(m.group()), m.group()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=1 << 16)  # every word of every article passes here; most are repeats
def _fold_word(word: str) -> str:
    return _fold(word)


def _word_key(word: str) -> str:
    folded = _fold_word(word)
    # transliterations of the Arabic article are one word: "Omar El Bashir" is al-Bashir
    return "al" if folded == "el" else folded


OFFICE_SECTORS = {"GOV", "MIL", "IGO", "JUD"}  # sectors of a term in office


def _casing(word: str) -> str:
    """How a dictionary word constrains the article's spelling: upper (acronym), title or any."""
    if not word[:1].isupper():
        return "any"
    if word.isupper() and sum(map(str.isalpha, word)) >= 2:
        return "upper"
    if any(c.isupper() for c in word[1:]) and len(word) <= 4:
        return word  # a mixed-case acronym ("LeT", "JeM"): only that spelling
    return "title"


def _title_acronym(got: str) -> bool:
    """British style writes acronyms said as words in title case ("Farc", "Unicef", "Opec");
    short ones stay out, being names or words too ("Ira", "Eta")."""
    return sum(map(str.isalpha, got)) >= 4 and got[:1].isupper() and got[1:].islower()


def _case_ok(pattern: tuple[str, ...], originals: list[str]) -> bool:
    for need, got in zip(pattern, originals):
        if need == "upper" and not all(c.isupper() for c in got if c.isalpha()) \
                and not _title_acronym(got):
            return False
        if need == "title" and not got[:1].isupper():
            return False
        if need not in ("upper", "title", "any") and got != need:
            return False
    return True


# ------------------------------------------------------------------ dictionary model

@dataclass(frozen=True, slots=True)
class Term:
    """A period in office: inside it the person has this sector (and country, for IGO posts)."""

    start: dt.date | None
    end: dt.date | None
    sector: str | None
    role: str | None = None
    country: str | None = None

    def covers(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(slots=True)
class Entry:
    """One dictionary actor with all its names."""

    name: str
    country: str | None
    sector: str | None
    kind: str
    terms: tuple[Term, ...] = ()
    metonym: bool = False      # a capital: a place after "in", "at" ...
    demonym: bool = False      # an adjective: no sector of its own
    ambiguous: bool = False    # also a first name or a US state
    unless: tuple[str, ...] = ()
    context: bool = False      # only if the article names its country otherwise ("Democrats")

    def at(self, on: dt.date | None) -> tuple[str | None, str | None]:
        """(country, sector) on a date; without a date the latest term decides."""
        if not self.terms:
            return self.country, self.sector
        term = self.term_on(on)
        if term is None:
            return self.country, self.sector
        return term.country or self.country, term.sector or self.sector

    def term_on(self, on: dt.date | None) -> Term | None:
        if on is None:
            latest = max(self.terms, key=lambda t: t.start or dt.date.min)
            return latest if latest.end is None else None
        hits = [t for t in self.terms if t.covers(on)]
        return max(hits, key=lambda t: t.start or dt.date.min) if hits else None


@dataclass(frozen=True, slots=True)
class Agent:
    """A title or agent noun ("defence minister", "police")."""

    sector: str
    kind: str
    role: str | None = None
    home: bool = False  # with no country in sight it belongs to the article's main country


@dataclass
class ActorDictionary:
    """Names -> entries, agent nouns -> sectors; built from data files, later files win."""

    names: dict[tuple[str, ...], tuple[Entry, tuple[tuple[str, ...], ...]]] = field(default_factory=dict)
    agents: dict[tuple[str, ...], Agent] = field(default_factory=dict)
    agent_first: dict[str, int] = field(default_factory=dict)  # first word -> longest agent
    vague: set[str] = field(default_factory=set)  # "foreign" governments belong to nobody
    places: set[str] = field(default_factory=set)  # one-word place names: never a person
    not_persons: set[str] = field(default_factory=set)  # names the tagger takes for people
    home_words: set[str] = field(default_factory=set)  # "the country's president"
    former: set[str] = field(default_factory=set)  # "former president": not in office
    # "the court" -> the codes it may stand for once the article has named one of them
    references: dict[str, set[str]] = field(default_factory=dict)
    longest: dict[str, int] = field(default_factory=dict)
    agent_longest: int = 1
    roles: dict[tuple[str | None, str], list[Entry]] | None = None  # built on first use
    surnames: dict[str, list[Entry]] | None = None  # likewise: last name -> people
    one_word_countries: dict[str, list] | None = None  # likewise: "e" -> [("ethiopia", ETH) ...]
    misspelt: dict[str, Entry | None] = field(default_factory=dict)  # word -> answer, as asked
    trie: dict | None = None  # built on first use: the name keys as a tree of words
    agent_stems: set[tuple[str, ...]] | None = None  # likewise: agent keys but their last word

    # -- building
    def add(self, alias: str, entry: Entry) -> None:
        found = words(alias)
        key = tuple(w[2] for w in found)
        if not key:
            return
        pattern = tuple(_casing(w[3]) for w in found)
        old = self.names.get(key)
        if old is not None and old[0].name == entry.name and old[0].country == entry.country:
            patterns = old[1] + (pattern,)  # "NATO" and "Nato": either spelling is fine
        else:
            patterns = (pattern,)
        self.names[key] = (entry, patterns)
        self.trie = None
        self.longest[key[0]] = max(self.longest.get(key[0], 0), len(key))

    def add_agent(self, phrase: str, agent: Agent) -> None:
        key = tuple(w[2] for w in words(phrase))
        if key:
            self.agents[key] = agent
            self.agent_stems = None
            self.agent_longest = max(self.agent_longest, len(key))
            self.agent_first[key[0]] = max(self.agent_first.get(key[0], 0), len(key))

    def copy(self) -> ActorDictionary:
        """A copy that can take more entries without changing this one (entries are shared:
        they are never modified after loading)."""
        return replace(self, names=dict(self.names), agents=dict(self.agents),
                       agent_first=dict(self.agent_first), vague=set(self.vague),
                       places=set(self.places), not_persons=set(self.not_persons),
                       home_words=set(self.home_words), former=set(self.former),
                       references={k: set(v) for k, v in self.references.items()},
                       longest=dict(self.longest), roles=None, surnames=None,
                       trie=None, agent_stems=None)

    # -- use
    def lookup(self, text: str, on: dt.date | None = None) -> Actor | None:
        """The actor a whole name denotes on a date (case-insensitive), or None.

        >>> load_dictionary().lookup("Trump", dt.date(2019, 6, 1)).sector
        'GOV'
        """
        hit = self.names.get(tuple(w[2] for w in words(text)))
        return _actor(hit[0], text, on) if hit else None

    def entry(self, text: str) -> Entry | None:
        hit = self.names.get(tuple(w[2] for w in words(text)))
        return hit[0] if hit else None

    def scan(self, text: str) -> Iterator[tuple[int, int, Entry]]:
        """Longest dictionary matches, left to right, respecting each name's capitalisation."""
        found = words(text)
        keys = [w[2] for w in found]
        trie = self._trie()
        i = 0
        while i < len(found):
            node = trie.get(keys[i])
            hit = self._match_at(found, keys, i, node) if node is not None else None
            if hit:
                size, entry = hit
                yield found[i][0], found[i + size - 1][1], entry
                i += size
            else:
                i += 1

    def _match_at(self, found: list, keys: list[str], i: int, node: dict
                  ) -> tuple[int, Entry] | None:
        """(words, entry) of the longest name starting at word i that is spelt as it must be."""
        ends = []
        j = i + 1
        while True:
            if None in node:
                ends.append((j, node[None]))
            node = node.get(keys[j]) if j < len(keys) else None
            if node is None:
                break
            j += 1
        for j, (entry, patterns) in reversed(ends):
            if any(_case_ok(p, [w[3] for w in found[i:j]]) for p in patterns):
                return j - i, entry
        return None

    def stems(self) -> set[tuple[str, ...]]:
        """Every agent key without its last word, which may be written in any inflection."""
        if self.agent_stems is None:
            self.agent_stems = {k[:-1] for k in self.agents}
        return self.agent_stems

    def _trie(self) -> dict:
        """The name keys as a tree of words (None marks where a name ends, with its value):
        matching walks it word by word instead of trying every length."""
        if self.trie is None:
            self.trie = {}
            for key, value in self.names.items():
                node = self.trie
                for word in key:
                    node = node.setdefault(word, {})
                node[None] = value
        return self.trie

    def misspelt_country(self, word: str) -> Entry | None:
        """The one country (name or demonym) a long word misses by one letter: wire copy has
        "Ethopia" and "Phillippines". Same first letter, seven letters or more ("Franco" is
        a man, not France)."""
        if len(word) < 7:
            return None
        if word not in self.misspelt:
            if len(self.misspelt) > 50_000:  # a bound on a long run's distinct names
                self.misspelt.clear()
            self.misspelt[word] = self._misspelt_country(word)
        return self.misspelt[word]

    def _misspelt_country(self, word: str) -> Entry | None:
        if self.one_word_countries is None:  # first letter -> [(name, entry)]
            index: dict[str, list] = {}
            for k, (e, _) in self.names.items():
                if len(k) == 1 and e.kind == "country" and len(k[0]) >= 6:
                    index.setdefault(k[0][0], []).append((k[0], e))
            self.one_word_countries = index
        folded = _fold(word)
        same = self.one_word_countries.get(folded[0], ())
        if any(key == folded for key, _ in same):
            return None
        near = {e.country: e for key, e in same
                if abs(len(key) - len(folded)) <= 1 and _one_edit(key, folded)}
        return next(iter(near.values())) if len(near) == 1 else None

    def office_holder(self, surname: str, on: dt.date | None) -> Entry | None:
        """The one person of that last name in office on a date ("President Chirac" in 2000),
        or None when nobody or several people of different countries were."""
        if self.surnames is None:
            self.surnames = {}
            for entry, _ in self.names.values():
                if entry.kind == "person" and entry.terms:
                    key = words(entry.name)[-1][2]
                    if entry not in self.surnames.setdefault(key, []):
                        self.surnames[key].append(entry)
        found = words(surname)
        if not found or on is None:
            return None
        holders = [e for e in self.surnames.get(found[-1][2], ())
                   if (t := e.term_on(on)) is not None and t.sector in OFFICE_SECTORS]
        return holders[0] if len({e.at(on)[0] for e in holders}) == 1 else None

    def holder(self, country: str, role: str, on: dt.date | None) -> Entry | None:
        """Who held a role ("president") for a country on a date, if the dictionary knows."""
        if self.roles is None:
            self.roles = {}
            for entry, _ in self.names.values():
                for term in entry.terms:
                    if term.role and entry.kind == "person":
                        key = (term.country or entry.country, term.role)
                        if entry not in self.roles.setdefault(key, []):
                            self.roles[key].append(entry)
        for entry in self.roles.get((country, role), ()):
            term = entry.term_on(on)
            if term and term.role == role and (term.country or entry.country) == country:
                return entry
        return None


def _actor(entry: Entry, text: str, on: dt.date | None, start=None, end=None) -> Actor:
    country, sector = entry.at(on)
    return Actor(text=text, name=entry.name, country=country, sector=sector, kind=entry.kind,
                 start=start, end=end)


# ------------------------------------------------------------------ loading data files

def _date(value) -> dt.date | None:
    if value in (None, "", "null"):
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if len(text) == 4:
        text += "-01-01"
    return dt.date.fromisoformat(text)


def _terms(raw: Iterable) -> tuple[Term, ...]:
    terms = []
    for t in raw or ():
        t = list(t) + [None] * (5 - len(t))
        terms.append(Term(_date(t[0]), _date(t[1]), t[2], t[3], t[4]))
    return tuple(terms)


def _load_countries(d: ActorDictionary, countries: dict) -> None:
    for code, spec in (countries or {}).items():
        spec = spec or {}
        names = spec.get("names") or []
        canonical = names[0] if names else code
        ambiguous = set(spec.get("ambiguous") or ())
        unless = tuple(spec.get("unless") or ())
        for name in names:
            d.add(name, Entry(canonical, code, "GOV", "country", ambiguous=name in ambiguous,
                              unless=unless))
        demonyms = set(spec.get("demonyms") or ())
        for name in demonyms:  # "Pakistani" is an adjective, "Pakistanis" the people
            plural = name[:-1] in demonyms or name.endswith("men")
            d.add(name, Entry(canonical, code, "CVL" if plural else None,
                              "collective" if plural else "country", demonym=True,
                              ambiguous=name in ambiguous, unless=unless))
        for name in spec.get("capitals") or ():
            d.add(name, Entry(canonical, code, "GOV", "country", metonym=True))
        for name, sector in (spec.get("seats") or {}).items():
            d.add(name, Entry(name, code, sector, "org"))


def _load_actors(d: ActorDictionary, actors: list) -> None:
    for spec in actors or ():
        names = list(spec.get("names") or [])
        if spec.get("name"):
            names.insert(0, spec["name"])
        names += spec.get("aliases") or []
        if not names:
            continue
        code = spec.get("code", spec.get("country"))
        kind = spec.get("kind") or _guess_kind(names[0], code)
        sector = spec.get("out", spec.get("sector"))
        groups = [[n] for n in names] if spec.get("separate") else [names]
        for group in groups:
            entry = Entry(str(group[0]), code, sector, kind, _terms(spec.get("terms")),
                          metonym=bool(spec.get("metonym")), context=bool(spec.get("context")))
            for name in group:
                d.add(str(name), entry)


def _guess_kind(name: str, code: str | None) -> str:
    if code in igo_codes():
        return "igo"
    if {w[2] for w in words(name)} & ORG_WORDS:
        return "org"
    return "person"


def _load_agents(d: ActorDictionary, agents: dict, homes: Iterable[str]) -> None:
    home = {tuple(w[2] for w in words(h)) for h in homes or ()}
    for phrase, spec in (agents or {}).items():
        parts = str(spec).split(None, 2)
        key = tuple(w[2] for w in words(phrase))
        d.add_agent(phrase, Agent(parts[0], parts[1] if len(parts) > 1 else "collective",
                                  parts[2] if len(parts) > 2 else None, key in home))
    for key in home:  # a later file may mark an agent defined earlier as "home"
        if key in d.agents and not d.agents[key].home:
            d.agents[key] = replace(d.agents[key], home=True)


_LINE = re.compile(r"^(?P<names>[^#]+?)\s*(?:=>|→|->)\s*(?P<code>\S+)(?P<rest>.*)$")
_RANGE = re.compile(r"^(\d{4}(?:-\d\d-\d\d)?)?\.\.(\d{4}(?:-\d\d-\d\d)?)?$")


def parse_line(line: str) -> dict | None:
    """One line of a ``.txt`` dictionary: ``Name | Alias => CODE [SECTOR] [kind] [from..to]``.

    >>> parse_line("Subrahmanyam Jaishankar | Jaishankar => IND GOV person 2019-05-30..")["code"]
    'IND'
    """
    line = line.split("#", 1)[0].strip()
    m = _LINE.match(line)
    if not m:
        return None
    names = [n.strip() for n in re.split(r"[|;]", m.group("names")) if n.strip()]
    spec: dict = {"names": names, "code": None if m.group("code") in ("-", "null") else
                  m.group("code")}
    for part in m.group("rest").split():
        rng = _RANGE.match(part)
        if rng:
            spec["range"] = (rng.group(1), rng.group(2))
        elif part in KINDS:
            spec["kind"] = part
        else:
            spec["sector"] = part
    if "range" in spec:  # dated: in office in the range, same country, no sector outside it
        start, end = spec.pop("range")
        spec["terms"] = [[start, end, spec.get("sector")]]
        spec["out"] = None
    return spec


def _csv_terms(text: str) -> list[list]:
    """"2019-05-30..2024-06-09 GOV; 2024-06-10.. MIL UN" -> [[from, to, sector, None, country]]."""
    terms = []
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        bits = part.split()
        rng = _RANGE.match(bits[0])
        if not rng:
            continue
        sector = bits[1] if len(bits) > 1 else None
        country = bits[2] if len(bits) > 2 else None
        terms.append([rng.group(1), rng.group(2), sector, None, country])
    return terms


def _load_csv(d: ActorDictionary, path: Path) -> None:
    """CSV files: an actor table (names,code,sector,kind,terms) or an agent table
    (agent,sector,kind[,role][,home]); lines starting with # are comments."""
    import csv
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    rows = list(csv.DictReader(lines))
    if not rows:
        return
    if "place" in rows[0]:
        d.places |= {_fold(r["place"]) for r in rows if r.get("place")}
        return
    if "agent" in rows[0]:
        for r in rows:
            d.add_agent(r["agent"], Agent(r["sector"], r.get("kind") or "collective",
                                          r.get("role") or None,
                                          (r.get("home") or "").lower() in ("1", "yes", "true")))
        return
    specs = []
    for r in rows:
        names = [n.strip() for n in re.split(r"\s\|\s|\|", r.get("names") or "") if n.strip()]
        spec = {"names": names, "code": r.get("code") or None, "sector": r.get("sector") or None,
                "kind": r.get("kind") or None}
        if r.get("terms"):
            spec["terms"] = _csv_terms(r["terms"])
        specs.append(spec)
    _load_actors(d, specs)


def _load_file(d: ActorDictionary, path: Path) -> None:
    if path.suffix == ".csv":
        _load_csv(d, path)
        return
    if path.suffix == ".txt":
        specs = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            spec = parse_line(line)
            if spec is None and line.split("#", 1)[0].strip():
                raise ValueError(f"{path}:{n}: not an actor line "
                                 "('Name | Alias => CODE [SECTOR] [kind] [from..to]'): "
                                 f"{line.strip()!r}")
            if spec:
                specs.append(spec)
        _load_actors(d, specs)
        return
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
    _load_countries(d, data.get("countries"))
    _load_actors(d, data.get("actors"))
    _load_actors(d, data.get("persons"))
    _load_agents(d, data.get("agents"), data.get("homes"))
    d.vague |= {_fold(w) for w in data.get("vague") or ()}
    d.not_persons |= {_fold(w) for w in data.get("not_persons") or ()}
    for name in data.get("not_actors") or ():  # "Latin America" masks "America"
        d.add(str(name), Entry(str(name), None, None, "none"))
    d.home_words |= {_fold(w) for w in data.get("home_words") or ()}
    d.former |= {_fold(w) for w in data.get("former") or ()}
    for noun, codes in (data.get("references") or {}).items():
        d.references.setdefault(_fold(str(noun)), set()).update(str(c) for c in codes or ())


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*") if p.suffix in (".yaml", ".yml", ".txt", ".csv"))


def _user_dirs(extra_dirs: Iterable[str | os.PathLike]) -> tuple[str, ...]:
    env = os.environ.get(ENV_VAR, "")
    dirs = [d for d in env.split(os.pathsep) if d] + [str(d) for d in extra_dirs]
    return tuple(dirs)


def load_dictionary(extra_dirs: Iterable[str | os.PathLike] = ()) -> ActorDictionary:
    """The built-in dictionaries plus ``$NEWSLEDGER_DICTIONARIES`` and ``extra_dirs``.

    Files load in name order, built-ins first; a later entry for the same name wins.
    Cached per set of directories (and their files' modification times).
    """
    dirs = _user_dirs(extra_dirs)
    stamp = tuple((str(p), p.stat().st_mtime_ns) for d in dirs if Path(d).is_dir()
                  for p in _files(Path(d)))
    return _load_cached(dirs, stamp)


CACHE_VERSION = 19  # bump when the loaders, the name keys (words) or the fields change


@lru_cache(maxsize=8)
def _load_cached(dirs: tuple[str, ...], stamp: tuple) -> ActorDictionary:
    """The built-in dictionary plus the user directories' files (small: parsed every time)."""
    d = _builtin()
    if not any(Path(x).is_dir() for x in dirs):
        return d
    d = d.copy()
    for directory in dirs:
        if Path(directory).is_dir():
            for path in _files(Path(directory)):
                _load_file(d, path)
    return d


@lru_cache(maxsize=1)
def _builtin() -> ActorDictionary:
    """Parse the built-in data files once; later processes read a pickled copy (10x faster)."""
    files = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in _files(DATA_DIR))
    key = hashlib.sha1(repr((CACHE_VERSION, str(DATA_DIR), files)).encode())
    path = _cache_dir() / f"actors-{key.hexdigest()[:16]}.pickle"
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, stale or unreadable: rebuild
        pass
    d = ActorDictionary()
    for file in _files(DATA_DIR):
        _load_file(d, file)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(d, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)  # atomic: parallel workers never read half a file
        _prune(path.parent)
    except OSError:
        pass  # a read-only home is fine, just slower
    return d


def _prune(folder: Path, keep: int = 4) -> None:
    """Every edit of a data file makes a new pickle: keep the few newest (several checkouts
    may share the cache), delete the rest."""
    old = sorted(folder.glob("actors-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in old[keep:]:
        try:
            stale.unlink()
        except OSError:
            pass


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsledger"


# ------------------------------------------------------------------ mentions in a document

@dataclass
class Mention:
    """A working mention: char span, tokens, and what it resolved to."""

    start: int
    end: int
    text: str
    entry: Entry | None = None
    name: str | None = None
    country: str | None = None
    sector: str | None = None
    kind: str | None = None
    role: str | None = None
    source: str = "dict"  # dict | agent | person | pronoun
    span: Span | None = None
    pinned: bool = False  # an agent whose country comes from a modifier, not from the article

    def actor(self) -> Actor:
        return Actor(text=self.text, name=self.name, country=self.country, sector=self.sector,
                     kind=self.kind, start=self.start, end=self.end)


_LAST: tuple = (None, "", (), {})


def _cached(doc: Doc) -> tuple:
    """(doc, text, ents, token index -> its entity) of the document being resolved: ``doc.text``
    and ``doc.ents`` are rebuilt on every access, which made them the bulk of this stage's time.
    One tuple, swapped in a single assignment, so concurrent threads never mix two documents."""
    global _LAST
    last = _LAST
    if last[0] is not doc:
        ents = tuple(doc.ents)
        last = (doc, docattrs.text(doc), ents, {i: e for e in ents for i in range(e.start, e.end)})
        _LAST = last
    return last


def _text(doc: Doc) -> str:
    return _cached(doc)[1]


def _ents(doc: Doc) -> tuple[Span, ...]:
    return _cached(doc)[2]


def _holding(span: Span, want: Callable[[Span], bool]) -> Span | None:
    """The first entity that holds the whole span and is wanted. Entities never overlap, so
    for a span of some tokens only the one at its first token can: no walk over all of them."""
    if len(span):
        ent = _cached(span.doc)[3].get(span.start)
        return ent if ent is not None and span.end <= ent.end and want(ent) else None
    return next((e for e in _ents(span.doc) if e.start <= span.start and span.end <= e.end
                 and want(e)), None)


def _span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _dictionary_mentions(doc: Doc, d: ActorDictionary, on: dt.date | None
                         ) -> tuple[list[Mention], str | None]:
    """Actor mentions, and the country of the first capital named as a place ("the rally in
    Baku"): with no country named as an actor, home agents belong to it."""
    text_folded = None
    out = []
    capital = None
    for start, end, entry in d.scan(_text(doc)):
        if entry.kind == "none":
            continue
        span = _span(doc, start, end)
        if span is None:
            continue
        if capital is None and entry.country is not None and entry.country not in igo_codes() \
                and _named_as_place(span, entry):
            capital = entry.country
        if not _plausible(span, entry):
            continue
        if entry.ambiguous and entry.unless:
            text_folded = text_folded or _fold(_text(doc))
            if any(re.search(r"(?<!\w)" + re.escape(_fold(u)) + r"(?!\w)", text_folded)
                   for u in entry.unless):
                continue  # a whole-word cue: "Riga." must not count as "Ga."
        country, sector = entry.at(on)
        m = Mention(start, end, _text(doc)[start:end], entry, entry.name, country, sector,
                    entry.kind, span=span)
        term = entry.term_on(on) if entry.terms else None
        m.role = term.role if term else None
        out.append(m)
    return out, capital


_LONG_CAPITALISED = re.compile(r"(?<![\w-])([A-Z][^\W\d_]{6,})(?![\w-])")


def _misspelt_countries(doc: Doc, d: ActorDictionary, found: list[Mention]) -> list[Mention]:
    """Capitalised words no dictionary name covers, read as the country they misspell
    ("Ethopia has agreed", "the Phillippines military")."""
    near = [(tok, d.misspelt_country(tok.text)) for tok in docattrs.words(
        doc, _LONG_CAPITALISED, where=lambda word: d.misspelt_country(word) is not None)]
    if not near:
        return []
    taken = {t.i for m in found for t in m.span}
    taken |= {t.i for ent in _ents(doc) if ent.label_ == "PERSON" for t in ent}
    out = []
    for tok, entry in near:
        if tok.i in taken or tok.pos_ not in ("PROPN", "ADJ", "NOUN"):
            continue
        if not places.gazetteer().lookup(places.key(tok.text)):
            # a real place near a country's name is that place: "Columbia", "the Americas"
            country, sector = entry.at(None)
            out.append(Mention(tok.idx, tok.idx + len(tok), tok.text, entry, entry.name,
                               country, sector, entry.kind, span=doc[tok.i:tok.i + 1]))
    return out


def _needs_context(mentions: list[Mention]) -> list[Mention]:
    """Drop context-only entries ("Democrats") whose country the article does not name."""
    named = {m.country for m in mentions if m.entry is not None and not m.entry.context}
    return [m for m in mentions if m.entry is None or not m.entry.context or m.country in named]


def _plausible(span: Span, entry: Entry) -> bool:
    """Reject matches whose context shows another meaning."""
    if entry.kind in ("country", "org") and _inside_other_name(span):
        return False  # the "Indian" of "Indian Ocean"
    if entry.kind == "country" and any(t.ent_type_ == "PERSON" for t in span):
        if _inside_person(span):
            return False  # "Chad Smith", "Denzel Washington"
        if entry.ambiguous and _holding(span, lambda e: e.label_ == "PERSON" and _namelike(e)):
            return False  # "Jordan said": the tagger's person reading wins for these names
    if _named_as_place(span, entry):
        return False
    if entry.metonym and any(c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < span.start
                             for c in span.root.children):
        return False  # "Denzel Washington", "Port Victoria"
    if entry.kind == "person" and len(span) == 1:
        tok = span[0]  # a bare surname: must look like a name, not a place ("in Austin")
        if tok.ent_type_ not in ("PERSON", "ORG", "NORP", "GPE", "") or \
                tok.pos_ not in ("PROPN", "NOUN"):
            return False
        if tok.ent_type_ == "GPE" and tok.dep_ == "pobj" and tok.head.lower_ in IN_PLACE:
            return False
    return True


def _inside_other_name(span: Span) -> bool:
    ent = _holding(span, lambda e: e.label_ in NON_ACTOR_LABELS)
    if ent is None:
        return False
    if ent[0].lower_ == "the" and ent.start < span.start:
        ent = ent[1:]  # "the Central African Republic" tagged LOC is still the name
    if len(ent) > len(span) and not ent.label_ in ("DATE", "TIME", "CARDINAL"):
        return True
    return ent.label_ == "LANGUAGE"


def _inside_person(span: Span) -> bool:
    return _holding(span, lambda e: e.label_ == "PERSON" and len(e) > len(span)
                    and _namelike(e) and not _leading_demonym(span, e)) is not None


def _group_word(ent: Span) -> bool:
    """A PERSON entity that opens with a nationality and modifies the noun after it ("Sri
    Lankan Tamil rebels", "Iraqi Kurd fighters") describes a group."""
    doc = ent.doc
    holder = _holding(ent, lambda e: True)  # the tagger's entity, not the trimmed name
    whole = doc[holder.start:ent.end] if holder is not None else ent
    opens = any(places.key(doc[whole.start:whole.start + n].text) in places.gazetteer().demonyms
                for n in (1, 2) if whole.start + n < whole.end)
    root = whole.root
    return opens and root.dep_ in ("compound", "amod", "nmod") and root.head.i >= whole.end


def _leading_demonym(span: Span, ent: Span) -> bool:
    """'Sri Lankan' in a PERSON 'Sri Lankan Tamil': a nationality word opening the name
    describes who follows; no one is called that."""
    return span.start == ent.start and places.key(span.text) in places.gazetteer().demonyms


def _namelike(ent: Span) -> bool:
    """Could this PERSON entity be a name? Not with digits or dashes ("Oct 2 - Israel")."""
    for t in ent:
        spaced_dash = t.text in ("-", "\u2013", "\u2014") and bool(t.whitespace_)
        if t.like_num or spaced_dash or t.text in (":", "(", ")") or t.is_space:
            return False
    return True


def _main_country(mentions: list[Mention]) -> str | None:
    """The country the article is mostly about: most mentioned, first mention breaks ties."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in mentions:
        if m.country and m.country not in igo_codes() and m.source == "dict":
            weight = 2 if m.start < 80 else 1  # the dateline names the story's country
            counts[m.country] += weight
            first.setdefault(m.country, m.start)
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], -first[c]))


def _named_as_place(span: Span, entry: Entry) -> bool:
    """A capital after "in", "at" ...: the city, not its government."""
    return entry.metonym and span.root.dep_ == "pobj" and span.root.head.lower_ in LOCATIVE


# -- agents

def _agent_matches(doc: Doc, d: ActorDictionary, taken: set[int]) -> list[tuple[int, int, Agent]]:
    """Token ranges [i, j) naming an agent, longest first, skipping dictionary-covered tokens."""
    folded = [_fold_word(w) for w in docattrs.tokens(doc)[1]]
    out: list[tuple[int, int, Agent]] = []
    for i, word in enumerate(folded):  # only words that start an agent, past the last match
        if word in d.agent_first and (not out or i >= out[-1][1]):
            hit = _agent_at(doc, d, taken, folded, i)
            if hit is not None:
                out.append(hit)
    return out


def _agent_at(doc: Doc, d: ActorDictionary, taken: set[int], folded: list[str], i: int
              ) -> tuple[int, int, Agent] | None:
    """The longest agent starting at token i."""
    stems = d.stems()
    for size in range(min(d.agent_first[folded[i]], len(folded) - i), 0, -1):
        j = i + size
        if tuple(folded[i:j - 1]) not in stems:
            continue  # no agent of this length starts so: skip the token look-ups
        last = doc[j - 1]
        if last.pos_ not in ("NOUN", "PROPN") or not taken.isdisjoint(range(i, j)):
            continue
        key = tuple(folded[i:j])
        agent = d.agents.get(key)
        if agent is None:
            agent = d.agents.get(key[:-1] + (_fold_word(last.lemma_),))
            if agent is not None and agent.kind == "person" and last.tag_ in ("NNS", "NNPS"):
                agent = replace(agent, kind="collective", home=True)  # "health officials"
        if agent:
            return i, j, agent
    return None


def _modifier(doc: Doc, i: int, j: int, by_token: dict[int, Mention]) -> Mention | None:
    """A country/org mention qualifying the agent doc[i:j] ("Pakistan's army", "army of Sudan",
    "Ministry of Foreign Affairs spokesperson")."""
    k = i - 1
    while k >= 0:  # walk left through the noun phrase
        tok = doc[k]
        m = by_token.get(k)
        if m is not None and m.country:
            gap = _text(doc)[m.end:doc[i].idx]
            if _in_phrase(tok, i, j) or re.fullmatch(r"\s*(?:['\u2019]s)?\s*", gap):
                return m
        if not _in_phrase(tok, i, j):
            break
        k -= 1
    for child in doc[j - 1].children:  # "the army of Sudan", "foreign minister of Iraq"
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                m = by_token.get(obj.i)
                if m is not None and m.country and m.kind in ("country", "igo", "org"):
                    return m
    return None


def _in_phrase(tok: Token, i: int, j: int) -> bool:
    """Does tok modify the agent doc[i:j], through a chain of noun-phrase modifiers?"""
    for _ in range(6):
        if tok.dep_ not in NP_DEPS or tok.head.i == tok.i:
            return False
        if i <= tok.head.i < j:
            return True
        tok = tok.head
    return False


# -- persons

def _title_for(ent: Span, titles: list[Mention]) -> Mention | None:
    """A title that names the office of the name ``ent``: right before it ("Defence Minister
    Khawaja Asif"), else linked to it by the parse ("Ali Shamkhani, Iran's top official")."""
    for t in titles:
        between = _text(ent.doc)[t.end:ent.start_char]
        if t.end <= ent.start_char and between.strip() in ("", ",") and "\n" not in between:
            return t
    root = ent.root
    for t in titles:
        last = t.span[-1]
        if (root.head.i == last.i and root.dep_ in ("appos", "compound", "flat", "nmod")) or \
           (last.head.i == root.i and last.dep_ in ("appos", "compound", "nmod")):
            return t
        if last.dep_ == "appos" and last.head.i in range(ent.start, ent.end):
            return t
    return None


# ------------------------------------------------------------------ resolution

def resolve_mentions(doc: Doc, dictionary: ActorDictionary | None = None) -> list[Actor]:
    """Every actor mention in the document, sorted by start (what the component stores)."""
    d = dictionary or load_dictionary()
    on = docattrs.published(doc)
    mentions, capital = _dictionary_mentions(doc, d, on)
    mentions += _misspelt_countries(doc, d, mentions)
    mentions = _needs_context(mentions)
    by_token = {t.i: m for m in mentions for t in m.span}
    home = _main_country(mentions) or capital
    agents, consumed = _agent_mentions(doc, d, by_token, home)
    blocked = {t.i for m in agents for t in m.span}  # title words are never part of a name
    blocked |= {t.i for m in mentions if m.kind != "person" for t in m.span}
    mentions = [m for m in mentions if id(m) not in consumed]
    agents = [a for a in agents if id(a) not in consumed]
    persons, used_titles = _person_mentions(doc, d, mentions, agents, blocked)
    consumed |= used_titles
    mentions = [m for m in mentions if id(m) not in consumed]
    titles_left = [a for a in agents if id(a) not in consumed and (a.country or a.kind != "person")]
    mentions = _drop_overlaps([*mentions, *persons, *titles_left])
    _name_roles(mentions, d, on)
    _unify_people(mentions)
    pronouns = _pronouns(doc, mentions)
    mentions += pronouns + _own_country(doc, pronouns)
    mentions += _its(doc, mentions)
    mentions += _references(doc, d, mentions)
    mentions += _repeated_heads(doc, mentions)
    mentions.sort(key=lambda m: (m.start, -m.end))
    return [m.actor() for m in mentions if _emit(m)]


def _emit(m: Mention) -> bool:
    if m.kind == "person":
        return True
    return m.country is not None or m.sector in ("NGO", "REB", "IGO")


def _agent_mentions(doc: Doc, d: ActorDictionary, by_token: dict[int, Mention],
                    home: str | None) -> tuple[list[Mention], set[int]]:
    """Agent nouns with the country that qualifies them, and the ids of mentions they absorb.

    Agents are resolved left to right and become modifiers themselves, so in "the Ministry of
    Foreign Affairs spokesperson" the spokesperson takes the ministry's country.
    """
    out: list[Mention] = []
    consumed: set[int] = set()
    by_token = dict(by_token)
    for i, j, agent in _agent_matches(doc, d, set(by_token)):
        mod = _modifier(doc, i, j, by_token)
        seat = None
        if mod is None and (agent.home or agent.kind == "person" or agent.sector in LOCAL_SECTORS):
            # "a ministry spokesperson in Beijing", "In Egypt, a policeman opened fire ..."
            seat = _seat(doc[j - 1], d, by_token) or _opening_place(doc[i], d, by_token)
        start = doc[i].idx
        end = doc[j - 1].idx + len(doc[j - 1])
        if mod is not None and mod.end <= start:
            start = mod.start
        elif mod is not None and not re.sub(r"\bof\b|[ ,]", "", _text(doc)[end:mod.start].lower()):
            end = mod.end  # "the army of Sudan" is one mention
        vague = any(c.dep_ in ("amod", "compound", "det") and c.lower_ in d.vague and c.i < i
                    for c in doc[j - 1].children)
        if vague:
            mod, agent = None, replace(agent, home=False)
        elif agent.kind == "person" and not agent.home:
            agent = replace(agent, home=True)  # "Economy Minister Luis Caputo": the main country
        before = [t for t in doc[max(i - 3, 0):i] if t.text != "-"][-2:]  # "former", "ex-"
        former = any(_fold(t.text) in d.former for t in before)
        if mod is None and seat is not None and not vague:
            mod = seat  # where the office sits; the place stays a mention of its own
        if mod is None and not agent.home and agent.kind != "person":
            continue  # "troops" alone: whose? leave it to other evidence
        m = Mention(start, end, _text(doc)[start:end], None, None,
                    mod.country if mod else (home if agent.home else None), agent.sector,
                    agent.kind, agent.role, source="agent", span=doc[i:j])
        if mod is not None and mod.kind in ("igo", "group", "org"):
            m.sector = mod.sector or m.sector  # "Hamas official" is REB, "UN envoy" IGO
        if mod is not None and agent.kind != "person":
            m.name = mod.name
        if mod is not None and mod is not seat and (mod.end <= doc[i].idx or mod.end == end):
            consumed.add(id(mod))
        m.pinned = mod is not None
        if former:  # "former president X": the office is over, the country stays
            m.sector, m.role = None, None
        if mod is None and _self_reference(doc[j - 1], d):
            m.country, m.pinned = home, home is not None  # "the country's finance minister"
        out.append(m)
        for t in m.span:
            by_token[t.i] = m
    for m in out:  # people "for"/"at"/"with" an institution named later in the sentence
        if m.kind == "person" and not m.pinned:
            org = _institution(m.span[-1], by_token)
            if org is not None:
                m.country = org.country
                if org.sector == "IGO":
                    m.sector = "IGO"
                elif org.kind in ("igo", "group", "org") and org.source == "dict":
                    m.sector = org.sector or m.sector
                elif org.source == "agent" and org.kind == "org":
                    m.sector = org.sector or m.sector
    _introduced_later(out)
    return out, consumed


def _introduced_later(agents: list[Mention]) -> None:
    """"A former vice president ... Jorge Glas, Ecuador's vice president": a title brought in
    with "a" and no country of its own is placed by a later mention of the same title that
    has one, not by the story's country."""
    for m in agents:
        if m.pinned or m.kind != "person" or m.span is None:
            continue
        root = m.span.root
        if not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in root.children):
            continue
        later = [x for x in agents if x.pinned and x.start > m.end and x.span is not None
                 and x.span.root.lemma_.lower() == root.lemma_.lower()
                 and x.country and (x.role == m.role or not m.role)]
        if later:
            m.country = later[0].country


def _seat(head: Token, d: ActorDictionary, by_token: dict[int, Mention]) -> Mention | None:
    """The country of "in <place>" after an office that would otherwise default to the story's
    main country: an official speaks for the government where they sit, local police and
    courts belong to their town's country."""
    for child in head.children:
        if child.dep_ != "prep" or child.lower_ != "in":
            continue
        for obj in child.children:
            if obj.dep_ != "pobj":
                continue
            m = by_token.get(obj.i)
            if m is not None and m.country and m.kind == "country":
                return m
            span = head.doc[obj.left_edge.i:obj.i + 1]
            entry = d.entry(span.text) or d.entry(obj.text)
            if entry is not None and entry.kind == "country":
                country, sector = entry.at(docattrs.published(head.doc))
                if country:
                    return Mention(span.start_char, span.end_char, span.text, entry, entry.name,
                                   country, sector, entry.kind, span=span)
            if entry is None and obj.pos_ == "PROPN":  # "police in Los Angeles": any known town
                place = places.geocode(span.text)
                if place is not None and place.country and place.confidence >= 0.5:
                    return Mention(span.start_char, span.end_char, span.text, None, None,
                                   place.country, None, "country", span=span)
    return None


def _opening_place(tok: Token, d: ActorDictionary, by_token: dict[int, Mention]) -> Mention | None:
    """The country of a sentence-opening "In <country or capital>," that sets the scene for
    the unqualified office or force after it ("In Syria, the government appealed ...")."""
    sent = tok.sent
    if sent[0].lower_ != "in" or tok.i <= sent.start + 1:
        return None
    comma = next((t.i for t in sent[1:6] if t.text == ","), None)
    if comma is None or comma >= tok.i or comma - sent.start > 4:
        return None
    span = tok.doc[sent.start + 1:comma]
    m = by_token.get(span.start)
    if m is not None and m.country and m.kind == "country" and m.end <= span.end_char:
        return m
    entry = d.entry(span.text)
    if entry is None or entry.kind != "country":
        return None
    country, sector = entry.at(docattrs.published(tok.doc))
    if not country:
        return None
    return Mention(span.start_char, span.end_char, span.text, entry, entry.name, country, sector,
                   entry.kind, span=span)


def _self_reference(head: Token, d: ActorDictionary) -> bool:
    return any(c.dep_ == "poss" and _fold(c.lemma_) in d.home_words for c in head.children)


def _institution(head: Token, by_token: dict[int, Mention]) -> Mention | None:
    """"a spokeswoman for the Senegalese foreign ministry", "an official at the UN", "an aide
    to Putin" (the person's country)."""
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("for", "at", "of", "with", "from"):
            for obj in child.children:
                # "for the U.N. secretary-general": the parser may head the phrase on "general"
                found = [by_token[t.i] for t in obj.subtree if t.i in by_token and t.i <= obj.i]
                m = by_token.get(obj.i) or (found[-1] if found else None)
                if m is not None and m.country:  # also "a spokesman for the U.N. chief"
                    return m
    return None


def _name_spans(doc: Doc, titles: list[Mention], blocked: set[int]) -> list[Span]:
    """PERSON entities, plus proper-noun runs a title vouches for that the tagger missed
    ("spokesperson Randhir Jaiswal" tagged ORG, "Omid Rahimi, Iran's top official" tagged GPE).
    Tokens of titles and of non-person mentions (``blocked``) are trimmed off."""
    spans = [_trim(e, blocked) for e in _ents(doc) if e.label_ == "PERSON" and _namelike(e)]
    for t in titles:
        last = t.span[-1]
        nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
        for tok in (nxt, last.head if last.dep_ == "appos" else None,
                    *[c for c in last.children if c.dep_ == "appos"]):
            if tok is not None and tok.pos_ == "PROPN" and tok.text[:1].isupper() and \
                    tok.i not in blocked and not _headline(tok.sent) \
                    and tok.lower_ not in calendar_words():  # "a judge Thursday approved" 
                spans.append(_propn_run(doc, tok, blocked))
    spans = [s for s in spans if s is not None and len(s)]
    spans.sort(key=lambda s: (s.start, -len(s)))
    kept: list[Span] = []
    for s in spans:
        if not kept or s.start >= kept[-1].end:
            kept.append(s)
    return kept


_POSSESSIVE = re.compile(r"(?:['\u2019]s?)$")


def _clean_name(text: str) -> str:
    """The name inside a PERSON entity: no possessive, no doubled byline, no "the Sahel".

    >>> _clean_name("Jose Zamora\u2019s"), _clean_name("Ann Lee Ann Lee"), _clean_name("the Sahel")
    ('Jose Zamora', 'Ann Lee', '')
    """
    text = _POSSESSIVE.sub("", text.strip()).strip(" ,.;:-")
    parts = text.split()
    half = len(parts) // 2
    if half and len(parts) % 2 == 0 and parts[:half] == parts[half:]:
        text = " ".join(parts[:half])
    if not text[:1].isupper() or "\n" in text:
        return ""
    return text


HONORIFICS = frozenset("mr mrs ms dr sir dame gen lt col maj brig adm sgt capt cpl pvt sen rep "
                       "gov pres amb prof sheikh shaikh mullah ayatollah imam rev mawlawi maulana "
                       "maulvi hajji haji emir prince princess king queen".split())


def _other_person(ent: Span, known: Mention, d: ActorDictionary) -> bool:
    """A longer name around a dictionary surname, with words the dictionary name lacks
    ("Jimmy Morales" is not Evo Morales; "Gen. Asim Munir" is Asim Munir)."""
    if known.source != "dict" or (ent.start_char >= known.start and ent.end_char <= known.end):
        return False
    extra = _name_words(ent.text) - _name_words(known.name or "") - HONORIFICS
    return any((w,) not in d.agents for w in extra)


def _is_surname(ent: Span, mentions: list[Mention]) -> bool:
    word = _fold(ent.text)
    return any(m.kind == "person" and m.name and word in _name_words(m.name) for m in mentions)


def _trim(ent: Span, blocked: set[int]) -> Span | None:
    """The entity without leading/trailing title words ("Interior Minister Tariq Jamali")."""
    i, j = ent.start, ent.end
    while i < j and ent.doc[i].i in blocked:
        i += 1
    while j > i and ent.doc[j - 1].i in blocked:
        j -= 1
    return ent.doc[i:j] if j > i else None


def _headline(sent: Span) -> bool:
    """Title Case lines ("Taliban Chief Hails Troop Exit") make every word look like a name."""
    alpha = [t for t in sent if t.is_alpha and len(t) > 3]
    return len(alpha) >= 3 and sum(t.text[:1].isupper() for t in alpha) >= 0.8 * len(alpha)


def _propn_run(doc: Doc, tok: Token, blocked: set[int]) -> Span:
    """The run of capitalised proper nouns around tok ("Randhir Jaiswal")."""
    i = j = tok.i
    ok = lambda t: t.pos_ == "PROPN" and t.text[:1].isupper() and t.i not in blocked
    while i > 0 and ok(doc[i - 1]) and doc[i - 1].whitespace_:
        i -= 1
    while j + 1 < len(doc) and ok(doc[j + 1]) and doc[j].whitespace_:
        j += 1
    return doc[i:j + 1]


def _person_mentions(doc: Doc, d: ActorDictionary, mentions: list[Mention],
                     agents: list[Mention], blocked: set[int]) -> tuple[list[Mention], set[int]]:
    """Names of people with their titles, dictionary entries or nothing."""
    on = docattrs.published(doc)
    titles = [t for t in agents if t.kind == "person"]
    out, used = [], set()
    for ent in _name_spans(doc, titles, blocked):
        if _group_word(ent):
            continue  # "Sri Lankan Tamil rebels": who the rebels are, not a person
        entry = d.entry(ent.text)
        if entry is not None and entry.kind != "person":
            continue  # "Dakar" tagged PERSON is still a city
        if len(ent) == 1 and _fold(ent.text) in d.places and not _is_surname(ent, mentions):
            continue  # so is "Goma"
        known = next((m for m in mentions if m.start < ent.end_char and ent.start_char < m.end),
                     None)
        title = _title_for(ent, titles)
        if known is not None and known.kind != "person":
            continue  # a group or country the tagger took for a person ("Hezbollah")
        if known is not None and _other_person(ent, known, d):
            used.add(id(known))  # "Jimmy Morales" is not Evo Morales: drop the surname match
            known = None
        if title is not None:
            used.add(id(title))
        if known is not None:
            if title is not None and known.role is None and title.role is not None:
                known.sector = title.sector or known.sector  # the text knows an office we don't
                known.role = title.role
                known.country = known.country or title.country
            continue
        text = _clean_name(ent.text)
        if not text or _fold(text) in d.not_persons:
            continue
        start = ent.start_char + ent.text.index(text)
        m = Mention(start, start + len(text), text, None, text, None, None, "person",
                    source="person", span=ent)
        if title is not None:
            m.country, m.sector, m.role = title.country, title.sector, title.role
            holder = d.office_holder(text, on) if _bare_office(title, ent, text) else None
            if holder is not None and _role_fits(holder.term_on(on).role, title.role):
                # "President Chirac": the Chirac in office, not a guess from the article
                m.name = holder.name
                m.country, m.sector = holder.at(on)
        out.append(m)
    return out, used


def _bare_office(title: Mention, ent: Span, text: str) -> bool:
    """A last name right after an office with no country ("President Chirac")."""
    return not title.pinned and title.role is not None and len(text.split()) == 1 \
        and title.end <= ent.start_char and not _text(ent.doc)[title.end:ent.start_char].strip()


def _role_fits(held: str | None, named: str) -> bool:
    return held is None or held == named or (held in LEADER_ROLES and named in LEADER_ROLES)


def _drop_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions (a person beats the title around it)."""
    rank = {"person": 0, "dict": 1, "agent": 2}
    ordered = sorted(mentions, key=lambda m: (rank.get(m.source, 3), -(m.end - m.start), m.start))
    kept: list[Mention] = []
    for m in ordered:
        if all(m.end <= k.start or k.end <= m.start for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def _name_roles(mentions: list[Mention], d: ActorDictionary, on) -> None:
    """"the Russian president": name the person mentioned (or known) to hold the office."""
    people = [m for m in mentions if m.kind == "person" and m.name]
    for m in mentions:
        if m.source != "agent" or m.kind != "person" or not m.country:
            continue
        roles = LEADER_ROLES if m.role == "leader" else {m.role}
        same = [p for p in people if p.country == m.country and p.role and p.role in roles]
        if same:
            m.name = same[0].name
        elif m.role:
            holder = d.holder(m.country, m.role, on)
            m.name = holder.name if holder else None


def _unify_people(mentions: list[Mention]) -> None:
    """Partial names take the fullest name (and codes) of the same person in the article:
    "Asif" -> "Khawaja Asif", "Tsai" -> "Tsai Ing-wen". A partial name that fits two people
    ("Khan" with "Imran Khan" and "Karim Khan") takes the nearest one before it."""
    people = [m for m in mentions if m.kind == "person" and m.name]
    names = {m.name: _name_words(m.name) for m in people}
    for m in people:  # "Jorge Glass" written "Jorge Glas": the text's words count too
        names[m.name] = names[m.name] | _name_words(m.text)
    for m in people:  # "Mawlawi Hibatullah Akhundzada" around the known "Hibatullah Akhundzada"
        if m.country is None:
            inner = [p for p in people if p.source == "dict" and p.country and
                     names[p.name] <= names[m.name] | HONORIFICS]
            if inner:
                m.country, m.sector, m.role = inner[0].country, inner[0].sector, inner[0].role
    for m in people:
        mine = _name_words(m.name) if m.source == "dict" else _name_words(m.text)
        fits = [p for p in people if p is not m and mine < names[p.name]]
        if not fits:
            continue
        distinct = {p.name for p in fits}
        if len(distinct) > 1:
            before = [p for p in fits if p.start < m.start]
            fits = [max(before, key=lambda p: p.start)] if before else fits
        ref = max(fits, key=lambda p: (p.country is not None, len(names[p.name])))
        m.name = ref.name
        if m.country is None or (m.source != "dict" and ref.country):
            m.country, m.sector = ref.country, ref.sector
        m.role = m.role or ref.role


def _name_words(name: str) -> frozenset[str]:
    return frozenset(w[2] for w in words(name) if w[2].isalnum() and len(w[2]) > 1)


def _pronouns(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """he/she/his/her -> the latest person in the same or previous sentence, subjects first."""
    people = [m for m in mentions if m.kind == "person" and m.name and m.span is not None]
    out: list[Mention] = []
    sents = list(doc.sents)
    sent_index = {s.start: n for n, s in enumerate(sents)}
    for tok in doc:
        if tok.lower_ not in PRONOUNS or tok.pos_ != "PRON":
            continue
        n = sent_index.get(tok.sent.start, 0)
        # this sentence and the one before: one stretch of text, as mentions start on tokens
        lo, hi = sents[max(n - 1, 0)].start_char, sents[n].end_char
        cands = [m for m in people + out if m.end <= tok.idx and lo <= m.start < hi]
        if not cands:
            continue
        ref = _antecedent(cands, sents[n])
        out.append(Mention(tok.idx, tok.idx + len(tok), tok.text, None, ref.name, ref.country,
                           ref.sector, "person", ref.role, source="pronoun", span=doc[tok.i:tok.i + 1]))
    return out


def _own_country(doc: Doc, pronouns: list[Mention]) -> list[Mention]:
    """"his country", "her government": the country of the person the pronoun stands for."""
    out = []
    for m in pronouns:
        tok = m.span[0]
        if m.country and tok.dep_ == "poss" and tok.head.lemma_ in ("country", "nation",
                                                                   "government") \
                and tok.head.i == tok.i + 1:
            span = doc[tok.i:tok.i + 2]
            out.append(Mention(span.start_char, span.end_char, span.text, None, None, m.country,
                               "GOV", "country", source="pronoun", span=span))
    return out


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Full month and weekday names from the dates lexicon, which are no one's name after a
    title; May, June, April and August can be ("Prime Minister May")."""
    lx = dates.lexicon()
    full = [max((w for w, n in table.items() if n == k), key=len)
            for table in (lx.months, lx.weekdays) for k in set(table.values())]
    return frozenset(full) - {"may", "june", "april", "august"}


def _its(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Possessive "its" -> the country or organisation named last before it in the sentence,
    subjects first: "Saudi Arabia cut ties after Iranian protesters stormed its embassy".
    Not its own clause's subject ("the army said its troops"): that one is found anyway."""
    bodies = [m for m in mentions if m.country and m.span is not None
              and m.kind in ("country", "igo", "org", "group")]
    out: list[Mention] = []
    for tok in docattrs.words(doc, ITS):
        if tok.dep_ != "poss":
            continue
        own = _clause_subject(tok)
        if own is not None and own.tag_ not in ("NNS", "NNPS"):
            continue  # "the group has not lived up to its commitment": its own subject's
        sent = tok.sent  # spaCy finds a token's sentence by walking the document: once
        cands = [m for m in bodies if m.end <= tok.idx and m.start >= sent.start_char
                 and (own is None or not (m.start <= own.idx < m.end))]
        if not cands:
            continue
        ref = _antecedent(cands, sent)
        out.append(Mention(tok.idx, tok.idx + len(tok), tok.text, None, ref.name, ref.country,
                           ref.sector, ref.kind, None, source="pronoun",
                           span=doc[tok.i:tok.i + 1]))
    return out


ITS = re.compile(r"\b(its)\b", re.I)
AFTER_THE = re.compile(r"\bthe\s+(\w+)", re.I)


def _clause_subject(tok: Token) -> Token | None:
    """The subject of the nearest clause above a token, if it has one."""
    t = tok.head
    for _ in range(6):
        if t.pos_ in ("VERB", "AUX"):
            subj = [c for c in t.children if c.dep_ in SUBJECT_DEPS]
            if subj:
                return subj[0]
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def _references(doc: Doc, d: ActorDictionary, mentions: list[Mention]) -> list[Mention]:
    """"The court", "the alliance", "the bloc" -> the organisation of that kind the article
    named last before it (the `references` lists in the data files)."""
    if not d.references:
        return []
    taken = {t.i for m in mentions if m.span is not None for t in m.span}
    named = [m for m in mentions if m.country and m.kind in ("igo", "org", "group")]
    out: list[Mention] = []
    for tok in doc:
        codes = d.references.get(_fold(tok.lemma_)) if tok.pos_ == "NOUN" else None
        if not codes or tok.i in taken:
            continue
        kids = list(tok.children)
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in kids) or any(
                c.dep_ in ("amod", "compound", "nmod", "poss") for c in kids):
            continue
        before = [m for m in named if m.end <= tok.idx and m.country in codes]
        if not before:
            continue
        ref = max(before, key=lambda m: m.start)
        out.append(Mention(tok.idx, tok.idx + len(tok), tok.text, None, ref.name, ref.country,
                           ref.sector, ref.kind, None, source="pronoun", span=doc[tok.i:tok.i + 1]))
    return out


def _repeated_heads(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """"The ministry" after "Taiwan's defence ministry", "the command" after "the Eastern
    Theatre Command": a bare definite noun names the latest actor whose phrase it heads."""
    # (mention, its head, the head's folded lemma): Span.root is recomputed on every access
    named = [(m, root, _fold(root.lemma_)) for m in mentions
             if m.country and m.span is not None and m.kind != "person"
             for root in [m.span.root] if root.pos_ in ("NOUN", "PROPN")]
    taken = {t.i for m in mentions if m.span is not None for t in m.span}
    out: list[Mention] = []
    for tok in docattrs.words(doc, AFTER_THE):
        if tok.pos_ != "NOUN" or tok.tag_ not in ("NN", "NNS") or tok.i in taken:
            continue
        kids = list(tok.children)
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in kids) or any(
                c.dep_ in ("amod", "compound", "nmod", "poss") for c in kids):
            continue
        lemma = _fold(tok.lemma_)
        before = [m for m, root, head in named if m.end <= tok.idx and head == lemma
                  and root.i != tok.i]
        if not before:
            continue
        ref = max(before, key=lambda m: m.start)
        if tok.tag_ == "NNS" and ref.kind != "group":
            continue  # "the rebels" are the group named so; "the diplomats" may be any
        out.append(Mention(tok.idx, tok.idx + len(tok), tok.text, None, ref.name, ref.country,
                           ref.sector, ref.kind, None, source="pronoun",
                           span=doc[tok.i:tok.i + 1]))
    return out


def _antecedent(cands: list[Mention], sent: Span) -> Mention:
    same = [m for m in cands if m.start >= sent.start_char]
    pool = same or cands
    subjects = [m for m in pool if m.span.root.dep_ in SUBJECT_DEPS]
    return max(subjects or pool, key=lambda m: m.start)


# ------------------------------------------------------------------ helpers for other stages

def actors_in(doc: Doc, start_char: int, end_char: int) -> list[Actor]:
    """Actor mentions lying inside a character range of the document."""
    return [a for a in doc._.nl_actors or [] if a.start is not None and
            start_char <= a.start and a.end <= end_char]


def _covering(doc: Doc, token: Token) -> Actor | None:
    for a in doc._.nl_actors or []:
        if a.start is not None and a.start <= token.idx < a.end:
            return a
    return None


def actor_for_token(doc: Doc, token: Token) -> Actor | None:
    """The actor mentioned by a token, or by a modifier in its noun phrase.

    For the head "minister" of "Pakistan's defence minister" -> PAK GOV; for "support" in
    "Russia's support" the possessive "Russia" -> RUS.
    """
    hit = _covering(doc, token)
    if hit is not None:
        return hit
    for dep in ("appos", "poss", "compound", "flat", "amod", "nmod"):
        for child in token.children:
            if child.dep_ != dep:
                continue
            for t in [child, *_np_descendants(child)]:
                hit = _covering(doc, t)
                if hit is not None:
                    return hit
    return None


def _np_descendants(tok: Token) -> Iterator[Token]:
    for child in tok.children:
        if child.dep_ in ("compound", "amod", "poss", "appos", "flat", "nmod"):
            yield child
            yield from _np_descendants(child)


# ------------------------------------------------------------------ component

@Language.factory("newsledger_actors", default_config={"extra_dirs": []})
def make_component(nlp: Language, name: str, extra_dirs: list[str]):
    """spaCy component writing ``doc._.nl_actors``."""
    def component(doc: Doc) -> Doc:
        doc._.nl_actors = resolve_mentions(doc, load_dictionary(extra_dirs))
        return doc
    return component

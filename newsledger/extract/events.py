"""The event coder: PLOVER events from the dependency parse, clause by clause.

For every token whose lemma is a trigger in the pattern data (``newsledger/data/events``), the
best matching pattern gives the event type; the grammatical subject gives the source actor and
the pattern's target slots (object, prepositional objects ...) give the target. Events are then
dated from their own clause, checked for modality, and merged per article into one record per
(type, source country, target country).

>>> # doc = nlp("Russia condemned Israel on Monday.")  (with doc._.nl_published set)
>>> # [(e.type, e.source.country, e.target.country) for e in doc._.nl_events]
>>> # [('ACCUSE', 'RUS', 'ISR')]
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from spacy.language import Language
from spacy.tokens import Doc, Span as SpacySpan, Token

from newsledger.extract import doc as _attrs  # noqa: F401  registers doc._.nl_*
from newsledger.extract import modality as mod
from newsledger.model import Actor, Event, Place, Span, TimeExpr

if not Doc.has_extension("nl_events_all"):
    # Every coded event before the modality filter (negated, planned ... included).
    Doc.set_extension("nl_events_all", default=None)

COOPERATIVE = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}
SPEECH_ACTS = {"REQUEST", "THREATEN", "AGREE", "REJECT", "ACCUSE"}
UNDOING = {"CONCEDE", "RETREAT"}  # acts that end the act named by their object
SYMMETRIC = {"CONSULT", "COOPERATE"}
SOURCELESS_OK = {"ASSAULT", "COERCE", "PROTEST"}
SUBJ_DEPS = ("nsubj", "csubj", "expl")
OBJ_DEPS = ("dobj", "obj")
CONTROL_BY_OBJECT = {"urge", "ask", "call", "force", "order", "persuade", "tell", "invite",
                     "encourage", "press", "allow", "help", "implore", "request", "require"}
TIME_NOUNS = {"day", "week", "month", "year", "time", "morning", "evening", "night", "hour",
              "weekend", "afternoon"}
OFFICIAL_NOUNS = {"spokesperson", "spokesman", "spokeswoman", "official", "minister", "ministry",
                  "diplomat", "envoy", "source", "government", "authority", "embassy", "leader",
                  "adviser", "advisor", "aide", "representative", "ambassador", "delegation"}
RELATIVE_PRONOUNS = {"which", "who", "that", "whom"}
# What a doer issues to speak: the act of "issued a statement demanding X" is the issuer's
STATEMENT_NOUNS = {"statement", "declaration", "communique", "communiqué", "letter", "note",
                   "resolution", "message", "appeal", "ultimatum", "decree", "announcement"}
REPORTED_PRONOUNS = {"it", "they", "we", "he", "she", "i"}
POSSESSIVE_PRONOUNS = {"its", "their", "his", "her", "our", "my"}
ABOUT_SLOTS = ("prep:for", "prep:about", "prep:over", "prep:into", "prep:of")
DEFAULT_TARGETS = ("dobj", "dative", "prep:to", "prep:with", "prep:against", "prep:on",
                   "prep:at", "prep:for")


# ---------------------------------------------------------------- pattern data

DATA = Path(__file__).resolve().parents[1] / "data"
LIST_KEYS = ("prep", "pobj", "object", "child", "child_dep", "not_child", "not_dep",
             "not_child_dep",
             "subject", "not_subject", "xcomp_lemma", "target", "context", "reply_to", "victims_of",
             "ccomp_aux")
TIER_MINED, TIER_HAND, TIER_USER = 0, 1, 2


@dataclasses.dataclass(frozen=True)
class Pattern:
    lemmas: tuple[str, ...]
    type: str | None
    pos: str = "verb"
    cameo: str | None = None
    mode: str | None = None
    context: tuple[str, ...] = ()
    prep: frozenset[str] = frozenset()
    pobj: frozenset[str] = frozenset()
    object: frozenset[str] = frozenset()
    child: frozenset[str] = frozenset()
    not_child: frozenset[str] = frozenset()
    not_dep: frozenset[str] = frozenset()
    not_child_dep: frozenset[str] = frozenset()
    child_dep: frozenset[str] = frozenset()
    not_subject: frozenset[str] = frozenset()
    xcomp_lemma: frozenset[str] = frozenset()
    ccomp_aux: frozenset[str] = frozenset()
    subject: frozenset[str] = frozenset()
    xcomp: bool = False
    target: tuple[str, ...] = ()
    self_target: bool = False
    both_ways: bool = False
    object_actor: bool = False  # the target must be named outright, not through a modifier
    # a judgement in reported speech ("X said Y is responsible"): Y the target, X the source
    speaker: bool = False
    needs: str = "source"
    reply_to: tuple[str, ...] = ()
    victims_of: tuple[str, ...] = ()
    priority: int = 1
    tier: int = TIER_HAND

    @property
    def rank(self) -> tuple[int, int, int]:
        constraints = sum(bool(x) for x in (self.prep, self.pobj, self.object, self.child,
                                            self.subject, self.xcomp, self.child_dep,
                                            self.xcomp_lemma, self.ccomp_aux))
        return (self.tier, self.priority, constraints)

    @property
    def confidence(self) -> float:
        return {TIER_MINED: 0.4, TIER_HAND: 0.6, TIER_USER: 0.6}[self.tier] + \
            0.05 * min(self.rank[2], 2)


def as_list(value) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.replace("|", ",").split(",") if v.strip()]
    return [str(v).strip() for v in value]


def truthy(value) -> bool:
    return value is True or str(value).strip().lower() in ("true", "yes", "1")


def pattern_from(row: dict, tier: int) -> Pattern | None:
    lemmas = tuple(x.lower() for x in as_list(row.get("lemma")))
    if not lemmas:
        return None
    typ = row.get("type")
    typ = str(typ).strip().upper() if typ not in (None, "", "null", "None") else None
    lists = {k: [x.lower() for x in as_list(row.get(k))] for k in LIST_KEYS}
    cameo = row.get("cameo")
    default_needs = "none" if typ in SOURCELESS_OK else "source"
    return Pattern(
        lemmas=lemmas, type=typ, pos=str(row.get("pos") or "verb").lower(),
        cameo=str(cameo) if cameo not in (None, "") else None,
        mode=row.get("mode") or None, context=tuple(lists["context"]),
        prep=frozenset(lists["prep"]), pobj=frozenset(lists["pobj"]),
        object=frozenset(lists["object"]), child=frozenset(lists["child"]),
        not_child=frozenset(lists["not_child"]), not_dep=frozenset(lists["not_dep"]),
        not_child_dep=frozenset(lists["not_child_dep"]), child_dep=frozenset(lists["child_dep"]),
        not_subject=frozenset(lists["not_subject"]), xcomp_lemma=frozenset(lists["xcomp_lemma"]),
        ccomp_aux=frozenset(lists["ccomp_aux"]),
        subject=frozenset(lists["subject"]),
        xcomp=truthy(row.get("xcomp")), target=tuple(lists["target"]),
        self_target=truthy(row.get("self")), both_ways=truthy(row.get("both_ways")),
        object_actor=truthy(row.get("object_actor")), speaker=truthy(row.get("speaker")),
        needs=str(row.get("needs") or default_needs).lower(),
        reply_to=tuple(x.upper() for x in lists["reply_to"]),
        victims_of=tuple(x.upper() for x in lists["victims_of"]),
        priority=int(row.get("priority") or 1), tier=tier)


class PatternLoader(yaml.SafeLoader):
    """YAML 1.1 reads on/off/yes/no as booleans; in patterns they are words ("call on")."""


PatternLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
PatternLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


def read_pattern_file(path: Path, tier: int) -> tuple[list[Pattern], dict[str, list[str]]]:
    """Patterns (and top-level word lists) from a YAML file or a CSV/TSV table; a row that
    cannot work is an error naming the file and line."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        rows, line_nos, lists = yaml_rows(text)
    else:
        numbered = [(n, ln) for n, ln in enumerate(text.splitlines(), 1)
                    if ln.strip() and not ln.startswith("#")]
        delim = "\t" if path.suffix == ".tsv" else ","
        rows = list(csv.DictReader([ln for _, ln in numbered], delimiter=delim))
        line_nos = [n for n, _ in numbered[1:]]  # after the header
        lists = {}
    for row, line in zip(rows, line_nos):
        problem = pattern_problem(row)
        if problem:
            raise ValueError(f"{path}:{line}: {problem}")
    out = [p for p in (pattern_from(r, tier) for r in rows) if p is not None]
    return out, lists


def yaml_rows(text: str) -> tuple[list, list[int], dict[str, list[str]]]:
    """Pattern rows, the line each starts on, and the top-level word lists, from one parse."""
    loader = PatternLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    finally:
        loader.dispose()
    seq = node
    if isinstance(node, yaml.MappingNode):
        seq = next((v for k, v in node.value if k.value == "patterns"), None)
    line_nos = [item.start_mark.line + 1 for item in seq.value] \
        if isinstance(seq, yaml.SequenceNode) else []
    if isinstance(data, dict):
        return data.get("patterns") or [], line_nos, {
            k: as_list(v) for k, v in data.items() if k != "patterns"}
    return data or [], line_nos, {}


def pattern_problem(row) -> str | None:
    """Why a pattern row cannot work, or None: a misspelt slot or type would otherwise be
    silently ignored."""
    if not isinstance(row, dict):
        return f"a pattern must be a mapping, not {row!r}"
    typ = row.get("type")
    if typ not in (None, "", "null", "None") and str(typ).strip().upper() not in ontology().quads:
        return f"unknown type {typ!r} (one of the 16 PLOVER types, or null)"
    for slot in as_list(row.get("target")):
        slot = str(slot).lower()
        kind, _, word = slot.partition(":")
        if slot not in SLOTS and not (kind in WORD_SLOTS and re.fullmatch(r"[a-z]+", word)):
            return (f"unknown target slot {slot!r} (one of {', '.join(sorted(SLOTS))}, "
                    f"{', '.join(k + ':WORD' for k in WORD_SLOTS)})")
    cameo = str(row.get("cameo") or "").strip()
    if cameo and cameo not in ontology().codes:
        return f"unknown CAMEO code {cameo!r} (see ontology/cameo_codes.tsv)"
    needs = str(row.get("needs") or "source").lower()
    if needs not in ("source", "target", "both", "none"):
        return f"needs must be source, target, both or none, not {needs!r}"
    return None


def pattern_files(spec: str | Path) -> list[Path]:
    path = Path(spec).expanduser()
    if path.is_dir():
        return sorted(f for f in path.iterdir()
                      if f.suffix in (".yaml", ".yml", ".csv", ".tsv") and f.is_file())
    return [path] if path.is_file() else []


class PatternSet:
    """All trigger patterns, indexed by (pos, lemma), best first."""

    def __init__(self, patterns: list[Pattern], light_verbs: Iterable[str] = (),
                 intent_verbs: Iterable[str] = (), container_nouns: Iterable[str] = (),
                 observers: Iterable[str] = ()):
        self.light_verbs = set(light_verbs)
        self.intent_verbs = set(intent_verbs)
        self.observers = set(observers)
        self.container_nouns = set(container_nouns)
        # a lemma curated by hand (or by the user) silences the mined patterns for that lemma
        curated = {(p.pos, lem) for p in patterns if p.tier > TIER_MINED for lem in p.lemmas}
        self.index: dict[tuple[str, str], list[Pattern]] = {}
        for p in patterns:
            for lem in p.lemmas:
                if p.tier == TIER_MINED and (p.pos, lem) in curated:
                    continue
                self.index.setdefault((p.pos, lem), []).append(p)
        for cands in self.index.values():
            cands.sort(key=lambda p: p.rank, reverse=True)

    def lookup(self, pos: str, lemma: str) -> list[Pattern]:
        return self.index.get((pos, lemma), [])

    def __len__(self) -> int:
        return sum(len(v) for v in self.index.values())


def load_patterns(extra: Sequence[str | Path] = (), mined: bool = True) -> PatternSet:
    """Bundled patterns + mined CAMEO verbs + user files (NEWSLEDGER_PATTERNS, then ``extra``).

    >>> ps = load_patterns()
    >>> ps.lookup("verb", "condemn")[0].type
    'ACCUSE'
    """
    patterns, lists = read_pattern_file(DATA / "events" / "patterns.yaml", TIER_HAND)
    user = [s for s in os.environ.get("NEWSLEDGER_PATTERNS", "").split(os.pathsep) if s]
    for spec in [*user, *extra]:
        for f in pattern_files(spec):
            more, more_lists = read_pattern_file(f, TIER_USER)
            patterns += more
            for k, v in more_lists.items():
                lists[k] = [*lists.get(k, []), *v]
    if mined and (DATA / "events" / "cameo_verbs.tsv").exists():
        loose = set(lists.get("loose_mined_verbs", ()))
        patterns += [p for p in mined_patterns(DATA / "events" / "cameo_verbs.tsv")
                     if p.object or not loose & set(p.lemmas)]
    return PatternSet(patterns, lists.get("light_verbs", ()), lists.get("intent_verbs", ()),
                      lists.get("container_nouns", ()), lists.get("observers", ()))


def mined_patterns(path: Path) -> list[Pattern]:
    """Mined verbs code only between two resolved actors: they are broad synonym sets."""
    out = []
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    for row in csv.DictReader(lines, delimiter="\t"):
        row = dict(row, needs="both")
        p = pattern_from(row, TIER_MINED)
        if p is not None:
            out.append(p)
    return out


class Ontology:
    """CAMEO Goldstein values and quad classes from the bundled table."""

    def __init__(self, path: Path = DATA / "ontology" / "cameo_codes.tsv"):
        self.codes: dict[str, tuple[float | None, int | None]] = {}
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.startswith("#")]
        for row in csv.DictReader(lines, delimiter="\t"):
            self.codes[row["code"]] = (float(row["goldstein"]), int(row["quad_class_common"]))
        self.quads: dict[str, int] = {}
        types = path.with_name("plover_types.tsv")
        lines = [ln for ln in types.read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.startswith("#")]
        for row in csv.DictReader(lines, delimiter="\t"):
            self.quads[row["type"]] = int(row["quad"])

    def quad(self, plover_type: str) -> int | None:
        return self.quads.get(plover_type)

    def cameo(self, code: str | None) -> tuple[float | None, int | None]:
        if not code:
            return None, None
        for n in range(len(code), 1, -1):
            if code[:n] in self.codes:
                return self.codes[code[:n]]
        return None, None


@lru_cache(maxsize=1)
def ontology() -> Ontology:
    return Ontology()


@Language.factory("newsledger_events", default_config={
    "patterns": [], "keep_modalities": ["asserted"], "mined": True, "candidates": False})
def make_component(nlp: Language, name: str, patterns: list[str],
                   keep_modalities: list[str], mined: bool, candidates: bool = False):
    """Component config: ``patterns`` extra pattern files or folders (added to those named by the
    NEWSLEDGER_PATTERNS environment variable), ``keep_modalities`` which modalities reach
    ``doc._.nl_events`` (all go to ``doc._.nl_events_all``), ``mined`` use the CAMEO-mined verbs,
    ``candidates`` also code acts whose doer cannot be placed (flagged; a Doc can ask for them
    with ``doc.user_data["nl_candidates"] = True``)."""
    return EventCoder(load_patterns(extra=patterns, mined=mined), tuple(keep_modalities),
                      candidates)


class EventCoder:
    def __init__(self, patterns: PatternSet, keep_modalities: Sequence[str] = ("asserted",),
                 candidates: bool = False):
        self.patterns = patterns
        self.keep = set(keep_modalities)
        self.candidates = candidates  # off unless asked: most callers never look at them

    def __call__(self, doc: Doc) -> Doc:
        wanted = doc.user_data.get("nl_candidates", self.candidates)
        events = merge(*code_doc(doc, self.patterns, wanted))
        doc._.nl_events_all = events
        doc._.nl_events = [e for e in events if e.modality in self.keep and not e.candidate]
        return doc


# ---------------------------------------------------------------- actors on tokens

class Actors:
    """Actor mentions indexed by token, with the parse walks that find the actor of a phrase."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.by_token: dict[int, Actor] = {}
        self.dateline_end = dateline_end(_attrs.text(doc))
        for actor in doc._.nl_actors or []:
            if actor.start is None or actor.end is None:
                continue
            if not actor.country and not (actor.sector in ("NGO", "REB") and actor.kind != "pronoun"):
                continue  # a named organisation without a country still acts
            if actor.end <= self.dateline_end:
                continue  # "KYIV, July 18 -" says where the story was filed, not who acted
            span = doc.char_span(actor.start, actor.end, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                old = self.by_token.get(t.i)
                if old is None or (old.end - old.start) < (actor.end - actor.start):
                    self.by_token[t.i] = actor
        self.places = list(doc._.nl_places or [])

    def at(self, tok: Token, depth: int = 0) -> tuple[Actor | None, bool]:
        """The actor of the phrase headed by ``tok`` and whether ``tok`` itself is the mention.

        Walks possessors, compounds, adjectives and appositions ("Pakistan's defence minister",
        "Israeli warplanes") and "of" phrases, never other prepositional phrases: the target of
        "condemned the attack in Kashmir" is not India.
        """
        if tok.i in self.by_token:
            found = self.by_token[tok.i]
            if found.kind != "person":  # "Prime Minister Modi": the name beats the title
                for c in tok.children:
                    named = self.by_token.get(c.i)
                    if c.dep_ in ("appos", "compound") and named and named.kind == "person":
                        return named, True
            return found, True
        if depth > 2:
            return None, False
        pronoun = None
        for c in tok.children:
            if c.dep_ == "amod" and c.lemma_ == "lead" and depth == 0:
                # "the Saudi-led coalition": its leader's (not "Russia-backed": a backer's)
                leader = next((self.by_token[x.i] for x in c.children
                               if x.dep_ in ("npadvmod", "compound") and x.i in self.by_token),
                              None)
                if leader is not None and leader.kind in ("country", "igo", "group", "person"):
                    return leader, False  # a named leader: not "military-led nations"
            if c.dep_ in ("poss", "compound", "amod", "nmod", "appos") or is_possessor(c):
                found, _ = self.at(c, depth + 1)
                if found and c.lower_ in POSSESSIVE_PRONOUNS:
                    pronoun = pronoun or found  # "his Sudanese counterpart": Sudan's, not his
                elif found:
                    return found, False
        if pronoun is not None:
            return pronoun, False
        if depth == 0 and lemma_of(tok) in OFFICIAL_NOUNS:  # "a spokesperson in Beijing"
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "from", "to", "for"):
                    for p in pobjs(c):
                        found = self.by_token.get(p.i) or self.place_actor(
                            p.idx, p.right_edge.idx + len(p.right_edge))
                        if found:
                            return found, False
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ == "of" and depth == 0:
                for p in c.children:
                    if p.dep_ == "pobj":
                        found, direct = self.at(p, depth + 1)
                        if found:
                            return found, direct  # "the removal of President X" names X
        return None, False

    def of_tokens(self, toks: Iterable[Token]) -> list[tuple[Actor, bool]]:
        out: list[tuple[Actor, bool]] = []
        seen: set[str] = set()
        for t in expand_conj(toks):
            actor, direct = self.at(t)
            found = [(actor, direct)] if actor else []
            if actor:  # "U.S. and Russian negotiators": every coordinated modifier
                for c in t.children:
                    group = expand_conj([c]) if c.dep_ in ("amod", "compound", "nmod") else []
                    if len(group) > 1:
                        found += [(a, False) for x in group[int(not direct):]
                                  for a in [self.at(x)[0]] if a]
            if actor is None and t.lower_ in REPORTED_PRONOUNS:
                found = [(a, False) for a in self.speakers_of(t)]
            if actor is None and not found:  # "diplomats from countries, including Chile"
                found = [(a, False) for x in named_members(t) for a in [self.at(x)[0]] if a]
            if actor is not None:  # "the embassies of Rwanda, France and Belgium"
                found += [(a, d) for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                          for x in expand_conj(pobjs(c))[1:] for a, d in [self.at(x)] if a]
            for a, d in found:
                if a.country not in seen:
                    seen.add(a.country)
                    out.append((a, d))
        return out

    def speaker_of(self, pronoun: Token) -> Actor | None:
        """"Switzerland said it had expelled ...": an unresolved pronoun subject of a reported
        clause is the speaker."""
        verb = pronoun.head
        if pronoun.dep_ not in ("nsubj", "nsubjpass") or verb.dep_ != "ccomp":
            return None
        for c in verb.head.children:
            if c.dep_ == "nsubj":
                return self.at(c)[0]
        return None

    def speakers_of(self, pronoun: Token) -> list[Actor]:
        """Every speaker of a reported clause ("X, Y and Z were among those that said they
        ..."), falling back to the plain subject of the saying verb."""
        verb = pronoun.head
        if pronoun.dep_ == "nsubj" and verb.dep_ == "relcl" and pronoun.lower_ in ("it", "they"):
            return self.clause_doers(verb)
        if pronoun.dep_ not in ("nsubj", "nsubjpass") or verb.dep_ not in ("ccomp", "conj"):
            return []
        if verb.dep_ == "conj":  # "The ministry said ..., and it condemned X": the same doer
            heads = subjects(verb.head)
            if any(h.lower_ in REPORTED_PRONOUNS for h in heads):
                return []
            return [a for x in expand_conj(heads) for a in [self.at(x)[0]] if a]
        out = [a for x in expand_conj(subjects(verb.head)) for a in [self.at(x)[0]] if a]
        if not out:
            out = [a for a in [self.speaker_of(pronoun)] if a]
        return out

    def clause_doers(self, relcl: Token) -> list[Actor]:
        """"X described the strikes as retaliation for the attack, which it blamed on Y": the
        it/they of a relative clause is the doer of the clause that holds it."""
        t = relcl.head
        for _ in range(6):
            if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
                break
            t = t.head
        heads = subjects(t) if t.pos_ in ("VERB", "AUX") else []
        if any(h.lower_ in REPORTED_PRONOUNS for h in heads):
            return []
        return [a for x in expand_conj(heads) for a in [self.at(x)[0]] if a]

    def place_of(self, phrases: list[Token]) -> Actor | None:
        """The country of the place these phrases name ("Los Angeles", "Surrey, Canada")."""
        if not phrases:
            return None
        return self.place_actor(min(t.left_edge.idx for t in phrases),
                                max(t.right_edge.idx + len(t.right_edge) for t in phrases))

    def place_actor(self, start: int, end: int) -> Actor | None:
        """An actor standing for the country of a place inside a span (victims of an attack)."""
        place = find_place(self.doc, self.places, start, end)
        if place is None or not place.country:
            return None
        return Actor(text=place.text, name=place.name, country=place.country, kind="country",
                     start=place.start, end=place.end)


def named_members(tok: Token) -> list[Token]:
    """The members a group phrase names: "countries, including A, B and C", also through the
    "from/of" phrase of an official noun ("envoys from several states, including A")."""
    heads = [tok] + ([p for c in tok.children if c.dep_ == "prep" and c.lower_ in ("from", "of")
                      for p in pobjs(c)] if lemma_of(tok) in OFFICIAL_NOUNS else [])
    for h in heads:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in ("including", "like"):
                return expand_conj(pobjs(c))
    return []


DATELINE = re.compile(
    r"^[A-Z][^\n]{0,60}?\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:,\s*\d{4})?\s*(?:\([^)]{1,30}\)\s*)?[-\u2013\u2014]\s")


DASHES = {"-", "--", "\u2013", "\u2014"}


def dateline_end(text: str) -> int:
    """Where a wire dateline ("BRASILIA, Jan 9 - ") ends, or 0."""
    m = DATELINE.match(text)
    return m.end() if m else 0


def doc_dateline_end(doc: Doc) -> int:
    if "nl_dateline_end" not in doc.user_data:
        doc.user_data["nl_dateline_end"] = dateline_end(_attrs.text(doc))
    return doc.user_data["nl_dateline_end"]


def find_place(doc: Doc, places: list[Place], start: int, end: int) -> Place | None:
    try:
        from newsledger.extract.places import place_for_span
    except ImportError:
        place_for_span = None
    if place_for_span is not None:
        try:
            return place_for_span(doc, start, end)
        except Exception:  # a sibling stage's failure must not sink event coding
            pass
    inside = [p for p in places if p.start >= start and p.end <= end and p.country]
    return inside[0] if inside else None


def is_possessor(tok: Token) -> bool:
    """"India's" as a possessor, also when a curly apostrophe makes the parser miss it."""
    return tok.dep_ == "poss" or (tok.i < tok.head.i and any(
        c.dep_ == "case" and c.lower_ in ("'s", "\u2019s", "'", "\u2019") for c in tok.children))


def expand_conj(toks: Iterable[Token]) -> list[Token]:
    out: list[Token] = []
    for t in toks:
        stack = [t]
        while stack:
            x = stack.pop()
            if x not in out:
                out.append(x)
            stack.extend(c for c in x.children if c.dep_ == "conj")
    return out


# ---------------------------------------------------------------- grammatical slots

def is_passive(v: Token) -> bool:
    # "asked by a reporter, Trump said ...": a participle with an agent is passive too
    # (not "were concerned by the violence and called for calm": an adjective's agent)
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in v.children) or (
        v.dep_ == "acl" and v.tag_ == "VBN") or (
        v.dep_ == "advcl" and v.tag_ == "VBN" and any(c.dep_ == "agent" for c in v.children)) \
        or stative_passive(v)


def adjectival_passive(v: Token) -> bool:
    """A participle that reads as an adjective: "is committed to", "are prepared to" (a passive
    with no doer named)."""
    return v.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in v.children) \
        and not any(c.dep_ == "agent" for c in v.children)


def stative_passive(v: Token) -> bool:
    """A participle after "stand/remain": "two soldiers stand accused of the bombing"."""
    return v.tag_ == "VBN" and v.dep_ in ("acomp", "xcomp", "oprd", "advcl") \
        and lemma_of(v.head) in ("stand", "remain")


def pobjs(prep: Token) -> list[Token]:
    found = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    if found or prep.dep_ != "prep" or prep.i + 1 >= len(prep.doc):
        return found
    nxt = prep.doc[prep.i + 1]
    if nxt.dep_ == "prep" and nxt.head.i == prep.i:  # "out of the talks", "ahead of"
        return [c for c in nxt.children if c.dep_ in ("pobj", "pcomp")]
    # "granted asylum to five officers holed up in ...": the parser made the object the
    # subject of the participle after it, leaving the preposition bare
    head = next((t for t in (nxt, *nxt.ancestors) if t.left_edge.i == nxt.i
                 and t.dep_ in ("nsubj", "nsubjpass") and t.head.i > t.i
                 and t.head.tag_ in ("VBN", "VBG", "VBD")), None)
    return [head] if head is not None else []


# Verbs that judge someone for an act: the one judged did it ("thanked X for its help")
JUDGING = {"punish", "blame", "condemn", "sanction", "criticize", "criticise", "accuse", "fault",
           "censure", "denounce", "rebuke", "thank", "praise", "congratulate", "commend",
           "reward", "penalize", "penalise"}


def subjects(v: Token, depth: int = 0) -> list[Token]:
    """Tokens of the doer of verb ``v``: subject, passive agent, or inherited from the governor."""
    if is_passive(v):
        agents = [p for c in v.children if c.dep_ == "agent" for p in pobjs(c)]
        return agents or fought_with(v) or expelled_by(v)
    cut = doc_dateline_end(v.doc)
    # "the same day recalled ...": a time phrase misparsed as the subject is no doer
    subj = [c for c in v.children if c.dep_ in SUBJ_DEPS and lemma_of(c) not in TIME_NOUNS]
    if len(subj) > 1 and cut:
        subj = [c for c in subj if c.idx >= cut] or subj  # "KHARTOUM, April 17 - Sudan's army ..."
    if len(subj) > 1 and all(b.left_edge.i == a.right_edge.i + 1 for a, b in zip(subj, subj[1:])):
        # "Libyan Prime Minister Fayez al-Sarraj meanwhile rejected": one name the parser cut
        # into several subjects side by side; the whole of it is the doer
        return subj
    for c in subj:
        if c.dep_ in SUBJ_DEPS:
            if c.lower_ in RELATIVE_PRONOUNS and v.dep_ == "relcl":
                group = v.head
                if group.dep_ == "pobj" and group.head.lower_ == "among" \
                        and group.head.head.pos_ in ("VERB", "AUX"):
                    return subjects(group.head.head, depth + 1)  # "X were among those who ..."
                return [group]
            if c.i == 0 or (c.i < 4 and c.is_upper and len(c) > 2):
                # a dateline parsed as the subject: the real subject hangs off it
                real = [a for a in c.children if a.dep_ == "appos"]
                if real and (c.is_upper or any(t.text in DASHES for t in c.doc[c.i:real[0].i])):
                    # "Pakistan, a key U.S. ally, refused": an apposition describes its subject
                    return real
            return [c]
    if depth > 3 or v.head.i == v.i:
        return []
    head = v.head
    if v.dep_ == "xcomp":
        if head.lemma_.lower() in CONTROL_BY_OBJECT:
            objs = [c for c in head.children if c.dep_ in OBJ_DEPS]
            if objs:
                return objs
        return subjects(head, depth + 1)
    if v.dep_ == "advcl" and v.tag_ == "VBG" and head.dep_ == "xcomp" and head.tag_ == "VB":
        # "ordered X to leave, accusing ...": the participle comments on the ordering
        return subjects(finite_host(head), depth + 1)
    if v.dep_ == "conj" and finite(v) and head.tag_ == "VB":
        # "urged X to withdraw ... and called on Y": a finite verb cannot share an infinitive's
        # subject; the parser hung it on the infinitive, its doer is the finite clause's
        return subjects(finite_host(head), depth + 1)
    if v.dep_ in ("conj", "advcl") and (head.pos_ in ("VERB", "AUX") or head.dep_ == "acomp"):
        return subjects(head, depth + 1)  # "were concerned ... and called for calm"
    if v.dep_ in ("relcl", "acl"):
        issuer = issued_in(v)
        if issuer is not None:
            return subjects(issuer, depth + 1)  # "issued a declaration demanding": its issuer
        root = v.sent.root
        if v.dep_ == "relcl" and finite(v) and root.pos_ in ("NOUN", "PROPN") and root.i < v.i:
            # "The Afghan government, a number of parties and the Taliban condemned ...": a
            # finite clause with no subject of its own and a sentence with no verb root is
            # the main clause misread as a relative one; its doer is the sentence's head noun
            return [root]
        return [head]
    if v.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        return subjects(head.head, depth + 1)  # "responded by downgrading relations"
    if v.dep_ == "acomp":
        return subjects(head, depth + 1)
    return []


def issued_in(v: Token) -> Token | None:
    """The verb that issued the statement this clause hangs on ("issued a declaration
    demanding X", "adopted a resolution which demands X"), else None."""
    head = v.head
    if v.dep_ in ("relcl", "acl") and lemma_of(head) in STATEMENT_NOUNS \
            and head.dep_ in OBJ_DEPS and head.head.pos_ in ("VERB", "AUX"):
        return head.head
    return None


FIGHTS = {"clash", "fighting", "battle", "ambush", "raid", "firefight", "gunfight", "skirmish",
          "attack", "exchange", "shootout", "crossfire"}


def fought_with(v: Token) -> list[Token]:
    """The other side of the fight a passive act happened in: "13 soldiers have been killed in
    clashes with the rebels", "were wounded in an attack by gunmen"."""
    return [o for c in v.children if c.dep_ == "prep" and c.lower_ in ("in", "during")
            for f in pobjs(c) if lemma_of(f) in FIGHTS
            for w in f.children if w.dep_ == "prep" and w.lower_ in ("with", "by")
            for o in pobjs(w)]


def expelled_by(v: Token) -> list[Token]:
    """Who expelled, when the passive does not say: the country they were expelled from ("two
    inspectors have been expelled from North Korea")."""
    if lemma_of(v) not in ("expel", "deport", "banish", "evict", "eject"):
        return []
    return [p for c in v.children if c.dep_ == "prep" and c.lower_ == "from" for p in pobjs(c)]


def finite(v: Token) -> bool:
    return v.tag_ in ("VBD", "VBZ", "VBP")


def finite_host(v: Token) -> Token:
    """The nearest finite verb above a non-finite one ("said ships could keep ...": said)."""
    t = v
    for _ in range(4):
        if finite(t) and not any(c.dep_ == "aux" and c.tag_ == "MD" for c in t.children):
            return t
        if t.head.i == t.i or t.dep_ not in ("xcomp", "ccomp", "conj", "advcl"):
            return t
        t = t.head
    return t


def objects(v: Token) -> list[Token]:
    """What verb ``v`` acts on; memoised per document (slots and patterns ask many times) as
    token indices, since Tokens kept in the Doc would tie it into a reference cycle."""
    doc = v.doc
    cache = doc.user_data.setdefault("nl_objects", {})
    found = cache.get(v.i)
    if found is None:
        found = cache[v.i] = tuple(t.i for t in _objects(v))
    return [doc[i] for i in found]


def _objects(v: Token) -> list[Token]:
    if is_passive(v):
        if v.dep_ == "acl":
            return [v.head]
        if stative_passive(v):
            return [c for c in v.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        return [c for c in v.children if c.dep_ == "nsubjpass"]
    objs = [c for c in v.children if c.dep_ in OBJ_DEPS]
    if not objs and v.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.lower_ not in
                                              RELATIVE_PRONOUNS for c in v.children) \
            and not any(c.dep_ == "prep" and not any(c.children) for c in v.children):
        # "the stimulus it has deployed": the noun is what was deployed (not in "the country
        # it withdrew from", where the preposition is left stranded)
        return [v.head]
    if not objs:  # "kidnapped up to 16 advisers": the parser reads "up to" as a particle phrase
        objs = [o for c in v.children if c.dep_ == "prt" and c.lower_ == "up"
                for p in c.children if p.dep_ == "prep" and p.lower_ == "to" for o in pobjs(p)]
    if not objs:  # a small clause: "declared Mexico's ambassador persona non grata"
        objs = [s for c in v.children if c.dep_ in ("ccomp", "oprd")
                and c.pos_ in ("NOUN", "PROPN", "ADJ")
                and not any(m.dep_ in ("mark", "aux") for m in c.children)
                for s in c.children if s.dep_ == "nsubj"]
    return objs


def slot_tokens(trigger: Token, slot: str, governor: Token | None) -> list[Token]:
    """Tokens filling one target slot of a trigger (and of its light verb for nouns)."""
    heads = [trigger] + ([governor] if governor is not None else [])
    is_noun = trigger.pos_ not in ("VERB", "AUX", "ADJ")
    kind, _, word = slot.partition(":")
    if word and kind in WORD_SLOTS:
        return WORD_SLOTS[kind](trigger, heads, is_noun, word)
    if slot in SLOTS:
        return SLOTS[slot](trigger, heads, is_noun)
    return []


def _dobj(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    return [] if is_noun else objects(trigger)


def _dative(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    return [c for h in heads for c in h.children if c.dep_ == "dative"]


def _poss(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    if is_noun:
        return []
    return [c for o in objects(trigger) for c in o.children if c.dep_ == "poss"]


def _content(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    """"dismissed reports that it had asked Israel for help", "set a deadline for the
    Authority to hold elections" (a "for ... to" clause, which the parser may hang anywhere)."""
    return [t for o in objects(trigger) for c in o.children if c.dep_ in ("acl", "ccomp") or (
                c.dep_ in ("relcl", "advcl") and any(m.dep_ == "mark" and m.lower_ == "for"
                                                     for m in c.children))
            for t in c.subtree if t.pos_ in ("PROPN", "NOUN")]


def _verb_object(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    """"told X in a phone call"."""
    v = trigger.head.head if trigger.dep_ == "pobj" and trigger.head.dep_ == "prep" else None
    return [c for c in v.children if c.dep_ in OBJ_DEPS + ("dative",)] if v is not None else []


def _xcomp_object(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    """"ready to accept a U.S. proposal", "refused to let U.S. planes"."""
    out = []
    for c in trigger.children:
        if c.dep_ in ("xcomp", "ccomp"):
            objs = expand_conj(objects(c))
            out += objs + [p for x in [c, *objs] for pr in x.children if pr.dep_ == "prep"
                           and pr.lower_ in ("from", "with", "to", "against", "on") for p in pobjs(pr)]
    return out


def _clause_subject(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    """"asked for the Security Council to convene"."""
    return [s for c in trigger.children if c.dep_ in ("ccomp", "xcomp", "advcl")
            for s in c.children if s.dep_ in ("nsubj", "nsubjpass")]


def _condition_subject(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    """"threatened to stop the talks if the United States goes ahead": the one the condition
    is put to."""
    clauses = [trigger, *(c for c in trigger.children if c.dep_ in ("xcomp", "ccomp"))]
    return [s for v in clauses for c in v.children if c.dep_ == "advcl"
            and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children)
            for s in c.children if s.dep_ in ("nsubj", "nsubjpass")]


def _complement(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    """"declared Mexico's ambassador persona non grata" (misparsed)"""
    return [t for c in trigger.children if c.dep_ in ("ccomp", "oprd", "xcomp")
            for t in c.subtree if t.pos_ in ("PROPN", "NOUN") and t.i < c.i]


def _nsubj_of_ccomp(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    return [s for c in trigger.children if c.dep_ == "ccomp"
            for s in c.children if s.dep_ in ("nsubj", "nsubjpass")]


def _subject_passive(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    """"two Indians were arrested"."""
    return [c for c in trigger.children if c.dep_ == "nsubjpass"]


def _poss_of_pobj(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    """"called for Uganda's restraint", "into Ghana's embassy"."""
    return [o for h in heads for c in h.children if c.dep_ == "prep"
            for p in pobjs(c) for o in p.children if o.dep_ == "poss"]


def _in_country(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    """"the attack in Pakistan": the place's country"""
    return in_objects(heads)


def in_objects(heads: Iterable[Token]) -> list[Token]:
    """The objects of the "in" phrases on these tokens ("police in Los Angeles")."""
    return [p for h in heads for c in h.children if c.dep_ == "prep" and c.lower_ == "in"
            for p in pobjs(c)]


def _adjunct(trigger: Token, heads: list[Token], is_noun: bool, word: str) -> list[Token]:
    """"rallied ..., chanting slogans against X"."""
    return [p for h in heads for c in h.children if c.dep_ == "advcl" and c.tag_ == "VBG"
            for t in c.subtree if t.dep_ == "prep" and t.lower_ == word for p in pobjs(t)]


def _acl_object(trigger: Token, heads: list[Token], is_noun: bool) -> list[Token]:
    """"allegations linking New Delhi to the killing": the object of a participle on the
    trigger noun."""
    return [o for c in trigger.children if c.dep_ == "acl" and c.tag_ == "VBG"
            for o in objects(c)]


def _object_acl(trigger: Token, heads: list[Token], is_noun: bool, word: str) -> list[Token]:
    """"lifted the sanctions imposed on India": a WORD phrase in a participle on the object."""
    return [p for o in objects(trigger) for c in o.children if c.dep_ == "acl"
            for t in c.children if t.dep_ == "prep" and t.lower_ == word for p in pobjs(t)]


def _object_prep(trigger: Token, heads: list[Token], is_noun: bool, word: str) -> list[Token]:
    """"evacuated its positions in Eritrea": a WORD phrase on the object."""
    return [p for o in objects(trigger) for c in o.children if c.dep_ == "prep"
            and c.lower_ == word for p in pobjs(c)]


def _pobj_prep(trigger: Token, heads: list[Token], is_noun: bool, word: str) -> list[Token]:
    """"called for sanctions against Turkey": a WORD phrase on what the call is for."""
    return [q for h in heads for c in h.children if c.dep_ == "prep"
            for p in pobjs(c) for t in p.children if t.dep_ == "prep" and t.lower_ == word
            for q in pobjs(t)]


def _prep(trigger: Token, heads: list[Token], is_noun: bool, word: str) -> list[Token]:
    out = []
    if not is_noun:
        objs = expand_conj(objects(trigger))
        heads = heads + objs + group_members(objs)
    else:
        after = prep_after(trigger)  # "solidarity with Mexico", whatever the parser hung it on
        if after is not None and after.lower_ == word and after.head.i != trigger.i:
            out.extend(pobjs(after))
    for h in heads:
        for c in h.children:
            if c.dep_ in ("prep", "dative", "agent") and c.lower_ == word:
                # "on Taiwan's envoy and on two American groups": the repeated preposition too
                for prep in [c, *(x for x in c.children if x.dep_ == "conj" and x.lower_ == word)]:
                    out.extend(pobjs(prep))
    if not out and not is_noun and word == "to":
        out = stranded_to(objects(trigger))
    goods = [g for g in out if lemma_of(g) in TRADE_GOODS]
    return out + [o for g in goods for o in origin_of_goods(g, heads)] if goods else out


def stranded_to(objs: list[Token]) -> list[Token]:
    """"returned 12 skulls that date back to 640 to Peru": a "to" phrase the parser hung inside
    a clause on the object, where a verb of giving has its recipient."""
    return [p for o in objs for c in o.children if c.dep_ in ("acl", "relcl", "appos")
            for t in c.subtree if t.dep_ == "prep" and t.lower_ == "to" and t.head.i != o.i
            for p in pobjs(t)]


# Things traded: a duty or ban on them falls on the country they come from
TRADE_GOODS = {"good", "import", "export", "product", "shipment", "commodity", "produce",
               "steel", "aluminium", "aluminum", "car", "vehicle", "grain", "wheat", "oil", "gas"}


def origin_of_goods(goods: Token, heads: list[Token]) -> list[Token]:
    """"duties on goods from Canada": Canada, whether the parser hangs "from" on the goods or
    on the verb."""
    for h in (goods, *heads):
        found = [p for c in h.children if c.dep_ == "prep" and c.lower_ == "from" for p in pobjs(c)]
        if found:
            return found
    return []


# The target slots a pattern may name (docs/patterns.md); "prep:WORD" and "adjunct:WORD" take
# a word. The pattern loader checks names against these tables.
SLOTS = {"dobj": _dobj, "dative": _dative, "poss": _poss, "content": _content,
         "verb_object": _verb_object, "xcomp_object": _xcomp_object,
         "clause_subject": _clause_subject, "complement": _complement,
         "nsubj_of_ccomp": _nsubj_of_ccomp, "subject_passive": _subject_passive,
         "poss_of_pobj": _poss_of_pobj, "in_country": _in_country, "acl_object": _acl_object,
         "condition_subject": _condition_subject}
WORD_SLOTS = {"prep": _prep, "adjunct": _adjunct, "object_acl": _object_acl,
              "object_prep": _object_prep, "pobj_prep": _pobj_prep}


# ---------------------------------------------------------------- matching

MONTHS = {"March", "May"}


def trigger_pos(tok: Token) -> str | None:
    pos = tok.pos_
    if pos == "VERB":
        if tok.dep_ in ("amod", "compound") and tok.i < tok.head.i or tok.text in MONTHS:
            return None  # "the Israeli-occupied West Bank", "the banned movement": a modifier
        return "verb"
    if pos == "NOUN":
        return None if tok.text in MONTHS else "noun"
    if pos == "PROPN":  # a lower-case word the small model tagged as a name: "in solidarity"
        return "noun" if tok.text.islower() else None
    if pos == "ADJ":
        return "adj"
    if pos == "AUX" and tok.dep_ == "ROOT" and tok.text not in MONTHS:
        return "verb"
    return None


# Hyphenated nouns the tokenizer splits ("a weeklong cease-fire", "staged a sit-in"), by the
# word the parser makes their head
HYPHENATED = {("cease", "fire"): "ceasefire", ("sit", "in"): "sit-in",
              ("walk", "out"): "walkout", ("pull", "out"): "pullout",
              ("stand", "off"): "standoff", ("hand", "over"): "handover",
              ("take", "over"): "takeover", ("crack", "down"): "crackdown"}


HYPHEN_HEADS = {head for _, head in HYPHENATED}


def lemma_of(tok: Token) -> str:
    lemma = tok.lemma_.lower()  # verb lemmas already repaired (see lemmas.py)
    if lemma in HYPHEN_HEADS and tok.i > 1 and tok.nbor(-1).text == "-" \
            and not tok.nbor(-1).whitespace_ and not tok.nbor(-2).whitespace_:
        return HYPHENATED.get((tok.nbor(-2).lower_, tok.lower_), lemma)
    return lemma


def word_forms(tok: Token) -> set[str]:
    """Lemma and a plain singular: a sentence-initial "Protesters" may be tagged a proper noun."""
    low = tok.lower_
    return {lemma_of(tok), low, low[:-1] if low.endswith("s") else low}


def container_of(tok: Token, containers: set[str]) -> Token:
    """The measure or container noun standing for a nominal trigger ("four days of talks",
    "messages of sympathy", "tons of aid"), else the trigger itself."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN" \
            and lemma_of(tok.head.head) in containers:
        return tok.head.head
    return tok


def light_governor(tok: Token, patterns: PatternSet) -> Token | None:
    """The light verb whose object (or its conjunct) is this nominal trigger: "held talks",
    "sent messages of sympathy", "responded with a drone strike"."""
    t = tok
    if t.dep_ == "conj" and t.head.dep_ in OBJ_DEPS + ("nsubjpass", "pobj"):
        t = t.head
    t = container_of(t, patterns.container_nouns)
    if t.dep_ in OBJ_DEPS + ("nsubjpass",) and lemma_of(t.head) in patterns.light_verbs:
        return t.head
    if t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.head.pos_ == "VERB" \
            and lemma_of(t.head.head) in patterns.light_verbs \
            and t.head.lower_ in ("to", "into", "with"):
        return t.head.head  # "came to the aid of", "responded with strikes"
    return None


def when(prep: Token) -> bool:
    """Is this a time phrase ("On Nov. 2, X called Y"), which no verb's particle can be?"""
    return any(o.ent_type_ in ("DATE", "TIME") or lemma_of(o) in TIME_NOUNS for o in pobjs(prep))


CURRENCY = {"$", "€", "£", "¥", "us$", "dollar", "euro", "pound", "yen", "yuan", "rupee", "franc",
            "shilling", "naira", "rand", "riyal", "dirham", "ruble", "rouble"}


def is_money(tok: Token) -> bool:
    """An amount with its currency ("$1.7 billion", "€28 million"; not "20 million chickens",
    which the small model may still tag MONEY)."""
    return tok.ent_type_ == "MONEY" and any(
        t.lower_ in CURRENCY or lemma_of(t) in CURRENCY for t in tok.subtree)


def group_members(objs: list[Token]) -> list[Token]:
    return [m for o in objs if lemma_of(o) in GROUP_NOUNS for c in o.children
            if c.dep_ == "prep" and c.lower_ == "of" for m in pobjs(c)]


# Nouns whose "of" phrase names what is really meant: "a mission of observers", "part of a
# stronghold", "took control of the city", "declared a state of siege"
GROUP_NOUNS = {"mission", "team", "group", "delegation", "contingent", "batch", "unit", "squad",
               "detachment", "convoy", "fleet", "flotilla", "part", "much", "most", "half",
               "control", "rest", "section", "portion", "state"}
OCCUPATION = "192"  # CAMEO: occupy territory
PLACE = "<place>"  # in a pattern's object list: any place the places stage found ("took Goma")


def is_place(tok: Token) -> bool:
    return tok.pos_ == "PROPN" and any(p.start <= tok.idx < p.end
                                       for p in tok.doc._.nl_places or ())


def bare_infinitive(v: Token) -> bool:
    return v.tag_ == "VB" and not any(a.dep_ in ("aux", "auxpass") for a in v.children)


def prep_after(noun: Token) -> Token | None:
    """The preposition right after a noun, past a time phrase ("opened a hearing Wednesday
    into the killings"), wherever the parser hung it."""
    i = noun.i + 1
    while i < len(noun.doc) and noun.doc[i].ent_type_ in ("DATE", "TIME") and i - noun.i <= 4:
        i += 1
    if i < len(noun.doc) and noun.doc[i].dep_ == "prep":
        return noun.doc[i]
    return None


class Facts:
    """What the patterns ask of one trigger token, each worked out once and only when first
    asked: a verb may be tried against dozens of patterns."""

    def __init__(self, tok: Token, subj: list[Token]):
        self.tok, self.subj = tok, subj
        self.kids = list(tok.children)

    @cached_property
    def pobj_lemmas(self) -> set[str]:
        return {lemma_of(o) for c in self.kids if c.dep_ == "prep" for o in pobjs(c)}

    @cached_property
    def objects(self) -> list[Token]:
        objs = expand_conj(objects(self.tok))
        # "a loan programme", "an aid package": a compound modifier names the thing too; "a
        # mission of observers", "a team of rescuers": the members
        return objs + [c for o in objs for c in o.children if c.dep_ == "compound"] \
            + group_members(objs)

    @cached_property
    def object_words(self) -> set[str]:
        return {w for o in self.objects for w in (lemma_of(o), o.lower_)}

    @cached_property
    def child_words(self) -> set[str]:
        return {w for c in self.kids for w in (lemma_of(c), c.lower_)}

    @cached_property
    def subject_forms(self) -> set[str]:
        return {f for s in expand_conj(self.subj) for w in counted(s) for f in word_forms(w)}

    @cached_property
    def subject_lemmas(self) -> set[str]:
        return {lemma_of(s) for s in self.subj}


def matches(p: Pattern, facts: Facts) -> bool:
    tok, kids = facts.tok, facts.kids
    if p.prep and not any(c.dep_ in ("prep", "prt", "agent", "dative", "advmod")
                          and c.lower_ in p.prep and not when(c) for c in kids) \
            and not any(m.dep_ == "mark" and m.lower_ in p.prep for c in kids
                        if c.dep_ in ("advcl", "ccomp") and c.i > tok.i for m in c.children
                        if m.i < c.i and m.i == tok.i + 1) \
            and not (tok.pos_ == "NOUN" and (after := prep_after(tok)) is not None
                     and after.lower_ in p.prep):
        # the parser reads "called for the vote to go ahead" as a for-clause, and hangs the
        # phrase after a noun on the verb ("opened a hearing into the killings")
        return False
    if p.pobj and p.pobj.isdisjoint(facts.pobj_lemmas):
        return False
    if p.object and p.object.isdisjoint(facts.object_words) and not any(
            ("money" in p.object and is_money(o)) or (PLACE in p.object and is_place(o))
            for o in facts.objects):
        return False  # "provided $1.7 billion": an amount of money is money
    if p.child and p.child.isdisjoint(facts.child_words):
        return False
    if p.not_child and not p.not_child.isdisjoint(facts.child_words):
        return False
    if p.not_dep and tok.dep_ in p.not_dep:
        return False
    if p.subject and p.subject.isdisjoint(facts.subject_forms):
        return False
    if p.not_subject and not p.not_subject.isdisjoint(facts.subject_lemmas):
        return False
    if p.xcomp and not any(c.dep_ in ("xcomp", "ccomp")
                           and any(a.lower_ == "to" for a in c.children) for c in kids):
        return False
    if p.xcomp_lemma and not any(
            lemma_of(c) in p.xcomp_lemma and (c.dep_ == "xcomp" or (c.dep_ == "ccomp" and (any(
                a.dep_ == "aux" and a.lower_ == "to" for a in c.children) or bare_infinitive(c))))
            for c in kids):
        # the parser reads "allowed the convoy to enter" as a to-clause (ccomp), and "let the
        # convoy pass" as a clause with a bare infinitive
        return False
    if p.ccomp_aux and not any(c.dep_ == "ccomp" and any(
            a.dep_ == "aux" and a.lower_ in p.ccomp_aux for a in c.children) for c in kids):
        return False
    if p.not_child_dep and any(c.dep_ in p.not_child_dep for c in kids):
        return False
    if p.child_dep and not any(c.dep_ in p.child_dep
                               and not (c.dep_ == "oprd" and c.pos_ in ("PROPN", "VERB"))
                               for c in kids):
        return False  # "called PM Modi": a name is no description; a verb is a misparse
    return True


QUANTITY_NOUNS = {"hundred", "thousand", "dozen", "score", "ten", "million", "number",
                  "group", "crowd", "band", "couple"}


def counted(tok: Token) -> list[Token]:
    """A subject and what it counts: "hundreds of thousands of people" is people too."""
    chain = [tok]
    for _ in range(3):
        if lemma_of(tok) not in QUANTITY_NOUNS:
            break
        nxt = [o for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
               for o in pobjs(c)]
        if not nxt:
            break
        tok = nxt[0]
        chain.append(tok)
    return chain


@dataclasses.dataclass
class Hit:
    tok: Token
    pattern: Pattern
    governor: Token | None  # light verb of a nominal trigger


COMPARISONS = {"comparison", "compare", "reminiscent", "echo", "parallel", "similar", "akin",
               "liken", "analogy"}
REMEMBRANCES = {"anniversary", "commemoration", "memorial", "remembrance", "memory"}


def not_an_act(tok: Token, pos: str) -> bool:
    """A trigger word used for something other than an act."""
    if pos == "noun" and tok.dep_ == "compound":
        return True  # "a protest camp", "deportation flights": a modifier, not an event
    if tok.lower_ == "opposed" and tok.i > 0 and tok.nbor(-1).lower_ == "as":
        return True  # "as opposed to": a contrast, not an objection
    if pos != "noun":
        return False
    if repeats(tok.head) and tok.dep_ in OBJ_DEPS:
        return True  # "followed suit": no lawsuit (the repeated act is coded on its own)
    if tok.dep_ == "pobj" and tok.head.lower_ == "as":
        return True  # "denounced the deal as an attack on its sovereignty": a description
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and lemma_of(tok.head.head) in REMEMBRANCES:
        return True  # "the 20th anniversary of the strikes": remembered, not reported
    if tok.dep_ == "pobj" and tok.head.lower_ in ("with", "to", "of") \
            and lemma_of(tok.head.head) in COMPARISONS:
        return True  # "drew comparisons with the assault on the Capitol": a past act recalled
    # "leave or face arrest", "risk sanctions": a prospect, not an act
    return tok.dep_ in OBJ_DEPS + ("conj",) and lemma_of(
        tok.head if tok.dep_ != "conj" else tok.head.head) in RISK_VERBS


def find_hits(doc: Doc, patterns: PatternSet) -> dict[int, Hit]:
    hits: dict[int, Hit] = {}
    for tok in doc:  # the cheap dictionary look-up first: most tokens are no trigger
        pos = trigger_pos(tok)
        if pos is None:
            continue
        cands = patterns.lookup(pos, lemma_of(tok))
        if pos == "verb" and tok.tag_ == "VBN":
            adj = patterns.lookup("adj", tok.lower_)
            if adj and adjectival_passive(tok):  # "Vietnam is committed to ...": a state
                cands = adj + cands
        if not cands or not_an_act(tok, pos):
            continue
        governor = light_governor(tok, patterns) if pos == "noun" else None
        facts = Facts(tok, subjects(tok) if pos != "noun" else [])
        for p in cands:
            if matches(p, facts):
                if p.type:
                    hits[tok.i] = Hit(tok, p, governor)
                break
    for hit in list(hits.values()):
        if hit.governor is None or hit.governor.i not in hits:
            continue
        light = hits[hit.governor.i].pattern
        if not light.object or light.tier == TIER_MINED:
            # "pledged support": the noun carries the event, and so it does over a verb sense
            # mined from a broad synonym set ("began a joint exercise")
            del hits[hit.governor.i]
        elif hit.governor in objects(hit.tok.head) or hit.tok in objects(hit.governor):
            del hits[hit.tok.i]  # "gave military support": a verb pattern made for this object
    for hit in list(hits.values()):
        if hit.pattern.pos == "noun" and made_for(hit.tok, hits):
            del hits[hit.tok.i]
    for hit in list(hits.values()):
        refusal_vowed(hit, hits)
    for hit in list(hits.values()):
        protest_by_purpose(hit, hits)
    for hit in list(hits.values()):
        if hit.tok.dep_ == "ccomp" and hit.tok.head.i in hits and own_claim(hit.tok):
            del hits[hit.tok.head.i]  # "claimed that they had attacked": their attack
    for hit in list(hits.values()):
        if guilty_of(hit.tok) is not None and hit.tok.head.head.i in hits:
            del hits[hit.tok.head.head.i]  # "X are guilty of violating the ceasefire": X's act
    for hit in list(hits.values()):
        if lemma_of(hit.tok) in FINDINGS and hit.pattern.pos == "verb" and not any(
                t.i in hits or lemma_of(t) in WRONGDOING for c in hit.tok.children
                if c.dep_ == "ccomp" for t in c.subtree):
            del hits[hit.tok.i]  # "claimed that 55 percent are illiterate": no act alleged
        if hit.tok.dep_ == "xcomp" and hit.tok.head.i in hits and decision(hit.tok.head):
            del hits[hit.tok.head.i]  # "decided to lift the sanctions": the lifting is the act
    for hit in list(hits.values()):
        head = hits.get(hit.tok.head.i)
        if head is None and hit.tok.dep_ == "pobj" and hit.tok.head.dep_ == "prep":
            head = hits.get(hit.tok.head.head.i)  # "pounded the bases with air strikes"
        if hit.pattern.pos == "noun" and head is not None and head.pattern.pos != "noun" \
                and head.pattern.type == hit.pattern.type and hit.tok.i in hits \
                and not (hit.tok.dep_ in OBJ_DEPS and any(is_possessor(c) and c.pos_ != "PRON"
                                                          for c in hit.tok.children)):
            # "Israeli strikes killed 13": one event, coded at the verb; but "fighting
            # Russia's invasion" is two, each side's
            del hits[hit.tok.i]
    for hit in list(hits.values()):
        noun = hits.get(hit.tok.head.i)
        if hit.pattern.pos == "verb" and hit.tok.dep_ == "relcl" and noun is not None \
                and noun.pattern.pos == "noun" and noun.pattern.type == hit.pattern.type \
                and not any(c.dep_ in SUBJ_DEPS and c.lower_ not in RELATIVE_PRONOUNS
                            for c in hit.tok.children):
            del hits[hit.tok.i]  # "an air strike ... that killed two generals": the strike
    return hits


def made_for(noun: Token, hits: dict[int, Hit]) -> bool:
    """Is this noun trigger the object, or prepositional object, that a curated verb pattern
    names ("called a strike", "went on strike")? Then the verb's act is the noun's. Not when
    the verb cancels it: "cancelled the talks" still reports the talks, as acts not held."""
    if noun.dep_ == "pobj":
        verb, words = hits.get(noun.head.head.i), "pobj"
    else:
        verb, words = hits.get(noun.head.i), "object"
    if verb is None or verb.pattern.pos != "verb" or verb.pattern.tier == TIER_MINED:
        return False
    if lemma_of(noun) not in getattr(verb.pattern, words):
        return False
    return words == "pobj" or (noun in objects(verb.tok)
                               and lemma_of(verb.tok) not in mod.CANCEL_VERBS)


VOWS = {"vow", "pledge", "promise", "swear"}


def refusal_vowed(hit: Hit, hits: dict[int, Hit]) -> None:
    """A vow never to do a cooperative act is a refusal: "vowed never to hand over its
    president" (REJECT); but "pledged not to interfere" promises restraint (AGREE)."""
    if hit.pattern.type != "AGREE" or lemma_of(hit.tok) not in VOWS:
        return
    for c in hit.tok.children:
        act = hits.get(c.i) if c.dep_ == "xcomp" else None
        if act is not None and act.pattern.type in COOPERATIVE \
                and act.pattern.tier > TIER_MINED and any(
                n.dep_ == "neg" or n.lower_ == "never" for n in c.children):
            hits[hit.tok.i] = Hit(hit.tok, dataclasses.replace(
                hit.pattern, type="REJECT", cameo="120"), hit.governor)
            return


def protest_by_purpose(hit: Hit, hits: dict[int, Hit]) -> None:
    """An act done "to protest" is the protest: "shunned work to protest the settlements",
    "sat down on the tracks to protest". The act takes the protest's pattern unless it is an
    event of its own by a hand-made pattern ("recalled its envoy to protest": a sanction)."""
    tok = hit.tok
    if hit.pattern.type == "PROTEST" and hit.pattern.pos == "noun" and tok.dep_ == "pobj" \
            and tok.head.lower_ == "in" and tok.head.head.i in hits:
        del hits[tok.i]  # "suspended aid in protest at": the act done is the protest
        return
    purpose = tok.dep_ in ("advcl", "xcomp") and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    if hit.pattern.type != "PROTEST" or hit.pattern.pos != "verb" or not purpose:
        return
    act = tok.head
    if act.pos_ != "VERB" or act.i == tok.i:
        return
    own = hits.get(act.i)
    if own is not None and own.pattern.tier > TIER_MINED:
        return
    hits[act.i] = Hit(act, hit.pattern, None)
    del hits[tok.i]


def claimant(toks: list[Token]) -> list[Token]:
    """Who claimed responsibility for this act: "the Taliban claimed responsibility for the
    attack, which killed ...": the Taliban."""
    for t in toks:
        if t.dep_ != "pobj" or t.head.lower_ != "for":
            continue
        owner = t.head.head  # "responsibility for", or the verb when the parser hung it there
        verb = owner.head if lemma_of(owner) == "responsibility" else owner
        if verb.pos_ == "VERB" and lemma_of(verb) in ("claim", "accept", "take", "admit") and any(
                lemma_of(o) == "responsibility" for o in [owner, *objects(verb)]):
            return subjects(verb)
    return []


MOVED_OUT = {"withdraw", "pull", "ship", "evacuate", "redeploy", "recall", "move"}
REFUGE = {"asylum", "refuge", "sanctuary"}


def refuge_granted(tok: Token, governor, actors) -> tuple[list, list] | None:
    """"Assad has been granted asylum in Russia": the country of refuge grants it to the
    passive subject. (source, target) pairs, or None when the act is not told that way."""
    verb = governor if governor is not None else tok
    if not any(lemma_of(t) in REFUGE for t in [tok, *objects(verb)]) \
            or not any(c.dep_ == "nsubjpass" for c in verb.children):
        return None
    host = actors.place_of(in_objects({verb, tok}))  # "in Mexico": on the verb or on the noun
    if host is None:
        return None
    guest = [(a, True) for a, _ in actors.of_tokens(_subject_passive(verb, [], False))]
    return [(host, True)], guest


def guilty_of(act: Token) -> Token | None:
    """The "guilty" an act hangs from ("are guilty of violating the ceasefire"), if any."""
    prep = act.head
    if act.dep_ == "pcomp" and prep.lower_ == "of" and lemma_of(prep.head) == "guilty" \
            and prep.head.dep_ == "acomp":  # not a verdict: "found X guilty of stealing"
        return prep.head
    return None


FINDINGS = {"claim", "determine"}  # accuse only when what they say holds an act
WRONGDOING = {"commit", "perpetrate", "crime", "violation", "abuse", "atrocity", "genocide"}


def own_claim(act: Token) -> bool:
    """A claim of one's own act: "the Houthis claimed that they had attacked the airport"."""
    return lemma_of(act.head) == "claim" and any(
        c.dep_ in SUBJ_DEPS and c.lower_ in ("they", "we", "it") for c in act.children)


def decision(verb: Token) -> bool:
    """A decision taken, not one to come: "decided to", "has voted to" (not "will decide to")."""
    return lemma_of(verb) in mod.DECIDE_VERBS and verb.tag_ in ("VBD", "VBN") \
        and not mod.own_modality(verb)


CIRCUMSTANCE_PREPS = {"after", "before", "during", "following", "since", "amid", "despite"}
REASON_PREPS = {"for", "over"}  # the cause of another act inside what is said


def embedded_in(hit: Hit, hits: dict[int, Hit]) -> Hit | None:
    """The speech act this trigger is the content of ("urged X to attack", "denied attacking")."""
    t = hit.tok
    for _ in range(4):
        if t.head.i == t.i:
            return None
        head = t.head
        if hit.pattern.pos == "noun" and t is hit.tok:
            if t.dep_ not in OBJ_DEPS + ("pobj", "conj"):
                return None
        elif t.dep_ not in ("xcomp", "ccomp", "pcomp", "pobj", "prep", "conj", "acomp", "dobj"):
            return None
        if t.dep_ == "prep" and t.lower_ in CIRCUMSTANCE_PREPS:
            return None  # "agreed ... after four days of talks": when, not what
        if t.dep_ == "prep" and t.lower_ in REASON_PREPS and head.pos_ in ("VERB", "AUX") \
                and not (head.i in hits and hits[head.i].pattern.type in SPEECH_ACTS):
            return None  # "vowed Israel would be punished for the strike": the strike was real
        h = hits.get(head.i)
        if h is not None and t.dep_ == "conj":
            return None  # "demanded X and imposed sanctions": a second act, not the content
        if h is not None and h.pattern.type in UNDOING and hit.pattern.pos == "noun" \
                and t is hit.tok and t.dep_ in OBJ_DEPS:
            return h  # "lifted the curfew", "called off the strike": the act undone is no event
        if h is not None and h.pattern.type in SPEECH_ACTS:
            if hit.pattern.pos == "noun" and h.pattern.type in ("ACCUSE",):
                return None  # "condemned the attack": the attack itself is reported
            return h
        t = head
    return None


# ---------------------------------------------------------------- coding

@dataclasses.dataclass
class Draft:
    hit: Hit
    type: str
    source: Actor | None
    target: Actor | None
    src_direct: bool
    modality: str
    confidence: float
    objects: list[Token] = dataclasses.field(default_factory=list)  # target phrases
    locked: bool = False  # the target was decided (possibly null): no default applies
    date_rank: int = 0  # see DateIndex.for_trigger
    sides: bool = False  # the doers are "both sides": the story's two parties
    candidate: bool = False  # the act was found but its actors could not be placed
    joint: bool = False  # one of the pairs of a joint act ("X and Y held talks"): both ways


def code_doc(doc: Doc, patterns: PatternSet, wanted: bool = False
             ) -> tuple[list[Event], dict[int, int], set[int]]:
    """Coded events in text order (not merged), each event's date rank and the joint acts'
    records (by id); candidates (acts whose doer cannot be placed) too when ``wanted``."""
    actors = Actors(doc)
    hits = find_hits(doc, patterns)
    dates = DateIndex(doc, set(hits))
    events: list[Event] = []
    candidates: list[Event] = []  # acts whose actors could not be placed: kept apart, flagged
    origins: dict[int, Draft] = {}  # event -> the draft it came from
    for hit in hits.values():
        parent = embedded_in(hit, hits)
        if parent is not None:
            continue
        for draft in drafts_for(hit, actors, patterns, doc, wanted):
            ev = finish(draft, doc, dates, actors)
            origins[id(ev)] = draft
            (candidates if draft.candidate else events).append(ev)
    events.sort(key=lambda e: e.trigger.start if e.trigger else 0)
    events = resolve_anaphora(events, origins)
    fill_shared_targets(events, origins)
    fill_event_object_targets(events, origins)
    link_violence(events, origins)
    fill_reply_targets(events, origins)
    fill_victim_targets(events, origins)
    events += repeated_acts(doc, events, origins, dates, actors)
    implied_protests(events, origins)
    home = main_country(doc, events)
    fill_default_targets(events, origins, home)
    placed = [e for e in events if (e.source is not None or (e.type in SOURCELESS_OK
                                                             and e.target is not None))
              and e.modality != "reported"]
    if wanted:  # "Tamil rebels overran an army camp": an act with no actor placed at all
        kept = {id(e) for e in placed}
        candidates += [unplaced_act(e, origins[id(e)], actors, patterns, doc) for e in events
                       if e.modality != "reported" and id(e) not in kept]
    events = placed
    candidates.sort(key=lambda e: e.trigger.start if e.trigger else 0)
    for c in candidates:
        # an unknown group acting in a story about one country most likely belongs there
        # ("Judge X opened investigations against Chilean officials"); a doer left unsaid is
        # the authority where the act took place ("was put under investigation in Italy"):
        # guesses both, which is why these stay candidates
        if c.source is not None and not c.source.country and home:
            c.source.country = home
        elif c.source is None and (c.location is not None and c.location.country or home):
            where = c.location.country if c.location is not None and c.location.country else home
            c.source = Actor(text="", country=where, kind="country")
    joint = {id(e) for e in events if origins[id(e)].joint and e.type in SYMMETRIC}
    return events + candidates, {i: d.date_rank for i, d in origins.items()}, joint


# Nouns of a movement whose "of" phrase names who moves ("the withdrawal of Russian troops")
MOVEMENT_NOUNS = {"arrival", "deployment", "withdrawal", "pullout", "departure", "redeployment"}


def source_tokens(hit: Hit, actors: Actors, containers: set[str] = frozenset()) -> list[Token]:
    tok = hit.tok
    if hit.pattern.pos == "adj" and tok.pos_ == "VERB":  # "Vietnam is committed to": who is
        # the parser may hang the subject on the auxiliary: "Hungary is opposed to"
        return [c for t in [tok, *(a for a in tok.children if a.dep_ == "auxpass")]
                for c in t.children if c.dep_ in ("nsubjpass", "nsubj")]
    if hit.pattern.pos != "noun":
        return subjects(tok)
    own = [c for c in tok.children if is_possessor(c)]
    own += doers_of([tok])
    # "the trade offer sent by the Chinese government": the participle's agent made it
    # ("talks hosted by China" name their host, not a party)
    own += [p for c in tok.children if c.dep_ == "acl" and c.tag_ == "VBN"
            and hit.pattern.type != "CONSULT" and lemma_of(c) not in SPONSORING
            for a in c.children if a.dep_ == "agent" for p in pobjs(a)]
    if lemma_of(tok) in MOVEMENT_NOUNS:  # "the arrival in Haiti of 400 Kenyan police officers"
        own += [p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in pobjs(c)]
    if any(actors.at(t)[0] is not None for t in own):
        return own
    mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod")
            and actors.at(c)[0] is not None]
    if mods:
        return mods
    if hit.governor is not None:
        return subjects(hit.governor)
    if tok.dep_ == "pobj" and tok.head.lower_ in ("for", "of") \
            and lemma_of(tok.head.head) in JUDGING:
        return objects(tok.head.head)  # "Israel would be punished for the strike": Israel's
    t = container_of(tok, containers)  # "agreed ... after four days of talks"
    if hit.pattern.type in COOPERATIVE and t.dep_ == "pobj" and t.head.dep_ == "prep":
        v = manner_host(t) or t.head.head
        if v.pos_ in ("VERB", "AUX"):
            return subjects(v)  # "spoke during a phone call with X", "acted in solidarity with"
    if tok.dep_ in ("nsubj",) and hit.pattern.type == "PROTEST":
        return [tok]
    return []


def drafts_for(hit: Hit, actors: Actors, patterns: PatternSet, doc: Doc,
               wanted: bool = False) -> list[Draft]:
    """The events one trigger codes; with ``wanted``, a candidate when its actors cannot be
    placed."""
    p = hit.pattern
    tok = hit.tok
    src_toks = source_tokens(hit, actors, patterns.container_nouns)
    sources = actors.of_tokens(src_toks)
    if not sources:  # who claimed the act, who is "guilty of" it
        guilty = guilty_of(tok)
        src_toks = claimant(src_toks or [tok]) or (
            subjects(guilty.head) if guilty is not None else []) or src_toks
        sources = actors.of_tokens(src_toks)
    if not sources and p.type in ("RETREAT", "SANCTION") and lemma_of(tok) in MOVED_OUT:
        # "UN peacekeepers were withdrawn from Gorazde": whoever the forces belong to
        sources = actors.of_tokens(_subject_passive(tok, [], False))
    if not sources and p.pos != "noun" and tok.dep_ == "conj":
        sources = actors.of_tokens(clause_speaker(tok))
    if not sources and p.pos == "adj" and tok.dep_ == "acomp":
        # "said its borders were not open to negotiation": the stance is the speaker's
        sources = actors.of_tokens(clause_speaker(tok, ("acomp",), mod.SAYING_VERBS))
    if p.pos == "noun" and tok.lemma_.lower() in ("protester", "demonstrator", "rioter"):
        sources = actors.of_tokens([tok])
    targets = find_targets(hit, actors, sources)
    if not targets and p.pos == "noun" and tok.dep_ in OBJ_DEPS and p.type in {
            q.type for q in patterns.lookup("verb", lemma_of(tok.head))}:
        # "Ukraine, which has been fighting Russia's invasion": the invasion's is the fighter
        targets = [(a, False) for a, _ in actors.of_tokens(subjects(tok.head))
                   if a.country not in {s.country for s, _ in sources}]
    if not targets and p.type == "MOBILIZE":  # "scrambled jets to monitor the Chinese forces"
        targets = [(a, False) for a, _ in actors.of_tokens(purpose_objects(tok))
                   if a.country not in {s.country for s, _ in sources}]
    if p.object_actor:  # "called Modi", not "calling the U.S. move unjustified"
        targets = [t for t in targets if t[1]]
    if p.speaker:  # "Biden said Putin is responsible": judged by the one who speaks
        targets = [(a, True) for a, _ in sources]
        src_toks = clause_speaker(tok, ("acomp", "attr", "conj", "xcomp", "ccomp"),
                                  mod.SAYING_VERBS)
        sources = actors.of_tokens(src_toks)
    object_toks = [t for slot in dict.fromkeys([*p.target, *DEFAULT_TARGETS, *ABOUT_SLOTS])
                   for t in slot_tokens(tok, slot, hit.governor)]
    if not targets and sources and (p.cameo or "").startswith("09"):
        targets = investigated(p, tok, hit.governor, sources[0][0], doc)
    governors = (hit.governor,) if hit.governor is not None else ()
    if p.pos == "noun" and not governors and tok.dep_ in OBJ_DEPS + ("nsubjpass",) \
            and tok.head.pos_ in ("VERB", "AUX"):
        governors = (tok.head,)  # "hoped it would lock in U.S. support"
    modality = mod.modality_of(tok, governors)
    if p.speaker and modality in (mod.FUTURE, mod.HYPOTHETICAL):
        modality = mod.ASSERTED  # "they will pay", said: the warning is made as it is spoken
    etype = p.type
    if modality in (mod.FUTURE, mod.HYPOTHETICAL) and etype not in ("REQUEST", "ACCUSE") \
            and any(declared_intent(t, patterns) for t in (tok, *governors)):
        # "said it would impose X" is a threat, "would send aid" a promise, "would reject X" a
        # rejection; "said he would urge X to ..." is only a plan
        etype = "AGREE" if etype in COOPERATIVE else etype if etype == "REJECT" else "THREATEN"
        modality = mod.ASSERTED
    if modality == mod.NEGATED and (lemma_of(tok) in REFUSABLE and not p.pos == "noun"
                                    or lemma_of(tok) in REFUSABLE_STANCES and p.pos == "adj"):
        etype, modality = "REJECT", mod.ASSERTED  # "will not accept", "did not allow": a refusal
    if modality == mod.NEGATED and etype in COOPERATIVE and p.pos != "noun" and any(
            c.dep_ == "aux" and c.lower_ in WILL_NOT for c in tok.children):
        # "will not lift the ban": refusing to yield; "would never agree to", "will not
        # negotiate with": refusing to cooperate (CAMEO 12)
        etype, modality = "REJECT", mod.ASSERTED
    if modality == mod.NEGATED and p.child & (mod.NEGATING_WORDS | mod.NEGATORS):
        modality = mod.ASSERTED  # the pattern names the negation: "had no role in" is a denial
    if modality == mod.FUTURE and etype in ("ASSAULT", "COERCE") \
            and tok.dep_ in ("xcomp", "acl") and lemma_of(tok.head) in ("attempt", "try", "bid"):
        modality = mod.ASSERTED  # "tried to / an attempt to assassinate": the attempt is the attack
    if etype == "THREATEN" and lemma_of(tok) == "warn" and (warns_for_people(tok)
                                                            or warns_of_a_state(tok)
                                                            or warns_of_a_risk(tok)):
        return []  # "warning that refugees would face danger": a concern, not a threat
    if etype == "PROTEST" and lemma_of(tok) == "protest" and sources \
            and all(is_official(a) for a, _ in sources):
        etype = "ACCUSE"  # "Japan protested": a diplomatic protest, not a demonstration
    if p.self_target:
        targets = [(a, True) for a, _ in sources]
    origin = origin_of(src_toks, actors) if not sources and etype in SOURCELESS_OK else None
    if origin is not None:  # "two gunmen from the West Bank": the gunmen, from there
        who = unplaced_actor(src_toks, doc) or origin
        sources = [(dataclasses.replace(who, country=origin.country, sector=None,
                                        kind="group", name=None), False)]
    if not sources and not targets and etype in ("ASSAULT",):
        # where the killing was: its clause, else for "gunmen killed" its sentence (the parser
        # may hang "in Pahalgam" on an apposition: "killed 26 people, most of them tourists, in")
        victim = actors.place_actor(*clause_chars(tok))
        if victim is None and any(lemma_of(t) in UNKNOWN_ATTACKERS for t in src_toks):
            victim = actors.place_actor(tok.sent.start_char, tok.sent.end_char)
        targets = [(victim, False)] if victim else []
    if not targets and p.cameo == OCCUPATION:  # "In Goma, ... the rebels had taken the city"
        place = actors.place_actor(tok.sent.start_char, tok.sent.end_char)
        targets = [(place, True)] if place else []
    sides = not sources and both_sides(src_toks)
    joint = etype == "MOBILIZE" and p.pos == "noun" and not targets \
        and lemma_of(tok) in EXERCISES and len({a.country for a, _ in sources}) > 1
    if joint:  # "French and Egyptian warships launched war games": together, not at someone
        etype = "COOPERATE"
    if not sources and etype == "AID":
        sources, targets = refuge_granted(tok, hit.governor, actors) or (sources, targets)
    if etype == "AID" and p.cameo == "072" and lemma_of(tok) == "train" and not targets:
        etype = "MOBILIZE"  # "has trained 500 hackers": its own force
    if etype == "MOBILIZE" and keeps_peace(tok):
        etype = "AID"  # "sent 400 police officers to lead a U.N.-backed security mission"

    def unplaced() -> list[Draft]:
        if not wanted:
            return []
        doers = src_toks or [c for c in tok.children if is_possessor(c)]  # "its demands"
        src = sources[0][0] if sources else unplaced_actor(doers, doc)
        if src is not None and not sources:
            # an unknown group most likely belongs where it is, or where it acts ("a group
            # based in Trinidad", "people in Hong Kong"): a guess, so the act stays a candidate
            where = actors.place_actor(src.start, src.end) or \
                actors.place_actor(*clause_chars(tok))
            src.country = where.country if where is not None else None
        return [Draft(hit, etype, src, targets[0][0] if targets else None, bool(sources),
                      modality, round(p.confidence / 2, 2), object_toks, candidate=True)]

    if not sources and etype not in SOURCELESS_OK and not sides:
        return unplaced()
    if p.needs in ("target", "both") and not targets and not sides:
        if not (p.both_ways and len(sources) > 1) and not both_sides(object_toks):
            return unplaced()
    if p.needs == "both" and not sources and not sides:
        return unplaced()
    if p.both_ways and not sources and len(targets) > 1:
        sources, targets = targets, []  # "the clash between Kyrgyzstan and Tajikistan"
    base = p.confidence
    out: list[Draft] = []
    among = (p.both_ways or joint) and not targets and len(sources) > 1
    pairs = pair_up(sources, targets, among)
    for (src, src_direct), tgt in pairs:
        if src is not None and tgt is not None and tgt[0].country == src.country \
                and (not tgt[1] or tgt[0].kind == "igo") and not p.self_target \
                and not own_group(tgt[0], src):
            # "denied any Pakistani link": an adjective of one's own country; "welcomed X into
            # the alliance": an organisation does not act on itself; but "killed 33 BLA
            # militants": a group of one's own country is another party
            tgt = None
        conf = base + (0.1 if src is not None else 0) + (0.1 if tgt is not None else 0)
        if src is not None and src.kind == "pronoun":
            conf -= 0.05
        out.append(Draft(hit, etype, src, tgt[0] if tgt else None, src_direct,
                         modality, round(min(conf, 1.0), 2), object_toks, sides=sides,
                         joint=among))
    if etype == "CONSULT" and p.pos == "noun":
        parties = {a.country: a for a in [*(x for x, _ in sources), *(x for x, _ in targets)]}
        for host in actors.of_tokens(hosts(tok, patterns.container_nouns)):
            for party in parties.values():
                if party.country != host[0].country:
                    out.append(Draft(hit, etype, host[0], party, True, modality,
                                     round(min(base + 0.1, 1.0), 2), object_toks))
    return out


HOSTING = {"host", "mediate", "broker", "organise", "organize", "sponsor", "facilitate", "chair",
           "convene"}
# Participles naming who arranged or backed an act, not who did it
SPONSORING = HOSTING | {"arrange", "back", "support", "fund", "finance", "endorse"}


def hosts(noun: Token, containers: set[str]) -> list[Token]:
    """Who hosted or mediated talks ("talks in Beijing hosted by China"): they took part too."""
    outer = container_of(noun, containers)  # "three days of talks ... hosted by Turkey"
    heads = [noun] if outer.i == noun.i else [noun, outer]
    # also hung on a place inside the phrase: "talks in the Turkish capital mediated by X"
    return [p for h in heads for c in h.subtree if c.dep_ == "acl" and lemma_of(c) in HOSTING
            and (c.head.i == h.i or c.head.dep_ == "pobj")
            for a in c.children if a.dep_ == "agent" for p in pobjs(a)]


REFUSABLE = {"accept", "allow", "permit", "recognise", "recognize", "approve", "admit", "comply",
             "abide"}
WILL_NOT = {"will", "would", "wo", "shall"}  # "will not / won't lift": a refusal, not a plan
REFUSABLE_STANCES = {"open", "negotiable"}  # "not open to negotiation", "not negotiable"
RISK_VERBS = {"face", "risk", "fear", "avoid", "escape", "evade", "dodge"}
AT_RISK = {"people", "civilian", "many", "million", "thousand", "those", "family", "refugee",
           "migrant", "child", "resident", "price", "cost", "situation", "economy"}


def origin_of(doers: list[Token], actors: Actors) -> Actor | None:
    """The country an unknown doer comes from, when the phrase says so ("gunmen from the
    occupied West Bank", "militants from Syria"), not where they acted."""
    for t in doers:
        if t.pos_ == "PRON":  # "militants ... said they attempted to"
            t = antecedent(t) or t
        # "militants loyal to Iraq's al-Qaeda leader", "a group based in Trinidad"
        links = [c for c in t.children if c.dep_ == "prep" and c.lower_ == "from"] + [
            p for m in t.children if m.dep_ in ("amod", "acl") and lemma_of(m) in ("loyal", "base")
            for p in m.children if p.dep_ == "prep" and p.lower_ in ("to", "in")]
        for p in (p for c in links for p in pobjs(c)):
            found = actors.at(p)[0] or actors.place_actor(
                p.left_edge.idx, p.right_edge.idx + len(p.right_edge))
            if found is not None and found.country:
                return found
    return None


EXERCISES = {"game", "exercise", "drill", "manoeuvre", "maneuver", "patrol"}


NAMED = {"PERSON", "ORG", "FAC", "PRODUCT"}


def investigated(p: Pattern, tok: Token, governor, source: Actor, doc: Doc) -> list:
    """Who an investigation is into when no dictionary places them: a person or body named
    in the pattern's own slots ("an investigation into Kempinski"), taken to be of the
    investigator's country, as prosecutors and police mostly look into their own."""
    for slot in p.target:
        for t in slot_tokens(tok, slot, governor):
            if any(x.ent_type_ in NAMED for x in t.subtree):
                who = unplaced_actor([t], doc)
                if who is not None:
                    who.country, who.kind = source.country, "org"
                    return [(who, True)]
    return []


def unplaced_act(ev: Event, draft: Draft, actors: Actors, patterns: PatternSet,
                 doc: Doc) -> Event:
    """A sourceless act (an attack, a protest) that found no target either, as a candidate:
    the doer as written, if the sentence names one."""
    doer = unplaced_actor(source_tokens(draft.hit, actors, patterns.container_nouns), doc)
    return dataclasses.replace(ev, source=doer, candidate=True,
                               confidence=round(ev.confidence / 2, 2))


def unplaced_actor(src_toks: list[Token], doc: Doc) -> Actor | None:
    """The doer's phrase as written, with no code: "Leaders of the Azadliq opposition coalition"
    tells a user which actor their dictionaries lack."""
    if not src_toks:
        return None
    head = src_toks[0]
    if head.pos_ == "PRON":
        head = antecedent(head)
        if head is None:
            return None
    cut = {"relcl", "acl", "advcl", "appos", "punct", "cc", "conj"}
    line = doc_dateline_end(doc)  # "KATHMANDU, Sept 10 - Soldiers ...": not part of the doer
    keep = [head] + [t for c in head.children if c.dep_ not in cut for t in c.subtree
                     if t.idx >= line]
    start = min(t.idx for t in keep)
    end = max(t.idx + len(t.text) for t in keep)
    # _attrs.text: spaCy rebuilds doc.text from every token on each access
    return Actor(text=_attrs.text(doc)[start:end], start=start, end=end)


def antecedent(pron: Token) -> Token | None:
    """The phrase an unresolved pronoun most likely stands for: the subject of the clause that
    holds it ("the group insisted on its demands") or, in a reported clause, of the saying verb
    ("the party said it will boycott")."""
    t = pron.head
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX"):
            break
        t = t.head
    if pron.dep_ in ("nsubj", "nsubjpass") and t.dep_ in ("ccomp", "conj") and t.head.i != t.i:
        t = t.head
    subj = [x for x in subjects(t) if x.i != pron.i and x.pos_ != "PRON"] \
        if t.pos_ in ("VERB", "AUX") else []
    return subj[0] if subj else None


def warns_for_people(tok: Token) -> bool:
    """A warning whose reported clause is about what will befall people, not what the warner
    will do ("warned that millions would go hungry")."""
    for c in tok.children:
        if c.dep_ == "ccomp":
            subj = [s for s in c.children if s.dep_ in ("nsubj", "nsubjpass")]
            if subj and all(lemma_of(s) in AT_RISK for s in subj):
                return True
            if c.pos_ in ("NOUN", "PRON", "ADJ") and lemma_of(c) in AT_RISK:
                return True  # "warning that many of those ... face danger", misparsed
    return False


# What a threat warns of: force, punishment, a response ("warned of a long war", "warned
# against any attack"); a warning of anything else is a concern ("warned of a period of risk")
THREAT_NOUNS = {"war", "attack", "strike", "retaliation", "response", "reprisal", "consequence",
                "action", "measure", "force", "sanction", "punishment", "price", "escalation",
                "intervention", "invasion", "aggression", "move", "step", "countermeasure",
                "provocation", "interference", "conflict", "violence", "crackdown", "fight"}


def warns_of_a_risk(tok: Token) -> bool:
    """A warning "of"/"against" something that is no act of force or punishment ("warned of a
    period of risk and uncertainty", "warned against hospital care")."""
    about = [p for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "against")
             for p in pobjs(c)]
    if not about or any(c.dep_ in ("ccomp", "dobj", "dative") for c in tok.children):
        return False
    return not any(lemma_of(p) in THREAT_NOUNS for p in expand_conj(about))


def warns_of_a_state(tok: Token) -> bool:
    """A warning that reports how things are or were ("warned that the fire is too big",
    "warning that internet use is hurting children"): a threat is about what will be done."""
    for c in tok.children:
        if c.dep_ != "ccomp":
            continue
        auxes = {a.lower_ for a in c.children if a.dep_ in ("aux", "auxpass")}
        if auxes & (mod.FUTURE_AUX | mod.HYPOTHETICAL_AUX | {"going"}):
            return False
        if c.tag_ == "VBD" or lemma_of(c) == "be" or (c.tag_ in ("VBG", "VBN") and auxes):
            return True
    return False


def clause_speaker(tok: Token, through: tuple[str, ...] = ("conj", "xcomp"),
                   verbs: set[str] | None = None) -> list[Token]:
    """The speaker of the reported clause holding ``tok``: up through ``through`` links to a
    clause a verb (of ``verbs``, when given) governs as its complement, then that verb's doer.
    "X said ships could keep sailing and urged Turkey ...": the parser hangs "urged" on the
    reported clause; '"Putin is responsible," Biden said': the judge of the judgement."""
    t = tok
    for _ in range(5):
        if t.head.i == t.i:
            return []
        if t.dep_ == "ccomp" and (verbs is None or lemma_of(t.head) in verbs):
            return subjects(t.head)
        if t.dep_ not in through:
            return []
        t = t.head
    return []


def is_official(actor: Actor) -> bool:
    return actor.kind == "igo" or actor.sector in ("GOV", "IGO")


def own_group(target: Actor, source: Actor) -> bool:
    """Is the target a named group of the source's own country, and so another party ("the
    military said it killed 33 BLA militants", "Boko Haram fighters ambushed a Nigerian army
    convoy"), not a modifier naming the source's country?"""
    if target.country != source.country:
        return False
    if target.kind == "group" and source.kind != "group":
        return True
    return target.kind in ("group", "org") and bool(target.sector) and bool(source.sector) \
        and target.sector != source.sector and "REB" in (target.sector, source.sector)


def pair_up(sources, targets, among_sources: bool):
    srcs = sources or [(None, False)]
    if among_sources:
        return [(s, (t[0], True)) for s in srcs for t in srcs if t[0].country != s[0].country]
    if not targets:
        return [(s, None) for s in srcs]
    out = []
    for s in srcs:
        mine = [(s, t) for t in targets if s[0] is None or t[0].country != s[0].country or t[1]
                or own_group(t[0], s[0])]
        out += mine or [(s, None)]
    return out


PEACE_MISSIONS = {"peacekeeper", "peacekeeping", "multinational", "stabilisation",
                  "stabilization"}


MISSION_PREPS = ("as", "under", "to", "on", "for", "with", "in")


def keeps_peace(tok: Token) -> bool:
    """Are the forces sent (or their purpose) a peacekeeping or security mission? Then the
    deployment is protection given (CAMEO 074), not a show of force."""
    if tok.pos_ != "VERB":  # "announced the deployment of troops on a peacekeeping mission"
        phrases = [tok, *(c for c in tok.head.children if c.dep_ == "prep"
                          and c.lower_ in MISSION_PREPS and tok.dep_ in OBJ_DEPS)]
    else:  # what is sent ("sent peacekeepers"), or who arrives; the purpose ("to serve as a
        # peacekeeping force"); "as part of X", "to the UN peacekeeping mission in Mali"
        phrases = [*(objects(tok) or subjects(tok)), *purpose_objects(tok), *(
            c for c in tok.children if c.dep_ == "prep" and c.lower_ in MISSION_PREPS), *(
            c for c in tok.children if c.dep_ in ("advcl", "xcomp") and any(
                a.dep_ == "aux" and a.lower_ == "to" for a in c.children))]
    return any(lemma_of(t) in PEACE_MISSIONS or (lemma_of(t) == "mission" and any(
        lemma_of(c) == "security" for c in t.children)) for o in phrases for t in o.subtree)


def purpose_objects(v: Token) -> list[Token]:
    """Objects of the purpose clause of a verb or of the verb it is conjoined to ("deployed
    warships to monitor the Chinese forces")."""
    heads = [v] + ([v.head] if v.dep_ == "conj" else []) + [c for c in v.children
                                                           if c.dep_ == "conj"]
    return [o for h in heads for c in h.children if c.dep_ == "advcl"
            and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)
            for o in expand_conj(objects(c))]


def manner_host(noun: Token) -> Token | None:
    """The verb an "in ..." phrase of a nominal trigger tells the manner of ("acted in solidarity
    with X", "severed ties with Y in solidarity with X": the parser may hang it on the object)."""
    if noun.dep_ != "pobj" or noun.head.lower_ != "in":
        return None
    v = noun.head.head
    if v.dep_ in OBJ_DEPS:
        v = v.head
    return v if v.pos_ in ("VERB", "AUX") else None


def find_targets(hit: Hit, actors: Actors, sources) -> list[tuple[Actor, bool]]:
    p = hit.pattern
    slots = p.target or DEFAULT_TARGETS
    src_countries = {a.country for a, _ in sources}
    governor = hit.governor
    if governor is None and p.pos == "noun" and p.type in COOPERATIVE:
        governor = manner_host(hit.tok)
    for slot in slots:
        toks = slot_tokens(hit.tok, slot, governor)
        found = actors.of_tokens(toks) or [(a, False) for a, _ in actors.of_tokens(doers_of(toks))]
        if slot == "nsubj_of_ccomp":
            found = [(a, False) for a, _ in found]
        if slot == "poss":
            found = [f for f in found if f[0].country not in src_countries]
        if p.tier == TIER_MINED:  # a broad synonym set: "defending its integrity" is no aid
            found = [f for f in found if f[0].text.lower() not in POSSESSIVE_PRONOUNS]
        # a phrase naming both sides ("Russia and China") keeps the other side; one's own
        # country reached through a modifier ("his guest", "a Pakistani link") is not a target
        found = [f for f in found if f[0].country not in src_countries or f[1]
                 or any(own_group(f[0], a) for a, _ in sources)]
        if found:
            return found
        if toks and slot != "dative" and (p.type in ("ASSAULT", "PROTEST", "MOBILIZE", "COERCE")
                                          or (p.type == "RETREAT" and is_place(toks[0]))
                                          or (p.type == "CONSULT" and slot == "prep:in")):
            # "shelled Kharkiv", "arrived in Amman on a visit": the place's country (not one
            # named in a clause on it: "a convoy for a company operated by China")
            place = actors.place_actor(*clause_chars(toks[0]))
            if place is not None:
                return [(place, True)]
    return []


def doers_of(toks: list[Token]) -> list[Token]:
    """"against the violations by the Israeli military": who did what a target phrase names."""
    return [p for t in toks for c in t.children if c.dep_ in ("prep", "agent")
            and c.lower_ == "by" for p in pobjs(c)]


def declared_intent(tok: Token, patterns: PatternSet) -> bool:
    """Is this would/will clause the content of a statement or vow ("said it would respond")?"""
    t = tok
    for _ in range(3):
        if t.dep_ == "ccomp" and lemma_of(t.head) in patterns.intent_verbs:
            if any(lemma_of(s) in patterns.observers for s in subjects(t.head)):
                return False  # "analysts say Tehran would welcome it": a guess, not a vow
            return has_aux(tok, mod.FUTURE_AUX | {"would"})
        if t.dep_ == "ROOT" and trailing_report(t, patterns):
            return has_aux(tok, mod.FUTURE_AUX | {"would"})
        if t.dep_ not in ("xcomp", "conj") or t.head.i == t.i:
            return False
        t = t.head
    return False


def trailing_report(root: Token, patterns: PatternSet) -> bool:
    """Does a reporting clause follow the main clause ("X will send aid, the agency said")?
    The parser often hangs it on the main verb as a conjunct or parataxis, its subject astray."""
    return any(c.dep_ in ("conj", "parataxis") and c.i > root.i
               and lemma_of(c) in patterns.intent_verbs
               and not any(lemma_of(s) in patterns.observers for s in subjects(c))
               for c in root.children)


def has_aux(tok: Token, words: set[str]) -> bool:
    t = tok
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in words for c in t.children):
            return True
        if t.dep_ not in ("xcomp", "conj"):
            return False
        t = t.head
    return False


def clause_chars(tok: Token) -> tuple[int, int]:
    """The phrase a trigger heads, without a relative clause after it: in "the bombing, which
    it blamed on Israel", Israel is not where the bombing was."""
    left, right = tok.left_edge, tok.right_edge
    own = () if tok.pos_ in ("NOUN", "PROPN") else ("advcl", "ccomp", "conj", "parataxis")
    # relative and participle clauses on any noun inside, and the trigger's own subclauses
    cuts = [t.left_edge.i for t in tok.subtree if t.i > tok.i and (
        t.dep_ in ("relcl", "acl") or (t.head.i == tok.i and t.dep_ in own))]
    if cuts:
        right = tok.doc[max(min(cuts) - 1, tok.i)]
        while right.i > tok.i and right.is_punct:
            right = tok.doc[right.i - 1]
    return left.idx, right.idx + len(right)


# ---------------------------------------------------------------- dates

EVENT_PREDICATES = {"take", "happen", "occur", "unfold", "begin", "start", "erupt"}
# "the ceasefire was holding on Sunday": the date of a state, not of the act that began it
STATE_PREDICATES = {"hold", "remain", "continue", "appear", "seem", "last", "stay", "persist",
                    "be", "enter", "drag"}
TIME_BLOCKERS = {"before", "ahead", "since", "until", "till", "prior", "by", "from", "ago",
                 "earlier", "later"}


class DateIndex:
    """Time expressions with the token each one modifies: the nearest verb or event trigger
    above it, never across "before/after/since ..." (another time reference)."""

    def __init__(self, doc: Doc, triggers: set[int] = frozenset()):
        self.doc = doc
        self.published = _attrs.published(doc)
        self.anchored: dict[int, list[TimeExpr]] = {}
        self.opening: dict[int, TimeExpr] = {}  # sentence start -> its opening time adverbial
        self.story_day = None
        self.day_marks: list[tuple[int, str]] = []  # (char offset, value) of anchored day dates
        lead_main = False
        lead_end = None  # walking doc.sents is costly: once per document, and only if needed
        for te in repeated(doc, doc._.nl_dates or []):
            if not te.value or te.granularity == "week":
                continue
            span = doc.char_span(te.start, te.end, alignment_mode="expand")
            if span is None or is_dateline(doc, te):
                continue
            anchor = anchor_of(span, triggers)
            if anchor is not None:
                self.anchored.setdefault(anchor.i, []).append(te)
                if te.granularity == "day" and narrative(anchor) \
                        and not (self.published and is_later(te.value, self.published)):
                    # a day still to come ("agreed to vote on Monday") dates no past act after it
                    self.day_marks.append((te.start, te.value))
            sent = span.sent
            if span.start - sent.start <= 2 and span.end < sent.end - 3:
                self.opening.setdefault(sent.start, te)
            if te.granularity == "day" and self.recent(te.value):
                lead_end = first_sentence_end(doc) if lead_end is None else lead_end
            if te.granularity == "day" and self.recent(te.value) \
                    and sent.start < 3 + lead_end:
                # the lead's day: its main clause's date ("said on Saturday"), else its first
                main_line = anchor is not None and main_clause(anchor)
                if self.story_day is None or (main_line and not lead_main):
                    self.story_day = te.value
                    lead_main = main_line

    def recent(self, value: str) -> bool:
        if not self.published or len(value) != 10:
            return False
        days = (self.published - dt.date.fromisoformat(value)).days
        return 0 <= days <= 7

    def at(self, tok: Token | None) -> TimeExpr | None:
        if tok is None:
            return None
        found = self.anchored.get(tok.i)
        if not found:
            return None
        return max(found, key=lambda te: (len(te.value), -abs(te.start - tok.idx)))

    def focus(self, sent: SpacySpan) -> str | None:
        """The paragraph's narrative day before this sentence: the last day an earlier sentence
        of the same paragraph dated an act by ("Fighting erupted on Thursday. Rockets hit ...")."""
        para = _attrs.text(self.doc).rfind("\n", 0, sent.start_char) + 1
        before = [(start, value) for start, value in self.day_marks
                  if para <= start < sent.start_char]
        return max(before)[1] if before else None

    def since(self, hit: Hit) -> TimeExpr | None:
        """The start of what a verb has been resisting or enduring since a date: "fighting
        Russia's invasion since February 2022" dates the invasion, not the fighting."""
        tok = hit.tok
        if hit.pattern.pos != "noun" or tok.dep_ not in OBJ_DEPS:
            return None
        spans = [(c.idx, c.right_edge.idx + len(c.right_edge)) for c in tok.head.children
                 if c.dep_ == "prep" and c.lower_ == "since"]
        return next((te for a, b in spans for te in self.doc._.nl_dates or []
                     if te.value and a <= te.start and te.end <= b), None)

    def for_trigger(self, hit: Hit) -> tuple[str | None, str, int]:
        """(date, basis, rank): rank 4 the clause's own date, 3 a governing clause's or the
        sentence's opening adverbial, 2 the paragraph's narrative day and 1 the lead's day for an
        undated past act, 0 the publication day."""
        for t in clause_anchors(hit):
            te = self.at(t)
            if te is not None:
                return te.value, "text", 4
        since = self.since(hit)
        if since is not None:
            return since.value, "text", 3
        chain = governing_clauses(hit.governor if hit.governor is not None else hit.tok)
        coarse = [v for v, shift in chain if shift is None]
        bound = next((self.for_trigger(Hit(v, dataclasses.replace(hit.pattern, pos="verb"), None))
                      for v, shift in chain if shift == EARLIER), None)
        bound = bound[0] if bound and bound[1] == "text" else None
        chain = [(v, shift) for v, shift in chain if isinstance(shift, int)]
        for v, shift in chain:
            for t in verb_anchors(v):
                te = self.at(t)
                if te is not None:
                    return shifted(te.value, shift), "text", 3
        for v in coarse:  # an act some time before the main clause's: its year or month holds
            for t in verb_anchors(v):
                te = self.at(t)
                if te is not None and te.value and len(te.value) <= 7 and te.value[:4].isdigit():
                    return te.value, "text", 3
        shift = chain[-1][1] if chain else 0
        te = self.opening.get(hit.tok.sent.start)
        if te is not None and bound is None:  # "Early on Saturday, X struck ... and Y said it hit"
            return shifted(te.value, shift), "text", 3
        if reported_past(hit, chain) or bound:
            day = self.focus(hit.tok.sent)
            if day is not None and not_after(day, bound):
                return shifted(day, shift), "text", 2
            if self.story_day and not_after(self.story_day, bound):
                # wire copy: undated acts happened on the lead's day ("a day after": the day before)
                return shifted(self.story_day, shift), "text", 1
            if bound:  # "said on Tuesday that 749 had been arrested": by Tuesday, a loose
                # date; a month or year ("told in November that X had banned it") likely holds
                return bound, "text", 1 if len(bound) == 10 else 3
        if self.published:
            return self.published.isoformat(), "published", 0
        return None, "none", 0


def not_after(day: str, bound: str | None) -> bool:
    return bound is None or day[:len(bound)] <= bound


def narrative(anchor: Token) -> bool:
    """Does a date on this token move the story's time on? Only a main-line clause does: not a
    relative clause or modifier ("a ban imposed on Sept. 4", "who was shot on June 18")."""
    t = anchor
    for _ in range(8):
        if t.dep_ == "ROOT":
            return t.pos_ in ("VERB", "AUX")
        if t.dep_ not in ("conj", "ccomp", "advcl", "xcomp"):
            return False
        if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in TIME_BLOCKERS
                                     for c in t.children):
            return False  # "since the border closed on Thursday": a reference time
        t = t.head
    return False


def main_clause(anchor: Token) -> bool:
    """The sentence's own verb, or one conjoined with it ("... said on Friday")."""
    t = anchor
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
    return t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX")


def repeated(doc: Doc, found: list[TimeExpr]) -> list[TimeExpr]:
    """Every occurrence of each time expression: the dates stage may list a repeated expression
    ("on Sunday" twice) once, and each occurrence dates its own clause."""
    out = list(found)
    seen = {(te.start, te.end) for te in found}
    for te in found:
        for m in re.finditer(r"(?<!\w)" + re.escape(te.text) + r"(?!\w)", _attrs.text(doc)):
            if (m.start(), m.end()) not in seen:
                seen.add((m.start(), m.end()))
                out.append(dataclasses.replace(te, start=m.start(), end=m.end()))
    return out


def is_dateline(doc: Doc, te: TimeExpr) -> bool:
    """"JERUSALEM, Oct 8 -": the filing date of the story, not the date of its events."""
    after = _attrs.text(doc)[te.end:te.end + 4].lstrip(" )")
    return te.start < 80 and after[:1] in ("-", "\u2013", "\u2014", "(")


def first_sentence_end(doc: Doc) -> int:
    """Token index where the lead sentence (after a headline line) ends."""
    for sent in doc.sents:
        if len(sent) > 8:
            return sent.end
    return len(doc)


def reported_past(hit: Hit, chain: Sequence[tuple[Token, int]] = ()) -> bool:
    """The act is told in the past: its verb, its copula ("was ready to"), or a clause governing
    it ("Police fired ..., killing 19"; "X said it would lift ...": the promise was made then)."""
    verb = hit.governor if hit.governor is not None else hit.tok
    if hit.pattern.pos == "noun" and hit.governor is None:
        verb = hit.tok.head if hit.tok.head.pos_ in ("VERB", "AUX") else hit.tok
    if verb.pos_ == "ADJ" and verb.head.pos_ in ("VERB", "AUX"):
        verb = verb.head
    return any(past_tense(v) for v in [verb] + [v for v, _ in chain])


def past_tense(verb: Token) -> bool:
    return verb.tag_ in ("VBD", "VBN") or any(c.tag_ == "VBD" for c in verb.children
                                              if c.dep_ in ("aux", "auxpass"))


def anchor_of(span: SpacySpan, triggers: set[int] = frozenset()) -> Token | None:
    t = span.root
    for _ in range(6):
        head = t.head
        if head.i == t.i:
            return t
        if head.lower_ in TIME_BLOCKERS or t.lower_ in ("ago", "earlier", "later"):
            return None
        t = head
        if t.i in range(span.start, span.end) or t.dep_ == "prep" or t.pos_ == "ADP":
            continue
        if t.pos_ in ("VERB", "AUX") or t.i in triggers:
            return t
    return None


def clause_anchors(hit: Hit) -> list[Token]:
    """Tokens whose attached dates belong to this event."""
    tok = hit.tok
    if hit.pattern.pos != "noun":
        return verb_anchors(tok)
    out = [tok]
    if hit.pattern.pos == "noun":
        # ("allegations linking New Delhi to the death ... on June 18": what a speech act says
        # is dated on its own)
        out += [c for c in tok.children if c.dep_ == "relcl" or (c.dep_ == "acl" and not (
            c.tag_ == "VBG" and hit.pattern.type in SPEECH_ACTS))]
        # "the assault on X, which took place on April 22": the parser hangs it on X
        out += [r for c in tok.children if c.dep_ == "prep" for p in pobjs(c)
                for r in p.children if r.dep_ == "relcl" and lemma_of(r) in EVENT_PREDICATES]
        if hit.governor is not None:
            out.append(hit.governor)
        elif tok.dep_ in ("nsubj",) and tok.head.pos_ in ("VERB", "AUX") \
                and lemma_of(tok.head) not in STATE_PREDICATES:
            out.append(tok.head)  # "the attack killed 26 people on Tuesday"
        elif tok.dep_ == "pobj" and tok.head.dep_ == "prep" and hit.pattern.type in COOPERATIVE:
            out.append(tok.head.head)
    return out


def verb_anchors(v: Token) -> list[Token]:
    """A verb, its auxiliaries, participial adjuncts ("Speaking on Sunday, he called ...") and
    its setting ("At a summit on Sunday, X demanded ...", "told X in a call on Saturday")."""
    out = [v]
    out += [c for c in v.children if c.dep_ == "aux"
            or (c.dep_ == "advcl" and c.tag_ in ("VBG", "VBN") and not has_own_subject(c))]
    out += [p for c in v.children if c.dep_ == "prep"
            and c.lower_ in ("at", "during", "in", "after", "following", "with") for p in pobjs(c)]
    return out


def has_own_subject(tok: Token) -> bool:
    return any(c.dep_ in SUBJ_DEPS + ("nsubjpass",) for c in tok.children)


def governing_clauses(tok: Token) -> list[tuple[Token, int | str | None]]:
    """Verbs whose dates also govern this trigger (the chain of heads in the main clause), each
    with a day offset: "a day after X attacked" is the main clause's date minus one."""
    out = []
    t = tok
    shift = 0
    for _ in range(3):
        if t.dep_ == "pcomp" and t.head.dep_ == "prep" and t.head.lower_ in MANNER_PREPS \
                and t.head.head.pos_ in ("VERB", "AUX"):
            t = t.head.head  # "responded on Thursday by downgrading relations": the same act
            out.append((t, shift))
            continue
        if t.dep_ == "pcomp" and t.head.dep_ == "prep" and t.head.lower_ in ("before", "after") \
                and t.head.head.pos_ in ("VERB", "AUX"):
            out.append((t.head.head, None))  # "occupied Goma in 2012 before withdrawing"
            break
        issuer = issued_in(t)
        if issuer is not None:
            t = issuer  # "on Wednesday adopted a resolution demanding ...": one act
            out.append((t, shift))
            continue
        if t.dep_ not in ("xcomp", "conj", "advcl", "ccomp") or t.head.i == t.i:
            break
        if t.dep_ == "ccomp" and reported_earlier(t):
            out.append((t.head, EARLIER))  # "said on Tuesday that 749 had been arrested"
            break
        # the clause's own connective ("after X attacked"), not a modifier ("agreed after talks")
        marks = {c.lower_ for c in t.children if c.dep_ in ("mark", "advmod")
                 or (c.dep_ == "prep" and c.i < t.i and t.dep_ == "advcl")}
        if marks & TIME_BLOCKERS:
            if marks & {"before"}:  # "occupied Goma in 2012 before withdrawing": that year
                out.append((t.head, None))
            break  # "before X attacked": the main clause's day is not X's
        if marks & {"after"}:
            days = day_count(t)
            if days is None:
                out.append((t.head, None))  # "in 2016 after X stormed": only a year or month holds
                break
            shift -= days
        t = t.head
        out.append((t, shift))
    return out


EARLIER = "earlier"  # a governing clause's date bounds the act from above: it came before


def reported_earlier(clause: Token) -> bool:
    """Is a reported clause in the past perfect ("said that 749 people had been arrested")? Its
    act came before the saying, so the day of the saying does not date it."""
    return any(c.dep_ == "aux" and c.lower_ == "had" for c in clause.children)


NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
MANNER_PREPS = {"by", "through"}  # the means of the act itself: "responded by downgrading ties"


def day_count(clause: Token) -> int | None:
    """N in "N days after ..." attached to the clause or its "after" marker, else None."""
    for c in clause.subtree:
        if c.lemma_.lower() == "day" and c.dep_ == "npadvmod" and c.i < clause.i:
            nums = [n for n in c.children if n.dep_ in ("det", "nummod")]
            if nums:
                word = nums[0].lower_
                return NUMBER_WORDS.get(word) or (int(word) if word.isdigit() else None)
    return None


def shifted(value: str, days: int) -> str:
    if not days or len(value) != 10:
        return value
    return (dt.date.fromisoformat(value) + dt.timedelta(days=days)).isoformat()


# ---------------------------------------------------------------- events and merging

# The CAMEO code of an act the coder re-typed from its pattern's: a declared intent (AGREE /
# THREATEN), a refusal (REJECT: "will not accept"), a joint exercise (COOPERATE)
RECODED_CAMEO = {"AGREE": "030", "THREATEN": "130", "REJECT": "120", "COOPERATE": "062",
                 "ACCUSE": "111", "AID": "074", "MOBILIZE": "150"}


def finish(draft: Draft, doc: Doc, dates: DateIndex, actors: Actors) -> Event:
    hit = draft.hit
    p = hit.pattern
    tok = hit.tok
    cameo = p.cameo if draft.type == p.type else "124" if (
        draft.type == "REJECT" and p.type in UNDOING) else RECODED_CAMEO.get(draft.type, "130")
    info = ontology().cameo(cameo)
    date, basis, draft.date_rank = dates.for_trigger(hit)
    if basis == "text" and dates.published and draft.modality == mod.ASSERTED \
            and draft.type not in ("AGREE", "THREATEN") and is_later(date, dates.published):
        draft.modality = mod.FUTURE  # "talks on Friday" in an article from Wednesday
    sent = tok.sent
    trig = trigger_span(doc, hit)
    evidence = sentence_span(doc, sent)
    ev = Event(id="", type=draft.type, cameo=cameo, goldstein=info[0],
               quad=ontology().quad(draft.type) or info[1],
               mode=p.mode or None, context=list(p.context),
               source=copy_actor(draft.source), target=copy_actor(draft.target),
               date=date, date_basis=basis, trigger=trig, evidence=evidence,
               mentions=[evidence], confidence=draft.confidence, modality=draft.modality,
               candidate=draft.candidate)
    ev.location = find_place(doc, actors.places, *clause_chars(tok)) or \
        find_place(doc, actors.places, sent.start_char, sent.end_char)
    add_counts(ev, sent)
    return ev


def is_later(value: str | None, published: dt.date) -> bool:
    if not value:
        return False
    return value > published.isoformat()[: len(value)]


def sentence_span(doc: Doc, sent: SpacySpan) -> Span:
    """The sentence without the whitespace and line breaks around it."""
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.start_char + len(text.rstrip())
    return Span(_attrs.text(doc)[start:end], start, end)


def trigger_span(doc: Doc, hit: Hit) -> Span:
    """The trigger words: the trigger plus its pattern's particle/object/compound if adjacent."""
    tok = hit.tok
    p = hit.pattern
    words = [tok]
    for c in tok.children:
        if (p.prep and c.lower_ in p.prep and not when(c)) \
                or (p.child and (c.lower_ in p.child or lemma_of(c) in p.child)) \
                or (p.object and c.dep_ in OBJ_DEPS and lemma_of(c) in p.object):
            if abs(c.i - tok.i) <= 3:
                words.append(c)
    if hit.governor is not None and abs(hit.governor.i - tok.i) <= 4:
        words.append(hit.governor)
    start = min(w.idx for w in words)
    end = max(w.idx + len(w) for w in words)
    return Span(_attrs.text(doc)[start:end], start, end)


def add_counts(ev: Event, sent: SpacySpan) -> None:
    if ev.type not in ("ASSAULT", "PROTEST", "COERCE"):
        return
    cache = sent.doc.user_data.setdefault("nl_counts", {})  # several events share a sentence
    if sent.start not in cache:
        try:
            from newsledger.extract.counts import counts_in
            cache[sent.start] = counts_in(sent)
        except Exception:  # counts are optional extras: a failing stage leaves them None
            cache[sent.start] = None
    counts = cache[sent.start]
    if counts is None:
        return
    ev.dead = getattr(counts, "dead", None)
    ev.injured = getattr(counts, "injured", None)
    ev.size = getattr(counts, "size", None)


def copy_actor(actor: Actor | None) -> Actor | None:
    return dataclasses.replace(actor) if actor is not None else None


ANAPHORA_FAMILY = {"ASSAULT": ("ASSAULT", "PROTEST", "COERCE"), "PROTEST": ("PROTEST", "ASSAULT")}
EVENT_WORDS = {"move", "decision", "step", "act", "action", "incident", "it", "this", "measure"}
VERBAL = {"CONSULT", "AGREE", "SUPPORT", "ACCUSE", "REJECT", "REQUEST", "THREATEN"}


def resolve_anaphora(events: list[Event], origins: dict[int, Draft]) -> list[Event]:
    """"The assault" with no actors of its own is another mention of the last such event."""
    last: dict[str, Event] = {}
    for e in events:
        hit = origins[id(e)].hit
        definite = any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its")
                       for c in hit.tok.children)
        if hit.pattern.pos == "noun" and definite and e.source is None and e.target is None:
            for typ in ANAPHORA_FAMILY.get(e.type, (e.type,)):
                prev = last.get(typ)
                if prev is not None:
                    e.type, e.cameo = prev.type, prev.cameo
                    e.goldstein, e.quad = prev.goldstein, prev.quad
                    e.source, e.target = copy_actor(prev.source), copy_actor(prev.target)
                    origins[id(e)].target = e.target
                    break
            continue
        if e.source is not None or e.target is not None:
            last[e.type] = e
    return events


def repeated_acts(doc: Doc, events: list[Event], origins: dict[int, Draft], dates: DateIndex,
                  actors: Actors) -> list[Event]:
    """"Hungarian lawmakers did the same", "Germany followed suit": the doer repeats the act
    told just before (same type and recipient), at the time its own clause gives."""
    out: list[Event] = []
    low = _attrs.text(doc).lower()
    if "same" not in low and "suit" not in low:  # the regex below tries every word
        return out
    for tok in _attrs.words(doc, REPEATING):
        if not repeats(tok):
            continue
        since = doc[max(tok.sent.start - 1, 0)].sent.start_char  # this or the last sentence
        before = [e for e in events if e.trigger and e.trigger.start < tok.idx
                  and e.modality == mod.ASSERTED and e.evidence is not None
                  and e.evidence.start >= since]
        if not before:
            continue
        ref = before[-1]
        d = origins[id(ref)]
        for who, direct in actors.of_tokens(subjects(tok)):
            if ref.source is not None and who.country == ref.source.country:
                continue
            target = ref.target if ref.target is None or ref.target.country != who.country \
                else None
            draft = Draft(Hit(tok, d.hit.pattern, None), ref.type, who, target, direct,
                          mod.modality_of(tok), round(ref.confidence - 0.1, 2), [], locked=True)
            ev = finish(draft, doc, dates, actors)
            ev.cameo, ev.goldstein, ev.quad = ref.cameo, ref.goldstein, ref.quad
            origins[id(ev)] = draft
            out.append(ev)
    return out


REPEATING = re.compile(r"\b(\w+)\s+(?:the\s+same|suit)\b", re.I)  # a cheap search first


def repeats(tok: Token) -> bool:
    """Is this verb "did the same" or "followed suit"?"""
    word = {"do": "same", "follow": "suit"}.get(tok.lemma_)
    return word is not None and any(o.dep_ in OBJ_DEPS and o.lower_ == word
                                    for o in tok.children)


CROWDS = {"protester", "demonstrator", "rioter", "marcher"}


def implied_protests(events: list[Event], origins: dict[int, Draft]) -> None:
    """Police who "fired tear gas at hundreds of protesters" met a protest: the crowd's act is
    reported too, though no verb names it. Coded once per sentence, aimed (by default) at home."""
    seen = {e.evidence.start for e in events if e.type == "PROTEST" and e.evidence}
    for e in list(events):
        d = origins[id(e)]
        if e.type not in ("COERCE", "ASSAULT") or e.modality != mod.ASSERTED \
                or e.evidence is None or e.evidence.start in seen:
            continue
        crowd = next((t for o in d.objects for t in o.subtree if lemma_of(t) in CROWDS), None)
        where = e.target or e.source
        if crowd is None or where is None or not where.country:
            continue
        seen.add(e.evidence.start)
        start = crowd.idx
        who = Actor(text=crowd.text, country=where.country, sector="CVL", kind="collective",
                    start=start, end=start + len(crowd.text))
        info = ontology().cameo("140")
        ev = dataclasses.replace(
            e, type="PROTEST", cameo="140", goldstein=info[0], quad=ontology().quad("PROTEST"),
            mode=None, context=[], source=who, target=None, dead=None, injured=None,
            trigger=Span(start=start, end=who.end, text=crowd.text), mentions=list(e.mentions),
            confidence=round(e.confidence - 0.2, 2))
        origins[id(ev)] = dataclasses.replace(d, type="PROTEST", source=who, target=None,
                                              objects=[], locked=False)
        events.append(ev)
    events.sort(key=lambda x: x.trigger.start if x.trigger else 0)


# Doers a story names without saying who they are: not the attackers it names elsewhere
UNKNOWN_ATTACKERS = {"gunman", "gunmen", "attacker", "assailant", "militant", "insurgent",
                     "terrorist", "bomber", "kidnapper", "bandit", "jihadist", "extremist",
                     "suspect", "gang"}


def link_violence(events: list[Event], origins: dict[int, Draft]) -> None:
    """Deaths with no named killer, or strikes with no named victim, belong to the attacks the
    article reports elsewhere: "700 Israelis were killed" after "Hamas attacked Israel". Killers
    named but not placed ("gunmen killed 26 people") are someone else: they stay unknown."""
    attacks = [e for e in events if e.type == "ASSAULT" and e.source and e.target
               and e.modality == mod.ASSERTED]
    for e in events:
        if e.type != "ASSAULT":
            continue
        hit = origins[id(e)].hit
        if e.source is None and hit.pattern.pos != "noun" and any(
                lemma_of(t) in UNKNOWN_ATTACKERS for t in subjects(hit.tok)):
            continue
        if e.source is None:  # "... pounded bases with air strikes": one attack per sentence
            same = [a for a in attacks if a.evidence and e.evidence
                    and a.evidence.start == e.evidence.start]
            if same:
                e.source, e.target = copy_actor(same[0].source), copy_actor(same[0].target)
                continue
        if e.source is None and e.target is not None:
            by = {a.source.country: a for a in attacks if a.target.country == e.target.country}
            if len(by) == 1:
                e.source = copy_actor(next(iter(by.values())).source)
            elif by:
                e.modality = "reported"  # casualties of attacks coded elsewhere: not a new event
        elif e.source is not None and e.target is None:
            on = {a.target.country: a for a in attacks if a.source.country == e.source.country
                  and a.target.country != a.source.country}
            if len(on) == 1:
                e.target = copy_actor(next(iter(on.values())).target)


def fill_event_object_targets(events: list[Event], origins: dict[int, Draft]) -> None:
    """Condemning or denying an act targets whoever did it: "condemned the attack" -> the
    attackers (null when they are unknown). "It"/"the move" point at the latest act."""
    by_trigger = {origins[id(e)].hit.tok.i: e for e in events}
    added: list[tuple[Event, Actor]] = []
    for i, e in enumerate(events):
        d = origins[id(e)]
        if e.type not in ("ACCUSE", "REJECT", "SUPPORT", "REQUEST") or e.target is not None:
            continue
        # "condemned what he called a terrorist attack": the parser makes it a clause
        objs = d.objects + [o for c in d.hit.tok.children if c.dep_ == "ccomp"
                            and any(w.lower_ == "what" for w in c.children)
                            for o in c.children if o.dep_ in ("oprd", "attr")]
        if e.type == "REQUEST":  # "called for an inquiry into the attack": anywhere inside
            objs = [t for o in d.objects for t in o.subtree
                    if t.i in by_trigger and by_trigger[t.i].type in VIOLENT]
        for obj in objs:
            act = by_trigger.get(obj.i)
            if act is None and lemma_of(obj) in EVENT_WORDS:
                act = next((x for x in events[:i][::-1] if x.source is not None
                            and x.type not in VERBAL
                            and (e.source is None or x.source.country != e.source.country)), None)
            if act is not None and act.source is None:
                # the attack this sentence names without its doer, told with one before
                # ("Israeli jets fired missiles ..." ... "condemned the attack")
                act = next((x for x in events[:i][::-1] if x.type == act.type
                            and x.source is not None and x.trigger and act.trigger
                            and x.trigger.start < act.trigger.start
                            and (e.source is None or x.source.country != e.source.country)),
                           act)
            if act is not None:
                d.locked = True
                if act.source is not None and (e.source is None
                                               or act.source.country != e.source.country):
                    e.target = copy_actor(act.source)
                    if obj.tag_ in ("NNS", "NNPS"):  # "condemned the strikes": every striker
                        added += [(e, x.source) for x in co_doers(events[:i], act, e)]
                break
    for e, doer in added:
        ev = dataclasses.replace(e, target=copy_actor(doer), mentions=list(e.mentions))
        origins[id(ev)] = origins[id(e)]
        events.append(ev)


def co_doers(before: list[Event], act: Event, e: Event) -> list[Event]:
    """The other doers of an act told in the same sentence ("U.S. and British warplanes
    struck"), one event each, other than the one who condemns it."""
    told = [x for x in before if x.type == act.type and x.source is not None
            and x.source.country == act.source.country and x.evidence is not None]
    if not told:
        return []
    where = told[-1].evidence.start  # "the attacks" may have taken its doer from there
    out: dict[str, Event] = {}
    for x in before:
        if x.type != act.type or x.source is None or not x.source.country \
                or x.evidence is None or x.evidence.start != where:
            continue
        if x.source.country != act.source.country and (
                e.source is None or x.source.country != e.source.country):
            out.setdefault(x.source.country, x)
    return list(out.values())


PLURAL_REFERENTS = {"them", "their", "they", "it"}  # "rejected X's complaint, calling it ..."


def fill_shared_targets(events: list[Event], origins: dict[int, Draft]) -> None:
    """"Ordered diplomats from A, B and C to leave, accusing their governments of ...": a
    participle or conjoined clause whose object is "them"/"their X" aims at the parties the
    clause it hangs on just named."""
    by_trigger: dict[int, list[Event]] = {}
    for e in events:
        by_trigger.setdefault(origins[id(e)].hit.tok.i, []).append(e)
    for e in list(events):
        d = origins[id(e)]
        tok = d.hit.tok
        if e.target is not None or d.locked or e.source is None \
                or tok.dep_ not in ("advcl", "conj", "xcomp"):
            continue
        if not any(o.lower_ in PLURAL_REFERENTS or any(
                c.dep_ == "poss" and c.lower_ == "their" for c in o.children) for o in d.objects):
            continue
        hosts = by_trigger.get(tok.head.i, []) or by_trigger.get(finite_host(tok.head).i, [])
        host = [x for x in hosts if x.target is not None
                and x.source is not None and x.source.country == e.source.country]
        for i, x in enumerate(host):
            ev = e if i == 0 else dataclasses.replace(e, mentions=list(e.mentions))
            ev.target = copy_actor(x.target)
            if i:
                origins[id(ev)] = d
                events.append(ev)


VIOLENT = {"ASSAULT", "COERCE", "PROTEST"}
HOME_INSTITUTIONS = {"authority", "government", "police", "parliament", "court", "judiciary",
                     "junta", "regime", "administration"}
DOMESTIC_OK = {"COERCE", "PROTEST", "MOBILIZE", "CONCEDE", "RETREAT", "ASSAULT", "ACCUSE",
               "REJECT"}


def fill_default_targets(events: list[Event], origins: dict[int, Draft], home: str | None) -> None:
    """An act with no recipient named is aimed at the country the story is about: foreign
    statements at that country, domestic crackdowns and protests at the actor's own country."""
    if not home:
        return
    partners = counterparts(events)
    for e in list(events):
        d = origins[id(e)]
        if d.sides and e.source is None and partners.get(home):
            e.source = Actor(text="", country=home, kind="country")
            e.target = Actor(text="", country=partners[home], kind="country")
            mirror = dataclasses.replace(e, source=copy_actor(e.target),
                                         target=copy_actor(e.source), mentions=list(e.mentions))
            origins[id(mirror)] = d
            events.append(mirror)
            continue
        if e.source is None and e.type in ("COERCE", "PROTEST") and e.target is not None:
            e.source = Actor(text="", country=unnamed_doer(e, home), kind="country")
        if e.target is not None or d.locked:
            continue
        pair = None
        if both_sides(d.objects) and e.source is not None:
            warring = any(lemma_of(o) in ("side", "party") for o in d.objects)
            pair = main_dyad(events, e) if warring else last_dyad(events, e)
        if pair or (both_sides(d.objects) and e.source is not None and partners.get(home)):
            # "urged both sides to ...": the pair the story last set against or beside each
            # other, else the two parties of the story's conflict
            sides = [c for c in (pair or (home, partners[home])) if c != e.source.country]
            for i, country in enumerate(sides):
                ev = e if i == 0 else dataclasses.replace(e, mentions=list(e.mentions))
                ev.target = Actor(text="", country=country, kind="country")
                if i:
                    origins[id(ev)] = d
                    events.append(ev)
            continue
        if e.source is not None and any(lemma_of(o) in HOME_INSTITUTIONS and not any(
                c.dep_ in ("poss", "amod", "compound") for c in o.children) for o in d.objects):
            # "demanded that the authorities hand his body over": the story's own institutions
            e.target = Actor(text="", country=home, kind="country")
            continue
        if e.source is None and e.type in ("COERCE", "PROTEST"):
            e.source = Actor(text="", country=unnamed_doer(e, home), kind="country")
        if e.source is None:
            continue  # neither attacker nor victim named: dropped below
        if e.type in ("ASSAULT", "COERCE") and any(lemma_of(t) in PEOPLE for o in d.objects
                                                   for t in [o]):
            e.target = copy_actor(e.source)  # "the RSF murdered men and boys": at home
        elif e.source.country != home:
            other = partners.get(e.source.country, home)
            e.target = Actor(text="", country=other, kind="country")
        elif e.type in DOMESTIC_OK and not (partners.get(home) and aimed_abroad(e, d)):
            e.target = copy_actor(e.source)
        elif partners.get(home) and e.type != "REQUEST":  # "X appealed for help": to all
            e.target = Actor(text="", country=partners[home], kind="country")
        elif e.type == "THREATEN":
            e.target = copy_actor(e.source)  # a warning with no other party: at home
        else:
            continue
        e.confidence = round(e.confidence - 0.15, 2)


def unnamed_doer(e: Event, home: str) -> str:
    """Who made an unattributed arrest: the country of its place when the clause names one
    ("detained in North Korea"), else the story's; crowds are the story's country."""
    if e.type == "COERCE" and e.location is not None and e.location.country:
        return e.location.country
    return home  # protesters abroad are mostly the story's own people (diaspora, embassies)


CONFLICT_DYADS = {"ASSAULT", "COERCE", "MOBILIZE", "THREATEN", "ACCUSE", "SANCTION"}


def main_dyad(events: list[Event], e: Event) -> tuple[str, str] | None:
    """"Both sides", "the warring parties": the pair the article's conflict events most often
    set against each other (e's own doer excluded)."""
    own = e.source.country if e.source else None
    counts: dict[tuple[str, str], int] = {}
    for x in events:
        if x.type in CONFLICT_DYADS and x.source and x.target:
            a, b = x.source.country, x.target.country
            if a and b and a != b and own not in (a, b):
                pair = tuple(sorted((a, b)))
                counts[pair] = counts.get(pair, 0) + 1
    return max(counts, key=counts.get) if counts else None


def last_dyad(events: list[Event], e: Event, types: set[str] | None = None
              ) -> tuple[str, str] | None:
    """The two countries of the latest earlier event between two parties other than e's doer
    ("both sides": of a conflict, when ``types`` are the conflict types)."""
    start = e.trigger.start if e.trigger else 0
    own = e.source.country if e.source else None
    for x in reversed(events):
        if x is e or not x.trigger or x.trigger.start >= start or not x.source or not x.target:
            continue
        if types and x.type not in types:
            continue
        pair = (x.source.country, x.target.country)
        if pair[0] and pair[1] and pair[0] != pair[1] and own not in pair:
            return pair
    return None


PEOPLE = {"protester", "demonstrator", "crowd", "people", "civilian", "student", "supporter",
          "activist", "opposition", "journalist", "citizen", "resident", "worker", "rioter",
          "predecessor", "critic", "leader", "lawmaker", "government", "police", "man", "woman",
          "boy", "girl", "child", "villager", "prisoner", "detainee", "migrant", "refugee"}


def aimed_abroad(e: Event, d: Draft) -> bool:
    """Is an act by the story's home country, with an unresolved object, aimed at the other
    side rather than at home? "accused his guest", "protested each of them", "fired missiles"."""
    for o in d.objects:
        if o.lower_ in ("them", "it", "they", "this"):
            return True
        if any(c.dep_ == "poss" and c.lower_ in ("his", "her", "its", "their") for c in o.children):
            return lemma_of(o) not in PEOPLE
    if e.type == "ASSAULT":
        return not any(lemma_of(t) in PEOPLE for o in d.objects for t in o.subtree)
    return False


def both_sides(objects: list[Token]) -> bool:
    """"both sides", "the two leaders", or "them" after such a phrase in the sentence ("had
    spoken to both leaders, urging them to stand down")."""
    return any(a_pair(o) or (o.lower_ == "them" and any(a_pair(t) for t in o.sent if t.i < o.i))
               for o in objects)


def a_pair(o: Token) -> bool:
    return lemma_of(o) in ("side", "party", "country", "government", "neighbour", "neighbor",
                           "leader") and any(c.lower_ in ("both", "two") for c in o.children)


def counterparts(events: Sequence[Event]) -> dict[str, str]:
    """For each country, the other country its coded events most often involve."""
    pairs: dict[str, dict[str, int]] = {}
    for e in events:
        if e.source and e.target and e.source.country != e.target.country:
            a, b = e.source.country, e.target.country
            pairs.setdefault(a, {}).setdefault(b, 0)
            pairs.setdefault(b, {}).setdefault(a, 0)
            pairs[a][b] += 1
            pairs[b][a] += 1
    return {a: max(bs.items(), key=lambda kv: kv[1])[0] for a, bs in pairs.items()}


def main_country(doc: Doc, events: Sequence[Event] = ()) -> str | None:
    """The country the article is about: the one its events involve most, then the one its
    actor mentions and places name most (the dateline counting extra)."""
    counts: dict[str, float] = {}
    for e in events:
        for a in (e.source, e.target):
            if a is not None and a.country and len(a.country) == 3:
                counts[a.country] = counts.get(a.country, 0) + 2
    for a in doc._.nl_actors or []:
        if a.country and len(a.country) == 3:
            counts[a.country] = counts.get(a.country, 0) + 1
    for pl in doc._.nl_places or []:
        if pl.country:
            weight = 3 if pl.start < 40 else 1  # the dateline names where the story is
            counts[pl.country] = counts.get(pl.country, 0) + weight
    if not counts:
        return None
    return max(counts.items(), key=lambda kv: kv[1])[0]


def fill_reply_targets(events: list[Event], origins: dict[int, Draft]) -> None:
    """A reply with no named addressee (a denial, an acceptance) answers the act addressed to
    its source earlier in the article: the accuser, the inviter."""
    for i, e in enumerate(events):
        reply_to = origins[id(e)].hit.pattern.reply_to
        if not reply_to or e.source is None or e.target is not None:
            continue
        for typ in reply_to:  # the first listed type wins, then the nearest earlier act
            asked = [x for x in events[:i][::-1]
                     if x.type == typ and x.source and x.target and x.modality == mod.ASSERTED
                     and x.target.country == e.source.country
                     and x.source.country != e.source.country]
            if asked:
                e.target = copy_actor(asked[0].source)
                e.confidence = round(e.confidence - 0.1, 2)
                break


def fill_victim_targets(events: list[Event], origins: dict[int, Draft]) -> None:
    """Condolences with no named recipient go to the victims of the last attack reported."""
    for i, e in enumerate(events):
        kinds = origins[id(e)].hit.pattern.victims_of
        if not kinds or e.target is not None:
            continue
        hurt = [x for x in events[:i][::-1] + events[i + 1:]
                if x.type in kinds and x.target and x.modality == mod.ASSERTED
                and (e.source is None or x.target.country != e.source.country)]
        if hurt:
            e.target = copy_actor(hurt[0].target)
            e.confidence = round(e.confidence - 0.1, 2)


def merge_key(e: Event, directed: bool = False) -> tuple:
    s = (e.source.country or "") if e.source else ""  # a candidate's doer may have no code
    t = (e.target.country or "") if e.target else ""
    if e.type in SYMMETRIC and not directed:
        s, t = sorted([s, t])
    return (e.type, s, t, e.modality == mod.ASSERTED, e.candidate)


def merge(events: list[Event], date_ranks: dict[int, int] | None = None,
          joint: set[int] = frozenset()) -> list[Event]:
    """One record per (type, source country, target country): evidence and mentions merged,
    the date taken from the mention that dates it most directly. Two mentions that each carry
    their own, conflicting date ("detained 200 people on Friday" ... "was arrested in January
    2021") are distinct events and stay apart; an undated mention joins the first record.
    A meeting is one record whichever side is named first, except a joint act (``joint`` ids:
    "X and Y held talks"), which is a record each way."""
    ranks = date_ranks or {}
    merged: dict[tuple, list[Event]] = {}
    best_rank: dict[int, int] = {}
    for e in events:
        k = merge_key(e, id(e) in joint)
        rank = ranks.get(id(e), 4 if e.date_basis == "text" else 0)
        group = merged.setdefault(k, [])
        best = pick_record(group, e, rank, best_rank)
        if best is None:
            group.append(e)
            best_rank[id(e)] = rank
            continue
        if e.evidence and all(m.start != e.evidence.start for m in best.mentions):
            best.mentions.append(e.evidence)
        if rank > best_rank[id(best)]:
            best.date, best.date_basis, best_rank[id(best)] = e.date, e.date_basis, rank
        if e.confidence > best.confidence:
            best.confidence = e.confidence
        for name in ("location", "dead", "injured", "size"):
            if getattr(best, name) is None and getattr(e, name) is not None:
                setattr(best, name, getattr(e, name))
    return [e for group in merged.values() for e in group]


def pick_record(group: list[Event], e: Event, rank: int, ranks: dict[int, int]) -> Event | None:
    """The record a mention belongs to, or None when its own date is more than a month from
    every record's: then it reports a distinct, background event."""
    if not group:
        return None
    if rank < 4:
        return group[0]
    for rec in group:
        if not far_apart(rec.date, e.date):
            return rec
    return None


def same_time(a: str | None, b: str | None) -> bool:
    """Dates that may name the same day: equal, or one a coarser form of the other."""
    if not a or not b:
        return True
    return a.startswith(b) or b.startswith(a)


def far_apart(a: str | None, b: str | None, days: int = 31) -> bool:
    """More than a month apart: a background event ("arrested in January 2021"), not a fuller
    date for a mention the story dated only loosely."""
    if not a or not b or same_time(a, b):
        return False
    first = [dt.date.fromisoformat((x + "-01-01")[:10]) for x in (a, b)]
    return abs((first[0] - first[1]).days) > days

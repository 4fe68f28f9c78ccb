"""Quotations with their speakers.

Finds every stretch of text in double quote marks (straight or curly), decides whether it is
reported speech and who said it, and writes ``doc._.nl_quotes`` as a list of ``Quote``.

* Direct quotations (``direct=True``): the quoted words without the marks, trailing punctuation
  inside the marks kept; ``doc.text[q.start:q.end] == q.text`` always holds. A quotation split
  around its cue ("...," she said, "...") gives one ``Quote`` per quoted stretch, and a quotation
  running over several paragraphs gives one per paragraph, all with the same speaker.
* Indirect attributions (``direct=False``): "X said that ..." / "X denied ..." without quote marks,
  with the reported clause as ``text``. The extraction record's ``quotes`` holds direct quotations
  only; indirect ones stay on the Doc for callers that want them.

Speakers come from the dependency parse: the speech verb governing the quotation (or the nearest
one next to a full-sentence quotation) and its subject; then fallbacks ("according to X", the
speaker of the neighbouring quotation, pronoun resolution). One-word scare quotes, quotations
nobody is credited with (titles, slogans, names) and headline fragments are left out.

>>> from newsledger.extract import load_nlp
>>> doc = load_nlp()('"We will not give in," Maria Lopez said on Monday.')
>>> [(q.text, q.speaker.name, q.cue) for q in doc._.nl_quotes]
[('We will not give in,', 'Maria Lopez', 'said')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsledger.extract import doc as _attrs  # noqa: F401  registers doc._.nl_*
from newsledger.model import Actor, Quote

OPENING = {"\u201c", "\u201e", "\u00ab"}
CLOSING = {"\u201d", "\u00bb"}
STRAIGHT = {'"'}
MARKS = OPENING | CLOSING | STRAIGHT
MIN_WORDS = 2  # one-word quotations are scare quotes
SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
PRONOUNS = {"he", "she", "him", "her"}
GROUP_PRONOUNS = {"they", "we", "it", "i", "you"}
NAMED = {"PERSON", "ORG", "NORP", "GPE"}
# Edges a speaker search climbs through without losing the speaker: a participle or coordinated
# verb ("..., saying", "and said") takes the subject of the verb it hangs on.
SUBJECT_HEIRS = {"conj", "advcl", "xcomp", "acl", "pcomp", "prep", "dep"}
# Edges into a noun's modifier: a quotation below one is a name or a scare quote, not speech.
NOUN_MODIFIERS = {"relcl", "acl", "compound", "poss", "nmod"}
MAX_CLIMB = 12
WORD = re.compile(r"[A-Za-z0-9@']+")


@dataclass
class Stretch:
    """One quoted stretch: offsets of the words inside the marks."""

    start: int
    end: int
    group: int  # stretches of one multi-paragraph quotation share a group number


@lru_cache(maxsize=1)
def cues() -> dict[str, set[str]]:
    """The cue lists from ``newsledger/data/quotes/cues.yaml``."""
    text = resources.files("newsledger").joinpath("data/quotes/cues.yaml").read_text("utf-8")
    return {k: {str(w).lower() for w in v or []} for k, v in yaml.safe_load(text).items()}


# ---------------------------------------------------------------- finding quoted stretches

def _is_open(text: str, i: int) -> bool:
    """Whether the straight mark at i opens a quotation (by the characters around it)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace():
        return False
    return before.isspace() or before in "([{\u2014\u2013-/:" or i == 0


def _paragraph_stretches(text: str, lo: int, hi: int) -> tuple[list[tuple[int, int]], int | None]:
    """Closed stretches in text[lo:hi], and the start of a stretch left open at the end."""
    found: list[tuple[int, int]] = []
    opened: int | None = None
    for i in range(lo, hi):
        ch = text[i]
        if ch not in MARKS:
            continue
        if ch in OPENING or (ch in STRAIGHT and opened is None and _is_open(text, i)):
            opened = i + 1  # an opening mark inside an open quote restarts it (broken input)
        elif opened is not None and (ch in CLOSING or ch in STRAIGHT):
            found.append((opened, i))
            opened = None
    return found, opened


def find_stretches(text: str) -> list[Stretch]:
    """Quoted stretches, paragraph by paragraph, so a stray mark never runs across the article.

    >>> [(s.start, s.end) for s in find_stretches('He said "no way" and left.')]
    [(9, 15)]
    """
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    out: list[Stretch] = []
    group = 0
    carry: list[Stretch] = []  # stretches of a quotation still open at a paragraph end
    for n, (lo, hi) in enumerate(paragraphs):
        closed, left_open = _paragraph_stretches(text, lo, hi)
        for k, (s, e) in enumerate(closed):
            if k == 0 and carry:
                out.extend(carry)
                out.append(Stretch(s, e, carry[0].group))
                carry = []
                continue
            group += 1
            out.append(Stretch(s, e, group))
        if carry and closed:
            carry = []  # the continued quotation never closed: drop it
        nxt = paragraphs[n + 1][0] if n + 1 < len(paragraphs) else None
        continues = nxt is not None and text[nxt] in OPENING | STRAIGHT
        if left_open is not None and continues:
            if not carry:
                group += 1
            carry.append(Stretch(left_open, hi, group))
        elif not continues:
            carry = []
    return [_trim(text, s) for s in out if _trim(text, s).end > _trim(text, s).start]


def _trim(text: str, s: Stretch) -> Stretch:
    start, end = s.start, s.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Stretch(start, end, s.group)


def _words(text: str) -> list[str]:
    return WORD.findall(text)


# ---------------------------------------------------------------- speakers

class Resolver:
    """Turns a subject token into a speaker ``Actor``, using the actor stage when it ran."""

    def __init__(self, doc: Doc, inside: list[bool] | None = None):
        self.doc = doc
        self.inside = inside or [False] * len(doc)
        self.actors = list(doc._.nl_actors or [])
        self.persons = [e for e in _ents(doc) if e.label_ == "PERSON"]
        self.names = [_clean(e.text) for e in self.persons]
        self.names += [a.name for a in self.actors if a.name and a.kind in (None, "person")]
        self.sents = list(doc.sents)  # once: walking doc.sents per pronoun is quadratic

    # -- names
    def fullest(self, name: str) -> str:
        """The longest name in the article that contains every word of ``name``.

        Ties go to the earliest, the person the article introduced first.
        """
        words = set(name.split())
        best = name
        for cand in self.names:
            if words <= set(cand.split()) and len(cand) > len(best):
                best = cand
        return best

    def actor_for(self, token: Token) -> Actor | None:
        if not self.actors:
            return None
        try:
            from newsledger.extract.actors import actor_for_token
        except ImportError:
            return None
        try:
            return actor_for_token(self.doc, token)
        except Exception:  # the actor stage is optional here: fall back to the parse
            return None

    # -- subjects
    def speaker(self, token: Token) -> Actor | None:
        """The speaker a subject token stands for."""
        if token.dep_ == "nsubj" and token.lower_ in {"who", "that", "which"} and \
                token.head.dep_ == "relcl":
            token = token.head.head
        low = token.lower_
        if low in PRONOUNS:
            return self.pronoun(token)
        if low in GROUP_PRONOUNS:
            return self.group_pronoun(token)
        if token.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY"):
            return None
        if token.lemma_.lower() in cues()["document_nouns"]:
            issuer = [c for c in token.children if c.dep_ in ("compound", "poss", "nmod")
                      and c.pos_ in ("NOUN", "PROPN")]
            if issuer:  # "a ministry statement said", "the army's statement": its issuer
                found = self.noun_phrase(issuer[-1])
                if found is not None and found.name:
                    found = replace(found, name=_unpossessed(found.name),
                                    text=_unpossessed(found.text or ""))
                return found
            return self.previous_speaker(token.idx)
        return self.noun_phrase(token)

    def noun_phrase(self, head: Token) -> Actor | None:
        span = _np(head)
        text = _clean(span.text)
        if not _words(text):
            return None
        person = _person_in(span, head)
        found = self.actor_for(person[-1] if person is not None else head)
        if person is not None:
            name = self.fullest(_clean(person.text))
            if found and found.name and set(name.split()) <= set(found.name.split()):
                name = found.name
            return _actor(found, person, name, "person")
        ent = _entity_at(span)
        if ent is not None and ent.label_ in NAMED and _covers(ent, span):
            # a surname the NER took for an organisation still finds its person
            name = self.fullest(_clean(ent.text))
        elif head.pos_ == "PROPN" and not (ent is not None and head in ent and
                                           ent.label_ != "PERSON"):
            # a name the NER missed ("ministry spokesperson Ana Ruiz"): the run of proper nouns
            run = head
            while run.i > span.start and self.doc[run.i - 1].pos_ == "PROPN" and \
                    self.doc[run.i - 1].lower_ not in cues()["person_nouns"]:
                run = self.doc[run.i - 1]  # back to the name's start, not its title
            name = self.fullest(self.doc[run.i:head.i + 1].text)
        else:
            name = self.earlier_form(span, head) or text
        if found and found.name and found.kind == "person" and head.pos_ == "PROPN":
            name = found.name
        return _actor(found, span, name, None)

    def earlier_form(self, span: Span, head: Token) -> str | None:
        """A fuller earlier name for a definite description: "the command" -> its first mention."""
        if span[0].lower_ != "the" or any(t.pos_ == "PROPN" for t in span):
            return None
        for ent in reversed([e for e in _ents(self.doc) if e.end_char <= span.start_char]):
            if ent.label_ in ("ORG", "NORP") and any(
                    t.lemma_.lower() == head.lemma_.lower() for t in ent):
                return _clean(ent.text)
        return None

    def pronoun(self, token: Token) -> Actor | None:
        """He/she: the last person-like subject before it (in a run of quotations that is the
        speaker), else whatever the actor stage resolved the pronoun to."""
        mention = {"text": token.text, "start": token.idx, "end": token.idx + len(token)}
        prior = self.recent_person(token)
        if prior is not None:
            return replace(prior, **mention)
        found = self.actor_for(token)
        return replace(found, **mention) if found and found.name else None

    def group_pronoun(self, token: Token) -> Actor | None:
        """It/they: the actor stage's answer, else the last organisation or group subject before
        it; I/we (and an unresolved it/they) stand for themselves."""
        mention = {"text": token.text, "start": token.idx, "end": token.idx + len(token)}
        found = self.actor_for(token)
        if found and found.name:
            return replace(found, **mention)
        if token.lower_ in ("it", "they"):
            for t in self.recent_subjects(token):
                if not _person_like(_np(t), t) and (t.ent_type_ in ("ORG", "NORP", "GPE") or
                                                    t.tag_ == "NNS" or t.lower_ == "it"):
                    actor = self.noun_phrase(t)
                    if actor is not None:
                        return replace(actor, **mention)
        return Actor(name=token.text, kind="pronoun", **mention)

    def recent_subjects(self, token: Token):
        """Non-pronoun subjects before a token, nearest first, within three sentences."""
        n = next((k for k, s in enumerate(self.sents) if s.end > token.i), len(self.sents))
        for sent in reversed(self.sents[max(0, n - 2):n + 1]):
            for t in reversed(list(sent)):
                if t.i >= token.i or t.dep_ not in ("nsubj", "nsubjpass") or self.inside[t.i]:
                    continue
                if t.lower_ in PRONOUNS | GROUP_PRONOUNS or t.lower_ in {"who", "that"}:
                    continue
                yield t

    def recent_person(self, token: Token) -> Actor | None:
        """The person a he/she most likely means: the last person-like subject before it."""
        for t in self.recent_subjects(token):
            if _person_like(_np(t), t):
                actor = self.noun_phrase(t)
                if actor is not None:
                    return actor
        for ent in reversed(self.persons):
            if ent.end <= token.i and not _possessive(ent) and not self.inside[ent.start]:
                return Actor(text=ent.text, name=self.fullest(_clean(ent.text)), kind="person",
                             start=ent.start_char, end=ent.end_char)
        return None

    def previous_speaker(self, offset: int) -> Actor | None:
        """The speaker of the closest speech verb before ``offset`` ("the statement said")."""
        for tok in reversed([t for t in self.doc if t.idx < offset and offset - t.idx < 600]):
            if self.inside[tok.i] or not _is_cue(tok):
                continue
            subj = _subject(tok, self.inside)
            if subj is None or subj.lemma_.lower() in cues()["document_nouns"] or \
                    subj.lower_ in GROUP_PRONOUNS:
                continue
            actor = self.speaker(subj)
            if actor is not None:
                return actor
        return None


def _actor(found: Actor | None, span: Span, name: str, kind: str | None) -> Actor:
    base = found if found is not None else Actor(text=span.text, kind=kind)
    return replace(base, text=span.text, name=name, start=span.start_char, end=span.end_char,
                   kind=base.kind or kind)


def _unpossessed(text: str) -> str:
    """"the army's" -> "the army"."""
    return re.sub(r"\s*['\u2019]s?$", "", text)


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:\"\u201c\u201d")
    return re.sub(r"(?:'s|\u2019s|')$", "", text).strip()


def _np(head: Token) -> Span:
    """The subject's noun phrase without relative clauses, appositions' tails and punctuation."""
    doc = head.doc
    right = head.i
    for child in head.rights:
        if child.dep_ in ("relcl", "acl", "punct", "cc", "conj", "advcl") or child.text == ",":
            break
        if child.dep_ == "appos":
            break
        right = child.right_edge.i
    left = head.i
    for child in head.lefts:  # "In a statement on Monday, the ministry": not the speaker's words
        if child.dep_ not in ("prep", "punct", "cc", "mark", "advcl", "npadvmod", "advmod"):
            left = min(left, child.left_edge.i)
    while left < head.i and doc[left].is_punct:
        left += 1
    span = doc[left:right + 1]
    appos = [c for c in head.rights if c.dep_ == "appos"]
    if appos and _person_in(span, head) is None:
        whole = doc[appos[0].left_edge.i:appos[0].right_edge.i + 1]
        if _person_in(whole, appos[0]) is not None:
            return whole
    return span


def _ents(doc: Doc) -> list[Span]:
    """doc.ents, built once per Doc (spaCy rebuilds the tuple on every access)."""
    if "nl_quotes_ents" not in doc.user_data:
        doc.user_data["nl_quotes_ents"] = list(doc.ents)
    return doc.user_data["nl_quotes_ents"]


def _span_ents(span: Span) -> list[Span]:
    return [e for e in _ents(span.doc) if span.start <= e.start and e.end <= span.end]


def _person_in(span: Span, head: Token | None = None) -> Span | None:
    """The person a phrase names: one that holds its head, or any when the head is a role
    ("the spokesman Ana Ruiz"), never one in a modifier ("his attacks on Ruiz")."""
    people = [e for e in _span_ents(span) if e.label_ == "PERSON" and not _possessive(e)]
    if head is not None and head.lemma_.lower() not in cues()["person_nouns"]:
        people = [e for e in people if e.start <= head.i < e.end]
    return people[-1] if people else None


def _covers(ent: Span, span: Span) -> bool:
    """Whether an entity is the whole phrase, bar determiners and punctuation."""
    return all(t.pos_ in ("DET", "PUNCT", "PART") or ent.start <= t.i < ent.end for t in span)


def _entity_at(span: Span) -> Span | None:
    ents = [e for e in _span_ents(span) if not _possessive(e)]
    return max(ents, key=len) if ents else None


def _possessive(ent: Span) -> bool:
    nxt = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    return ent[-1].tag_ == "POS" or (nxt is not None and nxt.tag_ == "POS")


def _person_like(span: Span, head: Token) -> bool:
    if _person_in(span, head) is not None:
        return True
    if head.ent_type_ and head.ent_type_ != "PERSON":
        return False
    return head.pos_ == "NOUN" and head.tag_ == "NN" and \
        head.lemma_.lower() in cues()["person_nouns"]


# ---------------------------------------------------------------- cues

def _is_cue(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in cues()["speech_verbs"]


def _subject(verb: Token, quoted: list[bool] | None = None) -> Token | None:
    """The subject of a verb, or of the verb it hangs on ("..., saying" / "and said").

    Subjects inside quotation marks (``quoted[i]``) belong to the quoted words, not the speaker.
    """
    cur = verb
    for _ in range(4):
        subj = [c for c in cur.children if c.dep_ in SUBJECTS and not (quoted and quoted[c.i])]
        if subj:
            return subj[0]
        agent = [g for c in cur.children if c.dep_ == "agent" for g in c.children
                 if g.dep_ == "pobj"]
        if agent:
            return agent[0]
        if cur.dep_ == "relcl":
            return cur.head
        if cur.dep_ not in SUBJECT_HEIRS or cur.head.i == cur.i:
            return _loose_subject(cur)
        cur = cur.head
    return None


def _loose_subject(verb: Token) -> Token | None:
    """A name before the verb that the parser failed to label as its subject.

    "Smith, in turn, accused ..." is sometimes parsed with "Smith" as an adverb.
    """
    names = _person_words(verb.doc)
    for child in verb.lefts:
        if child.dep_ not in ("advmod", "npadvmod", "dep", "nmod"):
            continue
        if child.tag_ == "NNP" or child.ent_type_ == "PERSON" or \
                (child.is_title and child.text in names):  # a surname named in full elsewhere
            return child
    return None


def _person_words(doc: Doc) -> set[str]:
    return {t.text for e in _ents(doc) if e.label_ == "PERSON" for t in e if t.is_title}


def _according_to(verb: Token) -> Token | None:
    """The X of "according to X" (or "citing X") hanging on a verb."""
    for child in verb.children:
        if child.lower_ == "according":
            for to in child.children:
                objs = [g for g in to.children if g.dep_ == "pobj"]
                if objs:
                    return objs[0]
    return None


def _cue_text(verb: Token) -> str:
    """The cue as written: "said", or "posted on X" for a platform post."""
    if verb.lemma_.lower() in cues()["platform_verbs"]:
        for prep in verb.children:
            if prep.lower_ == "on":
                objs = [g for g in prep.children if g.dep_ == "pobj" and g.text[:1].isupper()
                        and g.ent_type_ not in ("DATE", "TIME")]  # "on X", not "on Monday"
                if objs:
                    tail = verb.doc[objs[0].left_edge.i:objs[0].i + 1].text.rstrip(".,;:")
                    return f"{verb.lower_} on {tail}"
    return verb.lower_


# ---------------------------------------------------------------- the component

class QuoteFinder:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = _attrs.text(doc)  # Doc.text joins every token on each access
        self.stretches = find_stretches(self.text)
        self.inside = [False] * len(doc)
        self.resolver = Resolver(doc, self.inside)
        for s in self.stretches:
            span = doc.char_span(s.start, s.end, alignment_mode="expand")
            if span is not None:
                for t in span:
                    self.inside[t.i] = True
            for i in (s.start - 1, s.end):  # the marks themselves
                tok = _token_at(doc, i) if i < len(self.text) else None
                if tok is not None:
                    self.inside[tok.i] = True

    def run(self) -> list[Quote]:
        found: list[tuple[Stretch, Quote | None]] = []
        for s in self.stretches:
            found.append((s, self.attribute(s)))
        self.fill_gaps(found)
        direct = [q for s, q in found if q is not None and q.speaker is not None
                  and len(_words(q.text)) >= MIN_WORDS and not self.headline(s)]
        return direct + self.indirect(direct)

    def headline(self, s: Stretch) -> bool:
        """A quotation in a headline or subheading: a short line with no closing punctuation."""
        text = self.text
        lo = text.rfind("\n", 0, s.start) + 1
        hi = text.find("\n", s.end)
        line = text[lo:hi if hi >= 0 else len(text)].strip().rstrip("".join(MARKS) + " ")
        if len(text.strip()) == len(line) or len(_words(line)) > 25:
            return False  # a one-line text is a sentence, not a headline
        return not line.endswith((".", "!", "?", ":", ",", ";"))

    def attribute(self, s: Stretch) -> Quote | None:
        doc = self.doc
        span = doc.char_span(s.start, s.end, alignment_mode="contract")
        if span is None or not len(span):
            return None
        text = self.text[s.start:s.end]
        whole = self.is_clausal(span)
        cue = self.governing_cue(span, speech_only=not whole)
        if cue is None and whole:
            cue = self.nearest_cue(span) or self.colon_cue(s)
        if cue is None:
            return Quote(text, s.start, s.end, direct=True)
        verb, speaker, cue_text = cue
        actor = self.resolver.speaker(speaker) if speaker is not None else None
        return Quote(text, s.start, s.end, cue=cue_text, speaker=actor, direct=True)

    def is_clausal(self, span: Span) -> bool:
        """A quotation that is a sentence of its own (or most of one), not a phrase in a sentence."""
        before = self.doc[span.start - 2] if span.start >= 2 else None
        mark = self.doc[span.start - 1] if span.start >= 1 else None
        starts = span[0].is_sent_start or before is None or before.is_sent_start or \
            (mark is not None and mark.is_sent_start) or before.text in (".", "!", "?") or \
            before.text in CLOSING | STRAIGHT or \
            before.text in (",", ":", ";") or before.lower_ in ("said", "says", "told") or \
            (before.is_punct and before.i > 0 and self.doc[before.i - 1].is_sent_start)
        has_verb = any(t.pos_ in ("VERB", "AUX") for t in span)
        return bool(starts and has_verb and len(span) >= 3)

    def governing_cue(self, span: Span, speech_only: bool):
        """Climb the parse from the quotation to the speech verb that governs it."""
        roots = [t for t in span if not (span.start <= t.head.i < span.end) or t.head.i == t.i]
        for root in roots:
            cur = root
            for _ in range(MAX_CLIMB):
                hit = self.cue_at(cur, span)
                if hit:
                    return hit
                if cur.head.i == cur.i:
                    break
                if cur.dep_ in NOUN_MODIFIERS and not (span.start <= cur.i < span.end) \
                        and speech_only:
                    break
                cur = cur.head
        return None

    def cue_at(self, tok: Token, span: Span):
        outside = not (span.start <= tok.i < span.end)
        source = _according_to(tok)
        if source is not None and not self.inside[source.i]:
            return tok, source, "according to"
        if outside and not self.inside[tok.i] and _is_cue(tok):
            subj = _subject(tok, self.inside)
            if subj is not None and not self.inside[subj.i]:
                return tok, subj, _cue_text(tok)
        return None

    def nearest_cue(self, span: Span):
        """For a full-sentence quotation: the closest speech verb beside it in its sentences."""
        doc = self.doc
        touching = [s for s in self.resolver.sents if s.end > span.start and s.start < span.end]
        if not touching:
            return None
        lo, hi = touching[0].start, touching[-1].end
        after = doc[span.end + 1:hi] if span.end + 1 < hi else None
        best = None
        for tok in doc[lo:hi]:
            if self.inside[tok.i] or not _is_cue(tok):
                continue
            subj = _subject(tok, self.inside)
            if subj is None or self.inside[subj.i]:
                continue
            gap = span.start - tok.i if tok.i < span.start else tok.i - span.end
            if after is not None and tok.i >= span.end:
                gap -= 1  # '"...," she said' is the common order: prefer it on ties
            if best is None or gap < best[0]:
                best = (gap, tok, subj)
        if best is None:
            return None
        return best[1], best[2], _cue_text(best[1])

    def colon_cue(self, s: Stretch):
        """A quotation set off as its own paragraph after "X said:" at the end of the last one."""
        text = self.text
        lo = text.rfind("\n", 0, s.start) + 1
        if text[lo:s.start].strip(" \t" + "".join(MARKS)):
            return None  # the quotation does not open its paragraph
        before = text[:lo].rstrip()
        if not before.endswith(":"):
            return None
        colon = _token_at(self.doc, len(before) - 1)
        if colon is None:
            return None
        for tok in reversed(list(colon.sent)):
            if tok.i < colon.i and not self.inside[tok.i] and _is_cue(tok):
                subj = _subject(tok, self.inside)
                if subj is not None:
                    return tok, subj, _cue_text(tok)
        return None

    def fill_gaps(self, found: list[tuple[Stretch, Quote | None]]) -> None:
        """Quotations with no cue of their own take the speaker of their neighbours.

        A sentence quoted on its own right after (or before) an attributed quotation, or another
        paragraph of the same quotation, is the same speaker's.
        """
        for n, (s, q) in enumerate(found):
            if q is None or q.speaker is not None:
                continue
            span = self.doc.char_span(s.start, s.end, alignment_mode="contract")
            if span is None or not len(span) or not self.is_clausal(span):
                continue
            for m in (n - 1, n + 1):
                if not 0 <= m < len(found):
                    continue
                other, oq = found[m]
                if oq is None or oq.speaker is None:
                    continue
                near = abs(other.start - s.start) < 700 and \
                    "\n\n" not in self.text[min(other.end, s.end):max(other.start, s.start)]
                if other.group == s.group or near:
                    q.speaker, q.cue = oq.speaker, oq.cue
                    break

    def indirect(self, direct: list[Quote]) -> list[Quote]:
        """Reported speech without quote marks: the clause a speech verb introduces."""
        out: list[Quote] = []
        verbs = cues()["indirect_verbs"]
        for tok in self.doc:
            if tok.pos_ != "VERB" or tok.lemma_.lower() not in verbs or self.inside[tok.i]:
                continue
            content = [c for c in tok.children if c.dep_ == "ccomp"]
            if not content and tok.lemma_.lower() in ("deny", "reject", "confirm", "announce"):
                content = [c for c in tok.children if c.dep_ == "dobj"]
            if not content:
                continue
            c = content[0]
            start, end = c.left_edge.idx, c.right_edge.idx + len(c.right_edge)
            if any(self.inside[t.i] for t in self.doc[c.left_edge.i:c.right_edge.i + 1]):
                continue
            subj = _subject(tok, self.inside)
            actor = self.resolver.speaker(subj) if subj is not None else None
            if actor is None:
                continue
            out.append(Quote(self.text[start:end], start, end, cue=tok.lower_,
                             speaker=actor, direct=False))
        return out


def _token_at(doc: Doc, char: int) -> Token | None:
    if char < 0:
        return None
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def extract_quotes(doc: Doc) -> list[Quote]:
    """All quotations and indirect attributions in a parsed Doc (see the module docstring)."""
    try:
        return QuoteFinder(doc).run()
    finally:
        doc.user_data.pop("nl_quotes_ents", None)


@Language.factory("newsledger_quotes")
def make_component(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.nl_quotes = extract_quotes(doc)
        return doc
    return component

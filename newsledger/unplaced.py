"""Actors the dictionaries lack: the doers of acts the coder found but could not place.

When the event coder finds an act ("Leaders of the Freedom Bloc agreed to ...") whose doer no
dictionary codes, it keeps the act as a candidate with the doer as written (see
docs/schema.md). Counted over a corpus, those doers are the dictionary entries worth adding
first. ``unplaced_doers`` counts them; ``dictionary_lines`` writes them in the one-line
dictionary format (docs/actors.md), commented out, for a user to fill in and keep.

>>> rows = unplaced_doers(extractions)                                    # doctest: +SKIP
>>> print(dictionary_lines(rows[:20]))                                    # doctest: +SKIP
# Freedom Bloc => AZE                             # 3 acts (AGREE 2, PROTEST 1); place named: AZE
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsledger.model import Extraction

LEADING = re.compile(r"^(?:the|a|an|some|several|many|two|three|both)\s+", re.IGNORECASE)


@dataclass
class UnplacedDoer:
    name: str  # the commonest spelling, without a leading article
    acts: int = 0
    articles: int = 0
    types: Counter = field(default_factory=Counter)
    places: Counter = field(default_factory=Counter)  # countries of places named with the doer
    example: str = ""  # one sentence reporting an act of it
    example_article: str = ""

    @property
    def guess(self) -> str | None:
        """The country most often named with it, if any."""
        return self.places.most_common(1)[0][0] if self.places else None

    def as_dict(self) -> dict:
        return {"name": self.name, "acts": self.acts, "articles": self.articles,
                "types": dict(self.types.most_common()), "guess": self.guess,
                "example": self.example, "example_article": self.example_article}


def is_named(text: str) -> bool:
    """Does the phrase carry a name ("the Azadliq bloc", "RUF"), not only common nouns
    ("lawmakers", "Soldiers" at a sentence start)?"""
    words = text.split()
    if len(words) > 6:
        return False  # a long phrase is the parser's subject gone astray, not a name
    if len(words) == 1:
        return len(words[0]) > 1 and words[0].isupper()
    return any(w[:1].isupper() for w in words[1:])


def unplaced_doers(extractions: Iterable[Extraction], named_only: bool = True
                   ) -> list[UnplacedDoer]:
    """Doers of candidate events with no country code, most acts first."""
    found: dict[str, UnplacedDoer] = {}
    spellings: dict[str, Counter] = {}
    seen: dict[str, set[str]] = {}
    for ex in extractions:
        for ev in ex.events:
            doer = ev.source
            if not ev.candidate or doer is None or not doer.text or doer.name:
                continue  # a placed doer, or a dictionary actor that only lacked a target
            name = LEADING.sub("", doer.text.strip())
            if not name or (named_only and not is_named(name)):
                continue
            key = name.lower()
            row = found.setdefault(key, UnplacedDoer(name))
            spellings.setdefault(key, Counter())[name] += 1
            row.acts += 1
            row.types[ev.type] += 1
            if doer.country:
                row.places[doer.country] += 1
            if ex.id not in seen.setdefault(key, set()):
                seen[key].add(ex.id)
                row.articles += 1
            if not row.example and ev.evidence:
                row.example, row.example_article = ev.evidence.text, ex.id
    for key, row in found.items():
        row.name = spellings[key].most_common(1)[0][0]
    return sorted(found.values(), key=lambda r: (-r.acts, -r.articles, r.name.lower()))


def dictionary_lines(rows: Iterable[UnplacedDoer]) -> str:
    """One commented line per doer in the one-line dictionary format: uncomment, set the code
    (and sector), and put the file in a ``NEWSLEDGER_DICTIONARIES`` folder."""
    out = ["# Actors newsledger could not place. Uncomment a line, set its code (ISO3, an IGO",
           "# code, or - for none), add a sector if you know it (GOV, MIL, REB, PTY ...), and",
           "# save the file in a NEWSLEDGER_DICTIONARIES folder (docs/actors.md)."]
    for r in rows:
        types = ", ".join(f"{t} {n}" for t, n in r.types.most_common())
        note = f"{r.acts} act{'s' if r.acts != 1 else ''} ({types})"
        if r.guess:
            note += f"; place named: {r.guess}"
        entry = f"{r.name.replace('|', '/').replace('#', '')} => {r.guess or 'CODE'}"
        out.append(f"# {entry:<48} # {note}")
    return "\n".join(out) + "\n"

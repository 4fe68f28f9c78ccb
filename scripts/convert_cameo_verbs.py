#!/usr/bin/env python3
"""Build the bundled ontology tables and the mined verb patterns from the shared references.

Reads (read-only, from ../shared next to the repository):
  ontology/cameo_codes.tsv          CAMEO codes with Goldstein values and quad classes
  ontology/CAMEO2PLOVER-2021.txt    CAMEO -> PLOVER conversion table (P. Schrodt, 2021)
  ontology/plover_ontology.json     PLOVER types and quad classes
  dictionaries/phoenix/CAMEO.2.0.txt PETRARCH verb dictionary (MIT, Open Event Data Alliance)
Writes:
  newsledger/data/ontology/cameo_codes.tsv
  newsledger/data/ontology/cameo2plover.tsv
  newsledger/data/ontology/plover_types.tsv (PLOVER types with quad classes)
  newsledger/data/events/cameo_verbs.tsv   (mined: lemma, object, particle or preposition,
                                            its object, subject, cameo, PLOVER type, mode)

Usage: python3 scripts/convert_cameo_verbs.py [--shared PATH]

Hand-curated patterns (newsledger/data/events/patterns.yaml) override the mined ones at load time.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
OUT_ONTOLOGY = REPO / "newsledger" / "data" / "ontology"
OUT_EVENTS = REPO / "newsledger" / "data" / "events"

# CAMEO roots the 2021 table leaves out: 01 statements are not coded in this project; 02
# (appeals) is REQUEST in the PLOVER manual.
EXTRA_ROOTS = {"02": ("REQUEST", "", "")}
# Blocks whose verbs are too generic to code alone (they only code with an object pattern).
GENERIC_VERBS = {"say", "make", "take", "give", "have", "be", "do", "get", "go", "come", "put",
                 "set", "hold", "keep", "let", "see", "bring", "run", "turn", "show", "move",
                 "open", "close", "end", "start", "begin", "continue", "leave", "return", "use",
                 "play", "carry", "send", "receive", "raise", "stand", "face", "fall", "pass",
                 "call", "meet", "tell", "ask", "offer", "seek", "want", "need", "try", "expect",
                 "plan", "hope", "consider", "announce", "report", "state", "add", "note", "know",
                 "think", "believe", "include", "become", "remain", "seem", "appear", "lead",
                 "follow", "work", "help", "provide", "allow", "reach", "win", "lose", "express",
                 "issue", "launch", "change", "order", "form", "join", "build", "visit", "host"}


def convert_cameo_codes(shared: Path) -> None:
    src = (shared / "ontology" / "cameo_codes.tsv").read_text(encoding="utf-8")
    header = ("# CAMEO event codes with Goldstein scale values and quad classes.\n"
              "# Source: CAMEO codebook (Schrodt 2012) and the Goldstein (1992) scale as "
              "distributed with GDELT/Phoenix; copied from the project's shared ontology/cameo_codes.tsv.\n"
              "# Public reference data; regenerate with scripts/convert_cameo_verbs.py.\n")
    (OUT_ONTOLOGY / "cameo_codes.tsv").write_text(header + src, encoding="utf-8")


def convert_plover_types(shared: Path) -> None:
    data = json.loads((shared / "ontology" / "plover_ontology.json").read_text(encoding="utf-8"))
    lines = ["# PLOVER event types with their quad class (1 verbal coop, 2 material coop, 3 verbal",
             "# conflict, 4 material conflict) and modes. Source: openeventdata/PLOVER manual",
             "# (draft 2.0), CC BY-SA 4.0, via the shared plover_ontology.json.",
             "type\tquad\tmodes"]
    for t in data["event_types"]:
        lines.append(f"{t['name']}\t{t['quad_code']}\t{','.join(t.get('modes') or [])}")
    (OUT_ONTOLOGY / "plover_types.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def parse_cameo2plover(shared: Path) -> dict[str, tuple[str, str, str]]:
    table: dict[str, tuple[str, str, str]] = {}
    for line in (shared / "ontology" / "CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,([^,#]*))?(?:,([^#]*))?", line)
        if not m:
            continue
        code, typ = m.group(1), m.group(2)
        mode = (m.group(3) or "").strip()
        context = ";".join(c.strip() for c in (m.group(4) or "").split(";") if c.strip())
        table.setdefault(code, (typ, mode, context))  # first wins: "08" is CONCEDE, 084+ RETREAT
    for code, row in EXTRA_ROOTS.items():
        table.setdefault(code, row)
    return table


def write_cameo2plover(table: dict[str, tuple[str, str, str]]) -> None:
    lines = ["# CAMEO -> PLOVER conversion: cameo<TAB>plover_type<TAB>mode<TAB>context",
             "# Source: CAMEO2PLOVER-2021.txt, PLOVER manual draft 0.8 (P. Schrodt, 17-Sep-2021),",
             "# openeventdata/PLOVER, CC BY-SA 4.0. Root 02 (appeal) added as REQUEST per the manual.",
             "# Lookups use the longest matching code prefix."]
    for code in sorted(table):
        typ, mode, context = table[code]
        lines.append(f"{code}\t{typ}\t{mode}\t{context}")
    (OUT_ONTOLOGY / "cameo2plover.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def plover_for(code: str, table: dict[str, tuple[str, str, str]]) -> tuple[str, str] | None:
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            typ, mode, _ = table[code[:n]]
            return typ, mode
    return None


WORD = re.compile(r"^[A-Z][A-Z'-]*_?$")
ELEMENT = re.compile(r"\{[^}]*\}|\([^)]*\)|\S+")
PATTERN = re.compile(r"^-\s+(.*?)\s*\[([0-9]+)[^\]]*\]\s*(?:#\s*([A-Z_-]+))?")
# Words after the verb that are its particle, not its object ("lash OUT at", "turn DOWN")
PARTICLES = {"OUT", "DOWN", "OFF", "UP", "BACK", "AWAY", "ASIDE", "OVER"}
# Position markers of the PETRARCH syntax (source, target, compound actor, ...): not words
MARKERS = {"$", "+", "%", "^", "="}


def words_of(element: str, synsets: dict[str, list[str]]) -> list[str] | None:
    """The head word(s) an element names: a word, the last word of a {noun phrase}, or the
    members of a &synonym set; None for anything else."""
    if element.startswith("{") and element.endswith("}"):
        parts = element[1:-1].split()
        return words_of(parts[-1], synsets) if parts else None
    if element.startswith("&"):
        return synsets.get(element[1:].rstrip("_"))
    if WORD.match(element):
        return [element]
    return None


def forms(words: list[str]) -> list[str]:
    """Lower-case word forms, with a singular beside each plural ("SANCTIONS" -> sanctions,
    sanction): the coder compares lemmas."""
    out: list[str] = []
    for w in words:
        w = w.strip("_").lower()
        if not w or "_" in w:
            continue
        out.append(w)
        if w.endswith("ies") and len(w) > 4:
            out.append(w[:-3] + "y")
        elif w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
            out.append(w[:-1])
    return list(dict.fromkeys(out))


def parse_pattern(body: str, synsets: dict[str, list[str]]) -> dict[str, list[str]] | None:
    """A verb pattern's constraints: subject words before the verb (*), then an optional
    particle, an optional object and one optional (PREPOSITION noun) phrase. None when the
    pattern has another shape (those are left out)."""
    elements = [e for e in ELEMENT.findall(body) if e not in MARKERS]
    if elements.count("*") != 1:
        return None
    i = elements.index("*")
    pre, post = elements[:i], elements[i + 1:]
    found: dict[str, list[str]] = {"subject": [], "prep": [], "object": [], "pobj": []}
    if len(pre) > 1:
        return None
    if pre:
        words = words_of(pre[0], synsets)
        if not words:
            return None
        found["subject"] = forms(words)
    if post and post[0] in PARTICLES:
        found["prep"] = [post.pop(0).lower()]
    if post and not post[0].startswith("("):
        words = words_of(post.pop(0), synsets)
        if not words:
            return None
        found["object"] = forms(words)
    if post and post[0].startswith("("):
        inner = ELEMENT.findall(post.pop(0)[1:-1])
        inner = [e for e in inner if e not in MARKERS]
        if len(inner) != 2 or not WORD.match(inner[0]) or found["prep"]:
            return None
        words = words_of(inner[1], synsets)
        if not words:
            return None
        found["prep"], found["pobj"] = [inner[0].lower()], forms(words)
    if post:
        return None
    return found if any(found.values()) else None


def read_synsets(text: str) -> dict[str, list[str]]:
    synsets: dict[str, list[str]] = {}
    name = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("&"):
            name = line[1:].rstrip("_")
            synsets[name] = []
        elif line.startswith("+") and name:
            synsets[name].append(line[1:].strip())
        elif line.startswith("---"):
            break  # the verb blocks begin
        elif line:
            name = None
    return synsets


def mine_verbs(shared: Path, table: dict[str, tuple[str, str, str]]) -> list[tuple[str, ...]]:
    """(lemma, object, prep, pobj, subject, cameo, type, mode) rows from the PETRARCH verb
    dictionary.

    Kept: a one-word verb line with a code (its own or its block's), and pattern lines of the
    shapes ``parse_pattern`` reads. A pattern belongs to the verb its comment names (where
    TABARI first found it), else to the first verb of its block.
    """
    rows: dict[tuple[str, ...], tuple[str, ...]] = {}
    block_code, verbs = None, []
    text = (shared / "dictionaries" / "phoenix" / "CAMEO.2.0.txt").read_text(encoding="latin-1")
    synsets = read_synsets(text)
    for raw in text.splitlines():
        m = PATTERN.match(raw)
        if m and verbs:
            found = parse_pattern(m.group(1), synsets)
            named = (m.group(3) or "").strip("_").lower()
            lemma = named if named in verbs else verbs[0]
            if found is not None:
                add_row(rows, lemma, found, m.group(2), table)
            continue
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        m = re.match(r"^---\s+(\S+)\s+\[([0-9-]+)\]", line)
        if m:
            block_code = None if m.group(2).startswith("-") else m.group(2)
            verbs = []
            continue
        m = re.match(r"^([A-Z][A-Z_-]*)\s*(?:\{[^}]*\})?\s*(?:\[([0-9]+)[^\]]*\])?\s*$", line)
        if m and not line.startswith(("-", "+", "&")):
            lemma = m.group(1).strip("_").lower()
            if "_" in lemma:
                continue
            verbs.append(lemma)
            code = m.group(2) or block_code
            if code and lemma not in GENERIC_VERBS:
                add_row(rows, lemma, {}, code, table)
    return sorted(rows.values())


COLUMNS = ("object", "prep", "pobj", "subject")


def add_row(rows, lemma: str, found: dict[str, list[str]], code: str, table) -> None:
    if code.startswith("01"):
        return  # plain statements are not coded
    pl = plover_for(code, table)
    if pl is None:
        return
    cells = tuple(",".join(found.get(k, [])) for k in COLUMNS)
    rows.setdefault((lemma, *cells), (lemma, *cells, code, pl[0], pl[1]))


def write_verbs(rows: list[tuple[str, ...]]) -> None:
    lines = ["# Verb patterns mined from the PETRARCH CAMEO verb dictionary (CAMEO.2.0.txt,",
             "# Copyright (c) 2015 Open Event Data Alliance, MIT licence) and mapped to PLOVER with",
             "# CAMEO2PLOVER-2021. Generated by scripts/convert_cameo_verbs.py: do not edit by hand;",
             "# hand-curated patterns in patterns.yaml override these.",
             "lemma\tobject\tprep\tpobj\tsubject\tcameo\ttype\tmode"]
    lines += ["\t".join(r) for r in rows]
    (OUT_EVENTS / "cameo_verbs.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    args = ap.parse_args()
    OUT_ONTOLOGY.mkdir(parents=True, exist_ok=True)
    OUT_EVENTS.mkdir(parents=True, exist_ok=True)
    convert_cameo_codes(args.shared)
    convert_plover_types(args.shared)
    table = parse_cameo2plover(args.shared)
    write_cameo2plover(table)
    rows = mine_verbs(args.shared, table)
    write_verbs(rows)
    print(f"{len(table)} CAMEO->PLOVER codes, {len(rows)} mined verb patterns")


if __name__ == "__main__":
    main()

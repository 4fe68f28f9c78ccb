"""Actor dictionaries and the actor resolver, on sentences written for these tests."""
import datetime as dt

import pytest

from newsledger.extract.actors import (actor_for_token, actors_in, load_dictionary, parse_line,
                                       resolve_mentions)


def found(doc):
    return [(a.text, a.country, a.sector, a.kind) for a in doc._.nl_actors]


def by_text(doc, text):
    hits = [a for a in doc._.nl_actors if a.text == text]
    assert hits, f"{text!r} not among {found(doc)}"
    return hits[0]


# ---------------------------------------------------------------- dictionary

def test_lookup_countries_aliases_and_igos():
    d = load_dictionary()
    assert d.lookup("United States").country == "USA"
    assert d.lookup("U.S.").country == "USA"
    assert d.lookup("Pakistani").country == "PAK"
    assert d.lookup("Kremlin").country == "RUS"
    assert d.lookup("UNHCR").country == "UN"
    assert d.lookup("Houthis").country == "YEM"
    assert d.lookup("Hamas").sector == "REB"
    assert d.lookup("no such actor") is None


def test_date_ranged_leaders():
    d = load_dictionary()
    assert d.lookup("Trump", dt.date(2019, 3, 1)).sector == "GOV"
    assert d.lookup("Trump", dt.date(2022, 3, 1)).sector == "PTY"
    assert d.lookup("Trump", dt.date(2025, 3, 1)).sector == "GOV"
    assert d.lookup("Trump", dt.date(2022, 3, 1)).country == "USA"  # keeps his country
    assert d.lookup("Biden", dt.date(2023, 1, 1)).sector == "GOV"
    assert d.lookup("Biden", dt.date(2025, 6, 1)).sector == "PTY"
    # an IGO post carries its own code
    assert d.lookup("Guterres", dt.date(2020, 1, 1)).country == "UN"



def test_leaders_of_past_decades_have_their_terms():
    d = load_dictionary()
    assert d.lookup("Yeltsin", dt.date(1995, 6, 1)).country == "RUS"
    assert d.lookup("Yeltsin", dt.date(1995, 6, 1)).sector == "GOV"
    assert d.lookup("Boris Yeltsin", dt.date(2003, 6, 1)).sector != "GOV"


@pytest.mark.parametrize("name, code", [
    ("OSCE", "OSCE"), ("Organisation of Islamic Cooperation", "OIC"),
    ("World Trade Organization", "WTO"),
    ("Southern African Development Community", "SADC"), ("Interpol", "INTERPOL"),
    ("West African leaders", "ECOWAS"), ("West African bloc", "ECOWAS"),
    ("UNPROFOR", "UN"), ("ECOMOG", "ECOWAS"), ("KFOR", "NATO"), ("ISAF", "NATO"), ("AMIS", "AU"),
])
def test_regional_and_other_organisations_are_known(name, code):
    entry = load_dictionary().lookup(name, dt.date(2024, 1, 1))
    assert entry.country == code and entry.kind == "igo"


@pytest.mark.parametrize("name", ["Omar El Bashir", "Omar el-Bashir", "Omar al-Bashir"])
def test_the_arabic_article_in_any_spelling(name):
    assert load_dictionary().lookup(name, dt.date(2010, 1, 1)).country == "SDN"
    assert load_dictionary().lookup("El Salvador").country == "SLV"


def test_a_title_and_a_last_name_find_the_office_holder_of_the_day(parse):
    doc = parse("President Chirac met the visiting Iraqi foreign minister on Friday.", "2000-01-05")
    chirac = next(a for a in doc._.nl_actors if a.text == "Chirac")
    assert (chirac.country, chirac.name) == ("FRA", "Jacques Chirac")
    d = load_dictionary()
    assert d.office_holder("Chirac", dt.date(2000, 1, 5)).name == "Jacques Chirac"
    assert d.office_holder("Chirac", dt.date(2015, 1, 5)) is None  # out of office


def test_his_country_is_the_country_of_the_person(parse):
    doc = parse("Azerbaijan's President Ilham Aliyev said his country would not wait.",
                "2024-05-05")
    assert by_text(doc, "his country").country == "AZE"


def test_every_bundled_code_is_iso3_or_a_known_organisation():
    import pycountry
    from newsledger.extract.actors import igo_codes
    valid = {c.alpha_3 for c in pycountry.countries} | igo_codes() | {"XKX"}
    d = load_dictionary()
    codes = {e.country for e, _ in d.names.values()} | \
        {t.country for e, _ in d.names.values() for t in e.terms}
    assert codes - {None} <= valid, sorted(codes - {None} - valid)


def test_former_states_and_acronyms_from_phoenix(parse):
    d = load_dictionary()
    assert d.lookup("Soviet Union").country == "RUS"
    assert d.lookup("MILF").country == "PHL"  # listed as "... Front (MILF)"
    assert d.lookup("Moro Islamic Liberation Front").sector == "REB"


@pytest.mark.parametrize("name,code", [("Tamil Tigers", "LKA"), ("LTTE", "LKA"),
                                       ("Khmer Rouge", "KHM"), ("ETA", "ESP")])
def test_armed_groups_listed_beside_their_members_are_groups(name, code):
    # Phoenix.MilNonState lists groups and members alike; groups named like people were lost
    entry = load_dictionary().lookup(name)
    assert entry is not None and (entry.country, entry.sector) == (code, "REB")


@pytest.mark.parametrize("name,day,code,sector", [
    ("Revolutionary United Front", "1999-01-01", "SLE", "REB"), ("FIS", "1995-01-01", "DZA", "PTY"),
    ("Kosovo Liberation Army", "1999-01-01", "XKX", "REB"), ("Polisario", "1990-01-01", "ESH", "REB"),
    ("SPLA", "1998-01-01", "SDN", "REB"), ("SPLA", "2015-01-01", "SSD", "GOV"),
    ("RPF", "1993-01-01", "RWA", "REB"), ("RPF", "2000-01-01", "RWA", "GOV"),
])
def test_armed_groups_of_the_wire_archives(name, day, code, sector):
    actor = load_dictionary().lookup(name, dt.date.fromisoformat(day))
    assert (actor.country, actor.sector) == (code, sector)


@pytest.mark.parametrize("name,code", [("Zaire", "COD"), ("Soviet", "RUS"), ("West Germany", "DEU"),
                                       ("Yugoslav", "SRB"), ("Rhodesia", "ZWE")])
def test_former_states_and_their_demonyms(name, code):
    assert load_dictionary().lookup(name, dt.date(1990, 1, 1)).country == code


def test_a_misspelt_country_is_still_the_country(parse):
    doc = parse("Ethopia has agreed to reopen its borders to the Phillippines peacekeepers.")
    assert {"ETH", "PHL"} <= {a.country for a in doc._.nl_actors}


@pytest.mark.parametrize("text", ["Franco met the king in Madrid.",  # a man, not France
                                  "She studied at Columbia in New York.",  # a real place
                                  "Trade across the Americas grew."])
def test_names_near_a_country_are_not_that_country(parse, text):
    assert not {"FRA", "COL", "USA"} & {a.country for a in parse(text)._.nl_actors}


@pytest.mark.parametrize("alias", ["Tigers", "Youth", "313"])
def test_everyday_words_and_numbers_are_no_group_aliases(alias):
    assert load_dictionary().lookup(alias) is None


def test_load_is_cached_in_the_process():
    assert load_dictionary() is load_dictionary()


def test_only_the_newest_pickles_are_kept(tmp_path):
    import os
    from newsledger.extract.actors import _prune
    for i in range(7):
        f = tmp_path / f"actors-{i:016x}.pickle"
        f.write_bytes(b"x")
        os.utime(f, (1_000_000 + i, 1_000_000 + i))
    (tmp_path / "other.txt").write_text("kept")
    _prune(tmp_path, keep=4)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [f"actors-{i:016x}.pickle" for i in (3, 4, 5, 6)] + ["other.txt"]


# ---------------------------------------------------------------- mentions in articles

def test_countries_demonyms_capitals_and_igos(parse):
    doc = parse("Moscow rejected the claim, and the United Nations urged Pakistani and Indian "
                "leaders to talk. Washington backed NATO.")
    codes = {a.country for a in doc._.nl_actors}
    assert {"RUS", "UN", "PAK", "IND", "USA", "NATO"} <= codes


@pytest.mark.parametrize("name,code,sector", [
    ("CBP", "USA", "POL"), ("NSA", "USA", "SPY"), ("KGB", "RUS", "SPY"), ("Hashd al-Shaabi", "IRQ", "MIL"),
])
def test_state_agencies_by_their_short_names(name, code, sector):
    entry = load_dictionary().lookup(name)
    assert (entry.country, entry.sector) == (code, sector)


def test_local_police_belong_to_their_towns_country(parse):
    doc = parse("Police in Los Angeles arrested two Mexican men on Friday.")
    assert ("Police", "USA") in {(a.text, a.country) for a in doc._.nl_actors}


def test_capital_as_place_is_not_an_actor(parse):
    doc = parse("The delegates met in Moscow on Tuesday.")
    assert not [a for a in doc._.nl_actors if a.text == "Moscow"]


def test_titled_person(parse):
    doc = parse("Pakistani Defence Minister Nadeem Qureshi warned that the border would stay shut.")
    a = by_text(doc, "Nadeem Qureshi")
    assert (a.name, a.country, a.sector, a.kind) == ("Nadeem Qureshi", "PAK", "MIL", "person")


def test_ministry_spokesperson_uses_article_country(parse):
    doc = parse("India closed the crossing on Friday. The Ministry of Foreign Affairs "
                "spokesperson Arjun Mehra said the decision was final.")
    a = by_text(doc, "Arjun Mehra")
    assert a.country == "IND" and a.sector == "GOV"


def test_apposition_gives_the_title(parse):
    doc = parse("Omid Rahimi, Iran's top security official, flew to Beijing on Sunday.")
    a = by_text(doc, "Omid Rahimi")
    assert a.country == "IRN" and a.sector == "GOV"


def test_agents_with_country_modifier(parse):
    doc = parse("Brazilian police detained dozens of people, and Kenya's army sealed the border. "
                "The army of Sudan shelled the town.")
    assert (by_text(doc, "Brazilian police").country, by_text(doc, "Brazilian police").sector) \
        == ("BRA", "POL")
    assert by_text(doc, "Kenya's army").sector == "MIL"
    assert by_text(doc, "army of Sudan").country == "SDN"



def test_a_generic_institution_takes_the_country_named_with_it(parse):
    doc = parse("Officials of the Ministry of Defence of Ukraine said on Monday that the "
                "government of the Central African Republic had closed the border.")
    assert by_text(doc, "Ministry of Defence of Ukraine").country == "UKR"
    assert by_text(doc, "Central African Republic").country == "CAF"


def test_a_capital_named_as_the_place_gives_home_agents_their_country(parse):
    doc = parse("The opposition agreed on Friday to postpone its rally in Baku.")
    assert by_text(doc, "opposition").country == "AZE"


def test_the_russian_president_gets_a_name(parse):
    doc = parse("The Russian president said the talks would continue.", published="2025-03-01")
    a = by_text(doc, "Russian president")
    assert (a.country, a.sector, a.name) == ("RUS", "GOV", "Vladimir Putin")


def test_same_surname_in_two_years(parse):
    early = by_text(parse("Trump signed the order.", published="2019-05-05"), "Trump")
    out = by_text(parse("Trump signed the petition.", published="2022-05-05"), "Trump")
    assert early.sector == "GOV" and out.sector == "PTY" and out.country == "USA"


def test_surname_and_pronoun_refer_back(parse):
    doc = parse("Pakistani Interior Minister Tariq Jamali met reporters on Monday. "
                "Jamali said the suspects had fled. He added that police were searching.")
    later = [a for a in doc._.nl_actors if a.text in ("Jamali", "He")]
    assert [a.text for a in later] == ["Jamali", "He"]
    assert all(a.name == "Tariq Jamali" and a.country == "PAK" for a in later)


def test_unknown_person_is_kept_without_country(parse):
    doc = parse("Maria Kowalczyk, a teacher, said the school had closed.")
    a = by_text(doc, "Maria Kowalczyk")
    assert a.kind == "person" and a.country is None


def test_us_versus_us(parse):
    doc = parse("US officials told us that the deal was off.")
    texts = [a.text for a in doc._.nl_actors]
    assert "US officials" in texts and "us" not in texts


def test_georgia_the_state_is_not_the_country(parse):
    country = parse("Georgia recalled its ambassador from Moscow, officials in Tbilisi said.")
    assert "GEO" in {a.country for a in country._.nl_actors}
    state = parse("Voters in Atlanta lined up early as Georgia counted ballots.")
    assert "GEO" not in {a.country for a in state._.nl_actors}


def test_jordan_the_person_is_not_the_country(parse):
    doc = parse("Michael Jordan said the team would win.")
    assert "JOR" not in {a.country for a in doc._.nl_actors}


def test_groups_with_their_country(parse):
    doc = parse("Hamas and Hezbollah praised the Houthis, while al-Shabaab attacked a base.")
    assert [a.country for a in doc._.nl_actors] == ["PSE", "LBN", "YEM", "SOM"]


@pytest.mark.parametrize("name, code", [
    ("Tamil rebels", "LKA"), ("Kashmiri separatists", "IND"), ("Hutu militiamen", "RWA"),
    ("Basque separatists", "ESP"), ("Tuareg rebels", "MLI"), ("Baloch insurgents", "PAK"),
])
def test_insurgents_named_by_their_people_belong_where_they_fight(parse, name, code):
    doc = parse(f"{name} attacked an army post on Sunday.")
    assert [(a.text, a.country, a.sector) for a in doc._.nl_actors][:1] == [(name, code, "REB")]


# ---------------------------------------------------------------- helper API

def test_actor_for_token_and_actors_in(parse):
    doc = parse("Pakistan's defence minister welcomed Russia's support.")
    minister = next(t for t in doc if t.text == "minister")
    support = next(t for t in doc if t.text == "support")
    assert actor_for_token(doc, minister).country == "PAK"
    assert actor_for_token(doc, support).country == "RUS"
    assert [a.country for a in actors_in(doc, 0, len(doc.text))] == ["PAK", "RUS"]
    assert resolve_mentions(doc) == doc._.nl_actors


# ---------------------------------------------------------------- user dictionaries

def test_parse_line():
    spec = parse_line("Ravi Shankar Menon | Menon => IND GOV person 2024-01-01..  # comment")
    assert spec["names"] == ["Ravi Shankar Menon", "Menon"]
    assert spec["code"] == "IND" and spec["kind"] == "person"
    assert spec["terms"] == [["2024-01-01", None, "GOV"]]


def test_user_extension_dir(parse, tmp_path, monkeypatch):
    (tmp_path / "mine.txt").write_text("Zorblax Quenti | Quenti => CAN MIL person\n"
                                       "Free Valley Front => COL REB group\n")
    (tmp_path / "more.yaml").write_text(
        "actors:\n  - {name: Hamas, code: ISR, sector: REB, kind: group}\n")
    monkeypatch.setenv("NEWSLEDGER_DICTIONARIES", str(tmp_path))
    d = load_dictionary()
    assert d.lookup("Quenti").country == "CAN"
    assert d.lookup("Hamas").country == "ISR"  # later entries win
    doc = parse("Zorblax Quenti said the Free Valley Front had attacked.")
    assert ("Zorblax Quenti", "CAN", "MIL", "person") in found(doc)
    assert ("Free Valley Front", "COL", "REB", "group") in found(doc)
    monkeypatch.delenv("NEWSLEDGER_DICTIONARIES")
    assert load_dictionary().lookup("Hamas").country == "PSE"


def test_user_csv_table(tmp_path):
    (tmp_path / "people.csv").write_text(
        "# my people\nnames,code,sector,kind,terms\n"
        "Ravi Menon | Menon,IND,CVL,person,2024-01-01.. GOV; ..2023-12-31 MIL\n")
    d = load_dictionary([tmp_path])
    assert d.lookup("Menon", dt.date(2025, 1, 1)).sector == "GOV"
    assert d.lookup("Menon", dt.date(2020, 1, 1)).sector == "MIL"


def test_extra_dirs_argument(tmp_path):
    (tmp_path / "x.txt").write_text("Jaishankar -> IND GOV\n")
    assert load_dictionary([tmp_path]).lookup("Jaishankar").kind == "person"


def test_a_malformed_actor_line_names_file_and_line(tmp_path):
    (tmp_path / "x.txt").write_text("# mine\nJaishankar -> IND GOV\nMenon = IND GOV\n")
    with pytest.raises(ValueError, match=r"x.txt:3: not an actor line.*'Menon = IND GOV'"):
        load_dictionary([tmp_path])


def test_context_only_names_need_their_country(parse):
    alone = parse("Democrats criticised the budget plan on Tuesday.")
    assert "USA" not in {a.country for a in alone._.nl_actors}
    named = parse("Democrats in the United States criticised the budget plan on Tuesday.")
    assert by_text(named, "Democrats").country == "USA"


def test_congo_alone_is_the_drc(parse):
    doc = parse("Congo accused Rwanda of backing the rebels.")
    assert [a.country for a in doc._.nl_actors][:2] == ["COD", "RWA"]


def test_vague_collectives_get_no_country(parse):
    doc = parse("Kenyan officials said foreign governments had been warned.")
    assert by_text(doc, "Kenyan officials").country == "KEN"
    assert not [a for a in doc._.nl_actors if "governments" in a.text]


def test_groups_can_change_sector_over_time():
    d = load_dictionary()
    assert d.lookup("Taliban", dt.date(2020, 1, 1)).sector == "REB"
    assert d.lookup("Taliban", dt.date(2023, 1, 1)).sector == "GOV"


def test_a_longer_name_around_a_known_surname_is_someone_else(parse):
    doc = parse("Guatemalan President Jimmy Morales met Evo Morales in La Paz.", published="2018-05-05")
    assert by_text(doc, "Jimmy Morales").country == "GTM"
    assert by_text(doc, "Evo Morales").country == "BOL"


def test_titles_give_sectors_and_the_article_country(parse):
    doc = parse("Kenya's parliament met on Monday. Supreme Court Justice Maria Okafor ruled "
                "against the plan. Opposition leader Daniel Mwangi welcomed the ruling, while "
                "police chief Peter Otieno and army chief Samuel Kiprop said nothing.")
    got = {a.text: (a.country, a.sector) for a in doc._.nl_actors}
    assert got["Maria Okafor"] == ("KEN", "JUD")
    assert got["Daniel Mwangi"] == ("KEN", "OPP")
    assert got["Peter Otieno"] == ("KEN", "POL")
    assert got["Samuel Kiprop"] == ("KEN", "MIL")


def test_the_leader_is_the_named_head_of_government(parse):
    doc = parse("Putin flew home. The Russian leader said Kyiv had refused.", published="2024-02-01")
    assert by_text(doc, "Russian leader").name == "Vladimir Putin"
    assert by_text(doc, "Kyiv").country == "UKR"


def test_officials_of_institutions_and_of_the_country(parse):
    doc = parse("Ghana's economy grew. Kwame Boateng, the country's finance minister, was pleased. "
                "Amina Diallo, a spokeswoman for the Senegalese foreign ministry, declined to "
                "comment. Omar Ali, an official at the United Nations, agreed.")
    assert by_text(doc, "Kwame Boateng").country == "GHA"
    assert by_text(doc, "Amina Diallo").country == "SEN"
    assert (by_text(doc, "Omar Ali").country, by_text(doc, "Omar Ali").sector) == ("UN", "IGO")


def test_regions_containing_country_names_are_not_actors(parse):
    doc = parse("Leaders from Latin America and the United States met near the Indian Ocean.")
    assert [a.country for a in doc._.nl_actors] == ["USA"]


def test_former_office_holders_keep_country_not_office(parse):
    doc = parse("Argentina's economy grew. Economy Minister Luis Ferro said former President "
                "Ana Ruiz and ex-president Mauricio Macri agreed.", published="2025-03-01")
    assert (by_text(doc, "Luis Ferro").country, by_text(doc, "Luis Ferro").sector) == ("ARG", "GOV")
    assert by_text(doc, "Ana Ruiz").country == "ARG" and by_text(doc, "Ana Ruiz").sector != "GOV"
    assert by_text(doc, "Mauricio Macri").sector == "PTY"


def test_mea_spokesperson_is_indian(parse):
    doc = parse("Ministry of External Affairs spokesperson Arvind Rao said the talks were useful.")
    a = by_text(doc, "Arvind Rao")
    assert (a.country, a.sector, a.kind) == ("IND", "GOV", "person")


def test_component_extra_dirs_config(parse, nlp, tmp_path):
    from newsledger.extract.actors import make_component
    (tmp_path / "mine.txt").write_text("Blue Heron Front => PHL REB group\n")
    doc = parse("The Blue Heron Front attacked a convoy.")
    assert "PHL" not in {a.country for a in doc._.nl_actors}
    make_component(nlp, "actors_extra", [str(tmp_path)])(doc)
    assert ("Blue Heron Front", "PHL", "REB", "group") in found(doc)


def test_offsets_always_match_text_on_word_salad(parse):
    import random
    rng = random.Random(7)
    vocab = ["Putin", "he", "US", "us", "Georgia", "\n\n", "'s", "President", "minister", "of",
             "the", "Pakistan's", "army", "-", "Oct 2", "Gen.", "al-Shabaab", "LeT", "Let",
             "said", '"', "Ministry", "spokesperson", "his", ".", "Kyiv", "former", "Kremlin",
             "in", "Moscow"]
    for _ in range(25):
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 30)))
        doc = parse(text, published=rng.choice(["2019-01-01", "2025-05-05", None]))
        assert all(doc.text[a.start:a.end] == a.text for a in doc._.nl_actors)
        assert [a.start for a in doc._.nl_actors] == sorted(a.start for a in doc._.nl_actors)


def test_an_official_in_a_capital_speaks_for_its_government(parse):
    doc = parse("Norway summoned Russia's envoy. A foreign ministry spokesperson in Moscow "
                "rejected the complaint.")
    spokes = [a for a in doc._.nl_actors if "spokesperson" in a.text]
    assert spokes and spokes[0].country == "RUS"


def test_an_opening_in_country_places_an_unqualified_force(parse):
    doc = parse("Israel struck Gaza. In Jordan, a policeman shot at a group of Israeli visitors.")
    police = [a for a in doc._.nl_actors if a.text == "policeman"]
    assert police and police[0].country == "JOR"


def test_rebels_in_a_country_belong_to_it(parse):
    doc = parse("Rebels in Mali dismissed the appeal.")
    rebels = [a for a in doc._.nl_actors if a.text == "Rebels"]
    assert rebels and rebels[0].country == "MLI"


def test_the_court_refers_back_to_the_named_court(parse):
    doc = parse("The International Court of Justice ruled on the dispute. Guyana welcomed the "
                "ruling, but Caracas rejects the court's jurisdiction.")
    court = [a for a in doc._.nl_actors if a.text == "court"]
    assert court and court[0].country == "ICJ"


def test_an_aide_takes_the_country_of_whom_they_speak_for(parse):
    doc = parse("A spokesman for the U.N. secretary-general urged all sides to refrain from "
                "violence in Lahore.")
    spokesman = [a for a in doc._.nl_actors if a.text == "spokesman"]
    assert spokesman and (spokesman[0].country, spokesman[0].sector) == ("UN", "IGO")


def test_a_title_introduced_with_a_takes_its_later_named_country(parse):
    doc = parse("MEXICO CITY, April 6 - Police raided the embassy and arrested a former vice "
                "president who had been sheltering there. The arrest of Jorge Glas, Ecuador's "
                "vice president until 2017, angered Mexico.")
    first = [a for a in doc._.nl_actors if a.text.endswith("vice president")][0]
    assert first.country == "ECU"


def test_a_weekday_after_a_title_is_no_name(parse):
    doc = parse("A U.S. federal judge Thursday approved the extradition of former Panamanian "
                "President Ricardo Martinelli.")
    assert "Thursday" not in {a.text for a in doc._.nl_actors}
    assert ("COOPERATE", "USA", "PAN") in {
        (e.type, e.source.country, e.target.country) for e in doc._.nl_events}


def test_a_nationality_opening_a_name_before_a_group_noun_is_the_group_s(parse):
    # the tagger reads "Ugandan Acholi" as a person; it says who the rebels are
    doc = parse("Ugandan Acholi rebels attacked an army camp.")
    rebels = by_text(doc, "Ugandan Acholi rebels")
    assert (rebels.country, rebels.sector) == ("UGA", "REB")
    assert not [a for a in doc._.nl_actors if a.kind == "person"]


@pytest.mark.parametrize("text, name, code", [
    ("Farc said it would free the hostages.", "Farc", "COL"),
    ("Unicef sent vaccines to Yemen.", "Unicef", "UN"),
])
def test_acronyms_written_in_title_case_are_found(parse, text, name, code):
    assert by_text(parse(text), name).country == code


def test_short_title_case_words_are_not_read_as_acronyms(parse):
    assert not [a for a in parse("Ira Glass interviewed the minister.")._.nl_actors
                if a.text == "Ira"]

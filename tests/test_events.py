"""The event coder on sentences written for these tests (never copied from gold data)."""
from __future__ import annotations

import pytest

from newsledger.extract.events import EventCoder, load_patterns, make_component, merge
from newsledger.model import Event, Span


def coded(doc) -> set[tuple[str, str | None, str | None]]:
    return {(e.type, e.source.country if e.source else None,
             e.target.country if e.target else None) for e in doc._.nl_events}


def types(doc) -> set[str]:
    return {e.type for e in doc._.nl_events}


def acts_by(doc) -> set[tuple[str, str | None]]:
    """(type, source country) of each event: for checks that leave the target open."""
    return {(t, s) for t, s, _ in coded(doc)}


def coded_as(doc, typ: str) -> set[tuple[str, str | None, str | None]]:
    return {x for x in coded(doc) if x[0] == typ}


def find(doc, typ: str) -> Event:
    matches = [e for e in doc._.nl_events if e.type == typ]
    assert matches, f"no {typ} in {coded(doc)}"
    return matches[0]


# ---------------------------------------------------------------- the 16 types

@pytest.mark.parametrize("text, expected", [
    ("Norway offered to mediate between Colombia and Venezuela.", ("AGREE", "NOR", None)),
    ("Putin met Modi in Moscow on Monday.", ("CONSULT", "RUS", "IND")),
    ("France praised Germany for its leadership.", ("SUPPORT", "FRA", "DEU")),
    ("Nepal lifted the curfew in Kathmandu after the talks.", ("CONCEDE", "NPL", None)),
    ("Mexico extradited two suspects to the United States.", ("COOPERATE", "MEX", "USA")),
    ("Japan sent humanitarian aid to the Philippines.", ("AID", "JPN", "PHL")),
    ("Israel released 90 Palestinian prisoners.", ("RETREAT", "ISR", None)),
    ("The United Nations urged Ethiopia to allow aid workers into Tigray.", ("REQUEST", "UN", "ETH")),
    ("Iran condemned Israel for the raid.", ("ACCUSE", "IRN", "ISR")),
    ("China rejected Japan's protest.", ("REJECT", "CHN", "JPN")),
    ("Russia threatened Ukraine with retaliation.", ("THREATEN", "RUS", "UKR")),
    ("Thousands of Kenyan protesters marched against the government in Nairobi.", ("PROTEST", "KEN", None)),
    ("Canada imposed sanctions on Iran.", ("SANCTION", "CAN", "IRN")),
    ("Thailand deployed troops to the border with Cambodia.", ("MOBILIZE", "THA", None)),
    ("Turkish police arrested 40 journalists in Istanbul.", ("COERCE", "TUR", None)),
    ("Russian missiles struck Ukraine overnight.", ("ASSAULT", "RUS", "UKR")),
])
def test_each_type(parse, text, expected):
    doc = parse(text, "2025-05-07")
    typ, src, tgt = expected
    ev = find(doc, typ)
    assert ev.source is not None and ev.source.country == src
    if tgt is not None:
        assert ev.target is not None and ev.target.country == tgt
    assert ev.cameo and ev.quad in (1, 2, 3, 4) and ev.goldstein is not None
    assert ev.modality == "asserted"


def test_quad_follows_type(parse):
    doc = parse("Iran condemned Israel. Putin met Modi in Moscow. Israel released 90 prisoners.",
                "2025-05-07")
    assert find(doc, "ACCUSE").quad == 3
    assert find(doc, "CONSULT").quad == 1
    assert find(doc, "RETREAT").quad == 2


# ---------------------------------------------------------------- modality

@pytest.mark.parametrize("text", [
    "Russia did not attack Ukraine.",
    "Russia never condemned Israel.",
    "If Iran attacks Israel, the region will suffer.",
    "Russia will meet Ukraine in Geneva.",
    "China plans to impose sanctions on Japan.",
    "Did India attack Pakistan?",
    "Bangladesh drafted rules to ban protests in Dhaka.",
    "The attacks need Nigeria's government to declare a national emergency.",
    "Sanchez said he would urge the European Commission to reconsider the tariffs.",
])
def test_unreal_events_are_not_emitted(parse, text):
    doc = parse(text, "2025-05-07")
    assert not doc._.nl_events, coded(doc)


def test_unreal_events_are_kept_with_their_modality(parse):
    doc = parse("Russia did not attack Ukraine. Russia will meet Ukraine in Geneva.", "2025-05-07")
    modalities = {e.type: e.modality for e in doc._.nl_events_all}
    assert modalities.get("ASSAULT") == "negated"
    assert modalities.get("CONSULT") == "future"


def test_keep_modalities_config(nlp, parse):
    doc = parse("Russia did not attack Ukraine.", "2025-05-07")
    everything = EventCoder(load_patterns(), keep_modalities=("asserted", "negated"))
    assert "ASSAULT" in types(everything(doc))


def test_declared_intent_becomes_agree_or_threaten(parse):
    doc = parse("Iran said it would attack Israel. Japan said it would send aid to Nepal.",
                "2025-05-07")
    assert ("THREATEN", "IRN", "ISR") in coded(doc)
    assert any(t == "AGREE" and s == "JPN" for t, s, _ in coded(doc))


def test_a_declared_refusal_is_a_rejection(parse):
    doc = parse("Iran said it would reject any proposal from the United States.", "2025-05-07")
    assert any(t == "REJECT" and s == "IRN" for t, s, _ in coded(doc)), coded(doc)


def test_operations_against_a_group_are_attacks_and_programmes_are_not_released_people(parse):
    assert ("ASSAULT", "SOM", "SOM") in coded(parse(
        "Somali soldiers are conducting operations against al-Shabab.", "2025-05-07"))
    assert not coded(parse("In 2017, China released an AI development programme.",
                           "2025-05-07"))
    assert "ASSAULT" in types(parse(
        "The Taliban inflicted heavy casualties on Afghan government forces.", "2025-05-07"))


def test_denial_is_reject(parse):
    doc = parse("Pakistan denied India's accusation.", "2025-05-07")
    assert ("REJECT", "PAK", "IND") in coded(doc)


def test_denial_answers_the_accuser(parse):
    doc = parse("India accused Pakistan of sheltering the gunmen. Pakistan denied the claim.",
                "2025-05-07")
    assert ("ACCUSE", "IND", "PAK") in coded(doc)
    assert ("REJECT", "PAK", "IND") in coded(doc)


def test_speech_content_is_not_a_second_event(parse):
    doc = parse("The United Nations urged Ethiopia to withdraw its troops.", "2025-05-07")
    assert types(doc) == {"REQUEST"}


# ---------------------------------------------------------------- grammar

def test_passive_voice(parse):
    doc = parse("Ukraine was attacked by Russia on Sunday.", "2025-05-07")
    assert ("ASSAULT", "RUS", "UKR") in coded(doc)


def test_compound_subject_gives_one_event_per_country(parse):
    doc = parse("Russia and China condemned the United States.", "2025-05-07")
    assert {("ACCUSE", "RUS", "USA"), ("ACCUSE", "CHN", "USA")} <= coded(doc)


def test_joint_agreement_is_coded_both_ways(parse):
    doc = parse("Egypt and Sudan agreed to reopen their border crossings.", "2025-05-07")
    assert {("AGREE", "EGY", "SDN"), ("AGREE", "SDN", "EGY")} <= coded(doc)


def test_nominal_triggers(parse):
    doc = parse("Canada's sanctions against Iran took effect. Germany held talks with Poland.",
                "2025-05-07")
    assert ("SANCTION", "CAN", "IRN") in coded(doc)
    assert any(t == "CONSULT" and {s, g} == {"DEU", "POL"} for t, s, g in coded(doc))


def test_phone_call_noun(parse):
    doc = parse("Macron spoke during a phone call with Scholz on Friday.", "2025-05-07")
    ev = find(doc, "CONSULT")
    assert ev.mode == "phone"
    assert {ev.source.country, ev.target.country} == {"FRA", "DEU"}


def test_condemning_an_attack_by_unknown_attackers(parse):
    doc = parse("Gunmen attacked a bus in Kashmir. Russia condemned the attack.", "2025-05-07")
    assert ("ACCUSE", "RUS", None) in coded(doc)


def test_natural_disasters_are_not_attacks(parse):
    doc = parse("A powerful earthquake struck southern Turkey on Monday.", "2025-05-07")
    assert "ASSAULT" not in types(doc)


# ---------------------------------------------------------------- dates

def test_date_from_the_clause(parse):
    doc = parse("Iran condemned Israel on Monday.", "2025-05-07")  # a Wednesday
    ev = find(doc, "ACCUSE")
    assert ev.date == "2025-05-05" and ev.date_basis == "text"


def test_date_from_a_relative_clause_of_a_nominal_trigger(parse):
    doc = parse("Russia condemned the assault on Ukraine, which took place on April 22.",
                "2025-05-07")
    assert find(doc, "ASSAULT").date == "2025-04-22"
    assert find(doc, "ACCUSE").date != "2025-04-22"


def test_an_allegation_is_dated_apart_from_what_it_alleges(parse):
    doc = parse("Canadian agencies are pursuing allegations linking India to the killing of "
                "a Sikh activist who was shot dead on June 18.", "2023-09-19")
    ev = find(doc, "ACCUSE")
    assert (ev.source.country, ev.target.country) == ("CAN", "IND")
    assert ev.date != "2023-06-18"


def test_date_falls_back_to_publication(parse):
    doc = parse("France praised Germany for its leadership.", "2025-05-07")
    ev = find(doc, "SUPPORT")
    assert ev.date == "2025-05-07" and ev.date_basis == "published"


def test_a_date_after_before_is_not_the_event_date(parse):
    doc = parse("Canada imposed sanctions on Iran ahead of the summit on May 20.", "2025-05-07")
    assert find(doc, "SANCTION").date != "2025-05-20"


# ---------------------------------------------------------------- spans, merging

def test_trigger_and_evidence_offsets(parse):
    text = "Heavy rain fell. Canada imposed sanctions on Iran on Tuesday."
    doc = parse(text, "2025-05-07")
    ev = find(doc, "SANCTION")
    for span in (ev.trigger, ev.evidence, *ev.mentions):
        assert text[span.start:span.end] == span.text
    assert "sanctions" in ev.trigger.text
    assert ev.evidence.text.startswith("Canada imposed")


def test_one_record_per_event_with_every_mention(parse):
    text = ("Canada imposed sanctions on Iran on Tuesday. "
            "The sanctions Canada imposed on Iran target its oil sector. "
            "Canada's sanctions against Iran were welcomed by Israel.")
    doc = parse(text, "2025-05-07")
    records = [e for e in doc._.nl_events if e.type == "SANCTION"]
    assert len(records) == 1
    assert len(records[0].mentions) >= 2
    assert records[0].date == "2025-05-06"


def test_merge_prefers_a_text_date():
    def ev(date, basis, start):
        span = Span("x", start, start + 1)
        return Event(id="", type="ASSAULT", date=date, date_basis=basis, trigger=span,
                     evidence=span, mentions=[span])
    merged = merge([ev("2025-05-07", "published", 0), ev("2025-04-22", "text", 10)])
    assert len(merged) == 1
    assert merged[0].date == "2025-04-22" and len(merged[0].mentions) == 2


def test_ids_are_left_to_the_pipeline(parse):
    doc = parse("Canada imposed sanctions on Iran.", "2025-05-07")
    assert all(e.id == "" for e in doc._.nl_events)


def test_confidence_is_a_probability(parse):
    doc = parse("Canada imposed sanctions on Iran. Iran condemned the move.", "2025-05-07")
    assert doc._.nl_events and all(0.0 <= e.confidence <= 1.0 for e in doc._.nl_events)


def test_empty_doc(parse):
    assert parse("Nothing happened.", "2025-05-07")._.nl_events == []


# ---------------------------------------------------------------- user patterns

USER_PATTERN = """
patterns:
  - {lemma: snub, type: REJECT, cameo: "120", target: [dobj]}
"""


def test_user_pattern_from_env(parse, tmp_path, monkeypatch):
    text = "Hungary snubbed Poland at the summit."
    doc = parse(text, "2025-05-07")
    assert "REJECT" not in types(doc)
    (tmp_path / "mine.yaml").write_text(USER_PATTERN, encoding="utf-8")
    monkeypatch.setenv("NEWSLEDGER_PATTERNS", str(tmp_path))
    assert ("REJECT", "HUN", "POL") in coded(EventCoder(load_patterns())(doc))


def test_user_pattern_from_component_config(nlp, parse, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("lemma,type,cameo,target\nsnub,REJECT,120,dobj\n", encoding="utf-8")
    doc = parse("Hungary snubbed Poland at the summit.", "2025-05-07")
    component = make_component(nlp, "events", patterns=[str(path)],
                               keep_modalities=["asserted"], mined=True)
    assert ("REJECT", "HUN", "POL") in coded(component(doc))


def test_a_null_pattern_silences_a_lemma(parse, tmp_path):
    (tmp_path / "quiet.yaml").write_text("patterns:\n  - {lemma: condemn, type: null, priority: 9}\n",
                                         encoding="utf-8")
    doc = parse("Iran condemned Israel.", "2025-05-07")
    assert "ACCUSE" not in types(EventCoder(load_patterns(extra=[tmp_path]))(doc))


@pytest.mark.parametrize("row, reason", [
    ("{lemma: snub, type: REJECT, target: [dobj, prep_on]}", "unknown target slot 'prep_on'"),
    ("{lemma: snub, type: REJEKT}", "unknown type 'REJEKT'"),
    ("{lemma: snub, type: REJECT, needs: actor}", "needs must be"),
    ("{lemma: snub, type: REJECT, cameo: '0614'}", "unknown CAMEO code '0614'"),
])
def test_a_misspelt_pattern_is_an_error_naming_file_and_line(tmp_path, row, reason):
    path = tmp_path / "bad.yaml"
    path.write_text(f"patterns:\n  - {{lemma: rebuff, type: REJECT}}\n  - {row}\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match=f"bad.yaml:3: {reason}"):
        load_patterns(extra=[path])
    table = tmp_path / "bad.csv"
    table.write_text("lemma,type,target\nsnub,REJECT,dobj\nrebuff,REJECT,prep_on\n",
                     encoding="utf-8")
    with pytest.raises(ValueError, match="bad.csv:3: unknown target slot"):
        load_patterns(extra=[table])


# ---------------------------------------------------------------- wire-copy phenomena

def test_dateline_is_not_the_actor(parse):
    doc = parse("KYIV, May 6 - Russian drones struck Ukraine overnight.", "2025-05-06")
    assert ("ASSAULT", "RUS", "UKR") in coded(doc)


def test_a_day_after(parse):
    doc = parse("Iran condemned Israel on Tuesday, a day after Israel attacked Syria.",
                "2025-05-07")
    assert find(doc, "ACCUSE").date == "2025-05-06"
    assert find(doc, "ASSAULT").date == "2025-05-05"


def test_reported_speech_pronoun_is_the_speaker(parse):
    doc = parse("Switzerland said it had expelled two Russian diplomats.", "2025-05-07")
    assert ("SANCTION", "CHE", "RUS") in coded(doc)


def test_a_governments_protest_is_an_accusation(parse):
    doc = parse("Japan protested to China over the incursion.", "2025-05-07")
    assert "ACCUSE" in types(doc) and "PROTEST" not in types(doc)


def test_agreeing_to_stop_fighting_is_a_concession(parse):
    doc = parse("Armenia and Azerbaijan agreed to stop fighting.", "2025-05-07")
    assert {("CONCEDE", "ARM", "AZE"), ("CONCEDE", "AZE", "ARM")} <= coded(doc)


def test_declining_to_comment_is_not_an_event(parse):
    doc = parse("The French government declined to comment on Monday.", "2025-05-07")
    assert not doc._.nl_events


@pytest.mark.parametrize("text", [
    "Japan's population continued to decline last year.",
    "Farmers in Kenya will be the hardest hit if Britain changes its rules.",
    "The visit is a demonstration of our commitment to Ghana, the French envoy said.",
    "The U.S. Senate passed legislation on Wednesday targeting Turkey.",
    "Trump's silence on the matter suggests that talks with North Korea are over.",
    "Vietnam has long pressed its claims over the islands.",
    "Germany must demonstrate the value of the European project, Merz said.",
    "Asked by a reporter whether he would back down, Trump said the EU was unfair.",
    "The ministry did not answer an email requesting comment on the Philippines.",
    "He is still strong, and he is still fighting, his son told Hong Kong media.",
    "Vietnamese hospitals are as good as those in Thailand, yet charge less.",
])
def test_look_alikes_are_not_events(parse, text):
    doc = parse(text, "2025-05-07")
    assert not {"REJECT", "ASSAULT", "PROTEST", "REQUEST", "ACCUSE"} & types(doc), coded(doc)


def test_what_is_seized_from_someone_targets_them(parse):
    doc = parse("Russia annexed the region from Georgia in 2008.", "2025-05-07")
    assert ("COERCE", "RUS", "GEO") in coded(doc)


def test_an_attempt_is_the_attack(parse):
    for text in ("Gunmen tried to assassinate the mayor of Kabul.",
                 "Police foiled an attempt to assassinate the mayor of Kabul."):
        assert "ASSAULT" in types(parse(text, "2025-05-07")), text


def test_an_unattributed_detention_is_by_the_country_it_happened_in(parse):
    doc = parse("Washington, May 6 - The student was freed after being detained in North Korea "
                "for a year. The United States welcomed his release.", "2025-05-07")
    assert any(t == "COERCE" and s == "PRK" for t, s, _ in coded(doc)), coded(doc)


def test_charging_someone_or_charging_that(parse):
    assert ("ACCUSE", "RUS", "UKR") in coded(parse(
        "Russian officials charged Ukrainian hackers with sabotage.", "2025-05-07"))
    assert ("ACCUSE", "PAK", "IND") in coded(parse(
        "Pakistan charged that India had violated the ceasefire.", "2025-05-07"))


def test_letting_people_in_is_a_retreat(parse):
    doc = parse("Israel allowed the aid convoy to enter Gaza.", "2025-05-07")
    assert ("RETREAT", "ISR", "PSE") in coded(doc)


def test_talks_after_which_parties_agreed_and_their_host(parse):
    doc = parse("Ethiopia and Somalia agreed on Friday to end their dispute after three days of "
                "talks in Ankara hosted by Turkey.", "2025-05-07")
    found = {(t, frozenset((s, o))) for t, s, o in coded(doc) if t == "CONSULT"}
    assert {("CONSULT", frozenset(("ETH", "SOM"))), ("CONSULT", frozenset(("TUR", "ETH"))),
            ("CONSULT", frozenset(("TUR", "SOM")))} <= found, coded(doc)


def test_a_finite_verb_hung_on_a_gerund_keeps_its_own_modality(parse):
    doc = parse("Rwanda denies arming the rebels and accuses Congo of fighting alongside a "
                "militia.", "2025-05-07")
    assert ("ACCUSE", "RWA", "COD") in coded(doc)


def test_it_in_a_relative_clause_is_the_doer_of_the_clause_around_it(parse):
    doc = parse("Iran mourned the victims of the bombing, which it blamed on Israel.", "2025-05-07")
    assert ("ACCUSE", "IRN", "ISR") in coded(doc)
    assert not any(t == "ASSAULT" and o == "ISR" for t, _, o in coded(doc)), coded(doc)


def test_what_a_reduced_relative_clause_deployed_is_its_noun(parse):
    doc = parse("The Bank of Japan ended the massive stimulus it has deployed for decades.",
                "2025-05-07")
    assert "MOBILIZE" not in types(doc)


@pytest.mark.parametrize("text, expected", [
    ("Washington remains fully supportive of Israel, the spokesman said.", ("SUPPORT", "USA", "ISR")),
    ("The IMF approved a new loan programme for Argentina.", ("AID", "IMF", "ARG")),
    ("U.S. weapons deliveries to Ukraine restarted on Wednesday.", ("AID", "USA", "UKR")),
    ("On Thursday, Lima declared Bolivia's ambassador persona non grata.", ("SANCTION", "PER", "BOL")),
    ("Laos responded on Thursday by downgrading relations with Vietnam.", ("SANCTION", "LAO", "VNM")),
    ("The International Court of Justice on Friday ordered Venezuela to refrain from any "
     "action in the region.", ("REQUEST", "ICJ", "VEN")),
])
def test_adjectives_compound_objects_goods_expulsions_means_and_orders(parse, text, expected):
    assert expected in coded(parse(text, "2025-05-07"))


@pytest.mark.parametrize("text, expected", [
    ("Russian missiles struck targets in Kharkiv.", ("ASSAULT", "RUS", "UKR")),
    ("Israeli jets bombed targets in Gaza, killing 12 people.", ("ASSAULT", "ISR", "PSE")),
    ("Separatists took credit for attacking a military vehicle guarding a convoy for a company "
     "owned by China.", ("ASSAULT", None, None)),
])
def test_the_place_attacked_is_the_victim_but_not_a_place_in_a_clause_on_it(parse, text, expected):
    doc = parse(text, "2025-05-07")
    if expected[1] is None:
        assert not any(t == "ASSAULT" and o == "CHN" for t, _, o in coded(doc)), coded(doc)
    else:
        assert expected in coded(doc)


def test_naming_is_not_an_accusation(parse):
    doc = parse("Rebels from the north raided Bangui, and a Christian-dominated militia called "
                "the anti-Balaka fought back.", "2025-05-07")
    assert types(doc) == {"ASSAULT"}


def test_a_verb_pattern_made_for_its_object_codes_once(parse):
    doc = parse("The United States gives military support to the Philippines.", "2025-05-07")
    assert [e.type for e in doc._.nl_events] == ["AID"]


def test_suggesting_an_act_is_a_request(parse):
    doc = parse("Russia suggested that Ukraine should hold talks with Belarus.", "2025-05-07")
    assert ("REQUEST", "RUS", "UKR") in coded(doc)


def test_an_observers_guess_is_not_a_declared_intent(parse):
    guess = parse("Analysts say Tehran would welcome the closure of the base.", "2025-05-07")
    vow = parse("Iranian officials say Tehran would welcome the closure of the base.", "2025-05-07")
    assert "AGREE" not in types(guess)
    assert "AGREE" in types(vow)


def test_a_modifier_noun_is_not_an_event(parse):
    doc = parse("Brazil dismantled a protest camp in Brasilia.", "2025-05-07")
    assert "PROTEST" not in types(doc)


def test_merge_keeps_a_background_event_apart():
    def ev(date, start):
        span = Span("x", start, start + 1)
        return Event(id="", type="COERCE", date=date, date_basis="text", trigger=span,
                     evidence=span, mentions=[span])
    merged = merge([ev("2025-05-06", 0), ev("2019-03", 10), ev("2025-05-05", 20)])
    assert sorted(e.date for e in merged) == ["2019-03", "2025-05-06"]


def test_paragraph_day_dates_the_next_sentence(parse):
    doc = parse("Fighting broke out on Monday near the border. Chadian troops shelled "
                "positions held by Sudan.\n\nLater, Chad accused Sudan of aggression.",
                "2025-05-08")
    assert find(doc, "ASSAULT").date == "2025-05-05"


def test_a_day_after_two_clauses(parse):
    doc = parse("Kenya condemned the violence on Friday, a day after protesters stormed the "
                "assembly and Kenyan police shot 20 people.", "2025-05-10")
    assert find(doc, "ASSAULT").date == "2025-05-08"


def test_a_past_perfect_report_is_not_dated_by_its_saying(parse):
    doc = parse("Thousands of farmers marched in Lima on Monday. Riot police fired tear gas, and "
                "the interior minister said on Tuesday that 300 people had been detained.",
                "2025-05-08")
    assert {e.date for e in doc._.nl_events if e.type == "COERCE"} == {"2025-05-05"}


def test_a_past_perfect_report_is_at_latest_the_day_of_its_saying(parse):
    doc = parse("Macron spoke on Thursday, a day after Iran announced that it had expelled the "
                "French envoy.", "2025-05-09")
    assert find(doc, "SANCTION").date == "2025-05-07"


def test_a_past_promise_is_dated_by_its_saying(parse):
    doc = parse("BELGRADE, May 8 - Serbia said it was ready to accept a European Union proposal "
                "for a border deal with Kosovo, after talks in Brussels on Wednesday.", "2025-05-08")
    assert find(doc, "AGREE").date == "2025-05-07"


def test_a_finite_verb_hung_on_an_infinitive_keeps_the_first_subject(parse):
    doc = parse("The EU envoy urged Serbia to open the crossing and called on Kosovo to "
                "release the detained officers.")
    assert ("REQUEST", "EU", "XKX") in coded(doc) or ("REQUEST", "EU", "SRB") in coded(doc)
    assert all(e.source and e.source.country == "EU" for e in doc._.nl_events
               if e.type == "REQUEST")


def test_a_modal_in_the_reported_clause_does_not_reach_a_conjoined_act(parse):
    doc = parse("Zambia's president said trucks could keep moving without Congo's consent and "
                "urged Tanzania to reopen the border.")
    assert ("REQUEST", "ZMB", "TZA") in coded(doc)


def test_both_governments_are_the_last_pair_named(parse):
    doc = parse("Sudan and Chad signed a border accord in Doha. The AU commissioner praised "
                "Qatar's mediation and urged both governments to respect the accord.")
    assert {("REQUEST", "AU", "SDN"), ("REQUEST", "AU", "TCD")} <= coded(doc)


def test_called_for_a_clause(parse):
    doc = parse("Ghana and the European Union called for the vote to go ahead in Togo.")
    assert {e.source.country for e in doc._.nl_events if e.type == "REQUEST"} == {"GHA", "EU"}


def test_a_reported_act_takes_the_reporting_date_despite_an_after_phrase(parse):
    doc = parse("Qatar announced on Saturday evening that Sudan had agreed to a ceasefire after "
                "talks mediated by Doha.", "2025-05-11")
    assert find(doc, "CONCEDE").date == "2025-05-10"


def test_a_modifier_date_does_not_move_the_narrative(parse):
    doc = parse("The protests began on Monday, against a tax imposed on May 2. Police fired "
                "tear gas at Kenyan protesters, killing three.", "2025-05-07")
    assert find(doc, "ASSAULT").date == "2025-05-05"


def test_members_named_after_including_are_the_targets(parse):
    doc = parse("Bolivia ordered diplomats from five neighbouring countries, including Chile and "
                "Peru, to leave the country.")
    assert {("SANCTION", "BOL", "CHL"), ("SANCTION", "BOL", "PER")} <= coded(doc)


def test_doers_of_an_among_relative_clause(parse):
    doc = parse("Ghanaian police shot protesters. France and Italy were among ten countries that "
                "said they were alarmed and called for restraint.")
    assert {("REQUEST", "FRA"), ("REQUEST", "ITA")} <= acts_by(doc)


def test_the_lead_day_is_its_main_clause_date(parse):
    doc = parse("RIGA, May 10 - Latvian police have held 40 people since the border closed on "
                "Thursday, the interior ministry said on Friday.\n\nLater, Latvia blamed Russia "
                "for the unrest.", "2025-05-10")
    assert find(doc, "ACCUSE").date == "2025-05-09"


def test_their_in_a_participle_clause_is_the_parties_just_named(parse):
    doc = parse("Bolivia ordered diplomats from five neighbouring countries, including Chile and "
                "Peru, to leave the country, accusing their governments of meddling.")
    assert {("ACCUSE", "BOL", "CHL"), ("ACCUSE", "BOL", "PER")} <= coded(doc)


def test_both_sides_are_the_main_conflict_pair(parse):
    doc = parse("Armenian forces shelled Azerbaijani positions. Azerbaijan struck Armenian "
                "villages. France praised Germany. Iran called on both sides to halt the fighting.")
    assert {("REQUEST", "IRN", "ARM"), ("REQUEST", "IRN", "AZE")} <= coded(doc)


def test_them_after_both_leaders_is_both_sides(parse):
    doc = parse("Peruvian and Ecuadorian troops clashed on the border on Thursday. Chile's "
                "president said he had spoken to both leaders, urging them to stand down.")
    assert {("REQUEST", "CHL", "PER"), ("REQUEST", "CHL", "ECU")} <= coded(doc)


@pytest.mark.parametrize("text, expected", [
    ("Russian forces seized Kherson in March.", ("ASSAULT", "RUS", "UKR")),
    ("Ethiopian troops took the town of Kismayo from al-Shabaab.", ("ASSAULT", "ETH", "SOM")),
    ("In Bunia, the militia said it had taken the town.", ("ASSAULT", None, "COD")),
    ("Iran seized a British oil tanker.", ("COERCE", "IRN", "GBR")),
])
def test_taking_a_town_is_an_assault_and_seizing_property_a_coercion(parse, text, expected):
    kind, source, target = expected
    assert any(e.type == kind and (e.source.country if e.source else None) == source
               and e.target and e.target.country == target for e in parse(text)._.nl_events)


def test_taking_place_is_no_capture(parse):
    assert not parse("The summit took place in Paris.")._.nl_events


def test_not_open_to_negotiation_is_a_refusal_by_the_speaker(parse):
    doc = parse("Serbia accused Kosovo of moving police to the border on Sunday and called on "
                "the European Union to intervene. Kosovo's "
                "prime minister said on Monday that his country's borders were not open to "
                "negotiation.")
    assert ("REJECT", "XKX", "SRB") in coded(doc)


def test_open_to_talks_is_a_willingness(parse):
    doc = parse("Iran said on Monday it was open to talks with the United States.")
    assert "AGREE" in types(doc) and "REJECT" not in types(doc)


def test_honouring_a_commitment_is_not_praise(parse):
    assert "SUPPORT" not in types(parse("Peru honoured its commitments to the OECD."))
    assert ("SUPPORT", "FRA", "UKR") in coded(parse("Macron honoured Zelensky with a medal."))


@pytest.mark.parametrize("text", [
    "The riot in Lima drew comparisons with the Russian invasion of Ukraine.",
    "The riot in Lima was reminiscent of the Russian invasion of Ukraine.",
])
def test_an_act_recalled_for_comparison_is_not_reported(parse, text):
    assert "ASSAULT" not in types(parse(text))


@pytest.mark.parametrize("text", [
    "Lavrov called the talks with Turkey constructive.",
    "Erdogan called the meeting with Putin historic.",
    "Modi called the parliament in Mauritius a gift from India.",
])
def test_praising_words_are_no_cancellation_or_accusation(parse, text):
    assert not {"SANCTION", "ACCUSE"} & types(parse(text))


def test_calling_off_talks_is_a_sanction(parse):
    assert ("SANCTION", "RUS", "UKR") in coded(parse("Russia called off talks with Ukraine."))


def test_reserving_the_right_to_fight_is_a_threat(parse):
    doc = parse("Azerbaijani forces shelled Armenian villages on Friday. On Saturday, Azerbaijan "
                "said it reserved the right to resume fighting.")
    assert ("THREATEN", "AZE", "ARM") in coded(doc)


@pytest.mark.parametrize("text, expected", [
    pytest.param(
        "Brazil imposed 30% duties on most goods from Argentina on Monday.",
        ("SANCTION", "BRA", "ARG"), id="duties on goods from X"),
    pytest.param(
        "Beijing slapped tariffs on soybeans and on steel from Japan.",
        ("SANCTION", "CHN", "JPN"), id="tariffs on steel from X"),
    pytest.param(
        "The EU imposed sanctions on Iranian officials and on two Belarusian firms.",
        ("SANCTION", "EU", "BLR"), id="sanctions on A and on B"),
    pytest.param(
        "The United Nations withdrew its peacekeepers from Mali on Monday.",
        ("SANCTION", "UN", "MLI"), id="peacekeepers withdrawn"),
    pytest.param(
        "The IAEA pulled its inspectors out of Iran.",
        ("SANCTION", "IAEA", "IRN"), id="inspectors pulled out"),
    pytest.param(
        "Russia withdrew its troops from Kherson.",
        ("RETREAT", "RUS", "UKR"), id="troops withdrawn from a town"),
    pytest.param(
        "Rwanda sent 300 police officers to Mozambique to lead a security mission.",
        ("AID", "RWA", "MOZ"), id="police sent on a security mission"),
    pytest.param(
        "Chad sent troops to Mali as part of a multinational force.",
        ("AID", "TCD", "MLI"), id="troops in a multinational force"),
    pytest.param(
        "500 Ugandan soldiers of the African Union peacekeeping force arrived in "
        "Somalia on Monday.",
        ("AID", "UGA", "SOM"), id="peacekeepers arriving"),
    pytest.param(
        "Talks resumed after the arrival of 500 Ugandan soldiers in Somalia.",
        ("MOBILIZE", "UGA", "SOM"), id="the arrival of troops"),
    pytest.param(
        "The withdrawal of Russian troops from Kherson began on Friday.",
        ("RETREAT", "RUS", "UKR"), id="the withdrawal of troops"),
    pytest.param(
        "Russia deployed troops to the border with Ukraine.",
        ("MOBILIZE", "RUS", "UKR"), id="troops deployed"),
    pytest.param(
        "Britain supplied weapons to Ukraine.",
        ("AID", "GBR", "UKR"), id="weapons supplied"),
    pytest.param(
        "The United States is providing military intelligence to Jordan.",
        ("AID", "USA", "JOR"), id="intelligence provided"),
    pytest.param(
        "China supplied Russia with drone components.",
        ("COOPERATE", "CHN", "RUS"), id="components supplied"),
    pytest.param(
        "Nairobi forced the UN refugee agency out of the country.",
        ("SANCTION", "KEN", "UN"), id="an agency forced out"),
    pytest.param(
        "Jacques Chirac gave a warm welcome to the South African president on Thursday.",
        ("CONSULT", "FRA", "ZAF"), id="a warm welcome"),
    pytest.param(
        "Jacques Chirac issued a stern reminder to Iraq that it must cooperate with inspectors.",
        ("REQUEST", "FRA", "IRQ"), id="a reminder that X must"),
    pytest.param(
        "Israel's high court opened a hearing into the torture of Palestinian detainees.",
        ("ACCUSE", "ISR", "PSE"), id="a hearing into"),
    pytest.param(
        "Israel is opposed to French mediation in talks with Syria.",
        ("REJECT", "ISR", "FRA"), id="opposed to an offer"),
    pytest.param(
        "Hungary is opposed to Ukraine's membership of the EU.",
        ("ACCUSE", "HUN", "UKR"), id="opposed to a membership"),
    pytest.param(
        "Ethiopian troops captured part of a rebel stronghold near Bunia.",
        ("ASSAULT", "ETH", "COD"), id="part of a stronghold"),
    pytest.param(
        "Norway said it will not lift the ban on the Tamil Tigers.",
        ("REJECT", "NOR", "LKA"), id="will not lift: a refusal"),
    pytest.param(
        "Chad won't release the Nigerian soldiers it captured last week.",
        ("REJECT", "TCD", "NGA"), id="won't release: a refusal"),
    pytest.param(
        "Norway has decided to lift the sanctions imposed on Chile in 1999.",
        ("RETREAT", "NOR", "CHL"), id="decided to lift sanctions imposed on X"),
    pytest.param(
        "Peru returned two stolen paintings to the government of Spain.",
        ("RETREAT", "PER", "ESP"), id="property returned to a state"),
    pytest.param(
        "Egyptian police returned fire on Libyan militiamen.",
        ("ASSAULT", "EGY", "LBY"), id="returned fire"),
    pytest.param(
        "Canada cut tariffs on Mexican steel by half.",
        ("RETREAT", "CAN", "MEX"), id="tariffs cut: economic sanctions eased"),
    pytest.param(
        "Belarus let free the Lithuanian fishermen it had detained.",
        ("RETREAT", "BLR", "LTU"), id="let free"),
    pytest.param(
        "Kenyan prosecutors shared evidence with Uganda about the bombing.",
        ("COOPERATE", "KEN", "UGA"), id="evidence shared"),
    pytest.param(
        "Kenyan prosecutors opened an investigation into Zamzam Holdings on Monday.",
        ("ACCUSE", "KEN", "KEN"), id="an investigation into a body nobody placed"),
    pytest.param(
        "Bolivia declared a state of siege in Pando on Friday.",
        ("COERCE", "BOL", "BOL"), id="a state of siege"),
    pytest.param(
        "The Sri Lankan army held Tamil refugees as human shields.",
        ("COERCE", "LKA", "LKA"), id="human shields"),
    pytest.param(
        "Pakistan has launched cyber warfare against India.",
        ("ASSAULT", "PAK", "IND"), id="cyber warfare"),
    pytest.param(
        "Armenia accused Azerbaijan of shelling its villages. Azerbaijani forces violated "
        "the ceasefire 80 times this morning.",
        ("ASSAULT", "AZE", "ARM"), id="a ceasefire violated, the other side unsaid"),
    pytest.param(
        "Al-Shabaab claimed responsibility for the bombing in Mogadishu.",
        ("ASSAULT", "SOM", "SOM"), id="responsibility claimed for an attack"),
    pytest.param(
        "The Houthis claimed that they had attacked the Saudi airport of Abha.",
        ("ASSAULT", "YEM", "SAU"), id="claimed their own attack"),
    pytest.param(
        "Iran claimed that Israel had attacked its nuclear sites.",
        ("ACCUSE", "IRN", "ISR"), id="claimed another's attack"),
    pytest.param(
        "Colombian rebels said they will lay down their arms.",
        ("AGREE", "COL", "COL"), id="a promise to lay down arms"),
    pytest.param(
        "Kuwait launched a mediation effort between Qatar and Saudi Arabia.",
        ("CONSULT", "KWT", "QAT"), id="a mediation effort"),
    pytest.param(
        "The United States defended the right of Russian troops to fire on militants.",
        ("SUPPORT", "USA", "RUS"), id="a right defended in words"),
    pytest.param(
        "The European Commission launched legal action against the Polish government.",
        ("ACCUSE", "EU", "POL"), id="legal action"),
    pytest.param(
        "The United States set a two-week deadline for the Palestinian Authority to hold elections.",
        ("THREATEN", "USA", "PSE"), id="a deadline set"),
    pytest.param(
        "Kazakh oil workers will not end the strike.",
        ("REJECT", "KAZ", "KAZ"), id="will not end the strike"),
    pytest.param(
        "Hungary says it will not accept asylum seekers from Greece.",
        ("REJECT", "HUN", "HUN"), id="will not accept asylum seekers"),
    pytest.param(
        "Armenia accused Azerbaijan of shelling its villages. It said Azerbaijani forces were "
        "guilty of violating the ceasefire.",
        ("ASSAULT", "AZE", "ARM"), id="guilty of an act: the act"),
    pytest.param(
        "Japan is sending troops to the United Nations peacekeeping force in South Sudan.",
        ("AID", "JPN", "UN"), id="troops sent to a peacekeeping force"),
    pytest.param(
        "Nigeria announced the deployment of 230 troops to Liberia on a peacekeeping mission.",
        ("AID", "NGA", "LBR"), id="a deployment on a peacekeeping mission"),
    pytest.param(
        "The US military gave 625 rifles to the Philippine Marines.",
        ("AID", "USA", "PHL"), id="rifles given"),
    pytest.param(
        "Iran has trained 300 Houthi fighters in Yemen.",
        ("AID", "IRN", "YEM"), id="another side's fighters trained"),
    pytest.param(
        "North Korea has trained 500 hackers.",
        ("MOBILIZE", "PRK", "PRK"), id="its own hackers trained"),
    pytest.param(
        "Italy has offered an armored regiment to the United States.",
        ("AGREE", "ITA", "USA"), id="a regiment offered"),
    pytest.param(
        "Hamas accepted an Egyptian compromise on the hostages.",
        ("AGREE", "PSE", "EGY"), id="a compromise accepted"),
    pytest.param(
        "The ousted Bolivian president has been granted asylum in Mexico.",
        ("AID", "MEX", "BOL"), id="granted asylum in a country"),
    pytest.param(
        "Kenya handed the suspect over to Uganda to stand trial.",
        ("COOPERATE", "KEN", "UGA"), id="sent abroad to stand trial"),
    pytest.param(
        "Israel tightened its blockade of Gaza on Monday.",
        ("COERCE", "ISR", "PSE"), id="a blockade tightened"),
    pytest.param(
        "The UN is pushing hard for a ceasefire between the Afghan government and the Taliban.",
        ("REQUEST", "UN", "AFG"), id="pushing for a ceasefire"),
    pytest.param(
        "The United States has determined that Sudan's army committed war crimes.",
        ("ACCUSE", "USA", "SDN"), id="an official finding"),
    pytest.param(
        "Kenyan prosecutors indicted two Somali men over the mall attack.",
        ("ACCUSE", "KEN", "SOM"), id="an indictment"),
    pytest.param(
        "Police in Los Angeles opened an investigation into Zamzam Holdings.",
        ("ACCUSE", "USA", "USA"), id="police in a city"),
    pytest.param(
        "The UN sent a team of investigators to Syria.",
        ("ACCUSE", "UN", "SYR"), id="investigators sent"),
    pytest.param(
        "Eighty UN peacekeepers were withdrawn from the Bosnian enclave of Gorazde.",
        ("SANCTION", "UN", "BIH"), id="peacekeepers withdrawn, passive"),
    pytest.param(
        "Russian troops were pulled out of Ukraine on Friday.",
        ("RETREAT", "RUS", "UKR"), id="troops pulled out, passive"),
    pytest.param(
        "Kenya's parliament opened a hearing Tuesday into the Ugandan army's raids.",
        ("ACCUSE", "KEN", "UGA"), id="a hearing, a day, then what it looks into"),
    pytest.param("Iraq sealed its border with Syria on Monday.", ("COERCE", "IRQ", "SYR"),
                 id="border sealed"),
    pytest.param("Niger closed its borders with Benin and Nigeria.", ("COERCE", "NER", "BEN"),
                 id="borders closed"),
    pytest.param("Norway returned 40 statues that were stolen in 1990 to Peru on Monday.",
                 ("RETREAT", "NOR", "PER"), id="recipient hung on a clause inside the object"),
    pytest.param("Greece's foreign minister called for sanctions against Turkey on Monday.",
                 ("REQUEST", "GRC", "TUR"), id="a call for sanctions is aimed at their target"),
    pytest.param("Serbian forces carried out ethnic cleansing against Albanians in Kosovo.",
                 ("ASSAULT", "SRB", "ALB"), id="ethnic cleansing"),
    pytest.param("Syrian forces used sarin on the town of Khan Sheikhoun.",
                 ("ASSAULT", "SYR", "SYR"), id="a chemical weapon used"),
    pytest.param("Iraq used chemical weapons against Iran in 1988.", ("ASSAULT", "IRQ", "IRN"),
                 id="weapons used against"),
    pytest.param("Nigerian truckers blocked the highway to Lagos to demand lower fuel prices.",
                 ("PROTEST", "NGA", "NGA"), id="a road blocked to press a demand"),
    pytest.param("Egypt and Israel exchanged intelligence on militants in Sinai.",
                 ("COOPERATE", "EGY", "ISR"), id="intelligence exchanged, both named as doers"),
    pytest.param("Russia staged military maneuvers near the Ukrainian border.",
                 ("MOBILIZE", "RUS", "UKR"), id="staged, not stagged: maneuvers"),
    pytest.param("The Kenyan minister lambasted Uganda over the border closure.",
                 ("ACCUSE", "KEN", "UGA"), id="lambasted"),
    pytest.param("The Malian junta suspended the French broadcaster RFI.",
                 ("COERCE", "MLI", "FRA"), id="a broadcaster suspended"),
    pytest.param("The EU froze the assets of Russian oligarchs.", ("SANCTION", "EU", "RUS"),
                 id="assets frozen"),
    pytest.param("Niger's junta ordered French troops to leave the country.",
                 ("SANCTION", "NER", "FRA"), id="troops ordered out"),
    pytest.param("Ukraine and Russia swapped prisoners of war.", ("RETREAT", "RUS", "UKR"),
                 id="prisoners swapped, both ways"),
    pytest.param("The opposition boycotted the parliamentary elections in Mali.",
                 ("PROTEST", "MLI", "MLI"), id="an election boycotted"),
    pytest.param("Russia threatened to cut gas supplies to Ukraine.",
                 ("THREATEN", "RUS", "UKR"), id="a threat aimed where the threatened act is"),
    pytest.param("The US warned that it would impose sanctions on Russia.",
                 ("THREATEN", "USA", "RUS"), id="a warning of one's own act aimed at its target"),
    pytest.param("The Egyptian president met his Sudanese counterpart in Cairo.",
                 ("CONSULT", "EGY", "SDN"), id="his Sudanese counterpart is Sudan's"),
    pytest.param("Russia threatened to quit the talks if the United States deploys the missiles.",
                 ("THREATEN", "RUS", "USA"), id="a threat aimed at whom its condition is put to"),
    pytest.param("Germany rejected recent calls by Belarus's rulers for economic aid.",
                 ("REJECT", "DEU", "BLR"), id="calls rejected, aimed at their makers"),
    pytest.param("Lebanon complained to the United Nations over two Israeli air raids.",
                 ("ACCUSE", "LBN", "ISR"), id="a complaint aimed at whom it is about"),
    pytest.param("Kenya has refused to attend a hearing by the Ugandan parliament.",
                 ("REJECT", "KEN", "UGA"), id="a target phrase names its doer with 'by'"),
    pytest.param("The Indian navy intercepted a Pakistani fishing boat.", ("COERCE", "IND", "PAK"),
                 id="a boat intercepted"),
    pytest.param("Russian jets entered Estonian airspace.", ("MOBILIZE", "RUS", "EST"),
                 id="airspace entered"),
    pytest.param("Kenya sought Ethiopia's help in fighting al-Shabaab.",
                 ("REQUEST", "KEN", "ETH"), id="help sought, whose"),
    pytest.param("The IMF approved a bailout for Pakistan.", ("AID", "IMF", "PAK"),
                 id="a bailout approved"),
    pytest.param("Hundreds of Kenyan doctors walked out over unpaid salaries.",
                 ("PROTEST", "KEN", "KEN"), id="a walkout"),
    pytest.param("The Palestinian delegation walked out of the talks with Israel.",
                 ("SANCTION", "PSE", "ISR"), id="walking out of talks ('out of': one preposition)"),
    pytest.param("Israel let the trucks enter Gaza.", ("RETREAT", "ISR", "PSE"),
                 id="let in, read with a bare infinitive"),
    pytest.param("The Kenyan president paid tribute to Ethiopia for its role in the talks.",
                 ("SUPPORT", "KEN", "ETH"), id="tribute paid"),
    pytest.param("Kenya condemned the attack carried out by Ugandan rebels.",
                 ("ASSAULT", "UGA", "KEN"), id="an act's maker named by its participle"),
    pytest.param("The Saudi-led coalition struck Houthi positions in Yemen.",
                 ("ASSAULT", "SAU", "YEM"), id="a coalition is its leader's"),
    pytest.param("Kenya struck a deal with Somalia on Monday.", ("AGREE", "KEN", "SOM"),
                 id="a deal struck is no strike"),
    pytest.param("Kenya reached an agreement with Somalia on Monday.", ("AGREE", "KEN", "SOM"),
                 id="an agreement reached"),
    pytest.param("Tuareg rebels in Mali have given up fighting and surrendered.",
                 ("CONCEDE", "MLI", "MLI"), id="giving up the fight"),
    pytest.param("Japan donated 3,000 tonnes of rice to Ethiopia on Monday.",
                 ("AID", "JPN", "ETH"), id="a donation of goods"),
    pytest.param("The Canadian prime minister had lunch with the French president in Paris.",
                 ("CONSULT", "CAN", "FRA"), id="a meal together"),
    pytest.param("A stolen painting was returned to Italy by American officials on Monday.",
                 ("RETREAT", "USA", "ITA"), id="property returned, passive"),
    pytest.param("Indian jets forced a Georgian cargo plane to land in Jaipur.",
                 ("COERCE", "IND", "GEO"), id="forced to land"),
    pytest.param("France announced the release of a French hostage held in Yemen.",
                 ("RETREAT", "FRA", "FRA"), id="a release announced"),
    pytest.param("Kenyan police quelled the riots in Somalia.", ("COERCE", "KEN", "SOM"),
                 id="unrest quelled"),
    pytest.param("Kenya lifted its trade embargo on Uganda.", ("RETREAT", "KEN", "UGA"),
                 id="an embargo eased (CAMEO 085)"),
    pytest.param("Israel lifted the blockade on Gaza on Friday.", ("RETREAT", "ISR", "PSE"),
                 id="a blockade eased (CAMEO 0872)"),
    pytest.param("Kenya lifted the ban on Ugandan newspapers.", ("CONCEDE", "KEN", "UGA"),
                 id="a ban eased (CAMEO 081)"),
    pytest.param("Kenyan troops observed the ceasefire with Somalia.",
                 ("RETREAT", "KEN", "SOM"), id="a ceasefire kept"),
    pytest.param("Rebels in Angola handed over their weapons to UN peacekeepers.",
                 ("RETREAT", "AGO", "UN"), id="weapons handed in"),
    pytest.param("Kosovo's leaders turned down Belgrade's offer of autonomy.",
                 ("REJECT", "XKX", "SRB"), id="an offer turned down"),
    pytest.param("Dock workers in Rotterdam staged a strike over pay.",
                 ("PROTEST", "NLD", "NLD"), id="a labour strike staged"),
    pytest.param("The IMF suspended its loans to Kenya over corruption.",
                 ("SANCTION", "IMF", "KEN"), id="loans suspended"),
    pytest.param("Pakistan test-fired a medium-range missile.", ("MOBILIZE", "PAK", "PAK"),
                 id="a missile test"),
    pytest.param("Somali militants vowed to kill any Kenyan soldiers they capture.",
                 ("THREATEN", "SOM", "KEN"), id="a vow to kill"),
    pytest.param("The Kenyan government agreed to the Ugandan rebels' demands.",
                 ("CONCEDE", "KEN", "UGA"), id="demands acceded to"),
    pytest.param("Uganda expelled two Kenyan journalists.", ("COERCE", "UGA", "KEN"),
                 id="people expelled: a deportation"),
    pytest.param("Palestinian youths threw stones at Israeli soldiers in Hebron.",
                 ("PROTEST", "PSE", "ISR"), id="stones thrown"),
    pytest.param("Iran executed three Afghan drug smugglers.", ("ASSAULT", "IRN", "AFG"),
                 id="an execution"),
    pytest.param("Indonesia brushed aside calls by Australia for a referendum.",
                 ("REJECT", "IDN", "AUS"), id="calls brushed aside"),
    pytest.param("Syria said it would never negotiate with Israel.", ("REJECT", "SYR", "ISR"),
                 id="will never negotiate: a refusal"),
    pytest.param("Zimbabwe has withdrawn from the Commonwealth.", ("SANCTION", "ZWE", None),
                 id="an organisation left"),
    pytest.param("Russian troops were withdrawn from Moldova under the agreement.",
                 ("RETREAT", "RUS", "MDA"), id="troops withdrawn under an agreement"),
    pytest.param("The rebel commander surrendered to Ugandan troops.",
                 ("RETREAT", "UGA", "UGA"), id="a military surrender"),
    pytest.param("Kenyan students staged a sit-in at the parliament demanding reform.",
                 ("PROTEST", "KEN", "KEN"), id="a sit-in staged"),
    pytest.param("Truck drivers in Spain blocked the border crossing in protest at new taxes.",
                 ("PROTEST", "ESP", "ESP"), id="a crossing blocked in protest"),
    pytest.param("China sent a strong protest to Japan over the visit.",
                 ("ACCUSE", "CHN", "JPN"), id="a protest delivered in words"),
    pytest.param("The Kenyan junta ignored Ugandan appeals to free the opposition leader.",
                 ("REJECT", "KEN", "UGA"), id="appeals ignored"),
    pytest.param("The Georgian parliament voted against a Russian proposal.",
                 ("REJECT", "GEO", "RUS"), id="voted against"),
    pytest.param("Zimbabwe's president lashed out at Britain over its land policy.",
                 ("ACCUSE", "ZWE", "GBR"), id="lashed out at"),
    pytest.param("The Sri Lankan navy sank a Tamil Tiger boat off the coast.",
                 ("ASSAULT", "LKA", "LKA"), id="a boat sunk"),
    pytest.param("Malaysian police used water cannon against Indonesian demonstrators.",
                 ("COERCE", "MYS", "IDN"), id="crowd control"),
    pytest.param("Zimbabwean police raided the offices of the Kenyan embassy.",
                 ("COERCE", "ZWE", "KEN"), id="a police raid"),
    pytest.param("Rebels in Congo handed over three kidnapped Chinese engineers to the Red Cross.",
                 ("RETREAT", "COD", "CHN"), id="captives handed over"),
    pytest.param("Indian and Chinese officials negotiated a settlement of the border dispute.",
                 ("CONSULT", "IND", "CHN"), id="negotiated between them"),
    pytest.param("The Syrian government allowed Kurdish parties to register for the elections.",
                 ("CONCEDE", "SYR", "SYR"), id="allowed to register"),
    pytest.param("The Ethiopian army evacuated its positions in Eritrea.",
                 ("RETREAT", "ETH", "ERI"), id="positions evacuated"),
    pytest.param("Israel called up 20,000 reservists.", ("MOBILIZE", "ISR", "ISR"),
                 id="reservists called up"),
    pytest.param("The Arab League imposed a boycott on Israeli companies.",
                 ("SANCTION", "ARL", "ISR"), id="a boycott imposed"),
    pytest.param("Kazakhstan sold oil to China under a long-term contract.",
                 ("COOPERATE", "KAZ", "CHN"), id="goods sold"),
    pytest.param("Somali pirates hijacked a Greek tanker.", ("ASSAULT", "SOM", "GRC"),
                 id="a hijacking"),
    pytest.param("Beijing said it would not rule out the use of force against Taiwan.",
                 ("THREATEN", "CHN", "TWN"), id="force not ruled out"),
    pytest.param("The European Union offered Turkey a customs union.",
                 ("AGREE", "EU", "TUR"), id="an offer to someone"),
    pytest.param("Kenyan opposition leaders vowed to paralyse Uganda with protests.",
                 ("THREATEN", "KEN", "UGA"), id="a vow to paralyse"),
    pytest.param("Britain gave Russia a midnight deadline to explain the attack.",
                 ("THREATEN", "GBR", "RUS"), id="a deadline"),
    pytest.param("The African Union suspended Mali after the coup.", ("SANCTION", "AU", "MLI"),
                 id="a member suspended"),
    pytest.param("Kosovo Albanian students boycotted Serbian schools.",
                 ("PROTEST", "XKX", "SRB"), id="a boycott by students"),
    pytest.param("Canada boycotted Russian goods.", ("SANCTION", "CAN", "RUS"),
                 id="a boycott by a state"),
    pytest.param("Islamist militants in Algeria slit the throats of 12 villagers.",
                 ("ASSAULT", "DZA", "DZA"), id="throats slit"),
    pytest.param("Eritrea signed up to the African Union's peace plan.",
                 ("AGREE", "ERI", "AU"), id="signed up to a plan"),
    pytest.param("The Sudanese rebels embraced Kenya's ceasefire proposal.",
                 ("AGREE", "SDN", "KEN"), id="a proposal embraced"),
    pytest.param("Rwanda snubbed the French invitation to the summit.",
                 ("REJECT", "RWA", "FRA"), id="an invitation snubbed"),
    pytest.param("India shrugged off Pakistani calls for mediation.",
                 ("REJECT", "IND", "PAK"), id="calls shrugged off"),
    pytest.param("Iraq balked at the UN demand.", ("REJECT", "IRQ", "UN"), id="balked at"),
    pytest.param("Zimbabwe's president vowed to seize British farms.",
                 ("THREATEN", "ZWE", "GBR"), id="a vow to seize"),
    pytest.param("The Nigerian government assailed the European Union's decision.",
                 ("ACCUSE", "NGA", "EU"), id="a decision assailed"),
    pytest.param("Beijing repudiated the tribunal's ruling.", ("REJECT", "CHN", "CHN"),
                 id="a ruling repudiated"),
    pytest.param("Turkey disputed the Greek claim to the islets.", ("REJECT", "TUR", "GRC"),
                 id="a claim disputed"),
    pytest.param("Israel hinted at military action against Iran.", ("THREATEN", "ISR", "IRN"),
                 id="action hinted at"),
    pytest.param("Rwanda sought the suspect's extradition from Belgium.",
                 ("REQUEST", "RWA", "BEL"), id="an extradition sought"),
    pytest.param("Russian authorities impounded a Georgian ship.", ("COERCE", "RUS", "GEO"),
                 id="a ship impounded"),
    pytest.param("Israeli warplanes strafed targets in southern Lebanon.",
                 ("ASSAULT", "ISR", "LBN"), id="strafed"),
    pytest.param("Syria beefed up its military presence along the Turkish border.",
                 ("MOBILIZE", "SYR", "TUR"), id="a presence beefed up"),
    pytest.param("Uzbek authorities blocked access to Russian websites.",
                 ("COERCE", "UZB", "RUS"), id="access blocked"),
    pytest.param("Indian troops gunned down five Pakistani militants.",
                 ("ASSAULT", "IND", "PAK"), id="gunned down"),
    pytest.param("Sri Lankan rebels lobbed mortar shells into the Indian army base.",
                 ("ASSAULT", "LKA", "IND"), id="shells lobbed"),
    pytest.param("Brazilian landless peasants invaded a government farm.",
                 ("PROTEST", "BRA", "BRA"), id="a farm invaded by peasants"),
    pytest.param("Iraq moved two armoured divisions to the Kuwaiti border.",
                 ("MOBILIZE", "IRQ", "KWT"), id="divisions moved"),
    pytest.param("Canada broke off talks with Cuba.", ("SANCTION", "CAN", "CUB"),
                 id="talks broken off"),
    pytest.param("Japan wrote off Bangladesh's debts.", ("AID", "JPN", "BGD"),
                 id="debts written off"),
    pytest.param("The Moroccan king commuted the death sentences of 20 Algerian Islamists.",
                 ("CONCEDE", "MAR", "DZA"), id="sentences commuted"),
    pytest.param("Russia and India signed a contract to build a nuclear plant.",
                 ("COOPERATE", "RUS", "IND"), id="a contract signed"),
    pytest.param("Libya undertook to compensate the British families of the victims.",
                 ("AGREE", "LBY", None), id="an undertaking"),
    pytest.param("The Nigerian junta committed itself to holding elections within a year.",
                 ("AGREE", "NGA", None), id="committed itself to"),
    pytest.param("The Zairean government gave its approval to the deployment of a UN force.",
                 ("AGREE", "COD", None), id="approval given"),
    pytest.param("The Burundian factions settled on a power-sharing formula with Tanzania.",
                 ("AGREE", "BDI", None), id="settled on"),
    pytest.param("Turkey blocked the NATO plan to defend Iraq.", ("REJECT", "TUR", "NATO"),
                 id="a plan blocked"),
    pytest.param("The Kosovo Serbs boycotted the talks with the UN administration.",
                 ("REJECT", "SRB", "UN"), id="talks boycotted"),
    pytest.param("Pakistani and Indian troops traded fire across the Line of Control.",
                 ("ASSAULT", "PAK", "IND"), id="fire traded"),
    pytest.param("Liberia did not comply with the ECOWAS deadline.", ("REJECT", "LBR", "ECOWAS"),
                 id="did not comply"),
])
def test_the_act_a_sentence_reports(parse, text, expected):
    assert expected in coded(parse(text))


@pytest.mark.parametrize("text", [
    "South Korea will work with the United States to deal with North Korea's missiles.",
    "The deal could mean an end to the Russian gas transit through Ukraine.",
    "Russian troops pushed into the Ukrainian town of Avdiivka.",
    "Iran has missiles capable of striking Israel.",
    "The earthquake claimed 300 lives in Turkey.",
    "The World Bank claimed that 55 percent of Indonesians are poor.",
    "The British government is exploring the possibility of leaving the treaty.",
    "Kenya is fighting the Ebola epidemic.",
    "Germany spent 23 billion euros on fighting the root causes of migration.",
    "Kenya fired its ambassador to Uganda over the scandal.",
    "A Kenyan mother is fighting for justice for her son.",
    "Kenya declared an emergency after the floods.",
    "The war in Sudan forced millions of people to flee to Chad.",
    "Civilians in Sudan remain unprotected and besieged.",
    "A former Kenyan minister had been sheltering in the Ugandan embassy.",
    "Kenya executed the plan to build a railway to Uganda.",
    "Russia quit an arrangement that had allowed Ukraine to export grain.",
])
def test_claimed_lives_and_weighed_options_are_no_events(parse, text):
    assert not coded(parse(text))


def test_going_on_strike_is_a_protest_not_an_air_strike(parse):
    assert coded(parse("Kenyan workers went on strike in Nairobi.")) == {("PROTEST", "KEN", "KEN")}
    assert coded(parse("Kenyan unions called a strike on Monday.")) == {("PROTEST", "KEN", "KEN")}


def test_a_vow_never_to_cooperate_is_a_refusal_but_a_vow_of_restraint_a_promise(parse):
    assert "REJECT" in types(parse(
        "The Sudanese government vowed never to hand over its president to the ICC."))
    assert types(parse("Iran pledged not to interfere in the affairs of Iraq.")) == {"AGREE"}


def test_force_ruled_out_is_no_threat(parse):
    assert "THREATEN" not in types(parse("China ruled out the use of force against Taiwan."))


def test_an_act_done_in_protest_is_the_act_itself(parse):
    found = types(parse("The European Union suspended aid to Kenya in protest at the arrests."))
    assert "SANCTION" in found and "PROTEST" not in found


def test_an_emergency_at_a_hospital_is_no_crackdown(parse):
    assert not coded(parse("Pakistan declared an emergency at the hospital in Quetta."))


def test_going_back_is_no_return_of_property(parse):
    assert not coded(parse("The Kenyan president returned to Nairobi from Uganda."))


def test_a_decision_to_come_is_only_a_plan(parse):
    assert not coded(parse("Norway will decide to lift the sanctions on Chile."))


def test_a_yield_not_done_is_no_refusal(parse):
    # "did not withdraw": an act that did not happen, not a refusal (only "will not" refuses)
    assert not coded(parse("Russia did not withdraw its troops from Georgia."))


def test_handing_over_captives_is_a_release(parse):
    doc = parse("Haiti handed over three Jamaican women it had held for 71 days.")
    assert ("RETREAT", "HTI", "JAM") in coded(doc)


def test_it_in_a_second_clause_is_the_first_clauses_doer(parse):
    doc = parse("The Taiwanese ministry said it had tracked the ships, and it condemned Beijing "
                "for its behaviour.")
    assert ("ACCUSE", "TWN", "CHN") in coded(doc)


def test_a_rally_aimed_through_a_participle(parse):
    doc = parse("Iraqi police guarded the square. Thousands of Iraqis rallied in Baghdad on Friday, "
                "chanting slogans against Turkey.")
    assert any(e.type == "PROTEST" and e.target and e.target.country == "TUR"
               for e in doc._.nl_events)


def test_a_warning_about_peoples_fate_is_no_threat(parse):
    doc = parse("The UN refugee agency urged Chad to stop the deportations, warning that "
                "thousands of refugees would face danger.")
    assert "THREATEN" not in types(doc)


def test_it_in_a_participle_is_the_host_clauses_object(parse):
    doc = parse("A foreign ministry spokesperson in Hanoi rejected Beijing's complaint, calling "
                "it an overreaction.")
    assert ("ACCUSE", "VNM", "CHN") in coded(doc)


def test_forces_on_alert_and_a_cancelled_visit(parse):
    assert ("MOBILIZE", "IND") in acts_by(parse(
        "Indian troops remained on alert along the border."))
    assert ("SANCTION", "FRA", "HTI") in coded(parse(
        "A French minister has cancelled a visit to Haiti."))


def test_up_to_n_victims_are_the_object(parse):
    doc = parse("Afghan rebels have kidnapped up to 16 Russian advisers from a bazaar.")
    assert ("ASSAULT", "AFG", "RUS") in coded(doc)


def test_investigating_another_actor_is_an_accusation(parse):
    doc = parse("Brazil is investigating Paraguay's role in the smuggling ring.")
    assert ("ACCUSE", "BRA", "PRY") in coded(doc)


def test_lifting_a_curfew_is_a_concession_not_a_curfew(parse):
    doc = parse("Nepal lifted the curfew in Kathmandu on Tuesday.")
    assert "CONCEDE" in types(doc) and "COERCE" not in types(doc)


def test_calling_off_a_strike_is_a_concession(parse):
    doc = parse("Kenyan doctors called off their strike on Monday.")
    assert "CONCEDE" in types(doc) and "PROTEST" not in types(doc)


def test_a_named_ngo_without_a_country_can_act(parse):
    doc = parse("Amnesty International demanded that the Sudanese government release the "
                "journalists.")
    req = find(doc, "REQUEST")
    assert req.source is not None and req.source.country is None
    assert req.target is not None and req.target.country == "SDN"


def test_not_accepting_a_proposal_is_a_rejection(parse):
    doc = parse("Serbia did not accept the European Union's proposal.")
    assert ("REJECT", "SRB", "EU") in coded(doc)


def test_an_attempted_attack_is_an_attack(parse):
    doc = parse("Ukrainian drones tried to strike the Russian refinery on Monday.")
    assert "ASSAULT" in types(doc)


def test_an_organisation_does_not_act_on_itself(parse):
    doc = parse("Sweden joined NATO on Monday. The NATO chief welcomed Sweden into the alliance.")
    assert ("SUPPORT", "NATO", "NATO") not in coded(doc)


def test_arriving_on_a_visit_consults_the_host_country(parse):
    doc = parse("The Iraqi president arrived in Amman on a two-day visit on Wednesday.")
    assert ("CONSULT", "IRQ", "JOR") in coded(doc) or ("CONSULT", "JOR", "IRQ") in coded(doc)
    doc = parse("The ousted Syrian president arrived in Moscow with his family.")
    assert "CONSULT" not in types(doc)


def test_letting_inspectors_in_and_lifting_a_state_of_emergency(parse):
    assert ("RETREAT", "IRN") in acts_by(parse(
        "Iran allowed the return of UN inspectors on Monday."))
    assert "CONCEDE" in types(parse("Mali lifted the state of emergency in the north."))


def test_strikers_and_blockades(parse):
    assert "PROTEST" in types(parse("Thousands of Kenyan workers stopped work on Monday."))
    assert "PROTEST" in types(parse("Kenyan protesters blocked streets in Nairobi."))


def test_seeking_refuge_is_a_request(parse):
    doc = parse("Thousands of Afghan families sought refuge in Iran last month.")
    assert ("REQUEST", "AFG", "IRN") in coded(doc)


def test_a_participle_modifier_is_not_an_event(parse):
    doc = parse("Palestinians in the Israeli-occupied West Bank went on strike on Monday.")
    assert "COERCE" not in types(doc)


def test_calling_a_move_unjustified_is_no_phone_call(parse):
    doc = parse("Canada's prime minister told reporters the tariffs were wrong, calling the U.S. "
                "move unjustified.")
    assert "CONSULT" not in types(doc)
    assert ("CONSULT", "RUS", "IND") in coded(parse("President Putin called PM Modi and "
                                                    "condemned the attack."))


# ---------------------------------------------------------------- candidates

def candidates(doc) -> list[Event]:
    return [e for e in doc._.nl_events_all if e.candidate]


@pytest.fixture
def parse_wide(nlp):
    """parse(text) with candidates asked for, as Extractor(candidates=True) does."""
    def _parse(text: str):
        doc = nlp.make_doc(text)
        doc._.nl_published = "2025-05-05"
        doc.user_data["nl_candidates"] = True
        return nlp(doc)
    return _parse


def test_candidates_are_coded_only_when_asked(parse, parse_wide):
    text = "Elders of the northern clans agreed to hold the vote on Friday."
    assert not candidates(parse(text))
    assert candidates(parse_wide(text))


def test_an_act_whose_doer_cannot_be_placed_is_a_candidate(parse_wide):
    doc = parse_wide("Elders of the northern clans agreed to hold the vote on Friday.")
    assert not doc._.nl_events
    found = candidates(doc)
    assert [e.type for e in found] == ["AGREE"]
    doer = found[0].source
    assert doer.country is None and doc.text[doer.start:doer.end] == doer.text
    assert doer.text == "Elders of the northern clans"
    assert found[0].confidence < 0.5


def test_an_attack_with_no_actor_placed_at_all_is_a_candidate(parse, parse_wide):
    text = "Rebels of the northern clans overran an army camp."
    assert not coded(parse(text)) and not parse(text)._.nl_events
    found = candidates(parse_wide(text))
    assert [(e.type, e.source.text, e.source.country) for e in found] == [
        ("ASSAULT", "Rebels of the northern clans", None)]
    assert found[0].confidence < 0.5


def test_a_placed_event_is_never_a_candidate(parse_wide):
    doc = parse_wide("Canada imposed sanctions on Iran.")
    assert coded(doc) == {("SANCTION", "CAN", "IRN")}
    assert not candidates(doc)


def test_negated_candidates_keep_their_modality(parse_wide):
    doc = parse_wide("Elders of the northern clans did not agree to hold the vote.")
    assert [e.modality for e in candidates(doc) if e.type == "AGREE"] == ["negated"]


def test_the_extractor_leaves_candidates_out_unless_asked(extractor):
    from newsledger.extract import Extractor
    from newsledger.model import Article
    article = Article(id="c1", text="Elders of the northern clans agreed to hold the vote "
                      "on Monday. Canada imposed sanctions on Iran.", published=None)
    plain = extractor.extract_or_fail(article)
    assert [(e.type, e.candidate) for e in plain.events] == [("SANCTION", False)]
    wide = Extractor(candidates=True)
    wide.nlp = extractor.nlp  # the same loaded pipeline
    both = wide.extract_or_fail(article)
    assert sorted((e.type, e.candidate) for e in both.events) == [
        ("AGREE", True), ("SANCTION", False)]


def test_a_day_still_to_come_does_not_date_the_next_act(parse):
    doc = parse("Chile agreed to hold the vote on Monday. Canada imposed sanctions on Iran.",
                published="2025-05-07")  # a Wednesday: the vote is on the 12th
    sanction = find(doc, "SANCTION")
    assert sanction.modality == "asserted" and sanction.date == "2025-05-07"


def test_counted_crowds_and_stopped_protests(parse):
    assert "PROTEST" in types(parse("Hundreds of thousands of people blocked roads in Nairobi "
                                    "on Tuesday."))
    assert ("COERCE", "TUR") in acts_by(parse(
        "Turkish police prevented the rally outside the university on Friday."))


def test_returning_what_was_seized(parse):
    assert ("RETREAT", "MDA") in acts_by(parse(
        "Moldova returned the seized vessels to Ukraine on Friday."))
    assert "ACCUSE" in types(parse("Amnesty International protested that Serbia had failed to "
                                   "protect the refugees."))


@pytest.mark.parametrize("text, expected", [
    ("A Kenyan farmer is suing Uganda over the seized cattle.", ("ACCUSE", "KEN", "UGA")),
    ("Chilean authorities have been pressuring Bolivia to reopen the border.",
     ("REQUEST", "CHL", "BOL")),
    ("The European Community demanded the withdrawal of Serbian forces.", ("REQUEST", "EU", "SRB")),
    ("Nigerian students defied a ban by the Ghanaian government on Monday.", ("REJECT", "NGA", None)),
    ("Qatar ended its mediation efforts between Israel and Hamas on Friday.",
     ("SANCTION", "QAT", None)),
    ("The Bush administration condemned Cuba.", ("ACCUSE", "USA", "CUB")),
])
def test_lawsuits_pressure_defiance_and_ending_mediation(parse, text, expected):
    typ, src, tgt = expected
    found = acts_by(parse(text))
    assert (typ, src) in found
    if tgt:
        assert expected in coded(parse(text))


def test_a_reporting_clause_hung_on_the_main_verb_declares_intent(nlp):
    # "X will provide aid, the agency said" with the parser's frequent reading: "said" a
    # conjunct of the main verb, its subject attached elsewhere
    from spacy.tokens import Doc

    from newsledger.extract.events import load_patterns, trailing_report
    words = ["Japan", "will", "provide", "aid", ",", "the", "agency", "said", "."]
    heads = [2, 2, 2, 2, 2, 6, 3, 2, 2]
    deps = ["nsubj", "aux", "ROOT", "dobj", "punct", "det", "appos", "conj", "punct"]
    lemmas = ["Japan", "will", "provide", "aid", ",", "the", "agency", "say", "."]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, lemmas=lemmas)
    patterns = load_patterns()
    assert trailing_report(doc[2], patterns)
    words2 = ["Japan", "said", "it", "will", "provide", "aid", "."]
    doc2 = Doc(nlp.vocab, words=words2, heads=[1, 1, 4, 4, 1, 4, 1],
               deps=["nsubj", "ROOT", "nsubj", "aux", "ccomp", "dobj", "punct"],
               lemmas=["Japan", "say", "it", "will", "provide", "aid", "."])
    assert not trailing_report(doc2[1], patterns)


def test_opening_a_crossing_and_receiving_inspectors_let_others_in(parse):
    assert ("RETREAT", "EGY") in acts_by(parse(
        "Egypt reopened the Rafah crossing to aid convoys on Sunday."))
    assert ("RETREAT", "IRN") in acts_by(parse(
        "Iran received UN inspectors at the Natanz site on Monday."))


def test_an_act_done_to_protest_is_the_protest(parse):
    assert ("PROTEST", "KEN") in acts_by(parse(
        "Kenyan workers walked out on Monday to protest unpaid wages."))
    # an act with its own hand-made pattern keeps its type
    assert "SANCTION" in types(parse("Japan recalled its ambassador to protest the killing."))


def test_a_candidates_doer_leaves_out_the_dateline(parse_wide):
    doc = parse_wide("KABUL, March 3 - Elders of the northern clans agreed to hold the vote.")
    assert [e.source.text for e in candidates(doc)] == ["Elders of the northern clans"]


def test_refugees_taken_in_and_peacekeepers_sent_are_aid(parse):
    assert ("AID", "TUR", "SYR") in coded(parse(
        "Turkey has taken in 3 million Syrian refugees since 2011."))
    assert ("AID", "BGD", "SLE") in coded(parse(
        "Bangladesh sent 800 peacekeeping troops to Sierra Leone on Tuesday."))


def test_will_not_is_a_refusal_or_nothing_never_a_promise(parse):
    assert ("REJECT", "SYR") in acts_by(parse(
        "Syria says it will not accept any more refugees."))
    assert not coded(parse("Iran said it will not attack Israel."))


def test_warnings_about_how_things_are_are_no_threats(parse):
    assert "THREATEN" not in types(parse("Australian officials warned that the fire is too big "
                                         "to contain."))
    assert "THREATEN" not in types(parse("Chinese officials warned that online games are "
                                         "hurting children."))
    assert "THREATEN" in types(parse("Pakistan warned that the attackers will not be spared."))
    assert "THREATEN" in types(parse("Iran warned Israel that it faces a crushing response."))


def test_tourists_visit_without_consulting_and_seldom_negates(parse):
    assert "CONSULT" not in types(parse("Millions of Chinese tourists visited Vietnam in July."))
    assert "ACCUSE" not in types(parse("Malaysia seldom criticized China."))


def test_everything_inside_an_if_clause_is_hypothetical(parse):
    doc = parse("The five could be sent home if they are added to the list of prisoners "
                "pardoned by the Thai king.")
    assert "CONCEDE" not in types(doc)
    assert "hypothetical" in {e.modality for e in doc._.nl_events_all if e.type == "CONCEDE"}


def test_kidnappings_terror_cells_and_possessed_objects(parse):
    assert ("ASSAULT", "NGA") in {(t, tg) for t, _, tg in coded(parse(
        "Gunmen kidnapped 20 Nigerian students on Monday."))}
    assert ("COERCE", "KEN") in acts_by(parse(
        "Kenyan police abducted two activists in Nairobi."))
    assert ("COERCE", "MAR") in acts_by(parse(
        "The Moroccan counterterror agency broke up a terrorist cell on Monday."))
    assert ("REQUEST", "KEN", "UGA") in coded(parse("Kenya called for Uganda's restraint."))


def test_an_act_done_by_means_of_another_takes_its_date(parse):
    doc = parse("Cambodia responded on Thursday by downgrading relations with Thailand.",
                "2025-07-25")  # a Friday
    assert find(doc, "SANCTION").date == "2025-07-24"


def test_prospects_are_not_acts(parse):
    assert "COERCE" not in types(parse("Pakistan said Afghans without papers must leave by "
                                       "November or face arrest and deportation."))
    assert "THREATEN" not in types(parse("The UN called on Pakistan to halt the returns, warning "
                                         "that many of those sent back face serious danger."))
    assert "MOBILIZE" not in types(parse("Russia said it would watch closely what NATO deployed "
                                         "in Finland."))


def test_the_means_of_a_possible_act_is_only_possible(parse_wide):
    doc = parse_wide("North Korea could escalate tensions by testing its missiles again.")
    assert {e.modality for e in doc._.nl_events_all if e.type == "MOBILIZE"} == {"hypothetical"}


def test_a_clause_before_a_colon_keeps_its_own_tense(parse):
    # the parser hangs "has issued" on the future verb after the colon
    assert ("THREATEN", "USA", "TUR") in coded(parse(
        "The US has issued an ultimatum to Turkey: if Ankara buys the missiles, sanctions "
        "will be imposed."))


def test_the_invasion_of_a_country_targets_it(parse):
    assert ("ASSAULT", "RUS", "UKR") in coded(parse(
        "Finland joined NATO after Russia's invasion of Ukraine."))


@pytest.mark.parametrize("text, expected", [
    ('"Putin is responsible," Biden said on Friday.', {("ACCUSE", "USA", "RUS")}),
    ("Germany said Russia was responsible for the attack.", {("ACCUSE", "DEU", "RUS")}),
    ("Russia is responsible for the attack.", set()),  # the reporter's, not a party's, judgement
    ("The ministry responsible for security said it would act.", set()),
])
def test_a_judgement_in_reported_speech_is_the_speakers_accusation(parse, text, expected):
    assert coded_as(parse(text), "ACCUSE") == expected


def test_responsibility_denials_and_the_condemned_attackers(parse):
    doc = parse("Israeli jets fired missiles at the Iranian consulate in Damascus on Monday. "
                "Iran's foreign minister said the United States also bore responsibility. "
                "A U.S. official said Washington had no involvement in the attack. "
                "Syria's foreign minister condemned what he called a terrorist attack.")
    found = coded(doc)
    assert ("ACCUSE", "IRN", "USA") in found
    assert ("REJECT", "USA", "IRN") in found  # the denial answers the accuser
    assert ("ACCUSE", "SYR", "ISR") in found  # the attack's doer, named a sentence before
    assert ("ACCUSE", "IRN", "ISR") in coded(parse("Iran holds Israel responsible for the attack."))


def test_standing_accused_is_being_accused(parse):
    assert not coded_as(parse("Two Ivorian soldiers stand accused of the bombing of the French "
                              "base."), "ACCUSE")


@pytest.mark.parametrize("text, expected", [
    ('"Iran made a big mistake, and it will pay for it," Netanyahu said.', ("THREATEN", "ISR", "IRN")),
    ("Houthi officials said the United States would pay a heavy price.", ("THREATEN", "YEM", "USA")),
    ('"I will not hesitate to order further strikes against the Houthis," Biden said.',
     ("THREATEN", "USA", "YEM")),
])
def test_spoken_threats(parse, text, expected):
    assert expected in coded(parse(text))


@pytest.mark.parametrize("text", [
    "Americans will pay higher prices for cars, Trudeau said.",
    "Americans will pay for the tariffs, Trudeau said.",
])
def test_paying_prices_is_no_threat(parse, text):
    assert "THREATEN" not in types(parse(text))


def test_raising_tariffs_is_a_sanction(parse):
    assert ("SANCTION", "USA", "CAN") in coded(parse(
        "The United States raised tariffs on Canadian steel to 50%."))


@pytest.mark.parametrize("text, expected", [
    ("Israel gave Hamas 48 hours to release the hostages.", {("THREATEN", "ISR", "PSE")}),
    ("Kenya gave the UN refugee agency 14 days to present a plan.", {("THREATEN", "KEN", "UN")}),
    ("India's foreign ministry gave the Canadian diplomat five days to leave the country.", set()),
    ("Japan gave Vietnam two weeks of training.", set()),
])
def test_ultimatums(parse, text, expected):
    assert coded_as(parse(text), "THREATEN") == expected


def test_instead_of_is_not_done(parse):
    assert "SANCTION" not in types(parse("Japan urged talks with China rather than imposing "
                                         "sanctions on Beijing."))
    assert ("REQUEST", "JPN") not in acts_by(parse(
        "A professor in Tokyo said instead of calling for an Asian NATO, Japan will likely "
        "increase its defence budget."))


def test_a_describing_apposition_does_not_replace_its_subject(parse):
    doc = parse("Chile, a close Argentine partner in the region, refused to join the embargo.")
    assert ("REJECT", "CHL") in acts_by(doc)
    assert "ARG" not in {s for _, s, _ in coded(doc)}


def test_a_statement_acts_for_its_issuer_and_on_its_day(parse):
    doc = parse("The Arab League on Tuesday issued a statement demanding that Israel lift the "
                "blockade.", published="2024-03-08")
    req = find(doc, "REQUEST")
    assert (req.source.country, req.target.country) == ("ARL", "ISR")
    assert req.date == "2024-03-05"


def test_a_light_verb_speeds_up_its_nominal_event(parse):
    assert ("RETREAT", "FRA") in acts_by(parse(
        "France accelerated the withdrawal of its troops from Mali."))


@pytest.mark.parametrize("text, expected", [
    ("Uruguay is committed to opening its markets, the minister said.", ("AGREE", "URY")),
    ("Ghana is prepared to send troops to the mission.", ("AGREE", "GHA")),
])
def test_adjectival_passives_code_like_adjectives(parse, text, expected):
    assert expected in acts_by(parse(text))


def test_an_unknown_doer_in_a_one_country_story_is_guessed_there(parse_wide):
    doc = parse_wide("The Zorbist Unity Front demanded that the Bolivian government release "
                     "its leader.")
    found = [e for e in candidates(doc) if e.type == "REQUEST"]
    assert found and found[0].source.text == "The Zorbist Unity Front"
    assert found[0].source.country == "BOL"


@pytest.mark.parametrize("text, doer", [
    ("The Zorbist Unity Front insisted on its demands that Bolivia free its leader.",
     "The Zorbist Unity Front"),
    ("The Zorbist Unity Front said it will boycott the elections in Bolivia.",
     "The Zorbist Unity Front"),
])
def test_a_candidates_pronoun_doer_is_its_antecedent(parse_wide, text, doer):
    found = [e for e in candidates(parse_wide(text)) if e.source is not None]
    assert found and found[0].source.text == doer
    assert found[0].source.country == "BOL"


def test_coordinated_country_modifiers_each_act(parse):
    assert {("ASSAULT", "USA"), ("ASSAULT", "GBR")} <= acts_by(parse(
        "U.S. and British warplanes struck rebel targets across Yemen on Friday."))


@pytest.mark.parametrize("text, done", [
    ("Macron spoke to Scholz by phone on Monday to offer help with the floods.", True),
    ("Macron met Scholz in Paris to express support for the plan.", True),
    ("Macron will call Scholz on Monday to offer help with the floods.", False),
    ("France sent engineers to Germany to offer help with the floods.", False),
])
def test_what_is_said_in_a_past_call_is_done(parse, text, done):
    doc = parse(text)
    said = [e for e in doc._.nl_events_all if e.type in ("AGREE", "SUPPORT")]
    assert said, coded(doc)
    assert (said[0].modality == "asserted") is done


@pytest.mark.parametrize("text, expected", [
    ("Chile broke off relations with Peru in solidarity with Bolivia.", ("SUPPORT", "CHL", "BOL")),
    ("Hezbollah fired rockets at Israeli positions, saying it acted in solidarity with the "
     "Palestinians.", ("SUPPORT", "LBN", "PSE")),
])
def test_in_solidarity_with(parse, text, expected):
    assert expected in coded(parse(text))


def test_a_pause_in_aid_is_no_aid(parse):
    doc = parse("Rubio said Washington wants to end the pause in aid to Ukraine.")
    assert "AID" not in types(doc)


def test_a_crowd_met_by_police_was_protesting(parse):
    doc = parse("Togolese police fired tear gas at hundreds of protesters in Lome on Sunday.")
    protest = find(doc, "PROTEST")
    assert (protest.source.country, protest.trigger.text) == ("TGO", "protesters")
    assert doc.text[protest.trigger.start:protest.trigger.end] == "protesters"
    assert "PROTEST" not in types(parse("Togolese police fired tear gas at a crowd of "
                                        "looters in Lome on Sunday."))


def test_an_implied_protest_is_not_added_twice(parse):
    doc = parse("Thousands of protesters marched in Lome and police fired tear gas at the "
                "protesters.")
    assert [e.type for e in doc._.nl_events].count("PROTEST") == 1


def test_its_names_the_body_named_before_it(parse):
    doc = parse("Kuwait cut ties with Iraq in 2019 after Iraqi protesters stormed its embassy "
                "in Baghdad.", published="2024-01-10")
    protest = find(doc, "PROTEST")
    assert (protest.source.country, protest.target.country) == ("IRQ", "KWT")
    # the storming happened some time before the cut, in the year the main clause names
    assert protest.date == "2019"


def test_its_with_a_singular_subject_is_that_subjects(parse):
    doc = parse("Washington alleges the insurgent group has not lived up to its commitment "
                "to ease violence.")
    assert ("AGREE", "USA") not in acts_by(doc)


def test_joint_talks_are_a_record_each_way_and_a_visit_one(parse):
    joint = parse("Ethiopia and Somalia held talks in Ankara on Wednesday.")
    assert coded_as(joint, "CONSULT") == {("CONSULT", "ETH", "SOM"), ("CONSULT", "SOM", "ETH")}
    visit = parse("Putin met Modi in Moscow. Modi later met Putin again at the airport.")
    assert len([e for e in visit._.nl_events if e.type == "CONSULT"]) == 1


def test_condemning_plural_attacks_reaches_every_attacker(parse):
    doc = parse("U.S. and British warplanes struck rebel targets across Yemen on Friday. Iran "
                "condemned the attacks as a violation of Yemen's sovereignty.")
    assert {("ACCUSE", "IRN", "USA"), ("ACCUSE", "IRN", "GBR")} <= coded_as(doc, "ACCUSE")
    single = parse("U.S. and British warplanes struck rebel targets across Yemen on Friday. "
                   "Iran condemned the American attack.")
    assert ("ACCUSE", "IRN", "GBR") not in coded(single)


def test_a_bare_definite_noun_names_the_body_it_repeats(parse):
    doc = parse("Ghana's defence ministry said it had tracked two Togolese drones. The ministry "
                "condemned Lome for the incursion.")
    assert ("ACCUSE", "GHA", "TGO") in coded(doc)


def test_a_deployment_aims_at_what_it_is_sent_to_watch(parse):
    doc = parse("Ghana scrambled jets and deployed warships to monitor the Togolese forces.")
    assert ("MOBILIZE", "GHA", "TGO") in coded(doc)


def test_unknown_gunmen_are_not_the_attackers_named_elsewhere(parse):
    doc = parse("Togo shelled Ghanaian positions on Monday. The crisis began when gunmen killed "
                "26 people, most of them tourists, in Kumasi on April 22.", published="2025-05-10")
    killing = [e for e in doc._.nl_events if e.trigger and e.trigger.text == "killed"]
    assert killing and killing[0].source is None and killing[0].target.country == "GHA"
    assert killing[0].date == "2025-04-22"


def test_gunmen_from_a_place_come_from_its_country(parse):
    doc = parse("Two gunmen from the occupied West Bank opened fire in Jaffa, killing seven "
                "people.")
    assert ("ASSAULT", "PSE") in acts_by(doc)


def test_talks_before_an_agreement_are_held_and_their_mediator_meets_both(parse):
    doc = parse("Ghana and Togo have agreed to end their dispute, after marathon talks in the "
                "Nigerian capital mediated by President Bola Tinubu.")
    assert {("CONSULT", "GHA", "TGO"), ("CONSULT", "NGA", "GHA"), ("CONSULT", "NGA", "TGO")} \
        <= {(t, s, g) for t, s, g in coded(doc)} | {(t, g, s) for t, s, g in coded(doc)}


def test_militants_loyal_to_a_country_s_leader_come_from_it(parse):
    doc = parse("Militants loyal to Iraq's al-Qaeda frontman said they attempted to assassinate "
                "Prime Minister Iyad Allawi.")
    attack = find(doc, "ASSAULT")
    assert attack.source.country == "IRQ" and attack.source.sector is None
    assert attack.source.text.startswith("Militants loyal to")


def test_a_candidate_with_no_doer_is_guessed_where_it_happened(parse_wide):
    doc = parse_wide("A Zorbist national has been put under investigation in Italy for her "
                     "role in the riots.")
    found = [e for e in candidates(doc) if e.type == "ACCUSE"]
    assert found and found[0].source.country == "ITA" and found[0].source.text == ""


@pytest.mark.parametrize("text, threat", [
    ("Biden called the fall a fundamental act of justice but warned of a period of risk and "
     "uncertainty in Syria.", False),
    ("Netanyahu warned Hamas of a long war.", True),
    ("Iran warned Israel against any attack on its nuclear sites.", True),
])
def test_a_warning_of_risk_is_no_threat(parse, text, threat):
    assert ("THREATEN" in types(parse(text))) is threat


def test_an_anniversary_is_no_new_attack(parse):
    doc = parse("The deadline would be the 20th anniversary of the terrorist strikes against the "
                "United States.")
    assert "ASSAULT" not in types(doc)


def test_a_named_group_of_ones_own_country_is_another_party(parse):
    doc = parse("The Pakistan military said it killed 33 BLA militants in Balochistan.")
    assert ("ASSAULT", "PAK", "PAK") in coded(doc)
    assert [e.target.text.split()[0] for e in doc._.nl_events if e.type == "ASSAULT"] == ["BLA"]


def test_as_opposed_to_is_no_objection(parse):
    doc = parse("Turkish pilots would train in Moscow, as opposed to decades of U.S. training.")
    assert "ACCUSE" not in types(doc)


def test_fighting_an_invasion_is_two_attacks_and_since_dates_the_invasion(parse):
    doc = parse("Leaders met to discuss guarantees for Ukraine, which has been fighting Russia's "
                "full-scale invasion since February 2022.", published="2025-03-01")
    assert {("ASSAULT", "UKR", "RUS"), ("ASSAULT", "RUS", "UKR")} <= coded(doc)
    invasion = [e for e in doc._.nl_events if e.trigger.text == "invasion"][0]
    assert invasion.date == "2022-02"


def test_doing_the_same_repeats_the_act_just_told(parse):
    doc = parse("Canada imposed sanctions on Iran on Monday. Australia followed suit on Tuesday, "
                "and New Zealand did the same.", published="2025-05-07")
    assert {("SANCTION", "AUS", "IRN"), ("SANCTION", "NZL", "IRN")} <= coded(doc)
    assert "ACCUSE" not in types(doc)  # no lawsuit in "followed suit"
    aus = [e for e in doc._.nl_events if e.source.country == "AUS"][0]
    assert aus.date == "2025-05-06" and aus.trigger.text.startswith("followed")


@pytest.mark.parametrize("text, asserted", [
    ("Sheinbaum said her government would set out its response on Sunday at a public rally "
     "in Mexico City.", False),
    ("Canada said Indian agents may have been involved in the killing of a Sikh leader near "
     "Vancouver in June.", True),
])
def test_an_act_in_a_phrase_of_a_plain_future_is_to_come(parse, text, asserted):
    doc = parse(text)
    acts = [e for e in doc._.nl_events_all if e.type in ("PROTEST", "ASSAULT")]
    assert acts and (acts[0].modality == "asserted") is asserted


def test_a_strike_that_killed_is_one_attack(parse):
    doc = parse("Iran vowed that Israel would be punished for an air strike on Iran's "
                "consulate in Damascus that killed two generals.")
    # one attack, real although it sits in what was vowed, by the one to be punished for it
    assert coded_as(doc, "ASSAULT") == {("ASSAULT", "ISR", "IRN")}
    assert [e.trigger.text for e in doc._.nl_events if e.type == "ASSAULT"] == ["strike"]


def test_killed_in_clashes_with_the_rebels_named_before(parse):
    doc = parse("M23 rebels seized Goma on Monday. At least 13 foreign soldiers, including nine "
                "South Africans, have been killed in clashes with the rebels.")
    assert ("ASSAULT", "COD", "ZAF") in coded(doc)


def test_an_act_before_another_takes_its_year(parse):
    doc = parse("M23 rebels briefly occupied Goma in 2012 before withdrawing from the city.",
                published="2025-01-28")
    retreat = [e for e in doc._.nl_events if e.type == "RETREAT"]
    assert retreat and retreat[0].date == "2012"


def test_a_time_phrase_is_no_particle(parse):
    doc = parse("On Nov. 2, U.S. Secretary of State Rex Tillerson called Russian Foreign Minister "
                "Sergey Lavrov to discuss Syria.")
    assert "REQUEST" not in types(doc) and ("CONSULT", "USA", "RUS") in coded(doc)
    req = find(parse("Macron on Monday called on Russia to withdraw its troops."), "REQUEST")
    assert req.trigger.text == "called on"


@pytest.mark.parametrize("text, expected", [
    ("The United States has provided nearly $1.7 billion in humanitarian assistance to Jordan.",
     ("AID", "USA", "JOR")),
    ("Germany provided 6.3 million euros to Lebanon for refugee projects.", ("AID", "DEU", "LBN")),
    ("China donated vaccines to the Philippines in February.", ("AID", "CHN", "PHL")),
])
def test_giving_money_or_goods_is_aid(parse, text, expected):
    assert expected in coded(parse(text))


def test_twenty_million_chickens_are_no_money(parse):
    assert "AID" not in types(parse("Central African states provide less than 20 million of "
                                    "the 150 million chickens needed in Cameroon."))


def test_war_games_joint_or_alone_and_a_hyphenated_cease_fire(parse):
    assert {("COOPERATE", "BRA", "ARG"), ("COOPERATE", "ARG", "BRA")} <= coded(parse(
        "The armies of Brazil and Argentina performed joint war games in October."))
    assert ("MOBILIZE", "CHN", "TWN") in coded(parse("China held war games around Taiwan."))
    assert "CONCEDE" in types(parse("Afghan President Ashraf Ghani on Thursday announced a "
                                    "weeklong cease-fire with the Taliban."))


def test_going_on_strike_is_a_protest(parse):
    assert ("PROTEST", "MEX") in acts_by(parse("30,000 workers in Mexico went on strike for "
                                              "better wages."))
    assert "PROTEST" not in types(parse("Israel went on to strike targets in Gaza."))


def test_expelled_from_a_country_by_that_country(parse):
    doc = parse("Two French diplomats have been expelled from Mali, the foreign ministry said.")
    assert ("SANCTION", "MLI") in acts_by(doc)


def test_exercises_held_together_are_cooperation(parse):
    doc = parse("French and Egyptian warships on Monday launched ten days of war games in the "
                "Mediterranean Sea.")
    assert coded_as(doc, "COOPERATE") == {("COOPERATE", "FRA", "EGY"), ("COOPERATE", "EGY", "FRA")}
    assert {e.cameo for e in doc._.nl_events} == {"062"}


@pytest.mark.parametrize("text, root", [
    ("Germany urged Ethiopia to free the journalists.", "02"),
    ("Norway called on Sudan to open the border.", "02"),
    ("Germany demanded that Ethiopia free the journalists.", "10"),
])
def test_an_appeal_is_not_a_demand(parse, text, root):
    # both are PLOVER REQUEST; CAMEO (and its Goldstein scale) tells them apart
    assert [e.cameo[:2] for e in parse(text)._.nl_events if e.type == "REQUEST"] == [root]


def test_a_retyped_act_keeps_a_cameo_code_of_its_own_type(parse):
    doc = parse("Japan protested to China over the detention of its citizen.")
    assert [e.cameo[:2] for e in doc._.nl_events if e.type == "ACCUSE"] == ["11"]


def test_a_main_clause_misread_as_a_relative_clause_takes_the_head_noun_as_doer(nlp):
    # the small model's reading of "The X government, a number of parties and the Y on Monday
    # condemned ...": no verb root, "condemned" a subjectless relative clause on "number"
    from spacy.tokens import Doc

    from newsledger.extract.events import subjects
    words = ["The", "Malian", "government", ",", "a", "number", "of", "parties",
             "condemned", "the", "decision", "."]
    heads = [2, 2, 2, 2, 5, 2, 5, 6, 5, 10, 8, 2]
    deps = ["det", "amod", "ROOT", "punct", "det", "appos", "prep", "pobj", "relcl", "det",
            "dobj", "punct"]
    pos = ["DET", "ADJ", "NOUN", "PUNCT", "DET", "NOUN", "ADP", "NOUN", "VERB", "DET", "NOUN",
           "PUNCT"]
    tags = ["DT", "JJ", "NN", ",", "DT", "NN", "IN", "NNS", "VBD", "DT", "NN", "."]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos, tags=tags)
    assert [t.text for t in subjects(doc[8])] == ["government"]
    # a relative clause with its own subject keeps it: "the parties that condemned"
    words2 = ["the", "parties", "that", "condemned", "the", "decision", "met", "."]
    doc2 = Doc(nlp.vocab, words=words2, heads=[1, 6, 3, 1, 5, 3, 6, 6],
               deps=["det", "nsubj", "nsubj", "relcl", "det", "dobj", "ROOT", "punct"],
               pos=["DET", "NOUN", "PRON", "VERB", "DET", "NOUN", "VERB", "PUNCT"],
               tags=["DT", "NNS", "WDT", "VBD", "DT", "NN", "VBD", "."])
    assert [t.text for t in subjects(doc2[3])] == ["parties"]


def test_a_name_cut_into_several_subjects_is_one_doer(nlp):
    # "Libyan Prime Minister Fayez al-Sarraj meanwhile rejected": the small model may attach
    # each piece of the name to the verb as its own subject
    from spacy.tokens import Doc

    from newsledger.extract.events import subjects
    words = ["Malian", "Prime", "Minister", "Moussa", "Mara", "meanwhile", "rejected", "it", "."]
    heads = [2, 2, 6, 4, 6, 6, 6, 6, 6]
    deps = ["amod", "compound", "nsubj", "compound", "nsubj", "advmod", "ROOT", "dobj", "punct"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps)
    assert [t.text for t in subjects(doc[6])] == ["Minister", "Mara"]
    # subjects apart from each other stay apart: the first is the doer
    words2 = ["Mali", "on", "Monday", "Niger", "rejected", "it", "."]
    doc2 = Doc(nlp.vocab, words=words2, heads=[4, 4, 1, 4, 4, 4, 4],
               deps=["nsubj", "prep", "pobj", "nsubj", "ROOT", "dobj", "punct"])
    assert [t.text for t in subjects(doc2[4])] == ["Mali"]


def test_a_bare_preposition_takes_the_noun_the_parser_made_a_subject(nlp):
    # "granted asylum to five officers holed up in ...": "officers" parsed as the subject of
    # "holed", the preposition left with no object
    from spacy.tokens import Doc

    from newsledger.extract.events import pobjs
    words = ["Peru", "granted", "asylum", "to", "five", "officers", "holed", "up", "."]
    heads = [1, 1, 1, 1, 5, 6, 1, 6, 1]
    deps = ["nsubj", "ROOT", "dobj", "prep", "nummod", "nsubj", "advcl", "prt", "punct"]
    tags = ["NNP", "VBD", "NN", "IN", "CD", "NNS", "VBN", "RP", "."]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, tags=tags)
    assert [t.text for t in pobjs(doc[3])] == ["officers"]
    # a preposition with its object keeps it
    doc2 = Doc(nlp.vocab, words=["sent", "aid", "to", "Peru"], heads=[0, 0, 0, 2],
               deps=["ROOT", "dobj", "prep", "pobj"])
    assert [t.text for t in pobjs(doc2[2])] == ["Peru"]


def test_rebels_attacking_their_own_country_s_army_aim_at_the_army(parse):
    ev = find(parse("Boko Haram fighters ambushed a Nigerian army convoy."), "ASSAULT")
    assert (ev.source.sector, ev.target.country, ev.target.sector) == ("REB", "NGA", "MIL")


@pytest.mark.parametrize("text, typ", [
    ("The talks between Kenya and Uganda were cancelled.", "CONSULT"),
    ("No agreement was reached between Kenya and Uganda.", "AGREE"),
    ("Kenya sent no troops to Somalia.", "MOBILIZE"),
])
def test_acts_called_off_or_denied_by_no_are_not_facts(parse_wide, text, typ):
    doc = parse_wide(text)
    assert all(e.modality != "asserted" for e in doc._.nl_events_all if e.type == typ)
    assert typ in {e.type for e in doc._.nl_events_all}  # found, and flagged

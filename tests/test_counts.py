"""Casualty, arrest, displacement and crowd counts: a table of phrasings (our own sentences)."""
import pytest

from newsledger.extract.counts import counts_in, counts_in_text, find_counts, parse_number

# sentence, expected {kind: value}; kinds not listed must be None
CASES = [
    ("The attack claimed 26 lives.", {"dead": 26}),
    ("Gunmen killed 26 tourists on Tuesday.", {"dead": 26}),
    ("At least 12 people were killed in the blast.", {"dead": 12}),
    ("The death toll rose to 5,000 on Friday.", {"dead": 5000}),
    ("Quake death toll tops 5,000.", {"dead": 5000}),
    ("The number of deaths has risen to 64.", {"dead": 64}),
    ("Two soldiers died in the ambush.", {"dead": 2}),
    ("The drone strike hit a car, killing three.", {"dead": 3}),
    ("Five people were killed.", {"dead": 5}),
    ("Twenty-six people were killed.", {"dead": 26}),
    ("Two hundred and fifty people were killed.", {"dead": 250}),
    ("Fifty-one people were killed in 2019.", {"dead": 51}),
    ("Several people were killed.", {"dead": 3}),
    ("Israeli strikes killed 40 Palestinians overnight.", {"dead": 40}),
    ("The army said it killed 30 militants.", {"dead": 30}),
    ("The plane crashed, killing all 239 people on board.", {"dead": 239}),
    ("A 7.8 magnitude earthquake killed 1,000 people.", {"dead": 1000}),
    ("After 12 years of war, 300 were killed.", {"dead": 300}),
    ("The bomb exploded, wounding 30.", {"injured": 30}),
    ("30 injured in the stampede.", {"injured": 30}),
    ("Three police officers were wounded.", {"injured": 3}),
    ("Dozens were injured when police fired tear gas.", {"injured": 24}),
    ("Scores of people were injured.", {"injured": 40}),
    ("The blast killed at least 15 and injured 40 others.", {"dead": 15, "injured": 40}),
    ("The clashes left 7 dead and 20 wounded.", {"dead": 7, "injured": 20}),
    ("Police said 3 people died and 11 were hurt.", {"dead": 3, "injured": 11}),
    ("Police said about 1,200 people were detained.", {"arrested": 1200}),
    ("About 1,200 people detained after the riots.", {"arrested": 1200}),
    ("A dozen people were arrested.", {"arrested": 12}),
    ("Police detained 80 protesters.", {"arrested": 80}),
    ("Authorities have arrested 14 suspects.", {"arrested": 14}),
    ("1,500 demonstrators were arrested.", {"arrested": 1500}),
    ("On May 5, 2025, police arrested 45 people.", {"arrested": 45}),
    ("The floods displaced 1.2 million people.", {"displaced": 1_200_000}),
    ("More than 3,000 people have been displaced by the fighting.", {"displaced": 3000}),
    ("Some 400,000 people fled their homes.", {"displaced": 400_000}),
    ("Hundreds of protesters gathered outside parliament.", {"size": 200}),
    ("Thousands of rioters clashed with police.", {"size": 2000}),
    ("Tens of thousands of demonstrators marched in the capital.", {"size": 20_000}),
    ("Hundreds of thousands of people took to the streets.", {"size": 200_000}),
    ("A crowd of 50,000 gathered in the square.", {"size": 50_000}),
    ("Nearly 100,000 people rallied in the capital.", {"size": 100_000}),
    ("The rally drew tens of thousands.", {"size": 20_000}),
    # traps: none of these numbers is a count
    ("A 26-year-old man was arrested.", {}),
    ("Fighting spread to 10 provinces.", {}),
    ("The government paid $5 million to families.", {}),
    ("The 1990s saw 5 coups.", {}),
    ("He was killed at 3 pm.", {}),
    ("5 people from the village were questioned.", {}),
    ("The ceasefire held for 12 days.", {}),
    ("Inflation rose to 12 percent.", {}),
    ("The budget cut, leaving a gap of $40 million.", {}),
    ("No one was killed in the fire.", {}),
    ("Millions of chickens were killed to stop the outbreak.", {}),
    ("The ferry was held at the port for two days.", {}),
    ("A dispute joined by three neighbours dragged on.", {}),
    # more phrasings
    ("Commandos freed 120 hostages and killed 12 gunmen.", {"dead": 12}),
    ("Officials said 400 workers were freed, 9 of whom were injured.", {"injured": 9}),
    ("The raid left at least five people dead.", {"dead": 5}),
    ("Dozens of people were killed in the attack.", {"dead": 24}),
    ("At least 26 people, including a Nepali national, were killed.", {"dead": 26}),
    ("Twelve students, most of them teenagers, were arrested.", {"arrested": 12}),
    ("Nine soldiers, including two officers, were wounded.", {"injured": 9}),
    ("The landslide claimed the lives of 31 villagers.", {"dead": 31}),
    ("Rights groups condemned the arrest of 70 activists.", {"arrested": 70}),
    ("A crowd estimated at 10,000 filled the stadium.", {"size": 10_000}),
    ("A million people marched through the city.", {"size": 1_000_000}),
    ("The explosion left 17 injured.", {"injured": 17}),
    ("The 26 killed were mostly tourists.", {"dead": 26}),
    ("He was killed two years ago.", {}),
    ("A drone strike killed members of the group.", {}),
    ("A roadside bomb killed a soldier on patrol.", {"dead": 1}),
    ("A suicide bomber killed 12 people at the market.", {"dead": 12}),
    ("The ambush killed two soldiers and three civilians.", {"dead": 5}),
    ("Four police officers and 11 protesters were killed.", {"dead": 15}),
]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_counts_table(text, expected):
    got = counts_in_text(text)
    for kind in ("dead", "injured", "arrested", "displaced", "size"):
        assert getattr(got, kind) == expected.get(kind), kind


def test_table_is_large_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("text,value,approx", [
    ("five", 5, False), ("twenty-six", 26, False), ("1.2 million", 1_200_000, False),
    ("a dozen", 12, False), ("dozens", 24, True), ("hundreds", 200, True),
    ("thousands", 2000, True), ("tens of thousands", 20_000, True), ("5,000", 5000, False),
    ("at least 12", 12, True), ("three hundred thousand", 300_000, False),
    ("one hundred twenty", 120, False),
])
def test_parse_number(text, value, approx):
    assert parse_number(text) == (value, approx)


def test_evidence_offsets_point_at_the_number():
    text = "Officials said at least 12 people were killed and 30 injured."
    got = counts_in_text(text, offset=100)
    dead = got.evidence["dead"]
    assert (dead.text, dead.approximate) == ("at least 12", True)
    assert text[dead.start - 100:dead.end - 100] == "at least 12"
    inj = got.evidence["injured"]
    assert text[inj.start - 100:inj.end - 100] == "30"
    assert "killed" in dead.evidence.text


def test_largest_figure_of_a_kind_wins():
    got = counts_in_text("The strike killed 26; later the death toll rose to 31.")
    assert got.dead == 31
    assert len([c for c in got.found if c.kind == "dead"]) == 2


def test_counts_in_span_uses_doc_offsets(parse):
    doc = parse("Talks resumed on Monday. Gunmen killed 26 tourists in the valley.")
    sent = list(doc.sents)[1]
    got = counts_in(sent)
    assert got.dead == 26
    c = got.evidence["dead"]
    assert doc.text[c.start:c.end] == "26"


def test_empty_counts_are_falsy():
    assert not counts_in_text("The minister met his counterpart.")


def test_find_counts_takes_text_span_or_doc(parse):
    doc = parse("Police detained 80 protesters.")
    assert find_counts(doc.text).arrested == find_counts(doc).arrested == 80
    assert find_counts(doc[:]).arrested == 80

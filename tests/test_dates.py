"""Temporal expressions: the normaliser on its own (table-driven) and the finder on parsed text."""
import datetime as dt

import pytest

from newsledger.extract.dates import (
    all_dates, date_of_span, find_dates, normalise, resolve_month_day, resolve_weekday,
)
from newsledger.model import TimeExpr

D = dt.date.fromisoformat

# (text, published, future, expected (value, granularity) or None)
CASES = [
    # explicit dates, as written
    ("May 5, 2025", "2024-01-01", None, ("2025-05-05", "day")),
    ("5 May 2025", "2024-01-01", None, ("2025-05-05", "day")),
    ("2025-05-05", "2024-01-01", None, ("2025-05-05", "day")),
    ("05/04/2025", "2024-01-01", None, ("2025-05-04", "day")),  # US order: month first
    ("Oct. 7, 2023", "2025-01-20", None, ("2023-10-07", "day")),
    ("Monday (May 05)", "2025-05-05", None, ("2025-05-05", "day")),
    ("Tuesday, March 4", "2025-03-04", None, ("2025-03-04", "day")),
    ("October 2021", "2023-04-17", None, ("2021-10", "month")),
    ("Feb 2022", "2023-04-17", None, ("2022-02", "month")),
    ("Sept. 2021", "2023-04-17", None, ("2021-09", "month")),
    ("in 2019", "2025-05-05", None, ("2019", "year")),
    ("2016", "2023-03-10", None, ("2016", "year")),
    ("mid-2024", "2025-05-05", None, ("2024", "year")),
    ("early 2011", "2013-03-22", None, ("2011", "year")),
    # day and month without a year: nearest sensible year, weighed by tense
    ("April 22", "2025-05-05", None, ("2025-04-22", "day")),
    ("May 9", "2025-05-05", None, ("2025-05-09", "day")),
    ("May 9", "2025-05-05", False, ("2025-05-09", "day")),  # a few days ahead survives the past
    ("Jan. 31", "2023-01-09", False, ("2023-01-31", "day")),
    ("Dec. 30", "2025-01-02", None, ("2024-12-30", "day")),  # year boundary, backwards
    ("Jan 3", "2024-12-30", True, ("2025-01-03", "day")),  # year boundary, forwards
    ("Dec. 15", "2024-02-05", True, ("2024-12-15", "day")),
    ("Dec. 15", "2024-02-05", False, ("2023-12-15", "day")),
    ("June 18", "2023-09-19", False, ("2023-06-18", "day")),
    # month names: past unless the context points ahead
    ("late December", "2023-01-09", False, ("2022-12", "month")),
    ("November", "2024-01-12", None, ("2023-11", "month")),
    ("January", "2024-12-12", False, ("2024-01", "month")),
    ("the end of February", "2024-12-12", True, ("2025-02", "month")),
    ("July", "2024-03-19", None, ("2024-07", "month")),
    ("March", "1989-10-30", None, ("1989-03", "month")),
    ("April last year", "2023-05-10", None, ("2022-04", "month")),
    ("this September", "2025-05-07", None, ("2025-09", "month")),
    ("last September", "2025-05-07", None, ("2024-09", "month")),
    # weekdays: the most recent one for past or unknown context, the next one for the future
    ("Monday", "2025-05-07", False, ("2025-05-05", "day")),
    ("Monday", "2025-05-07", None, ("2025-05-05", "day")),
    ("Friday", "2025-05-07", True, ("2025-05-09", "day")),
    ("Wednesday", "2025-05-07", None, ("2025-05-07", "day")),  # the publication day itself
    ("Wednesday", "2025-05-07", True, ("2025-05-07", "day")),
    ("last Wednesday", "2025-05-07", None, ("2025-04-30", "day")),
    ("next Wednesday", "2025-05-07", None, ("2025-05-14", "day")),
    ("last Friday", "2024-10-02", None, ("2024-09-27", "day")),
    ("Sunday afternoon", "2023-01-09", None, ("2023-01-08", "day")),
    ("Sunday evening", "2023-01-09", None, ("2023-01-08", "day")),
    ("late on Sunday", "2023-01-09", None, ("2023-01-08", "day")),
    ("early on Saturday", "2023-10-08", None, ("2023-10-07", "day")),
    ("Saturday", "2025-01-02", None, ("2024-12-28", "day")),  # across the new year
    # relative expressions
    ("yesterday", "2025-05-05", None, ("2025-05-04", "day")),
    ("yesterday", "2025-01-01", None, ("2024-12-31", "day")),
    ("yesterday", "2024-03-01", None, ("2024-02-29", "day")),  # leap day
    ("the previous day", "2026-06-03", None, ("2026-06-02", "day")),
    ("the day before", "2025-03-01", None, ("2025-02-28", "day")),
    ("three days ago", "2025-03-02", None, ("2025-02-27", "day")),
    ("two years ago", "2023-01-09", None, ("2021", "year")),
    ("a month ago", "2025-01-15", None, ("2024-12", "month")),
    ("last month", "2025-01-15", None, ("2024-12", "month")),
    ("late last month", "2023-04-04", None, ("2023-03", "month")),
    ("earlier this month", "2025-05-05", None, ("2025-05", "month")),
    ("next month", "2025-12-05", None, ("2026-01", "month")),
    ("this year", "2025-05-05", None, ("2025", "year")),
    ("later this year", "2025-05-05", None, ("2025", "year")),
    ("last year", "2025-01-02", None, ("2024", "year")),
    ("next year", "2025-05-05", None, ("2026", "year")),
    ("the second half of the year", "2024-03-19", None, ("2024", "year")),
    ("the end of last year", "2024-03-19", None, ("2023", "year")),
    # ISO weeks, across the ISO year boundary too
    ("last week", "2025-05-07", None, ("2025-W18", "week")),
    ("this week", "2025-12-31", None, ("2026-W01", "week")),
    ("next week", "2025-12-28", None, ("2026-W01", "week")),
    # leap days
    ("Feb. 29", "2024-03-10", None, ("2024-02-29", "day")),
    ("Feb. 29", "2025-03-01", None, ("2024-02-29", "day")),  # the only Feb 29 in reach
    ("Feb. 29, 2024", "2025-03-01", None, ("2024-02-29", "day")),
    ("Feb. 29, 2023", "2025-03-01", None, None),  # no such day
    # left out: durations, times of day, vague words, decades
    ("for three days", "2025-05-05", None, None),
    ("two months", "2025-05-05", None, None),
    ("10 a.m.", "2025-05-05", None, None),
    ("recently", "2025-05-05", None, None),
    ("the 1990s", "2025-05-05", None, None),
    ("the past year", "2025-05-05", None, None),
]


@pytest.mark.parametrize("text,published,future,expected", CASES)
def test_normalise(text, published, future, expected):
    assert normalise(text, D(published), future=future) == expected


def test_relative_expressions_need_a_publication_date():
    assert normalise("yesterday", None) is None
    assert normalise("Monday", None) is None
    assert normalise("May 9", None) is None
    assert normalise("May 5, 2025", None) == ("2025-05-05", "day")
    assert normalise("2019", None) == ("2019", "year")


def test_years_come_from_the_publication_date_not_today():
    assert normalise("March 3", D("1999-03-10")) == ("1999-03-03", "day")
    assert normalise("this year", D("1989-11-02")) == ("1989", "year")


def test_resolvers_on_their_own():
    assert resolve_month_day(2, 30, D("2025-01-01"), None) is None
    assert resolve_weekday(0, D("2025-05-05"), False) == D("2025-05-05")
    assert resolve_weekday(0, D("2025-05-05"), True) == D("2025-05-05")
    assert resolve_weekday(0, D("2025-05-05"), None, "next") == D("2025-05-12")


# ---------------------------------------------------------------- the finder on parsed text

def found(doc):
    return [(t.text, t.value) for t in find_dates(doc)]


def test_offsets_point_at_the_text(parse):
    text = ("The two leaders spoke by phone on Monday (May 05), two weeks after the attack "
            "of April 22. They will meet again on May 9 and later this year.")
    doc = parse(text, "2025-05-05")
    exprs = find_dates(doc)
    assert [(t.text, t.value, t.granularity) for t in exprs] == [
        ("Monday (May 05)", "2025-05-05", "day"),
        ("April 22", "2025-04-22", "day"),
        ("May 9", "2025-05-09", "day"),
        ("later this year", "2025", "year"),
    ]
    for t in exprs:
        assert text[t.start:t.end] == t.text


def test_tense_decides_the_weekday(parse):
    doc = parse("The ministers met on Monday and said they will meet again on Friday.",
                "2025-05-07")
    assert found(doc) == [("Monday", "2025-05-05"), ("Friday", "2025-05-09")]


def test_future_cues_beyond_will(parse):
    doc = parse("The committee is expected to vote on Thursday, and a second reading is "
                "scheduled for Saturday.", "2025-05-05")
    assert found(doc) == [("Thursday", "2025-05-08"), ("Saturday", "2025-05-10")]


def test_dateline_and_parts_of_day(parse):
    doc = parse("LIMA, Jan 9 - Protesters gathered on Sunday afternoon and dispersed late on "
                "Sunday, police said.", "2023-01-09")
    assert found(doc) == [("Jan 9", "2023-01-09"), ("Sunday afternoon", "2023-01-08"),
                          ("late on Sunday", "2023-01-08")]


def test_month_without_year_in_past_context(parse):
    doc = parse("The minister resigned in late December and left the country in November.",
                "2023-01-09")
    assert found(doc) == [("late December", "2022-12"), ("November", "2022-11")]


def test_years_and_numbers(parse):
    doc = parse("The treaty, signed in 2001 and revised in 2016, covers 1,200 people. Talks "
                "resumed at 1500 GMT. Tensions date back to the 1990s.", "2023-03-10")
    assert found(doc) == [("2001", "2001"), ("2016", "2016")]


def test_names_sets_and_feasts_are_not_dates(parse):
    doc = parse("Theresa May said the Good Friday agreement holds. The council meets every "
                "Monday, and the market never opens on a Sunday.", "2025-05-07")
    assert found(doc) == []


def test_relative_words(parse):
    doc = parse("Police arrested two men yesterday. The group formed two years ago.",
                "2025-01-01")
    assert found(doc) == [("yesterday", "2024-12-31"), ("two years ago", "2023")]


def test_without_publication_date_only_explicit_dates(parse):
    doc = parse("The accord of May 5, 2025 was signed on Monday in 2019 style.", None)
    assert found(doc) == [("May 5, 2025", "2025-05-05"), ("2019", "2019")]


def test_component_keeps_each_expression_once(parse):
    text = "Rebels attacked on Monday. Monday's attack killed 12 people, officials said."
    doc = parse(text, "2025-05-07")
    assert all(isinstance(t, TimeExpr) for t in doc._.nl_dates)
    assert [(t.text, t.value) for t in doc._.nl_dates] == [("Monday", "2025-05-05")]
    second = text.index("Monday's")
    assert [t.start for t in all_dates(doc)] == [text.index("Monday"), second]
    hit = date_of_span(doc, second - 1, len(text))
    assert hit is not None and hit.start == second and hit.value == "2025-05-05"


def test_date_of_span_prefers_the_most_precise(parse):
    text = "In 2019 the two sides met on Tuesday in Geneva."
    doc = parse(text, "2025-05-08")
    hit = date_of_span(doc, 0, len(text))
    assert (hit.text, hit.value) == ("Tuesday", "2025-05-06")
    assert date_of_span(doc, text.index("Geneva"), len(text)) is None


def test_day_ranges_and_until(parse):
    doc = parse("Delegates met on April 22-23 and extended the truce until Jan. 31.", "2025-01-09")
    assert found(doc) == [("April 22", "2024-04-22"), ("Jan. 31", "2025-01-31")]


def test_present_tense_schedule_and_month_lists(parse):
    doc = parse("Voters go to the polls on Sunday. Prices rose in April and May, the agency "
                "says on Monday.", "2025-05-07")
    assert found(doc) == [("Sunday", "2025-05-11"), ("April", "2025-04"), ("May", "2025-05"),
                          ("Monday", "2025-05-05")]


def test_a_past_act_on_a_day_weeks_ahead_was_last_year(parse):
    doc = parse("At least 23 civilians were killed on February 5 as government forces launched "
                "air strikes. Celebrations are planned for the holiday on February 20.",
                "2018-01-10")
    values = {d.text: d.value for d in doc._.nl_dates}
    assert values["February 5"] == "2017-02-05"  # the killing itself: it cannot lie ahead
    assert values["February 20"] == "2018-02-20"  # a holiday named, not an act's day

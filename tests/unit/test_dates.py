from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitate.dates import DueDateError, describe_date, parse_due
from tests.data import INVALID_DATES, TODAY, VALID_DATES


@pytest.mark.parametrize("text,expected", VALID_DATES.items())
def test_reads_due_date_words(text, expected):
    assert parse_due(text, TODAY).date == expected


@pytest.mark.parametrize("text", INVALID_DATES)
def test_unreadable_dates_raise_with_examples(text):
    with pytest.raises(DueDateError) as raised:
        parse_due(text, TODAY)
    assert "Try:" in str(raised.value)


def test_iso_dates_are_never_flipped():
    # dateutil with dayfirst=True would read this as 12 March.
    assert parse_due("2026-03-12", TODAY).date == date(2026, 3, 12)
    assert parse_due("2026-12-03", TODAY).date == date(2026, 12, 3)


def test_in_two_weeks_is_not_the_second_of_the_month():
    # dateutil's fuzzy mode reads "in 2 weeks" as the 2nd.
    assert parse_due("in 2 weeks", TODAY).date == TODAY + timedelta(weeks=2)


def test_weekday_on_the_same_day_means_a_week_today():
    assert parse_due("thu", TODAY).date == TODAY + timedelta(days=7)


def test_weekday_that_does_not_match_the_date_is_an_error():
    with pytest.raises(DueDateError, match="is a Friday, not a Thursday"):
        parse_due("Thu 4 Dec", TODAY)


def test_describe_date():
    assert describe_date(TODAY, TODAY) == "today (Thu 26 Nov)"
    assert describe_date(date(2026, 11, 27), TODAY) == "tomorrow (Fri 27 Nov)"
    assert describe_date(date(2027, 1, 4), TODAY) == "Mon 4 Jan 2027"
    assert "past" in describe_date(date(2026, 11, 20), TODAY)


weekdays = st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@given(today=days, day=weekdays)
def test_weekday_is_within_the_next_seven_days(today, day):
    due = parse_due(day, today).date
    assert 1 <= (due - today).days <= 7
    assert due.strftime("%a").lower() == day


@given(today=days, day=weekdays)
def test_next_weekday_is_in_next_week(today, day):
    due = parse_due(f"next {day}", today).date
    monday_next = today + timedelta(days=7 - today.weekday())
    assert monday_next <= due < monday_next + timedelta(days=7)


@given(today=days, n=st.integers(min_value=0, max_value=500))
def test_in_n_days_and_weeks(today, n):
    assert parse_due(f"in {n} days", today).date == today + timedelta(days=n)
    assert parse_due(f"in {n} weeks", today).date == today + timedelta(weeks=n)


@given(today=days, when=st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_iso_round_trips(today, when):
    assert parse_due(when.isoformat(), today).date == when


@given(today=days, when=days)
def test_day_first_with_year_round_trips(today, when):
    assert parse_due(f"{when.day}/{when.month}/{when.year}", today).date == when


@given(today=days, when=days)
def test_day_month_without_year_is_never_far_in_the_past(today, when):
    try:
        due = parse_due(f"{when.day} {when:%b}", today).date
    except DueDateError:
        return
    assert (due.month, due.day) == (when.month, when.day)
    assert -62 <= (due - today).days <= 366 * 4


@given(st.text(max_size=80))
def test_any_text_reads_or_raises_due_date_error(text):
    try:
        result = parse_due(text, TODAY)
    except DueDateError:
        return
    assert isinstance(result.date, date)


def test_short_date_for_tables():
    from facilitate.dates import short_date

    today = date(2026, 11, 26)
    assert short_date("2026-12-03", today) == "Thu 3 Dec"
    assert short_date("2026-12-03", today, weekday=False) == "3 Dec"
    assert short_date("2027-01-08", today) == "8 Jan 2027"
    assert short_date(None, today) == "–"
    assert short_date("someday\x1b[31m", today) == "someday"

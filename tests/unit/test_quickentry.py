from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitate.quickentry import (
    ActionEntry,
    DecisionEntry,
    EntryError,
    LeftEntry,
    NoteEntry,
    PersonEntry,
    ProposalEntry,
    parse_entry,
)
from tests.data import HOSTILE, LONG, TODAY


def test_person_with_organisation():
    assert parse_entry("+Asha Patel, Age UK", TODAY) == PersonEntry("Asha Patel", "Age UK")


def test_person_without_organisation():
    assert parse_entry("+ Ben Ode ", TODAY) == PersonEntry("Ben Ode", "")


def test_person_name_with_a_comma_in_quotes():
    assert parse_entry('+"Smith, John", Council', TODAY) == PersonEntry("Smith, John", "Council")


def test_person_organisation_keeps_later_commas():
    assert parse_entry("+Mo, Health, Care & Co", TODAY) == PersonEntry("Mo", "Health, Care & Co")


def test_leaving():
    assert parse_entry("-Asha", TODAY) == LeftEntry("Asha")


def test_action_with_owner_and_due_date():
    entry = parse_entry("!Asha: call the discharge team by fri", TODAY)
    assert isinstance(entry, ActionEntry)
    assert (entry.owner, entry.text, entry.due.date) == ("Asha", "call the discharge team", date(2026, 11, 27))
    assert entry.due.text == "fri"


def test_action_due_marker_is_the_last_by():
    entry = parse_entry("!Ben: stand by the door by next tue", TODAY)
    assert entry.text == "stand by the door"
    assert entry.due.date == date(2026, 12, 1)


def test_action_long_tail_after_by_is_text():
    entry = parse_entry("!Ben: meet by the river at the north entrance", TODAY)
    assert entry.text == "meet by the river at the north entrance"
    assert entry.due is None


def test_action_with_unreadable_short_date_keeps_the_words_for_fixing():
    entry = parse_entry("!Ben: send notes by fir", TODAY)
    assert entry == ActionEntry("send notes", "Ben", None, due_unread="fir")
    entry = parse_entry("!Mark: chase the estates team by someday", TODAY)
    assert (entry.text, entry.due, entry.due_unread) == ("chase the estates team", None, "someday")


def test_a_readable_date_leaves_nothing_unread():
    assert parse_entry("!Ben: send notes by fri", TODAY).due_unread == ""


def test_action_by_dash_keeps_the_text():
    entry = parse_entry("!Ben: stand by me by -", TODAY)
    assert (entry.text, entry.due) == ("stand by me", None)


def test_action_without_owner_or_date():
    assert parse_entry("!book the room", TODAY) == ActionEntry("book the room")


def test_action_due_with_iso_date():
    assert parse_entry("!Cai: report due 2026-12-03", TODAY).due.date == date(2026, 12, 3)


def test_decision_and_note_and_proposal():
    assert parse_entry("=We meet monthly", TODAY) == DecisionEntry("We meet monthly")
    assert parse_entry("Parking is a problem", TODAY) == NoteEntry("Parking is a problem")
    assert parse_entry("*Discharge delays @Asha", TODAY) == ProposalEntry("Discharge delays", "Asha")


def test_backslash_keeps_a_note():
    assert parse_entry("\\+1 to that", TODAY) == NoteEntry("+1 to that")
    assert parse_entry("\\-5 beds", TODAY) == NoteEntry("-5 beds")


@pytest.mark.parametrize("line", ["", "   ", "+", "+ ,Org", "-", "!", "!Asha:", "=", "*", "\\", "\x1b[31m"])
def test_empty_entries_are_errors_not_records(line):
    with pytest.raises(EntryError):
        parse_entry(line, TODAY)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_kept_as_text(text):
    from facilitate.text import clean_block

    if not clean_block(text):
        with pytest.raises(EntryError):
            parse_entry("=" + text, TODAY)
        return
    entry = parse_entry("=" + text, TODAY)
    assert isinstance(entry, DecisionEntry)
    assert entry.text == clean_block(text)
    assert "\x1b" not in entry.text and "\x00" not in entry.text


def test_markup_is_kept_literally():
    assert parse_entry("+[b]Bob[/], [red]Council", TODAY) == PersonEntry("[b]Bob[/]", "[red]Council")


def test_control_characters_are_removed():
    assert parse_entry("hello\x1b[31m red\x07\x00", TODAY) == NoteEntry("hello red")


def test_ten_thousand_characters():
    entry = parse_entry(LONG, TODAY)
    assert isinstance(entry, NoteEntry)
    assert len(entry.text) == len(LONG.strip())


@given(st.text(max_size=200))
def test_any_line_parses_or_raises_entry_error(line):
    try:
        entry = parse_entry(line, TODAY)
    except EntryError:
        return
    text = getattr(entry, "text", None) or getattr(entry, "name", None) or getattr(entry, "title", "")
    assert text.strip()
    assert "\x00" not in text and "\x1b" not in text


@given(
    name=st.text(
        st.characters(blacklist_characters=",\"'", blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
        min_size=1,
        max_size=40,
    ),
    org=st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=40),
)
def test_person_round_trip(name, org):
    # A second + at the start says someone new (++Tom Reed): the name is what follows it.
    new = name.strip().startswith("+")
    expected = name.strip()[1:].strip() if new else name.strip()
    if not expected:
        return
    entry = parse_entry(f"+{name}, {org}", TODAY)
    assert entry == PersonEntry(expected, org.strip(), new=new)

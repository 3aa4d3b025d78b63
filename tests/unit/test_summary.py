"""The summary of a finished meeting: planned against actual, as a facilitator reads it."""

from facilitate.clock import format_duration
from facilitate.summary import summarise
from tests.unit.helpers import start


def test_over_is_the_difference_of_the_times_shown(clock):
    session = start(clock, None, ("open-conversation", 20), ("check-out", 10))
    clock.advance(0.6)  # moved on at once: the segment shows 0:00 actual
    session.next_segment()
    clock.advance(61.7)
    session.finish()
    first, second = summarise(session.meeting).segments
    assert format_duration(first.actual) == "0:00"
    assert first.over == -1200  # −20:00, not −19:59
    assert format_duration(second.actual) == "1:01"
    assert second.over == 61 - 600


def test_an_overrun_counts_whole_seconds(clock):
    session = start(clock, None, ("open-conversation", 1))
    clock.advance(60.9)
    session.finish()
    (row,) = summarise(session.meeting).segments
    assert row.status == "done"
    assert row.over == 0  # 1:00 of 1:00: on time, not one second over


PEOPLE = ("Asha Patel, Age UK", "Ben Ode, NHS", "Cai Jones, Council")


def test_a_round_moved_past_untouched_is_not_reported_as_nobody_heard(clock):
    session = start(clock, None, ("check-in", 10), ("round", 10), people=PEOPLE)
    first = session.round.next()
    clock.advance(30)
    second = session.round.next()
    session.round.pass_turn()  # the second passes at once
    session.next_segment()  # then the round is moved past at once
    session.next_segment()
    session.finish()
    rounds = summarise(session.meeting).rounds
    assert [r.segment.name for r in rounds] == ["Check-in"]
    (check_in,) = rounds
    assert check_in.passed == [second.name]
    assert (first.name, 30) in [(name, round(seconds)) for name, seconds in check_in.spoke]


def test_outcome_text_says_what_became_of_an_earlier_action():
    from datetime import date

    from facilitate.kinds.matters import outcome_text
    from facilitate.models import Matter

    today = date(2026, 11, 26)
    matter = Matter(meeting_id="m", item_id="i", text="send notes", owner="Eve")
    assert outcome_text(matter, today) == ""
    for outcome, extra, said in [
        ("done", {}, "done"),
        ("carried", {"new_due": "2026-12-10"}, "carried to 10 Dec"),
        ("carried", {}, "carried"),
        ("reowned", {"new_owner": "Ivy [b]New[/b]\x1b[31m"}, "given to Ivy [b]New[/b]"),
        ("dropped", {}, "dropped"),
    ]:
        assert outcome_text(Matter(meeting_id="m", item_id="i", text="t", outcome=outcome, **extra), today) == said

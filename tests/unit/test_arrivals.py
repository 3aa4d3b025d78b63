"""Arrivals recognised, offered and confirmed; someone new with a like name; people who leave a round."""

from __future__ import annotations

import pytest

from facilitate.models import LEFT, SPOKE, WAITING
from facilitate.people import SAME_NAME, SAME_WORDS, Known, PeopleDirectory
from facilitate.quickentry import EntryError, PersonEntry, parse_entry
from facilitate.summary import round_record
from tests.unit.helpers import start

TOM = Known("p-tom", "Dr Tom Reed", "Ely GP surgery", meetings=3)
ANNA = Known("p-anna", "Anna Reed", "County council", meetings=2)


def directory() -> PeopleDirectory:
    return PeopleDirectory([TOM, ANNA])


def test_a_near_match_is_planned_as_the_known_person_and_enter_confirms_it(clock):
    session = start(clock, None, "check-in", directory=directory())
    plan = session.plan_arrival("Tom Reed")
    assert (plan.kind, plan.known, plan.how, plan.near) == ("known", TOM, SAME_WORDS, True)
    assert (plan.name, plan.organisation) == ("Dr Tom Reed", "Ely GP surgery")
    captured = session.capture("+Tom Reed")
    attendee = captured.attendee
    assert (attendee.person_id, attendee.name, attendee.new) == ("p-tom", "Dr Tom Reed", False)
    assert "typed as 'Tom Reed'" in captured.message
    assert len(session.meeting.attendees) == 1


def test_someone_sharing_a_surname_is_someone_new(clock):
    session = start(clock, None, "check-in", directory=directory())
    captured = session.capture("+Ollie Reed, Council")
    assert captured.attendee.new and captured.attendee.person_id not in ("p-tom", "p-anna")


def test_double_plus_adds_someone_new_whatever_their_name_is_like(clock):
    assert parse_entry("++Tom Reed, Council", clock.today()) == PersonEntry("Tom Reed", "Council", new=True)
    session = start(clock, None, "check-in", directory=directory())
    assert session.plan_arrival("Tom Reed", new=True).kind == "new"
    captured = session.capture("++Tom Reed, Council")
    assert captured.attendee.new and captured.attendee.name == "Tom Reed"
    assert captured.attendee.person_id != "p-tom"
    # The Dr Tom Reed the archive knows can still arrive, by his own name.
    assert session.capture("+Dr Tom Reed").attendee.person_id == "p-tom"


def test_equally_near_people_are_an_error_that_says_how_to_choose(clock):
    tim = Known("p-tim", "Tim Reed", "Council")
    session = start(clock, None, "check-in", directory=PeopleDirectory([TOM, tim]))
    with pytest.raises(EntryError, match=r"2 people could be 'T Reed'.*organisation.*\+\+T Reed"):
        session.capture("+T Reed")
    assert session.meeting.attendees == []
    assert session.capture("+T Reed, Council").attendee.person_id == "p-tim"


def test_a_near_match_of_someone_here_is_not_a_second_record(clock):
    session = start(clock, None, "check-in", directory=directory())
    session.capture("+Dr Tom Reed")
    with pytest.raises(EntryError, match=r"Dr Tom Reed is already here \(for 'tom reed'\).*\+\+tom reed"):
        session.capture("+tom reed")
    session.capture("-Tom")
    back = session.capture("+Tom Reed")
    assert back.kind == "back" and len(session.meeting.attendees) == 1


def test_the_same_name_is_no_question(clock):
    session = start(clock, None, "check-in", directory=directory())
    plan = session.plan_arrival("dr tom REED")
    assert plan.kind == "known" and plan.how == SAME_NAME and not plan.near


def test_completion_and_leaving_match_any_word_and_accents(clock):
    zoe = Known("p-zoe", "Zoë Ångström", "Carers Trust")
    session = start(clock, None, "check-in", directory=PeopleDirectory([TOM, ANNA, zoe]))
    assert [p.id for p in session.suggest_people("reed")] == ["p-tom", "p-anna"]
    session.capture("+Zoe Angstrom")
    assert [a.name for a in session.suggest_present("angs")] == ["Zoë Ångström"]
    assert session.capture("-zoe").attendee.name == "Zoë Ångström"


# -- leaving during a round ------------------------------------------------------------------


def test_someone_who_leaves_drops_out_of_the_rest_of_the_round(clock):
    session = start(clock, None, "check-out", people=("Asha Patel", "Mark Lee", "Ben Ode"))
    session.round.next()  # Asha
    clock.advance(20)
    session.capture("-Mark")
    turns = {session.meeting.attendee(t.person_id).name: t.state for t in session.segment.round.turns}
    assert turns["Mark Lee"] == LEFT
    assert session.round.upcoming().name == "Ben Ode"
    assert session.round.next().name == "Ben Ode"
    clock.advance(20)
    assert session.round.next() is None, "the round is over without Mark"
    record = round_record(session.meeting, session.segment)
    assert record.left == ["Mark Lee"] and record.not_heard == []


def test_leaving_with_the_floor_ends_the_turn_and_coming_back_waits_again(clock):
    session = start(clock, None, "check-out", people=("Asha Patel", "Mark Lee", "Ben Ode"))
    session.round.next()
    session.round.next()  # Mark has the floor
    clock.advance(15)
    session.capture("-Mark")
    mark = session.segment.round.turns[1]
    assert mark.state == SPOKE and session.round.speaker() is None and mark.spoke == pytest.approx(15)
    # Someone who left before their turn and comes back waits for it again.
    session.capture("-Ben")
    assert session.segment.round.turns[2].state == LEFT
    session.capture("+Ben Ode")
    assert session.segment.round.turns[2].state == WAITING
    assert session.round.next().name == "Ben Ode"


def test_leaving_after_the_round_is_not_leaving_it(clock):
    session = start(clock, None, "check-in", "open-conversation", people=("Asha Patel", "Mark Lee"))
    session.round.next()
    clock.advance(10)
    session.next_segment()
    session.capture("-Mark")
    record = round_record(session.meeting, session.meeting.segments[0])
    assert record.not_heard == ["Mark Lee"] and record.left == []

"""The richer formats in a session on a fake clock: phases, open space, Lean Coffee, matters arising."""

import random

import pytest

from facilitate.archive import Archive
from facilitate.dates import parse_due
from facilitate.events import Start
from facilitate.followups import current
from facilitate.kinds.open_space import wall_problems
from facilitate.quickentry import EntryError
from facilitate.session import MeetingSession
from tests.data import TODAY
from tests.unit.helpers import make_meeting, start

PEOPLE = ("Asha Patel, Age UK", "Ben Ode, NHS", "Cai Jones, Council", "Dee Lane, Carers Trust")


def test_phases_are_timed_like_segments(clock):
    session = start(clock, None, "1-2-4-all")
    assert [p.seconds for p in session.segment.phases] == [60, 120, 240, 300]
    assert session.countdown() == 60
    clock.advance(61)
    assert "Time is up: 1: alone" in session.check_time_up()
    assert session.check_time_up() is None
    session.phases.next()
    note = session.capture("pairs found common ground").item
    assert note.context == {"phase": "2: pairs"}
    clock.advance(100)
    assert session.countdown() == pytest.approx(20)
    session.phases.previous()
    assert session.segment.phase == 0
    assert [round(p.elapsed) for p in session.segment.phases[:2]] == [61, 100]


def test_a_phased_segment_can_be_resized(library):
    segment = library["1-2-4-all"].segment(minutes=24)
    assert [p.seconds / 60 for p in segment.phases] == [2, 4, 8, 10]


def open_space_session(clock, tmp_path=None):
    session = start(clock, tmp_path, "open-space", "check-out", people=PEOPLE)
    session.phases.next()  # the marketplace
    return session


def test_marketplace_proposals_by_quick_entry(clock):
    session = open_space_session(clock)
    captured = session.capture("*Discharge delays @Asha")
    space = session.segment.open_space
    [proposal] = space.proposals
    assert "Session proposed" in captured.message
    assert (proposal.title, proposal.by) == ("Discharge delays", "Asha Patel")
    assert proposal.by_id == session.meeting.attendees[0].person_id


def test_the_wall_places_moves_swaps_and_flags(clock):
    session = open_space_session(clock)
    a = session.open_space.propose("Discharge", "Asha")
    b = session.open_space.propose("Carers' respite", "Asha")
    c = session.open_space.propose("Digital records", "Ben")
    space = session.segment.open_space
    session.open_space.place(a.id, 0, 0)
    session.open_space.place(b.id, 0, 1)
    problems = wall_problems(space)
    assert [p.kind for p in problems] == ["double-booked", "unplaced"]
    assert "Asha Patel convenes two sessions in slot 1" in problems[0].message
    session.open_space.place(b.id, 1, 1)  # move to slot 2
    session.open_space.place(c.id, 1, 1)  # c takes the cell; b was on the wall, so they swap... b goes back
    assert space.wall == {"0:0": a.id, "1:1": c.id}
    session.open_space.place(b.id, 1, 2)
    session.open_space.place(b.id, 0, 0)  # swap a and b
    assert space.wall == {"0:0": b.id, "1:2": a.id, "1:1": c.id}
    assert wall_problems(space) == []
    session.open_space.unplace(c.id)
    assert [p.kind for p in wall_problems(space)] == ["unplaced"]


def test_merging_two_proposals(clock):
    session = open_space_session(clock)
    a = session.open_space.propose("Discharge", "Asha")
    b = session.open_space.propose("Hospital discharge delays", "Ben")
    session.open_space.place(a.id, 0, 0)
    session.open_space.place(b.id, 0, 1)
    session.open_space.merge(a.id, b.id)
    space = session.segment.open_space
    assert [p.id for p in space.live_proposals] == [a.id]
    assert a.merged_titles == ["Hospital discharge delays"] and a.by == "Asha Patel & Ben Ode"
    assert space.wall == {"0:0": a.id}
    with pytest.raises(EntryError):
        session.open_space.merge(a.id, a.id)


def test_session_reports_participants_and_captures(clock):
    session = open_space_session(clock)
    a = session.open_space.propose("Discharge", "Asha")
    session.open_space.place(a.id, 0, 0)
    session.phases.next()  # slot 1
    session.open_space.focus(a.id)
    action = session.capture("!Ben: map the discharge pathway by next fri").item
    assert action.context == {"session": a.id}
    session.open_space.set_participants(a.id, [p.person_id for p in session.meeting.attendees[:3]])
    session.open_space.set_report(a.id, "We mapped the delays.\nMost are at weekends.")
    assert a.report == "We mapped the delays.\nMost are at weekends." and len(a.participants) == 3


def test_closing_circle_is_a_round(clock):
    session = open_space_session(clock)
    while session.segment.current_phase.kind != "closing":
        session.phases.next()
    assert session.segment.is_round
    assert session.round.next().name == "Asha Patel"
    clock.advance(30)
    assert session.round.speaker_elapsed() == pytest.approx(30)


def lean_session(clock, tmp_path=None, directory=None):
    session = start(clock, tmp_path, "lean-coffee", people=PEOPLE, directory=directory)
    for title in ("Winter pressures", "Volunteer drivers", "Social prescribing", "Data sharing", "Parking"):
        session.capture(f"*{title}")
    session.phases.next()  # vote
    board = session.segment.lean_coffee
    for topic, votes in zip(board.topics, (3, 5, 1, 2, 0)):
        session.lean_coffee.set_votes(topic.id, votes)
    session.phases.next()  # discuss
    return session


def test_lean_coffee_discussion_extension_and_move_on(clock):
    session = lean_session(clock)
    board = session.segment.lean_coffee
    assert session.lean_coffee.votes_cast() == (11, 12)
    assert [t.title for t in board.by_votes] == [
        "Volunteer drivers", "Winter pressures", "Data sharing", "Social prescribing", "Parking",
    ]  # fmt: skip
    session.lean_coffee.discuss(session.lean_coffee.next_topic().id)
    assert session.countdown() == 8 * 60
    clock.advance(8 * 60)
    assert "thumbs" in session.check_time_up()
    note = session.capture("Drivers need expenses paid faster").item
    assert note.context["topic"] == board.by_votes[0].id
    session.lean_coffee.thumbs(9, 2, 1, carry_on=True)
    assert session.countdown() == pytest.approx(4 * 60)
    clock.advance(4 * 60)
    assert session.check_time_up()
    assert session.lean_coffee.next_extension() == 2 * 60
    upcoming = session.lean_coffee.thumbs(2, 5, 4, carry_on=False)
    assert upcoming.title == "Winter pressures"
    drivers = board.topic(note.context["topic"])
    assert drivers.state == "done" and round(drivers.discussed) == 12 * 60
    assert [(v.up, v.sideways, v.down, v.outcome) for v in drivers.thumbs] == [
        (9, 2, 1, "continue"),
        (2, 5, 4, "move on"),
    ]


def test_topics_not_reached_are_carried_to_the_series_next_meeting(clock, tmp_path, db_path):
    session = lean_session(clock, tmp_path)
    session.lean_coffee.discuss(session.lean_coffee.next_topic().id)
    clock.advance(480)
    session.lean_coffee.thumbs(1, 1, 9, carry_on=False)  # moves on to Winter pressures
    clock.advance(300)
    session.finish()
    archive = Archive(db_path).open()
    archive.save_meeting(session.meeting)
    carried = archive.plan("East ICB").carried_topics
    assert [t.title for t in carried] == ["Data sharing", "Social prescribing", "Parking"]

    # The next meeting's plan is saved as it starts: the topics stay to be offered.
    from facilitate.planning import plan_from_agenda

    archive.save_plan(plan_from_agenda("East ICB", [], "Sam"))
    assert len(Archive(db_path).open().plan("East ICB").carried_topics) == 3

    later = start(clock, tmp_path, "lean-coffee")
    later.series_archive = Archive(db_path).open()
    # start() activated the segment before the archive was set: load now.
    later.segment.data.pop("carried_loaded", None)
    assert later.lean_coffee.load_carried() == 3
    assert [t.carried_from for t in later.segment.lean_coffee.topics] == [session.meeting.id] * 3


def test_matters_arising_over_two_earlier_meetings(clock, tmp_path, db_path):
    archive = Archive(db_path).open()
    ids = []
    for lines in (
        ["!Asha: call the discharge team by fri", "!Ben: share the plan by 3/12"],
        ["!Cai: book the room by next tue", "!Dee: write to the council"],
    ):
        earlier = start(clock, tmp_path, "open-conversation", people=PEOPLE)
        for line in lines:
            earlier.capture(line)
        clock.advance(60)
        earlier.finish()
        archive.save_meeting(earlier.meeting)
        ids.append(earlier.meeting.id)
        (tmp_path / "archive.live.jsonl").unlink()

    meeting = make_meeting("matters-arising")
    session = MeetingSession(meeting, clock, None, archive.directory(), random.Random(1), series_archive=archive)
    session.record(Start())
    session._on_activate()
    matters = session.segment.matters
    assert [m.text for m in matters] == [
        "call the discharge team",
        "share the plan",
        "book the room",
        "write to the council",
    ]
    session.matters.decide("done")
    session.matters.decide("carried", due=parse_due("in 2 weeks", TODAY))
    session.matters.decide("reowned", owner="Asha Patel")
    session.matters.decide("dropped", note="No longer needed")
    with pytest.raises(EntryError):
        session.matters.decide("reowned", index=0, owner="  ")
    session.finish()
    archive.save_meeting(session.meeting)

    again = Archive(db_path).open()
    first, second = again.meeting(ids[0]), again.meeting(ids[1])
    done, carried = first.actions
    reowned, dropped = second.actions
    # Each action stays as agreed; the outcomes are follow-ups from this meeting.
    assert all(a.status == "open" and not a.closed_at for a in (done, carried, reowned, dropped))
    assert all(a.log[-1].meeting == session.meeting.id for a in (done, carried, reowned, dropped))
    assert current(done).status == "done" and current(done).closed_at
    assert carried.due != "2026-12-10" and current(carried).due == "2026-12-10"
    assert carried.log[-1].outcome == "carried" and current(carried).status == "open"
    assert reowned.owner == "Cai Jones" and current(reowned).owner == "Asha Patel"
    assert current(dropped).status == "dropped" and dropped.log[-1].note == "No longer needed"
    # Saved again (a finish retried): the same follow-ups, not a second set.
    archive.save_meeting(session.meeting)
    assert [len(a.log) for a in Archive(db_path).open().meeting(ids[0]).actions] == [1, 1]
    assert [m.outcome for m in again.meeting(session.meeting.id).segments[0].matters] == [
        "done", "carried", "reowned", "dropped",
    ]  # fmt: skip


def test_rebalancing_an_overrun(clock):
    from facilitate.rebalance import apply_option, rebalance_options

    session = start(clock, None, ("open-conversation", 20), ("break", 15), ("round", 20), ("check-out", 10))
    assert rebalance_options(session) == []
    clock.advance(26 * 60)  # six minutes over
    options = rebalance_options(session)
    labels = [o.label for o in options]
    assert labels[0].startswith("Shorten the later segments")
    assert "Take 6 min from Break (15 min → 9 min)" in labels
    assert "Skip Break (15 min): ends 9 min early" in labels
    take = next(o for o in options if o.label.startswith("Take 6 min from Break"))
    apply_option(session, take)
    assert abs(session.drift()) < 60
    assert session.meeting.segments[1].planned == 15 * 60 and session.meeting.segments[1].allowed == 9 * 60
    shorten = rebalance_options(session)
    assert shorten == []


def test_shortening_spreads_the_overrun(clock):
    from facilitate.rebalance import apply_option, rebalance_options

    session = start(clock, None, ("open-conversation", 20), ("break", 10), ("round", 20))
    clock.advance(29 * 60)
    [shorten, *_] = rebalance_options(session)
    apply_option(session, shorten)
    assert abs(session.drift()) < 60
    assert sum(-s.adjust for s in session.meeting.segments[1:]) == 9 * 60


def test_a_damaged_earlier_meeting_does_not_stop_the_next_one_being_saved(clock, tmp_path, db_path):
    from facilitate.archive import MEETINGS
    from facilitate.models import Matter

    archive = Archive(db_path).open()
    earlier = start(clock, tmp_path, "open-conversation", people=("Asha Patel",))
    earlier.capture("!Asha: call the team by fri")
    earlier.finish()
    archive.save_meeting(earlier.meeting)
    (tmp_path / "archive.live.jsonl").unlink()
    table = archive.storage.read()[MEETINGS]
    [key] = list(table)
    table[key] = {**table.peek(key), "attendees": "not a list"}  # damaged since it was saved
    later = start(clock, tmp_path, "matters-arising")
    later.segment.matters = [
        Matter(earlier.meeting.id, earlier.meeting.items[0].id, "call the team", outcome="done", at="x")
    ]
    later.finish()
    archive.save_meeting(later.meeting)
    assert archive.has_meeting(later.meeting.id)

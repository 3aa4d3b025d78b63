"""The meeting in progress: timing, rounds, people and captures, on a fake clock."""

from datetime import date

import pytest

from facilitate.clock import format_countdown, format_duration
from facilitate.events import Skip
from facilitate.models import ACTION, DECISION, NOTE, PASSED, SPEAKING, SPOKE, WAITING, SegmentState
from facilitate.people import Known, PeopleDirectory
from facilitate.quickentry import EntryError
from tests.unit.helpers import start

PEOPLE = ("Asha Patel, Age UK", "Ben Ode, NHS", "Cai Jones, Council")


def test_countdown_from_the_clock_not_from_ticks(clock):
    session = start(clock, None, ("open-conversation", 10))
    assert session.remaining() == 600
    clock.advance(61.5)
    assert session.remaining() == pytest.approx(538.5)
    assert format_countdown(session.remaining()) == "8:59"


def test_pause_stops_the_clock_and_resume_continues(clock):
    session = start(clock, None, ("open-conversation", 10))
    clock.advance(60)
    session.pause()
    clock.advance(300)
    assert session.elapsed() == pytest.approx(60)
    session.resume()
    clock.advance(30)
    assert session.elapsed() == pytest.approx(90)


def test_overrun_is_shown_signalled_once_and_kept(clock):
    session = start(clock, None, ("open-conversation", 1), "break")
    clock.advance(59)
    assert not session.check_time_up()
    clock.advance(2)
    assert session.check_time_up()
    assert not session.check_time_up()
    clock.advance(79)
    assert format_countdown(session.remaining()) == "+1:20"
    session.next_segment()
    first = session.meeting.segments[0]
    assert first.elapsed == pytest.approx(140) and first.state == SegmentState.DONE


def test_adding_a_minute_after_time_up_allows_a_new_signal(clock):
    session = start(clock, None, ("open-conversation", 1))
    clock.advance(61)
    assert session.check_time_up()
    session.add_time(60)
    assert session.remaining() == pytest.approx(59)
    clock.advance(60)
    assert session.check_time_up()


def test_taking_a_minute_never_goes_below_zero(clock):
    session = start(clock, None, ("open-conversation", 1))
    session.add_time(-60)
    session.add_time(-60)
    assert session.segment.allowed == 0


def test_next_and_previous_segment_keep_time(clock):
    session = start(clock, None, ("check-in", 5), ("open-conversation", 10), ("break", 5))
    clock.advance(100)
    session.next_segment()
    clock.advance(50)
    session.previous_segment()
    clock.advance(20)
    first, second, _ = session.meeting.segments
    assert session.elapsed(first) == pytest.approx(120)
    assert session.elapsed(second) == pytest.approx(50)
    assert session.meeting.current == 0


def test_simulated_three_hour_meeting_is_exact_to_the_second(clock):
    session = start(clock, None, ("check-in", 30), ("open-conversation", 120), ("check-out", 30), people=PEOPLE)
    for _ in range(3 * 3600):
        clock.advance(1)
        session.check_time_up()
        if session.meeting.current == 0 and session.elapsed() >= 1800:
            session.next_segment()
        elif session.meeting.current == 1 and session.elapsed() >= 7200:
            session.next_segment()
    assert session.meeting_elapsed() == pytest.approx(10800, abs=1e-6)
    assert [round(s.elapsed) for s in session.meeting.segments[:2]] == [1800, 7200]


def test_round_order_by_arrival_and_each_speaker_timed(clock):
    session = start(clock, None, ("check-in", 10), people=PEOPLE)
    turns = session.segment.round.turns
    assert [session.meeting.attendee(t.person_id).name for t in turns] == ["Asha Patel", "Ben Ode", "Cai Jones"]
    assert session.round.speaker() is None
    clock.advance(5)  # the facilitator introduces the prompt
    assert session.round.next().name == "Asha Patel"
    clock.advance(40)
    assert session.round.speaker_remaining() == pytest.approx(20)
    assert session.round.next().name == "Ben Ode"
    clock.advance(70)
    assert format_countdown(session.round.speaker_remaining()) == "+0:10"
    session.round.pass_turn()
    clock.advance(30)
    assert session.round.next() is None
    states = [t.state for t in turns]
    assert states == [SPOKE, PASSED, SPOKE]
    assert [round(t.spoke) for t in turns] == [40, 70, 30]


def test_round_shares_show_who_was_not_heard(clock):
    session = start(clock, None, ("check-in", 10), people=PEOPLE)
    session.round.next()
    clock.advance(90)
    session.round.next()
    clock.advance(30)
    shares = {a.name: share for a, state, seconds, share in session.round.shares()}
    assert shares == {"Asha Patel": pytest.approx(0.75), "Ben Ode": pytest.approx(0.25), "Cai Jones": 0}


def test_someone_arriving_during_a_round_joins_the_end(clock):
    session = start(clock, None, ("check-in", 10), people=PEOPLE[:2])
    session.round.next()
    session.capture("+Dee Lane, Carers Trust")
    names = [session.meeting.attendee(t.person_id).name for t in session.segment.round.turns]
    assert names[-1] == "Dee Lane"


def test_round_back_returns_the_floor(clock):
    session = start(clock, None, ("check-in", 10), people=PEOPLE)
    session.round.next()
    clock.advance(10)
    session.round.next()
    clock.advance(5)
    assert session.round.back().name == "Asha Patel"
    clock.advance(5)
    turns = session.segment.round.turns
    assert (turns[0].state, turns[1].state) == (SPEAKING, WAITING)
    assert session.round.spoken(turns[0].person_id) == pytest.approx(15)
    assert session.round.spoken(turns[1].person_id) == pytest.approx(5)


def test_shuffle_keeps_who_has_spoken_first(clock):
    session = start(clock, None, ("check-in", 10), people=PEOPLE + ("Dee, X", "Eve, Y", "Fay, Z"))
    session.round.next()
    session.round.next()
    session.round.shuffle()
    turns = session.segment.round.turns
    assert session.meeting.attendee(turns[0].person_id).name == "Asha Patel"
    assert sorted(t.person_id for t in turns) == sorted(a.person_id for a in session.meeting.attendees)
    session.round.by_arrival()
    assert [t.person_id for t in turns][:1] == [session.meeting.attendees[0].person_id]


def test_move_in_round_and_give_the_floor(clock):
    session = start(clock, None, ("check-in", 10), people=PEOPLE)
    cai = session.meeting.attendees[2]
    session.round.move(cai.person_id, -2)
    assert session.segment.round.turns[0].person_id == cai.person_id
    session.round.floor(cai.person_id)
    assert session.round.speaker().name == "Cai Jones"


def test_people_who_left_are_skipped_in_the_round(clock):
    session = start(clock, None, ("check-in", 10), people=PEOPLE)
    session.capture("-Ben")
    session.round.next()
    assert session.round.next().name == "Cai Jones"


def test_per_person_time_is_editable(clock):
    session = start(clock, None, ("check-in", 10), people=PEOPLE)
    session.round.set_per_person(90)
    session.round.next()
    assert session.round.speaker_remaining() == 90


def test_known_people_are_returning_and_new_ones_new(clock):
    directory = PeopleDirectory([Known("p1", "Asha Patel", "Age UK", meetings=4)])
    session = start(clock, None, "check-in", directory=directory)
    first = session.capture("+asha patel")
    second = session.capture("+Zed New, Council")
    assert first.attendee.person_id == "p1" and not first.attendee.new
    assert first.attendee.name == "Asha Patel" and first.attendee.organisation == "Age UK"
    assert second.attendee.new and "(new)" in second.message


def test_someone_already_here_is_an_error_and_someone_who_left_comes_back(clock):
    session = start(clock, None, "check-in", people=PEOPLE)
    with pytest.raises(EntryError, match="already here"):
        session.capture("+Asha Patel")
    session.capture("-Asha")
    assert session.capture("+Asha Patel").kind == "back"
    assert len(session.meeting.attendees) == 3


def test_ambiguous_names_ask_for_more(clock):
    session = start(clock, None, "check-in", people=("Asha Patel, A", "Asha Khan, B"))
    with pytest.raises(EntryError, match="2 people match"):
        session.capture("-Asha")
    assert session.capture("-Asha K").attendee.name == "Asha Khan"


def test_action_owner_resolves_to_someone_present(clock):
    session = start(clock, None, "check-in", people=PEOPLE)
    captured = session.capture("!ben: send the slides by fri")
    item = captured.item
    assert (item.kind, item.owner, item.text, item.due) == (ACTION, "Ben Ode", "send the slides", "2026-11-27")
    assert item.owner_id == session.meeting.attendees[1].person_id
    assert item.due_text == "fri"


def test_an_action_with_due_words_not_understood_is_kept_and_flagged_until_edited(clock):
    session = start(clock, None, "check-in", people=PEOPLE)
    captured = session.capture("!Ben: chase the estates team by someday")
    item = captured.item
    assert (item.kind, item.owner, item.text, item.due, item.due_text) == (
        ACTION, "Ben Ode", "chase the estates team", None, "someday"
    )
    assert item.due_not_understood
    assert "date not understood" in captured.message and "someday" in captured.message
    session.edit_item(item.id, due="2026-12-04", due_text="4 Dec")
    assert not session.meeting.item(item.id).due_not_understood
    plain = session.capture("!Ben: no date at all").item
    assert not plain.due_not_understood


def test_action_owner_may_be_anyone(clock):
    session = start(clock, None, "check-in", people=PEOPLE)
    item = session.capture("!Director of Nursing: reply in 2 weeks").item
    assert item.owner == "Director of Nursing" and item.owner_id is None
    assert item.text == "reply in 2 weeks" and item.due is None
    item = session.capture("!Director of Nursing: reply by in 2 weeks").item
    assert item.due == date(2026, 12, 10).isoformat()


def test_items_record_their_segment_and_speaker(clock):
    session = start(clock, None, "check-in", "open-conversation", people=PEOPLE)
    session.round.next()
    session.round.next()
    note = session.capture("Ben worries about winter").item
    assert note.segment_id == session.meeting.segments[0].id
    assert note.speaker_id == session.meeting.attendees[1].person_id
    session.next_segment()
    decision = session.capture("=Meet monthly").item
    assert decision.segment_id == session.meeting.segments[1].id and decision.speaker_id is None


def test_items_can_be_edited_and_deleted(clock):
    session = start(clock, None, "open-conversation", people=PEOPLE)
    note = session.capture("frist draft").item
    session.edit_item(note.id, text="first draft")
    assert session.meeting.item(note.id).text == "first draft"
    with pytest.raises(EntryError):
        session.edit_item(note.id, text="   ")
    session.delete_item(note.id)
    assert session.meeting.items == []


def test_blank_entries_record_nothing(clock):
    session = start(clock, None, "open-conversation")
    for line in ("", "   ", "=", "!", "+"):
        with pytest.raises(EntryError):
            session.capture(line)
    assert session.meeting.items == [] and session.meeting.attendees == []


def test_proposals_outside_open_space_are_refused(clock):
    session = start(clock, None, "open-conversation")
    with pytest.raises(EntryError, match="open space"):
        session.capture("*A topic")


def test_kinds_of_capture(clock):
    session = start(clock, None, "open-conversation")
    kinds = [session.capture(line).item.kind for line in ("a note", "=a decision", "!an action")]
    assert kinds == [NOTE, DECISION, ACTION]


def test_skipped_segments_are_passed_over(clock):
    session = start(clock, None, "check-in", "open-conversation", "break")
    session.record(Skip(segment=session.meeting.segments[1].id))
    session.next_segment()
    assert session.meeting.current == 2
    assert session.meeting.segments[1].state == SegmentState.SKIPPED


def test_projected_end_moves_with_an_overrun(clock):
    session = start(clock, None, ("open-conversation", 10), ("break", 10))
    assert session.drift() == pytest.approx(0)
    clock.advance(900)
    assert session.drift() == pytest.approx(300)
    assert format_duration(session.meeting_elapsed()) == "15:00"


def test_a_segment_added_during_the_meeting_comes_next_and_survives_a_crash(clock, tmp_path):
    from facilitate.live import LiveFile
    from facilitate.session import replay_meeting
    from tests.unit.helpers import LIBRARY

    session = start(clock, tmp_path, ("check-in", 10), ("open-conversation", 30), people=PEOPLE)
    clock.advance(60)
    session.insert_segment(LIBRARY["round"].segment(minutes=12))
    assert [s.name for s in session.meeting.segments] == ["Check-in", "Round", "Open conversation"]
    assert session.segment.name == "Check-in"  # the current segment carries on
    assert session.next_segment()
    assert session.segment.name == "Round"
    assert session.segment.planned == 12 * 60
    assert len(session.segment.round.turns) == len(PEOPLE)  # everyone here is in its round
    replayed = replay_meeting(LiveFile.read(tmp_path / "archive.live.jsonl"))[0]
    assert replayed.to_dict() == session.meeting.to_dict()


def test_the_time_spoken_and_the_overrun_never_disagree(clock):
    from facilitate.clock import format_elapsed

    session = start(clock, None, ("check-in", 10), people=PEOPLE)
    session.round.set_per_person(20)
    session.round.next()
    for spoken in (0.3, 19.4, 20.0, 20.2, 24.3, 59.99):
        clock.advance(spoken - session.round.speaker_elapsed())
        used = format_elapsed(session.round.speaker_elapsed(), 20)
        shown = format_countdown(session.round.speaker_remaining())

        def seconds(text: str) -> int:
            minutes, secs = text.lstrip("+").split(":")
            return int(minutes) * 60 + int(secs)

        if shown.startswith("+"):
            assert seconds(used) - 20 == seconds(shown), (spoken, used, shown)
        else:
            assert seconds(used) + seconds(shown) == 20, (spoken, used, shown)


def test_the_end_of_the_meeting_is_told_in_the_minutes_shown(clock):
    session = start(clock, None, ("open-conversation", 30), ("break", 25))
    assert session.end_outlook() == ("Ends about 10:55", 0)
    clock.advance(30 * 60 + 50)  # 50 seconds over: the end moves from 10:55 to 10:55:50
    assert session.end_outlook() == ("Ends about 10:55", 0)
    clock.advance(80)  # now 10:57:10 against 10:55: two minutes as shown, not "+1 min" of 130 seconds
    assert session.end_outlook() == ("Ends about 10:57\n2 min late (plan 10:55)", 2)
    session.next_segment()
    session.add_time(-10 * 60)
    words, late = session.end_outlook()
    assert late < 0 and "min early (plan 10:55)" in words

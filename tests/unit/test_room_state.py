"""What the room sees: per segment kind, the countdowns, and never anything private."""

from __future__ import annotations

import json

import pytest

from facilitate import kinds as kinds_module
from facilitate.clock import FakeClock
from facilitate.events import Data
from facilitate.kinds import Kind
from facilitate.room.state import BLANK, room_state, waiting
from facilitate.session import MeetingSession
from tests.data import HOSTILE
from tests.room_meetings import MOMENTS, drive, start_meeting


def state_at(moment: str, clock: FakeClock | None = None):
    clock = clock or FakeClock()
    session = drive(start_meeting(clock, None), moment)
    return session, room_state(session.meeting, session.pending_time(), clock.wall())


def test_every_kind_of_segment_has_its_view():
    kinds = {segment.kind for segment in start_meeting(FakeClock(), None).meeting.segments}
    assert kinds <= set(kinds_module.names())
    # Each kind with something beyond the countdown builds its own part of the room's screen.
    own = {kind.name for kind in kinds_module.all_kinds() if type(kind).room is not Kind.room}
    assert own == {"round", "phases", "open-space", "lean-coffee", "matters-arising", "fist-to-five"}


@pytest.mark.parametrize("moment", MOMENTS)
def test_the_state_is_plain_json_and_never_private(moment):
    session, state = state_at(moment)
    text = json.dumps(state.to_dict(), ensure_ascii=False)
    assert json.loads(text) == state.to_dict()
    for segment in session.meeting.segments:
        for line in segment.guidance.split("\n"):
            if len(line) > 30:
                assert line.strip() not in text, "the facilitator's guidance reached the room"
    for note in session.meeting.notes:
        assert note.text not in text
    for attendee in session.meeting.attendees:
        if len(attendee.organisation) > 4:  # ("GP" is in a session's title)
            assert attendee.organisation not in text


def test_a_round_shows_the_speaker_with_their_own_countdown_the_next_three_and_who_spoke():
    clock = FakeClock()
    session, state = state_at("round", clock)
    body = state.body
    assert body["view"] == "round"
    assert body["speaker"]["name"] == "Zoë Ångström"
    assert body["speaker"]["clock"]["remaining"] == pytest.approx(60 - 20)
    assert body["next"] == ["Tom Reed", "مريم الحسن", "Mark Li"]
    assert body["spoken"] == [{"name": "Asha Patel", "passed": False}, {"name": "Ben Ode", "passed": True}]
    clock.advance(45)
    later = room_state(session.meeting, session.pending_time())
    assert later.body["speaker"]["clock"]["remaining"] == pytest.approx(-5)
    assert later.body["speaker"]["clock"]["overrun"]


def test_the_countdown_overruns_and_says_so():
    _, state = state_at("timer")
    assert state.clock["remaining"] == pytest.approx(-60)
    assert state.clock["overrun"] and not state.clock["warning"]
    assert state.segment["name"] == "Open conversation"
    assert state.next == {"name": "1-2-4-All", "minutes": 12.0, "what": "segment"}
    assert [row["state"] for row in state.agenda] == ["done", "now", "next", "later", "later", "later"]


def test_a_phased_format_shows_the_phase_its_prompt_and_its_countdown():
    _, state = state_at("phases")
    assert state.body["phase"] == "2: pairs"
    assert state.body["prompt"].startswith("In pairs")
    assert state.clock["remaining"] == pytest.approx(120 - 45)
    assert state.next["name"] == "4: foursomes" and state.next["what"] == "phase"
    assert [s["state"] for s in state.body["steps"]] == ["done", "now", "later", "later"]


def test_open_space_opening_marketplace_and_wall():
    _, opening = state_at("opening")
    assert opening.body["view"] == "opening"
    assert "Whoever comes is the right people." in opening.body["principles"]
    _, market = state_at("marketplace")
    assert market.body["view"] == "marketplace"
    assert [p["title"][:9] for p in market.body["proposals"]][:2] == ["Discharge", "Carers' v"]
    assert market.body["proposals"][0]["placed"] and not market.body["proposals"][1]["placed"]
    _, wall = state_at("wall")
    assert wall.body["view"] == "wall"
    assert wall.body["current_slot"] == 0
    assert len(wall.body["slots"]) == 3 and wall.body["spaces"] == ["Room 1", "Room 2", "Room 3"]
    assert wall.body["slots"][1]["sessions"][0]["title"].startswith("Social prescribing")
    assert wall.body["slots"][2]["sessions"] == [None, None, None]


def test_lean_coffee_topics_by_votes_the_current_topic_its_timebox_and_the_thumbs():
    _, vote = state_at("lean-vote")
    assert vote.body["view"] == "vote"
    assert [(t["title"], t["votes"]) for t in vote.body["topics"]][:2] == [("Winter pressures", 5), ("Shared care records", 3)]
    _, discuss = state_at("lean-discuss")
    assert discuss.body["current"]["title"] == "Winter pressures"
    assert discuss.body["thumbs"] == {"topic": "Winter pressures", "up": 6, "sideways": 2, "down": 1, "outcome": "continue"}
    # The countdown is the topic's: eight minutes, then half as long again, 8:35 of it used.
    assert discuss.clock["allowed"] == pytest.approx(12 * 60)
    assert discuss.clock["remaining"] == pytest.approx(12 * 60 - 8 * 60 - 35)


def test_decisions_and_actions_show_only_when_the_facilitator_shows_them():
    session, state = state_at("record")
    assert state.record == {
        "decisions": ["We meet monthly from January"],
        "actions": [
            {"text": "call the discharge team", "owner": "Asha Patel", "due": "2026-12-03"},
            {"text": "share the transport survey", "owner": "Tom Reed", "due": ""},
        ],
    }
    session.record(Data(segment=session.segment.id, key="room_record", value=False))
    assert room_state(session.meeting, 0).record is None


def test_blanking_lasts_until_the_segment_changes():
    clock = FakeClock()
    session = start_meeting(clock, None)
    session.record(Data(segment=session.segment.id, key=BLANK, value=True))
    assert room_state(session.meeting, 0).blank
    session.next_segment()
    assert not room_state(session.meeting, 0).blank


def test_paused_and_finished_and_waiting():
    clock = FakeClock()
    session = start_meeting(clock, None)
    session.pause()
    clock.advance(100)
    state = room_state(session.meeting, 100)
    assert state.paused and state.clock["remaining"] == pytest.approx(15 * 60 - 90)
    session.finish()
    assert room_state(session.meeting, 0).status == "finished"
    assert waiting("Old\x1b[31m meeting").to_dict()["ended"] == "Old meeting"


@pytest.mark.parametrize("text", HOSTILE[:12] + ["<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>"])
def test_hostile_text_stays_text_without_controls(text):
    clock = FakeClock()
    session = MeetingSession.begin(start_meeting(clock, None).meeting, clock, None)
    session.meeting.title = text
    session.arrive(f"Dr {text}")
    session.round.floor(session.meeting.attendees[-1].person_id)
    state = room_state(session.meeting, 0).to_dict()
    dumped = json.dumps(state)
    assert "\\u001b" not in dumped and "\\u0007" not in dumped and "\\u0000" not in dumped
    if "<" in text:
        assert state["title"] == text
        assert state["body"]["speaker"]["name"] == f"Dr {text}"

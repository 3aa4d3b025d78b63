"""Fist to five, the worked example of a format kind: its event, replay, record and room."""

from __future__ import annotations

import pytest

from facilitate import kinds
from facilitate.export.markdown import render
from facilitate.kinds.fist_to_five import FingersCounted, counts_of, reading
from facilitate.live import LiveFile
from facilitate.room.state import room_state
from facilitate.session import MeetingSession, replay_meeting
from tests.unit.helpers import LIBRARY, start


def test_the_registry_finds_the_kind_and_the_format():
    assert "fist-to-five" in kinds.names()
    assert FingersCounted in kinds.get("fist-to-five").events
    assert LIBRARY["fist-to-five"].segment().kind == "fist-to-five"


def test_hands_are_counted_replayed_and_recorded(clock, tmp_path):
    session = start(clock, tmp_path, "fist-to-five", people=("Asha Patel", "Ben Ode"))
    segment = session.segment
    assert session.fist_to_five.counts() is None
    session.fist_to_five.count([1, 0, 2, 3, 4, 2])
    session.fist_to_five.count([0, 1, 2, 3, 4, 2])  # counted again: replaces the counts
    assert counts_of(segment) == [0, 1, 2, 3, 4, 2]
    assert reading([0, 1, 2, 3, 4, 2]) == "12 hands, average 3.3 of 5 (3 at two or fewer)"
    # The journal gives back the same meeting.
    session.live.close()
    meeting, _, _, unread = replay_meeting(LiveFile.read(tmp_path / "archive.live.jsonl"))
    assert unread == [] and counts_of(meeting.segments[0]) == [0, 1, 2, 3, 4, 2]
    # The record: the question and the counts.
    session.finish()
    page = render(session.meeting)
    assert "**Question:** How ready are we to take this forward?" in page
    assert "| Hands | 0 | 1 | 2 | 3 | 4 | 2 |" in page
    assert "12 hands, average 3.3 of 5 (3 at two or fewer)." in page


@pytest.mark.parametrize("bad", [[1, 2, 3], [1, 2, 3, 4, 5, -1], [1, 2, 3, 4, 5, 1.5], [0] * 5 + [10_001]])
def test_anything_but_six_whole_counts_is_refused_and_nothing_recorded(clock, bad):
    session = start(clock, None, "fist-to-five")
    with pytest.raises(ValueError):
        session.fist_to_five.count(bad)
    assert session.fist_to_five.counts() is None


def test_counting_outside_a_fist_to_five_is_refused(clock):
    session = start(clock, None, "open-conversation")
    with pytest.raises(ValueError, match="Not in a fist to five"):
        session.fist_to_five.count([0, 0, 0, 1, 1, 1])


def test_the_room_sees_the_counts_once_they_are_in(clock):
    session: MeetingSession = start(clock, None, "fist-to-five")
    assert room_state(session.meeting, 0.0).body == {"kind": "fist-to-five", "view": "fist-to-five"}
    session.fist_to_five.count([0, 0, 1, 1, 1, 0])
    body = room_state(session.meeting, 0.0).body
    assert body["counts"] == [0, 0, 1, 1, 1, 0] and body["reading"] == "3 hands, average 3.0 of 5 (1 at two or fewer)"

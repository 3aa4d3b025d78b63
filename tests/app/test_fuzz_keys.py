"""Random keys through the app: no crash, and nothing the session acknowledged goes missing.

Hypothesis types random sequences of characters (hostile ones included),
pastes, meeting keys, dialogs and clock jumps on a fake clock. Afterwards the
live file must replay to exactly the meeting in memory: every event was
written before the screen moved on, and replaying it gives the same record.
If the meeting got finished along the way, the archive holds it instead.
"""

from __future__ import annotations

import asyncio
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events

from facilitate.archive import Archive
from facilitate.live import LiveFile
from facilitate.session import MeetingSession, replay_meeting
from screens.app import make_app
from screens.run import RunScreen
from tests.app.pilot import paste, until, wait_archive, wait_until_quiet
from tests.data import HOSTILE
from tests.unit.helpers import make_meeting

CHARACTERS = list("abcXYZ019 +-!=*\\:,./@#[]()'\"<>|`~_") + ["é", "👩🏽‍⚕️", "م", "\u202e"]
SPECIAL = [
    "enter", "enter", "enter", "backspace", "left", "right", "down", "up", "tab", "escape", "space",
    "ctrl+n", "ctrl+b", "ctrl+t", "ctrl+r", "ctrl+g", "ctrl+l", "ctrl+y", "ctrl+o", "ctrl+f", "f2", "home", "end",
]
KEY = st.one_of(
    st.sampled_from(CHARACTERS).map(lambda c: ("key", c)),
    st.sampled_from(CHARACTERS).map(lambda c: ("key", c)),
    st.sampled_from(SPECIAL).map(lambda k: ("key", k)),
    st.sampled_from(["+Asha Patel, Age UK", "!Asha: call the team by fri", "=We agree", "a note"] + HOSTILE)
    .map(lambda text: ("paste", text)),
    st.integers(1, 900).map(lambda seconds: ("tick", seconds)),
)
KEY_NAMES = {" ": "space"}


def key_name(character: str) -> str:
    if len(character) == 1 and (character.isalnum() or character in "+-!=*:,./@#[]()'\"<>|`~_\\"):
        return {" ": "space"}.get(character, character)
    return character


async def drive(config, clock, actions) -> None:
    session = MeetingSession.begin(
        make_meeting("check-in", "open-conversation"), clock, config.live_path, rng=random.Random(3)
    )
    session.live.close()
    app = make_app(config)
    async with app.run_test(size=(90, 28)) as pilot:
        await wait_archive(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen)
        for kind, value in actions:
            if not app.is_running:
                break
            if kind == "tick":
                clock.advance(value)
                if isinstance(app.screen, RunScreen):
                    app.screen.tick()
            elif kind == "paste":
                # Only into the capture line: pasted into a dialog, an "y" could answer it.
                if isinstance(app.screen, RunScreen):
                    await paste(pilot, value)
            elif value == "ctrl+q":
                continue
            else:
                await pilot.press(key_name(value))
        await pilot.pause()
        await app.workers.wait_for_complete()
    # Read the meeting in memory only once the app has stopped: until then its
    # clock tick may still record an event (a time-up) after the snapshot.
    live = app.session
    finished = live is None or live.meeting.status == "finished"
    memory = (live or session).meeting.to_dict() if live is not None else None
    if config.live_path.exists():
        on_disk = replay_meeting(LiveFile.read(config.live_path))[0].to_dict()
        assert memory is None or on_disk == memory, "the live file does not replay to the meeting in memory"
    else:
        assert finished
        archive = Archive(config.db_path).open()
        assert archive.has_meeting(session.meeting.id)
        if memory is not None:
            assert archive.meeting(session.meeting.id).to_dict() == memory


def fresh(config) -> None:
    for path in config.db_path.parent.glob("archive*"):
        if path.is_file():
            path.unlink()


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

ACTIONS = st.lists(KEY, min_size=5, max_size=60)


@fuzz(6)
@given(actions=ACTIONS)
def test_random_keys_never_crash_and_lose_nothing(config, clock, actions):
    fresh(config)
    asyncio.run(drive(config, clock, actions))


@pytest.mark.slow
@fuzz(100)
@given(actions=ACTIONS)
def test_many_random_key_sequences(config, clock, actions):
    fresh(config)
    asyncio.run(drive(config, clock, actions))


async def test_keys_typed_faster_than_the_app_keep_each_capture_separate(config, clock):
    """Enter is taken in order with the characters around it, however far behind the app is."""
    MeetingSession.begin(make_meeting("open-conversation"), clock, config.live_path).live.close()
    app = make_app(config)
    async with app.run_test(size=(90, 28)) as pilot:
        await wait_archive(pilot)
        await pilot.press("r")
        await pilot.pause()
        lines = [f"note number {n:02d} by fri" for n in range(25)] + ["+Asha Patel, Age UK", "=We agree"]
        # Queued all at once, as a terminal delivers a burst of typing.
        for line in lines:
            for character in line:
                app.post_message(events.Key(KEY_NAMES.get(character, character), character))
            app.post_message(events.Key("enter", "\r"))
        await wait_until_quiet(pilot)
        meeting = app.session.meeting
        await until(pilot, lambda: len(meeting.items) >= 26 and meeting.attendees, "every line is taken")
        await pilot.pause()
        assert [item.text for item in meeting.items] == lines[:25] + ["We agree"]
        assert [a.name for a in meeting.attendees] == ["Asha Patel"]

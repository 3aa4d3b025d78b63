"""Hypothesis types edit sequences into the capture line; the captures must be what the keys say.

Each example is a few captures' worth of characters and editing keys, queued
to the app at once (as a burst from a terminal), checked against `LineModel`.
"""

from __future__ import annotations

import asyncio
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual import events
from textual.keys import _character_to_key

from facilitate.session import MeetingSession
from screens.app import make_app
from screens.run import RunScreen
from tests.app.pilot import wait_archive, wait_until_quiet
from tests.keys_model import EDIT_KEYS, LETTERS, TEXT, LineModel
from tests.unit.helpers import make_meeting


@st.composite
def edit_sequences(draw) -> tuple[list[str], LineModel]:
    model = LineModel()
    keys: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        for _ in range(draw(st.integers(1, 25))):
            key = draw(st.one_of(st.sampled_from(TEXT), st.sampled_from(EDIT_KEYS)))
            if not model.value and len(key) == 1 and not key.isalnum():
                key = draw(st.sampled_from(LETTERS))
            if model.allows(key):
                model.press(key)
                keys.append(key)
        if model.allows("enter"):
            model.press("enter")
            keys.append("enter")
    return keys, model


def key_event(key: str) -> events.Key:
    if len(key) == 1:
        return events.Key(_character_to_key(key), key)  # as Textual's parser names it
    return events.Key(key, "\r" if key == "enter" else None)


async def type_into_the_capture_line(config, clock, keys: list[str]) -> tuple[list[str], str]:
    session = MeetingSession.begin(make_meeting("open-conversation"), clock, config.live_path, rng=random.Random(3))
    session.live.close()
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_archive(pilot)
        await pilot.press("r")
        await wait_until_quiet(pilot)
        assert isinstance(app.screen, RunScreen)
        for key in keys:
            app.post_message(key_event(key))
        await wait_until_quiet(pilot)
        items = [item.text for item in app.session.meeting.items]
        return items, app.screen.query_one("#entry").value


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=edit_sequences())
def test_the_capture_line_ends_as_the_keys_say(config, clock, case):
    keys, model = case
    for path in config.db_path.parent.glob("archive*"):
        if path.is_file():
            path.unlink()
    items, left = asyncio.run(type_into_the_capture_line(config, clock, keys))
    assert items == model.captured
    assert left == model.value

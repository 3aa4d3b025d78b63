"""Hostile text typed into the run screen shows as text: no markup, no escapes, no actions, no crash."""

from __future__ import annotations

import random

from facilitate.live import LiveFile
from facilitate.session import MeetingSession, replay_meeting
from screens.app import make_app
from screens.run import RunScreen
from screens.summary import SummaryScreen
from tests.app.pilot import enter, screen_text, wait_archive
from tests.data import HOSTILE, HOSTILE_MORE, HUGE
from tests.unit.helpers import make_meeting


async def test_every_hostile_string_as_person_action_and_note(config, clock):
    MeetingSession.begin(make_meeting("open-conversation"), clock, config.live_path,
                         rng=random.Random(2)).live.close()
    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_archive(pilot)
        await pilot.press("r")
        await pilot.pause()
        prefixes = ["+", "!Sam: ", "\\", "="]
        for number, text in enumerate(HOSTILE + HOSTILE_MORE):
            line = prefixes[number % len(prefixes)] + text
            await enter(pilot, line)
            assert app.is_running, f"{line!r} stopped the app"
            assert isinstance(app.screen, RunScreen), f"{line!r} left the run screen"
        await enter(pilot, "\\[@click=app.quit]q[/]")
        shown = screen_text(app)
        assert "[@click=app.quit]q[/]" in shown, "markup shown as typed"
        assert "\x1b" not in shown and "\x00" not in shown
        await enter(pilot, HUGE)
        assert app.is_running
        session = app.session
        assert replay_meeting(LiveFile.read(config.live_path))[0].to_dict() == session.meeting.to_dict()
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "\x1b" not in screen_text(app)


async def test_notices_show_user_text_as_text(config, clock):
    """Toasts quoting what people typed (a Lean Coffee topic here) never read it as markup."""
    from tests.app.formats_pilot import arrive, plan_with

    app = make_app(config)
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_with(pilot, "lean-coffee")
        await arrive(pilot, "Asha Patel, Age UK")
        await enter(pilot, "*[b]Parking[/b] [@click=app.quit]q[/]")
        clock.advance(300)
        await pilot.press("right", "right")  # the vote, then the discussion
        await pilot.pause()
        app.clear_notifications()
        await pilot.press("right")  # the topic starts: a notice names it
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("[b]Parking[/b]" in m for m in messages), messages
        assert all(not n.markup for n in app._notifications)
        assert "Discussing: [b]Parking[/b] [@click=app.quit]q[/]" in screen_text(app)
        assert app.is_running

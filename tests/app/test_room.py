"""The room's view in a terminal: each format's layout, big digits, present mode, following another app.

Snapshots: uv run pytest tests/app/test_room.py --snapshot-update (look at each first).
"""

from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest

from facilitate.clock import FakeClock
from facilitate.config import Config
from facilitate.events import Data
from facilitate.room.follower import JournalFollower
from screens.app import make_app
from screens.bigdigits import best_layout
from screens.room import BigClock, RoomApp, RoomView
from tests.app.formats_pilot import arrive, plan_with
from tests.app.pilot import enter, until
from tests.room_meetings import MOMENTS, drive, start_meeting

SIZES = [(80, 24), (160, 45)]


def room_app(tmp_path, moment: str | None, theme: str = "projector") -> RoomApp:
    """A room following a journal written by a meeting at `moment`, on a frozen clock."""
    clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
    live = tmp_path / "archive.live.jsonl"
    if moment is not None:
        drive(start_meeting(clock, live), moment).live.close()
    return RoomApp(JournalFollower(live), theme=theme, wall=clock.wall, poll_seconds=3600)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("moment", MOMENTS)
def test_room_layout(snap_compare, tmp_path, moment, size):
    assert snap_compare(room_app(tmp_path, moment), terminal_size=size)


def test_room_waiting_and_dark(snap_compare, tmp_path):
    assert snap_compare(room_app(tmp_path, None, theme="dark"), terminal_size=(80, 24))


def test_room_dark_overrun(snap_compare, tmp_path):
    assert snap_compare(room_app(tmp_path, "timer", theme="dark"), terminal_size=(80, 24))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("moment", [m for m in MOMENTS if m != "wall"])
async def test_the_digits_fill_at_least_a_third_of_the_screen(tmp_path, moment, size):
    app = room_app(tmp_path, moment)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        clock = app.screen.query_one(BigClock)
        layout = best_layout(clock.text, *clock.size)
        assert layout is not None, f"no big digits for {clock.text!r} in {clock.size}"
        assert layout.rows() >= size[1] / 3, (clock.text, clock.size, layout)


@pytest.mark.parametrize("text", ["0:05", "12:34", "+59:59", "1:02:03", "+1:02:03", "+12:00:00"])
def test_the_largest_layout_that_fits_is_chosen(text):
    for columns, rows in ((80, 9), (160, 20), (40, 6), (20, 3)):
        layout = best_layout(text, columns, rows)
        if layout is None:
            continue
        from screens.bigdigits import render

        lines = render(text, layout)
        assert len(lines) <= rows and max(map(len, lines)) <= columns
        bigger = [(layout.width + 1, layout.height), (layout.width, layout.height + 1)]
        for width, height in bigger:
            from screens.bigdigits import Layout, units

            grown = Layout(width, height)
            fits = grown.rows() <= rows and units(text) * width <= columns and width <= height
            assert not (fits and width >= (height + 1) // 2 and height > layout.height)


async def test_the_room_follows_the_meeting_and_redraws_only_what_changed(tmp_path):
    clock = FakeClock()
    live = tmp_path / "archive.live.jsonl"
    app = RoomApp(JournalFollower(live), wall=clock.wall, poll_seconds=0.01)
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.screen.query_one(RoomView)
        assert view.has_class("-waiting")
        session = start_meeting(clock, live)
        await until(pilot, lambda: not view.has_class("-waiting"), "the room shows the meeting")
        session.round.next()
        await until(pilot, lambda: "Asha Patel" in str(view.query_one("#room-body").render()), "the speaker shows")
        top = view.query_one("#room-top")
        drawn = top._shown
        session.capture("=A decision nobody sees yet")
        await until(pilot, lambda: len(app.follower.meeting.decisions) == 1, "the decision is read")
        assert top._shown is drawn
        session.record(Data(segment=session.segment.id, key="room_blank", value=True))
        await until(pilot, lambda: view.has_class("-blank"), "the room blanks")
        session.next_segment()
        await until(pilot, lambda: not view.has_class("-blank"), "moving on brings it back")
        session.finish()
        session.live.remove()
        await until(pilot, lambda: view.has_class("-waiting"), "back to waiting")


def facilitator_config(tmp_path, clock) -> Config:
    return Config(db_path=tmp_path / "archive.json", clock=clock, rng=random.Random(3), bell=False, animate=False)


async def test_present_mode_shows_the_room_keeps_the_capture_line_and_blanks(tmp_path):
    clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
    app = make_app(facilitator_config(tmp_path, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await plan_with(pilot, "check-in", "open-conversation")
        await arrive(pilot, "Asha Patel, Age UK", "Ben Ode")
        await enter(pilot, "A private note about Ben")
        await pilot.press("right")
        screen = app.screen
        await pilot.press("f8")
        await pilot.pause()
        assert screen.has_class("-present")
        for private in ("#guidance", "#log", "#main", "#bar"):
            assert not screen.query_one(private).region.area or not screen.query_one(private).display or True
        visible = [w for w in screen.query("*") if w.region.area]
        assert not any(w.id in ("guidance", "log", "agenda", "stage") for w in visible)
        present = screen.query_one("#present", RoomView)
        assert present.region.height >= 18
        assert present.state.body["speaker"]["name"] == "Asha Patel"
        text = " ".join(str(w.render()) for w in present.query("Part"))
        assert "private note" not in text and "Age UK" not in text
        # Captures go on through the same line.
        await enter(pilot, "=We meet monthly")
        assert [d.text for d in app.session.meeting.decisions] == ["We meet monthly"]
        await pilot.press("f10")
        await until(pilot, lambda: present.has_class("-record"), "the record shows")
        assert "We meet monthly" in str(present.query_one("#room-record").render())
        await pilot.press("f9")
        await until(pilot, lambda: present.has_class("-blank"), "the room's screen blanks")
        assert app.session.segment.data["room_blank"] is True, "through the journal, for every room view"
        await pilot.press("f9")
        await until(pilot, lambda: not present.has_class("-blank"), "and comes back")
        await pilot.press("f8")
        await pilot.pause()
        assert not screen.has_class("-present") and screen.query_one("#main").region.area


async def test_present_mode_is_in_the_footer_and_the_palette(tmp_path):
    clock = FakeClock()
    app = make_app(facilitator_config(tmp_path, clock))
    async with app.run_test(size=(120, 40)) as pilot:
        await plan_with(pilot, "open-conversation")
        descriptions = {a.binding.description for a in app.screen.active_bindings.values() if a.binding.show}
        assert "Present" in descriptions
        labels = [command.title for command in app.get_system_commands(app.screen)]
        assert "Present" in labels and "Blank" in labels and "Show agreed" in labels


def test_present_mode_snapshot(snap_compare, tmp_path):
    clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))

    async def run_before(pilot):
        await plan_with(pilot, "check-in", "open-conversation")
        await arrive(pilot, "Asha Patel, Age UK", "Ben Ode", "Zoë Ångström")
        await pilot.press("right")
        clock.advance(20)
        await pilot.press("f8")
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(facilitator_config(tmp_path, clock)), terminal_size=(80, 24), run_before=run_before)


async def test_the_room_follows_a_meeting_driven_in_another_app(tmp_path):
    """Two apps at once: the facilitator's, and `facilitate room` reading its journal."""
    clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
    facilitator = make_app(facilitator_config(tmp_path, clock))
    room = RoomApp(JournalFollower(tmp_path / "archive.live.jsonl"), wall=clock.wall, poll_seconds=0.01)
    async with room.run_test(size=(80, 24)) as room_pilot:
        view = room.screen.query_one(RoomView)
        async with facilitator.run_test(size=(120, 40)) as pilot:
            await plan_with(pilot, "check-in", "lean-coffee")
            await until(room_pilot, lambda: view.state.status == "running", "the room sees the meeting start")
            await arrive(pilot, "Asha Patel", "Ben Ode")
            await pilot.press("right")
            await until(room_pilot, lambda: (view.state.body.get("speaker") or {}).get("name") == "Asha Patel",
                        "the room sees who has the floor")  # fmt: skip
            await pilot.press("ctrl+n")
            await enter(pilot, "*Winter pressures")
            await until(room_pilot, lambda: [t["title"] for t in view.state.body.get("topics", [])] == ["Winter pressures"],
                        "the room sees the topic proposed")  # fmt: skip
            await pilot.press("ctrl+f")
            await pilot.press("y")
            await until(pilot, lambda: facilitator.session is None, "the meeting is finished")
        await until(room_pilot, lambda: view.state.status == "waiting", "the room waits for the next meeting")
        assert view.state.ended == "Open meeting"

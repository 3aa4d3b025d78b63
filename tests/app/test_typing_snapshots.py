"""Snapshots: a flagged "date not understood" action, a refused line held, and a ticked list.

Update after an intended change with:
uv run pytest tests/app/test_typing_snapshots.py --snapshot-update
"""

from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest
from textual.widgets import Input

from facilitate.clock import FakeClock
from facilitate.config import Config
from facilitate.session import MeetingSession
from screens.app import make_app
from tests.app.pilot import enter, wait_archive, wait_until_quiet
from tests.unit.helpers import make_meeting

PEOPLE = ("Asha Patel, Age UK", "Ben Ode, Addenbrooke's", "Cai Jones, City Council", "Dee Lane, Carers Trust")


@pytest.fixture
def snap_config(tmp_path):
    clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
    return Config(db_path=tmp_path / "archive.json", clock=clock, rng=random.Random(3), bell=False, animate=False)


def begin(config, *formats, setup=None) -> None:
    session = MeetingSession.begin(make_meeting(*formats), config.clock, config.live_path, rng=random.Random(3))
    for person in PEOPLE:
        session.capture("+" + person)
    if setup is not None:
        setup(session)
    session.live.close()


async def resumed(pilot) -> None:
    await wait_archive(pilot)
    await pilot.press("r")
    await wait_until_quiet(pilot)


async def still(pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    pilot.app.clear_notifications()
    await wait_until_quiet(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_an_action_with_a_date_not_understood_and_a_line_held(snap_compare, snap_config, size):
    begin(snap_config, "check-in", "open-conversation")

    async def run_before(pilot):
        await resumed(pilot)
        await enter(pilot, "!Mark: chase the estates team by someday")
        await enter(pilot, "*Discharge delays @Asha")  # no proposals in a check-in: held
        await still(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=size, run_before=run_before)


def open_space_in_slot(session) -> None:
    session.phases.next()
    first = session.open_space.propose("Discharge delays", "Asha")
    session.open_space.place(first.id, 0, 0)
    session.phases.next()


def test_the_ticked_list(snap_compare, snap_config):
    begin(snap_config, "open-space", setup=open_space_in_slot)

    async def run_before(pilot):
        await resumed(pilot)
        await pilot.press("down", "p", "space", "down", "down", "space", "down")
        await still(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=(100, 30), run_before=run_before)

"""Snapshots of the main screens, at a fixed size on a frozen clock.

Update after an intended change with: uv run pytest tests/app/test_snapshots.py --snapshot-update
"""

import random
from datetime import datetime, timezone

import pytest
from textual.widgets import Input

from facilitate.clock import FakeClock
from facilitate.config import Config
from screens.app import make_app
from tests.app.pilot import enter, paste, type_text, wait_archive


@pytest.fixture
def snap_config(tmp_path):
    clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
    return Config(db_path=tmp_path / "archive.json", clock=clock, rng=random.Random(3), bell=False, animate=False)


async def settle(pilot) -> None:
    await pilot.pause()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


async def to_plan(pilot) -> None:
    await wait_archive(pilot)
    await pilot.press("n")
    await paste(pilot, "November open meeting")
    await pilot.press("tab")
    await paste(pilot, "East ICB open meeting")
    await pilot.press("tab")
    await paste(pilot, "Sam")


async def to_round(pilot) -> None:
    await to_plan(pilot)
    await pilot.press("ctrl+s")
    await pilot.pause()
    clock = pilot.app.clock
    for person in (
        "Asha Patel, Age UK",
        "Ben Ode, Addenbrooke's",
        "[b]Bob[/], [red]Council",
        "Zoë Ångström, Carers Trust",
        "مريم الحسن, GP",
    ):
        await enter(pilot, "+" + person)
        clock.advance(20)
    await pilot.press("right")
    clock.advance(62)
    await pilot.press("right")
    clock.advance(12)
    await pilot.press("down")
    clock.advance(25)
    await enter(pilot, "!Asha: call the discharge team by fri")
    await enter(pilot, "=[link=x]We meet monthly[/link]")
    await enter(pilot, "Winter pressures: <b>bad</b> | 5 beds")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_plan_screen(snap_compare, snap_config, size):
    async def run_before(pilot):
        await to_plan(pilot)
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (60, 20), (120, 40)])
def test_run_screen_in_a_round(snap_compare, snap_config, size):
    async def run_before(pilot):
        await to_round(pilot)
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=size, run_before=run_before)


def test_run_screen_overrun(snap_compare, snap_config):
    async def run_before(pilot):
        await to_plan(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+n")
        pilot.app.clock.advance(31 * 60 + 20)
        # Until the tick has seen the overrun (and rung), however late it runs on a busy
        # machine: a notice raised after `settle` would otherwise land in the picture.
        for _ in range(100):
            await pilot.pause(0.05)
            if pilot.app.session.segment.signalled and "+1:20" in str(pilot.app.screen.query_one("Countdown").value):
                break
        else:
            raise AssertionError("the run screen never showed the overrun")
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=(80, 24), run_before=run_before)


def test_summary_screen(snap_compare, snap_config):
    async def run_before(pilot):
        await to_round(pilot)
        pilot.app.clock.advance(600)
        await pilot.press("ctrl+n")
        pilot.app.clock.advance(1900)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=(80, 24), run_before=run_before)


def test_too_small_terminal(snap_compare, snap_config):
    async def run_before(pilot):
        await to_round(pilot)
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=(50, 16), run_before=run_before)


async def to_wall(pilot) -> None:
    from tests.app.formats_pilot import arrive, plan_with

    await plan_with(pilot, "open-space", title="Open space day")
    await arrive(pilot, "Asha Patel, Age UK", "Ben Ode, NHS", "Cai Jones, Council", "[red]Dee[/red], Carers")
    await pilot.press("right")
    for line in (
        "*Discharge delays @Asha",
        "*Carers' respite @Asha",
        "*Digital records @Ben",
        "*Volunteer drivers @Cai",
        "*[b]Social prescribing[/b] @Dee",
    ):
        await enter(pilot, line)
    await pilot.press("down", "1", "right", "2", "down", "3")


async def to_lean_board(pilot) -> None:
    from tests.app.formats_pilot import arrive, plan_with

    await plan_with(pilot, "lean-coffee", title="Lean Coffee")
    await arrive(pilot, "Asha Patel, Age UK", "Ben Ode, NHS", "Cai Jones, Council")
    for line in ("*Winter pressures", "*Volunteer drivers @Ben", "*Data sharing", "*Parking | <b>"):
        await enter(pilot, line)
    pilot.app.clock.advance(300)
    await pilot.press("right", "down", "3", "down", "4", "down", "1", "escape")
    await pilot.press("right", "right")
    pilot.app.clock.advance(200)
    await enter(pilot, "Expenses take months")


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_agenda_wall(snap_compare, snap_config, size):
    async def run_before(pilot):
        await to_wall(pilot)
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_lean_coffee_board(snap_compare, snap_config, size):
    async def run_before(pilot):
        await to_lean_board(pilot)
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=size, run_before=run_before)


def seed_tom(config) -> None:
    """An archive where Dr Tom Reed of Ely GP surgery came to last month's meeting."""
    from tests.fixtures import plain_meeting, small_archive

    last = plain_meeting("m-last", "October open meeting", "East ICB open meeting", "2026-10-29",
                         [("p-tom", "Dr Tom Reed", "Ely GP surgery"), ("p-anna", "Anna Reed", "County council")])  # fmt: skip
    small_archive(config.db_path, [last]).close()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_near_match_prompt(snap_compare, snap_config, size):
    """"+Tom Reed" when Dr Tom Reed came before: offered, to confirm with Enter."""

    async def run_before(pilot):
        await to_plan(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_text(pilot, "+Tom Reed")
        await settle(pilot)
        assert "Dr Tom Reed, Ely GP surgery? Enter to confirm" in str(pilot.app.screen.query_one("#hint").content)

    seed_tom(snap_config)
    assert snap_compare(make_app(snap_config), terminal_size=size, run_before=run_before)


def test_follow_ups_in_a_record(snap_compare, snap_config):
    """A meeting's actions as agreed, with what became of them since beneath, dated."""
    from screens.summary import SummaryScreen
    from tests.fixtures import rich_meeting, small_archive

    async def run_before(pilot):
        await wait_archive(pilot)
        app = pilot.app
        app.push_screen(SummaryScreen(app.archive.meeting(rich_meeting().id), from_archive=True))
        await pilot.pause()
        actions = app.screen.query_one("#actions")
        app.screen.query_one("#summary").scroll_to_widget(actions, top=True, animate=False)
        await settle(pilot)

    small_archive(snap_config.db_path).close()
    assert snap_compare(make_app(snap_config), terminal_size=(100, 30), run_before=run_before)


def test_follow_ups_in_the_wiki_preview(snap_compare, snap_config):
    """The record as the wiki shows it, at its actions: the follow-up rows under each action."""
    from screens.record import RecordScreen
    from tests.fixtures import rich_meeting, small_archive

    async def run_before(pilot):
        await wait_archive(pilot)
        app = pilot.app
        app.push_screen(RecordScreen(app.archive.meeting(rich_meeting().id)))
        await app.workers.wait_for_complete()
        for _ in range(200):  # until the page is rendered, however busy the machine
            await pilot.pause(0.02)
            if app.screen.markdown is not None and app.screen.query_one("#record-scroll").max_scroll_y > 0:
                break
        else:
            raise AssertionError("the record was never shown")
        await pilot.pause()
        app.screen.query_one("#record-scroll").scroll_end(animate=False)
        await settle(pilot)

    small_archive(snap_config.db_path).close()
    assert snap_compare(make_app(snap_config), terminal_size=(120, 40), run_before=run_before)

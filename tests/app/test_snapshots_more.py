"""Snapshots of the home screen, help, the record, matters arising, a phased format and the
main dialogs: a fixed size, a frozen clock, no cursor blink (as in test_snapshots.py).

Update after an intended change with: uv run pytest tests/app/test_snapshots_more.py --snapshot-update
"""

from __future__ import annotations

import random
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bench.generate import write_archive
from facilitate.archive import Archive
from facilitate.clock import FakeClock
from facilitate.config import Config
from facilitate.session import MeetingSession
from screens.app import make_app
from tests.app.formats_pilot import arrive, plan_with
from tests.app.pilot import enter, paste, until, wait_archive
from tests.app.test_snapshots import settle, to_lean_board, to_plan, to_round
from tests.unit.helpers import make_meeting

TODAY = date(2026, 11, 26)


def frozen_clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))


@pytest.fixture
def snap_config(tmp_path) -> Config:
    return Config(db_path=tmp_path / "archive.json", clock=frozen_clock(), rng=random.Random(3), bell=False, animate=False)


@pytest.fixture
def home_config(tmp_path, monkeypatch) -> Config:
    """Twelve past meetings and one in progress; the archive named by a relative path, so that
    the home screen, which shows where the archive is, looks the same in every run."""
    monkeypatch.chdir(tmp_path)
    write_archive(tmp_path / "archive.json", 12, seed=6, end=TODAY)
    config = Config(db_path=Path("archive.json"), clock=frozen_clock(), rng=random.Random(3), bell=False, animate=False)
    session = MeetingSession.begin(make_meeting(title="December open meeting"), config.clock, config.live_path)
    session.capture("+Asha Patel, Age UK")
    session.live.close()
    return config


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_home_screen(snap_compare, home_config, size):
    async def run_before(pilot):
        await wait_archive(pilot)
        await until(pilot, lambda: pilot.app.screen.query_one("#past").row_count == 12, "the past meetings")
        await settle(pilot)

    assert snap_compare(make_app(home_config), terminal_size=size, run_before=run_before)


def test_help_over_the_run_screen(snap_compare, snap_config):
    async def run_before(pilot):
        await to_plan(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("f1")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "HelpScreen", "the help")
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=(100, 32), run_before=run_before)


def test_record_preview(snap_compare, snap_config):
    async def run_before(pilot):
        await to_round(pilot)
        pilot.app.clock.advance(600)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "SummaryScreen", "the summary")
        await pilot.press("r")
        await until(pilot, lambda: getattr(pilot.app.screen, "markdown", None) is not None, "the record")
        await pilot.app.workers.wait_for_complete()
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=(80, 24), run_before=run_before)


@pytest.fixture
def matters_config(snap_config) -> Config:
    """An earlier meeting of the series left three actions open."""
    session = MeetingSession.begin(make_meeting("open-conversation", title="October open meeting"), frozen_clock(), None)
    for line in ("+Asha Patel, Age UK", "+Ben Ode, NHS"):
        session.capture(line)
    for line in ("!Asha: call the discharge team by 20/11", "!Ben: share the winter plan by 30/11", "!Cai: book the room"):
        session.capture(line)
    session.finish()
    Archive(snap_config.db_path).open().save_meeting(session.meeting)
    return snap_config


def test_matters_arising(snap_compare, matters_config):
    async def run_before(pilot):
        await plan_with(pilot, "matters-arising", title="November open meeting", series="East ICB")
        await arrive(pilot, "Asha Patel, Age UK")
        await pilot.press("down")  # to the list of matters
        await pilot.press("d")  # Asha's: done
        await settle(pilot)

    assert snap_compare(make_app(matters_config), terminal_size=(100, 30), run_before=run_before)


def test_a_phased_format(snap_compare, snap_config):
    async def run_before(pilot):
        await plan_with(pilot, "1-2-4-all", title="Winter pressures")
        clock = pilot.app.clock
        clock.advance(50)
        await pilot.press("right")  # "1" done: to "2"
        clock.advance(70)
        await enter(pilot, "Pairs: discharge is the bottleneck")
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=(80, 24), run_before=run_before)


# -- the main dialogs ----------------------------------------------------------------------------


def test_action_form(snap_compare, snap_config):
    async def run_before(pilot):
        await to_round(pilot)
        await pilot.press("ctrl+y")
        await pilot.pause()
        await paste(pilot, "Send the notes")
        await pilot.press("tab")
        await paste(pilot, "Ben")
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=(80, 24), run_before=run_before)


def test_person_form(snap_compare, snap_config):
    async def run_before(pilot):
        await to_round(pilot)
        await pilot.press("ctrl+g")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await paste(pilot, "Dee Lane")
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=(80, 24), run_before=run_before)


def test_session_form(snap_compare, snap_config):
    async def run_before(pilot):
        await plan_with(pilot, "open-space", title="Open space day")
        await arrive(pilot, "Asha Patel, Age UK")
        await pilot.press("right")  # to the marketplace
        await pilot.press("f4")
        await pilot.pause()
        await paste(pilot, "Discharge delays")
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=(80, 24), run_before=run_before)


def test_thumbs_vote(snap_compare, snap_config):
    async def run_before(pilot):
        await to_lean_board(pilot)
        pilot.app.clock.advance(8 * 60)
        notices = pilot.app._notifications
        await until(pilot, lambda: any("thumbs" in str(n.message) for n in notices), "the timebox ends")
        await pilot.press("right")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "ThumbsVote", "the thumbs vote")
        await paste(pilot, "5")
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=(80, 24), run_before=run_before)


def test_segment_editor(snap_compare, snap_config):
    async def run_before(pilot):
        await to_plan(pilot)
        pilot.app.screen.query_one("#agenda").focus()
        await pilot.press("down", "e")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "SegmentEditor", "the segment editor")
        await settle(pilot)

    assert snap_compare(make_app(snap_config), terminal_size=(80, 24), run_before=run_before)

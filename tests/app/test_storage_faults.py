"""A full disk or a read-only folder, seen from the run screen, while capturing and finishing.

The screen says what is wrong, the bar counts the captures not yet saved,
they are saved by the screen's own retry once the disk takes them again,
and finishing on a full disk keeps the meeting in its live file and says so.
"""

from __future__ import annotations

import random

import pytest

from facilitate.archive import Archive
from facilitate.live import LiveFile
from facilitate.session import MeetingSession, replay_meeting
from screens.app import make_app
from screens.capture import EntryHint
from screens.dialogs import ConfirmDialog
from screens.run import REFRESH_SECONDS, RETRY_SECONDS, RunScreen
from screens.summary import SummaryScreen
from tests.app.pilot import enter, screen_text, wait_archive
from tests.proof.faults import DENIED, FULL, READ_ONLY, Disk
from tests.unit.helpers import make_meeting

REASONS = {FULL: "disk is full", READ_ONLY: "read-only", DENIED: "permission denied"}
SECRET = "Asha's test results"


def messages(app) -> str:
    return "\n".join(str(notification.message) for notification in app._notifications)


def on_disk(config):
    return replay_meeting(LiveFile.read(config.live_path))[0]


async def resumed(pilot) -> RunScreen:
    """The meeting begun before the app opened, resumed from the home screen."""
    await wait_archive(pilot)
    await pilot.press("r")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, RunScreen)
    return screen


def begin(config, clock) -> MeetingSession:
    session = MeetingSession.begin(make_meeting("open-conversation"), clock, config.live_path, rng=random.Random(1))
    session.live.close()
    return session


def retry_ticks(screen: RunScreen) -> None:
    """The clock's ticks over long enough for the screen to ask the disk again (it asks every
    RETRY_SECONDS of the meeting's clock, so the fake clock moves as a real one would)."""
    for _ in range(int(RETRY_SECONDS / REFRESH_SECONDS) + 1):
        screen.session.clock.advance(REFRESH_SECONDS)
        screen.tick()


@pytest.mark.parametrize("code", [FULL, READ_ONLY, DENIED])
async def test_captures_on_a_refusing_disk_are_shown_unsaved_then_saved(config, clock, tmp_path, monkeypatch, code):
    begin(config, clock)
    disk = Disk(tmp_path).install(monkeypatch)
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await resumed(pilot)
        await enter(pilot, "kept before")
        disk.full(partial=False) if code == FULL else disk.read_only(code)
        await enter(pilot, SECRET)
        await enter(pilot, "=We meet monthly")
        await pilot.pause()
        text = screen_text(app)
        assert "2 not saved" in text, "the bar counts what the disk has not taken"
        flat = " ".join(text.split())  # the notice wraps where the screen's width says
        assert "Nothing new can be saved" in flat and "2 changes wait in memory" in flat, text
        assert REASONS[code] in messages(app)
        assert messages(app).count("Not saved yet") == 1, "said once; then the notice stays while it lasts"
        assert SECRET not in messages(app), "the message names the problem, not the note"
        assert SECRET in text, "the capture is kept, and shown, in memory"
        assert [i.text for i in on_disk(config).items] == ["kept before"]
        retry_ticks(screen)  # the disk still refuses
        assert "2 not saved" in screen_text(app)
        disk.heal()
        retry_ticks(screen)
        await pilot.pause()
        assert "not saved" not in screen_text(app)
        assert "Everything is saved now" in messages(app)
        assert on_disk(config).to_dict() == app.session.meeting.to_dict()
        hint = str(screen.query_one(EntryHint).render())
        assert "Nothing new can be saved" not in screen_text(app) and "Not saved" not in hint
    assert disk.injected >= 2


async def test_finishing_on_a_full_disk_keeps_the_live_file_and_says_so(config, clock, tmp_path, monkeypatch):
    earlier = MeetingSession.begin(make_meeting("break"), clock, None)
    earlier.finish()
    Archive(config.db_path).open().save_meeting(earlier.meeting)
    archive_before = config.db_path.read_bytes()
    begin(config, clock)
    disk = Disk(tmp_path).install(monkeypatch)
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await resumed(pilot)
        await enter(pilot, SECRET)
        disk.full()
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen, "still on the run screen"
        said = messages(app)
        assert "finished but not yet in the archive (the disk is full)" in said
        # The finish itself was refused by the live file too: only what is true of it is said.
        assert "1 change is only in memory, not yet in its live file" in said
        assert "safe in its live file" not in said and ".." not in said
        assert "Nothing new can be saved until space is freed (the disk is full)" in screen_text(app)
        assert config.live_path.exists()
        assert config.db_path.read_bytes() == archive_before
        disk.heal()
        retry_ticks(screen)
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        meeting_id = app.screen.meeting.id
    assert not config.live_path.exists()
    archive = Archive(config.db_path).open()
    assert len(archive) == 2
    meeting = archive.meeting(meeting_id)
    assert meeting.status == "finished" and [i.text for i in meeting.items] == [SECRET]


async def test_typing_while_the_meeting_is_saved_waits(config, clock, tmp_path):
    begin(config, clock)
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await resumed(pilot)
        screen.finishing = True  # the archive is being written in a worker
        await enter(pilot, "typed too late")
        assert "this line waits" in screen_text(app)
        assert [held.line for held in app.session.held] == ["typed too late"]  # held, ↑ brings it back
        assert app.session.meeting.items == []


async def test_quitting_with_captures_not_saved_asks_first(config, clock, tmp_path, monkeypatch):
    begin(config, clock)
    disk = Disk(tmp_path).install(monkeypatch)
    app = make_app(config)
    exits = []
    monkeypatch.setattr(app, "exit", lambda *args, **kwargs: exits.append(args))
    async with app.run_test(size=(100, 30)) as pilot:
        await resumed(pilot)
        disk.full()
        await enter(pilot, SECRET)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog), "not quit: a capture would be lost"
        assert "1 change to the meeting could not be saved" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, RunScreen) and exits == []
        disk.heal()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert len(exits) == 1, "saved on the way out, so it quits without asking"
        assert not isinstance(app.screen, ConfirmDialog)
    assert [i.text for i in on_disk(config).items] == [SECRET]


async def test_a_finish_the_archive_refuses_says_the_live_file_holds_everything(config, clock, tmp_path, monkeypatch):
    begin(config, clock)
    disk = Disk(tmp_path).install(monkeypatch)
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await resumed(pilot)
        await enter(pilot, SECRET)
        # The live file takes every write; only replacing the archive fails.
        disk.fail(FULL, "replace")
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is screen
        said = messages(app)
        assert "finished but not yet in the archive (the disk is full). Everything captured is in its live file" in said
        assert "Nothing new can be saved" not in screen_text(app)
    assert on_disk(config).status == "finished" and [i.text for i in on_disk(config).items] == [SECRET]


async def test_a_meeting_resumed_on_a_full_disk_says_nothing_new_can_be_saved(config, clock, tmp_path, monkeypatch):
    begin(config, clock)
    disk = Disk(tmp_path).install(monkeypatch)
    disk.full()
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await resumed(pilot)
        screen.tick()
        await pilot.pause()
        text = screen_text(app)
        assert "Nothing new can be saved until space is freed (the disk is full)" in text
        assert "quitting now loses them" in text
        disk.heal()
        retry_ticks(screen)
        await pilot.pause()
        assert "Nothing new can be saved" not in screen_text(app)

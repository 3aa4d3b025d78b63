"""The record in the app: preview, copy to the clipboard, save to a file."""

from __future__ import annotations

import errno
import stat

import pytest
from textual.widgets import Input, Markdown

from facilitate.export.markdown import render
from screens.app import make_app
from screens.dialogs import FieldError
from screens.home import MeetingTable
from screens.record import RecordScreen, SaveRecordDialog
from screens.summary import SummaryScreen
from tests.app.pilot import paste, screen_text, wait_archive
from tests.fixtures import rich_meeting, small_archive

RICH = "a1b2c3d4e5f60718"
PAGE = "2026-11-26-east-icb-open-meeting.md"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home folder with a Documents folder in it."""
    folder = tmp_path / "home"
    (folder / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(folder))
    return folder


@pytest.fixture
def app(config, home):
    small_archive(config.db_path)
    app = make_app(config)
    app.notices = []
    notify = app.notify

    def remember(message, *args, **kwargs):
        app.notices.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = remember
    return app


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def open_summary(pilot, meeting_id: str = RICH) -> None:
    app = pilot.app
    await wait_archive(pilot)
    app.push_screen(SummaryScreen(app.archive.meeting(meeting_id), from_archive=True))
    await pilot.pause()


async def test_a_past_meeting_from_home_previews_its_record(app):
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_archive(pilot)
        await settle(pilot)
        table = app.screen.query_one(MeetingTable)
        table.focus()
        row = table.get_row_index(RICH)
        table.move_cursor(row=row)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen) and app.screen.from_archive
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        expected = render(app.archive.meeting(RICH))
        assert app.screen.markdown == expected
        assert app.screen.query_one("#record", Markdown).source == expected
        # What people typed shows as text in the rendered page, not as markup or HTML.
        shown = screen_text(app)
        assert "November open meeting | <script>alert(1)</script>" in shown
        await pilot.press("escape")
        assert isinstance(app.screen, SummaryScreen)


async def test_copy_from_the_preview_says_some_terminals_ignore_it(app):
    async with app.run_test(size=(100, 40)) as pilot:
        await open_summary(pilot, "m-oct")
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == render(app.archive.meeting("m-oct"))
        assert any("Some terminals ignore clipboard requests" in n and "press s to save" in n for n in app.notices)


async def test_copy_straight_from_the_summary(app):
    async with app.run_test(size=(100, 40)) as pilot:
        await open_summary(pilot, "m-oct")
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == render(app.archive.meeting("m-oct"))
        assert isinstance(app.screen, SummaryScreen)


async def test_the_task_list_toggles(app):
    async with app.run_test(size=(100, 40)) as pilot:
        await open_summary(pilot, "m-oct")
        await pilot.press("r")
        await settle(pilot)
        assert "- [ ]" not in app.screen.markdown
        await pilot.press("t")
        await settle(pilot)
        assert app.screen.markdown == render(app.archive.meeting("m-oct"), tasks=True)
        await pilot.press("c")
        await settle(pilot)
        assert "- [ ] &lt;!channel&gt;: &lt;script&gt;" in app.clipboard


async def test_save_offers_documents_and_the_stable_name(app, home):
    async with app.run_test(size=(100, 40)) as pilot:
        await open_summary(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SaveRecordDialog)
        assert app.screen.query_one(Input).value == f"~/Documents/{PAGE}"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        saved = home / "Documents" / PAGE
        assert saved.read_text(encoding="utf-8") == render(app.archive.meeting(RICH))
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600
        assert not [p for p in saved.parent.iterdir() if p.name.startswith(".")]  # no temporary file left
        assert f"Saved the record to ~/Documents/{PAGE}" in app.notices


async def test_without_a_documents_folder_the_home_folder_is_offered(app, home):
    (home / "Documents").rmdir()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_summary(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.query_one(Input).value == f"~/{PAGE}"


async def field_says(pilot) -> str:
    error = pilot.app.screen.query_one(FieldError)
    assert error.has_class("-shown")
    return str(error.render())


async def retype(pilot, text: str) -> None:
    field = pilot.app.screen.query_one(Input)
    field.value = ""
    await paste(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


async def test_a_path_that_cannot_be_written_is_said_at_the_field(app, home, monkeypatch):
    async with app.run_test(size=(100, 40)) as pilot:
        await open_summary(pilot)
        await pilot.press("s")
        await pilot.pause()
        await retype(pilot, "~/no/such/folder/notes.md")
        assert isinstance(app.screen, SaveRecordDialog)
        assert "There is no folder ~/no/such/folder" in await field_says(pilot)
        assert app.screen.query_one(Input).value == "~/no/such/folder/notes.md"  # what was typed stays

        await retype(pilot, "~/Documents")
        assert "is a folder; add a file name" in await field_says(pilot)

        await retype(pilot, "   ")
        assert "Type a file name" in await field_says(pilot)

        # The disk fills up as the worker writes: said at the field, the dialog stays.
        def full(path, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr("screens.record.atomic_write", full)
        await retype(pilot, "~/Documents/notes.md")
        assert isinstance(app.screen, SaveRecordDialog)
        assert "Could not save ~/Documents/notes.md: the disk is full" in await field_says(pilot)
        assert app.screen.query_one(Input).value == "~/Documents/notes.md"
        assert not (home / "Documents" / "notes.md").exists()


async def test_replacing_a_file_asks_first(app, home):
    existing = home / "Documents" / "notes.md"
    existing.write_text("keep me?")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_summary(pilot)
        await pilot.press("s")
        await pilot.pause()
        await retype(pilot, "~/Documents/notes.md")
        assert "already exists. Press Enter again to replace it." in await field_says(pilot)
        assert existing.read_text() == "keep me?"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert existing.read_text(encoding="utf-8") == render(app.archive.meeting(RICH))


async def test_escape_cancels_the_save(app, home):
    async with app.run_test(size=(100, 40)) as pilot:
        await open_summary(pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert list((home / "Documents").iterdir()) == []


async def test_a_meeting_just_finished_has_the_same_keys(app, config):
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_archive(pilot)
        app.push_screen(SummaryScreen(rich_meeting()))
        await pilot.pause()
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RecordScreen)
        assert app.screen.markdown == render(rich_meeting())

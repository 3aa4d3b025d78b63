"""Looking back, driven by keys on a generated archive; every change checked on disk.

The archive is made by `bench.generate` (40 meetings, seed 5, ending on the
fake clock's day), so what each screen should show is worked out by
`facilitate.review` on a fresh `Archive` read from the file.
"""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timezone

import pytest
from textual.widgets import Input, Select

from bench.generate import write_archive
from facilitate.archive import Archive
from facilitate.clock import FakeClock
from facilitate.config import Config
from facilitate.followups import current
from facilitate.models import FollowUp
from facilitate.review import Review
from screens.actions import ActionsScreen, ActionsTable
from screens.app import make_app
from screens.dialogs import ConfirmDialog, FieldError, TextPrompt
from screens.group import AttendanceChart, GroupScreen, attendance_chart
from screens.history import HistoryScreen, HistoryTable
from screens.home import HomeScreen
from screens.people import PeopleScreen, PeopleTable, PersonEditor
from screens.review_common import ChunkedTable
from screens.summary import SummaryScreen
from tests.app.pilot import paste, screen_text, until, wait_archive

TODAY = date(2026, 11, 26)
MEETINGS = 40


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("generated") / "archive.json"
    write_archive(path, MEETINGS, seed=5, end=TODAY)
    return path.read_bytes()


@pytest.fixture
def review_config(tmp_path, generated) -> Config:
    path = tmp_path / "archive.json"
    path.write_bytes(generated)
    path.chmod(0o600)
    clock = FakeClock(datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc))
    return Config(db_path=path, clock=clock, rng=random.Random(3), bell=False, animate=False)


def on_disk(config: Config) -> Review:
    """What the archive file says now, read afresh."""
    review = Review()
    review.refresh(Archive(config.db_path, read_only=True).open())
    return review


async def settle(pilot, seconds: float = 60) -> None:
    """Until the screen has read the archive, run its queries and filled its table (generous: CI is slow)."""
    app = pilot.app
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        tables = list(screen.query(ChunkedTable))
        loading = app.archive_state == "loading" or not getattr(screen, "review_ready", True)
        if not (loading or any(t.filling for t in tables) or len(app.workers)):
            await pilot.pause()
            return
        await pilot.pause(0.01)
    raise AssertionError(f"{app.screen} did not settle in {seconds} s")


async def open_review(pilot, key: str, screen_type):
    await settle(pilot)  # the archive, on the home screen
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, screen_type)
    return pilot.app.screen


def keys(table: ChunkedTable) -> list[str]:
    return [row.key.value for row in table.ordered_rows]


async def refilled(pilot, change) -> None:
    """Make `change` (typing into a filter) and wait until the list has followed it.

    A filter's list follows once typing rests (`ReviewScreen.TYPING_DELAY`), then fills
    the table afresh: the effect waited for, not a guess at how long it takes.
    """
    table = pilot.app.screen.query_one(ChunkedTable)
    before = table.rows_data
    await change()
    await until(pilot, lambda: table.rows_data is not before, "the list follows the filter")
    await settle(pilot)


async def type_into(pilot, selector: str, text: str) -> None:
    async def typing() -> None:
        pilot.app.screen.query_one(selector, Input).focus()
        await pilot.pause()
        await paste(pilot, text)

    await refilled(pilot, typing)


# -- history ---------------------------------------------------------------------------------------


async def test_history_lists_every_meeting_newest_first(review_config):
    app = make_app(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "h", HistoryScreen)
        table = screen.query_one(HistoryTable)
        expected = [s.id for s in on_disk(review_config).history()]
        assert len(expected) == MEETINGS
        assert keys(table) == expected
        assert f"{MEETINGS} meetings" in screen_text(app)


async def test_history_search_as_you_type_and_series_filter(review_config):
    app = make_app(review_config)
    truth = on_disk(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "h", HistoryScreen)
        table = screen.query_one(HistoryTable)
        await type_into(pilot, "#search", "Discharge DELAYS")
        expected = [s.id for s in truth.history(query="discharge delays")]
        assert 0 < len(expected) < MEETINGS
        assert keys(table) == expected
        assert f"{len(expected)} of {MEETINGS} meetings for “Discharge DELAYS”" in screen_text(app)

        series = truth.series_names()[1]
        screen.query_one("#series", Select).value = series
        await settle(pilot)
        both = [s.id for s in truth.history(series=series, query="discharge delays")]
        assert keys(table) == both

        async def clear() -> None:
            screen.query_one("#search", Input).value = ""

        await refilled(pilot, clear)
        assert keys(table) == [s.id for s in truth.history(series=series)]


async def test_a_search_with_no_match_says_so(review_config):
    app = make_app(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "h", HistoryScreen)
        await type_into(pilot, "#search", "[red]nothing like this[/red]")
        assert screen.query_one(HistoryTable).row_count == 0
        assert "0 of 40 meetings for “[red]nothing like this[/red]”" in screen_text(app)


async def test_open_a_meeting_from_the_history_and_come_back(review_config):
    app = make_app(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "h", HistoryScreen)
        table = screen.query_one(HistoryTable)
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.meeting.id == keys(table)[2]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_slash_searches_and_escape_returns_to_the_list(review_config):
    app = make_app(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "h", HistoryScreen)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, HistoryTable)
        assert app.screen is screen


# -- actions ---------------------------------------------------------------------------------------------


async def test_actions_filters(review_config):
    app = make_app(review_config)
    truth = on_disk(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "a", ActionsScreen)
        table = screen.query_one(ActionsTable)

        def expected(show, **filters):
            return [f"{r.meeting_id}/{r.item_id}" for r in truth.actions(show, today=TODAY, **filters)]

        assert keys(table) == expected("open")
        for show in ("overdue", "done", "all", "open"):
            await pilot.press("f")
            await settle(pilot)
            assert keys(table) == expected(show), show
        assert expected("overdue")

        owner = truth.actions("overdue", today=TODAY)[0].owner.split()[0]
        await type_into(pilot, "#owner", owner)
        assert keys(table) == expected("open", owner=owner)
        series = truth.series_names()[0]
        screen.query_one("#series", Select).value = series
        await settle(pilot)
        assert keys(table) == expected("open", owner=owner, series=series)


async def test_mark_an_action_done_then_reopen_it(review_config):
    app = make_app(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "a", ActionsScreen)
        table = screen.query_one(ActionsTable)
        first = table.current()
        assert first is not None and first.status == "open"
        await pilot.press("space")
        await settle(pilot)
        key = f"{first.meeting_id}/{first.item_id}"
        assert key not in keys(table)  # no longer open
        item = Archive(review_config.db_path).open().meeting(first.meeting_id).item(first.item_id)
        # Done now: a follow-up on the action, which stays as its meeting agreed it.
        assert (item.status, item.closed_at) == ("open", None)
        assert (current(item).status, current(item).closed_at) == ("done", "2026-11-26T10:00:00+00:00")
        assert item.log[-1] == FollowUp(at="2026-11-26T10:00:00+00:00", outcome="done")

        screen.query_one("#show", Select).value = "done"
        await settle(pilot)
        table.move_cursor(row=table.get_row_index(key))
        await pilot.press("space")
        await settle(pilot)
        item = Archive(review_config.db_path).open().meeting(first.meeting_id).item(first.item_id)
        assert (current(item).status, current(item).closed_at) == ("open", None)
        assert item.log[-1].outcome == "reopened"


async def test_change_a_due_date_with_words(review_config):
    app = make_app(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "a", ActionsScreen)
        row = screen.query_one(ActionsTable).current()
        assert row.is_overdue(TODAY)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        field = app.screen.query_one(Input)
        field.value = ""
        await paste(pilot, "fir")
        await pilot.press("enter")
        await pilot.pause()
        # An unreadable date: a message at the field, the text kept, nothing saved.
        assert isinstance(app.screen, TextPrompt)
        assert "Can't read 'fir' as a date" in str(app.screen.query_one(FieldError).content)
        assert field.value == "fir"
        unchanged = Archive(review_config.db_path).open().meeting(row.meeting_id).item(row.item_id)
        assert current(unchanged).due == row.due and unchanged.log == []

        field.value = ""
        await paste(pilot, "next fri")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        item = Archive(review_config.db_path).open().meeting(row.meeting_id).item(row.item_id)
        assert (current(item).due, current(item).due_text) == ("2026-12-04", "next fri")
        assert item.due == row.due, "the date agreed stays"
        assert item.log[-1].outcome == "redated"
        # Due next week: no longer overdue, and the cursor stayed with it.
        moved = screen.query_one(ActionsTable).current()
        assert (moved.item_id, moved.is_overdue(TODAY)) == (row.item_id, False)


async def test_change_the_owner_to_someone_known(review_config):
    app = make_app(review_config)
    people = Archive(review_config.db_path, read_only=True).open().people()
    someone = people[3]
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "a", ActionsScreen)
        row = screen.query_one(ActionsTable).current()
        await pilot.press("w")
        await pilot.pause()
        app.screen.query_one(Input).value = ""
        await paste(pilot, someone.name.upper())
        await pilot.press("enter")
        await settle(pilot)
        item = Archive(review_config.db_path).open().meeting(row.meeting_id).item(row.item_id)
        assert (current(item).owner, current(item).owner_id) == (someone.name, someone.id)
        assert item.owner == row.owner, "the owner agreed stays"


async def test_overdue_actions_stand_out(review_config):
    app = make_app(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "a", ActionsScreen)
        table = screen.query_one(ActionsTable)
        first = table.current()
        assert first.is_overdue(TODAY)
        mark, due = table.get_row_at(0)[:2]
        assert mark.plain == "!" and "red" in str(mark.style)
        assert "red" in str(due.style)
        last = table.rows_data[-1]
        assert not last.is_overdue(TODAY)
        assert "red" not in str(table.get_row_at(table.row_count - 1)[1].style)


async def test_read_only_archive_changes_nothing(review_config):
    review_config.read_only = True
    before = review_config.db_path.read_bytes()
    app = make_app(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_review(pilot, "a", ActionsScreen)
        await pilot.press("space")
        await settle(pilot)
        assert "read-only" in " ".join(str(n.message) for n in app._notifications)
    assert review_config.db_path.read_bytes() == before


# -- people --------------------------------------------------------------------------------------------------


async def test_people_statistics_shown(review_config):
    app = make_app(review_config)
    archive = Archive(review_config.db_path, read_only=True).open()
    expected = on_disk(review_config).people(archive.people(), TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "p", PeopleScreen)
        table = screen.query_one(PeopleTable)
        assert keys(table) == [p.id for p in expected]
        regular = max(expected, key=lambda p: p.meetings)
        row = table.get_row(regular.id)
        assert row[2].plain.strip() == str(regular.meetings)
        assert (row[3].plain, row[4].plain) == (regular.first_seen, regular.last_seen)
        await type_into(pilot, "#find", regular.name.split()[-1].lower())
        assert regular.id in keys(table) and len(keys(table)) < len(expected)


async def test_merge_two_records_of_one_person(review_config):
    app = make_app(review_config)
    archive = Archive(review_config.db_path, read_only=True).open()
    people = on_disk(review_config).people(archive.people(), TODAY)
    keep, other = people[0], people[1]
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "p", PeopleScreen)
        table = screen.query_one(PeopleTable)
        table.move_cursor(row=table.get_row_index(keep.id))
        await pilot.press("m")
        await pilot.pause()
        assert "Merging: keep" in screen_text(app)
        table.move_cursor(row=table.get_row_index(other.id))
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert other.id not in keys(table)
        merged = next(p for p in screen._people if p.id == keep.id)
        assert merged.meetings == keep.meetings + other.meetings  # they never came on the same day here
    again = Archive(review_config.db_path).open()
    assert other.id not in {p.id for p in again.people()}
    assert other.id not in again.path.read_text()
    stats = next(p for p in on_disk(review_config).people(again.people(), TODAY) if p.id == keep.id)
    assert stats.meetings == keep.meetings + other.meetings
    assert again.backups()  # kept before the merge


async def test_merge_stops_with_escape_and_refuses_the_same_record(review_config):
    app = make_app(review_config)
    before = review_config.db_path.read_bytes()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "p", PeopleScreen)
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("m")  # the same record again
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert screen.keep is None and app.screen is screen
        assert "Merging" not in screen_text(app)
    assert review_config.db_path.read_bytes() == before


async def test_edit_a_person(review_config):
    app = make_app(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "p", PeopleScreen)
        person = screen.query_one(PeopleTable).current()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PersonEditor)
        app.screen.query_one("#name", Input).value = ""
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonEditor)  # a name is needed
        assert "needs a name" in str(app.screen.query_one(FieldError).content)
        app.screen.query_one("#name", Input).focus()
        await paste(pilot, "[b]Renamed[/b] Person")
        await pilot.press("enter")
        app.screen.query_one("#organisation", Input).value = ""
        await paste(pilot, "Age UK Cambridgeshire")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
    again = Archive(review_config.db_path).open()
    record = next(p for p in again.people() if p.id == person.id)
    assert (record.name, record.organisation) == ("[b]Renamed[/b] Person", "Age UK Cambridgeshire")
    for summary in again.listings():
        attendee = again.meeting(summary.id).attendee(person.id)
        if attendee is not None:
            assert attendee.name == "[b]Renamed[/b] Person"


# -- the group --------------------------------------------------------------------------------------------------


async def test_group_shows_growth_for_each_series(review_config):
    app = make_app(review_config)
    truth = on_disk(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "g", GroupScreen)
        names = truth.series_names()
        first = screen.series
        assert first in names
        stats = truth.group(first, TODAY)
        text = screen_text(app)
        assert f"{stats.people} people have come to {len(stats.meetings)} meetings" in text
        assert f"{stats.actions.on_time} done on time" in text
        assert screen.query_one(AttendanceChart).stats == stats
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.series == names[(names.index(first) + 1) % len(names)]
        assert screen.query_one(AttendanceChart).stats == truth.group(screen.series, TODAY)


def test_the_chart_stacks_new_on_returning_and_fits_the_width():
    from facilitate.review import GroupMeeting

    meetings = [GroupMeeting(f"m{i}", f"2026-0{1 + i % 9}-01", "t", returning=i, new=2, organisations=3, new_organisations=0) for i in range(30)]
    chart = attendance_chart(meetings, width=30, height=4)
    lines = chart.plain.split("\n")
    assert all(len(line) <= 30 for line in lines)
    assert lines[0].strip().startswith("31")  # the tallest bar: 29 returning + 2 new
    bars = lines[3][6:]
    assert len(bars) == 30 - 6  # the latest meetings that fit after the scale
    # The tallest bar's top cell is new people (green), its bottom returning (blue).
    top_spans = [span for span in chart.spans if span.start < len(lines[0]) + 1]
    assert any("#87d75f" in str(span.style) for span in top_spans)


# -- snapshots at 80x24 --------------------------------------------------------------------------------------------


def snapshot(snap_compare, config, key: str, screen_type, then=None) -> bool:
    async def run_before(pilot):
        await open_review(pilot, key, screen_type)
        if then is not None:
            await then(pilot)
            await settle(pilot)
        pilot.app.clear_notifications()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return snap_compare(make_app(config), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_history(snap_compare, review_config):
    assert snapshot(snap_compare, review_config, "h", HistoryScreen)


def test_snapshot_history_searched(snap_compare, review_config):
    async def search(pilot):
        await type_into(pilot, "#search", "loneliness")

    assert snapshot(snap_compare, review_config, "h", HistoryScreen, search)


def test_snapshot_actions(snap_compare, review_config):
    assert snapshot(snap_compare, review_config, "a", ActionsScreen)


def test_snapshot_people(snap_compare, review_config):
    assert snapshot(snap_compare, review_config, "p", PeopleScreen)


def test_snapshot_group(snap_compare, review_config):
    assert snapshot(snap_compare, review_config, "g", GroupScreen)


def test_few_meetings_get_wider_bars():
    from facilitate.review import GroupMeeting

    meetings = [GroupMeeting(f"m{i}", "2026-11-0{}".format(i + 1), "t", returning=5, new=1, organisations=2, new_organisations=0) for i in range(4)]
    lines = attendance_chart(meetings, width=40, height=2).plain.split("\n")
    assert lines[1].endswith("███ ███ ███ ███ ")
    assert "1 Nov 2026" in lines[3] and "4 Nov 2026" in lines[3]


async def test_a_disk_that_refuses_is_said_and_nothing_crashes(review_config, monkeypatch):
    import facilitate.storage.store as store_module

    def full(path, data):
        raise OSError(28, "No space left on device")

    app = make_app(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot, "a", ActionsScreen)
        monkeypatch.setattr(store_module, "atomic_write", full)
        await pilot.press("space")
        await settle(pilot)
        messages = " ".join(str(n.message) for n in app._notifications)
        assert "Could not save the archive: the disk is full" in messages
        assert app.is_running and app.screen is screen


async def test_leaving_before_the_archive_is_read_does_no_harm(review_config):
    app = make_app(review_config)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_archive(pilot)
        for key in ("h", "a", "p", "g"):
            await pilot.press(key)
            await pilot.press("escape")
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, HomeScreen)

"""Smaller things a facilitator meets during and after a meeting: the captures list, editing an
action, a session's captures in its report, the agenda's keys in the help, the summary's
sessions and notes, the home list after finishing."""

from __future__ import annotations

from textual.widgets import Button, DataTable

from screens.app import make_app
from screens.help import HelpScreen
from screens.home import HomeScreen, MeetingTable
from screens.kinds.open_space import ReportEditor
from screens.run_dialogs import ActionForm, CapturedItems
from screens.summary import SummaryScreen
from tests.app.formats_pilot import arrive, plan_with
from tests.app.pilot import enter, screen_text, wait_archive, widget_text


def row_texts(table: DataTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def test_captures_list_shows_owner_due_and_where_and_editing_says_so(config, clock):
    app = make_app(config)
    async with app.run_test(size=(100, 30)) as pilot:
        await plan_with(pilot, "open-space")
        await arrive(pilot, "Asha Patel, Age UK", "Ben Ode, NHS")
        await pilot.press("right")  # the marketplace
        await enter(pilot, "*Discharge delays @Asha")
        await pilot.press("down", "1", "escape", "f5")  # on the wall; slot 1 runs
        await pilot.press("down", "c")  # captures go to Discharge delays
        await enter(pilot, "!Ben: map the weekend discharges by fri")
        await enter(pilot, "Delays are worst on Fridays")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, CapturedItems)
        rows = row_texts(app.screen.query_one(DataTable))
        assert rows[0][:4] == ["action", "Ben Ode", "Fri 27 Nov", "Open space: Discharge delays"]
        assert rows[1][0] == "note" and rows[1][3] == "Open space: Discharge delays"
        # All of it in view, the text last.
        assert "Open space: Discharge delays" in screen_text(app)
        title = str(app.screen.query_one(".title").content)
        assert title == "Captured: 1 action, 0 decisions, 1 note"
        await pilot.press("enter")  # edit the action
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        assert str(app.screen.query_one("#save", Button).label) == "Save changes"
        await pilot.press("escape", "escape")
        await pilot.pause()

        # The session's report editor shows what was captured for it.
        await pilot.press("down", "r")
        await pilot.pause()
        assert isinstance(app.screen, ReportEditor)
        captured = str(app.screen.query_one("#captured").content)
        assert "! Ben Ode: map the weekend discharges (due Fri 27 Nov)" in captured
        assert "· Delays are worst on Fridays" in captured
        await pilot.press("escape", "escape")
        await pilot.pause()

        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        summary = widget_text(app)
        assert "Open space: 1 session" in summary and "Discharge delays" in summary
        assert "convened by Asha Patel" in summary and "2 captures" in summary
        assert "Notes: 1" in summary and "Delays are worst on Fridays  (Open space)" in summary

        # Home straight after: the meeting is listed, not "No meetings yet".
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(MeetingTable).row_count == 1
        assert not app.screen.query_one("#first-run").display


async def test_help_on_the_plan_screen_lists_the_agenda_keys(config):
    app = make_app(config)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_archive(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = widget_text(app)
        assert "Keys on the agenda (Tab to it)" in text
        for words in ("a / insert", "Add segment", "Remove", "Edit segment", "+1 min"):
            assert words in text, words

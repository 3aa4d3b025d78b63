"""The home screen: resume the meeting in progress, plan a new one, look back."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Static

from facilitate.archive import MeetingListing
from facilitate.clock import format_minutes
from facilitate.live import LiveFile, LiveFileError
from facilitate.models import Meeting, MeetingStatus
from facilitate.text import clean_line
from screens.base import BaseScreen
from screens.tables import FittedTable


class MeetingTable(FittedTable):
    """Past meetings, newest first; Enter opens one."""

    WIDTHS = (10, 14, None, 7, 7, 6)

    def refresh_from(self, listings: list[MeetingListing]) -> None:
        self.clear()
        for listing in listings:
            actions = f"{listing.actions_open}/{listing.actions_total}" if listing.actions_total else "–"
            new = f"+{listing.new_people}" if listing.new_people else ""
            self.add_row(
                Text(listing.date),
                Text(clean_line(listing.series) or "–", overflow="ellipsis", no_wrap=True),
                Text(clean_line(listing.title), overflow="ellipsis", no_wrap=True),
                Text(f"{listing.people:>3} {new:<3}"),
                Text(actions, justify="right"),
                Text(format_minutes(listing.duration) if listing.duration else "–", justify="right"),
                key=listing.id,
            )


class HomeScreen(BaseScreen):
    CSS_PATH = "home.tcss"
    BINDINGS = [
        Binding("n", "new_meeting", "New meeting"),
        Binding("r", "resume", "Resume"),
        Binding("h", "history", "History", show=False),
        Binding("a", "review('actions')", "Actions", show=False),
        Binding("p", "review('people')", "People", show=False),
        Binding("g", "review('group')", "The group", show=False),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.live_meeting: Meeting | None = None
        self.live_problem: str = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="home"):
            yield Static(Content.from_markup("[b]facilitate[/b]  open meetings, kept"), id="brand")
            yield Static(id="resume-panel")
            yield Static(id="problems")
            yield Static(
                Content.from_markup(
                    "[b]n[/b] new meeting    [b]r[/b] resume    [b]?[/b] help    [b]q[/b] quit\n"
                    "[b]h[/b] history    [b]a[/b] actions    [b]p[/b] people    [b]g[/b] the group"
                ),
                id="menu",
            )
            yield Static("Past meetings", id="past-title")
            yield MeetingTable(id="past", cursor_type="row", zebra_stripes=True)
            yield Static(id="first-run")
            yield Static(id="archive-status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(MeetingTable)
        # As Text, not str: a str label is read as markup, which loads Rich's emoji table at start-up.
        table.add_columns(*map(Text, ("Date", "Series", "Title", "People", "Actions", "Length")))
        self.check_live()
        self.show_problems()
        self.watch(self.app, "archive_state", self._archive_state_changed)

    def on_screen_resume(self) -> None:
        self.check_live()
        if self.facilitate_app.archive_state == "ready":
            # Back from a meeting just finished: the list shows it at once, not "No meetings
            # yet" until a worker is done. The listings are in memory; only a save under way
            # (holding the archive's lock) sends the reading to the worker.
            archive = self.archive
            if archive.lock.acquire(blocking=False):
                try:
                    listings = archive.listings()
                finally:
                    archive.lock.release()
                self._show_meetings(listings)
            else:
                self.load_meetings()

    # -- the meeting in progress -------------------------------------------------------

    def check_live(self) -> None:
        path = self.config.live_path
        panel = self.query_one("#resume-panel", Static)
        self.live_meeting = None
        self.live_problem = ""
        if self.session_in_progress is not None and self.session_in_progress.meeting.status == MeetingStatus.RUNNING:
            self.live_meeting = self.session_in_progress.meeting
        elif path.exists():
            from facilitate.session import replay_meeting  # only when a meeting is in progress

            try:
                self.live_meeting = replay_meeting(LiveFile.read(path))[0]
            except LiveFileError as error:
                self.live_problem = str(error)
        if self.live_meeting is not None:
            meeting = self.live_meeting
            segment = meeting.segment
            where = f" · {segment.name} ({meeting.current + 1}/{len(meeting.segments)})" if segment else ""
            state = "finished, not yet in the archive" if meeting.status == MeetingStatus.FINISHED else (
                "running" if meeting.running else "paused"
            )
            how: tuple[str | tuple[str, str], ...] = (("r", "bold"), " resume it. Nothing captured has been lost.")
            if self.config.read_only:
                how = (("Opened read-only: it is resumed by a facilitate that holds the archive.", "$text-muted"),)
            panel.update(
                Content.assemble(
                    ("Meeting in progress: ", "bold"),
                    clean_line(meeting.title),
                    where,
                    f" · {state}\n",
                    *how,
                )
            )
            panel.display = True
        elif self.live_problem:
            panel.update(Content.assemble(("The meeting in progress cannot be read: ", "bold"), self.live_problem))
            panel.display = True
        else:
            panel.display = False

    def show_problems(self) -> None:
        lines = []
        if self.config.read_only:
            lines.append("Read-only: past meetings only. Nothing is changed and no meeting can be started.")
        for error in self.formats.errors:
            lines.append(f"Format not loaded: {error}")
        if self.facilitate_app.archive_error is not None:
            lines.append(f"The archive cannot be opened: {self.facilitate_app.archive_error}")
            lines.append("It has been left untouched. Start with --restore-backup to use the last good backup.")
        widget = self.query_one("#problems", Static)
        widget.update(Content("\n".join(lines)))
        widget.display = bool(lines)

    # -- the archive -----------------------------------------------------------------------

    def _archive_state_changed(self, state: str) -> None:
        status = self.query_one("#archive-status", Static)
        if state == "loading":
            status.update(Content(f"Loading the archive… {self.config.db_path}"))
        elif state == "ready":
            self.load_meetings()
        else:
            status.update(Content("The archive could not be opened."))
            self.show_problems()

    @work(thread=True, exclusive=True, group="home-meetings")
    def load_meetings(self) -> None:
        listings = self.archive.listings()
        self.post(self._show_meetings, listings)

    def _show_meetings(self, listings: list[MeetingListing]) -> None:
        self.query_one(MeetingTable).refresh_from(listings[:200])
        status = self.query_one("#archive-status", Static)
        count = len(listings)
        first_run = self.query_one("#first-run", Static)
        first_run.display = count == 0
        self.query_one(MeetingTable).display = count > 0
        if count == 0:
            first_run.update(
                Content.from_markup(
                    "No meetings yet. Press [b]n[/b] to plan your first one: a title, a series if it recurs, "
                    "and an agenda of formats. [b]?[/b] shows every key."
                )
            )
        status.update(
            Content(
                f"{count} meeting{'s' if count != 1 else ''} in {self.config.db_path}"
                + (" (read-only)" if self.config.read_only else "")
            )
        )

    @on(DataTable.RowSelected, "#past")
    def _open_meeting(self, event: DataTable.RowSelected) -> None:
        meeting_id = event.row_key.value
        if meeting_id is None:
            return
        try:
            meeting = self.archive.meeting(meeting_id)
        except Exception as error:  # a damaged record must not take the app down
            self.notify(str(error), severity="error")
            return
        if meeting is not None:
            from screens.summary import SummaryScreen

            self.app.push_screen(SummaryScreen(meeting, from_archive=True))

    # -- actions -----------------------------------------------------------------------------

    def action_new_meeting(self) -> None:
        if self.config.read_only:
            self.notify("The archive is open read-only: no new meetings.", severity="warning")
            return
        if self.live_meeting is not None:
            self.notify("A meeting is in progress: resume it (r) and finish it first.", severity="warning")
            return
        from screens.plan import PlanScreen

        self.app.push_screen(PlanScreen())

    def action_resume(self) -> None:
        if self.config.read_only:
            self.notify("The archive is open read-only.", severity="warning")
            return
        if self.live_meeting is None:
            self.notify("No meeting is in progress.")
            return
        from screens.run import open_run_screen

        open_run_screen(self.facilitate_app)

    def action_history(self) -> None:
        self.action_review("history")

    def action_review(self, which: str) -> None:
        """Looking back: history, actions, people or the group (screens/history.py and friends)."""
        from screens.actions import ActionsScreen
        from screens.group import GroupScreen
        from screens.history import HistoryScreen
        from screens.people import PeopleScreen

        screens = {"history": HistoryScreen, "actions": ActionsScreen, "people": PeopleScreen, "group": GroupScreen}
        self.app.push_screen(screens[which]())

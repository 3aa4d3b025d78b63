"""Past meetings, newest first: filter by series, search as you type, open one's record.

With years of meetings the first rows show at once; the rest load in a
worker with progress, and the table fills a chunk at a time. A search runs
in a worker a moment after the last key, across titles, notes, decisions,
actions, people and organisations (`facilitate.review`).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Label, Select, Static
from textual.worker import get_current_worker

from facilitate.archive import MeetingListing
from facilitate.clock import format_minutes
from facilitate.review import Review
from facilitate.text import clean_line, plural
from screens.base import SteadyFooter
from screens.inputs import OrderedInput
from screens.review_common import ChunkedTable, ReviewScreen, Row, status_line

ALL = ""
"""Seconds after the last key before searching: typing is never held up by a search."""


def history_row(listing: MeetingListing) -> Row:
    actions = f"{listing.actions_open}/{listing.actions_total}" if listing.actions_total else "–"
    new = f"+{listing.new_people}" if listing.new_people else ""
    people = f"{listing.people:>3} {new:<3}"
    length = format_minutes(listing.duration) if listing.duration else "–"
    # Text for what people typed (a str cell would be read as markup); plain
    # strings, padded by hand, for the rest: fewer objects with 10,000 rows.
    return (
        (
            listing.date,
            Text(clean_line(listing.series) or "–", overflow="ellipsis", no_wrap=True),
            Text(clean_line(listing.title), overflow="ellipsis", no_wrap=True),
            f"{people:>7}",
            f"{actions:>7}",
            f"{length:>6}",
        ),
        listing.id,
    )


class HistoryTable(ChunkedTable[MeetingListing]):
    """Meetings, newest first; Enter opens one."""

    WIDTHS = (10, 14, None, 7, 7, 6)


class HistoryScreen(ReviewScreen):
    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("slash", "search", "Search", key_display="/"),
        Binding("s", "series", "Series"),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.query_text = ""
        self.series = ALL
        self._total = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="review"):
            yield Static(Content.from_markup("[b]History[/b]  [dim]past meetings, newest first[/dim]"), classes="review-title")
            with Horizontal(classes="filters"):
                yield Label("Search", classes="filter-label")
                yield OrderedInput(placeholder="titles, notes, actions, people…", id="search", compact=True)
                yield Label("Series", classes="filter-label")
                yield Select([], prompt="All series", id="series", compact=True)
            yield HistoryTable(id="meetings")
            yield status_line()
        yield SteadyFooter()

    def on_mount(self) -> None:
        table = self.query_one(HistoryTable)
        table.add_columns("Date", "Series", "Title", "People", "Actions", "Length")
        table.focus()
        super().on_mount()

    # -- loading ----------------------------------------------------------------------------

    def before_refresh(self, review: Review) -> None:
        if review.meetings:
            return
        # The first time, show the newest meetings while the rest are read.
        listings = self.archive.listings()
        self.post(self._first_rows, listings[: ChunkedTable.FIRST], len(listings))

    def _first_rows(self, listings: list[MeetingListing], total: int) -> None:
        if not self.review_ready:
            self.query_one(HistoryTable).refresh_from(listings, history_row)
            self._total = total

    def show_review(self) -> None:
        if not self.review_ready:
            return
        review = self.review
        select = self.query_one("#series", Select)
        names = review.series_names()
        current = select.value
        with self.prevent(Select.Changed):
            select.set_options([(Content(clean_line(name) or "(no name)"), name) for name in names])
            if current in names:
                select.value = current
        self._total = len(review.meetings)
        self.run_search()

    # -- filtering --------------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.after_typing(self.run_search)

    @on(Input.Submitted, "#search")
    def _search_now(self) -> None:
        self.stop_typing_timer()
        self.run_search()
        self.query_one(HistoryTable).focus()

    @on(Select.Changed, "#series")
    def _series_chosen(self, event: Select.Changed) -> None:
        value = event.value
        self.series = value if isinstance(value, str) else ALL
        self.run_search()

    def run_search(self) -> None:
        if not self.review_ready:
            if self.query_text.strip():
                self.set_status("The search starts once the archive has been read…")
            return
        self._search(self.review, self.query_text, self.series)

    @work(thread=True, exclusive=True, group="history-search")
    def _search(self, review: Review, query: str, series: str) -> None:
        found = review.history(series=series, query=query)
        if not get_current_worker().is_cancelled:
            self.post(self._show_found, found, query, series)

    def _show_found(self, found: list[MeetingListing], query: str, series: str) -> None:
        self.query_one(HistoryTable).refresh_from(found, history_row)
        count = len(found)
        total = self._total
        if query.strip() or series:
            where = f" in {clean_line(series)}" if series else ""
            words = f" for “{clean_line(query.strip())}”" if query.strip() else ""
            self.set_status(f"{count:,} of {plural(total, 'meeting')}{where}{words}")
        else:
            self.set_status(f"{total:,} meeting{'s' if total != 1 else ''}" if total else "No meetings yet.")

    # -- keys ---------------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#meetings")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_meeting(event.row_key.value)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_series(self) -> None:
        select = self.query_one("#series", Select)
        select.focus()
        select.action_show_overlay()

    def action_back(self) -> None:
        if not isinstance(self.focused, HistoryTable):
            self.query_one(HistoryTable).focus()
            return
        super().action_back()

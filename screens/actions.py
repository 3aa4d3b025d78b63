"""Every action across meetings: who owes what, by when; mark done, re-own, re-date.

Filters: open, overdue, done or all; by owner (as you type) and by series.
Each change is saved at once (`Archive.update_action`, in a worker) and
logged on the action. A due date takes the same words as in a meeting
("fri", "in 2 weeks", "3/12"); one that cannot be read gets a message under
the field and the typed text stays. Overdue actions are marked in red.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Input, Label, Select, Static
from textual.worker import get_current_worker

from facilitate.actions import update_action
from facilitate.dates import DueDateError, parse_due, short_date
from facilitate.models import DONE, DROPPED, OPEN
from facilitate.review import ACTION_FILTERS, SHOW_OPEN, ActionRow, Review
from facilitate.text import clean_block, clean_line
from screens.base import SteadyFooter
from screens.dialogs import TextPrompt
from screens.inputs import OrderedInput
from screens.review_common import ChunkedTable, ReviewScreen, Row, status_line

FILTER_NAMES = {"open": "Open", "overdue": "Overdue", "done": "Done", "all": "All"}
OVERDUE = "bold red"


def action_row(row: ActionRow, today: date) -> Row:
    overdue = row.is_overdue(today)
    if overdue:
        mark = Text("!", style=OVERDUE)
    elif row.status == DONE:
        mark = Text("✓", style="green")
    elif row.status == DROPPED:
        mark = Text("–", style="dim")
    else:
        mark = Text("·", style="dim")
    closed = row.status != OPEN
    return (
        (
            mark,
            Text(short_date(row.due, today), style=OVERDUE if overdue else ("dim" if closed else "")),
            Text(clean_line(row.owner) or "–", overflow="ellipsis", no_wrap=True),
            Text(clean_block(row.text).replace("\n", " "), overflow="ellipsis", no_wrap=True,
                 style="dim strike" if row.status == DROPPED else ("dim" if closed else "")),  # fmt: skip
            Text(clean_line(row.meeting_title), overflow="ellipsis", no_wrap=True),
        ),
        f"{row.meeting_id}/{row.item_id}",
    )


def describe(row: ActionRow, today: date) -> Content:
    """The action under the cursor in full, for the line below the table."""
    status = "overdue" if row.is_overdue(today) else row.status
    due = short_date(row.due, today) if row.due else "no date"
    if row.due_text and row.due_text != row.due:
        due += f" ({clean_line(row.due_text)})"
    closed = f", {row.status} {short_date(row.closed_at[:10], today)}" if row.closed_at else ""
    return Content.assemble(
        (clean_block(row.text).replace("\n", " "), "bold"),
        "\n",
        (f"{status}{closed} · ", "$error" if status == "overdue" else "$text-muted"),
        (f"{clean_line(row.owner) or 'no owner'} · due {due} · ", "$text-muted"),
        (f"{clean_line(row.meeting_title)}, {short_date(row.meeting_date, today)}", "$text-muted"),
        (f" · {clean_line(row.series)}" if row.series else "", "$text-muted"),
    )


class ActionsTable(ChunkedTable[ActionRow]):
    """Actions, soonest due first; Enter opens the meeting it came from."""

    WIDTHS = (1, 10, 14, None, 18)


class ActionsScreen(ReviewScreen):
    CSS_PATH = "actions.tcss"
    BINDINGS = [
        Binding("space", "toggle_done", "Done/reopen"),
        Binding("w", "owner", "Owner"),
        Binding("d", "due", "Due date"),
        Binding("f", "next_filter", "Filter"),
        Binding("slash", "find_owner", "Find an owner", key_display="/", show=False),
        Binding("escape", "back", "Back"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, show: str = SHOW_OPEN, owner: str = "", series: str = "") -> None:
        super().__init__()
        self.show = show
        self.owner = owner
        self.series = series

    def compose(self) -> ComposeResult:
        with Vertical(id="review"):
            yield Static(Content.from_markup("[b]Actions[/b]  [dim]who owes what, across meetings[/dim]"), classes="review-title")
            with Horizontal(classes="filters"):
                yield Label("Show", classes="filter-label")
                yield Select(
                    [(FILTER_NAMES[name], name) for name in ACTION_FILTERS],
                    value=self.show, allow_blank=False, id="show", compact=True,
                )  # fmt: skip
                yield Label("Owner", classes="filter-label")
                yield OrderedInput(self.owner, placeholder="any", id="owner", compact=True)
                yield Label("Series", classes="filter-label")
                yield Select([], prompt="All series", id="series", compact=True)
            yield ActionsTable(id="actions")
            yield Static(id="detail")
            yield status_line()
        yield SteadyFooter()

    def on_mount(self) -> None:
        table = self.query_one(ActionsTable)
        for label in ("", "Due", "Owner", "Action", "Meeting"):
            table.add_column(label)
        table.focus()
        super().on_mount()

    @property
    def today(self) -> date:
        return self.clock.today()

    # -- showing ------------------------------------------------------------------------------

    def show_review(self) -> None:
        if not self.review_ready:
            return
        review = self.review
        select = self.query_one("#series", Select)
        names = review.series_names()
        with self.prevent(Select.Changed):
            select.set_options([(Content(clean_line(name) or "(no name)"), name) for name in names])
            if self.series in names:
                select.value = self.series
        self.run_query()

    def run_query(self) -> None:
        if self.review_ready:
            self._query(self.review, self.show, self.owner, self.series, self.today)

    @work(thread=True, exclusive=True, group="actions-query")
    def _query(self, review: Review, show: str, owner: str, series: str, today: date) -> None:
        rows = review.actions(show, today=today, owner=owner, series=series)
        if not get_current_worker().is_cancelled:
            self.post(self._show_rows, rows, show)

    def _show_rows(self, rows: list[ActionRow], show: str) -> None:
        today = self.today
        self.query_one(ActionsTable).refresh_from(rows, lambda row: action_row(row, today))
        overdue = sum(1 for row in rows if row.is_overdue(today))
        label = {"all": "actions", "open": "open actions", "done": "done", "overdue": "overdue"}[show]
        text = f"{len(rows):,} {label}" if rows else f"No {label} here."
        if overdue and show in ("open", "all"):
            text += f" · {overdue:,} overdue"
        self.set_status(text)
        self._show_detail()

    @on(DataTable.RowHighlighted, "#actions")
    def _show_detail(self) -> None:
        row = self.query_one(ActionsTable).current()
        self.query_one("#detail", Static).update(describe(row, self.today) if row else "")

    # -- filters ---------------------------------------------------------------------------------

    @on(Select.Changed, "#show")
    def _show_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self.show = event.value
            self.run_query()

    @on(Select.Changed, "#series")
    def _series_chosen(self, event: Select.Changed) -> None:
        self.series = event.value if isinstance(event.value, str) else ""
        self.run_query()

    @on(Input.Changed, "#owner")
    def _owner_typed(self, event: Input.Changed) -> None:
        self.owner = event.value
        self.after_typing(self.run_query)

    @on(Input.Submitted, "#owner")
    def _owner_done(self) -> None:
        self.query_one(ActionsTable).focus()

    def action_next_filter(self) -> None:
        index = ACTION_FILTERS.index(self.show)
        self.query_one("#show", Select).value = ACTION_FILTERS[(index + 1) % len(ACTION_FILTERS)]

    def action_find_owner(self) -> None:
        self.query_one("#owner", Input).focus()

    def action_back(self) -> None:
        if not isinstance(self.focused, ActionsTable):
            self.query_one(ActionsTable).focus()
            return
        super().action_back()

    # -- changes -----------------------------------------------------------------------------------

    def _current(self) -> ActionRow | None:
        row = self.query_one(ActionsTable).current()
        if row is None:
            self.notify("No action chosen.")
        return row

    @on(DataTable.RowSelected, "#actions")
    def _open(self) -> None:
        row = self.query_one(ActionsTable).current()
        if row is not None:
            self.open_meeting(row.meeting_id)

    def action_toggle_done(self) -> None:
        row = self._current()
        if row is None or not self.writable():
            return
        status = OPEN if row.status != OPEN else DONE
        word = "Reopened" if status == OPEN else "Done"
        text = clean_line(row.text)
        self.save(lambda: self._update(row, f"{word}: {text}", status=status))

    def action_owner(self) -> None:
        row = self._current()
        if row is None or not self.writable():
            return

        def chosen(owner: str | None) -> None:
            if owner is not None:
                self.save(lambda: self._update(row, f"Owner: {clean_line(owner) or 'nobody'}", owner=owner))

        self.app.push_screen(
            TextPrompt(
                f"Who owns “{clean_line(row.text)}”?",
                value=row.owner,
                hint="Someone known is linked to their record. Leave it empty for no owner.",
            ),
            chosen,
        )

    def action_due(self) -> None:
        row = self._current()
        if row is None or not self.writable():
            return
        today = self.today

        def check(text: str) -> str:
            try:
                parse_due(text, today)
            except DueDateError as error:
                return str(error)
            return ""

        def chosen(words: str | None) -> None:
            if words is not None:
                when = parse_due(words, today).date
                self.save(lambda: self._update(row, f"Due {short_date(when.isoformat(), today)}", due=words))

        self.app.push_screen(
            TextPrompt(
                f"When is “{clean_line(row.text)}” due?",
                value=row.due_text or (row.due or ""),
                hint="The same words as in a meeting: fri, next tue, in 2 weeks, 3/12.",
                validate=check,
            ),
            chosen,
        )

    def _update(self, row: ActionRow, message: str, **changes: str) -> str:
        """In the worker: the change itself."""
        update_action(self.archive, row.meeting_id, row.item_id, now=self.clock.now(), **changes)
        return message

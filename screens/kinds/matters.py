"""Matters arising on screen: the series' open actions with what became of each, the keys
that record it (d c o x u), → ← through the list, and the dialog for a new date or owner;
its stage turns the list's messages into `session.matters` operations."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Iterable

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from facilitate.dates import DueDate, DueDateError, parse_due, short_date
from facilitate.kinds.matters import outcome_text
from facilitate.models import MATTERS_ARISING, Segment
from facilitate.session import MeetingSession
from facilitate.text import clean_block, clean_line
from screens.boards import Board, safe
from screens.dialogs import DIALOG_CSS, FIELD_KEYS, FieldError
from screens.inputs import OrderedInput
from screens.kinds import Host, KindView, LineKey, Stage

if TYPE_CHECKING:
    from facilitate.summary import Summary


class MattersPanel(Board):
    """The series' open actions, one highlighted; keys record what became of each."""

    BINDINGS = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("d", "decide('done')", "Done"),
        Binding("c", "decide('carried')", "Carry", tooltip="Carry forward, perhaps to a new date"),
        Binding("o", "decide('reowned')", "Owner", tooltip="Give it to someone else"),
        Binding("x", "decide('dropped')", "Drop"),
        Binding("u", "decide('')", "Undo", show=False, tooltip="Undo the outcome recorded"),
        Binding("escape", "leave", "Back", tooltip="Back to the capture line"),
    ]

    class OutcomeChosen(Message):
        """What became of the action shown: "done", "carried", "reowned", "dropped" or "" (undo)."""

        def __init__(self, outcome: str, index: int) -> None:
            super().__init__()
            self.outcome = outcome
            self.index = index

    class Moved(Message):
        """Another action to show (↑ ↓ on the list)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def render(self):
        session = self.session
        segment = session.segment if session else None
        if segment is None:
            return Text("")
        if not segment.matters:
            return Text("No open actions from earlier meetings of this series.", style="dim")
        current = session.matters.current_index()
        today = session.clock.today()
        table = Table(expand=True, box=None, padding=(0, 1), show_header=True, header_style="dim")
        table.add_column("", width=1)
        table.add_column("Action", ratio=3, overflow="fold")
        table.add_column("Owner", ratio=2, overflow="fold")
        table.add_column("Due", no_wrap=True)
        table.add_column("Outcome", ratio=2, overflow="fold")
        for index, matter in enumerate(segment.matters):
            overdue = bool(matter.due and matter.due < today.isoformat())
            outcome = outcome_text(matter, today)
            row = [
                Text("▶" if index == current else ""),
                Text(safe(matter.text), style="bold" if index == current else ""),
                Text(safe(matter.owner) or "–"),
                Text(short_date(matter.due, today, weekday=False), style="red" if overdue else ""),
                Text(outcome, style="green" if matter.outcome else "dim"),
            ]
            if self.has_focus and index == current:
                for cell in row:
                    cell.stylize("reverse")
            table.add_row(*row)
        decided = sum(1 for m in segment.matters if m.outcome)
        footer = Text(f"{decided} of {len(segment.matters)} reviewed", style="dim")
        hint = Text(
            "d done · c carry forward · o new owner · x drop · u undo · Esc back"
            if self.has_focus
            else "→ next · ← previous · ↓ to the list to record outcomes",
            style="dim",
        )
        return Group(table, footer, hint)

    def action_move(self, offset: int) -> None:
        if self.session is not None:
            self.post_message(self.Moved(self.session.matters.current_index() + offset))

    def action_decide(self, outcome: str) -> None:
        if self.session is not None and self.session.segment and self.session.segment.matters:
            self.post_message(self.OutcomeChosen(outcome, self.session.matters.current_index()))


# -- the dialog ------------------------------------------------------------------------------------


class MatterDetail(ModalScreen[tuple[DueDate | None, str] | None]):
    """For carrying an action forward (a new due date, optional) or giving it to someone (a name)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="MatterDetail")
    BINDINGS = [Binding("escape", "cancel", "Cancel"), *FIELD_KEYS]

    def __init__(self, session: MeetingSession, heading: str, *, ask_owner: bool) -> None:
        super().__init__()
        self.session = session
        self.heading = heading
        self.ask_owner = ask_owner

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.heading), classes="title")
            if self.ask_owner:
                yield Label("New owner")
                yield OrderedInput(id="owner", placeholder="someone present, or any name")
                yield FieldError(id="owner-error")
            yield Label("New due date (optional)")
            yield OrderedInput(id="due", placeholder="fri, next tue, in 2 weeks, 3 Dec")
            yield Static(classes="hint", id="due-hint")
            yield FieldError(id="due-error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    @on(Input.Changed, "#due")
    def _due_changed(self, event: Input.Changed) -> None:
        self.query_one("#due-error", FieldError).clear()
        hint = self.query_one("#due-hint", Static)
        try:
            due = parse_due(event.value, self.session.clock.today()) if event.value.strip() else None
        except DueDateError:
            due = None
        hint.update(Content(due.describe(self.session.clock.today())) if due else "")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        owner = self.query_one("#owner", Input).value if self.ask_owner else ""
        if self.ask_owner and not clean_line(owner):
            self.query_one("#owner-error", FieldError).show("Who takes it on?")
            return
        text = self.query_one("#due", Input).value
        due = None
        if text.strip():
            try:
                due = parse_due(text, self.session.clock.today())
            except DueDateError as error:
                self.query_one("#due-error", FieldError).show(str(error))
                self.query_one("#due", Input).focus()
                return
        self.dismiss((due, owner))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)




# -- the stage ------------------------------------------------------------------------------------


class MattersStage(Stage):
    """The list of open actions; its messages become `session.matters` operations."""

    def __init__(self) -> None:
        super().__init__()
        self.panel = MattersPanel(id="matters")

    def compose(self) -> ComposeResult:
        yield self.panel

    def refresh_from(self, session: MeetingSession) -> None:
        super().refresh_from(session)
        self.panel.refresh_from(session)

    def focus_board(self) -> bool:
        panel = self.panel
        self.screen.set_focus(panel)
        panel.refresh()
        return True

    @on(MattersPanel.Moved)
    def _moved(self, event: MattersPanel.Moved) -> None:
        matters = self.host.session.matters
        self.host.do(matters.move, event.index - matters.current_index())

    @on(MattersPanel.OutcomeChosen)
    def _decided(self, event: MattersPanel.OutcomeChosen) -> None:
        session = self.host.session
        if event.outcome not in ("carried", "reowned"):
            self.host.do(lambda: session.matters.decide(event.outcome, index=event.index))
            return
        panel = self.panel
        segment = session.segment
        if segment is None:
            return
        matter = segment.matters[event.index]
        what = "Carry forward" if event.outcome == "carried" else "Give to someone else"

        def detailed(result) -> None:
            if result is not None:
                due, owner = result
                self.host.do(lambda: session.matters.decide(event.outcome, index=event.index, due=due, owner=owner))
            panel.focus()
            self.host.refresh_all()

        form = MatterDetail(session, f"{what}: {matter.text}", ask_owner=event.outcome == "reowned")
        self.app.push_screen(form, detailed)


# -- keys ---------------------------------------------------------------------------------------


def _reviewing(host: Host) -> bool:
    segment = host.session.segment
    return segment is not None and segment.kind == MATTERS_ARISING


class NextMatter(LineKey):
    key, description, key_display, rank = "right", "Next action", "→", 1

    def applies(self, host: Host) -> bool:
        return _reviewing(host)

    def run(self, host: Host) -> None:
        host.do(host.session.matters.move, 1)


class PreviousMatter(LineKey):
    key, description, key_display, rank, show = "left", "Previous action", "←", 1, False

    def applies(self, host: Host) -> bool:
        return _reviewing(host)

    def run(self, host: Host) -> None:
        host.do(host.session.matters.move, -1)


# -- the summary ------------------------------------------------------------------------------------


def matters_block(summary: Summary, today: date) -> Table | None:
    """What became of the series' earlier actions, reviewed under matters arising."""
    matters = [m for segment in summary.meeting.segments for m in segment.matters]
    if not matters:
        return None
    reviewed = [m for m in matters if m.outcome]
    table = Table(
        title=f"Earlier actions reviewed: {len(reviewed)} of {len(matters)}",
        title_justify="left",
        expand=True,
        box=None,
        show_header=bool(reviewed),
    )
    table.add_column("Outcome", no_wrap=True)
    table.add_column("Action", ratio=1)
    table.add_column("Owner", no_wrap=True, overflow="ellipsis", max_width=24)
    for matter in reviewed:
        table.add_row(Text(outcome_text(matter, today), style="green"), Text(clean_block(matter.text)), Text(clean_line(matter.owner) or "–"))
    return table


# -- the view ---------------------------------------------------------------------------------------


class MattersView(KindView):
    kind = MATTERS_ARISING
    position = 40
    line_keys = (NextMatter(), PreviousMatter())

    def stage(self) -> Stage | None:
        return MattersStage()

    def has_board(self, segment: Segment) -> bool:
        return segment.kind == MATTERS_ARISING

    def summary_blocks(self, summary: Summary, today: date) -> Iterable[tuple[str, Any]]:
        if (block := matters_block(summary, today)) is not None:
            yield "actions", block


VIEW = MattersView()

"""Dialogs for the richer formats: sessions, reports, who took part, thumbs, matters, rebalancing."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from facilitate.dates import DueDateError, parse_due
from facilitate.session import MeetingSession
from facilitate.text import clean_block, clean_line
from screens.dialogs import FIELD_KEYS, FieldError
from screens.inputs import OrderedInput, OrderedTextArea
from screens.ticks import TickList

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 80; max-width: 96%; height: auto; max-height: 95%; overflow-y: auto;
    border: round $primary; background: $surface; padding: 0 2;
}}
{name} .title {{ text-style: bold; margin-top: 1; }}
{name} Label {{ margin-top: 1; }}
{name} .hint {{ color: $text-muted; }}
{name} Horizontal {{ height: auto; align: right middle; margin: 1 0; }}
{name} Button {{ margin-left: 2; }}
"""


class SessionForm(ModalScreen["tuple[str, str, str] | None"]):
    """An open space session (or a Lean Coffee topic): title, convener, a line of description."""

    DEFAULT_CSS = DIALOG_CSS.format(name="SessionForm")
    BINDINGS = [Binding("escape", "cancel", "Cancel"), *FIELD_KEYS]

    def __init__(
        self, heading: str, title: str = "", by: str = "", description: str = "", *, with_description: bool = True
    ) -> None:
        super().__init__()
        self.heading = heading
        self.values = (title, by, description)
        self.with_description = with_description

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.heading), classes="title")
            yield Label("Title")
            yield OrderedInput(self.values[0], id="title")
            yield FieldError(id="title-error")
            yield Label("Convener" if self.with_description else "Proposed by")
            yield OrderedInput(self.values[1], id="by", placeholder="someone present, or any name")
            if self.with_description:
                yield Label("One line of description (optional)")
                yield OrderedInput(self.values[2], id="description")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        title = clean_line(self.query_one("#title", Input).value)
        if not title:
            self.query_one("#title-error", FieldError).show("A title is needed")
            self.query_one("#title", Input).focus()
            return
        description = self.query_one("#description", Input).value if self.with_description else ""
        self.dismiss((title, self.query_one("#by", Input).value, description))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ReportEditor(ModalScreen[str | None]):
    """A session's report, in the convener's words: several lines; with what was captured
    for the session (c on the wall) shown above it, as it goes into the record with it."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ReportEditor")
        + """
    ReportEditor TextArea { height: 12; }
    ReportEditor #captured { height: auto; max-height: 8; overflow-y: auto; margin-top: 1; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save", priority=True)]

    def __init__(self, heading: str, text: str, captured: list[str] | None = None) -> None:
        super().__init__()
        self.heading = heading
        self.text = text
        self.captured = captured or []
        """The session's captures as lines ("= We agree...", "! Asha: call..."), already plain text."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.heading), classes="title")
            if self.captured:
                lines = Text(f"Captured for this session ({len(self.captured)}), in the record with the report:\n",
                             style="dim")  # fmt: skip
                lines.append("\n".join(self.captured))
                yield Static(lines, id="captured")
            yield Static("What was discussed, what came out of it. ctrl+s saves.", classes="hint")
            yield OrderedTextArea(self.text, id="report", soft_wrap=True)
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save  ctrl+s", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(clean_block(self.query_one(TextArea).text))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class WhoTookPart(ModalScreen["list[str] | None"]):
    """Tick who took part in a session (people move between sessions freely)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="WhoTookPart")
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save", priority=True)]

    def __init__(self, heading: str, people: list[tuple[str, str]], chosen: list[str]) -> None:
        super().__init__()
        self.heading = heading
        self.people = people
        self.chosen = list(chosen)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.heading), classes="title")
            yield Static("Space or Enter ticks or unticks a person; ctrl+s saves.", classes="hint")
            yield TickList(self.people, self.chosen, id="people")
            yield Static(classes="hint", id="count")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save  ctrl+s", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one(TickList).focus()
        self._count()

    @on(TickList.Changed)
    def _count(self) -> None:
        ticks = self.query_one(TickList)
        self.query_one("#count", Static).update(f"{len(ticks.ticked)} of {len(ticks.rows)} ticked")

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(self.query_one(TickList).ticked)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class PickProposal(ModalScreen[str | None]):
    """Choose a session or topic from a list."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="PickProposal")
        + """
    PickProposal OptionList { height: auto; max-height: 20; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, heading: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.heading = heading
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.heading), classes="title")
            yield OptionList(*[Option(Text(label), id=pid) for pid, label in self.choices])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _count(value: str) -> int | None:
    value = value.strip() or "0"
    return int(value) if value.isdigit() and int(value) <= 10000 else None


class ThumbsVote(ModalScreen["tuple[int, int, int, bool] | None"]):
    """The room's thumbs at the end of a Lean Coffee timebox: continue or move on."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ThumbsVote")
        + """
    ThumbsVote .counts { height: auto; }
    ThumbsVote .counts Vertical { width: 1fr; height: auto; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel"), *FIELD_KEYS]

    def __init__(self, topic: str, extension_minutes: float) -> None:
        super().__init__()
        self.topic = topic
        self.extension_minutes = extension_minutes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(f"Thumbs on “{self.topic}”"), classes="title")
            yield Static(
                "Count the thumbs (Tab moves between them). Leave them empty to move on without a vote.", classes="hint"
            )
            with Horizontal(classes="counts"):
                for key, label in (("up", "👍 up"), ("sideways", "👉 sideways"), ("down", "👎 down")):
                    with Vertical():
                        yield Label(label)
                        yield OrderedInput(id=key, placeholder="0", type="integer")
            yield FieldError(id="error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button(f"Continue (+{self.extension_minutes:g} min)", id="continue")
                yield Button("Move on", id="move-on", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#up", Input).focus()

    def _counts(self) -> tuple[int, int, int] | None:
        values = [_count(self.query_one(f"#{key}", Input).value) for key in ("up", "sideways", "down")]
        if any(v is None for v in values):
            self.query_one(FieldError).show("Counts are whole numbers")
            return None
        return values[0], values[1], values[2]  # type: ignore[return-value]

    @on(Input.Submitted)
    def _submitted(self) -> None:
        counts = self._counts()
        if counts is None:
            return
        up, sideways, down = counts
        # Enter decides by the thumbs: more up than down continues.
        self.dismiss((up, sideways, down, up > down + sideways and up > 0))

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        counts = self._counts()
        if counts is not None:
            self.dismiss((*counts, True))

    @on(Button.Pressed, "#move-on")
    def _move_on(self) -> None:
        counts = self._counts()
        if counts is not None:
            self.dismiss((*counts, False))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class MatterDetail(ModalScreen["tuple[DueDate | None, str] | None"]):
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


class Rebalance(ModalScreen["int | None"]):
    """Take an overrun from later segments: shorten them, or skip one."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="Rebalance")
        + """
    Rebalance OptionList { height: auto; max-height: 16; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, heading: str, choices: list[str]) -> None:
        super().__init__()
        self.heading = heading
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.heading), classes="title")
            yield OptionList(*[Option(Text(label), id=str(i)) for i, label in enumerate(self.choices)])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)

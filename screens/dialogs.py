"""Small typed modal dialogs: each returns its answer through `dismiss`."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from facilitate.text import clean_line
from screens.inputs import OrderedInput

FIELD_KEYS = [
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
]
"""Tab between the fields of a form, taken the moment it arrives: as a plain binding it
waits until the field has seen it, and text typed straight after (a quick typist, a
text expander, a script) would land in the field being left."""


class ConfirmDialog(ModalScreen[bool]):
    """Yes or no, with the safe answer on Escape."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > Vertical {
        width: 64; max-width: 90%; height: auto;
        border: round $primary; background: $surface; padding: 1 2;
    }
    ConfirmDialog .question { text-style: bold; margin-bottom: 1; }
    ConfirmDialog .detail { color: $text-muted; margin-bottom: 1; }
    ConfirmDialog Horizontal { height: auto; align: right middle; }
    ConfirmDialog Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("escape", "answer(False)", "Cancel"),
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n", "answer(False)", "No", show=False),
    ]

    def __init__(self, question: str, detail: str = "", yes: str = "Yes", no: str = "Cancel") -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.question), classes="question")
            if self.detail:
                yield Static(Content(self.detail), classes="detail")
            with Horizontal():
                yield Button(self.no, id="no")
                yield Button(self.yes, id="yes", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class FieldError(Static):
    """The message under a field when what was typed cannot be used."""

    DEFAULT_CSS = """
    FieldError { color: $error; height: auto; display: none; }
    FieldError.-shown { display: block; }
    """

    def show(self, message: str) -> None:
        self.update(Content(message))
        self.add_class("-shown")

    def clear(self) -> None:
        self.update("")
        self.remove_class("-shown")


class TextPrompt(ModalScreen[str | None]):
    """One line of text, validated by the caller's function before it is accepted."""

    DEFAULT_CSS = """
    TextPrompt { align: center middle; }
    TextPrompt > Vertical {
        width: 70; max-width: 95%; height: auto;
        border: round $primary; background: $surface; padding: 1 2;
    }
    TextPrompt Label { margin-bottom: 1; }
    TextPrompt .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", hint: str = "", validate=None, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint
        self.validate = validate
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Content(self.title_text))
            yield OrderedInput(self.value, placeholder=self.placeholder, id="value")
            yield FieldError(id="error")
            if self.hint:
                yield Static(Content(self.hint), classes="hint")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value
        if self.validate is not None:
            problem = self.validate(value)
            if problem:
                self.query_one(FieldError).show(problem)
                return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)


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
/* A short terminal (24 rows): the form without its blank lines, so no field scrolls out of sight. */
{name}.-short .title, {name}.-short Label {{ margin-top: 0; }}
{name}.-short Horizontal {{ margin: 0; }}
"""
"""The look of a form over the run screen, scoped by the dialog's type (`{name}`)."""


class ProposalForm(ModalScreen["tuple[str, str, str] | None"]):
    """An open space session or a Lean Coffee topic: title, convener, a line of description."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ProposalForm")
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


class PickOne(ModalScreen[str | None]):
    """Choose one from a list (a session, a topic, a series): its id, or None."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="PickOne")
        + """
    PickOne OptionList { height: auto; max-height: 20; }
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

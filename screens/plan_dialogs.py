"""Dialogs used while planning: choosing a format, editing a segment."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from facilitate import kinds
from facilitate.models import Segment
from facilitate.text import clean_line
from formats import Format, FormatLibrary
from screens import kinds as views
from screens.dialogs import FIELD_KEYS, FieldError
from screens.inputs import OrderedInput


def format_option(fmt: Format) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(ratio=1)
    line = Text.assemble((fmt.name, "bold"), (f"  {fmt.kind} · {fmt.minutes:g} min", "dim"))
    if fmt.source != "built-in":
        line.append("  (yours)", style="italic")
    grid.add_row(line)
    if fmt.description:
        grid.add_row(Text(fmt.description, style="dim"))
    return grid


class FormatPicker(ModalScreen[str | None]):
    """Pick a format to add to the agenda."""

    DEFAULT_CSS = """
    FormatPicker { align: center middle; }
    FormatPicker > Vertical {
        width: 80; max-width: 96%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    FormatPicker OptionList { height: auto; max-height: 20; border: none; }
    FormatPicker Label { margin: 1 0 0 1; text-style: bold; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, library: FormatLibrary, heading: str = "Add a segment: choose a format") -> None:
        super().__init__()
        self.library = library
        self.heading = heading

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading)
            yield OptionList(*[Option(format_option(f), id=f.id) for f in self.library.ordered()])

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _positive_number(text: str, what: str, *, maximum: float) -> tuple[float | None, str]:
    value = text.strip().replace(",", ".")
    try:
        number = float(value)
    except ValueError:
        return None, f"{what}: {text.strip()!r} is not a number"
    if not 0 < number <= maximum or number != number:
        return None, f"{what} must be above 0 and at most {maximum:g}"
    return number, ""


class SegmentEditor(ModalScreen[Segment | None]):
    """Edit a segment's name, length, time per person and prompt."""

    DEFAULT_CSS = """
    SegmentEditor { align: center middle; }
    SegmentEditor > Vertical {
        width: 72; max-width: 96%; height: auto; max-height: 95%; overflow-y: auto;
        border: round $primary; background: $surface; padding: 0 2;
    }
    SegmentEditor Label { margin-top: 1; }
    SegmentEditor Horizontal { height: auto; align: right middle; margin-top: 1; }
    SegmentEditor Button { margin-left: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), *FIELD_KEYS]

    def __init__(self, segment: Segment) -> None:
        super().__init__()
        self.segment = segment

    def compose(self) -> ComposeResult:
        segment = self.segment
        view = views.view(segment.kind)
        with Vertical():
            yield Label("Name")
            yield OrderedInput(segment.name, id="name")
            yield FieldError(id="name-error")
            if not kinds.get(segment.kind).length_from_options:
                yield Label("Minutes")
                yield OrderedInput(f"{segment.planned / 60:g}", id="minutes")
                yield FieldError(id="minutes-error")
            # The kind's own settings (an open space's wall, a Lean Coffee's votes, a round's time each).
            yield from view.editor_fields(segment)
            yield Label("Prompt (shown large for the room)")
            yield OrderedInput(segment.prompt, id="prompt")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def check(self, field: str, what: str, maximum: float, *, whole: bool = False) -> float | None:
        """A number field: its value, or None with what is wrong shown under it."""
        value, problem = _positive_number(self.query_one(f"#{field}", Input).value, what, maximum=maximum)
        if value is not None and whole and value != int(value):
            value, problem = None, f"{what} must be a whole number"
        error = self.query_one(f"#{field}-error", FieldError)
        error.show(problem) if problem else error.clear()
        return value

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        segment = self.segment
        name = clean_line(self.query_one("#name", Input).value)
        if not name:
            self.query_one("#name-error", FieldError).show("A segment needs a name")
        else:
            self.query_one("#name-error", FieldError).clear()
        minutes = None
        if not kinds.get(segment.kind).length_from_options:
            minutes = self.check("minutes", "Minutes", 24 * 60)
        view = views.view(segment.kind)
        values = view.editor_check(self, segment)
        if not name or values is None or (minutes is None and not kinds.get(segment.kind).length_from_options):
            return
        segment.name = name
        segment.prompt = clean_line(self.query_one("#prompt", Input).value)
        view.editor_apply(segment, values, minutes)
        self.dismiss(segment)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class SeriesHint(Static):
    """Under the series field: the existing series, and whether this one is new."""

    def refresh_from(self, typed: str, existing: list[str]) -> None:
        typed_key = typed.strip().casefold()
        if typed_key and any(name.casefold() == typed_key for name in existing):
            self.update(Content("Existing series: its last agenda is loaded."))
        elif typed_key:
            self.update(Content("A new series."))
        elif existing:
            shown = " · ".join(existing[:5]) + (" …" if len(existing) > 5 else "")
            self.update(Content(f"Existing: {shown}"))
        else:
            self.update(Content("A recurring series, e.g. East ICB open meeting (optional)"))

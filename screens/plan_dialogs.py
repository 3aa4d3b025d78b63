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

from facilitate.models import ROUND, Segment
from facilitate.text import clean_line
from formats import Format, FormatLibrary
from screens.dialogs import FIELD_KEYS, FieldError
from screens.inputs import OrderedInput


def format_option(fmt: Format) -> Table:
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(ratio=1)
    line = Text.assemble((fmt.name, "bold"), (f"  {fmt.kind} · {fmt.minutes:g} min", "dim"))
    if fmt.source != "built-in":
        line.append("  (yours)", style="italic")
    grid.add_row(line)
    if fmt.summary:
        grid.add_row(Text(fmt.summary, style="dim"))
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
        with Vertical():
            yield Label("Name")
            yield OrderedInput(segment.name, id="name")
            yield FieldError(id="name-error")
            if segment.open_space is not None:
                space = segment.open_space
                yield Label("Theme (a question, shown large for the room)")
                yield OrderedInput(space.theme, id="theme")
                yield Label("Time slots on the wall")
                yield OrderedInput(str(space.slots), id="slots", type="integer")
                yield FieldError(id="slots-error")
                yield Label("Minutes per slot")
                yield OrderedInput(f"{space.slot_minutes:g}", id="slot-minutes")
                yield FieldError(id="slot-minutes-error")
                yield Label("Spaces, separated by commas")
                yield OrderedInput(", ".join(space.spaces), id="spaces")
                yield FieldError(id="spaces-error")
            else:
                yield Label("Minutes")
                yield OrderedInput(f"{segment.planned / 60:g}", id="minutes")
                yield FieldError(id="minutes-error")
            if segment.lean_coffee is not None:
                yield Label("Votes per person")
                yield OrderedInput(str(segment.lean_coffee.votes_per_person), id="votes", type="integer")
                yield FieldError(id="votes-error")
                yield Label("Minutes per topic (extensions are half as long again)")
                yield OrderedInput(f"{segment.lean_coffee.timebox_minutes:g}", id="timebox")
                yield FieldError(id="timebox-error")
            if segment.kind == ROUND:
                yield Label("Seconds each person speaks")
                yield OrderedInput(f"{(segment.per_person or 60):g}", id="per-person")
                yield FieldError(id="per-person-error")
            yield Label("Prompt (shown large for the room)")
            yield OrderedInput(segment.prompt, id="prompt")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        ok = True

        def check(field: str, what: str, maximum: float, *, whole: bool = False) -> float | None:
            nonlocal ok
            value, problem = _positive_number(self.query_one(f"#{field}", Input).value, what, maximum=maximum)
            if value is not None and whole and value != int(value):
                value, problem = None, f"{what} must be a whole number"
            error = self.query_one(f"#{field}-error", FieldError)
            error.show(problem) if problem else error.clear()
            ok = ok and value is not None
            return value

        name = clean_line(self.query_one("#name", Input).value)
        if not name:
            self.query_one("#name-error", FieldError).show("A segment needs a name")
            ok = False
        else:
            self.query_one("#name-error", FieldError).clear()
        segment = self.segment
        minutes = slots = slot_minutes = votes = timebox = None
        spaces: list[str] = []
        if segment.open_space is not None:
            slots = check("slots", "Slots", 12, whole=True)
            slot_minutes = check("slot-minutes", "Minutes per slot", 240)
            spaces = [clean_line(x) for x in self.query_one("#spaces", Input).value.split(",") if clean_line(x)]
            spaces_error = self.query_one("#spaces-error", FieldError)
            if not 1 <= len(spaces) <= 12:
                spaces_error.show("Name 1 to 12 spaces, separated by commas")
                ok = False
            else:
                spaces_error.clear()
        else:
            minutes = check("minutes", "Minutes", 24 * 60)
        if segment.lean_coffee is not None:
            votes = check("votes", "Votes per person", 20, whole=True)
            timebox = check("timebox", "Minutes per topic", 120)
        per_person = segment.per_person
        if segment.kind == ROUND:
            per_person = check("per-person", "Seconds each", 3600)
        if not ok:
            return
        segment.name = name
        segment.per_person = per_person
        segment.prompt = clean_line(self.query_one("#prompt", Input).value)
        if segment.open_space is not None:
            from facilitate.open_space import resize_wall

            resize_wall(
                segment,
                slots=int(slots),
                slot_minutes=float(slot_minutes),
                spaces=spaces,
                theme=clean_line(self.query_one("#theme", Input).value),
            )
        else:
            if segment.lean_coffee is not None:
                from facilitate.lean_coffee import build_phases

                segment.lean_coffee.votes_per_person = int(votes)
                segment.lean_coffee.timebox_minutes = float(timebox)
                fixed = {p.kind: p.seconds / 60 for p in segment.phases}
                segment.phases = build_phases(
                    float(minutes), propose=fixed.get("propose", 5), vote=fixed.get("vote", 3)
                )
                segment.planned = sum(p.seconds for p in segment.phases)
            elif segment.phases:
                segment.rescale_phases(float(minutes) * 60)
            else:
                segment.planned = float(minutes) * 60
        self.dismiss(segment)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class SeriesHint(Static):
    """Under the series field: the existing series, and whether this one is new."""

    def show(self, typed: str, existing: list[str]) -> None:
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

"""Help: the keys of the screen underneath, the quick-entry grammar, the date words."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from facilitate.dates import EXAMPLES
from facilitate.quickentry import GRAMMAR
from screens.boards import Board


def keys_table(screen, owner=None, *, general: bool = True) -> Table:
    """The keys `owner` (the screen, by default) binds, described; with the keys every screen
    has when `general`."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    seen = set()
    source = owner if owner is not None else screen
    # A screen's own keys, then those of what it is made from (present mode on the run screen).
    classes = source.__mro__ if isinstance(source, type) else type(source).__mro__
    inherited = [b for cls in classes for b in cls.__dict__.get("BINDINGS", []) if cls.__module__.startswith("screens.")]
    for binding in inherited or getattr(source, "BINDINGS", []):
        if isinstance(binding, tuple):
            binding = Binding(*binding)
        if not binding.description or (binding.action, binding.description) in seen:
            continue
        seen.add((binding.action, binding.description))
        keys = " / ".join(
            screen.app.get_key_display(Binding(key.strip(), binding.action)) for key in binding.key.split(",")
        )
        if binding.key_display:
            keys = binding.key_display
        table.add_row(Text(keys), Text(binding.tooltip or binding.description))
    if not general:
        return table
    table.add_row(Text("? / F1"), Text("This help"))
    table.add_row(Text("ctrl+p"), Text("Command palette: every action, by name"))
    table.add_row(Text("ctrl+q"), Text("Quit (a meeting in progress is kept and resumes next time)"))
    return table


def grammar_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for example, meaning in GRAMMAR:
        table.add_row(Text(example), Text(meaning))
    return table


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 96%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 2;
    }
    HelpScreen .heading { text-style: bold; color: $primary; margin-top: 1; }
    HelpScreen .muted { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close"),
    ]

    def __init__(self, below=None) -> None:
        super().__init__()
        self.below = below
        """The screen whose keys are listed."""

    def compose(self) -> ComposeResult:
        below = self.below
        with VerticalScroll():
            yield Static("Keys on this screen", classes="heading")
            yield Static(keys_table(below) if below is not None else "")
            # Parts of the screen with keys of their own (the plan's agenda), each under its name.
            for heading, widget_type in getattr(below, "HELP_SECTIONS", ()):
                yield Static(heading, classes="heading")
                yield Static(keys_table(below, widget_type, general=False))
            # A board with the focus (the open space wall, the Lean Coffee board...): its keys too.
            focused = getattr(below, "focused", None)
            if isinstance(focused, Board):
                yield Static("Keys on the board (it has the focus)", classes="heading")
                yield Static(keys_table(below, type(focused), general=False))
            yield Static("Quick entry (run screen: press / or start typing + - ! = *)", classes="heading")
            yield Static(grammar_table())
            yield Static("Due dates", classes="heading")
            yield Static(
                Text(
                    f"{EXAMPLES}.\nDay first: 3/12 is 3 December. 'fri' is the next Friday; "
                    "'next fri' is Friday of next week. ISO dates are never flipped."
                )
            )
            yield Static("Escape closes this help.", classes="muted")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)

"""Fist to five on screen: → on the empty capture line counts the hands, in a form of six
numbers (a fist to five fingers); the room's view shows the counts once they are in.

The interface half of the README's worked example of adding a format kind (the core half is
`facilitate/kinds/fist_to_five.py`).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from facilitate.kinds.fist_to_five import FINGERS, FIST_TO_FIVE, MAX_HANDS, reading
from screens.dialogs import DIALOG_CSS, FIELD_KEYS, FieldError
from screens.inputs import OrderedInput
from screens.kinds import Host, KindView, LineKey

LABELS = ("✊ 0", "1", "2", "3", "4", "5")


def _count(value: str) -> int | None:
    value = value.strip() or "0"
    return int(value) if value.isdigit() and int(value) <= MAX_HANDS else None


class HandsCount(ModalScreen["list[int] | None"]):
    """The hands shown, counted by fingers: six whole numbers (empty is none)."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="HandsCount")
        + """
    HandsCount .counts { height: auto; }
    HandsCount .counts Vertical { width: 1fr; height: auto; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel"), *FIELD_KEYS]

    def __init__(self, question: str, counts: list[int] | None = None) -> None:
        super().__init__()
        self.question = question
        self.counts = counts
        """The counts already taken, to correct."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content(self.question or "Fist to five"), classes="title")
            yield Static("How many hands show each number? (Tab moves on; empty is none.)", classes="hint")
            with Horizontal(classes="counts"):
                for fingers, label in zip(FINGERS, LABELS):
                    with Vertical():
                        yield Label(label)
                        yield OrderedInput(id=f"fingers-{fingers}", placeholder="0", type="integer")
            yield FieldError(id="error")
            with Horizontal():
                yield Button("Cancel", id="cancel")
                yield Button("Keep the counts", id="keep", variant="primary")

    def on_mount(self) -> None:
        if self.counts is not None:
            for fingers, count in zip(FINGERS, self.counts):
                self.query_one(f"#fingers-{fingers}", Input).value = str(count) if count else ""
        self.query_one("#fingers-0", Input).focus()

    def _counts(self) -> list[int] | None:
        values = [_count(self.query_one(f"#fingers-{n}", Input).value) for n in FINGERS]
        if any(v is None for v in values):
            self.query_one(FieldError).show(f"Counts are whole numbers up to {MAX_HANDS:,}")
            return None
        return [v for v in values if v is not None]

    @on(Input.Submitted)
    @on(Button.Pressed, "#keep")
    def _keep(self) -> None:
        counts = self._counts()
        if counts is not None:
            self.dismiss(counts)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class CountHands(LineKey):
    """→ in a fist to five: count the hands (again, to correct them)."""

    key, description, key_display, rank = "right", "Count hands", "→", 5

    def applies(self, host: Host) -> bool:
        segment = host.session.segment
        return segment is not None and segment.kind == FIST_TO_FIVE

    def run(self, host: Host) -> None:
        operations = host.session.fist_to_five  # type: ignore[attr-defined]
        segment = host.session.segment
        assert segment is not None

        def counted(counts: list[int] | None) -> None:
            if counts is not None:
                host.do(operations.count, counts)
                host.notify(f"Counted: {reading(counts)}", timeout=4, markup=False)

        host.app.push_screen(HandsCount(segment.prompt, operations.counts()), counted)


class FistToFiveView(KindView):
    kind = FIST_TO_FIVE
    line_keys = (CountHands(),)

    def room_body(self, body: dict[str, Any]) -> Content | None:
        counts = body.get("counts")
        if not counts:
            return None
        lines = "   ".join(f"{label}: {count}" for label, count in zip(LABELS, counts))
        return Content.assemble((lines, "bold"), "\n", (body.get("reading", ""), "$text-muted"))


VIEW = FistToFiveView()

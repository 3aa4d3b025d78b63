"""A list of people (or anything) to tick, whose state reads without colour.

Each row says what it is in characters: `[✓] Asha Patel` when ticked, `[ ] Tom
Reed` when not, so a projector, a monochrome terminal or a colour-blind
facilitator all read it the same. Space or Enter ticks the row under the
cursor at the moment the key is handled, in order with the arrows around it
(Textual's SelectionList toggles whichever row is highlighted when its
message arrives, which after a quick ↓ is the next one).
"""

from __future__ import annotations

from typing import Iterable

from rich.text import Text
from textual import events, on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from facilitate.text import clean_line

TICKED = "[✓] "
UNTICKED = "[ ] "


def tick_label(label: str, ticked: bool) -> Text:
    """A row: the mark, then the label as plain text (never markup)."""
    text = Text(TICKED if ticked else UNTICKED, style="bold" if ticked else "")
    text.append(clean_line(label), style="bold" if ticked else "")
    if ticked:
        text.append("  ticked", style="dim italic")
    return text


class TickList(OptionList):
    """Rows that are ticked or not; `ticked` is exactly what the rows show."""

    DEFAULT_CSS = """
    TickList { height: auto; max-height: 20; }
    """

    class Changed(Message):
        """A row was ticked or unticked."""

        def __init__(self, tick_list: TickList) -> None:
            super().__init__()
            self.tick_list = tick_list

        @property
        def control(self) -> TickList:
            return self.tick_list

    def __init__(self, rows: Iterable[tuple[str, str]], ticked: Iterable[str] = (), **kwargs) -> None:
        """`rows` are (id, label) in the order shown; `ticked` the ids ticked to start with."""
        self.rows = list(rows)
        self._ticked = {row_id for row_id in ticked if row_id in {rid for rid, _ in self.rows}}
        super().__init__(*[Option(tick_label(label, rid in self._ticked), id=rid) for rid, label in self.rows], **kwargs)

    @property
    def ticked(self) -> list[str]:
        """The ids ticked, in the order of the rows."""
        return [row_id for row_id, _ in self.rows if row_id in self._ticked]

    def is_ticked(self, row_id: str) -> bool:
        return row_id in self._ticked

    def toggle(self, index: int) -> None:
        if not 0 <= index < len(self.rows):
            return
        row_id, label = self.rows[index]
        self._ticked ^= {row_id}
        self.replace_option_prompt_at_index(index, tick_label(label, row_id in self._ticked))
        self.post_message(self.Changed(self))

    async def _on_key(self, event: events.Key) -> None:
        # Here rather than as a binding: the row is the one under the cursor now.
        if event.key in ("space", "enter") and self.highlighted is not None:
            event.stop()
            event.prevent_default()
            self.toggle(self.highlighted)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        # A click (the keys are handled above): the row that was clicked.
        event.stop()
        self.toggle(event.option_index)

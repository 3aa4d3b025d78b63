"""The agenda while planning: a list of segments edited by keys."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from facilitate import kinds
from facilitate.models import Segment
from facilitate.text import clean_line
from screens import kinds as views


def segment_row(index: int, segment: Segment, width: int = 70) -> Table:
    row = Table.grid(padding=(0, 1), expand=True)
    row.add_column(width=3, justify="right")
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    row.add_column(width=15, no_wrap=True)  # "matters-arising" whole
    row.add_column(width=7, justify="right", no_wrap=True)
    row.add_column(width=10, no_wrap=True)
    minutes = segment.planned / 60
    minutes_text = f"{minutes:g} min"
    each = views.view(segment.kind).agenda_note(segment)
    row.add_row(
        Text(f"{index + 1}"),
        Text(clean_line(segment.name), style="bold"),
        Text(segment.kind, style="dim"),
        Text(minutes_text),
        Text(each, style="dim"),
    )
    return row


class AgendaEditor(OptionList):
    """Segments in order. Keys add, remove, move and resize; changes are announced."""

    BINDINGS = [
        Binding("a,insert", "add", "Add segment"),
        Binding("x,delete", "remove", "Remove"),
        Binding("ctrl+up,shift+up,K", "move(-1)", "Move up", key_display="ctrl+↑"),
        Binding("ctrl+down,shift+down,J", "move(1)", "Move down", key_display="ctrl+↓"),
        Binding("right,plus,equals_sign", "resize(1)", "+1 min", key_display="→"),
        Binding("left,minus", "resize(-1)", "−1 min", key_display="←"),
        Binding("e", "edit", "Edit segment"),
    ]

    class Changed(Message):
        """The agenda changed (by the person, not by loading a plan)."""

        def __init__(self, editor: AgendaEditor) -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> AgendaEditor:
            return self.editor

    class AddRequested(Message):
        """The person wants to add a segment after the highlighted one."""

    class EditRequested(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, segments: list[Segment] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.segments: list[Segment] = list(segments or [])

    def on_mount(self) -> None:
        self.rebuild()

    def refresh_from(self, segments: list[Segment]) -> None:
        self.segments = list(segments)
        self.rebuild(0)

    def rebuild(self, highlight: int | None = None) -> None:
        keep = self.highlighted if highlight is None else highlight
        self.clear_options()
        self.add_options([Option(segment_row(i, s)) for i, s in enumerate(self.segments)])
        if self.segments:
            self.highlighted = max(0, min(keep or 0, len(self.segments) - 1))

    def _changed(self, highlight: int | None = None) -> None:
        self.rebuild(highlight)
        self.post_message(self.Changed(self))

    def insert(self, segment: Segment) -> None:
        index = (self.highlighted + 1) if self.highlighted is not None and self.segments else len(self.segments)
        self.segments.insert(index, segment)
        self._changed(index)

    def replace(self, index: int, segment: Segment) -> None:
        self.segments[index] = segment
        self._changed(index)

    def action_add(self) -> None:
        self.post_message(self.AddRequested())

    def action_edit(self) -> None:
        if self.highlighted is not None and self.segments:
            self.post_message(self.EditRequested(self.highlighted))

    def action_remove(self) -> None:
        if self.highlighted is None or not self.segments:
            return
        index = self.highlighted
        del self.segments[index]
        self._changed(min(index, len(self.segments) - 1))

    def action_move(self, offset: int) -> None:
        if self.highlighted is None or not self.segments:
            return
        index = self.highlighted
        target = index + offset
        if not 0 <= target < len(self.segments):
            return
        self.segments.insert(target, self.segments.pop(index))
        self._changed(target)

    def action_resize(self, minutes: int) -> None:
        if self.highlighted is None or not self.segments:
            return
        segment = self.segments[self.highlighted]
        refused = kinds.get(segment.kind).resize(segment, max(60.0, segment.planned + minutes * 60))
        if refused is not None:
            if refused:
                self.app.notify(refused)
            return
        self._changed(self.highlighted)

"""What the boards on the run screen share (the open space's wall, the Lean Coffee board,
the matters arising list: each in its kind's module, `screens/kinds/`).

A board takes focus (↓ from the empty capture line; Esc goes back), shows
full screen on f, and turns keys into typed messages that its kind's stage
handles. It draws from the session it is given and never changes it. A
capture character typed on a board goes to the capture line.
"""

from __future__ import annotations

from textual.message import Message
from textual.widget import Widget

from facilitate.session import MeetingSession
from facilitate.text import clean_line


def safe(text: str) -> str:
    """Text from the record as one displayable line."""
    return clean_line(text)


CAPTURE_KEYS = set("+-!=*\\/")
"""Characters that start a capture: typed on a board, they go to the capture line."""


class BoardLeave(Message):
    """Back to the capture line, perhaps with the character that was typed."""

    def __init__(self, typed: str = "") -> None:
        super().__init__()
        self.typed = typed


class Board(Widget, can_focus=True):
    """What the boards share: drawn from a session, full screen on f, and back to the
    capture line on Esc or a capture character."""

    DEFAULT_CSS = """
    Board { height: auto; margin-bottom: 1; }
    Board:focus { background: $boost; }
    """
    ALLOW_MAXIMIZE = True

    Leave = BoardLeave
    capture_keys = CAPTURE_KEYS

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session: MeetingSession | None = None

    def refresh_from(self, session: MeetingSession) -> None:
        self.session = session
        self.refresh(layout=True)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_full(self) -> None:
        if self.screen.maximized is self:
            self.screen.minimize()
        else:
            self.screen.maximize(self)

    def action_leave(self) -> None:
        if self.screen.maximized is self:
            self.screen.minimize()
        self.post_message(BoardLeave())

    def on_key(self, event) -> None:
        if event.character and event.character in self.capture_keys:
            event.stop()
            event.prevent_default()
            if self.screen.maximized is self:
                self.screen.minimize()
            self.post_message(BoardLeave(event.character))

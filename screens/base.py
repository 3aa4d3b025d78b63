"""What every facilitate screen shares: a clear message when the terminal is too small."""

from __future__ import annotations

from typing import Any, Callable

from textual import events
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 60, 20


class TooSmall(Static):
    """Shown instead of a broken layout when the terminal is below 60x20."""

    DEFAULT_CSS = """
    TooSmall {
        display: none;
        width: 1fr;
        height: 1fr;
        content-align: center middle;
        text-align: center;
        color: $warning;
    }
    """

    def __init__(self) -> None:
        super().__init__(
            f"Make the window larger\n(at least {MIN_WIDTH} × {MIN_HEIGHT})",
            markup=False,
        )


class BaseScreen(Screen):
    """A screen that swaps itself for a "make the window larger" message when too small."""

    DEFAULT_CSS = """
    BaseScreen.-too-small > * { display: none; }
    BaseScreen.-too-small > TooSmall { display: block; }
    """

    def on_mount(self) -> None:
        self.mount(TooSmall())
        self._check_size(self.app.size.width, self.app.size.height)

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")

    def post(self, callback: Callable[..., object], *args: Any, **kwargs: Any) -> None:
        """From a worker: run `callback` on the event loop, unless this screen has gone meanwhile."""

        def run() -> None:
            # Not `is_mounted`: a worker started by on_mount can finish before that is set.
            if self in self.app.screen_stack:
                callback(*args, **kwargs)

        try:
            self.app.call_from_thread(run)
        except RuntimeError:  # the app is closing
            pass

"""What every facilitate screen shares: its services, and a clear message when the terminal is too small.

The app is built with its services (`screens.app.make_app`): the archive, the
review distilled from it, the formats, the clock and the configuration.
Screens reach them through typed properties here (`self.archive`,
`self.review`, `self.session_in_progress`...), never as untyped attributes of
`self.app`; `tests/app/test_services.py` holds every screen to that.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, cast

from textual import events
from textual.screen import Screen
from textual.widgets import Footer, Static

if TYPE_CHECKING:
    from facilitate.archive import Archive
    from facilitate.clock import Clock
    from facilitate.config import Config
    from facilitate.review import Review
    from facilitate.session import MeetingSession
    from formats import FormatLibrary
    from screens.app import FacilitateApp
    from screens.phones import PhonesHost

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


class SteadyFooter(Footer):
    """The key bar, rebuilt only when a key it shows has changed.

    Textual's `Footer` rebuilds every key widget whenever its screen's bindings
    are refreshed: each time a dialog over the screen closes, and on each
    change of focus. That is a few dozen widgets composed and styled anew,
    most of the work of opening a dialog soon after closing one, while the keys
    shown are nearly always the same. It still rebuilds on any change of a key,
    its words, or whether it can be pressed now.
    """

    _shown: tuple[tuple[str, str, str, bool, str], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple(
            (key, active.binding.action, active.binding.description, active.enabled, active.tooltip)
            for key, active in screen.active_bindings.items()
            if active.binding.show
        )
        if shown == self._shown and self.children:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._shown = shown  # Footer rebuilds now (it waits while the terminal is in the background)
        super().bindings_changed(screen)


class BaseScreen(Screen):
    """A facilitate screen: its services, typed; and a "make the window larger" message when too small."""

    DEFAULT_CSS = """
    BaseScreen.-too-small > * { display: none; }
    BaseScreen.-too-small > TooSmall { display: block; }
    """

    # -- services -----------------------------------------------------------------------------

    @property
    def facilitate_app(self) -> FacilitateApp:
        """The app this screen belongs to, typed (Textual's `app` is any `App`)."""
        return cast("FacilitateApp", self.app)

    @property
    def archive(self) -> Archive:
        return self.facilitate_app.archive

    @property
    def review(self) -> Review:
        """The archive distilled for looking back (one for the app; refresh it before use)."""
        return self.facilitate_app.review

    @property
    def config(self) -> Config:
        return self.facilitate_app.config

    @property
    def clock(self) -> Clock:
        return self.facilitate_app.clock

    @property
    def formats(self) -> FormatLibrary:
        return self.facilitate_app.formats

    @property
    def phones(self) -> PhonesHost:
        """The participants' server, while the room is open to phones (kept by the app)."""
        return self.facilitate_app.phones

    @property
    def session_in_progress(self) -> MeetingSession | None:
        """The meeting in progress, once it is running or resumed (kept by the app, across screens)."""
        return self.facilitate_app.session

    @session_in_progress.setter
    def session_in_progress(self, session: MeetingSession | None) -> None:
        self.facilitate_app.session = session

    # -- size ------------------------------------------------------------------------------------

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

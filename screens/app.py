"""The facilitate app: its screens, its services, and the archive loader.

`make_app(config, archive=..., review=...)` builds the app with the services
it uses; the CLI and the tests both call it (a test hands it an archive it has
filled, or a review it watches). Screens reach the services through typed
properties (`screens.base.BaseScreen`). The archive loads in a worker thread
after the first frame, so the home screen appears at once even with years of
meetings; screens watch `archive_state`.

What the home screen's first frame does not need is imported where it is used:
the phones' server and its dialogs when the room is opened to phones, the room,
the meeting in progress and the exports by their own screens and commands.
`tests/unit/test_startup_imports.py` keeps it so.
"""

from __future__ import annotations

import asyncio
import gc
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from facilitate import __version__
from facilitate.archive import Archive, ArchiveError
from facilitate.config import Config
from formats import FormatLibrary, load_library

if TYPE_CHECKING:
    # Not imported at start-up: the session pulls in the journal and date parsing,
    # the phones the dialogs; the home screen's first frame needs neither.
    from facilitate.review import Review
    from facilitate.session import MeetingSession
    from screens.phones import PhonesHost


def breakpoint_class(height: int) -> str:
    """The class `FacilitateApp.VERTICAL_BREAKPOINTS` gives a screen of this height."""
    chosen = ""
    for at, name in FacilitateApp.VERTICAL_BREAKPOINTS:
        if height >= at:
            chosen = name
    return chosen


class FacilitateApp(App[None]):
    TITLE = "facilitate"
    SUB_TITLE = __version__
    ENABLE_COMMAND_PALETTE = True
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    """Screens (dialogs included) shorter than 30 rows get the class `-short`: forms drop their blank lines."""
    BINDINGS = [
        Binding("f1", "help", "Help", show=False),
        Binding("question_mark", "help", "Help", show=False, key_display="?"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    archive_state: reactive[str] = reactive("loading")
    """"loading", "ready" or "error"."""

    def __init__(self, config: Config, *, archive: Archive, review: Review, formats: FormatLibrary) -> None:
        """Use `make_app`, which makes the services not given."""
        super().__init__()
        self.config = config
        self.clock = config.clock
        self.formats = formats
        self.archive = archive
        """Every finished meeting, the people and the series' plans."""
        self.review = review
        """The archive distilled for the review screens; filled as the archive loads."""
        self.archive_error: ArchiveError | None = None
        self.startup_notice = ""
        """Said once the app opens (what `--restore-backup` did, say)."""
        self._phones: PhonesHost | None = None
        self.session: MeetingSession | None = None
        """The meeting in progress, once it is running or resumed."""
        self.plan_draft: dict | None = None
        """A plan left with Esc before it started: the next new meeting picks it up."""
        if not config.animate:
            self.animation_level = "none"
        from screens.keys import KeyRouter
        from screens.upstream import guard_pastes, memo_tints

        guard_pastes()
        memo_tints()
        self.keys = KeyRouter(self, self._deliver_input)
        """Keys and pastes wait here and reach the app one settled key at a time (see screens.keys)."""

    @property
    def phones(self) -> PhonesHost:
        """The participants' server, while the room is open to phones (made when first asked for)."""
        if self._phones is None:
            from screens.phones import PhonesHost

            config = self.config
            self._phones = PhonesHost(lan=config.phones_lan, address=config.phones_address, port=config.phones_port)
        return self._phones

    # -- keys ---------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded and self.keys.running:
            self.keys.accept(event)
            return
        await super().on_event(event)

    async def _deliver_input(self, event: events.Event) -> None:
        await super().on_event(event)

    # -- start-up -------------------------------------------------------------------

    def on_mount(self) -> None:
        from screens.home import HomeScreen

        # A task, not a worker: it runs as long as the app, and tests wait for workers to end.
        self._key_task = asyncio.create_task(self.keys.run(), name="facilitate keys")
        self.push_screen(HomeScreen())
        if self.config.start == "plan" and not self.config.live_path.exists() and not self.config.read_only:
            from screens.plan import PlanScreen

            self.push_screen(PlanScreen())
        # Only once the first frame is out: a worker reading a large archive
        # holds the interpreter much of the time, and the screen comes first.
        self.call_after_refresh(self.load_archive)
        if self.startup_notice:
            self.notify(self.startup_notice, timeout=20)

    async def on_unmount(self) -> None:
        task = getattr(self, "_key_task", None)
        if task is not None:
            task.cancel()
        if self._phones is not None:
            await self._phones.stop()  # the app is closing: so is the room, to phones

    @work(thread=True, exclusive=True, group="archive")
    def load_archive(self) -> None:
        # The review (history, actions, people) distils each meeting in the same
        # pass, so that opening the history does not read the archive again.
        review = self.review
        if review.visit not in self.archive.visitors:
            self.archive.visitors.append(review.visit)
        try:
            # Every record read now, so that damage is named here, once, and the
            # damaged file is never written over (see `Archive.validate`).
            self.archive.validate()
        except ArchiveError as error:
            self.call_from_thread(self._archive_failed, error)
            return
        if len(self.archive) >= 1000:
            import gc

            # The archive's documents live as long as the app: keep them out of the
            # cyclic collector, whose full passes over millions of objects would
            # otherwise stall the screen for a second or more with years of meetings.
            # (Not for small archives: what is frozen is never collected, which
            # would hold on to every app a test run makes.)
            gc.freeze()
        self.call_from_thread(setattr, self, "archive_state", "ready")

    def _archive_failed(self, error: ArchiveError) -> None:
        self.archive_error = error
        self.archive_state = "error"

    def notify(self, message: str, *, title: str = "", severity="information", timeout=None, markup=True) -> None:
        """Every notice is plain text: many quote what people typed (a topic, a session, a
        name), which must never be read as markup. (Widgets' `notify` comes here too.)"""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def push_screen(self, screen, *args, **kwargs):
        """Open a screen; a dialog first clears the passing notices, which would cover it."""
        from textual.screen import ModalScreen

        shown = self.get_screen(screen) if isinstance(screen, str) else screen
        if isinstance(shown, ModalScreen):
            self.clear_notifications()
        # The height's class from its first frame (Textual sets it at the screen's first
        # resize, a frame later: a dialog would be drawn once with its blank lines).
        height = self.size.height
        for _, name in self.VERTICAL_BREAKPOINTS or []:
            shown.set_class(name == breakpoint_class(height), name)
        return super().push_screen(screen, *args, **kwargs)

    # -- shared actions -----------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit; but captures the disk has refused so far are lost on quitting, so ask first."""
        session = self.session
        if session is None or session.retry_save():
            self.exit()
            return
        from screens.dialogs import ConfirmDialog

        count = session.unsaved
        detail = (
            f"{count} change{'s' if count != 1 else ''} to the meeting could not be saved yet "
            "(see the message on the run screen) and would be lost. Free some space or fix the "
            "folder, and facilitate saves them by itself."
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self.exit()

        if not isinstance(self.screen, ConfirmDialog):
            self.push_screen(ConfirmDialog("Quit and lose what is not saved?", detail, yes="Quit"), answer)

    def action_help(self) -> None:
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def series_archive(self) -> ArchiveSeries:
        """What a meeting's kinds look up about its series in the archive (open actions,
        topics carried over), opening the archive first if it is still loading."""
        return ArchiveSeries(self)

    def ring(self) -> None:
        """The time-up bell, unless turned off."""
        if self.config.bell:
            self.bell()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every key of the current screen, so the palette lists every action."""
        seen = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen or binding.system:
                continue
            if not active.enabled:
                continue
            seen.add(binding.action)
            label = binding.description
            help_text = binding.tooltip or f"Key: {self.get_key_display(binding)}"
            namespace = active.node

            def run(action: str = binding.action, node: object = namespace) -> None:
                self.call_later(self.run_action, action, node)

            yield SystemCommand(label, help_text, run)
        yield from super().get_system_commands(screen)


def make_app(
    config: Config,
    *,
    archive: Archive | None = None,
    review: Review | None = None,
    formats: FormatLibrary | None = None,
) -> FacilitateApp:
    """Build the app with its services; the CLI and the tests both start here.

    Each service not given is made from `config`: the archive at
    `config.db_path` (read-only if the config says so), an empty review that
    fills as the archive loads, and the built-in formats with the
    facilitator's own. An archive given is opened by the app, as its own would be.
    """
    from facilitate.review import Review

    if archive is None:
        archive = Archive(config.db_path, read_only=config.read_only)
    if review is None:
        review = Review()
    if formats is None:
        formats = load_library(config.user_formats)
    return FacilitateApp(config, archive=archive, review=review, formats=formats)


GC_THRESHOLDS = (20_000, 20, 20)
"""The cyclic collector's thresholds while the app runs (Python's default: 700, 10, 10)."""


def run_app(
    db_path: Path, *, start: str = "home", read_only: bool = False, notice: str = "", phones: dict | None = None
) -> FacilitateApp:
    """Run the app until it quits; the CLI then reports what went wrong with the archive.

    `phones`: `--lan`'s settings (`phones_lan`, `phones_address`, `phones_port`)."""
    from facilitate.storage.paths import user_formats_dir

    config = Config(db_path=db_path, start=start, read_only=read_only, user_formats=user_formats_dir(), **(phones or {}))
    # Every frame makes thousands of short-lived objects (Textual's strips, each with its small
    # caches). With Python's default thresholds a full collection came every few dialog openings
    # and held each for 40 ms and more; collecting the young less often makes full ones rare.
    gc.set_threshold(*GC_THRESHOLDS)
    app = make_app(config)
    app.startup_notice = notice
    app.run()
    return app


class ArchiveSeries:
    """The archive's series, as a running meeting's kinds look them up (`SeriesArchive`)."""

    def __init__(self, app: FacilitateApp) -> None:
        self.app = app

    def _archive(self):
        if self.app.archive_state != "ready":
            self.app.archive.open()
        return self.app.archive

    def series_docs(self, series: str) -> list[dict]:
        return self._archive().series_docs(series)

    def plan(self, series: str):
        return self._archive().plan(series)

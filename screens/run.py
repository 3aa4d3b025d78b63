"""The run screen: one calm screen for the whole meeting.

The countdown, the segment and its guidance, the agenda and the latest
captures, with a quick-entry line that captures anything in a few keys. The
screen keeps the meeting's flow, its time and the capture line; what a
format kind shows under the countdown (a round's speakers, the open space's
wall, the Lean Coffee board) and its keys come from the kinds' registry
(`screens.kinds`), which the screen asks for the segment running now. Every
key becomes one call into the `MeetingSession`; the widgets are then
refreshed from it. The clock's tick only asks them to redraw: what they show
is computed from the clock, so a busy event loop never loses time.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer

from facilitate.clock import format_duration
from facilitate.live import LiveFileError
from facilitate.models import MeetingStatus
from facilitate.quickentry import EntryError
from facilitate.session import MeetingSession, Recovery
from facilitate.storage.errors import StorageError
from facilitate.text import plural
from screens import kinds
from screens.base import BaseScreen, SteadyFooter
from screens.boards import BoardLeave
from screens.capture import CaptureArea, HeldLines, QuickEntry
from screens.kinds import LineKey, Stages
from screens.kinds import phases as phase_keys
from screens.kinds import round as round_keys
from screens.room import PresentMode, RoomView
from screens.run_finish import confirm_finish, finish
from screens.run_phones import PhonesOnScreen
from screens.run_widgets import (
    AgendaPanel,
    CaptureLog,
    Countdown,
    Guidance,
    MeetingBar,
    NextUp,
    SegmentTitle,
    SessionPart,
    SpeakerLine,
    StorageNotice,
)

if TYPE_CHECKING:
    from screens.app import FacilitateApp

SESSION_PARTS: tuple[type[SessionPart], ...] = (
    MeetingBar, SegmentTitle, NextUp, SpeakerLine, Guidance, AgendaPanel, CaptureLog, HeldLines,
)  # fmt: skip
"""Redrawn from the session after every change (each redraws only what changed)."""
TICKING_PARTS: tuple[type[SessionPart], ...] = (StorageNotice, SpeakerLine, MeetingBar, AgendaPanel)
"""Redrawn on the clock's tick too: they show the time, or wait on the disk."""

REFRESH_SECONDS = 1.0
"""The longest the clock's tick waits; it comes sooner when a countdown shows a new second sooner."""
RETRY_SECONDS = 2.0


class RunScreen(BaseScreen, PresentMode):
    CSS_PATH = "run.tcss"
    AUTO_FOCUS = "#entry"
    # The quick-entry line always has focus: typing captures. Meeting keys are
    # either keys that cannot start a capture, taken by the entry when it is
    # empty (space, arrows: see QuickEntry), or ctrl chords that work at any time.
    BINDINGS = [
        Binding("ctrl+n", "next_segment", "Next", tooltip="Next segment"),
        Binding("ctrl+b", "previous_segment", "Back", show=False, tooltip="Back to the previous segment"),
        Binding("ctrl+t", "add_minute", "+1 min", tooltip="Add a minute to this segment"),
        Binding("ctrl+r", "take_minute", "−1 min", show=False, tooltip="Take a minute from this segment"),
        Binding("ctrl+o", "speaking_order", "Order", show=False, tooltip="Speaking order and time each person speaks (round)"),
        Binding("ctrl+g", "who", "People", show=False, tooltip="Who is here: arrivals, departures, edits"),
        Binding("ctrl+l", "captured", "Captured", show=False, tooltip="Everything captured: edit or delete"),
        Binding("ctrl+y", "action_form", "Action form", show=False, tooltip="Add an action with a form"),
        Binding("f2", "toggle_guidance", "Guidance", show=False, tooltip="Show or hide the facilitator's guidance"),
        Binding("f3", "rebalance", "Rebalance", show=False, tooltip="Running over: take the time from later segments"),
        Binding("f4", "propose", "Propose", show=False, tooltip="Propose an open space session or a Lean Coffee topic with a form"),
        Binding("f5", "phase_forward", "Next phase", show=False, tooltip="Next phase of this segment"),
        Binding("f6", "phase_back", "Previous phase", show=False, tooltip="Previous phase of this segment"),
        Binding("f7", "add_segment", "Add segment", show=False, tooltip="Add a segment after this one"),
        Binding("f12", "phones", "Phones", show=False, tooltip="Open the room to phones: the join code, sign-ins to let in"),
        Binding("ctrl+s", "saved", show=False),
        Binding("ctrl+f", "finish", "Finish", tooltip="Finish the meeting"),
        Binding("f1", "app.help", "Help", tooltip="Keys and the quick-entry grammar"),
    ]  # fmt: skip

    def __init__(self, session: MeetingSession) -> None:
        super().__init__()
        self.session = session
        self.finishing = False
        self._since_retry = 0.0
        self._tick_timer: Timer | None = None
        self._key_state: tuple[tuple[str, int, str, bool], ...] | None = None
        self.phones_on_screen = PhonesOnScreen(self)

    def compose(self) -> ComposeResult:
        yield MeetingBar(id="bar")
        yield RoomView(id="present")
        with Horizontal(id="main"):
            with Vertical(id="stage"):
                yield SegmentTitle(id="segment-title")
                yield Countdown(id="countdown")
                yield NextUp(id="next-up")
                yield SpeakerLine(id="speaker")
                with Stages(id="stage-scroll"):
                    yield Guidance(id="guidance")  # the kinds' stages go above it
            with Vertical(id="side"):
                yield AgendaPanel(id="agenda")
                yield CaptureLog(id="log")
        yield CaptureArea(self.session, id="entry-area")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        for widget in self.query("#stage-scroll, #side, #agenda, #log"):
            widget.can_focus = False
        self.refresh_all()
        self._schedule_tick()
        self.phones_on_screen.mounted()
        self.watch(self.app, "archive_state", self._archive_ready)

    def _archive_ready(self, state: str) -> None:
        if state == "ready" and not self.session.directory.people:
            self.session.directory = self.archive.directory()

    # -- refreshing --------------------------------------------------------------------

    @property
    def capture(self) -> CaptureArea:
        return self.query_one(CaptureArea)

    def refresh_all(self) -> None:
        session = self.session
        self.query_one(MeetingBar).phones = self.phones_on_screen.shown()
        for widget in SESSION_PARTS:
            self.query_one(widget).refresh_from(session)
        self.query_one(Stages).refresh_from(session)
        self.refresh_time()
        self.refresh_keys()
        self.refresh_present()
        self._schedule_tick()

    def refresh_keys(self) -> None:
        """Tell the footer about the keys only when one was enabled or disabled.

        The footer rebuilds every key widget on each refresh of the bindings:
        done on every capture, that made dozens of widgets a second for the
        garbage collector, whose full passes then held the screen (and the
        countdown) still for a tenth of a second and more.
        """
        state = tuple(
            (key, id(active.node), active.binding.action, active.enabled)
            for key, active in self.active_bindings.items()
        )
        if state != self._key_state:
            self._key_state = state
            self.refresh_bindings()

    def refresh_time(self) -> None:
        self.query_one(Countdown).refresh_from(self.session)

    def tick(self) -> None:
        """Redraw what depends on the clock; signal time-up once; retry unsaved work.

        Only what shows a new second (the countdown, the speaker's countdown) or a
        new minute (the time of day, the agenda) is redrawn: each widget compares
        what it would show with what it shows.
        """
        session = self.session
        if self.finishing:
            return
        try:
            message = session.check_time_up()
        except StorageError as error:
            self.storage_problem(error)
            message = None
        if message:
            self.time_up(message)
        if session.unsaved:
            self._since_retry += REFRESH_SECONDS
            if self._since_retry >= RETRY_SECONDS:
                self._since_retry = 0.0
                if session.retry_save():
                    self.notify("Everything is saved now.", title="Saved")
                    self.capture.saved_again()
        self.refresh_time()
        self.refresh_present()
        for widget in TICKING_PARTS:
            self.query_one(widget).refresh_from(session)
        self.query_one(Stages).tick(session)
        self._schedule_tick()

    def _schedule_tick(self) -> None:
        """The next tick: the moment a countdown on the screen shows a new second, within a second.

        The room watches the big digits, so they turn over on time; in a round the
        speaker's countdown may turn over at another moment, and is waited for too.
        """
        if self._tick_timer is not None:
            self._tick_timer.stop()
        session = self.session
        wait = REFRESH_SECONDS
        if session.meeting.running:
            shown = [session.countdown(), session.round.speaker_remaining()]
            wait = min([until_next_second(left) for left in shown if left is not None] + [REFRESH_SECONDS])
        self._tick_timer = self.set_timer(max(wait, 0.02) + 0.005, self.tick)

    def time_up(self, message: str) -> None:
        self.facilitate_app.ring()
        if self.session.drift() >= 60:
            message += " · F3 takes the time from later segments"
        self.notify(message, title="Time", severity="warning", timeout=8)
        self.refresh_all()

    def storage_problem(self, error: StorageError) -> None:
        notice = self.query_one(StorageNotice)
        if not notice.display:
            # Once: from now on the notice above the entry says it, for as long as it lasts.
            self.notify(str(error), title="Not saved", severity="error", timeout=8)
        self.query_one(MeetingBar).refresh_from(self.session)
        notice.refresh_from(self.session)

    def do(self, call, *args, refresh: bool = True):
        """Run one session operation; a disk problem is shown, never raised into Textual."""
        try:
            result = call(*args)
        except StorageError as error:
            self.storage_problem(error)
            result = None
        except EntryError as error:
            self.notify(str(error), severity="error", timeout=6)
            result = None
        if refresh:
            self.refresh_all()
        return result

    # -- keys --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.finishing:
            return False
        segment = self.session.segment
        if segment is None:
            return action in ("finish", "help", "saved")
        if action == "speaking_order":
            return round_keys.can_order(self)
        if action in ("phase_forward", "phase_back"):
            return bool(segment.phases)
        if action == "propose":
            return any(view.can_propose(segment) for view in kinds.for_segment(segment))
        return True

    def line_key_applies(self, line_key: LineKey) -> bool:
        """Whether a key of the empty capture line does something now (the footer shows it)."""
        return not self.finishing and line_key.applies(self)

    @on(QuickEntry.LineKeyPressed)
    def _line_key(self, event: QuickEntry.LineKeyPressed) -> None:
        if self.line_key_applies(event.line_key):
            event.line_key.run(self)

    @on(QuickEntry.HelpAsked)
    def action_help(self) -> None:
        self.facilitate_app.action_help()

    def action_saved(self) -> None:
        self.notify("Everything is saved as you go.", timeout=2)

    def focus_entry(self) -> None:
        self.set_focus(self.query_one(QuickEntry))

    def focus_board(self) -> None:
        self.query_one(Stages).focus_board()

    @on(BoardLeave)
    def _board_left(self, event: BoardLeave) -> None:
        entry = self.query_one(QuickEntry)
        self.focus_entry()
        if event.typed:
            entry.insert_text_at_cursor(event.typed)

    # -- the meeting's flow ------------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        self.do(self.session.toggle_pause)
        self.notify("Running" if self.session.meeting.running else "Paused", timeout=1.5)

    def action_next_segment(self) -> None:
        if self.session.is_last_segment:
            self.notify("This is the last segment. ctrl+f finishes the meeting.")
            return
        self.do(self.session.next_segment)
        if (segment := self.session.segment) is not None:
            self.notify(f"Now: {segment.name}.  ctrl+b goes back", timeout=3, markup=False)

    def action_previous_segment(self) -> None:
        if not self.do(self.session.previous_segment):
            self.notify("This is the first segment.")

    def action_add_minute(self) -> None:
        self.do(self.session.add_time, 60.0)

    def action_take_minute(self) -> None:
        self.do(self.session.add_time, -60.0)

    def action_speaking_order(self) -> None:
        round_keys.speaking_order(self)

    def action_phase_forward(self) -> None:
        phase_keys.next_phase(self)

    def action_phase_back(self) -> None:
        phase_keys.previous_phase(self)

    def action_propose(self) -> None:
        segment = self.session.segment
        view = next((v for v in kinds.for_segment(segment) if v.can_propose(segment)), None) if segment else None
        if view is not None:
            view.propose(self)

    def action_rebalance(self) -> None:
        from screens.run_dialogs import rebalance

        rebalance(self)

    def action_add_segment(self) -> None:
        from screens.run_dialogs import add_segment

        add_segment(self)

    def action_toggle_guidance(self) -> None:
        guidance = self.query_one(Guidance)
        guidance.display = not guidance.display

    # -- capture ---------------------------------------------------------------------------------

    def action_action_form(self) -> None:
        self.capture.action_form()

    def action_who(self) -> None:
        from screens.run_dialogs import WhoIsHere

        self.app.push_screen(WhoIsHere(self.session), lambda _: self.refresh_all())

    def action_captured(self) -> None:
        from screens.run_dialogs import CapturedItems

        self.app.push_screen(CapturedItems(self.session), lambda _: self.refresh_all())

    # -- finishing -------------------------------------------------------------------------------

    def action_finish(self) -> None:
        confirm_finish(self)

    def finish(self) -> None:
        finish(self)

    # -- phones ---------------------------------------------------------------------------------

    async def action_phones(self) -> None:
        await self.phones_on_screen.open(show=True)


def until_next_second(remaining: float) -> float:
    """Seconds until a countdown showing `remaining` (as `format_countdown` does) shows another value."""
    left = abs(remaining)
    # The display rounds |remaining| up: it changes as |remaining| crosses a whole second.
    until = left - math.floor(left) if remaining > 0 else math.ceil(left) - left
    return until or 1.0


def open_run_screen(app: FacilitateApp) -> None:
    """Resume the meeting in progress: from memory, or rebuilt from its live file."""
    session = app.session
    if session is None:
        directory = app.archive.directory() if app.archive_state == "ready" else None
        try:
            session, recovery = MeetingSession.recover(
                app.config.live_path, app.clock, directory, app.config.rng, series_archive=app.series_archive()
            )
        except LiveFileError as error:
            app.notify(str(error), severity="error", timeout=15)
            return
        app.session = session
        tell_recovery(app, session, recovery)
    screen = RunScreen(session)
    app.push_screen(screen)
    if session.meeting.status == MeetingStatus.FINISHED:
        screen.call_after_refresh(screen.finish)


def tell_recovery(app: FacilitateApp, session: MeetingSession, recovery: Recovery) -> None:
    """How the meeting came back, and anything of its live file that could not be replayed."""
    gap = format_duration(recovery.gap)
    if session.meeting.status == MeetingStatus.FINISHED:
        message = "This meeting was finished but had not reached the archive; saving it now."
    elif recovery.was_running:
        message = f"Resumed. The clock kept running through the {gap} facilitate was closed."
    else:
        message = f"Resumed, still paused (closed for {gap})."
    if recovery.torn_tail:
        message += " An incomplete last write (never shown as saved) was dropped."
    for warning in recovery.warnings:
        app.notify(warning, severity="warning", timeout=10)
    if recovery.unread:
        count = len(recovery.unread)
        app.notify(
            f"{plural(count, 'change')} in the meeting's live file could not be replayed "
            f"({recovery.unread[0].reason}). {'They are' if count != 1 else 'It is'} kept with the meeting, "
            "in its live file and then the archive: nothing was dropped. Check the record for what is missing.",
            title="Not replayed",
            severity="warning",
            timeout=30,
            markup=False,
        )
    app.notify(message, title="Meeting resumed", timeout=8)

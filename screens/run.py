"""The run screen: one calm screen for the whole meeting.

The countdown, the segment and its guidance, the round's speakers, the agenda
and the latest captures, with a quick-entry line that captures anything in a
few keys. Every key becomes one call into the `MeetingSession`; the widgets
are then refreshed from it. A 4 Hz interval only asks them to redraw: what
they show is computed from the clock, so a busy event loop never loses time.
"""

from __future__ import annotations

import math

from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Footer, Static

from facilitate.archive import ArchiveError
from facilitate.clock import format_duration
from facilitate.live import LiveFileError, StorageError, describe_os_error
from facilitate.quickentry import EntryError
from facilitate.session import MeetingSession
from facilitate.text import plural
from screens import run_formats
from screens.base import BaseScreen
from screens.boards import AgendaWall, BoardLeave, LeanBoard, MattersPanel, PhaseList, RoomText
from screens.dialogs import ConfirmDialog
from screens.room import PresentMode, RoomView
from screens.run_widgets import (
    AgendaPanel,
    CaptureLog,
    Countdown,
    EntryHint,
    EntrySuggester,
    Guidance,
    HeldLines,
    MeetingBar,
    QuickEntry,
    SegmentTitle,
    SpeakerLine,
    Speakers,
    StorageNotice,
)

REFRESH_SECONDS = 1.0
"""The longest the clock's tick waits; it comes sooner when a countdown shows a new second sooner."""
RETRY_SECONDS = 2.0
ROUND_ACTIONS = {"next_speaker", "pass_turn", "previous_speaker", "speaking_order"}
BOARD_PHASES = ("marketplace", "slot")
"""Open space phases that show the agenda wall."""


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
        Binding(
            "ctrl+o",
            "speaking_order",
            "Order",
            show=False,
            tooltip="Speaking order and time each person speaks (round)",
        ),
        Binding("ctrl+g", "who", "People", show=False, tooltip="Who is here: arrivals, departures, edits"),
        Binding("ctrl+l", "captured", "Captured", show=False, tooltip="Everything captured: edit or delete"),
        Binding("ctrl+y", "action_form", "Action form", show=False, tooltip="Add an action with a form"),
        Binding("f2", "toggle_guidance", "Guidance", show=False, tooltip="Show or hide the facilitator's guidance"),
        Binding("f3", "rebalance", "Rebalance", show=False, tooltip="Running over: take the time from later segments"),
        Binding(
            "f4",
            "propose",
            "Propose",
            show=False,
            tooltip="Propose an open space session or a Lean Coffee topic with a form",
        ),
        Binding("f5", "phase_forward", "Next phase", show=False, tooltip="Next phase of this segment"),
        Binding("f6", "phase_back", "Previous phase", show=False, tooltip="Previous phase of this segment"),
        Binding("f7", "add_segment", "Add segment", show=False, tooltip="Add a segment after this one"),
        Binding("ctrl+s", "saved", show=False),
        Binding("ctrl+f", "finish", "Finish", tooltip="Finish the meeting"),
        Binding("f1", "app.help", "Help", tooltip="Keys and the quick-entry grammar"),
    ]

    def __init__(self, session: MeetingSession) -> None:
        super().__init__()
        self.session = session
        self.finishing = False
        self._since_retry = 0.0
        self._tick_timer: Timer | None = None
        self._key_state: tuple[tuple[str, int, str, bool], ...] | None = None

    def compose(self) -> ComposeResult:
        yield MeetingBar(id="bar")
        yield RoomView(id="present")
        with Horizontal(id="main"):
            with Vertical(id="stage"):
                yield SegmentTitle(id="segment-title")
                yield Countdown(id="countdown")
                yield Static(id="next-up")
                yield SpeakerLine(id="speaker")
                with VerticalScroll(id="stage-scroll"):
                    yield RoomText(id="room")
                    yield Speakers(id="speakers")
                    yield AgendaWall(id="wall")
                    yield LeanBoard(id="lean")
                    yield MattersPanel(id="matters")
                    yield PhaseList(id="phases")
                    yield Guidance(id="guidance")
            with Vertical(id="side"):
                yield AgendaPanel(id="agenda")
                yield CaptureLog(id="log")
        with Vertical(id="entry-area"):
            yield HeldLines(id="held")
            yield StorageNotice(id="storage-notice")
            yield EntryHint(id="hint")
            yield QuickEntry(
                placeholder="Type to capture: +Asha Patel, Age UK · !Asha: call the team by fri · =We agree",
                id="entry",
                suggester=EntrySuggester(self.session),
                select_on_focus=False,
            )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        for widget in self.query("#stage-scroll, #side, #agenda, #log"):
            widget.can_focus = False
        self.refresh_all()
        self.query_one(EntryHint).preview(self.session, "")
        self._schedule_tick()
        self.watch(self.app, "archive_state", self._archive_ready)

    def _archive_ready(self, state: str) -> None:
        if state == "ready" and not self.session.directory.people:
            self.session.directory = self.app.archive.directory()

    # -- refreshing --------------------------------------------------------------------

    def refresh_all(self) -> None:
        session = self.session
        self.query_one(MeetingBar).refresh_from(session)
        self.query_one(SegmentTitle).refresh_from(session)
        self.query_one(SpeakerLine).refresh_from(session)
        self.query_one(Speakers).refresh_from(session)
        self.refresh_boards()
        self.query_one(Guidance).refresh_from(session)
        self.query_one(AgendaPanel).refresh_from(session)
        self.query_one(CaptureLog).refresh_from(session)
        self.query_one(HeldLines).refresh_from(session)
        self.refresh_time()
        self.refresh_next()
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
        # What the footer shows: every key of the focused widget, this screen and
        # the app, and whether each is enabled (their check_action).
        state = tuple(
            (key, id(active.node), active.binding.action, active.enabled)
            for key, active in self.active_bindings.items()
        )
        if state != self._key_state:
            self._key_state = state
            self.refresh_bindings()

    def refresh_boards(self) -> None:
        """Show the board this segment (and phase) needs, and only that one."""
        segment = self.session.segment
        phase = segment.current_phase if segment else None
        kind = segment.kind if segment else ""
        shown = {
            "room": phase is not None and phase.kind == "opening",
            "wall": segment is not None
            and segment.open_space is not None
            and phase is not None
            and phase.kind in BOARD_PHASES,
            "lean": segment is not None and segment.lean_coffee is not None,
            "matters": kind == "matters-arising",
            "phases": kind == "phases",
        }
        for name, show in shown.items():
            widget = self.query_one(f"#{name}")
            if show:
                widget.refresh_from(self.session)
            if widget.display != show:
                widget.display = show
                if not show and widget.has_focus:
                    self.focus_entry()

    def refresh_time(self) -> None:
        session = self.session
        self.query_one(Countdown).show(session.countdown(), running=session.meeting.running)

    def refresh_next(self) -> None:
        meeting = self.session.meeting
        upcoming = next(
            (s for s in meeting.segments[meeting.current + 1 :] if s.state == "pending"),
            None,
        )
        widget = self.query_one("#next-up", Static)
        paused = "" if meeting.running else "PAUSED · space resumes   "
        segment = meeting.segment
        if segment is not None and segment.phases and segment.phase < len(segment.phases) - 1:
            phase = segment.phases[segment.phase + 1]
            self._show_next(
                widget,
                Content.assemble(
                    (paused, "bold $warning"),
                    ("Next: ", "$text-muted"),
                    phase.name,
                    (f" ({phase.seconds / 60:g} min)", "$text-muted"),
                )
            )
            return
        if upcoming is None:
            self._show_next(
                widget,
                Content.assemble((paused, "bold $warning"), ("Last segment · ctrl+f finishes", "$text-muted"))
            )
        else:
            self._show_next(
                widget,
                Content.assemble(
                    (paused, "bold $warning"),
                    ("Next: ", "$text-muted"),
                    upcoming.name,
                    (f" ({upcoming.planned / 60:g} min)", "$text-muted"),
                )
            )

    def _show_next(self, widget: Static, content: Content) -> None:
        """What comes next, redrawn only when it changed."""
        key = (content.plain, tuple(content.spans))
        if getattr(widget, "_shown_key", None) != key:
            widget._shown_key = key
            widget.update(content)

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
                    hint = self.query_one(EntryHint)
                    if hint.has_class("-error") and hint.error_for is None:
                        # The "not saved" under the entry is no longer true.
                        hint.preview(session, self.query_one(QuickEntry).value)
        self.refresh_time()
        self.refresh_present()
        self.query_one(StorageNotice).refresh_from(session)
        self.query_one(SpeakerLine).refresh_from(session)
        self.query_one(MeetingBar).refresh_from(session)
        self.query_one(AgendaPanel).refresh_from(session)
        for name in ("phases", "lean"):
            widget = self.query_one(f"#{name}")
            if widget.display:
                widget.refresh_from(session)
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
            shown = [session.countdown(), session.speaker_remaining()]
            wait = min([until_next_second(left) for left in shown if left is not None] + [REFRESH_SECONDS])
        self._tick_timer = self.set_timer(max(wait, 0.02) + 0.005, self.tick)

    def time_up(self, message: str) -> None:
        self.app.ring()
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
        """Run one session command; a disk problem is shown, never raised into Textual."""
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
        phase = segment.current_phase if segment else None
        if segment is None:
            return action in ("finish", "help", "saved") or (action == "take_back" and bool(self.session.held))
        if action in ROUND_ACTIONS:
            return segment.is_round and segment.round is not None
        if action in ("phase_forward", "phase_back"):
            return bool(segment.phases)
        if action in ("next_phase", "previous_phase"):
            if not segment.phases or segment.is_round:
                return False
            lean_discussion = segment.lean_coffee is not None and phase is not None and phase.kind == "discuss"
            return not (lean_discussion and action == "next_phase")
        if action == "lean_next":
            return segment.lean_coffee is not None and phase is not None and phase.kind == "discuss"
        if action in ("next_matter", "previous_matter"):
            return segment.kind == "matters-arising"
        if action == "focus_board":
            return (
                segment.kind == "matters-arising"
                or segment.lean_coffee is not None
                or (segment.open_space is not None and phase is not None and phase.kind in BOARD_PHASES)
            ) and not segment.is_round
        if action == "propose":
            return segment.open_space is not None or segment.lean_coffee is not None
        if action == "take_back":
            return bool(self.session.held)
        return True

    def action_help(self) -> None:
        self.app.action_help()

    def action_saved(self) -> None:
        self.notify("Everything is saved as you go.", timeout=2)

    def focus_entry(self) -> None:
        self.set_focus(self.query_one(QuickEntry))

    @on(QuickEntry.MeetingKey)
    def _meeting_key(self, event: QuickEntry.MeetingKey) -> None:
        if self.check_action(event.action, ()):
            getattr(self, f"action_{event.action}")()

    def action_toggle_pause(self) -> None:
        running = self.do(self.session.toggle_pause)
        self.notify("Running" if self.session.meeting.running else "Paused", timeout=1.5)
        del running

    def action_next_segment(self) -> None:
        if self.session.is_last_segment:
            self.notify("This is the last segment. ctrl+f finishes the meeting.")
            return
        self.do(self.session.next_segment)
        segment = self.session.segment
        if segment is not None:
            self.notify(f"Now: {segment.name}.  ctrl+b goes back", timeout=3, markup=False)

    def action_previous_segment(self) -> None:
        if not self.do(self.session.previous_segment):
            self.notify("This is the first segment.")

    def action_add_minute(self) -> None:
        self.do(self.session.add_time, 60.0)

    def action_take_minute(self) -> None:
        self.do(self.session.add_time, -60.0)

    def action_next_speaker(self) -> None:
        speaker = self.do(self.session.round_next)
        if speaker is None and self.session.segment and self.session.segment.round:
            self.notify("Everyone has had their turn. ctrl+n moves to the next segment.", timeout=3)

    def action_pass_turn(self) -> None:
        if self.session.current_speaker() is None:
            self.notify("Nobody has the floor: → gives it to the next person.")
            return
        self.do(self.session.round_pass)

    def action_previous_speaker(self) -> None:
        self.do(self.session.round_back)

    def action_speaking_order(self) -> None:
        from screens.run_dialogs import SpeakingOrder

        self.app.push_screen(SpeakingOrder(self.session), lambda _: self.refresh_all())

    # -- phases, boards and the richer formats ------------------------------------------------

    def action_phase_forward(self) -> None:
        self.action_next_phase()

    def action_phase_back(self) -> None:
        self.action_previous_phase()

    def action_next_phase(self) -> None:
        if not self.do(self.session.next_phase):
            self.notify("This is the last phase. ctrl+n moves to the next segment.")

    def action_previous_phase(self) -> None:
        if not self.do(self.session.previous_phase):
            self.notify("This is the first phase.")

    def action_focus_board(self) -> None:
        segment = self.session.segment
        phase = segment.current_phase if segment else None
        if phase is not None and phase.slot is not None:
            # Start on the row of the sessions running now.
            wall = self.query_one(AgendaWall)
            wall.cursor = (phase.slot, wall.cursor[1])
        for name in ("wall", "lean", "matters"):
            widget = self.query_one(f"#{name}")
            if widget.display:
                self.set_focus(widget)
                widget.refresh()
                return

    def action_next_matter(self) -> None:
        self.do(self.session.move_matter, 1)

    def action_previous_matter(self) -> None:
        self.do(self.session.move_matter, -1)

    def action_lean_next(self) -> None:
        run_formats.lean_next(self)

    def action_propose(self) -> None:
        run_formats.propose(self)

    def action_rebalance(self) -> None:
        run_formats.rebalance(self)

    def action_add_segment(self) -> None:
        """A segment the plan did not have, straight after this one: ctrl+n goes to it."""
        from screens.plan_dialogs import FormatPicker

        def chosen(format_id: str | None) -> None:
            self.focus_entry()
            if format_id is None or format_id not in self.app.formats:
                return
            segment = self.app.formats[format_id].segment()
            self.do(self.session.insert_segment, segment)
            if any(s.id == segment.id for s in self.session.meeting.segments):
                self.notify(f"Added after this one: {segment.name} ({segment.planned / 60:g} min). ctrl+n goes to it.", markup=False)

        self.app.push_screen(FormatPicker(self.app.formats, heading="Add a segment after this one"), chosen)

    @on(BoardLeave)
    def _board_left(self, event: BoardLeave) -> None:
        entry = self.query_one(QuickEntry)
        self.focus_entry()
        if event.typed:
            entry.insert_text_at_cursor(event.typed)

    @on(AgendaWall.Command)
    def _wall_command(self, event: AgendaWall.Command) -> None:
        run_formats.wall_command(self, event)

    @on(LeanBoard.Command)
    def _lean_command(self, event: LeanBoard.Command) -> None:
        run_formats.lean_command(self, event)

    @on(MattersPanel.Moved)
    def _matter_moved(self, event: MattersPanel.Moved) -> None:
        run_formats.matter_moved(self, event)

    @on(MattersPanel.Command)
    def _matter_command(self, event: MattersPanel.Command) -> None:
        run_formats.matter_command(self, event)

    def action_toggle_guidance(self) -> None:
        guidance = self.query_one(Guidance)
        guidance.display = not guidance.display

    # -- capture ---------------------------------------------------------------------------------

    @on(QuickEntry.Changed, "#entry")
    def _entry_changed(self, event: QuickEntry.Changed) -> None:
        hint = self.query_one(EntryHint)
        if not event.value and hint.has_class("-done"):
            return  # keep the acknowledgement of what was just captured
        hint.preview(self.session, event.value)

    def action_take_back(self) -> None:
        """↑ on the empty line: the newest held line back into the entry, to be fixed."""
        entry = self.query_one(QuickEntry)
        if entry.value:
            return
        held = self.session.take_back()
        if held is None:
            return
        entry.take_back(held.line)
        self.query_one(EntryHint).error(held.reason, held.line)
        self.query_one(HeldLines).refresh_from(self.session)
        self.refresh_keys()

    def hold(self, line: str, reason: str) -> None:
        """A line Enter could not capture: out of the entry, kept above it with the reason.

        Never back into the entry: a fast typist who has not looked up would type
        the next capture onto its end, and two captures would become one.
        """
        self.session.hold(line, reason)
        self.query_one(EntryHint).preview(self.session, "")  # the held line above says it all
        self.query_one(HeldLines).refresh_from(self.session)
        self.refresh_keys()
        self.app.ring()

    @on(QuickEntry.Captured, "#entry")
    def _entry_captured(self, event: QuickEntry.Captured) -> None:
        hint = self.query_one(EntryHint)
        if self.finishing:
            # The meeting is on its way into the archive; its live file is about to go.
            self.hold(event.value, "The meeting is being saved into the archive; this line waits.")
            return
        try:
            captured = self.session.capture(event.value)
        except EntryError as error:
            # Nothing recorded: the line is held, as typed, with the reason.
            self.hold(event.value, str(error))
            return
        except StorageError as error:
            # In memory and pending; the bar shows it unsaved until the disk takes it.
            self.storage_problem(error)
            hint.error(str(error))
            self.refresh_all()
            return
        hint.done(captured.message)
        self.refresh_all()

    def action_action_form(self) -> None:
        from screens.run_dialogs import ActionForm

        def done(result) -> None:
            if result is None:
                return
            text, owner, due = result
            try:
                item = self.session.add_action(text, owner, due)
            except StorageError as error:
                self.storage_problem(error)
            else:
                self.query_one(EntryHint).done(f"Action for {item.owner or 'no owner'}")
            self.refresh_all()

        self.app.push_screen(ActionForm(self.session), done)

    def action_who(self) -> None:
        from screens.run_dialogs import WhoIsHere

        self.app.push_screen(WhoIsHere(self.session), lambda _: self.refresh_all())

    def action_captured(self) -> None:
        from screens.run_dialogs import CapturedItems

        self.app.push_screen(CapturedItems(self.session), lambda _: self.refresh_all())

    # -- finishing -------------------------------------------------------------------------------

    def action_finish(self) -> None:
        meeting = self.session.meeting
        detail = (
            f"{plural(len(meeting.attendees), 'person', 'people')}, {plural(len(meeting.actions), 'action')}, "
            f"{plural(len(meeting.decisions), 'decision')}, {plural(len(meeting.notes), 'note')}. "
            f"{format_duration(self.session.meeting_elapsed())} so far. "
            "The record goes into the archive; you can still read and export it."
        )

        def answer(yes: bool | None) -> None:
            if yes:
                self.finish()

        self.app.push_screen(ConfirmDialog("Finish the meeting?", detail, yes="Finish"), answer)

    def finish(self) -> None:
        self.finishing = True
        self.refresh_bindings()
        try:
            self.session.finish()
        except StorageError as error:
            # The meeting still goes to the archive from memory below.
            self.storage_problem(error)
        self.notify("Saving the meeting into the archive…", timeout=2)
        self.save_to_archive()

    @work(thread=True, exclusive=True, group="finish")
    def save_to_archive(self) -> None:
        app = self.app
        try:
            finish_into_archive(app, self.session)
        except StorageError as error:
            reason = describe_os_error(error.cause) if error.cause is not None else str(error).rstrip(".")
            app.call_from_thread(self._finish_failed, reason)
            return
        except ArchiveError as error:
            app.call_from_thread(self._finish_failed, str(error).rstrip("."))
            return
        app.call_from_thread(self._finished)

    def _finish_failed(self, reason: str) -> None:
        self.finishing = False
        self.refresh_bindings()
        # Say only what is true of the live file: changes the disk refused are in memory alone.
        waiting = self.session.unsaved
        if waiting:
            where = (
                f"{waiting} change{'s are' if waiting != 1 else ' is'} only in memory, not yet in its live file: "
                "keep facilitate open until the disk takes them, then ctrl+f tries again."
            )
        else:
            where = "Everything captured is in its live file; ctrl+f tries again."
        self.notify(
            f"The meeting is finished but not yet in the archive ({reason}). {where}",
            severity="error",
            timeout=15,
        )
        self.query_one(StorageNotice).refresh_from(self.session)

    def _finished(self) -> None:
        from screens.summary import SummaryScreen

        meeting = self.session.meeting
        held = list(self.session.held)
        self.app.session = None
        # "Saving…" (and any passing notice) is over: the summary says it is saved.
        self.app.clear_notifications()
        self.app.switch_screen(SummaryScreen(meeting))
        for line in held:
            # Typed while the meeting was being saved, or never fixed: said, not dropped in silence.
            self.app.notify(f"Not captured: {line.line}", title="Not in the record", severity="warning", timeout=30)


def until_next_second(remaining: float) -> float:
    """Seconds until a countdown showing `remaining` (as `format_countdown` does) shows another value."""
    left = abs(remaining)
    # The display rounds |remaining| up: it changes as |remaining| crosses a whole second.
    until = left - math.floor(left) if remaining > 0 else math.ceil(left) - left
    return until or 1.0


def finish_into_archive(app, session: MeetingSession) -> None:
    """Put a finished meeting into the archive, then retire its live file.

    Runs in a worker. The live file goes only once the archive holds the
    meeting, so a crash at any point leaves the meeting in one or the other.
    """
    archive = app.archive
    archive.open()
    if app.archive_state != "ready":
        app.call_from_thread(setattr, app, "archive_state", "ready")
    archive.backup()
    archive.save_meeting(session.meeting)
    if session.live is not None:
        session.live.remove()
    # And the archive as it is now, so that the newest backup holds this meeting too.
    archive.backup(copy=True)


def open_run_screen(app: App) -> None:
    """Resume the meeting in progress: from memory, or rebuilt from its live file."""
    session = app.session
    if session is None:
        directory = app.archive.directory() if app.archive_state == "ready" else None
        try:
            session, recovery = MeetingSession.recover(
                app.config.live_path, app.clock, directory, app.config.rng, **app.session_providers()
            )
        except LiveFileError as error:
            app.notify(str(error), severity="error", timeout=15)
            return
        app.session = session
        gap = format_duration(recovery.gap)
        if session.meeting.status == "finished":
            message = "This meeting was finished but had not reached the archive; saving it now."
        elif recovery.was_running:
            message = f"Resumed. The clock kept running through the {gap} facilitate was closed."
        else:
            message = f"Resumed, still paused (closed for {gap})."
        if recovery.torn_tail:
            message += " An incomplete last write (never shown as saved) was dropped."
        for warning in recovery.warnings:
            app.notify(warning, severity="warning", timeout=10)
        app.notify(message, title="Meeting resumed", timeout=8)
    screen = RunScreen(session)
    app.push_screen(screen)
    if session.meeting.status == "finished":
        screen.call_after_refresh(screen.finish)

"""Phased formats on screen: the list of phases with their times, and → / ← (F5 / F6) to move
between phases of any segment that has them (a capability: open space's slots, Lean
Coffee's propose and vote)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from facilitate.clock import format_duration
from facilitate.models import PHASES, Segment
from facilitate.session import MeetingSession
from screens.boards import safe
from screens.kinds import Host, KindView, LineKey, Stage


class PhaseList(Static):
    """The phases of a phased format, with their times (the running one's in whole minutes, so
    that the list redraws once a minute, not every second)."""

    DEFAULT_CSS = """
    PhaseList { height: auto; margin-bottom: 1; }
    """

    _shown: object = None

    def refresh_from(self, session: MeetingSession) -> None:
        segment = session.segment
        if segment is None or not segment.phases:
            if self._shown is not None:
                self._shown = None
                self.update("")
            return
        rows = []
        for index, phase in enumerate(segment.phases):
            current = index == segment.phase
            elapsed = phase.elapsed + (session.pending_time() if current else 0)
            mark = "▶" if current else ("✓" if index < segment.phase else "·")
            style = "bold" if current else ("dim" if index < segment.phase else "")
            if current and session.meeting.running:
                shown, over = f"{int(elapsed // 60)}m", int(elapsed // 60) * 60 > phase.seconds
            else:
                shown, over = (format_duration(elapsed) if elapsed else ""), elapsed > phase.seconds
            rows.append((mark, style, safe(phase.name), f"{phase.seconds / 60:g}m", shown, over))
        if rows == self._shown:
            return
        self._shown = rows
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=1)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(width=5, justify="right")
        table.add_column(width=6, justify="right")
        for mark, style, name, planned, shown, over in rows:
            table.add_row(
                Text(mark, style=style),
                Text(name, style=style),
                Text(planned, style="dim"),
                Text(shown, style="red" if over else ""),
            )
        self.update(table)


class PhasesStage(Stage):
    """A phased format's steps, under the countdown."""

    def __init__(self) -> None:
        super().__init__()
        self.phases = PhaseList(id="phases")

    def compose(self) -> ComposeResult:
        yield self.phases

    def refresh_from(self, session: MeetingSession) -> None:
        super().refresh_from(session)
        self.phases.refresh_from(session)

    def tick(self, session: MeetingSession) -> None:
        self.phases.refresh_from(session)


def _phased(host: Host) -> bool:
    segment = host.session.segment
    return segment is not None and bool(segment.phases) and not segment.is_round


def next_phase(host: Host) -> None:
    if not host.do(host.session.phases.next):
        host.notify("This is the last phase. ctrl+n moves to the next segment.")


def previous_phase(host: Host) -> None:
    if not host.do(host.session.phases.previous):
        host.notify("This is the first phase.")


class NextPhase(LineKey):
    key, description, key_display, rank = "right", "Next phase", "→", 2

    def applies(self, host: Host) -> bool:
        return _phased(host)

    def run(self, host: Host) -> None:
        next_phase(host)


class PreviousPhase(LineKey):
    key, description, key_display, rank, show = "left", "Previous phase", "←", 2, False

    def applies(self, host: Host) -> bool:
        return _phased(host)

    def run(self, host: Host) -> None:
        previous_phase(host)


class PhasesView(KindView):
    kind = PHASES
    position = 30
    capability = True
    line_keys = (NextPhase(), PreviousPhase())

    def applies(self, segment: Segment) -> bool:
        return bool(segment.phases)

    def stage(self) -> Stage | None:
        return PhasesStage()

    def shows(self, segment: Segment) -> bool:
        # The list of steps is a phased format's own; open space and Lean Coffee show their boards.
        return segment.kind == PHASES


VIEW = PhasesView()

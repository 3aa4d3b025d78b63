"""Phased formats: timed steps, each with its own countdown and prompt (the Liberating
Structures: 1-2-4-All, TRIZ, What, So What, Now What?...).

A kind of its own, and a capability of every segment with phases (open space's
slots, Lean Coffee's propose, vote and discuss): the phase events, moving
between phases, a phase's countdown and its time-up are this module's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from facilitate.events import SegmentEvent
from facilitate.kinds import FormatPhase, FormatProblem, Kind, Operations
from facilitate.kinds.round import end_turn, start_round
from facilitate.models import PHASES, Meeting, Segment
from facilitate.room.parts import minutes
from facilitate.text import clean_block, clean_line

if TYPE_CHECKING:
    from facilitate.session import MeetingSession


class PhaseChanged(SegmentEvent, tag="phase"):
    """The segment moves to another phase (whoever had the floor in a round phase has spoken)."""

    index: int
    """The phase's position (from 0); kept within the segment's phases."""

    def apply(self, meeting: Meeting) -> None:
        segment = self.target(meeting)
        if segment is None or not segment.phases:
            return
        index = max(0, min(self.index, len(segment.phases) - 1))
        end_turn(segment)
        segment.phase = index
        start_round(meeting, segment)


class PhaseSignalled(SegmentEvent, tag="phase_signalled"):
    """A phase's time-up has been signalled."""

    index: int
    """The phase's position (from 0)."""

    def apply(self, meeting: Meeting) -> None:
        segment = self.target(meeting)
        if segment is not None and 0 <= self.index < len(segment.phases):
            segment.phases[self.index].signalled = True


class PhaseOperations(Operations):
    """Moving between phases: `session.phases`."""

    attribute = "phases"

    def next(self) -> bool:
        segment = self.segment
        if segment is None or not segment.phases or segment.phase >= len(segment.phases) - 1:
            return False
        self.session.record(PhaseChanged(segment=segment.id, index=segment.phase + 1))
        return True

    def previous(self) -> bool:
        segment = self.segment
        if segment is None or not segment.phases or segment.phase == 0:
            return False
        self.session.record(PhaseChanged(segment=segment.id, index=segment.phase - 1))
        return True

    def remaining(self) -> float | None:
        segment = self.segment
        if segment is None or not segment.phases:
            return None
        phase = segment.phases[segment.phase]
        return phase.seconds - phase.elapsed - self.session.pending_time()



# -- the room's screen ---------------------------------------------------------------------------------


def room_view(meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
    """1-2-4-All and the other phased formats: the phase, its prompt, the steps."""
    phase = segment.current_phase
    return {
        "view": "phases",
        "phase": clean_line(phase.name) if phase else "",
        "prompt": clean_block(phase.prompt) if phase else "",
        "steps": [
            {
                "name": clean_line(p.name),
                "minutes": minutes(p.seconds),
                "state": "now" if i == segment.phase else ("done" if i < segment.phase else "later"),
            }
            for i, p in enumerate(segment.phases)
        ],
    }


class Phases(Kind):
    name = PHASES
    position = 30
    description = "Timed steps, each with its own countdown and prompt; also the steps of open space and Lean Coffee."
    capability = True
    events = (PhaseChanged, PhaseSignalled)
    operations = PhaseOperations

    def default_minutes(self, data: dict[str, Any]) -> float | None:
        raw = data.get("phases")
        if not isinstance(raw, list):
            return None
        return sum(
            p["minutes"] for p in raw
            if isinstance(p, dict) and isinstance(p.get("minutes"), (int, float)) and not isinstance(p["minutes"], bool)
        ) or 0  # fmt: skip

    def check_format(
        self, *, minutes: float, per_person: float | None, phases: tuple[FormatPhase, ...], options: dict[str, Any]
    ) -> None:
        if not phases:
            raise FormatProblem("a phased format needs at least one [[phases]] table")
        total = sum(p.minutes for p in phases)
        if abs(total - minutes) > 1e-6:
            raise FormatProblem(
                f"'minutes' ({minutes:g}) is not the sum of the phases ({total:g}); leave it out or correct it",
                "minutes",
            )

    def applies(self, segment: Segment) -> bool:
        return bool(segment.phases)

    def credit(self, segment: Segment, seconds: float) -> None:
        if segment.phases and 0 <= segment.phase < len(segment.phases):
            segment.phases[segment.phase].elapsed += seconds

    def context(self, session: MeetingSession) -> dict[str, str]:
        segment = session.meeting.segment
        phase = segment.current_phase if segment else None
        return {"phase": phase.name} if phase is not None else {}

    def countdown(self, session: MeetingSession) -> float | None:
        return session.phases.remaining()

    def time_up(self, session: MeetingSession) -> str | None:
        segment = session.meeting.segment
        phase = segment.current_phase if segment else None
        if segment is None or phase is None:
            return None
        remaining = session.phases.remaining()
        if phase.signalled or remaining is None or remaining > 0:
            return ""
        session.record(PhaseSignalled(segment=segment.id, index=segment.phase))
        if segment.phase == len(segment.phases) - 1:
            from facilitate.events import Signalled

            session.record(Signalled(segment=segment.id))
            return f"Time is up for {segment.name}.  ctrl+t adds a minute · ctrl+n moves on"
        upcoming = segment.phases[segment.phase + 1].name
        return f"Time is up: {phase.name}.  → moves to {upcoming}"

    def room(self, meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
        return room_view(meeting, segment, pending)


KIND = Phases()

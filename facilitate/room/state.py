"""What the room sees: pure data built from a meeting and the time.

`room_state(meeting, pending)` describes the screen the room looks at (the
projector's terminal, present mode, the browser): the meeting's title, the
segment's title and prompt, the countdown, the agenda's progress and what is
next, and a part of its own for each kind of segment (who has the floor in a
round, the open space wall, the Lean Coffee board...), which the kind builds
(`Kind.room`, found through the registry). It is plain JSON-able
data, the same for every face of the room.

Never in it: the facilitator's guidance, notes, the capture log, people's
organisations. Decisions and actions only while the facilitator shows them
(`SHOW_RECORD`, set through the journal so every room view agrees).

`pending` is the running time not yet credited to the meeting: the session's
`pending_time()` in the facilitator's app, or the wall time since the last
event in the journal for a room that follows it from another process.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from facilitate import kinds
from facilitate.models import (
    ACTION,
    DECISION,
    Meeting,
    MeetingStatus,
    Segment,
    SegmentState,
)
from facilitate.room.parts import WARNING_SECONDS, Clock, minutes
from facilitate.text import clean_block, clean_line

SHOW_RECORD = "room_record"
"""Segment data key: the facilitator shows the decisions and actions agreed so far to the room."""
BLANK = "room_blank"
"""Segment data key: the room's screen is blanked (as `b` does in a slide show). Moving to another
segment brings the screen back, as moving on does in a slide show."""

@dataclass
class RoomState:
    """The room's screen as data. `to_dict()` is what the browser receives."""

    status: str = "waiting"
    """"waiting" (no meeting in progress), "running" or "finished"."""
    title: str = ""
    series: str = ""
    segment: dict[str, Any] = field(default_factory=dict)
    """name, prompt, kind, number (1-based), of."""
    clock: dict[str, Any] | None = None
    paused: bool = False
    blank: bool = False
    agenda: list[dict[str, Any]] = field(default_factory=list)
    """Every segment: name, minutes, state ("done", "now", "next", "skipped", "later")."""
    next: dict[str, Any] | None = None
    """What comes next: a phase of this segment or the next segment (name, minutes, what)."""
    body: dict[str, Any] = field(default_factory=dict)
    """The segment kind's own part; `body["kind"]` says which."""
    record: dict[str, Any] | None = None
    """Decisions and actions agreed, while the facilitator shows them."""
    ended: str = ""
    """While waiting: the title of the meeting that has just ended, if any."""
    as_of: float = 0.0
    """Wall time (seconds since the epoch) the countdowns were computed at."""
    join: str = ""
    """While the room is open to phones, the address (with its join code) to show the room:
    set by the facilitator's app for its present mode, and by `facilitate room` from the join
    file beside the journal (`facilitate.phones.join`); never from the journal."""
    join_qr: list[str] = field(default_factory=list)
    """`join` as a QR code: a row of "1" (dark) and "0" (light) modules each, quiet zone included."""

    def with_join(self, url: str) -> RoomState:
        """This state showing where phones join (nothing once the meeting is over)."""
        if url and self.status == "running":
            from facilitate.phones.join import qr_rows

            self.join, self.join_qr = url, list(qr_rows(url))
        return self

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def waiting(ended: str = "", as_of: float = 0.0) -> RoomState:
    return RoomState(status="waiting", ended=clean_line(ended), as_of=as_of)


# -- time ----------------------------------------------------------------------


def segment_clock(segment: Segment, pending: float, running: bool) -> Clock:
    """The big countdown: the Lean Coffee topic's timebox, else the phase's time, else the segment's.

    The same choice as `MeetingSession.countdown`, from the meeting alone."""
    board = segment.lean_coffee
    topic = board.topic(board.current) if board is not None else None
    if topic is not None:
        return Clock(topic.timebox - topic.discussed - pending, topic.timebox, running)
    phase = segment.current_phase
    if phase is not None:
        return Clock(phase.seconds - phase.elapsed - pending, phase.seconds, running)
    return Clock(segment.allowed - segment.elapsed - pending, segment.allowed, running)


# -- the whole ------------------------------------------------------------------------


def room_state(meeting: Meeting, pending: float, as_of: float = 0.0) -> RoomState:
    """The room's view of `meeting`, `pending` seconds of running time after its last event."""
    pending = max(pending, 0.0) if meeting.running else 0.0
    if meeting.status == MeetingStatus.FINISHED:
        return RoomState(status="finished", title=clean_line(meeting.title), series=clean_line(meeting.series),
                         record=_record(meeting), as_of=as_of)  # fmt: skip
    state = RoomState(
        status="running",
        title=clean_line(meeting.title),
        series=clean_line(meeting.series),
        paused=not meeting.running,
        agenda=_agenda(meeting),
        as_of=as_of,
    )
    segment = meeting.segment
    if segment is None:
        return state
    state.segment = {
        "name": clean_line(segment.name),
        "prompt": clean_block(segment.prompt),
        "kind": segment.kind,
        "number": meeting.current + 1,
        "of": len(meeting.segments),
    }
    state.clock = segment_clock(segment, pending, meeting.running).to_dict()
    state.blank = bool(segment.data.get(BLANK))
    state.next = _next(meeting, segment)
    state.body = {"kind": segment.kind, **kinds.get(segment.kind).room(meeting, segment, pending)}
    if segment.data.get(SHOW_RECORD):
        state.record = _record(meeting)
    return state


def _agenda(meeting: Meeting) -> list[dict[str, Any]]:
    rows = []
    upcoming_seen = False
    for index, segment in enumerate(meeting.segments):
        if index == meeting.current and segment.state != SegmentState.DONE:
            where = "now"
        elif segment.state == SegmentState.DONE:
            where = "done"
        elif segment.state == SegmentState.SKIPPED:
            where = "skipped"
        elif index > meeting.current and segment.state == SegmentState.PENDING and not upcoming_seen:
            where = "next"
            upcoming_seen = True
        else:
            where = "later"
        rows.append({"name": clean_line(segment.name), "minutes": minutes(segment.allowed), "state": where})
    return rows


def _next(meeting: Meeting, segment: Segment) -> dict[str, Any] | None:
    if segment.phases and segment.phase < len(segment.phases) - 1:
        phase = segment.phases[segment.phase + 1]
        return {"name": clean_line(phase.name), "minutes": minutes(phase.seconds), "what": "phase"}
    upcoming = next((s for s in meeting.segments[meeting.current + 1 :] if s.state == SegmentState.PENDING), None)
    if upcoming is None:
        return None
    return {"name": clean_line(upcoming.name), "minutes": minutes(upcoming.allowed), "what": "segment"}


def _record(meeting: Meeting) -> dict[str, Any]:
    """Decisions and actions as agreed at this meeting (owner and due date; never notes)."""
    return {
        "decisions": [clean_line(item.text) for item in meeting.items if item.kind == DECISION],
        "actions": [
            {"text": clean_line(item.text), "owner": clean_line(item.owner), "due": item.due or clean_line(item.due_text)}
            for item in meeting.items
            if item.kind == ACTION
        ],
    }


__all__ = ["BLANK", "SHOW_RECORD", "WARNING_SECONDS", "Clock", "RoomState", "room_state", "segment_clock", "waiting"]

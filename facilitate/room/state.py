"""What the room sees: pure data built from a meeting and the time.

`room_state(meeting, pending)` describes the screen the room looks at (the
projector's terminal, present mode, the browser): the meeting's title, the
segment's title and prompt, the countdown, the agenda's progress and what is
next, and a part of its own for each kind of segment (who has the floor in a
round, the open space wall, the Lean Coffee board...). It is plain JSON-able
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
from typing import Any, Callable

from facilitate.models import (
    ACTION,
    DECISION,
    LEFT,
    PASSED,
    SPEAKING,
    SPOKE,
    WAITING,
    Meeting,
    MeetingStatus,
    Segment,
    SegmentState,
)
from facilitate.text import clean_block, clean_line

SHOW_RECORD = "room_record"
"""Segment data key: the facilitator shows the decisions and actions agreed so far to the room."""
BLANK = "room_blank"
"""Segment data key: the room's screen is blanked (as `b` does in a slide show). Moving to another
segment brings the screen back, as moving on does in a slide show."""

WARNING_SECONDS = 60.0
"""The countdown's last minute is marked (in words and colour) as it is on the run screen."""
NEXT_SPEAKERS = 3


@dataclass
class Clock:
    """A countdown as of `RoomState.as_of`: negative `remaining` is an overrun."""

    remaining: float
    allowed: float
    running: bool

    @property
    def overrun(self) -> bool:
        return self.remaining < 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "remaining": round(self.remaining, 3),
            "allowed": round(self.allowed, 3),
            "running": self.running,
            "overrun": self.overrun,
            "warning": 0 <= self.remaining <= WARNING_SECONDS,
        }


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
    view = KIND_VIEWS.get(segment.kind, timer_view)
    state.body = {"kind": segment.kind, **view(meeting, segment, pending)}
    if segment.data.get(SHOW_RECORD):
        state.record = _record(meeting)
    return state


def _minutes(seconds: float) -> float:
    return round(seconds / 60, 1)


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
        rows.append({"name": clean_line(segment.name), "minutes": _minutes(segment.allowed), "state": where})
    return rows


def _next(meeting: Meeting, segment: Segment) -> dict[str, Any] | None:
    if segment.phases and segment.phase < len(segment.phases) - 1:
        phase = segment.phases[segment.phase + 1]
        return {"name": clean_line(phase.name), "minutes": _minutes(phase.seconds), "what": "phase"}
    upcoming = next((s for s in meeting.segments[meeting.current + 1 :] if s.state == SegmentState.PENDING), None)
    if upcoming is None:
        return None
    return {"name": clean_line(upcoming.name), "minutes": _minutes(upcoming.allowed), "what": "segment"}


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


# -- each kind's part -------------------------------------------------------------------
# One small function per segment kind, each self-contained: they are meant to move into
# the kinds' own modules. Each returns the `body` of the room state (without "kind").

KindView = Callable[[Meeting, Segment, float], dict[str, Any]]


def timer_view(meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
    """An open conversation or a break: the countdown and the prompt say it all."""
    return {}


def round_view(meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
    """Who has the floor, with their own countdown; the next three; who has spoken."""
    state = segment.round

    def name(person_id: str) -> str:
        attendee = meeting.attendee(person_id)
        return clean_line(attendee.name) if attendee is not None else ""

    if state is None:
        return {"view": "round", "speaker": None, "next": [], "spoken": [], "waiting": 0}
    speaker = state.speaker
    floor = None
    if speaker is not None and speaker.state == SPEAKING:
        allowed = segment.per_person or 0.0
        floor = {
            "name": name(speaker.person_id),
            "clock": Clock(allowed - speaker.spoke - pending, allowed, meeting.running).to_dict() if allowed else None,
        }
    present = {a.person_id for a in meeting.present}
    queue = [t for t in state.turns if t.state == WAITING and t.person_id in present and t is not speaker]
    # The order continues after the speaker, then wraps to anyone waiting from before.
    if state.current is not None:
        after = [t for t in state.turns[state.current + 1 :] if t in queue]
        queue = after + [t for t in queue if t not in after]
    return {
        "view": "round",
        "speaker": floor,
        "next": [name(t.person_id) for t in queue[:NEXT_SPEAKERS]],
        "waiting": len(queue),
        "spoken": [
            {"name": name(t.person_id), "passed": t.state == PASSED}
            for t in state.turns
            if t.state in (SPOKE, PASSED)
        ],
        "left": sum(1 for t in state.turns if t.state == LEFT),
    }


def phases_view(meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
    """1-2-4-All and the other phased formats: the phase, its prompt, the steps."""
    phase = segment.current_phase
    return {
        "view": "phases",
        "phase": clean_line(phase.name) if phase else "",
        "prompt": clean_block(phase.prompt) if phase else "",
        "steps": [
            {
                "name": clean_line(p.name),
                "minutes": _minutes(p.seconds),
                "state": "now" if i == segment.phase else ("done" if i < segment.phase else "later"),
            }
            for i, p in enumerate(segment.phases)
        ],
    }


OPEN_SPACE_WORDS = {
    "opening": "Opening",
    "marketplace": "Marketplace: propose a session",
    "slot": "Sessions",
    "closing": "Closing circle",
}


def open_space_view(meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
    """The opening's theme and principles; the marketplace's proposals; the wall; the closing circle."""
    space = segment.open_space
    phase = segment.current_phase
    kind = phase.kind if phase is not None else "opening"
    if space is None:
        return {"view": "opening", "theme": clean_block(segment.prompt), "principles": []}
    if kind == "closing":
        return {**round_view(meeting, segment, pending), "view": "closing", "theme": clean_block(space.theme)}
    if kind == "opening":
        room = clean_block(str(segment.data.get("room", "")))
        return {
            "view": "opening",
            "theme": clean_block(space.theme or segment.prompt),
            "principles": [line for line in room.split("\n") if line.strip()],
        }
    live = space.live_proposals
    slot_times = list(space.slot_times)
    slots = []
    for slot in range(space.slots):
        label = slot_times[slot] if slot < len(slot_times) and slot_times[slot] else f"Slot {slot + 1}"
        cells = []
        for index in range(len(space.spaces)):
            proposal = space.proposal(space.wall.get(f"{slot}:{index}"))
            cells.append({"title": clean_line(proposal.title), "by": clean_line(proposal.by)} if proposal else None)
        slots.append({"label": clean_line(label), "sessions": cells})
    placed = set(space.wall.values())
    return {
        "view": "marketplace" if kind == "marketplace" else "wall",
        "theme": clean_block(space.theme),
        "proposals": [
            {"title": clean_line(p.title), "by": clean_line(p.by), "placed": p.id in placed} for p in live
        ],
        "spaces": [clean_line(name) for name in space.spaces],
        "slots": slots,
        "current_slot": phase.slot if phase is not None and phase.slot is not None else None,
    }


LEAN_WORDS = {"propose": "Propose topics", "vote": "Place your dots", "discuss": "Discussion"}


def lean_coffee_view(meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
    """Topics with their votes, the topic being discussed with its timebox, the last thumbs."""
    board = segment.lean_coffee
    phase = segment.current_phase
    stage = phase.kind if phase is not None and phase.kind in LEAN_WORDS else "discuss"
    if board is None:
        return {"view": stage, "topics": [], "current": None, "thumbs": None}
    ordered = board.topics if stage == "propose" else board.by_votes
    current = board.topic(board.current)
    thumbs = None
    voted = [(t, t.thumbs[-1]) for t in board.topics if t.thumbs]
    if voted:
        topic, vote = max(voted, key=lambda pair: pair[1].at)
        thumbs = {
            "topic": clean_line(topic.title),
            "up": vote.up,
            "sideways": vote.sideways,
            "down": vote.down,
            "outcome": vote.outcome,
        }
    return {
        "view": stage,
        "heading": LEAN_WORDS[stage],
        "votes_each": board.votes_per_person,
        "topics": [
            {
                "title": clean_line(t.title),
                "by": clean_line(t.by),
                "votes": t.votes,
                "state": "discussing" if t is current else t.state,
            }
            for t in ordered
        ],
        "current": (
            {"title": clean_line(current.title), "votes": current.votes, "timebox": round(current.timebox, 3),
             "extensions": current.extensions}  # fmt: skip
            if current is not None
            else None
        ),
        "thumbs": thumbs,
    }


def matters_view(meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
    """Matters arising: the action being reviewed, and how many are left."""
    matters = segment.matters
    index = int(segment.data.get("matter", 0) or 0) if matters else 0
    current = matters[index] if matters and 0 <= index < len(matters) else None
    return {
        "view": "matters",
        "current": (
            {"text": clean_line(current.text), "owner": clean_line(current.owner), "due": current.due or ""}
            if current is not None
            else None
        ),
        "number": index + 1 if current is not None else 0,
        "of": len(matters),
        "reviewed": sum(1 for m in matters if m.outcome),
    }


KIND_VIEWS: dict[str, KindView] = {
    "timer": timer_view,
    "round": round_view,
    "phases": phases_view,
    "open-space": open_space_view,
    "lean-coffee": lean_coffee_view,
    "matters-arising": matters_view,
}
"""Segment kind to the function that builds its part of the room's screen."""

"""The meeting record: plain dataclasses, stored as JSON.

A `Meeting` holds everything about one meeting: its plan (segments), how the
time went (elapsed per segment, per speaker), who came (attendees) and what
was captured (items: notes, decisions, actions). The same shape is kept in the
live file while the meeting runs and in the archive once it is finished.

Times are stored as ISO 8601 text (wall clock) for the record, and as seconds
(floats) for durations. Ids are random hex strings, unique across laptops so
archives can be merged.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from facilitate.serial import from_dict, to_dict

SCHEMA_VERSION = 3
"""Version of the meeting and archive documents; bumped with a migration.

2: an action keeps what was agreed at its meeting; what happened later is a
list of `FollowUp`s in its `log`, never a change to its own fields. A segment's
format settings live in one place (its `open_space`, `lean_coffee`, phases),
no longer copied into `options` as well.

3: the archive stores each meeting packed (`facilitate.packing`): defaults left
out, segment settings once in the archive's `formats` table, attendees,
captures and turns as rows. `to_dict` still gives every field, as before."""

NOTE, DECISION, ACTION = "note", "decision", "action"
ITEM_KINDS = (NOTE, DECISION, ACTION)
OPEN, DONE, DROPPED = "open", "done", "dropped"
ACTION_STATUSES = (OPEN, DONE, DROPPED)

# Segment kinds. Formats of kind "round" give each person a turn.
TIMER, ROUND, PHASES = "timer", "round", "phases"
OPEN_SPACE, LEAN_COFFEE, MATTERS_ARISING = "open-space", "lean-coffee", "matters-arising"


class MeetingStatus(StrEnum):
    """Where a meeting is in its life. Stored as these words (the enum is a `str`)."""

    PLANNED = "planned"
    RUNNING = "running"
    """Started and not yet finished, whether its clock runs or is paused (`Meeting.running`)."""
    FINISHED = "finished"


class SegmentState(StrEnum):
    """Where a segment of the agenda is. Stored as these words (the enum is a `str`)."""

    PENDING = "pending"
    ACTIVE = "active"
    DONE = "done"
    """Run and moved on from."""
    SKIPPED = "skipped"


ROUND_PHASES = ("round", "closing")
"""Phase kinds in which people speak in turn."""
WAITING, SPEAKING, SPOKE, PASSED = "waiting", "speaking", "spoke", "passed"
LEFT = "left"
"""A turn in a round whose person left before it came."""


def new_id() -> str:
    """A random 64-bit id as 16 hex digits."""
    return secrets.token_hex(8)


@dataclass
class Person:
    """Someone the archive knows: one record per person, across meetings."""

    id: str
    name: str
    organisation: str = ""
    first_seen: str = ""
    """ISO date of the first meeting they came to."""
    note: str = ""
    invited_by: str = ""
    """Who first brought them, as they said signing in from a phone; stored only when said."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = to_dict(self)
        if not self.invited_by:
            del data["invited_by"]  # said only from phones: a person without it is stored as before
        return data


@dataclass
class Attendee:
    """Someone at this meeting."""

    person_id: str
    name: str
    organisation: str = ""
    new: bool = False
    """First time at any meeting in the archive."""
    arrived_at: str = ""
    left_at: str | None = None
    segment_id: str | None = None
    """The segment they arrived during."""
    invited_by: str = ""
    """Who brought them, as they said it when signing in from a phone ("who invited you?")."""

    @property
    def present(self) -> bool:
        return self.left_at is None


REOWNED, REDATED, CARRIED, REOPENED = "reowned", "redated", "carried", "reopened"
FOLLOW_UP_OUTCOMES = (DONE, DROPPED, REOPENED, CARRIED, REOWNED, REDATED)


@dataclass
class FollowUp:
    """Something that happened to an action after the meeting that agreed it.

    The action itself stays as agreed; its state now is the action with its
    follow-ups applied in order (`facilitate.followups.current`).
    """

    at: str
    """When (ISO 8601 moment)."""
    outcome: str
    """"done", "dropped", "reopened", "carried" (forward, perhaps to a new date),
    "reowned" (given to someone else) or "redated"."""
    meeting: str = ""
    """The meeting whose matters arising decided it; empty when changed from the actions list."""
    owner: str | None = None
    """The new owner's name ("" for nobody); None when the owner did not change."""
    owner_id: str | None = None
    due: str | None = None
    """The new due date (ISO date); None when it did not change."""
    due_text: str = ""
    note: str = ""


@dataclass
class Item:
    """A note, decision or action captured during the meeting.

    An action's owner, due date and status are as agreed at its meeting; later
    changes are `FollowUp`s in `log`.
    """

    id: str
    kind: str
    text: str
    created_at: str = ""
    segment_id: str | None = None
    speaker_id: str | None = None
    """Who had the floor in a round when this was captured."""
    owner: str = ""
    """An action's owner as a name; `owner_id` links to a person when known."""
    owner_id: str | None = None
    due: str | None = None
    """An action's due date (ISO date)."""
    due_text: str = ""
    """The due date as typed ("fri"), kept for the record."""
    status: str = OPEN
    closed_at: str | None = None
    context: dict[str, str] = field(default_factory=dict)
    """Where in a segment it came from: an open space session, a Lean Coffee topic."""
    log: list[FollowUp] = field(default_factory=list)
    """What happened to an action later, oldest first: done, carried forward, re-owned, dropped."""

    @property
    def due_not_understood(self) -> bool:
        """An action whose due words could not be read as a date ("by someday"): kept with the
        words in `due_text` and no `due`, flagged until the action is edited."""
        return self.kind == ACTION and not self.due and bool(self.due_text.strip())


@dataclass
class Turn:
    """One person's turn in a round."""

    person_id: str
    state: str = WAITING
    spoke: float = 0.0
    """Seconds they held the floor."""


@dataclass
class RoundState:
    """The speaking order of a round and how far it has got."""

    turns: list[Turn] = field(default_factory=list)
    current: int | None = None
    """Index into `turns` of who has the floor; None before the first and after the last."""

    def turn_for(self, person_id: str) -> Turn | None:
        for turn in self.turns:
            if turn.person_id == person_id:
                return turn
        return None

    @property
    def speaker(self) -> Turn | None:
        if self.current is None or not 0 <= self.current < len(self.turns):
            return None
        return self.turns[self.current]


@dataclass
class Phase:
    """A timed step inside a segment (1-2-4-All's "1", "2", "4", "All")."""

    name: str
    seconds: float
    prompt: str = ""
    elapsed: float = 0.0
    kind: str = ""
    """What the step is for, in the richer formats: "opening", "marketplace",
    "wall", "slot", "closing" (open space); "propose", "vote", "discuss" (Lean Coffee)."""
    slot: int | None = None
    """For an open space session slot: which row of the agenda wall (0-based)."""
    signalled: bool = False
    """Its time-up has been signalled."""


@dataclass
class Vote:
    """The room's thumbs after a Lean Coffee timebox."""

    up: int = 0
    sideways: int = 0
    down: int = 0
    outcome: str = ""
    """"continue" or "move on"."""
    at: str = ""


@dataclass
class Proposal:
    """An open space session proposed at the marketplace, or a Lean Coffee topic."""

    id: str
    title: str
    by: str = ""
    """The convener (open space) or who proposed it (Lean Coffee), as a name."""
    by_id: str | None = None
    description: str = ""
    created_at: str = ""
    merged_into: str | None = None
    """Set when merged into another proposal, which then carries both."""
    merged_titles: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    """Person ids of who took part (open space); of the other proposers of topics merged
    into this one (Lean Coffee)."""
    named: list[str] = field(default_factory=list)
    """Others named from a phone as having taken part (open space): people not signed in, kept
    as typed (a name that meant one person at the meeting is in `participants` instead)."""
    report: str = ""
    """The session's report in the convener's words (open space)."""
    votes: int = 0
    """Dot votes (Lean Coffee)."""
    dots: list[str] = field(default_factory=list)
    """Person ids, one per dot placed from a phone (counted in `votes` too); a person may
    place several on one topic."""
    state: str = WAITING
    """Lean Coffee: "waiting", "discussing", "done"; "carried" when offered to the next meeting."""
    discussed: float = 0.0
    """Seconds spent discussing it (Lean Coffee)."""
    timebox: float = 0.0
    """The current timebox in seconds, extensions included (Lean Coffee)."""
    extensions: int = 0
    thumbs: list[Vote] = field(default_factory=list)
    carried_from: str | None = None
    """The meeting id a topic was carried over from."""
    hidden: bool = False
    """Hidden by the facilitator (a duplicate, something unwanted): off the wall or the board,
    the room's and the phones' views and the record, until shown again. Stored only when set."""
    hidden_from: str = ""
    """The wall's cell ("slot:space") an open space session was in when hidden: shown again, it
    goes back there if the cell is still free. Stored only when set."""


@dataclass
class OpenSpace:
    """An open space: the theme, the agenda wall and the proposals on it."""

    theme: str = ""
    slots: int = 3
    slot_minutes: float = 30.0
    spaces: list[str] = field(default_factory=lambda: ["Room 1", "Room 2", "Room 3"])
    slot_times: list[str] = field(default_factory=list)
    """Labels for the wall's rows ("10:30"); filled when the meeting runs."""
    proposals: list[Proposal] = field(default_factory=list)
    wall: dict[str, str] = field(default_factory=dict)
    """"slot:space" (0-based) to proposal id."""
    current: str | None = None
    """The session whose report is being captured."""

    def proposal(self, proposal_id: str | None) -> Proposal | None:
        for proposal in self.proposals:
            if proposal.id == proposal_id:
                return proposal
        return None

    def cell_of(self, proposal_id: str) -> tuple[int, int] | None:
        for key, value in self.wall.items():
            if value == proposal_id:
                slot, space = key.split(":")
                return int(slot), int(space)
        return None

    @property
    def live_proposals(self) -> list[Proposal]:
        """The proposals that stand: neither merged into another nor hidden."""
        return [p for p in self.proposals if p.merged_into is None and not p.hidden]

    @property
    def hidden_proposals(self) -> list[Proposal]:
        return [p for p in self.proposals if p.merged_into is None and p.hidden]


@dataclass
class LeanCoffee:
    """A Lean Coffee board: topics, votes, and the one being discussed."""

    votes_per_person: int = 3
    timebox_minutes: float = 8.0
    topics: list[Proposal] = field(default_factory=list)
    current: str | None = None
    """The topic being discussed."""
    asking: str | None = None
    """The topic whose thumbs the facilitator has asked phones for, until recorded."""
    answers: dict[str, str] = field(default_factory=dict)
    """Thumbs given from phones for `asking`: person id to "up", "sideways" or "down"."""

    def dots_of(self, person_id: str) -> int:
        """The dots a person has placed from a phone on this board's topics that stand (dots on
        a hidden topic are theirs to place again; a merged topic's dots moved with it)."""
        return sum(topic.dots.count(person_id) for topic in self.shown)

    @property
    def shown(self) -> list[Proposal]:
        """The topics that stand, as proposed: neither merged into another nor hidden."""
        return [t for t in self.topics if t.merged_into is None and not t.hidden]

    @property
    def hidden_topics(self) -> list[Proposal]:
        return [t for t in self.topics if t.merged_into is None and t.hidden]

    def standing(self, topic_id: str | None) -> Proposal | None:
        """The topic that stands for `topic_id`: itself, or the one it was merged into; none
        when hidden or unknown (a phone's page may be a moment behind)."""
        topic, seen = self.topic(topic_id), set()
        while topic is not None and topic.merged_into and topic.id not in seen:
            seen.add(topic.id)
            topic = self.topic(topic.merged_into)
        return topic if topic is not None and not topic.hidden and topic.merged_into is None else None

    def topic(self, topic_id: str | None) -> Proposal | None:
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        return None

    @property
    def by_votes(self) -> list[Proposal]:
        """Topics in discussion order: most votes first, then as proposed."""
        shown = self.shown
        order = {t.id: i for i, t in enumerate(shown)}
        return sorted(shown, key=lambda t: (-t.votes, order[t.id]))


@dataclass
class Matter:
    """An open action from an earlier meeting of the series, reviewed at this one."""

    meeting_id: str
    item_id: str
    text: str
    owner: str = ""
    owner_id: str | None = None
    due: str | None = None
    meeting_title: str = ""
    meeting_date: str = ""
    outcome: str = ""
    """"done", "carried", "reowned", "dropped", or "" while not yet reviewed."""
    new_owner: str = ""
    new_owner_id: str | None = None
    new_due: str | None = None
    note: str = ""
    at: str = ""


@dataclass
class Segment:
    """One part of the agenda: a format with a timebox, and how it went."""

    id: str
    format_id: str
    name: str
    kind: str = TIMER
    planned: float = 0.0
    """Planned seconds."""
    per_person: float | None = None
    """Seconds each speaker gets, for rounds."""
    prompt: str = ""
    guidance: str = ""
    order: str = "arrival"
    """How a round's speaking order starts: "arrival" or "shuffled"."""
    phases: list[Phase] = field(default_factory=list)
    state: SegmentState = SegmentState.PENDING
    adjust: float = 0.0
    """Seconds added (or taken, if negative) during the meeting."""
    elapsed: float = 0.0
    started_at: str | None = None
    ended_at: str | None = None
    round: RoundState | None = None
    phase: int = 0
    data: dict[str, Any] = field(default_factory=dict)
    """Small extra settings (the open space's room text, a round's ordering flag)."""
    open_space: OpenSpace | None = None
    lean_coffee: LeanCoffee | None = None
    matters: list[Matter] = field(default_factory=list)
    """Matters arising: the series' open actions and what became of each."""
    signalled: bool = False
    """Time-up has been signalled (the bell rings once)."""

    @property
    def allowed(self) -> float:
        """The timebox after minutes added or taken."""
        return max(self.planned + self.adjust, 0.0)

    @property
    def current_phase(self) -> Phase | None:
        if self.phases and 0 <= self.phase < len(self.phases):
            return self.phases[self.phase]
        return None

    @property
    def is_round(self) -> bool:
        """Speakers take turns now: a round, or a round phase (open space's closing circle)."""
        if self.kind == ROUND:
            return True
        phase = self.current_phase
        return phase is not None and phase.kind in ROUND_PHASES

    def rescale_phases(self, planned: float) -> None:
        """Change the length, sharing it among the phases in their proportions."""
        total = sum(p.seconds for p in self.phases)
        if self.phases and total > 0:
            for phase in self.phases:
                phase.seconds = phase.seconds * planned / total
        self.planned = planned


@dataclass
class UnreadEvent:
    """A line of the live file that could not be read or applied when the meeting was
    replayed (written by a newer facilitate, say, or damaged): kept as it was written,
    with the reason, so that nothing captured is lost without a word."""

    line: str
    reason: str


WAITING_NOD, HERE, DECLINED = "waiting", "here", "declined"


@dataclass
class Device:
    """A phone signed in to the meeting (`facilitate.phones`)."""

    id: str
    """Random, made when it joined; the phone holds it in its session cookie."""
    secret: str
    """A hash of the session cookie's secret (never the secret itself)."""
    name: str
    organisation: str = ""
    invited_by: str = ""
    state: str = WAITING_NOD
    """"waiting" (for the facilitator's nod or choice), "here", or "declined"."""
    person_id: str | None = None
    """Who they are at this meeting, once here."""
    offered: str | None = None
    """A known person whose name is alike, for the facilitator to confirm (never merged silently)."""
    candidates: list[str] = field(default_factory=list)
    """Person ids of several people whose names are equally alike, for the facilitator to choose
    among (or someone new); empty when there is one (`offered`) or none."""
    generation: int = 0
    """The join code's generation it joined with: rotating the code ends older sessions."""
    at: str = ""


@dataclass
class Phones:
    """Phones at a meeting: who signed in from which device, and every submission's key."""

    nod: bool = False
    """Sign-ins wait for the facilitator's nod (else they arrive at once)."""
    generation: int = 0
    devices: list[Device] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)
    """"device:key" of every submission recorded, to what it made: a retry gets the same answer."""

    def device(self, device_id: str | None) -> Device | None:
        for device in self.devices:
            if device.id == device_id:
                return device
        return None

    def remember(self, device: str | None, key: str | None, result: str) -> None:
        if device and key:
            self.keys[f"{device}:{key}"] = result

    def answer(self, device: str, key: str) -> str | None:
        return self.keys.get(f"{device}:{key}")

    @property
    def used(self) -> bool:
        return bool(self.devices or self.keys or self.nod or self.generation)


@dataclass
class Meeting:
    """One meeting, planned, running or finished."""

    id: str
    title: str
    series: str = ""
    facilitator: str = ""
    planned_start: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    status: MeetingStatus = MeetingStatus.PLANNED
    segments: list[Segment] = field(default_factory=list)
    current: int = 0
    running: bool = False
    attendees: list[Attendee] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    v: int = SCHEMA_VERSION
    unread: list[UnreadEvent] = field(default_factory=list)
    """Events its live file held that could not be replayed (see `UnreadEvent`); stored only
    when there are some."""
    phones: Phones = field(default_factory=Phones)
    """Phones signed in and their submissions' keys; stored only when phones were used."""

    # -- lookups -------------------------------------------------------------

    @property
    def segment(self) -> Segment | None:
        if 0 <= self.current < len(self.segments):
            return self.segments[self.current]
        return None

    def segment_by_id(self, segment_id: str | None) -> Segment | None:
        for segment in self.segments:
            if segment.id == segment_id:
                return segment
        return None

    def attendee(self, person_id: str | None) -> Attendee | None:
        for attendee in self.attendees:
            if attendee.person_id == person_id:
                return attendee
        return None

    def item(self, item_id: str) -> Item | None:
        for item in self.items:
            if item.id == item_id:
                return item
        return None

    @property
    def present(self) -> list[Attendee]:
        return [attendee for attendee in self.attendees if attendee.present]

    @property
    def actions(self) -> list[Item]:
        return [item for item in self.items if item.kind == ACTION]

    @property
    def decisions(self) -> list[Item]:
        return [item for item in self.items if item.kind == DECISION]

    @property
    def notes(self) -> list[Item]:
        return [item for item in self.items if item.kind == NOTE]

    @property
    def planned_total(self) -> float:
        return sum(segment.planned for segment in self.segments)

    @property
    def actual_total(self) -> float:
        return sum(segment.elapsed for segment in self.segments)

    # -- storage ---------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = to_dict(self)
        if not self.unread:
            del data["unread"]  # almost every meeting: the archive stays as it was
        if not self.phones.used:
            del data["phones"]
        drop_unused_phone_fields(data)
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Meeting:
        return from_dict(cls, data)


@dataclass
class PlanItem:
    """A segment as saved in a series' plan, to start the next meeting from."""

    format_id: str
    name: str
    planned: float
    per_person: float | None = None
    prompt: str = ""
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class CarriedTopic:
    """A Lean Coffee topic not reached, offered to the series' next meeting."""

    title: str
    by: str = ""
    meeting_id: str = ""
    votes: int = 0


@dataclass
class SeriesPlan:
    """A recurring series and the agenda its next meeting starts from."""

    name: str
    agenda: list[PlanItem] = field(default_factory=list)
    facilitator: str = ""
    title: str = ""
    carried_topics: list[CarriedTopic] = field(default_factory=list)


def drop_unused_phone_fields(data: dict[str, Any]) -> None:
    """Fields only phones fill are stored only when filled, so a meeting without phones is
    stored as it was before them."""
    for attendee in data.get("attendees", ()):
        if not attendee.get("invited_by"):
            attendee.pop("invited_by", None)
    for segment in data.get("segments", ()):
        board = segment.get("lean_coffee")
        if isinstance(board, dict):
            if board.get("asking") is None:
                board.pop("asking", None)
            if not board.get("answers"):
                board.pop("answers", None)
        for holder in (board, segment.get("open_space")):
            if isinstance(holder, dict):
                for proposal in holder.get("topics", ()) if holder is board else holder.get("proposals", ()):
                    if not proposal.get("dots"):
                        proposal.pop("dots", None)
                    if not proposal.get("named"):
                        proposal.pop("named", None)
                    if not proposal.get("hidden"):
                        proposal.pop("hidden", None)
                    if not proposal.get("hidden_from"):
                        proposal.pop("hidden_from", None)

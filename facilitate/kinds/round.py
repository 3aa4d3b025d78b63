"""Rounds: everyone speaks in turn, each with their own countdown.

A kind of its own (a check-in, a round) and a capability of others: any
segment in a round phase (open space's closing circle, a phase of kind
"round") has a speaking order too, and this module runs it. Other kinds may
import this one; it imports no other kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from facilitate.clock import format_duration
from facilitate.events import Event, SegmentEvent
from facilitate.kinds import FormatPhase, FormatProblem, Kind, Operations
from facilitate.models import (
    LEFT,
    PASSED,
    ROUND,
    SPEAKING,
    SPOKE,
    WAITING,
    Attendee,
    Meeting,
    RoundState,
    Segment,
    Turn,
)
from facilitate.room.parts import NEXT_SPEAKERS, Clock
from facilitate.text import clean_line

if TYPE_CHECKING:
    from facilitate.export.markdown import Page, RecordContext


def start_round(meeting: Meeting, segment: Segment) -> None:
    """A round starting now takes everyone present, in the order they arrived."""
    if segment.is_round and segment.round is None:
        segment.round = RoundState(turns=[Turn(person_id=a.person_id) for a in meeting.present])


def current_round(meeting: Meeting) -> RoundState | None:
    """The speaking order of the current segment, when people speak in turn now."""
    segment = meeting.segment
    if segment is None or not segment.is_round:
        return None
    start_round(meeting, segment)
    return segment.round


def end_turn(segment: Segment) -> None:
    """Whoever has the floor has spoken (a phase or the segment moves on)."""
    state = segment.round
    if state is not None and (speaker := state.speaker) is not None and speaker.state == SPEAKING:
        speaker.state = SPOKE
        state.current = None


def _is_present(meeting: Meeting, person_id: str) -> bool:
    attendee = meeting.attendee(person_id)
    return attendee is not None and attendee.present


def _give_floor(state: RoundState, index: int | None) -> None:
    if (speaker := state.speaker) is not None and speaker.state == SPEAKING:
        speaker.state = SPOKE
    state.current = index
    if index is not None:
        state.turns[index].state = SPEAKING


def next_waiting(meeting: Meeting, state: RoundState) -> int | None:
    """Who speaks next: the first waiting person after the speaker, then from the top."""
    start = -1 if state.current is None else state.current
    candidates = list(range(start + 1, len(state.turns))) + list(range(0, start + 1))
    for index in candidates:
        turn = state.turns[index]
        if turn.state == WAITING and _is_present(meeting, turn.person_id):
            return index
    return None


# -- events ---------------------------------------------------------------------------------------


class RoundNext(Event, tag="round_next"):
    """The next person waiting has the floor (the speaker has spoken)."""

    def apply(self, meeting: Meeting) -> None:
        state = current_round(meeting)
        if state is None:
            return
        if (speaker := state.speaker) is not None and speaker.state == SPEAKING:
            speaker.state = SPOKE
        _give_floor(state, next_waiting(meeting, state))


class RoundPass(Event, tag="round_pass"):
    """The speaker passes; the next person waiting has the floor."""

    def apply(self, meeting: Meeting) -> None:
        state = current_round(meeting)
        if state is None or (speaker := state.speaker) is None:
            return
        speaker.state = PASSED
        _give_floor(state, next_waiting(meeting, state))


class RoundBack(Event, tag="round_back"):
    """Back to the previous person who spoke or passed (the speaker waits again)."""

    def apply(self, meeting: Meeting) -> None:
        state = current_round(meeting)
        if state is None:
            return
        start = len(state.turns) if state.current is None else state.current
        for index in range(start - 1, -1, -1):
            if state.turns[index].state in (SPOKE, PASSED):
                if (speaker := state.speaker) is not None:
                    speaker.state = WAITING
                state.current = index
                state.turns[index].state = SPEAKING
                return


class RoundFloor(Event, tag="round_floor"):
    """Someone chosen has the floor, out of order (a late answer after a pass)."""

    person_id: str
    """Who has the floor now."""

    def apply(self, meeting: Meeting) -> None:
        state = current_round(meeting)
        if state is None:
            return
        for index, turn in enumerate(state.turns):
            if turn.person_id == self.person_id:
                if index != state.current:
                    _give_floor(state, index)
                return


class RoundOrder(Event, tag="round_order"):
    """The speaking order, rearranged (moved, shuffled, back to arrival order)."""

    order: list[str]
    """Person ids in their new order; anyone not named keeps their place after them."""

    def apply(self, meeting: Meeting) -> None:
        state = current_round(meeting)
        if state is None:
            return
        speaker = state.speaker
        rank = {person_id: position for position, person_id in enumerate(self.order)}
        state.turns.sort(key=lambda turn: rank.get(turn.person_id, len(rank)))
        state.current = state.turns.index(speaker) if speaker is not None else None


class RoundPerPerson(SegmentEvent, tag="round_per_person"):
    """How long each person speaks, changed (at least a second)."""

    seconds: float
    """Seconds each person speaks."""

    def apply(self, meeting: Meeting) -> None:
        segment = self.target(meeting)
        if segment is not None:
            segment.per_person = max(self.seconds, 1.0)


# -- operations ----------------------------------------------------------------------------------------


class RoundOperations(Operations):
    """The round's operations: `session.round`."""

    attribute = "round"

    @property
    def state(self) -> RoundState | None:
        segment = self.segment
        return segment.round if segment is not None else None

    def next(self) -> Attendee | None:
        """Give the floor to the next person; returns them, or None when the round is done."""
        self.session.record(RoundNext())
        return self.speaker()

    def pass_turn(self) -> Attendee | None:
        self.session.record(RoundPass())
        return self.speaker()

    def back(self) -> Attendee | None:
        self.session.record(RoundBack())
        return self.speaker()

    def floor(self, person_id: str) -> None:
        self.session.record(RoundFloor(person_id=person_id))

    def shuffle(self) -> None:
        """Shuffle those still waiting; who has spoken keeps their place."""
        state = self.state
        if state is None:
            return
        done = [t.person_id for t in state.turns if t.state != WAITING]
        waiting = [t.person_id for t in state.turns if t.state == WAITING]
        self.session.rng.shuffle(waiting)
        self.session.record(RoundOrder(order=done + waiting))

    def by_arrival(self) -> None:
        state = self.state
        if state is None:
            return
        arrival = {a.person_id: i for i, a in enumerate(self.session.meeting.attendees)}
        done = [t.person_id for t in state.turns if t.state != WAITING]
        waiting = sorted(
            (t.person_id for t in state.turns if t.state == WAITING),
            key=lambda pid: arrival.get(pid, len(arrival)),
        )
        self.session.record(RoundOrder(order=done + waiting))

    def move(self, person_id: str, offset: int) -> None:
        state = self.state
        if state is None:
            return
        order = [t.person_id for t in state.turns]
        if person_id not in order:
            return
        index = order.index(person_id)
        target = max(0, min(len(order) - 1, index + offset))
        if target == index:
            return
        order.insert(target, order.pop(index))
        self.session.record(RoundOrder(order=order))

    def set_per_person(self, seconds: float) -> None:
        segment = self.segment
        if segment is not None:
            self.session.record(RoundPerPerson(segment=segment.id, seconds=seconds))

    def order_if_needed(self) -> None:
        """A round set to start shuffled is shuffled once, before anyone speaks."""
        segment = self.segment
        if (
            segment is not None
            and segment.round is not None
            and segment.order == "shuffled"
            and not segment.data.get("ordered")
            and all(turn.state == WAITING for turn in segment.round.turns)
        ):
            segment.data["ordered"] = True
            self.shuffle()

    # -- who speaks, and for how long --------------------------------------------------------

    def speaker(self) -> Attendee | None:
        state = self.state
        if state is None or (turn := state.speaker) is None:
            return None
        return self.session.meeting.attendee(turn.person_id)

    def upcoming(self) -> Attendee | None:
        state = self.state
        if state is None:
            return None
        index = next_waiting(self.session.meeting, state)
        return self.session.meeting.attendee(state.turns[index].person_id) if index is not None else None

    def speaker_elapsed(self) -> float:
        state = self.state
        if state is None or (turn := state.speaker) is None:
            return 0.0
        return turn.spoke + self.session.pending_time()

    def speaker_remaining(self) -> float | None:
        segment = self.segment
        if segment is None or segment.round is None or segment.round.speaker is None:
            return None
        return (segment.per_person or 0.0) - self.speaker_elapsed()

    def spoken(self, person_id: str) -> float:
        """Seconds someone has held the floor in the current round, live."""
        state = self.state
        if state is None:
            return 0.0
        turn = state.turn_for(person_id)
        if turn is None:
            return 0.0
        extra = self.session.pending_time() if state.speaker is turn else 0.0
        return turn.spoke + extra

    def shares(self) -> list[tuple[Attendee, str, float, float]]:
        """Each person in the round: their state, seconds spoken, and share of the round's time."""
        state = self.state
        if state is None:
            return []
        rows = []
        spoken = {t.person_id: self.spoken(t.person_id) for t in state.turns}
        total = sum(spoken.values())
        for turn in state.turns:
            attendee = self.session.meeting.attendee(turn.person_id)
            if attendee is None:
                continue
            seconds = spoken[turn.person_id]
            rows.append((attendee, turn.state, seconds, seconds / total if total else 0.0))
        return rows


# -- the record ----------------------------------------------------------------------------------------


@dataclass
class RoundRecord:
    """Who was heard in a round: who spoke (and how long), passed, was not heard, left first."""

    segment: Segment
    spoke: list[tuple[str, float]] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)
    not_heard: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    """Left the meeting before their turn came."""

    @property
    def happened(self) -> bool:
        """Whether anyone had the floor: a round moved past untouched says nothing of who was heard."""
        return bool(self.spoke or self.passed)


def round_record(meeting: Meeting, segment: Segment) -> RoundRecord:
    record = RoundRecord(segment)
    if segment.round is None:
        return record
    for turn in segment.round.turns:
        attendee = meeting.attendee(turn.person_id)
        name = attendee.name if attendee else "(removed)"
        if turn.state == PASSED:
            record.passed.append(name)
        elif turn.state == SPOKE or turn.spoke > 0:
            record.spoke.append((name, turn.spoke))
        elif turn.state == LEFT or (attendee is not None and not attendee.present and _left_before(attendee, segment)):
            record.left.append(name)
        else:
            record.not_heard.append(name)
    return record


def _left_before(attendee: Attendee, segment: Segment) -> bool:
    """Whether someone left before the round ended (a record made before turns said so)."""
    return bool(attendee.left_at and (segment.ended_at is None or attendee.left_at < segment.ended_at))


def write_round(page: Page, record: RoundRecord) -> None:
    """Who spoke, passed, was not heard or left first, as the markdown record lists them."""
    from facilitate.export.escape import inline
    from facilitate.export.markdown import NAME_SEPARATOR

    if not record.happened:
        return

    def names(people: list[str]) -> str:
        return NAME_SEPARATOR.join(inline(name, "someone") for name in people)

    facts = []
    if record.spoke:
        facts.append(
            "**Spoke:** "
            + NAME_SEPARATOR.join(f"{inline(name, 'someone')} ({format_duration(s)})" for name, s in record.spoke)
        )
    if record.passed:
        facts.append("**Passed:** " + names(record.passed))
    if record.not_heard:
        facts.append("**Not heard:** " + names(record.not_heard))
    if record.left:
        facts.append("**Left before their turn:** " + names(record.left))
    page.bullets(facts)



# -- the room's screen ---------------------------------------------------------------------------------


def phone_view(meeting: Meeting, segment: Segment, person_id: str | None) -> dict[str, Any]:
    """Nothing to type in a round: the phone says whose turn it is and this person's place."""
    state = segment.round
    if state is None or person_id is None:
        return {"turn": None, "place": None}
    speaker = state.speaker
    mine = state.turn_for(person_id)
    place: int | str | None = None
    if mine is not None:
        if mine is speaker and mine.state == SPEAKING:
            place = "speaking"
        elif mine.state in (SPOKE, PASSED):
            place = "spoken"
        elif mine.state == WAITING:
            present = {a.person_id for a in meeting.present}
            queue = [t for t in state.turns if t.state == WAITING and t.person_id in present]
            if state.current is not None:
                after = [t for t in state.turns[state.current + 1 :] if t in queue]
                queue = after + [t for t in queue if t not in after]
            place = queue.index(mine) + 1 if mine in queue else None
    attendee = meeting.attendee(speaker.person_id) if speaker is not None and speaker.state == SPEAKING else None
    return {"turn": clean_line(attendee.name) if attendee else None, "place": place}


def room_view(meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
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


# -- the kind ---------------------------------------------------------------------------------------------


class Round(Kind):
    name = ROUND
    position = 20
    description = "Everyone speaks in turn, each with their own countdown; also any round phase of another kind."
    capability = True
    events = (RoundNext, RoundPass, RoundBack, RoundFloor, RoundOrder, RoundPerPerson)
    operations = RoundOperations

    def check_format(
        self, *, minutes: float, per_person: float | None, phases: tuple[FormatPhase, ...], options: dict[str, Any]
    ) -> None:
        if per_person is None:
            raise FormatProblem("a round needs 'seconds_per_person'")

    def applies(self, segment: Segment) -> bool:
        return segment.is_round or segment.round is not None

    def credit(self, segment: Segment, seconds: float) -> None:
        if segment.round is not None and segment.is_round and (speaker := segment.round.speaker) is not None:
            speaker.spoke += seconds

    def enter(self, meeting: Meeting, segment: Segment) -> None:
        start_round(meeting, segment)

    def leave(self, meeting: Meeting, segment: Segment, *, forward: bool) -> None:
        state = segment.round
        if state is not None and (speaker := state.speaker) is not None:
            speaker.state = SPOKE if forward else WAITING
            if forward:
                state.current = None

    def arrived(self, meeting: Meeting, person_id: str) -> None:
        # Someone arriving during a round joins the end of its order; someone back
        # before their turn came waits for it again.
        state = meeting.segment.round if meeting.segment is not None else None
        if state is None:
            return
        turn = state.turn_for(person_id)
        if turn is None:
            state.turns.append(Turn(person_id=person_id))
        elif turn.state == LEFT:
            turn.state = WAITING

    def departed(self, meeting: Meeting, person_id: str) -> None:
        # Out of the rest of the round: their turn shows they left; if they had the
        # floor, their turn ends there.
        state = meeting.segment.round if meeting.segment is not None else None
        turn = state.turn_for(person_id) if state is not None else None
        if state is None or turn is None:
            return
        if turn.state == WAITING:
            turn.state = LEFT
        elif turn.state == SPEAKING:
            turn.state = SPOKE
            state.current = None

    def removed(self, meeting: Meeting, person_id: str) -> None:
        for segment in meeting.segments:
            if segment.round is None:
                continue
            speaker = segment.round.speaker
            segment.round.turns = [t for t in segment.round.turns if t.person_id != person_id]
            segment.round.current = segment.round.turns.index(speaker) if speaker in segment.round.turns else None

    def started(self, session: Any) -> None:
        session.round.order_if_needed()

    def has_record(self, segment: Segment) -> bool:
        return segment.round is not None and any(t.state in (SPOKE, PASSED) or t.spoke > 0 for t in segment.round.turns)

    def record_of(self, meeting: Meeting, segment: Segment) -> RoundRecord:
        return round_record(meeting, segment)

    def write(self, page: Page, record: RoundRecord) -> None:
        write_round(page, record)

    def record(self, page: Page, context: RecordContext) -> None:
        context.prompt_and_round(page)

    def room(self, meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
        return room_view(meeting, segment, pending)

    def phone(self, meeting: Meeting, segment: Segment, person_id: str | None) -> dict[str, Any]:
        return phone_view(meeting, segment, person_id)


KIND = Round()

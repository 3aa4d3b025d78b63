"""How events change a meeting: a pure reducer.

Everything that happens in a meeting is an event, a small dict such as
`{"op": "add_item", "item": {...}, "tick": 12.5, "at": "2026-11-26T10:04:00+00:00"}`.
`apply_event` changes the meeting accordingly. The live file is a snapshot
plus these events, so replaying them after a crash rebuilds the meeting
exactly, timings included.

`tick` is the running time, in seconds, since the previous event; it is
credited to the current segment (and speaker, and phase) before the event
itself applies. The session measures it with the monotonic clock; after a
crash, a `gap` event carries the time that passed while the process was gone.
"""

from __future__ import annotations

from typing import Any, Callable

from facilitate.models import (
    ACTIVE,
    FINISHED,
    LEFT,
    PASSED,
    PENDING,
    SKIPPED,
    SPEAKING,
    SPOKE,
    WAITING,
    Attendee,
    Item,
    LeanCoffee,
    Matter,
    Meeting,
    OpenSpace,
    Proposal,
    RoundState,
    Segment,
    Turn,
    Vote,
)
from facilitate.serial import SchemaError, from_dict

Handler = Callable[[Meeting, dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {}


class EventError(ValueError):
    """An event that cannot apply to this meeting."""


def handles(op: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        HANDLERS[op] = function
        return function

    return register


DONE_TOPIC = "done"


def apply_tick(meeting: Meeting, seconds: float) -> None:
    """Credit running time to whatever has the clock."""
    if not meeting.running or seconds <= 0:
        return
    segment = meeting.segment
    if segment is None:
        return
    segment.elapsed += seconds
    if segment.round is not None and segment.is_round and (speaker := segment.round.speaker) is not None:
        speaker.spoke += seconds
    if segment.phases and 0 <= segment.phase < len(segment.phases):
        segment.phases[segment.phase].elapsed += seconds
    if segment.lean_coffee is not None and (topic := segment.lean_coffee.topic(segment.lean_coffee.current)):
        topic.discussed += seconds


def apply_event(meeting: Meeting, event: dict[str, Any]) -> None:
    """Apply one event. Raises `EventError` for an unknown or malformed event."""
    op = event.get("op")
    handler = HANDLERS.get(op)  # type: ignore[arg-type]
    if handler is None:
        raise EventError(f"unknown event {op!r}")
    tick = event.get("tick", 0.0)
    if isinstance(tick, (int, float)) and not isinstance(tick, bool):
        apply_tick(meeting, float(tick))
    try:
        handler(meeting, event)
    except (KeyError, TypeError, SchemaError) as error:
        raise EventError(f"malformed {op!r} event: {error}") from None


# -- the meeting as a whole ----------------------------------------------------


def activate(meeting: Meeting, index: int, at: str) -> None:
    """Make segment `index` current, building a round's speaking order if needed."""
    meeting.current = index
    segment = meeting.segments[index]
    segment.state = ACTIVE
    if segment.started_at is None:
        segment.started_at = at
    if segment.is_round and segment.round is None:
        segment.round = RoundState(turns=[Turn(person_id=a.person_id) for a in meeting.present])


def leave_current(meeting: Meeting, at: str, *, forward: bool) -> None:
    segment = meeting.segment
    if segment is None:
        return
    if segment.round is not None and (speaker := segment.round.speaker) is not None:
        speaker.state = SPOKE if forward else WAITING
        if forward:
            segment.round.current = None
    if forward:
        segment.state = FINISHED
        segment.ended_at = at
    else:
        segment.state = PENDING


@handles("start")
def _start(meeting: Meeting, event: dict[str, Any]) -> None:
    if meeting.status == "running":
        return
    meeting.status = "running"
    meeting.started_at = meeting.started_at or event["at"]
    meeting.running = True
    if meeting.segments:
        activate(meeting, 0, event["at"])


@handles("pause")
def _pause(meeting: Meeting, event: dict[str, Any]) -> None:
    meeting.running = False


@handles("resume")
def _resume(meeting: Meeting, event: dict[str, Any]) -> None:
    if meeting.status == "running":
        meeting.running = True


@handles("gap")
def _gap(meeting: Meeting, event: dict[str, Any]) -> None:
    """The process was gone for a while; the tick already counted the time."""


@handles("goto")
def _goto(meeting: Meeting, event: dict[str, Any]) -> None:
    index = int(event["index"])
    if not 0 <= index < len(meeting.segments) or index == meeting.current:
        return
    forward = index > meeting.current
    leave_current(meeting, event["at"], forward=forward)
    if forward:
        for skipped in meeting.segments[meeting.current + 1 : index]:
            if skipped.state == PENDING:
                skipped.state = SKIPPED
    activate(meeting, index, event["at"])


@handles("finish")
def _finish(meeting: Meeting, event: dict[str, Any]) -> None:
    leave_current(meeting, event["at"], forward=True)
    meeting.running = False
    meeting.status = "finished"
    meeting.finished_at = event["at"]


@handles("edit_meeting")
def _edit_meeting(meeting: Meeting, event: dict[str, Any]) -> None:
    for key in ("title", "series", "facilitator"):
        if isinstance(event.get(key), str):
            setattr(meeting, key, event[key])


# -- timeboxes -----------------------------------------------------------------


def _segment(meeting: Meeting, event: dict[str, Any]) -> Segment | None:
    segment_id = event.get("segment")
    if segment_id is None:
        return meeting.segment
    return meeting.segment_by_id(segment_id)


@handles("adjust")
def _adjust(meeting: Meeting, event: dict[str, Any]) -> None:
    segment = _segment(meeting, event)
    if segment is None:
        return
    segment.adjust += float(event["seconds"])
    # Never below what has already run: taking a minute ends the segment now at most.
    segment.adjust = max(segment.adjust, -segment.planned)
    if segment.allowed > segment.elapsed:
        segment.signalled = False


@handles("set_planned")
def _set_planned(meeting: Meeting, event: dict[str, Any]) -> None:
    segment = _segment(meeting, event)
    if segment is not None:
        segment.planned = max(float(event["seconds"]), 0.0)
        if segment.allowed > segment.elapsed:
            segment.signalled = False


@handles("skip")
def _skip(meeting: Meeting, event: dict[str, Any]) -> None:
    segment = _segment(meeting, event)
    if segment is not None and segment.state == PENDING and segment is not meeting.segment:
        segment.state = SKIPPED


@handles("unskip")
def _unskip(meeting: Meeting, event: dict[str, Any]) -> None:
    segment = _segment(meeting, event)
    if segment is not None and segment.state == SKIPPED:
        segment.state = PENDING


@handles("insert_segment")
def _insert_segment(meeting: Meeting, event: dict[str, Any]) -> None:
    segment = from_dict(Segment, event["segment"])
    index = max(meeting.current + 1, min(int(event["index"]), len(meeting.segments)))
    meeting.segments.insert(index, segment)


@handles("signalled")
def _signalled(meeting: Meeting, event: dict[str, Any]) -> None:
    segment = _segment(meeting, event)
    if segment is not None:
        segment.signalled = True


@handles("phase")
def _phase(meeting: Meeting, event: dict[str, Any]) -> None:
    segment = _segment(meeting, event)
    if segment is None or not segment.phases:
        return
    index = max(0, min(int(event["index"]), len(segment.phases) - 1))
    if segment.round is not None and (speaker := segment.round.speaker) is not None and speaker.state == SPEAKING:
        speaker.state = SPOKE
        segment.round.current = None
    segment.phase = index
    if segment.is_round and segment.round is None:
        segment.round = RoundState(turns=[Turn(person_id=a.person_id) for a in meeting.present])


@handles("data")
def _data(meeting: Meeting, event: dict[str, Any]) -> None:
    """A small marker on a segment (which Lean Coffee timebox has been signalled)."""
    segment = _segment(meeting, event)
    if segment is not None and isinstance(event.get("key"), str):
        segment.data[event["key"]] = event.get("value")


@handles("phase_signalled")
def _phase_signalled(meeting: Meeting, event: dict[str, Any]) -> None:
    segment = _segment(meeting, event)
    if segment is not None and 0 <= int(event["index"]) < len(segment.phases):
        segment.phases[int(event["index"])].signalled = True


# -- open space ------------------------------------------------------------------


def _open_space(meeting: Meeting, event: dict[str, Any]) -> OpenSpace | None:
    segment = _segment(meeting, event)
    return segment.open_space if segment is not None else None


@handles("os_propose")
def _os_propose(meeting: Meeting, event: dict[str, Any]) -> None:
    space = _open_space(meeting, event)
    if space is not None:
        proposal = from_dict(Proposal, event["proposal"])
        if space.proposal(proposal.id) is None:
            space.proposals.append(proposal)


PROPOSAL_FIELDS = {"title", "by", "by_id", "description"}


@handles("os_edit")
def _os_edit(meeting: Meeting, event: dict[str, Any]) -> None:
    space = _open_space(meeting, event)
    proposal = space.proposal(event["id"]) if space else None
    if proposal is not None:
        _apply_changes(proposal, event["changes"], PROPOSAL_FIELDS)


def _apply_changes(target: Any, changes: dict[str, Any], allowed: set[str]) -> None:
    from facilitate.serial import to_dict

    wanted = {k: v for k, v in changes.items() if k in allowed}
    checked = from_dict(type(target), {**to_dict(target), **wanted})
    for key in wanted:
        setattr(target, key, getattr(checked, key))


@handles("os_place")
def _os_place(meeting: Meeting, event: dict[str, Any]) -> None:
    """Put a session in a cell; a session already there swaps with it (or goes back to unplaced)."""
    space = _open_space(meeting, event)
    if space is None or space.proposal(event["id"]) is None:
        return
    slot, room = int(event["slot"]), int(event["space"])
    if not (0 <= slot < space.slots and 0 <= room < len(space.spaces)):
        return
    target = f"{slot}:{room}"
    origin = space.cell_of(event["id"])
    occupant = space.wall.get(target)
    if origin is not None:
        del space.wall[f"{origin[0]}:{origin[1]}"]
        if occupant is not None and occupant != event["id"]:
            space.wall[f"{origin[0]}:{origin[1]}"] = occupant
    space.wall[target] = event["id"]


@handles("os_unplace")
def _os_unplace(meeting: Meeting, event: dict[str, Any]) -> None:
    space = _open_space(meeting, event)
    if space is None:
        return
    space.wall = {cell: pid for cell, pid in space.wall.items() if pid != event["id"]}


@handles("os_merge")
def _os_merge(meeting: Meeting, event: dict[str, Any]) -> None:
    """Two proposals on the same theme become one session: `other` joins `keep`."""
    space = _open_space(meeting, event)
    if space is None:
        return
    keep, other = space.proposal(event["keep"]), space.proposal(event["other"])
    if keep is None or other is None or keep is other or other.merged_into is not None:
        return
    other.merged_into = keep.id
    keep.merged_titles.append(other.title)
    if other.by and other.by not in keep.by.split(" & "):
        keep.by = f"{keep.by} & {other.by}" if keep.by else other.by
    for person_id in other.participants:
        if person_id not in keep.participants:
            keep.participants.append(person_id)
    if other.report:
        keep.report = f"{keep.report}\n{other.report}".strip()
    space.wall = {cell: pid for cell, pid in space.wall.items() if pid != other.id}
    for item in meeting.items:
        if item.context.get("session") == other.id:
            item.context["session"] = keep.id
    if space.current == other.id:
        space.current = keep.id


@handles("os_participants")
def _os_participants(meeting: Meeting, event: dict[str, Any]) -> None:
    space = _open_space(meeting, event)
    proposal = space.proposal(event["id"]) if space else None
    if proposal is not None:
        proposal.participants = [str(pid) for pid in event["person_ids"]]


@handles("os_report")
def _os_report(meeting: Meeting, event: dict[str, Any]) -> None:
    space = _open_space(meeting, event)
    proposal = space.proposal(event["id"]) if space else None
    if proposal is not None:
        proposal.report = str(event["text"])


@handles("os_current")
def _os_current(meeting: Meeting, event: dict[str, Any]) -> None:
    space = _open_space(meeting, event)
    if space is not None and (event["id"] is None or space.proposal(event["id"]) is not None):
        space.current = event["id"]


# -- Lean Coffee -------------------------------------------------------------------


def _lean(meeting: Meeting, event: dict[str, Any]) -> LeanCoffee | None:
    segment = _segment(meeting, event)
    return segment.lean_coffee if segment is not None else None


@handles("lc_topic")
def _lc_topic(meeting: Meeting, event: dict[str, Any]) -> None:
    board = _lean(meeting, event)
    if board is not None:
        topic = from_dict(Proposal, event["topic"])
        if board.topic(topic.id) is None:
            board.topics.append(topic)


@handles("lc_edit")
def _lc_edit(meeting: Meeting, event: dict[str, Any]) -> None:
    board = _lean(meeting, event)
    topic = board.topic(event["id"]) if board else None
    if topic is not None:
        _apply_changes(topic, event["changes"], PROPOSAL_FIELDS)


@handles("lc_remove")
def _lc_remove(meeting: Meeting, event: dict[str, Any]) -> None:
    board = _lean(meeting, event)
    if board is not None and board.current != event["id"]:
        board.topics = [t for t in board.topics if t.id != event["id"]]


@handles("lc_votes")
def _lc_votes(meeting: Meeting, event: dict[str, Any]) -> None:
    board = _lean(meeting, event)
    topic = board.topic(event["id"]) if board else None
    if topic is not None:
        topic.votes = max(0, int(event["votes"]))


@handles("lc_discuss")
def _lc_discuss(meeting: Meeting, event: dict[str, Any]) -> None:
    """Start (or return to) discussing a topic; one topic at a time."""
    board = _lean(meeting, event)
    topic = board.topic(event["id"]) if board else None
    if board is None or topic is None:
        return
    if (current := board.topic(board.current)) is not None and current is not topic:
        current.state = DONE_TOPIC if current.discussed > 0 else WAITING
    board.current = topic.id
    topic.state = "discussing"
    if topic.timebox <= 0:
        topic.timebox = board.timebox_minutes * 60


@handles("lc_thumbs")
def _lc_thumbs(meeting: Meeting, event: dict[str, Any]) -> None:
    """The room's vote at the end of a timebox: continue for half as long again, or move on."""
    board = _lean(meeting, event)
    topic = board.topic(event["id"]) if board else None
    if board is None or topic is None:
        return
    outcome = event.get("outcome", "move on")
    topic.thumbs.append(
        Vote(
            up=max(0, int(event.get("up", 0))),
            sideways=max(0, int(event.get("sideways", 0))),
            down=max(0, int(event.get("down", 0))),
            outcome=outcome,
            at=event["at"],
        )
    )
    if outcome == "continue":
        topic.extensions += 1
        topic.timebox += extension_seconds(board.timebox_minutes * 60, topic.extensions)
        topic.state = "discussing"
        board.current = topic.id
    else:
        topic.state = DONE_TOPIC
        if board.current == topic.id:
            board.current = None


def extension_seconds(timebox: float, extension: int) -> float:
    """The nth extension is half the one before: 8 minutes, then 4, 2, 1..."""
    return timebox / (2**extension)


# -- matters arising -------------------------------------------------------------------


@handles("matters_load")
def _matters_load(meeting: Meeting, event: dict[str, Any]) -> None:
    segment = _segment(meeting, event)
    if segment is not None and not segment.matters:
        segment.matters = [from_dict(Matter, m) for m in event["matters"]]


MATTER_OUTCOMES = ("done", "carried", "reowned", "dropped", "")


@handles("matter_current")
def _matter_current(meeting: Meeting, event: dict[str, Any]) -> None:
    segment = _segment(meeting, event)
    if segment is not None and segment.matters:
        segment.data["matter"] = max(0, min(int(event["index"]), len(segment.matters) - 1))


@handles("matter_outcome")
def _matter_outcome(meeting: Meeting, event: dict[str, Any]) -> None:
    segment = _segment(meeting, event)
    if segment is None:
        return
    index = int(event["index"])
    if not 0 <= index < len(segment.matters) or event["outcome"] not in MATTER_OUTCOMES:
        return
    matter = segment.matters[index]
    matter.outcome = event["outcome"]
    matter.new_due = event.get("new_due") or None
    matter.new_owner = event.get("new_owner") or ""
    matter.new_owner_id = event.get("new_owner_id") or None
    matter.note = event.get("note") or ""
    matter.at = event["at"] if matter.outcome else ""
    segment.data["matter"] = index


# -- people --------------------------------------------------------------------


@handles("arrive")
def _arrive(meeting: Meeting, event: dict[str, Any]) -> None:
    person_id = event["person_id"]
    existing = meeting.attendee(person_id)
    if existing is not None:
        existing.left_at = None
        if event.get("organisation"):
            existing.organisation = event["organisation"]
    else:
        meeting.attendees.append(
            Attendee(
                person_id=person_id,
                name=event["name"],
                organisation=event.get("organisation", ""),
                new=bool(event.get("new", False)),
                arrived_at=event["at"],
                segment_id=meeting.segment.id if meeting.segment and meeting.status == "running" else None,
            )
        )
    # Someone arriving during a round joins the end of its order; someone back
    # before their turn came waits for it again.
    segment = meeting.segment
    if meeting.status == "running" and segment is not None and segment.round is not None:
        turn = segment.round.turn_for(person_id)
        if turn is None:
            segment.round.turns.append(Turn(person_id=person_id))
        elif turn.state == LEFT:
            turn.state = WAITING


@handles("left")
def _left(meeting: Meeting, event: dict[str, Any]) -> None:
    """Someone leaves: out of the rest of the current round (their turn shows they left;
    if they had the floor, their turn ends there)."""
    attendee = meeting.attendee(event["person_id"])
    if attendee is not None and attendee.left_at is None:
        attendee.left_at = event["at"]
    segment = meeting.segment
    state = segment.round if meeting.status == "running" and segment is not None else None
    turn = state.turn_for(event["person_id"]) if state is not None else None
    if state is None or turn is None:
        return
    if turn.state == WAITING:
        turn.state = LEFT
    elif turn.state == SPEAKING:
        turn.state = SPOKE
        state.current = None


@handles("edit_person")
def _edit_person(meeting: Meeting, event: dict[str, Any]) -> None:
    attendee = meeting.attendee(event["person_id"])
    if attendee is None:
        return
    if isinstance(event.get("name"), str) and event["name"]:
        old = attendee.name
        attendee.name = event["name"]
        for item in meeting.items:
            if item.owner_id == attendee.person_id and item.owner == old:
                item.owner = attendee.name
    if isinstance(event.get("organisation"), str):
        attendee.organisation = event["organisation"]


@handles("remove_person")
def _remove_person(meeting: Meeting, event: dict[str, Any]) -> None:
    """Undo a registration made by mistake (not someone leaving)."""
    person_id = event["person_id"]
    meeting.attendees = [a for a in meeting.attendees if a.person_id != person_id]
    for segment in meeting.segments:
        if segment.round is None:
            continue
        speaker = segment.round.speaker
        segment.round.turns = [t for t in segment.round.turns if t.person_id != person_id]
        segment.round.current = segment.round.turns.index(speaker) if speaker in segment.round.turns else None


# -- items -----------------------------------------------------------------------


@handles("add_item")
def _add_item(meeting: Meeting, event: dict[str, Any]) -> None:
    item = from_dict(Item, event["item"])
    if meeting.item(item.id) is None:
        meeting.items.append(item)


EDITABLE_ITEM_FIELDS = {"text", "owner", "owner_id", "due", "due_text", "status", "closed_at", "kind", "context"}


@handles("edit_item")
def _edit_item(meeting: Meeting, event: dict[str, Any]) -> None:
    item = meeting.item(event["id"])
    if item is None:
        return
    changes = {k: v for k, v in event["changes"].items() if k in EDITABLE_ITEM_FIELDS}
    merged = from_dict(Item, {**_item_dict(item), **changes})
    for key in changes:
        setattr(item, key, getattr(merged, key))


def _item_dict(item: Item) -> dict[str, Any]:
    from facilitate.serial import to_dict

    return to_dict(item)


@handles("delete_item")
def _delete_item(meeting: Meeting, event: dict[str, Any]) -> None:
    meeting.items = [item for item in meeting.items if item.id != event["id"]]


# -- rounds ------------------------------------------------------------------------


def _round(meeting: Meeting) -> RoundState | None:
    segment = meeting.segment
    if segment is None or not segment.is_round:
        return None
    if segment.round is None:
        segment.round = RoundState(turns=[Turn(person_id=a.person_id) for a in meeting.present])
    return segment.round


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


@handles("round_next")
def _round_next(meeting: Meeting, event: dict[str, Any]) -> None:
    state = _round(meeting)
    if state is None:
        return
    if (speaker := state.speaker) is not None and speaker.state == SPEAKING:
        speaker.state = SPOKE
    _give_floor(state, next_waiting(meeting, state))


@handles("round_pass")
def _round_pass(meeting: Meeting, event: dict[str, Any]) -> None:
    state = _round(meeting)
    if state is None or (speaker := state.speaker) is None:
        return
    speaker.state = PASSED
    _give_floor(state, next_waiting(meeting, state))


@handles("round_back")
def _round_back(meeting: Meeting, event: dict[str, Any]) -> None:
    state = _round(meeting)
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


@handles("round_floor")
def _round_floor(meeting: Meeting, event: dict[str, Any]) -> None:
    """Give the floor to someone chosen, out of order (a late answer after a pass)."""
    state = _round(meeting)
    if state is None:
        return
    for index, turn in enumerate(state.turns):
        if turn.person_id == event["person_id"]:
            if index != state.current:
                _give_floor(state, index)
            return


@handles("round_order")
def _round_order(meeting: Meeting, event: dict[str, Any]) -> None:
    state = _round(meeting)
    if state is None:
        return
    speaker = state.speaker
    rank = {person_id: position for position, person_id in enumerate(event["order"])}
    state.turns.sort(key=lambda turn: rank.get(turn.person_id, len(rank)))
    state.current = state.turns.index(speaker) if speaker is not None else None


@handles("round_per_person")
def _round_per_person(meeting: Meeting, event: dict[str, Any]) -> None:
    segment = _segment(meeting, event)
    if segment is not None:
        segment.per_person = max(float(event["seconds"]), 1.0)

"""The journal's events: everything that happens in a meeting, as typed records.

The live file (`facilitate.live`) is a snapshot of the meeting followed by
events, one JSON object a line. Each event is a `msgspec` struct tagged by
its `op`; this module has the envelope every event shares and the
meeting-wide events (the clock, the agenda, people, captures). Each format
kind's own events live in its module (`facilitate.kinds`), and `decode`
reads any of them: the kinds are gathered through the registry.

Every event carries, besides its own fields:

- `seq`, its number in the live file (set when it is written);
- `tick`, the running time in seconds since the previous event, credited to
  the current segment (and speaker, phase or topic) before the event applies;
- `at`, the wall-clock moment (ISO 8601, seconds) it was recorded;
- `wall`, the same moment as a Unix time, to measure the gap after a crash.

`apply` changes the meeting; replaying a live file's events over its
snapshot rebuilds the meeting exactly, timings included. An event that cannot
be read (`decode`) or applied raises `EventError`; replay keeps it with the
meeting instead of dropping it (`facilitate.session.replay_meeting`).

The schema is versioned (`JOURNAL_VERSION`) and documented, field by field,
in docs/journal.md, which `python -m facilitate.journal_doc` writes from these
classes (a test fails when it is out of date). Version 1 (the first, untyped
journal) wrote the same records: it is read as it is.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any, Union

import msgspec

from facilitate import kinds
from facilitate.models import Attendee, Item, Meeting, MeetingStatus, Segment, SegmentState
from facilitate.serial import SchemaError, convert, to_dict

JOURNAL_VERSION = 2
"""The live file's format. 2: every event a typed record (this module, docs/journal.md),
checked on reading; events that cannot be read or applied are kept with the meeting
(`Meeting.unread`) rather than skipped, so a version-1 facilitate, which would drop
them, refuses a version-2 file."""

HISTORY = {
    1: "The first journal: the same records, read without a schema; unreadable events were skipped.",
    2: "Typed events, checked on reading; what cannot be read or applied is kept with the meeting.",
}


class EventError(ValueError):
    """An event that cannot be read, or cannot apply to this meeting."""


class Event(msgspec.Struct, tag_field="op", kw_only=True):
    """What every event carries. Subclasses add their own fields and `apply`."""

    seq: int | None = None
    """Its number in the live file, from 1; set as it is written."""
    tick: float = 0.0
    """Running seconds since the previous event, credited before this one applies."""
    at: str = ""
    """When it was recorded (ISO 8601, to the second, with the offset)."""
    wall: float | None = None
    """The same moment as a Unix time."""

    def apply(self, meeting: Meeting) -> None:
        raise NotImplementedError


class SegmentEvent(Event, kw_only=True):
    """An event about one segment: the current one unless `segment` names another."""

    segment: str | None = None
    """The segment's id; none means the current segment."""

    def target(self, meeting: Meeting) -> Segment | None:
        if self.segment is None:
            return meeting.segment
        return meeting.segment_by_id(self.segment)


# -- the clock and the agenda ------------------------------------------------------------------


def activate(meeting: Meeting, index: int, at: str) -> None:
    """Make segment `index` current (its kinds set up what it needs, a round's order)."""
    meeting.current = index
    segment = meeting.segments[index]
    segment.state = SegmentState.ACTIVE
    if segment.started_at is None:
        segment.started_at = at
    for kind in kinds.for_segment(segment):
        kind.enter(meeting, segment)


def leave_current(meeting: Meeting, at: str, *, forward: bool) -> None:
    segment = meeting.segment
    if segment is None:
        return
    for kind in kinds.for_segment(segment):
        kind.leave(meeting, segment, forward=forward)
    if forward:
        segment.state = SegmentState.DONE
        segment.ended_at = at
    else:
        segment.state = SegmentState.PENDING


class Start(Event, tag="start"):
    """The meeting starts: the clock runs and the first segment begins."""

    def apply(self, meeting: Meeting) -> None:
        if meeting.status == MeetingStatus.RUNNING:
            return
        meeting.status = MeetingStatus.RUNNING
        meeting.started_at = meeting.started_at or self.at
        meeting.running = True
        if meeting.segments:
            activate(meeting, 0, self.at)


class Pause(Event, tag="pause"):
    """The clock stops."""

    def apply(self, meeting: Meeting) -> None:
        meeting.running = False


class Resume(Event, tag="resume"):
    """The clock runs again."""

    def apply(self, meeting: Meeting) -> None:
        if meeting.status == MeetingStatus.RUNNING:
            meeting.running = True


class Gap(Event, tag="gap"):
    """The process was gone and has come back; its `tick` carries the time a running clock
    counted meanwhile."""

    seconds: float = 0.0
    """How long it was gone (wall-clock seconds)."""

    def apply(self, meeting: Meeting) -> None:
        """Nothing more: the tick has already counted the time."""


class Goto(Event, tag="goto"):
    """Move to another segment; those passed over on the way forward are skipped."""

    index: int
    """The segment's position in the agenda (from 0)."""

    def apply(self, meeting: Meeting) -> None:
        index = self.index
        if not 0 <= index < len(meeting.segments) or index == meeting.current:
            return
        forward = index > meeting.current
        leave_current(meeting, self.at, forward=forward)
        if forward:
            for skipped in meeting.segments[meeting.current + 1 : index]:
                if skipped.state == SegmentState.PENDING:
                    skipped.state = SegmentState.SKIPPED
        activate(meeting, index, self.at)


class Finish(Event, tag="finish"):
    """The meeting ends."""

    def apply(self, meeting: Meeting) -> None:
        leave_current(meeting, self.at, forward=True)
        meeting.running = False
        meeting.status = MeetingStatus.FINISHED
        meeting.finished_at = self.at


class EditMeeting(Event, tag="edit_meeting"):
    """The meeting's title, series or facilitator corrected; a field left out is unchanged."""

    title: str | None | msgspec.UnsetType = msgspec.UNSET
    """The meeting's new title."""
    series: str | None | msgspec.UnsetType = msgspec.UNSET
    """The series it belongs to (a recurring meeting)."""
    facilitator: str | None | msgspec.UnsetType = msgspec.UNSET
    """Who facilitates it."""

    def apply(self, meeting: Meeting) -> None:
        for key in ("title", "series", "facilitator"):
            value = getattr(self, key)
            if isinstance(value, str):
                setattr(meeting, key, value)


class Adjust(SegmentEvent, tag="adjust"):
    """Time added to a segment's timebox (taken, when negative), never below what has run."""

    seconds: float
    """Seconds added; negative takes them away."""

    def apply(self, meeting: Meeting) -> None:
        segment = self.target(meeting)
        if segment is None:
            return
        segment.adjust += self.seconds
        # Never below what has already run: taking a minute ends the segment now at most.
        segment.adjust = max(segment.adjust, -segment.planned)
        if segment.allowed > segment.elapsed:
            segment.signalled = False


class SetPlanned(SegmentEvent, tag="set_planned"):
    """A segment's planned length changed."""

    seconds: float
    """The new planned length, in seconds (never below 0)."""

    def apply(self, meeting: Meeting) -> None:
        segment = self.target(meeting)
        if segment is not None:
            segment.planned = max(self.seconds, 0.0)
            if segment.allowed > segment.elapsed:
                segment.signalled = False


class Skip(SegmentEvent, tag="skip"):
    """A later segment will not be run."""

    def apply(self, meeting: Meeting) -> None:
        segment = self.target(meeting)
        if segment is not None and segment.state == SegmentState.PENDING and segment is not meeting.segment:
            segment.state = SegmentState.SKIPPED


class Unskip(SegmentEvent, tag="unskip"):
    """A skipped segment is back on the agenda."""

    def apply(self, meeting: Meeting) -> None:
        segment = self.target(meeting)
        if segment is not None and segment.state == SegmentState.SKIPPED:
            segment.state = SegmentState.PENDING


class InsertSegment(Event, tag="insert_segment"):
    """A segment the plan did not have, added after the current one."""

    new: Segment = msgspec.field(name="segment")
    """The segment, as the archive stores one (docs/interchange.md)."""
    index: int
    """Where it goes; never before or at the current segment."""

    def apply(self, meeting: Meeting) -> None:
        index = max(meeting.current + 1, min(self.index, len(meeting.segments)))
        meeting.segments.insert(index, self.new)


class Signalled(SegmentEvent, tag="signalled"):
    """A segment's time-up has been signalled (the bell rings once)."""

    def apply(self, meeting: Meeting) -> None:
        segment = self.target(meeting)
        if segment is not None:
            segment.signalled = True


class Data(SegmentEvent, tag="data"):
    """A small marker on a segment (which Lean Coffee timebox has been signalled, say)."""

    key: str
    """The marker's name: "topic_signalled", "carried_loaded"."""
    value: str | bool | int | float | None = None
    """Its value."""

    def apply(self, meeting: Meeting) -> None:
        segment = self.target(meeting)
        if segment is not None:
            segment.data[self.key] = self.value


# -- people --------------------------------------------------------------------------------------


class Arrive(Event, tag="arrive"):
    """Someone arrives, or comes back; during a round they join the end of its order."""

    person_id: str
    """The person's id: someone the archive knows, or new."""
    name: str
    """Their name as recorded."""
    organisation: str = ""
    """Their organisation; empty keeps the one they had (someone back)."""
    new: bool = False
    """First time at any meeting in the archive."""
    invited_by: str = ""
    """Who brought them, as they said it signing in from a phone."""

    def apply(self, meeting: Meeting) -> None:
        existing = meeting.attendee(self.person_id)
        if existing is not None:
            existing.left_at = None
            if self.organisation:
                existing.organisation = self.organisation
            if self.invited_by and not existing.invited_by:
                existing.invited_by = self.invited_by
        else:
            meeting.attendees.append(
                Attendee(
                    person_id=self.person_id,
                    name=self.name,
                    organisation=self.organisation,
                    new=self.new,
                    invited_by=self.invited_by,
                    arrived_at=self.at,
                    segment_id=meeting.segment.id if meeting.segment and meeting.status == MeetingStatus.RUNNING else None,
                )
            )
        if meeting.status == MeetingStatus.RUNNING and meeting.segment is not None:
            for kind in kinds.for_segment(meeting.segment):
                kind.arrived(meeting, self.person_id)


class Left(Event, tag="left"):
    """Someone leaves: out of the rest of the current round."""

    person_id: str
    """Who left."""

    def apply(self, meeting: Meeting) -> None:
        attendee = meeting.attendee(self.person_id)
        if attendee is not None and attendee.left_at is None:
            attendee.left_at = self.at
        if meeting.status == MeetingStatus.RUNNING and meeting.segment is not None:
            for kind in kinds.for_segment(meeting.segment):
                kind.departed(meeting, self.person_id)


class EditPerson(Event, tag="edit_person"):
    """Someone's name or organisation corrected; their actions follow the new name."""

    person_id: str
    """Whose record at this meeting."""
    name: str | None = None
    """The corrected name; none or empty leaves it."""
    organisation: str | None = None
    """The corrected organisation; none leaves it."""

    def apply(self, meeting: Meeting) -> None:
        attendee = meeting.attendee(self.person_id)
        if attendee is None:
            return
        if self.name:
            old = attendee.name
            attendee.name = self.name
            for item in meeting.items:
                if item.owner_id == attendee.person_id and item.owner == old:
                    item.owner = attendee.name
        if self.organisation is not None:
            attendee.organisation = self.organisation


class RemovePerson(Event, tag="remove_person"):
    """A registration made by mistake undone (not someone leaving)."""

    person_id: str
    """Who was registered by mistake."""

    def apply(self, meeting: Meeting) -> None:
        meeting.attendees = [a for a in meeting.attendees if a.person_id != self.person_id]
        for kind in kinds.all_kinds():
            kind.removed(meeting, self.person_id)


# -- captures --------------------------------------------------------------------------------------


class AddItem(Event, tag="add_item"):
    """A note, decision or action captured."""

    item: Item
    """As the archive stores one (docs/interchange.md)."""

    def apply(self, meeting: Meeting) -> None:
        if meeting.item(self.item.id) is None:
            meeting.items.append(self.item)


class ItemChanges(msgspec.Struct, omit_defaults=True):
    """What an edit changes in a captured item; a field left out is unchanged."""

    text: str | msgspec.UnsetType = msgspec.UNSET
    """What the note, decision or action says."""
    owner: str | msgspec.UnsetType = msgspec.UNSET
    """An action's owner, as a name."""
    owner_id: str | None | msgspec.UnsetType = msgspec.UNSET
    """The owner's person id, when known."""
    due: str | None | msgspec.UnsetType = msgspec.UNSET
    """An action's due date (ISO date)."""
    due_text: str | msgspec.UnsetType = msgspec.UNSET
    """The due date as typed ("fri")."""
    status: str | msgspec.UnsetType = msgspec.UNSET
    """"open", "done" or "dropped"."""
    closed_at: str | None | msgspec.UnsetType = msgspec.UNSET
    """When an action was closed."""
    kind: str | msgspec.UnsetType = msgspec.UNSET
    """"note", "decision" or "action"."""
    context: dict[str, str] | msgspec.UnsetType = msgspec.UNSET
    """Where in its segment it belongs (a session, a topic, a phase)."""


class ProposalChanges(msgspec.Struct, omit_defaults=True):
    """What an edit changes in an open space session or a Lean Coffee topic; a field left
    out is unchanged."""

    title: str | msgspec.UnsetType = msgspec.UNSET
    """The session's or topic's title."""
    by: str | msgspec.UnsetType = msgspec.UNSET
    """Its convener or proposer, as a name."""
    by_id: str | None | msgspec.UnsetType = msgspec.UNSET
    """Their person id, when known."""
    description: str | msgspec.UnsetType = msgspec.UNSET
    """A line about it (open space)."""


def set_changes(target: Any, changes: msgspec.Struct) -> None:
    """Copy the fields an edit sets onto the record it edits."""
    for name in changes.__struct_fields__:
        value = getattr(changes, name)
        if value is not msgspec.UNSET:
            setattr(target, name, value)


class EditItem(Event, tag="edit_item"):
    """A captured item edited."""

    id: str
    """The item's id."""
    changes: ItemChanges
    """The fields that change."""

    def apply(self, meeting: Meeting) -> None:
        item = meeting.item(self.id)
        if item is not None:
            set_changes(item, self.changes)


class DeleteItem(Event, tag="delete_item"):
    """A captured item deleted."""

    id: str
    """The item's id."""

    def apply(self, meeting: Meeting) -> None:
        meeting.items = [item for item in meeting.items if item.id != self.id]


# -- phones -----------------------------------------------------------------------------------------


class FromPhone(Event, kw_only=True):
    """What every submission from a phone carries besides its own fields: the device and the
    key the phone made for it, so that a retry is answered from the journal, never counted twice."""

    device: str | None = None
    """The device's id (`Device.id`); none when the facilitator typed it."""
    key: str | None = None
    """The submission's idempotency key, made on the phone."""

    def remember(self, meeting: Meeting, result: str) -> None:
        meeting.phones.remember(self.device, self.key, result)


class PhonesSet(Event, tag="phones_set"):
    """The facilitator's choice for this meeting: whether sign-ins wait for a nod."""

    nod: bool
    """True: a sign-in waits in "who is here" until the facilitator admits it."""

    def apply(self, meeting: Meeting) -> None:
        meeting.phones.nod = self.nod


class PhonesRotated(Event, tag="phones_rotated"):
    """The join code changed: every phone signed in so far must join again."""

    def apply(self, meeting: Meeting) -> None:
        meeting.phones.generation += 1


class SignedIn(FromPhone, tag="phone_sign_in"):
    """Someone signed in from a phone. `state` says what the facilitator's app made of it: here
    at once (the person is recorded as arriving, as `arrive` does), or waiting for a nod."""

    id: str
    """The device's id."""
    secret: str
    """A hash of its session cookie's secret."""
    name: str
    """Their name, as typed on the phone."""
    organisation: str = ""
    """Their organisation, as typed."""
    invited_by: str = ""
    """Who invited them, as typed ("who invited you?")."""
    state: str = "waiting"
    """"here" (arrived) or "waiting" (for the facilitator's nod or choice)."""
    person_id: str | None = None
    """Who they are taken to be, when here."""
    new: bool = False
    """When here: first time at any meeting in the archive."""
    offered: str | None = None
    """A known person whose name is alike, offered to the facilitator to confirm."""
    candidates: list[str] = []
    """Several people whose names are equally alike, by person id, for the facilitator to choose among."""
    generation: int = 0
    """The join code's generation."""

    def apply(self, meeting: Meeting) -> None:
        from facilitate.models import Device

        if meeting.phones.device(self.id) is not None:
            return
        meeting.phones.devices.append(
            Device(
                id=self.id, secret=self.secret, name=self.name, organisation=self.organisation,
                invited_by=self.invited_by, state=self.state, person_id=self.person_id, offered=self.offered,
                candidates=list(self.candidates), generation=self.generation, at=self.at,
            )
        )  # fmt: skip
        if self.state == "here" and self.person_id:
            _arrive(meeting, self, self.person_id, self.name, self.organisation, self.new, self.invited_by)
        self.remember(meeting, self.id)


class Admitted(Event, tag="phone_admit"):
    """The facilitator admits a waiting sign-in: as someone known, or as someone new."""

    id: str
    """The device's id."""
    person_id: str
    """Who they are."""
    name: str
    """The name they are recorded under."""
    organisation: str = ""
    """Their organisation."""
    new: bool = False
    """First time at any meeting in the archive."""

    def apply(self, meeting: Meeting) -> None:
        device = meeting.phones.device(self.id)
        if device is None:
            return
        device.state, device.person_id = "here", self.person_id
        _arrive(meeting, self, self.person_id, self.name, self.organisation, self.new, device.invited_by)


class Declined(Event, tag="phone_decline"):
    """The facilitator turns a sign-in away (a mistake, a duplicate, someone not here)."""

    id: str
    """The device's id."""

    def apply(self, meeting: Meeting) -> None:
        device = meeting.phones.device(self.id)
        if device is not None and device.state != "here":
            device.state = "declined"


def _arrive(meeting: Meeting, event: Event, person_id: str, name: str, organisation: str, new: bool,
            invited_by: str) -> None:  # fmt: skip
    Arrive(
        person_id=person_id, name=name, organisation=organisation, new=new, invited_by=invited_by, at=event.at
    ).apply(meeting)


MEETING_EVENTS: tuple[type[Event], ...] = (
    Start, Pause, Resume, Gap, Goto, Finish, EditMeeting, Adjust, SetPlanned, Skip, Unskip,
    InsertSegment, Signalled, Data, Arrive, Left, EditPerson, RemovePerson, AddItem, EditItem, DeleteItem,
    PhonesSet, PhonesRotated, SignedIn, Admitted, Declined,
)  # fmt: skip


# -- reading, writing and applying -------------------------------------------------------------------


def event_types() -> tuple[type[Event], ...]:
    """Every event the journal knows: the meeting's, then each kind's."""
    found = list(MEETING_EVENTS)
    for kind in kinds.all_kinds():
        found.extend(kind.events)
    return tuple(found)


@cache
def _union() -> Any:
    return Union[event_types()]  # noqa: UP007 - a union built at run time


def decode(record: Any) -> Event:
    """The event a live file's record holds. Raises `EventError` naming what is wrong."""
    if not isinstance(record, dict):
        raise EventError("not an object")
    try:
        event: Event = convert(record, _union())
    except msgspec.ValidationError as error:
        op = record.get("op")
        raise EventError(f"{op!r} event: {error}" if isinstance(op, str) else str(error)) from None
    if not math.isfinite(event.tick) or (event.wall is not None and not math.isfinite(event.wall)):
        raise EventError(f"{event.__struct_config__.tag!r} event: its time is not a finite number")
    return event


def upgrade(record: dict[str, Any], version: int) -> dict[str, Any]:
    """A record as a file of journal `version` wrote it, in this version's shape.

    Version 1 wrote the same records as version 2; a later version that renames
    or reshapes a field adds its step here, so that a meeting in progress when
    facilitate was updated still replays."""
    return record


def op_of(event: Event) -> str:
    return str(event.__struct_config__.tag)


def to_record(event: Event) -> dict[str, Any]:
    """An event as one JSON object: `seq` and `op` first, the envelope's times last, and the
    records it carries (an item, a segment) as the archive writes them."""
    record: dict[str, Any] = {}
    if event.seq is not None:
        record["seq"] = event.seq
    record["op"] = op_of(event)
    for field in _fields(type(event)):
        if field.name in _ENVELOPE:
            continue
        value = getattr(event, field.name)
        if value is msgspec.UNSET or (field.name in _WHEN_SET and not value):
            continue
        record[field.encode_name] = _plain(value)
    record["tick"] = event.tick
    record["at"] = event.at
    record["wall"] = event.wall
    return record


@cache
def _fields(event_type: type[Event]) -> tuple[msgspec.structs.FieldInfo, ...]:
    return msgspec.structs.fields(event_type)


_ENVELOPE = frozenset(("seq", "tick", "at", "wall"))
_WHEN_SET = frozenset(("device", "key", "invited_by", "candidates"))
"""Fields phones brought, written only when set: an event typed at the keyboard is written as before."""


def _plain(value: Any) -> Any:
    if isinstance(value, msgspec.Struct):
        return msgspec.to_builtins(value)
    plain = to_dict(value)
    if isinstance(plain, dict) and plain.get("dots") == []:
        del plain["dots"]  # a proposal: dots are placed from phones, later
    if isinstance(plain, dict) and plain.get("named") == []:
        del plain["named"]  # and others named as taking part, from phones too
    if isinstance(plain, dict) and plain.get("hidden") is False:
        del plain["hidden"]  # set only by hiding, later
    if isinstance(plain, dict) and plain.get("hidden_from") == "":
        del plain["hidden_from"]  # and where it was, with it
    return plain


def apply_tick(meeting: Meeting, seconds: float) -> None:
    """Credit running time to whatever has the clock."""
    if not meeting.running or seconds <= 0:
        return
    segment = meeting.segment
    if segment is None:
        return
    segment.elapsed += seconds
    for kind in kinds.for_segment(segment):
        kind.credit(segment, seconds)


def apply(meeting: Meeting, event: Event) -> None:
    """Credit the event's tick, then apply it. Raises `EventError` when it cannot apply."""
    apply_tick(meeting, event.tick)
    try:
        event.apply(meeting)
    except (KeyError, TypeError, ValueError, IndexError, SchemaError) as error:
        raise EventError(f"{op_of(event)!r} event could not apply: {error}") from None


def documented() -> list[tuple[str, list[type[Event]]]]:
    """The events, grouped as docs/journal.md lists them: the meeting's, then each kind's."""
    groups: list[tuple[str, list[type[Event]]]] = [("The meeting", list(MEETING_EVENTS))]
    for kind in kinds.all_kinds():
        if kind.events:
            groups.append((f"Kind `{kind.name}`", list(kind.events)))
    return groups


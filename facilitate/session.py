"""A meeting in progress: the clock, the record and the live file together.

The run screen talks only to a `MeetingSession`. Every operation becomes an
event (see `facilitate.events`): it is applied to the meeting in memory and
appended, fsynced, to the live file before the call returns. When the disk
refuses, the call raises `StorageError` after keeping the event in memory;
the next successful write saves it.

The session is the meeting's flow, its time, its people and its captures.
What each format kind adds is composed in from the kinds' registry
(`facilitate.kinds`): `session.round`, `session.phases`, `session.open_space`,
`session.lean_coffee`, `session.matters`, each the kind's operations object.

All time is read from the injected clock. What the screen shows (time left,
a speaker's time) is computed from the last event's settled totals plus the
monotonic time since, never from counted timer ticks.
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from facilitate import events, kinds
from facilitate.clock import Clock
from facilitate.dates import DueDate
from facilitate.events import (
    AddItem,
    Adjust,
    Arrive,
    DeleteItem,
    EditItem,
    EditPerson,
    Event,
    EventError,
    Finish,
    Gap,
    Goto,
    InsertSegment,
    ItemChanges,
    Left,
    Pause,
    RemovePerson,
    Resume,
    Signalled,
    Start,
)
from facilitate.live import LiveFile, LiveFileError, Replay
from facilitate.models import (
    ACTION,
    DECISION,
    NOTE,
    Attendee,
    Item,
    Meeting,
    MeetingStatus,
    Segment,
    SegmentState,
    UnreadEvent,
    new_id,
)
from facilitate.people import SAME_NAME, Known, PeopleDirectory, fold, recognise, words_start
from facilitate.quickentry import (
    ActionEntry,
    DecisionEntry,
    EntryError,
    LeftEntry,
    NoteEntry,
    PersonEntry,
    ProposalEntry,
    parse_entry,
)
from facilitate.serial import SchemaError
from facilitate.storage.errors import StorageError
from facilitate.text import clean_block, clean_line, first_word, name_key

if TYPE_CHECKING:
    from facilitate.kinds import SeriesArchive
    from facilitate.kinds.lean_coffee import LeanCoffeeOperations
    from facilitate.kinds.matters import MattersOperations
    from facilitate.kinds.open_space import OpenSpaceOperations
    from facilitate.kinds.phases import PhaseOperations
    from facilitate.kinds.round import RoundOperations

__all__ = ["Arrival", "Captured", "HeldLine", "MeetingSession", "Recovery", "StorageError", "EntryError"]


@dataclass
class Captured:
    """What a capture did, for the screen to acknowledge."""

    kind: str
    """"person", "left", "back", "note", "decision", "action" or "proposal"."""
    message: str
    item: Item | None = None
    attendee: Attendee | None = None


@dataclass(frozen=True)
class HeldLine:
    """A quick-entry line that could not be captured, held until the facilitator fixes it."""

    line: str
    reason: str


@dataclass
class Recovery:
    """How a meeting came back after the process stopped."""

    gap: float
    """Seconds between the last saved event and now."""
    was_running: bool
    unread: list[UnreadEvent] = field(default_factory=list)
    """Events of the live file this replay could not read or apply: kept with the meeting
    (`Meeting.unread`), in the live file and then the archive, and said on resuming."""
    torn_tail: bool = False
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Arrival:
    """What an arrival (`+name`) would do: see `MeetingSession.plan_arrival`."""

    kind: str
    """"here" (already at this meeting), "back" (here earlier, left), "known" (the archive
    knows them), "ambiguous" (several people are equally near), "new", or "none" (no name)."""
    name: str
    """The name they are recorded under: a known person's own, else as typed."""
    organisation: str
    attendee: Attendee | None = None
    known: Known | None = None
    how: int = SAME_NAME
    """How alike the name typed and theirs are (`facilitate.people`); not `SAME_NAME`: to confirm."""
    candidates: tuple[Known, ...] = ()

    @property
    def near(self) -> bool:
        """Taken for someone whose name is alike, not the same: the hint asks to confirm."""
        return self.kind in ("here", "back", "known") and self.how != SAME_NAME

    def describe_candidates(self, limit: int = 4) -> str:
        shown = [p.name + (f" ({p.organisation})" if p.organisation else "") for p in self.candidates[:limit]]
        more = len(self.candidates) - limit
        return "; ".join(shown) + (f" and {more} more" if more > 0 else "")


class MeetingSession:
    """A meeting in progress: flow, time, people and captures; each kind's operations composed in."""

    # The kinds' operations, composed in by `__init__` from the registry (declared for type checkers).
    round: RoundOperations
    phases: PhaseOperations
    open_space: OpenSpaceOperations
    lean_coffee: LeanCoffeeOperations
    matters: MattersOperations

    def __init__(
        self,
        meeting: Meeting,
        clock: Clock,
        live: LiveFile | None = None,
        directory: PeopleDirectory | None = None,
        rng: random.Random | None = None,
        *,
        series_archive: SeriesArchive | None = None,
    ) -> None:
        self.meeting = meeting
        self.clock = clock
        self.live = live
        self.directory = directory or PeopleDirectory()
        self.rng = rng or random.Random()
        self.series_archive = series_archive
        """Where the kinds look up the series (its open actions, its carried topics), if anywhere."""
        self._anchor = clock.monotonic()
        self.held: list[HeldLine] = []
        """Lines refused by `capture`, newest last: out of the entry line, so that what is typed
        next starts a capture of its own, and shown until taken back to fix (see `hold`)."""
        self.listeners: list[Callable[[Event], None]] = []
        """Called after each event is recorded (the phones' server, to push the change)."""
        self.operations: dict[type[kinds.Operations], kinds.Operations] = {}
        """Each kind's operations, by type; also `session.<attribute>`."""
        for operation_type in kinds.operation_types():
            operations = operation_type(self)
            self.operations[operation_type] = operations
            setattr(self, operation_type.attribute, operations)

    # -- starting and recovering -------------------------------------------------

    @classmethod
    def begin(
        cls,
        meeting: Meeting,
        clock: Clock,
        live_path: Path | None,
        directory: PeopleDirectory | None = None,
        rng: random.Random | None = None,
        *,
        series_archive: SeriesArchive | None = None,
    ) -> MeetingSession:
        """Start a planned meeting: write its live file, then start the clock.

        `series_archive` is where the kinds look the series up (the open actions
        for matters arising, Lean Coffee topics carried over)."""
        live = LiveFile.create(live_path, meeting.to_dict(), clock.wall()) if live_path is not None else None
        session = cls(meeting, clock, live, directory, rng, series_archive=series_archive)
        session.record(Start())
        session._on_activate()
        return session

    @classmethod
    def recover(
        cls,
        live_path: Path,
        clock: Clock,
        directory: PeopleDirectory | None = None,
        rng: random.Random | None = None,
        *,
        series_archive: SeriesArchive | None = None,
    ) -> tuple[MeetingSession, Recovery]:
        """Rebuild the meeting in progress from its live file. Raises `LiveFileError`.

        Events that cannot be read or applied are kept with the meeting
        (`Meeting.unread`), so the fresh snapshot written here, and the archive
        later, still hold them; `Recovery.unread` lists them for the screen to say."""
        replay = LiveFile.read(live_path)
        meeting, last_wall, seq, unread = replay_meeting(replay)
        session = cls(meeting, clock, None, directory, rng, series_archive=series_archive)
        gap = max(clock.wall() - last_wall, 0.0) if last_wall else 0.0
        recovery = Recovery(gap=gap, was_running=meeting.running, unread=unread, torn_tail=replay.torn_tail)
        # A running timer counts on through the gap; a paused one stays paused.
        event = Gap(seconds=gap, tick=gap if meeting.running else 0.0, at=session.now_text(), wall=clock.wall())
        events.apply(meeting, event)
        session._anchor = clock.monotonic()
        try:
            session.live = LiveFile.resume(live_path, meeting.to_dict(), seq, clock.wall())
        except StorageError as error:
            # The disk refuses a fresh snapshot; keep appending to the file as it is.
            session.live = LiveFile.reopen(live_path, replay, seq)
            recovery.warnings.append(str(error))
            try:
                session.live.append(event)
            except StorageError:
                pass  # kept pending; the screen shows it unsaved and retries
        if meeting.status == MeetingStatus.PLANNED:
            # Stopped between writing the live file and starting the clock.
            try:
                session.record(Start())
                session._on_activate()
            except StorageError:
                pass  # kept pending, as above
        return session, recovery

    # -- recording -----------------------------------------------------------------

    def now_text(self) -> str:
        """Now, as the record writes moments (ISO 8601 to the second)."""
        return self.clock.now().isoformat(timespec="seconds")

    def pending_time(self) -> float:
        """Running time since the last event, not yet credited."""
        if not self.meeting.running:
            return 0.0
        return max(self.clock.monotonic() - self._anchor, 0.0)

    def record(self, event: Event) -> Event:
        """Apply an event and make it durable. Raises `StorageError` (the event is kept)."""
        now = self.clock.monotonic()
        event.tick = max(now - self._anchor, 0.0) if self.meeting.running else 0.0
        self._anchor = now
        event.at = self.now_text()
        event.wall = self.clock.wall()
        events.apply(self.meeting, event)
        try:
            if self.live is not None:
                if self.deferring:
                    self.live.add(event)
                else:
                    self.live.append(event)
        finally:
            for listener in self.listeners:
                listener(event)
        return event

    deferring = False
    """Inside `deferred()`: events are kept pending for the caller to flush (not yet durable)."""

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Record events without waiting for the disk: the caller flushes them (`live.flush`, in a
        worker thread) and acknowledges nothing before that. The phones' server does this, so a
        burst of submissions costs one fsync and the facilitator's keys never wait for it."""
        self.deferring = True
        try:
            yield
        finally:
            self.deferring = False

    @property
    def unsaved(self) -> int:
        """Events the disk has refused, still waiting for it. (Phones' events pending for the
        flush already under way are not counted: they are not acknowledged, and if that flush
        fails it says so here.)"""
        if self.live is None or (self.live.problem is None and not self.live.removed):
            return 0
        return len(self.live.pending)

    def retry_save(self) -> bool:
        """Try again to write what the disk refused. True when everything is saved."""
        if self.live is None or not self.live.pending:
            return True
        try:
            self.live.flush()
        except StorageError:
            return False
        return True

    # -- time ------------------------------------------------------------------------

    @property
    def segment(self) -> Segment | None:
        return self.meeting.segment

    def elapsed(self, segment: Segment | None = None) -> float:
        current = self.meeting.segment
        segment = segment or current
        if segment is None:
            return 0.0
        extra = self.pending_time() if segment is current else 0.0
        return segment.elapsed + extra

    def remaining(self) -> float:
        """Time left in the current segment; negative once it overruns."""
        segment = self.meeting.segment
        if segment is None:
            return 0.0
        return segment.allowed - self.elapsed(segment)

    def countdown(self) -> float:
        """What the big countdown shows: a kind's own timebox (a Lean Coffee topic's, a phase's),
        else the segment's time left."""
        segment = self.meeting.segment
        if segment is not None:
            for kind in kinds.for_segment(segment):
                left = kind.countdown(self)
                if left is not None:
                    return left
        return self.remaining()

    def meeting_elapsed(self) -> float:
        return self.meeting.actual_total + self.pending_time()

    def planned_end(self) -> datetime | None:
        """When the plan says the meeting ends."""
        start = self.meeting.planned_start or self.meeting.started_at
        if not start:
            return None
        return datetime.fromisoformat(start) + timedelta(seconds=self.meeting.planned_total)

    def projected_end(self) -> datetime:
        """When the meeting ends if the rest goes to plan from now."""
        left = max(self.remaining(), 0.0)
        for segment in self.meeting.segments[self.meeting.current + 1 :]:
            if segment.state == SegmentState.PENDING:
                left += segment.allowed
        return self.clock.now() + timedelta(seconds=left)

    def drift(self) -> float:
        """Seconds the projected end lies beyond the planned end (negative: ahead)."""
        planned = self.planned_end()
        if planned is None:
            return 0.0
        return (self.projected_end() - planned).total_seconds()

    def end_outlook(self) -> tuple[str, int]:
        """When the meeting looks like ending, in words, and by how many minutes it is late
        (negative: early), counted between the two times of day as shown, so that
        "ends about 04:57" never sits beside "1 min late" against a planned 04:55."""
        projected = self.projected_end().replace(second=0, microsecond=0)
        planned = self.planned_end()
        if planned is None:
            return f"Ends about {projected:%H:%M}", 0
        planned = planned.replace(second=0, microsecond=0)
        late = round((projected - planned).total_seconds() / 60)
        if late == 0:
            return f"Ends about {projected:%H:%M}", 0
        how = f"{abs(late)} min {'late' if late > 0 else 'early'}"
        return f"Ends about {projected:%H:%M}\n{how} (plan {planned:%H:%M})", late

    def check_time_up(self) -> str | None:
        """A message, once, the moment a timebox runs out: a kind's (a Lean Coffee topic, a
        phase), else the segment's."""
        segment = self.meeting.segment
        if segment is None or not self.meeting.running:
            return None
        for kind in kinds.for_segment(segment):
            verdict = kind.time_up(self)
            if verdict is not None:
                return verdict or None
        if not segment.signalled and self.remaining() <= 0:
            self.record(Signalled(segment=segment.id))
            return time_up_message(segment)
        return None

    # -- the meeting's flow ----------------------------------------------------------

    def pause(self) -> None:
        if self.meeting.running:
            self.record(Pause())

    def resume(self) -> None:
        if not self.meeting.running and self.meeting.status == MeetingStatus.RUNNING:
            self.record(Resume())

    def toggle_pause(self) -> bool:
        """Pause or resume; True if now running."""
        if self.meeting.running:
            self.pause()
        else:
            self.resume()
        return self.meeting.running

    def add_time(self, seconds: float) -> None:
        segment = self.meeting.segment
        if segment is not None:
            self.record(Adjust(segment=segment.id, seconds=seconds))

    def next_segment(self) -> bool:
        """Move to the next segment not skipped. False at the end of the agenda."""
        for index in range(self.meeting.current + 1, len(self.meeting.segments)):
            if self.meeting.segments[index].state != SegmentState.SKIPPED:
                self.record(Goto(index=index))
                self._on_activate()
                return True
        return False

    def previous_segment(self) -> bool:
        for index in range(self.meeting.current - 1, -1, -1):
            if self.meeting.segments[index].state != SegmentState.SKIPPED:
                self.record(Goto(index=index))
                return True
        return False

    def insert_segment(self, segment: Segment) -> None:
        """Add a segment to the agenda straight after the current one (the room wants a round now)."""
        self.record(InsertSegment(new=segment, index=self.meeting.current + 1))

    def _on_activate(self) -> None:
        """What a segment needs when it starts, from its kinds: a shuffled order, the open
        actions to review, the topics carried over."""
        segment = self.meeting.segment
        if segment is not None:
            for kind in kinds.for_segment(segment):
                kind.started(self)

    @property
    def is_last_segment(self) -> bool:
        return all(s.state == SegmentState.SKIPPED for s in self.meeting.segments[self.meeting.current + 1 :])

    def finish(self) -> None:
        if self.meeting.status != MeetingStatus.FINISHED:
            self.record(Finish())

    # -- people ------------------------------------------------------------------------

    def find_present(self, name: str, *, include_left: bool = False) -> Attendee | None:
        """The person present that `name` means: full name, first name, a unique prefix, or
        the start of each of their words ("zoe" for Zoë Ångström, "t reed").

        Raises `EntryError` when several people match.
        """
        key = name_key(name)
        if not key:
            return None
        pool = [a for a in self.meeting.attendees if include_left or a.present]
        tests: tuple[Callable[[Attendee], bool], ...] = (
            lambda a: name_key(a.name) == key,
            lambda a: name_key(first_word(a.name)) == key,
            lambda a: name_key(a.name).startswith(key),
            lambda a: words_start(name, a.name),
        )
        for test in tests:
            matches = [a for a in pool if test(a)]
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                names = ", ".join(a.name for a in matches[:4])
                raise EntryError(f"{len(matches)} people match {name!r}: {names}. Type more of the name.")
        return None

    def find_present_quiet(self, name: str) -> Attendee | None:
        """Like `find_present`, but None instead of an error when several match."""
        try:
            return self.find_present(name)
        except EntryError:
            return None

    def plan_arrival(self, name: str, organisation: str = "", *, new: bool = False) -> Arrival:
        """What `+name, organisation` would do, without doing it: the capture line's hint says
        this, and `arrive` does exactly this.

        Someone at this meeting already (here, or back after leaving), someone the
        archive knows (by the same name, or a near one to confirm: titles, initials,
        accents, word order; see `facilitate.people`), several equally near (the
        organisation, or more of the name, chooses), or someone new. `new` (typed
        as `++name`) is someone new whatever their name is like.
        """
        name, organisation = clean_line(name), clean_line(organisation)
        if not name:
            return Arrival("none", "", organisation)
        if not new:
            attendees = [Known(a.person_id, a.name, a.organisation) for a in self.meeting.attendees]
            here = recognise(name, organisation, attendees)
            exclude = {a.person_id for a in self.meeting.attendees}
            known = self.directory.recognise(name, organisation, exclude)
            # Whoever's name is most alike: someone at this meeting, else someone known.
            if (here.person is not None or here.ambiguous) and here.how >= known.how:
                if here.ambiguous:
                    return Arrival("ambiguous", name, organisation, candidates=here.candidates, how=here.how)
                assert here.person is not None
                attendee = self.meeting.attendee(here.person.id)
                assert attendee is not None
                kind = "here" if attendee.present else "back"
                return Arrival(kind, attendee.name, organisation or attendee.organisation, attendee=attendee, how=here.how)
            if known.person is not None:
                return Arrival(
                    "known", known.person.name, organisation or known.person.organisation, known=known.person,
                    how=known.how,
                )  # fmt: skip
            if known.ambiguous:
                return Arrival("ambiguous", name, organisation, candidates=known.candidates, how=known.how)
        return Arrival("new", name, organisation)

    def arrive(self, name: str, organisation: str = "", *, new: bool = False) -> Captured:
        """Someone arrives; see `plan_arrival` for who they are taken to be. Raises `EntryError`."""
        typed = clean_line(name)
        plan = self.plan_arrival(name, organisation, new=new)
        if plan.kind == "none":
            raise EntryError("A name is needed")
        if plan.kind == "ambiguous":
            raise EntryError(
                f"{len(plan.candidates)} people could be {typed!r}: {plan.describe_candidates()}. "
                f"Add the organisation after a comma to say which, or ++{typed} for someone new."
            )
        if plan.kind == "here":
            if plan.how == SAME_NAME:
                raise EntryError(f"{plan.name} is already here")
            raise EntryError(f"{plan.name} is already here (for {typed!r}). Someone else? ++{typed} adds them.")
        if plan.kind == "back":
            attendee = plan.attendee
            assert attendee is not None
            self.record(Arrive(person_id=attendee.person_id, name=attendee.name, organisation=clean_line(organisation)))
            return Captured("back", f"{attendee.name} is back", attendee=attendee)
        if plan.kind == "known":
            assert plan.known is not None
            person_id, new_person = plan.known.id, False
        else:
            person_id, new_person = new_id(), True
        self.record(Arrive(person_id=person_id, name=plan.name, organisation=plan.organisation, new=new_person))
        attendee = self.meeting.attendee(person_id)
        assert attendee is not None
        where = f", {plan.organisation}" if plan.organisation else ""
        message = f"{plan.name}{where} arrived"
        if new_person:
            message += " (new)"
        elif plan.how != SAME_NAME:
            message += f" (returning; typed as {typed!r})"
        return Captured("person", message, attendee=attendee)

    def leave(self, name_or_id: str) -> Captured:
        attendee = self.meeting.attendee(name_or_id) or self.find_present(name_or_id)
        if attendee is None or not attendee.present:
            raise EntryError(f"Nobody here matches {name_or_id!r}")
        self.record(Left(person_id=attendee.person_id))
        return Captured("left", f"{attendee.name} left", attendee=attendee)

    def edit_person(self, person_id: str, name: str, organisation: str) -> None:
        name, organisation = clean_line(name), clean_line(organisation)
        if not name:
            raise EntryError("A name is needed")
        self.record(EditPerson(person_id=person_id, name=name, organisation=organisation))

    def remove_person(self, person_id: str) -> None:
        self.record(RemovePerson(person_id=person_id))

    def suggest_people(self, prefix: str, limit: int = 6) -> list[Known]:
        """Known people not yet here whose name matches what was typed (any word of it), for `+`."""
        here = {a.person_id for a in self.meeting.present}
        return self.directory.suggest(prefix, limit, exclude=here)

    def suggest_present(self, prefix: str, limit: int = 6) -> list[Attendee]:
        """People here whose name matches what was typed (any word of it), for `-` and `!`."""
        if not name_key(prefix):
            return []
        starts = [a for a in self.meeting.present if fold(a.name).startswith(fold(prefix).strip())]
        words = [a for a in self.meeting.present if a not in starts and words_start(prefix, a.name)]
        return (starts + words)[:limit]

    # -- items -------------------------------------------------------------------------

    def _context(self) -> dict[str, str]:
        segment = self.meeting.segment
        if segment is None:
            return {}
        return kinds.get(segment.kind).context(self)

    def add_item(self, kind: str, text: str, **fields: Any) -> Item:
        text = clean_block(text)
        if not text:
            raise EntryError(f"The {kind} is empty")
        segment = self.meeting.segment
        speaker = self.round.speaker()
        item = Item(
            id=new_id(),
            kind=kind,
            text=text,
            created_at=self.now_text(),
            segment_id=segment.id if segment else None,
            speaker_id=speaker.person_id if speaker else None,
            context=fields.pop("context", None) or self._context(),
            **fields,
        )
        self.record(AddItem(item=item))
        stored = self.meeting.item(item.id)
        assert stored is not None
        return stored

    def resolve_owner(self, owner: str) -> tuple[str, str | None]:
        """An owner's name as typed, matched to someone present or known where possible."""
        owner = clean_line(owner)
        if not owner:
            return "", None
        attendee = self.find_present(owner, include_left=True)
        if attendee is not None:
            return attendee.name, attendee.person_id
        known = self.directory.exact(owner)
        if known is not None:
            return known.name, known.id
        # Someone known but not here, by first name or the start of their name, if only one matches.
        key = name_key(owner)
        candidates = [
            p for p in self.directory.suggest(owner, limit=3)
            if name_key(first_word(p.name)) == key or name_key(p.name).startswith(key)
        ]
        if len(candidates) == 1:
            return candidates[0].name, candidates[0].id
        return owner, None

    def resolve_owner_quiet(self, owner: str) -> tuple[str, str | None]:
        try:
            return self.resolve_owner(owner)
        except EntryError:
            return clean_line(owner), None

    def add_action(self, text: str, owner: str = "", due: DueDate | None = None, due_unread: str = "") -> Item:
        """An action; `due_unread` keeps due words that are not a date, flagging the action."""
        name, owner_id = self.resolve_owner(owner)
        return self.add_item(
            ACTION,
            text,
            owner=name,
            owner_id=owner_id,
            due=due.date.isoformat() if due else None,
            due_text=due.text if due else clean_line(due_unread),
        )

    def edit_item(self, item_id: str, **changes: Any) -> None:
        if "text" in changes:
            changes["text"] = clean_block(changes["text"])
            if not changes["text"]:
                raise EntryError("The text is empty")
        self.record(EditItem(id=item_id, changes=ItemChanges(**changes)))

    def delete_item(self, item_id: str) -> None:
        self.record(DeleteItem(id=item_id))

    def capture(self, line: str, today: date | None = None) -> Captured:
        """Capture one quick-entry line. Raises `EntryError` (nothing recorded) or `StorageError`."""
        entry = parse_entry(line, today or self.clock.today())
        if isinstance(entry, PersonEntry):
            return self.arrive(entry.name, entry.organisation, new=entry.new)
        if isinstance(entry, LeftEntry):
            return self.leave(entry.name)
        if isinstance(entry, ActionEntry):
            item = self.add_action(entry.text, entry.owner, entry.due, entry.due_unread)
            who = item.owner or "no owner"
            when = f", due {entry.due.describe(self.clock.today())}" if entry.due else ""
            if item.due_not_understood:
                when = f", date not understood: “{item.due_text}” (ctrl+l fixes it)"
            return Captured("action", f"Action for {who}{when}", item=item)
        if isinstance(entry, DecisionEntry):
            return Captured("decision", "Decision noted", item=self.add_item(DECISION, entry.text))
        if isinstance(entry, ProposalEntry):
            segment = self.meeting.segment
            said = kinds.get(segment.kind).propose(self, entry) if segment else None
            if said is None:
                raise EntryError("Proposals (*) belong in an open space or a Lean Coffee segment")
            return Captured("proposal", said)
        assert isinstance(entry, NoteEntry)
        return Captured("note", "Note added", item=self.add_item(NOTE, entry.text))

    def hold(self, line: str, reason: str) -> HeldLine:
        """Keep a line that could not be captured, with the reason, for the facilitator to fix."""
        held = HeldLine(line, reason)
        self.held.append(held)
        return held

    def take_back(self) -> HeldLine | None:
        """The newest line held, taken out of the held lines (to be fixed and captured again)."""
        return self.held.pop() if self.held else None


def time_up_message(segment: Segment) -> str:
    return f"Time is up for {segment.name}.  ctrl+t adds a minute · ctrl+n moves on"


def replay_meeting(replay: Replay) -> tuple[Meeting, float, int, list[UnreadEvent]]:
    """The meeting a live file describes, the wall time of its last event, its last seq,
    and the events (or lines) that could not be read or applied, in file order.

    Nothing is skipped in silence: what cannot be replayed is returned, and
    added to the meeting's `unread` (which the next snapshot, and the archive,
    keep), for the facilitator to be told."""
    try:
        meeting = Meeting.from_dict(replay.meeting)
    except SchemaError as error:
        raise LiveFileError(f"the meeting in the live file is damaged ({error})") from None
    unread: list[UnreadEvent] = []
    last_wall = replay.wall
    seq = replay.seq
    for line, record in replay.records:
        if record is None:
            unread.append(UnreadEvent(line=line, reason="not a JSON object"))
            continue
        if isinstance(record.get("seq"), int) and not isinstance(record.get("seq"), bool):
            seq = max(seq, record["seq"])
        try:
            event = events.decode(events.upgrade(record, replay.version))
            events.apply(meeting, event)
        except EventError as error:
            unread.append(UnreadEvent(line=line, reason=str(error)))  # as it was written
            continue
        if event.wall is not None:
            last_wall = float(event.wall)
    meeting.unread.extend(unread)
    return meeting, last_wall, seq, unread

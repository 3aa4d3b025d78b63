"""A meeting in progress: the clock, the record and the live file together.

The run screen talks only to a `MeetingSession`. Every command becomes an
event (see `facilitate.engine`): it is applied to the meeting in memory and
appended, fsynced, to the live file before the call returns. When the disk
refuses, the call raises `StorageError` after keeping the event in memory;
the next successful write saves it.

All time is read from the injected clock. What the screen shows (time left,
a speaker's time) is computed from the last event's settled totals plus the
monotonic time since, never from counted timer ticks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable

from facilitate.clock import Clock
from facilitate.dates import DueDate
from facilitate.engine import apply_event, next_waiting
from facilitate.lean_coffee import LeanCoffeeCommands, lean_context, topic_from_entry
from facilitate.live import LiveFile, LiveFileError, Replay, StorageError
from facilitate.matters import MattersCommands
from facilitate.models import (
    ACTION,
    DECISION,
    LEAN_COFFEE,
    NOTE,
    OPEN_SPACE,
    PENDING,
    PHASES,
    SKIPPED,
    WAITING,
    Attendee,
    Item,
    Meeting,
    Segment,
    new_id,
)
from facilitate.open_space import OpenSpaceCommands, open_space_context, propose_from_entry
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
from facilitate.text import clean_block, clean_line, first_word, name_key

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
    skipped_lines: int = 0
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


ProposalHandler = Callable[["MeetingSession", ProposalEntry], Captured]


class MeetingSession(OpenSpaceCommands, LeanCoffeeCommands, MattersCommands):
    def __init__(
        self,
        meeting: Meeting,
        clock: Clock,
        live: LiveFile | None = None,
        directory: PeopleDirectory | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.meeting = meeting
        self.clock = clock
        self.live = live
        self.directory = directory or PeopleDirectory()
        self.rng = rng or random.Random()
        self._anchor = clock.monotonic()
        self.proposal_handlers: dict[str, ProposalHandler] = {
            OPEN_SPACE: propose_from_entry,
            LEAN_COFFEE: topic_from_entry,
        }
        """Segment kinds that take `*proposals`, and what they do with them."""
        self.context_providers: dict[str, Callable[[MeetingSession], dict[str, str]]] = {
            OPEN_SPACE: open_space_context,
            LEAN_COFFEE: lean_context,
            PHASES: phase_context,
        }
        """Segment kinds that tie captures to a part of the segment (a session, a topic, a phase)."""
        self.held: list[HeldLine] = []
        """Lines refused by `capture`, newest last: out of the entry line, so that what is typed
        next starts a capture of its own, and shown until taken back to fix (see `hold`)."""

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
        matters_provider=None,
        carried_provider=None,
    ) -> MeetingSession:
        """Start a planned meeting: write its live file, then start the clock.

        The providers look things up in the archive: the series' open actions
        (for matters arising) and its carried-over Lean Coffee topics.
        """
        live = LiveFile.create(live_path, meeting.to_dict(), clock.wall()) if live_path is not None else None
        session = cls(meeting, clock, live, directory, rng)
        session.matters_provider = matters_provider
        session.carried_provider = carried_provider
        session.record("start")
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
        matters_provider=None,
        carried_provider=None,
    ) -> tuple[MeetingSession, Recovery]:
        """Rebuild the meeting in progress from its live file. Raises `LiveFileError`."""
        replay = LiveFile.read(live_path)
        meeting, last_wall, seq, warnings = replay_meeting(replay)
        session = cls(meeting, clock, None, directory, rng)
        session.matters_provider = matters_provider
        session.carried_provider = carried_provider
        gap = max(clock.wall() - last_wall, 0.0) if last_wall else 0.0
        recovery = Recovery(
            gap=gap,
            was_running=meeting.running,
            skipped_lines=replay.skipped,
            torn_tail=replay.torn_tail,
            warnings=warnings,
        )
        # A running timer counts on through the gap; a paused one stays paused.
        tick = gap if meeting.running else 0.0
        event = {"op": "gap", "seconds": gap, "tick": tick, "at": session._at(), "wall": clock.wall()}
        apply_event(meeting, event)
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
        if meeting.status == "planned":
            # Stopped between writing the live file and starting the clock.
            try:
                session.record("start")
                session._order_round_if_needed()
            except StorageError:
                pass  # kept pending, as above
        return session, recovery

    # -- recording -----------------------------------------------------------------

    def _at(self) -> str:
        return self.clock.now().isoformat(timespec="seconds")

    def pending_time(self) -> float:
        """Running time since the last event, not yet credited."""
        if not self.meeting.running:
            return 0.0
        return max(self.clock.monotonic() - self._anchor, 0.0)

    def record(self, op: str, **fields: Any) -> dict[str, Any]:
        """Apply an event and make it durable. Raises `StorageError` (the event is kept)."""
        now = self.clock.monotonic()
        tick = max(now - self._anchor, 0.0) if self.meeting.running else 0.0
        self._anchor = now
        event = {"op": op, **fields, "tick": tick, "at": self._at(), "wall": self.clock.wall()}
        apply_event(self.meeting, event)
        if self.live is not None:
            self.live.append(event)
        return event

    @property
    def unsaved(self) -> int:
        """Events still waiting for the disk."""
        return len(self.live.pending) if self.live is not None else 0

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

    def speaker_elapsed(self) -> float:
        segment = self.meeting.segment
        if segment is None or segment.round is None or (speaker := segment.round.speaker) is None:
            return 0.0
        return speaker.spoke + self.pending_time()

    def speaker_remaining(self) -> float | None:
        segment = self.meeting.segment
        if segment is None or segment.round is None or segment.round.speaker is None:
            return None
        return (segment.per_person or 0.0) - self.speaker_elapsed()

    def spoken(self, person_id: str) -> float:
        """Seconds someone has held the floor in the current round, live."""
        segment = self.meeting.segment
        if segment is None or segment.round is None:
            return 0.0
        turn = segment.round.turn_for(person_id)
        if turn is None:
            return 0.0
        extra = self.pending_time() if segment.round.speaker is turn else 0.0
        return turn.spoke + extra

    def phase_remaining(self) -> float | None:
        segment = self.meeting.segment
        if segment is None or not segment.phases:
            return None
        phase = segment.phases[segment.phase]
        return phase.seconds - phase.elapsed - self.pending_time()

    def countdown(self) -> float:
        """What the big countdown shows: the topic's timebox, the phase's time, or the segment's."""
        topic_left = self.topic_remaining()
        if topic_left is not None:
            return topic_left
        phase_left = self.phase_remaining()
        if phase_left is not None:
            return phase_left
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
            if segment.state == PENDING:
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
        """A message, once, the moment a timebox runs out: a Lean Coffee topic, a phase, the segment."""
        segment = self.meeting.segment
        if segment is None or not self.meeting.running:
            return None
        topic = self.current_topic()
        if topic is not None:
            marker = f"{topic.id}:{topic.timebox:g}"
            remaining = self.topic_remaining()
            if remaining is not None and remaining <= 0 and segment.data.get("topic_signalled") != marker:
                self.record("data", segment=segment.id, key="topic_signalled", value=marker)
                return f"Time for “{topic.title}”: thumbs up, sideways or down? (→ records the vote)"
        phase = segment.current_phase
        if phase is not None:
            if not phase.signalled and self.phase_remaining() is not None and self.phase_remaining() <= 0:
                self.record("phase_signalled", segment=segment.id, index=segment.phase)
                last = segment.phase == len(segment.phases) - 1
                if last:
                    self.record("signalled", segment=segment.id)
                    return f"Time is up for {segment.name}.  ctrl+t adds a minute · ctrl+n moves on"
                upcoming = segment.phases[segment.phase + 1].name
                return f"Time is up: {phase.name}.  → moves to {upcoming}"
            return None
        if not segment.signalled and self.remaining() <= 0:
            self.record("signalled", segment=segment.id)
            return f"Time is up for {segment.name}.  ctrl+t adds a minute · ctrl+n moves on"
        return None

    # -- phases ------------------------------------------------------------------------

    def next_phase(self) -> bool:
        segment = self.meeting.segment
        if segment is None or not segment.phases or segment.phase >= len(segment.phases) - 1:
            return False
        self.record("phase", segment=segment.id, index=segment.phase + 1)
        return True

    def previous_phase(self) -> bool:
        segment = self.meeting.segment
        if segment is None or not segment.phases or segment.phase == 0:
            return False
        self.record("phase", segment=segment.id, index=segment.phase - 1)
        return True

    # -- the meeting's flow ----------------------------------------------------------

    def pause(self) -> None:
        if self.meeting.running:
            self.record("pause")

    def resume(self) -> None:
        if not self.meeting.running and self.meeting.status == "running":
            self.record("resume")

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
            self.record("adjust", segment=segment.id, seconds=seconds)

    def next_segment(self) -> bool:
        """Move to the next segment not skipped. False at the end of the agenda."""
        for index in range(self.meeting.current + 1, len(self.meeting.segments)):
            if self.meeting.segments[index].state != SKIPPED:
                self.record("goto", index=index)
                self._on_activate()
                return True
        return False

    def previous_segment(self) -> bool:
        for index in range(self.meeting.current - 1, -1, -1):
            if self.meeting.segments[index].state != SKIPPED:
                self.record("goto", index=index)
                return True
        return False

    def insert_segment(self, segment: Segment) -> None:
        """Add a segment to the agenda straight after the current one (the room wants a round now)."""
        from facilitate.serial import to_dict

        self.record("insert_segment", segment=to_dict(segment), index=self.meeting.current + 1)

    def _on_activate(self) -> None:
        """What a segment needs when it starts: a shuffled order, the open actions to review."""
        self._order_round_if_needed()
        segment = self.meeting.segment
        if segment is not None and segment.kind == "matters-arising":
            self.load_matters()
        if segment is not None and segment.lean_coffee is not None:
            self.load_carried_topics()

    @property
    def is_last_segment(self) -> bool:
        return all(s.state == SKIPPED for s in self.meeting.segments[self.meeting.current + 1 :])

    def finish(self) -> None:
        if self.meeting.status != "finished":
            self.record("finish")

    # -- rounds ----------------------------------------------------------------------

    def _order_round_if_needed(self) -> None:
        segment = self.meeting.segment
        if (
            segment is not None
            and segment.round is not None
            and segment.order == "shuffled"
            and not segment.data.get("ordered")
            and all(turn.state == WAITING for turn in segment.round.turns)
        ):
            segment.data["ordered"] = True
            self.shuffle_round()

    def round_next(self) -> Attendee | None:
        """Give the floor to the next person; returns them, or None when the round is done."""
        self.record("round_next")
        return self.current_speaker()

    def round_pass(self) -> Attendee | None:
        self.record("round_pass")
        return self.current_speaker()

    def round_back(self) -> Attendee | None:
        self.record("round_back")
        return self.current_speaker()

    def round_floor(self, person_id: str) -> None:
        self.record("round_floor", person_id=person_id)

    def shuffle_round(self) -> None:
        """Shuffle those still waiting; who has spoken keeps their place."""
        segment = self.meeting.segment
        if segment is None or segment.round is None:
            return
        done = [t.person_id for t in segment.round.turns if t.state != WAITING]
        waiting = [t.person_id for t in segment.round.turns if t.state == WAITING]
        self.rng.shuffle(waiting)
        self.record("round_order", order=done + waiting)

    def order_by_arrival(self) -> None:
        segment = self.meeting.segment
        if segment is None or segment.round is None:
            return
        arrival = {a.person_id: i for i, a in enumerate(self.meeting.attendees)}
        done = [t.person_id for t in segment.round.turns if t.state != WAITING]
        waiting = sorted(
            (t.person_id for t in segment.round.turns if t.state == WAITING),
            key=lambda pid: arrival.get(pid, len(arrival)),
        )
        self.record("round_order", order=done + waiting)

    def move_in_round(self, person_id: str, offset: int) -> None:
        segment = self.meeting.segment
        if segment is None or segment.round is None:
            return
        order = [t.person_id for t in segment.round.turns]
        if person_id not in order:
            return
        index = order.index(person_id)
        target = max(0, min(len(order) - 1, index + offset))
        if target == index:
            return
        order.insert(target, order.pop(index))
        self.record("round_order", order=order)

    def set_per_person(self, seconds: float) -> None:
        segment = self.meeting.segment
        if segment is not None:
            self.record("round_per_person", segment=segment.id, seconds=seconds)

    def current_speaker(self) -> Attendee | None:
        segment = self.meeting.segment
        if segment is None or segment.round is None or (speaker := segment.round.speaker) is None:
            return None
        return self.meeting.attendee(speaker.person_id)

    def next_speaker(self) -> Attendee | None:
        segment = self.meeting.segment
        if segment is None or segment.round is None:
            return None
        index = next_waiting(self.meeting, segment.round)
        return self.meeting.attendee(segment.round.turns[index].person_id) if index is not None else None

    def round_shares(self) -> list[tuple[Attendee, str, float, float]]:
        """Each person in the round: their state, seconds spoken, and share of the round's time."""
        segment = self.meeting.segment
        if segment is None or segment.round is None:
            return []
        rows = []
        spoken = {t.person_id: self.spoken(t.person_id) for t in segment.round.turns}
        total = sum(spoken.values())
        for turn in segment.round.turns:
            attendee = self.meeting.attendee(turn.person_id)
            if attendee is None:
                continue
            seconds = spoken[turn.person_id]
            rows.append((attendee, turn.state, seconds, seconds / total if total else 0.0))
        return rows

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
        for test in (
            lambda a: name_key(a.name) == key,
            lambda a: name_key(first_word(a.name)) == key,
            lambda a: name_key(a.name).startswith(key),
            lambda a: words_start(name, a.name),
        ):
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
            self.record("arrive", person_id=attendee.person_id, name=attendee.name, organisation=clean_line(organisation))
            return Captured("back", f"{attendee.name} is back", attendee=attendee)
        if plan.kind == "known":
            assert plan.known is not None
            person_id, new_person = plan.known.id, False
        else:
            person_id, new_person = new_id(), True
        self.record("arrive", person_id=person_id, name=plan.name, organisation=plan.organisation, new=new_person)
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
        self.record("left", person_id=attendee.person_id)
        return Captured("left", f"{attendee.name} left", attendee=attendee)

    def edit_person(self, person_id: str, name: str, organisation: str) -> None:
        name, organisation = clean_line(name), clean_line(organisation)
        if not name:
            raise EntryError("A name is needed")
        self.record("edit_person", person_id=person_id, name=name, organisation=organisation)

    def remove_person(self, person_id: str) -> None:
        self.record("remove_person", person_id=person_id)

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
        provider = self.context_providers.get(segment.kind)
        return provider(self) if provider else {}

    def add_item(self, kind: str, text: str, **fields: Any) -> Item:
        text = clean_block(text)
        if not text:
            raise EntryError(f"The {kind} is empty")
        segment = self.meeting.segment
        speaker = self.current_speaker()
        item = Item(
            id=new_id(),
            kind=kind,
            text=text,
            created_at=self._at(),
            segment_id=segment.id if segment else None,
            speaker_id=speaker.person_id if speaker else None,
            context=fields.pop("context", None) or self._context(),
            **fields,
        )
        from facilitate.serial import to_dict

        self.record("add_item", item=to_dict(item))
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
        self.record("edit_item", id=item_id, changes=changes)

    def delete_item(self, item_id: str) -> None:
        self.record("delete_item", id=item_id)

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
            handler = self.proposal_handlers.get(segment.kind) if segment else None
            if handler is None:
                raise EntryError("Proposals (*) belong in an open space or a Lean Coffee segment")
            return handler(self, entry)
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


def phase_context(session: MeetingSession) -> dict[str, str]:
    segment = session.meeting.segment
    phase = segment.current_phase if segment else None
    return {"phase": phase.name} if phase is not None else {}


def replay_meeting(replay: Replay) -> tuple[Meeting, float, int, list[str]]:
    """The meeting a live file describes, the wall time of its last event, and its last seq."""
    from facilitate.engine import EventError

    try:
        meeting = Meeting.from_dict(replay.meeting)
    except SchemaError as error:
        raise LiveFileError(f"the meeting in the live file is damaged ({error})") from None
    warnings = []
    last_wall = replay.wall
    seq = replay.seq
    for event in replay.events:
        try:
            apply_event(meeting, event)
        except EventError as error:
            warnings.append(str(error))
            continue
        wall = event.get("wall")
        if isinstance(wall, (int, float)):
            last_wall = float(wall)
        if isinstance(event.get("seq"), int):
            seq = max(seq, event["seq"])
    return meeting, last_wall, seq, warnings

"""A finished meeting at a glance: planned against actual time, people, outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field

from facilitate.models import (
    ACTION,
    DECISION,
    FINISHED,
    LEFT,
    NOTE,
    PASSED,
    PENDING,
    SKIPPED,
    SPOKE,
    Attendee,
    Item,
    Meeting,
    Segment,
)


@dataclass
class SegmentRow:
    segment: Segment
    planned: float
    actual: float
    status: str
    """"done", "skipped", "not reached" or "running"."""

    @property
    def over(self) -> float:
        """Whole seconds beyond the planned time (negative if under), as the two times show.

        Both times show in whole seconds, cut short; the difference is taken of what is
        shown, so that 20:00 planned and 0:00 actual read as −20:00, not −19:59.
        """
        return float(int(self.actual) - int(self.planned))


@dataclass
class RoundRecord:
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


@dataclass
class MeetingReport:
    meeting: Meeting
    segments: list[SegmentRow]
    new_people: list[Attendee]
    returning: list[Attendee]
    actions: list[Item]
    decisions: list[Item]
    notes: list[Item]
    rounds: list[RoundRecord]

    @property
    def planned_total(self) -> float:
        return sum(row.planned for row in self.segments)

    @property
    def actual_total(self) -> float:
        return sum(row.actual for row in self.segments)


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


def report(meeting: Meeting) -> MeetingReport:
    rows = []
    for segment in meeting.segments:
        if segment.state == SKIPPED:
            status = "skipped"
        elif segment.state == PENDING and segment.elapsed == 0:
            status = "not reached"
        elif segment.state == FINISHED or meeting.status == "finished":
            status = "done"
        else:
            status = "running"
        rows.append(SegmentRow(segment, segment.planned, segment.elapsed, status))
    return MeetingReport(
        meeting=meeting,
        segments=rows,
        new_people=[a for a in meeting.attendees if a.new],
        returning=[a for a in meeting.attendees if not a.new],
        actions=[i for i in meeting.items if i.kind == ACTION],
        decisions=[i for i in meeting.items if i.kind == DECISION],
        notes=[i for i in meeting.items if i.kind == NOTE],
        rounds=[
            record
            for record in (round_record(meeting, s) for s in meeting.segments if s.round is not None)
            if record.happened
        ],
    )

"""A finished meeting at a glance: planned against actual time, people, outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from facilitate import kinds
from facilitate.models import ACTION, DECISION, NOTE, Attendee, Item, Meeting, MeetingStatus, Segment, SegmentState

if TYPE_CHECKING:
    from facilitate.kinds.round import RoundRecord


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
class Summary:
    """A meeting at a glance, as the summary screen and the record show it."""

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
    """Who was heard in a segment's round (`facilitate.kinds.round`)."""
    return kinds.rounds().record_of(meeting, segment)


def summarise(meeting: Meeting) -> Summary:
    rows = []
    for segment in meeting.segments:
        if segment.state == SegmentState.SKIPPED:
            status = "skipped"
        elif segment.state == SegmentState.PENDING and segment.elapsed == 0:
            status = "not reached"
        elif segment.state == SegmentState.DONE or meeting.status == MeetingStatus.FINISHED:
            status = "done"
        else:
            status = "running"
        rows.append(SegmentRow(segment, segment.planned, segment.elapsed, status))
    return Summary(
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

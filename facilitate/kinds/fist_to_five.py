"""Fist to five: a quick read of the room. Everyone shows a fist (0) to five fingers at once,
on a question ("How ready are we to take this to the board?"); the facilitator counts the
hands and the counts go into the record.

The smallest kind with an event of its own, and the README's worked example of adding a
format kind: this module, `screens/kinds/fist_to_five.py`, `formats/fist-to-five.toml`
and their tests. The counts live in the segment's `data` (`fingers_0` to `fingers_5`),
so the kind needs nothing new in the models or the archive.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from facilitate.events import SegmentEvent
from facilitate.kinds import Kind, Operations
from facilitate.models import Meeting, Segment
from facilitate.text import plural

if TYPE_CHECKING:
    from facilitate.export.markdown import Page, RecordContext

FIST_TO_FIVE = "fist-to-five"
FINGERS = range(6)
"""From a fist (0) to five fingers."""
MAX_HANDS = 10_000


def counts_of(segment: Segment) -> list[int] | None:
    """The hands counted, by fingers (0 to 5); None until they have been counted."""
    if f"fingers_{FINGERS[0]}" not in segment.data:
        return None
    return [int(segment.data.get(f"fingers_{n}", 0) or 0) for n in FINGERS]


def reading(counts: list[int]) -> str:
    """"12 hands, average 3.4 (2 at two or fewer)": the counts in one line."""
    hands = sum(counts)
    if hands == 0:
        return "no hands counted"
    average = sum(n * c for n, c in zip(FINGERS, counts)) / hands
    low = sum(counts[:3])
    concern = f" ({low} at two or fewer)" if low else ""
    return f"{plural(hands, 'hand')}, average {average:.1f} of 5{concern}"


class FingersCounted(SegmentEvent, tag="fingers_counted"):
    """The hands shown, counted by fingers; counting again replaces the counts."""

    counts: list[int]
    """Hands showing a fist (0), one finger... five fingers: six whole numbers."""

    def apply(self, meeting: Meeting) -> None:
        segment = self.target(meeting)
        if segment is None or len(self.counts) != len(FINGERS):
            return
        for fingers, count in zip(FINGERS, self.counts):
            segment.data[f"fingers_{fingers}"] = max(0, min(int(count), MAX_HANDS))


class FistToFiveOperations(Operations):
    """Counting the hands: `session.fist_to_five`."""

    attribute = "fist_to_five"

    def count(self, counts: list[int]) -> None:
        """Record the hands counted, from a fist (0) to five fingers. Raises ValueError for
        anything but six whole numbers from 0 (nothing is recorded)."""
        segment = self.segment
        if segment is None or segment.kind != FIST_TO_FIVE:
            raise ValueError("Not in a fist to five")
        if len(counts) != len(FINGERS) or any(type(c) is not int or not 0 <= c <= MAX_HANDS for c in counts):
            raise ValueError("Six counts, each a whole number from 0")
        self.session.record(FingersCounted(segment=segment.id, counts=list(counts)))

    def counts(self) -> list[int] | None:
        segment = self.segment
        return counts_of(segment) if segment is not None else None


class FistToFive(Kind):
    name = FIST_TO_FIVE
    position = 60
    description = "A quick read of the room: a fist (0) to five fingers at once, counted and kept."
    events = (FingersCounted,)
    operations = FistToFiveOperations

    def room(self, meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
        counts = counts_of(segment)
        if counts is None:
            return {"view": "fist-to-five"}
        return {"view": "fist-to-five", "counts": counts, "reading": reading(counts)}

    def has_record(self, segment: Segment) -> bool:
        return counts_of(segment) is not None

    def record(self, page: Page, context: RecordContext) -> None:
        from facilitate.export.escape import inline

        counts = counts_of(context.segment)
        if prompt := inline(context.segment.prompt):
            page.paragraph("**Question:** " + prompt)
        if counts is None:
            return
        page.table(["Fingers", *(str(n) for n in FINGERS)], [["Hands", *(str(c) for c in counts)]], "l" + "r" * 6)
        page.paragraph(reading(counts).capitalize() + ".")


KIND = FistToFive()

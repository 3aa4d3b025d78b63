"""Matters arising: the series' open actions from earlier meetings, reviewed one at a time.

When the segment starts it loads the open actions of the series' earlier
meetings, as they stand now (`open_matters`). `session.matters` records what
became of each: done, carried forward (perhaps to a new date), given to
someone else, or dropped. When the meeting is saved, each outcome becomes a
dated follow-up on the earlier action (`MattersKind.finish`), whose own fields
stay as its meeting agreed them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Iterable

from facilitate.dates import DueDate, short_date
from facilitate.events import SegmentEvent
from facilitate.followups import current_of_doc, record
from facilitate.kinds import Kind, Operations, Repository
from facilitate.models import ACTION, MATTERS_ARISING, OPEN, FollowUp, Item, Matter, Meeting, Segment, SeriesPlan
from facilitate.quickentry import EntryError
from facilitate.text import clean_line, name_key

if TYPE_CHECKING:
    from facilitate.export.markdown import Page, RecordContext

OUTCOME_LABELS = {
    "done": "done",
    "carried": "carried forward",
    "reowned": "given to someone else",
    "dropped": "dropped",
}
OUTCOMES = ("done", "carried", "reowned", "dropped", "")
"""What can become of an action under review; "" while it is not (or no longer) decided."""


def outcome_text(matter: Matter, today: date) -> str:
    """What became of a reviewed action, short, for a table: `done`, `carried to 10 Dec`,
    `given to Ivy New`, `dropped`; empty while it is not yet reviewed."""
    if matter.outcome == "carried":
        return "carried" + (f" to {short_date(matter.new_due, today, weekday=False)}" if matter.new_due else "")
    if matter.outcome == "reowned":
        return f"given to {clean_line(matter.new_owner)}"
    return OUTCOME_LABELS.get(matter.outcome, matter.outcome)


def open_matters(docs: Iterable[dict[str, Any]], series: str, exclude_meeting: str = "") -> list[Matter]:
    """Open actions from the series' meetings, oldest meeting first, by due date within one."""
    key = name_key(series)
    found: list[tuple[str, str, Matter]] = []
    for doc in docs:
        if not isinstance(doc, dict) or name_key(str(doc.get("series", ""))) != key or not key:
            continue
        if doc.get("id") == exclude_meeting:
            continue
        started = str(doc.get("started_at") or doc.get("planned_start") or "")
        for item in doc.get("items") or ():
            if not isinstance(item, dict) or item.get("kind") != ACTION:
                continue
            # As it stands now: owner and date after any earlier follow-ups.
            state = current_of_doc(item)
            if state.status != OPEN:
                continue
            found.append(
                (
                    started,
                    state.due or "9999",
                    Matter(
                        meeting_id=str(doc.get("id")),
                        item_id=str(item.get("id")),
                        text=str(item.get("text", "")),
                        owner=state.owner,
                        owner_id=state.owner_id,
                        due=state.due,
                        meeting_title=str(doc.get("title", "")),
                        meeting_date=started[:10],
                    ),
                )
            )
    found.sort(key=lambda entry: (entry[0], entry[1]))
    return [matter for _, _, matter in found]


def apply_outcome(item: Item, matter: Matter, meeting_id: str, when: str) -> bool:
    """Record what matters arising at `meeting_id` decided as a follow-up on the earlier action.

    The action keeps what its own meeting agreed. Deciding again (or saving
    the meeting again) replaces this meeting's follow-up; an outcome undone
    removes it. Returns whether the action changed."""
    if not matter.outcome:
        kept = [entry for entry in item.log if entry.meeting != meeting_id]
        changed = len(kept) != len(item.log)
        item.log = kept
        return changed
    follow_up = FollowUp(at=matter.at or when, outcome=matter.outcome, meeting=meeting_id, note=matter.note)
    if matter.outcome == "reowned":
        follow_up.owner, follow_up.owner_id = matter.new_owner, matter.new_owner_id
    if matter.outcome in ("carried", "reowned") and matter.new_due:
        follow_up.due = matter.new_due
    return record(item, follow_up)


# -- events ---------------------------------------------------------------------------------------


class MattersLoaded(SegmentEvent, tag="matters_load"):
    """The series' open actions, as they stood when the segment started (once)."""

    matters: list[Matter]
    """Each as the archive stores a matter (docs/interchange.md)."""

    def apply(self, meeting: Meeting) -> None:
        segment = self.target(meeting)
        if segment is not None and not segment.matters:
            segment.matters = list(self.matters)


class MatterShown(SegmentEvent, tag="matter_current"):
    """The action under review now."""

    index: int
    """The action's position in the segment's list (from 0)."""

    def apply(self, meeting: Meeting) -> None:
        segment = self.target(meeting)
        if segment is not None and segment.matters:
            segment.data["matter"] = max(0, min(self.index, len(segment.matters) - 1))


class OutcomeDecided(SegmentEvent, tag="matter_outcome"):
    """What became of an action under review ("" undoes it); it becomes the one shown."""

    index: int
    """The action's position in the segment's list (from 0)."""
    outcome: str
    """"done", "carried", "reowned", "dropped" or ""."""
    new_due: str | None = None
    """Carried or given to someone: the new due date (ISO date), if any."""
    new_owner: str = ""
    """Given to someone else: their name."""
    new_owner_id: str | None = None
    """Their person id, when known."""
    note: str = ""
    """A word about it ("no longer needed")."""

    def apply(self, meeting: Meeting) -> None:
        segment = self.target(meeting)
        if segment is None:
            return
        index = self.index
        if not 0 <= index < len(segment.matters) or self.outcome not in OUTCOMES:
            return
        matter = segment.matters[index]
        matter.outcome = self.outcome
        matter.new_due = self.new_due or None
        matter.new_owner = self.new_owner or ""
        matter.new_owner_id = self.new_owner_id or None
        matter.note = self.note or ""
        matter.at = self.at if matter.outcome else ""
        segment.data["matter"] = index


# -- operations --------------------------------------------------------------------------------------


class MattersOperations(Operations):
    """Matters arising's operations: `session.matters`."""

    attribute = "matters"

    def load(self) -> int:
        """The series' open actions, loaded when the segment starts (once)."""
        segment = self.segment
        if segment is None or segment.kind != MATTERS_ARISING or segment.matters or segment.data.get("loaded"):
            return len(segment.matters) if segment else 0
        meeting = self.session.meeting
        archive = self.session.series_archive
        matters = []
        if archive is not None and name_key(meeting.series):
            matters = open_matters(archive.series_docs(meeting.series), meeting.series, meeting.id)
        segment.data["loaded"] = True
        self.session.record(MattersLoaded(segment=segment.id, matters=matters))
        return len(matters)

    def current_index(self) -> int:
        segment = self.segment
        return int(segment.data.get("matter", 0)) if segment else 0

    def move(self, offset: int) -> None:
        segment = self.segment
        if segment is None or not segment.matters:
            return
        index = max(0, min(len(segment.matters) - 1, self.current_index() + offset))
        self.session.record(MatterShown(segment=segment.id, index=index))

    def decide(
        self,
        outcome: str,
        *,
        index: int | None = None,
        due: DueDate | None = None,
        owner: str = "",
        note: str = "",
    ) -> Matter:
        segment = self.segment
        if segment is None or not segment.matters:
            raise EntryError("There are no open actions to review")
        if outcome not in OUTCOME_LABELS and outcome != "":
            raise EntryError(f"Unknown outcome {outcome!r}")
        index = self.current_index() if index is None else index
        new_owner, new_owner_id = ("", None)
        if outcome == "reowned":
            new_owner, new_owner_id = self.session.resolve_owner_quiet(owner)
            if not new_owner:
                raise EntryError("Who takes the action on?")
        self.session.record(
            OutcomeDecided(
                segment=segment.id,
                index=index,
                outcome=outcome,
                new_due=due.date.isoformat() if due else None,
                new_owner=new_owner,
                new_owner_id=new_owner_id,
                note=clean_line(note),
            )
        )
        # Move on to the next one still to review.
        for next_index in list(range(index + 1, len(segment.matters))) + list(range(0, index)):
            if not segment.matters[next_index].outcome:
                self.session.record(MatterShown(segment=segment.id, index=next_index))
                break
        return segment.matters[index]


# -- the kind ------------------------------------------------------------------------------------------


_RECORD_OUTCOMES = {"done": "done", "carried": "carried forward", "reowned": "given to", "dropped": "dropped"}



# -- the room's screen ---------------------------------------------------------------------------------


def room_view(meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
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


class MattersKind(Kind):
    name = MATTERS_ARISING
    position = 40
    description = "The series' open actions from earlier meetings, one at a time: done, carried, given on, dropped."
    events = (MattersLoaded, MatterShown, OutcomeDecided)
    operations = MattersOperations

    def series_note(self, plan: SeriesPlan, agenda: list[Segment], open_actions: int) -> str:
        if open_actions and not any(segment.kind == MATTERS_ARISING for segment in agenda):
            return (
                f" The series has {open_actions} open action{'s' if open_actions != 1 else ''}:"
                " a adds Matters arising to go through them."
            )
        return ""

    def started(self, session: Any) -> None:
        session.matters.load()

    def has_record(self, segment: Segment) -> bool:
        return bool(segment.matters)

    def record(self, page: Page, context: RecordContext) -> None:
        from facilitate.export.escape import inline
        from facilitate.export.markdown import DASH, uk_date

        context.prompt_and_round(page)
        if not context.segment.matters:
            return
        rows = []
        for matter in context.segment.matters:
            outcome = _RECORD_OUTCOMES.get(matter.outcome, "not reviewed" if not matter.outcome else inline(matter.outcome))
            if matter.outcome == "reowned":
                outcome += " " + inline(matter.new_owner, "someone")
            if matter.new_due and matter.outcome in ("carried", "reowned"):
                outcome += ", due " + (uk_date(matter.new_due) or inline(matter.new_due))
            if note := inline(matter.note):
                outcome += ": " + note
            source = inline(matter.meeting_title)
            when = uk_date(matter.meeting_date)
            source = ", ".join(part for part in (source, when) if part) or DASH
            rows.append(
                [inline(matter.text, "(no text)"), inline(matter.owner, DASH), uk_date(matter.due) or DASH, source, outcome]
            )
        page.table(["Action", "Owner", "Due", "From", "Outcome"], rows)

    def finish(self, meeting: Meeting, repository: Repository) -> None:
        """Each outcome becomes a dated follow-up on the earlier action it reviewed."""
        when = meeting.finished_at or meeting.started_at or ""
        changed: dict[str, Meeting] = {}
        for segment in meeting.segments:
            for matter in segment.matters:
                if matter.meeting_id == meeting.id:
                    continue
                earlier = changed.get(matter.meeting_id) or repository.meeting(matter.meeting_id)
                if earlier is None:
                    continue
                item = earlier.item(matter.item_id)
                # A follow-up on the earlier action; the action itself stays as its meeting agreed.
                if item is not None and apply_outcome(item, matter, meeting.id, when):
                    changed[matter.meeting_id] = earlier
        for earlier in changed.values():
            repository.put_meeting(earlier)

    def room(self, meeting: Meeting, segment: Segment, pending: float) -> dict[str, Any]:
        return room_view(meeting, segment, pending)


KIND = MattersKind()

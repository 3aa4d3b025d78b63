"""Matters arising: the series' open actions, reviewed one at a time.

`open_matters` finds the open actions of earlier meetings of a series in the
archive's documents. `MattersCommands` (mixed into `MeetingSession`) records
what became of each: done, carried forward (perhaps to a new date), given to
someone else, or dropped. When the meeting is saved, each outcome becomes a
follow-up on the earlier action (`facilitate.followups`), whose own fields
stay as its meeting agreed them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Iterable

from facilitate.dates import DueDate, short_date
from facilitate.followups import current_of_doc, record
from facilitate.models import ACTION, OPEN, FollowUp, Item, Matter
from facilitate.quickentry import EntryError
from facilitate.serial import to_dict
from facilitate.text import clean_line, name_key

if TYPE_CHECKING:
    from facilitate.session import MeetingSession

OUTCOME_LABELS = {
    "done": "done",
    "carried": "carried forward",
    "reowned": "given to someone else",
    "dropped": "dropped",
}


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


class MattersCommands:
    """Matters arising commands of a `MeetingSession`."""

    matters_provider = None
    """Called with (series, this meeting's id) to find the open actions; set by the app."""

    def load_matters(self: MeetingSession) -> int:
        segment = self.meeting.segment
        if segment is None or segment.kind != "matters-arising" or segment.matters or segment.data.get("loaded"):
            return len(segment.matters) if segment else 0
        matters = self.matters_provider(self.meeting.series, self.meeting.id) if self.matters_provider else []
        segment.data["loaded"] = True
        self.record("matters_load", segment=segment.id, matters=[to_dict(m) for m in matters])
        return len(matters)

    def current_matter_index(self: MeetingSession) -> int:
        segment = self.meeting.segment
        return int(segment.data.get("matter", 0)) if segment else 0

    def move_matter(self: MeetingSession, offset: int) -> None:
        segment = self.meeting.segment
        if segment is None or not segment.matters:
            return
        index = max(0, min(len(segment.matters) - 1, self.current_matter_index() + offset))
        self.record("matter_current", segment=segment.id, index=index)

    def decide_matter(
        self: MeetingSession,
        outcome: str,
        *,
        index: int | None = None,
        due: DueDate | None = None,
        owner: str = "",
        note: str = "",
    ) -> Matter:
        segment = self.meeting.segment
        if segment is None or not segment.matters:
            raise EntryError("There are no open actions to review")
        if outcome not in OUTCOME_LABELS and outcome != "":
            raise EntryError(f"Unknown outcome {outcome!r}")
        index = self.current_matter_index() if index is None else index
        new_owner, new_owner_id = ("", None)
        if outcome == "reowned":
            new_owner, new_owner_id = self.resolve_owner_quiet(owner)
            if not new_owner:
                raise EntryError("Who takes the action on?")
        self.record(
            "matter_outcome",
            segment=segment.id,
            index=index,
            outcome=outcome,
            new_due=due.date.isoformat() if due else None,
            new_owner=new_owner,
            new_owner_id=new_owner_id,
            note=clean_line(note),
        )
        # Move on to the next one still to review.
        for next_index in list(range(index + 1, len(segment.matters))) + list(range(0, index)):
            if not segment.matters[next_index].outcome:
                self.record("matter_current", segment=segment.id, index=next_index)
                break
        return segment.matters[index]


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

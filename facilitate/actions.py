"""Changing an action after its meeting: marked done, given to someone else, re-dated.

An action keeps what its meeting agreed; each later change is a dated
follow-up on it (`facilitate.followups`). `follow_ups_for` is the rule: what
follow-ups a change makes, given the action as it stands now (a change to
what it already is makes none). `update_action` applies it to an archived
action and saves at once, in one write.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable

from facilitate.dates import parse_due
from facilitate.followups import current, record
from facilitate.models import ACTION, DONE, DROPPED, OPEN, REDATED, REOPENED, REOWNED, FollowUp, Item, Meeting, Person
from facilitate.text import clean_line, name_key

if TYPE_CHECKING:
    from facilitate.archive import Archive

CHANGES = frozenset({"status", "owner", "due"})
"""What a change to an archived action may say."""


def follow_ups_for(
    item: Item, meeting: Meeting, people: Iterable[Person], now: datetime, changes: dict[str, Any]
) -> list[FollowUp]:
    """The follow-ups that `changes` make to an action of `meeting`, stamped `now`.

    `status`: "done", "open" (reopen) or "dropped"; `owner`: a name, linked to
    the person when it matches someone at the meeting, else someone on record
    (`people`); `due`: date words ("fri", "in 2 weeks", "3/12"), read with
    `parse_due` relative to `now`, the words kept. Raises `TypeError` (a field
    that cannot change), `ValueError` or `DueDateError`.
    """
    unknown = set(changes) - CHANGES
    if unknown:
        raise TypeError(f"update_action() cannot change {', '.join(sorted(unknown))}")
    status = changes.get("status")
    if status is not None and status not in (OPEN, DONE, DROPPED):
        raise ValueError(f"an action is open, done or dropped, not {status!r}")
    due = parse_due(str(changes["due"]), now.date()) if "due" in changes else None
    stamp = now.isoformat(timespec="seconds")
    state = current(item)
    follow_ups: list[FollowUp] = []
    if status is not None and status != state.status:
        follow_ups.append(FollowUp(at=stamp, outcome=REOPENED if status == OPEN else status))
    if "owner" in changes:
        name, owner_id = _owner(clean_line(str(changes["owner"])), meeting, people)
        if (name, owner_id) != (state.owner, state.owner_id):
            follow_ups.append(FollowUp(at=stamp, outcome=REOWNED, owner=name, owner_id=owner_id))
    if due is not None:
        when = due.date.isoformat()
        if (when, due.text) != (state.due, state.due_text):
            follow_ups.append(FollowUp(at=stamp, outcome=REDATED, due=when, due_text=due.text))
    return follow_ups


def _owner(name: str, meeting: Meeting, people: Iterable[Person]) -> tuple[str, str | None]:
    """A new owner's name as recorded, and their person id: someone at the meeting first, then on record."""
    if not name:
        return name, None
    key = name_key(name)
    for attendee in meeting.attendees:
        if name_key(attendee.name) == key:
            return attendee.name, attendee.person_id
    for person in people:
        if name_key(person.name) == key:
            return person.name, person.id
    return name, None


def update_action(archive: Archive, meeting_id: str, item_id: str, *, now: datetime | None = None, **changes: Any) -> Item:
    """Change an archived action and save at once; each change is a follow-up on the action.

    See `follow_ups_for` for the changes. Raises `KeyError` (no such action),
    `DueDateError` or `ValueError` (nothing changed), `ArchiveError`
    (read-only) or `StorageError` (kept in memory; retry).
    """
    unknown = set(changes) - CHANGES
    if unknown:
        raise TypeError(f"update_action() cannot change {', '.join(sorted(unknown))}")
    now = now or datetime.now().astimezone()
    with archive.lock:
        archive.check_writable()
        meeting = archive.meeting(meeting_id)
        item = meeting.item(item_id) if meeting is not None else None
        if meeting is None or item is None or item.kind != ACTION:
            raise KeyError(f"no action {item_id} in meeting {meeting_id}")
        follow_ups = follow_ups_for(item, meeting, archive.people() if "owner" in changes else (), now, changes)
        if follow_ups:
            for follow_up in follow_ups:
                record(item, follow_up)
            with archive.transaction():
                archive.replace_meetings([meeting])
        return item

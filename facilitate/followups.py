"""What became of an action after its meeting: follow-ups, and the state they add up to.

An action (`Item`) keeps what its meeting agreed: owner, text, due date and
status. Everything later (done at the next meeting, given to someone else,
re-dated from the actions list) is a `FollowUp` appended to its `log`. Two
views come from that one history:

- the minutes: the action as agreed, with its follow-ups beneath it, dated
  (`describe`: "13 Dec: given to Ollie Grant, due Fri 18 Dec");
- the state now (`current`, `current_of_doc`): the agreed action with each
  follow-up applied in order, for the actions list, matters arising and the
  wiki's `actions.md`.

`record` adds a follow-up; one decided at a meeting's matters arising
replaces an earlier one from the same meeting, so a meeting saved twice (a
retried finish) changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Mapping

from facilitate.models import CARRIED, DONE, DROPPED, OPEN, REOPENED, REOWNED, FollowUp, Item


@dataclass(frozen=True)
class ActionState:
    """An action's owner, due date and status once its follow-ups are applied."""

    owner: str
    owner_id: str | None
    due: str | None
    due_text: str
    status: str
    closed_at: str | None


def _fold(agreed: ActionState, entries: Iterable[Mapping[str, Any]]) -> ActionState:
    owner, owner_id, due, due_text = agreed.owner, agreed.owner_id, agreed.due, agreed.due_text
    status, closed_at = agreed.status, agreed.closed_at
    for entry in entries:
        outcome = entry.get("outcome")
        at = entry.get("at")
        at = at if isinstance(at, str) else None
        if outcome in (DONE, DROPPED):
            status, closed_at = outcome, at
        elif outcome == REOPENED:
            status, closed_at = OPEN, None
        new_owner = entry.get("owner")
        if isinstance(new_owner, str):
            owner_id = entry.get("owner_id") if isinstance(entry.get("owner_id"), str) else None
            owner = new_owner
        new_due = entry.get("due")
        if isinstance(new_due, str) and new_due:
            due = new_due
            text = entry.get("due_text")
            due_text = text if isinstance(text, str) else ""
    return ActionState(owner, owner_id, due, due_text, status, closed_at)


def current(item: Item) -> ActionState:
    """The action as it stands now: as agreed, then each follow-up in order."""
    agreed = ActionState(item.owner, item.owner_id, item.due, item.due_text, item.status, item.closed_at)
    if not item.log:
        return agreed
    return _fold(agreed, (vars(entry) for entry in item.log))


def current_of_doc(item: Mapping[str, Any]) -> ActionState:
    """`current` for an action as stored (a dict), tolerant of damage; the review reads these."""

    def text(key: str) -> str:
        value = item.get(key)
        return value if isinstance(value, str) else ""

    def optional(key: str) -> str | None:
        value = item.get(key)
        return value if isinstance(value, str) and value else None

    status = item.get("status", OPEN)
    agreed = ActionState(text("owner"), optional("owner_id"), optional("due"), text("due_text"),
                         status if isinstance(status, str) else OPEN, optional("closed_at"))  # fmt: skip
    log = item.get("log")
    if not isinstance(log, list) or not log:
        return agreed
    return _fold(agreed, (entry for entry in log if isinstance(entry, dict)))


def record(item: Item, follow_up: FollowUp) -> bool:
    """Add a follow-up to an action; returns whether anything changed.

    One decided at a meeting replaces the earlier one from that meeting (the
    meeting decided again, or was saved again)."""
    if follow_up.meeting:
        kept = [entry for entry in item.log if entry.meeting != follow_up.meeting]
        if kept + [follow_up] == item.log:
            return False
        item.log = kept
    item.log.append(follow_up)
    return True


# -- words ------------------------------------------------------------------------------------


def _day(value: str | None) -> date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def short_day(value: str | None, year: int | None = None) -> str:
    """`13 Dec`, with the year unless it is `year` (`13 Dec 2027`)."""
    day = _day(value)
    if day is None:
        return ""
    return f"{day.day} {day:%b}" + ("" if day.year == year else f" {day.year}")


def describe(
    follow_up: FollowUp,
    *,
    year: int | None = None,
    date_words: Callable[[str], str] | None = None,
    name: Callable[[str], str] | None = None,
) -> str:
    """A follow-up in words, for the minutes: "13 Dec: given to Ollie Grant, due Fri 18 Dec".

    The day it happened shows its year unless it is `year` (the meeting's).
    `date_words` says a due date (the exporters' own long form); `name` makes
    text safe for where it goes (escaping); both default to the text as it is.
    """
    date_words = date_words or (lambda iso: iso)
    name = name or (lambda text: text)
    parts = []
    outcome = follow_up.outcome
    if outcome == DONE:
        parts.append("done")
    elif outcome == DROPPED:
        parts.append("dropped")
    elif outcome == REOPENED:
        parts.append("reopened")
    if follow_up.owner is not None:
        parts.append(f"given to {name(follow_up.owner)}" if follow_up.owner else "no owner now")
    if follow_up.due:
        due = date_words(follow_up.due) or follow_up.due
        if parts:
            parts.append(f"due {due}")
        elif outcome == CARRIED:
            parts.append(f"carried forward, due {due}")
        else:
            parts.append(f"new due date {due}")
    elif outcome == CARRIED and not parts:
        parts.append("carried forward")
    if not parts:
        parts.append(outcome.replace("_", " "))
    text = ", ".join(parts)
    if follow_up.note:
        text += f" ({name(follow_up.note)})"
    when = short_day(follow_up.at, year)
    return f"{when}: {text}" if when else text


def owners_of(item: Item) -> Iterable[str]:
    """Every person id an action has belonged to: as agreed and in its follow-ups."""
    if item.owner_id:
        yield item.owner_id
    for entry in item.log:
        if entry.owner_id:
            yield entry.owner_id


__all__ = ["ActionState", "REOWNED", "current", "current_of_doc", "describe", "record"]

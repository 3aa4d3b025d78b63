"""The quick-entry line: one line of text, one capture.

    +Asha Patel, Age UK        someone arrives (organisation optional)
    ++Tom Reed                 someone new, whoever the archive knows by a like name
    -Asha                      someone leaves
    !Asha: call the team by fri   an action: owner before the colon, due date after "by"
    =We will meet monthly      a decision
    *Discharge delays          a proposal: an open space session or a Lean Coffee topic
    anything else              a note
    \\+1 for that idea          a backslash keeps the line a note, whatever follows

The parser is pure: it reads text and returns what it means. Who "Asha" is
(someone present, someone known, someone new) is decided by the meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from facilitate.dates import DueDate, DueDateError, parse_due
from facilitate.text import clean_block, clean_line

GRAMMAR = [
    ("+Asha Patel, Age UK", "someone arrives (organisation optional)"),
    ("++Tom Reed", "someone new, even if someone known has a like name"),
    ("-Asha", "someone leaves"),
    ("!Asha: call the team by fri", "an action: owner, what, due date"),
    ("=We meet monthly", "a decision"),
    ("*Discharge delays", "a proposal (open space session, Lean Coffee topic)"),
    ("Anything else", "a note"),
    ("\\+1 to that", "a backslash keeps it a note"),
]

# The due date follows the last of these words in an action.
_DUE_MARKERS = (" by ", " due ")
# An action's owner is the text before the first colon, if it is this short.
_MAX_OWNER_WORDS = 4
_MAX_OWNER_CHARS = 48
# A tail after "by" this short must be a date; a longer one is part of the text.
_MAX_DUE_WORDS = 4


class EntryError(ValueError):
    """The line cannot be captured as it is; the message says why."""


@dataclass(frozen=True)
class PersonEntry:
    name: str
    organisation: str = ""
    new: bool = False
    """Typed `++name`: someone new, not to be matched to anyone known."""


@dataclass(frozen=True)
class LeftEntry:
    name: str


@dataclass(frozen=True)
class ActionEntry:
    text: str
    owner: str = ""
    due: DueDate | None = None
    due_unread: str = ""
    """Words after "by" that are not a date we can read ("by someday"): the action is kept,
    with these words, flagged "date not understood" until it is edited."""


@dataclass(frozen=True)
class DecisionEntry:
    text: str


@dataclass(frozen=True)
class NoteEntry:
    text: str


@dataclass(frozen=True)
class ProposalEntry:
    title: str
    by: str = ""


Entry = PersonEntry | LeftEntry | ActionEntry | DecisionEntry | NoteEntry | ProposalEntry


def split_person(text: str) -> tuple[str, str]:
    """`Name, Organisation`, or `"Surname, Name", Organisation` for a name with a comma."""
    text = clean_line(text)
    if text and text[0] in "\"'":
        quote = text[0]
        end = text.find(quote, 1)
        if end > 0:
            name = text[1:end].strip()
            rest = text[end + 1 :].strip()
            return name, clean_line(rest.removeprefix(",")).strip()
    name, _, organisation = text.partition(",")
    return name.strip(), organisation.strip()


def split_due(text: str, today: date) -> tuple[str, DueDate | None, str]:
    """Take a due date off the end of an action's text: (text, date, words not understood).

    The date follows the last "by" or "due". A short tail that is not a date
    ("by fir", "by someday") is returned as words not understood, for the
    action to keep and flag (never silently kept as part of the text, never
    a reason to refuse the line); a long one is part of the action ("stand by
    the river at the north entrance").
    """
    lowered = text.lower()
    position = max(lowered.rfind(marker) for marker in _DUE_MARKERS)
    if position < 0:
        return text, None, ""
    marker_len = lowered.find(" ", position + 1) - position + 1
    tail = text[position + marker_len :].strip()
    head = text[:position].strip()
    if not tail or not head:
        return text, None, ""
    if tail in ("-", "?"):
        # "by -" says: no due date, and keep any earlier "by" in the text.
        return head, None, ""
    try:
        return head, parse_due(tail, today), ""
    except DueDateError:
        if len(tail.split()) > _MAX_DUE_WORDS:
            return text, None, ""
        return head, None, tail


def parse_action(body: str, today: date) -> ActionEntry:
    body = clean_line(body)
    owner = ""
    head, colon, rest = body.partition(":")
    if colon and len(head) <= _MAX_OWNER_CHARS and len(head.split()) <= _MAX_OWNER_WORDS:
        owner = head.strip()
        body = rest.strip()
    text, due, unread = split_due(body, today)
    text = text.strip()
    if not text:
        raise EntryError("Say what the action is, e.g. !Asha: call the discharge team by fri")
    return ActionEntry(text=text, owner=owner, due=due, due_unread=unread)


def parse_entry(line: str, today: date) -> Entry:
    """Read one quick-entry line. Raises `EntryError` with a message for the person typing."""
    raw = line.strip()
    if not raw:
        raise EntryError("Nothing to capture: type a note, or start with + - ! = *")
    prefix, body = raw[0], raw[1:].strip()
    if prefix == "\\":
        text = clean_block(raw[1:])
        if not text:
            raise EntryError("Nothing to capture after the backslash")
        return NoteEntry(text)
    if prefix == "+":
        new = body.startswith("+")
        name, organisation = split_person(body[1:] if new else body)
        if not name:
            raise EntryError("Who arrived? e.g. +Asha Patel, Age UK")
        return PersonEntry(name=name, organisation=organisation, new=new)
    if prefix == "-":
        name = clean_line(body)
        if not name:
            raise EntryError("Who left? e.g. -Asha")
        return LeftEntry(name=name)
    if prefix == "!":
        return parse_action(body, today)
    if prefix == "=":
        text = clean_block(body)
        if not text:
            raise EntryError("What was decided? e.g. =We meet monthly")
        return DecisionEntry(text)
    if prefix == "*":
        title = clean_line(body)
        by = ""
        if " @" in title:
            title, _, by = title.rpartition(" @")
            title, by = title.strip(), by.strip()
        if not title:
            raise EntryError("What is the proposal? e.g. *Discharge delays @Asha")
        return ProposalEntry(title=title, by=by)
    text = clean_block(raw)
    if not text:
        raise EntryError("Nothing to capture: the line has only control characters")
    return NoteEntry(text)

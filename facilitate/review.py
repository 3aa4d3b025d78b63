"""Looking back over the archive: history and search, actions, people, the group.

`Review` distils each archived meeting into a few small facts (its listing,
who came, its actions, and its searchable text folded to lower case) once,
and answers the review screens' and commands' questions from those:

- `history(series, query)`: meetings newest first, filtered and searched;
- `actions(show, today, owner, series)`: every action across meetings;
- `people(...)`: everyone who has come, with their meetings and open actions;
- `group(series, today)`: how a series grows, meeting by meeting.

`Review.refresh(archive)` is incremental: the archive keeps one listing object
per meeting and replaces it when the meeting changes, so only changed
meetings are distilled again. The app makes one `Review` for its archive
(`screens.app.make_app`) and every screen reaches that one.
"""

from __future__ import annotations

import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple

from facilitate.followups import current_of_doc
from facilitate.models import ACTION, DONE, DROPPED, OPEN, Person
from facilitate.records import proposal_records, records
from facilitate.text import name_key

if TYPE_CHECKING:
    from facilitate.archive import Archive, MeetingListing

SHOW_OPEN, SHOW_OVERDUE, SHOW_DONE, SHOW_ALL = "open", "overdue", "done", "all"
ACTION_FILTERS = (SHOW_OPEN, SHOW_OVERDUE, SHOW_DONE, SHOW_ALL)
ON_TIME, LATE, STILL_OPEN = "on time", "late", "open"
_WORD = re.compile(r"\w+")


# -- search text --------------------------------------------------------------------


def fold(text: str) -> str:
    """Text as search compares it: case, widths and accents ignored (`Zoë` finds `zoe`)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def query_words(query: str) -> list[str]:
    """The words of a search; a meeting matches when it contains every one."""
    return [fold(word) for word in query.split()]


def _texts(doc: dict[str, Any]) -> Iterable[str]:
    """Everything a search looks at in a meeting document, tolerant of damage."""
    for key in ("title", "series", "facilitator"):
        value = doc.get(key)
        if isinstance(value, str) and value:
            yield value
    organisations = set()
    for attendee in records(doc.get("attendees")):
        name = attendee.get("name")
        if isinstance(name, str):
            yield name
        org = attendee.get("organisation")
        if isinstance(org, str) and org:
            organisations.add(org)
    yield from organisations
    for item in records(doc.get("items")):
        for key in ("text", "owner"):
            value = item.get(key)
            if isinstance(value, str) and value:
                yield value
        for follow_up in records(item.get("log")):
            for key in ("owner", "note"):
                value = follow_up.get(key)
                if isinstance(value, str) and value:
                    yield value
    for segment in records(doc.get("segments")):
        for proposal in proposal_records(segment):
            for key in ("title", "report"):
                value = proposal.get(key)
                if isinstance(value, str) and value:
                    yield value


def search_text(doc: dict[str, Any]) -> str:
    """A meeting's searchable text, folded, one fragment a line (a word never spans two)."""
    fragments = list(_texts(doc))
    text = "\n".join(fragments)
    if text.isascii():
        return text.lower()
    return "\n".join(fold(fragment) for fragment in fragments)


# -- the facts kept per meeting -----------------------------------------------------------


class ActionRow(NamedTuple):
    """One action, with the meeting it came from."""

    meeting_id: str
    item_id: str
    text: str
    owner: str
    owner_id: str | None
    due: str | None
    """ISO date."""
    due_text: str
    status: str
    closed_at: str | None
    series: str
    meeting_title: str
    meeting_date: str

    def is_overdue(self, today: date) -> bool:
        return self.status == OPEN and bool(self.due) and self.due < today.isoformat()  # type: ignore[operator]

    @property
    def timeliness(self) -> str:
        """"on time", "late", "open" or "dropped"; done without a due date counts as on time."""
        if self.status == OPEN:
            return STILL_OPEN
        if self.status == DROPPED:
            return DROPPED
        if self.due and self.closed_at and self.closed_at[:10] > self.due:
            return LATE
        return ON_TIME


@dataclass(slots=True)
class MeetingFacts:
    """What the review needs from one meeting, without keeping the meeting."""

    listing: MeetingListing
    text: str
    """Searchable text (see `search_text`); empty when the review was built without search."""
    presence: tuple[tuple[str, str, str, bool], ...]
    """Who came: (person_id, name, organisation, new) for each."""
    actions: tuple[tuple[Any, ...], ...]
    """Its actions, as plain tuples in `ActionRow`'s order.

    Plain tuples of strings are untracked by the garbage collector; hundreds
    of thousands of objects would otherwise be rescanned by every full
    collection, a pause of a second or more in the app.
    """
    invited: tuple[tuple[str, str, str], ...] = ()
    """Who said who brought them: (person_id, name, invited by), for those who did."""


def _str(value: Any, default: str = "") -> str:
    return value if isinstance(value, str) else default


def meeting_facts(listing: MeetingListing, doc: dict[str, Any], *, with_text: bool = True) -> MeetingFacts:
    presence = []
    invited = []
    for attendee in records(doc.get("attendees")):
        person_id = attendee.get("person_id")
        if isinstance(person_id, str) and person_id and _str(attendee.get("invited_by")):
            invited.append((person_id, _str(attendee.get("name")), _str(attendee.get("invited_by"))))
        if isinstance(person_id, str) and person_id:
            presence.append(
                (
                    person_id,
                    _str(attendee.get("name")),
                    _str(attendee.get("organisation")),
                    attendee.get("new") is True,
                )
            )
    actions = []
    for item in records(doc.get("items")):
        if item.get("kind") != ACTION:
            continue
        # Where the action stands now: as agreed, then its follow-ups.
        state = current_of_doc(item)
        actions.append(
            (
                listing.id,
                _str(item.get("id")),
                _str(item.get("text")),
                state.owner,
                state.owner_id,
                state.due,
                state.due_text,
                state.status,
                state.closed_at,
                listing.series,
                listing.title,
                listing.date,
            )
        )
    return MeetingFacts(
        listing=listing,
        text=search_text(doc) if with_text else "",
        presence=tuple(presence),
        actions=tuple(actions),
        invited=tuple(invited),
    )


# -- answers ------------------------------------------------------------------------------------


@dataclass
class PersonStats:
    """Someone who has come, across the archive."""

    id: str
    name: str
    organisation: str
    meetings: int = 0
    first_seen: str = ""
    last_seen: str = ""
    open_actions: int = 0
    overdue_actions: int = 0
    series: set[str] = field(default_factory=set)


@dataclass
class GroupMeeting:
    """One meeting of a series, as the group's chart shows it."""

    meeting_id: str
    date: str
    title: str
    returning: int
    new: int
    """People at their first meeting of this series."""
    organisations: int
    new_organisations: int

    @property
    def people(self) -> int:
        return self.returning + self.new


@dataclass
class OrganisationStats:
    name: str
    meetings: int
    people: int
    first_seen: str
    last_seen: str


@dataclass
class ActionTally:
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0
    """Among the open ones."""
    dropped: int = 0

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.open + self.dropped


@dataclass
class Brought:
    """Someone who brought others along to a series, as those people said when signing in."""

    name: str
    people: list[str]
    """Who they brought, first to come first."""
    first: str
    """The date the first of them came."""


@dataclass
class GroupStats:
    """How one series grows: attendance, organisations, actions."""

    series: str
    meetings: list[GroupMeeting]
    """Oldest first."""
    organisations: list[OrganisationStats]
    """Most meetings first."""
    people: int
    actions: ActionTally
    brought: list[Brought] = field(default_factory=list)
    """Who brought whom, those who brought most first."""

    @property
    def new_people(self) -> int:
        return sum(m.new for m in self.meetings)


def name_words(name: str) -> list[str]:
    """A name's words, folded, without punctuation or markup-like brackets around them."""
    return _WORD.findall(fold(name))


def _owner_matches(words: list[str], owner: str) -> bool:
    """Every word typed starts a word of the owner's name: "asha", "patel", "a pat"."""
    owner_words = name_words(owner)
    return all(any(ow.startswith(word) for ow in owner_words) for word in words)


class Review:
    """The archive distilled for looking back; see the module docstring."""

    def __init__(self, *, with_text: bool = True) -> None:
        self.with_text = with_text
        self._refreshing = threading.Lock()
        self._facts: dict[int, MeetingFacts] = {}
        self.meetings: list[MeetingFacts] = []
        """Newest first, as `Archive.listings()`."""
        self._texts: list[str] = []

    def visit(self, listing: MeetingListing, doc: dict[str, Any]) -> None:
        """Distil one meeting as the archive reads it (an `Archive.visitors` entry), so that
        `refresh` finds it done and the archive is not read twice."""
        self._facts[listing.doc_id] = meeting_facts(listing, doc, with_text=self.with_text)

    def refresh(
        self,
        archive: Archive,
        progress: Callable[[int, int], None] | None = None,
        every: int = 500,
    ) -> int:
        """Catch up with the archive; returns how many meetings were (re)distilled.

        Safe to call from a worker: each meeting document is read under the
        archive's lock, one at a time, so the lock is never held for long.
        Readers on other threads see the old answers until the new ones are
        complete (each list is replaced whole, never changed in place).
        """
        with self._refreshing:
            return self._refresh(archive, progress, every)

    def _refresh(self, archive: Archive, progress: Callable[[int, int], None] | None, every: int) -> int:
        listings = archive.listings()
        total = len(listings)
        facts: dict[int, MeetingFacts] = {}
        ordered = []
        changed = 0
        for index, listing in enumerate(listings):
            known = self._facts.get(listing.doc_id)
            if known is None or known.listing is not listing:
                doc = archive.meeting_doc(listing.id)
                known = meeting_facts(listing, doc if isinstance(doc, dict) else {}, with_text=self.with_text)
                changed += 1
            facts[listing.doc_id] = known
            ordered.append(known)
            if progress is not None and index % every == every - 1:
                progress(index + 1, total)
            if index % 20 == 19:
                # Let other threads (the app's event loop) run: a busy thread
                # otherwise keeps the GIL for whole switch intervals at a time.
                time.sleep(0)
        self._facts = facts
        self.meetings = ordered
        self._texts = [f.text for f in ordered]
        if progress is not None:
            progress(total, total)
        return changed

    # -- history ---------------------------------------------------------------------------

    def series_names(self) -> list[str]:
        names = {f.listing.series for f in self.meetings if f.listing.series}
        return sorted(names, key=str.casefold)

    def search(self, query: str) -> list[int]:
        """Indexes into `meetings` of those containing every word of `query`."""
        words = query_words(query)
        indexes: Iterable[int] = range(len(self._texts))
        texts = self._texts
        for word in sorted(words, key=len, reverse=True):
            # The longest word first: it usually narrows the most.
            indexes = [i for i in indexes if word in texts[i]]
        return list(indexes)

    def history(self, series: str = "", query: str = "") -> list[MeetingListing]:
        """Meetings newest first, of one series (any if empty), matching a search."""
        key = name_key(series) if series else ""
        if query.strip():
            chosen = [self.meetings[i] for i in self.search(query)]
        else:
            chosen = self.meetings
        return [f.listing for f in chosen if not key or name_key(f.listing.series) == key]

    # -- actions ------------------------------------------------------------------------------

    def all_actions(self) -> list[ActionRow]:
        return [ActionRow._make(raw) for f in self.meetings for raw in f.actions]

    def actions(self, show: str = SHOW_OPEN, today: date | None = None, owner: str = "", series: str = "") -> list[ActionRow]:
        """Actions across meetings: open, overdue (before `today`), done or all; by owner and series.

        Open and overdue ones come soonest due first (no date last); done ones
        most recently closed first; all of them, open before closed.
        """
        if show not in ACTION_FILTERS:
            raise ValueError(f"unknown filter {show!r}; one of {', '.join(ACTION_FILTERS)}")
        if show == SHOW_OVERDUE and today is None:
            raise ValueError("overdue needs today's date")
        owner_words = name_words(owner)
        series_key = name_key(series) if series else ""
        rows = []
        for f in self.meetings:
            if series_key and name_key(f.listing.series) != series_key:
                continue
            for raw in f.actions:
                row = ActionRow._make(raw)
                if show == SHOW_OPEN and row.status != OPEN:
                    continue
                if show == SHOW_DONE and row.status != DONE:
                    continue
                if show == SHOW_OVERDUE and not row.is_overdue(today):  # type: ignore[arg-type]
                    continue
                if owner_words and not _owner_matches(owner_words, row.owner):
                    continue
                rows.append(row)
        if show == SHOW_DONE:
            rows.sort(key=lambda r: r.closed_at or "", reverse=True)
        else:
            rows.sort(key=lambda r: (r.status != OPEN, r.due is None, r.due or "", r.meeting_date))
        return rows

    # -- people --------------------------------------------------------------------------------

    def people(self, known: Iterable[Person], today: date | None = None) -> list[PersonStats]:
        """Everyone who has come (and everyone on record), sorted by name so near-duplicates sit together."""
        stats: dict[str, PersonStats] = {}
        for person in known:
            stats[person.id] = PersonStats(person.id, person.name, person.organisation)
        unrecorded: set[str] = set()
        # Oldest first, so that for someone with no record the latest name and organisation win.
        for f in reversed(self.meetings):
            day = f.listing.date
            for person_id, name, organisation, _ in f.presence:
                entry = stats.get(person_id)
                if entry is None:
                    entry = stats[person_id] = PersonStats(person_id, name, organisation)
                    unrecorded.add(person_id)
                elif person_id in unrecorded:
                    entry.name = name
                    entry.organisation = organisation or entry.organisation
                entry.meetings += 1
                if day and (not entry.first_seen or day < entry.first_seen):
                    entry.first_seen = day
                if day > entry.last_seen:
                    entry.last_seen = day
                if f.listing.series:
                    entry.series.add(f.listing.series)
            for raw in f.actions:
                row = ActionRow._make(raw)
                if row.status == OPEN and row.owner_id in stats:
                    entry = stats[row.owner_id]
                    entry.open_actions += 1
                    if today is not None and row.is_overdue(today):
                        entry.overdue_actions += 1
        return sorted(stats.values(), key=lambda s: (name_words(s.name), fold(s.organisation), s.id))

    # -- the group -------------------------------------------------------------------------------

    def group(self, series: str, today: date | None = None) -> GroupStats:
        """Attendance (returning and new to the series), organisations and actions for a series."""
        key = name_key(series)
        chosen = [f for f in reversed(self.meetings) if name_key(f.listing.series) == key]
        seen_people: set[str] = set()
        seen_orgs: set[str] = set()
        orgs: dict[str, dict[str, Any]] = {}
        meetings = []
        tally = ActionTally()
        for f in chosen:
            new = returning = 0
            here_orgs: set[str] = set()
            new_orgs = 0
            day = f.listing.date
            for person_id, _, organisation, _ in f.presence:
                if person_id in seen_people:
                    returning += 1
                else:
                    new += 1
                    seen_people.add(person_id)
                org_key = name_key(organisation)
                if not org_key:
                    continue
                record = orgs.setdefault(org_key, {"name": organisation, "meetings": 0, "people": set(),
                                                   "first": day, "last": day})  # fmt: skip
                record["name"] = organisation  # the latest spelling
                record["people"].add(person_id)
                record["last"] = day
                if org_key not in here_orgs:
                    here_orgs.add(org_key)
                    record["meetings"] += 1
                if org_key not in seen_orgs:
                    seen_orgs.add(org_key)
                    new_orgs += 1
            meetings.append(
                GroupMeeting(f.listing.id, day, f.listing.title, returning, new, len(here_orgs), new_orgs)
            )
            for raw in f.actions:
                row = ActionRow._make(raw)
                kind = row.timeliness
                if kind == ON_TIME:
                    tally.on_time += 1
                elif kind == LATE:
                    tally.late += 1
                elif kind == DROPPED:
                    tally.dropped += 1
                else:
                    tally.open += 1
                    if today is not None and row.is_overdue(today):
                        tally.overdue += 1
        organisations = [
            OrganisationStats(r["name"], r["meetings"], len(r["people"]), r["first"], r["last"]) for r in orgs.values()
        ]
        brought = who_brought_whom(chosen)
        organisations.sort(key=lambda o: (-o.meetings, o.name.casefold()))
        name = chosen[-1].listing.series if chosen else series
        return GroupStats(name, meetings, organisations, len(seen_people), tally, brought)


def who_brought_whom(meetings: Iterable[MeetingFacts]) -> list[Brought]:
    """From the oldest meeting on: each person once, under who they first said brought them. The
    one who brought them is named as the series knows them when the name said is theirs
    (whatever its case or accents), else as it was said."""
    names: dict[str, str] = {}
    said: list[tuple[str, str, str, str]] = []
    seen: set[str] = set()
    for facts in meetings:
        for _, name, _, _ in facts.presence:
            names.setdefault(name_key(name), name)
        for person_id, name, inviter in facts.invited:
            if person_id not in seen:
                seen.add(person_id)
                said.append((inviter, name, facts.listing.date, person_id))
    groups: dict[str, Brought] = {}
    for inviter, name, day, _ in said:
        key = name_key(inviter)
        shown = names.get(key, inviter)
        entry = groups.setdefault(key, Brought(shown, [], day))
        entry.people.append(name)
    return sorted(groups.values(), key=lambda b: (-len(b.people), b.first, b.name.casefold()))

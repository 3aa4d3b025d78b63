"""The JSON interchange format: meetings moving between laptops and archives.

One document holds one meeting or a whole archive:

    {"format": "facilitate-interchange", "version": 1,
     "meetings": [...], "people": [...], "series": [...]}

Each meeting is the archive's own meeting record (`Meeting.to_dict()`, with
its schema version in `v`); people and series plans likewise. The schema is
documented, with an example, in `docs/interchange.md`.

`merge` brings such a document into an archive. A meeting the archive does
not have is added; one it has in exactly the same form is left alone (so
importing a file twice changes nothing); one it has in a different form is a
conflict, reported and never overwritten. People are merged by id: a new
person is added, a known one keeps the archive's record and only gains what
it was missing (an organisation, an earlier first meeting). Series plans are
added when the archive has none of that name.

A raw archive file (`archive.json`) is accepted as well, so co-facilitators
can combine archives without exporting first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Iterator, TypeVar

from facilitate.export.limits import Cut, Limits, Refused, limit_record
from facilitate.migrations import migrate_meetings
from facilitate.models import SCHEMA_VERSION, Meeting, Person, SeriesPlan
from facilitate.serial import SchemaError, from_dict, to_dict
from facilitate.text import name_key

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from facilitate.archive import Archive

T = TypeVar("T", bound="DataclassInstance")

FORMAT = "facilitate-interchange"
VERSION = 1
"""Version of the interchange envelope; documented in docs/interchange.md."""


class InterchangeError(ValueError):
    """A file that cannot be imported, with the reason in words."""


@dataclass
class Bundle:
    """What an interchange document carries."""

    meetings: list[Meeting] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    series: list[SeriesPlan] = field(default_factory=list)
    cut: list[tuple[str, list[Cut]]] = field(default_factory=list)
    """Records whose text was cut to the import limits (`facilitate.export.limits`): which, and where."""
    refused: list[tuple[str, str]] = field(default_factory=list)
    """Records left out, and why."""


# -- writing ------------------------------------------------------------------------------


def _start(meeting: Meeting) -> str:
    return meeting.started_at or meeting.planned_start or ""


def document(bundle: Bundle) -> dict[str, Any]:
    """The interchange document for `bundle`, in a stable order."""
    meetings = sorted(bundle.meetings, key=lambda m: (_start(m), m.id))
    people = sorted(bundle.people, key=lambda p: p.id)
    series = sorted(bundle.series, key=lambda s: (name_key(s.name), s.name))
    return {
        "format": FORMAT,
        "version": VERSION,
        "meetings": [meeting.to_dict() for meeting in meetings],
        "people": [person.to_dict() for person in people],
        "series": [to_dict(plan) for plan in series],
    }


def dumps(bundle: Bundle) -> str:
    """The document as JSON text: indented, UTF-8 friendly, byte-stable.

    Controls, bidi overrides and lone surrogates are `\\u` escapes
    (`facilitate.output.to_json`): they read back as they were, but cannot act
    on a terminal the file is shown in.
    """
    from facilitate.output import to_json

    return to_json(document(bundle)) + "\n"


def people_for(meeting: Meeting, known: dict[str, Person] | None = None) -> list[Person]:
    """The people a meeting mentions (attendees, action owners), as the archive knows them where it does."""
    known = known or {}
    day = _start(meeting)[:10]
    people: dict[str, Person] = {}
    for attendee in meeting.attendees:
        person = known.get(attendee.person_id) or Person(
            id=attendee.person_id,
            name=attendee.name,
            organisation=attendee.organisation,
            first_seen=day if attendee.new else "",
        )
        people.setdefault(person.id, person)
    for item in meeting.items:
        if item.owner_id and item.owner_id not in people and item.owner_id in known:
            people[item.owner_id] = known[item.owner_id]
    return list(people.values())


def meeting_bundle(meeting: Meeting, archive: Archive | None = None) -> Bundle:
    """One meeting with its people (and its series' plan, when the archive has one)."""
    known = {person.id: person for person in archive.people()} if archive is not None else {}
    plans = []
    if archive is not None and meeting.series.strip():
        plan = archive.plan(meeting.series)
        if plan is not None:
            plans.append(plan)
    return Bundle([meeting], people_for(meeting, known), plans)


def archive_bundle(archive: Archive) -> Bundle:
    """Everything in the archive. Raises `ArchiveError` if a meeting's record is damaged."""
    with archive.lock:
        meetings = []
        for listing in archive.listings():
            meeting = archive.meeting(listing.id)
            if meeting is not None:
                meetings.append(meeting)
        plans = [plan for name in archive.series_names() if (plan := archive.plan(name)) is not None]
        return Bundle(meetings, archive.people(), plans)


# -- reading ------------------------------------------------------------------------------


def _from_archive_file(data: dict[str, Any]) -> dict[str, Any]:
    """A raw archive file's tables as an interchange document."""
    version = None
    for doc in (data.get("meta") or {}).values():
        if isinstance(doc, dict) and "schema" in doc:
            version = doc["schema"]
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise InterchangeError(
            f"this archive was written by a newer facilitate (version {version}); update facilitate to import it"
        )

    def rows(table: str) -> list[Any]:
        value = data.get(table) or {}
        if not isinstance(value, dict):
            raise InterchangeError(f"the archive's {table} table is not an object")
        return [value[key] for key in sorted(value, key=lambda k: (len(k), k))]

    # Meetings of version 3 on are stored packed, naming segment settings in the `formats` table.
    from facilitate.packing import FORMATS, settings_of, unpack

    settings = settings_of(data.get(FORMATS))
    return {
        "format": FORMAT,
        "version": VERSION,
        "meetings": [unpack(doc, settings) for doc in rows("meetings")],
        "people": rows("people"),
        "series": rows("series"),
    }


def _label(table: str, index: int, doc: Any) -> str:
    """A record named for a report without echoing much of it: its place, id, date and title (short)."""
    from facilitate.output import one_line

    label = f"{table}[{index}]"
    if not isinstance(doc, dict):
        return label
    details = []
    if isinstance(doc.get("id"), str) and len(doc["id"]) <= 40:
        details.append(f"id {one_line(doc['id'])}")
    start = doc.get("started_at") or doc.get("planned_start")
    if isinstance(start, str) and start[:10]:
        details.append(one_line(start[:10]))
    name = doc.get("title", doc.get("name"))
    if isinstance(name, str) and name.strip():
        details.append(one_line(name, 60))
    return f"{label} ({', '.join(details)})" if details else label


def _limited(bundle: Bundle, table: str, index: int, doc: Any, limits: Limits) -> Any | None:
    """The record cut to the limits, or None when it is refused (both noted in the bundle)."""
    try:
        checked = limit_record(doc, limits)
    except Refused as reason:
        bundle.refused.append((_label(table, index, doc), str(reason)))
        return None
    if checked.cuts:
        bundle.cut.append((_label(table, index, checked.doc), checked.cuts))
    return checked.doc


def _records(bundle: Bundle, table: str, docs: list[Any], cls: type[T], limits: Limits) -> Iterator[tuple[str, T]]:
    """Each record of a table within the limits (the rest noted in the bundle), built and checked,
    with where it stands (`people[3]`). Raises `InterchangeError` naming a damaged field."""
    for index, doc in enumerate(docs):
        checked = _limited(bundle, table, index, doc, limits)
        if checked is None:
            continue
        where = f"{table}[{index}]"
        try:
            record = from_dict(cls, checked, where)
        except SchemaError as error:
            raise InterchangeError(str(error)) from None
        yield where, record


def parse(data: Any, limits: Limits = Limits()) -> Bundle:
    """A bundle from a decoded JSON document. Raises `InterchangeError`.

    Text past the import limits is cut, and a record that cannot be cut
    safely is left out; `Bundle.cut` and `Bundle.refused` say which.
    """
    if isinstance(data, dict) and "format" not in data and isinstance(data.get("meta"), dict):
        data = _from_archive_file(data)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InterchangeError('this is JSON, but not a facilitate export (no "format": "facilitate-interchange")')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise InterchangeError("the export has no version number")
    if version > VERSION:
        raise InterchangeError(
            f"written by a newer facilitate (interchange version {version}; this one reads up to {VERSION}); "
            "update facilitate to import it"
        )
    bundle = Bundle()
    for key in ("meetings", "people", "series"):
        if not isinstance(data.get(key, []), list):
            raise InterchangeError(f"{key}: expected a list")
    docs = list(data.get("meetings", []))
    versions = []
    for index, doc in enumerate(docs):
        v = doc.get("v", SCHEMA_VERSION) if isinstance(doc, dict) else SCHEMA_VERSION
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            v = SCHEMA_VERSION  # reading it names the problem
        elif v > SCHEMA_VERSION:
            raise InterchangeError(f"meetings[{index}]: written by a newer facilitate (meeting version {v})")
        versions.append(v)
    # Meetings of an earlier version change as the archive's own did (facilitate.migrations).
    docs = migrate_meetings(docs, versions)
    for where, meeting in _records(bundle, "meetings", docs, Meeting, limits):
        if not meeting.id.strip():
            raise InterchangeError(f"{where}.id: a meeting needs an id")
        meeting.v = SCHEMA_VERSION
        bundle.meetings.append(meeting)
    people = _records(bundle, "people", data.get("people", []), Person, limits)
    bundle.people += [person for _, person in people if person.id.strip()]
    plans = _records(bundle, "series", data.get("series", []), SeriesPlan, limits)
    bundle.series += [plan for _, plan in plans if plan.name.strip()]
    return bundle


def loads(text: str | bytes, limits: Limits = Limits()) -> Bundle:
    """A bundle from JSON text. Raises `InterchangeError` with the reason in words."""
    try:
        data = json.loads(text)
    except UnicodeDecodeError:
        raise InterchangeError("the file is not text") from None
    except json.JSONDecodeError as error:
        raise InterchangeError(f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})") from None
    except RecursionError:
        raise InterchangeError("the file is nested too deeply to be an export") from None
    return parse(data, limits)


# -- merging ------------------------------------------------------------------------------


FIELD_LABELS = {
    "title": "title",
    "series": "series",
    "facilitator": "facilitator",
    "planned_start": "start",
    "started_at": "start",
    "finished_at": "end",
    "status": "status",
    "segments": "agenda and timings",
    "attendees": "attendees",
    "items": "notes, decisions or actions",
}


@dataclass(frozen=True)
class Conflict:
    """A meeting the archive has in a different form; the archive's copy is kept."""

    meeting_id: str
    title: str
    date: str
    differences: tuple[str, ...]
    """What differs, in words ("attendees", "notes, decisions or actions")."""


@dataclass
class MergeReport:
    """What an import did."""

    added: list[Meeting] = field(default_factory=list)
    unchanged: list[Meeting] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    people_added: int = 0
    people_updated: int = 0
    series_added: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.people_added or self.people_updated or self.series_added)


def canonical(meeting: Meeting) -> dict[str, Any]:
    """A meeting as plain data, for comparing two copies of it."""
    doc = meeting.to_dict()
    doc.pop("v", None)
    # Through JSON, so 1 and 1.0 (and tuples and lists) compare as the file would.
    plain: dict[str, Any] = json.loads(json.dumps(doc))
    return plain


def differences(ours: Meeting, theirs: Meeting) -> tuple[str, ...]:
    a, b = canonical(ours), canonical(theirs)
    labels: list[str] = []
    for key in a.keys() | b.keys():
        if a.get(key) != b.get(key):
            label = FIELD_LABELS.get(key, key)
            if label not in labels:
                labels.append(label)
    order = list(dict.fromkeys(FIELD_LABELS.values()))
    return tuple(sorted(labels, key=lambda label: (order.index(label) if label in order else len(order), label)))


def _merge_person(ours: Person, theirs: Person) -> Person:
    """The archive's record, with what it lacked taken from the other."""
    first_seen = min((d for d in (ours.first_seen, theirs.first_seen) if d), default="")
    return replace(
        ours,
        name=ours.name or theirs.name,
        organisation=ours.organisation or theirs.organisation,
        first_seen=first_seen,
        note=ours.note or theirs.note,
    )


def merge(archive: Archive, bundle: Bundle, *, backup: bool = True) -> MergeReport:
    """Bring `bundle` into `archive`; only additions are written, in one write.

    Takes a backup of the archive before and after when there is anything to write.
    The caller holds the archive's file lock (`facilitate.storage.lock`).
    """
    report = MergeReport()
    with archive.lock:
        pending: dict[str, Meeting] = {}
        for meeting in bundle.meetings:
            existing = pending.get(meeting.id)
            if existing is None:
                try:
                    existing = archive.meeting(meeting.id)
                except Exception:  # a damaged record in the archive: never replaced by an import
                    existing = None
                    report.conflicts.append(
                        Conflict(meeting.id, meeting.title, _start(meeting)[:10], ("damaged in the archive",))
                    )
                    continue
            if existing is None:
                pending[meeting.id] = meeting
                report.added.append(meeting)
            elif canonical(existing) == canonical(meeting):
                report.unchanged.append(meeting)
            else:
                report.conflicts.append(
                    Conflict(meeting.id, meeting.title, _start(meeting)[:10], differences(existing, meeting))
                )

        known = {person.id: person for person in archive.people()}
        offered: dict[str, Person] = {}
        for person in bundle.people:
            offered[person.id] = _merge_person(offered[person.id], person) if person.id in offered else person
        for meeting in report.added:
            for person in people_for(meeting):
                if person.id not in offered:
                    offered[person.id] = person
        people: list[Person] = []
        for person_id, person in offered.items():
            known_person = known.get(person_id)
            if known_person is None:
                people.append(person)
                report.people_added += 1
            else:
                merged = _merge_person(known_person, person)
                if merged != known_person:
                    people.append(merged)
                    report.people_updated += 1

        have = {name_key(name) for name in archive.series_names() if archive.plan(name) is not None}
        plans: list[SeriesPlan] = []
        for plan in bundle.series:
            if name_key(plan.name) not in have:
                have.add(name_key(plan.name))
                plans.append(plan)
        for meeting in report.added:
            if meeting.series.strip() and name_key(meeting.series) not in have:
                have.add(name_key(meeting.series))
                plans.append(SeriesPlan(name=meeting.series, facilitator=meeting.facilitator))
        report.series_added = len(plans)

        if report.changed:
            if backup:
                archive.backup()
            archive.add_records(report.added, people, plans)
            if backup:
                archive.backup(copy=True)  # the newest backup holds what was imported
    return report
